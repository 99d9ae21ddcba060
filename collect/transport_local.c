/*
 * transport_local.c: this host as a transport (see transport.h). Commands
 * go through the hardened spawner; files are opened without following a
 * link another user could have planted (safe_open) and read in place,
 * except compressed rotations and procfs files, which are read once into
 * memory within the cap.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "casefile.h"
#include "transport.h"

#define CHUNK (64 * 1024)

struct found *transport_found_add(struct found_list *l, const char *path, int64_t mtime,
				  uint64_t size)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		if (!strcmp(l->v[i].path, path))
			return &l->v[i];
	ALLOC_GROW(l->v, l->nr + 1, l->alloc);
	memset(&l->v[l->nr], 0, sizeof(l->v[l->nr]));
	l->v[l->nr].path = xstrdup(path);
	l->v[l->nr].mtime = mtime;
	l->v[l->nr].size = size;
	return &l->v[l->nr++];
}

static int found_cmp(const void *a, const void *b)
{
	const struct found *x = a, *y = b;

	if (x->mtime != y->mtime)
		return x->mtime > y->mtime ? -1 : 1;
	return strcmp(x->path, y->path);
}

void transport_found_sort(struct found_list *l)
{
	if (l->nr)
		qsort(l->v, l->nr, sizeof(*l->v), found_cmp);
}

void transport_found_release(struct found_list *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++) {
		free(l->v[i].path);
		free(l->v[i].refused);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

int transport_gz_name(const char *path)
{
	size_t n = strlen(path);

	return n > 3 && !strcmp(path + n - 3, ".gz");
}

void fcontent_init(struct fcontent *fc)
{
	memset(fc, 0, sizeof(*fc));
	fc->fd = -1;
	buf_init(&fc->mem, 0);
}

void fcontent_release(struct fcontent *fc)
{
	if (fc->fd >= 0)
		close(fc->fd);
	buf_release(&fc->mem);
	fcontent_init(fc);
}

static int local_run(struct transport *t, const struct spawn_opts *o, struct spawn_result *r)
{
	(void)t;
	return spawn_run(o, r);
}

static void add_matches(const struct source *s, const char *pattern, struct found_list *out)
{
	glob_t g;
	size_t i;

	if (glob(pattern, GLOB_NOSORT, NULL, &g))
		return;
	for (i = 0; i < g.gl_pathc; i++) {
		const char *p = g.gl_pathv[i];
		struct stat st;

		/* a rotation glob ("syslog[.-]*") also matches "syslog-backup" */
		if (p[0] != '/' || !source_claims(s, p + 1))
			continue;
		if (stat(p, &st) || !S_ISREG(st.st_mode))
			continue;
		transport_found_add(out, p, st.st_mtime, (uint64_t)st.st_size);
	}
	globfree(&g);
}

static int local_list(struct transport *t, const struct source *s, struct found_list *out,
		      struct buf *err)
{
	size_t i;

	(void)t;
	(void)err;
	for (i = 0; s->files[i]; i++) {
		add_matches(s, s->files[i], out);
		if (s->rotated) {
			struct buf g = BUF_INIT(0);

			buf_addf(&g, "%s[.-]*", s->files[i]);
			add_matches(s, g.data, out);
			buf_release(&g);
		}
	}
	return 0;
}

/* Keep the end of a stream within cap in memory, from a line start. */
static void keep_tail(struct tailbuf *tb, struct fcontent *fc)
{
	fc->original = tb->len + tb->dropped;
	fc->truncated = tb->dropped > 0;
	tailbuf_to_buf(tb, &fc->mem);
	tailbuf_release(tb);
}

/* A compressed rotation, inflated once; a corrupt one keeps what was read. */
static enum item_status read_gz(struct transport *t, int fd, uint64_t cap, int64_t deadline,
				struct fcontent *fc, struct buf *why)
{
	struct tailbuf tb;
	char *chunk;
	gzFile gz = gzdopen(fd, "rb");
	int n, zerr;

