/* test_table_cond.c: state checks through the engine: rows, other tables, evidence, templates */
#include "unit.h"
#include "catalog.h"
#include "engine.h"
#include "rules.h"
#include "table.h"

#define cat unit_cat

static void parse(struct rule *r, const char *yaml)
{
	struct buf err = BUF_INIT(0);

	if (rule_parse(r, "t.yaml", yaml, strlen(yaml), &cat, &err))
		fail_msg("rule does not parse: %s", err.data);
	buf_release(&err);
}

static void feed(struct engine *e, const char *source, const char *path, const char *text)
{
	const struct source *s = catalog_find(&cat, source);

	assert_non_null(s);
	engine_begin_source(e, (size_t)(s - cat.items), path, 1796000000);
	engine_lines(e, text, strlen(text), 1);
}

#define HEAD(id, cat_, sev) "id: " id "\ntitle: t\ncategory: " cat_ "\nseverity: " sev "\n"

static const char sockstat[] = "sockets: used 31870\n"
	"TCP: inuse 29441 orphan 3 tw 1203 alloc 29455 mem 401273\nUDP: inuse 12 mem 4\n";
static const char sysctl[] = "net.ipv4.tcp_fin_timeout = 60\n"
	"net.ipv4.tcp_mem = 287907\t383879\t575814\nnet.ipv4.udp_mem = 1 2 3\n";

/* sockstat against a sysctl: the values of both in the text, the lines of both as evidence */
static void test_two_tables(void **state)
{
	struct rule r;
	struct engine *e;
	struct finding *f;
	size_t n;

	(void)state;
	parse(&r, HEAD("tcpmem", "network.socket-memory", "high")
	      "sources: [sockstat]\nwhere: ['TCP_mem > sysctl.net.ipv4.tcp_mem[2]']\n"
	      "explanation: '{TCP_mem} > {sysctl.net.ipv4.tcp_mem[2]} (max "
	      "{sysctl.net.ipv4.tcp_mem[3]})'\n");
	e = engine_new(&r, 1, &cat);
	feed(e, "sockstat", "proc/net/sockstat", sockstat);
	feed(e, "sysctl", "sos_commands/kernel/sysctl_-a", sysctl);
	f = engine_finish(e, &n);
	assert_int_equal(n, 1);
	assert_int_equal(f[0].count, 1);
	/* the word read for the test is in the text; one not read is not */
	assert_string_equal(f[0].explanation, "401273 > 383879 (max {sysctl.net.ipv4.tcp_mem[3]})");
	assert_int_equal(f[0].nev, 2);
	assert_string_equal(f[0].ev[0].path, "proc/net/sockstat");
	assert_int_equal(f[0].ev[0].line, 2);
	assert_string_equal(f[0].ev[1].path, "sos_commands/kernel/sysctl_-a");
	assert_int_equal(f[0].ev[1].line, 2);
	assert_string_equal(f[0].ev[1].text, "net.ipv4.tcp_mem = 287907\t383879\t575814");
	engine_free(e);

	/* without the sysctl there is nothing to compare with: no finding */
	e = engine_new(&r, 1, &cat);
	feed(e, "sockstat", "proc/net/sockstat", sockstat);
	engine_finish(e, &n);
	assert_int_equal(n, 0);
	engine_free(e);
	rule_clear(&r);
}

/* a keyvalue table: the evidence is the lines of the fields the test read */
static void test_keyvalue_evidence(void **state)
{
	struct rule r;
	struct engine *e;
	struct finding *f;
	size_t n;
	const char *v;

	(void)state;
	parse(&r, HEAD("low", "memory.pressure", "high")
	      "sources: [meminfo]\nwhere: ['MemAvailable < MemTotal * 0.05']\n"
	      "explanation: '{MemAvailable} of {MemTotal}'\n");
	e = engine_new(&r, 1, &cat);
	feed(e, "meminfo", "proc/meminfo", "MemTotal:       16315876 kB\n"
	     "MemFree:          151204 kB\nMemAvailable:     412088 kB\n");
	f = engine_finish(e, &n);
	assert_int_equal(n, 1);
	assert_string_equal(f[0].explanation, "412088 kB of 16315876 kB");
	assert_int_equal(f[0].nev, 2);
	assert_int_equal(f[0].ev[0].line, 1);
	assert_int_equal(f[0].ev[1].line, 3);
	/* other code reads the same table by name */
	v = table_set_value(engine_tables(e), "meminfo", "MemAvailable");
	assert_non_null(v);
	assert_string_equal(v, "412088 kB");
	assert_null(table_set_value(engine_tables(e), "meminfo", "NoSuchField"));
	assert_null(table_set_value(engine_tables(e), "sockstat", "TCP_mem"));
	engine_free(e);
	rule_clear(&r);
}

