/*
 * since.c: dates people type for --since.
 */
#include <string.h>
#include <time.h>
#include "casefile.h"
#include "commands.h"

int parse_since(const char *s, int64_t now, int64_t *out)
{
	static const char *const formats[] = {
		"%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S",
		"%Y-%m-%d %H:%M", "%Y-%m-%d",
	};
	int64_t d = parse_duration(s);
	size_t i;

	if (d > 0 && !strchr(s, '-')) {
		*out = now - d;
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(formats); i++) {
		struct tm tm;
		const char *end;

		memset(&tm, 0, sizeof(tm));
		end = strptime(s, formats[i], &tm);
		if (end && !*end) {
			*out = (int64_t)timegm(&tm);
			return 0;
		}
	}
	return CF_ERR_PARSE;
}
