/*
 * ssh_files.h: the small shell programs with which the SSH transport lists
 * and reads a host's files (transport_ssh.c runs them on the host's kept
 * shell), and the reading of what the listing says. Pure: nothing here
 * talks to a host, so each part is tested alone.
 *
 * The listing walks each path from / one component at a time, as
 * planted_open() does here, and says what the planted-link rule
 * (transport.h) needs: every link on the way ("LUID:DUID:DMODE," each: the
 * link's owner, its folder's owner and mode), then the file itself from one
 * lstat in the folder the walk holds as its working directory. One line per
 * file, with "INDEX " first in a batch (the source's place in the list):
 *
 *   UID NLINK SIZE MTIME DEV INO MODE DUID DMODE HOPS PATH
 *
 * (MODE and DMODE in hex, HOPS "-" when none), or "X PATH" when the way
 * changed while it was walked or has more than 40 links. A path with a
 * newline in it could forge a line: it is left out. Paths under /proc are
 * the kernel's (and /proc/self is whoever looks): stat -L.
 */
#ifndef SSH_FILES_H
#define SSH_FILES_H

#include <stdint.h>
#include "buf.h"
#include "catalog.h"
#include "transport.h"

/* The reader's exit statuses beside the file's own. */
#define SSH_FILES_CHANGED 97	/* the file opened is not the one listed */
#define SSH_FILES_UNCHECKED 98	/* what was opened could not be told */

/*
 * The listing of the n file sources of v (their globs, and their rotated
 * siblings) as one /bin/sh script, into script; with batch every line
 * starts with its source's index in v.
 */
void ssh_files_list_script(const struct source *const *v, size_t n, int batch,
			   struct buf *script);
/*
 * A listing's lines into outs[0..n), the found files of each source: a
 * line that is not well formed, names no absolute path, a path its source
 * does not claim, or no regular file is passed over; a file whose way
 * breaks the rule is kept with refused set (why it is not read). text is
 * cut into lines in place.
 */
void ssh_files_parse(const struct source *const *v, struct found_list *outs, size_t n, int batch,
		     char *text);
/*
 * The script that reads one listed file: it opens the file as descriptor
 * 3, compares the device and inode of what it opened with the listing's
 * (exit SSH_FILES_CHANGED when they differ, or when something not a
 * regular file, or a link where the listing saw none, is at the name;
 * SSH_FILES_UNCHECKED when it cannot tell), then writes its end within cap
 * (gz: inflated first; procfs, size 0: through tail -c).
 */
void ssh_files_read_script(const struct found *f, int gz, uint64_t cap, struct buf *sh);

#endif
