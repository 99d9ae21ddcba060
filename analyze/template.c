/*
 * template.c: the explanation and remediation of a finding from its rule's
 * templates (see template.h).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "buf.h"
#include "casefile.h"
#include "template.h"

const char *template_times(uint64_t count, char *out, size_t n)
{
	if (count == 1)
		snprintf(out, n, "once");
	else
		snprintf(out, n, "%llu times", (unsigned long long)count);
	return out;
}

/* 90 -> "90s", 600 -> "10m", 7200 -> "2h", 86400 -> "1d" */
static void add_duration(struct buf *b, int64_t sec)
{
	if (sec && sec % 86400 == 0)
		buf_addf(b, "%lldd", (long long)(sec / 86400));
	else if (sec && sec % 3600 == 0)
		buf_addf(b, "%lldh", (long long)(sec / 3600));
	else if (sec && sec % 60 == 0)
		buf_addf(b, "%lldm", (long long)(sec / 60));
	else
		buf_addf(b, "%llds", (long long)sec);
}

/* "{count kill}" -> "1 kill", "3 kills"; "{count match|matches}" for other plurals */
static void add_count_noun(struct buf *b, uint64_t n, const char *noun)
{
	const char *bar = strchr(noun, '|');

	buf_addf(b, "%llu ", (unsigned long long)n);
	if (!bar)
		buf_addf(b, "%s%s", noun, n == 1 ? "" : "s");
	else if (n == 1)
		buf_add(b, noun, (size_t)(bar - noun));
	else
		buf_addstr(b, bar + 1);
}

/* "at T", "between T1 and T2", or nothing when the lines had no time */
static void add_span(struct buf *b, const struct finding *f)
{
	char t1[40], t2[40];

	if (f->first.kind == TS_NONE)
		return;
	ts_format(f->first, t1, sizeof(t1));
	ts_format(f->last, t2, sizeof(t2));
	if (!strcmp(t1, t2))
		buf_addf(b, "at %s", t1);
	else
		buf_addf(b, "between %s and %s", t1, t2);
}

/* 0 when the finding has no such value (a capture its lines did not have) */
static int append_template_value(struct buf *b, const char *name, const struct finding *f)
{
	char ts[40];
	json_t *v = f->captures ? json_object_get(f->captures, name) : NULL;

	if (v && json_is_string(v))
		buf_addstr(b, json_string_value(v));
	else if (!strcmp(name, "count"))
		buf_addf(b, "%llu", (unsigned long long)f->count);
	else if (!strncmp(name, "count ", 6))
		add_count_noun(b, f->count, name + 6);
	else if (!strcmp(name, "times"))
		buf_addstr(b, template_times(f->count, ts, sizeof(ts)));
	else if (!strcmp(name, "span"))
		add_span(b, f);
	else if (!strcmp(name, "first_seen"))
		buf_addstr(b, ts_format(f->first, ts, sizeof(ts)));
	else if (!strcmp(name, "last_seen"))
		buf_addstr(b, ts_format(f->last, ts, sizeof(ts)));
	else if (!strcmp(name, "threshold"))
		buf_addf(b, "%u", f->rule->conds[0].threshold);
	else if (!strcmp(name, "window"))
		add_duration(b, f->rule->conds[0].window);
	else if (!strcmp(name, "rule"))
		buf_addstr(b, f->rule->id);
	else {
		buf_addf(b, "{%s}", name);
		return 0;
	}
	return 1;
}

/*
 * Expand t up to end; "[[ ... ]]" is left out when a value it names is
 * missing ("[[ by {mac}]]" where only some wordings name the MAC).
 * Returns 0 when a value outside such a part was missing.
 */
static int expand(struct buf *b, const char *t, const char *end, const struct finding *f)
{
	int all = 1;

	while (t < end) {
		const char *close;

		if (!strncmp(t, "[[", 2) && (close = strstr(t + 2, "]]")) && close < end) {
			struct buf part = BUF_INIT(0);

			if (expand(&part, t + 2, close, f))
				buf_add(b, part.data, part.len);
			buf_release(&part);
			t = close + 2;
			continue;
		}
		if (*t == '{' && (close = memchr(t, '}', (size_t)(end - t))) && close - t < 64 &&
		    (isalpha((unsigned char)t[1]) || t[1] == '_')) {
			char name[64];

			memcpy(name, t + 1, (size_t)(close - t - 1));
			name[close - t - 1] = '\0';
			all &= append_template_value(b, name, f);
			t = close + 1;
			continue;
		}
		buf_addch(b, *t++);
	}
	return all;
}

char *template_expand(const char *t, const struct finding *f)
{
	struct buf b = BUF_INIT(0);

	expand(&b, t, t + strlen(t), f);
	/* folded YAML leaves a final newline */
	while (b.len && isspace((unsigned char)b.data[b.len - 1]))
		b.data[--b.len] = '\0';
	return buf_detach(&b, NULL);
}
