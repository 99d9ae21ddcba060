/* test_options.c: option tables: values, ranges, errors, "did you mean", help */
#include <stdio.h>
#include <unistd.h>
#include "unit.h"
#include "options.h"
#include "suggest.h"

static struct {
	int flag, jobs, choice;
	const char *out;
	char **only, **hosts;
	int64_t size, timeout;
} v;

static const char *const colours[] = { "red", "green", NULL };

static const struct option_def opts[] = {
	OPT_BOOL('q', "quiet", &v.flag, "say less"),
	OPT_STRING('o', "output", &v.out, "DIR", "where"),
	OPT_INT('j', "jobs", &v.jobs, "N", "at once", 1, 256),
	OPT_LIST(0, "only", &v.only, "A,B", "these"),
	OPT_APPEND(0, "host", &v.hosts, "HOST", "a host\n(repeatable)"),
	OPT_SIZE(0, "max-size", &v.size, "SIZE", "cap"),
	OPT_DURATION(0, "timeout", &v.timeout, "T", "limit"),
	OPT_CHOICE(0, "colour", &v.choice, "C", "red or green", colours),
	OPT_END_OF_TABLE
};

static const struct options spec = { "usage: casefile test [options]", "Intro.", opts, NULL };

static int parse(int *next, ...)
{
	char *argv[32];
	va_list ap;
	int argc = 0, r;

	argv[argc++] = "test";
	va_start(ap, next);
	while ((argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	strv_free(v.only);
	strv_free(v.hosts);
	memset(&v, 0, sizeof(v));
	r = options_parse(&spec, argc, argv, next);
	return r;
}

static void test_values(void **state)
{
	int next;

	(void)state;
	assert_int_equal(parse(&next, "-q", "--output", "/tmp", "-j", "16", "--only", "a,,b",
			       "--host", "h1", "--host=h2", "--max-size", "64M", "--timeout", "5m",
			       "--colour", "green", "PATH", NULL), 0);
	assert_true(v.flag);
	assert_string_equal(v.out, "/tmp");
	assert_int_equal(v.jobs, 16);
	assert_int_equal(strv_len(v.only), 2);
	assert_string_equal(v.only[1], "b");
	assert_int_equal(strv_len(v.hosts), 2);
	assert_string_equal(v.hosts[1], "h2");
	assert_int_equal(v.size, 64 << 20);
	assert_int_equal(v.timeout, 300);
	assert_int_equal(v.choice, 1);
	assert_int_equal(next, 17);	/* argv[next] is PATH */
}

static void test_errors_are_usage(void **state)
{
	int next;

	(void)state;
	/* out of range, not a number, trailing junk, bad size, bad choice, unknown, missing */
	assert_int_equal(parse(&next, "-j", "0", NULL), CF_ERR_USAGE);
	assert_int_equal(parse(&next, "-j", "257", NULL), CF_ERR_USAGE);
	assert_int_equal(parse(&next, "-j", "four", NULL), CF_ERR_USAGE);
	assert_int_equal(parse(&next, "-j", "4x", NULL), CF_ERR_USAGE);
	assert_int_equal(parse(&next, "-j", "99999999999999999999", NULL), CF_ERR_USAGE);
	assert_int_equal(parse(&next, "--max-size", "lots", NULL), CF_ERR_USAGE);
	assert_int_equal(parse(&next, "--timeout", "-5s", NULL), CF_ERR_USAGE);
	assert_int_equal(parse(&next, "--colour", "blue", NULL), CF_ERR_USAGE);
	assert_int_equal(parse(&next, "--bogus", NULL), CF_ERR_USAGE);
	assert_int_equal(parse(&next, "-x", NULL), CF_ERR_USAGE);
	assert_int_equal(parse(&next, "--output", NULL), CF_ERR_USAGE);
}

/* parse one option; what it printed on stderr into msg */
static int parse_msg(const char *arg, char *msg, size_t size)
{
	FILE *f = tmpfile();
	int saved, next, r;
	size_t n;

	assert_non_null(f);
	fflush(stderr);
	saved = dup(2);
	dup2(fileno(f), 2);
	r = parse(&next, arg, NULL);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(f);
	n = fread(msg, 1, size - 1, f);
	msg[n] = '\0';
	fclose(f);
	return r;
}

static void test_unknown_options_say_why(void **state)
{
	char msg[1024];

	(void)state;
	assert_int_equal(parse_msg("--outptu", msg, sizeof(msg)), CF_ERR_USAGE);
	assert_non_null(strstr(msg, "unknown option '--outptu'; did you mean '--output'?\n"));
	assert_int_equal(parse_msg("--color=red", msg, sizeof(msg)), CF_ERR_USAGE);
	assert_non_null(strstr(msg, "unknown option '--color'; did you mean '--colour'?\n"));
	assert_int_equal(parse_msg("--hepl", msg, sizeof(msg)), CF_ERR_USAGE);
	assert_non_null(strstr(msg, "did you mean '--help'?"));
	/* nothing close: no guess */
	assert_int_equal(parse_msg("--frobnicate", msg, sizeof(msg)), CF_ERR_USAGE);
	assert_non_null(strstr(msg, "unknown option '--frobnicate'\n"));
	assert_null(strstr(msg, "did you mean"));
	/* the start of two names, a flag given a value, an unknown letter */
	assert_int_equal(parse_msg("--o", msg, sizeof(msg)), CF_ERR_USAGE);
	assert_non_null(strstr(msg, "option '--o' is ambiguous: --output, --only\n"));
	assert_int_equal(parse_msg("--quiet=yes", msg, sizeof(msg)), CF_ERR_USAGE);
	assert_non_null(strstr(msg, "--quiet takes no value\n"));
	assert_int_equal(parse_msg("-Z", msg, sizeof(msg)), CF_ERR_USAGE);
	assert_non_null(strstr(msg, "unknown option '-Z'\n"));
	/* the usage follows every one */
	assert_non_null(strstr(msg, "usage: casefile test [options]\n"));
	/* an unambiguous start is still that option */
	assert_int_equal(parse_msg("--out=x", msg, sizeof(msg)), 0);
	assert_string_equal(v.out, "x");
}

static void test_suggest(void **state)
{
	const char *const commands[] = { "collect", "analyze", "rules", "upload", "clean", NULL };
	char longer[80];

	(void)state;
	assert_int_equal(suggest_distance("kitten", "sitting"), 3);
	assert_int_equal(suggest_distance("", "abc"), 3);
	assert_int_equal(suggest_distance("same", "same"), 0);
	assert_string_equal(suggest_closest("anlyze", commands), "analyze");
	assert_string_equal(suggest_closest("colect", commands), "collect");
	assert_string_equal(suggest_closest("rule", commands), "rules");
	assert_string_equal(suggest_closest("uplaod", commands), "upload");
	/* three edits, or as many edits as letters, is no typo */
	assert_null(suggest_closest("report", commands));
	assert_null(suggest_closest("x", commands));
	memset(longer, 'a', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	assert_int_equal(suggest_distance(longer, "a"), 99);
	assert_null(suggest_closest(longer, commands));
}

static void test_help_lists_every_option(void **state)
{
	char *out = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);

	(void)state;
	options_usage(&spec, m);
	fclose(m);
	assert_non_null(strstr(out, "usage: casefile test [options]\n\nIntro.\n"));
	assert_non_null(strstr(out, "  -o, --output DIR       where\n"));
	assert_non_null(strstr(out, "  --host HOST            a host\n"
				    "                         (repeatable)\n"));
	assert_non_null(strstr(out, "  --colour C"));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_errors_are_usage),
		cmocka_unit_test(test_unknown_options_say_why),
		cmocka_unit_test(test_suggest),
		cmocka_unit_test(test_help_lists_every_option),
	};
	int r = cmocka_run_group_tests(tests, NULL, NULL);

	strv_free(v.only);
	strv_free(v.hosts);
	return r;
}
