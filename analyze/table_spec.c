/*
 * table_spec.c: a source's "table:" declaration (see table.h and the
 * comments of rules/sources.yaml): its kind, its options, its patterns
 * compiled once.
 */
#include <ctype.h>
#include <string.h>
#include "casefile.h"
#include "table_state.h"

static const char *const kind_names[TABLE_KIND_NR] = {
	"columns", "aligned", "keyvalue", "pairs", "value", "regex"
};

static const char *const spec_keys[] = {
	"kind", "columns", "header", "skip", "exclude", "separator", "row_per_line", "prefix",
	"join", "key", "bits", "types", "section", "names", "path", "rows", "fields",
	"context", NULL
};

const char *table_kind_name(enum table_kind k)
{
	return k < TABLE_KIND_NR ? kind_names[k] : "?";
}

enum table_kind table_spec_kind(const struct table_spec *s)
{
	return s->kind;
}

const char *table_spec_key(const struct table_spec *s)
{
	return s->key;
}

enum table_type table_spec_type(const struct table_spec *s, const char *field)
{
	size_t i;

	for (i = 0; i < s->ntypes; i++)
		if (!strcmp(s->types[i].name, field))
			return s->types[i].type;
	return TYPE_AUTO;
}

int table_spec_has(const struct table_spec *s, const char *field)
{
	size_t i;

	if (!s->known)
		return -1;
	for (i = 0; s->known[i]; i++)
		if (!strcmp(s->known[i], field))
			return 1;
	return 0;
}

static void free_codes(pcre2_code **v, size_t n)
{
	while (n--)
		pcre2_code_free(v[n]);
	free(v);
}

void table_spec_free(struct table_spec *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->ncolumns; i++)
		free(s->columns[i]);
	free(s->columns);
	free(s->optional);
	free(s->join);
	free(s->key);
	strv_free(s->bits);
	for (i = 0; i < s->ntypes; i++)
		free(s->types[i].name);
	free(s->types);
	pcre2_code_free(s->skip);
	pcre2_code_free(s->exclude);
	pcre2_code_free(s->header);
	pcre2_code_free(s->section);
	pcre2_code_free(s->names);
	pcre2_code_free(s->path);
	free_codes(s->rows, s->nrows);
	free_codes(s->fields, s->nfields);
	free_codes(s->context, s->ncontext);
	strv_free(s->known);
	free(s);
}

static int compile_one(struct ydoc *d, yaml_node_t *at, const char *source, const char *what,
		       const char *text, pcre2_code **out, struct buf *err)
{
	PCRE2_UCHAR msg[160];
	PCRE2_SIZE off;
	int code;

	*out = pcre2_compile((PCRE2_SPTR)text, PCRE2_ZERO_TERMINATED, 0, &code, &off, NULL);
	if (*out)
		return 0;
	pcre2_get_error_message(code, msg, sizeof(msg));
	return ydoc_error(d, at, err, "source '%s': table %s '%s' does not compile at offset "
			  "%zu: %s", source, what, text, (size_t)off, (const char *)msg);
}

/* key: 'pattern' or key: ['pattern', ...] */
static int compile_list(struct ydoc *d, yaml_node_t *map, const char *key, const char *source,
			pcre2_code ***out, size_t *n, struct buf *err)
{
	yaml_node_t *node = ydoc_get(d, map, key);
	char **texts = NULL;
	size_t i;
	int bad = 0;

	if (!node)
		return 0;
	if (ydoc_strv(d, node, key, &texts, err) < 0)
		return CF_ERR_PARSE;
	*n = strv_len(texts);
	*out = xcalloc(*n + 1, sizeof(**out));
	for (i = 0; i < *n; i++)
		if (compile_one(d, node, source, key, texts[i], &(*out)[i], err))
			bad = CF_ERR_PARSE;
	strv_free(texts);
	return bad;
}

