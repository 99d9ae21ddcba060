/*
 * report.h: the root-cause report of one or more inputs, in four formats.
 *
 * Every format opens with the bundle (host, ticket, the customer's words,
 * collection time, what was missing or truncated), then the root causes
 * (findings no other finding explains, most likely first: the order of
 * engine_finish()), then the symptoms they explain, each with the causes
 * that explain it. Every finding shows its evidence as path:line and the
 * line. JSON is the casefile-report/1 contract of DESIGN.md; several
 * inputs give one casefile-fleet/1 object.
 *
 * report.c walks the reports and their sections once and calls the
 * format's hooks (report_text.c, report_md.c, report_html.c); JSON builds
 * one document (report_json.c).
 */
#ifndef REPORT_H
#define REPORT_H

#include <jansson.h>
#include <stdio.h>
#include "bundle.h"
#include "engine.h"

#define REPORT_SCHEMA "casefile-report/1"
#define FLEET_SCHEMA "casefile-fleet/1"

struct report {
	const struct bundle_info *bi;
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

/* "read 12 of 40 files; 9 of 71 sources; 30 rules could not run" into b. */
void report_coverage(const struct report *r, struct buf *b);

/* "once, at T", "3 times, T1 .. T2" or "2 times" into out. */
const char *report_when(const struct finding *f, char *out, size_t n);
/* "once" or "3 times" into out (reports and the {times} of templates). */
const char *report_times(uint64_t count, char *out, size_t n);

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

enum report_format { REPORT_TEXT, REPORT_MD, REPORT_JSON, REPORT_HTML, REPORT_FORMAT_NR };

/* "text", "md", "json", "html", NULL: for --format */
extern const char *const report_format_names[];

struct report_opts {
	int color;		/* ANSI colour in the text format */
	const char *anchor;	/* HTML ids' prefix: one per host of a fleet */
};

struct fleet;

/*
 * Write reports r[0..n) in one format; 0, or CF_ERR_IO when out failed.
 * Several reports are a fleet (report_write_fleet).
 */
int report_write(FILE *out, enum report_format fmt, const struct report *r, size_t n,
		 const struct report_opts *o);
/* One report's own part, without the document around it (fleet.c). */
void report_write_one(FILE *out, enum report_format fmt, const struct report *r,
		      const struct report_opts *o);
/*
 * The fleet report: the summary (hosts x root causes, the shared ones),
 * then each host's report as fleet_run or fleet_add wrote it.
 */
int report_write_fleet(FILE *out, enum report_format fmt, const struct fleet *fl,
		       const struct report_opts *o);

/*
 * The hooks of a format, called by report_write() in this order: begin
 * (title: the host, or NULL for a fleet), for a fleet its summary; then per
 * report header, (nothing found: none), per non-empty section section and
 * finding for each finding in it, the timeline of the findings' events
 * (when any has a time), footer; then end.
 */
struct report_hooks {
	const char *separator;	/* between two reports, or NULL */
	void (*begin)(FILE *out, const char *title, const struct report_opts *o);
	void (*fleet)(FILE *out, const struct fleet *fl, const struct report_opts *o);
	void (*header)(FILE *out, const struct report *r, const struct report_opts *o);
	void (*none)(FILE *out, const struct report *r, const struct report_opts *o);
	void (*section)(FILE *out, enum report_section s, const struct report_opts *o);
	void (*finding)(FILE *out, const struct report *r, const struct finding *f,
			enum report_section s, size_t num, const struct report_opts *o);
	void (*timeline)(FILE *out, const struct report *r, const struct report_event *ev,
			 size_t n, size_t more, const struct report_opts *o);
	void (*footer)(FILE *out, const struct report *r, const struct report_opts *o);
	void (*end)(FILE *out, const struct report_opts *o);
};

extern const struct report_hooks report_text_hooks, report_md_hooks, report_html_hooks;

/* The casefile-report/1 object of one report (DESIGN.md). */
json_t *report_json(const struct report *r);
/* The casefile-fleet/1 object: {"schema", "tool", "hosts", "shared", ...}. */
json_t *report_json_fleet(const struct fleet *fl);

/* For the fleet hooks: "12/16 hosts" style counts and host lists. */
#define REPORT_FLEET_MATRIX_MAX 12	/* root-cause columns of the matrix */
#define REPORT_FLEET_NAMES_MAX 8	/* hosts named in a summary line */

#endif
