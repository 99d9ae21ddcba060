/*
 * rules.h: the rule library. One rule per YAML file under rules/<area>/,
 * named by its id, compiled into the binary; --rules DIR adds rules or
 * overrides them by id. docs/rules.md is the guide for writing them.
 * rule.c parses one rule, ruleset.c holds the set and lints it.
 *
 * A rule fires when its main condition (sources + patterns + where +
 * threshold within window) holds, every "all" condition holds, at least one
 * "any" condition holds (when there are any), and no "none" condition does.
 * A "recovers" condition says the problem ended: a finding that recovered
 * within RECOVERED_WITHIN and explains nothing is low (engine_decide.c).
 */
#ifndef RULES_H
#define RULES_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "buf.h"
#include "catalog.h"
#include "literal.h"
#include "where.h"

enum severity { SEV_INFO, SEV_LOW, SEV_MEDIUM, SEV_HIGH, SEV_CRITICAL, SEV_NR };
/* recovers: what says the problem ended (an NFS server "OK", a link "Up") */
enum cond_role { COND_MAIN, COND_ALL, COND_ANY, COND_NONE, COND_RECOVERS };
enum cmp_op { OP_GE, OP_GT, OP_LE, OP_LT, OP_EQ, OP_NE };

const char *severity_name(enum severity s);
/* -1 when s names no severity */
int severity_parse(const char *s);

/*
 * A test of "where" (where.h): "use >= 95" on a capture or a column,
 * "MemAvailable < MemTotal * 0.05", "TCP_mem >= sysctl.net.ipv4.tcp_mem[3]".
 */
struct where {
	char *text;
	struct where_expr *expr;
};

/* The standard entity names (named captures) findings carry: ENTITY_NR of them. */
#define ENTITY_NR 11
enum entity_kind { ENT_UNIT, ENT_PROCESS, ENT_PID, ENT_DEVICE, ENT_MOUNT, ENT_INTERFACE,
	ENT_PEER, ENT_USER, ENT_PORT, ENT_PATH, ENT_SIGNAL };
extern const char *const entity_names[ENTITY_NR + 1];

/* Capture groups a search keeps of a match (its match data's ovector pairs). */
#define SEARCH_GROUPS 64

struct pattern {
	char *text;
	pcre2_code *code;
	int caseless;
	struct literal *lits;	/* one per top-level alternative; NULL: none */
	size_t nlits;
	int *where_group;	/* capture group of each name its condition's wheres read, or -1 */
	unsigned threshold;	/* its own: at least this many events; 0: the condition's */
	int64_t window;		/* ... within this many seconds (0: anywhere) */
	int ent_group[ENTITY_NR];	/* capture group of each entity_names[k], or -1 */
	uint32_t ngroups;	/* its capture groups and the whole match: ovector pairs */
};

/*
 * Compile text as a pattern of a rule: "{kernel}" and "{kernel_dev}" are
 * expanded (docs/rules.md). CF_ERR_PARSE with the reason in why.
 */
int pattern_compile(struct pattern *pt, const char *text, int caseless, struct buf *why);
/* The pattern as compiled: its macros expanded (a new string, to free). */
char *pattern_expand(const char *text);
void pattern_release(struct pattern *pt);

/*
 * A condition holds when its patterns' events reach the threshold within the
 * window; a pattern with a threshold of its own holds alone (a message a
 * daemon prints once counts from its first line while a per-request one
 * needs a burst), and the patterns without one count together.
 */
struct cond {
	enum cond_role role;
	char **source_names;
	size_t *sources;	/* indices into the catalogue */
	size_t nsources;
	struct pattern *pats;
	size_t npats;
	struct where *where;
	size_t nwhere;
	struct where_names names;	/* the bare names its wheres read */
	int table;		/* no patterns: its sources are tables, tested row by row */
	unsigned threshold;	/* at least this many matching lines */
	int64_t window;		/* ... within this many seconds (0: anywhere) */
};

#define RECOVERED_WITHIN 60	/* seconds: a blip, when nothing failed meanwhile */

struct fixture {
	char *name;
	int expect_match;
	char **sources;		/* source name per text */
	char **texts;
	size_t n;
	size_t line;		/* in the rule file */
};

/*
 * "explains": a cause and its symptom. A link may ask that both findings
 * share an entity (a unit, a device, ...: docs/rules.md) and that the
 * symptom starts within a time of the cause. Where a finding has no value
 * of the entity, or no time, that part of the test is left out.
 */
struct explain {
	char *rule;
	char **share;		/* entity names, NULL-terminated, or NULL */
	int64_t within;		/* seconds; 0: any time */
};

struct rule {
	char *file;
	char *id, *title, *category;
	enum severity severity;
	struct cond *conds;	/* conds[0] is the main condition */
	size_t nconds;
	struct explain *links;
	size_t nlinks;
	char **not_explains;	/* rule ids it must not explain by default (causality.h) */
	char *explanation, *remediation;
	char **references;
	struct fixture *fixtures;
	size_t nfixtures;
	int builtin;		/* the engine's own (unrecognised errors), no file */
};

struct ruleset {
	struct rule *items;
	size_t nr, alloc;
	unsigned errors;	/* rules that did not load */
};

/*
 * Parse one rule file. On error, append "file:line:col: what, expected
 * what" lines to err and return CF_ERR_PARSE; the rule is left cleared.
 */
int rule_parse(struct rule *r, const char *file, const char *data, size_t len,
	       const struct catalog *cat, struct buf *err);
void rule_clear(struct rule *r);

/*
 * Load the compiled-in rules, then (when dir is not NULL) every *.yaml under
 * dir and its subfolders but sources.yaml; a rule with an id already loaded
 * replaces it. A bad rule is reported in err, counted in rs->errors and left
 * out: the others still load. Returns 0, or CF_ERR_IO when dir is unreadable.
 */
int ruleset_load(struct ruleset *rs, const struct catalog *cat, const char *dir,
		 struct buf *err);
void ruleset_release(struct ruleset *rs);
const struct rule *ruleset_find(const struct ruleset *rs, const char *id);

struct lint_counts {
	size_t fixtures, categories_used, categories;
	unsigned problems, warnings;
};

/*
 * The checks that span rules, printed to out: every rule has a positive
 * and a negative fixture, lives in a file named by its id, explains rules
 * that exist (not itself); patterns without a literal are warned about.
 * Rules that did not load count as problems. 0, or CF_ERR_PARSE when a
 * problem was found.
 */
int ruleset_lint(const struct ruleset *rs, const struct catalog *cat, FILE *out,
		 struct lint_counts *lc);

#endif
