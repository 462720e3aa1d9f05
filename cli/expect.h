/*
 * expect.h - --expect FILE: a small declarative language of what a capture
 * must show, checked flow by flow; every broken expectation is a finding
 * (exit 1). The language is documented in docs/EXPECT.md:
 *
 *     # every connection closes cleanly, the server first, without RST
 *     close four_way three_way
 *     closer server
 *     no rst
 *     client_state TIME_WAIT CLOSED
 *     max retransmission 3
 *     port 5432: no lingering_close_wait
 *     min flows 1
 */
#ifndef TCPLINT_CLI_EXPECT_H
#define TCPLINT_CLI_EXPECT_H

#include <stddef.h>
#include <stdint.h>

#include "analyzer/records.h"
#include "formats/report/report.h"

struct expect; /* opaque */

/* Parse the file at path. Returns NULL with "FILE:LINE: problem" in errbuf. */
struct expect *expect_load(const char *path, char *errbuf, size_t errlen);
/* Parse text (for tests); name is used in messages. */
struct expect *expect_parse(const char *text, const char *name, char *errbuf,
			    size_t errlen);
void expect_free(struct expect *e);

/* Number of expectations. */
uint32_t expect_count(const struct expect *e);

/*
 * Check flow f against every expectation whose scope it is in. Up to `max`
 * broken ones are written to out[]; returns how many were written. *checks
 * grows by the number of expectations applied. Flow-count expectations
 * ("min flows 1") only count the flow here.
 */
uint32_t expect_check_flow(struct expect *e, const struct flow_record *f,
			   struct expect_failure *out, uint32_t max,
			   uint64_t *checks);

/* After the last flow: the flow-count expectations. Same conventions. */
uint32_t expect_check_end(struct expect *e, struct expect_failure *out,
			  uint32_t max, uint64_t *checks);

#endif
