/*
 * inplace.h: a host collected over SSH by casefile itself, run there.
 *
 * Item by item over SSH (transport_ssh.c), every source costs the host a
 * shell, timeout(1) and a reader or two: four times the CPU of the same
 * collection done locally, which is what limits many hosts at once. So
 * casefile first copies itself to the host, gzipped, on the stdin of one
 * exec channel: into a private folder (mktemp -d, mode 0700), which the
 * same remote shell removes when it ends, also on a hang-up, a signal or a
 * broken pipe (the client gone). Its SHA-256 is checked there (sha256sum
 * or openssl) before it runs; a host with neither is collected item by
 * item. There it runs "casefile collect --inplace HOST" (through sudo -n with
 * --sudo), which collects the host as a local collection does (each item
 * with its timeout, its cap, LC_ALL=C and the kill on overrun; redaction
 * before anything is written) and writes the bundle to its stdout after
 * the line "casefile-inplace/1 NAME". Nothing is installed, nothing stays.
 *
 * The host is not trusted: what it sends is capped, written to
 * DIR/NAME.part beside where the bundle goes, and checked (inplace_check)
 * before it is named a bundle. When casefile cannot run there (another
 * machine type, /tmp mounted noexec, libraries it lacks, no gzip), or what
 * came back is not a good bundle, inplace_collect() says why and the
 * caller collects the host item by item.
 */
#ifndef INPLACE_H
#define INPLACE_H

#include <stdint.h>
#include "buf.h"
#include "collect.h"
#include "hash.h"
#include "ssh.h"

/* This program, gzipped once before the hosts' processes fork. */
struct inplace_image {
	unsigned char *gz;
	size_t len;
	char machine[65];	/* uname -m: it runs where this matches */
	char sha256[SHA256_HEX_LEN + 1];	/* of the program: checked before it runs */
};

int inplace_image_load(struct inplace_image *im, struct buf *why);
void inplace_image_release(struct inplace_image *im);

struct inplace_run {
	const char *host;	/* the name the bundle and the manifest take */
	int sudo;
	int64_t deadline;	/* ms: the host's whole collection */
	char *const *args;	/* this command line's words for the host (cmd_collect) */
};

/*
 * Collect the host on c with casefile itself; fill res as collect_run()
 * does. 0 when the bundle is in place; otherwise why says what happened
 * and nothing was left in o->outdir.
 */
int inplace_collect(struct ssh_conn *c, const struct inplace_image *im,
		    const struct collect_opts *o, const struct inplace_run *run,
		    struct collect_result *res, struct buf *why);

/*
 * The bundle at path, sent by a host: regular files under NAME/ only, each
 * once, at most cap bytes (and room for the log and the manifest), the
 * manifest's checksums matched. Fills res->counts, res->denied (the
 * sources with a denied item, once each) and res->complete.
 */
int inplace_check(const char *path, const char *name, uint64_t cap,
		  struct collect_result *res, struct buf *why);

#endif
