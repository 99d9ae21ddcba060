/*
 * engine_decide.c: after the last line: which rules fired, which finding
 * explains which, and the order of the report (see engine.h).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "casefile.h"
#include "engine_state.h"
#include "template.h"

static int cond_holds(const struct cond *cd, const struct cond_state *cs)
{
	if (cs->count < cd->threshold)
		return 0;
	return !cd->window || cs->window_met || cd->threshold <= 1;
}

static int fired(const struct rule *r, struct cond_state *st)
{
	size_t c;
	int any_seen = 0, any_held = 0;

	if (!cond_holds(&r->conds[0], &st[0]))
		return 0;
	for (c = 1; c < r->nconds; c++) {
		const struct cond *cd = &r->conds[c];

		switch (cd->role) {
		case COND_ALL:
			if (!cond_holds(cd, &st[c]))
				return 0;
			break;
		case COND_ANY:
			any_seen = 1;
			any_held |= cond_holds(cd, &st[c]);
			break;
		case COND_NONE:
			if (st[c].count)
				return 0;
			break;
		default:
			break;
		}
	}
	return !any_seen || any_held;
}

/* What the bundle says about its clock: the boot time and the zone. */
struct clock {
	int64_t boot;
	const char *zone;
};

static struct ts to_wall(struct ts t, const struct clock *ck)
{
	int64_t utc;

	if (t.kind == TS_LOCAL) {
		/* without a zone the local time stands as UTC (the report says so) */
		if (ck->zone && !ts_local_to_utc(t.sec, ck->zone, &utc))
			t.sec = utc;
		t.kind = TS_WALL;
		return t;
	}
	if (t.kind == TS_BOOT && ck->boot > 0) {
		t.kind = TS_WALL;
		t.sec += ck->boot;
	}
	return t;
}

static int ev_cmp(const void *a, const void *b)
{
	const struct evidence *x = a, *y = b;

	if (x->member != y->member)
		return x->member < y->member ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static void move_evidence(struct finding *f, struct cond_state *cs, const struct clock *ck)
{
	size_t k;

	for (k = 0; k < cs->nev; k++) {
		f->ev = xrealloc(f->ev, (f->nev + 1) * sizeof(*f->ev));
		f->ev[f->nev] = cs->ev[k];
		f->ev[f->nev].ts = to_wall(f->ev[f->nev].ts, ck);
		f->nev++;
		memset(&cs->ev[k], 0, sizeof(cs->ev[k]));
	}
	cs->nev = 0;
}

static size_t find_fired(const struct finding *f, size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(f[i].rule->id, id))
			return i;
	return SIZE_MAX;
}

static int64_t ts_order(struct ts t)
{
	return t.kind == TS_WALL ? t.sec : INT64_MAX;
}

/* root causes by severity, then evidence, then time; then the rest */
static int finding_cmp(const void *a, const void *b)
{
	const struct finding *x = a, *y = b;

	if (x->root != y->root)
		return x->root ? -1 : 1;
	if (x->rule->severity != y->rule->severity)
		return x->rule->severity > y->rule->severity ? -1 : 1;
	if (!!x->nexplains != !!y->nexplains)
		return x->nexplains ? -1 : 1;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	if (ts_order(x->first) != ts_order(y->first))
		return ts_order(x->first) < ts_order(y->first) ? -1 : 1;
	return strcmp(x->rule->id, y->rule->id);
}

/* A condition's entity values into the finding's: distinct, at most ENTITY_VALUES. */
static void merge_entities(json_t *into, const struct entity_set *ents)
{
	size_t k, i, j;

	for (k = 0; ents && k < ENTITY_NR; k++) {
		json_t *set = json_object_get(into, entity_names[k]);

		for (i = 0; i < ents[k].n; i++) {
			if (!set) {
				set = json_array();
				json_object_set_new(into, entity_names[k], set);
			}
			for (j = 0; j < json_array_size(set); j++)
				if (!strcmp(json_string_value(json_array_get(set, j)), ents[k].v[i]))
					break;
			if (j == json_array_size(set) && j < ENTITY_VALUES)
				json_array_append_new(set, json_string(ents[k].v[i]));
		}
	}
}

