/*
 * redact.h: remove secrets from text before it is written to a bundle.
 *
 * What goes is data: rules/redact.yaml (compiled in). Every mode removes
 * the values of settings named like secrets ("key=value", "key: value",
 * quoted or not, unless the name is about secrets or the value is never
 * one), private key blocks (PEM, OpenSSH, PGP: every line of them), and
 * what the file's patterns match: URL passwords, authorization headers,
 * passwords on command lines, password hashes, connection strings, tokens
 * of known formats. REDACT_STRICT, for configuration files, also runs the
 * patterns marked config and removes high-entropy strings (base64 above
 * 4.5 bits/char, hex above 3 bits/char, the thresholds of Yelp's
 * detect-secrets) that stand as a quoted string, a value, or a line of
 * their own, except digests and ids and inside certificates and public
 * keys.
 *
 * Text is processed a chunk of whole lines at a time; lines keep their
 * number so evidence line numbers still point at the original line.
 */
#ifndef REDACT_H
#define REDACT_H

#include <stddef.h>
#include "buf.h"

enum redact_mode {
	REDACT_NONE,
	REDACT_LOG,
	REDACT_STRICT,
};

#define REDACTED "<redacted>"

struct redactor;

/* Compile the patterns once; NULL after error() when pcre2 fails. */
struct redactor *redactor_new(void);
void redactor_free(struct redactor *r);
/*
 * Add the patterns of DIR/redact.yaml (--rules DIR), when there is one: a
 * support engineer's redaction without a rebuild. 0, or an error printed.
 */
int redactor_add_dir(struct redactor *r, const char *dir);

/* Per-stream state: a key or certificate block may span chunks. */
struct redact_state {
	int in_key_block;	/* inside a private key: every line goes */
	int in_public_block;	/* inside a certificate or public key: kept */
};

/*
 * Append the redacted form of text (whole lines; the last may lack its
 * newline) to out. Returns the number of redactions made, or a negative
 * CF_ERR_* (out's cap). With REDACT_NONE the text is copied as it is.
 */
long redact_chunk(struct redactor *r, enum redact_mode mode,
		  struct redact_state *st, const char *text, size_t len,
		  struct buf *out);

/* Shannon entropy of s[0..n) in bits per character. */
double redact_entropy(const char *s, size_t n);

#endif
