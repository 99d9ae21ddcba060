#!/bin/sh
# make bench, remote part: one host and 16 hosts over SSH against a test
# sshd on 127.0.0.1 (tests/e2e/sshd.sh runs this script in a namespace of
# its own, where the test login exists). Figures only.
set -eu
cd "$(dirname "$0")/.."
CF=$PWD/build/casefile
T=$(mktemp -d /tmp/casefile-bench.XXXXXX)
. tests/e2e/sshd.sh
if ! sshd_can_run; then
	echo "(cannot make a private namespace for the test sshd: skipped)"
	exit 0
fi
sshd_start
H="$SSH_USER@127.0.0.1:$SSHD_PORT"
ssh_opts="-i $SSHD_DIR/user_key --known-hosts $SSHD_KNOWN"
mkdir -p "$T/one" "$T/loc" "$T/par" "$T/seq"
s0=$(date +%s.%N)
"$CF" collect -o "$T/loc" -q >/dev/null 2>&1 || true
s1=$(date +%s.%N)
# shellcheck disable=SC2086
"$CF" collect --host "$H" $ssh_opts -o "$T/one" -q >/dev/null 2>&1 || true
s2=$(date +%s.%N)
local_s=$(echo "$s1 - $s0" | bc); one_s=$(echo "$s2 - $s1" | bc)
printf '%-36s %9.2f s\n' "one host, local" "$local_s"
printf '%-36s %9.2f s  (goal: 2x local + 1.5 s = %.1f s)\n' "the same host over SSH" "$one_s" \
	"$(echo "2 * $local_s + 1.5" | bc)"
mkdir -p "$T/nopush" "$T/loc16"
s1=$(date +%s.%N)
# shellcheck disable=SC2086
"$CF" collect --host "$H" $ssh_opts -o "$T/nopush" -q --no-push >/dev/null 2>&1 || true
s2=$(date +%s.%N)
printf '%-36s %9.2f s  (each source from here, --no-push)\n' "the same host over SSH, item by item" \
	"$(echo "$s2 - $s1" | bc)"
# the floor for 16 hosts that are all this machine: its cores do all their work
s1=$(date +%s.%N)
for i in $(seq 16); do "$CF" collect -o "$T/loc16" -q >/dev/null 2>&1 & done
wait
s2=$(date +%s.%N)
floor_s=$(echo "$s2 - $s1" | bc)
printf '%-36s %9.2f s  (%s bundles; what 16 collections cost these %s cores)\n' \
	"16 local collections at once" "$floor_s" \
	"$(ls "$T"/loc16/*.tar.gz | wc -l)" "$(nproc)"
hosts=""
for i in $(seq 16); do hosts="$hosts --host $H"; done
s0=$(date +%s.%N)
# shellcheck disable=SC2086
"$CF" collect $hosts -j 16 $ssh_opts -o "$T/par" >"$T/par.sum" 2>&1 || true
s1=$(date +%s.%N)
for i in $(seq 16); do
	# shellcheck disable=SC2086
	"$CF" collect --host "$H" $ssh_opts -o "$T/seq" -q >/dev/null 2>&1 || true
done
s2=$(date +%s.%N)
par_s=$(echo "$s1 - $s0" | bc)
printf '%-36s %9.2f s  (%s bundles; %.2fx the 16 local ones, goal <= 1.3x = %.1f s)\n' \
	"16 hosts at once (-j 16)" "$par_s" "$(ls "$T"/par/*.tar.gz | wc -l)" \
	"$(echo "$par_s / $floor_s" | bc -l)" "$(echo "1.3 * $floor_s" | bc)"
# the same with little for each host to do: what the fleet costs this side
few=uname,hostname,os_release,meminfo,df
mkdir -p "$T/few1" "$T/few16"
s3=$(date +%s.%N)
# shellcheck disable=SC2086
"$CF" collect --host "$H" $ssh_opts --only $few -o "$T/few1" -q >/dev/null 2>&1 || true
s4=$(date +%s.%N)
# shellcheck disable=SC2086
"$CF" collect $hosts -j 16 $ssh_opts --only $few -o "$T/few16" >/dev/null 2>&1 || true
s5=$(date +%s.%N)
printf '%-36s %9.2f s  (--only %s)\n' "one host, 5 sources" "$(echo "$s4 - $s3" | bc)" "$few"
printf '%-36s %9.2f s  (%s bundles; beside OpenSSH alone, below)\n' "16 hosts at once, 5 sources each" \
	"$(echo "$s5 - $s4" | bc)" "$(ls "$T"/few16/*.tar.gz | wc -l)"
if command -v ssh >/dev/null 2>&1; then
	# what OpenSSH alone costs: 16 connections that run nothing
	s3=$(date +%s.%N)
	for i in $(seq 16); do
		ssh -o BatchMode=yes -o UserKnownHostsFile="$SSHD_KNOWN" -i "$SSHD_DIR/user_key" \
			-p "$SSHD_PORT" "$SSH_USER@127.0.0.1" true >/dev/null 2>&1 &
	done
	wait
	s4=$(date +%s.%N)
	printf '%-36s %9.2f s  (OpenSSH alone: connect, log in, run true)\n' \
		"16 x ssh HOST true at once" "$(echo "$s4 - $s3" | bc)"
fi
printf '%-36s %9.2f s  (%s bundles; %.2f s a host)\n' "16 hosts one after another" \
	"$(echo "$s2 - $s1" | bc)" "$(ls "$T"/seq/*.tar.gz | wc -l)" "$(echo "($s2 - $s1) / 16" | bc -l)"
