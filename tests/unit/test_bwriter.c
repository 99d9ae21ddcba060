/* test_bwriter.c: the bundle writer: members, sizes, checksum, no overwrite */
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "unit.h"
#include "bwriter.h"
#include "hash.h"

#define dir unit_dir

/* Read member name into out (up to n bytes); returns its size or -1. */
static long read_member(const char *path, const char *name, char *out, size_t n)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	long got = -1;

	archive_read_support_filter_gzip(a);
	archive_read_support_format_tar(a);
	assert_int_equal(archive_read_open_filename(a, path, 16384), ARCHIVE_OK);
	while (archive_read_next_header(a, &e) == ARCHIVE_OK)
		if (!strcmp(archive_entry_pathname(e), name)) {
			got = (long)archive_read_data(a, out, n);
			break;
		}
	archive_read_free(a);
	return got;
}

static void test_members_and_checksum(void **state)
{
	struct bwriter w;
	struct buf path = BUF_INIT(0), sum = BUF_INIT(0);
	char hex[SHA256_HEX_LEN + 1], back[64], file_hex[SHA256_HEX_LEN + 1];
	struct buf whole = BUF_INIT(0);
	long n;

	(void)state;
	assert_int_equal(bwriter_open(&w, dir, "b1"), 0);
	assert_int_equal(bwriter_add(&w, "etc/hostname", "db1\n", 4, 1795000000), 0);
	/* a member promised 10 bytes gets only 6: it is padded with newlines */
	assert_int_equal(bwriter_begin(&w, "var/log/short", 10, 1795000000), 0);
	assert_int_equal(bwriter_write(&w, "abcdef", 6), 0);
	assert_int_equal(bwriter_end(&w), 0);
	/* more than promised is cut to the promise */
	assert_int_equal(bwriter_begin(&w, "var/log/long", 3, 1795000000), 0);
	assert_int_equal(bwriter_write(&w, "123456", 6), 0);
	assert_int_equal(bwriter_end(&w), 0);
	assert_int_equal(bwriter_finish(&w, hex), 0);

	buf_addf(&path, "%s/b1.tar.gz", dir);
	n = read_member(path.data, "b1/etc/hostname", back, sizeof(back));
	assert_int_equal(n, 4);
	assert_memory_equal(back, "db1\n", 4);
	n = read_member(path.data, "b1/var/log/short", back, sizeof(back));
	assert_int_equal(n, 10);
	assert_memory_equal(back, "abcdef\n\n\n\n", 10);
	n = read_member(path.data, "b1/var/log/long", back, sizeof(back));
	assert_int_equal(n, 3);

	/* the .sha256 beside it names the bundle and holds the file's digest */
	assert_int_equal(unit_read_file(path.data, &whole), 0);
	sha256_hex(whole.data, whole.len, file_hex);
	assert_string_equal(file_hex, hex);
	buf_addf(&path, ".sha256");
	assert_int_equal(unit_read_file(path.data, &sum), 0);
	assert_true(!strncmp(sum.data, hex, SHA256_HEX_LEN));
	assert_string_equal(sum.data + SHA256_HEX_LEN, "  b1.tar.gz\n");
	buf_release(&path);
	buf_release(&sum);
	buf_release(&whole);
}

static void test_never_overwrites(void **state)
{
	struct bwriter w;
	struct buf part = BUF_INIT(0);
	struct stat st;
	char hex[SHA256_HEX_LEN + 1];

	(void)state;
	assert_int_equal(bwriter_open(&w, dir, "b2"), 0);
	assert_int_equal(bwriter_finish(&w, hex), 0);
	/* the same name again: refused, nothing touched */
	assert_int_equal(bwriter_open(&w, dir, "b2"), CF_ERR_EXISTS);
	/* an abandoned bundle leaves no .part behind */
	assert_int_equal(bwriter_open(&w, dir, "b3"), 0);
	bwriter_abort(&w);
	buf_addf(&part, "%s/b3.tar.gz.part", dir);
	assert_int_not_equal(stat(part.data, &st), 0);
	buf_release(&part);
}

static void test_planted_checksum_is_not_followed(void **state)
{
	struct bwriter w;
	struct buf victim = BUF_INIT(0), link_ = BUF_INIT(0), back = BUF_INIT(0);
	char hex[SHA256_HEX_LEN + 1];
	FILE *f;

	(void)state;
	buf_addf(&victim, "%s/victim", dir);
	f = fopen(victim.data, "w");
	assert_non_null(f);
	fputs("precious\n", f);
	fclose(f);
	/* planted before: the name is taken, another is chosen by the caller */
	buf_addf(&link_, "%s/b4.tar.gz.sha256", dir);
	assert_int_equal(symlink(victim.data, link_.data), 0);
	assert_int_equal(bwriter_open(&w, dir, "b4"), CF_ERR_EXISTS);
	/* planted while the bundle was written: refused, nothing written through it */
	buf_reset(&link_);
	buf_addf(&link_, "%s/b5.tar.gz.sha256", dir);
	assert_int_equal(bwriter_open(&w, dir, "b5"), 0);
	assert_int_equal(symlink(victim.data, link_.data), 0);
	assert_int_equal(bwriter_finish(&w, hex), CF_ERR_IO);
	assert_int_equal(unit_read_file(victim.data, &back), 0);
	assert_string_equal(back.data, "precious\n");
	buf_release(&victim);
	buf_release(&link_);
	buf_release(&back);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_members_and_checksum),
		cmocka_unit_test(test_never_overwrites),
		cmocka_unit_test(test_planted_checksum_is_not_followed),
	};

	return cmocka_run_group_tests(tests, unit_dir_setup, unit_dir_teardown);
}
