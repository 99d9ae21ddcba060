/* test_catalog.c: the sources catalogue and where sources live in bundles */
#include "unit.h"
#include "catalog.h"

static void test_default_catalogue(void **state)
{
	struct catalog c = { 0 };
	struct buf err = BUF_INIT(0);
	const struct source *s;

	(void)state;
	assert_int_equal(catalog_load_default(&c, &err), 0);
	assert_string_equal(err.data, "");
	assert_true(c.nr >= 40);
	s = catalog_find(&c, "syslog");
	assert_non_null(s);
	assert_int_equal(s->kind, SOURCE_LOG);
	assert_true(s->rotated);
	s = catalog_find(&c, "journal");
	assert_non_null(s);
	assert_int_equal(s->timeout, 30);
	assert_int_equal(s->cap, 8 * 1024 * 1024);
	catalog_release(&c);
	buf_release(&err);
}

static void test_every_source_has_its_sos_location(void **state)
{
	struct catalog c = { 0 };
	struct buf err = BUF_INIT(0);
	size_t i;

	(void)state;
	assert_int_equal(catalog_load_default(&c, &err), 0);
	assert_true(c.nr >= 250);
	for (i = 0; i < c.nr; i++) {
		const struct source *s = &c.items[i];

		/* "sos: []" says that sos has no equivalent; saying nothing is an error */
		if (!s->sos)
			fail_msg("source '%s' does not say where a sosreport keeps it", s->name);
		if (!s->sos[0])
			continue;
		/* and a sosreport member at that location is read as the source */
		if (!strchr(s->sos[0], '*') && !source_claims(s, s->sos[0]))
			fail_msg("source '%s' does not claim its own sos path %s", s->name, s->sos[0]);
	}
	/* no file is two sources: the bundle would hold two members of one name */
	for (i = 0; i < c.nr; i++) {
		size_t k, a, b;

		for (k = i + 1; k < c.nr; k++)
			for (a = 0; c.items[i].files && c.items[i].files[a]; a++)
				for (b = 0; c.items[k].files && c.items[k].files[b]; b++)
					if (!strcmp(c.items[i].files[a], c.items[k].files[b]))
						fail_msg("%s is both %s and %s", c.items[i].files[a],
							 c.items[i].name, c.items[k].name);
	}
	catalog_release(&c);
	buf_release(&err);
}

static void test_claims_every_layout(void **state)
{
	struct catalog c = { 0 };
	struct buf err = BUF_INIT(0);
	const struct source *syslog, *kernel, *df;

	(void)state;
	assert_int_equal(catalog_load_default(&c, &err), 0);
	syslog = catalog_find(&c, "syslog");
	kernel = catalog_find(&c, "kernel_log");
	df = catalog_find(&c, "df");
	/* casefile and directory layouts */
	assert_true(source_claims(syslog, "var/log/syslog"));
	assert_true(source_claims(syslog, "var/log/messages"));
	assert_true(source_claims(syslog, "var/log/syslog.1"));
	assert_true(source_claims(syslog, "var/log/syslog.2.gz"));
	assert_true(source_claims(syslog, "var/log/messages-20261120"));
	assert_true(source_claims(syslog, "var/log/messages-20261120.gz"));
	assert_false(source_claims(syslog, "var/log/syslog-ng.conf"));
	assert_false(source_claims(syslog, "var/log/syslogd/x"));
	assert_true(source_claims(kernel, "commands/kernel_log"));
	assert_false(source_claims(kernel, "commands/kernel_logs"));
	assert_true(source_claims(df, "commands/df"));
	/* sosreport */
	assert_true(source_claims(kernel, "sos_commands/kernel/dmesg"));
	assert_true(source_claims(df, "sos_commands/filesys/df_-al_-x_autofs"));
	assert_false(source_claims(df, "sos_commands/filesys/df_-ali_-x_autofs"));
	catalog_release(&c);
	buf_release(&err);
}

static void test_rotation_suffix(void **state)
{
	(void)state;
	assert_true(rotation_suffix(""));
	assert_true(rotation_suffix(".1"));
	assert_true(rotation_suffix(".12.gz"));
	assert_true(rotation_suffix("-20261120"));
	assert_true(rotation_suffix(".gz"));
	assert_false(rotation_suffix(".conf"));
	assert_false(rotation_suffix("-ng"));
	assert_false(rotation_suffix(".1.bak"));
}

static void test_parse_errors(void **state)
{
	struct catalog c = { 0 };
	struct buf err = BUF_INIT(0);
	const char bad[] =
		"sources:\n"
		"  - name: ok_one\n"
		"    command: [true]\n"
		"  - name: Bad-Name\n"
		"    command: [true]\n"
		"  - name: two_ways\n"
		"    command: [true]\n"
		"    files: [/x]\n"
		"  - name: relative\n"
		"    files: [var/log/x]\n"
		"  - name: slow\n"
		"    command: [true]\n"
		"    timeout: forever\n"
		"  - name: typo\n"
		"    comand: [true]\n";

	(void)state;
	assert_int_equal(catalog_parse(&c, "s.yaml", bad, strlen(bad), &err), CF_ERR_PARSE);
	assert_non_null(strstr(err.data, "s.yaml:4:"));
	assert_non_null(strstr(err.data, "needs exactly one of 'files', 'command' or 'shell'"));
	assert_non_null(strstr(err.data, "must be an absolute path"));
	assert_non_null(strstr(err.data, "timeout 'forever' is not a duration"));
	assert_non_null(strstr(err.data, "s.yaml:15:5: unknown key 'comand'"));
	/* the good one still loaded */
	assert_non_null(catalog_find(&c, "ok_one"));
	catalog_release(&c);
	buf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_catalogue),
		cmocka_unit_test(test_claims_every_layout),
		cmocka_unit_test(test_every_source_has_its_sos_location),
		cmocka_unit_test(test_rotation_suffix),
		cmocka_unit_test(test_parse_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
