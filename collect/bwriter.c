/*
 * bwriter.c: the bundle as a tar.gz stream through libarchive.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "buf.h"
#include "bwriter.h"
#include "casefile.h"

/* n bytes of the compressed stream to the file (or the pipe), hashed as they go; 0 or CF_ERR_IO */
static int write_out(struct bwriter *w, const char *p, size_t n)
{
	size_t left = n;

	while (left) {
		ssize_t k = write(w->fd, p, left);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			return CF_ERR_IO;
		}
		sha256_update(&w->hash, p, (size_t)k);
		p += k;
		left -= (size_t)k;
	}
	w->compressed += n;
	return 0;
}

static la_ssize_t write_cb(struct archive *a, void *data, const void *buf, size_t n)
{
	struct bwriter *w = data;

	if (write_out(w, buf, n)) {
		archive_set_error(a, errno, "cannot write '%s': %s", w->part_path,
				  strerror(errno));
		return -1;
	}
	return (la_ssize_t)n;
}

static int close_cb(struct archive *a, void *data)
{
	(void)a;
	(void)data;
	return ARCHIVE_OK;
}

/* The digest of what goes out (its .sha256), once per writer. */
static int start_hash(struct bwriter *w)
{
	if (w->hash.ctx || !sha256_init(&w->hash))
		return 0;
	bwriter_abort(w);
	return error("cannot start a SHA-256 digest (OpenSSL)");
}

/* The tar.gz writer on w->fd. */
static int start_archive(struct bwriter *w)
{
	int r = start_hash(w);

	if (r)
		return r;
	w->a = archive_write_new();
	if (!w->a ||
	    archive_write_set_format_pax_restricted(w->a) != ARCHIVE_OK ||
	    archive_write_add_filter_gzip(w->a) != ARCHIVE_OK ||
	    archive_write_set_filter_option(w->a, "gzip", "compression-level", "6") != ARCHIVE_OK ||
	    archive_write_set_bytes_in_last_block(w->a, 1) != ARCHIVE_OK ||
	    archive_write_open2(w->a, w, NULL, write_cb, close_cb, NULL) != ARCHIVE_OK) {
		error("cannot start the archive '%s': %s", w->part_path,
		      w->a ? archive_error_string(w->a) : "out of memory");
		bwriter_abort(w);
		return CF_ERR_ARCHIVE;
	}
	return 0;
}

/* DIR/NAME.tar.gz.part, created exclusively; the final name must be free. */
static int create_part(struct bwriter *w, const char *dir, const char *name)
{
	struct buf p = BUF_INIT(0);
	struct stat st;

	memset(w, 0, sizeof(*w));
	w->fd = -1;
	w->dir = xstrdup(dir);
	w->name = xstrdup(name);
	buf_addf(&p, "%s/%s.tar.gz.part", dir, name);
	w->part_path = buf_detach(&p, NULL);
	buf_addf(&p, "%s/%s.tar.gz", dir, name);
	w->final_path = buf_detach(&p, NULL);

	buf_addf(&p, "%s/%s.tar.gz.sha256", dir, name);
	if (!lstat(w->final_path, &st) || !lstat(p.data, &st)) {
		/* a bundle or a checksum of that name (or a link planted as one) */
		buf_release(&p);
		bwriter_abort(w);
		return CF_ERR_EXISTS;
	}
	buf_release(&p);
	w->fd = open(w->part_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (w->fd < 0 && errno == EEXIST) {
		/* another collection of the same host in the same second */
		bwriter_abort(w);
		return CF_ERR_EXISTS;
	}
	if (w->fd < 0) {
		error("cannot create '%s': %s", w->part_path, strerror(errno));
		bwriter_abort(w);
		return CF_ERR_IO;
	}
	return 0;
}

int bwriter_open(struct bwriter *w, const char *dir, const char *name)
{
	int r = create_part(w, dir, name);

	return r ? r : start_archive(w);
}

int bwriter_open_stream(struct bwriter *w, int fd, const char *header, const char *name)
{
	int r;

	memset(w, 0, sizeof(*w));
	w->fd = fd;
	w->name = xstrdup(name);
	w->part_path = xstrdup("standard output");
	if ((r = start_hash(w)))
		return r;
	if (write_out(w, header, strlen(header))) {
		error("cannot write to standard output: %s", strerror(errno));
		bwriter_abort(w);
		return CF_ERR_IO;
	}
	return start_archive(w);
}

static int open_raw(struct bwriter *w, const char *dir, const char *name)
{
	int r = create_part(w, dir, name);

	return r ? r : start_hash(w);
}

int bwriter_open_free(struct bwriter *w, const char *dir, char **name, int raw)
{
	char *base = xstrdup(*name);
	size_t i;
	int r;

	for (i = 2; (r = raw ? open_raw(w, dir, *name) : bwriter_open(w, dir, *name)) ==
		    CF_ERR_EXISTS && i < 100; i++) {
		struct buf b = BUF_INIT(0);

		buf_addf(&b, "%s-%zu", base, i);
		free(*name);
		*name = buf_detach(&b, NULL);
	}
	free(base);
	return r;
}

int bwriter_write_raw(struct bwriter *w, const void *data, size_t n)
{
	if (!write_out(w, data, n))
		return 0;
	return error("cannot write '%s': %s", w->part_path, strerror(errno)), CF_ERR_IO;
}

const char *bwriter_error(struct bwriter *w)
{
	const char *e = w->a ? archive_error_string(w->a) : NULL;

	return e ? e : "unknown archive error";
}

int bwriter_begin(struct bwriter *w, const char *relpath, uint64_t size, int64_t mtime)
{
	struct archive_entry *e = archive_entry_new();
	struct buf p = BUF_INIT(0);
	int r;

	if (!e)
		return CF_ERR_NOMEM;
	buf_addf(&p, "%s/%s", w->name, relpath);
	archive_entry_set_pathname(e, p.data);
	archive_entry_set_size(e, (la_int64_t)size);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0600);
	archive_entry_set_mtime(e, (time_t)mtime, 0);
	r = archive_write_header(w->a, e);
	archive_entry_free(e);
	buf_release(&p);
	if (r != ARCHIVE_OK)
		return CF_ERR_ARCHIVE;
	w->in_member = 1;
	w->member_left = size;
	return 0;
}

