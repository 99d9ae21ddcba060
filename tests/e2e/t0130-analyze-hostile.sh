#!/bin/sh
# t0130: hostile and broken input: one clear error, never a crash or a hang,
# memory bounded, the rest of the work goes on
. tests/e2e/lib.sh

# 2 GB of address space is plenty; AddressSanitizer needs far more to map
# shellcheck disable=SC3045 # dash and bash both have ulimit -v
case "$CASEFILE" in */asan/*) ;; *) ulimit -v 2000000 ;; esac
export ASAN_OPTIONS=exitcode=99:${ASAN_OPTIONS:-}
for f in "$SHARED"/archives/libarchive/*; do
	case "$f" in */COPYING|*/SOURCE) continue ;; esac
	name=$(basename "$f")
	timeout 30 "$CASEFILE" analyze --format json "$f" >"$T/o" 2>"$T/e"
	rc=$?
	check "$name: exits 0 or 3, no crash or hang" sh -c "[ $rc -eq 0 ] || [ $rc -eq 3 ]"
	if [ $rc -eq 3 ]; then
		check "$name: one error line naming the file" sh -c \
			"[ \$(grep -c 'error:' '$T/e') -eq 1 ] && grep -q '$name' '$T/e'"
	else
		check "$name: a valid JSON report" jq -e .schema "$T/o"
	fi
done

# a bundle cut in the middle: what was read is reported, exit 3
mkdir -p "$T/b/casefile-h-20261120T000000Z/var/log"
i=0
while [ $i -lt 20000 ]; do echo "Nov 20 03:00:00 h app[1]: filler line $i with some text"; i=$((i + 1)); done \
	>"$T/b/casefile-h-20261120T000000Z/var/log/aaa.log"
echo "Nov 20 03:12:09 h kernel: Out of memory: Killed process 99 (java) total-vm:1kB" \
	>"$T/b/casefile-h-20261120T000000Z/var/log/syslog"
cat "$T/b/casefile-h-20261120T000000Z/var/log/aaa.log" >"$T/b/casefile-h-20261120T000000Z/var/log/zzz.log"
(cd "$T/b" && tar czf "$T/full.tar.gz" casefile-h-20261120T000000Z/var/log/syslog \
	casefile-h-20261120T000000Z/var/log/aaa.log casefile-h-20261120T000000Z/var/log/zzz.log)
head -c $(($(stat -c %s "$T/full.tar.gz") * 2 / 3)) "$T/full.tar.gz" >"$T/cut.tar.gz"
"$CASEFILE" analyze --format json "$T/cut.tar.gz" >"$T/o" 2>"$T/e"
check "a truncated bundle exits 3" test $? -eq 3
check "the error names the bundle and says why" grep -q 'cut.tar.gz: .*\(truncated\|Truncated\|unexpected\|Damaged\|EOF\)' "$T/e"
check "what was read before the cut is reported" sh -c \
	"jq -e '.root_causes[0] == \"oom-kill\" and .bundle.complete == false' '$T/o'"

# a decompression bomb: 1 GB of zeros in a ~1 MB bundle
mkdir -p "$T/bomb/var/log"
( cd "$T/bomb" && yes 'Nov 20 03:00:00 h app[1]: the same line again and again' |
	head -c 1073741824 | gzip -1 >var/log/syslog.1.gz )
( cd "$T/bomb" && tar czf "$T/bomb.tar.gz" var )
"$CASEFILE" analyze --max-total-size 64M --format json "$T/bomb.tar.gz" >"$T/o" 2>"$T/e"
check "bomb: the total cap stops the walk (exit 3)" test $? -eq 3
check "bomb: the message says which cap was hit" grep -q "total decompressed size cap (67108864 bytes) was reached in 'var/log/syslog.1.gz'" "$T/e"
"$CASEFILE" analyze --max-member-size 16M --format json "$T/bomb.tar.gz" >"$T/o" 2>"$T/e"
check "bomb: the member cap skips the member, the walk goes on" test $? -eq 0
check "bomb: the member cap is noted in the report" sh -c \
	"jq -r '.bundle.notes[]' '$T/o' | grep -q 'syslog.1.gz: member decompressed size cap (16777216 bytes) reached'"

