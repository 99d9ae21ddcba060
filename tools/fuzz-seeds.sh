#!/bin/sh
# Seed corpora for the libFuzzer targets (make fuzz), from the project's own
# data and the shared test material, into build/fuzz/corpus/TARGET/.
set -eu
cd "$(dirname "$0")/.."
C=build/fuzz/corpus
SHARED=../shared/data
rm -rf "$C"
mkdir -p "$C/rule" "$C/catalog" "$C/timestamp" "$C/redact" "$C/bundle" "$C/claims" "$C/table"
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
# a shape of each table kind (as Linux and the tools print them)
printf 'MemTotal:       16315876 kB\nMemAvailable:     412088 kB\n' >"$C/table/meminfo"
printf 'Tcp: RtoAlgorithm OutSegs RetransSegs\nTcp: 1 58021004 3481260\n' >"$C/table/snmp"
printf 'TCP: inuse 5 orphan 0 tw 0 alloc 7 mem 1\nsome avg10=0.00 total=0\n' >"$C/table/pairs"
printf '2: eth0: <UP> mtu 1500 master bond0 state UP\n    RX:  bytes packets errors\n 1 2 3\n' >"$C/table/iplink"
printf '  LV     VG   Attr       LSize   Pool Origin Data%%  Meta%%\n  pool00 rhel twi-aotz-- <37.70g             96.83  11.62\n' >"$C/table/lvs"
printf 'ii  openssh-server 1:9.2p1-2+deb12u3 amd64 x\nopenssh-8.7p1-38.el9_4.1.x86_64 Tue\n4097\n' >"$C/table/packages"
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
