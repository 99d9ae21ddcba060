/*
 * rules.c: load, check and compile rule files (see rules.h, docs/rules.md).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "casefile.h"
#include "embedded.h"
#include "rules.h"
#include "yamlutil.h"

const char *const categories[] = {
	"memory.oom", "memory.cgroup-oom", "memory.alloc-failure", "memory.swap-exhausted",
	"limits.open-files",
	"limits.pids", "process.segfault", "process.coredump", "kernel.panic",
	"kernel.oops", "kernel.soft-lockup", "kernel.hung-task", "kernel.rcu-stall",
	"kernel.tainted", "storage.disk-full", "storage.inodes-full", "storage.io-error",
	"storage.fs-error", "storage.fs-readonly", "storage.multipath",
	"storage.raid-degraded", "storage.thin-pool-full", "storage.nfs-unreachable",
	"storage.iscsi", "network.link-down", "network.conntrack-full",
	"network.syn-flood", "network.neighbor-overflow", "network.tx-timeout",
	"network.dns", "network.duplicate-address", "network.listen-overflow",
	"time.unsynchronized", "time.clocksource", "security.auth-bruteforce",
	"security.mac-denial", "security.cert-expired", "security.audit-backlog",
	"service.unit-failed", "service.crash-loop", "logging.rate-limited",
	"hardware.mce", "hardware.memory-ecc", "hardware.thermal", "hardware.pcie-error",
	"hardware.disk-smart", "app.postgresql", "app.mysql", "app.nginx", "app.apache",
	"app.java-oom", NULL
};

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

const char *cond_role_name(enum cond_role r)
{
	static const char *const n[] = { "main", "all", "any", "none" };

	return n[r];
}

int category_known(const char *c)
{
	size_t i;

	for (i = 0; categories[i]; i++)
		if (!strcmp(categories[i], c))
			return 1;
	return 0;
}

/* ---- required literals ------------------------------------------------ */

#define MIN_LITERAL 4

static size_t skip_class(const char *p, size_t i, size_t n)
{
	i++;			/* '[' */
	if (i < n && p[i] == '^')
		i++;
	if (i < n && p[i] == ']')
		i++;
	while (i < n && p[i] != ']') {
		if (p[i] == '\\')
			i++;
		else if (p[i] == '[' && i + 1 < n && p[i + 1] == ':') {
			const char *e = strstr(p + i + 2, ":]");

			if (e)
				i = (size_t)(e - p) + 1;
		}
		i++;
	}
	return i < n ? i + 1 : n;
}

static size_t skip_group(const char *p, size_t i, size_t n)
{
	int depth = 0;

	while (i < n) {
		if (p[i] == '\\') {
			i += 2;
			continue;
		}
		if (p[i] == '[') {
			i = skip_class(p, i, n);
			continue;
		}
		if (p[i] == '(')
			depth++;
		else if (p[i] == ')' && --depth == 0)
			return i + 1;
		i++;
	}
	return n;
}

/* A quantifier at p[i]: its length, and whether it allows zero. */
static size_t quantifier(const char *p, size_t i, size_t n, int *zero)
{
	size_t j;

	if (i >= n)
		return 0;
	if (p[i] == '?' || p[i] == '*' || p[i] == '+') {
		*zero = p[i] != '+';
		j = i + 1;
	} else if (p[i] == '{' && i + 1 < n && isdigit((unsigned char)p[i + 1])) {
		*zero = p[i + 1] == '0';
		for (j = i + 1; j < n && (isdigit((unsigned char)p[j]) || p[j] == ','); j++)
			;
		if (j >= n || p[j] != '}')
			return 0;
		j++;
	} else {
		return 0;
	}
	if (j < n && (p[j] == '?' || p[j] == '+'))
		j++;	/* lazy or possessive */
	return j - i;
}

static void keep_best(struct buf *best, struct buf *cur)
{
	if (cur->len > best->len) {
		buf_reset(best);
		buf_add(best, cur->data, cur->len);
	}
	buf_reset(cur);
}

