/*
 * member.c: one member of a bundle, bytes in, blocks of whole lines out
 * (see walk.h): inner gzip is inflated on the fly, binary content is
 * skipped, over-long lines are cut, and every byte counts against the
 * member's and the bundle's caps.
 */
#include <string.h>
#include <zlib.h>
#include "buf.h"
#include "bundle.h"
#include "casefile.h"
#include "text.h"
#include "walk.h"

#define BINARY_PROBE 8192

/*
 * Binary: more than 5% control bytes among the first BINARY_PROBE bytes
 * that are not NUL. NULs do not count either way: a log whose head a crash
 * filled with NULs is still a log, and random or compressed data has about
 * 10% other control bytes.
 */
static int looks_binary(const char *p, size_t n)
{
	size_t i, ctl = 0, seen = 0;

	for (i = 0; i < n && seen < BINARY_PROBE; i++) {
		unsigned char c = (unsigned char)p[i];

		if (!c)
			continue;
		seen++;
		if ((c < 0x20 && !strchr("\t\n\r\f\v\033", c)) || c == 0x7f)
			ctl++;
	}
	return ctl * 20 > seen;
}

int member_begin(struct walk *w, const char *path, int64_t mtime, int64_t size)
{
	w->m.path = path;
	w->m.mtime = mtime;
	w->m.size = size;
	w->m.section = NULL;
	w->deliver = w->v->want(w->v->ctx, &w->m);
	w->scc = 0;
	w->stop_member = 0;
	w->member_bytes = w->member_stored = 0;
	w->ratio_stop = 0;
	w->lineno = 0;
	w->first = 1;
	w->gz = 0;
	w->gz_done = 0;
	w->skipping_long = 0;
	buf_reset(&w->carry);
	w->bi->members++;
	if (w->deliver)
		w->bi->members_read++;
	else if (w->meta == META_NONE && scc_candidate(path)) {
		scc_begin(w);	/* read by sections; counted when one is wanted */
		w->deliver = 1;
	}
	return w->deliver || w->meta != META_NONE;
}

/* Deliver the whole lines of carry; keep the partial last one. */
static void flush_lines(struct walk *w, int at_end)
{
	char *last;
	size_t upto;
	uint64_t lines;

	if (!w->carry.len)
		return;
	if (at_end && w->carry.data[w->carry.len - 1] != '\n')
		buf_addch(&w->carry, '\n');
	last = memrchr(w->carry.data, '\n', w->carry.len);
	if (!last)
		return;
	upto = (size_t)(last - w->carry.data) + 1;
	lines = text_count_newlines(w->carry.data, upto);
	if (!w->stop_member) {
		if (w->scc)
			scc_lines(w, w->carry.data, upto, w->lineno + 1);
		else if (w->v->lines(w->v->ctx, &w->m, w->carry.data, upto, w->lineno + 1))
			w->stop_member = 1;
	}
	w->lineno += lines;
	buf_consume(&w->carry, upto);
}

/* Plain bytes of the member (after any inner gzip). */
static void push_text(struct walk *w, const char *data, size_t n)
{
	while (n && !w->stop_member) {
		size_t take;

		if (w->skipping_long) {
			const char *nl = memchr(data, '\n', n);

			if (!nl)
				return;
			n -= (size_t)(nl - data) + 1;
			data = nl + 1;
			w->skipping_long = 0;
			continue;
		}
		take = n < BUNDLE_BLOCK ? n : BUNDLE_BLOCK;
		buf_add(&w->carry, data, take);
		data += take;
		n -= take;
		if (w->carry.len >= BUNDLE_BLOCK)
			flush_lines(w, 0);
		if (w->carry.len > w->lim->line_cap && !memchr(w->carry.data, '\n', w->carry.len)) {
			/* one line longer than the cap: keep its start, drop the rest */
			w->carry.len = w->lim->line_cap;
			buf_addch(&w->carry, '\n');
			flush_lines(w, 0);
			w->skipping_long = 1;
			bundle_note(w->bi, "%s:%llu: line longer than %zu bytes, cut", w->m.path,
			     (unsigned long long)w->lineno, w->lim->line_cap);
		}
	}
}

