#!/bin/sh
# make deb: a Debian package of casefile, with dpkg-deb. The binary, man
# pages, completion and rules come from make install into a staging root;
# the dependencies are the shared libraries the binary links, as dpkg knows
# their packages.
set -eu
cd "$(dirname "$0")/.."
root=build/deb/root
rm -rf build/deb
mkdir -p "$root/DEBIAN"
make --no-print-directory -s install PREFIX=/usr DESTDIR="$root" >/dev/null
version=$(sed -n 's/^#define CASEFILE_VERSION "\(.*\)"/\1/p' include/casefile.h)
arch=$(dpkg --print-architecture)
# the packages of the libraries the binary needs
deps=$(ldd build/casefile | awk '/=> \// { print $3 }' | while read -r lib; do
	dpkg -S "$(readlink -f "$lib")" 2>/dev/null || dpkg -S "$lib" 2>/dev/null; done |
	cut -d: -f1 | sort -u | grep -v '^libc6$' | paste -sd, | sed 's/,/, /g')
mkdir -p "$root/usr/share/doc/casefile"
gzip -9n -c docs/bundle-format.md >"$root/usr/share/doc/casefile/bundle-format.md.gz"
gzip -9n -c docs/rules.md >"$root/usr/share/doc/casefile/rules.md.gz"
cat >"$root/usr/share/doc/casefile/copyright" <<COPY
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: casefile

Files: *
Copyright: the casefile authors
License: proprietary
 All rights reserved.
COPY
gzip -9n "$root"/usr/share/man/man1/*.1
strip --remove-section=.comment --remove-section=.note "$root/usr/bin/casefile"
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
Depends: libc6, $deps
Section: admin
Priority: optional
Homepage: https://casefile.invalid/
Description: diagnostics collector and root-cause analyzer for L3 support
 casefile collects a host's logs, configuration and state into one bundle
 with secrets removed, locally or over SSH, and analyzes bundles,
 sosreports and directories with a rule library, reporting the root cause
 first with its evidence as path:line.
CTRL
find "$root" -type d -exec chmod 0755 {} +
fakeroot dpkg-deb --build -Zxz "$root" "build/casefile_${version}_${arch}.deb" >/dev/null
echo "deb: build/casefile_${version}_${arch}.deb"
