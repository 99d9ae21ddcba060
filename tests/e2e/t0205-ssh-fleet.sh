#!/bin/sh
# t0205: the user's own OpenSSH set-up (a Host alias read through ssh -G,
# ProxyJump and ProxyCommand through the same real sshd, host keys checked on
# every hop), 16 hosts at once, and the fleet report over their bundles
. tests/e2e/lib.sh
. tests/e2e/sshd.sh

if ! sshd_can_run || ! command -v ssh >/dev/null; then
	skip "needs root, openssh-server and openssh-client"
	exit 0
fi
sshd_start "AllowTcpForwarding yes" ||
	{ echo "not ok 1 - sshd did not start"; cat "$SSHD_DIR/sshd.log"; exit 1; }
KEY=$SSHD_DIR/user_key
ONLY=uname,hostname,meminfo,df,os_release
closed=$(sshd_free_port); closed=$((closed + 1))
while ss -ltn | grep -q "127.0.0.1:$closed "; do closed=$((closed + 1)); done
: >"$T/empty_known"
mkdir -p "$T/out" "$T/fleet"
CFG=$T/ssh_config
{
	for a in dbalias jump; do
		printf 'Host %s\n  HostName 127.0.0.1\n  Port %s\n  User %s\n' "$a" "$SSHD_PORT" "$SSH_USER"
		printf '  IdentityFile %s\n  UserKnownHostsFile %s\n  ConnectTimeout 5\n' "$KEY" "$SSHD_KNOWN"
	done
	cat <<EOF
Host nokey
  UserKnownHostsFile $T/empty_known
  ProxyJump jump
Host viajump viacmd viabadjump viadeadjump nokey
  HostName 127.0.0.1
  Port $SSHD_PORT
  User $SSH_USER
  IdentityFile $KEY
  UserKnownHostsFile $SSHD_KNOWN
Host viajump
  ProxyJump jump
Host viacmd
  ProxyCommand ssh -F $CFG -W %h:%p jump
Host viabadjump
  ProxyJump strangejump
Host viadeadjump
  ProxyJump deadjump
Host strangejump
  HostName 127.0.0.1
  Port $SSHD_PORT
  User $SSH_USER
  IdentityFile $KEY
  UserKnownHostsFile $T/empty_known
Host deadjump
  HostName 127.0.0.1
  Port $closed
  ConnectTimeout 3
EOF
	i=1
	while [ $i -le 16 ]; do
		printf 'Host node%02d\n  HostName 127.0.0.1\n  Port %s\n  User %s\n' $i "$SSHD_PORT" "$SSH_USER"
		printf '  IdentityFile %s\n  UserKnownHostsFile %s\n' "$KEY" "$SSHD_KNOWN"
		i=$((i + 1))
	done
} >"$CFG"

# an alias: nothing on the command line but its name
"$CASEFILE" collect -F "$CFG" --host dbalias --only "$ONLY" -o "$T/out" >"$T/sum" 2>&1
check "a Host alias of the configuration is collected (HostName, Port, User, key, known_hosts)" \
	grep -q "^  ok .*dbalias" "$T/sum"
b=$(sed -n 's/^  ok .*dbalias *\([^ ]*\.tar\.gz\).*/\1/p' "$T/sum")
hn=$(uname -n)
check "an alias: the bundle is named by the host's own name" sh -c \
	"basename '$b' | grep -q '^casefile-$hn-[0-9]\{8\}T'"
check "an alias: the manifest keeps the alias as given and the address connected to" sh -c \
	"tar xzOf '$b' --wildcards '*/casefile/manifest.json' | jq -e '.host == \"$hn\" and .target == \"dbalias\" and .address == \"127.0.0.1:$SSHD_PORT\"'"
"$CASEFILE" collect --no-ssh-config --host dbalias --only "$ONLY" -o "$T/out" --connect-timeout 3s \
	>"$T/sum" 2>&1
check "--no-ssh-config: the alias is a host name, and says why it fails" \
	grep -q "FAILED.*cannot resolve 'dbalias'" "$T/sum"

# the plain path (CASEFILE_TEST_NO_SHELL): no kept shell, no command sent
# ahead, no listing ahead; a channel and a listing per item, and the bundle says so
CASEFILE_TEST_NO_SHELL=1 "$CASEFILE" collect -F "$CFG" --host dbalias --only "$ONLY" -o "$T/out" \
	--no-push >"$T/sum" 2>&1
