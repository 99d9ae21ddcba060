/*
 * test_redact.c: secrets vanish, ordinary values stay.
 *
 * The real test is detect-secrets' own test data: baseline.file lists each
 * secret by the SHA-1 of its text. We find that text in the file (the
 * substring whose SHA-1 matches), redact the file, and check it is gone.
 */
#include <dirent.h>
#include <jansson.h>
#include <openssl/evp.h>
#include "unit.h"
#include "redact.h"

#define DS SHARED_DATA "/secrets/detect-secrets"

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

static char *redacted(enum redact_mode mode, const char *text, long *count)
{
	struct redact_state st = { 0 };
	struct buf out = BUF_INIT(0);
	long n = redact_chunk(red, mode, &st, text, strlen(text), &out);

	assert_true(n >= 0);
	if (count)
		*count = n;
	return buf_detach(&out, NULL);
}

static void sha1_hex(const char *s, size_t n, char out[41])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0, i;

	EVP_Digest(s, n, md, &len, EVP_sha1(), NULL);
	for (i = 0; i < len; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* The substring of text whose SHA-1 is hex, searched line by line. */
static char *find_secret(const char *text, const char *hex)
{
	const char *line = text;

	while (*line) {
		size_t len = strcspn(line, "\n"), i, j;

		for (i = 0; i < len; i++)
			for (j = i + 1; j <= len; j++) {
				char h[41];

				sha1_hex(line + i, j - i, h);
				if (!strcmp(h, hex))
					return xstrndup(line + i, j - i);
			}
		line += len;
		if (*line)
			line++;
	}
	return NULL;
}

/* Base64 whose bytes are printable text with a space in it. */
static int b64_text(const char *s)
{
	unsigned char out[512];
	size_t n = strlen(s);
	int len, i, space = 0;

	if (n % 4 || n >= sizeof(out) * 4 / 3 || strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
						      "qrstuvwxyz0123456789+/=") != n)
		return 0;
	len = EVP_DecodeBlock(out, (const unsigned char *)s, (int)n);
	for (i = 0; i < len && out[i]; i++) {
		if (out[i] < 0x20 || out[i] >= 0x7f)
			return 0;
		space += out[i] == ' ';
	}
	return space > 0;
}

static void test_detect_secrets_baseline(void **state)
{
	json_error_t jerr;
	json_t *base = json_load_file(DS "/baseline.file", 0, &jerr), *results, *list;
	const char *file;
	int located = 0, missing_files = 0, text_b64 = 0;

	(void)state;
	assert_non_null(base);
	results = json_object_get(base, "results");
	assert_non_null(results);
	json_object_foreach(results, file, list) {
		struct buf path = BUF_INIT(0), text = BUF_INIT(0);
		size_t i;
		json_t *r;
		char *out, *p;

		buf_addf(&path, DS "/%s", file);
		for (p = path.data + strlen(DS) + 1; *p; p++)
			if (*p == '/')
				*p = '_';
		if (unit_read_file(path.data, &text)) {
			missing_files++;	/* files/tmp/... is not in our copy */
			buf_release(&path);
			continue;
		}
		out = redacted(REDACT_STRICT, text.data, NULL);
		json_array_foreach(list, i, r) {
			const char *hex = json_string_value(json_object_get(r, "hashed_secret"));
			char *secret = find_secret(text.data, hex);

			if (!secret)
				continue;	/* hashed by an older detect-secrets */
			located++;
			if (b64_text(secret)) {
				/* base64 of a sentence is no secret by itself (issue 19):
				 * it goes only when its name says it is one */
				text_b64++;
			} else if (strstr(out, secret)) {
				fail_msg("%s: secret '%s' (%s) survived redaction",
					 file, secret,
					 json_string_value(json_object_get(r, "type")));
			}
			free(secret);
		}
		free(out);
		buf_release(&path);
		buf_release(&text);
	}
	/* 29 listed: 4 hash a text no longer in its file, 2 are in a file not shipped */
	print_message("located %d secrets\n", located);
	assert_int_equal(located, 23);
	/* "super long string should cause enough entropy", "secret message so you'll
	 * never guess my password", "23crxu 2byriuv2yrii2bvyu2r89y2ou02" */
	assert_int_equal(text_b64, 3);
	assert_int_equal(missing_files, 1);
	json_decref(base);
}

