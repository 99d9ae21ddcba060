/*
 * test_ssh_target.c: the host as the engineer gives it ([USER@]HOST[:PORT])
 * and what `ssh -G` says of it (ssh_target.c), without a network: ssh is a
 * script of the test's own that answers as OpenSSH's does
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "unit.h"
#include "ssh_target.h"

#define dir unit_dir

static void test_targets(void **state)
{
	static const struct {
		const char *spec, *user, *host;
		int port, user_given, port_given;
	} ok[] = {
		{ "db1", "alice", "db1", 22, 0, 0 },
		{ "bob@db1", "bob", "db1", 22, 1, 0 },
		{ "bob@db1:2222", "bob", "db1", 2222, 1, 1 },
		{ "10.0.0.5:65535", "alice", "10.0.0.5", 65535, 0, 1 },
		{ "[::1]:2200", "alice", "::1", 2200, 0, 1 },
		{ "root@[fe80::1]", "root", "fe80::1", 22, 1, 0 },
		/* the last '@' splits: a user name may hold one */
		{ "a@b@db1", "a@b", "db1", 22, 1, 0 },
	};
	struct ssh_target t;
	struct buf err = BUF_INIT(0);
	size_t i;

	(void)state;
	setenv("USER", "alice", 1);
	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		assert_int_equal(ssh_parse_target(ok[i].spec, &t, &err), 0);
		assert_string_equal(t.user, ok[i].user);
		assert_string_equal(t.host, ok[i].host);
		assert_string_equal(t.alias, ok[i].host);
		assert_string_equal(t.spec, ok[i].spec);
		assert_int_equal(t.port, ok[i].port);
		assert_int_equal(t.user_given, ok[i].user_given);
		assert_int_equal(t.port_given, ok[i].port_given);
		ssh_target_release(&t);
	}
	assert_int_equal(err.len, 0);
	buf_release(&err);
}

static void test_bad_targets(void **state)
{
	static const struct {
		const char *spec, *why;
	} bad[] = {
		{ "[::1:22", "[::1:22: missing ']' after the IPv6 address" },
		{ "db1:0", "db1:0: '0' is not a port" },
		{ "db1:65536", "db1:65536: '65536' is not a port" },
		{ "db1:22x", "db1:22x: '22x' is not a port" },
		{ "db1:", "db1:: '' is not a port" },
		{ "bob@", "bob@: expected [USER@]HOST[:PORT]" },
		{ "@db1", "@db1: expected [USER@]HOST[:PORT]" },
		{ "", ": expected [USER@]HOST[:PORT]" },
	};
	struct ssh_target t;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct buf err = BUF_INIT(0);

		assert_int_equal(ssh_parse_target(bad[i].spec, &t, &err), CF_ERR_USAGE);
		assert_string_equal(err.data, bad[i].why);
		/* released on the way out: nothing to free, nothing left set */
		assert_null(t.host);
		assert_null(t.spec);
		buf_release(&err);
	}
}

static void test_ssh_g_lines(void **state)
{
	char text[] =
		"host dbalias\n"
		"HostName 10.1.2.3\n"
		"user bob\n"
		"port 2200\n"
		"identityfile ~/.ssh/id_ed25519\n"
		"identityfile /keys/a /keys/b none\n"
		"userknownhostsfile /kh/one /kh/two\n"
		"globalknownhostsfile /etc/ssh/ssh_known_hosts\n"
		"hostkeyalias db-key\n"
		"connecttimeout 7\n"
		"proxyjump none\n"
		"proxycommand ssh -W %h:%p jump\n"
		"stricthostkeychecking accept-new\n"
		"hashknownhosts yes\n"
		"port 0\n"			/* not a port: the one before stays */
		"novalue\n"
		"\n"
		"compression no\n";
	struct ssh_target t;
	struct buf err = BUF_INIT(0);
	char home[4096];

	(void)state;
	assert_int_equal(ssh_parse_target("dbalias", &t, &err), 0);
	t.proxy_jump = xstrdup("stale");
	ssh_target_apply(&t, text);
	assert_string_equal(t.host, "10.1.2.3");
	assert_string_equal(t.alias, "dbalias");
	assert_string_equal(t.user, "bob");
	assert_int_equal(t.port, 2200);
	assert_int_equal(strv_len(t.identities), 3);
	/* "~/" is the home of the user we run as, "none" is no file */
	snprintf(home, sizeof(home), "%s/.ssh/id_ed25519", getpwuid(getuid())->pw_dir);
	assert_string_equal(t.identities[0], home);
	assert_string_equal(t.identities[1], "/keys/a");
	assert_string_equal(t.identities[2], "/keys/b");
	assert_int_equal(strv_len(t.known_hosts), 2);
	assert_string_equal(t.known_hosts[1], "/kh/two");
	assert_string_equal(t.global_known[0], "/etc/ssh/ssh_known_hosts");
	assert_string_equal(t.key_name, "db-key");
	assert_int_equal(t.connect_timeout_ms, 7000);
	assert_null(t.proxy_jump);	/* "none" unsets */
	assert_string_equal(t.proxy_command, "ssh -W %h:%p jump");
	assert_string_equal(t.strict, "accept-new");
	assert_true(t.hash_known);
	ssh_target_release(&t);
	buf_release(&err);
}

