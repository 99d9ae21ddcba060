/*
 * table_set.c: the typed tables of one bundle (see table.h): one per
 * source that declares one, each member's lines handed to its parser
 * (table_parse.c), members read twice dropped, rows indexed by key at the
 * end, and found by source.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "casefile.h"
#include "table_state.h"
#include "text.h"

struct table_set {
	const struct catalog *cat;
	struct table **t;	/* per source of the catalogue; NULL: no table */
	size_t bytes;		/* kept by all of them (TABLE_SET_BYTES_MAX) */
};

#define DEDUP_MEMBERS 64	/* earlier members a new one is compared with */

static void row_release(struct table_row *r)
{
	uint32_t k;

	for (k = 0; k < r->n; k++) {
		free(r->f[k].name);
		free(r->f[k].text);
	}
	free(r->f);
}

static int rows_equal(const struct table_row *a, const struct table_row *b)
{
	uint32_t k;

	if (a->n != b->n)
		return 0;
	for (k = 0; k < a->n; k++)
		if (strcmp(a->f[k].name, b->f[k].name) || strcmp(a->f[k].text, b->f[k].text))
			return 0;
	return 1;
}

/* The rows of the last member, when an earlier member had the same: dropped. */
static void drop_repeat(struct table *t)
{
	const struct table_member *last = &t->members[t->nmembers - 1];
	size_t m, k, n = t->nrows - last->first_row;

	for (m = 0; m + 1 < t->nmembers && m < DEDUP_MEMBERS; m++) {
		size_t first = t->members[m].first_row;
		size_t end = m + 2 < t->nmembers ? t->members[m + 1].first_row : last->first_row;

		if (end - first != n || !n)
			continue;
		for (k = 0; k < n && rows_equal(&t->rows[first + k], &t->rows[last->first_row + k]);
		     k++)
			;
		if (k < n)
			continue;
		while (t->nrows > last->first_row)
			row_release(&t->rows[--t->nrows]);
		return;
	}
}

static void member_end(struct table *t)
{
	size_t k;

	if (!t->open)
		return;
	table_parse_end(t);
	drop_repeat(t);
	for (k = 0; k < t->nctx; k++) {
		free(t->ctx[k].name);
		free(t->ctx[k].text);
	}
	t->nctx = 0;
	strv_free(t->pending);
	t->pending = NULL;
	t->npending = 0;
	free(t->cols);
	t->cols = NULL;
	t->ncols = 0;
	buf_reset(&t->value);
	t->open = 0;
}

/* ---- the set ---------------------------------------------------------------------- */

struct table_set *table_set_new(const struct catalog *cat)
{
	struct table_set *ts = xcalloc(1, sizeof(*ts));
	size_t s;

	ts->cat = cat;
	ts->t = xcalloc(cat->nr + 1, sizeof(*ts->t));
	for (s = 0; s < cat->nr; s++) {
		struct table *t;

		if (!cat->items[s].table)
			continue;
		t = ts->t[s] = xcalloc(1, sizeof(*t));
		t->source = cat->items[s].name;
		t->spec = cat->items[s].table;
		t->set_bytes = &ts->bytes;
		t->cur = SIZE_MAX;
		buf_init(&t->value, 4096);
	}
	return ts;
}

static void table_free(struct table *t)
{
	size_t k;

	t->open = 0;
	for (k = 0; k < t->nctx; k++) {
		free(t->ctx[k].name);
		free(t->ctx[k].text);
	}
	free(t->ctx);
	strv_free(t->pending);
	free(t->cols);
	for (k = 0; k < t->nrows; k++)
		row_release(&t->rows[k]);
	free(t->rows);
	for (k = 0; k < t->nlines; k++)
		free(t->lines[k].text);
	free(t->lines);
	for (k = 0; k < t->nmembers; k++)
		free(t->members[k].path);
	free(t->members);
	free(t->by_key);
	buf_release(&t->value);
	pcre2_match_data_free(t->md);
	pcre2_match_context_free(t->mctx);
	free(t);
}

void table_set_free(struct table_set *ts)
{
	size_t s;

	if (!ts)
		return;
	for (s = 0; s < ts->cat->nr; s++)
		if (ts->t[s])
			table_free(ts->t[s]);
	free(ts->t);
	free(ts);
}

int table_set_want(const struct table_set *ts, size_t source)
{
	return source < ts->cat->nr && ts->t[source];
}

void table_set_begin(struct table_set *ts, size_t source, const char *path, const char *section,
		     unsigned order)
{
	struct table *t = table_set_want(ts, source) ? ts->t[source] : NULL;
	struct table_member *m;

	if (!t)
		return;
	member_end(t);
	if (!t->md) {
		t->md = pcre2_match_data_create(32, NULL);
		t->mctx = pcre2_match_context_create(NULL);
		pcre2_set_match_limit(t->mctx, TABLE_MATCH_LIMIT);
		pcre2_set_depth_limit(t->mctx, TABLE_MATCH_LIMIT / 10);
	}
	t->nwith = 0;
	ALLOC_GROW(t->members, t->nmembers + 1, t->amembers);
	m = &t->members[t->nmembers++];
	m->path = text_utf8(path, strlen(path));
	m->order = order;
	m->first_row = t->nrows;
	t->cur = SIZE_MAX;
	t->open = 1;
	if (t->spec->path) {
		const char *p = section ? section : path;

		table_captures(t, t->spec->path, p, strlen(p), SIZE_MAX, 0);
	}
}

void table_set_lines(struct table_set *ts, size_t source, const char *data, size_t len,
		     uint64_t first_line)
{
	struct table *t = table_set_want(ts, source) ? ts->t[source] : NULL;
	const char *p = data, *end = data + len;
	uint64_t lineno = first_line;

	if (!t || !t->open)
		return;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (n && p[n - 1] == '\r')
			n--;
		if (n > TABLE_LINE_MAX)
			t->bad++;
		else
			table_parse_line(t, p, n, lineno);
		lineno++;
		p = nl ? nl + 1 : end;
	}
}

static int key_cmp(const void *a, const void *b, void *ctx)
{
	const struct table *t = ctx;
	const char *ka = table_get(t, *(const size_t *)a, t->spec->key);
	const char *kb = table_get(t, *(const size_t *)b, t->spec->key);
	int c = strcmp(ka, kb);

	if (c)
		return c;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static void index_keys(struct table *t)
{
	size_t r;

	free(t->by_key);
	t->by_key = xcalloc(t->nrows + 1, sizeof(*t->by_key));
	t->nby_key = 0;
	for (r = 0; r < t->nrows; r++)
		if (table_get(t, r, t->spec->key))
			t->by_key[t->nby_key++] = r;
	qsort_r(t->by_key, t->nby_key, sizeof(*t->by_key), key_cmp, t);
}

void table_set_end(struct table_set *ts)
{
	size_t s;

	for (s = 0; s < ts->cat->nr; s++)
		if (ts->t[s]) {
			member_end(ts->t[s]);
			ts->t[s]->nwith = 0;
			if (ts->t[s]->spec->key)
				index_keys(ts->t[s]);
		}
}

const struct table *table_set_at(const struct table_set *ts, size_t source)
{
	return source < ts->cat->nr ? ts->t[source] : NULL;
}

const struct table *table_set_find(const struct table_set *ts, const char *source)
{
	const struct source *s = catalog_find(ts->cat, source);

	return s ? ts->t[s - ts->cat->items] : NULL;
}

const char *table_set_value(const struct table_set *ts, const char *source, const char *field)
{
	const struct table *t = table_set_find(ts, source);

	return t ? table_get(t, table_row_with(t, field), field) : NULL;
}
