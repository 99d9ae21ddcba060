/*
 * ssh_target.c: which host to reach and how (see ssh.h): the host as the
 * engineer gives it ([USER@]HOST[:PORT]), then the user's own OpenSSH
 * set-up for it. We never parse ssh_config ourselves: `ssh -G HOST` prints
 * what ssh would use (Match, Include, defaults and all), and its lines are
 * taken as they are.
 */
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "casefile.h"
#include "spawn.h"
#include "ssh_target.h"
#include "text.h"

static const char *login_name(void)
{
	const char *u = getenv("USER");
	struct passwd *pw;

	if (u && *u)
		return u;
	pw = getpwuid(getuid());
	return pw ? pw->pw_name : "root";
}

int ssh_parse_target(const char *spec, struct ssh_target *t, struct buf *err)
{
	const char *at = strrchr(spec, '@'), *h = at ? at + 1 : spec, *colon;
	char *end;

	memset(t, 0, sizeof(*t));
	t->spec = xstrdup(spec);
	t->user = at ? xstrndup(spec, (size_t)(at - spec)) : xstrdup(login_name());
	t->port = 22;
	t->user_given = at != NULL;
	if (*h == '[') {
		const char *close = strchr(h, ']');

		if (!close) {
			buf_addf(err, "%s: missing ']' after the IPv6 address", spec);
			ssh_target_release(t);
			return CF_ERR_USAGE;
		}
		t->host = xstrndup(h + 1, (size_t)(close - h - 1));
		colon = close[1] == ':' ? close + 1 : NULL;
	} else {
		colon = strchr(h, ':');
		t->host = colon ? xstrndup(h, (size_t)(colon - h)) : xstrdup(h);
	}
	if (colon) {
		long p = strtol(colon + 1, &end, 10);

		if (*end || p < 1 || p > 65535) {
			buf_addf(err, "%s: '%s' is not a port", spec, colon + 1);
			ssh_target_release(t);
			return CF_ERR_USAGE;
		}
		t->port = (int)p;
		t->port_given = 1;
	}
	if (!*t->host || !*t->user) {
		buf_addf(err, "%s: expected [USER@]HOST[:PORT]", spec);
		ssh_target_release(t);
		return CF_ERR_USAGE;
	}
	t->alias = xstrdup(t->host);
	return 0;
}

void ssh_target_release(struct ssh_target *t)
{
	free(t->user);
	free(t->host);
	free(t->spec);
	free(t->alias);
	free(t->key_name);
	strv_free(t->identities);
	strv_free(t->known_hosts);
	strv_free(t->global_known);
	free(t->proxy_jump);
	free(t->proxy_command);
	free(t->strict);
	memset(t, 0, sizeof(*t));
}

int64_t ssh_connect_timeout(const struct ssh_target *t, const struct ssh_opts *o)
{
	return o->connect_timeout_ms ? o->connect_timeout_ms :
	       t->connect_timeout_ms ? t->connect_timeout_ms : 10000;
}

#define CONFIG_TIMEOUT_MS 5000

int ssh_openssh_path(char *out, size_t n)
{
	const char *env = getenv("CASEFILE_SSH");

	if (env && *env) {
		if (env[0] != '/' || access(env, X_OK))
			return CF_ERR_NOTFOUND;
		snprintf(out, n, "%s", env);
		return 0;
	}
	return spawn_resolve("ssh", out, n);
}

int ssh_have_openssh(void)
{
	char path[512];

	return !ssh_openssh_path(path, sizeof(path));
}

/* "~/x" as ssh means it: the home of the user we run as. */
static char *expand_home(const char *p)
{
	struct passwd *pw;
	struct buf b = BUF_INIT(0);

	if (p[0] != '~' || p[1] != '/')
		return xstrdup(p);
	pw = getpwuid(getuid());
	buf_addstr(&b, pw && pw->pw_dir ? pw->pw_dir : "/");
	buf_addstr(&b, p + 1);
	return buf_detach(&b, NULL);
}

static void push_words(char ***v, const char *value)
{
	char **w = strv_split(value, ' ');
	size_t i;

	for (i = 0; w && w[i]; i++)
		if (*w[i] && strcmp(w[i], "none"))
			strv_push(v, expand_home(w[i]));
	strv_free(w);
}

