/*
 * upload.c: send a bundle and its .sha256 to the support drop over SFTP
 * (see upload.h). Nothing is sent when either name is taken on the server.
 * Each file goes up as DIR/.NAME.part, its size is checked on the server,
 * then it is renamed: an interrupted upload never leaves a file that looks
 * complete, and what a failed one made is removed again.
 */
#include <errno.h>
#include <fcntl.h>
#include <libssh2.h>
#include <libssh2_sftp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include "casefile.h"
#include "ssh.h"
#include "ssh_session.h"
#include "upload.h"

#define IO_CHUNK 32768
#define MAX_LEFT 4

/* One upload: the session, the folder, and what of ours is on the server. */
struct upload {
	struct ssh_conn *c;
	LIBSSH2_SFTP *sftp;
	const char *dir;
	char *left[MAX_LEFT];	/* made by us and still there: removed if we fail */
	size_t nleft;
	uint64_t fail_after;	/* tests: cut the line after so many bytes */
	struct buf *err;
};

/*
 * Why the last SFTP call failed. The server's status, when it sent one,
 * says more than libssh2's "SFTP Protocol Error"; the codes are those of
 * draft-ietf-secsh-filexfer-02 section 7 and -13 section 9.1 (OpenSSH's
 * sftp-server answers EEXIST and most other errors with SSH_FX_FAILURE).
 */
static const char *sftp_why(const struct upload *u)
{
	if (!u->sftp || libssh2_session_last_errno(u->c->s) != LIBSSH2_ERROR_SFTP_PROTOCOL)
		return ssh_last_error(u->c);
	switch (libssh2_sftp_last_error(u->sftp)) {
	case LIBSSH2_FX_NO_SUCH_FILE:
	case LIBSSH2_FX_NO_SUCH_PATH: return "no such file or folder";
	case LIBSSH2_FX_PERMISSION_DENIED: return "permission denied";
	case LIBSSH2_FX_FILE_ALREADY_EXISTS: return "already exists";
	case LIBSSH2_FX_WRITE_PROTECT: return "read-only file system";
	case LIBSSH2_FX_NO_SPACE_ON_FILESYSTEM: return "no space left on the server";
	case LIBSSH2_FX_QUOTA_EXCEEDED: return "disk quota exceeded";
	case LIBSSH2_FX_NOT_A_DIRECTORY: return "not a folder";
	case LIBSSH2_FX_OP_UNSUPPORTED: return "not supported by the server";
	case LIBSSH2_FX_NO_CONNECTION:
	case LIBSSH2_FX_CONNECTION_LOST: return "connection lost";
	}
	return "the server refused it and gave no reason";
}

/* Did the server say that the path is not there (as opposed to failing)? */
static int sftp_absent(const struct upload *u)
{
	unsigned long e;

	if (libssh2_session_last_errno(u->c->s) != LIBSSH2_ERROR_SFTP_PROTOCOL)
		return 0;
	e = libssh2_sftp_last_error(u->sftp);
	return e == LIBSSH2_FX_NO_SUCH_FILE || e == LIBSSH2_FX_NO_SUCH_PATH;
}

/* lstat (a dangling link takes a name too): 1 there, 0 absent, <0 with err set. */
static int sftp_there(struct upload *u, const char *path, LIBSSH2_SFTP_ATTRIBUTES *a,
		      int follow)
{
	int rc;

	u->c->deadline = now_ms() + 10000;
	SSH_NB(u->c, rc, libssh2_sftp_stat_ex(u->sftp, path, (unsigned)strlen(path),
					      follow ? LIBSSH2_SFTP_STAT : LIBSSH2_SFTP_LSTAT,
					      a));
	if (!rc)
		return 1;
	if (sftp_absent(u))
		return 0;
	buf_addf(u->err, "cannot look at '%s' on %s: %s", path, u->c->t->spec, sftp_why(u));
	return CF_ERR_SSH;
}

static void left_add(struct upload *u, const char *path)
{
	if (u->nleft < MAX_LEFT)
		u->left[u->nleft++] = xstrdup(path);
}

