/*
 * table_cond.c: conditions without patterns (state checks), row by row over
 * their tables once the whole bundle is read, so a test can compare one
 * table with another (sockstat with the tcp_mem sysctl). A row that holds
 * is one match: counted, its fields the captures of the finding, the lines
 * its tests read the evidence.
 */
#include <string.h>
#include "casefile.h"
#include "engine_state.h"
#include "text.h"

#define SEEN_MAX 16		/* table fields one row's tests read, kept for evidence */
#define ROW_CAPTURES 64		/* a row with more fields gives only those named */

struct seen {
	const struct table *t;
	size_t row;
	const char *field;
	const char *ref;	/* as the where wrote it (sysctl.x[3]); NULL for the row's own */
	const char *text;
	size_t len;
};

struct row_ctx {
	const struct cond *cd;
	const struct table *t;
	size_t row;
	struct seen seen[SEEN_MAX];
	size_t nseen;
};

static void note(struct row_ctx *rc, const struct table *t, size_t row, const char *field,
		 const char *ref, const char *text, size_t len)
{
	size_t k;

	if (!t) {
		t = rc->t;	/* a word of the row's own field */
		row = rc->row;
	}
	for (k = 0; k < rc->nseen; k++)
		if (rc->seen[k].t == t && rc->seen[k].row == row && !strcmp(rc->seen[k].field, field) &&
		    (rc->seen[k].ref == ref || (ref && rc->seen[k].ref && !strcmp(rc->seen[k].ref, ref))))
			return;
	if (rc->nseen == SEEN_MAX)
		return;
	rc->seen[rc->nseen++] = (struct seen){ t, row, field, ref, text, len };
}

static const char *row_field(void *ctx, size_t k, size_t *len, enum table_type *type)
{
	struct row_ctx *rc = ctx;
	const char *name = rc->cd->names.v[k];
	const char *text = table_get(rc->t, rc->row, name);

	if (!text)
		return NULL;
	*len = strlen(text);
	*type = table_spec_type(table_spec(rc->t), name);
	note(rc, rc->t, rc->row, name, NULL, text, *len);
	return text;
}

static void row_seen(void *ctx, const struct table *t, size_t row, const char *field,
		     const char *ref, const char *text, size_t len)
{
	note(ctx, t, row, field, ref, text, len);
}

static void capture(json_t *caps, const char *name, const char *text, size_t len)
{
	char *v;

	if (json_object_get(caps, name))
		return;
	v = text_utf8(text, len > 200 ? 200 : len);
	json_object_set_new(caps, name, json_string(v));
	free(v);
}

/* Does a template name {field}? */
static int in_template(const char *tmpl, const char *field)
{
	size_t n = strlen(field);
	const char *p;

	for (p = tmpl ? strchr(tmpl, '{') : NULL; p; p = strchr(p + 1, '{'))
		if (!strncmp(p + 1, field, n) && p[n + 1] == '}')
			return 1;
	return 0;
}

/* The row's fields (all of a small row; of a big one those named), then what else was read. */
static void keep_captures(struct cond_state *cs, const struct rule *r, struct row_ctx *rc)
{
	size_t k, n = table_nfields(rc->t, rc->row);

	if (!cs->captures)
		cs->captures = json_object();
	for (k = 0; k < n; k++) {
		const char *name = table_field_name(rc->t, rc->row, k);
		const char *text = table_field_text(rc->t, rc->row, k);

		if (n <= ROW_CAPTURES || in_template(r->explanation, name) ||
		    in_template(r->remediation, name))
			capture(cs->captures, name, text, strlen(text));
	}
	for (k = 0; k < rc->nseen; k++)
		capture(cs->captures, rc->seen[k].ref ? rc->seen[k].ref : rc->seen[k].field,
			rc->seen[k].text, rc->seen[k].len);
}

