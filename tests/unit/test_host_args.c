/*
 * test_host_args.c: what casefile run on a host is told (inplace.h): the
 * words of the engineer's command line its option table sends there
 * (cmd_collect_host_args, options_argv), and the names a bundle takes
 * (collect_bundle_name)
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "unit.h"
#include "collect.h"
#include "commands.h"
#include "options.h"

/* argv as one line, words between '|'; NULL as "(none)" */
static char *joined(char **argv)
{
	struct buf b = BUF_INIT(0);
	char **w;

	if (!argv)
		buf_addstr(&b, "(none)");
	for (w = argv; w && *w; w++)
		buf_addf(&b, "%s%s", w == argv ? "" : "|", *w);
	return buf_detach(&b, NULL);
}

/* The host's words for "collect ARG... NULL", joined. */
static char *words_of(const char *arg, ...)
{
	char *argv[64], **words, *line;
	va_list ap;
	int argc = 0;

	argv[argc++] = "collect";
	va_start(ap, arg);
	for (; arg && argc < 63; arg = va_arg(ap, const char *))
		argv[argc++] = (char *)arg;
	va_end(ap);
	argv[argc] = NULL;
	words = cmd_collect_host_args(argc, argv);
	line = joined(words);
	strv_free(words);
	return line;
}

static void expect(char *got, const char *want)
{
	assert_string_equal(got, want);
	free(got);
}

static void test_collect_words(void **state)
{
	(void)state;
	/* nothing for the host: no words */
	expect(words_of("-o", "/tmp", NULL), "(none)");
	/* what the host's collection needs, with the values given, in the table's order */
	expect(words_of("--problem", "it's $(reboot) `x` \"q\"", "--ticket", "T-1;x", "--label", "L",
		     "--skip", "journal", "--only", "uname,df", "--since", "2026-11-20 03:00",
		     "--max-size", "64M", "--no-redact", NULL),
	       "--ticket|T-1;x|--label|L|--problem|it's $(reboot) `x` \"q\"|--only|uname,df|"
	       "--skip|journal|--since|2026-11-20T03:00:00Z|--max-size|67108864|--no-redact");
	/* sos report's name for the ticket goes as the ticket */
	expect(words_of("--case-id", "C-7", NULL), "--ticket|C-7");
	/* this machine's options stay here; what is each host's own is inplace.c's */
	expect(words_of("--host", "db1", "-j", "8", "-i", "/k", "--sudo", "--known-hosts", "/kh",
		     "--accept-new-host-keys", "-F", "/cfg", "--no-ssh-config", "--connect-timeout",
		     "5s", "--host-timeout", "2m", "--no-push", "--upload", "sftp://d/x", "-q",
		     "--obfuscate", "--rules", "/r", "--batch", "--tmp-dir", "/t", "--target", "n",
		     "--inplace", "h", "--bundle-name", "b", "--collected-by", "u", "--stop-after",
		     "9s", "--address", "a:1", "--proxy", "p", "--list", "--ask-password", NULL),
	       "(none)");
	/* a usage error: nothing */
	expect(words_of("--since", "someday", NULL), "(none)");
	expect(words_of("--bogus", NULL), "(none)");
}

static struct {
	int flag, set, jobs, choice;
	int64_t size, after;
	const char *name;
	char **list, **many;
	char *raw;
} v;

static const char *const colours[] = { "red", "green", NULL };

static void raw_fmt(const void *value, struct buf *out)
{
	const char *const *p = value;

	if (*p)
		buf_addf(out, "<%s>", *p);
}

static int raw_cb(const char *arg, void *value)
{
	*(const char **)value = arg;
	return 0;
}

static const struct option_def table[] = {
	OPT_BOOL_F(OPT_F_HOST, 0, "flag", &v.flag, "h"),
	OPT_DEF(OPT_T_BOOL, 0, "set", &v.set, NULL, "h", 3, 0, NULL, NULL, NULL, OPT_F_HOST),
	OPT_INT_F(OPT_F_HOST, 'j', NULL, &v.jobs, "N", "h", 1, 9),
	OPT_SIZE_F(OPT_F_HOST, 0, "size", &v.size, "S", "h"),
	OPT_DURATION_F(OPT_F_HOST, 0, "after", &v.after, "T", "h"),
	OPT_STRING_F(OPT_F_HERE, 0, "name", &v.name, "N", "h"),
	OPT_LIST_F(OPT_F_HOST, 0, "list", &v.list, "L", "h"),
	OPT_APPEND_F(OPT_F_HOST, 0, "many", &v.many, "M", "h"),
	OPT_DEF(OPT_T_CHOICE, 0, "colour", &v.choice, "C", "h", 0, 0, colours, NULL, NULL,
		OPT_F_HOST),
	OPT_CALLBACK_F(OPT_F_HOST, 0, "raw", &v.raw, "R", "h", raw_cb, raw_fmt),
	OPT_END_OF_TABLE
};

