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
#include "text.h"
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
 * The remote side applies no rule of ours, so the listing walks each path
 * from / one component at a time, as planted_open() does here, and says
 * what the rule needs (transport.h): every link on the way (its owner, its
 * folder's owner and mode: "LUID:DUID:DMODE," each), then the file itself
 * from one lstat in the folder the walk holds as its working directory.
 * A folder is entered with cd -P and $PWD (the kernel's name for where
 * the shell now is) must then be the one expected: a folder swapped for a
 * link meanwhile is caught. One line per file:
 *   "UID NLINK SIZE MTIME DEV INO MODE DUID DMODE HOPS PATH" (modes in hex,
 *   HOPS "-" when none), or "X PATH" when the way changed while walked or
 *   has more than 40 links.
 * A path with a newline in it could forge a line: it is left out. Paths
 * under /proc are the kernel's (and /proc/self is whoever looks): stat -L.
 */
static const char list_walk[] =
	"N=$(printf '\\n_'); N=${N%_}; "
	"w() { r=$1 h= k=0; cd / || return 2; while :; do "
	"while :; do case $r in /*) r=${r#/};; *) break;; esac; done; [ -n \"$r\" ] || return 2; "
	"c=${r%%/*}; r=${r#\"$c\"}; case $r in *[!/]*) l=;; *) l=1;; esac; "
	"if [ -L \"$c\" ]; then k=$((k + 1)); [ $k -le 40 ] || return 1; "
	"set -- $(stat -c '%u %a' -- \"$c\" .); [ $# -eq 4 ] || return 2; "
	"t=$(readlink -- \"$c\") && [ -n \"$t\" ] || return 2; h=$h$1:$3:$4,; "
	"case $t in /*) cd / || return 2;; esac; r=$t$r; continue; fi; "
	"[ -n \"$l\" ] && { n=$c; return 0; }; "
	"case $c in .) continue;; ..) cd -P .. || return 2; continue;; esac; "
	"q=${PWD%/}; cd -P -- \"$c\" 2>/dev/null || return 2; [ \"$PWD\" = \"$q/$c\" ] || return 1; "
	"done; }; ";

static const char list_body[] =
	"; do case $f in *\"$N\"*) continue;; "
	"/proc/*) cd /proc; n=$f h= L=-L e=0;; *) L=; w \"$f\"; e=$?;; esac; "
	"if [ $e -eq 1 ]; then echo \"${p}X $f\"; elif [ $e -eq 0 ] && "
	"set -- $(stat $L -c '%u %h %s %Y %d %i %f' -- \"$n\" .) && [ $# -eq 14 ]; then "
	"echo \"$p$1 $2 $3 $4 $5 $6 $7 $8 ${14} ${h:--} $f\"; fi; done 2>/dev/null; cd /\n";

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

/* The links of a listed way, then the file: the rule of transport.h. */
static char *remote_refusal(const char *path, const char *hops, unsigned uid, unsigned nlink,
			    unsigned duid, unsigned dmode, int *user_link)
{
	struct buf why = BUF_INIT(0);
	struct planted p = { 0 };
	enum item_status st = ITEM_OK;
	unsigned lu, du, dm;
	int used;

	while (st == ITEM_OK && strcmp(hops, "-") &&
	       sscanf(hops, "%u:%u:%o,%n", &lu, &du, &dm, &used) == 3 && used > 0) {
		st = planted_link(&p, path, lu, du, dm, &why);
		hops += used;
	}
	if (st == ITEM_OK && *hops && strcmp(hops, "-")) {
		buf_addstr(&why, "refused: the host's listing of its links is not understood");
		st = ITEM_REFUSED;
	}
	if (st == ITEM_OK)
		st = planted_file(&p, path, uid, nlink, duid, dmode, &why);
	*user_link = p.set;
	return st == ITEM_OK ? (buf_release(&why), NULL) : buf_detach(&why, NULL);
}

/* One line of a listing into out, when it is well formed and the source's. */
static void parse_line(const struct source *s, const char *line, struct found_list *out)
{
	char path[4096], hops[2048];
	unsigned uid, nlink, mode, duid, dmode;
	unsigned long long size, dev, ino;
	long long mtime;
	struct found *f;
	int user_link;

	if (sscanf(line, "X %4095[^\n]", path) == 1 && path[0] == '/' &&
	    source_claims(s, path + 1)) {
		f = transport_found_add(out, path, 0, 0);
		free(f->refused);
		f->refused = xstrdup("refused: the way to it changed while it was listed, or "
				     "has more than 40 links");
		return;
	}
	if (sscanf(line, "%u %u %llu %lld %llu %llu %x %u %x %2047s %4095[^\n]", &uid, &nlink,
		   &size, &mtime, &dev, &ino, &mode, &duid, &dmode, hops, path) != 11 ||
	    path[0] != '/' || !source_claims(s, path + 1) || !S_ISREG(mode))
		return;
	f = transport_found_add(out, path, mtime, size);
	f->dev = dev;
	f->ino = ino;
	free(f->refused);
	f->refused = remote_refusal(path, hops, uid, nlink, duid, dmode & 07777, &user_link);
	/* procfs: through /proc/self each reader sees its own inode */
	f->any_ino = !user_link && !strncmp(path, "/proc/", 6);
	f->no_links = !strcmp(hops, "-") && !f->any_ino;
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
	buf_addstr(&script, list_walk);
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
	buf_addstr(&script, list_walk);
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

#define READ_CHANGED 97	/* the file opened is not the one listed */
#define READ_UNCHECKED 98	/* what was opened could not be told */

/*
 * The file opened on descriptor 3 by the shell, its device and inode (stat
 * -L of /dev/fd/3: what was opened, not what the name is now) compared with
 * the listing's before a byte is read, then dd from it: alone, or through
 * gzip -dc or tail -c (procfs, size 0). A file swapped since the listing,
 * for a link or another file, or a folder on its way swapped for a link,
 * is not read. Something not a regular file at the name is not opened (a
 * FIFO would block, a device could act on its open).
 */
static void read_script(const struct found *f, int gz, uint64_t cap, struct buf *sh)
{
	buf_addstr(sh, "f=");
	text_sh_quote(sh, f->path);
	buf_addf(sh, "; { [ ! -e \"$f\" ] || [ -f \"$f\" ]; }%s || exit %d; "
		 "exec 3<\"$f\" || exit 2; i=$(stat -L -c '%%d:%%i' /dev/fd/3) || exit %d; ",
		 f->no_links ? " && [ ! -L \"$f\" ]" : "", READ_CHANGED, READ_UNCHECKED);
	buf_addf(sh, "case $i in %llu:", (unsigned long long)f->dev);
	if (f->any_ino)
		buf_addch(sh, '*');
	else
		buf_addf(sh, "%llu", (unsigned long long)f->ino);
	buf_addf(sh, ") ;; *) exit %d;; esac; dd bs=65536 status=none", READ_CHANGED);
	if (!gz && f->size > cap)
		buf_addf(sh, " iflag=skip_bytes skip=%llu", (unsigned long long)(f->size - cap));
	buf_addstr(sh, " <&3");
	if (gz)
		buf_addstr(sh, " | gzip -dc");
	if (gz || !f->size)
		buf_addf(sh, " | tail -c %llu", (unsigned long long)cap);
}

static int read_file(struct transport *t, const struct found *f, int gz, uint64_t cap,
		     int timeout, struct spawn_result *r)
{
	struct buf script = BUF_INIT(0);
	int ret;

	read_script(f, gz, cap, &script);
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
	} else if (r.status == READ_CHANGED) {
		buf_addstr(why, "refused: what is at its name is not the file listed a moment "
			   "before (swapped for a link or another file, or a folder on its way "
			   "for a link)");
		st = ITEM_REFUSED;
	} else if (r.status == READ_UNCHECKED) {
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
		   const char *host, const char *user, int sudo)
{
	memset(t, 0, sizeof(*t));
	memset(ctx, 0, sizeof(*ctx));
	ctx->conn = c;
	ctx->sudo = sudo;
	t->ops = &ssh_ops;
	t->user = user;
	t->host = host;
	t->sudo = sudo;
	t->ctx = ctx;
}