/* sdb1 -> sdb, nvme0n1p2 -> nvme0n1, mmcblk0p1 -> mmcblk0; dm-3 stays */
static void disk_of(const char *dev, char *out, size_t n)
{
	size_t len;

	snprintf(out, n, "%s", dev);
	len = strlen(out);
	if (!strncmp(out, "dm-", 3) || !strncmp(out, "md", 2))
		return;
	if (!strncmp(out, "nvme", 4) || !strncmp(out, "mmcblk", 6)) {
		char *p = strrchr(out, 'p');

		if (p && p > out + 4 && isdigit((unsigned char)p[-1]) && isdigit((unsigned char)p[1]))
			*p = '\0';
		return;
	}
	while (len && isdigit((unsigned char)out[len - 1]))
		out[--len] = '\0';
}

/* postgresql@15-main.service -> postgresql */
static void unit_base(const char *unit, char *out, size_t n)
{
	snprintf(out, n, "%s", unit);
	out[strcspn(out, "@.")] = '\0';
}

/* A runtime's name says nothing of the unit it runs (java in tomcat.service). */
static int generic_process(const char *proc)
{
	static const char *const runtimes[] = {
		"java", "python", "node", "ruby", "perl", "php", "sh", "bash", "dotnet", "mono",
		"beam.smp", "erl", "lua", "qemu", NULL
	};
	size_t i;

	for (i = 0; runtimes[i]; i++)
		if (!strncmp(proc, runtimes[i], strlen(runtimes[i])))
			return 1;
	return 0;
}

/* A process (comm) that is a unit's program: postgres and postgresql.service. */
static int process_of_unit(const char *proc, const char *unit)
{
	char base[128];
	size_t a, b;

	if (generic_process(proc))
		return 1;	/* cannot tell: the test is left out */
	unit_base(unit, base, sizeof(base));
	a = strlen(proc);
	b = strlen(base);
	if (a < 3 || b < 3)
		return 0;
	return !strncasecmp(proc, base, a < b ? a : b);
}

static int same_entity(const char *name, const char *a, const char *b)
{
	char x[128], y[128];

	if (!strcmp(name, "device")) {
		disk_of(a, x, sizeof(x));
		disk_of(b, y, sizeof(y));
		return !strcmp(x, y);
	}
	if (!strcmp(name, "unit")) {
		unit_base(a, x, sizeof(x));
		unit_base(b, y, sizeof(y));
		return !strcmp(x, y);
	}
	return !strcmp(a, b);
}

/*
 * Do cause f and symptom s share the entity? Where one side names none,
 * the test is left out; a cause that names only the process still matches
 * a symptom's unit when the process is the unit's program.
 */
static int shares(const struct finding *f, const struct finding *s, const char *name)
{
	json_t *a = json_object_get(f->entities, name), *b = json_object_get(s->entities, name);
	size_t i, k;

	if (!a && !strcmp(name, "unit") && b) {
		json_t *p = json_object_get(f->entities, "process");

		for (i = 0; i < json_array_size(p); i++)
			for (k = 0; k < json_array_size(b); k++)
				if (process_of_unit(json_string_value(json_array_get(p, i)),
						    json_string_value(json_array_get(b, k))))
					return 1;
		return !p;
	}
	if (!a || !b)
		return 1;
	for (i = 0; i < json_array_size(a); i++)
		for (k = 0; k < json_array_size(b); k++)
			if (same_entity(name, json_string_value(json_array_get(a, i)),
					json_string_value(json_array_get(b, k))))
				return 1;
	return 0;
}

#define ORDER_SLACK 60	/* seconds a symptom may seem to precede its cause */

