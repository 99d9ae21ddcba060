/*
 * causality.c: the causal order of categories and the entity tables, from
 * rules/causality.yaml and rules/entities.yaml (see causality.h).
 */
#include <errno.h>
#include <string.h>
#include "casefile.h"
#include "causality.h"
#include "embedded.h"
#include "rules.h"
#include "yamlutil.h"

#define DATA_FILE_MAX (1024 * 1024)

static int parse_tiers(struct ydoc *d, yaml_node_t *n, struct causality *c, struct buf *err)
{
	yaml_node_item_t *it;

	if (!n)
		return 0;
	if (n->type != YAML_SEQUENCE_NODE)
		return ydoc_error(d, n, err, "'tiers' must be a list of lists of categories");
	while (c->ntiers)
		strv_free(c->tiers[--c->ntiers]);
	free(c->tiers);
	c->tiers = xcalloc((size_t)(n->data.sequence.items.top - n->data.sequence.items.start) + 1,
			   sizeof(*c->tiers));
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *tier = ydoc_node(d, *it);

		if (tier->type != YAML_SEQUENCE_NODE)
			return ydoc_error(d, tier, err, "a tier is a list of categories: "
					  "[storage.io-error, network.*]");
		if (ydoc_list(d, tier, "tier", &c->tiers[c->ntiers++], err) < 0)
			return CF_ERR_PARSE;
	}
	return 0;
}

static void release_named(struct causality *c)
{
	while (c->nnamed) {
		struct named_cause *nc = &c->named[--c->nnamed];

		free(nc->category);
		pcre2_code_free(nc->text);
		strv_free(nc->causes);
	}
	free(c->named);
	c->named = NULL;
}

static void release_programs(struct causality *c)
{
	while (c->nprograms) {
		free(c->programs[--c->nprograms].program);
		strv_free(c->programs[c->nprograms].units);
	}
	free(c->programs);
	c->programs = NULL;
}

/* Each key a later file gives replaces what an earlier one gave. */
static int parse_named(struct ydoc *d, yaml_node_t *n, struct causality *c, struct buf *err)
{
	static const char *const keys[] = { "category", "text", "causes", NULL };
	yaml_node_item_t *it;

	if (!n)
		return 0;
	release_named(c);
	if (n->type != YAML_SEQUENCE_NODE)
		return ydoc_error(d, n, err, "'named_causes' must be a list");
	c->named = xcalloc((size_t)(n->data.sequence.items.top - n->data.sequence.items.start) + 1,
			   sizeof(*c->named));
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *m = ydoc_node(d, *it);
		struct named_cause *nc = &c->named[c->nnamed];
		const char *cat, *text;
		PCRE2_SIZE off;
		int code;

		if (m->type != YAML_MAPPING_NODE || ydoc_check_keys(d, m, keys, "a named cause", err) ||
		    !(cat = ydoc_scalar(ydoc_get(d, m, "category"))) ||
		    !(text = ydoc_scalar(ydoc_get(d, m, "text"))))
			return ydoc_error(d, m, err, "a named cause is {category: C, text: REGEX, "
					  "causes: [CATEGORY...]}");
		nc->text = pcre2_compile((PCRE2_SPTR)text, PCRE2_ZERO_TERMINATED, 0, &code, &off,
					 NULL);
		if (!nc->text)
			return ydoc_error(d, m, err, "text '%s' does not compile at offset %zu", text,
					  (size_t)off);
		nc->category = xstrdup(cat);
		c->nnamed++;
		if (ydoc_list(d, ydoc_get(d, m, "causes"), "causes", &nc->causes, err) <= 0)
			return ydoc_error(d, m, err, "a named cause needs 'causes': [CATEGORY...]");
	}
	return 0;
}

static int parse_programs(struct ydoc *d, yaml_node_t *n, struct causality *c,
			  struct buf *err)
{
	yaml_node_pair_t *p;

	if (!n)
		return 0;
	release_programs(c);
	if (n->type != YAML_MAPPING_NODE)
		return ydoc_error(d, n, err, "'programs' maps a program to its units: "
				  "{mysqld: [mysql, mariadb]}");
	c->programs = xcalloc((size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start) +
			      1, sizeof(*c->programs));
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		struct program_units *pu = &c->programs[c->nprograms];
		const char *name = ydoc_scalar(ydoc_node(d, p->key));

		if (!name)
			return ydoc_error(d, ydoc_node(d, p->key), err, "a program is a name");
		pu->program = xstrdup(name);
		c->nprograms++;
		if (ydoc_list(d, ydoc_node(d, p->value), "units", &pu->units, err) <= 0)
			return ydoc_error(d, ydoc_node(d, p->value), err, "program '%s' needs a "
					  "list of units", name);
	}
	return 0;
}

static void release_lines(struct causality *c)
{
	while (c->nlines) {
		strv_free(c->lines[--c->nlines].sources);
		strv_free(c->lines[c->nlines].patterns);
	}
	free(c->lines);
	c->lines = NULL;
}

