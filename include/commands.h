/*
 * commands.h: one entry point per subcommand, dispatched from casefile.c.
 * Each returns the process exit status; only these decide to exit.
 */
#ifndef COMMANDS_H
#define COMMANDS_H

int cmd_collect(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_upload(int argc, char **argv);
int cmd_clean(int argc, char **argv);

#endif
