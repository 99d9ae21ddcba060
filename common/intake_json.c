/*
 * intake_json.c: an untrusted JSON document, counted before it is parsed
 * (see intake.h). jansson holds a document whole, at 40 to 340 bytes an
 * element (a string about 90, an empty object about 230: measured with
 * jansson 2.14), so 8 MB of "", would take 260 MB: every kind of element
 * is counted on the text first, and the document refused past its cap.
 */
#include <string.h>
#include "buf.h"
#include "casefile.h"
#include "intake.h"
#include "text.h"

struct tally {
	unsigned strings, numbers, arrays, objects, depth, deepest;
};

/* "\uD800" not followed by a low surrogate (or a low one alone) would make jansson refuse all. */
static int lone_surrogate(const char *p, const char *end, size_t *len)
{
	unsigned long v, w;
	char hex[5] = { 0 };

	if (end - p < 6 || p[1] != 'u')
		return 0;
	memcpy(hex, p + 2, 4);
	v = strtoul(hex, NULL, 16);
	*len = 6;
	if (v < 0xd800 || v > 0xdfff)
		return 0;
	if (v >= 0xdc00)
		return 1;
	if (end - p < 12 || p[6] != '\\' || p[7] != 'u')
		return 1;
	memcpy(hex, p + 8, 4);
	w = strtoul(hex, NULL, 16);
	*len = 12;
	return w < 0xdc00 || w > 0xdfff;
}

/* Past the string that opens at *p; lone surrogates written over with U+FFFD. */
static char *skip_string(char *p, char *end)
{
	for (p++; p < end && *p != '"'; p++) {
		size_t len;

		if (*p != '\\')
			continue;
		if (lone_surrogate(p, end, &len)) {
			memcpy(p, "\\ufffd", 6);
			p += 5;
		} else {
			p++;
		}
	}
	return p;
}

static const char *over(const struct tally *t, const struct intake_json_caps *c,
			struct buf *why)
{
	const char *kind = t->strings > c->strings ? "strings" :
			   t->numbers > c->numbers ? "numbers, true, false and null" :
			   t->arrays > c->arrays ? "arrays" : t->objects > c->objects ? "objects" : NULL;
	unsigned cap = t->strings > c->strings ? c->strings : t->numbers > c->numbers ?
		       c->numbers : t->arrays > c->arrays ? c->arrays : c->objects;

	if (kind)
		buf_addf(why, "more than %u %s in it", cap, kind);
	else if (t->deepest > c->depth)
		buf_addf(why, "nested more than %u deep", c->depth);
	else
		return NULL;
	return why->data;
}

static int past(const struct tally *t, const struct intake_json_caps *c)
{
	return t->strings > c->strings || t->numbers > c->numbers || t->arrays > c->arrays ||
	       t->objects > c->objects || t->deepest > c->depth;
}

/* Count the elements of every kind; NULL, or why the document is refused. */
static const char *tally(char *p, char *end, const struct intake_json_caps *c, struct buf *why)
{
	struct tally t = { 0 };

	for (; p < end; p++) {
		if (*p == '"') {
			t.strings++;
			p = skip_string(p, end);
		} else if (*p == '{' || *p == '[') {
			*p == '{' ? t.objects++ : t.arrays++;
			if (++t.depth > t.deepest)
				t.deepest = t.depth;
		} else if (*p == '}' || *p == ']') {
			t.depth -= t.depth > 0;
			continue;
		} else if (*p && strchr("-0123456789tfn", *p)) {
			t.numbers++;
			while (p + 1 < end && p[1] && strchr("+-.0123456789eEtruefalsn", p[1]))
				p++;
		} else {
			continue;
		}
		if (past(&t, c))
			return over(&t, c, why);
	}
	return NULL;
}

json_t *intake_json_load(const char *data, size_t len, const struct intake_json_caps *caps,
			 struct buf *why)
{
	static const struct intake_json_caps def = INTAKE_JSON_DEFAULT;
	struct buf text = BUF_INIT(0);
	json_error_t e;
	json_t *j = NULL;

	if (!caps)
		caps = &def;
	if (len > caps->bytes) {
		buf_addf(why, "larger than %zu bytes", caps->bytes);
		return NULL;
	}
	text_utf8_repair(&text, data, len);
	if (!tally(text.data, text.data + text.len, caps, why)) {
		j = json_loadb(text.data, text.len, JSON_ALLOW_NUL, &e);
		if (!j)
			buf_addf(why, "not JSON (line %d: %s)", e.line, e.text);
	}
	buf_release(&text);
	return j;
}
