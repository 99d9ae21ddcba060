/*
 * catalog.c: load the sources catalogue and map bundle members to sources.
 */
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>
#include "casefile.h"
#include "catalog.h"
#include "embedded.h"
#include "table.h"
#include "yamlutil.h"

static void source_clear(struct source *s)
{
	free(s->name);
	free(s->description);
	free(s->program);
	strv_free(s->files);
	strv_free(s->argv);
	free(s->shell);
	free(s->since_arg);
	strv_free(s->sos);
	strv_free(s->scc);
	strv_free(s->requires);
	table_spec_free(s->table);
	while (s->nfacts--) {
		free(s->facts[s->nfacts].name);
		free(s->facts[s->nfacts].pattern);
	}
	free(s->facts);
	memset(s, 0, sizeof(*s));
}

static int valid_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) &&
		    *s != '_')
			return 0;
	return 1;
}

static const char *const source_keys[] = {
	"name", "description", "kind", "files", "command", "shell", "since",
	"sos", "supportconfig", "rotated", "timeout", "cap", "total", "table", "facts",
	"program", "requires", NULL
};

/* facts: {name: 'pattern with (?<value>...)'} */
static int parse_facts(struct ydoc *d, yaml_node_t *map, struct source *s, struct buf *err)
{
	yaml_node_pair_t *p;
	size_t n;

	if (map->type != YAML_MAPPING_NODE)
		return ydoc_error(d, map, err, "source '%s': 'facts' must map a fact's name to "
				  "a pattern", s->name);
	n = (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
	s->facts = xcalloc(n + 1, sizeof(*s->facts));
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		const char *k = ydoc_scalar(ydoc_node(d, p->key));
		const char *v = ydoc_scalar(ydoc_node(d, p->value));

		if (!k || !valid_name(k) || !v || !strstr(v, "(?<value>"))
			return ydoc_error(d, ydoc_node(d, p->key), err, "source '%s': a fact "
					  "needs a name and a pattern with (?<value>...)", s->name);
		s->facts[s->nfacts].name = xstrdup(k);
		s->facts[s->nfacts].pattern = xstrdup(v);
		s->nfacts++;
	}
	return 0;
}

static int parse_source(struct ydoc *d, yaml_node_t *n, struct source *s,
			struct buf *err)
{
	const char *v;
	yaml_node_t *f;

	if (n->type != YAML_MAPPING_NODE)
		return ydoc_error(d, n, err, "a source must be a mapping");
	if (ydoc_check_keys(d, n, source_keys, "a source", err))
		return CF_ERR_PARSE;
	f = ydoc_get(d, n, "name");
	v = ydoc_scalar(f);
	if (!v || !valid_name(v))
		return ydoc_error(d, f ? f : n, err,
				  "a source needs a 'name' of lowercase letters, digits and _");
	s->name = xstrdup(v);
	v = ydoc_scalar(ydoc_get(d, n, "description"));
	s->description = xstrdup(v ? v : "");
	v = ydoc_scalar(ydoc_get(d, n, "program"));
	s->program = v ? xstrdup(v) : NULL;

	f = ydoc_get(d, n, "kind");
	v = ydoc_scalar(f);
	if (!v || !strcmp(v, "state"))
		s->kind = SOURCE_STATE;
	else if (!strcmp(v, "log"))
		s->kind = SOURCE_LOG;
	else if (!strcmp(v, "config"))
		s->kind = SOURCE_CONFIG;
	else
		return ydoc_error(d, f, err, "source '%s': kind must be log, config "
				  "or state, not '%s'", s->name, v);

