#!/bin/sh
# Style checks the compiler does not make: tabs for indentation, no trailing
# whitespace, no line over 100 columns, every .c starts with a comment that
# says what it is. (Banned functions are compile errors: include/banned.h.)
cd "$(dirname "$0")/.." || exit 1
bad=0
for f in common/*.c collect/*.c analyze/*.c include/*.h tests/unit/*.c tests/unit/*.h; do
	[ -f "$f" ] || continue
	if grep -nE '[[:space:]]+$' "$f" | head -3 | grep .; then echo "$f: trailing whitespace"; bad=1; fi
	if grep -nE '^ {8}' "$f" | head -3 | grep .; then echo "$f: indent with tabs"; bad=1; fi
	if awk 'length($0) > 100 { print FILENAME ":" NR ": line over 100 columns"; b = 1 } END { exit b }' "$f"; then :; else bad=1; fi
	head -n 1 "$f" | grep -q '^/\*' || { echo "$f: must start with a comment saying what it is"; bad=1; }
done
[ $bad -eq 0 ] && echo "style: ok"
exit $bad
