#!/bin/sh
# t0042: a source whose requirement does not hold on the host (systemd as
# PID 1, a running docker daemon, a path) is not-applicable: a status of its
# own, counted apart in the summary, never a failure, its command never
# started; analyze does not call it a gap
. tests/e2e/lib.sh

mkdir -p "$T/rules" "$T/out" "$T/here"
cat >"$T/rules/sources.yaml" <<YAML
requirements:
  test_daemon:
    exists: ["$T/daemon.sock", "$T/run/*/daemon.pid"]
    why: the test daemon is not running
  test_here:
    exists: ["$T/nothing", "$T/h*re/?"]
    why: never said
sources:
  - name: na_named
    command: [touch, "$T/na_named-ran"]
    requires: [test_daemon]
  - name: na_path
    command: [touch, "$T/na_path-ran"]
    requires: ["$T/no-such-socket"]
  - name: na_files
    files: ["$T/here/*"]
    requires: [test_here, test_daemon]
  - name: applies
    command: [echo, applies]
    requires: [test_here, "$T/here"]
  - name: fails
    command: ["false"]
YAML
touch "$T/here/x"
"$CASEFILE" collect --rules "$T/rules" --only na_named,na_path,na_files,applies,fails \
	-o "$T/out" >"$T/sum" 2>"$T/err"
rc=$?
b=$(ls "$T"/out/casefile-*.tar.gz | head -n 1)
tar xzOf "$b" --wildcards '*/manifest.json' >"$T/m.json"
tar xzOf "$b" --wildcards '*/collect.log' >"$T/log"
status() { jq -r --arg s "$1" '.items[] | select(.source == $s) | .status' "$T/m.json"; }
check "the collection exits 0" test "$rc" -eq 0
check "a named requirement that does not hold: not-applicable, with its why" sh -c \
	"jq -e '.items[] | select(.source == \"na_named\") | .status == \"not-applicable\" and
	        .error == \"the test daemon is not running\"' '$T/m.json'"
check "a path that does not exist: not-applicable, naming the path" sh -c \
	"jq -e '.items[] | select(.source == \"na_path\") | .status == \"not-applicable\" and
	        .error == \"no $T/no-such-socket on this host\"' '$T/m.json'"
check "a file source with one requirement unmet is not read" sh -c \
	"[ \"\$(jq -r '.items[] | select(.source == \"na_files\") | .status' '$T/m.json')\" = not-applicable ] &&
	 ! tar tzf '$b' | grep -q 'here/x'"
check "the command of a source that cannot apply is never started" sh -c \
	"[ ! -e '$T/na_named-ran' ] && [ ! -e '$T/na_path-ran' ]"
check "requirements that hold (a glob of several paths, a plain path) let it run" sh -c \
	"[ \"\$(jq -r '.items[] | select(.source == \"applies\") | .status' '$T/m.json')\" = ok ]"
check "a command that fails is still failed" test "$(status fails)" = failed
check "the summary counts them apart" grep -q \
	"^items: *1 ok, 0 absent, 3 not applicable, 0 denied, 0 refused, 0 timed out, 1 failed, 0 errors, 0 skipped\$" \
	"$T/sum"
check "the summary marks the failure, not what cannot apply" sh -c \
	"grep -q '^  ! fails: exit status 1' '$T/sum' && ! grep -q '^  ! na_' '$T/sum'"
check "collect.log says why" grep -q "na_named: not-applicable: the test daemon is not running" "$T/log"

"$CASEFILE" collect --rules "$T/rules" --only na_named,fails -o "$T/out" -q >"$T/qpath" 2>"$T/qerr"
check "-q: only the failure is a warning" sh -c \
	"grep -q '^casefile: warning: 1 item failed, denied or timed out' '$T/qerr'"

"$CASEFILE" analyze --format json "$b" >"$T/a.json" 2>"$T/a.err"
check "analyze: the failure is a gap, what cannot apply is not" sh -c \
	"jq -e '[.bundle.gaps[] | select(startswith(\"fails:\"))] | length == 1' '$T/a.json' &&
	 jq -e '[.bundle.gaps[] | select(startswith(\"na_\"))] | length == 0' '$T/a.json'"

check "--list says what a source requires" sh -c \
	"'$CASEFILE' collect --rules '$T/rules' --list --only na_named,fails >'$T/list' &&
	 grep -q '^na_named .*  \[requires test_daemon\]\$' '$T/list' &&
	 ! grep '^fails ' '$T/list' | grep -q requires"

# the catalogue is checked: a requirement nobody defines, a relative path
mkdir -p "$T/bad1" "$T/bad2"
printf 'sources:\n  - name: x\n    command: [echo]\n    requires: [nosuch]\n' >"$T/bad1/sources.yaml"
"$CASEFILE" collect --rules "$T/bad1" --list >/dev/null 2>"$T/e1"
check "a requirement no 'requirements:' defines is a usage error" sh -c \
	"[ $? -eq 2 ] && grep -q \"source 'x' requires 'nosuch', which no 'requirements:' defines\" '$T/e1'"
printf 'requirements:\n  r:\n    exists: [run/x]\n    why: w\n' >"$T/bad2/sources.yaml"
"$CASEFILE" collect --rules "$T/bad2" --list >/dev/null 2>"$T/e2"
check "a requirement's path must be absolute" sh -c \
	"[ $? -eq 2 ] && grep -q \"sources.yaml:2:3: a requirement needs\" '$T/e2'"

# this host, through the built-in catalogue: systemd and docker as they are here
"$CASEFILE" collect --only systemctl_failed,docker_info -o "$T/out" -q >"$T/hp" 2>/dev/null
tar xzOf "$(cat "$T/hp")" --wildcards '*/manifest.json' >"$T/h.json"
if [ ! -d /run/systemd/system ]; then
	check "without systemd as PID 1, systemctl is not applicable" sh -c \
		"jq -e '.items[] | select(.source == \"systemctl_failed\") | .status == \"not-applicable\" and
		        .error == \"not booted with systemd as PID 1\"' '$T/h.json'"
else
	check "with systemd as PID 1, systemctl applies" sh -c \
		"jq -e '.items[] | select(.source == \"systemctl_failed\") | .status != \"not-applicable\"' '$T/h.json'"
fi
if [ ! -e /run/docker.sock ] && [ ! -e /var/run/docker.sock ]; then
	check "without a docker daemon, docker info is not applicable" sh -c \
		"jq -e '.items[] | select(.source == \"docker_info\") | .status == \"not-applicable\"' '$T/h.json'"
else
	skip "a docker daemon runs here: docker info applies"
fi
