/*
 * redact_pairs.c: name/value pairs without a keyword in their name
 * (redact_int.h): the value of any setting when it looks generated or like a
 * person's password, unless the name is a digest's, an id's or a public
 * key's; and the conventions that put a secret's name in one place and its
 * value in another: {"name": "DB_PASSWORD", "value": "x"}, Kubernetes' env
 * lists over two lines, YAML block scalars under a strong name.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include "casefile.h"
#include "redact_int.h"

static int hspace(char c)
{
	return c == ' ' || c == '\t';
}

static inline int name_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '.' || c >= 0x80;
}

/* The name before a separator at sep: quoted or bare; [*ns, *ne). */
static int name_before(const char *t, size_t ls, size_t sep, size_t *ns, size_t *ne)
{
	size_t e = sep, s;

	while (e > ls && hspace(t[e - 1]))
		e--;
	if (e > ls && (t[e - 1] == '"' || t[e - 1] == '\'')) {
		char q = t[e - 1];

		for (s = e - 1; s > ls && t[s - 1] != q; s--)
			;
		if (s == ls)
			return 0;
		*ns = s;
		*ne = e - 1;
		return *ne > *ns;
	}
	for (s = e; s > ls && name_char((unsigned char)t[s - 1]); s--)
		;
	*ns = s;
	*ne = e;
	return e > s;
}

/*
 * {"name": "DB_PASSWORD", "value": "x"}, <property name="password" value="x"/>:
 * before the field "value" on its line, a field "name" or "key" whose value
 * is a secret's name.
 */
static int named_before(const struct redactor *r, const char *t, size_t ls, size_t vs)
{
	size_t i;

	for (i = vs; i > ls + 3 && vs - i < 256; i--) {
		size_t k = t[i - 1] == 'e' && i - ls >= 4 && !strncasecmp(t + i - 4, "name", 4) ? 4 :
			   t[i - 1] == 'y' && !strncasecmp(t + i - 3, "key", 3) ? 3 : 0;
		size_t p = i, e;

		if (!k || (i - k > ls && isalnum((unsigned char)t[i - k - 1])))
			continue;
		while (p < vs && (t[p] == '"' || t[p] == '\'' || hspace(t[p])))
			p++;
		if (p >= vs || (t[p] != ':' && t[p] != '='))
			continue;
		for (p++; p < vs && (t[p] == '"' || t[p] == '\'' || hspace(t[p])); p++)
			;
		for (e = p; e < vs && !strchr("\"', \t;}", t[e]); e++)
			;
		return e > p && pcre2_match(r->keywords, (PCRE2_SPTR)t, e, p, 0, r->vmd, NULL) >= 0 &&
		       pcre2_get_ovector_pointer(r->vmd)[2 * r->strong_group] != PCRE2_UNSET;
	}
	return 0;
}

/* The name [ns, ne) says secret: a keyword, strong or weak, and no "public" */
static int secret_name(const struct redactor *r, const char *t, size_t ns, size_t ne)
{
	size_t i;

	for (i = ns; i + 6 <= ne; i++)
		if (!strncasecmp(t + i, "public", 6))
			return 0;
	return ne > ns && pcre2_match(r->keywords, (PCRE2_SPTR)t, ne, ns, 0, r->vmd, NULL) >= 0;
}

