/*
 * summary.c: the host in a few lines (see summary.h).
 */
#include <stdio.h>
#include <string.h>
#include "buf.h"
#include "casefile.h"
#include "summary.h"
#include "text.h"

#define FULL_PERCENT 80
#define NAMED_MAX 5		/* file systems or units named, then "and N more" */

static void add(struct host_summary *s, const char *label, const char *text)
{
	if (!text || !*text || s->n == SUMMARY_LINES)
		return;
	s->v[s->n].label = label;
	s->v[s->n].text = text_utf8(text, strlen(text) < 300 ? strlen(text) : 300);
	s->n++;
}

static const char *value(const struct table_set *ts, const char *source, const char *field)
{
	return table_set_value(ts, source, field);
}

static void os_line(struct host_summary *s, const struct table_set *ts)
{
	const char *pretty = value(ts, "os_release", "PRETTY_NAME");
	struct buf b = BUF_INIT(0);

	if (!pretty && value(ts, "os_release", "NAME"))
		buf_addf(&b, "%s %s", value(ts, "os_release", "NAME"),
			 value(ts, "os_release", "VERSION_ID") ? value(ts, "os_release", "VERSION_ID")
							     : "");
	add(s, "os", pretty ? pretty : b.data);
	buf_release(&b);
}

/* value[n] of a whole-file table: "Linux h 6.1.0-18-amd64 ..." word 3 */
static void word_of(const struct table_set *ts, const char *source, size_t n, char *out,
		    size_t len)
{
	const char *v = value(ts, source, "value"), *w;
	size_t k = v ? table_word(v, strlen(v), n, &w) : 0;

	snprintf(out, len, "%.*s", (int)(k < len ? k : len - 1), k ? w : "");
}

static void fmt_span(char *out, size_t n, double sec)
{
	long d = (long)(sec / 86400), h = (long)(sec / 3600) % 24, m = (long)(sec / 60) % 60;

	if (d)
		snprintf(out, n, "%ld day%s %ld h", d, d == 1 ? "" : "s", h);
	else
		snprintf(out, n, "%ld h %ld min", h, m);
}

static void uptime_line(struct host_summary *s, const struct table_set *ts,
			const struct bundle_info *bi)
{
	char up[32], span[64], boot[40];
	struct buf b = BUF_INIT(0);
	double sec;

	word_of(ts, "proc_uptime", 1, up, sizeof(up));
	if (*up && table_number(up, strlen(up), &sec) == 0) {
		fmt_span(span, sizeof(span), sec);
		buf_addf(&b, "%s", span);
		if (bi->collected_at)
			buf_addf(&b, ", booted %s", fmt_utc(boot, sizeof(boot),
							    bi->collected_at - (int64_t)sec));
	} else if (value(ts, "uptime", "up")) {
		buf_addf(&b, "%s", value(ts, "uptime", "up"));
	}
	add(s, "uptime", b.data);
	buf_release(&b);
}

static double kb(const struct table_set *ts, const char *field)
{
	const char *v = value(ts, "meminfo", field);
	double d;

	return v && !table_number(v, strlen(v), &d) ? d : -1;
}

static void memory_line(struct host_summary *s, const struct table_set *ts)
{
	double total = kb(ts, "MemTotal"), avail = kb(ts, "MemAvailable");
	char line[120];

	if (total <= 0)
		return;
	if (avail >= 0)
		snprintf(line, sizeof(line), "%.1f GiB available of %.1f GiB (%.0f%%)",
			 avail / 1048576, total / 1048576, 100 * avail / total);
	else
		snprintf(line, sizeof(line), "%.1f GiB", total / 1048576);
	add(s, "memory", line);
}

