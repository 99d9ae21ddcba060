/*
 * report_walk.h: the one walk over a report (and over a fleet) that the
 * formats written as hooks share (text, md, html): it calls the hooks in
 * the order of a document, so each format says only how a part looks.
 */
#ifndef REPORT_WALK_H
#define REPORT_WALK_H

#include <stdio.h>
#include "fleet.h"
#include "report.h"

/*
 * The hooks, called in this order: begin (title: the host, or NULL for a
 * fleet), for a fleet its summary; then per report header, (nothing found:
 * none), per non-empty section section and finding for each finding in it,
 * the timeline of the findings' events (when any has a time), footer; then
 * end. begin, end, timeline and footer may be NULL.
 */
struct report_hooks {
	const char *separator;	/* between two hosts of a fleet, or NULL */
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

/* One report's part: header to footer. */
void report_walk_body(FILE *out, const struct report_hooks *h, const struct report *r,
		      const struct report_opts *o);
/* One report as a document (begin, body, end); 0 or CF_ERR_IO. */
int report_walk_report(FILE *out, const struct report_hooks *h, const struct report *r,
		       const struct report_opts *o);
/* A fleet as a document: begin, summary, the hosts' bodies, end; 0 or CF_ERR_IO. */
int report_walk_fleet(FILE *out, const struct report_hooks *h, const struct fleet *fl,
		      const struct report_opts *o);

/*
 * Define a format's writer from its hooks: report_<name>_writer with the
 * three functions of report_format.h made of the walk above.
 */
#define REPORT_WALK_WRITER(name, hooks)						\
	static int name##_report(FILE *out, const struct report *r,			\
				 const struct report_opts *o)				\
	{ return report_walk_report(out, &(hooks), r, o); }				\
	static void name##_body(FILE *out, const struct report *r,			\
				const struct report_opts *o)				\
	{ report_walk_body(out, &(hooks), r, o); }					\
	static int name##_fleet(FILE *out, const struct fleet *fl,			\
				const struct report_opts *o)				\
	{ return report_walk_fleet(out, &(hooks), fl, o); }				\
	const struct report_writer report_##name##_writer = {				\
		#name, name##_report, name##_body, name##_fleet }

#endif
