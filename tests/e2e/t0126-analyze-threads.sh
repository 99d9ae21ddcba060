#!/bin/sh
# t0126: one input searched by several threads (-j) gives the very report
# one thread gives: blocks are searched at once and applied in order
. tests/e2e/lib.sh

C=$T/host
mkdir -p "$C/var/log" "$C/commands"
awk -v seed=42 -v mb=12 -v kind=syslog -f tools/gen-corpus.awk >"$C/var/log/syslog"
awk -v seed=43 -v mb=4 -v kind=kern -f tools/gen-corpus.awk >"$C/var/log/kern.log"
awk -v seed=45 -v mb=4 -v kind=journal -f tools/gen-corpus.awk >"$C/commands/journal"
(cd "$T" && tar czf host.tar.gz host)
for j in 1 2 4; do
	"$CASEFILE" analyze --format json -j $j "$C" >"$T/dir.$j.json"
	"$CASEFILE" analyze --format json -j $j "$T/host.tar.gz" >"$T/tgz.$j.json"
done
check "the corpus has findings to compare" sh -c "jq -e '.findings | length > 3' '$T/dir.1.json'"
check "a directory: -j 2 and -j 4 give the report of -j 1, byte for byte" sh -c \
	"cmp '$T/dir.1.json' '$T/dir.2.json' && cmp '$T/dir.1.json' '$T/dir.4.json'"
check "a .tar.gz: the same" sh -c "cmp '$T/tgz.1.json' '$T/tgz.2.json' && cmp '$T/tgz.1.json' '$T/tgz.4.json'"
