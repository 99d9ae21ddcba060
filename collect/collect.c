/*
 * collect.c: one collection of a host into one bundle (see collect.h): the
 * run loop, command sources, and the manifest.
 */
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "buf.h"
#include "casefile.h"
#include "collector.h"

#define LOG_CAP (1024 * 1024)

int collect_selected(const struct collect_opts *o, const char *name)
{
	size_t i;

	if (o->only) {
		for (i = 0; o->only[i]; i++)
			if (!strcmp(o->only[i], name))
				break;
		if (!o->only[i])
			return 0;
	}
	for (i = 0; o->skip && o->skip[i]; i++)
		if (!strcmp(o->skip[i], name))
			return 0;
	return 1;
}

void collect_denied_advice(struct buf *b, size_t n, const char *who, const char *how)
{
	buf_addf(b, "%zu source%s denied to %s: run it again with %s to collect %s", n,
		 n == 1 ? " was" : "s were", who, how, n == 1 ? "it" : "them");
}

static void name_part(struct buf *b, const char *s)
{
	for (; *s; s++)
		buf_addch(b, isalnum((unsigned char)*s) || *s == '.' || *s == '-' ||
			  *s == '_' ? *s : '_');
}

char *collect_bundle_name(const char *host, const char *target, const char *ticket,
			  const char *label, int64_t t)
{
	struct buf b = BUF_INIT(0);
	char ts[32];
	struct tm tm;
	time_t tt = (time_t)t;

	gmtime_r(&tt, &tm);
	strftime(ts, sizeof(ts), "%Y%m%dT%H%M%SZ", &tm);
	buf_addstr(&b, "casefile-");
	name_part(&b, host && *host ? host : "localhost");
	if (target && *target && (!host || strcmp(target, host))) {
		buf_addch(&b, '-');
		name_part(&b, target);
	}
	if (ticket && *ticket) {
		buf_addch(&b, '-');
		name_part(&b, ticket);
	}
	if (label && *label) {
		buf_addch(&b, '-');
		name_part(&b, label);
	}
	buf_addf(&b, "-%s", ts);
	return buf_detach(&b, NULL);
}

/* ---- command sources ------------------------------------------------------- */

static size_t command_argv(const struct collector *c, const struct source *s,
			   const char *argv[64], struct buf *since)
{
	size_t n = 0, i;

	if (s->shell) {
		argv[n++] = "/bin/sh";
		argv[n++] = "-c";
		argv[n++] = s->shell;
	} else {
		for (i = 0; s->argv[i] && n < 62; i++)
			argv[n++] = s->argv[i];
		if (c->o->since && s->since_arg) {
			buf_addf(since, "%s@%lld", s->since_arg, (long long)c->o->since);
			argv[n++] = since->data;
		}
	}
	argv[n] = NULL;
	return n;
}

/* The item's status from how the command ended; err says why when not ok. */
/* The first line of s (at most 300 bytes) into dst. */
static void first_line(struct buf *dst, const char *s)
{
	size_t n;

	while (*s == '\n' || *s == ' ')
		s++;
	n = strcspn(s, "\n");
	if (n > 300)
		n = 300;
	buf_add(dst, s, n);
}

static enum item_status command_status(const struct source *s, const struct spawn_result *sr,
				       struct buf *err)
{
	if (sr->timed_out) {
		buf_addf(err, "killed after %ds timeout, kept %zu bytes of output",
			 s->timeout, sr->out.len);
		return ITEM_TIMEOUT;
	}
	if (sr->stopped) {
		buf_addstr(err, "stopped by a signal");
		return ITEM_INTERRUPTED;
	}
	if (sr->status != 0) {
		buf_addf(err, "exit status %d: ", sr->status);
		first_line(err, sr->err.len ? sr->err.data : "(no error output)");
		return spawn_denied(sr->err.data) ? ITEM_DENIED : ITEM_FAILED;
	}
	return ITEM_OK;
}

static void command_opts(const struct collector *c, const struct source *s, const char **argv,
			 struct spawn_opts *so)
{
	so->argv = argv;
	so->timeout_ms = (int64_t)s->timeout * 1000;
	so->cap = (size_t)s->cap;
	so->stop = c->o->stop;
}

