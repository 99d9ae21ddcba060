/*
 * ssh_proxy.h: a stream to an SSH target through its proxy (ssh_proxy.c),
 * for ssh_connect(). ProxyJump runs `ssh -W host:port` to the jump host(s),
 * which checks their host keys as ssh does (BatchMode: never a prompt);
 * ProxyCommand runs through /bin/sh with its %h %p %r %n %% expanded (any
 * other token is refused, not guessed).
 */
#ifndef SSH_PROXY_H
#define SSH_PROXY_H

#include <sys/types.h>
#include "buf.h"
#include "ssh_target.h"

/*
 * The proxy's command line, pushed onto *argv (a strv): /bin/sh -c COMMAND
 * for ProxyCommand; for ProxyJump "ssh [-F CONFIG] -oBatchMode=yes
 * -oLogLevel=ERROR -oConnectTimeout=S -W HOST:PORT [-J FIRST,...] -- LAST".
 * 0, or a CF_ERR_* with err saying why (a token not supported, no ssh).
 */
int ssh_proxy_argv(const struct ssh_target *t, const struct ssh_opts *o, char ***argv,
		   struct buf *err);
/*
 * Start it: *sock is one end of a socketpair, its stdin and stdout, for
 * libssh2; *pid the proxy; *errfd its stderr (non-blocking), for the
 * message when it fails.
 */
int ssh_proxy_start(const struct ssh_target *t, const struct ssh_opts *o, int *sock,
		    pid_t *pid, int *errfd, struct buf *err);
/* Stop the proxy (SIGTERM, then SIGKILL) and reap it. */
void ssh_proxy_stop(pid_t pid);
/* What the proxy said on stderr: its last line, cleaned, into b. */
void ssh_proxy_said(int errfd, struct buf *b);

#endif
