#!/bin/sh
# t0150: the reports render: the Markdown through a real CommonMark+GFM
# renderer (cmark-gfm), the HTML in a real browser (headless chromium), for
# one report and for a fleet; their structure is checked, not only strings
# (tests/e2e/render_check.py: tables whole, ids unique, links resolve)
. tests/e2e/lib.sh

case "$CASEFILE" in */asan/*) skip "rendering is checked once, on the product build"; exit 0 ;; esac
R="python3 tests/e2e/render_check.py"

# one host: an OOM kill and its unit, logged in Berlin time
H=$T/host
mkdir -p "$H/var/log" "$H/etc"
cat >"$H/var/log/syslog" <<'LOG'
Nov 20 03:12:09 db1 kernel: [812345.100512] Out of memory: Killed process 4321 (postgres) total-vm:8123456kB, anon-rss:7900000kB, file-rss:0kB
Nov 20 03:12:10 db1 systemd[1]: postgresql.service: Main process exited, code=killed, status=9/KILL
Nov 20 03:12:10 db1 systemd[1]: postgresql.service: Failed with result 'signal'.
LOG
ln -s /usr/share/zoneinfo/Europe/Berlin "$H/etc/localtime"
echo Europe/Berlin >"$H/etc/timezone"
"$CASEFILE" analyze --format md -o "$T/one.md" "$H"
"$CASEFILE" analyze --format html -o "$T/one.html" "$H"

# a fleet: three copies of one host's bundle and the host above
mkdir -p "$T/out" "$T/fleet" "$T/x"
"$CASEFILE" collect --only uname,hostname,os_release,meminfo,df -o "$T/out" -q >"$T/path"
b=$(cat "$T/path")
for i in 1 2 3; do cp "$b" "$T/fleet/copy$i.tar.gz"; done
"$CASEFILE" analyze --format md -o "$T/fleet.md" "$T/fleet"/*.tar.gz "$H"
"$CASEFILE" analyze --format html -o "$T/fleet.html" "$T/fleet"/*.tar.gz "$H"
"$CASEFILE" analyze --format text "$T/fleet"/*.tar.gz "$H" >"$T/fleet.txt"
host=$(tar xzOf "$b" --wildcards '*/manifest.json' | jq -r .host)

if command -v cmark-gfm >/dev/null; then
	cmark-gfm -e table -e autolink "$T/one.md" >"$T/one.md.html"
	check "Markdown, one report: every table renders whole (the timeline too), headings" \
		$R md "$T/one.md.html" tables=2 h2=1 "heading=host" "text=oom-kill" "text=03:12:09 CET"
	cmark-gfm -e table -e autolink "$T/fleet.md" >"$T/fleet.md.html"
	check "Markdown, a fleet: the matrix and every host's tables render whole" \
		$R md "$T/fleet.md.html" tables=3 h1=1 h2=6 "heading=copy1.tar.gz" "heading=copy3.tar.gz" \
		"text=$host (1) · copy1.tar.gz" "text=$host (3) · copy3.tar.gz"
else
	skip "cmark-gfm is not installed"
fi
check "the fleet's copies of one host are numbered apart, with their bundles" sh -c \
	"grep -q '$host (1) ' '$T/fleet.txt' && grep -q '$host (2) ' '$T/fleet.txt' && grep -q '$host (3) ' '$T/fleet.txt' &&
	 grep -q 'copy2.tar.gz' '$T/fleet.txt' && ! grep -q '$host (2) .*$host (2)' '$T/fleet.txt'"

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$browser" ]; then
	dom() { # FILE: the DOM as the browser built it
		timeout 60 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
			--disable-background-networking --disable-component-update --disable-sync \
			--user-data-dir="$T/chrome" --dump-dom "file://$1" 2>/dev/null
	}
	dom "$T/one.html" >"$T/one.dom.html"
	check "HTML, one report, in chromium: tables whole, ids unique, every link has its target" \
		$R html "$T/one.dom.html" tables=1 h1=1 "heading=host" "text=oom-kill" "text=03:12:09 CET"
	dom "$T/fleet.html" >"$T/fleet.dom.html"
	check "HTML, a fleet, in chromium: one document, each host's ids its own" \
		$R html "$T/fleet.dom.html" tables=5 h1=5 "heading=copy2.tar.gz" "text=$host (2)"
else
	skip "chromium is not installed"
fi
