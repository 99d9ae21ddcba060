/*
 * transport_ssh.c: a host over SSH as a transport (see transport.h).
 * Commands run as "timeout -k 2 T [sudo -n] [env -i LC_ALL=C ...] argv", so
 * the remote side kills what overruns, through one shell kept open on the
 * host (ssh_shell.c: no channel and no sshd session per item) and a second
 * one that runs the next command ahead; the files of every source are listed
 * with stat in one request and read with dd, gzip and tail, so the target
 * needs only sshd, sh and coreutils.
 */
#include <stdlib.h>
#include <string.h>
#include "casefile.h"
#include "ssh.h"
#include "transport.h"

#define LIST_TIMEOUT 30
#define LIST_CAP (1024 * 1024)
#define LIST_AHEAD_CAP (16 * 1024 * 1024)

static void open_shell(struct transport *t, struct transport_ssh_ctx *x)
{
	struct buf err = BUF_INIT(0);

	if (x->shell || x->no_shell)
		return;
	/* the test suite's way to the fallback: no shell at all */
	if (getenv("CASEFILE_TEST_NO_SHELL"))
		buf_addstr(&err, "CASEFILE_TEST_NO_SHELL is set");
	x->no_shell = err.len || ssh_shell_open(x->conn, &x->shell, &err) != 0;
	if (x->no_shell)
		snprintf(t->note, sizeof(t->note), "no shell could be kept open on the host "
			 "(%s): a channel for each item instead", err.data);
	buf_release(&err);
}

/* "exec timeout -k 2 T [sudo -n --] [env -i ...] argv": the remote side kills at T. */
static void command_line(const struct transport_ssh_ctx *x, const struct spawn_opts *o,
			 struct buf *cmd)
{
	size_t i;

	buf_addf(cmd, "exec timeout -k 2 %lld ", (long long)((o->timeout_ms + 999) / 1000));
	if (x->sudo)
		buf_addstr(cmd, "sudo -n -- ");
	/* the kept shell runs in this environment already (SSH_SHELL_ENV) */
	if (x->sudo || !x->shell)
		buf_addstr(cmd, "env -i " SSH_SHELL_ENV);
	for (i = 0; o->argv[i]; i++) {
		if (i || x->sudo || !x->shell)
			buf_addch(cmd, ' ');
		sh_quote(cmd, o->argv[i]);
	}
}

static void drop_shell(struct ssh_shell **sh)
{
	ssh_shell_close(*sh);
	*sh = NULL;
}

/*
 * The next command, sent ahead to a second shell: it runs on the host while
 * the collector works on the item before it (our deadline only backs the
 * remote timeout up, as for any item).
 */
static void ssh_prefetch(struct transport *t, const struct spawn_opts *o)
{
	struct transport_ssh_ctx *x = t->ctx;
	struct buf cmd = BUF_INIT(0), err = BUF_INIT(0);

	if (!x->shell || x->ahead_script || x->no_ahead)
		return;
	if (!x->ahead && ssh_shell_open(x->conn, &x->ahead, &err)) {
		x->no_ahead = 1;
		goto out;
	}
	command_line(x, o, &cmd);
	x->ahead_start = now_ms();
	x->ahead_deadline = x->ahead_start + o->timeout_ms + 5000;
	if (ssh_shell_send(x->ahead, cmd.data + strlen("exec "), x->ahead_deadline, o->cap)) {
		drop_shell(&x->ahead);
		x->no_ahead = 1;
		goto out;
	}
	x->ahead_script = buf_detach(&cmd, NULL);
	x->ahead_cap = o->cap;
out:
	buf_release(&cmd);
	buf_release(&err);
}

