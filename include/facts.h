/*
 * facts.h: what a bundle says about its host, read from the sources that
 * hold it through the catalogue's "facts:" (rules/sources.yaml), the same
 * way for every layout: the boot time from /proc/stat turns dmesg seconds
 * into wall time; more facts (the time zone) are one line of YAML away.
 *
 *	- name: proc_stat
 *	  facts: {boot_time: '^btime (?<value>\d+)'}
 *
 * A fact's pattern has a capture named value; the first match wins.
 */
#ifndef FACTS_H
#define FACTS_H

#include <stddef.h>
#include "catalog.h"

struct facts;

struct facts *facts_new(const struct catalog *cat);
void facts_free(struct facts *f);
/* Does this source (an index into the catalogue) still hold a fact to find? */
int facts_want(const struct facts *f, size_t source);
/* A block of whole lines of that source. */
void facts_lines(struct facts *f, size_t source, const char *data, size_t len);
/* The value found, or NULL. */
const char *facts_get(const struct facts *f, const char *name);

#endif
