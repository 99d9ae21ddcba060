/*
 * fixture.c: a rule against its own fixtures, through the real engine.
 */
#include <string.h>
#include "casefile.h"
#include "engine.h"
#include "fixture.h"

int fixture_run(const struct rule *r, const struct fixture *fx,
		const struct catalog *cat, struct buf *why)
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
		buf_addstr(&text, fx->texts[i]);
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
	f = engine_finish(e, NULL, &n);
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
