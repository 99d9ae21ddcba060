/*
 * cmd_analyze.c: placeholder until the analyzer lands.
 */
#include "casefile.h"
#include "commands.h"

int cmd_analyze(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return error("analyze: not built yet"), 2;
}

int cmd_rules(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return error("rules: not built yet"), 2;
}
