/*
 * intake.c: archives made by someone else, read member by member under one
 * policy (see intake.h). The stream's first bytes are read ahead to tell
 * gzip (zlib, gzsrc.c) from the rest (libarchive's decoders) and to count
 * nested gzip layers; they are then handed on as the stream's start.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "buf.h"
#include "casefile.h"
#include "gzlayers.h"
#include "gzsrc.h"
#include "intake.h"

#define CHUNK (256 * 1024)
#define WARN_RETRIES 100

struct intake {
	struct intake_policy pol;
	char *label;			/* the archive, for messages */
	int fd, own_fd, seekable;
	off_t base;			/* where the stream starts in fd */
	unsigned char *head, *chunk;	/* the first bytes, read ahead; raw reads */
	size_t head_len, head_off;
	struct archive *a;
	struct gzsrc g;
	int gz;
	uint64_t total;			/* member bytes read or skipped */
	int64_t left;			/* of the current member; -1 unknown */
	int in_member;
	unsigned entries;
	int top_state;			/* 0 not known yet, 1 top holds it, -1 none */
	struct buf top, path, link, refused;
	json_t *links;			/* paths of the links handed out: nothing goes below one */
	struct intake_entry e;
	int ended;			/* 1 at the end, or the error met */
};

/* ---- the stream ------------------------------------------------------------------ */

static la_ssize_t raw_read(struct archive *a, void *data, const void **buf)
{
	struct intake *in = data;
	ssize_t n;

	if (in->head_off < in->head_len) {
		*buf = in->head + in->head_off;
		n = (ssize_t)(in->head_len - in->head_off);
		in->head_off = in->head_len;
		return n;
	}
	do
		n = read(in->fd, in->chunk, CHUNK);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		archive_set_error(a, errno, "read failed: %s", strerror(errno));
		return -1;
	}
	*buf = in->chunk;
	return n;
}

static la_int64_t raw_skip(struct archive *a, void *data, la_int64_t request)
{
	struct intake *in = data;

	(void)a;
	if (in->head_off < in->head_len || lseek(in->fd, request, SEEK_CUR) < 0)
		return 0;	/* libarchive reads instead */
	return request;
}

/* The zip and 7-Zip readers seek in a file; the bytes read ahead are its start. */
static la_int64_t raw_seek(struct archive *a, void *data, la_int64_t offset, int whence)
{
	struct intake *in = data;
	off_t cur = lseek(in->fd, 0, SEEK_CUR), to;
	struct stat st;

	(void)a;
	if (cur < 0)
		return ARCHIVE_FATAL;
	cur -= in->base + (off_t)(in->head_len - in->head_off);
	if (whence == SEEK_SET)
		to = offset;
	else if (whence == SEEK_CUR)
		to = cur + offset;
	else if (!fstat(in->fd, &st))
		to = st.st_size - in->base + offset;
	else
		return ARCHIVE_FATAL;
	if (to < 0 || lseek(in->fd, in->base + to, SEEK_SET) < 0)
		return ARCHIVE_FATAL;
	in->head_off = in->head_len;
	return to;
}

static int read_ahead(struct intake *in, struct buf *err)
{
	in->head = xmalloc(GZIP_LAYERS_PEEK);
	while (in->head_len < GZIP_LAYERS_PEEK) {
		ssize_t n = read(in->fd, in->head + in->head_len, GZIP_LAYERS_PEEK - in->head_len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			buf_addf(err, "%s: cannot read: %s\n", in->label, strerror(errno));
			return CF_ERR_IO;
		}
		if (!n)
			break;
		in->head_len += (size_t)n;
	}
	return 0;
}

/* ---- the policy ------------------------------------------------------------------ */

static const struct {
	int (*add)(struct archive *);
} decoders[] = {
	{ archive_read_support_filter_gzip }, { archive_read_support_filter_bzip2 },
	{ archive_read_support_filter_xz }, { archive_read_support_filter_lzma },
	{ archive_read_support_filter_lzip }, { archive_read_support_filter_zstd },
	{ archive_read_support_filter_lz4 }, { archive_read_support_filter_compress },
};

/* libarchive's own decoders: one it would run as a program is left out (a trial first). */
static void add_decoders(struct archive *a)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(decoders); i++) {
		struct archive *trial = archive_read_new();
		int own = trial && decoders[i].add(trial) == ARCHIVE_OK;

		archive_read_free(trial);
		if (own)
			decoders[i].add(a);
	}
}

