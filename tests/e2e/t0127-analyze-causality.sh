#!/bin/sh
# t0127: causes explain symptoms through the things they share and their
# order in time, not only through their categories
. tests/e2e/lib.sh

mk() { # mk DIR: a host tree with a kern.log and a syslog dated Nov 2026
	mkdir -p "$1/var/log" "$1/etc"
	echo "Etc/UTC" >"$1/etc/timezone"
	: >"$1/var/log/kern.log"
	: >"$1/var/log/syslog"
}
oom='db1 kernel: Out of memory: Killed process 4321 (postgres) total-vm:8123456kB, anon-rss:7900000kB'

mk "$T/same"
echo "Nov 20 03:12:09 $oom" >"$T/same/var/log/kern.log"
echo "Nov 20 03:12:10 db1 systemd[1]: postgresql@15-main.service: Main process exited, code=killed, status=9/KILL" \
	>"$T/same/var/log/syslog"
touch -d 2026-11-21 "$T/same/var/log/kern.log" "$T/same/var/log/syslog"
"$CASEFILE" analyze "$T/same" --format json >"$T/same.json"
check "the OOM-killed process's own unit is its symptom" jq -e \
	'.root_causes == ["oom-kill"] and (.findings[] | select(.rule == "unit-failed-signal") | .explained_by == ["oom-kill"])' "$T/same.json"
check "findings carry their entities" jq -e \
	'(.findings[] | select(.rule == "oom-kill") | .entities.process == ["postgres"]) and (.findings[] | select(.rule == "unit-failed-signal") | .entities.unit == ["postgresql@15-main.service"])' "$T/same.json"

mk "$T/other"
echo "Nov 20 03:12:09 $oom" >"$T/other/var/log/kern.log"
echo "Nov 20 03:12:10 db1 systemd[1]: nginx.service: Main process exited, code=killed, status=11/SEGV" \
	>"$T/other/var/log/syslog"
touch -d 2026-11-21 "$T/other/var/log/kern.log" "$T/other/var/log/syslog"
"$CASEFILE" analyze "$T/other" --format json >"$T/other.json"
check "another unit dying at the same time is not put under the OOM kill" jq -e \
	'(.root_causes | index("unit-failed-signal")) and (.findings[] | select(.rule == "unit-failed-signal") | .explained_by == [])' "$T/other.json"

mk "$T/late"
echo "Nov 20 03:12:09 $oom" >"$T/late/var/log/kern.log"
echo "Nov 20 09:40:00 db1 systemd[1]: postgresql@15-main.service: Main process exited, code=killed, status=9/KILL" \
	>"$T/late/var/log/syslog"
touch -d 2026-11-21 "$T/late/var/log/kern.log" "$T/late/var/log/syslog"
"$CASEFILE" analyze "$T/late" --format json >"$T/late.json"
check "a failure hours after the OOM kill is not its symptom" jq -e \
	'.findings[] | select(.rule == "unit-failed-signal") | .explained_by == []' "$T/late.json"

mk "$T/io"
printf 'Nov 20 03:12:09 db1 kernel: blk_update_request: I/O error, dev sdb, sector 123456 op 0x1:(WRITE) flags 0x0 phys_seg 1 prio class 0\n' >"$T/io/var/log/kern.log"
printf 'Nov 20 03:12:20 db1 kernel: EXT4-fs error (device sdb1): ext4_journal_check_start:83: comm kworker: Detected aborted journal\nNov 20 03:12:21 db1 kernel: EXT4-fs error (device sdc1): ext4_find_entry:1463: inode #2: comm ls: reading directory lblock 0\n' >>"$T/io/var/log/kern.log"
touch -d 2026-11-21 "$T/io/var/log/kern.log"
"$CASEFILE" analyze "$T/io" --format json >"$T/io.json"
check "I/O errors on sdb explain the file system errors of sdb1 (a partition of it)" jq -e \
	'.findings[] | select(.rule == "block-io-error") | .explains | index("ext4-fs-error")' "$T/io.json"
