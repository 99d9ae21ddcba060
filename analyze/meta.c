/*
 * meta.c: what a bundle says about itself (see walk.h): casefile's
 * manifest (host, ticket, the customer's words, the collection's gaps),
 * sos's manifest (when it was made), the host name file. Documents are
 * capped in bytes and in objects before jansson loads them.
 */
#include <jansson.h>
#include <string.h>
#include "buf.h"
#include "bundle.h"
#include "casefile.h"
#include "manifest.h"
#include "timestamp.h"
#include "walk.h"

/* A metadata document's objects and arrays: jansson holds it whole. */
#define META_MAX_NODES 200000

static void parse_casefile_manifest(struct walk *w)
{
	json_error_t e;
	json_t *m = json_loadb(w->meta_buf.data, w->meta_buf.len, 0, &e), *items, *it;
	const char *s;
	size_t i;

	if (!m) {
		bundle_note(w->bi, "%s: manifest is not valid JSON (line %d: %s)", w->m.path,
		     e.line, e.text);
		return;
	}
	w->bi->layout = LAYOUT_CASEFILE;
	if ((s = json_string_value(json_object_get(m, MF_HOST))) && !w->bi->hostname)
		w->bi->hostname = xstrdup(s);
	if ((s = json_string_value(json_object_get(m, MF_TICKET))) && !w->bi->ticket)
		w->bi->ticket = xstrdup(s);
	if ((s = json_string_value(json_object_get(m, MF_PROBLEM))) && !w->bi->problem)
		w->bi->problem = xstrdup(s);
	if ((s = json_string_value(json_object_get(m, MF_FINISHED_AT))))
		w->bi->collected_at = ts_parse(s, strlen(s), 0).sec;
	if (json_is_false(json_object_get(m, MF_COMPLETE)))
		w->bi->complete = 0;
	items = json_object_get(m, MF_ITEMS);
	if (w->bi->gaps)
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
			bundle_gap(w->bi, "%s: truncated to its end (%s)", src, path ? path : "?");
		else
			bundle_gap(w->bi, "%s: %s%s%s", src, st, er ? ": " : "", er ? er : "");
	}
	json_decref(m);
}

static void parse_sos_manifest(struct walk *w)
{
	json_t *m = json_loadb(w->meta_buf.data, w->meta_buf.len, 0, NULL), *plugins, *p;
	const char *s, *name;

	if (!m)
		return;
	w->bi->layout = LAYOUT_SOSREPORT;
	if ((s = json_string_value(json_object_get(m, "end_time"))) ||
	    (s = json_string_value(json_object_get(m, "start_time"))))
		w->bi->collected_at = ts_parse(s, strlen(s), 0).sec;
	/* sos marks each plugin that ran out of time: its output is partial */
	plugins = json_object_get(json_object_get(json_object_get(m, "components"), "report"),
				  "plugins");
	if (w->sos_manifest_read++)
		plugins = NULL;	/* a directory's manifest is read first, then met again */
	json_object_foreach(plugins, name, p)
		if (json_is_true(json_object_get(p, "timeout_hit")))
			bundle_gap(w->bi, "sos plugin %s: timed out; what it collected is "
				   "incomplete", name);
	json_decref(m);
}

/* Few enough objects and arrays to load it (a flood of "{}," takes gigabytes)? */
static int meta_loadable(struct walk *w)
{
	size_t i, nodes = 0;

	for (i = 0; i < w->meta_buf.len; i++)
		nodes += w->meta_buf.data[i] == '{' || w->meta_buf.data[i] == '[';
	if (nodes <= META_MAX_NODES)
		return 1;
	bundle_note(w->bi, "%s: more than %d objects and arrays, not read as metadata",
		    w->m.path, META_MAX_NODES);
	return 0;
}

static void finish_meta(struct walk *w)
{
	if (w->meta != META_SOS_HOSTNAME && !meta_loadable(w)) {
		buf_reset(&w->meta_buf);
		return;
	}
	switch (w->meta) {
	case META_CASEFILE_MANIFEST:
		parse_casefile_manifest(w);
		break;
	case META_SOS_MANIFEST:
		parse_sos_manifest(w);
		break;
	case META_SOS_HOSTNAME:
		if (!w->bi->hostname && w->meta_buf.len) {
			size_t n = strcspn(w->meta_buf.data, "\r\n");

			w->bi->hostname = xstrndup(w->meta_buf.data, n);
		}
		break;
	default:
		break;
	}
	buf_reset(&w->meta_buf);
}

void meta_end(struct walk *w)
{
	if (w->meta != META_NONE)
		finish_meta(w);
	buf_reset(&w->meta_buf);
}

enum meta meta_of(const char *path)
{
	if (!strcmp(path, MANIFEST_PATH))
		return META_CASEFILE_MANIFEST;
	if (!strcmp(path, "sos_reports/manifest.json"))
		return META_SOS_MANIFEST;
	if (!strcmp(path, "hostname") || !strcmp(path, "sos_commands/host/hostname"))
		return META_SOS_HOSTNAME;
	return META_NONE;
}
