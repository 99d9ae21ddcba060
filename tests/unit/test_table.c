/* test_table.c: typed tables: each parser kind on real output, caps and hostile input */
#include "unit.h"
#include "catalog.h"
#include "table.h"

static struct catalog tcat;

/* One source per kind, as rules/sources.yaml declares them. */
static const char specs[] =
	"sources:\n"
	"  - name: t_columns\n    files: [/t/columns]\n"
	"    table: {columns: [filesystem, 'type?', size, used, avail, use, mount],"
	" header: 'Filesystem\\s', exclude: '/dev/loop', key: mount}\n"
	"  - name: t_tabs\n    files: [/t/tabs]\n"
	"    table: {columns: [package, version, 'arch?'], separator: tab,"
	" types: {version: dpkg-version}}\n"
	"  - name: t_aligned\n    files: [/t/aligned]\n"
	"    table: {kind: aligned, header: '^\\s*LV\\s+VG\\s'}\n"
	"  - name: t_kv\n    files: [/t/kv]\n    table: {kind: keyvalue}\n"
	"  - name: t_kveq\n    files: [/t/kveq]\n    table: {kind: keyvalue, separator: '='}\n"
	"  - name: t_kvsp\n    files: [/t/kvsp]\n"
	"    table: {kind: keyvalue, separator: space, skip: '^#'}\n"
	"  - name: t_kvsec\n    files: [/t/kvsec]\n"
	"    table: {kind: keyvalue, section: '^== (?<interface>\\S+)$', key: interface,"
	" path: 'ethtool_-S_(?<interface>\\S+)$'}\n"
	"  - name: t_kvline\n    files: [/t/kvline]\n"
	"    table: {kind: keyvalue, row_per_line: true}\n"
	"  - name: t_pairs\n    files: [/t/pairs]\n    table: {kind: pairs}\n"
	"  - name: t_value\n    files: [/t/value]\n"
	"    table: {kind: value, bits: [P, F, S, R, M, B, U, D, A, W]}\n"
	"  - name: t_regex\n    files: [/t/regex]\n"
	"    table:\n      kind: regex\n      key: interface\n"
	"      rows: '^\\d+:\\s+(?<interface>[^:@\\s]+)(?:@(?<link>[^:\\s]+))?:.*\\smtu\\s+(?<mtu>\\d+)'\n"
	"      fields: ['^\\d+:.*\\smaster\\s+(?<master>\\S+)']\n"
	"      names: '^\\s+(?<prefix>[RT]X(?: errors)?):'\n"
	"  - name: t_snmp\n    files: [/t/snmp]\n"
	"    table: {kind: regex, names: '^(?<prefix>\\w+):', join: ''}\n"
	"  - name: t_ctx\n    files: [/t/ctx]\n"
	"    table:\n      kind: regex\n"
	"      context: '^(?<map>\\w+) \\((?<wwid>\\w+)\\) (?<dm>dm-\\d+)'\n"
	"      rows: '(?<hctl>\\d+:\\d+:\\d+:\\d+) (?<device>\\w+) +\\d+:\\d+ +(?<dm_state>\\w+)'\n"
	"  - name: t_slow\n    files: [/t/slow]\n    table: {kind: regex, rows: '^(a|aa)+$'}\n"
	"  - name: t_dyn\n    files: [/t/dyn]\n"
	"    table:\n      kind: regex\n"
	"      fields: '^\\s*\\d+ (?<name>\\w+)\\s+0x\\w{4}(?:\\s+\\S+){6}\\s+(?<value>\\d+)'\n";

static int setup(void **state)
{
	struct buf err = BUF_INIT(0);
	int r = catalog_parse(&tcat, "specs.yaml", specs, strlen(specs), &err);

	(void)state;
	if (r)
		fprintf(stderr, "%s", err.data);
	buf_release(&err);
	return r;
}

static int teardown(void **state)
{
	(void)state;
	catalog_release(&tcat);
	return 0;
}

