/*
 * obfuscate_state.h: the inside of the obfuscator, shared by obfuscate.c
 * (tokens, the pattern, cleaning) and obfuscate_learn.c (learning from
 * files, the saved map). Everyone else uses obfuscate.h.
 */
#ifndef OBFUSCATE_STATE_H
#define OBFUSCATE_STATE_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <jansson.h>
#include <pcre2.h>

enum kind { K_HOST, K_DOMAIN, K_USER, K_SERIAL, K_MAC, K_IPV4, K_IPV6, K_NR };

struct obf {
	json_t *map[K_NR];
	json_t *nets4, *nets6;		/* "a.b.c" -> K, 64-bit prefix (hex) -> K */
	pcre2_code *re, *serial_re, *syslog_re;
	pcre2_match_data *md;
	/* the kind of the pattern's group n (names present, then MAC, v4, v6) */
	unsigned char group_kind[K_NR + 1];
	int groups;
	int dirty;
};

#endif