static void test_options_argv(void **state)
{
	char *list[] = { "a", "b", NULL }, *many[] = { "m1", "m 2", NULL };
	char **words = NULL, *line;

	(void)state;
	memset(&v, 0, sizeof(v));
	assert_int_equal(options_argv(table, OPT_F_HOST, &words), 0);
	line = joined(words);
	assert_string_equal(line, "--colour|red");	/* a choice always has a value */
	free(line);
	strv_free(words);
	words = NULL;

	v.flag = 1;
	v.set = 3;
	v.jobs = 4;
	v.size = 1024;
	v.after = 90;
	v.name = "stays here";
	v.list = list;
	v.many = many;
	v.choice = 1;
	v.raw = "x";
	assert_int_equal(options_argv(table, OPT_F_HOST, &words), 0);
	line = joined(words);
	assert_string_equal(line, "--flag|--set|-j|4|--size|1024|--after|90s|--list|a,b|"
			    "--many|m1|--many|m 2|--colour|green|--raw|<x>");
	free(line);
	strv_free(words);
	words = NULL;
	/* a bool set to another value than its own is not on */
	v.set = 1;
	assert_int_equal(options_argv(table, OPT_F_HOST, &words), 0);
	line = joined(words);
	assert_null(strstr(line, "--set"));
	assert_non_null(strstr(line, "--flag|-j|4|"));
	free(line);
	strv_free(words);
	words = NULL;
	/* and the options of the other kind alone */
	assert_int_equal(options_argv(table, OPT_F_HERE, &words), 0);
	line = joined(words);
	assert_string_equal(line, "--name|stays here");
	free(line);
	strv_free(words);
}

static void test_undecided_option(void **state)
{
	static int x;
	static const struct option_def undecided[] = {
		OPT_BOOL_F(OPT_F_HOST, 0, "known", &x, "h"),
		OPT_BOOL(0, "new", &x, "an option nobody said where it goes"),
		OPT_END_OF_TABLE
	};
	char **words = NULL;

	(void)state;
	assert_int_equal(options_argv(undecided, OPT_F_HOST, &words), CF_ERR_USAGE);
}

static void test_bundle_names(void **state)
{
	char *n;

	(void)state;
	n = collect_bundle_name("vm", NULL, "CASE-1", NULL, 1763607600);
	assert_string_equal(n, "casefile-vm-CASE-1-20251120T030000Z");
	free(n);
	/* the inventory's name beside the host's own, when it is another */
	n = collect_bundle_name("vm", "db1", "CASE-1", "nightly", 1763607600);
	assert_string_equal(n, "casefile-vm-db1-CASE-1-nightly-20251120T030000Z");
	free(n);
	n = collect_bundle_name("vm", "vm", NULL, NULL, 1763607600);
	assert_string_equal(n, "casefile-vm-20251120T030000Z");
	free(n);
	/* every part reduced to [A-Za-z0-9._-] */
	n = collect_bundle_name("../vm", "web 1/x", "T;1", NULL, 1763607600);
	assert_string_equal(n, "casefile-.._vm-web_1_x-T_1-20251120T030000Z");
	free(n);
	n = collect_bundle_name(NULL, "", "", "", 0);
	assert_string_equal(n, "casefile-localhost-19700101T000000Z");
	free(n);
}

/* The one wording of the advice about denied sources, here and over SSH. */
static void test_denied_advice(void **state)
{
	struct buf b = BUF_INIT(0);

	(void)state;
	collect_denied_advice(&b, 1, "uid 1000", "sudo");
	assert_string_equal(b.data, "1 source was denied to uid 1000: run it again with sudo "
			    "to collect it");
	buf_reset(&b);
	collect_denied_advice(&b, 16, "cftest", "--sudo");
	assert_string_equal(b.data, "16 sources were denied to cftest: run it again with "
			    "--sudo to collect them");
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_collect_words),
		cmocka_unit_test(test_options_argv),
		cmocka_unit_test(test_undecided_option),
		cmocka_unit_test(test_bundle_names),
		cmocka_unit_test(test_denied_advice),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
