/* test_yamlutil.c: the YAML document layer: located messages, lists, keys, hostile documents */
#include "unit.h"
#include "yamlutil.h"

/* Load text as "t.yaml"; the result of ydoc_load, the messages in err. */
static int load(struct ydoc *d, const char *text, struct buf *err)
{
	return ydoc_load(d, "t.yaml", text, strlen(text), err);
}

static void test_syntax_error_is_located(void **state)
{
	struct ydoc d;
	struct buf err = BUF_INIT(0);

	(void)state;
	assert_int_equal(load(&d, "a: 1\nb: [2, 3\nc: 4\n", &err), CF_ERR_PARSE);
	/* the line and column of the problem, 1-based, and the context's line */
	assert_non_null(strstr(err.data, "t.yaml:3:"));
	assert_non_null(strstr(err.data, "at line 2"));
	assert_int_equal(err.data[err.len - 1], '\n');
	ydoc_release(&d);
	ydoc_release(&d);	/* twice is harmless */
	buf_release(&err);
}

static void test_empty_document(void **state)
{
	struct ydoc d;
	struct buf err = BUF_INIT(0);

	(void)state;
	assert_int_equal(load(&d, "", &err), CF_ERR_PARSE);
	assert_string_equal(err.data, "t.yaml:1:1: the file is empty\n");
	ydoc_release(&d);
	buf_reset(&err);
	assert_int_equal(load(&d, "# only a comment\n", &err), CF_ERR_PARSE);
	assert_non_null(strstr(err.data, "the file is empty"));
	assert_null(ydoc_root(&d));	/* loaded, with no root */
	ydoc_release(&d);
	assert_null(ydoc_root(&d));	/* nothing after release */
	buf_release(&err);
}

static void test_get_and_scalar(void **state)
{
	struct ydoc d;
	struct buf err = BUF_INIT(0);
	yaml_node_t *root, *list;

	(void)state;
	assert_int_equal(load(&d, "a: one\nb: [x, y]\n? [k]\n: v\na: two\n", &err), 0);
	root = ydoc_root(&d);
	/* the first of two equal keys; a key that is no scalar is never found */
	assert_string_equal(ydoc_scalar(ydoc_get(&d, root, "a")), "one");
	assert_null(ydoc_get(&d, root, "k"));
	assert_null(ydoc_get(&d, root, "missing"));
	list = ydoc_get(&d, root, "b");
	assert_non_null(list);
	assert_null(ydoc_scalar(list));	/* a sequence has no scalar text */
	assert_null(ydoc_get(&d, list, "x"));	/* nor keys */
	assert_null(ydoc_get(&d, NULL, "a"));
	assert_null(ydoc_scalar(NULL));
	ydoc_release(&d);
	buf_release(&err);
}

static void test_error_location(void **state)
{
	struct ydoc d;
	struct buf err = BUF_INIT(0);
	yaml_node_t *n;

	(void)state;
	assert_int_equal(load(&d, "top:\n  inner:   value\n", &err), 0);
	n = ydoc_get(&d, ydoc_get(&d, ydoc_root(&d), "top"), "inner");
	assert_int_equal(ydoc_error(&d, n, &err, "bad %s", "value"), CF_ERR_PARSE);
	assert_string_equal(err.data, "t.yaml:2:12: bad value\n");
	buf_reset(&err);
	assert_int_equal(ydoc_error(&d, NULL, &err, "no node"), CF_ERR_PARSE);
	assert_string_equal(err.data, "t.yaml:1:1: no node\n");
	ydoc_release(&d);
	buf_release(&err);
}

static void test_strv_shapes(void **state)
{
	struct ydoc d;
	struct buf err = BUF_INIT(0);
	yaml_node_t *root;
	char **v = (char **)1;

	(void)state;
	assert_int_equal(load(&d, "one: x\nmany: [a, 'b c', 3]\nnone: []\nmap: {k: v}\n"
			      "mixed: [a, [b], c]\n", &err), 0);
	root = ydoc_root(&d);
	assert_int_equal(ydoc_strv(&d, NULL, "absent", &v, &err), 0);
	assert_null(v);
	assert_int_equal(ydoc_strv(&d, ydoc_get(&d, root, "one"), "one", &v, &err), 1);
	assert_string_equal(v[0], "x");
	assert_null(v[1]);
	strv_free(v);
	assert_int_equal(ydoc_strv(&d, ydoc_get(&d, root, "many"), "many", &v, &err), 3);
	assert_string_equal(v[1], "b c");
	assert_string_equal(v[2], "3");	/* a number is its text */
	assert_null(v[3]);
	strv_free(v);
	/* an empty list is a list, not an absent key */
	assert_int_equal(ydoc_strv(&d, ydoc_get(&d, root, "none"), "none", &v, &err), 0);
	assert_non_null(v);
	assert_null(v[0]);
	strv_free(v);
	assert_string_equal(err.data, "");
	assert_int_equal(ydoc_strv(&d, ydoc_get(&d, root, "map"), "map", &v, &err),
			 CF_ERR_PARSE);
	assert_null(v);
	assert_non_null(strstr(err.data, "t.yaml:4:6: 'map' must be a string or a list"));
	buf_reset(&err);
	/* a list within the list: refused where it stands, nothing half-made kept */
	assert_int_equal(ydoc_strv(&d, ydoc_get(&d, root, "mixed"), "mixed", &v, &err),
			 CF_ERR_PARSE);
	assert_null(v);
	assert_string_equal(err.data, "t.yaml:5:12: each entry of 'mixed' must be a string\n");
	ydoc_release(&d);
	buf_release(&err);
}

