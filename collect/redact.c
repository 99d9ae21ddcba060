/*
 * redact.c: secrets out, before anything is written (see redact.h).
 *
 * rules/redact.yaml is loaded once; a chunk of whole lines then goes
 * through the keyword scan (redact_kv.c) and each PCRE2 pattern, each over
 * the whole chunk (pcre2 JIT finds its start by itself; no pattern may cross
 * a newline), and one walk over its lines: private key blocks go whole,
 * public blocks (certificates, public keys) are kept, every other line goes
 * through the keyword-free detectors (redact_kv.c, redact_tokens.c).
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include "casefile.h"
#include "embedded.h"
#include "redact.h"
#include "redact_int.h"
#include "yamlutil.h"

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

/*
 * An alternation folded over lines in YAML: white space goes, except "\ ";
 * the alternatives that start with the same letter are grouped behind it
 * (p(?:assword|wd|...)|s(?:ecret|...)|...): tried at every byte of a name,
 * a hundred words in forty languages cost little more than the first few.
 */
static void add_alternation(struct buf *re, const char *alt)
{
	struct buf all = BUF_INIT(0);
	const char *p, *a, *q;
	char done[128] = { 0 };
	int depth = 0, first = 1;

	for (p = alt; *p; p++) {	/* white space out, top-level '|' to '\n' */
		if (*p == '\\' && p[1]) {
			buf_add(&all, p, 2);
			p++;
		} else if (!isspace((unsigned char)*p)) {
			depth += (*p == '(' || *p == '[') - (*p == ')' || *p == ']');
			buf_addch(&all, *p == '|' && !depth ? '\n' : *p);
		}
	}
	buf_addch(&all, '\n');
	for (a = all.data; a && *a; a = strchr(a, '\n') + 1) {
		unsigned char c = (unsigned char)tolower((unsigned char)*a);
		int group = isalpha(c) && c < 128 && !strchr("?*+{\n", a[1]);

		if (group && done[c])
			continue;
		buf_addstr(re, first ? "" : "|");
		first = 0;
		if (!group) {
			buf_add(re, a, (size_t)(strchr(a, '\n') - a));
			continue;
		}
		done[c] = 1;
		buf_addch(re, (char)c);
		buf_addstr(re, "(?:");
		for (q = a; *q; q = strchr(q, '\n') + 1)
			if (tolower((unsigned char)*q) == c && !strchr("?*+{\n", q[1])) {
				buf_addstr(re, q == a ? "" : "|");
				buf_add(re, q + 1, (size_t)(strchr(q, '\n') - q - 1));
			}
		buf_addch(re, ')');
	}
	buf_release(&all);
}

/* The keywords: strong in one named group, weak beside it; those to scan for. */
static int load_keywords(struct redactor *r, const char *strong, const char *weak,
			 const char *scan)
{
	struct buf re = BUF_INIT(0);
	int g;

	if (!scan)
		return CF_ERR_PARSE;
	buf_addstr(&re, "(?i)(?:");
	add_alternation(&re, scan);
	buf_addstr(&re, ")");
	r->scan = compile("scan_keywords", re.data);
	buf_reset(&re);
	if (!r->scan) {
		buf_release(&re);
		return CF_ERR_PARSE;
	}

	buf_addstr(&re, "(?i)(?<strong>");
	add_alternation(&re, strong);
	buf_addstr(&re, ")");
	if (weak) {
		buf_addstr(&re, "|(?:");
		add_alternation(&re, weak);
		buf_addstr(&re, ")");
	}
	r->keywords = compile("keywords", re.data);
	buf_release(&re);
	if (!r->keywords)
		return CF_ERR_PARSE;
	g = pcre2_substring_number_from_name(r->keywords, (PCRE2_SPTR)"strong");
	r->strong_group = g > 0 ? g : 1;
	return 0;
}

/* Every group named "secret" ((?J) allows several); none: the whole match. */
static void secret_groups(struct redact_pattern *p)
{
	PCRE2_SPTR first, last, e;
	int size, n;

	p->ngroups = 0;
	n = pcre2_substring_nametable_scan(p->code, (PCRE2_SPTR)"secret", &first, &last);
	if (n <= 0)
		return;
	pcre2_pattern_info(p->code, PCRE2_INFO_NAMEENTRYSIZE, &size);
	for (e = first; e <= last && p->ngroups < REDACT_MAX_GROUPS; e += size)
		p->groups[p->ngroups++] = (e[0] << 8) | e[1];
}

