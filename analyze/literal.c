/*
 * literal.c: the literals a line must contain for a pattern to match (see
 * literal.h). The scanner (scan.c) finds them in one pass, so only lines
 * that hold one go to PCRE2.
 */
#include <ctype.h>
#include <string.h>
#include "buf.h"
#include "casefile.h"
#include "literal.h"

static size_t skip_class(const char *p, size_t i, size_t n)
{
	i++;			/* '[' */
	if (i < n && p[i] == '^')
		i++;
	if (i < n && p[i] == ']')
		i++;
	while (i < n && p[i] != ']') {
		if (p[i] == '\\')
			i++;
		else if (p[i] == '[' && i + 1 < n && p[i + 1] == ':') {
			const char *e = strstr(p + i + 2, ":]");

			if (e)
				i = (size_t)(e - p) + 1;
		}
		i++;
	}
	return i < n ? i + 1 : n;
}

static size_t skip_group(const char *p, size_t i, size_t n)
{
	int depth = 0;

	while (i < n) {
		if (p[i] == '\\') {
			i += 2;
			continue;
		}
		if (p[i] == '[') {
			i = skip_class(p, i, n);
			continue;
		}
		if (p[i] == '(')
			depth++;
		else if (p[i] == ')' && --depth == 0)
			return i + 1;
		i++;
	}
	return n;
}

/* A quantifier at p[i]: its length, and whether it allows zero. */
static size_t quantifier(const char *p, size_t i, size_t n, int *zero)
{
	size_t j;

	if (i >= n)
		return 0;
	if (p[i] == '?' || p[i] == '*' || p[i] == '+') {
		*zero = p[i] != '+';
		j = i + 1;
	} else if (p[i] == '{' && i + 1 < n && isdigit((unsigned char)p[i + 1])) {
		*zero = p[i + 1] == '0';
		for (j = i + 1; j < n && (isdigit((unsigned char)p[j]) || p[j] == ','); j++)
			;
		if (j >= n || p[j] != '}')
			return 0;
		j++;
	} else {
		return 0;
	}
	if (j < n && (p[j] == '?' || p[j] == '+'))
		j++;	/* lazy or possessive */
	return j - i;
}

static void keep_best(struct buf *best, struct buf *cur)
{
	if (cur->len > best->len) {
		buf_reset(best);
		buf_add(best, cur->data, cur->len);
	}
	buf_reset(cur);
}

static void branch_literal(const char *p, size_t n, struct buf *best);

/*
 * A group that must match (not optional, no alternation at its top, not a
 * look-around) has its own required literals: "(?<port>ata\d+): " needs
 * "ata". g[0..n) is the whole group with its parentheses.
 */
static void group_literal(const char *g, size_t n, struct buf *best)
{
	size_t start = 1, i;

	if (n < 2 || g[n - 1] != ')')
		return;
	if (g[1] == '?') {
		if (n > 3 && g[2] == ':')
			start = 3;
		else if (n > 3 && (g[2] == '<' || g[2] == 'P' || g[2] == '\'') &&
			 g[3] != '=' && g[3] != '!') {
			const char *close = memchr(g, g[2] == '\'' ? '\'' : '>', n);

			if (!close)
				return;
			start = (size_t)(close - g) + 1;
		} else {
			return;	/* look-around, inline options, conditionals */
		}
	}
	for (i = start; i < n - 1; i++) {
		if (g[i] == '\\')
			i++;
		else if (g[i] == '[')
			i = skip_class(g, i, n - 1) - 1;
		else if (g[i] == '(')
			i = skip_group(g, i, n - 1) - 1;
		else if (g[i] == '|')
			return;
	}
	branch_literal(g + start, n - 1 - start, best);
}

/* The longest literal run of one top-level branch p[0..n). */
static void branch_literal(const char *p, size_t n, struct buf *best)
{
	struct buf cur = BUF_INIT(0);
	size_t i = 0, q;
	int zero;

	while (i < n) {
		char c = p[i];

		if (c == '\\' && i + 1 < n) {
			char e = p[i + 1];

			i += 2;
			if (isalnum((unsigned char)e)) {
				keep_best(best, &cur);
				if ((e == 'x' || e == 'p' || e == 'P' || e == 'g' || e == 'k') &&
				    i < n && (p[i] == '{' || p[i] == '<')) {
					const char *close = memchr(p + i, p[i] == '{' ? '}' : '>', n - i);

					i = close ? (size_t)(close - p) + 1 : n;
				}
				i += quantifier(p, i, n, &zero);
				continue;
			}
			buf_addch(&cur, e);
		} else if (c == '(') {
			size_t end = skip_group(p, i, n), q2 = quantifier(p, end, n, &zero);

			keep_best(best, &cur);
			if (!q2 || !zero)
				group_literal(p + i, end - i, best);
			i = end + q2;
			continue;
		} else if (c == '[') {
			keep_best(best, &cur);
			i = skip_class(p, i, n);
			i += quantifier(p, i, n, &zero);
			continue;
		} else if (c == '.' || c == '^' || c == '$') {
			keep_best(best, &cur);
			i++;
			i += quantifier(p, i, n, &zero);
			continue;
		} else {
			buf_addch(&cur, c);
			i++;
		}
		q = quantifier(p, i, n, &zero);
		if (q) {
			/* it binds the last character: gone if it may occur zero times */
			if (zero && cur.len)
				cur.len--;
			keep_best(best, &cur);
			i += q;
		}
	}
	keep_best(best, &cur);
	buf_release(&cur);
}

size_t literal_extract(const char *p, struct literal **out)
{
	size_t n = strlen(p), i = 0, nr = 0;
	struct literal *v = NULL;

	*out = NULL;
	if (!strncmp(p, "(?i)", 4))
		i = 4;
	if (strstr(p, "(?x") || strstr(p, "(?|"))
		return 0;	/* extended syntax: whitespace means nothing */
	for (;;) {
		/* find the end of this top-level branch */
		size_t j = i;
		struct buf best = BUF_INIT(0);

		while (j < n && p[j] != '|') {
			if (p[j] == '\\')
				j += 2;
			else if (p[j] == '[')
				j = skip_class(p, j, n);
			else if (p[j] == '(')
				j = skip_group(p, j, n);
			else
				j++;
		}
		if (j > n)
			j = n;
		branch_literal(p + i, j - i, &best);
		if (best.len < LITERAL_MIN) {
			size_t k;

			buf_release(&best);
			for (k = 0; k < nr; k++)
				free(v[k].text);
			free(v);
			return 0;
		}
		v = xrealloc(v, (nr + 1) * sizeof(*v));
		v[nr].len = best.len;
		v[nr].text = buf_detach(&best, NULL);
		nr++;
		if (j >= n)
			break;
		i = j + 1;
	}
	*out = v;
	return nr;
}
