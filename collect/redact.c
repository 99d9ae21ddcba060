/*
 * redact.c: secrets out, before anything is written (see redact.h).
 *
 * Each pattern runs over the whole chunk (pcre2 JIT finds its start by
 * itself), so the cost on a log with no secrets is a few fast scans; no
 * pattern may cross a newline.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <ctype.h>
#include <math.h>
#include <pcre2.h>
#include <string.h>
#include "casefile.h"
#include "redact.h"

enum pat {
	PAT_KEYWORD,	/* secret-looking key followed by : or = */
	PAT_URL,	/* scheme://user:pass@ */
	PAT_AUTH,	/* Bearer xxx, Authorization: Basic xxx */
	PAT_TOKEN,	/* whole-match tokens of known formats */
	PAT_NR
};

static const char *const patterns[PAT_NR] = {
	[PAT_KEYWORD] =
		"(?i)(?:passw(?:or)?d|passphrase|secret|token|api[_-]?key|apikey|"
		"access[_-]?key|private[_-]?key|credentials?|auth[_-]?key|"
		"client[_-]?key|session[_-]?key|encryption[_-]?key)"
		"[A-Za-z0-9_.-]*[\"']?\\h*([:=])",
	[PAT_URL] =
		"\\b[A-Za-z][A-Za-z0-9+.-]*://[^:/@\\s\"']+:([^@\\s/\"']+)@",
	[PAT_AUTH] =
		"(?i)\\b(?:bearer|authorization:\\h*basic)\\h+([A-Za-z0-9._~+/=-]{8,})",
	[PAT_TOKEN] =
		"\\b(?:(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|A3T[A-Z0-9])[A-Z0-9]{16}"
		"|gh[pousr]_[A-Za-z0-9]{36,}"
		"|glpat-[A-Za-z0-9_-]{20,}"
		"|xox[abposr]-[A-Za-z0-9-]{10,}"
		"|sk_live_[0-9A-Za-z]{24,}"
		"|eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,})\\b",
};

struct redactor {
	pcre2_code *code[PAT_NR];
	pcre2_match_data *md;
};

struct redactor *redactor_new(void)
{
	struct redactor *r = xcalloc(1, sizeof(*r));
	size_t i;

	for (i = 0; i < PAT_NR; i++) {
		int errcode;
		PCRE2_SIZE off;

		r->code[i] = pcre2_compile((PCRE2_SPTR)patterns[i], PCRE2_ZERO_TERMINATED,
					   PCRE2_UTF | PCRE2_MATCH_INVALID_UTF,
					   &errcode, &off, NULL);
		if (!r->code[i]) {
			PCRE2_UCHAR msg[256];

			pcre2_get_error_message(errcode, msg, sizeof(msg));
			error("redaction pattern %zu at offset %zu: %s", i, (size_t)off, msg);
			redactor_free(r);
			return NULL;
		}
		pcre2_jit_compile(r->code[i], PCRE2_JIT_COMPLETE);
	}
	r->md = pcre2_match_data_create(8, NULL);
	return r;
}

void redactor_free(struct redactor *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < PAT_NR; i++)
		pcre2_code_free(r->code[i]);
	pcre2_match_data_free(r->md);
	free(r);
}

double redact_entropy(const char *s, size_t n)
{
	unsigned counts[256] = { 0 };
	double h = 0;
	size_t i;

	if (!n)
		return 0;
	for (i = 0; i < n; i++)
		counts[(unsigned char)s[i]]++;
	for (i = 0; i < 256; i++) {
		double p;

		if (!counts[i])
			continue;
		p = (double)counts[i] / (double)n;
		h -= p * log2(p);
	}
	return h;
}

/* A span [start, end) of the text to replace with REDACTED. */
struct span {
	size_t start, end;
};

struct spans {
	struct span *v;
	size_t nr, alloc;
};

static void spans_add(struct spans *s, size_t start, size_t end)
{
	if (end <= start)
		return;
	ALLOC_GROW(s->v, s->nr + 1, s->alloc);
	s->v[s->nr].start = start;
	s->v[s->nr].end = end;
	s->nr++;
}

