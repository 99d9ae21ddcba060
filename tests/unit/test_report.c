/* test_report.c: the four report formats, and what a hostile bundle cannot do to them */
#include <jansson.h>
#include "unit.h"
#include "fleet_pool.h"
#include "report_format.h"

/* A finding and a bundle made by hand: the fields a bundle controls are hostile. */
static struct rule rule = {
	.id = "oom-kill", .title = "OOM", .category = "memory.oom", .severity = SEV_CRITICAL,
};
static struct rule rule2 = {
	.id = "unit-failed", .title = "unit", .category = "service.unit-failed",
	.severity = SEV_HIGH,
};
static struct evidence ev[2];
static size_t one[1] = { 1 }, zero[1] = { 0 };
static struct finding f[2];
static struct bundle_info bi;
static struct report r;

static int setup(void **state)
{
	(void)state;
	memset(&bi, 0, sizeof(bi));
	bi.path = "bundle.tar.gz";
	bi.layout = LAYOUT_CASEFILE;
	bi.complete = 1;
	bi.hostname = "db1\033]52;c;ZXZpbA==\007\033[2J";	/* clipboard, clear screen */
	bi.ticket = "T-1\xc2\x9b" "31m";			/* a C1 CSI */
	bi.problem = "bad \xc0\xaf utf-8 and \xed\xa0\x80 a surrogate";
	ev[0].path = "var/log/x\n```\n<script>alert(1)</script>";
	ev[0].line = 7;
	ev[0].text = "line with ``` and ```` fences & <b>";
	ev[1].path = "var/log/messages";
	ev[1].line = 9;
	ev[1].text = "plain";
	f[0].rule = &rule;
	f[0].severity = rule.severity;
	f[0].count = 1;
	f[0].ev = &ev[0];
	f[0].nev = 1;
	f[0].root = 1;
	f[0].explanation = "killed \033[31mpostgres";
	f[0].remediation = "";
	f[0].explains = one;
	f[0].nexplains = 1;
	f[0].captures = json_object();
	f[1].rule = &rule2;
	f[1].severity = rule2.severity;
	f[1].count = 3;
	f[1].ev = &ev[1];
	f[1].nev = 1;
	f[1].explanation = "failed";
	f[1].remediation = "";
	f[1].explained_by = zero;
	f[1].nexplained_by = 1;
	f[1].captures = json_object();
	r.bi = &bi;
	r.f = f;
	r.n = 2;
	r.rules = 2;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	json_decref(f[0].captures);
	json_decref(f[1].captures);
	return 0;
}

enum { REPORT_TEXT, REPORT_MD, REPORT_JSON, REPORT_HTML };

/* Reports rs[0..n) in the format of that index: one report, or a fleet of them. */
/* not inlined: gcc 12 then takes the memstream's pointer for a dangling local */
static __attribute__((noinline)) char *render(int fmt, const struct report *rs, size_t n)
{
	const struct report_writer *w = report_writers[fmt];
	char *out = NULL;
	size_t len = 0, i;
	FILE *m = open_memstream(&out, &len);
	struct report_opts o = { 0 };
	struct fleet fl;

	assert_non_null(m);
	if (n == 1) {
		assert_int_equal(w->report(m, rs, &o), 0);
	} else {
		memset(&fl, 0, sizeof(fl));
		for (i = 0; i < n; i++)
			fleet_add(&fl, &rs[i], w, &o);
		fleet_summarize(&fl);
		assert_int_equal(w->fleet(m, &fl, &o), 0);
		fleet_release(&fl);
	}
	fclose(m);
	return out;
}

static void test_text_has_no_control_characters(void **state)
{
	char *t = render(REPORT_TEXT, &r, 1);
	const unsigned char *p;

	(void)state;
	for (p = (const unsigned char *)t; *p; p++)
		if (*p != '\n' && (*p < 0x20 || *p == 0x7f))
			fail_msg("control byte 0x%02x at %zu", *p, (size_t)(p - (unsigned char *)t));
	assert_null(strstr(t, "\xc2\x9b"));	/* nor a C1 control */
	assert_non_null(strstr(t, "host db1\\x1b]52;c;ZXZpbA==\\x07\\x1b[2J"));
	assert_non_null(strstr(t, "ROOT CAUSES"));
	assert_non_null(strstr(t, "SYMPTOMS EXPLAINED BY THE CAUSES ABOVE"));
	assert_non_null(strstr(t, "once"));
	assert_non_null(strstr(t, "3 times"));
	free(t);
}

static void test_markdown_fence_cannot_be_closed(void **state)
{
	char *t = render(REPORT_MD, &r, 1), *open, *close;

	(void)state;
	/* the block's fence is longer than any run of backticks inside it */
	open = strstr(t, "`````\n");
	assert_non_null(open);
	close = strstr(open + 6, "\n`````\n");
	assert_non_null(close);
	assert_non_null(strstr(open, "x\\n```\\n<script>"));	/* still inside, one line */
	assert_true(strstr(open, "<script>") < close);
	/* outside code, markup is escaped */
	assert_null(strstr(t, "\033"));
	free(t);
}