static size_t src(const char *name)
{
	const struct source *s = catalog_find(&tcat, name);

	assert_non_null(s);
	assert_non_null(s->table);
	return (size_t)(s - tcat.items);
}

/* A member of source with this text, through the same calls the engine makes. */
static void feed(struct table_set *ts, const char *name, const char *path, const char *text)
{
	table_set_begin(ts, src(name), path, NULL, 1);
	table_set_lines(ts, src(name), text, strlen(text), 1);
}

static const struct table *done(struct table_set *ts, const char *name)
{
	table_set_end(ts);
	return table_set_find(ts, name);
}

static void test_columns(void **state)
{
	struct table_set *ts = table_set_new(&tcat);
	const struct table *t;
	struct table_where w;
	double d;

	(void)state;
	/* coreutils 9.1 df -hTP on Debian 12, with a mount point that has a space */
	feed(ts, "t_columns", "commands/df",
	     "Filesystem     Type  Size  Used Avail Use% Mounted on\n"
	     "/dev/vda       ext4  252G   19G   78G  20% /\n"
	     "/dev/loop0 squashfs   56M   56M     0 100% /snap/core18/2128\n"
	     "/dev/sdb1      xfs   100G   99G    1G  99% /srv/my data\n"
	     "short line\n");
	t = done(ts, "t_columns");
	assert_int_equal(table_rows(t), 2);
	assert_string_equal(table_get(t, 0, "type"), "ext4");
	assert_string_equal(table_get(t, 1, "mount"), "/srv/my data");
	assert_int_equal(table_num(t, 1, "use", &d), 0);
	assert_true(d == 99);
	/* a line too short for the columns is counted, not a row */
	assert_int_equal(table_bad(t), 1);
	assert_int_equal(table_find_row(t, "/", 1), 0);
	assert_int_equal(table_find_row(t, "/srv/my data", 12), 1);
	assert_int_equal(table_find_row(t, "/srv", 4), SIZE_MAX);
	assert_int_equal(table_where(t, 1, "use", &w), 0);
	assert_string_equal(w.path, "commands/df");
	assert_int_equal(w.line, 4);
	assert_non_null(strstr(w.text, "/srv/my data"));
	table_set_free(ts);

	/* without -T the optional type is left out ("20G" starts with no letter) */
	ts = table_set_new(&tcat);
	feed(ts, "t_columns", "df", "/dev/sda1        20G   19G  200M  99% /\n");
	t = done(ts, "t_columns");
	assert_null(table_get(t, 0, "type"));
	assert_string_equal(table_get(t, 0, "size"), "20G");
	table_set_free(ts);

	ts = table_set_new(&tcat);
	feed(ts, "t_tabs", "x", "openssh-server\t1:9.2p1-2+deb12u3\tamd64\nlibc6\t2.36-9\n");
	t = done(ts, "t_tabs");
	assert_int_equal(table_rows(t), 2);
	assert_string_equal(table_get(t, 0, "version"), "1:9.2p1-2+deb12u3");
	assert_null(table_get(t, 1, "arch"));
	assert_int_equal(table_spec_type(table_spec(t), "version"), TYPE_DPKG);
	table_set_free(ts);
}