	if (ydoc_strv(d, ydoc_get(d, n, "files"), "files", &s->files, err) < 0 ||
	    ydoc_strv(d, ydoc_get(d, n, "command"), "command", &s->argv, err) < 0 ||
	    ydoc_strv(d, ydoc_get(d, n, "sos"), "sos", &s->sos, err) < 0 ||
	    ydoc_strv(d, ydoc_get(d, n, "supportconfig"), "supportconfig", &s->scc, err) < 0 ||
	    ydoc_list(d, ydoc_get(d, n, "requires"), "requires", &s->requires, err) < 0)
		return CF_ERR_PARSE;
	v = ydoc_scalar(ydoc_get(d, n, "shell"));
	s->shell = v ? xstrdup(v) : NULL;
	v = ydoc_scalar(ydoc_get(d, n, "since"));
	s->since_arg = v ? xstrdup(v) : NULL;
	if (!!s->files + !!s->argv + !!s->shell != 1)
		return ydoc_error(d, n, err, "source '%s' needs exactly one of "
				  "'files', 'command' or 'shell'", s->name);
	/* an empty list would collect nothing, and a command needs its program */
	if ((s->files && !s->files[0]) || (s->argv && !s->argv[0]))
		return ydoc_error(d, n, err, "source '%s': '%s' is an empty list", s->name,
				  s->files ? "files" : "command");
	if (s->files) {
		size_t i;

		for (i = 0; s->files[i]; i++)
			if (s->files[i][0] != '/')
				return ydoc_error(d, n, err, "source '%s': file glob "
						  "'%s' must be an absolute path",
						  s->name, s->files[i]);
	}
	for (size_t i = 0; s->requires && s->requires[i]; i++)
		if (s->requires[i][0] != '/' && !valid_name(s->requires[i]))
			return ydoc_error(d, ydoc_get(d, n, "requires"), err, "source '%s': "
					  "'%s' is neither a requirement's name nor an "
					  "absolute path", s->name, s->requires[i]);

	f = ydoc_get(d, n, "rotated");
	v = ydoc_scalar(f);
	if (!v)
		s->rotated = s->kind == SOURCE_LOG && s->files;
	else if (!strcmp(v, "true") || !strcmp(v, "false"))
		s->rotated = !strcmp(v, "true");
	else
		return ydoc_error(d, f, err, "'rotated' must be true or false");

	f = ydoc_get(d, n, "timeout");
	s->timeout = SOURCE_DEFAULT_TIMEOUT;
	if ((v = ydoc_scalar(f))) {
		int64_t t = parse_duration(v);

		if (t <= 0 || t > 3600)
			return ydoc_error(d, f, err, "timeout '%s' is not a duration "
					  "between 1s and 1h", v);
		s->timeout = (int)t;
	}
	s->cap = s->kind == SOURCE_LOG ? SOURCE_DEFAULT_LOG_CAP : SOURCE_DEFAULT_CAP;
	f = ydoc_get(d, n, "cap");
	if ((v = ydoc_scalar(f)) && (s->cap = parse_size(v)) <= 0)
		return ydoc_error(d, f, err, "cap '%s' is not a size like 512K or 16M", v);
	s->total = s->cap * 2;
	f = ydoc_get(d, n, "total");
	if ((v = ydoc_scalar(f)) && (s->total = parse_size(v)) <= 0)
		return ydoc_error(d, f, err, "total '%s' is not a size like 32M", v);
	f = ydoc_get(d, n, "table");
	if (f && table_spec_parse(d, f, s->name, &s->table, err))
		return CF_ERR_PARSE;
	f = ydoc_get(d, n, "facts");
	return f ? parse_facts(d, f, s, err) : 0;
}

static void add_source(struct catalog *c, struct source *s)
{
	size_t i;

	for (i = 0; i < c->nr; i++)
		if (!strcmp(c->items[i].name, s->name))
			break;
	if (i < c->nr) {
		source_clear(&c->items[i]);
		c->items[i] = *s;
	} else {
		ALLOC_GROW(c->items, c->nr + 1, c->alloc);
		c->items[c->nr++] = *s;
	}
}

static int parse_sources(struct catalog *c, struct ydoc *d, yaml_node_t *list, struct buf *err)
{
	yaml_node_item_t *it;
	int r = 0;

	if (list->type != YAML_SEQUENCE_NODE)
		return ydoc_error(d, list, err, "'sources' must be a list of sources");
	for (it = list->data.sequence.items.start; it < list->data.sequence.items.top; it++) {
		struct source s;

		memset(&s, 0, sizeof(s));
		if (parse_source(d, ydoc_node(d, *it), &s, err)) {
			source_clear(&s);
			r = CF_ERR_PARSE;
			continue;
		}
		add_source(c, &s);
	}
	return r;
}

