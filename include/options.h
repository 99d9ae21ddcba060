/*
 * options.h: one table per command for its options, in the spirit of git's
 * parse-options. Each entry carries the short and long name, the kind of
 * argument, where the value goes, and the help text; getopt_long's array
 * and the usage text are made from the table, so they cannot disagree.
 * Numbers, sizes and durations are checked against their range.
 *
 *	static const struct option_def opts[] = {
 *		OPT_STRING('o', "output", &outdir, "DIR", "where to write the bundle"),
 *		OPT_INT('j', "jobs", &jobs, "N", "hosts at once", 1, 256),
 *		OPT_END_OF_TABLE
 *	};
 */
#ifndef OPTIONS_H
#define OPTIONS_H

#include <stdint.h>
#include <stdio.h>
#include "buf.h"

enum opt_type {
	OPT_T_END,
	OPT_T_GROUP,		/* a heading in the help */
	OPT_T_BOOL,		/* int *: set to 1 (or to min when min is not 0) */
	OPT_T_STRING,		/* const char **: the argument */
	OPT_T_LIST,		/* char ***: "a,b,c" as a strv, replacing any earlier */
	OPT_T_APPEND,		/* char ***: each use adds one to the strv */
	OPT_T_INT,		/* int *, from min to max */
	OPT_T_SIZE,		/* int64_t *: bytes ("64M"), from min to max */
	OPT_T_DURATION,		/* int64_t *: seconds ("10s", "5m"), from min to max */
	OPT_T_CHOICE,		/* int *: the index of the argument in choices */
	OPT_T_CALLBACK,		/* cb(arg, value): 0, or an error already printed */
};

/*
 * Where an option goes when casefile runs on a host for this command
 * (inplace.h): a table whose options go there says it of every one, so a
 * new option cannot be dropped on the way without anyone deciding it.
 */
#define OPT_F_HOST 1u	/* the host's casefile gets it too (options_argv) */
#define OPT_F_HERE 2u	/* this machine's alone, another's alias, or set per host */

struct option_def {
	enum opt_type type;
	int short_name;		/* 0 for none */
	const char *long_name;	/* NULL for none */
	void *value;
	const char *argh;	/* the argument's name in the help: "DIR" */
	const char *help;	/* NULL: left out of --help */
	int64_t min, max;
	const char *const *choices;	/* NULL-terminated, for OPT_T_CHOICE */
	int (*cb)(const char *arg, void *value);
	/* OPT_T_CALLBACK going to a host: its value as an argument again ("" for none) */
	void (*fmt)(const void *value, struct buf *out);
	unsigned flags;		/* OPT_F_* */
};

#define OPT_DEF(t, s, l, v, a, h, lo, hi, c, f, fmt, fl) \
	{ (t), (s), (l), (v), (a), (h), (lo), (hi), (c), (f), (fmt), (fl) }
#define OPT_GROUP(h) OPT_DEF(OPT_T_GROUP, 0, NULL, NULL, NULL, (h), 0, 0, NULL, NULL, NULL, 0)
#define OPT_BOOL_F(fl, s, l, v, h) \
	OPT_DEF(OPT_T_BOOL, (s), (l), (v), NULL, (h), 0, 0, NULL, NULL, NULL, (fl))
#define OPT_SET_INT(s, l, v, n, h) \
	OPT_DEF(OPT_T_BOOL, (s), (l), (v), NULL, (h), (n), 0, NULL, NULL, NULL, 0)
#define OPT_STRING_F(fl, s, l, v, a, h) \
	OPT_DEF(OPT_T_STRING, (s), (l), (v), (a), (h), 0, 0, NULL, NULL, NULL, (fl))
#define OPT_LIST_F(fl, s, l, v, a, h) \
	OPT_DEF(OPT_T_LIST, (s), (l), (v), (a), (h), 0, 0, NULL, NULL, NULL, (fl))
#define OPT_APPEND_F(fl, s, l, v, a, h) \
	OPT_DEF(OPT_T_APPEND, (s), (l), (v), (a), (h), 0, 0, NULL, NULL, NULL, (fl))
#define OPT_INT_F(fl, s, l, v, a, h, lo, hi) \
	OPT_DEF(OPT_T_INT, (s), (l), (v), (a), (h), (lo), (hi), NULL, NULL, NULL, (fl))
#define OPT_SIZE_F(fl, s, l, v, a, h) \
	OPT_DEF(OPT_T_SIZE, (s), (l), (v), (a), (h), 1, INT64_MAX, NULL, NULL, NULL, (fl))
#define OPT_DURATION_F(fl, s, l, v, a, h) \
	OPT_DEF(OPT_T_DURATION, (s), (l), (v), (a), (h), 1, 86400 * 365, NULL, NULL, NULL, (fl))
#define OPT_CHOICE(s, l, v, a, h, c) \
	OPT_DEF(OPT_T_CHOICE, (s), (l), (v), (a), (h), 0, 0, (c), NULL, NULL, 0)
#define OPT_CALLBACK_F(fl, s, l, v, a, h, f, fmt) \
	OPT_DEF(OPT_T_CALLBACK, (s), (l), (v), (a), (h), 0, 0, NULL, (f), (fmt), (fl))
/* the same for tables that go nowhere else */
#define OPT_BOOL(s, l, v, h) OPT_BOOL_F(0, s, l, v, h)
#define OPT_STRING(s, l, v, a, h) OPT_STRING_F(0, s, l, v, a, h)
#define OPT_LIST(s, l, v, a, h) OPT_LIST_F(0, s, l, v, a, h)
#define OPT_APPEND(s, l, v, a, h) OPT_APPEND_F(0, s, l, v, a, h)
#define OPT_INT(s, l, v, a, h, lo, hi) OPT_INT_F(0, s, l, v, a, h, lo, hi)
#define OPT_SIZE(s, l, v, a, h) OPT_SIZE_F(0, s, l, v, a, h)
#define OPT_DURATION(s, l, v, a, h) OPT_DURATION_F(0, s, l, v, a, h)
#define OPT_CALLBACK(s, l, v, a, h, f) OPT_CALLBACK_F(0, s, l, v, a, h, f, NULL)
#define OPT_END_OF_TABLE OPT_DEF(OPT_T_END, 0, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, NULL, 0)

struct options {
	const char *usage;	/* "usage: casefile collect [options]", may hold '\n' */
	const char *intro;	/* a paragraph after it, or NULL */
	const struct option_def *opts;
	const char *outro;	/* text after the options (exit status...), or NULL */
};

/* parse results beside 0 */
#define OPTIONS_HELP 1		/* --help was given and printed: exit 0 */

/*
 * Parse argv[1..] (argv[0] is the command). Returns 0 with *next the index
 * of the first argument that is not an option; OPTIONS_HELP after printing
 * the help to stdout for -h/--help; CF_ERR_USAGE after saying what was
 * wrong and printing the usage to stderr.
 */
int options_parse(const struct options *spec, int argc, char **argv, int *next);

/*
 * The options of the table that carry flag, with the values they hold now,
 * as words for another casefile's command line, pushed onto *argv: a string
 * or list that is set ("--only", "a,b"), an append option once per value, a
 * bool that is on, a number, size (bytes) or duration ("90s") that is not 0,
 * a choice, a callback's value through its fmt. CF_ERR_USAGE, said, when an
 * option of the table says neither OPT_F_HOST nor OPT_F_HERE (a table that
 * goes to a host decides it of every option).
 */
int options_argv(const struct option_def *opts, unsigned flag, char ***argv);

/* The whole help: usage, intro, one line per option, outro. */
void options_usage(const struct options *spec, FILE *out);

#endif
