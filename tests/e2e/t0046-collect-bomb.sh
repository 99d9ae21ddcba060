#!/bin/sh
# t0046: a gzip bomb planted as a rotated log costs its source's time limit
# and no more: read once, cut at the limit, the rest of the collection goes on
. tests/e2e/lib.sh

mkdir -p "$T/logs" "$T/rules" "$T/out"
echo "Nov 20 03:12:09 h app[1]: live log line" >"$T/logs/app.log"
# 8 GB of zeros in 8 MB: 32 concatenated gzip members of 256 MB each
head -c 268435456 /dev/zero | gzip -1 >"$T/one.gz"
i=0
while [ $i -lt 32 ]; do cat "$T/one.gz"; i=$((i + 1)); done >"$T/logs/app.log.1.gz"
rm -f "$T/one.gz"
cat >"$T/rules/sources.yaml" <<YAML
sources:
  - name: bomb
    kind: log
    files: ["$T/logs/app.log"]
    timeout: 2s
YAML
start=$(date +%s)
"$CASEFILE" collect --rules "$T/rules" --only bomb,uname -o "$T/out" -q >"$T/path" 2>"$T/err"
took=$(($(date +%s) - start))
b=$(cat "$T/path")
check "the collection ends in seconds, not minutes (took ${took}s)" test "$took" -lt 15
check "the bomb is cut at its time limit, and says so" sh -c \
	"tar xzOf '$b' --wildcards '*/manifest.json' | jq -e '.items[] | select((.origin // \"\") | test(\"app.log.1.gz\")) | .status == \"timeout\" and (.error | test(\"decompression bomb\"))'"
check "the live log is collected" sh -c "tar xzOf '$b' --wildcards '*/logs/app.log' | grep -q 'live log line'"
check "the other sources still are" sh -c "tar tzf '$b' | grep -q commands/uname"
