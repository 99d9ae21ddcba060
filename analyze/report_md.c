/*
 * report_md.c: the report as Markdown, to paste into a ticket.
 */
#include <string.h>
#include "casefile.h"
#include "report.h"

/* Evidence goes in code blocks; a line with ``` would end one early. */
static void code_line(FILE *out, const char *s)
{
	for (; *s; s++)
		fputs(*s == '`' ? "'" : (char[]){ *s, 0 }, out);
	fputc('\n', out);
}

/* Text outside code: escape what Markdown would take as markup. */
static void md_text(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (strchr("\\`*_[]<>|#", *s))
			fputc('\\', out);
		fputc(*s, out);
	}
}

static void finding(FILE *out, const struct report *r, const struct finding *f, int level)
{
	char when[120];
	size_t k;

	fprintf(out, "#### **%s** ", severity_name(f->rule->severity));
	md_text(out, f->rule->title);
	fprintf(out, " (`%s`, %s)\n\n", f->rule->id, f->rule->category);
	fprintf(out, "%s.", report_when(f, when, sizeof(when)));
	if (f->nexplained_by) {
		fprintf(out, " Explained by");
		for (k = 0; k < f->nexplained_by; k++)
			fprintf(out, "%s `%s`", k ? "," : "", r->f[f->explained_by[k]].rule->id);
		fprintf(out, ".");
	}
	if (f->nexplains) {
		fprintf(out, " Explains");
		for (k = 0; k < f->nexplains; k++)
			fprintf(out, "%s `%s`", k ? "," : "", r->f[f->explains[k]].rule->id);
		fprintf(out, ".");
	}
	fprintf(out, "\n\n");
	md_text(out, f->explanation);
	fprintf(out, "\n\n");
	if (*f->remediation && level == 3) {
		fprintf(out, "**What to do:** ");
		md_text(out, f->remediation);
		fprintf(out, "\n\n");
	}
	fprintf(out, "```\n");
	for (k = 0; k < f->nev; k++) {
		fprintf(out, "%s:%llu  ", f->ev[k].path, (unsigned long long)f->ev[k].line);
		code_line(out, f->ev[k].text);
	}
	fprintf(out, "```\n\n");
	for (k = 0; level == 3 && f->rule->references && f->rule->references[k]; k++)
		fprintf(out, "- <%s>\n", f->rule->references[k]);
	if (level == 3 && f->rule->references)
		fputc('\n', out);
}

void report_md(FILE *out, const struct report *r)
{
	const struct bundle_info *bi = r->bi;
	char ts[40];
	size_t i, k;

	fprintf(out, "## casefile report: ");
	md_text(out, bi->hostname ? bi->hostname : bi->path);
	fprintf(out, "\n\n| | |\n|---|---|\n");
	fprintf(out, "| bundle | `%s` (%s) |\n", bi->path, layout_name(bi->layout));
	if (bi->ticket) {
		fprintf(out, "| ticket | ");
		md_text(out, bi->ticket);
		fprintf(out, " |\n");
	}
	if (bi->collected_at)
		fprintf(out, "| collected | %s |\n", fmt_utc(ts, sizeof(ts), bi->collected_at));
	if (bi->problem) {
		fprintf(out, "| problem | ");
		md_text(out, bi->problem);
		fprintf(out, " |\n");
	}
	fprintf(out, "| complete | %s |\n", bi->complete && !r->read_error ? "yes" : "**no**");
	fprintf(out, "| rules | %u run, %zu findings |\n\n", r->rules, r->n);
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
	if (!r->n)
		fprintf(out, "No known problem found.\n\n");
	if (report_count(r, SECTION_ROOT)) {
		fprintf(out, "### Root causes\n\n");
		for (i = 0; i < r->n; i++)
			if (report_section(&r->f[i]) == SECTION_ROOT)
				finding(out, r, &r->f[i], 3);
	}
	if (report_count(r, SECTION_SYMPTOM)) {
		fprintf(out, "### Symptoms explained by the causes above\n\n");
		for (i = 0; i < r->n; i++)
			if (report_section(&r->f[i]) == SECTION_SYMPTOM)
				finding(out, r, &r->f[i], 4);
	}
	if (report_count(r, SECTION_OTHER)) {
		fprintf(out, "### Other findings\n\n");
		for (i = 0; i < r->n; i++)
			if (report_section(&r->f[i]) == SECTION_OTHER)
				finding(out, r, &r->f[i], 3);
	}
}
