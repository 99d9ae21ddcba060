/*
 * member.c: one member of a bundle, bytes in, blocks of whole lines out
 * (see member.h).
 */
#include <string.h>
#include <zlib.h>
#include "buf.h"
#include "bundle_info.h"
#include "casefile.h"
#include "text.h"
#include "timestamp.h"
#include "member.h"

#define BINARY_PROBE 8192
/* A decompression bomb: past RATIO_MIN inflated bytes, more than RATIO_MAX
 * times what they were inflated from. */
#define RATIO_MIN (256ULL * 1024 * 1024)
#define RATIO_MAX 200
/* A compiled time zone (TZif, tzfile(5)): a few KiB; past this it is not one. */
#define TZIF_MAX (64 * 1024)

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

void member_reader_init(struct member_reader *mr, const struct bundle_limits *lim,
			const struct bundle_visitor *v, struct bundle_info *bi,
			struct scc *scc, struct buf *err)
{
	memset(mr, 0, sizeof(*mr));
	mr->lim = lim;
	mr->v = v;
	mr->bi = bi;
	mr->scc = scc;
	mr->err = err;
	buf_init(&mr->carry, BUNDLE_BLOCK + lim->line_cap + 2);
}

void member_reader_release(struct member_reader *mr)
{
	buf_release(&mr->carry);
	free(mr->gz.out);
}

static int begin(struct member_reader *mr, const char *path, int64_t mtime, int64_t size,
		 int link)
{
	mr->m.path = path;
	mr->m.mtime = mtime;
	mr->m.size = size;
	mr->m.section = NULL;
	mr->m.link = link;
	mr->deliver = mr->v->want(mr->v->ctx, &mr->m);
	mr->sectioned = 0;
	mr->tzif = 0;
	mr->stop = 0;
	mr->bytes = 0;
	mr->bomb = 0;
	mr->lineno = 0;
	mr->first = 1;
	mr->gz.on = mr->gz.done = 0;
	mr->gz.stored = 0;
	mr->skipping_long = 0;
	buf_reset(&mr->carry);
	mr->bi->members++;
	if (mr->deliver) {
		mr->bi->members_read++;
	} else if (!link && scc_candidate(path)) {
		scc_begin(mr->scc, &mr->m);	/* read by sections; counted when one is wanted */
		mr->deliver = mr->sectioned = 1;
	}
	return mr->deliver;
}

int member_begin(struct member_reader *mr, const char *path, int64_t mtime, int64_t size)
{
	return begin(mr, path, mtime, size, 0);
}


/* Deliver the whole lines of carry; keep the partial last one. */
static void flush_lines(struct member_reader *mr, int at_end)
{
	char *last;
	size_t upto;
	uint64_t lines;

	if (!mr->carry.len)
		return;
	if (at_end && mr->carry.data[mr->carry.len - 1] != '\n')
		buf_addch(&mr->carry, '\n');
	last = memrchr(mr->carry.data, '\n', mr->carry.len);
	if (!last)
		return;
	upto = (size_t)(last - mr->carry.data) + 1;
	lines = text_count_newlines(mr->carry.data, upto);
	if (!mr->stop) {
		if (mr->sectioned)
			mr->stop = scc_lines(mr->scc, mr->carry.data, upto, mr->lineno + 1);
		else if (mr->v->lines(mr->v->ctx, &mr->m, mr->carry.data, upto, mr->lineno + 1))
			mr->stop = 1;
	}
	mr->lineno += lines;
	buf_consume(&mr->carry, upto);
}

/* Plain bytes of the member (after any inner gzip). */
static void push_text(struct member_reader *mr, const char *data, size_t n)
{
	while (n && !mr->stop) {
		size_t take;

		if (mr->skipping_long) {
			const char *nl = memchr(data, '\n', n);

			if (!nl)
				return;
			n -= (size_t)(nl - data) + 1;
			data = nl + 1;
			mr->skipping_long = 0;
			continue;
		}
		take = n < BUNDLE_BLOCK ? n : BUNDLE_BLOCK;
		buf_add(&mr->carry, data, take);
		data += take;
		n -= take;
		if (mr->carry.len >= BUNDLE_BLOCK)
			flush_lines(mr, 0);
		if (mr->carry.len > mr->lim->line_cap && !memchr(mr->carry.data, '\n', mr->carry.len)) {
			/* one line longer than the cap: keep its start, drop the rest */
			mr->carry.len = mr->lim->line_cap;
			buf_addch(&mr->carry, '\n');
			flush_lines(mr, 0);
			mr->skipping_long = 1;
			bundle_note(mr->bi, "%s:%llu: line longer than %zu bytes, cut", mr->m.path,
			     (unsigned long long)mr->lineno, mr->lim->line_cap);
		}
	}
}

/*
 * The member's gzip stream broke: the lines before the damage are
 * delivered (a cut stream's last line too, at_end), the member is named
 * with where reading stopped, and the rest of it is not read.
 */
static void damaged(struct member_reader *mr, const char *why, int at_end)
{
	if (mr->deliver && !mr->stop)
		flush_lines(mr, at_end);
	bundle_damage(mr->bi, "%s: gzip data %s%s after line %llu (byte %llu of its text); the "
		      "lines before it were read", mr->m.path, at_end ? "" : "damaged: ", why,
		      (unsigned long long)mr->lineno, (unsigned long long)mr->bytes);
	mr->stop = 1;
}

