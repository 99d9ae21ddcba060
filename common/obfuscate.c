/*
 * obfuscate.c: stable tokens for the values that say whose a bundle is (see
 * obfuscate.h). One pcre2 pattern finds them all in one pass: the learned
 * names (longest first), then MACs, IPv4 and IPv6 addresses by their shape;
 * the pattern is rebuilt when a name is learned. The map is a jansson
 * object per kind, real value -> token; its sizes number the tokens.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "casefile.h"
#include "obfuscate.h"


#include "obfuscate_state.h"

#define SHAPES \
	"((?<![\\w:-])(?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}(?![\\w:-]))" \
	"|((?<![\\w.])(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}" \
	"(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(?!\\w|\\.\\d))" \
"|((?<![\\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\\w:]))"

/*
 * Addresses as the kernel writes them in /proc/net (net/ipv4/tcp_ipv4.c,
 * net/ipv6/tcp_ipv6.c, net/ipv6/addrconf.c, net/ipv4/fib_frontend.c):
 * "%08X:%04X" (tcp, udp, raw: the address as a host-order word, then the
 * port), the route table's tab-separated "%08X" fields, "%08X%08X%08X%08X:%04X"
 * (tcp6, udp6) and "%pi6" (if_inet6, ipv6_route: 32 hex digits, then " %02x").
 */
#define HEX_SHAPES \
	"|(?-i:((?<![0-9A-Za-z])[0-9A-F]{8}(?=:[0-9A-F]{4}(?![0-9A-Za-z]))" \
	"|(?<=\\t)[0-9A-F]{8}(?=\\t)))" \
	"|(?-i:((?<![0-9A-Za-z])[0-9A-F]{32}(?=:[0-9A-F]{4}(?![0-9A-Za-z]))))" \
	"|(?-i:((?<![0-9A-Za-z:])[0-9a-f]{32}(?= [0-9a-f]{2}[ 0-9a-f])))"

/*
 * Where a learned name stands as a word of its own: not glued to a letter
 * or a digit; '-', '_' and '/' separate. Not a label of a dotted name (an
 * FQDN, a sysctl key: vm.swappiness), not glued by '_' to a letter on its
 * right (a C identifier or a key: vm_area_struct; host names hold no '_'),
 * not a folder of the kernel's /proc/sys or /sys. A name of one or two
 * characters is matched only as written in lower case, and next to a '-'
 * only when "-" and a digit follow ("sosreport-vm-2026"): VM, total-vm:,
 * 80-vm-vt.network and open-vm-tools stay.
 */
#define NAME_BEFORE "(?<![A-Za-z0-9.])(?<!/sys/)"
#define NAME_AFTER "(?![A-Za-z0-9]|\\.\\w|_[A-Za-z_])"
#define SHORT_BEFORE "(?<![A-Za-z0-9.-])(?<!/sys/)"
#define SHORT_AFTER "(?![A-Za-z0-9-]|\\.\\w|_[A-Za-z_])"
#define SHORT_HYPHENATED "(?<![A-Za-z0-9.])", "(?=-[0-9])"
#define SHORT_NAME 2

struct obf *obf_new(void)
{
	struct obf *o = xcalloc(1, sizeof(*o));
	int e, i;
	PCRE2_SIZE off;

	for (i = 0; i < K_NR; i++)
		o->map[i] = json_object();
	o->nets4 = json_object();
	o->nets6 = json_object();
	o->serial_re = pcre2_compile((PCRE2_SPTR)"\\bserial[ _]?(?:number|no\\.?)\\s*[:=]\\s*"
				     "\"?([A-Za-z0-9][A-Za-z0-9._/-]{3,})",
				     PCRE2_ZERO_TERMINATED, PCRE2_CASELESS, &e, &off, NULL);
	/* syslog's host field, after its time (not dmesg's ISO time, which has a comma) */
	o->syslog_re = pcre2_compile((PCRE2_SPTR)"^(?:[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d|"
				     "\\d{4}-\\d\\d-\\d\\d[T ][\\d:.+-]+Z?) "
				     "([A-Za-z0-9][\\w.-]*) [\\w./@-]+(?:\\[\\d+\\])?:",
				     PCRE2_ZERO_TERMINATED, PCRE2_MULTILINE, &e, &off, NULL);
	o->md = pcre2_match_data_create(32, NULL);
	o->ps_user = json_object();
	o->ps_uid = json_object();
	o->dirty = 1;
	if (!o->serial_re || !o->syslog_re || !o->md)
		die("cannot compile the obfuscation patterns");
	return o;
}

