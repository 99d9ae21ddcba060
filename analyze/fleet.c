/*
 * fleet.c: many inputs analyzed by worker processes, one fleet (see
 * fleet.h). A worker writes into a memfd the host's summary as one line
 * of JSON, then its report; it shares nothing else with the parent, so a
 * reader that crashes on a hostile archive takes only its own input.
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
#include "casefile.h"
#include "fleet.h"
#include "text.h"

#define BODY_CAP (256u << 20)	/* one host's report, far above any real one */

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

/* ---- one host --------------------------------------------------------------- */

static void host_from_report(struct fleet_host *h, const struct report *r)
{
	size_t i;

	if (!h->path)
		h->path = text_utf8(r->bi->path, strlen(r->bi->path));
	h->label = r->bi->hostname ? text_utf8(r->bi->hostname, strlen(r->bi->hostname)) :
		xstrdup(h->path);
	h->severity = -1;
	h->findings = r->n;
	h->read_in_part = r->read_error != NULL;
	for (i = 0; i < r->n; i++) {
		const struct finding *f = &r->f[i];

		if ((int)f->rule->severity > h->severity)
			h->severity = (int)f->rule->severity;
		if (!f->root)
			continue;
		h->roots = xrealloc(h->roots, (h->nroots + 1) * sizeof(*h->roots));
		h->roots[h->nroots].id = xstrdup(f->rule->id);
		h->roots[h->nroots].title = xstrdup(f->rule->title);
		h->roots[h->nroots].severity = (int)f->rule->severity;
		h->nroots++;
	}
}

/*
 * Host i of a fleet from its report: the summary, and the report itself in
 * the format (HTML ids with the host's own prefix, h1-, h2-, ...).
 */
static void host_fill(struct fleet_host *h, const struct report *r, enum report_format fmt,
		      const struct report_opts *ro, size_t i)
{
	struct report_opts o = *ro;
	char anchor[32];
	FILE *m;

	host_from_report(h, r);
	if (fmt == REPORT_JSON) {
		h->json = report_json(r);
		return;
	}
	snprintf(anchor, sizeof(anchor), "h%zu-", i + 1);
	o.anchor = anchor;
	m = open_memstream(&h->body, &h->body_len);
	if (!m)
		die("out of memory");
	report_write_one(m, fmt, r, &o);
	fclose(m);
}

void fleet_add(struct fleet *fl, const struct report *r, enum report_format fmt,
	       const struct report_opts *ro)
{
	fl->hosts = xrealloc(fl->hosts, (fl->n + 1) * sizeof(*fl->hosts));
	memset(&fl->hosts[fl->n], 0, sizeof(*fl->hosts));
	host_fill(&fl->hosts[fl->n], r, fmt, ro, fl->n);
	fl->n++;
}

/* ---- the worker and its wire ------------------------------------------------ */

static json_t *summary_json(const struct fleet_host *h)
{
	json_t *o = json_object(), *roots = json_array();
	size_t i;

	for (i = 0; i < h->nroots; i++)
		json_array_append_new(roots, json_pack("{s:s, s:s, s:i}", "id", h->roots[i].id,
						       "title", h->roots[i].title,
						       "severity", h->roots[i].severity));
	json_object_set_new(o, "label", json_string(h->label));
	json_object_set_new(o, "findings", json_integer((json_int_t)h->findings));
	json_object_set_new(o, "severity", json_integer(h->severity));
	json_object_set_new(o, "read_in_part", json_boolean(h->read_in_part));
	json_object_set_new(o, "roots", roots);
	return o;
}

static int summary_from_json(struct fleet_host *h, const json_t *o)
{
	const json_t *roots = json_object_get(o, "roots"), *c;
	const char *label = json_string_value(json_object_get(o, "label"));
	size_t i;

	if (!label || !json_is_array(roots))
		return -1;
	h->label = xstrdup(label);
	h->findings = (size_t)json_integer_value(json_object_get(o, "findings"));
	h->severity = (int)json_integer_value(json_object_get(o, "severity"));
	h->read_in_part = json_is_true(json_object_get(o, "read_in_part"));
	h->roots = xcalloc(json_array_size(roots) + 1, sizeof(*h->roots));
	json_array_foreach(roots, i, c) {
		const char *id = json_string_value(json_object_get(c, "id"));
		const char *title = json_string_value(json_object_get(c, "title"));

		if (!id || !title)
			return -1;
		h->roots[h->nroots].id = xstrdup(id);
		h->roots[h->nroots].title = xstrdup(title);
		h->roots[h->nroots].severity = (int)json_integer_value(json_object_get(c, "severity"));
		h->nroots++;
	}
	return 0;
}

