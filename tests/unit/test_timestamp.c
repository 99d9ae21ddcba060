/* test_timestamp.c: every time format the sources carry */
#include "unit.h"
#include "timestamp.h"

/* 2026-11-20T03:12:09Z */
#define T0 1795144329LL

static int64_t wall(const char *line, int64_t ref)
{
	struct ts t = ts_parse(line, strlen(line), ref);

	assert_int_equal(t.kind, TS_WALL);
	return t.sec;
}

/* A time without a zone: the host's wall clock, read as if UTC. */
static int64_t local(const char *line, int64_t ref)
{
	struct ts t = ts_parse(line, strlen(line), ref);

	assert_int_equal(t.kind, TS_LOCAL);
	return t.sec;
}

static void test_local_to_utc(void **state)
{
	int64_t u;

	(void)state;
	/* Berlin: UTC+1 in November, UTC+2 in July (its rules, not a fixed offset) */
	assert_int_equal(ts_local_to_utc(T0, "Europe/Berlin", &u), 0);
	assert_int_equal(u, T0 - 3600);
	assert_int_equal(ts_local_to_utc(T0 - 123 * 86400, "Europe/Berlin", &u), 0);
	assert_int_equal(u, T0 - 123 * 86400 - 7200);
	assert_int_equal(ts_local_to_utc(T0, "UTC", &u), 0);
	assert_int_equal(u, T0);
	/* names that are paths or unknown are refused */
	assert_int_equal(ts_local_to_utc(T0, "/etc/shadow", &u), CF_ERR_NOTFOUND);
	assert_int_equal(ts_local_to_utc(T0, "../../etc/shadow", &u), CF_ERR_NOTFOUND);
	assert_int_equal(ts_local_to_utc(T0, ":Europe/Berlin", &u), CF_ERR_NOTFOUND);
	assert_int_equal(ts_local_to_utc(T0, "Mars/Olympus_Mons", &u), CF_ERR_NOTFOUND);
}

/* An etc/localtime copied, not linked: the TZif file's own rule gives the zone. */
static void test_tzif_rule(void **state)
{
	struct buf b = BUF_INIT(0);
	char zone[64];
	int64_t u;

	(void)state;
	assert_int_equal(unit_read_file("/usr/share/zoneinfo/Europe/Berlin", &b), 0);
	assert_int_equal(ts_zone_of_tzif(b.data, b.len, zone, sizeof(zone)), 0);
	assert_string_equal(zone, "CET-1CEST,M3.5.0,M10.5.0/3");
	/* 03:12:09 in November in Berlin is 02:12:09 UTC, by the rule alone */
	assert_int_equal(ts_local_to_utc(T0, zone, &u), 0);
	assert_int_equal(u, T0 - 3600);
	assert_int_equal(ts_local_to_utc(T0 - 123 * 86400, zone, &u), 0);
	assert_int_equal(u, T0 - 123 * 86400 - 7200);
	/* no rule: a version 1 file, a truncated one, text */
	b.data[4] = '\0';
	assert_int_equal(ts_zone_of_tzif(b.data, b.len, zone, sizeof(zone)), CF_ERR_PARSE);
	assert_int_equal(ts_zone_of_tzif("TZif2", 5, zone, sizeof(zone)), CF_ERR_PARSE);
	assert_int_equal(ts_zone_of_tzif("Europe/Berlin\n", 14, zone, sizeof(zone)), CF_ERR_PARSE);
	buf_release(&b);
	assert_true(ts_posix_zone_ok("<+0530>-5:30"));
	assert_true(ts_posix_zone_ok("EST5EDT,M3.2.0,M11.1.0"));
	assert_true(ts_posix_zone_ok("UTC0"));
	assert_false(ts_posix_zone_ok("../../etc/shadow"));
	assert_false(ts_posix_zone_ok("CET-1CEST,M3.5.0"));
	assert_false(ts_posix_zone_ok("CET;rm -rf"));
}

