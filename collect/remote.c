/*
 * remote.c: many hosts over SSH at once (see remote.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "casefile.h"
#include "inplace.h"
#include "remote.h"
#include "text.h"
#include "upload.h"

#define KILL_GRACE_MS 10000

/* ---- one child per host ---------------------------------------------------- */

static volatile sig_atomic_t child_stop;

static void child_signal(int sig)
{
	child_stop = sig;
}

struct child_progress {
	int fd;
};

static void report_line(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void report_line(int fd, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	/* one line, no newlines inside */
	for (int i = 0; i < n; i++)
		if (line[i] == '\n')
			line[i] = ' ';
	line[n++] = '\n';
	if (write(fd, line, (size_t)n) < 0)
		return;
}

static void on_source(void *ctx, const char *source, size_t done, size_t total)
{
	struct child_progress *p = ctx;

	report_line(p->fd, "P %zu/%zu %s", done + 1, total, source);
}

/* A line for people (a host key recorded): the parent says it after the table. */
static void on_note(void *ctx, const char *line)
{
	struct child_progress *p = ctx;

	report_line(p->fd, "W %s", line);
}

/*
 * casefile itself on the host (inplace.h): 0 when the bundle is in place.
 * When it cannot run there, the reason goes to collect.log (the transport's
 * note) and the host is collected item by item.
 */
static int try_inplace(struct ssh_conn *c, const char *name, const struct collect_opts *o,
		       const struct remote_opts *ro, const struct inplace_image *im,
		       int64_t started, struct collect_result *res, struct buf *why)
{
	struct inplace_run run = { name, ro->sudo, started + ro->host_timeout_ms, ro->host_args };

	if (!im)
		return CF_ERR_NOTFOUND;
	return inplace_collect(c, im, o, &run, res, why);
}

/*
 * The host's own name (uname -n: what it calls itself), for the bundle and
 * the manifest; the name it was reached by when it says nothing usable (a
 * host name is letters, digits, '.', '-' and '_', at most HOST_NAME_MAX,
 * 64, of them).
 */
static char *host_name(struct ssh_conn *c, const struct ssh_target *t, int64_t timeout_ms)
{
	static const char ok[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				 "0123456789.-_";
	struct spawn_result r;
	char *name = NULL;

	spawn_result_init(&r);
	if (!ssh_exec(c, "exec uname -n", timeout_ms, 1024, &r) && r.status == 0) {
		size_t n = strcspn(r.out.data, "\n");

		if (n && n <= 64 && strspn(r.out.data, ok) >= n)
			name = xstrndup(r.out.data, n);
	}
	spawn_result_release(&r);
	return name ? name : xstrdup(t->alias);
}

/* How the host was reached, for the manifest: through which proxy, if one. */
static char *proxy_said(const struct ssh_target *t)
{
	struct buf b = BUF_INIT(0);

	if (t->proxy_jump)
		buf_addf(&b, "ProxyJump %s", t->proxy_jump);
	else if (t->proxy_command)
		buf_addstr(&b, "ProxyCommand");	/* its text is the user's: it stays here */
	return b.len ? buf_detach(&b, NULL) : (buf_release(&b), NULL);
}

static void report_result(int fd, const struct collect_result *res)
{
	const unsigned *n = res->counts.status;

	report_line(fd, "%s %s\t%u ok, %u failed or denied, %u timed out%s",
		    res->complete ? "D" : "I", res->bundle_path, n[ITEM_OK],
		    n[ITEM_FAILED] + n[ITEM_DENIED] + n[ITEM_REFUSED] + n[ITEM_ERROR],
		    n[ITEM_TIMEOUT], res->complete ? "" : " (stopped: host timeout)");
}

/* In the child: collect one host, tell the parent how it went. */
static int collect_host(const struct catalog *cat, const struct collect_opts *base,
			const struct remote_opts *ro, const struct inplace_image *im,
			const char *spec, int fd)
{
	struct collect_opts o = *base;
	struct ssh_opts so = ro->ssh;
	struct child_progress prog = { fd };
	struct collect_result res;
	struct ssh_target t;
	struct ssh_conn *c = NULL;
	struct transport tr;
	struct transport_ssh_ctx *trc;
	struct buf err = BUF_INIT(0), why = BUF_INIT(0);
	struct sigaction sa;
	char *name, *proxy;
	int64_t started = now_ms();
	int r;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = child_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	so.stop = &child_stop;
	so.on_note = on_note;
	so.note_ctx = &prog;
	if ((r = ssh_resolve(spec, &so, &t, &err))) {
		report_line(fd, "F %s", err.data);
		return 1;
	}
	report_line(fd, "P connecting");
	if ((r = ssh_connect(&c, &t, &so, &err))) {
		report_line(fd, "F %s", err.data);
		ssh_target_release(&t);
		buf_release(&err);
		return 1;
	}
	o.stop = &child_stop;
	o.progress = 0;
	o.quiet = 1;
	o.on_source = on_source;
	o.on_source_ctx = &prog;
	name = host_name(c, &t, ssh_connect_timeout(&t, &so));
	proxy = proxy_said(&t);
	o.target = spec;
	o.address = ssh_address(c);
	o.proxy = proxy;
	trc = transport_ssh(&tr, c, name, t.user, ro->sudo);
	r = try_inplace(c, name, &o, ro, im, started, &res, &why);
	if (r && !child_stop) {
		if (why.len)
			snprintf(tr.note, sizeof(tr.note), "casefile could not collect on the "
				 "host, so each source was run from here: %s", why.data);
		o.t = &tr;
		r = collect_run(cat, &o, &res);
		if (r)
			report_line(fd, "F cannot write the bundle");
	} else if (r) {
		report_line(fd, "F %s", why.data);
	}
	if (!r) {
		report_result(fd, &res);
		if (res.denied && !ro->sudo && strcmp(t.user, "root")) {
			/* the advice a run here gives, for the login user over SSH */
			struct buf advice = BUF_INIT(0);

			collect_denied_advice(&advice, strv_len(res.denied), t.user, "--sudo");
			report_line(fd, "A %s", advice.data);
			buf_release(&advice);
		}
		if (ro->upload && res.complete && upload_bundle(res.bundle_path, ro->upload, &ro->ssh))
			report_line(fd, "U upload failed");
	}
	collect_result_release(&res);
	transport_ssh_done(trc);
	ssh_close(c);
	ssh_target_release(&t);
	free(name);
	free(proxy);
	buf_release(&err);
	buf_release(&why);
	return r ? 1 : (child_stop ? 2 : 0);
}

/* ---- the parent -------------------------------------------------------------- */

/*
 * casefile runs on the hosts unless told not to, or unless what it collects
 * depends on this machine: --rules DIR (its sources and patterns are here),
 * --obfuscate (one map for all the hosts, kept here).
 */
static int inplace_wanted(const struct collect_opts *o, const struct remote_opts *ro,
			  struct inplace_image *im)
{
	struct buf why = BUF_INIT(0);

	if (ro->no_push || o->obfuscate || o->rules_dir)
		return 0;
	if (inplace_image_load(im, &why)) {
		warning("casefile will not run on the hosts, each source is run from here: %s",
			why.data);
		buf_release(&why);
		return 0;
	}
	return 1;
}

struct host {
	const char *spec;
	pid_t pid;
	int fd;
	int64_t started;
	int term_sent, kill_sent;
	int done, ok;
	char status[256];
	char result[512];
	char **notes;		/* W lines: said after the table */
	char advice[256];	/* A line: what to do about denied sources */
	struct buf in;
};

static void draw(struct host *h, size_t n, int tty, int *drawn)
{
	size_t i;

	if (!tty)
		return;
	if (*drawn)
		fprintf(stderr, "\033[%dA", *drawn);
	for (i = 0; i < n; i++) {
		struct buf line = BUF_INIT(0);
		const char *st = h[i].done ? (h[i].ok ? "done" : h[i].status) :
				 h[i].pid ? h[i].status : "waiting";

		/* what a host sends back is the host's: no control characters */
		text_term_add(&line, st, strlen(st));
		fprintf(stderr, "\r\033[K%-28.28s %s\n", h[i].spec, line.data);
		buf_release(&line);
	}
	*drawn = (int)n;
	fflush(stderr);
}

static void handle_line(struct host *h, char *line)
{
	switch (line[0]) {
	case 'P':
		snprintf(h->status, sizeof(h->status), "%s", line + 2);
		break;
	case 'F':
		snprintf(h->result, sizeof(h->result), "failed: %s", line + 2);
		snprintf(h->status, sizeof(h->status), "failed");
		break;
	case 'D':
	case 'I':
		h->ok = line[0] == 'D';
		snprintf(h->result, sizeof(h->result), "%s%s", line[0] == 'D' ? "" :
			 "incomplete: ", line + 2);
		snprintf(h->status, sizeof(h->status), "%s", h->ok ? "done" : "incomplete");
		break;
	case 'A':
		snprintf(h->advice, sizeof(h->advice), "%s", line + 2);
		break;
	case 'W':
		if (strv_len(h->notes) < 8)
			strv_push(&h->notes, xstrdup(line + 2));
		break;
	case 'U':
		h->ok = 0;
		snprintf(h->status, sizeof(h->status), "upload failed");
		break;
	}
}

static void read_child(struct host *h)
{
	char chunk[4096];
	ssize_t n = read(h->fd, chunk, sizeof(chunk));
	char *nl;

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;		/* nothing yet: the pipe is non-blocking */
	if (n <= 0) {
		close(h->fd);
		h->fd = -1;
		return;
	}
	buf_add(&h->in, chunk, (size_t)n);
	while ((nl = memchr(h->in.data, '\n', h->in.len))) {
		*nl = '\0';
		handle_line(h, h->in.data);
		buf_consume(&h->in, (size_t)(nl - h->in.data) + 1);
	}
}

/* Fork the collector of one host; a host that cannot start is done and failed. */
static void start_host(const struct catalog *cat, const struct collect_opts *o,
		       const struct remote_opts *ro, const struct inplace_image *im,
		       struct host *h, size_t *running)
{
	int pfd[2];
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC)) {
		snprintf(h->result, sizeof(h->result), "failed: pipe: %s", strerror(errno));
		h->done = 1;
		return;
	}
	pid = fork();
	if (pid == 0) {
		close(pfd[0]);
		_exit(collect_host(cat, o, ro, im, h->spec, pfd[1]));
	}
	close(pfd[1]);
	if (pid < 0) {
		close(pfd[0]);
		snprintf(h->result, sizeof(h->result), "failed: fork: %s", strerror(errno));
		h->done = 1;
		return;
	}
	h->pid = pid;
	h->fd = pfd[0];
	/* never block on a quiet child: timeouts are checked here */
	fcntl(pfd[0], F_SETFL, O_NONBLOCK);
	h->started = now_ms();
	snprintf(h->status, sizeof(h->status), "starting");
	(*running)++;
}

