/*
 * report_format.h: the report formats, one table entry each. A writer
 * writes one report as a whole document, one report as a host's part of
 * a fleet (its "body", which fleet_pool.c keeps in the fleet), and a whole
 * fleet from the summary model and those bodies (fleet.h).
 *
 *	text   for a terminal (colour when it is one)
 *	md     Markdown to paste into a ticket
 *	json   casefile-report/1, casefile-fleet/1 (DESIGN.md)
 *	html   one self-contained file
 */
#ifndef REPORT_FORMAT_H
#define REPORT_FORMAT_H

#include <stdio.h>
#include "fleet.h"
#include "report.h"

struct report_writer {
	const char *name;
	/* one report as a document; 0, or CF_ERR_IO when out failed */
	int (*report)(FILE *out, const struct report *r, const struct report_opts *o);
	/* one report as a host of a fleet, without the document around it */
	void (*body)(FILE *out, const struct report *r, const struct report_opts *o);
	/* the fleet: its summary, then each host's body; 0 or CF_ERR_IO */
	int (*fleet)(FILE *out, const struct fleet *fl, const struct report_opts *o);
};

extern const struct report_writer report_text_writer, report_md_writer, report_json_writer,
	report_html_writer;

/* The writers by the index of their name in report_format_names. */
extern const struct report_writer *const report_writers[];
/* "text", "md", "json", "html", NULL: for --format */
extern const char *const report_format_names[];

/* The writer of that name, or NULL. */
const struct report_writer *report_format_find(const char *name);

/* 0, or CF_ERR_IO when out has failed (after a flush). */
int report_format_status(FILE *out);

#endif
