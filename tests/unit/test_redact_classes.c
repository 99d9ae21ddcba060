/*
 * test_redact_classes.c: the classes of secrets added for issue 19's second
 * round (key names in more languages and inflected, CJK separators, sections
 * whose name says secret, UUIDs named tokens, directives of network devices,
 * cluster software, Windows, hashes), each in both placements, and the
 * ordinary values beside them that must stay.
 */
#include "unit.h"
#include "redact.h"

static struct redactor *red;

static int setup(void **state)
{
	(void)state;
	red = redactor_new();
	return red ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	redactor_free(red);
	return 0;
}

static char *redacted(enum redact_mode mode, const char *text)
{
	struct redact_state st = { 0 };
	struct buf out = BUF_INIT(0);

	assert_true(redact_chunk(red, mode, &st, text, strlen(text), &out) >= 0);
	return buf_detach(&out, NULL);
}

/* text holds secret; it must be gone as configuration and, unless config_only, as a log */
static void gone(const char *text, const char *secret, int config_only)
{
	enum redact_mode modes[] = { REDACT_STRICT, REDACT_LOG };
	int i;

	for (i = 0; i < (config_only ? 1 : 2); i++) {
		char *out = redacted(modes[i], text);

		if (strstr(out, secret) || !strstr(out, "<redacted>"))
			fail_msg("%s: \"%s\" stays in: %s", i ? "log" : "config", secret, out);
		free(out);
	}
}

static void stays(const char *text)
{
	enum redact_mode modes[] = { REDACT_STRICT, REDACT_LOG };
	int i;

	for (i = 0; i < 2; i++) {
		char *out = redacted(modes[i], text);

		if (strcmp(out, text))
			fail_msg("%s changed: %s -> %s", i ? "log" : "config", text, out);
		free(out);
	}
}

static void test_languages(void **state)
{
	(void)state;
	gone("senha = Tr0vao#88\n", "Tr0vao#88", 0);
	gone("lozinka: kestrel42\n", "kestrel42", 0);
	gone("Passordet er: fjord1977\n", "fjord1977", 0);		/* inflected */
	gone("Паролата е: reka2019x\n", "reka2019x", 0);
	gone("パスワード：sakura2024\n", "sakura2024", 0);		/* full-width colon */
	gone("管理员密码是：longma88\n", "longma88", 0);
	gone("AZURE_DEVOPS_EXT_PAT=q7wl3m2kx5ztd6yhr4vnb2pfjc7mgs5ktq3xw6l2mrn4hz7bdy5a\n",
	     "q7wl3m2kx5ztd6yhr4vnb2pfjc7mgs5ktq3xw6l2mrn4hz7bdy5a", 0);
	stays("secrets: 4 secrets rotated\n");
	stays("path=/var/lib/app pattern=*.log\n");
	stays("tokenizer = whitespace\n");
}

static void test_sections_and_uuids(void **state)
{
	(void)state;
	gone("[secrets]\nsession = 4c1f9e07b2d85a36e19f0c47d2ab8e5319c6f70d\n",
	     "4c1f9e07b2d85a36e19f0c47d2ab8e5319c6f70d", 0);
	gone("auth:\n  backend:\n    material: 8e13b0c47f29d5a6e0b1c3d4f5a69788\n",
	     "8e13b0c47f29d5a6e0b1c3d4f5a69788", 0);
	gone("{\"cfg\": {\"keys\": {\"main\": {\"material\": \"e0b1c3d4f5a697888e13b0c47f29d5a6\"}}}}\n",
	     "e0b1c3d4f5a697888e13b0c47f29d5a6", 0);
	gone("CONSUL_HTTP_TOKEN=7d2e9b41-3c5a-4f08-b6d1-90ae2c7f1b33\n",
	     "7d2e9b41-3c5a-4f08-b6d1-90ae2c7f1b33", 0);
	/* hex under an ordinary section, and a UUID named an id, are ids */
	stays("[server]\ndigest = 4c1f9e07b2d85a36e19f0c47d2ab8e5319c6f70d\n");
	stays("client_id = 7d2e9b41-3c5a-4f08-b6d1-90ae2c7f1b33\n");
	stays("  existingSecret: postgresql-credentials\n");
}