static void test_ordinary_values_stay(void **state)
{
	struct buf text = BUF_INIT(0);
	char *out;
	long n;

	(void)state;
	assert_int_equal(unit_read_file(DS "/config.ini", &text), 0);
	out = redacted(REDACT_STRICT, text.data, NULL);
	assert_non_null(strstr(out, "keyA = 678912345"));
	assert_non_null(strstr(out, "keyB = value1"));
	assert_non_null(strstr(out, "[credentials]"));
	free(out);
	buf_release(&text);

	assert_int_equal(unit_read_file(DS "/config.yaml", &text), 0);
	out = redacted(REDACT_STRICT, text.data, NULL);
	assert_non_null(strstr(out, "some_value_here: not_secret"));
	assert_non_null(strstr(out, "'203db13e-70c7-462b-9a3d-bf32640cb0be'"));
	free(out);
	buf_release(&text);

	assert_int_equal(unit_read_file(DS "/files_file_with_no_secrets.py", &text), 0);
	out = redacted(REDACT_STRICT, text.data, &n);
	assert_int_equal(n, 0);
	assert_string_equal(out, text.data);
	free(out);
	buf_release(&text);
}

static void test_log_lines(void **state)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "db url=mysql://app:hunter2@db:3306/x ok\n",
		  "db url=mysql://app:" REDACTED "@db:3306/x ok\n" },
		{ "Authorization: Bearer abcdef.ghijkl.mnop123\n",
		  "Authorization: Bearer " REDACTED "\n" },
		{ "curl -H 'X: Bearer abcdef0123456789' now\n",
		  "curl -H 'X: Bearer " REDACTED "' now\n" },
		{ "login password=abc user=bob\n", "login password=" REDACTED " user=bob\n" },
		{ "{\"user\": \"bob\", \"password\": \"s3cr3t!\"}\n",
		  "{\"user\": \"bob\", \"password\": \"" REDACTED "\"}\n" },
		{ "aws_access_key_id AKIAIOSFODNN7EXAMPLE\n", "aws_access_key_id " REDACTED "\n" },
		{ "token ghp_abcdefghijklmnopqrstuvwxyz0123456789AB used\n",
		  "token " REDACTED " used\n" },
		/* ordinary log lines do not change */
		{ "Nov 20 03:12:09 h sshd[1]: Failed password for root from 10.0.0.1 port 22 ssh2\n", NULL },
		{ "pam_unix(sudo:auth): authentication failure; logname= uid=0\n", NULL },
		{ "passwd:         files systemd\n", NULL },
		{ "net.ipv4.ipfrag_secret_interval = 0\n", NULL },
		{ "ssl_password_file = /etc/ssl/pass\n", NULL },
		{ "Accepted publickey for deploy from 10.1.1.1 port 4242\n", NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char *out = redacted(REDACT_LOG, cases[i].in, NULL);

		assert_string_equal(out, cases[i].out ? cases[i].out : cases[i].in);
		free(out);
	}
}

static void test_private_key_across_chunks(void **state)
{
	struct redact_state st = { 0 };
	struct buf out = BUF_INIT(0);
	const char *a = "before\n-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n";
	const char *b = "abcdefghij\n-----END RSA PRIVATE KEY-----\nafter\n";

	(void)state;
	assert_true(redact_chunk(red, REDACT_LOG, &st, a, strlen(a), &out) > 0);
	assert_true(st.in_key_block);
	assert_true(redact_chunk(red, REDACT_LOG, &st, b, strlen(b), &out) > 0);
	assert_false(st.in_key_block);
	assert_null(strstr(out.data, "MIIE"));
	assert_null(strstr(out.data, "abcdefghij"));
	assert_null(strstr(out.data, "BEGIN RSA PRIVATE KEY"));
	assert_string_equal(out.data, "before\n" REDACTED "\n" REDACTED "\n" REDACTED "\n"
			    REDACTED "\nafter\n");
	buf_release(&out);
}

static void test_none_copies(void **state)
{
	char *out;
	long n;

	(void)state;
	out = redacted(REDACT_NONE, "password=abc\n", &n);
	assert_string_equal(out, "password=abc\n");
	free(out);
}

static void test_entropy(void **state)
{
	(void)state;
	assert_true(redact_entropy("aaaa", 4) < 0.001);
	assert_true(redact_entropy("abcd", 4) > 1.99 && redact_entropy("abcd", 4) < 2.01);
}