static void left_drop(struct upload *u, size_t i)
{
	free(u->left[i]);
	memmove(&u->left[i], &u->left[i + 1], (u->nleft - i - 1) * sizeof(*u->left));
	u->nleft--;
}

/* The folder must be one, and neither final name may be taken: nothing is replaced. */
static int check_names(struct upload *u, const char *base)
{
	LIBSSH2_SFTP_ATTRIBUTES a;
	struct buf p = BUF_INIT(0);
	int r = sftp_there(u, u->dir, &a, 1), i;

	if (r < 0)
		return r;
	if (!r || ((a.flags & LIBSSH2_SFTP_ATTR_PERMISSIONS) &&
		   !LIBSSH2_SFTP_S_ISDIR(a.permissions))) {
		buf_addf(u->err, r ? "'%s' on %s is not a folder" : "there is no folder '%s' on %s",
			 u->dir, u->c->t->spec);
		return CF_ERR_NOTFOUND;
	}
	for (i = 0, r = 0; i < 2 && !r; i++) {
		buf_reset(&p);
		buf_addf(&p, "%s/%s%s", u->dir, base, i ? ".sha256" : "");
		r = sftp_there(u, p.data, &a, 0);
		if (r > 0) {
			buf_addf(u->err, "'%s' already exists on %s: not replaced", p.data,
				 u->c->t->spec);
			r = CF_ERR_EXISTS;
		}
	}
	buf_release(&p);
	return r;
}

/* Create remote (never over anything) and fill it with local. */
static int sftp_put(struct upload *u, const char *local, const char *remote)
{
	struct ssh_conn *c = u->c;
	LIBSSH2_SFTP_ATTRIBUTES a;
	LIBSSH2_SFTP_HANDLE *h;
	char *chunk;
	uint64_t sent = 0;
	int fd = open(local, O_RDONLY | O_CLOEXEC), rc = 0, cr;
	ssize_t n;

	if (fd < 0) {
		buf_addf(u->err, "cannot open '%s': %s", local, strerror(errno));
		return CF_ERR_IO;
	}
	c->deadline = now_ms() + 30000;
	do {
		h = libssh2_sftp_open(u->sftp, remote, LIBSSH2_FXF_WRITE | LIBSSH2_FXF_CREAT |
				      LIBSSH2_FXF_EXCL, 0600);
	} while (!h && libssh2_session_last_errno(c->s) == LIBSSH2_ERROR_EAGAIN && !ssh_wait(c));
	if (!h) {
		char why[256];

		snprintf(why, sizeof(why), "%s", sftp_why(u));
		if (sftp_there(u, remote, &a, 0) > 0) {
			buf_addf(u->err, "'%s' is already on %s: another upload of this bundle is "
				 "under way, or an interrupted one left it there (then remove it)",
				 remote, c->t->spec);
		} else {
			buf_reset(u->err);	/* only this failure is in it */
			buf_addf(u->err, "cannot create '%s' on %s: %s", remote, c->t->spec, why);
		}
		close(fd);
		return CF_ERR_SSH;
	}
	left_add(u, remote);
	chunk = xmalloc(IO_CHUNK);
	while (!rc && (n = read(fd, chunk, IO_CHUNK)) > 0) {
		ssize_t off = 0;

		if (u->fail_after && sent + (uint64_t)n > u->fail_after)
			shutdown(c->sock, SHUT_RDWR);	/* tests: the line drops */
		while (off < n) {
			ssize_t w;

			c->deadline = now_ms() + 60000;
			SSH_NB(c, w, libssh2_sftp_write(h, chunk + off, (size_t)(n - off)));
			if (w < 0) {
				buf_addf(u->err, "upload to %s failed after %llu bytes: %s",
					 c->t->spec, (unsigned long long)(sent + (uint64_t)off),
					 sftp_why(u));
				rc = CF_ERR_SSH;
				break;
			}
			off += w;
		}
		sent += (uint64_t)off;
	}
	c->deadline = now_ms() + 10000;
	SSH_NB(c, cr, libssh2_sftp_close(h));
	if (cr && !rc) {
		buf_addf(u->err, "closing '%s' on %s failed: %s", remote, c->t->spec, sftp_why(u));
		rc = CF_ERR_SSH;
	}
	close(fd);
	free(chunk);
	return rc;
}

