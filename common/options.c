/*
 * options.c: command-line options from one table (see options.h).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "buf.h"
#include "casefile.h"
#include "options.h"
#include "suggest.h"

#define OPT_BASE 256	/* getopt values of long-only options: OPT_BASE + index */

static int takes_arg(const struct option_def *o)
{
	return o->type != OPT_T_BOOL && o->type != OPT_T_GROUP;
}

static void option_name(struct buf *b, const struct option_def *o)
{
	if (o->short_name && o->long_name)
		buf_addf(b, "-%c, --%s", o->short_name, o->long_name);
	else if (o->short_name)
		buf_addf(b, "-%c", o->short_name);
	else
		buf_addf(b, "--%s", o->long_name);
	if (takes_arg(o))
		buf_addf(b, " %s", o->argh ? o->argh : "ARG");
}

void options_usage(const struct options *spec, FILE *out)
{
	const struct option_def *o;

	fprintf(out, "%s\n", spec->usage);
	if (spec->intro)
		fprintf(out, "\n%s\n", spec->intro);
	fputc('\n', out);
	for (o = spec->opts; o->type != OPT_T_END; o++) {
		struct buf name = BUF_INIT(0);
		const char *h = o->help, *nl;

		if (o->type == OPT_T_GROUP) {
			fprintf(out, "\n%s\n", o->help);
			continue;
		}
		if (!o->help)
			continue;	/* between casefile and casefile, not for people */
		option_name(&name, o);
		/* continuation lines of the help line up under its first */
		nl = strchr(h, '\n');
		if (name.len > 22)
			fprintf(out, "  %s\n  %-22s %.*s\n", name.data, "", nl ? (int)(nl - h) :
				(int)strlen(h), h);
		else
			fprintf(out, "  %-22s %.*s\n", name.data, nl ? (int)(nl - h) :
				(int)strlen(h), h);
		while (nl) {
			h = nl + 1;
			nl = strchr(h, '\n');
			fprintf(out, "  %-22s %.*s\n", "", nl ? (int)(nl - h) : (int)strlen(h), h);
		}
		buf_release(&name);
	}
	if (spec->outro)
		fprintf(out, "\n%s\n", spec->outro);
}

static int bad_value(const struct option_def *o, const char *arg, const char *what)
{
	struct buf name = BUF_INIT(0);

	if (o->long_name)
		buf_addf(&name, "--%s", o->long_name);
	else
		buf_addf(&name, "-%c", o->short_name);
	error("%s: '%s' is not %s", name.data, arg, what);
	buf_release(&name);
	return CF_ERR_USAGE;
}

static int set_number(const struct option_def *o, const char *arg)
{
	struct buf what = BUF_INIT(0);
	int64_t v;
	char *end;
	int r = 0;

	errno = 0;
	if (o->type == OPT_T_SIZE) {
		v = parse_size(arg);
		buf_addstr(&what, "a size like 64M or 1G");
	} else if (o->type == OPT_T_DURATION) {
		v = parse_duration(arg);
		buf_addstr(&what, "a duration like 10s, 5m or 2h");
	} else {
		long long l = strtoll(arg, &end, 10);

		/* not a number at all reads as out of range */
		v = (end == arg || *end || errno) ? o->min - 1 : (int64_t)l;
		buf_addf(&what, "a whole number from %lld to %lld", (long long)o->min,
			 (long long)o->max);
	}
	if (v < o->min || v > o->max)
		r = bad_value(o, arg, what.data);
	else if (o->type == OPT_T_INT)
		*(int *)o->value = (int)v;
	else
		*(int64_t *)o->value = v;
	buf_release(&what);
	return r;
}

