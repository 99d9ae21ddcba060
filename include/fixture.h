/*
 * fixture.h: a rule's fixtures, parsed with the rule (rule.c); run by
 * fixture_run.h.
 */
#ifndef FIXTURE_H
#define FIXTURE_H

#include "buf.h"
#include "catalog.h"
#include "rules.h"
#include "yamlutil.h"

/*
 * Parse a rule's "fixtures:" list into r->fixtures: each a mapping of
 * expect (match or no-match), an optional name, and texts by source name.
 */
int fixture_parse(struct ydoc *d, yaml_node_t *list, struct rule *r,
		  const struct catalog *cat, struct buf *err);

#endif
