/*
 * collector.h: the state of one collection, shared by the files of
 * collect/ that fill it (collect.c runs the loop and the commands, files.c
 * the file sources, collector.c keeps the records). Not for other modules.
 */
#ifndef COLLECTOR_H
#define COLLECTOR_H

#include <jansson.h>
#include "buf.h"
#include "bwriter.h"
#include "collect.h"
#include "obfuscate.h"
#include "redact.h"

/* What a requirement's name or path came to on this host (require.c). */
struct require_answer {
	char *key;
	char *why;		/* NULL: it holds */
};

struct collector {
	const struct catalog *cat;
	const struct collect_opts *o;
	struct transport *t;
	struct collect_result *res;
	struct bwriter w;
	struct redactor *red;
	struct obf *obf;	/* --obfuscate, or NULL */
	json_t *items;		/* the manifest's records */
	struct buf log;		/* collect.log */
	struct buf scratch;	/* the progress line */
	int64_t start_ms;
	size_t done, total;	/* sources, for progress */
	size_t nproblems, aproblems;
	struct require_answer *answers;	/* requirements asked so far */
	size_t nanswers, aanswers;
};

/* One record of the manifest; pointers are borrowed for the call. */
struct item {
	const struct source *src;
	const char *path;	/* member path, NULL when nothing was written */
	const char *origin;	/* file path, or NULL for a command */
	json_t *argv;		/* command, or NULL (reference stolen) */
	enum item_status status;
	int exit_status;	/* -1: not applicable */
	const char *error;
	int64_t duration_ms;
	uint64_t bytes, original_bytes;
	const char *sha256;
	int truncated;
	long redactions;
};

/* Has a signal asked us to stop? */
int collector_stopped(const struct collector *c);
/* A line of collect.log: "  12.345 src: ...". */
void collector_note(struct collector *c, const char *src, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The status line, and the parent's progress callback. */
void collector_progress(struct collector *c, const char *src, const char *what);
/* Record an item in the manifest, the counts, collect.log and the problems. */
void collector_record(struct collector *c, const struct item *it);
/* An item with nothing written: absent, skipped, or failed before reading. */
void collector_record_status(struct collector *c, const struct source *s, const char *origin,
			     enum item_status status, const char *why);
/* Bytes the bundle may still take. */
uint64_t collector_budget(const struct collector *c);
enum redact_mode collector_mode(const struct collector *c, const struct source *s);
/*
 * What leaves the host: text redacted, then (--obfuscate) with the host's
 * names, addresses, MACs, users and serials replaced (obfuscate.h); the
 * source's own text first teaches the obfuscator (hostname, uname, hosts,
 * syslog). Returns redactions, or a negative CF_ERR_*.
 */
long collector_clean(struct collector *c, const struct source *s, struct redact_state *st,
		     const char *text, size_t len, struct buf *out);
/*
 * --obfuscate: start with the map (--map FILE when it exists) and what names
 * this host (its name, /etc/hostname, /etc/hosts and /etc/passwd when local;
 * the name it was reached by when remote). 0 or an error printed.
 */
int collector_obf_start(struct collector *c, const char *host);
/*
 * Redact a whole in-memory output and write it as one member (cut to its
 * end when the bundle's budget is short); fills path, bytes, sha256 (into
 * hex), truncated and redactions of it.
 */
int collector_write_memory(struct collector *c, const struct source *s, const char *path,
			   struct buf *data, struct item *it, char hex[SHA256_HEX_LEN + 1]);

/*
 * Why source s cannot apply on this host (require.c): the "why" of the
 * first of its requirements that does not hold, or NULL when it applies.
 * Each requirement is asked of the host once, then answered from memory.
 */
const char *require_unmet(struct collector *c, const struct source *s);
void require_release(struct collector *c);

/* Collect a file source (files.c). */
void files_collect(struct collector *c, const struct source *s);

#endif
