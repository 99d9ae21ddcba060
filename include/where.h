/*
 * where.h: the tests of a condition's "where" (docs/rules.md), compiled
 * once when a rule loads and run on every match of a pattern or every row
 * of a table.
 *
 *   use >= 95                                a capture or a column
 *   MemAvailable < MemTotal * 0.05           arithmetic: + - * / and ( )
 *   state == 'masked' || state == 'bad'      text, and && || !
 *   Leap_status =~ '^Not sync'               a regular expression (!~ too)
 *   TCP_mem >= sysctl.net.ipv4.tcp_mem[3]    another table's field; [N] its Nth word
 *   mtu != ip_link_stats[master].mtu         the row whose key is this row's master
 *   version < '1:9.2p1-2+deb12u3'            a field the table declares a version
 *
 * A name is letters, digits, '_', '.' and '-' (so put spaces around a
 * minus); "TABLE.FIELD" and "TABLE[KEY].FIELD" name another table when
 * TABLE is a source with a table. A value that is missing (no such field,
 * row or table, a word past the end, text where a number is needed) makes
 * every comparison with it false.
 */
#ifndef WHERE_H
#define WHERE_H

#include <stddef.h>
#include "buf.h"
#include "catalog.h"
#include "table.h"

struct where_expr;

/* The bare names a condition's wheres read, shared by them: index k is names->v[k]. */
struct where_names {
	char **v;
	size_t n;
};

/*
 * Compile text. Bare names are added to names; TABLE refs must name a
 * source of cat with a table. CF_ERR_PARSE with the reason in why.
 */
int where_compile(const char *text, const struct catalog *cat, struct where_names *names,
		  struct where_expr **out, struct buf *why);
void where_free(struct where_expr *x);
void where_names_release(struct where_names *names);
/* Does the expression read another table (TABLE.FIELD)? */
int where_reads_tables(const struct where_expr *x);

/* What an expression reads. */
struct where_row {
	/* bare name k: its text (and length), or NULL when the row has none */
	const char *(*field)(void *ctx, size_t k, size_t *len, enum table_type *type);
	void *ctx;
	const struct table_set *tables;	/* for TABLE refs; NULL: none */
	/*
	 * a value a template can name was read (ref as written, its text): a
	 * field of another table t, or a word of the row's own (t NULL)
	 */
	void (*seen)(void *ctx, const struct table *t, size_t row, const char *field,
		     const char *ref, const char *text, size_t len);
};

/* 1 when the expression holds for this row. */
int where_eval(const struct where_expr *x, const struct where_row *row);

#endif
