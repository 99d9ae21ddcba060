/* test_scan.c: the multi-literal scanner that picks lines for PCRE2 */
#include "unit.h"
#include "scan.h"

struct hits {
	size_t pos[64];
	uint32_t id[64];
	size_t n;
};

static void on_hit(void *ctx, size_t pos, uint32_t id)
{
	struct hits *h = ctx;

	if (h->n < 64) {
		h->pos[h->n] = pos;
		h->id[h->n] = id;
		h->n++;
	}
}

static int has(const struct hits *h, size_t pos, uint32_t id)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		if (h->pos[i] == pos && h->id[i] == id)
			return 1;
	return 0;
}

static void test_case_and_length(void **state)
{
	struct scanner *s = scanner_new();
	struct hits h = { { 0 }, { 0 }, 0 };
	const char text[] = "one OUT OF MEMORY two I/O error three i/o error end";

	(void)state;
	scanner_add(s, "out of memory", 13, 1, 7);
	scanner_add(s, "I/O error", 9, 0, 9);
	scanner_add(s, "abc", 3, 0, 1);	/* too short: ignored */
	assert_int_equal(scanner_count(s), 2);
	scanner_scan(s, text, strlen(text), on_hit, &h);
	assert_int_equal(h.n, 2);	/* the lower-case i/o is not the case-sensitive one */
	assert_true(has(&h, 4, 7));
	assert_true(has(&h, 22, 9));
	scanner_free(s);
}

static void test_every_occurrence_and_edges(void **state)
{
	struct scanner *s = scanner_new();
	struct hits h = { { 0 }, { 0 }, 0 };
	/* at the very start, at the very end, overlapping, and one literal inside another */
	const char text[] = "abcdabcdab\nxx segfault at 0\nsegfault";

	(void)state;
	scanner_add(s, "abcdab", 6, 0, 1);
	scanner_add(s, "segfault", 8, 0, 2);
	scanner_add(s, "fault", 5, 0, 3);
	scanner_scan(s, text, strlen(text), on_hit, &h);
	assert_true(has(&h, 0, 1));
	assert_true(has(&h, 4, 1));
	assert_true(has(&h, 14, 2));
	assert_true(has(&h, 17, 3));
	assert_true(has(&h, 28, 2));	/* the last bytes of the block */
	assert_true(has(&h, 31, 3));
	assert_int_equal(h.n, 6);
	scanner_free(s);
}

static void test_no_false_hits(void **state)
{
	struct scanner *s = scanner_new();
	struct hits h = { { 0 }, { 0 }, 0 };
	struct buf big = BUF_INIT(0);
	size_t i;

	(void)state;
	/* a megabyte of near misses: the rarest 4 bytes are there, the literal is not */
	for (i = 0; i < 100000; i++)
		buf_addstr(&big, "Out of memorz ");
	scanner_add(s, "Out of memory", 13, 0, 5);
	scanner_scan(s, big.data, big.len, on_hit, &h);
	assert_int_equal(h.n, 0);
	buf_addstr(&big, "Out of memory");
	scanner_scan(s, big.data, big.len, on_hit, &h);
	assert_int_equal(h.n, 1);
	assert_int_equal(h.pos[0], big.len - 13);
	scanner_free(s);
	buf_release(&big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_case_and_length),
		cmocka_unit_test(test_every_occurrence_and_edges),
		cmocka_unit_test(test_no_false_hits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