static void release_tables(struct causality *c)
{
	while (c->ntables) {
		free(c->tables[--c->ntables].table);
		strv_free(c->tables[c->ntables].fields);
		strv_free(c->tables[c->ntables].kinds);
	}
	free(c->tables);
	c->tables = NULL;
}

/* lines: [{sources: [...], patterns: [...]}, ...] */
static int parse_lines(struct ydoc *d, yaml_node_t *n, struct causality *c, struct buf *err)
{
	static const char *const keys[] = { "sources", "patterns", NULL };
	yaml_node_item_t *it;

	release_lines(c);
	if (n->type != YAML_SEQUENCE_NODE)
		return ydoc_error(d, n, err, "'lines' must be a list of {sources, patterns}");
	c->lines = xcalloc((size_t)(n->data.sequence.items.top - n->data.sequence.items.start) + 1,
			   sizeof(*c->lines));
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *m = ydoc_node(d, *it);
		struct entity_line *l = &c->lines[c->nlines];

		if (m->type != YAML_MAPPING_NODE || ydoc_check_keys(d, m, keys, "an entity line", err))
			return ydoc_error(d, m, err, "an entity line is {sources: [...], patterns: "
					  "[...]}");
		c->nlines++;
		if (ydoc_list(d, ydoc_get(d, m, "sources"), "sources", &l->sources, err) <= 0 ||
		    ydoc_list(d, ydoc_get(d, m, "patterns"), "patterns", &l->patterns, err) <= 0)
			return ydoc_error(d, m, err, "an entity line needs sources and patterns");
	}
	return 0;
}

/* tables: {TABLE: {FIELD: KIND, ...}, ...} */
static int parse_tables(struct ydoc *d, yaml_node_t *n, struct causality *c, struct buf *err)
{
	yaml_node_pair_t *p, *q;

	release_tables(c);
	if (n->type != YAML_MAPPING_NODE)
		return ydoc_error(d, n, err, "'tables' maps a table to {field: kind}");
	c->tables = xcalloc((size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start) + 1,
			    sizeof(*c->tables));
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		struct entity_table *t = &c->tables[c->ntables];
		yaml_node_t *fields = ydoc_node(d, p->value);
		const char *name = ydoc_scalar(ydoc_node(d, p->key));

		if (!name || fields->type != YAML_MAPPING_NODE)
			return ydoc_error(d, fields, err, "a table's entities are {field: kind}");
		t->table = xstrdup(name);
		c->ntables++;
		for (q = fields->data.mapping.pairs.start; q < fields->data.mapping.pairs.top; q++) {
			const char *f = ydoc_scalar(ydoc_node(d, q->key));
			const char *k = ydoc_scalar(ydoc_node(d, q->value));

			if (!f || !k)
				return ydoc_error(d, fields, err, "a field and its kind are names");
			strv_push(&t->fields, xstrdup(f));
			strv_push(&t->kinds, xstrdup(k));
		}
	}
	return 0;
}

/* captures: {controller: device, server: peer, ...} */
static int parse_captures(struct ydoc *d, yaml_node_t *n, struct causality *c, struct buf *err)
{
	yaml_node_pair_t *p;

	strv_free(c->capture_names);
	strv_free(c->capture_kinds);
	c->capture_names = c->capture_kinds = NULL;
	if (n->type != YAML_MAPPING_NODE)
		return ydoc_error(d, n, err, "'captures' maps a capture's name to an entity kind");
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		const char *name = ydoc_scalar(ydoc_node(d, p->key));
		const char *kind = ydoc_scalar(ydoc_node(d, p->value));
		size_t k;

		for (k = 0; kind && entity_names[k] && strcmp(entity_names[k], kind); k++)
			;
		if (!name || !kind || !entity_names[k])
			return ydoc_error(d, ydoc_node(d, p->value), err, "capture '%s': '%s' is no "
					  "entity kind", name ? name : "?", kind ? kind : "?");
		strv_push(&c->capture_names, xstrdup(name));
		strv_push(&c->capture_kinds, xstrdup(kind));
	}
	return 0;
}

static int parse_doc(struct causality *c, const char *name, const char *data, size_t len,
		     struct buf *err)
{
	static const char *const keys[] = { "window", "tiers", "named_causes", "programs",
		"runtimes", "supervisors", "lines", "tables", "captures", NULL };
	struct ydoc d;
	yaml_node_t *root, *n;
	const char *s;
	int r = CF_ERR_PARSE;

