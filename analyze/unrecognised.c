/*
 * unrecognised.c: error lines no rule recognises, as message templates
 * (see unrecognised.h).
 */
#include <ctype.h>
#include <string.h>
#include "casefile.h"
#include "text.h"
#include "unrecognised.h"

const char *const unrec_words[] = {
	"error", "fail", "fatal", "critical", "panic", "denied", "refused", "timed out",
	"timeout", "cannot", "unable to", "exception", "abort", "segfault", "traceback",
	"emerg", "invalid", "could not", "couldn't", "can't", "no such file", "terminating",
	"corrupt", "unreachable", "not permitted", "bad configuration", "out of memory",
	NULL
};

/* An error word used in passing: "0 errors", "errors=remount-ro", "no error". */
static const char *const benign[] = {
	" 0 error", "errors: 0", "errors=0", "error=0", "errors=remount", "no error",
	"without error", "error_log", "errors 0", "0 failed", "failed=0", "failures: 0",
	"fail_timeout", "on-failure", "timeout=", "timeout:", "_timeout", NULL
};

struct unrecognised {
	struct unrec_template *t;
	size_t n;
	uint32_t slots[2 * UNREC_TEMPLATES];	/* template index + 1, by hash */
	uint64_t dropped;
};

struct unrecognised *unrec_new(void)
{
	struct unrecognised *u = xcalloc(1, sizeof(*u));

	u->t = xcalloc(UNREC_TEMPLATES, sizeof(*u->t));
	return u;
}

void unrec_free(struct unrecognised *u)
{
	size_t i;

	if (!u)
		return;
	for (i = 0; i < u->n; i++) {
		free(u->t[i].path);
		free(u->t[i].line_text);
	}
	free(u->t);
	free(u);
}

static int is_month(const char *p, size_t len)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	size_t i;

	for (i = 0; len > 3 && i < 36; i += 3)
		if (!memcmp(p, months + i, 3) && p[3] == ' ')
			return 1;
	return 0;
}

/* Past the words of [p, end) that are not the message: times, host, tag. */
static const char *message_of(const char *p, const char *end)
{
	size_t skip = 0, k;

	if (is_month(p, (size_t)(end - p)))
		skip = 5;	/* Nov 20 03:12:09 host tag: */
	else if (end - p > 10 && isdigit((unsigned char)p[0]) && p[4] == '-' && p[7] == '-')
		skip = 3;	/* 2026-11-20T03:12:09+01:00 host tag: */
	else if (*p == '[' && memchr(p, ']', (size_t)(end - p)))
		return (const char *)memchr(p, ']', (size_t)(end - p)) + 1;	/* dmesg */
	for (k = 0; k < skip && p < end; k++) {
		while (p < end && *p == ' ')
			p++;
		while (p < end && *p != ' ')
			p++;
	}
	while (p < end && *p == ' ')
		p++;
	return p;
}

static int word_start(const char *msg, const char *p)
{
	return p == msg || !isalnum((unsigned char)p[-1]);
}

/* A token from a digit: an address, hex, an id, or a number (with its unit). */
static const char *mask_number(const char *p, const char *end, struct buf *b)
{
	const char *s = p;
	size_t dots = 0, hexletters = 0, len;

	while (p < end && (isalnum((unsigned char)*p) || (*p && strchr("._-", *p)))) {
		dots += *p == '.';
		hexletters += strchr("abcdefABCDEF", *p) != NULL;
		p++;
	}
	len = (size_t)(p - s);
	if (len > 2 && (s[1] == 'x' || s[1] == 'X') && s[0] == '0')
		buf_addstr(b, "<hex>");
	else if (dots == 3 && strspn(s, "0123456789.") >= len)
		buf_addstr(b, "<ip>");
	else if (len >= 8 && hexletters)
		buf_addstr(b, "<id>");
	else
		buf_addstr(b, "<n>");
	return p;
}

void unrec_template_of(const char *line, size_t len, char *out)
{
	const char *end = line + len, *msg = message_of(line, end), *p = msg, *q;
	struct buf b = BUF_INIT(0);

	while (p < end && b.len < UNREC_TEXT) {
		if ((*p == '"' || *p == '\'') && (q = memchr(p + 1, *p, (size_t)(end - p - 1))) &&
		    q - p < 200) {
			buf_addstr(&b, "<str>");
			p = q + 1;
		} else if (*p == '/' && p + 1 < end && (isalnum((unsigned char)p[1]) || p[1] == '.') &&
			   word_start(msg, p)) {
			/* to a space, a quote, or a ':' that ends a word ("open /x: error") */
			while (p < end && !memchr(" \t\"'),;", *p, 7) &&
			       !(*p == ':' && (p + 1 == end || p[1] == ' ')))
				p++;
			buf_addstr(&b, "<path>");
		} else if (isdigit((unsigned char)*p) && word_start(msg, p)) {
			p = mask_number(p, end, &b);
		} else if (isxdigit((unsigned char)*p) && word_start(msg, p) && end - p >= 16 &&
			   strspn(p, "0123456789abcdef") >= 16) {
			p += strspn(p, "0123456789abcdef");	/* a digest */
			buf_addstr(&b, "<id>");
		} else {
			buf_addch(&b, *p++);
		}
	}
	snprintf(out, UNREC_TEXT + 1, "%s", b.data);
	buf_release(&b);
}

