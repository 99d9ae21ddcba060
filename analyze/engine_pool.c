/*
 * engine_pool.c: threads that search blocks while the reader reads on (see
 * engine_state.h). The reader copies each block with its member's context
 * into a ring of POOL_DEPTH jobs; a thread takes the oldest not yet
 * searched, searches it with a searcher of its own and marks it done; the
 * reader applies jobs strictly in the order it submitted them, so the
 * engine's state, and the report, are those of one thread. Memory is the
 * ring: POOL_DEPTH blocks at most.
 */
#include <pthread.h>
#include <string.h>
#include "casefile.h"
#include "engine_state.h"

#define POOL_DEPTH 8

enum job_state { JOB_FREE, JOB_QUEUED, JOB_SEARCHING, JOB_DONE };

struct job {
	enum job_state state;
	struct member_ctx m;	/* its own copies: the reader moves on */
	char *data;
	size_t len, cap;
	struct block b;
	struct hits hits;
};

struct worker {
	struct engine_pool *p;
	pthread_t th;
	struct searcher s;
	int started;
};

struct engine_pool {
	struct engine *e;
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	struct job ring[POOL_DEPTH];
	uint64_t head, next, tail;	/* oldest to apply, next to search, next free */
	int stop;
	struct worker *w;
	unsigned nw, nalloc;	/* threads running, workers made */
};

static void *work(void *arg)
{
	struct worker *w = arg;
	struct engine_pool *p = w->p;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		struct job *j;

		while (!p->stop && p->next == p->tail)
			pthread_cond_wait(&p->work, &p->mu);
		if (p->stop)
			break;
		j = &p->ring[p->next++ % POOL_DEPTH];
		j->state = JOB_SEARCHING;
		pthread_mutex_unlock(&p->mu);
		engine_search(p->e, &w->s, &j->b, &j->hits);
		pthread_mutex_lock(&p->mu);
		j->state = JOB_DONE;
		pthread_cond_broadcast(&p->done);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

struct engine_pool *engine_pool_start(struct engine *e, unsigned threads)
{
	struct engine_pool *p = xcalloc(1, sizeof(*p));
	unsigned i;

	p->e = e;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, NULL);
	p->w = xcalloc(threads, sizeof(*p->w));
	p->nalloc = threads;
	for (i = 0; i < threads; i++) {
		p->w[i].p = p;
		engine_searcher_init(&p->w[i].s);
		if (pthread_create(&p->w[i].th, NULL, work, &p->w[i]))
			continue;	/* fewer threads: the work is the same */
		p->w[i].started = 1;
		p->nw++;
	}
	if (!p->nw) {
		engine_pool_stop(p);
		return NULL;	/* searched in the reader's thread */
	}
	return p;
}

/* Apply the oldest job once it is searched (the lock held on entry and exit). */
static void apply_oldest(struct engine_pool *p)
{
	struct job *j = &p->ring[p->head % POOL_DEPTH];

	while (j->state != JOB_DONE)
		pthread_cond_wait(&p->done, &p->mu);
	pthread_mutex_unlock(&p->mu);
	engine_apply(p->e, &j->m, j->data, j->len, &j->hits);
	pthread_mutex_lock(&p->mu);
	j->state = JOB_FREE;
	p->head++;
}

static void copy_ctx(struct member_ctx *to, const struct member_ctx *from, size_t nsrc)
{
	if (!to->path || strcmp(to->path, from->path)) {
		free(to->path);
		to->path = xstrdup(from->path);
	}
	free(to->section);
	to->section = from->section ? xstrdup(from->section) : NULL;
	if (!to->claimed) {
		to->claimed = xcalloc(nsrc + 1, sizeof(*to->claimed));
		to->fact_srcs = xcalloc(nsrc + 1, sizeof(*to->fact_srcs));
		to->table_srcs = xcalloc(nsrc + 1, sizeof(*to->table_srcs));
	}
	memcpy(to->claimed, from->claimed, from->nclaimed * sizeof(*to->claimed));
	memcpy(to->fact_srcs, from->fact_srcs, from->nfact_srcs * sizeof(*to->fact_srcs));
	memcpy(to->table_srcs, from->table_srcs, from->ntable_srcs * sizeof(*to->table_srcs));
	to->nclaimed = from->nclaimed;
	to->nfact_srcs = from->nfact_srcs;
	to->ntable_srcs = from->ntable_srcs;
	to->mtime = from->mtime;
	to->member = from->member;
	to->program = from->program;
}

void engine_pool_submit(struct engine_pool *p, const struct member_ctx *m, const char *data,
			size_t len, uint64_t first_line)
{
	struct job *j;

	pthread_mutex_lock(&p->mu);
	while (p->tail - p->head == POOL_DEPTH)
		apply_oldest(p);
	j = &p->ring[p->tail % POOL_DEPTH];
	pthread_mutex_unlock(&p->mu);
	copy_ctx(&j->m, m, p->e->cat->nr);
	if (j->cap < len + 1) {
		free(j->data);
		j->cap = len + 1;
		j->data = xmalloc(j->cap);
	}
	memcpy(j->data, data, len);
	j->len = len;
	j->b.data = j->data;
	j->b.len = len;
	j->b.first_line = first_line;
	j->b.claimed = j->m.claimed;
	j->b.nclaimed = j->m.nclaimed;
	j->b.always = engine_block_always(p->e, j->m.claimed, j->m.nclaimed);
	j->b.mtime = j->m.mtime;
	pthread_mutex_lock(&p->mu);
	j->state = JOB_QUEUED;
	p->tail++;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->mu);
}

void engine_pool_flush(struct engine_pool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	while (p->head != p->tail)
		apply_oldest(p);
	pthread_mutex_unlock(&p->mu);
}

void engine_pool_stop(struct engine_pool *p)
{
	size_t i;

	if (!p)
		return;
	engine_pool_flush(p);
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	for (i = 0; i < p->nalloc; i++) {
		if (p->w[i].started)
			pthread_join(p->w[i].th, NULL);
		engine_searcher_release(&p->w[i].s);
	}
	for (i = 0; i < POOL_DEPTH; i++) {
		free(p->ring[i].data);
		free(p->ring[i].m.path);
		free(p->ring[i].m.claimed);
		free(p->ring[i].m.fact_srcs);
		free(p->ring[i].m.table_srcs);
		free(p->ring[i].m.section);
		engine_hits_release(&p->ring[i].hits);
	}
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->done);
	pthread_mutex_destroy(&p->mu);
	free(p->w);
	free(p);
}
