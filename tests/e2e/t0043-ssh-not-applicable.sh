#!/bin/sh
# t0043: over SSH item by item (--rules keeps the catalogue here), a
# source's requirements are asked of the host through the transport (one sh
# loop each): one that does not hold is not-applicable and its command
# never runs; one that holds lets it run
. tests/e2e/lib.sh
. tests/e2e/sshd.sh

if ! sshd_can_run; then
	skip "needs root and openssh-server"
	exit 0
fi
sshd_start || { echo "not ok 1 - sshd did not start"; cat "$SSHD_DIR/sshd.log"; exit 1; }
H=$SSH_USER@127.0.0.1:$SSHD_PORT
mkdir -p "$T/rules" "$T/out"
# a folder only the host has: the namespace's /run is its own
mkdir -p /run/casefile-t0043/here
cat >"$T/rules/sources.yaml" <<'YAML'
requirements:
  gone:
    exists: [/run/casefile-t0043/gone, '/run/casefile-t0043/*/gone.sock']
    why: the test daemon is not running
  there:
    exists: [/run/casefile-t0043/gone, '/run/casefile-t0043/h*e']
    why: never said
sources:
  - name: na_named
    command: ["false"]
    requires: [gone]
  - name: na_path
    command: ["false"]
    requires: [/run/casefile-t0043/no-such-socket]
  - name: applies
    command: [echo, applies]
    requires: [there, /run/casefile-t0043/here]
YAML
"$CASEFILE" collect --host "$H" -i "$SSHD_DIR/user_key" --known-hosts "$SSHD_KNOWN" \
	--rules "$T/rules" --only na_named,na_path,applies -o "$T/out" -q >"$T/p" 2>"$T/e"
check "the collection over SSH ends with exit 0" test $? -eq 0
m=$T/m.json
tar xzOf "$(cat "$T/p")" --wildcards '*/manifest.json' >"$m"
check "the host was reached item by item" jq -e '.transport == "ssh" and .user == "cftest"' "$m"
check "a requirement the host does not meet: not-applicable, with why" jq -e \
	'.items[] | select(.source == "na_named") | .status == "not-applicable" and
	 .error == "the test daemon is not running"' "$m"
check "a path the host does not have: not-applicable" jq -e \
	'.items[] | select(.source == "na_path") | .status == "not-applicable" and
	 .error == "no /run/casefile-t0043/no-such-socket on this host"' "$m"
check "requirements the host meets (a glob among them): the command runs" jq -e \
	'.items[] | select(.source == "applies") | .status == "ok"' "$m"
check "nothing failed: what cannot apply never ran" sh -c \
	"jq -e '[.items[] | select(.status == \"failed\")] | length == 0' '$m' && ! grep -q warning '$T/e'"
rm -rf /run/casefile-t0043
