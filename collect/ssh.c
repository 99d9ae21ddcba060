/*
 * ssh.c: a connection to the target (TCP, or its proxy: ssh_proxy.c; the
 * host key: ssh_hostkey.c; the log-in) and its exec channels (see ssh.h).
 * The session is non-blocking; every call that would block waits on the
 * socket with poll() until the current deadline, so no peer can hang us.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libssh2.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include "casefile.h"
#include "ssh.h"
#include "ssh_proxy.h"
#include "ssh_session.h"

#define IO_CHUNK 65536

/* Wait until the socket is ready for what libssh2 wants, or the deadline. */
int ssh_wait(struct ssh_conn *c)
{
	struct pollfd p = { c->sock, 0, 0 };
	int dir = libssh2_session_block_directions(c->s);
	int64_t left = c->deadline - now_ms();

	if (c->stop && *c->stop)
		return CF_ERR_INTERRUPTED;
	if (left <= 0)
		return CF_ERR_TIMEOUT;
	if (dir & LIBSSH2_SESSION_BLOCK_INBOUND)
		p.events |= POLLIN;
	if (dir & LIBSSH2_SESSION_BLOCK_OUTBOUND)
		p.events |= POLLOUT;
	if (!p.events)
		p.events = POLLIN;
	poll(&p, 1, left > 200 ? 200 : (int)left);
	return 0;
}

const char *ssh_last_error(struct ssh_conn *c)
{
	char *msg = NULL;

	libssh2_session_last_error(c->s, &msg, NULL, 0);
	return msg && *msg ? msg : "unknown libssh2 error";
}

/* "ADDR:PORT", "[V6ADDR]:PORT" (OpenSSH misc.c put_host_port()). */
static void host_port(char *out, size_t n, const char *addr, int port)
{
	snprintf(out, n, strchr(addr, ':') ? "[%s]:%d" : "%s:%d", addr, port);
}

static int tcp_connect(const struct ssh_target *t, int64_t timeout_ms, char *addr, size_t naddr,
		       struct buf *err)
{
	struct addrinfo hints, *res = NULL, *ai;
	char port[16];
	int fd = -1, rc, last = 0;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	snprintf(port, sizeof(port), "%d", t->port);
	rc = getaddrinfo(t->host, port, &hints, &res);
	if (rc) {
		buf_addf(err, "%s: cannot resolve '%s': %s", t->spec, t->host, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		struct pollfd p;
		socklen_t len = sizeof(last);

		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
			    ai->ai_protocol);
		if (fd < 0)
			continue;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) && errno != EINPROGRESS) {
			last = errno;
			close(fd);
			fd = -1;
			continue;
		}
		p.fd = fd;
		p.events = POLLOUT;
		rc = poll(&p, 1, (int)timeout_ms);
		if (rc == 1 && !getsockopt(fd, SOL_SOCKET, SO_ERROR, &last, &len) && !last) {
			char num[NI_MAXHOST];

			/* the address connected to, for the manifest */
			if (!getnameinfo(ai->ai_addr, ai->ai_addrlen, num, sizeof(num), NULL, 0,
					 NI_NUMERICHOST))
				host_port(addr, naddr, num, t->port);
			break;
		}
		if (rc == 0)
			last = ETIMEDOUT;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd >= 0) {
		/* small requests go out at once, not after the peer's delayed ACK
		 * (Nagle's algorithm costs 40 ms a round trip) */
		int one = 1;

		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	}
	if (fd < 0)
		buf_addf(err, "%s: cannot connect to %s port %d: %s", t->spec, t->host, t->port,
			 last == ETIMEDOUT ? "timed out" : strerror(last));
	return fd;
}

static int authenticate(struct ssh_conn *c, const struct ssh_opts *o, struct buf *err)
{
	const char *user = c->t->user;
	char *methods;
	int rc;

	do {
		methods = libssh2_userauth_list(c->s, user, (unsigned)strlen(user));
	} while (!methods && libssh2_session_last_errno(c->s) == LIBSSH2_ERROR_EAGAIN &&
		 !ssh_wait(c));
	if (!methods && libssh2_userauth_authenticated(c->s))
		return 0;
	if (!methods)
		methods = "";
	if (strstr(methods, "publickey") && getenv("SSH_AUTH_SOCK") && *getenv("SSH_AUTH_SOCK")) {
		LIBSSH2_AGENT *agent = libssh2_agent_init(c->s);
		struct libssh2_agent_publickey *id = NULL, *prev = NULL;

		if (agent && !libssh2_agent_connect(agent)) {
			int lr;

			SSH_NB(c, lr, libssh2_agent_list_identities(agent));
			while (!lr && libssh2_agent_get_identity(agent, &id, prev) == 0) {
				SSH_NB(c, rc, libssh2_agent_userauth(agent, user, id));
				if (!rc) {
					libssh2_agent_disconnect(agent);
					libssh2_agent_free(agent);
					return 0;
				}
				prev = id;
			}
			libssh2_agent_disconnect(agent);
		}
		if (agent)
			libssh2_agent_free(agent);
	}
	if (strstr(methods, "publickey")) {
		/* -i alone when given, else the configured keys that exist */
		const char *one[2] = { o->identity, NULL };
		const char *const *id = o->identity ? one : (const char *const *)c->t->identities;

		for (; id && *id; id++) {
			if (!o->identity && access(*id, R_OK))
				continue;
			SSH_NB(c, rc, libssh2_userauth_publickey_fromfile(c->s, user, NULL, *id,
							o->passphrase ? o->passphrase : ""));
			if (!rc)
				return 0;
			buf_addf(err, "%s: key %s refused: %s; ", c->t->spec, *id, ssh_last_error(c));
		}
	}
	if (o->password && strstr(methods, "password")) {
		SSH_NB(c, rc, libssh2_userauth_password(c->s, user, o->password));
		if (!rc)
			return 0;
		buf_addf(err, "%s: password refused for %s; ", c->t->spec, user);
	}
	buf_addf(err, "%s: cannot log in as %s (server offers: %s)", c->t->spec, user,
		 *methods ? methods : "nothing");
	return CF_ERR_DENIED;
}

