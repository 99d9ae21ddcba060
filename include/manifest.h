/*
 * manifest.h: the contract between the collector, which writes
 * casefile/manifest.json, and the bundle reader, which reads it back
 * (docs/bundle-format.md). The statuses of an item and the names of the
 * fields live here once.
 */
#ifndef MANIFEST_H
#define MANIFEST_H

#define MANIFEST_SCHEMA "casefile-manifest/1"
#define MANIFEST_PATH "casefile/manifest.json"
#define COLLECT_LOG_PATH "casefile/collect.log"

/* What happened to one item of a collection. */
enum item_status {
	ITEM_OK,		/* collected (maybe truncated to its end) */
	ITEM_ABSENT,		/* not on this host: no such file or command */
	ITEM_SKIPPED,		/* left out on purpose: --since, caps, not a file */
	ITEM_NOT_APPLICABLE,	/* cannot apply here: a requirement of the source is not met */
	ITEM_DENIED,		/* permission denied */
	ITEM_REFUSED,		/* refused for safety: a link another user could plant */
	ITEM_TIMEOUT,		/* killed or stopped at its time limit */
	ITEM_FAILED,		/* the command ran and failed */
	ITEM_INTERRUPTED,	/* the collection was stopped by a signal */
	ITEM_ERROR,		/* anything else that went wrong */
	ITEM_STATUS_NR
};

/* "ok", "absent", ...; item_status_parse() gives -1 for an unknown name. */
const char *item_status_name(enum item_status s);
int item_status_parse(const char *name);
/* Is this a gap the report should mention (not ok, absent, skipped, not applicable)? */
int item_status_is_gap(enum item_status s);

/* Top-level fields. */
#define MF_SCHEMA "schema"
#define MF_TOOL "tool"
#define MF_VERSION "version"
#define MF_HOST "host"
#define MF_TARGET "target"
#define MF_ADDRESS "address"
#define MF_PROXY "proxy"
#define MF_TICKET "ticket"
#define MF_PROBLEM "problem"
#define MF_STARTED_AT "started_at"
#define MF_FINISHED_AT "finished_at"
#define MF_COMPLETE "complete"
#define MF_INTERRUPTED_BY "interrupted_by"
#define MF_TRANSPORT "transport"
#define MF_USER "user"
#define MF_UID "uid"
#define MF_SUDO "sudo"
#define MF_COLLECTED_BY "collected_by"
#define MF_KERNEL "kernel"
#define MF_REDACTED "redacted"
#define MF_SINCE "since"
#define MF_BUNDLE_CAP "bundle_cap"
#define MF_OBFUSCATED "obfuscated"
#define MF_ITEMS "items"

/* Fields of one item. */
#define MF_ITEM_SOURCE "source"
#define MF_ITEM_PATH "path"
#define MF_ITEM_ORIGIN "origin"
#define MF_ITEM_COMMAND "command"
#define MF_ITEM_STATUS "status"
#define MF_ITEM_EXIT_STATUS "exit_status"
#define MF_ITEM_ERROR "error"
#define MF_ITEM_DURATION_MS "duration_ms"
#define MF_ITEM_BYTES "bytes"
#define MF_ITEM_ORIGINAL_BYTES "original_bytes"
#define MF_ITEM_SHA256 "sha256"
#define MF_ITEM_TRUNCATED "truncated"
#define MF_ITEM_REDACTIONS "redactions"

#endif
