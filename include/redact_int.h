/*
 * redact_int.h: what the redactor's files share (collect/redact*.c); not an
 * API for the rest of casefile, which uses redact.h.
 *
 * The redactor finds spans of a chunk to replace, in four ways:
 *   redact.c         loads rules/redact.yaml, runs its PCRE2 patterns over the
 *                    chunk, walks the lines (private and public key blocks),
 *                    replaces the spans;
 *   redact_kv.c      values of settings after a name that says secret
 *                    (keywords, in several languages, inside longer names, in
 *                    typed declarations and prose);
 *   redact_pairs.c   values after any name when they look generated or like
 *                    a person's password; a secret's name in one field and
 *                    its value in the next, YAML blocks;
 *   redact_tokens.c  tokens that need no name: known prefixes (tokens:),
 *                    prefixed random tokens, long random strings, base64 of
 *                    private keys and of "user:password";
 *   redact_value.c   what a value looks like: random, secret-like, or never
 *                    a secret (paths, references, versions, digests); the
 *                    entropy and the span list every other file uses, so
 *                    the files call downward only (redact.c on top).
 */
#ifndef REDACT_INT_H
#define REDACT_INT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>
#include <stdint.h>

#define REDACT_MAX_PATTERNS 128
#define REDACT_MAX_GROUPS 32
#define REDACT_NAME_CACHE 1024	/* phrases before a separator known to hold no keyword */

struct redact_pattern {
	char *name;
	pcre2_code *code;
	int config_only;
	int groups[REDACT_MAX_GROUPS];	/* the groups named "secret" (0: whole match) */
	int ngroups;
};

/* A known token: its prefix, the characters and length of what follows. */
struct redact_token {
	char *name, *prefix;
	size_t prefix_len, min, max;
	unsigned char set[256];		/* 1 for each character of the body */
};

/* The words before a separator, up to 64 bytes */
struct redact_name {
	unsigned char len;
	char name[64];
};

struct redactor {
	pcre2_code *keywords;		/* strong and weak names, one alternation */
	pcre2_code *scan;		/* the strong names that need no separator */
	int strong_group;		/* the group of the strong names */
	struct redact_pattern pats[REDACT_MAX_PATTERNS];
	size_t npats;
	struct redact_token *tokens, *public_tokens;	/* secret, and public shapes */
	size_t ntokens, tokens_alloc, npublic, public_alloc;
	char **not_secret_suffixes, **not_secret_values, **digest_names, **public_names;
	char **public_prefixes;
	pcre2_match_data *md;		/* for the scans of a chunk */
	pcre2_match_data *vmd;		/* for a value, during a scan */
	struct redact_name *no_keyword;	/* REDACT_NAME_CACHE phrases with no keyword */
};

/* A span [start, end) of the text to replace with REDACTED. */
struct redact_span {
	size_t start, end;
};

struct redact_spans {
	struct redact_span *v;
	size_t nr, alloc;
};

/* Add [start, end) unless it is empty (redact_value.c). */
void redact_span_add(struct redact_spans *s, size_t start, size_t end);

/* A value: [s, e) of the text, quoted, found in prose (1, 3) or after a space (2) */
struct redact_value {
	size_t s, e;
	int quoted, prose;
};

/* redact_kv.c: the values of settings, over the whole chunk and line by line */
void redact_kv_keywords(struct redactor *r, const char *t, size_t len, struct redact_spans *out);
/* in_secret: the line is inside a section whose name says secret (redact_kv_section) */
void redact_kv_line(const struct redactor *r, const char *t, size_t ls, size_t le, int in_secret,
		    struct redact_spans *out);
/*
 * A line that opens a section: an INI or TOML header "[name]" (*ini set), a
 * YAML mapping "name:" with nothing after it, a JSON object "\"name\": {".
 * -1 when it opens none; else its indentation, with *secret set when the
 * name says secret (a keyword, strong or weak, and no "public").
 */
int redact_kv_section(const struct redactor *r, const char *t, size_t ls, size_t le, int *secret,
		      int *ini);
