/* test_gzsrc.c: the gzip layer: whole, concatenated, damaged, truncated and padded streams */
#include <archive.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>
#include "unit.h"
#include "gzsrc.h"

#define dir unit_dir

/* data as one gzip member appended to out */
static void gzip_add(struct buf *out, const char *data, size_t n)
{
	z_stream zs;
	unsigned char chunk[16384];
	int r;

	memset(&zs, 0, sizeof(zs));
	assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = (unsigned char *)data;
	zs.avail_in = (uInt)n;
	do {
		zs.next_out = chunk;
		zs.avail_out = sizeof(chunk);
		r = deflate(&zs, Z_FINISH);
		buf_add(out, chunk, sizeof(chunk) - zs.avail_out);
	} while (r == Z_OK);
	assert_int_equal(r, Z_STREAM_END);
	deflateEnd(&zs);
}

/* The bytes at dir/name, opened for reading. */
static int put(const char *name, const void *data, size_t n)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, n), (ssize_t)n);
	close(fd);
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	return fd;
}

/*
 * Inflate the stream in file name, head_len bytes of it handed over first as
 * gzsrc_open's head: what came out into out; gzsrc_finish()'s result.
 */
static int inflate_file(const char *name, const struct buf *gz, size_t head_len,
			struct buf *out, struct gzsrc *g)
{
	struct archive *a = archive_write_new();	/* only to hold a read error */
	int fd = put(name, gz->data, gz->len), r;
	const void *p;
	la_ssize_t n;

	assert_int_equal(lseek(fd, (off_t)head_len, SEEK_SET), (off_t)head_len);
	assert_int_equal(gzsrc_open(g, fd, gz->data, head_len), 0);
	while ((n = gzsrc_read(a, g, &p)) > 0)
		buf_add(out, p, (size_t)n);
	if (n < 0) {
		/* the damage reaches libarchive as its error */
		assert_string_equal(archive_error_string(a), g->msg);
		assert_int_equal(archive_errno(a), EIO);
	}
	r = gzsrc_finish(g);
	if (n < 0)
		assert_int_equal(r, g->err);	/* damage once seen stays */
	close(fd);
	archive_write_free(a);
	return r;
}

static void test_whole_stream(void **state)
{
	struct buf plain = BUF_INIT(0), gz = BUF_INIT(0), out = BUF_INIT(0);
	struct gzsrc g;
	size_t i;

	(void)state;
	/* more than one chunk each way (256K), in odd sizes */
	for (i = 0; i < 40000; i++)
		buf_addf(&plain, "line %zu of a log that repeats %zu\n", i, i * 7919 % 1000);
	gzip_add(&gz, plain.data, plain.len);
	assert_int_equal(inflate_file("whole.gz", &gz, 10, &out, &g), 0);
	assert_int_equal(out.len, plain.len);
	assert_memory_equal(out.data, plain.data, plain.len);
	assert_string_equal(g.msg, "");
	/* the counts the ratio cap reads */
	assert_int_equal(g.in_total, gz.len);
	assert_int_equal(g.out_total, plain.len);
	gzsrc_close(&g);
	assert_int_equal(g.fd, -1);
	gzsrc_close(&g);	/* twice is harmless */
	buf_release(&plain);
	buf_release(&gz);
	buf_release(&out);
}

static void test_concatenated_members(void **state)
{
	struct buf gz = BUF_INIT(0), out = BUF_INIT(0);
	struct gzsrc g;

	(void)state;
	gzip_add(&gz, "first member\n", 13);
	gzip_add(&gz, "", 0);
	gzip_add(&gz, "third member\n", 13);
	/* the head is the whole stream: nothing more comes from the file */
	assert_int_equal(inflate_file("cat.gz", &gz, gz.len, &out, &g), 0);
	assert_string_equal(out.data, "first member\nthird member\n");
	gzsrc_close(&g);
	buf_release(&gz);
	buf_release(&out);
}

/* A stream with one byte changed at off (from the end when negative). */
static int damaged(ssize_t off, unsigned char x, struct buf *out, struct gzsrc *g)
{
	struct buf gz = BUF_INIT(0);
	int r;

	gzip_add(&gz, "a line\nanother line\n", 20);
	gz.data[off < 0 ? (ssize_t)gz.len + off : off] ^= (char)x;
	r = inflate_file("bad.gz", &gz, 10, out, g);
	buf_release(&gz);
	return r;
}

