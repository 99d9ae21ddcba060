/*
 * buf.c: capped growable buffers and the tail ring (see buf.h for the rules).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "casefile.h"
#include "buf.h"

char buf_empty[1];

void buf_init(struct buf *b, size_t cap)
{
	b->data = buf_empty;
	b->len = 0;
	b->alloc = 0;
	b->cap = cap;
}

void buf_release(struct buf *b)
{
	if (b->alloc)
		free(b->data);
	buf_init(b, b->cap);
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->alloc)
		b->data[0] = '\0';
}

char *buf_detach(struct buf *b, size_t *len)
{
	char *p;

	if (len)
		*len = b->len;
	if (!b->alloc)
		p = xcalloc(1, 1);
	else
		p = b->data;
	buf_init(b, b->cap);
	return p;
}

int buf_grow(struct buf *b, size_t extra)
{
	size_t want, n;
	char *p;

	if (extra > SIZE_MAX - b->len - 1)
		return CF_ERR_CAP;
	want = b->len + extra;
	if (b->cap && want > b->cap)
		return CF_ERR_CAP;
	if (want + 1 <= b->alloc)
		return 0;
	n = b->alloc < 64 ? 64 : b->alloc;
	while (n < want + 1)
		n = n > SIZE_MAX / 2 ? want + 1 : n * 2;
	if (b->cap && n > b->cap + 1)
		n = b->cap + 1;
	p = xrealloc(b->alloc ? b->data : NULL, n);
	if (!b->alloc)
		p[0] = '\0';
	b->data = p;
	b->alloc = n;
	return 0;
}

int buf_add(struct buf *b, const void *data, size_t n)
{
	int r = buf_grow(b, n);

	if (r)
		return r;
	if (n)
		memcpy(b->data + b->len, data, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int buf_addstr(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int buf_addch(struct buf *b, int c)
{
	char ch = (char)c;

	return buf_add(b, &ch, 1);
}

int buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n, r;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return CF_ERR_PARSE;
	r = buf_grow(b, (size_t)n);
	if (r)
		return r;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = buf_vaddf(b, fmt, ap);
	va_end(ap);
	return r;
}

void buf_consume(struct buf *b, size_t n)
{
	if (n >= b->len) {
		buf_reset(b);
		return;
	}
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
	b->data[b->len] = '\0';
}

#define TAILBUF_FIRST (64 * 1024)

void tailbuf_init(struct tailbuf *t, size_t cap)
{
	memset(t, 0, sizeof(*t));
	t->cap = cap ? cap : 1;
	t->alloc = t->cap < TAILBUF_FIRST ? t->cap : TAILBUF_FIRST;
	t->data = xmalloc(t->alloc);
}

/*
 * Room for need bytes (at most cap). Until the ring is first full it has
 * never wrapped (start is 0), so growing keeps its bytes in place.
 */
static void tailbuf_reserve(struct tailbuf *t, size_t need)
{
	size_t a = t->alloc;

	if (need > t->cap)
		need = t->cap;
	if (need <= a)
		return;
	while (a < need)
		a = a > t->cap / 2 ? t->cap : a * 2;
	t->data = xrealloc(t->data, a);
	t->alloc = a;
}

void tailbuf_release(struct tailbuf *t)
{
	free(t->data);
	memset(t, 0, sizeof(*t));
}

void tailbuf_add(struct tailbuf *t, const void *data, size_t n)
{
	const char *p = data;

	tailbuf_reserve(t, t->len + n < t->len ? t->cap : t->len + n);
	if (n >= t->cap) {
		t->dropped += t->len + (n - t->cap);
		memcpy(t->data, p + (n - t->cap), t->cap);
		t->start = 0;
		t->len = t->cap;
		return;
	}
	while (n) {
		size_t end = (t->start + t->len) % t->cap;
		size_t chunk = t->cap - end;

		if (chunk > n)
			chunk = n;
		memcpy(t->data + end, p, chunk);
		p += chunk;
		n -= chunk;
		if (t->len + chunk > t->cap) {
			size_t over = t->len + chunk - t->cap;

			t->start = (t->start + over) % t->cap;
			t->dropped += over;
			t->len = t->cap;
		} else {
			t->len += chunk;
		}
	}
}

int tailbuf_to_buf(struct tailbuf *t, struct buf *out)
{
	size_t first = t->cap - t->start;
	size_t skip = 0;
	int r;

	if (first > t->len)
		first = t->len;
	r = buf_grow(out, t->len);
	if (r)
		return r;
	buf_add(out, t->data + t->start, first);
	buf_add(out, t->data, t->len - first);
	if (t->dropped) {
		char *nl = memchr(out->data, '\n', out->len);

		skip = nl ? (size_t)(nl - out->data) + 1 : 0;
		buf_consume(out, skip);
	}
	t->start = t->len = 0;
	return 0;
}

int buf_read_file(struct buf *b, const char *path)
{
	char chunk[8192];
	size_t n;
	FILE *f = fopen(path, "rb");
	int r = 0;

	if (!f)
		return CF_ERR_IO;
	while (!r && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		r = buf_add(b, chunk, n);
	if (!r && ferror(f))
		r = CF_ERR_IO;
	fclose(f);
	return r;
}