static void set_string(char **field, const char *value)
{
	free(*field);
	*field = strcmp(value, "none") ? xstrdup(value) : NULL;
}

/* One "key value" line of ssh -G into the target. */
static void take(struct ssh_target *t, const char *key, const char *value)
{
	if (!strcasecmp(key, "hostname")) {
		set_string(&t->host, value);
	} else if (!strcasecmp(key, "user")) {
		set_string(&t->user, value);
	} else if (!strcasecmp(key, "port")) {
		long p = strtol(value, NULL, 10);

		if (p > 0 && p < 65536)
			t->port = (int)p;
	} else if (!strcasecmp(key, "hostkeyalias")) {
		set_string(&t->key_name, value);
	} else if (!strcasecmp(key, "identityfile")) {
		push_words(&t->identities, value);
	} else if (!strcasecmp(key, "userknownhostsfile")) {
		push_words(&t->known_hosts, value);
	} else if (!strcasecmp(key, "globalknownhostsfile")) {
		push_words(&t->global_known, value);
	} else if (!strcasecmp(key, "connecttimeout")) {
		long s = strtol(value, NULL, 10);

		t->connect_timeout_ms = s > 0 ? (int64_t)s * 1000 : 0;
	} else if (!strcasecmp(key, "proxyjump")) {
		set_string(&t->proxy_jump, value);
	} else if (!strcasecmp(key, "proxycommand")) {
		set_string(&t->proxy_command, value);
	} else if (!strcasecmp(key, "stricthostkeychecking")) {
		set_string(&t->strict, value);
	} else if (!strcasecmp(key, "hashknownhosts")) {
		t->hash_known = !strcasecmp(value, "yes");
	}
}

void ssh_target_apply(struct ssh_target *t, char *text)
{
	char *line, *save = NULL;

	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *sp = strchr(line, ' ');

		if (sp) {
			*sp = '\0';
			take(t, line, sp + 1);
		}
	}
}

/* ssh's complaint, without its notes about terminals: one clean line. */
static void first_complaint(const struct buf *e, struct buf *out)
{
	const char *p = e->data, *end = e->data + e->len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p), next = len + 1;

		while (len && p[len - 1] == '\r')
			len--;
		if (len && !memmem(p, len, "Pseudo-terminal", 15)) {
			text_term_add(out, p, len);
			return;
		}
		p += next;
	}
	buf_addstr(out, "no reason given");
}

static int run_ssh_g(const char *prog, const struct ssh_opts *o, struct ssh_target *t,
		     struct buf *err)
{
	const char *argv[12];
	char port[16];
	struct spawn_opts so = { argv, CONFIG_TIMEOUT_MS, 256 * 1024, o->stop, 0 };
	struct spawn_result r;
	size_t n = 0;
	int rc = 0;

	argv[n++] = prog;
	argv[n++] = "-G";
	if (o->config) {
		argv[n++] = "-F";
		argv[n++] = o->config;
	}
	if (t->user_given) {
		argv[n++] = "-l";
		argv[n++] = t->user;
	}
	if (t->port_given) {
		snprintf(port, sizeof(port), "%d", t->port);
		argv[n++] = "-p";
		argv[n++] = port;
	}
	argv[n++] = "--";
	argv[n++] = t->host;
	argv[n] = NULL;
	spawn_result_init(&r);
	if (spawn_run(&so, &r) || r.status) {
		buf_addf(err, "%s: OpenSSH's configuration for '%s' (%s -G): ", t->spec, t->host,
			 prog);
		if (r.timed_out)
			buf_addstr(err, "no answer in 5 s");
		else
			first_complaint(&r.err, err);
		rc = CF_ERR_USAGE;
		goto out;
	}
	ssh_target_apply(t, r.out.data);
out:
	spawn_result_release(&r);
	return rc;
}

int ssh_resolve(const char *spec, const struct ssh_opts *o, struct ssh_target *t,
		struct buf *err)
{
	char prog[512];
	int r = ssh_parse_target(spec, t, err);

	if (r || o->no_config || ssh_openssh_path(prog, sizeof(prog)))
		return r;
	if (t->host[0] == '-') {
		buf_addf(err, "%s: a host name cannot start with '-'", spec);
		ssh_target_release(t);
		return CF_ERR_USAGE;
	}
	r = run_ssh_g(prog, o, t, err);
	if (r)
		ssh_target_release(t);
	return r;
}

