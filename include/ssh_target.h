/*
 * ssh_target.h: which host to reach over SSH and how (ssh_target.c): the
 * host as the engineer gives it, [USER@]HOST[:PORT], then what the user's
 * own OpenSSH set-up says of it, read through `ssh -G`; and the options of
 * a connection (ssh.h connects).
 */
#ifndef SSH_TARGET_H
#define SSH_TARGET_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include "buf.h"

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

#endif
