/*
 * clean.h: "casefile clean": an obfuscated copy of a bundle (casefile, a
 * sosreport or a supportconfig, packed or unpacked), like sos clean. The
 * input is never changed.
 *
 * Two passes over the input. The first learns what names the host: the
 * top folder's name, hostname files, etc/hosts, etc/passwd, uname, the host
 * field of syslog lines, a casefile manifest's host. The second writes
 * every text member through the obfuscator (obfuscate.h) into
 * OUTDIR/NAME-clean.tar.gz (bwriter.h: a .part file until complete, and its
 * .sha256), NAME being the top folder's name with the host's names
 * replaced. Binary members are left out (their bytes cannot be cleaned) and
 * listed. A symbolic link is kept when its target stays inside the bundle
 * (intake.h judges it; name and target are cleaned as paths are); one that
 * points outside, and every member with an unsafe name, is left out and
 * named. A casefile manifest gets the new sizes and
 * checksums of its members and "obfuscated": true. The map goes to
 * OUTDIR/NAME-clean.map.json, or to --map FILE (read first when it exists),
 * mode 0600, never into the bundle.
 */
#ifndef CLEAN_H
#define CLEAN_H

#include <stdint.h>
#include "obfuscate.h"

struct clean_opts {
	const char *outdir;	/* default: the input's folder */
	const char *map;	/* map file to reuse and update, or NULL */
	int quiet;
};

struct clean_result {
	char *bundle_path, *map_path;
	unsigned members, links, dropped_binary, dropped_other;
	long replacements;
};

/* 0, or an error printed (what, where, why); nothing is left half-written. */
int clean_bundle(const char *input, const struct clean_opts *o, struct clean_result *res);
void clean_result_release(struct clean_result *res);

#endif