static void branch_literal(const char *p, size_t n, struct buf *best);

/*
 * A group that must match (not optional, no alternation at its top, not a
 * look-around) has its own required literals: "(?<port>ata\d+): " needs
 * "ata". g[0..n) is the whole group with its parentheses.
 */
static void group_literal(const char *g, size_t n, struct buf *best)
{
	size_t start = 1, i;

	if (n < 2 || g[n - 1] != ')')
		return;
	if (g[1] == '?') {
		if (n > 3 && g[2] == ':')
			start = 3;
		else if (n > 3 && (g[2] == '<' || g[2] == 'P' || g[2] == '\'') &&
			 g[3] != '=' && g[3] != '!') {
			const char *close = memchr(g, g[2] == '\'' ? '\'' : '>', n);

			if (!close)
				return;
			start = (size_t)(close - g) + 1;
		} else {
			return;	/* look-around, inline options, conditionals */
		}
	}
	for (i = start; i < n - 1; i++) {
		if (g[i] == '\\')
			i++;
		else if (g[i] == '[')
			i = skip_class(g, i, n - 1) - 1;
		else if (g[i] == '(')
			i = skip_group(g, i, n - 1) - 1;
		else if (g[i] == '|')
			return;
	}
	branch_literal(g + start, n - 1 - start, best);
}

/* The longest literal run of one top-level branch p[0..n). */
static void branch_literal(const char *p, size_t n, struct buf *best)
{
	struct buf cur = BUF_INIT(0);
	size_t i = 0, q;
	int zero;

	while (i < n) {
		char c = p[i];

		if (c == '\\' && i + 1 < n) {
			char e = p[i + 1];

			i += 2;
			if (isalnum((unsigned char)e)) {
				keep_best(best, &cur);
				if ((e == 'x' || e == 'p' || e == 'P' || e == 'g' || e == 'k') &&
				    i < n && (p[i] == '{' || p[i] == '<')) {
					const char *close = memchr(p + i, p[i] == '{' ? '}' : '>', n - i);

					i = close ? (size_t)(close - p) + 1 : n;
				}
				i += quantifier(p, i, n, &zero);
				continue;
			}
			buf_addch(&cur, e);
		} else if (c == '(') {
			size_t end = skip_group(p, i, n), q2 = quantifier(p, end, n, &zero);

			keep_best(best, &cur);
			if (!q2 || !zero)
				group_literal(p + i, end - i, best);
			i = end + q2;
			continue;
		} else if (c == '[') {
			keep_best(best, &cur);
			i = skip_class(p, i, n);
			i += quantifier(p, i, n, &zero);
			continue;
		} else if (c == '.' || c == '^' || c == '$') {
			keep_best(best, &cur);
			i++;
			i += quantifier(p, i, n, &zero);
			continue;
		} else {
			buf_addch(&cur, c);
			i++;
		}
		q = quantifier(p, i, n, &zero);
		if (q) {
			/* it binds the last character: gone if it may occur zero times */
			if (zero && cur.len)
				cur.len--;
			keep_best(best, &cur);
			i += q;
		}
	}
	keep_best(best, &cur);
	buf_release(&cur);
}

size_t literal_extract(const char *p, struct literal **out)
{
	size_t n = strlen(p), i = 0, nr = 0;
	struct literal *v = NULL;

	*out = NULL;
	if (!strncmp(p, "(?i)", 4))
		i = 4;
	if (strstr(p, "(?x") || strstr(p, "(?|"))
		return 0;	/* extended syntax: whitespace means nothing */
	for (;;) {
		/* find the end of this top-level branch */
		size_t j = i;
		struct buf best = BUF_INIT(0);

		while (j < n && p[j] != '|') {
			if (p[j] == '\\')
				j += 2;
			else if (p[j] == '[')
				j = skip_class(p, j, n);
			else if (p[j] == '(')
				j = skip_group(p, j, n);
			else
				j++;
		}
		if (j > n)
			j = n;
		branch_literal(p + i, j - i, &best);
		if (best.len < MIN_LITERAL) {
			size_t k;

			buf_release(&best);
			for (k = 0; k < nr; k++)
				free(v[k].text);
			free(v);
			return 0;
		}
		v = xrealloc(v, (nr + 1) * sizeof(*v));
		v[nr].len = best.len;
		v[nr].text = buf_detach(&best, NULL);
		nr++;
		if (j >= n)
			break;
		i = j + 1;
	}
	*out = v;
	return nr;
}

