#!/bin/sh
# t0110: a real sosreport made here by Debian's "sos report --batch", with
# fault lines added, is read packed (.tar.xz) and unpacked
. tests/e2e/lib.sh

cache=$PWD/build/test-cache
if ! command -v sos >/dev/null 2>&1; then
	skip "sos is not installed"
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	skip "sos report needs root"
	exit 0
fi
if ! ls "$cache"/sosreport-*.tar.xz >/dev/null 2>&1; then
	mkdir -p "$cache"
	# networking too: t0215 cleans this sosreport of the host's addresses and MACs
	sos report --batch --quiet --tmp-dir "$cache" \
		-o kernel,filesys,memory,host,process,logs,systemd,networking >"$cache/sos.log" 2>&1
fi
sos=$(ls "$cache"/sosreport-*.tar.xz | head -n 1)
check "sos report produced a report" test -s "$sos"
mkdir -p "$T/x"
tar xJf "$sos" -C "$T/x"
top=$(ls "$T/x")
D=$T/x/$top
mkdir -p "$D/sos_commands/kernel" "$D/var/log"
cat >>"$D/sos_commands/kernel/dmesg" <<'LOG'
[ 9101.000001] sd 2:0:0:0: [sdb] tag#0 FAILED Result: hostbyte=DID_OK driverbyte=DRIVER_SENSE
[ 9101.000002] blk_update_request: I/O error, dev sdb, sector 2048 op 0x1:(WRITE) flags 0x800 phys_seg 1 prio class 0
[ 9101.500000] EXT4-fs (sdb1): Remounting filesystem read-only
LOG
(cd "$T/x" && tar cJf "$T/faulty.tar.xz" "$top")
"$CASEFILE" analyze --format json "$T/faulty.tar.xz" >"$T/r.json"
check "layout is detected as sosreport" sh -c "jq -e '.bundle.layout == \"sosreport\"' '$T/r.json'"
check "the host name comes from the sosreport" sh -c "jq -e '.bundle.hostname == \"$(cat "$D/sos_commands/host/hostname" 2>/dev/null || hostname)\"' '$T/r.json'"
check "I/O errors are the root cause" sh -c "jq -e '.root_causes[0] == \"block-io-error\"' '$T/r.json'"
check "the read-only remount is explained by them" sh -c \
	"jq -e '.findings[] | select(.rule == \"fs-remounted-readonly\") | .explained_by == [\"block-io-error\"]' '$T/r.json'"
check "evidence points into sos_commands/kernel/dmesg" sh -c \
	"jq -e '.findings[] | select(.rule == \"block-io-error\") | .evidence[0].path == \"sos_commands/kernel/dmesg\"' '$T/r.json'"
check "dmesg seconds since boot become wall time (btime from proc/stat)" sh -c \
	"jq -e '.findings[] | select(.rule == \"block-io-error\") | .first_seen | test(\"^20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T\")' '$T/r.json'"
check "the unpacked sosreport gives the same answer" sh -c \
	"'$CASEFILE' analyze --format json '$D' | jq -e '.bundle.layout == \"sosreport\" and .root_causes[0] == \"block-io-error\"'"

# sos's own notes: a plugin that ran out of time is a gap of the collection
mkdir -p "$T/smf/sos_reports" "$T/smf/sos_commands/kernel" "$T/smf/var/log"
echo '{"end_time": "2026-11-20 03:30:00.0", "components": {"report": {"plugins": {"kernel": {"timeout_hit": false}, "networking": {"timeout_hit": true}}}}}' \
	>"$T/smf/sos_reports/manifest.json"
echo "Nov 20 03:12:09 h kernel: Out of memory: Killed process 42 (java)" >"$T/smf/var/log/messages"
"$CASEFILE" analyze "$T/smf" --format json >"$T/smf.json"
check "a sos plugin that timed out is one gap of the collection" \
	jq -e '.bundle.gaps == ["sos plugin networking: timed out; what it collected is incomplete"]' "$T/smf.json"

# the same command output reached through two paths counts once
mkdir -p "$T/dup/sos_commands/filesys" "$T/dup/sos_reports"
printf 'Filesystem Size Used Avail Use%% Mounted on\n/dev/sda1 20G 19G 1G 99%% /\n' >"$T/dup/df"
cp "$T/dup/df" "$T/dup/sos_commands/filesys/df_-al_-x_autofs"
"$CASEFILE" analyze "$T/dup" --format json >"$T/dup.json"
check "sos's df at the top and in sos_commands/ is one line, not two" \
	jq -e '.findings[] | select(.rule == "disk-full") | .count == 1 and (.evidence | length) == 1' "$T/dup.json"
