/* test_bundle.c: the bundle reader on archives and directories it is given */
#include <archive.h>
#include <archive_entry.h>
#include <zlib.h>
#include "unit.h"
#include "bundle.h"
#include "catalog.h"

#define dir unit_dir
#define cat unit_cat

static int setup(void **state)
{
	return unit_catalog_setup(state) || unit_dir_setup(state) ? -1 : 0;
}

static int teardown(void **state)
{
	unit_catalog_teardown(state);
	return unit_dir_teardown(state);
}

/* What the visitor saw: every wanted member's lines, with line numbers. */
struct seen {
	struct buf text;
	unsigned members;
};

static int want_all(void *ctx, const struct member *m)
{
	(void)ctx;
	return strncmp(m->path, "casefile/", 9) != 0;
}

static int lines(void *ctx, const struct member *m, const char *data, size_t len,
		 uint64_t first)
{
	struct seen *s = ctx;

	buf_addf(&s->text, "[%s:%llu]", m->path, (unsigned long long)first);
	buf_add(&s->text, data, len);
	return 0;
}

static void gzip_of(const char *text, struct buf *out)
{
	z_stream z;
	char chunk[4096];

	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (Bytef *)text;
	z.avail_in = (uInt)strlen(text);
	z.next_out = (Bytef *)chunk;
	z.avail_out = sizeof(chunk);
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	buf_add(out, chunk, sizeof(chunk) - z.avail_out);
	deflateEnd(&z);
}

static void add(struct archive *a, const char *name, const void *data, size_t n)
{
	struct archive_entry *e = archive_entry_new();

	archive_entry_set_pathname(e, name);
	archive_entry_set_size(e, (la_int64_t)n);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0600);
	archive_entry_set_mtime(e, 1795000000, 0);
	assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
	assert_int_equal(archive_write_data(a, data, n), (la_ssize_t)n);
	archive_entry_free(e);
}

static void walk(const char *path, struct bundle_info *bi, struct seen *s, size_t line_cap)
{
	struct bundle_limits lim = { BUNDLE_DEFAULT_MEMBER_CAP, BUNDLE_DEFAULT_TOTAL_CAP, line_cap };
	struct bundle_visitor v = { s, want_all, lines };
	struct buf err = BUF_INIT(0);

	bundle_info_init(bi, path);
	assert_int_equal(bundle_walk(path, &cat, &lim, &v, bi, &err), 0);
	assert_string_equal(err.data, "");
	buf_release(&err);
}

static void test_casefile_archive(void **state)
{
	static const char manifest[] =
		"{\"host\": \"db1\", \"ticket\": \"T-1\", \"complete\": false, \"items\": ["
		"{\"source\": \"dmesg\", \"status\": \"timeout\", \"error\": \"killed\"},"
		"{\"source\": \"syslog\", \"status\": \"ok\", \"truncated\": true, \"path\": \"x\"},"
		"{\"source\": \"sar\", \"status\": \"absent\"}]}";
	struct archive *a = archive_write_new();
	struct buf path = BUF_INIT(0), gz = BUF_INIT(0), bin = BUF_INIT(0);
	struct bundle_info bi;
	struct seen s = { BUF_INIT(0), 0 };
	int i;

	(void)state;
	buf_addf(&path, "%s/casefile-db1-T-1-20261120T031209Z.tar.gz", dir);
	gzip_of("rotated one\nrotated two\n", &gz);
	for (i = 0; i < 200; i++)
		buf_addch(&bin, (char)(i % 7));
	archive_write_set_format_pax_restricted(a);
	archive_write_add_filter_gzip(a);
	assert_int_equal(archive_write_open_filename(a, path.data), ARCHIVE_OK);
	add(a, "casefile-db1-T-1-20261120T031209Z/casefile/manifest.json", manifest,
	    strlen(manifest));
	add(a, "casefile-db1-T-1-20261120T031209Z/var/log/syslog", "a\nb\nno newline", 14);
	add(a, "casefile-db1-T-1-20261120T031209Z/var/log/syslog.2.gz", gz.data, gz.len);
	add(a, "casefile-db1-T-1-20261120T031209Z/var/log/wtmp", bin.data, bin.len);
	archive_write_free(a);

	walk(path.data, &bi, &s, BUNDLE_DEFAULT_LINE_CAP);
	assert_int_equal(bi.layout, LAYOUT_CASEFILE);
	assert_string_equal(bi.hostname, "db1");
	assert_string_equal(bi.ticket, "T-1");
	assert_false(bi.complete);
	/* gaps: the timeout and the truncation, not the absent source */
	assert_int_equal(strv_len(bi.gaps), 2);
	assert_string_equal(bi.gaps[0], "dmesg: timeout: killed");
	/* the top folder is dropped; a last line gets its newline; gzip is inflated */
	assert_non_null(strstr(s.text.data, "[var/log/syslog:1]a\nb\nno newline\n"));
	assert_non_null(strstr(s.text.data, "[var/log/syslog.2.gz:1]rotated one\nrotated two\n"));
	/* binary content is skipped, and said so */
	assert_null(strstr(s.text.data, "wtmp"));
	assert_non_null(bi.notes);
	assert_non_null(strstr(bi.notes[0], "var/log/wtmp: binary content"));
	bundle_info_release(&bi);
	buf_release(&s.text);
	buf_release(&path);
	buf_release(&gz);
	buf_release(&bin);
}

