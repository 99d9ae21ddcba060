/*
 * report.c: what every report format shares: the sections, the wording of
 * counts and times, and the one walk over the reports that calls a
 * format's hooks (see report.h).
 */
#include <stdlib.h>
#include <string.h>
#include "buf.h"
#include "casefile.h"
#include "fleet.h"
#include "report.h"

const char *const report_format_names[] = { "text", "md", "json", "html", NULL };

enum report_section report_section(const struct finding *f)
{
	return f->nexplained_by ? SECTION_SYMPTOM : SECTION_ROOT;
}

size_t report_count(const struct report *r, enum report_section s)
{
	size_t i, n = 0;

	for (i = 0; i < r->n; i++)
		n += report_section(&r->f[i]) == s;
	return n;
}

const char *report_times(uint64_t count, char *out, size_t n)
{
	if (count == 1)
		snprintf(out, n, "once");
	else
		snprintf(out, n, "%llu times", (unsigned long long)count);
	return out;
}

void report_coverage(const struct report *r, struct buf *b)
{
	size_t found = strv_len(r->sources_found), missing = strv_len(r->sources_missing);

	buf_addf(b, "read %u of %u files; %zu of %zu sources of the catalogue found",
		 r->bi->members_read, r->bi->members, found, found + missing);
	if (r->rules_not_run)
		buf_addf(b, "; %zu of %u rules could not run (none of their sources is there)",
			 strv_len(r->rules_not_run), r->rules);
}

const char *report_when(const struct finding *f, char *out, size_t n)
{
	char a[40], b[40], t[32];
	int k = snprintf(out, n, "%s", report_times(f->count, t, sizeof(t)));

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

static int event_cmp(const void *a, const void *b)
{
	const struct report_event *x = a, *y = b;

	if (x->ev->ts.sec != y->ev->ts.sec)
		return x->ev->ts.sec < y->ev->ts.sec ? -1 : 1;
	return strcmp(x->f->rule->id, y->f->rule->id);
}

struct report_event *report_timeline(const struct report *r, size_t max, size_t *n,
				     size_t *more)
{
	struct report_event *v = NULL;
	size_t i, k, nr = 0, alloc = 0;

	for (i = 0; i < r->n; i++)
		for (k = 0; k < r->f[i].nev; k++) {
			if (r->f[i].ev[k].ts.kind != TS_WALL)
				continue;
			ALLOC_GROW(v, nr + 1, alloc);
			v[nr].f = &r->f[i];
			v[nr].ev = &r->f[i].ev[k];
			nr++;
		}
	if (nr)
		qsort(v, nr, sizeof(*v), event_cmp);
	*more = nr > max ? nr - max : 0;
	*n = nr > max ? max : nr;
	return v;
}

const char *report_local_time(const struct report *r, int64_t utc, char *out, size_t n)
{
	if (!r->bi->timezone || ts_utc_to_local(utc, r->bi->timezone, out, n))
		out[0] = '\0';
	return out;
}

static void walk_one(FILE *out, const struct report_hooks *h, const struct report *r,
		     const struct report_opts *o)
{
	size_t i, num = 0;
	int s;

	h->header(out, r, o);
	if (!r->n)
		h->none(out, r, o);
	for (s = 0; s < SECTION_NR; s++) {
		if (!report_count(r, (enum report_section)s))
			continue;
		h->section(out, (enum report_section)s, o);
		for (i = 0; i < r->n; i++)
			if (report_section(&r->f[i]) == (enum report_section)s)
				h->finding(out, r, &r->f[i], (enum report_section)s, ++num, o);
	}
	if (h->timeline) {
		size_t ne, more;
		struct report_event *ev = report_timeline(r, REPORT_TIMELINE_MAX, &ne, &more);

		if (ne)
			h->timeline(out, r, ev, ne, more, o);
		free(ev);
	}
	if (h->footer)
		h->footer(out, r, o);
}

static const struct report_hooks *hooks_of(enum report_format fmt)
{
	static const struct report_hooks *const hooks[REPORT_FORMAT_NR] = {
		[REPORT_TEXT] = &report_text_hooks,
		[REPORT_MD] = &report_md_hooks,
		[REPORT_HTML] = &report_html_hooks,
	};

	return hooks[fmt];
}

void report_write_one(FILE *out, enum report_format fmt, const struct report *r,
		      const struct report_opts *o)
{
	if (fmt == REPORT_JSON) {
		json_t *j = report_json(r);

		json_dumpf(j, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		json_decref(j);
		return;
	}
	walk_one(out, hooks_of(fmt), r, o);
}

int report_write_fleet(FILE *out, enum report_format fmt, const struct fleet *fl,
		       const struct report_opts *o)
{
	const struct report_hooks *h = hooks_of(fmt);
	size_t i;

	if (fmt == REPORT_JSON) {
		json_t *j = report_json_fleet(fl);
		int e = json_dumpf(j, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

		fputc('\n', out);
		json_decref(j);
		return e || fflush(out) || ferror(out) ? CF_ERR_IO : 0;
	}
	if (h->begin)
		h->begin(out, NULL, o);
	h->fleet(out, fl, o);
	for (i = 0; i < fl->n; i++) {
		if (!fl->hosts[i].body_len)
			continue;
		if (h->separator)
			fputs(h->separator, out);
		fwrite(fl->hosts[i].body, 1, fl->hosts[i].body_len, out);
	}
	if (h->end)
		h->end(out, o);
	return fflush(out) || ferror(out) ? CF_ERR_IO : 0;
}

int report_write(FILE *out, enum report_format fmt, const struct report *r, size_t n,
		 const struct report_opts *o)
{
	const struct report_hooks *h = hooks_of(fmt);
	struct fleet fl;
	size_t i;
	int e;

	if (n > 1) {
		memset(&fl, 0, sizeof(fl));
		for (i = 0; i < n; i++)
			fleet_add(&fl, &r[i], fmt, o);
		fleet_summarize(&fl);
		e = report_write_fleet(out, fmt, &fl, o);
		fleet_release(&fl);
		return e;
	}
	if (fmt == REPORT_JSON) {
		report_write_one(out, fmt, r, o);
		fputc('\n', out);
	} else {
		if (h->begin)
			h->begin(out, r->bi->hostname, o);
		walk_one(out, h, r, o);
		if (h->end)
			h->end(out, o);
	}
	return fflush(out) || ferror(out) ? CF_ERR_IO : 0;
}