	if (ydoc_load(&d, name, data, len, err))
		return CF_ERR_PARSE;
	root = ydoc_root(&d);
	if (!root || root->type != YAML_MAPPING_NODE) {
		ydoc_error(&d, root, err, "expected a mapping");
		goto out;
	}
	if (ydoc_check_keys(&d, root, keys, name, err))
		goto out;
	if ((s = ydoc_scalar(n = ydoc_get(&d, root, "window"))) &&
	    (c->window = parse_duration(s)) <= 0) {
		ydoc_error(&d, n, err, "'window' must be a duration like 30m, not '%s'", s);
		goto out;
	}
	if (parse_tiers(&d, ydoc_get(&d, root, "tiers"), c, err) ||
	    parse_named(&d, ydoc_get(&d, root, "named_causes"), c, err) ||
	    parse_programs(&d, ydoc_get(&d, root, "programs"), c, err))
		goto out;
	if ((n = ydoc_get(&d, root, "runtimes")) &&
	    (strv_free(c->runtimes), ydoc_list(&d, n, "runtimes", &c->runtimes, err) < 0))
		goto out;
	if ((n = ydoc_get(&d, root, "supervisors")) &&
	    (strv_free(c->supervisors), ydoc_list(&d, n, "supervisors", &c->supervisors, err) < 0))
		goto out;
	if (((n = ydoc_get(&d, root, "lines")) && parse_lines(&d, n, c, err)) ||
	    ((n = ydoc_get(&d, root, "tables")) && parse_tables(&d, n, c, err)) ||
	    ((n = ydoc_get(&d, root, "captures")) && parse_captures(&d, n, c, err)))
		goto out;
	r = 0;
out:
	ydoc_release(&d);
	return r;
}

/* DIR/file when it is there: 0 (also when it is not), or CF_ERR_*. */
static int load_dir_file(struct causality *c, const char *dir, const char *file,
			 struct buf *err)
{
	struct buf path = BUF_INIT(0), data = BUF_INIT(DATA_FILE_MAX);
	int r;

	buf_addf(&path, "%s/%s", dir, file);
	r = buf_read_file(&data, path.data);
	if (r == CF_ERR_IO && errno == ENOENT)
		r = 0;
	else if (r == CF_ERR_IO)
		buf_addf(err, "%s: cannot read: %s\n", path.data, strerror(errno));
	else if (r == CF_ERR_CAP)
		buf_addf(err, "%s: larger than 1M\n", path.data);
	else
		r = parse_doc(c, path.data, data.data, data.len, err);
	buf_release(&path);
	buf_release(&data);
	return r;
}

int causality_load(struct causality *c, const char *dir, struct buf *err)
{
	static const char *const files[] = { "causality.yaml", "entities.yaml" };
	size_t i;

	memset(c, 0, sizeof(*c));
	c->window = 30 * 60;
	for (i = 0; i < ARRAY_SIZE(files); i++) {
		char path[64];
		const struct embedded_file *f;

		snprintf(path, sizeof(path), "rules/%s", files[i]);
		f = embedded_find(path);
		if (!f)
			return error("the compiled-in %s is missing", path);
		if (parse_doc(c, path, f->data, f->len, err) ||
		    (dir && load_dir_file(c, dir, files[i], err)))
			return CF_ERR_PARSE;
	}
	return 0;
}

void causality_release(struct causality *c)
{
	size_t i;

	for (i = 0; i < c->ntiers; i++)
		strv_free(c->tiers[i]);
	free(c->tiers);
	release_named(c);
	release_programs(c);
	release_lines(c);
	release_tables(c);
	strv_free(c->capture_names);
	strv_free(c->capture_kinds);
	strv_free(c->runtimes);
	strv_free(c->supervisors);
	memset(c, 0, sizeof(*c));
}

int causality_category_matches(const char *pattern, const char *category)
{
	size_t n = strlen(pattern);

	if (n >= 2 && !strcmp(pattern + n - 2, ".*"))
		return !strncmp(pattern, category, n - 1);
	return !strcmp(pattern, category);
}

int causality_tier(const struct causality *c, const char *category)
{
	size_t t, k;
	int pass;

	/* whole names first, then areas: storage.iscsi before storage.* */
	for (pass = 0; pass < 2; pass++)
		for (t = 0; t < c->ntiers; t++)
			for (k = 0; c->tiers[t][k]; k++) {
				const char *p = c->tiers[t][k];
				int area = strlen(p) >= 2 && !strcmp(p + strlen(p) - 2, ".*");

				if (area == pass && causality_category_matches(p, category))
					return (int)t;
			}
	return -1;
}

static int in_list(char *const *v, const char *s)
{
	size_t i;

	for (i = 0; v && v[i]; i++)
		if (!strcmp(v[i], s))
			return 1;
	return 0;
}

int causality_is_runtime(const struct causality *c, const char *program)
{
	size_t i, n;

	/* the name, or with its version: python3.11, php8.2 (not php-fpm8.2) */
	for (i = 0; c->runtimes && c->runtimes[i]; i++) {
		n = strlen(c->runtimes[i]);
		if (!strncmp(program, c->runtimes[i], n) &&
		    strspn(program + n, "0123456789.") == strlen(program + n))
			return 1;
	}
	return 0;
}

int causality_is_supervisor(const struct causality *c, const char *program)
{
	return in_list(c->supervisors, program);
}

char *const *causality_units_of(const struct causality *c, const char *program)
{
	size_t i;

	for (i = 0; i < c->nprograms; i++)
		if (!strcmp(c->programs[i].program, program))
			return c->programs[i].units;
	return NULL;
}
