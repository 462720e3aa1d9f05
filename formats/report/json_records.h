/*
 * json_records.h - the records of the JSON report contract
 * (docs/report.schema.json) that are written once per flow and once per
 * anomaly, through the streaming writer (json_writer.h): the flow object
 * (json's flows[], jsonl's "flow" lines) and jsonl's "anomaly" line.
 *
 * They carry the same fields in the same order as the jansson builders in
 * report_json.c (report_json.h), which remain the reference:
 * tests/test_json_writer.c checks, on every capture of testdata/ and the
 * corpus, that the two give the same text. A field added to one is added to
 * the other, on the same line of its list.
 */
#ifndef TCPLINT_REPORT_JSON_RECORDS_H
#define TCPLINT_REPORT_JSON_RECORDS_H

#include "formats/report/json_writer.h"
#include "formats/report/report.h"

/* The flow object, with "type": type first when type is not NULL, as one
 * complete value in w (which the caller has reset with its layout).
 * Returns json_writer_finish(w): 0, or -1 when out of memory. */
int json_records_flow(struct json_writer *w, const struct report_ctx *rc,
		      const struct flow_record *f,
		      const struct report_flow_info *info, const char *type);

/* {"type":"anomaly","flow":ID,"input":N,"anomaly":{...}}: anomaly a of
 * flow f. Returns as json_records_flow(). */
int json_records_anomaly_line(struct json_writer *w,
			      const struct flow_record *f,
			      const struct anomaly *a);

#endif
