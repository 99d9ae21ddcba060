/*
 * bundle.c: stream a bundle's members as blocks of lines (see bundle.h).
 */
#include <archive.h>
#include <archive_entry.h>
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
#include "gzlayers.h"
#include "gzsrc.h"
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

/* "./x", "/x" and the one top directory a bundle is rooted in are dropped. */
static const char *relative(const struct catalog *cat, const char *name, int is_dir,
			    struct buf *top)
{
	while (name[0] == '.' && name[1] == '/')
		name += 2;
	while (*name == '/')
		name++;
	if (!top->len && *name) {
		/* the first folder: "top/x", or a folder entry "top" (cpio writes no '/') */
		const char *slash = strchr(name, '/');
		size_t n = slash ? (size_t)(slash - name) : is_dir ? strlen(name) : 0;

		if (n && !catalog_host_folder(cat, name, n)) {
			buf_add(top, name, n);
			buf_addch(top, '/');
		} else {
			buf_addch(top, '\0');	/* not rooted in a directory */
		}
	}
	if (top->len > 1 && is_dir && strlen(name) + 1 == top->len &&
	    !strncmp(name, top->data, top->len - 1))
		return "";	/* the top folder itself */
	if (top->len > 1 && !strncmp(name, top->data, top->len))
		return name + top->len;
	return name;
}

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


/* Inflated against compressed bytes of the archive so far: a bomb stops the walk. */
static int ratio_exceeded(struct walk *w, struct archive *a, const struct gzsrc *g,
			  const char *path, const char *rel)
{
	uint64_t in = g ? g->in_total : (uint64_t)archive_filter_bytes(a, -1);
	uint64_t out = g ? g->out_total : (uint64_t)archive_filter_bytes(a, 0);

	if (out < RATIO_MIN || out / (in ? in : 1) < RATIO_MAX)
		return 0;
	buf_addf(w->err, "%s: inflates more than %d times its size by member '%s' "
		 "(a decompression bomb?); stopped reading\n", path, RATIO_MAX, rel);
	return 1;
}

static int open_archive(struct archive *a, const char *path, struct gzsrc *g, int *use_gz)
{
	*use_gz = gzsrc_is_gzip(path);
	if (!*use_gz)
		return archive_read_open_filename(a, path, READ_CHUNK);
	if (gzsrc_open(g, path)) {
		archive_set_error(a, errno, "cannot open: %s", strerror(errno));
		return ARCHIVE_FATAL;
	}
	return archive_read_open(a, g, NULL, gzsrc_read, NULL);
}

/* The bytes of a wanted member, until its end, a cap or an error. */
static int read_member(struct walk *w, struct archive *a, const struct gzsrc *g,
		       const char *path, const char *rel, char *chunk)
{
	int r = 0;

	for (;;) {
		la_ssize_t n = archive_read_data(a, chunk, READ_CHUNK);

		if (n == 0)
			break;
		if (n < 0) {
			if (n == ARCHIVE_WARN)
				continue;
			buf_addf(w->err, "%s: member '%s': %s\n", path, rel,
				 archive_error_string(a) ? archive_error_string(a) : "read error");
			return CF_ERR_ARCHIVE;
		}
		if ((r = member_push(w, chunk, (size_t)n)))
			break;
		if (ratio_exceeded(w, a, g, path, rel))
			return CF_ERR_CAP;
		if (w->ratio_stop) {
			archive_read_data_skip(a);
			break;
		}
		if (w->stop_member && w->meta == META_NONE) {
			/* capped or binary: read on only to count, up to the cap */
			while ((n = archive_read_data(a, chunk, READ_CHUNK)) > 0)
				if ((r = member_count(w, (size_t)n)))
					break;
			break;
		}
	}
	return r;
}

static int walk_archive(struct walk *w, const char *path)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	struct buf top = BUF_INIT(4096);
	struct gzsrc g;
	char *chunk = xmalloc(READ_CHUNK);
	int r = 0, ar, use_gz = 0;

	memset(&g, 0, sizeof(g));
	g.fd = -1;

	if (gzip_layers(path) > GZIP_LAYERS_MAX) {
		buf_addf(w->err, "%s: gzip nested more than %d layers deep (a recursive "
			 "gzip?); not read\n", path, GZIP_LAYERS_MAX);
		archive_read_free(a);
		free(chunk);
		return CF_ERR_ARCHIVE;
	}
	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_gnutar(a);
	archive_read_support_format_cpio(a);
	archive_read_support_format_zip(a);
	archive_read_support_format_7zip(a);
	if (open_archive(a, path, &g, &use_gz) != ARCHIVE_OK) {
		buf_addf(w->err, "%s: cannot read as an archive: %s\n", path,
			 archive_error_string(a) ? archive_error_string(a) : "unknown format");
		r = CF_ERR_ARCHIVE;
		goto out;
	}
	while ((ar = archive_read_next_header(a, &e)) == ARCHIVE_OK || ar == ARCHIVE_WARN) {
		const char *name = archive_entry_pathname(e);
		const char *rel;
		la_int64_t size = archive_entry_size(e);

		if (!name)
			continue;
		rel = relative(w->cat, name, archive_entry_filetype(e) == AE_IFDIR, &top);
		layout_from(w, top.len > 1 && w->bi->members == 0 ? top.data : NULL, rel);
		if (w->bi->layout == LAYOUT_SUPPORTCONFIG && top.len > 1)
			scc_hostname(w->bi, top.data);
		if (archive_entry_filetype(e) != AE_IFREG || !*rel)
			continue;
		w->meta = meta_of(rel);
		if (!member_begin(w, rel, (int64_t)archive_entry_mtime(e),
				  archive_entry_size_is_set(e) ? (int64_t)size : -1)) {
			/* not wanted: skip, but never past the total cap */
			if (size > 0 && w->bi->bytes_read + (uint64_t)size > w->lim->total_cap) {
				w->m.path = rel;
				r = member_count(w, (size_t)size);
				break;
			}
			w->bi->bytes_read += size > 0 ? (uint64_t)size : 0;
			if (archive_read_data_skip(a) != ARCHIVE_OK) {
				buf_addf(w->err, "%s: member '%s': %s\n", path, rel,
					 archive_error_string(a));
				r = CF_ERR_ARCHIVE;
				break;
			}
			continue;
		}
		r = read_member(w, a, use_gz ? &g : NULL, path, rel, chunk);
		member_end(w);
		meta_end(w);
		if (r)
			break;
	}
	if (!r && ar != ARCHIVE_EOF) {
		buf_addf(w->err, "%s: %s after %u members\n", path,
			 archive_error_string(a) ? archive_error_string(a) : "archive is damaged",
			 w->bi->members);
		r = CF_ERR_ARCHIVE;
	}
	if (!r && use_gz && gzsrc_finish(&g)) {
		buf_addf(w->err, "%s: %s after %u members; the report covers what was read "
			 "before it\n", path, g.msg, w->bi->members);
		r = CF_ERR_ARCHIVE;
	}
out:
	archive_read_free(a);
	gzsrc_close(&g);
	buf_release(&top);
	free(chunk);
	return r;
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
