/*
 * table_lookup.c: reading the typed tables (see table.h): fields by name,
 * rows by key or by the field they have, where a row was read.
 */
#include <string.h>
#include "casefile.h"
#include "table_state.h"

size_t table_rows(const struct table *t)
{
	return t->nrows;
}

uint64_t table_bad(const struct table *t)
{
	return t->bad;
}

const struct table_spec *table_spec(const struct table *t)
{
	return t->spec;
}

const char *table_source(const struct table *t)
{
	return t->source;
}

static const struct table_field *field_of(const struct table *t, size_t row, const char *name)
{
	const struct table_row *r;
	uint32_t k;

	if (row >= t->nrows)
		return NULL;
	r = &t->rows[row];
	for (k = 0; k < r->n; k++)
		if (!strcmp(r->f[k].name, name))
			return &r->f[k];
	return NULL;
}

const char *table_get(const struct table *t, size_t row, const char *field)
{
	const struct table_field *f = field_of(t, row, field);

	return f ? f->text : NULL;
}

int table_num(const struct table *t, size_t row, const char *field, double *out)
{
	const char *s = table_get(t, row, field);

	return s ? table_number(s, strlen(s), out) : -1;
}

size_t table_find_row(const struct table *t, const char *key, size_t n)
{
	size_t lo = 0, hi = t->nby_key;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *k = table_get(t, t->by_key[mid], t->spec->key);
		int c = strncmp(k, key, n);

		if (!c && k[n])
			c = 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < t->nby_key) {
		const char *k = table_get(t, t->by_key[lo], t->spec->key);

		if (!strncmp(k, key, n) && !k[n])
			return t->by_key[lo];
	}
	return SIZE_MAX;
}

/*
 * A rule asks for another table's field once per row it tests: the answer
 * is kept by the pointer of the rule's own string (the tables are complete
 * by then), so a table of many rows is not scanned again for every row.
 */
size_t table_row_with(const struct table *t, const char *field)
{
	struct table *m = (struct table *)t;	/* the cache only */
	size_t r;
	unsigned k;

	for (k = 0; k < t->nwith && k < ARRAY_SIZE(t->with); k++)
		if (t->with[k].field == field && !strcmp(t->with[k].name, field))
			return t->with[k].row;
	for (r = 0; r < t->nrows && !field_of(t, r, field); r++)
		;
	if (r == t->nrows)
		r = SIZE_MAX;
	k = m->nwith++ % ARRAY_SIZE(m->with);
	m->with[k].field = field;
	snprintf(m->with[k].name, sizeof(m->with[k].name), "%s", field);
	m->with[k].row = strlen(field) < sizeof(m->with[k].name) ? r : SIZE_MAX - 1;
	if (m->with[k].row == SIZE_MAX - 1)
		m->with[k].field = NULL;	/* too long to remember */
	return r;
}

size_t table_nfields(const struct table *t, size_t row)
{
	return row < t->nrows ? t->rows[row].n : 0;
}

const char *table_field_name(const struct table *t, size_t row, size_t k)
{
	return row < t->nrows && k < t->rows[row].n ? t->rows[row].f[k].name : NULL;
}

const char *table_field_text(const struct table *t, size_t row, size_t k)
{
	return row < t->nrows && k < t->rows[row].n ? t->rows[row].f[k].text : NULL;
}

int table_where(const struct table *t, size_t row, const char *field, struct table_where *w)
{
	const struct table_field *f = NULL;
	const struct table_line *l;
	uint32_t line;

	if (row >= t->nrows)
		return CF_ERR_NOTFOUND;
	if (field && !(f = field_of(t, row, field)))
		return CF_ERR_NOTFOUND;
	line = f ? f->line : t->rows[row].line;
	if (line >= t->nlines)
		return CF_ERR_NOTFOUND;
	l = &t->lines[line];
	w->path = t->members[l->member].path;
	w->line = l->lineno;
	w->text = l->text;
	w->order = t->members[l->member].order;
	return 0;
}
