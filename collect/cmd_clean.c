/*
 * cmd_clean.c: "casefile clean PATH", an obfuscated copy of a bundle.
 */
#include <stdio.h>
#include <string.h>
#include "casefile.h"
#include "clean.h"
#include "commands.h"
#include "options.h"

static struct clean_opts co;

static const struct option_def clean_options[] = {
	OPT_STRING('o', "output", &co.outdir, "DIR", "where the cleaned copy goes (default: beside "
		   "the input)"),
	OPT_STRING(0, "map", &co.map, "FILE", "the map of tokens to reuse and update (default:\n"
		   "OUT/NAME-clean.map.json)"),
	OPT_BOOL('q', "quiet", &co.quiet, "print only the cleaned bundle's path"),
	OPT_END_OF_TABLE
};

static const struct options clean_spec = {
	"usage: casefile clean PATH [-o DIR] [--map FILE]",
	"Write an obfuscated copy of a bundle (casefile, sosreport or supportconfig,\n"
	"packed or unpacked), like sos clean: host and domain names, IPv4 and IPv6\n"
	"addresses, MAC addresses, user names and serial numbers become stable\n"
	"tokens (host0, 10.254.0.1, 00:00:00:00:00:01, user0, serial0) in every\n"
	"file. The input is never changed. The map from tokens to real values is\n"
	"written beside the copy, mode 0600, never into it: keep it.",
	clean_options,
	"Exit status: 0 cleaned, 2 usage error, 3 the input could not be read or\n"
	"the copy not written.",
};

int cmd_clean(int argc, char **argv)
{
	struct clean_result res;
	int next, status;

	memset(&co, 0, sizeof(co));
	status = options_parse(&clean_spec, argc, argv, &next);
	if (status)
		return status == OPTIONS_HELP ? CF_EXIT_OK : CF_EXIT_USAGE;
	cf_set_quiet(co.quiet);
	if (argc - next != 1) {
		error("clean needs one bundle, sosreport or supportconfig");
		fprintf(stderr, "%s\n", clean_spec.usage);
		return CF_EXIT_USAGE;
	}
	if (clean_bundle(argv[next], &co, &res))
		return CF_EXIT_INPUT;
	if (co.quiet) {
		/* only the path; what was left out is still said (binary: clean.c) */
		printf("%s\n", res.bundle_path);
		fflush(stdout);
		if (res.dropped_other)
			warning("%u link%s, special file%s or unsafe path%s left out of %s",
				res.dropped_other, res.dropped_other == 1 ? "" : "s",
				res.dropped_other == 1 ? "" : "s", res.dropped_other == 1 ? "" : "s",
				res.bundle_path);
	} else {
		printf("cleaned:   %s\n", res.bundle_path);
		printf("           %u members, %u links, %ld values replaced", res.members,
		       res.links, res.replacements);
		if (res.dropped_binary || res.dropped_other)
			printf("; left out: %u binary, %u other (links out, special files, unsafe names)",
			       res.dropped_binary, res.dropped_other);
		printf("\nmap:       %s (mode 0600)\n", res.map_path);
		printf("           keep the map here: it turns the tokens back into this host's "
		       "names.\n           Send only the cleaned bundle and its .sha256.\n");
	}
	clean_result_release(&res);
	return 0;
}