static void test_aligned(void **state)
{
	struct table_set *ts = table_set_new(&tcat);
	const struct table *t;

	(void)state;
	/* lvm2 lvs (RHEL 8): empty cells stay empty, numbers under their heading */
	feed(ts, "t_aligned", "lvs",
	     "  LV     VG   Attr       LSize   Pool   Origin Data%  Meta%  Move Log Cpy%Sync Convert\n"
	     "  pool00 rhel twi-aotz-- <37.70g               96.83  11.62\n"
	     "  root   rhel Vwi-aotz-- <37.70g pool00        12.83\n"
	     "  swap   rhel -wi-ao----   4.00g\n");
	t = done(ts, "t_aligned");
	assert_int_equal(table_rows(t), 3);
	assert_string_equal(table_get(t, 0, "LV"), "pool00");
	assert_string_equal(table_get(t, 0, "Data"), "96.83");
	assert_string_equal(table_get(t, 0, "Meta"), "11.62");
	assert_null(table_get(t, 0, "Pool"));
	assert_string_equal(table_get(t, 1, "Pool"), "pool00");
	assert_string_equal(table_get(t, 1, "Data"), "12.83");
	assert_null(table_get(t, 1, "Meta"));
	assert_string_equal(table_get(t, 2, "LSize"), "4.00g");
	assert_null(table_get(t, 2, "Data"));
	table_set_free(ts);

	/* rows before any header are no rows */
	ts = table_set_new(&tcat);
	feed(ts, "t_aligned", "lvs", "  root rhel -wi-ao---- 4.00g\n");
	t = done(ts, "t_aligned");
	assert_int_equal(table_rows(t), 0);
	assert_int_equal(table_bad(t), 1);
	table_set_free(ts);
}

static void test_keyvalue(void **state)
{
	struct table_set *ts = table_set_new(&tcat);
	const struct table *t;
	double d;

	(void)state;
	/* Linux 6.18 /proc/meminfo (this machine) */
	feed(ts, "t_kv", "proc/meminfo",
	     "MemTotal:       24683784 kB\nMemAvailable:   24116808 kB\n"
	     "HugePages_Total:       0\nno separator here\n");
	/* chrony 4.3 chronyc tracking */
	feed(ts, "t_kv", "commands/chrony_tracking",
	     "Reference ID    : C0A80101 (192.168.1.1)\n"
	     "System time     : 0.000012345 seconds fast of NTP time\n"
	     "Leap status     : Not synchronised\n");
	t = done(ts, "t_kv");
	assert_int_equal(table_rows(t), 2);
	assert_int_equal(table_num(t, 0, "MemAvailable", &d), 0);
	assert_true(d == 24116808);
	assert_string_equal(table_get(t, 0, "HugePages_Total"), "0");
	assert_int_equal(table_bad(t), 1);
	assert_string_equal(table_get(t, 1, "Leap_status"), "Not synchronised");
	assert_string_equal(table_get(t, 1, "Reference_ID"), "C0A80101 (192.168.1.1)");
	assert_int_equal(table_row_with(t, "Leap_status"), 1);
	table_set_free(ts);

	ts = table_set_new(&tcat);
	/* procps sysctl -a (tabs between values), os-release quoting */
	feed(ts, "t_kveq", "commands/sysctl",
	     "net.ipv4.tcp_mem = 94401\t125868\t188802\nfs.file-nr = 619\t0\t2466252\n"
	     "VERSION_ID=\"12\"\n");
	t = done(ts, "t_kveq");
	assert_string_equal(table_get(t, 0, "net.ipv4.tcp_mem"), "94401\t125868\t188802");
	assert_string_equal(table_get(t, 0, "fs.file-nr"), "619\t0\t2466252");
	assert_string_equal(table_get(t, 0, "VERSION_ID"), "12");
	table_set_free(ts);

	ts = table_set_new(&tcat);
	/* iproute2 6.1 nstat -asz */
	feed(ts, "t_kvsp", "nstat", "#kernel\nTcpExtListenOverflows           1842               0.0\n");
	t = done(ts, "t_kvsp");
	assert_int_equal(table_num(t, 0, "TcpExtListenOverflows", &d), 0);
	assert_true(d == 1842);
	assert_int_equal(table_bad(t), 0);
	table_set_free(ts);
}

