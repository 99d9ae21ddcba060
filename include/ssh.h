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

#include <signal.h>
#include <stdint.h>
#include <sys/types.h>
#include "buf.h"
#include "spawn.h"

struct ssh_target {
	char *user;
	char *host;		/* what we connect to (HostName) */
	int port;
	char *spec;		/* as given: [user@]host[:port] */
	char *alias;		/* its host part, before HostName (ProxyCommand's %n) */
	int user_given, port_given;
	/* from OpenSSH's configuration (ssh_resolve), all optional */
	char *key_name;		/* HostKeyAlias: the name in known_hosts */
	char **identities;	/* IdentityFile, in order */
	char **known_hosts;	/* UserKnownHostsFile: new keys go to the first */
	char **global_known;	/* GlobalKnownHostsFile: read only */
	int64_t connect_timeout_ms;	/* ConnectTimeout, 0 when not set */
	char *proxy_jump;	/* ProxyJump: [user@]host[:port][,...] */
	char *proxy_command;	/* ProxyCommand, its %h %p %r %n not expanded */
	char *strict;		/* StrictHostKeyChecking as ssh -G says it: accept-new, false, ... */
	int hash_known;		/* HashKnownHosts: new keys are recorded hashed */
};

struct ssh_opts {
	const char *identity;		/* private key file, or NULL */
	const char *passphrase;		/* for the identity, or NULL */
	const char *password;		/* or NULL */
	const char *known_hosts;	/* default ~/.ssh/known_hosts */
	int accept_new;			/* record unknown host keys */
	int64_t connect_timeout_ms;	/* 0: ConnectTimeout, else 10 s */
	const char *config;		/* ssh -F FILE, or NULL */
	int no_config;			/* use [user@]host[:port] as given */
	volatile sig_atomic_t *stop;
	/* a line for people (a host key recorded); NULL: a warning on stderr */
	void (*on_note)(void *ctx, const char *line);
	void *note_ctx;
};

struct ssh_conn;

/* "[user@]host[:port]", "[user@][v6addr]:port"; user defaults to $USER. */
int ssh_parse_target(const char *spec, struct ssh_target *t, struct buf *err);
void ssh_target_release(struct ssh_target *t);

/*
 * spec into a target through OpenSSH's own reading of its configuration
 * (ssh_target.c): `ssh -G` prints the effective values for the host
 * (~/.ssh/config or o->config, /etc/ssh/ssh_config, Match and Include), so
 * an alias, its HostName, User, Port, IdentityFile, UserKnownHostsFile,
 * ConnectTimeout, ProxyJump and ProxyCommand are the ones ssh would use. A
 * user or port in spec wins. Without ssh(1) (or with o->no_config) spec is
 * used as given. The ssh program is $CASEFILE_SSH
 * or ssh in the safe PATH.
 */
int ssh_resolve(const char *spec, const struct ssh_opts *o, struct ssh_target *t,
		struct buf *err);
/* Is there an ssh(1) to read the configuration with? */
int ssh_have_openssh(void);
/* Its path (for the proxy's ssh -W): 0, or CF_ERR_NOTFOUND. */
int ssh_openssh_path(char *out, size_t n);
/*
 * The "key value" lines `ssh -G` printed, into t (HostName, User, Port,
 * IdentityFile, UserKnownHostsFile, GlobalKnownHostsFile, HostKeyAlias,
 * ConnectTimeout, ProxyJump, ProxyCommand, StrictHostKeyChecking,
 * HashKnownHosts; "none" unsets, "~/" is this user's home). text is cut
 * into lines in place; other keys and lines without a value are passed over.
 */
void ssh_target_apply(struct ssh_target *t, char *text);

/* --connect-timeout, else the configured ConnectTimeout, else 10 s. */
int64_t ssh_connect_timeout(const struct ssh_target *t, const struct ssh_opts *o);

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
