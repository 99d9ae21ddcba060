/* test_transport_local.c: this host as a transport: listing, caps, rotations, hostile files */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "unit.h"
#include "unit_files.h"
#include "transport.h"

#define dir unit_dir

static struct transport tl;
static struct catalog cat;

static int setup(void **state)
{
	struct buf y = BUF_INIT(0), err = BUF_INIT(0);
	int r;

	if (unit_dir_setup(state))
		return -1;
	/* a rotated log, a plain file and a glob over a folder of this test's own */
	buf_addf(&y, "sources:\n"
		 "  - {name: syslog, kind: log, files: ['%s/syslog']}\n"
		 "  - {name: conf, files: ['%s/conf/*.conf']}\n"
		 "  - {name: fifo, files: ['%s/fifo']}\n", dir, dir, dir);
	r = catalog_parse(&cat, "t.yaml", y.data, y.len, &err);
	if (r)
		fprintf(stderr, "%s", err.data);
	buf_release(&y);
	buf_release(&err);
	transport_local(&tl);
	return r;
}

static int teardown(void **state)
{
	catalog_release(&cat);
	return unit_dir_teardown(state);
}

static void test_found_list(void **state)
{
	struct found_list l = { 0 };
	struct found *a;

	(void)state;
	a = transport_found_add(&l, "/var/log/syslog.1", 100, 10);
	assert_ptr_equal(transport_found_add(&l, "/var/log/syslog.1", 999, 99), a);
	assert_int_equal(l.nr, 1);
	assert_int_equal(a->mtime, 100);	/* the first listing stands */
	transport_found_add(&l, "/var/log/syslog", 200, 1);
	transport_found_add(&l, "/var/log/syslog.2.gz", 50, 1);
	transport_found_add(&l, "/var/log/syslog-20261120", 200, 1);
	transport_found_sort(&l);
	/* newest first; at equal times the live file before its rotation */
	assert_string_equal(l.v[0].path, "/var/log/syslog");
	assert_string_equal(l.v[1].path, "/var/log/syslog-20261120");
	assert_string_equal(l.v[2].path, "/var/log/syslog.1");
	assert_string_equal(l.v[3].path, "/var/log/syslog.2.gz");
	transport_found_release(&l);
	assert_int_equal(l.nr, 0);
	assert_null(l.v);
	transport_found_sort(&l);	/* an empty list sorts */
}

static void test_gz_name(void **state)
{
	(void)state;
	assert_true(transport_gz_name("/var/log/syslog.2.gz"));
	assert_true(transport_gz_name("a.gz"));
	assert_false(transport_gz_name(".gz"));	/* a name, not a rotation */
	assert_false(transport_gz_name("a.gzip"));
	assert_false(transport_gz_name("a.GZ"));
	assert_false(transport_gz_name(""));
}

/* The paths listed for source name, sorted, one a line, dir as "D". */
static void listed(const char *name, struct buf *out)
{
	struct found_list l = { 0 };
	struct buf err = BUF_INIT(0);
	size_t i;

	assert_int_equal(tl.ops->list(&tl, catalog_find(&cat, name), &l, &err), 0);
	transport_found_sort(&l);
	for (i = 0; i < l.nr; i++)
		buf_addf(out, "D%s\n", l.v[i].path + strlen(dir));
	transport_found_release(&l);
	buf_release(&err);
}

static void test_list_rotations(void **state)
{
	struct buf got = BUF_INIT(0);
	char path[512];

	(void)state;
	assert_string_equal(tl.ops->kind, "local");
	unit_put("syslog", "now\n", 4, 0, 5000);
	unit_put("syslog.1", "before\n", 7, 0, 4000);
	unit_put("syslog.2.gz", "long ago\n", 9, 1, 3000);
	unit_put("syslog-20261120", "dated\n", 6, 0, 3500);
	/* a rotation glob also matches these: none is a rotation of syslog */
	unit_put("syslog-backup", "no\n", 3, 0, 9000);
	unit_put("syslog.1.bak", "no\n", 3, 0, 9000);
	snprintf(path, sizeof(path), "%s/syslog.3", dir);
	assert_int_equal(mkdir(path, 0700), 0);	/* a folder is no file */
	listed("syslog", &got);
	assert_string_equal(got.data, "D/syslog\nD/syslog.1\nD/syslog-20261120\nD/syslog.2.gz\n");
	buf_reset(&got);
	/* none: an empty list, and no error */
	listed("conf", &got);
	assert_string_equal(got.data, "");
	buf_release(&got);
}

