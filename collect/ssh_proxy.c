/*
 * ssh_proxy.c: a stream to the target through its ProxyJump or
 * ProxyCommand (see ssh_proxy.h). A jump host is reached through
 * `ssh -W`, so every hop before the target is OpenSSH's, its host keys
 * checked by OpenSSH; the target's key is checked by ssh_hostkey.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "casefile.h"
#include "ssh_proxy.h"
#include "text.h"

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
int ssh_proxy_argv(const struct ssh_target *t, const struct ssh_opts *o, char ***argv,
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
	if (ssh_openssh_path(prog, sizeof(prog))) {
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
	if ((r = ssh_proxy_argv(t, o, &argv, err)))
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
