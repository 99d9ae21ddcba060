/*
 * timestamp.c: parse the line-start times of logs (formats in timestamp.h).
 * Hand-rolled digit reading: this runs on every matched line, and strptime
 * is locale-bound and slow.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "casefile.h"
#include "timestamp.h"

static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

int64_t ts_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int num(const char *s, size_t len, size_t *i, int digits, int *out)
{
	size_t j = *i;
	int v = 0, k;

	for (k = 0; k < digits; k++) {
		if (j >= len || !isdigit((unsigned char)s[j]))
			return 0;	/* *i untouched: the caller may try another width */
		v = v * 10 + (s[j++] - '0');
	}
	*i = j;
	*out = v;
	return 1;
}

static int month_of(const char *s, size_t len, size_t i)
{
	int m;

	if (i + 3 > len)
		return 0;
	for (m = 0; m < 12; m++)
		if (!strncmp(s + i, months + 3 * m, 3))
			return m + 1;
	return 0;
}

static int valid(int y, int mo, int d, int h, int mi, int se)
{
	return y >= 1970 && y < 2400 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 &&
	       h <= 23 && mi <= 59 && se <= 60;
}

static int64_t mk(int y, int mo, int d, int h, int mi, int se)
{
	return ts_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	       h * 3600 + mi * 60 + se;
}

/*
 * Optional fraction, then optional zone: Z, +hh:mm, +hhmm, " UTC". *given
 * says whether there was one: a time without a zone is the host's local time.
 */
static int64_t zone(const char *s, size_t len, size_t i, int *given)
{
	int hh, mm = 0, sign;

	*given = 0;
	if (i < len && (s[i] == '.' || s[i] == ','))
		for (i++; i < len && isdigit((unsigned char)s[i]); i++)
			;
	if (i >= len)
		return 0;
	if (s[i] == 'Z' || (len - i >= 4 && !strncmp(s + i, " UTC", 4)) ||
	    (len - i >= 4 && !strncmp(s + i, " GMT", 4))) {
		*given = 1;
		return 0;
	}
	if (s[i] != '+' && s[i] != '-')
		return 0;
	sign = s[i] == '-' ? -1 : 1;
	i++;
	if (!num(s, len, &i, 2, &hh))
		return 0;
	if (i < len && s[i] == ':')
		i++;
	if (!num(s, len, &i, 2, &mm))
		mm = 0;
	*given = 1;
	/* local = UTC + offset */
	return -(int64_t)sign * (hh * 3600 + mm * 60);
}

/* YYYY-MM-DD[T ]HH:MM:SS or YYYY/MM/DD HH:MM:SS at s[i] */
static int iso(const char *s, size_t len, size_t i, struct ts *t)
{
	int y, mo, d, h, mi, se, given;
	char sep;

	if (!num(s, len, &i, 4, &y) || i >= len || (s[i] != '-' && s[i] != '/'))
		return 0;
	sep = s[i++];
	if (!num(s, len, &i, 2, &mo) || i >= len || s[i++] != sep ||
	    !num(s, len, &i, 2, &d) || i >= len || (s[i] != 'T' && s[i] != ' '))
		return 0;
	i++;
	if (!num(s, len, &i, 2, &h) || i >= len || s[i++] != ':' ||
	    !num(s, len, &i, 2, &mi) || i >= len || s[i++] != ':' ||
	    !num(s, len, &i, 2, &se) || !valid(y, mo, d, h, mi, se))
		return 0;
	t->sec = mk(y, mo, d, h, mi, se) + zone(s, len, i, &given);
	t->kind = given ? TS_WALL : TS_LOCAL;
	return 1;
}

