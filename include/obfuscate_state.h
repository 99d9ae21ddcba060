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
#include "buf.h"

enum kind { K_HOST, K_DOMAIN, K_USER, K_SERIAL, K_MAC, K_IPV4, K_IPV6, K_NR };

/*
 * What a group of the pattern found: a kind of the map, or an address
 * written as the kernel's /proc/net files write it (obfuscate_hex.c).
 */
enum match {
	M_HOST = K_HOST, M_DOMAIN = K_DOMAIN, M_USER = K_USER, M_SERIAL = K_SERIAL,
	M_MAC = K_MAC, M_IPV4 = K_IPV4, M_IPV6 = K_IPV6,
	M_IPV4_HEX,		/* 0100007F: an IPv4 address as a little-endian word */
	M_IPV6_HEX,		/* fe80...0001: an IPv6 address as 32 hex digits */
	M_IPV6_HEX_WORDS,	/* four little-endian words (tcp6, udp6) */
	M_NR
};

struct obf {
	json_t *map[K_NR];
	json_t *nets4, *nets6;		/* "a.b.c" -> K, 64-bit prefix (hex) -> K */
	pcre2_code *re, *serial_re, *syslog_re;
	pcre2_match_data *md;
	/* what the pattern's group n finds (names present, then the shapes) */
	unsigned char group_kind[M_NR + 4];
	int groups;
	int dirty;
	/* ps output while learning: pid -> user name, pid -> uid (joined into users) */
	json_t *ps_user, *ps_uid;
};

/* The map and its tokens (obfuscate_tokens.c). */
const char *obf_lookup(struct obf *o, enum kind k, const char *real);
/* The token of a learned literal (a host, domain, user or serial), made when new. */
const char *obf_literal_token(struct obf *o, enum kind k, const char *real);
/* s[0..n) in lower case; the caller frees it. */
char *obf_lower(const char *s, size_t n);
/* The token of an address or a MAC in its usual form, or NULL when it stays. */
const char *obf_ipv4_token(struct obf *o, const char *a, size_t n);
const char *obf_ipv6_token(struct obf *o, const char *a, size_t n);
const char *obf_mac_token(struct obf *o, const char *a, size_t n);
/* Users from a kind of file (obfuscate_users.c). */
void obf_learn_passwd(struct obf *o, const char *text, size_t len);
void obf_learn_lastlog(struct obf *o, const char *text, size_t len);
void obf_learn_last(struct obf *o, const char *text, size_t len);
void obf_learn_ps(struct obf *o, const char *text, size_t len);

/* An address in a /proc/net form replaced into out; 0 when it stays (obfuscate_hex.c). */
int obf_hex_replace(struct obf *o, enum match m, const char *s, size_t n, struct buf *out);

#endif
