/* test_engine.c: rules over lines: thresholds, windows, tables, facts, causes */
#include "unit.h"
#include "catalog.h"
#include "causality.h"
#include "engine.h"
#include "rules.h"

#define cat unit_cat

static void parse(struct rule *r, const char *yaml)
{
	struct buf err = BUF_INIT(0);

	if (rule_parse(r, "t.yaml", yaml, strlen(yaml), &cat, &err))
		fail_msg("rule does not parse: %s", err.data);
	buf_release(&err);
}

static void feed(struct engine *e, const char *source, const char *text)
{
	const struct source *s = catalog_find(&cat, source);

	assert_non_null(s);
	engine_begin_source(e, (size_t)(s - cat.items), source, 1796000000);
	engine_lines(e, text, strlen(text), 1);
}

#define HEAD(id, cat_, sev) "id: " id "\ntitle: t\ncategory: " cat_ "\nseverity: " sev "\n"

static void test_cause_explains_symptom(void **state)
{
	struct rule r[2];
	struct engine *e;
	struct finding *f;
	size_t n;

	(void)state;
	parse(&r[0], HEAD("unit-died", "service.unit-failed", "high")
	      "sources: [syslog]\npatterns: ['(?<unit>\\S+)\\.service: Failed']\n"
	      "explanation: '{unit} died {times} {span}'\n");
	parse(&r[1], HEAD("oom", "memory.oom", "critical")
	      "sources: [kernel_messages]\n"
	      "patterns: ['Out of memory: Killed process (?<pid>\\d+) \\((?<process>[^)]+)\\)']\n"
	      "explains: [{rule: unit-died}]\nexplanation: '{count kill}: {process}'\n");
	e = engine_new(r, 2, &cat);
	feed(e, "syslog", "Nov 20 03:12:10 db1 systemd[1]: pg.service: Failed with result 'signal'.\n"
	     "Nov 20 03:12:40 db1 systemd[1]: pg.service: Failed with result 'signal'.\n");
	feed(e, "kern_log", "Nov 20 03:12:09 db1 kernel: Out of memory: Killed process 42 "
	     "(postgres) total-vm:1kB\n");
	f = engine_finish(e, &n);
	assert_int_equal(n, 2);
	/* the cause first, a root; the symptom explained by it */
	assert_string_equal(f[0].rule->id, "oom");
	assert_true(f[0].root);
	assert_int_equal(f[0].nexplains, 1);
	assert_string_equal(f[f[0].explains[0]].rule->id, "unit-died");
	assert_false(f[1].root);
	assert_int_equal(f[1].nexplained_by, 1);
	/* templates: captures, counts in words, one time or a span */
	assert_string_equal(f[0].explanation, "1 kill: postgres");
	assert_string_equal(f[1].explanation, "pg died 2 times between 2026-11-20T03:12:10Z and "
			    "2026-11-20T03:12:40Z");
	assert_string_equal(f[1].ev[0].path, "syslog");
	assert_int_equal(f[1].ev[1].line, 2);
	engine_free(e);
	rule_clear(&r[0]);
	rule_clear(&r[1]);
}

/* Two rules that list each other: the finding seen first is the cause (by line in one second). */
static void test_mutual_listing_first_seen(void **state)
{
	static const char *const order[2][2] = {
		{ "abort journal sda1\n", "fs error sda1\n" },
		{ "fs error sda1\n", "abort journal sda1\n" },
	};
	static const char *const root[2] = { "journal", "fserr" };
	struct rule r[2];
	struct engine *e;
	struct finding *f;
	struct buf text = BUF_INIT(0);
	size_t n, k;

	(void)state;
	for (k = 0; k < 2; k++) {
		parse(&r[0], HEAD("fserr", "storage.fs-error", "critical")
		      "sources: [kern_log]\npatterns: ['fs error (?<device>\\w+)']\n"
		      "explains: [{rule: journal, share: [device]}]\nexplanation: x\n");
		parse(&r[1], HEAD("journal", "storage.fs-error", "critical")
		      "sources: [kern_log]\npatterns: ['abort journal (?<device>\\w+)']\n"
		      "explains: [{rule: fserr, share: [device]}]\nexplanation: x\n");
		buf_reset(&text);
		buf_addf(&text, "Nov 20 23:00:00 fs2 kernel: %sNov 20 23:00:00 fs2 kernel: %s",
			 order[k][0], order[k][1]);
		e = engine_new(r, 2, &cat);
		feed(e, "kern_log", text.data);
		f = engine_finish(e, &n);
		assert_int_equal(n, 2);
		assert_true(f[0].root);
		assert_string_equal(f[0].rule->id, root[k]);
		assert_int_equal(f[0].nexplains, 1);
		assert_false(f[1].root);
		engine_free(e);
		rule_clear(&r[0]);
		rule_clear(&r[1]);
	}
	buf_release(&text);
}

