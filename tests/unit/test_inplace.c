/* test_inplace.c: what a host sends back is checked before it is a bundle */
#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>
#include <unistd.h>
#include "unit.h"
#include "hash.h"
#include "inplace.h"
#include "manifest.h"

#define dir unit_dir

struct member {
	const char *name;
	const char *data;	/* NULL: a symbolic link to /etc/shadow */
};

/* A tar.gz of the members, as a hostile host could send it. */
static char *make_archive(const char *file, const struct member *m, size_t n)
{
	struct archive *a = archive_write_new();
	struct buf path = BUF_INIT(0);
	size_t i;

	buf_addf(&path, "%s/%s", dir, file);
	archive_write_set_format_pax_restricted(a);
	archive_write_add_filter_gzip(a);
	assert_int_equal(archive_write_open_filename(a, path.data), ARCHIVE_OK);
	for (i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();

		archive_entry_set_pathname(e, m[i].name);
		archive_entry_set_perm(e, 0600);
		if (m[i].data) {
			archive_entry_set_filetype(e, AE_IFREG);
			archive_entry_set_size(e, (la_int64_t)strlen(m[i].data));
		} else {
			archive_entry_set_filetype(e, AE_IFLNK);
			archive_entry_set_symlink(e, "/etc/shadow");
		}
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		if (m[i].data)
			archive_write_data(a, m[i].data, strlen(m[i].data));
		archive_entry_free(e);
	}
	archive_write_close(a);
	archive_write_free(a);
	return buf_detach(&path, NULL);
}

/* A manifest of one item, the host's name, with the checksum of data. */
static char *manifest_for(const char *data, const char *status)
{
	struct buf b = BUF_INIT(0);
	char hex[SHA256_HEX_LEN + 1];

	sha256_hex(data, strlen(data), hex);
	buf_addf(&b, "{\"schema\": \"" MANIFEST_SCHEMA "\", \"complete\": true, \"items\": ["
		 "{\"source\": \"hostname\", \"path\": \"commands/hostname\", \"status\": \"%s\","
		 " \"sha256\": \"%s\", \"truncated\": true, \"redactions\": 2},"
		 "{\"source\": \"gone\", \"path\": null, \"status\": \"absent\"}]}", status, hex);
	return buf_detach(&b, NULL);
}

/* The same item listed twice. */
static char *dup_manifest(const char *data)
{
	struct buf b = BUF_INIT(0);
	char hex[SHA256_HEX_LEN + 1];

	sha256_hex(data, strlen(data), hex);
	buf_addf(&b, "{\"schema\": \"" MANIFEST_SCHEMA "\", \"items\": ["
		 "{\"source\": \"a\", \"path\": \"commands/hostname\", \"status\": \"ok\","
		 " \"sha256\": \"%s\"}, {\"source\": \"b\", \"path\": \"commands/hostname\","
		 " \"status\": \"ok\", \"sha256\": \"%s\"}]}", hex, hex);
	return buf_detach(&b, NULL);
}

static int check(const char *file, const struct member *m, size_t n, uint64_t cap,
		 struct collect_result *res, struct buf *why)
{
	char *path = make_archive(file, m, n);
	int r;

	memset(res, 0, sizeof(*res));
	buf_reset(why);
	r = inplace_check(path, "casefile-h-1", cap, res, why);
	free(path);
	return r;
}

static void test_a_good_bundle(void **state)
{
	char *mf = manifest_for("db1\n", "ok");
	struct member m[] = {
		{ "casefile-h-1/commands/hostname", "db1\n" },
		{ "casefile-h-1/casefile/manifest.json", mf },
	};
	struct collect_result res;
	struct buf why = BUF_INIT(0);

	(void)state;
	assert_int_equal(check("good.tar.gz", m, 2, 1 << 20, &res, &why), 0);
	assert_int_equal(res.complete, 1);
	assert_int_equal(res.counts.status[ITEM_OK], 1);
	assert_int_equal(res.counts.status[ITEM_ABSENT], 1);
	assert_int_equal(res.counts.truncated, 1);
	assert_int_equal(res.counts.redactions, 2);
	free(mf);
	buf_release(&why);
}

