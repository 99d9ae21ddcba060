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

struct ts engine_to_wall(struct ts t, const struct clock *ck)
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
		f->ev[f->nev].ts = engine_to_wall(f->ev[f->nev].ts, ck);
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
	if (x->rule->builtin != y->rule->builtin)	/* below every recognised cause */
		return x->rule->builtin ? 1 : -1;
	if (x->rank != y->rank)
		return x->rank > y->rank ? -1 : 1;
	if (!!x->nexplains != !!y->nexplains)
		return x->nexplains ? -1 : 1;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	if (ts_order(x->first) != ts_order(y->first))
		return ts_order(x->first) < ts_order(y->first) ? -1 : 1;
	return strcmp(x->rule->id, y->rule->id);
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

#define ORDER_SLACK 60	/* seconds a symptom may seem to precede its cause */

/* Does the symptom start in time for the cause (when both have wall times)? */
static int in_time(const struct finding *f, const struct finding *s, int64_t within)
{
	if (!within || f->first.kind != TS_WALL || s->first.kind != TS_WALL)
		return 1;
	return s->last.sec + ORDER_SLACK >= f->first.sec && s->first.sec <= f->last.sec + within;
}

/* Does a list of processes name a program (not only runtimes: java, node)? */
static int names_program(const struct engine *e, const json_t *procs)
{
	size_t i;

	for (i = 0; i < json_array_size(procs); i++)
		if (!e->causality ||
		    !causality_is_runtime(e->causality, json_string_value(json_array_get(procs, i))))
			return 1;
	return 0;
}

/*
 * Does a rule's listed link hold between these two findings? Each entity it
 * shares must be one thing where both name one (where either names none,
 * that part of the test is left out), and the time must fit.
 */
static int listed_holds(const struct engine *e, const struct explain *l,
			const struct finding *f, const struct finding *s, struct buf *why)
{
	size_t i;

	for (i = 0; l->share && l->share[i]; i++) {
		char *const one[] = { l->share[i], NULL };
		char *const unit_or_process[] = { "unit", "process", NULL };
		int both = json_object_get(f->entities, l->share[i]) &&
			json_object_get(s->entities, l->share[i]);
		struct entity_map *m = e->emap;

		if (both && !entity_map_shared(m, f->entities, s->entities, one, why))
			return 0;
		/* a cause that names only its process still meets the symptom's unit,
		 * unless a runtime's name (java) says nothing of its unit */
		if (!both && !strcmp(l->share[i], "unit") && json_object_get(s->entities, "unit") &&
		    names_program(e, json_object_get(f->entities, "process")) &&
		    !entity_map_shared(m, f->entities, s->entities, unit_or_process, why))
			return 0;
	}
	return in_time(f, s, l->within);
}

struct link {
	size_t cause, symptom;
	char *why;
	int by_default;
};

struct links {
	struct link *v;
	size_t n, alloc;
};

static int linked(const struct links *L, size_t cause, size_t symptom)
{
	size_t i;

	for (i = 0; i < L->n; i++)
		if (L->v[i].cause == cause && L->v[i].symptom == symptom)
			return 1;
	return 0;
}

static void add_link(struct links *L, size_t cause, size_t symptom, struct buf *why)
{
	if (cause == symptom || linked(L, cause, symptom) || linked(L, symptom, cause)) {
		buf_reset(why);
		return;
	}
	ALLOC_GROW(L->v, L->n + 1, L->alloc);
	L->v[L->n].cause = cause;
	L->v[L->n].symptom = symptom;
	L->v[L->n].why = why->len ? buf_detach(why, NULL) : NULL;
	L->v[L->n].by_default = 0;
	buf_reset(why);
	L->n++;
}

static void listed_links(struct engine *e, struct links *L)
{
	struct buf why = BUF_INIT(0);
	size_t i, k, j;

	for (i = 0; i < e->nfindings; i++) {
		const struct rule *r = e->findings[i].rule;

		for (k = 0; k < r->nlinks; k++) {
			j = find_fired(e->findings, e->nfindings, r->links[k].rule);
			if (j != SIZE_MAX && listed_holds(e, &r->links[k], &e->findings[i],
							   &e->findings[j], &why))
				add_link(L, i, j, &why);
			buf_reset(&why);
		}
	}
	buf_release(&why);
}

