/* test_where.c: the where language: parsing, its errors, evaluation on table rows */
#include "unit.h"
#include "catalog.h"
#include "table.h"
#include "where.h"

#define cat unit_cat

static struct table_set *ts;

static void feed(const char *name, const char *path, const char *text)
{
	const struct source *s = catalog_find(&cat, name);

	assert_non_null(s);
	table_set_begin(ts, (size_t)(s - cat.items), path, NULL, 1);
	table_set_lines(ts, (size_t)(s - cat.items), text, strlen(text), 1);
}

static int setup(void **state)
{
	int r = unit_catalog_setup(state);

	if (r)
		return r;
	ts = table_set_new(&cat);
	/* Linux 6.18 /proc/meminfo, /proc/net/sockstat, sysctl -a (procps 4.0.2) */
	feed("meminfo", "proc/meminfo", "MemTotal:       24683784 kB\n"
	     "MemAvailable:     616808 kB\nCommitLimit:    12341892 kB\n"
	     "Committed_AS:   13000000 kB\nHugePages_Total:      16\nHugePages_Free:       16\n");
	feed("sockstat", "proc/net/sockstat", "TCP: inuse 5 orphan 0 tw 0 alloc 7 mem 190000\n");
	feed("sysctl", "commands/sysctl", "net.ipv4.tcp_mem = 94401\t125868\t188802\n"
	     "vm.overcommit_memory = 2\nkernel.hostname = db1\n");
	feed("ip_link_stats", "commands/ip_link_stats",
	     "2: eth0: <BROADCAST,MULTICAST,SLAVE,UP,LOWER_UP> mtu 1500 qdisc mq master bond0 "
	     "state UP\n"
	     "6: bond0: <BROADCAST,MULTICAST,MASTER,UP,LOWER_UP> mtu 9000 qdisc noqueue state UP\n");
	feed("dpkg_list", "installed-debs",
	     "ii  openssh-server 1:9.2p1-2+deb12u2 amd64        secure shell (SSH) server\n"
	     "ii  libc6:amd64    2.36-9+deb12u3    amd64        GNU C Library\n");
	table_set_end(ts);
	return 0;
}

static int teardown(void **state)
{
	table_set_free(ts);
	return unit_catalog_teardown(state);
}

struct row {
	const struct table *t;
	size_t r;
	const struct where_names *names;
	char refs[256];
};

static const char *field(void *ctx, size_t k, size_t *len, enum table_type *type)
{
	struct row *rw = ctx;
	const char *v = table_get(rw->t, rw->r, rw->names->v[k]);

	if (!v)
		return NULL;
	*len = strlen(v);
	*type = table_spec_type(table_spec(rw->t), rw->names->v[k]);
	return v;
}

static void seen(void *ctx, const struct table *t, size_t row, const char *f, const char *ref,
		 const char *text, size_t len)
{
	struct row *rw = ctx;
	size_t n = strlen(rw->refs);

	(void)t;
	(void)row;
	(void)f;
	snprintf(rw->refs + n, sizeof(rw->refs) - n, "%s=%.*s;", ref, (int)len, text);
}

/* The expression on row r of a source's table: 1, 0; fails the test when it does not compile. */
static int eval_on(const char *source, size_t r, const char *text, char *refs)
{
	struct where_names names = { NULL, 0 };
	struct where_expr *x;
	struct buf why = BUF_INIT(0);
	struct row rw = { table_set_find(ts, source), r, &names, "" };
	struct where_row wr = { field, &rw, ts, seen };
	int v;

	assert_non_null(rw.t);
	if (where_compile(text, &cat, &names, &x, &why))
		fail_msg("'%s' does not compile: %s", text, why.data);
	v = where_eval(x, &wr);
	if (refs)
		memcpy(refs, rw.refs, sizeof(rw.refs));
	where_free(x);
	where_names_release(&names);
	buf_release(&why);
	return v;
}

