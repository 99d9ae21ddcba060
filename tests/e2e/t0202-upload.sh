#!/bin/sh
# t0202: casefile upload and collect --upload over SFTP, against a real
# OpenSSH sshd on 127.0.0.1: the bundle and its .sha256 arrive whole; a name
# already on the server is refused before anything is sent; whatever fails,
# no .part is left (removed on a new connection when the line dropped), and
# what cannot be removed is named; -q hides only what is not a problem
. tests/e2e/lib.sh
. tests/e2e/sshd.sh

if ! sshd_can_run || ! command -v ssh >/dev/null; then
	skip "needs root, openssh-server and openssh-client"
	exit 0
fi
sshd_start "AllowTcpForwarding yes" ||
	{ echo "not ok 1 - sshd did not start"; cat "$SSHD_DIR/sshd.log"; exit 1; }
H=$SSH_USER@127.0.0.1:$SSHD_PORT
KEY=$SSHD_DIR/user_key
SSH="-i $KEY --known-hosts $SSHD_KNOWN"
drop=/home/$SSH_USER/drop
mkdir -p "$drop" "$T/out" && chown "$SSH_USER" "$drop"
b=$T/casefile-test-20261120T031209Z.tar.gz
head -c 300000 /dev/urandom >"$b"
(cd "$T" && sha256sum "$(basename "$b")" >"$b.sha256")
name=$(basename "$b")
# no .part, and nothing but what is listed, in the drop
only_in_drop() { [ "$(cd "$drop" && ls -A | sort | tr '\n' ' ')" = "$*" ]; }

# shellcheck disable=SC2086
"$CASEFILE" upload "$b" "sftp://$H$drop" $SSH 2>"$T/e"
check "upload: exit 0" test $? -eq 0
check "upload: the bundle and its .sha256 are there, and verify" sh -c \
	"cd '$drop' && sha256sum -c --quiet '$name.sha256' && cmp -s '$name' '$b'"
check "upload: nothing else is left" only_in_drop "$name $name.sha256 "
check "upload: it says where it went" grep -q "^uploaded $b to sftp://" "$T/e"

# the same name again: refused at once, nothing sent, nothing left. With
# the line set to drop after one byte, any byte sent would end in a failed
# transfer: the message must be the check's
before=$(sha256sum "$drop/$name")
# shellcheck disable=SC2086
CASEFILE_TEST_UPLOAD_FAIL_AFTER=1 "$CASEFILE" upload "$b" "sftp://$H$drop" $SSH 2>"$T/e"
check "an existing bundle: exit 1, refused before sending, saying so" sh -c \
	"[ $? -eq 1 ] && grep -q \"^casefile: error: upload of $b: '$drop/$name' already exists on $H: not replaced\\\$\" '$T/e'"
check "an existing bundle: it is unchanged and no .part is left" sh -c \
	"[ '$before' = \"\$(sha256sum '$drop/$name')\" ] && cd '$drop' && [ \"\$(ls -A | sort | tr '\n' ' ')\" = '$name $name.sha256 ' ]"
rm "$drop/$name"
# shellcheck disable=SC2086
"$CASEFILE" upload "$b" "sftp://$H$drop" $SSH 2>"$T/e"
check "an existing .sha256 alone is refused too, nothing sent" sh -c \
	"[ $? -eq 1 ] && grep -q \"'$drop/$name.sha256' already exists on $H: not replaced\" '$T/e' && [ \"\$(ls -A '$drop')\" = '$name.sha256' ]"
rm -f "$drop/$name.sha256"

# shellcheck disable=SC2086
"$CASEFILE" upload "$b" "sftp://$H$drop/nowhere" $SSH 2>"$T/e"
check "a folder that is not there is named" sh -c \
	"[ $? -eq 1 ] && grep -q \"there is no folder '$drop/nowhere' on $H\" '$T/e'"

# the server's own reason, not libssh2's "SFTP Protocol Error"
mkdir -p "$drop-ro" && chmod 755 "$drop-ro"
# shellcheck disable=SC2086
"$CASEFILE" upload "$b" "sftp://$H$drop-ro" $SSH 2>"$T/e"
check "a folder the login cannot write to: the server's reason" sh -c \
	"[ $? -eq 1 ] && grep -q \"cannot create '$drop-ro/.$name.part' on $H: permission denied\" '$T/e' && [ -z \"\$(ls -A '$drop-ro')\" ]"
rm -rf "$drop-ro"

