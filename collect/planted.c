/*
 * planted.c: the planted-link rule (see transport.h), and the local way to
 * open a file under it: the path walked one component at a time, every
 * link read and judged by us, never followed by the kernel.
 *
 * One openat() without O_NOFOLLOW follows a whole chain: root's link
 * /var/log/app.log -> /srv/app/app.log is root's choice, but the service
 * user who owns /srv/app may make app.log a link to /etc/shadow, and the
 * kernel follows both (fs.protected_symlinks guards only sticky folders
 * anyone can write). So each component is opened O_PATH|O_NOFOLLOW from
 * the folder before it; a link is judged on the link itself (its owner,
 * through the descriptor: no other link can be swapped in between) and
 * its folder, then its target is read (readlinkat on that descriptor) and
 * walked the same way, up to 40 links as the kernel allows.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "casefile.h"
#include "transport.h"

#define MAX_LINKS 40	/* the kernel's MAXSYMLINKS */

enum item_status planted_link(struct planted *p, const char *name, unsigned link_uid,
			      unsigned dir_uid, unsigned dir_mode, struct buf *why)
{
	/* who chose where it points: its owner, and the owner of its folder */
	unsigned who[2] = { link_uid, dir_uid };
	int i;

	if (dir_mode & S_IWOTH) {
		buf_addf(why, "refused: '%s' is a link in a folder anyone can write", name);
		return ITEM_REFUSED;
	}
	for (i = 0; i < 2; i++) {
		if (!who[i] || (p->set && p->uid == who[i]))
			continue;
		if (p->set) {
			buf_addf(why, "refused: the way to it follows links of uid %u and uid %u "
				 "(another user could have planted one)", p->uid, who[i]);
			return ITEM_REFUSED;
		}
		p->set = 1;
		p->uid = who[i];
	}
	return ITEM_OK;
}

enum item_status planted_file(const struct planted *p, const char *path, unsigned uid,
			      unsigned nlink, unsigned dir_uid, unsigned dir_mode,
			      struct buf *why)
{
	if (p->set && uid != p->uid) {
		buf_addf(why, "refused: '%s' is reached through a link of uid %u to a file of "
			 "uid %u (another user could have planted it)", path, p->uid, uid);
		return ITEM_REFUSED;
	}
	/* other names, another owner or a folder others write: a hard link planted */
	if (nlink > 1 && (uid != dir_uid || (dir_mode & (S_IWGRP | S_IWOTH)))) {
		buf_addf(why, "refused: '%s' is a hard link to a file of uid %u in a folder of "
			 "uid %u that others can write or own (it could have been planted)", path,
			 uid, dir_uid);
		return ITEM_REFUSED;
	}
	return ITEM_OK;
}

static enum item_status open_errno(int e, const char *what, struct buf *why)
{
	buf_addf(why, "cannot open%s%s%s: %s", what ? " '" : "", what ? what : "",
		 what ? "'" : "", strerror(e));
	return e == EACCES || e == EPERM ? ITEM_DENIED : e == ENOENT ? ITEM_ABSENT : ITEM_ERROR;
}

struct walk {
	struct planted p;
	int dir;		/* the folder reached (O_PATH) */
	struct buf rest;	/* what is left of the path, links spliced in */
	int links;
};

/* Replace the folder reached by fd (taken). */
static void walk_enter(struct walk *w, int fd)
{
	close(w->dir);
	w->dir = fd;
}

/* The link fd (named name) in the folder reached: judged, then its target spliced in. */
static enum item_status walk_link(struct walk *w, int fd, const struct stat *ls,
				  const char *name, struct buf *why)
{
	struct stat ds;
	char target[PATH_MAX + 1];
	ssize_t n;
	enum item_status st;
	struct buf rest = BUF_INIT(0);

	if (++w->links > MAX_LINKS)
		return open_errno(ELOOP, NULL, why);
	if (fstat(w->dir, &ds))
		return open_errno(errno, name, why);
	st = planted_link(&w->p, name, (unsigned)ls->st_uid, (unsigned)ds.st_uid,
			  (unsigned)ds.st_mode, why);
	if (st != ITEM_OK)
		return st;
	n = readlinkat(fd, "", target, sizeof(target) - 1);
	if (n <= 0)
		return open_errno(n < 0 ? errno : ENOENT, name, why);
	target[n] = '\0';
	if (target[0] == '/') {
		int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);

		if (root < 0)
			return open_errno(errno, "/", why);
		walk_enter(w, root);
	}
	buf_addstr(&rest, target);
	if (w->rest.len) {
		buf_addch(&rest, '/');
		buf_add(&rest, w->rest.data, w->rest.len);
	}
	buf_release(&w->rest);
	w->rest = rest;
	return ITEM_OK;
}

