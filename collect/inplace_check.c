/*
 * inplace_check.c: what casefile on a host sent back, checked before it is
 * called a bundle (see inplace.h). The host is not trusted: its archive
 * must be a tar.gz of regular files under NAME/, no member twice, within
 * the cap, with a manifest whose checksums its members match. It is read
 * through the one reader of untrusted archives (intake.h), narrowed to
 * what casefile writes.
 */
#include <jansson.h>
#include <string.h>
#include "casefile.h"
#include "collect.h"
#include "hash.h"
#include "inplace.h"
#include "intake.h"
#include "manifest.h"

#define MANIFEST_MAX (64 * 1024 * 1024)
#define SLACK (16 * 1024 * 1024)	/* collect.log and the manifest, past the items' cap */

struct reading {
	json_t *sums;		/* rel → sha256 hex */
	struct buf manifest;
};

/* One member: its checksum, and the manifest's text. */
static int read_member(struct intake *in, const struct intake_entry *e, const char *name,
		       struct reading *rd, struct buf *why)
{
	const char *rel = e->path;
	char hex[SHA256_HEX_LEN + 1], chunk[65536];
	struct sha256 h;
	ssize_t n;

	if (e->refused)
		return buf_addf(why, "a member refused: %s", e->refused), CF_ERR_PARSE;
	if (e->type == INTAKE_DIR && !*rel)
		return 0;	/* NAME/ itself */
	if (!*rel || e->type != INTAKE_FILE)
		return buf_addf(why, "%s is not a regular file under %s/", *rel ? rel : name, name),
		       CF_ERR_PARSE;
	if (json_object_get(rd->sums, rel))
		return buf_addf(why, "%s is there twice", rel), CF_ERR_PARSE;
	if (sha256_init(&h))
		return buf_addstr(why, "cannot start a SHA-256 digest"), CF_ERR_NOMEM;
	while ((n = intake_read(in, chunk, sizeof(chunk), why)) > 0) {
		sha256_update(&h, chunk, (size_t)n);
		if (!strcmp(rel, MANIFEST_PATH) && rd->manifest.len + (size_t)n <= MANIFEST_MAX)
			buf_add(&rd->manifest, chunk, (size_t)n);
	}
	sha256_final_hex(&h, hex);
	if (n < 0)
		return (int)n;	/* the intake's code (a cap, a broken archive), its message in why */
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

/* A source with a denied item, once: what the advice to use --sudo counts. */
static void denied(struct collect_result *res, const char *source)
{
	char **v;

	if (!source)
		return;
	for (v = res->denied; v && *v; v++)
		if (!strcmp(*v, source))
			return;
	strv_push(&res->denied, xstrdup(source));
}

/* The manifest against the members; the counts and denied sources for the summary. */
static int check_manifest(struct reading *rd, struct collect_result *res, struct buf *why)
{
	struct buf jwhy = BUF_INIT(0);
	json_t *m = intake_json_load(rd->manifest.data, rd->manifest.len, NULL, &jwhy), *items, *it;
	json_t *listed;
	const char *schema;
	size_t i;
	int r = 0;

	if (!m || !json_is_object(m)) {
		buf_addf(why, "%s: %s", MANIFEST_PATH, rd->manifest.len ? jwhy.data : "missing");
		buf_release(&jwhy);
		json_decref(m);
		return CF_ERR_PARSE;
	}
	buf_release(&jwhy);
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
		if (st == ITEM_DENIED)
			denied(res, json_string_value(json_object_get(it, MF_ITEM_SOURCE)));
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
	struct intake_policy pol = INTAKE_POLICY_DEFAULT;
	const struct intake_entry *e;
	struct intake *in = NULL;
	struct reading rd = { json_object(), BUF_INIT(0) };
	int r, h = 0;

	memset(&res->counts, 0, sizeof(res->counts));
	/* what casefile writes: a tar.gz, every member under NAME/ */
	pol.formats = INTAKE_TAR;
	pol.filters = INTAKE_GZIP;
	pol.top = name;
	pol.total_cap = cap + SLACK;
	r = intake_open(&in, path, &pol, why);
	while (!r && (h = intake_next(in, &e, why)) > 0)
		r = read_member(in, e, name, &rd, why);
	if (!r && h < 0)
		r = h;
	if (!r)
		r = check_manifest(&rd, res, why);
	intake_free(in);
	json_decref(rd.sums);
	buf_release(&rd.manifest);
	return r;
}
