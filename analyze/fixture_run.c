/*
 * fixture_run.c: a rule against its own fixtures, through the real engine
 * and through the whole reader of each layout (see fixture_run.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "analyze.h"
#include "bundle.h"
#include "casefile.h"
#include "engine.h"
#include "fixture_run.h"
#include "manifest.h"
#include "obfuscate.h"

int fixture_run(const struct rule *r, const struct fixture *fx,
		const struct catalog *cat, struct obf *obf, struct buf *why)
{
	struct engine *e = engine_new(r, 1, cat);
	struct finding *f;
	size_t i, n;
	int ok;

	for (i = 0; i < fx->n; i++) {
		const struct source *s = catalog_find(cat, fx->sources[i]);
		struct buf text = BUF_INIT(0);
		struct buf path = BUF_INIT(0);

		if (!s)
			continue;
		if (obf) {
			/* the host names of its syslog lines, then every value replaced */
			obf_learn_text(obf, "messages", fx->texts[i], strlen(fx->texts[i]));
			obf_chunk(obf, fx->texts[i], strlen(fx->texts[i]), &text);
		} else {
			buf_addstr(&text, fx->texts[i]);
		}
		if (text.len && text.data[text.len - 1] != '\n')
			buf_addch(&text, '\n');
		buf_addf(&path, "fixture/%s", s->name);
		engine_begin_source(e, (size_t)(s - cat->items), path.data,
				    /* a fixed reference year for syslog times */
				    1795000000);
		engine_lines(e, text.data, text.len, 1);
		buf_release(&text);
		buf_release(&path);
	}
	f = engine_finish(e, &n);
	ok = (n > 0) == fx->expect_match;
	if (!ok) {
		buf_addf(why, "expected %s, %s", fx->expect_match ? "a match" : "no match",
			 n ? "the rule fired" : "the rule did not fire");
		if (n && f[0].nev)
			buf_addf(why, " on %s:%llu '%s'", f[0].ev[0].path,
				 (unsigned long long)f[0].ev[0].line, f[0].ev[0].text);
	}
	engine_free(e);
	return ok;
}

static int write_file(const char *root, const char *rel, const char *text)
{
	struct buf path = BUF_INIT(0);
	char *slash;
	int fd, r = 0;
	size_t n = strlen(text);

	buf_addf(&path, "%s/%s", root, rel);
	for (slash = strchr(path.data + strlen(root) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path.data, 0700);
		*slash = '/';
	}
	fd = open(path.data, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, text, n) != (ssize_t)n ||
	    (n && text[n - 1] != '\n' && write(fd, "\n", 1) != 1))
		r = CF_ERR_IO;
	if (fd >= 0)
		close(fd);
	buf_release(&path);
	return r;
}

/*
 * Where a source lives in a layout, globs made concrete ('*' -> 'x'). In a
 * supportconfig the file is the section's ("messages.txt") and head gets
 * the section's banner and label.
 */
static int layout_path(const struct source *s, enum layout layout, struct buf *out,
		       struct buf *head)
{
	const char *p;

	if (layout == LAYOUT_SUPPORTCONFIG) {
		const char *colon = s->scc && s->scc[0] ? strchr(s->scc[0], ':') : NULL;

		if (!colon)
			return CF_ERR_NOTFOUND;
		buf_add(out, s->scc[0], (size_t)(colon - s->scc[0]));
		buf_addf(head, "#==[ %s ]=====================================#\n# ",
			 colon[1] == '/' ? "Log File" : "Command");
		for (p = colon + 1; *p; p++)
			buf_addch(head, *p == '*' || *p == '?' ? 'x' : *p);
		buf_addch(head, '\n');
		return 0;
	}
	if (layout == LAYOUT_SOSREPORT && s->sos && s->sos[0])
		p = s->sos[0];
	else if (s->files)
		p = s->files[0] + 1;
	else if (layout == LAYOUT_CASEFILE) {
		buf_addf(out, COMMANDS_DIR "%s", s->name);
		return 0;
	} else
		return CF_ERR_NOTFOUND;
	for (; *p; p++)
		buf_addch(out, *p == '*' || *p == '?' ? 'x' : *p);
	return 0;
}

/* The file a layout is recognised by, with what it holds. */
static void layout_marker(const char *root, enum layout layout)
{
	if (layout == LAYOUT_CASEFILE)
		write_file(root, MANIFEST_PATH, "{}");
	else if (layout == LAYOUT_SOSREPORT)
		write_file(root, "sos_commands/.layout", "{}");
	else
		write_file(root, "basic-environment.txt", "#==[ Command ]=====#\n# /bin/date\n");
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

int fixture_run_layout(const struct rule *r, const struct fixture *fx,
		       const struct catalog *cat, enum layout layout, struct buf *why)
{
	const char *tmp = getenv("TMPDIR");
	struct buf root = BUF_INIT(0), err = BUF_INIT(0);
	struct analyze_opts ao;
	struct analysis a;
	size_t i;
	int ok = -1;

	buf_addf(&root, "%s/casefile-fixture.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(root.data)) {
		buf_addf(why, "cannot make a temporary directory in %s: %s",
			 tmp && *tmp ? tmp : "/tmp", strerror(errno));
		buf_release(&root);
		return 0;
	}
	layout_marker(root.data, layout);
	for (i = 0; i < fx->n; i++) {
		const struct source *s = catalog_find(cat, fx->sources[i]);
		struct buf rel = BUF_INIT(0), head = BUF_INIT(0);
		int wr;

		if (!s || layout_path(s, layout, &rel, &head)) {
			buf_release(&rel);
			buf_release(&head);
			goto out;	/* no location in this layout */
		}
		wr = head.len ? write_file(root.data, rel.data, head.data) : 0;
		buf_release(&head);
		if (wr || write_file(root.data, rel.data, fx->texts[i])) {
			buf_addf(why, "cannot write %s/%s", root.data, rel.data);
			buf_release(&rel);
			ok = 0;
			goto out;
		}
		buf_release(&rel);
	}
	analyze_opts_init(&ao, cat);
	ao.rules = r;
	ao.nrules = 1;
	if (analyze_path(root.data, &ao, &a, &err)) {
		buf_addf(why, "reading failed: %s", err.data);
		ok = 0;
	} else {
		ok = (a.report.n > 0) == fx->expect_match;
		if (!ok)
			buf_addf(why, "as a %s: expected %s, %s", layout_name(layout),
				 fx->expect_match ? "a match" : "no match",
				 a.report.n ? "the rule fired" : "the rule did not fire");
		if (a.bi.layout != layout) {
			buf_addf(why, "the layout was read as %s, not %s", layout_name(a.bi.layout),
				 layout_name(layout));
			ok = 0;
		}
	}
	analysis_release(&a);
out:
	nftw(root.data, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	buf_release(&root);
	buf_release(&err);
	return ok;
}
