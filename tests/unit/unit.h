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
#include "catalog.h"

/* ../shared/data relative to the repository root, where tests run. */
#define SHARED_DATA "../shared/data"

/* Read a whole file into b (capped at 64M); 0 or a CF_ERR_*. */
static inline int unit_read_file(const char *path, struct buf *b)
{
	b->cap = 64 * 1024 * 1024;
	return buf_read_file(b, path);
}

/* The compiled-in catalogue, for tests that parse rules or claim members. */
static struct catalog unit_cat;

static inline int unit_catalog_setup(void **state)
{
	struct buf err = BUF_INIT(0);
	int r = catalog_load_default(&unit_cat, &err);

	(void)state;
	if (r)
		fprintf(stderr, "%s", err.data);
	buf_release(&err);
	return r;
}

static inline int unit_catalog_teardown(void **state)
{
	(void)state;
	catalog_release(&unit_cat);
	return 0;
}

/* A private folder for a test group's files (mkdtemp), removed with them. */
static char unit_dir[] = "/tmp/casefile-unit.XXXXXX";

static inline int unit_dir_setup(void **state)
{
	(void)state;
	return mkdtemp(unit_dir) ? 0 : -1;
}

static inline int unit_dir_teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", unit_dir);
	return system(cmd);
}

#endif