static void test_sections_and_paths(void **state)
{
	struct table_set *ts = table_set_new(&tcat);
	const struct table *t;

	(void)state;
	feed(ts, "t_kvsec", "commands/ethtool_stats",
	     "== eth0\nNIC statistics:\n     rx_missed_errors: 12\n"
	     "== eth1\nNIC statistics:\n     rx_missed_errors: 0\n");
	feed(ts, "t_kvsec", "sos_commands/networking/ethtool_-S_ens3",
	     "NIC statistics:\n     rx_missed_errors: 7\n");
	t = done(ts, "t_kvsec");
	assert_int_equal(table_rows(t), 3);
	assert_string_equal(table_get(t, 0, "interface"), "eth0");
	assert_string_equal(table_get(t, 0, "rx_missed_errors"), "12");
	assert_string_equal(table_get(t, 1, "interface"), "eth1");
	/* sos: the interface in the file's name */
	assert_string_equal(table_get(t, 2, "interface"), "ens3");
	assert_string_equal(table_get(t, 2, "rx_missed_errors"), "7");
	assert_int_equal(table_find_row(t, "ens3", 4), 2);
	table_set_free(ts);

	/* a supportconfig section: its label, not the file's name, is the path */
	ts = table_set_new(&tcat);
	table_set_begin(ts, src("t_kvsec"), "network.txt", "ethtool_-S_ens9", 7);
	table_set_lines(ts, src("t_kvsec"), "rx: 3\n", 6, 120);
	t = done(ts, "t_kvsec");
	assert_string_equal(table_get(t, 0, "interface"), "ens9");
	{
		struct table_where w;

		assert_int_equal(table_where(t, 0, "rx", &w), 0);
		assert_string_equal(w.path, "network.txt");
		assert_int_equal(w.line, 120);
		assert_int_equal(w.order, 7);
	}
	table_set_free(ts);

	/* a row's own capture replaces what its path said */
	ts = table_set_new(&tcat);
	feed(ts, "t_kvsec", "sos_commands/networking/ethtool_-S_ens3", "== eth9\nrx: 1\n");
	t = done(ts, "t_kvsec");
	assert_int_equal(table_rows(t), 1);
	assert_string_equal(table_get(t, 0, "interface"), "eth9");
	assert_int_equal(table_nfields(t, 0), 2);
	table_set_free(ts);

	ts = table_set_new(&tcat);
	feed(ts, "t_kvline", "x", "/sys/devices/system/edac/mc/mc0/ce_count: 3\na: 1\n");
	t = done(ts, "t_kvline");
	assert_int_equal(table_rows(t), 2);
	assert_string_equal(table_get(t, 0, "key"), "/sys/devices/system/edac/mc/mc0/ce_count");
	assert_string_equal(table_get(t, 1, "value"), "1");
	table_set_free(ts);
}

static void test_pairs_and_value(void **state)
{
	struct table_set *ts = table_set_new(&tcat);
	const struct table *t;

	(void)state;
	/* Linux 6.18 /proc/net/sockstat and /proc/pressure/io (this machine) */
	feed(ts, "t_pairs", "proc/net/sockstat",
	     "sockets: used 17\nTCP: inuse 1 orphan 0 tw 0 alloc 1 mem 0\nUDP: inuse 0 mem 0\n");
	feed(ts, "t_pairs", "proc/pressure/io",
	     "some avg10=0.57 avg60=0.98 avg300=0.44 total=7329945\n"
	     "full avg10=0.20 avg60=0.33 avg300=0.18 total=5320680\n");
	feed(ts, "t_pairs", "x", "TCP: inuse\n");
	t = done(ts, "t_pairs");
	assert_int_equal(table_rows(t), 3);
	assert_string_equal(table_get(t, 0, "sockets_used"), "17");
	assert_string_equal(table_get(t, 0, "TCP_mem"), "0");
	assert_string_equal(table_get(t, 0, "UDP_inuse"), "0");
	assert_string_equal(table_get(t, 1, "full_avg300"), "0.18");
	assert_string_equal(table_get(t, 1, "some_total"), "7329945");
	/* a word without its value is counted */
	assert_int_equal(table_bad(t), 1);
	table_set_free(ts);

	ts = table_set_new(&tcat);
	feed(ts, "t_value", "proc/sys/kernel/tainted", "4609\n");
	feed(ts, "t_value", "proc/cmdline", "BOOT_IMAGE=/vmlinuz root=/dev/sda1\n");
	feed(ts, "t_value", "empty", "\n");
	t = done(ts, "t_value");
	assert_int_equal(table_rows(t), 2);
	/* 4609 = 4096 + 512 + 1: bits 0 (P) and 9 (W); bit 12 has no letter here */
	assert_string_equal(table_get(t, 0, "flags"), "PW");
	assert_string_equal(table_get(t, 1, "value"), "BOOT_IMAGE=/vmlinuz root=/dev/sda1");
	table_set_free(ts);
}

