/* cli.h — the subcommands of the `tracuu` program, one function each, defined beside their module.
 * Each takes the arguments after the subcommand name (argv[0] is the subcommand) and returns the exit status. */
#ifndef TC_CLI_H
#define TC_CLI_H

int tc_cmd_analyze(int argc, char **argv);
int tc_cmd_index(int argc, char **argv);
int tc_cmd_delete(int argc, char **argv);
int tc_cmd_stats(int argc, char **argv);
int tc_cmd_compact(int argc, char **argv);
int tc_cmd_search(int argc, char **argv);
int tc_cmd_serve(int argc, char **argv);

/* A numeric option's value, whole and from min to max, into *out; otherwise says so on stderr
 * ("tracuu COMMAND: OPTION must be a number from MIN to MAX, not 'VALUE'") and returns -1. */
int tc_cli_number(const char *command, const char *option, const char *value, unsigned long min,
                  unsigned long max, unsigned *out);

#endif
