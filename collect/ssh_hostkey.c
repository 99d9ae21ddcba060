/*
 * ssh_hostkey.c: the target's host key against OpenSSH's known_hosts files
 * (see ssh.h): a match goes on, a changed key is refused, an unknown one is
 * refused unless --accept-new-host-keys or the configuration's
 * StrictHostKeyChecking accept-new (or no) says to record it, as ssh would:
 * in the first user file, hashed when HashKnownHosts says so.
 */
#include <errno.h>
#include <fcntl.h>
#include <libssh2.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "casefile.h"
#include "outfile.h"
#include "ssh.h"
#include "ssh_session.h"
#include "text.h"

#define SHA1_LEN 20	/* HashKnownHosts: HMAC-SHA1, a salt of its size (OpenSSH hostfile.c) */

static void b64(const unsigned char *p, size_t n, char *out)
{
	EVP_EncodeBlock((unsigned char *)out, p, (int)n);
}

static void fingerprint(struct ssh_conn *c, char *out, size_t n)
{
	const char *h = libssh2_hostkey_hash(c->s, LIBSSH2_HOSTKEY_HASH_SHA256);
	char enc[64];
	size_t len;

	if (!h) {
		snprintf(out, n, "(unknown)");
		return;
	}
	b64((const unsigned char *)h, 32, enc);
	len = strlen(enc);
	while (len > 0 && enc[len - 1] == '=')
		len--;
	snprintf(out, n, "SHA256:%.*s", (int)len, enc);
}

/* libssh2's host key type as known_hosts has it: its bit and its name. */
static int key_bits(int type, const char **name)
{
	switch (type) {
	case LIBSSH2_HOSTKEY_TYPE_RSA:
		*name = "ssh-rsa";
		return LIBSSH2_KNOWNHOST_KEY_SSHRSA;
	case LIBSSH2_HOSTKEY_TYPE_DSS:
		*name = "ssh-dss";
		return LIBSSH2_KNOWNHOST_KEY_SSHDSS;
	case LIBSSH2_HOSTKEY_TYPE_ECDSA_256:
		*name = "ecdsa-sha2-nistp256";
		return LIBSSH2_KNOWNHOST_KEY_ECDSA_256;
	case LIBSSH2_HOSTKEY_TYPE_ECDSA_384:
		*name = "ecdsa-sha2-nistp384";
		return LIBSSH2_KNOWNHOST_KEY_ECDSA_384;
	case LIBSSH2_HOSTKEY_TYPE_ECDSA_521:
		*name = "ecdsa-sha2-nistp521";
		return LIBSSH2_KNOWNHOST_KEY_ECDSA_521;
	case LIBSSH2_HOSTKEY_TYPE_ED25519:
		*name = "ssh-ed25519";
		return LIBSSH2_KNOWNHOST_KEY_ED25519;
	}
	*name = "unknown";
	return LIBSSH2_KNOWNHOST_KEY_UNKNOWN;
}

/*
 * The known_hosts files, as ssh reads them: --known-hosts alone when given,
 * else the configured user and global files; path is where new keys go.
 */
static void read_known_hosts(LIBSSH2_KNOWNHOSTS *kh, const struct ssh_target *t,
			     const struct ssh_opts *o, struct buf *path)
{
	char *const *v;

	if (o->known_hosts)
		buf_addstr(path, o->known_hosts);
	else if (t->known_hosts && t->known_hosts[0])
		buf_addstr(path, t->known_hosts[0]);
	else
		buf_addf(path, "%s/.ssh/known_hosts", getenv("HOME") ? getenv("HOME") : "/root");
	libssh2_knownhost_readfile(kh, path->data, LIBSSH2_KNOWNHOST_FILE_OPENSSH);
	if (o->known_hosts)
		return;
	for (v = t->known_hosts; v && *v; v++)
		if (v != t->known_hosts)
			libssh2_knownhost_readfile(kh, *v, LIBSSH2_KNOWNHOST_FILE_OPENSSH);
	for (v = t->global_known; v && *v; v++)
		libssh2_knownhost_readfile(kh, *v, LIBSSH2_KNOWNHOST_FILE_OPENSSH);
}