/* none and all over tables; threshold counts rows; entities come from fields */
static void test_conditions_and_rows(void **state)
{
	struct rule r[2];
	struct engine *e;
	struct finding *f;
	size_t n;
	json_t *units;

	(void)state;
	parse(&r[0], HEAD("nosource", "time.unsynchronized", "medium")
	      "sources: [chrony_sources]\nwhere: ['reach == 0']\n"
	      "none:\n  - sources: [chrony_sources]\n    where: ['reach != 0']\n"
	      "explanation: '{count source|sources}, {name} first'\n");
	parse(&r[1], HEAD("masked", "service.unit-config", "medium")
	      "sources: [unit_files]\nwhere: [\"state == 'masked'\"]\nthreshold: 2\n"
	      "all:\n  - sources: [proc_cmdline]\n    where: ['value =~ ''\\sro(\\s|$)''']\n"
	      "explanation: '{unit}'\n");
	e = engine_new(r, 2, &cat);
	feed(e, "chrony_sources", "commands/chrony_sources",
	     "MS Name/IP address         Stratum Poll Reach LastRx Last sample\n"
	     "==========================================================\n"
	     "^? 192.168.1.1                   0   6     0     -     +0ns[   +0ns] +/-    0ns\n"
	     "^? 192.168.1.2                   0   6     0     -     +0ns[   +0ns] +/-    0ns\n");
	feed(e, "unit_files", "commands/unit_files", "UNIT FILE STATE PRESET\n"
	     "chronyd.service masked enabled\nsshd.service enabled enabled\n"
	     "auditd.service masked enabled\n\n3 unit files listed.\n");
	feed(e, "proc_cmdline", "proc/cmdline", "BOOT_IMAGE=/vmlinuz root=/dev/sda1 ro quiet\n");
	f = engine_finish(e, &n);
	assert_int_equal(n, 2);
	assert_string_equal(f[0].rule->id, "masked");
	assert_int_equal(f[0].count, 2);
	units = json_object_get(f[0].entities, "unit");
	assert_int_equal(json_array_size(units), 2);
	assert_string_equal(json_string_value(json_array_get(units, 1)), "auditd.service");
	assert_string_equal(f[1].explanation, "2 sources, 192.168.1.1 first");
	engine_free(e);

	/* a source that answers: the none holds no more; one masked unit is under the threshold */
	e = engine_new(r, 2, &cat);
	feed(e, "chrony_sources", "x", "^* 192.168.1.1   2   6   377    34  -12us[ -15us] +/-  20ms\n"
	     "^? 192.168.1.2   0   6     0     -     +0ns[   +0ns] +/-    0ns\n");
	feed(e, "unit_files", "x", "chronyd.service masked enabled\n");
	feed(e, "proc_cmdline", "x", "root=/dev/sda1 ro\n");
	engine_finish(e, &n);
	assert_int_equal(n, 0);
	engine_free(e);
	rule_clear(&r[0]);
	rule_clear(&r[1]);
}

/* {name[N]}: the word a test read is a value a template names */
static void test_word_template(void **state)
{
	struct rule r;
	struct engine *e;
	struct finding *f;
	size_t n;

	(void)state;
	parse(&r, HEAD("thp", "memory.fragmentation", "low")
	      "sources: [pagetypeinfo]\n"
	      "where: [\"type == 'Movable' && free[10] + free[11] == 0 && free[1] > 100\"]\n"
	      "explanation: '{zone} {free[1]} {free[11]}'\n");
	e = engine_new(&r, 1, &cat);
	feed(e, "pagetypeinfo", "proc/pagetypeinfo",
	     "Node    0, zone   Normal, type    Unmovable    210     33      4      0      0      0"
	     "      0      0      0      0      0\n"
	     "Node    0, zone   Normal, type      Movable  30410   8211    880     12      3      1"
	     "      0      0      0      0      0\n");
	f = engine_finish(e, &n);
	assert_int_equal(n, 1);
	assert_string_equal(f[0].explanation, "Normal 30410 0");
	assert_int_equal(f[0].nev, 1);
	assert_int_equal(f[0].ev[0].line, 2);
	engine_free(e);
	rule_clear(&r);
}

/* rules that cannot be: tables in a pattern condition, names a table has not */
static void test_load_errors(void **state)
{
	static const char *const bad[] = {
		HEAD("b", "memory.pressure", "high") "sources: [meminfo]\n"
		"where: ['MemAvailable < sysctl.vm.min_free_kbytes']\n"
		"patterns: ['MemAvailable:\\s+(?<MemAvailable>\\d+)']\nexplanation: x\n",
		HEAD("b", "storage.disk-full", "high") "sources: [df]\nwhere: ['usage >= 95']\n"
		"explanation: x\n",
		HEAD("b", "storage.disk-full", "high") "sources: [df, syslog]\nwhere: ['use >= 95']\n"
		"explanation: x\n",
		HEAD("b", "storage.disk-full", "high") "sources: [df]\n"
		"where: ['nosuchtable.x > 1 ||']\nexplanation: x\n",
	};
	static const char *const why[] = {
		"reads a table: only a condition without patterns can",
		"where names 'usage', which the table 'df' does not have",
		"'patterns' is required",
		"expected a number, 'text', a name or '('",
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct buf err = BUF_INIT(0);
		struct rule r;

		assert_int_equal(rule_parse(&r, "b.yaml", bad[i], strlen(bad[i]), &cat, &err),
				 CF_ERR_PARSE);
		if (!strstr(err.data, why[i]))
			fail_msg("expected '%s' in: %s", why[i], err.data);
		buf_release(&err);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_tables),
		cmocka_unit_test(test_keyvalue_evidence),
		cmocka_unit_test(test_conditions_and_rows),
		cmocka_unit_test(test_word_template),
		cmocka_unit_test(test_load_errors),
	};

	return cmocka_run_group_tests(tests, unit_catalog_setup, unit_catalog_teardown);
}