b=$(sed -n 's/^  ok .*dbalias *\([^ ]*\.tar\.gz\).*/\1/p' "$T/sum")
check "no shell on the host: still collected, a channel per item, and it verifies" verify_bundle "$b"
"$CASEFILE" collect -F "$CFG" --host dbalias --only "$ONLY" -o "$T/out" --no-push >"$T/sum2" 2>&1
b2=$(sed -n 's/^  ok .*dbalias *\([^ ]*\.tar\.gz\).*/\1/p' "$T/sum2")
"$CASEFILE" collect -F "$CFG" --host dbalias --only "$ONLY" -o "$T/out" >"$T/sum3" 2>&1
b3=$(sed -n 's/^  ok .*dbalias *\([^ ]*\.tar\.gz\).*/\1/p' "$T/sum3")
check "the plain path, the fast one (shells, look-ahead) and casefile on the host collect the same items" sh -c \
	"for x in '$b' '$b2' '$b3'; do tar xzOf \"\$x\" --wildcards '*/manifest.json' | jq -r '.items[] | \"\\(.source) \\(.path) \\(.status)\"' | sort >\"\$x.items\"; done; diff '$b.items' '$b2.items' && diff '$b.items' '$b3.items'"
check "collect.log says why there was no shell" sh -c \
	"tar xzOf '$b' --wildcards '*/casefile/collect.log' | grep -q 'no shell could be kept open on the host (CASEFILE_TEST_NO_SHELL'"

# jump hosts: through OpenSSH's ssh -W, the hops' keys checked by OpenSSH
"$CASEFILE" collect -F "$CFG" --host viajump --host viacmd --only "$ONLY" -o "$T/out" \
	>"$T/sum" 2>&1
check "ProxyJump through the same sshd" grep -q "^  ok .*viajump" "$T/sum"
check "ProxyCommand with %h and %p" grep -q "^  ok .*viacmd" "$T/sum"
b=$(sed -n 's/^  ok .*viajump *\([^ ]*\.tar\.gz\).*/\1/p' "$T/sum")
check "the bundle that came through the jump host verifies" verify_bundle "$b"
check "through a jump host: the manifest says which" sh -c \
	"tar xzOf '$b' --wildcards '*/casefile/manifest.json' | jq -e '.target == \"viajump\" and .proxy == \"ProxyJump jump\" and .address == \"127.0.0.1:$SSHD_PORT\"'"
"$CASEFILE" collect -F "$CFG" --host viabadjump --host viadeadjump --host nokey --only "$ONLY" \
	-o "$T/out" >"$T/sum" 2>&1
check "a jump host whose key is unknown is refused, with OpenSSH's reason" \
	grep -q "FAILED.*viabadjump.*ProxyJump strangejump.*Host key verification failed" "$T/sum"
check "a jump host that does not answer is reported" \
	grep -q "FAILED.*viadeadjump.*ProxyJump deadjump.*proxy said" "$T/sum"
check "the target's own key is still checked behind the jump host" \
	grep -q "FAILED.*nokey.*unknown host key" "$T/sum"
check "no proxy process is left behind" sh -c "! pgrep -f '[s]sh -F $CFG'"

printf 'Host x\n  Bogus yes\n' >"$T/bad_config"
"$CASEFILE" collect -F "$T/bad_config" --host x --only "$ONLY" -o "$T/out" >"$T/sum" 2>&1
check "a configuration with a typo: the file, the line and the word" \
	grep -q "FAILED.*bad_config: line 2: Bad configuration option: bogus" "$T/sum"
CASEFILE_SSH=/nonexistent "$CASEFILE" collect --host "$SSH_USER@127.0.0.1:$SSHD_PORT" -i "$KEY" \
	--known-hosts "$SSHD_KNOWN" --only "$ONLY" -o "$T/out" >"$T/sum" 2>&1
check "without ssh(1): said once, and HOST as given still works" sh -c \
	"grep -q 'ssh(1) is not installed' '$T/sum' && grep -q '^  ok ' '$T/sum'"

