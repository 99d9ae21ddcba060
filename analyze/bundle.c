/*
 * bundle.c: stream a bundle's members as blocks of lines (see bundle.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "buf.h"
#include "bundle.h"
#include "casefile.h"
#include "intake.h"
#include "layout.h"
#include "member.h"
#include "meta.h"
#include "scc.h"

#define MAX_DEPTH 32

/* One walk: the parts of the reader, each the owner of its own state. */
struct walk {
	const struct catalog *cat;
	struct bundle_info *bi;
	struct buf *err;
	struct layout_probe layout;	/* layout.h: which kind of bundle */
	struct member_reader member;	/* member.h: a member's bytes into lines */
	struct meta_reader meta;	/* meta.h: what the bundle says about itself */
	struct scc scc;			/* scc.h: a supportconfig file's sections */
};

/* ---- archives ----------------------------------------------------------- */

static int host_folder(const void *cat, const char *name, size_t n)
{
	return catalog_host_folder(cat, name, n);
}

/* The bytes of a wanted member, until its end, a cap or an error. */
static int read_member(struct walk *w, struct intake *in, char *chunk)
{
	int r = 0;

	for (;;) {
		ssize_t n = intake_read(in, chunk, MEMBER_CHUNK, w->err);

		if (n <= 0)
			return (int)n;
		meta_push(&w->meta, chunk, (size_t)n);
		if ((r = member_push(&w->member, chunk, (size_t)n)))
			break;
		if (w->member.bomb)
			return intake_skip(in, w->err);
		if (w->member.stop && w->meta.kind == META_NONE) {
			/* capped or binary: read on only to count, up to the cap */
			while ((n = intake_read(in, chunk, MEMBER_CHUNK, w->err)) > 0)
				if ((r = member_count(&w->member, (size_t)n)))
					break;
			return r ? r : (int)n;
		}
	}
	return r;
}

static int walk_archive(struct walk *w, const char *path)
{
	struct intake_policy pol = INTAKE_POLICY_DEFAULT;
	const struct intake_entry *e;
	struct intake *in;
	char *chunk;
	int r;

	pol.total_cap = w->member.lim->total_cap;
	pol.host_folder = host_folder;
	pol.ctx = w->cat;
	if ((r = intake_open(&in, path, &pol, w->err)))
		return r;
	chunk = xmalloc(MEMBER_CHUNK);
	while ((r = intake_next(in, &e, w->err)) == 1) {
		int meta;

		if (e->type == INTAKE_FILE && e->refused) {
			bundle_note(w->bi, "member %s; not read", e->refused);
			continue;
		}
		layout_member(&w->layout, intake_top(in), e->path);
		if (e->type == INTAKE_SYMLINK && *e->path)
			member_link(&w->member, e->path, e->mtime, e->target);
		if (e->type != INTAKE_FILE || !*e->path)
			continue;
		meta = meta_begin(&w->meta, e->path);
		if (!member_begin(&w->member, e->path, e->mtime, e->size) && !meta) {
			/* not wanted: passed over, counted */
			w->bi->bytes_read += e->size > 0 ? (uint64_t)e->size : 0;
			if ((r = intake_skip(in, w->err)))
				break;
			continue;
		}
		r = read_member(w, in, chunk);
		member_end(&w->member);
		meta_end(&w->meta);
		if (r)
			break;
	}
	intake_free(in);
	free(chunk);
	return r < 0 ? r : 0;
}

/* ---- directories --------------------------------------------------------- */

static int walk_file(struct walk *w, int dirfd, const char *name, const char *rel)
{
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	char *chunk;
	struct stat st;
	ssize_t n;
	int r = 0, meta;

	if (fd < 0) {
		bundle_note(w->bi, "%s: cannot open: %s", rel, strerror(errno));
		return 0;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return 0;
	}
	meta = meta_begin(&w->meta, rel);
	if (!member_begin(&w->member, rel, st.st_mtime, (int64_t)st.st_size) && !meta) {
		close(fd);
		return 0;
	}
	chunk = xmalloc(MEMBER_CHUNK);
	while (!w->member.stop && (n = read(fd, chunk, MEMBER_CHUNK)) != 0) {
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			bundle_note(w->bi, "%s: read failed: %s", rel, strerror(errno));
			break;
		}
		meta_push(&w->meta, chunk, (size_t)n);
		if ((r = member_push(&w->member, chunk, (size_t)n)))
			break;
	}
	member_end(&w->member);
	meta_end(&w->meta);
	free(chunk);
	close(fd);
	return r;
}

/* A link is read, never followed: its target is text for facts. */
static void walk_link(struct walk *w, int dirfd, const char *name, const char *rel,
		      int64_t mtime)
{
	char target[4096];
	ssize_t n = readlinkat(dirfd, name, target, sizeof(target) - 1);

	if (n < 0)
		return;
	target[n] = '\0';
	member_link(&w->member, rel, mtime, target);
}

