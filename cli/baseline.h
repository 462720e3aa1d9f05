/*
 * baseline.h - --baseline REPORT: the findings of an earlier json or jsonl
 * report, so that only new ones are reported. A finding is known when its
 * key (report_finding_key: anomaly type, endpoint at fault, server address
 * and port) appears in the earlier report.
 */
#ifndef TCPLINT_CLI_BASELINE_H
#define TCPLINT_CLI_BASELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "analyzer/records.h"

struct baseline; /* opaque */

/* Load the keys of report `path`. NULL with a one-line problem in errbuf. */
struct baseline *baseline_load(const char *path, char *errbuf, size_t errlen);
void baseline_free(struct baseline *b);
size_t baseline_size(const struct baseline *b);

/* Whether anomaly a of flow f is known. */
bool baseline_known(const struct baseline *b, const struct flow_record *f,
		    const struct anomaly *a);

/*
 * Remove the known anomalies from *f (in place): from anomalies[] and from
 * anomaly_counts[]; when every kept anomaly of a type was known, the
 * unkept ones of that type (counted only) are taken as known too. Returns
 * how many anomalies were removed.
 */
unsigned baseline_filter(const struct baseline *b, struct flow_record *f);

#endif
