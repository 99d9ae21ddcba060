/* fuzz_catalog.c: the sources catalogue loader on any bytes */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct catalog c = { 0 };
	struct buf err = BUF_INIT(0);

	catalog_parse(&c, "fuzz.yaml", (const char *)data, size, &err);
	catalog_release(&c);
	buf_release(&err);
	return 0;
}