/* Does the link hold between these two findings (entities, order in time)? */
static int link_holds(const struct explain *l, const struct finding *f,
		      const struct finding *s)
{
	size_t i;

	for (i = 0; l->share && l->share[i]; i++)
		if (!shares(f, s, l->share[i]))
			return 0;
	if (l->within && f->first.kind == TS_WALL && s->first.kind == TS_WALL &&
	    (s->last.sec + ORDER_SLACK < f->first.sec || s->first.sec > f->last.sec + l->within))
		return 0;
	return 1;
}

/* For each link of f that holds, the index of its symptom; SIZE_MAX ends. */
static size_t next_symptom(struct engine *e, size_t i, size_t *k)
{
	struct finding *f = &e->findings[i];

	for (; *k < f->rule->nlinks; (*k)++) {
		const struct explain *l = &f->rule->links[*k];
		size_t j = find_fired(e->findings, e->nfindings, l->rule);

		if (j != SIZE_MAX && j != i && link_holds(l, f, &e->findings[j])) {
			(*k)++;
			return j;
		}
	}
	return SIZE_MAX;
}

/*
 * Link causes and symptoms; a finding explained by another is no root.
 * Roots that explain something rank before roots that do not.
 */
static void link_findings(struct engine *e)
{
	size_t i, j, k;

	for (i = 0; i < e->nfindings; i++)
		for (k = 0; (j = next_symptom(e, i, &k)) != SIZE_MAX; ) {
			e->findings[j].nexplained_by++;
			e->findings[i].nexplains++;
		}
	for (i = 0; i < e->nfindings; i++)
		e->findings[i].root = !e->findings[i].nexplained_by;
	if (e->nfindings)
		qsort(e->findings, e->nfindings, sizeof(*e->findings), finding_cmp);
	/* indices after sorting */
	for (i = 0; i < e->nfindings; i++)
		e->findings[i].nexplained_by = e->findings[i].nexplains = 0;
	for (i = 0; i < e->nfindings; i++) {
		struct finding *f = &e->findings[i];

		for (k = 0; (j = next_symptom(e, i, &k)) != SIZE_MAX; ) {
			struct finding *s = &e->findings[j];

			f->explains = xrealloc(f->explains, (f->nexplains + 1) * sizeof(size_t));
			f->explains[f->nexplains++] = j;
			s->explained_by = xrealloc(s->explained_by,
						   (s->nexplained_by + 1) * sizeof(size_t));
			s->explained_by[s->nexplained_by++] = i;
		}
	}
}

struct finding *engine_finish(struct engine *e, size_t *n)
{
	size_t r, c, i;
	const char *bt = facts_get(e->facts, "boot_time");
	struct clock ck = { bt ? strtoll(bt, NULL, 10) : 0, facts_get(e->facts, "timezone") };

	table_set_end(e->tables);
	table_conds_run(e);
	for (r = 0; r < e->nrules; r++) {
		const struct rule *rule = &e->rules[r];
		struct cond_state *st = e->st[r];
		struct finding *f;

		if (!fired(rule, st))
			continue;
		e->findings = xrealloc(e->findings, (e->nfindings + 1) * sizeof(*e->findings));
		f = &e->findings[e->nfindings++];
		memset(f, 0, sizeof(*f));
		f->rule = rule;
		f->count = st[0].count;
		f->first = to_wall(st[0].first, &ck);
		f->last = to_wall(st[0].last, &ck);
		f->captures = st[0].captures ? json_incref(st[0].captures) : json_object();
		f->entities = json_object();
		for (c = 0; c < rule->nconds; c++)
			if (rule->conds[c].role != COND_NONE) {
				move_evidence(f, &st[c], &ck);
				merge_entities(f->entities, st[c].ents);
			}
		if (f->nev)
			qsort(f->ev, f->nev, sizeof(*f->ev), ev_cmp);
	}
	link_findings(e);
	for (i = 0; i < e->nfindings; i++) {
		struct finding *f = &e->findings[i];

		f->explanation = template_expand(f->rule->explanation, f);
		f->remediation = template_expand(f->rule->remediation, f);
	}
	*n = e->nfindings;
	return e->findings;
}
