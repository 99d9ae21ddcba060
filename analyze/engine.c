/*
 * engine.c: the rule engine (see engine.h). The per-line path is
 * engine_lines() -> engine_search() (scan, candidates, patterns; in
 * threads with a pool) -> engine_apply() -> engine_match() for each hit;
 * everything else runs once per member or once per bundle.
 */
#include <ctype.h>
#include <string.h>
#include "buf.h"
#include "casefile.h"
#include "engine.h"
#include "engine_state.h"
#include "scan.h"
#include "text.h"

static void tally_init(struct tally *t, unsigned threshold, int64_t window)
{
	memset(t, 0, sizeof(*t));
	if (window) {
		t->ring_cap = threshold < RING_MAX ? threshold : RING_MAX;
		t->ring = xcalloc(t->ring_cap ? t->ring_cap : 1, sizeof(*t->ring));
	}
}

struct engine *engine_new(const struct rule *rules, size_t n, const struct catalog *cat)
{
	struct engine *e = xcalloc(1, sizeof(*e));
	size_t r, c, p, s, k, alloc = 0;

	e->rules = rules;
	e->nrules = n;
	e->cat = cat;
	e->st = xcalloc(n + 1, sizeof(*e->st));
	e->sc = xcalloc(cat->nr + 1, sizeof(*e->sc));
	e->always = xcalloc(cat->nr + 1, sizeof(*e->always));
	e->nalways = xcalloc(cat->nr + 1, sizeof(*e->nalways));
	e->reading.claimed = xcalloc(cat->nr + 1, sizeof(*e->reading.claimed));
	e->reading.fact_srcs = xcalloc(cat->nr + 1, sizeof(*e->reading.fact_srcs));
	e->reading.table_srcs = xcalloc(cat->nr + 1, sizeof(*e->reading.table_srcs));
	e->tables = table_set_new(cat);
	e->found = xcalloc(cat->nr + 1, 1);
	e->read_size = xcalloc(cat->nr + 1, sizeof(*e->read_size));
	e->facts = facts_new(cat);
	engine_searcher_init(&e->search);
	e->emap = entity_map_new(NULL);
	e->unrec_id = UINT32_MAX;
	for (r = 0; r < n; r++) {
		e->st[r] = xcalloc(rules[r].nconds + 1, sizeof(**e->st));
		for (c = 0; c < rules[r].nconds; c++) {
			const struct cond *cd = &rules[r].conds[c];
			struct cond_state *cs = &e->st[r][c];

			tally_init(&cs->shared, cd->threshold, cd->window);
			for (p = 0; p < cd->npats; p++) {
				const struct pattern *pt = &cd->pats[p];
				uint32_t id = (uint32_t)e->nm;

				if (pt->threshold) {
					if (!cs->own)
						cs->own = xcalloc(cd->npats, sizeof(*cs->own));
					tally_init(&cs->own[p], pt->threshold, pt->window);
				}

				ALLOC_GROW(e->m, e->nm + 1, alloc);
				e->m[e->nm].rule = (uint32_t)r;
				e->m[e->nm].cond = (uint32_t)c;
				e->m[e->nm].pat = (uint32_t)p;
				e->nm++;
				for (s = 0; s < cd->nsources; s++) {
					size_t src = cd->sources[s];

					if (!pt->nlits) {
						e->always[src] = xrealloc(e->always[src],
							(e->nalways[src] + 1) * sizeof(uint32_t));
						e->always[src][e->nalways[src]++] = id;
						continue;
					}
					if (!e->sc[src])
						e->sc[src] = scanner_new();
					for (k = 0; k < pt->nlits; k++)
						scanner_add(e->sc[src], pt->lits[k].text,
							    pt->lits[k].len, pt->caseless, id);
				}
			}
		}
	}
	return e;
}

/* Service and application logs' lines that read like errors come to the scanner too. */
static void scan_error_words(struct engine *e)
{
	const struct source_group *g = catalog_group(e->cat, "service_messages");
	size_t k, w, s;

	e->unrec = unrec_new();
	e->unrec_id = (uint32_t)e->nm;
	for (s = 0; s < e->cat->nr; s++) {
		int service = 0;

		for (k = 0; g && g->members[k] && !service; k++)
			service = !strcmp(g->members[k], e->cat->items[s].name);
		if (!service && !e->cat->items[s].program)
			continue;	/* an application's own log says whose it is */
		if (!e->sc[s])
			e->sc[s] = scanner_new();
		for (w = 0; unrec_words[w]; w++)
			scanner_add(e->sc[s], unrec_words[w], strlen(unrec_words[w]), 1, e->unrec_id);
	}
}

