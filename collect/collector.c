/*
 * collector.c: the records of one collection: the manifest's items, the
 * counts, collect.log, the problems for the summary, and the budget of the
 * bundle (see collector.h).
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "casefile.h"
#include "collector.h"
#include "obfuscate.h"
#include "text.h"

int collector_stopped(const struct collector *c)
{
	return c->o->stop && *c->o->stop;
}

void collector_note(struct collector *c, const char *src, const char *fmt, ...)
{
	va_list ap;
	int64_t ms = now_ms() - c->start_ms;

	buf_addf(&c->log, "%4lld.%03lld %s: ", (long long)(ms / 1000),
		 (long long)(ms % 1000), src);
	va_start(ap, fmt);
	buf_vaddf(&c->log, fmt, ap);
	va_end(ap);
	buf_addch(&c->log, '\n');
}

static void problem(struct collector *c, const char *src, const char *what)
{
	struct buf b = BUF_INIT(0);

	buf_addf(&b, "%s: %s", src, what);
	ALLOC_GROW(c->res->problems, c->nproblems + 2, c->aproblems);
	c->res->problems[c->nproblems++] = buf_detach(&b, NULL);
	c->res->problems[c->nproblems] = NULL;
}

void collector_progress(struct collector *c, const char *src, const char *what)
{
	if (c->o->on_source)
		c->o->on_source(c->o->on_source_ctx, src, c->done, c->total);
	if (!c->o->progress || c->o->quiet)
		return;
	/* file names are the host's: a user can name a log after an escape sequence */
	buf_reset(&c->scratch);
	text_term_add(&c->scratch, what ? what : "", what ? strlen(what) : 0);
	fprintf(stderr, "\r\033[K[%3zu/%zu] %s %.60s", c->done + 1, c->total, src,
		c->scratch.data);
	fflush(stderr);
}

enum redact_mode collector_mode(const struct collector *c, const struct source *s)
{
	if (!c->o->redact)
		return REDACT_NONE;
	return s->kind == SOURCE_CONFIG ? REDACT_STRICT : REDACT_LOG;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

void collector_record(struct collector *c, const struct item *it)
{
	json_t *o = json_object();
	struct collect_counts *n = &c->res->counts;
	const char *status = item_status_name(it->status);

	json_object_set_new(o, MF_ITEM_SOURCE, json_string(it->src->name));
	json_object_set_new(o, MF_ITEM_PATH, str_or_null(it->path));
	if (it->origin)
		json_object_set_new(o, MF_ITEM_ORIGIN, json_string(it->origin));
	if (it->argv)
		json_object_set_new(o, MF_ITEM_COMMAND, it->argv);
	json_object_set_new(o, MF_ITEM_STATUS, json_string(status));
	json_object_set_new(o, MF_ITEM_EXIT_STATUS, it->exit_status >= 0 ?
			    json_integer(it->exit_status) : json_null());
	json_object_set_new(o, MF_ITEM_ERROR, str_or_null(it->error));
	json_object_set_new(o, MF_ITEM_DURATION_MS, json_integer(it->duration_ms));
	json_object_set_new(o, MF_ITEM_BYTES, json_integer((json_int_t)it->bytes));
	json_object_set_new(o, MF_ITEM_ORIGINAL_BYTES, json_integer((json_int_t)it->original_bytes));
	json_object_set_new(o, MF_ITEM_SHA256, str_or_null(it->sha256));
	json_object_set_new(o, MF_ITEM_TRUNCATED, json_boolean(it->truncated));
	json_object_set_new(o, MF_ITEM_REDACTIONS, json_integer(it->redactions));
	json_array_append_new(c->items, o);

	n->status[it->status < ITEM_STATUS_NR ? it->status : ITEM_ERROR]++;
	if (it->truncated)
		n->truncated++;
	n->redactions += (unsigned long)(it->redactions > 0 ? it->redactions : 0);
	c->res->raw_bytes += it->bytes;

	if (it->error)
		collector_note(c, it->src->name, "%s%s%s: %s", status, it->origin ? " " : "",
			       it->origin ? it->origin : "", it->error);
	else
		collector_note(c, it->src->name, "%s %s (%llu bytes%s, %ld redactions, %lld ms)",
			       status, it->path ? it->path : "-", (unsigned long long)it->bytes,
			       it->truncated ? ", truncated" : "", it->redactions,
			       (long long)it->duration_ms);
	if (item_status_is_gap(it->status))
		problem(c, it->src->name, it->error ? it->error : status);
	if (it->status == ITEM_DENIED) {
		size_t i;

		for (i = 0; c->res->denied && c->res->denied[i] &&
		     strcmp(c->res->denied[i], it->src->name); i++)
			;
		if (!c->res->denied || !c->res->denied[i])
			strv_push(&c->res->denied, xstrdup(it->src->name));
	}
}

void collector_record_status(struct collector *c, const struct source *s, const char *origin,
			     enum item_status status, const char *why)
{
	struct item it = { 0 };

