/*
 * report_text.c: the report for a terminal (colour only when asked). Every
 * byte that came from the bundle goes through text_term_fputs(): a bundle
 * must not be able to move the cursor, set the clipboard or forge lines.
 */
#include <string.h>
#include "casefile.h"
#include "fleet.h"
#include "report_format.h"
#include "report_walk.h"
#include "summary.h"
#include "text.h"

#define WIDTH 76	/* the right margin of wrapped text */

struct style {
	const char *bold, *dim, *red, *yellow, *reset;
};

static const struct style plain = { "", "", "", "", "" };
static const struct style ansi = { "\033[1m", "\033[2m", "\033[31m", "\033[33m", "\033[0m" };

static const struct style *style(const struct report_opts *o)
{
	return o && o->color ? &ansi : &plain;
}

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

/*
 * Wrap text within WIDTH columns, every line after indent; a blank line keeps
 * a paragraph. labelled: the first line's indent is out already, as a label
 * of the same width.
 */
static void wrapped(FILE *out, const char *indent, const char *text, int labelled)
{
	struct buf clean = BUF_INIT(0);
	size_t start = strlen(indent), col = start;
	const char *p;

	/* templates hold captures from the bundle: clean all but the newlines */
	for (p = text; *p; ) {
		size_t n = strcspn(p, "\n");

		text_term_add(&clean, p, n);
		p += n;
		if (*p)
			buf_addch(&clean, *p++);
	}
	if (!labelled)
		fputs(indent, out);
	for (p = clean.data; *p; ) {
		size_t w;

		if (*p == '\n' && p[1] == '\n') {
			fprintf(out, "\n\n%s", indent);
			col = start;
			p += 2;
			continue;
		}
		if (*p == ' ' || *p == '\n') {
			p++;
			continue;
		}
		w = strcspn(p, " \n");
		if (col > start && col + 1 + w > WIDTH) {
			fprintf(out, "\n%s", indent);
			col = start;
		} else if (col > start) {
			fputc(' ', out);
			col++;
		}
		fwrite(p, 1, w, out);
		col += w;
		p += w;
	}
	fputc('\n', out);
	buf_release(&clean);
}

static void evidence(FILE *out, const struct style *s, const struct finding *f, size_t max)
{
	size_t k;

	for (k = 0; k < f->nev && k < max; k++) {
		fprintf(out, "      %s", s->dim);
		text_term_fputs(out, f->ev[k].path);
		fprintf(out, ":%llu%s  ", (unsigned long long)f->ev[k].line, s->reset);
		text_term_fputs(out, f->ev[k].text);
		fputc('\n', out);
	}
	if (f->nev > max)
		fprintf(out, "      %s... and %zu more in the JSON report%s\n", s->dim,
			f->nev - max, s->reset);
}

/* Rule ids, each with why the link holds when the engine said ("same unit x"). */
static void ids(FILE *out, const struct report *r, const size_t *idx, char *const *why,
		size_t n)
{
	size_t k;

	for (k = 0; k < n; k++) {
		fprintf(out, "%s %s", k ? "," : "", r->f[idx[k]].rule->id);
		if (why && why[k]) {
			fputs(" (", out);
			text_term_fputs(out, why[k]);
			fputc(')', out);
		}
	}
	fputc('\n', out);
}

static void finding(FILE *out, const struct report *r, const struct finding *f,
		    enum report_section sec, size_t num, const struct report_opts *o)
{
	const struct style *s = style(o);
	char sev[16], when[120], prefix[16];
	size_t k;

	if (sec == SECTION_SYMPTOM)
		snprintf(prefix, sizeof(prefix), "  - ");
	else
		snprintf(prefix, sizeof(prefix), "%zu. ", num);
	upper(sev, severity_name(f->severity), sizeof(sev));
	fprintf(out, "%s%s%s[%s]%s %s%s%s  (%s, %s)\n", prefix, s->bold,
		sev_color(s, f->severity), sev, s->reset, s->bold, f->rule->title,
		s->reset, f->rule->id, f->rule->category);
	fprintf(out, "    %s\n", report_when(f, when, sizeof(when)));
	if (sec == SECTION_SYMPTOM) {
		fprintf(out, "    explained by:");
		ids(out, r, f->explained_by, f->explained_by_why, f->nexplained_by);
		evidence(out, s, f, 3);
		fputc('\n', out);
		return;
	}
	wrapped(out, "    ", f->explanation, 0);
	if (*f->remediation) {
		fprintf(out, "    %sWhat to do:%s\n", s->bold, s->reset);
		wrapped(out, "      ", f->remediation, 0);
	}
	fprintf(out, "    %sEvidence:%s\n", s->bold, s->reset);
	evidence(out, s, f, 6);
	if (f->nexplains) {
		fprintf(out, "    %sExplains:%s", s->bold, s->reset);
		ids(out, r, f->explains, f->explains_why, f->nexplains);
	}
	for (k = 0; f->rule->references && f->rule->references[k]; k++)
		fprintf(out, "    %s%s%s\n", s->dim, f->rule->references[k], s->reset);
	fputc('\n', out);
}

