/*
 * clean.c: an obfuscated copy of a bundle (see clean.h): the input read twice
 * as a stream (libarchive, or O_NOFOLLOW in a folder); each cleaned member
 * goes to an unnamed temporary file first: a tar member's size comes first.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <jansson.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "bwriter.h"
#include "casefile.h"
#include "catalog.h"
#include "clean.h"
#include "clean_input.h"
#include "hash.h"
#include "intake.h"
#include "manifest.h"
#include "text.h"

#define CHUNK (256 * 1024)
#define LEARN_CAP (1024 * 1024)		/* bytes of a member read to learn names */
/* A manifest is read one byte past the JSON cap: a larger one is refused, not cut. */
#define MANIFEST_CAP (((size_t)8 << 20) + 1)
#define MEMBER_CAP (8ULL << 30)

/* ---- pass 1: what names the host --------------------------------------------- */

static void learn_manifest(struct obf *o, const struct buf *b)
{
	struct buf why = BUF_INIT(0);
	json_t *m = intake_json_load(b->data, b->len, NULL, &why);
	const char *host = json_string_value(json_object_get(m, MF_HOST));
	const char *user = json_string_value(json_object_get(m, MF_USER));

	if (host)
		obf_learn_host(o, host, strlen(host));
	if (user && strcmp(user, "root"))
		obf_learn_user(o, user, strlen(user));
	json_decref(m);
	buf_release(&why);	/* said when the manifest is written */
}

static int learn(struct obf *o, const char *path, const struct catalog *cat, char **top,
		 int *manifest, struct buf *err)
{
	struct clean_input in;
	struct buf b = BUF_INIT(0);
	int64_t mtime;
	int r = clean_input_open(&in, path, cat, err);

	while (!r && (r = clean_input_next(&in, &mtime, err)) == 1) {
		obf_learn_path(o, in.rel);
		if (in.link || (!obf_learns_from(in.rel) && strcmp(in.rel, MANIFEST_PATH))) {
			r = 0;
			continue;
		}
		buf_reset(&b);
		if ((r = clean_read_member(&in, &b, strcmp(in.rel, MANIFEST_PATH) ? LEARN_CAP :
					     MANIFEST_CAP, err)))
			break;
		if (!strcmp(in.rel, MANIFEST_PATH)) {
			learn_manifest(o, &b);
			*manifest = 1;
		}
		else
			obf_learn_text(o, in.rel, b.data, b.len);
		r = 0;
	}
	*top = in.top ? xstrdup(in.top) : NULL;
	if (in.top)
		obf_learn_folder(o, in.top);
	clean_input_close(&in);
	buf_release(&b);
	return r < 0 ? r : 0;
}

/* ---- pass 2: the cleaned copy ---------------------------------------------------- */

struct writer {
	struct obf *o;
	struct bwriter w;
	struct clean_result *res;
	const char *outdir;
	const struct catalog *cat;	/* its host folders: a first folder that is no top */
	json_t *sums;			/* member (as it was) -> "BYTES SHA256"; only for a manifest */
	struct buf manifest;		/* a casefile manifest, written last */
	struct buf dropped;		/* binary members, for the message */
};

/* The first n bytes of carry, cleaned, into fd and the checksum. */
static int emit(struct writer *wr, struct buf *carry, size_t n, int fd, struct sha256 *h,
		uint64_t *size, struct buf *err)
{
	struct buf out = BUF_INIT(0);
	int r = 0;

	wr->res->replacements += obf_chunk(wr->o, carry->data, n, &out);
	buf_consume(carry, n);
	sha256_update(h, out.data, out.len);
	*size += out.len;
	if (write(fd, out.data, out.len) != (ssize_t)out.len) {
		buf_addf(err, "cannot write a temporary file in %s: %s", wr->outdir, strerror(errno));
		r = CF_ERR_IO;
	}
	buf_release(&out);
	return r;
}