static int load_pattern(struct redactor *r, struct ydoc *d, yaml_node_t *n, struct buf *err)
{
	const char *name = ydoc_scalar(ydoc_get(d, n, "name"));
	const char *re = ydoc_scalar(ydoc_get(d, n, "pattern"));
	const char *mode = ydoc_scalar(ydoc_get(d, n, "mode"));
	struct redact_pattern *p = &r->pats[r->npats];

	if (!name || !re || (mode && strcmp(mode, "any") && strcmp(mode, "config")))
		return ydoc_error(d, n, err, "a redaction pattern needs a name, a pattern and "
				  "mode any or config");
	if (r->npats >= REDACT_MAX_PATTERNS)
		return ydoc_error(d, n, err, "more than %d redaction patterns", REDACT_MAX_PATTERNS);
	if (!(p->code = compile(name, re)))
		return CF_ERR_PARSE;
	p->name = xstrdup(name);
	p->config_only = mode && !strcmp(mode, "config");
	secret_groups(p);
	r->npats++;
	return 0;
}

/* The characters a token's body may have: "A-Za-z0-9_-" style ranges. */
static int token_set(unsigned char *set, const char *spec)
{
	size_t i, n = strlen(spec);

	memset(set, 0, 256);
	for (i = 0; i < n; i++) {
		unsigned char a = (unsigned char)spec[i], b = a, c;

		if (i + 2 < n && spec[i + 1] == '-') {
			b = (unsigned char)spec[i + 2];
			i += 2;
		}
		if (b < a)
			return -1;
		for (c = a; ; c++) {
			set[c] = 1;
			if (c == b)
				break;
		}
	}
	return 0;
}

/* tokens: and public_tokens: entries {name, prefix, chars, min, max} */
static int load_tokens(struct ydoc *d, yaml_node_t *list, struct redact_token **v, size_t *nr,
		       size_t *alloc, struct buf *err)
{
	yaml_node_item_t *it;

	if (!list)
		return 0;
	if (list->type != YAML_SEQUENCE_NODE)
		return ydoc_error(d, list, err, "expected a list of tokens");
	for (it = list->data.sequence.items.start; it < list->data.sequence.items.top; it++) {
		yaml_node_t *n = ydoc_node(d, *it);
		const char *name = ydoc_scalar(ydoc_get(d, n, "name"));
		const char *prefix = ydoc_scalar(ydoc_get(d, n, "prefix"));
		const char *chars = ydoc_scalar(ydoc_get(d, n, "chars"));
		const char *min = ydoc_scalar(ydoc_get(d, n, "min"));
		const char *max = ydoc_scalar(ydoc_get(d, n, "max"));
		struct redact_token *k;

		if (!name || !prefix || !*prefix || !chars || !min)
			return ydoc_error(d, n, err, "a token needs a name, a prefix, chars and min");
		ALLOC_GROW(*v, *nr + 1, *alloc);
		k = &(*v)[*nr];
		memset(k, 0, sizeof(*k));
		if (token_set(k->set, chars))
			return ydoc_error(d, n, err, "token '%s': chars '%s' is no list of ranges",
					  name, chars);
		k->min = (size_t)strtoul(min, NULL, 10);
		k->max = max ? (size_t)strtoul(max, NULL, 10) : 4096;
		if (!k->min || k->max < k->min)
			return ydoc_error(d, n, err, "token '%s': min and max are lengths, min <= max",
					  name);
		k->name = xstrdup(name);
		k->prefix = xstrdup(prefix);
		k->prefix_len = strlen(prefix);
		(*nr)++;
	}
	return 0;
}

