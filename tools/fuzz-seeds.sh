#!/bin/sh
# Seed corpora for the libFuzzer targets (make fuzz), from the project's own
# data and the shared test material, into build/fuzz/corpus/TARGET/.
set -eu
cd "$(dirname "$0")/.."
C=build/fuzz/corpus
SHARED=../shared/data
rm -rf "$C"
mkdir -p "$C/rule" "$C/catalog" "$C/timestamp" "$C/redact" "$C/bundle" "$C/claims" "$C/table" \
	"$C/obfuscate" "$C/clean_input" "$C/scc" "$C/report"
for f in rules/*/*.yaml; do cp "$f" "$C/rule/"; done
cp rules/sources.yaml rules/categories.yaml "$C/catalog/"
cp tests/redact/secrets/* tests/redact/ordinary/* "$C/redact/"
i=0
for f in "$SHARED"/logs/lnav/logfile_*; do
	i=$((i + 1))
	head -c 300 "$f" | head -n 2 >"$C/timestamp/line$i"
done
printf '%s\n' var/log/syslog.2.gz sos_commands/kernel/dmesg commands/df \
	'var/log/messages-20261120' proc/stat casefile/manifest.json | while read -r p; do
	i=$((i + 1))
	printf '%s' "$p" >"$C/claims/path$i"
done
# a shape of each table kind (as Linux and the tools print them)
printf 'MemTotal:       16315876 kB\nMemAvailable:     412088 kB\n' >"$C/table/meminfo"
printf 'Tcp: RtoAlgorithm OutSegs RetransSegs\nTcp: 1 58021004 3481260\n' >"$C/table/snmp"
printf 'TCP: inuse 5 orphan 0 tw 0 alloc 7 mem 1\nsome avg10=0.00 total=0\n' >"$C/table/pairs"
printf '2: eth0: <UP> mtu 1500 master bond0 state UP\n    RX:  bytes packets errors\n 1 2 3\n' >"$C/table/iplink"
printf '  LV     VG   Attr       LSize   Pool Origin Data%%  Meta%%\n  pool00 rhel twi-aotz-- <37.70g             96.83  11.62\n' >"$C/table/lvs"
printf 'ii  openssh-server 1:9.2p1-2+deb12u3 amd64 x\nopenssh-8.7p1-38.el9_4.1.x86_64 Tue\n4097\n' >"$C/table/packages"
# a small bundle of each kind, and libarchive's hostile archives
d=$(mktemp -d)
mkdir -p "$d/casefile-h-20261120T031209Z/var/log" "$d/casefile-h-20261120T031209Z/casefile"
echo 'Nov 20 03:12:09 h kernel: Out of memory: Killed process 42 (java)' \
	>"$d/casefile-h-20261120T031209Z/var/log/kern.log"
echo '{"host": "h", "items": []}' >"$d/casefile-h-20261120T031209Z/casefile/manifest.json"
tar czf "$C/bundle/casefile.tar.gz" -C "$d" casefile-h-20261120T031209Z
tar cf "$C/bundle/plain.tar" -C "$d" casefile-h-20261120T031209Z
rm -rf "$d"
for f in "$SHARED"/archives/libarchive/test_*; do cp "$f" "$C/bundle/"; cp "$f" "$C/clean_input/"; done

# the obfuscator: the first byte picks what the first line is learned as
printf 'Nov 20 03:12:09 db1 sshd[7]: Accepted publickey for alice from 192.168.7.23\n' >"$C/obfuscate/syslog"
printf '\001root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\nalice db1 10.0.0.1\n' \
	>"$C/obfuscate/passwd"
printf '\003Username Port From Latest\ncloudsdk pts/0 10.9.8.7 Fri Nov 20\n' >"$C/obfuscate/lastlog"
printf '\005USER PID COMMAND\nappuser 4711 server\n   0: 0F02000A:0016 0100007F:1F90 0A\n' >"$C/obfuscate/ps"
printf 'vm\nsosreport-vm-4711 vm.swappiness vm_area_struct total-vm:1kB /proc/sys/vm eth0\t000200C0\t010200C0\t0003\n' \
	>"$C/obfuscate/short"
printf '\007#==[ Command ]===#\n# /bin/uname -a\nLinux db9 5.14\nfe800000000000005054fffe123456ab 02 40 20 80 eth0\n' \
	>"$C/obfuscate/scc"
printf '\010<summary>\n  <hostname>sap7.corp.example.com</hostname>\n</summary>\n52:54:00:ab:cd:01 fd00::2\n' \
	>"$C/obfuscate/summary"

# clean's input: a sosreport-shaped archive with links in, out and below a link
d=$(mktemp -d)
mkdir -p "$d/sosreport-vm-1/sos_commands/host" "$d/sosreport-vm-1/etc"
echo vm >"$d/sosreport-vm-1/sos_commands/host/hostname"
ln -s sos_commands/host/hostname "$d/sosreport-vm-1/hostname"
ln -s /etc/shadow "$d/sosreport-vm-1/etc/shadow"
ln -s ../../../x "$d/sosreport-vm-1/etc/up"
ln -s . "$d/sosreport-vm-1/self"
tar cJf "$C/clean_input/sosreport.tar.xz" -C "$d" sosreport-vm-1
tar cf "$C/clean_input/sosreport.tar" -C "$d" sosreport-vm-1
rm -rf "$d"
cp "$C/bundle/casefile.tar.gz" "$C/clean_input/"

# the supportconfig reader: sections of each kind, a timeout, CRLF
printf '#==[ Command ]======================================#\n# /usr/bin/df -hT\nFilesystem Size\n/dev/sda1 20G\n#==[ Log File ]=====================================#\n# /var/log/messages - Last 5000 Lines\nNov 20 03:12:09 db9 kernel: Out of memory\n' \
	>"$C/scc/messages"
printf '#==[ Command ]======================================#\r\n# /bin/systemctl status\r\n# ERROR: Command did not complete within the timeout period.\r\n#==[ Configuration File ]===========================#\n# /etc/fstab - File not found\n' \
	>"$C/scc/timeout"
printf 'scc_db9_261120_0330\n#==[ Note ]===#\nx\n' >"$C/scc/folder"

# the report writers: a manifest, a line "--", a kernel log
printf '{"host": "db1\\u001b[2J\\u202egpj.exe", "ticket": "T-1", "problem": "slow \\u009b31m", "items": [{"source": "syslog", "status": "error", "error": "x\\n```<img>"}]}\n--\nNov 20 03:12:09 db1 kernel: Out of memory: Killed process 42 (ja\342\200\256va) total-vm:1kB\n' \
	>"$C/report/escapes"
printf '{"host": "h", "items": []}\n--\nNov 20 03:12:09 h kernel: EXT4-fs error (device sda1): bad block\nNov 20 03:12:10 h kernel: Out of memory: Killed process 7 (db\377) total-vm:1kB\n' \
	>"$C/report/findings"
echo "fuzz: seed corpora in $C"
