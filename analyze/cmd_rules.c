/*
 * cmd_rules.c: "casefile rules list|show|lint|test", for rule writers.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "casefile.h"
#include "catalog.h"
#include "commands.h"
#include "embedded.h"
#include "fixture.h"
#include "rules.h"

static const char usage[] =
	"usage: casefile rules list [--format text|md|patterns] [--rules DIR]\n"
	"       casefile rules show ID [--rules DIR]\n"
	"       casefile rules lint [--rules DIR]\n"
	"       casefile rules test [ID...] [--layouts] [--rules DIR]\n"
	"\n"
	"list   every rule with its category, severity, sources, what it explains\n"
	"show   one rule's file\n"
	"lint   every rule parses, compiles, names known sources and categories,\n"
	"       explains known rules, and has positive and negative fixtures\n"
	"test   run every rule (or those named) against its fixtures; with\n"
	"       --layouts also as files of a casefile bundle and of a sosreport\n";

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
			for (p = 0; p < rs->items[i].conds[c].npats; p++)
				printf("%s\t%s\n", rs->items[i].id, rs->items[i].conds[c].pats[p].text);
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
			join(stdout, r->explains, ", ");
			printf(" |\n");
		} else {
			printf("%-32s %-24s %-8s ", r->id, r->category, severity_name(r->severity));
			join(stdout, r->conds[0].source_names, ",");
			if (r->explains) {
				printf("  explains: ");
				join(stdout, r->explains, ",");
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

static int lint(const struct ruleset *rs, const char *load_errors)
{
	size_t i, k, c, p, fixtures = 0, ncat = 0;
	unsigned problems = rs->errors, warnings = 0;
	const char *seen[128];

	fputs(load_errors, stdout);
	for (i = 0; i < rs->nr; i++) {
		const struct rule *r = &rs->items[i];
		int pos = 0, neg = 0;

		for (k = 0; k < r->nfixtures; k++) {
			pos += r->fixtures[k].expect_match;
			neg += !r->fixtures[k].expect_match;
		}
		fixtures += r->nfixtures;
		if (!pos || !neg) {
			fprintf(stdout, "%s: rule '%s' needs at least one positive and one "
				"negative fixture (has %d and %d)\n", r->file, r->id, pos, neg);
			problems++;
		}
		for (k = 0; r->explains && r->explains[k]; k++) {
			if (!ruleset_find(rs, r->explains[k])) {
				fprintf(stdout, "%s: rule '%s' explains '%s', which is no rule\n",
					r->file, r->id, r->explains[k]);
				problems++;
			} else if (!strcmp(r->explains[k], r->id)) {
				fprintf(stdout, "%s: rule '%s' explains itself\n", r->file, r->id);
				problems++;
			}
		}
		for (c = 0; c < r->nconds; c++)
			for (p = 0; p < r->conds[c].npats; p++)
				if (!r->conds[c].pats[p].nlits) {
					fprintf(stdout, "%s: warning: pattern '%s' has no literal of "
						"4 characters or more: it runs on every line\n",
						r->file, r->conds[c].pats[p].text);
					warnings++;
				}
		for (k = 0; k < ncat; k++)
			if (!strcmp(seen[k], r->category))
				break;
		if (k == ncat && ncat < ARRAY_SIZE(seen))
			seen[ncat++] = r->category;
	}
	for (k = 0; categories[k]; k++)
		;
	printf("%zu rules, %zu fixtures, %zu of %zu categories covered: %u problems, "
	       "%u warnings\n", rs->nr, fixtures, ncat, k, problems, warnings);
	return problems ? 1 : 0;
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

static int test(const struct ruleset *rs, const struct catalog *cat, char **ids, int layouts)
{
	size_t i, k, passed = 0, failed = 0, rules = 0;
	struct layout_counts cf = { 0, 0, 0 }, sos = { 0, 0, 0 };
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
			}
			buf_reset(&why);
			if (fixture_run(r, &r->fixtures[k], cat, &why)) {
				passed++;
				continue;
			}
			failed++;
			printf("FAIL %s fixture '%s' (%s:%zu): %s\n", r->id, r->fixtures[k].name,
			       r->file, r->fixtures[k].line, why.data);
		}
	}
	buf_release(&why);
	if (layouts) {
		printf("as casefile bundles: %zu passed, %zu failed\n", cf.passed, cf.failed);
		printf("as sosreports: %zu passed, %zu failed, %zu with a source sos does not "
		       "collect\n", sos.passed, sos.failed, sos.skipped);
	}
	printf("%zu rules, %zu fixtures: %zu passed, %zu failed\n", rules, passed + failed,
	       passed, failed);
	return failed || cf.failed || sos.failed || rs->errors ? 1 : 0;
}

int cmd_rules(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "rules", required_argument, NULL, 'r' },
		{ "format", required_argument, NULL, 'f' },
		{ "layouts", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct catalog cat = { 0 };
	struct ruleset rs = { 0 };
	struct buf err = BUF_INIT(0);
	const char *dir = NULL, *format = "text", *verb;
	int c, status, layouts = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'r': dir = optarg; break;
		case 'f': format = optarg; break;
		case 'l': layouts = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (optind >= argc) {
		fputs(usage, stderr);
		return 2;
	}
	verb = argv[optind++];
	if (catalog_load_default(&cat, &err) || (dir && catalog_load_dir(&cat, dir, &err)) ||
	    ruleset_load(&rs, &cat, dir, &err) < 0) {
		fputs(err.data, stderr);
		status = 2;
		goto out;
	}
	if (!strcmp(verb, "list") && !strcmp(format, "patterns")) {
		list_patterns(&rs);
		status = 0;
	} else if (!strcmp(verb, "list")) {
		status = list(&rs, !strcmp(format, "md"));
	} else if (!strcmp(verb, "show") && optind < argc) {
		status = show(&rs, argv[optind]);
	} else if (!strcmp(verb, "lint")) {
		status = lint(&rs, err.data);
	} else if (!strcmp(verb, "test")) {
		fputs(err.data, stderr);
		status = test(&rs, &cat, argv + optind, layouts);
	} else {
		error("unknown 'rules' verb '%s'", verb);
		fputs(usage, stderr);
		status = 2;
	}
	if (rs.errors && strcmp(verb, "lint") && strcmp(verb, "test"))
		fputs(err.data, stderr);
out:
	ruleset_release(&rs);
	catalog_release(&cat);
	buf_release(&err);
	return status;
}