static int load_lists(struct redactor *r, struct ydoc *d, yaml_node_t *root, struct buf *err)
{
	static const char *const names[] = {
		"not_secret_suffixes", "not_secret_values", "digest_names", "public_names",
		"public_prefixes",
	};
	char ***lists[] = {
		&r->not_secret_suffixes, &r->not_secret_values, &r->digest_names,
		&r->public_names, &r->public_prefixes,
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (ydoc_strv(d, ydoc_get(d, root, names[i]), names[i], lists[i], err) < 0)
			return CF_ERR_PARSE;
	return 0;
}

/*
 * A redact.yaml: the compiled-in one (builtin) brings the keywords, the
 * lists and the patterns; a --rules DIR/redact.yaml adds patterns and
 * tokens.
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
	if (builtin && (!ydoc_scalar(ydoc_get(&d, root, "keywords")) ||
			load_keywords(r, ydoc_scalar(ydoc_get(&d, root, "keywords")),
				      ydoc_scalar(ydoc_get(&d, root, "weak_keywords")),
				      ydoc_scalar(ydoc_get(&d, root, "scan_keywords"))) ||
			load_lists(r, &d, root, err))) {
		rc = ydoc_error(&d, root, err, "expected keywords, weak_keywords, scan_keywords, "
				"not_secret_suffixes, "
				"not_secret_values, digest_names, public_names and public_prefixes");
		goto out;
	}
	if ((rc = load_tokens(&d, ydoc_get(&d, root, "tokens"), &r->tokens, &r->ntokens,
			      &r->tokens_alloc, err)) ||
	    (rc = load_tokens(&d, ydoc_get(&d, root, "public_tokens"), &r->public_tokens,
			      &r->npublic, &r->public_alloc, err)))
		goto out;
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
	r->md = pcre2_match_data_create(64, NULL);
	r->vmd = pcre2_match_data_create(4, NULL);
	r->no_keyword = xcalloc(REDACT_NAME_CACHE, sizeof(*r->no_keyword));
	return r;
}

static void tokens_free(struct redact_token *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].prefix);
	}
	free(v);
}

void redactor_free(struct redactor *r)
{
	size_t i;

	if (!r)
		return;
	pcre2_code_free(r->keywords);
	pcre2_code_free(r->scan);
	for (i = 0; i < r->npats; i++) {
		pcre2_code_free(r->pats[i].code);
		free(r->pats[i].name);
	}
	tokens_free(r->tokens, r->ntokens);
	tokens_free(r->public_tokens, r->npublic);
	strv_free(r->not_secret_suffixes);
	strv_free(r->not_secret_values);
	strv_free(r->digest_names);
	strv_free(r->public_names);
	strv_free(r->public_prefixes);
	pcre2_match_data_free(r->md);
	pcre2_match_data_free(r->vmd);
	free(r->no_keyword);
	free(r);
}

static int span_cmp(const void *a, const void *b)
{
	const struct redact_span *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static void find_pattern(struct redactor *r, const struct redact_pattern *p, const char *t,
			 size_t len, struct redact_spans *out)
{
	PCRE2_SIZE start = 0;

	while (start < len) {
		PCRE2_SIZE *ov;
		int i;

		if (pcre2_match(p->code, (PCRE2_SPTR)t, len, start, 0, r->md, NULL) < 0)
			break;
		ov = pcre2_get_ovector_pointer(r->md);
		if (!p->ngroups)
			redact_span_add(out, ov[0], ov[1]);
		for (i = 0; i < p->ngroups; i++)
			if (ov[2 * p->groups[i]] != PCRE2_UNSET) {
				redact_span_add(out, ov[2 * p->groups[i]], ov[2 * p->groups[i] + 1]);
				break;
			}
		start = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
	}
}

/* "-----BEGIN ... PRIVATE KEY..." (what "BEGIN" or "END"), or a public block */
static int armor_line(const char *t, size_t s, size_t e, const char *what, const char *kind)
{
	const char *p = t + s, *end = t + e;
	size_t n = strlen(what);

	while ((p = memmem(p, (size_t)(end - p), "-----", 5))) {
		while (p < end && *p == '-')
			p++;	/* NATS writes six */
		if ((size_t)(end - p) >= n && !strncmp(p, what, n)) {
			const char *k = p + n, *stop = memmem(k, (size_t)(end - k), "-----", 5);

			return memmem(k, (size_t)((stop ? stop : end) - k), kind, strlen(kind)) != NULL;
		}
	}
	return 0;
}

static int private_begin(const char *t, size_t s, size_t e)
{
	return armor_line(t, s, e, "BEGIN", "PRIVATE KEY") ||
	       armor_line(t, s, e, "BEGIN", "NKEY SEED") ||
	       armor_line(t, s, e, "BEGIN", "OpenVPN Static key");
}

static int public_begin(const char *t, size_t s, size_t e)
{
	return armor_line(t, s, e, "BEGIN", "PUBLIC KEY") ||
	       armor_line(t, s, e, "BEGIN", "CERTIFICATE") ||
	       armor_line(t, s, e, "BEGIN", "PGP SIGNATURE") ||
	       armor_line(t, s, e, "BEGIN", "PGP MESSAGE");
}

/* Deeper than depth, or empty: still inside a YAML block scalar. */
static int indented(const char *t, size_t s, size_t e, int depth)
{
	size_t i;

	for (i = s; i < e && (t[i] == ' ' || t[i] == '\t'); i++)
		;
	if (i == e)
		return 1;
	return i - s > (size_t)depth;
}

/* Hashed known_hosts and DKIM lines: salts, digests, signatures, public keys */
static int public_line(const char *t, size_t s, size_t e)
{
	return (e - s >= 3 && !memcmp(t + s, "|1|", 3)) || memmem(t + s, e - s, "DKIM", 4);
}

/*
 * Line by line: private key blocks (PEM, OpenSSH, PGP, NATS seeds, OpenVPN
 * static keys) become one marker a line; public blocks (keys, certificates,
 * signatures) are kept; every other line goes through the keyword-free
 * detectors. Blocks may span chunks (st).
 */
/*
 * google-authenticator's file: the secret, option lines (" TOTP_AUTH), then
 * emergency scratch codes of eight digits, one a line.
 */
static int ga_option(const char *t, size_t s, size_t e)
{
	return e - s > 3 && t[s] == '"' && t[s + 1] == ' ' && isupper((unsigned char)t[s + 2]);
}

static int scratch_code(const char *t, size_t s, size_t e)
{
	return e - s == 8 && redact_value_span(t + s, 8, "0123456789") == 8;
}

/*
 * Sections whose name says secret ([secrets], "auth:", '"keys": {'): whether
 * the line [ls, e) is inside one; *sect is the open one's indentation (-1:
 * none), *ini when it lasts to the next header.
 */
static int section(const struct redactor *r, const char *t, size_t ls, size_t e, int *sect,
		   int *ini)
{
	size_t i = ls;
	int secret, is_ini, open;

	while (i < e && (t[i] == ' ' || t[i] == '\t'))
		i++;
	if (i == e || t[i] == '\r')
		return 0;	/* a blank line changes nothing */
	open = redact_kv_section(r, t, ls, e, &secret, &is_ini);
	if (*sect >= 0 && !*ini && (int)(i - ls) <= *sect)
		*sect = -1;	/* back out of the section */
	if (open >= 0 && (is_ini || *sect < 0)) {
		*sect = secret ? open : -1;
		*ini = is_ini && secret;
		return 0;
	}
	return *sect >= 0 && (*ini || (int)(i - ls) > *sect);
}

static void scan_lines(const struct redactor *r, struct redact_state *st, const char *t,
		       size_t len, int strict, struct redact_spans *out)
{
	size_t ls = 0;
	int ga = 0, block = -1, named = 0, sect = -1, sect_ini = 0;

	while (ls < len) {
		const char *nl = memchr(t + ls, '\n', len - ls);
		size_t le = nl ? (size_t)(nl - t) : len, e = le;

		if (e > ls && t[e - 1] == '\r')
			e--;
		int armor = le - ls >= 5 && memmem(t + ls, le - ls, "-----", 5);

		/* a block that ends on the line it begins (a key in a JSON string) is no block */
		if (armor && !st->in_key_block && !st->in_public_block &&
		    !armor_line(t, ls, le, "END", "")) {
			if (private_begin(t, ls, le))
				st->in_key_block = 1;
			else if (public_begin(t, ls, le))
				st->in_public_block = 1;
		}
		if (st->in_key_block) {
			redact_span_add(out, ls, e);
			if (armor && armor_line(t, ls, le, "END", ""))
				st->in_key_block = 0;
		} else if (st->in_public_block) {
			if (armor && armor_line(t, ls, le, "END", ""))
				st->in_public_block = 0;
		} else if ((ga |= ga_option(t, ls, e)) && scratch_code(t, ls, e)) {
			redact_span_add(out, ls, e);
		} else if (block >= 0 && indented(t, ls, e, block)) {
			size_t s = ls;

			while (s < e && (t[s] == ' ' || t[s] == '\t'))
				s++;
			redact_span_add(out, s, e);	/* a line of a secret's block */
		} else if (named && redact_kv_named_value(r, t, ls, e, out)) {
			named = 0;
		} else if (!public_line(t, ls, e)) {
			int in = section(r, t, ls, e, &sect, &sect_ini);

			block = redact_kv_block(r, t, ls, e);
			named = redact_kv_secret_name(r, t, ls, e);
			redact_kv_line(r, t, ls, e, in, out);
			redact_tokens_line(r, t, ls, e, out);
			if (strict)
				redact_tokens_entropy_line(r, t, ls, e, out);
		}
		ls = le + 1;
	}
}

long redact_chunk(struct redactor *r, enum redact_mode mode,
		  struct redact_state *st, const char *text, size_t len,
		  struct buf *out)
{
	struct redact_spans sp = { NULL, 0, 0 };
	size_t i, pos = 0;
	long n = 0;
	int rc = 0;

	if (mode == REDACT_NONE)
		return buf_add(out, text, len);
	scan_lines(r, st, text, len, mode == REDACT_STRICT, &sp);
	redact_kv_keywords(r, text, len, &sp);
	for (i = 0; i < r->npats; i++)
		if (mode == REDACT_STRICT || !r->pats[i].config_only)
			find_pattern(r, &r->pats[i], text, len, &sp);
	if (sp.nr)
		qsort(sp.v, sp.nr, sizeof(*sp.v), span_cmp);

	for (i = 0; i < sp.nr && !rc; i++) {
		struct redact_span s = sp.v[i];

		if (s.end <= pos)
			continue;	/* inside one already replaced */
		if (n && s.start <= pos) {
			pos = s.end;	/* overlaps or touches the last: one marker */
			continue;
		}
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
