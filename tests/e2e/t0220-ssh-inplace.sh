#!/bin/sh
# t0220: casefile on the host itself (inplace.h), against the real sshd: the
# same items as item by item, the bundle checked, nothing left on the host,
# --sudo, hostile option values, and the way back to item by item when
# casefile cannot run there (root's TMPDIR is unusable on this sshd)
. tests/e2e/lib.sh
. tests/e2e/sshd.sh

if ! sshd_can_run; then
	skip "needs root and openssh-server"
	exit 0
fi
sshd_start "Match User root
  SetEnv TMPDIR=/proc/casefile-none" ||
	{ echo "not ok 1 - sshd did not start"; cat "$SSHD_DIR/sshd.log"; exit 1; }
KEY=$SSHD_DIR/user_key
H=$SSH_USER@127.0.0.1:$SSHD_PORT
SSH="-i $KEY --known-hosts $SSHD_KNOWN"
uid=$(id -u "$SSH_USER")
mkdir -p "$T/out" "$T/plain" "$T/x"

# the stream itself, here: a header line, then a tar.gz under NAME/
"$CASEFILE" collect --inplace 'db"1' --bundle-name casefile-db1-1 --collected-by eng \
	--only uname,hostname >"$T/stream" 2>"$T/stream.err"
check "--inplace: the header line names the bundle" \
	sh -c "head -n 1 '$T/stream' | grep -qx 'casefile-inplace/1 casefile-db1-1'"
check "--inplace: then a tar.gz whose members are all under NAME/" sh -c \
	"tail -n +2 '$T/stream' | tar tzf - >'$T/members' && ! grep -v '^casefile-db1-1/' '$T/members' && grep -q '/commands/uname\$' '$T/members'"
tail -n +2 "$T/stream" | tar xzf - -C "$T/x"
check "--inplace: the manifest says ssh, the host as named, who collected it" sh -c \
	"jq -e '.transport == \"ssh\" and .host == \"db\\\"1\" and .collected_by == \"eng\"' '$T/x/casefile-db1-1/casefile/manifest.json'"
check "--inplace: progress goes to stderr as lines" grep -q '^casefile-inplace: P 1/2 ' "$T/stream.err"
# --target (the Ansible role's inventory name): in the manifest, and in the
# bundle's name when it is not the host's own name
hn=$(uname -n)
"$CASEFILE" collect --target db7 --only uname -o "$T/out" -q >"$T/p" 2>/dev/null
check "--target: a collection of this host keeps the name it was asked by" sh -c \
	"basename \$(cat '$T/p') | grep -q '^casefile-$hn-db7-[0-9]' && tar xzOf \$(cat '$T/p') --wildcards '*/casefile/manifest.json' | jq -e '.host == \"$hn\" and .target == \"db7\"'"
"$CASEFILE" collect --target "$hn" --only uname -o "$T/out" -q >"$T/p" 2>/dev/null
check "--target: the host's own name is not said twice" sh -c "basename \$(cat '$T/p') | grep -q '^casefile-$hn-[0-9]'"
"$CASEFILE" collect --host "$H" --target db7 --only uname -o "$T/out" >"$T/sum" 2>&1
check "--target with --host: a usage error that says why" sh -c \
	"[ $? -eq 2 ] && grep -q 'over SSH each host.s target is its --host' '$T/sum'"
"$CASEFILE" collect --help >"$T/help"
check "--help shows --no-push, not the options between casefile and casefile" sh -c \
	"grep -q -e '--no-push' '$T/help' && ! grep -e '--inplace' -e '--bundle-name' -e '--stop-after' '$T/help'"

# one host, whole: casefile runs there
# shellcheck disable=SC2086
"$CASEFILE" collect --host "$H" $SSH -o "$T/out" >"$T/sum" 2>&1
st=$?
check "one host, casefile on it: exit 0" test "$st" -eq 0
b=$(sed -n 's/^  ok .* \([^ ]*\.tar\.gz\) .*/\1/p' "$T/sum")
check "the bundle verifies" sh -c "cd '$T/out' && sha256sum -c --quiet '$(basename "$b").sha256'"
check "its members match the manifest" verify_bundle "$b"
tar xzOf "$b" --wildcards '*/casefile/manifest.json' >"$T/mf"
tar xzOf "$b" --wildcards '*/casefile/collect.log' >"$T/log"
check "collect.log says it ran on the host, as the login user" \
	grep -q "over ssh, run on the host as uid $uid," "$T/log"
