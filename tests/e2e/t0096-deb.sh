#!/bin/sh
# t0096: make deb builds a Debian package that installs what make install does,
# with no lintian error
. tests/e2e/lib.sh

case "$CASEFILE" in */asan/*) skip "packaged once"; exit 0 ;; esac
if ! command -v dpkg-deb >/dev/null 2>&1 || ! command -v fakeroot >/dev/null 2>&1; then
	skip "needs dpkg-deb and fakeroot"
	exit 0
fi
make -s deb DEVELOPER=1 >"$T/log" 2>&1
deb=$(ls build/casefile_*_*.deb 2>/dev/null | head -n 1)
check "make deb: a package" test -f "$deb"
dpkg-deb -c "$deb" >"$T/contents"
check "it holds the binary, the man pages, completion and the rules" sh -c \
	"grep -q ' ./usr/bin/casefile\$' '$T/contents' && grep -q 'man1/casefile-collect.1.gz' '$T/contents' && \
	 grep -q 'completions/casefile\$' '$T/contents' && grep -q 'share/casefile/rules/sources.yaml' '$T/contents'"
check "its control file names the libraries it needs" sh -c \
	"dpkg-deb -f '$deb' Depends | grep -q libarchive13"
if command -v lintian >/dev/null 2>&1; then
	check "lintian finds no error" sh -c "! lintian '$deb' 2>&1 | grep '^E:'"
else
	skip "lintian is not installed"
fi
