/*
 * obfuscate_hex.c: addresses as the kernel's /proc/net files write them,
 * replaced by the same tokens as their usual form (see obfuscate.h).
 *
 * /proc/net/tcp, udp and raw print an IPv4 address as the host-order
 * value of its network-order word ("%08X"): on a little-endian host
 * 127.0.0.1 is 0100007F; tcp6 and udp6 print the four words of an IPv6
 * address the same way; if_inet6 and ipv6_route print the 16 bytes in
 * order ("%pi6"). Little-endian hosts (x86, arm64, ppc64le) are assumed:
 * read on a big-endian one the address is another, still replaced, so
 * nothing leaks, only the /24 grouping of those tokens is lost.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "buf.h"
#include "casefile.h"
#include "obfuscate.h"
#include "obfuscate_state.h"

static uint32_t word(const char *s)
{
	char hex[9];

	memcpy(hex, s, 8);
	hex[8] = '\0';
	return (uint32_t)strtoul(hex, NULL, 16);
}

/* 16 bytes of an address from 32 hex digits: in order, or as four little-endian words. */
static void bytes_of(const char *s, int words, unsigned char b[16])
{
	int i, k;

	for (i = 0; i < 4; i++) {
		uint32_t w = word(s + 8 * i);

		for (k = 0; k < 4; k++)
			b[4 * i + k] = words ? (unsigned char)(w >> (8 * k)) :
				       (unsigned char)(w >> (8 * (3 - k)));
	}
}

static void hex_of(const unsigned char b[16], int words, struct buf *out)
{
	int i;

	for (i = 0; i < 4; i++) {
		const unsigned char *q = b + 4 * i;

		if (words)
			buf_addf(out, "%02X%02X%02X%02X", q[3], q[2], q[1], q[0]);
		else
			buf_addf(out, "%02x%02x%02x%02x", q[0], q[1], q[2], q[3]);
	}
}

static int ipv4(struct obf *o, const char *s, struct buf *out)
{
	uint32_t w = word(s);
	char real[16];
	const char *t;
	struct in_addr a;
	const unsigned char *b = (const unsigned char *)&a.s_addr;

	snprintf(real, sizeof(real), "%u.%u.%u.%u", w & 0xff, (w >> 8) & 0xff, (w >> 16) & 0xff,
		 w >> 24);
	t = obf_ipv4_token(o, real, strlen(real));
	if (!t || inet_pton(AF_INET, t, &a) != 1)
		return 0;
	buf_addf(out, "%02X%02X%02X%02X", b[3], b[2], b[1], b[0]);
	return 1;
}

static int ipv6(struct obf *o, const char *s, int words, struct buf *out)
{
	unsigned char b[16];
	char real[INET6_ADDRSTRLEN];
	const char *t;

	bytes_of(s, words, b);
	if (!inet_ntop(AF_INET6, b, real, sizeof(real)))
		return 0;
	t = obf_ipv6_token(o, real, strlen(real));
	if (!t || inet_pton(AF_INET6, t, b) != 1)
		return 0;
	hex_of(b, words, out);
	return 1;
}

int obf_hex_replace(struct obf *o, enum match m, const char *s, size_t n, struct buf *out)
{
	if (m == M_IPV4_HEX && n == 8)
		return ipv4(o, s, out);
	if ((m == M_IPV6_HEX || m == M_IPV6_HEX_WORDS) && n == 32)
		return ipv6(o, s, m == M_IPV6_HEX_WORDS, out);
	return 0;
}
