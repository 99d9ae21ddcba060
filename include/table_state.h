/*
 * table_state.h: the inside of the typed tables (table.h), shared by their
 * parts: table_spec.c reads a "table:" declaration, table.c keeps the rows
 * of a bundle and answers lookups, table_parse.c turns lines into rows by
 * kind. Not for other modules: they use table.h.
 */
#ifndef TABLE_STATE_H
#define TABLE_STATE_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include "rules.h"
#include "table.h"
#include "where.h"

struct table_typed {
	char *name;
	enum table_type type;
};

struct table_spec {
	enum table_kind kind;
	char **columns;		/* columns: the names, without their '?' */
	unsigned char *optional; /* columns: per column, may be missing */
	size_t ncolumns;
	char sep;		/* columns: 0 (white space) or '\t'; keyvalue: ':', '=', ' ' */
	int per_line;		/* keyvalue: a row per line, fields key and value */
	int prefix;		/* pairs: the first word names the line's fields */
	char *join;		/* between a prefix and a name: "_" unless said */
	char *key;		/* the field that names a row, or NULL */
	char **bits;		/* value: the letter of each bit, from bit 0 */
	size_t nbits;
	struct table_typed *types;
	size_t ntypes;
	pcre2_code *skip, *exclude, *header, *section, *names, *path;
	pcre2_code **rows, **fields, **context;
	size_t nrows, nfields, ncontext;
	char **known;		/* every name a row can have; NULL: names come from the data */
};

struct table_field {
	char *name;
	char *text;
	uint32_t line;		/* index into the table's lines */
	int context;		/* from the path or a context pattern: a row's own capture replaces it */
};

struct table_row {
	struct table_field *f;
	uint32_t n, alloc;
	uint32_t line;		/* its first line */
};

struct table_line {
	uint32_t member;	/* index into the table's members */
	uint64_t lineno;
	char *text;
};

struct table_member {
	char *path;
	unsigned order;
	size_t first_row;
};

/* A column of an aligned table: its name and where its header word is. */
struct table_col {
	char name[TABLE_NAME_MAX];
	size_t start, end;
};

struct table {
	const char *source;
	const struct table_spec *spec;
	struct table_row *rows;
	size_t nrows, arows;
	struct table_line *lines;
	size_t nlines, alines;
	struct table_member *members;
	size_t nmembers, amembers;
	uint64_t bad;
	size_t bytes;
	size_t *by_key;		/* rows sorted by their key field (key:), built at the end */
	size_t nby_key;
	size_t *set_bytes;	/* what all the tables of the bundle keep */
	/* the last rows found by table_row_with(), by the field's name (a rule's string) */
	struct { const char *field; char name[TABLE_NAME_MAX]; size_t row; } with[8];
	unsigned nwith;
	/* the member being read */
	int open;
	size_t cur;		/* the current row, SIZE_MAX before one */
	struct table_field *ctx; /* fields every new row gets: path captures, context */
	size_t nctx, actx;
	char **pending;		/* names whose values the next line holds */
	size_t npending;
	struct table_col *cols;	/* aligned: the header's columns */
	size_t ncols;
	struct buf value;	/* value: the member's text */
	uint32_t value_line;
	pcre2_match_data *md;
	pcre2_match_context *mctx;	/* TABLE_MATCH_LIMIT */
};

/*
 * table.c: building rows. The adders return 0, or CF_ERR_CAP when a cap was
 * reached (CF_ERR_PARSE: a name that is none; CF_ERR_NOTFOUND: no such
 * row), the line counted bad.
 */
uint32_t table_keep_line(struct table *t, const char *s, size_t n, uint64_t lineno);
size_t table_new_row(struct table *t, uint32_t line);
int table_add(struct table *t, size_t row, const char *name, size_t nn, const char *text,
	      size_t tn, uint32_t line);
/* the same, replacing a field of that name the row got from its context */
int table_add_own(struct table *t, size_t row, const char *name, size_t nn, const char *text,
		  size_t tn, uint32_t line);
/* name normalised first (table_name()); empty names are bad lines */
int table_add_raw(struct table *t, size_t row, const char *name, size_t nn, const char *text,
		  size_t tn, uint32_t line);
void table_set_ctx(struct table *t, const char *name, size_t nn, const char *text, size_t tn);
/* The current row, made when there is none yet (one row per member). */
size_t table_cur_row(struct table *t, uint32_t line);

/* table_parse.c: one line of the current member; its end */
void table_parse_line(struct table *t, const char *s, size_t n, uint64_t lineno);
void table_parse_end(struct table *t);
/*
 * Match re on s[0..n); when it matches, its named captures become fields of
 * row, or of every later row of the member (row SIZE_MAX: context). A pair
 * of captures named "name" and "value" makes one field named by the data.
 * 1 when it matched.
 */
int table_captures(struct table *t, const pcre2_code *re, const char *s, size_t n, size_t row,
		   uint32_t line);

/* table_expr.c and table_eval.c: a compiled "where" (where.h) */
enum node_kind {
	N_NUM, N_STR, N_FIELD, N_TABLE, N_NEG, N_ADD, N_SUB, N_MUL, N_DIV,
	N_CMP, N_AND, N_OR, N_NOT
};

enum { OP_MATCH = OP_NE + 1, OP_NOMATCH };	/* after enum cmp_op (rules.h) */

struct where_expr {
	enum node_kind kind;
	int op;			/* N_CMP: enum cmp_op, OP_MATCH, OP_NOMATCH */
	double num;
	char *str;		/* N_STR text; N_FIELD, N_TABLE: the field's name */
	size_t len;
	pcre2_code *re;		/* N_CMP with =~ or !~ */
	pcre2_match_data *md;
	size_t index;		/* N_FIELD: into names; N_TABLE: the source */
	char *ref;		/* N_TABLE, N_FIELD with [N]: as written, for captures */
	struct where_expr *key;	/* N_TABLE: [key], or NULL for the first row that has it */
	struct where_expr *word;	/* [N]: the Nth word, or NULL for all of it */
	struct where_expr *a, *b;
};

#endif
