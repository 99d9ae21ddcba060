/*
 * cmd_collect.c: "casefile collect", the command a customer runs.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "casefile.h"
#include "catalog.h"
#include "collect.h"
#include "commands.h"

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

static const char usage[] =
	"usage: casefile collect [options]\n"
	"\n"
	"Collect logs, configuration and system state of this host into one\n"
	"bundle (.tar.gz) with a manifest; secrets are redacted.\n"
	"\n"
	"  --ticket ID          support ticket, part of the bundle name\n"
	"  --problem TEXT       what you see going wrong, in your own words\n"
	"  -o, --output DIR     where to write the bundle (default /var/tmp)\n"
	"  --only SRC,...       collect only these sources\n"
	"  --skip SRC,...       do not collect these sources\n"
	"  --since DATE         leave out rotated logs older than DATE\n"
	"                       (2026-11-20, '2026-11-20 03:00', 3d, 12h)\n"
	"  --max-size SIZE      cap on the uncompressed bundle (default 256M)\n"
	"  --no-redact          keep secrets (do not use for bundles you send)\n"
	"  --rules DIR          add or override sources from DIR/sources.yaml\n"
	"  --list               print what would be collected and exit\n"
	"  -q, --quiet          print only the bundle path\n"
	"  -h, --help           this help\n"
	"  --version            print the version\n";

enum {
	OPT_TICKET = 256, OPT_PROBLEM, OPT_ONLY, OPT_SKIP, OPT_SINCE, OPT_NO_REDACT,
	OPT_LIST, OPT_VERSION, OPT_MAX_SIZE, OPT_RULES,
};

static const struct option long_opts[] = {
	{ "ticket", required_argument, NULL, OPT_TICKET },
	{ "problem", required_argument, NULL, OPT_PROBLEM },
	{ "output", required_argument, NULL, 'o' },
	{ "only", required_argument, NULL, OPT_ONLY },
	{ "skip", required_argument, NULL, OPT_SKIP },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "max-size", required_argument, NULL, OPT_MAX_SIZE },
	{ "no-redact", no_argument, NULL, OPT_NO_REDACT },
	{ "rules", required_argument, NULL, OPT_RULES },
	{ "list", no_argument, NULL, OPT_LIST },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

static int check_names(const struct catalog *c, char **names, const char *opt)
{
	size_t i;
	int r = 0;

	for (i = 0; names && names[i]; i++)
		if (!catalog_find(c, names[i]))
			r = error("%s: no source named '%s' (see 'casefile collect --list')",
				  opt, names[i]);
	return r;
}

/* argv words may hold tabs and newlines (dpkg-query -f): show them escaped */
static void print_word(const char *w)
{
	for (; *w; w++) {
		if (*w == '\n')
			fputs("\\n", stdout);
		else if (*w == '\t')
			fputs("\\t", stdout);
		else
			putchar(*w);
	}
}

static void list_sources(const struct catalog *c, const struct collect_opts *o)
{
	size_t i, j;

	for (i = 0; i < c->nr; i++) {
		const struct source *s = &c->items[i];

		if (!collect_selected(o, s->name))
			continue;
		printf("%-22s ", s->name);
		if (s->files) {
			for (j = 0; s->files[j]; j++)
				printf("%s%s%s", j ? " " : "", s->files[j], s->rotated ? "*" : "");
		} else if (s->shell) {
			printf("sh -c '%.60s%s'", s->shell, strlen(s->shell) > 60 ? "..." : "");
		} else {
			for (j = 0; s->argv[j]; j++) {
				printf("%s", j ? " " : "");
				print_word(s->argv[j]);
			}
			printf("  (timeout %ds)", s->timeout);
		}
		printf("\n");
	}
}

