#!/bin/sh
# t0120: a plain directory shaped like a host's files; rotated .gz logs,
# CRLF and years inferred for syslog times
. tests/e2e/lib.sh

D=$T/host
mkdir -p "$D/var/log"
printf 'Nov 20 03:00:00 web1 kernel: nfs: server filer01 not responding, still trying\r\n' >"$D/var/log/syslog"
printf 'Nov 20 03:05:00 web1 kernel: INFO: task php-fpm:2222 blocked for more than 120 seconds.\r\n' >>"$D/var/log/syslog"
printf 'Nov 19 01:00:00 web1 kernel: nfs: server filer01 not responding, still trying\n' | gzip >"$D/var/log/syslog.2.gz"
touch -d '2026-11-21 00:00:00' "$D/var/log/syslog" "$D/var/log/syslog.2.gz"
"$CASEFILE" analyze --format json "$D" >"$T/r.json"
check "layout is a plain directory" sh -c "jq -e '.bundle.layout == \"directory\"' '$T/r.json'"
check "NFS is the root cause, the hung task its symptom" sh -c \
	"jq -e '.root_causes == [\"nfs-server-not-responding\"] and (.findings[] | select(.rule == \"hung-task\") | .explained_by == [\"nfs-server-not-responding\"])' '$T/r.json'"
check "the rotated .gz log was read" sh -c \
	"jq -e '.findings[] | select(.rule == \"nfs-server-not-responding\") | .count == 2' '$T/r.json'"
check "syslog times get the year of the file" sh -c \
	"jq -e '.findings[] | select(.rule == \"nfs-server-not-responding\") | .first_seen == \"2026-11-19T01:00:00Z\"' '$T/r.json'"
check "CRLF does not end up in the evidence" sh -c \
	"! jq -r '.findings[].evidence[].text' '$T/r.json' | grep -q \"\$(printf '\\r')\""
printf 'Nov 20 03:06:00 web1 kernel: nfs: server filer01 OK\n' >>"$D/var/log/syslog"
check "a server that came back still explains what hung meanwhile" sh -c \
	"'$CASEFILE' analyze --format json '$D' | jq -e '.root_causes == [\"nfs-server-not-responding\"]'"

# the report opens with what was read
mkdir -p "$T/cov/var/log"
echo "Nov 20 03:12:09 h kernel: Out of memory: Killed process 42 (java) total-vm:1kB" >"$T/cov/var/log/kern.log"
echo "unrelated" >"$T/cov/notes.txt"
"$CASEFILE" analyze "$T/cov" --format json >"$T/cov.json"
check "coverage: files read of those in the bundle" jq -e '.bundle.members == 2 and .bundle.members_read == 1' "$T/cov.json"
check "coverage: the sources found and those missing" \
	jq -e '(.bundle.sources_found | index("kern_log")) and (.bundle.sources_missing | index("journal"))' "$T/cov.json"
check "coverage: rules that could not run are named" \
	jq -e '.bundle.rules_not_run | index("disk-full")' "$T/cov.json"
"$CASEFILE" analyze "$T/cov" >"$T/cov.txt"
check "the text report opens with it" sh -c "sed -n 3p '$T/cov.txt' | grep -q '^coverage:   read 1 of 2 files'"

# the host's name: etc/hostname when nothing better names it; what hostname
# printed (sos keeps it) wins whichever comes first
mkdir -p "$T/name/etc" "$T/name/var/log"
printf 'web7 \n' >"$T/name/etc/hostname"
cp "$T/cov/var/log/kern.log" "$T/name/var/log/"
"$CASEFILE" analyze "$T/name" --format json >"$T/name.json"
check "etc/hostname names a directory's host" jq -e '.bundle.hostname == "web7"' "$T/name.json"
mkdir -p "$T/name/sos_commands/host"
echo web7.example.com >"$T/name/sos_commands/host/hostname"
"$CASEFILE" analyze "$T/name" --format json >"$T/name2.json"
check "sos's hostname output wins over etc/hostname" jq -e '.bundle.hostname == "web7.example.com"' "$T/name2.json"
