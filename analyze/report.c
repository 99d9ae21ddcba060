/*
 * report.c: what every report form shares: sections, and the JSON contract.
 */
#include <string.h>
#include "casefile.h"
#include "report.h"

enum report_section report_section(const struct finding *f)
{
	if (f->nexplained_by)
		return SECTION_SYMPTOM;
	return f->rule->severity >= SEV_MEDIUM ? SECTION_ROOT : SECTION_OTHER;
}

const char *report_when(const struct finding *f, char *out, size_t n)
{
	char a[40], b[40];
	int k = snprintf(out, n, "%llu match%s", (unsigned long long)f->count,
			 f->count == 1 ? "" : "es");

	if (k < 0 || (size_t)k >= n || f->first.kind == TS_NONE)
		return out;
	ts_format(f->first, a, sizeof(a));
	ts_format(f->last, b, sizeof(b));
	if (f->first.kind == f->last.kind && f->first.sec == f->last.sec)
		snprintf(out + k, n - (size_t)k, ", at %s", a);
	else
		snprintf(out + k, n - (size_t)k, ", %s .. %s", a, b);
	return out;
}

size_t report_count(const struct report *r, enum report_section s)
{
	size_t i, n = 0;

	for (i = 0; i < r->n; i++)
		n += report_section(&r->f[i]) == s;
	return n;
}

static json_t *ts_json(struct ts t)
{
	char buf[40];

	if (t.kind == TS_NONE)
		return json_null();
	return json_string(ts_format(t, buf, sizeof(buf)));
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *strv_json(char *const *v)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; v && v[i]; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

json_t *report_json(const struct report *r)
{
	json_t *o = json_object(), *b = json_object(), *roots = json_array();
	json_t *fs = json_array();
	char ts[40];
	size_t i, k;

	json_object_set_new(o, "schema", json_string(REPORT_SCHEMA));
	json_object_set_new(o, "tool", json_string("casefile " CASEFILE_VERSION));
	json_object_set_new(b, "path", json_string(r->bi->path));
	json_object_set_new(b, "layout", json_string(layout_name(r->bi->layout)));
	json_object_set_new(b, "hostname", str_or_null(r->bi->hostname));
	json_object_set_new(b, "ticket", str_or_null(r->bi->ticket));
	json_object_set_new(b, "problem", str_or_null(r->bi->problem));
	json_object_set_new(b, "collected_at", r->bi->collected_at ?
			    json_string(fmt_utc(ts, sizeof(ts), r->bi->collected_at)) : json_null());
	json_object_set_new(b, "complete", json_boolean(r->bi->complete && !r->read_error));
	json_object_set_new(b, "read_error", str_or_null(r->read_error));
	json_object_set_new(b, "gaps", strv_json(r->bi->gaps));
	json_object_set_new(b, "notes", strv_json(r->bi->notes));
	json_object_set_new(b, "members", json_integer(r->bi->members));
	json_object_set_new(b, "members_read", json_integer(r->bi->members_read));
	json_object_set_new(b, "bytes_read", json_integer((json_int_t)r->bi->bytes_read));
	json_object_set_new(o, "bundle", b);

	for (i = 0; i < r->n; i++) {
		const struct finding *f = &r->f[i];
		json_t *j = json_object(), *ex = json_array(), *eb = json_array();
		json_t *ev = json_array();

		if (f->root)
			json_array_append_new(roots, json_string(f->rule->id));
		json_object_set_new(j, "rule", json_string(f->rule->id));
		json_object_set_new(j, "title", json_string(f->rule->title));
		json_object_set_new(j, "category", json_string(f->rule->category));
		json_object_set_new(j, "severity", json_string(severity_name(f->rule->severity)));
		json_object_set_new(j, "count", json_integer((json_int_t)f->count));
		json_object_set_new(j, "first_seen", ts_json(f->first));
		json_object_set_new(j, "last_seen", ts_json(f->last));
		for (k = 0; k < f->nexplains; k++)
			json_array_append_new(ex, json_string(r->f[f->explains[k]].rule->id));
		for (k = 0; k < f->nexplained_by; k++)
			json_array_append_new(eb, json_string(r->f[f->explained_by[k]].rule->id));
		json_object_set_new(j, "explains", ex);
		json_object_set_new(j, "explained_by", eb);
		json_object_set_new(j, "explanation", json_string(f->explanation));
		json_object_set_new(j, "remediation", json_string(f->remediation));
		json_object_set_new(j, "references", strv_json(f->rule->references));
		json_object_set(j, "captures", f->captures);
		for (k = 0; k < f->nev; k++) {
			json_t *e = json_object();

			json_object_set_new(e, "path", json_string(f->ev[k].path));
			json_object_set_new(e, "line", json_integer((json_int_t)f->ev[k].line));
			json_object_set_new(e, "text", json_string(f->ev[k].text));
			json_object_set_new(e, "time", ts_json(f->ev[k].ts));
			json_array_append_new(ev, e);
		}
		json_object_set_new(j, "evidence", ev);
		json_array_append_new(fs, j);
	}
	json_object_set_new(o, "root_causes", roots);
	json_object_set_new(o, "findings", fs);
	json_object_set_new(o, "rules_run", json_integer(r->rules));
	return o;
}