static void keep_entities(struct cond_state *cs, const struct row_ctx *rc)
{
	size_t k, i;

	for (k = 0; k < ENTITY_NR; k++) {
		const char *v = table_get(rc->t, rc->row, entity_names[k]);
		struct entity_set *set;
		size_t n;

		if (!v || !*v)
			continue;
		if (!cs->ents)
			cs->ents = xcalloc(ENTITY_NR, sizeof(*cs->ents));
		set = &cs->ents[k];
		n = strlen(v) > ENTITY_TEXT ? ENTITY_TEXT : strlen(v);
		for (i = 0; i < set->n; i++)
			if (set->len[i] == n && !memcmp(set->v[i], v, n))
				break;
		if (i < set->n || set->n == ENTITY_VALUES)
			continue;
		set->v[set->n] = text_utf8(v, n);
		set->len[set->n] = strlen(set->v[set->n]);
		set->n++;
	}
}

static void add_evidence(struct cond_state *cs, const struct table_where *w)
{
	struct evidence *ev;
	size_t k, n = strlen(w->text);

	for (k = 0; k < cs->nev; k++)
		if (cs->ev[k].line == w->line && !strcmp(cs->ev[k].path, w->path))
			return;
	if (cs->nev < EVIDENCE_FIRST + 1) {
		ev = &cs->ev[cs->nev++];
	} else {
		ev = &cs->ev[EVIDENCE_FIRST];	/* the last one seen replaces */
		free(ev->path);
		free(ev->text);
	}
	memset(ev, 0, sizeof(*ev));
	ev->path = xstrdup(w->path);
	ev->line = w->line;
	ev->text = text_utf8(w->text, n < EVIDENCE_TEXT ? n : EVIDENCE_TEXT);
	ev->member = w->order;
}

/* The lines the tests read; the row's own line when they read none of it. */
static void keep_evidence(struct cond_state *cs, const struct row_ctx *rc)
{
	struct table_where w;
	size_t k;
	int own = 0;

	for (k = 0; k < rc->nseen; k++) {
		const struct seen *s = &rc->seen[k];

		if (!table_where(s->t, s->row, s->field, &w)) {
			add_evidence(cs, &w);
			own |= s->t == rc->t && s->row == rc->row;
		}
	}
	if (!own && !table_where(rc->t, rc->row, NULL, &w))
		add_evidence(cs, &w);
}

static int row_holds(const struct engine *e, const struct cond *cd, struct row_ctx *rc)
{
	struct where_row wr = { row_field, rc, e->tables, row_seen };
	size_t k;

	rc->nseen = 0;
	for (k = 0; k < cd->nwhere; k++)
		if (!where_eval(cd->where[k].expr, &wr))
			return 0;
	return 1;
}

static void run_cond(struct engine *e, const struct rule *r, const struct cond *cd,
		     struct cond_state *cs)
{
	struct row_ctx rc;
	size_t s, row;

	memset(&rc, 0, sizeof(rc));
	rc.cd = cd;
	for (s = 0; s < cd->nsources; s++) {
		rc.t = table_set_at(e->tables, cd->sources[s]);
		for (row = 0; rc.t && row < table_rows(rc.t); row++) {
			rc.row = row;
			if (!row_holds(e, cd, &rc))
				continue;
			cs->count++;
			cs->shared.count++;	/* rows have no time: the threshold alone */
			if (cs->count == 1)
				keep_captures(cs, r, &rc);
			if (cd->role < COND_NONE)
				keep_entities(cs, &rc);
			if (cd->role < COND_NONE || cs->nev < 1)
				keep_evidence(cs, &rc);
		}
	}
}

void table_conds_run(struct engine *e)
{
	size_t r, c;

	for (r = 0; r < e->nrules; r++)
		for (c = 0; c < e->rules[r].nconds; c++)
			if (e->rules[r].conds[c].table)
				run_cond(e, &e->rules[r], &e->rules[r].conds[c], &e->st[r][c]);
}
