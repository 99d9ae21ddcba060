/*
 * scc.c: the sections of a SUSE supportconfig file (see scc.h).
 *
 * supportconfig (openSUSE/supportutils, bin/supportconfig.rc) writes each
 * top-level *.txt as a series of sections. A section opens with a banner
 * and a label line:
 *
 *   #==[ Command ]======================================#
 *   # /usr/bin/df -hT
 *   ...output...
 *   #==[ Log File ]=====================================#
 *   # /var/log/messages - Last 5000 Lines
 *
 * Each section whose label a source names ("supportconfig:" in the
 * catalogue) is handed to the visitor as a member of its own: the path
 * stays the file's ("messages.txt"), so evidence reads messages.txt:LINE
 * with the line numbers of the whole file.
 */
#include <ctype.h>
#include <string.h>
#include "bundle_info.h"
#include "casefile.h"
#include "scc.h"

#define BANNER "#==["
#define TIMED_OUT "# ERROR: Command did not complete within the timeout period."

enum { SCC_PROBE = 1, SCC_SECTIONS };
enum { SCC_SKIP, SCC_LABEL, SCC_LINES };

/* "#==[ Command ]====#": the kind of section, or NULL for no banner. */
static const char *banner_kind(const char *s, size_t n, size_t *kind_len)
{
	const char *end;

	if (n < 8 || memcmp(s, BANNER, 4) || s[n - 1] != '#')
		return NULL;
	end = memchr(s, ']', n);
	if (!end || end - s < 6)
		return NULL;
	s += 4;
	while (*s == ' ')
		s++;
	*kind_len = (size_t)(end - s);
	while (*kind_len && s[*kind_len - 1] == ' ')
		(*kind_len)--;
	return s;
}

static int kind_is(const char *k, size_t n, const char *name)
{
	return n == strlen(name) && !memcmp(k, name, n);
}

/*
 * "# /usr/bin/df -hT" -> "df -hT"; "# /var/log/messages - Last 5000 Lines"
 * -> "/var/log/messages". A file "- File not found" has no content.
 */
static int clean_label(const char *s, size_t n, int command, struct buf *out)
{
	buf_reset(out);
	if (n < 3 || s[0] != '#' || s[1] != ' ' || buf_add(out, s + 2, n - 2))
		return CF_ERR_PARSE;	/* no label, or one longer than the buffer's cap */
	if (command && out->data[0] == '/') {
		/* the program's directory (supportconfig resolves it) goes */
		size_t first = strcspn(out->data, " "), k = first;

		while (out->data[k - 1] != '/')
			k--;
		buf_consume(out, k);
	} else if (!command) {
		char *d = strstr(out->data, " - ");

		if (d && !strcmp(d, " - File not found"))
			return CF_ERR_PARSE;
		if (d) {
			out->len = (size_t)(d - out->data);
			*d = '\0';
		}
	}
	return 0;
}

/* A banner closes the section before it; the label line opens the next. */
static void open_section(struct scc *s, const char *line, size_t n)
{
	s->state = SCC_SKIP;
	if (clean_label(line, n, s->command, &s->label))
		return;
	s->m.path = s->file->path;
	s->m.mtime = s->file->mtime;
	s->m.size = -1;
	s->m.section = s->label.data;
	if (!s->v->want(s->v->ctx, &s->m))
		return;
	s->state = SCC_LINES;
	if (!s->counted++)
		s->bi->members_read++;
}

/* Deliver lines [from, to) of the block to the open section. */
static void deliver(struct scc *s, const char *from, const char *to, uint64_t lineno)
{
	if (s->state == SCC_LINES && to > from &&
	    s->v->lines(s->v->ctx, &s->m, from, (size_t)(to - from), lineno))
		s->state = SCC_SKIP;
}

int scc_lines(struct scc *s, const char *data, size_t len, uint64_t lineno)
{
	const char *p = data, *end = data + len, *run = data;
	uint64_t run_line = lineno;

	if (s->mode == SCC_PROBE) {
		size_t kl;

		if (!banner_kind(data, strcspn(data, "\n"), &kl))
			return 1;	/* a text file of some other kind */
		s->mode = SCC_SECTIONS;
		if (s->bi->layout == LAYOUT_UNKNOWN || s->bi->layout == LAYOUT_DIRECTORY)
			s->bi->layout = LAYOUT_SUPPORTCONFIG;
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)(nl - p), kl;
		const char *kind;

		if (n && p[n - 1] == '\r')
			n--;
		if (s->state == SCC_LABEL) {
			open_section(s, p, n);
			run = nl + 1;
			run_line = lineno + 1;
		} else if (*p == '#' && (kind = banner_kind(p, n, &kl))) {
			deliver(s, run, p, run_line);
			/* sections whose content is a source's: commands, files, logs */
			s->command = kind_is(kind, kl, "Command");
			s->state = s->command || kind_is(kind, kl, "Configuration File") ||
				   kind_is(kind, kl, "Log File") ? SCC_LABEL : SCC_SKIP;
			run = nl + 1;
			run_line = lineno + 1;
		} else if (n == sizeof(TIMED_OUT) - 1 && !memcmp(p, TIMED_OUT, n) &&
			   s->label.len) {
			bundle_gap(s->bi, "supportconfig %s: '%s' timed out; its output is "
				   "incomplete", s->file->path, s->label.data);
		}
		p = nl + 1;
		lineno++;
	}
	deliver(s, run, end, run_line);
	return 0;
}

void scc_init(struct scc *s, const struct bundle_visitor *v, struct bundle_info *bi)
{
	memset(s, 0, sizeof(*s));
	s->v = v;
	s->bi = bi;
	buf_init(&s->label, 4096);
}

void scc_release(struct scc *s)
{
	buf_release(&s->label);
}

void scc_begin(struct scc *s, const struct member *file)
{
	s->file = file;
	s->mode = SCC_PROBE;
	s->state = SCC_SKIP;
	s->counted = 0;
	buf_reset(&s->label);
}

int scc_candidate(const char *path)
{
	size_t n = strlen(path);

	return !strchr(path, '/') && n > 4 && !strcmp(path + n - 4, ".txt");
}

/*
 * "scc_db1_261123_0312" (supportconfig's folder): the host is "db1"; in
 * "scc_host0_261123_0312-clean" (casefile clean's copy) "host0".
 */
void scc_hostname(struct bundle_info *bi, const char *folder)
{
	size_t n = strlen(folder), k;

	while (n && folder[n - 1] == '/')
		n--;
	for (k = n; k && folder[k - 1] != '/'; k--)
		;
	folder += k;
	n -= k;
	if (bi->hostname || n < 5 || strncmp(folder, "scc_", 4))
		return;
	folder += 4;
	n -= 4;
	/* a copy made by casefile clean ends in -clean or -clean-N */
	for (k = n; k && isdigit((unsigned char)folder[k - 1]); k--)
		;
	if (k < n && k > 7 && !strncmp(folder + k - 7, "-clean-", 7))
		n = k - 1;
	if (n > 6 && !strncmp(folder + n - 6, "-clean", 6))
		n -= 6;
	/* drop the _YYMMDD_HHMM the archive's name ends in */
	for (k = 0; k < 2; k++) {
		size_t d = n;

		while (d && isdigit((unsigned char)folder[d - 1]))
			d--;
		if (d == n || !d || folder[d - 1] != '_')
			break;
		n = d - 1;
	}
	if (n)
		bi->hostname = xstrndup(folder, n);
}
