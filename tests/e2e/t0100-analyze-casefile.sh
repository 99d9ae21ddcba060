#!/bin/sh
# t0100: a real casefile bundle with fault lines added: the right root cause
# comes first, with its symptoms under it, in every report format
. tests/e2e/lib.sh

mkdir -p "$T/out" "$T/x"
"$CASEFILE" collect -o "$T/out" --ticket T-100 --problem "postgres restarts at night" -q >"$T/path"
tar xzf "$(cat "$T/path")" -C "$T/x"
top=$(ls "$T/x")
D=$T/x/$top
mkdir -p "$D/var/log/postgresql"
cat >>"$D/commands/kernel_log" <<'LOG'
2026-11-20T03:12:09,123456+00:00 Out of memory: Killed process 4321 (postgres) total-vm:8123456kB, anon-rss:7900000kB, file-rss:0kB
2026-11-20T03:40:00,000000+00:00 Out of memory: Killed process 4400 (postgres) total-vm:8123456kB, anon-rss:7900000kB, file-rss:0kB
LOG
printf '%s\n' "2026-11-20 03:12:09.500 UTC [812] LOG:  server process (PID 4321) was terminated by signal 9: Killed" \
	"2026-11-20 03:12:09.501 UTC [812] LOG:  terminating any other active server processes" \
	>"$D/var/log/postgresql/postgresql-15-main.log"
oomline=$(grep -n 'Killed process 4321' "$D/commands/kernel_log" | cut -d: -f1)
(cd "$T/x" && tar czf "$T/faulty.tar.gz" "$top")

"$CASEFILE" analyze --format json "$T/faulty.tar.gz" >"$T/r.json"
check "analyze exits 0 when the analysis ran" test $? -eq 0
check "JSON report follows casefile-report/1" sh -c "jq -e '.schema == \"casefile-report/1\"' '$T/r.json'"
check "layout is detected as casefile" sh -c "jq -e '.bundle.layout == \"casefile\"' '$T/r.json'"
check "bundle facts come from the manifest" sh -c \
	"jq -e '.bundle.ticket == \"T-100\" and .bundle.problem == \"postgres restarts at night\"' '$T/r.json'"
check "the OOM kill is the first root cause" sh -c "jq -e '.root_causes[0] == \"oom-kill\"' '$T/r.json'"
check "the postgres crash is explained by it" sh -c \
	"jq -e '.findings[] | select(.rule == \"postgres-terminated-by-signal\") | .explained_by == [\"oom-kill\"]' '$T/r.json'"
check "a symptom is not a root cause" sh -c \
	"jq -e '.root_causes | index(\"postgres-terminated-by-signal\") == null' '$T/r.json'"
check "the cause lists what it explains" sh -c \
	"jq -e '.findings[] | select(.rule == \"oom-kill\") | .explains | index(\"postgres-terminated-by-signal\") != null' '$T/r.json'"
check "count, first and last seen are right" sh -c \
	"jq -e '.findings[] | select(.rule == \"oom-kill\") | .count == 2 and .first_seen == \"2026-11-20T03:12:09Z\" and .last_seen == \"2026-11-20T03:40:00Z\"' '$T/r.json'"
check "evidence is path:line of the real line" sh -c \
	"jq -e '.findings[] | select(.rule == \"oom-kill\") | .evidence[0] | .path == \"commands/kernel_log\" and .line == $oomline' '$T/r.json'"
check "templates are filled with captures" sh -c \
	"jq -r '.findings[] | select(.rule == \"oom-kill\") | .explanation' '$T/r.json' | grep -q 'killed postgres (pid 4321)'"

"$CASEFILE" analyze "$T/faulty.tar.gz" >"$T/r.txt"
check "text report: bundle, then root causes, then symptoms" sh -c \
	"grep -n -e '^bundle:' -e '^ROOT CAUSES' -e '^SYMPTOMS' '$T/r.txt' | cut -d: -f2 | tr '\n' ' ' | grep -q '^bundle ROOT CAUSES SYMPTOMS'"
check "text report shows evidence as path:line" grep -q "commands/kernel_log:$oomline  " "$T/r.txt"
check "text report shows the customer's words" grep -q 'problem:    "postgres restarts at night"' "$T/r.txt"
check "no colour when not a terminal" sh -c "! grep -q \"\$(printf '\\033')\" '$T/r.txt'"
check "markdown report" sh -c \
	"'$CASEFILE' analyze --format md '$T/faulty.tar.gz' | grep -q '^### Root causes'"
"$CASEFILE" analyze --format html -o "$T/r.html" "$T/faulty.tar.gz"
check "html report is one self-contained file" sh -c \
	"grep -q '<style>' '$T/r.html' && ! grep -qiE '<(script|link|img)[ >]' '$T/r.html' && grep -q 'id=\"oom-kill\"' '$T/r.html'"
check "--fail-on critical exits 1 on a critical finding" sh -c \
	"'$CASEFILE' analyze --fail-on critical '$T/faulty.tar.gz' >/dev/null; [ \$? -eq 1 ]"
check "--fail-on on a healthy bundle exits 0" sh -c \
	"'$CASEFILE' analyze --fail-on high '$(cat "$T/path")' >/dev/null"
check "a bad --format is a usage error (2)" sh -c \
	"'$CASEFILE' analyze --format pdf '$T/faulty.tar.gz' 2>/dev/null; [ \$? -eq 2 ]"
check "a missing bundle exits 3 with what and why" sh -c \
	"'$CASEFILE' analyze '$T/nope.tar.gz' 2>'$T/e'; [ \$? -eq 3 ] && grep -q 'nope.tar.gz: cannot open: No such file' '$T/e'"
check "the unpacked bundle (a directory) gives the same root cause" sh -c \
	"'$CASEFILE' analyze --format json '$T/x' | jq -e '.root_causes[0] == \"oom-kill\" and .bundle.layout == \"casefile\"'"

# every report opens with the host in a few lines, from the bundle's tables
check "the host summary: OS, kernel, memory, load from the bundle" sh -c \
	"jq -e '.host.os != null and (.host.kernel | length > 0) and (.host.memory | test(\"GiB available of\")) and (.host.load | length > 0)' '$T/r.json'"
"$CASEFILE" analyze "$T/faulty.tar.gz" >"$T/r.txt"
check "and in the text report, under the header" grep -q '^host: *os ' "$T/r.txt"
