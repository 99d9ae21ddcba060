/*
 * causality.h: what links findings when no rule lists the pair
 * (rules/causality.yaml, rules/entities.yaml; docs/rules.md).
 *
 * Categories stand in a causal order of tiers: hardware, then what carries
 * I/O and packets, the block layer, what is built of several disks, file
 * systems, memory, limits and policy, the kernel stuck, the panic, the
 * programs, and last the supervisor's view of them. A finding in an earlier
 * tier that shares an entity with a later one, and comes first within the
 * window, explains it (engine_decide.c). Some findings name their cause in
 * their own message (a panic's "not syncing: Out of memory").
 *
 * The entity tables say which names are one thing: a program and the units
 * it runs as, runtimes whose name says nothing of their unit, supervisors
 * whose syslog tag names nothing of the message.
 */
#ifndef CAUSALITY_H
#define CAUSALITY_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>
#include <stdint.h>
#include "buf.h"

/* A symptom whose first line names the category of its cause. */
struct named_cause {
	char *category;		/* the symptom's */
	pcre2_code *text;	/* found in its first line of evidence */
	char **causes;		/* categories (or AREA.*) of what explains it */
};

/* A program and the unit base names it runs as. */
struct program_units {
	char *program;
	char **units;
};

/* Lines of these sources that say which names are one thing (its captures). */
struct entity_line {
	char **sources;
	char **patterns;
};

/* A table whose rows say which names are one thing: field -> entity kind. */
struct entity_table {
	char *table;
	char **fields, **kinds;
};

struct causality {
	char ***tiers;		/* [ntiers] of categories or AREA.* */
	size_t ntiers;
	int64_t window;		/* seconds */
	struct named_cause *named;
	size_t nnamed;
	struct program_units *programs;
	size_t nprograms;
	char **runtimes, **supervisors;
	struct entity_line *lines;
	size_t nlines;
	struct entity_table *tables;
	size_t ntables;
	char **capture_names, **capture_kinds;	/* a rule's capture named like an entity */
};

/*
 * The compiled-in rules/causality.yaml and rules/entities.yaml, then
 * DIR's when dir is given and they exist there (a DIR file replaces the
 * compiled-in one). 0, or CF_ERR_PARSE with file:line:col messages in err.
 */
int causality_load(struct causality *c, const char *dir, struct buf *err);
void causality_release(struct causality *c);

/* The tier of a category (0 first), or -1 when it is in none. */
int causality_tier(const struct causality *c, const char *category);
/* Does category match pattern (a whole name, or AREA.*)? */
int causality_category_matches(const char *pattern, const char *category);

/* Is the name a runtime's, a supervisor's (see above)? */
int causality_is_runtime(const struct causality *c, const char *program);
int causality_is_supervisor(const struct causality *c, const char *program);
/* The unit base names listed for a program, or NULL. */
char *const *causality_units_of(const struct causality *c, const char *program);

#endif
