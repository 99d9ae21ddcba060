/*
 * literal.h: required literals of a regular expression.
 *
 * For "Out of memory: Kill(?:ed)? process (?<pid>\d+)" every matching line
 * contains "Out of memory: Kill" and " process ": the longest run is kept.
 * A pattern with top-level alternatives gets one literal per alternative;
 * when any alternative has none of LITERAL_MIN bytes, the pattern has none
 * and runs on every line (lint warns about it).
 */
#ifndef LITERAL_H
#define LITERAL_H

#include <stddef.h>

#define LITERAL_MIN 4	/* the scanner's window: shorter ones are no use */

struct literal {
	char *text;
	size_t len;
};

/* Required literals of a pattern into *out (caller frees); 0 when it has none. */
size_t literal_extract(const char *pattern, struct literal **out);

#endif
