/* test_buf.c: capped buffers and the tail ring */
#include "unit.h"
#include "text.h"

static void test_cap_refuses_and_keeps(void **state)
{
	struct buf b = BUF_INIT(8);

	(void)state;
	assert_int_equal(buf_addstr(&b, "12345"), 0);
	assert_int_equal(buf_addstr(&b, "6789"), CF_ERR_CAP);
	assert_string_equal(b.data, "12345");
	assert_int_equal(buf_addstr(&b, "678"), 0);
	assert_int_equal(b.len, 8);
	assert_int_equal(buf_addch(&b, 'x'), CF_ERR_CAP);
	buf_release(&b);
	assert_non_null(b.data);
	assert_int_equal(b.len, 0);
}

static void test_addf_and_consume(void **state)
{
	struct buf b = BUF_INIT(0);
	char *p;
	size_t n;

	(void)state;
	assert_int_equal(buf_addf(&b, "%s-%d", "abc", 42), 0);
	assert_string_equal(b.data, "abc-42");
	buf_consume(&b, 4);
	assert_string_equal(b.data, "42");
	p = buf_detach(&b, &n);
	assert_int_equal(n, 2);
	assert_string_equal(p, "42");
	free(p);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
}

static void test_tail_keeps_end_from_line_start(void **state)
{
	struct tailbuf t;
	struct buf out = BUF_INIT(0);
	int i;

	(void)state;
	tailbuf_init(&t, 64);
	for (i = 0; i < 100; i++) {
		char line[32];

		snprintf(line, sizeof(line), "line %03d\n", i);
		tailbuf_add(&t, line, strlen(line));
	}
	assert_true(t.dropped > 0);
	assert_int_equal(tailbuf_to_buf(&t, &out), 0);
	/* 64 bytes hold 7 lines of 9 bytes; the partial first one is dropped */
	assert_memory_equal(out.data, "line 093\n", 9);
	assert_int_equal(out.len % 9, 0);
	assert_memory_equal(out.data + out.len - 9, "line 099\n", 9);
	tailbuf_release(&t);
	buf_release(&out);
}

static void test_tail_big_write(void **state)
{
	struct tailbuf t;
	struct buf out = BUF_INIT(0);
	char big[1000];

	(void)state;
	memset(big, 'a', sizeof(big));
	big[500] = '\n';
	tailbuf_init(&t, 600);
	tailbuf_add(&t, "x\n", 2);
	tailbuf_add(&t, big, sizeof(big));
	assert_int_equal(t.dropped, 2 + 400);
	assert_int_equal(tailbuf_to_buf(&t, &out), 0);
	assert_int_equal(out.len, 499);
	tailbuf_release(&t);
	buf_release(&out);
}

static void test_sizes_and_durations(void **state)
{
	(void)state;
	assert_int_equal(parse_size("16M"), 16 * 1024 * 1024);
	assert_int_equal(parse_size("512K"), 512 * 1024);
	assert_int_equal(parse_size("100"), 100);
	assert_int_equal(parse_size("-1"), -1);
	assert_int_equal(parse_size("12Q"), -1);
	assert_int_equal(parse_duration("90s"), 90);
	assert_int_equal(parse_duration("5m"), 300);
	assert_int_equal(parse_duration("2h"), 7200);
	assert_int_equal(parse_duration("x"), -1);
}

static void test_count_newlines(void **state)
{
	char text[300];
	size_t i, len, naive;

	(void)state;
	for (i = 0; i < sizeof(text); i++)
		text[i] = (char)(i % 7 == 0 ? '\n' : i % 5 == 0 ? 0x8a : 'a' + (char)(i % 20));
	for (len = 0; len <= sizeof(text); len += 13) {
		for (naive = 0, i = 0; i < len; i++)
			naive += text[i] == '\n';
		assert_int_equal(text_count_newlines(text, len), naive);
	}
	assert_int_equal(text_count_newlines("\n\n\n\n\n\n\n\n\n", 9), 9);
	assert_int_equal(text_count_newlines("", 0), 0);
	/* every byte a newline: the most a word's bytes can count, past 64 bytes */
	memset(text, '\n', sizeof(text));
	for (len = 0; len <= sizeof(text); len += 7)
		assert_int_equal(text_count_newlines(text, len), len);
	memset(text, 0xff, sizeof(text));
	assert_int_equal(text_count_newlines(text, sizeof(text)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cap_refuses_and_keeps),
		cmocka_unit_test(test_addf_and_consume),
		cmocka_unit_test(test_tail_keeps_end_from_line_start),
		cmocka_unit_test(test_tail_big_write),
		cmocka_unit_test(test_sizes_and_durations),
		cmocka_unit_test(test_count_newlines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
