/*
 * table_expr.c: the "where" language (see where.h): a small recursive
 * descent parser into a tree (table_state.h), run by table_eval.c.
 *
 *   or   := and ('||' and)*         and := not ('&&' not)*
 *   not  := '!' not | cmp           cmp := sum (OP sum)?
 *   sum  := prod (('+'|'-') prod)*  prod := unary (('*'|'/') unary)*
 *   unary := '-' unary | NUMBER['%'] | 'TEXT' | "TEXT" | ref | '(' or ')'
 *   ref  := NAME ['[' or ']'] | TABLE '.' FIELD ['[' or ']']
 *         | TABLE '[' or ']' '.' FIELD ['[' or ']']
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "casefile.h"
#include "rules.h"
#include "table_state.h"
#include "where.h"

#define DEPTH_MAX 32

struct parser {
	const char *s, *p;
	const struct catalog *cat;
	struct where_names *names;
	struct buf *why;
	int depth, bad;
};

static struct where_expr *node(enum node_kind k, struct where_expr *a, struct where_expr *b)
{
	struct where_expr *x = xcalloc(1, sizeof(*x));

	x->kind = k;
	x->a = a;
	x->b = b;
	return x;
}

void where_free(struct where_expr *x)
{
	if (!x)
		return;
	where_free(x->a);
	where_free(x->b);
	where_free(x->key);
	where_free(x->word);
	free(x->str);
	free(x->ref);
	pcre2_code_free(x->re);
	pcre2_match_data_free(x->md);
	free(x);
}

void where_names_release(struct where_names *names)
{
	while (names->n)
		free(names->v[--names->n]);
	free(names->v);
	names->v = NULL;
}

int where_reads_tables(const struct where_expr *x)
{
	if (!x)
		return 0;
	return x->kind == N_TABLE || where_reads_tables(x->a) || where_reads_tables(x->b) ||
	       where_reads_tables(x->key) || where_reads_tables(x->word);
}

/* ---- parsing ------------------------------------------------------------------ */

static struct where_expr *fail(struct parser *ps, const char *what)
{
	if (!ps->bad)
		buf_addf(ps->why, "where '%s': %s at offset %zu", ps->s, what,
			 (size_t)(ps->p - ps->s));
	ps->bad = 1;
	return NULL;
}

static void skip_ws(struct parser *ps)
{
	while (isspace((unsigned char)*ps->p))
		ps->p++;
}

static int eat(struct parser *ps, const char *tok)
{
	size_t n = strlen(tok);

	skip_ws(ps);
	if (strncmp(ps->p, tok, n))
		return 0;
	ps->p += n;
	return 1;
}

static int name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.' || c == '-';
}

static struct where_expr *parse_or(struct parser *ps);

static size_t name_index(struct where_names *names, const char *n, size_t len)
{
	size_t k;

	for (k = 0; k < names->n; k++)
		if (strlen(names->v[k]) == len && !strncmp(names->v[k], n, len))
			return k;
	names->v = xrealloc(names->v, (names->n + 1) * sizeof(*names->v));
	names->v[names->n] = xstrndup(n, len);
	return names->n++;
}

/* [N]: the word of a value, or a table's key */
static struct where_expr *bracket(struct parser *ps)
{
	struct where_expr *x;

	if (!eat(ps, "["))
		return NULL;
	x = parse_or(ps);
	if (x && !eat(ps, "]")) {
		where_free(x);
		return fail(ps, "expected ']'");
	}
	return x;
}

/* A source of the catalogue that has a table, named by s[0..n). */
static const struct source *table_named(const struct parser *ps, const char *s, size_t n)
{
	char name[64];
	const struct source *src;

	if (n >= sizeof(name))
		return NULL;
	memcpy(name, s, n);
	name[n] = '\0';
	src = catalog_find(ps->cat, name);
	return src && src->table ? src : NULL;
}

