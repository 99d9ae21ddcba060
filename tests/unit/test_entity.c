/* test_entity.c: which names are one thing, kind by kind, and the causal order */
#include <jansson.h>
#include "unit.h"
#include "causality.h"
#include "entity.h"

static struct causality cz;

static int setup(void **state)
{
	struct buf err = BUF_INIT(0);
	int r = causality_load(&cz, NULL, &err);

	(void)state;
	if (r)
		fprintf(stderr, "%s", err.data);
	buf_release(&err);
	return r;
}

static int teardown(void **state)
{
	(void)state;
	causality_release(&cz);
	return 0;
}

static void canon_is(const char *kind, const char *v, const char *want)
{
	char out[128];

	entity_canonical(kind, v, out, sizeof(out));
	if (strcmp(out, want))
		fail_msg("%s '%s' is '%s', not '%s'", kind, v, out, want);
}

static void test_canonical_forms(void **state)
{
	(void)state;
	canon_is("unit", "postgresql@16-main.service", "postgresql");
	canon_is("unit", "php8.2-fpm.service", "php8.2-fpm");
	canon_is("unit", "var-lib-data.mount", "var-lib-data");
	canon_is("device", "/dev/sdb1", "sdb");
	canon_is("device", "sdd", "sdd");
	canon_is("device", "nvme0n1p2", "nvme0");
	canon_is("device", "nvme12", "nvme12");
	canon_is("device", "mmcblk0p1", "mmcblk0");
	canon_is("device", "dm-3", "dm-3");
	canon_is("device", "md127", "md127");
	canon_is("device", "/dev/mapper/mpatha", "mpatha");
	canon_is("peer", "10.0.0.5:2049", "10.0.0.5");
	canon_is("peer", "[fd00::5]:2049", "fd00::5");
	canon_is("peer", "fd00::5", "fd00::5");
	canon_is("peer", "filer01", "filer01");
	canon_is("process", "a-very-long-program-name", "a-very-long-pro");
	canon_is("mount", "/var/lib/", "/var/lib");
	canon_is("signal", "11", "SEGV");
	canon_is("signal", "SIGSEGV", "SEGV");
	canon_is("signal", "segfault", "SEGV");
	canon_is("signal", "trap invalid opcode", "ILL");
	canon_is("signal", "6", "ABRT");
}

/* shared(a, b): the reason, or NULL when they name nothing in common */
static char *shared(struct entity_map *m, const char *a, const char *b)
{
	static char *const kinds[] = { "unit", "process", "pid", "device", "mount", "interface",
		"peer", "path", NULL };
	json_t *ja = json_loads(a, 0, NULL), *jb = json_loads(b, 0, NULL);
	struct buf why = BUF_INIT(0);
	int r;

	assert_non_null(ja);
	assert_non_null(jb);
	r = entity_map_shared(m, ja, jb, kinds, &why);
	json_decref(ja);
	json_decref(jb);
	if (!r) {
		buf_release(&why);
		return NULL;
	}
	return buf_detach(&why, NULL);
}

static void expect_shared(struct entity_map *m, const char *a, const char *b, const char *why)
{
	char *got = shared(m, a, b);

	if (!got || strcmp(got, why))
		fail_msg("%s and %s: '%s', expected '%s'", a, b, got ? got : "(nothing)", why);
	free(got);
}

static void expect_apart(struct entity_map *m, const char *a, const char *b)
{
	char *got = shared(m, a, b);

	if (got)
		fail_msg("%s and %s share: %s", a, b, got);
}

static void test_units_and_programs(void **state)
{
	struct entity_map *m = entity_map_new(&cz);

	(void)state;
	expect_shared(m, "{\"unit\": [\"nginx.service\"]}", "{\"unit\": [\"nginx\"]}",
		      "same unit nginx.service");
	expect_shared(m, "{\"process\": [\"postgres\"]}",
		      "{\"unit\": [\"postgresql@16-main.service\"]}",
		      "postgres runs postgresql@16-main.service");
	/* by rules/entities.yaml, where the names differ */
	expect_shared(m, "{\"process\": [\"mysqld\"]}", "{\"unit\": [\"mariadb.service\"]}",
		      "mysqld runs mariadb.service");
	expect_shared(m, "{\"unit\": [\"apache2.service\"]}", "{\"process\": [\"httpd\"]}",
		      "httpd runs apache2.service");
	/* a runtime's name says nothing; nor a supervisor's */
	/* versions and punctuation aside: Debian's php-fpm8.2 is php8.2-fpm.service */
	expect_shared(m, "{\"process\": [\"php-fpm8.2\"]}", "{\"unit\": [\"php8.2-fpm.service\"]}",
		      "php-fpm8.2 runs php8.2-fpm.service");
	expect_apart(m, "{\"process\": [\"java\"]}", "{\"unit\": [\"javalin.service\"]}");
	expect_apart(m, "{\"process\": [\"systemd\"]}", "{\"unit\": [\"systemd-udevd.service\"]}");
	expect_apart(m, "{\"unit\": [\"nginx.service\"]}", "{\"unit\": [\"apache2.service\"]}");
	entity_map_free(m);
}

