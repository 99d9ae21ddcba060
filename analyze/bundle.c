/*
 * bundle.c: stream a bundle's members as blocks of lines (see bundle.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "buf.h"
#include "bundle.h"
#include "casefile.h"
#include "manifest.h"
#include "text.h"
#include "timestamp.h"
#include "intake.h"
#include "walk.h"

/* A metadata document's bytes and its objects and arrays: jansson holds it whole. */
#define META_CAP (8 * 1024 * 1024)
#define MAX_DEPTH 32

const char *layout_name(enum layout l)
{
	switch (l) {
	case LAYOUT_CASEFILE: return "casefile";
	case LAYOUT_SOSREPORT: return "sosreport";
	case LAYOUT_DIRECTORY: return "directory";
	case LAYOUT_SUPPORTCONFIG: return "supportconfig";
	default: return "unknown";
	}
}

void bundle_info_init(struct bundle_info *bi, const char *path)
{
	memset(bi, 0, sizeof(*bi));
	bi->path = xstrdup(path);
	bi->complete = 1;
}

void bundle_info_release(struct bundle_info *bi)
{
	free(bi->path);
	free(bi->hostname);
	free(bi->ticket);
	free(bi->problem);
	free(bi->timezone);
	strv_free(bi->gaps);
	strv_free(bi->notes);
	memset(bi, 0, sizeof(*bi));
}

void bundle_note(struct bundle_info *bi, const char *fmt, ...)
{
	struct buf b = BUF_INIT(0);
	va_list ap;

	if (strv_len(bi->notes) >= 100)
		return;
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	strv_push(&bi->notes, buf_detach(&b, NULL));
}

void bundle_gap(struct bundle_info *bi, const char *fmt, ...)
{
	struct buf b = BUF_INIT(0);
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	for (i = 0; bi->gaps && bi->gaps[i]; i++)
		if (!strcmp(bi->gaps[i], b.data))
			break;
	if ((bi->gaps && bi->gaps[i]) || strv_len(bi->gaps) >= 200)
		buf_release(&b);
	else
		strv_push(&bi->gaps, buf_detach(&b, NULL));
}

/* ---- archives ----------------------------------------------------------- */

static enum layout layout_parse(const char *name)
{
	enum layout l;

	for (l = LAYOUT_CASEFILE; l <= LAYOUT_SUPPORTCONFIG; l++)
		if (!strcmp(layout_name(l), name))
			return l;
	return LAYOUT_UNKNOWN;
}

static int has_prefix(char *const *v, const char *s)
{
	size_t i;

	for (i = 0; v && v[i]; i++)
		if (!strncmp(s, v[i], strlen(v[i])))
			return 1;
	return 0;
}

/* A marker names a member, or a folder the member is in. */
static int is_marker(char *const *v, const char *rel)
{
	size_t i, n;

	for (i = 0; v && v[i]; i++) {
		n = strlen(v[i]);
		if (!strncmp(rel, v[i], n) && (!rel[n] || rel[n] == '/'))
			return 1;
	}
	return 0;
}

/* The layout from the top folder's name or from a member's path. */
static void layout_from(struct walk *w, const char *top, const char *rel)
{
	size_t i;

	for (i = 0; i < w->cat->nlayouts && w->bi->layout == LAYOUT_UNKNOWN; i++) {
		const struct layout_def *l = &w->cat->layouts[i];

		if ((top && has_prefix(l->prefixes, top)) || (rel && is_marker(l->markers, rel)))
			w->bi->layout = layout_parse(l->name);
	}
}

static int host_folder(const void *cat, const char *name, size_t n)
{
	return catalog_host_folder(cat, name, n);
}

/* The bytes of a wanted member, until its end, a cap or an error. */
static int read_member(struct walk *w, struct intake *in, char *chunk)
{
	int r = 0;

	for (;;) {
		ssize_t n = intake_read(in, chunk, READ_CHUNK, w->err);

		if (n <= 0)
			return (int)n;
		if ((r = member_push(w, chunk, (size_t)n)))
			break;
		if (w->ratio_stop)
			return intake_skip(in, w->err);
		if (w->stop_member && w->meta == META_NONE) {
			/* capped or binary: read on only to count, up to the cap */
			while ((n = intake_read(in, chunk, READ_CHUNK, w->err)) > 0)
				if ((r = member_count(w, (size_t)n)))
					break;
			return r ? r : (int)n;
		}
	}
	return r;
}