int bwriter_write(struct bwriter *w, const void *data, size_t n)
{
	if (n > w->member_left)
		n = (size_t)w->member_left;
	while (n) {
		la_ssize_t k = archive_write_data(w->a, data, n);

		if (k <= 0)
			return CF_ERR_ARCHIVE;
		data = (const char *)data + k;
		n -= (size_t)k;
		w->member_left -= (uint64_t)k;
	}
	return 0;
}

int bwriter_end(struct bwriter *w)
{
	char nl[4096];

	memset(nl, '\n', sizeof(nl));
	while (w->member_left) {
		size_t n = w->member_left < sizeof(nl) ? (size_t)w->member_left : sizeof(nl);

		if (bwriter_write(w, nl, n))
			return CF_ERR_ARCHIVE;
	}
	w->in_member = 0;
	return archive_write_finish_entry(w->a) == ARCHIVE_OK ? 0 : CF_ERR_ARCHIVE;
}

int bwriter_add(struct bwriter *w, const char *relpath, const void *data,
		size_t n, int64_t mtime)
{
	int r = bwriter_begin(w, relpath, n, mtime);

	if (!r)
		r = bwriter_write(w, data, n);
	if (!r)
		r = bwriter_end(w);
	return r;
}

int bwriter_link(struct bwriter *w, const char *relpath, const char *target, int64_t mtime)
{
	struct archive_entry *e = archive_entry_new();
	struct buf p = BUF_INIT(0);
	int r;

	if (!e)
		return CF_ERR_NOMEM;
	buf_addf(&p, "%s/%s", w->name, relpath);
	archive_entry_set_pathname(e, p.data);
	archive_entry_set_filetype(e, AE_IFLNK);
	archive_entry_set_symlink(e, target);
	archive_entry_set_perm(e, 0777);
	archive_entry_set_mtime(e, (time_t)mtime, 0);
	r = archive_write_header(w->a, e);
	archive_entry_free(e);
	buf_release(&p);
	return r == ARCHIVE_OK ? 0 : CF_ERR_ARCHIVE;
}

/*
 * NAME.tar.gz.sha256 beside the bundle, created exclusively and never
 * through a link: the output folder may be shared (/var/tmp), and root must
 * not be made to write into a file someone planted under that name. A
 * partial file (a full disk) is removed.
 */
static int write_sum(const char *path, const struct buf *line)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	int r = 0;

	if (fd < 0) {
		error("cannot create '%s': %s%s", path, strerror(errno),
		      errno == EEXIST || errno == ELOOP ? " (it is not replaced)" : "");
		return CF_ERR_IO;
	}
	if (write(fd, line->data, line->len) != (ssize_t)line->len || fsync(fd)) {
		r = error("cannot write '%s': %s", path, errno ? strerror(errno) : "short write");
		unlink(path);
	}
	if (close(fd) && !r) {
		r = error("cannot write '%s': %s", path, strerror(errno));
		unlink(path);
	}
	return r ? CF_ERR_IO : 0;
}

int bwriter_finish(struct bwriter *w, char sha_hex[SHA256_HEX_LEN + 1])
{
	struct buf p = BUF_INIT(0), line = BUF_INIT(0);
	int r = 0;

	if (w->a && archive_write_close(w->a) != ARCHIVE_OK) {
		error("cannot finish '%s': %s", w->part_path, bwriter_error(w));
		r = CF_ERR_ARCHIVE;
	}
	if (w->a)
		archive_write_free(w->a);
	w->a = NULL;
	if (!w->final_path) {
		/* a stream: the reader has it all, and checks it */
		sha256_final_hex(&w->hash, sha_hex);
		w->fd = -1;
		goto out;
	}
	if (!r && (fsync(w->fd) || close(w->fd))) {
		error("cannot write '%s': %s", w->part_path, strerror(errno));
		r = CF_ERR_IO;
	} else if (r) {
		close(w->fd);
	}
	w->fd = -1;
	sha256_final_hex(&w->hash, sha_hex);
	/* link, not rename: never replace a bundle that is already there */
	if (!r && link(w->part_path, w->final_path)) {
		error("cannot create '%s': %s", w->final_path, strerror(errno));
		r = CF_ERR_IO;
	}
	unlink(w->part_path);
	if (!r) {
		buf_addf(&p, "%s.sha256", w->final_path);
		buf_addf(&line, "%s  %s.tar.gz\n", sha_hex, w->name);
		r = write_sum(p.data, &line);
	}
	buf_release(&p);
	buf_release(&line);
out:
	free(w->dir);
	free(w->name);
	free(w->part_path);
	free(w->final_path);
	w->dir = w->name = w->part_path = w->final_path = NULL;
	return r;
}

void bwriter_abort(struct bwriter *w)
{
	if (w->a)
		archive_write_free(w->a);
	w->a = NULL;
	if (w->fd >= 0 && w->final_path) {
		close(w->fd);
		unlink(w->part_path);
	}
	w->fd = -1;
	sha256_release(&w->hash);
	free(w->dir);
	free(w->name);
	free(w->part_path);
	free(w->final_path);
	w->dir = w->name = w->part_path = w->final_path = NULL;
}
