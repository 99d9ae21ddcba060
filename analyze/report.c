/*
 * report.c: what every report format shares: the sections, the wording of
 * coverage and times, the timeline (see report.h).
 */
#include <stdlib.h>
#include <string.h>
#include "buf.h"
#include "casefile.h"
#include "report.h"
#include "template.h"

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

const char *report_input_name(const struct report *r)
{
	const char *p = r->bi->path, *end = p + strlen(p), *slash;

	while (end > p + 1 && end[-1] == '/')
		end--;
	for (slash = end; slash > p && slash[-1] != '/'; slash--)
		;
	return slash;
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
	int k = snprintf(out, n, "%s", template_times(f->count, t, sizeof(t)));

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
