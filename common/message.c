/*
 * message.c: messages for people (error, warning, die, notes) and the names
 * of the CF_ERR_* codes.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "buf.h"
#include "casefile.h"
#include "text.h"

static int quiet;

/* Messages name files and hosts from bundles: nothing in them may act on a terminal. */
static void vreport(const char *prefix, const char *fmt, va_list ap)
{
	char msg[4096];
	struct buf clean = BUF_INIT(0);

	vsnprintf(msg, sizeof(msg), fmt, ap);
	text_term_add(&clean, msg, strlen(msg));
	fprintf(stderr, "casefile: %s%s\n", prefix, clean.data);
	buf_release(&clean);
}

int error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("error: ", fmt, ap);
	va_end(ap);
	return CF_ERR_REPORTED;
}

int error_lines(const char *text)
{
	while (*text) {
		size_t n = strcspn(text, "\n");

		if (n)
			error("%.*s", (int)n, text);
		text += n;
		if (*text)
			text++;
	}
	return CF_ERR_REPORTED;
}

void warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("warning: ", fmt, ap);
	va_end(ap);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("fatal: ", fmt, ap);
	va_end(ap);
	exit(128);
}

void cf_set_quiet(int on)
{
	quiet = on;
}

void cf_note(const char *fmt, ...)
{
	char msg[4096];
	struct buf clean = BUF_INIT(0);
	va_list ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	text_term_add(&clean, msg, strlen(msg));
	fprintf(stderr, "%s\n", clean.data);
	buf_release(&clean);
}

const char *cf_strerror(int err)
{
	switch (err) {
	case CF_OK: return "success";
	case CF_ERR_REPORTED: return "failed (see the message above)";
	case CF_ERR_NOMEM: return "out of memory";
	case CF_ERR_IO: return "input/output error";
	case CF_ERR_PARSE: return "malformed input";
	case CF_ERR_CAP: return "size cap reached";
	case CF_ERR_TIMEOUT: return "timed out";
	case CF_ERR_USAGE: return "usage error";
	case CF_ERR_ARCHIVE: return "archive error";
	case CF_ERR_NOTFOUND: return "not found";
	case CF_ERR_DENIED: return "permission denied";
	case CF_ERR_INTERRUPTED: return "interrupted";
	case CF_ERR_SSH: return "ssh error";
	case CF_ERR_EXISTS: return "already exists";
	}
	return "unknown error";
}
