/*
 * alloc.c: allocation that dies on failure, for bounded bookkeeping. The
 * message is made on the stack and written as is: die() cleans its text
 * in a buffer it allocates, and would come back here when memory is gone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "casefile.h"

static void __attribute__((noreturn)) out_of_memory(size_t n, size_t size)
{
	char msg[128];
	int len = snprintf(msg, sizeof(msg), "casefile: fatal: out of memory allocating %zu x %zu "
			   "bytes\n", n, size);

	if (len > 0 && write(STDERR_FILENO, msg, (size_t)len) < 0)
		len = 0;	/* nowhere to say it: the exit status says it */
	exit(128);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		out_of_memory(1, n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		out_of_memory(n, size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		out_of_memory(1, n);
	return q;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}
