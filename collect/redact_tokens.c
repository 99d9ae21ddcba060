/*
 * redact_tokens.c: tokens that need no name around them (redact_int.h).
 *
 * A line is cut into runs of token characters (letters, digits, _ . + / =
 * ~ $ % -; "name=value" is two runs). A run is a secret when it is
 *   - a known token: a prefix of rules/redact.yaml's tokens: list followed by
 *     the characters and length its vendor documents (AKIA..., hf_...);
 *   - a prefixed random token: one to three short words, then a separator
 *     and a random body (xyz_..., abc-def-..., ab.cd....), which is how most
 *     vendors shape theirs, so that one nobody listed is found too;
 *   - base64 of a private key (PEM or DER) or of "user:password";
 *   - a long random string on its own (redact_value.c), unless it is hex (a
 *     digest, an id), base64 of text or of a public key or certificate,
 *     follows a digest's prefix (sha256:, h1:), or is the value of a name
 *     of a digest or a public key.
 * Public tokens (public_tokens: age1..., NATS public keys) stay.
 */
#include <ctype.h>
#include <math.h>
#include <string.h>
#include <strings.h>
#include "casefile.h"
#include "redact.h"
#include "redact_int.h"

static inline int tok_char(unsigned char c)
{
	static unsigned char set[256];
	static int ready;

	if (!ready) {
		const char *p;
		int i;

		for (i = 0; i < 256; i++)
			set[i] = isalnum(i) != 0;
		for (p = "_.+/=~$%-"; *p; p++)
			set[(unsigned char)*p] = 1;
		ready = 1;
	}
	return set[c];
}

static int starts_icase(const char *t, size_t n, const char *p)
{
	size_t k = strlen(p);

	return n >= k && !strncasecmp(t, p, k);
}

/* A digest's or a public key's prefix at the run's start or just before it. */
static int public_prefixed(const struct redactor *r, const char *t, size_t ls, size_t s, size_t e)
{
	char *const *v = r->public_prefixes;
	size_t i, k;

	for (i = 0; v && v[i]; i++) {
		k = strlen(v[i]);
		if (starts_icase(t + s, e - s, v[i]))
			return 1;
		if (s - ls >= k && !strncasecmp(t + s - k, v[i], k))
			return 1;
	}
	return 0;
}

static int in_set(const struct redact_token *k, const char *t, size_t s, size_t e)
{
	size_t i;

	for (i = s; i < e; i++)
		if (!k->set[(unsigned char)t[i]])
			return 0;
	return 1;
}

/* The length of the known token at s, or 0. */
static size_t known_token(const struct redact_token *v, size_t nv, const char *t, size_t s,
			  size_t e)
{
	size_t i;

	for (i = 0; i < nv; i++) {
		const struct redact_token *k = &v[i];
		size_t b = s + k->prefix_len, end;

		if (e - s < k->prefix_len + k->min || memcmp(t + s, k->prefix, k->prefix_len))
			continue;
		for (end = b; end < e && end - b < k->max && k->set[(unsigned char)t[end]]; end++)
			;
		if (end - b >= k->min && (end == e || !isalnum((unsigned char)t[end])) &&
		    in_set(k, t, b, end))
			return end - s;
	}
	return 0;
}

