/*
 * report_text.c: the report for a terminal (colour only when asked).
 */
#include <string.h>
#include "casefile.h"
#include "report.h"

struct style {
	const char *bold, *dim, *red, *yellow, *reset;
};

static const struct style plain = { "", "", "", "", "" };
static const struct style ansi = { "\033[1m", "\033[2m", "\033[31m", "\033[33m", "\033[0m" };

static const char *sev_color(const struct style *s, enum severity v)
{
	return v >= SEV_HIGH ? s->red : v == SEV_MEDIUM ? s->yellow : s->dim;
}

static void upper(char *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < n; i++)
		out[i] = (char)(s[i] >= 'a' && s[i] <= 'z' ? s[i] - 32 : s[i]);
	out[i] = '\0';
}

/* Wrap text at 76 columns after an indent. */
static void wrapped(FILE *out, const char *indent, const char *text)
{
	size_t col = 0;
	const char *p = text;

	fputs(indent, out);
	while (*p) {
		size_t w = strcspn(p, " \n");

		if (col && col + w > 72) {
			fprintf(out, "\n%s", indent);
			col = 0;
		}
		fwrite(p, 1, w, out);
		col += w;
		p += w;
		if (*p == '\n' && p[1] == '\n') {
			fprintf(out, "\n\n%s", indent);
			col = 0;
			p += 2;
		} else if (*p) {
			if (col)
				fputc(' ', out), col++;
			p++;
		}
	}
	fputc('\n', out);
}

static void finding_head(FILE *out, const struct style *s, const struct finding *f,
			 const char *prefix)
{
	char sev[16], when[120];

	upper(sev, severity_name(f->rule->severity), sizeof(sev));
	fprintf(out, "%s%s%s[%s]%s %s%s%s  (%s, %s)\n", prefix, s->bold,
		sev_color(s, f->rule->severity), sev, s->reset, s->bold, f->rule->title,
		s->reset, f->rule->id, f->rule->category);
	fprintf(out, "    %s\n", report_when(f, when, sizeof(when)));
}

static void evidence(FILE *out, const struct style *s, const struct finding *f, size_t max)
{
	size_t k;

	for (k = 0; k < f->nev && k < max; k++)
		fprintf(out, "      %s%s:%llu%s  %s\n", s->dim, f->ev[k].path,
			(unsigned long long)f->ev[k].line, s->reset, f->ev[k].text);
	if (f->nev > max)
		fprintf(out, "      %s... %zu more kept in the JSON report%s\n", s->dim,
			f->nev - max, s->reset);
}

static void full_finding(FILE *out, const struct style *s, const struct report *r,
			 const struct finding *f, size_t num)
{
	char prefix[16];
	size_t k;

	snprintf(prefix, sizeof(prefix), "%zu. ", num);
	finding_head(out, s, f, prefix);
	wrapped(out, "    ", f->explanation);
	if (*f->remediation) {
		fprintf(out, "    %sWhat to do:%s\n", s->bold, s->reset);
		wrapped(out, "      ", f->remediation);
	}
	fprintf(out, "    %sEvidence:%s\n", s->bold, s->reset);
	evidence(out, s, f, 6);
	if (f->nexplains) {
		fprintf(out, "    %sExplains:%s", s->bold, s->reset);
		for (k = 0; k < f->nexplains; k++)
			fprintf(out, "%s %s", k ? "," : "", r->f[f->explains[k]].rule->id);
		fputc('\n', out);
	}
	for (k = 0; f->rule->references && f->rule->references[k]; k++)
		fprintf(out, "    %s%s%s\n", s->dim, f->rule->references[k], s->reset);
	fputc('\n', out);
}

void report_text(FILE *out, const struct report *r, int color)
{
	const struct style *s = color ? &ansi : &plain;
	const struct bundle_info *bi = r->bi;
	char ts[40];
	size_t i, k, num = 0;

	fprintf(out, "%scasefile report%s%s%s%s%s\n", s->bold, s->reset,
		bi->hostname ? ": host " : "", bi->hostname ? bi->hostname : "",
		bi->ticket ? ", ticket " : "", bi->ticket ? bi->ticket : "");
	fprintf(out, "bundle:     %s (%s)\n", bi->path, layout_name(bi->layout));
	if (bi->collected_at)
		fprintf(out, "collected:  %s\n", fmt_utc(ts, sizeof(ts), bi->collected_at));
	if (bi->problem)
		fprintf(out, "problem:    \"%s\"\n", bi->problem);
	if (!bi->complete)
		fprintf(out, "%s%swarning:%s    the collection was interrupted: the bundle is incomplete\n",
			s->bold, s->yellow, s->reset);
	if (r->read_error)
		fprintf(out, "%s%swarning:%s    reading stopped early: %s\n", s->bold, s->yellow,
			s->reset, r->read_error);
	if (bi->gaps) {
		fprintf(out, "gaps:       %zu items missing or truncated in the collection\n",
			strv_len(bi->gaps));
		for (k = 0; bi->gaps[k] && k < 8; k++)
			fprintf(out, "            %s%s%s\n", s->dim, bi->gaps[k], s->reset);
		if (strv_len(bi->gaps) > 8)
			fprintf(out, "            %s... %zu more in the JSON report%s\n", s->dim,
				strv_len(bi->gaps) - 8, s->reset);
	}
	fputc('\n', out);

	if (!r->n)
		fprintf(out, "No known problem found by %u rules.\n\n", r->rules);
	if (report_count(r, SECTION_ROOT)) {
		fprintf(out, "%sROOT CAUSES%s\n\n", s->bold, s->reset);
		for (i = 0; i < r->n; i++)
			if (report_section(&r->f[i]) == SECTION_ROOT)
				full_finding(out, s, r, &r->f[i], ++num);
	}
	if (report_count(r, SECTION_SYMPTOM)) {
		fprintf(out, "%sSYMPTOMS EXPLAINED BY THE CAUSES ABOVE%s\n\n", s->bold, s->reset);
		for (i = 0; i < r->n; i++) {
			const struct finding *f = &r->f[i];

			if (report_section(f) != SECTION_SYMPTOM)
				continue;
			finding_head(out, s, f, "  - ");
			fprintf(out, "    explained by:");
			for (k = 0; k < f->nexplained_by; k++)
				fprintf(out, "%s %s", k ? "," : "", r->f[f->explained_by[k]].rule->id);
			fputc('\n', out);
			evidence(out, s, f, 3);
			fputc('\n', out);
		}
	}
	if (report_count(r, SECTION_OTHER)) {
		fprintf(out, "%sOTHER FINDINGS%s\n\n", s->bold, s->reset);
		for (i = 0; i < r->n; i++)
			if (report_section(&r->f[i]) == SECTION_OTHER)
				full_finding(out, s, r, &r->f[i], ++num);
	}
	fprintf(out, "%s%u rules, %zu findings (%zu root causes), %.2fs%s\n", s->dim, r->rules,
		r->n, report_count(r, SECTION_ROOT), r->seconds, s->reset);
	for (k = 0; bi->notes && bi->notes[k] && k < 5; k++)
		fprintf(out, "%snote: %s%s\n", s->dim, bi->notes[k], s->reset);
	if (r->rule_errors)
		fprintf(out, "%swarning: %u rules did not load (casefile rules lint)%s\n",
			s->yellow, r->rule_errors, s->reset);
}