/* ---- parsing ------------------------------------------------------------ */

static const char *const rule_keys[] = {
	"id", "title", "category", "severity", "sources", "patterns", "pattern",
	"ignore_case", "where", "threshold", "window", "all", "any", "none",
	"explains", "explanation", "remediation", "references", "fixtures", NULL
};

static const char *const cond_keys[] = {
	"sources", "pattern", "patterns", "where", "threshold", "window", "ignore_case", NULL
};

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, prev[64], cur[64];

	if (la > 60 || lb > 60)
		return 99;
	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t d = prev[j - 1] + (a[i - 1] != b[j - 1]);

			if (prev[j] + 1 < d)
				d = prev[j] + 1;
			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			cur[j] = d;
		}
		memcpy(prev, cur, (lb + 1) * sizeof(*prev));
	}
	return prev[lb];
}

/* "did you mean" for a misspelt word among known */
static const char *suggest(const char *word, const char *const *known)
{
	const char *best = NULL;
	size_t bd = 3, i;

	for (i = 0; known[i]; i++) {
		size_t d = edit_distance(word, known[i]);

		if (d < bd) {
			bd = d;
			best = known[i];
		}
	}
	return best;
}

static int check_keys(struct ydoc *d, yaml_node_t *map, const char *const *keys,
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
		s = key ? suggest(key, keys) : NULL;
		if (s)
			r = ydoc_error(d, k, err, "unknown key '%s' in %s; did you mean '%s'?",
				       key, what, s);
		else
			r = ydoc_error(d, k, err, "unknown key '%s' in %s", key ? key : "?", what);
	}
	return r;
}

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

static int parse_where(struct ydoc *d, yaml_node_t *node, const char *text, struct where *w,
		       struct buf *err)
{
	static const struct { const char *s; enum cmp_op op; } ops[] = {
		{ ">=", OP_GE }, { "<=", OP_LE }, { "==", OP_EQ }, { "!=", OP_NE },
		{ ">", OP_GT }, { "<", OP_LT },
	};
	const char *p = text, *name_end;
	char *end;
	size_t i;

	memset(w, 0, sizeof(*w));
	while (isspace((unsigned char)*p))
		p++;
	name_end = p;
	while (isalnum((unsigned char)*name_end) || *name_end == '_')
		name_end++;
	if (name_end == p)
		return ydoc_error(d, node, err, "where '%s': expected 'CAPTURE OP NUMBER' "
				  "such as 'use >= 95'", text);
	w->capture = xstrndup(p, (size_t)(name_end - p));
	p = name_end;
	while (isspace((unsigned char)*p))
		p++;
	for (i = 0; i < ARRAY_SIZE(ops); i++)
		if (!strncmp(p, ops[i].s, strlen(ops[i].s)))
			break;
	if (i == ARRAY_SIZE(ops)) {
		free(w->capture);
		w->capture = NULL;
		return ydoc_error(d, node, err, "where '%s': expected an operator "
				  "(>=, >, <=, <, ==, !=) after '%.*s'", text,
				  (int)(name_end - text), text);
	}
	w->op = ops[i].op;
	p += strlen(ops[i].s);
	w->value = strtod(p, &end);
	while (isspace((unsigned char)*end))
		end++;
	if (end == p || *end) {
		free(w->capture);
		w->capture = NULL;
		return ydoc_error(d, node, err, "where '%s': expected a number after the "
				  "operator", text);
	}
	w->text = xstrdup(text);
	return 0;
}

