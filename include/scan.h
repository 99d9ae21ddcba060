/*
 * scan.h: find many literals in one pass over a block of text.
 *
 * Each pattern of the rules has literals that any matching line must
 * contain (rules.h: literal_extract). One pass hashes every 4-byte window
 * of the block (case-folded) against the rarest 4 bytes of each literal
 * and checks the few candidates, so a block is read once however many
 * rules read it.
 * Only lines that hold a literal go to the regular expression engine.
 */
#ifndef SCAN_H
#define SCAN_H

#include <stddef.h>
#include <stdint.h>

#define SCAN_MIN_LITERAL 4

struct scanner;

struct scanner *scanner_new(void);
void scanner_free(struct scanner *s);
/* lit must outlive the scanner; len >= SCAN_MIN_LITERAL */
void scanner_add(struct scanner *s, const char *lit, size_t len, int caseless, uint32_t id);
size_t scanner_count(const struct scanner *s);

/*
 * Call hit(ctx, pos, id) for every occurrence. Positions come nearly in
 * order (each literal is found by its rarest 4 bytes, so a long one may be
 * reported after a shorter one that starts later); callers sort.
 */
void scanner_scan(const struct scanner *s, const char *data, size_t len,
		  void (*hit)(void *ctx, size_t pos, uint32_t id), void *ctx);

#endif
