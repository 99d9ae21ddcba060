/*
 * fleet.c: the summary of many reports (see fleet.h): each host's root
 * causes, and which are shared by how many hosts.
 */
#include <string.h>
#include "casefile.h"
#include "fleet.h"
#include "text.h"

void fleet_init(struct fleet *fl, char *const *paths, size_t n)
{
	size_t i;

	memset(fl, 0, sizeof(*fl));
	fl->hosts = xcalloc(n ? n : 1, sizeof(*fl->hosts));
	fl->n = n;
	for (i = 0; i < n; i++) {
		fl->hosts[i].path = text_utf8(paths[i], strlen(paths[i]));
		fl->hosts[i].severity = -1;
	}
}

struct fleet_host *fleet_push(struct fleet *fl)
{
	struct fleet_host *h;

	fl->hosts = xrealloc(fl->hosts, (fl->n + 1) * sizeof(*fl->hosts));
	h = &fl->hosts[fl->n++];
	memset(h, 0, sizeof(*h));
	h->severity = -1;
	return h;
}

void fleet_host_summary(struct fleet_host *h, const struct report *r)
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

		if ((int)f->severity > h->severity)
			h->severity = (int)f->severity;
		if (!f->root)
			continue;
		h->roots = xrealloc(h->roots, (h->nroots + 1) * sizeof(*h->roots));
		h->roots[h->nroots].id = xstrdup(f->rule->id);
		h->roots[h->nroots].title = xstrdup(f->rule->title);
		h->roots[h->nroots].severity = (int)f->severity;
		h->nroots++;
	}
}

void fleet_host_release(struct fleet_host *h)
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
	memset(h, 0, sizeof(*h));
}

static int row_cmp(const void *a, const void *b)
{
	const struct fleet_row *x = a, *y = b;

	if (x->nhosts != y->nhosts)
		return x->nhosts > y->nhosts ? -1 : 1;
	if (x->cause->severity != y->cause->severity)
		return x->cause->severity > y->cause->severity ? -1 : 1;
	return strcmp(x->cause->id, y->cause->id);
}

/* Two bundles of one host, or two hosts of one name: each numbered, in input order. */
static void unique_labels(struct fleet *fl)
{
	size_t *same = xcalloc(fl->n + 1, sizeof(*same)), *nth = xcalloc(fl->n + 1, sizeof(*nth));
	size_t i, k;

	for (i = 0; i < fl->n; i++)
		for (k = 0; k < fl->n && fl->hosts[i].label; k++)
			if (fl->hosts[k].label && !strcmp(fl->hosts[k].label, fl->hosts[i].label)) {
				same[i]++;
				nth[i] += k <= i;
			}
	for (i = 0; i < fl->n; i++) {
		struct buf b = BUF_INIT(0);

		if (same[i] < 2)
			continue;
		buf_addf(&b, "%s (%zu)", fl->hosts[i].label, nth[i]);
		free(fl->hosts[i].label);
		fl->hosts[i].label = buf_detach(&b, NULL);
	}
	free(same);
	free(nth);
}

const char *fleet_bundle_name(const struct fleet_host *h)
{
	const char *p = h->path ? h->path : "", *s = strrchr(p, '/');

	return s && s[1] ? s + 1 : p;
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
		fleet_host_release(&fl->hosts[i]);
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

	for (k = 0; k < row->nhosts && k < FLEET_NAMES_MAX; k++) {
		fputs(k ? ", " : "", out);
		esc(out, fl->hosts[row->hosts[k]].label);
	}
	if (row->nhosts > FLEET_NAMES_MAX)
		fprintf(out, " and %zu more", row->nhosts - FLEET_NAMES_MAX);
}
