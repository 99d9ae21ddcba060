/* fuzz_table.c: any bytes as every typed table of the catalogue, and as package versions */
#include "fuzz.h"
#include "table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct catalog *cat = fuzz_catalog();
	struct table_set *ts = table_set_new(cat);
	const char *s = (const char *)data;
	size_t i, r, k, half = size / 2;
	double d;

	/* every table reads the same member: the parser kinds on hostile text */
	for (i = 0; i < cat->nr; i++) {
		if (!table_set_want(ts, i))
			continue;
		table_set_begin(ts, i, "proc/fuzz", NULL, 1);
		table_set_lines(ts, i, s, size, 1);
	}
	table_set_end(ts);
	for (i = 0; i < cat->nr; i++) {
		const struct table *t = table_set_at(ts, i);
		struct table_where w;

		for (r = 0; t && r < table_rows(t) && r < 64; r++) {
			for (k = 0; k < table_nfields(t, r); k++)
				table_num(t, r, table_field_name(t, r, k), &d);
			table_where(t, r, NULL, &w);
			table_find_row(t, s, half);
		}
	}
	table_set_free(ts);
	version_cmp_dpkg(s, half, s + half, size - half);
	version_cmp_rpm(s, half, s + half, size - half);
	return 0;
}
