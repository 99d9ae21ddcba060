/*
 * redact_kv.c: the values of settings (redact_int.h).
 *
 * The names of rules/redact.yaml's keywords (password, Passwort, 비밀번호,
 * secret, token ..., strong; key, auth, salt ..., weak), inside longer names
 * too (db_password, MYSQLPASS, keyStorePassword), are found by one PCRE2
 * scan of the chunk (scan_keywords) and in the words before each ':' or '='
 * (redact_pairs.c). What follows the name decides: a separator
 * ("=", ":", "=>", ":=", a typed declaration "passwd: str =", a prose word
 * "is", "lautet"), or a space (redis "requirepass x", prose "pass x"). A
 * strong name at the end of a setting's name takes any value that is not
 * ordinary; a weak name, a name that goes on (secret_store, token_endpoint)
 * and prose take only a value that looks like a secret.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include "casefile.h"
#include "redact_int.h"

enum strength { NONE, WEAK, STRONG };

static inline int name_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '.' || c >= 0x80;
}

static int camel(const char *t, size_t i)
{
	return islower((unsigned char)t[i - 1]) && isupper((unsigned char)t[i]);
}

static int hspace(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * What is open on the line before p (within 512 bytes): a double or single
 * quote (odd count), a brace, bracket or parenthesis; one walk.
 */
static void open_before(const char *t, size_t ls, size_t p, int *dq, int *sq, int *braces)
{
	int d = 0, q = 0, b = 0, k = 0, r = 0;
	size_t i;

	/* the last 512 bytes: a long line costs no more than a short one per value */
	for (i = p - ls > 512 ? p - 512 : ls; i < p; i++)
		switch (t[i]) {
		case '"': d ^= 1; break;
		case '\'': q ^= 1; break;
		case '{': b++; break;
		case '}': b--; break;
		case '[': k++; break;
		case ']': k--; break;
		case '(': r++; break;
		case ')': r--; break;
		default: break;
		}
	*dq = d;
	*sq = q;
	*braces = b > 0 || k > 0 || r > 0;
}

/*
 * The value at p (after a separator and white space): quoted, or bare up to
 * what ends it here: white space; '&' in a query string, ';' in a
 * connection string, ',' or '}' inside braces, a quote when one is open.
 */
void redact_kv_value(const char *t, size_t ls, size_t le, size_t ks, size_t p, char sep,
		    struct redact_value *v)
{
	size_t e;
	char before = ks > ls ? t[ks - 1] : 0;
	int in_dq, in_sq, braces;

	while (p < le && hspace(t[p]))
		p++;
	/* "Le mot de passe est : x" */
	if (v->prose && p + 1 < le && strchr(":=-", t[p]) && hspace(t[p + 1]))
		for (p++; p < le && hspace(t[p]); p++)
			;
	v->s = v->e = p;
	v->quoted = 0;
	/* no value is longer than 2048 bytes: a long line costs no more per value */
	if (le - p > 2048)
		le = p + 2048;
	if (p < le && (t[p] == '"' || t[p] == '\'' || t[p] == '`')) {
		for (e = p + 1; e < le && t[e] != t[p]; e++)
			if (t[e] == '\\' && e + 1 < le)
				e++;
		if (e < le) {
			v->s = p + 1;
			v->e = e;
			v->quoted = 1;
		}
		return;
	}
	open_before(t, ls, ks, &in_dq, &in_sq, &braces);
	for (e = p; e < le; e++) {
		char c = t[e];

		if (c == '\r' || (hspace(c) && (sep != ':' || v->prose || braces)))
			break;
		if ((c == '"' && in_dq) || (c == '\'' && in_sq))
			break;
		if ((c == '&' && (before == '&' || before == '?')) || (c == ';' && before == ';') ||
		    (c == ',' && before == ',') ||
		    ((c == ',' || c == '}' || c == ']' || c == ')') && braces))
			break;
	}
	while (e > p && (hspace(t[e - 1]) || t[e - 1] == '\r'))
		e--;
	/* a sentence's or a statement's end is not part of the value */
	if (v->prose || (e == le && sep != ':'))
		while (e > p && strchr(v->prose ? ".,;)" : ";", t[e - 1]))
			e--;
	v->e = e;
}

