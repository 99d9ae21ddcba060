#!/bin/sh
# t0129: the incident scenarios (tests/scenarios/*.yaml), each on a plain
# directory, a casefile bundle collected here, the sosreport t0110 made
# here (when sos could run) and a supportconfig-shaped archive: the right
# root cause comes first with its symptoms under it (tests/scenarios/run.py)
#
# Building the inputs is slow and the same for every build: under
# tests/run.sh (TEST_BUILDS), the first build's run builds each input once
# and every build's casefile analyzes it; the other builds' runs skip. The
# other builds (ASan: slow, its findings the same) read each scenario on one
# layout, the layouts in turn (run.py; SCENARIO_ALL=1 for all of them).
. tests/e2e/lib.sh

bins=$CASEFILE
if [ -n "${TEST_BUILDS:-}" ]; then
	first=${TEST_BUILDS%% *}
	if [ "$CASEFILE" != "$PWD/$first/casefile" ]; then
		skip "analyzed with this build in the run of $first (TEST_BUILDS)"
		exit 0
	fi
	bins=$(for b in $TEST_BUILDS; do printf '%s:' "$PWD/$b/casefile"; done)
	bins=${bins%:}
fi
sos=$(ls "$PWD"/build/test-cache/sosreport-*.tar.xz 2>/dev/null | head -n 1)
[ -n "$sos" ] || skip "no sosreport made here (t0110 needs root and sos): the sosreport layout is left out"
python3 tests/scenarios/run.py "$bins" rules tests/scenarios "$T/work" ${sos:+"$sos"}
