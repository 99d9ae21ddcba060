/*
 * member.h: one member of a bundle, bytes in, blocks of lines out
 * (member.c). The walk (bundle.c) hands a member's bytes as stored; an
 * inner gzip (a rotated log) is inflated on the fly, binary content is
 * skipped, lines longer than limits.line_cap are cut, and every byte
 * counts against the member's and the bundle's caps. Whole lines go to the
 * visitor (bundle.h) in blocks of up to BUNDLE_BLOCK bytes, or through the
 * supportconfig splitter (scc.h) for a top-level *.txt. A gzip stream that
 * is damaged or cut short ends the member where it broke: the lines before
 * it are delivered and the member is named with the line and byte where
 * reading stopped (bundle_damage(): the walk then ends in an error, the
 * report says it covers only what was read).
 */
#ifndef MEMBER_H
#define MEMBER_H

#include <stdint.h>
#include <zlib.h>
#include "buf.h"
#include "bundle_info.h"
#include "scc.h"

/* Bytes read from a member at once. */
#define MEMBER_CHUNK (256 * 1024)

/* A member that is gzip inside the bundle. */
struct member_gz {
	int on, done;
	z_stream zs;
	char *out;		/* MEMBER_CHUNK bytes, kept for the next member */
	uint64_t stored;	/* bytes as stored, for the ratio */
};

struct member_reader {
	/* for the whole walk */
	const struct bundle_limits *lim;
	const struct bundle_visitor *v;
	struct bundle_info *bi;
	struct buf *err;
	struct scc *scc;
	/* the member being read */
	struct member m;
	int deliver;		/* the visitor wants its lines (or the splitter does) */
	int sectioned;		/* its lines go through the splitter */
	int stop;		/* binary, capped, damaged, or the visitor said stop */
	int bomb;		/* it inflates like a bomb: skip it, count it no further */
	int first;		/* no byte seen yet */
	int tzif;		/* a compiled time zone: kept whole, read as its rule */
	int skipping_long;	/* inside a line past line_cap */
	uint64_t bytes;		/* decompressed, counted against member_cap */
	uint64_t lineno;	/* lines delivered so far */
	struct member_gz gz;
	struct buf carry;	/* a partial last line (capped: a block and a line) */
};

void member_reader_init(struct member_reader *mr, const struct bundle_limits *lim,
			const struct bundle_visitor *v, struct bundle_info *bi,
			struct scc *scc, struct buf *err);
void member_reader_release(struct member_reader *mr);
/* Start a member; non-zero when its lines are wanted. */
int member_begin(struct member_reader *mr, const char *path, int64_t mtime, int64_t size);
/*
 * A symbolic link (never followed): its target is its one line, for the
 * sources whose facts read it (/etc/localtime -> .../zoneinfo/Europe/Berlin).
 */
void member_link(struct member_reader *mr, const char *path, int64_t mtime, const char *target);
/* Bytes of the member as stored; CF_ERR_CAP when the bundle's cap is hit. */
int member_push(struct member_reader *mr, const char *data, size_t n);
/* Count bytes that are passed over, against the caps; CF_ERR_CAP as above. */
int member_count(struct member_reader *mr, size_t n);
/* Deliver the last line; a gzip stream that ended early is damage. */
void member_end(struct member_reader *mr);

#endif