/* A type between ':' (or a space) and '=': "passwd: str = ", "token string = " */
static size_t typed(const char *t, size_t le, size_t p)
{
	size_t q = p;

	while (q < le && hspace(t[q]))
		q++;
	if (q >= le || !(isalpha((unsigned char)t[q]) || t[q] == '&' || t[q] == '*'))
		return 0;
	while (q < le && (isalnum((unsigned char)t[q]) || strchr("_[]<>&*.,", t[q])))
		q++;
	if (q >= le || !hspace(t[q]))
		return 0;	/* "name: str = x" has spaces; "name: lO=x" is a value */
	while (q < le && hspace(t[q]))
		q++;
	return q + 1 < le && t[q] == '=' && t[q + 1] != '=' ? q : 0;
}

static int word_is(const char *t, size_t s, size_t e, const char *const *words)
{
	size_t i;

	for (i = 0; words[i]; i++)
		if (strlen(words[i]) == e - s && !strncasecmp(t + s, words[i], e - s))
			return 1;
	return 0;
}

/* A word of prose: letters (any script), digits, ' . _ - ( ) */
static int prose_word(const char *t, size_t s, size_t e)
{
	size_t i;

	for (i = s; i < e; i++)
		if (!isalnum((unsigned char)t[i]) && (unsigned char)t[i] < 0x80 && !strchr("'._-()", t[i]))
			return 0;
	return e > s;
}

/*
 * After a keyword in prose: up to five words to a separator ("is", "was",
 * "to", "lautet", "est", a word ending in ':', a lone '=' or '-'); the
 * value follows it. 0 when there is none.
 */
static size_t prose_separator(const char *t, size_t le, size_t p)
{
	static const char *const seps[] = {
		"is", "was", "are", "to", "=", "-", ":", "lautet", "ist", "est", "es", "é", "är",
		"er", "je", "là", "adalah", "on", "ne", "jest", "este", "->", "=>", "\xe2\x80\x94",
		"ni", "és", "è", "e", "\xd0\xb5", "ialah", "\xd7\x94\xd7\x99\xd7\x90",
		"\xe0\xb8\x84\xe0\xb8\xb7\xe0\xb8\xad", "\xe6\x98\xaf", "\xe0\xa4\xb9\xe0\xa5\x88",
		"\xd9\x87\xd9\x88", "\xd9\x87\xdb\x8c", NULL
	};
	int n;

	for (n = 0; n < 6 && p < le; n++) {
		size_t s, e;

		while (p < le && hspace(t[p]))
			p++;
		for (s = e = p; e < le && !hspace(t[e]) && t[e] != '\r'; e++)
			;
		if (e == s)
			return 0;
		if (word_is(t, s, e, seps))
			return e;
		if (strchr(":=", t[e - 1]) && e - s > 1 && prose_word(t, s, e - 1))
			return e;
		if (!prose_word(t, s, e))
			return 0;	/* msg=audit(1:2): is no prose */
		p = e;
	}
	return 0;
}

/* name=value inside a value: a name (a letter, then letters, digits, _ . -) and '=' */
static int inner_pair(const char *s, size_t n)
{
	size_t i;

	if (!n || !isalpha((unsigned char)s[0]))
		return 0;
	for (i = 1; i < n && (isalnum((unsigned char)s[i]) || strchr("_.-", s[i])); i++)
		;
	return i >= 2 && i + 1 < n && s[i] == '=';
}

static int decide(const struct redactor *r, const char *t, struct redact_value *v, enum strength s,
		   int clean, struct redact_spans *out)
{
	const char *val = t + v->s;
	size_t n = v->e - v->s;
	enum redact_look look;

	if (n && !v->quoted && (s != STRONG || v->prose)) {
		const char *sp = memchr(val, ' ', n);

		if (sp)		/* the first word is the value */
			v->e = v->s + (n = (size_t)(sp - val));
	}
	/* a UUID named a token, a secret, a password or an API key is one (Consul
	 * and Nomad ACL tokens, many vendors' API keys); named otherwise, an id */
	if (s == STRONG && !v->prose && redact_value_uuid(val, n)) {
		redact_span_add(out, v->s, v->e);
		return 1;
	}
	if (n == 0 || redact_value_ordinary(r, val, n) || redact_tokens_public(r, t, v->s, v->s, v->e))
		return 0;
	/* "auth: token=x": a pair of its own, which its own name decides */
	if ((s != STRONG || v->prose) && !v->quoted && inner_pair(val, n))
		return 0;
	/* "passwd: files systemd": words, not a password */
	if (!v->quoted && memchr(val, ' ', n)) {
		size_t i;

		for (i = 0; i < n && (islower((unsigned char)val[i]) || val[i] == ' '); i++)
			;
		if (i == n)
			return 0;
	}
	look = redact_value_look(val, n);
	/* after "Passphrase for the key:", anything but a word */
	if (s == STRONG && (!v->prose ||
			    (v->prose == 3 && redact_value_span(val, n, "abcdefghijklmnopqrstuvwxyz") < n))) {
		redact_span_add(out, v->s, v->e);
		return 1;
	}
	/* "name value" with no separator: a secret only by its looks */
	/* a weak name in prose ("auth: pid=1") takes only what looks generated */
	if (look >= REDACT_PASSWORD ||
	    (look == REDACT_SECRETISH && ((v->prose != 2 && (s == STRONG || !v->prose)) ||
					  (s == STRONG && clean) || v->quoted))) {
		redact_span_add(out, v->s, v->e);
		return 1;
	}
	return 0;
}