static int set_choice(const struct option_def *o, const char *arg)
{
	struct buf what = BUF_INIT(0);
	size_t i;
	int r;

	for (i = 0; o->choices[i]; i++)
		if (!strcmp(o->choices[i], arg)) {
			*(int *)o->value = (int)i;
			return 0;
		}
	buf_addstr(&what, "one of ");
	for (i = 0; o->choices[i]; i++)
		buf_addf(&what, "%s%s", i ? ", " : "", o->choices[i]);
	r = bad_value(o, arg, what.data);
	buf_release(&what);
	return r;
}

static int apply(const struct option_def *o, const char *arg)
{
	switch (o->type) {
	case OPT_T_BOOL:
		*(int *)o->value = o->min ? (int)o->min : 1;
		return 0;
	case OPT_T_STRING:
		*(const char **)o->value = arg;
		return 0;
	case OPT_T_LIST:
		strv_free(*(char ***)o->value);
		*(char ***)o->value = strv_split(arg, ',');
		return 0;
	case OPT_T_APPEND:
		strv_push((char ***)o->value, xstrdup(arg));
		return 0;
	case OPT_T_INT:
	case OPT_T_SIZE:
	case OPT_T_DURATION:
		return set_number(o, arg);
	case OPT_T_CHOICE:
		return set_choice(o, arg);
	case OPT_T_CALLBACK:
		return o->cb(arg, o->value) ? CF_ERR_USAGE : 0;
	default:
		return 0;
	}
}

/* getopt_long's long options and short string, from the table. */
static struct option *getopt_table(const struct option_def *opts, struct buf *shorts)
{
	size_t n = 0, i, k = 0;
	struct option *lo;

	while (opts[n].type != OPT_T_END)
		n++;
	lo = xcalloc(n + 2, sizeof(*lo));
	buf_addch(shorts, ':');		/* a missing argument is ':' */
	for (i = 0; i < n; i++) {
		const struct option_def *o = &opts[i];
		int has = takes_arg(o) ? required_argument : no_argument;

		if (o->type == OPT_T_GROUP)
			continue;
		if (o->short_name)
			buf_addf(shorts, "%c%s", o->short_name, has ? ":" : "");
		if (o->long_name) {
			lo[k].name = o->long_name;
			lo[k].has_arg = has;
			lo[k].val = o->short_name ? o->short_name : OPT_BASE + (int)i;
			k++;
		}
	}
	lo[k].name = "help";
	lo[k].val = 'h';
	return lo;
}

static const struct option_def *find(const struct option_def *opts, int c)
{
	size_t i;

	for (i = 0; opts[i].type != OPT_T_END; i++)
		if ((c >= OPT_BASE && (size_t)(c - OPT_BASE) == i) ||
		    (c < OPT_BASE && opts[i].short_name == c))
			return &opts[i];
	return NULL;
}

/*
 * getopt_long refused "--NAME[=VALUE]": NAME is unknown (perhaps a typo of
 * one we know), the start of several, or a flag given a value.
 */
static void unknown_long(const struct option_def *opts, const char *arg)
{
	char *name = xstrndup(arg, strcspn(arg, "="));
	const char **known = NULL;
	struct buf starts = BUF_INIT(0);
	const char *sug;
	size_t n = 0, i, nstart = 0;

	for (i = 0; opts[i].type != OPT_T_END; i++)
		n++;
	known = xcalloc(n + 2, sizeof(*known));
	for (i = 0, n = 0; opts[i].type != OPT_T_END; i++)
		if (opts[i].long_name && opts[i].help)
			known[n++] = opts[i].long_name;
	known[n++] = "help";
	for (i = 0; i < n; i++) {
		if (!strcmp(known[i], name))
			break;
		if (*name && !strncmp(known[i], name, strlen(name)))
			buf_addf(&starts, "%s--%s", nstart++ ? ", " : "", known[i]);
	}
	if (i < n)
		error("--%s takes no value", name);
	else if (nstart > 1)
		error("option '--%s' is ambiguous: %s", name, starts.data);
	else if ((sug = suggest_closest(name, known)))
		error("unknown option '--%s'; did you mean '--%s'?", name, sug);
	else
		error("unknown option '--%s'", name);
	buf_release(&starts);
	free(known);
	free(name);
}

