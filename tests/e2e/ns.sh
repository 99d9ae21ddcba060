#!/bin/sh
# ns.sh SCRIPT: run an SSH test script in a namespace of its own, so that
# what the test needs from the machine (a login, its sudoers entry, sshd's
# /run/sshd, a listening port) exists only inside it and is gone when the
# script ends, however it ends (pass, fail, Ctrl-C, SIGKILL).
#
# sshd.sh starts it as: unshare --mount --net --pid --fork --kill-child
# --mount-proc sh tests/e2e/ns.sh SCRIPT. This shell is pid 1 of the new pid
# namespace: when it exits the kernel kills every process in it (sshd, the
# test user's commands), the mount namespace goes with them, and so do its
# tmpfs. The network namespace has only its own loopback: the test sshd
# cannot be reached from the rest of the machine.
#
# /etc, /run and /home are overlays whose upper layers live in that tmpfs:
# useradd, chpasswd (only while t0200's password checks run) and the
# sudoers.d entry write there, never to the disk.
# /tmp, /var/tmp and /root get the same, so that what the test user and
# root's tools leave there is the test's own and no other job's.
set -u
script=$1
ns=$(pwd)/build/.ns
mkdir -p "$ns"
mount -t tmpfs -o mode=0700,size=512m casefile-test "$ns" || exit 97
overlay() { # overlay DIR: DIR's writes go to the tmpfs from now on
	name=$(echo "$1" | tr / _)
	mkdir -p "$ns/$name.up" "$ns/$name.work"
	# the merged folder shows the upper one's owner and mode (/tmp: 1777)
	chown --reference="$1" "$ns/$name.up" && chmod --reference="$1" "$ns/$name.up" || return 1
	mount -t overlay overlay -o "lowerdir=$1,upperdir=$ns/$name.up,workdir=$ns/$name.work" "$1"
}
for d in /etc /run /home; do
	overlay "$d" || { echo "ns.sh: cannot make $d private (overlay)" >&2; exit 97; }
done
# root's home too: what root's tools write there in a test (Ansible's ssh
# sockets and its temporary files for tasks run on the control node) stays
# in the namespace
for d in /tmp /var/tmp /root; do
	overlay "$d" || echo "# ns.sh: $d is shared with the machine (no overlay)"
done
ip link set lo up || exit 97
CASEFILE_TEST_NS=1 TMPDIR=/tmp sh "$script"
