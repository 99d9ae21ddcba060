/*
 * strv.c: NULL-terminated string lists.
 */
#include <string.h>
#include "casefile.h"

void strv_free(char **v)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; v[i]; i++)
		free(v[i]);
	free(v);
}

size_t strv_len(char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

char **strv_split(const char *s, char sep)
{
	char **v = xcalloc(strlen(s) + 2, sizeof(*v));
	size_t n = 0;

	while (*s) {
		const char *e = strchr(s, sep);
		size_t len = e ? (size_t)(e - s) : strlen(s);

		if (len)
			v[n++] = xstrndup(s, len);
		s += len;
		if (*s)
			s++;
	}
	return v;
}

void strv_push(char ***v, char *s)
{
	size_t n = strv_len(*v);

	*v = xrealloc(*v, (n + 2) * sizeof(**v));
	(*v)[n] = s;
	(*v)[n + 1] = NULL;
}