static void host_release(struct fleet_host *h)
{
	size_t i;

	for (i = 0; i < h->nroots; i++) {
		free(h->roots[i].id);
		free(h->roots[i].title);
	}
	free(h->roots);
	free(h->path);
	free(h->label);
	free(h->error);
	free(h->body);
	json_decref(h->json);
	memset(h, 0, sizeof(*h));
}

/* In worker i: analyze its input, write its summary line and report to fd. */
static int worker(char *const *paths, size_t i, int fd, enum report_format fmt,
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
		return out && !fclose(out) ? 4 : 5;
	}
	if (r)
		error_lines(err.data);
	buf_release(&err);
	if (!out)
		return 5;
	memset(&h, 0, sizeof(h));
	host_fill(&h, &a.report, fmt, ro, i);
	sum = summary_json(&h);
	line = json_dumps(sum, JSON_COMPACT);
	fprintf(out, "%s\n", line ? line : "{}");
	if (h.json)
		json_dumpf(h.json, out, JSON_COMPACT);
	else
		fwrite(h.body, 1, h.body_len, out);
	free(line);
	json_decref(sum);
	host_release(&h);
	analysis_release(&a);
	return fclose(out) ? 5 : r ? 3 : 0;
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

/* In the parent: what a worker left in its memfd (exit 4: why nothing was read). */
static void take_result(struct fleet_host *h, int fd, int status, enum report_format fmt)
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
			    WEXITSTATUS(status) == 4 ? "nothing could be read" : "no report");
		return;
	}
	len = (size_t)st.st_size;
	data = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	if (data == MAP_FAILED) {
		host_failed(h, "%s", strerror(errno));
		return;
	}
	nl = memchr(data, '\n', len);
	if (WEXITSTATUS(status) == 4) {
		/* its reason, the reader's message (the path first): the first line, cleaned */
		free(h->error);
		h->error = text_utf8(data, nl ? (size_t)(nl - data) : len);
	} else if (!nl || !(sum = json_loadb(data, (size_t)(nl - data), 0, NULL)) ||
		   summary_from_json(h, sum)) {
		host_failed(h, "its worker gave no summary");
	} else if (fmt == REPORT_JSON) {
		h->json = json_loadb(nl + 1, len - (size_t)(nl + 1 - data), 0, NULL);
		if (!h->json)
			host_failed(h, "its worker gave no JSON report");
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

static void start(struct job *jb, size_t i, char *const *paths, enum report_format fmt,
		  const struct analyze_opts *ao, const struct report_opts *ro, struct fleet *fl)
{
	jb->host = i;
	jb->fd = memfd_create("casefile-report", MFD_CLOEXEC);
	jb->pid = jb->fd < 0 ? -1 : fork();
	if (jb->pid == 0)
		_exit(worker(paths, i, jb->fd, fmt, ao, ro));
	if (jb->pid < 0) {
		host_failed(&fl->hosts[i], "cannot start its analysis: %s", strerror(errno));
		if (jb->fd >= 0)
			close(jb->fd);
		jb->fd = -1;
	}
}

void fleet_run(char *const *paths, size_t n, int jobs, enum report_format fmt,
	       const struct analyze_opts *ao, const struct report_opts *ro, struct fleet *fl)
{
	struct job *run = xcalloc((size_t)jobs, sizeof(*run));
	size_t next = 0, running = 0, i;

	memset(fl, 0, sizeof(*fl));
	fl->hosts = xcalloc(n ? n : 1, sizeof(*fl->hosts));
	fl->n = n;
	for (i = 0; i < n; i++) {
		fl->hosts[i].path = text_utf8(paths[i], strlen(paths[i]));
		fl->hosts[i].severity = -1;
	}
	fflush(NULL);
	while (next < n || running) {
		int status;
		pid_t pid;

		while (running < (size_t)jobs && next < n) {
			for (i = 0; run[i].pid > 0; i++)
				;
			start(&run[i], next++, paths, fmt, ao, ro, fl);
			running += run[i].pid > 0;
			if (run[i].pid <= 0)
				run[i].pid = 0;
		}
		if (!running)
			continue;
		pid = waitpid(-1, &status, 0);
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0)
			break;
		for (i = 0; i < (size_t)jobs; i++)
			if (run[i].pid == pid) {
				take_result(&fl->hosts[run[i].host], run[i].fd, status, fmt);
				close(run[i].fd);
				run[i].pid = 0;
				running--;
			}
	}
	free(run);
	fleet_summarize(fl);
}

