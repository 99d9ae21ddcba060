/*
 * ruleset.c: the rule library as a set: the compiled-in rules, those of
 * --rules DIR (which add or override by id), and the checks that span
 * rules (lint).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "casefile.h"
#include "embedded.h"
#include "rules.h"

static void add_rule(struct ruleset *rs, const char *file, const char *data, size_t len,
		     const struct catalog *cat, struct buf *err)
{
	struct rule r;
	size_t i;

	if (rule_parse(&r, file, data, len, cat, err)) {
		rs->errors++;
		return;
	}
	for (i = 0; i < rs->nr; i++)
		if (!strcmp(rs->items[i].id, r.id))
			break;
	if (i < rs->nr) {
		rule_clear(&rs->items[i]);
		rs->items[i] = r;
		return;
	}
	ALLOC_GROW(rs->items, rs->nr + 1, rs->alloc);
	rs->items[rs->nr++] = r;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

/* the data files beside the rules (sources, categories, ...) are no rules */
static int catalogue_file(const char *name)
{
	static const char *const data[] = { "sources.yaml", "categories.yaml", "redact.yaml",
		"causality.yaml", "entities.yaml" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(data); i++)
		if (!strcmp(name, data[i]))
			return 1;
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int load_dir(struct ruleset *rs, const struct catalog *cat, const char *dir,
		    int depth, struct buf *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t nr = 0, alloc = 0, i;

	if (!d) {
		buf_addf(err, "%s: cannot open rules directory: %s\n", dir, strerror(errno));
		return CF_ERR_IO;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		ALLOC_GROW(names, nr + 1, alloc);
		names[nr++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (nr)
		qsort(names, nr, sizeof(*names), name_cmp);
	for (i = 0; i < nr; i++) {
		struct buf path = BUF_INIT(0), data = BUF_INIT(1024 * 1024);
		struct stat st;

		buf_addf(&path, "%s/%s", dir, names[i]);
		if (stat(path.data, &st)) {
			buf_addf(err, "%s: cannot read: %s\n", path.data, strerror(errno));
			rs->errors++;
		} else if (S_ISDIR(st.st_mode) && depth < 3) {
			load_dir(rs, cat, path.data, depth + 1, err);
		} else if (S_ISREG(st.st_mode) && ends_with(names[i], ".yaml") &&
			   !catalogue_file(names[i])) {
			int r = buf_read_file(&data, path.data);

			if (r) {
				buf_addf(err, "%s: %s\n", path.data, r == CF_ERR_CAP ?
					 "larger than 1M, not a rule" : strerror(errno));
				rs->errors++;
			} else {
				add_rule(rs, path.data, data.data, data.len, cat, err);
			}
		}
		buf_release(&path);
		buf_release(&data);
		free(names[i]);
	}
	free(names);
	return 0;
}

int ruleset_load(struct ruleset *rs, const struct catalog *cat, const char *dir,
		 struct buf *err)
{
	size_t i;

	for (i = 0; i < embedded_count; i++) {
		const struct embedded_file *f = &embedded_files[i];

		if (strncmp(f->path, "rules/", 6) || !ends_with(f->path, ".yaml") ||
		    catalogue_file(f->path + 6))
			continue;
		add_rule(rs, f->path, f->data, f->len, cat, err);
	}
	return dir ? load_dir(rs, cat, dir, 0, err) : 0;
}

void ruleset_release(struct ruleset *rs)
{
	size_t i;

	for (i = 0; i < rs->nr; i++)
		rule_clear(&rs->items[i]);
	free(rs->items);
	memset(rs, 0, sizeof(*rs));
}

const struct rule *ruleset_find(const struct ruleset *rs, const char *id)
{
	size_t i;

	for (i = 0; i < rs->nr; i++)
		if (!strcmp(rs->items[i].id, id))
			return &rs->items[i];
	return NULL;
}

/* The file name without folder and .yaml: a rule's file is named by its id. */
static int named_by_id(const struct rule *r)
{
	const char *base = strrchr(r->file, '/') ? strrchr(r->file, '/') + 1 : r->file;
	size_t n = strlen(r->id);

	return !strncmp(base, r->id, n) && !strcmp(base + n, ".yaml");
}

static void lint_rule(const struct ruleset *rs, const struct rule *r, FILE *out,
		      struct lint_counts *lc)
{
	size_t k, c, p;
	int pos = 0, neg = 0;

	for (k = 0; k < r->nfixtures; k++) {
		pos += r->fixtures[k].expect_match;
		neg += !r->fixtures[k].expect_match;
	}
	lc->fixtures += r->nfixtures;
	if (!pos || !neg) {
		fprintf(out, "%s: rule '%s' needs at least one positive and one negative "
			"fixture (has %d and %d)\n", r->file, r->id, pos, neg);
		lc->problems++;
	}
	if (!named_by_id(r)) {
		fprintf(out, "%s: rule '%s' must be in a file named %s.yaml\n", r->file, r->id,
			r->id);
		lc->problems++;
	}
	for (k = 0; k < r->nlinks; k++) {
		if (!ruleset_find(rs, r->links[k].rule)) {
			fprintf(out, "%s: rule '%s' explains '%s', which is no rule\n", r->file,
				r->id, r->links[k].rule);
			lc->problems++;
		} else if (!strcmp(r->links[k].rule, r->id)) {
			fprintf(out, "%s: rule '%s' explains itself\n", r->file, r->id);
			lc->problems++;
		}
	}
	for (c = 0; c < r->nconds; c++)
		for (p = 0; p < r->conds[c].npats; p++)
			if (!r->conds[c].pats[p].nlits) {
				fprintf(out, "%s: warning: pattern '%s' has no literal of %d "
					"characters or more: it runs on every line\n", r->file,
					r->conds[c].pats[p].text, LITERAL_MIN);
				lc->warnings++;
			}
}

int ruleset_lint(const struct ruleset *rs, const struct catalog *cat, FILE *out,
		 struct lint_counts *lc)
{
	size_t i, k;

	memset(lc, 0, sizeof(*lc));
	lc->problems = rs->errors;
	for (i = 0; i < rs->nr; i++) {
		lint_rule(rs, &rs->items[i], out, lc);
		for (k = 0; k < i; k++)
			if (!strcmp(rs->items[k].category, rs->items[i].category))
				break;
		lc->categories_used += k == i;
	}
	lc->categories = strv_len(cat->categories);
	return lc->problems ? CF_ERR_PARSE : 0;
}
