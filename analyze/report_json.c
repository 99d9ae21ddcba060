/*
 * report_json.c: the casefile-report/1 object, and casefile-fleet/1 for
 * several inputs (DESIGN.md: hosts, shared; also every root cause with its
 * count, and the inputs that could not be analyzed). Strings from a bundle are valid UTF-8 by
 * then (engine.c keeps evidence through text_utf8); bundle facts are
 * cleaned here.
 */
#include <string.h>
#include "casefile.h"
#include "report_format.h"
#include "summary.h"
#include "text.h"

static json_t *ts_json(struct ts t)
{
	char buf[40];

	if (t.kind == TS_NONE)
		return json_null();
	return json_string(ts_format(t, buf, sizeof(buf)));
}

/* Bytes from a bundle as a JSON string: invalid UTF-8 is replaced, never dropped. */
static json_t *jstr(const char *s)
{
	char *clean = text_utf8(s, strlen(s));
	json_t *j = json_string(clean);

	free(clean);
	return j;
}

static json_t *str_or_null(const char *s)
{
	return s ? jstr(s) : json_null();
}

static json_t *strv_json(char *const *v)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; v && v[i]; i++)
		json_array_append_new(a, jstr(v[i]));
	return a;
}

/* Every event with a wall time, oldest first: UTC, and the host's local time. */
static json_t *timeline_json(const struct report *r)
{
	size_t n, more, i;
	struct report_event *ev = report_timeline(r, SIZE_MAX, &n, &more);
	json_t *a = json_array();
	char local[64];

	for (i = 0; i < n; i++) {
		json_t *e = json_object();

		json_object_set_new(e, "time", ts_json(ev[i].ev->ts));
		report_local_time(r, ev[i].ev->ts.sec, local, sizeof(local));
		json_object_set_new(e, "local_time", *local ? json_string(local) : json_null());
		json_object_set_new(e, "rule", json_string(ev[i].f->rule->id));
		json_object_set(e, "entities", ev[i].f->entities);
		json_object_set_new(e, "path", jstr(ev[i].ev->path));
		json_object_set_new(e, "line", json_integer((json_int_t)ev[i].ev->line));
		json_array_append_new(a, e);
	}
	free(ev);
	return a;
}

/* Why each cause explains this finding: {"rule", "why"} (why null: the rule lists it). */
static json_t *because_json(const struct report *r, const struct finding *f)
{
	json_t *a = json_array();
	size_t k;

	for (k = 0; k < f->nexplained_by; k++) {
		const char *why = f->explained_by_why ? f->explained_by_why[k] : NULL;

		json_array_append_new(a, json_pack("{s:s, s:o}", "rule",
						   r->f[f->explained_by[k]].rule->id,
						   "why", why ? jstr(why) : json_null()));
	}
	return a;
}

