/*
 * ssh_shell.c: one shell kept open on the host runs many scripts over one
 * channel (see ssh.h).
 *
 * An exec channel costs a round trip or three and a process on the host
 * (sshd forks a session for each): about 60 ms on loopback, most of a
 * remote collection's time when every item took one. The shell reads
 * requests on its stdin and answers on its stdout:
 *
 *   request   "LINES CAP\n" then LINES lines of script
 *   answer    "CFEND RC OUTLEN ERRLEN TOTAL\n" then OUTLEN bytes of stdout
 *             (its last CAP bytes, of TOTAL) and ERRLEN bytes of stderr
 *
 * Each script runs in a subshell with stdin from /dev/null (it never reads
 * the requests), its stdout kept to its end by tail -c within CAP and
 * counted by dd, its stderr to its first 64 KiB, both in a private folder
 * mktemp -d made (mode 0700), removed when the shell ends. Lengths frame
 * the answer, so no output can forge one. A script that does not answer
 * by its deadline leaves the shell in an unknown state: it is closed, and
 * the next script gets a new one.
 */
#include <libssh2.h>
#include <stdio.h>
#include <string.h>
#include "casefile.h"
#include "ssh_session.h"
#include "text.h"

#define SHELL_START_MS 10000
#define ERR_CAP 65536	/* the server's head -c */
#define HEAD_MAX 4096	/* an answer's first line */
#define CHUNK 65536

/*
 * The server. Every process costs (a fork and exec is a few ms on a small
 * VM), so per script it starts only what it must: the script's group,
 * timeout and the command (in the script), dd to count the output, tail to
 * keep its end, cat to send it. The rest is the shell's own: the script is
 * read line by line, the status and stderr with read, the lengths by
 * arithmetic (the output kept is min(TOTAL, CAP)). ulimit -f bounds the
 * stderr file (a script that writes more than 64 KiB of it is killed).
 */
static const char server[] =
	"d=$(mktemp -d) || exit 1; trap 'rm -rf \"$d\"' EXIT HUP INT TERM; "
	"while read -r n cap; do s=; "
	"while [ \"$n\" -gt 0 ]; do IFS= read -r l; s=\"$s$l\n\"; n=$((n - 1)); done; "
	"echo 255 >\"$d/rc\"; "
	"{ (ulimit -f 128; eval \"$s\" </dev/null 2>\"$d/e\"; echo $? >\"$d/rc\") "
	"| dd bs=65536 2>\"$d/n\" | tail -c \"$cap\" >\"$d/o\"; } 2>/dev/null; "
	"read -r rc <\"$d/rc\"; t=0; "
	"while read -r a b c; do [ \"$b\" = bytes ] && t=$a; done <\"$d/n\"; "
	"e=; while IFS= read -r l || [ -n \"$l\" ]; do e=\"$e$l\n\"; done <\"$d/e\"; "
	"o=$t; [ \"$o\" -gt \"$cap\" ] && o=$cap; "
	"printf 'CFEND %s %s %s %s\\n' \"$rc\" \"$o\" \"${#e}\" \"$t\"; "
	"cat \"$d/o\"; printf '%s' \"$e\"; done";

struct ssh_shell {
	struct ssh_conn *c;
	LIBSSH2_CHANNEL *ch;
	struct buf in;		/* what the shell said, not yet taken */
	size_t want;		/* fill(): the body's bytes */
	int line;		/* fill(): the head line instead */
	size_t in_max;		/* what sh->in may hold now */
};

void ssh_shell_close(struct ssh_shell *sh)
{
	int rc;

	if (!sh)
		return;
	if (sh->ch) {
		sh->c->deadline = now_ms() + 2000;
		SSH_NB(sh->c, rc, libssh2_channel_send_eof(sh->ch));
		SSH_NB(sh->c, rc, libssh2_channel_close(sh->ch));
		libssh2_channel_free(sh->ch);
	}
	(void)rc;
	buf_release(&sh->in);
	free(sh);
}

int ssh_shell_open(struct ssh_conn *c, struct ssh_shell **out, struct buf *err)
{
	struct ssh_shell *sh = xcalloc(1, sizeof(*sh));
	struct buf cmd = BUF_INIT(0);

	sh->c = c;
	buf_init(&sh->in, 0);
	c->deadline = now_ms() + SHELL_START_MS;
	/* whatever the login shell is, the server is sh's, in our environment only */
	buf_addstr(&cmd, "exec env -i " SSH_SHELL_ENV " /bin/sh -c ");
	text_sh_quote(&cmd, server);
	sh->ch = ssh_channel_exec(c, cmd.data, "a shell", err);
	buf_release(&cmd);
	if (!sh->ch) {
		ssh_shell_close(sh);
		return CF_ERR_SSH;
	}
	*out = sh;
	return 0;
}

