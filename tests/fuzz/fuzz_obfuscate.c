/*
 * fuzz_obfuscate.c: the obfuscator. The first line is learned as one kind
 * of file (its first byte picks which: hostname, passwd, lastlog, ps, a
 * supportconfig file, summary.xml, syslog), the rest is cleaned whole and
 * split at any point, and the input's first line is cleaned as a path.
 * Checked: lines keep their number (obfuscate.h), whatever is learned.
 */
#include "fuzz.h"
#include "obfuscate.h"
#include "text.h"

static const char *const kinds[] = { "etc/hostname", "etc/passwd", "etc/hosts",
	"sos_commands/login/lastlog_-u_1000-60000", "sos_commands/login/last",
	"sos_commands/process/ps_auxwww", "sos_commands/process/ps_alxwww",
	"basic-environment.txt", "summary.xml", "var/log/messages", "sos_commands/kernel/uname_-a" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data, *nl = memchr(text, '\n', size);
	size_t first = nl ? (size_t)(nl - text) : size, half = size / 2;
	struct obf *o = obf_new();
	struct buf out = BUF_INIT(0), name = BUF_INIT(0);
	char *path;

	if (size) {
		obf_learn_text(o, kinds[data[0] % ARRAY_SIZE(kinds)], text, first);
		obf_learn_text(o, kinds[data[size - 1] % ARRAY_SIZE(kinds)], text, size);
	}
	buf_add(&name, text, first);
	obf_learn_path(o, name.data);
	obf_learn_folder(o, name.data);
	obf_chunk(o, text, size, &out);
	if (text_count_newlines(out.data, out.len) != text_count_newlines(text, size))
		abort();	/* a line was lost or made */
	buf_reset(&out);
	obf_chunk(o, text, half, &out);
	obf_chunk(o, text + half, size - half, &out);
	path = obf_name(o, name.data);
	free(path);
	buf_release(&out);
	buf_release(&name);
	obf_free(o);
	return 0;
}
