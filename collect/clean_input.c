/*
 * clean_input.c: the input of "casefile clean", member by member (see
 * clean_input.h).
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "casefile.h"
#include "clean_input.h"
#include "gzlayers.h"

#define CHUNK (256 * 1024)

/* ---- the input: an archive or a folder, member by member --------------------- */


static char **walk_files;	/* nftw() has no context pointer */
static size_t walk_root;
static unsigned walk_links;

static int walk_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)f;
	if (flag == FTW_F && S_ISREG(st->st_mode))
		strv_push(&walk_files, xstrdup(p + walk_root));
	else if (flag == FTW_SL || (flag == FTW_F && !S_ISREG(st->st_mode)))
		walk_links++;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}
char *clean_base_of(const char *path)
{
	char *copy = xstrdup(path), *b = xstrdup(basename(copy));
	size_t n = strlen(b);

	free(copy);
	while (n && b[n - 1] == '/')
		b[--n] = '\0';
	return b;
}

int clean_input_open(struct clean_input *in, const char *path, struct buf *err)
{
	struct stat st;

	memset(in, 0, sizeof(*in));
	in->path = path;
	in->fd = -1;
	if (stat(path, &st)) {
		buf_addf(err, "%s: cannot open: %s", path, strerror(errno));
		return CF_ERR_IO;
	}
	if (S_ISDIR(st.st_mode)) {
		walk_files = NULL;
		walk_links = 0;
		walk_root = strlen(path) + (path[strlen(path) - 1] != '/');
		if (nftw(path, walk_one, 32, FTW_PHYS)) {
			buf_addf(err, "%s: cannot read the folder: %s", path, strerror(errno));
			strv_free(walk_files);
			return CF_ERR_IO;
		}
		in->files = walk_files;
		in->links = walk_links;
		if (in->files)
			qsort(in->files, strv_len(in->files), sizeof(char *), by_name);
		in->top = clean_base_of(path);
		return 0;
	}
	if (gzip_layers(path) > GZIP_LAYERS_MAX) {
		buf_addf(err, "%s: gzip nested more than %d layers deep (a recursive gzip?); not "
			 "read", path, GZIP_LAYERS_MAX);
		return CF_ERR_ARCHIVE;
	}
	in->a = archive_read_new();
	archive_read_support_filter_all(in->a);
	archive_read_support_format_all(in->a);
	if (archive_read_open_filename(in->a, path, CHUNK) != ARCHIVE_OK) {
		buf_addf(err, "%s: cannot read as an archive: %s", path,
			 archive_error_string(in->a));
		archive_read_free(in->a);
		in->a = NULL;
		return CF_ERR_ARCHIVE;
	}
	return 0;
}

/* A member path we can write back: relative, no "..", no empty name. */
static int safe_rel(const char *p)
{
	const char *s = p;

	if (!*p || *p == '/')
		return 0;
	while (s) {
		if (!strncmp(s, "..", 2) && (s[2] == '/' || !s[2]))
			return 0;
		s = strchr(s, '/');
		s = s ? s + 1 : NULL;
	}
	return 1;
}

/* 1 a regular member (in->rel), 0 the end, <0 an error in err. */
int clean_input_next(struct clean_input *in, int64_t *mtime, struct buf *err)
{
	struct archive_entry *e;
	const char *p;
	int r;

	free(in->rel);
	in->rel = NULL;
	if (in->files) {
		struct stat st;

		if (in->fd >= 0)
			close(in->fd);
		in->fd = -1;
		while (in->files[in->next]) {
			struct buf full = BUF_INIT(0);

			buf_addf(&full, "%s/%s", in->path, in->files[in->next]);
			in->fd = open(full.data, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
			buf_release(&full);
			if (in->fd >= 0 && !fstat(in->fd, &st) && S_ISREG(st.st_mode)) {
				in->rel = xstrdup(in->files[in->next++]);
				*mtime = st.st_mtime;
				return 1;
			}
			if (in->fd >= 0)
				close(in->fd);
			in->fd = -1;
			in->links++;
			in->next++;
		}
		return 0;
	}
	while ((r = archive_read_next_header(in->a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
		p = archive_entry_pathname(e);
		if (!p)
			continue;
		while (!strncmp(p, "./", 2))
			p += 2;
		if (!in->top && strchr(p, '/'))
			in->top = xstrndup(p, (size_t)(strchr(p, '/') - p));
		if (archive_entry_filetype(e) != AE_IFREG) {
			in->links += archive_entry_filetype(e) != AE_IFDIR;
			continue;
		}
		if (in->top && !strncmp(p, in->top, strlen(in->top)) && p[strlen(in->top)] == '/')
			p += strlen(in->top) + 1;
		if (!safe_rel(p)) {
			in->links++;
			continue;
		}
		in->rel = xstrdup(p);
		*mtime = archive_entry_mtime(e);
		return 1;
	}
	if (r == ARCHIVE_EOF)
		return 0;
	buf_addf(err, "%s: %s", in->path, archive_error_string(in->a));
	return CF_ERR_ARCHIVE;
}

ssize_t clean_input_read(struct clean_input *in, char *buf, size_t n)
{
	return in->a ? archive_read_data(in->a, buf, n) : read(in->fd, buf, n);
}

void clean_input_close(struct clean_input *in)
{
	if (in->a)
		archive_read_free(in->a);
	if (in->fd >= 0)
		close(in->fd);
	strv_free(in->files);
	free(in->top);
	free(in->rel);
}

/* Up to cap bytes of the current member into b. */
int clean_read_member(struct clean_input *in, struct buf *b, size_t cap)
{
	char *chunk = xmalloc(CHUNK);
	ssize_t n = 0;

	while (b->len < cap && (n = clean_input_read(in, chunk, CHUNK)) > 0)
		buf_add(b, chunk, (size_t)n < cap - b->len ? (size_t)n : cap - b->len);
	free(chunk);
	return n < 0 ? -1 : 0;
}

