/*
 * rule.c: parse, check and compile one rule file (see rules.h and the guide
 * in docs/rules.md). Every error says file:line:column, what was expected,
 * and for a misspelt key, source or category what was probably meant.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "casefile.h"
#include "literal.h"
#include "fixture.h"
#include "rules.h"
#include "suggest.h"
#include "table.h"
#include "yamlutil.h"

static const char *const sev_names[SEV_NR] = { "info", "low", "medium", "high", "critical" };

const char *severity_name(enum severity s)
{
	return s < SEV_NR ? sev_names[s] : "?";
}

int severity_parse(const char *s)
{
	int i;

	for (i = 0; i < SEV_NR; i++)
		if (!strcmp(s, sev_names[i]))
			return i;
	return -1;
}

static const char *const rule_keys[] = {
	"id", "title", "category", "severity", "sources", "patterns",
	"ignore_case", "where", "threshold", "window", "all", "any", "none", "recovers",
	"explains", "not_explains", "explanation", "remediation", "references", "fixtures", NULL
};

static const char *const cond_keys[] = {
	"sources", "patterns", "where", "threshold", "window", "ignore_case", NULL
};

static char *req_string(struct ydoc *d, yaml_node_t *map, const char *key,
			struct buf *err, int *bad)
{
	yaml_node_t *n = ydoc_get(d, map, key);
	const char *s = ydoc_scalar(n);

	if (!s || !*s) {
		ydoc_error(d, n ? n : map, err, "'%s' is required and must be text", key);
		*bad = 1;
		return NULL;
	}
	return xstrdup(s);
}

static int parse_where(struct ydoc *d, yaml_node_t *node, const char *text,
		       const struct catalog *cat, struct cond *c, struct where *w, struct buf *err)
{
	struct buf why = BUF_INIT(0);
	int r = 0;

	w->text = xstrdup(text);
	if (where_compile(text, cat, &c->names, &w->expr, &why))
		r = ydoc_error(d, node, err, "%s", why.data);
	buf_release(&why);
	return r;
}

static int compile_pattern(struct ydoc *d, yaml_node_t *node, const char *text,
			   int caseless, struct pattern *pt, struct buf *err)
{
	struct buf why = BUF_INIT(0);
	int r = 0;

	if (pattern_compile(pt, text, caseless, &why))
		r = ydoc_error(d, node, err, "%s", why.data);
	buf_release(&why);
	return r;
}

static void cond_clear(struct cond *c)
{
	size_t i;

	strv_free(c->source_names);
	free(c->sources);
	for (i = 0; i < c->npats; i++)
		pattern_release(&c->pats[i]);
	free(c->pats);
	for (i = 0; i < c->nwhere; i++) {
		where_free(c->where[i].expr);
		free(c->where[i].text);
	}
	free(c->where);
	where_names_release(&c->names);
	memset(c, 0, sizeof(*c));
}

/* A source or a group's members, once each, into c->sources. */
static void add_source_index(struct cond *c, size_t idx)
{
	size_t i;

	for (i = 0; i < c->nsources; i++)
		if (c->sources[i] == idx)
			return;
	c->sources = xrealloc(c->sources, (c->nsources + 1) * sizeof(*c->sources));
	c->sources[c->nsources++] = idx;
}

static int unknown_source(struct ydoc *d, yaml_node_t *n, const struct catalog *cat,
			  const char *name, struct buf *err)
{
	const char **names = xcalloc(cat->nr + cat->ngroups + 1, sizeof(*names));
	const char *sug;
	size_t k;

	for (k = 0; k < cat->nr; k++)
		names[k] = cat->items[k].name;
	for (k = 0; k < cat->ngroups; k++)
		names[cat->nr + k] = cat->groups[k].name;
	sug = suggest_closest(name, names);
	ydoc_error(d, n, err, "unknown source '%s'%s%s%s", name, sug ? "; did you mean '" : "",
		   sug ? sug : "", sug ? "'?" : "");
	free(names);
	return CF_ERR_PARSE;
}

static int cond_sources(struct ydoc *d, yaml_node_t *map, const struct catalog *cat,
			struct cond *c, struct buf *err)
{
	yaml_node_t *n = ydoc_get(d, map, "sources");
	size_t i, k;
	int bad = 0;

