/*
 * cmd_rules.c: "casefile rules list|show|lint|test", for rule writers.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "casefile.h"
#include "catalog.h"
#include "commands.h"
#include "embedded.h"
#include "fixture_run.h"
#include "obfuscate.h"
#include "options.h"
#include "rules.h"

static void join(FILE *out, char *const *v, const char *sep)
{
	size_t i;

	for (i = 0; v && v[i]; i++)
		fprintf(out, "%s%s", i ? sep : "", v[i]);
}

/* Every pattern, one per line after its rule id: for grep and ripgrep beside us. */
static void list_patterns(const struct ruleset *rs)
{
	size_t i, c, p;

	for (i = 0; i < rs->nr; i++)
		for (c = 0; c < rs->items[i].nconds; c++)
			for (p = 0; p < rs->items[i].conds[c].npats; p++) {
				/* as compiled, for grep and rg: {kernel} expanded */
				char *text = pattern_expand(rs->items[i].conds[c].pats[p].text);

				printf("%s\t%s\n", rs->items[i].id, text);
				free(text);
			}
}

/* The rules r explains, by id. */
static void join_links(FILE *out, const struct rule *r, const char *sep)
{
	size_t i;

	for (i = 0; i < r->nlinks; i++)
		fprintf(out, "%s%s", i ? sep : "", r->links[i].rule);
}

static int list(const struct ruleset *rs, int md)
{
	size_t i;

	if (md) {
		printf("| id | category | severity | sources | explains |\n");
		printf("|---|---|---|---|---|\n");
	}
	for (i = 0; i < rs->nr; i++) {
		const struct rule *r = &rs->items[i];

		if (md) {
			printf("| `%s` | %s | %s | ", r->id, r->category, severity_name(r->severity));
			join(stdout, r->conds[0].source_names, ", ");
			printf(" | ");
			join_links(stdout, r, ", ");
			printf(" |\n");
		} else {
			printf("%-32s %-24s %-8s ", r->id, r->category, severity_name(r->severity));
			join(stdout, r->conds[0].source_names, ",");
			if (r->nlinks) {
				printf("  explains: ");
				join_links(stdout, r, ",");
			}
			printf("\n");
		}
	}
	return 0;
}

static int show(const struct ruleset *rs, const char *id)
{
	const struct rule *r = ruleset_find(rs, id);
	const struct embedded_file *f;
	FILE *fp;
	char chunk[8192];
	size_t n;

	if (!r)
		return error("no rule with id '%s' (see 'casefile rules list')", id), 1;
	printf("# %s\n", r->file);
	if ((f = embedded_find(r->file))) {
		fwrite(f->data, 1, f->len, stdout);
		return 0;
	}
	if (!(fp = fopen(r->file, "r")))
		return error("cannot open '%s': %s", r->file, strerror(errno)), 1;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		fwrite(chunk, 1, n, stdout);
	fclose(fp);
	return 0;
}

static int lint(const struct ruleset *rs, const struct catalog *cat, const char *load_errors)
{
	struct lint_counts lc;
	int r;

	fputs(load_errors, stdout);
	r = ruleset_lint(rs, cat, stdout, &lc);
	printf("%zu rules, %zu fixtures, %zu of %zu categories covered: %u problems, "
	       "%u warnings\n", rs->nr, lc.fixtures, lc.categories_used, lc.categories,
	       lc.problems, lc.warnings);
	return r ? CF_EXIT_FAILED : CF_EXIT_OK;
}

struct layout_counts {
	size_t passed, failed, skipped;
};

static void test_layout(const struct rule *r, const struct fixture *fx, const struct catalog *cat,
			enum layout layout, struct layout_counts *lc, struct buf *why)
{
	int ok;

	buf_reset(why);
	ok = fixture_run_layout(r, fx, cat, layout, why);
	if (ok > 0) {
		lc->passed++;
	} else if (ok < 0) {
		lc->skipped++;
	} else {
		lc->failed++;
		printf("FAIL %s fixture '%s' (%s:%zu): %s\n", r->id, fx->name, r->file, fx->line,
		       why->data);
	}
}

static int test(const struct ruleset *rs, const struct catalog *cat, char **ids, int layouts,
		int obfuscate)
{
	struct obf *obf = obfuscate ? obf_new() : NULL;
	size_t i, k, passed = 0, failed = 0, rules = 0;
	struct layout_counts cf = { 0, 0, 0 }, sos = { 0, 0, 0 }, scc = { 0, 0, 0 };
	struct buf why = BUF_INIT(0);

	for (i = 0; i < rs->nr; i++) {
		const struct rule *r = &rs->items[i];
		size_t j;

		if (ids && *ids) {
			for (j = 0; ids[j] && strcmp(ids[j], r->id); j++)
				;
			if (!ids[j])
				continue;
		}
		rules++;
		for (k = 0; k < r->nfixtures; k++) {
			if (layouts) {
				test_layout(r, &r->fixtures[k], cat, LAYOUT_CASEFILE, &cf, &why);
				test_layout(r, &r->fixtures[k], cat, LAYOUT_SOSREPORT, &sos, &why);
				test_layout(r, &r->fixtures[k], cat, LAYOUT_SUPPORTCONFIG, &scc,
					    &why);
			}
			buf_reset(&why);
			if (fixture_run(r, &r->fixtures[k], cat, obf, &why)) {
				passed++;
				continue;
			}
			failed++;
			printf("FAIL %s fixture '%s' (%s:%zu): %s\n", r->id, r->fixtures[k].name,
			       r->file, r->fixtures[k].line, why.data);
		}
	}
	buf_release(&why);
	if (obf) {
		struct buf c = BUF_INIT(0);

		obf_counts(obf, &c);
		printf("obfuscated first: %s replaced\n", c.data);
		buf_release(&c);
		obf_free(obf);
	}
	if (layouts) {
		printf("as casefile bundles: %zu passed, %zu failed\n", cf.passed, cf.failed);
		printf("as sosreports: %zu passed, %zu failed, %zu with a source sos does not "
		       "collect\n", sos.passed, sos.failed, sos.skipped);
		printf("as supportconfigs: %zu passed, %zu failed, %zu with a source "
		       "supportconfig does not collect\n", scc.passed, scc.failed, scc.skipped);
	}
	printf("%zu rules, %zu fixtures: %zu passed, %zu failed\n", rules, passed + failed,
	       passed, failed);
	return failed || cf.failed || sos.failed || scc.failed || rs->errors ? CF_EXIT_FAILED : CF_EXIT_OK;
}

