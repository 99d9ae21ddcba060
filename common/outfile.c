/*
 * outfile.c: an output file written beside its name and renamed over it
 * (see outfile.h), never through a link planted at that name.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>
#include "buf.h"
#include "casefile.h"
#include "outfile.h"

#define TRIES 16

static void outfile_clear(struct outfile *of)
{
	free(of->path);
	free(of->base);
	free(of->tmp);
	if (of->dir >= 0)
		close(of->dir);
	memset(of, 0, sizeof(*of));
	of->dir = of->fd = -1;
}

/* ".NAME.XXXXXX" in the folder, created new; -1 with errno set. */
static int create_tmp(struct outfile *of)
{
	static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	struct buf name = BUF_INIT(0);
	int i, fd = -1;

	for (i = 0; i < TRIES && fd < 0; i++) {
		unsigned char rnd[6];
		size_t k;

		if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
			break;
		buf_reset(&name);
		buf_addf(&name, ".%s.", of->base);
		for (k = 0; k < sizeof(rnd); k++)
			buf_addch(&name, digits[rnd[k] % (sizeof(digits) - 1)]);
		fd = openat(of->dir, name.data,
			    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd >= 0)
		of->tmp = buf_detach(&name, NULL);
	buf_release(&name);
	return fd;
}

/*
 * A character device at NAME (-o /dev/null, a terminal's /dev/pts/N) is
 * written to, not replaced: renaming over it would turn /dev/null into a
 * file. Only root makes device nodes, so none is planted. 0 when it is one
 * and open; -1 otherwise (a file, a link, nothing: the new file is made).
 */
static int open_device(struct outfile *of)
{
	struct stat st;

	if (fstatat(of->dir, of->base, &st, AT_SYMLINK_NOFOLLOW) || !S_ISCHR(st.st_mode))
		return -1;
	of->fd = openat(of->dir, of->base, O_WRONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
	if (of->fd < 0)
		return -1;
	of->device = 1;
	return 0;
}

int outfile_open(struct outfile *of, const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;

	memset(of, 0, sizeof(*of));
	of->dir = of->fd = -1;
	of->path = xstrdup(path);
	of->base = xstrdup(slash ? slash + 1 : path);
	if (!*of->base || !strcmp(of->base, ".") || !strcmp(of->base, "..")) {
		error("cannot write '%s': it names a folder, not a file", path);
		outfile_clear(of);
		return CF_ERR_IO;
	}
	dir = slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : xstrdup(".");
	of->dir = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (of->dir >= 0 && open_device(of) == 0)
		return 0;
	if (of->dir < 0 || (of->fd = create_tmp(of)) < 0) {
		error("cannot write '%s': %s", path, strerror(errno));
		outfile_clear(of);
		return CF_ERR_IO;
	}
	return 0;
}

FILE *outfile_stream(struct outfile *of)
{
	if (!of->fp && of->fd >= 0 && (of->fp = fdopen(of->fd, "w")))
		of->fd = -1;
	return of->fp;
}

int outfile_write(struct outfile *of, const void *p, size_t n)
{
	const char *c = p;

	if (of->fp)
		return fwrite(p, 1, n, of->fp) == n ? 0 : CF_ERR_IO;
	while (n) {
		ssize_t k = write(of->fd, c, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			if (!k)
				errno = EIO;
			return CF_ERR_IO;
		}
		c += k;
		n -= (size_t)k;
	}
	return 0;
}

/* Close what is open; 0 when every byte reached the disk (a device: was written). */
static int close_all(struct outfile *of)
{
	int r = 0;

	if (of->fp) {
		if (fflush(of->fp) || (!of->device && fsync(fileno(of->fp))))
			r = -1;
		if (fclose(of->fp) && !r)
			r = -1;
		of->fp = NULL;
	}
	if (of->fd >= 0) {
		if (!of->device && fsync(of->fd))
			r = -1;
		if (close(of->fd) && !r)
			r = -1;
		of->fd = -1;
	}
	return r;
}

int outfile_commit(struct outfile *of)
{
	if (close_all(of) || (!of->device && renameat(of->dir, of->tmp, of->dir, of->base))) {
		error("cannot write '%s': %s", of->path, strerror(errno));
		outfile_abort(of);
		return CF_ERR_IO;
	}
	outfile_clear(of);
	return 0;
}

void outfile_abort(struct outfile *of)
{
	int e = errno;

	close_all(of);
	if (of->tmp && of->dir >= 0)
		unlinkat(of->dir, of->tmp, 0);
	outfile_clear(of);
	errno = e;
}

int outfile_append(const char *path, struct buf *err)
{
	const int flags = O_WRONLY | O_APPEND | O_NOCTTY | O_NONBLOCK | O_CLOEXEC;
	int fd = open(path, flags | O_CREAT | O_NOFOLLOW, 0600);
	struct stat st;

	if (fd < 0 && errno == ELOOP && !lstat(path, &st) && S_ISLNK(st.st_mode)) {
		if (st.st_uid != geteuid() && st.st_uid != 0) {
			buf_addf(err, "'%s' is a link of uid %u (another user could have "
				 "planted it): not followed", path, (unsigned)st.st_uid);
			return -1;
		}
		fd = open(path, flags);
	}
	if (fd < 0) {
		buf_addf(err, "cannot open '%s': %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) ||
	    (st.st_nlink > 1 && st.st_uid != geteuid())) {
		buf_addf(err, "'%s' is not a regular file of ours: not written", path);
		close(fd);
		return -1;
	}
	return fd;
}
