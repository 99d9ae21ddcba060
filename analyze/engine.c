/*
 * engine.c: the rule engine (see engine.h). The per-line path is
 * engine_lines() -> scan -> match_line(); everything else runs once per
 * member or once per bundle.
 */
#include <ctype.h>
#include <string.h>
#include "buf.h"
#include "casefile.h"
#include "engine.h"
#include "engine_state.h"
#include "scan.h"
#include "text.h"

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
	e->claimed = xcalloc(cat->nr + 1, sizeof(*e->claimed));
	e->found = xcalloc(cat->nr + 1, 1);
	e->read_size = xcalloc(cat->nr + 1, sizeof(*e->read_size));
	e->facts = facts_new(cat);
	e->fact_srcs = xcalloc(cat->nr + 1, sizeof(*e->fact_srcs));
	e->tables = table_set_new(cat);
	e->table_srcs = xcalloc(cat->nr + 1, sizeof(*e->table_srcs));
	e->md = pcre2_match_data_create(64, NULL);
	for (r = 0; r < n; r++) {
		e->st[r] = xcalloc(rules[r].nconds + 1, sizeof(**e->st));
		for (c = 0; c < rules[r].nconds; c++) {
			const struct cond *cd = &rules[r].conds[c];
			struct cond_state *cs = &e->st[r][c];

			if (cd->window) {
				cs->ring_cap = cd->threshold < RING_MAX ? cd->threshold : RING_MAX;
				cs->ring = xcalloc(cs->ring_cap, sizeof(*cs->ring));
			}
			for (p = 0; p < cd->npats; p++) {
				const struct pattern *pt = &cd->pats[p];
				uint32_t id = (uint32_t)e->nm;

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

/* Evidence kept for a condition no longer belongs to it (moved or freed). */
static void evidence_clear(struct evidence *ev)
{
	free(ev->path);
	free(ev->text);
	memset(ev, 0, sizeof(*ev));
}

void engine_free(struct engine *e)
{
	size_t r, c, k;

	if (!e)
		return;
	for (r = 0; r < e->nrules; r++) {
		for (c = 0; c < e->rules[r].nconds; c++) {
			struct cond_state *cs = &e->st[r][c];

			for (k = 0; k < cs->nev; k++)
				evidence_clear(&cs->ev[k]);
			free(cs->ring);
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
			evidence_clear(&f->ev[i]);
		free(f->ev);
		json_decref(f->captures);
		json_decref(f->entities);
		free(f->explanation);
		free(f->remediation);
		free(f->explains);
		free(f->explained_by);
	}
	free(e->findings);
	free(e->sc);
	free(e->always);
	free(e->nalways);
	free(e->claimed);
	free(e->found);
	free(e->read_size);
	free(e->fact_srcs);
	facts_free(e->facts);
	table_set_free(e->tables);
	free(e->table_srcs);
	free(e->m);
	free(e->cands);
	free(e->path_owned);
	pcre2_match_data_free(e->md);
	free(e);
}

/* ---- members -------------------------------------------------------------- */

static void set_path(struct engine *e, const char *path, int64_t mtime)
{
	free(e->path_owned);
	e->path_owned = xstrdup(path);
	e->path = e->path_owned;
	e->mtime = mtime;
	e->member++;
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

	e->nclaimed = e->nfact_srcs = e->ntable_srcs = 0;
	for (s = 0; s < e->cat->nr; s++) {
		int rules = e->sc[s] || e->nalways[s], facts = facts_want(e->facts, s);
		int table = table_set_want(e->tables, s);

		/* every source is looked for until found once: the report's coverage */
		if (!rules && !facts && !table && e->found[s])
			continue;
		if (m->section ? !source_claims_section(&e->cat->items[s], m->path, m->section)
			       : !source_claims(&e->cat->items[s], m->path))
			continue;
		if (rules && once_read(e, s, m))
			rules = 0;
		e->found[s] = 1;
		if (facts)
			e->fact_srcs[e->nfact_srcs++] = s;
		if (rules)
			e->claimed[e->nclaimed++] = s;
		if (table)
			e->table_srcs[e->ntable_srcs++] = s;
	}
	if (!e->nclaimed && !e->nfact_srcs && !e->ntable_srcs)
		return 0;
	set_path(e, m->path, m->mtime);
	for (s = 0; s < e->ntable_srcs; s++)
		table_set_begin(e->tables, e->table_srcs[s], m->path, m->section, e->member);
	return 1;
}

void engine_begin_source(struct engine *e, size_t source, const char *path, int64_t mtime)
{
	e->nclaimed = e->nfact_srcs = e->ntable_srcs = 0;
	e->found[source] = 1;
	if (facts_want(e->facts, source))
		e->fact_srcs[e->nfact_srcs++] = source;
	if (e->sc[source] || e->nalways[source])
		e->claimed[e->nclaimed++] = source;
	set_path(e, path, mtime);
	if (table_set_want(e->tables, source)) {
		e->table_srcs[e->ntable_srcs++] = source;
		table_set_begin(e->tables, source, path, NULL, e->member);
	}
}

/* ---- per line --------------------------------------------------------------- */

static void keep_evidence(struct engine *e, struct cond_state *cs, const char *line,
			  size_t len, uint64_t lineno, struct ts ts)
{
	struct evidence *ev;

	if (cs->nev < EVIDENCE_FIRST + 1) {
		ev = &cs->ev[cs->nev++];
	} else {
		ev = &cs->ev[EVIDENCE_FIRST];	/* the last one seen replaces */
		evidence_clear(ev);
	}
	ev->path = xstrdup(e->path);
	ev->line = lineno;
	ev->text = text_utf8(line, len < EVIDENCE_TEXT ? len : EVIDENCE_TEXT);
	ev->ts = ts;
	ev->member = e->member;
}

/*
 * The first match's captures; a name it lacks (another pattern's wording
 * has it) from the first later match that has it, so "{unit}" is filled.
 * A pattern all of whose names are kept is not looked at again: this runs
 * on every match.
 */
static void keep_captures(struct cond_state *cs, size_t pat, const struct pattern *pt,
			  const char *line, PCRE2_SIZE *ov)
{
	uint64_t bit = pat < 64 ? 1ULL << pat : 0;
	uint32_t count, size, i;
	PCRE2_SPTR table;
	int all = 1;

	if (cs->captures_kept & bit)
		return;
	if (!cs->captures)
		cs->captures = json_object();
	pcre2_pattern_info(pt->code, PCRE2_INFO_NAMECOUNT, &count);
	pcre2_pattern_info(pt->code, PCRE2_INFO_NAMEENTRYSIZE, &size);
	pcre2_pattern_info(pt->code, PCRE2_INFO_NAMETABLE, &table);
	for (i = 0; i < count; i++) {
		PCRE2_SPTR ent = table + i * size;
		int g = (ent[0] << 8) | ent[1];
		char *v;

		if (json_object_get(cs->captures, (const char *)ent + 2))
			continue;
		if (ov[2 * g] == PCRE2_UNSET) {
			all = 0;
			continue;
		}
		v = text_utf8(line + ov[2 * g], ov[2 * g + 1] - ov[2 * g] > 200 ? 200 :
			       ov[2 * g + 1] - ov[2 * g]);
		json_object_set_new(cs->captures, (const char *)ent + 2, json_string(v));
		free(v);
	}
	if (all)
		cs->captures_kept |= bit;
}

static void keep_entities(struct cond_state *cs, const struct pattern *pt, const char *line,
			  PCRE2_SIZE *ov)
{
	size_t k, i, n;

	for (k = 0; k < ENTITY_NR; k++) {
		int g = pt->ent_group[k];
		struct entity_set *set;
		char *v;

		if (g <= 0 || ov[2 * g] == PCRE2_UNSET || ov[2 * g + 1] == ov[2 * g])
			continue;
		if (!cs->ents)
			cs->ents = xcalloc(ENTITY_NR, sizeof(*cs->ents));
		set = &cs->ents[k];
		if (set->n == ENTITY_VALUES)
			continue;
		n = ov[2 * g + 1] - ov[2 * g];
		if (n > ENTITY_TEXT)
			n = ENTITY_TEXT;
		for (i = 0; i < set->n; i++)
			if (set->len[i] == n && !memcmp(set->v[i], line + ov[2 * g], n))
				break;
		if (i < set->n)
			continue;
		v = text_utf8(line + ov[2 * g], n);
		for (i = 0; i < set->n; i++)
			if (!strcmp(set->v[i], v))
				break;
		if (i < set->n) {
			free(v);
			continue;
		}
		set->len[set->n] = strlen(v);
		set->v[set->n++] = v;
	}
}

/* A pattern condition's where reads the captures of the match. */
struct capture_row {
	const struct pattern *pt;
	const char *line;
	PCRE2_SIZE *ov;
};

static const char *capture_field(void *ctx, size_t k, size_t *len, enum table_type *type)
{
	const struct capture_row *c = ctx;
	int g = c->pt->where_group[k];

	if (g < 0 || c->ov[2 * g] == PCRE2_UNSET)
		return NULL;
	*len = c->ov[2 * g + 1] - c->ov[2 * g];
	*type = TYPE_AUTO;
	return c->line + c->ov[2 * g];
}

static int where_holds(const struct cond *cd, const struct pattern *pt, const char *line,
		       PCRE2_SIZE *ov)
{
	struct capture_row c = { pt, line, ov };
	struct where_row row = { capture_field, &c, NULL, NULL };
	size_t k;

	for (k = 0; k < cd->nwhere; k++)
		if (!where_eval(cd->where[k].expr, &row))
			return 0;
	return 1;
}

static void window_check(struct cond_state *cs, const struct cond *cd, struct ts ts)
{
	int64_t lo, hi;
	size_t i;

	if (ts.kind == TS_NONE)
		return;
	cs->ring[cs->ring_pos] = ts;
	cs->ring_pos = (cs->ring_pos + 1) % cs->ring_cap;
	if (cs->ring_n < cs->ring_cap)
		cs->ring_n++;
	if (cs->ring_n < cs->ring_cap)
		return;
	lo = hi = cs->ring[0].sec;
	for (i = 0; i < cs->ring_n; i++) {
		if (cs->ring[i].kind != ts.kind)
			return;
		if (cs->ring[i].sec < lo)
			lo = cs->ring[i].sec;
		if (cs->ring[i].sec > hi)
			hi = cs->ring[i].sec;
	}
	if (hi - lo <= cd->window)
		cs->window_met = 1;
}

static void match_line(struct engine *e, const struct matcher *m, const char *line,
		       size_t len, uint64_t lineno)
{
	const struct rule *r = &e->rules[m->rule];
	const struct cond *cd = &r->conds[m->cond];
	const struct pattern *pt = &cd->pats[m->pat];
	struct cond_state *cs = &e->st[m->rule][m->cond];
	PCRE2_SIZE *ov;
	struct ts ts;

	if (pcre2_match(pt->code, (PCRE2_SPTR)line, len, 0, 0, e->md, NULL) < 0)
		return;
	ov = pcre2_get_ovector_pointer(e->md);
	if (cd->nwhere && !where_holds(cd, pt, line, ov))
		return;
	ts = ts_parse(line, len, e->mtime);
	switch (event_seen(e->member, cs, m->pat, lineno, ts, event_subject(pt, line, ov))) {
	case EVENT_REWORDED:
		/* its second wording is evidence, not another occurrence, and
		 * may name what the first did not (the unit of a mount) */
		keep_captures(cs, m->pat, pt, line, ov);
		if (cd->role != COND_NONE) {
			keep_entities(cs, pt, line, ov);
			keep_evidence(e, cs, line, len, lineno, ts);
		}
		return;
	case EVENT_COPY:
		return;		/* the same line in another log (syslog and the journal) */
	case EVENT_NEW:
		break;
	}
	cs->count++;
	if (ts.kind != TS_NONE) {
		if (cs->first.kind == TS_NONE || (ts.kind == cs->first.kind && ts.sec < cs->first.sec))
			cs->first = ts;
		if (cs->last.kind == TS_NONE || (ts.kind == cs->last.kind && ts.sec > cs->last.sec))
			cs->last = ts;
	}
	if (cd->window && !cs->window_met)
		window_check(cs, cd, ts);
	keep_captures(cs, m->pat, pt, line, ov);
	if (cd->role != COND_NONE)
		keep_entities(cs, pt, line, ov);
	if (cd->role != COND_NONE || cs->nev < 1)
		keep_evidence(e, cs, line, len, lineno, ts);
}

static void add_cand(void *ctx, size_t pos, uint32_t id)
{
	struct engine *e = ctx;
	const char *nl = pos ? memrchr(e->block, '\n', pos) : NULL;
	uint32_t start = nl ? (uint32_t)(nl - e->block) + 1 : 0;

	if (e->ncands) {
		struct cand *last = &e->cands[e->ncands - 1];

		if (last->line_start == start && last->matcher == id)
			return;
		if (last->line_start > start ||
		    (last->line_start == start && last->matcher > id))
			e->cands_sorted = 0;
	}
	ALLOC_GROW(e->cands, e->ncands + 1, e->acands);
	e->cands[e->ncands].line_start = start;
	e->cands[e->ncands].matcher = id;
	e->ncands++;
}

static int cand_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->line_start != y->line_start)
		return x->line_start < y->line_start ? -1 : 1;
	return x->matcher < y->matcher ? -1 : x->matcher > y->matcher;
}

static uint64_t count_lines(const char *p, const char *end)
{
	return text_count_newlines(p, (size_t)(end - p));
}

static size_t line_len(const char *line, const char *end)
{
	const char *nl = memchr(line, '\n', (size_t)(end - line));
	size_t n = nl ? (size_t)(nl - line) : (size_t)(end - line);

	if (n && line[n - 1] == '\r')
		n--;
	return n;
}

void engine_lines(struct engine *e, const char *data, size_t len, uint64_t first_line)
{
	const char *end = data + len, *cursor = data;
	uint64_t lineno = first_line;
	size_t i, c = 0, k, nalways = 0;

	for (i = 0; i < e->nfact_srcs; i++)
		facts_lines(e->facts, e->fact_srcs[i], data, len);
	for (i = 0; i < e->ntable_srcs; i++)
		table_set_lines(e->tables, e->table_srcs[i], data, len, first_line);
	if (len > UINT32_MAX)
		return;	/* blocks are at most BUNDLE_BLOCK plus a line */
	e->block = data;
	e->ncands = 0;
	e->cands_sorted = 1;
	for (i = 0; i < e->nclaimed; i++) {
		scanner_scan(e->sc[e->claimed[i]], data, len, add_cand, e);
		nalways += e->nalways[e->claimed[i]];
	}
	if (!e->cands_sorted)
		qsort(e->cands, e->ncands, sizeof(*e->cands), cand_cmp);

	if (!nalways) {
		/* jump from candidate line to candidate line */
		while (c < e->ncands) {
			const char *line = data + e->cands[c].line_start;
			size_t n = line_len(line, end);

			lineno += count_lines(cursor, line);
			cursor = line;
			for (; c < e->ncands && data + e->cands[c].line_start == line; c++)
				if (!c || e->cands[c].matcher != e->cands[c - 1].matcher ||
				    e->cands[c].line_start != e->cands[c - 1].line_start)
					match_line(e, &e->m[e->cands[c].matcher], line, n, lineno);
		}
		return;
	}
	/* some pattern has no literal: every line goes to it */
	while (cursor < end) {
		size_t n = line_len(cursor, end);
		const char *next = memchr(cursor, '\n', (size_t)(end - cursor));

		for (; c < e->ncands && data + e->cands[c].line_start == cursor; c++)
			if (!c || e->cands[c].matcher != e->cands[c - 1].matcher ||
			    e->cands[c].line_start != e->cands[c - 1].line_start)
				match_line(e, &e->m[e->cands[c].matcher], cursor, n, lineno);
		for (i = 0; i < e->nclaimed; i++)
			for (k = 0; k < e->nalways[e->claimed[i]]; k++)
				match_line(e, &e->m[e->always[e->claimed[i]][k]], cursor, n, lineno);
		lineno++;
		cursor = next ? next + 1 : end;
	}
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

