/*
 * spawn.c: a hardened spawner with deadlines (after OpenSSH's subprocess()
 * and git's run-command, plus what neither does: killing a process group
 * that runs too long).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "casefile.h"
#include "spawn.h"

#define ERR_CAP 4096

static char *const child_env[] = {
	"LC_ALL=C", "LANG=C", "PATH=" SPAWN_SAFE_PATH, "TERM=dumb", "HOME=/",
	"PAGER=cat", "SYSTEMD_PAGER=", "SYSTEMD_COLORS=0", "COLUMNS=512", NULL
};

void spawn_result_init(struct spawn_result *r)
{
	memset(r, 0, sizeof(*r));
	buf_init(&r->out, 0);
	buf_init(&r->err, 0);
	r->status = -1;
}

void spawn_result_release(struct spawn_result *r)
{
	buf_release(&r->out);
	buf_release(&r->err);
}

int spawn_resolve(const char *name, char *out, size_t n)
{
	const char *p = SPAWN_SAFE_PATH;

	if (strchr(name, '/')) {
		if (name[0] != '/' || access(name, X_OK))
			return CF_ERR_NOTFOUND;
		snprintf(out, n, "%s", name);
		return 0;
	}
	while (*p) {
		size_t len = strcspn(p, ":");
		struct stat st;

		snprintf(out, n, "%.*s/%s", (int)len, p, name);
		if (!stat(out, &st) && S_ISREG(st.st_mode) && !access(out, X_OK))
			return 0;
		p += len;
		if (*p == ':')
			p++;
	}
	out[0] = '\0';
	return CF_ERR_NOTFOUND;
}

static void child(const char *path, const char *const *argv, int out, int err, pid_t parent)
{
	int devnull = open("/dev/null", O_RDONLY);
	struct sigaction sa;
	sigset_t none;
	int i;

	setpgid(0, 0);
	/* a collector that is killed outright takes its command with it */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	for (i = 1; i < NSIG; i++)
		sigaction(i, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
		_exit(127);
	close_range(3, ~0U, 0);
	execve(path, (char *const *)argv, child_env);
	_exit(127);
}

/* Signal the group, wait up to ms for the leader; 1 once it is reaped. */
static int kill_and_wait(pid_t pid, int sig, int ms, int *wstatus)
{
	int64_t deadline = now_ms() + ms;

	kill(-pid, sig);
	for (;;) {
		pid_t w = waitpid(pid, wstatus, WNOHANG);

		if (w == pid || (w < 0 && errno == ECHILD))
			return 1;
		if (now_ms() >= deadline)
			return 0;
		poll(NULL, 0, 10);
	}
}

static int drain(int fd, struct tailbuf *t)
{
	char chunk[16384];
	ssize_t n = read(fd, chunk, sizeof(chunk));

	if (n > 0) {
		tailbuf_add(t, chunk, (size_t)n);
		return 1;
	}
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 1;
	return 0;	/* EOF or error: stop polling this one */
}

/* Both pipes closed: the leader is exiting; wait for it, up to the deadline. */
static int wait_leader(pid_t pid, const struct spawn_opts *o, struct spawn_result *r,
		       int64_t deadline, int *wstatus)
{
	while (!r->timed_out && !r->stopped) {
		if (waitpid(pid, wstatus, WNOHANG) == pid)
			return 1;
		if (o->stop && *o->stop)
			r->stopped = 1;
		else if (now_ms() >= deadline)
			r->timed_out = 1;
		else
			poll(NULL, 0, 5);
	}
	return 0;
}

static int subreaper;

int spawn_subreaper(void)
{
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0)
		return CF_ERR_IO;
	subreaper = 1;
	return 0;
}

/* Our children, from /proc: pids whose parent we are. */
static size_t own_children(pid_t *out, size_t max)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	pid_t self = getpid();
	size_t n = 0;

	if (!d)
		return 0;
	while ((de = readdir(d)) && n < max) {
		char path[300], buf[512], *close_paren;
		long ppid;
		FILE *f;

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		if (!(f = fopen(path, "r")))
			continue;
		buf[0] = '\0';
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = '\0';
		fclose(f);
		/* "pid (comm) state ppid ...": comm may hold spaces and ')' */
		close_paren = strrchr(buf, ')');
		if (close_paren && sscanf(close_paren + 1, " %*c %ld", &ppid) == 1 && ppid == self)
			out[n++] = (pid_t)strtol(de->d_name, NULL, 10);
	}
	closedir(d);
	return n;
}

/*
 * As a subreaper, whatever a command left running outside its process
 * group (setsid, double fork) becomes our child when its parent dies:
 * kill it, and the generations under it, until none is left.
 */