static int forbids(const struct rule *cause, const struct rule *symptom)
{
	size_t i;

	for (i = 0; cause->not_explains && cause->not_explains[i]; i++)
		if (!strcmp(cause->not_explains[i], symptom->id))
			return 1;
	return 0;
}

/* The kinds by which findings link by default (a user or a port says too little). */
static char *const link_kinds[] = { "unit", "process", "pid", "device", "mount", "interface",
	"peer", "path", NULL };

/*
 * Links no rule lists: an earlier tier's finding that shares an entity with
 * a later tier's and comes first explains it; so does a finding of the
 * category a symptom's own message names (causality.h).
 */
static void default_links(struct engine *e, struct links *L)
{
	const struct causality *c = e->causality;
	struct buf why = BUF_INIT(0);
	size_t i, j, k;

	for (i = 0; i < e->nfindings; i++) {
		const struct finding *f = &e->findings[i];
		int ti = causality_tier(c, f->rule->category);

		for (j = 0; ti >= 0 && j < e->nfindings; j++) {
			const struct finding *s = &e->findings[j];
			int tj = causality_tier(c, s->rule->category);

			if (tj <= ti || forbids(f->rule, s->rule) || !in_time(f, s, c->window))
				continue;
			if (entity_map_shared(e->emap, f->entities, s->entities, link_kinds, &why)) {
				add_link(L, i, j, &why);
				L->v[L->n - 1].by_default = 1;
			}
			buf_reset(&why);
		}
	}
	for (j = 0; j < e->nfindings; j++) {
		const struct finding *s = &e->findings[j];

		for (k = 0; k < c->nnamed && s->nev; k++) {
			const struct named_cause *nc = &c->named[k];
			pcre2_match_data *md;
			int hit;

			if (strcmp(nc->category, s->rule->category))
				continue;
			md = pcre2_match_data_create_from_pattern(nc->text, NULL);
			hit = pcre2_match(nc->text, (PCRE2_SPTR)s->ev[0].text, PCRE2_ZERO_TERMINATED,
					  0, 0, md, NULL) >= 0;
			pcre2_match_data_free(md);
			for (i = 0; hit && i < e->nfindings; i++) {
				const struct finding *f = &e->findings[i];
				size_t m;

				for (m = 0; nc->causes[m]; m++)
					if (causality_category_matches(nc->causes[m], f->rule->category))
						break;
				if (!nc->causes[m] || !in_time(f, s, c->window) || forbids(f->rule, s->rule))
					continue;
				buf_addf(&why, "the %s names it", s->rule->category);
				add_link(L, i, j, &why);
			}
		}
	}
	buf_release(&why);
}

/*
 * A default link says no more than the links already there when the
 * cause's own cause explains the symptom too (oom-kill explains both the
 * OOM report and the unit; the report does not explain the unit again).
 */
static void drop_implied(struct links *L)
{
	size_t i, k, m, out = 0;

	for (i = 0; i < L->n; i++) {
		int implied = 0;

		for (k = 0; L->v[i].by_default && k < L->n && !implied; k++)
			if (L->v[k].symptom == L->v[i].cause)
				for (m = 0; m < L->n && !implied; m++)
					implied = m != i && L->v[m].cause == L->v[k].cause &&
						  L->v[m].symptom == L->v[i].symptom;
		if (implied)
			free(L->v[i].why);
		else
			L->v[out++] = L->v[i];
	}
	L->n = out;
}

/* A cause ranks with the highest severity of what it explains, however deep. */
static void rank_severities(struct engine *e, const struct links *L)
{
	size_t i, round;
	int changed = 1;

	for (i = 0; i < e->nfindings; i++)
		e->findings[i].rank = e->findings[i].severity;
	for (round = 0; changed && round < e->nfindings; round++) {
		changed = 0;
		for (i = 0; i < L->n; i++) {
			struct finding *c = &e->findings[L->v[i].cause];
			const struct finding *s = &e->findings[L->v[i].symptom];

			if (s->rank > c->rank) {
				c->rank = s->rank;
				changed = 1;
			}
		}
	}
	/* errors no rule recognises are never more than medium */
	for (i = 0; i < e->nfindings; i++)
		if (e->findings[i].rule->builtin && e->findings[i].rank > SEV_MEDIUM)
			e->findings[i].rank = SEV_MEDIUM;
}

