/*
 * transport_local.c: this host as a transport (see transport.h). Commands
 * go through the hardened spawner; files are opened under the planted-link
 * rule, every link on the way read and judged (planted.c), and read in place,
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

static enum item_status local_open(struct transport *t, const struct found *f, uint64_t cap,
				   int64_t deadline, struct fcontent *fc, struct buf *why)
{
	struct stat st;
	enum item_status r;
	int fd = -1;

	if ((r = planted_open(f->path, &fd, why)) != ITEM_OK)
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
