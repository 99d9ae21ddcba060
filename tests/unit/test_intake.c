/* test_intake.c: the one reader of untrusted archives: names, links, caps, formats, JSON */
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <unistd.h>
#include "unit.h"
#include "intake.h"

#define dir unit_dir

static int setup(void **state)
{
	return unit_catalog_setup(state) || unit_dir_setup(state) ? -1 : 0;
}

static int teardown(void **state)
{
	unit_catalog_teardown(state);
	return unit_dir_teardown(state);
}

struct item {
	const char *name;
	const char *data;	/* a regular file's; NULL for a folder */
	const char *link;	/* a symlink's target */
};

/* An archive of the items at dir/name, written with the filter given (or none). */
static const char *make(const char *name, int (*filter)(struct archive *), const struct item *it)
{
	static char path[512];
	struct archive *a = archive_write_new();

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	archive_write_set_format_pax_restricted(a);
	if (filter)
		filter(a);
	assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
	for (; it->name; it++) {
		struct archive_entry *e = archive_entry_new();
		size_t n = it->data ? strlen(it->data) : 0;

		archive_entry_set_pathname(e, it->name);
		archive_entry_set_perm(e, 0644);
		if (it->link) {
			archive_entry_set_filetype(e, AE_IFLNK);
			archive_entry_set_symlink(e, it->link);
		} else {
			archive_entry_set_filetype(e, it->data ? AE_IFREG : AE_IFDIR);
			archive_entry_set_size(e, (la_int64_t)n);
		}
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		if (n)
			assert_int_equal(archive_write_data(a, it->data, n), (la_ssize_t)n);
		archive_entry_free(e);
	}
	archive_write_free(a);
	return path;
}

static int host_folder(const void *ctx, const char *name, size_t n)
{
	return catalog_host_folder(ctx, name, n);
}

/* Every entry as "path|type|link|refused\n" and the files' bytes; the result of the end. */
static int list(const char *path, const struct intake_policy *p, struct buf *out,
		struct buf *err)
{
	const struct intake_entry *e;
	struct intake *in;
	char chunk[64];
	ssize_t n;
	int r = intake_open(&in, path, p, err);

	if (r)
		return r;
	while ((r = intake_next(in, &e, err)) == 1) {
		buf_addf(out, "%s|%d|%s|%s\n", e->path, e->type, e->link ? e->link : "",
			 e->refused ? e->refused : "");
		while (e->type == INTAKE_FILE && !e->refused &&
		       (n = intake_read(in, chunk, sizeof(chunk), err)) > 0)
			buf_add(out, chunk, (size_t)n);
	}
	intake_free(in);
	return r;
}

static void test_paths_and_top(void **state)
{
	static const struct item items[] = {
		{ "sosreport-db1/", NULL, NULL },
		{ "./sosreport-db1//etc/./hostname", "db1\n", NULL },
		{ "/sosreport-db1/abs", "x\n", NULL },
		{ "sosreport-db1/a/../../escape", "no\n", NULL },
		{ "sosreport-db1/bin\x1b[2Jx", "no\n", NULL },
		{ "elsewhere/file", "kept\n", NULL },
		{ NULL, NULL, NULL }
	};
	struct intake_policy p = INTAKE_POLICY_DEFAULT;
	struct buf out = BUF_INIT(0), err = BUF_INIT(0);

	(void)state;
	p.host_folder = host_folder;
	p.ctx = &unit_cat;
	assert_int_equal(list(make("paths.tar.gz", archive_write_add_filter_gzip, items), &p, &out,
			      &err), 0);
	assert_string_equal(err.data, "");
	assert_string_equal(out.data,
		"|1||\n"		/* the top folder itself */
		"etc/hostname|0||\ndb1\n"
		"abs|0||\nx\n"
		"sosreport-db1/a/../../escape|0||'sosreport-db1/a/../../escape': '..' in its path\n"
		"|0||'sosreport-db1/bin\x1b[2Jx': control characters in its name\n"
		"elsewhere/file|0||\nkept\n");
	/* a host's own folder is no top: var/ stays */
	{
		static const struct item host[] = { { "var/log/syslog", "a\n", NULL },
			{ NULL, NULL, NULL } };

		buf_reset(&out);
		assert_int_equal(list(make("host.tar", NULL, host), &p, &out, &err), 0);
		assert_string_equal(out.data, "var/log/syslog|0||\na\n");
	}
	/* a required top: everything outside it is refused */
	p.top = "casefile-h-1";
	{
		static const struct item req[] = { { "casefile-h-1/x", "1\n", NULL },
			{ "other/y", "2\n", NULL }, { NULL, NULL, NULL } };

		buf_reset(&out);
		assert_int_equal(list(make("req.tar.gz", archive_write_add_filter_gzip, req), &p,
				      &out, &err), 0);
		assert_string_equal(out.data, "x|0||\n1\nother/y|0||'other/y': outside casefile-h-1/\n");
	}
	buf_release(&out);
	buf_release(&err);
}