/* The host in a few lines (summary.h); the zone is said above. */
static void host_block(FILE *out, const struct report *r)
{
	size_t i;

	for (i = 0; r->host && i < r->host->n; i++) {
		if (!strcmp(r->host->v[i].label, "zone"))
			continue;
		fprintf(out, "%-12s", i ? "" : "host:");
		fprintf(out, "%-13s", r->host->v[i].label);
		text_term_fputs(out, r->host->v[i].text);
		fputc('\n', out);
	}
}

static void header(FILE *out, const struct report *r, const struct report_opts *o)
{
	const struct style *s = style(o);
	const struct bundle_info *bi = r->bi;
	char ts[40];
	size_t k;

	fprintf(out, "%scasefile report%s", s->bold, s->reset);
	if (bi->hostname) {
		fputs(": host ", out);
		text_term_fputs(out, bi->hostname);
	}
	fputs(bi->hostname ? " from " : ": ", out);
	text_term_fputs(out, report_input_name(r));
	if (bi->ticket) {
		fputs(", ticket ", out);
		text_term_fputs(out, bi->ticket);
	}
	fputc('\n', out);
	fprintf(out, "%-12s", "bundle:");
	text_term_fputs(out, bi->path);
	fprintf(out, " (%s)\n", layout_name(bi->layout));
	if (bi->collected_at)
		fprintf(out, "%-12s%s\n", "collected:", fmt_utc(ts, sizeof(ts), bi->collected_at));
	{
		struct buf cov = BUF_INIT(0);

		report_coverage(r, &cov);
		fprintf(out, "%-12s", "coverage:");
		wrapped(out, "            ", cov.data, 1);
		buf_release(&cov);
	}
	fprintf(out, "%-12s", "zone:");
	if (bi->timezone) {
		text_term_fputs(out, bi->timezone);
		fputs(" (local times in the logs are shown in UTC)\n", out);
	} else {
		fputs("not in the bundle: local times in the logs are shown as if UTC\n", out);
	}
	if (bi->problem) {
		fprintf(out, "%-12s\"", "problem:");
		text_term_fputs(out, bi->problem);
		fputs("\"\n", out);
	}
	host_block(out, r);
	if (!bi->complete)
		fprintf(out, "%s%swarning:%s    the collection was interrupted: the bundle is "
			"incomplete\n", s->bold, s->yellow, s->reset);
	if (r->read_error) {
		fprintf(out, "%s%swarning:%s    reading stopped early: ", s->bold, s->yellow,
			s->reset);
		text_term_fputs(out, r->read_error);
		fputc('\n', out);
	}
	if (bi->gaps) {
		fprintf(out, "%-12s%zu items missing or truncated in the collection\n", "gaps:",
			strv_len(bi->gaps));
		for (k = 0; bi->gaps[k] && k < 8; k++) {
			fprintf(out, "            %s", s->dim);
			text_term_fputs(out, bi->gaps[k]);
			fprintf(out, "%s\n", s->reset);
		}
		if (strv_len(bi->gaps) > 8)
			fprintf(out, "            %s... and %zu more in the JSON report%s\n", s->dim,
				strv_len(bi->gaps) - 8, s->reset);
	}
	fputc('\n', out);
}

static void none(FILE *out, const struct report *r, const struct report_opts *o)
{
	(void)o;
	fprintf(out, "No known problem found by %u rules.\n\n", r->rules);
}

static void section(FILE *out, enum report_section sec, const struct report_opts *o)
{
	const struct style *s = style(o);

	fprintf(out, "%s%s%s\n\n", s->bold, sec == SECTION_ROOT ? "ROOT CAUSES" :
		"SYMPTOMS EXPLAINED BY THE CAUSES ABOVE", s->reset);
}

static void timeline(FILE *out, const struct report *r, const struct report_event *ev,
		     size_t n, size_t more, const struct report_opts *o)
{
	const struct style *s = style(o);
	char utc[40], local[64];
	size_t i;

	fprintf(out, "%sTIMELINE%s (UTC%s)\n\n", s->bold, s->reset,
		r->bi->timezone ? ", the host's local time beside it" : "");
	for (i = 0; i < n; i++) {
		fmt_utc(utc, sizeof(utc), ev[i].ev->ts.sec);
		report_local_time(r, ev[i].ev->ts.sec, local, sizeof(local));
		fprintf(out, "  %s%s%s  %-28s ", utc, *local ? "  " : "", local,
			ev[i].f->rule->id);
		text_term_fputs(out, ev[i].ev->path);
		fprintf(out, ":%llu\n", (unsigned long long)ev[i].ev->line);
	}
	if (more)
		fprintf(out, "  %s... and %zu more in the JSON report%s\n", s->dim, more, s->reset);
	fputc('\n', out);
}

