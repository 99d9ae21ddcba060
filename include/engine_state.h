/*
 * engine_state.h: the inside of the rule engine, shared by its parts:
 * engine.c matches lines and keeps per-condition state, engine_event.c
 * tells new events from ones already counted, engine_decide.c decides
 * which rules fired, links causes to symptoms and ranks them.
 * Not for other modules: they use engine.h.
 */
#ifndef ENGINE_STATE_H
#define ENGINE_STATE_H

#include "engine.h"
#include "facts.h"
#include "table.h"

#define RING_MAX 4096
#define ENTITY_VALUES 16	/* distinct values kept per entity */
#define ENTITY_TEXT 100		/* bytes of a value kept */

/* The distinct values one entity took in a condition's matches, cleaned (text_utf8). */
struct entity_set {
	char *v[ENTITY_VALUES];
	size_t len[ENTITY_VALUES];
	unsigned n;
};

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
	uint64_t captures_kept;	/* patterns (by bit) whose names all are */
	struct entity_set *ents;	/* [ENTITY_NR], allocated at the first value */
	/* the last match, to tell a second wording of the same event */
	unsigned last_member;
	uint64_t last_line, last_subject;
	size_t last_pat;
	struct ts last_ts;
	struct event_key *seen;		/* events by time, for copies in other logs */
	size_t nseen;
};

/*
 * engine_event.c: is a match a new event? Two wordings of one event
 * (another pattern of the condition on the next lines, at the same second,
 * about the same subject) count once; so does the same event in another
 * log of the bundle (syslog and the journal, syslog and kern.log): the same
 * pattern, second and subject in another member.
 */
struct event_key {
	int64_t sec;
	uint64_t subject;
	uint32_t pat;		/* its pattern + 1; 0: a free slot */
	unsigned member;
	int kind;		/* of its time: TS_WALL or TS_LOCAL */
};

enum event_kind { EVENT_NEW, EVENT_REWORDED, EVENT_COPY };

/* What the match is about: its first entity (a unit, a device), hashed; 0 for none. */
uint64_t event_subject(const struct pattern *pt, const char *line, const size_t *ov);
enum event_kind event_seen(unsigned member, struct cond_state *cs, size_t pat, uint64_t lineno,
			   struct ts ts, uint64_t subject);

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
	unsigned char *found;		/* per source: some member held it */
	int64_t *read_size;		/* per command source: the size of the member read */
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
	struct facts *facts;
	size_t *fact_srcs, nfact_srcs;	/* sources of the current member with facts */
	struct table_set *tables;	/* the typed tables (table.h) */
	size_t *table_srcs, ntable_srcs;	/* sources of the current member with tables */
	struct finding *findings;
	size_t nfindings;
};

/*
 * table_cond.c: the conditions without patterns, row by row over their
 * tables, once every member is read (engine_finish() calls it first).
 */
void table_conds_run(struct engine *e);

#endif
