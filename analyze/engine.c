/*
 * engine.c: the rule engine (see engine.h). The per-line path is
 * engine_lines() -> scan -> match_line(); everything else runs once per
 * member or once per bundle.
 */
#include <ctype.h>
#include <string.h>
#include "buf.h"
#include "casefile.h"
#include "engine.h"
#include "scan.h"
#include "text.h"

#define RING_MAX 4096

struct matcher {
	uint32_t rule, cond, pat;
};

struct cond_state {
	uint64_t count;
	struct ts first, last;
	int window_met;
	struct ts *ring;	/* the last threshold times, for the window */
	size_t ring_n, ring_pos, ring_cap;
	struct evidence ev[EVIDENCE_FIRST + 1];	/* first ones and the last */
	size_t nev;
	json_t *captures;
};

struct cand {
	uint32_t line_start;
	uint32_t matcher;
};

struct engine {
	const struct rule *rules;
	size_t nrules;
	const struct catalog *cat;
	struct cond_state **st;		/* [rule][cond] */
	struct matcher *m;
	size_t nm;
	struct scanner **sc;		/* per source */
	uint32_t **always;		/* per source: matchers without literals */
	size_t *nalways;
	size_t *claimed, nclaimed;	/* sources of the current member */
	int reads[64];			/* scratch */
	const char *path;
	char *path_owned;
	int64_t mtime;
	unsigned member;
	pcre2_match_data *md;
	struct cand *cands;
	size_t ncands, acands;
	int cands_sorted;
	const char *block;
	int is_proc_stat;
	size_t proc_stat_src;
	int64_t boot_time;
	struct finding *findings;
	size_t nfindings;
};

struct engine *engine_new(const struct rule *rules, size_t n, const struct catalog *cat)
{
	struct engine *e = xcalloc(1, sizeof(*e));
	size_t r, c, p, s, k, alloc = 0;
	const struct source *ps = catalog_find(cat, "proc_stat");

	e->rules = rules;
	e->nrules = n;
	e->cat = cat;
	e->st = xcalloc(n + 1, sizeof(*e->st));
	e->sc = xcalloc(cat->nr + 1, sizeof(*e->sc));
	e->always = xcalloc(cat->nr + 1, sizeof(*e->always));
	e->nalways = xcalloc(cat->nr + 1, sizeof(*e->nalways));
	e->claimed = xcalloc(cat->nr + 1, sizeof(*e->claimed));
	e->proc_stat_src = ps ? (size_t)(ps - cat->items) : SIZE_MAX;
	e->md = pcre2_match_data_create(64, NULL);
	for (r = 0; r < n; r++) {
		e->st[r] = xcalloc(rules[r].nconds + 1, sizeof(**e->st));
		for (c = 0; c < rules[r].nconds; c++) {
			const struct cond *cd = &rules[r].conds[c];
			struct cond_state *cs = &e->st[r][c];

			if (cd->window) {
				cs->ring_cap = cd->threshold < RING_MAX ? cd->threshold : RING_MAX;
				cs->ring = xcalloc(cs->ring_cap, sizeof(*cs->ring));
			}
			for (p = 0; p < cd->npats; p++) {
				const struct pattern *pt = &cd->pats[p];
				uint32_t id = (uint32_t)e->nm;

				ALLOC_GROW(e->m, e->nm + 1, alloc);
				e->m[e->nm].rule = (uint32_t)r;
				e->m[e->nm].cond = (uint32_t)c;
				e->m[e->nm].pat = (uint32_t)p;
				e->nm++;
				for (s = 0; s < cd->nsources; s++) {
					size_t src = cd->sources[s];

					if (!pt->nlits) {
						e->always[src] = xrealloc(e->always[src],
							(e->nalways[src] + 1) * sizeof(uint32_t));
						e->always[src][e->nalways[src]++] = id;
						continue;
					}
					if (!e->sc[src])
						e->sc[src] = scanner_new();
					for (k = 0; k < pt->nlits; k++)
						scanner_add(e->sc[src], pt->lits[k].text,
							    pt->lits[k].len, pt->caseless, id);
				}
			}
		}
	}
	return e;
}

