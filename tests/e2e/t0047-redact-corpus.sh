#!/bin/sh
# t0047: redaction generalises. A labelled corpus (tools/gen-redact-corpus.py:
# >= 1,000 synthetic secrets in ~60 file and log formats, 236 vendor token
# formats, key names in 20 languages, and ordinary lines that must survive) is
# collected by casefile as configuration and as a log; tools/score-redact.py
# prints recall on the whole corpus, on the held-out halves B and C, and the
# ordinary lines changed. Half C (tools/redact_corpus_c.py,
# tests/redact/vendors-c.tsv: 621 secrets in 35 more formats, 81 more vendors,
# 22 more languages) was added before the detectors of its round changed.
# Goals: recall >= 95% in both placements, whole and held out
# (issue 19); <= 1% of ordinary lines changed, and <= 1% of this machine's
# /etc. The recall floors below are what was reached (docs/redaction.md:
# whole 97.3 / 97.2, B 95.6 / 95.3, C 97.6 / 97.6), a little under it (the
# held-out floor applies to B and to C): the test fails on a regression,
# and says whether the goal is reached.
FLOOR=97
FLOOR_HELD_OUT=95
. tests/e2e/lib.sh

# A measure of the patterns, the same for every build: under tests/run.sh
# (TEST_BUILDS) only the first build's run takes it. The ASan build runs the
# redactor in the unit tests (a line of every kind of secret in both modes),
# t0040 and t0045, and over the fuzz seeds.
if [ -n "${TEST_BUILDS:-}" ] && [ "$CASEFILE" != "$PWD/${TEST_BUILDS%% *}/casefile" ]; then
	skip "a measure of the patterns: taken in the run of ${TEST_BUILDS%% *} (TEST_BUILDS)"
	exit 0
fi

C=$T/corpus
python3 tools/gen-redact-corpus.py "$C" 2>"$T/gen.err"
check "the corpus is generated" test -s "$C/labels.tsv"
check "the corpus is big enough: >= 1000 secrets, >= 40 formats, >= 150 vendor formats, >= 5 languages" \
	awk '/^corpus:/ { ok = $2 >= 1000 && $6 >= 40 && substr($8, 2) >= 150 && $14 >= 5 && $16 >= $2 }
	     END { exit !ok }' "$T/gen.err"
cat "$T/gen.err"

mkdir -p "$T/rules" "$T/cfg" "$T/log"
cat >"$T/rules/sources.yaml" <<YAML
sources:
  - name: corpus_config
    kind: config
    files: [$C/secrets/*, $C/ordinary/*]
    total: 64M
  - name: corpus_log
    kind: log
    files: [$C/secrets/*, $C/ordinary/*]
    total: 64M
  - name: etc_plain
    kind: config
    files: [/etc/*, /etc/*/*, /etc/*/*/*]
    total: 256M
YAML

# collect SOURCE DIR [ARGS]: the bundle of one source, unpacked under DIR
collect() {
	"$CASEFILE" collect --rules "$T/rules" --only "$1" -o "$2" -q ${3:-} >"$2/path" 2>"$2/err" &&
		tar xzf "$(cat "$2/path")" -C "$2" 2>/dev/null && rm -f "$(cat "$2/path")"
}
collect corpus_config "$T/cfg"
collect corpus_log "$T/log"
check "the corpus is collected as configuration and as a log" sh -c \
	"test -s '$T'/cfg/casefile-*/'${C#/}/labels.tsv' || test -d '$T'/cfg/casefile-*/'${C#/}/secrets'"

python3 tools/score-redact.py corpus "$C" "$(echo "$T"/cfg/casefile-*/"${C#/}")" \
	"$(echo "$T"/log/casefile-*/"${C#/}")" --misses 10 --floor $FLOOR \
	--floor-held-out $FLOOR_HELD_OUT >"$T/score" 2>&1
rc=$?
cat "$T/score"
check "recall >= $FLOOR% (held out >= $FLOOR_HELD_OUT%) as configuration and as a log; <= 1% ordinary lines changed" \
	test "$rc" -eq 0

# The false positive of issue 19: package names and versions are never
# secrets; dpkg.log and apt's history.log come out as they went in
for f in dpkg.log apt-history.log; do
	for p in cfg log; do
		check "$f collected as $p is unchanged (libsecret-1-0 and its versions)" \
			cmp "$C/ordinary/$f" "$(echo "$T"/$p/casefile-*/"${C#/}")/ordinary/$f"
	done
done
check "the corpus has issue 19's dpkg.log line" grep -q 'install libsecret-1-0:amd64 <none> 0.20.5-1' "$C/ordinary/dpkg.log"

# Over-redaction on this machine's configuration
mkdir -p "$T/etc0" "$T/etc1"
collect etc_plain "$T/etc0" --no-redact
collect etc_plain "$T/etc1"
python3 tools/score-redact.py changed "$(echo "$T"/etc0/casefile-*/etc)" "$(echo "$T"/etc1/casefile-*/etc)" \
	--misses 10 >"$T/etc-score" 2>&1
rc=$?
cat "$T/etc-score"
check "over-redaction of this machine's /etc <= 1% of its lines" test "$rc" -eq 0
