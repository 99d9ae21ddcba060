/*
 * remote.h: collect many hosts over SSH at once, one bundle per host.
 *
 * Each host is collected by a child process of its own (at most jobs at a
 * time), so a host that is down, slow, refuses the key or hangs never
 * stops or delays the others past their timeouts; the host timeout ends a
 * child with SIGTERM (its bundle is closed, marked incomplete), then
 * SIGKILL. On a terminal a status line per host is kept up to date.
 */
#ifndef REMOTE_H
#define REMOTE_H

#include "catalog.h"
#include "collect.h"
#include "ssh.h"

struct remote_opts {
	struct ssh_opts ssh;
	int sudo;
	int jobs;			/* hosts at once */
	int64_t host_timeout_ms;	/* whole collection of one host */
	const char *upload;		/* sftp:// URL, or NULL */
};

/* Collect every host; print the summary. Returns the number that failed. */
int remote_collect(const struct catalog *cat, const struct collect_opts *o,
		   const struct remote_opts *ro, char **hosts, size_t nhosts);

/*
 * The transport for collect_run() over an established connection: commands
 * run as "timeout -k 2 T [sudo -n] env -i LC_ALL=C PATH=... argv".
 */
void remote_transport(struct transport *t, struct ssh_conn *c, const struct ssh_target *tg,
		      int sudo);

/* sftp://[USER@]HOST[:PORT]/DIR into target spec and dir. */
int upload_parse_url(const char *url, struct ssh_target *t, char **dir, struct buf *err);
/* Upload a bundle and its .sha256; 0 or an error already printed. */
int upload_bundle(const char *bundle, const char *url, const struct ssh_opts *o);

/*
 * Fill o->password and o->passphrase from CASEFILE_SSH_PASSWORD and
 * CASEFILE_SSH_PASSPHRASE (removed from the environment) or from prompts on
 * the terminal (the password with ask_password, the passphrase when the key
 * is encrypted). The caller frees both with secret_free().
 */
int ssh_secrets(struct ssh_opts *o, int ask_password, char **password, char **passphrase);
/* 1 encrypted, 0 not, -1 unreadable */
int key_is_encrypted(const char *path);
/* Wipe and free. */
void secret_free(char *s);

#endif
