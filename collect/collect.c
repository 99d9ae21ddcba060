/*
 * collect.c: one collection of this host into one bundle (see collect.h).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <jansson.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <zlib.h>
#include "buf.h"
#include "bwriter.h"
#include "casefile.h"
#include "collect.h"
#include "redact.h"
#include "spawn.h"
#include "ssh.h"

#define CHUNK (64 * 1024)
#define MAX_LINE (1024 * 1024)
#define LOG_CAP (1024 * 1024)

struct collector {
	const struct catalog *cat;
	const struct collect_opts *o;
	struct collect_result *res;
	struct bwriter w;
	struct redactor *red;
	json_t *items;
	struct buf log;		/* collect.log */
	int64_t start_ms;
	size_t done, total;	/* sources, for progress */
	size_t nproblems, aproblems;
};

static int stopped(struct collector *c)
{
	return c->o->stop && *c->o->stop;
}

static void note(struct collector *c, const char *src, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void note(struct collector *c, const char *src, const char *fmt, ...)
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

static void progress(struct collector *c, const char *src, const char *what)
{
	if (c->o->on_source)
		c->o->on_source(c->o->on_source_ctx, src, c->done, c->total);
	if (!c->o->progress || c->o->quiet)
		return;
	fprintf(stderr, "\r\033[K[%3zu/%zu] %s %.60s", c->done + 1, c->total, src,
		what ? what : "");
	fflush(stderr);
}

static enum redact_mode mode_for(const struct collector *c, const struct source *s)
{
	if (!c->o->redact)
		return REDACT_NONE;
	return s->kind == SOURCE_CONFIG ? REDACT_STRICT : REDACT_LOG;
}

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

static void sanitize(struct buf *b, const char *s)
{
	for (; *s; s++)
		buf_addch(b, isalnum((unsigned char)*s) || *s == '.' || *s == '-' ||
			  *s == '_' ? *s : '_');
}

char *collect_bundle_name(const char *host, const char *ticket, int64_t t)
{
	struct buf b = BUF_INIT(0);
	char ts[32];
	struct tm tm;
	time_t tt = (time_t)t;

	gmtime_r(&tt, &tm);
	strftime(ts, sizeof(ts), "%Y%m%dT%H%M%SZ", &tm);
	buf_addstr(&b, "casefile-");
	sanitize(&b, host && *host ? host : "localhost");
	if (ticket && *ticket) {
		buf_addch(&b, '-');
		sanitize(&b, ticket);
	}
	buf_addf(&b, "-%s", ts);
	return buf_detach(&b, NULL);
}

/* ---- manifest records ---------------------------------------------------- */

struct item {
	const struct source *src;
	const char *path;	/* member path, NULL when nothing was written */
	const char *origin;	/* file path, or NULL for a command */
	json_t *argv;		/* command, or NULL (reference stolen) */
	const char *status;
	int exit_status;	/* -1: not applicable */
	const char *error;
	int64_t duration_ms;
	uint64_t bytes, original_bytes;
	const char *sha256;
	int truncated;
	long redactions;
};

struct found {
	char *path;
	int64_t mtime;
	uint64_t size;		/* remote listings only */
};

static void record(struct collector *c, const struct item *it)
{
	json_t *o = json_object();
	struct collect_counts *n = &c->res->counts;

	json_object_set_new(o, "source", json_string(it->src->name));
	json_object_set_new(o, "path", it->path ? json_string(it->path) : json_null());
	if (it->origin)
		json_object_set_new(o, "origin", json_string(it->origin));
	if (it->argv)
		json_object_set_new(o, "command", it->argv);
	json_object_set_new(o, "status", json_string(it->status));
	json_object_set_new(o, "exit_status", it->exit_status >= 0 ?
			    json_integer(it->exit_status) : json_null());
	json_object_set_new(o, "error", it->error ? json_string(it->error) : json_null());
	json_object_set_new(o, "duration_ms", json_integer(it->duration_ms));
	json_object_set_new(o, "bytes", json_integer((json_int_t)it->bytes));
	json_object_set_new(o, "original_bytes", json_integer((json_int_t)it->original_bytes));
	json_object_set_new(o, "sha256", it->sha256 ? json_string(it->sha256) : json_null());
	json_object_set_new(o, "truncated", json_boolean(it->truncated));
	json_object_set_new(o, "redactions", json_integer(it->redactions));
	json_array_append_new(c->items, o);

	if (!strcmp(it->status, "ok")) n->ok++;
	else if (!strcmp(it->status, "absent")) n->absent++;
	else if (!strcmp(it->status, "denied")) n->denied++;
	else if (!strcmp(it->status, "timeout")) n->timeout++;
	else if (!strcmp(it->status, "failed")) n->failed++;
	else if (!strcmp(it->status, "skipped")) n->skipped++;
	else n->error++;
	if (it->truncated)
		n->truncated++;
	n->redactions += (unsigned long)(it->redactions > 0 ? it->redactions : 0);
	c->res->raw_bytes += it->bytes;

	if (it->error)
		note(c, it->src->name, "%s%s%s: %s", it->status,
		     it->origin ? " " : "", it->origin ? it->origin : "", it->error);
	else
		note(c, it->src->name, "%s %s (%llu bytes%s, %ld redactions, %lld ms)",
		     it->status, it->path ? it->path : "-",
		     (unsigned long long)it->bytes, it->truncated ? ", truncated" : "",
		     it->redactions, (long long)it->duration_ms);
	if (strcmp(it->status, "ok") && strcmp(it->status, "absent") &&
	    strcmp(it->status, "skipped"))
		problem(c, it->src->name, it->error ? it->error : it->status);
}

/* An item with nothing written: absent, skipped, or failed before reading. */
static void record_status(struct collector *c, const struct source *s, const char *origin,
			  const char *status, const char *why)
{
	struct item it = { 0 };

	it.src = s;
	it.origin = origin;
	it.status = status;
	it.exit_status = -1;
	it.error = why;
	record(c, &it);
}

/* --since leaves out rotated files last written before it (never the newest). */
static int older_than_since(struct collector *c, const struct source *s,
			    const struct found *v, size_t i)
{
	if (!c->o->since || i == 0 || v[i].mtime >= c->o->since)
		return 0;
	record_status(c, s, v[i].path, "skipped", "older than --since");
	return 1;
}

static uint64_t budget(struct collector *c)
{
	uint64_t cap = c->o->bundle_cap ? c->o->bundle_cap : COLLECT_DEFAULT_CAP;

	return c->res->raw_bytes >= cap ? 0 : cap - c->res->raw_bytes;
}

/* Redact a whole in-memory output and write it as one member. */
static int write_memory(struct collector *c, const struct source *s,
			const char *path, struct buf *data, struct item *it,
			char hex[SHA256_HEX_LEN + 1])
{
	struct redact_state st = { 0 };
	struct buf out = BUF_INIT(0);
	uint64_t left = budget(c);
	long n;
	int r;

	n = redact_chunk(c->red, mode_for(c, s), &st, data->data, data->len, &out);
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

static int denied_text(const char *s)
{
	return strstr(s, "ermission denied") || strstr(s, "Operation not permitted") ||
	       strstr(s, "must be root") || strstr(s, "superuser") ||
	       strstr(s, "Access denied") || strstr(s, "password is required");
}

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

static void collect_command(struct collector *c, const struct source *s)
{
	struct spawn_opts so = { 0 };
	struct spawn_result sr;
	struct item it = { 0 };
	struct buf path = BUF_INIT(0), err = BUF_INIT(0), since = BUF_INIT(0);
	const char *argv[64];
	char hex[SHA256_HEX_LEN + 1];
	json_t *jargv = json_array();
	size_t n = 0, i;
	int r;

	if (s->shell) {
		argv[n++] = "/bin/sh";
		argv[n++] = "-c";
		argv[n++] = s->shell;
	} else {
		for (i = 0; s->argv[i] && n < ARRAY_SIZE(argv) - 2; i++)
			argv[n++] = s->argv[i];
		if (c->o->since && s->since_arg) {
			buf_addf(&since, "%s@%lld", s->since_arg, (long long)c->o->since);
			argv[n++] = since.data;
		}
	}
	argv[n] = NULL;
	for (i = 0; i < n; i++)
		json_array_append_new(jargv, json_string(argv[i]));

	it.src = s;
	it.argv = jargv;
	it.exit_status = -1;
	buf_addf(&path, COMMANDS_DIR "%s", s->name);
	progress(c, s->name, argv[0]);

	so.argv = argv;
	so.timeout_ms = (int64_t)s->timeout * 1000;
	so.cap = (size_t)s->cap;
	so.stop = c->o->stop;
	spawn_result_init(&sr);
	r = c->o->t ? c->o->t->run(c->o->t->ctx, argv, &so, &sr) : spawn_run(&so, &sr);
	it.duration_ms = sr.duration_ms;
	if (r == CF_ERR_NOTFOUND) {
		it.status = "absent";
		buf_addf(&err, "command not installed: %s", argv[0]);
		it.error = err.data;
		record(c, &it);
		goto out;
	}
	if (r) {
		it.status = "error";
		buf_addf(&err, "cannot run %s: %s", sr.path, strerror(errno));
		it.error = err.data;
		record(c, &it);
		goto out;
	}
	it.exit_status = sr.status;
	it.original_bytes = sr.out.len + sr.dropped;
	it.truncated = sr.dropped > 0;
	if (r == 0 && c->o->t && sr.status == 127 && strstr(sr.err.data, "No such file")) {
		it.status = "absent";
		buf_addf(&err, "command not installed on %s: %s", c->o->t->host, argv[0]);
		it.error = err.data;
		record(c, &it);
		goto out;
	}
	if (c->o->t && sr.status == 124)
		sr.timed_out = 1;	/* timeout(1) on the remote side killed it */
	if (sr.timed_out) {
		it.status = "timeout";
		buf_addf(&err, "killed after %ds timeout, kept %zu bytes of output",
			 s->timeout, sr.out.len);
	} else if (sr.stopped) {
		it.status = "interrupted";
		buf_addstr(&err, "stopped by a signal");
	} else if (sr.status != 0) {
		it.status = denied_text(sr.err.data) ? "denied" : "failed";
		buf_addf(&err, "exit status %d: ", sr.status);
		first_line(&err, sr.err.len ? sr.err.data : "(no error output)");
	} else {
		it.status = "ok";
	}
	it.error = err.len ? err.data : NULL;
	if (sr.out.len || !strcmp(it.status, "ok")) {
		r = write_memory(c, s, path.data, &sr.out, &it, hex);
		if (r) {
			it.status = "error";
			buf_reset(&err);
			buf_addf(&err, "cannot write to the bundle: %s", bwriter_error(&c->w));
			it.error = err.data;
		}
	}
	record(c, &it);
out:
	spawn_result_release(&sr);
	buf_release(&path);
	buf_release(&err);
	buf_release(&since);
}

/* ---- files --------------------------------------------------------------- */

static int found_cmp(const void *a, const void *b)
{
	const struct found *x = a, *y = b;

	/* newest first; the live file before its rotations at equal times */
	if (x->mtime != y->mtime)
		return x->mtime > y->mtime ? -1 : 1;
	return strcmp(x->path, y->path);
}

static void add_glob(const char *pattern, const char *base_glob, int rotated,
		     struct found **v, size_t *nr, size_t *alloc)
{
	glob_t g;
	size_t i, j;

	if (glob(pattern, GLOB_NOSORT, NULL, &g))
		return;
	for (i = 0; i < g.gl_pathc; i++) {
		const char *p = g.gl_pathv[i];
		struct stat st;

		if (rotated && base_glob) {
			/* keep only base + a rotation suffix */
			const char *slash = strrchr(p, '/');
			const char *q;
			int ok = 0;

			for (q = slash ? slash + 1 : p; *q && !ok; q++) {
				char tmp[4096];
				size_t plen = (size_t)(q - p);

				if ((*q != '.' && *q != '-') || plen >= sizeof(tmp) ||
				    !rotation_suffix(q))
					continue;
				memcpy(tmp, p, plen);
				tmp[plen] = '\0';
				glob_t g2;

				if (!glob(base_glob, GLOB_NOSORT, NULL, &g2)) {
					for (j = 0; j < g2.gl_pathc; j++)
						if (!strcmp(g2.gl_pathv[j], tmp))
							ok = 1;
					globfree(&g2);
				}
			}
			if (!ok)
				continue;
		}
		for (j = 0; j < *nr; j++)
			if (!strcmp((*v)[j].path, p))
				break;
		if (j < *nr)
			continue;
		if (stat(p, &st) || S_ISDIR(st.st_mode))
			continue;
		ALLOC_GROW(*v, *nr + 1, *alloc);
		(*v)[*nr].path = xstrdup(p);
		(*v)[*nr].mtime = st.st_mtime;
		(*nr)++;
	}
	globfree(&g);
}

/* The bytes of a file from start to end, line-aligned, redacted. */
struct pass {
	uint64_t in;		/* bytes consumed from the source */
	uint64_t out;		/* bytes produced */
	long redactions;
	int gz_error;		/* a corrupt .gz: what we read so far counts */
	char gz_msg[128];
};

static int run_pass(struct collector *c, const struct source *s, int fd,
		    uint64_t start, uint64_t end, struct bwriter *w,
		    struct sha256 *h, struct pass *p)
{
	struct buf carry = BUF_INIT(MAX_LINE + CHUNK), out = BUF_INIT(0);
	struct redact_state st = { 0 };
	char *chunk = xmalloc(CHUNK);
	int dupfd = dup(fd), skip_partial = start > 0, r = 0;
	gzFile gz;

	memset(p, 0, sizeof(*p));
	if (dupfd < 0 || lseek(dupfd, 0, SEEK_SET) < 0) {
		free(chunk);
		if (dupfd >= 0)
			close(dupfd);
		return CF_ERR_IO;
	}
	gz = gzdopen(dupfd, "rb");	/* reads plain files transparently */
	if (!gz) {
		free(chunk);
		close(dupfd);
		return CF_ERR_NOMEM;
	}
	gzbuffer(gz, CHUNK);
	if (start && gzseek(gz, (z_off_t)start, SEEK_SET) < 0)
		r = CF_ERR_IO;
	p->in = start;
	while (!r && p->in < end) {
		size_t want = end - p->in < CHUNK ? (size_t)(end - p->in) : CHUNK;
		int n = gzread(gz, chunk, (unsigned)want);
		char *last;
		size_t upto;
		long k;

		if (n <= 0) {
			int zerr;
			const char *m = gzerror(gz, &zerr);

			if (n < 0 || zerr) {
				p->gz_error = 1;
				snprintf(p->gz_msg, sizeof(p->gz_msg), "%s", m ? m : "read error");
			}
			break;
		}
		if (stopped(c)) {
			r = CF_ERR_INTERRUPTED;
			break;
		}
		p->in += (uint64_t)n;
		buf_add(&carry, chunk, (size_t)n);
		if (skip_partial) {
			char *nl = memchr(carry.data, '\n', carry.len);

			if (!nl) {
				buf_reset(&carry);
				continue;
			}
			buf_consume(&carry, (size_t)(nl - carry.data) + 1);
			skip_partial = 0;
		}
		last = memrchr(carry.data, '\n', carry.len);
		if (!last && carry.len < MAX_LINE)
			continue;
		upto = last ? (size_t)(last - carry.data) + 1 : carry.len;
		k = redact_chunk(c->red, mode_for(c, s), &st, carry.data, upto, &out);
		if (k < 0) {
			r = (int)k;
			break;
		}
		p->redactions += k;
		buf_consume(&carry, upto);
		p->out += out.len;
		if (h)
			sha256_update(h, out.data, out.len);
		if (w && bwriter_write(w, out.data, out.len))
			r = CF_ERR_ARCHIVE;
		buf_reset(&out);
	}
	if (!r && carry.len && !skip_partial) {
		long k = redact_chunk(c->red, mode_for(c, s), &st, carry.data, carry.len, &out);

		if (k < 0) {
			r = (int)k;
		} else {
			p->redactions += k;
			p->out += out.len;
			if (h)
				sha256_update(h, out.data, out.len);
			if (w && bwriter_write(w, out.data, out.len))
				r = CF_ERR_ARCHIVE;
		}
	}
	gzclose(gz);
	free(chunk);
	buf_release(&carry);
	buf_release(&out);
	return r;
}

/* Uncompressed size of a .gz (the whole stream must be read for it). */
static uint64_t gz_size(int fd)
{
	int d = dup(fd);
	gzFile gz;
	char *chunk;
	uint64_t total = 0;
	int n;

	if (d < 0 || lseek(d, 0, SEEK_SET) < 0 || !(gz = gzdopen(d, "rb"))) {
		if (d >= 0)
			close(d);
		return 0;
	}
	chunk = xmalloc(CHUNK);
	while ((n = gzread(gz, chunk, CHUNK)) > 0)
		total += (uint64_t)n;
	free(chunk);
	gzclose(gz);
	return total;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

/* Read a file that has no size (procfs) like a command's output. */
static void collect_unsized(struct collector *c, const struct source *s, int fd,
			    struct item *it, const char *path, struct buf *err)
{
	struct tailbuf t;
	struct buf data = BUF_INIT(0);
	char chunk[16384], hex[SHA256_HEX_LEN + 1];
	ssize_t n;

	if (tailbuf_init(&t, (size_t)s->cap)) {
		it->status = "error";
		it->error = "out of memory";
		return;
	}
	while ((n = read(fd, chunk, sizeof(chunk))) > 0 && !stopped(c))
		tailbuf_add(&t, chunk, (size_t)n);
	if (n < 0) {
		buf_addf(err, "read failed: %s", strerror(errno));
		it->status = errno == EACCES || errno == EPERM ? "denied" : "error";
		it->error = err->data;
	}
	it->original_bytes = t.len + t.dropped;
	it->truncated = t.dropped > 0;
	tailbuf_to_buf(&t, &data);
	tailbuf_release(&t);
	if (n >= 0 || data.len) {
		if (write_memory(c, s, path, &data, it, hex)) {
			it->status = "error";
			it->error = "cannot write to the bundle";
		}
		if (!it->status)
			it->status = "ok";
	}
	record(c, it);
	buf_release(&data);
}

static void collect_one_file(struct collector *c, const struct source *s,
			     const char *file, uint64_t *source_left)
{
	struct item it = { 0 };
	struct buf path = BUF_INIT(0), err = BUF_INIT(0);
	struct pass p1, p2;
	struct sha256 h;
	struct stat st;
	char hex[SHA256_HEX_LEN + 1];
	uint64_t size, start = 0, cap = (uint64_t)s->cap, left = budget(c);
	int64_t t0 = now_ms();
	int gz = ends_with(file, ".gz"), fd, r;

	it.src = s;
	it.origin = file;
	it.exit_status = -1;
	buf_addstr(&path, file + 1);
	if (gz)
		path.len -= 3, path.data[path.len] = '\0';
	progress(c, s->name, file);

	fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		it.status = errno == EACCES || errno == EPERM ? "denied" : "error";
		buf_addf(&err, "cannot open: %s", strerror(errno));
		it.error = err.data;
		record(c, &it);
		goto out;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		it.status = "skipped";
		it.error = "not a regular file";
		record(c, &it);
		goto out;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	if (st.st_size == 0 && !gz) {
		collect_unsized(c, s, fd, &it, path.data, &err);
		it.duration_ms = now_ms() - t0;
		goto out;
	}
	if (cap > *source_left)
		cap = *source_left;
	if (cap > left)
		cap = left;
	size = gz ? gz_size(fd) : (uint64_t)st.st_size;
	it.original_bytes = size;
	if (cap == 0) {
		it.status = "skipped";
		it.error = "size cap of the source or the bundle reached";
		record(c, &it);
		goto out;
	}
	if (size > cap) {
		start = size - cap;
		it.truncated = 1;
	}

	/* pass 1 sizes the member, pass 2 writes it: no copy on disk */
	r = run_pass(c, s, fd, start, size, NULL, NULL, &p1);
	if (!r)
		r = bwriter_begin(&c->w, path.data, p1.out, st.st_mtime);
	if (!r) {
		sha256_init(&h);
		r = run_pass(c, s, fd, start, size, &c->w, &h, &p2);
		if (p2.out != p1.out) {
			/* the file changed under us: the member keeps its size */
			buf_addf(&err, "file changed while read (%llu then %llu bytes)",
				 (unsigned long long)p1.out, (unsigned long long)p2.out);
			if (p2.out < p1.out) {
				char nl[1] = { '\n' };
				uint64_t k;

				for (k = p2.out; k < p1.out; k++)
					sha256_update(&h, nl, 1);
			}
		}
		sha256_final_hex(&h, hex);
		if (bwriter_end(&c->w) && !r)
			r = CF_ERR_ARCHIVE;
		it.path = path.data;
		it.sha256 = hex;
		it.bytes = p1.out;
		it.redactions = p2.redactions;
		*source_left -= p1.out < *source_left ? p1.out : *source_left;
	}
	if (r == CF_ERR_INTERRUPTED) {
		it.status = "interrupted";
		it.error = "stopped by a signal";
	} else if (r) {
		it.status = "error";
		if (!err.len)
			buf_addf(&err, "%s", r == CF_ERR_ARCHIVE ? bwriter_error(&c->w) :
				 cf_strerror(r));
		it.error = err.data;
	} else if (p1.gz_error) {
		it.status = "ok";
		buf_addf(&err, "corrupt gzip data, kept what was readable: %s", p1.gz_msg);
		it.error = err.data;
	} else {
		it.status = "ok";
		it.error = err.len ? err.data : NULL;
	}
	it.duration_ms = now_ms() - t0;
	record(c, &it);
out:
	if (fd >= 0)
		close(fd);
	buf_release(&path);
	buf_release(&err);
}

static void collect_files_remote(struct collector *c, const struct source *s);

static void collect_files(struct collector *c, const struct source *s)
{
	struct found *v = NULL;
	size_t nr = 0, alloc = 0, i;
	uint64_t left = (uint64_t)s->total;

	if (c->o->t) {
		collect_files_remote(c, s);
		return;
	}
	for (i = 0; s->files[i]; i++) {
		add_glob(s->files[i], NULL, 0, &v, &nr, &alloc);
		if (s->rotated) {
			struct buf g = BUF_INIT(0);

			buf_addf(&g, "%s[.-]*", s->files[i]);
			add_glob(g.data, s->files[i], 1, &v, &nr, &alloc);
			buf_release(&g);
		}
	}
	if (!nr) {
		record_status(c, s, s->files[0], "absent", "no such file");
		return;
	}
	qsort(v, nr, sizeof(*v), found_cmp);
	for (i = 0; i < nr && !stopped(c); i++)
		if (!older_than_since(c, s, v, i))
			collect_one_file(c, s, v[i].path, &left);
	for (i = 0; i < nr; i++)
		free(v[i].path);
	free(v);
}

/* ---- files on a remote host, through commands ------------------------------ */

/* Run a /bin/sh script through the transport. */
static int remote_sh(struct collector *c, const char *script, int timeout, size_t cap,
		     struct spawn_result *r)
{
	const char *argv[] = { "/bin/sh", "-c", script, NULL };
	struct spawn_opts so = { 0 };

	so.argv = argv;
	so.timeout_ms = (int64_t)timeout * 1000;
	so.cap = cap;
	so.stop = c->o->stop;
	spawn_result_init(r);
	return c->o->t->run(c->o->t->ctx, argv, &so, r);
}

static void remote_one_file(struct collector *c, const struct source *s, const struct found *f,
			    uint64_t *left)
{
	uint64_t size = f->size;
	struct buf script = BUF_INIT(0), path = BUF_INIT(0), err = BUF_INIT(0);
	struct spawn_result r;
	struct item it = { 0 };
	char hex[SHA256_HEX_LEN + 1];
	uint64_t cap = (uint64_t)s->cap;
	int gz = ends_with(f->path, ".gz");

	if (cap > *left)
		cap = *left;
	if (cap > budget(c))
		cap = budget(c);
	it.src = s;
	it.origin = f->path;
	it.exit_status = -1;
	it.original_bytes = size;
	buf_addstr(&path, f->path + 1);
	if (gz)
		path.len -= 3, path.data[path.len] = '\0';
	progress(c, s->name, f->path);
	if (!cap) {
		it.status = "skipped";
		it.error = "size cap of the source or the bundle reached";
		record(c, &it);
		goto out;
	}
	if (gz)
		buf_addstr(&script, "gzip -dc -- ");
	else if (!size)
		buf_addstr(&script, "cat -- ");
	else
		buf_addf(&script, "tail -c %llu -- ", (unsigned long long)cap);
	sh_quote(&script, f->path);
	if (gz || !size)
		buf_addf(&script, " | tail -c %llu", (unsigned long long)cap);
	if (remote_sh(c, script.data, s->timeout > 30 ? s->timeout : 30, (size_t)cap + 1, &r)) {
		it.status = "error";
		it.error = r.err.len ? r.err.data : "cannot run a command on the host";
		record(c, &it);
		spawn_result_release(&r);
		goto out;
	}
	it.duration_ms = r.duration_ms;
	if (r.status != 0 && !r.out.len) {
		it.status = denied_text(r.err.data) ? "denied" : "error";
		first_line(&err, r.err.len ? r.err.data : "read failed");
		it.error = err.data;
		record(c, &it);
		spawn_result_release(&r);
		goto out;
	}
	if ((gz && r.out.len >= cap) || (!gz && size > cap)) {
		/* tail -c starts inside a line: start at the next one */
		char *nl = memchr(r.out.data, '\n', r.out.len);

		buf_consume(&r.out, nl ? (size_t)(nl - r.out.data) + 1 : r.out.len);
		it.truncated = 1;
	}
	if (write_memory(c, s, path.data, &r.out, &it, hex)) {
		it.status = "error";
		it.error = "cannot write to the bundle";
	} else {
		it.status = "ok";
		*left -= it.bytes < *left ? it.bytes : *left;
	}
	record(c, &it);
	spawn_result_release(&r);
out:
	buf_release(&script);
	buf_release(&path);
	buf_release(&err);
}

static void collect_files_remote(struct collector *c, const struct source *s)
{
	struct buf script = BUF_INIT(0);
	struct spawn_result r;
	struct found *v = NULL;
	uint64_t left = (uint64_t)s->total;
	size_t nr = 0, alloc = 0, i;
	char *line;

	/* stat every match of the globs (and rotations): size, mtime, name */
	buf_addstr(&script, "for f in");
	for (i = 0; s->files[i]; i++) {
		buf_addf(&script, " %s", s->files[i]);
		if (s->rotated)
			buf_addf(&script, " %s[.-]*", s->files[i]);
	}
	buf_addstr(&script, "; do [ -f \"$f\" ] && stat -L -c '%s %Y %n' -- \"$f\"; done "
		   "2>/dev/null; true");
	progress(c, s->name, "listing");
	if (remote_sh(c, script.data, 30, 1024 * 1024, &r) || r.status != 0) {
		record_status(c, s, s->files[0], "error", r.timed_out ?
			      "listing the files timed out" : "cannot list the files");
		goto out;
	}
	for (line = r.out.data; *line; ) {
		char *nl = strchr(line, '\n'), *sp1, *sp2;

		if (nl)
			*nl = '\0';
		sp1 = strchr(line, ' ');
		sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
		if (sp2 && sp2[1] == '/' && source_claims(s, sp2 + 2)) {
			ALLOC_GROW(v, nr + 1, alloc);
			v[nr].size = strtoull(line, NULL, 10);
			v[nr].mtime = strtoll(sp1 + 1, NULL, 10);
			v[nr].path = xstrdup(sp2 + 1);
			nr++;
		}
		if (!nl)
			break;
		line = nl + 1;
	}
	if (!nr) {
		record_status(c, s, s->files[0], "absent", "no such file");
		goto out;
	}
	qsort(v, nr, sizeof(*v), found_cmp);
	for (i = 0; i < nr && !stopped(c); i++)
		if (!older_than_since(c, s, v, i))
			remote_one_file(c, s, &v[i], &left);
out:
	for (i = 0; i < nr; i++)
		free(v[i].path);
	free(v);
	spawn_result_release(&r);
	buf_release(&script);
}

/* ---- the manifest and the run -------------------------------------------- */

static json_t *manifest(struct collector *c, int64_t started, int64_t finished,
			const char *host)
{
	json_t *m = json_object();
	struct utsname u;
	struct passwd *pw = getpwuid(geteuid());
	char ts[32];

	json_object_set_new(m, "schema", json_string("casefile-manifest/1"));
	json_object_set_new(m, "tool", json_string("casefile"));
	json_object_set_new(m, "version", json_string(CASEFILE_VERSION));
	json_object_set_new(m, "host", json_string(host));
	json_object_set_new(m, "ticket", c->o->ticket ? json_string(c->o->ticket) : json_null());
	json_object_set_new(m, "problem", c->o->problem ? json_string(c->o->problem) : json_null());
	json_object_set_new(m, "started_at", json_string(fmt_utc(ts, sizeof(ts), started)));
	json_object_set_new(m, "finished_at", json_string(fmt_utc(ts, sizeof(ts), finished)));
	json_object_set_new(m, "complete", json_boolean(!stopped(c)));
	if (stopped(c))
		json_object_set_new(m, "interrupted_by",
				    json_string(sigabbrev_np((int)*c->o->stop) ?
						sigabbrev_np((int)*c->o->stop) : "signal"));
	else
		json_object_set_new(m, "interrupted_by", json_null());
	if (c->o->t) {
		json_object_set_new(m, "transport", json_string(c->o->t->kind));
		json_object_set_new(m, "user", json_string(c->o->t->user));
		json_object_set_new(m, "sudo", json_boolean(c->o->t->sudo));
		json_object_set_new(m, "collected_by", json_string(pw ? pw->pw_name : "?"));
	} else {
		json_object_set_new(m, "transport", json_string("local"));
		json_object_set_new(m, "user", json_string(pw ? pw->pw_name : "?"));
		json_object_set_new(m, "uid", json_integer(geteuid()));
	}
	if (!c->o->t && !uname(&u)) {
		struct buf k = BUF_INIT(0);

		buf_addf(&k, "%s %s %s", u.sysname, u.release, u.machine);
		json_object_set_new(m, "kernel", json_string(k.data));
		buf_release(&k);
	}
	json_object_set_new(m, "redacted", json_boolean(c->o->redact));
	json_object_set_new(m, "since", c->o->since ?
			    json_string(fmt_utc(ts, sizeof(ts), c->o->since)) : json_null());
	json_object_set_new(m, "bundle_cap", json_integer((json_int_t)(c->o->bundle_cap ?
					c->o->bundle_cap : COLLECT_DEFAULT_CAP)));
	json_object_set(m, "items", c->items);
	return m;
}

static void local_hostname(char *out, size_t n)
{
	if (gethostname(out, n) || !*out)
		snprintf(out, n, "localhost");
	out[n - 1] = '\0';
}

int collect_run(const struct catalog *cat, const struct collect_opts *o,
		struct collect_result *res)
{
	struct collector c;
	char host[256], *name, *base, *json_text = NULL;
	int64_t started = time(NULL);
	json_t *m;
	size_t i;
	int r;

	memset(res, 0, sizeof(*res));
	memset(&c, 0, sizeof(c));
	c.cat = cat;
	c.o = o;
	c.res = res;
	c.start_ms = now_ms();
	buf_init(&c.log, LOG_CAP);
	if (o->t && o->t->host)
		snprintf(host, sizeof(host), "%s", o->t->host);
	else
		local_hostname(host, sizeof(host));
	name = collect_bundle_name(host, o->ticket, started);

	c.red = redactor_new();
	if (!c.red) {
		free(name);
		return CF_ERR_PARSE;
	}
	/* two collections in one second get -2, -3, ... rather than one bundle */
	base = xstrdup(name);
	for (i = 2; (r = bwriter_open(&c.w, o->outdir ? o->outdir : COLLECT_DEFAULT_DIR,
				      name)) == CF_ERR_EXISTS && i < 100; i++) {
		struct buf b = BUF_INIT(0);

		buf_addf(&b, "%s-%zu", base, i);
		free(name);
		name = buf_detach(&b, NULL);
	}
	free(base);
	if (r) {
		if (r == CF_ERR_EXISTS)
			error("cannot create a bundle in '%s': too many with the same name",
			      o->outdir ? o->outdir : COLLECT_DEFAULT_DIR);
		redactor_free(c.red);
		free(name);
		return r;
	}
	c.items = json_array();
	for (i = 0; i < cat->nr; i++)
		c.total += collect_selected(o, cat->items[i].name);
	if (o->t)
		note(&c, "casefile", "collect %s on %s over %s as %s%s, %zu sources, redaction %s",
		     CASEFILE_VERSION, host, o->t->kind, o->t->user, o->t->sudo ? " (sudo)" : "",
		     c.total, o->redact ? "on" : "off");
	else
		note(&c, "casefile", "collect %s on %s as uid %d, %zu sources, redaction %s",
		     CASEFILE_VERSION, host, (int)geteuid(), c.total, o->redact ? "on" : "off");

	for (i = 0; i < cat->nr && !stopped(&c); i++) {
		const struct source *s = &cat->items[i];

		if (!collect_selected(o, s->name))
			continue;
		if (!budget(&c)) {
			record_status(&c, s, NULL, "skipped", "bundle size cap reached");
		} else if (s->files) {
			collect_files(&c, s);
		} else {
			collect_command(&c, s);
		}
		c.done++;
	}
	if (o->progress && !o->quiet)
		fprintf(stderr, "\r\033[K");
	if (stopped(&c))
		note(&c, "casefile", "stopped by signal %d after %zu of %zu sources: "
		     "the bundle is incomplete", (int)*o->stop, c.done, c.total);
	else
		note(&c, "casefile", "done: %zu sources", c.done);

	res->complete = !stopped(&c);
	m = manifest(&c, started, time(NULL), host);
	json_text = json_dumps(m, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	r = bwriter_add(&c.w, "casefile/collect.log", c.log.data, c.log.len, time(NULL));
	if (!r)
		r = bwriter_add(&c.w, "casefile/manifest.json", json_text, strlen(json_text),
				time(NULL));
	if (r) {
		error("cannot write the manifest: %s", bwriter_error(&c.w));
		bwriter_abort(&c.w);
	} else {
		struct buf p = BUF_INIT(0);

		buf_addf(&p, "%s/%s.tar.gz", o->outdir ? o->outdir : COLLECT_DEFAULT_DIR, name);
		r = bwriter_finish(&c.w, res->sha256);
		res->compressed_bytes = c.w.compressed;
		res->bundle_path = buf_detach(&p, NULL);
	}
	res->duration_ms = now_ms() - c.start_ms;
	free(json_text);
	json_decref(m);
	json_decref(c.items);
	redactor_free(c.red);
	buf_release(&c.log);
	free(name);
	return r;
}

void collect_result_release(struct collect_result *res)
{
	strv_free(res->problems);
	free(res->bundle_path);
	memset(res, 0, sizeof(*res));
}
