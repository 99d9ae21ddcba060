/* test_fleet.c: the fleet summary model: hosts, shared root causes, labels, names */
#include "unit.h"
#include "bundle_info.h"
#include "engine.h"
#include "fleet.h"
#include "rules.h"

/* A report of findings of the rules given: root ones first, nroot of them. */
struct fake {
	struct bundle_info bi;
	struct rule rules[4];
	struct finding f[4];
	struct report r;
};

static void fake_report(struct fake *k, const char *path, const char *host, const char *ids,
			size_t nroot)
{
	char *list = xstrdup(ids), *id, *save = NULL;
	size_t n = 0;

	memset(k, 0, sizeof(*k));
	k->bi.path = (char *)path;
	k->bi.hostname = (char *)host;
	for (id = strtok_r(list, " ", &save); id && n < 4; id = strtok_r(NULL, " ", &save), n++) {
		k->rules[n].id = xstrdup(id);
		k->rules[n].title = xstrdup(id);
		k->f[n].rule = &k->rules[n];
		k->f[n].root = n < nroot;
		/* "crit-..." rules are critical, the rest medium */
		k->f[n].severity = strncmp(id, "crit", 4) ? SEV_MEDIUM : SEV_CRITICAL;
	}
	free(list);
	k->r.bi = &k->bi;
	k->r.f = k->f;
	k->r.n = n;
}

static void fake_release(struct fake *k)
{
	size_t i;

	for (i = 0; i < k->r.n; i++) {
		free(k->rules[i].id);
		free(k->rules[i].title);
	}
}

/* A fleet of hosts, each "path|hostname|ids|roots" ("" hostname: none). */
static void fleet_of(struct fleet *fl, const char *const *spec, size_t n)
{
	size_t i;

	fleet_init(fl, NULL, 0);
	for (i = 0; i < n; i++) {
		char path[64], host[64], ids[64];
		unsigned roots;
		struct fake k;

		assert_int_equal(sscanf(spec[i], "%63[^|]|%63[^|]|%63[^|]|%u", path, host, ids,
					&roots), 4);
		fake_report(&k, path, strcmp(host, "-") ? host : NULL, ids, roots);
		fleet_host_summary(fleet_push(fl), &k.r);
		fake_release(&k);
	}
	fleet_summarize(fl);
}

static void test_init_cleans_paths(void **state)
{
	char *paths[] = { "ok/db1.tar.gz", "bad/\xff\xfe.tar.gz", "ctl/a\x1b[2Jb" };
	struct fleet fl;

	(void)state;
	fleet_init(&fl, paths, 3);
	assert_int_equal(fl.n, 3);
	assert_string_equal(fl.hosts[0].path, "ok/db1.tar.gz");
	/* invalid UTF-8 and control characters never reach a writer */
	assert_null(strchr(fl.hosts[1].path, '\xff'));
	assert_non_null(strstr(fl.hosts[1].path, ".tar.gz"));
	assert_null(strchr(fl.hosts[2].path, '\x1b'));
	assert_int_equal(fl.hosts[2].severity, -1);
	fleet_summarize(&fl);
	assert_int_equal(fl.nrows, 0);
	fleet_release(&fl);
	/* an empty fleet is a fleet */
	fleet_init(&fl, NULL, 0);
	assert_non_null(fl.hosts);
	fleet_summarize(&fl);
	assert_int_equal(fl.n + fl.nrows, 0);
	fleet_release(&fl);
}

static void test_host_summary(void **state)
{
	struct fleet fl;
	struct fake k;
	struct fleet_host *h;

	(void)state;
	fleet_init(&fl, NULL, 0);
	fake_report(&k, "in/x.tar.gz", "db\xff" "1", "crit-oom low-a low-b", 2);
	k.r.read_error = "damaged";
	h = fleet_push(&fl);
	assert_int_equal(h->severity, -1);
	fleet_host_summary(h, &k.r);
	assert_string_equal(h->path, "in/x.tar.gz");
	/* the host's name, made valid UTF-8 */
	assert_non_null(strstr(h->label, "db"));
	assert_null(strchr(h->label, '\xff'));
	assert_int_equal(h->nroots, 2);
	assert_string_equal(h->roots[0].id, "crit-oom");
	assert_int_equal(h->roots[0].severity, SEV_CRITICAL);
	assert_int_equal(h->findings, 3);
	assert_int_equal(h->severity, SEV_CRITICAL);
	assert_true(h->read_in_part);
	fake_release(&k);
	/* no host name: the input stands for it */
	fake_report(&k, "in/y.tar.gz", NULL, "low-a", 0);
	h = fleet_push(&fl);
	fleet_host_summary(h, &k.r);
	assert_string_equal(h->label, "in/y.tar.gz");
	assert_int_equal(h->nroots, 0);
	assert_int_equal(h->severity, SEV_MEDIUM);
	assert_false(h->read_in_part);
	fake_release(&k);
	assert_int_equal(fl.n, 2);
	fleet_release(&fl);
}

