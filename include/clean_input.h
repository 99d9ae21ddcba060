/*
 * clean_input.h: the input of "casefile clean" member by member: an archive
 * through the reader of untrusted archives (intake.h: its formats, caps
 * and cleaned member paths), or a folder whose regular files are opened
 * with O_NOFOLLOW (devices are counted, links never followed). Member
 * paths are below the top folder, relative, without "..". A link whose
 * target stays inside (intake_link_clean()) is handed on as a link; one
 * that points outside is left out and named.
 */
#ifndef CLEAN_INPUT_H
#define CLEAN_INPUT_H

#include <stdint.h>
#include <sys/types.h>
#include "buf.h"

struct clean_input {
	const char *path;
	struct intake *in;		/* an archive */
	char **files;			/* a folder's regular files, relative */
	size_t next;
	int fd;
	char *top;			/* the top folder's name */
	char *rel;			/* the current member, below the top */
	char *link;			/* its target when it is a link to keep, cleaned */
	unsigned links;			/* hard links, devices, FIFOs left out */
	unsigned refused;		/* members refused: unsafe names, links out */
	struct buf why;			/* the first five refusals, "; " between */
};

struct catalog;

/* A folder or an archive; cat's host folders say which first folder is no top (or NULL). */
int clean_input_open(struct clean_input *in, const char *path, const struct catalog *cat,
		     struct buf *err);
/* 1 a member (in->rel; in->link when it is a link to keep), 0 the end, <0 an error in err. */
int clean_input_next(struct clean_input *in, int64_t *mtime, struct buf *err);
/* Bytes of the current member: a count, 0 at its end, <0 with the message in err. */
ssize_t clean_input_read(struct clean_input *in, char *buf, size_t n, struct buf *err);
void clean_input_close(struct clean_input *in);
/* Count a member left out, and why ("'x': '..' in its path"). */
void clean_input_refused(struct clean_input *in, const char *why);
/* Up to cap bytes of the current member into b; <0 (the message in err) when it cannot be read. */
int clean_read_member(struct clean_input *in, struct buf *b, size_t cap, struct buf *err);
/* The last component of path (the caller frees it). */
char *clean_base_of(const char *path);

#endif
