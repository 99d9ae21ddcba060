/*
 * gzlayers.c: how many gzip layers a file starts with, found by inflating
 * the first block of each in memory (see gzlayers.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "casefile.h"
#include "gzlayers.h"

#define PEEK 65536

int gzip_layers(const char *path)
{
	unsigned char *in = xmalloc(PEEK), *out = xmalloc(PEEK);
	FILE *f = fopen(path, "rb");
	size_t n = f ? fread(in, 1, PEEK, f) : 0;
	int layers = 0;

	if (f)
		fclose(f);
	while (n >= 2 && in[0] == 0x1f && in[1] == 0x8b && layers <= GZIP_LAYERS_MAX) {
		z_stream zs;
		unsigned char *t;

		memset(&zs, 0, sizeof(zs));
		if (inflateInit2(&zs, 15 + 16) != Z_OK)
			break;
		zs.next_in = in;
		zs.avail_in = (uInt)n;
		zs.next_out = out;
		zs.avail_out = PEEK;
		inflate(&zs, Z_SYNC_FLUSH);
		n = PEEK - zs.avail_out;
		inflateEnd(&zs);
		layers++;
		t = in;
		in = out;
		out = t;
	}
	free(in);
	free(out);
	return layers;
}
