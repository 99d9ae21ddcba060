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
# control-flow protection (CET) where the compiler has it: every object of
# ours is marked IBT and SHSTK (the executable is marked only when the C
# library's start files are too, which Debian 12's are not)
obj=$(dirname "$CASEFILE")/obj
if gcc -fcf-protection -Werror -E -x c /dev/null >/dev/null 2>&1 && [ "$(uname -m)" = x86_64 ] &&
	[ -d "$obj" ]; then
	check "control-flow protection is in every object (IBT and SHSTK marked)" sh -c \
		"for o in \$(find '$obj' -name '*.o'); do readelf -n \"\$o\" | grep -q 'x86 feature: IBT, SHSTK' || { echo \"\$o\"; exit 1; }; done"
fi

# the build takes the distribution's flags (dpkg-buildflags) and tells a
# removed rule file apart
check "CFLAGS, CPPFLAGS and LDFLAGS from the environment are used" sh -c \
	"CFLAGS='-O1 -DCF_ENV_CFLAGS' CPPFLAGS=-DCF_ENV_CPPFLAGS LDFLAGS=-Wl,-O1 make -n -B build/casefile 2>/dev/null |
	 grep -e '-DCF_ENV_CPPFLAGS' | grep -e '-DCF_ENV_CFLAGS' >/dev/null &&
	 CFLAGS=-O1 LDFLAGS=-Wl,-DCF_X make -n -B build/casefile 2>/dev/null | grep -q -e '-Wl,-DCF_X'"
check "the embedded rules depend on the list of rule files" sh -c \
	"grep -q '^build/gen/embedded.c:.*build/gen/rule-files' Makefile && grep -q \"\$(make -s -p -n build/gen/rule-files 2>/dev/null | sed -n 's/^RULE_FILES := //p' | head -c 30)\" build/gen/rule-files"
