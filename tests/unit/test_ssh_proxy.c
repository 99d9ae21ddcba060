/*
 * test_ssh_proxy.c: the command line of a target's proxy (ProxyCommand's
 * tokens, ProxyJump's ssh -W), what a failed proxy said, and a real proxy
 * started, used as a stream and stopped (ssh_proxy.c)
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "unit.h"
#include "ssh_proxy.h"

static void target(struct ssh_target *t, const char *host, int port)
{
	memset(t, 0, sizeof(*t));
	t->host = xstrdup(host);
	t->port = port;
	t->user = xstrdup("bob");
	t->alias = xstrdup("dbalias");
	t->spec = xstrdup("dbalias");
}

/* argv as one line, words between '|' */
static char *joined(char **argv)
{
	struct buf b = BUF_INIT(0);
	char **w;

	for (w = argv; w && *w; w++)
		buf_addf(&b, "%s%s", w == argv ? "" : "|", *w);
	return buf_detach(&b, NULL);
}

static void test_proxy_command(void **state)
{
	struct ssh_target t;
	struct ssh_opts o = { 0 };
	struct buf err = BUF_INIT(0);
	char **argv = NULL, *line;

	(void)state;
	target(&t, "10.0.0.1", 2222);
	t.proxy_command = xstrdup("nc -X connect %h %p # %r %n 100%%");
	assert_int_equal(ssh_proxy_argv(&t, &o, &argv, &err), 0);
	line = joined(argv);
	assert_string_equal(line, "/bin/sh|-c|nc -X connect 10.0.0.1 2222 # bob dbalias 100%");
	free(line);
	strv_free(argv);
	argv = NULL;

	/* a token we do not know is refused, not guessed */
	free(t.proxy_command);
	t.proxy_command = xstrdup("ssh -W %h:%p -S %C jump");
	assert_int_equal(ssh_proxy_argv(&t, &o, &argv, &err), CF_ERR_USAGE);
	assert_string_equal(err.data, "dbalias: ProxyCommand: token '%C' is not supported "
			    "(%h %p %r %n %% are)");
	assert_null(argv);
	buf_reset(&err);
	free(t.proxy_command);
	t.proxy_command = xstrdup("nc %h %");
	assert_int_equal(ssh_proxy_argv(&t, &o, &argv, &err), CF_ERR_USAGE);
	assert_non_null(strstr(err.data, "token '% ' is not supported"));
	ssh_target_release(&t);
	buf_release(&err);
}

static void test_proxy_jump(void **state)
{
	struct ssh_target t;
	struct ssh_opts o = { 0 };
	struct buf err = BUF_INIT(0);
	char **argv = NULL, *line;

	(void)state;
	setenv("CASEFILE_SSH", "/bin/true", 1);
	target(&t, "10.0.0.1", 2222);
	t.proxy_jump = xstrdup("jump");
	assert_int_equal(ssh_proxy_argv(&t, &o, &argv, &err), 0);
	line = joined(argv);
	assert_string_equal(line, "/bin/true|-oBatchMode=yes|-oLogLevel=ERROR|"
			    "-oConnectTimeout=10|-W|10.0.0.1:2222|--|jump");
	free(line);
	strv_free(argv);
	argv = NULL;

	/* several hops: the last one is ssh's target, the others its -J; -F goes too */
	free(t.proxy_jump);
	t.proxy_jump = xstrdup("a@first:2200,second,third");
	o.config = "/cfg";
	o.connect_timeout_ms = 2500;	/* whole seconds, rounded up */
	assert_int_equal(ssh_proxy_argv(&t, &o, &argv, &err), 0);
	line = joined(argv);
	assert_string_equal(line, "/bin/true|-F|/cfg|-oBatchMode=yes|-oLogLevel=ERROR|"
			    "-oConnectTimeout=3|-W|10.0.0.1:2222|-J|a@first:2200,second|--|third");
	free(line);
	strv_free(argv);
	argv = NULL;
	ssh_target_release(&t);

	/* an IPv6 target in brackets */
	target(&t, "fe80::1", 22);
	t.proxy_jump = xstrdup("jump");
	o.config = NULL;
	assert_int_equal(ssh_proxy_argv(&t, &o, &argv, &err), 0);
	line = joined(argv);
	assert_non_null(strstr(line, "|-W|[fe80::1]:22|--|jump"));
	free(line);
	strv_free(argv);
	argv = NULL;

	/* no ssh to jump with */
	setenv("CASEFILE_SSH", "/nonexistent/ssh", 1);
	assert_int_equal(ssh_proxy_argv(&t, &o, &argv, &err), CF_ERR_NOTFOUND);
	assert_string_equal(err.data, "dbalias: ProxyJump jump needs ssh(1), which is not "
			    "installed");
	unsetenv("CASEFILE_SSH");
	ssh_target_release(&t);
	buf_release(&err);
}

static void test_proxy_said(void **state)
{
	static const char said[] = "debug1: something\r\nchannel 0: open failed: "
				   "connect failed: No route\x1b[2J\n\n";
	struct buf b = BUF_INIT(0);
	int pe[2];

	(void)state;
	assert_int_equal(pipe2(pe, O_NONBLOCK), 0);
	assert_int_equal(write(pe[1], said, sizeof(said) - 1), (ssize_t)sizeof(said) - 1);
	close(pe[1]);
	ssh_proxy_said(pe[0], &b);
	/* its last line, and nothing in it may act on a terminal */
	assert_string_equal(b.data, " (the proxy said: channel 0: open failed: connect failed: "
			    "No route\\x1b[2J)");
	close(pe[0]);
	buf_reset(&b);
	ssh_proxy_said(-1, &b);
	assert_int_equal(b.len, 0);
	buf_release(&b);
}

/* A ProxyCommand that echoes: the stream is the proxy's stdin and stdout. */
static void test_proxy_stream(void **state)
{
	struct ssh_target t;
	struct ssh_opts o = { 0 };
	struct buf err = BUF_INIT(0);
	struct pollfd p;
	char got[16] = "";
	int sock, errfd, st;
	pid_t pid;
	ssize_t n = -1;

	(void)state;
	target(&t, "10.0.0.1", 22);
	t.proxy_command = xstrdup("echo proxy up >&2; exec cat");
	assert_int_equal(ssh_proxy_start(&t, &o, &sock, &pid, &errfd, &err), 0);
	assert_true(pid > 0);
	assert_int_equal(write(sock, "hello", 5), 5);
	p.fd = sock;
	p.events = POLLIN;
	assert_int_equal(poll(&p, 1, 10000), 1);
	n = read(sock, got, sizeof(got) - 1);
	assert_int_equal(n, 5);
	assert_string_equal(got, "hello");
	ssh_proxy_stop(pid);
	/* reaped: no child of ours left */
	assert_int_equal(waitpid(pid, &st, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
	ssh_proxy_said(errfd, &err);
	assert_string_equal(err.data, " (the proxy said: proxy up)");
	close(sock);
	close(errfd);
	ssh_target_release(&t);
	buf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proxy_command),
		cmocka_unit_test(test_proxy_jump),
		cmocka_unit_test(test_proxy_said),
		cmocka_unit_test(test_proxy_stream),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
