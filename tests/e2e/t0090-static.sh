#!/bin/sh
# t0090: the static binary needs no library on the host, and collects
. tests/e2e/lib.sh

S=$PWD/build/static/casefile
case "$CASEFILE" in */asan/*) skip "static binary is checked once"; exit 0 ;; esac
if [ ! -x "$S" ]; then
	echo "not ok 1 - build/static/casefile was not built (make static)"
	exit 1
fi
check "the static binary has no dynamic section" sh -c "! readelf -d '$S' | grep -q NEEDED"
check "it has no program interpreter" sh -c "! readelf -l '$S' | grep -q 'program interpreter'"
mkdir -p "$T/out"
check "it collects" sh -c "'$S' collect -o '$T/out' -q >'$T/p' && tar tzf \$(cat '$T/p') >/dev/null"
check "its bundle verifies" verify_bundle "$(cat "$T/p")"
check "its rule library is complete" "$S" rules test
echo "# static binary: $(stat -c %s "$S") bytes"