static int span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* The value after a secret key's separator at text[pos]: quoted or bare. */
static void keyword_value(const char *t, size_t len, size_t key_start,
			  size_t sep, struct spans *out)
{
	size_t p = sep + 1, e;
	char q;

	static const char *const not_secret[] = {
		"_interval", "_timeout", "_length", "_len", "_size", "_count", "_max",
		"_min", "_file", "_path", "_dir", "_ttl", "_age", "_expiry", "_time",
		"_type", "_policy", "_algorithm", "_enabled", "_required",
	};
	size_t kend = sep, i;

	/* nsswitch.conf's "passwd: files" names a database, not a secret */
	if (t[sep] == ':' && sep - key_start == 6 && !strncasecmp(t + key_start, "passwd", 6))
		return;
	/* a setting about secrets (secret_interval, password_file) is not one */
	while (kend > key_start && strchr("\"' \t", t[kend - 1]))
		kend--;
	for (i = 0; i < ARRAY_SIZE(not_secret); i++) {
		size_t n = strlen(not_secret[i]);

		if (kend - key_start > n && !strncasecmp(t + kend - n, not_secret[i], n))
			return;
	}
	while (p < len && (t[p] == ' ' || t[p] == '\t'))
		p++;
	if (p >= len || t[p] == '\n' || t[p] == '\r')
		return;
	q = t[p];
	if (q == '"' || q == '\'') {
		for (e = p + 1; e < len && t[e] != q && t[e] != '\n'; e++)
			;
		if (e < len && t[e] == q)
			spans_add(out, p + 1, e);
		return;
	}
	e = p;
	if (t[sep] == '=') {
		while (e < len && !isspace((unsigned char)t[e]) && t[e] != ',' &&
		       t[e] != ';' && t[e] != '&' && t[e] != '"' && t[e] != '\'')
			e++;
	} else {
		while (e < len && t[e] != '\n')
			e++;
		while (e > p && isspace((unsigned char)t[e - 1]))
			e--;
	}
	/* "key: {", "key: [" and "key: |" start a structure, not a value */
	if (e - p == 1 && strchr("{[|>", t[p]))
		return;
	spans_add(out, p, e);
}

static void find_matches(struct redactor *r, enum pat pat, const char *t,
			 size_t len, struct spans *out)
{
	PCRE2_SIZE start = 0;

	while (start < len) {
		int rc = pcre2_match(r->code[pat], (PCRE2_SPTR)t, len, start, 0, r->md, NULL);
		PCRE2_SIZE *ov;

		if (rc < 0)
			break;
		ov = pcre2_get_ovector_pointer(r->md);
		switch (pat) {
		case PAT_KEYWORD:
			keyword_value(t, len, ov[0], ov[2], out);
			break;
		case PAT_URL:
		case PAT_AUTH:
			spans_add(out, ov[2], ov[3]);
			break;
		default:
			spans_add(out, ov[0], ov[1]);
		}
		start = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
	}
}

static int is_charset(const char *s, size_t n, const char *set)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strchr(set, s[i]) || !s[i])
			return 0;
	return 1;
}

/* detect-secrets' thresholds; sequential runs like 0123456789a are not secrets */
static int high_entropy(const char *s, size_t n)
{
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-";
	static const char hex[] = "0123456789abcdefABCDEF";
	static const char seq[] = "0123456789abcdefghijklmnopqrstuvwxyz"
		"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

	if (n < 8)
		return 0;
	if (is_charset(s, n, hex)) {
		double h = redact_entropy(s, n);
		size_t i;
		char low[256];

		if (n < sizeof(low)) {
			for (i = 0; i < n; i++)
				low[i] = (char)tolower((unsigned char)s[i]);
			low[n] = '\0';
			if (strstr(seq, low))
				return 0;
		}
		if (strspn(s, "0123456789") >= n)
			h -= 1.2 / log2((double)n);
		return h > 3.0;
	}
	if (n >= 20 && is_charset(s, n, b64))
		return redact_entropy(s, n) > 4.5;
	return 0;
}

static void entropy_candidate(const char *t, size_t s, size_t e, struct spans *out)
{
	if (e > s && high_entropy(t + s, e - s))
		spans_add(out, s, e);
}