#define HOLDS(src, row, text) assert_int_equal(eval_on(src, row, text, NULL), 1)
#define FAILS(src, row, text) assert_int_equal(eval_on(src, row, text, NULL), 0)

static void test_numbers_and_arithmetic(void **state)
{
	(void)state;
	HOLDS("meminfo", 0, "MemAvailable < MemTotal * 0.05");
	FAILS("meminfo", 0, "MemAvailable > MemTotal * 0.05");
	HOLDS("meminfo", 0, "Committed_AS > CommitLimit");
	HOLDS("meminfo", 0, "HugePages_Free == HugePages_Total && HugePages_Total > 0");
	HOLDS("meminfo", 0, "HugePages_Total - HugePages_Free == 0");
	HOLDS("meminfo", 0, "(MemTotal - MemAvailable) * 100 / MemTotal >= 97");
	HOLDS("meminfo", 0, "-HugePages_Total < 0");
	HOLDS("meminfo", 0, "MemTotal >= 24683784");
	HOLDS("meminfo", 0, "95% < 96");
	/* division by zero, a missing field: every comparison with them is false */
	FAILS("meminfo", 0, "MemTotal / (HugePages_Total - 16) > 0");
	FAILS("meminfo", 0, "NoSuchField > 0");
	FAILS("meminfo", 0, "NoSuchField <= 0");
	FAILS("meminfo", 0, "NoSuchField != 0");
	HOLDS("meminfo", 0, "!(NoSuchField > 0)");
	HOLDS("meminfo", 0, "NoSuchField > 0 || MemTotal > 0");
	FAILS("meminfo", 0, "NoSuchField > 0 && MemTotal > 0");
	/* a bare value is true when it is a number other than 0 or text */
	HOLDS("meminfo", 0, "HugePages_Total");
	FAILS("meminfo", 0, "HugePages_Total - 16");
}

static void test_text_and_patterns(void **state)
{
	(void)state;
	HOLDS("ip_link_stats", 0, "master == 'bond0'");
	HOLDS("ip_link_stats", 0, "master != \"bond1\"");
	HOLDS("ip_link_stats", 0, "flags =~ '(^|,)SLAVE(,|$)'");
	FAILS("ip_link_stats", 1, "flags =~ 'SLAVE'");
	HOLDS("ip_link_stats", 1, "flags !~ 'SLAVE'");
	/* text in quotes compares as text, even when it reads as a number */
	FAILS("ip_link_stats", 0, "mtu == '1500.0'");
	HOLDS("ip_link_stats", 0, "mtu == 1500.0");
	/* a number against text that is none: false both ways */
	FAILS("ip_link_stats", 0, "master == 0");
	FAILS("ip_link_stats", 0, "master != 0");
	HOLDS("ip_link_stats", 0, "interface == 'eth0' && mtu == 1500");
	/* a pattern keeps its backslashes; only the quote is escaped */
	HOLDS("ip_link_stats", 0, "flags =~ '\\bSLAVE\\b' && master =~ '^bond\\d$'");
	HOLDS("ip_link_stats", 0, "'it\\'s' == \"it's\"");
}

static void test_other_tables(void **state)
{
	char refs[256];

	(void)state;
	/* sockstat's TCP pages against the third value of net.ipv4.tcp_mem */
	assert_int_equal(eval_on("sockstat", 0, "TCP_mem >= sysctl.net.ipv4.tcp_mem[3]", refs), 1);
	assert_string_equal(refs, "sysctl.net.ipv4.tcp_mem[3]=188802;");
	FAILS("sockstat", 0, "TCP_mem >= sysctl.net.ipv4.tcp_mem[4]");
	FAILS("sockstat", 0, "TCP_mem >= sysctl.net.ipv4.tcp_mem[0]");
	HOLDS("meminfo", 0, "Committed_AS > CommitLimit && sysctl.vm.overcommit_memory == 2");
	HOLDS("sockstat", 0, "sysctl.kernel.hostname == 'db1'");
	FAILS("sockstat", 0, "sysctl.no.such.key == 'db1'");
	/* a row of another table by its key (key: interface): a slave and its bond */
	assert_int_equal(eval_on("ip_link_stats", 0, "mtu < ip_link_stats[master].mtu", refs), 1);
	assert_string_equal(refs, "ip_link_stats[master].mtu=9000;");
	FAILS("ip_link_stats", 1, "mtu < ip_link_stats[master].mtu");
	HOLDS("ip_link_stats", 1, "ip_link_stats['eth0'].master == interface");
	/* a table without rows, a table without a key */
	FAILS("meminfo", 0, "mdstat.state == 'inactive'");
	FAILS("meminfo", 0, "meminfo['x'].MemTotal > 0");
}