static int walk_dir(struct walk *w, int dirfd, struct buf *rel, int depth)
{
	DIR *d;
	struct dirent *de;
	size_t base = rel->len;
	char **names = NULL;
	size_t nr = 0, alloc = 0, i;
	int r = 0;

	if (depth > MAX_DEPTH)
		return 0;
	d = fdopendir(dirfd);
	if (!d) {
		close(dirfd);
		return 0;
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		ALLOC_GROW(names, nr + 1, alloc);
		names[nr++] = xstrdup(de->d_name);
	}
	for (i = 0; i < nr && !r; i++) {
		struct stat st;

		buf_addstr(rel, names[i]);
		if (!fstatat(dirfd, names[i], &st, AT_SYMLINK_NOFOLLOW)) {
			if (S_ISDIR(st.st_mode)) {
				int sub = openat(dirfd, names[i],
						 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

				if (sub >= 0) {
					buf_addch(rel, '/');
					r = walk_dir(w, sub, rel, depth + 1);
				}
			} else if (S_ISREG(st.st_mode)) {
				r = walk_file(w, dirfd, names[i], rel->data);
			} else if (S_ISLNK(st.st_mode)) {
				walk_link(w, dirfd, names[i], rel->data, st.st_mtime);
			}
		}
		rel->len = base;
		rel->data[base] = '\0';
	}
	for (i = 0; i < nr; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return r;
}

/* A directory that holds only one directory (an unpacked archive): go in. */
static int unwrap_dir(const struct catalog *cat, const char *path, struct buf *root)
{
	DIR *d = opendir(path);
	struct dirent *de;
	char *only = NULL;
	int count = 0;

	buf_addstr(root, path);
	if (!d)
		return CF_ERR_IO;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			count++;
			free(only);
			only = xstrdup(de->d_name);
		}
	closedir(d);
	/* a host tree may hold only var/: that is no wrapper */
	if (count == 1 && !catalog_host_folder(cat, only, strlen(only))) {
		struct stat st;
		struct buf p = BUF_INIT(0);

		buf_addf(&p, "%s/%s", path, only);
		if (!lstat(p.data, &st) && S_ISDIR(st.st_mode)) {
			buf_reset(root);
			buf_addstr(root, p.data);
		}
		buf_release(&p);
	}
	free(only);
	return 0;
}

/* Directories: read the manifest first, so its facts are there for the lines. */
static int walk_directory(struct walk *w, const char *path)
{
	struct buf root = BUF_INIT(0), rel = BUF_INIT(0);
	const struct layout_def *def;
	size_t k;
	int fd, r;

	unwrap_dir(w->cat, path, &root);
	def = layout_of_dir(&w->layout, root.data);
	fd = open(root.data, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	for (k = 0; fd >= 0 && def && def->first && def->first[k]; k++)
		walk_file(w, fd, def->first[k], def->first[k]);
	if (fd >= 0)
		close(fd);
	fd = open(root.data, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		buf_addf(w->err, "%s: cannot open directory: %s\n", root.data, strerror(errno));
		buf_release(&root);
		return CF_ERR_IO;
	}
	r = walk_dir(w, fd, &rel, 0);
	buf_release(&root);
	buf_release(&rel);
	return r;
}

int bundle_walk(const char *path, const struct catalog *cat, const struct bundle_limits *lim,
		const struct bundle_visitor *v, struct bundle_info *bi,
		struct buf *err)
{
	struct walk w;
	struct stat st;
	int r;

	if (stat(path, &st)) {
		buf_addf(err, "%s: cannot open: %s\n", path, strerror(errno));
		return CF_ERR_IO;
	}
	w.cat = cat;
	w.bi = bi;
	w.err = err;
	layout_probe_init(&w.layout, cat, bi);
	scc_init(&w.scc, v, bi);
	member_reader_init(&w.member, lim, v, bi, &w.scc, err);
	meta_reader_init(&w.meta, bi);
	if (S_ISDIR(st.st_mode)) {
		r = walk_directory(&w, path);
	} else if (!S_ISREG(st.st_mode)) {
		/* a FIFO or a device would block or never end */
		buf_addf(err, "%s: not a regular file or a directory\n", path);
		r = CF_ERR_IO;
	} else {
		r = walk_archive(&w, path);
		if (bi->layout == LAYOUT_UNKNOWN)
			bi->layout = LAYOUT_DIRECTORY;
	}
	if (!r && bi->damaged) {
		size_t n = strv_len(bi->damaged);

		/* never silent: the report covers what was read, and says so */
		buf_addf(err, "%s: %zu member%s read only in part: %s%s\n", path, n,
			 n == 1 ? "" : "s", bi->damaged[0], n > 1 ? "; and more in the notes" : "");
		r = CF_ERR_ARCHIVE;
	}
	member_reader_release(&w.member);
	meta_reader_release(&w.meta);
	scc_release(&w.scc);
	return r;
}