/* Quoted strings, bare values after = or :, and lone tokens on a line. */
static void find_high_entropy(const char *t, size_t len, struct spans *out)
{
	size_t ls = 0;

	while (ls < len) {
		const char *nl = memchr(t + ls, '\n', len - ls);
		size_t le = nl ? (size_t)(nl - t) : len;
		size_t i = ls, s;

		while (i < le) {
			char c = t[i];

			if (c == '"' || c == '\'') {
				for (s = ++i; i < le && t[i] != c; i++)
					;
				entropy_candidate(t, s, i, out);
				i++;
			} else if (c == '=' || c == ':') {
				for (i++; i < le && (t[i] == ' ' || t[i] == '\t'); i++)
					;
				for (s = i; i < le && !isspace((unsigned char)t[i]) &&
				     t[i] != '"' && t[i] != '\'' && t[i] != '#' && t[i] != ';' &&
				     t[i] != ','; i++)
					;
				entropy_candidate(t, s, i, out);
			} else {
				i++;
			}
		}
		/* a line that is one token (continuation values of ini files) */
		for (s = ls; s < le && isspace((unsigned char)t[s]); s++)
			;
		for (i = s; i < le && !isspace((unsigned char)t[i]); i++)
			;
		if (i > s && (i == le || strspn(t + i, " \t\r") == le - i))
			entropy_candidate(t, s, i, out);
		ls = le + 1;
	}
}

static int key_block_line(const char *t, size_t s, size_t e, const char *what)
{
	const char *p = memmem(t + s, e - s, "-----", 5);

	if (!p)
		return 0;
	p += 5;
	if ((size_t)(t + e - p) < strlen(what) ||
	    strncmp(p, what, strlen(what)))
		return 0;
	return memmem(p, (size_t)(t + e - p), "PRIVATE KEY", 11) != NULL;
}

/* Private key blocks: every line from BEGIN to END becomes one marker. */
static void find_key_blocks(struct redact_state *st, const char *t, size_t len,
			    struct spans *out)
{
	size_t ls = 0;

	if (!st->in_key_block && !memmem(t, len, "PRIVATE KEY-----", 16))
		return;
	while (ls < len) {
		const char *nl = memchr(t + ls, '\n', len - ls);
		size_t le = nl ? (size_t)(nl - t) : len;

		if (!st->in_key_block && key_block_line(t, ls, le, "BEGIN"))
			st->in_key_block = 1;
		if (st->in_key_block) {
			size_t e = le;

			if (e > ls && t[e - 1] == '\r')
				e--;
			spans_add(out, ls, e);
			if (key_block_line(t, ls, le, "END"))
				st->in_key_block = 0;
		}
		ls = le + 1;
	}
}

long redact_chunk(struct redactor *r, enum redact_mode mode,
		  struct redact_state *st, const char *text, size_t len,
		  struct buf *out)
{
	struct spans sp = { NULL, 0, 0 };
	size_t i, pos = 0;
	long n = 0;
	int rc = 0;

	if (mode == REDACT_NONE)
		return buf_add(out, text, len);
	find_key_blocks(st, text, len, &sp);
	find_matches(r, PAT_KEYWORD, text, len, &sp);
	find_matches(r, PAT_URL, text, len, &sp);
	find_matches(r, PAT_AUTH, text, len, &sp);
	find_matches(r, PAT_TOKEN, text, len, &sp);
	if (mode == REDACT_STRICT)
		find_high_entropy(text, len, &sp);
	if (sp.nr)
		qsort(sp.v, sp.nr, sizeof(*sp.v), span_cmp);

	for (i = 0; i < sp.nr && !rc; i++) {
		struct span s = sp.v[i];

		if (s.end <= pos)
			continue;	/* inside one already replaced */
		if (s.start < pos)
			s.start = pos;
		rc = buf_add(out, text + pos, s.start - pos);
		if (!rc)
			rc = buf_addstr(out, REDACTED);
		pos = s.end;
		n++;
	}
	if (!rc)
		rc = buf_add(out, text + pos, len - pos);
	free(sp.v);
	return rc ? rc : n;
}
