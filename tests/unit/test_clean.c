/* test_clean.c: casefile clean: names, addresses and users gone, links judged, manifests redone */
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <jansson.h>
#include <sys/stat.h>
#include <unistd.h>
#include "unit.h"
#include "clean.h"
#include "clean_input.h"
#include "hash.h"
#include "intake.h"

#define dir unit_dir

/* dir/name with text (parent folders made). */
static void put(const char *name, const char *text, size_t n)
{
	char path[512], *slash;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	for (slash = strchr(path + strlen(dir) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, n), (ssize_t)n);
	close(fd);
}

#define PUT(name, text) put(name, text, sizeof(text) - 1)

/* What a cleaned bundle holds: member -> text ("-> target" for a link). */
static json_t *read_bundle(const char *path)
{
	struct intake_policy p = INTAKE_POLICY_DEFAULT;
	const struct intake_entry *e;
	struct buf err = BUF_INIT(0), text = BUF_INIT(0);
	struct intake *in;
	json_t *all = json_object();
	int r;

	assert_int_equal(intake_open(&in, path, &p, &err), 0);
	while ((r = intake_next(in, &e, &err)) == 1) {
		char chunk[8192];
		ssize_t n;

		assert_null(e->refused);	/* clean writes nothing the reader refuses */
		buf_reset(&text);
		if (e->type == INTAKE_SYMLINK)
			buf_addf(&text, "-> %s", e->link);
		while (e->type == INTAKE_FILE && (n = intake_read(in, chunk, sizeof(chunk), &err)) > 0)
			buf_add(&text, chunk, (size_t)n);
		if (e->type != INTAKE_DIR)
			json_object_set_new(all, e->path, json_stringn(text.data, text.len));
	}
	assert_int_equal(r, 0);
	intake_free(in);
	buf_release(&err);
	buf_release(&text);
	return all;
}

/* Does any member's name or text hold s? */
static int leaks(json_t *all, const char *s)
{
	const char *k;
	json_t *v;

	json_object_foreach(all, k, v)
		if (strstr(k, s) || strstr(json_string_value(v), s))
			return 1;
	return 0;
}

