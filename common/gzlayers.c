/*
 * gzlayers.c: how many gzip layers a stream starts with, found by inflating
 * the first block of each in memory (see gzlayers.h).
 */
#include <string.h>
#include <zlib.h>
#include "casefile.h"
#include "gzlayers.h"

int gzip_layers(const void *head, size_t n)
{
	unsigned char *in = xmalloc(GZIP_LAYERS_PEEK), *out = xmalloc(GZIP_LAYERS_PEEK);
	int layers = 0;

	if (n > GZIP_LAYERS_PEEK)
		n = GZIP_LAYERS_PEEK;
	memcpy(in, head, n);
	while (n >= 2 && in[0] == 0x1f && in[1] == 0x8b && layers <= GZIP_LAYERS_MAX) {
		z_stream zs;
		unsigned char *t;

		memset(&zs, 0, sizeof(zs));
		if (inflateInit2(&zs, 15 + 16) != Z_OK)
			break;
		zs.next_in = in;
		zs.avail_in = (uInt)n;
		zs.next_out = out;
		zs.avail_out = GZIP_LAYERS_PEEK;
		inflate(&zs, Z_SYNC_FLUSH);
		n = GZIP_LAYERS_PEEK - zs.avail_out;
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
