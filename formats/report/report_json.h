/*
 * report_json.h - the jansson builders of report_json.c's per-flow and
 * per-anomaly records. The reports write these records through the
 * streaming writer (json_records.h); these trees are the reference it is
 * tested against (tests/test_json_writer.c, tests/fuzz/fuzz_json_writer.c):
 * json_dumps() of a tree with JSON_COMPACT | JSON_REAL_PRECISION(16) (or
 * JSON_INDENT(2) for --format json on a terminal) is the text the writer
 * must produce.
 */
#ifndef TCPLINT_REPORT_REPORT_JSON_H
#define TCPLINT_REPORT_REPORT_JSON_H

#include <jansson.h>

#include "formats/report/report.h"

/* The flow object, "type": type first when type is not NULL (a new
 * reference; NULL when out of memory). */
json_t *report_json_flow_tree(const struct report_ctx *rc,
			      const struct flow_record *f,
			      const struct report_flow_info *info,
			      const char *type);

/* jsonl's {"type":"anomaly","flow":ID,"input":N,"anomaly":{...}}. */
json_t *report_json_anomaly_line_tree(const struct flow_record *f,
				      const struct anomaly *a);

#endif