	if (ydoc_list(d, n, "sources", &c->source_names, err) <= 0) {
		if (!n || !c->source_names)
			ydoc_error(d, n ? n : map, err, "'sources' is required: the sources or "
				   "groups (see rules/sources.yaml) the patterns read");
		return CF_ERR_PARSE;
	}
	for (i = 0; c->source_names[i]; i++) {
		const char *name = c->source_names[i];
		const struct source *src = catalog_find(cat, name);
		const struct source_group *g = src ? NULL : catalog_group(cat, name);

		if (src) {
			add_source_index(c, (size_t)(src - cat->items));
			continue;
		}
		if (!g) {
			bad = unknown_source(d, n, cat, name, err);
			continue;
		}
		for (k = 0; g->members[k]; k++) {
			src = catalog_find(cat, g->members[k]);
			if (src)
				add_source_index(c, (size_t)(src - cat->items));
			else
				bad = ydoc_error(d, n, err, "group '%s' names unknown source '%s'",
						 name, g->members[k]);
		}
	}
	return bad;
}

/* No patterns: every source is a table (rules/sources.yaml), tested row by row. */
static int all_tables(const struct catalog *cat, const struct cond *c)
{
	size_t i;

	for (i = 0; i < c->nsources; i++)
		if (!cat->items[c->sources[i]].table)
			return 0;
	return c->nsources > 0;
}

/*
 * One pattern of a list: 'REGEX', or {regex: REGEX, threshold: N, window: D}
 * for a pattern whose events need their own burst (or count from the first).
 */
static int cond_pattern(struct ydoc *d, yaml_node_t *item, int caseless, struct pattern *pt,
			struct buf *err)
{
	static const char *const keys[] = { "regex", "threshold", "window", NULL };
	const char *text = ydoc_scalar(item), *s;
	yaml_node_t *n;

	if (text)
		return compile_pattern(d, item, text, caseless, pt, err);
	if (item->type != YAML_MAPPING_NODE || ydoc_check_keys(d, item, keys, "a pattern", err) ||
	    !(text = ydoc_scalar(ydoc_get(d, item, "regex"))))
		return ydoc_error(d, item, err, "a pattern is a regular expression, or {regex: RE, "
				  "threshold: N, window: DURATION}");
	if (compile_pattern(d, item, text, caseless, pt, err))
		return CF_ERR_PARSE;
	if ((s = ydoc_scalar(n = ydoc_get(d, item, "threshold")))) {
		char *end;
		long v = strtol(s, &end, 10);

		if (*end || v < 1 || v > 1000000)
			return ydoc_error(d, n, err, "a pattern's 'threshold' must be a whole "
					  "number from 1, not '%s'", s);
		pt->threshold = (unsigned)v;
	}
	if ((s = ydoc_scalar(n = ydoc_get(d, item, "window"))) &&
	    (pt->window = parse_duration(s)) <= 0)
		return ydoc_error(d, n, err, "a pattern's 'window' must be a duration like 90s, "
				  "10m, 2h or 1d, not '%s'", s);
	if (pt->window && !pt->threshold)
		return ydoc_error(d, item, err, "a pattern's 'window' needs its 'threshold'");
	return 0;
}

static int cond_patterns(struct ydoc *d, yaml_node_t *map, const struct catalog *cat,
			 int caseless, struct cond *c, struct buf *err)
{
	yaml_node_t *n = ydoc_get(d, map, "patterns");
	size_t i;
	int bad = 0;

	if (!n && all_tables(cat, c)) {
		c->table = 1;
		return 0;
	}
	if (!n || n->type != YAML_SEQUENCE_NODE ||
	    n->data.sequence.items.top == n->data.sequence.items.start)
		return ydoc_error(d, n ? n : map, err, "'patterns' is required: a list of one or "
				  "more regular expressions (PCRE2); only a condition whose sources "
				  "are all tables needs none");
	c->npats = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	c->pats = xcalloc(c->npats, sizeof(*c->pats));
	for (i = 0; i < c->npats; i++)
		if (cond_pattern(d, ydoc_node(d, n->data.sequence.items.start[i]), caseless,
				 &c->pats[i], err))
			bad = 1;
	return bad;
}

static int cond_limits(struct ydoc *d, yaml_node_t *map, struct cond *c, struct buf *err)
{
	yaml_node_t *n = ydoc_get(d, map, "threshold");
	const char *s;
	int bad = 0;

	if ((s = ydoc_scalar(n))) {
		char *end;
		long v = strtol(s, &end, 10);

		if (*end || v < 1 || v > 1000000)
			bad = ydoc_error(d, n, err, "'threshold' must be a whole number "
					 "from 1, not '%s'", s) != 0;
		c->threshold = (unsigned)v;
	}
	n = ydoc_get(d, map, "window");
	if ((s = ydoc_scalar(n))) {
		c->window = parse_duration(s);
		if (c->window <= 0)
			bad = ydoc_error(d, n, err, "'window' must be a duration like 90s, "
					 "10m, 2h or 1d, not '%s'", s) != 0;
	}
	return bad;
}

