/*
 * cmd_analyze.c: "casefile analyze", the root-cause report of bundles.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "analyze.h"
#include "casefile.h"
#include "catalog.h"
#include "commands.h"
#include "options.h"
#include "report.h"
#include "rules.h"

static const char *const fail_on_names[] = { "info", "low", "medium", "high", "critical", NULL };

static struct {
	int format, fail_on;
	const char *output, *rules_dir;
	int64_t member_cap, total_cap;
} args;

static const struct option_def analyze_options[] = {
	OPT_CHOICE(0, "format", &args.format, "FMT", "text (default), md, json or html",
		   report_format_names),
	OPT_STRING('o', "output", &args.output, "FILE", "write the report to FILE (- for stdout)"),
	OPT_CHOICE(0, "fail-on", &args.fail_on, "SEVERITY", "exit 1 when a finding is at or "
		   "above SEVERITY\n(critical, high, medium, low, info)", fail_on_names),
	OPT_STRING(0, "rules", &args.rules_dir, "DIR", "add or override rules (and "
		   "DIR/sources.yaml)"),
	OPT_SIZE(0, "max-member-size", &args.member_cap, "N",
		 "decompressed bytes read per member (default 8G)"),
	OPT_SIZE(0, "max-total-size", &args.total_cap, "N",
		 "decompressed bytes read per bundle (default 64G)"),
	OPT_END_OF_TABLE
};

static const struct options analyze_spec = {
	"usage: casefile analyze PATH... [options]",
	"Run the rule library over bundles (casefile .tar.gz, sosreports packed\n"
	"or unpacked, or a directory shaped like a host's files) without\n"
	"extracting them, and report the root causes first.",
	analyze_options,
	"Exit status: 0 the analysis ran, 1 --fail-on was met, 2 usage error,\n"
	"3 an input could not be read (the report covers what was read).",
};

static int color_wanted(FILE *out)
{
	const char *nc = getenv("NO_COLOR");
	const char *term = getenv("TERM");

	if ((nc && *nc) || (term && !strcmp(term, "dumb")))
		return 0;
	return isatty(fileno(out));
}

static int load(struct catalog *cat, struct ruleset *rs)
{
	struct buf err = BUF_INIT(0);
	int r = 0;

	if (catalog_load_default(cat, &err) ||
	    (args.rules_dir && catalog_load_dir(cat, args.rules_dir, &err)) ||
	    ruleset_load(rs, cat, args.rules_dir, &err)) {
		fputs(err.data, stderr);
		r = CF_ERR_PARSE;
	} else if (rs->errors) {
		fputs(err.data, stderr);
		warning("%u rules did not load and are left out (see above)", rs->errors);
	}
	buf_release(&err);
	return r;
}

/* Write the reports; 0, or 3 when the output cannot be written. */
static int write_out(const struct analysis *a, size_t n)
{
	struct report *rs = xcalloc(n, sizeof(*rs));
	struct report_opts ro = { 0 };
	int to_stdout = !args.output || !strcmp(args.output, "-"), status = 0;
	FILE *out = to_stdout ? stdout : fopen(args.output, "w");
	size_t i;

	if (!out) {
		free(rs);
		error("cannot write '%s': %s", args.output, strerror(errno));
		return 3;
	}
	for (i = 0; i < n; i++)
		rs[i] = a[i].report;
	ro.color = to_stdout && color_wanted(out);
	if (report_write(out, (enum report_format)args.format, rs, n, &ro)) {
		error("cannot write the report: %s", strerror(errno));
		status = 3;
	}
	if (!to_stdout && fclose(out) && !status) {
		error("cannot write '%s': %s", args.output, strerror(errno));
		status = 3;
	}
	free(rs);
	return status;
}

static int failed_on(const struct analysis *a, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < a[i].report.n; j++)
			if ((int)a[i].report.f[j].rule->severity >= args.fail_on)
				return 1;
	return 0;
}

int cmd_analyze(int argc, char **argv)
{
	struct catalog cat = { 0 };
	struct ruleset rs = { 0 };
	struct analyze_opts ao;
	struct buf err = BUF_INIT(0);
	struct analysis *a = NULL;
	int status, unreadable = 0, next, i;
	size_t n = 0;

	memset(&args, 0, sizeof(args));
	args.fail_on = -1;
	status = options_parse(&analyze_spec, argc, argv, &next);
	if (status)
		return status == OPTIONS_HELP ? 0 : 2;
	if (next >= argc) {
		error("analyze needs a bundle, a sosreport or a directory");
		fprintf(stderr, "%s\n", analyze_spec.usage);
		return 2;
	}
	if (load(&cat, &rs)) {
		status = 2;
		goto out;
	}
	analyze_opts_init(&ao, &cat);
	ao.rules = rs.items;
	ao.nrules = rs.nr;
	ao.rule_errors = rs.errors;
	if (args.member_cap)
		ao.lim.member_cap = (uint64_t)args.member_cap;
	if (args.total_cap)
		ao.lim.total_cap = (uint64_t)args.total_cap;
	a = xcalloc((size_t)(argc - next), sizeof(*a));
	for (i = next; i < argc; i++) {
		buf_reset(&err);
		if (analyze_path(argv[i], &ao, &a[n], &err)) {
			unreadable = 1;
			error_lines(err.data);
		}
		if (a[n].has_report)
			n++;
		else
			analysis_release(&a[n]);
	}
	if (n)
		status = write_out(a, n);
	if (!status && args.fail_on >= 0 && failed_on(a, n))
		status = 1;
	if (unreadable)
		status = 3;
out:
	for (i = 0; i < (int)n; i++)
		analysis_release(&a[i]);
	free(a);
	ruleset_release(&rs);
	catalog_release(&cat);
	buf_release(&err);
	return status;
}