/*
 * The next command after source i, handed to the transport ahead of time
 * (over SSH it runs on the host while source i is collected).
 */
static void prefetch_after(struct collector *c, size_t i)
{
	struct spawn_opts so = { 0 };
	struct buf since = BUF_INIT(0);
	const char *argv[64];
	size_t j;

	if (!c->t->ops->prefetch)
		return;
	for (j = i + 1; j < c->cat->nr; j++) {
		const struct source *s = &c->cat->items[j];

		if (s->files || !collect_selected(c->o, s->name) || require_unmet(c, s))
			continue;
		command_argv(c, s, argv, &since);
		command_opts(c, s, argv, &so);
		c->t->ops->prefetch(c->t, &so);
		break;
	}
	buf_release(&since);
}

static void collect_command(struct collector *c, const struct source *s)
{
	struct spawn_opts so = { 0 };
	struct spawn_result sr;
	struct item it = { 0 };
	struct buf path = BUF_INIT(0), err = BUF_INIT(0), since = BUF_INIT(0);
	const char *argv[64];
	char hex[SHA256_HEX_LEN + 1];
	size_t n = command_argv(c, s, argv, &since), i;
	int r;

	it.src = s;
	it.argv = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(it.argv, json_string(argv[i]));
	it.exit_status = -1;
	buf_addf(&path, COMMANDS_DIR "%s", s->name);
	collector_progress(c, s->name, argv[0]);

	command_opts(c, s, argv, &so);
	spawn_result_init(&sr);
	r = c->t->ops->run(c->t, &so, &sr);
	it.duration_ms = sr.duration_ms;
	if (r == CF_ERR_NOTFOUND) {
		it.status = ITEM_ABSENT;
		buf_addf(&err, "command not installed%s%s: %s", c->t->host ? " on " : "",
			 c->t->host ? c->t->host : "", argv[0]);
	} else if (r) {
		it.status = ITEM_ERROR;
		buf_addf(&err, "cannot run %s: %s", sr.path, r == CF_ERR_IO ? strerror(errno) :
			 sr.err.len ? sr.err.data : cf_strerror(r));
	} else {
		it.exit_status = sr.status;
		it.original_bytes = sr.out.len + sr.dropped;
		it.truncated = sr.dropped > 0;
		it.status = command_status(s, &sr, &err);
		if ((sr.out.len || it.status == ITEM_OK) &&
		    collector_write_memory(c, s, path.data, &sr.out, &it, hex)) {
			it.status = ITEM_ERROR;
			buf_reset(&err);
			buf_addf(&err, "cannot write to the bundle: %s", bwriter_error(&c->w));
		}
	}
	it.error = err.len ? err.data : NULL;
	collector_record(c, &it);
	spawn_result_release(&sr);
	buf_release(&path);
	buf_release(&err);
	buf_release(&since);
}

/* ---- the manifest and the run -------------------------------------------- */