static int cond_where(struct ydoc *d, yaml_node_t *map, const struct catalog *cat,
		      struct cond *c, struct buf *err)
{
	yaml_node_t *n = ydoc_get(d, map, "where");
	char **wheres = NULL;
	size_t i;
	int bad = 0;

	if (ydoc_list(d, n, "where", &wheres, err) < 0)
		bad = 1;
	c->nwhere = strv_len(wheres);
	c->where = xcalloc(c->nwhere + 1, sizeof(*c->where));
	for (i = 0; i < c->nwhere; i++)
		if (parse_where(d, n, wheres[i], cat, c, &c->where[i], err))
			bad = 1;
	strv_free(wheres);
	return bad;
}

/* The name a table condition reads must be a field some of its tables can have. */
static int table_names(struct ydoc *d, yaml_node_t *at, const struct catalog *cat,
		       const struct cond *c, struct buf *err)
{
	size_t k, i;
	int bad = 0;

	for (k = 0; k < c->names.n; k++) {
		for (i = 0; i < c->nsources; i++)
			if (table_spec_has(cat->items[c->sources[i]].table, c->names.v[k]))
				break;
		if (i == c->nsources)
			bad = ydoc_error(d, at, err, "where names '%s', which the table '%s' does "
					 "not have", c->names.v[k], c->source_names[0]) != 0;
	}
	return bad;
}

/*
 * Each name a pattern condition's wheres read is a capture of one of its
 * patterns at least: find its group in each. Other tables are read only
 * by conditions without patterns (they are tested once all is read).
 */
static int where_groups(struct ydoc *d, yaml_node_t *map, const struct catalog *cat,
			struct cond *c, struct buf *err)
{
	yaml_node_t *at = ydoc_get(d, map, "where");
	size_t i, k;
	int bad = 0;

	if (c->table)
		return table_names(d, at ? at : map, cat, c, err);
	for (k = 0; k < c->nwhere; k++)
		if (where_reads_tables(c->where[k].expr))
			bad = ydoc_error(d, at, err, "where '%s' reads a table: only a condition "
					 "without patterns can (its sources tables)",
					 c->where[k].text) != 0;
	for (i = 0; i < c->npats; i++) {
		c->pats[i].where_group = xcalloc(c->names.n + 1, sizeof(int));
		for (k = 0; k < c->names.n; k++)
			c->pats[i].where_group[k] = pcre2_substring_number_from_name(
				c->pats[i].code, (PCRE2_SPTR)c->names.v[k]);
	}
	for (k = 0; k < c->names.n; k++) {
		for (i = 0; i < c->npats && c->pats[i].where_group[k] < 0; i++)
			;
		if (i == c->npats && c->npats)
			bad = ydoc_error(d, at, err, "where names '%s', which %s '%s' does not "
					 "have (write (?<%s>...))", c->names.v[k],
					 c->npats > 1 ? "no pattern such as" : "pattern",
					 c->pats[0].text, c->names.v[k]) != 0;
	}
	return bad;
}

/*
 * One shape for every condition: sources (or groups), patterns (none for a
 * table), where, threshold, window, ignore_case. The rule's own keys hold
 * its main condition; all/any/none hold more of the same.
 */
static int parse_cond(struct ydoc *d, yaml_node_t *map, enum cond_role role,
		      const struct catalog *cat, struct cond *c, struct buf *err)
{
	yaml_node_t *n;
	const char *s;
	int bad = 0, caseless = 0;

	memset(c, 0, sizeof(*c));
	c->role = role;
	c->threshold = 1;
	if (role != COND_MAIN && ydoc_check_keys(d, map, cond_keys, "a condition", err))
		bad = 1;
	if (cond_sources(d, map, cat, c, err))
		return CF_ERR_PARSE;
	n = ydoc_get(d, map, "ignore_case");
	if ((s = ydoc_scalar(n))) {
		if (strcmp(s, "true") && strcmp(s, "false"))
			bad = ydoc_error(d, n, err, "'ignore_case' must be true or false") != 0;
		caseless = !strcmp(s, "true");
	}
	if (cond_patterns(d, map, cat, caseless, c, err))
		return CF_ERR_PARSE;
	bad |= cond_where(d, map, cat, c, err) != 0;
	bad |= cond_limits(d, map, c, err) != 0;
	if (bad || where_groups(d, map, cat, c, err))
		return CF_ERR_PARSE;
	return 0;
}

