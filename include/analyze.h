/*
 * analyze.h: one input through the whole pipeline: read it (bundle.h), run
 * the rules over its lines (engine.h), decide and rank the findings, and
 * fill the report (report.h). cmd_analyze runs it for each input; the
 * fixture runner runs it on a bundle it lays out itself.
 */
#ifndef ANALYZE_H
#define ANALYZE_H

#include "buf.h"
#include "bundle.h"
#include "catalog.h"
#include "causality.h"
#include "engine.h"
#include "report.h"
#include "rules.h"
#include "summary.h"

struct analyze_opts {
	const struct catalog *cat;
	const struct rule *rules;	/* must outlive the analysis */
	size_t nrules;
	unsigned rule_errors;		/* rules that did not load, for the report */
	const struct causality *causality;	/* default links (NULL: none) */
	unsigned threads;		/* that search one input's lines (1: none) */
	struct bundle_limits lim;
};

struct analysis {
	struct bundle_info bi;
	struct host_summary host;
	struct engine *engine;
	struct report report;
	char *error;		/* the first line of why reading stopped early */
	char **found, **missing, **not_run;	/* coverage (engine_coverage) */
	int has_report;		/* something was read: report is filled */
};

/* Defaults: BUNDLE_DEFAULT_* limits, no rules. */
void analyze_opts_init(struct analyze_opts *o, const struct catalog *cat);

/*
 * Analyze the bundle, sosreport or directory at path. Returns 0, or the
 * reader's error code with the message appended to err; a->has_report
 * says whether enough was read to report on (an error after some members
 * still gives a report that says reading stopped early).
 */
int analyze_path(const char *path, const struct analyze_opts *o, struct analysis *a,
		 struct buf *err);
void analysis_release(struct analysis *a);

#endif