static int ssh_run(struct transport *t, const struct spawn_opts *o, struct spawn_result *r)
{
	struct transport_ssh_ctx *x = t->ctx;
	struct buf cmd = BUF_INIT(0);
	int ret;

	open_shell(t, x);
	command_line(x, o, &cmd);
	if (x->ahead_script && x->ahead_cap == o->cap && !strcmp(x->ahead_script, cmd.data)) {
		/* sent ahead: its answer, by the deadline it was sent with */
		ret = ssh_shell_recv(x->ahead, x->ahead_start, x->ahead_deadline, o->cap, r);
		free(x->ahead_script);
		x->ahead_script = NULL;
		if (ret || r->status < 0)
			drop_shell(&x->ahead);
	} else if (x->shell) {
		/* in the shell's subshell, without "exec": its status is still read */
		ret = ssh_shell_run(x->shell, cmd.data + strlen("exec "), o->timeout_ms + 5000,
				    o->cap, r);
		/* no answer: the shell's state is unknown; the next item gets a new one */
		if (ret || r->status < 0)
			drop_shell(&x->shell);
	} else {
		ret = ssh_exec(x->conn, cmd.data, o->timeout_ms + 5000, o->cap, r);
	}
	buf_release(&cmd);
	if (ret)
		return ret;
	if (r->status == 127 && strstr(r->err.data, "No such file"))
		return CF_ERR_NOTFOUND;
	if (r->status == 124)
		r->timed_out = 1;	/* timeout(1) on the remote side killed it */
	return 0;
}

/* Run one command on the host, no shell between timeout(1) and it. */
static int remote_argv(struct transport *t, const char *const *argv, int timeout, size_t cap,
		       struct spawn_result *r)
{
	struct spawn_opts so = { 0 };

	so.argv = argv;
	so.timeout_ms = (int64_t)timeout * 1000;
	so.cap = cap;
	so.stop = t->stop;
	spawn_result_init(r);
	return ssh_run(t, &so, r);
}

/* Run a /bin/sh script on the host. */
static int remote_sh(struct transport *t, const char *script, int timeout, size_t cap,
		     struct spawn_result *r)
{
	const char *argv[] = { "/bin/sh", "-c", script, NULL };

	return remote_argv(t, argv, timeout, cap, r);
}

/*
 * The remote side applies no rule of ours, so the listing says, for each
 * file, what the local transport checks through descriptors: whether it is
 * a link, who owns the link and its target, how many names the file has,
 * and who owns its folder and may write it. One line per file:
 * "KIND UID NLINK TUID SIZE MTIME DUID DMODE PATH" (KIND L for a link).
 */
static const char list_body[] =
	"; do if [ -L \"$f\" ]; then k=L; else k=F; fi; [ -f \"$f\" ] || continue; "
	/* the link and its folder in one stat, the target in another: 2 processes a file */
	"d=${f%/*}; [ -n \"$d\" ] || d=/; "
	"set -- $(stat -c '%u %h %a' -- \"$f\" \"$d\"); [ $# -eq 6 ] || continue; "
	"echo \"$p$k $1 $2 $(stat -L -c '%u %s %Y' -- \"$f\") $4 $6 $f\"; done 2>/dev/null\n";

/* "for f in GLOBS" of a source: its files and, when rotated, their siblings. */
static void list_loop(struct buf *script, const struct source *s)
{
	size_t i;

	buf_addstr(script, "for f in");
	for (i = 0; s->files[i]; i++) {
		buf_addf(script, " %s", s->files[i]);
		if (s->rotated)
			buf_addf(script, " %s[.-]*", s->files[i]);
	}
	buf_addstr(script, list_body);
}

/* The same rule as safe_open() in transport_local.c, on the listed facts. */
static char *remote_refusal(char kind, unsigned uid, unsigned nlink, unsigned tuid,
			    unsigned duid, unsigned dmode)
{
	struct buf why = BUF_INIT(0);

	if (kind == 'L' && (dmode & 02))
		buf_addstr(&why, "refused: a link in a folder anyone can write");
	else if (kind == 'L' && uid != 0 && uid != tuid)
		buf_addf(&why, "refused: a link of uid %u to a file of uid %u (another user "
			 "could have planted it)", uid, tuid);
	else if (kind == 'F' && nlink > 1 && (tuid != duid || (dmode & 022)))
		buf_addf(&why, "refused: a hard link to a file of uid %u in a folder of uid %u "
			 "that others can write or own (it could have been planted)", tuid, duid);
	else
		return NULL;
	return buf_detach(&why, NULL);
}

