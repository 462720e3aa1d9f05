/*
 * probe_report.h - the reports of `tcplint probe`: one scenario's verdict,
 * facts and exchange (analyzer/probe/probe.h records) as text for people
 * or as one JSON document.
 */
#ifndef TCPLINT_REPORT_PROBE_REPORT_H
#define TCPLINT_REPORT_PROBE_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "analyzer/probe/endpoint.h"
#include "analyzer/probe/probe.h"
#include "formats/wire/tuple.h"

/* Who was probed, and from where. */
struct probe_target {
	const char *file;   /* replay: the recording, else NULL */
	const char *host;   /* as given */
	struct tuple tuple; /* ours the source, the host's address and
				    PORT the destination */
};

/* Write the verdict, facts, states and exchange as text. Returns 0, or -1
 * when writing failed. */
int probe_report_text(FILE *out, const struct probe_target *t,
		      const struct endpoint *ep, const struct probe_result *r);

/* Write the same as one JSON document (indented when pretty) and a newline.
 * Returns 0, or -1 when it cannot be built (out of memory) or written. */
int probe_report_json(FILE *out, const struct probe_target *t, bool pretty,
		      const struct endpoint *ep, const struct probe_result *r);

#endif
