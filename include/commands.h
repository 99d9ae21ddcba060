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

/*
 * The words of a collect command line (argv[0] "collect") that casefile
 * run on a host gets too (inplace.h): the options its table marks
 * OPT_F_HOST, with their values. NULL after a usage error, said; an empty
 * list is NULL too, with nothing said.
 */
char **cmd_collect_host_args(int argc, char **argv);

#endif