/* Undo link_findings() (a finding was added): the links are made again. */
static void unlink_findings(struct engine *e)
{
	size_t i, k;

	for (i = 0; i < e->nfindings; i++) {
		struct finding *f = &e->findings[i];

		for (k = 0; k < f->nexplains; k++)
			free(f->explains_why[k]);
		for (k = 0; k < f->nexplained_by; k++)
			free(f->explained_by_why[k]);
		free(f->explains);
		free(f->explained_by);
		free(f->explains_why);
		free(f->explained_by_why);
		f->explains = f->explained_by = NULL;
		f->explains_why = f->explained_by_why = NULL;
		f->nexplains = f->nexplained_by = 0;
	}
}

static void push_link(size_t **v, char ***why, size_t *n, size_t idx, const char *reason)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	*why = xrealloc(*why, (*n + 1) * sizeof(**why));
	(*v)[*n] = idx;
	(*why)[*n] = reason ? xstrdup(reason) : NULL;
	(*n)++;
}

/*
 * Link causes and symptoms; a finding explained by another is no root.
 * Roots that explain something rank before roots that do not.
 */
static void link_findings(struct engine *e)
{
	struct links L = { 0 };
	size_t i, *at;

	listed_links(e, &L);
	if (e->causality) {
		default_links(e, &L);
		drop_implied(&L);
	}
	for (i = 0; i < L.n; i++) {
		e->findings[L.v[i].symptom].nexplained_by++;
		e->findings[L.v[i].cause].nexplains++;
	}
	rank_severities(e, &L);
	for (i = 0; i < e->nfindings; i++) {
		e->findings[i].root = !e->findings[i].nexplained_by;
		e->findings[i].order = i;
		e->findings[i].nexplained_by = e->findings[i].nexplains = 0;
	}
	/* ranked by finding_cmp; the links follow each finding to its new place */
	if (e->nfindings)
		qsort(e->findings, e->nfindings, sizeof(*e->findings), finding_cmp);
	at = xcalloc(e->nfindings + 1, sizeof(*at));
	for (i = 0; i < e->nfindings; i++)
		at[e->findings[i].order] = i;
	for (i = 0; i < L.n; i++) {
		struct finding *f = &e->findings[at[L.v[i].cause]];
		struct finding *s = &e->findings[at[L.v[i].symptom]];

		push_link(&f->explains, &f->explains_why, &f->nexplains, at[L.v[i].symptom],
			  L.v[i].why);
		push_link(&s->explained_by, &s->explained_by_why, &s->nexplained_by,
			  at[L.v[i].cause], L.v[i].why);
		free(L.v[i].why);
	}
	free(at);
	free(L.v);
}

struct finding *engine_finish(struct engine *e, size_t *n)
{
	size_t r, c, i;
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
		f->severity = rule->severity;
		f->count = st[0].count;
		f->first = engine_to_wall(st[0].first, &ck);
		f->last = engine_to_wall(st[0].last, &ck);
		f->captures = st[0].captures ? json_incref(st[0].captures) : json_object();
		f->entities = json_object();
		for (c = 0; c < rule->nconds; c++)
			if (rule->conds[c].role != COND_NONE) {
				move_evidence(f, &st[c], &ck);
				merge_entities(f->entities, st[c].ents);
			}
		if (f->nev)
			qsort(f->ev, f->nev, sizeof(*f->ev), ev_cmp);
	}
	link_findings(e);
	/* errors no rule recognises, where a failure has no recognised cause */
	if (e->unrec && engine_unrecognised(e, &ck)) {
		unlink_findings(e);
		link_findings(e);
	}
	for (i = 0; i < e->nfindings; i++) {
		struct finding *f = &e->findings[i];

		if (!f->explanation)
			f->explanation = template_expand(f->rule->explanation, f);
		if (!f->remediation)
			f->remediation = template_expand(f->rule->remediation, f);
	}
	*n = e->nfindings;
	return e->findings;
}
