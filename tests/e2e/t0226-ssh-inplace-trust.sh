#!/bin/sh
# t0226: casefile on the host (inplace.h), what it can trust: the bundle it
# fetches is mode 0600; a copy changed on the way is not run, nor one the
# host cannot check (no sha256sum, no openssl): item by item instead, and
# collect.log says why; the client killed in the middle of the copy leaves
# nothing on the host, whose sh is dash on Debian (a write to the closed
# stderr used to kill the shell before its EXIT trap). The host's tools are
# the test's through sshd's SetEnv PATH, its TMPDIR the test's own folder
. tests/e2e/lib.sh
. tests/e2e/sshd.sh

if ! sshd_can_run; then
	skip "needs root and openssh-server"
	exit 0
fi
HT=$T/hosttmp
M=$T/mark
mkdir -p "$HT" "$M" "$T/out" "$T/bad" "$T/nosum" "$T/stall"
chmod 755 "$T"
# the login user's folders: the host's TMPDIR, and where the stalled gzip leaves
# word (the login is made first: a chown to a user that is not there yet left
# them root's, the host could not make its folder, and three checks failed)
sshd_user || { echo "not ok - the test login could not be made"; exit 1; }
chown "$SSH_USER" "$HT" "$M" || { echo "not ok - cannot give $HT to $SSH_USER"; exit 1; }
# start SETENV...: the sshd, with that environment for the login
start() {
	sshd_stop
	sshd_start "SetEnv TMPDIR=$HT $*" ||
		{ echo "not ok - sshd did not start"; cat "$SSHD_DIR/sshd.log"; exit 1; }
	H=$SSH_USER@127.0.0.1:$SSHD_PORT
}
collect() { # collect OUT-FILE [options]: one host, casefile pushed to it
	o=$1; shift
	"$CASEFILE" collect --host "$H" -i "$SSHD_DIR/user_key" --known-hosts "$SSHD_KNOWN" \
		--only uname,hostname -o "$T/out" "$@" >"$o" 2>&1
}
bundle() { sed -n 's/^  ok .* \([^ ]*\.tar\.gz\) .*/\1/p' "$1"; }
left() { find "$HT" -mindepth 1 | head -n 5; }

start
collect "$T/sum"
b=$(bundle "$T/sum")
check "casefile ran on the host" sh -c \
	"tar xzOf '$b' --wildcards '*/casefile/collect.log' | grep -q 'over ssh, run on the host as uid'"
check "the fetched bundle and its .sha256 are mode 0600" sh -c \
	"[ \$(stat -c %a '$b') = 600 ] && [ \$(stat -c %a '$b.sha256') = 600 ]"
check "nothing is left in the host's TMPDIR" test -z "$(left)"

# a gzip that adds a byte: the copy is not the program sent
cat >"$T/bad/gzip" <<'SH'
#!/bin/sh
/bin/gzip "$@" && printf 'X'
SH
chmod 755 "$T/bad/gzip"
start "PATH=$T/bad:/usr/bin:/bin"
collect "$T/sum"
b=$(bundle "$T/sum")
check "a copy changed on the way is not run: item by item instead" sh -c \
	"[ -n '$b' ] && tar xzOf '$b' --wildcards '*/casefile/collect.log' | grep -q 'each source was run from here: .*status 94.*not the one sent'"
check "and nothing is left in the host's TMPDIR" test -z "$(left)"

# a host with neither sha256sum nor openssl
for p in mktemp uname gzip chmod env rm; do ln -s "$(command -v "$p")" "$T/nosum/$p"; done
start "PATH=$T/nosum"
collect "$T/sum"
b=$(bundle "$T/sum")
check "a host that cannot check the copy: item by item, and collect.log says why" sh -c \
	"[ -n '$b' ] && tar xzOf '$b' --wildcards '*/casefile/collect.log' | grep -q 'status 93.*neither sha256sum nor openssl'"
check "and nothing is left in the host's TMPDIR" test -z "$(left)"

# openssl when there is no sha256sum
if command -v openssl >/dev/null; then
	mkdir -p "$T/ossl"
	for p in mktemp uname gzip chmod env rm openssl; do ln -s "$(command -v "$p")" "$T/ossl/$p"; done
	start "PATH=$T/ossl"
	collect "$T/sum"
	b=$(bundle "$T/sum")
	check "a host with openssl and no sha256sum checks the copy with openssl, runs it" sh -c \
		"[ -n '$b' ] && tar xzOf '$b' --wildcards '*/casefile/collect.log' | grep -q 'over ssh, run on the host as uid'"
else
	skip "no openssl here: the host's openssl check is not tried"
fi

# the client killed in the middle of the copy: a gzip that unpacks a part,
# says so, and waits until the test has killed the client; then it fails
# as gzip does at a cut stream, on the stderr of a session that is gone
mkfifo "$M/go"
chmod 666 "$M/go"
cat >"$T/stall/gzip" <<SH
#!/bin/sh
echo \$PPID >"$M/pid"
head -c 300000 | /bin/gzip -dc 2>/dev/null
: >"$M/mid"
read x <"$M/go"
cat >/dev/null
echo "gzip: stdin: unexpected end of file" >&2
exit 1
SH
chmod 755 "$T/stall/gzip"
start "PATH=$T/stall:/usr/bin:/bin"
setsid "$CASEFILE" collect --host "$H" -i "$SSHD_DIR/user_key" --known-hosts "$SSHD_KNOWN" \
	--only uname -o "$T/out" >"$T/sum" 2>&1 &
cpid=$!
i=0
while [ ! -e "$M/mid" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
check "the copy stopped half way, a partial casefile on the host" sh -c \
	"[ -e '$M/mid' ] && [ -s \"\$(ls -d '$HT'/casefile.*)/casefile\" ]"
# Ctrl-C: SIGINT to the client's process group (its parent ignores it here,
# as an asynchronous command of sh; the host's collector stops on it)
kill -INT "-$cpid"
# wait for it to end (a zombie has ended), bounded: a client that does not stop fails, not hangs
running() { ps -o stat= -p "$1" | grep -qv '^Z'; }
i=0
while running "$cpid" && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
check "the client stops on Ctrl-C" sh -c "! ps -o stat= -p $cpid | grep -qv '^Z'"
running "$cpid" || wait "$cpid"
# (a FIFO nobody reads would block: never more than 10 s)
timeout 10 sh -c "echo go >'$M/go'"
# the host's shell ends after the client: wait for it, not for a time
spid=$(cat "$M/pid" 2>/dev/null)
i=0
while [ -n "$spid" ] && kill -0 "$spid" 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
check "the host's shell has ended" sh -c "[ -n '$spid' ] && ! kill -0 '$spid' 2>/dev/null"
check "Ctrl-C during the copy leaves nothing on the host" sh -c "out=\$(find '$HT' -mindepth 1); [ -z \"\$out\" ] || { echo \"\$out\"; exit 1; }"
check "nor a .part file here" sh -c "! ls -a '$T/out' | grep -q '\\.part\$'"
