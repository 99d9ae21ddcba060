/*
 * intake.h: the one way an archive made by someone else comes in.
 *
 * analyze (bundles, sosreports, supportconfigs), clean (the same) and the
 * check of what a host sent back from an in-place run all read archives
 * they cannot trust. They read them here, member by member, as a stream,
 * under one policy:
 *
 *  - Formats: those the policy names (tar in all its dialects, cpio, zip,
 *    7-Zip). Filters: only libarchive's own decoders (gzip, bzip2, xz,
 *    lzma, lzip, zstd, lz4, compress), never one that runs a program
 *    (lrzip, lzop, grzip). gzip goes through zlib (gzsrc.h), its CRC and
 *    length checked to the end of the stream; more than GZIP_LAYERS_MAX
 *    nested gzip layers are refused before libarchive sees them.
 *  - Caps: bytes inflated against bytes stored (a bomb), inflated bytes in
 *    all (read or skipped), members, a member path's length. JSON documents
 *    found inside are loaded with intake_json_load() (intake_json.c), which
 *    caps their size, depth and elements of every kind.
 *  - Member paths are cleaned before anyone sees them: no leading '/' or
 *    "./", no empty or "." components, no "..", no control characters;
 *    the archive's one top folder is taken off. A link's target is judged:
 *    it must stay inside the archive without help from another link (only
 *    leading ".." components, no more of them than the link is deep), and
 *    nothing may sit below a link.
 *
 * Every refusal is one message: the archive, the member, why. A refused
 * member comes back with e->refused set, and the reading goes on; a
 * refused archive (format, cap, damage) ends the reading with the message
 * in err. Member names are never used as paths to write by this module. *
 * analyze and clean take INTAKE_POLICY_DEFAULT (analyze's total from
 * --max-total-size, a catalogue's host folders for the top). A reader of
 * what casefile itself wrote elsewhere (the in-place run's bundle) narrows
 * it: .formats = INTAKE_TAR, .filters = INTAKE_GZIP, .top = the bundle's
 * name, .total_cap = what the items may hold; for it a refused member, or
 * one that is not INTAKE_FILE, is an error, and its manifest is read with
 * intake_json_load().
 */
#ifndef INTAKE_H
#define INTAKE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <jansson.h>
#include "buf.h"

enum intake_format {
	INTAKE_TAR = 1 << 0,	/* ustar, pax, GNU tar */
	INTAKE_CPIO = 1 << 1,
	INTAKE_ZIP = 1 << 2,
	INTAKE_7ZIP = 1 << 3,
};

enum intake_filter {
	INTAKE_GZIP = 1 << 0,	/* through zlib, CRC checked (gzsrc.h) */
	INTAKE_DECODERS = 1 << 1,	/* the rest of libarchive's own decoders */
};

struct intake_policy {
	unsigned formats;	/* enum intake_format bits */
	unsigned filters;	/* enum intake_filter bits; none: the archive is not compressed */
	uint64_t total_cap;	/* inflated bytes of all members, read or skipped */
	unsigned members_max;	/* entries of every kind */
	size_t path_max;	/* bytes of a member's name */
	unsigned ratio_max;	/* inflated / stored, once past ratio_floor bytes */
	uint64_t ratio_floor;
	/*
	 * The top folder. NULL: the first member's first folder is the top,
	 * unless host_folder() says it is one of a host's own folders ("var");
	 * members outside it keep their path. Otherwise every member must be
	 * inside this folder (any other is refused).
	 */
	const char *top;
	int (*host_folder)(const void *ctx, const char *name, size_t n);
	const void *ctx;
};

/* What analyze and clean read: the four formats, every built-in decoder. */
#define INTAKE_POLICY_DEFAULT { \
	.formats = INTAKE_TAR | INTAKE_CPIO | INTAKE_ZIP | INTAKE_7ZIP, \
	.filters = INTAKE_GZIP | INTAKE_DECODERS, \
	.total_cap = 64ULL << 30, \
	.members_max = 200000, \
	.path_max = 4096, \
	.ratio_max = 200, \
	.ratio_floor = 256ULL << 20, \
}

