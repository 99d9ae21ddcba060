/*
 * transport.h: where a collection reads from.
 *
 * The collector (collect.c, files.c) never asks where it runs: it calls a
 * transport's three operations. The local transport (transport_local.c)
 * spawns commands here and reads files in place; the SSH transport
 * (transport_ssh.c) runs the same commands, and the small pipelines that
 * list and read files, through one shell it keeps open on the host
 * (ssh_shell.c; an exec channel per item where that shell cannot start),
 * so the target needs only sshd, sh and coreutils. Both give the same
 * guarantees: each command has its timeout, its output cap and LC_ALL=C;
 * each file keeps its end within its cap, from a line start.
 */
#ifndef TRANSPORT_H
#define TRANSPORT_H

#include <signal.h>
#include <stdint.h>
#include "buf.h"
#include "catalog.h"
#include "manifest.h"
#include "spawn.h"

/* One file a source matched on the host. */
struct found {
	char *path;		/* absolute, on the host */
	int64_t mtime;
	uint64_t size;		/* as listed; 0 for procfs and unknown */
	char *refused;		/* why it must not be read (a planted link), or NULL */
	/* SSH: what the listing saw, which the reader must open (transport_ssh.c) */
	uint64_t dev, ino;
	int any_ino;		/* procfs: each reader has its own inode, the device is checked */
	int no_links;		/* no link on its way: it is not read through one */
};

struct found_list {
	struct found *v;
	size_t nr, alloc;
};

/* Add a file (once); returns it, for the caller to mark refused or link. */
struct found *transport_found_add(struct found_list *l, const char *path, int64_t mtime,
				  uint64_t size);
/* Newest first; the live file before its rotations at equal times. */
void transport_found_sort(struct found_list *l);
void transport_found_release(struct found_list *l);
/* Is this a compressed rotation (name.gz), collected inflated? */
int transport_gz_name(const char *path);

/*
 * The planted-link rule (planted.c). The collector runs as root: it must
 * read nothing another user could have put under a name it collects. A
 * link is judged where it sits, on every hop of the way to a file: none in
 * a folder anyone can write; a link's owner and its folder's owner chose
 * where it points, so once the way follows a link of a user other than
 * root, the file reached must be that user's, and no link of a second such
 * user may follow. A file with other names (a hard link) must be its
 * folder owner's, in a folder others cannot write. Folders on the way
 * that are not links are walked as they are: a user who owns one can
 * only put there what is theirs to put.
 */
struct planted {
	unsigned uid;		/* the user whose link the way followed, when set */
	int set;
};
/* A link on the way; ITEM_OK, or ITEM_REFUSED with why. */
enum item_status planted_link(struct planted *p, const char *name, unsigned link_uid,
			      unsigned dir_uid, unsigned dir_mode, struct buf *why);
/* The file at the end of the way; ITEM_OK, or ITEM_REFUSED with why. */
enum item_status planted_file(const struct planted *p, const char *path, unsigned uid,
			      unsigned nlink, unsigned dir_uid, unsigned dir_mode,
			      struct buf *why);
/*
 * Open the regular file at an absolute path for reading under the rule,
 * each component from the folder before it without following links (the
 * links read and walked here, up to 40). ITEM_OK with *fd, or the status
 * to record (refused, absent, denied, skipped: not a regular file, error)
 * with why.
 */
enum item_status planted_open(const char *path, int *fd, struct buf *why);

/*
 * The part of a file a collection keeps: its end within the cap. Either
 * read in place (fd >= 0, bytes [start, end) of the file) or held in mem
 * (compressed rotations are inflated once into memory, procfs files and
 * remote files are read into it).
 */
struct fcontent {
	int fd;
	uint64_t start, end;
	struct buf mem;
	uint64_t original;	/* the whole file's size (inflated) */
	int truncated;		/* only the end was kept */
	int skip_partial;	/* the reader drops the first, partial line */
	int64_t mtime;
	char warning[200];	/* kept what was readable, and why not all */
};

void fcontent_init(struct fcontent *fc);
void fcontent_release(struct fcontent *fc);

struct transport;

struct transport_ops {
	const char *kind;	/* "local", "ssh": the manifest's transport */
	/*
	 * Run a command like spawn_run(): 0 when it ran (see r->status,
	 * r->timed_out), CF_ERR_NOTFOUND when it is not installed there.
	 */
	int (*run)(struct transport *t, const struct spawn_opts *o, struct spawn_result *r);
	/*
	 * Optional: the command the collector will run next, so the transport
	 * can start it now (SSH: on a second shell, while the host works on the
	 * current item). run() with the same options takes its result; a hint
	 * never taken costs nothing but the command.
	 */
	void (*prefetch)(struct transport *t, const struct spawn_opts *o);
	/*
	 * Optional: the file sources the collector will list, in order, so the
	 * transport can list them all at once (SSH: one request, not one per
	 * source). list() then answers from it; a failure here costs nothing.
	 */
	void (*list_ahead)(struct transport *t, const struct source *const *v, size_t n);
	/*
	 * The regular files of a source (its globs, and their rotations when
	 * the source is rotated). 0 with an empty list when there are none;
	 * a negative code with err set when the host could not be asked.
	 */
	int (*list)(struct transport *t, const struct source *s, struct found_list *out,
		    struct buf *err);
	/*
	 * Open one listed file, keeping its end within cap, and stop by
	 * deadline_ms (now_ms() time). ITEM_OK, or the status to record with
	 * why set (denied, absent, skipped, refused, timeout, error).
	 */
	enum item_status (*open)(struct transport *t, const struct found *f, uint64_t cap,
				 int64_t deadline_ms, struct fcontent *out, struct buf *why);
};

struct transport {
	const struct transport_ops *ops;
	const char *user;	/* who reads: login user, for the manifest */
	const char *host;	/* the bundle's host name; NULL: this host */
	int sudo;		/* commands run through sudo -n */
	volatile sig_atomic_t *stop;
	void *ctx;
	char note[512];		/* how it worked, for collect.log ("" when as usual) */
};

/* This host. */
void transport_local(struct transport *t);

struct ssh_conn;
/*
 * A host over an established SSH connection, for as long as c lasts: host
 * is the host's own name (the bundle's), user the login user. Its context
 * (the shells it keeps open on the host, the listing done ahead) is its
 * own; transport_ssh_done() closes what it kept open and frees it.
 */
struct transport_ssh_ctx;
struct transport_ssh_ctx *transport_ssh(struct transport *t, struct ssh_conn *c,
					const char *host, const char *user, int sudo);
void transport_ssh_done(struct transport_ssh_ctx *ctx);

#endif
