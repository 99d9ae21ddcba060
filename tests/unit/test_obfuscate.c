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
		cmocka_unit_test(test_map_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
