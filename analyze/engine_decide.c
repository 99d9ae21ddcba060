/*
 * engine_decide.c: after the last line: which rules fired, which finding
 * explains which, and the order of the report (see engine.h).
 */
#include <string.h>
#include "casefile.h"
#include "engine_state.h"
#include "template.h"

static int cond_holds(const struct cond *cd, const struct cond_state *cs)
{
	if (cs->count < cd->threshold)
		return 0;
	return !cd->window || cs->window_met || cd->threshold <= 1;
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

/* What the bundle says about its clock: the boot time and the zone. */
struct clock {
	int64_t boot;
	const char *zone;
};

static struct ts to_wall(struct ts t, const struct clock *ck)
{
	int64_t utc;

	if (t.kind == TS_LOCAL) {
		/* without a zone the local time stands as UTC (the report says so) */
		if (ck->zone && !ts_local_to_utc(t.sec, ck->zone, &utc))
			t.sec = utc;
		t.kind = TS_WALL;
		return t;
	}
	if (t.kind == TS_BOOT && ck->boot > 0) {
		t.kind = TS_WALL;
		t.sec += ck->boot;
	}
	return t;
}

static int ev_cmp(const void *a, const void *b)
{
	const struct evidence *x = a, *y = b;

	if (x->member != y->member)
		return x->member < y->member ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static void move_evidence(struct finding *f, struct cond_state *cs, const struct clock *ck)
{
	size_t k;

	for (k = 0; k < cs->nev; k++) {
		f->ev = xrealloc(f->ev, (f->nev + 1) * sizeof(*f->ev));
		f->ev[f->nev] = cs->ev[k];
		f->ev[f->nev].ts = to_wall(f->ev[f->nev].ts, ck);
		f->nev++;
		memset(&cs->ev[k], 0, sizeof(cs->ev[k]));
	}
	cs->nev = 0;
}

static size_t find_fired(const struct finding *f, size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(f[i].rule->id, id))
			return i;
	return SIZE_MAX;
}

static int64_t ts_order(struct ts t)
{
	return t.kind == TS_WALL ? t.sec : INT64_MAX;
}

/* root causes by severity, then evidence, then time; then the rest */
static int finding_cmp(const void *a, const void *b)
{
	const struct finding *x = a, *y = b;

	if (x->root != y->root)
		return x->root ? -1 : 1;
	if (x->rule->severity != y->rule->severity)
		return x->rule->severity > y->rule->severity ? -1 : 1;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	if (ts_order(x->first) != ts_order(y->first))
		return ts_order(x->first) < ts_order(y->first) ? -1 : 1;
	return strcmp(x->rule->id, y->rule->id);
}

struct finding *engine_finish(struct engine *e, size_t *n)
{
	size_t r, c, i, k;
	const char *bt = facts_get(e->facts, "boot_time");
	struct clock ck = { bt ? strtoll(bt, NULL, 10) : 0, facts_get(e->facts, "timezone") };

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
		f->count = st[0].count;
		f->first = to_wall(st[0].first, &ck);
		f->last = to_wall(st[0].last, &ck);
		f->captures = st[0].captures ? json_incref(st[0].captures) : json_object();
		for (c = 0; c < rule->nconds; c++)
			if (rule->conds[c].role != COND_NONE)
				move_evidence(f, &st[c], &ck);
		if (f->nev)
			qsort(f->ev, f->nev, sizeof(*f->ev), ev_cmp);
	}
	/* link causes and symptoms; a finding explained by another is no root */
	for (i = 0; i < e->nfindings; i++) {
		struct finding *f = &e->findings[i];

		for (k = 0; f->rule->explains && f->rule->explains[k]; k++) {
			size_t j = find_fired(e->findings, e->nfindings, f->rule->explains[k]);

			if (j == SIZE_MAX || j == i)
				continue;
			e->findings[j].nexplained_by++;
		}
	}
	for (i = 0; i < e->nfindings; i++)
		e->findings[i].root = !e->findings[i].nexplained_by;
	if (e->nfindings)
		qsort(e->findings, e->nfindings, sizeof(*e->findings), finding_cmp);
	/* indices after sorting */
	for (i = 0; i < e->nfindings; i++)
		e->findings[i].nexplained_by = 0;
	for (i = 0; i < e->nfindings; i++) {
		struct finding *f = &e->findings[i];

		for (k = 0; f->rule->explains && f->rule->explains[k]; k++) {
			size_t j = find_fired(e->findings, e->nfindings, f->rule->explains[k]);
			struct finding *s;

			if (j == SIZE_MAX || j == i)
				continue;
			s = &e->findings[j];
			f->explains = xrealloc(f->explains, (f->nexplains + 1) * sizeof(size_t));
			f->explains[f->nexplains++] = j;
			s->explained_by = xrealloc(s->explained_by,
						   (s->nexplained_by + 1) * sizeof(size_t));
			s->explained_by[s->nexplained_by++] = i;
		}
	}
	for (i = 0; i < e->nfindings; i++) {
		struct finding *f = &e->findings[i];

		f->explanation = template_expand(f->rule->explanation, f);
		f->remediation = template_expand(f->rule->remediation, f);
	}
	*n = e->nfindings;
	return e->findings;
}