static const char *const list_formats[] = { "text", "md", "patterns", NULL };

static struct {
	const char *dir;
	int format, layouts, obfuscate;
} args;

static const struct option_def rules_options[] = {
	OPT_STRING(0, "rules", &args.dir, "DIR", "add or override rules (and DIR/sources.yaml)"),
	OPT_CHOICE(0, "format", &args.format, "FMT", "for list: text (default), md or patterns",
		   list_formats),
	OPT_BOOL(0, "layouts", &args.layouts, "for test: also as files of a casefile bundle\n"
		 "and of a sosreport and a supportconfig"),
	OPT_BOOL(0, "obfuscate", &args.obfuscate, "for test: each fixture's text through the\n"
		 "obfuscator first (casefile clean), as a cleaned bundle"),
	OPT_END_OF_TABLE
};

static const struct options rules_spec = {
	"usage: casefile rules list [--format text|md|patterns] [--rules DIR]\n"
	"       casefile rules show ID [--rules DIR]\n"
	"       casefile rules lint [--rules DIR]\n"
	"       casefile rules test [ID...] [--layouts] [--obfuscate] [--rules DIR]",
	"list   every rule with its category, severity, sources, what it explains\n"
	"show   one rule's file\n"
	"lint   every rule parses, compiles, names known sources and categories,\n"
	"       lives in a file named by its id, explains known rules, and has\n"
	"       positive and negative fixtures\n"
	"test   run every rule (or those named) against its fixtures",
	rules_options,
	NULL,
};

static int run_verb(const char *verb, int argc, char **argv, const struct ruleset *rs,
		    const struct catalog *cat, const char *load_errors)
{
	if (!strcmp(verb, "list") && argc == 0)
		return args.format == 2 ? (list_patterns(rs), 0) : list(rs, args.format == 1);
	if (!strcmp(verb, "show") && argc == 1)
		return show(rs, argv[0]);
	if (!strcmp(verb, "lint") && argc == 0)
		return lint(rs, cat, load_errors);
	if (!strcmp(verb, "test")) {
		fputs(load_errors, stderr);
		return test(rs, cat, argv, args.layouts, args.obfuscate);
	}
	return CF_ERR_USAGE;
}

int cmd_rules(int argc, char **argv)
{
	static const char *const verbs[] = { "list", "show", "lint", "test", NULL };
	struct catalog cat = { 0 };
	struct ruleset rs = { 0 };
	struct buf err = BUF_INIT(0);
	const char *verb;
	int next, status;
	size_t i;

	memset(&args, 0, sizeof(args));
	status = options_parse(&rules_spec, argc, argv, &next);
	if (status)
		return status == OPTIONS_HELP ? CF_EXIT_OK : CF_EXIT_USAGE;
	if (next >= argc) {
		error("rules needs a verb: list, show, lint or test");
		fprintf(stderr, "%s\n", rules_spec.usage);
		return CF_EXIT_USAGE;
	}
	verb = argv[next++];
	for (i = 0; verbs[i] && strcmp(verbs[i], verb); i++)
		;
	if (!verbs[i]) {
		error("unknown 'rules' verb '%s' (list, show, lint or test)", verb);
		return CF_EXIT_USAGE;
	}
	if (args.format && strcmp(verb, "list")) {
		error("--format is for 'rules list'");
		return CF_EXIT_USAGE;
	}
	if (catalog_load_default(&cat, &err) ||
	    (args.dir && catalog_load_dir(&cat, args.dir, &err)) ||
	    ruleset_load(&rs, &cat, args.dir, &err) < 0) {
		fputs(err.data, stderr);
		status = CF_EXIT_USAGE;
		goto out;
	}
	status = run_verb(verb, argc - next, argv + next, &rs, &cat, err.data);
	if (status < 0) {
		error("'rules %s' %s", verb, !strcmp(verb, "show") ?
		      "needs one rule id (see 'casefile rules list')" : "takes no arguments");
		status = CF_EXIT_USAGE;
	}
	if (rs.errors && strcmp(verb, "lint") && strcmp(verb, "test"))
		fputs(err.data, stderr);
out:
	ruleset_release(&rs);
	catalog_release(&cat);
	buf_release(&err);
	return status;
}
