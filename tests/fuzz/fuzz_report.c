/*
 * fuzz_report.c: the four report writers (text, md, html, json) on a
 * bundle made of the input: a casefile manifest, then after a line "--" a
 * kernel log, so that findings carry the input's bytes as evidence and the
 * bundle's own words (host, ticket, problem, gaps) are the input's too.
 * Checked: text, Markdown and HTML hold no control character but newline
 * and tab, no C1 control and no bidirectional control; JSON parses.
 */
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include "analyze.h"
#include "fuzz.h"
#include "report_format.h"
#include "text.h"

static char dir[] = "/tmp/casefile-fuzz-report.XXXXXX";

static void put(const char *rel, const char *data, size_t n)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "w");
	if (!f || fwrite(data, 1, n, f) != n || fclose(f))
		abort();
}

/* What no terminal, Markdown or HTML report may hold raw. */
static void check_safe(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		uint32_t cp;
		size_t len = text_utf8_decode(s + i, n - i, &cp);

		if (!len)
			abort();	/* invalid UTF-8 */
		if ((cp < 0x20 && cp != '\n' && cp != '\t') || (cp >= 0x7f && cp <= 0x9f) ||
		    cp == 0x061c || cp == 0x200e || cp == 0x200f ||
		    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
			abort();
		i += len;
	}
}

/* The bundle's folder goes when the fuzzer ends (a crash leaves it, for the input). */
static void remove_dir(void)
{
	static const char *const parts[] = { "casefile/manifest.json", "var/log/kern.log",
		"casefile", "var/log", "var", "" };
	char path[128];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(parts); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, parts[i]);
		if (unlink(path))
			rmdir(path);
	}
}

static void setup(struct ruleset *rs)
{
	struct buf err = BUF_INIT(0), p = BUF_INIT(0);

	if (!mkdtemp(dir) || ruleset_load(rs, fuzz_catalog(), NULL, &err))
		abort();
	atexit(remove_dir);
	buf_addf(&p, "%s/casefile", dir);
	if (mkdir(p.data, 0700))
		abort();
	buf_reset(&p);
	buf_addf(&p, "%s/var", dir);
	if (mkdir(p.data, 0700))
		abort();
	buf_addstr(&p, "/log");
	if (mkdir(p.data, 0700))
		abort();
	buf_release(&p);
	buf_release(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ruleset rs;
	static int ready;
	const char *text = (const char *)data, *sep = memmem(text, size, "\n--\n", 4);
	size_t mlen = sep ? (size_t)(sep - text) : size;
	struct analyze_opts ao;
	struct analysis a;
	struct report_opts ro = { 0 };
	struct buf err = BUF_INIT(0);
	int fmt;

	if (!ready) {
		setup(&rs);
		ready = 1;
	}
	put("casefile/manifest.json", text, mlen);
	put("var/log/kern.log", sep ? sep + 4 : "", sep ? size - mlen - 4 : 0);
	analyze_opts_init(&ao, fuzz_catalog());
	ao.rules = rs.items;
	ao.nrules = rs.nr;
	ao.lim.member_cap = 1 << 20;
	ao.lim.total_cap = 8 << 20;
	analyze_path(dir, &ao, &a, &err);
	for (fmt = 0; a.has_report && report_writers[fmt]; fmt++) {
		char *out = NULL;
		size_t n = 0;
		FILE *f = open_memstream(&out, &n);

		if (!f)
			abort();
		report_writers[fmt]->report(f, &a.report, &ro);
		fclose(f);
		if (report_writers[fmt] == &report_json_writer) {
			json_t *j = json_loadb(out, n, 0, NULL);

			if (!j)
				abort();	/* not JSON */
			json_decref(j);
		} else {
			check_safe(out, n);
		}
		free(out);
	}
	analysis_release(&a);
	buf_release(&err);
	return 0;
}