static json_t *manifest(struct collector *c, int64_t started, int64_t finished,
			const char *host)
{
	json_t *m = json_object();
	const struct collect_opts *o = c->o;
	struct passwd *pw = getpwuid(geteuid());
	int remote = c->t->host != NULL, stop = collector_stopped(c);
	const char *sig = stop ? sigabbrev_np((int)*o->stop) : NULL;
	struct utsname u;
	char ts[32];

	json_object_set_new(m, MF_SCHEMA, json_string(MANIFEST_SCHEMA));
	json_object_set_new(m, MF_TOOL, json_string("casefile"));
	json_object_set_new(m, MF_VERSION, json_string(CASEFILE_VERSION));
	json_object_set_new(m, MF_HOST, json_string(host));
	if (o->target)
		json_object_set_new(m, MF_TARGET, json_string(o->target));
	if (o->address)
		json_object_set_new(m, MF_ADDRESS, json_string(o->address));
	if (o->proxy)
		json_object_set_new(m, MF_PROXY, json_string(o->proxy));
	json_object_set_new(m, MF_TICKET, o->ticket ? json_string(o->ticket) : json_null());
	json_object_set_new(m, MF_PROBLEM, o->problem ? json_string(o->problem) : json_null());
	json_object_set_new(m, MF_STARTED_AT, json_string(fmt_utc(ts, sizeof(ts), started)));
	json_object_set_new(m, MF_FINISHED_AT, json_string(fmt_utc(ts, sizeof(ts), finished)));
	json_object_set_new(m, MF_COMPLETE, json_boolean(!stop));
	json_object_set_new(m, MF_INTERRUPTED_BY, stop ? json_string(sig ? sig : "signal") :
			    json_null());
	json_object_set_new(m, MF_TRANSPORT, json_string(o->inplace ? "ssh" : c->t->ops->kind));
	if (remote) {
		json_object_set_new(m, MF_USER, json_string(c->t->user));
		json_object_set_new(m, MF_SUDO, json_boolean(c->t->sudo));
		json_object_set_new(m, MF_COLLECTED_BY, json_string(pw ? pw->pw_name : "?"));
	} else {
		/* in place, through sudo -n: the login user is sudo's caller */
		const char *su = o->inplace && !geteuid() ? getenv("SUDO_USER") : NULL;

		json_object_set_new(m, MF_USER, json_string(su ? su : pw ? pw->pw_name : "?"));
		if (o->inplace) {
			json_object_set_new(m, MF_SUDO, json_boolean(su != NULL));
			json_object_set_new(m, MF_COLLECTED_BY, json_string(o->collected_by ?
									    o->collected_by : "?"));
		}
		json_object_set_new(m, MF_UID, json_integer(geteuid()));
		if (!uname(&u)) {
			struct buf k = BUF_INIT(0);

			buf_addf(&k, "%s %s %s", u.sysname, u.release, u.machine);
			json_object_set_new(m, MF_KERNEL, json_string(k.data));
			buf_release(&k);
		}
	}
	json_object_set_new(m, MF_REDACTED, json_boolean(o->redact));
	if (o->obfuscate)
		json_object_set_new(m, MF_OBFUSCATED, json_true());
	json_object_set_new(m, MF_SINCE, o->since ?
			    json_string(fmt_utc(ts, sizeof(ts), o->since)) : json_null());
	json_object_set_new(m, MF_BUNDLE_CAP, json_integer((json_int_t)(o->bundle_cap ?
					o->bundle_cap : COLLECT_DEFAULT_CAP)));
	json_object_set(m, MF_ITEMS, c->items);
	return m;
}

static void local_hostname(char *out, size_t n)
{
	if (gethostname(out, n) || !*out)
		snprintf(out, n, "localhost");
	out[n - 1] = '\0';
}

/* --obfuscate: the obfuscator, and the host's name as its token from now on. */
static int obf_host(struct collector *c, char *host, size_t n)
{
	struct buf b = BUF_INIT(0);
	int r = collector_obf_start(c, host);

	if (!r && c->o->target) {
		/* the name it was reached by ([USER@]HOST[:PORT]); addresses are tokens anyway */
		const char *t = strrchr(c->o->target, '@') ? strrchr(c->o->target, '@') + 1 :
				c->o->target;
		size_t len = *t == '[' ? 0 : strcspn(t, ":");

		if (len && strspn(t, "0123456789.") < len)
			obf_learn_host(c->obf, t, len);
	}
	if (!r) {
		obf_chunk(c->obf, host, strlen(host), &b);
		snprintf(host, n, "%s", b.data);
	}
	buf_release(&b);
	return r;
}

/*
 * The bundle's name: the one the other end chose (--inplace), or made here;
 * the target beside the host's name only for a collection of this host
 * (over SSH the target is the engineer's word for the host: the manifest
 * has it), as a token when obfuscating.
 */
static char *bundle_name(struct collector *c, const char *host, int64_t started)
{
	const struct collect_opts *o = c->o;
	struct buf tgt = BUF_INIT(0);
	char *name;

	if (o->bundle_name)
		return xstrdup(o->bundle_name);
	if (o->target && !c->t->host && !o->inplace) {
		if (c->obf)
			obf_chunk(c->obf, o->target, strlen(o->target), &tgt);
		else
			buf_addstr(&tgt, o->target);
	}
	name = collect_bundle_name(host, tgt.len ? tgt.data : NULL, o->ticket, o->label, started);
	buf_release(&tgt);
	return name;
}

