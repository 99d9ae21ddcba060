/*
 * fixture.h: run a rule against one of its fixtures.
 */
#ifndef FIXTURE_H
#define FIXTURE_H

#include "buf.h"
#include "catalog.h"
#include "rules.h"

/*
 * Feed the fixture's texts to an engine holding only this rule, each as the
 * source it names. Returns 1 when the outcome is what the fixture expects,
 * 0 when not (with the reason, per condition, appended to why).
 */
int fixture_run(const struct rule *r, const struct fixture *fx,
		const struct catalog *cat, struct buf *why);

#endif
