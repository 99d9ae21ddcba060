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

#define READ_CHUNK (256 * 1024)
#define META_CAP (16 * 1024 * 1024)
#define BINARY_PROBE 8192
#define MAX_DEPTH 32

const char *layout_name(enum layout l)
{
	switch (l) {
	case LAYOUT_CASEFILE: return "casefile";
	case LAYOUT_SOSREPORT: return "sosreport";
	case LAYOUT_DIRECTORY: return "directory";
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
	strv_free(bi->gaps);
	strv_free(bi->notes);
	memset(bi, 0, sizeof(*bi));
}

static void note(struct bundle_info *bi, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void note(struct bundle_info *bi, const char *fmt, ...)
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

/* ---- the walk's state ------------------------------------------------- */

enum meta { META_NONE, META_CASEFILE_MANIFEST, META_SOS_MANIFEST, META_SOS_HOSTNAME };

struct walk {
	const struct bundle_limits *lim;
	const struct bundle_visitor *v;
	struct bundle_info *bi;
	struct buf *err;
	/* the member being read */
	struct member m;
	enum meta meta;
	int deliver;		/* the visitor wants the lines */
	int stop_member;	/* binary, capped, or the visitor said stop */
	uint64_t member_bytes;	/* decompressed, counted against member_cap */
	uint64_t lineno;	/* lines delivered so far */
	int first;		/* no byte seen yet */
	int gz;			/* member content is gzip */
	int gz_done;
	z_stream zs;
	struct buf carry;	/* a partial last line */
	struct buf meta_buf;
	int skipping_long;	/* inside a line past line_cap */
	char *zout;
	int total_hit;
};

static void parse_casefile_manifest(struct walk *w)
{
	json_error_t e;
	json_t *m = json_loadb(w->meta_buf.data, w->meta_buf.len, 0, &e), *items, *it;
	const char *s;
	size_t i;

	if (!m) {
		note(w->bi, "%s: manifest is not valid JSON (line %d: %s)", w->m.path,
		     e.line, e.text);
		return;
	}
	w->bi->layout = LAYOUT_CASEFILE;
	if ((s = json_string_value(json_object_get(m, MF_HOST))) && !w->bi->hostname)
		w->bi->hostname = xstrdup(s);
	if ((s = json_string_value(json_object_get(m, MF_TICKET))) && !w->bi->ticket)
		w->bi->ticket = xstrdup(s);
	if ((s = json_string_value(json_object_get(m, MF_PROBLEM))) && !w->bi->problem)
		w->bi->problem = xstrdup(s);
	if ((s = json_string_value(json_object_get(m, MF_FINISHED_AT))))
		w->bi->collected_at = ts_parse(s, strlen(s), 0).sec;
	if (json_is_false(json_object_get(m, MF_COMPLETE)))
		w->bi->complete = 0;
	items = json_object_get(m, MF_ITEMS);
	if (w->bi->gaps)
		items = NULL;	/* read once already (a directory's manifest first) */
	json_array_foreach(items, i, it) {
		const char *st = json_string_value(json_object_get(it, MF_ITEM_STATUS));
		const char *src = json_string_value(json_object_get(it, MF_ITEM_SOURCE));
		const char *er = json_string_value(json_object_get(it, MF_ITEM_ERROR));
		const char *path = json_string_value(json_object_get(it, MF_ITEM_PATH));
		int trunc = json_is_true(json_object_get(it, MF_ITEM_TRUNCATED));
		int status = st ? item_status_parse(st) : -1;
		struct buf b = BUF_INIT(0);

		if (!st || !src || (status == ITEM_OK && !trunc))
			continue;
		if (status >= 0 && status != ITEM_OK && !item_status_is_gap(status))
			continue;
		if (status == ITEM_OK)
			buf_addf(&b, "%s: truncated to its end (%s)", src, path ? path : "?");
		else
			buf_addf(&b, "%s: %s%s%s", src, st, er ? ": " : "", er ? er : "");
		if (strv_len(w->bi->gaps) < 200)
			strv_push(&w->bi->gaps, buf_detach(&b, NULL));
		else
			buf_release(&b);
	}
	json_decref(m);
}

static void parse_sos_manifest(struct walk *w)
{
	json_t *m = json_loadb(w->meta_buf.data, w->meta_buf.len, 0, NULL);
	const char *s;

	if (!m)
		return;
	w->bi->layout = LAYOUT_SOSREPORT;
	if ((s = json_string_value(json_object_get(m, "end_time"))) ||
	    (s = json_string_value(json_object_get(m, "start_time"))))
		w->bi->collected_at = ts_parse(s, strlen(s), 0).sec;
	json_decref(m);
}

static void finish_meta(struct walk *w)
{
	switch (w->meta) {
	case META_CASEFILE_MANIFEST:
		parse_casefile_manifest(w);
		break;
	case META_SOS_MANIFEST:
		parse_sos_manifest(w);
		break;
	case META_SOS_HOSTNAME:
		if (!w->bi->hostname && w->meta_buf.len) {
			size_t n = strcspn(w->meta_buf.data, "\r\n");

			w->bi->hostname = xstrndup(w->meta_buf.data, n);
		}
		break;
	default:
		break;
	}
	buf_reset(&w->meta_buf);
}

static enum meta meta_of(const char *path)
{
	if (!strcmp(path, MANIFEST_PATH))
		return META_CASEFILE_MANIFEST;
	if (!strcmp(path, "sos_reports/manifest.json"))
		return META_SOS_MANIFEST;
	if (!strcmp(path, "hostname") || !strcmp(path, "sos_commands/host/hostname"))
		return META_SOS_HOSTNAME;
	return META_NONE;
}

/* ---- one member: bytes in, blocks of lines out ------------------------- */

/*
 * Binary: more than 5% control bytes in the first block. A stray NUL does
 * not make a log binary (logs after a crash often hold runs of NULs), and
 * random or compressed data has about 10%.
 */
static int looks_binary(const char *p, size_t n)
{
	size_t i, ctl = 0;

	if (n > BINARY_PROBE)
		n = BINARY_PROBE;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if ((c < 0x20 && !strchr("\t\n\r\f\v\033", c)) || c == 0x7f || !c)
			ctl++;
	}
	return ctl * 20 > n;
}


static int begin_member(struct walk *w, const char *path, int64_t mtime)
{
	w->m.path = path;
	w->m.mtime = mtime;
	w->meta = meta_of(path);
	w->deliver = w->v->want(w->v->ctx, &w->m);
	w->stop_member = 0;
	w->member_bytes = 0;
	w->lineno = 0;
	w->first = 1;
	w->gz = 0;
	w->gz_done = 0;
	w->skipping_long = 0;
	buf_reset(&w->carry);
	w->bi->members++;
	if (w->deliver)
		w->bi->members_read++;
	return w->deliver || w->meta != META_NONE;
}

/* Deliver the whole lines of carry; keep the partial last one. */
static void flush_lines(struct walk *w, int at_end)
{
	char *last;
	size_t upto;
	uint64_t lines;

	if (!w->carry.len)
		return;
	if (at_end && w->carry.data[w->carry.len - 1] != '\n')
		buf_addch(&w->carry, '\n');
	last = memrchr(w->carry.data, '\n', w->carry.len);
	if (!last)
		return;
	upto = (size_t)(last - w->carry.data) + 1;
	lines = count_newlines(w->carry.data, upto);
	if (!w->stop_member &&
	    w->v->lines(w->v->ctx, &w->m, w->carry.data, upto, w->lineno + 1))
		w->stop_member = 1;
	w->lineno += lines;
	buf_consume(&w->carry, upto);
}

/* Plain bytes of the member (after any inner gzip). */
static void push_text(struct walk *w, const char *data, size_t n)
{
	while (n && !w->stop_member) {
		size_t take;

		if (w->skipping_long) {
			const char *nl = memchr(data, '\n', n);

			if (!nl)
				return;
			n -= (size_t)(nl - data) + 1;
			data = nl + 1;
			w->skipping_long = 0;
			continue;
		}
		take = n < BUNDLE_BLOCK ? n : BUNDLE_BLOCK;
		buf_add(&w->carry, data, take);
		data += take;
		n -= take;
		if (w->carry.len >= BUNDLE_BLOCK)
			flush_lines(w, 0);
		if (w->carry.len > w->lim->line_cap && !memchr(w->carry.data, '\n', w->carry.len)) {
			/* one line longer than the cap: keep its start, drop the rest */
			w->carry.len = w->lim->line_cap;
			buf_addch(&w->carry, '\n');
			flush_lines(w, 0);
			w->skipping_long = 1;
			note(w->bi, "%s:%llu: line longer than %zu bytes, cut", w->m.path,
			     (unsigned long long)w->lineno, w->lim->line_cap);
		}
	}
}

static int count_bytes(struct walk *w, size_t n)
{
	w->member_bytes += n;
	w->bi->bytes_read += n;
	if (w->bi->bytes_read > w->lim->total_cap) {
		buf_addf(w->err, "%s: the bundle's total decompressed size cap (%llu bytes) "
			 "was reached in '%s'; stopped reading (a decompression bomb?)\n",
			 w->bi->path, (unsigned long long)w->lim->total_cap, w->m.path);
		w->total_hit = 1;
		return CF_ERR_CAP;
	}
	if (w->member_bytes > w->lim->member_cap) {
		note(w->bi, "%s: member decompressed size cap (%llu bytes) reached; "
		     "the rest of it was skipped", w->m.path,
		     (unsigned long long)w->lim->member_cap);
		w->stop_member = 1;
	}
	return 0;
}

static int push_bytes(struct walk *w, const char *data, size_t n)
{
	if (w->first && n) {
		w->first = 0;
		w->gz = n >= 2 && (unsigned char)data[0] == 0x1f && (unsigned char)data[1] == 0x8b;
		if (w->gz) {
			memset(&w->zs, 0, sizeof(w->zs));
			if (inflateInit2(&w->zs, 15 + 32) != Z_OK) {
				w->stop_member = 1;
				return 0;
			}
			if (!w->zout)
				w->zout = xmalloc(READ_CHUNK);
		} else if (w->deliver && looks_binary(data, n)) {
			note(w->bi, "%s: binary content, skipped", w->m.path);
			w->stop_member = 1;
			return 0;
		}
	}
	if (w->meta != META_NONE) {
		if (buf_add(&w->meta_buf, data, n))
			w->meta = META_NONE;	/* too large to be ours */
	}
	if (!w->gz) {
		int r = count_bytes(w, n);

		if (r)
			return r;
		if (w->deliver)
			push_text(w, data, n);
		return 0;
	}
	w->zs.next_in = (Bytef *)data;
	w->zs.avail_in = (uInt)n;
	while (w->zs.avail_in && !w->stop_member && !w->gz_done) {
		int zr, r;
		size_t got;

		w->zs.next_out = (Bytef *)w->zout;
		w->zs.avail_out = READ_CHUNK;
		zr = inflate(&w->zs, Z_NO_FLUSH);
		got = READ_CHUNK - w->zs.avail_out;
		if ((r = count_bytes(w, got)))
			return r;
		if (w->deliver && got) {
			if (w->lineno == 0 && w->carry.len == 0 && looks_binary(w->zout, got)) {
				note(w->bi, "%s: binary content, skipped", w->m.path);
				w->stop_member = 1;
				break;
			}
			push_text(w, w->zout, got);
		}
		if (zr == Z_STREAM_END) {
			/* concatenated gzip members continue the same text */
			if (w->zs.avail_in && inflateReset(&w->zs) == Z_OK)
				continue;
			w->gz_done = 1;
		} else if (zr != Z_OK && zr != Z_BUF_ERROR) {
			note(w->bi, "%s: corrupt gzip data after line %llu (%s); "
			     "the lines before it were read", w->m.path,
			     (unsigned long long)w->lineno, w->zs.msg ? w->zs.msg : "inflate error");
			w->stop_member = 1;
		}
	}
	return 0;
}

static void end_member(struct walk *w)
{
	if (w->gz) {
		if (!w->gz_done && !w->stop_member)
			note(w->bi, "%s: gzip data ends early (truncated); the lines before "
			     "it were read", w->m.path);
		inflateEnd(&w->zs);
	}
	if (w->deliver && !w->stop_member)
		flush_lines(w, 1);
	if (w->meta != META_NONE)
		finish_meta(w);
	buf_reset(&w->carry);
	buf_reset(&w->meta_buf);
}

/* ---- archives ----------------------------------------------------------- */

/* Is name a top-level folder of a host's tree (so no wrapper to drop)? */
static int host_top(const char *name, size_t n)
{
	static const char tops[] = " var etc proc sys usr opt home root run srv boot lib "
				   "commands casefile sos_commands sos_reports ";
	char pad[300];

	if (n > 250)
		return 0;
	snprintf(pad, sizeof(pad), " %.*s ", (int)n, name);
	return strstr(tops, pad) != NULL;
}

/* "./x", "/x" and the one top directory a bundle is rooted in are dropped. */
static const char *relative(const char *name, struct buf *top)
{
	while (name[0] == '.' && name[1] == '/')
		name += 2;
	while (*name == '/')
		name++;
	if (!top->len) {
		const char *slash = strchr(name, '/');

		if (slash && !host_top(name, (size_t)(slash - name)))
			buf_add(top, name, (size_t)(slash - name) + 1);
		else
			buf_addch(top, '\0');	/* not rooted in a directory */
	}
	if (top->len > 1 && !strncmp(name, top->data, top->len))
		return name + top->len;
	return name;
}

static void layout_from_top(struct bundle_info *bi, const char *top)
{
	if (bi->layout != LAYOUT_UNKNOWN)
		return;
	if (!strncmp(top, "casefile-", 9))
		bi->layout = LAYOUT_CASEFILE;
	else if (!strncmp(top, "sosreport-", 10) || !strncmp(top, "sos-collector", 13))
		bi->layout = LAYOUT_SOSREPORT;
}

/*
 * gzip inside gzip inside gzip...: a recursive gzip (a quine) sends
 * libarchive 3.6's filter detection into an endless loop, so look first.
 * Returns the number of nested gzip layers at the start of the file (up
 * to MAX_GZIP_LAYERS + 1).
 */
#define MAX_GZIP_LAYERS 3
#define PEEK 65536

static int gzip_layers(const char *path)
{
	unsigned char *in = xmalloc(PEEK), *out = xmalloc(PEEK);
	FILE *f = fopen(path, "rb");
	size_t n = f ? fread(in, 1, PEEK, f) : 0;
	int layers = 0;

	if (f)
		fclose(f);
	while (n >= 2 && in[0] == 0x1f && in[1] == 0x8b && layers <= MAX_GZIP_LAYERS) {
		z_stream zs;
		unsigned char *t;

		memset(&zs, 0, sizeof(zs));
		if (inflateInit2(&zs, 15 + 16) != Z_OK)
			break;
		zs.next_in = in;
		zs.avail_in = (uInt)n;
		zs.next_out = out;
		zs.avail_out = PEEK;
		inflate(&zs, Z_SYNC_FLUSH);
		n = PEEK - zs.avail_out;
		inflateEnd(&zs);
		layers++;
		t = in;
		in = out;
		out = t;
	}
	free(in);
	free(out);
	return layers;
}

static int walk_archive(struct walk *w, const char *path)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	struct buf top = BUF_INIT(4096);
	char *chunk = xmalloc(READ_CHUNK);
	int r = 0, ar;

	if (gzip_layers(path) > MAX_GZIP_LAYERS) {
		buf_addf(w->err, "%s: gzip nested more than %d layers deep (a recursive "
			 "gzip?); not read\n", path, MAX_GZIP_LAYERS);
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
	if (archive_read_open_filename(a, path, READ_CHUNK) != ARCHIVE_OK) {
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
		rel = relative(name, &top);
		if (top.len > 1 && w->bi->members == 0) {
			char t[256];

			snprintf(t, sizeof(t), "%.*s", (int)top.len, top.data);
			layout_from_top(w->bi, t);
		}
		if (!strncmp(rel, "sos_commands/", 13) && w->bi->layout == LAYOUT_UNKNOWN)
			w->bi->layout = LAYOUT_SOSREPORT;
		if (archive_entry_filetype(e) != AE_IFREG || !*rel)
			continue;
		if (!begin_member(w, rel, (int64_t)archive_entry_mtime(e))) {
			/* not wanted: skip, but never past the total cap */
			if (size > 0 && w->bi->bytes_read + (uint64_t)size > w->lim->total_cap) {
				w->m.path = rel;
				r = count_bytes(w, (size_t)size);
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
		for (;;) {
			la_ssize_t n = archive_read_data(a, chunk, READ_CHUNK);

			if (n == 0)
				break;
			if (n < 0) {
				if (n == ARCHIVE_WARN)
					continue;
				buf_addf(w->err, "%s: member '%s': %s\n", path, rel,
					 archive_error_string(a) ? archive_error_string(a) :
					 "read error");
				r = CF_ERR_ARCHIVE;
				break;
			}
			if ((r = push_bytes(w, chunk, (size_t)n)))
				break;
			if (w->stop_member && w->meta == META_NONE) {
				/* capped or binary: read on only to count, up to the cap */
				while ((n = archive_read_data(a, chunk, READ_CHUNK)) > 0)
					if ((r = count_bytes(w, (size_t)n)))
						break;
				break;
			}
		}
		end_member(w);
		if (r)
			break;
	}
	if (!r && ar != ARCHIVE_EOF) {
		buf_addf(w->err, "%s: %s after %u members\n", path,
			 archive_error_string(a) ? archive_error_string(a) : "archive is damaged",
			 w->bi->members);
		r = CF_ERR_ARCHIVE;
	}
out:
	archive_read_free(a);
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
		note(w->bi, "%s: cannot open: %s", rel, strerror(errno));
		return 0;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return 0;
	}
	if (!begin_member(w, rel, st.st_mtime)) {
		close(fd);
		return 0;
	}
	chunk = xmalloc(READ_CHUNK);
	while (!w->stop_member && (n = read(fd, chunk, READ_CHUNK)) != 0) {
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			note(w->bi, "%s: read failed: %s", rel, strerror(errno));
			break;
		}
		if ((r = push_bytes(w, chunk, (size_t)n)))
			break;
	}
	end_member(w);
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
static int unwrap_dir(const char *path, struct buf *root)
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
	if (count == 1 && !host_top(only, strlen(only))) {
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
	int fd, r;

	unwrap_dir(path, &root);
	if (exists_in(root.data, "casefile/manifest.json"))
		w->bi->layout = LAYOUT_CASEFILE;
	else if (exists_in(root.data, "sos_commands"))
		w->bi->layout = LAYOUT_SOSREPORT;
	else
		w->bi->layout = LAYOUT_DIRECTORY;
	if (w->bi->layout != LAYOUT_DIRECTORY) {
		const char *meta = w->bi->layout == LAYOUT_CASEFILE ?
			"casefile/manifest.json" : "sos_reports/manifest.json";
		int cfd = open(root.data, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		if (cfd >= 0) {
			walk_file(w, cfd, meta, meta);
			close(cfd);
		}
	}
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

int bundle_walk(const char *path, const struct bundle_limits *lim,
		const struct bundle_visitor *v, struct bundle_info *bi,
		struct buf *err)
{
	struct walk w;
	struct stat st;
	int r;

	memset(&w, 0, sizeof(w));
	w.lim = lim;
	w.v = v;
	w.bi = bi;
	w.err = err;
	buf_init(&w.carry, 0);
	buf_init(&w.meta_buf, META_CAP);
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
	free(w.zout);
	return r;
}
