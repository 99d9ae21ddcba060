/* test_unrecognised.c: error lines no rule recognises, as templates */
#include "unit.h"
#include "unrecognised.h"

static void template_is(const char *line, const char *want)
{
	char out[UNREC_TEXT + 1];

	unrec_template_of(line, strlen(line), out);
	if (strcmp(out, want))
		fail_msg("'%s' gave '%s', not '%s'", line, out, want);
}

static void test_templates_mask_what_varies(void **state)
{
	(void)state;
	template_is("Nov 20 03:12:09 web1 nginx[812]: connect() to 10.0.0.5:9000 failed (111: "
		    "Connection refused)", "connect() to <ip>:<n> failed (<n>: Connection refused)");
	template_is("2026-11-20T03:12:09.1+01:00 db1 app[9]: cannot open /var/lib/app/x.db: "
		    "error 0x1f", "cannot open <path>: error <hex>");
	template_is("Nov 20 03:12:09 h app[9]: job 3f2a9c1e-77aa-4b1e-9d2f-000000000001 failed",
		    "job <id> failed");
	template_is("Nov 20 03:12:09 h app[9]: user 'alice' denied by policy \"strict\"",
		    "user <str> denied by policy <str>");
	template_is("[12345.678901] some driver: reset failed", " some driver: reset failed");
	/* words that merely hold digits stay: sdb1, eth0 */
	template_is("Nov 20 03:12:09 h k[1]: sdb1 on eth0 failed", "sdb1 on eth0 failed");
}

static void feed(struct unrecognised *u, const char *line, int64_t sec)
{
	struct ts ts = { .kind = TS_WALL, .sec = sec };

	unrec_line(u, "var/log/syslog", 1, 7, line, strlen(line), ts, "app", "9");
}

static void test_only_errors_kept_and_grouped(void **state)
{
	struct unrecognised *u = unrec_new();
	const struct unrec_template *t;
	size_t n;

	(void)state;
	feed(u, "Nov 20 03:12:09 h app[9]: request 17 failed: upstream 502", 1000);
	feed(u, "Nov 20 03:12:10 h app[9]: request 18 failed: upstream 503", 1001);
	/* mentions, not errors */
	feed(u, "Nov 20 03:12:11 h app[9]: checked 40 files, 0 errors", 1002);
	feed(u, "Nov 20 03:12:12 h app[9]: mounted with errors=remount-ro", 1003);
	feed(u, "Nov 20 03:12:13 h app[9]: terrorism report ready", 1004);
	t = unrec_templates(u, &n);
	assert_int_equal(n, 1);
	/* an exception by its name is one */
	feed(u, "Nov 20 03:12:14 h app[9]: ModuleNotFoundError: No module named 'shop'", 1005);
	feed(u, "Nov 20 03:12:14 h app[9]: /etc/app.conf line 4: Bad configuration option", 1005);
	t = unrec_templates(u, &n);
	assert_int_equal(n, 3);
	assert_string_equal(t[1].text, "ModuleNotFoundError: No module named <str>");
	assert_string_equal(t[2].text, "<path> line <n>: Bad configuration option");
	assert_string_equal(t[0].text, "request <n> failed: upstream <n>");
	assert_int_equal(t[0].count, 2);
	assert_int_equal(t[0].first.sec, 1000);
	assert_int_equal(t[0].last.sec, 1001);
	assert_string_equal(t[0].program, "app");
	assert_int_equal(t[0].line, 7);
	assert_false(t[0].burst);
	unrec_free(u);
}

static void test_burst_and_cap(void **state)
{
	struct unrecognised *u = unrec_new();
	const struct unrec_template *t;
	char line[128];
	size_t n, i;

	(void)state;
	/* UNREC_BURST lines spread over more than the window: no burst */
	for (i = 0; i < UNREC_BURST; i++)
		feed(u, "Nov 20 03:12:09 h app[9]: sync failed", (int64_t)(i * 60));
	assert_false(unrec_templates(u, &n)[0].burst);
	/* the same within the window: a burst */
	for (i = 0; i < UNREC_BURST; i++)
		feed(u, "Nov 20 03:12:09 h app[9]: sync failed", (int64_t)(5000 + i));
	assert_true(unrec_templates(u, &n)[0].burst);
	/* past the cap, templates are counted, not kept */
	for (i = 0; i < UNREC_TEMPLATES + 10; i++) {
		snprintf(line, sizeof(line), "Nov 20 03:12:09 h app[9]: step%c%c%c failed",
			 'a' + (int)(i % 26), 'a' + (int)(i / 26 % 26), 'a' + (int)(i / 676 % 26));
		feed(u, line, 9000);
	}
	t = unrec_templates(u, &n);
	assert_int_equal(n, UNREC_TEMPLATES);
	assert_true(unrec_dropped(u) >= 10);
	assert_non_null(t);
	unrec_free(u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_templates_mask_what_varies),
		cmocka_unit_test(test_only_errors_kept_and_grouped),
		cmocka_unit_test(test_burst_and_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
