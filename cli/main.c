/*
 * main.c - tcplint's entry point: dispatch to a subcommand (`analyze`,
 * `live`, `probe`, `merge`), or print the help or the version. Each command returns its exit
 * code (cli/exit_codes.h).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>
#include <pcap/pcap.h>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/options.h"
#include "cli/suggest.h"
#include "formats/wire/decompress.h"

int main(int argc, char **argv)
{
	const char *cmd;

	/* A closed pipe (tcplint ... | head) is an EPIPE write error that the
	 * report code handles quietly, not a signal that kills the process. */
	signal(SIGPIPE, SIG_IGN);

	if (argc < 2) {
		options_print_help(-1);
		return TL_EXIT_USAGE;
	}
	cmd = argv[1];
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 ||
	    strcmp(cmd, "help") == 0) {
		if (argc > 2 && strcmp(argv[2], "analyze") == 0)
			options_print_help(TL_CMD_ANALYZE);
		else if (argc > 2 && strcmp(argv[2], "live") == 0)
			options_print_help(TL_CMD_LIVE);
		else
			options_print_help(-1);
		return TL_EXIT_OK;
	}
	if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0 ||
	    strcmp(cmd, "version") == 0) {
		printf("tcplint %s\n%s\njansson %s\nzlib %s\nzstd %s\n",
		       TCPLINT_VERSION, pcap_lib_version(),
		       jansson_version_str(), decompress_zlib_version(),
		       decompress_zstd_version());
		return TL_EXIT_OK;
	}
	if (strcmp(cmd, "analyze") == 0)
		return cmd_analyze(argc - 1, argv + 1);
	if (strcmp(cmd, "live") == 0)
		return cmd_live(argc - 1, argv + 1);
	if (strcmp(cmd, "probe") == 0)
		return cmd_probe(argc - 1, argv + 1);
	if (strcmp(cmd, "merge") == 0)
		return cmd_merge(argc - 1, argv + 1);
	{
		static const char *const commands[] = {
			"analyze", "live", "probe", "merge", "help", "version"};
		char msg[256];

		snprintf(msg, sizeof(msg), "unknown command '%s'", cmd);
		suggest_append(msg, sizeof(msg), "", cmd, commands,
			       sizeof(commands) / sizeof(commands[0]));
		fprintf(stderr,
			"tcplint: %s (try: tcplint analyze FILE, tcplint --help)\n",
			msg);
	}
	return TL_EXIT_USAGE;
}
