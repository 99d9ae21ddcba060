#!/bin/sh
# t0200: collection over SSH (upload: t0202), against a real OpenSSH sshd on
# 127.0.0.1 with throwaway keys
. tests/e2e/lib.sh
. tests/e2e/sshd.sh

if ! sshd_can_run; then
	skip "needs root and openssh-server"
	exit 0
fi
sshd_start || { echo "not ok 1 - sshd did not start"; cat "$SSHD_DIR/sshd.log"; exit 1; }
H=$SSH_USER@127.0.0.1:$SSHD_PORT
KEY=$SSHD_DIR/user_key
mkdir -p "$T/rules" "$T/out"
cat >"$T/rules/sources.yaml" <<'YAML'
sources:
  - name: whoami
    command: [id, -un]
  - name: hangs
    command: [sleep, "4711"]
    timeout: 2s
YAML
ONLY=uname,hostname,meminfo,df,os_release,whoami

# one host, then analyze its bundle
"$CASEFILE" collect --host "$H" -i "$KEY" --known-hosts "$SSHD_KNOWN" --rules "$T/rules" \
	--only "$ONLY" -o "$T/out" -q >"$T/p" 2>"$T/e"
check "one host over SSH: exit 0" test $? -eq 0
b=$(cat "$T/p")
check "the bundle is there, verifies" verify_bundle "$b"
mkdir -p "$T/x" && tar xzf "$b" -C "$T/x"
m=$(ls "$T"/x/*/casefile/manifest.json)
check "the manifest records SSH and the login user" sh -c \
	"jq -e '.transport == \"ssh\" and .user == \"$SSH_USER\" and .sudo == false' '$m'"
check "commands ran on the host as that user" grep -qx "$SSH_USER" "$T"/x/*/commands/whoami
check "files were read over SSH" grep -q MemTotal "$T"/x/*/proc/meminfo
# named by the host itself (uname -n), reached by an address
hn=$(uname -n)
check "the bundle is named by the host's own name, not the address" sh -c \
	"basename '$b' | grep -q '^casefile-$hn-[0-9]\{8\}T[0-9]\{6\}Z\.tar\.gz\$'"
check "the manifest: the host's name, the target as given, the address connected to" sh -c \
	"jq -e '.host == \"$hn\" and .target == \"$H\" and .address == \"127.0.0.1:$SSHD_PORT\" and (has(\"proxy\") | not)' '$m'"
check "collect.log says how the host was reached" sh -c \
	"grep -q 'collect .* on $hn ($H, 127.0.0.1:$SSHD_PORT) over ssh as $SSH_USER' '$T'/x/*/casefile/collect.log"
check "the bundle analyzes" sh -c \
	"'$CASEFILE' analyze --format json '$b' | jq -e '.bundle.layout == \"casefile\" and .bundle.hostname == \"$hn\"'"

# three at once: a good one, a closed port, a silent one; one command hangs
closed=$(sshd_free_port); closed=$((closed + 1))
while ss -ltn | grep -q "127.0.0.1:$closed "; do closed=$((closed + 1)); done
silent=""
if command -v python3 >/dev/null 2>&1; then
	silent=$((closed + 1))
	python3 -c "import socket,time
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1',$silent)); s.listen(5); c=s.accept(); time.sleep(30)" &
	spid=$!
	# python's start-up on a loaded machine can take longer than any fixed
	# sleep: wait until it listens
	w=0
	while ! ss -ltn | grep -q "127.0.0.1:$silent " && [ $w -lt 100 ]; do
		sleep 0.1; w=$((w + 1))
	done
fi
start=$(date +%s)
"$CASEFILE" collect --host "$H" --host "$SSH_USER@127.0.0.1:$closed" \
	${silent:+--host "$SSH_USER@127.0.0.1:$silent"} -i "$KEY" --known-hosts "$SSHD_KNOWN" \
	--rules "$T/rules" --only "$ONLY,hangs" --connect-timeout 3s -o "$T/out" >"$T/sum" 2>&1
rc=$?
took=$(($(date +%s) - start))
[ -n "$silent" ] && kill "$spid" 2>/dev/null
check "several hosts: exit 1 when one failed" test $rc -eq 1
check "the closed port is reported with why" grep -q "FAILED.*:$closed .*connect.*refused" "$T/sum"
[ -n "$silent" ] && check "the silent host times out in the handshake" grep -q "FAILED.*:$silent .*handshake.*timed out" "$T/sum"
check "the good host is collected" grep -q "^  ok .*$H" "$T/sum"
check "nobody waited past the timeouts" test "$took" -lt 15
good=$(sed -n "s|^  ok  *$H  *\([^ ]*\).*|\1|p" "$T/sum")
check "the good host's bundle is complete" sh -c "tar xzOf '$good' --wildcards '*/manifest.json' | jq -e '.complete == true'"
check "its hung command was cut at its timeout" sh -c \
	"tar xzOf '$good' --wildcards '*/manifest.json' | jq -e '.items[] | select(.source == \"hangs\") | .status == \"timeout\"'"
check "no remote process of the hung command is left" sh -c "! pgrep -f 'sleep 471[1]'"

# a hosts file; and a host timeout that stops a collection still running
printf '# test hosts\n%s   # the local sshd\n\n' "$H" >"$T/hosts"
mkdir -p "$T/slowrules" "$T/ht"
cat >"$T/slowrules/sources.yaml" <<'YAML'
sources:
  - name: very_slow
    command: [sleep, "5813"]
    timeout: 60s
YAML
start=$(date +%s)
"$CASEFILE" collect --hosts-file "$T/hosts" -i "$KEY" --known-hosts "$SSHD_KNOWN" --rules "$T/slowrules" \
	--only uname,very_slow --host-timeout 3s -o "$T/ht" >"$T/sum" 2>&1
took=$(($(date +%s) - start))
check "--hosts-file: the host in it is collected" grep -q "$H" "$T/sum"
check "--host-timeout stops a host well before its slow command ends" test "$took" -lt 20
check "a stopped host is reported as incomplete" grep -q "incomplete" "$T/sum"
check "its bundle is still valid and marked incomplete" sh -c \
	"tar xzOf \$(ls '$T'/ht/*.tar.gz | head -n 1) --wildcards '*/manifest.json' | jq -e '.complete == false'"
# the stopped host's remote command is not ours to wait for: end it
pkill -u "$SSH_USER" -f 'sleep 581[3]' 2>/dev/null || true

# one shell on the host runs every item (collect/ssh_shell.c): a capped
# output keeps its end and its size, stderr and exit status come back, a
# command not installed is absent, a script with several lines runs whole,
# and after a command that overran the next item still runs
mkdir -p "$T/shrules" "$T/sh"
cat >"$T/shrules/sources.yaml" <<'YAML'
sources:
  - name: big
    command: [seq, "1", "100000"]
    cap: 1K
  - name: noisy
    shell: 'echo out; echo "to stderr" >&2; exit 3'
  - name: missing
    command: [no-such-program-4711]
  - name: lines
    shell: |
      a=first
      echo "$a"; echo second
  - name: hang
    command: [sleep, "4712"]
    timeout: 1s
  - name: after
    command: [echo, still here]
YAML
"$CASEFILE" collect --host "$H" -i "$KEY" --known-hosts "$SSHD_KNOWN" --rules "$T/shrules" \
	--only big,noisy,missing,lines,hang,after -o "$T/sh" -q >"$T/shp" 2>&1
mkdir -p "$T/shx" && tar xzf "$(ls "$T"/sh/*.tar.gz | head -n 1)" -C "$T/shx"
sm=$(ls "$T"/shx/*/casefile/manifest.json)
item() { jq -c ".items[] | select(.source == \"$1\")" "$sm"; }
big=$(ls "$T"/shx/*/commands/big)
check "a capped output keeps its end" sh -c "tail -n 1 '$big' | grep -qx 100000 && [ \$(wc -c <'$big') -le 1024 ]"
check "and the size of the whole output is known" sh -c \
	"echo '$(item big)' | jq -e '.truncated == true and .original_bytes == $(seq 1 100000 | wc -c)'"
check "exit status and stderr come back" sh -c "echo '$(item noisy)' | grep -q 'to stderr' && echo '$(item noisy)' | grep -q 'exit status 3'"
check "a program not installed is absent" sh -c "echo '$(item missing)' | jq -e '.status == \"absent\"'"
check "a script of several lines runs whole" sh -c "printf 'first\nsecond\n' | cmp - '$T'/shx/*/commands/lines"
check "a command over its time is a timeout" sh -c "echo '$(item hang)' | jq -e '.status == \"timeout\"'"
check "the next item still runs" grep -qx "still here" "$T"/shx/*/commands/after
pkill -u "$SSH_USER" -f 'sleep 471[2]' 2>/dev/null || true

# the same host twice at once: two bundles, none lost to a name clash
mkdir -p "$T/twice"
"$CASEFILE" collect --host "$H" --host "$H" -j 2 -i "$KEY" --known-hosts "$SSHD_KNOWN" \
	--only uname,hostname -o "$T/twice" -q >/dev/null 2>&1
check "two collections of one host at once give two bundles" test "$(ls "$T"/twice/*.tar.gz | wc -l)" -eq 2

# host keys
: >"$T/empty_known"
"$CASEFILE" collect --host "$H" -i "$KEY" --known-hosts "$T/empty_known" --only uname -o "$T/out" >"$T/sum" 2>&1
check "an unknown host key is refused, with its fingerprint" grep -q "unknown host key SHA256:" "$T/sum"
"$CASEFILE" collect --host "$H" -i "$KEY" --known-hosts "$T/empty_known" --only uname -o "$T/out" \
	-q >"$T/qout" 2>"$T/qerr"
check "-q: the refused key is still an error on stderr, exit 1" sh -c \
	"[ $? -eq 1 ] && grep -q \"^casefile: error: $H: unknown host key SHA256:\" '$T/qerr'"
check "-q: and nothing on stdout, where the bundles' paths go" test ! -s "$T/qout"
"$CASEFILE" collect --host "$H" -i "$KEY" --known-hosts "$T/empty_known" --accept-new-host-keys \
	--only uname -o "$T/out" >"$T/sum" 2>&1
# hashed or not as the configuration's HashKnownHosts says (Debian's is yes)
check "--accept-new-host-keys collects and records the key" sh -c \
	"grep -q '^  ok' '$T/sum' && ssh-keygen -F '[127.0.0.1]:$SSHD_PORT' -f '$T/empty_known' | grep -q ' ssh-ed25519 '"
check "the recorded key is then known" sh -c \
	"'$CASEFILE' collect --host '$H' -i '$KEY' --known-hosts '$T/empty_known' --only uname -o '$T/out' -q"
ssh-keygen -q -t ed25519 -N '' -f "$T/other_host_key"
echo "[127.0.0.1]:$SSHD_PORT $(cut -d' ' -f1,2 "$T/other_host_key.pub")" >"$T/changed_known"
"$CASEFILE" collect --host "$H" -i "$KEY" --known-hosts "$T/changed_known" --accept-new-host-keys \
	--only uname -o "$T/out" >"$T/sum" 2>&1
check "a changed host key is refused, even with --accept-new-host-keys" sh -c \
	"grep -q 'host key has CHANGED' '$T/sum' && grep -q '1 failed' '$T/sum'"
check "the advice names the entry as known_hosts has it, the port inside the brackets" \
	grep -qF "then remove the old one: ssh-keygen -R '[127.0.0.1]:$SSHD_PORT' -f '$T/changed_known'" "$T/sum"
cp "$SSHD_KNOWN" "$T/hashed_known" && ssh-keygen -q -H -f "$T/hashed_known" >/dev/null 2>&1
check "hashed known_hosts entries are understood" sh -c \
	"grep -q '^|1|' '$T/hashed_known' && '$CASEFILE' collect --host '$H' -i '$KEY' --known-hosts '$T/hashed_known' --only uname -o '$T/out' -q"

# logins: agent, encrypted key, password
eval "$(ssh-agent -s -a "$T/agent.sock")" >/dev/null
ssh-add -q "$KEY" 2>/dev/null
check "login through ssh-agent" sh -c \
	"SSH_AUTH_SOCK='$T/agent.sock' '$CASEFILE' collect --host '$H' --known-hosts '$SSHD_KNOWN' --only uname -o '$T/out' -q"
kill "$SSH_AGENT_PID" 2>/dev/null
check "login with an encrypted key, passphrase from the environment" sh -c \
	"SSH_AUTH_SOCK='' CASEFILE_SSH_PASSPHRASE='open sesame' '$CASEFILE' collect --host '$H' -i '$SSHD_DIR/user_key_enc' --known-hosts '$SSHD_KNOWN' --only uname -o '$T/out' -q"
check "an encrypted key without a passphrase or a terminal is a clear error" sh -c \
	"SSH_AUTH_SOCK= setsid '$CASEFILE' collect --host '$H' -i '$SSHD_DIR/user_key_enc' --known-hosts '$SSHD_KNOWN' --only uname -o '$T/out' </dev/null 2>&1 | grep -q 'is encrypted: run from a terminal or set CASEFILE_SSH_PASSPHRASE'"
sshd_password_on
check "login with a password from the environment" sh -c \
	"SSH_AUTH_SOCK='' CASEFILE_SSH_PASSWORD='$SSH_PASSWORD' '$CASEFILE' collect --host '$H' --known-hosts '$SSHD_KNOWN' --only uname -o '$T/out' -q"
SSH_AUTH_SOCK='' CASEFILE_SSH_PASSWORD=wrong "$CASEFILE" collect --host "$H" --known-hosts "$SSHD_KNOWN" \
	--only uname -o "$T/out" >"$T/sum" 2>&1
check "a wrong password is refused with why" grep -q "cannot log in as $SSH_USER" "$T/sum"

# sudo
"$CASEFILE" collect --host "$H" -i "$KEY" --known-hosts "$SSHD_KNOWN" --sudo --rules "$T/rules" \
	--only whoami -o "$T/out" -q >"$T/p"
check "--sudo runs the commands as root" sh -c "tar xzOf \$(cat '$T/p') --wildcards '*/commands/whoami' | grep -qx root"
check "--sudo is in the manifest" sh -c "tar xzOf \$(cat '$T/p') --wildcards '*/manifest.json' | jq -e '.sudo == true'"

# root over SSH reads nothing another user planted, like the local collector
mkdir -p "$T/pl/pg" "$T/pl/rules" "$T/pl/out"
tmode=$(stat -c %a "$T")
chmod 755 "$T" "$T/pl"
echo "TOPSECRET-5926 root only" >"$T/pl/secret"
chmod 600 "$T/pl/secret"
echo "pg own line" >"$T/pl/pg/own.data"
chown -R nobody "$T/pl/pg"
ln -s "$T/pl/secret" "$T/pl/pg/planted.log" && chown -h nobody "$T/pl/pg/planted.log"
ln "$T/pl/secret" "$T/pl/pg/hard.log"
ln -s own.data "$T/pl/pg/own.log" && chown -h nobody "$T/pl/pg/own.log"
cat >"$T/pl/rules/sources.yaml" <<YAML
sources:
  - name: planted
    kind: log
    files: ["$T/pl/pg/*.log"]
    rotated: false
YAML
"$CASEFILE" collect --host "$H" -i "$KEY" --known-hosts "$SSHD_KNOWN" --sudo --rules "$T/pl/rules" \
	--only planted -o "$T/pl/out" -q >"$T/p" 2>"$T/e"
pb=$(cat "$T/p")
check "over SSH as root: the secret is nowhere in the bundle" sh -c "! tar xzOf '$pb' | grep -q TOPSECRET-5926"
check "over SSH: the planted link and the hard link are refused" sh -c \
	"tar xzOf '$pb' --wildcards '*/manifest.json' | jq -e '[.items[] | select(.status == \"refused\")] | length == 2'"
check "over SSH: the user's own link is read" sh -c "tar xzOf '$pb' --wildcards '*own.log' | grep -q 'pg own line'"
chmod "$tmode" "$T"

# no secret anywhere: bundle, manifest, log, process list
SSH_AUTH_SOCK='' CASEFILE_SSH_PASSWORD="$SSH_PASSWORD" "$CASEFILE" collect --host "$H" \
	--known-hosts "$SSHD_KNOWN" --rules "$T/rules" --only uname,hangs -o "$T/out" -q >"$T/p" &
cpid=$!
# the list while it runs: the host is running the source that hangs (bounded)
i=0
while ! pgrep -xf 'sleep 4711' >/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
ps -eo args >"$T/ps"
wait $cpid
check "the password is not in the process list (taken while casefile ran)" sh -c \
	"grep -q '^sleep 4711' '$T/ps' && ! grep -q '$SSH_PASSWORD' '$T/ps'"
check "the password is in no member of the bundle" sh -c "! tar xzOf \$(cat '$T/p') | grep -q '$SSH_PASSWORD'"
sshd_password_off
SSH_AUTH_SOCK='' CASEFILE_SSH_PASSWORD="$SSH_PASSWORD" "$CASEFILE" collect --host "$H" \
	--known-hosts "$SSHD_KNOWN" --only uname -o "$T/out" >"$T/sum" 2>&1
check "after the password checks the login is keys only: the password is refused" \
	grep -q "cannot log in as $SSH_USER" "$T/sum"
check "the passphrase is in no bundle either" sh -c "! (for f in '$T'/out/*.tar.gz; do tar xzOf \"\$f\"; done) | grep -q 'open sesame'"