/*
 * The value at p after a separator sep (':', '=' or ' ') that follows a name
 * starting at ks, on the line [ls, le): quoted, or bare to what ends it here.
 */
void redact_kv_value(const char *t, size_t ls, size_t le, size_t ks, size_t p, char sep,
		     struct redact_value *v);
/*
 * A keyword among the words before the separator at sep: decided; 0 if it
 * named no setting, else where the line is done to.
 */
size_t redact_kv_keyword_before(const struct redactor *r, const char *t, size_t ls, size_t le,
				size_t sep, struct redact_spans *out);

/*
 * A YAML block scalar under a strong name ("private_key: |"): the indentation
 * of its line, or -1. The lines indented deeper that follow are its value.
 */
int redact_kv_block(const struct redactor *r, const char *t, size_t ls, size_t le);

/*
 * Kubernetes' env lists: a line "- name: DB_PASSWORD" (1), then the next
 * line's "value: x" goes (redact_kv_named_value, 1 when it had one).
 */
int redact_kv_secret_name(const struct redactor *r, const char *t, size_t ls, size_t le);
int redact_kv_named_value(const struct redactor *r, const char *t, size_t ls, size_t le,
			  struct redact_spans *out);

/* redact_tokens.c: tokens that need no name, one line [ls, le) at a time */
void redact_tokens_line(const struct redactor *r, const char *t, size_t ls, size_t le,
			struct redact_spans *out);

/* Configuration files: detect-secrets' entropy guess on one line */
void redact_tokens_entropy_line(const struct redactor *r, const char *t, size_t ls, size_t le,
				struct redact_spans *out);
/* A run [s, e) that is public: after sha256:, h1:..., or of a public_tokens: shape. */
int redact_tokens_public(const struct redactor *r, const char *t, size_t ls, size_t s, size_t e);
/* A value with a digest's prefix inside: nginx@sha256:0f5e... */
int redact_value_has_digest(const struct redactor *r, const char *s, size_t n);

/* redact_value.c */
enum redact_look {
	REDACT_PLAIN,		/* a word, a number, an identifier */
	REDACT_SECRETISH,	/* could be a password: mixed kinds of characters */
	REDACT_PASSWORD,	/* a person's password: letters, digits and a symbol */
	REDACT_HEX,		/* long hex: a secret, a digest or an id */
	REDACT_RANDOM,		/* a generated secret: long and random */
};
/* 8-4-4-4-12 hex: an id, unless a strong name says it is a secret (Consul, Nomad tokens) */
int redact_value_uuid(const char *s, size_t n);
/* What s[0..n) looks like. */
enum redact_look redact_value_look(const char *s, size_t n);
/*
 * A value that is never a secret: listed in not_secret_values, a path, a
 * reference to a secret kept elsewhere (${VAR}, {{ var }}, <%= %>), masked
 * (****), a small number, the start of a structure.
 */
int redact_value_ordinary(const struct redactor *r, const char *s, size_t n);
/* Base64 of printable text, of a public key or certificate: no secret. */
int redact_value_public_b64(const char *s, size_t n);
/* A name (before '=' or ':') of a digest, an id or a version: its value is no secret. */
int redact_value_digest_name(const struct redactor *r, const char *name, size_t n);
/* name ends with one of v, at a word's start (key_id, requestId, X-Amz-Cf-Id) */
int redact_in_names(char *const *v, const char *name, size_t n);
int redact_in_list(char *const *v, const char *s, size_t n, int suffix);
/* How many of s[0..n) from the start are in set: strspn that stops at n. */
size_t redact_value_span(const char *s, size_t n, const char *set);
/*
 * The part of t[*s, *e) that is no word, when words are in it: the longest
 * piece between separators (run-r1a2b3.scope gives r1a2b3; api-7d9f-xk2lp
 * gives 7d9f). Ids are made so, generated secrets are not.
 */
void redact_value_core(const char *t, size_t *s, size_t *e);

#endif
