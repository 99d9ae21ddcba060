/* fuzz_redact.c: the redactor on any text, in both modes, split at any point */
#include "fuzz.h"
#include "redact.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct redactor *red;
	struct redact_state st = { 0, 0 };
	struct buf out = BUF_INIT(0);
	size_t half = size / 2;

	if (!red && !(red = redactor_new()))
		abort();
	redact_chunk(red, REDACT_STRICT, &st, (const char *)data, size, &out);
	buf_reset(&out);
	memset(&st, 0, sizeof(st));
	redact_chunk(red, REDACT_LOG, &st, (const char *)data, half, &out);
	redact_chunk(red, REDACT_LOG, &st, (const char *)data + half, size - half, &out);
	buf_release(&out);
	return 0;
}
