/*
 * ssh.h: agentless access to a host over SSH (libssh2): exec channels with
 * deadlines (SFTP upload: upload.h). Host keys are verified against an OpenSSH
 * known_hosts file (hashed entries too); an unknown key is refused with its
 * fingerprint unless accept_new is set or the configuration's
 * StrictHostKeyChecking is accept-new (or no), which record it; a changed
 * key is always refused.
 *
 * Authentication tries, in order: ssh-agent (SSH_AUTH_SOCK), the identity
 * file (with its passphrase), the password. Secrets come from the caller
 * (a prompt or an environment variable), never from the command line.
 */
#ifndef SSH_H
#define SSH_H

#include <stdint.h>
#include <sys/types.h>
#include "buf.h"
#include "spawn.h"
#include "ssh_target.h"

struct ssh_conn;

/* Connect, verify the host key, authenticate. On error err says why. */
int ssh_connect(struct ssh_conn **out, const struct ssh_target *t,
		const struct ssh_opts *o, struct buf *err);
void ssh_close(struct ssh_conn *c);
/*
 * What c is connected to, as "ADDR:PORT" ("[ADDR]:PORT" for IPv6): the
 * numeric address of the peer, or through a proxy the HostName it reached.
 */
const char *ssh_address(const struct ssh_conn *c);

/*
 * Run a shell command line on the host; fill r like spawn_run() does. Past
 * the deadline the channel is closed (the remote side is wrapped in
 * timeout(1) by the caller, which kills the process itself).
 */
int ssh_exec(struct ssh_conn *c, const char *cmdline, int64_t timeout_ms, size_t cap,
	     struct spawn_result *r);

/*
 * A shell kept open on the host (ssh_shell.c): scripts run one after the
 * other over one channel, each like ssh_exec() (its stdout's end within
 * cap, its stderr, its exit status), without a channel of their own.
 * ssh_shell_run returns 0 when the script answered or ran out of time
 * (r->timed_out: the shell is then unusable, close it); an error when the
 * channel failed.
 */
struct ssh_shell;
/* The environment of every remote command: the kept shell's, or env -i's. */
#define SSH_SHELL_ENV "LC_ALL=C LANG=C PATH=" SPAWN_SAFE_PATH " HOME=/ TERM=dumb " \
	"PAGER=cat SYSTEMD_PAGER= SYSTEMD_COLORS=0 COLUMNS=512"
int ssh_shell_open(struct ssh_conn *c, struct ssh_shell **out, struct buf *err);
int ssh_shell_run(struct ssh_shell *sh, const char *script, int64_t timeout_ms, size_t cap,
		  struct spawn_result *r);
/*
 * The two halves of ssh_shell_run, so a second shell can work on the next
 * item while the first is busy (transport_ssh.c's look-ahead): send the
 * script now, take its answer later, by the same deadline (start: when it
 * was sent, for its duration).
 */
int ssh_shell_send(struct ssh_shell *sh, const char *script, int64_t deadline, size_t cap);
int ssh_shell_recv(struct ssh_shell *sh, int64_t start, int64_t deadline, size_t cap,
		   struct spawn_result *r);
void ssh_shell_close(struct ssh_shell *sh);

#endif