static void reap_orphans(void)
{
	pid_t kids[256];
	int round;

	if (!subreaper)
		return;
	for (round = 0; round < 100; round++) {
		size_t n = own_children(kids, ARRAY_SIZE(kids)), i;

		for (i = 0; i < n; i++)
			kill(kids[i], SIGKILL);
		/* the ones listed (zombies among them) by pid, never any child: one
		 * stuck in the kernel (D state) is tried again next round, not waited for */
		for (i = 0; i < n; i++)
			waitpid(kids[i], NULL, WNOHANG);
		if (!n)
			break;
		poll(NULL, 0, 10);
	}
}

int spawn_run(const struct spawn_opts *o, struct spawn_result *r)
{
	struct tailbuf out, err;
	int po[2] = { -1, -1 }, pe[2] = { -1, -1 };
	int64_t start = now_ms(), deadline = start + o->timeout_ms;
	int grace = o->grace_ms > 0 ? o->grace_ms : 1000;
	int wstatus = 0, reaped = 0, rc = 0, open_fds;
	pid_t pid, parent;

	memset(&out, 0, sizeof(out));
	memset(&err, 0, sizeof(err));
	if (spawn_resolve(o->argv[0], r->path, sizeof(r->path)))
		return CF_ERR_NOTFOUND;
	tailbuf_init(&out, o->cap);
	tailbuf_init(&err, ERR_CAP);
	if (pipe2(po, O_CLOEXEC) || pipe2(pe, O_CLOEXEC)) {
		rc = CF_ERR_IO;
		goto cleanup;
	}
	parent = getpid();
	pid = fork();
	if (pid < 0) {
		rc = CF_ERR_IO;
		goto cleanup;
	}
	if (!pid)
		child(r->path, o->argv, po[1], pe[1], parent);
	setpgid(pid, pid);	/* both sides: no race with the first kill */
	close(po[1]);
	close(pe[1]);
	po[1] = pe[1] = -1;
	fcntl(po[0], F_SETFL, O_NONBLOCK);
	fcntl(pe[0], F_SETFL, O_NONBLOCK);

	open_fds = 2;
	while (open_fds > 0) {
		struct pollfd pfd[2] = { { po[0], POLLIN, 0 }, { pe[0], POLLIN, 0 } };
		int64_t left = deadline - now_ms();

		if (o->stop && *o->stop) {
			r->stopped = 1;
			break;
		}
		if (left <= 0) {
			r->timed_out = 1;
			break;
		}
		/* wake up now and then to notice *stop and the leader's exit */
		if (poll(pfd, 2, left > 100 ? 100 : (int)left) < 0 && errno != EINTR)
			break;
		if (po[0] >= 0 && (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) &&
		    !drain(po[0], &out)) {
			close(po[0]);
			po[0] = -1;
			open_fds--;
		}
		if (pe[0] >= 0 && (pfd[1].revents & (POLLIN | POLLHUP | POLLERR)) &&
		    !drain(pe[0], &err)) {
			close(pe[0]);
			pe[0] = -1;
			open_fds--;
		}
		if (!reaped && waitpid(pid, &wstatus, WNOHANG) == pid) {
			reaped = 1;
			/* a grandchild may still hold the pipe: give it a moment */
			if (deadline > now_ms() + 500)
				deadline = now_ms() + 500;
		}
	}
	if (!reaped)
		reaped = wait_leader(pid, o, r, deadline, &wstatus);
	if (!reaped && !kill_and_wait(pid, SIGTERM, grace, &wstatus))
		kill_and_wait(pid, SIGKILL, 5000, &wstatus);
	kill(-pid, SIGKILL);	/* whatever the leader left behind */
	reap_orphans();		/* and what escaped its group (setsid) */
	if (reaped && r->timed_out && open_fds > 0)
		r->timed_out = 0;	/* it finished; only a straggler held the pipe */

	if (WIFEXITED(wstatus))
		r->status = WEXITSTATUS(wstatus);
	else if (WIFSIGNALED(wstatus))
		r->status = 128 + WTERMSIG(wstatus);
	r->dropped = out.dropped;
	tailbuf_to_buf(&out, &r->out);
	tailbuf_to_buf(&err, &r->err);
cleanup:
	r->duration_ms = now_ms() - start;
	if (po[0] >= 0) close(po[0]);
	if (po[1] >= 0) close(po[1]);
	if (pe[0] >= 0) close(pe[0]);
	if (pe[1] >= 0) close(pe[1]);
	tailbuf_release(&out);
	tailbuf_release(&err);
	return rc;
}

int spawn_denied(const char *s)
{
	return strstr(s, "ermission denied") || strstr(s, "Operation not permitted") ||
	       strstr(s, "must be root") || strstr(s, "superuser") ||
	       strstr(s, "Access denied") || strstr(s, "password is required");
}