const char *const entity_names[ENTITY_NR + 1] = {
	"unit", "process", "pid", "device", "mount", "interface", "peer", "user", "port",
	"path", "signal", NULL
};

static int parse_link(struct ydoc *d, yaml_node_t *n, struct explain *l, struct buf *err)
{
	static const char *const keys[] = { "rule", "share", "within", NULL };
	const char *s;
	size_t i, k;

	memset(l, 0, sizeof(*l));
	if (n->type != YAML_MAPPING_NODE || ydoc_check_keys(d, n, keys, "an explains link", err) ||
	    !(s = ydoc_scalar(ydoc_get(d, n, "rule"))))
		return ydoc_error(d, n, err, "an explains link is {rule: ID}, with share: "
				  "[ENTITY...] and within: DURATION when needed");
	l->rule = xstrdup(s);
	if (ydoc_list(d, ydoc_get(d, n, "share"), "share", &l->share, err) < 0)
		return CF_ERR_PARSE;
	for (i = 0; l->share && l->share[i]; i++) {
		for (k = 0; entity_names[k] && strcmp(entity_names[k], l->share[i]); k++)
			;
		if (!entity_names[k])
			return ydoc_error(d, n, err, "'%s' is no entity (unit, process, pid, "
					  "device, mount, interface, peer, user, port, path, signal)",
					  l->share[i]);
	}
	if ((s = ydoc_scalar(ydoc_get(d, n, "within"))) && (l->within = parse_duration(s)) <= 0)
		return ydoc_error(d, n, err, "'within' must be a duration like 10m, not '%s'", s);
	return 0;
}

/* explains: [{rule: id}, {rule: id, share: [unit], within: 10m}, ...] */
static int parse_explains(struct ydoc *d, yaml_node_t *n, struct rule *r, struct buf *err)
{
	yaml_node_item_t *it;

	if (!n)
		return 0;
	if (n->type != YAML_SEQUENCE_NODE)
		return ydoc_error(d, n, err, "'explains' must be a list of links {rule: ID}");
	r->links = xcalloc((size_t)(n->data.sequence.items.top - n->data.sequence.items.start) + 1,
			   sizeof(*r->links));
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++)
		if (parse_link(d, ydoc_node(d, *it), &r->links[r->nlinks++], err))
			return CF_ERR_PARSE;
	return 0;
}

/* not_explains: [{rule: id}, ...]: default links this rule must not make */
static int parse_not_explains(struct ydoc *d, yaml_node_t *n, struct rule *r, struct buf *err)
{
	static const char *const keys[] = { "rule", NULL };
	yaml_node_item_t *it;
	const char *id;

	if (!n)
		return 0;
	if (n->type != YAML_SEQUENCE_NODE)
		return ydoc_error(d, n, err, "'not_explains' must be a list of {rule: ID}");
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *m = ydoc_node(d, *it);

		if (m->type != YAML_MAPPING_NODE || ydoc_check_keys(d, m, keys, "not_explains", err) ||
		    !(id = ydoc_scalar(ydoc_get(d, m, "rule"))))
			return ydoc_error(d, m, err, "a not_explains entry is {rule: ID}");
		strv_push(&r->not_explains, xstrdup(id));
	}
	return 0;
}

static int valid_id(const char *s)
{
	if (!islower((unsigned char)*s))
		return 0;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '-')
			return 0;
	return 1;
}

