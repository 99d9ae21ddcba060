/*
 * buf.h: a growable byte buffer with a hard cap.
 *
 * Rules: after buf_init() the data pointer is never NULL and the contents
 * are always NUL-terminated (the NUL is not counted in len). Every append
 * fails with CF_ERR_CAP instead of growing past cap, leaving the buffer as it
 * was; a cap of 0 means "no cap" and is only for data we produce ourselves.
 * Running out of memory is fatal (die()), like git's strbuf: callers check
 * for the cap, never for allocation.
 * Everything read from a customer's machine or a bundle goes through a
 * capped buffer. buf_detach() hands the memory over to the caller.
 */
#ifndef BUF_H
#define BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;
	size_t len;
	size_t alloc;
	size_t cap;
};

extern char buf_empty[];
#define BUF_INIT(c) { buf_empty, 0, 0, (c) }

void buf_init(struct buf *b, size_t cap);
void buf_release(struct buf *b);
/* Forget the contents, keep the memory. */
void buf_reset(struct buf *b);
/* Hand the data over (never NULL); the buffer is left empty. */
char *buf_detach(struct buf *b, size_t *len);

int buf_grow(struct buf *b, size_t extra);
int buf_add(struct buf *b, const void *data, size_t n);
int buf_addstr(struct buf *b, const char *s);
int buf_addch(struct buf *b, int c);
int buf_addf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int buf_vaddf(struct buf *b, const char *fmt, va_list ap);
/*
 * Append a whole file (up to the buffer's cap): CF_ERR_IO with errno set
 * when it cannot be opened or read, CF_ERR_CAP when it is larger.
 */
int buf_read_file(struct buf *b, const char *path);
/* Drop the first n bytes. */
void buf_consume(struct buf *b, size_t n);

/*
 * A ring that keeps the last cap bytes written to it: the end of a log or a
 * command's output is what matters. dropped counts what fell off the front.
 * Its memory grows with what is written, up to cap (a small output of a
 * source with a large cap costs what it holds).
 */
struct tailbuf {
	char *data;
	size_t cap, alloc;
	size_t start;
	size_t len;
	size_t dropped;
};

void tailbuf_init(struct tailbuf *t, size_t cap);
void tailbuf_release(struct tailbuf *t);
void tailbuf_add(struct tailbuf *t, const void *data, size_t n);
/*
 * Move the contents into out (which must be empty) in order. When bytes were
 * dropped, the partial first line is dropped too, so the result starts at a
 * line. The ring is emptied.
 */
int tailbuf_to_buf(struct tailbuf *t, struct buf *out);

#endif
