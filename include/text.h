/*
 * text.h: bytes from a bundle or a host, made fit for where they go.
 *
 * Everything read from a customer's machine is hostile until it passes one
 * of these: text_utf8() for data kept in memory and in JSON (valid UTF-8,
 * no C0 controls but tab), and the report writers' escapes on top of it.
 */
#ifndef TEXT_H
#define TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "buf.h"

/* Number of '\n' in p[0..n), eight bytes at a time. */
size_t text_count_newlines(const char *p, size_t n);

/*
 * Decode one UTF-8 sequence at s[0..n): its code point in *cp and its
 * length, or 0 when the bytes are not valid UTF-8 (overlong forms,
 * surrogates, code points past U+10FFFF and cut sequences are invalid).
 */
size_t text_utf8_decode(const char *s, size_t n, uint32_t *cp);

/*
 * Append s[0..n) to out as valid UTF-8: each invalid byte becomes U+FFFD,
 * C0 control characters but tab become '?', C1 controls (U+0080-U+009F)
 * and DEL become U+FFFD.
 */
void text_utf8_add(struct buf *out, const char *s, size_t n);
/* The same into a new string (the caller frees it). */
char *text_utf8(const char *s, size_t n);

/*
 * Append s[0..n) to out with each invalid UTF-8 byte replaced by U+FFFD and
 * everything else as it is (control characters too: a document's own
 * syntax, such as JSON's, deals with them). Returns the bytes replaced.
 */
size_t text_utf8_repair(struct buf *out, const char *s, size_t n);

/*
 * Write s to a terminal (or a log read on one) so that it cannot act on
 * it: control characters (C0, DEL, C1 U+0080-U+009F, so ESC and CSI too)
 * are shown as \xNN, bidirectional controls (U+061C, U+200E-U+200F,
 * U+202A-U+202E, U+2066-U+2069) as \uNNNN, invalid UTF-8 as U+FFFD, a
 * newline as \n (one field, one line) and a tab as a space. The Markdown
 * and HTML writers escape their own syntax on top of this.
 */
void text_term_fputs(FILE *out, const char *s);
/* The same into a buffer. */
void text_term_add(struct buf *out, const char *s, size_t n);

/*
 * Append word to out as one word for a POSIX shell: in single quotes, each
 * ' as '\'' , so nothing in it is expanded, split or globbed.
 */
void text_sh_quote(struct buf *out, const char *word);

#endif