void engine_set_causality(struct engine *e, const struct causality *c)
{
	e->causality = c;
	entity_map_free(e->emap);
	e->emap = entity_map_new(c);
	if (c && !e->unrec) {
		engine_entity_groups_setup(e);	/* of the rules' matchers, before more come */
		engine_entity_lines_setup(e);	/* their matchers before the error words' id */
		scan_error_words(e);
	}
}

void engine_free(struct engine *e)
{
	size_t r, c, k;

	if (!e)
		return;
	engine_pool_stop(e->pool);
	for (r = 0; r < e->nrules; r++) {
		for (c = 0; c < e->rules[r].nconds; c++) {
			struct cond_state *cs = &e->st[r][c];

			for (k = 0; k < cs->nev; k++)
				engine_evidence_clear(&cs->ev[k]);
			free(cs->shared.ring);
			for (k = 0; cs->own && k < e->rules[r].conds[c].npats; k++)
				free(cs->own[k].ring);
			free(cs->own);
			json_decref(cs->captures);
			free(cs->seen);
			for (k = 0; cs->ents && k < ENTITY_NR; k++)
				while (cs->ents[k].n)
					free(cs->ents[k].v[--cs->ents[k].n]);
			free(cs->ents);
		}
		free(e->st[r]);
	}
	free(e->st);
	for (k = 0; k < e->cat->nr; k++) {
		scanner_free(e->sc[k]);
		free(e->always[k]);
	}
	for (k = 0; k < e->nfindings; k++) {
		struct finding *f = &e->findings[k];
		size_t i;

		for (i = 0; i < f->nev; i++)
			engine_evidence_clear(&f->ev[i]);
		free(f->ev);
		json_decref(f->captures);
		json_decref(f->entities);
		free(f->explanation);
		free(f->remediation);
		for (i = 0; i < f->nexplains; i++)
			free(f->explains_why[i]);
		for (i = 0; i < f->nexplained_by; i++)
			free(f->explained_by_why[i]);
		free(f->explains);
		free(f->explained_by);
		free(f->explains_why);
		free(f->explained_by_why);
	}
	free(e->findings);
	free(e->sc);
	free(e->always);
	free(e->nalways);
	free(e->reading.claimed);
	free(e->reading.fact_srcs);
	free(e->reading.table_srcs);
	free(e->reading.path);
	free(e->reading.section);
	table_set_free(e->tables);
	free(e->found);
	free(e->read_size);
	facts_free(e->facts);
	entity_map_free(e->emap);
	for (k = 0; k < e->nelines; k++)
		pattern_release(&e->elines[k]);
	free(e->egroups);
	free(e->elines);
	unrec_free(e->unrec);
	free(e->m);
	engine_searcher_release(&e->search);
	engine_hits_release(&e->hits);
	free(e);
}

/* ---- members -------------------------------------------------------------- */

static void set_path(struct engine *e, const char *path, const char *section, int64_t mtime)
{
	free(e->reading.path);
	free(e->reading.section);
	e->reading.path = xstrdup(path);
	e->reading.section = section ? xstrdup(section) : NULL;
	e->reading.mtime = mtime;
	e->reading.member++;
}

/*
 * A command's output is one text: a second member of the same size for the
 * same command source (sos keeps df at the top and in sos_commands/) is the
 * same lines again, and is not counted twice.
 */
static int once_read(struct engine *e, size_t s, const struct member *m)
{
	const struct source *src = &e->cat->items[s];

	if (!src->argv && !src->shell)
		return 0;
	if (e->found[s] && m->size >= 0 && e->read_size[s] == m->size)
		return 1;
	e->read_size[s] = m->size;
	return 0;
}

