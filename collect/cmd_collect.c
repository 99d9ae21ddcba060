/*
 * cmd_collect.c: "casefile collect", the command a customer runs.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "casefile.h"
#include "catalog.h"
#include "collect.h"
#include "commands.h"
#include "options.h"
#include "remote.h"
#include "secrets.h"
#include "text.h"
#include "upload.h"

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

struct collect_args {
	struct collect_opts o;
	struct remote_opts ro;
	const char *rules_dir;
	char **hosts;
	int64_t max_size, connect_timeout, host_timeout;
	int list, no_redact, ask_password, version, batch;
};

static int since_cb(const char *arg, void *value)
{
	if (!parse_since(arg, time(NULL), value))
		return 0;
	return error("--since: cannot read '%s' as a date (try 2026-11-20, "
		     "'2026-11-20 03:00' or 3d)", arg);
}

/* --since for casefile on a host: the time it means here, not words it would read again */
static void since_fmt(const void *value, struct buf *out)
{
	int64_t t = *(const int64_t *)value;
	char ts[32];

	if (t)
		buf_addstr(out, fmt_utc(ts, sizeof(ts), t));
}

static int hosts_file_cb(const char *path, void *value)
{
	struct buf data = BUF_INIT(1024 * 1024);
	char *line, *save = NULL;

	if (buf_read_file(&data, path)) {
		int e = errno;

		buf_release(&data);
		return error("--hosts-file: cannot read '%s': %s", path,
			     e ? strerror(e) : "larger than 1M");
	}
	for (line = strtok_r(data.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *e;

		line += strspn(line, " \t");
		e = line + strcspn(line, " \t#\r");
		*e = '\0';
		if (*line)
			strv_push(value, xstrdup(line));
	}
	buf_release(&data);
	return 0;
}

static struct collect_args args;

/*
 * Each option says where it goes when casefile runs on the hosts
 * (inplace.h): HOST, the host's casefile gets it too (cmd_collect_host_args);
 * HERE, it is this machine's alone, another option's alias, or set for
 * each host by inplace.c.
 */
#define HOST OPT_F_HOST
#define HERE OPT_F_HERE

static const struct option_def collect_options[] = {
	OPT_STRING_F(HOST, 0, "ticket", &args.o.ticket, "ID",
		     "support ticket, part of the bundle name"),
	OPT_STRING_F(HERE, 0, "case-id", &args.o.ticket, "ID",
		     "the same as --ticket (sos report's name)"),
	OPT_STRING_F(HOST, 0, "label", &args.o.label, "LABEL", "a word added to the bundle name"),
	OPT_STRING_F(HERE, 0, "target", &args.o.target, "NAME",
		     "what this host is called where the\n"
		     "collection was asked for (an inventory name): kept\n"
		     "in the manifest, and in the bundle name when it is\n"
		     "not the host's own name"),
	OPT_STRING_F(HOST, 0, "problem", &args.o.problem, "TEXT",
		     "what you see going wrong, in your own words"),
	OPT_STRING_F(HERE, 'o', "output", &args.o.outdir, "DIR",
		     "where to write the bundle (default /var/tmp)"),
	OPT_STRING_F(HERE, 0, "tmp-dir", &args.o.outdir, "DIR",
		     "the same as --output (sos report's name)"),
	OPT_BOOL_F(HERE, 0, "batch", &args.batch,
		   "accepted for sos report's users: collect never asks"),
	OPT_LIST_F(HOST, 0, "only", &args.o.only, "SRC,...", "collect only these sources"),
	OPT_LIST_F(HOST, 0, "skip", &args.o.skip, "SRC,...", "do not collect these sources"),
	OPT_CALLBACK_F(HOST, 0, "since", &args.o.since, "DATE",
		       "leave out rotated logs older than DATE\n"
		       "(2026-11-20, '2026-11-20 03:00', 3d, 12h)", since_cb, since_fmt),
	OPT_SIZE_F(HOST, 0, "max-size", &args.max_size, "SIZE",
		   "cap on the uncompressed bundle (default 256M)"),
	OPT_BOOL_F(HOST, 0, "no-redact", &args.no_redact,
		   "keep secrets (do not use for bundles you send)"),
	OPT_BOOL_F(HERE, 0, "obfuscate", &args.o.obfuscate,
		   "host and domain names, IP and MAC addresses,\n"
		   "user names and serials as tokens (like sos clean)"),
	OPT_STRING_F(HERE, 0, "map", &args.o.map, "FILE",
		     "with --obfuscate: the map to reuse and update\n"
		     "(default: beside the bundle, NAME.map.json)"),
	OPT_STRING_F(HERE, 0, "rules", &args.rules_dir, "DIR",
		     "add or override sources from DIR/sources.yaml,\n"
		     "redaction patterns from DIR/redact.yaml"),
	OPT_BOOL_F(HERE, 0, "list", &args.list, "print what would be collected and exit"),
	OPT_STRING_F(HERE, 0, "upload", &args.ro.upload, "URL",
		     "upload the bundle: sftp://[USER@]HOST[:PORT]/DIR"),
	OPT_BOOL_F(HERE, 'q', "quiet", &args.o.quiet, "print only the bundle path"),
	OPT_BOOL_F(HERE, 0, "version", &args.version, "print the version"),
	OPT_GROUP("Remote collection over SSH (casefile runs from a private temporary copy\n"
		  "on each host, removed when it ends; nothing is installed):"),
	OPT_APPEND_F(HERE, 0, "host", &args.hosts, "[USER@]HOST[:PORT]",
		     "a host to collect (repeatable); a Host of\n"
		     "~/.ssh/config too, read by ssh -G"),
	OPT_CALLBACK_F(HERE, 0, "hosts-file", &args.hosts, "FILE",
		       "one host per line (# comments)", hosts_file_cb, NULL),
	OPT_INT_F(HERE, 'j', "jobs", &args.ro.jobs, "N", "hosts at once (default 4)", 1, 256),
	OPT_STRING_F(HERE, 'i', "identity", &args.ro.ssh.identity, "KEYFILE",
		     "private key (its passphrase is asked for, or taken\n"
		     "from CASEFILE_SSH_PASSPHRASE)"),
	OPT_BOOL_F(HERE, 0, "ask-password", &args.ask_password,
		   "ask for a password (or set CASEFILE_SSH_PASSWORD)"),
	OPT_BOOL_F(HERE, 0, "sudo", &args.ro.sudo, "collect as root through sudo -n"),
	OPT_STRING_F(HERE, 0, "known-hosts", &args.ro.ssh.known_hosts, "FILE",
		     "default ~/.ssh/known_hosts"),
	OPT_BOOL_F(HERE, 0, "accept-new-host-keys", &args.ro.ssh.accept_new,
		   "record keys of hosts not yet known"),
	OPT_STRING_F(HERE, 'F', "ssh-config", &args.ro.ssh.config, "FILE",
		     "OpenSSH configuration (ssh -F), default ~/.ssh/config"),
	OPT_BOOL_F(HERE, 0, "no-ssh-config", &args.ro.ssh.no_config,
		   "use [USER@]HOST[:PORT] as given, not through ssh -G"),
	OPT_DURATION_F(HERE, 0, "connect-timeout", &args.connect_timeout, "T",
		       "default ConnectTimeout, else 10s"),
	OPT_DURATION_F(HERE, 0, "host-timeout", &args.host_timeout, "T",
		       "one host's whole collection, default 10m"),
	OPT_BOOL_F(HERE, 0, "no-push", &args.ro.no_push,
		   "run each source over SSH from here, do not\n"
		   "run casefile on the hosts (slower)"),
	/* for casefile elsewhere, collecting this host: set for each host (inplace.c) */
	OPT_STRING_F(HERE, 0, "inplace", &args.o.inplace, "HOST", NULL),
	OPT_STRING_F(HERE, 0, "collected-by", &args.o.collected_by, "USER", NULL),
	OPT_STRING_F(HERE, 0, "bundle-name", &args.o.bundle_name, "NAME", NULL),
	OPT_DURATION_F(HERE, 0, "stop-after", &args.o.stop_after_s, "T", NULL),
	OPT_STRING_F(HERE, 0, "address", &args.o.address, "ADDR:PORT", NULL),
	OPT_STRING_F(HERE, 0, "proxy", &args.o.proxy, "HOW", NULL),
	OPT_END_OF_TABLE
};

static const struct options collect_spec = {
	"usage: casefile collect [options]",
	"Collect logs, configuration and system state of this host into one\n"
	"bundle (.tar.gz) with a manifest; secrets are redacted.",
	collect_options,
	NULL,
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
		for (j = 0; s->requires && s->requires[j]; j++)
			printf("%s%s", j ? ", " : "  [requires ", s->requires[j]);
		printf("%s\n", s->requires ? "]" : "");
	}
}

