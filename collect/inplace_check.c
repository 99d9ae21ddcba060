/*
 * inplace_check.c: what casefile on a host sent back, checked before it is
 * called a bundle (see inplace.h). The host is not trusted: its archive
 * must be a tar.gz of regular files under NAME/, no member twice, within
 * the cap, with a manifest whose checksums its members match.
 */
#include <archive.h>
#include <archive_entry.h>
#include <jansson.h>
#include <string.h>
#include "casefile.h"
#include "collect.h"
#include "hash.h"
#include "inplace.h"
#include "manifest.h"

#define MANIFEST_MAX (64 * 1024 * 1024)
#define SLACK (16 * 1024 * 1024)	/* collect.log and the manifest, past the items' cap */

/* "NAME/rel" with rel made of plain names: rel, or NULL. */
static const char *member_rel(const char *path, const char *name)
{
	size_t n = strlen(name);
	const char *rel, *p;

	if (strncmp(path, name, n) || path[n] != '/' || !path[n + 1])
		return NULL;
	rel = path + n + 1;
	for (p = rel; *p; ) {
		size_t k = strcspn(p, "/");

		if (!k || (k == 1 && p[0] == '.') || (k == 2 && p[0] == '.' && p[1] == '.'))
			return NULL;
		p += k;
		if (*p == '/' && !*++p)
			return NULL;
	}
	return rel;
}

struct reading {
	json_t *sums;		/* rel → sha256 hex */
	struct buf manifest;
	uint64_t total, cap;
};

/* One member: its checksum, and the manifest's text. */
static int read_member(struct archive *a, struct archive_entry *e, const char *name,
		       struct reading *rd, struct buf *why)
{
	const char *path = archive_entry_pathname(e), *rel;
	char hex[SHA256_HEX_LEN + 1], chunk[65536];
	struct sha256 h;
	la_ssize_t n;

	if (!path || !(rel = member_rel(path, name)))
		return buf_addf(why, "a member outside %s/", name), CF_ERR_PARSE;
	if (archive_entry_filetype(e) != AE_IFREG)
		return buf_addf(why, "%s is not a regular file", rel), CF_ERR_PARSE;
	if (json_object_get(rd->sums, rel))
		return buf_addf(why, "%s is there twice", rel), CF_ERR_PARSE;
	if (sha256_init(&h))
		return buf_addstr(why, "cannot start a SHA-256 digest"), CF_ERR_NOMEM;
	while ((n = archive_read_data(a, chunk, sizeof(chunk))) > 0) {
		rd->total += (uint64_t)n;
		if (rd->total > rd->cap) {
			sha256_release(&h);
			return buf_addf(why, "more than %llu bytes", (unsigned long long)rd->cap),
			       CF_ERR_CAP;
		}
		sha256_update(&h, chunk, (size_t)n);
		if (!strcmp(rel, MANIFEST_PATH) && rd->manifest.len + (size_t)n <= MANIFEST_MAX)
			buf_add(&rd->manifest, chunk, (size_t)n);
	}
	sha256_final_hex(&h, hex);
	if (n < 0)
		return buf_addf(why, "%s: %s", rel, archive_error_string(a)), CF_ERR_ARCHIVE;
	json_object_set_new(rd->sums, rel, json_string(hex));
	return 0;
}

/*
 * Every member but the log and the manifest is an item of the manifest:
 * nothing rides along unlisted, nothing listed goes unchecked.
 */
static int check_listed(struct reading *rd, json_t *listed, struct buf *why)
{
	const char *rel;
	json_t *v;

	json_object_foreach(rd->sums, rel, v) {
		if (strcmp(rel, MANIFEST_PATH) && strcmp(rel, COLLECT_LOG_PATH) &&
		    !json_object_get(listed, rel))
			return buf_addf(why, "%s is in the bundle but not in its manifest", rel),
			       CF_ERR_PARSE;
	}
	return 0;
}

