# gen-corpus.awk: a realistic log corpus from a fixed seed, for make bench.
#   awk -v seed=42 -v mb=700 -v kind=syslog -f tools/gen-corpus.awk > syslog
# kind: syslog (mixed daemons and kernel), kern (kernel only), auth, journal
# (short-iso). About one line in 20000 is a fault that a rule knows.
BEGIN {
	srand(seed)
	split("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", mon, " ")
	nhosts = split("db1 web1 web2 app3 cache1", hosts, " ")
	nd = split("systemd[1] CRON[2211] sshd[901] postfix/smtpd[1450] nginx[777] dockerd[640] " \
		   "kubelet[1200] chronyd[512] dbus-daemon[480] NetworkManager[530] rsyslogd[420]", daemons, " ")
	nm = split("Started Session 4242 of user deploy.|(root) CMD (run-parts /etc/cron.hourly)|" \
		   "Accepted publickey for deploy from 10.20.30.40 port 51234 ssh2: ED25519 SHA256:abcdefghijk|" \
		   "connect from mail.example.com[192.0.2.10]|" \
		   "10.1.2.3 - - \"GET /api/v1/items?page=2 HTTP/1.1\" 200 5123 \"-\" \"curl/8.0\"|" \
		   "time=\"2026-11-20T03:12:09Z\" level=info msg=\"Container health status changed\"|" \
		   "I1120 03:12:09.123456 1200 kubelet.go:2222] \"SyncLoop (PLEG): event for pod\" pod=\"default/web-7d9\"|" \
		   "Selected source 192.0.2.123 (2.debian.pool.ntp.org)|" \
		   "[system] Successfully activated service 'org.freedesktop.nm_dispatcher'|" \
		   "<info>  [1700000000.1234] device (eth0): state change: activated -> activated|" \
		   "imuxsock: Acquired UNIX socket '/run/systemd/journal/syslog' (fd 3) from systemd.|" \
		   "Finished Daily apt download activities.|pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)", msgs, "|")
	nk = split("e1000e 0000:00:19.0 eth0: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx|" \
		   "EXT4-fs (sda1): re-mounted. Opts: errors=remount-ro|" \
		   "audit: type=1400 audit(1700000000.123:456): apparmor=\"STATUS\" operation=\"profile_load\"|" \
		   "IPv6: ADDRCONF(NETDEV_CHANGE): eth0: link becomes ready|" \
		   "TCP: Hash tables configured (established 131072 bind 65536)|" \
		   "usb 1-1: new high-speed USB device number 2 using xhci_hcd|" \
		   "sd 2:0:0:0: [sdb] 976773168 512-byte logical blocks: (500 GB/466 GiB)|" \
		   "systemd-journald[300]: Data hash table of /var/log/journal/x/system.journal has a fill level at 75.0|" \
		   "nf_conntrack: default automatic helper assignment has been turned off for security reasons", kmsgs, "|")
	nf = split("Out of memory: Killed process 4321 (postgres) total-vm:8123456kB, anon-rss:7900000kB, file-rss:0kB|" \
		   "blk_update_request: I/O error, dev sdb, sector 2048 op 0x1:(WRITE) flags 0x800 phys_seg 1 prio class 0|" \
		   "nginx[2345]: segfault at 0 ip 00007f1c2a8b3c1e sp 00007ffd4c3b1e08 error 4 in libc.so.6[7f1c2a800000+195000]|" \
		   "INFO: task nfsd:1234 blocked for more than 120 seconds.|" \
		   "nfs: server filer01 not responding, still trying|" \
		   "EXT4-fs error (device sdb1): ext4_find_entry:1455: inode #2: comm ls: reading directory lblock 0", faults, "|")
	target = mb * 1024 * 1024
	t = 1795000000
	bytes = 0
	while (bytes < target) {
		t += int(rand() * 3)
		h = hosts[1 + int(rand() * nhosts)]
		ts = stamp(t)
		r = rand()
		if (r < 0.00005)
			line = ts " " h " kernel: [" sprintf("%.6f", (t % 1000000) + rand()) "] " faults[1 + int(rand() * nf)]
		else if (kind == "auth")
			line = ts " " h " sshd[" int(rand() * 30000) "]: " (rand() < 0.3 ? \
				"Failed password for invalid user admin from 198.51.100." int(rand() * 255) " port " int(rand() * 60000) " ssh2" : \
				"Accepted publickey for deploy from 10.0.0." int(rand() * 255) " port " int(rand() * 60000) " ssh2")
		else if (kind == "kern" || (kind == "syslog" && r < 0.25))
			line = ts " " h " kernel: [" sprintf("%.6f", (t % 1000000) + rand()) "] " kmsgs[1 + int(rand() * nk)]
		else
			line = ts " " h " " daemons[1 + int(rand() * nd)] ": " msgs[1 + int(rand() * nm)] " id=" int(rand() * 1000000)
		print line
		bytes += length(line) + 1
	}
}

function stamp(t,    d, s) {
	if (kind == "journal")
		return strftime("%Y-%m-%dT%H:%M:%S+0000", t, 1)
	return strftime("%b %e %H:%M:%S", t, 1)
}