/* What the customer does next: check the bundle, send it, collect what was denied. */
static void next_steps(const struct collect_result *r)
{
	const char *base = strrchr(r->bundle_path, '/') ? strrchr(r->bundle_path, '/') + 1 :
			   r->bundle_path;
	size_t i;

	printf("\nnext steps:\n");
	printf("  check it:  (cd %.*s && sha256sum -c %s.sha256)\n",
	       (int)(base - r->bundle_path > 1 ? base - r->bundle_path - 1 : 1),
	       base > r->bundle_path ? r->bundle_path : ".", base);
	if (r->complete)
		printf("  send it:   casefile upload %s sftp://USER@HOST/DIR\n"
		       "             (the drop your support contact names), or attach it to the "
		       "ticket\n", r->bundle_path);
	else
		printf("  run it again: the collection was interrupted, so this bundle lacks what\n"
		       "             was not collected yet; send it as it is only if a whole one\n"
		       "             cannot be made\n");
	if (r->denied) {
		struct buf advice = BUF_INIT(0), who = BUF_INIT(0);

		buf_addf(&who, "uid %d", (int)geteuid());
		collect_denied_advice(&advice, strv_len(r->denied), who.data, "sudo");
		printf("  as root:   %s:\n             ", advice.data);
		for (i = 0; r->denied[i] && i < 8; i++)
			printf("%s%s", i ? ", " : "", r->denied[i]);
		printf("%s\n", strv_len(r->denied) > 8 ? ", ..." : "");
		buf_release(&advice);
		buf_release(&who);
	}
	if (r->counts.status[ITEM_ABSENT])
		printf("  absent:    %u item%s not on this host (not installed, or no such file):\n"
		       "             casefile/collect.log in the bundle lists them\n",
		       r->counts.status[ITEM_ABSENT], r->counts.status[ITEM_ABSENT] == 1 ? " is" :
		       "s are");
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
	if (r->map_path)
		printf("obfuscated: host names, addresses, MACs, users and serials are tokens;\n"
		       "            the map is %s (mode 0600): keep it, do not send it\n",
		       r->map_path);
	printf("size:       %s compressed, %s collected, in %.1fs%s\n", gz, raw,
	       (double)r->duration_ms / 1000, r->complete ? "" : " (INCOMPLETE: interrupted)");
	printf("items:      %u ok, %u absent, %u not applicable, %u denied, %u refused, "
	       "%u timed out, %u failed, %u errors, %u skipped\n", n->status[ITEM_OK],
	       n->status[ITEM_ABSENT], n->status[ITEM_NOT_APPLICABLE], n->status[ITEM_DENIED],
	       n->status[ITEM_REFUSED], n->status[ITEM_TIMEOUT], n->status[ITEM_FAILED],
	       n->status[ITEM_ERROR] + n->status[ITEM_INTERRUPTED], n->status[ITEM_SKIPPED]);
	printf("truncated:  %u items kept their end within the size caps\n", n->truncated);
	printf("redacted:   %lu secrets\n", n->redactions);
	for (i = 0; r->problems && r->problems[i] && i < 12; i++) {
		fputs("  ! ", stdout);
		text_term_fputs(stdout, r->problems[i]);
		fputc('\n', stdout);
	}
	if (r->problems && strv_len(r->problems) > 12)
		printf("  ! ... %zu more in casefile/collect.log\n", strv_len(r->problems) - 12);
	next_steps(r);
}

