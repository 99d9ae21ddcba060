/* test_planted.c: the planted-link rule, hop by hop (collect/planted.c) */
#include <sys/stat.h>
#include "unit.h"
#include "transport.h"

#define U 1001u
#define V 1002u

/* Judge a way: links as {link uid, folder uid, folder mode}, then the file. */
struct hop {
	unsigned link_uid, dir_uid, dir_mode;
};

static enum item_status way(const struct hop *h, size_t n, unsigned uid, unsigned nlink,
			    unsigned dir_uid, unsigned dir_mode)
{
	struct planted p = { 0 };
	struct buf why = BUF_INIT(0);
	enum item_status st = ITEM_OK;
	size_t i;

	for (i = 0; i < n && st == ITEM_OK; i++)
		st = planted_link(&p, "l", h[i].link_uid, h[i].dir_uid, h[i].dir_mode, &why);
	if (st == ITEM_OK)
		st = planted_file(&p, "/f", uid, nlink, dir_uid, dir_mode, &why);
	/* a refusal always says why */
	assert_true(st == ITEM_OK ? why.len == 0 : why.len > 0);
	buf_release(&why);
	return st;
}

static void test_root_ways(void **state)
{
	const struct hop root[] = { { 0, 0, 0755 }, { 0, 0, 0755 } };

	(void)state;
	assert_int_equal(way(NULL, 0, 0, 1, 0, 0755), ITEM_OK);
	/* root's links in root's folders lead anywhere */
	assert_int_equal(way(root, 2, 0, 1, 0, 0755), ITEM_OK);
	assert_int_equal(way(root, 2, U, 1, U, 0755), ITEM_OK);
}

static void test_a_users_link(void **state)
{
	const struct hop own[] = { { U, U, 0755 } };
	const struct hop chain[] = { { 0, 0, 0755 }, { U, U, 0755 } };
	const struct hop rootlink_userdir[] = { { 0, U, 0755 } };
	const struct hop two[] = { { U, U, 0755 }, { V, V, 0755 } };
	const struct hop back[] = { { U, U, 0755 }, { 0, 0, 0755 } };

	(void)state;
	assert_int_equal(way(own, 1, U, 1, U, 0755), ITEM_OK);
	assert_int_equal(way(own, 1, 0, 1, 0, 0700), ITEM_REFUSED);
	/* the second hop of root's link is the user's: /etc/shadow is refused */
	assert_int_equal(way(chain, 2, 0, 1, 0, 0755), ITEM_REFUSED);
	assert_int_equal(way(chain, 2, U, 1, U, 0755), ITEM_OK);
	/* the owner of the folder a link sits in could have put it there */
	assert_int_equal(way(rootlink_userdir, 1, 0, 1, 0, 0755), ITEM_REFUSED);
	assert_int_equal(way(two, 2, U, 1, U, 0755), ITEM_REFUSED);
	assert_int_equal(way(two, 2, V, 1, V, 0755), ITEM_REFUSED);
	/* root's link after the user's does not undo it */
	assert_int_equal(way(back, 2, 0, 1, 0, 0755), ITEM_REFUSED);
}

static void test_folders_anyone_writes(void **state)
{
	const struct hop sticky[] = { { 0, 0, 01777 } };
	const struct hop group[] = { { 0, 0, 0775 } };

	(void)state;
	assert_int_equal(way(sticky, 1, 0, 1, 0, 0755), ITEM_REFUSED);
	assert_int_equal(way(group, 1, 0, 1, 0, 0755), ITEM_OK);
}

static void test_hard_links(void **state)
{
	(void)state;
	assert_int_equal(way(NULL, 0, U, 2, U, 0755), ITEM_OK);
	assert_int_equal(way(NULL, 0, 0, 2, U, 0755), ITEM_REFUSED);
	assert_int_equal(way(NULL, 0, 0, 2, 0, 0775), ITEM_REFUSED);
	assert_int_equal(way(NULL, 0, 0, 2, 0, 01777), ITEM_REFUSED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_root_ways),
		cmocka_unit_test(test_a_users_link),
		cmocka_unit_test(test_folders_anyone_writes),
		cmocka_unit_test(test_hard_links),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
