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
#include "fleet_pool.h"
#include "options.h"
#include "outfile.h"
#include "report_format.h"
#include "rules.h"

static const char *const fail_on_names[] = { "info", "low", "medium", "high", "critical", NULL };

static struct {
	int format, fail_on, jobs;
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
	OPT_INT('j', "jobs", &args.jobs, "N", "inputs analyzed at once, or threads that search\n"
		"one input (default: the cores)", 1, 256),
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
	"extracting them, and report the root causes first. Several inputs, or\n"
	"a folder of bundles, give one fleet report: hosts x root causes, then\n"
	"each host's report.",
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

static int load(struct catalog *cat, struct ruleset *rs, struct causality *cz)
{
	struct buf err = BUF_INIT(0);
	int r = 0;

	if (catalog_load_default(cat, &err) ||
	    (args.rules_dir && catalog_load_dir(cat, args.rules_dir, &err)) ||
	    ruleset_load(rs, cat, args.rules_dir, &err) ||
	    causality_load(cz, args.rules_dir, &err)) {
		fputs(err.data, stderr);
		r = CF_ERR_PARSE;
	} else if (rs->errors) {
		fputs(err.data, stderr);
		warning("%u rules did not load and are left out (see above)", rs->errors);
	}
	buf_release(&err);
	return r;
}

/* -o FILE: a new file renamed over FILE when the report is whole (outfile.h) */
static struct outfile report_file;

static FILE *open_out(struct report_opts *ro)
{
	int to_stdout = !args.output || !strcmp(args.output, "-");
	FILE *out = stdout;

	if (!to_stdout && outfile_open(&report_file, args.output))
		return NULL;
	if (!to_stdout && !(out = outfile_stream(&report_file))) {
		error("cannot write '%s': %s", args.output, strerror(errno));
		outfile_abort(&report_file);
	}
	if (out)
		ro->color = to_stdout && color_wanted(out);
	return out;
}

/* 0, or 3 when the report could not be written. */
static int close_out(FILE *out, int write_failed)
{
	int status = 0;

	if (write_failed) {
		error("cannot write the report: %s", strerror(errno));
		status = CF_EXIT_INPUT;
	}
	if (out != stdout && status)
		outfile_abort(&report_file);
	else if (out != stdout && outfile_commit(&report_file))
		status = CF_EXIT_INPUT;
	return status;
}

/* One input: the report of what could be read. */
static int one(const char *path, const struct analyze_opts *ao)
{
	struct analysis a;
	struct report_opts ro = { 0 };
	struct buf err = BUF_INIT(0);
	FILE *out;
	size_t j;
	int unreadable = analyze_path(path, ao, &a, &err) != 0, status = 0;

	if (unreadable)
		error_lines(err.data);
	buf_release(&err);
	if (a.has_report) {
		out = open_out(&ro);
		status = out ? close_out(out, report_writers[args.format]->report(out, &a.report,
										       &ro)) : CF_EXIT_INPUT;
		for (j = 0; !status && args.fail_on >= 0 && j < a.report.n; j++)
			if ((int)a.report.f[j].severity >= args.fail_on)
				status = CF_EXIT_FAILED;
	}
	analysis_release(&a);
	return unreadable ? CF_EXIT_INPUT : status;
}

/* -j, or the cores (at most 64) */
static int jobs_wanted(void)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	return args.jobs ? args.jobs : cores > 0 ? (int)(cores < 64 ? cores : 64) : 1;
}

/* Several inputs: workers, then one fleet report. */
static int many(char *const *paths, size_t n, const struct analyze_opts *ao)
{
	struct fleet fl;
	struct report_opts ro = { 0 };
	FILE *out = open_out(&ro);
	int jobs = jobs_wanted();
	int status, unreadable = 0, hit = 0;
	size_t i;

	if (!out)
		return CF_EXIT_INPUT;
	fleet_run(paths, n, jobs, report_writers[args.format], ao, &ro, &fl);
	for (i = 0; i < fl.n; i++) {
		const struct fleet_host *h = &fl.hosts[i];

		if (h->error)
			error("%s", h->error);
		unreadable |= h->error || h->read_in_part;
		hit |= args.fail_on >= 0 && h->severity >= args.fail_on;
	}
	status = close_out(out, report_writers[args.format]->fleet(out, &fl, &ro));
	fleet_release(&fl);
	return status ? status : unreadable ? CF_EXIT_INPUT : hit ? CF_EXIT_FAILED : CF_EXIT_OK;
}

int cmd_analyze(int argc, char **argv)
{
	struct catalog cat = { 0 };
	struct ruleset rs = { 0 };
	struct causality cz = { 0 };
	struct analyze_opts ao;
	struct buf err = BUF_INIT(0);
	char **inputs = NULL;
	int status, next;

	memset(&args, 0, sizeof(args));
	args.fail_on = -1;
	status = options_parse(&analyze_spec, argc, argv, &next);
	if (status)
		return status == OPTIONS_HELP ? CF_EXIT_OK : CF_EXIT_USAGE;
	if (next >= argc) {
		error("analyze needs a bundle, a sosreport or a directory");
		fprintf(stderr, "%s\n", analyze_spec.usage);
		return CF_EXIT_USAGE;
	}
	if (load(&cat, &rs, &cz)) {
		status = CF_EXIT_USAGE;
		goto out;
	}
	analyze_opts_init(&ao, &cat);
	ao.rules = rs.items;
	ao.nrules = rs.nr;
	ao.rule_errors = rs.errors;
	ao.causality = &cz;
	if (args.member_cap)
		ao.lim.member_cap = (uint64_t)args.member_cap;
	if (args.total_cap)
		ao.lim.total_cap = (uint64_t)args.total_cap;
	inputs = fleet_inputs(argv + next, (size_t)(argc - next));
	if (strv_len(inputs) == 1) {
		ao.threads = (unsigned)jobs_wanted();
		status = one(inputs[0], &ao);
	}
	else
		status = many(inputs, strv_len(inputs), &ao);
out:
	strv_free(inputs);
	ruleset_release(&rs);
	causality_release(&cz);
	catalog_release(&cat);
	buf_release(&err);
	return status;
}