static int compile_key(struct ydoc *d, yaml_node_t *map, const char *key, const char *source,
		       pcre2_code **out, struct buf *err)
{
	yaml_node_t *node = ydoc_get(d, map, key);
	const char *v = ydoc_scalar(node);

	if (!node)
		return 0;
	if (!v || !*v)
		return ydoc_error(d, node, err, "source '%s': table '%s' must be a pattern",
				  source, key);
	return compile_one(d, node, source, key, v, out, err);
}

static int valid_field(const char *s)
{
	char norm[TABLE_NAME_MAX];
	size_t n = strlen(s);

	return n && table_name(s, n, norm, sizeof(norm)) == n && !strcmp(norm, s);
}

/* columns: [a, 'b?', c]; '?': optional (the last, or one that starts with a letter) */
static int parse_columns(struct ydoc *d, yaml_node_t *t, struct table_spec *s,
			 const char *source, struct buf *err)
{
	char **cols = NULL;
	size_t i;

	if (ydoc_strv(d, ydoc_get(d, t, "columns"), "columns", &cols, err) <= 0) {
		strv_free(cols);
		return ydoc_error(d, t, err, "source '%s': a columns table needs 'columns'", source);
	}
	s->ncolumns = strv_len(cols);
	if (s->ncolumns > TABLE_COLUMNS_MAX) {
		strv_free(cols);
		return ydoc_error(d, t, err, "source '%s': at most %d columns", source,
				  TABLE_COLUMNS_MAX);
	}
	s->columns = xcalloc(s->ncolumns + 1, sizeof(*s->columns));
	s->optional = xcalloc(s->ncolumns + 1, 1);
	for (i = 0; i < s->ncolumns; i++) {
		size_t len = strlen(cols[i]);

		s->optional[i] = len > 1 && cols[i][len - 1] == '?';
		s->columns[i] = xstrndup(cols[i], len - s->optional[i]);
		if (!valid_field(s->columns[i])) {
			ydoc_error(d, t, err, "source '%s': column '%s' must be letters, digits, "
				   "'_', '.' or '-' (a '?' after it makes it optional)", source,
				   cols[i]);
			strv_free(cols);
			return CF_ERR_PARSE;
		}
	}
	strv_free(cols);
	return 0;
}

static int parse_types(struct ydoc *d, yaml_node_t *map, struct table_spec *s,
		       const char *source, struct buf *err)
{
	static const char *const names[] = { "number", "text", "dpkg-version", "rpm-version" };
	static const enum table_type types[] = { TYPE_AUTO, TYPE_TEXT, TYPE_DPKG, TYPE_RPM };
	yaml_node_pair_t *p;
	size_t k;

	if (!map)
		return 0;
	if (map->type != YAML_MAPPING_NODE)
		return ydoc_error(d, map, err, "source '%s': table 'types' maps a field to "
				  "number, text, dpkg-version or rpm-version", source);
	s->types = xcalloc((size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start)
			   + 1, sizeof(*s->types));
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		const char *f = ydoc_scalar(ydoc_node(d, p->key));
		const char *v = ydoc_scalar(ydoc_node(d, p->value));

		for (k = 0; v && k < ARRAY_SIZE(names) && strcmp(names[k], v); k++)
			;
		if (!f || !valid_field(f) || !v || k == ARRAY_SIZE(names))
			return ydoc_error(d, ydoc_node(d, p->key), err, "source '%s': a field's "
					  "type is number, text, dpkg-version or rpm-version",
					  source);
		s->types[s->ntypes].name = xstrdup(f);
		s->types[s->ntypes].type = types[k];
		s->ntypes++;
	}
	return 0;
}

static void known_add(char ***known, const char *name)
{
	size_t i;

	for (i = 0; *known && (*known)[i]; i++)
		if (!strcmp((*known)[i], name))
			return;
	strv_push(known, xstrdup(name));
}