static void test_directory_and_long_lines(void **state)
{
	struct buf path = BUF_INIT(0), text = BUF_INIT(0);
	struct bundle_info bi;
	struct seen s = { BUF_INIT(0), 0 };
	FILE *f;
	int i;

	(void)state;
	buf_addf(&path, "mkdir -p '%s/host/var/log'", dir);
	assert_int_equal(system(path.data), 0);
	buf_reset(&path);
	buf_addf(&path, "%s/host/var/log/messages", dir);
	f = fopen(path.data, "w");
	assert_non_null(f);
	fputs("first\n", f);
	/* longer than a block: it cannot be carried whole */
	for (i = 0; i < 2 * BUNDLE_BLOCK; i++)
		buf_addch(&text, 'x');
	fprintf(f, "%s\nlast\n", text.data);
	fclose(f);
	buf_reset(&path);
	buf_addf(&path, "%s/host", dir);
	walk(path.data, &bi, &s, 100);
	assert_int_equal(bi.layout, LAYOUT_DIRECTORY);
	/* a line that cannot be carried is cut at the cap; the next one still counts */
	assert_non_null(strstr(s.text.data, "first\n"));
	assert_non_null(strstr(s.text.data, "last\n"));
	assert_null(strstr(s.text.data, text.data));
	assert_non_null(strstr(bi.notes[0], "line longer than 100 bytes"));
	bundle_info_release(&bi);
	buf_release(&s.text);
	buf_release(&path);
	buf_release(&text);
}

static void test_unreadable_input(void **state)
{
	struct bundle_limits lim = { BUNDLE_DEFAULT_MEMBER_CAP, BUNDLE_DEFAULT_TOTAL_CAP,
				     BUNDLE_DEFAULT_LINE_CAP };
	struct seen s = { BUF_INIT(0), 0 };
	struct bundle_visitor v = { &s, want_all, lines };
	struct bundle_info bi;
	struct buf err = BUF_INIT(0), path = BUF_INIT(0);
	FILE *f;

	(void)state;
	buf_addf(&path, "%s/not-an-archive.tar.gz", dir);
	f = fopen(path.data, "w");
	assert_non_null(f);
	fputs("\x1f\x8b garbage that is no gzip stream", f);
	fclose(f);
	bundle_info_init(&bi, path.data);
	assert_true(bundle_walk(path.data, &cat, &lim, &v, &bi, &err) < 0);
	/* one message that names the file */
	assert_non_null(strstr(err.data, path.data));
	bundle_info_release(&bi);
	buf_reset(&err);
	bundle_info_init(&bi, "/nonexistent/bundle");
	assert_int_equal(bundle_walk("/nonexistent/bundle", &cat, &lim, &v, &bi, &err), CF_ERR_IO);
	assert_non_null(strstr(err.data, "/nonexistent/bundle: cannot open"));
	bundle_info_release(&bi);
	buf_release(&err);
	buf_release(&path);
	buf_release(&s.text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_casefile_archive),
		cmocka_unit_test(test_directory_and_long_lines),
		cmocka_unit_test(test_unreadable_input),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
