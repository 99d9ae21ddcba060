/*
 * suggest.c: the known word closest to a mistyped one (see suggest.h), for
 * every "did you mean" of casefile: commands, options, YAML keys, sources.
 */
#include <string.h>
#include "suggest.h"

size_t suggest_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, prev[64], cur[64];

	if (la > 60 || lb > 60)
		return 99;
	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t d = prev[j - 1] + (a[i - 1] != b[j - 1]);

			if (prev[j] + 1 < d)
				d = prev[j] + 1;
			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			cur[j] = d;
		}
		memcpy(prev, cur, (lb + 1) * sizeof(*prev));
	}
	return prev[lb];
}

const char *suggest_closest(const char *word, const char *const *known)
{
	const char *best = NULL;
	size_t bd = 3, len = strlen(word), i;

	for (i = 0; known[i]; i++) {
		size_t d = suggest_distance(word, known[i]);

		/* as many edits as letters is another word, not a typo */
		if (d < bd && d < len) {
			bd = d;
			best = known[i];
		}
	}
	return best;
}