static void test_hostile_bundles(void **state)
{
	char *mf = manifest_for("db1\n", "ok"), *bad = manifest_for("other\n", "ok");
	char *odd = manifest_for("db1\n", "splendid"), *huge;
	const char *unsummed = "{\"schema\": \"" MANIFEST_SCHEMA "\", \"items\": [{\"source\": "
		"\"hostname\", \"path\": \"commands/hostname\", \"status\": \"ok\"}]}";
	char *dup = dup_manifest("db1\n");
	struct member outside[] = { { "casefile-h-1/../../etc/cron.d/x", "x" },
				    { "casefile-h-1/casefile/manifest.json", mf } };
	struct member other_top[] = { { "casefile-h-2/commands/hostname", "db1\n" } };
	struct member link[] = { { "casefile-h-1/commands/hostname", NULL } };
	struct member twice[] = { { "casefile-h-1/commands/hostname", "db1\n" },
				  { "casefile-h-1/commands/hostname", "db2\n" } };
	struct member changed[] = { { "casefile-h-1/commands/hostname", "db1\n" },
				    { "casefile-h-1/casefile/manifest.json", bad } };
	struct member status[] = { { "casefile-h-1/commands/hostname", "db1\n" },
				   { "casefile-h-1/casefile/manifest.json", odd } };
	struct member none[] = { { "casefile-h-1/commands/hostname", "db1\n" } };
	struct member unlisted[] = { { "casefile-h-1/commands/hostname", "db1\n" },
				     { "casefile-h-1/etc/shadow", "root:x:\n" },
				     { "casefile-h-1/casefile/collect.log", "log\n" },
				     { "casefile-h-1/casefile/manifest.json", mf } };
	struct member nosum[] = { { "casefile-h-1/commands/hostname", "db1\n" },
				  { "casefile-h-1/casefile/manifest.json", unsummed } };
	struct member listed2[] = { { "casefile-h-1/commands/hostname", "db1\n" },
				    { "casefile-h-1/casefile/manifest.json", dup } };
	struct member big[] = { { "casefile-h-1/commands/hostname", "db1\n" },
				{ "casefile-h-1/casefile/manifest.json", mf } };
	struct collect_result res;
	struct buf why = BUF_INIT(0);

	(void)state;
	assert_int_not_equal(check("a.tar.gz", outside, 2, 1 << 20, &res, &why), 0);
	assert_non_null(strstr(why.data, "'..' in its path"));
	assert_int_not_equal(check("b.tar.gz", other_top, 1, 1 << 20, &res, &why), 0);
	assert_non_null(strstr(why.data, "outside"));
	assert_int_not_equal(check("c.tar.gz", link, 1, 1 << 20, &res, &why), 0);
	assert_non_null(strstr(why.data, "commands/hostname -> /etc/shadow': it points outside"));
	assert_int_not_equal(check("d.tar.gz", twice, 2, 1 << 20, &res, &why), 0);
	assert_non_null(strstr(why.data, "there twice"));
	assert_int_not_equal(check("e.tar.gz", changed, 2, 1 << 20, &res, &why), 0);
	assert_non_null(strstr(why.data, "commands/hostname does not match its checksum"));
	assert_int_not_equal(check("f.tar.gz", status, 2, 1 << 20, &res, &why), 0);
	assert_non_null(strstr(why.data, "no known status"));
	assert_int_not_equal(check("g.tar.gz", none, 1, 1 << 20, &res, &why), 0);
	assert_non_null(strstr(why.data, "manifest.json: missing"));
	/* every member is listed, with a checksum, once (the log is the bundle's own) */
	assert_int_not_equal(check("j.tar.gz", unlisted, 4, 1 << 20, &res, &why), 0);
	assert_non_null(strstr(why.data, "etc/shadow is in the bundle but not in its manifest"));
	unlisted[1] = unlisted[0];
	assert_int_equal(check("k.tar.gz", unlisted + 1, 3, 1 << 20, &res, &why), 0);
	assert_int_not_equal(check("l.tar.gz", nosum, 2, 1 << 20, &res, &why), 0);
	assert_non_null(strstr(why.data, "lists commands/hostname without a sha256"));
	assert_int_not_equal(check("m.tar.gz", listed2, 2, 1 << 20, &res, &why), 0);
	assert_non_null(strstr(why.data, "lists commands/hostname twice"));
	/* the cap is the bundle's, plus room for the log and the manifest */
	assert_int_equal(check("h.tar.gz", big, 2, 0, &res, &why), 0);
	huge = xmalloc(17u << 20);
	memset(huge, 'a', (17u << 20) - 1);
	huge[(17u << 20) - 1] = '\0';
	big[0].data = huge;
	assert_int_equal(check("i.tar.gz", big, 2, 0, &res, &why), CF_ERR_CAP);
	assert_non_null(strstr(why.data, "size cap"));
	free(huge);
	free(mf);
	free(bad);
	free(odd);
	free(dup);
	buf_release(&why);
}

static void test_not_an_archive(void **state)
{
	struct buf path = BUF_INIT(0), why = BUF_INIT(0);
	struct collect_result res;
	FILE *f;

	(void)state;
	buf_addf(&path, "%s/garbage.tar.gz", dir);
	f = fopen(path.data, "w");
	assert_non_null(f);
	fputs("casefile-inplace/1 but then no gzip at all\n", f);
	fclose(f);
	memset(&res, 0, sizeof(res));
	assert_int_not_equal(inplace_check(path.data, "casefile-h-1", 1 << 20, &res, &why), 0);
	assert_true(why.len > 0);
	buf_release(&path);
	buf_release(&why);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_good_bundle),
		cmocka_unit_test(test_hostile_bundles),
		cmocka_unit_test(test_not_an_archive),
	};

	return cmocka_run_group_tests(tests, unit_dir_setup, unit_dir_teardown);
}