/* One to three short words and a random body: sk_live_..., dp.pt...., glpat-... */
static int prefixed_random(const struct redactor *r, const char *t, size_t s, size_t e)
{
	size_t segs[8][2], nseg = 0, i = s, k;

	while (i < e && nseg < 8) {
		size_t a = i;

		while (i < e && isalnum((unsigned char)t[i]))
			i++;
		segs[nseg][0] = a;
		segs[nseg][1] = i;
		nseg++;
		if (i < e && !strchr("_.-", t[i]))
			return 0;	/* + / = ~ $ %: not this shape */
		i++;
	}
	if (nseg < 2 || i < e || !isalpha((unsigned char)t[s]))
		return 0;
	/* the last part is a word: a file name or a unit (run-r1a2b.scope) */
	k = segs[nseg - 1][1] - segs[nseg - 1][0];
	if (k < 6 && redact_value_look(t + segs[nseg - 1][0], k) == REDACT_PLAIN)
		return 0;
	for (k = 1; k <= 3 && k < nseg; k++) {
		size_t j, b = segs[k][0], n = e - b;

		if (segs[k - 1][1] - segs[k - 1][0] > 12 || segs[k - 1][1] == segs[k - 1][0])
			return 0;
		if (n < 16 || b - s > 24)
			continue;
		for (j = 0; j < k; j++)
			if (redact_value_look(t + segs[j][0], segs[j][1] - segs[j][0]) != REDACT_PLAIN)
				break;
		if (j < k)
			return 0;	/* the "prefix" is itself random: no prefix */
		if (redact_value_look(t + b, n) >= REDACT_HEX)
			return 1;
	}
	(void)r;
	return 0;
}

/* The name before the value at s ("name": "value", name=value, name: value) is one
 * of public_names (public) or of digest_names. */
static int value_of_name(const struct redactor *r, const char *t, size_t ls, size_t s, int public)
{
	size_t e = s, b;

	while (e > ls && (t[e - 1] == '"' || t[e - 1] == '\'' || t[e - 1] == ' '))
		e--;
	if (e == ls || (t[e - 1] != '=' && t[e - 1] != ':'))
		return 0;
	e--;
	while (e > ls && (t[e - 1] == '"' || t[e - 1] == '\'' || t[e - 1] == ' '))
		e--;
	for (b = e; b > ls && (isalnum((unsigned char)t[b - 1]) || strchr("_-.", t[b - 1])); b--)
		;
	return e > b && redact_in_names(public ? r->public_names : r->digest_names, t + b, e - b);
}

/* Base64 of "user:password" (docker's auth, HTTP Basic), of a PEM or DER private key. */
static int b64_secret(const char *s, size_t n)
{
	static const char pem[] = "LS0tLS1CRUdJTi";	/* "-----BEGIN" */
	unsigned char d[96];
	size_t i, o = 0, colon = 0;
	unsigned acc = 0;
	int bits = 0;

	for (i = 0; i < n && s[i] != '='; i++) {
		const char *p = strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
				       s[i]);

		if (!p || !s[i])
			return 0;
		acc = (acc << 6) | (unsigned)(p - "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
					      "0123456789+/");
		if ((bits += 6) >= 8 && o < sizeof(d)) {
			bits -= 8;
			d[o++] = (unsigned char)(acc >> bits);
		}
	}
	if (n >= 40 && !strncmp(s, pem, sizeof(pem) - 1))
		return memmem(d, o, "PRIVATE", 7) != NULL;
	/* DER: SEQUENCE { INTEGER version, ... } is a private key */
	if (n >= 64 && o > 6 && d[0] == 0x30 && (d[1] == 0x81 || d[1] == 0x82)) {
		size_t p = 2 + (d[1] & 0x7f);

		return p + 2 < o && d[p] == 0x02 && d[p + 1] == 0x01 && d[p + 2] <= 1;
	}
	if (n < 8 || n % 4 || o < 3 || o >= sizeof(d))
		return 0;
	for (i = 0; i < o; i++) {
		if (d[i] <= 0x20 || d[i] >= 0x7f)
			return 0;
		colon += d[i] == ':';
	}
	return colon && d[0] != ':' && d[o - 1] != ':';
}

static void token(const struct redactor *r, const char *t, size_t ls, size_t le, size_t s,
		  size_t e, struct redact_spans *out);

/* nginx@sha256:0f5e...: a value with a digest in it */
int redact_value_has_digest(const struct redactor *r, const char *s, size_t n)
{
	char *const *v = r->public_prefixes;
	size_t i, k, j;

	for (i = 0; v && v[i]; i++)
		for (k = strlen(v[i]), j = 0; j + k <= n; j++)
			if (!strncasecmp(s + j, v[i], k))
				return 1;
	return 0;
}

