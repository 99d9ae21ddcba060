/*
 * fuzz_clean_input.c: the input of casefile clean on an in-memory archive
 * (a memfd): the reader of untrusted archives (intake.h) under clean's
 * policy, and clean's learning pass over what it hands on. Checked: no
 * member path or kept link it hands on is absolute or climbs with "..".
 */
#include <sys/mman.h>
#include <unistd.h>
#include "clean_input.h"
#include "fuzz.h"
#include "obfuscate.h"

static int climbs(const char *p)
{
	const char *s;

	for (s = p; s; s = strchr(s, '/'), s = s ? s + 1 : NULL)
		if (s[0] == '.' && s[1] == '.' && (s[2] == '/' || !s[2]))
			return 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct clean_input in;
	struct obf *o = obf_new();
	struct buf err = BUF_INIT(0), b = BUF_INIT(0);
	char path[64];
	int64_t mtime;
	int fd = memfd_create("input", MFD_CLOEXEC);

	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (!clean_input_open(&in, path, fuzz_catalog(), &err)) {
		while (clean_input_next(&in, &mtime, &err) == 1) {
			if (in.rel[0] == '/' || climbs(in.rel))
				abort();
			if (in.link) {
				const char *l = in.link;

				while (!strncmp(l, "../", 3))
					l += 3;	/* only leading '..' is allowed */
				if (in.link[0] == '/' || climbs(l))
					abort();
				continue;
			}
			obf_learn_path(o, in.rel);
			buf_reset(&b);
			if (obf_learns_from(in.rel) && !clean_read_member(&in, &b, 1 << 20, &err))
				obf_learn_text(o, in.rel, b.data, b.len);
		}
		clean_input_close(&in);
	}
	buf_release(&b);
	buf_release(&err);
	obf_free(o);
	close(fd);
	return 0;
}