static void add_formats(struct archive *a, unsigned formats)
{
	if (formats & INTAKE_TAR) {
		archive_read_support_format_tar(a);
		archive_read_support_format_gnutar(a);
	}
	if (formats & INTAKE_CPIO)
		archive_read_support_format_cpio(a);
	if (formats & INTAKE_ZIP)
		archive_read_support_format_zip(a);
	if (formats & INTAKE_7ZIP)
		archive_read_support_format_7zip(a);
}

static int refuse_stream(struct intake *in, struct buf *err)
{
	int layers = gzip_layers(in->head, in->head_len);

	in->gz = in->head_len >= 2 && in->head[0] == 0x1f && in->head[1] == 0x8b;
	if (layers > GZIP_LAYERS_MAX) {
		buf_addf(err, "%s: gzip nested more than %d layers deep (a recursive gzip?); not "
			 "read\n", in->label, GZIP_LAYERS_MAX);
		return CF_ERR_ARCHIVE;
	}
	if (in->gz && !(in->pol.filters & INTAKE_GZIP)) {
		buf_addf(err, "%s: cannot read as an archive: gzip is not read here\n", in->label);
		return CF_ERR_ARCHIVE;
	}
	return 0;
}

static int start(struct intake *in, struct buf *err)
{
	struct stat st;
	int r;

	in->seekable = !fstat(in->fd, &st) && S_ISREG(st.st_mode) &&
		       (in->base = lseek(in->fd, 0, SEEK_CUR)) >= 0;
	if ((r = read_ahead(in, err)) || (r = refuse_stream(in, err)))
		return r;
	in->a = archive_read_new();
	if (!in->a)
		die("out of memory");
	if (in->pol.filters & INTAKE_DECODERS)
		add_decoders(in->a);
	add_formats(in->a, in->pol.formats);
	if (in->gz) {
		if (gzsrc_open(&in->g, in->fd, in->head, in->head_len))
			die("out of memory");
		archive_read_set_callback_data(in->a, &in->g);
		archive_read_set_read_callback(in->a, gzsrc_read);
	} else {
		in->chunk = xmalloc(CHUNK);
		archive_read_set_callback_data(in->a, in);
		archive_read_set_read_callback(in->a, raw_read);
		if (in->seekable) {
			archive_read_set_skip_callback(in->a, raw_skip);
			archive_read_set_seek_callback(in->a, raw_seek);
		}
	}
	if (archive_read_open1(in->a) != ARCHIVE_OK) {
		buf_addf(err, "%s: cannot read as an archive: %s\n", in->label,
			 archive_error_string(in->a) ? archive_error_string(in->a) :
			 "unknown format");
		return CF_ERR_ARCHIVE;
	}
	return 0;
}

static struct intake *intake_new(const struct intake_policy *p, const char *label)
{
	struct intake *in = xcalloc(1, sizeof(*in));

	in->pol = *p;
	in->label = xstrdup(label);
	in->fd = -1;
	in->g.fd = -1;
	in->left = -1;
	buf_init(&in->top, 0);
	buf_init(&in->path, 0);
	buf_init(&in->link, 0);
	buf_init(&in->refused, 0);
	in->links = json_object();
	if (p->top) {
		buf_addstr(&in->top, p->top);
		in->top_state = 1;
	}
	return in;
}

int intake_open_fd(struct intake **inp, int fd, const char *label,
		   const struct intake_policy *p, struct buf *err)
{
	struct intake *in = intake_new(p, label);
	int r;

	in->fd = fd;
	if ((r = start(in, err))) {
		intake_free(in);
		in = NULL;
	}
	*inp = in;
	return r;
}

int intake_open(struct intake **inp, const char *path, const struct intake_policy *p,
		struct buf *err)
{
	/* O_NONBLOCK: a FIFO or a device named by mistake must not hang the open */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY), r;
	struct stat st;

	*inp = NULL;
	if (fd < 0) {
		buf_addf(err, "%s: cannot open: %s\n", path, strerror(errno));
		return CF_ERR_IO;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		buf_addf(err, "%s: not a regular file or a directory\n", path);
		close(fd);
		return CF_ERR_IO;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	r = intake_open_fd(inp, fd, path, p, err);
	if (r)
		close(fd);
	else
		(*inp)->own_fd = 1;
	return r;
}

void intake_free(struct intake *in)
{
	if (!in)
		return;
	if (in->a)
		archive_read_free(in->a);
	gzsrc_close(&in->g);
	if (in->own_fd)
		close(in->fd);
	free(in->label);
	free(in->head);
	free(in->chunk);
	buf_release(&in->top);
	buf_release(&in->path);
	buf_release(&in->link);
	buf_release(&in->refused);
	json_decref(in->links);
	free(in);
}

