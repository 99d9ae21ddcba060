/*
 * text.c: counting lines and making bytes from a bundle or a host safe to
 * show: valid UTF-8 for JSON, no control characters for a terminal.
 */
#include <stdint.h>
#include <string.h>
#include "buf.h"
#include "casefile.h"
#include "text.h"

size_t text_count_newlines(const char *p, size_t n)
{
	const uint64_t ones = 0x0101010101010101ULL, nl = ones * '\n', low7 = ones * 0x7f;
	const char *end = p + n;
	size_t count = 0;

	/*
	 * Eight words at a time: each byte of acc counts the newlines at its
	 * place (at most 8), and one multiply adds the eight places (at most
	 * 64: no carry leaves the top byte).
	 */
	while (p + 64 <= end) {
		uint64_t w[8], acc = 0;
		int i;

		memcpy(w, p, sizeof(w));
		for (i = 0; i < 8; i++) {
			uint64_t x = w[i] ^ nl;	/* newline bytes become zero */

			/* the top bit of each byte that is zero, exactly (no carries) */
			acc += ~(((x & low7) + low7) | x | low7) >> 7;
		}
		count += (size_t)((acc * ones) >> 56);
		p += 64;
	}
	for (; p < end; p++)
		count += *p == '\n';
	return count;
}

size_t text_utf8_decode(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t c, min;
	size_t len, i;

	if (!n)
		return 0;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if ((u[0] & 0xe0) == 0xc0) {
		len = 2, c = u[0] & 0x1f, min = 0x80;
	} else if ((u[0] & 0xf0) == 0xe0) {
		len = 3, c = u[0] & 0x0f, min = 0x800;
	} else if ((u[0] & 0xf8) == 0xf0) {
		len = 4, c = u[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (u[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

#define REPLACEMENT "\xef\xbf\xbd"	/* U+FFFD */

enum clean { FOR_DATA, FOR_TERMINAL };

/*
 * The bidirectional controls of Unicode's Bidi_Control property (UAX #9):
 * ALM U+061C, LRM/RLM U+200E-U+200F, the embeddings and overrides
 * U+202A-U+202E, the isolates U+2066-U+2069. Shown raw they reorder what
 * a terminal, a Markdown viewer or a browser displays around them (a file
 * name "gpj.exe" that reads as "exe.jpg"; CVE-2021-42574, "Trojan Source").
 */
static int bidi_control(uint32_t cp)
{
	return cp == 0x061c || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

/* One walk over the code points; what a control character becomes differs. */
static void clean(struct buf *out, const char *s, size_t n, enum clean how)
{
	size_t i = 0;

	while (i < n) {
		uint32_t cp;
		size_t len, run = i;
		int ctl;

		/* the common case: a run of printable ASCII goes in one piece */
		while (run < n && (unsigned char)s[run] >= 0x20 && (unsigned char)s[run] < 0x7f)
			run++;
		if (run > i) {
			buf_add(out, s + i, run - i);
			i = run;
			continue;
		}
		len = text_utf8_decode(s + i, n - i, &cp);
		ctl = len && (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f));

		if (!len) {
			buf_addstr(out, REPLACEMENT);
			len = 1;
		} else if (how == FOR_TERMINAL && bidi_control(cp)) {
			buf_addf(out, "\\u%04x", (unsigned)cp);
		} else if (!ctl || (cp == '\t' && how == FOR_DATA)) {
			buf_add(out, s + i, len);
		} else if (how == FOR_DATA) {
			buf_addstr(out, cp < 0x20 ? "?" : REPLACEMENT);
		} else if (cp == '\n') {
			buf_addstr(out, "\\n");
		} else if (cp == '\t') {
			buf_addch(out, ' ');
		} else {
			buf_addf(out, "\\x%02x", (unsigned)cp);
		}
		i += len;
	}
}

void text_utf8_add(struct buf *out, const char *s, size_t n)
{
	clean(out, s, n, FOR_DATA);
}

char *text_utf8(const char *s, size_t n)
{
	struct buf b = BUF_INIT(0);

	text_utf8_add(&b, s, n);
	return buf_detach(&b, NULL);
}

size_t text_utf8_repair(struct buf *out, const char *s, size_t n)
{
	size_t i = 0, bad = 0;

	while (i < n) {
		size_t run = i, len;
		uint32_t cp;

		while (run < n && (unsigned char)s[run] < 0x80)
			run++;
		buf_add(out, s + i, run - i);
		if ((i = run) >= n)
			break;
		len = text_utf8_decode(s + i, n - i, &cp);
		if (len) {
			buf_add(out, s + i, len);
		} else {
			buf_addstr(out, REPLACEMENT);
			bad++;
			len = 1;
		}
		i += len;
	}
	return bad;
}

void text_term_add(struct buf *out, const char *s, size_t n)
{
	clean(out, s, n, FOR_TERMINAL);
}

void text_term_fputs(FILE *out, const char *s)
{
	struct buf b = BUF_INIT(0);

	text_term_add(&b, s, strlen(s));
	fwrite(b.data, 1, b.len, out);
	buf_release(&b);
}

void text_sh_quote(struct buf *out, const char *word)
{
	buf_addch(out, '\'');
	for (; *word; word++) {
		if (*word == '\'')
			buf_addstr(out, "'\\''");
		else
			buf_addch(out, *word);
	}
	buf_addch(out, '\'');
}
