/*
 * casefile.c: main() and the table of subcommands (after git.c).
 */
#include <stdio.h>
#include <string.h>
#include "casefile.h"
#include "commands.h"
#include "suggest.h"

struct cmd_entry {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
};

static const struct cmd_entry commands[] = {
	{ "collect", cmd_collect, "collect this host (or hosts over SSH) into a bundle" },
	{ "analyze", cmd_analyze, "root-cause report for a bundle, sosreport or directory" },
	{ "rules", cmd_rules, "list, show, lint and test the rule library" },
	{ "upload", cmd_upload, "upload a bundle to the support drop over SFTP" },
	{ "clean", cmd_clean, "an obfuscated copy of a bundle, like sos clean" },
};

/* "'X' is not a casefile command", with the command it looks like a typo of. */
static void not_a_command(const char *word)
{
	const char *names[ARRAY_SIZE(commands) + 1];
	const char *sug;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		names[i] = commands[i].name;
	names[i] = NULL;
	sug = suggest_closest(word, names);
	if (sug)
		error("'%s' is not a casefile command; did you mean '%s'?", word, sug);
	else
		error("'%s' is not a casefile command", word);
}

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: casefile <command> [options]\n\n");
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\n'casefile <command> --help' tells more; see also casefile(1).\n");
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return CF_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("casefile %s\n", CASEFILE_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "help") && argc > 2) {
		/* "casefile help collect" is "casefile collect --help" */
		char *args[] = { argv[2], "--help", NULL };

		for (i = 0; i < ARRAY_SIZE(commands); i++)
			if (!strcmp(argv[2], commands[i].name))
				return commands[i].fn(2, args);
		not_a_command(argv[2]);
		usage(stderr);
		return CF_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	not_a_command(argv[1]);
	usage(stderr);
	return CF_EXIT_USAGE;
}