static void test_links(void **state)
{
	static const struct item items[] = {
		{ "top/", NULL, NULL },
		{ "top/hostname", NULL, "sos_commands/host/hostname" },
		{ "top/etc/mtab", NULL, "../proc/mounts" },
		{ "top/etc/shadow", NULL, "/etc/shadow" },
		{ "top/etc/up", NULL, "../../outside" },
		{ "top/self", NULL, "." },
		{ "top/trick", NULL, "self/../../etc/passwd" },
		{ "top/self/file", "below a link\n", NULL },
		{ NULL, NULL, NULL }
	};
	struct intake_policy p = INTAKE_POLICY_DEFAULT;
	struct buf out = BUF_INIT(0), err = BUF_INIT(0);

	(void)state;
	assert_int_equal(list(make("links.tar.xz", archive_write_add_filter_xz, items), &p, &out,
			      &err), 0);
	assert_string_equal(out.data,
		"|1||\n"
		"hostname|2|sos_commands/host/hostname|\n"
		"etc/mtab|2|../proc/mounts|\n"
		"etc/shadow|2||'etc/shadow -> /etc/shadow': it points outside the archive\n"
		"etc/up|2||'etc/up -> ../../outside': it points outside the archive\n"
		"self|2|.|\n"
		"trick|2||'trick -> self/../../etc/passwd': '..' after a folder in its target\n"
		"self/file|0||'top/self/file': it is inside a folder that is a link\n");
	buf_release(&out);
	buf_release(&err);
}

static void test_caps(void **state)
{
	static const struct item items[] = {
		{ "t/a", "0123456789\n", NULL }, { "t/b", "0123456789\n", NULL },
		{ "t/c", "0123456789\n", NULL }, { NULL, NULL, NULL }
	};
	struct intake_policy p = INTAKE_POLICY_DEFAULT;
	struct buf out = BUF_INIT(0), err = BUF_INIT(0);
	const char *path = make("caps.tar", NULL, items);

	(void)state;
	p.members_max = 2;
	assert_int_equal(list(path, &p, &out, &err), CF_ERR_CAP);
	assert_non_null(strstr(err.data, "caps.tar: more than 2 members (a flood?); stopped reading"));
	p = (struct intake_policy)INTAKE_POLICY_DEFAULT;
	p.total_cap = 20;
	buf_reset(&err);
	assert_int_equal(list(path, &p, &out, &err), CF_ERR_CAP);
	assert_non_null(strstr(err.data, "the total decompressed size cap (20 bytes) was reached "
			       "in 'b'"));
	/* a gzip-only policy refuses xz; an unknown format is one message */
	p = (struct intake_policy)INTAKE_POLICY_DEFAULT;
	p.filters = INTAKE_GZIP;
	buf_reset(&err);
	assert_int_equal(list(make("x.tar.xz", archive_write_add_filter_xz, items), &p, &out, &err),
			 CF_ERR_ARCHIVE);
	assert_non_null(strstr(err.data, "x.tar.xz: cannot read as an archive"));
	buf_release(&out);
	buf_release(&err);
}

