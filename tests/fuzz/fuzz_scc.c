/*
 * fuzz_scc.c: the supportconfig reader (scc.h) on any text as a *.txt of
 * sections, in blocks of whole lines cut where the input's first byte says,
 * and the first line as the folder a host name is read from. Checked: every
 * block the visitor gets is whole lines, numbered on from the one before.
 */
#include "bundle.h"
#include "fuzz.h"
#include "scc.h"
#include "text.h"

struct seen {
	uint64_t next;		/* the first line a section's next block may have */
};

static int want(void *ctx, const struct member *m)
{
	(void)ctx;
	return m->section && m->section[0] != 'x';
}

static int lines(void *ctx, const struct member *m, const char *data, size_t len,
		 uint64_t first)
{
	struct seen *s = ctx;

	(void)m;
	if (!len || data[len - 1] != '\n' || first < s->next)
		abort();
	s->next = first + text_count_newlines(data, len);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seen s = { 0 };
	struct bundle_visitor v = { &s, want, lines };
	struct member file = { .path = "messages.txt", .size = -1 };
	struct bundle_info bi;
	struct scc scc;
	struct buf text = BUF_INIT(0), first = BUF_INIT(0);
	const char *p, *end;
	size_t step = size ? 1 + data[0] * 16 : 1;
	uint64_t lineno = 1;

	buf_add(&text, data, size);
	if (!text.len || text.data[text.len - 1] != '\n')
		buf_addch(&text, '\n');
	buf_add(&first, text.data, strcspn(text.data, "\n"));
	bundle_info_init(&bi, "fuzz");
	scc_hostname(&bi, first.data);
	scc_init(&scc, &v, &bi);
	scc_begin(&scc, &file);
	for (p = text.data, end = text.data + text.len; p < end; ) {
		const char *cut = p + step < end ? p + step : end - 1;
		const char *nl = memchr(cut, '\n', (size_t)(end - cut));
		size_t n = (size_t)(nl - p) + 1;

		if (scc_lines(&scc, p, n, lineno))
			break;	/* no supportconfig file */
		lineno += text_count_newlines(p, n);
		p += n;
	}
	scc_release(&scc);
	bundle_info_release(&bi);
	buf_release(&text);
	buf_release(&first);
	return 0;
}
