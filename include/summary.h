/*
 * summary.h: the host in a few lines, opening every report: what it runs
 * (OS, kernel), since when (uptime, last boot), with what (CPUs, memory
 * available), how busy (load), what is full (file systems over 80%), what
 * failed (units), the kernel's taint, whether its clock is synchronised and
 * its zone. Read from the typed tables of whatever layout the bundle is;
 * a line the bundle cannot fill is left out.
 */
#ifndef SUMMARY_H
#define SUMMARY_H

#include <jansson.h>
#include "bundle.h"
#include "table.h"

#define SUMMARY_LINES 12

struct summary_line {
	const char *label;	/* "os", "kernel", ... (a JSON key too) */
	char *text;		/* cleaned UTF-8 */
};

struct host_summary {
	struct summary_line v[SUMMARY_LINES];
	size_t n;
};

/* Fill s from the tables of an analysis and its bundle's facts. */
void summary_fill(struct host_summary *s, const struct table_set *ts,
		  const struct bundle_info *bi);
void summary_release(struct host_summary *s);
/* {"os": "...", "kernel": "...", ...} */
json_t *summary_json(const struct host_summary *s);

#endif