/* Issue 19's false positive: package names and versions are never secrets. */
static void test_package_names_stay(void **state)
{
	static const char *const lines[] = {
		"2024-05-01 10:00:00 install libsecret-1-0:amd64 <none> 0.20.5-1\n",
		"2024-05-01 10:00:02 status installed libsecret-1-0:amd64 0.20.5-1\n",
		"2024-05-01 10:00:02 configure libpam-passwdqc:amd64 1.4.0-1 <none>\n",
		"Install: libsecret-1-0:amd64 (0.20.5-1, automatic), python3-keyring:amd64 "
		"(23.13.1-1), passwd:amd64 (1:4.13+dfsg1-1, 1:4.13+dfsg1-1+deb12u1)\n",
		"Commandline: apt-get install -y password-store libsodium23 node-jsonwebtoken\n",
		"Filename: pool/main/libs/libsecret/libsecret-1-0_0.20.5-1_amd64.deb\n",
	};
	size_t i;
	int m;

	(void)state;
	for (m = REDACT_LOG; m <= REDACT_STRICT; m++)
		for (i = 0; i < ARRAY_SIZE(lines); i++) {
			char *out = redacted((enum redact_mode)m, lines[i], NULL);

			assert_string_equal(out, lines[i]);
			free(out);
		}
}

/* Each line's secret goes, in logs and configuration alike (issue 19's classes). */
static void test_kinds_of_secrets(void **state)
{
	static const struct { const char *in, *secret; } cases[] = {
		{ "CREATE USER 'shop'@'%' IDENTIFIED BY 'Xk9#mP2qLw';\n", "Xk9#mP2qLw" },
		{ "ALTER ROLE app WITH PASSWORD 'c0rrect-h0rse';\n", "c0rrect-h0rse" },
		{ "$s = ConvertTo-SecureString 'Pl@inText99' -AsPlainText -Force\n", "Pl@inText99" },
		{ "curl -fsS -u backup:Hunter2hunter https://x.example.com/up\n", "Hunter2hunter" },
		{ "Authorization: NTLM TlRMTVNTUAADAAAAGAAYAEgAAAAYABgAYAAAAAAAAAB4AAAA\n",
		  "TlRMTVNTUAADAAAAGAAYAEgAAAAYABgAYAAAAAAAAAB4AAAA" },
		{ "{\"kty\":\"oct\",\"k\":\"GawgguFyGrWKav7AX4VKUg3bJmT1r0CPAmV_8W2oH3Q\"}\n",
		  "GawgguFyGrWKav7AX4VKUg3bJmT1r0CPAmV_8W2oH3Q" },
		{ "AGE-SECRET-KEY-1QYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQS9PFQSX\n",
		  "QYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQS9PFQSX" },
		{ "seed: SUAIBDPBAUTWCWBKIO6XHQNINK5FWJW4OHLXC3HQ2KFE4PEJUA44CNHTC4\n",
		  "SUAIBDPBAUTWCWBKIO6XHQNINK5FWJW4OHLXC3HQ2KFE4PEJUA44CNHTC4" },
		{ "otpauth://totp/ACME:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DP&issuer=ACME\n",
		  "JBSWY3DPEHPK3PXPJBSWY3DP" },
		{ "passwd: str = \"s3cr3t-value\"\n", "s3cr3t-value" },
		{ "PW: Tr0ub4dor&3x\n", "Tr0ub4dor&3x" },
		{ "MYSQLPASS: Walnut1994*\n", "Walnut1994*" },
		{ "router (master/delta8419?) at 10.0.0.1\n", "delta8419?" },
		{ "비밀번호: vOs3Now2tr8dF1le\n", "vOs3Now2tr8dF1le" },
		{ "Passwort: Sommer2024!\n", "Sommer2024!" },
		/* no keyword: a vendor's prefix and a random body, a random string */
		{ "Nov 14 06:21:53 web1 app[19]: rotated glrt-7jCsb94TSMpNsrOgpRuU ok\n",
		  "7jCsb94TSMpNsrOgpRuU" },
		{ "app[1]: upload failed for zqx_live_9fK2mQ7xLp4RtW8vNc3BjH6d: 401\n",
		  "9fK2mQ7xLp4RtW8vNc3BjH6d" },
		{ "worker: upstream rejected RiVQRQXEm3bHNHMi22BGOqPhwReQ74wU (HTTP 403)\n",
		  "RiVQRQXEm3bHNHMi22BGOqPhwReQ74wU" },
		{ "x-session = 0MaaAlnpQ8y1ad+vi00mdtVC\n", "0MaaAlnpQ8y1ad+vi00mdtVC" },
		{ "env:\n  - name: DB_PASSWORD\n    value: plainword\n", "plainword" },
		{ "private_key: |\n  MIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n  abcdefghij\nnext: 1\n",
		  "abcdefghij" },
	};
	size_t i;
	int m;

	(void)state;
	for (m = REDACT_LOG; m <= REDACT_STRICT; m++)
		for (i = 0; i < ARRAY_SIZE(cases); i++) {
			char *out = redacted((enum redact_mode)m, cases[i].in, NULL);

			if (strstr(out, cases[i].secret))
				fail_msg("%s: '%s' survived as %s", cases[i].in, cases[i].secret,
					 m == REDACT_LOG ? "a log" : "configuration");
			free(out);
		}
}

