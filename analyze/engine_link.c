/*
 * engine_link.c: which finding explains which (see engine.h and
 * causality.h): the links rules list, the links by what findings share in
 * the causal order of their categories, blips made low, and the order of
 * the report.
 */
#include <string.h>
#include "casefile.h"
#include "engine_state.h"

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

static size_t find_fired(const struct finding *f, size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(f[i].rule->id, id))
			return i;
	return SIZE_MAX;
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

static int lists(const struct rule *r, const char *id)
{
	size_t k;

	for (k = 0; k < r->nlinks; k++)
		if (!strcmp(r->links[k].rule, id))
			return 1;
	return 0;
}

/* Was a seen before b: by time, then in the same file by line? */
static int seen_before(const struct finding *a, const struct finding *b)
{
	if (ts_order(a->first) != ts_order(b->first))
		return ts_order(a->first) < ts_order(b->first);
	if (!a->nev || !b->nev || a->ev[0].member != b->ev[0].member)
		return 0;
	return a->ev[0].line < b->ev[0].line;
}

/*
 * Links the rules list. Two rules may list each other (an ext4 error can
 * abort the journal, an aborted journal is reported as an ext4 error): the
 * one seen first is the cause.
 */
static void listed_links(struct engine *e, struct links *L)
{
	struct buf why = BUF_INIT(0);
	size_t i, k, j;

	for (i = 0; i < e->nfindings; i++) {
		const struct rule *r = e->findings[i].rule;

		for (k = 0; k < r->nlinks; k++) {
			j = find_fired(e->findings, e->nfindings, r->links[k].rule);
			if (j == SIZE_MAX || (lists(e->findings[j].rule, r->id) &&
					      seen_before(&e->findings[j], &e->findings[i])))
				continue;
			if (listed_holds(e, &r->links[k], &e->findings[i], &e->findings[j], &why))
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
 * A signal alone links only what follows at once: a runtime (node, java)
 * crashed with SEGV, and in the same seconds a unit's process died of SEGV.
 */
static char *const signal_kind[] = { "signal", NULL };
#define SIGNAL_WITHIN 10	/* seconds */

/*
 * Links no rule lists: an earlier tier's finding that shares an entity with
 * a later tier's and comes first explains it; so does a finding of the
 * category a symptom's own message names (causality.h).
 */
#define SAME_FAILURE 60	/* seconds apart: two findings of one category are one failure */

/*
 * Two findings of one category about one thing at one moment (systemd's
 * "killed by signal" and its "Failed with result"): one failure seen twice.
 * The one that says more (more kinds of entities: a signal besides the unit)
 * is the other's cause; then severity, then time, then id.
 */
static int same_failure(const struct engine *e, const struct finding *f, const struct finding *s,
			struct buf *why)
{
	int64_t d;

	if (strcmp(f->rule->category, s->rule->category) || f->first.kind != TS_WALL ||
	    s->first.kind != TS_WALL)
		return 0;
	d = f->first.sec - s->first.sec;
	if (d > SAME_FAILURE || d < -SAME_FAILURE)
		return 0;
	if (json_object_size(f->entities) != json_object_size(s->entities) ?
	    json_object_size(f->entities) < json_object_size(s->entities) :
	    f->severity != s->severity ? f->severity < s->severity :
	    f->first.sec != s->first.sec ? f->first.sec > s->first.sec :
	    strcmp(f->rule->id, s->rule->id) > 0)
		return 0;	/* the other way round */
	return entity_map_shared(e->emap, f->entities, s->entities, link_kinds, why);
}

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

			if (tj == ti && j != i && !forbids(f->rule, s->rule) &&
			    same_failure(e, f, s, &why)) {
				add_link(L, i, j, &why);
				L->v[L->n - 1].by_default = 1;
			}
			buf_reset(&why);
			if (tj <= ti || forbids(f->rule, s->rule) || !in_time(f, s, c->window))
				continue;
			if (entity_map_shared(e->emap, f->entities, s->entities, link_kinds, &why) ||
			    (in_time(f, s, SIGNAL_WITHIN) && f->first.kind == TS_WALL &&
			     s->first.kind == TS_WALL &&
			     entity_map_shared(e->emap, f->entities, s->entities, signal_kind, &why))) {
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

/* A blip: it recovered within RECOVERED_WITHIN and nothing failed of it: low, and said. */
static void blips(struct engine *e, const struct links *L)
{
	size_t i, k;

	for (i = 0; i < e->nfindings; i++) {
		struct finding *f = &e->findings[i];

		if (f->recovered < 0 || f->recovered > RECOVERED_WITHIN)
			continue;
		for (k = 0; k < L->n && L->v[k].cause != i; k++)
			;
		if (k == L->n)
			f->severity = SEV_LOW;
		else
			f->recovered = -1;	/* with symptoms under it, it stays what it was */
	}
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
void engine_unlink(struct engine *e)
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
void engine_link(struct engine *e)
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
	blips(e, &L);
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

