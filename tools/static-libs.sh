#!/bin/sh
# static-libs.sh BINARY MAP: what is inside the static casefile (make static),
# for build/static/casefile.txt. The libraries are the archives the linker
# took members from, read from its map (-Wl,-Map), so the list is what went
# in, not what was asked for; each with the Debian package that holds it and
# that package's version (dpkg), when dpkg knows the file.
set -eu
bin=$1
map=$2
if [ ! -f "$bin" ] || [ ! -f "$map" ]; then
	echo "static-libs: usage: static-libs.sh BINARY MAP" >&2
	exit 2
fi
version=$(sed -n 's/^#define CASEFILE_VERSION "\(.*\)"/\1/p' include/casefile.h)
os=$(sed -n 's/^PRETTY_NAME="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' /etc/os-release 2>/dev/null || true)

echo "casefile $version, statically linked, $(uname -m)"
echo "size:   $(stat -c %s "$bin") bytes (stripped: $(file -b "$bin" 2>/dev/null |
	grep -q 'not stripped' && echo no || echo yes))"
echo "sha256: $(sha256sum "$bin" | cut -d' ' -f1)"
echo "built:  with $(${CC:-gcc} --version | head -n 1)${os:+ on $os}"
echo
echo "Libraries linked in (from the linker's map: the archives members were"
echo "taken from), the package each came from and its version:"
echo
printf '  %-18s %-22s %s\n' library package version
# the "Archive member included ..." part of the map: lines "ARCHIVE(MEMBER)"
awk '/^(Discarded input sections|Allocating common symbols|Memory Configuration)/ { exit }
     /^[^ ]+\.a\(/ { sub(/\(.*/, ""); print }' "$map" | while read -r a; do
	case "$a" in build/*) continue ;; esac
	readlink -f "$a"
done | awk -F/ '{ print $NF "\t" $0 }' | sort -u | cut -f2 | while read -r a; do
	pkg=$(dpkg -S "$a" 2>/dev/null | head -n 1 | cut -d: -f1) || pkg=
	ver=
	[ -n "$pkg" ] && ver=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null | head -n 1)
	printf '  %-18s %-22s %s\n' "$(basename "$a")" "${pkg:-?}" "${ver:-?}"
done
echo
if grep -q 'libxml2\.a(' "$map"; then
	echo "libxml2 is linked in: this binary reads xar archives."
else
	echo "Not linked: libxml2 and ICU. libarchive reads xar archives through"
	echo "libxml2 only; its xar reader is left out (Makefile, static), so this"
	echo "binary reads no xar archive. casefile needs none: bundles, sosreports"
	echo "and supportconfigs are tar archives."
fi
echo "glibc's NSS (user and host names from LDAP, sss, ...) is not in it:"
echo "such names show as '?' (docs/install.md)."