/* Public keys, certificates, digests, ids and base64 of text stay. */
static void test_public_material_stays(void **state)
{
	static const char *const lines[] = {
		"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGlUkRdhKhbLrEDZ0GIMnUXzPSuOgdE3b1SvVmp6WNjq "
		"ops@laptop\n",
		"256 SHA256:9fJ8kRwq0aGJ2dVh3bN6yXl3U0cP2mQ7tR4sW1zK8eY root@web1 (ED25519)\n",
		"golang.org/x/oauth2 v0.21.0 h1:tsimM75w1tF/uws5rbeHzIWxEqElMehnc+iW793zsZs=\n",
		"      \"integrity\": \"sha512-Tpp60P6IUJDTuOq/5Z8cdskzJujfwqfOTkrwIwj7IRISpnkJnT6SyJ4PCPn"
		"wg61ZtQG+AaGVIH2wxAyiu5RoTA==\"\n",
		"commit 3f2a9c1b4d5e6f708192a3b4c5d6e7f8091a2b3c\n",
		"UUID=8c47c6ae-c668-4303-adf6-c6e3be9f8b30 / ext4 defaults 0 1\n",
		"image: registry.example.io/api@sha256:0f5e2f4a4b6c8d0e2f4a6b8c0d2e4f6a8b0c2d4e6f8a0b2c4d6"
		"e8f0a2b4c6d8e\n",
		"  content: IyEvYmluL3NoCmVjaG8gaGVsbG8gZnJvbSBjbG91ZC1pbml0CnVwdGltZQo=\n",
		"# public key: age1arr2gk7u4wq28e4qw5424fjgz53sjpy0fmtpafa227yutllxqzhgjft2vl\n",
		"operator: OXK3IL3KDFYHAKYSBFXU4IBRCXTJQJ73LJR5A776A7ZSJHLIQ4AF4253\n",
		"{\"kty\": \"EC\", \"crv\": \"P-256\", \"x\": \"28TE3pvUX4NzfJcUA-aj9AdSrOQ7U27c9WJO54sayQ0\", "
		"\"y\": \"MpA-ElZEkWKc1Gj0sdxyR1xUBXYQhMvAxGVYr9ojbK0\"}\n",
		"Nov 10 09:35:43 web1 systemd[1]: Started run-rd0524279d6a51f2c1f75ee143f9c2b68.scope.\n",
		"pod=\"shop/api-8a0c84c37d-9supk\" podUID=\"d72a61cc-51f8-4632-9140-643c61322e23\"\n",
		"password_encryption = scram-sha-256\n",
		"passwd:         files systemd\n",
		"cftest ALL=(root) NOPASSWD: ALL\n",
		"proxy_pass http://backend;\n",
		"ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:!aNULL;\n",
	};
	size_t i;
	int m;

	(void)state;
	for (m = REDACT_LOG; m <= REDACT_STRICT; m++)
		for (i = 0; i < ARRAY_SIZE(lines); i++) {
			char *out = redacted((enum redact_mode)m, lines[i], NULL);

			assert_string_equal(out, lines[i]);
			free(out);
		}
}

/* ---- the labelled corpus: recall and over-redaction -------------------------- */

#define CORPUS "tests/redact"

struct score {
	unsigned secrets, removed;	/* labelled secrets, and those gone */
	unsigned lines, changed;	/* ordinary non-empty lines, and those changed */
};

/* Lines of in and out side by side: count the non-empty ordinary ones that changed. */
static void count_changed(const char *in, const char *out, char **keep_out,
			  struct score *sc)
{
	while (*in && *out) {
		size_t a = strcspn(in, "\n"), b = strcspn(out, "\n"), k;
		int labelled = 0;

		for (k = 0; keep_out && keep_out[k]; k++)
			if (memmem(in, a, keep_out[k], strlen(keep_out[k])))
				labelled = 1;
		if (a && !labelled) {
			sc->lines++;
			if (a != b || memcmp(in, out, a)) {
				sc->changed++;
				if (getenv("REDACT_DEBUG"))
					printf("   changed: %.*s\n        -> %.*s\n", (int)a, in,
					       (int)b, out);
			}
		}
		in += a + (in[a] == '\n');
		out += b + (out[b] == '\n');
	}
}

