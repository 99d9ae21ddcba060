/*
 * scan.c: one-pass multi-literal search (see scan.h).
 */
#include <string.h>
#include <strings.h>
#include "casefile.h"
#include "scan.h"

#define HASH_BITS 16
#define NONE UINT32_MAX

struct entry {
	const char *lit;
	uint32_t len;
	uint32_t id;
	uint32_t next;
	uint32_t anchor;	/* offset of the 4 bytes that are hashed */
	uint32_t key;		/* those 4 bytes, folded: most hash collisions end here */
	int caseless;
};

struct scanner {
	uint64_t bits[(1u << HASH_BITS) / 64];
	uint32_t head[1u << HASH_BITS];
	struct entry *e;
	size_t n, alloc;
};

static inline uint32_t fold4(const char *p)
{
	uint32_t x;

	memcpy(&x, p, 4);
	return x | 0x20202020u;	/* ASCII letters to lower case; others collide harmlessly */
}

static inline uint32_t hash4(uint32_t x)
{
	return (x * 2654435761u) >> (32 - HASH_BITS);
}

struct scanner *scanner_new(void)
{
	struct scanner *s = xcalloc(1, sizeof(*s));

	memset(s->head, 0xff, sizeof(s->head));
	return s;
}

void scanner_free(struct scanner *s)
{
	if (!s)
		return;
	free(s->e);
	free(s);
}

size_t scanner_count(const struct scanner *s)
{
	return s ? s->n : 0;
}

/*
 * How common a byte is in logs, roughly: spaces, digits and lower-case
 * letters are everywhere; upper case and most punctuation are rare. The
 * scanner hashes the rarest 4 bytes of each literal, so " not responding"
 * is found by "spon", not by the " not" of every other line.
 */
static int byte_weight(unsigned char c)
{
	static const char common[] = " etaoinsrhldcu";

	if (c == ' ' || (c >= '0' && c <= '9'))
		return 10;
	if (c >= 'a' && c <= 'z')
		return strchr(common, c) ? 6 : 3;
	if (c == ':' || c == '.' || c == '-' || c == '=' || c == '/' || c == '_')
		return 5;
	return 1;
}

static uint32_t rare_window(const char *lit, size_t len)
{
	uint32_t best = 0, i;
	int best_w = 1 << 30;

	for (i = 0; i + SCAN_MIN_LITERAL <= len; i++) {
		int w = 0, k;

		for (k = 0; k < SCAN_MIN_LITERAL; k++)
			w += byte_weight((unsigned char)lit[i + k]);
		if (w < best_w) {
			best_w = w;
			best = i;
		}
	}
	return best;
}

void scanner_add(struct scanner *s, const char *lit, size_t len, int caseless, uint32_t id)
{
	uint32_t h, anchor;

	if (len < SCAN_MIN_LITERAL)
		return;
	anchor = rare_window(lit, len);
	h = hash4(fold4(lit + anchor));
	ALLOC_GROW(s->e, s->n + 1, s->alloc);
	s->e[s->n].lit = lit;
	s->e[s->n].len = (uint32_t)len;
	s->e[s->n].id = id;
	s->e[s->n].caseless = caseless;
	s->e[s->n].anchor = anchor;
	s->e[s->n].key = fold4(lit + anchor);
	s->e[s->n].next = s->head[h];
	s->head[h] = (uint32_t)s->n;
	s->bits[h / 64] |= 1ULL << (h % 64);
	s->n++;
}

void scanner_scan(const struct scanner *s, const char *data, size_t len,
		  void (*hit)(void *ctx, size_t pos, uint32_t id), void *ctx)
{
	size_t i;

	if (!s || !s->n || len < SCAN_MIN_LITERAL)
		return;
	for (i = 0; i + SCAN_MIN_LITERAL <= len; i++) {
		uint32_t x = fold4(data + i), h = hash4(x), k;

		if (!(s->bits[h / 64] & (1ULL << (h % 64))))
			continue;
		for (k = s->head[h]; k != NONE; k = s->e[k].next) {
			const struct entry *e = &s->e[k];
			size_t at = i - e->anchor;

			if (e->key != x || i < e->anchor || at + e->len > len)
				continue;
			if (e->caseless ? !strncasecmp(data + at, e->lit, e->len)
					: !memcmp(data + at, e->lit, e->len))
				hit(ctx, at, e->id);
		}
	}
}
