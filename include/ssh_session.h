/*
 * ssh_session.h: the inside of an SSH connection, for the files that drive
 * libssh2 directly (ssh.c for exec channels, upload.c for SFTP). Everyone
 * else uses ssh.h.
 *
 * The session is non-blocking: a call that would block waits on the socket
 * with ssh_wait() until c->deadline, so no peer can hang us.
 */
#ifndef SSH_SESSION_H
#define SSH_SESSION_H

#include <libssh2.h>
#include <signal.h>
#include <stdint.h>
#include "ssh.h"

struct ssh_conn {
	int sock;
	LIBSSH2_SESSION *s;
	int64_t deadline;		/* ms, for the call under way */
	volatile sig_atomic_t *stop;
	const struct ssh_target *t;
	pid_t proxy;			/* ProxyJump/ProxyCommand, or 0 */
	int proxy_err;			/* its stderr, or -1 */
	char address[300];		/* what was connected to (ssh_address) */
};

/*
 * Wait until the socket is ready for what libssh2 wants: 0, or
 * CF_ERR_TIMEOUT past the deadline, CF_ERR_INTERRUPTED when *stop is set.
 */
int ssh_wait(struct ssh_conn *c);
/*
 * The server's host key against the known_hosts files (ssh_hostkey.c):
 * 0 when known; an unknown key recorded when o or the configuration says
 * so (one line through o->on_note, else a warning); CF_ERR_SSH with err
 * saying why otherwise (a changed key always).
 */
int ssh_hostkey_check(struct ssh_conn *c, const struct ssh_opts *o, struct buf *err);
/* libssh2's last message for the session. */
const char *ssh_last_error(struct ssh_conn *c);
/*
 * A session channel running cmd, by c->deadline; NULL when it cannot be
 * opened or started, with err saying which ("cannot start " what).
 */
LIBSSH2_CHANNEL *ssh_channel_exec(struct ssh_conn *c, const char *cmd, const char *what,
				  struct buf *err);
/* Close ch and wait for its end (5 s): its exit status, 128 + N after signal N. */
int ssh_channel_status(struct ssh_conn *c, LIBSSH2_CHANNEL *ch);

/* Repeat a libssh2 call while it says EAGAIN; rc is its last answer. */
#define SSH_NB(c, rc, call) \
	while (((rc) = (call)) == LIBSSH2_ERROR_EAGAIN) { \
		int w_ = ssh_wait(c); \
		if (w_) { (rc) = w_ == CF_ERR_TIMEOUT ? LIBSSH2_ERROR_TIMEOUT : -999; break; } \
	}

#endif