static int compile_pattern(struct ydoc *d, yaml_node_t *node, const char *text,
			   int caseless, struct pattern *pt, struct buf *err)
{
	int code;
	PCRE2_SIZE off;

	memset(pt, 0, sizeof(*pt));
	pt->text = xstrdup(text);
	pt->caseless = caseless || !strncmp(text, "(?i)", 4);
	pt->code = pcre2_compile((PCRE2_SPTR)text, PCRE2_ZERO_TERMINATED,
				 (caseless ? PCRE2_CASELESS : 0) | PCRE2_DOLLAR_ENDONLY,
				 &code, &off, NULL);
	if (!pt->code) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(code, msg, sizeof(msg));
		return ydoc_error(d, node, err, "pattern does not compile at offset %zu: %s "
				  "(in '%s')", (size_t)off, (char *)msg, text);
	}
	pcre2_jit_compile(pt->code, PCRE2_JIT_COMPLETE);
	pt->nlits = literal_extract(text, &pt->lits);
	return 0;
}

static void cond_clear(struct cond *c)
{
	size_t i;

	strv_free(c->source_names);
	free(c->sources);
	for (i = 0; i < c->npats; i++) {
		size_t k;

		free(c->pats[i].text);
		pcre2_code_free(c->pats[i].code);
		for (k = 0; k < c->pats[i].nlits; k++)
			free(c->pats[i].lits[k].text);
		free(c->pats[i].lits);
		free(c->pats[i].where_group);
	}
	free(c->pats);
	for (i = 0; i < c->nwhere; i++) {
		free(c->where[i].capture);
		free(c->where[i].text);
	}
	free(c->where);
	memset(c, 0, sizeof(*c));
}

static int parse_cond(struct ydoc *d, yaml_node_t *map, enum cond_role role,
		      const struct catalog *cat, struct cond *c, struct buf *err)
{
	yaml_node_t *n;
	char **pats = NULL, **wheres = NULL;
	const char *s;
	int bad = 0, caseless = 0;
	size_t i, k;

	memset(c, 0, sizeof(*c));
	c->role = role;
	c->threshold = 1;
	if (role != COND_MAIN && check_keys(d, map, cond_keys, "a condition", err))
		bad = 1;
	n = ydoc_get(d, map, "sources");
	if (ydoc_strv(d, n, "sources", &c->source_names, err) <= 0) {
		if (!c->source_names)
			ydoc_error(d, n ? n : map, err, "'sources' is required: the "
				   "sources (see rules/sources.yaml) the patterns read");
		return CF_ERR_PARSE;
	}
	c->nsources = strv_len(c->source_names);
	c->sources = xcalloc(c->nsources, sizeof(*c->sources));
	for (i = 0; i < c->nsources; i++) {
		const struct source *src = catalog_find(cat, c->source_names[i]);

		if (!src) {
			const char **names = xcalloc(cat->nr + 1, sizeof(*names));
			const char *sug;

			for (k = 0; k < cat->nr; k++)
				names[k] = cat->items[k].name;
			sug = suggest(c->source_names[i], names);
			ydoc_error(d, n, err, "unknown source '%s'%s%s%s", c->source_names[i],
				   sug ? "; did you mean '" : "", sug ? sug : "", sug ? "'?" : "");
			free(names);
			bad = 1;
			continue;
		}
		c->sources[i] = (size_t)(src - cat->items);
	}
	n = ydoc_get(d, map, "ignore_case");
	if ((s = ydoc_scalar(n))) {
		if (strcmp(s, "true") && strcmp(s, "false"))
			bad = ydoc_error(d, n, err, "'ignore_case' must be true or false") != 0;
		caseless = !strcmp(s, "true");
	}
	n = ydoc_get(d, map, "patterns");
	if (!n)
		n = ydoc_get(d, map, "pattern");
	if (ydoc_strv(d, n, "patterns", &pats, err) <= 0) {
		if (!pats)
			ydoc_error(d, n ? n : map, err, "'patterns' is required: one or more "
				   "regular expressions (PCRE2)");
		strv_free(pats);
		return CF_ERR_PARSE;
	}
	c->npats = strv_len(pats);
	c->pats = xcalloc(c->npats, sizeof(*c->pats));
	for (i = 0; i < c->npats; i++) {
		yaml_node_t *at = n->type == YAML_SEQUENCE_NODE ?
			ydoc_node(d, n->data.sequence.items.start[i]) : n;

		if (compile_pattern(d, at, pats[i], caseless, &c->pats[i], err))
			bad = 1;
	}
	strv_free(pats);

	n = ydoc_get(d, map, "where");
	if (ydoc_strv(d, n, "where", &wheres, err) < 0)
		bad = 1;
	c->nwhere = strv_len(wheres);
	c->where = xcalloc(c->nwhere + 1, sizeof(*c->where));
	for (i = 0; i < c->nwhere; i++)
		if (parse_where(d, n, wheres[i], &c->where[i], err))
			bad = 1;
	strv_free(wheres);

	n = ydoc_get(d, map, "threshold");
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
	if (bad)
		return CF_ERR_PARSE;
	/* each where names a capture of every pattern: find its group */
	for (i = 0; i < c->npats; i++) {
		c->pats[i].where_group = xcalloc(c->nwhere + 1, sizeof(int));
		for (k = 0; k < c->nwhere; k++) {
			int g = pcre2_substring_number_from_name(c->pats[i].code,
					(PCRE2_SPTR)c->where[k].capture);

			if (g < 0) {
				ydoc_error(d, ydoc_get(d, map, "where"), err, "where '%s' names "
					   "capture '%s', which pattern '%s' does not have "
					   "(write (?<%s>...))", c->where[k].text,
					   c->where[k].capture, c->pats[i].text,
					   c->where[k].capture);
				bad = 1;
			}
			c->pats[i].where_group[k] = g;
		}
	}
	return bad ? CF_ERR_PARSE : 0;
}

