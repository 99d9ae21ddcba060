/*
 * report.h: the model of one input's root-cause report, and the wording
 * every format shares.
 *
 * A report opens with the bundle (host, ticket, the customer's words,
 * collection time, what was missing or truncated), then the root causes
 * (findings no other finding explains, most likely first: the order of
 * engine_finish()), then the symptoms they explain, each with the causes
 * that explain it. Every finding shows its evidence as path:line and the
 * line.
 *
 * The formats are writers of this model (report_format.h: text, md, json,
 * html, one table entry each); several reports make a fleet (fleet.h).
 */
#ifndef REPORT_H
#define REPORT_H

#include <stdio.h>
#include "bundle.h"
#include "engine.h"

#define REPORT_SCHEMA "casefile-report/1"
#define FLEET_SCHEMA "casefile-fleet/1"

struct host_summary;

struct report {
	const struct bundle_info *bi;
	const struct host_summary *host;	/* summary.h; NULL: none */
	const struct finding *f;
	size_t n;
	const char *read_error;	/* why reading stopped early, or NULL */
	unsigned rules;		/* rules run */
	unsigned rule_errors;	/* rules that did not load */
	char **sources_found, **sources_missing;	/* of the catalogue (strv) */
	char **rules_not_run;	/* none of their sources was in the bundle */
	double seconds;
};

enum report_section { SECTION_ROOT, SECTION_SYMPTOM, SECTION_NR };

/* A root cause is a finding no other finding explains; the rest are symptoms. */
enum report_section report_section(const struct finding *f);
size_t report_count(const struct report *r, enum report_section s);

/* The input's own name: the last part of its path ("sosreport-db1-....tar.xz"). */
const char *report_input_name(const struct report *r);

/* "read 12 of 40 files; 9 of 71 sources; 30 rules could not run" into b. */
void report_coverage(const struct report *r, struct buf *b);

/* "once, at T", "3 times, T1 .. T2" or "2 times" into out. */
const char *report_when(const struct finding *f, char *out, size_t n);

/* One event of the timeline: a piece of evidence with a wall time. */
struct report_event {
	const struct finding *f;
	const struct evidence *ev;
};

#define REPORT_TIMELINE_MAX 60

/*
 * The findings' evidence with a wall time, oldest first, across sources, at
 * most max of them (the rest are counted in *more). Caller frees the array.
 */
struct report_event *report_timeline(const struct report *r, size_t max, size_t *n,
				     size_t *more);
/* "2026-11-20 03:12:09 CET" in the host's zone, or "" when it has none. */
const char *report_local_time(const struct report *r, int64_t utc, char *out, size_t n);

struct report_opts {
	int color;		/* ANSI colour in the text format */
	const char *anchor;	/* HTML ids' prefix: one per host of a fleet */
};

#endif