static void load_line(struct host_summary *s, const struct table_set *ts)
{
	char l1[16], l5[16], l15[16], line[80];
	const char *cpus = value(ts, "lscpu", "CPU_s");

	word_of(ts, "loadavg", 1, l1, sizeof(l1));
	word_of(ts, "loadavg", 2, l5, sizeof(l5));
	word_of(ts, "loadavg", 3, l15, sizeof(l15));
	if (!*l1 && value(ts, "uptime", "load1")) {
		snprintf(l1, sizeof(l1), "%s", value(ts, "uptime", "load1"));
		snprintf(l5, sizeof(l5), "%s", value(ts, "uptime", "load5"));
		snprintf(l15, sizeof(l15), "%s", value(ts, "uptime", "load15"));
	}
	add(s, "cpus", cpus);
	if (*l1) {
		snprintf(line, sizeof(line), "%s %s %s (1, 5, 15 min)", l1, l5, l15);
		add(s, "load", line);
	}
}

/* Rows of a table whose field passes, named by another field: "/ 96%, /var 85%" */
static void full_line(struct host_summary *s, const struct table_set *ts)
{
	const struct table *t = table_set_find(ts, "df");
	struct buf b = BUF_INIT(0);
	size_t r, named = 0, more = 0;
	double use;

	for (r = 0; t && r < table_rows(t); r++) {
		const char *mount = table_get(t, r, "mount");

		if (table_num(t, r, "use", &use) || use < FULL_PERCENT || !mount)
			continue;
		if (named++ < NAMED_MAX)
			buf_addf(&b, "%s%s %.0f%%", b.len ? ", " : "", mount, use);
		else
			more++;
	}
	if (more)
		buf_addf(&b, " and %zu more", more);
	if (t && table_rows(t))
		add(s, "full", named ? b.data : "none over 80%");
	buf_release(&b);
}

static void failed_line(struct host_summary *s, const struct table_set *ts)
{
	const struct table *t = table_set_find(ts, "systemctl_failed");
	struct buf b = BUF_INIT(0);
	size_t r, n = t ? table_rows(t) : 0;

	for (r = 0; r < n && r < NAMED_MAX; r++)
		buf_addf(&b, "%s%s", r ? ", " : "", table_get(t, r, "unit") ?
			 table_get(t, r, "unit") : "?");
	if (n > NAMED_MAX)
		buf_addf(&b, " and %zu more", n - NAMED_MAX);
	if (n)	/* none is no news: the table may be empty because it failed */
		add(s, "failed_units", b.data);
	buf_release(&b);
}

static void taint_line(struct host_summary *s, const struct table_set *ts)
{
	const char *v = value(ts, "kernel_taint", "value"), *flags = value(ts, "kernel_taint",
									 "flags");
	char line[64];

	if (!v)
		return;
	if (!strcmp(v, "0"))
		snprintf(line, sizeof(line), "not tainted");
	else
		snprintf(line, sizeof(line), "%s (%s)", v, flags ? flags : "?");
	add(s, "taint", line);
}

static void clock_line(struct host_summary *s, const struct table_set *ts)
{
	const char *synced = value(ts, "timedatectl", "System_clock_synchronized");
	const char *leap = value(ts, "chrony_tracking", "Leap_status");
	char line[120];

	if (synced)
		snprintf(line, sizeof(line), "synchronised: %s%s%s", synced, leap ? "; chrony: " : "",
			 leap ? leap : "");
	else if (leap)
		snprintf(line, sizeof(line), "chrony: %s", leap);
	else
		return;
	add(s, "clock", line);
}

void summary_fill(struct host_summary *s, const struct table_set *ts,
		  const struct bundle_info *bi)
{
	char kernel[128];

	memset(s, 0, sizeof(*s));
	if (!ts)
		return;
	os_line(s, ts);
	word_of(ts, "uname", 3, kernel, sizeof(kernel));
	add(s, "kernel", kernel);
	uptime_line(s, ts, bi);
	load_line(s, ts);
	memory_line(s, ts);
	full_line(s, ts);
	failed_line(s, ts);
	taint_line(s, ts);
	clock_line(s, ts);
	add(s, "zone", bi->timezone);
}

void summary_release(struct host_summary *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i].text);
	memset(s, 0, sizeof(*s));
}

json_t *summary_json(const struct host_summary *s)
{
	json_t *o = json_object();
	size_t i;

	for (i = 0; i < s->n; i++)
		json_object_set_new(o, s->v[i].label, json_string(s->v[i].text));
	return o;
}