# another upload's .part is not ours: untouched, and the upload says why it stops
echo "another upload" >"$drop/.$name.part"
# shellcheck disable=SC2086
"$CASEFILE" upload "$b" "sftp://$H$drop" $SSH 2>"$T/e"
check "a .part already there: refused, named, left as it was" sh -c \
	"[ $? -eq 1 ] && grep -q \"'$drop/.$name.part' is already on $H: another upload\" '$T/e' && grep -qx 'another upload' '$drop/.$name.part'"
rm -f "$drop/.$name.part"

# the line drops in the middle: the .part is removed on a new connection
head -c 3000000 /dev/urandom >"$T/big.tar.gz"
# shellcheck disable=SC2086
CASEFILE_TEST_UPLOAD_FAIL_AFTER=1000000 "$CASEFILE" upload "$T/big.tar.gz" "sftp://$H$drop" \
	$SSH 2>"$T/e"
check "interrupted upload: fails with what happened" sh -c \
	"[ $? -eq 1 ] && grep -q 'upload of .*big.tar.gz: upload to .* failed after' '$T/e'"
check "interrupted upload: nothing is left, .part included" only_in_drop ""
check "interrupted upload: and nothing says one is" sh -c "! grep -q 'is left on' '$T/e'"

# the line drops and the server cannot be reached again: the .part is named.
# The proxy lets one connection through, then none
CFG=$T/ssh_config
cat >"$CFG" <<EOF
Host jump
  HostName 127.0.0.1
  Port $SSHD_PORT
  User $SSH_USER
  IdentityFile $KEY
  UserKnownHostsFile $SSHD_KNOWN
Host once
  HostName 127.0.0.1
  Port $SSHD_PORT
  User $SSH_USER
  IdentityFile $KEY
  UserKnownHostsFile $SSHD_KNOWN
  ProxyCommand mkdir $T/once.lock && exec ssh -F $CFG -W %h:%p jump
EOF
CASEFILE_TEST_UPLOAD_FAIL_AFTER=1000000 "$CASEFILE" upload "$T/big.tar.gz" "sftp://once$drop" \
	-F "$CFG" 2>"$T/e"
check "unreachable after the drop: exit 1, and the .part left is named" sh -c \
	"[ $? -eq 1 ] && grep -q \"'$drop/.big.tar.gz.part' is left on once and could not be removed: remove it by hand\" '$T/e'"
check "unreachable after the drop: it is the only thing there, and hidden" only_in_drop ".big.tar.gz.part "
rm -f "$drop/.big.tar.gz.part"

# -q: nothing when it worked, the error when it did not
# shellcheck disable=SC2086
"$CASEFILE" upload "$b" "sftp://$H$drop" $SSH -q >"$T/o" 2>"$T/e"
check "upload -q: exit 0 and silent" sh -c "[ $? -eq 0 ] && [ ! -s '$T/o' ] && [ ! -s '$T/e' ]"
# shellcheck disable=SC2086
"$CASEFILE" upload "$b" "sftp://$H$drop" $SSH -q 2>"$T/e"
check "upload -q: a refusal is still said" sh -c "[ $? -eq 1 ] && grep -q 'already exists' '$T/e'"
rm -f "$drop"/*

# collect --upload: this host, and a host over SSH, with -q
# shellcheck disable=SC2086
"$CASEFILE" collect --only uname,df -o "$T/out" --upload "sftp://$H$drop" $SSH -q >"$T/p" 2>"$T/e"
up=$(basename "$(cat "$T/p")")
check "collect --upload sends the new bundle and its .sha256" sh -c \
	"cd '$drop' && [ -n '$up' ] && sha256sum -c --quiet '$up.sha256'"
check "collect -q --upload: no 'uploaded' note" sh -c "! grep -q uploaded '$T/e'"
mkdir -p "$T/rout"
# the same host by its own name: a label keeps the two bundles' names apart
# when both are made in the same second
# shellcheck disable=SC2086
"$CASEFILE" collect --host "$H" --only uname -o "$T/rout" --label remote \
	--upload "sftp://$H$drop" $SSH -q >"$T/p" 2>"$T/e"
up=$(basename "$(cat "$T/p")")
check "collect --host --upload sends that host's bundle" sh -c \
	"cd '$drop' && [ -n '$up' ] && sha256sum -c --quiet '$up.sha256'"
# shellcheck disable=SC2086
"$CASEFILE" collect --host "$H" --only uname -o "$T/rout" --upload "sftp://$H$drop/nowhere" $SSH -q \
	>"$T/p" 2>"$T/e"
check "collect --host -q, the upload fails: exit 1, why, and where the bundle is" sh -c \
	"[ $? -eq 1 ] && grep -q \"there is no folder '$drop/nowhere'\" '$T/e' &&
	 grep -q \"^casefile: error: $H: the upload failed; the bundle is $T/rout/\" '$T/e'"
rm -rf "$drop"