/* -q prints only the path: what the summary warns about still goes to stderr. */
static void quiet_warnings(const struct collect_result *r)
{
	size_t gaps = r->problems ? strv_len(r->problems) : 0;
	size_t denied = r->denied ? strv_len(r->denied) : 0;

	if (!r->complete)
		warning("the collection was interrupted: %s lacks what was not collected yet; "
			"run it again", r->bundle_path);
	if (gaps)
		warning("%zu item%s failed, denied or timed out: casefile/collect.log in the "
			"bundle says why", gaps, gaps == 1 ? "" : "s");
	if (denied) {
		struct buf advice = BUF_INIT(0), who = BUF_INIT(0);

		buf_addf(&who, "uid %d", (int)geteuid());
		collect_denied_advice(&advice, denied, who.data, "sudo");
		warning("%s", advice.data);
		buf_release(&advice);
		buf_release(&who);
	}
}

/* --inplace: "P DONE/TOTAL SOURCE" lines for the collector that started us */
static void inplace_progress(void *ctx, const char *source, size_t done, size_t total)
{
	(void)ctx;
	fprintf(stderr, INPLACE_PROGRESS "%zu/%zu %s\n", done + 1, total, source);
}

/* This host, with signals that close a valid, incomplete bundle. */
static int collect_here(const struct catalog *cat, struct collect_args *a)
{
	struct collect_result res;
	struct sigaction sa;
	int r, status = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (spawn_subreaper())
		warning("cannot become a subreaper: a command that leaves its process group "
			"may outlive its item");
	a->o.stop = &stop_signal;
	a->o.progress = isatty(2);
	if (a->o.inplace) {
		/* standard output is the bundle; the progress goes to stderr */
		sigaction(SIGALRM, &sa, NULL);
		if (a->o.stop_after_s > 0)
			alarm((unsigned)a->o.stop_after_s);
		a->o.progress = 0;
		a->o.quiet = 1;
		a->o.on_source = inplace_progress;
	}
	r = collect_run(cat, &a->o, &res);
	if (r)
		status = CF_EXIT_FAILED;
	else if (a->o.quiet && !a->o.inplace) {	/* in place, stdout was the bundle */
		printf("%s\n", res.bundle_path);
		fflush(stdout);
		quiet_warnings(&res);
	} else if (!a->o.quiet)
		summary(&res);
	if (!r && !res.complete)
		status = CF_EXIT_SIGNAL + (int)stop_signal;
	if (!r && res.complete && a->ro.upload &&
	    upload_bundle(res.bundle_path, a->ro.upload, &a->ro.ssh))
		status = CF_EXIT_FAILED;
	collect_result_release(&res);
	return status;
}