/* collect.log's first line: what, where, how it was reached, as whom. */
static void note_start(struct collector *c, const char *host)
{
	const struct collect_opts *o = c->o;
	struct buf how = BUF_INIT(0);

	if (o->target || o->address)
		buf_addf(&how, " (%s%s%s%s%s)", o->target ? o->target : "",
			 o->target && o->address ? ", " : "", o->address ? o->address : "",
			 o->proxy ? " through " : "", o->proxy ? o->proxy : "");
	if (c->t->host)
		collector_note(c, "casefile", "collect %s on %s%s over %s as %s%s, %zu sources, "
			       "redaction %s", CASEFILE_VERSION, host, how.data, c->t->ops->kind,
			       c->t->user, c->t->sudo ? " (sudo)" : "", c->total,
			       o->redact ? "on" : "off");
	else if (o->inplace)
		collector_note(c, "casefile", "collect %s on %s%s over ssh, run on the host as uid "
			       "%d, %zu sources, redaction %s", CASEFILE_VERSION, host, how.data,
			       (int)geteuid(), c->total, o->redact ? "on" : "off");
	else
		collector_note(c, "casefile", "collect %s on %s%s as uid %d, %zu sources, "
			       "redaction %s", CASEFILE_VERSION, host, how.data, (int)geteuid(),
			       c->total, o->redact ? "on" : "off");
	buf_release(&how);
}

/* DIR/NAME.tar.gz.part; two collections in one second get -2, -3, ... */
static int open_bundle(struct collector *c, const char *outdir, char **name)
{
	int r = bwriter_open_free(&c->w, outdir, name, 0);

	if (r == CF_ERR_EXISTS)
		r = error("cannot create a bundle in '%s': too many with the same name", outdir);
	return r;
}

/* --inplace: the header line, then the bundle, on standard output. */
static int open_stream(struct collector *c, const char *name)
{
	struct buf h = BUF_INIT(0);
	int r;

	buf_addf(&h, INPLACE_MAGIC " %s\n", name);
	r = bwriter_open_stream(&c->w, STDOUT_FILENO, h.data, name);
	buf_release(&h);
	return r;
}

