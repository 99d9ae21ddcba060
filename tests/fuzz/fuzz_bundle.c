/*
 * fuzz_bundle.c: the bundle reader on an in-memory archive (a memfd), with
 * layout detection, metadata and the whole rule library behind it.
 */
#include <sys/mman.h>
#include <unistd.h>
#include "analyze.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ruleset rs;
	static int loaded;
	struct analyze_opts ao;
	struct analysis a;
	struct buf err = BUF_INIT(0);
	char path[64];
	int fd = memfd_create("bundle", MFD_CLOEXEC);

	if (!loaded) {
		if (ruleset_load(&rs, fuzz_catalog(), NULL, &err))
			abort();
		buf_reset(&err);
		loaded = 1;
	}
	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	analyze_opts_init(&ao, fuzz_catalog());
	ao.rules = rs.items;
	ao.nrules = rs.nr;
	ao.lim.member_cap = 1 << 20;
	ao.lim.total_cap = 8 << 20;
	analyze_path(path, &ao, &a, &err);
	analysis_release(&a);
	buf_release(&err);
	close(fd);
	return 0;
}
