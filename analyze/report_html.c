/*
 * report_html.c: one self-contained HTML page (no external assets, no
 * script), readable on screen and on paper. Text from the bundle is shown
 * with its control characters escaped, then escaped for HTML.
 */
#include <string.h>
#include "casefile.h"
#include "fleet.h"
#include "report_format.h"
#include "report_walk.h"
#include "summary.h"
#include "text.h"

static const char css[] =
	"body{font:15px/1.45 system-ui,sans-serif;max-width:1100px;margin:2em auto;"
	"padding:0 1em;color:#1d1d1f}"
	"h1{font-size:1.5em;margin-bottom:.2em}h2{margin-top:1.6em;border-bottom:2px solid #ddd}"
	"table.meta td{padding:2px 12px 2px 0;vertical-align:top}"
	".f{border:1px solid #ddd;border-left:6px solid #999;border-radius:4px;padding:.6em 1em;"
	"margin:1em 0;page-break-inside:avoid}"
	".critical{border-left-color:#b00020}.high{border-left-color:#e65100}"
	".medium{border-left-color:#f9a825}.low,.info{border-left-color:#90a4ae}"
	".sev{font-weight:700;text-transform:uppercase;font-size:.8em;padding:1px 6px;"
	"border-radius:3px;background:#eee}"
	".id{color:#555;font-family:monospace}"
	"pre{background:#f6f8fa;padding:.5em;overflow-x:auto;white-space:pre-wrap;"
	"word-break:break-all;font-size:12.5px}"
	".ev b{color:#555;font-weight:400}.warn{background:#fff3cd;padding:.4em .8em}"
	".sym{margin-left:2em}"
	".tl{border-left:3px solid #ccc;margin:1em 0 1em .5em;padding-left:1em}"
	".tl div{position:relative;margin:.25em 0;font-size:.9em}"
	".tl div:before{content:'';position:absolute;left:-1.45em;top:.45em;width:.6em;"
	"height:.6em;border-radius:50%;background:#999}"
	".tl .critical:before{background:#b00020}.tl .high:before{background:#e65100}"
	".tl .medium:before{background:#f9a825}.tl time{font-family:monospace;color:#333}"
	"table.mx{border-collapse:collapse;margin:.5em 0}"
	"table.mx td,table.mx th{border:1px solid #ddd;padding:2px 8px;text-align:center}"
	"table.mx td:first-child,table.mx th:first-child{text-align:left}"
	"td.critical{background:#f8d7da}td.high{background:#ffe0b2}td.medium{background:#fff3cd}"
	"td.low,td.info{background:#eceff1}"
	"@media print{body{margin:0;max-width:none}.f{border-color:#999}a{color:#000}}";

static void esc(FILE *out, const char *s)
{
	struct buf b = BUF_INIT(0);
	size_t i;

	text_term_add(&b, s, strlen(s));
	for (i = 0; i < b.len; i++) {
		switch (b.data[i]) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default: fputc(b.data[i], out);
		}
	}
	buf_release(&b);
}

/* The prefix of this report's ids: a fleet has one report per host. */
static const char *anchor(const struct report_opts *o)
{
	return o && o->anchor ? o->anchor : "";
}

static void links(FILE *out, const char *what, const struct report *r, const size_t *idx,
		  char *const *why, size_t n, const struct report_opts *o)
{
	size_t k;

	for (k = 0; k < n; k++) {
		fprintf(out, "%s<a href=\"#%s%s\">%s</a>", k ? ", " : what, anchor(o),
			r->f[idx[k]].rule->id, r->f[idx[k]].rule->id);
		if (why && why[k]) {
			fputs(" (", out);
			esc(out, why[k]);
			fputc(')', out);
		}
	}
}

static void finding(FILE *out, const struct report *r, const struct finding *f,
		    enum report_section sec, size_t num, const struct report_opts *o)
{
	int symptom = sec == SECTION_SYMPTOM;
	char when[120];
	size_t k;