int redact_kv_section(const struct redactor *r, const char *t, size_t ls, size_t le, int *secret,
		      int *ini)
{
	size_t i = ls, e = le, ns, ne;

	while (i < e && hspace(t[i]))
		i++;
	while (e > i && (hspace(t[e - 1]) || t[e - 1] == '\r'))
		e--;
	*secret = *ini = 0;
	if (i == e || t[i] == '#' || t[i] == ';')
		return -1;
	if (t[i] == '[') {
		if (t[e - 1] != ']')
			return -1;
		for (ns = i; ns < e && t[ns] == '['; ns++)
			;
		for (ne = e; ne > ns && t[ne - 1] == ']'; ne--)
			;
		if (ne == ns || memchr(t + ns, '=', ne - ns) || memchr(t + ns, ',', ne - ns))
			return -1;
		*ini = 1;
		*secret = secret_name(r, t, ns, ne);
		return 0;
	}
	if (t[e - 1] == '{')	/* "name": { */
		for (e--; e > i && hspace(t[e - 1]); e--)
			;
	if (e < i + 2 || t[e - 1] != ':')
		return -1;
	if (t[i] == '-' && i + 1 < e && hspace(t[i + 1]))
		for (i++; i < e && hspace(t[i]); i++)
			;
	if (!name_before(t, i, e - 1, &ns, &ne) || ns != i + (t[i] == '"' || t[i] == '\''))
		return -1;
	*secret = secret_name(r, t, ns, ne);
	return (int)(i - ls);
}

/*
 * The value at ns is inside '"name": {' on its line whose name says secret
 * (JSON nested on one line); a few levels out, within 4 KiB.
 */
static int inline_parent_secret(const struct redactor *r, const char *t, size_t ls, size_t at)
{
	size_t i, ns, ne, p, stop = at - ls > 4096 ? at - 4096 : ls;
	int depth = 0, levels = 0;

	for (i = at; i > stop && levels < 6; i--) {
		char c = t[i - 1];

		if (c == '}' || c == ']')
			depth++;
		else if (c == '[' && depth)
			depth--;
		else if (c == '{' && depth)
			depth--;
		else if (c == '{') {
			levels++;
			for (p = i - 1; p > ls && hspace(t[p - 1]); p--)
				;
			if (p > ls && t[p - 1] == ':' && name_before(t, ls, p - 1, &ns, &ne) &&
			    secret_name(r, t, ns, ne))
				return 1;
		}
	}
	return 0;
}

void redact_kv_line(const struct redactor *r, const char *t, size_t ls, size_t le, int in_secret,
		    struct redact_spans *out)
{
	enum redact_look look;
	size_t i;

	for (i = ls; i < le; i++) {
		struct redact_value v = { 0, 0, 0, 0 };
		size_t ns, ne, n, sep, done;
		char c = t[i];

		if (c == '\xef' && le - i >= 3 && !memcmp(t + i, "\xef\xbc\x9a", 3)) {
			/* a full-width colon (Chinese, Japanese): only after a keyword */
			if (redact_kv_keyword_before(r, t, ls, le, i, out))
				i += 2;
			continue;
		}
		if (c != '=' && c != ':')
			continue;
		if (c == '=' && ((i + 1 < le && t[i + 1] == '=') || (i > ls && strchr("=!<>", t[i - 1]))))
			continue;
		sep = i;
		if (c == '=' && i + 1 < le && t[i + 1] == '>')
			i++;	/* Ruby's, PHP's and Perl's 'name' => 'value' */
		if (c == ':' && i + 1 < le && !hspace(t[i + 1]) && t[i + 1] != '"' && t[i + 1] != '\'')
			continue;
		if (name_before(t, ls, sep, &ns, &ne) && ne - ns == 5 &&
		    !strncasecmp(t + ns, "value", 5) && named_before(r, t, ls, ns)) {
			redact_kv_value(t, ls, le, ns, i + 1, '=', &v);
			if (v.e > v.s && !redact_value_ordinary(r, t + v.s, v.e - v.s))
				redact_span_add(out, v.s, v.e);
			continue;
		}
		if ((done = redact_kv_keyword_before(r, t, ls, le, sep, out))) {
			if (done > i + 1)
				i = done - 1;	/* inside the value it redacted: nothing more */
			continue;
		}
		/* no name says secret: the value must look generated, so long */
		for (ne = i + 1; ne < le && hspace(t[ne]); ne++)
			;
		for (n = ne; n < le && n - ne < 8 && !hspace(t[n]); n++)
			;
		if (n - ne < 8 || !name_before(t, ls, sep, &ns, &ne) ||
		    redact_value_digest_name(r, t + ns, ne - ns))
			continue;
		redact_kv_value(t, ls, le, ns, i + 1, '=', &v);
		n = v.e - v.s;
		/* hex needs a keyword: without one it is a digest or an id */
		if (n < 8 || redact_value_ordinary(r, t + v.s, n) || !strncasecmp(t + v.s, "data:", 5))
			continue;
		{
			size_t cs = v.s, ce = v.e;

			redact_value_core(t, &cs, &ce);
			look = ce - cs < 8 ? REDACT_PLAIN : redact_value_look(t + cs, ce - cs);
			/* a generated secret, or what people make to pass password rules; under
			 * a name that says secret ([secrets], auth:, "keys": {) hex too */
			if (look != REDACT_RANDOM && (look != REDACT_PASSWORD || ce - cs != v.e - v.s) &&
			    !(look == REDACT_HEX && (in_secret || inline_parent_secret(r, t, ls, ns))))
				continue;
		}
		/* root=UUID=...: the inner pair is looked at on its own */
		if (memchr(t + v.s, '=', n) && t[v.e - 1] != '=')
			continue;
		if (redact_value_public_b64(t + v.s, n) || redact_tokens_public(r, t, ls, v.s, v.e) ||
		    redact_value_has_digest(r, t + v.s, n))
			continue;
		redact_span_add(out, v.s, v.e);
	}
}