static void test_threshold_within_window(void **state)
{
	struct rule r;
	struct engine *e;
	size_t n;

	(void)state;
	parse(&r, HEAD("burst", "security.auth-bruteforce", "medium")
	      "sources: [auth_log]\npatterns: ['Failed password']\nthreshold: 3\nwindow: 1m\n"
	      "explanation: 'at least {threshold} within {window}'\n");
	/* three, but spread over hours: no */
	e = engine_new(&r, 1, &cat);
	feed(e, "auth_log", "Nov 20 01:00:00 h sshd[1]: Failed password\n"
	     "Nov 20 02:00:00 h sshd[1]: Failed password\n"
	     "Nov 20 03:00:00 h sshd[1]: Failed password\n");
	engine_finish(e, &n);
	assert_int_equal(n, 0);
	engine_free(e);
	/* three within a minute: yes */
	e = engine_new(&r, 1, &cat);
	feed(e, "auth_log", "Nov 20 01:00:00 h sshd[1]: Failed password\n"
	     "Nov 20 03:00:00 h sshd[1]: Failed password\n"
	     "Nov 20 03:00:20 h sshd[1]: Failed password\n"
	     "Nov 20 03:00:50 h sshd[1]: Failed password\n");
	assert_string_equal(engine_finish(e, &n)[0].explanation, "at least 3 within 1m");
	assert_int_equal(n, 1);
	engine_free(e);
	rule_clear(&r);
}

/* A state change counts from its first line; a per-request message needs its burst. */
static void test_threshold_per_pattern(void **state)
{
	static const char *const one_change = "Nov 20 03:00:00 h chronyd[9]: No suitable source\n";
	static const char *const four_failures =
		"Nov 20 03:00:00 h app[1]: lookup db: Name or service not known\n"
		"Nov 20 03:00:30 h web[2]: lookup db: Name or service not known\n"
		"Nov 20 03:01:00 h cron[3]: lookup db: Name or service not known\n"
		"Nov 20 03:02:50 h mail[4]: lookup db: Name or service not known\n";
	static const char *const three_failures =
		"Nov 20 03:00:00 h app[1]: lookup db: Name or service not known\n"
		"Nov 20 03:00:30 h web[2]: lookup db: Name or service not known\n"
		"Nov 20 05:01:00 h cron[3]: lookup db: Name or service not known\n"
		"Nov 20 07:02:50 h mail[4]: lookup db: Name or service not known\n";
	struct rule r;
	struct engine *e;
	size_t n;

	(void)state;
	parse(&r, HEAD("dns", "network.dns", "medium")
	      "sources: [syslog]\nthreshold: 50\nwindow: 1m\npatterns:\n"
	      "  - {regex: 'No suitable source', threshold: 1}\n"
	      "  - {regex: 'Name or service not known', threshold: 4, window: 3m}\n"
	      "explanation: x\n");
	assert_int_equal(r.conds[0].pats[1].threshold, 4);
	assert_int_equal(r.conds[0].pats[1].window, 180);
	e = engine_new(&r, 1, &cat);
	feed(e, "syslog", one_change);
	engine_finish(e, &n);
	assert_int_equal(n, 1);
	engine_free(e);
	e = engine_new(&r, 1, &cat);
	feed(e, "syslog", four_failures);
	engine_finish(e, &n);
	assert_int_equal(n, 1);
	engine_free(e);
	/* four, but not within three minutes: the condition's 50 is not met either */
	e = engine_new(&r, 1, &cat);
	feed(e, "syslog", three_failures);
	engine_finish(e, &n);
	assert_int_equal(n, 0);
	engine_free(e);
	rule_clear(&r);
}

