/*
 * cmd_upload.c: "casefile upload BUNDLE URL", to the support drop over SFTP.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "casefile.h"
#include "commands.h"
#include "remote.h"

static const char usage[] =
	"usage: casefile upload BUNDLE sftp://[USER@]HOST[:PORT]/DIR [options]\n"
	"\n"
	"Upload a bundle and its .sha256 under a temporary name, check the size on\n"
	"the server, then rename it: an interrupted upload leaves only a hidden\n"
	".NAME.part file, never one that looks complete.\n"
	"\n"
	"  -i KEYFILE              private key (passphrase asked, or CASEFILE_SSH_PASSPHRASE)\n"
	"  --ask-password          ask for a password (or set CASEFILE_SSH_PASSWORD)\n"
	"  --known-hosts FILE      default ~/.ssh/known_hosts\n"
	"  --accept-new-host-keys  record the key of a server not yet known\n"
	"  --connect-timeout T     default 10s\n";

int cmd_upload(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "identity", required_argument, NULL, 'i' },
		{ "ask-password", no_argument, NULL, 'p' },
		{ "known-hosts", required_argument, NULL, 'k' },
		{ "accept-new-host-keys", no_argument, NULL, 'a' },
		{ "connect-timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct ssh_opts o;
	char *password = NULL, *passphrase = NULL;
	struct stat st;
	int c, ask = 0, status;

	memset(&o, 0, sizeof(o));
	o.connect_timeout_ms = 10000;
	optind = 1;
	while ((c = getopt_long(argc, argv, "i:h", opts, NULL)) != -1) {
		switch (c) {
		case 'i': o.identity = optarg; break;
		case 'p': ask = 1; break;
		case 'k': o.known_hosts = optarg; break;
		case 'a': o.accept_new = 1; break;
		case 't': {
			int64_t v = parse_duration(optarg);

			if (v <= 0) {
				error("--connect-timeout: '%s' is not a duration", optarg);
				return 2;
			}
			o.connect_timeout_ms = v * 1000;
			break;
		}
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (argc - optind != 2) {
		fputs(usage, stderr);
		return 2;
	}
	if (stat(argv[optind], &st) || !S_ISREG(st.st_mode)) {
		error("cannot upload '%s': %s", argv[optind], errno ? strerror(errno) :
		      "not a file");
		return 3;
	}
	if (ssh_secrets(&o, ask, &password, &passphrase))
		return 2;
	status = upload_bundle(argv[optind], argv[optind + 1], &o) ? 1 : 0;
	secret_free(password);
	secret_free(passphrase);
	return status;
}
