/*
 * engine_state.h: the inside of the rule engine, shared by its parts:
 * engine.c matches lines and keeps per-condition state, engine_event.c
 * tells new events from ones already counted, engine_decide.c decides
 * which rules fired, links causes to symptoms and ranks them.
 * Not for other modules: they use engine.h.
 */
#ifndef ENGINE_STATE_H
#define ENGINE_STATE_H

#include "causality.h"
#include "engine.h"
#include "entity.h"
#include "facts.h"
#include "table.h"
#include "unrecognised.h"

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
	uint32_t rule, cond, pat;	/* rule ENTITY_LINE_RULE: pat is an entity line's */
};
#define ENTITY_LINE_RULE UINT32_MAX

/* Events toward a threshold within a window: the last threshold times in a ring. */
struct tally {
	uint64_t count;
	int window_met;
	struct ts *ring;
	size_t ring_n, ring_pos, ring_cap;
};

struct cond_state {
	uint64_t count;		/* every event of the condition, for the report */
	struct ts first, last;
	struct tally shared;	/* of the patterns without a threshold of their own */
	struct tally *own;	/* [npats] for patterns with one, else NULL */
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

/* A block of whole lines of a member, and the sources that read it. */
struct block {
	const char *data;
	size_t len;
	uint64_t first_line;
	const size_t *claimed;
	size_t nclaimed;
	int always;		/* some claimed source has patterns without a literal */
	int64_t mtime;		/* of its member: the year of a syslog time */
};

/*
 * What a block's search found, in line order: the matcher, or
 * HIT_UNRECOGNISED; and what the searcher worked out of the line, all of it
 * a function of the line alone, so that the thread that applies hits in
 * order does not work it out again: the match's captures, the line's time,
 * the event's subject and what the line says of its process and unit.
 */
#define HIT_UNRECOGNISED UINT32_MAX
#define HIT_NONE UINT32_MAX
struct hit {
	uint32_t matcher, off, len;
	uint32_t ov;		/* its ovector: hits.ov[ov], ngroups pairs; HIT_NONE */
	uint32_t subj;		/* hits.subj[subj] (entity_line_subject); HIT_NONE */
	uint64_t lineno;
	uint64_t subject;	/* event_subject() of a rule's match */
	struct ts ts;		/* ts_parse() of the line */
};

struct hits {
	struct hit *v;
	size_t n, alloc;
	PCRE2_SIZE *ov;
	size_t nov, aov;
	struct line_subject *subj;
	size_t nsubj, asubj;
	uint64_t first_line;	/* of the block */
};

/* One thread's means to search: its candidates and its match data. */
struct searcher {
	pcre2_match_data *md;
	struct cand *cands;
	size_t ncands, acands;
	int sorted;
	const char *block;
};

void engine_searcher_init(struct searcher *s);
void engine_searcher_release(struct searcher *s);
void engine_hits_release(struct hits *h);
/* Search a block (reads the engine only: one searcher per thread). */
void engine_search(const struct engine *e, struct searcher *s, const struct block *b,
		   struct hits *h);

/* Where the lines being applied come from: a member of the bundle. */
struct member_ctx {
	char *path, *section;		/* section: of a supportconfig file, or NULL */
	int64_t mtime;
	unsigned member;
	size_t *claimed, nclaimed;	/* sources that read it (for rules) */
	size_t *fact_srcs, nfact_srcs;	/* sources that read it (for facts) */
	size_t *table_srcs, ntable_srcs;	/* sources that read it (for tables) */
	const char *program;		/* whose log it is (catalog), or NULL */
};

struct engine_pool;
/* Threads that search blocks while this one reads and applies (engine_pool.c). */
struct engine_pool *engine_pool_start(struct engine *e, unsigned threads);
/* A block of the member being read: searched by a thread, applied in order. */
void engine_pool_submit(struct engine_pool *p, const struct member_ctx *m, const char *data,
			size_t len, uint64_t first_line);
/* Apply every block submitted, in order. */
void engine_pool_flush(struct engine_pool *p);
void engine_pool_stop(struct engine_pool *p);
/* The hits of a block applied to the engine's state, in the member's context. */
void engine_apply(struct engine *e, const struct member_ctx *m, const char *data,
		  size_t len, const struct hits *h);
/* Has one of these sources patterns without a literal (every line is theirs)? */
int engine_block_always(const struct engine *e, const size_t *claimed, size_t n);
/* Does a condition's pattern, and its where, hold on this line? (engine_match.c) */
int engine_pattern_holds(const struct cond *cd, const struct pattern *pt, const char *line,
			 size_t len, pcre2_match_data *md);

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
	struct member_ctx reading;	/* the member being read (engine_want) */
	unsigned char *found;		/* per source: some member held it */
	int64_t *read_size;		/* per command source: the size of the member read */
	int reads[64];			/* scratch */
	const char *path;		/* of the lines being applied */
	const char *program;		/* whose log they are, or NULL */
	int64_t mtime;
	unsigned member;
	struct searcher search;		/* this thread's, without a pool */
	struct hits hits;
	struct engine_pool *pool;	/* threads that search, or NULL */
	struct facts *facts;
	struct table_set *tables;	/* the typed tables (table.h) */
	unsigned table_member;		/* the member the tables are reading */
	struct finding *findings;
	size_t nfindings;
	const struct causality *causality;	/* NULL: no default links */
	struct entity_map *emap;		/* what the bundle says is one thing */
	int (*egroups)[ENTITY_NR];		/* per matcher: each entity's capture group */
	struct pattern *elines;			/* entity lines' patterns (causality.h) */
	size_t nelines;
	struct unrecognised *unrec;		/* error lines no rule matched */
	uint32_t unrec_id;			/* their scanner id: past the matchers */
};

/* What the bundle says about its clock: the boot time and the zone. */

/*
 * Link causes and symptoms (listed, then by default), make blips low, rank
 * and order the findings (engine_link.c); unlink undoes it, so that a
 * finding added afterwards is linked with the rest.
 */
void engine_link(struct engine *e);
void engine_unlink(struct engine *e);

/*
 * After the first linking: the unrecognised error lines that matter (a
 * failure with no recognised cause, a burst) as one more finding; 1 when
 * it was added (engine_unrec.c).
 */
int engine_unrecognised(struct engine *e, const struct ts_clock *ck);

/*
 * A line a matcher's pattern holds on, as the searcher found it (its hit
 * carries the captures, time and subjects): counted, kept (engine_match.c).
 */
void engine_match(struct engine *e, const struct matcher *m, const char *line,
		 const struct hits *h, const struct hit *t);
/* Evidence kept for a condition no longer belongs to it (moved or freed). */
void engine_evidence_clear(struct evidence *ev);

/*
 * What the bundle says is one thing (engine_entities.c): the entity lines'
 * matchers (after the rules'), one such line's captures joined, and the
 * rows of the tables rules/entities.yaml names joined.
 */
void engine_entity_groups_setup(struct engine *e);
void engine_entity_lines_setup(struct engine *e);
void engine_entity_line(struct engine *e, uint32_t pat, const char *line, const PCRE2_SIZE *ov);
void engine_entity_tables(struct engine *e);

/*
 * table_cond.c: the conditions without patterns, row by row over their
 * tables, once every member is read (engine_finish() calls it first).
 */
void table_conds_run(struct engine *e);

#endif
