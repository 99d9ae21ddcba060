/*
 * layout.h: which kind of bundle is being read (enum layout, bundle.h):
 * told by the catalogue's "layouts:" (catalog.h) from the archive's top
 * folder's name ("sosreport-", "scc_"), from a marker among its members'
 * paths ("sos_commands", "casefile/manifest.json"), or, for a directory,
 * from a marker that exists in it. A supportconfig's host name comes from
 * its folder's name on the way. The bundle's own metadata (meta.h) and a
 * supportconfig's banners (scc.h) can still say better later.
 */
#ifndef LAYOUT_H
#define LAYOUT_H

#include "bundle_info.h"
#include "catalog.h"

struct layout_probe {
	const struct catalog *cat;
	struct bundle_info *bi;	/* its layout and host name are filled in */
};

void layout_probe_init(struct layout_probe *lp, const struct catalog *cat,
		       struct bundle_info *bi);
/* A member of an archive: its path below top, the top folder (or NULL). */
void layout_member(struct layout_probe *lp, const char *top, const char *path);
/*
 * A directory at root: its layout from the markers that exist in it
 * (LAYOUT_DIRECTORY when none does). The layout's definition, for the
 * files to read first, or NULL.
 */
const struct layout_def *layout_of_dir(struct layout_probe *lp, const char *root);

/* "casefile", "sosreport", ... and back (LAYOUT_UNKNOWN for another name). */
const char *layout_name(enum layout l);
enum layout layout_parse(const char *name);

#endif