static void test_table_where(void **state)
{
	struct rule r;
	struct engine *e;
	struct finding *f;
	size_t n;

	(void)state;
	parse(&r, HEAD("full", "storage.disk-full", "high")
	      "sources: [df]\nwhere: ['use >= 95']\nexplanation: '{mount} at {use}'\n");
	e = engine_new(&r, 1, &cat);
	feed(e, "df", "Filesystem Size Used Avail Use% Mounted on\n"
	     "/dev/sda1 20G 19G 1G 96% /\n"
	     "/dev/loop0 56M 56M 0 100% /snap/core\n"
	     "/dev/sdb1 20G 1G 19G 5% /data\n"
	     "/dev/sdc1 9T 9T 1G 99% /mnt/with space\n");
	f = engine_finish(e, &n);
	assert_int_equal(n, 1);
	/* the header and the loop device are no rows; the last column takes the rest */
	assert_int_equal(f[0].count, 2);
	assert_string_equal(f[0].explanation, "/ at 96%");
	assert_int_equal(f[0].nev, 2);
	assert_int_equal(f[0].ev[1].line, 5);
	engine_free(e);
	rule_clear(&r);
}

static void test_boot_time_fact(void **state)
{
	struct rule r;
	struct engine *e;
	struct finding *f;
	char t[40];
	size_t n;

	(void)state;
	parse(&r, HEAD("hung", "kernel.hung-task", "high")
	      "sources: [kernel_messages]\npatterns: ['blocked for more than']\nexplanation: x\n");
	e = engine_new(&r, 1, &cat);
	feed(e, "kernel_log", "[  100.500000] INFO: task jbd2:42 blocked for more than 120 seconds.\n");
	feed(e, "proc_stat", "cpu 1 2 3\nbtime 1795000000\nprocesses 5\n");
	f = engine_finish(e, &n);
	assert_int_equal(n, 1);
	/* seconds since boot become wall time through the proc_stat fact */
	assert_int_equal(f[0].first.kind, TS_WALL);
	assert_string_equal(ts_format(f[0].first, t, sizeof(t)), "2026-11-18T11:08:20Z");
	engine_free(e);
	rule_clear(&r);
}

/* Entities: distinct, cleaned for output, at most 16 and 100 bytes each, of every condition */
static void test_entities(void **state)
{
	struct rule r;
	struct engine *e;
	struct finding *f;
	struct buf lines = BUF_INIT(0);
	json_t *units, *dev;
	size_t n, i, k;

	(void)state;
	parse(&r, HEAD("units", "service.unit-failed", "high")
	      "sources: [syslog]\npatterns: ['(?<unit>\\S+)\\.service: Failed']\n"
	      "all:\n  - sources: [kernel_messages]\n    patterns: ['dev (?<device>\\w+) error']\n"
	      "explanation: x\n");
	e = engine_new(&r, 1, &cat);
	/* two raw values that clean to the same, a repeat, a long one, then 20 more */
	buf_addstr(&lines, "x\001y.service: Failed\nx\002y.service: Failed\nx\001y.service: Failed\n");
	for (i = 0; i < 150; i++)
		buf_addch(&lines, 'L');
	buf_addstr(&lines, ".service: Failed\n");
	for (i = 0; i < 20; i++)
		buf_addf(&lines, "u%zu.service: Failed\n", i);
	feed(e, "syslog", lines.data);
	feed(e, "kern_log", "dev sda error\ndev sda error\n");
	f = engine_finish(e, &n);
	assert_int_equal(n, 1);
	units = json_object_get(f[0].entities, "unit");
	dev = json_object_get(f[0].entities, "device");
	assert_int_equal(json_array_size(units), 16);
	assert_string_equal(json_string_value(json_array_get(units, 0)), "x?y");
	assert_int_equal(strlen(json_string_value(json_array_get(units, 1))), 100);
	assert_string_equal(json_string_value(json_array_get(units, 2)), "u0");
	for (i = 0; i < 16; i++)
		for (k = i + 1; k < 16; k++)
			assert_string_not_equal(json_string_value(json_array_get(units, i)),
						json_string_value(json_array_get(units, k)));
	assert_int_equal(json_array_size(dev), 1);
	assert_string_equal(json_string_value(json_array_get(dev, 0)), "sda");
	buf_release(&lines);
	engine_free(e);
	rule_clear(&r);
}

