#!/bin/sh
# make bench: casefile beside the tools a user would use instead, in one run.
#   1. collect this host: casefile collect vs sos report --batch, in turn,
#      medians (tools/bench-collect.sh, also make bench-collect alone)
#   2. analyze a generated 1 GB log corpus (fixed seed): casefile analyze
#      (whole rule library, per-rule attribution) vs GNU grep -E -c and
#      ripgrep -c on the same patterns; and, packed as .tar.gz, vs zcat.
# Figures only: nothing here passes or fails.
set -eu
cd "$(dirname "$0")/.."
CF=$PWD/build/casefile
W=$PWD/build/bench
MB=${BENCH_MB:-1024}
mkdir -p "$W"

# run LABEL CMD...: wall seconds and peak RSS (MB) of CMD into $secs, $rss
run() {
	label=$1; shift
	rc=0
	/usr/bin/time -f '%e %M' -o "$W/time" "$@" >"$W/out" 2>"$W/err" || rc=$?
	secs=$(tail -n 1 "$W/time" | cut -d' ' -f1)
	rss=$(tail -n 1 "$W/time" | awk '{ printf "%.1f", $2 / 1024 }')
	# grep and rg exit 1 when nothing matched; 2 and up is a real failure
	if [ "$rc" -ge 2 ]; then
		echo "$label failed (exit $rc): $(grep -v '^Command exited' "$W/err" | head -n 1)"
	fi
}

