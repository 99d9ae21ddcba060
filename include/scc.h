/*
 * scc.h: a SUSE supportconfig file split into its sections (scc.c).
 *
 * supportconfig writes each top-level *.txt as sections, each opened by a
 * banner and a label line ("#==[ Command ]===#", "# /usr/bin/df -hT").
 * The splitter is given the file's lines in blocks (member.h) and hands
 * each section a source wants to the visitor as a member of its own: the
 * file's path, the cleaned label as its section ("df -hT"), the file's own
 * line numbers. A command that timed out is a gap of the collection.
 */
#ifndef SCC_H
#define SCC_H

#include <stdint.h>
#include "buf.h"
#include "bundle_info.h"

struct scc {
	const struct bundle_visitor *v;
	struct bundle_info *bi;
	const struct member *file;	/* the *.txt being read */
	int mode;			/* SCC_PROBE until the first line tells, then sections */
	int state;			/* where in a section the lines are */
	int command;			/* the open section is a command's output */
	int counted;			/* the file counted as read (a section was wanted) */
	struct member m;		/* the open section, as the visitor sees it */
	struct buf label;
};

void scc_init(struct scc *s, const struct bundle_visitor *v, struct bundle_info *bi);
void scc_release(struct scc *s);

/* Is this member a supportconfig file to read by sections ("x.txt" at the top)? */
int scc_candidate(const char *path);
/* Start reading file by sections; it must live until its last scc_lines(). */
void scc_begin(struct scc *s, const struct member *file);
/*
 * A block of whole lines of the file, the first numbered lineno: each
 * wanted section's lines go to the visitor. Non-zero when the file's first
 * line is no banner: it is no supportconfig file, stop reading it.
 */
int scc_lines(struct scc *s, const char *data, size_t len, uint64_t lineno);

/* The host's name from supportconfig's folder name (scc_HOST_YYMMDD_HHMM). */
void scc_hostname(struct bundle_info *bi, const char *folder);

#endif
