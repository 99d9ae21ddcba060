/*
 * files.c: collect a file source through the transport: list its files
 * (and rotations) newest first, keep the end of each within the caps,
 * redact, and stream it into the bundle with no copy on disk.
 *
 * A member's size must be known before its bytes (tar), and redaction
 * changes sizes, so a file read in place is read twice: pass one redacts
 * and counts, pass two redacts again and writes. Content held in memory
 * (inflated rotations, procfs, remote files) is redacted once.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include "casefile.h"
#include "collector.h"

#define CHUNK (64 * 1024)
#define MAX_LINE (1024 * 1024)

/* What one pass over a file's kept bytes produced. */
struct pass {
	uint64_t out;		/* bytes produced */
	long redactions;
};

/* Redact whole lines of carry (all of it at the end) and hand them on. */
static int emit(struct collector *c, const struct source *s, struct redact_state *st,
		struct buf *carry, size_t upto, struct bwriter *w, struct sha256 *h,
		struct pass *p)
{
	struct buf out = BUF_INIT(0);
	long k = collector_clean(c, s, st, carry->data, upto, &out);
	int r = 0;

	if (k < 0) {
		buf_release(&out);
		return (int)k;
	}
	p->redactions += k;
	p->out += out.len;
	if (h)
		sha256_update(h, out.data, out.len);
	if (w && bwriter_write(w, out.data, out.len))
		r = CF_ERR_ARCHIVE;
	buf_consume(carry, upto);
	buf_release(&out);
	return r;
}

/* Read [start, end) of a file in place, line-aligned, redacted. */
static int run_pass(struct collector *c, const struct source *s, const struct fcontent *fc,
		    int64_t deadline, struct bwriter *w, struct sha256 *h, struct pass *p)
{
	struct buf carry = BUF_INIT(MAX_LINE + CHUNK);
	struct redact_state st = { 0 };
	char *chunk = xmalloc(CHUNK);
	uint64_t pos = fc->start;
	int skip_partial = fc->skip_partial, r = 0;

	memset(p, 0, sizeof(*p));
	while (!r && pos < fc->end) {
		size_t want = fc->end - pos < CHUNK ? (size_t)(fc->end - pos) : CHUNK;
		ssize_t n = pread(fc->fd, chunk, want, (off_t)pos);
		char *last;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			r = n < 0 ? CF_ERR_IO : 0;
			break;	/* the file shrank: what we have is what there is */
		}
		if (collector_stopped(c)) {
			r = CF_ERR_INTERRUPTED;
			break;
		}
		if (now_ms() > deadline) {
			r = CF_ERR_TIMEOUT;
			break;
		}
		pos += (uint64_t)n;
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
		r = emit(c, s, &st, &carry, last ? (size_t)(last - carry.data) + 1 : carry.len,
			 w, h, p);
	}
	if (!r && carry.len && !skip_partial)
		r = emit(c, s, &st, &carry, carry.len, w, h, p);
	free(chunk);
	buf_release(&carry);
	return r;
}

/* The member path of a host file: no leading '/', no .gz (it is inflated). */
static void member_path(struct buf *path, const char *file)
{
	buf_addstr(path, file + 1);
	if (transport_gz_name(file))
		path->data[path->len -= 3] = '\0';
}

static enum item_status status_of(int r)
{
	switch (r) {
	case CF_ERR_INTERRUPTED: return ITEM_INTERRUPTED;
	case CF_ERR_TIMEOUT: return ITEM_TIMEOUT;
	default: return ITEM_ERROR;
	}
}

/* Two passes over a file read in place, straight into the bundle. */
static int stream_in_place(struct collector *c, const struct source *s, struct fcontent *fc,
			   int64_t deadline, struct item *it, char hex[SHA256_HEX_LEN + 1],
			   struct buf *err)
{
	struct pass p1, p2;
	struct sha256 h;
	int r = run_pass(c, s, fc, deadline, NULL, NULL, &p1);