int redact_tokens_public(const struct redactor *r, const char *t, size_t ls, size_t s, size_t e)
{
	return public_prefixed(r, t, ls, s, e) ||
	       (e > s && known_token(r->public_tokens, r->npublic, t, s, e) == e - s);
}


/* A run with '/' in it: base64 as a whole, or a path whose parts are tried alone. */
static int path_parts(const struct redactor *r, const char *t, size_t ls, size_t le, size_t s,
		      size_t e, struct redact_spans *out)
{
	size_t i, a = s, words = 0;

	if (!memchr(t + s, '/', e - s))
		return 0;
	for (i = s; i <= e; i++) {
		if (i < e && t[i] != '/')
			continue;
		if (i - a >= 3 && (redact_value_span(t + a, i - a, "abcdefghijklmnopqrstuvwxyz") == i - a ||
				   redact_value_span(t + a, i - a, "0123456789.") == i - a))
			words++;
		a = i + 1;
	}
	if (!words)
		return 0;
	for (a = s, i = s; i <= e; i++) {
		if (i < e && t[i] != '/')
			continue;
		if (i > a)
			token(r, t, ls, le, a, i, out);
		a = i + 1;
	}
	return 1;
}

/*
 * Every secret this file finds has a digit, or both cases, or a symbol of
 * base64 in it: words, paths and host names go without a closer look.
 */
static int maybe_secret(const char *s, size_t n)
{
	size_t i;
	int upper = 0, lower = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c >= '0' && c <= '9') || c == '+' || c == '=' || c == '$' || c == '%')
			return 1;
		upper |= c >= 'A' && c <= 'Z';
		lower |= c >= 'a' && c <= 'z';
	}
	return upper && lower;
}

static void token(const struct redactor *r, const char *t, size_t ls, size_t le, size_t s,
		  size_t e, struct redact_spans *out)
{
	size_t k, pad;

	while (e > s && (t[e - 1] == '.' || t[e - 1] == ','))
		e--;
	/* after a backslash, an escape: "\nMIIE..." in a JSON string, troff's \fB */
	if (s > ls && t[s - 1] == '\\' && s < e && (s++, t[s - 1] == 'f' || t[s - 1] == '*') && s < e)
		s++;
	while (s < e && (t[s] == '-' || t[s] == '.'))
		s++;
	if (e - s < 12 || !maybe_secret(t + s, e - s) || redact_tokens_public(r, t, ls, s, e))
		return;
	if ((k = known_token(r->tokens, r->ntokens, t, s, e))) {
		redact_span_add(out, s, s + k);
		return;
	}
	if (path_parts(r, t, ls, le, s, e, out) || value_of_name(r, t, ls, s, 1))
		return;
	for (pad = e; pad > s && t[pad - 1] == '='; pad--)
		;
	if (b64_secret(t + s, e - s)) {
		redact_span_add(out, s, e);
		return;
	}
	if (prefixed_random(r, t, s, pad)) {
		redact_span_add(out, s, e);
		return;
	}
	if ((e < le && t[e] == '@') || value_of_name(r, t, ls, s, 0))
		return;	/* an e-mail address; the value of an id or a digest */
	{
		size_t cs = s, ce = pad;

		redact_value_core(t, &cs, &ce);
		if (ce - cs < 20 || redact_value_look(t + cs, ce - cs) != REDACT_RANDOM ||
		    redact_value_public_b64(t + s, e - s))
			return;
	}
	redact_span_add(out, s, e);
}

void redact_tokens_line(const struct redactor *r, const char *t, size_t ls, size_t le,
			struct redact_spans *out)
{
	size_t i = ls;

	while (i < le) {
		size_t s;

		if (!tok_char((unsigned char)t[i])) {
			i++;
			continue;
		}
		for (s = i; i < le && tok_char((unsigned char)t[i]); i++)
			if (t[i] == '=' && i + 1 < le && t[i + 1] != '=' && tok_char((unsigned char)t[i + 1]) &&
			    i > s)
				break;	/* name=value: two runs */
		token(r, t, ls, le, s, i, out);
		if (i < le && t[i] == '=')
			i++;
	}
}