/* Clean the current member into fd; its new size and checksum. 1: binary, left out. */
static int clean_member(struct writer *wr, struct clean_input *in, int fd, uint64_t *size,
			char hex[SHA256_HEX_LEN + 1], struct buf *err)
{
	struct buf carry = BUF_INIT(0);
	char *chunk = xmalloc(CHUNK);
	struct sha256 h;
	uint64_t seen = 0;
	ssize_t n;
	int r = 0, first = 1;

	sha256_init(&h);
	*size = 0;
	while ((n = clean_input_read(in, chunk, CHUNK, err)) > 0) {
		const char *nl;

		if (first && memchr(chunk, '\0', (size_t)n < 8192 ? (size_t)n : 8192)) {
			r = 1;
			goto out;
		}
		first = 0;
		seen += (uint64_t)n;
		if (seen > MEMBER_CAP) {
			buf_addf(err, "%s: %s: larger than the cap of clean (%llu GiB a member)",
				 in->path, in->rel, MEMBER_CAP >> 30);
			r = CF_ERR_CAP;
			goto out;
		}
		buf_add(&carry, chunk, (size_t)n);
		nl = memrchr(carry.data, '\n', carry.len);
		if (!nl && carry.len < CHUNK * 4)
			continue;
		if ((r = emit(wr, &carry, nl ? (size_t)(nl - carry.data + 1) : carry.len, fd, &h,
			      size, err)))
			goto out;
	}
	if (n < 0) {
		r = (int)n;
		goto out;
	}
	r = emit(wr, &carry, carry.len, fd, &h, size, err);
out:
	sha256_final_hex(&h, hex);
	buf_release(&carry);
	free(chunk);
	return r;
}

static int copy_in(struct writer *wr, const char *rel, int fd, uint64_t size, int64_t mtime,
		   struct buf *err)
{
	char *chunk = xmalloc(CHUNK), *name = obf_name(wr->o, rel);
	ssize_t n;
	int r = bwriter_begin(&wr->w, name, size, mtime);

	lseek(fd, 0, SEEK_SET);
	while (!r && (n = read(fd, chunk, CHUNK)) > 0)
		r = bwriter_write(&wr->w, chunk, (size_t)n);
	if (!r)
		r = bwriter_end(&wr->w);
	if (r)
		buf_addf(err, "cannot write the cleaned bundle: %s", bwriter_error(&wr->w));
	free(chunk);
	free(name);
	return r ? CF_ERR_ARCHIVE : 0;
}

static int temp_file(const char *dir, struct buf *err)
{
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);

	if (fd < 0)
		buf_addf(err, "cannot make a temporary file in %s: %s", dir, strerror(errno));
	return fd;
}

/* A link that stays inside: its name and its target cleaned as paths are. */
static int one_link(struct writer *wr, struct clean_input *in, int64_t mtime, struct buf *err)
{
	char *name = obf_name(wr->o, in->rel), *target = obf_name(wr->o, in->link);
	int r = bwriter_link(&wr->w, name, target, mtime);

	if (r)
		buf_addf(err, "cannot write the cleaned bundle: %s", bwriter_error(&wr->w));
	wr->res->links++;
	free(name);
	free(target);
	return r ? CF_ERR_ARCHIVE : 0;
}

static int one_member(struct writer *wr, struct clean_input *in, int64_t mtime, struct buf *err)
{
	char hex[SHA256_HEX_LEN + 1];
	uint64_t size;
	int fd, r;

	if (in->link)
		return one_link(wr, in, mtime, err);
	wr->res->members++;
	if (!strcmp(in->rel, MANIFEST_PATH))
		return clean_read_member(in, &wr->manifest, MANIFEST_CAP, err);
	fd = temp_file(wr->outdir, err);
	if (fd < 0)
		return CF_ERR_IO;
	r = clean_member(wr, in, fd, &size, hex, err);
	if (r == 1) {
		wr->res->dropped_binary++;
		if (wr->res->dropped_binary <= 5) {
			/* a member's name is the archive's: never raw to a terminal */
			buf_addstr(&wr->dropped, wr->dropped.len ? ", " : "");
			text_term_add(&wr->dropped, in->rel, strlen(in->rel));
		}
		r = 0;
	} else if (!r) {
		r = copy_in(wr, in->rel, fd, size, mtime, err);
		if (wr->sums)
			json_object_set_new(wr->sums, in->rel, json_sprintf("%llu %s",
					    (unsigned long long)size, hex));
	}
	close(fd);
	return r;
}

