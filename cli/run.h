/*
 * run.h - the back half shared by `tcplint analyze` and `tcplint live`:
 * the report output and writer, --baseline, --expect, --fail-on, the ladder
 * view, and the analyzer sink that feeds them.
 *
 *     struct tl_run run;
 *     if (run_open(&run, &opts, names, n, errbuf, sizeof errbuf)) -> exit 2
 *     struct analyzer_sink sink = run_sink(&run);
 *     ... analyzer_new(&opts.az, &sink, ...), feed packets ...
 *     run_input_done(&run, &input_record);   per input, after analyzer_finish
 *     code = run_close(&run, &end_extras);    writes the summary, returns
 *                                              the exit code
 *
 * Flows reach the writer through the sink as they finish: known anomalies
 * are removed (--baseline), the rest are matched against --fail-on, the
 * flow is checked against --expect, and the writer gets the flow with its
 * broken expectations. Live capture also gets anomalies one by one
 * (sink.anomaly) when the format streams them.
 */
#ifndef TCPLINT_CLI_RUN_H
#define TCPLINT_CLI_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "analyzer/analyzer.h"
#include "cli/baseline.h"
#include "cli/expect.h"
#include "cli/options.h"
#include "cli/output.h"
#include "formats/report/ladder.h"
#include "formats/report/report.h"

#define RUN_MAX_FAILURES 64 /* broken expectations kept per flow / at the end */

/* A report beside the main one (--json-output FILE ...). */
struct tl_run_extra {
	struct tl_output out;
	struct report_ctx *rc; /* owned */
};

struct tl_run {
	const struct tl_options *opt; /* borrowed */
	struct tl_output out;
	struct report_ctx *rc; /* owned */
	struct tl_run_extra extra[OPTIONS_MAX_EXTRA];
	uint32_t nextra;
	struct expect *expect;     /* owned, NULL without --expect */
	struct baseline *baseline; /* owned, NULL without --baseline */
	struct ladder_set *ladder; /* owned, NULL unless --flow/--ladder */
	struct ladder_opts ladder_opts;
	bool ladder_pass;     /* second pass: collecting segments */
	bool packets_to_main; /* the main report reads the second pass */
	bool packets_to_extra[OPTIONS_MAX_EXTRA];
	uint64_t findings;        /* anomalies matching --fail-on */
	uint64_t expect_failures; /* broken, flows and global */
	uint64_t expect_checks;
	uint64_t suppressed; /* anomalies known to the baseline */
	uint64_t flows;
	bool input_error;           /* an input could not be (fully) read */
	struct flow_record scratch; /* the flow being filtered */
	struct expect_failure fails[RUN_MAX_FAILURES];
	char fail_on_text[512];
};

/* Open the output and the writer, load --expect and --baseline. Returns 0,
 * or -1 with a one-line problem in errbuf (exit 2). */
int run_open(struct tl_run *r, const struct tl_options *opt,
	     const char *const *input_names, uint32_t ninputs, char *errbuf,
	     size_t errlen);

/* The analyzer sink (ctx = r). */
struct analyzer_sink run_sink(struct tl_run *r);

/* After the first pass over every input: whether to read them again, for
 * the ladder (--flow/--ladder: the first pass only selected the flows to
 * draw) or for a report that draws segments (html). */
bool run_second_pass(struct tl_run *r);
/* Second pass: offer one decoded TCP segment to the ladder and to the
 * reports that asked for it. */
void run_ladder_packet(struct tl_run *r, uint32_t input,
		       const struct pkt_view *pkt, uint64_t frame,
		       int64_t ts_ns);

/* errno of the first failed report write (EPIPE: the reader of a pipe is
 * gone; ENOSPC: the disk is full), 0 while writes succeed. A live capture
 * stops on it: nothing it would report could be written any more. */
int run_output_error(const struct tl_run *r);

/* One input is done (after analyzer_finish for a file). */
void run_input_done(struct tl_run *r, const struct input_record *in);

/*
 * Write the end of the report (with the facts in *extra: evictions, capture
 * counters; may be NULL), commit the output, free everything, and return
 * the exit code: 2 after an input or output error, 1 when findings matched
 * --fail-on or an expectation broke, else 0. Problems are printed on stderr
 * (one line); a closed pipe is quiet. When the run failed (--flow ID not
 * found) nothing is committed: an -o file keeps its old contents.
 */
int run_close(struct tl_run *r, const struct report_end_info *extra);

/* Give up (usage error after run_open): remove a temporary output file. */
void run_abort(struct tl_run *r);

#endif