	(void)num;
	fprintf(out, "<div class=\"f %s%s\" id=\"%s%s\">\n", severity_name(f->severity),
		symptom ? " sym" : "", anchor(o), f->rule->id);
	fprintf(out, "<div><span class=\"sev\">%s</span> <strong>",
		severity_name(f->severity));
	esc(out, f->rule->title);
	fprintf(out, "</strong> <span class=\"id\">%s &middot; %s</span></div>\n",
		f->rule->id, f->rule->category);
	fprintf(out, "<div>%s", report_when(f, when, sizeof(when)));
	links(out, "; explained by ", r, f->explained_by, f->explained_by_why, f->nexplained_by, o);
	links(out, "; explains ", r, f->explains, f->explains_why, f->nexplains, o);
	fprintf(out, "</div>\n<p>");
	esc(out, f->explanation);
	fprintf(out, "</p>\n");
	if (*f->remediation && !symptom) {
		fprintf(out, "<p><strong>What to do:</strong> ");
		esc(out, f->remediation);
		fprintf(out, "</p>\n");
	}
	fprintf(out, "<pre class=\"ev\">");
	for (k = 0; k < f->nev; k++) {
		fprintf(out, "<b>");
		esc(out, f->ev[k].path);
		fprintf(out, ":%llu</b>  ", (unsigned long long)f->ev[k].line);
		esc(out, f->ev[k].text);
		fputc('\n', out);
	}
	fprintf(out, "</pre>\n");
	for (k = 0; !symptom && f->rule->references && f->rule->references[k]; k++) {
		fprintf(out, "<div><a href=\"");
		esc(out, f->rule->references[k]);
		fprintf(out, "\">");
		esc(out, f->rule->references[k]);
		fprintf(out, "</a></div>\n");
	}
	fprintf(out, "</div>\n");
}

/* A vertical time axis: one dot per event, coloured by its finding's severity. */
static void timeline(FILE *out, const struct report *r, const struct report_event *ev,
		     size_t n, size_t more, const struct report_opts *o)
{
	char utc[40], local[64];
	size_t i;

	fprintf(out, "<h2>Timeline</h2>\n<div class=\"tl\">\n");
	for (i = 0; i < n; i++) {
		fmt_utc(utc, sizeof(utc), ev[i].ev->ts.sec);
		report_local_time(r, ev[i].ev->ts.sec, local, sizeof(local));
		fprintf(out, "<div class=\"%s\"><time>%s</time>%s", severity_name(ev[i].f->severity),
			utc, *local ? " <small>(" : "");
		if (*local)
			fprintf(out, "%s)</small>", local);
		fprintf(out, " <a href=\"#%s%s\">%s</a> <span class=\"id\">", anchor(o),
			ev[i].f->rule->id, ev[i].f->rule->id);
		esc(out, ev[i].ev->path);
		fprintf(out, ":%llu</span></div>\n", (unsigned long long)ev[i].ev->line);
	}
	if (more)
		fprintf(out, "<div>... and %zu more in the JSON report</div>\n", more);
	fprintf(out, "</div>\n");
}

static void row(FILE *out, const char *label, const char *value, const char *q)
{
	fprintf(out, "<tr><td>%s</td><td>%s", label, q);
	esc(out, value);
	fprintf(out, "%s</td></tr>\n", *q ? "&rdquo;" : "");
}

static void header(FILE *out, const struct report *r, const struct report_opts *o)
{
	const struct bundle_info *bi = r->bi;
	char ts[40];
	size_t k;

	(void)o;
	fprintf(out, "<h1>casefile report: ");
	if (bi->hostname) {
		esc(out, bi->hostname);
		fputs(" &mdash; ", out);
	}
	esc(out, report_input_name(r));
	fprintf(out, "</h1>\n<table class=\"meta\">\n<tr><td>bundle</td><td>");
	esc(out, bi->path);
	fprintf(out, " (%s)</td></tr>\n", layout_name(bi->layout));
	if (bi->ticket)
		row(out, "ticket", bi->ticket, "");
	if (bi->collected_at)
		fprintf(out, "<tr><td>collected</td><td>%s</td></tr>\n",
			fmt_utc(ts, sizeof(ts), bi->collected_at));
	if (bi->problem)
		row(out, "problem", bi->problem, "&ldquo;");
	row(out, "zone", bi->timezone ? bi->timezone : "unknown (local times shown as if UTC)", "");
	for (k = 0; r->host && k < r->host->n; k++)
		if (strcmp(r->host->v[k].label, "zone"))
			row(out, r->host->v[k].label, r->host->v[k].text, "");
	{
		struct buf cov = BUF_INIT(0);

		report_coverage(r, &cov);
		row(out, "coverage", cov.data, "");
		buf_release(&cov);
	}
	fprintf(out, "<tr><td>rules</td><td>%u run, %zu finding%s</td></tr>\n</table>\n",
		r->rules, r->n, r->n == 1 ? "" : "s");
	if (!bi->complete)
		fprintf(out, "<p class=\"warn\">The collection was interrupted: the bundle is "
			"incomplete.</p>\n");
	if (r->read_error) {
		fprintf(out, "<p class=\"warn\">Reading stopped early: ");
		esc(out, r->read_error);
		fprintf(out, "</p>\n");
	}
	if (bi->gaps) {
		fprintf(out, "<details><summary>%zu items missing or truncated in the "
			"collection</summary><ul>\n", strv_len(bi->gaps));
		for (k = 0; bi->gaps[k]; k++) {
			fprintf(out, "<li>");
			esc(out, bi->gaps[k]);
			fprintf(out, "</li>\n");
		}
		fprintf(out, "</ul></details>\n");
	}
}

