/*
 * fleet_pool.c: many inputs analyzed by worker processes, one fleet (see
 * fleet_pool.h). A worker writes into a memfd the host's summary as one
 * line of JSON, then its report as the fleet's writer wrote it; it shares
 * nothing else with the parent, so a reader that crashes on a hostile
 * archive takes only its own input.
 */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <jansson.h>
#include "casefile.h"
#include "fleet_pool.h"
#include "text.h"

#define BODY_CAP (256u << 20)	/* one host's report, far above any real one */

/*
 * The wire from a worker to the parent, in its memfd: the host's summary
 * as one line of JSON with these keys (a root cause: id, title, severity),
 * then the host's report as the fleet's writer wrote it, to the end.
 */
#define WIRE_MEMFD_NAME "casefile-report"
#define WIRE_LABEL "label"
#define WIRE_FINDINGS "findings"
#define WIRE_SEVERITY "severity"
#define WIRE_READ_IN_PART "read_in_part"
#define WIRE_ROOTS "roots"
#define WIRE_ROOT_ID "id"
#define WIRE_ROOT_TITLE "title"
#define WIRE_END_OF_SUMMARY '\n'

/* How a worker ends: its exit status, read by take_result(). */
enum worker_exit {
	WORKER_DONE = 0,		/* summary line, then the report */
	WORKER_READ_IN_PART = 3,	/* the same; reading stopped early */
	WORKER_NOTHING_READ = 4,	/* the reader's message only */
	WORKER_CANNOT_WRITE = 5,	/* its memfd failed: nothing to take */
};

/* ---- inputs ---------------------------------------------------------------- */

