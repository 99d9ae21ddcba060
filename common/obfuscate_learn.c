/*
 * obfuscate_learn.c: what the obfuscator learns before it cleans (see
 * obfuscate.h): host names from hostname, uname, etc/hosts, syslog's host
 * field, a supportconfig's sections, summary.xml and folder name; which
 * file teaches what (users: obfuscate_users.c); the tokens of a saved map.
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

static const char *base_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
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

/* supportconfig's summary.xml (supportconfig.rc, write_xml_file): <hostname>NAME</hostname> */
static void learn_summary(struct obf *o, const char *text, size_t len)
{
	const char *p = memmem(text, len, "<hostname>", 10), *e;

	if (p && (e = memmem(p + 10, len - (size_t)(p + 10 - text), "</hostname>", 11)))
		obf_learn_host(o, p + 10, (size_t)(e - p - 10));
}

enum teaches { T_NONE, T_HOSTNAME, T_UNAME, T_HOSTS, T_PASSWD, T_SYSLOG, T_LASTLOG, T_LAST,
	T_PS, T_SECTIONS, T_SUMMARY };

/*
 * sos's "lastlog -u 1000-60000" (plugins/login.py): a range of UIDs within
 * login.defs' UID_MIN-UID_MAX (1000-60000) is people.
 */
static int people_lastlog(const char *base)
{
	char *dash;
	long from, to;

	if (strncmp(base, "lastlog_-u_", 11))
		return 0;
	from = strtol(base + 11, &dash, 10);
	to = *dash == '-' ? strtol(dash + 1, NULL, 10) : from;
	return from >= 1000 && to <= 60000 && from <= to;
}

/* What a file teaches, by its path (or a supportconfig section, by its label). */
static enum teaches teaches(const char *path)
{
	const char *base = base_of(path);

	if (ends_with(path, "hostname") || ends_with(path, "hostname_-f") ||
	    ends_with(path, "etc/HOSTNAME"))
		return T_HOSTNAME;
	if (ends_with(path, "uname") || ends_with(path, "uname_-a"))
		return T_UNAME;
	if (ends_with(path, "etc/hosts"))
		return T_HOSTS;
	if (ends_with(path, "etc/passwd") || ends_with(path, "getent_passwd"))
		return T_PASSWD;
	if (people_lastlog(base))
		return T_LASTLOG;
	if (!strcmp(base, "last"))
		return T_LAST;
	if (!strcmp(base, "ps") || !strncmp(base, "ps_", 3))
		return T_PS;
	if (!strchr(path, '/') && strlen(path) > 4 && !strcmp(path + strlen(path) - 4, ".txt"))
		return T_SECTIONS;
	if (!strcmp(path, "summary.xml"))
		return T_SUMMARY;
	if (strstr(path, "messages") || strstr(path, "syslog") || strstr(path, "journal"))
		return T_SYSLOG;
	return T_NONE;
}

int obf_learns_from(const char *path)
{
	return teaches(path) != T_NONE;
}

/*
 * A supportconfig label as a path teaches() knows: "# /bin/uname -a" is
 * uname_-a, "# /etc/hosts - File not found" etc/hosts, "# getent passwd"
 * getent_passwd (supportconfig.rc: log_cmd and conf_files write them).
 */
static void label_path(const char *s, size_t n, struct buf *out)
{
	const char *e = memmem(s, n, " - ", 3);
	size_t i, first;

	buf_reset(out);
	if (n < 3 || s[0] != '#' || s[1] != ' ')
		return;
	s += 2;
	n = (e ? (size_t)(e - s) : n - 2);
	first = strcspn(s, " ");
	if (first > n)
		first = n;
	if (*s == '/' && first == n) {
		buf_add(out, s + 1, n - 1);	/* a file */
		return;
	}
	for (i = first; i && s[i - 1] != '/'; i--)
		;
	for (; i < n; i++)	/* a command: its program's name, '_' for spaces */
		buf_addch(out, s[i] == ' ' ? '_' : s[i]);
}

/* The section [from, to) under label, taught by what the label says it is. */
static void learn_section(struct obf *o, const struct buf *label, const char *from,
			  const char *to)
{
	if (from && from < to && label->len && teaches(label->data) != T_SECTIONS)
		obf_learn_text(o, label->data, from, (size_t)(to - from));
}

/* Each section of a supportconfig file: a banner line, a label line, its lines. */
static void learn_sections(struct obf *o, const char *text, size_t len)
{
	const char *p = text, *end = text + len, *from = NULL, *nl, *e;
	struct buf label = BUF_INIT(4096);

	for (; p < end; p = e + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		e = nl ? nl : end;
		if (e - p < 4 || memcmp(p, "#==[", 4))
			continue;
		learn_section(o, &label, from, p);
		from = NULL;
		if ((p = e + 1) >= end)
			break;
		nl = memchr(p, '\n', (size_t)(end - p));
		e = nl ? nl : end;
		label_path(p, (size_t)(e - p), &label);
		from = e < end ? e + 1 : end;
	}
	learn_section(o, &label, from, end);
	buf_release(&label);
}

void obf_learn_text(struct obf *o, const char *path, const char *text, size_t len)
{
	switch (teaches(path)) {
	case T_HOSTNAME: learn_lines(o, text, len, FIRST); break;
	case T_UNAME: learn_lines(o, text, len, SECOND); break;
	case T_HOSTS: learn_lines(o, text, len, ALL_BUT_FIRST); break;
	case T_PASSWD: obf_learn_passwd(o, text, len); break;
	case T_SYSLOG: learn_syslog(o, text, len); break;
	case T_LASTLOG: obf_learn_lastlog(o, text, len); break;
	case T_LAST: obf_learn_last(o, text, len); break;
	case T_PS: obf_learn_ps(o, text, len); break;
	case T_SECTIONS: learn_sections(o, text, len); break;
	case T_SUMMARY: learn_summary(o, text, len); break;
	case T_NONE: break;
	}
}

/*
 * supportconfig names its folder scc_HOST_YYMMDD_HHMM (supportconfig.rc:
 * BASE=%B, %s_%d_%t; the older nts_ prefix too).
 */
void obf_learn_folder(struct obf *o, const char *name)
{
	size_t n = strlen(name), k, d;

	if (n < 17 || (strncmp(name, "scc_", 4) && strncmp(name, "nts_", 4)))
		return;
	for (k = 0; k < 2; k++) {
		for (d = n; d && isdigit((unsigned char)name[d - 1]); d--)
			;
		if (n - d != (k ? 6u : 4u) || !d || name[d - 1] != '_')
			return;
		n = d - 1;
	}
	if (n > 4)
		obf_learn_host(o, name + 4, n - 4);
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
