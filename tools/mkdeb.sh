#!/bin/sh
# make deb: a Debian package of casefile, with dpkg-deb. The binary, man
# pages, completion, rules and the Ansible playbook come from make install
# into a staging root laid out as a debian/ source tree would have it
# (build/deb/debian/casefile), so that dpkg-shlibdeps can read the binary:
# Depends names the packages of the libraries the binary itself links
# (its NEEDED entries, not what they pull in), each with the lowest version
# that has the symbols it uses (the libraries' symbols files).
set -eu
cd "$(dirname "$0")/.."
top=build/deb
root=$top/debian/casefile
rm -rf "$top"
mkdir -p "$root/DEBIAN"
make --no-print-directory -s install PREFIX=/usr DESTDIR="$root" >/dev/null
version=$(sed -n 's/^#define CASEFILE_VERSION "\(.*\)"/\1/p' include/casefile.h)
arch=$(dpkg --print-architecture)
strip --remove-section=.comment --remove-section=.note "$root/usr/bin/casefile"

# dpkg-shlibdeps reads debian/control (a source and a binary stanza) and
# prints shlibs:Depends=...
cat >"$top/debian/control" <<CTRL
Source: casefile

Package: casefile
Architecture: any
CTRL
deps=$(cd "$top" && dpkg-shlibdeps -O "$PWD/debian/casefile/usr/bin/casefile") || {
	echo "mkdeb: dpkg-shlibdeps could not read the binary's libraries" >&2
	exit 1
}
deps=$(printf '%s\n' "$deps" | sed -n 's/^shlibs:Depends=//p')
[ -n "$deps" ] || { echo "mkdeb: dpkg-shlibdeps named no library" >&2; exit 1; }

mkdir -p "$root/usr/share/doc/casefile"
for d in design bundle-format rules ansible install; do
	gzip -9n -c "docs/$d.md" >"$root/usr/share/doc/casefile/$d.md.gz"
done
year=$(date -u -d @"$(git log -1 --format=%ct 2>/dev/null || date +%s)" +%Y)
cat >"$root/usr/share/doc/casefile/copyright" <<COPY
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: casefile

Files: *
Copyright: $year the casefile authors
License: proprietary
 All rights reserved.
COPY
gzip -9n "$root"/usr/share/man/man1/*.1
cat <<LOG | gzip -9n >"$root/usr/share/doc/casefile/changelog.gz"
casefile ($version) unstable; urgency=medium

  * Built from the casefile repository; see its history for the changes.

 -- casefile team <casefile@example.com>  $(date -R -d @"$(git log -1 --format=%ct 2>/dev/null || date +%s)")
LOG
size=$(du -sk "$root/usr" | cut -f1)
cat >"$root/DEBIAN/control" <<CTRL
Package: casefile
Version: $version
Architecture: $arch
Maintainer: casefile team <casefile@example.com>
Installed-Size: $size
Depends: $deps
Suggests: ansible-core | ansible
Section: admin
Priority: optional
Homepage: https://casefile.invalid/
Description: diagnostics collector and root-cause analyzer for L3 support
 casefile collects a host's logs, configuration and state into one bundle
 with secrets removed, locally or over SSH, and analyzes bundles,
 sosreports and directories with a rule library, reporting the root cause
 first with its evidence as path:line. An Ansible playbook and role to
 collect a fleet are in /usr/share/casefile/ansible.
CTRL
find "$root" -type d -exec chmod 0755 {} +
fakeroot dpkg-deb --build -Zxz "$root" "build/casefile_${version}_${arch}.deb" >/dev/null
echo "deb: build/casefile_${version}_${arch}.deb"