/* One line of a listing into out, when it is well formed and the source's. */
static void parse_line(const struct source *s, const char *line, struct found_list *out)
{
	char kind, path[4096];
	unsigned uid, nlink, tuid, duid, dmode;
	unsigned long long size;
	long long mtime;
	struct found *f;

	if (sscanf(line, "%c %u %u %u %llu %lld %u %o %4095[^\n]", &kind, &uid, &nlink, &tuid,
		   &size, &mtime, &duid, &dmode, path) == 9 &&
	    path[0] == '/' && source_claims(s, path + 1)) {
		f = transport_found_add(out, path, mtime, size);
		f->link = kind == 'L';
		f->refused = remote_refusal(kind, uid, nlink, tuid, duid, dmode);
	}
}

/* Each line: with batch, "INDEX " first, the source's place in v. */
static void parse_listing(const struct source *const *v, struct found_list *outs, size_t n,
			  int batch, char *text)
{
	char *line = text;

	while (*line) {
		char *nl = strchr(line, '\n'), *rest = line;
		unsigned long k = 0;

		if (nl)
			*nl = '\0';
		if (batch)
			k = strtoul(line, &rest, 10);
		if (k < n && (!batch || *rest == ' '))
			parse_line(v[k], rest + (batch ? 1 : 0), &outs[k]);
		if (!nl)
			break;
		line = nl + 1;
	}
}

/*
 * Every file source listed in one request at the start: one round trip and
 * one shell on the host instead of one per source. ssh_list() takes a
 * source's part once; without it (the request failed) it asks itself.
 */
static void ssh_list_ahead(struct transport *t, const struct source *const *v, size_t n)
{
	struct transport_ssh_ctx *x = t->ctx;
	struct buf script = BUF_INIT(0);
	struct spawn_result r;
	size_t i;

	/* the test suite's way to the plain path: a listing per source too */
	if (getenv("CASEFILE_TEST_NO_SHELL"))
		return;
	for (i = 0; i < n; i++) {
		buf_addf(&script, "p='%zu '; ", i);
		list_loop(&script, v[i]);
	}
	buf_addstr(&script, "true");
	if (!remote_sh(t, script.data, LIST_TIMEOUT, LIST_AHEAD_CAP, &r) && r.status == 0 &&
	    !r.dropped) {
		x->listed = xcalloc(n ? n : 1, sizeof(*x->listed));
		x->listed_src = xcalloc(n ? n : 1, sizeof(*x->listed_src));
		x->nlisted = n;
		memcpy(x->listed_src, v, n * sizeof(*v));
		parse_listing(v, x->listed, n, 1, r.out.data);
	}
	spawn_result_release(&r);
	buf_release(&script);
}

static int ssh_list(struct transport *t, const struct source *s, struct found_list *out,
		    struct buf *err)
{
	struct transport_ssh_ctx *x = t->ctx;
	struct buf script = BUF_INIT(0);
	struct spawn_result r;
	size_t i;
	int ret = 0;

	for (i = 0; i < x->nlisted; i++)
		if (x->listed_src[i] == s) {
			/* listed ahead: taken once */
			*out = x->listed[i];
			memset(&x->listed[i], 0, sizeof(x->listed[i]));
			x->listed_src[i] = NULL;
			return 0;
		}
	buf_addstr(&script, "p=; ");
	list_loop(&script, s);
	buf_addstr(&script, "true");
	if (remote_sh(t, script.data, LIST_TIMEOUT, LIST_CAP, &r) || r.status != 0) {
		buf_addstr(err, r.timed_out ? "listing the files timed out" :
			   "cannot list the files");
		ret = CF_ERR_IO;
	} else {
		parse_listing(&s, out, 1, 0, r.out.data);
	}
	spawn_result_release(&r);
	buf_release(&script);
	return ret;
}

/*
 * dd from the file, with O_NOFOLLOW unless it was listed as a link (one
 * swapped for a link since is not read): alone for a plain file of known
 * size, no shell between timeout(1) and it; through gzip -dc or tail -c
 * (procfs, size 0) in a pipeline otherwise.
 */
