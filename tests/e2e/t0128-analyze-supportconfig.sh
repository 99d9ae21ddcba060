#!/bin/sh
# t0128: a SUSE supportconfig (scc_*.txz and unpacked), read section by
# section: evidence as FILE:LINE, the zone from timedatectl, the host from
# the archive's name, a timed-out command as a gap of the collection
. tests/e2e/lib.sh

S=$T/scc_db1_261120_0330
mkdir -p "$S"
banner() { printf '#==[ %s ]======================================#\n# %s\n' "$1" "$2"; }
{
	banner Command /bin/date; echo 'Fri Nov 20 03:30:01 CET 2026'; echo
	banner Command '/bin/uname -a'; echo 'Linux db1 5.14.21-150500.55.39-default #1 SMP x86_64 GNU/Linux'; echo
} >"$S/basic-environment.txt"
{
	banner Command '/usr/bin/df -hT'
	echo 'Filesystem     Type      Size  Used Avail Use% Mounted on'
	echo '/dev/sda2      btrfs      40G   39G  1.0G  98% /'
	echo 'tmpfs          tmpfs     3.9G     0  3.9G   0% /dev/shm'
	echo
	banner Summary 'Basic Health Report'
	echo '/dev/sda3      xfs        40G   40G     0 100% /srv'
} >"$S/basic-health-check.txt"
{
	banner 'Log File' '/var/log/messages - Last 5000 Lines'
	echo '2026-11-20T03:12:09.118305+01:00 db1 kernel: [12345.678901] postgres invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0'
	echo '2026-11-20T03:12:09.118411+01:00 db1 kernel: [12345.679001] Out of memory: Killed process 4321 (postgres) total-vm:8123456kB, anon-rss:7900000kB, file-rss:0kB'
	echo '2026-11-20T03:12:10.002341+01:00 db1 systemd[1]: postgresql.service: Main process exited, code=killed, status=9/KILL'
	echo
	banner Command '/usr/bin/journalctl --no-pager --since today | grep -v audit'
	echo '2026-11-20T03:40:00+0100 db1 kernel: Out of memory: Killed process 999 (java) total-vm:1kB'
	echo
	banner 'Log File' '/var/log/warn - File not found'
	echo '2026-11-20T03:50:00+01:00 db1 kernel: Out of memory: Killed process 777 (ghost) total-vm:1kB'
} >"$S/messages.txt"
{
	banner Command '/usr/bin/timedatectl --no-pager status'
	echo '                Time zone: Europe/Berlin (CET, +0100)'
	echo
	banner Command '/usr/bin/systemd-analyze --no-pager blame'
	echo '# ERROR: Command did not complete within the timeout period.'
} >"$S/systemd.txt"
{
	banner Command '/usr/bin/dmesg -T'
	echo '[Fri Nov 20 03:12:09 2026] Out of memory: Killed process 4321 (postgres) total-vm:8123456kB, anon-rss:7900000kB, file-rss:0kB'
	echo '[Fri Nov 20 03:20:00 2026] Out of memory: Killed process 5555 (java) total-vm:1kB'
} >"$S/boot.txt"
echo 'not a section file' >"$S/notes.txt"
(cd "$T" && tar cJf scc_db1_261120_0330.txz scc_db1_261120_0330)

"$CASEFILE" analyze --format json "$T/scc_db1_261120_0330.txz" >"$T/r.json"
check "the layout is supportconfig" jq -e '.bundle.layout == "supportconfig"' "$T/r.json"
check "the host comes from the archive's name" jq -e '.bundle.hostname == "db1"' "$T/r.json"
check "the zone comes from timedatectl in systemd.txt" jq -e '.bundle.timezone == "Europe/Berlin"' "$T/r.json"
check "the OOM kill is the first root cause, the unit it killed under it" jq -e \
	'.root_causes[0] == "oom-kill" and (.findings[] | select(.rule == "unit-failed-signal") | .explained_by == ["oom-kill"])' "$T/r.json"
check "evidence is FILE:LINE of the supportconfig file, from messages and dmesg -T" jq -e \
	'[.findings[] | select(.rule == "oom-kill") | .evidence[] | "\(.path):\(.line)"] | length == 3 and index("boot.txt:4") != null and index("messages.txt:9") != null and ((index("boot.txt:3") != null) != (index("messages.txt:4") != null))' "$T/r.json"
check "the kill in dmesg -T (local time) and in messages (RFC 3339) is one kill, not two" jq -e \
	'.findings[] | select(.rule == "oom-kill") | .count == 3' "$T/r.json"
check "local times in Berlin in November are UTC+1 (dmesg -T and RFC 3339)" jq -e \
	'[.findings[] | select(.rule == "oom-kill") | .evidence[] | .time] | index("2026-11-20T02:12:09Z") != null and index("2026-11-20T02:20:00Z") != null' "$T/r.json"
check "the journal section (a command with a pipe) is read" jq -e \
	'.bundle.sources_found | index("journal") != null' "$T/r.json"
check "df -hT's type column is read: the 98% root file system is full" jq -e \
	'.findings[] | select(.rule == "disk-full") | .evidence[0].path == "basic-health-check.txt" and .evidence[0].line == 4' "$T/r.json"
check "a summary section is no source (its 100% line is not read)" jq -e \
	'[.findings[] | select(.rule == "disk-full") | .evidence[]] | length == 1' "$T/r.json"
check "a file not found has no content" jq -e \
	'[.findings[] | .evidence[] | .text | select(test("ghost"))] | length == 0' "$T/r.json"
check "a command that timed out is a gap of the collection" jq -e \
	'.bundle.gaps == ["supportconfig systemd.txt: '"'"'systemd-analyze --no-pager blame'"'"' timed out; its output is incomplete"]' "$T/r.json"
"$CASEFILE" analyze --format json "$S" >"$T/d.json"
check "the unpacked folder gives the same findings" sh -c \
	"jq -S '[.findings[] | {rule, count}]' '$T/r.json' >'$T/a' && jq -S '[.findings[] | {rule, count}]' '$T/d.json' >'$T/b' && cmp '$T/a' '$T/b' && jq -e '.bundle.layout == \"supportconfig\" and .bundle.hostname == \"db1\"' '$T/d.json'"
mv "$S" "$T/renamed"
"$CASEFILE" analyze --format json "$T/renamed" >"$T/n.json"
check "a renamed folder is recognised by its sections" jq -e \
	'.bundle.layout == "supportconfig" and .root_causes[0] == "oom-kill"' "$T/n.json"
(cd "$T" && mkdir -p t && mv renamed t/scc_db1_261120_0330 && cd t && tar cjf ../s.tbz scc_db1_261120_0330 && tar czf ../s.tgz scc_db1_261120_0330)
check "a .tbz supportconfig is read" sh -c "'$CASEFILE' analyze --format json '$T/s.tbz' | jq -e '.bundle.layout == \"supportconfig\" and .root_causes[0] == \"oom-kill\"'"
check "a .tgz supportconfig is read" sh -c "'$CASEFILE' analyze --format json '$T/s.tgz' | jq -e '.bundle.layout == \"supportconfig\" and .root_causes[0] == \"oom-kill\"'"