# binary members, megabyte lines, invalid UTF-8, CRLF
D=$T/odd
mkdir -p "$D/var/log"
head -c 100000 /dev/urandom >"$D/var/log/messages"
{ head -c 3000000 /dev/zero | tr '\0' 'x'; echo; echo "Nov 20 03:12:09 h kernel: Out of memory: Killed process 7 (app) total-vm:1kB"; } >"$D/var/log/syslog"
printf 'Nov 20 03:12:09 h kernel: Out of memory: Killed process 8 (caf\351\377) total-vm:1kB\r\n' >"$D/var/log/kern.log"
"$CASEFILE" analyze --format json "$D" >"$T/o" 2>"$T/e"
check "odd input: exit 0" test $? -eq 0
check "odd input: the binary member is skipped with a note" sh -c \
	"jq -r '.bundle.notes[]' '$T/o' | grep -q 'var/log/messages: binary content, skipped'"
check "odd input: a 3 MB line is cut, the next line still counts" sh -c \
	"jq -e '.findings[] | select(.rule == \"oom-kill\") | .count == 2' '$T/o'"
check "odd input: the cut is noted" sh -c "jq -r '.bundle.notes[]' '$T/o' | grep -q 'line longer than'"
check "odd input: invalid UTF-8 becomes valid JSON text" sh -c \
	"jq -r '.findings[].evidence[].text' '$T/o' | grep -q 'caf'"
i=0; while [ $i -lt 300 ]; do echo "Nov 20 03:10:00 h kernel: before the crash $i"; i=$((i + 1)); done >"$D/var/log/kern.log.1"
head -c 4096 /dev/zero >>"$D/var/log/kern.log.1"
printf '\nNov 20 03:12:09 h kernel: Out of memory: Killed process 9 (db) total-vm:1kB\n' >>"$D/var/log/kern.log.1"
"$CASEFILE" analyze --format json "$D" >"$T/o" 2>"$T/e"
check "odd input: a log with a run of NULs (after a crash) is still read" sh -c \
	"jq -e '.findings[] | select(.rule == \"oom-kill\") | .count == 3' '$T/o'"
check "odd input: the line number after a long line is right" sh -c \
	"jq -e '[.findings[].evidence[] | select(.path == \"var/log/syslog\") | .line] == [2]' '$T/o'"

# a FIFO given as the bundle must not block
mkfifo "$T/fifo"
timeout 10 "$CASEFILE" analyze "$T/fifo" >/dev/null 2>"$T/e"
rc=$?
check "a FIFO is refused at once, not waited on" sh -c "[ $rc -eq 3 ] && grep -q 'not a regular file or a directory' '$T/e'"

# run a command, its peak RSS into $T/rss for the log (never asserted: it varies)
rss() {
	: >"$T/rss"
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f "# peak RSS %M KB" -o "$T/rss" "$@"
	else
		"$@"
	fi
}

# a metadata flood: an 8 KB bundle whose manifest is 8 MB of "", (jansson would
# hold 2.8 million strings, 264 MB): counted before parsing, refused with a note
python3 - "$T/flood.tar.gz" <<'PY'
import io, sys, tarfile
t = tarfile.open(sys.argv[1], "w:gz")
def add(name, data):
    ti = tarfile.TarInfo("casefile-h-20261120T000000Z/" + name); ti.size = len(data)
    t.addfile(ti, io.BytesIO(data))
add("casefile/manifest.json", b'{"host": "h", "items": [' + b'"",' * 2796000 + b'""]}')
add("var/log/syslog", b"Nov 20 03:12:09 h kernel: Out of memory: Killed process 99 (java) total-vm:1kB\n")
t.close()
PY
rss "$CASEFILE" analyze --format json "$T/flood.tar.gz" >"$T/o" 2>"$T/e"
sed 's/^# /# analyze of the manifest flood: /' "$T/rss"
check "a flood of strings in the manifest: exit 0, the rest still analyzed" sh -c \
	"jq -e '.root_causes == [\"oom-kill\"]' '$T/o'"