static void test_pids_joined_by_lines(void **state)
{
	struct entity_map *m = entity_map_new(&cz);

	(void)state;
	expect_apart(m, "{\"pid\": [\"4180\"]}", "{\"unit\": [\"checkout.service\"]}");
	/* the OOM killer's line named pid, process and cgroup unit together */
	entity_map_join(m, "pid", "4180", "unit", "checkout.service");
	entity_map_join(m, "pid", "4180", "process", "node");
	expect_shared(m, "{\"pid\": [\"4180\"]}", "{\"unit\": [\"checkout.service\"]}",
		      "pid 4180 is unit checkout.service");
	expect_shared(m, "{\"process\": [\"node\"]}", "{\"unit\": [\"checkout.service\"]}",
		      "process node is unit checkout.service");
	expect_shared(m, "{\"pid\": [\"4180\"]}", "{\"pid\": [\"4180\"]}", "same pid 4180");
	expect_apart(m, "{\"pid\": [\"4181\"]}", "{\"unit\": [\"checkout.service\"]}");
	entity_map_free(m);
}

static void test_devices_mounts_paths(void **state)
{
	struct entity_map *m = entity_map_new(&cz);

	(void)state;
	expect_shared(m, "{\"device\": [\"sdd\"]}", "{\"device\": [\"sdd1\"]}", "same device sdd");
	expect_shared(m, "{\"device\": [\"/dev/nvme0n1\"]}", "{\"device\": [\"nvme0n1p3\"]}",
		      "same device /dev/nvme0n1");
	/* a namespace is its controller's: a reset of nvme0 reaches nvme0n1p3 */
	expect_shared(m, "{\"device\": [\"nvme0\"]}", "{\"device\": [\"nvme0n1p3\"]}",
		      "same device nvme0");
	expect_apart(m, "{\"device\": [\"sdd\"]}", "{\"device\": [\"sde\"]}");
	/* a multipath map and a path under it, a mount and its device: said by lines */
	entity_map_join(m, "device", "dm-2", "device", "sdd");
	entity_map_join(m, "device", "dm-2", "mount", "/srv/data");
	expect_shared(m, "{\"device\": [\"sdd\"]}", "{\"mount\": [\"/srv/data\"]}",
		      "device sdd is mount /srv/data");
	expect_shared(m, "{\"mount\": [\"/var/lib/pgsql\"]}",
		      "{\"path\": [\"/var/lib/pgsql/data/base/1\"]}",
		      "/var/lib/pgsql/data/base/1 is on /var/lib/pgsql");
	expect_apart(m, "{\"mount\": [\"/\"]}", "{\"path\": [\"/var/log/x\"]}");
	expect_apart(m, "{\"mount\": [\"/var/lib\"]}", "{\"path\": [\"/var/library/x\"]}");
	entity_map_free(m);
}

static void test_interfaces_and_peers(void **state)
{
	struct entity_map *m = entity_map_new(&cz);

	(void)state;
	expect_shared(m, "{\"interface\": [\"eth0\"]}", "{\"interface\": [\"eth0\"]}",
		      "same interface eth0");
	expect_apart(m, "{\"interface\": [\"eth0\"]}", "{\"interface\": [\"eth1\"]}");
	entity_map_join(m, "interface", "bond0", "interface", "eth1");
	expect_shared(m, "{\"interface\": [\"eth1\"]}", "{\"interface\": [\"bond0\"]}",
		      "interface eth1 is interface bond0");
	expect_shared(m, "{\"peer\": [\"10.0.0.5:2049\"]}", "{\"peer\": [\"10.0.0.5\"]}",
		      "same peer 10.0.0.5:2049");
	entity_map_join(m, "peer", "filer01", "peer", "10.0.0.5");
	expect_shared(m, "{\"peer\": [\"filer01\"]}", "{\"peer\": [\"10.0.0.5:2049\"]}",
		      "peer filer01 is peer 10.0.0.5:2049");
	entity_map_free(m);
}

