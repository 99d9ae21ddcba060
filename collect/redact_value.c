/*
 * redact_value.c: what a value looks like (redact_int.h).
 *
 * A generated secret is a long run of characters of mixed kinds that change
 * kind often (Xk9mP2qLw7...); a word, an identifier, a version or a path
 * changes kind seldom (keyStorePassword, x86_64-linux-gnu, 2.36-9+deb12u4).
 * The measure is the number of runs of one kind (lower, upper, digit,
 * symbol) per character: about 0.6 for random base62, 0.2 to 0.3 for
 * names. Base64 is decoded to tell text, certificates and public keys
 * (public) from random bytes and private keys.
 */
#include <ctype.h>
#include <math.h>
#include <string.h>
#include <strings.h>
#include "casefile.h"
#include "redact.h"
#include "redact_int.h"

struct vstat {
	size_t n, lower, upper, digit, sym, sep, high;
	size_t runs, maxalpha, upper2;
};

enum { K_NONE, K_LOWER, K_UPPER, K_DIGIT, K_SYM, K_SEP };

static int kind_of(unsigned char c)
{
	if (islower(c))
		return K_LOWER;
	if (isupper(c))
		return K_UPPER;
	if (isdigit(c))
		return K_DIGIT;
	if (c == '_' || c == '-' || c == '.' || c == '/')
		return K_SEP;
	return K_SYM;
}

static void vstat_of(const char *s, size_t n, struct vstat *v)
{
	int prev = K_NONE;
	size_t i, alpha = 0;

	memset(v, 0, sizeof(*v));
	v->n = n;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		int k = c >= 0x80 ? K_SYM : kind_of(c);

		if (c >= 0x80 || c < 0x20)
			v->high++;	/* UTF-8 or a terminal's escapes: no generated secret */
		switch (k) {
		case K_LOWER: v->lower++; break;
		case K_UPPER: v->upper++; break;
		case K_DIGIT: v->digit++; break;
		case K_SEP: v->sep++; break;
		default: v->sym++; break;
		}
		alpha = (k == K_LOWER || k == K_UPPER) ? alpha + 1 : 0;
		if (alpha > v->maxalpha)
			v->maxalpha = alpha;
		/*
		 * a separator neither starts nor ends a run (x86_64 is two), nor
		 * does a capital's lower case word (BasicDataSource is three)
		 */
		if (k != K_SEP && k != prev) {
			if (!(k == K_LOWER && prev == K_UPPER && i && isupper((unsigned char)s[i - 1]) &&
			      i + 1 < n && islower((unsigned char)s[i + 1])))
				v->runs++;
			prev = k;
		}
		if (k == K_UPPER && i && isupper((unsigned char)s[i - 1]))
			v->upper2++;	/* two capitals in a row: no CamelCase word */
	}
}

static int strpbrk_n(const char *s, size_t n, const char *set)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] && strchr(set, s[i]))
			return 1;
	return 0;
}

static int all_in(const char *s, size_t n, const char *set)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!s[i] || !strchr(set, s[i]))
			return 0;
	return 1;
}

/* 1.2.3-4, 1:9.2p1-2+deb12u2, 2024-11-20T03:12:09Z, 10.0.0.1/24, fe80::1 */
static int version_like(const char *s, size_t n, const struct vstat *v)
{
	size_t i, k;

	if (!n || !isdigit((unsigned char)(s[0] == 'v' && n > 1 ? s[1] : s[0])))
		return 0;
	if (all_in(s, n, "0123456789abcdefABCDEF.:/") && (memchr(s, '.', n) || memchr(s, ':', n)))
		return 1;	/* addresses, times */
	if (v->upper || !memchr(s, '.', n) ||
	    !all_in(s, n, "0123456789abcdefghijklmnopqrstuvwxyz.+~:_-") || v->digit * 5 < n * 2)
		return 0;
	/* short parts: 2.36-9+deb12u4; a hex token with a dash has long ones */
	for (i = 0, k = 0; i < n; i++) {
		k = strchr(".+~:_-", s[i]) ? 0 : k + 1;
		if (k > 12)
			return 0;
	}
	return 1;
}

