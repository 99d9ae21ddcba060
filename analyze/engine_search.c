/*
 * engine_search.c: the search of one block of lines (see engine_state.h):
 * the scanner's pass for the literals of the sources that claimed the
 * member, then each candidate line against its patterns. It only reads the
 * engine, so several searchers run at once, one per thread; what they find
 * (hits, in line order) is applied to the engine's state in block order by
 * one thread (engine.c), so the result is the same however many search.
 */
#include <string.h>
#include "casefile.h"
#include "engine_state.h"
#include "scan.h"
#include "text.h"
#include "timestamp.h"

void engine_searcher_init(struct searcher *s)
{
	memset(s, 0, sizeof(*s));
	s->md = pcre2_match_data_create(SEARCH_GROUPS, NULL);
}

void engine_searcher_release(struct searcher *s)
{
	free(s->cands);
	pcre2_match_data_free(s->md);
	memset(s, 0, sizeof(*s));
}

void engine_hits_release(struct hits *h)
{
	free(h->v);
	free(h->ov);
	free(h->subj);
	memset(h, 0, sizeof(*h));
}

/* A hit, with no time: an entity line's needs none; a rule's and an error line's read theirs. */
static struct hit *add_hit(struct hits *h, uint32_t matcher, const char *block, const char *line,
			   size_t len, uint64_t lineno)
{
	struct hit *t;

	ALLOC_GROW(h->v, h->n + 1, h->alloc);
	t = &h->v[h->n++];
	t->matcher = matcher;
	t->off = (uint32_t)(line - block);
	t->len = (uint32_t)len;
	t->lineno = lineno;
	t->ov = t->subj = HIT_NONE;
	t->subject = 0;
	t->ts = (struct ts){ TS_NONE, 0 };
	return t;
}

/* The match's captures (the searcher's ovector), kept with the hit. */
static void keep_ovector(struct hits *h, struct hit *t, const struct searcher *s, uint32_t ngroups)
{
	ALLOC_GROW(h->ov, h->nov + 2 * ngroups, h->aov);
	memcpy(h->ov + h->nov, pcre2_get_ovector_pointer(s->md), 2 * ngroups * sizeof(*h->ov));
	t->ov = (uint32_t)h->nov;
	h->nov += 2 * ngroups;
}

/* What the line says of its process and unit, kept with the hit. */
static void keep_subject(struct hits *h, struct hit *t, const struct causality *c,
			 const char *line, size_t len)
{
	ALLOC_GROW(h->subj, h->nsubj + 1, h->asubj);
	entity_line_subject(c, line, len, &h->subj[h->nsubj]);
	t->subj = (uint32_t)h->nsubj++;
}

/* A line its matcher's pattern holds on: the hit, with what applying it reads. */
static void add_match(const struct engine *e, struct searcher *s, struct hits *h, uint32_t id,
		      const char *line, size_t n, uint64_t lineno, int64_t mtime)
{
	const struct matcher *m = &e->m[id];
	struct hit *t = add_hit(h, id, s->block, line, n, lineno);
	const struct cond *cd;
	const struct pattern *pt;

	if (m->rule == ENTITY_LINE_RULE) {
		keep_ovector(h, t, s, e->elines[m->pat].ngroups);
		return;
	}
	cd = &e->rules[m->rule].conds[m->cond];
	pt = &cd->pats[m->pat];
	t->ts = ts_parse(line, n, mtime);
	keep_ovector(h, t, s, pt->ngroups);
	t->subject = event_subject(pt, line, pcre2_get_ovector_pointer(s->md));
	if (cd->role < COND_NONE && e->causality)
		keep_subject(h, t, e->causality, line, n);
}

static void add_cand(void *ctx, size_t pos, uint32_t id)
{
	struct searcher *s = ctx;
	const char *nl = pos ? memrchr(s->block, '\n', pos) : NULL;
	uint32_t start = nl ? (uint32_t)(nl - s->block) + 1 : 0;

	if (s->ncands) {
		struct cand *last = &s->cands[s->ncands - 1];

		if (last->line_start == start && last->matcher == id)
			return;
		if (last->line_start > start ||
		    (last->line_start == start && last->matcher > id))
			s->sorted = 0;
	}
	ALLOC_GROW(s->cands, s->ncands + 1, s->acands);
	s->cands[s->ncands].line_start = start;
	s->cands[s->ncands].matcher = id;
	s->ncands++;
}

