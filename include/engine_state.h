/*
 * engine_state.h: the inside of the rule engine, shared by its two halves:
 * engine.c matches lines and keeps per-condition state, engine_decide.c
 * decides which rules fired, links causes to symptoms and ranks them.
 * Not for other modules: they use engine.h.
 */
#ifndef ENGINE_STATE_H
#define ENGINE_STATE_H

#include "engine.h"
#include "facts.h"

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
	struct entity_set *ents;	/* [ENTITY_NR], allocated at the first value */
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
	struct finding *findings;
	size_t nfindings;
};

#endif
