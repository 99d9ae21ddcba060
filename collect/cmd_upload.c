/*
 * cmd_upload.c: "casefile upload BUNDLE URL", to the support drop over SFTP.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "casefile.h"
#include "commands.h"
#include "options.h"
#include "secrets.h"
#include "upload.h"

static struct ssh_opts uo;
static int64_t connect_timeout;
static int ask_password, quiet;

static const struct option_def upload_options[] = {
	OPT_STRING('i', "identity", &uo.identity, "KEYFILE",
		   "private key (passphrase asked, or CASEFILE_SSH_PASSPHRASE)"),
	OPT_BOOL(0, "ask-password", &ask_password,
		 "ask for a password (or set CASEFILE_SSH_PASSWORD)"),
	OPT_STRING(0, "known-hosts", &uo.known_hosts, "FILE", "default ~/.ssh/known_hosts"),
	OPT_BOOL(0, "accept-new-host-keys", &uo.accept_new,
		 "record the key of a server not yet known"),
	OPT_STRING('F', "ssh-config", &uo.config, "FILE",
		   "OpenSSH configuration (ssh -F), default ~/.ssh/config"),
	OPT_BOOL(0, "no-ssh-config", &uo.no_config,
		 "use [USER@]HOST[:PORT] as given, not through ssh -G"),
	OPT_DURATION(0, "connect-timeout", &connect_timeout, "T",
		     "default ConnectTimeout, else 10s"),
	OPT_BOOL('q', "quiet", &quiet, "say nothing when it worked (errors and warnings still)"),
	OPT_END_OF_TABLE
};

static const struct options upload_spec = {
	"usage: casefile upload BUNDLE sftp://[USER@]HOST[:PORT]/DIR [options]",
	"Upload a bundle and its .sha256 under a temporary name, check the size on\n"
	"the server, then rename it: an interrupted upload never leaves a file that\n"
	"looks complete, and the hidden .NAME.part files of a failed one are removed.\n"
	"A bundle or .sha256 of the same name already on the server is never\n"
	"replaced: nothing is sent.",
	upload_options,
	NULL,
};

int cmd_upload(int argc, char **argv)
{
	char *password = NULL, *passphrase = NULL;
	struct stat st;
	int next, status;

	memset(&uo, 0, sizeof(uo));
	connect_timeout = 0;
	ask_password = 0;
	quiet = 0;
	status = options_parse(&upload_spec, argc, argv, &next);
	if (status)
		return status == OPTIONS_HELP ? CF_EXIT_OK : CF_EXIT_USAGE;
	cf_set_quiet(quiet);
	if (argc - next != 2) {
		error("upload needs a bundle and a URL");
		fprintf(stderr, "%s\n", upload_spec.usage);
		return CF_EXIT_USAGE;
	}
	if (upload_check_url(argv[next + 1], ""))
		return CF_EXIT_USAGE;
	if (stat(argv[next], &st)) {
		error("cannot upload '%s': %s", argv[next], strerror(errno));
		return CF_EXIT_INPUT;
	}
	if (!S_ISREG(st.st_mode)) {
		error("cannot upload '%s': not a regular file", argv[next]);
		return CF_EXIT_INPUT;
	}
	uo.connect_timeout_ms = connect_timeout * 1000;
	if (!uo.no_config && !ssh_have_openssh())
		warning("ssh(1) is not installed: OpenSSH's configuration is not read; "
			"the URL's [USER@]HOST[:PORT] is used as given");
	if (ssh_secrets(&uo, ask_password, &password, &passphrase))
		return CF_EXIT_USAGE;
	status = upload_bundle(argv[next], argv[next + 1], &uo) ? CF_EXIT_FAILED : CF_EXIT_OK;
	secret_free(password);
	secret_free(passphrase);
	return status;
}
