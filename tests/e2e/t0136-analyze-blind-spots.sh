#!/bin/sh
# t0136: input that used to read as "no problem found" is read right or is an
# error: a cpio without a slash on its top folder, a gzip with a bad CRC, an
# ISO renamed .tar.gz, nothing that is a source; bombs stop early with a note
. tests/e2e/lib.sh

oom='Nov 20 03:12:09 h kernel: Out of memory: Killed process 42 (java) total-vm:1kB'

# cpio (newc) written by hand: folder entries carry no trailing '/'
/usr/bin/python3 - "$T/t.cpio" "$oom" <<'PY'
import sys
def entry(name, data, mode):
    nb = name.encode() + b'\0'
    h = '070701' + ''.join('%08x' % v for v in
        [1, mode, 0, 0, 1, 1795000000, len(data), 0, 0, 0, 0, len(nb), 0])
    out = h.encode() + nb
    out += b'\0' * (-len(out) % 4) + data + b'\0' * (-len(data) % 4)
    return out
log = (sys.argv[2] + '\n').encode()
b = b''.join([entry('sosreport-h1', b'', 0o40755), entry('sosreport-h1/var', b'', 0o40755),
              entry('sosreport-h1/var/log', b'', 0o40755),
              entry('sosreport-h1/var/log/kern.log', log, 0o100644),
              entry('TRAILER!!!', b'', 0)])
open(sys.argv[1], 'wb').write(b + b'\0' * (-len(b) % 512))
PY
"$CASEFILE" analyze "$T/t.cpio" --format json >"$T/cpio.json" 2>"$T/cpio.err"
check "a cpio whose top folder has no slash is read" \
	jq -e '.bundle.members_read == 1 and .root_causes == ["oom-kill"] and .bundle.layout == "sosreport"' "$T/cpio.json"

mkdir -p "$T/g/var/log"
echo "$oom" >"$T/g/var/log/kern.log"
tar czf "$T/g.tar.gz" -C "$T/g" var
/usr/bin/python3 -c "
import sys
d = bytearray(open(sys.argv[1], 'rb').read()); d[-8] ^= 0xff
open(sys.argv[2], 'wb').write(d)" "$T/g.tar.gz" "$T/bad.tar.gz"
"$CASEFILE" analyze "$T/bad.tar.gz" >/dev/null 2>"$T/crc.err"
check "a gzip with a bad CRC is an error (exit 3)" test $? -eq 3
check "... that says so" grep -q "incorrect data check" "$T/crc.err"
"$CASEFILE" analyze "$T/g.tar.gz" >/dev/null 2>&1
check "the same archive intact reads (exit 0)" test $? -eq 0

# an ISO 9660 image starts with 32 KiB of zeros: tar takes that for an empty archive
{ head -c 32768 /dev/zero; printf '\001CD001\001'; head -c 2041 /dev/zero; } >"$T/disk.tar.gz"
"$CASEFILE" analyze "$T/disk.tar.gz" >/dev/null 2>"$T/iso.err"
check "an ISO renamed .tar.gz is an error (exit 3)" test $? -eq 3
check "... naming what was found" grep -q "no files in it" "$T/iso.err"

mkdir -p "$T/empty" "$T/other/photos"
echo x >"$T/other/photos/cat.jpg"
"$CASEFILE" analyze "$T/empty" >"$T/empty.out" 2>"$T/empty.err"
check "an empty folder is an error, not an all-clear" sh -c "test $? -eq 3 && ! grep -q 'No known problem' '$T/empty.out'"
"$CASEFILE" analyze "$T/other" >/dev/null 2>"$T/other.err"
check "files that are no source are an error that counts them" \
	grep -q "none of its 1 files is a source casefile knows" "$T/other.err"

# a log whose head a crash filled with NULs is still read
mkdir -p "$T/nul/var/log"
{ head -c 65536 /dev/zero; echo; echo "$oom"; } >"$T/nul/var/log/kern.log"
"$CASEFILE" analyze "$T/nul" --format json >"$T/nul.json" 2>&1
check "a log with 64 KB of NULs at its head is read" jq -e '.root_causes == ["oom-kill"]' "$T/nul.json"

# a bomb inside: 300 MB of zeros in a rotated log of a few hundred KB
mkdir -p "$T/bomb/var/log"
echo "$oom" >"$T/bomb/var/log/kern.log"
yes "Nov 20 03:12:09 h app[1]: the same line again and again" | head -c 300000000 | gzip -9 >"$T/bomb/var/log/kern.log.1.gz"
"$CASEFILE" analyze "$T/bomb" --format json >"$T/bomb.json" 2>&1
check "a decompression bomb in a member is cut, with a note" \
	jq -e '.bundle.notes | map(select(test("inflates more than 200 times"))) | length == 1' "$T/bomb.json"
check "and the rest of the bundle still counts" jq -e '.root_causes == ["oom-kill"]' "$T/bomb.json"

# a manifest that is a flood of empty objects
mkdir -p "$T/flood/casefile" "$T/flood/var/log"
echo "$oom" >"$T/flood/var/log/kern.log"
{ printf '{"host": "h", "items": ['; head -c 2000000 /dev/zero | tr '\0' 'x' | sed 's/x/{},/g'; printf '{}]}'; } \
	>"$T/flood/casefile/manifest.json"
"$CASEFILE" analyze "$T/flood" --format json >"$T/flood.json" 2>&1
check "a manifest flooded with objects is not loaded, with a note" \
	jq -e '.bundle.notes | map(select(test("more than [0-9]+ objects in it; not read as metadata"))) | length >= 1' "$T/flood.json"
