/*
 * upload.c: send a bundle and its .sha256 to the support drop over SFTP
 * (see upload.h). Each file goes up as DIR/.NAME.part, its size is checked
 * on the server, then it is renamed: an interrupted upload never leaves a
 * file that looks complete.
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

static int sftp_put(struct ssh_conn *c, LIBSSH2_SFTP *sftp, const char *local,
		    const char *remote, uint64_t fail_after, struct buf *err)
{
	LIBSSH2_SFTP_HANDLE *h;
	char *chunk = xmalloc(IO_CHUNK);
	uint64_t sent = 0;
	int fd = open(local, O_RDONLY | O_CLOEXEC), rc = 0;
	ssize_t n;

	if (fd < 0) {
		buf_addf(err, "cannot open '%s': %s", local, strerror(errno));
		free(chunk);
		return CF_ERR_IO;
	}
	do {
		h = libssh2_sftp_open(sftp, remote, LIBSSH2_FXF_WRITE | LIBSSH2_FXF_CREAT |
				      LIBSSH2_FXF_EXCL, 0600);
	} while (!h && libssh2_session_last_errno(c->s) == LIBSSH2_ERROR_EAGAIN && !ssh_wait(c));
	if (!h) {
		buf_addf(err, "cannot create '%s' on %s: %s", remote, c->t->spec, ssh_last_error(c));
		close(fd);
		free(chunk);
		return CF_ERR_SSH;
	}
	while (!rc && (n = read(fd, chunk, IO_CHUNK)) > 0) {
		ssize_t off = 0;

		if (fail_after && sent + (uint64_t)n > fail_after) {
			/* tests: the line drops in the middle of the upload */
			shutdown(c->sock, SHUT_RDWR);
		}
		while (off < n) {
			ssize_t w;

			c->deadline = now_ms() + 60000;
			SSH_NB(c, w, libssh2_sftp_write(h, chunk + off, (size_t)(n - off)));
			if (w < 0) {
				buf_addf(err, "upload to %s failed after %llu bytes: %s", c->t->spec,
					 (unsigned long long)(sent + (uint64_t)off), ssh_last_error(c));
				rc = CF_ERR_SSH;
				break;
			}
			off += w;
		}
		sent += (uint64_t)off;
	}
	{
		int cr;

		c->deadline = now_ms() + 10000;
		SSH_NB(c, cr, libssh2_sftp_close(h));
		if (cr && !rc) {
			buf_addf(err, "closing '%s' on %s failed: %s", remote, c->t->spec,
				 ssh_last_error(c));
			rc = CF_ERR_SSH;
		}
	}
	close(fd);
	free(chunk);
	return rc;
}

static int sftp_size(struct ssh_conn *c, LIBSSH2_SFTP *sftp, const char *path, uint64_t *size)
{
	LIBSSH2_SFTP_ATTRIBUTES a;
	int rc;

	SSH_NB(c, rc, libssh2_sftp_stat(sftp, path, &a));
	if (rc || !(a.flags & LIBSSH2_SFTP_ATTR_SIZE))
		return CF_ERR_SSH;
	*size = a.filesize;
	return 0;
}

static int sftp_rename(struct ssh_conn *c, LIBSSH2_SFTP *sftp, const char *from, const char *to)
{
	int rc;

	SSH_NB(c, rc, libssh2_sftp_rename_ex(sftp, from, (unsigned)strlen(from), to,
					 (unsigned)strlen(to), LIBSSH2_SFTP_RENAME_ATOMIC |
					 LIBSSH2_SFTP_RENAME_NATIVE));
	return rc ? CF_ERR_SSH : 0;
}

/* Put one file as DIR/.NAME.part, check its size, rename to DIR/NAME. */
static int upload_one(struct ssh_conn *c, LIBSSH2_SFTP *sftp, const char *local,
		      const char *dir, uint64_t fail_after, struct buf *err)
{
	const char *base = strrchr(local, '/') ? strrchr(local, '/') + 1 : local;
	struct buf tmp = BUF_INIT(0), dst = BUF_INIT(0);
	struct stat st;
	uint64_t size = 0;
	int r;

	buf_addf(&tmp, "%s/.%s.part", dir, base);
	buf_addf(&dst, "%s/%s", dir, base);
	if (stat(local, &st)) {
		buf_addf(err, "cannot open '%s': %s", local, strerror(errno));
		r = CF_ERR_IO;
		goto out;
	}
	r = sftp_put(c, sftp, local, tmp.data, fail_after, err);
	if (r)
		goto out;
	c->deadline = now_ms() + 10000;
	if (sftp_size(c, sftp, tmp.data, &size) || size != (uint64_t)st.st_size) {
		buf_addf(err, "upload of %s to %s: size %llu on the server, %llu here; left as %s",
			 base, c->t->spec, (unsigned long long)size,
			 (unsigned long long)st.st_size, tmp.data);
		r = CF_ERR_IO;
		goto out;
	}
	if (sftp_rename(c, sftp, tmp.data, dst.data)) {
		buf_addf(err, "cannot rename %s to %s on %s (does it exist already?): %s",
			 tmp.data, dst.data, c->t->spec, ssh_last_error(c));
		r = CF_ERR_SSH;
	}
out:
	buf_release(&tmp);
	buf_release(&dst);
	return r;
}

static int sftp_upload(struct ssh_conn *c, const char *local_path, const char *remote_dir,
		       uint64_t fail_after, struct buf *err)
{
	struct buf sum = BUF_INIT(0);
	LIBSSH2_SFTP *sftp;
	struct stat st;
	int r;

	c->deadline = now_ms() + 30000;
	do {
		sftp = libssh2_sftp_init(c->s);
	} while (!sftp && libssh2_session_last_errno(c->s) == LIBSSH2_ERROR_EAGAIN &&
		 !ssh_wait(c));
	if (!sftp) {
		buf_addf(err, "%s: cannot start SFTP: %s", c->t->spec, ssh_last_error(c));
		return CF_ERR_SSH;
	}
	/* the bundle first: its .sha256 beside it then says it is complete */
	r = upload_one(c, sftp, local_path, remote_dir, fail_after, err);
	buf_addf(&sum, "%s.sha256", local_path);
	if (!r && !stat(sum.data, &st))
		r = upload_one(c, sftp, sum.data, remote_dir, 0, err);
	{
		int rc;

		c->deadline = now_ms() + 5000;
		SSH_NB(c, rc, libssh2_sftp_shutdown(sftp));
	}
	buf_release(&sum);
	return r;
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
	struct ssh_conn *c = NULL;
	struct buf err = BUF_INIT(0);
	const char *fail = getenv("CASEFILE_TEST_UPLOAD_FAIL_AFTER");
	char *dir = NULL;
	int r;

	r = parse_url(url, o, &t, &dir, &err);
	if (!r)
		r = ssh_connect(&c, &t, o, &err);
	if (!r)
		r = sftp_upload(c, bundle, dir, fail ? strtoull(fail, NULL, 10) : 0, &err);
	if (r)
		error("upload of %s: %s", bundle, err.data);
	else
		cf_note("uploaded %s to %s", bundle, url);
	ssh_close(c);
	ssh_target_release(&t);
	free(dir);
	buf_release(&err);
	return r;
}
