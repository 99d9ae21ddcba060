/*
 * casefile.h: what every part of casefile shares.
 *
 * Error convention: functions of the core return 0 (or a count) on success
 * and a negative CF_ERR_* code on failure; only the command layer (cmd_*.c)
 * decides to exit. cf_strerror() names a code. Messages for people go
 * through error() and warning(): lowercase, no final full stop, saying what
 * failed and on what. Messages pass text_term_add(): a file or host name
 * from a bundle cannot put control characters on the terminal.
 */
#ifndef CASEFILE_H
#define CASEFILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CASEFILE_VERSION "0.1.0"

/*
 * The exit statuses of the commands, as their man pages' EXIT STATUS
 * sections give them. Only cmd_*.c and main() return these.
 */
enum cf_exit {
	CF_EXIT_OK = 0,		/* it ran: collected, analyzed, cleaned, uploaded */
	CF_EXIT_FAILED = 1,	/* analyze: --fail-on was met; collect, upload: it failed */
	CF_EXIT_USAGE = 2,	/* a usage error: nothing was done */
	CF_EXIT_INPUT = 3,	/* an input could not be read (or collect's -o written) */
	CF_EXIT_SIGNAL = 128,	/* + N: stopped by signal N (collect's bundle is valid) */
};

enum cf_err {
	CF_OK = 0,
	CF_ERR_REPORTED = -1,	/* failed, and error() has said why */
	CF_ERR_IO = -2,		/* read/write/open failed, errno is set */
	CF_ERR_PARSE = -3,	/* malformed input (rule, catalogue, JSON) */
	CF_ERR_CAP = -4,	/* a size cap was reached */
	CF_ERR_TIMEOUT = -5,	/* a deadline passed */
	CF_ERR_USAGE = -6,	/* bad arguments */
	CF_ERR_ARCHIVE = -7,	/* libarchive reported an error */
	CF_ERR_NOTFOUND = -8,	/* no such file, source, rule or command */
	CF_ERR_DENIED = -9,	/* permission denied */
	CF_ERR_INTERRUPTED = -10, /* a signal asked us to stop */
	CF_ERR_SSH = -11,	/* libssh2 reported an error */
	CF_ERR_EXISTS = -12,	/* would replace an existing file */
	CF_ERR_NOMEM = -13,	/* allocation failed */
};

/* The name of a CF_ERR_* code, for messages. */
const char *cf_strerror(int err);

/* Print "casefile: error: ..." to stderr; return CF_ERR_REPORTED. */
int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* error() for each line of text (messages gathered in a buffer). */
int error_lines(const char *text);
/* Print "casefile: warning: ..." to stderr. */
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print "casefile: fatal: ..." and exit(128); for impossible states only. */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/*
 * -q: from now on cf_note() says nothing. Quiet hides progress and notes
 * only: errors and warnings always reach stderr.
 */
void cf_set_quiet(int on);
/* A note for people on stderr ("uploaded X to Y"), unless quiet; no prefix. */
void cf_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Allocation that dies on failure: only for small, bounded bookkeeping. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* NULL-terminated string lists (strv.c): free every string and the list. */
void strv_free(char **v);
size_t strv_len(char *const *v);
/* Split "a,b,c" into a strv; empty items are dropped. */
char **strv_split(const char *s, char sep);
/* Append s (taken over) to *v, which may be NULL. */
void strv_push(char ***v, char *s);

/* Growth of arrays: ALLOC_GROW(items, nr + 1, alloc). */
#define ALLOC_GROW(x, nr, alloc) \
	do { \
		if ((nr) > (alloc)) { \
			(alloc) = (alloc) < 8 ? 8 : (alloc) * 2; \
			if ((alloc) < (nr)) \
				(alloc) = (nr); \
			(x) = xrealloc((x), (alloc) * sizeof(*(x))); \
		} \
	} while (0)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* "12K", "4M", "1G" or plain bytes; -1 on a malformed size. */
int64_t parse_size(const char *s);
/* "30", "30s", "5m", "2h", "1d" in seconds; -1 when malformed. */
int64_t parse_duration(const char *s);
/* Human size "1.5M" into out (at least 16 bytes). */
const char *fmt_size(char *out, size_t n, uint64_t bytes);

/* Monotonic milliseconds, for deadlines and durations. */
int64_t now_ms(void);

/* Format a UTC time as 2026-11-20T03:12:09Z into out (at least 21 bytes). */
const char *fmt_utc(char *out, size_t n, int64_t t);

/*
 * Dates people type for --since: "2026-11-20", "2026-11-20 03:12[:09]",
 * "2026-11-20T03:12:09Z", or a duration back from now ("3d", "12h").
 */
int parse_since(const char *s, int64_t now, int64_t *out);

#include "banned.h"

#endif