static void test_regex(void **state)
{
	struct table_set *ts = table_set_new(&tcat);
	const struct table *t;
	size_t r;

	(void)state;
	/* iproute2 6.1 ip -s -s -d link: a VLAN on a bond slave */
	feed(ts, "t_regex", "commands/ip_link_stats",
	     "2: eth0: <BROADCAST,MULTICAST,SLAVE,UP,LOWER_UP> mtu 1500 qdisc mq master bond0 "
	     "state UP mode DEFAULT group default qlen 1000\n"
	     "    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff\n"
	     "    RX:  bytes packets errors dropped  missed   mcast\n"
	     "      34478034     908     41       0       7       0\n"
	     "    RX errors:  length    crc   frame    fifo overrun\n"
	     "                     0     41       0       0       0\n"
	     "5: bond0.100@bond0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 9000 qdisc noqueue\n");
	t = done(ts, "t_regex");
	assert_int_equal(table_rows(t), 2);
	assert_string_equal(table_get(t, 0, "master"), "bond0");
	assert_string_equal(table_get(t, 0, "RX_errors"), "41");
	assert_string_equal(table_get(t, 0, "RX_missed"), "7");
	assert_string_equal(table_get(t, 0, "RX_errors_crc"), "41");
	assert_string_equal(table_get(t, 1, "link"), "bond0");
	assert_string_equal(table_get(t, 1, "mtu"), "9000");
	assert_int_equal(table_find_row(t, "bond0.100", 9), 1);
	table_set_free(ts);

	ts = table_set_new(&tcat);
	/* Linux 6.18 /proc/net/snmp (this machine): names, then values */
	feed(ts, "t_snmp", "proc/net/snmp",
	     "Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails "
	     "EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts InCsumErrors\n"
	     "Tcp: 1 200 120000 -1 135 120 4 2 0 15599 15261 13 0 8 0\n"
	     "Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors\n"
	     "Udp: 30 0 0 31 0\n");
	t = done(ts, "t_snmp");
	assert_int_equal(table_rows(t), 1);
	assert_string_equal(table_get(t, 0, "TcpRetransSegs"), "13");
	assert_string_equal(table_get(t, 0, "TcpMaxConn"), "-1");
	assert_string_equal(table_get(t, 0, "UdpRcvbufErrors"), "0");
	assert_int_equal(table_bad(t), 0);
	table_set_free(ts);

	ts = table_set_new(&tcat);
	/* multipath-tools 0.8 multipath -ll: the map is every path's context */
	feed(ts, "t_ctx", "multipath",
	     "mpatha (3600508b400105e21) dm-2 HP,MSA2312fc\n"
	     "size=20G features='1 queue_if_no_path' hwhandler='1 alua' wp=rw\n"
	     "`-+- policy='service-time 0' prio=50 status=active\n"
	     "  |- 3:0:0:1 sdc 8:32  failed faulty running\n"
	     "  `- 4:0:0:1 sdd 8:48  active ready running\n"
	     "mpathb (3600508b400105e22) dm-3 HP,MSA2312fc\n"
	     "  `- 4:0:0:2 sde 8:64  active ready running\n");
	t = done(ts, "t_ctx");
	assert_int_equal(table_rows(t), 3);
	r = 0;
	assert_string_equal(table_get(t, r, "map"), "mpatha");
	assert_string_equal(table_get(t, r, "dm_state"), "failed");
	assert_string_equal(table_get(t, 2, "map"), "mpathb");
	assert_string_equal(table_get(t, 2, "device"), "sde");
	table_set_free(ts);

	ts = table_set_new(&tcat);
	/* smartmontools 7.3 ataprint.cpp: the raw value under the attribute's name */
	feed(ts, "t_dyn", "smart",
	     "  5 Reallocated_Sector_Ct   0x0033   100   100   010    Pre-fail  Always       -"
	     "       8\n"
	     "197 Current_Pending_Sector  0x0012   100   100   000    Old_age   Always       -"
	     "       0\n");
	t = done(ts, "t_dyn");
	assert_string_equal(table_get(t, 0, "Reallocated_Sector_Ct"), "8");
	assert_string_equal(table_get(t, 0, "Current_Pending_Sector"), "0");
	table_set_free(ts);
}

