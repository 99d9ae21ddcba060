/*
 * test_ssh_files.c: how the SSH transport lists and reads a host's files
 * (ssh_files.c): the listing's parser on lines a host could send (well
 * formed, hostile, broken), the planted-link rule applied to what it
 * reports, and the listing and reading scripts run for real by /bin/sh on
 * this machine, a file swapped between the listing and the read refused
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "unit.h"
#include "spawn.h"
#include "ssh_files.h"

#define dir unit_dir

static const struct found *find(const struct found_list *l, const char *path)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		if (!strcmp(l->v[i].path, path))
			return &l->v[i];
	return NULL;
}

static char *applog_files[] = { "/var/log/app.log", NULL };
static char *appconf_files[] = { "/etc/app/*.conf", NULL };
static char *meminfo_files[] = { "/proc/meminfo", NULL };
static struct source applog = { .name = "applog", .files = applog_files, .rotated = 1 };
static struct source appconf = { .name = "appconf", .files = appconf_files };
static struct source meminfo = { .name = "meminfo", .files = meminfo_files };

/* Parse text (copied: the parser cuts it) for the three sources, in a batch. */
static void parse3(const char *text, struct found_list out[3])
{
	const struct source *v[] = { &applog, &appconf, &meminfo };
	char *copy = xstrdup(text);

	memset(out, 0, 3 * sizeof(*out));
	ssh_files_parse(v, out, 3, 1, copy);
	free(copy);
}

static void release3(struct found_list out[3])
{
	int i;

	for (i = 0; i < 3; i++)
		transport_found_release(&out[i]);
}

static void test_parse_lines(void **state)
{
	struct found_list out[3];
	const struct found *f;

	(void)state;
	parse3("0 0 1 120 1700000000 2049 12 81a4 0 1ed - /var/log/app.log\n"
	       "0 0 1 80 1690000000 2049 14 81a4 0 1ed - /var/log/app.log.1\n"
	       "1 0 1 50 1700000001 2049 13 81a4 0 1ed - /etc/app/main.conf\n"
	       "2 0 1 0 1700000002 22 4026531 8124 0 16d - /proc/meminfo\n", out);
	assert_int_equal(out[0].nr, 2);
	f = find(&out[0], "/var/log/app.log");
	assert_non_null(f);
	assert_int_equal(f->size, 120);
	assert_int_equal(f->mtime, 1700000000);
	assert_int_equal(f->dev, 2049);
	assert_int_equal(f->ino, 12);
	assert_null(f->refused);
	assert_true(f->no_links);	/* no link on its way: it is read through none */
	assert_false(f->any_ino);
	assert_non_null(find(&out[0], "/var/log/app.log.1"));	/* a rotation */
	assert_int_equal(out[1].nr, 1);
	assert_non_null(find(&out[1], "/etc/app/main.conf"));
	/* procfs: each reader has its own inode through /proc/self, the device is checked */
	f = find(&out[2], "/proc/meminfo");
	assert_non_null(f);
	assert_true(f->any_ino);
	assert_false(f->no_links);
	release3(out);
}

static void test_parse_hostile(void **state)
{
	struct found_list out[3];

	(void)state;
	parse3("0 0 1 120 1700000000 2049 12 81a4 0 1ed - /etc/shadow\n"	/* not its source's */
	       "1 0 1 120 1700000000 2049 12 81a4 0 1ed - /etc/app/../shadow.conf\n"
	       "0 0 1 120 1700000000 2049 12 81a4 0 1ed - var/log/app.log\n"	/* not absolute */
	       "0 0 2 4096 1700000000 2049 12 41ed 0 1ed - /var/log/app.log\n"	/* a folder */
	       "0 0 1 120 1700000000 2049 12 11a4 0 1ed - /var/log/app.log\n"	/* a FIFO */
	       "0 0 1 120 garbage\n"
	       "7 0 1 120 1700000000 2049 12 81a4 0 1ed - /var/log/app.log\n"	/* no source 7 */
	       "0\n"
	       "00 1 120 1700000000 2049 12 81a4 0 1ed - /var/log/app.log\n"	/* a field short */
	       "\n"
	       "2 X /etc/passwd\n", out);
	/* nothing: a glob's '*' takes no '/', so a way through ".." is no source's either */
	assert_int_equal(out[0].nr, 0);
	assert_int_equal(out[1].nr, 0);
	assert_int_equal(out[2].nr, 0);
	release3(out);
}

