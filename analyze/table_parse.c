/*
 * table_parse.c: lines into rows, one function per kind of table (see
 * table.h). Each reads one line of the current member and keeps what it
 * names; a line it cannot read is counted (table_bad()), never a stop.
 */
#include <ctype.h>
#include <string.h>
#include "casefile.h"
#include "table_state.h"

#define VALUE_MAX 4096		/* bytes of a value table's text */
#define TOKENS_MAX 256		/* words of a line placed by an aligned table */

struct tok {
	size_t start, end;
};

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

static int blank(const char *s, size_t n)
{
	while (n && is_space(*s))
		s++, n--;
	return !n;
}

static void trim(const char **s, size_t *n)
{
	while (*n && is_space(**s))
		(*s)++, (*n)--;
	while (*n && is_space((*s)[*n - 1]))
		(*n)--;
}

/* Up to max words of s from pos on: split on white space, or on each tab. */
static size_t tokens(const char *s, size_t n, size_t pos, char sep, struct tok *tok, size_t max)
{
	size_t k = 0, i = pos;

	if (sep == '\t') {
		while (k < max && i <= n) {
			const char *tab = memchr(s + i, '\t', n - i);
			size_t e = tab ? (size_t)(tab - s) : n;

			tok[k].start = i;
			tok[k++].end = e;
			i = e + 1;
		}
		return k;
	}
	while (k < max) {
		while (i < n && is_space(s[i]))
			i++;
		if (i >= n)
			break;
		tok[k].start = i;
		while (i < n && !is_space(s[i]))
			i++;
		tok[k++].end = i;
	}
	return k;
}

static int matches(struct table *t, const pcre2_code *re, const char *s, size_t n)
{
	int rc;

	if (!re)
		return 0;
	rc = pcre2_match(re, (PCRE2_SPTR)s, n, 0, 0, t->md, t->mctx);
	if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT)
		t->bad++;
	return rc > 0;
}

