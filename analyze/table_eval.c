/*
 * table_eval.c: a compiled "where" (where.h, table_expr.c) on one row:
 * values are text, numbers or missing; a comparison with a missing value
 * is false; a field declared a version compares as one (table_version.c).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "casefile.h"
#include "table_state.h"

enum { V_NONE, V_NUM, V_STR };

struct val {
	int kind;
	double num;
	const char *s;
	size_t n;
	enum table_type type;
	int literal;		/* text in quotes: compared as text */
	const struct table *t;	/* read from another table's row */
	size_t row;
};

static int holds(const struct where_expr *x, const struct where_row *row);

/* The idx-th (from 1) word of v; none past the end. */
static void word_of(struct val *v, double idx)
{
	const char *w;
	size_t n;

	if (v->kind != V_STR || idx < 1 || idx > 4096 ||
	    !(n = table_word(v->s, v->n, (size_t)idx, &w))) {
		v->kind = V_NONE;
		return;
	}
	v->s = w;
	v->n = n;
}

static int to_num(const struct val *v, double *d)
{
	if (v->kind == V_NUM) {
		*d = v->num;
		return 0;
	}
	return v->kind == V_STR ? table_number(v->s, v->n, d) : -1;
}

static void eval(const struct where_expr *x, const struct where_row *row, struct val *v);

static void eval_table(const struct where_expr *x, const struct where_row *row, struct val *v)
{
	const struct table *t = row->tables ? table_set_at(row->tables, x->index) : NULL;
	size_t r = SIZE_MAX;
	const char *text;

	if (!t)
		return;
	if (x->key) {
		struct val k = { 0 };
		char num[32];

		eval(x->key, row, &k);
		if (k.kind == V_NUM) {
			snprintf(num, sizeof(num), "%.15g", k.num);
			k.s = num;
			k.n = strlen(num);
		}
		if (k.kind != V_NONE && table_spec_key(table_spec(t)))
			r = table_find_row(t, k.s, k.n);
	} else {
		r = table_row_with(t, x->str);
	}
	if (r == SIZE_MAX || !(text = table_get(t, r, x->str)))
		return;
	v->kind = V_STR;
	v->s = text;
	v->n = strlen(text);
	v->type = table_spec_type(table_spec(t), x->str);
	v->t = t;
	v->row = r;
}

static void arith(const struct where_expr *x, const struct where_row *row, struct val *v)
{
	struct val a = { 0 }, b = { 0 };
	double p, q;

	eval(x->a, row, &a);
	if (x->kind == N_NEG) {
		if (!to_num(&a, &p)) {
			v->kind = V_NUM;
			v->num = -p;
		}
		return;
	}
	eval(x->b, row, &b);
	if (to_num(&a, &p) || to_num(&b, &q) || (x->kind == N_DIV && q == 0))
		return;
	v->kind = V_NUM;
	v->num = x->kind == N_ADD ? p + q : x->kind == N_SUB ? p - q :
		 x->kind == N_MUL ? p * q : p / q;
}

static void eval(const struct where_expr *x, const struct where_row *row, struct val *v)
{
	memset(v, 0, sizeof(*v));
	switch (x->kind) {
	case N_NUM:
		v->kind = V_NUM;
		v->num = x->num;
		return;
	case N_STR:
		v->kind = V_STR;
		v->s = x->str;
		v->n = x->len;
		v->literal = 1;
		return;
	case N_FIELD:
		v->s = row->field ? row->field(row->ctx, x->index, &v->n, &v->type) : NULL;
		v->kind = v->s ? V_STR : V_NONE;
		break;
	case N_TABLE:
		eval_table(x, row, v);
		break;
	case N_NEG: case N_ADD: case N_SUB: case N_MUL: case N_DIV:
		arith(x, row, v);
		return;
	default:
		v->kind = V_NUM;
		v->num = holds(x, row);
		return;
	}
	if (x->word) {
		struct val w;
		double idx;

		eval(x->word, row, &w);
		if (to_num(&w, &idx))
			v->kind = V_NONE;
		else
			word_of(v, idx);
	}
	if (x->ref && v->kind == V_STR && row->seen)
		row->seen(row->ctx, v->t, v->row, x->str, x->ref, v->s, v->n);
}

static int text_cmp(const struct val *a, const struct val *b)
{
	int c = memcmp(a->s, b->s, a->n < b->n ? a->n : b->n);

	return c ? c : (a->n > b->n) - (a->n < b->n);
}

/* <0, 0, >0; or 2 when the two cannot be compared */
static int order(struct val *a, struct val *b, char *abuf, char *bbuf, size_t size)
{
	enum table_type t = a->type != TYPE_AUTO ? a->type : b->type;
	double p, q;

	if ((t == TYPE_DPKG || t == TYPE_RPM) && a->kind == V_STR && b->kind == V_STR)
		return t == TYPE_DPKG ? version_cmp_dpkg(a->s, a->n, b->s, b->n) :
					version_cmp_rpm(a->s, a->n, b->s, b->n);
	if (!a->literal && !b->literal && t != TYPE_TEXT && !to_num(a, &p) && !to_num(b, &q))
		return (p > q) - (p < q);
	if (a->kind == V_NUM) {
		snprintf(abuf, size, "%.15g", a->num);
		a->s = abuf;
		a->n = strlen(abuf);
	}
	if (b->kind == V_NUM) {
		snprintf(bbuf, size, "%.15g", b->num);
		b->s = bbuf;
		b->n = strlen(bbuf);
	}
	if (!a->literal && !b->literal && (a->kind == V_NUM || b->kind == V_NUM))
		return 2;	/* a number and text that is none */
	return text_cmp(a, b);
}

static int compare(const struct where_expr *x, const struct where_row *row)
{
	struct val a, b;
	char abuf[32], bbuf[32];
	int c;

	eval(x->a, row, &a);
	if (a.kind == V_NONE)
		return 0;
	if (x->op == OP_MATCH || x->op == OP_NOMATCH) {
		if (a.kind == V_NUM) {
			snprintf(abuf, sizeof(abuf), "%.15g", a.num);
			a.s = abuf;
			a.n = strlen(abuf);
		}
		c = pcre2_match(x->re, (PCRE2_SPTR)a.s, a.n, 0, 0, x->md, NULL) >= 0;
		return x->op == OP_MATCH ? c : !c;
	}
	eval(x->b, row, &b);
	if (b.kind == V_NONE)
		return 0;
	c = order(&a, &b, abuf, bbuf, sizeof(abuf));
	if (c == 2)
		return 0;
	switch (x->op) {
	case OP_GE: return c >= 0;
	case OP_GT: return c > 0;
	case OP_LE: return c <= 0;
	case OP_LT: return c < 0;
	case OP_EQ: return c == 0;
	case OP_NE: return c != 0;
	default: return 0;
	}
}

static int holds(const struct where_expr *x, const struct where_row *row)
{
	struct val v;
	double d;

	switch (x->kind) {
	case N_AND:
		return holds(x->a, row) && holds(x->b, row);
	case N_OR:
		return holds(x->a, row) || holds(x->b, row);
	case N_NOT:
		return !holds(x->a, row);
	case N_CMP:
		return compare(x, row);
	default:
		eval(x, row, &v);
		if (v.kind == V_STR && to_num(&v, &d))
			return v.n > 0;
		return v.kind != V_NONE && !to_num(&v, &d) && d != 0;
	}
}

int where_eval(const struct where_expr *x, const struct where_row *row)
{
	return x ? holds(x, row) : 1;
}