check "the manifest: ssh, the login user, who collected, the host's kernel" sh -c \
	"jq -e '.transport == \"ssh\" and .user == \"$SSH_USER\" and .uid == $uid and .sudo == false and .collected_by == \"$(id -un)\" and (.kernel | length > 0) and .complete' '$T/mf'"
# shellcheck disable=SC2086
"$CASEFILE" collect --host "$H" $SSH -o "$T/plain" --no-push >"$T/sum2" 2>&1
b2=$(sed -n 's/^  ok .* \([^ ]*\.tar\.gz\) .*/\1/p' "$T/sum2")
check "--no-push: item by item, and collect.log does not say on the host" sh -c \
	"tar xzOf '$b2' --wildcards '*/casefile/collect.log' | grep -q ' over ssh as $SSH_USER' && ! tar xzOf '$b2' --wildcards '*/casefile/collect.log' | grep -q 'run on the host'"
check "the same items, paths and statuses as item by item" sh -c \
	"for x in '$b' '$b2'; do tar xzOf \"\$x\" --wildcards '*/manifest.json' | jq -r '.items[] | \"\\(.source) \\(.path) \\(.status) \\(.truncated)\"' | sort >\"\$x.items\"; done; diff '$b.items' '$b2.items'"
check "nothing of casefile is left on the host" sh -c \
	"! find /tmp /var/tmp -maxdepth 1 -user $SSH_USER -name 'casefile.*' | grep -q . && ! pgrep -u $SSH_USER -f 'casefile collect'"
hn=$(uname -n)
check "the bundle analyzes as a casefile bundle of the host" sh -c "'$CASEFILE' analyze '$b' --format json | jq -e '.bundle.layout == \"casefile\" and .bundle.hostname == \"$hn\" and .bundle.complete'"
check "casefile on the host: named by the host's own name; the target and address in the manifest" sh -c \
	"basename '$b' | grep -q '^casefile-$hn-[0-9]' && tar xzOf '$b' --wildcards '*/casefile/manifest.json' | jq -e '.host == \"$hn\" and .target == \"$H\" and .address == \"127.0.0.1:$SSHD_PORT\"'"

# the host timeout: casefile on the host stops itself first and sends what it
# has. The host is still collecting then, however fast it is: a program of
# the catalogue that hangs (lsblk, first in the collector's fixed PATH, on
# a tmpfs over /usr/local/sbin that exists in this test's namespace alone)
mount -t tmpfs casefile-t0220 /usr/local/sbin
printf '#!/bin/sh\nexec sleep 3613\n' >/usr/local/sbin/lsblk
chmod 755 /usr/local/sbin/lsblk
# shellcheck disable=SC2086
"$CASEFILE" collect --host "$H" $SSH -o "$T/out" --only uname,lsblk,hostname \
	--host-timeout 4s >"$T/sum" 2>&1
umount /usr/local/sbin
b=$(sed -n 's/^  FAILED .* incomplete: \([^ ]*\.tar\.gz\) .*/\1/p' "$T/sum")
check "--host-timeout: the host stops itself and sends an incomplete bundle" \
	grep -q 'stopped: host timeout' "$T/sum"
check "that bundle verifies and says so" sh -c "tar xzOf '$b' --wildcards '*/casefile/manifest.json' | jq -e '.complete == false and .interrupted_by == \"ALRM\"' && tar xzOf '$b' --wildcards '*/casefile/collect.log' | grep -q 'stopped before the host timeout'"
check "and its members match the manifest" verify_bundle "$b"
check "the hung program was stopped with it" sh -c "! pgrep -f 'sleep 361[3]'"

# the options of the command line the host gets too (cmd_collect's table
# marks them): each reaches the host's manifest
# shellcheck disable=SC2086
"$CASEFILE" collect --host "$H" $SSH --only uname,hostname,os_release --skip hostname \
	--label L1 --max-size 64M --no-redact --since 2026-11-20 --ticket T-9 -o "$T/out" -q \
	>"$T/p" 2>/dev/null
