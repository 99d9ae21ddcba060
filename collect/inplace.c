/*
 * inplace.c: a host collected over SSH by casefile itself, run there (see
 * inplace.h): the copy, the remote shell around it, and the bundle it
 * streams back.
 */
#include <ctype.h>
#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <zlib.h>
#include "bwriter.h"
#include "casefile.h"
#include "inplace.h"
#include "ssh_session.h"
#include "text.h"

#define IMAGE_MAX (512u * 1024 * 1024)
#define HEADER_MAX 512
#define STOP_MARGIN_S 15	/* the host stops this long before its timeout */
#define STREAM_SLACK (64u * 1024 * 1024)	/* compressed bytes past the bundle cap */

/* ---- the image ----------------------------------------------------------- */

static int gzip_image(const struct buf *exe, struct inplace_image *im, struct buf *why)
{
	z_stream z;
	uLong bound;
	int zr;

	memset(&z, 0, sizeof(z));
	/* 16 + 15: a gzip stream, for gzip -dc on the host; level 1 is fast */
	if (deflateInit2(&z, 1, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return buf_addstr(why, "zlib: cannot start"), CF_ERR_NOMEM;
	bound = deflateBound(&z, (uLong)exe->len);
	im->gz = xmalloc(bound);
	z.next_in = (Bytef *)exe->data;
	z.avail_in = (uInt)exe->len;
	z.next_out = im->gz;
	z.avail_out = (uInt)bound;
	zr = deflate(&z, Z_FINISH);
	im->len = bound - z.avail_out;
	deflateEnd(&z);
	if (zr != Z_STREAM_END) {
		inplace_image_release(im);
		return buf_addf(why, "zlib: %s", z.msg ? z.msg : "cannot compress"), CF_ERR_NOMEM;
	}
	return 0;
}

int inplace_image_load(struct inplace_image *im, struct buf *why)
{
	struct buf exe = BUF_INIT(IMAGE_MAX);
	struct utsname u;
	size_t i;
	int r;

	memset(im, 0, sizeof(*im));
	if (uname(&u))
		return buf_addf(why, "uname: %s", strerror(errno)), CF_ERR_IO;
	/* compared in a shell on the host: plain characters only */
	for (i = 0; u.machine[i] && i < sizeof(im->machine) - 1; i++)
		im->machine[i] = isalnum((unsigned char)u.machine[i]) ? u.machine[i] : '_';
	if (buf_read_file(&exe, "/proc/self/exe")) {
		buf_addf(why, "cannot read this program (/proc/self/exe): %s",
			 errno ? strerror(errno) : "too large");
		buf_release(&exe);
		return CF_ERR_IO;
	}
	/* what the host must find in its copy before it runs it */
	if (sha256_hex(exe.data, exe.len, im->sha256)) {
		buf_release(&exe);
		return buf_addstr(why, "cannot start a SHA-256 digest"), CF_ERR_NOMEM;
	}
	r = gzip_image(&exe, im, why);
	buf_release(&exe);
	return r;
}

void inplace_image_release(struct inplace_image *im)
{
	free(im->gz);
	memset(im, 0, sizeof(*im));
}

/* ---- the remote side ------------------------------------------------------ */

static void add_opt(struct buf *cmd, const char *opt, const char *value)
{
	buf_addf(cmd, " %s ", opt);
	text_sh_quote(cmd, value);
}

/*
 * The collector's options: the words of this command line the host gets
 * too (run->args, made from cmd_collect's option table), then what is
 * this host's alone.
 */
static void collector_args(struct buf *cmd, const struct collect_opts *o,
			   const struct inplace_run *run, const char *name)
{
	struct passwd *pw = getpwuid(getuid());
	int64_t left = (run->deadline - now_ms()) / 1000;
	char *const *w;

	/* it stops itself and sends what it has before we give up on it */
	left = left > 2 * STOP_MARGIN_S ? left - STOP_MARGIN_S : left / 2;

	for (w = run->args; w && *w; w++) {
		buf_addch(cmd, ' ');
		text_sh_quote(cmd, *w);
	}
	add_opt(cmd, "--inplace", run->host);
	add_opt(cmd, "--bundle-name", name);
	add_opt(cmd, "--collected-by", pw ? pw->pw_name : "?");
	if (o->target)
		add_opt(cmd, "--target", o->target);
	if (o->address)
		add_opt(cmd, "--address", o->address);
	if (o->proxy)
		add_opt(cmd, "--proxy", o->proxy);
	buf_addf(cmd, " --stop-after %llds", (long long)(left > 1 ? left : 1));
}

/*
 * One shell command line: a private folder, removed however the shell ends
 * (the traps are set before it exists; PIPE too: when the client is gone,
 * sh's first word to the closed stderr would otherwise kill it, EXIT trap
 * and all, and leave a partial copy behind); the machine type checked
 * before the copy is unpacked; the copy's SHA-256 checked before it runs
 * (sha256sum, or openssl; with neither it does not run unchecked); casefile
 * run in the commands' clean environment. Exit 90-94: it could not be set
 * up, and stderr says why.
 */
static void remote_command(struct buf *cmd, const struct inplace_image *im,
			   const struct collect_opts *o, const struct inplace_run *run,
			   const char *name)
{
	buf_addstr(cmd,
		   "d=; trap '[ -z \"$d\" ] || rm -rf \"$d\"' EXIT; trap 'exit 129' HUP; "
		   "trap 'exit 130' INT; trap 'exit 141' PIPE; trap 'exit 143' TERM; umask 077; "
		   "d=$(mktemp -d \"${TMPDIR:-/tmp}/casefile.XXXXXXXX\") || exit 90; ");
	buf_addf(cmd, "m=$(uname -m); [ \"$m\" = %s ] || { echo \"this host is $m, "
		 "casefile here is %s\" >&2; exit 91; }; ", im->machine, im->machine);
	buf_addstr(cmd, "gzip -dc >\"$d/casefile\" || "
		   "{ echo \"cannot unpack casefile into $d\" >&2; exit 92; }; "
		   "if command -v sha256sum >/dev/null 2>&1; then "
		   "s=$(sha256sum <\"$d/casefile\"); s=${s%% *}; "
		   "elif command -v openssl >/dev/null 2>&1; then "
		   "s=$(openssl dgst -sha256 <\"$d/casefile\"); s=${s##* }; "
		   "else echo \"neither sha256sum nor openssl is on the host to check the copy "
		   "of casefile, which is not run unchecked\" >&2; exit 93; fi; ");
	buf_addf(cmd, "[ \"$s\" = %s ] || { echo \"the copy of casefile on the host is not the "
		 "one sent (its sha256 is $s)\" >&2; exit 94; }; ", im->sha256);
	buf_addstr(cmd, "chmod 700 \"$d/casefile\" || exit 92; env -i " SSH_SHELL_ENV " ");
	if (run->sudo)
		buf_addstr(cmd, "sudo -n -- ");
	buf_addstr(cmd, "\"$d/casefile\" collect");
	collector_args(cmd, o, run, name);
}

/* ---- the stream back -------------------------------------------------------- */

struct stream {
	const struct collect_opts *o;
	struct bwriter w;
	int open;		/* DIR/NAME.tar.gz.part is there */
	int started;		/* the header came: the rest is the bundle */
	char *name;
	struct buf head;	/* the header line, until its newline */
	struct buf err;		/* stderr, until a newline */
	char said[300];		/* its last line that was not progress */
	uint64_t bundle_cap;	/* of the collection; what the host sends has room for more */
	struct buf *why;	/* what went wrong, for the pump's callbacks */
};

/* DIR/NAME(-N).tar.gz.part, before the host is asked: NAME is then its top folder. */
static int reserve(struct stream *s, const char *host, struct buf *why)
{
	const char *outdir = s->o->outdir ? s->o->outdir : COLLECT_DEFAULT_DIR;
	int r;

	s->name = collect_bundle_name(host, NULL, s->o->ticket, s->o->label, time(NULL));
	if ((r = bwriter_open_free(&s->w, outdir, &s->name, 1)))
		return buf_addf(why, "cannot create the bundle in '%s'", outdir), r;
	s->open = 1;
	return 0;
}

/* The answer starts "casefile-inplace/1 NAME", NAME as asked. */
static int check_header(struct stream *s, struct buf *why)
{
	struct buf want = BUF_INIT(0);
	int r = 0;

	buf_addf(&want, INPLACE_MAGIC " %s", s->name);
	if (strcmp(s->head.data, want.data)) {
		buf_addstr(why, "casefile on the host did not answer as expected");
		r = CF_ERR_PARSE;
	}
	buf_release(&want);
	s->started = !r;
	return r;
}

static int on_stdout(struct stream *s, const char *p, size_t n, struct buf *why)
{
	if (!s->started) {
		const char *nl = memchr(p, '\n', n);
		size_t k = nl ? (size_t)(nl - p) : n;

		if (s->head.len + k > HEADER_MAX)
			return buf_addstr(why, "casefile on the host did not answer as expected"),
			       CF_ERR_PARSE;
		buf_add(&s->head, p, k);
		if (!nl)
			return 0;
		if (check_header(s, why))
			return CF_ERR_PARSE;
		p += k + 1;
		n -= k + 1;
	}
	if (s->w.compressed + n > s->bundle_cap + STREAM_SLACK)
		return buf_addf(why, "the host sent more than %llu bytes",
				(unsigned long long)(s->bundle_cap + STREAM_SLACK)), CF_ERR_CAP;
	return n ? bwriter_write_raw(&s->w, p, n) : 0;
}

/* stderr: progress lines go to o->on_source, the last other line is kept. */
static void on_stderr(struct stream *s, const char *p, size_t n)
{
	char *nl;

	buf_add(&s->err, p, n);
	while ((nl = memchr(s->err.data, '\n', s->err.len))) {
		unsigned long done, total;
		int used = 0;

		*nl = '\0';
		if (!strncmp(s->err.data, INPLACE_PROGRESS, strlen(INPLACE_PROGRESS)) &&
		    sscanf(s->err.data + strlen(INPLACE_PROGRESS), "%lu/%lu %n", &done, &total,
			   &used) == 2 && used && done && s->o->on_source)
			s->o->on_source(s->o->on_source_ctx,
					s->err.data + strlen(INPLACE_PROGRESS) + used,
					done - 1, total);
		else if (s->err.data[0])
			snprintf(s->said, sizeof(s->said), "%s", s->err.data);
		buf_consume(&s->err, (size_t)(nl - s->err.data) + 1);
	}
	if (s->err.len > 4096)
		buf_reset(&s->err);
}

static int pump_stdout(void *ctx, const char *p, size_t n)
{
	struct stream *s = ctx;

	return on_stdout(s, p, n, s->why);
}

static int pump_stderr(void *ctx, const char *p, size_t n)
{
	on_stderr(ctx, p, n);
	return 0;
}

/*
 * The copy of casefile goes in on stdin while the bundle comes back on
 * stdout: both at once, so neither side waits for the other's window.
 * Returns the remote exit status, or an error.
 */
static int exchange(struct ssh_conn *c, LIBSSH2_CHANNEL *ch, const struct inplace_image *im,
		    struct stream *s, struct buf *why)
{
	struct ssh_pump pump = { 0 };
	int r;

	pump.in = (const char *)im->gz;
	pump.in_len = im->len;
	pump.send_eof = 1;
	pump.out = pump_stdout;
	pump.err = pump_stderr;
	pump.ctx = s;
	s->why = why;
	r = ssh_pump(c, ch, &pump);
	if (r == CF_ERR_TIMEOUT || r == CF_ERR_INTERRUPTED)
		buf_addstr(why, r == CF_ERR_TIMEOUT ? "the host timeout passed" :
			   "stopped by a signal");
	/* its end, or a read that failed: the status says how it went */
	return r && r != CF_ERR_SSH ? r : ssh_channel_status(c, ch);
}

/* The remote collector ended: a complete or stopped bundle, checked. */
static int finish(struct stream *s, int status, struct collect_result *res, struct buf *why)
{
	struct buf p = BUF_INIT(0);
	int r;

	/* 142: its --stop-after (SIGALRM), the bundle closed and incomplete */
	if (status && status != 128 + SIGALRM) {
		buf_addf(why, "casefile on the host ended with status %d%s%s", status,
			 s->said[0] ? ": " : "", s->said);
		return CF_ERR_REPORTED;
	}
	buf_addf(&p, "%s/%s.tar.gz", s->w.dir, s->w.name);
	res->compressed_bytes = s->w.compressed;
	s->open = 0;
	if ((r = bwriter_finish(&s->w, res->sha256)))
		return buf_addstr(why, "cannot write the bundle"), r;
	res->bundle_path = buf_detach(&p, NULL);
	r = inplace_check(res->bundle_path, s->name, s->bundle_cap, res, why);
	if (r) {
		/* not a bundle of ours: nothing of it stays */
		buf_addf(&p, "%s.sha256", res->bundle_path);
		unlink(p.data);
		unlink(res->bundle_path);
		buf_release(&p);
		return r;
	}
	buf_release(&p);
	return 0;
}

int inplace_collect(struct ssh_conn *c, const struct inplace_image *im,
		    const struct collect_opts *o, const struct inplace_run *run,
		    struct collect_result *res, struct buf *why)
{
	struct stream s;
	struct buf cmd = BUF_INIT(0);
	LIBSSH2_CHANNEL *ch = NULL;
	int64_t started = now_ms();
	int r;

	memset(res, 0, sizeof(*res));
	memset(&s, 0, sizeof(s));
	s.o = o;
	s.bundle_cap = o->bundle_cap ? o->bundle_cap : COLLECT_DEFAULT_CAP;
	buf_init(&s.head, 0);
	buf_init(&s.err, 0);
	if ((r = reserve(&s, run->host, why)))
		goto out;
	remote_command(&cmd, im, o, run, s.name);
	c->deadline = run->deadline;
	ch = ssh_channel_exec(c, cmd.data, "casefile on the host", why);
	r = ch ? exchange(c, ch, im, &s, why) : CF_ERR_SSH;
	if (r >= 0 && !s.started) {
		buf_addf(why, "casefile could not run on the host (status %d)%s%s", r,
			 s.said[0] ? ": " : "", s.said);
		r = CF_ERR_REPORTED;
	} else if (r >= 0) {
		r = finish(&s, r, res, why);
	}
out:
	if (s.open)
		bwriter_abort(&s.w);
	if (r && res->bundle_path)
		collect_result_release(res);
	res->duration_ms = now_ms() - started;
	if (ch)
		libssh2_channel_free(ch);
	free(s.name);
	buf_release(&s.head);
	buf_release(&s.err);
	buf_release(&cmd);
	return r;
}
