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

# bidirectional controls (Unicode's Bidi_Control: U+061C, U+200E-U+200F,
# U+202A-U+202E, U+2066-U+2069) reorder what is shown around them ("Trojan
# Source"): shown escaped like C1 controls in text, Markdown and HTML
B2=$T/casefile-bidi-20261120T031209Z
mkdir -p "$B2/casefile" "$B2/var/log"
printf '{"host": "db1\\u202egpj.exe", "ticket": "T-\\u2066x\\u2069", "problem": "see \\u200f\\u061c\\u200e",
 "items": [{"source": "syslog", "status": "error", "error": "x\\u202ay\\u202bz\\u202c\\u202d\\u2067\\u2068"}]}\n' \
	>"$B2/casefile/manifest.json"
printf 'Nov 20 03:12:09 db1 kernel: Out of memory: Killed process 42 (ja\342\200\256va)\n' >"$B2/var/log/kern.log"
# the UTF-8 of every bidi control, as a grep -P class
bidi='\x{061C}|[\x{200E}\x{200F}]|[\x{202A}-\x{202E}]|[\x{2066}-\x{2069}]'
for fmt in text md html; do
	"$CASEFILE" analyze "$B2" --format $fmt >"$T/b.$fmt" 2>"$T/b.err"
	check "$fmt: no raw bidirectional control" sh -c "! grep -qP '$bidi' '$T/b.$fmt'"
	check "$fmt: they are shown escaped (host and evidence)" sh -c \
		"grep -q 'db1.\\{1,2\\}u202egpj.exe' '$T/b.$fmt' && grep -q 'ja.\\{1,2\\}u202eva' '$T/b.$fmt'"
done
check "stderr: no raw bidirectional control" sh -c "! grep -qP '$bidi' '$T/b.err'"
"$CASEFILE" analyze "$B2" --format json >"$T/b.json"
check "JSON keeps them as data (jq reads them back)" jq -e '.bundle.hostname == "db1\u202egpj.exe"' "$T/b.json"