/* Mon DD HH:MM:SS (day may be space-padded) */
static int syslog_time(const char *s, size_t len, size_t i, int64_t ref, struct ts *t)
{
	int mo = month_of(s, len, i), d, h, mi, se, y;
	int64_t v, days;

	if (!mo || i + 4 > len || s[i + 3] != ' ')
		return 0;
	i += 4;
	if (i < len && s[i] == ' ')
		i++;
	if (!num(s, len, &i, 2, &d) && !num(s, len, &i, 1, &d))
		return 0;
	if (i >= len || s[i++] != ' ' ||
	    !num(s, len, &i, 2, &h) || i >= len || s[i++] != ':' ||
	    !num(s, len, &i, 2, &mi) || i >= len || s[i++] != ':' ||
	    !num(s, len, &i, 2, &se))
		return 0;
	/* year of the reference; the year before if that is after it */
	days = (ref > 0 ? ref : 0) / 86400;
	{
		/* civil year from days (inverse of days_from_civil, year only) */
		int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
		unsigned doe = (unsigned)(z - era * 146097);
		unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
		unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
		unsigned mp = (5 * doy + 2) / 153;
		unsigned m = mp < 10 ? mp + 3 : mp - 9;

		y = (int)(yoe + era * 400 + (m <= 2));
	}
	if (!valid(y, mo, d, h, mi, se))
		return 0;
	v = mk(y, mo, d, h, mi, se);
	if (ref > 0 && v > ref + 86400)
		v = mk(y - 1, mo, d, h, mi, se);
	t->kind = TS_LOCAL;
	t->sec = v;
	return 1;
}

/* [  123.456789] */
static int dmesg_time(const char *s, size_t len, size_t i, struct ts *t)
{
	int64_t v = 0;
	int digits = 0;

	if (i >= len || s[i++] != '[')
		return 0;
	while (i < len && s[i] == ' ')
		i++;
	while (i < len && isdigit((unsigned char)s[i]) && digits < 12) {
		v = v * 10 + (s[i++] - '0');
		digits++;
	}
	if (!digits || i >= len || s[i] != '.')
		return 0;
	t->kind = TS_BOOT;
	t->sec = v;
	return 1;
}

/* [Fri Nov 20 03:12:09.123456 2026] */
static int apache_time(const char *s, size_t len, size_t i, struct ts *t)
{
	int mo, d, h, mi, se, y;

	if (i + 5 > len || s[i] != '[' || s[i + 4] != ' ')
		return 0;
	i += 5;
	mo = month_of(s, len, i);
	if (!mo)
		return 0;
	i += 4;
	if (!num(s, len, &i, 2, &d) || i >= len || s[i++] != ' ' ||
	    !num(s, len, &i, 2, &h) || i >= len || s[i++] != ':' ||
	    !num(s, len, &i, 2, &mi) || i >= len || s[i++] != ':' ||
	    !num(s, len, &i, 2, &se))
		return 0;
	if (i < len && s[i] == '.')
		for (i++; i < len && isdigit((unsigned char)s[i]); i++)
			;
	if (i >= len || s[i++] != ' ' || !num(s, len, &i, 4, &y) || !valid(y, mo, d, h, mi, se))
		return 0;
	t->kind = TS_LOCAL;	/* Apache's error log prints local time, no zone */
	t->sec = mk(y, mo, d, h, mi, se);
	return 1;
}

/* DD Mon YYYY HH:MM:SS[.mmm] at s[i] (Redis after "pid:role "; PHP-FPM with '-'s) */
static int day_month_year(const char *s, size_t len, size_t i, char sep, struct ts *t)
{
	int d, mo, y, h, mi, se;

	if (!num(s, len, &i, 2, &d) || i >= len || s[i++] != sep)
		return 0;
	mo = month_of(s, len, i);
	i += 3;
	if (!mo || i >= len || s[i++] != sep || !num(s, len, &i, 4, &y) || i >= len ||
	    s[i++] != ' ' || !num(s, len, &i, 2, &h) || i >= len || s[i++] != ':' ||
	    !num(s, len, &i, 2, &mi) || i >= len || s[i++] != ':' ||
	    !num(s, len, &i, 2, &se) || !valid(y, mo, d, h, mi, se))
		return 0;
	t->kind = TS_LOCAL;	/* both print the host's local time, no zone */
	t->sec = mk(y, mo, d, h, mi, se);
	return 1;
}

/* Redis: "1234:M 20 Nov 2026 03:12:09.123 # ..." (role M, S, C or X) */
static int redis_time(const char *s, size_t len, size_t i, struct ts *t)
{
	while (i < len && isdigit((unsigned char)s[i]))
		i++;
	if (i + 3 >= len || s[i] != ':' || !strchr("MSCX", s[i + 1]) || s[i + 2] != ' ')
		return 0;
	return day_month_year(s, len, i + 3, ' ', t);
}

/*
 * In brackets: PHP-FPM's "[20-Nov-2026 03:12:09]", Elasticsearch's
 * "[2026-11-20T03:12:09,123]"; MongoDB 4.4+'s JSON {"t":{"$date":"..."}}.
 */