	if (!gz) {
		close(fd);
		buf_addstr(why, "cannot read the compressed file");
		return ITEM_ERROR;
	}
	chunk = xmalloc(CHUNK);
	tailbuf_init(&tb, (size_t)cap);
	gzbuffer(gz, CHUNK);
	while ((n = gzread(gz, chunk, CHUNK)) > 0) {
		tailbuf_add(&tb, chunk, (size_t)n);
		if ((t->stop && *t->stop) || now_ms() > deadline)
			break;
	}
	if (n < 0 || (n == 0 && gzerror(gz, &zerr) && zerr)) {
		const char *m = gzerror(gz, &zerr);

		snprintf(fc->warning, sizeof(fc->warning), "corrupt gzip data, kept what "
			 "was readable: %s", m ? m : "read error");
	}
	free(chunk);
	gzclose(gz);
	if (n > 0 && !(t->stop && *t->stop)) {
		tailbuf_release(&tb);
		buf_addstr(why, "inflating it took longer than the source's time limit "
			   "(a decompression bomb?)");
		return ITEM_TIMEOUT;
	}
	keep_tail(&tb, fc);
	return ITEM_OK;
}

/* A file with no size (procfs): read like a command's output. */
static enum item_status read_unsized(struct transport *t, int fd, uint64_t cap,
				     int64_t deadline, struct fcontent *fc, struct buf *why)
{
	struct tailbuf tb;
	char chunk[16384];
	ssize_t n;

	tailbuf_init(&tb, (size_t)cap);
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		tailbuf_add(&tb, chunk, (size_t)n);
		if ((t->stop && *t->stop) || now_ms() > deadline)
			break;
	}
	if (n < 0 && !tb.len) {
		int e = errno;

		tailbuf_release(&tb);
		buf_addf(why, "read failed: %s", strerror(e));
		return e == EACCES || e == EPERM ? ITEM_DENIED : ITEM_ERROR;
	}
	keep_tail(&tb, fc);
	return ITEM_OK;
}

/*
 * Follow the link dir/name only as the kernel's protected_symlinks would:
 * when the link's owner is root or owns what it points to, and the folder
 * it sits in is not writable by others. The target is checked after it is
 * opened (what was opened is what counts), and the link again after that.
 */
static enum item_status follow_link(int dir, const char *name, int flags, int *out,
				    struct buf *why)
{
	struct stat ds, ls, ts, ls2;
	int fd;

	if (fstat(dir, &ds) || fstatat(dir, name, &ls, AT_SYMLINK_NOFOLLOW)) {
		buf_addf(why, "cannot inspect the link '%s': %s", name, strerror(errno));
		return ITEM_ERROR;
	}
	if (ds.st_mode & S_IWOTH) {
		buf_addf(why, "refused: '%s' is a link in a folder anyone can write", name);
		return ITEM_REFUSED;
	}
	fd = openat(dir, name, flags | O_CLOEXEC);
	if (fd < 0) {
		buf_addf(why, "cannot open: %s", strerror(errno));
		return errno == EACCES || errno == EPERM ? ITEM_DENIED :
		       errno == ENOENT ? ITEM_ABSENT : ITEM_ERROR;
	}
	if (fstat(fd, &ts) || fstatat(dir, name, &ls2, AT_SYMLINK_NOFOLLOW) ||
	    ls2.st_ino != ls.st_ino || ls2.st_uid != ls.st_uid) {
		close(fd);
		buf_addf(why, "refused: the link '%s' changed while it was opened", name);
		return ITEM_REFUSED;
	}
	if (ls.st_uid != 0 && ls.st_uid != ts.st_uid) {
		close(fd);
		buf_addf(why, "refused: the link '%s' of uid %u points to a file of uid %u "
			 "(another user could have planted it)", name, (unsigned)ls.st_uid,
			 (unsigned)ts.st_uid);
		return ITEM_REFUSED;
	}
	*out = fd;
	return ITEM_OK;
}

