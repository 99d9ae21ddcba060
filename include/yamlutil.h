/*
 * yamlutil.h: a loaded YAML document (libyaml's document API) with lookups
 * and error messages that say name:line:column. Used by the sources
 * catalogue and the rule loader.
 */
#ifndef YAMLUTIL_H
#define YAMLUTIL_H

#include <yaml.h>
#include "buf.h"

struct ydoc {
	yaml_document_t doc;
	const char *name;	/* file name for messages, not owned */
	int loaded;
};

/* Parse data; on failure append "name:line:col: what" to err. */
int ydoc_load(struct ydoc *d, const char *name, const char *data, size_t len,
	      struct buf *err);
void ydoc_release(struct ydoc *d);

yaml_node_t *ydoc_root(struct ydoc *d);
yaml_node_t *ydoc_node(struct ydoc *d, int index);
/* Value of key in a mapping node, or NULL. */
yaml_node_t *ydoc_get(struct ydoc *d, yaml_node_t *map, const char *key);
/* The scalar's text, or NULL when node is not a scalar. */
const char *ydoc_scalar(yaml_node_t *node);

/* Append "name:line:col: message" for node (1-based line and column). */
int ydoc_error(struct ydoc *d, yaml_node_t *node, struct buf *err,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * A list of strings from a scalar or a sequence of scalars; *out is a
 * NULL-terminated array the caller frees with strv_free(). Returns the count
 * or CF_ERR_PARSE after ydoc_error().
 */
int ydoc_strv(struct ydoc *d, yaml_node_t *node, const char *what,
	      char ***out, struct buf *err);

/*
 * The same from a sequence only: one shape per key, so a scalar is an error
 * that shows the list it should be ("'sources' must be a list: [x]").
 */
int ydoc_list(struct ydoc *d, yaml_node_t *node, const char *what,
	      char ***out, struct buf *err);

/*
 * Every key of a mapping must be one of keys: an unknown one is reported
 * as "unknown key 'X' in WHAT; did you mean 'Y'?". 0 or CF_ERR_PARSE.
 */
int ydoc_check_keys(struct ydoc *d, yaml_node_t *map, const char *const *keys,
		    const char *what, struct buf *err);

#endif
