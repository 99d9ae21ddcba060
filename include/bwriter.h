/*
 * bwriter.h: write a casefile bundle (tar + gzip through libarchive) as a
 * stream, member by member, with no temporary copy of the data on disk.
 *
 * The archive is written to DIR/NAME.tar.gz.part (mode 0600, created
 * exclusively) and renamed to DIR/NAME.tar.gz by bwriter_finish(), which
 * also writes DIR/NAME.tar.gz.sha256 ("<hex>  NAME.tar.gz"). A crash leaves
 * only a .part file, never one that looks complete. Member paths are
 * prefixed with "NAME/".
 */
#ifndef BWRITER_H
#define BWRITER_H

#include <stddef.h>
#include <stdint.h>
#include "hash.h"

struct bwriter {
	struct archive *a;
	int fd;
	char *dir, *name, *part_path, *final_path;
	struct sha256 hash;	/* of the compressed stream, as written */
	uint64_t compressed;	/* bytes written to the file */
	uint64_t member_left;	/* bytes still owed to the open member */
	int in_member;
};

int bwriter_open(struct bwriter *w, const char *dir, const char *name);
/*
 * The same archive written to fd after the line header (a pipe: the
 * collector on a remote host, collect --inplace); bwriter_finish() then
 * renames nothing and writes no .sha256, the reader checks what it got.
 */
int bwriter_open_stream(struct bwriter *w, int fd, const char *header, const char *name);
/*
 * bwriter_open() under *name, or *name-2, -3, ... when taken (two
 * collections of a host in one second); *name becomes the one opened.
 * raw: the receiving end, filled with a tar.gz made elsewhere
 * (bwriter_write_raw), then renamed and summed by bwriter_finish() like
 * one of ours. CF_ERR_EXISTS when all 99 are taken.
 */
int bwriter_open_free(struct bwriter *w, const char *dir, char **name, int raw);
int bwriter_write_raw(struct bwriter *w, const void *data, size_t n);
/* Start a member of exactly size bytes at NAME/relpath. */
int bwriter_begin(struct bwriter *w, const char *relpath, uint64_t size, int64_t mtime);
/* Write at most what the member still owes (the rest is refused). */
int bwriter_write(struct bwriter *w, const void *data, size_t n);
/* Close the member, padding with newlines if it is short. */
int bwriter_end(struct bwriter *w);
/* A whole member from memory. */
int bwriter_add(struct bwriter *w, const char *relpath, const void *data,
		size_t n, int64_t mtime);
/*
 * A symbolic link at NAME/relpath to target, as given: the caller judged it
 * (clean keeps only links that stay inside the bundle, intake.h).
 */
int bwriter_link(struct bwriter *w, const char *relpath, const char *target, int64_t mtime);
/* Close the archive, rename it into place and write the .sha256. */
int bwriter_finish(struct bwriter *w, char sha_hex[SHA256_HEX_LEN + 1]);
/* Abandon: close and remove the .part file. */
void bwriter_abort(struct bwriter *w);
const char *bwriter_error(struct bwriter *w);

#endif