static int cand_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->line_start != y->line_start)
		return x->line_start < y->line_start ? -1 : 1;
	return x->matcher < y->matcher ? -1 : x->matcher > y->matcher;
}

static size_t line_len(const char *line, const char *end)
{
	const char *nl = memchr(line, '\n', (size_t)(end - line));
	size_t n = nl ? (size_t)(nl - line) : (size_t)(end - line);

	if (n && line[n - 1] == '\r')
		n--;
	return n;
}

/* Does the matcher's pattern (and its where) hold on this line? */
static int holds(const struct engine *e, struct searcher *s, uint32_t id, const char *line,
		 size_t n)
{
	const struct matcher *m = &e->m[id];
	const struct cond *cd;

	if (m->rule == ENTITY_LINE_RULE)
		return pcre2_match(e->elines[m->pat].code, (PCRE2_SPTR)line, n, 0, 0, s->md,
				   NULL) >= 0;
	cd = &e->rules[m->rule].conds[m->cond];
	return engine_pattern_holds(cd, &cd->pats[m->pat], line, n, s->md);
}

/*
 * The candidates of one line, from cands[c] on (and the patterns without a
 * literal when always), into hits; a line that reads like an error and
 * that none matched is a hit of UNREC. Returns the next c.
 */
static size_t line_hits(const struct engine *e, struct searcher *s, const struct block *b,
			size_t c, const char *line, size_t n, uint64_t lineno, struct hits *h)
{
	int matched = 0, unrec = 0;
	size_t i, k;

	for (; c < s->ncands && s->block + s->cands[c].line_start == line; c++) {
		uint32_t id = s->cands[c].matcher;

		if (c && id == s->cands[c - 1].matcher &&
		    s->cands[c].line_start == s->cands[c - 1].line_start)
			continue;
		if (id == e->unrec_id) {
			unrec = 1;
		} else if (holds(e, s, id, line, n)) {
			add_match(e, s, h, id, line, n, lineno, b->mtime);
			matched |= e->m[id].rule != ENTITY_LINE_RULE;	/* recognised by a rule */
		}
	}
	for (i = 0; b->always && i < b->nclaimed; i++)
		for (k = 0; k < e->nalways[b->claimed[i]]; k++) {
			uint32_t id = e->always[b->claimed[i]][k];

			if (holds(e, s, id, line, n)) {
				add_match(e, s, h, id, line, n, lineno, b->mtime);
				matched = 1;
			}
		}
	if (unrec && !matched) {
		struct hit *t = add_hit(h, HIT_UNRECOGNISED, s->block, line, n, lineno);

		t->ts = ts_parse(line, n, b->mtime);
		keep_subject(h, t, NULL, line, n);
	}
	return c;
}

void engine_search(const struct engine *e, struct searcher *s, const struct block *b,
		   struct hits *h)
{
	const char *data = b->data, *end = data + b->len, *cursor = data;
	uint64_t lineno = b->first_line;
	size_t i, c = 0;

	h->n = h->nov = h->nsubj = 0;
	h->first_line = b->first_line;
	if (b->len > UINT32_MAX)
		return;	/* blocks are at most BUNDLE_BLOCK plus a line */
	s->block = data;
	s->ncands = 0;
	s->sorted = 1;
	for (i = 0; i < b->nclaimed; i++)
		scanner_scan(e->sc[b->claimed[i]], data, b->len, add_cand, s);
	if (!s->sorted)
		qsort(s->cands, s->ncands, sizeof(*s->cands), cand_cmp);
	if (!b->always) {
		/* jump from candidate line to candidate line */
		while (c < s->ncands) {
			const char *line = data + s->cands[c].line_start;

			lineno += text_count_newlines(cursor, (size_t)(line - cursor));
			cursor = line;
			c = line_hits(e, s, b, c, line, line_len(line, end), lineno, h);
		}
		return;
	}
	/* some pattern has no literal: every line goes to it */
	while (cursor < end) {
		const char *next = memchr(cursor, '\n', (size_t)(end - cursor));

		c = line_hits(e, s, b, c, cursor, line_len(cursor, end), lineno, h);
		lineno++;
		cursor = next ? next + 1 : end;
	}
}
