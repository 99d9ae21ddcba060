/*
 * table_version.c: package versions compared as dpkg and rpm compare them
 * (see table.h), written from their documentation:
 *
 * dpkg: Debian Policy 5.6.12 "Version": [epoch:]upstream_version[-debian_revision];
 * the epoch compares as a number, then the upstream version and the revision
 * (after the last '-') by the same algorithm: alternately the longest
 * non-digit prefix (compared character by character, letters before
 * non-letters, '~' before everything, even the end) and the longest digit
 * prefix (compared numerically).
 * https://www.debian.org/doc/debian-policy/ch-controlfields.html#version
 *
 * rpm: rpm.org "Dependencies: Versioning" and Fedora's packaging guidelines
 * (versioning: "~" sorts before and "^" after the end): [epoch:]version-release,
 * epoch first (none is 0), then version, then release, each split into
 * alphabetic and numeric segments at any other character; numeric segments
 * compare numerically and are newer than alphabetic ones; when one string
 * runs out, the one with characters left is newer.
 * https://rpm-software-management.github.io/rpm/manual/dependencies.html
 * https://docs.fedoraproject.org/en-US/packaging-guidelines/Versioning/
 */
#include <ctype.h>
#include <string.h>
#include "casefile.h"
#include "table.h"

struct span {
	const char *s;
	size_t n;
};

/* epoch (digits before ':', 0 when none), the rest; -1 for a bad epoch */
static long long split_epoch(struct span *v)
{
	const char *colon = memchr(v->s, ':', v->n);
	long long e = 0;
	size_t i;

	if (!colon)
		return 0;
	for (i = 0; v->s + i < colon; i++) {
		if (!isdigit((unsigned char)v->s[i]) || e > 100000000)
			return -1;
		e = e * 10 + (v->s[i] - '0');
	}
	v->n -= (size_t)(colon + 1 - v->s);
	v->s = colon + 1;
	return e;
}

/* ---- dpkg --------------------------------------------------------------------- */

/* The weight of a character in a non-digit part: '~' first, end, letters, the rest. */
static int dpkg_order(const struct span *v, size_t i)
{
	unsigned char c;

	if (i >= v->n)
		return 0;
	c = (unsigned char)v->s[i];
	if (isdigit(c))
		return 0;
	if (isalpha(c))
		return c;
	if (c == '~')
		return -1;
	return c + 256;
}

static int dpkg_part(struct span a, struct span b)
{
	size_t i = 0, k = 0;

	while (i < a.n || k < b.n) {
		int diff = 0;

		while ((i < a.n && !isdigit((unsigned char)a.s[i])) ||
		       (k < b.n && !isdigit((unsigned char)b.s[k]))) {
			int oa = dpkg_order(&a, i), ob = dpkg_order(&b, k);

			if (oa != ob)
				return oa - ob;
			i++;
			k++;
		}
		while (i < a.n && a.s[i] == '0')
			i++;
		while (k < b.n && b.s[k] == '0')
			k++;
		while (i < a.n && k < b.n && isdigit((unsigned char)a.s[i]) &&
		       isdigit((unsigned char)b.s[k])) {
			if (!diff)
				diff = a.s[i] - b.s[k];
			i++;
			k++;
		}
		if (i < a.n && isdigit((unsigned char)a.s[i]))
			return 1;
		if (k < b.n && isdigit((unsigned char)b.s[k]))
			return -1;
		if (diff)
			return diff;
	}
	return 0;
}

/* upstream version and revision: the revision follows the last '-' */
static void dpkg_split(struct span v, struct span *up, struct span *rev)
{
	size_t i = v.n;

	while (i && v.s[i - 1] != '-')
		i--;
	if (!i) {
		*up = v;
		rev->s = v.s + v.n;
		rev->n = 0;
		return;
	}
	up->s = v.s;
	up->n = i - 1;
	rev->s = v.s + i;
	rev->n = v.n - i;
}

