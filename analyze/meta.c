/*
 * meta.c: what a bundle says about itself (see meta.h): casefile's
 * manifest (host, ticket, the customer's words, the collection's gaps),
 * sos's manifest (when it was made), the host name file. Documents are
 * capped in bytes and in elements of every kind before jansson loads them
 * (intake_json_load()); invalid UTF-8 in them is replaced, the rest kept.
 */
#include <jansson.h>
#include <string.h>
#include "buf.h"
#include "bundle_info.h"
#include "casefile.h"
#include "intake.h"
#include "manifest.h"
#include "timestamp.h"
#include "meta.h"

/* The host's name: the first line of what names it; etc/hostname gives way to the rest. */
static void set_host(struct meta_reader *md, const char *s, size_t n, int weak)
{
	if (md->bi->hostname && (weak || !md->host_weak))
		return;
	n = strcspn(s, "\r\n") < n ? strcspn(s, "\r\n") : n;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (!n)
		return;
	free(md->bi->hostname);
	md->bi->hostname = xstrndup(s, n);
	md->host_weak = weak;
}

/* The document within the caps of intake.h, or NULL with a note saying why. */
static json_t *load(struct meta_reader *md)
{
	struct buf why = BUF_INIT(0);
	json_t *m = intake_json_load(md->buf.data, md->buf.len, NULL, &why);

	if (!m)
		bundle_note(md->bi, "%s: %s; not read as metadata", md->path, why.data);
	buf_release(&why);
	return m;
}

static void parse_casefile_manifest(struct meta_reader *md)
{
	json_t *m = load(md), *items, *it;
	const char *s;
	size_t i;

	if (!m)
		return;
	md->bi->layout = LAYOUT_CASEFILE;
	if ((s = json_string_value(json_object_get(m, MF_HOST))))
		set_host(md, s, strlen(s), 0);
	if ((s = json_string_value(json_object_get(m, MF_TICKET))) && !md->bi->ticket)
		md->bi->ticket = xstrdup(s);
	if ((s = json_string_value(json_object_get(m, MF_PROBLEM))) && !md->bi->problem)
		md->bi->problem = xstrdup(s);
	if ((s = json_string_value(json_object_get(m, MF_FINISHED_AT))))
		md->bi->collected_at = ts_parse(s, strlen(s), 0).sec;
	if (json_is_false(json_object_get(m, MF_COMPLETE)))
		md->bi->complete = 0;
	items = json_object_get(m, MF_ITEMS);
	if (md->bi->gaps)
		items = NULL;	/* read once already (a directory's manifest first) */
	json_array_foreach(items, i, it) {
		const char *st = json_string_value(json_object_get(it, MF_ITEM_STATUS));
		const char *src = json_string_value(json_object_get(it, MF_ITEM_SOURCE));
		const char *er = json_string_value(json_object_get(it, MF_ITEM_ERROR));
		const char *path = json_string_value(json_object_get(it, MF_ITEM_PATH));
		int trunc = json_is_true(json_object_get(it, MF_ITEM_TRUNCATED));
		int status = st ? item_status_parse(st) : -1;

		if (!st || !src || (status == ITEM_OK && !trunc))
			continue;
		if (status >= 0 && status != ITEM_OK && !item_status_is_gap(status))
			continue;
		if (status == ITEM_OK)
			bundle_gap(md->bi, "%s: truncated to its end (%s)", src, path ? path : "?");
		else
			bundle_gap(md->bi, "%s: %s%s%s", src, st, er ? ": " : "", er ? er : "");
	}
	json_decref(m);
}

static void parse_sos_manifest(struct meta_reader *md)
{
	json_t *m = load(md), *plugins, *p;
	const char *s, *name;

	if (!m)
		return;
	md->bi->layout = LAYOUT_SOSREPORT;
	if ((s = json_string_value(json_object_get(m, "end_time"))) ||
	    (s = json_string_value(json_object_get(m, "start_time"))))
		md->bi->collected_at = ts_parse(s, strlen(s), 0).sec;
	/* sos marks each plugin that ran out of time: its output is partial */
	plugins = json_object_get(json_object_get(json_object_get(m, "components"), "report"),
				  "plugins");
	if (md->sos_manifest_read++)
		plugins = NULL;	/* a directory's manifest is read first, then met again */
	json_object_foreach(plugins, name, p)
		if (json_is_true(json_object_get(p, "timeout_hit")))
			bundle_gap(md->bi, "sos plugin %s: timed out; what it collected is "
				   "incomplete", name);
	json_decref(m);
}

static void finish_meta(struct meta_reader *md)
{
	switch (md->kind) {
	case META_CASEFILE_MANIFEST:
		parse_casefile_manifest(md);
		break;
	case META_SOS_MANIFEST:
		parse_sos_manifest(md);
		break;
	case META_SOS_HOSTNAME:
	case META_ETC_HOSTNAME:
		if (md->buf.len)
			set_host(md, md->buf.data, md->buf.len, md->kind == META_ETC_HOSTNAME);
		break;
	default:
		break;
	}
	buf_reset(&md->buf);
}

void meta_reader_init(struct meta_reader *md, struct bundle_info *bi)
{
	memset(md, 0, sizeof(*md));
	md->bi = bi;
	buf_init(&md->buf, META_CAP);
}

void meta_reader_release(struct meta_reader *md)
{
	buf_release(&md->buf);
}

int meta_begin(struct meta_reader *md, const char *path)
{
	md->kind = meta_of(path);
	md->path = path;
	buf_reset(&md->buf);
	return md->kind != META_NONE;
}

void meta_push(struct meta_reader *md, const char *data, size_t n)
{
	if (md->kind == META_NONE || !buf_add(&md->buf, data, n))
		return;
	bundle_note(md->bi, "%s: larger than %zu bytes, not read as metadata", md->path,
		    md->buf.cap);
	md->kind = META_NONE;	/* too large to be ours */
	buf_reset(&md->buf);
}

void meta_end(struct meta_reader *md)
{
	if (md->kind != META_NONE)
		finish_meta(md);
	md->kind = META_NONE;
	buf_reset(&md->buf);
}

enum meta_kind meta_of(const char *path)
{
	if (!strcmp(path, MANIFEST_PATH))
		return META_CASEFILE_MANIFEST;
	if (!strcmp(path, "sos_reports/manifest.json"))
		return META_SOS_MANIFEST;
	if (!strcmp(path, "hostname") || !strcmp(path, "sos_commands/host/hostname"))
		return META_SOS_HOSTNAME;
	if (!strcmp(path, "etc/hostname"))
		return META_ETC_HOSTNAME;
	return META_NONE;
}
