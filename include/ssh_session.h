/*
 * ssh_session.h: the inside of an SSH connection, for the files that drive
 * libssh2 directly (ssh.c: the connection and exec channels; ssh_hostkey.c:
 * the host key; ssh_shell.c: the kept shells; inplace.c: casefile on the
 * host; upload.c: SFTP). Everyone else uses ssh.h.
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

/*
 * The one loop that moves an exec channel's bytes (ssh_exec, the kept
 * shells of ssh_shell.c, casefile on the host in inplace.c): it writes in
 * to the command's stdin (then EOF, with send_eof) while it reads stdout
 * into out() and stderr into err() (NULL: read and dropped), a chunk of
 * each at a time, until the command's EOF, done() says it has what it
 * waits for (asked before each round and after each chunk of stdout), or a
 * callback returns non-zero. A write the host refuses ends the writing
 * (in_failed), not the reading: what the command says tells why.
 *
 * 0 at the end, the callback's code, CF_ERR_TIMEOUT past c->deadline (also
 * from a host that never pauses), CF_ERR_INTERRUPTED when *c->stop is set,
 * CF_ERR_SSH when a read failed.
 */
struct ssh_pump {
	const char *in;		/* for the command's stdin, or NULL */
	size_t in_len;
	size_t sent;		/* of in, so far */
	int send_eof;		/* EOF on stdin once in is sent */
	int in_failed;		/* the host stopped taking stdin */
	int (*out)(void *ctx, const char *p, size_t n);
	int (*err)(void *ctx, const char *p, size_t n);
	int (*done)(void *ctx, const struct ssh_pump *p);
	void *ctx;
};
int ssh_pump(struct ssh_conn *c, LIBSSH2_CHANNEL *ch, struct ssh_pump *p);

/* Repeat a libssh2 call while it says EAGAIN; rc is its last answer. */
#define SSH_NB(c, rc, call) \
	while (((rc) = (call)) == LIBSSH2_ERROR_EAGAIN) { \
		int w_ = ssh_wait(c); \
		if (w_) { (rc) = w_ == CF_ERR_TIMEOUT ? LIBSSH2_ERROR_TIMEOUT : -999; break; } \
	}

#endif
