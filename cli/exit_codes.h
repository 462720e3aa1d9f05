/*
 * exit_codes.h - the only place tcplint's exit codes are defined.
 *
 * The contract scripts and CI jobs rely on (README, tcplint(1)):
 *   0  the analysis ran and nothing matched --fail-on (or --expect)
 *   1  findings matched --fail-on, or an --expect expectation was broken
 *   2  usage error, or an input could not be read (the other inputs are
 *      still analyzed), or the report could not be written
 * Only cli/ picks an exit code; formats/ and analyzer/ return errors.
 */
#ifndef TCPLINT_CLI_EXIT_CODES_H
#define TCPLINT_CLI_EXIT_CODES_H

enum tl_exit {
	TL_EXIT_OK = 0,
	TL_EXIT_FINDINGS = 1,
	TL_EXIT_USAGE = 2,
	TL_EXIT_INPUT = 2,
};

#endif