/* What follows the name [ns, ne) of strength s: the end of the value it redacted, or 0. */
/* The name starts its line and the value ends it (a ';' or a # comment aside). */
static int directive(const char *t, size_t ls, size_t le, size_t ns, const struct redact_value *v)
{
	size_t i;

	if (ns - ls > 256)
		return 0;
	for (i = ls; i < ns && (hspace(t[i]) || t[i] == '-'); i++)
		;
	if (i < ns)
		return 0;
	for (i = v->e; i < le && i - v->e < 256 &&
	     (hspace(t[i]) || t[i] == ';' || t[i] == '\r'); i++)
		;
	return i == le || t[i] == '#';
}

/* At *q a full-width colon (U+FF1A), maybe after 是, 为, 為 or は: *q past it */
static int cjk_colon(const char *t, size_t le, size_t *q)
{
	static const char *const cop[] = { "\xe6\x98\xaf", "\xe4\xb8\xba", "\xe7\x82\xba",
					   "\xe3\x81\xaf", NULL };
	size_t p = *q, i;

	for (i = 0; cop[i]; i++)
		if (le - p >= 3 && !memcmp(t + p, cop[i], 3)) {
			p += 3;
			break;
		}
	if (le - p >= 3 && !memcmp(t + p, "\xef\xbc\x9a", 3)) {
		*q = p + 3;
		return 1;
	}
	if (p > *q && p < le && t[p] == ':') {
		*q = p + 1;
		return 1;
	}
	return 0;
}

static size_t after_name(const struct redactor *r, const char *t, size_t ls, size_t le, size_t ns,
			 size_t ne, enum strength s, int clean, struct redact_spans *out)
{
	struct redact_value v = { 0, 0, 0, 0 };
	size_t p = ne, q, ty;
	int quoted_key = 0;

	if (p < le && (t[p] == '"' || t[p] == '\'') && ns > ls && t[ns - 1] == t[p]) {
		p++;
		quoted_key = 1;
	}
	if (p < le && (t[p] == ']' || t[p] == ')'))
		p++;
	for (q = p; q < le && hspace(t[q]); q++)
		;
	if (q >= le)
		return 0;
	if (cjk_colon(t, le, &q)) {	/* パスワード：x, 密码是：x */
		redact_kv_value(t, ls, le, ns, q, '=', &v);
	} else if (t[q] == '=' && q + 1 < le && t[q + 1] == '>') {
		redact_kv_value(t, ls, le, ns, q + 2, '=', &v);
	} else if (t[q] == '=' && (q + 1 >= le || t[q + 1] != '=')) {
		redact_kv_value(t, ls, le, ns, q + 1, '=', &v);
	} else if (t[q] == ':' && q + 1 < le && t[q + 1] == '=') {
		redact_kv_value(t, ls, le, ns, q + 2, '=', &v);
	} else if (t[q] == ':' && (q + 1 >= le || hspace(t[q + 1]) || t[q + 1] == '"' ||
				   t[q + 1] == '\'' || quoted_key)) {
		if ((ty = typed(t, le, q + 1)))
			redact_kv_value(t, ls, le, ns, ty + 1, '=', &v);
		else	/* a weak name takes one word: no need to read to the line's end */
			redact_kv_value(t, ls, le, ns, q + 1, s == STRONG ? ':' : '=', &v);
	} else if (q > p && t[q] != ':' && t[q] != '=') {
		/* Go's "var token string = ", prose, or "name value" */
		if ((ty = typed(t, le, q)) && ty > q) {
			redact_kv_value(t, ls, le, ns, ty + 1, '=', &v);
		} else {
			size_t e = prose_separator(t, le, q);

			/* 1: "is", "lautet"; 3: a ':' or '=' after words; 2: no separator */
			v.prose = !e ? 2 : strchr(":=-", t[e - 1]) ? 3 : 1;
			redact_kv_value(t, ls, le, ns, e ? e : q, e ? '=' : ' ', &v);
			/*
			 * "password \"x\"", or a directive alone on its line (redis's
			 * "requirepass x", nginx's "secure_link_secret x;"): the value
			 * is said as plainly as after '='
			 */
			if (s == STRONG && !e && (v.quoted || directive(t, ls, le, ns, &v)))
				v.prose = 0;
			else if (s == STRONG && !e && v.e - v.s < 6)
				return 0;
		}
	} else {
		return 0;
	}
	return decide(r, t, &v, s, clean, out) ? v.e : 0;
}