/*
 * A file with other names (a hard link) whose owner is not its folder's,
 * or in a folder others can write, may be another user's file planted
 * under a name we collect.
 */
static enum item_status check_hardlink(int dir, int fd, const char *path, struct buf *why)
{
	struct stat ds, st;

	if (fstat(dir, &ds) || fstat(fd, &st) || st.st_nlink < 2)
		return ITEM_OK;
	if (st.st_uid == ds.st_uid && !(ds.st_mode & (S_IWGRP | S_IWOTH)))
		return ITEM_OK;
	buf_addf(why, "refused: '%s' is a hard link to a file of uid %u in a folder of uid %u "
		 "that others can write or own (it could have been planted)", path,
		 (unsigned)st.st_uid, (unsigned)ds.st_uid);
	return ITEM_REFUSED;
}

static enum item_status open_errno(int e, struct buf *why)
{
	buf_addf(why, "cannot open: %s", strerror(e));
	return e == EACCES || e == EPERM ? ITEM_DENIED : e == ENOENT ? ITEM_ABSENT : ITEM_ERROR;
}

/*
 * Open an absolute path one component at a time from "/", each relative to
 * the folder opened before it, with O_NOFOLLOW: a link is followed only
 * when follow_link() allows it. The collector runs as root on a customer's
 * host; nothing another user planted in a folder it can write is read.
 */
static enum item_status safe_open(const char *path, int *out, struct buf *why)
{
	char *copy = xstrdup(path), *p = copy, *slash;
	int dir = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC), fd = -1;
	enum item_status st = ITEM_OK;

	if (dir < 0) {
		free(copy);
		return open_errno(errno, why);
	}
	while (st == ITEM_OK) {
		int last, flags;

		while (*p == '/')
			p++;
		slash = strchr(p, '/');
		if (slash)
			*slash = '\0';
		last = !slash || !slash[1];
		flags = last ? O_RDONLY | O_NOCTTY | O_NONBLOCK : O_RDONLY | O_DIRECTORY;
		fd = openat(dir, p, flags | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 && (errno == ELOOP || (errno == ENOTDIR && !last)))
			st = follow_link(dir, p, flags, &fd, why);
		else if (fd < 0)
			st = open_errno(errno, why);
		if (st == ITEM_OK && last)
			st = check_hardlink(dir, fd, path, why);
		close(dir);
		dir = fd;
		fd = -1;
		if (last || st != ITEM_OK)
			break;
		p = slash + 1;
	}
	if (st == ITEM_OK)
		*out = dir;
	else if (dir >= 0)
		close(dir);
	free(copy);
	return st;
}

static enum item_status local_open(struct transport *t, const struct found *f, uint64_t cap,
				   int64_t deadline, struct fcontent *fc, struct buf *why)
{
	struct stat st;
	enum item_status r;
	int fd = -1;

	if ((r = safe_open(f->path, &fd, why)) != ITEM_OK)
		return r;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		buf_addstr(why, "not a regular file");
		return ITEM_SKIPPED;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	fc->mtime = st.st_mtime;
	if (transport_gz_name(f->path))
		return read_gz(t, fd, cap, deadline, fc, why);	/* gz owns fd now */
	if (st.st_size == 0) {
		r = read_unsized(t, fd, cap, deadline, fc, why);
		close(fd);
		return r;
	}
	fc->fd = fd;
	fc->end = fc->original = (uint64_t)st.st_size;
	if (fc->end > cap) {
		fc->start = fc->end - cap;
		fc->truncated = fc->skip_partial = 1;
	}
	return ITEM_OK;
}

static const struct transport_ops local_ops = {
	.kind = "local",
	.run = local_run,
	.list = local_list,
	.open = local_open,
};

void transport_local(struct transport *t)
{
	memset(t, 0, sizeof(*t));
	t->ops = &local_ops;
}