/* The next component of w->rest into comp (taken off); 0 when none is left. */
static int walk_next(struct walk *w, struct buf *comp)
{
	size_t skip = strspn(w->rest.data, "/"), k;

	buf_consume(&w->rest, skip);
	if (!w->rest.len)
		return 0;
	k = strcspn(w->rest.data, "/");
	buf_reset(comp);
	buf_add(comp, w->rest.data, k);
	buf_consume(&w->rest, k);
	return 1;
}

/* The last component, a regular file opened for reading: the one judged. */
static enum item_status walk_last(struct walk *w, const char *name, const struct stat *ps,
				  const char *path, int *out, struct buf *why)
{
	struct stat st, ds;
	enum item_status r;
	int fd;

	if (!S_ISREG(ps->st_mode)) {
		buf_addstr(why, "not a regular file");
		return ITEM_SKIPPED;
	}
	fd = openat(w->dir, name, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return open_errno(errno, NULL, why);
	if (fstat(fd, &st) || fstat(w->dir, &ds) || st.st_dev != ps->st_dev ||
	    st.st_ino != ps->st_ino) {
		close(fd);
		buf_addf(why, "refused: '%s' changed while it was opened", path);
		return ITEM_REFUSED;
	}
	r = planted_file(&w->p, path, (unsigned)st.st_uid, (unsigned)st.st_nlink,
			 (unsigned)ds.st_uid, (unsigned)ds.st_mode, why);
	if (r != ITEM_OK)
		close(fd);
	else
		*out = fd;
	return r;
}

/* One component of the walk: a folder entered, a link spliced, or the file opened. */
static enum item_status walk_step(struct walk *w, const char *name, const char *path,
				  int *out, int *done, struct buf *why)
{
	int last = !w->rest.data[strspn(w->rest.data, "/")];
	enum item_status r = ITEM_OK;
	struct stat st;
	int fd;

	if (!strcmp(name, ".") && !last)
		return ITEM_OK;
	fd = openat(w->dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return open_errno(errno, NULL, why);
	if (fstat(fd, &st)) {
		r = open_errno(errno, NULL, why);
	} else if (S_ISLNK(st.st_mode)) {
		r = walk_link(w, fd, &st, name, why);
	} else if (last) {
		r = walk_last(w, name, &st, path, out, why);
		*done = 1;
	} else if (!S_ISDIR(st.st_mode)) {
		r = open_errno(ENOTDIR, NULL, why);
	} else {
		walk_enter(w, fd);	/* ".." too: it is never a link */
		return ITEM_OK;
	}
	close(fd);
	return r;
}

enum item_status planted_open(const char *path, int *out, struct buf *why)
{
	struct walk w;
	struct buf comp = BUF_INIT(0);
	enum item_status r = ITEM_OK;
	int done = 0;

	memset(&w, 0, sizeof(w));
	buf_init(&w.rest, 0);
	buf_addstr(&w.rest, path);
	w.dir = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (w.dir < 0 || path[0] != '/')
		r = open_errno(w.dir < 0 ? errno : EINVAL, "/", why);
	while (r == ITEM_OK && !done) {
		if (!walk_next(&w, &comp)) {
			buf_addstr(why, "not a regular file");
			r = ITEM_SKIPPED;
			break;
		}
		r = walk_step(&w, comp.data, path, out, &done, why);
	}
	if (w.dir >= 0)
		close(w.dir);
	buf_release(&comp);
	buf_release(&w.rest);
	return r;
}
