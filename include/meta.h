/*
 * meta.h: what a bundle says about itself (meta.c): casefile's manifest
 * (host, ticket, the customer's words, when, whether the collection was
 * complete, its gaps), sos's manifest (when it was made, plugins that
 * timed out) and the host name files (etc/hostname only when nothing else
 * names the host). The reader hands such a member's
 * bytes here as well as to member.h; at its end they are parsed into the
 * bundle_info. Documents are capped (META_CAP bytes; JSON's elements by
 * intake_json_load()), and what does not fit is a note, never a crash.
 */
#ifndef META_H
#define META_H

#include "buf.h"
#include "bundle_info.h"

/* A metadata document's bytes. */
#define META_CAP (8 * 1024 * 1024)

enum meta_kind {
	META_NONE,
	META_CASEFILE_MANIFEST,
	META_SOS_MANIFEST,
	META_SOS_HOSTNAME,	/* what hostname printed, as sos keeps it */
	META_ETC_HOSTNAME,	/* /etc/hostname: used only when nothing better names the host */
};

struct meta_reader {
	struct bundle_info *bi;
	enum meta_kind kind;		/* of the member being read */
	const char *path;
	struct buf buf;			/* its bytes, up to META_CAP */
	int sos_manifest_read;		/* its gaps are taken once */
	int host_weak;			/* the host's name is etc/hostname's: a better one replaces it */
};

void meta_reader_init(struct meta_reader *md, struct bundle_info *bi);
void meta_reader_release(struct meta_reader *md);
/* Which metadata member path is, if any. */
enum meta_kind meta_of(const char *path);
/* Start a member; non-zero when it is metadata (its bytes are wanted). */
int meta_begin(struct meta_reader *md, const char *path);
/* Its bytes as stored. */
void meta_push(struct meta_reader *md, const char *data, size_t n);
/* The member was read: parse it into the bundle_info. */
void meta_end(struct meta_reader *md);

#endif