static void test_versions(void **state)
{
	(void)state;
	/* dpkg_list's version is declared a dpkg version: epochs, '~', revisions */
	HOLDS("dpkg_list", 0, "package == 'openssh-server' && version < '1:9.2p1-2+deb12u3'");
	HOLDS("dpkg_list", 0, "version >= '1:8.5p1'");
	FAILS("dpkg_list", 0, "version < '9.2p1-2+deb12u2'");	/* the epoch wins */
	HOLDS("dpkg_list", 0, "version == '1:9.2p1-2+deb12u2'");
	FAILS("dpkg_list", 1, "version < '2.36-9+deb12u3'");
	HOLDS("dpkg_list", 1, "package =~ '^libc6(:|$)' && version >= '2.36-9+deb12u3~'");
	HOLDS("dpkg_list", 1, "version[1] == '2.36-9+deb12u3'");
}

static void test_compile_errors(void **state)
{
	static const char *const bad[] = {
		"", "use >", "use >> 95", "(use > 95", "use > 95)", "'open", "use =~ 95",
		"use =~ '('", "mtu < ip_link_stats[master.mtu", "sysctl.", "use ? 95",
		"((((((((((((((((((((((((((((((((((((1))))))))))))))))))))))))))))))))))))",
	};
	static const char *const why[] = {
		"expected a number", "expected a number", "expected a number, 'text'",
		"expected ')'", "expected an operator", "text without its closing quote",
		"=~ and !~ take a 'pattern'", "does not compile", "expected ']'",
		"expected a field after the table's name", "expected an operator",
		"too deeply nested",
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct where_names names = { NULL, 0 };
		struct where_expr *x = NULL;
		struct buf err = BUF_INIT(0);

		assert_int_equal(where_compile(bad[i], &cat, &names, &x, &err), CF_ERR_PARSE);
		assert_null(x);
		if (!strstr(err.data, why[i]))
			fail_msg("'%s': expected '%s' in: %s", bad[i], why[i], err.data);
		where_names_release(&names);
		buf_release(&err);
	}
}

static void test_names(void **state)
{
	struct where_names names = { NULL, 0 };
	struct where_expr *x;
	struct buf err = BUF_INIT(0);

	(void)state;
	/* bare names, once each; dotted and dashed names; another table is no name */
	assert_int_equal(where_compile("a > 1 && fs.file-nr[1] >= b * a || sysctl.x == 'y'",
				       &cat, &names, &x, &err), 0);
	assert_int_equal(names.n, 3);
	assert_string_equal(names.v[0], "a");
	assert_string_equal(names.v[1], "fs.file-nr");
	assert_string_equal(names.v[2], "b");
	assert_true(where_reads_tables(x));
	where_free(x);
	where_names_release(&names);
	assert_int_equal(where_compile("use >= 95", &cat, &names, &x, &err), 0);
	assert_false(where_reads_tables(x));
	where_free(x);
	where_names_release(&names);
	buf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers_and_arithmetic),
		cmocka_unit_test(test_text_and_patterns),
		cmocka_unit_test(test_other_tables),
		cmocka_unit_test(test_versions),
		cmocka_unit_test(test_compile_errors),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