static void score_file(const char *path, char **secrets, enum redact_mode mode, struct score *sc)
{
	struct buf text = BUF_INIT(0);
	char *out;
	size_t k;

	assert_int_equal(unit_read_file(path, &text), 0);
	out = redacted(mode, text.data, NULL);
	for (k = 0; secrets && secrets[k]; k++) {
		sc->secrets++;
		if (!strstr(out, secrets[k]))
			sc->removed++;
		else
			printf("   still there (%s): %s in %s\n", mode == REDACT_STRICT ? "config" :
			       "log", secrets[k], path);
	}
	/* lines of private key blocks are all secret; the rest should stay */
	if (!strstr(text.data, "PRIVATE KEY"))
		count_changed(text.data, out, secrets, sc);
	free(out);
	buf_release(&text);
}

/* The secrets labelled for file in secrets.tsv. */
static char **labels(const char *tsv, const char *file)
{
	char **v = NULL;
	const char *line = tsv;
	size_t n = strlen(file);

	while (*line) {
		size_t len = strcspn(line, "\n");

		if (len > n && !strncmp(line, file, n) && line[n] == '\t')
			strv_push(&v, xstrndup(line + n + 1, len - n - 1));
		line += len + (line[len] == '\n');
	}
	return v;
}

static void score_dir(const char *dir, const char *tsv, enum redact_mode mode,
		      struct score *sc)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	assert_non_null(d);
	while ((de = readdir(d))) {
		struct buf path = BUF_INIT(0);
		char **sec;

		if (de->d_name[0] == '.' || strstr(de->d_name, ".gz"))
			continue;
		buf_addf(&path, "%s/%s", dir, de->d_name);
		sec = tsv ? labels(tsv, de->d_name) : NULL;
		score_file(path.data, sec, mode, sc);
		strv_free(sec);
		buf_release(&path);
	}
	closedir(d);
}

static double pct(unsigned a, unsigned b)
{
	return b ? 100.0 * a / b : 0;
}

static void test_labelled_corpus(void **state)
{
	struct buf tsv = BUF_INIT(0);
	struct score cfg = { 0, 0, 0, 0 }, log = { 0, 0, 0, 0 };

	(void)state;
	assert_int_equal(unit_read_file(CORPUS "/secrets.tsv", &tsv), 0);
	/* every labelled secret, collected as configuration and as a log */
	score_dir(CORPUS "/secrets", tsv.data, REDACT_STRICT, &cfg);
	score_dir(CORPUS "/secrets", tsv.data, REDACT_LOG, &log);
	/* ordinary lines: configuration we wrote, and real logs from lnav */
	score_dir(CORPUS "/ordinary", NULL, REDACT_STRICT, &cfg);
	score_dir(CORPUS "/ordinary", NULL, REDACT_LOG, &log);
	score_dir(SHARED_DATA "/logs/lnav", NULL, REDACT_LOG, &log);
	printf("redaction, as configuration: recall %u/%u (%.1f%%), ordinary lines changed "
	       "%u/%u (%.2f%%)\n", cfg.removed, cfg.secrets, pct(cfg.removed, cfg.secrets),
	       cfg.changed, cfg.lines, pct(cfg.changed, cfg.lines));
	printf("redaction, as a log: recall %u/%u (%.1f%%), ordinary lines changed "
	       "%u/%u (%.2f%%)\n", log.removed, log.secrets, pct(log.removed, log.secrets),
	       log.changed, log.lines, pct(log.changed, log.lines));
	assert_true(cfg.secrets >= 70 && log.secrets == cfg.secrets);
	assert_true(pct(cfg.removed, cfg.secrets) >= 95.0);
	assert_true(pct(log.removed, log.secrets) >= 95.0);
	assert_true(pct(cfg.changed, cfg.lines) <= 1.0);
	assert_true(pct(log.changed, log.lines) <= 1.0);
	buf_release(&tsv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detect_secrets_baseline),
		cmocka_unit_test(test_ordinary_values_stay),
		cmocka_unit_test(test_log_lines),
		cmocka_unit_test(test_package_names_stay),
		cmocka_unit_test(test_kinds_of_secrets),
		cmocka_unit_test(test_public_material_stays),
		cmocka_unit_test(test_private_key_across_chunks),
		cmocka_unit_test(test_none_copies),
		cmocka_unit_test(test_entropy),
		cmocka_unit_test(test_labelled_corpus),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