/* A casefile manifest: its members' new sizes and checksums, then cleaned. */
static int write_manifest(struct writer *wr, struct buf *err)
{
	struct buf out = BUF_INIT(0), why = BUF_INIT(0);
	json_t *m = intake_json_load(wr->manifest.data, wr->manifest.len, NULL, &why), *it;
	char *text;
	size_t i;
	int r;

	if (!m) {
		/* its checksums cannot be made to match: the copy goes without it */
		warning("%s: %s; left out of the cleaned copy", MANIFEST_PATH, why.data);
		wr->res->dropped_other++;
		buf_release(&why);
		return 0;
	}
	buf_release(&why);
	json_array_foreach(json_object_get(m, MF_ITEMS), i, it) {
		const char *p = json_string_value(json_object_get(it, MF_ITEM_PATH));
		const char *sum = p ? json_string_value(json_object_get(wr->sums, p)) : NULL;
		char *hex;

		if (sum) {
			unsigned long long bytes = strtoull(sum, &hex, 10);

			json_object_set_new(it, MF_ITEM_SHA256, json_string(hex + 1));
			json_object_set_new(it, MF_ITEM_BYTES, json_integer((json_int_t)bytes));
		} else if (p && json_object_get(it, MF_ITEM_SHA256)) {
			/* left out (binary): it is not in the cleaned bundle */
			json_object_set_new(it, MF_ITEM_SHA256, json_null());
			json_object_set_new(it, MF_ITEM_BYTES, json_integer(0));
		}
	}
	json_object_set_new(m, MF_OBFUSCATED, json_true());
	text = json_dumps(m, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(m);
	obf_chunk(wr->o, text, strlen(text), &out);
	r = bwriter_add(&wr->w, MANIFEST_PATH, out.data, out.len, time(NULL));
	if (r)
		buf_addf(err, "cannot write the cleaned bundle: %s", bwriter_error(&wr->w));
	free(text);
	buf_release(&out);
	return r ? CF_ERR_ARCHIVE : 0;
}

/* The input's name without its archive extensions. */
static char *stem(const char *path)
{
	static const char *const ext[] = { ".tar.gz", ".tar.xz", ".tar.bz2", ".tar.zst", ".tgz",
		".txz", ".tbz", ".tar" };
	char *b = clean_base_of(path);
	size_t i, n = strlen(b);

	for (i = 0; i < ARRAY_SIZE(ext); i++) {
		size_t k = strlen(ext[i]);

		if (n > k && !strcmp(b + n - k, ext[i])) {
			b[n - k] = '\0';
			break;
		}
	}
	return b;
}

/*
 * NAME-clean, or NAME-clean-2 ...: a cleaned copy never replaces another
 * (CF_ERR_EXISTS when 99 are there).
 * NAME comes from the archive: only letters, digits, '.', '_' and '-' stay,
 * so it cannot leave outdir or start hidden.
 */
static int unique_name(const char *outdir, const char *top, struct buf *name)
{
	struct buf p = BUF_INIT(0), safe = BUF_INIT(0);
	const char *c;
	int i;

	if (!*top || *top == '.')
		buf_addstr(&safe, "bundle");
	for (c = top; *c && safe.len < 200; c++)
		buf_addch(&safe, isalnum((unsigned char)*c) || strchr("._-", *c) ? *c : '_');
	for (i = 1; i < 100; i++) {
		buf_reset(name);
		buf_addf(name, i == 1 ? "%s-clean" : "%s-clean-%d", safe.data, i);
		buf_reset(&p);
		buf_addf(&p, "%s/%s.tar.gz", outdir, name->data);
		if (access(p.data, F_OK)) {
			buf_release(&p);
			buf_release(&safe);
			return 0;
		}
	}
	buf_release(&p);
	buf_release(&safe);
	return CF_ERR_EXISTS;
}

static int write_all(struct writer *wr, const char *input, struct buf *err)
{
	struct clean_input in;
	int64_t mtime;
	int r = clean_input_open(&in, input, wr->cat, err);

	while (!r && (r = clean_input_next(&in, &mtime, err)) == 1)
		r = one_member(wr, &in, mtime, err);
	wr->res->dropped_other = in.links + in.refused;
	if (in.refused)
		warning("%u member%s left out: %s%s", in.refused, in.refused == 1 ? "" : "s",
			in.why.data, in.refused > 5 ? "; ..." : "");
	clean_input_close(&in);
	if (!r && wr->manifest.len)
		r = write_manifest(wr, err);
	return r;
}

int clean_bundle(const char *input, const struct clean_opts *o, struct clean_result *res)
{
	struct writer wr;
	struct catalog cat = { 0 };
	struct buf err = BUF_INIT(0), name = BUF_INIT(0), mp = BUF_INIT(0);
	char *top = NULL, *dir = xstrdup(input), *clean_top = NULL, hex[SHA256_HEX_LEN + 1];
	const char *outdir = o->outdir ? o->outdir : dirname(dir);
	int r, manifest = 0;

	memset(res, 0, sizeof(*res));
	memset(&wr, 0, sizeof(wr));
	wr.o = obf_new();
	wr.res = res;
	wr.outdir = outdir;
	if (o->map && !access(o->map, F_OK) && obf_map_load(wr.o, o->map)) {
		r = CF_ERR_PARSE;
		goto out;
	}
	if (catalog_load_default(&cat, &err)) {
		r = CF_ERR_PARSE;
		goto fail;
	}
	wr.cat = &cat;
	if ((r = learn(wr.o, input, &cat, &top, &manifest, &err)))
		goto fail;
	wr.sums = manifest ? json_object() : NULL;
	if (!top)
		top = stem(input);
	clean_top = obf_name(wr.o, top);
	if (unique_name(outdir, clean_top, &name)) {
		buf_addf(&err, "%s: too many cleaned copies of %s already", outdir, clean_top);
		r = CF_ERR_IO;
		goto fail;
	}
	if (bwriter_open(&wr.w, outdir, name.data)) {
		buf_addf(&err, "cannot write in %s: %s", outdir, strerror(errno));
		r = CF_ERR_IO;
		goto fail;
	}
	r = write_all(&wr, input, &err);
	if (r || (r = bwriter_finish(&wr.w, hex))) {
		if (!err.len)
			buf_addf(&err, "cannot write the cleaned bundle: %s", bwriter_error(&wr.w));
		bwriter_abort(&wr.w);
		goto fail;
	}
	buf_addf(&mp, "%s/%s.tar.gz", outdir, name.data);
	res->bundle_path = buf_detach(&mp, NULL);
	if (o->map)
		buf_addstr(&mp, o->map);
	else
		buf_addf(&mp, "%s/%s.map.json", outdir, name.data);
	res->map_path = buf_detach(&mp, NULL);
	if (obf_map_save(wr.o, res->map_path)) {
		r = CF_ERR_IO;
		goto out;
	}
	if (wr.dropped.len)
		warning("%u binary member%s left out (their bytes cannot be cleaned): %s%s",
			res->dropped_binary, res->dropped_binary == 1 ? "" : "s", wr.dropped.data,
			res->dropped_binary > 5 ? ", ..." : "");
	goto out;
fail:
	error_lines(err.data);
out:
	obf_free(wr.o);
	catalog_release(&cat);
	json_decref(wr.sums);
	buf_release(&wr.manifest);
	buf_release(&wr.dropped);
	buf_release(&err);
	buf_release(&name);
	buf_release(&mp);
	free(top);
	free(clean_top);
	free(dir);
	return r;
}

void clean_result_release(struct clean_result *res)
{
	free(res->bundle_path);
	free(res->map_path);
	memset(res, 0, sizeof(*res));
}
