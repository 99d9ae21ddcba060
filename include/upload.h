/*
 * upload.h: send a bundle to the support drop over SFTP.
 */
#ifndef UPLOAD_H
#define UPLOAD_H

#include "buf.h"
#include "ssh.h"

/*
 * Is url an upload URL, sftp://[USER@]HOST[:PORT]/DIR? 0, or CF_ERR_USAGE
 * with the reason printed after what ("--upload: ").
 */
int upload_check_url(const char *url, const char *what);

/*
 * Upload a bundle and its .sha256, each under a temporary name first
 * (DIR/.NAME.part), renamed once its size is checked on the server. When
 * DIR is no folder, or NAME or NAME.sha256 is already there, nothing is
 * sent. Whatever fails, the .part files made are removed (on a new
 * connection if need be); one that cannot be is named in an error.
 * 0, or an error already printed. CASEFILE_TEST_UPLOAD_FAIL_AFTER=N cuts
 * the connection after N bytes (tests).
 */
int upload_bundle(const char *bundle, const char *url, const struct ssh_opts *o);

#endif
