/*
 * obfuscate_learn.c: what the obfuscator learns before it cleans (see
 * obfuscate.h): host names from hostname, uname, etc/hosts and syslog's
 * host field, users from etc/passwd, and the tokens of a saved map.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "casefile.h"
#include "obfuscate.h"
#include "obfuscate_state.h"
#include "outfile.h"

#define MAP_SCHEMA "casefile-obfuscation-map/1"

static const char *const kind_key[K_NR] = { "hosts", "domains", "users", "serials", "macs",
	"ipv4", "ipv6" };

/* ---- learning from files ------------------------------------------------------ */

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix) && (a == b || s[a - b - 1] == '/');
}

enum fields { FIRST, SECOND, ALL_BUT_FIRST };

/* Host names from each line: hostname's first word, uname's second, etc/hosts' names. */
static void learn_lines(struct obf *o, const char *text, size_t len, enum fields which)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *e = nl ? nl : end;
		const char *w = p;
		int field = 0;

		while (w < e && *w != '#') {
			const char *s;

			while (w < e && isspace((unsigned char)*w))
				w++;
			s = w;
			while (w < e && !isspace((unsigned char)*w) && *w != '#')
				w++;
			if (w > s && (which == ALL_BUT_FIRST ? field > 0 : field == (int)which))
				obf_learn_host(o, s, (size_t)(w - s));
			field++;
		}
		p = e + 1;
	}
}

static void learn_passwd(struct obf *o, const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *e = nl ? nl : end;
		const char *c1 = memchr(p, ':', (size_t)(e - p)), *c2, *c3;

		if (c1 && (c2 = memchr(c1 + 1, ':', (size_t)(e - c1 - 1))) &&
		    (c3 = memchr(c2 + 1, ':', (size_t)(e - c2 - 1)))) {
			long uid = strtol(c2 + 1, NULL, 10);

			if (uid >= 1000 && uid < 65534)
				obf_learn_user(o, p, (size_t)(c1 - p));
		}
		p = e + 1;
	}
}

/* The host field of syslog lines ("Nov 20 03:12:09 db1 kernel: ..."), the first 200. */
static void learn_syslog(struct obf *o, const char *text, size_t len)
{
	PCRE2_SIZE start = 0, *ov;
	int lines = 0;

	while (start < len && lines++ < 200 &&
	       pcre2_match(o->syslog_re, (PCRE2_SPTR)text, len, start, 0, o->md, NULL) > 1) {
		ov = pcre2_get_ovector_pointer(o->md);
		obf_learn_host(o, text + ov[2], ov[3] - ov[2]);
		start = ov[1];
	}
}

enum teaches { T_NONE, T_HOSTNAME, T_UNAME, T_HOSTS, T_PASSWD, T_SYSLOG };

/* What a file teaches, by its path. */
static enum teaches teaches(const char *path)
{
	if (ends_with(path, "hostname") || ends_with(path, "hostname_-f"))
		return T_HOSTNAME;
	if (ends_with(path, "uname") || ends_with(path, "uname_-a"))
		return T_UNAME;
	if (ends_with(path, "etc/hosts"))
		return T_HOSTS;
	if (ends_with(path, "etc/passwd"))
		return T_PASSWD;
	if (strstr(path, "messages") || strstr(path, "syslog") || strstr(path, "journal"))
		return T_SYSLOG;
	return T_NONE;
}

int obf_learns_from(const char *path)
{
	return teaches(path) != T_NONE;
}

void obf_learn_text(struct obf *o, const char *path, const char *text, size_t len)
{
	switch (teaches(path)) {
	case T_HOSTNAME: learn_lines(o, text, len, FIRST); break;
	case T_UNAME: learn_lines(o, text, len, SECOND); break;
	case T_HOSTS: learn_lines(o, text, len, ALL_BUT_FIRST); break;
	case T_PASSWD: learn_passwd(o, text, len); break;
	case T_SYSLOG: learn_syslog(o, text, len); break;
	case T_NONE: break;
	}
}

/* ---- the map -------------------------------------------------------------------- */

int obf_map_load(struct obf *o, const char *path)
{
	json_error_t je;
	json_t *m = json_load_file(path, 0, &je), *v;
	const char *key;
	int i;

	if (!m)
		return error("--map: cannot read '%s': %s (line %d)", path, je.text, je.line);
	if (!json_is_object(m) || strcmp(json_string_value(json_object_get(m, "schema")) ?
					 json_string_value(json_object_get(m, "schema")) : "",
					 MAP_SCHEMA)) {
		json_decref(m);
		return error("--map: '%s' is not a casefile obfuscation map", path);
	}
	for (i = 0; i < K_NR; i++) {
		json_t *kind = json_object_get(m, kind_key[i]);

		json_object_foreach(kind, key, v)
			if (json_is_string(v))
				json_object_set(o->map[i], key, v);
	}
	json_object_update(o->nets4, json_object_get(m, "ipv4_networks"));
	json_object_update(o->nets6, json_object_get(m, "ipv6_networks"));
	json_decref(m);
	o->dirty = 1;
	return 0;
}

int obf_map_save(const struct obf *o, const char *path)
{
	json_t *m = json_object();
	struct outfile of;
	char *text;
	int i, r;

	json_object_set_new(m, "schema", json_string(MAP_SCHEMA));
	json_object_set_new(m, "note", json_string("real value -> token; keep this file: it "
						   "undoes the obfuscation"));
	for (i = 0; i < K_NR; i++)
		json_object_set(m, kind_key[i], o->map[i]);
	json_object_set(m, "ipv4_networks", o->nets4);
	json_object_set(m, "ipv6_networks", o->nets6);
	text = json_dumps(m, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(m);
	/* a new file of our own, then renamed over: never through a planted link */
	if ((r = outfile_open(&of, path)))
		goto out;
	if (outfile_write(&of, text, strlen(text))) {
		r = error("cannot write the obfuscation map '%s': %s", path, strerror(errno));
		outfile_abort(&of);
	} else {
		r = outfile_commit(&of);
	}
out:
	free(text);
	return r;
}

void obf_counts(const struct obf *o, struct buf *b)
{
	static const char *const what[K_NR] = { "host names", "domains", "user names",
		"serial numbers", "MAC addresses", "IPv4 addresses", "IPv6 addresses" };
	int i, any = 0;

	for (i = 0; i < K_NR; i++)
		if (json_object_size(o->map[i])) {
			buf_addf(b, "%s%zu %s", any ? ", " : "", json_object_size(o->map[i]), what[i]);
			any = 1;
		}
	if (!any)
		buf_addstr(b, "nothing to replace");
}