/* Put local as DIR/.NAME.part and check its size there. */
static int put_part(struct upload *u, const char *local, const char *base, struct buf *part)
{
	LIBSSH2_SFTP_ATTRIBUTES a;
	struct stat st;
	int r;

	buf_addf(part, "%s/.%s.part", u->dir, base);
	if (stat(local, &st)) {
		buf_addf(u->err, "cannot open '%s': %s", local, strerror(errno));
		return CF_ERR_IO;
	}
	if ((r = sftp_put(u, local, part->data)))
		return r;
	r = sftp_there(u, part->data, &a, 0);
	if (r < 0)
		return r;
	if (!r || !(a.flags & LIBSSH2_SFTP_ATTR_SIZE) || a.filesize != (uint64_t)st.st_size) {
		buf_addf(u->err, "upload of %s to %s: size %llu on the server, %llu here", base,
			 u->c->t->spec, r ? (unsigned long long)a.filesize : 0ULL,
			 (unsigned long long)st.st_size);
		return CF_ERR_IO;
	}
	return 0;
}

/* .NAME.part to NAME; the server refuses to replace a file (SSH_FXP_RENAME). */
static int put_final(struct upload *u, const char *part, const char *base)
{
	struct buf dst = BUF_INIT(0);
	size_t i;
	int rc;

	buf_addf(&dst, "%s/%s", u->dir, base);
	u->c->deadline = now_ms() + 10000;
	SSH_NB(u->c, rc, libssh2_sftp_rename_ex(u->sftp, part, (unsigned)strlen(part), dst.data,
						(unsigned)strlen(dst.data),
						LIBSSH2_SFTP_RENAME_ATOMIC |
						LIBSSH2_SFTP_RENAME_NATIVE));
	if (rc) {
		buf_addf(u->err, "cannot rename '%s' to '%s' on %s: %s", part, dst.data,
			 u->c->t->spec, sftp_why(u));
	} else {
		for (i = 0; i < u->nleft; i++)
			if (!strcmp(u->left[i], part)) {
				free(u->left[i]);
				u->left[i] = buf_detach(&dst, NULL);
			}
	}
	buf_release(&dst);
	return rc ? CF_ERR_SSH : 0;
}

static int sftp_start(struct upload *u)
{
	u->c->deadline = now_ms() + 30000;
	do {
		u->sftp = libssh2_sftp_init(u->c->s);
	} while (!u->sftp && libssh2_session_last_errno(u->c->s) == LIBSSH2_ERROR_EAGAIN &&
		 !ssh_wait(u->c));
	return u->sftp ? 0 : CF_ERR_SSH;
}

static void sftp_stop(struct upload *u)
{
	int rc;

	if (!u->sftp)
		return;
	u->c->deadline = now_ms() + 5000;
	SSH_NB(u->c, rc, libssh2_sftp_shutdown(u->sftp));
	u->sftp = NULL;
}

/* The bundle and its .sha256 as parts, then their final names: the .sha256 last. */
static int sftp_upload(struct upload *u, const char *local_path)
{
	const char *base = strrchr(local_path, '/') ? strrchr(local_path, '/') + 1 : local_path;
	struct buf sum = BUF_INIT(0), sbase = BUF_INIT(0), bpart = BUF_INIT(0),
		   spart = BUF_INIT(0);
	struct stat st;
	int r, with_sum;

	if (sftp_start(u)) {
		buf_addf(u->err, "%s: cannot start SFTP: %s", u->c->t->spec, ssh_last_error(u->c));
		return CF_ERR_SSH;
	}
	buf_addf(&sum, "%s.sha256", local_path);
	buf_addf(&sbase, "%s.sha256", base);
	with_sum = !stat(sum.data, &st);
	r = check_names(u, base);
	if (!r)
		r = put_part(u, local_path, base, &bpart);
	if (!r && with_sum)
		r = put_part(u, sum.data, sbase.data, &spart);
	if (!r)
		r = put_final(u, bpart.data, base);
	if (!r && with_sum)
		r = put_final(u, spart.data, sbase.data);
	while (!r && u->nleft)
		left_drop(u, 0);	/* all in place: ours to keep */
	buf_release(&sum);
	buf_release(&sbase);
	buf_release(&bpart);
	buf_release(&spart);
	return r;
}

