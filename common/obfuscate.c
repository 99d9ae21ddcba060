/*
 * obfuscate.c: stable tokens for the values that say whose a bundle is (see
 * obfuscate.h). One pcre2 pattern finds them all in one pass: the learned
 * names (longest first), then MACs, IPv4 and IPv6 addresses by their shape,
 * also as /proc/net writes them (obfuscate_hex.c); the pattern is rebuilt
 * when a name is learned. The map and its tokens: obfuscate_tokens.c.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
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
	char *l = obf_lower(s, n), *label = l, *dot;

	while ((dot = strchr(label, '.')) && !obf_lookup(o, K_DOMAIN, label))
		label = dot + 1;
	if (label != l) {
		label[-1] = '\0';
		buf_addstr(out, obf_literal_token(o, K_HOST, l));
		buf_addch(out, '.');
	}
	buf_addstr(out, obf_literal_token(o, K_DOMAIN, label));
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
		l = k == M_HOST ? obf_lower(s, n) : xstrndup(s, n);
		t = obf_lookup(o, (enum kind)k, l);
		free(l);
		break;
	case M_MAC:
		t = obf_mac_token(o, s, n);
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
		if (!placeholder(v) && !obf_lookup(o, K_SERIAL, v))
			obf_literal_token(o, K_SERIAL, v);
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
	char *l = obf_lower(name, strlen(name));
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

