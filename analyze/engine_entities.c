/*
 * engine_entities.c: what the bundle itself says is one thing, besides what
 * rules capture (see causality.h and entity.h): lines of the logs whose
 * captures name one thing (the OOM killer's cgroup, pid and task; a SCSI
 * address and its disk), and rows of typed tables (a multipath map, its dm
 * device and the paths under it).
 */
#include <ctype.h>
#include <string.h>
#include "casefile.h"
#include "engine_state.h"
#include "scan.h"

/* A matcher for an entity line's pattern: its sources' scanners find its literals. */
static void add_matcher(struct engine *e, size_t pat, const struct pattern *pt,
			const size_t *srcs, size_t nsrcs)
{
	uint32_t id = (uint32_t)e->nm;
	size_t s, k;

	e->m = xrealloc(e->m, (e->nm + 1) * sizeof(*e->m));
	e->m[e->nm].rule = ENTITY_LINE_RULE;
	e->m[e->nm].cond = 0;
	e->m[e->nm].pat = (uint32_t)pat;
	e->nm++;
	for (s = 0; s < nsrcs; s++) {
		if (!e->sc[srcs[s]])
			e->sc[srcs[s]] = scanner_new();
		for (k = 0; k < pt->nlits; k++)
			scanner_add(e->sc[srcs[s]], pt->lits[k].text, pt->lits[k].len, pt->caseless, id);
	}
}

/* The sources a name stands for: the source, or a group's members. */
static size_t sources_of(const struct catalog *cat, const char *name, size_t *out, size_t max)
{
	const struct source *src = catalog_find(cat, name);
	const struct source_group *g = src ? NULL : catalog_group(cat, name);
	size_t n = 0, k;

	if (src)
		out[n++] = (size_t)(src - cat->items);
	for (k = 0; g && g->members[k] && n < max; k++)
		if ((src = catalog_find(cat, g->members[k])))
			out[n++] = (size_t)(src - cat->items);
	return n;
}

/*
 * Each rule pattern's entity groups: its captures of the standard names,
 * and those rules/entities.yaml's captures names like one (a 'controller' is
 * a device, a 'server' a peer).
 */
void engine_entity_groups_setup(struct engine *e)
{
	const struct causality *c = e->causality;
	size_t i, a, k;

	e->egroups = xcalloc(e->nm + 1, sizeof(*e->egroups));
	for (i = 0; i < e->nm; i++) {
		const struct matcher *m = &e->m[i];
		const struct pattern *pt = &e->rules[m->rule].conds[m->cond].pats[m->pat];

		memcpy(e->egroups[i], pt->ent_group, sizeof(e->egroups[i]));
		for (a = 0; c->capture_names && c->capture_names[a]; a++) {
			int g = pcre2_substring_number_from_name(pt->code,
								 (PCRE2_SPTR)c->capture_names[a]);

			for (k = 0; g > 0 && entity_names[k]; k++)
				if (!strcmp(entity_names[k], c->capture_kinds[a]) &&
				    e->egroups[i][k] <= 0)
					e->egroups[i][k] = g;
		}
	}
}

void engine_entity_lines_setup(struct engine *e)
{
	const struct causality *c = e->causality;
	size_t *srcs = xcalloc(e->cat->nr + 1, sizeof(*srcs));
	size_t l, p, k, n;

	for (l = 0; l < c->nlines; l++) {
		n = 0;
		for (k = 0; c->lines[l].sources[k]; k++)
			n += sources_of(e->cat, c->lines[l].sources[k], srcs + n, e->cat->nr - n);
		for (p = 0; c->lines[l].patterns[p]; p++) {
			struct buf why = BUF_INIT(0);
			struct pattern pt;

			memset(&pt, 0, sizeof(pt));
			if (pattern_compile(&pt, c->lines[l].patterns[p], 0, &why) || !pt.nlits) {
				warning("rules/entities.yaml: line pattern '%s' is left out: %s",
					c->lines[l].patterns[p], why.len ? why.data :
					"it has no literal of 4 characters");
				pattern_release(&pt);
				buf_release(&why);
				continue;
			}
			buf_release(&why);
			e->elines = xrealloc(e->elines, (e->nelines + 1) * sizeof(*e->elines));
			e->elines[e->nelines] = pt;
			add_matcher(e, e->nelines, &e->elines[e->nelines], srcs, n);
			e->nelines++;
		}
	}
	free(srcs);
}

