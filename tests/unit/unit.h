/*
 * unit.h: what the cmocka unit tests share.
 */
#ifndef UNIT_H
#define UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "casefile.h"
#include "buf.h"

/* ../shared/data relative to the repository root, where tests run. */
#define SHARED_DATA "../shared/data"

/* Read a whole file into b (capped at 64M); 0 or a CF_ERR_*. */
static inline int unit_read_file(const char *path, struct buf *b)
{
	b->cap = 64 * 1024 * 1024;
	return buf_read_file(b, path);
}

#endif
