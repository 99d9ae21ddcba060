#!/bin/sh
# t0090: the static binary needs no library on the host, collects, analyzes
# and cleans, is small (no libxml2, no ICU) and says what is inside it
. tests/e2e/lib.sh

S=$PWD/build/static/casefile
case "$CASEFILE" in */asan/*) skip "static binary is checked once"; exit 0 ;; esac
if [ ! -x "$S" ]; then
	echo "not ok 1 - build/static/casefile was not built (make static)"
	exit 1
fi
check "the static binary has no dynamic section" sh -c "! readelf -d '$S' | grep -q NEEDED"
check "it has no program interpreter" sh -c "! readelf -l '$S' | grep -q 'program interpreter'"
mkdir -p "$T/out"
check "it collects" sh -c "'$S' collect -o '$T/out' -q >'$T/p' && tar tzf \$(cat '$T/p') >/dev/null"
check "its bundle verifies" verify_bundle "$(cat "$T/p")"
check "its rule library is complete" "$S" rules test
check "it analyzes its bundle" sh -c \
	"'$S' analyze --format json \$(cat '$T/p') | jq -e '.bundle.layout == \"casefile\" and .rules_run > 0'"
check "it cleans its bundle" sh -c \
	"'$S' clean -q -o '$T/out' \$(cat '$T/p') >'$T/c' && tar tzf \$(cat '$T/c') >/dev/null"
# bundles are read by one reader (intake.h) of tar, cpio, zip and 7-Zip;
# xar, whose libarchive reader needs libxml2, is none of them, and the
# static link leaves that reader out (Makefile). A one-file xar (header,
# zlib TOC, heap): both binaries say they cannot read it, exit 3
python3 - "$T/x.xar" <<'PY'
import struct, sys, zlib
data = b"Nov 20 03:12:09 h kernel: Out of memory: Killed process 42 (java)\n"
toc = ('<?xml version="1.0" encoding="UTF-8"?>\n<xar><toc><file id="1"><name>host</name>'
       '<type>directory</type><file id="2"><name>kern.log</name><type>file</type><data>'
       '<length>%d</length><offset>0</offset><size>%d</size>'
       '<encoding style="application/octet-stream"/></data></file></file></toc></xar>'
       % (len(data), len(data))).encode()
z = zlib.compress(toc)
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack(">4sHHQQI", b"xar!", 28, 1, len(z), len(toc), 0) + z + data)
PY
check "the xar is one (its magic, its TOC inflates)" python3 -c "
import struct, sys, zlib
b = open(sys.argv[1], 'rb').read()
m, h, v, zl, tl, a = struct.unpack('>4sHHQQI', b[:28])
sys.exit(not (m == b'xar!' and len(zlib.decompress(b[28:28 + zl])) == tl))" "$T/x.xar"
for bin in "$CASEFILE" "$S"; do
	mkdir -p "$T/x$$" && rm -rf "$T/x$$"/*
	check "$(basename "$(dirname "$bin")")/casefile reads no xar: one message, exit 3" sh -c \
		"'$bin' clean -q -o '$T/x$$' '$T/x.xar' 2>'$T/xerr'; [ \$? -eq 3 ] && \
		 [ \$(wc -l <'$T/xerr') -eq 1 ] && grep -q 'cannot read as an archive' '$T/xerr' && \
		 [ -z \"\$(ls '$T/x$$')\" ]"
done
L=$PWD/build/static/casefile.txt
check "casefile.txt lists the libraries linked in, with versions" sh -c \
	"grep -Eq '^  libarchive\.a +libarchive-dev +[0-9]' '$L' && grep -Eq '^  libssh2\.a ' '$L' && \
	 grep -Eq '^  libc\.a ' '$L'"
check "neither libxml2 nor ICU went into it (the linker's map)" sh -c \
	"! grep -Eq '/lib(xml2|icu[a-z0-9]*)\.a\\(' build/static/casefile.map && ! grep -q 'libxml2\.a' '$L'"
check "it is stripped, and under 12 MB (40 MB with libxml2 and ICU)" sh -c \
	"file -b '$S' | grep -q ', stripped' && [ \$(stat -c %s '$S') -lt 12582912 ]"
echo "# static binary: $(stat -c %s "$S") bytes"
