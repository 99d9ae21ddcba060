#!/bin/sh
# t0020: hung commands are cut off at their timeout; nothing outlives them
. tests/e2e/lib.sh

mkdir -p "$T/rules" "$T/out"
# durations of this run's own (another run may be going on at the same time)
u=$((4800000 + $$))
cat >"$T/rules/sources.yaml" <<YAML
sources:
  - name: hangs
    command: [sleep, "$u.1"]
    timeout: 1s
  - name: hangs_with_child
    shell: "sleep $u.2 & echo partial output; sleep $u.3"
    timeout: 1s
  - name: after
    command: [echo, still collecting]
YAML
start=$(date +%s)
"$CASEFILE" collect --rules "$T/rules" --only hangs,hangs_with_child,after -o "$T/out" -q >"$T/path"
end=$(date +%s)
b=$(cat "$T/path")
check "collection finishes well before the hung commands would" test $((end - start)) -lt 8
tar xzf "$b" -C "$T/out"
m=$(ls "$T"/out/*/casefile/manifest.json)
check "the hung command is recorded as a timeout" sh -c \
	"grep -A6 '\"source\": \"hangs\"' '$m' | grep -q '\"status\": \"timeout\"'"
check "what a timed-out command printed is kept" sh -c \
	"grep -q 'partial output' '$T'/out/*/commands/hangs_with_child"
check "the next source is still collected" sh -c \
	"grep -q 'still collecting' '$T'/out/*/commands/after"
check "collect.log says what timed out" sh -c \
	"grep -q 'hangs: timeout: killed after 1s timeout' '$T'/out/*/casefile/collect.log"
check "no process of the hung commands is left" sh -c "! pgrep -f 'sleep $u\.[123]'"
