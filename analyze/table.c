/*
 * table.c: one typed table's rows (see table_state.h): field names and
 * numbers as tables read them, rows and fields kept within their caps, a
 * member's context fields. The parsers (table_parse.c) fill them, the set
 * of a bundle's tables (table_set.c) owns them, lookups (table_lookup.c)
 * read them.
 */
#include <ctype.h>
#include <string.h>
#include "casefile.h"
#include "table_state.h"
#include "text.h"

/* what an allocation costs beyond its bytes, for the caps */
#define ALLOC_OVERHEAD 16

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
		return CF_ERR_NOTFOUND;
	r = &t->rows[row];
	if (r->n >= TABLE_FIELDS_MAX) {
		t->bad++;
		return CF_ERR_CAP;
	}
	if (over_cap(t, nn + tn + 2 + sizeof(*f)))
		return CF_ERR_CAP;
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
		return CF_ERR_NOTFOUND;
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
		return CF_ERR_PARSE;
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