/* Does the message read like an error, not only mention one? */
static int reads_like_error(const char *msg, size_t len)
{
	char low[512];
	size_t i, n = len < sizeof(low) - 1 ? len : sizeof(low) - 1;

	for (i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)msg[i]);
	low[n] = '\0';
	for (i = 0; benign[i]; i++)
		if (strstr(low, benign[i]))
			return 0;
	for (i = 0; unrec_words[i]; i++) {
		const char *w = strstr(low, unrec_words[i]);

		if (w && word_start(low, w))
			return 1;
	}
	/* a language's exception by its name: ValueError, NullPointerException */
	return memmem(msg, len, "Error", 5) != NULL || memmem(msg, len, "Exception", 9) != NULL;
}

static uint32_t hash(const char *a, const char *b)
{
	uint32_t h = 2166136261u;

	for (; *a; a++)
		h = (h ^ (unsigned char)*a) * 16777619u;
	h = (h ^ '\t') * 16777619u;
	for (; *b; b++)
		h = (h ^ (unsigned char)*b) * 16777619u;
	return h;
}

static struct unrec_template *find_or_add(struct unrecognised *u, const char *text,
					  const char *program)
{
	uint32_t h = hash(text, program) % ARRAY_SIZE(u->slots), i;
	struct unrec_template *t;

	for (i = 0; i < ARRAY_SIZE(u->slots); i++, h = (h + 1) % ARRAY_SIZE(u->slots)) {
		uint32_t s = u->slots[h];

		if (!s)
			break;
		t = &u->t[s - 1];
		if (!strcmp(t->text, text) && !strcmp(t->program, program))
			return t;
	}
	if (u->n == UNREC_TEMPLATES || i == ARRAY_SIZE(u->slots))
		return NULL;
	t = &u->t[u->n];
	snprintf(t->text, sizeof(t->text), "%s", text);
	snprintf(t->program, sizeof(t->program), "%s", program);
	u->slots[h] = (uint32_t)++u->n;
	return t;
}

static void note_time(struct unrec_template *t, struct ts ts)
{
	size_t i, oldest;

	if (ts.kind == TS_NONE)
		return;
	if (t->first.kind == TS_NONE || (ts.kind == t->first.kind && ts.sec < t->first.sec))
		t->first = ts;
	if (t->last.kind == TS_NONE || (ts.kind == t->last.kind && ts.sec > t->last.sec))
		t->last = ts;
	t->ring[t->ring_pos] = ts;
	t->ring_pos = (t->ring_pos + 1) % UNREC_BURST;
	if (t->ring_n < UNREC_BURST)
		t->ring_n++;
	if (t->burst || t->ring_n < UNREC_BURST)
		return;
	oldest = t->ring_pos;	/* the slot written UNREC_BURST lines ago */
	for (i = 0; i < UNREC_BURST; i++)
		if (t->ring[i].kind != ts.kind)
			return;
	t->burst = ts.sec - t->ring[oldest].sec <= UNREC_BURST_WINDOW;
}

void unrec_line(struct unrecognised *u, const char *path, unsigned member, uint64_t lineno,
		const char *line, size_t len, struct ts ts, const char *program, const char *pid)
{
	const char *msg = message_of(line, line + len);
	char text[UNREC_TEXT + 1];
	struct unrec_template *t;

	if (!reads_like_error(msg, (size_t)(line + len - msg)))
		return;
	unrec_template_of(line, len, text);
	if (!(t = find_or_add(u, text, program ? program : ""))) {
		u->dropped++;
		return;
	}
	if (!t->count++) {
		t->path = xstrdup(path);
		t->line = lineno;
		t->line_text = text_utf8(line, len < 400 ? len : 400);
		t->member = member;
		snprintf(t->pid, sizeof(t->pid), "%s", pid ? pid : "");
	}
	note_time(t, ts);
}

const struct unrec_template *unrec_templates(const struct unrecognised *u, size_t *n)
{
	*n = u->n;
	return u->t;
}

uint64_t unrec_dropped(const struct unrecognised *u)
{
	return u->dropped;
}