static void evidence_clear(struct evidence *ev)
{
	free(ev->path);
	free(ev->text);
	memset(ev, 0, sizeof(*ev));
}

void engine_free(struct engine *e)
{
	size_t r, c, k;

	if (!e)
		return;
	for (r = 0; r < e->nrules; r++) {
		for (c = 0; c < e->rules[r].nconds; c++) {
			struct cond_state *cs = &e->st[r][c];

			for (k = 0; k < cs->nev; k++)
				evidence_clear(&cs->ev[k]);
			free(cs->ring);
			json_decref(cs->captures);
		}
		free(e->st[r]);
	}
	free(e->st);
	for (k = 0; k < e->cat->nr; k++) {
		scanner_free(e->sc[k]);
		free(e->always[k]);
	}
	for (k = 0; k < e->nfindings; k++) {
		struct finding *f = &e->findings[k];
		size_t i;

		for (i = 0; i < f->nev; i++)
			evidence_clear(&f->ev[i]);
		free(f->ev);
		json_decref(f->captures);
		free(f->explanation);
		free(f->remediation);
		free(f->explains);
		free(f->explained_by);
	}
	free(e->findings);
	free(e->sc);
	free(e->always);
	free(e->nalways);
	free(e->claimed);
	free(e->m);
	free(e->cands);
	free(e->path_owned);
	pcre2_match_data_free(e->md);
	free(e);
}

/* ---- members -------------------------------------------------------------- */

static void set_path(struct engine *e, const char *path, int64_t mtime)
{
	free(e->path_owned);
	e->path_owned = xstrdup(path);
	e->path = e->path_owned;
	e->mtime = mtime;
	e->member++;
}

int engine_want(struct engine *e, const struct member *m)
{
	size_t s;

	e->nclaimed = 0;
	e->is_proc_stat = 0;
	for (s = 0; s < e->cat->nr; s++) {
		if (!e->sc[s] && !e->nalways[s] && s != e->proc_stat_src)
			continue;
		if (!source_claims(&e->cat->items[s], m->path))
			continue;
		if (s == e->proc_stat_src)
			e->is_proc_stat = 1;
		if (e->sc[s] || e->nalways[s])
			e->claimed[e->nclaimed++] = s;
	}
	if (e->nclaimed || e->is_proc_stat)
		set_path(e, m->path, m->mtime);
	return e->nclaimed || e->is_proc_stat;
}

void engine_begin_source(struct engine *e, size_t source, const char *path, int64_t mtime)
{
	e->nclaimed = 0;
	e->is_proc_stat = source == e->proc_stat_src;
	if (e->sc[source] || e->nalways[source])
		e->claimed[e->nclaimed++] = source;
	set_path(e, path, mtime);
}

/* ---- per line --------------------------------------------------------------- */

static void keep_evidence(struct engine *e, struct cond_state *cs, const char *line,
			  size_t len, uint64_t lineno, struct ts ts)
{
	struct evidence *ev;

	if (cs->nev < EVIDENCE_FIRST + 1) {
		ev = &cs->ev[cs->nev++];
	} else {
		ev = &cs->ev[EVIDENCE_FIRST];	/* the last one seen replaces */
		evidence_clear(ev);
	}
	ev->path = xstrdup(e->path);
	ev->line = lineno;
	ev->text = text_utf8(line, len < EVIDENCE_TEXT ? len : EVIDENCE_TEXT);
	ev->ts = ts;
	ev->member = e->member;
}

