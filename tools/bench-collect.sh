#!/bin/sh
# make bench (and make bench-collect alone): casefile collect beside
# sos report --batch on this host, in turn (casefile, sos, casefile, sos, ...)
# so that a drift of the machine's speed touches both; each figure is the
# median of the runs, the ratio the median of the pairs' ratios. The goals
# (#20, #23): collect within 0.35x of sos report's time, peak RSS under 20 MB
# (the largest single process: casefile or a command it ran). Figures only.
# BENCH_COLLECT_RUNS=N (default 3). Leaves its last sosreport in
# build/bench/sos for the obfuscation step of tools/bench.sh.
set -eu
cd "$(dirname "$0")/.."
CF=$PWD/build/casefile
W=$PWD/build/bench
N=${BENCH_COLLECT_RUNS:-3}
mkdir -p "$W"

# timed LABEL CMD...: wall seconds and peak RSS (MB) into $secs, $rss
timed() {
	label=$1; shift
	rc=0
	/usr/bin/time -f '%e %M' -o "$W/time" "$@" >"$W/out" 2>"$W/err" || rc=$?
	secs=$(tail -n 1 "$W/time" | cut -d' ' -f1)
	rss=$(tail -n 1 "$W/time" | awk '{ printf "%.1f", $2 / 1024 }')
	[ "$rc" -eq 0 ] || echo "$label failed (exit $rc): $(grep -v '^Command exited' "$W/err" | head -n 1)"
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

echo "== collect: this host ($(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2/1048576 }' /proc/meminfo)), $N runs each, in turn"
with_sos=0
if command -v sos >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
	with_sos=1
else
	echo "(sos report needs root and the sosreport package: casefile alone)"
fi
: >"$W/cf.s"; : >"$W/cf.m"; : >"$W/sos.s"; : >"$W/sos.m"; : >"$W/ratio"
i=0
while [ "$i" -lt "$N" ]; do
	i=$((i + 1))
	rm -rf "$W/collect" && mkdir -p "$W/collect"
	timed casefile "$CF" collect -o "$W/collect" -q
	echo "$secs" >>"$W/cf.s"; echo "$rss" >>"$W/cf.m"; cf_secs=$secs
	cf_size=$(stat -c %s "$(cat "$W/out")" 2>/dev/null || echo 0)
	cf_items=$(tar xzOf "$(cat "$W/out")" --wildcards '*/casefile/manifest.json' 2>/dev/null |
		jq '.items | length' 2>/dev/null || echo '?')
	[ "$with_sos" -eq 1 ] || continue
	rm -rf "$W/sos" && mkdir -p "$W/sos"
	timed sos sos report --batch --quiet --tmp-dir "$W/sos"
	echo "$secs" >>"$W/sos.s"; echo "$rss" >>"$W/sos.m"
	awk -v a="$cf_secs" -v b="$secs" 'BEGIN { if (b > 0) printf "%.3f\n", a / b }' >>"$W/ratio"
	for f in "$W"/sos/sosreport-*.tar.*; do
		case "$f" in *.md5|*.sha256) ;; *) sos_size=$(stat -c %s "$f") ;; esac
	done
done
mb() { awk -v b="$1" 'BEGIN { printf "%.2f", b / 1048576 }'; }
printf '%-28s %10s %12s %12s\n' tool "wall (s)" "peak RSS" "bundle"
printf '%-28s %10s %9s MB %9s MB  (%s items, %s sources)\n' "casefile collect" \
	"$(median <"$W/cf.s")" "$(median <"$W/cf.m")" "$(mb "$cf_size")" "$cf_items" \
	"$("$CF" collect --list | wc -l)"
if [ "$with_sos" -eq 1 ]; then
	printf '%-28s %10s %9s MB %9s MB\n' "sos report --batch" "$(median <"$W/sos.s")" \
		"$(median <"$W/sos.m")" "$(mb "${sos_size:-0}")"
	echo "casefile collect takes $(median <"$W/ratio")x the time of sos report --batch" \
		"(goal: at most 0.35x); peak RSS $(median <"$W/cf.m") MB (goal: under 20 MB)"
fi