static int parse_fixtures(struct ydoc *d, yaml_node_t *list, struct rule *r,
			  const struct catalog *cat, struct buf *err)
{
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
		yaml_node_pair_t *p;
		const char *e;

		if (f->type != YAML_MAPPING_NODE) {
			bad = ydoc_error(d, f, err, "a fixture must be a mapping of "
					 "'expect' and source texts") != 0;
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
		fx->sources = xcalloc(32, sizeof(char *));
		fx->texts = xcalloc(32, sizeof(char *));
		for (p = f->data.mapping.pairs.start; p < f->data.mapping.pairs.top; p++) {
			yaml_node_t *kn = ydoc_node(d, p->key);
			const char *k = ydoc_scalar(kn), *v = ydoc_scalar(ydoc_node(d, p->value));

			if (!k || !strcmp(k, "expect") || !strcmp(k, "name"))
				continue;
			if (!catalog_find(cat, k)) {
				bad = ydoc_error(d, kn, err, "fixture names unknown source '%s'",
						 k) != 0;
				continue;
			}
			if (!v || fx->n >= 31) {
				bad = ydoc_error(d, kn, err, "fixture source '%s' must be text "
						 "(use a | block)", k) != 0;
				continue;
			}
			fx->sources[fx->n] = xstrdup(k);
			fx->texts[fx->n] = xstrdup(v);
			fx->n++;
		}
		if (!fx->n)
			bad = ydoc_error(d, f, err, "fixture '%s' has no source text", fx->name) != 0;
		r->nfixtures++;
	}
	return bad ? CF_ERR_PARSE : 0;
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
	static const char *const roles[] = { "all", "any", "none" };
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
	if (check_keys(&d, root, rule_keys, "a rule", err))
		bad = 1;
	r->id = req_string(&d, root, "id", err, &bad);
	if (r->id && !valid_id(r->id))
		bad = ydoc_error(&d, ydoc_get(&d, root, "id"), err, "id '%s' must be "
				 "lowercase letters, digits and '-'", r->id) != 0;
	r->title = req_string(&d, root, "title", err, &bad);
	r->category = req_string(&d, root, "category", err, &bad);
	if (r->category && !category_known(r->category)) {
		const char *sug = suggest(r->category, categories);

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
	if (ydoc_strv(&d, ydoc_get(&d, root, "references"), "references", &r->references, err) < 0 ||
	    ydoc_strv(&d, ydoc_get(&d, root, "explains"), "explains", &r->explains, err) < 0)
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
	if (parse_fixtures(&d, ydoc_get(&d, root, "fixtures"), r, cat, err))
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
	strv_free(r->explains);
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

/* ---- the set ------------------------------------------------------------ */

static void add_rule(struct ruleset *rs, const char *file, const char *data, size_t len,
		     const struct catalog *cat, struct buf *err)
{
	struct rule r;
	size_t i;

	if (rule_parse(&r, file, data, len, cat, err)) {
		rs->errors++;
		return;
	}
	for (i = 0; i < rs->nr; i++)
		if (!strcmp(rs->items[i].id, r.id))
			break;
	if (i < rs->nr) {
		rule_clear(&rs->items[i]);
		rs->items[i] = r;
		return;
	}
	ALLOC_GROW(rs->items, rs->nr + 1, rs->alloc);
	rs->items[rs->nr++] = r;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int load_dir(struct ruleset *rs, const struct catalog *cat, const char *dir,
		    int depth, struct buf *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t nr = 0, alloc = 0, i;

	if (!d) {
		buf_addf(err, "%s: cannot open rules directory: %s\n", dir, strerror(errno));
		return CF_ERR_IO;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		ALLOC_GROW(names, nr + 1, alloc);
		names[nr++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (nr)
		qsort(names, nr, sizeof(*names), name_cmp);
	for (i = 0; i < nr; i++) {
		struct buf path = BUF_INIT(0), data = BUF_INIT(1024 * 1024);
		struct stat st;

		buf_addf(&path, "%s/%s", dir, names[i]);
		if (!stat(path.data, &st) && S_ISDIR(st.st_mode) && depth < 3) {
			load_dir(rs, cat, path.data, depth + 1, err);
		} else if (S_ISREG(st.st_mode) && ends_with(names[i], ".yaml") &&
			   strcmp(names[i], "sources.yaml")) {
			int r = buf_read_file(&data, path.data);

			if (r) {
				buf_addf(err, "%s: %s\n", path.data, r == CF_ERR_CAP ?
					 "larger than 1M, not a rule" : strerror(errno));
				rs->errors++;
			} else {
				add_rule(rs, path.data, data.data, data.len, cat, err);
			}
		}
		buf_release(&path);
		buf_release(&data);
		free(names[i]);
	}
	free(names);
	return 0;
}

int ruleset_load(struct ruleset *rs, const struct catalog *cat, const char *dir,
		 struct buf *err)
{
	size_t i;

	for (i = 0; i < embedded_count; i++) {
		const struct embedded_file *f = &embedded_files[i];

		if (strncmp(f->path, "rules/", 6) || !ends_with(f->path, ".yaml") ||
		    !strcmp(f->path, "rules/sources.yaml"))
			continue;
		add_rule(rs, f->path, f->data, f->len, cat, err);
	}
	return dir ? load_dir(rs, cat, dir, 0, err) : 0;
}

void ruleset_release(struct ruleset *rs)
{
	size_t i;

	for (i = 0; i < rs->nr; i++)
		rule_clear(&rs->items[i]);
	free(rs->items);
	memset(rs, 0, sizeof(*rs));
}

const struct rule *ruleset_find(const struct ruleset *rs, const char *id)
{
	size_t i;

	for (i = 0; i < rs->nr; i++)
		if (!strcmp(rs->items[i].id, id))
			return &rs->items[i];
	return NULL;
}