static struct where_expr *parse_table_ref(struct parser *ps, const struct source *src,
					  const char *start)
{
	struct where_expr *x = node(N_TABLE, NULL, NULL);
	const char *f;

	x->index = (size_t)(src - ps->cat->items);
	if (*ps->p == '[') {
		x->key = bracket(ps);
		if (!x->key || *ps->p != '.') {
			where_free(x);
			return fail(ps, "expected TABLE[KEY].FIELD");
		}
	}
	f = ++ps->p;
	while (name_char(*ps->p))
		ps->p++;
	if (ps->p == f) {
		where_free(x);
		return fail(ps, "expected a field after the table's name");
	}
	x->str = xstrndup(f, (size_t)(ps->p - f));
	if (*ps->p == '[' && !(x->word = bracket(ps))) {
		where_free(x);
		return NULL;
	}
	x->ref = xstrndup(start, (size_t)(ps->p - start));
	return x;
}

static struct where_expr *parse_ref(struct parser *ps)
{
	const char *start = ps->p, *dot;
	const struct source *src;
	struct where_expr *x;

	while (name_char(*ps->p))
		ps->p++;
	dot = memchr(start, '.', (size_t)(ps->p - start));
	if (*ps->p == '[' && (src = table_named(ps, start, (size_t)(ps->p - start))))
		return parse_table_ref(ps, src, start);
	if (dot && dot > start && (src = table_named(ps, start, (size_t)(dot - start)))) {
		ps->p = dot;
		return parse_table_ref(ps, src, start);
	}
	x = node(N_FIELD, NULL, NULL);
	x->index = name_index(ps->names, start, (size_t)(ps->p - start));
	x->str = xstrndup(start, (size_t)(ps->p - start));
	if (*ps->p == '[') {
		if (!(x->word = bracket(ps))) {
			where_free(x);
			return NULL;
		}
		/* a word of a field is a value of its own for templates: {free[2]} */
		x->ref = xstrndup(start, (size_t)(ps->p - start));
	}
	return x;
}

static struct where_expr *parse_string(struct parser *ps)
{
	char q = *ps->p++;
	struct buf b = BUF_INIT(0);
	struct where_expr *x;

	/* only the quote itself is escaped (\'): a pattern keeps its backslashes */
	while (*ps->p && *ps->p != q) {
		if (*ps->p == '\\' && ps->p[1] == q)
			ps->p++;
		buf_addch(&b, *ps->p++);
	}
	if (*ps->p != q) {
		buf_release(&b);
		return fail(ps, "text without its closing quote");
	}
	ps->p++;
	x = node(N_STR, NULL, NULL);
	x->str = buf_detach(&b, &x->len);
	return x;
}

static struct where_expr *parse_unary(struct parser *ps)
{
	struct where_expr *x;
	char *end;

	skip_ws(ps);
	if (++ps->depth > DEPTH_MAX)
		return fail(ps, "too deeply nested");
	if (eat(ps, "-")) {
		x = parse_unary(ps);
		x = x ? node(N_NEG, x, NULL) : NULL;
	} else if (eat(ps, "(")) {
		x = parse_or(ps);
		if (x && !eat(ps, ")")) {
			where_free(x);
			x = fail(ps, "expected ')'");
		}
	} else if (*ps->p == '\'' || *ps->p == '"') {
		x = parse_string(ps);
	} else if (isdigit((unsigned char)*ps->p) || (*ps->p == '.' && isdigit((unsigned char)ps->p[1]))) {
		x = node(N_NUM, NULL, NULL);
		x->num = strtod(ps->p, &end);
		ps->p = end;
		if (*ps->p == '%')
			ps->p++;
	} else if (isalpha((unsigned char)*ps->p) || *ps->p == '_') {
		x = parse_ref(ps);
	} else {
		x = fail(ps, "expected a number, 'text', a name or '('");
	}
	ps->depth--;
	return x;
}

static struct where_expr *parse_binary(struct parser *ps, int level);

/* level 0: * and /; level 1: + and - */
static struct where_expr *parse_binary(struct parser *ps, int level)
{
	struct where_expr *x = level ? parse_binary(ps, 0) : parse_unary(ps);

