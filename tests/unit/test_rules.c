/* test_rules.c: rule files parse, fail with located messages, compile */
#include "unit.h"
#include "catalog.h"
#include "rules.h"

#define cat unit_cat

static const char good[] =
	"id: test-rule\n"
	"title: A test\n"
	"category: memory.oom\n"
	"severity: high\n"
	"sources: [kernel_log, syslog]\n"
	"patterns:\n"
	"  - 'Out of memory: Kill(?:ed)? process (?<pid>\\d+)'\n"
	"where: ['pid > 10']\n"
	"threshold: 2\n"
	"window: 5m\n"
	"none:\n"
	"  - sources: [df]\n"
	"    patterns: ['never here']\n"
	"explains: [{rule: other}]\n"
	"explanation: pid {pid}\n"
	"fixtures:\n"
	"  - expect: match\n"
	"    input:\n"
	"      kernel_log: |\n"
	"        x\n";

static void test_good_rule(void **state)
{
	struct buf err = BUF_INIT(0);
	struct rule r;

	(void)state;
	assert_int_equal(rule_parse(&r, "t.yaml", good, strlen(good), &cat, &err), 0);
	assert_string_equal(err.data, "");
	assert_string_equal(r.id, "test-rule");
	assert_int_equal(r.severity, SEV_HIGH);
	assert_int_equal(r.nconds, 2);
	assert_int_equal(r.conds[0].threshold, 2);
	assert_int_equal(r.conds[0].window, 300);
	assert_int_equal(r.conds[0].nwhere, 1);
	assert_non_null(r.conds[0].where[0].expr);
	assert_int_equal(r.conds[0].names.n, 1);
	assert_string_equal(r.conds[0].names.v[0], "pid");
	assert_int_equal(r.conds[0].pats[0].where_group[0], 1);
	assert_int_equal(r.conds[1].role, COND_NONE);
	assert_int_equal(r.conds[0].pats[0].nlits, 1);
	assert_string_equal(r.conds[0].pats[0].lits[0].text, "Out of memory: Kill");
	assert_int_equal(r.nfixtures, 1);
	assert_true(r.fixtures[0].expect_match);
	rule_clear(&r);
	buf_release(&err);
}

/* Replace the first occurrence of from in good with to, parse, and return err. */
static char *broken(const char *from, const char *to)
{
	struct buf doc = BUF_INIT(0), err = BUF_INIT(0);
	const char *p = strstr(good, from);
	struct rule r;

	assert_non_null(p);
	buf_add(&doc, good, (size_t)(p - good));
	buf_addstr(&doc, to);
	buf_addstr(&doc, p + strlen(from));
	assert_int_equal(rule_parse(&r, "bad.yaml", doc.data, doc.len, &cat, &err), CF_ERR_PARSE);
	assert_null(r.id);
	buf_release(&doc);
	return buf_detach(&err, NULL);
}

static void expect_msg(const char *from, const char *to, const char *msg)
{
	char *e = broken(from, to);

	if (!strstr(e, msg))
		fail_msg("expected '%s' in: %s", msg, e);
	free(e);
}