/* collect.log and the manifest, then close and name the bundle. */
static int close_bundle(struct collector *c, int64_t started, const char *host,
			const char *outdir, const char *name)
{
	json_t *m = manifest(c, started, time(NULL), host);
	char *text = json_dumps(m, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	struct buf log = BUF_INIT(0), mf = BUF_INIT(0);
	int r;

	/* what the items' errors and notes say about the host goes too */
	if (c->obf) {
		obf_chunk(c->obf, c->log.data, c->log.len, &log);
		obf_chunk(c->obf, text, strlen(text), &mf);
	} else {
		buf_add(&log, c->log.data, c->log.len);
		buf_addstr(&mf, text);
	}
	r = bwriter_add(&c->w, COLLECT_LOG_PATH, log.data, log.len, time(NULL));
	if (!r)
		r = bwriter_add(&c->w, MANIFEST_PATH, mf.data, mf.len, time(NULL));
	buf_release(&log);
	buf_release(&mf);
	if (r) {
		error("cannot write the manifest: %s", bwriter_error(&c->w));
		bwriter_abort(&c->w);
	} else {
		struct buf p = BUF_INIT(0);

		if (c->o->inplace)
			buf_addstr(&p, "-");
		else
			buf_addf(&p, "%s/%s.tar.gz", outdir, name);
		r = bwriter_finish(&c->w, c->res->sha256);
		c->res->compressed_bytes = c->w.compressed;
		c->res->bundle_path = buf_detach(&p, NULL);
		if (!r && c->obf) {
			/* the map stays with the customer: beside the bundle, never in it */
			if (c->o->map)
				buf_addstr(&p, c->o->map);
			else
				buf_addf(&p, "%s/%s.map.json", outdir, name);
			c->res->map_path = buf_detach(&p, NULL);
			r = obf_map_save(c->obf, c->res->map_path);
		}
	}
	free(text);
	json_decref(m);
	return r;
}

/* The file sources to collect, handed to the transport to list at once. */
static void list_ahead(struct collector *c)
{
	const struct source **v;
	size_t i, n = 0;

	if (!c->t->ops->list_ahead)
		return;
	v = xcalloc(c->cat->nr + 1, sizeof(*v));
	for (i = 0; i < c->cat->nr; i++)
		if (c->cat->items[i].files && collect_selected(c->o, c->cat->items[i].name) &&
		    !require_unmet(c, &c->cat->items[i]))
			v[n++] = &c->cat->items[i];
	c->t->ops->list_ahead(c->t, v, n);
	free(v);
}

static void collect_sources(struct collector *c)
{
	size_t i;

	list_ahead(c);
	for (i = 0; i < c->cat->nr && !collector_stopped(c); i++) {
		const struct source *s = &c->cat->items[i];
		const char *why;

		if (!collect_selected(c->o, s->name))
			continue;
		if ((why = require_unmet(c, s))) {
			/* checked before anything starts: nothing to run, nothing failed */
			collector_record_status(c, s, NULL, ITEM_NOT_APPLICABLE, why);
			c->done++;
			continue;
		}
		prefetch_after(c, i);
		if (!collector_budget(c))
			collector_record_status(c, s, NULL, ITEM_SKIPPED, "bundle size cap reached");
		else if (s->files)
			files_collect(c, s);
		else
			collect_command(c, s);
		c->done++;
	}
	if (c->o->progress && !c->o->quiet)
		fprintf(stderr, "\r\033[K");
}

int collect_run(const struct catalog *cat, const struct collect_opts *o,
		struct collect_result *res)
{
	const char *outdir = o->outdir ? o->outdir : COLLECT_DEFAULT_DIR;
	struct collector c;
	struct transport local;
	char host[256], *name = NULL;
	int64_t started = time(NULL);
	size_t i;
	int r;

	memset(res, 0, sizeof(*res));
	memset(&c, 0, sizeof(c));
	c.cat = cat;
	c.o = o;
	c.res = res;
	c.start_ms = now_ms();
	if (!o->t)
		transport_local(&local);
	c.t = o->t ? o->t : &local;
	c.t->stop = o->stop;
	buf_init(&c.log, LOG_CAP);
	buf_init(&c.scratch, 4096);
	if (c.t->host || o->inplace)
		snprintf(host, sizeof(host), "%s", c.t->host ? c.t->host : o->inplace);
	else
		local_hostname(host, sizeof(host));
	if (o->obfuscate && (r = obf_host(&c, host, sizeof(host))))
		goto out;
	name = bundle_name(&c, host, started);
	c.red = redactor_new();
	if (!c.red || (o->rules_dir && redactor_add_dir(c.red, o->rules_dir))) {
		r = CF_ERR_PARSE;
		goto out;
	}
	if ((r = o->inplace ? open_stream(&c, name) : open_bundle(&c, outdir, &name)))
		goto out;
	c.items = json_array();
	for (i = 0; i < cat->nr; i++)
		c.total += collect_selected(o, cat->items[i].name);
	note_start(&c, host);
	collect_sources(&c);
	if (c.t->note[0])
		collector_note(&c, "casefile", "%s", c.t->note);
	if (collector_stopped(&c) && o->inplace && *o->stop == SIGALRM)
		collector_note(&c, "casefile", "stopped before the host timeout after %zu of %zu "
			       "sources: the bundle is incomplete", c.done, c.total);
	else if (collector_stopped(&c))
		collector_note(&c, "casefile", "stopped by signal %d after %zu of %zu sources: "
			       "the bundle is incomplete", (int)*o->stop, c.done, c.total);
	else
		collector_note(&c, "casefile", "done: %zu sources", c.done);
	res->complete = !collector_stopped(&c);
	r = close_bundle(&c, started, host, outdir, name);
	res->duration_ms = now_ms() - c.start_ms;
out:
	/* the one way out: whatever was made is released here */
	json_decref(c.items);
	require_release(&c);
	redactor_free(c.red);
	obf_free(c.obf);
	buf_release(&c.log);
	buf_release(&c.scratch);
	free(name);
	return r;
}

void collect_result_release(struct collect_result *res)
{
	strv_free(res->problems);
	strv_free(res->denied);
	free(res->bundle_path);
	free(res->map_path);
	memset(res, 0, sizeof(*res));
}
