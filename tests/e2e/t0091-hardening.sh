#!/bin/sh
# t0091: the product binary is hardened: PIE, full RELRO, stack protector, fortified calls
. tests/e2e/lib.sh

case "$CASEFILE" in */asan/*) skip "the sanitizer build is not the product"; exit 0 ;; esac
check "it is a position-independent executable" sh -c \
	"readelf -h '$CASEFILE' | grep -q 'Type: *DYN'"
check "relocations are read-only (RELRO)" sh -c "readelf -l '$CASEFILE' | grep -q GNU_RELRO"
check "symbols are bound at start (BIND_NOW)" sh -c "readelf -d '$CASEFILE' | grep -q BIND_NOW"
check "the stack protector is in" sh -c "nm -D '$CASEFILE' | grep -q __stack_chk_fail"
check "calls are fortified" sh -c "nm -D '$CASEFILE' | grep -q '_chk@'"
S=$PWD/build/static/casefile
if [ -x "$S" ]; then
	check "the static binary has read-only relocations too" sh -c \
		"readelf -l '$S' | grep -q GNU_RELRO"
fi