static void test_located_errors(void **state)
{
	(void)state;
	expect_msg("patterns:", "paterns:", "bad.yaml:6:1: unknown key 'paterns' in a rule; "
		   "did you mean 'patterns'?");
	expect_msg("severity: high", "severity: hgih", "bad.yaml:4:11: severity must be one of");
	expect_msg("memory.oom", "memory.omm", "category 'memory.omm' is not in the taxonomy; "
		   "did you mean 'memory.oom'?");
	expect_msg("[kernel_log, syslog]", "[kernel_log, sylog]",
		   "unknown source 'sylog'; did you mean 'syslog'?");
	expect_msg("process (?<pid>", "process ((?<pid>", "bad.yaml:7:5: pattern does not compile");
	expect_msg("pid > 10", "pid >> 10", "where 'pid >> 10': expected a number, 'text', a "
		   "name or '(' at offset 5");
	expect_msg("pid > 10", "pid > df.use", "where 'pid > df.use' "
		   "reads a table: only a condition without patterns can");
	expect_msg("pid > 10", "use > 10", "names 'use', which pattern");
	expect_msg("window: 5m", "window: soon", "'window' must be a duration");
	expect_msg("threshold: 2", "threshold: 0", "'threshold' must be a whole number");
	expect_msg("id: test-rule", "id: Test Rule", "id 'Test Rule' must be lowercase");
	expect_msg("expect: match", "expect: maybe", "a fixture needs 'expect: match'");
	expect_msg("title: A test\n", "title: [unclosed\n", "bad.yaml:3:");
	/* one shape per key: lists are lists, links are maps, texts are under input */
	expect_msg("where: ['pid > 10']", "where: 'pid > 10'",
		   "bad.yaml:8:8: 'where' must be a list: where: [pid > 10]");
	expect_msg("sources: [kernel_log, syslog]", "sources: kernel_log",
		   "'sources' must be a list: sources: [kernel_log]");
	expect_msg("explains: [{rule: other}]", "explains: [other]", "an explains link is {rule: ID}");
	expect_msg("  - 'Out of memory", "  - {regex: 'x', threshold: many}\n  - 'Out of memory",
		   "a pattern's 'threshold' must be a whole number from 1, not 'many'");
	expect_msg("  - 'Out of memory", "  - {regex: 'x', window: 5m}\n  - 'Out of memory",
		   "a pattern's 'window' needs its 'threshold'");
	expect_msg("  - 'Out of memory", "  - {regx: 'x'}\n  - 'Out of memory",
		   "unknown key 'regx' in a pattern; did you mean 'regex'?");
	expect_msg("    input:\n      kernel_log: |\n        x\n", "    kernel_log: |\n      x\n",
		   "unknown key 'kernel_log' in a fixture");
	expect_msg("    input:\n      kernel_log: |", "    input:\n      kernl_log: |",
		   "fixture input names unknown source 'kernl_log'");
}

/* A rule from its YAML; the caller clears it. */
static int parse(const char *doc, struct rule *r, struct buf *err)
{
	return rule_parse(r, "t.yaml", doc, strlen(doc), &cat, err);
}

static void test_groups_and_tables(void **state)
{
	static const char grouped[] =
		"id: g\ntitle: t\ncategory: memory.oom\nseverity: low\n"
		"sources: [kernel_messages, df]\npatterns: ['Out of memory']\nexplanation: x\n";
	static const char table[] =
		"id: t\ntitle: t\ncategory: storage.disk-full\nseverity: low\n"
		"sources: [df]\nwhere: ['use >= 95']\nexplanation: '{mount} {use}'\n";
	static const char bad_column[] =
		"id: t\ntitle: t\ncategory: storage.disk-full\nseverity: low\n"
		"sources: [df]\nwhere: ['usage >= 95']\nexplanation: x\n";
	static const char no_table[] =
		"id: t\ntitle: t\ncategory: storage.disk-full\nseverity: low\n"
		"sources: [syslog]\nwhere: ['use >= 95']\nexplanation: x\n";
	const struct source_group *g = catalog_group(&cat, "kernel_messages");
	struct buf err = BUF_INIT(0);
	struct rule r;

	(void)state;
	assert_non_null(g);
	assert_int_equal(parse(grouped, &r, &err), 0);
	/* the group's members and df, once each; the names as written */
	assert_int_equal(r.conds[0].nsources, strv_len(g->members) + 1);
	assert_string_equal(r.conds[0].source_names[0], "kernel_messages");
	rule_clear(&r);

	assert_int_equal(parse(table, &r, &err), 0);
	/* a table's condition has no pattern: it is tested row by row */
	assert_int_equal(r.conds[0].npats, 0);
	assert_true(r.conds[0].table);
	rule_clear(&r);

	assert_int_equal(parse(bad_column, &r, &err), CF_ERR_PARSE);
	assert_non_null(strstr(err.data, "names 'usage', which the table 'df' does not have"));
	buf_reset(&err);
	assert_int_equal(parse(no_table, &r, &err), CF_ERR_PARSE);
	assert_non_null(strstr(err.data, "'patterns' is required"));
	buf_release(&err);
}