int ssh_connect(struct ssh_conn **out, const struct ssh_target *t,
		const struct ssh_opts *o, struct buf *err)
{
	struct ssh_conn *c = xcalloc(1, sizeof(*c));
	int64_t timeout = ssh_connect_timeout(t, o);
	int rc, r;

	*out = NULL;
	c->t = t;
	c->stop = o->stop;
	c->proxy_err = -1;
	/* through a proxy, the name it was asked to reach */
	host_port(c->address, sizeof(c->address), t->host, t->port);
	if (t->proxy_command || t->proxy_jump) {
		r = ssh_proxy_start(t, o, &c->sock, &c->proxy, &c->proxy_err, err);
		if (r) {
			free(c);
			return r;
		}
	} else {
		c->sock = tcp_connect(t, timeout, c->address, sizeof(c->address), err);
		if (c->sock < 0) {
			free(c);
			return CF_ERR_IO;
		}
	}
	libssh2_init(0);
	c->s = libssh2_session_init();
	if (!c->s) {
		ssh_close(c);
		return CF_ERR_NOMEM;
	}
	libssh2_session_set_blocking(c->s, 0);
	c->deadline = now_ms() + timeout;
	SSH_NB(c, rc, libssh2_session_handshake(c->s, c->sock));
	if (rc) {
		buf_addf(err, "%s: SSH handshake failed: %s", t->spec,
			 rc == LIBSSH2_ERROR_TIMEOUT ? "timed out" : ssh_last_error(c));
		if (c->proxy) {
			buf_addf(err, " through %s %s", t->proxy_command ? "ProxyCommand" :
				 "ProxyJump", t->proxy_command ? t->proxy_command : t->proxy_jump);
			ssh_proxy_said(c->proxy_err, err);
		}
		ssh_close(c);
		return CF_ERR_SSH;
	}
	if ((r = ssh_hostkey_check(c, o, err)) || (r = authenticate(c, o, err))) {
		ssh_close(c);
		return r;
	}
	*out = c;
	return 0;
}

const char *ssh_address(const struct ssh_conn *c)
{
	return c->address;
}

void ssh_close(struct ssh_conn *c)
{
	if (!c)
		return;
	if (c->s) {
		/* blocking, bounded: a non-blocking free may say EAGAIN and free nothing */
		libssh2_session_set_blocking(c->s, 1);
		libssh2_session_set_timeout(c->s, 2000);
		libssh2_session_disconnect(c->s, "casefile done");
		libssh2_session_free(c->s);
	}
	if (c->sock >= 0)
		close(c->sock);
	ssh_proxy_stop(c->proxy);
	if (c->proxy_err >= 0)
		close(c->proxy_err);
	free(c);
}

LIBSSH2_CHANNEL *ssh_channel_exec(struct ssh_conn *c, const char *cmd, const char *what,
				  struct buf *err)
{
	LIBSSH2_CHANNEL *ch;
	int rc;

	do {
		ch = libssh2_channel_open_session(c->s);
	} while (!ch && libssh2_session_last_errno(c->s) == LIBSSH2_ERROR_EAGAIN &&
		 !ssh_wait(c));
	if (!ch) {
		buf_addf(err, "cannot open a channel: %s", ssh_last_error(c));
		return NULL;
	}
	SSH_NB(c, rc, libssh2_channel_exec(ch, cmd));
	if (rc) {
		buf_addf(err, "cannot start %s: %s", what, ssh_last_error(c));
		libssh2_channel_free(ch);
		return NULL;
	}
	return ch;
}