const char *intake_top(const struct intake *in)
{
	return in->top_state > 0 ? in->top.data : NULL;
}

unsigned intake_count(const struct intake *in)
{
	return in->entries;
}

/* ---- members ------------------------------------------------------------------- */

static int fail(struct intake *in, int r)
{
	in->ended = r;
	in->in_member = 0;
	return r;
}

/* Inflated against stored bytes of the archive so far: a bomb stops the reading. */
static int bomb(struct intake *in, struct buf *err)
{
	uint64_t stored = in->gz ? in->g.in_total : (uint64_t)archive_filter_bytes(in->a, -1);
	uint64_t out = in->gz ? in->g.out_total : (uint64_t)archive_filter_bytes(in->a, 0);

	if (out < in->pol.ratio_floor || out / (stored ? stored : 1) < in->pol.ratio_max)
		return 0;
	buf_addf(err, "%s: inflates more than %u times its size by member '%s' (a decompression "
		 "bomb?); stopped reading\n", in->label, in->pol.ratio_max, in->e.path);
	return fail(in, CF_ERR_CAP);
}

static int count(struct intake *in, uint64_t n, struct buf *err)
{
	in->total += n;
	if (in->left >= 0)
		in->left -= (int64_t)n < in->left ? (int64_t)n : in->left;
	if (in->total <= in->pol.total_cap)
		return 0;
	buf_addf(err, "%s: the total decompressed size cap (%llu bytes) was reached in '%s'; "
		 "stopped reading (a decompression bomb?)\n", in->label,
		 (unsigned long long)in->pol.total_cap, in->e.path);
	return fail(in, CF_ERR_CAP);
}

ssize_t intake_read(struct intake *in, void *buf, size_t n, struct buf *err)
{
	la_ssize_t got = 0;
	int tries = 0, r;

	if (!in->in_member)
		return in->ended < 0 ? in->ended : 0;
	do
		got = archive_read_data(in->a, buf, n);
	while (got == ARCHIVE_WARN && ++tries < WARN_RETRIES);
	if (got < 0) {
		buf_addf(err, "%s: member '%s': %s\n", in->label, in->e.path,
			 archive_error_string(in->a) ? archive_error_string(in->a) : "read error");
		return fail(in, CF_ERR_ARCHIVE);
	}
	if (!got) {
		in->in_member = 0;
		return 0;
	}
	if ((r = count(in, (uint64_t)got, err)) || (r = bomb(in, err)))
		return r;
	return got;
}

int intake_skip(struct intake *in, struct buf *err)
{
	int r;

	if (!in->in_member)
		return in->ended < 0 ? in->ended : 0;
	in->in_member = 0;
	/* what the archive says is left counts before it is passed over */
	if (in->left > 0 && (r = count(in, (uint64_t)in->left, err)))
		return r;
	if (archive_read_data_skip(in->a) != ARCHIVE_OK) {
		buf_addf(err, "%s: member '%s': %s\n", in->label, in->e.path,
			 archive_error_string(in->a) ? archive_error_string(in->a) : "read error");
		return fail(in, CF_ERR_ARCHIVE);
	}
	return bomb(in, err);
}

static void refuse(struct intake *in, const char *what, const char *why)
{
	buf_reset(&in->refused);
	buf_addf(&in->refused, "'%s': %s", what, why);
	in->e.refused = in->refused.data;
}

/* The top folder: the first member's first folder, unless it is a host's own. */
static void find_top(struct intake *in, const char *p, int is_dir)
{
	size_t n = strcspn(p, "/");

	if (in->top_state || !*p)
		return;
	in->top_state = -1;
	if ((p[n] || is_dir) &&
	    !(in->pol.host_folder && in->pol.host_folder(in->pol.ctx, p, n))) {
		buf_add(&in->top, p, n);
		in->top_state = 1;
	}
}

/* in->path below the top, in place; -1 when it is outside a required top. */
static int below_top(struct intake *in, int is_dir)
{
	size_t n = in->top.len;

	if (in->top_state > 0 && !strncmp(in->path.data, in->top.data, n) &&
	    ((!in->path.data[n] && is_dir) || in->path.data[n] == '/')) {
		buf_consume(&in->path, n + (in->path.data[n] == '/'));
		return 0;
	}
	return in->pol.top ? -1 : 0;
}

/* Is p, or a folder it is in, a link handed out before? */
static int below_link(struct intake *in, const char *p)
{
	const char *s;

	for (s = strchr(p, '/'); s; s = strchr(s + 1, '/'))
		if (json_object_getn(in->links, p, (size_t)(s - p)))
			return 1;
	return 0;
}

