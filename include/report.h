/*
 * report.h: the root-cause report of one bundle, in four forms.
 *
 * Every form opens with the bundle (host, ticket, the customer's words,
 * collection time, what was missing or truncated), then the root causes
 * (findings no other finding explains, severity medium or more, most
 * likely first), then the symptoms they explain, then other findings. Every
 * finding shows its evidence as path:line and the line.
 */
#ifndef REPORT_H
#define REPORT_H

#include <jansson.h>
#include <stdio.h>
#include "bundle.h"
#include "engine.h"

#define REPORT_SCHEMA "casefile-report/1"

struct report {
	const struct bundle_info *bi;
	const struct finding *f;
	size_t n;
	const char *read_error;	/* why reading stopped early, or NULL */
	unsigned rules;		/* rules run */
	unsigned rule_errors;	/* rules that did not load */
	double seconds;
};

enum report_section { SECTION_ROOT, SECTION_SYMPTOM, SECTION_OTHER };

enum report_section report_section(const struct finding *f);
/* Count of findings in a section. */
size_t report_count(const struct report *r, enum report_section s);

/* "1 match, at T", "3 matches, T1 .. T2" or "2 matches" into out. */
const char *report_when(const struct finding *f, char *out, size_t n);

void report_text(FILE *out, const struct report *r, int color);
void report_md(FILE *out, const struct report *r);
/* The casefile-report/1 object (DESIGN.md). */
json_t *report_json(const struct report *r);
/* One self-contained page for all the reports. */
void report_html(FILE *out, const struct report *r, size_t n);

#endif