static json_t *report_json(const struct report *r)
{
	json_t *o = json_object(), *b = json_object(), *roots = json_array();
	json_t *fs = json_array();
	char ts[40];
	size_t i, k;

	json_object_set_new(o, "schema", json_string(REPORT_SCHEMA));
	json_object_set_new(o, "tool", json_string("casefile " CASEFILE_VERSION));
	json_object_set_new(b, "path", jstr(r->bi->path));
	json_object_set_new(b, "layout", json_string(layout_name(r->bi->layout)));
	json_object_set_new(b, "hostname", str_or_null(r->bi->hostname));
	json_object_set_new(b, "ticket", str_or_null(r->bi->ticket));
	json_object_set_new(b, "problem", str_or_null(r->bi->problem));
	json_object_set_new(b, "timezone", str_or_null(r->bi->timezone));
	json_object_set_new(b, "collected_at", r->bi->collected_at ?
			    json_string(fmt_utc(ts, sizeof(ts), r->bi->collected_at)) : json_null());
	json_object_set_new(b, "complete", json_boolean(r->bi->complete && !r->read_error));
	json_object_set_new(b, "read_error", str_or_null(r->read_error));
	json_object_set_new(b, "gaps", strv_json(r->bi->gaps));
	json_object_set_new(b, "notes", strv_json(r->bi->notes));
	json_object_set_new(b, "members", json_integer(r->bi->members));
	json_object_set_new(b, "members_read", json_integer(r->bi->members_read));
	json_object_set_new(b, "bytes_read", json_integer((json_int_t)r->bi->bytes_read));
	json_object_set_new(b, "sources_found", strv_json(r->sources_found));
	json_object_set_new(b, "sources_missing", strv_json(r->sources_missing));
	json_object_set_new(b, "rules_not_run", strv_json(r->rules_not_run));
	json_object_set_new(o, "bundle", b);
	json_object_set_new(o, "host", r->host ? summary_json(r->host) : json_object());

	for (i = 0; i < r->n; i++) {
		const struct finding *f = &r->f[i];
		json_t *j = json_object(), *ex = json_array(), *eb = json_array();
		json_t *ev = json_array();

		if (f->root)
			json_array_append_new(roots, json_string(f->rule->id));
		json_object_set_new(j, "rule", json_string(f->rule->id));
		json_object_set_new(j, "title", json_string(f->rule->title));
		json_object_set_new(j, "category", json_string(f->rule->category));
		json_object_set_new(j, "severity", json_string(severity_name(f->severity)));
		json_object_set_new(j, "count", json_integer((json_int_t)f->count));
		json_object_set_new(j, "first_seen", ts_json(f->first));
		json_object_set_new(j, "last_seen", ts_json(f->last));
		for (k = 0; k < f->nexplains; k++)
			json_array_append_new(ex, json_string(r->f[f->explains[k]].rule->id));
		for (k = 0; k < f->nexplained_by; k++)
			json_array_append_new(eb, json_string(r->f[f->explained_by[k]].rule->id));
		json_object_set_new(j, "explains", ex);
		json_object_set_new(j, "explained_by", eb);
		json_object_set_new(j, "because", because_json(r, f));
		json_object_set_new(j, "explanation", jstr(f->explanation));
		json_object_set_new(j, "remediation", jstr(f->remediation));
		json_object_set_new(j, "references", strv_json(f->rule->references));
		json_object_set(j, "captures", f->captures);
		json_object_set(j, "entities", f->entities);
		for (k = 0; k < f->nev; k++) {
			json_t *e = json_object();

			json_object_set_new(e, "path", jstr(f->ev[k].path));
			json_object_set_new(e, "line", json_integer((json_int_t)f->ev[k].line));
			json_object_set_new(e, "text", jstr(f->ev[k].text));
			json_object_set_new(e, "time", ts_json(f->ev[k].ts));
			json_array_append_new(ev, e);
		}
		json_object_set_new(j, "evidence", ev);
		json_array_append_new(fs, j);
	}
	json_object_set_new(o, "root_causes", roots);
	json_object_set_new(o, "timeline", timeline_json(r));
	json_object_set_new(o, "findings", fs);
	json_object_set_new(o, "rules_run", json_integer(r->rules));
	return o;
}

static json_t *fleet_json(const struct fleet *fl)
{
	json_t *o = json_object(), *hosts = json_array(), *shared = json_array();
	json_t *causes = json_array(), *failed = json_array();
	size_t i, k;

	json_object_set_new(o, "schema", json_string(FLEET_SCHEMA));
	json_object_set_new(o, "tool", json_string("casefile " CASEFILE_VERSION));
	for (i = 0; i < fl->n; i++) {
		const struct fleet_host *h = &fl->hosts[i];

		json_t *report = h->body_len ? json_loadb(h->body, h->body_len, 0, NULL) : NULL;

		if (report)
			json_array_append_new(hosts, report);
		else
			json_array_append_new(failed, json_pack("{s:s, s:s}", "path", h->path,
								"error", h->error ? h->error :
								"its report is no JSON"));
	}
	for (i = 0; i < fl->nrows; i++) {
		const struct fleet_row *row = &fl->rows[i];
		json_t *names = json_array(), *c;

		for (k = 0; k < row->nhosts; k++)
			json_array_append_new(names, json_string(fl->hosts[row->hosts[k]].label));
		c = json_pack("{s:s, s:s, s:s, s:I, s:o}", "rule", row->cause->id,
			      "title", row->cause->title,
			      "severity", severity_name((enum severity)row->cause->severity),
			      "count", (json_int_t)row->nhosts, "hosts", names);
		if (row->nhosts > 1)
			json_array_append(shared, c);
		json_array_append_new(causes, c);
	}
	json_object_set_new(o, "hosts", hosts);
	json_object_set_new(o, "shared", shared);
	json_object_set_new(o, "root_causes", causes);
	json_object_set_new(o, "failed", failed);
	return o;
}

static int dump(FILE *out, json_t *j, size_t flags)
{
	int e = json_dumpf(j, out, flags | JSON_PRESERVE_ORDER);

	json_decref(j);
	return e ? CF_ERR_IO : 0;
}

static int json_report(FILE *out, const struct report *r, const struct report_opts *o)
{
	int e = dump(out, report_json(r), JSON_INDENT(2));

	(void)o;
	fputc('\n', out);
	return e ? e : report_format_status(out);
}

/* A host of a fleet: one compact line, parsed again into the fleet's document. */
static void json_body(FILE *out, const struct report *r, const struct report_opts *o)
{
	(void)o;
	dump(out, report_json(r), JSON_COMPACT);
}

static int json_fleet(FILE *out, const struct fleet *fl, const struct report_opts *o)
{
	int e = dump(out, fleet_json(fl), JSON_INDENT(2));

	(void)o;
	fputc('\n', out);
	return e ? e : report_format_status(out);
}

const struct report_writer report_json_writer = { "json", json_report, json_body, json_fleet };
