/* test_obfuscate.c: stable tokens for names, addresses, MACs, users, serials */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "unit.h"
#include "obfuscate.h"

static char *clean(struct obf *o, const char *text)
{
	struct buf out = BUF_INIT(0);

	obf_chunk(o, text, strlen(text), &out);
	return buf_detach(&out, NULL);
}

static void learn(struct obf *o, const char *path, const char *text)
{
	obf_learn_text(o, path, text, strlen(text));
}

static void test_addresses_keep_their_subnet(void **state)
{
	struct obf *o = obf_new();
	char *a = clean(o, "eth0 192.168.7.23/24 gw 192.168.7.1, peer 10.1.2.3.\n");
	char *b = clean(o, "again 192.168.7.23 and 192.168.8.23 mask 255.255.255.0 lo 127.0.0.1\n");

	(void)state;
	assert_string_equal(a, "eth0 10.254.0.23/24 gw 10.254.0.1, peer 10.254.1.3.\n");
	/* the same address, the same token; another /24, another network */
	assert_string_equal(b, "again 10.254.0.23 and 10.254.2.23 mask 255.255.255.0 lo 127.0.0.1\n");
	free(a);
	free(b);
	/* versions and longer dotted numbers are no addresses */
	a = clean(o, "kernel 5.14.0.284.11 and 1.2.3.4.5\n");
	assert_string_equal(a, "kernel 5.14.0.284.11 and 1.2.3.4.5\n");
	free(a);
	obf_free(o);
}

static void test_mac_and_ipv6(void **state)
{
	struct obf *o = obf_new();
	char *a = clean(o, "link/ether 52:54:00:AB:cd:01 brd ff:ff:ff:ff:ff:ff\n"
			"inet6 2001:db8:1:2::17/64 fe80::5054:ff:feab:cd01 ::1 at 12:34:56\n");

	(void)state;
	assert_string_equal(a, "link/ether 00:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff\n"
			    "inet6 2001:db8:0::1/64 2001:db8:1::2 ::1 at 12:34:56\n");
	free(a);
	/* case and separator do not make another MAC */
	a = clean(o, "52-54-00-ab-CD-01\n");
	assert_string_equal(a, "00:00:00:00:00:01\n");
	free(a);
	obf_free(o);
}

static void test_names_users_serials(void **state)
{
	struct obf *o = obf_new();
	char *a;

	(void)state;
	obf_learn_text(o, "etc/hostname", "db1.corp.example.com\n", 21);
	obf_learn_text(o, "etc/hosts", "127.0.0.1 localhost\n10.0.0.9 backup7 backup7.corp.example.com\n",
		       63);
	obf_learn_text(o, "etc/passwd", "root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:"
		       "/bin/sh\n", 63);
	a = clean(o, "Nov 20 03:12:09 db1 sshd[1]: user alice from backup7.corp.example.com; "
		  "DB1 db10 root localhost web3.corp.example.com\n"
		  "System Information\n\tSerial Number: VMW-4711-XQ\nchassis VMW-4711-XQ\n");
	assert_string_equal(a, "Nov 20 03:12:09 host0 sshd[1]: user user0 from "
			    "host1.domain0.example; host0 db10 root localhost "
			    "host2.domain0.example\nSystem Information\n\tSerial Number: serial0\n"
			    "chassis serial0\n");
	free(a);
	assert_string_equal(obf_host_token(o, "backup7"), "host1");
	obf_free(o);
}

/* /proc/net's forms take the tokens of the usual ones; loopback and zero stay */
static void test_proc_net_forms(void **state)
{
	struct obf *o = obf_new();
	char *a;

	(void)state;
	/* 192.0.2.2 and fd00::2 as tcp, route, tcp6 and if_inet6 write them */
	a = clean(o, "   0: 020200C0:0016 0100007F:1F90 0A 00000000:00000000 00:00000000\n"
		  "eth0\t000200C0\t010200C0\t0003\t0\t0\t0\t00FFFFFF\t0\n"
		  "   1: 000000FD000000000000000002000000:0016 0000000000000000FFFF00000100007F:1F90\n"
		  "fd000000000000000000000000000002 04 40 00 82     eth0\n"
		  "00000000000000000000000000000001 01 80 10 80       lo\n"
		  "192.0.2.2 fd00::2 d41d8cd98f00b204e9800998ecf8427e  file\n");
	assert_string_equal(a,
		"   0: 0200FE0A:0016 0100007F:1F90 0A 00000000:00000000 00:00000000\n"
		"eth0\t0000FE0A\t0100FE0A\t0003\t0\t0\t0\t00FFFFFF\t0\n"
		"   1: B80D0120000000000000000001000000:0016 0000000000000000FFFF00000100007F:1F90\n"
		"20010db8000000000000000000000001 04 40 00 82     eth0\n"
		"00000000000000000000000000000001 01 80 10 80       lo\n"
		"10.254.0.2 2001:db8:0::1 d41d8cd98f00b204e9800998ecf8427e  file\n");
	free(a);
	obf_free(o);
}