enum intake_type { INTAKE_FILE, INTAKE_DIR, INTAKE_SYMLINK, INTAKE_HARDLINK, INTAKE_OTHER };

struct intake_entry {
	const char *name;	/* as the archive spells it (for messages: escape it) */
	const char *path;	/* cleaned, below the top folder ("" is the top itself) */
	enum intake_type type;
	/* a link's target, cleaned: a symlink's relative to its folder, a hard link's a path */
	const char *link;
	/* a symlink's target as the archive spells it, refused or not: text to read, never to follow */
	const char *target;
	int64_t size;		/* as the archive says; -1 when it does not */
	int64_t mtime;
	const char *refused;	/* why the member may not be used, or NULL */
};

struct intake;

/*
 * Open the archive at path (followed if it is a link: the caller named it)
 * or read from fd (a file or a pipe; intake_free() does not close it).
 * 0, or a negative CF_ERR_* with one message line in err.
 */
int intake_open(struct intake **in, const char *path, const struct intake_policy *p,
		struct buf *err);
int intake_open_fd(struct intake **in, int fd, const char *label,
		   const struct intake_policy *p, struct buf *err);

/*
 * The next member: 1 with *e set (valid until the next call), 0 at the end
 * of a whole archive, or a negative CF_ERR_* with the message in err (a
 * damaged archive, a gzip stream whose CRC does not match, a cap).
 */
int intake_next(struct intake *in, const struct intake_entry **e, struct buf *err);
/*
 * Bytes of the current member: a count, 0 at its end, or a negative
 * CF_ERR_* with the message in err (damage, the total cap, the ratio).
 */
ssize_t intake_read(struct intake *in, void *buf, size_t n, struct buf *err);
/* Pass over the rest of the current member, counted against the caps. */
int intake_skip(struct intake *in, struct buf *err);
/* The top folder's name, or NULL (none yet, or the members have none). */
const char *intake_top(const struct intake *in);
/* Members handed out so far (entries of every kind). */
unsigned intake_count(const struct intake *in);
void intake_free(struct intake *in);

/* ---- names (intake_path.c), for readers of folders too ---- */

/*
 * A member's name cleaned into out: leading '/' and "./", empty and "."
 * components and a trailing '/' dropped. 0, or CF_ERR_PARSE with *why ("'..' in its
 * path", "control characters in its name", "its name is too long").
 */
int intake_path_clean(const char *name, size_t path_max, struct buf *out, const char **why);
/*
 * The target of a symbolic link at path (cleaned, below the top) judged
 * and cleaned into out. 0 when it stays inside: a relative target whose
 * ".." components all come first, no more of them than path's folder is
 * deep ("etc/mtab -> ../proc/mounts"). CF_ERR_PARSE with *why: an absolute target or
 * one that climbs out ("it points outside the archive"), '..' after a
 * folder name (where it lands depends on whether that folder is a link),
 * control characters, an empty or too long target.
 */
int intake_link_clean(const char *path, const char *target, size_t path_max, struct buf *out,
		      const char **why);

/* ---- JSON documents inside an archive (intake_json.c) ---- */

struct intake_json_caps {
	size_t bytes;		/* the document before parsing */
	unsigned depth;		/* arrays and objects inside each other */
	unsigned strings;	/* keys count as strings */
	unsigned numbers;	/* numbers, true, false, null */
	unsigned arrays, objects;
};

/* About 70 MB of jansson at most, whatever the shape of the document (measured). */
#define INTAKE_JSON_DEFAULT { \
	.bytes = 8u << 20, .depth = 64, .strings = 250000, .numbers = 250000, \
	.arrays = 60000, .objects = 60000, \
}

/*
 * Parse an untrusted JSON document within caps (NULL: the default): its
 * elements are counted before jansson allocates any; invalid UTF-8 is
 * replaced by U+FFFD, the rest kept. The document, or NULL with one
 * message in why ("more than 400000 strings", "not JSON: ... at line 3").
 */
json_t *intake_json_load(const char *data, size_t len, const struct intake_json_caps *caps,
			 struct buf *why);

#endif
