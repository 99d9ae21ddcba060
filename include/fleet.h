/*
 * fleet.h: many inputs, one fleet report.
 *
 * Each input (a bundle, a sosreport, a supportconfig or a host's folder; a
 * folder of such archives is opened into them) is analyzed by a worker
 * process of its own, at most jobs at once, so the cores are used and an
 * input that crashes or hangs the reader costs only its own report. A
 * worker hands back what the fleet summary needs (the host, its root
 * causes) and its report already written in the requested format; the
 * parent keeps the input order. The summary, hosts x root causes and which
 * root causes are shared by how many hosts, is written by the formats'
 * fleet hooks (report.h).
 */
#ifndef FLEET_H
#define FLEET_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>
#include "analyze.h"
#include "report.h"

struct fleet_cause {
	char *id, *title;
	int severity;			/* enum severity */
};

struct fleet_host {
	char *path;			/* the input as given */
	char *label;			/* its host name, else the input (clean UTF-8) */
	struct fleet_cause *roots;	/* its root causes, most likely first */
	size_t nroots, findings;
	int severity;			/* the highest of its findings, -1 none */
	int read_in_part;		/* reading stopped early (exit 3) */
	char *error;			/* not analyzed: why; body is then empty */
	char *body;			/* its report in the format of the fleet */
	size_t body_len;
	json_t *json;			/* the JSON format: its casefile-report/1 */
};

/* A root cause across the fleet: on which hosts (indices into hosts). */
struct fleet_row {
	const struct fleet_cause *cause;
	size_t *hosts, nhosts;
};

struct fleet {
	struct fleet_host *hosts;
	size_t n;
	struct fleet_row *rows;		/* most widespread first, then severity */
	size_t nrows;
};

/*
 * The inputs of analyze: paths as given, except that a folder holding
 * bundles (and no host's files) stands for the bundles in it, by name.
 */
char **fleet_inputs(char *const *paths, size_t n);

/* Analyze paths[0..n) with at most jobs workers into fl (fleet_release). */
void fleet_run(char *const *paths, size_t n, int jobs, enum report_format fmt,
	       const struct analyze_opts *ao, const struct report_opts *ro, struct fleet *fl);

/* One report into a host of the fleet, in process (report_write of many). */
void fleet_add(struct fleet *fl, const struct report *r, enum report_format fmt,
	       const struct report_opts *ro);

/* Compute the rows once every host is in. */
void fleet_summarize(struct fleet *fl);

void fleet_release(struct fleet *fl);

/* For the formats' fleet hooks: is row r's root cause on host h? */
int fleet_has(const struct fleet *fl, size_t r, size_t h);
/*
 * The hosts of row r, at most REPORT_FLEET_NAMES_MAX of them and "and N
 * more", each name through the format's escape.
 */
void fleet_names(FILE *out, const struct fleet *fl, size_t r,
		 void (*esc)(FILE *out, const char *s));

#endif