int options_parse(const struct options *spec, int argc, char **argv, int *next)
{
	struct buf shorts = BUF_INIT(0);
	struct option *lo = getopt_table(spec->opts, &shorts);
	int c, r = 0;

	if (!strchr(shorts.data, 'h'))
		buf_addch(&shorts, 'h');
	optind = 1;
	opterr = 0;
	while (!r && (c = getopt_long(argc, argv, shorts.data, lo, NULL)) != -1) {
		const struct option_def *o = c == '?' || c == ':' ? NULL : find(spec->opts, c);

		if (c == 'h' && !o) {
			options_usage(spec, stdout);
			r = OPTIONS_HELP;
		} else if (c == ':') {
			error("%s needs a value", argv[optind - 1]);
			r = CF_ERR_USAGE;
		} else if (!o) {
			if (strncmp(argv[optind - 1], "--", 2))
				error("unknown option '-%c'", optopt);
			else
				unknown_long(spec->opts, argv[optind - 1] + 2);
			r = CF_ERR_USAGE;
		} else {
			r = apply(o, optarg);
		}
	}
	if (r == CF_ERR_USAGE)
		fprintf(stderr, "%s\n(see 'casefile %s --help')\n", spec->usage, argv[0]);
	*next = optind;
	free(lo);
	buf_release(&shorts);
	return r;
}

/* One option's value as words for another casefile ("" values are left out). */
static void value_words(const struct option_def *o, const char *name, char ***argv)
{
	struct buf v = BUF_INIT(0);
	char **w;

	switch (o->type) {
	case OPT_T_BOOL:
		if (*(int *)o->value == (o->min ? (int)o->min : 1))
			strv_push(argv, xstrdup(name));
		break;
	case OPT_T_STRING:
		if (*(const char **)o->value)
			buf_addstr(&v, *(const char **)o->value);
		break;
	case OPT_T_LIST:
		for (w = *(char ***)o->value; w && *w; w++)
			buf_addf(&v, "%s%s", w == *(char ***)o->value ? "" : ",", *w);
		break;
	case OPT_T_APPEND:
		for (w = *(char ***)o->value; w && *w; w++) {
			strv_push(argv, xstrdup(name));
			strv_push(argv, xstrdup(*w));
		}
		break;
	case OPT_T_INT:
		if (*(int *)o->value)
			buf_addf(&v, "%d", *(int *)o->value);
		break;
	case OPT_T_SIZE:
	case OPT_T_DURATION:
		if (*(int64_t *)o->value)
			buf_addf(&v, o->type == OPT_T_SIZE ? "%lld" : "%llds",
				 (long long)*(int64_t *)o->value);
		break;
	case OPT_T_CHOICE:
		buf_addstr(&v, o->choices[*(int *)o->value]);
		break;
	case OPT_T_CALLBACK:
		if (o->fmt)
			o->fmt(o->value, &v);
		break;
	default:
		break;
	}
	if (v.len) {
		strv_push(argv, xstrdup(name));
		strv_push(argv, buf_detach(&v, NULL));
	}
	buf_release(&v);
}

int options_argv(const struct option_def *opts, unsigned flag, char ***argv)
{
	const struct option_def *o;

	for (o = opts; o->type != OPT_T_END; o++) {
		struct buf name = BUF_INIT(0);

		if (o->type == OPT_T_GROUP)
			continue;
		if (o->long_name)
			buf_addf(&name, "--%s", o->long_name);
		else
			buf_addf(&name, "-%c", o->short_name);
		if (!(o->flags & (OPT_F_HOST | OPT_F_HERE))) {
			error("%s says not whether it goes to casefile on a host", name.data);
			buf_release(&name);
			return CF_ERR_USAGE;
		}
		if (o->flags & flag)
			value_words(o, name.data, argv);
		buf_release(&name);
	}
	return 0;
}

