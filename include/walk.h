/*
 * walk.h: the state of one walk over a bundle, shared by the two halves of
 * the reader: bundle.c finds the members (archive or directory) and reads
 * the bundle's own metadata; member.c turns a member's bytes into blocks of
 * lines for the visitor. Not for other modules: they use bundle.h.
 */
#ifndef WALK_H
#define WALK_H

#include <stdint.h>
#include <zlib.h>
#include "buf.h"
#include "bundle.h"
#include "catalog.h"

#define READ_CHUNK (256 * 1024)
/* A decompression bomb: past RATIO_MIN inflated bytes, more than RATIO_MAX
 * times what they were inflated from. */
#define RATIO_MIN (256ULL * 1024 * 1024)
#define RATIO_MAX 200

/* Members the reader itself reads for what the bundle says about itself. */
enum meta { META_NONE, META_CASEFILE_MANIFEST, META_SOS_MANIFEST, META_SOS_HOSTNAME };

struct walk {
	const struct catalog *cat;	/* layouts, host folders */
	const struct bundle_limits *lim;
	const struct bundle_visitor *v;
	struct bundle_info *bi;
	struct buf *err;
	/* the member being read */
	struct member m;
	enum meta meta;		/* set before member_begin() */
	int deliver;		/* the visitor wants the lines */
	int stop_member;	/* binary, capped, or the visitor said stop */
	uint64_t member_bytes;	/* decompressed, counted against member_cap */
	uint64_t member_stored;	/* as stored, for the ratio of an inner .gz */
	int ratio_stop;		/* the member is a bomb: skip it, do not count it */
	uint64_t lineno;	/* lines delivered so far */
	int first;		/* no byte seen yet */
	int gz;			/* member content is gzip */
	int gz_done;
	z_stream zs;
	struct buf carry;	/* a partial last line (capped: a block and a line) */
	struct buf meta_buf;	/* a metadata member's raw bytes (capped) */
	int skipping_long;	/* inside a line past line_cap */
	char *zout;
	int total_hit;
	int sos_manifest_read;	/* its gaps are taken once */
	/* a supportconfig file: its sections are members of their own (scc.c) */
	int scc;		/* 0, SCC_PROBE (the first line tells) or SCC_SECTIONS */
	int scc_state, scc_command, scc_counted;
	struct member scc_m;	/* the open section */
	struct buf scc_label;
};

#define SCC_PROBE 1
#define SCC_SECTIONS 2

/* Is this member a supportconfig file to read by sections ("x.txt" at the top)? */
int scc_candidate(const char *path);
/* The host's name from supportconfig's folder name (scc_HOST_YYMMDD_HHMM). */
void scc_hostname(struct bundle_info *bi, const char *folder);
/* Start reading a member by sections. */
void scc_begin(struct walk *w);
/* A block of whole lines of a sectioned member: each wanted section's lines
 * go to the visitor as its own member. */
void scc_lines(struct walk *w, const char *data, size_t len, uint64_t lineno);

/* Which metadata member path is, if any (meta.c). */
enum meta meta_of(const char *path);
/* The member was read: parse w->meta_buf as its kind of metadata (meta.c). */
void meta_end(struct walk *w);

/* Start a member; non-zero when its bytes are wanted (lines or metadata). */
int member_begin(struct walk *w, const char *path, int64_t mtime, int64_t size);
/* Bytes of the member as stored; CF_ERR_CAP when the bundle's cap is hit. */
int member_push(struct walk *w, const char *data, size_t n);
/* Count bytes that are skipped, against the caps; CF_ERR_CAP as above. */
int member_count(struct walk *w, size_t n);
/* Deliver the last line, note a gzip stream that ended early. */
void member_end(struct walk *w);

#endif
