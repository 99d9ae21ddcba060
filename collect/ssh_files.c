/*
 * ssh_files.c: what the SSH transport asks a host's shell to list and read
 * its files with, and the reading of the listing (see ssh_files.h). The
 * host applies no rule of ours: it reports, and the rule (planted.c) is
 * applied here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "casefile.h"
#include "ssh_files.h"
#include "text.h"

/*
 * The remote side applies no rule of ours, so the listing walks each path
 * from / one component at a time, as planted_open() does here, and says
 * what the rule needs (transport.h): every link on the way (its owner, its
 * folder's owner and mode: "LUID:DUID:DMODE," each), then the file itself
 * from one lstat in the folder the walk holds as its working directory.
 * A folder is entered with cd -P and $PWD (the kernel's name for where
 * the shell now is) must then be the one expected: a folder swapped for a
 * link meanwhile is caught. One line per file:
 *   "UID NLINK SIZE MTIME DEV INO MODE DUID DMODE HOPS PATH" (modes in hex,
 *   HOPS "-" when none), or "X PATH" when the way changed while walked or
 *   has more than 40 links.
 * A path with a newline in it could forge a line: it is left out. Paths
 * under /proc are the kernel's (and /proc/self is whoever looks): stat -L.
 */
static const char list_walk[] =
	"N=$(printf '\\n_'); N=${N%_}; "
	"w() { r=$1 h= k=0; cd / || return 2; while :; do "
	"while :; do case $r in /*) r=${r#/};; *) break;; esac; done; [ -n \"$r\" ] || return 2; "
	"c=${r%%/*}; r=${r#\"$c\"}; case $r in *[!/]*) l=;; *) l=1;; esac; "
	"if [ -L \"$c\" ]; then k=$((k + 1)); [ $k -le 40 ] || return 1; "
	"set -- $(stat -c '%u %a' -- \"$c\" .); [ $# -eq 4 ] || return 2; "
	"t=$(readlink -- \"$c\") && [ -n \"$t\" ] || return 2; h=$h$1:$3:$4,; "
	"case $t in /*) cd / || return 2;; esac; r=$t$r; continue; fi; "
	"[ -n \"$l\" ] && { n=$c; return 0; }; "
	"case $c in .) continue;; ..) cd -P .. || return 2; continue;; esac; "
	"q=${PWD%/}; cd -P -- \"$c\" 2>/dev/null || return 2; [ \"$PWD\" = \"$q/$c\" ] || return 1; "
	"done; }; ";

static const char list_body[] =
	"; do case $f in *\"$N\"*) continue;; "
	"/proc/*) cd /proc; n=$f h= L=-L e=0;; *) L=; w \"$f\"; e=$?;; esac; "
	"if [ $e -eq 1 ]; then echo \"${p}X $f\"; elif [ $e -eq 0 ] && "
	"set -- $(stat $L -c '%u %h %s %Y %d %i %f' -- \"$n\" .) && [ $# -eq 14 ]; then "
	"echo \"$p$1 $2 $3 $4 $5 $6 $7 $8 ${14} ${h:--} $f\"; fi; done 2>/dev/null; cd /\n";

/* "for f in GLOBS" of a source: its files and, when rotated, their siblings. */
static void list_loop(struct buf *script, const struct source *s)
{
	size_t i;

	buf_addstr(script, "for f in");
	for (i = 0; s->files[i]; i++) {
		buf_addf(script, " %s", s->files[i]);
		if (s->rotated)
			buf_addf(script, " %s[.-]*", s->files[i]);
	}
	buf_addstr(script, list_body);
}

void ssh_files_list_script(const struct source *const *v, size_t n, int batch, struct buf *script)
{
	size_t i;

	buf_addstr(script, list_walk);
	for (i = 0; i < n; i++) {
		if (batch)
			buf_addf(script, "p='%zu '; ", i);
		else
			buf_addstr(script, "p=; ");
		list_loop(script, v[i]);
	}
	buf_addstr(script, "true");
}


