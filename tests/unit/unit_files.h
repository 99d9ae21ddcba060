/*
 * unit_files.h: files the unit tests of the collector's readers write in
 * their folder (unit_dir): plain or gzip-compressed, with a given mtime.
 */
#ifndef UNIT_FILES_H
#define UNIT_FILES_H

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "unit.h"

/* unit_dir/name with text (gzip-compressed when gz), last written at t. */
static inline void unit_put(const char *name, const char *text, size_t n, int gz, time_t t)
{
	struct timespec ts[2] = { { t, 0 }, { t, 0 } };
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", unit_dir, name);
	if (gz) {
		gzFile f = gzopen(path, "wb");

		assert_non_null(f);
		assert_int_equal(gzwrite(f, text, (unsigned)n), (int)n);
		assert_int_equal(gzclose(f), Z_OK);
	} else {
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		assert_true(fd >= 0);
		assert_int_equal(write(fd, text, n), (ssize_t)n);
		close(fd);
	}
	assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
}

#endif
