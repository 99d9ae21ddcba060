/*
 * fixture.c: a rule's fixtures, read with the rule (see fixture.h); they
 * are run by fixture_run.c.
 */
#include <string.h>
#include "casefile.h"
#include "fixture.h"
#include "yamlutil.h"

/* input: {SOURCE: TEXT, ...}: each a source of the catalogue and a text */
static int parse_input(struct ydoc *d, yaml_node_t *f, struct fixture *fx,
		       const struct catalog *cat, struct buf *err)
{
	yaml_node_t *in = ydoc_get(d, f, "input");
	yaml_node_pair_t *p;
	size_t n;
	int bad = 0;

	if (!in || in->type != YAML_MAPPING_NODE)
		return ydoc_error(d, in ? in : f, err, "fixture '%s' needs 'input': a mapping "
				  "of source names to their text", fx->name);
	n = (size_t)(in->data.mapping.pairs.top - in->data.mapping.pairs.start);
	fx->sources = xcalloc(n + 1, sizeof(char *));
	fx->texts = xcalloc(n + 1, sizeof(char *));
	for (p = in->data.mapping.pairs.start; p < in->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = ydoc_node(d, p->key);
		const char *k = ydoc_scalar(kn), *v = ydoc_scalar(ydoc_node(d, p->value));

		if (!k || !catalog_find(cat, k)) {
			bad = ydoc_error(d, kn, err, "fixture input names unknown source '%s'",
					 k ? k : "?") != 0;
			continue;
		}
		if (!v) {
			bad = ydoc_error(d, kn, err, "fixture input '%s' must be text (use a | "
					 "block)", k) != 0;
			continue;
		}
		fx->sources[fx->n] = xstrdup(k);
		fx->texts[fx->n] = xstrdup(v);
		fx->n++;
	}
	if (!fx->n && !bad)
		bad = ydoc_error(d, in, err, "fixture '%s' has no input text", fx->name) != 0;
	return bad ? CF_ERR_PARSE : 0;
}

int fixture_parse(struct ydoc *d, yaml_node_t *list, struct rule *r,
		  const struct catalog *cat, struct buf *err)
{
	static const char *const keys[] = { "name", "expect", "input", NULL };
	yaml_node_item_t *it;
	int bad = 0;

	if (!list)
		return 0;
	if (list->type != YAML_SEQUENCE_NODE)
		return ydoc_error(d, list, err, "'fixtures' must be a list");
	r->fixtures = xcalloc((size_t)(list->data.sequence.items.top -
				      list->data.sequence.items.start) + 1, sizeof(*r->fixtures));
	for (it = list->data.sequence.items.start; it < list->data.sequence.items.top; it++) {
		yaml_node_t *f = ydoc_node(d, *it);
		struct fixture *fx = &r->fixtures[r->nfixtures];
		const char *e;

		if (f->type != YAML_MAPPING_NODE) {
			bad = ydoc_error(d, f, err, "a fixture is a mapping of name, expect and "
					 "input") != 0;
			continue;
		}
		if (ydoc_check_keys(d, f, keys, "a fixture", err)) {
			bad = 1;
			continue;
		}
		memset(fx, 0, sizeof(*fx));
		fx->line = f->start_mark.line + 1;
		e = ydoc_scalar(ydoc_get(d, f, "expect"));
		if (!e || (strcmp(e, "match") && strcmp(e, "no-match"))) {
			bad = ydoc_error(d, f, err, "a fixture needs 'expect: match' or "
					 "'expect: no-match'") != 0;
			continue;
		}
		fx->expect_match = !strcmp(e, "match");
		e = ydoc_scalar(ydoc_get(d, f, "name"));
		fx->name = xstrdup(e ? e : fx->expect_match ? "positive" : "negative");
		bad |= parse_input(d, f, fx, cat, err) != 0;
		r->nfixtures++;
	}
	return bad ? CF_ERR_PARSE : 0;
}