/* The links of a listed way, then the file: the rule of transport.h. */
static char *remote_refusal(const char *path, const char *hops, unsigned uid, unsigned nlink,
			    unsigned duid, unsigned dmode, int *user_link)
{
	struct buf why = BUF_INIT(0);
	struct planted p = { 0 };
	enum item_status st = ITEM_OK;
	unsigned lu, du, dm;
	int used;

	while (st == ITEM_OK && strcmp(hops, "-") &&
	       sscanf(hops, "%u:%u:%o,%n", &lu, &du, &dm, &used) == 3 && used > 0) {
		st = planted_link(&p, path, lu, du, dm, &why);
		hops += used;
	}
	if (st == ITEM_OK && *hops && strcmp(hops, "-")) {
		buf_addstr(&why, "refused: the host's listing of its links is not understood");
		st = ITEM_REFUSED;
	}
	if (st == ITEM_OK)
		st = planted_file(&p, path, uid, nlink, duid, dmode, &why);
	*user_link = p.set;
	return st == ITEM_OK ? (buf_release(&why), NULL) : buf_detach(&why, NULL);
}

/* One line of a listing into out, when it is well formed and the source's. */
static void parse_line(const struct source *s, const char *line, struct found_list *out)
{
	char path[4096], hops[2048];
	unsigned uid, nlink, mode, duid, dmode;
	unsigned long long size, dev, ino;
	long long mtime;
	struct found *f;
	int user_link;

	if (sscanf(line, "X %4095[^\n]", path) == 1 && path[0] == '/' &&
	    source_claims(s, path + 1)) {
		f = transport_found_add(out, path, 0, 0);
		free(f->refused);
		f->refused = xstrdup("refused: the way to it changed while it was listed, or "
				     "has more than 40 links");
		return;
	}
	if (sscanf(line, "%u %u %llu %lld %llu %llu %x %u %x %2047s %4095[^\n]", &uid, &nlink,
		   &size, &mtime, &dev, &ino, &mode, &duid, &dmode, hops, path) != 11 ||
	    path[0] != '/' || !source_claims(s, path + 1) || !S_ISREG(mode))
		return;
	f = transport_found_add(out, path, mtime, size);
	f->dev = dev;
	f->ino = ino;
	free(f->refused);
	f->refused = remote_refusal(path, hops, uid, nlink, duid, dmode & 07777, &user_link);
	/* procfs: through /proc/self each reader sees its own inode */
	f->any_ino = !user_link && !strncmp(path, "/proc/", 6);
	f->no_links = !strcmp(hops, "-") && !f->any_ino;
}

/* Each line: with batch, "INDEX " first, the source's place in v. */
void ssh_files_parse(const struct source *const *v, struct found_list *outs, size_t n, int batch,
		     char *text)
{
	char *line = text;

	while (*line) {
		char *nl = strchr(line, '\n'), *rest = line;
		unsigned long k = 0;

		if (nl)
			*nl = '\0';
		if (batch)
			k = strtoul(line, &rest, 10);
		if (k < n && (!batch || *rest == ' '))
			parse_line(v[k], rest + (batch ? 1 : 0), &outs[k]);
		if (!nl)
			break;
		line = nl + 1;
	}
}

/*
 * The file opened on descriptor 3 by the shell, its device and inode (stat
 * -L of /dev/fd/3: what was opened, not what the name is now) compared with
 * the listing's before a byte is read, then dd from it: alone, or through
 * gzip -dc or tail -c (procfs, size 0). A file swapped since the listing,
 * for a link or another file, or a folder on its way swapped for a link,
 * is not read. Something not a regular file at the name is not opened (a
 * FIFO would block, a device could act on its open).
 */
void ssh_files_read_script(const struct found *f, int gz, uint64_t cap, struct buf *sh)
{
	buf_addstr(sh, "f=");
	text_sh_quote(sh, f->path);
	buf_addf(sh, "; { [ ! -e \"$f\" ] || [ -f \"$f\" ]; }%s || exit %d; "
		 "exec 3<\"$f\" || exit 2; i=$(stat -L -c '%%d:%%i' /dev/fd/3) || exit %d; ",
		 f->no_links ? " && [ ! -L \"$f\" ]" : "", SSH_FILES_CHANGED, SSH_FILES_UNCHECKED);
	buf_addf(sh, "case $i in %llu:", (unsigned long long)f->dev);
	if (f->any_ino)
		buf_addch(sh, '*');
	else
		buf_addf(sh, "%llu", (unsigned long long)f->ino);
	buf_addf(sh, ") ;; *) exit %d;; esac; dd bs=65536 status=none", SSH_FILES_CHANGED);
	if (!gz && f->size > cap)
		buf_addf(sh, " iflag=skip_bytes skip=%llu", (unsigned long long)(f->size - cap));
	buf_addstr(sh, " <&3");
	if (gz)
		buf_addstr(sh, " | gzip -dc");
	if (gz || !f->size)
		buf_addf(sh, " | tail -c %llu", (unsigned long long)cap);
}

