#!/bin/sh
# t0210: the Ansible playbook (ansible/collect.yml) against the real test
# sshd: it copies the binary, collects with the ticket and the problem,
# fetches the bundle and its checksum, verifies it, and leaves nothing on
# the host
. tests/e2e/lib.sh
. tests/e2e/sshd.sh

if ! sshd_can_run || ! command -v ansible-playbook >/dev/null; then
	skip "needs root, openssh-server and ansible-core"
	exit 0
fi
sshd_start || { echo "not ok 1 - sshd did not start"; cat "$SSHD_DIR/sshd.log"; exit 1; }
# Ansible's own files in the test's folder; its ssh master connections too:
# their sockets were in /root/.ansible/cp, named by host, port and user,
# which are the same in every test namespace (one pid there, one port), so
# a playbook running beside another (the ASan build's) ran its commands
# through the other's connection, on the other's sshd
export ANSIBLE_HOME="$T/ansible-home" ANSIBLE_LOCAL_TEMP="$T/ansible-tmp"
export ANSIBLE_SSH_CONTROL_PATH_DIR="$T/ansible-cp"
export ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3
ssh_args="-o UserKnownHostsFile=$SSHD_KNOWN -o StrictHostKeyChecking=yes"
# two inventory hosts that are one machine (one host name), collected at once
{
	echo '[db]'
	for h in db1 db2; do
		printf '%s ansible_host=127.0.0.1 ansible_port=%s ansible_user=%s ansible_ssh_private_key_file=%s ansible_ssh_common_args="%s"\n' \
			"$h" "$SSHD_PORT" "$SSH_USER" "$SSHD_DIR/user_key" "$ssh_args"
	done
} >"$T/inventory"
home=$(getent passwd "$SSH_USER" | cut -d: -f6)
# what the playbook could leave: its casefile.* folders and bundles in the
# temporary folders, anything in the login's home but Ansible's own cache
left() {
	{ find /tmp /var/tmp -user "$SSH_USER" -name 'casefile*' 2>/dev/null
	  find "$home" -mindepth 1 2>/dev/null | grep -v -e '/\.ansible' -e '/\.ssh$' -e '/\.[a-z]*rc$' -e '/\.profile$'
	} | sort
}
left >"$T/left.before"

ansible-playbook -i "$T/inventory" ansible/collect.yml -e casefile_ticket=CASE-4711 \
	-e "casefile_problem='db1 slow since Monday'" -e "casefile_fetch_dir=$T/bundles" \
	-e "casefile_binary=$CASEFILE" -e '{"casefile_extra_args": ["--skip", "journal,journal_prev"]}' \
	>"$T/play" 2>&1
rc=$?
check "the playbook runs: exit 0" sh -c \
	"[ $rc -eq 0 ] || { grep -A6 -E '^(fatal|failed):' '$T/play' | cut -c1-300; exit 1; }"
b=$(ls "$T"/bundles/*.tar.gz 2>/dev/null | head -n 1)
check "the bundle and its .sha256 are fetched" sh -c "[ -f '$b' ] && [ -f '$b.sha256' ]"
check "the bundle carries the ticket in its name" sh -c "basename '$b' | grep -q CASE-4711"
check "its checksum verifies here" sh -c "cd '$T/bundles' && sha256sum -c \"\$(basename '$b').sha256\""
check "the playbook verified it" grep -q "Verify the bundle against its checksum" "$T/play"
check "the manifest has the ticket and the problem" sh -c \
	"tar xzOf '$b' --wildcards '*/casefile/manifest.json' | jq -e '.ticket == \"CASE-4711\" and .problem == \"db1 slow since Monday\"'"
hn=$(uname -n)
check "two hosts of one host name: two bundles, neither overwrote the other" sh -c \
	"[ \$(ls '$T'/bundles/*.tar.gz | wc -l) -eq 2 ] && [ \$(ls '$T'/bundles/*.sha256 | wc -l) -eq 2 ]"
for h in db1 db2; do
	hb=$(ls "$T"/bundles/casefile-*-"$h"-CASE-4711-*.tar.gz 2>/dev/null | head -n 1)
	check "$h: the bundle's name has the inventory name, its manifest the host's own name and the inventory name" sh -c \
		"[ -f '$hb' ] && tar xzOf '$hb' --wildcards '*/casefile/manifest.json' | jq -e '.host == \"$hn\" and .target == \"$h\"'"
done
check "the fetched bundle analyzes" sh -c \
	"'$CASEFILE' analyze --format json '$b' | jq -e '.bundle.layout == \"casefile\" and .bundle.ticket == \"CASE-4711\"'"
left >"$T/left.after"
check "nothing is left on the host: no binary, no bundle, no folder" \
	diff "$T/left.before" "$T/left.after"
check "no casefile process is left on the host" sh -c "! pgrep -u '$SSH_USER' -f '[c]asefile collect'"

ansible-playbook -i "$T/inventory" ansible/collect.yml -e "casefile_fetch_dir=$T/b2" \
	-e "casefile_binary=$CASEFILE" >"$T/play2" 2>&1
rc=$?
check "without a ticket the playbook stops and says what to set" sh -c \
	"[ $rc -ne 0 ] && grep -q 'set casefile_ticket and casefile_fetch_dir' '$T/play2'"
