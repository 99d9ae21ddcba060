/*
 * redact.c: secrets out, before anything is written (see redact.h).
 *
 * Each pattern runs over the whole chunk (pcre2 JIT finds its start by
 * itself), so the cost on a log with no secrets is a few fast scans; no
 * pattern may cross a newline.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pcre2.h>
#include <string.h>
#include "casefile.h"
#include "embedded.h"
#include "redact.h"
#include "yamlutil.h"

#define MAX_PATTERNS 128

struct rpat {
	char *name;
	pcre2_code *code;
	int config_only;
	int group;		/* the "secret" group, or 0 for the whole match */
};

struct redactor {
	pcre2_code *keyword;
	struct rpat pats[MAX_PATTERNS];
	size_t npats;
	char **not_secret_suffixes, **not_secret_values;
	pcre2_match_data *md;
};

static pcre2_code *compile(const char *name, const char *re)
{
	int errcode;
	PCRE2_SIZE off;
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED,
					 PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &errcode, &off, NULL);

	if (!code) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(errcode, msg, sizeof(msg));
		error("rules/redact.yaml: pattern '%s' does not compile at offset %zu: %s", name,
		      (size_t)off, msg);
		return NULL;
	}
	pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	return code;
}

/* The keyword alternation from YAML (folded over lines): white space goes. */
static int load_keywords(struct redactor *r, const char *alt)
{
	struct buf re = BUF_INIT(0);
	const char *p;

	buf_addstr(&re, "(?i)(?:");
	for (p = alt; *p; p++)
		if (!isspace((unsigned char)*p))
			buf_addch(&re, *p);
	buf_addstr(&re, ")[A-Za-z0-9_.-]*[\"']?\\h*([:=])");
	r->keyword = compile("keywords", re.data);
	buf_release(&re);
	return r->keyword ? 0 : CF_ERR_PARSE;
}

static int load_pattern(struct redactor *r, struct ydoc *d, yaml_node_t *n, struct buf *err)
{
	const char *name = ydoc_scalar(ydoc_get(d, n, "name"));
	const char *re = ydoc_scalar(ydoc_get(d, n, "pattern"));
	const char *mode = ydoc_scalar(ydoc_get(d, n, "mode"));
	struct rpat *p = &r->pats[r->npats];
	int g;

	if (!name || !re || (mode && strcmp(mode, "any") && strcmp(mode, "config")))
		return ydoc_error(d, n, err, "a redaction pattern needs a name, a pattern and "
				  "mode any or config");
	if (r->npats >= MAX_PATTERNS)
		return ydoc_error(d, n, err, "more than %d redaction patterns", MAX_PATTERNS);
	if (!(p->code = compile(name, re)))
		return CF_ERR_PARSE;
	p->name = xstrdup(name);
	p->config_only = mode && !strcmp(mode, "config");
	g = pcre2_substring_number_from_name(p->code, (PCRE2_SPTR)"secret");
	p->group = g > 0 ? g : 0;
	r->npats++;
	return 0;
}

/*
 * A redact.yaml: the compiled-in one (builtin) brings the keywords, the
 * exceptions and the patterns; a --rules DIR/redact.yaml adds patterns only.
 */
static int load_rules(struct redactor *r, const char *name, const char *data, size_t len,
		      int builtin, struct buf *err)
{
	struct ydoc d;
	yaml_node_t *root, *list;
	yaml_node_item_t *it;
	int rc;

	if ((rc = ydoc_load(&d, name, data, len, err)))
		goto out;
	root = ydoc_root(&d);
	if (builtin &&
	    (!ydoc_scalar(ydoc_get(&d, root, "keywords")) ||
	     load_keywords(r, ydoc_scalar(ydoc_get(&d, root, "keywords"))) ||
	     ydoc_strv(&d, ydoc_get(&d, root, "not_secret_suffixes"), "not_secret_suffixes",
		       &r->not_secret_suffixes, err) < 0 ||
	     ydoc_strv(&d, ydoc_get(&d, root, "not_secret_values"), "not_secret_values",
		       &r->not_secret_values, err) < 0)) {
		rc = ydoc_error(&d, root, err, "expected keywords, not_secret_suffixes and "
				"not_secret_values");
		goto out;
	}
	list = ydoc_get(&d, root, "patterns");
	if (!list || list->type != YAML_SEQUENCE_NODE) {
		rc = ydoc_error(&d, root, err, "expected a 'patterns:' list of name, "
				"pattern and mode");
		goto out;
	}
	for (it = list->data.sequence.items.start; it < list->data.sequence.items.top; it++)
		if ((rc = load_pattern(r, &d, ydoc_node(&d, *it), err)))
			break;
out:
	ydoc_release(&d);
	return rc;
}

