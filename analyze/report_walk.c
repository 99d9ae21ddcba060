/*
 * report_walk.c: the walk over a report and over a fleet that calls a
 * format's hooks (see report_walk.h).
 */
#include <stdlib.h>
#include "casefile.h"
#include "report_format.h"
#include "report_walk.h"

void report_walk_body(FILE *out, const struct report_hooks *h, const struct report *r,
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

int report_walk_report(FILE *out, const struct report_hooks *h, const struct report *r,
		       const struct report_opts *o)
{
	if (h->begin)
		h->begin(out, r->bi->hostname, o);
	report_walk_body(out, h, r, o);
	if (h->end)
		h->end(out, o);
	return report_format_status(out);
}

int report_walk_fleet(FILE *out, const struct report_hooks *h, const struct fleet *fl,
		      const struct report_opts *o)
{
	size_t i;

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
	return report_format_status(out);
}