static void test_unknown_category_from_data(void **state)
{
	static const char doc[] =
		"id: c\ntitle: t\ncategory: memory.omm\nseverity: low\n"
		"sources: [syslog]\npatterns: ['abcd']\nexplanation: x\n";
	struct buf err = BUF_INIT(0);
	struct rule r;

	(void)state;
	assert_true(catalog_category_known(&cat, "memory.oom"));
	assert_int_equal(parse(doc, &r, &err), CF_ERR_PARSE);
	assert_non_null(strstr(err.data, "did you mean 'memory.oom'?"));
	buf_release(&err);
}

static void test_literals(void **state)
{
	static const struct { const char *re; const char *lit; } cases[] = {
		{ "nfs: server (?<s>\\S+) not responding", " not responding" },
		{ "I/O error, dev (?<d>\\w+), sector", "I/O error, dev " },
		{ "a\\.b\\.c\\.d", "a.b.c.d" },
		{ "colou?r is set", "r is set" },
		{ "x+yyyy", "yyyy" },
		{ "(?i)out of memory", "out of memory" },
		{ "[abc]+ literal here", " literal here" },
	};
	struct literal *l;
	size_t i, n;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		n = literal_extract(cases[i].re, &l);
		assert_int_equal(n, 1);
		assert_string_equal(l[0].text, cases[i].lit);
		free(l[0].text);
		free(l);
	}
	/* a group that must match lends its literal; an optional one does not */
	n = literal_extract("(?<port>ata\\d+(?:\\.\\d+)?): (?:exception Emask|failed command)", &l);
	assert_int_equal(n, 0);	/* "ata" is 3: too short */
	n = literal_extract("(?<t>kworker\\d+): (?:x|y)", &l);
	assert_int_equal(n, 1);
	assert_string_equal(l[0].text, "kworker");
	free(l[0].text);
	free(l);
	n = literal_extract("(?:optional text)? ab", &l);
	assert_int_equal(n, 0);
	n = literal_extract("(?!never here)abcd", &l);
	assert_int_equal(n, 1);
	assert_string_equal(l[0].text, "abcd");
	free(l[0].text);
	free(l);
	/* alternation: one literal per branch */
	n = literal_extract("Link is Down|link status definitely down", &l);
	assert_int_equal(n, 2);
	assert_string_equal(l[0].text, "Link is Down");
	assert_string_equal(l[1].text, "link status definitely down");
	for (i = 0; i < n; i++)
		free(l[i].text);
	free(l);
	/* no literal of 4: nothing (the pattern runs on every line) */
	assert_int_equal(literal_extract("^\\d+$", &l), 0);
	assert_int_equal(literal_extract("abcd|x", &l), 0);
	assert_int_equal(literal_extract("(?x) a b c d e", &l), 0);
}

static void test_default_rules_load(void **state)
{
	struct ruleset rs = { 0 };
	struct buf err = BUF_INIT(0);

	(void)state;
	assert_int_equal(ruleset_load(&rs, &cat, NULL, &err), 0);
	assert_string_equal(err.data, "");
	assert_int_equal(rs.errors, 0);
	assert_true(rs.nr >= 12);
	assert_non_null(ruleset_find(&rs, "oom-kill"));
	ruleset_release(&rs);
	buf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_rule),
		cmocka_unit_test(test_located_errors),
		cmocka_unit_test(test_groups_and_tables),
		cmocka_unit_test(test_unknown_category_from_data),
		cmocka_unit_test(test_literals),
		cmocka_unit_test(test_default_rules_load),
	};

	return cmocka_run_group_tests(tests, unit_catalog_setup, unit_catalog_teardown);
}