/*
 * Configuration files only: detect-secrets' entropy guess (base64 above 4.5
 * bits a character, hex above 3), on quoted strings, values after '=' or ':'
 * and lines of one token (an ini file's continuation values); sequential
 * runs like 0123456789a and digests, ids and public keys are none.
 */
static int high_entropy(const char *s, size_t n)
{
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-";
	static const char hex[] = "0123456789abcdefABCDEF";
	static const char seq[] = "0123456789abcdefghijklmnopqrstuvwxyz"
		"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
	size_t i;

	if (n < 8)
		return 0;
	if (redact_value_span(s, n, hex) == n) {
		double h = redact_entropy(s, n);
		char low[256];

		if (n < sizeof(low)) {
			for (i = 0; i < n; i++)
				low[i] = (char)tolower((unsigned char)s[i]);
			low[n] = '\0';
			if (strstr(seq, low))
				return 0;
		}
		for (i = 0; i < n && isdigit((unsigned char)s[i]); i++)
			;
		if (i == n)	/* digits only: a number, less likely a secret */
			h -= 1.2 / log2((double)n);
		return h > 3.0;
	}
	for (i = 0; i < n && s[i] && strchr(b64, s[i]); i++)
		;
	return n >= 20 && i == n && redact_entropy(s, n) > 4.5 && !redact_value_public_b64(s, n);
}

/* The name before a value at s has no fewer than 3 characters: b=, s= are ids' */
static int named(const char *t, size_t ls, size_t s)
{
	size_t e = s, b;

	while (e > ls && strchr("\"' \t", t[e - 1]))
		e--;
	if (e == ls || (t[e - 1] != '=' && t[e - 1] != ':'))
		return 1;	/* a quoted string or a line of its own */
	e--;
	while (e > ls && strchr("\"' \t", t[e - 1]))
		e--;
	for (b = e; b > ls && (isalnum((unsigned char)t[b - 1]) || strchr("_-.", t[b - 1])); b--)
		;
	return e - b >= 3;
}

static void entropy_candidate(const struct redactor *r, const char *t, size_t ls, size_t s,
			      size_t e, struct redact_spans *out)
{
	if (e <= s || !high_entropy(t + s, e - s) || redact_tokens_public(r, t, ls, s, e) ||
	    value_of_name(r, t, ls, s, 0) || !named(t, ls, s) ||
	    redact_value_ordinary(r, t + s, e - s) || redact_value_has_digest(r, t + s, e - s))
		return;
	/* NAME=/run/x=y: a pair inside a value, looked at on its own */
	if (memchr(t + s, '=', e - s) && t[e - 1] != '=')
		return;
	redact_span_add(out, s, e);
}

void redact_tokens_entropy_line(const struct redactor *r, const char *t, size_t ls, size_t le,
				struct redact_spans *out)
{
	size_t i = ls, s, e;

	while (i < le) {
		char c = t[i];

		if (c == '"' || c == '\'') {
			for (s = ++i; i < le && t[i] != c; i++)
				;
			entropy_candidate(r, t, ls, s, i, out);
			i++;
		} else if (c == '=' || c == ':') {
			for (i++; i < le && (t[i] == ' ' || t[i] == '\t'); i++)
				;
			for (s = i; i < le && !isspace((unsigned char)t[i]) && !strchr("\"'#;,", t[i]); i++)
				;
			entropy_candidate(r, t, ls, s, i, out);
		} else {
			i++;
		}
	}
	/* a line that is one token (continuation values of ini files, indented); hex alone
	 * on a line of its own is an id (machine-id) */
	for (s = ls; s < le && isspace((unsigned char)t[s]); s++)
		;
	for (i = s; i < le && !isspace((unsigned char)t[i]); i++)
		;
	for (e = i; e < le && isspace((unsigned char)t[e]); e++)
		;
	if (i > s && e == le &&
	    (s > ls || redact_value_span(t + s, i - s, "0123456789abcdefABCDEF") < i - s))
		entropy_candidate(r, t, ls, s, i, out);
}
