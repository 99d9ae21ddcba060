/* test_files.c: file sources into a bundle: caps, rotations, --since, redaction, long lines */
#include <fcntl.h>
#include <jansson.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "unit.h"
#include "unit_files.h"
#include "collect.h"
#include "hash.h"
#include "intake.h"

#define dir unit_dir

static struct catalog cat;

static void lines(const char *name, const char *word, int n, time_t t)
{
	struct buf b = BUF_INIT(0);
	int i;

	for (i = 0; i < n; i++)
		buf_addf(&b, "%s line %02d\n", word, i);	/* 12 bytes with "now"/"old" */
	unit_put(name, b.data, b.len, 0, t);
	buf_release(&b);
}

static int setup(void **state)
{
	struct buf y = BUF_INIT(0), err = BUF_INIT(0), d = BUF_INIT(0);
	int r;

	if (unit_dir_setup(state))
		return -1;
	buf_addf(&d, "%s/log", dir);
	mkdir(d.data, 0700);
	buf_reset(&d);
	buf_addf(&d, "%s/out", dir);
	mkdir(d.data, 0700);
	/* 10 lines of 12 bytes, then 5, then a compressed one, then one past the total */
	buf_addf(&y, "sources:\n"
		 "  - {name: app, kind: log, files: ['%s/log/app'], cap: 100, total: 152}\n"
		 "  - {name: conf, kind: config, files: ['%s/app.conf']}\n"
		 "  - {name: long, files: ['%s/long']}\n"
		 "  - {name: missing, files: ['%s/none/*']}\n", dir, dir, dir, dir);
	r = catalog_parse(&cat, "t.yaml", y.data, y.len, &err);
	if (r)
		fprintf(stderr, "%s", err.data);
	lines("log/app", "now", 10, 5000);
	lines("log/app.1", "old", 5, 4000);
	unit_put("log/app.2.gz", "gz line\n", 8, 1, 3000);
	lines("log/app.3", "old", 1, 2000);
	buf_release(&y);
	buf_release(&err);
	buf_release(&d);
	return r;
}

static int teardown(void **state)
{
	catalog_release(&cat);
	return unit_dir_teardown(state);
}

/* A collected bundle: its members by path (below the host's dir), its manifest's items. */
struct bundle {
	json_t *members;	/* path -> text */
	json_t *items;		/* origin (or source) -> item */
};

static void bundle_read(struct bundle *b, const char *path)
{
	struct intake_policy p = INTAKE_POLICY_DEFAULT;
	const struct intake_entry *e;
	struct buf err = BUF_INIT(0), text = BUF_INIT(0);
	struct intake *in;
	json_t *m, *it;
	size_t i;
	int r;

	b->members = json_object();
	b->items = json_object();
	assert_int_equal(intake_open(&in, path, &p, &err), 0);
	while ((r = intake_next(in, &e, &err)) == 1) {
		char chunk[8192];
		ssize_t n;

		buf_reset(&text);
		while ((n = intake_read(in, chunk, sizeof(chunk), &err)) > 0)
			buf_add(&text, chunk, (size_t)n);
		assert_int_equal(n, 0);
		/* members of the test's files by their path below dir */
		json_object_set_new(b->members, strstr(e->path, dir + 1) ? e->path + strlen(dir) - 1 :
				    e->path, json_stringn(text.data, text.len));
	}
	assert_int_equal(r, 0);
	intake_free(in);
	m = json_loads(json_string_value(json_object_get(b->members, "casefile/manifest.json")),
		       0, NULL);
	assert_non_null(m);
	json_array_foreach(json_object_get(m, "items"), i, it) {
		const char *o = json_string_value(json_object_get(it, "origin"));

		json_object_set(b->items, o ? o + strlen(dir) : json_string_value(
					json_object_get(it, "source")), it);
	}
	json_decref(m);
	buf_release(&err);
	buf_release(&text);
}

static void bundle_release(struct bundle *b)
{
	json_decref(b->members);
	json_decref(b->items);
}

static const char *member(const struct bundle *b, const char *path)
{
	return json_string_value(json_object_get(b->members, path));
}

static const char *field(const struct bundle *b, const char *origin, const char *key)
{
	json_t *v = json_object_get(json_object_get(b->items, origin), key);

	return json_is_string(v) ? json_string_value(v) : json_is_true(v) ? "true" :
	       json_is_false(v) ? "false" : NULL;
}

static long long number(const struct bundle *b, const char *origin, const char *key)
{
	return json_integer_value(json_object_get(json_object_get(b->items, origin), key));
}