/* The capture names of a pattern; 1 when it names its fields from the data (name, value). */
static int known_captures(char ***known, const pcre2_code *re)
{
	uint32_t count, size, i;
	PCRE2_SPTR tab;
	int dynamic;

	if (!re)
		return 0;
	dynamic = pcre2_substring_number_from_name(re, (PCRE2_SPTR)"name") > 0 &&
		  pcre2_substring_number_from_name(re, (PCRE2_SPTR)"value") > 0;
	pcre2_pattern_info(re, PCRE2_INFO_NAMECOUNT, &count);
	pcre2_pattern_info(re, PCRE2_INFO_NAMEENTRYSIZE, &size);
	pcre2_pattern_info(re, PCRE2_INFO_NAMETABLE, &tab);
	for (i = 0; i < count; i++) {
		const char *n = (const char *)tab + i * size + 2;

		if (!dynamic || (strcmp(n, "name") && strcmp(n, "value")))
			known_add(known, n);
	}
	return dynamic;
}

/* Which names a row can have, when the declaration alone says so. */
static void known_names(struct table_spec *s)
{
	char **k = NULL;
	size_t i;
	int dynamic = 0;

	switch (s->kind) {
	case TABLE_COLUMNS:
		for (i = 0; i < s->ncolumns; i++)
			known_add(&k, s->columns[i]);
		break;
	case TABLE_VALUE:
		known_add(&k, "value");
		if (s->bits)
			known_add(&k, "flags");
		break;
	case TABLE_REGEX:
		dynamic = !!s->names;
		for (i = 0; i < s->nrows; i++)
			dynamic |= known_captures(&k, s->rows[i]);
		for (i = 0; i < s->nfields; i++)
			dynamic |= known_captures(&k, s->fields[i]);
		for (i = 0; i < s->ncontext; i++)
			dynamic |= known_captures(&k, s->context[i]);
		break;
	default:
		dynamic = 1;
	}
	dynamic |= known_captures(&k, s->path) | known_captures(&k, s->section);
	if (dynamic) {
		strv_free(k);
		k = NULL;
	} else if (!k) {
		k = xcalloc(1, sizeof(*k));
	}
	s->known = k;
}

static int parse_kind(struct ydoc *d, yaml_node_t *t, struct table_spec *s, const char *source,
		      struct buf *err)
{
	yaml_node_t *n = ydoc_get(d, t, "kind");
	const char *v = ydoc_scalar(n);
	int k;

	if (!n) {
		/* the first tables (df) said only their columns */
		s->kind = TABLE_COLUMNS;
		return 0;
	}
	for (k = 0; v && k < TABLE_KIND_NR && strcmp(kind_names[k], v); k++)
		;
	if (!v || k == TABLE_KIND_NR)
		return ydoc_error(d, n, err, "source '%s': table kind must be columns, aligned, "
				  "keyvalue, pairs, value or regex%s%s%s", source, v ? " (not '" : "",
				  v ? v : "", v ? "')" : "");
	s->kind = (enum table_kind)k;
	return 0;
}

static int parse_bool(struct ydoc *d, yaml_node_t *t, const char *key, int dflt, int *out,
		      struct buf *err)
{
	yaml_node_t *n = ydoc_get(d, t, key);
	const char *v = ydoc_scalar(n);

	*out = dflt;
	if (!n)
		return 0;
	if (!v || (strcmp(v, "true") && strcmp(v, "false")))
		return ydoc_error(d, n, err, "table '%s' must be true or false", key);
	*out = !strcmp(v, "true");
	return 0;
}

