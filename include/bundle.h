/*
 * bundle.h: read a bundle without extracting it.
 *
 * A bundle is a casefile .tar.gz, a sosreport (.tar.xz, .tar.gz, .tar.bz2
 * or unpacked), a SUSE supportconfig (scc_*.txz, .tbz, .tgz or unpacked:
 * its *.txt files are read section by section, scc.c), or a plain
 * directory shaped like a host's file system; the
 * layout is recognised by the catalogue's "layouts:" (catalog.h).
 * Archives are read as a stream with libarchive; member
 * names are only compared, never used as paths to write. Compressed members
 * (rotated .gz logs) are decompressed on the fly.
 *
 * bundle_walk() calls want() for every regular member with its path
 * relative to the bundle's top ("var/log/syslog.2.gz"); for those wanted it
 * delivers the content as blocks of whole lines (each ends in '\n'; a last
 * line without one gets one) with the number of the block's first line.
 * Memory stays bounded: blocks are at most BUNDLE_BLOCK bytes plus one line;
 * a line that does not end within a block is cut at limits.line_cap (the
 * rest of it is skipped, with a note).
 *
 * Hostile input: a member's decompressed bytes are capped (the rest of it is
 * skipped, with a note), so is the bundle's total (the walk stops); binary
 * members are skipped; an archive error ends the walk with one message, and
 * what was read before it still counts.
 */
#ifndef BUNDLE_H
#define BUNDLE_H

#include <stddef.h>
#include <stdint.h>
#include "buf.h"
#include "catalog.h"

#define BUNDLE_BLOCK (1024 * 1024)

enum layout {
	LAYOUT_UNKNOWN,
	LAYOUT_CASEFILE,
	LAYOUT_SOSREPORT,
	LAYOUT_DIRECTORY,
	LAYOUT_SUPPORTCONFIG,
};

struct bundle_limits {
	uint64_t member_cap;	/* decompressed bytes per member */
	uint64_t total_cap;	/* decompressed bytes for the whole bundle */
	size_t line_cap;	/* longer lines are cut */
};

#define BUNDLE_DEFAULT_MEMBER_CAP (8ULL * 1024 * 1024 * 1024)
#define BUNDLE_DEFAULT_TOTAL_CAP (64ULL * 1024 * 1024 * 1024)
#define BUNDLE_DEFAULT_LINE_CAP (64 * 1024)

/* What the bundle says about itself, filled in as the walk goes. */
struct bundle_info {
	enum layout layout;
	char *path;		/* as given */
	char *hostname, *ticket, *problem;
	char *timezone;		/* the host's zone ("Europe/Berlin"), from its sources */
	int64_t collected_at;	/* epoch, 0 when unknown */
	int complete;		/* 0: the collection was interrupted */
	char **gaps;		/* "source: what was missing or truncated" */
	char **notes;		/* what the reader skipped or cut, and why */
	uint64_t bytes_read;	/* decompressed bytes seen */
	unsigned members, members_read;
};

struct member {
	const char *path;	/* relative to the bundle's top */
	const char *section;	/* a supportconfig section's label, or NULL */
	int64_t mtime;
	int64_t size;		/* as stored; -1 when unknown */
};

struct bundle_visitor {
	void *ctx;
	/* non-zero: deliver this member's lines */
	int (*want)(void *ctx, const struct member *m);
	/* a block of whole lines; non-zero stops the member */
	int (*lines)(void *ctx, const struct member *m, const char *data, size_t len,
		     uint64_t first_line);
};

const char *layout_name(enum layout l);

/* Note what the reader skipped or cut (at most 100 notes are kept). */
void bundle_note(struct bundle_info *bi, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A gap of the collection the bundle itself records (each said once, at most 200). */
void bundle_gap(struct bundle_info *bi, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void bundle_info_init(struct bundle_info *bi, const char *path);
void bundle_info_release(struct bundle_info *bi);

/*
 * Walk the bundle at path. Returns 0, or CF_ERR_IO / CF_ERR_ARCHIVE /
 * CF_ERR_CAP with the message (path, member, why) appended to err; what was
 * delivered before an error stands.
 */
int bundle_walk(const char *path, const struct catalog *cat, const struct bundle_limits *lim,
		const struct bundle_visitor *v, struct bundle_info *bi,
		struct buf *err);

#endif