static void keep_captures(struct cond_state *cs, const struct pattern *pt,
			  const char *line, PCRE2_SIZE *ov)
{
	uint32_t count, size, i;
	PCRE2_SPTR table;

	cs->captures = json_object();
	pcre2_pattern_info(pt->code, PCRE2_INFO_NAMECOUNT, &count);
	pcre2_pattern_info(pt->code, PCRE2_INFO_NAMEENTRYSIZE, &size);
	pcre2_pattern_info(pt->code, PCRE2_INFO_NAMETABLE, &table);
	for (i = 0; i < count; i++) {
		PCRE2_SPTR ent = table + i * size;
		int g = (ent[0] << 8) | ent[1];
		char *v;

		if (ov[2 * g] == PCRE2_UNSET)
			continue;
		v = text_utf8(line + ov[2 * g], ov[2 * g + 1] - ov[2 * g] > 200 ? 200 :
			       ov[2 * g + 1] - ov[2 * g]);
		json_object_set_new(cs->captures, (const char *)ent + 2, json_string(v));
		free(v);
	}
}

static int where_holds(const struct cond *cd, const struct pattern *pt, const char *line,
		       PCRE2_SIZE *ov)
{
	size_t k;

	for (k = 0; k < cd->nwhere; k++) {
		const struct where *w = &cd->where[k];
		int g = pt->where_group[k];
		char num[64], *end;
		size_t n;
		double v;

		if (g < 0 || ov[2 * g] == PCRE2_UNSET)
			return 0;
		n = ov[2 * g + 1] - ov[2 * g];
		if (n >= sizeof(num))
			return 0;
		memcpy(num, line + ov[2 * g], n);
		num[n] = '\0';
		v = strtod(num, &end);
		if (end == num)
			return 0;
		switch (w->op) {
		case OP_GE: if (!(v >= w->value)) return 0; break;
		case OP_GT: if (!(v > w->value)) return 0; break;
		case OP_LE: if (!(v <= w->value)) return 0; break;
		case OP_LT: if (!(v < w->value)) return 0; break;
		case OP_EQ: if (!(v == w->value)) return 0; break;
		case OP_NE: if (!(v != w->value)) return 0; break;
		}
	}
	return 1;
}

static void window_check(struct cond_state *cs, const struct cond *cd, struct ts ts)
{
	int64_t lo, hi;
	size_t i;

	if (ts.kind == TS_NONE)
		return;
	cs->ring[cs->ring_pos] = ts;
	cs->ring_pos = (cs->ring_pos + 1) % cs->ring_cap;
	if (cs->ring_n < cs->ring_cap)
		cs->ring_n++;
	if (cs->ring_n < cs->ring_cap)
		return;
	lo = hi = cs->ring[0].sec;
	for (i = 0; i < cs->ring_n; i++) {
		if (cs->ring[i].kind != ts.kind)
			return;
		if (cs->ring[i].sec < lo)
			lo = cs->ring[i].sec;
		if (cs->ring[i].sec > hi)
			hi = cs->ring[i].sec;
	}
	if (hi - lo <= cd->window)
		cs->window_met = 1;
}

static void match_line(struct engine *e, const struct matcher *m, const char *line,
		       size_t len, uint64_t lineno)
{
	const struct rule *r = &e->rules[m->rule];
	const struct cond *cd = &r->conds[m->cond];
	const struct pattern *pt = &cd->pats[m->pat];
	struct cond_state *cs = &e->st[m->rule][m->cond];
	PCRE2_SIZE *ov;
	struct ts ts;

	if (pcre2_match(pt->code, (PCRE2_SPTR)line, len, 0, 0, e->md, NULL) < 0)
		return;
	ov = pcre2_get_ovector_pointer(e->md);
	if (cd->nwhere && !where_holds(cd, pt, line, ov))
		return;
	cs->count++;
	ts = ts_parse(line, len, e->mtime);
	if (ts.kind != TS_NONE) {
		if (cs->first.kind == TS_NONE || (ts.kind == cs->first.kind && ts.sec < cs->first.sec))
			cs->first = ts;
		if (cs->last.kind == TS_NONE || (ts.kind == cs->last.kind && ts.sec > cs->last.sec))
			cs->last = ts;
	}
	if (cd->window && !cs->window_met)
		window_check(cs, cd, ts);
	if (!cs->captures)
		keep_captures(cs, pt, line, ov);
	if (cd->role != COND_NONE || cs->nev < 1)
		keep_evidence(e, cs, line, len, lineno, ts);
}

