/*
 * report_html.c: one self-contained HTML page (no external assets), readable
 * on screen and on paper.
 */
#include <string.h>
#include "casefile.h"
#include "report.h"

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
	"@media print{body{margin:0;max-width:none}.f{border-color:#999}a{color:#000}}";

static void esc(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		default: fputc(*s, out);
		}
	}
}

static void finding(FILE *out, const struct report *r, const struct finding *f, int symptom)
{
	char when[120];
	size_t k;

	fprintf(out, "<div class=\"f %s%s\" id=\"%s\">\n", severity_name(f->rule->severity),
		symptom ? " sym" : "", f->rule->id);
	fprintf(out, "<div><span class=\"sev\">%s</span> <strong>",
		severity_name(f->rule->severity));
	esc(out, f->rule->title);
	fprintf(out, "</strong> <span class=\"id\">%s &middot; %s</span></div>\n",
		f->rule->id, f->rule->category);
	fprintf(out, "<div>%s", report_when(f, when, sizeof(when)));
	for (k = 0; k < f->nexplained_by; k++)
		fprintf(out, "%s<a href=\"#%s\">%s</a>", k ? ", " : "; explained by ",
			r->f[f->explained_by[k]].rule->id, r->f[f->explained_by[k]].rule->id);
	for (k = 0; k < f->nexplains; k++)
		fprintf(out, "%s<a href=\"#%s\">%s</a>", k ? ", " : "; explains ",
			r->f[f->explains[k]].rule->id, r->f[f->explains[k]].rule->id);
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

static void one(FILE *out, const struct report *r)
{
	const struct bundle_info *bi = r->bi;
	char ts[40];
	size_t i, k;

	fprintf(out, "<h1>casefile report: ");
	esc(out, bi->hostname ? bi->hostname : bi->path);
	fprintf(out, "</h1>\n<table class=\"meta\">\n<tr><td>bundle</td><td>");
	esc(out, bi->path);
	fprintf(out, " (%s)</td></tr>\n", layout_name(bi->layout));
	if (bi->ticket) {
		fprintf(out, "<tr><td>ticket</td><td>");
		esc(out, bi->ticket);
		fprintf(out, "</td></tr>\n");
	}
	if (bi->collected_at)
		fprintf(out, "<tr><td>collected</td><td>%s</td></tr>\n",
			fmt_utc(ts, sizeof(ts), bi->collected_at));
	if (bi->problem) {
		fprintf(out, "<tr><td>problem</td><td>&ldquo;");
		esc(out, bi->problem);
		fprintf(out, "&rdquo;</td></tr>\n");
	}
	fprintf(out, "<tr><td>rules</td><td>%u run, %zu findings</td></tr>\n</table>\n",
		r->rules, r->n);
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
	if (!r->n)
		fprintf(out, "<p>No known problem found.</p>\n");
	if (report_count(r, SECTION_ROOT)) {
		fprintf(out, "<h2>Root causes</h2>\n");
		for (i = 0; i < r->n; i++)
			if (report_section(&r->f[i]) == SECTION_ROOT)
				finding(out, r, &r->f[i], 0);
	}
	if (report_count(r, SECTION_SYMPTOM)) {
		fprintf(out, "<h2>Symptoms explained by the causes above</h2>\n");
		for (i = 0; i < r->n; i++)
			if (report_section(&r->f[i]) == SECTION_SYMPTOM)
				finding(out, r, &r->f[i], 1);
	}
	if (report_count(r, SECTION_OTHER)) {
		fprintf(out, "<h2>Other findings</h2>\n");
		for (i = 0; i < r->n; i++)
			if (report_section(&r->f[i]) == SECTION_OTHER)
				finding(out, r, &r->f[i], 0);
	}
}

void report_html(FILE *out, const struct report *r, size_t n)
{
	size_t i;

	fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width\">\n<title>casefile report");
	if (n == 1 && r[0].bi->hostname) {
		fprintf(out, ": ");
		esc(out, r[0].bi->hostname);
	}
	fprintf(out, "</title>\n<style>%s</style></head><body>\n", css);
	for (i = 0; i < n; i++)
		one(out, &r[i]);
	fprintf(out, "<footer><small>casefile %s</small></footer>\n</body></html>\n",
		CASEFILE_VERSION);
}