/* Applications' own logs: PHP-FPM, Redis, Elasticsearch, MongoDB's JSON */
static void test_application_logs(void **state)
{
	static const char *const lines[] = {
		"[20-Nov-2026 03:12:09] WARNING: [pool www] server reached pm.max_children setting (5)",
		"1234:M 20 Nov 2026 03:12:09.123 # Background saving error",
		"[2026-11-20T03:12:09,123][WARN ][o.e.c.r.a.DiskThresholdMonitor] [n1] high disk watermark",
		"{\"t\":{\"$date\":\"2026-11-20T03:12:09.123+00:00\"},\"s\":\"E\",\"c\":\"STORAGE\"}",
	};
	size_t i;

	(void)state;
	for (i = 0; i < 4; i++) {
		struct ts t = ts_parse(lines[i], strlen(lines[i]), T0);

		if (t.kind == TS_NONE)
			fail_msg("no time in '%s'", lines[i]);
		assert_int_equal(t.sec, T0);
		assert_int_equal(t.kind, i == 3 ? TS_WALL : TS_LOCAL);
	}
}

static void test_civil(void **state)
{
	(void)state;
	assert_int_equal(ts_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(ts_days_from_civil(2026, 11, 20) * 86400 + 3 * 3600 + 12 * 60 + 9, T0);
}

static void test_iso_family(void **state)
{
	(void)state;
	assert_int_equal(wall("2026-11-20T03:12:09Z host x", 0), T0);
	assert_int_equal(wall("2026-11-20T03:12:09+0000 host systemd[1]: x", 0), T0);
	assert_int_equal(wall("2026-11-20T04:12:09+01:00 x", 0), T0);
	assert_int_equal(wall("2026-11-19T22:12:09-05:00 x", 0), T0);
	assert_int_equal(wall("2026-11-20T03:12:09,123456+00:00 Out of memory", 0), T0);
	assert_int_equal(wall("2026-11-20 03:12:09.123 UTC [812] LOG:  x", 0), T0);
	assert_int_equal(local("2026/11/20 03:12:09 [error] 12#12: x", 0), T0);
	assert_int_equal(wall("2026-11-20T03:12:09.123456Z 0 [ERROR] mysqld", 0), T0);
}

static void test_syslog_year_inference(void **state)
{
	(void)state;
	/* reference in the same year */
	assert_int_equal(local("Nov 20 03:12:09 host kernel: x", T0 + 86400), T0);
	/* short-precise and a space-padded day */
	assert_int_equal(local("Nov 20 03:12:09.123456 host x", T0 + 60), T0);
	assert_int_equal(local("Nov  2 00:00:00 h x", T0) - T0 < 0, 1);
	/* a December line read in January belongs to the year before */
	assert_int_equal(local("Dec 31 23:59:59 h x", 1798761600 /* 2027-01-01 */),
			 1798761599);
	/* priority prefix */
	assert_int_equal(local("<13>Nov 20 03:12:09 h x", T0 + 5), T0);
}

static void test_dmesg_apache_access(void **state)
{
	struct ts t;

	(void)state;
	t = ts_parse("[  123.456789] sd 0:0:0:0: x", 29, 0);
	assert_int_equal(t.kind, TS_BOOT);
	assert_int_equal(t.sec, 123);
	assert_int_equal(local("[Fri Nov 20 03:12:09.123456 2026] [core:error] [pid 1] x", 0), T0);
	assert_int_equal(wall("10.0.0.1 - - [20/Nov/2026:04:12:09 +0100] \"GET / HTTP/1.1\" 200", 0),
			 T0);
}

static void test_not_times(void **state)
{
	static const char *const lines[] = {
		"", "hello world", "2026-13-45T99:99:99 bad", "[abc] x", "Foo 20 03:12:09 x",
		"12345", "Nov 20 3:12 x",
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(lines); i++)
		assert_int_equal(ts_parse(lines[i], strlen(lines[i]), T0).kind, TS_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_civil),
		cmocka_unit_test(test_local_to_utc),
		cmocka_unit_test(test_tzif_rule),
		cmocka_unit_test(test_application_logs),
		cmocka_unit_test(test_iso_family),
		cmocka_unit_test(test_syslog_year_inference),
		cmocka_unit_test(test_dmesg_apache_access),
		cmocka_unit_test(test_not_times),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
