/*
 * intake_path.c: a member's name and a link's target, cleaned and judged
 * before anyone uses them (see intake.h).
 */
#include <string.h>
#include "buf.h"
#include "casefile.h"
#include "intake.h"
#include "text.h"

/* C0, DEL, and C1 written as UTF-8: nothing a terminal or a tar should act on. */
static int has_control(const char *s)
{
	uint32_t cp;
	size_t n = strlen(s), len;

	while (n) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f)
			return 1;
		len = c < 0x80 ? 1 : text_utf8_decode(s, n, &cp);
		if (len > 1 && cp >= 0x80 && cp <= 0x9f)
			return 1;
		len = len ? len : 1;	/* invalid UTF-8 is a legacy name: kept */
		s += len;
		n -= len;
	}
	return 0;
}

/*
 * The components of s, '/' between them, into out: empty and "." ones
 * dropped; dots counts the ".." ones, and dots_after those that follow a
 * name. The '..' stay in out.
 */
static void components(const char *s, struct buf *out, unsigned *dots, unsigned *dots_after)
{
	unsigned names = 0;

	*dots = *dots_after = 0;
	while (*s) {
		size_t k = strcspn(s, "/");

		if (k == 2 && s[0] == '.' && s[1] == '.') {
			(*dots)++;
			*dots_after += names > 0;
		} else if (k && !(k == 1 && s[0] == '.')) {
			names++;
		}
		if (k && !(k == 1 && s[0] == '.')) {
			if (out->len)
				buf_addch(out, '/');
			buf_add(out, s, k);
		}
		s += k;
		s += *s == '/';
	}
}

int intake_path_clean(const char *name, size_t path_max, struct buf *out, const char **why)
{
	unsigned dots, after;

	buf_reset(out);
	if (strlen(name) > path_max) {
		*why = "its name is too long";
		return CF_ERR_PARSE;
	}
	if (has_control(name)) {
		*why = "control characters in its name";
		return CF_ERR_PARSE;
	}
	components(name, out, &dots, &after);
	if (dots) {
		*why = "'..' in its path";
		return CF_ERR_PARSE;
	}
	return 0;
}

int intake_link_clean(const char *path, const char *target, size_t path_max, struct buf *out,
		      const char **why)
{
	unsigned dots, after, depth = 0;
	const char *p;

	buf_reset(out);
	if (!target || !*target) {
		*why = "a link without a target";
		return CF_ERR_PARSE;
	}
	if (strlen(target) > path_max || has_control(target)) {
		*why = strlen(target) > path_max ? "its target's name is too long" :
		       "control characters in its target";
		return CF_ERR_PARSE;
	}
	if (*target == '/') {
		*why = "it points outside the archive";
		return CF_ERR_PARSE;
	}
	components(target, out, &dots, &after);
	if (after) {
		/* "a/../b" is only where it seems if a is no link: not judged, refused */
		*why = "'..' after a folder in its target";
		return CF_ERR_PARSE;
	}
	for (p = path; (p = strchr(p, '/')); p++)
		depth++;
	if (dots > depth) {
		*why = "it points outside the archive";
		return CF_ERR_PARSE;
	}
	if (!out->len)
		buf_addch(out, '.');
	return 0;
}
