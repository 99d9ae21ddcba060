/*
 * engine_apply.c: what the search found in a block of lines, applied to
 * the engine's state in the order of the lines (see engine_state.h): the
 * facts and typed tables of the sources that hold it, then each hit, to
 * its rule's condition (engine_match.c), its entity (engine_entities.c) or
 * the error lines no rule matched (unrecognised.h). One worker or the
 * pool's (engine_pool.c) calls it, in the order the blocks were read.
 */
#include <stdio.h>
#include "casefile.h"
#include "engine_state.h"
#include "entity.h"
#include "facts.h"
#include "table.h"
#include "timestamp.h"
#include "unrecognised.h"

/* An error line no rule matched: its template, with its program and pid. */
static void keep_unrecognised(struct engine *e, const char *line, const struct hits *h,
			      const struct hit *t)
{
	struct line_subject ls = h->subj[t->subj];

	if (!ls.process[0] && e->program)
		snprintf(ls.process, sizeof(ls.process), "%s", e->program);
	unrec_line(e->unrec, e->path, e->member, t->lineno, line, t->len, t->ts, ls.process,
		   ls.pid);
}

void engine_apply(struct engine *e, const struct member_ctx *m, const char *data,
		  size_t len, const struct hits *h)
{
	size_t i;

	e->path = m->path;
	e->program = m->program;
	e->mtime = m->mtime;
	e->member = m->member;
	if (m->ntable_srcs && e->table_member != m->member) {
		for (i = 0; i < m->ntable_srcs; i++)
			table_set_begin(e->tables, m->table_srcs[i], m->path, m->section, m->member);
		e->table_member = m->member;
	}
	for (i = 0; i < m->nfact_srcs; i++)
		facts_lines(e->facts, m->fact_srcs[i], data, len);
	for (i = 0; len && i < m->ntable_srcs; i++)
		table_set_lines(e->tables, m->table_srcs[i], data, len, h->first_line);
	for (i = 0; i < h->n; i++) {
		const struct hit *t = &h->v[i];

		if (t->matcher == HIT_UNRECOGNISED)
			keep_unrecognised(e, data + t->off, h, t);
		else if (e->m[t->matcher].rule == ENTITY_LINE_RULE)
			engine_entity_line(e, e->m[t->matcher].pat, data + t->off, h->ov + t->ov);
		else
			engine_match(e, &e->m[t->matcher], data + t->off, h, t);
	}
}

int engine_block_always(const struct engine *e, const size_t *claimed, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (e->nalways[claimed[i]])
			return 1;
	return 0;
}
