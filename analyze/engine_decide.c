/*
 * engine_decide.c: after the last line: which rules fired, which finding
 * explains which, and the order of the report (see engine.h).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "casefile.h"
#include "engine_state.h"
#include "template.h"

static int tally_holds(const struct tally *t, unsigned threshold, int64_t window)
{
	if (!t->count || t->count < threshold)
		return 0;
	return !window || t->window_met || threshold <= 1;
}

/* The patterns without a threshold of their own together, or one with its own. */
static int cond_holds(const struct cond *cd, const struct cond_state *cs)
{
	size_t p;

	if (tally_holds(&cs->shared, cd->threshold, cd->window))
		return 1;
	for (p = 0; cs->own && p < cd->npats; p++)
		if (cd->pats[p].threshold &&
		    tally_holds(&cs->own[p], cd->pats[p].threshold, cd->pats[p].window))
			return 1;
	return 0;
}

static int fired(const struct rule *r, struct cond_state *st)
{
	size_t c;
	int any_seen = 0, any_held = 0;

	if (!cond_holds(&r->conds[0], &st[0]))
		return 0;
	for (c = 1; c < r->nconds; c++) {
		const struct cond *cd = &r->conds[c];

		switch (cd->role) {
		case COND_ALL:
			if (!cond_holds(cd, &st[c]))
				return 0;
			break;
		case COND_ANY:
			any_seen = 1;
			any_held |= cond_holds(cd, &st[c]);
			break;
		case COND_NONE:
			if (st[c].count)
				return 0;
			break;
		default:
			break;
		}
	}
	return !any_seen || any_held;
}

static int ev_cmp(const void *a, const void *b)
{
	const struct evidence *x = a, *y = b;

	if (x->member != y->member)
		return x->member < y->member ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static void move_evidence(struct finding *f, struct cond_state *cs, const struct ts_clock *ck)
{
	size_t k;

	for (k = 0; k < cs->nev; k++) {
		f->ev = xrealloc(f->ev, (f->nev + 1) * sizeof(*f->ev));
		f->ev[f->nev] = cs->ev[k];
		f->ev[f->nev].ts = ts_to_wall(f->ev[f->nev].ts, ck);
		f->nev++;
		memset(&cs->ev[k], 0, sizeof(cs->ev[k]));
	}
	cs->nev = 0;
}

/* A condition's entity values into the finding's: distinct, at most ENTITY_VALUES. */
static void merge_entities(json_t *into, const struct entity_set *ents)
{
	size_t k, i, j;

	for (k = 0; ents && k < ENTITY_NR; k++) {
		json_t *set = json_object_get(into, entity_names[k]);

		for (i = 0; i < ents[k].n; i++) {
			if (!set) {
				set = json_array();
				json_object_set_new(into, entity_names[k], set);
			}
			for (j = 0; j < json_array_size(set); j++)
				if (!strcmp(json_string_value(json_array_get(set, j)), ents[k].v[i]))
					break;
			if (j == json_array_size(set) && j < ENTITY_VALUES)
				json_array_append_new(set, json_string(ents[k].v[i]));
		}
	}
}

/*
 * Seconds from f's first line to the recovery that came after its last
 * (a "recovers" condition), or -1 when it did not recover (or no times).
 */
static int64_t recovered(const struct finding *f, const struct rule *r, struct cond_state *st,
			 const struct ts_clock *ck)
{
	size_t c;

	for (c = 0; c < r->nconds; c++) {
		struct ts end;

		if (r->conds[c].role != COND_RECOVERS || !st[c].count)
			continue;
		end = ts_to_wall(st[c].last, ck);
		if (end.kind == TS_WALL && f->first.kind == TS_WALL && end.sec >= f->last.sec)
			return end.sec - f->first.sec;
	}
	return -1;
}

/* "... It recovered 1 s later and nothing failed of it." */
static char *recovered_text(char *explanation, int64_t sec)
{
	struct buf b = BUF_INIT(0);

	buf_addf(&b, "%s It recovered %lld s after its first line and nothing failed of it, "
		 "so it is low: a blip.", explanation, (long long)sec);
	free(explanation);
	return buf_detach(&b, NULL);
}

struct finding *engine_finish(struct engine *e, size_t *n)
{
	size_t r, c, i;
	const char *bt;
	struct ts_clock ck;

	engine_pool_flush(e->pool);	/* every block applied before the facts are read */
	bt = facts_get(e->facts, "boot_time");
	ck.boot = bt ? strtoll(bt, NULL, 10) : 0;
	ck.zone = facts_get(e->facts, "timezone");

	table_set_end(e->tables);
	engine_entity_tables(e);
	table_conds_run(e);
	for (r = 0; r < e->nrules; r++) {
		const struct rule *rule = &e->rules[r];
		struct cond_state *st = e->st[r];
		struct finding *f;

		if (!fired(rule, st))
			continue;
		e->findings = xrealloc(e->findings, (e->nfindings + 1) * sizeof(*e->findings));
		f = &e->findings[e->nfindings++];
		memset(f, 0, sizeof(*f));
		f->rule = rule;
		f->severity = rule->severity;
		f->count = st[0].count;
		f->first = ts_to_wall(st[0].first, &ck);
		f->last = ts_to_wall(st[0].last, &ck);
		f->captures = st[0].captures ? json_incref(st[0].captures) : json_object();
		f->entities = json_object();
		for (c = 0; c < rule->nconds; c++)
			if (rule->conds[c].role < COND_NONE) {
				move_evidence(f, &st[c], &ck);
				merge_entities(f->entities, st[c].ents);
			}
		if (f->nev)
			qsort(f->ev, f->nev, sizeof(*f->ev), ev_cmp);
		f->recovered = recovered(f, rule, st, &ck);
	}
	engine_link(e);
	/* errors no rule recognises, where a failure has no recognised cause */
	if (e->unrec && engine_unrecognised(e, &ck)) {
		engine_unlink(e);
		engine_link(e);
	}
	for (i = 0; i < e->nfindings; i++) {
		struct finding *f = &e->findings[i];

		if (!f->explanation)
			f->explanation = template_expand(f->rule->explanation, f);
		if (f->recovered >= 0 && f->severity == SEV_LOW && f->rule->severity > SEV_LOW)
			f->explanation = recovered_text(f->explanation, f->recovered);
		if (!f->remediation)
			f->remediation = template_expand(f->rule->remediation, f);
	}
	*n = e->nfindings;
	return e->findings;
}
