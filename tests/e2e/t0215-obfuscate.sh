#!/bin/sh
# t0215: obfuscation like sos clean: collect --obfuscate on this machine,
# casefile clean of the real sosreport made here (t0110's cache) and of a
# casefile bundle; the map beside the bundle, 0600, reused with --map; every
# rule fixture still fires on obfuscated text
. tests/e2e/lib.sh

mkdir -p "$T/out" "$T/clean"
# what names this machine: its addresses but loopback, its MACs but zero, its name
addrs=$(ip -o addr 2>/dev/null | awk '{ sub(/\/.*/, "", $4); print $4 }' | grep -v '^127\.' | grep -vx '::1')
macs=$(ip -o link 2>/dev/null | grep -o 'link/ether [0-9a-f:]*' | cut -d' ' -f2 | grep -vx '00:00:00:00:00:00')
host=$(hostname)
# leaks DIR: the machine's addresses, MACs and name (as a name) found in DIR
leaks() {
	for v in $addrs $macs; do grep -rlF -- "$v" "$1" | sed "s|^|$v in |"; done
	grep -rlP "(?<![\\w.-])\\Q$host\\E(?![\\w-]|\\.\\w)" "$1" | sed "s|^|$host in |"
	return 0
}

"$CASEFILE" collect -o "$T/out" -q >"$T/plain" 2>/dev/null
mkdir -p "$T/p" && tar xzf "$(cat "$T/plain")" -C "$T/p"
check "without --obfuscate the bundle holds this machine's addresses and name" \
	test -n "$(leaks "$T/p")"

"$CASEFILE" collect --obfuscate -o "$T/out" >"$T/sum" 2>"$T/err"
check "collect --obfuscate: exit 0" test $? -eq 0
b=$(sed -n 's/^bundle: *//p' "$T/sum")
map=${b%.tar.gz}.map.json
mkdir -p "$T/o" && tar xzf "$b" -C "$T/o"
check "none of this machine's IP or MAC addresses, nor its name, is in it" sh -c \
	"out=\$(leaks '$T/o' | head -n 5); [ -z \"\$out\" ] || { echo \"\$out\"; exit 1; }"
check "nor in the bundle's name" sh -c "! basename '$b' | grep -qF -- '-$host-'"
check "the bundle verifies (checksums of the cleaned members)" verify_bundle "$b"
check "the manifest says obfuscated" sh -c \
	"jq -e '.obfuscated == true and (.host | test(\"^host[0-9]+$\"))' '$T'/o/*/casefile/manifest.json"
check "the map is beside the bundle, mode 0600" sh -c "[ \$(stat -c %a '$map') = 600 ]"
check "the map is not inside the bundle" sh -c "! tar tzf '$b' | grep -q map"
check "the map knows the machine's name" sh -c "jq -e --arg h '$host' '.hosts[\$h]' '$map'"
check "the summary names the map and says to keep it" grep -q "keep it, do not send it" "$T/sum"
check "the obfuscated bundle still analyzes" sh -c \
	"'$CASEFILE' analyze --format json '$b' | jq -e '.bundle.layout == \"casefile\"'"

# a second collection with the map: the same tokens
cp "$map" "$T/map.json"
"$CASEFILE" collect --obfuscate --map "$T/map.json" -o "$T/out" -q >"$T/p2" 2>/dev/null
check "--map: the same tokens for the same values" sh -c \
	"jq -S '.hosts, .ipv4, .macs' '$map' >'$T/a' && jq -S '.hosts, .ipv4, .macs' '$T/map.json' >'$T/b' && diff '$T/a' '$T/b' >/dev/null || { jq -S '.hosts' '$T/map.json'; exit 1; }"
check "--map: the same name for the bundle's host" sh -c \
	"[ \"\$(basename '$b' | cut -d- -f2)\" = \"\$(basename \"\$(cat '$T/p2')\" | cut -d- -f2)\" ]"