static void test_parse_refusals(void **state)
{
	struct found_list out[3];
	const struct found *f;

	(void)state;
	parse3("0 X /var/log/app.log\n"
	       /* a link in a folder anyone can write */
	       "0 0 1 1 1 1 1 81a4 0 1ed 0:0:1777, /var/log/app.log.1\n"
	       /* root's link to the folder of uid 1000, then a file of root's */
	       "0 0 1 1 1 1 2 81a4 1000 1ed 0:1000:755, /var/log/app.log.2\n"
	       /* the same way to a file of uid 1000: theirs to give */
	       "0 1000 1 1 1 1 3 81a4 1000 1ed 0:1000:755, /var/log/app.log.3\n"
	       /* links of two users on one way */
	       "0 1000 1 1 1 1 4 81a4 0 1ed 1000:0:755,1001:0:755, /var/log/app.log.4\n"
	       /* a hard link of root's in a folder of uid 1000 */
	       "0 0 2 1 1 1 5 81a4 1000 1ed - /var/log/app.log.5\n"
	       /* hops the host wrote otherwise */
	       "0 0 1 1 1 1 6 81a4 0 1ed 0:0:755,x /var/log/app.log.6\n", out);
	assert_int_equal(out[0].nr, 7);
	f = find(&out[0], "/var/log/app.log");
	assert_non_null(strstr(f->refused, "the way to it changed while it was listed"));
	f = find(&out[0], "/var/log/app.log.1");
	assert_non_null(strstr(f->refused, "a link in a folder anyone can write"));
	f = find(&out[0], "/var/log/app.log.2");
	assert_non_null(strstr(f->refused, "reached through a link of uid 1000 to a file of uid 0"));
	f = find(&out[0], "/var/log/app.log.3");
	assert_null(f->refused);
	assert_false(f->no_links);	/* read through its link: the reader may follow it */
	f = find(&out[0], "/var/log/app.log.4");
	assert_non_null(strstr(f->refused, "follows links of uid 1000 and uid 1001"));
	f = find(&out[0], "/var/log/app.log.5");
	assert_non_null(strstr(f->refused, "is a hard link to a file of uid 0"));
	f = find(&out[0], "/var/log/app.log.6");
	assert_non_null(strstr(f->refused, "listing of its links is not understood"));
	release3(out);
}

