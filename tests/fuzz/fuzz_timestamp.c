/* fuzz_timestamp.c: the timestamp parser on any line, and its formatter */
#include "fuzz.h"
#include "timestamp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ts t = ts_parse((const char *)data, size, 1795000000);
	char out[64];

	ts_format(t, out, sizeof(out));
	return 0;
}
