/*
 * upload.h: send a bundle to the support drop over SFTP.
 */
#ifndef UPLOAD_H
#define UPLOAD_H

#include "buf.h"
#include "ssh.h"

/*
 * sftp://[USER@]HOST[:PORT]/DIR into a target and a directory; on
 * CF_ERR_USAGE err says why and nothing needs releasing.
 */
int upload_parse_url(const char *url, struct ssh_target *t, char **dir, struct buf *err);

/*
 * Upload a bundle and its .sha256, each under a temporary name first.
 * 0, or an error already printed. CASEFILE_TEST_UPLOAD_FAIL_AFTER=N cuts
 * the connection after N bytes (tests).
 */
int upload_bundle(const char *bundle, const char *url, const struct ssh_opts *o);

#endif