static void test_list_skips_what_is_no_file(void **state)
{
	struct buf got = BUF_INIT(0);
	char path[512], target[512];

	(void)state;
	snprintf(path, sizeof(path), "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	listed("fifo", &got);
	assert_string_equal(got.data, "");
	snprintf(path, sizeof(path), "%s/conf", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	unit_put("conf/a.conf", "a=1\n", 4, 0, 100);
	snprintf(target, sizeof(target), "%s/conf/a.conf", dir);
	snprintf(path, sizeof(path), "%s/conf/b.conf", dir);
	assert_int_equal(symlink(target, path), 0);
	snprintf(path, sizeof(path), "%s/conf/c.conf", dir);
	assert_int_equal(symlink("/nonexistent", path), 0);
	/* a link to a file is listed (the planted-link rule judges it when opened), a dangling one not */
	listed("conf", &got);
	assert_string_equal(got.data, "D/conf/a.conf\nD/conf/b.conf\n");
	buf_release(&got);
}

/* Open dir/name with cap and deadline (ms from now); the status, fc filled. */
static enum item_status open_it(const char *name, uint64_t cap, int64_t in_ms,
				struct fcontent *fc, struct buf *why)
{
	struct found f = { 0 };
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f.path = name[0] == '/' ? (char *)name : path;
	fcontent_init(fc);
	buf_reset(why);
	return tl.ops->open(&tl, &f, cap, now_ms() + in_ms, fc, why);
}

static void test_open_in_place_keeps_the_end(void **state)
{
	struct buf why = BUF_INIT(0);
	struct fcontent fc;

	(void)state;
	unit_put("big", "line one\nline two\nline three\n", 29, 0, 100);
	assert_int_equal(open_it("big", 1000, 10000, &fc, &why), ITEM_OK);
	assert_true(fc.fd >= 0);
	assert_int_equal(fc.start, 0);
	assert_int_equal(fc.end, 29);
	assert_false(fc.truncated);
	assert_int_equal(fc.mtime, 100);
	fcontent_release(&fc);
	assert_int_equal(fc.fd, -1);
	/* over the cap: the last cap bytes, the reader to drop the cut line */
	assert_int_equal(open_it("big", 12, 10000, &fc, &why), ITEM_OK);
	assert_int_equal(fc.start, 17);
	assert_int_equal(fc.end, 29);
	assert_int_equal(fc.original, 29);
	assert_true(fc.truncated);
	assert_true(fc.skip_partial);
	fcontent_release(&fc);
	buf_release(&why);
}

static void test_open_gz_inflates_the_end(void **state)
{
	struct buf why = BUF_INIT(0), text = BUF_INIT(0);
	struct fcontent fc;
	int i;

	(void)state;
	for (i = 0; i < 1000; i++)
		buf_addf(&text, "rotated line %04d\n", i);	/* 18 bytes each */
	unit_put("old.gz", text.data, text.len, 1, 100);
	assert_int_equal(open_it("old.gz", 100, 10000, &fc, &why), ITEM_OK);
	assert_int_equal(fc.fd, -1);
	assert_int_equal(fc.original, text.len);
	assert_true(fc.truncated);
	/* within the cap, from a line start, the last line whole */
	assert_true(fc.mem.len <= 100);
	assert_string_equal(fc.mem.data + fc.mem.len - 18, "rotated line 0999\n");
	assert_int_equal(fc.mem.len % 18, 0);
	assert_string_equal(fc.warning, "");
	fcontent_release(&fc);
	buf_release(&text);
	buf_release(&why);
}

static void test_open_corrupt_gz_keeps_what_was_read(void **state)
{
	struct buf why = BUF_INIT(0);
	struct fcontent fc;
	char path[512];
	int fd;

	(void)state;
	unit_put("cut.gz", "first line\nsecond line\n", 23, 1, 100);
	snprintf(path, sizeof(path), "%s/cut.gz", dir);
	fd = open(path, O_WRONLY);
	assert_int_equal(ftruncate(fd, lseek(fd, 0, SEEK_END) - 6), 0);
	close(fd);
	assert_int_equal(open_it("cut.gz", 1000, 10000, &fc, &why), ITEM_OK);
	assert_non_null(strstr(fc.warning, "corrupt gzip data, kept what was readable"));
	fcontent_release(&fc);
	buf_release(&why);
}

/* A bomb past its deadline is given up, not inflated to its end. */
static void test_open_gz_bomb_times_out(void **state)
{
	struct buf why = BUF_INIT(0);
	char *zeros = xcalloc(1, 8 << 20);
	struct fcontent fc;

	(void)state;
	unit_put("bomb.gz", zeros, 8 << 20, 1, 100);
	free(zeros);
	assert_int_equal(open_it("bomb.gz", 1 << 20, -1, &fc, &why), ITEM_TIMEOUT);
	assert_non_null(strstr(why.data, "decompression bomb"));
	assert_int_equal(fc.mem.len, 0);
	fcontent_release(&fc);
	buf_release(&why);
}

static void test_open_unsized_and_odd_files(void **state)
{
	struct buf why = BUF_INIT(0);
	struct fcontent fc;

	(void)state;
	/* procfs gives no size: read like a command's output, into memory */
	assert_int_equal(open_it("/proc/self/stat", 4096, 10000, &fc, &why), ITEM_OK);
	assert_int_equal(fc.fd, -1);
	assert_true(fc.mem.len > 10);
	assert_int_equal(fc.original, fc.mem.len);
	fcontent_release(&fc);
	/* an empty file: nothing, and no error */
	unit_put("empty", "", 0, 0, 100);
	assert_int_equal(open_it("empty", 4096, 10000, &fc, &why), ITEM_OK);
	assert_int_equal(fc.mem.len, 0);
	fcontent_release(&fc);
	/* a FIFO is skipped, never opened (it would block) */
	assert_int_equal(open_it("fifo", 4096, 10000, &fc, &why), ITEM_SKIPPED);
	assert_string_equal(why.data, "not a regular file");
	assert_int_equal(open_it("no-such-file", 4096, 10000, &fc, &why), ITEM_ABSENT);
	buf_release(&why);
}

/* The planted-link rule holds for this transport: no link in a folder anyone can write. */
static void test_open_refuses_a_planted_link(void **state)
{
	struct buf why = BUF_INIT(0);
	struct fcontent fc;
	char path[512], target[512];

	(void)state;
	snprintf(path, sizeof(path), "%s/open", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(chmod(path, 01777), 0);
	unit_put("secret", "not yours\n", 10, 0, 100);
	snprintf(target, sizeof(target), "%s/secret", dir);
	snprintf(path, sizeof(path), "%s/open/log", dir);
	assert_int_equal(symlink(target, path), 0);
	assert_int_equal(open_it("open/log", 4096, 10000, &fc, &why), ITEM_REFUSED);
	assert_non_null(strstr(why.data, "refused"));
	assert_int_equal(fc.fd, -1);
	assert_int_equal(fc.mem.len, 0);
	fcontent_release(&fc);
	buf_release(&why);
}

static void test_run(void **state)
{
	const char *echo[] = { "echo", "hello", NULL }, *none[] = { "no-such-program-x", NULL };
	struct spawn_opts o = { 0 };
	struct spawn_result r;

	(void)state;
	o.argv = echo;
	o.timeout_ms = 10000;
	o.cap = 4096;
	spawn_result_init(&r);
	assert_int_equal(tl.ops->run(&tl, &o, &r), 0);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out.data, "hello\n");
	spawn_result_release(&r);
	o.argv = none;
	spawn_result_init(&r);
	assert_int_equal(tl.ops->run(&tl, &o, &r), CF_ERR_NOTFOUND);
	spawn_result_release(&r);
	/* nothing to do ahead of time here */
	assert_null(tl.ops->prefetch);
	assert_null(tl.ops->list_ahead);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_found_list),
		cmocka_unit_test(test_gz_name),
		cmocka_unit_test(test_list_rotations),
		cmocka_unit_test(test_list_skips_what_is_no_file),
		cmocka_unit_test(test_open_in_place_keeps_the_end),
		cmocka_unit_test(test_open_gz_inflates_the_end),
		cmocka_unit_test(test_open_corrupt_gz_keeps_what_was_read),
		cmocka_unit_test(test_open_gz_bomb_times_out),
		cmocka_unit_test(test_open_unsized_and_odd_files),
		cmocka_unit_test(test_open_refuses_a_planted_link),
		cmocka_unit_test(test_run),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
