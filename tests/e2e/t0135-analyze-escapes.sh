#!/bin/sh
# t0135: a bundle cannot act on the engineer's terminal, Markdown renderer or
# ticketing system: escapes, fences and invalid UTF-8 in what it says about itself
. tests/e2e/lib.sh

B=$T/casefile-evil-20261120T031209Z
mkdir -p "$B/casefile" "$B/var/log"
esc=$(printf '\033')
bel=$(printf '\007')
# host: set the clipboard (OSC 52) and clear the screen; a gap with a fence and HTML;
# a problem with a C1 CSI and invalid UTF-8
printf '{"host": "db1\\u001b]52;c;ZXZpbA==\\u0007\\u001b[2J", "ticket": "T-1",
 "problem": "bad \\u009b31m",
 "items": [{"source": "syslog", "status": "error",
   "error": "x\\n```\\n<img src=x onerror=alert(1)>"}]}\n' >"$B/casefile/manifest.json"
printf 'Nov 20 03:12:09 db1 kernel: Out of memory: Killed process 42 (j%s[31mva)\n' "$esc" \
	>"$B/var/log/kern.log"
printf 'Nov 20 03:12:10 db1 kernel: Out of memory: Killed process 43 (\377\376bad)\n' \
	>>"$B/var/log/kern.log"

"$CASEFILE" analyze "$B" >"$T/r.txt" 2>"$T/r.err"
check "the text report has no escape byte" sh -c "! grep -q '$esc' '$T/r.txt'"
check "nor a BEL or a C1 control" sh -c "! grep -q '$bel' '$T/r.txt' && ! grep -q \"\$(printf '\302\233')\" '$T/r.txt'"
check "the host name is shown escaped" grep -q 'db1\\x1b]52;c;ZXZpbA==\\x07\\x1b\[2J' "$T/r.txt"
check "stderr has no escape byte either" sh -c "! grep -q '$esc' '$T/r.err'"

"$CASEFILE" analyze "$B" --format md >"$T/r.md"
check "Markdown: the gap stays one line, its fence escaped" \
	grep -q '^- syslog: error: x\\\\n\\`\\`\\`\\\\n' "$T/r.md"
check "Markdown: no live HTML (every < is escaped)" sh -c "! grep -q '\\(^\\|[^\\\\]\\)<img' '$T/r.md'"
check "Markdown: no escape byte" sh -c "! grep -q '$esc' '$T/r.md'"

"$CASEFILE" analyze "$B" --format html >"$T/r.html"
check "HTML: the gap's HTML is text" grep -q '&lt;img src=x onerror=alert(1)&gt;' "$T/r.html"
check "HTML: no raw <img" sh -c "! grep -q '<img' '$T/r.html'"

"$CASEFILE" analyze "$B" --format json >"$T/r.json"
check "JSON: valid, and the host name is kept" jq -e '.bundle.hostname | startswith("db1")' "$T/r.json"
check "JSON: invalid UTF-8 in evidence is replaced, the key kept" \
	jq -e '[.findings[].evidence[].text] | map(select(test("\ufffd"))) | length >= 1' "$T/r.json"
