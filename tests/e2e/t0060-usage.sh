#!/bin/sh
# t0060: usage errors are exit 2 with one clear message, and help reaches every command
. tests/e2e/lib.sh

usage_error() { # usage_error "message part" casefile-args...
	want=$1; shift
	"$CASEFILE" "$@" >"$T/out" 2>"$T/err"
	rc=$?
	[ "$rc" -eq 2 ] || { echo "exit $rc, not 2"; cat "$T/err"; return 1; }
	grep -q -e "$want" "$T/err" || { echo "no '$want' in:"; cat "$T/err"; return 1; }
}

check "upload to a non-sftp URL is a usage error" \
	usage_error "must start with sftp://" upload /etc/hostname http://x/y
check "collect --upload to a non-sftp URL is a usage error, before collecting" \
	usage_error "--upload: 'http://x' is not an upload URL" collect --upload http://x -o "$T"
check "no bundle was written for it" sh -c "! ls '$T'/*.tar.gz 2>/dev/null"
check "-j that is no number" usage_error "--jobs: 'abc' is not a whole number from 1 to 256" \
	collect -j abc
check "-j out of range" usage_error "is not a whole number from 1 to 256" collect -j 0
check "--max-size that is no size" usage_error "is not a size" collect --max-size lots
check "an unknown option" usage_error "unknown option '--bogus'" analyze --bogus x
check "a mistyped command: did you mean" \
	usage_error "'anlyze' is not a casefile command; did you mean 'analyze'?" anlyze x
check "help for a mistyped command: did you mean" \
	usage_error "'colect' is not a casefile command; did you mean 'collect'?" help colect
check "a word far from every command: no guess" sh -c \
	"'$CASEFILE' frobnicate 2>&1 >/dev/null | grep -q \"'frobnicate' is not a casefile command\$\""
check "a mistyped option: did you mean" \
	usage_error "unknown option '--tiket'; did you mean '--ticket'?" collect --tiket X
check "a mistyped option with its value: did you mean" \
	usage_error "unknown option '--fromat'; did you mean '--format'?" analyze --fromat=md x
check "the start of several options is ambiguous, and says which" \
	usage_error "option '--no' is ambiguous: .*--no-push" collect --no
check "a flag given a value" usage_error "--quiet takes no value" clean --quiet=1 x
check "an option without its value" usage_error "needs a value" analyze x --format
check "rules show without an id" usage_error "'rules show' needs one rule id" rules show
check "rules list --format json is refused" usage_error "not one of text, md, patterns" \
	rules list --format json
check "--format for another verb is refused" usage_error "--format is for 'rules list'" \
	rules lint --format md
check "an unknown verb" usage_error "unknown 'rules' verb 'lst'" rules lst
check "help COMMAND is the command's help" sh -c \
	"'$CASEFILE' help collect | grep -q '^usage: casefile collect'"
check "every command has --help" sh -c "for c in collect analyze rules upload; do \
	'$CASEFILE' \$c --help | grep -q \"^usage: casefile \$c\" || exit 1; done"

mkdir -p "$T/host/var/log"
echo "Nov 20 03:12:09 h kernel: Out of memory: Killed process 42 (java)" >"$T/host/var/log/kern.log"
check "analyze -o - writes to standard output" sh -c \
	"cd '$T' && '$CASEFILE' analyze host -o - --format json | jq -e '.root_causes[0] == \"oom-kill\"' && [ ! -e '$T/-' ]"