int redact_kv_block(const struct redactor *r, const char *t, size_t ls, size_t le)
{
	size_t e = le, i, ind;
	PCRE2_SIZE *ov;

	while (e > ls && (hspace(t[e - 1]) || t[e - 1] == '\r'))
		e--;
	/* "name: |", "name: >-", "name: |2" */
	while (e > ls && (t[e - 1] == '-' || t[e - 1] == '+' || isdigit((unsigned char)t[e - 1])))
		e--;
	if (e < ls + 3 || (t[e - 1] != '|' && t[e - 1] != '>'))
		return -1;
	for (e--; e > ls && hspace(t[e - 1]); e--)
		;
	if (e == ls || t[e - 1] != ':')
		return -1;
	for (ind = 0, i = ls; i < e && (hspace(t[i]) || t[i] == '-'); i++)
		ind++;
	if (pcre2_match(r->keywords, (PCRE2_SPTR)t, e - 1, i, 0, r->vmd, NULL) < 0)
		return -1;
	ov = pcre2_get_ovector_pointer(r->vmd);
	if (ov[2 * r->strong_group] == PCRE2_UNSET)
		return -1;
	return (int)ind;
}

/* "  - name: DB_PASSWORD" (a field "name" or "key" whose value is a secret's name) */
int redact_kv_secret_name(const struct redactor *r, const char *t, size_t ls, size_t le)
{
	size_t i = ls, v;
	PCRE2_SIZE *ov;

	while (i < le && (hspace(t[i]) || t[i] == '-'))
		i++;
	if (le - i > 5 && !strncasecmp(t + i, "name:", 5))
		v = i + 5;
	else if (le - i > 4 && !strncasecmp(t + i, "key:", 4))
		v = i + 4;
	else
		return 0;
	if (pcre2_match(r->keywords, (PCRE2_SPTR)t, le, v, 0, r->vmd, NULL) < 0)
		return 0;
	ov = pcre2_get_ovector_pointer(r->vmd);
	return ov[2 * r->strong_group] != PCRE2_UNSET;
}

/* The next line's "value: x" (Kubernetes' env lists): 1 when there was one. */
int redact_kv_named_value(const struct redactor *r, const char *t, size_t ls, size_t le,
			  struct redact_spans *out)
{
	struct redact_value v = { 0, 0, 0, 0 };
	size_t i = ls;

	while (i < le && hspace(t[i]))
		i++;
	if (le - i < 7 || strncasecmp(t + i, "value:", 6))
		return 0;
	redact_kv_value(t, ls, le, i, i + 6, ':', &v);
	if (v.e > v.s && !redact_value_ordinary(r, t + v.s, v.e - v.s))
		redact_span_add(out, v.s, v.e);
	return 1;
}