/*
 * The host's name in known_hosts: [host]:port off port 22 (sshd(8)
 * SSH_KNOWN_HOSTS FILE FORMAT); a HostKeyAlias as it is, without the port
 * (OpenSSH sshconnect.c get_hostfile_hostname_ipaddr()).
 */
static void known_name(const struct ssh_target *t, struct buf *name)
{
	if (t->key_name)
		buf_addstr(name, t->key_name);
	else if (t->port != 22)
		buf_addf(name, "[%s]:%d", t->host, t->port);
	else
		buf_addstr(name, t->host);
}

/* Why an unknown key may be recorded, or NULL when it may not. */
static const char *accept_reason(const struct ssh_target *t, const struct ssh_opts *o)
{
	if (o->accept_new)
		return "--accept-new-host-keys";
	/* ssh -G prints StrictHostKeyChecking no as "false" (readconf.c fmt_intarg) */
	if (t->strict && !strcmp(t->strict, "accept-new"))
		return "StrictHostKeyChecking accept-new";
	if (t->strict && !strcmp(t->strict, "false"))
		return "StrictHostKeyChecking no";
	return NULL;
}

/*
 * The new entry: the name, or with HashKnownHosts "|1|SALT|HASH" (OpenSSH
 * hostfile.c host_hash(): HMAC-SHA1 of the name keyed by a random salt).
 */
static int add_entry(LIBSSH2_KNOWNHOSTS *kh, const struct ssh_target *t, const char *key,
		     size_t len, int bits, struct libssh2_knownhost **added)
{
	struct buf name = BUF_INIT(0);
	unsigned char salt[SHA1_LEN], mac[EVP_MAX_MD_SIZE];
	char salt64[64], mac64[64];
	unsigned maclen = 0;
	int r;

	known_name(t, &name);
	if (!t->hash_known) {
		r = libssh2_knownhost_addc(kh, name.data, NULL, key, len, NULL, 0,
					   LIBSSH2_KNOWNHOST_TYPE_PLAIN |
					   LIBSSH2_KNOWNHOST_KEYENC_RAW | bits, added);
	} else if (RAND_bytes(salt, sizeof(salt)) != 1 ||
		   !HMAC(EVP_sha1(), salt, sizeof(salt), (const unsigned char *)name.data,
			 name.len, mac, &maclen) || maclen != SHA1_LEN) {
		r = -1;
	} else {
		b64(salt, sizeof(salt), salt64);
		b64(mac, maclen, mac64);
		r = libssh2_knownhost_addc(kh, mac64, salt64, key, len, NULL, 0,
					   LIBSSH2_KNOWNHOST_TYPE_SHA1 |
					   LIBSSH2_KNOWNHOST_KEYENC_RAW | bits, added);
	}
	buf_release(&name);
	return r;
}

/* A file not ending in a newline gets one first, so the entry is a line of its own. */
static int needs_newline(int fd)
{
	struct stat st;
	char last = '\n', proc[64];
	int rfd;

	if (fstat(fd, &st) || st.st_size <= 0)
		return 0;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	rfd = open(proc, O_RDONLY | O_CLOEXEC);
	if (rfd < 0)
		return 0;
	if (pread(rfd, &last, 1, st.st_size - 1) != 1)
		last = '\n';
	close(rfd);
	return last != '\n';
}

