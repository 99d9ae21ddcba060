/*
 * engine_match.c: what one matching line leaves in its condition's state
 * (see engine_state.h): the event counted once, the tallies toward the
 * thresholds, the captures, the entities and what they say is one thing,
 * and the evidence.
 */
#include <string.h>
#include "casefile.h"
#include "engine_state.h"
#include "text.h"

void engine_evidence_clear(struct evidence *ev)
{
	free(ev->path);
	free(ev->text);
	memset(ev, 0, sizeof(*ev));
}

static void keep_evidence(struct engine *e, struct cond_state *cs, const char *line,
			  size_t len, uint64_t lineno, struct ts ts)
{
	struct evidence *ev;

	if (cs->nev < EVIDENCE_FIRST + 1) {
		ev = &cs->ev[cs->nev++];
	} else {
		ev = &cs->ev[EVIDENCE_FIRST];	/* the last one seen replaces */
		engine_evidence_clear(ev);
	}
	ev->path = xstrdup(e->path);
	ev->line = lineno;
	ev->text = text_utf8(line, len < EVIDENCE_TEXT ? len : EVIDENCE_TEXT);
	ev->ts = ts;
	ev->member = e->member;
}

/*
 * The first match's captures; a name it lacks (another pattern's wording
 * has it) from the first later match that has it, so "{unit}" is filled.
 * A pattern all of whose names are kept is not looked at again: this runs
 * on every match.
 */
static void keep_captures(struct cond_state *cs, size_t pat, const struct pattern *pt,
			  const char *line, const PCRE2_SIZE *ov)
{
	uint64_t bit = pat < 64 ? 1ULL << pat : 0;
	uint32_t count, size, i;
	PCRE2_SPTR table;
	int all = 1;

	if (cs->captures_kept & bit)
		return;
	if (!cs->captures)
		cs->captures = json_object();
	pcre2_pattern_info(pt->code, PCRE2_INFO_NAMECOUNT, &count);
	pcre2_pattern_info(pt->code, PCRE2_INFO_NAMEENTRYSIZE, &size);
	pcre2_pattern_info(pt->code, PCRE2_INFO_NAMETABLE, &table);
	for (i = 0; i < count; i++) {
		PCRE2_SPTR ent = table + i * size;
		int g = (ent[0] << 8) | ent[1];
		char *v;

		if (json_object_get(cs->captures, (const char *)ent + 2))
			continue;
		if (ov[2 * g] == PCRE2_UNSET) {
			all = 0;
			continue;
		}
		v = text_utf8(line + ov[2 * g], ov[2 * g + 1] - ov[2 * g] > 200 ? 200 :
			       ov[2 * g + 1] - ov[2 * g]);
		json_object_set_new(cs->captures, (const char *)ent + 2, json_string(v));
		free(v);
	}
	if (all)
		cs->captures_kept |= bit;
}

/* A value of entity k, once: cleaned, cut at ENTITY_TEXT, at most ENTITY_VALUES. */
static void entity_add(struct cond_state *cs, size_t k, const char *val, size_t n)
{
	struct entity_set *set;
	size_t i;
	char *v;

	if (!n)
		return;
	if (!cs->ents)
		cs->ents = xcalloc(ENTITY_NR, sizeof(*cs->ents));
	set = &cs->ents[k];
	if (set->n == ENTITY_VALUES)
		return;
	if (n > ENTITY_TEXT)
		n = ENTITY_TEXT;
	for (i = 0; i < set->n; i++)
		if (set->len[i] == n && !memcmp(set->v[i], val, n))
			return;
	v = text_utf8(val, n);
	for (i = 0; i < set->n; i++)
		if (!strcmp(set->v[i], v)) {
			free(v);
			return;
		}
	set->len[set->n] = strlen(v);
	set->v[set->n++] = v;
}

