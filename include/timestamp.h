/*
 * timestamp.h: the time at the start of a log line, in the formats the
 * sources carry.
 *
 *   ISO 8601 / RFC 3339   2026-11-20T03:12:09.123+01:00, 2026-11-20 03:12:09 UTC
 *   journal short-iso     2026-11-20T03:12:09+0000
 *   dmesg --time-format=iso  2026-11-20T03:12:09,123456+00:00
 *   syslog (RFC 3164)     Nov 20 03:12:09 (year inferred, see below)
 *   journal short-precise Nov 20 03:12:09.123456
 *   dmesg                 [  123.456789] (seconds since boot)
 *   nginx error log       2026/11/20 03:12:09 [error]
 *   Apache error log      [Fri Nov 20 03:12:09.123456 2026] [core:error]
 *   access logs           host - - [20/Nov/2026:03:12:09 +0000] "GET ..."
 *
 * A time without a zone is the host's local time (TS_LOCAL): the engine
 * converts it with the host's zone from the bundle (facts.h: timezone) once
 * the bundle is read. A syslog time has no year: it gets
 * the year of the reference time (when the file was last written, or the
 * bundle was collected), or the year before when that would put it more
 * than a day after the reference.
 */
#ifndef TIMESTAMP_H
#define TIMESTAMP_H

#include <stddef.h>
#include <stdint.h>

enum ts_kind {
	TS_NONE = 0,
	TS_WALL,	/* seconds since the epoch, UTC */
	TS_BOOT,	/* seconds since boot (dmesg): + the boot time is wall time */
	TS_LOCAL,	/* the host's wall clock, read as if it were UTC */
};

struct ts {
	enum ts_kind kind;
	int64_t sec;
};

/* A bundle's clock: when it booted (UTC seconds, 0 unknown) and its zone (NULL unknown). */
struct ts_clock {
	int64_t boot;
	const char *zone;
};

/*
 * A time in the bundle's clock as UTC where it can be: a local time through
 * the zone (without one it stands as UTC, TS_WALL either way), a time since
 * boot from the boot time; a time that cannot be placed is returned as is.
 */
struct ts ts_to_wall(struct ts t, const struct ts_clock *ck);

/* Parse the time at the start of line (access logs: in its first bracket). */
struct ts ts_parse(const char *line, size_t len, int64_t reference);

/* Format as 2026-11-20T03:12:09Z, or "+123s after boot"; out >= 32 bytes. */
const char *ts_format(struct ts t, char *out, size_t n);

/*
 * The UTC time of a local wall-clock time (seconds read as if UTC) in the
 * zone named like "Europe/Berlin" (DST from the zone's rules). 0, or
 * CF_ERR_NOTFOUND when the zone is not one this machine knows (CF_ERR_PARSE:
 * a time the C library cannot convert).
 */
int ts_local_to_utc(int64_t local, const char *zone_name, int64_t *utc);

/*
 * A zone may also be a POSIX TZ rule ("CET-1CEST,M3.5.0,M10.5.0/3"): the
 * footer of a TZif file (an etc/localtime copied, not linked). Is z one?
 */
int ts_posix_zone_ok(const char *z);
/* The rule at the end of a TZif file (version 2 on) into out; 0, or CF_ERR_PARSE when none. */
int ts_zone_of_tzif(const char *data, size_t len, char *out, size_t n);

/* "2026-11-20 03:12:09 CET": the local time of utc in that zone; CF_ERR_NOTFOUND if unknown. */
int ts_utc_to_local(int64_t utc, const char *zone_name, char *out, size_t n);

/* Days from civil date (proleptic Gregorian), for timegm without libc state. */
int64_t ts_days_from_civil(int64_t y, unsigned m, unsigned d);

#endif
