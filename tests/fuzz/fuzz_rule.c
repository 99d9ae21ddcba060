/* fuzz_rule.c: the rule loader on any bytes: an error or a rule, never a crash */
#include "fuzz.h"
#include "rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf err = BUF_INIT(0);
	struct rule r;

	if (rule_parse(&r, "fuzz.yaml", (const char *)data, size, fuzz_catalog(), &err) == 0)
		rule_clear(&r);
	buf_release(&err);
	return 0;
}