/* 8-4-4-4-12 hex */
static int uuid_like(const char *s, size_t n)
{
	size_t i;

	if (n != 36)
		return 0;
	for (i = 0; i < n; i++)
		if ((i == 8 || i == 13 || i == 18 || i == 23) ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

int redact_value_uuid(const char *s, size_t n)
{
	return uuid_like(s, n);
}

/* lowercase names with dots: api.example.com, org.freedesktop.secrets, a@b.com */
static int host_like(const char *s, size_t n, const struct vstat *v)
{
	const char *at = memchr(s, '@', n);

	if (at)
		return at > s && memchr(at, '.', n - (size_t)(at - s)) &&
		       all_in(s, n, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@._+-");
	return memchr(s, '.', n) && !v->upper && v->lower > v->digit &&
	       all_in(s, n, "abcdefghijklmnopqrstuvwxyz0123456789.-");
}

static int path_like(const char *s, size_t n)
{
	size_t i, seg = 0;

	if (!n || !(s[0] == '/' || (n > 1 && s[0] == '~' && s[1] == '/') ||
		    (n > 1 && s[0] == '.' && s[1] == '/')))
		return 0;
	/* every part of it a name, not one random string that starts with '/' */
	for (i = 0; i <= n; i++) {
		if (i == n || s[i] == '/') {
			if (i > seg && redact_value_look(s + seg, i - seg) == REDACT_RANDOM)
				return 0;
			seg = i + 1;
		} else if (!isalnum((unsigned char)s[i]) && !strchr("._-+@:~*%", s[i])) {
			return 0;
		}
	}
	return 1;
}

/* 0123456789abcdEFGhH...: an alphabet in order (options, character classes) */
static int sequence(const char *s, size_t n)
{
	size_t i, up = 0;

	if (n < 12)
		return 0;
	for (i = 1; i < n; i++)
		up += tolower((unsigned char)s[i]) >= tolower((unsigned char)s[i - 1]);
	return up * 100 >= (n - 1) * 85;
}

enum redact_look redact_value_look(const char *s, size_t n)
{
	struct vstat v;
	size_t letters;

	if (n < 6 || memchr(s, ' ', n) || memchr(s, '\t', n))
		return REDACT_PLAIN;
	vstat_of(s, n, &v);
	letters = v.lower + v.upper;
	if (v.high || !letters || version_like(s, n, &v) || uuid_like(s, n) ||
	    host_like(s, n, &v) || (n > 3 && memmem(s, n, "://", 3)) || sequence(s, n))
		return REDACT_PLAIN;
	/* long, of three kinds or more, changing kind often: generated */
	if (n >= 16 && v.lower && v.upper && v.digit && v.runs * 100 >= n * 30 &&
	    !strpbrk_n(s, n, "\\()[]{}<>,;\"'` "))
		return REDACT_RANDOM;
	/* of two kinds: hex (digests and ids too: the caller decides), base32, an */
	if (n >= 16 && !v.sym && !(v.lower && v.upper) && v.digit >= 2 && letters >= 2) {
		size_t hex = 0, i;

		for (i = 0; i < n; i++)
			hex += isxdigit((unsigned char)s[i]) != 0;
		if (hex + v.sep + 2 >= n && v.digit >= 3 && letters >= 3)
			return REDACT_HEX;
		if (v.upper && all_in(s, n, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567=") && v.maxalpha <= 14)
			return REDACT_RANDOM;	/* base32: OTP and nkey seeds */
		if (n >= 20 && v.digit >= 3 && v.runs * 100 >= n * 25 && v.maxalpha <= 12)
			return REDACT_RANDOM;
	}
	/*
	 * a password's length, with a password's symbols in it (no markup: troff's
	 * \f[R], X11's rgb:23/3a), changing kind at almost every character
	 */
	if (n >= 10 && n <= 64 && strpbrk_n(s, n, "!@#$%^&*+=?~|") &&
	    !strpbrk_n(s, n, "\\()[]{}<>:;,\"'`") && v.runs * 100 >= n * 50 &&
	    (v.digit || (v.lower && v.upper)))
		return REDACT_RANDOM;
	/* letters only, both cases, long: random letters */
	if (n >= 16 && !v.digit && !v.sym && v.lower && v.upper && v.runs * 100 >= n * 50)
		return REDACT_RANDOM;
	/*
	 * a person's password: letters, digits and one of the symbols password
	 * rules ask for (Summer2024!, Tr0ub4dor&3), no markup, not a reference
	 */
	if (n >= 8 && n <= 64 && letters >= 2 && v.digit && strpbrk_n(s, n, "!@#$%^&*+=?~") &&
	    !strpbrk_n(s, n, "\\()[]{}<>:;,\"'`/|") && !strchr("$%@*=&", s[0]))
		return REDACT_PASSWORD;
	/* could be a password; brackets, commas and quotes say structure, not one */
	if (n >= 7 && (v.digit >= 2 || (v.sym && (v.digit || (v.lower && v.upper))) ||
		       (v.lower && v.upper && v.digit) ||
		       (n >= 8 && v.lower && v.upper && v.upper2 && v.runs * 100 >= n * 40)) &&
	    !strpbrk_n(s, n, "()[]{}<>,;\"'`\\"))
		return REDACT_SECRETISH;
	return REDACT_PLAIN;
}

void redact_value_core(const char *t, size_t *s, size_t *e)
{
	size_t i = *s, best_s = *s, best_e = *s, words = 0;

	while (i < *e) {
		size_t a = i;

		while (i < *e && !strchr("_.-/", t[i]))
			i++;
		if (i - a >= 3 && redact_value_span(t + a, i - a, "abcdefghijklmnopqrstuvwxyz"
						    "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == i - a)
			words++;
		else if (i - a > best_e - best_s) {
			best_s = a;
			best_e = i;
		}
		i++;
	}
	if (words) {
		*s = best_s;
		*e = best_e;
	}
}

size_t redact_value_span(const char *s, size_t n, const char *set)
{
	size_t i;

	for (i = 0; i < n && s[i] && strchr(set, s[i]); i++)
		;
	return i;
}

int redact_in_list(char *const *v, const char *s, size_t n, int suffix)
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

/* ${VAR}, $VAR, $(cmd), {{ var }}, <%= ... %>, %(name)s, env('X'), !vault */
static int reference_like(const char *s, size_t n)
{
	size_t i;

	if (n >= 2 && s[0] == '$' && (s[1] == '{' || s[1] == '('))
		return 1;	/* ${VAR}, $(cmd), also cut at a space: $(getent passwd */
	if (n >= 2 && s[0] == '$') {
		for (i = 1; i < n && (isalnum((unsigned char)s[i]) || s[i] == '_'); i++)
			;
		if (i == n || (i > 1 && (s[i] == '/' || (i + 1 < n && s[i] == ':' && s[i + 1] == ':'))))
			return 1;	/* $VAR, $dir/private/cakey.pem, openssl's $section::name */
	}
	if ((n >= 4 && !strncmp(s, "{{", 2)) || (n >= 4 && !strncmp(s, "<%", 2)) ||
	    (n >= 4 && !strncmp(s, "%(", 2)) || (n >= 3 && !strncmp(s, "%{", 2)) ||
	    (n >= 6 && !strncasecmp(s, "!vault", 6)) || (n >= 5 && !strncasecmp(s, "env(", 4)) ||
	    (n >= 5 && !strncmp(s, "ENV[", 4)) || (n >= 8 && !strncasecmp(s, "secrets.", 8)))
		return 1;
	return 0;
}

int redact_value_ordinary(const struct redactor *r, const char *s, size_t n)
{
	size_t i;

	if (n < 3 || (n <= 16 && redact_in_list(r->not_secret_values, s, n, 0)) ||
	    path_like(s, n) || reference_like(s, n))
		return 1;	/* "A challenge password": no password is one letter long */
	/* a URL with no password in it: token_url, proxy_pass http://backend */
	if (memmem(s, n, "://", 3) && !memchr(s, '@', n))
		return 1;
	/* "key: {", "key: [", "key: |", "password [success=1 ...": a structure */
	if (strchr("{[(|>", s[0]))
		return 1;
	/* tls.key:/etc/app/tls.key (systemd), hash:/etc/postfix/sasl_passwd */
	for (i = 0; i < n && (isalnum((unsigned char)s[i]) || strchr("._-", s[i])); i++)
		;
	if (i && i + 1 < n && s[i] == ':' && s[i + 1] == '/' && (i + 2 >= n || s[i + 2] != '/'))
		return 1;
	/* a glob: app.*, *.conf */
	if ((s[0] == '*' || memmem(s, n, ".*", 2) || memmem(s, n, "*.", 2) || memmem(s, n, "/*", 2)) &&
	    all_in(s, n, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-*"))
		return 1;
	/* masked: ****, xxxxxx, <redacted> */
	if (all_in(s, n, "*xX#.\xe2\x80\xa2") || (n >= 9 && !strncasecmp(s, "<redacted", 9)))
		return 1;
	if (n >= 3 && s[0] == '<' && s[n - 1] == '>' &&
	    all_in(s + 1, n - 2, "abcdefghijklmnopqrstuvwxyz-_ "))
		return 1;	/* <your-password> */
	/* docker_password, DB_PASSWORD, db-credentials (a Kubernetes Secret's name):
	 * the name of a secret kept elsewhere */
	if ((memchr(s, '_', n) || memchr(s, '-', n)) && isalpha((unsigned char)s[0]) &&
	    (all_in(s, n, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_") ||
	     all_in(s, n, "abcdefghijklmnopqrstuvwxyz-")) &&
	    pcre2_match(r->keywords, (PCRE2_SPTR)s, n, 0, 0, r->vmd, NULL) >= 0)
		return 1;
	for (i = 0; i < n && isdigit((unsigned char)s[i]); i++)
		;
	/* a port and its protocol: kpasswd 464/udp (/etc/services), 22/tcp */
	if (i && i < n && s[i] == '/' && (all_in(s + i + 1, n - i - 1, "tcpud") ||
					  !strncasecmp(s + i + 1, "sctp", n - i - 1)))
		return 1;
	return i == n && n < 4;
}

int redact_value_digest_name(const struct redactor *r, const char *name, size_t n)
{
	return redact_in_names(r->digest_names, name, n);
}

int redact_in_names(char *const *v, const char *name, size_t n)
{
	size_t i, k;

	for (i = 0; n && v && v[i]; i++) {
		k = strlen(v[i]);
		if (!k || tolower((unsigned char)name[n - 1]) != tolower((unsigned char)v[i][k - 1]))
			continue;
		if (n < k || strncasecmp(name + n - k, v[i], k))
			continue;
		if (n == k || !isalpha((unsigned char)name[n - k - 1]) ||
		    (islower((unsigned char)name[n - k - 1]) && isupper((unsigned char)name[n - k])))
			return 1;
	}
	return 0;
}

static int b64_digit(unsigned char c)
{
	if (isupper(c))
		return c - 'A';
	if (islower(c))
		return c - 'a' + 26;
	if (isdigit(c))
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

/* Decode base64 (either alphabet, padding optional) into out; -1 when it is none. */
static long b64_decode(const char *s, size_t n, unsigned char *out, size_t cap)
{
	size_t i, o = 0;
	unsigned acc = 0;
	int bits = 0;

	while (n && s[n - 1] == '=')
		n--;
	for (i = 0; i < n; i++) {
		int d = b64_digit((unsigned char)s[i]);

		if (d < 0)
			return -1;
		acc = (acc << 6) | (unsigned)d;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o < cap)
				out[o] = (unsigned char)(acc >> bits);
			o++;
		}
	}
	return (long)(o < cap ? o : cap);
}

/*
 * DER: a SEQUENCE whose first element is a SEQUENCE is a certificate or a
 * public key (tbsCertificate, AlgorithmIdentifier); a private key starts
 * with an INTEGER (its version).
 */
static int der_public(const unsigned char *d, size_t n)
{
	size_t p = 2;

	if (n < 4 || d[0] != 0x30)
		return 0;
	if (d[1] & 0x80)
		p += d[1] & 0x7f;
	return p < n && d[p] == 0x30;
}

int redact_value_public_b64(const char *s, size_t n)
{
	unsigned char d[512];
	long len = b64_decode(s, n, d, sizeof(d));
	size_t i, text = 0, space = 0;

	if (len < 6)
		return 0;
	if (der_public(d, (size_t)len))
		return 1;
	/* an SSH public key blob: length, then "ssh-..." or "ecdsa-..." */
	if (!d[0] && !d[1] && !d[2] && d[3] < 40 && len > 8 &&
	    (!memcmp(d + 4, "ssh-", 4) || !memcmp(d + 4, "ecdsa", 5) || !memcmp(d + 4, "sk-", 3)))
		return 1;
	for (i = 0; i < (size_t)len; i++) {
		if ((d[i] >= 0x20 && d[i] < 0x7f) || d[i] >= 0x80 || d[i] == '\n' || d[i] == '\t')
			text++;
		if (d[i] == ' ' || d[i] == '\n')
			space++;
	}
	/* text with words in it; "user:password" and random bytes are no text */
	return text == (size_t)len && space > 0;
}

/* The two helpers every detector uses: here, below them all, so no file calls back up. */
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

void redact_span_add(struct redact_spans *s, size_t start, size_t end)
{
	if (end <= start)
		return;
	ALLOC_GROW(s->v, s->nr + 1, s->alloc);
	s->v[s->nr].start = start;
	s->v[s->nr].end = end;
	s->nr++;
}
