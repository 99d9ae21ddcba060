/*
 * outfile.h: an output file (a report, an obfuscation map) written as the
 * bundle is: never through what is at its name.
 *
 * casefile often runs as root, and people write its outputs to shared
 * folders (/tmp, /var/tmp). A plain fopen(path, "w") follows a link
 * another user planted at that name and overwrites its target. So the
 * output is a new file of our own beside its name: "DIR/.NAME.XXXXXX",
 * created with O_CREAT|O_EXCL|O_NOFOLLOW (never an existing file, never a
 * link), mode 0600, in the folder opened once (the file and the rename are
 * in the same folder even if its path is changed meanwhile). A commit
 * flushes it to disk and renames it over NAME: a link at NAME is replaced,
 * not followed, and NAME is never seen half written. An abort (or a failed
 * commit) removes it.
 *
 * A character device at NAME (/dev/null, a terminal) is written to as it
 * is, never replaced; only root makes those, so none is planted.
 *
 * Mode 0600 for every output: a report quotes the bundle's evidence lines
 * and a map undoes the obfuscation, both as private as the bundle (0600).
 *
 *	struct outfile of;
 *	if (outfile_open(&of, path))
 *		return error already printed;
 *	fprintf(outfile_stream(&of), ...);	or outfile_write(&of, p, n)
 *	r = failed ? (outfile_abort(&of), r) : outfile_commit(&of);
 */
#ifndef OUTFILE_H
#define OUTFILE_H

#include <stddef.h>
#include <stdio.h>
#include "buf.h"

struct outfile {
	int dir;		/* the folder, opened once */
	int fd;			/* the new file, -1 once handed to fp */
	FILE *fp;		/* outfile_stream()'s, or NULL */
	char *path;		/* as given, for messages */
	char *base;		/* NAME */
	char *tmp;		/* .NAME.XXXXXX, in dir */
	int device;		/* NAME is a character device, written in place */
};

/* Create the new file beside path. 0, or CF_ERR_IO with the error printed. */
int outfile_open(struct outfile *of, const char *path);
/* The new file as a stdio stream ("w"), or NULL (out of memory). */
FILE *outfile_stream(struct outfile *of);
/* Write all of p; 0 or CF_ERR_IO (errno set, nothing printed). */
int outfile_write(struct outfile *of, const void *p, size_t n);
/* Flush, fsync, close and rename over path. 0, or CF_ERR_IO printed (then aborted). */
int outfile_commit(struct outfile *of);
/* Close and remove the new file; path is left as it was. */
void outfile_abort(struct outfile *of);

/*
 * A file that is appended to, not replaced (a known_hosts file, which other
 * programs write too): opened O_APPEND, created 0600 when absent. A link at
 * path is followed only when it is the caller's or root's, and the file
 * must be a regular one, not another user's with other names (a hard
 * link). A file descriptor, or -1 with why in err.
 */
int outfile_append(const char *path, struct buf *err);

#endif