static int app_time(const char *s, size_t len, size_t i, struct ts *t)
{
	static const char date[] = "{\"t\":{\"$date\":\"";

	if (s[i] == '[' && i + 1 < len && isdigit((unsigned char)s[i + 1]))
		return iso(s, len, i + 1, t) || day_month_year(s, len, i + 1, '-', t);
	if (s[i] == '{' && len - i > sizeof(date) && !memcmp(s + i, date, sizeof(date) - 1))
		return iso(s, len, i + sizeof(date) - 1, t);
	return 0;
}

/* [20/Nov/2026:03:12:09 +0000] within the first 200 bytes */
static int access_time(const char *s, size_t len, struct ts *t)
{
	int given;
	size_t lim = len < 200 ? len : 200, i;

	for (i = 0; i + 21 < lim; i++) {
		size_t j = i + 1;
		int d, mo, y, h, mi, se;

		if (s[i] != '[' || !num(s, len, &j, 2, &d) || s[j++] != '/')
			continue;
		mo = month_of(s, len, j);
		j += 3;
		if (!mo || j >= len || s[j++] != '/' || !num(s, len, &j, 4, &y) ||
		    j >= len || s[j++] != ':' || !num(s, len, &j, 2, &h) || j >= len ||
		    s[j++] != ':' || !num(s, len, &j, 2, &mi) || j >= len || s[j++] != ':' ||
		    !num(s, len, &j, 2, &se) || !valid(y, mo, d, h, mi, se))
			continue;
		t->sec = mk(y, mo, d, h, mi, se);
		given = 0;
		if (j < len && s[j] == ' ')
			t->sec += zone(s, len, j + 1, &given);
		t->kind = given ? TS_WALL : TS_LOCAL;
		return 1;
	}
	return 0;
}

struct ts ts_parse(const char *s, size_t len, int64_t reference)
{
	struct ts t = { TS_NONE, 0 };
	size_t i = 0;

	/* syslog priority "<13>" and BOMs do not start a time */
	if (len > 3 && s[0] == '<' && isdigit((unsigned char)s[1])) {
		const char *gt = memchr(s, '>', len < 6 ? len : 6);

		if (gt)
			i = (size_t)(gt - s) + 1;
	}
	if (i < len && isdigit((unsigned char)s[i])) {
		if (iso(s, len, i, &t) || redis_time(s, len, i, &t))
			return t;
	} else if (i < len && s[i] == '[') {
		if (dmesg_time(s, len, i, &t) || apache_time(s, len, i, &t) ||
		    app_time(s, len, i, &t))
			return t;
	} else if (i < len && s[i] == '{') {
		if (app_time(s, len, i, &t))
			return t;
	} else if (syslog_time(s, len, i, reference, &t)) {
		return t;
	}
	access_time(s, len, &t);
	return t;
}

/* POSIX TZ: a zone's abbreviation, "CET" or "<+0530>" */
static const char *tz_name(const char *p)
{
	const char *s = p;

	if (*p == '<') {
		for (p++; isalnum((unsigned char)*p) || *p == '+' || *p == '-'; p++)
			;
		return *p == '>' && p - s >= 4 ? p + 1 : NULL;
	}
	while (isalpha((unsigned char)*p))
		p++;
	return p - s >= 3 ? p : NULL;
}

/* POSIX TZ: an offset or a time, [+-]h[h][:mm[:ss]] */
static const char *tz_time(const char *p)
{
	int k;

	if (*p == '+' || *p == '-')
		p++;
	if (!isdigit((unsigned char)*p))
		return NULL;
	p += isdigit((unsigned char)p[1]) ? 2 : 1;
	for (k = 0; k < 2 && *p == ':'; k++) {
		if (!isdigit((unsigned char)p[1]) || !isdigit((unsigned char)p[2]))
			return NULL;
		p += 3;
	}
	return p;
}

/* POSIX TZ: a rule's date, Mm.w.d, Jn or n, and its /time */
static const char *tz_date(const char *p)
{
	if (*p == 'M') {
		p++;
		while (isdigit((unsigned char)*p) || *p == '.')
			p++;
	} else {
		if (*p == 'J')
			p++;
		if (!isdigit((unsigned char)*p))
			return NULL;
		while (isdigit((unsigned char)*p))
			p++;
	}
	return *p == '/' ? tz_time(p + 1) : p;
}

/*
 * A POSIX TZ rule, as the footer of a TZif file gives it:
 * "CET-1CEST,M3.5.0,M10.5.0/3", "<+0530>-5:30", "EST5EDT,M3.2.0,M11.1.0".
 */
