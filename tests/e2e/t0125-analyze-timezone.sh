#!/bin/sh
# t0125: local times are converted with the host's zone from the bundle;
# times with an offset are taken as written; without a zone it says so
. tests/e2e/lib.sh

oom() { echo "$1 db1 kernel: Out of memory: Killed process 42 (java) total-vm:1kB"; }
first() { jq -r '.findings[0].first_seen' "$1"; }

mkdir -p "$T/a/etc" "$T/a/var/log"
echo "Europe/Berlin" >"$T/a/etc/timezone"
oom "Nov 20 03:12:09" >"$T/a/var/log/kern.log"
touch -d 2026-11-21 "$T/a/var/log/kern.log"
"$CASEFILE" analyze "$T/a" --format json >"$T/a.json"
check "Berlin in November: 03:12:09 local is 02:12:09Z" test "$(first "$T/a.json")" = 2026-11-20T02:12:09Z
check "the report names the zone" jq -e '.bundle.timezone == "Europe/Berlin"' "$T/a.json"

mkdir -p "$T/b/sos_commands/systemd" "$T/b/var/log"
printf '               Local time: Mon 2026-07-20 03:12:09 CEST\n                Time zone: Europe/Berlin (CEST, +0200)\n' \
	>"$T/b/sos_commands/systemd/timedatectl"
oom "Jul 20 03:12:09" >"$T/b/var/log/messages"
touch -d 2026-07-21 "$T/b/var/log/messages"
"$CASEFILE" analyze "$T/b" --format json >"$T/b.json"
check "a sosreport's timedatectl gives the zone; summer time: 01:12:09Z" \
	test "$(first "$T/b.json")" = 2026-07-20T01:12:09Z

mkdir -p "$T/c/etc" "$T/c/var/log"
echo "America/New_York" >"$T/c/etc/timezone"
echo "2026-11-20T03:12:09+01:00 db1 kernel: Out of memory: Killed process 42 (java)" >"$T/c/var/log/kern.log"
"$CASEFILE" analyze "$T/c" --format json >"$T/c.json"
check "an RFC 3339 offset is honoured whatever the zone" test "$(first "$T/c.json")" = 2026-11-20T02:12:09Z

mkdir -p "$T/d/var/log"
oom "Nov 20 03:12:09" >"$T/d/var/log/kern.log"
touch -d 2026-11-21 "$T/d/var/log/kern.log"
"$CASEFILE" analyze "$T/d" >"$T/d.txt"
check "without a zone the report says local times are shown as if UTC" \
	grep -q "not in the bundle: local times in the logs are shown as if UTC" "$T/d.txt"

mkdir -p "$T/e/etc" "$T/e/var/log"
echo "../../../../etc/shadow" >"$T/e/etc/timezone"
oom "Nov 20 03:12:09" >"$T/e/var/log/kern.log"
touch -d 2026-11-21 "$T/e/var/log/kern.log"
"$CASEFILE" analyze "$T/e" --format json >"$T/e.json"
check "a zone that is a path is not used" test "$(first "$T/e.json")" = 2026-11-20T03:12:09Z

# the timeline: every event on one axis in UTC, the host's local time beside it
"$CASEFILE" analyze "$T/a" >"$T/a.txt"
check "the text timeline shows UTC and the local time" \
	grep -q '2026-11-20T02:12:09Z  2026-11-20 03:12:09 CET  oom-kill' "$T/a.txt"
check "the JSON timeline carries both" \
	jq -e '.timeline[0] | .time == "2026-11-20T02:12:09Z" and .local_time == "2026-11-20 03:12:09 CET"' "$T/a.json"
"$CASEFILE" analyze "$T/a" --format md >"$T/a.md"
check "Markdown has the timeline table" grep -q '^| 2026-11-20T02:12:09Z | 2026-11-20 03:12:09 CET | `oom-kill` |' "$T/a.md"
"$CASEFILE" analyze "$T/a" --format html >"$T/a.html"
check "HTML has the visual timeline" grep -q '<div class="tl">' "$T/a.html"

# /etc/localtime as the host keeps it: a copy of the compiled zone is read
# by the POSIX rule at its end (tzfile(5)), a link by its target, never followed
mkdir -p "$T/f/etc" "$T/f/var/log"
{ printf 'TZif2'; head -c 200 /dev/zero; printf '\nCET-1CEST,M3.5.0,M10.5.0/3\n'; } >"$T/f/etc/localtime"
oom "Nov 20 03:12:09" >"$T/f/var/log/kern.log"
touch -d 2026-11-21 "$T/f/var/log/kern.log"
"$CASEFILE" analyze "$T/f" --format json >"$T/f.json"
check "a TZif copy at etc/localtime: its rule converts 03:12:09 CET to 02:12:09Z" \
	test "$(first "$T/f.json")" = 2026-11-20T02:12:09Z
check "the report names the rule as the zone" \
	jq -e '.bundle.timezone == "CET-1CEST,M3.5.0,M10.5.0/3"' "$T/f.json"

mkdir -p "$T/g/etc" "$T/g/var/log"
printf 'TZif1' >"$T/g/etc/localtime"
head -c 200 /dev/zero >>"$T/g/etc/localtime"
oom "Nov 20 03:12:09" >"$T/g/var/log/kern.log"
touch -d 2026-11-21 "$T/g/var/log/kern.log"
"$CASEFILE" analyze "$T/g" --format json >"$T/g.json"
check "a TZif file without a rule gives no zone, and says why" \
	jq -e '.bundle.timezone == null and (.bundle.notes | map(select(test("etc/localtime: a compiled time zone without a rule"))) | length == 1)' "$T/g.json"

# a sosreport keeps etc/localtime as a link (sos makes it relative; an
# absolute one is read the same): the target names the zone
S="$T/h/sosreport-db1-2026-11-21-abcdef"
mkdir -p "$S/etc" "$S/var/log" "$S/sos_commands/host" "$S/sos_reports"
ln -s ../usr/share/zoneinfo/Asia/Kolkata "$S/etc/localtime"
echo db1.example.com >"$S/sos_commands/host/hostname"
ln -s sos_commands/host/hostname "$S/hostname"
echo '{}' >"$S/sos_reports/manifest.json"
oom "Nov 20 03:12:09" >"$S/var/log/messages"
touch -d 2026-11-21 "$S/var/log/messages"
tar -C "$T/h" -cJf "$T/h.tar.xz" "$(basename "$S")"
"$CASEFILE" analyze "$T/h.tar.xz" --format json >"$T/h.json"
check "a sosreport's etc/localtime link gives Asia/Kolkata: 03:12:09 IST is 21:42:09Z the day before" \
	test "$(first "$T/h.json")" = 2026-11-19T21:42:09Z
check "the zone is the link's name" jq -e '.bundle.timezone == "Asia/Kolkata"' "$T/h.json"
ln -sfn /usr/share/zoneinfo/../../../etc/shadow "$S/etc/localtime"
tar -C "$T/h" -cJf "$T/h2.tar.xz" "$(basename "$S")"
"$CASEFILE" analyze "$T/h2.tar.xz" --format json >"$T/h2.json"
check "a link that climbs out gives no zone" jq -e '.bundle.timezone == null' "$T/h2.json"