/* ---- the summary ------------------------------------------------------------- */

static int row_cmp(const void *a, const void *b)
{
	const struct fleet_row *x = a, *y = b;

	if (x->nhosts != y->nhosts)
		return x->nhosts > y->nhosts ? -1 : 1;
	if (x->cause->severity != y->cause->severity)
		return x->cause->severity > y->cause->severity ? -1 : 1;
	return strcmp(x->cause->id, y->cause->id);
}

/* Two bundles of one host, or two hosts of one name: tell them apart. */
static void unique_labels(struct fleet *fl)
{
	size_t i, k, same;

	for (i = 1; i < fl->n; i++) {
		struct buf b = BUF_INIT(0);

		for (k = 0, same = 1; k < i; k++)
			same += fl->hosts[k].label && fl->hosts[i].label &&
				!strcmp(fl->hosts[k].label, fl->hosts[i].label);
		if (same == 1 || !fl->hosts[i].label)
			continue;
		buf_addf(&b, "%s (%zu)", fl->hosts[i].label, same);
		free(fl->hosts[i].label);
		fl->hosts[i].label = buf_detach(&b, NULL);
	}
}

void fleet_summarize(struct fleet *fl)
{
	size_t i, k, r;

	unique_labels(fl);
	for (i = 0; i < fl->n; i++)
		for (k = 0; k < fl->hosts[i].nroots; k++) {
			const struct fleet_cause *c = &fl->hosts[i].roots[k];
			struct fleet_row *row = NULL;

			for (r = 0; r < fl->nrows && !row; r++)
				if (!strcmp(fl->rows[r].cause->id, c->id))
					row = &fl->rows[r];
			if (!row) {
				fl->rows = xrealloc(fl->rows, (fl->nrows + 1) * sizeof(*fl->rows));
				row = &fl->rows[fl->nrows++];
				row->cause = c;
				row->hosts = NULL;
				row->nhosts = 0;
			}
			if (row->nhosts && row->hosts[row->nhosts - 1] == i)
				continue;
			row->hosts = xrealloc(row->hosts, (row->nhosts + 1) * sizeof(*row->hosts));
			row->hosts[row->nhosts++] = i;
		}
	if (fl->nrows)
		qsort(fl->rows, fl->nrows, sizeof(*fl->rows), row_cmp);
}

void fleet_release(struct fleet *fl)
{
	size_t i;

	for (i = 0; i < fl->nrows; i++)
		free(fl->rows[i].hosts);
	free(fl->rows);
	for (i = 0; i < fl->n; i++)
		host_release(&fl->hosts[i]);
	free(fl->hosts);
	memset(fl, 0, sizeof(*fl));
}

int fleet_has(const struct fleet *fl, size_t r, size_t h)
{
	size_t k;

	for (k = 0; k < fl->rows[r].nhosts; k++)
		if (fl->rows[r].hosts[k] == h)
			return 1;
	return 0;
}

void fleet_names(FILE *out, const struct fleet *fl, size_t r,
		 void (*esc)(FILE *out, const char *s))
{
	const struct fleet_row *row = &fl->rows[r];
	size_t k;

	for (k = 0; k < row->nhosts && k < REPORT_FLEET_NAMES_MAX; k++) {
		fputs(k ? ", " : "", out);
		esc(out, fl->hosts[row->hosts[k]].label);
	}
	if (row->nhosts > REPORT_FLEET_NAMES_MAX)
		fprintf(out, " and %zu more", row->nhosts - REPORT_FLEET_NAMES_MAX);
}