int ts_posix_zone_ok(const char *z)
{
	const char *p = z && strlen(z) < 64 ? tz_name(z) : NULL;

	if (!p || !(p = tz_time(p)))
		return 0;
	if (!*p)
		return 1;
	if (!(p = tz_name(p)))
		return 0;
	if (*p && *p != ',' && !(p = tz_time(p)))
		return 0;
	if (!*p)
		return 1;
	if (*p++ != ',' || !(p = tz_date(p)) || *p++ != ',' || !(p = tz_date(p)))
		return 0;
	return !*p;
}

int ts_zone_of_tzif(const char *data, size_t len, char *out, size_t n)
{
	const char *end, *start;

	/* "TZif", a version from '2' on, ... then "\nRULE\n" at the very end */
	if (len < 6 || memcmp(data, "TZif", 4) || data[4] < '2' || data[len - 1] != '\n')
		return CF_ERR_PARSE;
	end = data + len - 1;
	for (start = end; start > data && start[-1] != '\n'; start--)
		if (!isprint((unsigned char)start[-1]))
			return CF_ERR_PARSE;
	if (start == data || (size_t)(end - start) >= n || end == start)
		return CF_ERR_PARSE;
	memcpy(out, start, (size_t)(end - start));
	out[end - start] = '\0';
	return ts_posix_zone_ok(out) ? 0 : CF_ERR_PARSE;
}

/* A zone we may hand to TZ: a name this machine knows (no path, no ".."), or a rule. */
static int zone_ok(const char *z)
{
	char path[300];
	const char *p;

	if (z && ts_posix_zone_ok(z))
		return 1;
	if (!z || !*z || *z == '/' || *z == ':' || strstr(z, "..") || strlen(z) > 200)
		return 0;
	for (p = z; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("_+-/", *p))
			return 0;
	snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", z);
	return !access(path, R_OK) || !strcmp(z, "UTC");
}

/* TZ for the C library's conversions: the host's zone, set once per zone. */
static int use_zone(const char *zone_name)
{
	static char current[256];
	static int set;

	if (!zone_ok(zone_name))
		return CF_ERR_NOTFOUND;
	if (!set || strcmp(current, zone_name)) {
		snprintf(current, sizeof(current), "%s", zone_name);
		setenv("TZ", current, 1);
		tzset();
		set = 1;
	}
	return 0;
}

int ts_utc_to_local(int64_t utc, const char *zone_name, char *out, size_t n)
{
	time_t tt = (time_t)utc;
	struct tm tm;
	int r = use_zone(zone_name);

	if (r)
		return r;
	if (!localtime_r(&tt, &tm) || !strftime(out, n, "%Y-%m-%d %H:%M:%S %Z", &tm))
		return CF_ERR_PARSE;	/* a time the C library cannot show */
	return 0;
}

int ts_local_to_utc(int64_t local, const char *zone_name, int64_t *utc)
{
	struct tm tm;
	time_t tt = (time_t)local;
	time_t t;
	int r = use_zone(zone_name);

	if (r)
		return r;
	if (!gmtime_r(&tt, &tm))
		return CF_ERR_PARSE;
	tm.tm_isdst = -1;	/* the zone's rules say whether DST was on */
	t = mktime(&tm);
	if (t == (time_t)-1)
		return CF_ERR_PARSE;
	*utc = (int64_t)t;
	return 0;
}

const char *ts_format(struct ts t, char *out, size_t n)
{
	if (t.kind == TS_WALL)
		return fmt_utc(out, n, t.sec);
	if (t.kind == TS_LOCAL)
		return fmt_utc(out, n, t.sec);	/* no zone known: shown as if UTC */
	if (t.kind == TS_BOOT)
		snprintf(out, n, "+%llds after boot", (long long)t.sec);
	else
		snprintf(out, n, "-");
	return out;
}

struct ts ts_to_wall(struct ts t, const struct ts_clock *ck)
{
	int64_t utc;

	if (t.kind == TS_LOCAL) {
		/* without a zone the local time stands as UTC (the report says so) */
		if (ck->zone && !ts_local_to_utc(t.sec, ck->zone, &utc))
			t.sec = utc;
		t.kind = TS_WALL;
		return t;
	}
	if (t.kind == TS_BOOT && ck->boot > 0) {
		t.kind = TS_WALL;
		t.sec += ck->boot;
	}
	return t;
}
