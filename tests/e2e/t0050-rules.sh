#!/bin/sh
# t0050: the rule library lints and passes its fixtures; a broken rule is
# reported with file:line:column and never stops the others
. tests/e2e/lib.sh

"$CASEFILE" rules lint >"$T/lint" 2>&1
check "rules lint passes" test $? -eq 0
check "lint prints rules, fixtures and categories covered" \
	grep -qE '^[0-9]+ rules, [0-9]+ fixtures, [0-9]+ of [0-9]+ categories covered: 0 problems' "$T/lint"
"$CASEFILE" rules test --layouts >"$T/test" 2>&1
check "every rule passes its fixtures" test $? -eq 0
check "every fixture also passes as a casefile bundle" grep -qE '^as casefile bundles: [0-9]+ passed, 0 failed$' "$T/test"
check "every fixture also passes as a sosreport" grep -qE '^as sosreports: [0-9]+ passed, 0 failed' "$T/test"
check "the library covers every category of the taxonomy" \
	grep -qE '^[0-9]+ rules, [0-9]+ fixtures, ([0-9]+) of \1 categories covered' "$T/lint"
check "the library has at least 70 rules" sh -c "[ \$(sed -n 's/^\([0-9]*\) rules.*/\1/p' '$T/lint') -ge 70 ]"
check "at least 15 cause-symptom links" sh -c \
	"[ \$('$CASEFILE' rules list | sed -n 's/.*explains: //p' | tr ',' '\\n' | grep -c .) -ge 15 ]"
check "rules test prints its counts" grep -qE '^[0-9]+ rules, [0-9]+ fixtures: [0-9]+ passed, 0 failed$' "$T/test"
cat "$T/test" | tail -n 1
check "rules list names every rule" sh -c \
	"[ \$('$CASEFILE' rules list | wc -l) -eq \$(sed -n 's/^\([0-9]*\) rules.*/\1/p' '$T/lint') ]"
check "rules list --format md is a table" sh -c \
	"'$CASEFILE' rules list --format md | head -n 2 | grep -q '^|---|'"
check "rules show prints the rule file" sh -c "'$CASEFILE' rules show oom-kill | grep -q '^id: oom-kill'"
check "rules show of an unknown id fails" sh -c "! '$CASEFILE' rules show no-such-rule 2>/dev/null"

mkdir -p "$T/rules/extra"
cat >"$T/rules/extra/typo.yaml" <<'YAML'
id: typo-rule
title: A rule with a typo
category: memory.oom
severity: high
sources: [syslog]
paterns:
  - 'whatever'
explanation: x
YAML
cat >"$T/rules/extra/local.yaml" <<'YAML'
id: local-app-crash
title: Our app crashed
category: process.coredump
severity: high
sources: [syslog]
patterns:
  - 'myapp\[\d+\]: FATAL (?<what>.*)'
explanation: 'myapp died: {what}'
fixtures:
  - expect: match
    input:
      syslog: "Nov 20 03:00:00 h myapp[1]: FATAL out of cheese"
  - expect: no-match
    input:
      syslog: "Nov 20 03:00:00 h myapp[1]: INFO fine"
YAML
"$CASEFILE" rules lint --rules "$T/rules" >"$T/lint2" 2>&1
check "lint fails on a broken rule" test $? -ne 0
check "the error says file:line:column and what was meant" \
	grep -q "typo.yaml:6:1: unknown key 'paterns' in a rule; did you mean 'patterns'?" "$T/lint2"
mkdir -p "$T/host/var/log"
echo "Nov 20 03:00:00 h myapp[1]: FATAL out of cheese" >"$T/host/var/log/syslog"
"$CASEFILE" analyze --rules "$T/rules" --format json "$T/host" >"$T/r.json" 2>"$T/e"
check "analyze still runs with one bad rule" test $? -eq 0
check "it warns about the rule it left out" grep -q '1 rules did not load' "$T/e"
check "a rule from --rules DIR fires" sh -c \
	"jq -e '.findings[0].rule == \"local-app-crash\" and .findings[0].explanation == \"myapp died: out of cheese\"' '$T/r.json'"

# --format patterns: as compiled, so grep and rg get what casefile matches
"$CASEFILE" rules list --format patterns >"$T/pats"
check "rules list --format patterns: {kernel} expanded, one pattern a line after its id" sh -c \
	"! grep -q '{kernel' '$T/pats' && grep -q '^oom-kill	.*kernel: .*Out of memory' '$T/pats' && ! grep -qv '^[a-z0-9_-]*	.' '$T/pats'"