/* key, access_key, Token, pass, pw: what a secret's name ends with */
static int ends_in_key(const char *s, size_t n)
{
	static const char *const ends[] = { "key", "token", "pass", "pw", "pwd", "password", NULL };
	size_t i, k;

	for (i = 0; ends[i]; i++) {
		k = strlen(ends[i]);
		if (n >= k && !strncasecmp(s + n - k, ends[i], k) &&
		    (n == k || !isalpha((unsigned char)s[n - k - 1]) || camel(s, n - k)))
			return 1;
	}
	return 0;
}

static int english_suffix(const char *s, size_t n)
{
	static const char *const sfx[] = { "ary", "ive", "ion", "ize", "ise", "ly", "ed", "ing",
					   "al", "er", "s", "es", NULL };
	size_t i;

	for (i = 0; sfx[i]; i++)
		if (n == strlen(sfx[i]) && !strncasecmp(s, sfx[i], n))
			return 1;
	return 0;
}

/*
 * The name ends in an inflected form of the keyword that ends at me:
 * Lösenordet, Паролата, hasłem; not an English word of its own (tokenizer,
 * secretary, secretly) nor a plural (secrets: a list)
 */
static int inflected(const char *t, size_t me, size_t ne)
{
	size_t k = me;

	while (k < ne && (isalpha((unsigned char)t[k]) || (unsigned char)t[k] >= 0x80))
		k++;
	return k == ne && k > me && k - me <= ((unsigned char)t[me] >= 0x80 ? 6u : 3u) &&
	       !english_suffix(t + me, k - me);
}

/* The strength of a keyword hit [ms, me) inside the name [ns, ne). */
static enum strength strength_of(const char *t, size_t ns, size_t ne, size_t ms, size_t me,
				 int strong, int *clean)
{
	int left = ms == ns || !isalpha((unsigned char)t[ms - 1]) || camel(t, ms);
	int right = me == ne || !isalpha((unsigned char)t[me]) || camel(t, me);
	size_t e = me;

	*clean = left;	/* not inside a word: jsonwebtoken, libcrypt-passwdmd5 */
	if (!strong)
		return right ? WEAK : NONE;
	if (me - ms < 5) {		/* pw, pwd, pass, psk, mdp */
		if (!right)
			return NONE;
		if (!left)
			return WEAK;	/* MYSQLPASS, bindpw, but also compass */
	} else if (!right) {
		return inflected(t, me, ne) ? STRONG : WEAK;
	}
	/* a name that goes on is about the secret: secret_store, token_endpoint; but
	 * SECRET_KEY, secret_access_key, auth_token name one */
	while (e < ne && (t[e] == '_' || t[e] == '-' || t[e] == '.' || isdigit((unsigned char)t[e])))
		e++;
	if (e == ne || (ne - e <= 13 && ends_in_key(t + e, ne - e)) || inflected(t, me, ne))
		return STRONG;
	return WEAK;
}

/*
 * A name that ends so is about a secret (password_file, keyProtectionAlgorithm,
 * PuTTY-User-Key-File-3), or says there is none (NOPASSWD, no_password).
 */
static int suffix_excluded(const struct redactor *r, const char *t, size_t ns, size_t ne,
			   size_t ms)
{
	char name[128];
	size_t i, k, n = ne - ns < sizeof(name) ? ne - ns : sizeof(name) - 1;
	char *const *v = r->not_secret_suffixes;

	if (ms - ns >= 2 && ms - ns <= 3 && !strncasecmp(t + ns, "no", 2))
		return 1;
	for (i = 0; i < n; i++)
		name[i] = (t[ns + i] == '-' || t[ns + i] == '.') ? '_' : t[ns + i];
	/* the number does not change what it names */
	while (n && (isdigit((unsigned char)name[n - 1]) || name[n - 1] == '_'))
		n--;
	name[n] = '\0';
	for (i = 0; v && v[i]; i++) {
		const char *suf = v[i] + (v[i][0] == '_');

		k = strlen(suf);
		if (n > k && !strncasecmp(name + n - k, suf, k) &&
		    (name[n - k - 1] == '_' || camel(name, n - k)))
			return 1;
	}
	return 0;
}