static int is_archive_name(const char *name)
{
	static const char *const globs[] = { "*.tar.gz", "*.tgz", "*.tar.xz", "*.txz",
		"*.tar.bz2", "*.tbz", "*.tar.zst", "*.tar" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(globs); i++)
		if (!fnmatch(globs[i], name, 0))
			return 1;
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A folder of bundles: archives in it, and none of a host's own folders. */
static char **folder_of_bundles(const char *dir)
{
	static const char *const host_dirs[] = { "etc", "var", "proc", "sys", "sos_commands",
		"casefile", "commands", "run", "usr" };
	DIR *d = opendir(dir);
	struct dirent *e;
	char **found = NULL;
	int host_tree = 0;
	size_t i;

	if (!d)
		return NULL;
	while ((e = readdir(d))) {
		for (i = 0; i < ARRAY_SIZE(host_dirs); i++)
			host_tree |= !strcmp(e->d_name, host_dirs[i]);
		if (e->d_name[0] != '.' && is_archive_name(e->d_name)) {
			struct buf p = BUF_INIT(0);
			struct stat st;

			buf_addf(&p, "%s/%s", dir, e->d_name);
			if (!lstat(p.data, &st) && S_ISREG(st.st_mode))
				strv_push(&found, buf_detach(&p, NULL));
			else
				buf_release(&p);
		}
	}
	closedir(d);
	if (host_tree || !found) {
		strv_free(found);
		return NULL;
	}
	qsort(found, strv_len(found), sizeof(*found), name_cmp);
	return found;
}

char **fleet_inputs(char *const *paths, size_t n)
{
	char **out = NULL;
	size_t i;
	struct stat st;

	for (i = 0; i < n; i++) {
		char **in = NULL;

		if (!stat(paths[i], &st) && S_ISDIR(st.st_mode))
			in = folder_of_bundles(paths[i]);
		if (in) {
			char **p;

			for (p = in; *p; p++)
				strv_push(&out, *p);
			free(in);
		} else {
			strv_push(&out, xstrdup(paths[i]));
		}
	}
	return out;
}

/* ---- one host's report, in this process or in a worker ------------------------ */

/*
 * Host i of a fleet from its report: the summary, and the report itself as
 * the fleet's writer writes a host (HTML ids with the host's own prefix,
 * h1-, h2-, ...).
 */
static void host_fill(struct fleet_host *h, const struct report *r,
		      const struct report_writer *w, const struct report_opts *ro, size_t i)
{
	struct report_opts o = *ro;
	char anchor[32];
	FILE *m;

	fleet_host_summary(h, r);
	snprintf(anchor, sizeof(anchor), "h%zu-", i + 1);
	o.anchor = anchor;
	m = open_memstream(&h->body, &h->body_len);
	if (!m)
		die("out of memory");
	w->body(m, r, &o);
	fclose(m);
}

void fleet_add(struct fleet *fl, const struct report *r, const struct report_writer *w,
	       const struct report_opts *ro)
{
	struct fleet_host *h = fleet_push(fl);

	host_fill(h, r, w, ro, fl->n - 1);
}

/* ---- the worker and its wire ------------------------------------------------ */

static json_t *wire_summary(const struct fleet_host *h)
{
	json_t *o = json_object(), *roots = json_array();
	size_t i;

	for (i = 0; i < h->nroots; i++)
		json_array_append_new(roots, json_pack("{s:s, s:s, s:i}",
						       WIRE_ROOT_ID, h->roots[i].id,
						       WIRE_ROOT_TITLE, h->roots[i].title,
						       WIRE_SEVERITY, h->roots[i].severity));
	json_object_set_new(o, WIRE_LABEL, json_string(h->label));
	json_object_set_new(o, WIRE_FINDINGS, json_integer((json_int_t)h->findings));
	json_object_set_new(o, WIRE_SEVERITY, json_integer(h->severity));
	json_object_set_new(o, WIRE_READ_IN_PART, json_boolean(h->read_in_part));
	json_object_set_new(o, WIRE_ROOTS, roots);
	return o;
}

/* A worker's summary line into h; 0, or CF_ERR_PARSE when it is not one. */
static int wire_summary_read(struct fleet_host *h, const json_t *o)
{
	const json_t *roots = json_object_get(o, WIRE_ROOTS), *c;
	const char *label = json_string_value(json_object_get(o, WIRE_LABEL));
	size_t i;

	if (!label || !json_is_array(roots))
		return CF_ERR_PARSE;
	h->label = xstrdup(label);
	h->findings = (size_t)json_integer_value(json_object_get(o, WIRE_FINDINGS));
	h->severity = (int)json_integer_value(json_object_get(o, WIRE_SEVERITY));
	h->read_in_part = json_is_true(json_object_get(o, WIRE_READ_IN_PART));
	h->roots = xcalloc(json_array_size(roots) + 1, sizeof(*h->roots));
	json_array_foreach(roots, i, c) {
		const char *id = json_string_value(json_object_get(c, WIRE_ROOT_ID));
		const char *title = json_string_value(json_object_get(c, WIRE_ROOT_TITLE));

		if (!id || !title)
			return CF_ERR_PARSE;
		h->roots[h->nroots].id = xstrdup(id);
		h->roots[h->nroots].title = xstrdup(title);
		h->roots[h->nroots].severity = (int)json_integer_value(json_object_get(c,
									WIRE_SEVERITY));
		h->nroots++;
	}
	return 0;
}

/* In worker i: analyze its input, write its summary line and report to fd. */
static int worker(char *const *paths, size_t i, int fd, const struct report_writer *w,
		  const struct analyze_opts *ao, const struct report_opts *ro)
{
	struct analysis a;
	struct fleet_host h;
	struct buf err = BUF_INIT(0);
	FILE *out = fdopen(fd, "w");
	json_t *sum;
	char *line;
	int r = analyze_path(paths[i], ao, &a, &err);

	if (!a.has_report) {
		/* the parent says why, once, in its place */
		if (out)
			fprintf(out, "%s", err.data);
		buf_release(&err);
		analysis_release(&a);
		return out && !fclose(out) ? WORKER_NOTHING_READ : WORKER_CANNOT_WRITE;
	}
	if (r)
		error_lines(err.data);
	buf_release(&err);
	if (!out)
		return WORKER_CANNOT_WRITE;
	memset(&h, 0, sizeof(h));
	host_fill(&h, &a.report, w, ro, i);
	sum = wire_summary(&h);
	line = json_dumps(sum, JSON_COMPACT);
	fprintf(out, "%s%c", line ? line : "{}", WIRE_END_OF_SUMMARY);
	fwrite(h.body, 1, h.body_len, out);
	free(line);
	json_decref(sum);
	fleet_host_release(&h);
	analysis_release(&a);
	return fclose(out) ? WORKER_CANNOT_WRITE : r ? WORKER_READ_IN_PART : WORKER_DONE;
}

/* Why host h has no report, with its input's name. */
static void __attribute__((format(printf, 2, 3))) host_failed(struct fleet_host *h,
							     const char *fmt, ...)
{
	struct buf why = BUF_INIT(0);
	va_list ap;

	buf_addf(&why, "%s: ", h->path);
	va_start(ap, fmt);
	buf_vaddf(&why, fmt, ap);
	va_end(ap);
	free(h->error);
	h->error = buf_detach(&why, NULL);
}

/* In the parent: what a worker left in its memfd (WORKER_NOTHING_READ: why nothing was read). */
static void take_result(struct fleet_host *h, int fd, int status)
{
	struct stat st;
	char *data, *nl;
	json_t *sum = NULL;
	size_t len;

	if (WIFSIGNALED(status)) {
		host_failed(h, "its analysis ended: %s", strsignal(WTERMSIG(status)));
		return;
	}
	if (fstat(fd, &st))
		st.st_size = 0;
	if (st.st_size == 0 || (size_t)st.st_size > BODY_CAP) {
		host_failed(h, "%s", st.st_size ? "its report is too large" :
			    WEXITSTATUS(status) == WORKER_NOTHING_READ ? "nothing could be read" : "no report");
		return;
	}
	len = (size_t)st.st_size;
	data = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	if (data == MAP_FAILED) {
		host_failed(h, "%s", strerror(errno));
		return;
	}
	nl = memchr(data, WIRE_END_OF_SUMMARY, len);
	if (WEXITSTATUS(status) == WORKER_NOTHING_READ) {
		/* its reason, the reader's message (the path first): the first line, cleaned */
		free(h->error);
		h->error = text_utf8(data, nl ? (size_t)(nl - data) : len);
	} else if (!nl || !(sum = json_loadb(data, (size_t)(nl - data), 0, NULL)) ||
		   wire_summary_read(h, sum)) {
		host_failed(h, "its worker gave no summary");
	} else {
		h->body_len = len - (size_t)(nl + 1 - data);
		h->body = xstrndup(nl + 1, h->body_len);
	}
	json_decref(sum);
	munmap(data, len);
}

struct job {
	pid_t pid;
	int fd;
	size_t host;
};

static void start(struct job *jb, size_t i, char *const *paths, const struct report_writer *w,
		  const struct analyze_opts *ao, const struct report_opts *ro, struct fleet *fl)
{
	jb->host = i;
	jb->fd = memfd_create(WIRE_MEMFD_NAME, MFD_CLOEXEC);
	jb->pid = jb->fd < 0 ? -1 : fork();
	if (jb->pid == 0)
		_exit(worker(paths, i, jb->fd, w, ao, ro));
	if (jb->pid < 0) {
		host_failed(&fl->hosts[i], "cannot start its analysis: %s", strerror(errno));
		if (jb->fd >= 0)
			close(jb->fd);
		jb->fd = -1;
	}
}

/* Take every job that has ended (our own children only); how many. */
static size_t reap(struct job *run, size_t jobs, struct fleet *fl)
{
	size_t i, done = 0;
	int status;

	for (i = 0; i < jobs; i++) {
		pid_t pid;

		if (run[i].pid <= 0)
			continue;
		pid = waitpid(run[i].pid, &status, WNOHANG);
		if (pid == 0 || (pid < 0 && errno == EINTR))
			continue;
		if (pid < 0)
			host_failed(&fl->hosts[run[i].host], "its worker was lost: %s",
				    strerror(errno));
		else
			take_result(&fl->hosts[run[i].host], run[i].fd, status);
		close(run[i].fd);
		run[i].pid = 0;
		done++;
	}
	return done;
}

static void on_child(int sig)
{
	(void)sig;
}

void fleet_run(char *const *paths, size_t n, int jobs, const struct report_writer *w,
	       const struct analyze_opts *ao, const struct report_opts *ro, struct fleet *fl)
{
	struct job *run = xcalloc((size_t)jobs, sizeof(*run));
	struct sigaction sa, old_sa;
	sigset_t chld, old_mask;
	size_t next = 0, running = 0, i;

	fleet_init(fl, paths, n);
	/* SIGCHLD stays blocked but for sigsuspend: an end is never missed */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_child;
	sigaction(SIGCHLD, &sa, &old_sa);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &old_mask);
	fflush(NULL);
	while (next < n || running) {
		size_t done;

		while (running < (size_t)jobs && next < n) {
			for (i = 0; run[i].pid > 0; i++)
				;
			start(&run[i], next++, paths, w, ao, ro, fl);
			running += run[i].pid > 0;
			if (run[i].pid <= 0)
				run[i].pid = 0;
		}
		done = running ? reap(run, (size_t)jobs, fl) : 0;
		running -= done;
		if (running && !done)
			sigsuspend(&old_mask);
	}
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	sigaction(SIGCHLD, &old_sa, NULL);
	free(run);
	fleet_summarize(fl);
}