int member_count(struct member_reader *mr, size_t n)
{
	mr->bytes += n;
	mr->bi->bytes_read += n;
	if (mr->bi->bytes_read > mr->lim->total_cap) {
		buf_addf(mr->err, "%s: the total decompressed size cap (%llu bytes) was reached "
			 "in '%s'; stopped reading (a decompression bomb?)\n", mr->bi->path,
			 (unsigned long long)mr->lim->total_cap, mr->m.path);
		return CF_ERR_CAP;
	}
	if (mr->bytes > mr->lim->member_cap) {
		bundle_note(mr->bi, "%s: member decompressed size cap (%llu bytes) reached; "
		     "the rest of it was skipped", mr->m.path,
		     (unsigned long long)mr->lim->member_cap);
		mr->stop = 1;
	}
	return 0;
}

/* A TZif file is kept whole: its last line is the zone's POSIX rule. */
static void keep_tzif(struct member_reader *mr, const char *data, size_t n)
{
	if (mr->stop)
		return;
	if (mr->carry.len + n > TZIF_MAX || buf_add(&mr->carry, data, n)) {
		bundle_note(mr->bi, "%s: binary content, skipped", mr->m.path);
		buf_reset(&mr->carry);
		mr->stop = 1;
	}
}

/* The rule of a whole TZif file as the member's one line ("CET-1CEST,M3.5.0,M10.5.0/3"). */
static void tzif_rule(struct member_reader *mr)
{
	char rule[64];

	if (ts_zone_of_tzif(mr->carry.data, mr->carry.len, rule, sizeof(rule))) {
		bundle_note(mr->bi, "%s: a compiled time zone without a rule at its end "
			    "(TZif version 1?), skipped", mr->m.path);
		buf_reset(&mr->carry);
		mr->stop = 1;
		return;
	}
	buf_reset(&mr->carry);
	buf_addf(&mr->carry, "%s\n", rule);
}

int member_push(struct member_reader *mr, const char *data, size_t n)
{
	if (mr->first && n) {
		mr->first = 0;
		mr->gz.on = n >= 2 && (unsigned char)data[0] == 0x1f && (unsigned char)data[1] == 0x8b;
		if (mr->gz.on) {
			memset(&mr->gz.zs, 0, sizeof(mr->gz.zs));
			if (inflateInit2(&mr->gz.zs, 15 + 32) != Z_OK) {
				mr->stop = 1;
				return 0;
			}
			if (!mr->gz.out)
				mr->gz.out = xmalloc(MEMBER_CHUNK);
		} else if (mr->deliver && !mr->sectioned && n >= 4 && !memcmp(data, "TZif", 4)) {
			mr->tzif = 1;	/* read whole, then as the rule its footer holds */
		} else if (mr->deliver && looks_binary(data, n)) {
			bundle_note(mr->bi, "%s: binary content, skipped", mr->m.path);
			mr->stop = 1;
			return 0;
		}
	}
	if (!mr->gz.on) {
		int r = member_count(mr, n);

		if (r)
			return r;
		if (mr->tzif)
			keep_tzif(mr, data, n);
		else if (mr->deliver)
			push_text(mr, data, n);
		return 0;
	}
	mr->gz.stored += n;
	mr->gz.zs.next_in = (Bytef *)data;
	mr->gz.zs.avail_in = (uInt)n;
	while (mr->gz.zs.avail_in && !mr->stop && !mr->gz.done) {
		int zr, r;
		size_t got;

		mr->gz.zs.next_out = (Bytef *)mr->gz.out;
		mr->gz.zs.avail_out = MEMBER_CHUNK;
		zr = inflate(&mr->gz.zs, Z_NO_FLUSH);
		got = MEMBER_CHUNK - mr->gz.zs.avail_out;
		if ((r = member_count(mr, got)))
			return r;
		if (mr->bytes >= RATIO_MIN &&
		    mr->bytes / (mr->gz.stored ? mr->gz.stored : 1) >= RATIO_MAX) {
			bundle_note(mr->bi, "%s: inflates more than %d times its size (a "
				    "decompression bomb?); the rest of it was skipped", mr->m.path,
				    RATIO_MAX);
			mr->stop = mr->bomb = 1;
			break;
		}
		if (mr->deliver && got) {
			if (mr->lineno == 0 && mr->carry.len == 0 && looks_binary(mr->gz.out, got)) {
				bundle_note(mr->bi, "%s: binary content, skipped", mr->m.path);
				mr->stop = 1;
				break;
			}
			push_text(mr, mr->gz.out, got);
		}
		if (zr == Z_STREAM_END) {
			/* concatenated gzip members continue the same text */
			if (mr->gz.zs.avail_in && inflateReset(&mr->gz.zs) == Z_OK)
				continue;
			mr->gz.done = 1;
		} else if (zr != Z_OK && zr != Z_BUF_ERROR) {
			damaged(mr, mr->gz.zs.msg ? mr->gz.zs.msg : "inflate error", 0);
		}
	}
	return 0;
}

void member_end(struct member_reader *mr)
{
	if (mr->gz.on) {
		if (!mr->gz.done && !mr->stop)
			damaged(mr, "cut short", 1);
		inflateEnd(&mr->gz.zs);
	}
	if (mr->tzif && !mr->stop)
		tzif_rule(mr);
	if (mr->deliver && !mr->stop)
		flush_lines(mr, 1);
	buf_reset(&mr->carry);
}

void member_link(struct member_reader *mr, const char *path, int64_t mtime, const char *target)
{
	size_t n = strnlen(target, mr->lim->line_cap);

	if (!begin(mr, path, mtime, (int64_t)n, 1) || mr->sectioned)
		return;
	mr->first = 0;
	push_text(mr, target, n);
	member_end(mr);
}
