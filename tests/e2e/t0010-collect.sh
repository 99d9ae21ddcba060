#!/bin/sh
# t0010: a real collection of this host is a valid, verified bundle
. tests/e2e/lib.sh

out=$T/out
mkdir -p "$out"
check "collect runs with no configuration" \
	"$CASEFILE" collect -o "$out" --ticket CASE-42 --problem "db died at 3am" -q
b=$(ls "$out"/casefile-*-CASE-42-*.tar.gz 2>/dev/null | head -n 1)
check "bundle is named casefile-HOST-TICKET-TIME.tar.gz" test -n "$b"
check "bundle lists with tar tzf" sh -c "tar tzf '$b' >'$T/list'"
check "bundle is mode 0600" sh -c "[ \$(stat -c %a '$b') = 600 ]"
check "sha256 file matches the bundle" sh -c "cd '$out' && sha256sum -c --quiet '$(basename "$b").sha256'"
check "no .part file is left" sh -c "! ls '$out'/*.part 2>/dev/null"
check "manifest and collect.log are in the bundle" sh -c \
	"grep -q '/casefile/manifest.json\$' '$T/list' && grep -q '/casefile/collect.log\$' '$T/list'"
check "every manifest sha256 matches its member" verify_bundle "$b"
mkdir -p "$T/x" && tar xzf "$b" -C "$T/x"
m=$(ls -d "$T"/x/*/casefile/manifest.json)
check "manifest records ticket, problem and completeness" sh -c \
	"grep -q '\"ticket\": \"CASE-42\"' '$m' && grep -q '\"problem\": \"db died at 3am\"' '$m' && grep -q '\"complete\": true' '$m'"
check "commands land under commands/" test -s "$(dirname "$(dirname "$m")")/commands/uname"
check "files keep their path" test -s "$(dirname "$(dirname "$m")")/proc/meminfo"
check "every catalogue source has a record" sh -c \
	"[ \$('$CASEFILE' collect --list | wc -l) -le \$(grep -c '\"source\":' '$m') ]"

check "--list prints sources without collecting" sh -c \
	"'$CASEFILE' collect --list --only df,uname | grep -q '^df ' && [ \$(ls '$out' | wc -l) -eq 2 ]"
check "--only limits the collection" sh -c \
	"'$CASEFILE' collect -o '$out' --only uname,meminfo -q >'$T/p' && tar tzf \$(cat '$T/p') | grep -v /casefile/ | wc -l | grep -qx 2"
check "an unknown source is a usage error" sh -c \
	"'$CASEFILE' collect --only nosuch -o '$out' 2>'$T/e'; [ \$? -eq 2 ] && grep -q \"no source named 'nosuch'\" '$T/e'"
check "a bad --since is a usage error" sh -c \
	"'$CASEFILE' collect --since yesterdayish -o '$out' 2>/dev/null; [ \$? -eq 2 ]"
check "an unwritable output directory is refused" sh -c \
	"'$CASEFILE' collect -o /nonexistent/dir 2>'$T/e'; [ \$? -eq 3 ] && grep -q \"cannot write to '/nonexistent/dir'\" '$T/e'"

# what a sos report user types works, and the customer is told what to do next
mkdir -p "$T/sos-words"
"$CASEFILE" collect --case-id 01234567 --label night --batch --tmp-dir "$T/sos-words" \
	--only uname,hostname >"$T/sw.out" 2>&1
check "--case-id, --label and --tmp-dir name and place the bundle" sh -c \
	"ls '$T'/sos-words/casefile-*-01234567-night-*.tar.gz"
check "the summary says how to check the bundle" grep -q "sha256sum -c casefile-.*\.tar\.gz\.sha256" "$T/sw.out"
check "and how to send it" grep -q "casefile upload $T/sos-words/casefile-" "$T/sw.out"

# breadth: what L3 needs in one pass
check "the catalogue has at least 250 sources" sh -c "[ \$('$CASEFILE' collect --list | wc -l) -ge 250 ]"
check "what L3 asks for again is among them (config, /proc, commands)" sh -c \
	"'$CASEFILE' collect --list | awk '{print \$1}' >'$T/names' &&
	 for s in sshd_config limits_conf sysctl_conf unit_dropins pam_config sudoers apt_sources \
		 logrotate_config zoneinfo vmallocinfo softnet_stat thp service_properties \
		 udev_db dumpe2fs lvs_all lsof ps_lwp slabtop bridge_fdb hwclock last_logins \
		 chrony_ntpdata var_log_tree crash_tree; do grep -qx \$s '$T/names' || exit 1; done"
check "no two sources write the same member" sh -c "! tar tzf '$b' | sort | uniq -d | grep ."
check "firewall, network configuration, hardware and history are among them" sh -c \
	"'$CASEFILE' collect --list | awk '{print \$1}' | grep -qx nft_ruleset && \
	 '$CASEFILE' collect --list | awk '{print \$1}' | grep -qx network_config && \
	 '$CASEFILE' collect --list | awk '{print \$1}' | grep -qx lspci && \
	 '$CASEFILE' collect --list | awk '{print \$1}' | grep -qx sar_cpu"
