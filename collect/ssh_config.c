/*
 * ssh_config.c: the user's own OpenSSH set-up for the SSH transport (see
 * ssh.h). We never parse ssh_config ourselves: `ssh -G HOST` prints what ssh
 * would use (Match, Include, defaults and all), and a jump host is reached
 * through `ssh -W`, so every hop before the target is OpenSSH's, its host
 * keys checked by OpenSSH; the target's key is checked by ssh.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "casefile.h"
#include "spawn.h"
#include "ssh.h"
#include "text.h"

#define CONFIG_TIMEOUT_MS 5000

static int openssh_path(char *out, size_t n)
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

	return !openssh_path(path, sizeof(path));
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
	char *line, *save = NULL;
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
	for (line = strtok_r(r.out.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *sp = strchr(line, ' ');

		if (sp) {
			*sp = '\0';
			take(t, line, sp + 1);
		}
	}
out:
	spawn_result_release(&r);
	return rc;
}

int ssh_resolve(const char *spec, const struct ssh_opts *o, struct ssh_target *t,
		struct buf *err)
{
	char prog[512];
	int r = ssh_parse_target(spec, t, err);

	if (r || o->no_config || openssh_path(prog, sizeof(prog)))
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

/* ProxyCommand's %h %p %r %n %%; any other token is refused, not guessed. */
static int expand_command(const struct ssh_target *t, const char *alias, struct buf *out,
			  struct buf *err)
{
	const char *p;

	for (p = t->proxy_command; *p; p++) {
		if (*p != '%') {
			buf_addch(out, *p);
			continue;
		}
		switch (*++p) {
		case 'h': buf_addstr(out, t->host); break;
		case 'p': buf_addf(out, "%d", t->port); break;
		case 'r': buf_addstr(out, t->user); break;
		case 'n': buf_addstr(out, alias); break;
		case '%': buf_addch(out, '%'); break;
		default:
			buf_addf(err, "%s: ProxyCommand: token '%%%c' is not supported (%%h %%p "
				 "%%r %%n %%%% are)", t->spec, *p ? *p : ' ');
			return CF_ERR_USAGE;
		}
		if (!*p)
			break;
	}
	return 0;
}

/* The proxy's command line: ssh -W to the last jump host, via the others. */
static int proxy_argv(const struct ssh_target *t, const struct ssh_opts *o, char ***argv,
		      struct buf *err)
{
	char prog[512];
	struct buf b = BUF_INIT(0);

	if (t->proxy_command) {
		if (expand_command(t, t->alias, &b, err)) {
			buf_release(&b);
			return CF_ERR_USAGE;
		}
		strv_push(argv, xstrdup("/bin/sh"));
		strv_push(argv, xstrdup("-c"));
		strv_push(argv, buf_detach(&b, NULL));
		return 0;
	}
	if (openssh_path(prog, sizeof(prog))) {
		buf_addf(err, "%s: ProxyJump %s needs ssh(1), which is not installed", t->spec,
			 t->proxy_jump);
		return CF_ERR_NOTFOUND;
	}
	strv_push(argv, xstrdup(prog));
	if (o->config) {
		strv_push(argv, xstrdup("-F"));
		strv_push(argv, xstrdup(o->config));
	}
	strv_push(argv, xstrdup("-oBatchMode=yes"));
	strv_push(argv, xstrdup("-oLogLevel=ERROR"));
	buf_addf(&b, "-oConnectTimeout=%lld", (long long)(ssh_connect_timeout(t, o) + 999) / 1000);
	strv_push(argv, buf_detach(&b, NULL));
	strv_push(argv, xstrdup("-W"));
	buf_addf(&b, strchr(t->host, ':') ? "[%s]:%d" : "%s:%d", t->host, t->port);
	strv_push(argv, buf_detach(&b, NULL));
	{
		const char *last = strrchr(t->proxy_jump, ',');

		if (last) {
			strv_push(argv, xstrdup("-J"));
			strv_push(argv, xstrndup(t->proxy_jump, (size_t)(last - t->proxy_jump)));
		}
		strv_push(argv, xstrdup("--"));
		strv_push(argv, xstrdup(last ? last + 1 : t->proxy_jump));
	}
	return 0;
}

int ssh_proxy_start(const struct ssh_target *t, const struct ssh_opts *o, int *sock,
		    pid_t *pid, int *errfd, struct buf *err)
{
	char **argv = NULL;
	int sv[2] = { -1, -1 }, pe[2] = { -1, -1 }, r;

	*sock = *errfd = -1;
	*pid = 0;
	if ((r = proxy_argv(t, o, &argv, err)))
		goto out;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) ||
	    pipe2(pe, O_CLOEXEC | O_NONBLOCK)) {
		buf_addf(err, "%s: cannot start the proxy: %s", t->spec, strerror(errno));
		r = CF_ERR_IO;
		goto out;
	}
	*pid = fork();
	if (*pid < 0) {
		buf_addf(err, "%s: cannot start the proxy: %s", t->spec, strerror(errno));
		*pid = 0;
		r = CF_ERR_IO;
		goto out;
	}
	if (*pid == 0) {
		/* the proxy: its stdin and stdout are our stream, stderr our pipe */
		if (dup2(sv[1], 0) < 0 || dup2(sv[1], 1) < 0 || dup2(pe[1], 2) < 0)
			_exit(127);
		execv(argv[0], argv);
		_exit(127);
	}
	*sock = sv[0];
	sv[0] = -1;
	*errfd = pe[0];
	pe[0] = -1;
	fcntl(*sock, F_SETFL, fcntl(*sock, F_GETFL) | O_NONBLOCK);
out:
	if (sv[0] >= 0)
		close(sv[0]);
	if (sv[1] >= 0)
		close(sv[1]);
	if (pe[0] >= 0)
		close(pe[0]);
	if (pe[1] >= 0)
		close(pe[1]);
	strv_free(argv);
	return r;
}

void ssh_proxy_stop(pid_t pid)
{
	struct timespec tick = { 0, 20 * 1000 * 1000 };
	int i, status;

	if (pid <= 0)
		return;
	kill(pid, SIGTERM);
	for (i = 0; i < 50; i++) {
		if (waitpid(pid, &status, WNOHANG) != 0)
			return;
		nanosleep(&tick, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
}

void ssh_proxy_said(int errfd, struct buf *b)
{
	char said[2048];
	ssize_t n;
	size_t len = 0;
	struct buf all = BUF_INIT(0);

	if (errfd < 0)
		return;
	while (len < sizeof(said) && (n = read(errfd, said, sizeof(said) - len)) > 0) {
		buf_add(&all, said, (size_t)n);
		len += (size_t)n;
	}
	while (all.len && (all.data[all.len - 1] == '\n' || all.data[all.len - 1] == '\r'))
		all.data[--all.len] = '\0';
	if (all.len) {
		const char *nl = strrchr(all.data, '\n');

		buf_addstr(b, " (the proxy said: ");
		nl = nl ? nl + 1 : all.data;
		text_term_add(b, nl, strlen(nl));
		buf_addch(b, ')');
	}
	buf_release(&all);
}
