/*
 * obfuscate_tokens.c: the map of real values to tokens and how each kind
 * of token is made (see obfuscate.h): names learned, hosts numbered,
 * IPv4 addresses that keep their /24, IPv6 their /64, MACs numbered.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "casefile.h"
#include "obfuscate.h"
#include "obfuscate_state.h"

const char *obf_lookup(struct obf *o, enum kind k, const char *real)
{
	return json_string_value(json_object_get(o->map[k], real));
}

static const char *assign(struct obf *o, enum kind k, const char *real, const char *token)
{
	json_object_set_new(o->map[k], real, json_string(token));
	if (k <= K_SERIAL)
		o->dirty = 1;
	return obf_lookup(o, k, real);
}

char *obf_lower(const char *s, size_t n)
{
	char *l = xstrndup(s, n);
	char *p;

	for (p = l; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return l;
}

const char *obf_literal_token(struct obf *o, enum kind k, const char *real)
{
	static const char *const prefix[] = { "host", "domain", "user", "serial" };
	const char *t = obf_lookup(o, k, real);
	char buf[64];

	if (t)
		return t;
	if (k == K_DOMAIN)
		snprintf(buf, sizeof(buf), "domain%zu.example", json_object_size(o->map[k]));
	else
		snprintf(buf, sizeof(buf), "%s%zu", prefix[k], json_object_size(o->map[k]));
	return assign(o, k, real, buf);
}

static int name_ok(const char *s)
{
	const char *p;

	if (!*s || strlen(s) > 253 || !strcmp(s, "localhost") || !strncmp(s, "localhost.", 10) ||
	    !strncmp(s, "ip6-", 4) || !strcmp(s, "broadcasthost") || !strcmp(s, "(none)"))
		return 0;
	for (p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '.' && *p != '_')
			return 0;
	/* an address is found by its shape, not learned as a name */
	return strspn(s, "0123456789.") != strlen(s) && !strchr(s, ':');
}

void obf_learn_host(struct obf *o, const char *name, size_t len)
{
	char *l = obf_lower(name, len), *dot;

	while (*l && l[strlen(l) - 1] == '.')
		l[strlen(l) - 1] = '\0';
	if (name_ok(l)) {
		dot = strchr(l, '.');
		if (dot && strchr(dot + 1, '.')) {
			/* db1.corp.example.com: the domain, then the host's own label */
			obf_literal_token(o, K_DOMAIN, dot + 1);
			*dot = '\0';
		}
		obf_literal_token(o, K_HOST, l);
	}
	free(l);
}

void obf_learn_user(struct obf *o, const char *name, size_t len)
{
	char *l = xstrndup(name, len);

	if (name_ok(l) && len >= 2 && strcmp(l, "root"))
		obf_literal_token(o, K_USER, l);
	free(l);
}

const char *obf_host_token(struct obf *o, const char *name)
{
	char *l = obf_lower(name, strlen(name));
	const char *t;

	obf_learn_host(o, name, strlen(name));
	if (strchr(l, '.') && strchr(strchr(l, '.') + 1, '.'))
		*strchr(l, '.') = '\0';
	t = obf_lookup(o, K_HOST, l);
	free(l);
	return t ? t : name;
}

/* 192.168.7.23 -> 10.254.K.23: one /24 stays one /24. */
const char *obf_ipv4_token(struct obf *o, const char *a, size_t n)
{
	char real[16], net[16], buf[32];
	const char *t, *last;
	json_int_t k;
	struct in_addr in;
	uint32_t m;

	snprintf(real, sizeof(real), "%.*s", (int)n, a);
	if ((t = obf_lookup(o, K_IPV4, real)))
		return t;
	if (inet_pton(AF_INET, real, &in) != 1)
		return NULL;
	m = ntohl(in.s_addr);
	/* loopback, unspecified, this-network, broadcast and netmasks stay */
	if ((m >> 24) == 127 || (m >> 24) == 0 || ((m >> 24) == 255 && !(~m & (~m + 1))))
		return NULL;
	last = strrchr(real, '.');
	snprintf(net, sizeof(net), "%.*s", (int)(last - real), real);
	if (!json_object_get(o->nets4, net))
		json_object_set_new(o->nets4, net, json_integer((json_int_t)json_object_size(o->nets4)));
	k = json_integer_value(json_object_get(o->nets4, net));
	snprintf(buf, sizeof(buf), "10.%d.%d%s", (int)(254 - (k / 256) % 250), (int)(k % 256), last);
	return assign(o, K_IPV4, real, buf);
}

const char *obf_ipv6_token(struct obf *o, const char *a, size_t n)
{
	char real[64], canon[INET6_ADDRSTRLEN], prefix[17], buf[64];
	unsigned char b[16];
	const char *t;
	json_int_t k;
	int i;

	if (n >= sizeof(real))
		return NULL;
	snprintf(real, sizeof(real), "%.*s", (int)n, a);
	if (inet_pton(AF_INET6, real, b) != 1)
		return NULL;
	inet_ntop(AF_INET6, b, canon, sizeof(canon));
	if ((t = obf_lookup(o, K_IPV6, canon)))
		return t;
	for (i = 0; i < 8 && !b[i]; i++)
		;
	if (i == 8 || b[0] == 0xff)	/* ::1, ::, v4-mapped, multicast */
		return NULL;
	for (i = 0; i < 8; i++)
		snprintf(prefix + 2 * i, 3, "%02x", b[i]);
	if (!json_object_get(o->nets6, prefix))
		json_object_set_new(o->nets6, prefix,
				    json_integer((json_int_t)json_object_size(o->nets6)));
	k = json_integer_value(json_object_get(o->nets6, prefix));
	snprintf(buf, sizeof(buf), "2001:db8:%x::%zx", (unsigned)(k & 0xffff),
		 json_object_size(o->map[K_IPV6]) + 1);
	return assign(o, K_IPV6, canon, buf);
}

const char *obf_mac_token(struct obf *o, const char *a, size_t n)
{
	char *real = obf_lower(a, n), buf[24], *p;
	const char *t;
	size_t k;

	for (p = real; *p; p++)
		if (*p == '-')
			*p = ':';
	if ((t = obf_lookup(o, K_MAC, real)) ||
	    !strcmp(real, "00:00:00:00:00:00") || !strcmp(real, "ff:ff:ff:ff:ff:ff")) {
		free(real);
		return t;
	}
	k = json_object_size(o->map[K_MAC]) + 1;
	snprintf(buf, sizeof(buf), "00:00:00:%02zx:%02zx:%02zx", (k >> 16) & 0xff, (k >> 8) & 0xff,
		 k & 0xff);
	t = assign(o, K_MAC, real, buf);
	free(real);
	return t;
}