static void add_cand(void *ctx, size_t pos, uint32_t id)
{
	struct engine *e = ctx;
	const char *nl = pos ? memrchr(e->block, '\n', pos) : NULL;
	uint32_t start = nl ? (uint32_t)(nl - e->block) + 1 : 0;

	if (e->ncands) {
		struct cand *last = &e->cands[e->ncands - 1];

		if (last->line_start == start && last->matcher == id)
			return;
		if (last->line_start > start ||
		    (last->line_start == start && last->matcher > id))
			e->cands_sorted = 0;
	}
	ALLOC_GROW(e->cands, e->ncands + 1, e->acands);
	e->cands[e->ncands].line_start = start;
	e->cands[e->ncands].matcher = id;
	e->ncands++;
}

static int cand_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->line_start != y->line_start)
		return x->line_start < y->line_start ? -1 : 1;
	return x->matcher < y->matcher ? -1 : x->matcher > y->matcher;
}

static uint64_t count_lines(const char *p, const char *end)
{
	return count_newlines(p, (size_t)(end - p));
}

static size_t line_len(const char *line, const char *end)
{
	const char *nl = memchr(line, '\n', (size_t)(end - line));
	size_t n = nl ? (size_t)(nl - line) : (size_t)(end - line);

	if (n && line[n - 1] == '\r')
		n--;
	return n;
}

static void proc_stat_lines(struct engine *e, const char *data, size_t len)
{
	const char *p = data, *end = data + len;

	while (p < end) {
		size_t n = line_len(p, end);

		if (n > 6 && !strncmp(p, "btime ", 6))
			e->boot_time = strtoll(p + 6, NULL, 10);
		p += n;
		while (p < end && *p != '\n')
			p++;
		p++;
	}
}

void engine_lines(struct engine *e, const char *data, size_t len, uint64_t first_line)
{
	const char *end = data + len, *cursor = data;
	uint64_t lineno = first_line;
	size_t i, c = 0, k, nalways = 0;

	if (e->is_proc_stat)
		proc_stat_lines(e, data, len);
	if (len > UINT32_MAX)
		return;	/* blocks are at most BUNDLE_BLOCK plus a line */
	e->block = data;
	e->ncands = 0;
	e->cands_sorted = 1;
	for (i = 0; i < e->nclaimed; i++) {
		scanner_scan(e->sc[e->claimed[i]], data, len, add_cand, e);
		nalways += e->nalways[e->claimed[i]];
	}
	if (!e->cands_sorted)
		qsort(e->cands, e->ncands, sizeof(*e->cands), cand_cmp);

	if (!nalways) {
		/* jump from candidate line to candidate line */
		while (c < e->ncands) {
			const char *line = data + e->cands[c].line_start;
			size_t n = line_len(line, end);

			lineno += count_lines(cursor, line);
			cursor = line;
			for (; c < e->ncands && data + e->cands[c].line_start == line; c++)
				if (!c || e->cands[c].matcher != e->cands[c - 1].matcher ||
				    e->cands[c].line_start != e->cands[c - 1].line_start)
					match_line(e, &e->m[e->cands[c].matcher], line, n, lineno);
		}
		return;
	}
	/* some pattern has no literal: every line goes to it */
	while (cursor < end) {
		size_t n = line_len(cursor, end);
		const char *next = memchr(cursor, '\n', (size_t)(end - cursor));

		for (; c < e->ncands && data + e->cands[c].line_start == cursor; c++)
			if (!c || e->cands[c].matcher != e->cands[c - 1].matcher ||
			    e->cands[c].line_start != e->cands[c - 1].line_start)
				match_line(e, &e->m[e->cands[c].matcher], cursor, n, lineno);
		for (i = 0; i < e->nclaimed; i++)
			for (k = 0; k < e->nalways[e->claimed[i]]; k++)
				match_line(e, &e->m[e->always[e->claimed[i]][k]], cursor, n, lineno);
		lineno++;
		cursor = next ? next + 1 : end;
	}
}