/* Collect the sources named (comma-separated) into a bundle and read it. */
static void collect(const char *only, int64_t since, struct bundle *b)
{
	struct collect_opts o = { 0 };
	struct collect_result res;
	struct buf out = BUF_INIT(0);

	buf_addf(&out, "%s/out", dir);
	o.outdir = out.data;
	o.only = strv_split(only, ',');
	o.since = since;
	o.redact = 1;
	o.quiet = 1;
	assert_int_equal(collect_run(&cat, &o, &res), 0);
	assert_true(res.complete);
	bundle_read(b, res.bundle_path);
	unlink(res.bundle_path);
	collect_result_release(&res);
	strv_free(o.only);
	buf_release(&out);
}

static void test_caps_and_rotations(void **state)
{
	struct bundle b;

	(void)state;
	collect("app", 0, &b);
	/* over the file cap: the end, from a line start, marked truncated */
	assert_string_equal(member(&b, "/log/app"), "now line 02\nnow line 03\nnow line 04\n"
			    "now line 05\nnow line 06\nnow line 07\nnow line 08\nnow line 09\n");
	assert_string_equal(field(&b, "/log/app", "truncated"), "true");
	assert_int_equal(number(&b, "/log/app", "original_bytes"), 120);
	/* the next is capped by what the source's total has left (152 - 96) */
	assert_string_equal(member(&b, "/log/app.1"), "old line 01\nold line 02\n"
			    "old line 03\nold line 04\n");
	/* a compressed rotation lands inflated, without its .gz */
	assert_string_equal(member(&b, "/log/app.2"), "gz line\n");
	assert_null(member(&b, "/log/app.2.gz"));
	assert_string_equal(field(&b, "/log/app.2.gz", "status"), "ok");
	/* the total is spent: the oldest is left out, and the manifest says why */
	assert_null(member(&b, "/log/app.3"));
	assert_string_equal(field(&b, "/log/app.3", "status"), "skipped");
	assert_non_null(strstr(field(&b, "/log/app.3", "error"), "size cap"));
	bundle_release(&b);
}

static void test_since(void **state)
{
	struct bundle b;

	(void)state;
	collect("app", 3500, &b);
	assert_non_null(member(&b, "/log/app"));
	assert_non_null(member(&b, "/log/app.1"));
	assert_null(member(&b, "/log/app.2"));
	assert_string_equal(field(&b, "/log/app.2.gz", "error"), "older than --since");
	bundle_release(&b);
	/* the newest file is never left out, however old */
	collect("app", 6000, &b);
	assert_non_null(member(&b, "/log/app"));
	assert_string_equal(field(&b, "/log/app.1", "status"), "skipped");
	bundle_release(&b);
}

static void test_redaction_in_two_passes(void **state)
{
	static const char conf[] = "url = postgres://app:hunter2secret@db/x\nplain line\n"
				   "no newline at the end";
	char hex[SHA256_HEX_LEN + 1];
	struct bundle b;
	const char *m;

	(void)state;
	unit_put("app.conf", conf, sizeof(conf) - 1, 0, 100);
	collect("conf", 0, &b);
	m = member(&b, "/app.conf");
	assert_non_null(m);
	assert_null(strstr(m, "hunter2secret"));
	assert_non_null(strstr(m, "plain line\nno newline at the end"));
	assert_true(number(&b, "/app.conf", "redactions") >= 1);
	/* the size and checksum written first are those of what was streamed after */
	assert_int_equal(number(&b, "/app.conf", "bytes"), strlen(m));
	sha256_hex(m, strlen(m), hex);
	assert_string_equal(field(&b, "/app.conf", "sha256"), hex);
	bundle_release(&b);
}

static void test_long_line_and_absent(void **state)
{
	size_t n = 3 * 1024 * 1024 / 2, i;
	char *text = xmalloc(n + 5);
	struct bundle b;
	const char *m;

	(void)state;
	/* a line longer than the reader's longest (1M): passed on in pieces, whole */
	for (i = 0; i < n; i++)
		text[i] = (char)('a' + i % 26);
	memcpy(text + n, "\nend\n", 5);
	unit_put("long", text, n + 5, 0, 100);
	collect("long,missing", 0, &b);
	m = member(&b, "/long");
	assert_non_null(m);
	assert_int_equal(strlen(m), n + 5);
	assert_memory_equal(m, text, n + 5);
	assert_string_equal(field(&b, "/none/*", "status"), "absent");
	assert_string_equal(field(&b, "/none/*", "error"), "no such file");
	bundle_release(&b);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_caps_and_rotations),
		cmocka_unit_test(test_since),
		cmocka_unit_test(test_redaction_in_two_passes),
		cmocka_unit_test(test_long_line_and_absent),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