int engine_want(struct engine *e, const struct member *m)
{
	size_t s;

	struct member_ctx *r = &e->reading;

	r->nclaimed = r->nfact_srcs = r->ntable_srcs = 0;
	for (s = 0; s < e->cat->nr; s++) {
		int rules = e->sc[s] || e->nalways[s], facts = facts_want(e->facts, s);
		int table = table_set_want(e->tables, s);

		if (m->link)
			rules = table = 0;	/* a link's target is read for facts only */

		/* every source is looked for until found once: the report's coverage */
		if (!rules && !facts && !table && (e->found[s] || m->link))
			continue;
		if (m->section ? !source_claims_section(&e->cat->items[s], m->path, m->section)
			       : !source_claims(&e->cat->items[s], m->path))
			continue;
		if (rules && once_read(e, s, m))
			rules = 0;
		e->found[s] = 1;
		if (facts)
			r->fact_srcs[r->nfact_srcs++] = s;
		if (rules)
			r->claimed[r->nclaimed++] = s;
		if (table)
			r->table_srcs[r->ntable_srcs++] = s;
	}
	if (!r->nclaimed && !r->nfact_srcs && !r->ntable_srcs)
		return 0;
	r->program = NULL;
	for (s = 0; s < r->nclaimed && !r->program; s++)
		r->program = e->cat->items[r->claimed[s]].program;
	set_path(e, m->path, m->section, m->mtime);
	if (r->ntable_srcs)
		engine_lines(e, "", 0, 1);	/* its tables begin, in order, even if it is empty */
	return 1;
}

void engine_begin_source(struct engine *e, size_t source, const char *path, int64_t mtime)
{
	struct member_ctx *r = &e->reading;

	r->nclaimed = r->nfact_srcs = r->ntable_srcs = 0;
	e->found[source] = 1;
	if (facts_want(e->facts, source))
		r->fact_srcs[r->nfact_srcs++] = source;
	if (e->sc[source] || e->nalways[source])
		r->claimed[r->nclaimed++] = source;
	if (table_set_want(e->tables, source))
		r->table_srcs[r->ntable_srcs++] = source;
	r->program = e->cat->items[source].program;
	set_path(e, path, NULL, mtime);
	if (r->ntable_srcs)
		engine_lines(e, "", 0, 1);
}

/* ---- per line --------------------------------------------------------------- */

void engine_lines(struct engine *e, const char *data, size_t len, uint64_t first_line)
{
	const struct member_ctx *m = &e->reading;
	struct block b = { data, len, first_line, m->claimed, m->nclaimed, 0, m->mtime };

	if (e->pool) {
		engine_pool_submit(e->pool, m, data, len, first_line);
		return;
	}
	b.always = engine_block_always(e, m->claimed, m->nclaimed);
	engine_search(e, &e->search, &b, &e->hits);
	engine_apply(e, m, data, len, &e->hits);
}

void engine_set_threads(struct engine *e, unsigned threads)
{
	if (threads > 1 && !e->pool)
		e->pool = engine_pool_start(e, threads);
}

void engine_coverage(const struct engine *e, char ***found, char ***missing,
		     char ***not_run)
{
	size_t s, r, k;

	for (s = 0; s < e->cat->nr; s++)
		strv_push(e->found[s] ? found : missing, xstrdup(e->cat->items[s].name));
	for (r = 0; r < e->nrules; r++) {
		const struct cond *c = &e->rules[r].conds[0];

		for (k = 0; k < c->nsources && !e->found[c->sources[k]]; k++)
			;
		if (k == c->nsources)
			strv_push(not_run, xstrdup(e->rules[r].id));
	}
}

const char *engine_fact(const struct engine *e, const char *name)
{
	return facts_get(e->facts, name);
}

const struct table_set *engine_tables(const struct engine *e)
{
	return e->tables;
}

/* ---- the bundle visitor ------------------------------------------------------ */

static int visit_want(void *ctx, const struct member *m)
{
	return engine_want(ctx, m);
}

static int visit_lines(void *ctx, const struct member *m, const char *data, size_t len,
		       uint64_t first_line)
{
	(void)m;
	engine_lines(ctx, data, len, first_line);
	return 0;
}

void engine_visitor(struct engine *e, struct bundle_visitor *v)
{
	v->ctx = e;
	v->want = visit_want;
	v->lines = visit_lines;
}

