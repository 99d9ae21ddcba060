/*
 * require.c: does a source apply to this host at all (its "requires:",
 * catalog.h)? Each requirement is asked once per collection, before any
 * command of it would start: on this host with glob(3), on a host reached
 * over SSH with one loop of sh(1) through the transport.
 */
#include <glob.h>
#include <string.h>
#include "casefile.h"
#include "collector.h"

/* Does one of the globs match on the host the transport reaches? */
static int remote_exists(struct collector *c, char **paths)
{
	/* each glob unquoted, so the shell expands it; one that matches nothing stays */
	static const char loop[] = "for g; do for p in $g; do [ -e \"$p\" ] && exit 0; "
				   "done; done; exit 1";
	const char *argv[64] = { "/bin/sh", "-c", loop, "sh" };
	struct spawn_opts so = { 0 };
	struct spawn_result sr;
	size_t n = 4;
	int r, holds;

	for (; *paths && n < 63; paths++)
		argv[n++] = *paths;
	argv[n] = NULL;
	so.argv = argv;
	so.timeout_ms = SOURCE_DEFAULT_TIMEOUT * 1000;
	so.cap = 4096;
	so.stop = c->o->stop;
	spawn_result_init(&sr);
	r = c->t->ops->run(c->t, &so, &sr);
	/* only a clear "none is there" says no: a host we could not ask keeps its items */
	holds = r || sr.timed_out || sr.status != 1;
	spawn_result_release(&sr);
	return holds;
}

/*
 * The catalogue's paths are in folders only root writes (/run, /sys, /var/log):
 * nobody else can plant a yes or a no, and nothing is opened or read.
 */
static int exists(struct collector *c, char **paths)
{
	glob_t g;
	int found = 0;

	if (c->t->host)
		return remote_exists(c, paths);
	for (; *paths && !found; paths++) {
		found = !glob(*paths, GLOB_NOSORT, NULL, &g);
		globfree(&g);
	}
	return found;
}

/* The cached answer for a requirement's name or a path; asked on first use. */
static const char *unmet(struct collector *c, const char *key)
{
	const struct requirement *q = key[0] == '/' ? NULL : catalog_requirement(c->cat, key);
	struct require_answer *a;
	size_t i;

	for (i = 0; i < c->nanswers; i++)
		if (!strcmp(c->answers[i].key, key))
			return c->answers[i].why;
	ALLOC_GROW(c->answers, c->nanswers + 1, c->aanswers);
	a = &c->answers[c->nanswers++];
	a->key = xstrdup(key);
	a->why = NULL;
	if (q && !exists(c, q->exists)) {
		a->why = xstrdup(q->why);
	} else if (!q) {
		char *one[2] = { (char *)key, NULL };

		if (key[0] == '/' && !exists(c, one)) {
			struct buf b = BUF_INIT(0);

			buf_addf(&b, "no %s on this host", key);
			a->why = buf_detach(&b, NULL);
		}
	}
	return a->why;
}

const char *require_unmet(struct collector *c, const struct source *s)
{
	size_t i;
	const char *why;

	for (i = 0; s->requires && s->requires[i]; i++)
		if ((why = unmet(c, s->requires[i])))
			return why;
	return NULL;
}

void require_release(struct collector *c)
{
	size_t i;

	for (i = 0; i < c->nanswers; i++) {
		free(c->answers[i].key);
		free(c->answers[i].why);
	}
	free(c->answers);
	c->answers = NULL;
	c->nanswers = c->aanswers = 0;
}
