/*
 * analyze.c: read one input, run the rules, fill the report (see analyze.h).
 */
#include <string.h>
#include "analyze.h"
#include "casefile.h"
#include "timestamp.h"

void analyze_opts_init(struct analyze_opts *o, const struct catalog *cat)
{
	memset(o, 0, sizeof(*o));
	o->cat = cat;
	o->lim.member_cap = BUNDLE_DEFAULT_MEMBER_CAP;
	o->lim.total_cap = BUNDLE_DEFAULT_TOTAL_CAP;
	o->lim.line_cap = BUNDLE_DEFAULT_LINE_CAP;
}

/* The host's zone for the report; say so when this machine cannot convert it. */
static void note_zone(struct analysis *a, const char *zone)
{
	int64_t utc;

	if (!zone)
		return;
	a->bi.timezone = xstrdup(zone);
	if (ts_local_to_utc(0, zone, &utc))
		bundle_note(&a->bi, "time zone '%s' is unknown on this machine (tzdata): local "
			    "times are shown as if UTC", zone);
}

int analyze_path(const char *path, const struct analyze_opts *o, struct analysis *a,
		 struct buf *err)
{
	struct bundle_visitor v;
	int64_t t0 = now_ms();
	size_t mark = err->len;
	int r;

	memset(a, 0, sizeof(*a));
	bundle_info_init(&a->bi, path);
	a->engine = engine_new(o->rules, o->nrules, o->cat);
	if (o->causality)
		engine_set_causality(a->engine, o->causality);
	if (o->threads > 1)
		engine_set_threads(a->engine, o->threads);
	engine_visitor(a->engine, &v);
	r = bundle_walk(path, o->cat, &o->lim, &v, &a->bi, err);
	if (!r && !a->bi.members_read) {
		/* nothing recognised is no all-clear: say what was there */
		if (!a->bi.members)
			buf_addf(err, "%s: no files in it (empty, or not an archive casefile "
				 "reads)\n", path);
		else
			buf_addf(err, "%s: none of its %u files is a source casefile knows (read "
				 "as a %s); nothing to analyze\n", path, a->bi.members,
				 layout_name(a->bi.layout));
		return CF_ERR_NOTFOUND;
	}
	if (r) {
		if (!a->bi.members_read && !a->bi.bytes_read)
			return r;	/* nothing read: no report to give */
		a->error = xstrndup(err->data + mark, strcspn(err->data + mark, "\n"));
	}
	a->has_report = 1;
	a->report.bi = &a->bi;
	a->report.f = engine_finish(a->engine, &a->report.n);
	note_zone(a, engine_fact(a->engine, "timezone"));
	summary_fill(&a->host, engine_tables(a->engine), &a->bi);
	a->report.host = &a->host;
	engine_coverage(a->engine, &a->found, &a->missing, &a->not_run);
	a->report.sources_found = a->found;
	a->report.sources_missing = a->missing;
	a->report.rules_not_run = a->not_run;
	a->report.read_error = a->error;
	a->report.rules = (unsigned)o->nrules;
	a->report.rule_errors = o->rule_errors;
	a->report.seconds = (double)(now_ms() - t0) / 1000;
	return r;
}

void analysis_release(struct analysis *a)
{
	engine_free(a->engine);
	summary_release(&a->host);
	bundle_info_release(&a->bi);
	free(a->error);
	strv_free(a->found);
	strv_free(a->missing);
	strv_free(a->not_run);
	memset(a, 0, sizeof(*a));
}