/* One event written twice (two wordings, or two logs) counts once; two events twice. */
static void test_one_event_counted_once(void **state)
{
	struct rule r;
	struct engine *e;
	struct finding *f;
	size_t n;
	const char *log =
		"Nov 20 03:12:09 db1 systemd[1]: pg.service: Main process exited, code=exited, status=1/FAILURE\n"
		"Nov 20 03:12:09 db1 systemd[1]: pg.service: Failed with result 'exit-code'.\n"
		"Nov 20 03:12:09 db1 systemd[1]: web.service: Failed with result 'exit-code'.\n"
		"Nov 20 03:12:14 db1 systemd[1]: pg.service: Main process exited, code=exited, status=1/FAILURE\n"
		"Nov 20 03:12:14 db1 systemd[1]: pg.service: Failed with result 'exit-code'.\n";

	(void)state;
	parse(&r, HEAD("unit-failed", "service.unit-failed", "high")
	      "sources: [syslog, journal]\npatterns:\n"
	      "  - '(?<unit>\\S+)\\.service: Main process exited, code=exited'\n"
	      "  - '(?<unit>\\S+)\\.service: Failed with result'\nexplanation: x\n");
	e = engine_new(&r, 1, &cat);
	feed(e, "syslog", log);
	f = engine_finish(e, &n);
	/* pg twice, web once: the second wording of each pg failure is not another */
	assert_int_equal(n, 1);
	assert_int_equal(f[0].count, 3);
	/* all five lines are evidence */
	assert_int_equal(f[0].nev, 5);
	engine_free(e);

	/* the same log again as the journal, in UTC (the host is at +01:00) */
	e = engine_new(&r, 1, &cat);
	feed(e, "syslog", log);
	feed(e, "journal",
	     "2026-11-20T02:12:09+0000 db1 systemd[1]: pg.service: Main process exited, "
	     "code=exited, status=1/FAILURE\n"
	     "2026-11-20T02:12:09+0000 db1 systemd[1]: pg.service: Failed with result 'exit-code'.\n"
	     "2026-11-20T02:12:14+0000 db1 systemd[1]: pg.service: Failed with result 'exit-code'.\n"
	     "2026-11-20T02:13:30+0000 db1 systemd[1]: pg.service: Failed with result 'exit-code'.\n");
	f = engine_finish(e, &n);
	/* only the failure at 03:13:30, which syslog does not have, is new */
	assert_int_equal(f[0].count, 4);
	engine_free(e);

	/* the same wording on the next line is a new event: two crashes in one second */
	e = engine_new(&r, 1, &cat);
	feed(e, "syslog",
	     "Nov 20 03:12:09 db1 systemd[1]: pg.service: Failed with result 'exit-code'.\n"
	     "Nov 20 03:12:09 db1 systemd[1]: pg.service: Failed with result 'exit-code'.\n");
	f = engine_finish(e, &n);
	assert_int_equal(f[0].count, 2);
	engine_free(e);
	rule_clear(&r);
}

/* A wording without the subject's capture is the same event as its
 * neighbour; a capture the first line lacks comes from a later one. */
static void test_wording_without_subject(void **state)
{
	struct rule r;
	struct engine *e;
	struct finding *f;
	size_t n;
	json_t *v;

	(void)state;
	parse(&r, HEAD("mount-failed", "storage.mount-failed", "high")
	      "sources: [syslog]\npatterns:\n"
	      "  - 'systemd\\[1\\]: Failed to mount (?<what>.+?)\\.$'\n"
	      "  - 'systemd\\[1\\]: Unit (?<unit>\\S+\\.mount) entered failed state'\n"
	      "explanation: 'mount[[ {what}]][[ by {mac}]] ({unit}) {typo}'\n");
	e = engine_new(&r, 1, &cat);
	feed(e, "syslog",
	     "Nov 20 03:12:09 db1 systemd[1]: Failed to mount /data.\n"
	     "Nov 20 03:12:09 db1 systemd[1]: Unit data.mount entered failed state.\n"
	     "Nov 20 03:14:09 db1 systemd[1]: Failed to mount /srv.\n");
	f = engine_finish(e, &n);
	assert_int_equal(n, 1);
	/* /data once (two wordings), /srv once */
	assert_int_equal(f[0].count, 2);
	assert_int_equal(f[0].nev, 3);
	v = json_object_get(f[0].captures, "what");
	assert_non_null(v);
	assert_string_equal(json_string_value(v), "/data");
	v = json_object_get(f[0].captures, "unit");
	assert_non_null(v);
	assert_string_equal(json_string_value(v), "data.mount");
	/* [[ ]] goes with a value no line had; a name outside stays as written */
	assert_string_equal(f[0].explanation, "mount /data (data.mount) {typo}");
	engine_free(e);
	rule_clear(&r);

	/* an optional group its first match left unset is taken from a later one */
	parse(&r, HEAD("syn", "network.syn-flood", "medium")
	      "sources: [syslog]\npatterns:\n"
	      "  - 'SYN flooding on port (?:(?<address>[0-9.]+):)?(?<port>\\d+)'\n"
	      "explanation: '{port}[[ at {address}]]'\n");
	e = engine_new(&r, 1, &cat);
	feed(e, "syslog",
	     "Nov 20 03:12:09 db1 kernel: SYN flooding on port 80.\n"
	     "Nov 20 03:12:19 db1 kernel: SYN flooding on port 10.0.0.1:443.\n"
	     "Nov 20 03:12:29 db1 kernel: SYN flooding on port 10.0.0.2:8443.\n");
	f = engine_finish(e, &n);
	assert_int_equal(n, 1);
	assert_string_equal(f[0].explanation, "80 at 10.0.0.1");
	engine_free(e);
	rule_clear(&r);
}