static void test_connect_timeout(void **state)
{
	struct ssh_target t = { 0 };
	struct ssh_opts o = { 0 };

	(void)state;
	assert_int_equal(ssh_connect_timeout(&t, &o), 10000);
	t.connect_timeout_ms = 7000;
	assert_int_equal(ssh_connect_timeout(&t, &o), 7000);
	o.connect_timeout_ms = 3000;	/* --connect-timeout wins */
	assert_int_equal(ssh_connect_timeout(&t, &o), 3000);
}

/* A stand-in for ssh: its arguments to DIR/args, then ANSWER on stdout, exit RC. */
static void fake_ssh(const char *answer, const char *complaint, int rc)
{
	struct buf path = BUF_INIT(0);
	FILE *f;

	buf_addf(&path, "%s/ssh", dir);
	f = fopen(path.data, "w");
	assert_non_null(f);
	fprintf(f, "#!/bin/sh\nfor a; do echo \"$a\"; done >'%s/args'\n"
		"printf '%%s' '%s'\nprintf '%%s' '%s' >&2\nexit %d\n", dir, answer, complaint, rc);
	fclose(f);
	chmod(path.data, 0700);
	setenv("CASEFILE_SSH", path.data, 1);
	buf_release(&path);
}

static char *fake_args(void)
{
	struct buf path = BUF_INIT(0), args = BUF_INIT(4096);

	buf_addf(&path, "%s/args", dir);
	assert_int_equal(buf_read_file(&args, path.data), 0);
	buf_release(&path);
	return buf_detach(&args, NULL);
}

static void test_resolve(void **state)
{
	struct ssh_opts o = { 0 };
	struct ssh_target t;
	struct buf err = BUF_INIT(0);
	char *args;

	(void)state;
	fake_ssh("hostname 10.9.9.9\nuser carol\nport 2022\nproxyjump jump1,jump2\n", "", 0);
	o.config = "/cfg/ssh_config";
	assert_true(ssh_have_openssh());
	/* a user and a port given win: they go to ssh -G as -l and -p */
	assert_int_equal(ssh_resolve("dave@dbalias:2200", &o, &t, &err), 0);
	args = fake_args();
	assert_string_equal(args, "-G\n-F\n/cfg/ssh_config\n-l\ndave\n-p\n2200\n--\ndbalias\n");
	assert_string_equal(t.host, "10.9.9.9");
	assert_string_equal(t.user, "carol");	/* what ssh says it would use */
	assert_string_equal(t.proxy_jump, "jump1,jump2");
	free(args);
	ssh_target_release(&t);

	/* --no-ssh-config: as given, ssh is not asked */
	o.no_config = 1;
	assert_int_equal(ssh_resolve("dbalias", &o, &t, &err), 0);
	assert_string_equal(t.host, "dbalias");
	ssh_target_release(&t);
	o.no_config = 0;

	/* a host that ssh would read as an option is refused */
	assert_int_equal(ssh_resolve("-oProxyCommand=x", &o, &t, &err), CF_ERR_USAGE);
	assert_non_null(strstr(err.data, "a host name cannot start with '-'"));
	buf_reset(&err);

	/* ssh's complaint, its terminal notes left out, one clean line */
	fake_ssh("", "Pseudo-terminal will not be allocated\n/cfg/ssh_config: line 2: "
		 "Bad configuration option: bogus\x1b[31m\n", 255);
	assert_int_equal(ssh_resolve("x", &o, &t, &err), CF_ERR_USAGE);
	assert_non_null(strstr(err.data, "x: OpenSSH's configuration for 'x' ("));
	assert_non_null(strstr(err.data, " -G): /cfg/ssh_config: line 2: Bad configuration "
			       "option: bogus\\x1b[31m"));
	assert_null(strchr(err.data, '\x1b'));
	buf_reset(&err);

	/* no ssh at all: the host as given */
	setenv("CASEFILE_SSH", "/nonexistent/ssh", 1);
	assert_false(ssh_have_openssh());
	assert_int_equal(ssh_resolve("bob@db9", &o, &t, &err), 0);
	assert_string_equal(t.host, "db9");
	ssh_target_release(&t);
	unsetenv("CASEFILE_SSH");
	buf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_targets),
		cmocka_unit_test(test_bad_targets),
		cmocka_unit_test(test_ssh_g_lines),
		cmocka_unit_test(test_connect_timeout),
		cmocka_unit_test(test_resolve),
	};

	return cmocka_run_group_tests(tests, unit_dir_setup, unit_dir_teardown);
}
