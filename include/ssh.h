/*
 * ssh.h: agentless access to a host over SSH (libssh2): exec channels with
 * deadlines (SFTP upload: upload.h). Host keys are verified against an OpenSSH
 * known_hosts file (hashed entries too); an unknown key is refused with its
 * fingerprint unless accept_new is set, which records it; a changed key is
 * always refused.
 *
 * Authentication tries, in order: ssh-agent (SSH_AUTH_SOCK), the identity
 * file (with its passphrase), the password. Secrets come from the caller
 * (a prompt or an environment variable), never from the command line.
 */
#ifndef SSH_H
#define SSH_H

#include <signal.h>
#include <stdint.h>
#include "buf.h"
#include "spawn.h"

struct ssh_target {
	char *user;
	char *host;
	int port;
	char *spec;		/* as given: [user@]host[:port] */
};

struct ssh_opts {
	const char *identity;		/* private key file, or NULL */
	const char *passphrase;		/* for the identity, or NULL */
	const char *password;		/* or NULL */
	const char *known_hosts;	/* default ~/.ssh/known_hosts */
	int accept_new;			/* record unknown host keys */
	int64_t connect_timeout_ms;
	volatile sig_atomic_t *stop;
};

struct ssh_conn;

/* "[user@]host[:port]", "[user@][v6addr]:port"; user defaults to $USER. */
int ssh_parse_target(const char *spec, struct ssh_target *t, struct buf *err);
void ssh_target_release(struct ssh_target *t);

/* Connect, verify the host key, authenticate. On error err says why. */
int ssh_connect(struct ssh_conn **out, const struct ssh_target *t,
		const struct ssh_opts *o, struct buf *err);
void ssh_close(struct ssh_conn *c);

/*
 * Run a shell command line on the host; fill r like spawn_run() does. Past
 * the deadline the channel is closed (the remote side is wrapped in
 * timeout(1) by the caller, which kills the process itself).
 */
int ssh_exec(struct ssh_conn *c, const char *cmdline, int64_t timeout_ms, size_t cap,
	     struct spawn_result *r);

/* Quote one word for a POSIX shell. */
void sh_quote(struct buf *b, const char *word);

/*
 * A shell kept open on the host (ssh_shell.c): scripts run one after the
 * other over one channel, each like ssh_exec() (its stdout's end within
 * cap, its stderr, its exit status), without a channel of their own.
 * ssh_shell_run returns 0 when the script answered or ran out of time
 * (r->timed_out: the shell is then unusable, close it); an error when the
 * channel failed.
 */
struct ssh_shell;
int ssh_shell_open(struct ssh_conn *c, struct ssh_shell **out, struct buf *err);
int ssh_shell_run(struct ssh_shell *sh, const char *script, int64_t timeout_ms, size_t cap,
		  struct spawn_result *r);
void ssh_shell_close(struct ssh_shell *sh);

#endif