	while (x) {
		enum node_kind k;

		skip_ws(ps);
		if (level == 0 && (*ps->p == '*' || *ps->p == '/'))
			k = *ps->p == '*' ? N_MUL : N_DIV;
		else if (level == 1 && (*ps->p == '+' || (*ps->p == '-' && ps->p[1] != '-')))
			k = *ps->p == '+' ? N_ADD : N_SUB;
		else
			break;
		ps->p++;
		x = node(k, x, level ? parse_binary(ps, 0) : parse_unary(ps));
		if (!x->b) {
			where_free(x);
			return NULL;
		}
	}
	return x;
}

static struct where_expr *parse_cmp(struct parser *ps)
{
	static const struct { const char *s; int op; } ops[] = {
		{ ">=", OP_GE }, { "<=", OP_LE }, { "==", OP_EQ }, { "!=", OP_NE },
		{ "=~", OP_MATCH }, { "!~", OP_NOMATCH }, { ">", OP_GT }, { "<", OP_LT },
	};
	struct where_expr *x = parse_binary(ps, 1), *c;
	size_t i;

	if (!x)
		return NULL;
	skip_ws(ps);
	for (i = 0; i < ARRAY_SIZE(ops) && strncmp(ps->p, ops[i].s, strlen(ops[i].s)); i++)
		;
	if (i == ARRAY_SIZE(ops))
		return x;
	ps->p += strlen(ops[i].s);
	c = node(N_CMP, x, parse_binary(ps, 1));
	c->op = ops[i].op;
	if (!c->b) {
		where_free(c);
		return NULL;
	}
	if (c->op == OP_MATCH || c->op == OP_NOMATCH) {
		PCRE2_SIZE off;
		int code;

		if (c->b->kind != N_STR) {
			where_free(c);
			return fail(ps, "=~ and !~ take a 'pattern' in quotes");
		}
		c->re = pcre2_compile((PCRE2_SPTR)c->b->str, c->b->len, 0, &code, &off, NULL);
		if (!c->re) {
			where_free(c);
			return fail(ps, "the pattern after =~ does not compile");
		}
		c->md = pcre2_match_data_create(1, NULL);
	}
	return c;
}

static struct where_expr *parse_not(struct parser *ps)
{
	struct where_expr *x;

	skip_ws(ps);
	if (*ps->p == '!' && ps->p[1] != '=' && ps->p[1] != '~') {
		ps->p++;
		if (++ps->depth > DEPTH_MAX)
			return fail(ps, "too deeply nested");
		x = parse_not(ps);
		ps->depth--;
		return x ? node(N_NOT, x, NULL) : NULL;
	}
	return parse_cmp(ps);
}

static struct where_expr *parse_and_or(struct parser *ps, int or)
{
	struct where_expr *x = or ? parse_and_or(ps, 0) : parse_not(ps);

	while (x && eat(ps, or ? "||" : "&&")) {
		x = node(or ? N_OR : N_AND, x, or ? parse_and_or(ps, 0) : parse_not(ps));
		if (!x->b) {
			where_free(x);
			return NULL;
		}
	}
	return x;
}

static struct where_expr *parse_or(struct parser *ps)
{
	struct where_expr *x;

	if (++ps->depth > DEPTH_MAX)
		return fail(ps, "too deeply nested");
	x = parse_and_or(ps, 1);
	ps->depth--;
	return x;
}

int where_compile(const char *text, const struct catalog *cat, struct where_names *names,
		  struct where_expr **out, struct buf *why)
{
	struct parser ps = { text, text, cat, names, why, 0, 0 };
	struct where_expr *x = parse_or(&ps);

	skip_ws(&ps);
	if (x && *ps.p) {
		where_free(x);
		x = fail(&ps, "expected an operator (>= > <= < == != =~ !~ && || + - * /)");
	}
	*out = x;
	return x ? 0 : CF_ERR_PARSE;
}
