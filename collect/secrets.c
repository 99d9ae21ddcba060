/*
 * secrets.c: passwords and key passphrases for SSH, from a prompt on the
 * terminal or an environment variable; never from the command line.
 */
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include "casefile.h"
#include "secrets.h"

void secret_free(char *s)
{
	if (!s)
		return;
	explicit_bzero(s, strlen(s));
	free(s);
}

/* Ask on /dev/tty with echo off; NULL when there is no terminal. */
static char *prompt(const char *what)
{
	struct termios old, quiet;
	char line[1024];
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
	ssize_t n;
	char *s;

	if (fd < 0)
		return NULL;
	if (tcgetattr(fd, &old)) {
		close(fd);
		return NULL;
	}
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	if (write(fd, what, strlen(what)) < 0 || tcsetattr(fd, TCSAFLUSH, &quiet)) {
		close(fd);
		return NULL;
	}
	n = read(fd, line, sizeof(line) - 1);
	tcsetattr(fd, TCSAFLUSH, &old);
	if (write(fd, "\n", 1) < 0)
		n = -1;
	close(fd);
	if (n < 0)
		return NULL;
	line[n] = '\0';
	line[strcspn(line, "\r\n")] = '\0';
	s = xstrdup(line);
	explicit_bzero(line, sizeof(line));
	return s;
}

/* From the environment, removed from it so nothing we start inherits it. */
static char *from_env(const char *name)
{
	const char *v = getenv(name);
	char *s;

	if (!v)
		return NULL;
	s = xstrdup(v);
	unsetenv(name);
	return s;
}

int key_is_encrypted(const char *path)
{
	static const char magic[] = "openssh-key-v1";
	struct buf data = BUF_INIT(256 * 1024), b64 = BUF_INIT(0);
	unsigned char raw[512];
	const char *p, *end;
	int r = 0, n;

	if (buf_read_file(&data, path)) {
		buf_release(&data);
		return -1;
	}
	if (strstr(data.data, "ENCRYPTED")) {
		r = 1;	/* PEM: Proc-Type: 4,ENCRYPTED or ENCRYPTED PRIVATE KEY */
	} else if ((p = strstr(data.data, "-----BEGIN OPENSSH PRIVATE KEY-----"))) {
		p = strchr(p, '\n');
		end = p ? strstr(p, "-----END") : NULL;
		for (; p && p < end && b64.len < 600; p++)
			if (*p != '\n' && *p != '\r')
				buf_addch(&b64, *p);
		b64.len -= b64.len % 4;
		n = EVP_DecodeBlock(raw, (const unsigned char *)b64.data, (int)b64.len);
		/* "openssh-key-v1\0", uint32 length, cipher name ("none" if clear) */
		if (n > (int)sizeof(magic) + 8 && !memcmp(raw, magic, sizeof(magic))) {
			const unsigned char *q = raw + sizeof(magic);
			uint32_t len = (uint32_t)q[0] << 24 | q[1] << 16 | q[2] << 8 | q[3];

			r = !(len == 4 && !memcmp(q + 4, "none", 4));
		}
	}
	buf_release(&data);
	buf_release(&b64);
	return r;
}

int ssh_secrets(struct ssh_opts *o, int ask_password, char **password, char **passphrase)
{
	*password = from_env("CASEFILE_SSH_PASSWORD");
	if (!*password && ask_password) {
		*password = prompt("SSH password: ");
		if (!*password)
			return error("--ask-password needs a terminal (or set "
				     "CASEFILE_SSH_PASSWORD)");
	}
	o->password = *password;
	*passphrase = from_env("CASEFILE_SSH_PASSPHRASE");
	if (o->identity && !*passphrase) {
		int enc = key_is_encrypted(o->identity);

		if (enc < 0)
			return error("-i: cannot read '%s': %s", o->identity, strerror(errno));
		if (enc) {
			struct buf q = BUF_INIT(0);

			buf_addf(&q, "Passphrase for %s: ", o->identity);
			*passphrase = prompt(q.data);
			buf_release(&q);
			if (!*passphrase)
				return error("key '%s' is encrypted: run from a terminal or set "
					     "CASEFILE_SSH_PASSPHRASE", o->identity);
		}
	}
	o->passphrase = *passphrase;
	return 0;
}
