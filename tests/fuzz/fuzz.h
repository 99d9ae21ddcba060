/*
 * fuzz.h: what the libFuzzer targets share (docs/fuzzing.md).
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include "buf.h"
#include "casefile.h"
#include "catalog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The compiled-in catalogue, loaded once. */
static inline const struct catalog *fuzz_catalog(void)
{
	static struct catalog cat;
	static int loaded;

	if (!loaded) {
		struct buf err = BUF_INIT(0);

		if (catalog_load_default(&cat, &err))
			abort();
		buf_release(&err);
		loaded = 1;
	}
	return &cat;
}

#endif
