#!/bin/sh
# t0055: every rule file validates against docs/rule.schema.json, and the
# schema refuses what lint refuses
. tests/e2e/lib.sh

case "$CASEFILE" in */asan/*) skip "the schema is checked once"; exit 0 ;; esac
V="/usr/bin/python3 tools/validate-rules.py docs/rule.schema.json"
check "every rule of the library validates" sh -c "$V rules/*/*.yaml"

mkdir -p "$T/r"
sed 's/^severity: high/severity: urgent/' rules/storage/disk-full.yaml >"$T/r/sev.yaml"
sed 's/^patterns:/paterns:/' rules/memory/oom-kill.yaml >"$T/r/key.yaml"
awk '/^fixtures:/ { print; print "  - expect: match"; print "    input: {df: x}"; exit } { print }' \
	rules/storage/disk-full.yaml >"$T/r/fix.yaml"
check "an unknown severity is refused" sh -c "! $V '$T/r/sev.yaml' | grep -q ' 0 problems'"
check "a misspelt key is refused" sh -c "$V '$T/r/key.yaml' | grep -q \"'paterns' was unexpected\""
check "a rule without a negative fixture is refused" sh -c "! $V '$T/r/fix.yaml' >/dev/null"
check "lint refuses the same misspelt key" sh -c \
	"! '$CASEFILE' rules lint --rules '$T/r' >'$T/lint' 2>&1; grep -q \"unknown key 'paterns'\" '$T/lint'"
sed "s/^where: \['use >= 95'\]/where: [\"use >= (95 \&\& mount == '\/\"]/" rules/storage/disk-full.yaml >"$T/r/where.yaml"
check "a where whose text has no closing quote is refused" sh -c \
	"$V '$T/r/where.yaml' | grep -q 'where/0: text from offset 23 has no closing quote'"
check "lint refuses the same where" sh -c \
	"! '$CASEFILE' rules lint --rules '$T/r' >'$T/lint' 2>&1; grep -q \"where 'use >= (95\" '$T/lint'"
