# sshd.sh: a real OpenSSH sshd on 127.0.0.1 with throwaway keys, for the
# SSH tests. Source it right after lib.sh: as root it runs the calling
# script again inside a private mount, network and pid namespace
# (tests/e2e/ns.sh), where the test login "cftest" (keys only: a password
# only while the password checks run, random), its sudoers entry and
# sshd's port exist; none of them exists on the machine, during the test or
# after it, and the script removes the login and the entry when it ends.
if [ -z "${CASEFILE_TEST_NS:-}" ] && [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null &&
	[ -x /usr/sbin/sshd ]; then
	rmdir "$T" 2>/dev/null
	rc=0
	unshare --mount --net --pid --fork --kill-child --mount-proc sh tests/e2e/ns.sh "$0" || rc=$?
	# 97: the namespace could not be made; the test runs outside it and skips
	[ "$rc" -ne 97 ] && exit "$rc"
	CASEFILE_TEST_NS=none
	mkdir -p "$T"
fi

SSH_USER=cftest

sshd_free_port() {
	p=$((20000 + $$ % 20000))
	while ss -ltn 2>/dev/null | grep -q "127.0.0.1:$p "; do p=$((p + 1)); done
	echo "$p"
}

# The test login, keys only: its password field '*' matches no password
# (and is not the '!' of a locked account, which sshd refuses keys too);
# its sudoers entry for --sudo. Both exist only in the namespace's /etc and
# /home, and sshd_user_remove takes them away when the script ends.
sshd_user() {
	sshd_can_run || { echo "sshd.sh: not in the test namespace: no account is made" >&2; return 1; }
	if ! id "$SSH_USER" >/dev/null 2>&1; then
		useradd -m -s /bin/sh -p '*' "$SSH_USER" || return 1
		SSHD_MADE_USER=1
	fi
	echo "$SSH_USER ALL=(root) NOPASSWD: ALL" >/etc/sudoers.d/casefile-test
	chmod 440 /etc/sudoers.d/casefile-test
}

# A random password for the login while the password checks run
# (SSH_PASSWORD); sshd_password_off makes it keys only again.
sshd_password_on() {
	SSH_PASSWORD=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
	echo "$SSH_USER:$SSH_PASSWORD" | chpasswd
}
sshd_password_off() {
	usermod -p '*' "$SSH_USER"
}

sshd_user_remove() {
	[ "${SSHD_MADE_USER:-}" = 1 ] && sshd_can_run || return 0
	rm -f /etc/sudoers.d/casefile-test
	userdel -r "$SSH_USER" 2>/dev/null
	SSHD_MADE_USER=
}

# sshd_start [extra sshd_config lines]: sets SSHD_DIR, SSHD_PORT, SSHD_KNOWN
sshd_start() {
	SSHD_DIR=$T/sshd
	mkdir -p "$SSHD_DIR" /run/sshd
	chmod 755 "$T" "$SSHD_DIR"
	sshd_user || return 1
	[ -f "$SSHD_DIR/host_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C host -f "$SSHD_DIR/host_ed25519"
	[ -f "$SSHD_DIR/user_key" ] || ssh-keygen -q -t ed25519 -N '' -C user -f "$SSHD_DIR/user_key"
	[ -f "$SSHD_DIR/user_key_enc" ] || ssh-keygen -q -t ed25519 -N 'open sesame' -C enc -f "$SSHD_DIR/user_key_enc"
	cat "$SSHD_DIR/user_key.pub" "$SSHD_DIR/user_key_enc.pub" >"$SSHD_DIR/authorized_keys"
	chmod 644 "$SSHD_DIR/authorized_keys"
	SSHD_PORT=$(sshd_free_port)
	cat >"$SSHD_DIR/sshd_config" <<CONF
Port $SSHD_PORT
ListenAddress 127.0.0.1
HostKey $SSHD_DIR/host_ed25519
PidFile $SSHD_DIR/sshd.pid
AuthorizedKeysFile $SSHD_DIR/authorized_keys
StrictModes no
UsePAM no
PasswordAuthentication yes
KbdInteractiveAuthentication no
PermitRootLogin yes
Subsystem sftp internal-sftp
MaxStartups 100
MaxSessions 100
LogLevel ERROR
${1:-}
CONF
	/usr/sbin/sshd -f "$SSHD_DIR/sshd_config" -E "$SSHD_DIR/sshd.log" || return 1
	i=0
	while ! ss -ltn | grep -q "127.0.0.1:$SSHD_PORT "; do
		i=$((i + 1)); [ $i -gt 50 ] && return 1; sleep 0.1
	done
	SSHD_KNOWN=$SSHD_DIR/known_hosts
	echo "[127.0.0.1]:$SSHD_PORT $(cut -d' ' -f1,2 "$SSHD_DIR/host_ed25519.pub")" >"$SSHD_KNOWN"
}

sshd_stop() {
	[ -f "${SSHD_DIR:-/nonexistent}/sshd.pid" ] && kill "$(cat "$SSHD_DIR/sshd.pid")" 2>/dev/null
	rm -f "${SSHD_DIR:-/nonexistent}/sshd.pid"
}

# Only inside the namespace, and only where /etc and /home are its overlays
# (a script run by hand with CASEFILE_TEST_NS=1 set is not): nothing here
# may touch the machine's accounts.
sshd_can_run() {
	[ "${CASEFILE_TEST_NS:-}" = 1 ] && command -v ssh-keygen >/dev/null &&
		awk '$2 == "/etc" && $3 == "overlay" { e = 1 } $2 == "/home" && $3 == "overlay" { h = 1 }
		     END { exit !(e && h) }' /proc/self/mounts
}

# sshd first: userdel refuses a login with processes
trap 'sshd_stop; sshd_user_remove; rm -rf "$T"' EXIT
