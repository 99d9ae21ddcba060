/*
 * facts.c: facts of a bundle from its sources (see facts.h).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <string.h>
#include "casefile.h"
#include "facts.h"
#include "text.h"

#define FACT_VALUE_MAX 256

struct fact {
	size_t source;
	const char *name;
	pcre2_code *code;
	char *value;
};

struct facts {
	struct fact *v;
	size_t nr;
	pcre2_match_data *md;
};

struct facts *facts_new(const struct catalog *cat)
{
	struct facts *f = xcalloc(1, sizeof(*f));
	size_t s, k, alloc = 0;

	f->md = pcre2_match_data_create(8, NULL);
	for (s = 0; s < cat->nr; s++)
		for (k = 0; k < cat->items[s].nfacts; k++) {
			const struct source_fact *sf = &cat->items[s].facts[k];
			PCRE2_SIZE off;
			int code;
			pcre2_code *re = pcre2_compile((PCRE2_SPTR)sf->pattern, PCRE2_ZERO_TERMINATED,
						       0, &code, &off, NULL);

			if (!re) {
				warning("source '%s': fact '%s' has a pattern that does not compile "
					"at offset %zu", cat->items[s].name, sf->name, (size_t)off);
				continue;
			}
			ALLOC_GROW(f->v, f->nr + 1, alloc);
			f->v[f->nr].source = s;
			f->v[f->nr].name = sf->name;
			f->v[f->nr].code = re;
			f->v[f->nr].value = NULL;
			f->nr++;
		}
	return f;
}

void facts_free(struct facts *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->nr; i++) {
		pcre2_code_free(f->v[i].code);
		free(f->v[i].value);
	}
	free(f->v);
	pcre2_match_data_free(f->md);
	free(f);
}

int facts_want(const struct facts *f, size_t source)
{
	size_t i;

	for (i = 0; i < f->nr; i++)
		if (f->v[i].source == source && !f->v[i].value)
			return 1;
	return 0;
}

static void match_fact(struct facts *f, struct fact *ft, const char *line, size_t n)
{
	PCRE2_SIZE *ov;
	int g;

	if (pcre2_match(ft->code, (PCRE2_SPTR)line, n, 0, 0, f->md, NULL) < 0)
		return;
	ov = pcre2_get_ovector_pointer(f->md);
	g = pcre2_substring_number_from_name(ft->code, (PCRE2_SPTR)"value");
	if (g < 0 || ov[2 * g] == PCRE2_UNSET)
		return;
	n = ov[2 * g + 1] - ov[2 * g];
	ft->value = text_utf8(line + ov[2 * g], n < FACT_VALUE_MAX ? n : FACT_VALUE_MAX);
}

void facts_lines(struct facts *f, size_t source, const char *data, size_t len)
{
	const char *p = data, *end = data + len;
	size_t i;

	while (p < end && facts_want(f, source)) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (n && p[n - 1] == '\r')
			n--;
		for (i = 0; i < f->nr; i++)
			if (f->v[i].source == source && !f->v[i].value)
				match_fact(f, &f->v[i], p, n);
		p = nl ? nl + 1 : end;
	}
}

const char *facts_get(const struct facts *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->nr; i++)
		if (f->v[i].value && !strcmp(f->v[i].name, name))
			return f->v[i].value;
	return NULL;
}