/* ---- the bundle visitor ------------------------------------------------------ */

static int visit_want(void *ctx, const struct member *m)
{
	return engine_want(ctx, m);
}

static int visit_lines(void *ctx, const struct member *m, const char *data, size_t len,
		       uint64_t first_line)
{
	(void)m;
	engine_lines(ctx, data, len, first_line);
	return 0;
}

void engine_visitor(struct engine *e, struct bundle_visitor *v)
{
	v->ctx = e;
	v->want = visit_want;
	v->lines = visit_lines;
}

/* ---- deciding ----------------------------------------------------------------- */

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

static struct ts to_wall(struct ts t, int64_t boot)
{
	if (t.kind == TS_BOOT && boot > 0) {
		t.kind = TS_WALL;
		t.sec += boot;
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

static void move_evidence(struct finding *f, struct cond_state *cs, int64_t boot)
{
	size_t k;

	for (k = 0; k < cs->nev; k++) {
		f->ev = xrealloc(f->ev, (f->nev + 1) * sizeof(*f->ev));
		f->ev[f->nev] = cs->ev[k];
		f->ev[f->nev].ts = to_wall(f->ev[f->nev].ts, boot);
		f->nev++;
		memset(&cs->ev[k], 0, sizeof(cs->ev[k]));
	}
	cs->nev = 0;
}

/* 90 -> "90s", 600 -> "10m", 7200 -> "2h", 86400 -> "1d" */
static void add_duration(struct buf *b, int64_t sec)
{
	if (sec && sec % 86400 == 0)
		buf_addf(b, "%lldd", (long long)(sec / 86400));
	else if (sec && sec % 3600 == 0)
		buf_addf(b, "%lldh", (long long)(sec / 3600));
	else if (sec && sec % 60 == 0)
		buf_addf(b, "%lldm", (long long)(sec / 60));
	else
		buf_addf(b, "%llds", (long long)sec);
}

/* "{count kill}" -> "1 kill", "3 kills"; "{count match|matches}" for other plurals */
static void add_count_noun(struct buf *b, uint64_t n, const char *noun)
{
	const char *bar = strchr(noun, '|');

	buf_addf(b, "%llu ", (unsigned long long)n);
	if (!bar)
		buf_addf(b, "%s%s", noun, n == 1 ? "" : "s");
	else if (n == 1)
		buf_add(b, noun, (size_t)(bar - noun));
	else
		buf_addstr(b, bar + 1);
}

/* "at T", "between T1 and T2", or nothing when the lines had no time */
static void add_span(struct buf *b, const struct finding *f)
{
	char t1[40], t2[40];

	if (f->first.kind == TS_NONE)
		return;
	ts_format(f->first, t1, sizeof(t1));
	ts_format(f->last, t2, sizeof(t2));
	if (!strcmp(t1, t2))
		buf_addf(b, "at %s", t1);
	else
		buf_addf(b, "between %s and %s", t1, t2);
}

static void append_template_value(struct buf *b, const char *name, const struct finding *f)
{
	char ts[40];
	json_t *v = f->captures ? json_object_get(f->captures, name) : NULL;

	if (v && json_is_string(v))
		buf_addstr(b, json_string_value(v));
	else if (!strcmp(name, "count"))
		buf_addf(b, "%llu", (unsigned long long)f->count);
	else if (!strncmp(name, "count ", 6))
		add_count_noun(b, f->count, name + 6);
	else if (!strcmp(name, "times"))
		f->count == 1 ? buf_addstr(b, "once") :
			buf_addf(b, "%llu times", (unsigned long long)f->count);
	else if (!strcmp(name, "span"))
		add_span(b, f);
	else if (!strcmp(name, "first_seen"))
		buf_addstr(b, ts_format(f->first, ts, sizeof(ts)));
	else if (!strcmp(name, "last_seen"))
		buf_addstr(b, ts_format(f->last, ts, sizeof(ts)));
	else if (!strcmp(name, "threshold"))
		buf_addf(b, "%u", f->rule->conds[0].threshold);
	else if (!strcmp(name, "window"))
		add_duration(b, f->rule->conds[0].window);
	else if (!strcmp(name, "rule"))
		buf_addstr(b, f->rule->id);
	else
		buf_addf(b, "{%s}", name);
}

char *engine_expand(const char *t, const struct finding *f)
{
	struct buf b = BUF_INIT(0);

	while (*t) {
		const char *close;

		if (*t == '{' && (close = strchr(t, '}')) && close - t < 64 &&
		    (isalpha((unsigned char)t[1]) || t[1] == '_')) {
			char name[64];

			memcpy(name, t + 1, (size_t)(close - t - 1));
			name[close - t - 1] = '\0';
			append_template_value(&b, name, f);
			t = close + 1;
			continue;
		}
		buf_addch(&b, *t++);
	}
	/* folded YAML leaves a final newline */
	while (b.len && isspace((unsigned char)b.data[b.len - 1]))
		b.data[--b.len] = '\0';
	return buf_detach(&b, NULL);
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
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	if (ts_order(x->first) != ts_order(y->first))
		return ts_order(x->first) < ts_order(y->first) ? -1 : 1;
	return strcmp(x->rule->id, y->rule->id);
}

struct finding *engine_finish(struct engine *e, size_t *n)
{
	size_t r, c, i, k;
	int64_t boot = e->boot_time;

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
		f->first = to_wall(st[0].first, boot);
		f->last = to_wall(st[0].last, boot);
		f->captures = st[0].captures ? json_incref(st[0].captures) : json_object();
		for (c = 0; c < rule->nconds; c++)
			if (rule->conds[c].role != COND_NONE)
				move_evidence(f, &st[c], boot);
		if (f->nev)
			qsort(f->ev, f->nev, sizeof(*f->ev), ev_cmp);
	}
	/* link causes and symptoms; a finding explained by another is no root */
	for (i = 0; i < e->nfindings; i++) {
		struct finding *f = &e->findings[i];

		for (k = 0; f->rule->explains && f->rule->explains[k]; k++) {
			size_t j = find_fired(e->findings, e->nfindings, f->rule->explains[k]);

			if (j == SIZE_MAX || j == i)
				continue;
			e->findings[j].nexplained_by++;
		}
	}
	for (i = 0; i < e->nfindings; i++)
		e->findings[i].root = !e->findings[i].nexplained_by;
	if (e->nfindings)
		qsort(e->findings, e->nfindings, sizeof(*e->findings), finding_cmp);
	/* indices after sorting */
	for (i = 0; i < e->nfindings; i++)
		e->findings[i].nexplained_by = 0;
	for (i = 0; i < e->nfindings; i++) {
		struct finding *f = &e->findings[i];

		for (k = 0; f->rule->explains && f->rule->explains[k]; k++) {
			size_t j = find_fired(e->findings, e->nfindings, f->rule->explains[k]);
			struct finding *s;

			if (j == SIZE_MAX || j == i)
				continue;
			s = &e->findings[j];
			f->explains = xrealloc(f->explains, (f->nexplains + 1) * sizeof(size_t));
			f->explains[f->nexplains++] = j;
			s->explained_by = xrealloc(s->explained_by,
						   (s->nexplained_by + 1) * sizeof(size_t));
			s->explained_by[s->nexplained_by++] = i;
		}
	}
	for (i = 0; i < e->nfindings; i++) {
		struct finding *f = &e->findings[i];

		f->explanation = engine_expand(f->rule->explanation, f);
		f->remediation = engine_expand(f->rule->remediation, f);
	}
	*n = e->nfindings;
	return e->findings;
}
