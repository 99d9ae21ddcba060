/*
 * obfuscate_users.c: the people of a host, learned from what a bundle
 * holds (see obfuscate.h). A sosreport has no etc/passwd; it has
 * lastlog of the UIDs 1000-60000 (sos's login plugin), last, and ps
 * output that names users in one listing and numbers them in another
 * (ps auxwww's USER, ps alxwww's UID, joined by PID). Only accounts with a
 * UID from 1000 on are people: root, daemon or postgres say nothing.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "casefile.h"
#include "obfuscate.h"
#include "obfuscate_state.h"

#define UID_MIN 1000		/* login.defs' UID_MIN on Debian, SUSE and Red Hat */
#define UID_NOBODY 65534
#define FIELDS 8

/* The first FIELDS whitespace-separated fields of the line [p, e). */
static size_t fields(const char *p, const char *e, const char **f, size_t *len)
{
	size_t n = 0;

	while (n < FIELDS) {
		while (p < e && isspace((unsigned char)*p))
			p++;
		if (p >= e)
			break;
		f[n] = p;
		while (p < e && !isspace((unsigned char)*p))
			p++;
		len[n] = (size_t)(p - f[n]);
		n++;
	}
	return n;
}

static int is(const char *f, size_t n, const char *word)
{
	return n == strlen(word) && !memcmp(f, word, n);
}

void obf_learn_passwd(struct obf *o, const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *e = nl ? nl : end;
		const char *c1 = memchr(p, ':', (size_t)(e - p)), *c2, *c3;

		if (c1 && (c2 = memchr(c1 + 1, ':', (size_t)(e - c1 - 1))) &&
		    (c3 = memchr(c2 + 1, ':', (size_t)(e - c2 - 1)))) {
			long uid = strtol(c2 + 1, NULL, 10);

			if (uid >= UID_MIN && uid < UID_NOBODY)
				obf_learn_user(o, p, (size_t)(c1 - p));
		}
		p = e + 1;
	}
}

/* The first word of each line but the header: lastlog -u 1000-60000 lists only people. */
void obf_learn_lastlog(struct obf *o, const char *text, size_t len)
{
	const char *p = text, *end = text + len, *f[FIELDS];
	size_t l[FIELDS];

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *e = nl ? nl : end;

		if (fields(p, e, f, l) && !is(f[0], l[0], "Username"))
			obf_learn_user(o, f[0], l[0]);
		p = e + 1;
	}
}

/*
 * last: the first word, but for last's own entries (util-linux last.c:
 * reboot, shutdown, runlevel; "wtmp begins ..."), and root.
 */
void obf_learn_last(struct obf *o, const char *text, size_t len)
{
	static const char *const not_people[] = { "reboot", "shutdown", "runlevel", "root",
		"wtmp", "btmp", "utmp" };
	const char *p = text, *end = text + len, *f[FIELDS];
	size_t l[FIELDS], i;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *e = nl ? nl : end;

		if (fields(p, e, f, l) >= 3) {
			for (i = 0; i < ARRAY_SIZE(not_people) && !is(f[0], l[0], not_people[i]); i++)
				;
			if (i == ARRAY_SIZE(not_people))
				obf_learn_user(o, f[0], l[0]);
		}
		p = e + 1;
	}
}

/* Users whose PID one listing names and another numbers with a UID of a person. */
static void join(struct obf *o)
{
	const char *pid;
	json_t *name;

	json_object_foreach(o->ps_user, pid, name) {
		json_int_t uid = json_integer_value(json_object_get(o->ps_uid, pid));
		const char *s = json_string_value(name);

		/* ps cuts a long name to 7 characters and a '+': not the name */
		if (uid >= UID_MIN && uid < UID_NOBODY && s[strlen(s) - 1] != '+')
			obf_learn_user(o, s, strlen(s));
	}
}

static int digits(const char *f, size_t n)
{
	size_t i;

	for (i = 0; i < n && isdigit((unsigned char)f[i]); i++)
		;
	return n && i == n;
}

/* ps output: its header says where USER (or UID) and PID are. */
void obf_learn_ps(struct obf *o, const char *text, size_t len)
{
	const char *p = text, *end = text + len, *f[FIELDS];
	const char *nl = memchr(p, '\n', len), *e = nl ? nl : end;
	size_t l[FIELDS], n = fields(p, e, f, l), i, user = FIELDS, pid = FIELDS;

	for (i = 0; i < n; i++) {
		if (is(f[i], l[i], "USER") || is(f[i], l[i], "UID"))
			user = i;
		else if (is(f[i], l[i], "PID"))
			pid = i;
	}
	if (user == FIELDS || pid == FIELDS)
		return;
	for (p = e + 1; p < end && json_object_size(o->ps_user) < 100000; p = e + 1) {
		char key[32];

		nl = memchr(p, '\n', (size_t)(end - p));
		e = nl ? nl : end;
		if (fields(p, e, f, l) <= (user > pid ? user : pid) || !digits(f[pid], l[pid]) ||
		    l[pid] >= sizeof(key))
			continue;
		memcpy(key, f[pid], l[pid]);
		key[l[pid]] = '\0';
		if (digits(f[user], l[user]))
			json_object_set_new(o->ps_uid, key, json_integer(strtoll(f[user], NULL, 10)));
		else if (l[user] < 64)
			json_object_set_new(o->ps_user, key, json_stringn_nocheck(f[user], l[user]));
	}
	join(o);
}

/* Folders named after their user: home/NAME, the mail spool, crontabs. */
void obf_learn_path(struct obf *o, const char *path)
{
	static const char *const by_user[] = { "home/", "var/mail/", "var/spool/mail/",
		"var/spool/cron/crontabs/", "var/spool/cron/tabs/" };
	size_t i, n;

	for (i = 0; i < ARRAY_SIZE(by_user); i++) {
		n = strlen(by_user[i]);
		if (!strncmp(path, by_user[i], n) && path[n]) {
			obf_learn_user(o, path + n, strcspn(path + n, "/"));
			return;
		}
	}
}
