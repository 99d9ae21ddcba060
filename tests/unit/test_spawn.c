/* test_spawn.c: the hardened spawner kills what runs too long */
#include <signal.h>
#include <unistd.h>
#include "unit.h"
#include "spawn.h"

static int run(const char *const *argv, int64_t timeout_ms, size_t cap,
	       struct spawn_result *r)
{
	struct spawn_opts o = { 0 };

	o.argv = argv;
	o.timeout_ms = timeout_ms;
	o.cap = cap;
	o.grace_ms = 300;
	spawn_result_init(r);
	return spawn_run(&o, r);
}

static void test_output_and_status(void **state)
{
	const char *argv[] = { "sh", "-c", "echo hello; echo oops >&2; exit 3", NULL };
	struct spawn_result r;

	(void)state;
	assert_int_equal(run(argv, 5000, 1024, &r), 0);
	assert_string_equal(r.out.data, "hello\n");
	assert_string_equal(r.err.data, "oops\n");
	assert_int_equal(r.status, 3);
	assert_false(r.timed_out);
	assert_string_equal(r.path, "/usr/bin/sh");
	spawn_result_release(&r);
}

static void test_environment_is_minimal(void **state)
{
	const char *argv[] = { "sh", "-c", "echo $LC_ALL:$CASEFILE_SECRET:$PATH", NULL };
	struct spawn_result r;

	(void)state;
	setenv("CASEFILE_SECRET", "leak", 1);
	assert_int_equal(run(argv, 5000, 1024, &r), 0);
	assert_string_equal(r.out.data, "C::" SPAWN_SAFE_PATH "\n");
	spawn_result_release(&r);
}

static void test_hung_group_is_killed(void **state)
{
	/* the child and its grandchild both hang; both must be gone */
	const char *argv[] = { "sh", "-c", "sleep 6711 & echo started; sleep 6712", NULL };
	struct spawn_result r;
	int64_t t0 = now_ms();

	(void)state;
	assert_int_equal(run(argv, 400, 1024, &r), 0);
	assert_true(r.timed_out);
	assert_string_equal(r.out.data, "started\n");
	assert_true(r.status == 128 + SIGTERM || r.status == 128 + SIGKILL);
	assert_true(now_ms() - t0 < 4000);
	usleep(100000);
	assert_int_not_equal(system("pgrep -f 'sleep 671[12]' >/dev/null"), 0);
	spawn_result_release(&r);
}

static void test_setsid_does_not_escape(void **state)
{
	/* a daemon that leaves the group, one that outlives a command that exits */
	const char *hung[] = { "sh", "-c", "setsid sleep 6813 & sleep 6814", NULL };
	const char *quick[] = { "sh", "-c", "setsid sh -c 'sleep 6815' & exit 0", NULL };
	struct spawn_result r;

	(void)state;
	assert_int_equal(spawn_subreaper(), 0);
	assert_int_equal(run(hung, 400, 1024, &r), 0);
	assert_true(r.timed_out);
	spawn_result_release(&r);
	assert_int_equal(run(quick, 5000, 1024, &r), 0);
	assert_int_equal(r.status, 0);
	spawn_result_release(&r);
	assert_int_not_equal(system("pgrep -f 'sleep 681[345]' >/dev/null"), 0);
}

static void test_term_ignored_gets_kill(void **state)
{
	const char *argv[] = { "sh", "-c", "trap '' TERM; while :; do sleep 0.05; done", NULL };
	struct spawn_result r;

	(void)state;
	assert_int_equal(run(argv, 200, 1024, &r), 0);
	assert_true(r.timed_out);
	assert_int_equal(r.status, 128 + SIGKILL);
	spawn_result_release(&r);
}

static void test_cap_keeps_the_end(void **state)
{
	const char *argv[] = { "sh", "-c",
		"i=0; while [ $i -lt 2000 ]; do echo line $i; i=$((i+1)); done", NULL };
	struct spawn_result r;

	(void)state;
	assert_int_equal(run(argv, 10000, 100, &r), 0);
	assert_true(r.dropped > 0);
	assert_true(r.out.len <= 100);
	assert_non_null(strstr(r.out.data, "line 1999\n"));
	assert_memory_equal(r.out.data, "line ", 5);
	spawn_result_release(&r);
}

static void test_missing_command(void **state)
{
	const char *argv[] = { "casefile-no-such-command", NULL };
	struct spawn_result r;

	(void)state;
	assert_int_equal(run(argv, 1000, 1024, &r), CF_ERR_NOTFOUND);
	spawn_result_release(&r);
}

static void test_stop_flag(void **state)
{
	const char *argv[] = { "sleep", "30", NULL };
	static volatile sig_atomic_t stop = 1;
	struct spawn_opts o = { 0 };
	struct spawn_result r;

	(void)state;
	o.argv = argv;
	o.timeout_ms = 30000;
	o.cap = 64;
	o.stop = &stop;
	spawn_result_init(&r);
	assert_int_equal(spawn_run(&o, &r), 0);
	assert_true(r.stopped);
	assert_true(r.duration_ms < 5000);
	spawn_result_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_output_and_status),
		cmocka_unit_test(test_environment_is_minimal),
		cmocka_unit_test(test_hung_group_is_killed),
		cmocka_unit_test(test_setsid_does_not_escape),
		cmocka_unit_test(test_term_ignored_gets_kill),
		cmocka_unit_test(test_cap_keeps_the_end),
		cmocka_unit_test(test_missing_command),
		cmocka_unit_test(test_stop_flag),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
