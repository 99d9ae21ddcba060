#!/bin/sh
# Seed corpora for the libFuzzer targets (make fuzz), from the project's own
# data and the shared test material, into build/fuzz/corpus/TARGET/.
set -eu
cd "$(dirname "$0")/.."
C=build/fuzz/corpus
SHARED=../shared/data
rm -rf "$C"
mkdir -p "$C/rule" "$C/catalog" "$C/timestamp" "$C/redact" "$C/bundle" "$C/claims"
for f in rules/*/*.yaml; do cp "$f" "$C/rule/"; done
cp rules/sources.yaml rules/categories.yaml "$C/catalog/"
cp tests/redact/secrets/* tests/redact/ordinary/* "$C/redact/"
i=0
for f in "$SHARED"/logs/lnav/logfile_*; do
	i=$((i + 1))
	head -c 300 "$f" | head -n 2 >"$C/timestamp/line$i"
done
printf '%s\n' var/log/syslog.2.gz sos_commands/kernel/dmesg commands/df \
	'var/log/messages-20261120' proc/stat casefile/manifest.json | while read -r p; do
	i=$((i + 1))
	printf '%s' "$p" >"$C/claims/path$i"
done
# a small bundle of each kind, and libarchive's hostile archives
d=$(mktemp -d)
mkdir -p "$d/casefile-h-20261120T031209Z/var/log" "$d/casefile-h-20261120T031209Z/casefile"
echo 'Nov 20 03:12:09 h kernel: Out of memory: Killed process 42 (java)' \
	>"$d/casefile-h-20261120T031209Z/var/log/kern.log"
echo '{"host": "h", "items": []}' >"$d/casefile-h-20261120T031209Z/casefile/manifest.json"
tar czf "$C/bundle/casefile.tar.gz" -C "$d" casefile-h-20261120T031209Z
tar cf "$C/bundle/plain.tar" -C "$d" casefile-h-20261120T031209Z
rm -rf "$d"
for f in "$SHARED"/archives/libarchive/test_*; do cp "$f" "$C/bundle/"; done
echo "fuzz: seed corpora in $C"