	if (!r)
		r = bwriter_begin(&c->w, it->path, p1.out, fc->mtime);
	if (r)
		return r;
	sha256_init(&h);
	r = run_pass(c, s, fc, deadline, &c->w, &h, &p2);
	if (p2.out != p1.out) {
		/* the file changed under us: the member keeps its size */
		buf_addf(err, "file changed while read (%llu then %llu bytes)",
			 (unsigned long long)p1.out, (unsigned long long)p2.out);
		for (; p2.out < p1.out; p2.out++)
			sha256_update(&h, "\n", 1);
	}
	sha256_final_hex(&h, hex);
	if (bwriter_end(&c->w) && !r)
		r = CF_ERR_ARCHIVE;
	it->sha256 = hex;
	it->bytes = p1.out;
	it->redactions = p2.redactions;
	return r;
}

static void collect_one(struct collector *c, const struct source *s, const struct found *f,
			uint64_t *source_left)
{
	struct item it = { 0 };
	struct fcontent fc;
	struct buf path = BUF_INIT(0), err = BUF_INIT(0);
	char hex[SHA256_HEX_LEN + 1];
	uint64_t cap = (uint64_t)s->cap, left = collector_budget(c);
	int64_t t0 = now_ms(), deadline = t0 + (int64_t)s->timeout * 1000;
	int r = 0;

	fcontent_init(&fc);
	it.src = s;
	it.origin = f->path;
	it.exit_status = -1;
	member_path(&path, f->path);
	collector_progress(c, s->name, f->path);
	if (cap > *source_left)
		cap = *source_left;
	if (cap > left)
		cap = left;
	if (!cap) {
		collector_record_status(c, s, f->path, ITEM_SKIPPED,
					"size cap of the source or the bundle reached");
		goto out;
	}
	it.status = c->t->ops->open(c->t, f, cap, deadline, &fc, &err);
	if (it.status != ITEM_OK) {
		it.error = err.data;
		it.duration_ms = now_ms() - t0;
		collector_record(c, &it);
		goto out;
	}
	it.original_bytes = fc.original;
	it.truncated = fc.truncated;
	it.path = path.data;
	if (fc.fd >= 0)
		r = stream_in_place(c, s, &fc, deadline, &it, hex, &err);
	else if (collector_write_memory(c, s, path.data, &fc.mem, &it, hex))
		r = CF_ERR_ARCHIVE;
	if (r) {
		it.status = status_of(r);
		if (!err.len)
			buf_addstr(&err, r == CF_ERR_ARCHIVE ? bwriter_error(&c->w) :
				   r == CF_ERR_TIMEOUT ? "reading it took longer than the "
				   "source's time limit" : cf_strerror(r));
	} else if (fc.warning[0] && !err.len) {
		buf_addstr(&err, fc.warning);
	}
	*source_left -= it.bytes < *source_left ? it.bytes : *source_left;
	it.error = err.len ? err.data : NULL;
	it.duration_ms = now_ms() - t0;
	collector_record(c, &it);
out:
	fcontent_release(&fc);
	buf_release(&path);
	buf_release(&err);
}

void files_collect(struct collector *c, const struct source *s)
{
	struct found_list l = { 0 };
	struct buf err = BUF_INIT(0);
	uint64_t left = (uint64_t)s->total;
	size_t i;

	collector_progress(c, s->name, "listing");
	if (c->t->ops->list(c->t, s, &l, &err)) {
		collector_record_status(c, s, s->files[0], ITEM_ERROR,
					err.len ? err.data : "cannot list the files");
		goto out;
	}
	if (!l.nr) {
		collector_record_status(c, s, s->files[0], ITEM_ABSENT, "no such file");
		goto out;
	}
	transport_found_sort(&l);
	for (i = 0; i < l.nr && !collector_stopped(c); i++) {
		/* --since leaves out rotated files last written before it (never the newest) */
		if (c->o->since && i > 0 && l.v[i].mtime < c->o->since)
			collector_record_status(c, s, l.v[i].path, ITEM_SKIPPED, "older than --since");
		else
			collect_one(c, s, &l.v[i], &left);
	}
out:
	transport_found_release(&l);
	buf_release(&err);
}
