/*
 * bundle_info.h: what a walk over a bundle hands on (bundle_info.c): the
 * bundle_info it fills in (what the bundle says about itself, what the
 * reader skipped and why), the members and the visitor that gets their
 * lines, and the limits of the walk. See bundle.h for the walk itself.
 */
#ifndef BUNDLE_INFO_H
#define BUNDLE_INFO_H

#include <stddef.h>
#include <stdint.h>

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
	char **damaged;		/* members read only in part: where reading stopped, why */
	uint64_t bytes_read;	/* decompressed bytes seen */
	unsigned members, members_read;
};

struct member {
	const char *path;	/* relative to the bundle's top */
	const char *section;	/* a supportconfig section's label, or NULL */
	int64_t mtime;
	int64_t size;		/* as stored; -1 when unknown */
	int link;		/* a symbolic link: its target is its one line, read for facts */
};

struct bundle_visitor {
	void *ctx;
	/* non-zero: deliver this member's lines */
	int (*want)(void *ctx, const struct member *m);
	/* a block of whole lines; non-zero stops the member */
	int (*lines)(void *ctx, const struct member *m, const char *data, size_t len,
		     uint64_t first_line);
};

/* Note what the reader skipped or cut (at most 100 notes are kept). */
void bundle_note(struct bundle_info *bi, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A gap of the collection the bundle itself records (each said once, at most 200). */
void bundle_gap(struct bundle_info *bi, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * A member that could be read only in part (a damaged or cut gzip stream):
 * where reading stopped and why. Also a note; at most 100 are kept. The
 * walk then ends in CF_ERR_ARCHIVE: the report covers what was read.
 */
void bundle_damage(struct bundle_info *bi, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void bundle_info_init(struct bundle_info *bi, const char *path);
void bundle_info_release(struct bundle_info *bi);

#endif
