/*
 * table.c: the typed tables of one bundle (see table.h): rows kept within
 * their caps, members read twice dropped, lookups by field and by key.
 */
#include <ctype.h>
#include <string.h>
#include "casefile.h"
#include "table_state.h"
#include "text.h"

struct table_set {
	const struct catalog *cat;
	struct table **t;	/* per source of the catalogue; NULL: no table */
	size_t bytes;		/* kept by all of them (TABLE_SET_BYTES_MAX) */
};

/* what an allocation costs beyond its bytes, for the caps */
#define ALLOC_OVERHEAD 16

#define DEDUP_MEMBERS 64	/* earlier members a new one is compared with */

size_t table_name(const char *s, size_t n, char *out, size_t size)
{
	size_t i, k = 0;

	for (i = 0; i < n && k + 1 < size; i++) {
		unsigned char c = (unsigned char)s[i];

		if (isalnum(c) || c == '.' || c == '-' || c == '_')
			out[k++] = (char)c;
		else if (k && out[k - 1] != '_')
			out[k++] = '_';
	}
	while (k && (out[k - 1] == '_' || out[k - 1] == '.' || out[k - 1] == '-'))
		k--;
	if (size)
		out[k] = '\0';
	return k;
}

int table_number(const char *s, size_t n, double *out)
{
	char num[64], *end;
	size_t i = 0, k = 0;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		num[k++] = s[i++];
	/* a digit, or a point and a digit: never "inf", "nan" or a word */
	if (i >= n || !(isdigit((unsigned char)s[i]) ||
			(s[i] == '.' && i + 1 < n && isdigit((unsigned char)s[i + 1]))))
		return -1;
	while (i < n && k + 1 < sizeof(num) && (isxdigit((unsigned char)s[i]) || s[i] == '.' ||
		s[i] == 'x' || s[i] == 'X' || ((s[i] == '+' || s[i] == '-') && k &&
		(num[k - 1] == 'e' || num[k - 1] == 'E'))))
		num[k++] = s[i++];
	num[k] = '\0';
	*out = strtod(num, &end);
	return end == num ? -1 : 0;
}

/* ---- building ----------------------------------------------------------------- */

static int over_cap(struct table *t, size_t more)
{
	more += 2 * ALLOC_OVERHEAD;
	if (t->bytes + more > TABLE_BYTES_MAX || *t->set_bytes + more > TABLE_SET_BYTES_MAX) {
		t->bad++;
		return 1;
	}
	t->bytes += more;
	*t->set_bytes += more;
	return 0;
}

size_t table_word(const char *s, size_t n, size_t idx, const char **w)
{
	size_t i = 0, k = 0, start;

	while (idx) {
		while (i < n && isspace((unsigned char)s[i]))
			i++;
		if (i >= n)
			return 0;
		start = i;
		while (i < n && !isspace((unsigned char)s[i]))
			i++;
		if (++k == idx) {
			*w = s + start;
			return i - start;
		}
	}
	return 0;
}

uint32_t table_keep_line(struct table *t, const char *s, size_t n, uint64_t lineno)
{
	struct table_line *l;

	if (t->nlines && t->lines[t->nlines - 1].lineno == lineno &&
	    t->lines[t->nlines - 1].member == t->nmembers - 1)
		return (uint32_t)(t->nlines - 1);
	if (t->nlines >= UINT32_MAX - 1 || over_cap(t, n + sizeof(*l)))
		return UINT32_MAX;
	ALLOC_GROW(t->lines, t->nlines + 1, t->alines);
	l = &t->lines[t->nlines];
	l->member = (uint32_t)(t->nmembers - 1);
	l->lineno = lineno;
	l->text = text_utf8(s, n);
	return (uint32_t)t->nlines++;
}

size_t table_new_row(struct table *t, uint32_t line)
{
	struct table_row *r;
	size_t k;

	if (t->nrows >= TABLE_ROWS_MAX || over_cap(t, sizeof(*r))) {
		if (t->nrows >= TABLE_ROWS_MAX)
			t->bad++;
		return t->cur = SIZE_MAX;
	}
	ALLOC_GROW(t->rows, t->nrows + 1, t->arows);
	r = &t->rows[t->nrows];
	memset(r, 0, sizeof(*r));
	r->line = line;
	t->cur = t->nrows++;
	for (k = 0; k < t->nctx; k++)
		if (!table_add(t, t->cur, t->ctx[k].name, strlen(t->ctx[k].name), t->ctx[k].text,
			       strlen(t->ctx[k].text), line))
			r->f[r->n - 1].context = 1;
	return t->cur;
}

size_t table_cur_row(struct table *t, uint32_t line)
{
	if (t->cur != SIZE_MAX)
		return t->cur;
	if (t->nrows >= TABLE_ROWS_MAX)
		return SIZE_MAX;	/* counted once, at the row that did not fit */
	return table_new_row(t, line);
}

int table_add(struct table *t, size_t row, const char *name, size_t nn, const char *text,
	      size_t tn, uint32_t line)
{
	struct table_row *r;
	struct table_field *f;

	if (row >= t->nrows)
		return -1;
	r = &t->rows[row];
	if (r->n >= TABLE_FIELDS_MAX) {
		t->bad++;
		return -1;
	}
	if (over_cap(t, nn + tn + 2 + sizeof(*f)))
		return -1;
	if (r->n == r->alloc) {
		r->alloc = r->alloc ? r->alloc * 2 : 8;
		r->f = xrealloc(r->f, r->alloc * sizeof(*r->f));
	}
	f = &r->f[r->n++];
	f->name = xstrndup(name, nn);
	f->text = text_utf8(text, tn);
	f->line = line;
	f->context = 0;
	return 0;
}

int table_add_own(struct table *t, size_t row, const char *name, size_t nn, const char *text,
		  size_t tn, uint32_t line)
{
	struct table_row *r;
	uint32_t k;

	if (row >= t->nrows)
		return -1;
	r = &t->rows[row];
	for (k = 0; k < r->n; k++)
		if (r->f[k].context && strlen(r->f[k].name) == nn && !memcmp(r->f[k].name, name, nn)) {
			free(r->f[k].text);
			r->f[k].text = text_utf8(text, tn);
			r->f[k].line = line;
			r->f[k].context = 0;
			return 0;
		}
	return table_add(t, row, name, nn, text, tn, line);
}

int table_add_raw(struct table *t, size_t row, const char *name, size_t nn, const char *text,
		  size_t tn, uint32_t line)
{
	char norm[TABLE_NAME_MAX];
	size_t n = table_name(name, nn, norm, sizeof(norm));

	if (!n || nn >= TABLE_NAME_MAX) {
		t->bad++;
		return -1;
	}
	return table_add(t, row, norm, n, text, tn, line);
}

void table_set_ctx(struct table *t, const char *name, size_t nn, const char *text, size_t tn)
{
	char norm[TABLE_NAME_MAX];
	size_t k, n = table_name(name, nn, norm, sizeof(norm));

	if (!n)
		return;
	for (k = 0; k < t->nctx; k++)
		if (!strcmp(t->ctx[k].name, norm)) {
			free(t->ctx[k].text);
			t->ctx[k].text = text_utf8(text, tn);
			return;
		}
	if (t->nctx >= 64)
		return;
	ALLOC_GROW(t->ctx, t->nctx + 1, t->actx);
	t->ctx[t->nctx].name = xstrndup(norm, n);
	t->ctx[t->nctx].text = text_utf8(text, tn);
	t->nctx++;
}

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
