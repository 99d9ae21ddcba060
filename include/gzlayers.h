/*
 * gzlayers.h: gzip inside gzip inside gzip... A recursive gzip (a quine)
 * sends libarchive 3.6's filter detection into an endless loop, so every
 * reader of archives (analyze, clean) looks first: more than
 * GZIP_LAYERS_MAX layers is a hostile file, refused before libarchive sees
 * it.
 */
#ifndef GZLAYERS_H
#define GZLAYERS_H

#define GZIP_LAYERS_MAX 3

/* The nested gzip layers at the start of path (up to GZIP_LAYERS_MAX + 1). */
int gzip_layers(const char *path);

#endif
