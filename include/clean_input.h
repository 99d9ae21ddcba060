/*
 * clean_input.h: the input of "casefile clean" member by member: an archive
 * through libarchive (a recursive gzip refused first), or a folder whose
 * regular files are opened with O_NOFOLLOW (links and devices are counted,
 * never followed). Member paths are below the top folder, relative, without
 * "..".
 */
#ifndef CLEAN_INPUT_H
#define CLEAN_INPUT_H

#include <stdint.h>
#include <sys/types.h>
#include "buf.h"

struct clean_input {
	const char *path;
	struct archive *a;
	char **files;			/* a folder's regular files, relative */
	size_t next;
	int fd;
	char *top;			/* the top folder's name */
	char *rel;			/* the current member, below the top */
	unsigned links;			/* links and devices left out */
};

int clean_input_open(struct clean_input *in, const char *path, struct buf *err);
/* 1 a regular member (in->rel), 0 the end, <0 an error in err. */
int clean_input_next(struct clean_input *in, int64_t *mtime, struct buf *err);
ssize_t clean_input_read(struct clean_input *in, char *buf, size_t n);
void clean_input_close(struct clean_input *in);
/* Up to cap bytes of the current member into b; -1 when it cannot be read. */
int clean_read_member(struct clean_input *in, struct buf *b, size_t cap);
/* The last component of path (the caller frees it). */
char *clean_base_of(const char *path);

#endif
