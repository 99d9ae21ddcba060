/*
 * gzsrc.h: the gzip layer of an archive, inflated by zlib for libarchive
 * (intake.c reads every gzip-compressed archive through it).
 *
 * libarchive's own gzip filter stops at the tar end-of-archive and never
 * reads the gzip trailer, so a bundle with a bad CRC read as complete. Here
 * zlib inflates the stream (concatenated members too) and checks every
 * member's CRC-32 and length; gzsrc_finish() inflates what libarchive left
 * unread and says whether the stream was whole. It also counts compressed
 * and inflated bytes, for the reader's ratio cap.
 */
#ifndef GZSRC_H
#define GZSRC_H

#include <archive.h>
#include <stdint.h>
#include <zlib.h>

struct gzsrc {
	int fd;
	z_stream zs;
	unsigned char *in, *out;
	int eof_in, done, zinit;
	uint64_t in_total, out_total;
	int err;		/* CF_ERR_IO (a read failed), CF_ERR_PARSE (damage), or 0 */
	char msg[160];		/* why the stream is damaged, or "" */
};

/*
 * Inflate what fd gives (not closed by gzsrc_close), after the first
 * head_len bytes of the stream, already read into head. 0, or
 * CF_ERR_NOMEM (zlib could not start).
 */
int gzsrc_open(struct gzsrc *g, int fd, const void *head, size_t head_len);
/* The read callback for archive_read_open(): g is client data; -1 on damage (libarchive's way) */
la_ssize_t gzsrc_read(struct archive *a, void *g, const void **buf);
/* Inflate the rest; 0 when the stream was whole, else g->err with g->msg set. */
int gzsrc_finish(struct gzsrc *g);
void gzsrc_close(struct gzsrc *g);

#endif
