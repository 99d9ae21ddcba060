#!/bin/sh
# t0030: SIGINT or SIGTERM leaves a valid bundle marked incomplete
. tests/e2e/lib.sh

mkdir -p "$T/rules" "$T/out"
u=$((4900000 + $$))	# this run's own sleep, told apart from another run's
cat >"$T/rules/sources.yaml" <<YAML
sources:
  - name: first
    command: [echo, first source]
  - name: slow
    command: [sleep, "$u"]
    timeout: 60s
  - name: never
    command: [echo, never reached]
YAML
# until the slow source runs (the first one is then done)
slow_runs() {
	i=0
	while ! pgrep -f "sleep $u\$" >/dev/null; do
		i=$((i + 1)); [ $i -gt 300 ] && return 1; sleep 0.1
	done
}
for sig in INT TERM; do
	case $sig in INT) num=2 ;; TERM) num=15 ;; esac
	rm -rf "$T/out"; mkdir -p "$T/out"
	"$CASEFILE" collect --rules "$T/rules" --only first,slow,never -o "$T/out" -q >"$T/path" &
	pid=$!
	slow_runs
	kill -$sig $pid
	wait $pid
	rc=$?
	b=$(cat "$T/path")
	check "SIG$sig: exits 128+signal" test "$rc" -eq $((128 + num))
	check "SIG$sig: the bundle is there and lists" sh -c "tar tzf '$b' >/dev/null"
	check "SIG$sig: the bundle verifies" verify_bundle "$b"
	tar xzf "$b" -C "$T/out"
	m=$(ls "$T"/out/*/casefile/manifest.json)
	check "SIG$sig: manifest is marked incomplete" sh -c \
		"grep -q '\"complete\": false' '$m' && grep -q '\"interrupted_by\": \"$sig\"' '$m'"
	check "SIG$sig: what came before is kept" sh -c "grep -q 'first source' '$T'/out/*/commands/first"
	check "SIG$sig: nothing after the signal ran" sh -c "! ls '$T'/out/*/commands/never 2>/dev/null"
done

# the summary of an interrupted collection does not tell the customer to send it
rm -rf "$T/out"; mkdir -p "$T/out"
"$CASEFILE" collect --rules "$T/rules" --only first,slow,never -o "$T/out" >"$T/sum" 2>/dev/null &
pid=$!
slow_runs
kill -INT $pid
wait $pid
check "interrupted: the summary says so, asks to run it again, and not to send it as it is" sh -c \
	"grep -q 'INCOMPLETE' '$T/sum' && grep -q 'run it again' '$T/sum' && ! grep -q 'send it:' '$T/sum'"
