#!/bin/sh
# Run every test: for each build directory given (build, build/asan), the
# cmocka unit tests and the numbered end-to-end scripts against that build's
# casefile. Ends with one line "N passed, N failed".
set -u
cd "$(dirname "$0")/.." || exit 1
[ $# -gt 0 ] || { echo "usage: tests/run.sh BUILD_DIR..." >&2; exit 2; }
passed=0
failed=0
failures=""

count_cmocka() { # $1 output file, $2 label
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$1" | tail -n 1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$1" | tail -n 1)
	p=${p:-0}; f=${f:-0}
	passed=$((passed + p)); failed=$((failed + f))
	[ "$f" -gt 0 ] && failures="$failures $2"
}

# What the suite must leave as it found it: accounts, groups, sudoers.d,
# homes, and no mount of its namespaces (tests/e2e/ns.sh).
machine_state() {
	cat /etc/passwd /etc/group
	cat /etc/shadow /etc/gshadow 2>/dev/null | cut -d: -f1
	ls -la /etc/sudoers.d /home 2>/dev/null | awk '{ print $1, $3, $4, $NF }'
	grep -F "$PWD/build/.ns" /proc/mounts
}
state_before=$(mktemp)
machine_state >"$state_before"

for b in "$@"; do
	echo "== unit tests ($b)"
	for t in "$b"/tests/test_*; do
		[ -x "$t" ] || continue
		case "$t" in *.d) continue ;; esac
		out=$(mktemp)
		if ! "$t" >"$out" 2>&1; then
			grep -q 'FAILED' "$out" || { failed=$((failed + 1)); failures="$failures $t(crashed)"; }
		fi
		count_cmocka "$out" "$t"
		echo "   $(basename "$t"): $(grep -c '^\[       OK \]' "$out") passed"
		grep -E '^\[  (ERROR|FAILED) ' "$out" | sed 's/^/   /'
		grep -E 'ERROR: (Address|Undefined|Leak)Sanitizer|runtime error' "$out" | head -5 | sed 's/^/   /'
		rm -f "$out"
	done
done

# The end-to-end scripts of every build run TEST_JOBS at once (default: twice
# the cores; many wait on timeouts, sshd or sos, not on a core), each with
# its own temporary folder; t0110 of the first build goes first, alone: it
# makes the sosreport (build/test-cache) that later scripts read. The rest
# start longest first, by the seconds each took last time
# (build/test-cache/e2e-seconds), so no long one starts last and runs on
# alone; results are printed in order.
jobs=${TEST_JOBS:-$(($(nproc 2>/dev/null || echo 1) * 2))}
# A script may check every build in one run (the first build's) where what
# it prepares is slow and the same for all: it reads the builds here.
TEST_BUILDS="$*"
export TEST_BUILDS
results=$(mktemp -d)
list=$results/list
: >"$list"
for b in "$@"; do
	for t in tests/e2e/t[0-9]*.sh; do
		echo "$b $t" >>"$list"
	done
done
run_e2e() { # build test: output, status and seconds in $results
	o=$results/$(echo "$1 $2" | tr '/ ' '__')
	s=$(date +%s)
	CASEFILE="$PWD/$1/casefile" sh "$2" >"$o" 2>&1
	echo $? >"$o.rc"
	echo $(($(date +%s) - s)) >"$o.time"
}
seconds=build/test-cache/e2e-seconds
run_e2e "$1" tests/e2e/t0110-analyze-sosreport.sh
grep -v "^$1 tests/e2e/t0110-analyze-sosreport.sh\$" "$list" |
	awk -v f="$seconds" 'BEGIN { while ((getline l <f) > 0) { split(l, w, " "); s[w[1] " " w[2]] = w[3] } }
		{ print (($0 in s) ? s[$0] : 0), NR, $0 }' |
	sort -k1,1nr -k2,2n | cut -d' ' -f3- |
	RESULTS=$results ROOT=$PWD xargs -P "$jobs" -L 1 sh -c '
		o=$RESULTS/$(echo "$0 $1" | tr "/ " "__")
		s=$(date +%s)
		CASEFILE="$ROOT/$0/casefile" sh "$1" >"$o" 2>&1
		echo $? >"$o.rc"
		echo $(($(date +%s) - s)) >"$o.time"'
last=""
while read -r b t; do
	[ "$b" = "$last" ] || echo "== end-to-end tests ($b)"
	last=$b
	out=$results/$(echo "$b $t" | tr '/ ' '__')
	rc=$(cat "$out.rc" 2>/dev/null || echo 1)
	secs=$(cat "$out.time" 2>/dev/null || echo "?")
	p=$(grep -c '^ok ' "$out"); f=$(grep -c '^not ok ' "$out")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "not ok - $t exited $rc" >>"$out"; fi
	passed=$((passed + p)); failed=$((failed + f))
	if [ "$f" -gt 0 ]; then
		failures="$failures $t($b)"
		echo "   $t: $f failed (${secs}s)"
		sed 's/^/   /' "$out"
	else
		echo "   $t: $p passed (${secs}s)"
	fi
done <"$list"
mkdir -p "${seconds%/*}"
while read -r b t; do
	echo "$b $t $(cat "$results/$(echo "$b $t" | tr '/ ' '__').time" 2>/dev/null || echo 0)"
done <"$list" >"$seconds"
rm -rf "$results"
echo "== the machine after the suite"
state_after=$(mktemp)
machine_state >"$state_after"
if diff "$state_before" "$state_after" >"$state_after.diff"; then
	passed=$((passed + 1))
	echo "   no account, group, sudoers entry, home or mount was left behind"
else
	failed=$((failed + 1)); failures="$failures machine-state"
	echo "   the suite changed the machine:"; sed 's/^/   /' "$state_after.diff"
fi
rm -f "$state_before" "$state_after" "$state_after.diff"
[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
