/*
 * table.h: typed tables, the state of a host parsed once per analysis.
 *
 * A source of the catalogue whose output is a table says so with "table:"
 * in rules/sources.yaml: its parser kind and that kind's options (data, no
 * code per source). Every member of a bundle that holds such a source is
 * parsed as it is read, into rows of named fields; rules test the fields
 * with "where" (table_expr.c, docs/rules.md), and other code asks a table
 * for a field by name (the report's host summary: MemAvailable, the load,
 * the taint flags, failed units, time sync).
 *
 * The kinds (table_parse.c), each general enough for many programs:
 *
 *   columns   words split on white space (or tabs); columns named in the
 *             catalogue, "name?" optional, the last takes the rest (df,
 *             systemctl list-unit-files, dpkg -l, /proc/buddyinfo)
 *   aligned   columns named by a header line, cells placed under the header
 *             word they overlap: empty cells stay empty (lvs)
 *   keyvalue  "key: value", "key = value" or "key value" lines: one row of
 *             many fields per member or section (/proc/meminfo, sysctl -a,
 *             chronyc tracking, ethtool -S), or a row per line
 *   pairs     "PREFIX: k v k v" or "PREFIX k=v k=v" lines, fields
 *             PREFIX_k (/proc/net/sockstat, /proc/pressure/memory)
 *   value     the whole member is one value, its words value[1], ...; bits
 *             name the set bits of a number (/proc/sys/kernel/tainted)
 *   regex     patterns start rows, add fields, set context for later rows,
 *             or give a line of names whose values are on the next line
 *             (/proc/mdstat, multipath -ll, smartctl -a, ip -s link,
 *             /proc/net/snmp)
 *
 * Field names are the program's own words with characters other than
 * letters, digits, '_', '.' and '-' made '_' ("Leap status" is
 * Leap_status). A value is text; it reads as a number when it starts with
 * one ("16315876 kB", "99%", "0x04"); a field declared a version compares
 * as dpkg or rpm versions do (table_version.c).
 *
 * Hostile input: lines longer than TABLE_LINE_MAX, rows past
 * TABLE_ROWS_MAX, fields past TABLE_FIELDS_MAX, text past TABLE_BYTES_MAX
 * (TABLE_SET_BYTES_MAX for all tables) and patterns that would take more
 * than TABLE_MATCH_LIMIT steps on a line are skipped and counted, never a
 * crash or a hang; so are lines a kind cannot read (table_bad()). A member
 * whose rows are those of an earlier member of the same table (sos keeps df
 * twice) is dropped.
 */
#ifndef TABLE_H
#define TABLE_H

#include <stddef.h>
#include <stdint.h>
#include "buf.h"
#include "catalog.h"
#include "yamlutil.h"

#define TABLE_LINE_MAX 8192		/* bytes of a line a table reads */
#define TABLE_ROWS_MAX 65536		/* rows per table */
#define TABLE_FIELDS_MAX 8192		/* fields per row */
#define TABLE_BYTES_MAX (16 << 20)	/* text kept per table */
#define TABLE_SET_BYTES_MAX (64 << 20)	/* ... and by all the tables of a bundle */
#define TABLE_MATCH_LIMIT 100000	/* PCRE2 steps a table's pattern may take on a line */
#define TABLE_NAME_MAX 128		/* bytes of a field name */
#define TABLE_COLUMNS_MAX 64		/* columns of a columns or aligned table */

enum table_kind { TABLE_COLUMNS, TABLE_ALIGNED, TABLE_KEYVALUE, TABLE_PAIRS, TABLE_VALUE,
		  TABLE_REGEX, TABLE_KIND_NR };

/* How a field compares: by its content (a number when it reads as one), or declared. */
enum table_type { TYPE_AUTO, TYPE_TEXT, TYPE_DPKG, TYPE_RPM };

struct table_spec;

/*
 * Parse a source's "table:" mapping (catalog.c calls it). Errors go to err
 * as name:line:col; CF_ERR_PARSE then.
 */
int table_spec_parse(struct ydoc *d, yaml_node_t *node, const char *source,
		     struct table_spec **out, struct buf *err);