mbps() { awk -v mb="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? mb / s : 0) }'; }

sh tools/bench-collect.sh
rm -rf "$W/obf" && mkdir -p "$W/obf"
run "collect --obfuscate" "$CF" collect --obfuscate -o "$W/obf" -q
printf '%-28s %10s %10s MB\n' "casefile collect --obfuscate" "$secs" "$rss"

echo
echo "== obfuscation: the sosreport just made, cleaned"
sos_file=$(ls "$W"/sos/sosreport-*.tar.xz 2>/dev/null | head -n 1)
if [ -n "$sos_file" ]; then
	printf '%-28s %10s %12s\n' tool "wall (s)" "peak RSS"
	rm -rf "$W/clean" && mkdir -p "$W/clean"
	run "casefile clean" "$CF" clean "$sos_file" -o "$W/clean" -q
	printf '%-28s %10s %10s MB\n' "casefile clean" "$secs" "$rss"
	c_secs=$secs
	# sos clean takes only a file named like a sosreport, and cleans beside it
	mkdir -p "$W/clean/sos" && cp "$sos_file" "$W/clean/sos/"
	run "sos clean" sos clean --batch --quiet "$W/clean/sos/$(basename "$sos_file")"
	printf '%-28s %10s %10s MB\n' "sos clean --batch" "$secs" "$rss"
	echo "casefile clean is $(awk -v a="$secs" -v b="$c_secs" 'BEGIN { printf "%.1f", a / b }')x faster than sos clean"
else
	echo "(needs the sosreport of the collect step: skipped)"
fi

echo
echo "== analyze: generated corpus of ${MB} MB (seed 42)"
C=$W/corpus
if [ ! -f "$C/.done-$MB" ]; then
	rm -rf "$C" && mkdir -p "$C/var/log" "$C/commands"
	awk -v seed=42 -v mb=$((MB * 60 / 100)) -v kind=syslog -f tools/gen-corpus.awk >"$C/var/log/syslog"
	awk -v seed=43 -v mb=$((MB * 15 / 100)) -v kind=kern -f tools/gen-corpus.awk >"$C/var/log/kern.log"
	awk -v seed=44 -v mb=$((MB * 10 / 100)) -v kind=auth -f tools/gen-corpus.awk >"$C/var/log/auth.log"
	awk -v seed=45 -v mb=$((MB * 15 / 100)) -v kind=journal -f tools/gen-corpus.awk >"$C/commands/journal"
	(cd "$C" && tar cf - var commands | gzip -1 >"$W/corpus.tar.gz")
	touch "$C/.done-$MB"
fi
files="$C/var/log/syslog $C/var/log/kern.log $C/var/log/auth.log $C/commands/journal"
size_mb=$(du -cm $files | tail -n 1 | cut -f1)
gz_mb=$(awk -v b="$(stat -c %s "$W/corpus.tar.gz")" 'BEGIN { printf "%.0f", b / 1048576 }')
echo "corpus: $size_mb MB in 4 logs; packed .tar.gz: $gz_mb MB; $(cat $files | wc -l) lines"

# the same patterns for grep and ripgrep: named groups become plain groups;
# the two df patterns use look-ahead, which neither grep -E nor rg has
"$CF" rules list --format patterns | cut -f2- | grep -v '(?!' |
	sed -e 's/(?<[a-z_]*>/(/g' -e 's/(?:/(/g' -e 's/\\h/[[:blank:]]/g' -e 's/\\'"'"'/'"'"'/g' >"$W/pats.rg"
sed -e 's/\\d/[0-9]/g' -e 's/\\S/[^[:space:]]/g' -e 's/\\s/[[:space:]]/g' \
	-e 's/\\W/[^[:alnum:]_]/g' -e 's/\\w/[[:alnum:]_]/g' "$W/pats.rg" >"$W/pats.ere"
echo "patterns: $(wc -l <"$W/pats.rg") of $("$CF" rules list --format patterns | wc -l) (all but look-ahead)"
echo
printf '%-36s %9s %9s %10s %11s\n' "uncompressed directory" "wall (s)" "MB/s" "peak RSS" "vs casefile"
run casefile "$CF" analyze --format json "$C"
a_secs=$secs; a_rss=$rss
printf '%-36s %9s %9s %7s MB %11s\n' "casefile analyze (all rules)" "$secs" "$(mbps "$size_mb" "$secs")" "$rss" "1.0x"
findings=$(grep -c '"rule":' "$W/out" || true)
run grep env LC_ALL=C grep -E -c -f "$W/pats.ere" $files
printf '%-36s %9s %9s %7s MB %10sx\n' "GNU grep -E -c (same patterns)" "$secs" "$(mbps "$size_mb" "$secs")" "$rss" \
	"$(awk -v a="$secs" -v b="$a_secs" 'BEGIN { printf "%.1f", a / b }')"
if command -v rg >/dev/null 2>&1; then
	run rg rg -c -f "$W/pats.rg" $files
	printf '%-36s %9s %9s %7s MB %10sx\n' "ripgrep -c (same patterns)" "$secs" "$(mbps "$size_mb" "$secs")" "$rss" \
		"$(awk -v a="$secs" -v b="$a_secs" 'BEGIN { printf "%.1f", a / b }')"
fi
echo
printf '%-36s %9s %9s %10s\n' "packed .tar.gz (${gz_mb} MB)" "wall (s)" "MB/s" "peak RSS"
run casefile "$CF" analyze --format json "$W/corpus.tar.gz"
printf '%-36s %9s %9s %7s MB\n' "casefile analyze corpus.tar.gz" "$secs" "$(mbps "$size_mb" "$secs")" "$rss"
z_secs=$secs
run zcat sh -c "zcat '$W/corpus.tar.gz' >/dev/null"
printf '%-36s %9s %9s %7s MB\n' "zcat corpus.tar.gz >/dev/null" "$secs" "$(mbps "$size_mb" "$secs")" "$rss"
echo "casefile on the .tar.gz takes $(awk -v a="$z_secs" -v b="$secs" 'BEGIN { printf "%.2f", a / b }')x the time of plain decompression"

# one input on the cores: the same directory with one search thread and with
# all of them (the report is the same byte for byte: t0126)
echo
printf '%-36s %9s %9s %10s %11s\n' "one input, threads" "wall (s)" "MB/s" "peak RSS" "vs -j 1"
run "-j 1" "$CF" analyze -j 1 --format json "$C"
j1_secs=$secs
printf '%-36s %9s %9s %7s MB %11s\n' "casefile analyze -j 1 DIR" "$secs" "$(mbps "$size_mb" "$secs")" "$rss" "1.00x"
run "-j $(nproc)" "$CF" analyze -j "$(nproc)" --format json "$C"
printf '%-36s %9s %9s %7s MB %10sx\n' "casefile analyze -j $(nproc) DIR" "$secs" "$(mbps "$size_mb" "$secs")" "$rss" \
	"$(awk -v a="$secs" -v b="$j1_secs" 'BEGIN { printf "%.2f", a / b }')"

# a sosreport is a .tar.xz: decoding and searching on different cores
if [ ! -f "$C/.xz-$MB" ]; then
	(cd "$C" && tar cf - var commands | xz -1 -T "$(nproc)" >"$W/corpus.tar.xz")
	touch "$C/.xz-$MB"
fi
xz_mb=$(awk -v b="$(stat -c %s "$W/corpus.tar.xz")" 'BEGIN { printf "%.0f", b / 1048576 }')
echo
printf '%-36s %9s %9s %10s\n' "packed .tar.xz (${xz_mb} MB)" "wall (s)" "MB/s" "peak RSS"
run "xz" "$CF" analyze --format json "$W/corpus.tar.xz"
x_secs=$secs
printf '%-36s %9s %9s %7s MB\n' "casefile analyze corpus.tar.xz" "$secs" "$(mbps "$size_mb" "$secs")" "$rss"
run "xz -dc" sh -c "xz -dc '$W/corpus.tar.xz' >/dev/null"
printf '%-36s %9s %9s %7s MB\n' "xz -dc corpus.tar.xz >/dev/null" "$secs" "$(mbps "$size_mb" "$secs")" "$rss"
echo "casefile on the .tar.xz takes $(awk -v a="$x_secs" -v b="$secs" 'BEGIN { printf "%.2f", a / b }')x the time of xz -dc alone"
echo "findings in the corpus: $findings; peak RSS on $size_mb MB: $a_rss MB (directory)"

echo
echo "== remote: one host and 16 hosts over SSH against a local sshd"
if [ "$(id -u)" -eq 0 ] && [ -x /usr/sbin/sshd ]; then
	sh tools/bench-ssh.sh
else
	echo "(needs root and openssh-server: skipped)"
fi
T=$(mktemp -d /tmp/casefile-bench.XXXXXX)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/loc"
"$CF" collect -o "$T/loc" -q >/dev/null 2>&1 || true

echo
echo "== fleet: 200 bundles of this host, one fleet report"
mkdir -p "$T/200"
b=$(ls "$T"/loc/*.tar.gz | head -n 1)
for i in $(seq -w 200); do cp "$b" "$T/200/host$i.tar.gz"; done
printf '%-36s %9s %12s\n' "casefile analyze DIR --format json" "wall (s)" "bundles/s"
for j in 1 "$(nproc)"; do
	run "fleet -j $j" "$CF" analyze "$T/200" -j "$j" --format json -o "$W/fleet.json"
	printf '%-36s %9s %12s\n' "-j $j ($j core$([ "$j" -eq 1 ] || echo s))" "$secs" \
		"$(awk -v s="$secs" 'BEGIN { printf "%.0f", (s > 0 ? 200 / s : 0) }')"
done
echo "hosts in the fleet report: $(jq '.hosts | length' "$W/fleet.json" 2>/dev/null || echo '?')"
rm -rf "$T/200"