int member_count(struct walk *w, size_t n)
{
	w->member_bytes += n;
	w->bi->bytes_read += n;
	if (w->bi->bytes_read > w->lim->total_cap) {
		buf_addf(w->err, "%s: the bundle's total decompressed size cap (%llu bytes) "
			 "was reached in '%s'; stopped reading (a decompression bomb?)\n",
			 w->bi->path, (unsigned long long)w->lim->total_cap, w->m.path);
		w->total_hit = 1;
		return CF_ERR_CAP;
	}
	if (w->member_bytes > w->lim->member_cap) {
		bundle_note(w->bi, "%s: member decompressed size cap (%llu bytes) reached; "
		     "the rest of it was skipped", w->m.path,
		     (unsigned long long)w->lim->member_cap);
		w->stop_member = 1;
	}
	return 0;
}

int member_push(struct walk *w, const char *data, size_t n)
{
	if (w->first && n) {
		w->first = 0;
		w->gz = n >= 2 && (unsigned char)data[0] == 0x1f && (unsigned char)data[1] == 0x8b;
		if (w->gz) {
			memset(&w->zs, 0, sizeof(w->zs));
			if (inflateInit2(&w->zs, 15 + 32) != Z_OK) {
				w->stop_member = 1;
				return 0;
			}
			if (!w->zout)
				w->zout = xmalloc(READ_CHUNK);
		} else if (w->deliver && looks_binary(data, n)) {
			bundle_note(w->bi, "%s: binary content, skipped", w->m.path);
			w->stop_member = 1;
			return 0;
		}
	}
	if (w->meta != META_NONE && buf_add(&w->meta_buf, data, n)) {
		bundle_note(w->bi, "%s: larger than %zu bytes, not read as metadata", w->m.path,
			    w->meta_buf.cap);
		w->meta = META_NONE;	/* too large to be ours */
		buf_reset(&w->meta_buf);
	}
	if (!w->gz) {
		int r = member_count(w, n);

		if (r)
			return r;
		if (w->deliver)
			push_text(w, data, n);
		return 0;
	}
	w->member_stored += n;
	w->zs.next_in = (Bytef *)data;
	w->zs.avail_in = (uInt)n;
	while (w->zs.avail_in && !w->stop_member && !w->gz_done) {
		int zr, r;
		size_t got;

		w->zs.next_out = (Bytef *)w->zout;
		w->zs.avail_out = READ_CHUNK;
		zr = inflate(&w->zs, Z_NO_FLUSH);
		got = READ_CHUNK - w->zs.avail_out;
		if ((r = member_count(w, got)))
			return r;
		if (w->member_bytes >= RATIO_MIN &&
		    w->member_bytes / (w->member_stored ? w->member_stored : 1) >= RATIO_MAX) {
			bundle_note(w->bi, "%s: inflates more than %d times its size (a "
				    "decompression bomb?); the rest of it was skipped", w->m.path,
				    RATIO_MAX);
			w->stop_member = w->ratio_stop = 1;
			break;
		}
		if (w->deliver && got) {
			if (w->lineno == 0 && w->carry.len == 0 && looks_binary(w->zout, got)) {
				bundle_note(w->bi, "%s: binary content, skipped", w->m.path);
				w->stop_member = 1;
				break;
			}
			push_text(w, w->zout, got);
		}
		if (zr == Z_STREAM_END) {
			/* concatenated gzip members continue the same text */
			if (w->zs.avail_in && inflateReset(&w->zs) == Z_OK)
				continue;
			w->gz_done = 1;
		} else if (zr != Z_OK && zr != Z_BUF_ERROR) {
			bundle_note(w->bi, "%s: corrupt gzip data after line %llu (%s); "
			     "the lines before it were read", w->m.path,
			     (unsigned long long)w->lineno, w->zs.msg ? w->zs.msg : "inflate error");
			w->stop_member = 1;
		}
	}
	return 0;
}

void member_end(struct walk *w)
{
	if (w->gz) {
		if (!w->gz_done && !w->stop_member)
			bundle_note(w->bi, "%s: gzip data ends early (truncated); the lines before "
			     "it were read", w->m.path);
		inflateEnd(&w->zs);
	}
	if (w->deliver && !w->stop_member)
		flush_lines(w, 1);
	buf_reset(&w->carry);
}