static void summary(const struct collect_result *r)
{
	const struct collect_counts *n = &r->counts;
	char raw[16], gz[16];
	size_t i;

	fmt_size(raw, sizeof(raw), r->raw_bytes);
	fmt_size(gz, sizeof(gz), r->compressed_bytes);
	printf("bundle:     %s\n", r->bundle_path);
	printf("sha256:     %s\n", r->sha256);
	printf("size:       %s compressed, %s collected, in %.1fs%s\n", gz, raw,
	       (double)r->duration_ms / 1000, r->complete ? "" : " (INCOMPLETE: interrupted)");
	printf("items:      %u ok, %u absent, %u denied, %u timed out, %u failed, "
	       "%u errors, %u skipped\n", n->ok, n->absent, n->denied, n->timeout,
	       n->failed, n->error, n->skipped);
	printf("truncated:  %u items kept their end within the size caps\n", n->truncated);
	printf("redacted:   %lu secrets\n", n->redactions);
	for (i = 0; r->problems && r->problems[i] && i < 12; i++)
		printf("  ! %s\n", r->problems[i]);
	if (r->problems && strv_len(r->problems) > 12)
		printf("  ! ... %zu more in casefile/collect.log\n", strv_len(r->problems) - 12);
}

int cmd_collect(int argc, char **argv)
{
	struct collect_opts o;
	struct collect_result res;
	struct catalog cat = { 0 };
	struct buf err = BUF_INIT(0);
	struct sigaction sa;
	const char *rules_dir = NULL;
	int list = 0, c, r, status = 0;

	memset(&o, 0, sizeof(o));
	o.redact = 1;
	o.outdir = COLLECT_DEFAULT_DIR;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:qh", long_opts, NULL)) != -1) {
		switch (c) {
		case OPT_TICKET: o.ticket = optarg; break;
		case OPT_PROBLEM: o.problem = optarg; break;
		case 'o': o.outdir = optarg; break;
		case OPT_ONLY: strv_free(o.only); o.only = strv_split(optarg, ','); break;
		case OPT_SKIP: strv_free(o.skip); o.skip = strv_split(optarg, ','); break;
		case OPT_SINCE:
			if (parse_since(optarg, time(NULL), &o.since)) {
				error("--since: cannot read '%s' as a date (try 2026-11-20, "
				      "'2026-11-20 03:00' or 3d)", optarg);
				status = 2;
				goto out;
			}
			break;
		case OPT_MAX_SIZE: {
			int64_t v = parse_size(optarg);

			if (v <= 0) {
				error("--max-size: '%s' is not a size like 64M or 1G", optarg);
				status = 2;
				goto out;
			}
			o.bundle_cap = (uint64_t)v;
			break;
		}
		case OPT_NO_REDACT: o.redact = 0; break;
		case OPT_RULES: rules_dir = optarg; break;
		case OPT_LIST: list = 1; break;
		case 'q': o.quiet = 1; break;
		case 'h': fputs(usage, stdout); goto out;
		case OPT_VERSION: printf("casefile %s\n", CASEFILE_VERSION); goto out;
		default: fputs(usage, stderr); status = 2; goto out;
		}
	}
	if (optind < argc) {
		error("unexpected argument '%s'", argv[optind]);
		fputs(usage, stderr);
		status = 2;
		goto out;
	}
	if (catalog_load_default(&cat, &err) ||
	    (rules_dir && catalog_load_dir(&cat, rules_dir, &err))) {
		fputs(err.data, stderr);
		status = 2;
		goto out;
	}
	if (check_names(&cat, o.only, "--only") || check_names(&cat, o.skip, "--skip")) {
		status = 2;
		goto out;
	}
	if (list) {
		list_sources(&cat, &o);
		goto out;
	}
	if (access(o.outdir, W_OK)) {
		error("cannot write to '%s': %s", o.outdir, strerror(errno));
		status = 3;
		goto out;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	o.stop = &stop_signal;
	o.progress = isatty(2);

	r = collect_run(&cat, &o, &res);
	if (r) {
		status = 1;
	} else if (o.quiet) {
		printf("%s\n", res.bundle_path);
	} else {
		summary(&res);
	}
	if (!r && !res.complete)
		status = 128 + (int)stop_signal;
	collect_result_release(&res);
out:
	strv_free(o.only);
	strv_free(o.skip);
	catalog_release(&cat);
	buf_release(&err);
	return status;
}