/* groups: {name: [source, ...]}; the members are checked once all is loaded */
static int parse_groups(struct catalog *c, struct ydoc *d, yaml_node_t *map, struct buf *err)
{
	yaml_node_pair_t *p;
	int r = 0;

	if (map->type != YAML_MAPPING_NODE)
		return ydoc_error(d, map, err, "'groups' must map a name to a list of sources");
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = ydoc_node(d, p->key);
		const char *name = ydoc_scalar(k);
		char **members = NULL;

		if (!name || !valid_name(name)) {
			r = ydoc_error(d, k, err, "a group needs a name of lowercase letters, "
				       "digits and _");
			continue;
		}
		if (ydoc_strv(d, ydoc_node(d, p->value), "group", &members, err) <= 0) {
			strv_free(members);
			r = CF_ERR_PARSE;
			continue;
		}
		ALLOC_GROW(c->groups, c->ngroups + 1, c->agroups);
		c->groups[c->ngroups].name = xstrdup(name);
		c->groups[c->ngroups].members = members;
		c->ngroups++;
	}
	return r;
}

/* layouts: {casefile: {markers: [...], prefixes: [...], first: [...]}} */
static int parse_layouts(struct catalog *c, struct ydoc *d, yaml_node_t *map, struct buf *err)
{
	yaml_node_pair_t *p;

	if (map->type != YAML_MAPPING_NODE)
		return ydoc_error(d, map, err, "'layouts' must map a layout's name to its markers");
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = ydoc_node(d, p->key), *v = ydoc_node(d, p->value);
		const char *name = ydoc_scalar(k);
		struct layout_def l;

		memset(&l, 0, sizeof(l));
		if (!name || v->type != YAML_MAPPING_NODE)
			return ydoc_error(d, k, err, "a layout needs a name and a mapping of "
					  "markers, prefixes and first");
		if (ydoc_strv(d, ydoc_get(d, v, "markers"), "markers", &l.markers, err) < 0 ||
		    ydoc_strv(d, ydoc_get(d, v, "prefixes"), "prefixes", &l.prefixes, err) < 0 ||
		    ydoc_strv(d, ydoc_get(d, v, "first"), "first", &l.first, err) < 0) {
			strv_free(l.markers);
			strv_free(l.prefixes);
			strv_free(l.first);
			return CF_ERR_PARSE;
		}
		l.name = xstrdup(name);
		ALLOC_GROW(c->layouts, c->nlayouts + 1, c->alayouts);
		c->layouts[c->nlayouts++] = l;
	}
	return 0;
}

static void requirement_clear(struct requirement *q)
{
	free(q->name);
	strv_free(q->exists);
	free(q->why);
}

static const char *const requirement_keys[] = { "exists", "why", NULL };

/* requirements: {systemd: {exists: [/run/systemd/system], why: "..."}} */
static int parse_requirements(struct catalog *c, struct ydoc *d, yaml_node_t *map,
			      struct buf *err)
{
	yaml_node_pair_t *p;

	if (map->type != YAML_MAPPING_NODE)
		return ydoc_error(d, map, err, "'requirements' must map a name to "
				  "{exists: [path, ...], why: text}");
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = ydoc_node(d, p->key), *v = ydoc_node(d, p->value);
		const char *name = ydoc_scalar(k), *why = ydoc_scalar(ydoc_get(d, v, "why"));
		struct requirement q = { 0 }, *old;
		int bad = !name || !valid_name(name) || v->type != YAML_MAPPING_NODE || !why ||
			  ydoc_check_keys(d, v, requirement_keys, "a requirement", err) ||
			  ydoc_list(d, ydoc_get(d, v, "exists"), "exists", &q.exists, err) <= 0;
		size_t i;

		for (i = 0; !bad && q.exists[i]; i++)
			bad = q.exists[i][0] != '/';
		if (bad) {
			strv_free(q.exists);
			return ydoc_error(d, k, err, "a requirement needs a name of lowercase "
					  "letters, digits and _, 'exists' (a list of absolute "
					  "paths) and 'why'");
		}
		q.name = xstrdup(name);
		q.why = xstrdup(why);
		if ((old = (struct requirement *)catalog_requirement(c, name))) {
			requirement_clear(old);	/* named again: the later one wins */
			*old = q;
			continue;
		}
		ALLOC_GROW(c->reqs, c->nreqs + 1, c->areqs);
		c->reqs[c->nreqs++] = q;
	}
	return 0;
}

const struct requirement *catalog_requirement(const struct catalog *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nreqs; i++)
		if (!strcmp(c->reqs[i].name, name))
			return &c->reqs[i];
	return NULL;
}