static void test_rows_order_and_sharing(void **state)
{
	static const char *const spec[] = {
		"a|web1|low-disk crit-oom|2",
		"b|web2|crit-oom low-disk low-disk|3",	/* one cause twice: one host */
		"c|web3|low-disk zz-net|2",
		"d|web4|aa-late|0",			/* no root cause */
		"e|web5|crit-panic|1",
	};
	struct fleet fl;

	(void)state;
	fleet_of(&fl, spec, ARRAY_SIZE(spec));
	assert_int_equal(fl.nrows, 4);
	/* most widespread first, then the most severe, then by id */
	assert_string_equal(fl.rows[0].cause->id, "low-disk");
	assert_int_equal(fl.rows[0].nhosts, 3);
	assert_string_equal(fl.rows[1].cause->id, "crit-oom");
	assert_int_equal(fl.rows[1].nhosts, 2);
	assert_string_equal(fl.rows[2].cause->id, "crit-panic");
	assert_string_equal(fl.rows[3].cause->id, "zz-net");
	assert_true(fleet_has(&fl, 0, 1));
	assert_false(fleet_has(&fl, 0, 3));
	assert_true(fleet_has(&fl, 2, 4));
	assert_false(fleet_has(&fl, 2, 0));
	fleet_release(&fl);
}

static void test_same_names_are_numbered(void **state)
{
	static const char *const spec[] = {
		"1|vm|x|1", "2|db|x|1", "3|vm|x|1", "4|-|x|1", "5|vm|x|1",
	};
	struct fleet fl;

	(void)state;
	fleet_of(&fl, spec, ARRAY_SIZE(spec));
	/* in input order; a name seen once stays as it is */
	assert_string_equal(fl.hosts[0].label, "vm (1)");
	assert_string_equal(fl.hosts[1].label, "db");
	assert_string_equal(fl.hosts[2].label, "vm (2)");
	assert_string_equal(fl.hosts[3].label, "4");
	assert_string_equal(fl.hosts[4].label, "vm (3)");
	assert_int_equal(fl.rows[0].nhosts, 5);
	fleet_release(&fl);
}

static void esc_brackets(FILE *out, const char *s)
{
	fprintf(out, "[%s]", s);
}

static void test_names_are_capped_and_escaped(void **state)
{
	static const char *const spec[] = {
		"1|h1|x|1", "2|h2|x|1", "3|h3|x|1", "4|h4|x|1", "5|h5|x|1", "6|h6|x|1",
		"7|h7|x|1", "8|h8|x|1", "9|h9|x|1", "10|h10|x|1", "11|h11|y|1",
	};
	struct fleet fl;
	char *text = NULL;
	size_t n = 0;
	FILE *f;

	(void)state;
	fleet_of(&fl, spec, ARRAY_SIZE(spec));
	f = open_memstream(&text, &n);
	fleet_names(f, &fl, 0, esc_brackets);
	fputc('|', f);
	fleet_names(f, &fl, 1, esc_brackets);
	fclose(f);
	/* FLEET_NAMES_MAX names, each through the format's escape, then the count */
	assert_string_equal(text, "[h1], [h2], [h3], [h4], [h5], [h6], [h7], [h8] and 2 more|[h11]");
	free(text);
	fleet_release(&fl);
}

static void test_bundle_name(void **state)
{
	struct fleet_host h;

	(void)state;
	memset(&h, 0, sizeof(h));
	assert_string_equal(fleet_bundle_name(&h), "");
	h.path = "/in/sosreport-db1.tar.xz";
	assert_string_equal(fleet_bundle_name(&h), "sosreport-db1.tar.xz");
	h.path = "plain";
	assert_string_equal(fleet_bundle_name(&h), "plain");
	h.path = "dir/";	/* a folder given with its slash keeps its whole name */
	assert_string_equal(fleet_bundle_name(&h), "dir/");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_cleans_paths),
		cmocka_unit_test(test_host_summary),
		cmocka_unit_test(test_rows_order_and_sharing),
		cmocka_unit_test(test_same_names_are_numbered),
		cmocka_unit_test(test_names_are_capped_and_escaped),
		cmocka_unit_test(test_bundle_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
