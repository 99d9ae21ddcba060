/*
 * units.c: sizes, durations and dates as people type them, and the clock.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "casefile.h"

struct unit {
	char suffix;
	int64_t mult;
};

/* A whole number with an optional unit suffix from units; -1 if malformed. */
static int64_t parse_scaled(const char *s, const struct unit *units, int allow_b)
{
	char *end;
	unsigned long long v;
	int64_t mult = 1;

	if (!s || !*s || *s == '-')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -1;
	for (; *end && units->suffix; units++)
		if (*end == units->suffix) {
			mult = units->mult;
			end++;
			break;
		}
	if (allow_b && (*end == 'B' || *end == 'b'))
		end++;
	if (*end || v > (unsigned long long)(INT64_MAX / mult))
		return -1;
	return (int64_t)v * mult;
}

int64_t parse_size(const char *s)
{
	static const struct unit units[] = {
		{ 'k', 1024 }, { 'K', 1024 }, { 'm', 1 << 20 }, { 'M', 1 << 20 },
		{ 'g', 1 << 30 }, { 'G', 1 << 30 }, { 0, 0 }
	};

	return parse_scaled(s, units, 1);
}

int64_t parse_duration(const char *s)
{
	static const struct unit units[] = {
		{ 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 }, { 0, 0 }
	};

	return parse_scaled(s, units, 0);
}

const char *fmt_size(char *out, size_t n, uint64_t bytes)
{
	static const char units[] = "KMGT";
	double v = (double)bytes;
	int u = -1;

	if (bytes < 1024) {
		snprintf(out, n, "%luB", (unsigned long)bytes);
		return out;
	}
	while (v >= 1024 && u < 3) {
		v /= 1024;
		u++;
	}
	snprintf(out, n, v < 10 ? "%.1f%c" : "%.0f%c", v, units[u]);
	return out;
}

int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

const char *fmt_utc(char *out, size_t n, int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (!gmtime_r(&tt, &tm) || !strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(out, n, "?");
	return out;
}

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