/* A short host name as a word of its own, never inside another word */
static void test_short_host(void **state)
{
	struct obf *o = obf_new();
	char *a;

	(void)state;
	obf_learn_text(o, "sos_commands/host/hostname", "vm\n", 3);
	a = clean(o, "sosreport-vm-2026-12-04-fhjsugu.tar.xz root@vm:~# scc_vm_261120_0330 vm\n"
		  "vm.swappiness = 60 vm_area_struct __vm_munmap /proc/sys/vm/overcommit_memory\n"
		  "vmstat kvm 80-vm-vt.network open-vm-tools total-vm:1kB Server VM\n");
	assert_string_equal(a, "sosreport-host0-2026-12-04-fhjsugu.tar.xz root@host0:~# "
			    "scc_host0_261120_0330 host0\n"
			    "vm.swappiness = 60 vm_area_struct __vm_munmap /proc/sys/vm/overcommit_memory\n"
			    "vmstat kvm 80-vm-vt.network open-vm-tools total-vm:1kB Server VM\n");
	free(a);
	a = obf_name(o, "proc/sys/vm/laptop_mode");
	assert_string_equal(a, "proc/sys/vm/laptop_mode");
	free(a);
	a = obf_name(o, "sosreport-vm-2026-12-04");
	assert_string_equal(a, "sosreport-host0-2026-12-04");
	free(a);
	obf_free(o);
}

/* Without etc/passwd: lastlog of UIDs 1000-60000, last, ps joined by PID, home folders */
static void test_users_without_passwd(void **state)
{
	static const char aux[] = "USER PID %CPU COMMAND\nroot 1 0.0 init\npostgres 40 0.0 postgres\n"
				  "cloudsdk 77 0.0 sleep 10\nsystemd+ 88 0.0 resolved\n";
	static const char alx[] = "F   UID   PID  PPID COMMAND\n4 0 1 0 init\n4 106 40 1 postgres\n"
				  "0 1000 77 1 sleep 10\n4 1001 88 1 resolved\n";
	struct obf *o = obf_new();
	char *a;

	(void)state;
	obf_learn_text(o, "sos_commands/process/ps_auxwww", aux, strlen(aux));
	obf_learn_text(o, "sos_commands/process/ps_alxwww", alx, strlen(alx));
	learn(o, "sos_commands/login/lastlog_-u_1000-60000",
	      "Username Port From Latest\ndbadmin pts/0 10.0.0.1 Fri Nov 20\n");
	learn(o, "sos_commands/login/lastlog_-u_60001-65536",
	      "Username Port From Latest\nnobody **Never logged in**\n");
	learn(o, "sos_commands/login/last",
	      "carol pts/1 10.0.0.2 Fri Nov 20 03:00 still logged in\n"
	      "reboot system boot 6.1.0 Fri Nov 20 02:00 still running\n"
	      "\nwtmp begins Fri Nov 20 02:00:00 2026\n");
	obf_learn_path(o, "home/erin/.bash_history");
	obf_learn_path(o, "var/spool/cron/crontabs/root");
	a = clean(o, "cloudsdk dbadmin carol erin | root postgres nobody systemd+ reboot\n");
	assert_string_equal(a, "user0 user1 user2 user3 | root postgres nobody systemd+ reboot\n");
	free(a);
	obf_free(o);
}

/* A supportconfig's host: its folder, summary.xml, and uname -a, hostname in sections */
static void test_supportconfig(void **state)
{
	static const char env[] = "#==[ Command ]======================================#\n"
				  "# /bin/uname -a\nLinux db9 5.14.21-default #1 SMP x86_64\n"
				  "#==[ Configuration File ]===========================#\n"
				  "# /etc/passwd\nroot:x:0:0::/root:/bin/bash\nfrank:x:1002:100::/home/frank:"
				  "/bin/bash\n"
				  "#==[ Command ]======================================#\n"
				  "# /bin/hostname\nweb9\n";
	struct obf *o = obf_new();
	char *a;

	(void)state;
	obf_learn_folder(o, "scc_sap01_261120_0330");
	learn(o, "summary.xml", "<summary>\n  <hostname>sap02.corp.example.com</hostname>\n");
	obf_learn_text(o, "basic-environment.txt", env, strlen(env));
	a = clean(o, "sap01 sap02 db9 web9 frank Linux\n");
	assert_string_equal(a, "host0 host1 host2 host3 user0 Linux\n");
	free(a);
	obf_free(o);
}

static void test_map_round_trip(void **state)
{
	char path[] = "/tmp/casefile-obf-XXXXXX";
	int fd = mkstemp(path);
	struct obf *o = obf_new(), *p;
	struct stat st;
	char *a, *b;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	obf_learn_host(o, "db1", 3);
	a = clean(o, "db1 172.16.5.4 00:11:22:33:44:55\n");
	assert_int_equal(obf_map_save(o, path), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* a second run with the map: the same tokens, new values numbered after */
	p = obf_new();
	assert_int_equal(obf_map_load(p, path), 0);
	b = clean(p, "172.16.5.9 db1 00:11:22:33:44:55 00:11:22:33:44:66\n");
	assert_string_equal(a, "host0 10.254.0.4 00:00:00:00:00:01\n");
	assert_string_equal(b, "10.254.0.9 host0 00:00:00:00:00:01 00:00:00:00:00:02\n");
	free(a);
	free(b);
	obf_free(o);
	obf_free(p);
	/* not a map: refused */
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(write(fd, "{}", 2) == 2);
	close(fd);
	p = obf_new();
	assert_int_not_equal(obf_map_load(p, path), 0);
	obf_free(p);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addresses_keep_their_subnet),
		cmocka_unit_test(test_mac_and_ipv6),
		cmocka_unit_test(test_names_users_serials),
		cmocka_unit_test(test_proc_net_forms),
		cmocka_unit_test(test_short_host),
		cmocka_unit_test(test_users_without_passwd),
		cmocka_unit_test(test_supportconfig),
		cmocka_unit_test(test_map_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
