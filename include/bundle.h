/*
 * bundle.h: read a bundle without extracting it.
 *
 * A bundle is a casefile .tar.gz, a sosreport (.tar.xz, .tar.gz, .tar.bz2
 * or unpacked), a SUSE supportconfig (scc_*.txz, .tbz, .tgz or unpacked:
 * its *.txt files are read section by section, scc.c), or a plain
 * directory shaped like a host's file system; the
 * layout is recognised by the catalogue's "layouts:" (catalog.h).
 * Archives are read as a stream with libarchive; member
 * names are only compared, never used as paths to write. Compressed members
 * (rotated .gz logs) are decompressed on the fly.
 *
 * bundle_walk() calls want() for every regular member with its path
 * relative to the bundle's top ("var/log/syslog.2.gz"); for those wanted it
 * delivers the content as blocks of whole lines (each ends in '\n'; a last
 * line without one gets one) with the number of the block's first line.
 * Memory stays bounded: blocks are at most BUNDLE_BLOCK bytes plus one line;
 * a line that does not end within a block is cut at limits.line_cap (the
 * rest of it is skipped, with a note).
 *
 * Hostile input: a member's decompressed bytes are capped (the rest of it is
 * skipped, with a note), so is the bundle's total (the walk stops); binary
 * members are skipped; an archive error ends the walk with one message, and
 * what was read before it still counts.
 *
 * The walk (bundle.c) finds the members of an archive (intake.h) or a
 * directory; its parts each own their state: layout.h tells the kind of
 * bundle, member.h turns a member's bytes into lines, meta.h reads what
 * the bundle says about itself, scc.h splits a supportconfig file into its
 * sections. What they learn goes into a bundle_info (bundle_info.h).
 */
#ifndef BUNDLE_H
#define BUNDLE_H

#include "buf.h"
#include "bundle_info.h"
#include "catalog.h"
#include "layout.h"

/*
 * Walk the bundle at path. Returns 0, or CF_ERR_IO / CF_ERR_ARCHIVE /
 * CF_ERR_CAP with the message (path, member, why) appended to err; what was
 * delivered before an error stands.
 */
int bundle_walk(const char *path, const struct catalog *cat, const struct bundle_limits *lim,
		const struct bundle_visitor *v, struct bundle_info *bi,
		struct buf *err);

#endif