static void make_folder(void)
{
	char path[512];

	PUT("db1-case/etc/hostname", "db1.example.com\n");
	PUT("db1-case/etc/passwd", "root:x:0:0::/root:/bin/bash\n"
	    "alice:x:1000:1000::/home/alice:/bin/bash\n");
	PUT("db1-case/var/log/messages", "Dec  4 10:00:00 db1 kernel: eth0: 10.1.2.3 link up\n"
	    "Dec  4 10:00:01 db1 sshd[1]: Accepted password for alice from 192.168.7.9\n");
	PUT("db1-case/bin/blob", "\x7f" "ELF\0\0\0 db1 binary");
	snprintf(path, sizeof(path), "%s/db1-case/etc/alias", dir);
	assert_int_equal(symlink("hostname", path), 0);
	snprintf(path, sizeof(path), "%s/db1-case/etc/escape", dir);
	assert_int_equal(symlink("../../../../etc/shadow", path), 0);
	snprintf(path, sizeof(path), "%s/db1-case/var/pipe", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	snprintf(path, sizeof(path), "%s/out", dir);
	mkdir(path, 0700);
}

static void test_clean_a_folder(void **state)
{
	struct clean_opts o = { 0 };
	struct clean_result res;
	struct buf in = BUF_INIT(0), out = BUF_INIT(0);
	struct stat st;
	json_t *all;
	const char *base;

	(void)state;
	make_folder();
	buf_addf(&in, "%s/db1-case", dir);
	buf_addf(&out, "%s/out", dir);
	o.outdir = out.data;
	o.quiet = 1;
	assert_int_equal(clean_bundle(in.data, &o, &res), 0);
	assert_int_equal(res.members, 4);
	assert_int_equal(res.links, 1);
	assert_int_equal(res.dropped_binary, 1);
	assert_int_equal(res.dropped_other, 2);	/* the link out, the FIFO */
	assert_true(res.replacements >= 5);
	/* the copy's name says no host name either */
	base = strrchr(res.bundle_path, '/') + 1;
	assert_null(strstr(base, "db1"));
	assert_non_null(strstr(base, "-case-clean.tar.gz"));
	all = read_bundle(res.bundle_path);
	assert_false(leaks(all, "db1"));
	assert_false(leaks(all, "alice"));
	assert_false(leaks(all, "10.1.2.3"));
	assert_false(leaks(all, "192.168.7.9"));
	assert_true(leaks(all, "root:x:0:0"));	/* root is nobody in particular */
	assert_string_equal(json_string_value(json_object_get(all, "etc/alias")), "-> hostname");
	assert_null(json_object_get(all, "etc/escape"));
	assert_null(json_object_get(all, "bin/blob"));
	assert_int_equal(json_object_size(all), 4);
	json_decref(all);
	/* the map keeps the real names, beside the copy, for its owner only */
	assert_int_equal(stat(res.map_path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(strncmp(res.map_path, out.data, out.len), 0);
	clean_result_release(&res);
	/* a second copy never replaces the first */
	assert_int_equal(clean_bundle(in.data, &o, &res), 0);
	assert_non_null(strstr(res.bundle_path, "-case-clean-2.tar.gz"));
	clean_result_release(&res);
	buf_release(&in);
	buf_release(&out);
}

/* A tar.gz of (name, text) pairs, names as given (".." too). */
static void make_archive(const char *name, const char *const *items)
{
	struct archive *a = archive_write_new();
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	archive_write_set_format_pax_restricted(a);
	archive_write_add_filter_gzip(a);
	assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
	for (; items[0]; items += 2) {
		struct archive_entry *e = archive_entry_new();
		size_t n = strlen(items[1]);

		archive_entry_set_pathname(e, items[0]);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_size(e, (la_int64_t)n);
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		assert_int_equal(archive_write_data(a, items[1], n), (la_ssize_t)n);
		archive_entry_free(e);
	}
	archive_write_free(a);
}

static void test_clean_an_archive_with_a_manifest(void **state)
{
	static const char *const items[] = {
		"casefile-web7-20261204T100000Z/etc/hostname", "web7\n",
		"casefile-web7-20261204T100000Z/commands/ip_addr", "inet 172.16.5.4/24 brd x\n",
		"casefile-web7-20261204T100000Z/../../evil", "planted\n",
		"casefile-web7-20261204T100000Z/casefile/manifest.json",
		"{\"host\": \"web7\", \"user\": \"bob\", \"items\": ["
		"{\"path\": \"etc/hostname\", \"bytes\": 5, \"sha256\": \"x\"},"
		"{\"path\": \"commands/ip_addr\", \"bytes\": 25, \"sha256\": \"y\"},"
		"{\"path\": \"gone\", \"bytes\": 9, \"sha256\": \"z\"}]}",
		NULL, NULL,
	};
	struct clean_opts o = { 0 };
	struct clean_result res;
	struct buf in = BUF_INIT(0), out = BUF_INIT(0);
	char hex[SHA256_HEX_LEN + 1], evil[512];
	json_t *all, *m, *it;
	const char *host;
	size_t i;

	(void)state;
	make_archive("web7.tar.gz", items);
	buf_addf(&in, "%s/web7.tar.gz", dir);
	buf_addf(&out, "%s/out", dir);
	o.outdir = out.data;
	o.quiet = 1;
	assert_int_equal(clean_bundle(in.data, &o, &res), 0);
	assert_int_equal(res.dropped_other, 1);	/* ../../evil */
	snprintf(evil, sizeof(evil), "%s/evil", dir);
	assert_int_equal(access(evil, F_OK), -1);
	all = read_bundle(res.bundle_path);
	assert_false(leaks(all, "web7"));
	assert_false(leaks(all, "172.16.5.4"));
	assert_false(leaks(all, "bob"));
	assert_false(leaks(all, "planted"));
	/* the manifest says obfuscated, and its checksums are the cleaned members' */
	m = json_loads(json_string_value(json_object_get(all, "casefile/manifest.json")), 0, NULL);
	assert_non_null(m);
	assert_true(json_is_true(json_object_get(m, "obfuscated")));
	json_array_foreach(json_object_get(m, "items"), i, it) {
		const char *p = json_string_value(json_object_get(it, "path"));
		const char *text = json_string_value(json_object_get(all, p));

		if (!strcmp(p, "gone")) {
			assert_true(json_is_null(json_object_get(it, "sha256")));
			continue;
		}
		assert_non_null(text);
		sha256_hex(text, strlen(text), hex);
		assert_string_equal(json_string_value(json_object_get(it, "sha256")), hex);
		assert_int_equal(json_integer_value(json_object_get(it, "bytes")), strlen(text));
	}
	/* the host it names is the token the member has */
	host = json_string_value(json_object_get(m, "host"));
	assert_non_null(host);
	assert_non_null(strstr(json_string_value(json_object_get(all, "etc/hostname")), host));
	json_decref(m);
	json_decref(all);
	clean_result_release(&res);
	buf_release(&in);
	buf_release(&out);
}

/* A map given again gives the same tokens: two copies of one host read alike. */
static void test_map_is_reused(void **state)
{
	static const char *const items[] = { "h/etc/hostname", "dbx42\n", NULL, NULL };
	struct clean_opts o = { 0 };
	struct clean_result res;
	struct buf in = BUF_INIT(0), out = BUF_INIT(0), map = BUF_INIT(0);
	json_t *a, *b;

	(void)state;
	make_archive("h.tar.gz", items);
	buf_addf(&in, "%s/h.tar.gz", dir);
	buf_addf(&out, "%s/out", dir);
	buf_addf(&map, "%s/my.map.json", dir);
	o.outdir = out.data;
	o.map = map.data;
	o.quiet = 1;
	assert_int_equal(clean_bundle(in.data, &o, &res), 0);
	assert_string_equal(res.map_path, map.data);
	a = read_bundle(res.bundle_path);
	clean_result_release(&res);
	assert_int_equal(clean_bundle(in.data, &o, &res), 0);
	b = read_bundle(res.bundle_path);
	clean_result_release(&res);
	assert_false(leaks(a, "dbx42"));
	assert_string_equal(json_string_value(json_object_get(a, "etc/hostname")),
			    json_string_value(json_object_get(b, "etc/hostname")));
	json_decref(a);
	json_decref(b);
	/* a map that is no map: refused, nothing written */
	PUT("my.map.json", "{not json");
	assert_true(clean_bundle(in.data, &o, &res) < 0);
	assert_null(res.bundle_path);
	buf_release(&in);
	buf_release(&out);
	buf_release(&map);
}

static void test_unreadable_input(void **state)
{
	struct clean_opts o = { 0 };
	struct clean_result res;
	struct buf in = BUF_INIT(0);

	(void)state;
	buf_addf(&in, "%s/no-such-bundle.tar.gz", dir);
	o.quiet = 1;
	assert_true(clean_bundle(in.data, &o, &res) < 0);
	assert_null(res.bundle_path);
	buf_reset(&in);
	PUT("junk.tar.gz", "this is no archive of any format\n");
	buf_addf(&in, "%s/junk.tar.gz", dir);
	assert_true(clean_bundle(in.data, &o, &res) < 0);
	assert_null(res.bundle_path);
	/* and nothing half-written is left beside it */
	buf_reset(&in);
	buf_addf(&in, "%s/junk-clean.tar.gz.part", dir);
	assert_int_equal(access(in.data, F_OK), -1);
	buf_release(&in);
}

static void test_base_of(void **state)
{
	char *b;

	(void)state;
	b = clean_base_of("/in/sosreport-db1.tar.xz");
	assert_string_equal(b, "sosreport-db1.tar.xz");
	free(b);
	b = clean_base_of("folder/");
	assert_string_equal(b, "folder");
	free(b);
	b = clean_base_of("/");
	assert_string_equal(b, "");
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_a_folder),
		cmocka_unit_test(test_clean_an_archive_with_a_manifest),
		cmocka_unit_test(test_map_is_reused),
		cmocka_unit_test(test_unreadable_input),
		cmocka_unit_test(test_base_of),
	};

	return cmocka_run_group_tests(tests, unit_dir_setup, unit_dir_teardown);
}