/* A member that is not wanted: passed over, counted. */
static int pass_over(struct walk *w, struct intake *in, const struct intake_entry *e)
{
	/* never past the total cap */
	if (e->size > 0 && w->bi->bytes_read + (uint64_t)e->size > w->lim->total_cap) {
		w->m.path = e->path;
		return member_count(w, (size_t)e->size);
	}
	w->bi->bytes_read += e->size > 0 ? (uint64_t)e->size : 0;
	return intake_skip(in, w->err);
}

static int walk_archive(struct walk *w, const char *path)
{
	struct intake_policy pol = INTAKE_POLICY_DEFAULT;
	const struct intake_entry *e;
	struct intake *in;
	char *chunk;
	int r;

	pol.total_cap = w->lim->total_cap;
	pol.host_folder = host_folder;
	pol.ctx = w->cat;
	if ((r = intake_open(&in, path, &pol, w->err)))
		return r;
	chunk = xmalloc(READ_CHUNK);
	while ((r = intake_next(in, &e, w->err)) == 1) {
		const char *top = intake_top(in);

		if (e->type == INTAKE_FILE && e->refused) {
			bundle_note(w->bi, "member %s; not read", e->refused);
			continue;
		}
		layout_from(w, top && w->bi->members == 0 ? top : NULL, e->path);
		if (w->bi->layout == LAYOUT_SUPPORTCONFIG && top)
			scc_hostname(w->bi, top);
		if (e->type != INTAKE_FILE || !*e->path)
			continue;
		w->meta = meta_of(e->path);
		if (!member_begin(w, e->path, e->mtime, e->size)) {
			if ((r = pass_over(w, in, e)))
				break;
			continue;
		}
		r = read_member(w, in, chunk);
		member_end(w);
		meta_end(w);
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
	int r = 0;

	if (fd < 0) {
		bundle_note(w->bi, "%s: cannot open: %s", rel, strerror(errno));
		return 0;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return 0;
	}
	w->meta = meta_of(rel);
	if (!member_begin(w, rel, st.st_mtime, (int64_t)st.st_size)) {
		close(fd);
		return 0;
	}
	chunk = xmalloc(READ_CHUNK);
	while (!w->stop_member && (n = read(fd, chunk, READ_CHUNK)) != 0) {
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			bundle_note(w->bi, "%s: read failed: %s", rel, strerror(errno));
			break;
		}
		if ((r = member_push(w, chunk, (size_t)n)))
			break;
	}
	member_end(w);
	meta_end(w);
	free(chunk);
	close(fd);
	return r;
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

static int exists_in(const char *dir, const char *rel)
{
	struct buf p = BUF_INIT(0);
	struct stat st;
	int r;

	buf_addf(&p, "%s/%s", dir, rel);
	r = !lstat(p.data, &st);
	buf_release(&p);
	return r;
}

/* Directories: read the manifest first, so its facts are there for the lines. */
static int walk_directory(struct walk *w, const char *path)
{
	struct buf root = BUF_INIT(0), rel = BUF_INIT(0);
	const struct layout_def *def = NULL;
	size_t i, k;
	int fd, r;

	unwrap_dir(w->cat, path, &root);
	for (i = 0; i < w->cat->nlayouts && !def; i++)
		for (k = 0; w->cat->layouts[i].markers && w->cat->layouts[i].markers[k]; k++)
			if (exists_in(root.data, w->cat->layouts[i].markers[k]))
				def = &w->cat->layouts[i];
	w->bi->layout = def ? layout_parse(def->name) : LAYOUT_DIRECTORY;
	if (w->bi->layout == LAYOUT_SUPPORTCONFIG)
		scc_hostname(w->bi, root.data);
	fd = open(root.data, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	for (k = 0; fd >= 0 && def && def->first && def->first[k]; k++) {
		w->meta = meta_of(def->first[k]);
		walk_file(w, fd, def->first[k], def->first[k]);
	}
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

	memset(&w, 0, sizeof(w));
	w.cat = cat;
	w.lim = lim;
	w.v = v;
	w.bi = bi;
	w.err = err;
	buf_init(&w.carry, BUNDLE_BLOCK + lim->line_cap + 2);
	buf_init(&w.meta_buf, META_CAP);
	buf_init(&w.scc_label, 4096);
	if (stat(path, &st)) {
		buf_addf(err, "%s: cannot open: %s\n", path, strerror(errno));
		return CF_ERR_IO;
	}
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
	buf_release(&w.carry);
	buf_release(&w.meta_buf);
	buf_release(&w.scc_label);
	free(w.zout);
	return r;
}
