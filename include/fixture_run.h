/*
 * fixture_run.h: run a rule against its fixtures (`casefile rules test`),
 * through the engine alone and through the whole reader of a layout.
 */
#ifndef FIXTURE_RUN_H
#define FIXTURE_RUN_H

#include "buf.h"
#include "bundle.h"
#include "catalog.h"
#include "rules.h"

struct obf;

/*
 * Feed the fixture's texts to an engine holding only this rule, each as the
 * source it names; through the obfuscator first when obf is given (`rules
 * test --obfuscate`: a rule must still fire on a cleaned bundle). Returns 1
 * when the outcome is what the fixture expects, 0 when not (with the
 * reason, per condition, appended to why).
 */
int fixture_run(const struct rule *r, const struct fixture *fx,
		const struct catalog *cat, struct obf *obf, struct buf *why);

/*
 * The same through the whole reader: write the fixture's texts where each
 * source lives in a bundle of the given layout (LAYOUT_CASEFILE or
 * LAYOUT_SOSREPORT) in a temporary directory, analyze it, and remove it.
 * Returns 1 when the outcome is as expected, 0 when not (why says so), -1
 * when a source of the fixture has no location in that layout.
 */
int fixture_run_layout(const struct rule *r, const struct fixture *fx,
		       const struct catalog *cat, enum layout layout, struct buf *why);

#endif
