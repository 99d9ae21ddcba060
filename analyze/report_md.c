/*
 * report_md.c: the report as Markdown, to paste into a ticket. Text from
 * the bundle is escaped for Markdown and shown with its control characters
 * escaped; evidence goes into fenced blocks whose fence is longer than any
 * run of backticks inside, so no line can close the block and no HTML
 * after it can become live.
 */
#include <string.h>
#include "casefile.h"
#include "fleet.h"
#include "report_format.h"
#include "report_walk.h"
#include "summary.h"
#include "text.h"

/* Text outside code: control characters escaped, markup characters too. */
static void md_text(FILE *out, const char *s)
{
	struct buf b = BUF_INIT(0);
	size_t i;

	text_term_add(&b, s, strlen(s));
	for (i = 0; i < b.len; i++) {
		if (strchr("\\`*_[]<>|#!&~", b.data[i]))
			fputc('\\', out);
		fputc(b.data[i], out);
	}
	buf_release(&b);
}

static size_t longest_run(const char *s, char c)
{
	size_t best = 0, cur = 0;

	for (; *s; s++) {
		cur = *s == c ? cur + 1 : 0;
		if (cur > best)
			best = cur;
	}
	return best;
}

static void fence(FILE *out, size_t n)
{
	while (n--)
		fputc('`', out);
	fputc('\n', out);
}

static void evidence(FILE *out, const struct finding *f)
{
	struct buf block = BUF_INIT(0);
	size_t k, n;

	for (k = 0; k < f->nev; k++) {
		text_term_add(&block, f->ev[k].path, strlen(f->ev[k].path));
		buf_addf(&block, ":%llu  ", (unsigned long long)f->ev[k].line);
		text_term_add(&block, f->ev[k].text, strlen(f->ev[k].text));
		buf_addch(&block, '\n');
	}
	n = longest_run(block.data, '`') + 1;
	fence(out, n < 3 ? 3 : n);
	fwrite(block.data, 1, block.len, out);
	fence(out, n < 3 ? 3 : n);
	fputc('\n', out);
	buf_release(&block);
}

static void id_list(FILE *out, const char *what, const struct report *r, const size_t *idx,
		    char *const *why, size_t n)
{
	size_t k;

	if (!n)
		return;
	fprintf(out, " %s", what);
	for (k = 0; k < n; k++) {
		fprintf(out, "%s `%s`", k ? "," : "", r->f[idx[k]].rule->id);
		if (why && why[k]) {
			fputs(" (", out);
			md_text(out, why[k]);
			fputc(')', out);
		}
	}
	fputc('.', out);
}

static void finding(FILE *out, const struct report *r, const struct finding *f,
		    enum report_section sec, size_t num, const struct report_opts *o)
{
	char when[120];
	size_t k;

	(void)num;
	(void)o;
	fprintf(out, "#### **%s** ",
		severity_name(f->severity));
	md_text(out, f->rule->title);
	fprintf(out, " (`%s`, %s)\n\n", f->rule->id, f->rule->category);
	fprintf(out, "%s.", report_when(f, when, sizeof(when)));
	id_list(out, "Explained by", r, f->explained_by, f->explained_by_why, f->nexplained_by);
	id_list(out, "Explains", r, f->explains, f->explains_why, f->nexplains);
	fprintf(out, "\n\n");
	md_text(out, f->explanation);
	fprintf(out, "\n\n");
	if (*f->remediation && sec == SECTION_ROOT) {
		fprintf(out, "**What to do:** ");
		md_text(out, f->remediation);
		fprintf(out, "\n\n");
	}
	evidence(out, f);
	for (k = 0; sec == SECTION_ROOT && f->rule->references && f->rule->references[k]; k++)
		fprintf(out, "- <%s>\n", f->rule->references[k]);
	if (sec == SECTION_ROOT && f->rule->references)
		fputc('\n', out);
}

static void timeline(FILE *out, const struct report *r, const struct report_event *ev,
		     size_t n, size_t more, const struct report_opts *o)
{
	char utc[40], local[64];
	size_t i;

	(void)o;
	fprintf(out, "### Timeline\n\n| UTC | %sfinding | evidence |\n|---|%s---|---|\n",
		r->bi->timezone ? "local | " : "", r->bi->timezone ? "---|" : "");
	for (i = 0; i < n; i++) {
		fmt_utc(utc, sizeof(utc), ev[i].ev->ts.sec);
		fprintf(out, "| %s | ", utc);
		if (r->bi->timezone)
			fprintf(out, "%s | ", report_local_time(r, ev[i].ev->ts.sec, local,
							       sizeof(local)));
		fprintf(out, "`%s` | ", ev[i].f->rule->id);
		md_text(out, ev[i].ev->path);
		fprintf(out, ":%llu |\n", (unsigned long long)ev[i].ev->line);
	}
	if (more)
		fprintf(out, "\n... and %zu more in the JSON report\n", more);
	fputc('\n', out);
}

static void row(FILE *out, const char *label, const char *value)
{
	fprintf(out, "| %s | ", label);
	md_text(out, value);
	fprintf(out, " |\n");
}

