/*
 * suggest.h: "did you mean" for a mistyped word (a command, an option, a
 * YAML key, a source): the known word closest to it by edit distance.
 */
#ifndef SUGGEST_H
#define SUGGEST_H

#include <stddef.h>

/*
 * Levenshtein distance between a and b (insert, delete, replace: 1 each);
 * words over 60 bytes are 99 apart from everything.
 */
size_t suggest_distance(const char *a, const char *b);

/*
 * The word of known (NULL-terminated) closest to word, when it is at most
 * two edits away and closer than the word is long ("x" suggests nothing);
 * the first of equals; or NULL.
 */
const char *suggest_closest(const char *word, const char *const *known);

#endif