static void test_line_subject(void **state)
{
	static const char bsd[] = "Nov 20 03:12:09 web1 nginx[812]: open() failed (13: Permission "
		"denied)";
	static const char iso[] = "2026-11-20T03:12:09.123+01:00 db1 postgres[4180]: FATAL: x";
	static const char sup[] = "Nov 20 03:12:09 db1 systemd[1]: nginx.service: Failed";
	static const char kern[] = "Nov 20 03:12:09 db1 kernel: oom-kill:constraint=CONSTRAINT_NONE,"
		"task_memcg=/system.slice/system-postgresql.slice/postgresql@16-main.service,"
		"task=postgres,pid=4180";
	struct line_subject ls;

	(void)state;
	entity_line_subject(&cz, bsd, strlen(bsd), &ls);
	assert_string_equal(ls.process, "nginx");
	assert_string_equal(ls.pid, "812");
	entity_line_subject(&cz, iso, strlen(iso), &ls);
	assert_string_equal(ls.process, "postgres");
	assert_string_equal(ls.pid, "4180");
	entity_line_subject(&cz, "Nov 20 03:12:09 mx1 postfix/smtpd[4711]: warning: x", 49, &ls);
	assert_string_equal(ls.process, "postfix");
	assert_string_equal(ls.pid, "4711");
	entity_line_subject(&cz, sup, strlen(sup), &ls);
	assert_string_equal(ls.process, "");
	assert_string_equal(ls.pid, "");
	entity_line_subject(&cz, kern, strlen(kern), &ls);
	assert_string_equal(ls.process, "");
	assert_string_equal(ls.unit, "postgresql@16-main.service");
	entity_line_subject(&cz, "[12345.678] sd 2:0:0:0: [sdd] tag#3 FAILED", 41, &ls);
	assert_string_equal(ls.process, "");
}

static void test_causal_order(void **state)
{
	(void)state;
	assert_true(causality_tier(&cz, "hardware.mce") < causality_tier(&cz, "storage.io-error"));
	/* a whole name before its area: iSCSI is a transport, not "storage.*" */
	assert_true(causality_tier(&cz, "storage.iscsi") < causality_tier(&cz, "storage.io-error"));
	assert_true(causality_tier(&cz, "storage.io-error") < causality_tier(&cz, "storage.multipath"));
	assert_true(causality_tier(&cz, "storage.multipath") < causality_tier(&cz, "storage.fs-error"));
	assert_true(causality_tier(&cz, "storage.io-error") < causality_tier(&cz, "kernel.hung-task"));
	assert_true(causality_tier(&cz, "security.mac-denial") < causality_tier(&cz, "app.nginx"));
	assert_true(causality_tier(&cz, "process.coredump") < causality_tier(&cz, "service.unit-failed"));
	assert_true(causality_tier(&cz, "app.postgresql") < causality_tier(&cz, "service.crash-loop"));
	/* a crash comes before what the program logs of it, and before its unit */
	assert_true(causality_tier(&cz, "process.segfault") < causality_tier(&cz, "app.apache"));
	assert_true(causality_tier(&cz, "network.tx-timeout") < causality_tier(&cz, "network.link-down"));
	assert_true(causality_tier(&cz, "storage.fs-error") < causality_tier(&cz, "storage.fs-readonly"));
	assert_int_equal(causality_tier(&cz, "kernel.tainted"), -1);
	assert_int_equal(causality_tier(&cz, "logging.rate-limited"), -1);
	assert_true(causality_is_runtime(&cz, "python3.11"));
	assert_false(causality_is_runtime(&cz, "php-fpm8.2"));
	assert_true(causality_is_supervisor(&cz, "systemd"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_canonical_forms),
		cmocka_unit_test(test_units_and_programs),
		cmocka_unit_test(test_pids_joined_by_lines),
		cmocka_unit_test(test_devices_mounts_paths),
		cmocka_unit_test(test_interfaces_and_peers),
		cmocka_unit_test(test_line_subject),
		cmocka_unit_test(test_causal_order),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