static void header(FILE *out, const struct report *r, const struct report_opts *o)
{
	const struct bundle_info *bi = r->bi;
	char ts[40];
	size_t k;

	(void)o;
	fprintf(out, "## casefile report: ");
	if (bi->hostname) {
		md_text(out, bi->hostname);
		fputs(" — ", out);
	}
	md_text(out, report_input_name(r));
	fprintf(out, "\n\n| | |\n|---|---|\n");
	fprintf(out, "| bundle | ");
	md_text(out, bi->path);
	fprintf(out, " (%s) |\n", layout_name(bi->layout));
	if (bi->ticket)
		row(out, "ticket", bi->ticket);
	if (bi->collected_at)
		fprintf(out, "| collected | %s |\n", fmt_utc(ts, sizeof(ts), bi->collected_at));
	if (bi->problem)
		row(out, "problem", bi->problem);
	row(out, "zone", bi->timezone ? bi->timezone : "unknown (local times shown as if UTC)");
	for (k = 0; r->host && k < r->host->n; k++)
		if (strcmp(r->host->v[k].label, "zone"))
			row(out, r->host->v[k].label, r->host->v[k].text);
	fprintf(out, "| complete | %s |\n", bi->complete && !r->read_error ? "yes" : "**no**");
	{
		struct buf cov = BUF_INIT(0);

		report_coverage(r, &cov);
		row(out, "coverage", cov.data);
		buf_release(&cov);
	}
	fprintf(out, "| rules | %u run, %zu finding%s |\n\n", r->rules, r->n, r->n == 1 ? "" : "s");
	if (r->read_error) {
		fprintf(out, "> **Reading stopped early:** ");
		md_text(out, r->read_error);
		fprintf(out, "\n\n");
	}
	if (bi->gaps) {
		fprintf(out, "<details><summary>%zu items missing or truncated in the collection"
			"</summary>\n\n", strv_len(bi->gaps));
		for (k = 0; bi->gaps[k]; k++) {
			fprintf(out, "- ");
			md_text(out, bi->gaps[k]);
			fputc('\n', out);
		}
		fprintf(out, "\n</details>\n\n");
	}
}

static void none(FILE *out, const struct report *r, const struct report_opts *o)
{
	(void)r;
	(void)o;
	fprintf(out, "No known problem found.\n\n");
}

static void section(FILE *out, enum report_section sec, const struct report_opts *o)
{
	(void)o;
	fprintf(out, "%s\n\n", sec == SECTION_ROOT ? "### Root causes" :
		"### Symptoms explained by the causes above");
}

static void fleet_matrix(FILE *out, const struct fleet *fl)
{
	size_t cols = fl->nrows < FLEET_MATRIX_MAX ? fl->nrows : FLEET_MATRIX_MAX;
	size_t i, c;

	fputs("## Hosts × root causes\n\n| Host |", out);
	for (c = 0; c < cols; c++)
		fprintf(out, " %zu |", c + 1);
	fputs(" Findings |\n|---|", out);
	for (c = 0; c < cols; c++)
		fputs(":-:|", out);
	fputs("--:|\n", out);
	for (i = 0; i < fl->n; i++) {
		const struct fleet_host *h = &fl->hosts[i];

		fputs("| ", out);
		if (!h->error) {
			md_text(out, h->label);
			fputs(" · ", out);
		}
		md_text(out, fleet_bundle_name(h));
		fputs(" |", out);
		for (c = 0; c < cols; c++) {
			int on = fleet_has(fl, c, i);

			fputs(h->error ? "   |" : on ? " ✔ |" : "   |", out);
		}
		if (h->error) {
			fputs(" not analyzed: ", out);
			md_text(out, h->error);
			fputs(" |\n", out);
		} else {
			fprintf(out, " %zu%s |\n", h->findings, h->read_in_part ? " (read in part)" : "");
		}
	}
	fputc('\n', out);
}

static void fleet(FILE *out, const struct fleet *fl, const struct report_opts *o)
{
	size_t i;

	(void)o;
	fprintf(out, "# casefile fleet report: %zu hosts\n\n## Root causes across the fleet\n\n",
		fl->n);
	if (!fl->nrows)
		fputs("No host has a known problem.\n\n", out);
	else
		fputs("| # | Hosts | Severity | Root cause | On |\n|--:|--:|---|---|---|\n", out);
	for (i = 0; i < fl->nrows; i++) {
		const struct fleet_row *row = &fl->rows[i];

		fprintf(out, "| %zu | %zu/%zu | %s | `%s` ", i + 1, row->nhosts, fl->n,
			severity_name((enum severity)row->cause->severity), row->cause->id);
		md_text(out, row->cause->title);
		fputs(" | ", out);
		fleet_names(out, fl, i, md_text);
		fputs(" |\n", out);
	}
	if (fl->nrows)
		fputc('\n', out);
	fleet_matrix(out, fl);
}

static const struct report_hooks hooks = {
	.separator = "\n---\n\n",
	.fleet = fleet,
	.header = header,
	.none = none,
	.section = section,
	.finding = finding,
	.timeline = timeline,
};

REPORT_WALK_WRITER(md, hooks);