/* Append the entry's one line: never rewrite lines we did not parse. */
static int append_line(LIBSSH2_KNOWNHOSTS *kh, struct libssh2_knownhost *added,
		       const char *path, struct buf *why)
{
	char line[8192];
	size_t n = 0;
	int fd, r = 0;

	if (libssh2_knownhost_writeline(kh, added, line, sizeof(line), &n,
					LIBSSH2_KNOWNHOST_FILE_OPENSSH))
		return buf_addstr(why, "cannot write the host key as a known_hosts line"),
		       CF_ERR_IO;
	if ((fd = outfile_append(path, why)) < 0)
		return CF_ERR_IO;
	if ((needs_newline(fd) && write(fd, "\n", 1) != 1) ||
	    write(fd, line, n) != (ssize_t)n) {
		buf_addf(why, "cannot write %s: %s", path, strerror(errno));
		r = CF_ERR_IO;
	}
	close(fd);
	return r;
}

/* An unknown key, recorded: one line says which, where and why. */
static int record(struct ssh_conn *c, const struct ssh_opts *o, LIBSSH2_KNOWNHOSTS *kh,
		  const char *key, size_t len, int type, const char *path, const char *fp,
		  struct buf *err)
{
	struct libssh2_knownhost *added = NULL;
	struct buf why = BUF_INIT(0), note = BUF_INIT(0);
	const char *tname;
	int bits = key_bits(type, &tname), r = 0;

	if (add_entry(kh, c->t, key, len, bits, &added)) {
		buf_addf(err, "%s: cannot record the host key", c->t->spec);
		r = CF_ERR_SSH;
	} else if ((r = append_line(kh, added, path, &why))) {
		buf_addf(err, "%s: %s", c->t->spec, why.data);
	} else {
		buf_addf(&note, "%s: new host key %s %s recorded in %s (%s)", c->t->spec, tname,
			 fp, path, accept_reason(c->t, o));
		if (o->on_note)
			o->on_note(o->note_ctx, note.data);
		else
			warning("%s", note.data);
	}
	buf_release(&why);
	buf_release(&note);
	return r;
}

int ssh_hostkey_check(struct ssh_conn *c, const struct ssh_opts *o, struct buf *err)
{
	LIBSSH2_KNOWNHOSTS *kh = libssh2_knownhost_init(c->s);
	struct libssh2_knownhost *found = NULL;
	struct buf path = BUF_INIT(0), name = BUF_INIT(0);
	const char *key_host = c->t->key_name ? c->t->key_name : c->t->host, *key, *tname;
	size_t len;
	int type, check, r = 0;
	char fp[80];

	key = libssh2_session_hostkey(c->s, &len, &type);
	if (!kh || !key) {
		buf_addf(err, "%s: no host key from the server", c->t->spec);
		r = CF_ERR_SSH;
		goto out;
	}
	fingerprint(c, fp, sizeof(fp));
	read_known_hosts(kh, c->t, o, &path);
	check = libssh2_knownhost_checkp(kh, key_host, c->t->key_name ? -1 : c->t->port, key, len,
					 LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW |
					 key_bits(type, &tname), &found);
	if (check == LIBSSH2_KNOWNHOST_CHECK_MATCH)
		goto out;
	r = CF_ERR_SSH;
	if (check == LIBSSH2_KNOWNHOST_CHECK_MISMATCH) {
		buf_addf(err, "%s: WARNING: the host key has CHANGED (now %s); this may be an "
			 "attack or a reinstalled host. Refused. Check the key with its owner, "
			 "then remove the old one: ssh-keygen -R ", c->t->spec, fp);
		known_name(c->t, &name);
		text_sh_quote(err, name.data);
		buf_addstr(err, " -f ");
		text_sh_quote(err, path.data);
	} else if (!accept_reason(c->t, o)) {
		buf_addf(err, "%s: unknown host key %s; not in %s. Refused: verify it and add "
			 "it, or use --accept-new-host-keys (or StrictHostKeyChecking accept-new)",
			 c->t->spec, fp, path.data);
	} else {
		r = record(c, o, kh, key, len, type, path.data, fp, err);
	}
out:
	if (kh)
		libssh2_knownhost_free(kh);
	buf_release(&path);
	buf_release(&name);
	return r;
}