/* Rules that list no link; the engine links them by what they share (causality.h). */
static struct finding *decide(struct rule *r, size_t nr, const char *const *feeds,
			      struct engine **ep, size_t *n)
{
	static struct causality cz;
	struct buf err = BUF_INIT(0);
	struct engine *e = engine_new(r, nr, &cat);
	size_t i;

	if (!cz.ntiers && causality_load(&cz, NULL, &err))
		fail_msg("%s", err.data);
	buf_release(&err);
	engine_set_causality(e, &cz);
	for (i = 0; feeds[i]; i += 2)
		feed(e, feeds[i], feeds[i + 1]);
	*ep = e;
	return engine_finish(e, n);
}

static const struct finding *by_id(const struct finding *f, size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(f[i].rule->id, id))
			return &f[i];
	fail_msg("%s did not fire", id);
	return NULL;
}

/* Is symptom explained by cause (among its causes)? */
static int explained_by(const struct finding *f, size_t n, const char *symptom, const char *cause)
{
	const struct finding *s = by_id(f, n, symptom);
	size_t i;

	for (i = 0; i < s->nexplained_by; i++)
		if (!strcmp(f[s->explained_by[i]].rule->id, cause))
			return 1;
	return 0;
}

/* cause explains symptom by default, for the reason why */
static void expect_link(const struct finding *f, size_t n, const char *cause,
			const char *symptom, const char *why)
{
	const struct finding *s = by_id(f, n, symptom);

	assert_false(s->root);
	assert_int_equal(s->nexplained_by, 1);
	assert_string_equal(f[s->explained_by[0]].rule->id, cause);
	assert_non_null(s->explained_by_why[0]);
	assert_string_equal(s->explained_by_why[0], why);
	assert_true(by_id(f, n, cause)->root);
}

static void test_default_link_pid_is_unit(void **state)
{
	static const char *const feeds[] = {
		"kern_log", "Nov 20 03:12:09 app3 kernel: oom-kill:constraint=CONSTRAINT_MEMCG,"
		"task_memcg=/system.slice/checkout.service,task=node,pid=4180,uid=999\n"
		"Nov 20 03:12:09 app3 kernel: Out of memory: Killed process 4180 (node) "
		"total-vm:1kB\n",
		"syslog", "Nov 20 03:12:10 app3 systemd[1]: checkout.service: Failed with result "
		"'signal'.\n", NULL };
	struct rule r[2];
	struct engine *e;
	struct finding *f;
	size_t n;

	(void)state;
	parse(&r[0], HEAD("unit-died", "service.unit-failed", "high")
	      "sources: [syslog]\npatterns: ['(?<unit>\\S+\\.service): Failed']\nexplanation: x\n");
	parse(&r[1], HEAD("oom", "memory.oom", "critical")
	      "sources: [kernel_messages]\npatterns:\n"
	      "  - 'Killed process (?<pid>\\d+) \\((?<process>[^)]+)\\)'\n"
	      "  - 'oom-kill:.*,pid=(?<pid>\\d+)'\nexplanation: x\n");
	f = decide(r, 2, feeds, &e, &n);
	assert_int_equal(n, 2);
	expect_link(f, n, "oom", "unit-died", "same unit checkout.service");
	engine_free(e);
	rule_clear(&r[0]);
	rule_clear(&r[1]);
}