/* One item's member: listed once, with a checksum it matches. */
static int check_item(struct reading *rd, json_t *listed, const char *path, const char *sum,
		      struct buf *why)
{
	const char *got = path ? json_string_value(json_object_get(rd->sums, path)) : NULL;

	if (path && !sum)
		return buf_addf(why, "the manifest lists %s without a sha256", path), CF_ERR_PARSE;
	if (path && json_object_get(listed, path))
		return buf_addf(why, "the manifest lists %s twice", path), CF_ERR_PARSE;
	if (sum && (!got || strcmp(sum, got)))
		return buf_addf(why, "%s does not match its checksum in the manifest",
				path ? path : "(no path)"), CF_ERR_PARSE;
	if (path)
		json_object_set_new(listed, path, json_true());
	return 0;
}

/* The manifest against the members; the counts for the summary. */
static int check_manifest(struct reading *rd, struct collect_result *res, struct buf *why)
{
	json_error_t je;
	json_t *m = json_loadb(rd->manifest.data, rd->manifest.len, 0, &je), *items, *it;
	json_t *listed;
	const char *schema;
	size_t i;
	int r = 0;

	if (!m || !json_is_object(m)) {
		buf_addf(why, "%s: %s", MANIFEST_PATH, rd->manifest.len ? je.text : "missing");
		json_decref(m);
		return CF_ERR_PARSE;
	}
	schema = json_string_value(json_object_get(m, MF_SCHEMA));
	items = json_object_get(m, MF_ITEMS);
	if (!schema || strcmp(schema, MANIFEST_SCHEMA) || !json_is_array(items)) {
		json_decref(m);
		return buf_addf(why, "%s: not a %s", MANIFEST_PATH, MANIFEST_SCHEMA), CF_ERR_PARSE;
	}
	res->complete = json_is_true(json_object_get(m, MF_COMPLETE));
	listed = json_object();
	json_array_foreach(items, i, it) {
		const char *path = json_string_value(json_object_get(it, MF_ITEM_PATH));
		const char *sum = json_string_value(json_object_get(it, MF_ITEM_SHA256));
		const char *status = json_string_value(json_object_get(it, MF_ITEM_STATUS));
		int st = item_status_parse(status ? status : "");

		if (st < 0) {
			buf_addf(why, "%s: item %zu has no known status", MANIFEST_PATH, i);
			r = CF_ERR_PARSE;
			break;
		}
		if ((r = check_item(rd, listed, path, sum, why)))
			break;
		res->counts.status[st]++;
		res->counts.truncated += json_is_true(json_object_get(it, MF_ITEM_TRUNCATED));
		res->counts.redactions += (unsigned long)json_integer_value(
			json_object_get(it, MF_ITEM_REDACTIONS));
	}
	if (!r)
		r = check_listed(rd, listed, why);
	json_decref(listed);
	json_decref(m);
	return r;
}

int inplace_check(const char *path, const char *name, uint64_t cap, struct collect_result *res,
		  struct buf *why)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	struct reading rd = { json_object(), BUF_INIT(0), 0, cap + SLACK };
	int r = 0, h;

	memset(&res->counts, 0, sizeof(res->counts));
	if (!a || archive_read_support_filter_gzip(a) != ARCHIVE_OK ||
	    archive_read_support_format_tar(a) != ARCHIVE_OK ||
	    archive_read_open_filename(a, path, 65536) != ARCHIVE_OK) {
		buf_addf(why, "cannot read it back: %s", a ? archive_error_string(a) : "no memory");
		r = CF_ERR_ARCHIVE;
		goto out;
	}
	while (!r && (h = archive_read_next_header(a, &e)) != ARCHIVE_EOF) {
		if (h < ARCHIVE_WARN) {
			buf_addf(why, "not a tar.gz: %s", archive_error_string(a));
			r = CF_ERR_ARCHIVE;
			break;
		}
		r = read_member(a, e, name, &rd, why);
	}
	if (!r)
		r = check_manifest(&rd, res, why);
out:
	if (a)
		archive_read_free(a);
	json_decref(rd.sums);
	buf_release(&rd.manifest);
	return r;
}