int rule_parse(struct rule *r, const char *file, const char *data, size_t len,
	       const struct catalog *cat, struct buf *err)
{
	static const char *const roles[] = { "all", "any", "none", "recovers" };
	struct ydoc d;
	yaml_node_t *root, *n;
	const char *s;
	int bad = 0, sev;
	size_t i, ncond = 1;

	memset(r, 0, sizeof(*r));
	r->file = xstrdup(file);
	if (ydoc_load(&d, file, data, len, err)) {
		ydoc_release(&d);
		rule_clear(r);
		return CF_ERR_PARSE;
	}
	root = ydoc_root(&d);
	if (root->type != YAML_MAPPING_NODE) {
		ydoc_error(&d, root, err, "a rule must be a mapping (id:, title:, ...)");
		goto fail;
	}
	if (ydoc_check_keys(&d, root, rule_keys, "a rule", err))
		bad = 1;
	r->id = req_string(&d, root, "id", err, &bad);
	if (r->id && !valid_id(r->id))
		bad = ydoc_error(&d, ydoc_get(&d, root, "id"), err, "id '%s' must be "
				 "lowercase letters, digits and '-'", r->id) != 0;
	r->title = req_string(&d, root, "title", err, &bad);
	r->category = req_string(&d, root, "category", err, &bad);
	if (r->category && !catalog_category_known(cat, r->category)) {
		const char *sug = cat->categories ?
			suggest_closest(r->category, (const char *const *)cat->categories) : NULL;

		bad = ydoc_error(&d, ydoc_get(&d, root, "category"), err,
				 "category '%s' is not in the taxonomy%s%s%s", r->category,
				 sug ? "; did you mean '" : "", sug ? sug : "", sug ? "'?" : "") != 0;
	}
	n = ydoc_get(&d, root, "severity");
	s = ydoc_scalar(n);
	sev = s ? severity_parse(s) : -1;
	if (sev < 0)
		bad = ydoc_error(&d, n ? n : root, err, "severity must be one of critical, "
				 "high, medium, low, info%s%s%s", s ? " (not '" : "", s ? s : "",
				 s ? "')" : "") != 0;
	r->severity = sev < 0 ? SEV_INFO : (enum severity)sev;
	r->explanation = req_string(&d, root, "explanation", err, &bad);
	s = ydoc_scalar(ydoc_get(&d, root, "remediation"));
	r->remediation = xstrdup(s ? s : "");
	if (ydoc_list(&d, ydoc_get(&d, root, "references"), "references", &r->references, err) < 0 ||
	    parse_explains(&d, ydoc_get(&d, root, "explains"), r, err) ||
	    parse_not_explains(&d, ydoc_get(&d, root, "not_explains"), r, err))
		bad = 1;

	for (i = 0; i < ARRAY_SIZE(roles); i++) {
		n = ydoc_get(&d, root, roles[i]);
		if (n && n->type == YAML_SEQUENCE_NODE)
			ncond += (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
		else if (n)
			bad = ydoc_error(&d, n, err, "'%s' must be a list of conditions", roles[i]) != 0;
	}
	r->conds = xcalloc(ncond, sizeof(*r->conds));
	if (parse_cond(&d, root, COND_MAIN, cat, &r->conds[0], err))
		bad = 1;
	r->nconds = 1;
	for (i = 0; i < ARRAY_SIZE(roles); i++) {
		yaml_node_item_t *it;

		n = ydoc_get(&d, root, roles[i]);
		if (!n || n->type != YAML_SEQUENCE_NODE)
			continue;
		for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
			yaml_node_t *c = ydoc_node(&d, *it);

			if (c->type != YAML_MAPPING_NODE) {
				bad = ydoc_error(&d, c, err, "a condition must be a mapping with "
						 "sources and patterns") != 0;
				continue;
			}
			if (parse_cond(&d, c, (enum cond_role)(COND_ALL + i), cat,
				       &r->conds[r->nconds], err))
				bad = 1;
			r->nconds++;
		}
	}
	if (fixture_parse(&d, ydoc_get(&d, root, "fixtures"), r, cat, err))
		bad = 1;
	if (bad)
		goto fail;
	ydoc_release(&d);
	return 0;
fail:
	ydoc_release(&d);
	rule_clear(r);
	return CF_ERR_PARSE;
}

void rule_clear(struct rule *r)
{
	size_t i, k;

	free(r->file);
	free(r->id);
	free(r->title);
	free(r->category);
	for (i = 0; i < r->nconds; i++)
		cond_clear(&r->conds[i]);
	free(r->conds);
	for (i = 0; i < r->nlinks; i++) {
		free(r->links[i].rule);
		strv_free(r->links[i].share);
	}
	free(r->links);
	strv_free(r->not_explains);
	free(r->explanation);
	free(r->remediation);
	strv_free(r->references);
	for (i = 0; i < r->nfixtures; i++) {
		free(r->fixtures[i].name);
		for (k = 0; k < r->fixtures[i].n; k++) {
			free(r->fixtures[i].sources[k]);
			free(r->fixtures[i].texts[k]);
		}
		free(r->fixtures[i].sources);
		free(r->fixtures[i].texts);
	}
	free(r->fixtures);
	memset(r, 0, sizeof(*r));
}