static void test_default_link_same_pid_and_device(void **state)
{
	static const char *const feeds[] = {
		"kern_log", "Nov 20 03:12:09 web1 kernel: audit: type=1400 audit(1795000000.1:9): "
		"apparmor=\"DENIED\" operation=\"open\" profile=\"nginx\" name=\"/srv/www/x\" "
		"pid=812 comm=\"nginx\"\n"
		"Nov 20 03:20:01 web1 kernel: sd 2:0:0:0: [sdd] tag#1 FAILED Result: "
		"hostbyte=DID_OK driverbyte=DRIVER_OK\n"
		"Nov 20 03:20:02 web1 kernel: XFS (sdd1): metadata I/O error in xfs_trans_read_buf\n",
		"syslog", "Nov 20 03:12:10 web1 nginx[812]: open() \"/srv/www/x\" failed (13: "
		"Permission denied)\n", NULL };
	struct rule r[4];
	struct engine *e;
	struct finding *f;
	size_t n, i;

	(void)state;
	parse(&r[0], HEAD("denied", "security.mac-denial", "medium")
	      "sources: [kernel_messages]\npatterns: ['DENIED.* pid=(?<pid>\\d+) "
	      "comm=\"(?<process>[^\"]+)\"']\nexplanation: x\n");
	parse(&r[1], HEAD("nginx-perm", "app.nginx", "high")
	      "sources: [syslog]\npatterns: ['failed \\(13: Permission denied\\)']\n"
	      "explanation: x\n");
	parse(&r[2], HEAD("io", "storage.io-error", "high")
	      "sources: [kernel_messages]\npatterns: ['\\[(?<device>sd\\w+)\\] tag#\\d+ FAILED']\n"
	      "explanation: x\n");
	parse(&r[3], HEAD("xfs", "storage.fs-error", "critical")
	      "sources: [kernel_messages]\npatterns: ['XFS \\((?<device>[^)]+)\\): metadata I/O error']\n"
	      "explanation: x\n");
	f = decide(r, 4, feeds, &e, &n);
	assert_int_equal(n, 4);
	/* the denied program's own error: its pid; the file system on the failing disk */
	expect_link(f, n, "denied", "nginx-perm", "same process nginx");
	expect_link(f, n, "io", "xfs", "same device sdd");
	/* a cause ranks with what it explains: the I/O error (high) before the denial */
	assert_string_equal(f[0].rule->id, "io");
	assert_int_equal(f[0].rank, SEV_CRITICAL);
	engine_free(e);
	for (i = 0; i < 4; i++)
		rule_clear(&r[i]);
}

static void test_default_link_refused(void **state)
{
	/* the symptom hours before the cause; a rule that forbids the link */
	static const char *const late[] = {
		"kern_log", "Nov 20 09:12:09 h kernel: sd 2:0:0:0: [sdd] tag#1 FAILED\n"
		"Nov 20 03:20:02 h kernel: XFS (sdd1): metadata I/O error in x\n", NULL };
	static const char *const soon[] = {
		"kern_log", "Nov 20 03:12:09 h kernel: sd 2:0:0:0: [sdd] tag#1 FAILED\n"
		"Nov 20 03:20:02 h kernel: XFS (sdd1): metadata I/O error in x\n", NULL };
	struct rule r[2];
	struct engine *e;
	struct finding *f;
	size_t n;

	(void)state;
	parse(&r[0], HEAD("io", "storage.io-error", "high")
	      "sources: [kernel_messages]\npatterns: ['\\[(?<device>sd\\w+)\\] tag#\\d+ FAILED']\n"
	      "explanation: x\n");
	parse(&r[1], HEAD("xfs", "storage.fs-error", "critical")
	      "sources: [kernel_messages]\npatterns: ['XFS \\((?<device>[^)]+)\\): metadata I/O error']\n"
	      "explanation: x\n");
	f = decide(r, 2, late, &e, &n);
	assert_true(f[0].root && f[1].root);
	engine_free(e);
	rule_clear(&r[0]);
	parse(&r[0], HEAD("io", "storage.io-error", "high")
	      "sources: [kernel_messages]\npatterns: ['\\[(?<device>sd\\w+)\\] tag#\\d+ FAILED']\n"
	      "not_explains: [{rule: xfs}]\nexplanation: x\n");
	f = decide(r, 2, soon, &e, &n);
	assert_true(f[0].root && f[1].root);
	engine_free(e);
	rule_clear(&r[0]);
	rule_clear(&r[1]);
}