static void test_list_refuses_a_scalar(void **state)
{
	struct ydoc d;
	struct buf err = BUF_INIT(0);
	char **v = NULL;

	(void)state;
	assert_int_equal(load(&d, "sources: syslog\nlist: [a]\n", &err), 0);
	assert_int_equal(ydoc_list(&d, ydoc_get(&d, ydoc_root(&d), "sources"), "sources", &v,
				   &err), CF_ERR_PARSE);
	assert_null(v);
	/* the message shows the list it should be */
	assert_string_equal(err.data, "t.yaml:1:10: 'sources' must be a list: sources: [syslog]\n");
	assert_int_equal(ydoc_list(&d, ydoc_get(&d, ydoc_root(&d), "list"), "list", &v, &err), 1);
	strv_free(v);
	ydoc_release(&d);
	buf_release(&err);
}

static void test_check_keys(void **state)
{
	static const char *const keys[] = { "name", "command", "files", NULL };
	struct ydoc d;
	struct buf err = BUF_INIT(0);

	(void)state;
	assert_int_equal(load(&d, "name: x\ncomand: [a]\nzzzzzzzz: 1\n? [odd]\n: 2\n", &err), 0);
	assert_int_equal(ydoc_check_keys(&d, ydoc_root(&d), keys, "a source", &err),
			 CF_ERR_PARSE);
	/* every unknown key, each on its own line, the near one with its suggestion */
	assert_non_null(strstr(err.data, "t.yaml:2:1: unknown key 'comand' in a source; "
			       "did you mean 'command'?\n"));
	assert_non_null(strstr(err.data, "t.yaml:3:1: unknown key 'zzzzzzzz' in a source\n"));
	assert_non_null(strstr(err.data, "t.yaml:4:3: unknown key '?' in a source\n"));
	buf_reset(&err);
	ydoc_release(&d);
	assert_int_equal(load(&d, "name: x\nfiles: /a\n", &err), 0);
	assert_int_equal(ydoc_check_keys(&d, ydoc_root(&d), keys, "a source", &err), 0);
	assert_string_equal(err.data, "");
	ydoc_release(&d);
	buf_release(&err);
}

/* Aliases are references: a "billion laughs" document stays a few nodes. */
static void test_alias_bomb_stays_small(void **state)
{
	struct ydoc d;
	struct buf doc = BUF_INIT(0), err = BUF_INIT(0);
	char **v = NULL;
	int i;

	(void)state;
	buf_addstr(&doc, "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
	for (i = 1; i < 30; i++) {
		int k;

		buf_addf(&doc, "a%d: &a%d [", i, i);
		for (k = 0; k < 10; k++)
			buf_addf(&doc, "%s*a%d", k ? ", " : "", i - 1);
		buf_addstr(&doc, "]\n");
	}
	assert_int_equal(ydoc_load(&d, "bomb.yaml", doc.data, doc.len, &err), 0);
	assert_true(d.doc.nodes.top - d.doc.nodes.start < 200);
	/* a list of lists is no list of strings: refused, not expanded */
	assert_int_equal(ydoc_strv(&d, ydoc_get(&d, ydoc_root(&d), "a29"), "a29", &v, &err),
			 CF_ERR_PARSE);
	assert_null(v);
	ydoc_release(&d);
	buf_release(&doc);
	buf_release(&err);
}

static void test_hostile_bytes(void **state)
{
	static const char nul[] = "a: b\0c\n";
	struct ydoc d;
	struct buf err = BUF_INIT(0), deep = BUF_INIT(0);
	char **v = NULL;
	int i;

	(void)state;
	/* a NUL within the length, invalid UTF-8, a control character: refused, located */
	assert_int_equal(ydoc_load(&d, "nul.yaml", nul, sizeof(nul) - 1, &err), CF_ERR_PARSE);
	assert_non_null(strstr(err.data, "nul.yaml:1:"));
	ydoc_release(&d);
	buf_reset(&err);
	assert_int_equal(load(&d, "a: \xff\xfe\n", &err), CF_ERR_PARSE);
	assert_non_null(strstr(err.data, "t.yaml:1:"));
	ydoc_release(&d);
	buf_reset(&err);
	assert_int_equal(load(&d, "a: b\x07\n", &err), CF_ERR_PARSE);
	ydoc_release(&d);
	buf_reset(&err);
	/* ten thousand nested lists: loaded without a deep recursion, then refused */
	for (i = 0; i < 10000; i++)
		buf_addch(&deep, '[');
	for (i = 0; i < 10000; i++)
		buf_addch(&deep, ']');
	assert_int_equal(ydoc_load(&d, "deep.yaml", deep.data, deep.len, &err), 0);
	assert_int_equal(ydoc_strv(&d, ydoc_root(&d), "deep", &v, &err), CF_ERR_PARSE);
	assert_null(v);
	ydoc_release(&d);
	buf_release(&deep);
	buf_reset(&err);
	/* the length is honoured: what follows it is never read */
	assert_int_equal(ydoc_load(&d, "len.yaml", "a: b\n: : :", 5, &err), 0);
	assert_string_equal(ydoc_scalar(ydoc_get(&d, ydoc_root(&d), "a")), "b");
	ydoc_release(&d);
	buf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_syntax_error_is_located),
		cmocka_unit_test(test_empty_document),
		cmocka_unit_test(test_get_and_scalar),
		cmocka_unit_test(test_error_location),
		cmocka_unit_test(test_strv_shapes),
		cmocka_unit_test(test_list_refuses_a_scalar),
		cmocka_unit_test(test_check_keys),
		cmocka_unit_test(test_alias_bomb_stays_small),
		cmocka_unit_test(test_hostile_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