/*
 * A keyword matched at [ms, me) on the line [ls, le): the setting's name
 * around it, its strength, then what follows. 0 when it names nothing.
 */
static size_t keyword_at(const struct redactor *r, const char *t, size_t ls, size_t le,
			 size_t ms, size_t me, int strong, struct redact_spans *out)
{
	size_t ns, ne, e;
	enum strength s;
	int clean;

	for (ns = ms; ns > ls && name_char((unsigned char)t[ns - 1]); ns--)
		;
	for (ne = me; ne < le && name_char((unsigned char)t[ne]); ne++) {
		size_t q = ne;

		if ((unsigned char)t[ne] >= 0x80 && cjk_colon(t, le, &q))
			break;	/* パスワード：x: the name ends at the colon */
	}
	if (ns > ls && t[ns - 1] == '$')
		ns--;
	if (ns > ls && t[ns - 1] == '/')
		return 0;	/* /etc/pam.d/common-auth, /run/secrets/x: a path */
	s = strength_of(t, ns, ne, ms, me, strong, &clean);
	if (s == NONE || suffix_excluded(r, t, ns, ne, ms) ||
	    redact_in_names(r->public_names, t + ns, ne - ns))
		return 0;	/* PublicKey, key_id: public, or an id */
	/* a value redacted to the line's end has no more names to look at */
	e = after_name(r, t, ls, le, ns, ne, s, clean, out);
	return e > ne ? e : ne;
}

/* The names that need no separator (pass, secret, token): over the whole chunk. */
void redact_kv_keywords(struct redactor *r, const char *t, size_t len, struct redact_spans *out)
{
	PCRE2_SIZE start = 0;
	size_t ls = 0, le = 0;

	while (start < len) {
		PCRE2_SIZE *ov;
		size_t ms, me, ne;
		const char *nl;

		if (pcre2_match(r->scan, (PCRE2_SPTR)t, len, start, 0, r->md, NULL) < 0)
			break;
		ov = pcre2_get_ovector_pointer(r->md);
		ms = ov[0];
		me = ov[1];
		start = me > ms ? me : ms + 1;
		if (ms >= le) {	/* a new line: its bounds, once for all its hits */
			nl = memrchr(t + le, '\n', ms - le);
			ls = nl ? (size_t)(nl - t) + 1 : le;
			nl = memchr(t + me, '\n', len - me);
			le = nl ? (size_t)(nl - t) : len;
		}
		if ((ne = keyword_at(r, t, ls, le, ms, me, 1, out)) > start)
			start = ne;
	}
}

static int phrase_char(char c)
{
	switch (c) {
	case ' ': case '\t': case '\'': case '"': case '(': case ')': case '[': case ']': case '$':
		return 1;
	default:
		return 0;
	}
}

/*
 * The words before a separator at sep (up to 64 bytes: "Le mot de passe est",
 * "DB_PASSWORD", "api key for the account"): the last keyword among them, of
 * any strength and language. 0 when it named no setting, else where the line
 * is done to (the end of the value it redacted).
 */
size_t redact_kv_keyword_before(const struct redactor *r, const char *t, size_t ls, size_t le,
				size_t sep, struct redact_spans *out)
{
	size_t ps = sep, ms = 0, me = 0, strong = 0, i;
	uint32_t h = 2166136261u;
	struct redact_name *slot;
	PCRE2_SIZE start;

	while (ps > ls && sep - ps < 64 && (name_char((unsigned char)t[ps - 1]) ||
					    phrase_char(t[ps - 1])))
		ps--;
	/* the same names come back line after line (msg=, level=): no keyword in them */
	for (i = ps; i < sep; i++)
		h = (h ^ (unsigned char)t[i]) * 16777619u;
	slot = &r->no_keyword[h & (REDACT_NAME_CACHE - 1)];
	if (slot->len == sep - ps && !memcmp(slot->name, t + ps, sep - ps))
		return 0;
	for (start = ps; start < sep; ) {
		PCRE2_SIZE *ov;

		if (pcre2_match(r->keywords, (PCRE2_SPTR)t, sep, start, 0, r->vmd, NULL) < 0)
			break;
		ov = pcre2_get_ovector_pointer(r->vmd);
		ms = ov[0];
		me = ov[1];
		strong = ov[2 * r->strong_group] != PCRE2_UNSET;
		start = me > ms ? me : ms + 1;
	}
	if (me <= ms) {
		memcpy(slot->name, t + ps, sep - ps);
		slot->len = (unsigned char)(sep - ps);
		return 0;
	}
	return keyword_at(r, t, ls, le, ms, me, (int)strong, out);
}