/* Once everything is loaded: every name a source requires is defined. */
static int check_requires(const struct catalog *c, struct buf *err)
{
	size_t i, k;
	int r = 0;

	for (i = 0; i < c->nr; i++)
		for (k = 0; c->items[i].requires && c->items[i].requires[k]; k++) {
			const char *q = c->items[i].requires[k];

			if (q[0] != '/' && !catalog_requirement(c, q)) {
				buf_addf(err, "source '%s' requires '%s', which no 'requirements:' "
					 "defines\n", c->items[i].name, q);
				r = CF_ERR_PARSE;
			}
		}
	return r;
}

static int parse_strv_into(struct ydoc *d, yaml_node_t *n, const char *what, char ***into,
			   struct buf *err)
{
	char **v = NULL;
	size_t i;

	if (ydoc_strv(d, n, what, &v, err) < 0)
		return CF_ERR_PARSE;
	for (i = 0; v && v[i]; i++) {
		size_t k;

		for (k = 0; *into && (*into)[k] && strcmp((*into)[k], v[i]); k++)
			;
		if (!*into || !(*into)[k])	/* a folder's file may repeat the built-in one */
			strv_push(into, xstrdup(v[i]));
	}
	strv_free(v);
	return 0;
}

int catalog_parse(struct catalog *c, const char *name, const char *data,
		  size_t len, struct buf *err)
{
	struct ydoc d;
	yaml_node_t *root, *n;
	int r = 0, any = 0;

	if ((r = ydoc_load(&d, name, data, len, err)))
		goto out;
	root = ydoc_root(&d);
	if ((n = ydoc_get(&d, root, "sources")) && ++any && parse_sources(c, &d, n, err))
		r = CF_ERR_PARSE;
	if ((n = ydoc_get(&d, root, "groups")) && ++any && parse_groups(c, &d, n, err))
		r = CF_ERR_PARSE;
	if ((n = ydoc_get(&d, root, "categories")) && ++any &&
	    parse_strv_into(&d, n, "categories", &c->categories, err))
		r = CF_ERR_PARSE;
	if ((n = ydoc_get(&d, root, "layouts")) && ++any && parse_layouts(c, &d, n, err))
		r = CF_ERR_PARSE;
	if ((n = ydoc_get(&d, root, "host_folders")) && ++any &&
	    parse_strv_into(&d, n, "host_folders", &c->host_folders, err))
		r = CF_ERR_PARSE;
	if ((n = ydoc_get(&d, root, "requirements")) && ++any &&
	    parse_requirements(c, &d, n, err))
		r = CF_ERR_PARSE;
	if (!any)
		r = ydoc_error(&d, root, err, "expected 'sources:', 'groups:', 'categories:', "
			       "'layouts:', 'host_folders:' or 'requirements:' at the top");
out:
	ydoc_release(&d);
	return r;
}

int catalog_load_default(struct catalog *c, struct buf *err)
{
	const struct embedded_file *f = embedded_find("rules/sources.yaml");

	const struct embedded_file *cf = embedded_find("rules/categories.yaml");

	if (!f || !cf)
		return error("the compiled-in sources catalogue is missing");
	if (catalog_parse(c, "rules/sources.yaml", f->data, f->len, err) ||
	    catalog_parse(c, "rules/categories.yaml", cf->data, cf->len, err))
		return CF_ERR_PARSE;
	return check_requires(c, err);
}

static int load_file(struct catalog *c, const char *dir, const char *file, struct buf *err)
{
	struct buf path = BUF_INIT(0), data = BUF_INIT(4 * 1024 * 1024);
	int r;

	buf_addf(&path, "%s/%s", dir, file);
	r = buf_read_file(&data, path.data);
	if (r == CF_ERR_IO && errno == ENOENT)
		r = 0;	/* a rules folder need not override sources */
	else if (r == CF_ERR_IO)
		buf_addf(err, "%s: cannot read: %s\n", path.data, strerror(errno));
	else if (r == CF_ERR_CAP)
		buf_addf(err, "%s: larger than 4M\n", path.data);
	else
		r = catalog_parse(c, path.data, data.data, data.len, err);
	buf_release(&path);
	buf_release(&data);
	return r;
}

int catalog_load_dir(struct catalog *c, const char *dir, struct buf *err)
{
	int r = load_file(c, dir, "sources.yaml", err);

	if (load_file(c, dir, "categories.yaml", err))
		r = CF_ERR_PARSE;
	return r ? r : check_requires(c, err);
}

