/*
 * fleet_pool.h: many inputs, one fleet (fleet.h).
 *
 * Each input (a bundle, a sosreport, a supportconfig or a host's folder; a
 * folder of such archives is opened into them) is analyzed by a worker
 * process of its own, at most jobs at once, so the cores are used and an
 * input that crashes or hangs the reader costs only its own report. A
 * worker hands back what the fleet summary needs (the host, its root
 * causes) and its report already written by the fleet's writer; the parent
 * keeps the input order.
 */
#ifndef FLEET_POOL_H
#define FLEET_POOL_H

#include <stddef.h>
#include "analyze.h"
#include "fleet.h"
#include "report_format.h"

/*
 * The inputs of analyze: paths as given, except that a folder holding
 * bundles (and no host's files) stands for the bundles in it, by name.
 */
char **fleet_inputs(char *const *paths, size_t n);

/* Analyze paths[0..n) with at most jobs workers into fl (fleet_release). */
void fleet_run(char *const *paths, size_t n, int jobs, const struct report_writer *w,
	       const struct analyze_opts *ao, const struct report_opts *ro, struct fleet *fl);

/* One report already made into a new host of the fleet, in this process. */
void fleet_add(struct fleet *fl, const struct report *r, const struct report_writer *w,
	       const struct report_opts *ro);

#endif
