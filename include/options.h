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
};

#define OPT_GROUP(h) { OPT_T_GROUP, 0, NULL, NULL, NULL, (h), 0, 0, NULL, NULL }
#define OPT_BOOL(s, l, v, h) { OPT_T_BOOL, (s), (l), (v), NULL, (h), 0, 0, NULL, NULL }
#define OPT_SET_INT(s, l, v, n, h) { OPT_T_BOOL, (s), (l), (v), NULL, (h), (n), 0, NULL, NULL }
#define OPT_STRING(s, l, v, a, h) { OPT_T_STRING, (s), (l), (v), (a), (h), 0, 0, NULL, NULL }
#define OPT_LIST(s, l, v, a, h) { OPT_T_LIST, (s), (l), (v), (a), (h), 0, 0, NULL, NULL }
#define OPT_APPEND(s, l, v, a, h) { OPT_T_APPEND, (s), (l), (v), (a), (h), 0, 0, NULL, NULL }
#define OPT_INT(s, l, v, a, h, lo, hi) \
	{ OPT_T_INT, (s), (l), (v), (a), (h), (lo), (hi), NULL, NULL }
#define OPT_SIZE(s, l, v, a, h) \
	{ OPT_T_SIZE, (s), (l), (v), (a), (h), 1, INT64_MAX, NULL, NULL }
#define OPT_DURATION(s, l, v, a, h) \
	{ OPT_T_DURATION, (s), (l), (v), (a), (h), 1, 86400 * 365, NULL, NULL }
#define OPT_CHOICE(s, l, v, a, h, c) { OPT_T_CHOICE, (s), (l), (v), (a), (h), 0, 0, (c), NULL }
#define OPT_CALLBACK(s, l, v, a, h, f) { OPT_T_CALLBACK, (s), (l), (v), (a), (h), 0, 0, NULL, (f) }
#define OPT_END_OF_TABLE { OPT_T_END, 0, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL }

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

/* The whole help: usage, intro, one line per option, outro. */
void options_usage(const struct options *spec, FILE *out);

#endif