int redactor_add_dir(struct redactor *r, const char *dir)
{
	struct buf path = BUF_INIT(0), data = BUF_INIT(1024 * 1024), err = BUF_INIT(0);
	int rc;

	buf_addf(&path, "%s/redact.yaml", dir);
	rc = buf_read_file(&data, path.data);
	if (rc == CF_ERR_IO && errno == ENOENT)
		rc = 0;		/* a rules folder need not add redactions */
	else if (rc)
		rc = error("cannot read '%s': %s", path.data,
			   rc == CF_ERR_CAP ? "larger than 1M" : strerror(errno));
	else if ((rc = load_rules(r, path.data, data.data, data.len, 0, &err)))
		error_lines(err.data);
	buf_release(&path);
	buf_release(&data);
	buf_release(&err);
	return rc;
}

struct redactor *redactor_new(void)
{
	const struct embedded_file *f = embedded_find("rules/redact.yaml");
	struct redactor *r = xcalloc(1, sizeof(*r));
	struct buf err = BUF_INIT(0);

	if (!f || load_rules(r, f->path, f->data, f->len, 1, &err)) {
		if (err.len)
			error_lines(err.data);
		else if (!f)
			error("the compiled-in redaction rules are missing");
		buf_release(&err);
		redactor_free(r);
		return NULL;
	}
	buf_release(&err);
	r->md = pcre2_match_data_create(16, NULL);
	return r;
}