static void test_bad_crc_and_length(void **state)
{
	struct buf out = BUF_INIT(0);
	struct gzsrc g;

	(void)state;
	/* the trailer: CRC-32 then ISIZE; libarchive alone never reads either */
	assert_int_equal(damaged(-8, 0x01, &out, &g), CF_ERR_PARSE);
	assert_non_null(strstr(g.msg, "damaged"));
	assert_non_null(strstr(g.msg, "incorrect data check"));
	gzsrc_close(&g);
	buf_reset(&out);
	assert_int_equal(damaged(-1, 0x80, &out, &g), CF_ERR_PARSE);
	assert_non_null(strstr(g.msg, "incorrect length check"));
	gzsrc_close(&g);
	buf_reset(&out);
	/* a damaged header: refused before any byte comes out */
	assert_int_equal(damaged(0, 0xff, &out, &g), CF_ERR_PARSE);
	assert_int_equal(out.len, 0);
	assert_non_null(strstr(g.msg, "damaged"));
	gzsrc_close(&g);
	buf_release(&out);
}

static void test_truncated(void **state)
{
	struct buf gz = BUF_INIT(0), out = BUF_INIT(0);
	struct gzsrc g;

	(void)state;
	gzip_add(&gz, "a line that will be cut off\n", 28);
	gz.len -= 4;	/* no ISIZE */
	assert_int_equal(inflate_file("cut.gz", &gz, 10, &out, &g), CF_ERR_PARSE);
	assert_string_equal(g.msg, "the gzip stream ends early (truncated)");
	/* what was whole before the cut came out */
	assert_string_equal(out.data, "a line that will be cut off\n");
	gzsrc_close(&g);
	/* no byte at all */
	buf_reset(&out);
	gz.len = 0;
	assert_int_equal(inflate_file("empty.gz", &gz, 0, &out, &g), CF_ERR_PARSE);
	assert_int_equal(out.len, 0);
	assert_non_null(strstr(g.msg, "truncated"));
	gzsrc_close(&g);
	buf_release(&gz);
	buf_release(&out);
}

static void test_trailing_garbage(void **state)
{
	struct buf gz = BUF_INIT(0), out = BUF_INIT(0);
	struct gzsrc g;

	(void)state;
	/* bytes after the last member are no member: damage, after what was whole */
	gzip_add(&gz, "whole\n", 6);
	buf_addstr(&gz, "not gzip at all");
	assert_int_equal(inflate_file("pad.gz", &gz, 10, &out, &g), CF_ERR_PARSE);
	assert_string_equal(out.data, "whole\n");
	assert_non_null(strstr(g.msg, "damaged"));
	gzsrc_close(&g);
	buf_release(&gz);
	buf_release(&out);
}

/* A bomb inflates as far as it is read: the counts say so for the caller's cap. */
static void test_bomb_counts(void **state)
{
	struct buf gz = BUF_INIT(0);
	struct archive *a = archive_write_new();
	char *zeros = xcalloc(1, 32 << 20);
	struct gzsrc g;
	const void *p;
	int fd;

	(void)state;
	gzip_add(&gz, zeros, 32 << 20);
	free(zeros);
	assert_true(gz.len < 64 * 1024);
	fd = put("bomb.gz", gz.data, gz.len);
	assert_int_equal(gzsrc_open(&g, fd, "", 0), 0);
	assert_true(gzsrc_read(a, &g, &p) > 0);
	/* one read gives one chunk, whatever the ratio: never the whole bomb at once */
	assert_int_equal(g.out_total, 256 * 1024);
	assert_int_equal(g.in_total, gz.len);
	assert_int_equal(gzsrc_finish(&g), 0);
	assert_int_equal(g.out_total, 32 << 20);
	assert_int_equal(g.in_total, gz.len);
	gzsrc_close(&g);
	close(fd);
	archive_write_free(a);
	buf_release(&gz);
}

static void test_read_error(void **state)
{
	struct buf gz = BUF_INIT(0), out = BUF_INIT(0);
	struct archive *a = archive_write_new();
	struct gzsrc g;
	const void *p;
	int fd = open(dir, O_RDONLY | O_DIRECTORY);	/* read() fails: EISDIR */

	(void)state;
	assert_true(fd >= 0);
	gzip_add(&gz, "x\n", 2);
	assert_int_equal(gzsrc_open(&g, fd, gz.data, 4), 0);
	assert_int_equal(gzsrc_read(a, &g, &p), -1);
	assert_non_null(strstr(g.msg, "read failed"));
	assert_non_null(strstr(archive_error_string(a), "read failed"));
	/* a read that failed is no damage of the stream */
	assert_int_equal(gzsrc_finish(&g), CF_ERR_IO);
	gzsrc_close(&g);
	close(fd);
	archive_write_free(a);
	buf_release(&gz);
	buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_stream),
		cmocka_unit_test(test_concatenated_members),
		cmocka_unit_test(test_bad_crc_and_length),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_trailing_garbage),
		cmocka_unit_test(test_bomb_counts),
		cmocka_unit_test(test_read_error),
	};

	return cmocka_run_group_tests(tests, unit_dir_setup, unit_dir_teardown);
}