/* A gzip stream whose CRC does not match: every member is read, then the end says so. */
static void test_damaged_gzip(void **state)
{
	static const struct item items[] = { { "t/a", "hello\n", NULL }, { NULL, NULL, NULL } };
	struct intake_policy p = INTAKE_POLICY_DEFAULT;
	struct buf out = BUF_INIT(0), err = BUF_INIT(0), gz = BUF_INIT(0);
	const char *path = make("crc.tar.gz", archive_write_add_filter_gzip, items);
	int fd;

	(void)state;
	assert_int_equal(unit_read_file(path, &gz), 0);
	gz.data[gz.len - 8] ^= 0x55;	/* the CRC-32 in the trailer */
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, gz.data, gz.len), (ssize_t)gz.len);
	close(fd);
	assert_int_equal(list(path, &p, &out, &err), CF_ERR_ARCHIVE);
	assert_non_null(strstr(out.data, "hello\n"));
	assert_non_null(strstr(err.data, "crc.tar.gz: the gzip stream is damaged"));
	/* from a pipe, the same */
	{
		int pfd[2];
		struct intake *in;
		const struct intake_entry *e;

		assert_int_equal(pipe(pfd), 0);
		assert_int_equal(write(pfd[1], gz.data, gz.len), (ssize_t)gz.len);
		close(pfd[1]);
		buf_reset(&err);
		assert_int_equal(intake_open_fd(&in, pfd[0], "pipe", &p, &err), 0);
		assert_int_equal(intake_next(in, &e, &err), 1);
		assert_string_equal(e->path, "a");
		assert_int_equal(intake_next(in, &e, &err), CF_ERR_ARCHIVE);
		assert_non_null(strstr(err.data, "pipe: the gzip stream is damaged"));
		intake_free(in);
		close(pfd[0]);
	}
	buf_release(&out);
	buf_release(&err);
	buf_release(&gz);
}

static void test_json(void **state)
{
	struct intake_json_caps c = INTAKE_JSON_DEFAULT;
	struct buf why = BUF_INIT(0), doc = BUF_INIT(0);
	json_t *j;
	char text[128];
	int i;

	(void)state;
	/* invalid UTF-8 and a lone surrogate are replaced; the rest is kept */
	snprintf(text, sizeof(text), "%s",
		 "{\"host\": \"db\xff" "1\", \"t\": \"\\ud800x\", \"n\": [1, true]}");
	j = intake_json_load(text, strlen(text), NULL, &why);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "host")), "db\xef\xbf\xbd" "1");
	assert_string_equal(json_string_value(json_object_get(j, "t")), "\xef\xbf\xbdx");
	json_decref(j);
	/* each kind of element is capped before jansson sees it */
	c.strings = 1000;
	buf_addch(&doc, '[');
	for (i = 0; i < 1001; i++)
		buf_addstr(&doc, "\"\",");
	buf_addstr(&doc, "\"\"]");
	assert_null(intake_json_load(doc.data, doc.len, &c, &why));
	assert_string_equal(why.data, "more than 1000 strings in it");
	buf_reset(&why);
	c.strings = 400000;
	c.depth = 10;
	assert_null(intake_json_load("[[[[[[[[[[[[1]]]]]]]]]]]", 25, &c, &why));
	assert_string_equal(why.data, "nested more than 10 deep");
	buf_reset(&why);
	c.numbers = 2;
	assert_null(intake_json_load("[1, 2.5e3, null]", 16, &c, &why));
	assert_string_equal(why.data, "more than 2 numbers, true, false and null in it");
	buf_reset(&why);
	c.bytes = 4;
	assert_null(intake_json_load("[1, 2]", 6, &c, &why));
	assert_string_equal(why.data, "larger than 4 bytes");
	buf_reset(&why);
	assert_null(intake_json_load("{\"a\": ", 6, NULL, &why));
	assert_non_null(strstr(why.data, "not JSON (line 1"));
	buf_release(&why);
	buf_release(&doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths_and_top),
		cmocka_unit_test(test_links),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_damaged_gzip),
		cmocka_unit_test(test_json),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