static void test_repeated_member(void **state)
{
	struct table_set *ts = table_set_new(&tcat);
	const struct table *t;
	static const char df[] = "/dev/vda ext4 252G 19G 78G 20% /\n";

	(void)state;
	/* sos keeps df at its top and in sos_commands/filesys: one table */
	feed(ts, "t_columns", "df", df);
	feed(ts, "t_columns", "sos_commands/filesys/df_-al_-x_autofs", df);
	feed(ts, "t_columns", "other", "/dev/vdb ext4 1G 1G 0 100% /data\n");
	t = done(ts, "t_columns");
	assert_int_equal(table_rows(t), 2);
	assert_string_equal(table_get(t, 1, "mount"), "/data");
	table_set_free(ts);
}

static void test_hostile(void **state)
{
	struct table_set *ts = table_set_new(&tcat);
	const struct table *t;
	struct buf b = BUF_INIT(0);
	size_t i;

	(void)state;
	/* a line over the cap, binary junk, an empty key: skipped and counted */
	for (i = 0; i < TABLE_LINE_MAX + 10; i++)
		buf_addch(&b, 'x');
	buf_addstr(&b, ": 1\n\x01\x02\xff: \xfe\n: nokey\nok: 1\n");
	feed(ts, "t_kv", "x", b.data);
	t = done(ts, "t_kv");
	assert_int_equal(table_rows(t), 1);
	assert_string_equal(table_get(t, 0, "ok"), "1");
	assert_int_equal(table_bad(t), 3);
	table_set_free(ts);

	/* rows past the cap are counted, not kept */
	ts = table_set_new(&tcat);
	buf_reset(&b);
	for (i = 0; i < TABLE_ROWS_MAX + 5; i++)
		buf_addf(&b, "%zu: x\n", i);
	feed(ts, "t_kvline", "x", b.data);
	t = done(ts, "t_kvline");
	assert_int_equal(table_rows(t), TABLE_ROWS_MAX);
	assert_true(table_bad(t) >= 5);
	table_set_free(ts);

	/* fields past the cap of a row */
	ts = table_set_new(&tcat);
	buf_reset(&b);
	for (i = 0; i < TABLE_FIELDS_MAX + 3; i++)
		buf_addf(&b, "k%zu: v\n", i);
	feed(ts, "t_kv", "x", b.data);
	t = done(ts, "t_kv");
	assert_int_equal(table_nfields(t, 0), TABLE_FIELDS_MAX);
	assert_int_equal(table_bad(t), 3);
	table_set_free(ts);

	/* a names line whose values never come, a values line too long for its names */
	ts = table_set_new(&tcat);
	feed(ts, "t_snmp", "x", "Tcp: A B\nTcp: 1 2 3\nUdp: C\n");
	t = done(ts, "t_snmp");
	assert_string_equal(table_get(t, 0, "TcpB"), "2");
	assert_int_equal(table_bad(t), 1);
	table_set_free(ts);

	/* a pattern that would backtrack for ever on a hostile line stops, counted */
	ts = table_set_new(&tcat);
	buf_reset(&b);
	for (i = 0; i < 4000; i++)
		buf_addch(&b, 'a');
	buf_addstr(&b, "b\naa\n");
	feed(ts, "t_slow", "x", b.data);
	t = done(ts, "t_slow");
	assert_int_equal(table_rows(t), 1);
	assert_int_equal(table_bad(t), 1);
	table_set_free(ts);

	/* text past a table's cap (here before its rows' cap) is counted, not kept */
	ts = table_set_new(&tcat);
	buf_reset(&b);
	for (i = 0; i < 3000; i++) {
		size_t k;

		buf_addf(&b, "k%zu: ", i);
		for (k = 0; k < 7000; k++)
			buf_addch(&b, 'v');
		buf_addch(&b, '\n');
	}
	feed(ts, "t_kvline", "x", b.data);
	t = done(ts, "t_kvline");
	assert_true(table_rows(t) > 1000 && table_rows(t) < 3000);
	assert_true(table_bad(t) > 0);
	table_set_free(ts);

	/* lines without their end, a member cut in the middle of a names pair */
	ts = table_set_new(&tcat);
	feed(ts, "t_regex", "x", "    RX: bytes packets\n");
	feed(ts, "t_regex", "y", "2: eth0: <UP> mtu 1500");
	t = done(ts, "t_regex");
	assert_int_equal(table_rows(t), 1);
	assert_string_equal(table_get(t, 0, "mtu"), "1500");
	table_set_free(ts);
	buf_release(&b);
}