static void keep_entities(struct cond_state *cs, const int *ent_group, const char *line,
			  const PCRE2_SIZE *ov)
{
	size_t k;

	for (k = 0; k < ENTITY_NR; k++) {
		int g = ent_group[k];

		if (g > 0 && ov[2 * g] != PCRE2_UNSET)
			entity_add(cs, k, line + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
	}
}

/* The kinds one match names together that are one thing: a process's, a disk's. */
static const enum entity_kind identity[][3] = {
	{ ENT_UNIT, ENT_PROCESS, ENT_PID }, { ENT_DEVICE, ENT_MOUNT, ENT_DEVICE },
};

/*
 * What a matching line says of its subject besides the captures (the
 * program and pid of its syslog tag, a cgroup's unit), and what it says is
 * one thing: a process's unit, pid and name, a disk and its mount.
 */
static void learn_entities(struct engine *e, struct cond_state *cs, const int *ent_group,
			   const char *line, const struct line_subject *subject,
			   const PCRE2_SIZE *ov)
{
	const char *val[ENTITY_NR] = { 0 };
	char vbuf[ENTITY_NR][ENTITY_TEXT + 1];
	struct line_subject ls = *subject;
	size_t g, i, k;

	/* an application's own log names no program on its lines: the log is its */
	if (!ls.process[0] && !ls.pid[0] && e->program)
		snprintf(ls.process, sizeof(ls.process), "%s", e->program);
	for (k = 0; k < ENTITY_NR; k++) {
		int grp = ent_group[k];
		size_t n;

		if (grp <= 0 || ov[2 * grp] == PCRE2_UNSET || ov[2 * grp + 1] == ov[2 * grp])
			continue;
		n = ov[2 * grp + 1] - ov[2 * grp];
		snprintf(vbuf[k], sizeof(vbuf[k]), "%.*s", (int)(n > ENTITY_TEXT ? ENTITY_TEXT : n),
			 line + ov[2 * grp]);
		val[k] = vbuf[k];
	}
	/* the cgroup's unit is the captured process's; the tag's program and pid its own */
	if (ls.unit[0] && !val[ENT_UNIT] && (val[ENT_PID] || val[ENT_PROCESS]))
		val[ENT_UNIT] = ls.unit;
	else if (ls.unit[0] && !val[ENT_UNIT])
		entity_add(cs, ENT_UNIT, ls.unit, strlen(ls.unit));
	if (ls.process[0] && !val[ENT_PROCESS] && !val[ENT_PID]) {
		entity_add(cs, ENT_PROCESS, ls.process, strlen(ls.process));
		entity_add(cs, ENT_PID, ls.pid, strlen(ls.pid));
		if (ls.pid[0])
			entity_map_join(e->emap, "process", ls.process, "pid", ls.pid);
	}
	if (val[ENT_UNIT] == ls.unit)
		entity_add(cs, ENT_UNIT, ls.unit, strlen(ls.unit));
	for (g = 0; g < ARRAY_SIZE(identity); g++) {
		const char *first = NULL;
		enum entity_kind fk = ENT_UNIT;

		for (i = 0; i < 3; i++) {
			k = identity[g][i];
			if (!val[k])
				continue;
			if (first)
				entity_map_join(e->emap, entity_names[fk], first, entity_names[k],
						val[k]);
			else
				first = val[k], fk = (enum entity_kind)k;
		}
	}
}

/* A pattern condition's where reads the captures of the match. */
struct capture_row {
	const struct pattern *pt;
	const char *line;
	PCRE2_SIZE *ov;
};

static const char *capture_field(void *ctx, size_t k, size_t *len, enum table_type *type)
{
	const struct capture_row *c = ctx;
	int g = c->pt->where_group[k];

	if (g < 0 || c->ov[2 * g] == PCRE2_UNSET)
		return NULL;
	*len = c->ov[2 * g + 1] - c->ov[2 * g];
	*type = TYPE_AUTO;
	return c->line + c->ov[2 * g];
}

static int where_holds(const struct cond *cd, const struct pattern *pt, const char *line,
		       PCRE2_SIZE *ov)
{
	struct capture_row c = { pt, line, ov };
	struct where_row row = { capture_field, &c, NULL, NULL };
	size_t k;

	for (k = 0; k < cd->nwhere; k++)
		if (!where_eval(cd->where[k].expr, &row))
			return 0;
	return 1;
}

/* One event more toward t's threshold within window. */
static void tally_add(struct tally *t, int64_t window, struct ts ts)
{
	int64_t lo, hi;
	size_t i;

	t->count++;
	if (!window || t->window_met || ts.kind == TS_NONE)
		return;
	t->ring[t->ring_pos] = ts;
	t->ring_pos = (t->ring_pos + 1) % t->ring_cap;
	if (t->ring_n < t->ring_cap)
		t->ring_n++;
	if (t->ring_n < t->ring_cap)
		return;
	lo = hi = t->ring[0].sec;
	for (i = 0; i < t->ring_n; i++) {
		if (t->ring[i].kind != ts.kind)
			return;
		if (t->ring[i].sec < lo)
			lo = t->ring[i].sec;
		if (t->ring[i].sec > hi)
			hi = t->ring[i].sec;
	}
	if (hi - lo <= window)
		t->window_met = 1;
}

int engine_pattern_holds(const struct cond *cd, const struct pattern *pt, const char *line,
			 size_t len, pcre2_match_data *md)
{
	if (pcre2_match(pt->code, (PCRE2_SPTR)line, len, 0, 0, md, NULL) < 0)
		return 0;
	return !cd->nwhere || where_holds(cd, pt, line, pcre2_get_ovector_pointer(md));
}

/*
 * The searcher found that the pattern (and its where) holds on the line,
 * and kept its captures, time and subjects with the hit (engine_search.c).
 */
void engine_match(struct engine *e, const struct matcher *m, const char *line,
		 const struct hits *h, const struct hit *t)
{
	const struct rule *r = &e->rules[m->rule];
	const struct cond *cd = &r->conds[m->cond];
	const struct pattern *pt = &cd->pats[m->pat];
	struct cond_state *cs = &e->st[m->rule][m->cond];
	/* its entities' groups: the standard names', and those entities.yaml names */
	const int *eg = e->egroups ? e->egroups[m - e->m] : pt->ent_group;
	const PCRE2_SIZE *ov = h->ov + t->ov;
	const struct line_subject *subj = t->subj != HIT_NONE ? &h->subj[t->subj] : NULL;
	size_t len = t->len;
	uint64_t lineno = t->lineno;
	struct ts ts = t->ts;

	switch (event_seen(e->member, cs, m->pat, lineno, ts, t->subject)) {
	case EVENT_REWORDED:
		/* its second wording is evidence, not another occurrence, and
		 * may name what the first did not (the unit of a mount) */
		keep_captures(cs, m->pat, pt, line, ov);
		if (cd->role < COND_NONE) {
			keep_entities(cs, eg, line, ov);
			if (subj)
				learn_entities(e, cs, eg, line, subj, ov);
			keep_evidence(e, cs, line, len, lineno, ts);
		}
		return;
	case EVENT_COPY:
		return;	/* the same line in another log (syslog and the journal) */
	case EVENT_NEW:
		break;
	}
	cs->count++;
	if (ts.kind != TS_NONE) {
		if (cs->first.kind == TS_NONE || (ts.kind == cs->first.kind && ts.sec < cs->first.sec))
			cs->first = ts;
		if (cs->last.kind == TS_NONE || (ts.kind == cs->last.kind && ts.sec > cs->last.sec))
			cs->last = ts;
	}
	if (pt->threshold)
		tally_add(&cs->own[m->pat], pt->window, ts);
	else
		tally_add(&cs->shared, cd->window, ts);
	keep_captures(cs, m->pat, pt, line, ov);
	/* main, all and any make the finding; none and recovers are only tested */
	if (cd->role < COND_NONE)
		keep_entities(cs, eg, line, ov);
	if (cd->role < COND_NONE && subj)
		learn_entities(e, cs, eg, line, subj, ov);
	if (cd->role < COND_NONE || cs->nev < 1)
		keep_evidence(e, cs, line, len, lineno, ts);
}
