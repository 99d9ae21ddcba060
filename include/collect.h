/*
 * collect.h: collect one host's sources into one bundle.
 *
 * collect_run() walks the catalogue through a transport (transport.h): it
 * runs each command source and reads each file source (with rotated and .gz
 * siblings, newest first, keeping the end of each file within its cap),
 * redacts, and streams every item into the bundle (bwriter.h). At the end it
 * adds casefile/collect.log and casefile/manifest.json (manifest.h). When
 * *stop becomes non-zero (SIGINT/SIGTERM) it stops at once and still closes
 * a valid bundle marked incomplete.
 */
#ifndef COLLECT_H
#define COLLECT_H

#include <signal.h>
#include <stdint.h>
#include "catalog.h"
#include "hash.h"
#include "manifest.h"
#include "transport.h"

struct collect_opts {
	const char *ticket;		/* optional */
	const char *label;		/* optional, part of the bundle name */
	const char *problem;		/* the customer's own words, optional */
	const char *outdir;		/* default /var/tmp */
	char **only, **skip;		/* source names, NULL-terminated */
	int64_t since;			/* epoch seconds, 0 for everything */
	int redact;			/* default on */
	int obfuscate;			/* host names, addresses, ... as tokens */
	const char *map;		/* the obfuscation map to reuse, or NULL */
	const char *rules_dir;		/* --rules DIR: DIR/redact.yaml adds patterns */
	int quiet;
	int progress;			/* a status line on stderr (a terminal) */
	uint64_t bundle_cap;		/* uncompressed bytes for the whole bundle */
	volatile sig_atomic_t *stop;	/* set by a signal handler: the signal number */
	struct transport *t;		/* NULL: this host */
	/*
	 * collect --inplace HOST: this host, collected for casefile on another
	 * machine (inplace.h), which named it HOST. The bundle goes to standard
	 * output after the line "casefile-inplace/1 NAME"; the manifest says
	 * ssh, and who collected it (collected_by).
	 */
	const char *inplace;
	const char *bundle_name;	/* --inplace: the name the other end chose */
	const char *collected_by;
	int64_t stop_after_s;		/* --inplace: stop (an incomplete bundle) after this */
	/*
	 * How the host was reached, for the manifest (NULL: not said): the name
	 * it was given by (--target: an ssh_config alias, [USER@]HOST[:PORT], an
	 * inventory name), the address connected to ("ADDR:PORT"), the proxy
	 * ("ProxyJump HOSTS", "ProxyCommand"). A collection of this host with a
	 * target that is not its own name carries it in the bundle's name too.
	 */
	const char *target;
	const char *address;
	const char *proxy;
	/* progress callback for a parent process (remote collection), or NULL */
	void (*on_source)(void *ctx, const char *source, size_t done, size_t total);
	void *on_source_ctx;
};

struct collect_counts {
	unsigned status[ITEM_STATUS_NR];	/* items per item_status */
	unsigned truncated;
	unsigned long redactions;
};

struct collect_result {
	char *bundle_path;		/* DIR/NAME.tar.gz */
	char *map_path;			/* --obfuscate: the map, beside it */
	char sha256[SHA256_HEX_LEN + 1];
	uint64_t raw_bytes;		/* uncompressed, all members */
	uint64_t compressed_bytes;
	int64_t duration_ms;
	int complete;
	struct collect_counts counts;
	char **problems;		/* "source: what happened", for the summary */
	char **denied;			/* sources denied to this user, once each */
};

#define COLLECT_DEFAULT_DIR "/var/tmp"
#define INPLACE_MAGIC "casefile-inplace/1"
#define INPLACE_PROGRESS "casefile-inplace: P "
#define COLLECT_DEFAULT_CAP (256ULL * 1024 * 1024)

/*
 * What to do about sources denied to a user who is not root, in one wording
 * for a run here and one over SSH: "N sources were denied to WHO: run it
 * again with HOW to collect them" (WHO "uid 1000", HOW "sudo"; over SSH the
 * login user and "--sudo").
 */
void collect_denied_advice(struct buf *b, size_t n, const char *who, const char *how);

/* Is the source selected by --only/--skip? */
int collect_selected(const struct collect_opts *o, const char *name);

int collect_run(const struct catalog *c, const struct collect_opts *o,
		struct collect_result *res);
void collect_result_release(struct collect_result *res);

/*
 * File name (no extension) for a bundle: casefile-HOST[-TARGET][-TICKET]
 * [-LABEL]-TIME, TARGET only when given and not HOST (two inventory hosts of
 * one host name, fetched into one folder, never take one name).
 */
char *collect_bundle_name(const char *host, const char *target, const char *ticket,
			  const char *label, int64_t t);

#endif
