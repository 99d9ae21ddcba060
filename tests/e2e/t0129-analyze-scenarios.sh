#!/bin/sh
# t0129: the incident scenarios (tests/scenarios/*.yaml), each on a plain
# directory, a casefile bundle collected here, the sosreport t0110 made
# here (when sos could run) and a supportconfig-shaped archive: the right
# root cause comes first with its symptoms under it (tests/scenarios/run.py)
. tests/e2e/lib.sh

sos=$(ls "$PWD"/build/test-cache/sosreport-*.tar.xz 2>/dev/null | head -n 1)
[ -n "$sos" ] || skip "no sosreport made here (t0110 needs root and sos): the sosreport layout is left out"
python3 tests/scenarios/run.py "$CASEFILE" rules tests/scenarios "$T/work" ${sos:+"$sos"}
