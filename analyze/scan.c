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

void scanner_add(struct scanner *s, const char *lit, size_t len, int caseless, uint32_t id)
{
	uint32_t h;

	if (len < SCAN_MIN_LITERAL)
		return;
	h = hash4(fold4(lit));
	ALLOC_GROW(s->e, s->n + 1, s->alloc);
	s->e[s->n].lit = lit;
	s->e[s->n].len = (uint32_t)len;
	s->e[s->n].id = id;
	s->e[s->n].caseless = caseless;
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
		uint32_t h = hash4(fold4(data + i)), k;

		if (!(s->bits[h / 64] & (1ULL << (h % 64))))
			continue;
		for (k = s->head[h]; k != NONE; k = s->e[k].next) {
			const struct entry *e = &s->e[k];

			if (i + e->len > len)
				continue;
			if (e->caseless ? !strncasecmp(data + i, e->lit, e->len)
					: !memcmp(data + i, e->lit, e->len))
				hit(ctx, i, e->id);
		}
	}
}