check "the flood is refused with what and why" sh -c \
	"jq -r '.bundle.notes[]' '$T/o' | grep -qx 'casefile/manifest.json: more than 250000 strings in it; not read as metadata'"

# one invalid UTF-8 byte in the manifest: replaced, everything else kept
python3 - "$T/utf8.tar.gz" <<'PY'
import io, sys, tarfile
t = tarfile.open(sys.argv[1], "w:gz")
def add(name, data):
    ti = tarfile.TarInfo("casefile-db1-20261120T000000Z/" + name); ti.size = len(data)
    t.addfile(ti, io.BytesIO(data))
add("casefile/manifest.json", b'{"host": "db1", "ticket": "T-7", "problem": "slow caf\xe9 app", '
    b'"items": [{"source": "dmesg", "status": "timeout", "error": "killed"}]}')
add("var/log/syslog", b"Nov 20 03:12:09 db1 kernel: Out of memory: Killed process 9 (db) total-vm:1kB\n")
t.close()
PY
"$CASEFILE" analyze --format json "$T/utf8.tar.gz" >"$T/o" 2>"$T/e"
check "invalid UTF-8 in the manifest: host, ticket and gaps are kept" \
	jq -e '.bundle.hostname == "db1" and .bundle.ticket == "T-7" and .bundle.gaps == ["dmesg: timeout: killed"]' "$T/o"
check "and the bad byte becomes U+FFFD in the problem" jq -e '.bundle.problem == "slow caf\ufffd app"' "$T/o"

# a rotated log whose gzip CRC is wrong: its lines are analyzed, the report says
# it was read only in part (complete: false, where reading stopped), exit 3
python3 - "$T/crc.tar.gz" <<'PY'
import gzip, io, sys, tarfile
t = tarfile.open(sys.argv[1], "w:gz")
def add(name, data):
    ti = tarfile.TarInfo("casefile-h-20261120T000000Z/" + name); ti.size = len(data)
    t.addfile(ti, io.BytesIO(data))
text = b"".join(b"Nov 20 03:00:00 h app[1]: line %d\n" % i for i in range(2000))
text += b"Nov 20 03:12:09 h kernel: Out of memory: Killed process 42 (java) total-vm:1kB\n"
g = bytearray(gzip.compress(text)); g[-8] ^= 0x55
add("casefile/manifest.json", b'{"host": "h", "items": []}')
add("var/log/syslog.1.gz", bytes(g))
add("var/log/syslog", b"Nov 20 03:30:00 h app[1]: all quiet\n")
t.close()
PY
"$CASEFILE" analyze --format json "$T/crc.tar.gz" >"$T/o" 2>"$T/e"
check "a member with a bad gzip CRC: exit 3, never an all-clear" test $? -eq 3
check "its lines before the damage are analyzed" jq -e '.root_causes == ["oom-kill"]' "$T/o"
check "the report is not complete and names the member, line and byte" jq -e \
	'.bundle.complete == false and (.bundle.read_error | test("var/log/syslog.1.gz: gzip data damaged: incorrect data check after line 2001 \\(byte [0-9]+ of its text\\)"))' "$T/o"
check "the error on stderr says so too" grep -q "crc.tar.gz: 1 member read only in part: var/log/syslog.1.gz" "$T/e"
for fmt in text md html; do
	"$CASEFILE" analyze --format $fmt "$T/crc.tar.gz" >"$T/o.$fmt" 2>/dev/null
	check "$fmt: the report says reading stopped early in var/log/syslog.1.gz" sh -c \
		"grep -i 'reading stopped early' '$T/o.$fmt' | grep -q 'syslog.1.gz'"
done