static void judge_link(struct intake *in, struct archive_entry *ae)
{
	const char *why, *target = archive_entry_symlink(ae);

	in->e.target = target ? target : "";

	if (intake_link_clean(in->e.path, target, in->pol.path_max, &in->link, &why)) {
		buf_reset(&in->link);
		buf_addf(&in->link, "%s -> %s", in->e.path, target ? target : "");
		refuse(in, in->link.data, why);
		in->e.link = NULL;
		return;
	}
	in->e.link = in->link.data;
	json_object_setn_nocheck(in->links, in->e.path, strlen(in->e.path), json_true());
}

/* A hard link names another member: its path is cleaned like a member's. */
static void judge_hardlink(struct intake *in, const char *target)
{
	struct buf save = in->path;
	const char *why = NULL;

	buf_init(&in->path, 0);
	if (intake_path_clean(target, in->pol.path_max, &in->path, &why) || below_top(in, 0)) {
		refuse(in, target, why ? why : "it points outside the archive");
	} else {
		buf_reset(&in->link);
		buf_add(&in->link, in->path.data, in->path.len);
		in->e.link = in->link.data;
	}
	buf_release(&in->path);
	in->path = save;
}

static void fill(struct intake *in, struct archive_entry *ae)
{
	struct intake_entry *e = &in->e;
	const char *name = archive_entry_pathname(ae), *why = NULL;
	mode_t t = archive_entry_filetype(ae);

	memset(e, 0, sizeof(*e));
	e->name = name ? name : "";
	e->type = archive_entry_hardlink(ae) ? INTAKE_HARDLINK : t == AE_IFREG ? INTAKE_FILE :
		  t == AE_IFDIR ? INTAKE_DIR : t == AE_IFLNK ? INTAKE_SYMLINK : INTAKE_OTHER;
	e->size = archive_entry_size_is_set(ae) ? (int64_t)archive_entry_size(ae) : -1;
	e->mtime = (int64_t)archive_entry_mtime(ae);
	in->left = e->size;
	if (!name || !*name) {
		buf_reset(&in->path);
		e->path = in->path.data;
		refuse(in, "", "a member without a name");
		return;
	}
	if (intake_path_clean(name, in->pol.path_max, &in->path, &why)) {
		e->path = in->path.data;
		refuse(in, name, why);
		return;
	}
	find_top(in, in->path.data, e->type == INTAKE_DIR);
	e->path = in->path.data;
	if (below_top(in, e->type == INTAKE_DIR)) {
		buf_reset(&in->refused);
		buf_addf(&in->refused, "'%s': outside %s/", name, in->top.data);
		e->refused = in->refused.data;
		return;
	}
	e->path = in->path.data;
	if (below_link(in, e->path))
		refuse(in, name, "it is inside a folder that is a link");
	else if (e->type == INTAKE_SYMLINK)
		judge_link(in, ae);
	else if (e->type == INTAKE_HARDLINK)
		judge_hardlink(in, archive_entry_hardlink(ae));
}

/* At the end: a gzip stream is read to its trailer, its CRC checked. */
static int finish(struct intake *in, struct buf *err)
{
	if (in->gz && gzsrc_finish(&in->g)) {
		buf_addf(err, "%s: %s after %u members\n", in->label, in->g.msg, in->entries);
		return fail(in, CF_ERR_ARCHIVE);
	}
	in->ended = 1;
	return 0;
}

int intake_next(struct intake *in, const struct intake_entry **e, struct buf *err)
{
	struct archive_entry *ae;
	int r;

	*e = NULL;
	if (in->ended)
		return in->ended < 0 ? in->ended : 0;
	if (in->in_member && (r = intake_skip(in, err)))
		return r;
	r = archive_read_next_header(in->a, &ae);
	if (r == ARCHIVE_EOF)
		return finish(in, err);
	if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
		buf_addf(err, "%s: %s after %u members\n", in->label,
			 archive_error_string(in->a) ? archive_error_string(in->a) :
			 "the archive is damaged", in->entries);
		return fail(in, CF_ERR_ARCHIVE);
	}
	if (++in->entries > in->pol.members_max) {
		buf_addf(err, "%s: more than %u members (a flood?); stopped reading\n", in->label,
			 in->pol.members_max);
		return fail(in, CF_ERR_CAP);
	}
	fill(in, ae);
	in->in_member = 1;
	*e = &in->e;
	return 1;
}
