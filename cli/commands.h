/*
 * commands.h - tcplint's subcommands, dispatched by main.c.
 *
 * Each command takes the arguments after its name (argv[0] is the command
 * name, as getopt expects) and returns an exit code from exit_codes.h.
 */
#ifndef TCPLINT_CLI_COMMANDS_H
#define TCPLINT_CLI_COMMANDS_H

/* `tcplint analyze [OPTIONS] FILE...` (cli/analyze.c). */
int cmd_analyze(int argc, char **argv);

/* `tcplint live -i IFACE [OPTIONS] [EXPR]` (cli/live.c). */
int cmd_live(int argc, char **argv);

/* `tcplint probe SCENARIO [FILE] HOST PORT [OPTIONS]` (cli/probe.c). */
int cmd_probe(int argc, char **argv);

/* `tcplint merge [OPTIONS] REPORT...` (cli/merge.c). */
int cmd_merge(int argc, char **argv);

#endif
