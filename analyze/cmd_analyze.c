/*
 * cmd_analyze.c: "casefile analyze", the root-cause report of bundles.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "bundle.h"
#include "casefile.h"
#include "catalog.h"
#include "commands.h"
#include "engine.h"
#include "report.h"
#include "rules.h"

static const char usage[] =
	"usage: casefile analyze PATH... [options]\n"
	"\n"
	"Run the rule library over bundles (casefile .tar.gz, sosreports packed\n"
	"or unpacked, or a directory shaped like a host's files) without\n"
	"extracting them, and report the root causes first.\n"
	"\n"
	"  --format FMT          text (default), md, json or html\n"
	"  -o, --output FILE     write the report to FILE\n"
	"  --fail-on SEVERITY    exit 1 when a finding is at or above SEVERITY\n"
	"                        (critical, high, medium, low, info)\n"
	"  --rules DIR           add or override rules (and DIR/sources.yaml)\n"
	"  --max-member-size N   decompressed bytes read per member (default 8G)\n"
	"  --max-total-size N    decompressed bytes read per bundle (default 64G)\n"
	"  -h, --help            this help\n"
	"\n"
	"Exit status: 0 the analysis ran, 1 --fail-on was met, 2 usage error,\n"
	"3 an input could not be read (the report covers what was read).\n";

enum { OPT_FORMAT = 256, OPT_FAIL_ON, OPT_RULES, OPT_MAX_MEMBER, OPT_MAX_TOTAL };

static const struct option long_opts[] = {
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "output", required_argument, NULL, 'o' },
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "rules", required_argument, NULL, OPT_RULES },
	{ "max-member-size", required_argument, NULL, OPT_MAX_MEMBER },
	{ "max-total-size", required_argument, NULL, OPT_MAX_TOTAL },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

enum format { FMT_TEXT, FMT_MD, FMT_JSON, FMT_HTML };

struct analysis {
	struct bundle_info bi;
	struct engine *engine;
	struct report report;
	char *error;
};

static int color_wanted(FILE *out, int to_file)
{
	const char *nc = getenv("NO_COLOR");
	const char *term = getenv("TERM");

	if (to_file || (nc && *nc) || (term && !strcmp(term, "dumb")))
		return 0;
	return isatty(fileno(out));
}

static int write_reports(FILE *out, enum format fmt, struct analysis *a, size_t n,
			 int to_file)
{
	struct report *rs = xcalloc(n + 1, sizeof(*rs));
	size_t i;
	int r = 0;

	for (i = 0; i < n; i++)
		rs[i] = a[i].report;
	switch (fmt) {
	case FMT_TEXT:
		for (i = 0; i < n; i++) {
			if (i)
				fputs("\n", out);
			report_text(out, &rs[i], color_wanted(out, to_file));
		}
		break;
	case FMT_MD:
		for (i = 0; i < n; i++)
			report_md(out, &rs[i]);
		break;
	case FMT_JSON: {
		json_t *j;

		if (n == 1) {
			j = report_json(&rs[0]);
		} else {
			j = json_array();
			for (i = 0; i < n; i++)
				json_array_append_new(j, report_json(&rs[i]));
		}
		r = json_dumpf(j, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', out);
		json_decref(j);
		break;
	}
	case FMT_HTML:
		report_html(out, rs, n);
		break;
	}
	free(rs);
	return r;
}

int cmd_analyze(int argc, char **argv)
{
	struct catalog cat = { 0 };
	struct ruleset rs = { 0 };
	struct bundle_limits lim = { BUNDLE_DEFAULT_MEMBER_CAP, BUNDLE_DEFAULT_TOTAL_CAP,
				     BUNDLE_DEFAULT_LINE_CAP };
	struct buf err = BUF_INIT(0);
	struct analysis *a = NULL;
	enum format fmt = FMT_TEXT;
	const char *output = NULL, *rules_dir = NULL;
	int fail_on = -1, status = 0, c, unreadable = 0, i, n = 0;
	FILE *out = stdout;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", long_opts, NULL)) != -1) {
		switch (c) {
		case OPT_FORMAT:
			if (!strcmp(optarg, "text")) fmt = FMT_TEXT;
			else if (!strcmp(optarg, "md") || !strcmp(optarg, "markdown")) fmt = FMT_MD;
			else if (!strcmp(optarg, "json")) fmt = FMT_JSON;
			else if (!strcmp(optarg, "html")) fmt = FMT_HTML;
			else {
				error("--format: '%s' is not one of text, md, json, html", optarg);
				return 2;
			}
			break;
		case 'o': output = optarg; break;
		case OPT_FAIL_ON:
			fail_on = severity_parse(optarg);
			if (fail_on < 0) {
				error("--fail-on: '%s' is not one of critical, high, medium, low, info",
				      optarg);
				return 2;
			}
			break;
		case OPT_RULES: rules_dir = optarg; break;
		case OPT_MAX_MEMBER:
		case OPT_MAX_TOTAL: {
			int64_t v = parse_size(optarg);

			if (v <= 0) {
				error("%s: '%s' is not a size like 512M or 4G", argv[optind - 1],
				      optarg);
				return 2;
			}
			if (c == OPT_MAX_MEMBER)
				lim.member_cap = (uint64_t)v;
			else
				lim.total_cap = (uint64_t)v;
			break;
		}
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (optind >= argc) {
		error("analyze needs a bundle, a sosreport or a directory");
		fputs(usage, stderr);
		return 2;
	}
	if (catalog_load_default(&cat, &err) ||
	    (rules_dir && catalog_load_dir(&cat, rules_dir, &err))) {
		fputs(err.data, stderr);
		status = 2;
		goto out;
	}
	if (ruleset_load(&rs, &cat, rules_dir, &err)) {
		fputs(err.data, stderr);
		status = 2;
		goto out;
	}
	if (rs.errors) {
		fputs(err.data, stderr);
		warning("%u rules did not load and are left out (see above)", rs.errors);
	}
	buf_reset(&err);

	a = xcalloc((size_t)(argc - optind), sizeof(*a));
	for (i = optind; i < argc; i++) {
		struct analysis *x = &a[n];
		struct bundle_visitor v;
		int64_t t0 = now_ms();
		int r;

		bundle_info_init(&x->bi, argv[i]);
		x->engine = engine_new(rs.items, rs.nr, &cat);
		engine_visitor(x->engine, &v);
		buf_reset(&err);
		r = bundle_walk(argv[i], &lim, &v, &x->bi, &err);
		if (r) {
			unreadable = 1;
			fprintf(stderr, "casefile: error: %s", err.data);
			if (!x->bi.members_read && !x->bi.bytes_read) {
				engine_free(x->engine);
				bundle_info_release(&x->bi);
				continue;	/* nothing read: no report to give */
			}
			x->error = xstrndup(err.data, strcspn(err.data, "\n"));
		}
		x->report.bi = &x->bi;
		x->report.f = engine_finish(x->engine, &x->report.n);
		x->report.read_error = x->error;
		x->report.rules = (unsigned)rs.nr;
		x->report.rule_errors = rs.errors;
		x->report.seconds = (double)(now_ms() - t0) / 1000;
		n++;
	}
	if (n) {
		if (output && !(out = fopen(output, "w"))) {
			error("cannot write '%s': %s", output, strerror(errno));
			status = 3;
			goto out;
		}
		if (write_reports(out, fmt, a, (size_t)n, output != NULL) || fflush(out)) {
			error("cannot write the report: %s", strerror(errno));
			status = 3;
		}
		if (output && fclose(out))
			status = 3;
	}
	if (fail_on >= 0 && !status) {
		int k;
		size_t j;

		for (k = 0; k < n; k++)
			for (j = 0; j < a[k].report.n; j++)
				if ((int)a[k].report.f[j].rule->severity >= fail_on)
					status = 1;
	}
	if (unreadable)
		status = 3;
out:
	for (i = 0; i < n; i++) {
		engine_free(a[i].engine);
		bundle_info_release(&a[i].bi);
		free(a[i].error);
	}
	free(a);
	ruleset_release(&rs);
	catalog_release(&cat);
	buf_release(&err);
	return status;
}