	it.src = s;
	it.origin = origin;
	it.status = status;
	it.exit_status = -1;
	it.error = why;
	collector_record(c, &it);
}

uint64_t collector_budget(const struct collector *c)
{
	uint64_t cap = c->o->bundle_cap ? c->o->bundle_cap : COLLECT_DEFAULT_CAP;

	return c->res->raw_bytes >= cap ? 0 : cap - c->res->raw_bytes;
}

int collector_write_memory(struct collector *c, const struct source *s, const char *path,
			   struct buf *data, struct item *it, char hex[SHA256_HEX_LEN + 1])
{
	struct redact_state st = { 0 };
	struct buf out = BUF_INIT(0);
	uint64_t left = collector_budget(c);
	long n;
	int r;

	n = collector_clean(c, s, &st, data->data, data->len, &out);
	if (n < 0) {
		buf_release(&out);
		return (int)n;
	}
	it->redactions = n;
	if (out.len > left) {
		/* keep the end, from a line start, within what the bundle has left */
		size_t cut = out.len - (size_t)left;
		char *nl = memchr(out.data + cut, '\n', out.len - cut);

		buf_consume(&out, nl ? (size_t)(nl - out.data) + 1 : out.len);
		it->truncated = 1;
	}
	sha256_hex(out.data, out.len, hex);
	it->sha256 = hex;
	it->bytes = out.len;
	it->path = path;
	r = bwriter_add(&c->w, path, out.data, out.len, time(NULL));
	buf_release(&out);
	return r;
}

/* Which of obf_learn_text's kinds a source's text is, or NULL. */
static const char *learn_as(const char *source)
{
	static const char *const pairs[][2] = { { "hostname", "hostname" }, { "uname", "uname" },
		{ "hosts", "etc/hosts" }, { "syslog", "messages" }, { "journal", "messages" } };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(pairs); i++)
		if (!strcmp(source, pairs[i][0]))
			return pairs[i][1];
	return NULL;
}

long collector_clean(struct collector *c, const struct source *s, struct redact_state *st,
		     const char *text, size_t len, struct buf *out)
{
	struct buf red = BUF_INIT(0);
	const char *as;
	long n;

	if (!c->obf)
		return redact_chunk(c->red, collector_mode(c, s), st, text, len, out);
	n = redact_chunk(c->red, collector_mode(c, s), st, text, len, &red);
	if (n >= 0) {
		if ((as = learn_as(s->name)))
			obf_learn_text(c->obf, as, red.data, red.len);
		obf_chunk(c->obf, red.data, red.len, out);
	}
	buf_release(&red);
	return n;
}

/* This host's file, read without following a link, into the obfuscator. */
static void learn_file(struct obf *o, const char *path)
{
	struct buf b = BUF_INIT(0);
	char chunk[8192];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);

	while (fd >= 0 && b.len < (1 << 20) && (n = read(fd, chunk, sizeof(chunk))) > 0)
		buf_add(&b, chunk, (size_t)n);
	if (fd >= 0)
		close(fd);
	obf_learn_text(o, path + 1, b.data, b.len);
	buf_release(&b);
}

int collector_obf_start(struct collector *c, const char *host)
{
	c->obf = obf_new();
	if (c->o->map && !access(c->o->map, F_OK) && obf_map_load(c->obf, c->o->map))
		return CF_ERR_PARSE;
	obf_learn_host(c->obf, host, strlen(host));
	if (!c->t->host) {
		learn_file(c->obf, "/etc/hostname");
		learn_file(c->obf, "/etc/hosts");
		learn_file(c->obf, "/etc/passwd");
	}
	return 0;
}