/* Run a script with /bin/sh as the host's kept shell would. */
static int run_sh(const char *script, struct spawn_result *r)
{
	const char *argv[] = { "/bin/sh", "-c", script, NULL };
	struct spawn_opts so = { argv, 30000, 1 << 20, NULL, 0 };

	spawn_result_init(r);
	return spawn_run(&so, r);
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *at(const char *rel)
{
	struct buf b = BUF_INIT(0);

	buf_addf(&b, "%s/%s", dir, rel);
	return buf_detach(&b, NULL);
}

static void test_list_for_real(void **state)
{
	char *a = at("a.log"), *b = at("b.log"), *ww = at("ww"), *c = at("ww/c.log");
	char *nl = at("e\n.log"), *sub = at("sub.log"), *g1 = at("*.log"), *g2 = at("ww/*.log");
	char *files[] = { g1, g2, NULL };
	struct source s = { .name = "local", .files = files };
	const struct source *v[] = { &s };
	struct buf script = BUF_INIT(0);
	struct found_list out = { 0 };
	struct spawn_result r;
	const struct found *f;
	struct stat st;

	(void)state;
	put(a, "alpha\n");
	assert_int_equal(symlink("a.log", b), 0);
	assert_int_equal(mkdir(ww, 01777), 0);
	assert_int_equal(chmod(ww, 01777), 0);
	assert_int_equal(symlink("../a.log", c), 0);
	put(nl, "a newline in the name could forge a line\n");
	assert_int_equal(mkdir(sub, 0755), 0);
	ssh_files_list_script(v, 1, 0, &script);
	assert_int_equal(run_sh(script.data, &r), 0);
	assert_int_equal(r.status, 0);
	ssh_files_parse(v, &out, 1, 0, r.out.data);
	assert_int_equal(out.nr, 3);
	assert_int_equal(stat(a, &st), 0);
	f = find(&out, a);
	assert_non_null(f);
	assert_int_equal(f->size, 6);
	assert_int_equal(f->dev, st.st_dev);
	assert_int_equal(f->ino, st.st_ino);
	assert_true(f->no_links);
	f = find(&out, b);	/* root's link in root's folder: read, through it */
	assert_non_null(f);
	assert_null(f->refused);
	assert_int_equal(f->ino, st.st_ino);
	assert_false(f->no_links);
	f = find(&out, c);
	assert_non_null(f);
	assert_non_null(strstr(f->refused, "a link in a folder anyone can write"));
	spawn_result_release(&r);
	transport_found_release(&out);
	buf_release(&script);
	free(a), free(b), free(ww), free(c), free(nl), free(sub), free(g1), free(g2);
}

/* Read a found file with the read script: its status, its output into out. */
static int read_found(const struct found *f, int gz, uint64_t cap, struct buf *out)
{
	struct buf script = BUF_INIT(0);
	struct spawn_result r;
	int status;

	ssh_files_read_script(f, gz, cap, &script);
	assert_int_equal(run_sh(script.data, &r), 0);
	status = r.status;
	buf_reset(out);
	buf_add(out, r.out.data, r.out.len);
	spawn_result_release(&r);
	buf_release(&script);
	return status;
}

static void test_read_for_real(void **state)
{
	char *p = at("read.log"), *q = at("read's \"$name\".log"), *gzp = at("read.log.2.gz");
	char *old = at("read.log.old");
	struct found f = { 0 };
	struct buf out = BUF_INIT(0);
	struct stat st;
	gzFile z;

	(void)state;
	put(p, "0123456789\n");
	assert_int_equal(stat(p, &st), 0);
	f.path = p;
	f.size = (uint64_t)st.st_size;
	f.dev = st.st_dev;
	f.ino = st.st_ino;
	f.no_links = 1;
	assert_int_equal(read_found(&f, 0, 1024, &out), 0);
	assert_string_equal(out.data, "0123456789\n");
	/* over its cap: its end, from where dd skips to */
	assert_int_equal(read_found(&f, 0, 4, &out), 0);
	assert_string_equal(out.data, "789\n");
	/* swapped since it was listed (moved away: its inode stays its own), for
	 * another file or for a link, it is not read */
	assert_int_equal(rename(p, old), 0);
	put(p, "not the file listed\n");
	assert_int_equal(read_found(&f, 0, 1024, &out), SSH_FILES_CHANGED);
	assert_int_equal(out.len, 0);
	unlink(p);
	assert_int_equal(symlink("/etc/hostname", p), 0);
	assert_int_equal(read_found(&f, 0, 1024, &out), SSH_FILES_CHANGED);
	/* a name the shell must not read as code */
	put(q, "quoted\n");
	assert_int_equal(stat(q, &st), 0);
	f.path = q;
	f.dev = st.st_dev;
	f.ino = st.st_ino;
	f.size = (uint64_t)st.st_size;
	assert_int_equal(read_found(&f, 0, 1024, &out), 0);
	assert_string_equal(out.data, "quoted\n");
	/* a compressed rotation: inflated, its end within the cap */
	z = gzopen(gzp, "wb");
	assert_non_null(z);
	gzputs(z, "first line\nlast line\n");
	gzclose(z);
	assert_int_equal(stat(gzp, &st), 0);
	f.path = gzp;
	f.dev = st.st_dev;
	f.ino = st.st_ino;
	f.size = (uint64_t)st.st_size;
	assert_int_equal(read_found(&f, 1, 10, &out), 0);
	assert_string_equal(out.data, "last line\n");
	buf_release(&out);
	free(p), free(q), free(gzp), free(old);
}

static void test_list_script_shape(void **state)
{
	const struct source *v[] = { &applog, &appconf };
	struct buf s = BUF_INIT(0);

	(void)state;
	ssh_files_list_script(v, 2, 1, &s);
	/* each source's globs, a rotated one's siblings, each line tagged by its index */
	assert_non_null(strstr(s.data, "p='0 '; for f in /var/log/app.log /var/log/app.log[.-]*;"));
	assert_non_null(strstr(s.data, "p='1 '; for f in /etc/app/*.conf;"));
	assert_string_equal(s.data + s.len - 4, "true");
	buf_reset(&s);
	ssh_files_list_script(v, 1, 0, &s);
	assert_non_null(strstr(s.data, "p=; for f in /var/log/app.log"));
	assert_null(strstr(s.data, "/etc/app"));
	buf_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_lines),
		cmocka_unit_test(test_parse_hostile),
		cmocka_unit_test(test_parse_refusals),
		cmocka_unit_test(test_list_script_shape),
		cmocka_unit_test(test_list_for_real),
		cmocka_unit_test(test_read_for_real),
	};

	return cmocka_run_group_tests(tests, unit_dir_setup, unit_dir_teardown);
}
