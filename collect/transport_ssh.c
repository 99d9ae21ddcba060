/*
 * transport_ssh.c: a host over SSH as a transport (see transport.h).
 * Commands run as "timeout -k 2 T [sudo -n] [env -i LC_ALL=C ...] argv", so
 * the remote side kills what overruns, through one shell kept open on the
 * host (ssh_shell.c: no channel and no sshd session per item) and a second
 * one that runs the next command ahead; the files of every source are listed
 * in one request (each path walked link by link, judged here by the rule
 * planted.c applies locally) and read with dd, gzip and tail from the very
 * file the listing judged (its device and inode checked), so the target
 * needs only sshd, sh and coreutils.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "casefile.h"
#include "ssh.h"
#include "ssh_files.h"
#include "text.h"
#include "transport.h"

#define LIST_TIMEOUT 30
#define LIST_CAP (1024 * 1024)
#define LIST_AHEAD_CAP (16 * 1024 * 1024)

struct transport_ssh_ctx {
	struct ssh_conn *conn;
	int sudo;
	struct ssh_shell *shell;	/* one shell runs every item (ssh_shell.c) */
	int no_shell;			/* it could not start: a channel per item */
	/* a second shell, running the next command ahead (transport_ops.prefetch) */
	struct ssh_shell *ahead;
	char *ahead_script;		/* what it was sent, or NULL */
	size_t ahead_cap;
	int64_t ahead_start, ahead_deadline;
	int no_ahead;			/* it could not start: no look-ahead */
	/* every file source listed in one request (transport_ops.list_ahead) */
	struct found_list *listed;
	const struct source **listed_src;	/* NULL once taken */
	size_t nlisted;
};

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
		text_sh_quote(cmd, o->argv[i]);
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
 * Every file source listed in one request at the start: one round trip and
 * one shell on the host instead of one per source. ssh_list() takes a
 * source's part once; without it (the request failed) it asks itself.
 */
static void ssh_list_ahead(struct transport *t, const struct source *const *v, size_t n)
{
	struct transport_ssh_ctx *x = t->ctx;
	struct buf script = BUF_INIT(0);
	struct spawn_result r;

	/* the test suite's way to the plain path: a listing per source too */
	if (getenv("CASEFILE_TEST_NO_SHELL"))
		return;
	ssh_files_list_script(v, n, 1, &script);
	if (!remote_sh(t, script.data, LIST_TIMEOUT, LIST_AHEAD_CAP, &r) && r.status == 0 &&
	    !r.dropped) {
		x->listed = xcalloc(n ? n : 1, sizeof(*x->listed));
		x->listed_src = xcalloc(n ? n : 1, sizeof(*x->listed_src));
		x->nlisted = n;
		memcpy(x->listed_src, v, n * sizeof(*v));
		ssh_files_parse(v, x->listed, n, 1, r.out.data);
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
	ssh_files_list_script(&s, 1, 0, &script);
	if (remote_sh(t, script.data, LIST_TIMEOUT, LIST_CAP, &r) || r.status != 0) {
		buf_addstr(err, r.timed_out ? "listing the files timed out" :
			   "cannot list the files");
		ret = CF_ERR_IO;
	} else {
		ssh_files_parse(&s, out, 1, 0, r.out.data);
	}
	spawn_result_release(&r);
	buf_release(&script);
	return ret;
}

static int read_file(struct transport *t, const struct found *f, int gz, uint64_t cap,
		     int timeout, struct spawn_result *r)
{
	struct buf script = BUF_INIT(0);
	int ret;

	ssh_files_read_script(f, gz, cap, &script);
	ret = remote_sh(t, script.data, timeout, (size_t)cap + 1, r);
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
	} else if (r.status == SSH_FILES_CHANGED) {
		buf_addstr(why, "refused: what is at its name is not the file listed a moment "
			   "before (swapped for a link or another file, or a folder on its way "
			   "for a link)");
		st = ITEM_REFUSED;
	} else if (r.status == SSH_FILES_UNCHECKED) {
		buf_addstr(why, "cannot tell which file was opened on the host (stat -L "
			   "/dev/fd/3 failed), so it was not read");
		st = ITEM_ERROR;
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

	if (!ctx)
		return;
	/* a command sent ahead and never asked for ends with its shell */
	drop_shell(&ctx->ahead);
	free(ctx->ahead_script);
	drop_shell(&ctx->shell);
	for (i = 0; i < ctx->nlisted; i++)
		transport_found_release(&ctx->listed[i]);
	free(ctx->listed);
	free(ctx->listed_src);
	free(ctx);
}

struct transport_ssh_ctx *transport_ssh(struct transport *t, struct ssh_conn *c,
					const char *host, const char *user, int sudo)
{
	struct transport_ssh_ctx *ctx = xcalloc(1, sizeof(*ctx));

	memset(t, 0, sizeof(*t));
	ctx->conn = c;
	ctx->sudo = sudo;
	t->ops = &ssh_ops;
	t->user = user;
	t->host = host;
	t->sudo = sudo;
	t->ctx = ctx;
	return ctx;
}
