/*
 * engine.h: run rules over the lines of a bundle.
 *
 * All patterns are compiled once (rules.c); the literals they need go into
 * one scanner per source (scan.h). Each member is claimed by the sources
 * whose locations it matches (catalog.h), read once, and each line that
 * holds a literal is tested against the patterns of the rules that name
 * that source. Per condition the engine keeps counts, first and last seen,
 * the captures of the first match, the window test and a bounded number of
 * evidence lines, so memory does not grow with the bundle.
 *
 * engine_finish() decides which rules fire, links causes to symptoms
 * ("explains") and fills the findings, root causes first.
 */
#ifndef ENGINE_H
#define ENGINE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "bundle.h"
#include "catalog.h"
#include "rules.h"
#include "table.h"
#include "timestamp.h"

#define EVIDENCE_FIRST 5	/* the first lines kept per condition */
#define EVIDENCE_TEXT 400	/* bytes of a line kept as evidence */

struct evidence {
	char *path;
	uint64_t line;
	char *text;		/* valid UTF-8, at most EVIDENCE_TEXT bytes */
	struct ts ts;
	unsigned member;	/* order of the member in the bundle */
};

struct finding {
	const struct rule *rule;
	uint64_t count;
	struct ts first, last;
	struct evidence *ev;
	size_t nev;
	json_t *captures;	/* of the first match: {"pid": "1234", ...} */
	json_t *entities;	/* every match's: {"unit": ["a.service", ...], ...} */
	char *explanation, *remediation;	/* templates filled in */
	size_t *explains, nexplains;		/* indices into findings */
	size_t *explained_by, nexplained_by;
	/* why each link holds ("same unit nginx.service"), or NULL: listed by a rule */
	char **explains_why, **explained_by_why;
	int root;		/* no other finding explains it */
	enum severity severity;	/* its own: the rule's, or low when it recovered */
	int64_t recovered;	/* seconds from its first line to its recovery, or -1 */
	enum severity rank;	/* for ranking: the highest of it and what it explains */
	size_t order;		/* scratch: its place before ranking */
};

struct engine;

/* rules[0..n) must outlive the engine */
struct engine *engine_new(const struct rule *rules, size_t n, const struct catalog *cat);
void engine_free(struct engine *e);

struct causality;
/*
 * Link findings by what they share and the causal order of their
 * categories (causality.h), besides the rules' own links; c must outlive
 * the engine. Without it (a rule's fixtures) only listed links are made.
 */
void engine_set_causality(struct engine *e, const struct causality *c);

/*
 * Search blocks in this many threads (more than 1) while the caller reads
 * the next ones; the findings are the same as with one.
 */
void engine_set_threads(struct engine *e, unsigned threads);

/* Which sources hold this member; non-zero when any rule reads it. */
int engine_want(struct engine *e, const struct member *m);
/* Feed lines as if they were the given source (fixtures). */
void engine_begin_source(struct engine *e, size_t source, const char *path, int64_t mtime);
/* A block of whole lines of the current member; first_line is 1-based. */
void engine_lines(struct engine *e, const char *data, size_t len, uint64_t first_line);

/*
 * Decide, link and rank. Returns the findings that fired, root causes
 * first (severity, then evidence), then the symptoms, then the rest; *n is
 * their count. They live until engine_free().
 */
struct finding *engine_finish(struct engine *e, size_t *n);

/*
 * What was read: the catalogue's sources some member held and those none
 * did, and the rules none of whose main sources was there (they could not
 * run). Appended to the string lists (strv), which the caller frees.
 */
void engine_coverage(const struct engine *e, char ***found, char ***missing,
		     char ***not_run);

/* A fact found in the bundle's sources ("timezone", "boot_time"), or NULL. */
const char *engine_fact(const struct engine *e, const char *name);

/*
 * The typed tables of the bundle (table.h): after engine_finish(), every
 * table the catalogue declares, read from whichever layout held it
 * (table_set_value(engine_tables(e), "meminfo", "MemAvailable")).
 */
const struct table_set *engine_tables(const struct engine *e);

/* A visitor that feeds the engine from bundle_walk(). */
void engine_visitor(struct engine *e, struct bundle_visitor *v);


#endif
