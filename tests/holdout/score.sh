#!/bin/sh
# score.sh: run the held-out incident corpus (tests/holdout/*.yaml) on the four
# layouts with tests/scenarios/run.py and print, per class, right/total; the
# percentage per layout and in all; and for each wrong one its file, class,
# layout and the runner's reason. Incidents written with "root: none-fits" (no
# rule in the library fits them) are not scored: they are listed apart with the
# first root cause the engine gave. Healthy hosts ("root: none") are right when
# no root cause of high or critical severity is reported.
#
# usage: tests/holdout/score.sh [CASEFILE [SOSREPORT]]
#   CASEFILE   default build/casefile
#   SOSREPORT  default the one tests/e2e/t0110 cached in build/test-cache/
#              (without it the sosreport layout is left out)
# Exit status: 0 when the run completed (whatever the score), 2 when it failed.
set -u
cd "$(dirname "$0")/../.." || exit 2
casefile=${1:-build/casefile}
sos=${2:-}
if [ -z "$sos" ]; then
	for f in build/test-cache/sosreport-*.tar.xz; do
		[ -f "$f" ] && { sos=$f; break; }
	done
fi
[ -x "$casefile" ] || { echo "score.sh: $casefile: no casefile binary (make DEVELOPER=1 all)" >&2; exit 2; }
work=$(mktemp -d /tmp/ho-XXXXXX) || exit 2
trap 'rm -rf "$work"' EXIT INT TERM
nice python3 tests/scenarios/run.py "$casefile" rules tests/holdout "$work/run" ${sos:+"$sos"} \
	>"$work/tap" 2>"$work/err"
rc=$?
if ! grep -q '^# [0-9]* incidents' "$work/tap"; then
	echo "score.sh: the runner stopped (exit $rc):" >&2
	tail -n 20 "$work/err" >&2
	exit 2
fi
python3 - "$work/tap" tests/holdout <<'EOF'
import collections
import glob
import os
import re
import sys

import yaml

tap, corpus = sys.argv[1], sys.argv[2]
meta = {}
for p in sorted(glob.glob(os.path.join(corpus, "*.yaml"))):
    with open(p) as f:
        d = yaml.safe_load(f)
    meta[os.path.basename(p)] = (d.get("class", "unclassified"), d["root"])

line = re.compile(r"^(not ok|ok) \d+ - (\S+) on (\S+)(?:: (.*))?$")
per_class = collections.defaultdict(lambda: [0, 0])
per_layout = collections.OrderedDict()
wrong, nofit = [], []
na = 0
with open(tap) as f:
    for raw in f:
        raw = raw.rstrip("\n")
        if "# skip" in raw:
            na += 1
            continue
        m = line.match(raw)
        if not m:
            continue
        status, name, layout, why = m.groups()
        klass, root = meta[name]
        if root == "none-fits":
            nofit.append((name, klass, layout, why or "no root cause"))
            continue
        ok = status == "ok"
        per_class[klass][1] += 1
        lay = per_layout.setdefault(layout, [0, 0])
        lay[1] += 1
        if ok:
            per_class[klass][0] += 1
            lay[0] += 1
        else:
            wrong.append((name, klass, layout, why))

def pct(r, t):
    return "%5.1f%%" % (100.0 * r / t) if t else "   n/a"

scored = [n for n, (k, r) in meta.items() if r != "none-fits"]
print("held-out corpus: %d incidents scored (%d healthy), %d with no fitting rule"
      % (len(scored), sum(1 for n in scored if meta[n][1] == "none"),
         len(meta) - len(scored)))
print()
print("per class (runs on all layouts):")
for k in sorted(per_class):
    r, t = per_class[k]
    n = sum(1 for x in scored if meta[x][0] == k)
    print("  %-20s %3d/%-3d %s   (%d incidents)" % (k, r, t, pct(r, t), n))
print()
print("per layout:")
tr = tt = 0
for layout, (r, t) in per_layout.items():
    print("  %-14s %3d/%-3d %s" % (layout, r, t, pct(r, t)))
    tr += r
    tt += t
print("  %-14s %3d/%-3d %s   (%d runs not applicable)" % ("all", tr, tt, pct(tr, tt), na))
print()
print("wrong (%d):" % len(wrong))
for name, klass, layout, why in wrong:
    print("  %s [%s] on %s: %s" % (name, klass, layout, why))
print()
print("no fitting rule, not scored (%d runs): what the engine said first" % len(nofit))
for name, klass, layout, why in nofit:
    said = re.sub(r"^first root cause (\S+), not none-fits$", r"\1", why)
    print("  %s [%s] on %s: %s" % (name, klass, layout, said))
EOF
