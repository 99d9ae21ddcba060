/* test_text.c: UTF-8 and terminal safety of bytes from bundles and hosts */
#include "unit.h"
#include "text.h"

static void test_utf8_decode(void **state)
{
	uint32_t cp = 0;

	(void)state;
	assert_int_equal(text_utf8_decode("A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(text_utf8_decode("\xc3\xa9", 2, &cp), 2);
	assert_int_equal(cp, 0xe9);
	assert_int_equal(text_utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1f600);
	/* overlong forms of '/' and of NUL */
	assert_int_equal(text_utf8_decode("\xc0\xaf", 2, &cp), 0);
	assert_int_equal(text_utf8_decode("\xe0\x80\xaf", 3, &cp), 0);
	assert_int_equal(text_utf8_decode("\xc0\x80", 2, &cp), 0);
	/* a lone surrogate, past U+10FFFF, cut short, a stray continuation byte */
	assert_int_equal(text_utf8_decode("\xed\xa0\x80", 3, &cp), 0);
	assert_int_equal(text_utf8_decode("\xf4\x90\x80\x80", 4, &cp), 0);
	assert_int_equal(text_utf8_decode("\xe2\x82", 2, &cp), 0);
	assert_int_equal(text_utf8_decode("\x80", 1, &cp), 0);
}

static void test_utf8_clean(void **state)
{
	char *s;

	(void)state;
	s = text_utf8("ok \xc0\xaf x\x01y\tz \xc2\x85 caf\xc3\xa9", 20);
	assert_string_equal(s, "ok \xef\xbf\xbd\xef\xbf\xbd x?y\tz \xef\xbf\xbd caf\xc3\xa9");
	free(s);
}

static void test_terminal(void **state)
{
	struct buf b = BUF_INIT(0);
	const char evil[] = "a\033]52;c;ZXZpbA==\007b\033[2Jc\xc2\x9b" "31md\ne\tf\x7f";

	(void)state;
	text_term_add(&b, evil, strlen(evil));
	assert_string_equal(b.data, "a\\x1b]52;c;ZXZpbA==\\x07b\\x1b[2Jc\\x9b31md\\ne f\\x7f");
	buf_release(&b);
}

/* Unicode's Bidi_Control code points are shown as \uNNNN; their neighbours are kept */
static void test_terminal_bidi(void **state)
{
	struct buf b = BUF_INIT(0);
	/* RLO, LRI, PDI, RLM, LRM, ALM, LRE; then U+2065 and U+202F, which are no controls */
	const char s[] = "x\xe2\x80\xaey\xe2\x81\xa6z\xe2\x81\xa9\xe2\x80\x8f\xe2\x80\x8e"
			 "\xd8\x9c\xe2\x80\xaa \xe2\x81\xa5\xe2\x80\xaf";

	(void)state;
	text_term_add(&b, s, strlen(s));
	assert_string_equal(b.data, "x\\u202ey\\u2066z\\u2069\\u200f\\u200e\\u061c\\u202a "
			    "\xe2\x81\xa5\xe2\x80\xaf");
	buf_release(&b);
}

/* Only invalid UTF-8 is replaced: controls and JSON syntax stay for their parser */
static void test_utf8_repair(void **state)
{
	struct buf b = BUF_INIT(0);

	(void)state;
	assert_int_equal(text_utf8_repair(&b, "{\"a\": \"caf\xe9\t\xc3\xa9\xed\xa0\x80\"}\n", 20), 4);
	assert_string_equal(b.data, "{\"a\": \"caf\xef\xbf\xbd\t\xc3\xa9\xef\xbf\xbd\xef\xbf\xbd"
			    "\xef\xbf\xbd\"}\n");
	buf_release(&b);
}

static void test_count_newlines(void **state)
{
	const char s[] = "a\nbb\n\n\nccc\n1234567\n12345678\nx";

	(void)state;
	assert_int_equal(text_count_newlines(s, strlen(s)), 7);
	assert_int_equal(text_count_newlines(s, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_decode),
		cmocka_unit_test(test_utf8_clean),
		cmocka_unit_test(test_terminal),
		cmocka_unit_test(test_terminal_bidi),
		cmocka_unit_test(test_utf8_repair),
		cmocka_unit_test(test_count_newlines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
