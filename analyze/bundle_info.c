/*
 * bundle_info.c: what a walk over a bundle learns, noted as it goes (see
 * bundle_info.h).
 */
#include <stdarg.h>
#include <string.h>
#include "buf.h"
#include "bundle_info.h"
#include "casefile.h"

void bundle_info_init(struct bundle_info *bi, const char *path)
{
	memset(bi, 0, sizeof(*bi));
	bi->path = xstrdup(path);
	bi->complete = 1;
}

void bundle_info_release(struct bundle_info *bi)
{
	free(bi->path);
	free(bi->hostname);
	free(bi->ticket);
	free(bi->problem);
	free(bi->timezone);
	strv_free(bi->gaps);
	strv_free(bi->notes);
	strv_free(bi->damaged);
	memset(bi, 0, sizeof(*bi));
}

void bundle_note(struct bundle_info *bi, const char *fmt, ...)
{
	struct buf b = BUF_INIT(0);
	va_list ap;

	if (strv_len(bi->notes) >= 100)
		return;
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	strv_push(&bi->notes, buf_detach(&b, NULL));
}

void bundle_gap(struct bundle_info *bi, const char *fmt, ...)
{
	struct buf b = BUF_INIT(0);
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	for (i = 0; bi->gaps && bi->gaps[i]; i++)
		if (!strcmp(bi->gaps[i], b.data))
			break;
	if ((bi->gaps && bi->gaps[i]) || strv_len(bi->gaps) >= 200)
		buf_release(&b);
	else
		strv_push(&bi->gaps, buf_detach(&b, NULL));
}

void bundle_damage(struct bundle_info *bi, const char *fmt, ...)
{
	struct buf b = BUF_INIT(0);
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	bundle_note(bi, "%s", b.data);
	if (strv_len(bi->damaged) < 100)
		strv_push(&bi->damaged, buf_detach(&b, NULL));
	buf_release(&b);
}
