/*
 * gzlayers.h: gzip inside gzip inside gzip... A recursive gzip (a quine)
 * sends libarchive 3.6's filter detection into an endless loop, so the
 * reader of archives (intake.h) looks first: more than GZIP_LAYERS_MAX
 * layers is a hostile file, refused before libarchive sees it.
 */
#ifndef GZLAYERS_H
#define GZLAYERS_H

#include <stddef.h>

#define GZIP_LAYERS_MAX 3
/* The bytes of a stream's start that are looked at. */
#define GZIP_LAYERS_PEEK 65536

/* The nested gzip layers at the start of a stream (up to GZIP_LAYERS_MAX + 1). */
int gzip_layers(const void *head, size_t n);

#endif