/*
 * What the shell says goes to sh->in, up to sh->in_max: more than an answer
 * can be (or anything before one is due) is not our shell speaking.
 */
static int shell_out(void *ctx, const char *p, size_t n)
{
	struct ssh_shell *sh = ctx;

	if (sh->in.len + n > sh->in_max)
		return CF_ERR_SSH;
	buf_add(&sh->in, p, n);
	return 0;
}

/* A whole first line (the answer's head), or want bytes (its body). */
static int have_answer(void *ctx, const struct ssh_pump *p)
{
	struct ssh_shell *sh = ctx;

	(void)p;
	return sh->line ? sh->in.len && memchr(sh->in.data, '\n', sh->in.len) != NULL :
	       sh->in.len >= sh->want;
}

static int all_sent(void *ctx, const struct ssh_pump *p)
{
	(void)ctx;
	return p->sent == p->in_len || p->in_failed;
}

/* Read until want bytes are in sh->in, or (line) a whole first line. */
static int fill(struct ssh_shell *sh, size_t want, int line)
{
	struct ssh_pump p = { 0 };
	int r;

	sh->want = want;
	sh->line = line;
	sh->in_max = (line ? HEAD_MAX : want) + CHUNK;
	p.out = shell_out;
	p.done = have_answer;
	p.ctx = sh;
	/* the shell's own complaints on stderr are read, not kept */
	r = ssh_pump(sh->c, sh->ch, &p);
	return r ? r : have_answer(sh, &p) ? 0 : CF_ERR_SSH;
}

int ssh_shell_send(struct ssh_shell *sh, const char *script, int64_t deadline, size_t cap)
{
	struct ssh_pump p = { 0 };
	struct buf req = BUF_INIT(0);
	int r;

	sh->c->deadline = deadline;
	/* the script as lines, each ending in a newline */
	buf_addf(&req, "%zu %zu\n%s\n", text_count_newlines(script, strlen(script)) + 1,
		 cap ? cap : (size_t)1 << 40, script);
	sh->in_max = HEAD_MAX + CHUNK;	/* no answer is due while it is sent */
	p.in = req.data;
	p.in_len = req.len;
	p.out = shell_out;
	p.done = all_sent;
	p.ctx = sh;
	r = ssh_pump(sh->c, sh->ch, &p);
	if (!r && p.sent < p.in_len)
		r = CF_ERR_SSH;
	buf_release(&req);
	return r;
}

/* No answer: a time-out or a stop is a result (r says which), the rest an error. */
static int no_answer(struct spawn_result *r, int ret, int64_t start)
{
	r->status = -1;
	r->timed_out = ret == CF_ERR_TIMEOUT;
	r->stopped = ret == CF_ERR_INTERRUPTED;
	r->duration_ms = now_ms() - start;
	return r->timed_out || r->stopped ? 0 : ret;
}

int ssh_shell_recv(struct ssh_shell *sh, int64_t start, int64_t deadline, size_t cap,
		   struct spawn_result *r)
{
	unsigned long long outlen, errlen, total;
	int status, ret;
	size_t nl;

	snprintf(r->path, sizeof(r->path), "ssh:%s", sh->c->t->host);
	sh->c->deadline = deadline;
	if ((ret = fill(sh, 0, 1)))
		goto fail;
	nl = (size_t)((char *)memchr(sh->in.data, '\n', sh->in.len) - sh->in.data);
	if (sscanf(sh->in.data, "CFEND %d %llu %llu %llu", &status, &outlen, &errlen, &total) != 4 ||
	    outlen > cap + 1 || errlen > ERR_CAP) {
		ret = CF_ERR_SSH;
		buf_addstr(&r->err, "the remote shell gave an answer out of its protocol");
		goto fail;
	}
	buf_consume(&sh->in, nl + 1);
	if ((ret = fill(sh, (size_t)(outlen + errlen), 0)))
		goto fail;
	buf_add(&r->out, sh->in.data, (size_t)outlen);
	buf_add(&r->err, sh->in.data + outlen, (size_t)errlen);
	buf_consume(&sh->in, (size_t)(outlen + errlen));
	r->status = status;
	r->dropped = total > outlen ? (size_t)(total - outlen) : 0;
	r->duration_ms = now_ms() - start;
	return 0;
fail:
	return no_answer(r, ret, start);
}

int ssh_shell_run(struct ssh_shell *sh, const char *script, int64_t timeout_ms, size_t cap,
		  struct spawn_result *r)
{
	int64_t start = now_ms();
	int ret = ssh_shell_send(sh, script, start + timeout_ms, cap);

	return ret ? no_answer(r, ret, start) : ssh_shell_recv(sh, start, start + timeout_ms, cap, r);
}
