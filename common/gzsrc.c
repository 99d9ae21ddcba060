/*
 * gzsrc.c: an archive's gzip layer through zlib, checksums checked (see gzsrc.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "casefile.h"
#include "gzsrc.h"

#define GZ_CHUNK (256 * 1024)

int gzsrc_open(struct gzsrc *g, int fd, const void *head, size_t head_len)
{
	memset(g, 0, sizeof(*g));
	g->fd = fd;
	if (inflateInit2(&g->zs, 15 + 16) != Z_OK)
		return CF_ERR_NOMEM;
	g->zinit = 1;
	g->in = xmalloc(GZ_CHUNK > head_len ? GZ_CHUNK : head_len);
	g->out = xmalloc(GZ_CHUNK);
	memcpy(g->in, head, head_len);
	g->zs.next_in = g->in;
	g->zs.avail_in = (uInt)head_len;
	g->in_total = head_len;
	return 0;
}

/* The next bytes of the stream into g->in; -1 with g->err and g->msg set on a read error. */
static ssize_t fill(struct gzsrc *g)
{
	ssize_t n;

	do
		n = read(g->fd, g->in, GZ_CHUNK);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		snprintf(g->msg, sizeof(g->msg), "read failed: %s", strerror(errno));
		g->err = CF_ERR_IO;
		return -1;
	}
	g->eof_in = n == 0;
	g->zs.next_in = g->in;
	g->zs.avail_in = (uInt)n;
	g->in_total += (uint64_t)n;
	return n;
}

/* The next inflated bytes into g->out: their count, 0 at the end, -1 on damage. */
static long step(struct gzsrc *g)
{
	for (;;) {
		size_t got;
		int r;

		if (g->err)
			return -1;	/* the damage found with the bytes before it */
		if (g->done)
			return 0;
		if (!g->zs.avail_in && !g->eof_in && fill(g) < 0)
			return -1;
		g->zs.next_out = g->out;
		g->zs.avail_out = GZ_CHUNK;
		r = inflate(&g->zs, Z_NO_FLUSH);
		got = GZ_CHUNK - g->zs.avail_out;
		g->out_total += got;
		if (r == Z_STREAM_END) {
			/* another gzip member may follow (concatenated .gz) */
			if (g->zs.avail_in || !g->eof_in) {
				if (!g->zs.avail_in && fill(g) < 0)
					return -1;
				if (g->zs.avail_in)
					inflateReset(&g->zs);
				else
					g->done = 1;
			} else {
				g->done = 1;
			}
		} else if (r == Z_BUF_ERROR && g->eof_in && !g->zs.avail_in) {
			snprintf(g->msg, sizeof(g->msg), "the gzip stream ends early (truncated)");
			g->err = CF_ERR_PARSE;
		} else if (r != Z_OK && r != Z_BUF_ERROR) {
			snprintf(g->msg, sizeof(g->msg), "the gzip stream is damaged: %s",
				 g->zs.msg ? g->zs.msg : "inflate error");
			g->err = CF_ERR_PARSE;
		}
		if (got)
			return (long)got;
	}
}

la_ssize_t gzsrc_read(struct archive *a, void *data, const void **buf)
{
	struct gzsrc *g = data;
	long n = step(g);

	if (n < 0) {
		archive_set_error(a, EIO, "%s", g->msg);
		return -1;
	}
	*buf = g->out;
	return (la_ssize_t)n;
}

int gzsrc_finish(struct gzsrc *g)
{
	long n;

	if (g->err)
		return g->err;
	/* the tar ends before the gzip trailer: read on, to check the CRC */
	while ((n = step(g)) > 0)
		;
	return n < 0 ? g->err : 0;
}

void gzsrc_close(struct gzsrc *g)
{
	if (g->zinit)
		inflateEnd(&g->zs);
	free(g->in);
	free(g->out);
	memset(g, 0, sizeof(*g));
	g->fd = -1;
}