static void test_named_cause(void **state)
{
	static const char *const feeds[] = {
		"kern_log", "Nov 20 03:12:09 h kernel: Out of memory: Killed process 4180 (node)\n"
		"Nov 20 03:12:30 h kernel: Kernel panic - not syncing: System is deadlocked on "
		"memory\n", NULL };
	struct rule r[2];
	struct engine *e;
	struct finding *f;
	size_t n;

	(void)state;
	parse(&r[0], HEAD("oom", "memory.oom", "critical")
	      "sources: [kernel_messages]\npatterns: ['Killed process (?<pid>\\d+)']\nexplanation: x\n");
	parse(&r[1], HEAD("panic", "kernel.panic", "critical")
	      "sources: [kernel_messages]\npatterns: ['Kernel panic - not syncing']\nexplanation: x\n");
	f = decide(r, 2, feeds, &e, &n);
	expect_link(f, n, "oom", "panic", "the kernel.panic names it");
	engine_free(e);
	rule_clear(&r[0]);
	rule_clear(&r[1]);
}

/* A unit fails after its own program's errors that no rule knows: they are its cause. */
static void test_unrecognised_errors_explain_a_failure(void **state)
{
	static const char *const feeds[] = {
		"syslog", "Nov 20 03:11:58 h billing[4180]: ERROR ledger sync: upstream returned 502\n"
		"Nov 20 03:11:59 h billing[4180]: ERROR ledger sync: upstream returned 503\n"
		"Nov 20 03:11:59 h billing[4180]: known failure of the rules\n"
		"Nov 20 03:12:00 h systemd[1]: billing.service: Failed with result 'exit-code'.\n",
		NULL };
	struct rule r[2];
	struct engine *e;
	struct finding *f;
	size_t n;

	(void)state;
	parse(&r[0], HEAD("unit-died", "service.unit-failed", "high")
	      "sources: [syslog]\npatterns: ['(?<unit>\\S+\\.service): Failed']\nexplanation: x\n");
	parse(&r[1], HEAD("known", "app.nginx", "low")
	      "sources: [syslog]\npatterns: ['known failure of the rules']\nthreshold: 5\n"
	      "explanation: x\n");
	f = decide(r, 2, feeds, &e, &n);
	assert_int_equal(n, 2);
	expect_link(f, n, "unrecognised-errors", "unit-died", "billing runs billing.service");
	assert_int_equal(f[0].severity, SEV_MEDIUM);
	assert_int_equal(f[0].count, 2);	/* the line a rule matched is not in it */
	assert_non_null(strstr(f[0].explanation, "billing: ERROR ledger sync: upstream returned "
			       "<n> (2 lines)"));
	assert_string_equal(f[0].ev[0].path, "syslog");
	assert_int_equal(f[0].ev[0].line, 1);
	engine_free(e);
	rule_clear(&r[0]);
	rule_clear(&r[1]);
}

/* What the bundle says is one thing: a multipath map and its paths; a journal thread's disk */
static void test_entities_from_tables_and_lines(void **state)
{
	static const char *const feeds[] = {
		"multipath", "mpatha (36001405abcdef) dm-2 LIO-ORG,disk01\n"
		"size=10G features='0' hwhandler='1 alua' wp=rw\n"
		"`-+- policy='service-time 0' prio=0 status=enabled\n"
		"  `- 3:0:0:1 sdd 8:48 failed faulty running\n",
		"kern_log", "Nov 20 03:12:09 h kernel: sd 3:0:0:1: [sdd] tag#0 FAILED Result: x\n"
		"Nov 20 03:12:10 h kernel: XFS (dm-2): metadata I/O error in xfs_trans_read_buf\n"
		"Nov 20 03:14:10 h kernel: sd 2:0:0:0: [sdb] tag#7 timing out command\n"
		"Nov 20 03:16:10 h kernel: INFO: task jbd2/sdb1-8:412 blocked for more than 120 "
		"seconds.\n"
		"Nov 20 03:20:00 h kernel: md/raid1:md0: Disk failure on sdc1, disabling device.\n"
		"Nov 20 03:22:00 h kernel: INFO: task md0_raid1:301 blocked for more than 120 "
		"seconds.\n", NULL };
	struct rule r[4];
	struct engine *e;
	struct finding *f;
	size_t n, i;

	(void)state;
	parse(&r[3], HEAD("raid", "storage.raid-degraded", "high")
	      "sources: [kernel_messages]\npatterns: ['md/raid\\d+:(?<device>md\\d+): Disk failure']\n"
	      "explanation: x\n");
	parse(&r[0], HEAD("io", "storage.io-error", "high")
	      "sources: [kernel_messages]\npatterns: ['\\[(?<device>sd\\w+)\\] tag#\\d+ "
	      "(?:FAILED|timing out)']\nexplanation: x\n");
	parse(&r[1], HEAD("xfs", "storage.fs-error", "critical")
	      "sources: [kernel_messages]\npatterns: ['XFS \\((?<device>[^)]+)\\): metadata I/O error']\n"
	      "explanation: x\n");
	parse(&r[2], HEAD("hung", "kernel.hung-task", "high")
	      "sources: [kernel_messages]\npatterns: ['task (?<process>\\S+):\\d+ blocked']\n"
	      "explanation: x\n");
	f = decide(r, 4, feeds, &e, &n);
	assert_int_equal(n, 4);
	/* multipath -ll made sdd a path of dm-2 */
	assert_non_null(strstr(by_id(f, n, "xfs")->explained_by_why[0], "dm-2"));
	assert_string_equal(f[by_id(f, n, "xfs")->explained_by[0]].rule->id, "io");
	/* jbd2/sdb1-8 journals sdb1: its hang is the disk's; md0_raid1 is md0's thread */
	assert_true(explained_by(f, n, "hung", "io"));
	assert_true(explained_by(f, n, "hung", "raid"));
	engine_free(e);
	for (i = 0; i < 4; i++)
		rule_clear(&r[i]);
}