static void none(FILE *out, const struct report *r, const struct report_opts *o)
{
	(void)r;
	(void)o;
	fprintf(out, "<p>No known problem found.</p>\n");
}

static void section(FILE *out, enum report_section sec, const struct report_opts *o)
{
	(void)o;
	fprintf(out, "<h2>%s</h2>\n", sec == SECTION_ROOT ? "Root causes" :
		"Symptoms explained by the causes above");
}

static void begin(FILE *out, const char *title, const struct report_opts *o)
{
	(void)o;
	fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width\">\n<title>casefile %s",
		title ? "report" : "fleet report");
	if (title) {
		fprintf(out, ": ");
		esc(out, title);
	}
	fprintf(out, "</title>\n<style>%s</style></head><body>\n", css);
}

static void end(FILE *out, const struct report_opts *o)
{
	(void)o;
	fprintf(out, "<footer><small>casefile %s</small></footer>\n</body></html>\n",
		CASEFILE_VERSION);
}

static void fleet_matrix(FILE *out, const struct fleet *fl)
{
	size_t cols = fl->nrows < FLEET_MATRIX_MAX ? fl->nrows : FLEET_MATRIX_MAX;
	size_t i, c;

	fputs("<h2>Hosts &times; root causes</h2>\n<table class=\"mx\"><tr><th>Host</th>", out);
	for (c = 0; c < cols; c++)
		fprintf(out, "<th title=\"%s\">%zu</th>", fl->rows[c].cause->id, c + 1);
	fputs("<th>Findings</th></tr>\n", out);
	for (i = 0; i < fl->n; i++) {
		const struct fleet_host *h = &fl->hosts[i];

		fputs("<tr><td>", out);
		if (!h->error) {
			esc(out, h->label);
			fputs("<br>", out);
		}
		fputs("<small>", out);
		esc(out, fleet_bundle_name(h));
		fputs("</small>", out);
		fputs("</td>", out);
		for (c = 0; c < cols && !h->error; c++) {
			int on = fleet_has(fl, c, i);

			fprintf(out, "<td class=\"%s\">%s</td>",
				on ? severity_name((enum severity)fl->rows[c].cause->severity) : "",
				on ? "&#10004;" : "");
		}
		if (h->error) {
			fprintf(out, "<td colspan=\"%zu\" class=\"warn\">not analyzed: ", cols + 1);
			esc(out, h->error);
			fputs("</td></tr>\n", out);
		} else {
			fprintf(out, "<td>%zu%s</td></tr>\n", h->findings,
				h->read_in_part ? " (read in part)" : "");
		}
	}
	fputs("</table>\n", out);
}

static void fleet(FILE *out, const struct fleet *fl, const struct report_opts *o)
{
	size_t i;

	(void)o;
	fprintf(out, "<h1>casefile fleet report: %zu hosts</h1>\n"
		"<h2>Root causes across the fleet</h2>\n", fl->n);
	if (!fl->nrows)
		fputs("<p>No host has a known problem.</p>\n", out);
	else
		fputs("<table class=\"mx\"><tr><th>#</th><th>Hosts</th><th>Severity</th>"
		      "<th>Root cause</th><th>On</th></tr>\n", out);
	for (i = 0; i < fl->nrows; i++) {
		const struct fleet_row *row = &fl->rows[i];
		const char *sev = severity_name((enum severity)row->cause->severity);

		fprintf(out, "<tr><td>%zu</td><td>%zu/%zu</td><td><span class=\"sev %s\">%s</span>"
			"</td><td><span class=\"id\">%s</span> ", i + 1, row->nhosts, fl->n, sev, sev,
			row->cause->id);
		esc(out, row->cause->title);
		fputs("</td><td>", out);
		fleet_names(out, fl, i, esc);
		fputs("</td></tr>\n", out);
	}
	if (fl->nrows)
		fputs("</table>\n", out);
	fleet_matrix(out, fl);
}

static const struct report_hooks hooks = {
	.separator = "<hr>\n",
	.begin = begin,
	.fleet = fleet,
	.header = header,
	.none = none,
	.section = section,
	.finding = finding,
	.timeline = timeline,
	.end = end,
};

REPORT_WALK_WRITER(html, hooks);
