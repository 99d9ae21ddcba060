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
