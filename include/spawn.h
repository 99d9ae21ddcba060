/*
 * spawn.h: run a command the way a collector must.
 *
 * The command runs by absolute path (looked up in a fixed safe PATH, never
 * the caller's), with a minimal environment (LC_ALL=C), stdin from
 * /dev/null, every other descriptor closed, in a process group of its own.
 * Past its deadline (or when *stop becomes non-zero) the whole group gets
 * SIGTERM, then SIGKILL after a grace period; nothing it started outlives
 * the call (with spawn_subreaper(), not even what left the group), and a
 * collector killed outright takes the command with it (PR_SET_PDEATHSIG).
 * Output is kept in a tail ring: the last cap bytes.
 */
#ifndef SPAWN_H
#define SPAWN_H

#include <signal.h>
#include <stdint.h>
#include "buf.h"

#define SPAWN_SAFE_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

struct spawn_opts {
	const char *const *argv;	/* argv[0] a name or an absolute path */
	int64_t timeout_ms;
	size_t cap;			/* bytes of stdout to keep (the end) */
	volatile sig_atomic_t *stop;	/* optional: non-zero stops the child */
	int grace_ms;			/* SIGTERM to SIGKILL, default 1000 */
};

struct spawn_result {
	struct buf out;		/* stdout, the last cap bytes from a line start */
	struct buf err;		/* the end of stderr (4K) */
	int status;		/* exit code, 128+n for signal n, -1 not run */
	int timed_out;		/* killed at the deadline */
	int stopped;		/* killed because *stop was set */
	size_t dropped;		/* stdout bytes that did not fit */
	int64_t duration_ms;
	char path[512];		/* the resolved program */
};

void spawn_result_init(struct spawn_result *r);
void spawn_result_release(struct spawn_result *r);

/*
 * Find name in SPAWN_SAFE_PATH (or check an absolute path) into out;
 * CF_ERR_NOTFOUND when it is not there.
 */
int spawn_resolve(const char *name, char *out, size_t n);

/*
 * Run and wait. Returns 0 when the command ran (whatever its exit status,
 * see r->status), CF_ERR_NOTFOUND when it is not installed, CF_ERR_IO when
 * it could not be started.
 */
int spawn_run(const struct spawn_opts *o, struct spawn_result *r);

/*
 * Make this process a subreaper (PR_SET_CHILD_SUBREAPER): from then on,
 * whatever a command leaves running outside its process group (a daemon
 * that calls setsid) is killed when spawn_run() returns. For a process
 * that runs commands one at a time and has no other children.
 */
int spawn_subreaper(void);

/* Does a command's error output say "permission denied" in some way? */
int spawn_denied(const char *s);

#endif