void obf_free(struct obf *o)
{
	int i;

	if (!o)
		return;
	for (i = 0; i < K_NR; i++)
		json_decref(o->map[i]);
	json_decref(o->nets4);
	json_decref(o->nets6);
	json_decref(o->ps_user);
	json_decref(o->ps_uid);
	pcre2_code_free(o->re);
	pcre2_code_free(o->serial_re);
	pcre2_code_free(o->syslog_re);
	pcre2_match_data_free(o->md);
	free(o);
}

/* ---- tokens ------------------------------------------------------------------ */

static const char *lookup(struct obf *o, enum kind k, const char *real)
{
	return json_string_value(json_object_get(o->map[k], real));
}

static const char *assign(struct obf *o, enum kind k, const char *real, const char *token)
{
	json_object_set_new(o->map[k], real, json_string(token));
	if (k <= K_SERIAL)
		o->dirty = 1;
	return lookup(o, k, real);
}

static char *lower(const char *s, size_t n)
{
	char *l = xstrndup(s, n);
	char *p;

	for (p = l; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return l;
}

static int placeholder(const char *v)
{
	static const char *const words[] = { "none", "unknown", "not", "default", "to",
		"0000", "00000000", "system", "n/a", "chassis", "serial", "123456789" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(words); i++)
		if (!strncasecmp(v, words[i], strlen(words[i])))
			return 1;
	return 0;
}

static const char *literal_token(struct obf *o, enum kind k, const char *real)
{
	static const char *const prefix[] = { "host", "domain", "user", "serial" };
	const char *t = lookup(o, k, real);
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
	char *l = lower(name, len), *dot;

	while (*l && l[strlen(l) - 1] == '.')
		l[strlen(l) - 1] = '\0';
	if (name_ok(l)) {
		dot = strchr(l, '.');
		if (dot && strchr(dot + 1, '.')) {
			/* db1.corp.example.com: the domain, then the host's own label */
			literal_token(o, K_DOMAIN, dot + 1);
			*dot = '\0';
		}
		literal_token(o, K_HOST, l);
	}
	free(l);
}

void obf_learn_user(struct obf *o, const char *name, size_t len)
{
	char *l = xstrndup(name, len);

	if (name_ok(l) && len >= 2 && strcmp(l, "root"))
		literal_token(o, K_USER, l);
	free(l);
}

const char *obf_host_token(struct obf *o, const char *name)
{
	char *l = lower(name, strlen(name));
	const char *t;

	obf_learn_host(o, name, strlen(name));
	if (strchr(l, '.') && strchr(strchr(l, '.') + 1, '.'))
		*strchr(l, '.') = '\0';
	t = lookup(o, K_HOST, l);
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
	if ((t = lookup(o, K_IPV4, real)))
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
	if ((t = lookup(o, K_IPV6, canon)))
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

static const char *mac_token(struct obf *o, const char *a, size_t n)
{
	char *real = lower(a, n), buf[24], *p;
	const char *t;
	size_t k;

	for (p = real; *p; p++)
		if (*p == '-')
			*p = ':';
	if ((t = lookup(o, K_MAC, real)) ||
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

/* A name as a pattern: letters and digits as they are, the rest escaped. */
static void add_literal(struct buf *p, const char *s)
{
	for (; *s; s++) {
		if (!isalnum((unsigned char)*s))
			buf_addch(p, '\\');
		buf_addch(p, *s);
	}
}

static int by_length(const void *a, const void *b)
{
	size_t x = strlen(*(char *const *)a), y = strlen(*(char *const *)b);

	return x < y ? 1 : x > y ? -1 : strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of kind k (long or short ones) as alternatives between before and after. */
static void names_between(struct buf *p, const char **v, size_t n, const char *before,
			  const char *after)
{
	size_t i;

	buf_addf(p, "%s(?:", before);
	for (i = 0; i < n; i++) {
		if (i)
			buf_addch(p, '|');
		add_literal(p, v[i]);
	}
	buf_addf(p, ")%s", after);
}

/*
 * The names of kind k as one alternative of the pattern, a capturing group
 * of its own (and no other inside): rc - 1 of a match says which kind it is.
 * shortness 1: only the names of SHORT_NAME characters or fewer (matched as
 * written, alone or in a hyphenated name), 0: only the others, -1: all.
 */
static void add_names(struct obf *o, struct buf *p, enum kind k, int shortness,
		      const char *before, const char *after)
{
	const json_t *m = o->map[k];
	const char **v = xcalloc(json_object_size(m) + 1, sizeof(*v));
	const char *key;
	json_t *val;
	size_t n = 0;

	json_object_foreach((json_t *)m, key, val) {
		(void)val;
		if (shortness < 0 || (strlen(key) <= SHORT_NAME) == shortness)
			v[n++] = key;
	}
	if (n) {
		qsort(v, n, sizeof(*v), by_length);
		o->group_kind[++o->groups] = k;
		buf_addstr(p, shortness > 0 ? "(?-i:(" : "(");
		names_between(p, v, n, before, after);
		if (shortness > 0) {
			buf_addch(p, '|');
			names_between(p, v, n, SHORT_HYPHENATED);
		}
		buf_addstr(p, shortness > 0 ? "))|" : ")|");
	}
	free(v);
}

static void rebuild(struct obf *o)
{
	struct buf p = BUF_INIT(0);
	int e;
	PCRE2_SIZE off;

	/* names first, longest first: db1.corp.example.com before db1 */
	o->groups = 0;
	add_names(o, &p, K_DOMAIN, -1, "(?<![\\w.-])(?:[A-Za-z0-9-]+\\.)*", "(?![\\w-])");
	add_names(o, &p, K_HOST, 0, NAME_BEFORE, NAME_AFTER);
	add_names(o, &p, K_HOST, 1, SHORT_BEFORE, SHORT_AFTER);
	add_names(o, &p, K_USER, 0, NAME_BEFORE, NAME_AFTER);
	add_names(o, &p, K_USER, 1, SHORT_BEFORE, SHORT_AFTER);
	add_names(o, &p, K_SERIAL, -1, "(?<![\\w.-])", "(?![\\w-])");
	buf_addstr(&p, SHAPES HEX_SHAPES);
	o->group_kind[++o->groups] = M_MAC;
	o->group_kind[++o->groups] = M_IPV4;
	o->group_kind[++o->groups] = M_IPV6;
	o->group_kind[++o->groups] = M_IPV4_HEX;
	o->group_kind[++o->groups] = M_IPV6_HEX_WORDS;
	o->group_kind[++o->groups] = M_IPV6_HEX;
	pcre2_code_free(o->re);
	o->re = pcre2_compile((PCRE2_SPTR)p.data, p.len, PCRE2_CASELESS, &e, &off, NULL);
	if (!o->re)
		die("cannot compile the obfuscation pattern (%d at %zu)", e, (size_t)off);
	pcre2_jit_compile(o->re, PCRE2_JIT_COMPLETE);
	buf_release(&p);
	o->dirty = 0;
}

/* db7.corp.example.com: host7.domain0.example */
static void domain_name(struct obf *o, const char *s, size_t n, struct buf *out)
{
	char *l = lower(s, n), *label = l, *dot;

	while ((dot = strchr(label, '.')) && !lookup(o, K_DOMAIN, label))
		label = dot + 1;
	if (label != l) {
		label[-1] = '\0';
		buf_addstr(out, literal_token(o, K_HOST, l));
		buf_addch(out, '.');
	}
	buf_addstr(out, literal_token(o, K_DOMAIN, label));
	free(l);
}

/* The replacement of a match of kind k into out; 0 when it keeps its text. */
static int replace(struct obf *o, enum match k, const char *s, size_t n, struct buf *out)
{
	const char *t = NULL;
	char *l;

	switch (k) {
	case M_IPV4_HEX:
	case M_IPV6_HEX:
	case M_IPV6_HEX_WORDS:
		return obf_hex_replace(o, k, s, n, out);
	case M_DOMAIN:
		domain_name(o, s, n, out);
		return 1;
	case M_HOST:
	case M_USER:
	case M_SERIAL:
		l = k == M_HOST ? lower(s, n) : xstrndup(s, n);
		t = lookup(o, (enum kind)k, l);
		free(l);
		break;
	case M_MAC:
		t = mac_token(o, s, n);
		break;
	case M_IPV4:
		t = obf_ipv4_token(o, s, n);
		break;
	default:
		t = n > 2 ? obf_ipv6_token(o, s, n) : NULL;
	}
	if (!t)
		return 0;
	buf_addstr(out, t);
	return 1;
}

/* "Serial Number: X" teaches X before the line is cleaned. */
static void learn_serials(struct obf *o, const char *text, size_t len)
{
	PCRE2_SIZE start = 0, *ov;
	char *v;

	if (!memmem(text, len, "erial", 5) && !memmem(text, len, "ERIAL", 5))
		return;
	while (start < len && pcre2_match(o->serial_re, (PCRE2_SPTR)text, len, start, 0, o->md,
					  NULL) > 1) {
		ov = pcre2_get_ovector_pointer(o->md);
		v = xstrndup(text + ov[2], ov[3] - ov[2]);
		if (!placeholder(v) && !lookup(o, K_SERIAL, v))
			literal_token(o, K_SERIAL, v);
		free(v);
		start = ov[1] > start ? ov[1] : start + 1;
	}
}

long obf_chunk(struct obf *o, const char *text, size_t len, struct buf *out)
{
	PCRE2_SIZE start = 0, *ov;
	long made = 0;
	int rc;

	learn_serials(o, text, len);
	if (o->dirty)
		rebuild(o);
	while (start < len) {
		rc = pcre2_match(o->re, (PCRE2_SPTR)text, len, start, 0, o->md, NULL);
		if (rc < 0)
			break;
		ov = pcre2_get_ovector_pointer(o->md);
		buf_add(out, text + start, ov[0] - start);
		if (ov[1] == ov[0]) {
			if (ov[0] < len)
				buf_addch(out, text[ov[0]]);
			start = ov[0] + 1;
			continue;
		}
		if (replace(o, (enum match)o->group_kind[rc - 1], text + ov[0], ov[1] - ov[0], out))
			made++;
		else
			buf_add(out, text + ov[0], ov[1] - ov[0]);
		start = ov[1];
	}
	if (start < len)
		buf_add(out, text + start, len - start);
	return made;
}

char *obf_name(struct obf *o, const char *name)
{
	char *l = lower(name, strlen(name));
	struct buf out = BUF_INIT(0);
	size_t n = strlen(name), i = 0;
	enum kind kinds[] = { K_HOST, K_USER };
	const char *k0;

	/* the kernel's own names (proc/sys/vm) are nobody's host; a link's ../proc too */
	for (k0 = name; !strncmp(k0, "../", 3); k0 += 3)
		;
	if (!strncmp(k0, "proc/", 5) || !strncmp(k0, "sys/", 4))
		n = 0;
	while (i < n) {
		size_t best = 0, k;
		const char *tok = NULL, *key;
		json_t *v;

		for (k = 0; k < ARRAY_SIZE(kinds) && (i == 0 || strchr("-_./", l[i - 1])); k++)
			json_object_foreach(o->map[kinds[k]], key, v) {
				size_t kl = strlen(key);

				if (kl > best && kl <= n - i && !strncmp(l + i, key, kl) &&
				    (i + kl == n || strchr("-_./", l[i + kl]))) {
					best = kl;
					tok = json_string_value(v);
				}
			}
		if (tok) {
			buf_addstr(&out, tok);
			i += best;
		} else {
			buf_addch(&out, name[i++]);
		}
	}
	free(l);
	if (!n)
		buf_addstr(&out, name);
	return buf_detach(&out, NULL);
}

