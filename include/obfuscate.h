/*
 * obfuscate.h: host names, domains, addresses, MACs, user names and serial
 * numbers replaced by stable tokens, like sos clean and supportutils-scrub,
 * so a bundle can leave the customer without saying whose it is and the
 * report still reads coherently.
 *
 * Tokens: host0, host1 ...; domain0.example ...; IPv4 addresses keep their
 * last octet and their /24 (every address of one /24 lands in one
 * 10.254.K.0/24, so "same subnet" survives); IPv6 keeps its /64 the same
 * way (2001:db8:K::N, the documentation prefix); MACs become
 * 00:00:00:00:00:01 ...; users user0 ...; serials serial0 .... Loopback,
 * unspecified and broadcast addresses and netmasks are kept.
 *
 * Host names, users and serials are literals learned before (the host's
 * name, /etc/hosts, passwd, syslog's host field) or while cleaning ("Serial
 * Number: X" lines); addresses and MACs are found by their shape. The map
 * from tokens to real values is JSON the customer keeps (obf_map_save:
 * mode 0600, never inside the bundle); loading it first gives a later
 * collection the same tokens.
 */
#ifndef OBFUSCATE_H
#define OBFUSCATE_H

#include <stddef.h>
#include "buf.h"

struct obf;

struct obf *obf_new(void);
void obf_free(struct obf *o);

/* Load a map written by obf_map_save (its tokens are kept); 0 or an error printed. */
int obf_map_load(struct obf *o, const char *path);
/* Write the map: mode 0600, created anew (never through a link); 0 or an error printed. */
int obf_map_save(const struct obf *o, const char *path);

/* Learn a host name (an FQDN also teaches its domain). */
void obf_learn_host(struct obf *o, const char *name, size_t len);
void obf_learn_user(struct obf *o, const char *name, size_t len);
/*
 * Learn from a file's text by what it is: host names from etc/hostname,
 * hostname, uname, etc/hosts, syslog lines' host field and a
 * supportconfig's summary.xml; users (UID 1000 and up) from etc/passwd,
 * sos's lastlog of UIDs 1000-60000, last, and ps listings (a user named in
 * one and numbered in another, joined by PID); a supportconfig's *.txt
 * section by section, each by its label (uname -a, hostname, /etc/hosts,
 * /etc/passwd, getent passwd, ps, /var/log/messages).
 */
void obf_learn_text(struct obf *o, const char *path, const char *text, size_t len);
/* Does obf_learn_text learn anything from a file at this path? */
int obf_learns_from(const char *path);
/* Learn from a member's path: users whose folder it is in (home/NAME, mail, crontabs). */
void obf_learn_path(struct obf *o, const char *path);
/* Learn from the bundle's folder name: a supportconfig's scc_HOST_YYMMDD_HHMM. */
void obf_learn_folder(struct obf *o, const char *name);

/* The token of a host name (learning it), e.g. for a bundle's name. */
const char *obf_host_token(struct obf *o, const char *name);

/*
 * A file or folder name with the learned host and user names replaced where
 * they stand between '-', '_', '.', '/' or the ends ("sosreport-db1-2026"
 * gives "sosreport-host0-2026"). The caller frees it.
 */
char *obf_name(struct obf *o, const char *name);

/*
 * Append text[0..len) with every value replaced to out. Returns the number
 * of replacements. Lines keep their number.
 */
long obf_chunk(struct obf *o, const char *text, size_t len, struct buf *out);

/* The distinct values that have a token, by kind ("3 host names, ..."). */
void obf_counts(const struct obf *o, struct buf *b);

#endif
