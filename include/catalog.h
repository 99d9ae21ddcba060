/*
 * catalog.h: the sources catalogue, the layer between rules and bundles.
 *
 * A source is a named piece of evidence (kernel_log, syslog, df, ...). It
 * says how to collect it (file globs, or a command with its timeout and
 * cap) and where it is found in each bundle layout the analyzer reads
 * (casefile's own, sosreport, a plain directory). Rules name sources, never
 * paths. The default catalogue is rules/sources.yaml, compiled in.
 */
#ifndef CATALOG_H
#define CATALOG_H

#include <stddef.h>
#include <stdint.h>
#include "buf.h"

enum source_kind {
	SOURCE_LOG,	/* grows over time: keep the end, take rotations */
	SOURCE_CONFIG,	/* configuration: redact strictly */
	SOURCE_STATE,	/* a snapshot of system state */
};

/* A fact a source holds (facts.h): its name and a pattern capturing value. */
struct source_fact {
	char *name;
	char *pattern;
};

struct source {
	char *name;
	char *description;
	char *program;		/* whose log it is, when its lines name no program */
	enum source_kind kind;
	char **files;		/* absolute globs, NULL-terminated, or NULL */
	char **argv;		/* command, or NULL */
	char *shell;		/* or a /bin/sh snippet, or NULL */
	char *since_arg;	/* "--since=" makes --since reach the command */
	char **sos;		/* globs relative to a sosreport's root */
	char **scc;		/* supportconfig sections: "messages.txt:journalctl *" */
	char **requires;	/* requirements (names, or absolute paths) that must hold */
	int rotated;		/* also take name.1, name.2.gz, name-20261120 */
	struct table_spec *table;	/* a typed table (table.h), or NULL */
	struct source_fact *facts;
	size_t nfacts;
	int timeout;		/* seconds, for commands */
	int64_t cap;		/* bytes per file or per command output */
	int64_t total;		/* bytes for all files of the source */
};

struct table_spec;

/* A name for several sources that rules read together (kernel_messages). */
struct source_group {
	char *name;
	char **members;		/* source names, NULL-terminated */
};

/*
 * What a source needs on the host to apply at all (systemd as PID 1, a
 * running docker daemon): it holds when one of its paths exists there.
 * A source whose requirement does not hold is recorded as not applicable,
 * with why, and its command is never started.
 */
struct requirement {
	char *name;
	char **exists;		/* absolute paths; one is enough */
	char *why;		/* "not booted with systemd as PID 1" */
};

/*
 * How a bundle layout is recognised (bundle.c): a member or folder it
 * holds (markers), or the name of the one folder an archive is rooted in
 * (prefixes). first: members a directory reader reads before the others.
 */
struct layout_def {
	char *name;		/* "casefile", "sosreport": see layout_name() */
	char **markers, **prefixes, **first;
};

/*
 * The data rules are written against: the sources, the groups of sources,
 * and the category taxonomy (rules/categories.yaml).
 */
struct catalog {
	struct source *items;
	size_t nr, alloc;
	struct source_group *groups;
	size_t ngroups, agroups;
	char **categories;
	struct layout_def *layouts;
	size_t nlayouts, alayouts;
	struct requirement *reqs;
	size_t nreqs, areqs;
	char **host_folders;	/* top folders of a host's tree: var, etc, ... */
};

#define SOURCE_DEFAULT_TIMEOUT 10
#define SOURCE_DEFAULT_CAP (4 * 1024 * 1024)
#define SOURCE_DEFAULT_LOG_CAP (16 * 1024 * 1024)

/*
 * Parse a catalogue document and add what it holds: "sources:" (a source
 * named again replaces the earlier one), "groups:" (name: [source, ...]),
 * "categories:" (added to the taxonomy), "layouts:" (how a layout is
 * recognised), "host_folders:" (the top folders of a host's tree),
 * "requirements:" (name: {exists: [path, ...], why: text}; a requirement
 * named again replaces the earlier one). Errors are appended to err as
 * name:line:col.
 *
 * A source with "table:" is a typed table (table.h: df, /proc/meminfo,
 * sysctl -a, ...): parsed once into rows of named fields, which rules test
 * with "where" without writing a pattern.
 */
int catalog_parse(struct catalog *c, const char *name, const char *data,
		  size_t len, struct buf *err);
/*
 * The compiled-in rules/sources.yaml and rules/categories.yaml. Both this
 * and catalog_load_dir() check at the end that every name a source
 * requires is a requirement of the catalogue.
 */
int catalog_load_default(struct catalog *c, struct buf *err);
/* Add DIR/sources.yaml and DIR/categories.yaml when they exist (--rules DIR). */
int catalog_load_dir(struct catalog *c, const char *dir, struct buf *err);
/* A requirement by name, or NULL. */
const struct requirement *catalog_requirement(const struct catalog *c, const char *name);
void catalog_release(struct catalog *c);

const struct source *catalog_find(const struct catalog *c, const char *name);
const struct source_group *catalog_group(const struct catalog *c, const char *name);
int catalog_category_known(const struct catalog *c, const char *category);
/* Is name[0..n) a top folder of a host's tree (so no wrapper folder)? */
int catalog_host_folder(const struct catalog *c, const char *name, size_t n);

/* Where a command source's output lives in a casefile bundle. */
#define COMMANDS_DIR "commands/"

/*
 * Does the bundle member at relpath (relative to the bundle's top, e.g.
 * "var/log/syslog.2.gz" or "sos_commands/kernel/dmesg") hold this source?
 * Holds for every layout at once: casefile's commands/<name>, the file
 * globs, and the sosreport globs, each with rotated siblings if rotated.
 */
int source_claims(const struct source *s, const char *relpath);

/*
 * Does the section of a supportconfig file hold this source? section is
 * its label as the reader cleaned it ("df -hT", "/var/log/messages"); the
 * source's "supportconfig:" globs are matched against "FILE:LABEL".
 */
int source_claims_section(const struct source *s, const char *file, const char *section);

/*
 * Is suffix what a log rotation adds ("", ".1", ".2.gz", "-20261120",
 * "-20261120.gz", ".gz")?
 */
int rotation_suffix(const char *suffix);

#endif
