/*
 * error.c: messages for people, error names, small allocation and parsing
 * helpers that every module uses.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "casefile.h"

static void vreport(const char *prefix, const char *fmt, va_list ap)
{
	char msg[4096];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	fprintf(stderr, "casefile: %s%s\n", prefix, msg);
}

int error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("error: ", fmt, ap);
	va_end(ap);
	return -1;
}

void warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("warning: ", fmt, ap);
	va_end(ap);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("fatal: ", fmt, ap);
	va_end(ap);
	exit(128);
}

const char *cf_strerror(int err)
{
	switch (err) {
	case CF_OK: return "success";
	case CF_ERR_NOMEM: return "out of memory";
	case CF_ERR_IO: return "input/output error";
	case CF_ERR_PARSE: return "malformed input";
	case CF_ERR_CAP: return "size cap reached";
	case CF_ERR_TIMEOUT: return "timed out";
	case CF_ERR_USAGE: return "usage error";
	case CF_ERR_ARCHIVE: return "archive error";
	case CF_ERR_NOTFOUND: return "not found";
	case CF_ERR_DENIED: return "permission denied";
	case CF_ERR_INTERRUPTED: return "interrupted";
	case CF_ERR_SSH: return "ssh error";
	case CF_ERR_EXISTS: return "already exists";
	}
	return "unknown error";
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die("out of memory allocating %zu bytes", n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		die("out of memory allocating %zu x %zu bytes", n, size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		die("out of memory allocating %zu bytes", n);
	return q;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

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

void strv_free(char **v)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; v[i]; i++)
		free(v[i]);
	free(v);
}

size_t strv_len(char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

char **strv_split(const char *s, char sep)
{
	char **v = xcalloc(strlen(s) + 2, sizeof(*v));
	size_t n = 0;

	while (*s) {
		const char *e = strchr(s, sep);
		size_t len = e ? (size_t)(e - s) : strlen(s);

		if (len)
			v[n++] = xstrndup(s, len);
		s += len;
		if (*s)
			s++;
	}
	return v;
}

size_t count_newlines(const char *p, size_t n)
{
	const uint64_t ones = 0x0101010101010101ULL, nl = ones * '\n', low7 = ones * 0x7f;
	const char *end = p + n;
	size_t count = 0;

	while (p + 8 <= end) {
		uint64_t x, z;

		memcpy(&x, p, 8);
		x ^= nl;	/* newline bytes become zero */
		/* the top bit of each byte that is zero, exactly (no carries) */
		z = ~(((x & low7) + low7) | x | low7);
		count += (size_t)(((z >> 7) * ones) >> 56);
		p += 8;
	}
	for (; p < end; p++)
		count += *p == '\n';
	return count;
}