# 16 hosts at once, then one fleet report over their bundles
hosts=""
i=1
while [ $i -le 16 ]; do hosts="$hosts --host $(printf node%02d $i)"; i=$((i + 1)); done
# shellcheck disable=SC2086
"$CASEFILE" collect -F "$CFG" $hosts -j 16 --only "$ONLY" -o "$T/fleet" >"$T/sum" 2>&1
check "16 hosts at once: exit 0" test $? -eq 0
check "16 hosts at once: all 16 collected" grep -q "^16 hosts: 16 collected, 0 failed" "$T/sum"
check "16 bundles and their checksums" sh -c \
	"[ \$(ls '$T'/fleet/*.tar.gz | wc -l) -eq 16 ] && [ \$(ls '$T'/fleet/*.sha256 | wc -l) -eq 16 ]"
# a rule every host meets (its /proc/meminfo), so the fleet has a root cause to share
mkdir -p "$T/rules/test"
cat >"$T/rules/test/fleet-meminfo.yaml" <<'YAML'
id: fleet-meminfo
title: The host has memory (a test rule)
category: memory.oom
severity: low
sources: [meminfo]
patterns:
  - '^MemTotal:\s+(?<kb>\d+) kB'
explanation: >
  MemTotal is {kb} kB.
remediation: >
  Nothing: a rule of the test suite.
fixtures:
  - expect: match
    input:
      meminfo: |
        MemTotal:        8000000 kB
  - expect: no-match
    input:
      meminfo: |
        MemFree:         8000000 kB
YAML
"$CASEFILE" analyze "$T/fleet" --rules "$T/rules" --format json -o "$T/fleet.json" 2>"$T/err"
check "fleet analysis of the folder: exit 0" test $? -eq 0
check "one casefile-fleet/1 object with 16 host reports" sh -c \
	"jq -e '.schema == \"casefile-fleet/1\" and (.hosts | length) == 16 and .failed == []' '$T/fleet.json'"
check "the root cause every host has is shared by all 16, in shared and in root_causes" sh -c \
	"jq -e '([.shared[] | select(.rule == \"fleet-meminfo\" and .count == 16 and (.hosts | length) == 16)] | length) == 1 and ([.root_causes[] | select(.rule == \"fleet-meminfo\")][0].count == 16)' '$T/fleet.json'"
"$CASEFILE" analyze "$T/fleet" --rules "$T/rules" -j 1 --format json -o "$T/fleet1.json"
check "one worker or several: the same report" sh -c \
	"jq -S 'del(.hosts[].bundle.bytes_read)' '$T/fleet.json' >'$T/a' && jq -S 'del(.hosts[].bundle.bytes_read)' '$T/fleet1.json' >'$T/b' && cmp '$T/a' '$T/b'"
"$CASEFILE" analyze "$T/fleet" --rules "$T/rules" >"$T/fleet.txt"
check "the text report opens with the fleet" sh -c \
	"head -n 1 '$T/fleet.txt' | grep -q '^casefile fleet report: 16 hosts, 16 with a root cause' && grep -q '16/16 hosts  LOW       fleet-meminfo' '$T/fleet.txt' && grep -q 'HOSTS x ROOT CAUSES' '$T/fleet.txt'"
check "then each host's report" test "$(grep -c '^casefile report' "$T/fleet.txt")" -eq 16
"$CASEFILE" analyze "$T/fleet" --format html -o "$T/fleet.html"
check "the HTML fleet report is one document" sh -c \
	"[ \$(grep -c '<html' '$T/fleet.html') -eq 1 ] && grep -q 'Hosts &times; root causes' '$T/fleet.html'"
printf 'not a bundle' >"$T/fleet/zz-broken.tar.gz"
"$CASEFILE" analyze "$T/fleet" --format json -o "$T/fleet2.json" 2>"$T/err"
rc=$?
check "a broken archive among them: exit 3, said with its name" sh -c \
	"[ $rc -eq 3 ] && grep -q 'zz-broken.tar.gz: cannot read as an archive' '$T/err'"
check "and the other 16 are still reported" sh -c \
	"jq -e '(.hosts | length) == 16 and (.failed | length) == 1' '$T/fleet2.json'"