static void test_numbers_and_names(void **state)
{
	char name[TABLE_NAME_MAX];
	double d;

	(void)state;
	assert_int_equal(table_number("16315876 kB", 11, &d), 0);
	assert_true(d == 16315876);
	assert_int_equal(table_number("99%", 3, &d), 0);
	assert_true(d == 99);
	assert_int_equal(table_number("0x04", 4, &d), 0);
	assert_true(d == 4);
	assert_int_equal(table_number("+0.000012345 seconds", 20, &d), 0);
	assert_true(d > 0.0000123 && d < 0.0000124);
	assert_int_equal(table_number("-1", 2, &d), 0);
	assert_true(d == -1);
	assert_int_equal(table_number("1e3", 3, &d), 0);
	assert_true(d == 1000);
	assert_int_equal(table_number("inf", 3, &d), -1);
	assert_int_equal(table_number("nan", 3, &d), -1);
	assert_int_equal(table_number("masked", 6, &d), -1);
	assert_int_equal(table_number("", 0, &d), -1);
	assert_int_equal(table_name("Leap status", 11, name, sizeof(name)), 11);
	assert_string_equal(name, "Leap_status");
	assert_int_equal(table_name("CPU(s)", 6, name, sizeof(name)), 5);
	assert_string_equal(name, "CPU_s");
	assert_int_equal(table_name("Data%", 5, name, sizeof(name)), 4);
	assert_string_equal(name, "Data");
	assert_int_equal(table_name("fs.file-nr", 10, name, sizeof(name)), 10);
	assert_int_equal(table_name("  ", 2, name, sizeof(name)), 0);
}

static void test_words_and_lookups(void **state)
{
	struct table_set *ts = table_set_new(&tcat);
	const struct table *t;
	const char *w;
	char field[32];

	(void)state;
	assert_int_equal(table_word("94401\t125868  188802", 20, 3, &w), 6);
	assert_true(!strncmp(w, "188802", 6));
	assert_int_equal(table_word("94401 125868", 12, 3, &w), 0);
	assert_int_equal(table_word("  ", 2, 1, &w), 0);
	assert_int_equal(table_word("x", 1, 0, &w), 0);
	/* the row that has a field, asked again through a reused buffer */
	feed(ts, "t_kv", "a", "A: 1\n");
	feed(ts, "t_kv", "b", "B: 2\n");
	t = done(ts, "t_kv");
	snprintf(field, sizeof(field), "B");
	assert_int_equal(table_row_with(t, field), 1);
	assert_int_equal(table_row_with(t, field), 1);
	snprintf(field, sizeof(field), "A");
	assert_int_equal(table_row_with(t, field), 0);
	snprintf(field, sizeof(field), "C");
	assert_int_equal(table_row_with(t, field), SIZE_MAX);
	assert_string_equal(table_set_value(ts, "t_kv", "B"), "2");
	table_set_free(ts);
}