int ssh_channel_status(struct ssh_conn *c, LIBSSH2_CHANNEL *ch)
{
	/* OpenSSH sends "KILL", "TERM", ...: signals 1 to 15 */
	static const char *const names[] = { "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS",
		"FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM" };
	char *signame = NULL;
	int rc, status;
	size_t i;

	c->deadline = now_ms() + 5000;
	SSH_NB(c, rc, libssh2_channel_close(ch));
	SSH_NB(c, rc, libssh2_channel_wait_closed(ch));
	status = libssh2_channel_get_exit_status(ch);
	if (libssh2_channel_get_exit_signal(ch, &signame, NULL, NULL, NULL, NULL, NULL) == 0 &&
	    signame) {
		for (i = 0; i < ARRAY_SIZE(names); i++)
			if (!strcmp(signame, names[i]))
				status = 128 + (int)i + 1;
		libssh2_free(c->s, signame);
	}
	return status;
}

int ssh_pump(struct ssh_conn *c, LIBSSH2_CHANNEL *ch, struct ssh_pump *p)
{
	char *chunk = xmalloc(IO_CHUNK);
	int eof_sent = !p->send_eof, r = 0;

	for (;;) {
		int progress = 0;
		ssize_t n;

		if (p->done && p->done(p->ctx, p))
			break;
		/* a host that never pauses still ends at the deadline */
		if ((c->stop && *c->stop) || now_ms() > c->deadline) {
			r = c->stop && *c->stop ? CF_ERR_INTERRUPTED : CF_ERR_TIMEOUT;
			break;
		}
		if (!p->in_failed && p->sent < p->in_len) {
			n = libssh2_channel_write(ch, p->in + p->sent, p->in_len - p->sent < IO_CHUNK ?
						  p->in_len - p->sent : IO_CHUNK);
			if (n > 0) {
				p->sent += (size_t)n;
				progress = 1;
			} else if (n != LIBSSH2_ERROR_EAGAIN) {
				p->in_failed = 1;	/* it stopped reading: what it says tells why */
			}
		}
		if (!eof_sent && !p->in_failed && p->sent == p->in_len &&
		    libssh2_channel_send_eof(ch) != LIBSSH2_ERROR_EAGAIN)
			eof_sent = 1;
		/* a chunk of each at a time: done() is asked after every one */
		n = libssh2_channel_read(ch, chunk, IO_CHUNK);
		if (n > 0) {
			progress = 1;
			if ((r = p->out(p->ctx, chunk, (size_t)n)) || (p->done && p->done(p->ctx, p)))
				break;
		} else if (n < 0 && n != LIBSSH2_ERROR_EAGAIN) {
			r = CF_ERR_SSH;
			break;
		}
		n = libssh2_channel_read_stderr(ch, chunk, IO_CHUNK);
		if (n > 0) {
			progress = 1;
			if (p->err && (r = p->err(p->ctx, chunk, (size_t)n)))
				break;
		}
		if (libssh2_channel_eof(ch) && !progress)
			break;
		if (!progress && (r = ssh_wait(c)))
			break;
	}
	free(chunk);
	return r;
}

/* ssh_exec's stdout keeps its end within the cap, stderr its last 4 KiB. */
struct exec_out {
	struct tailbuf out, err;
};

static int exec_stdout(void *ctx, const char *p, size_t n)
{
	tailbuf_add(&((struct exec_out *)ctx)->out, p, n);
	return 0;
}

static int exec_stderr(void *ctx, const char *p, size_t n)
{
	tailbuf_add(&((struct exec_out *)ctx)->err, p, n);
	return 0;
}

int ssh_exec(struct ssh_conn *c, const char *cmdline, int64_t timeout_ms, size_t cap,
	     struct spawn_result *r)
{
	LIBSSH2_CHANNEL *ch = NULL;
	struct exec_out x;
	struct ssh_pump pump = { 0 };
	int64_t start = now_ms();
	int ret = 0, w;

	memset(&x, 0, sizeof(x));
	snprintf(r->path, sizeof(r->path), "ssh:%s", c->t->host);
	c->deadline = start + timeout_ms;
	tailbuf_init(&x.out, cap);
	tailbuf_init(&x.err, 4096);
	if (!(ch = ssh_channel_exec(c, cmdline, "the command", &r->err))) {
		ret = CF_ERR_SSH;
		goto done;
	}
	pump.out = exec_stdout;
	pump.err = exec_stderr;
	pump.ctx = &x;
	w = ssh_pump(c, ch, &pump);
	r->timed_out = w == CF_ERR_TIMEOUT;
	r->stopped = w == CF_ERR_INTERRUPTED;
	/* its end, or a read that failed: the status says how it went */
	r->status = r->timed_out || r->stopped ? -1 : ssh_channel_status(c, ch);
	r->dropped = x.out.dropped;
	if (tailbuf_to_buf(&x.out, &r->out) || tailbuf_to_buf(&x.err, &r->err))
		ret = CF_ERR_NOMEM;
done:
	if (ch)
		libssh2_channel_free(ch);
	r->duration_ms = now_ms() - start;
	tailbuf_release(&x.out);
	tailbuf_release(&x.err);
	return ret;
}
