/*
 * fuzz_claims.c: which source a bundle member is, for any member name, in
 * every layout the catalogue knows (the globs, rotations and sosreport
 * locations), and the rotation suffix parser.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct catalog *cat = fuzz_catalog();
	char *path = xstrndup((const char *)data, size);
	size_t i;

	for (i = 0; i < cat->nr; i++)
		source_claims(&cat->items[i], path);
	rotation_suffix(path);
	catalog_host_folder(cat, path, strlen(path));
	free(path);
	return 0;
}
