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
#include "remote.h"

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
	"  --upload URL         upload the bundle: sftp://[USER@]HOST[:PORT]/DIR\n"
	"  -q, --quiet          print only the bundle path\n"
	"  -h, --help           this help\n"
	"  --version            print the version\n"
	"\n"
	"Remote collection over SSH (nothing is installed on the hosts):\n"
	"  --host [USER@]HOST[:PORT]  a host to collect (repeatable)\n"
	"  --hosts-file FILE    one host per line (# comments)\n"
	"  -j N                 hosts at once (default 4)\n"
	"  -i KEYFILE           private key (its passphrase is asked for, or taken\n"
	"                       from CASEFILE_SSH_PASSPHRASE)\n"
	"  --ask-password       ask for a password (or set CASEFILE_SSH_PASSWORD)\n"
	"  --sudo               collect as root through sudo -n\n"
	"  --known-hosts FILE   default ~/.ssh/known_hosts\n"
	"  --accept-new-host-keys  record keys of hosts not yet known\n"
	"  --connect-timeout T  default 10s\n"
	"  --host-timeout T     one host's whole collection, default 10m\n";

enum {
	OPT_TICKET = 256, OPT_PROBLEM, OPT_ONLY, OPT_SKIP, OPT_SINCE, OPT_NO_REDACT,
	OPT_LIST, OPT_VERSION, OPT_MAX_SIZE, OPT_RULES, OPT_HOST, OPT_HOSTS_FILE, OPT_SUDO,
	OPT_KNOWN_HOSTS, OPT_ACCEPT_NEW, OPT_CONNECT_TIMEOUT, OPT_HOST_TIMEOUT, OPT_UPLOAD,
	OPT_ASK_PASSWORD,
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
	{ "host", required_argument, NULL, OPT_HOST },
	{ "hosts-file", required_argument, NULL, OPT_HOSTS_FILE },
	{ "identity", required_argument, NULL, 'i' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "sudo", no_argument, NULL, OPT_SUDO },
	{ "known-hosts", required_argument, NULL, OPT_KNOWN_HOSTS },
	{ "accept-new-host-keys", no_argument, NULL, OPT_ACCEPT_NEW },
	{ "connect-timeout", required_argument, NULL, OPT_CONNECT_TIMEOUT },
	{ "host-timeout", required_argument, NULL, OPT_HOST_TIMEOUT },
	{ "upload", required_argument, NULL, OPT_UPLOAD },
	{ "ask-password", no_argument, NULL, OPT_ASK_PASSWORD },
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

static int read_hosts_file(const char *path, char ***hosts, size_t *n)
{
	struct buf data = BUF_INIT(1024 * 1024);
	char *line, *save = NULL;

	if (buf_read_file(&data, path)) {
		error("--hosts-file: cannot read '%s': %s", path, strerror(errno));
		buf_release(&data);
		return -1;
	}
	for (line = strtok_r(data.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *e;

		line += strspn(line, " \t");
		e = line + strcspn(line, " \t#\r");
		*e = '\0';
		if (!*line)
			continue;
		*hosts = xrealloc(*hosts, (*n + 2) * sizeof(**hosts));
		(*hosts)[(*n)++] = xstrdup(line);
		(*hosts)[*n] = NULL;
	}
	buf_release(&data);
	return 0;
}

int cmd_collect(int argc, char **argv)
{
	struct collect_opts o;
	struct collect_result res;
	struct catalog cat = { 0 };
	struct buf err = BUF_INIT(0);
	struct sigaction sa;
	struct remote_opts ro;
	const char *rules_dir = NULL;
	char **hosts = NULL, *password = NULL, *passphrase = NULL;
	size_t nhosts = 0;
	int list = 0, c, r, status = 0, ask_password = 0;

	memset(&o, 0, sizeof(o));
	memset(&ro, 0, sizeof(ro));
	o.redact = 1;
	o.outdir = COLLECT_DEFAULT_DIR;
	ro.jobs = 4;
	ro.ssh.connect_timeout_ms = 10000;
	ro.host_timeout_ms = 600000;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:qhi:j:", long_opts, NULL)) != -1) {
		switch (c) {
		case OPT_HOST:
			hosts = xrealloc(hosts, (nhosts + 2) * sizeof(*hosts));
			hosts[nhosts++] = xstrdup(optarg);
			hosts[nhosts] = NULL;
			break;
		case OPT_HOSTS_FILE:
			if (read_hosts_file(optarg, &hosts, &nhosts)) {
				status = 2;
				goto out;
			}
			break;
		case 'i': ro.ssh.identity = optarg; break;
		case 'j':
			ro.jobs = atoi(optarg);
			if (ro.jobs < 1 || ro.jobs > 256) {
				error("-j: '%s' is not a number of hosts from 1 to 256", optarg);
				status = 2;
				goto out;
			}
			break;
		case OPT_SUDO: ro.sudo = 1; break;
		case OPT_KNOWN_HOSTS: ro.ssh.known_hosts = optarg; break;
		case OPT_ACCEPT_NEW: ro.ssh.accept_new = 1; break;
		case OPT_CONNECT_TIMEOUT:
		case OPT_HOST_TIMEOUT: {
			int64_t v = parse_duration(optarg);

			if (v <= 0) {
				error("%s: '%s' is not a duration like 10s or 5m", argv[optind - 1],
				      optarg);
				status = 2;
				goto out;
			}
			if (c == OPT_CONNECT_TIMEOUT)
				ro.ssh.connect_timeout_ms = v * 1000;
			else
				ro.host_timeout_ms = v * 1000;
			break;
		}
		case OPT_UPLOAD: ro.upload = optarg; break;
		case OPT_ASK_PASSWORD: ask_password = 1; break;
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

	if (ro.upload) {
		struct ssh_target t;
		char *dir = NULL;

		r = upload_parse_url(ro.upload, &t, &dir, &err);
		ssh_target_release(&t);
		free(dir);
		if (r) {
			fputs(err.data, stderr);
			status = 2;
			goto out;
		}
	}
	if (ssh_secrets(&ro.ssh, ask_password, &password, &passphrase)) {
		status = 2;
		goto out;
	}
	if (nhosts) {
		signal(SIGPIPE, SIG_IGN);
		o.progress = isatty(2);
		status = remote_collect(&cat, &o, &ro, hosts, nhosts) ? 1 : 0;
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
	if (!r && res.complete && ro.upload && upload_bundle(res.bundle_path, ro.upload, &ro.ssh))
		status = 1;
	collect_result_release(&res);
out:
	strv_free(hosts);
	secret_free(password);
	secret_free(passphrase);
	strv_free(o.only);
	strv_free(o.skip);
	catalog_release(&cat);
	buf_release(&err);
	return status;
}
