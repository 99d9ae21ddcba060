/*
 * yamlutil.c: libyaml's document API with located error messages.
 */
#include <stdarg.h>
#include <string.h>
#include "casefile.h"
#include "suggest.h"
#include "yamlutil.h"

int ydoc_load(struct ydoc *d, const char *name, const char *data, size_t len,
	      struct buf *err)
{
	yaml_parser_t p;
	int ok;

	memset(d, 0, sizeof(*d));
	d->name = name;
	if (!yaml_parser_initialize(&p))
		return CF_ERR_NOMEM;
	yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
	ok = yaml_parser_load(&p, &d->doc);
	if (!ok) {
		yaml_mark_t m = p.problem_mark;

		buf_addf(err, "%s:%zu:%zu: %s", name, m.line + 1, m.column + 1,
			 p.problem ? p.problem : "invalid YAML");
		if (p.context)
			buf_addf(err, " %s at line %zu", p.context,
				 p.context_mark.line + 1);
		buf_addch(err, '\n');
		yaml_parser_delete(&p);
		return CF_ERR_PARSE;
	}
	yaml_parser_delete(&p);
	d->loaded = 1;
	if (!yaml_document_get_root_node(&d->doc)) {
		buf_addf(err, "%s:1:1: the file is empty\n", name);
		return CF_ERR_PARSE;
	}
	return 0;
}

void ydoc_release(struct ydoc *d)
{
	if (d->loaded)
		yaml_document_delete(&d->doc);
	d->loaded = 0;
}

yaml_node_t *ydoc_root(struct ydoc *d)
{
	return d->loaded ? yaml_document_get_root_node(&d->doc) : NULL;
}

yaml_node_t *ydoc_node(struct ydoc *d, int index)
{
	return yaml_document_get_node(&d->doc, index);
}

yaml_node_t *ydoc_get(struct ydoc *d, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *pair;

	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (pair = map->data.mapping.pairs.start;
	     pair < map->data.mapping.pairs.top; pair++) {
		const char *k = ydoc_scalar(ydoc_node(d, pair->key));

		if (k && !strcmp(k, key))
			return ydoc_node(d, pair->value);
	}
	return NULL;
}

const char *ydoc_scalar(yaml_node_t *node)
{
	if (!node || node->type != YAML_SCALAR_NODE)
		return NULL;
	return (const char *)node->data.scalar.value;
}

int ydoc_error(struct ydoc *d, yaml_node_t *node, struct buf *err,
	       const char *fmt, ...)
{
	va_list ap;
	size_t line = node ? node->start_mark.line + 1 : 1;
	size_t col = node ? node->start_mark.column + 1 : 1;

	buf_addf(err, "%s:%zu:%zu: ", d->name, line, col);
	va_start(ap, fmt);
	buf_vaddf(err, fmt, ap);
	va_end(ap);
	buf_addch(err, '\n');
	return CF_ERR_PARSE;
}

int ydoc_strv(struct ydoc *d, yaml_node_t *node, const char *what,
	      char ***out, struct buf *err)
{
	char **v;
	size_t n = 0;
	yaml_node_item_t *it;

	*out = NULL;
	if (!node)
		return 0;
	if (node->type == YAML_SCALAR_NODE) {
		v = xcalloc(2, sizeof(*v));
		v[0] = xstrdup(ydoc_scalar(node));
		*out = v;
		return 1;
	}
	if (node->type != YAML_SEQUENCE_NODE)
		return ydoc_error(d, node, err,
				  "'%s' must be a string or a list of strings", what);
	v = xcalloc((size_t)(node->data.sequence.items.top -
			     node->data.sequence.items.start) + 1, sizeof(*v));
	for (it = node->data.sequence.items.start;
	     it < node->data.sequence.items.top; it++) {
		yaml_node_t *item = ydoc_node(d, *it);
		const char *s = ydoc_scalar(item);

		if (!s) {
			strv_free(v);
			return ydoc_error(d, item, err,
					  "each entry of '%s' must be a string", what);
		}
		v[n++] = xstrdup(s);
	}
	*out = v;
	return (int)n;
}

int ydoc_list(struct ydoc *d, yaml_node_t *node, const char *what,
	      char ***out, struct buf *err)
{
	*out = NULL;
	if (node && node->type == YAML_SCALAR_NODE)
		return ydoc_error(d, node, err, "'%s' must be a list: %s: [%s]", what, what,
				  ydoc_scalar(node));
	return ydoc_strv(d, node, what, out, err);
}

int ydoc_check_keys(struct ydoc *d, yaml_node_t *map, const char *const *keys,
		      const char *what, struct buf *err)
{
	yaml_node_pair_t *p;
	int r = 0;

	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = ydoc_node(d, p->key);
		const char *key = ydoc_scalar(k);
		const char *s;
		size_t i;

		for (i = 0; key && keys[i]; i++)
			if (!strcmp(key, keys[i]))
				break;
		if (key && keys[i])
			continue;
		s = key ? suggest_closest(key, keys) : NULL;
		if (s)
			r = ydoc_error(d, k, err, "unknown key '%s' in %s; did you mean '%s'?",
				       key, what, s);
		else
			r = ydoc_error(d, k, err, "unknown key '%s' in %s", key ? key : "?", what);
	}
	return r;
}