static void test_bad_specs(void **state)
{
	static const char *const bad[] = {
		"sources:\n  - name: b\n    files: [/b]\n    table: {kind: sideways}\n",
		"sources:\n  - name: b\n    files: [/b]\n    table: {kind: aligned}\n",
		"sources:\n  - name: b\n    files: [/b]\n    table: {kind: regex}\n",
		"sources:\n  - name: b\n    files: [/b]\n    table: {kind: regex, rows: '('}\n",
		"sources:\n  - name: b\n    files: [/b]\n    table: {columns: ['a b']}\n",
		"sources:\n  - name: b\n    files: [/b]\n    table: {kind: value, tabel: 1}\n",
		"sources:\n  - name: b\n    files: [/b]\n    table: {kind: keyvalue, separator: ';'}\n",
		"sources:\n  - name: b\n    files: [/b]\n    table: {columns: [a], types: {a: float}}\n",
	};
	static const char *const why[] = {
		"table kind must be columns, aligned, keyvalue, pairs, value or regex (not 'sideways')",
		"an aligned table needs 'header'", "a regex table needs 'rows', 'fields' or 'names'",
		"table rows '(' does not compile", "column 'a b' must be letters",
		"unknown key 'tabel' in a table", "table 'separator' is", "a field's type is",
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct catalog c;
		struct buf err = BUF_INIT(0);

		memset(&c, 0, sizeof(c));
		assert_int_equal(catalog_parse(&c, "bad.yaml", bad[i], strlen(bad[i]), &err),
				 CF_ERR_PARSE);
		if (!strstr(err.data, why[i]))
			fail_msg("expected '%s' in: %s", why[i], err.data);
		assert_non_null(strstr(err.data, "bad.yaml:"));
		buf_release(&err);
		catalog_release(&c);
	}
}

static void test_default_catalogue(void **state)
{
	struct catalog c;
	struct buf err = BUF_INIT(0);
	const struct source *s;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(catalog_load_default(&c, &err), 0);
	/* the tables the state checks and the host summary read */
	s = catalog_find(&c, "meminfo");
	assert_non_null(s->table);
	assert_int_equal(table_spec_kind(s->table), TABLE_KEYVALUE);
	assert_int_equal(table_spec_kind(catalog_find(&c, "sockstat")->table), TABLE_PAIRS);
	assert_int_equal(table_spec_kind(catalog_find(&c, "kernel_taint")->table), TABLE_VALUE);
	assert_int_equal(table_spec_kind(catalog_find(&c, "lvs")->table), TABLE_ALIGNED);
	assert_int_equal(table_spec_type(catalog_find(&c, "rpm_list")->table, "version"),
			 TYPE_RPM);
	assert_int_equal(table_spec_has(catalog_find(&c, "df")->table, "use"), 1);
	assert_int_equal(table_spec_has(catalog_find(&c, "df")->table, "usage"), 0);
	assert_int_equal(table_spec_has(catalog_find(&c, "meminfo")->table, "MemFree"), -1);
	assert_null(catalog_find(&c, "syslog")->table);
	catalog_release(&c);
	buf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_columns),
		cmocka_unit_test(test_aligned),
		cmocka_unit_test(test_keyvalue),
		cmocka_unit_test(test_sections_and_paths),
		cmocka_unit_test(test_pairs_and_value),
		cmocka_unit_test(test_regex),
		cmocka_unit_test(test_repeated_member),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_numbers_and_names),
		cmocka_unit_test(test_words_and_lookups),
		cmocka_unit_test(test_bad_specs),
		cmocka_unit_test(test_default_catalogue),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
