#!/bin/sh
# t0300: every libFuzzer target (make fuzz) runs once over its seed corpus:
# the inputs that ever found a bug stay fixed. docs/fuzzing.md runs them long.
. tests/e2e/lib.sh

case "$CASEFILE" in */asan/*) skip "the fuzzers carry their own sanitizers"; exit 0 ;; esac
if [ ! -x build/fuzz/fuzz_rule ]; then
	skip "make fuzz has not built the targets (clang with libFuzzer)"
	exit 0
fi
for f in build/fuzz/fuzz_*; do
	[ -x "$f" ] || continue
	name=${f##*/fuzz_}
	check "fuzz target $name runs its corpus clean" sh -c \
		"'$f' -rss_limit_mb=2048 -timeout=60 build/fuzz/corpus/$name/* >'$T/$name.log' 2>&1 || { tail -30 '$T/$name.log'; exit 1; }"
done