/* separator: ':', '=', ' ' (white space) or 'tab' */
static int parse_sep(struct ydoc *d, yaml_node_t *t, struct table_spec *s, struct buf *err)
{
	yaml_node_t *n = ydoc_get(d, t, "separator");
	const char *v = ydoc_scalar(n);

	s->sep = s->kind == TABLE_KEYVALUE ? ':' : 0;
	if (!n)
		return 0;
	if (v && !strcmp(v, "tab"))
		s->sep = '\t';
	else if (v && (!strcmp(v, ":") || !strcmp(v, "=")))
		s->sep = v[0];
	else if (v && (!strcmp(v, " ") || !strcmp(v, "space")))
		s->sep = ' ';
	else
		return ydoc_error(d, n, err, "table 'separator' is ':', '=', 'space' or 'tab'");
	return 0;
}

static int parse_options(struct ydoc *d, yaml_node_t *t, struct table_spec *s,
			 const char *source, struct buf *err)
{
	const char *v;
	int bad = 0;

	bad |= parse_sep(d, t, s, err) != 0;
	bad |= parse_bool(d, t, "row_per_line", 0, &s->per_line, err) != 0;
	bad |= parse_bool(d, t, "prefix", 1, &s->prefix, err) != 0;
	v = ydoc_scalar(ydoc_get(d, t, "join"));
	s->join = xstrdup(v ? v : "_");
	if ((v = ydoc_scalar(ydoc_get(d, t, "key"))))
		s->key = xstrdup(v);
	if (ydoc_strv(d, ydoc_get(d, t, "bits"), "bits", &s->bits, err) < 0)
		bad = 1;
	s->nbits = strv_len(s->bits);
	if (s->nbits > 64)
		bad |= ydoc_error(d, t, err, "source '%s': at most 64 bits", source) != 0;
	bad |= parse_types(d, ydoc_get(d, t, "types"), s, source, err) != 0;
	bad |= compile_key(d, t, "skip", source, &s->skip, err) != 0;
	bad |= compile_key(d, t, "exclude", source, &s->exclude, err) != 0;
	bad |= compile_key(d, t, "header", source, &s->header, err) != 0;
	bad |= compile_key(d, t, "section", source, &s->section, err) != 0;
	bad |= compile_key(d, t, "names", source, &s->names, err) != 0;
	bad |= compile_key(d, t, "path", source, &s->path, err) != 0;
	bad |= compile_list(d, t, "rows", source, &s->rows, &s->nrows, err) != 0;
	bad |= compile_list(d, t, "fields", source, &s->fields, &s->nfields, err) != 0;
	bad |= compile_list(d, t, "context", source, &s->context, &s->ncontext, err) != 0;
	return bad ? CF_ERR_PARSE : 0;
}

int table_spec_parse(struct ydoc *d, yaml_node_t *t, const char *source,
		     struct table_spec **out, struct buf *err)
{
	struct table_spec *s;

	*out = NULL;
	if (t->type != YAML_MAPPING_NODE)
		return ydoc_error(d, t, err, "source '%s': 'table' must be a mapping: kind and "
				  "its options (rules/sources.yaml)", source);
	if (ydoc_check_keys(d, t, spec_keys, "a table", err))
		return CF_ERR_PARSE;
	s = xcalloc(1, sizeof(*s));
	if (parse_kind(d, t, s, source, err) || parse_options(d, t, s, source, err))
		goto fail;
	if (s->kind == TABLE_COLUMNS && parse_columns(d, t, s, source, err))
		goto fail;
	if (s->kind == TABLE_ALIGNED && !s->header) {
		ydoc_error(d, t, err, "source '%s': an aligned table needs 'header', the pattern "
			   "of its header line", source);
		goto fail;
	}
	if (s->kind == TABLE_REGEX && !s->nrows && !s->nfields && !s->names) {
		ydoc_error(d, t, err, "source '%s': a regex table needs 'rows', 'fields' or "
			   "'names'", source);
		goto fail;
	}
	if (s->key && !valid_field(s->key)) {
		ydoc_error(d, t, err, "source '%s': key '%s' is no field name", source, s->key);
		goto fail;
	}
	known_names(s);
	*out = s;
	return 0;
fail:
	table_spec_free(s);
	return CF_ERR_PARSE;
}
