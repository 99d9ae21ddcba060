/* test_outfile.c: outputs replace what is at their name, never write through it; devices stay */
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "unit.h"
#include "outfile.h"

#define dir unit_dir

/* DIR/NAME; two buffers in turn, for the two names of link() and symlink() */
static const char *at(const char *name)
{
	static char path[2][512];
	static int i;

	i ^= 1;
	snprintf(path[i], sizeof(path[i]), "%s/%s", dir, name);
	return path[i];
}

static void put(const char *name, const char *text)
{
	int fd = open(at(name), O_WRONLY | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static void text_of(const char *name, struct buf *b)
{
	buf_reset(b);
	assert_int_equal(unit_read_file(at(name), b), 0);
}

/* Write text to name through an outfile, committed. */
static void write_out(const char *name, const char *text)
{
	struct outfile of;

	assert_int_equal(outfile_open(&of, at(name)), 0);
	fputs(text, outfile_stream(&of));
	assert_int_equal(outfile_commit(&of), 0);
}

/* No ".NAME.XXXXXX" left behind in dir. */
static int leftovers(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while ((e = readdir(d)))
		n += e->d_name[0] == '.' && strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

static void test_new_and_replaced(void **state)
{
	struct buf b = BUF_INIT(0);
	struct stat st;

	(void)state;
	write_out("report.txt", "one\n");
	text_of("report.txt", &b);
	assert_string_equal(b.data, "one\n");
	assert_int_equal(stat(at("report.txt"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* a file with another name is replaced at this name, the other keeps its text */
	assert_int_equal(link(at("report.txt"), at("other-name")), 0);
	write_out("report.txt", "two\n");
	text_of("report.txt", &b);
	assert_string_equal(b.data, "two\n");
	text_of("other-name", &b);
	assert_string_equal(b.data, "one\n");
	assert_int_equal(leftovers(), 0);
	buf_release(&b);
}

static void test_a_link_is_replaced_not_followed(void **state)
{
	struct buf b = BUF_INIT(0);
	struct stat st;

	(void)state;
	put("victim", "precious\n");
	assert_int_equal(symlink(at("victim"), at("planted")), 0);
	write_out("planted", "report\n");
	text_of("victim", &b);
	assert_string_equal(b.data, "precious\n");
	assert_int_equal(lstat(at("planted"), &st), 0);
	assert_true(S_ISREG(st.st_mode));
	buf_release(&b);
}

static void test_abort_and_bad_names(void **state)
{
	struct outfile of;

	(void)state;
	assert_int_equal(outfile_open(&of, at("never")), 0);
	assert_int_equal(outfile_write(&of, "x", 1), 0);
	outfile_abort(&of);
	assert_int_equal(access(at("never"), F_OK), -1);
	assert_int_equal(leftovers(), 0);
	assert_int_equal(outfile_open(&of, at("")), CF_ERR_IO);
	assert_int_equal(outfile_open(&of, at("..")), CF_ERR_IO);
	assert_int_equal(outfile_open(&of, "/no/such/folder/x"), CF_ERR_IO);
}

/* -o /dev/null: a character device is written to, never replaced by a file. */
static void test_a_device_stays_a_device(void **state)
{
	struct outfile of;
	struct stat st;

	int fd;

	(void)state;
	/* only root makes device nodes, and a nodev mount does not open them */
	if (mknod(at("null"), S_IFCHR | 0666, makedev(1, 3)) ||
	    (fd = open(at("null"), O_WRONLY)) < 0) {
		skip();
		return;
	}
	close(fd);
	assert_int_equal(outfile_open(&of, at("null")), 0);
	fputs("a report nobody keeps\n", outfile_stream(&of));
	assert_int_equal(outfile_commit(&of), 0);
	assert_int_equal(lstat(at("null"), &st), 0);
	assert_true(S_ISCHR(st.st_mode));
	assert_int_equal(major(st.st_rdev), 1);
	assert_int_equal(minor(st.st_rdev), 3);
	/* written with write() too, and aborted: the device is left as it is */
	assert_int_equal(outfile_open(&of, at("null")), 0);
	assert_int_equal(outfile_write(&of, "x", 1), 0);
	outfile_abort(&of);
	assert_int_equal(lstat(at("null"), &st), 0);
	assert_true(S_ISCHR(st.st_mode));
	assert_int_equal(leftovers(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_and_replaced),
		cmocka_unit_test(test_a_link_is_replaced_not_followed),
		cmocka_unit_test(test_abort_and_bad_names),
		cmocka_unit_test(test_a_device_stays_a_device),
	};

	return cmocka_run_group_tests(tests, unit_dir_setup, unit_dir_teardown);
}
