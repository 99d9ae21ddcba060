/*
 * fleet.h: the summary of many reports, the model the formats' fleet
 * writers read: each host with its root causes and its report already
 * written (its "body"), and which root causes are shared by how many hosts.
 * Who fills it is above the writers (fleet_pool.h); this module only keeps
 * and summarizes.
 */
#ifndef FLEET_H
#define FLEET_H

#include <stddef.h>
#include <stdio.h>
#include "report.h"

#define FLEET_MATRIX_MAX 12	/* root-cause columns of a format's matrix */
#define FLEET_NAMES_MAX 8	/* hosts named in a summary line */

struct fleet_cause {
	char *id, *title;
	int severity;			/* enum severity */
};

struct fleet_host {
	char *path;			/* the input as given (clean UTF-8) */
	char *label;			/* its host name, else the input (clean UTF-8) */
	struct fleet_cause *roots;	/* its root causes, most likely first */
	size_t nroots, findings;
	int severity;			/* the highest of its findings, -1 none */
	int read_in_part;		/* reading stopped early (exit 3) */
	char *error;			/* not analyzed: why; body is then empty */
	char *body;			/* its report in the fleet's format */
	size_t body_len;
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

/* n empty hosts, each with its input's path (cleaned), severity -1. */
void fleet_init(struct fleet *fl, char *const *paths, size_t n);

/* A new host at the end, empty; its index is fl->n - 1. */
struct fleet_host *fleet_push(struct fleet *fl);

/* The summary of host h from its report: label, root causes, severity. */
void fleet_host_summary(struct fleet_host *h, const struct report *r);

/*
 * Compute the rows once every host is in; hosts of one name are numbered
 * apart: "vm (1)", "vm (2)", ...
 */
void fleet_summarize(struct fleet *fl);

void fleet_host_release(struct fleet_host *h);
void fleet_release(struct fleet *fl);

/* The host's input by its own name, the last part of its path. */
const char *fleet_bundle_name(const struct fleet_host *h);

/* For the formats' fleet writers: is row r's root cause on host h? */
int fleet_has(const struct fleet *fl, size_t r, size_t h);
/*
 * The hosts of row r, at most FLEET_NAMES_MAX of them and "and N more",
 * each name through the format's escape.
 */
void fleet_names(FILE *out, const struct fleet *fl, size_t r,
		 void (*esc)(FILE *out, const char *s));

#endif