check "--skip, --label, --max-size, --no-redact, --since and --ticket reach casefile on the host" sh -c \
	"basename \$(cat '$T/p') | grep -q -- '-T-9-L1-' && tar xzOf \$(cat '$T/p') --wildcards '*/casefile/manifest.json' | jq -e '.redacted == false and .bundle_cap == 67108864 and .since == \"2026-11-20T00:00:00Z\" and .ticket == \"T-9\" and ([.items[].source] | sort) == [\"os_release\", \"uname\"] and (.kernel | length > 0)'"

# the login user is denied what only root reads: said as a run here says it
# shellcheck disable=SC2086
"$CASEFILE" collect --host "$H" $SSH --only uname,slabinfo -o "$T/out" >"$T/sum" 2>&1
check "denied to the login user: the summary says to run it again with --sudo" \
	grep -q "^ *1 source was denied to $SSH_USER: run it again with --sudo to collect it\$" "$T/sum"
# shellcheck disable=SC2086
"$CASEFILE" collect --host "$H" $SSH --only uname,slabinfo -o "$T/out" --no-push -q \
	>"$T/qout" 2>"$T/qerr"
check "item by item, -q: the same advice, a warning on stderr" \
	grep -qx "casefile: warning: $H: 1 source was denied to $SSH_USER: run it again with --sudo to collect it" "$T/qerr"
# shellcheck disable=SC2086
"$CASEFILE" collect --host "$H" $SSH --sudo --only uname,slabinfo -o "$T/out" >"$T/sum" 2>&1
check "with --sudo nothing is denied, and no advice" sh -c "! grep -q 'denied to' '$T/sum'"

# --sudo: root on the host, through sudo -n
# shellcheck disable=SC2086
"$CASEFILE" collect --host "$H" $SSH --sudo --only uname,slabinfo,hostname -o "$T/out" -q \
	>"$T/sum" 2>&1
b=$(cat "$T/sum")
tar xzOf "$b" --wildcards '*/casefile/manifest.json' >"$T/mf"
check "--sudo on the host: root, and the login user and sudo in the manifest" sh -c \
	"jq -e '.uid == 0 and .sudo == true and .user == \"$SSH_USER\"' '$T/mf'"
check "--sudo on the host: a file only root reads is read" sh -c \
	"jq -e '.items[] | select(.source == \"slabinfo\") | .status == \"ok\"' '$T/mf'"

# what the engineer types goes to the host as words, never as shell
rm -f /tmp/casefile-t0220-pwned
# shellcheck disable=SC2086
"$CASEFILE" collect --host "$H" $SSH --only uname --ticket 'T-1;x' \
	--problem "it's \$(touch /tmp/casefile-t0220-pwned) \`touch /tmp/casefile-t0220-pwned\` \"q\"" \
	-o "$T/out" -q >"$T/sum" 2>&1
b=$(cat "$T/sum")
check "a hostile --problem and --ticket reach the manifest as they were typed" sh -c \
	"tar xzOf '$b' --wildcards '*/casefile/manifest.json' | jq -e '.problem == \"it'\"'\"'s \$(touch /tmp/casefile-t0220-pwned) \`touch /tmp/casefile-t0220-pwned\` \\\"q\\\"\" and .ticket == \"T-1;x\"'"
check "and nothing of them ran" test ! -e /tmp/casefile-t0220-pwned

# casefile cannot run on the host: item by item, and collect.log says why
# shellcheck disable=SC2086
"$CASEFILE" collect --host "root@127.0.0.1:$SSHD_PORT" $SSH --only uname,hostname,os_release \
	-o "$T/out" >"$T/sum" 2>&1
st=$?
b=$(sed -n 's/^  ok .* \([^ ]*\.tar\.gz\) .*/\1/p' "$T/sum")
check "a host where casefile cannot run is still collected" test "$st" -eq 0 -a -n "$b"
check "collect.log says why, in the host's words" sh -c \
	"tar xzOf '$b' --wildcards '*/casefile/collect.log' | grep -q 'casefile could not collect on the host, so each source was run from here: .*status 90.*mktemp'"
check "that bundle verifies too" verify_bundle "$b"
check "no part file is left beside the bundles" sh -c "! ls '$T/out' | grep -q '\\.part\$'"