static int read_file(struct transport *t, const struct found *f, int gz, uint64_t cap,
		     int timeout, struct spawn_result *r)
{
	struct buf skip = BUF_INIT(0), in = BUF_INIT(0), script = BUF_INIT(0);
	const char *argv[8];
	size_t n = 0, i;
	int ret;

	argv[n++] = "dd";
	argv[n++] = "status=none";
	argv[n++] = "bs=65536";
	argv[n++] = f->link ? "iflag=skip_bytes" : "iflag=skip_bytes,nofollow";
	if (!gz && f->size > cap) {
		buf_addf(&skip, "skip=%llu", (unsigned long long)(f->size - cap));
		argv[n++] = skip.data;
	}
	buf_addf(&in, "if=%s", f->path);
	argv[n++] = in.data;
	argv[n] = NULL;
	if (!gz && f->size) {
		ret = remote_argv(t, argv, timeout, (size_t)cap + 1, r);
	} else {
		for (i = 0; i < n; i++) {
			buf_addstr(&script, i ? " " : "");
			sh_quote(&script, argv[i]);
		}
		if (gz)
			buf_addstr(&script, " | gzip -dc");
		buf_addf(&script, " | tail -c %llu", (unsigned long long)cap);
		ret = remote_sh(t, script.data, timeout, (size_t)cap + 1, r);
	}
	buf_release(&skip);
	buf_release(&in);
	buf_release(&script);
	return ret;
}

static enum item_status ssh_open(struct transport *t, const struct found *f, uint64_t cap,
				 int64_t deadline, struct fcontent *fc, struct buf *why)
{
	struct spawn_result r;
	int gz = transport_gz_name(f->path);
	int64_t left = (deadline - now_ms() + 999) / 1000;
	enum item_status st = ITEM_OK;

	if (f->refused) {
		buf_addstr(why, f->refused);
		return ITEM_REFUSED;
	}
	fc->mtime = f->mtime;
	fc->original = f->size;
	if (read_file(t, f, gz, cap, left > 1 ? (int)left : 1, &r)) {
		buf_addstr(why, r.err.len ? r.err.data : "cannot run a command on the host");
		st = ITEM_ERROR;
	} else if (r.timed_out) {
		buf_addstr(why, "reading it took longer than the source's time limit");
		st = ITEM_TIMEOUT;
	} else if (!r.out.len && (r.status != 0 || r.err.len)) {
		/* in a pipeline the status is tail's: dd's failure is what it said */
		st = spawn_denied(r.err.data) ? ITEM_DENIED : ITEM_ERROR;
		buf_add(why, r.err.data, strcspn(r.err.data, "\n"));
		if (!why->len)
			buf_addstr(why, "read failed");
	} else {
		if ((gz && r.out.len >= cap) || (!gz && f->size > cap)) {
			/* tail -c starts inside a line: start at the next one */
			char *nl = memchr(r.out.data, '\n', r.out.len);

			buf_consume(&r.out, nl ? (size_t)(nl - r.out.data) + 1 : r.out.len);
			fc->truncated = 1;
		}
		if (gz || !f->size)
			fc->original = r.out.len + (fc->truncated ? 1 : 0);
		buf_add(&fc->mem, r.out.data, r.out.len);
	}
	spawn_result_release(&r);
	return st;
}

static const struct transport_ops ssh_ops = {
	.kind = "ssh",
	.run = ssh_run,
	.prefetch = ssh_prefetch,
	.list_ahead = ssh_list_ahead,
	.list = ssh_list,
	.open = ssh_open,
};

void transport_ssh_done(struct transport_ssh_ctx *ctx)
{
	size_t i;

	/* a command sent ahead and never asked for ends with its shell */
	drop_shell(&ctx->ahead);
	free(ctx->ahead_script);
	ctx->ahead_script = NULL;
	drop_shell(&ctx->shell);
	for (i = 0; i < ctx->nlisted; i++)
		transport_found_release(&ctx->listed[i]);
	free(ctx->listed);
	free(ctx->listed_src);
	ctx->listed = NULL;
	ctx->listed_src = NULL;
	ctx->nlisted = 0;
}

void transport_ssh(struct transport *t, struct transport_ssh_ctx *ctx, struct ssh_conn *c,
		   const struct ssh_target *tg, int sudo)
{
	memset(t, 0, sizeof(*t));
	memset(ctx, 0, sizeof(*ctx));
	ctx->conn = c;
	ctx->sudo = sudo;
	t->ops = &ssh_ops;
	t->user = tg->user;
	t->host = tg->host;
	t->sudo = sudo;
	t->ctx = ctx;
}