static void footer(FILE *out, const struct report *r, const struct report_opts *o)
{
	const struct style *s = style(o);
	const struct bundle_info *bi = r->bi;
	size_t k, roots = report_count(r, SECTION_ROOT);

	fprintf(out, "%s%u rule%s, %zu finding%s (%zu root cause%s), %.2fs%s\n", s->dim,
		r->rules, r->rules == 1 ? "" : "s", r->n, r->n == 1 ? "" : "s", roots,
		roots == 1 ? "" : "s", r->seconds, s->reset);
	for (k = 0; bi->notes && bi->notes[k] && k < 5; k++) {
		fprintf(out, "%snote: ", s->dim);
		text_term_fputs(out, bi->notes[k]);
		fprintf(out, "%s\n", s->reset);
	}
	if (r->rule_errors)
		fprintf(out, "%swarning: %u rules did not load (casefile rules lint)%s\n",
			s->yellow, r->rule_errors, s->reset);
}

/* A host's name in a column of width w: cleaned, cut, padded. */
static void host_cell(FILE *out, const char *label, int w)
{
	struct buf b = BUF_INIT(0);

	text_term_add(&b, label, strlen(label));
	if (b.len > (size_t)w) {
		b.len = (size_t)w - 3;
		while (b.len && ((unsigned char)b.data[b.len] & 0xc0) == 0x80)
			b.len--;	/* not in the middle of a character */
		fprintf(out, "%.*s...%*s", (int)b.len, b.data, w - 3 - (int)b.len, "");
	} else {
		fprintf(out, "%-*s", w, b.data);
	}
	buf_release(&b);
}

static void fleet_causes(FILE *out, const struct fleet *fl, const struct style *s)
{
	char sev[16];
	size_t i;

	fprintf(out, "%sROOT CAUSES ACROSS THE FLEET%s (most widespread first)\n\n", s->bold,
		s->reset);
	if (!fl->nrows)
		fputs("  none: no host has a known problem\n", out);
	for (i = 0; i < fl->nrows; i++) {
		const struct fleet_row *row = &fl->rows[i];

		upper(sev, severity_name((enum severity)row->cause->severity), sizeof(sev));
		fprintf(out, "  %2zu %4zu/%zu host%s  %s%-8s%s  %s: %s\n", i + 1, row->nhosts,
			fl->n, fl->n == 1 ? " " : "s",
			sev_color(s, (enum severity)row->cause->severity), sev, s->reset,
			row->cause->id, row->cause->title);
		fprintf(out, "%22s", "");
		fleet_names(out, fl, i, text_term_fputs);
		fputc('\n', out);
	}
	fputc('\n', out);
}

static void fleet(FILE *out, const struct fleet *fl, const struct report_opts *o)
{
	const struct style *s = style(o);
	size_t cols = fl->nrows < FLEET_MATRIX_MAX ? fl->nrows : FLEET_MATRIX_MAX;
	size_t i, c, failed = 0, sick = 0;

	for (i = 0; i < fl->n; i++) {
		failed += fl->hosts[i].error != NULL;
		sick += fl->hosts[i].nroots > 0;
	}
	fprintf(out, "%scasefile fleet report%s: %zu hosts, %zu with a root cause", s->bold,
		s->reset, fl->n, sick);
	if (failed)
		fprintf(out, ", %s%zu not analyzed%s", s->red, failed, s->reset);
	fputs("\n\n", out);
	fleet_causes(out, fl, s);
	fprintf(out, "%sHOSTS x ROOT CAUSES%s (columns: the numbers above)\n\n  %-28s", s->bold,
		s->reset, "");
	for (c = 0; c < cols; c++)
		fprintf(out, "%3zu", c + 1);
	fputc('\n', out);
	for (i = 0; i < fl->n; i++) {
		const struct fleet_host *h = &fl->hosts[i];

		fputs("  ", out);
		host_cell(out, h->error ? fleet_bundle_name(h) : h->label, 28);
		if (h->error) {
			fprintf(out, " %snot analyzed:%s ", s->red, s->reset);
			text_term_fputs(out, h->error);
			fputc('\n', out);
			continue;
		}
		for (c = 0; c < cols; c++) {
			int on = fleet_has(fl, c, i);

			fprintf(out, "  %s", on ? "x" : ".");
		}
		if (h->findings)
			fprintf(out, "   %zu finding%s", h->findings, h->findings == 1 ? "" : "s");
		else
			fputs("   no known problem", out);
		fputs(h->read_in_part ? ", read in part" : "", out);
		fprintf(out, "  %s", s->dim);
		text_term_fputs(out, fleet_bundle_name(h));
		fprintf(out, "%s\n", s->reset);
	}
	if (fl->nrows > cols)
		fprintf(out, "  (root causes %zu to %zu are in the list above only)\n", cols + 1,
			fl->nrows);
	fprintf(out, "\n%sEach host's report follows.%s\n\n", s->dim, s->reset);
}

static const struct report_hooks hooks = {
	.separator = "\n",
	.fleet = fleet,
	.header = header,
	.none = none,
	.section = section,
	.finding = finding,
	.timeline = timeline,
	.footer = footer,
};

REPORT_WALK_WRITER(text, hooks);