static void test_html_escapes(void **state)
{
	char *t = render(REPORT_HTML, &r, 1);

	(void)state;
	assert_null(strstr(t, "<script>"));
	assert_non_null(strstr(t, "&lt;script&gt;"));
	assert_non_null(strstr(t, "&amp; &lt;b&gt;"));
	assert_null(strstr(t, "\033"));
	assert_non_null(strstr(t, "<a href=\"#oom-kill\">oom-kill</a>"));
	free(t);
}

static void test_json_keeps_every_key(void **state)
{
	char *t = render(REPORT_JSON, &r, 1);
	json_error_t e;
	json_t *j = json_loads(t, 0, &e), *b;

	(void)state;
	assert_non_null(j);
	b = json_object_get(j, "bundle");
	/* invalid UTF-8 is replaced, never a dropped key */
	assert_true(json_is_string(json_object_get(b, "problem")));
	assert_non_null(strstr(json_string_value(json_object_get(b, "problem")), "\xef\xbf\xbd"));
	assert_true(json_is_string(json_object_get(b, "hostname")));
	assert_int_equal(json_array_size(json_object_get(j, "root_causes")), 1);
	assert_string_equal(json_string_value(json_array_get(json_object_get(j, "root_causes"), 0)),
			    "oom-kill");
	json_decref(j);
	free(t);
}

static void test_fleet_is_one_object(void **state)
{
	struct report two[2] = { r, r };
	char *t = render(REPORT_JSON, two, 2);
	json_t *j = json_loads(t, 0, NULL), *shared;

	(void)state;
	assert_non_null(j);
	assert_true(json_is_object(j));
	assert_string_equal(json_string_value(json_object_get(j, "schema")), FLEET_SCHEMA);
	assert_int_equal(json_array_size(json_object_get(j, "hosts")), 2);
	shared = json_object_get(j, "shared");
	assert_int_equal(json_array_size(shared), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(shared, 0), "rule")),
			    "oom-kill");
	json_decref(j);
	free(t);
}

static void test_fleet_summary_in_every_format(void **state)
{
	struct report two[2] = { r, r };
	char *t = render(REPORT_TEXT, two, 2), *m, *h;
	const unsigned char *p;

	(void)state;
	/* hosts x root causes: the shared root cause on both, the hosts told apart */
	assert_non_null(strstr(t, "casefile fleet report: 2 hosts, 2 with a root cause"));
	assert_non_null(strstr(t, "2/2 hosts  CRITICAL  oom-kill"));
	assert_non_null(strstr(t, "HOSTS x ROOT CAUSES"));
	assert_non_null(strstr(t, " (2)"));
	for (p = (const unsigned char *)t; *p; p++)
		if (*p != '\n' && (*p < 0x20 || *p == 0x7f))
			fail_msg("control byte 0x%02x at %zu", *p, (size_t)(p - (unsigned char *)t));
	/* then each host's own report */
	assert_non_null(strstr(strstr(t, "casefile report: host") + 1, "casefile report: host"));
	m = render(REPORT_MD, two, 2);
	assert_non_null(strstr(m, "| 1 | 2/2 | critical | `oom-kill`"));
	assert_non_null(strstr(m, "## Hosts × root causes"));
	assert_null(strstr(m, "\033"));
	h = render(REPORT_HTML, two, 2);
	assert_int_equal(strncmp(h, "<!DOCTYPE html>", 15), 0);
	assert_non_null(strstr(h, "<title>casefile fleet report</title>"));
	assert_non_null(strstr(h, "<td>2/2</td>"));
	assert_null(strstr(h, "\033"));
	assert_null(strstr(h, "<script>"));
	/* each host's ids are its own: no two elements share one */
	assert_non_null(strstr(h, "id=\"h1-oom-kill\""));
	assert_non_null(strstr(h, "id=\"h2-oom-kill\""));
	assert_non_null(strstr(h, "href=\"#h2-"));
	/* one document: one html element */
	assert_null(strstr(strstr(h, "</html>") + 1, "<html"));
	free(t);
	free(m);
	free(h);
}

/* The format table: one entry a format, named as --format names it. */
static void test_format_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; report_format_names[i]; i++) {
		assert_non_null(report_writers[i]);
		assert_string_equal(report_writers[i]->name, report_format_names[i]);
		assert_ptr_equal(report_format_find(report_format_names[i]), report_writers[i]);
	}
	assert_null(report_writers[i]);
	assert_null(report_format_find("pdf"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_has_no_control_characters),
		cmocka_unit_test(test_markdown_fence_cannot_be_closed),
		cmocka_unit_test(test_html_escapes),
		cmocka_unit_test(test_json_keeps_every_key),
		cmocka_unit_test(test_fleet_is_one_object),
		cmocka_unit_test(test_fleet_summary_in_every_format),
		cmocka_unit_test(test_format_table),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
