/* test_version.c: dpkg and rpm version ordering against known orderings */
#include "unit.h"
#include "table.h"

struct order {
	const char *a, *b;
	int cmp;
};

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static void check(int (*cmp)(const char *, size_t, const char *, size_t),
		  const struct order *o, size_t n, const char *what)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int r = sign(cmp(o[i].a, strlen(o[i].a), o[i].b, strlen(o[i].b)));
		int back = sign(cmp(o[i].b, strlen(o[i].b), o[i].a, strlen(o[i].a)));

		if (r != o[i].cmp || back != -o[i].cmp)
			fail_msg("%s: '%s' vs '%s': %d and %d, expected %d", what, o[i].a, o[i].b, r,
				 back, o[i].cmp);
	}
}

/*
 * Orderings from Debian Policy 5.6.12 and its examples, and from real
 * archive versions (dpkg --compare-versions gives the same).
 */
static void test_dpkg(void **state)
{
	static const struct order o[] = {
		{ "1.0", "1.0", 0 },
		{ "1.0-0", "1.0", 0 },		/* an absent revision is "0" */
		{ "0:1.0", "1.0", 0 },		/* an absent epoch is 0 */
		{ "1.0~rc1", "1.0", -1 },	/* '~' sorts before the end */
		{ "1.0~~", "1.0~~a", -1 },
		{ "1.0~~a", "1.0~", -1 },
		{ "1.0~", "1.0", -1 },
		{ "1.0", "1.0a", -1 },		/* the end before a letter */
		{ "1.0a", "1.0+", -1 },		/* letters before other characters */
		{ "1.0", "1.0+b1", -1 },
		{ "1.2.3", "1.10", -1 },	/* digits compare as numbers */
		{ "1.010", "1.10", 0 },
		{ "2:1.0", "10.0", 1 },		/* the epoch first */
		{ "1:9.2p1-2+deb12u3", "1:9.2p1-2+deb12u2", 1 },
		{ "1:9.2p1-2", "1:9.2p1-2+deb12u3", -1 },
		{ "1:8.9p1-3ubuntu0.10", "1:8.9p1-3ubuntu0.6", 1 },
		{ "1:9.2p1-2+deb12u3", "9.9p1-1", 1 },
		{ "5.6.1+really5.4.5-1", "5.6.1-1", 1 },	/* the xz revert */
		{ "5.6.1+really5.4.5-1", "5.6.2-1", -1 },
		{ "5.6.0-0.2", "5.6.1+really5.4.5-1", -1 },
		{ "2.36-9+deb12u3", "2.36-9+deb12u10", -1 },
		{ "2.36-9+deb12u3", "2.36-9", 1 },
		{ "3.0.11-1~deb12u2", "3.0.11-1", -1 },	/* a backport below its source */
		{ "1.2-3-4", "1.2-3-5", -1 },	/* the revision follows the last '-' */
		{ "a", "b", -1 },
	};

	(void)state;
	check(version_cmp_dpkg, o, ARRAY_SIZE(o), "dpkg");
}

/*
 * Orderings from rpm's rpmvercmp tests (tests/rpmvercmp.at) as the rpm
 * documentation describes them, and from real RHEL and Fedora versions.
 */
static void test_rpm(void **state)
{
	static const struct order o[] = {
		{ "1.0", "1.0", 0 },
		{ "1.0", "2.0", -1 },
		{ "2.0.1", "2.0", 1 },		/* what is left is newer */
		{ "2.0.1a", "2.0.1", 1 },
		{ "5.5p1", "5.5p2", -1 },
		{ "5.5p10", "5.5p1", 1 },
		{ "10xyz", "10.1xyz", -1 },
		{ "xyz10", "xyz10.1", -1 },
		{ "1.0a", "1.0.1", -1 },	/* a number is newer than letters */
		{ "10.0001", "10.1", 0 },	/* leading zeros */
		{ "1.0010", "1.9", 1 },
		{ "2.0", "2_0", 0 },		/* separators are separators */
		{ "a+", "a_", 0 },
		{ "+", "_", 0 },
		{ "1.0~rc1", "1.0", -1 },	/* '~' before the end */
		{ "1.0~rc1", "1.0~rc2", -1 },
		{ "1.0~rc1~git123", "1.0~rc1", -1 },
		{ "1.0^", "1.0", 1 },		/* '^' after the end */
		{ "1.0^git1", "1.0.1", -1 },	/* ... and before anything else */
		{ "1.0^git1", "1.0^git2", -1 },
		{ "1.0^git1~pre", "1.0^git1", -1 },
		{ "1:1.0", "2.0", 1 },
		{ "8.7p1-38.el9_4.1", "8.7p1-38.el9", 1 },
		{ "8.7p1-34.el9", "8.7p1-38.el9_4.1", -1 },
		{ "2.28-225.el8", "2.28-225.el8_8.6", -1 },
		{ "2.28-236.el8", "2.28-225.el8_8.6", 1 },
		{ "2.34-60.el9_2.7", "2.34-100.el9", -1 },
		{ "4.18.0-305.el8", "4.18.0-305.7.1.el8_4", -1 },
		{ "5.6.0-1.fc40", "5.6.1-1.fc40", -1 },
		{ "1.2", "1.2-3", 0 },		/* a version without release matches any */
	};

	(void)state;
	check(version_cmp_rpm, o, ARRAY_SIZE(o), "rpm");
}

static void test_hostile_versions(void **state)
{
	static const char *const odd[] = {
		"", ":", "::", "-", "--", "~", "^", "99999999999999999999:1", "1:", ":1",
		"1.0\xff\xfe", "\x01", "~~~~~~~~~~~~", "^^^^", "1-", "-1",
	};
	size_t i, k;

	(void)state;
	/* any pair compares, both ways, without a crash, antisymmetric */
	for (i = 0; i < ARRAY_SIZE(odd); i++)
		for (k = 0; k < ARRAY_SIZE(odd); k++) {
			int d1 = sign(version_cmp_dpkg(odd[i], strlen(odd[i]), odd[k], strlen(odd[k])));
			int d2 = sign(version_cmp_dpkg(odd[k], strlen(odd[k]), odd[i], strlen(odd[i])));
			int r1 = sign(version_cmp_rpm(odd[i], strlen(odd[i]), odd[k], strlen(odd[k])));
			int r2 = sign(version_cmp_rpm(odd[k], strlen(odd[k]), odd[i], strlen(odd[i])));

			assert_int_equal(d1, -d2);
			assert_int_equal(r1, -r2);
		}
	/* lengths are honoured: no read past n */
	assert_int_equal(version_cmp_dpkg("1.0xxx", 3, "1.0", 3), 0);
	assert_int_equal(version_cmp_rpm("1.0xxx", 3, "1.0", 3), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dpkg),
		cmocka_unit_test(test_rpm),
		cmocka_unit_test(test_hostile_versions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