void redactor_free(struct redactor *r)
{
	size_t i;

	if (!r)
		return;
	pcre2_code_free(r->keyword);
	for (i = 0; i < r->npats; i++) {
		pcre2_code_free(r->pats[i].code);
		free(r->pats[i].name);
	}
	strv_free(r->not_secret_suffixes);
	strv_free(r->not_secret_values);
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

static int in_list(char *const *v, const char *s, size_t n, int suffix)
{
	size_t i, k;

	for (i = 0; v && v[i]; i++) {
		k = strlen(v[i]);
		if (suffix ? (n > k && !strncasecmp(s + n - k, v[i], k)) :
		    (n == k && !strncasecmp(s, v[i], k)))
			return 1;
	}
	return 0;
}

/*
 * A file path is where a secret is kept, not the secret: "/run/secrets/db",
 * "tls.key:/etc/app/tls.key" (systemd's LoadCredential), and sudo's
 * "PWD=/root" is a working directory.
 */
static int path_like(const char *v, size_t n)
{
	size_t i;

	if (n && (v[0] == '/' || (n > 1 && v[0] == '~' && v[1] == '/')))
		return 1;
	for (i = 0; i + 1 < n && (isalnum((unsigned char)v[i]) || strchr("._-", v[i])); i++)
		;
	return i && i + 1 < n && v[i] == ':' && v[i + 1] == '/' && (i + 2 >= n || v[i + 2] != '/');
}

/* The value after a secret key's separator at t[sep]: quoted or bare. */
static void keyword_value(const struct redactor *r, const char *t, size_t len,
			  size_t key_start, size_t sep, struct spans *out)
{
	size_t p = sep + 1, e, kend = sep;
	char q;

	/* nsswitch.conf's "passwd: files" names a database, not a secret */
	if (t[sep] == ':' && sep - key_start == 6 && !strncasecmp(t + key_start, "passwd", 6))
		return;
	/* a setting about secrets (secret_interval, password_file) is not one */
	while (kend > key_start && strchr("\"' \t", t[kend - 1]))
		kend--;
	if (in_list(r->not_secret_suffixes, t + key_start, kend - key_start, 1))
		return;
	while (p < len && (t[p] == ' ' || t[p] == '\t'))
		p++;
	if (p >= len || t[p] == '\n' || t[p] == '\r')
		return;
	q = t[p];
	if (q == '"' || q == '\'') {
		for (e = p + 1; e < len && t[e] != q && t[e] != '\n'; e++)
			;
		if (e < len && t[e] == q && !in_list(r->not_secret_values, t + p + 1, e - p - 1, 0))
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
	if (in_list(r->not_secret_values, t + p, e - p, 0) || path_like(t + p, e - p))
		return;
	spans_add(out, p, e);
}

static void find_keywords(struct redactor *r, const char *t, size_t len, struct spans *out)
{
	PCRE2_SIZE start = 0;

	while (start < len) {
		PCRE2_SIZE *ov;

		if (pcre2_match(r->keyword, (PCRE2_SPTR)t, len, start, 0, r->md, NULL) < 0)
			break;
		ov = pcre2_get_ovector_pointer(r->md);
		keyword_value(r, t, len, ov[0], ov[2], out);
		start = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
	}
}

static void find_pattern(struct redactor *r, const struct rpat *p, const char *t, size_t len,
			 struct spans *out)
{
	PCRE2_SIZE start = 0;

	while (start < len) {
		PCRE2_SIZE *ov;

		if (pcre2_match(p->code, (PCRE2_SPTR)t, len, start, 0, r->md, NULL) < 0)
			break;
		ov = pcre2_get_ovector_pointer(r->md);
		if (ov[2 * p->group] != PCRE2_UNSET)
			spans_add(out, ov[2 * p->group], ov[2 * p->group + 1]);
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
		for (i = 0; i < n && isdigit((unsigned char)s[i]); i++)
			;
		if (i == n)	/* digits only: a number, less likely a secret */
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

/*
 * The name before a separator at t[sep] says the value is a digest, a
 * version or an id, not a secret: "commit: 4f2a...", "image@sha256:0f5e...".
 */
static int digest_key(const char *t, size_t ls, size_t sep)
{
	static const char *const names[] = {
		"commit", "rev", "revision", "sha", "sha1", "sha256", "sha384", "sha512",
		"md5", "hash", "checksum", "digest", "fingerprint", "uuid", "guid", "etag",
		"id", "version", "build", "serial", "integrity",
	};
	size_t e = sep, b, i, n;

	while (e > ls && (t[e - 1] == ' ' || t[e - 1] == '\t' || t[e - 1] == '"'))
		e--;
	for (b = e; b > ls && (isalnum((unsigned char)t[b - 1]) || t[b - 1] == '_'); b--)
		;
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		n = strlen(names[i]);
		if (e - b >= n && !strncasecmp(t + e - n, names[i], n) &&
		    (e - b == n || t[e - n - 1] == '_'))
			return 1;
	}
	return 0;
}

/* Quoted strings, bare values after = or :, and lone tokens on a line. */
static void entropy_line(const char *t, size_t ls, size_t le, struct spans *out)
{
	size_t i = ls, s, e;

	while (i < le) {
		char c = t[i];

		if (c == '"' || c == '\'') {
			for (s = ++i; i < le && t[i] != c; i++)
				;
			entropy_candidate(t, s, i, out);
			i++;
		} else if (c == '=' || c == ':') {
			size_t sep = i;

			for (i++; i < le && (t[i] == ' ' || t[i] == '\t'); i++)
				;
			for (s = i; i < le && !isspace((unsigned char)t[i]) &&
			     t[i] != '"' && t[i] != '\'' && t[i] != '#' && t[i] != ';' &&
			     t[i] != ','; i++)
				;
			if (!digest_key(t, ls, sep))
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
	for (e = i; e < le && (t[e] == ' ' || t[e] == '\t' || t[e] == '\r'); e++)
		;
	if (i > s && e == le)
		entropy_candidate(t, s, i, out);
}

/* "-----BEGIN ... PRIVATE KEY..." (what "BEGIN" or "END"), or a public block */
static int armor_line(const char *t, size_t s, size_t e, const char *what, const char *kind)
{
	const char *p = memmem(t + s, e - s, "-----", 5);
	size_t n = strlen(what);

	if (!p || (size_t)(t + e - p) < 5 + n || strncmp(p + 5, what, n))
		return 0;
	p += 5 + n;
	return memmem(p, (size_t)(t + e - p), kind, strlen(kind)) != NULL;
}

static int public_begin(const char *t, size_t s, size_t e)
{
	return armor_line(t, s, e, "BEGIN", "PUBLIC KEY") ||
	       armor_line(t, s, e, "BEGIN", "CERTIFICATE") ||
	       armor_line(t, s, e, "BEGIN", "PGP SIGNATURE");
}

/*
 * Private key blocks (PEM, OpenSSH, PGP): every line from BEGIN to END
 * becomes one marker. Public blocks (keys, certificates) are public: no
 * entropy guess runs inside them. Both may span chunks (st).
 */
static void scan_blocks(struct redact_state *st, const char *t, size_t len,
			struct spans *out, int entropy)
{
	size_t ls = 0;

	while (ls < len) {
		const char *nl = memchr(t + ls, '\n', len - ls);
		size_t le = nl ? (size_t)(nl - t) : len, e = le;

		if (e > ls && t[e - 1] == '\r')
			e--;
		if (!st->in_key_block && !st->in_public_block) {
			if (armor_line(t, ls, le, "BEGIN", "PRIVATE KEY"))
				st->in_key_block = 1;
			else if (public_begin(t, ls, le))
				st->in_public_block = 1;
		}
		if (st->in_key_block) {
			spans_add(out, ls, e);
			if (armor_line(t, ls, le, "END", "PRIVATE KEY"))
				st->in_key_block = 0;
		} else if (st->in_public_block) {
			if (armor_line(t, ls, le, "END", ""))
				st->in_public_block = 0;
		} else if (entropy) {
			entropy_line(t, ls, le, out);
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
	scan_blocks(st, text, len, &sp, mode == REDACT_STRICT);
	find_keywords(r, text, len, &sp);
	for (i = 0; i < r->npats; i++)
		if (mode == REDACT_STRICT || !r->pats[i].config_only)
			find_pattern(r, &r->pats[i], text, len, &sp);
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
