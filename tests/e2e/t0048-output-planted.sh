#!/bin/sh
# t0048: an output (analyze -o, clean's map) is a new file renamed over its
# name, never written through a link planted there (include/outfile.h): in
# a folder anyone can write (no sticky bit: fs.protected_symlinks does not
# guard it), a link at the name is replaced and what it pointed to is left
# as it was; the report is whole or not there, mode 0600
. tests/e2e/lib.sh

mkdir -p "$T/host/var/log" "$T/w"
echo "Nov 20 03:12:09 h kernel: Out of memory: Killed process 42 (java) total-vm:1kB" \
	>"$T/host/var/log/kern.log"
echo "precious, not a report" >"$T/target"
chmod 777 "$T/w"
ln -s "$T/target" "$T/w/report.txt"
# another user's link, where this test may give one
[ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1 && chown -h nobody "$T/w/report.txt"

"$CASEFILE" analyze "$T/host" -o "$T/w/report.txt" 2>"$T/err"
check "analyze -o: exit 0" test $? -eq 0
check "the link's target is untouched" sh -c "[ \"\$(cat '$T/target')\" = 'precious, not a report' ]"
check "the name is now a regular file with the report" sh -c \
	"[ -f '$T/w/report.txt' ] && [ ! -L '$T/w/report.txt' ] && grep -q 'Out of memory' '$T/w/report.txt'"
check "the report's mode is 0600" test "$(stat -c %a "$T/w/report.txt")" = 600
check "no temporary file is left beside it" sh -c "[ \$(ls -A '$T/w' | wc -l) -eq 1 ]"

# a report that cannot be written leaves nothing half done
chmod 555 "$T/w"
if [ "$(id -u)" -ne 0 ]; then
	"$CASEFILE" analyze "$T/host" -o "$T/w/report.txt" 2>"$T/err"
	check "a folder it cannot write: exit 3, with why" sh -c \
		"[ $? -eq 3 ] && grep -q \"cannot write '$T/w/report.txt'\" '$T/err'"
fi
chmod 777 "$T/w"
"$CASEFILE" analyze "$T/host" -o "$T/w" 2>"$T/err"
check "-o naming a folder: exit 3, the folder as it was" sh -c \
	"[ $? -eq 3 ] && [ -d '$T/w' ] && [ -f '$T/w/report.txt' ] && [ \$(ls -A '$T/w' | wc -l) -eq 1 ]"

# clean --map: the map is an output too
"$CASEFILE" collect --only uname,hostname -o "$T" -q >"$T/b" 2>/dev/null
ln -s "$T/made-through-the-link" "$T/w/map.json"
"$CASEFILE" clean "$(cat "$T/b")" --map "$T/w/map.json" -o "$T/w" >/dev/null 2>"$T/err"
check "clean --map: nothing is made through the link" test ! -e "$T/made-through-the-link"
check "clean --map: the map replaced the link, mode 0600" sh -c \
	"[ -f '$T/w/map.json' ] && [ ! -L '$T/w/map.json' ] && jq -e .hosts '$T/w/map.json' >/dev/null && [ \$(stat -c %a '$T/w/map.json') = 600 ]"