/* The host timeout (TERM, then KILL), and the end of a child. */
static void check_host(const struct collect_opts *o, const struct remote_opts *ro,
		       struct host *h, size_t *running, int tty)
{
	int st;

	if (!h->pid || h->done)
		return;
	if (!h->term_sent && now_ms() - h->started > ro->host_timeout_ms) {
		kill(h->pid, SIGTERM);
		h->term_sent = 1;
		snprintf(h->status, sizeof(h->status), "host timeout, stopping");
	} else if (h->term_sent && !h->kill_sent &&
		   now_ms() - h->started > ro->host_timeout_ms + KILL_GRACE_MS) {
		kill(h->pid, SIGKILL);
		h->kill_sent = 1;
	}
	if (waitpid(h->pid, &st, WNOHANG) != h->pid)
		return;
	/* the child is gone: what it wrote is all there, EOF ends it */
	fcntl(h->fd, F_SETFL, 0);
	while (h->fd >= 0)
		read_child(h);
	h->done = 1;
	(*running)--;
	if (!h->result[0])
		snprintf(h->result, sizeof(h->result), "failed: collector ended (%s %d)",
			 WIFSIGNALED(st) ? "signal" : "status",
			 WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
	if (!tty && !o->quiet)
		fprintf(stderr, "%s: %s\n", h->spec, h->ok ? "done" : "failed");
}

/* -q: why a host failed, on stderr ("HOST: why"), its bundle when there is one. */
static void quiet_failure(const struct host *h)
{
	const char *r = h->result, *tab = strchr(r, '\t');
	size_t len = strlen(h->spec);

	if (!strncmp(r, "failed: ", 8))
		r += 8;
	/* most reasons name the host already */
	if (!strncmp(r, h->spec, len) && r[len] == ':')
		r += len + 2;
	if (!strcmp(h->status, "upload failed"))
		error("%s: the upload failed; the bundle is %.*s", h->spec,
		      (int)(tab ? tab - r : (ptrdiff_t)strlen(r)), r);
	else if (tab)
		error("%s: %.*s: %s", h->spec, (int)(tab - r), r, tab + 1);
	else
		error("%s: %s", h->spec, r);
}

static size_t print_summary(const struct collect_opts *o, struct host *h, size_t n)
{
	size_t i, failed = 0;

	for (i = 0; i < n; i++) {
		if (!h[i].ok)
			failed++;
		if (o->quiet && h[i].ok)
			printf("%.*s\n", (int)strcspn(h[i].result, "\t"), h[i].result);
		else if (o->quiet)	/* the table is not printed: its failures are errors */
			quiet_failure(&h[i]);
		if (o->quiet && h[i].advice[0])
			warning("%s: %s", h[i].spec, h[i].advice);
	}
	if (o->quiet)
		return failed;
	printf("%zu host%s: %zu collected, %zu failed\n", n, n == 1 ? "" : "s", n - failed, failed);
	for (i = 0; i < n; i++) {
		char *tab = strchr(h[i].result, '\t');

		if (tab)
			*tab = '\0';
		printf("  %-8s %-24s ", h[i].ok ? "ok" : "FAILED", h[i].spec);
		text_term_fputs(stdout, h[i].result);
		if (tab) {
			fputs("  ", stdout);
			text_term_fputs(stdout, tab + 1);
		}
		fputc('\n', stdout);
		if (h[i].advice[0]) {
			printf("  %-8s %-24s ", "", "");
			text_term_fputs(stdout, h[i].advice);
			fputc('\n', stdout);
		}
	}
	return failed;
}

int remote_collect(const struct catalog *cat, const struct collect_opts *o,
		   const struct remote_opts *ro, char **hosts, size_t n)
{
	struct host *h = xcalloc(n, sizeof(*h));
	struct pollfd *p = xcalloc(n + 1, sizeof(*p));
	size_t next = 0, running = 0, i, failed;
	int tty = isatty(2) && !o->quiet, drawn = 0;
	int jobs = ro->jobs > 0 ? ro->jobs : 4;
	struct inplace_image im;
	int have_image = inplace_wanted(o, ro, &im);

	for (i = 0; i < n; i++) {
		h[i].spec = hosts[i];
		h[i].fd = -1;
		buf_init(&h[i].in, 64 * 1024);
	}
	fflush(NULL);
	while (next < n || running) {
		size_t np = 0;

		while (next < n && running < (size_t)jobs)
			start_host(cat, o, ro, have_image ? &im : NULL, &h[next++], &running);
		draw(h, n, tty, &drawn);
		for (i = 0; i < n; i++)
			if (h[i].fd >= 0) {
				p[np].fd = h[i].fd;
				p[np].events = POLLIN;
				np++;
			}
		poll(p, np, 200);
		for (i = 0; i < n; i++) {
			if (h[i].fd >= 0)
				read_child(&h[i]);
			check_host(o, ro, &h[i], &running, tty);
		}
	}
	draw(h, n, tty, &drawn);
	for (i = 0; i < n; i++) {
		char **w;

		for (w = h[i].notes; w && *w; w++)
			warning("%s", *w);
	}
	fflush(stderr);
	failed = print_summary(o, h, n);
	for (i = 0; i < n; i++) {
		buf_release(&h[i].in);
		strv_free(h[i].notes);
	}
	free(p);
	free(h);
	if (have_image)
		inplace_image_release(&im);
	return (int)failed;
}