void table_spec_free(struct table_spec *s);
enum table_kind table_spec_kind(const struct table_spec *s);
const char *table_kind_name(enum table_kind k);
/* The declared type of a field (types: {version: dpkg-version}). */
enum table_type table_spec_type(const struct table_spec *s, const char *field);
/*
 * Can a row of this table have a field of that name? 1 yes, 0 no, -1
 * cannot tell before reading (names that come from the data).
 */
int table_spec_has(const struct table_spec *s, const char *field);
/* The field that names a row (key:), or NULL. */
const char *table_spec_key(const struct table_spec *s);

/* ---- the tables of one bundle ------------------------------------------------ */

struct table_set;
struct table;

struct table_set *table_set_new(const struct catalog *cat);
void table_set_free(struct table_set *ts);
/* Does this source (an index into the catalogue) have a table? */
int table_set_want(const struct table_set *ts, size_t source);
/*
 * A member of that source starts: path as the bundle names it, section a
 * supportconfig section's label or NULL (the path: captures read the label
 * when there is one), order the member's number in the bundle (for
 * evidence). Ends the source's previous member.
 */
void table_set_begin(struct table_set *ts, size_t source, const char *path, const char *section,
		     unsigned order);
/* A block of whole lines of the current member of that source; first_line 1-based. */
void table_set_lines(struct table_set *ts, size_t source, const char *data, size_t len,
		  uint64_t first_line);
/* The last members end; call once after the walk, before reading the tables. */
void table_set_end(struct table_set *ts);

/* The table of a source by name or index; NULL when the source has none. */
const struct table *table_set_find(const struct table_set *ts, const char *source);
const struct table *table_set_at(const struct table_set *ts, size_t source);

size_t table_rows(const struct table *t);
/* Lines the table's kind could not read, or skipped for a cap. */
uint64_t table_bad(const struct table *t);
const struct table_spec *table_spec(const struct table *t);
const char *table_source(const struct table *t);
/* A field of a row: its text, or NULL when the row has no such field. */
const char *table_get(const struct table *t, size_t row, const char *field);
/* The same as a number: 0, or -1 when absent or not a number. */
int table_num(const struct table *t, size_t row, const char *field, double *out);
/* The row whose key field (key:) is key[0..n); SIZE_MAX when none. */
size_t table_find_row(const struct table *t, const char *key, size_t n);
/* The first row that has the field; SIZE_MAX when none. */
size_t table_row_with(const struct table *t, const char *field);
/* "MemAvailable" of "meminfo": the first row's that has it, or NULL. */
const char *table_set_value(const struct table_set *ts, const char *source, const char *field);

/* The fields of a row in order, for reports: count, and name/text of the k-th. */
size_t table_nfields(const struct table *t, size_t row);
const char *table_field_name(const struct table *t, size_t row, size_t k);
const char *table_field_text(const struct table *t, size_t row, size_t k);

/* Where a row, or a field of it, was read: for evidence. */
struct table_where {
	const char *path;	/* the member's path in the bundle */
	uint64_t line;		/* 1-based */
	const char *text;	/* the line as read (at most TABLE_LINE_MAX bytes) */
	unsigned order;		/* the member's number in the bundle */
};
/* field NULL: the row's first line. 0, or CF_ERR_NOTFOUND when there is no such field. */
int table_where(const struct table *t, size_t row, const char *field, struct table_where *w);

/*
 * Numbers and names as tables read them: a number at the start of s[0..n)
 * (sign, decimals, exponent, 0x hex; "99%", "16315876 kB"); 0 or -1.
 */
int table_number(const char *s, size_t n, double *out);
/* The idx-th (from 1) white-space word of s[0..n): its start in *w, its length; 0 if none. */
size_t table_word(const char *s, size_t n, size_t idx, const char **w);
/* A program's word as a field name (table.h above) into out; its length, 0 if none. */
size_t table_name(const char *s, size_t n, char *out, size_t size);

/* ---- versions (table_version.c) ------------------------------------------------ */

/*
 * Compare two package versions as dpkg does (epoch, upstream version,
 * revision; '~' before anything, even the end; letters before other
 * characters) or as rpm does (epoch, version, release; alphanumeric
 * segments, numbers newer than letters, '~' before and '^' after the end).
 * <0, 0 or >0.
 */
int version_cmp_dpkg(const char *a, size_t an, const char *b, size_t bn);
int version_cmp_rpm(const char *a, size_t an, const char *b, size_t bn);

#endif