static void test_programs(void **state)
{
	(void)state;
	gone("username admin privilege 15 password 7 094F471A1A0A\n", "094F471A1A0A", 0);
	gone("snmp-server community Wr1teC0mm RW\n", "Wr1teC0mm", 0);
	gone("rocommunity m0nit0rRO 10.0.0.0/8\n", "m0nit0rRO", 0);
	gone("createUser ops SHA \"authPhrase9\" AES \"privPhrase9\"\n", "authPhrase9", 0);
	gone("createUser ops SHA \"authPhrase9\" AES \"privPhrase9\"\n", "privPhrase9", 0);
	gone("    set passwd ENC SH2nlbPyEJ4yPl1Tm7kXb0Q==\n", "SH2nlbPyEJ4yPl1Tm7kXb0Q==", 0);
	gone("1 sha1 haKeyS3cret\n", "haKeyS3cret", 0);
	gone("sentinel auth-pass mymaster Sent1nelPw\n", "Sent1nelPw", 0);
	gone("user worker on >AclPass77 ~jobs:* +@read\n", "AclPass77", 0);
	gone("    DefaultPassword    REG_SZ    Winl0gon!\n", "Winl0gon!", 0);
	gone("<AdministratorPassword><Value>UABhAHMAcwA=</Value>\n", "UABhAHMAcwA=", 0);
	gone("net use \\\\fs1\\share Sh4reP4ss /user:CORP\\svc\n", "Sh4reP4ss", 0);
	gone("gpg --batch --passphrase 'Gpg-Phr4se' -d a.gpg\n", "Gpg-Phr4se", 0);
	gone("mysql -uroot -p'My$qlPw9' shop\n", "My$qlPw9", 0);
	gone("key = AQBSdFhcAAAAABAAa2ZTq2Xb2l4s0m9Tq8Jb9g==\n",
	     "AQBSdFhcAAAAABAAa2ZTq2Xb2l4s0m9Tq8Jb9g==", 0);
	gone("kubeadm join 10.0.0.1:6443 --token k8x2pq.0f3ajm5x2b8w4c1z\n", "0f3ajm5x2b8w4c1z", 0);
	gone("https://hooks.example.com/hooks/T0AB12CD/Xq7Lm2Np9Rs4Tv6Wy8Za1Bc3\n",
	     "Xq7Lm2Np9Rs4Tv6Wy8Za1Bc3", 0);
	gone("GET /export?format=csv&api_key=Qm7Zt2Lp9Xw4Rv6N HTTP/1.1\n", "Qm7Zt2Lp9Xw4Rv6N", 0);
	gone("r = requests.get(u, auth=('ops', 'Req-Pass-71'))\n", "Req-Pass-71", 0);
	gone("admin:$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA\n",
	     "aGFzaGhhc2hoYXNoaGFzaA", 0);
	gone("role: md5a3f1c9e2b7d6048e5f1a2b3c4d5e6f70\n", "a3f1c9e2b7d6048e5f1a2b3c4d5e6f70", 0);
	gone("carol : EAP \"Ea9Secret\"\n", "Ea9Secret", 0);
	gone("proxy_set_header Authorization \"Basic b3BzOnMzY3JldA==\";\n", "b3BzOnMzY3JldA==", 0);
}

static void test_ordinary_stays(void **state)
{
	(void)state;
	stays("C:Q1hA6/TZsUQuvYOrOkxR8WSnTn9+Y=\n");			/* APKINDEX checksum */
	stays("RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3\n");	/* minisign */
	stays("AuthLDAPBindPassword exec:/usr/local/bin/get-ldap-pw\n");
	stays("2024-05-01 10:00:00 install libsecret-1-0:amd64 <none> 0.20.5-1\n");
	stays("Start-Date: 2024-05-01  10:00:00\n");
	stays("kpasswd\t\t464/udp\n");
	stays("login -p --\n");
	stays("credentials = true\n");
	stays("pam_unix(sudo:auth): authentication failure; logname=bob uid=1000\n");
	stays("sha256sum: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_languages),
		cmocka_unit_test(test_sections_and_uuids),
		cmocka_unit_test(test_programs),
		cmocka_unit_test(test_ordinary_stays),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