static void trim_span(struct span *v)
{
	while (v->n && isspace((unsigned char)*v->s))
		v->s++, v->n--;
	while (v->n && isspace((unsigned char)v->s[v->n - 1]))
		v->n--;
}

/*
 * [epoch:]version[-release] against another, each part by part(): the
 * epochs as numbers, then the versions, then the releases (any_release: a
 * side without one matches any, as rpm has it). -1, 0 or 1.
 */
static int evr_cmp(const char *as, size_t an, const char *bs, size_t bn,
		   int (*part)(struct span, struct span), int any_release)
{
	struct span a = { as, an }, b = { bs, bn }, av, ar, bv, br;
	long long ea, eb;
	int c;

	trim_span(&a);
	trim_span(&b);
	ea = split_epoch(&a);
	eb = split_epoch(&b);
	if (ea != eb)
		return ea < eb ? -1 : 1;
	dpkg_split(a, &av, &ar);
	dpkg_split(b, &bv, &br);
	c = part(av, bv);
	if (!c && !(any_release && (!ar.n || !br.n)))
		c = part(ar, br);
	return c < 0 ? -1 : c > 0;
}

int version_cmp_dpkg(const char *as, size_t an, const char *bs, size_t bn)
{
	return evr_cmp(as, an, bs, bn, dpkg_part, 0);
}

/* ---- rpm -------------------------------------------------------------------------- */

static int rpm_sep(char c)
{
	return !isalnum((unsigned char)c) && c != '~' && c != '^';
}

static int rpm_part(struct span a, struct span b)
{
	size_t i = 0, k = 0;

	if (a.n == b.n && !memcmp(a.s, b.s, a.n))
		return 0;
	for (;;) {
		size_t si, sk, li, lk;
		int num, c;

		while (i < a.n && rpm_sep(a.s[i]))
			i++;
		while (k < b.n && rpm_sep(b.s[k]))
			k++;
		/* '~' sorts before everything, the end included */
		if ((i < a.n && a.s[i] == '~') || (k < b.n && b.s[k] == '~')) {
			if (i >= a.n || a.s[i] != '~')
				return 1;
			if (k >= b.n || b.s[k] != '~')
				return -1;
			i++;
			k++;
			continue;
		}
		/* '^' sorts after the end, before anything else */
		if ((i < a.n && a.s[i] == '^') || (k < b.n && b.s[k] == '^')) {
			if (i >= a.n)
				return -1;
			if (k >= b.n)
				return 1;
			if (a.s[i] != '^')
				return 1;
			if (b.s[k] != '^')
				return -1;
			i++;
			k++;
			continue;
		}
		if (i >= a.n || k >= b.n)
			break;
		si = i;
		sk = k;
		num = isdigit((unsigned char)a.s[i]);
		while (i < a.n && (num ? isdigit((unsigned char)a.s[i]) : isalpha((unsigned char)a.s[i])))
			i++;
		while (k < b.n && (num ? isdigit((unsigned char)b.s[k]) : isalpha((unsigned char)b.s[k])))
			k++;
		if (k == sk)
			return num ? 1 : -1;	/* a number is newer than letters */
		if (num) {
			while (si < i && a.s[si] == '0')
				si++;
			while (sk < k && b.s[sk] == '0')
				sk++;
			if (i - si != k - sk)
				return i - si > k - sk ? 1 : -1;
		}
		li = i - si;
		lk = k - sk;
		c = memcmp(a.s + si, b.s + sk, li < lk ? li : lk);
		if (c)
			return c < 0 ? -1 : 1;
		if (li != lk)
			return li > lk ? 1 : -1;
	}
	if (i >= a.n && k >= b.n)
		return 0;
	return i >= a.n ? -1 : 1;
}

int version_cmp_rpm(const char *as, size_t an, const char *bs, size_t bn)
{
	return evr_cmp(as, an, bs, bn, rpm_part, 1);
}