/* A server that did not answer for a second, then did: low, and said; with a symptom, not. */
static void test_recovered_blip(void **state)
{
	static const char *const blip[] = {
		"kern_log", "Nov 20 03:12:09 h kernel: nfs: server nas7 not responding, still trying\n"
		"Nov 20 03:12:10 h kernel: nfs: server nas7 OK\n", NULL };
	static const char *const hung[] = {
		"kern_log", "Nov 20 03:12:09 h kernel: nfs: server nas7 not responding, still trying\n"
		"Nov 20 03:12:10 h kernel: nfs: server nas7 OK\n"
		"Nov 20 03:12:40 h kernel: INFO: task df:3311 blocked for more than 120 seconds.\n", NULL };
	struct rule r[2];
	struct engine *e;
	struct finding *f;
	size_t n;

	(void)state;
	parse(&r[0], HEAD("nfs", "storage.nfs-unreachable", "high")
	      "sources: [kernel_messages]\npatterns: ['nfs: server (?<peer>\\S+) not responding']\n"
	      "recovers:\n  - sources: [kernel_messages]\n    patterns: ['nfs: server \\S+ OK']\n"
	      "explains: [{rule: hung}]\nexplanation: '{peer} did not answer.'\n");
	parse(&r[1], HEAD("hung", "kernel.hung-task", "high")
	      "sources: [kernel_messages]\npatterns: ['blocked for more than']\nexplanation: x\n");
	f = decide(r, 2, blip, &e, &n);
	assert_int_equal(n, 1);
	assert_int_equal(f[0].severity, SEV_LOW);
	assert_int_equal(f[0].recovered, 1);
	assert_string_equal(f[0].explanation, "nas7 did not answer. It recovered 1 s after its first "
			    "line and nothing failed of it, so it is low: a blip.");
	engine_free(e);
	f = decide(r, 2, hung, &e, &n);
	assert_int_equal(n, 2);
	assert_int_equal(by_id(f, n, "nfs")->severity, SEV_HIGH);
	assert_string_equal(by_id(f, n, "nfs")->explanation, "nas7 did not answer.");
	engine_free(e);
	rule_clear(&r[0]);
	rule_clear(&r[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cause_explains_symptom),
		cmocka_unit_test(test_mutual_listing_first_seen),
		cmocka_unit_test(test_threshold_within_window),
		cmocka_unit_test(test_threshold_per_pattern),
		cmocka_unit_test(test_default_link_pid_is_unit),
		cmocka_unit_test(test_default_link_same_pid_and_device),
		cmocka_unit_test(test_default_link_refused),
		cmocka_unit_test(test_named_cause),
		cmocka_unit_test(test_unrecognised_errors_explain_a_failure),
		cmocka_unit_test(test_recovered_blip),
		cmocka_unit_test(test_entities_from_tables_and_lines),
		cmocka_unit_test(test_table_where),
		cmocka_unit_test(test_boot_time_fact),
		cmocka_unit_test(test_entities),
		cmocka_unit_test(test_one_event_counted_once),
		cmocka_unit_test(test_wording_without_subject),
	};

	return cmocka_run_group_tests(tests, unit_catalog_setup, unit_catalog_teardown);
}