void catalog_release(struct catalog *c)
{
	size_t i;

	for (i = 0; i < c->nr; i++)
		source_clear(&c->items[i]);
	free(c->items);
	for (i = 0; i < c->ngroups; i++) {
		free(c->groups[i].name);
		strv_free(c->groups[i].members);
	}
	free(c->groups);
	strv_free(c->categories);
	for (i = 0; i < c->nlayouts; i++) {
		free(c->layouts[i].name);
		strv_free(c->layouts[i].markers);
		strv_free(c->layouts[i].prefixes);
		strv_free(c->layouts[i].first);
	}
	free(c->layouts);
	for (i = 0; i < c->nreqs; i++)
		requirement_clear(&c->reqs[i]);
	free(c->reqs);
	strv_free(c->host_folders);
	memset(c, 0, sizeof(*c));
}

const struct source *catalog_find(const struct catalog *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nr; i++)
		if (!strcmp(c->items[i].name, name))
			return &c->items[i];
	return NULL;
}

const struct source_group *catalog_group(const struct catalog *c, const char *name)
{
	size_t i;

	for (i = c->ngroups; i-- > 0; )	/* a later definition wins */
		if (!strcmp(c->groups[i].name, name))
			return &c->groups[i];
	return NULL;
}

int catalog_category_known(const struct catalog *c, const char *category)
{
	size_t i;

	for (i = 0; c->categories && c->categories[i]; i++)
		if (!strcmp(c->categories[i], category))
			return 1;
	return 0;
}

int catalog_host_folder(const struct catalog *c, const char *name, size_t n)
{
	size_t i;

	for (i = 0; c->host_folders && c->host_folders[i]; i++)
		if (strlen(c->host_folders[i]) == n && !strncmp(c->host_folders[i], name, n))
			return 1;
	return 0;
}

static int all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return n > 0;
}

int rotation_suffix(const char *s)
{
	size_t n;

	if (!*s)
		return 1;
	if (!strcmp(s, ".gz"))
		return 1;
	if (*s != '.' && *s != '-')
		return 0;
	s++;
	n = strspn(s, "0123456789");
	if (!all_digits(s, n))
		return 0;
	s += n;
	return !*s || !strcmp(s, ".gz");
}

/* The glob itself, or the glob plus a rotation suffix ("syslog" + ".2.gz"). */
static int glob_claims(const char *glob, const char *path, int rotated)
{
	const char *base, *p;
	char tmp[4096];

	if (!fnmatch(glob, path, FNM_PATHNAME | FNM_PERIOD))
		return 1;
	if (!rotated)
		return 0;
	/* the suffix starts at some '.' or '-' of the last path component */
	base = strrchr(path, '/');
	for (p = base ? base + 1 : path; *p; p++) {
		size_t plen = (size_t)(p - path);

		if ((*p != '.' && *p != '-') || plen >= sizeof(tmp) || !rotation_suffix(p))
			continue;
		memcpy(tmp, path, plen);
		tmp[plen] = '\0';
		if (!fnmatch(glob, tmp, FNM_PATHNAME | FNM_PERIOD))
			return 1;
	}
	return 0;
}

int source_claims(const struct source *s, const char *relpath)
{
	size_t i;

	if ((s->argv || s->shell) && !strncmp(relpath, COMMANDS_DIR, strlen(COMMANDS_DIR)) &&
	    !strcmp(relpath + strlen(COMMANDS_DIR), s->name))
		return 1;
	for (i = 0; s->files && s->files[i]; i++)
		if (glob_claims(s->files[i] + 1, relpath, s->rotated))
			return 1;
	for (i = 0; s->sos && s->sos[i]; i++)
		if (glob_claims(s->sos[i], relpath, s->rotated))
			return 1;
	return 0;
}

int source_claims_section(const struct source *s, const char *file, const char *section)
{
	size_t i, n = strlen(file);

	for (i = 0; s->scc && s->scc[i]; i++) {
		const char *colon = strchr(s->scc[i], ':');

		if (colon && (size_t)(colon - s->scc[i]) == n && !strncmp(s->scc[i], file, n) &&
		    !fnmatch(colon + 1, section, 0))
			return 1;
	}
	return 0;
}
