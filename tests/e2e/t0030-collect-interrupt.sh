#!/bin/sh
# t0030: SIGINT or SIGTERM leaves a valid bundle marked incomplete
. tests/e2e/lib.sh

mkdir -p "$T/rules" "$T/out"
cat >"$T/rules/sources.yaml" <<'YAML'
sources:
  - name: first
    command: [echo, first source]
  - name: slow
    command: [sleep, "4901"]
    timeout: 60s
  - name: never
    command: [echo, never reached]
YAML
for sig in INT TERM; do
	case $sig in INT) num=2 ;; TERM) num=15 ;; esac
	rm -rf "$T/out"; mkdir -p "$T/out"
	"$CASEFILE" collect --rules "$T/rules" --only first,slow,never -o "$T/out" -q >"$T/path" &
	pid=$!
	sleep 1
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