# StrictHostKeyChecking accept-new in the configuration: an unknown key is
# recorded where ssh would record it (UserKnownHostsFile; hashed with
# HashKnownHosts) and said in one line; a changed key is still refused
ssh-keygen -q -t ed25519 -N '' -f "$T/other_host_key"
echo "[127.0.0.1]:$SSHD_PORT $(cut -d' ' -f1,2 "$T/other_host_key.pub")" >"$T/changed_known"
cp "$T/changed_known" "$T/changed_known.before"
cat >>"$CFG" <<EOF
Host acceptnew acceptnewhashed acceptchanged
  HostName 127.0.0.1
  Port $SSHD_PORT
  User $SSH_USER
  IdentityFile $KEY
  StrictHostKeyChecking accept-new
Host acceptnew
  UserKnownHostsFile $T/new_known
Host acceptnewhashed
  UserKnownHostsFile $T/new_known_hashed
  HashKnownHosts yes
Host acceptchanged
  UserKnownHostsFile $T/changed_known
EOF
fp=$(ssh-keygen -lf "$SSHD_DIR/host_ed25519.pub" | cut -d' ' -f2)
"$CASEFILE" collect -F "$CFG" --host acceptnew --only uname -o "$T/out" >"$T/sum" 2>&1
check "StrictHostKeyChecking accept-new: an unknown host is collected, its key recorded" sh -c \
	"grep -q '^  ok .*acceptnew' '$T/sum' && grep -q '^\[127.0.0.1\]:$SSHD_PORT ssh-ed25519 ' '$T/new_known'"
check "and one line says so: the key's type, its fingerprint and the file" \
	grep -qxF "casefile: warning: acceptnew: new host key ssh-ed25519 $fp recorded in $T/new_known (StrictHostKeyChecking accept-new)" "$T/sum"
check "the recorded line is one OpenSSH's own ssh accepts" \
	ssh -F "$CFG" -o BatchMode=yes -o StrictHostKeyChecking=yes acceptnew true
"$CASEFILE" collect -F "$CFG" --host acceptnew --only uname -o "$T/out" >"$T/sum" 2>&1
check "the next time the key is known: nothing recorded twice, nothing said" sh -c \
	"grep -q '^  ok .*acceptnew' '$T/sum' && ! grep -q 'new host key' '$T/sum' && [ \$(wc -l <'$T/new_known') -eq 1 ]"
"$CASEFILE" collect -F "$CFG" --host acceptnewhashed --only uname -o "$T/out" >"$T/sum" 2>&1
check "HashKnownHosts yes: the key is recorded hashed, and ssh-keygen -F finds it" sh -c \
	"grep -q '^  ok .*acceptnewhashed' '$T/sum' && grep -q '^|1|' '$T/new_known_hashed' && ! grep -q 127.0.0.1 '$T/new_known_hashed' && ssh-keygen -F '[127.0.0.1]:$SSHD_PORT' -f '$T/new_known_hashed' | grep -q ssh-ed25519"
"$CASEFILE" collect -F "$CFG" --host acceptchanged --only uname -o "$T/out" >"$T/sum" 2>&1
check "StrictHostKeyChecking accept-new: a changed key is still refused, the file left as it was" sh -c \
	"grep -q 'FAILED.*acceptchanged.*host key has CHANGED' '$T/sum' && cmp '$T/changed_known' '$T/changed_known.before'"

# --obfuscate over SSH: the host's names learned from its own items as they come
addrs=$(ip -o addr 2>/dev/null | awk '{ sub(/\/.*/, "", $4); print $4 }' | grep -v '^127\.' | grep -vx '::1' | tr '\n' ' ')
mkdir -p "$T/obf"
"$CASEFILE" collect -F "$CFG" --host dbalias --obfuscate --only uname,hostname,ip_addr,hosts \
	-o "$T/obf" >"$T/sum" 2>&1
b=$(ls "$T"/obf/*.tar.gz | head -n 1)
check "over SSH with --obfuscate: the bundle and its map beside it, 0600" sh -c \
	"[ -f '$b' ] && [ \$(stat -c %a '${b%.tar.gz}.map.json') = 600 ]"
check "none of the host's addresses nor its name in it" sh -c \
	"tar xzOf '$b' >'$T/all'; for v in $addrs; do ! grep -qF -- \"\$v\" '$T/all' || { echo \$v; exit 1; }; done; ! grep -qP '(?<![\\w.-])$(hostname)(?![\\w-]|\\.\\w)' '$T/all'"