int table_captures(struct table *t, const pcre2_code *re, const char *s, size_t n, size_t row,
		   uint32_t line)
{
	uint32_t count, size, i;
	PCRE2_SPTR tab;
	PCRE2_SIZE *ov;
	int name = -1, value = -1;

	if (!matches(t, re, s, n))
		return 0;
	ov = pcre2_get_ovector_pointer(t->md);
	pcre2_pattern_info(re, PCRE2_INFO_NAMECOUNT, &count);
	pcre2_pattern_info(re, PCRE2_INFO_NAMEENTRYSIZE, &size);
	pcre2_pattern_info(re, PCRE2_INFO_NAMETABLE, &tab);
	/* a pair name and value names a field by the data; either alone is a field */
	if (t->spec->kind == TABLE_REGEX) {
		name = pcre2_substring_number_from_name(re, (PCRE2_SPTR)"name");
		value = pcre2_substring_number_from_name(re, (PCRE2_SPTR)"value");
		if (name < 0 || value < 0)
			name = value = -1;
	}
	for (i = 0; i < count; i++) {
		PCRE2_SPTR ent = tab + i * size;
		int g = (ent[0] << 8) | ent[1];
		const char *nm = (const char *)ent + 2;

		if (g == name || g == value)
			continue;
		if (ov[2 * g] == PCRE2_UNSET || ov[2 * g + 1] == ov[2 * g])
			continue;
		if (row == SIZE_MAX)
			table_set_ctx(t, nm, strlen(nm), s + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
		else
			table_add_own(t, row, nm, strlen(nm), s + ov[2 * g],
				      ov[2 * g + 1] - ov[2 * g], line);
	}
	if (name >= 0 && value >= 0 && ov[2 * name] != PCRE2_UNSET && ov[2 * value] != PCRE2_UNSET &&
	    row != SIZE_MAX)
		table_add_raw(t, row, s + ov[2 * name], ov[2 * name + 1] - ov[2 * name],
			      s + ov[2 * value], ov[2 * value + 1] - ov[2 * value], line);
	return 1;
}

/* ---- columns ------------------------------------------------------------------ */

static int starts_with_letter(const char *s)
{
	return isalpha((unsigned char)*s);
}

static void parse_columns(struct table *t, const char *s, size_t n, uint64_t lineno)
{
	const struct table_spec *sp = t->spec;
	struct tok tok[TABLE_COLUMNS_MAX + 1], cell[TABLE_COLUMNS_MAX];
	size_t ntok = tokens(s, n, 0, sp->sep, tok, sp->ncolumns), c, k = 0, required = 0, row;
	uint32_t line;

	for (c = 0; c < sp->ncolumns; c++)
		required += !sp->optional[c];
	for (c = 0; c < sp->ncolumns; c++) {
		int last = c + 1 == sp->ncolumns;

		cell[c].start = cell[c].end = SIZE_MAX;
		if (sp->optional[c] && !last) {
			/* present when it starts with a letter and the rest still fits */
			if (k < ntok && starts_with_letter(s + tok[k].start) && ntok - k > required)
				cell[c] = tok[k++];
			continue;
		}
		required--;
		if (k >= ntok) {
			if (sp->optional[c])
				continue;
			t->bad++;
			return;
		}
		cell[c] = tok[k++];
		if (last) {
			cell[c].end = n;
			while (cell[c].end > cell[c].start && is_space(s[cell[c].end - 1]))
				cell[c].end--;
		}
	}
	line = table_keep_line(t, s, n, lineno);
	row = table_new_row(t, line);
	for (c = 0; c < sp->ncolumns && row != SIZE_MAX; c++)
		if (cell[c].start != SIZE_MAX)
			table_add(t, row, sp->columns[c], strlen(sp->columns[c]), s + cell[c].start,
				  cell[c].end - cell[c].start, line);
}

/* ---- aligned ------------------------------------------------------------------ */

static void aligned_header(struct table *t, const char *s, size_t n)
{
	struct tok tok[TABLE_COLUMNS_MAX];
	size_t k, ntok = tokens(s, n, 0, 0, tok, TABLE_COLUMNS_MAX);

	free(t->cols);
	t->cols = xcalloc(ntok + 1, sizeof(*t->cols));
	t->ncols = 0;
	for (k = 0; k < ntok; k++) {
		struct table_col *c = &t->cols[t->ncols];

		if (!table_name(s + tok[k].start, tok[k].end - tok[k].start, c->name,
				sizeof(c->name)))
			continue;
		c->start = tok[k].start;
		c->end = tok[k].end;
		t->ncols++;
	}
}

/* The column a word belongs to: the header word it overlaps most, else the one left of it. */
static size_t column_of(const struct table *t, const struct tok *w)
{
	size_t c, best = 0, most = 0;

	if (w->start >= t->cols[t->ncols - 1].start)
		return t->ncols - 1;
	for (c = 0; c < t->ncols; c++) {
		size_t lo = w->start > t->cols[c].start ? w->start : t->cols[c].start;
		size_t hi = w->end < t->cols[c].end ? w->end : t->cols[c].end;

		if (hi > lo && hi - lo > most) {
			most = hi - lo;
			best = c;
		}
	}
	if (most)
		return best;
	for (c = t->ncols; c-- > 0; )
		if (t->cols[c].start <= w->start)
			return c;
	return 0;
}

static void parse_aligned(struct table *t, const char *s, size_t n, uint64_t lineno)
{
	struct tok tok[TOKENS_MAX], cell[TABLE_COLUMNS_MAX];
	size_t ntok, k, c, row;
	uint32_t line;

	if (!t->ncols) {
		t->bad++;
		return;
	}
	ntok = tokens(s, n, 0, 0, tok, TOKENS_MAX);
	for (c = 0; c < t->ncols; c++)
		cell[c].start = SIZE_MAX;
	for (k = 0; k < ntok; k++) {
		c = column_of(t, &tok[k]);
		if (cell[c].start == SIZE_MAX)
			cell[c].start = tok[k].start;
		cell[c].end = c + 1 == t->ncols ? n : tok[k].end;
		if (c + 1 == t->ncols)
			break;
	}
	line = table_keep_line(t, s, n, lineno);
	row = table_new_row(t, line);
	for (c = 0; c < t->ncols && row != SIZE_MAX; c++) {
		const char *v = s + cell[c].start;
		size_t vn;

		if (cell[c].start == SIZE_MAX)
			continue;
		vn = cell[c].end - cell[c].start;
		trim(&v, &vn);
		table_add(t, row, t->cols[c].name, strlen(t->cols[c].name), v, vn, line);
	}
}

/* ---- keyvalue, pairs ---------------------------------------------------------------- */

static void unquote(const char **v, size_t *n)
{
	if (*n >= 2 && ((*v)[0] == '"' || (*v)[0] == '\'') && (*v)[*n - 1] == (*v)[0]) {
		(*v)++;
		*n -= 2;
	}
}

static void parse_keyvalue(struct table *t, const char *s, size_t n, uint64_t lineno)
{
	const char *cut = NULL, *k = s, *v;
	size_t kn, vn, row;
	uint32_t line;

	if (t->spec->sep == ' ') {
		for (kn = 0; kn < n && is_space(s[kn]); kn++)
			;
		while (kn < n && !is_space(s[kn]))
			kn++;
		cut = kn < n ? s + kn : NULL;
	} else {
		cut = memchr(s, t->spec->sep, n);
	}
	if (!cut) {
		t->bad++;
		return;
	}
	kn = (size_t)(cut - s);
	v = cut + 1;
	vn = n - kn - 1;
	trim(&k, &kn);
	trim(&v, &vn);
	unquote(&v, &vn);
	line = table_keep_line(t, s, n, lineno);
	if (t->spec->per_line) {
		row = table_new_row(t, line);
		table_add(t, row, "key", 3, k, kn, line);
		table_add(t, row, "value", 5, v, vn, line);
		return;
	}
	row = table_cur_row(t, line);
	if (row != SIZE_MAX)
		table_add_raw(t, row, k, kn, v, vn, line);
}

static void pairs_add(struct table *t, size_t row, const char *pre, size_t pn, const char *k,
		      size_t kn, const char *v, size_t vn, uint32_t line)
{
	char name[TABLE_NAME_MAX * 2];
	size_t jn = strlen(t->spec->join);

	if (pn + jn + kn >= sizeof(name)) {
		t->bad++;
		return;
	}
	memcpy(name, pre, pn);
	if (pn)
		memcpy(name + pn, t->spec->join, jn);
	else
		jn = 0;
	memcpy(name + pn + jn, k, kn);
	table_add_raw(t, row, name, pn + jn + kn, v, vn, line);
}

static void parse_pairs(struct table *t, const char *s, size_t n, uint64_t lineno)
{
	struct tok tok[TOKENS_MAX];
	size_t ntok = tokens(s, n, 0, 0, tok, TOKENS_MAX), k = 0, pn = 0, row;
	const char *pre = s;
	uint32_t line = table_keep_line(t, s, n, lineno);

	row = table_cur_row(t, line);
	if (row == SIZE_MAX)
		return;
	if (t->spec->prefix && ntok) {
		pre = s + tok[0].start;
		pn = tok[0].end - tok[0].start;
		if (pn && pre[pn - 1] == ':')
			pn--;
		k = 1;
	}
	while (k < ntok) {
		const char *w = s + tok[k].start, *eq;
		size_t wn = tok[k].end - tok[k].start;

		if ((eq = memchr(w, '=', wn))) {
			pairs_add(t, row, pre, pn, w, (size_t)(eq - w), eq + 1,
				  wn - (size_t)(eq - w) - 1, line);
			k++;
		} else if (k + 1 < ntok) {
			pairs_add(t, row, pre, pn, w, wn, s + tok[k + 1].start,
				  tok[k + 1].end - tok[k + 1].start, line);
			k += 2;
		} else {
			t->bad++;
			k++;
		}
	}
}

/* ---- value ------------------------------------------------------------------------ */

static void parse_value(struct table *t, const char *s, size_t n, uint64_t lineno)
{
	trim(&s, &n);
	if (!t->value.len)
		t->value_line = table_keep_line(t, s, n, lineno);
	else if (t->value.len < VALUE_MAX)
		buf_addch(&t->value, ' ');
	if (t->value.len + n > VALUE_MAX) {
		t->bad++;
		n = t->value.len < VALUE_MAX ? VALUE_MAX - t->value.len : 0;
	}
	buf_add(&t->value, s, n);
}

/* The letters of the set bits of the value (the kernel's taint flags). */
static void value_flags(struct table *t, size_t row)
{
	char flags[65];
	double v;
	size_t b, k = 0;
	unsigned long long bits;

	if (table_number(t->value.data, t->value.len, &v) || v < 0 || v >= 18446744073709551616.0)
		return;
	bits = strtoull(t->value.data, NULL, 0);
	for (b = 0; b < t->spec->nbits && b < 64; b++)
		if (bits & (1ULL << b) && t->spec->bits[b][0])
			flags[k++] = t->spec->bits[b][0];
	table_add(t, row, "flags", 5, flags, k, t->value_line);
}

/* ---- regex -------------------------------------------------------------------------- */

/* A line of names (pending) whose values the next line holds. */
static int regex_names(struct table *t, const char *s, size_t n)
{
	PCRE2_SIZE *ov;
	struct tok tok[TOKENS_MAX];
	size_t ntok, k, pn = 0;
	const char *pre = "";
	int g;

	if (!matches(t, t->spec->names, s, n))
		return 0;
	ov = pcre2_get_ovector_pointer(t->md);
	g = pcre2_substring_number_from_name(t->spec->names, (PCRE2_SPTR)"prefix");
	if (g > 0 && ov[2 * g] != PCRE2_UNSET) {
		pre = s + ov[2 * g];
		pn = ov[2 * g + 1] - ov[2 * g];
		if (pn > TABLE_NAME_MAX / 2)
			pn = TABLE_NAME_MAX / 2;
	}
	ntok = tokens(s, n, ov[1], 0, tok, TOKENS_MAX);
	strv_free(t->pending);
	t->pending = xcalloc(ntok + 2, sizeof(*t->pending));
	t->npending = 0;
	/* the head of the names line ("Tcp:"), which the values line may repeat */
	for (k = ov[0]; k < ov[1] && is_space(s[k]); k++)
		;
	t->pending[t->npending++] = xstrndup(s + k, ov[1] - k);
	for (k = 0; k < ntok; k++) {
		char name[TABLE_NAME_MAX * 2];
		size_t jn = pn ? strlen(t->spec->join) : 0, wn = tok[k].end - tok[k].start;

		if (jn > 8)
			jn = 8;
		if (pn + jn + wn >= sizeof(name))
			wn = sizeof(name) - pn - jn - 1;
		memcpy(name, pre, pn);
		memcpy(name + pn, t->spec->join, jn);
		memcpy(name + pn + jn, s + tok[k].start, wn);
		name[pn + jn + wn] = '\0';
		t->pending[t->npending++] = xstrdup(name);
	}
	return 1;
}

static void regex_values(struct table *t, const char *s, size_t n, uint32_t line)
{
	struct tok tok[TOKENS_MAX];
	size_t ntok = tokens(s, n, 0, 0, tok, TOKENS_MAX), k = 0, i, row;
	const char *head = t->pending[0];

	if (ntok && *head && tok[0].end - tok[0].start == strlen(head) &&
	    !memcmp(s + tok[0].start, head, strlen(head)))
		k = 1;
	row = table_cur_row(t, line);
	for (i = 1; i < t->npending && k < ntok && row != SIZE_MAX; i++, k++)
		table_add_raw(t, row, t->pending[i], strlen(t->pending[i]), s + tok[k].start,
			      tok[k].end - tok[k].start, line);
	if (i < t->npending || k < ntok)
		t->bad++;
	strv_free(t->pending);
	t->pending = NULL;
	t->npending = 0;
}

static void parse_regex(struct table *t, const char *s, size_t n, uint64_t lineno)
{
	const struct table_spec *sp = t->spec;
	uint32_t line = UINT32_MAX;
	size_t k;

	if (t->pending) {
		regex_values(t, s, n, table_keep_line(t, s, n, lineno));
		return;
	}
	if (regex_names(t, s, n))
		return;
	for (k = 0; k < sp->ncontext; k++)
		if (table_captures(t, sp->context[k], s, n, SIZE_MAX, 0))
			t->cur = SIZE_MAX;
	for (k = 0; k < sp->nrows; k++)
		if (matches(t, sp->rows[k], s, n)) {
			line = table_keep_line(t, s, n, lineno);
			table_captures(t, sp->rows[k], s, n, table_new_row(t, line), line);
			break;
		}
	for (k = 0; k < sp->nfields; k++) {
		if (!matches(t, sp->fields[k], s, n))
			continue;
		if (line == UINT32_MAX)
			line = table_keep_line(t, s, n, lineno);
		table_captures(t, sp->fields[k], s, n, table_cur_row(t, line), line);
	}
}

/* ---- by kind ------------------------------------------------------------------------ */

void table_parse_line(struct table *t, const char *s, size_t n, uint64_t lineno)
{
	const struct table_spec *sp = t->spec;

	if (sp->kind == TABLE_ALIGNED && matches(t, sp->header, s, n)) {
		aligned_header(t, s, n);
		return;
	}
	if (blank(s, n) && !t->pending)
		return;
	if (matches(t, sp->skip, s, n) || matches(t, sp->exclude, s, n) ||
	    (sp->kind == TABLE_COLUMNS && matches(t, sp->header, s, n)))
		return;
	if (sp->section && sp->kind != TABLE_REGEX && matches(t, sp->section, s, n)) {
		uint32_t line = table_keep_line(t, s, n, lineno);

		table_captures(t, sp->section, s, n, table_new_row(t, line), line);
		return;
	}
	switch (sp->kind) {
	case TABLE_COLUMNS: parse_columns(t, s, n, lineno); break;
	case TABLE_ALIGNED: parse_aligned(t, s, n, lineno); break;
	case TABLE_KEYVALUE: parse_keyvalue(t, s, n, lineno); break;
	case TABLE_PAIRS: parse_pairs(t, s, n, lineno); break;
	case TABLE_VALUE: parse_value(t, s, n, lineno); break;
	case TABLE_REGEX: parse_regex(t, s, n, lineno); break;
	default: break;
	}
}

void table_parse_end(struct table *t)
{
	size_t row;

	if (t->spec->kind != TABLE_VALUE || !t->value.len)
		return;
	row = table_new_row(t, t->value_line);
	if (row == SIZE_MAX)
		return;
	table_add(t, row, "value", 5, t->value.data, t->value.len, t->value_line);
	if (t->spec->bits)
		value_flags(t, row);
}