/* A line an entity line's pattern holds on (the searcher's captures in ov). */
void engine_entity_line(struct engine *e, uint32_t pat, const char *line, const PCRE2_SIZE *ov)
{
	const struct pattern *pt = &e->elines[pat];
	uint32_t count, size, i;
	PCRE2_SPTR names;
	char first_kind[64] = "", first[ENTITY_TEXT + 1] = "";

	pcre2_pattern_info(pt->code, PCRE2_INFO_NAMECOUNT, &count);
	pcre2_pattern_info(pt->code, PCRE2_INFO_NAMEENTRYSIZE, &size);
	pcre2_pattern_info(pt->code, PCRE2_INFO_NAMETABLE, &names);
	for (i = 0; i < count; i++) {
		PCRE2_SPTR ent = names + i * size;
		int g = (ent[0] << 8) | ent[1];
		char v[ENTITY_TEXT + 1], kind[64];
		size_t n, k;

		if (ov[2 * g] == PCRE2_UNSET || ov[2 * g + 1] == ov[2 * g])
			continue;
		n = ov[2 * g + 1] - ov[2 * g];
		snprintf(v, sizeof(v), "%.*s", (int)(n > ENTITY_TEXT ? ENTITY_TEXT : n),
			 line + ov[2 * g]);
		/* devnum1, devnum2: one kind, two captures */
		snprintf(kind, sizeof(kind), "%s", (const char *)ent + 2);
		for (k = strlen(kind); k > 1 && isdigit((unsigned char)kind[k - 1]); k--)
			kind[k - 1] = '\0';
		if (!first[0]) {
			snprintf(first_kind, sizeof(first_kind), "%s", kind);
			snprintf(first, sizeof(first), "%s", v);
		} else {
			entity_map_join(e->emap, first_kind, first, kind, v);
		}
	}
}

/* "sdb1[1] sda1[0](F)": each device of a field of several, one thing with what */
static void join_words(struct engine *e, const char *kind, const char *what, const char *v)
{
	char dev[64];
	size_t n;

	while (*v) {
		v += strspn(v, " \t");
		n = strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789-_");
		if (n && n < sizeof(dev)) {
			snprintf(dev, sizeof(dev), "%.*s", (int)n, v);
			entity_map_join(e->emap, kind, what, "device", dev);
		}
		v += n;
		v += strcspn(v, " \t");
	}
}

void engine_entity_tables(struct engine *e)
{
	const struct causality *c = e->causality;
	size_t t, row, k;

	for (t = 0; c && t < c->ntables; t++) {
		const struct entity_table *et = &c->tables[t];
		const struct source *src = catalog_find(e->cat, et->table);
		const struct table *tb = src ? table_set_at(e->tables,
							   (size_t)(src - e->cat->items)) : NULL;

		for (row = 0; tb && row < table_rows(tb); row++) {
			const char *first = NULL, *first_kind = NULL;

			for (k = 0; et->fields[k]; k++) {
				const char *v = table_get(tb, row, et->fields[k]);

				if (!v || !*v)
					continue;
				if (!strcmp(et->kinds[k], "devices") && first)
					join_words(e, first_kind, first, v);
				else if (first)
					entity_map_join(e->emap, first_kind, first, et->kinds[k], v);
				else
					first = v, first_kind = et->kinds[k];
			}
		}
	}
}