/* Remove what we made on the session we have; what it cannot, stays in u->left. */
static void remove_left(struct upload *u)
{
	size_t i = 0;
	int rc;

	if (!u->sftp && sftp_start(u))
		return;
	while (i < u->nleft) {
		u->c->deadline = now_ms() + 10000;
		SSH_NB(u->c, rc, libssh2_sftp_unlink(u->sftp, u->left[i]));
		if (!rc || sftp_absent(u))
			left_drop(u, i);
		else
			i++;
	}
}

/*
 * After a failure nothing of ours may stay: on this connection if it still
 * works, else on a new one (the line may be what failed); what remains is
 * named, for the user to remove.
 */
static void clean_up(struct upload *u, const struct ssh_target *t, const struct ssh_opts *o)
{
	struct buf err = BUF_INIT(0);
	size_t i;

	remove_left(u);
	if (u->nleft) {
		sftp_stop(u);
		ssh_close(u->c);
		u->c = NULL;
		if (!ssh_connect(&u->c, t, o, &err))
			remove_left(u);
	}
	for (i = 0; i < u->nleft; i++)
		error("'%s' is left on %s and could not be removed: remove it by hand%s%s",
		      u->left[i], t->spec, err.len ? ": " : "", err.data);
	while (u->nleft)
		left_drop(u, 0);
	buf_release(&err);
}

/*
 * sftp://[USER@]HOST[:PORT]/DIR into a target (through OpenSSH's
 * configuration when o is given) and a directory; on
 * CF_ERR_USAGE err says why and nothing needs releasing.
 */
static int parse_url(const char *url, const struct ssh_opts *o, struct ssh_target *t,
		     char **dir, struct buf *err)
{
	const char *p, *slash;
	char *spec;
	int r;

	*dir = NULL;
	memset(t, 0, sizeof(*t));
	if (strncmp(url, "sftp://", 7)) {
		buf_addf(err, "'%s' is not an upload URL: it must start with sftp://", url);
		return CF_ERR_USAGE;
	}
	p = url + 7;
	slash = strchr(p, '/');
	spec = slash ? xstrndup(p, (size_t)(slash - p)) : xstrdup(p);
	r = o ? ssh_resolve(spec, o, t, err) : ssh_parse_target(spec, t, err);
	free(spec);
	if (r)
		return r;
	*dir = xstrdup(slash && slash[1] ? slash : ".");
	return 0;
}

int upload_check_url(const char *url, const char *what)
{
	struct ssh_target t;
	struct buf err = BUF_INIT(0);
	char *dir = NULL;
	int r = parse_url(url, NULL, &t, &dir, &err);

	if (r) {
		error("%s%s", what, err.data);
	} else {
		ssh_target_release(&t);
		free(dir);
	}
	buf_release(&err);
	return r;
}

int upload_bundle(const char *bundle, const char *url, const struct ssh_opts *o)
{
	struct ssh_target t;
	struct upload u;
	struct buf err = BUF_INIT(0);
	const char *fail = getenv("CASEFILE_TEST_UPLOAD_FAIL_AFTER");
	char *dir = NULL;
	int r;

	memset(&u, 0, sizeof(u));
	u.err = &err;
	u.fail_after = fail ? strtoull(fail, NULL, 10) : 0;
	r = parse_url(url, o, &t, &dir, &err);
	if (!r)
		r = ssh_connect(&u.c, &t, o, &err);
	if (!r) {
		u.dir = dir;
		r = sftp_upload(&u, bundle);
	}
	if (r)
		error("upload of %s: %s", bundle, err.data);
	else
		cf_note("uploaded %s to %s", bundle, url);
	if (u.nleft)
		clean_up(&u, &t, o);
	sftp_stop(&u);
	ssh_close(u.c);
	ssh_target_release(&t);
	free(dir);
	buf_release(&err);
	return r;
}
