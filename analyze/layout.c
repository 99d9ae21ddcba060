/*
 * layout.c: the kind of bundle, from its names (see layout.h).
 */
#include <string.h>
#include <sys/stat.h>
#include "buf.h"
#include "bundle_info.h"
#include "casefile.h"
#include "layout.h"
#include "scc.h"

const char *layout_name(enum layout l)
{
	switch (l) {
	case LAYOUT_CASEFILE: return "casefile";
	case LAYOUT_SOSREPORT: return "sosreport";
	case LAYOUT_DIRECTORY: return "directory";
	case LAYOUT_SUPPORTCONFIG: return "supportconfig";
	default: return "unknown";
	}
}

enum layout layout_parse(const char *name)
{
	enum layout l;

	for (l = LAYOUT_CASEFILE; l <= LAYOUT_SUPPORTCONFIG; l++)
		if (!strcmp(layout_name(l), name))
			return l;
	return LAYOUT_UNKNOWN;
}

void layout_probe_init(struct layout_probe *lp, const struct catalog *cat,
		       struct bundle_info *bi)
{
	lp->cat = cat;
	lp->bi = bi;
}

static int has_prefix(char *const *v, const char *s)
{
	size_t i;

	for (i = 0; v && v[i]; i++)
		if (!strncmp(s, v[i], strlen(v[i])))
			return 1;
	return 0;
}

/* A marker names a member, or a folder the member is in. */
static int is_marker(char *const *v, const char *rel)
{
	size_t i, n;

	for (i = 0; v && v[i]; i++) {
		n = strlen(v[i]);
		if (!strncmp(rel, v[i], n) && (!rel[n] || rel[n] == '/'))
			return 1;
	}
	return 0;
}

void layout_member(struct layout_probe *lp, const char *top, const char *path)
{
	/* the top folder's name counts only before any member was read */
	const char *first = lp->bi->members ? NULL : top;
	size_t i;

	for (i = 0; i < lp->cat->nlayouts && lp->bi->layout == LAYOUT_UNKNOWN; i++) {
		const struct layout_def *l = &lp->cat->layouts[i];

		if ((first && has_prefix(l->prefixes, first)) ||
		    (path && is_marker(l->markers, path)))
			lp->bi->layout = layout_parse(l->name);
	}
	if (lp->bi->layout == LAYOUT_SUPPORTCONFIG && top)
		scc_hostname(lp->bi, top);
}

static int exists_in(const char *dir, const char *rel)
{
	struct buf p = BUF_INIT(0);
	struct stat st;
	int r;

	buf_addf(&p, "%s/%s", dir, rel);
	r = !lstat(p.data, &st);
	buf_release(&p);
	return r;
}

const struct layout_def *layout_of_dir(struct layout_probe *lp, const char *root)
{
	const struct layout_def *def = NULL;
	size_t i, k;

	for (i = 0; i < lp->cat->nlayouts && !def; i++)
		for (k = 0; lp->cat->layouts[i].markers && lp->cat->layouts[i].markers[k]; k++)
			if (exists_in(root, lp->cat->layouts[i].markers[k]))
				def = &lp->cat->layouts[i];
	lp->bi->layout = def ? layout_parse(def->name) : LAYOUT_DIRECTORY;
	if (lp->bi->layout == LAYOUT_SUPPORTCONFIG)
		scc_hostname(lp->bi, root);
	return def;
}
