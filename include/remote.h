/*
 * remote.h: collect many hosts over SSH at once, one bundle per host.
 *
 * Each host is collected by a child process of its own (at most jobs at a
 * time), so a host that is down, slow, refuses the key or hangs never
 * stops or delays the others past their timeouts; the host timeout ends a
 * child with SIGTERM (its bundle is closed, marked incomplete), then
 * SIGKILL. On a terminal a status line per host is kept up to date.
 */
#ifndef REMOTE_H
#define REMOTE_H

#include "catalog.h"
#include "collect.h"
#include "ssh.h"

struct remote_opts {
	struct ssh_opts ssh;
	int sudo;
	int no_push;			/* never run casefile on the hosts (inplace.h) */
	int jobs;			/* hosts at once */
	int64_t host_timeout_ms;	/* whole collection of one host */
	const char *upload;		/* sftp:// URL, or NULL */
	/* the command line's words that casefile on a host gets too (options_argv) */
	char **host_args;
};

/* Collect every host; print the summary. Returns the number that failed. */
int remote_collect(const struct catalog *cat, const struct collect_opts *o,
		   const struct remote_opts *ro, char **hosts, size_t nhosts);

#endif