"$CASEFILE" collect --map "$T/map.json" -o "$T/out" -q >/dev/null 2>"$T/err"
check "--map without --obfuscate is a usage error" sh -c "[ $? -eq 2 ] && grep -q 'goes with --obfuscate' '$T/err'"
echo '{"schema": "something else"}' >"$T/bad-map.json"
"$CASEFILE" collect --obfuscate --map "$T/bad-map.json" -o "$T/out" -q >/dev/null 2>"$T/err"
check "a file that is no map is refused, with its name" sh -c \
	"[ $? -ne 0 ] && grep -q \"bad-map.json' is not a casefile obfuscation map\" '$T/err'"

# casefile clean of the sosreport made here
sos=$(ls build/test-cache/sosreport-*.tar.xz 2>/dev/null | head -n 1)
if [ -n "$sos" ]; then
	before=$(sha256sum "$sos")
	"$CASEFILE" clean "$sos" -o "$T/clean" -q >"$T/c" 2>"$T/err"
	check "clean of the real sosreport: exit 0" test $? -eq 0
	c=$(cat "$T/c")
	check "the input is unchanged" test "$before" = "$(sha256sum "$sos")"
	mkdir -p "$T/so" "$T/sc" && tar xJf "$sos" -C "$T/so" 2>/dev/null && tar xzf "$c" -C "$T/sc"
	check "the sosreport itself names this machine" test -n "$(leaks "$T/so")"
	if ls -d "$T"/so/*/sos_commands/networking >/dev/null 2>&1; then
		so_addrs=$(leaks "$T/so" | grep -v "^$host in")
		check "and holds its addresses (networking plugin)" test -n "$so_addrs"
	fi
	check "the cleaned copy holds none of its addresses, MACs or its name" sh -c \
		"out=\$(leaks '$T/sc' | head -n 5); [ -z \"\$out\" ] || { echo \"\$out\"; exit 1; }"
	check "the cleaned copy's name hides the host" sh -c "basename '$c' | grep -q '^sosreport-host0-'"
	check "its map is beside it, 0600" sh -c "[ \$(stat -c %a '${c%.tar.gz}.map.json') = 600 ]"
	"$CASEFILE" analyze --format json "$sos" >"$T/r1.json" 2>/dev/null
	"$CASEFILE" analyze --format json "$c" >"$T/r2.json" 2>/dev/null
	check "the cleaned sosreport still analyzes as a sosreport, with the same root causes" sh -c \
		"jq -e '.bundle.layout == \"sosreport\"' '$T/r2.json' && [ \"\$(jq -c .root_causes '$T/r1.json')\" = \"\$(jq -c .root_causes '$T/r2.json')\" ]"
	# what the kernel writes in /proc/net: its IPv4 addresses as little-endian words
	hex4=$(for a in $addrs; do case $a in *.*.*.*) echo "$a" | awk -F. '{ printf "%02X%02X%02X%02X\n", $4, $3, $2, $1 }' ;; esac; done)
	n=0; for h in $hex4; do n=$((n + $(grep -rlF -- "$h" "$T/sc" | wc -l))); done
	check "nor its addresses as /proc/net writes them (hex words)" test "$n" -eq 0
	# the people of this machine (UID 1000-59999) that the sosreport names
	for u in $(getent passwd | awk -F: '$3 >= 1000 && $3 < 60000 { print $1 }'); do
		grep -rqw -- "$u" "$T/so" || continue
		check "the user $u (named by the sosreport, which has no etc/passwd) is not in the copy" \
			sh -c "! grep -rqw -- '$u' '$T/sc'"
	done
	check "links that stay inside are kept (hostname, uname, etc/os-release)" sh -c \
		"[ -L '$T'/sc/*/hostname ] && [ \"\$(cat '$T'/sc/*/hostname)\" = \"\$(cat '$T'/sc/*/sos_commands/host/hostname)\" ] && [ \$(find '$T/sc' -type l | wc -l) -eq \$(find '$T/so' -type l | wc -l) ]"
else
	skip "no sosreport in build/test-cache (t0110 makes it as root)"
fi

# casefile clean of a casefile bundle: its manifest follows
"$CASEFILE" clean "$(cat "$T/plain")" -o "$T/clean" -q >"$T/c" 2>/dev/null
c=$(cat "$T/c")
check "clean of a casefile bundle: the copy verifies against its rewritten manifest" verify_bundle "$c"
mkdir -p "$T/cc" && tar xzf "$c" -C "$T/cc"
check "and holds none of the machine's addresses, MACs or name" sh -c \
	"out=\$(leaks '$T/cc' | head -n 5); [ -z \"\$out\" ] || { echo \"\$out\"; exit 1; }"
"$CASEFILE" clean "$(cat "$T/plain")" -o "$T/clean" -q >"$T/c2" 2>/dev/null
check "cleaning twice never replaces the first copy" sh -c "[ '$(cat "$T/c")' != \"\$(cat '$T/c2')\" ] && [ -f '$c' ]"

# a folder: links are not followed
mkdir -p "$T/dir/var/log" "$T/dir/etc"
echo "db7.corp.example.com" >"$T/dir/etc/hostname"
printf 'Nov 20 03:12:09 db7 kernel: eth0 link up 172.20.1.5 52:54:00:12:34:56\n' >"$T/dir/var/log/messages"
ln -s /etc/shadow "$T/dir/etc/shadow"
"$CASEFILE" clean "$T/dir" -o "$T/clean" -q >"$T/c" 2>"$T/err"
check "clean of a folder: exit 0" test $? -eq 0
c=$(cat "$T/c")
check "clean -q: the path alone on stdout, the link left out still said on stderr" sh -c \
	"[ \"\$(wc -l <'$T/c')\" -eq 1 ] && grep -q '^casefile: warning: 1 link, special file or unsafe path left out of ' '$T/err'"
check "its lines are cleaned consistently" sh -c \
	"tar xzOf '$c' --wildcards '*/var/log/messages' | grep -qx 'Nov 20 03:12:09 host0 kernel: eth0 link up 10.254.0.5 00:00:00:00:00:01'"
check "a link in it is left out, not followed" sh -c "! tar tzf '$c' | grep -q shadow"

# hostile archives from libarchive's tests: each ends in 0 or 3, with a message when 3
bad=0
for f in "$SHARED"/archives/libarchive/*; do
	[ -f "$f" ] || continue
	timeout 60 "$CASEFILE" clean "$f" -o "$T/clean" >/dev/null 2>"$T/err"
	rc=$?
	if [ $rc -ne 0 ] && { [ $rc -ne 3 ] || ! grep -q "error: " "$T/err"; }; then
		echo "# $(basename "$f"): exit $rc"; bad=$((bad + 1))
	fi
done
check "hostile archives: no crash or hang, a message for each refused" test "$bad" -eq 0
python3 - "$T/evil.tar.gz" <<'PY'
import io, sys, tarfile
t = tarfile.open(sys.argv[1], "w:gz")
for name, data in [("../../escaped/etc/hostname", b"db1\n"), ("sub/bin\x1b[2Jx", b"\x00bin")]:
    ti = tarfile.TarInfo(name); ti.size = len(data); t.addfile(ti, io.BytesIO(data))
t.close()
PY
mkdir -p "$T/ev/out"
(cd "$T/ev/out" && "$CASEFILE" clean "$T/evil.tar.gz" -o . >"$T/evs" 2>&1)
check "an archive whose names climb out: nothing is written outside the output folder" sh -c \
	"[ ! -e '$T/escaped' ] && [ ! -e '$T/ev/escaped' ] && ls '$T/ev/out' | grep -q -- '-clean.tar.gz\$'"
check "a binary member's hostile name is named, escaped, never raw on the terminal" sh -c \
	"grep -q 'sub/bin.x1b' '$T/evs' && ! grep -q \"\$(printf '\\033')\" '$T/evs'"
check "no half-written copy is left" sh -c "! ls '$T'/clean/*.part 2>/dev/null | grep -q ."

# manifest floods (jansson would hold them whole: 64 MB of {} in 65 KB took 5.5 GB):
# counted before parsing, refused by name, the copy made without the manifest
python3 - "$T" <<'PY'
import io, sys, tarfile
for name, body in [("big", b"{}," * ((64 << 20) // 3)), ("objs", b"{}," * 2000000)]:
    t = tarfile.open("%s/%s.tar.gz" % (sys.argv[1], name), "w:gz")
    for p, data in [("casefile/manifest.json", b'{"host": "h", "items": [' + body + b'{}]}'),
                    ("var/log/syslog", b"Nov 20 03:12:09 h kernel: eth0 up\n")]:
        ti = tarfile.TarInfo("casefile-h-20261120T000000Z/" + p); ti.size = len(data)
        t.addfile(ti, io.BytesIO(data))
    t.close()
PY
for f in big objs; do
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f "# clean of the manifest flood '$f': peak RSS %M KB" -o "$T/rss" \
			"$CASEFILE" clean "$T/$f.tar.gz" -o "$T/clean" -q >"$T/c" 2>"$T/err.$f"
		cat "$T/rss"
	else
		"$CASEFILE" clean "$T/$f.tar.gz" -o "$T/clean" -q >"$T/c" 2>"$T/err.$f"
	fi
	check "a manifest flood ($f): the copy is made" test -s "$(cat "$T/c")"
done
check "a 64 MB manifest is refused by its size, and said so" grep -qx \
	"casefile: warning: casefile/manifest.json: larger than 8388608 bytes; left out of the cleaned copy" "$T/err.big"
check "a flood of objects is refused by their count, and said so" grep -qx \
	"casefile: warning: casefile/manifest.json: more than 60000 objects in it; left out of the cleaned copy" "$T/err.objs"

"$CASEFILE" rules test --obfuscate >"$T/rt" 2>&1
check "every rule fixture still fires on obfuscated text" sh -c \
	"tail -n 1 '$T/rt' | grep -q ' 0 failed' || { grep FAIL '$T/rt' | head; exit 1; }"

# a sosreport without etc/passwd of a host with a short name ("vm"): users from
# lastlog of UIDs 1000-60000 and from ps (named in one listing, numbered in
# another), /proc/net's hex addresses, the name in hyphenated names; ordinary
# words that hold "vm" stay; links inside are kept, links out left out and named
S=$T/sosreport-vm-4711-2026-11-20-abcdefg
mkdir -p "$S/sos_commands/host" "$S/sos_commands/process" "$S/sos_commands/login" \
	"$S/sos_commands/kernel" "$S/sos_logs" "$S/proc/net" "$S/etc" "$S/var/log"
echo vm >"$S/sos_commands/host/hostname"
echo "2026-11-20 03:12:09 sos: archive sosreport-vm-4711-2026-11-20-abcdefg.tar.xz written" >"$S/sos_logs/sos.log"
printf 'USER PID %%CPU COMMAND\nroot 1 0.0 /sbin/init\nappuser 4711 0.5 /opt/app/bin/server\npostgres 88 0.1 postgres\n' \
	>"$S/sos_commands/process/ps_auxwww"
printf 'F   UID   PID  PPID COMMAND\n4 0 1 0 /sbin/init\n0 1001 4711 1 /opt/app/bin/server\n4 106 88 1 postgres\n' \
	>"$S/sos_commands/process/ps_alxwww"
printf 'Username         Port     From             Latest\ndbadmin          pts/0    10.9.8.7         Fri Nov 20 03:00:00 +0100 2026\n' \
	>"$S/sos_commands/login/lastlog_-u_1000-60000"
printf '  sl  local_address rem_address   st\n   0: 0F02000A:0016 0202000A:D2F0 01\n   1: 0100007F:1F90 00000000:0000 0A\n' \
	>"$S/proc/net/tcp"
printf 'fe800000000000005054fffe123456ab 02 40 20 80     eth0\n00000000000000000000000000000001 01 80 10 80       lo\n' \
	>"$S/proc/net/if_inet6"
printf 'vm.swappiness = 60\nkernel.hostname = vm\n' >"$S/sos_commands/kernel/sysctl_-a"
printf 'vm_area_struct 1 2 3\n' >"$S/proc/slabinfo"
echo "Nov 20 03:12:09 vm kernel: Out of memory: Killed process 4711 (server) total-vm:1kB" >"$S/var/log/messages"
ln -s sos_commands/host/hostname "$S/hostname"
ln -s /etc/shadow "$S/etc/shadow"
ln -s ../../../outside "$S/etc/up"
(cd "$T" && tar cJf "$T/sosreport-vm.tar.xz" "$(basename "$S")")
"$CASEFILE" clean "$T/sosreport-vm.tar.xz" -o "$T/clean" -q >"$T/c" 2>"$T/err"
c=$(cat "$T/c")
mkdir -p "$T/vm" && tar xzf "$c" -C "$T/vm"
check "users without etc/passwd: the one ps names and numbers 1001, the one lastlog lists" sh -c \
	"! grep -rqE 'appuser|dbadmin' '$T/vm' && grep -rq 'postgres' '$T/vm'"
check "proc/net/tcp's hex addresses are replaced, loopback kept" sh -c \
	"! grep -rqE '0F02000A|0202000A' '$T/vm' && grep -q '0100007F:1F90' '$T'/vm/*/proc/net/tcp"
check "if_inet6's 32 hex digits are replaced, ::1 kept" sh -c \
	"! grep -rq 'fe800000000000005054fffe123456ab' '$T/vm' && grep -q '^00000000000000000000000000000001 ' '$T'/vm/*/proc/net/if_inet6"
check "the host's name in a hyphenated name is replaced" sh -c "! grep -rq 'sosreport-vm-4711' '$T/vm' && grep -q 'sosreport-host0-4711' '$T'/vm/*/sos_logs/sos.log"
check "words that hold 'vm' stay: vm.swappiness, vm_area_struct, total-vm" sh -c \
	"grep -q '^vm.swappiness = 60' '$T'/vm/*/sos_commands/kernel/sysctl_-a && grep -q '^kernel.hostname = host0' '$T'/vm/*/sos_commands/kernel/sysctl_-a && grep -q vm_area_struct '$T'/vm/*/proc/slabinfo && grep -q 'host0 kernel: .*total-vm:1kB' '$T'/vm/*/var/log/messages"
check "a link that stays inside is kept, its target's text cleaned" sh -c \
	"[ -L '$T'/vm/*/hostname ] && [ \"\$(readlink '$T'/vm/*/hostname)\" = sos_commands/host/hostname ] && [ \"\$(cat '$T'/vm/*/hostname)\" = host0 ]"
check "links out of the bundle are left out and named" sh -c \
	"! ls '$T'/vm/*/etc/shadow '$T'/vm/*/etc/up 2>/dev/null && grep -q \"'etc/shadow -> /etc/shadow': it points outside the archive\" '$T/err' && grep -q \"'etc/up -> ../../../outside'\" '$T/err'"

# a supportconfig, like supportutils-scrub: the archive's name and its sections
S=$T/scc_db9_261120_0330
mkdir -p "$S"
{
	printf '#==[ Log File ]=====================================#\n# /var/log/messages - Last 5000 Lines\n'
	echo '2026-11-20T03:12:09.118411+01:00 db9 kernel: [12345.679001] Out of memory: Killed process 4321 (postgres) total-vm:8123456kB, anon-rss:7900000kB, file-rss:0kB'
	echo '2026-11-20T03:12:11.000000+01:00 db9 sshd[77]: Accepted publickey for root from 192.168.44.7 port 50022'
} >"$S/messages.txt"
{
	printf '#==[ Command ]=====================================#\n# /bin/uname -a\n'
	echo 'Linux db9 5.14.21-150500.55.39-default #1 SMP x86_64 GNU/Linux'
} >"$S/basic-environment.txt"
tar cJf "$T/scc_db9_261120_0330.txz" -C "$T" scc_db9_261120_0330
"$CASEFILE" clean "$T/scc_db9_261120_0330.txz" -o "$T/clean" -q >"$T/c" 2>/dev/null
c=$(cat "$T/c")
check "a supportconfig: the copy's name hides the host" sh -c "basename '$c' | grep -q '^scc_host0_261120_0330-clean'"
check "its sections are cleaned" sh -c \
	"tar xzOf '$c' --wildcards '*/messages.txt' | grep -q 'host0 sshd\[77\]: Accepted publickey for root from 10.254.0.7' && ! tar xzOf '$c' | grep -q 'db9\|192.168.44'"
check "it still analyzes as a supportconfig, with the OOM kill as its root cause" sh -c \
	"'$CASEFILE' analyze --format json '$c' | jq -e '.bundle.layout == \"supportconfig\" and .bundle.hostname == \"host0\" and .root_causes[0] == \"oom-kill\"'"

# a supportconfig whose log lines teach nothing (journal time with microseconds):
# the host comes from its own files (supportutils' supportconfig.rc): the folder
# scc_HOST_YYMMDD_HHMM, summary.xml's <hostname>, uname -a and hostname sections
S=$T/scc_sap7_261120_0330
mkdir -p "$S"
{
	printf '#==[ Command ]=====================================#\n# /bin/uname -a\n'
	echo 'Linux sap7 5.14.21-150500.55.39-default #1 SMP x86_64 GNU/Linux'
} >"$S/basic-environment.txt"
{
	printf '#==[ Command ]=====================================#\n# /bin/hostname\nsap7\n'
	printf '#==[ Configuration File ]==========================#\n# /etc/hosts\n10.20.30.40 sap7.corp.example.com sap7\n'
} >"$S/network.txt"
printf '<?xml version="1.0"?>\n<summary>\n  <hostname>sap7.corp.example.com</hostname>\n</summary>\n' >"$S/summary.xml"
{
	printf '#==[ Log File ]=====================================#\n# /var/log/messages - Last 5000 Lines\n'
	echo 'Nov 20 03:12:09.118411 sap7 kernel: Out of memory: Killed process 4321 (hdbindexserver)'
} >"$S/messages.txt"
tar cJf "$T/scc_sap7_261120_0330.txz" -C "$T" scc_sap7_261120_0330
"$CASEFILE" clean "$T/scc_sap7_261120_0330.txz" -o "$T/clean" -q >"$T/c" 2>/dev/null
c=$(cat "$T/c")
check "a supportconfig: its host is in the map" jq -e '.hosts.sap7' "${c%.tar.gz}.map.json"
check "and nowhere in the copy: name, uname, hostname, summary.xml, messages" sh -c \
	"basename '$c' | grep -q '^scc_host0_261120_0330-clean' && ! tar xzOf '$c' | grep -q 'sap7'"

# collect --obfuscate: the host's name in a process's command line, hyphenated
python3 -c 'import time; time.sleep(120)' "sosreport-$host-4711" &
pypid=$!
i=0	# until the process shows that command line (it starts in the background)
while ! tr '\0' ' ' <"/proc/$pypid/cmdline" 2>/dev/null | grep -q -- "-$host-4711" && [ $i -lt 200 ]; do
	sleep 0.05; i=$((i + 1))
done
"$CASEFILE" collect --obfuscate -o "$T/out" -q >"$T/p3" 2>/dev/null
kill "$pypid" 2>/dev/null
mkdir -p "$T/p3x" && tar xzf "$(cat "$T/p3")" -C "$T/p3x"
check "collect --obfuscate: no 'sosreport-$host-4711' in ps, its token instead" sh -c \
	"! grep -rqF -- 'sosreport-$host-4711' '$T/p3x' && grep -rq -- 'sosreport-host[0-9]*-4711' '$T/p3x'"
