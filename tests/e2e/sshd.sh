# sshd.sh: a real OpenSSH sshd on 127.0.0.1 with throwaway keys, for the
# SSH tests. Source after lib.sh; needs root (sshd switches users) and
# creates the test login "cftest" (password login and sudo -n) once.
SSHD_DIR=$T/sshd
SSH_USER=cftest
SSH_PASSWORD=Cf-test-pass-4711

sshd_free_port() {
	p=$((20000 + $$ % 20000))
	while ss -ltn 2>/dev/null | grep -q "127.0.0.1:$p "; do p=$((p + 1)); done
	echo "$p"
}

# sshd_start [extra sshd_config lines]: sets SSHD_PORT, SSHD_KNOWN
sshd_start() {
	mkdir -p "$SSHD_DIR" /run/sshd
	chmod 755 "$T" "$SSHD_DIR"
	[ -f "$SSHD_DIR/host_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C host -f "$SSHD_DIR/host_ed25519"
	[ -f "$SSHD_DIR/user_key" ] || ssh-keygen -q -t ed25519 -N '' -C user -f "$SSHD_DIR/user_key"
	[ -f "$SSHD_DIR/user_key_enc" ] || ssh-keygen -q -t ed25519 -N 'open sesame' -C enc -f "$SSHD_DIR/user_key_enc"
	if ! id "$SSH_USER" >/dev/null 2>&1; then
		useradd -m -s /bin/sh "$SSH_USER"
	fi
	echo "$SSH_USER:$SSH_PASSWORD" | chpasswd
	echo "$SSH_USER ALL=(root) NOPASSWD: ALL" >/etc/sudoers.d/casefile-test
	chmod 440 /etc/sudoers.d/casefile-test
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
	[ -f "$SSHD_DIR/sshd.pid" ] && kill "$(cat "$SSHD_DIR/sshd.pid")" 2>/dev/null
	rm -f "$SSHD_DIR/sshd.pid"
}

sshd_can_run() {
	[ "$(id -u)" -eq 0 ] && [ -x /usr/sbin/sshd ] && command -v ssh-keygen >/dev/null
}

trap 'sshd_stop; rm -rf "$T"' EXIT