/* Options that do not go together, said before anything is asked or read. */
static int bad_combination(const struct collect_args *a)
{
	if (a->hosts && a->o.target)
		return error("--target names this host; over SSH each host's target is its --host");
	if (a->o.map && !a->o.obfuscate)
		return error("--map goes with --obfuscate");
	if (a->o.map && a->hosts && strv_len(a->hosts) > 1 && a->ro.jobs > 1)
		return error("--map with several hosts at once would number their tokens twice: "
			     "add -j 1");
	return 0;
}

static void defaults(struct collect_args *a)
{
	memset(a, 0, sizeof(*a));
	a->o.outdir = COLLECT_DEFAULT_DIR;
	a->ro.jobs = 4;
	a->host_timeout = 600;
}

char **cmd_collect_host_args(int argc, char **argv)
{
	struct collect_args *a = &args;
	char **words = NULL;
	int next;

	defaults(a);
	if (options_parse(&collect_spec, argc, argv, &next) ||
	    options_argv(collect_options, OPT_F_HOST, &words)) {
		strv_free(words);
		words = NULL;
	}
	strv_free(a->hosts);
	strv_free(a->o.only);
	strv_free(a->o.skip);
	memset(a, 0, sizeof(*a));
	return words;
}

int cmd_collect(int argc, char **argv)
{
	struct collect_args *a = &args;
	struct catalog cat = { 0 };
	struct buf err = BUF_INIT(0);
	char *password = NULL, *passphrase = NULL;
	int next, status = 0;

	defaults(a);
	status = options_parse(&collect_spec, argc, argv, &next);
	if (status) {
		status = status == OPTIONS_HELP ? CF_EXIT_OK : CF_EXIT_USAGE;
		goto out;
	}
	if (a->version) {
		printf("casefile %s\n", CASEFILE_VERSION);
		goto out;
	}
	if (next < argc) {
		error("unexpected argument '%s'", argv[next]);
		status = CF_EXIT_USAGE;
		goto out;
	}
	if (bad_combination(a)) {
		status = CF_EXIT_USAGE;
		goto out;
	}
	cf_set_quiet(a->o.quiet);
	a->o.redact = !a->no_redact;
	a->o.rules_dir = a->rules_dir;
	a->o.bundle_cap = (uint64_t)a->max_size;
	a->ro.ssh.connect_timeout_ms = a->connect_timeout * 1000;
	a->ro.host_timeout_ms = a->host_timeout * 1000;
	if (catalog_load_default(&cat, &err) ||
	    (a->rules_dir && catalog_load_dir(&cat, a->rules_dir, &err))) {
		fputs(err.data, stderr);
		status = CF_EXIT_USAGE;
		goto out;
	}
	if (check_names(&cat, a->o.only, "--only") || check_names(&cat, a->o.skip, "--skip") ||
	    (a->ro.upload && upload_check_url(a->ro.upload, "--upload: "))) {
		status = CF_EXIT_USAGE;
		goto out;
	}
	if (a->list) {
		list_sources(&cat, &a->o);
		goto out;
	}
	if (!a->o.inplace && access(a->o.outdir, W_OK)) {
		error("cannot write to '%s': %s", a->o.outdir, strerror(errno));
		status = CF_EXIT_INPUT;
		goto out;
	}
	if (ssh_secrets(&a->ro.ssh, a->ask_password, &password, &passphrase)) {
		status = CF_EXIT_USAGE;
		goto out;
	}
	if ((a->hosts || a->ro.upload) && !a->ro.ssh.no_config && !ssh_have_openssh())
		warning("ssh(1) is not installed: OpenSSH's configuration (~/.ssh/config, "
			"/etc/ssh/ssh_config) is not read; hosts are used as [USER@]HOST[:PORT]");
	if (a->hosts && options_argv(collect_options, OPT_F_HOST, &a->ro.host_args)) {
		status = CF_EXIT_USAGE;
		goto out;
	}
	if (a->hosts) {
		signal(SIGPIPE, SIG_IGN);
		a->o.progress = isatty(2);
		status = remote_collect(&cat, &a->o, &a->ro, a->hosts, strv_len(a->hosts)) ?
			CF_EXIT_FAILED : CF_EXIT_OK;
	} else {
		status = collect_here(&cat, a);
	}
out:
	strv_free(a->ro.host_args);
	strv_free(a->hosts);
	secret_free(password);
	secret_free(passphrase);
	strv_free(a->o.only);
	strv_free(a->o.skip);
	catalog_release(&cat);
	buf_release(&err);
	return status;
}
