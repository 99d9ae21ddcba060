/*
 * clean_input.c: the input of "casefile clean", member by member (see
 * clean_input.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "casefile.h"
#include "catalog.h"
#include "clean_input.h"
#include "intake.h"

#define CHUNK (256 * 1024)

/* ---- the input: an archive or a folder, member by member --------------------- */


static char **walk_files;	/* nftw() has no context pointer */
static size_t walk_root;
static unsigned walk_links;

static int walk_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)f;
	if ((flag == FTW_F && S_ISREG(st->st_mode)) || flag == FTW_SL)
		strv_push(&walk_files, xstrdup(p + walk_root));
	else if (flag == FTW_F)
		walk_links++;	/* a device, a FIFO, a socket */
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

static int host_folder(const void *cat, const char *name, size_t n)
{
	return cat && catalog_host_folder(cat, name, n);
}

int clean_input_open(struct clean_input *in, const char *path, const struct catalog *cat,
		     struct buf *err)
{
	struct intake_policy pol = INTAKE_POLICY_DEFAULT;
	struct stat st;

	memset(in, 0, sizeof(*in));
	buf_init(&in->why, 0);
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
	pol.host_folder = host_folder;
	pol.ctx = cat;
	return intake_open(&in->in, path, &pol, err);
}

void clean_input_refused(struct clean_input *in, const char *why)
{
	if (++in->refused <= 5) {
		buf_addstr(&in->why, in->why.len ? "; " : "");
		buf_addstr(&in->why, why);
	}
}

/* A link in a folder: kept when its target stays inside, judged as an archive's are. */
static int folder_link(struct clean_input *in, const char *full, const char *rel)
{
	char target[4096];
	ssize_t n = readlink(full, target, sizeof(target) - 1);
	struct buf clean = BUF_INIT(0), why = BUF_INIT(0);
	const char *because = "it cannot be read";

	if (n >= 0) {
		target[n] = '\0';
		if (!intake_link_clean(rel, target, sizeof(target), &clean, &because)) {
			in->link = buf_detach(&clean, NULL);
			return 1;
		}
	}
	buf_addf(&why, "'%s -> %s': %s", rel, n >= 0 ? target : "?", because);
	clean_input_refused(in, why.data);
	buf_release(&why);
	buf_release(&clean);
	return 0;
}

/* The next regular file or link of a folder, never followed. */
static int next_in_folder(struct clean_input *in, int64_t *mtime)
{
	struct stat st;

	while (in->files[in->next]) {
		const char *rel = in->files[in->next++];
		struct buf full = BUF_INIT(0);
		int ok = 0;

		buf_addf(&full, "%s/%s", in->path, rel);
		if (!lstat(full.data, &st) && S_ISLNK(st.st_mode)) {
			ok = folder_link(in, full.data, rel);
		} else {
			in->fd = open(full.data, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
			ok = in->fd >= 0 && !fstat(in->fd, &st) && S_ISREG(st.st_mode);
			if (!ok && in->fd >= 0)
				close(in->fd);
			if (!ok)
				in->fd = -1;
			in->links += !ok;
		}
		buf_release(&full);
		if (ok) {
			in->rel = xstrdup(rel);
			*mtime = st.st_mtime;
			return 1;
		}
	}
	return 0;
}

/* 1 a member (in->rel; in->link when it is a link to keep), 0 the end, <0 an error in err. */
int clean_input_next(struct clean_input *in, int64_t *mtime, struct buf *err)
{
	const struct intake_entry *e;
	int r;

	free(in->rel);
	free(in->link);
	in->rel = in->link = NULL;
	if (in->files) {
		if (in->fd >= 0)
			close(in->fd);
		in->fd = -1;
		return next_in_folder(in, mtime);
	}
	while ((r = intake_next(in->in, &e, err)) == 1) {
		if (!in->top && intake_top(in->in))
			in->top = xstrdup(intake_top(in->in));
		if (e->refused) {
			clean_input_refused(in, e->refused);
			continue;
		}
		if ((e->type != INTAKE_FILE && e->type != INTAKE_SYMLINK) || !*e->path) {
			in->links += e->type != INTAKE_DIR;
			continue;
		}
		in->rel = xstrdup(e->path);
		in->link = e->link ? xstrdup(e->link) : NULL;
		*mtime = e->mtime;
		return 1;
	}
	return r;
}

ssize_t clean_input_read(struct clean_input *in, char *buf, size_t n, struct buf *err)
{
	ssize_t got;

	if (in->in)
		return intake_read(in->in, buf, n, err);
	got = read(in->fd, buf, n);
	if (got < 0) {
		buf_addf(err, "%s: %s: cannot read: %s\n", in->path, in->rel, strerror(errno));
		return CF_ERR_IO;
	}
	return got;
}

void clean_input_close(struct clean_input *in)
{
	intake_free(in->in);
	if (in->fd >= 0)
		close(in->fd);
	strv_free(in->files);
	buf_release(&in->why);
	free(in->top);
	free(in->rel);
	free(in->link);
}

/* Up to cap bytes of the current member into b. */
int clean_read_member(struct clean_input *in, struct buf *b, size_t cap, struct buf *err)
{
	char *chunk = xmalloc(CHUNK);
	ssize_t n = 0;

	while (b->len < cap && (n = clean_input_read(in, chunk, CHUNK, err)) > 0)
		buf_add(b, chunk, (size_t)n < cap - b->len ? (size_t)n : cap - b->len);
	free(chunk);
	return n < 0 ? (int)n : 0;
}

