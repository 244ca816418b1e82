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

#endif
