/*
 * test_report.c - the report writers (text, json, jsonl, sarif, junit) on
 * hand-built flow records, and the ladder view of generated captures
 * compared with golden text in testdata/golden/ (regenerate with
 * TCPLINT_UPDATE_GOLDEN=1 after checking the change by eye; TZ is UTC).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analyzer/analyzer.h"
#include "formats/wire/decode.h"
#include "formats/wire/fixture.h"
#include "formats/report/ladder.h"
#include "formats/report/report.h"

#define T0_NS 1700000000123456789LL

static const char *const names[] = {"cap.pcap", "second.pcap"};

/* A flow that closed with the four-way close, client first, with a
 * retransmission (warning) and a missing ACK (error). */
static void make_flow(struct flow_record *f, uint64_t id)
{
	memset(f, 0, sizeof(*f));
	f->id = id;
	f->first_frame = 1;
	f->last_frame = 12;
	f->start_ns = T0_NS;
	f->end_ns = T0_NS + 1500000000LL;
	f->packets = 12;
	f->handshake = HS_COMPLETE;
	f->close = CLOSE_FOUR_WAY;
	f->active_closer = CLOSER_CLIENT;
	f->tuple = (struct tuple){4, {10, 0, 0, 1}, {10, 0, 0, 2}, 40000, 80};
	f->ep[0].state = TCP_ST_TIME_WAIT;
	f->ep[1].state = TCP_ST_CLOSED;
	f->ep[0].bytes = 100;
	f->ep[1].bytes = 2000;
	f->ep[0].keepalive_probes = 2;
	f->ep[0].keepalive_answered = 1;
	f->ep[1].close_wait_ns = 250000000LL;
	f->ep[0].nstates = 2;
	f->ep[0].states[0] = (struct state_change){1, T0_NS, TCP_ST_SYN_SENT};
	f->ep[0].states[1] =
		(struct state_change){2, T0_NS + 1000, TCP_ST_ESTABLISHED};
	f->nanomalies = 2;
	f->anomalies[0] = (struct anomaly){.frame = 9,
					   .ts_ns = T0_NS + 900000000LL,
					   .type = ANOM_RETRANSMISSION,
					   .severity = SEV_WARNING,
					   .endpoint = ROLE_CLIENT,
					   .confidence = CONF_HIGH,
					   .count = 1};
	f->anomalies[1] = (struct anomaly){.frame = 12,
					   .ts_ns = T0_NS + 1400000000LL,
					   .ref_frame = 10,
					   .type = ANOM_MISSING_ACK,
					   .severity = SEV_ERROR,
					   .endpoint = ROLE_SERVER,
					   .confidence = CONF_MEDIUM};
	f->anomaly_counts[ANOM_RETRANSMISSION] = 1;
	f->anomaly_counts[ANOM_MISSING_ACK] = 1;
	f->capture_point = CAPTURE_NEAR_SERVER;
	f->artefacts = 1u << ARTEFACT_SNAPLEN_CUT;
}

static void make_clean_flow(struct flow_record *f, uint64_t id)
{
	make_flow(f, id);
	f->nanomalies = 0;
	memset(f->anomaly_counts, 0, sizeof(f->anomaly_counts));
	f->tuple.sport = (uint16_t)(41000 + id);
}

struct out {
	char *buf;
	size_t len;
	FILE *fp;
};

static struct report_ctx *open_fmt(struct out *o, const char *fmt,
				   const struct report_settings *extra)
{
	struct report_settings set = {0};
	struct report_ctx *rc;

	if (extra)
		set = *extra;
	set.command = "analyze";
	set.version = "9.9.9";
	set.input_names = names;
	set.ninput_names = 1;
	if (!extra)
		set.fail_on.min_severity = SEV_ERROR;
	o->buf = NULL;
	o->fp = open_memstream(&o->buf, &o->len);
	assert_non_null(o->fp);
	assert_non_null(report_find(fmt));
	rc = report_open(report_find(fmt), o->fp, &set);
	assert_non_null(rc);
	assert_int_equal(report_begin(rc), 0);
	return rc;
}

static void finish(struct out *o, struct report_ctx *rc, int exit_code)
{
	struct input_record in = {.file = "cap.pcap",
				  .dlt = 1,
				  .packets = 14,
				  .tcp_packets = 12,
				  .decode_errors = 1};
	struct report_end_info end = {.fail_on = "error",
				      .exit_code = exit_code};

	in.kinds[DK_ARP] = 1;
	in.kinds[DK_TRUNC_TCP] = 1;
	assert_int_equal(report_input(rc, &in), 0);
	assert_int_equal(report_end(rc, &end), 0);
	assert_int_equal(report_io_errno(rc), 0);
	report_close(rc);
	fclose(o->fp);
}

static void test_registry(void **state)
{
	(void)state;
	const char *want[] = {"text", "json", "jsonl", "sarif", "junit"};

	for (size_t i = 0; i < 5; i++) {
		assert_non_null(report_find(want[i]));
		assert_string_equal(report_find(want[i])->name, want[i]);
	}
	assert_null(report_find("xml"));
	assert_null(report_find(""));
}

static void test_fail_on(void **state)
{
	(void)state;
	struct report_fail_on f = {0, SEV_WARNING};
	struct anomaly a = {.type = ANOM_DUPLICATE_ACK, .severity = SEV_INFO};
	char buf[128];

	assert_false(report_fail_on_match(&f, &a));
	a.severity = SEV_WARNING;
	assert_true(report_fail_on_match(&f, &a));
	a.severity = SEV_ERROR;
	assert_true(report_fail_on_match(&f, &a));
	f.min_severity = -1;
	assert_false(report_fail_on_match(&f, &a));
	f.types = 1ULL << ANOM_DUPLICATE_ACK;
	a.severity = SEV_INFO;
	assert_true(report_fail_on_match(&f, &a));
	report_fail_on_format(&f, buf, sizeof(buf));
	assert_string_equal(buf, "duplicate_ack");
	f.min_severity = SEV_ERROR;
	report_fail_on_format(&f, buf, sizeof(buf));
	assert_string_equal(buf, "error,duplicate_ack");
	f = (struct report_fail_on){0, -1};
	report_fail_on_format(&f, buf, sizeof(buf));
	assert_string_equal(buf, "none");
}

static void test_finding_key(void **state)
{
	(void)state;
	struct flow_record f;
	char key[160];

	make_flow(&f, 3);
	report_finding_key(&f, &f.anomalies[1], key, sizeof(key));
	assert_string_equal(key, "missing_ack|server|10.0.0.2|80");
	f.tuple = (struct tuple){6,
				 {0x20, 0x01, 0x0d, 0xb8, [15] = 2},
				 {0x20, 0x01, 0x0d, 0xb8, [15] = 1},
				 50000,
				 443};
	report_finding_key(&f, &f.anomalies[0], key, sizeof(key));
	assert_string_equal(key, "retransmission|client|2001:db8::1|443");
}

static void test_text_report(void **state)
{
	(void)state;
	struct out o;
	struct report_ctx *rc = open_fmt(&o, "text", NULL);
	struct flow_record f;
	struct expect_failure ef = {4, "closer server",
				    "active closer is client, expected server"};
	struct report_flow_info info = {
		.failed = true, .matched = 1, .failures = &ef, .nfailures = 1};

	make_flow(&f, 7);
	assert_int_equal(report_flow(rc, &f, &info), 0);
	finish(&o, rc, 1);
	assert_non_null(strstr(
		o.buf,
		"flow 7   10.0.0.1:40000        > 10.0.0.2:80            handshake=complete     close=four_way    closer=client  client=TIME_WAIT   server=CLOSED       frames 1-12        12 pkts   1.500s  2 anomalies: missing_ack, retransmission"));
	assert_non_null(
		strstr(o.buf, "    frame 9      warning retransmission: "));
	assert_non_null(
		strstr(o.buf, "    frame 12     error   missing_ack: "));
	assert_non_null(strstr(o.buf, "(confidence medium)"));
	assert_non_null(strstr(
		o.buf,
		"expect line 4: closer server: active closer is client, expected server"));
	assert_non_null(strstr(
		o.buf,
		"cap.pcap: EN10MB, 14 packets, 12 TCP; not TCP: arp 1; decode errors: 1 (truncated TCP header 1)"));
	assert_non_null(strstr(o.buf, "  close        four_way 1\n"));
	assert_non_null(strstr(o.buf, "missing_ack 1 (error)"));
	assert_non_null(strstr(o.buf, "  top flows    flow 7 (2)\n"));
	assert_non_null(
		strstr(o.buf, "findings     1 matched --fail-on error"));
	assert_null(strstr(o.buf, "\033[")); /* no colour unless asked */
	free(o.buf);
}

static void test_text_filters(void **state)
{
	(void)state;
	struct report_settings set = {.only_anomalies = true};
	struct out o;
	struct report_ctx *rc = open_fmt(&o, "text", &set);
	struct flow_record f;

	make_clean_flow(&f, 1);
	report_flow(rc, &f, NULL);
	make_flow(&f, 0);
	report_flow(rc, &f, NULL);
	finish(&o, rc, 0);
	assert_null(strstr(o.buf, "flow 1 "));
	assert_non_null(strstr(o.buf, "flow 0 "));
	assert_non_null(
		strstr(o.buf, "flows        2 (1 with anomalies, 1 listed)"));
	free(o.buf);

	/* --top 1: only the flow with the most anomalies. */
	set = (struct report_settings){.top = 1, .color = true};
	rc = open_fmt(&o, "text", &set);
	make_flow(&f, 4);
	f.nanomalies = 1;
	f.anomaly_counts[ANOM_MISSING_ACK] = 0;
	report_flow(rc, &f, NULL);
	make_flow(&f, 5);
	report_flow(rc, &f, NULL);
	make_clean_flow(&f, 6);
	report_flow(rc, &f, NULL);
	finish(&o, rc, 0);
	assert_non_null(strstr(o.buf, "flow 5\033[0m "));
	assert_null(strstr(o.buf, "flow 4\033[0m "));
	assert_null(strstr(o.buf, "flow 6\033[0m "));
	assert_non_null(strstr(o.buf, "\033[31m")); /* colour on */
	free(o.buf);
}

/* --top keeps only the lines of the flows then in the top table: of 600
 * flows the three with most anomalies (ties: the lower id), in id order. */
static void test_text_top_of_many(void **state)
{
	struct report_settings set = {.top = 3};
	struct out o;
	struct report_ctx *rc;
	struct flow_record f;

	(void)state;
	rc = open_fmt(&o, "text", &set);
	for (uint64_t id = 600; id-- > 0;) {
		make_clean_flow(&f, id);
		f.anomaly_counts[ANOM_MISSING_ACK] = (uint32_t)(id % 17);
		report_flow(rc, &f, NULL);
	}
	finish(&o, rc, 0);
	assert_non_null(strstr(o.buf, "\nflow 50 "));
	assert_non_null(strstr(o.buf, "\nflow 33 "));
	assert_true(strncmp(o.buf, "flow 16 ", 8) == 0);
	assert_true(strstr(o.buf, "flow 16 ") < strstr(o.buf, "flow 33 "));
	assert_true(strstr(o.buf, "flow 33 ") < strstr(o.buf, "flow 50 "));
	assert_null(strstr(o.buf, "flow 67 "));
	assert_null(strstr(o.buf, "flow 15 "));
	assert_non_null(strstr(
		o.buf, "flows        600 (564 with anomalies, 3 listed)"));
	assert_non_null(strstr(
		o.buf,
		"  top flows    flow 16 (16), flow 33 (16), flow 50 (16)\n"));
	free(o.buf);
}

static void test_json_document(void **state)
{
	(void)state;
	struct out o;
	struct report_ctx *rc = open_fmt(&o, "json", NULL);
	struct flow_record f;
	json_error_t err;
	json_t *doc, *fl, *a;

	make_flow(&f, 5);
	report_flow(rc, &f, NULL);
	make_clean_flow(&f, 2);
	report_flow(rc, &f, NULL);
	finish(&o, rc, 0);
	doc = json_loads(o.buf, 0, &err);
	assert_non_null(doc);
	assert_int_equal(
		json_integer_value(json_object_get(doc, "schema_version")), 1);
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(doc, "tool"), "name")),
			    "tcplint");
	assert_int_equal(json_integer_value(json_object_get(
				 json_object_get(doc, "summary"), "flows")),
			 2);
	assert_int_equal(
		json_integer_value(json_object_get(
			json_object_get(json_object_get(doc, "summary"),
					"anomalies"),
			"missing_ack")),
		1);
	fl = json_object_get(doc, "flows");
	assert_int_equal(json_array_size(fl), 2);
	/* sorted by id */
	assert_int_equal(json_integer_value(
				 json_object_get(json_array_get(fl, 0), "id")),
			 2);
	a = json_array_get(fl, 1);
	assert_int_equal(json_integer_value(json_object_get(a, "id")), 5);
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(a, "client"), "ip")),
			    "10.0.0.1");
	assert_int_equal(json_integer_value(json_object_get(
				 json_object_get(a, "server"), "port")),
			 80);
	assert_string_equal(json_string_value(json_object_get(a, "close")),
			    "four_way");
	assert_string_equal(
		json_string_value(json_object_get(a, "client_state")),
		"TIME_WAIT");
	/* microsecond precision: 1700000000.123456789 -> .123457 */
	assert_true(json_real_value(json_object_get(a, "start")) >
		    1700000000.1234565);
	assert_true(json_real_value(json_object_get(a, "start")) <
		    1700000000.1234575);
	assert_non_null(strstr(o.buf, "1700000000.123457"));
	assert_int_equal(json_integer_value(json_object_get(
				 json_object_get(a, "keepalive"), "probes")),
			 2);
	assert_int_equal(json_integer_value(json_object_get(
				 json_object_get(a, "keepalive"), "answered")),
			 1);
	assert_non_null(
		json_object_get(json_object_get(a, "timers"), "client"));
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(a, "capture"), "point")),
			    "near_server");
	assert_int_equal(json_array_size(json_object_get(
				 json_object_get(a, "capture"), "artefacts")),
			 1);
	assert_string_equal(
		json_string_value(json_array_get(
			json_object_get(json_object_get(a, "capture"),
					"artefacts"),
			0)),
		"snaplen_cut");
	assert_true(json_real_value(json_object_get(
			    json_object_get(json_object_get(a, "time_in"),
					    "server"),
			    "close_wait")) == 0.25);
	/* a zeroed cause is the type's first: never_acked, "data" */
	assert_non_null(strstr(
		o.buf, "\"type\":\"retransmission\",\"cause\":\"data\","));
	assert_non_null(strstr(
		o.buf, "\"type\":\"missing_ack\",\"cause\":\"never_acked\","));
	a = json_array_get(json_object_get(a, "anomalies"), 1);
	assert_string_equal(json_string_value(json_object_get(a, "type")),
			    "missing_ack");
	assert_string_equal(json_string_value(json_object_get(a, "cause")),
			    "never_acked");
	assert_string_equal(json_string_value(json_object_get(a, "severity")),
			    "error");
	assert_string_equal(json_string_value(json_object_get(a, "confidence")),
			    "medium");
	assert_string_equal(json_string_value(json_object_get(a, "endpoint")),
			    "server");
	assert_int_equal(json_integer_value(json_object_get(a, "frame")), 12);
	assert_int_equal(json_integer_value(json_object_get(a, "ref_frame")),
			 10);
	assert_true(json_is_string(json_object_get(a, "message")));
	/* not a terminal: compact, one line */
	assert_ptr_equal(strchr(o.buf, '\n'), o.buf + strlen(o.buf) - 1);
	/* an input without tunnels has no "tunnels" member */
	a = json_array_get(json_object_get(doc, "inputs"), 0);
	assert_int_equal(json_integer_value(json_object_get(
				 json_object_get(a, "not_tcp"), "arp")),
			 1);
	assert_null(json_object_get(a, "tunnels"));
	json_decref(doc);
	free(o.buf);
}

/* The schema lists exactly the tunnel names the decoder has, in order. */
static void test_schema_tunnel_names(void **state)
{
	json_error_t err;
	json_t *schema = json_load_file(
		TCPLINT_SOURCE_DIR "/docs/report.schema.json", 0, &err);
	json_t *kinds;

	(void)state;
	if (!schema)
		fail_msg("report.schema.json: %s", err.text);
	kinds = json_object_get(
		json_object_get(
			json_object_get(
				json_object_get(
					json_object_get(json_object_get(schema,
									"$defs"),
							"input"),
					"properties"),
				"tunnels"),
			"propertyNames"),
		"enum");
	assert_int_equal(json_array_size(kinds), DECODE_TUNNEL_COUNT);
	for (int t = 0; t < DECODE_TUNNEL_COUNT; t++)
		assert_string_equal(
			json_string_value(json_array_get(kinds, (size_t)t)),
			decode_tunnel_name(t));
	json_decref(schema);
}

/* An input with tunnelled records: "tunnels" counts them by kind, in JSON
 * and in the text report's inputs line. */
static void test_inputs_tunnels(void **state)
{
	struct input_record in = {
		.file = "tun.pcap", .dlt = 1, .packets = 9, .tcp_packets = 8};
	const char *fmts[] = {"json", "text"};

	(void)state;
	in.tunnels[TUN_GRE] = 7;
	in.tunnels[TUN_VXLAN] = 2;
	in.kinds[DK_TUNNEL_OTHER] = 1;
	for (size_t i = 0; i < 2; i++) {
		struct report_end_info end = {.fail_on = "none"};
		struct out o;
		struct report_ctx *rc = open_fmt(&o, fmts[i], NULL);

		assert_int_equal(report_input(rc, &in), 0);
		assert_int_equal(report_end(rc, &end), 0);
		report_close(rc);
		fclose(o.fp);
		if (i == 0) {
			json_error_t err;
			json_t *doc = json_loads(o.buf, 0, &err), *tu;

			assert_non_null(doc);
			tu = json_object_get(
				json_array_get(json_object_get(doc, "inputs"),
					       0),
				"tunnels");
			assert_int_equal(json_object_size(tu), 2);
			assert_int_equal(
				json_integer_value(json_object_get(tu, "gre")),
				7);
			assert_int_equal(json_integer_value(
						 json_object_get(tu, "vxlan")),
					 2);
			json_decref(doc);
		} else {
			assert_non_null(strstr(
				o.buf,
				"tun.pcap: EN10MB, 9 packets, 8 TCP; in tunnels: gre 7, vxlan 2; not TCP: other tunnel message 1; decode errors: 0\n"));
		}
		free(o.buf);
	}
}

static void test_jsonl_lines(void **state)
{
	(void)state;
	struct report_settings set = {.streaming = true};
	struct out o;
	struct report_ctx *rc = open_fmt(&o, "jsonl", &set);
	struct flow_record f;
	char *line, *save = NULL;
	int n = 0;
	const char *types[3] = {"anomaly", "flow", "summary"};

	make_flow(&f, 1);
	report_anomaly(rc, &f, &f.anomalies[1]);
	report_flow(rc, &f, NULL);
	finish(&o, rc, 0);
	for (line = strtok_r(o.buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		json_error_t err;
		json_t *j = json_loads(line, 0, &err);

		assert_non_null(j);
		assert_true(n < 3);
		assert_string_equal(
			json_string_value(json_object_get(j, "type")),
			types[n]);
		if (n == 0) {
			assert_int_equal(
				json_integer_value(json_object_get(j, "flow")),
				1);
			assert_string_equal(
				json_string_value(json_object_get(
					json_object_get(j, "anomaly"), "type")),
				"missing_ack");
			assert_string_equal(
				json_string_value(json_object_get(
					json_object_get(j, "anomaly"),
					"cause")),
				"never_acked");
		}
		if (n == 2) {
			assert_int_equal(
				json_integer_value(json_object_get(j, "flows")),
				1);
			assert_int_equal(json_integer_value(json_object_get(
						 j, "schema_version")),
					 1);
		}
		json_decref(j);
		n++;
	}
	assert_int_equal(n, 3);
	free(o.buf);
}

/* Live text: each anomaly once, as it is found; the flow's line that
 * follows counts them but does not list them again. */
static void test_live_text_anomaly_once(void **state)
{
	struct report_settings set = {.streaming = true};
	struct out o;
	struct report_ctx *rc;
	struct flow_record f;
	const char *p;
	int n = 0;

	(void)state;
	rc = open_fmt(&o, "text", &set);
	make_flow(&f, 1);
	for (uint16_t i = 0; i < f.nanomalies; i++)
		report_anomaly(rc, &f, &f.anomalies[i]);
	report_flow(rc, &f, NULL);
	finish(&o, rc, 0);
	for (p = o.buf; (p = strstr(p, "missing_ack: ")) != NULL; p++)
		n++;
	assert_int_equal(n, 1);
	assert_non_null(strstr(o.buf, "anomaly flow 1 "));
	assert_non_null(strstr(o.buf, "anomalies: missing_ack"));
	free(o.buf);
}

static void test_sarif(void **state)
{
	(void)state;
	struct out o;
	struct report_ctx *rc = open_fmt(&o, "sarif", NULL);
	struct flow_record f;
	json_error_t err;
	json_t *doc, *run, *rules, *res;
	size_t i;
	json_t *r;

	make_flow(&f, 3);
	report_flow(rc, &f, NULL);
	finish(&o, rc, 1);
	doc = json_loads(o.buf, 0, &err);
	if (!doc)
		fail_msg("SARIF is not JSON: %s (line %d)", err.text, err.line);
	assert_string_equal(json_string_value(json_object_get(doc, "version")),
			    "2.1.0");
	run = json_array_get(json_object_get(doc, "runs"), 0);
	rules = json_object_get(json_object_get(json_object_get(run, "tool"),
						"driver"),
				"rules");
	assert_int_equal(json_array_size(rules), ANOMALY_TYPE_COUNT + 1);
	res = json_object_get(run, "results");
	assert_int_equal(json_array_size(res), 2);
	json_array_foreach(res, i, r)
	{
		json_int_t idx =
			json_integer_value(json_object_get(r, "ruleIndex"));
		json_t *loc = json_object_get(
			json_array_get(json_object_get(r, "locations"), 0),
			"physicalLocation");

		assert_string_equal(
			json_string_value(json_object_get(
				json_array_get(rules, (size_t)idx), "id")),
			json_string_value(json_object_get(r, "ruleId")));
		assert_string_equal(
			json_string_value(json_object_get(
				json_object_get(loc, "artifactLocation"),
				"uri")),
			"cap.pcap");
		assert_int_equal(
			json_integer_value(json_object_get(
				json_object_get(loc, "region"), "startLine")),
			i == 0 ? 9 : 12);
		assert_string_equal(
			json_string_value(json_object_get(
				json_object_get(r, "properties"), "cause")),
			i == 0 ? "data" : "never_acked");
	}
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(res, 1), "level")),
			    "error");
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(res, 0), "level")),
			    "warning");
	json_decref(doc);
	free(o.buf);
}

static void count_key(void *ctx, const char *key)
{
	(void)key;
	(*(long *)ctx)++;
}

/* Write flow 3 (two anomalies) as FMT into a temporary file and read it
 * back as a --baseline: the keys, or -1 and the message in err. */
static long baseline_of(const char *fmt, bool pretty, char *err, size_t errlen)
{
	struct report_settings set = {0};
	struct out o;
	struct report_ctx *rc;
	struct flow_record f;
	char path[] = "/tmp/test_report_baseline.XXXXXX";
	long n, seen = 0;
	int fd;

	set.pretty = pretty;
	set.fail_on.min_severity = SEV_ERROR;
	rc = open_fmt(&o, fmt, &set);
	make_flow(&f, 3);
	report_flow(rc, &f, NULL);
	finish(&o, rc, 1);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, o.buf, o.len), (ssize_t)o.len);
	close(fd);
	err[0] = '\0';
	n = report_json_read_keys(path, count_key, &seen, err, errlen);
	unlink(path);
	free(o.buf);
	if (n >= 0)
		assert_int_equal(n, seen);
	return n;
}

/* --baseline reads json and jsonl reports; a SARIF log (valid JSON, one
 * line or indented) is refused with a message that says what it is not,
 * not with the JSON Lines syntax error of its second line. */
static void test_baseline_read(void **state)
{
	static const char want[] =
		"not a tcplint json or jsonl report (SARIF cannot serve as a baseline)";
	char err[512];

	(void)state;
	assert_int_equal(baseline_of("json", false, err, sizeof(err)), 2);
	assert_int_equal(baseline_of("json", true, err, sizeof(err)), 2);
	assert_int_equal(baseline_of("jsonl", false, err, sizeof(err)), 2);
	assert_int_equal(baseline_of("sarif", true, err, sizeof(err)), -1);
	assert_non_null(strstr(err, want));
	assert_null(strstr(err, ": line "));
	assert_int_equal(baseline_of("sarif", false, err, sizeof(err)), -1);
	assert_non_null(strstr(err, want));
}

static void test_junit(void **state)
{
	(void)state;
	struct out o;
	struct report_ctx *rc = open_fmt(&o, "junit", NULL); /* fail-on error */
	struct flow_record f;

	make_flow(&f, 0);
	report_flow(rc, &f,
		    &(struct report_flow_info){.failed = true, .matched = 1});
	make_clean_flow(&f, 1);
	report_flow(rc, &f, NULL);
	finish(&o, rc, 1);
	assert_non_null(strstr(
		o.buf,
		"<testsuites name=\"tcplint\" tests=\"2\" failures=\"1\" errors=\"0\">"));
	/* named by the server and an ordinal: the client port is a property */
	assert_non_null(strstr(
		o.buf,
		"<testcase name=\"10.0.0.2:80 #1\" classname=\"tcplint.cap.pcap\" time=\"1.500000\">\n"
		"      <properties>\n"
		"        <property name=\"flow_id\" value=\"0\"/>\n"
		"        <property name=\"client\" value=\"10.0.0.1:40000\"/>\n"
		"      </properties>\n"));
	assert_non_null(strstr(
		o.buf,
		"<failure message=\"1 finding: handshake complete, close four_way\" type=\"missing_ack\">frame 12 error missing_ack"));
	/* the warning does not match --fail-on error: not in the failure */
	{
		const char *a = strstr(o.buf, "<failure"),
			   *b = strstr(o.buf, "</failure>");
		const char *w = strstr(a, "warning retransmission: ");

		assert_non_null(w); /* listed in system-out ... */
		assert_true(w > b); /* ... but not as a failure */
	}
	assert_non_null(strstr(o.buf, "<testcase name=\"10.0.0.2:80 #2\""));
	assert_non_null(strstr(
		o.buf, "<property name=\"client\" value=\"10.0.0.1:41001\"/>"));
	free(o.buf);
}

/* Two runs of one workload: other ephemeral ports, the same test names. */
static char *junit_names(uint16_t port_base)
{
	struct out o;
	struct report_ctx *rc = open_fmt(&o, "junit", NULL);
	struct flow_record f;
	char *list = calloc(1, 4096);
	const char *p;

	for (uint64_t id = 0; id < 3; id++) {
		make_clean_flow(&f, id);
		f.tuple.sport = (uint16_t)(port_base + id * 7);
		report_flow(rc, &f, NULL);
	}
	finish(&o, rc, 0);
	for (p = o.buf; (p = strstr(p, "<testcase name=\"")) != NULL; p++) {
		size_t len = strcspn(p + 16, "\"");

		strncat(list, p + 16, len);
		strcat(list, ";");
	}
	free(o.buf);
	return list;
}

static void test_junit_names_stable(void **state)
{
	char *a = junit_names(40000), *b = junit_names(51234);

	(void)state;
	assert_string_equal(a, "10.0.0.2:80 #1;10.0.0.2:80 #2;10.0.0.2:80 #3;");
	assert_string_equal(a, b);
	free(a);
	free(b);
}

/* A file name that is not UTF-8 stays well-formed XML. */
static void test_junit_name_not_utf8(void **state)
{
	static const char *const odd[] = {"bad\xff\xc3(<&>)name.pcap"};
	struct report_settings set = {0};
	struct report_end_info end = {.fail_on = "none"};
	struct flow_record f;
	struct report_ctx *rc;
	struct out o;

	(void)state;
	set.command = "analyze";
	set.version = "9.9.9";
	set.input_names = odd;
	set.ninput_names = 1;
	o.buf = NULL;
	o.fp = open_memstream(&o.buf, &o.len);
	rc = report_open(report_find("junit"), o.fp, &set);
	assert_non_null(rc);
	assert_int_equal(report_begin(rc), 0);
	make_clean_flow(&f, 0);
	report_flow(rc, &f, NULL);
	assert_int_equal(report_end(rc, &end), 0);
	report_close(rc);
	fclose(o.fp);
	assert_non_null(strstr(o.buf, "classname=\"tcplint.bad?"
				      "?(&lt;&amp;&gt;)name.pcap\""));
	assert_null(strchr(o.buf, '\xff'));
	assert_null(strchr(o.buf, '\xc3'));
	free(o.buf);
}

/* File names and error messages come from outside and need not be UTF-8:
 * every JSON writer keeps their ASCII bytes and replaces the others with
 * '?', instead of losing the member (jansson refuses invalid UTF-8). */
static void test_json_names_not_utf8(void **state)
{
	static const char *const bad_names[] = {"bad\xffname.pcap"};
	static const char *const fmts[] = {"json", "jsonl", "sarif"};

	(void)state;
	for (size_t k = 0; k < sizeof(fmts) / sizeof(fmts[0]); k++) {
		struct report_settings set = {0};
		struct input_record in = {
			.file = bad_names[0], .dlt = -1, .failed = true};
		struct report_end_info end = {.fail_on = "none",
					      .exit_code = 2};
		struct flow_record f;
		struct report_ctx *rc;
		struct out o;

		set.command = "analyze";
		set.version = "9.9.9";
		set.input_names = bad_names;
		set.ninput_names = 1;
		snprintf(in.error, sizeof(in.error),
			 "bad\xffname.pcap: truncated");
		o.buf = NULL;
		o.fp = open_memstream(&o.buf, &o.len);
		assert_non_null(o.fp);
		rc = report_open(report_find(fmts[k]), o.fp, &set);
		assert_non_null(rc);
		assert_int_equal(report_begin(rc), 0);
		make_flow(&f, 1);
		report_flow(rc, &f, NULL);
		assert_int_equal(report_input(rc, &in), 0);
		assert_int_equal(report_end(rc, &end), 0);
		assert_int_equal(report_io_errno(rc), 0);
		report_close(rc);
		fclose(o.fp);
		if (strcmp(fmts[k], "json") == 0) {
			json_t *doc = json_loads(o.buf, 0, NULL);
			json_t *input = json_array_get(
				json_object_get(doc, "inputs"), 0);

			assert_non_null(doc);
			assert_string_equal(json_string_value(json_object_get(
						    input, "file")),
					    "bad?name.pcap");
			assert_string_equal(json_string_value(json_object_get(
						    input, "error")),
					    "bad?name.pcap: truncated");
			assert_string_equal(
				json_string_value(json_object_get(
					json_array_get(json_object_get(doc,
								       "flows"),
						       0),
					"file")),
				"bad?name.pcap");
			json_decref(doc);
		} else if (strcmp(fmts[k], "sarif") == 0) {
			json_t *doc = json_loads(o.buf, 0, NULL);
			json_t *run =
				json_array_get(json_object_get(doc, "runs"), 0);
			json_t *inv = json_array_get(
				json_object_get(run, "invocations"), 0);
			json_t *note = json_array_get(
				json_object_get(inv,
						"toolExecutionNotifications"),
				0);

			assert_non_null(doc);
			assert_false(json_is_true(
				json_object_get(inv, "executionSuccessful")));
			assert_string_equal(
				json_string_value(json_object_get(
					json_object_get(note, "message"),
					"text")),
				"bad?name.pcap: truncated");
			json_decref(doc);
		} else {
			/* every line is JSON, and the flow line names the file */
			assert_non_null(
				strstr(o.buf, "\"file\":\"bad?name.pcap\""));
		}
		free(o.buf);
	}
}

/* A live capture that dropped packets says so in the summary: a warning
 * next to the counters, in text and in JSON; none without drops. */
static void test_drop_warning(void **state)
{
	static const char *const fmts[] = {"text", "json"};

	(void)state;
	for (size_t k = 0; k < 2; k++) {
		for (int drops = 0; drops < 2; drops++) {
			struct report_end_info end = {.fail_on = "none",
						      .has_capture_stats = true,
						      .ps_recv = 1000,
						      .ps_drop =
							      drops ? 17 : 0};
			struct report_ctx *rc;
			struct out o;

			rc = open_fmt(&o, fmts[k], NULL);
			assert_int_equal(report_end(rc, &end), 0);
			report_close(rc);
			fclose(o.fp);
			if (k == 0) {
				assert_non_null(strstr(
					o.buf,
					drops ? "1000 received, 17 dropped"
					      : "1000 received, 0 dropped"));
				assert_true((strstr(o.buf, "warning") !=
					     NULL) == drops);
			} else {
				json_t *doc = json_loads(o.buf, 0, NULL);
				json_t *cap = json_object_get(
					json_object_get(doc, "summary"),
					"capture");
				const char *w = json_string_value(
					json_object_get(cap, "warning"));

				assert_non_null(cap);
				assert_int_equal(
					json_integer_value(json_object_get(
						cap, "dropped")),
					drops ? 17 : 0);
				if (drops) {
					assert_non_null(w);
					assert_non_null(strstr(
						w,
						"17 packets dropped by the kernel"));
				} else {
					assert_null(w);
				}
				json_decref(doc);
			}
			free(o.buf);
		}
	}
}

static void test_write_error(void **state)
{
	(void)state;
	FILE *full = fopen("/dev/full", "w");
	struct report_settings set = {.input_names = names, .ninput_names = 1};
	struct report_end_info end = {0};
	struct report_ctx *rc;
	struct flow_record f;

	if (!full)
		skip();
	rc = report_open(&report_json_ops, full, &set);
	assert_int_equal(report_begin(rc), 0);
	make_flow(&f, 0);
	report_flow(rc, &f, NULL);
	assert_int_equal(report_end(rc, &end), -1);
	assert_int_equal(report_io_errno(rc), ENOSPC);
	/* later calls do nothing */
	assert_int_equal(report_flow(rc, &f, NULL), -1);
	report_close(rc);
	fclose(full);
}

/* ---- ladder goldens ---- */

struct lad {
	struct analyzer *az;
	struct flow_record flows[8];
	int nflows;
	struct pkt_view views[256];
	uint64_t frames[256];
	int64_t ts[256];
	int npkts;
	int dlt;
	uint64_t frame;
};

static void lad_flow_done(void *ctx, const struct flow_record *f)
{
	struct lad *l = ctx;

	if (l->nflows < 8)
		l->flows[l->nflows++] = *f;
}

static int lad_emit(void *ctx, const uint8_t *frame, uint32_t caplen,
		    uint32_t wirelen, int64_t ts_ns)
{
	struct lad *l = ctx;
	enum decode_kind kind;
	struct pkt_view v;

	l->frame++;
	if (decode_packet(l->dlt, frame, caplen, wirelen, &v, &kind) !=
	    DECODE_TCP)
		return 0;
	analyzer_packet(l->az, &v, l->frame, ts_ns);
	if (l->npkts < 256) {
		v.payload = NULL; /* the frame buffer is gone after this call */
		l->views[l->npkts] = v;
		l->frames[l->npkts] = l->frame;
		l->ts[l->npkts] = ts_ns;
		l->npkts++;
	}
	return 0;
}

static char *read_text(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf;
	long n;

	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	if (fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(fp);
	return buf;
}

/* Analyze testdata/<fix>.fix, draw flow `id`, compare with
 * testdata/golden/<golden>.txt. */
static void check_ladder_script(const char *fix, const char *script,
				uint64_t id, bool explain, const char *golden)
{
	char path[512], err[256], *want, *buf = NULL;
	size_t len = 0;
	struct lad *l = calloc(1, sizeof(*l));
	struct analyzer_config cfg;
	struct analyzer_sink sink = {.flow_done = lad_flow_done};
	struct ladder_set *set = ladder_set_new();
	const char *in_names[] = {fix};
	struct ladder_opts lo = {.color = false,
				 .explain = explain,
				 .input_names = in_names,
				 .ninput_names = 1};
	FILE *mem;

	setenv("TZ", "UTC", 1);
	tzset();
	analyzer_config_defaults(&cfg);
	sink.ctx = l;
	l->az = analyzer_new(&cfg, &sink, err, sizeof(err));
	assert_non_null(l->az);
	analyzer_begin_input(l->az, 0);
	/* fixture_compile sets l->dlt before the first packet is emitted */
	if (fixture_compile(script, lad_emit, l, &l->dlt, err, sizeof(err)) !=
	    0)
		fail_msg("%s: %s", fix, err);
	analyzer_finish(l->az);
	analyzer_free(l->az);
	for (int i = 0; i < l->nflows; i++)
		if (l->flows[i].id == id)
			assert_int_equal(ladder_set_add(set, &l->flows[i]), 0);
	assert_int_equal(ladder_set_count(set), 1);
	for (int i = 0; i < l->npkts; i++)
		assert_int_equal(ladder_set_packet(set, 0, &l->views[i],
						   l->frames[i], l->ts[i]),
				 0);
	mem = open_memstream(&buf, &len);
	assert_int_equal(ladder_set_render(set, mem, &lo), 0);
	fclose(mem);

	snprintf(path, sizeof(path), "%s/golden/%s.txt", TCPLINT_TESTDATA_DIR,
		 golden);
	if (getenv("TCPLINT_UPDATE_GOLDEN")) {
		FILE *fp = fopen(path, "w");

		assert_non_null(fp);
		fputs(buf, fp);
		fclose(fp);
	}
	want = read_text(path);
	if (!want)
		fail_msg("missing golden %s (run with TCPLINT_UPDATE_GOLDEN=1)",
			 path);
	if (strcmp(want, buf) != 0) {
		fprintf(stderr, "--- %s\n%s--- got\n%s", path, want, buf);
		fail_msg("ladder of %s differs from %s", fix, path);
	}
	free(want);
	free(buf);
	ladder_set_free(set);
	free(l);
}

static void check_ladder(const char *fix, uint64_t id, bool explain,
			 const char *golden)
{
	char path[512], *script;

	snprintf(path, sizeof(path), "%s/%s.fix", TCPLINT_TESTDATA_DIR, fix);
	script = read_text(path);
	assert_non_null(script);
	check_ladder_script(fix, script, id, explain, golden);
	free(script);
}

static void test_ladder_four_way(void **state)
{
	(void)state;
	check_ladder("close_client_first", 0, false, "ladder_four_way");
	check_ladder("close_client_first", 0, true, "ladder_four_way_explain");
}

static void test_ladder_three_way(void **state)
{
	(void)state;
	check_ladder("close_three_way", 0, false, "ladder_three_way");
}

static void test_ladder_simultaneous(void **state)
{
	(void)state;
	check_ladder("close_simultaneous", 0, true, "ladder_simultaneous");
}

static void test_ladder_rst_abort(void **state)
{
	(void)state;
	check_ladder("rst_abort", 0, true, "ladder_rst_abort");
}

static void test_ladder_close_wait(void **state)
{
	(void)state;
	check_ladder("close_wait_linger", 0, true, "ladder_close_wait");
}

/* testdata/time_wait_challenge: the RST with which the client refuses the
 * server's TIME_WAIT answer takes its number from that answer; it is no
 * data of the client's, so its FIN of the new connection is no FIN sent
 * again. */
static void test_ladder_time_wait_challenge(void **state)
{
	(void)state;
	check_ladder("time_wait_challenge", 1, true,
		     "ladder_time_wait_challenge");
}

/* ---- causes in the JSON of the testdata captures ---- */

/* Analyze testdata/<fix>.fix into the json report: the document (caller
 * frees with json_decref) and its text in *text (caller frees). */
static json_t *json_of_fixture(const char *fix, char **text)
{
	char path[512], err[256], *script;
	struct lad *l = calloc(1, sizeof(*l));
	struct analyzer_config cfg;
	struct analyzer_sink sink = {.flow_done = lad_flow_done};
	struct report_settings set = {.fail_on = {.min_severity = SEV_ERROR}};
	struct out o;
	struct report_ctx *rc;
	json_error_t jerr;
	json_t *doc;

	assert_non_null(l);
	snprintf(path, sizeof(path), "%s/%s.fix", TCPLINT_TESTDATA_DIR, fix);
	script = read_text(path);
	assert_non_null(script);
	analyzer_config_defaults(&cfg);
	sink.ctx = l;
	l->az = analyzer_new(&cfg, &sink, err, sizeof(err));
	assert_non_null(l->az);
	analyzer_begin_input(l->az, 0);
	if (fixture_compile(script, lad_emit, l, &l->dlt, err, sizeof(err)) !=
	    0)
		fail_msg("%s: %s", fix, err);
	analyzer_finish(l->az);
	analyzer_free(l->az);
	rc = open_fmt(&o, "json", &set);
	for (int i = 0; i < l->nflows; i++)
		assert_int_equal(report_flow(rc, &l->flows[i], NULL), 0);
	finish(&o, rc, 0);
	doc = json_loads(o.buf, 0, &jerr);
	if (doc == NULL)
		fail_msg("%s: not JSON: %s", fix, jerr.text);
	*text = o.buf;
	free(script);
	free(l);
	return doc;
}

/* The anomaly of `type` at `frame` in flow `flow` of the document. */
static json_t *json_anomaly_at(json_t *doc, json_int_t flow, const char *type,
			       json_int_t frame)
{
	size_t i, k;
	json_t *fl, *a;

	json_array_foreach(json_object_get(doc, "flows"), i, fl)
	{
		if (json_integer_value(json_object_get(fl, "id")) != flow)
			continue;
		json_array_foreach(
			json_object_get(fl, "anomalies"), k,
			a) if (strcmp(json_string_value(json_object_get(a,
									"type")),
				      type) == 0 &&
			       json_integer_value(json_object_get(
				       a, "frame")) == frame) return a;
	}
	return NULL;
}

/* Known anomalies of the testdata captures (docs/FIXTURES.md) carry the
 * cause that says why they were raised, and every anomaly's cause is one of
 * its type's. */
static void test_json_causes_of_testdata(void **state)
{
	static const struct {
		const char *fix;
		json_int_t flow;
		const char *type;
		json_int_t frame;
		const char *cause;
	} want[] = {
		{"demo", 2, "rejected", 23, "rst_to_syn"},
		{"demo", 3, "lingering_close_wait", 31, "still_open"},
		{"demo", 4, "keepalive_burst", 64, "prober_gave_up"},
		{"demo", 5, "premature_close", 50, "rst"},
		{"demo", 6, "missing_ack", 60, "acked_late"},
		{"demo", 6, "retransmission", 61, "fin"},
		{"bad_ack", 0, "bad_ack", 2, "synack"},
		{"bad_ack", 0, "retransmission", 4, "syn"},
		{"bad_ack", 0, "retransmission", 5, "synack"},
		{"bad_options", 0, "malformed", 3, "bad_option_length"},
		{"close_wait_linger", 0, "lingering_close_wait", 8,
		 "still_open"},
		{"data_after_fin", 0, "data_after_fin", 8, "data_beyond_fin"},
		{"half_open_rst", 0, "half_open", 8, "lost_connection"},
		{"lost_final_ack", 0, "missing_ack", 10, "acked_late"},
		{"retransmission", 0, "lost_segment", 8, "lost_before_capture"},
		{"retransmission", 0, "duplicate_ack", 9, "segment_missing"},
		{"retransmission", 0, "fast_retransmission", 14,
		 "duplicate_acks"},
		{"retransmission", 0, "retransmission", 19, "data"},
		{"rst_abort", 0, "premature_close", 10, "rst"},
		{"rst_in_close", 0, "premature_close", 9,
		 "refused_after_close"},
		{"syn_unanswered", 0, "syn_unanswered", 1, "no_answer"},
		{"synack_unacked", 0, "half_open", 2, "synack_unacked"},
		{"time_wait_challenge", 1, "time_wait_reuse", 9,
		 "server_in_time_wait"},
		{"time_wait_reuse", 1, "time_wait_reuse", 10,
		 "client_in_time_wait"},
		{"zero_window", 0, "zero_window", 10, "buffer_full"},
		{"zero_window", 0, "zero_window_probe", 11, "window_probe"},
	};
	const char *fix = NULL;
	json_t *doc = NULL;
	char *text = NULL;

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		char pair[128];
		json_t *a;

		if (fix == NULL || strcmp(fix, want[i].fix) != 0) {
			json_decref(doc);
			free(text);
			fix = want[i].fix;
			doc = json_of_fixture(fix, &text);
		}
		a = json_anomaly_at(doc, want[i].flow, want[i].type,
				    want[i].frame);
		if (a == NULL)
			fail_msg("%s: no %s at frame %lld of flow %lld", fix,
				 want[i].type, (long long)want[i].frame,
				 (long long)want[i].flow);
		assert_string_equal(
			json_string_value(json_object_get(a, "cause")),
			want[i].cause);
		/* placed right after "type" */
		snprintf(pair, sizeof(pair), "\"type\":\"%s\",\"cause\":\"%s\"",
			 want[i].type, want[i].cause);
		assert_non_null(strstr(text, pair));
		/* and every anomaly of the capture has one of its type's */
		{
			size_t k, j;
			json_t *fl, *x;

			json_array_foreach(json_object_get(doc, "flows"), k, fl)
				json_array_foreach(
					json_object_get(fl, "anomalies"), j, x)
			{
				int t = anomaly_type_from_name(
					json_string_value(
						json_object_get(x, "type")));
				const char *c = json_string_value(
					json_object_get(x, "cause"));

				assert_true(t >= 0);
				assert_non_null(c);
				assert_true(anomaly_cause_from_name(
						    (enum anomaly_type)t, c) >=
					    0);
			}
		}
	}
	json_decref(doc);
	free(text);
}

static void test_ladder_arrows(void **state)
{
	(void)state;
	struct flow_record f;
	struct ladder_seg segs[2] = {
		{.frame = 1,
		 .ts_ns = T0_NS,
		 .seq = 1000,
		 .flags = TCP_SYN,
		 .from = ROLE_CLIENT,
		 .window = 64240},
		{.frame = 2,
		 .ts_ns = T0_NS + 2500000,
		 .seq = 5000,
		 .ack = 1001,
		 .flags = TCP_SYN | TCP_ACK,
		 .from = ROLE_SERVER,
		 .window = 0},
	};
	struct ladder_opts lo = {.color = true};
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);

	make_flow(&f, 9);
	f.ep[0].isn = 1000;
	f.ep[0].has_isn = true;
	f.ep[1].isn = 5000;
	f.ep[1].has_isn = true;
	f.nanomalies = 1;
	f.anomalies[0].frame = 2;
	assert_int_equal(ladder_render(mem, &f, segs, 2, &lo), 0);
	fclose(mem);
	assert_non_null(strstr(buf, "|\033[32m-- [S] seq 0 len 0 ---"));
	assert_non_null(strstr(buf, "-->\033[0m|"));
	assert_non_null(
		strstr(buf, "|\033[32m<- [S.] seq 0 ack 1 len 0 win 0 ---"));
	assert_non_null(strstr(buf, "     2   0.002500  \033[1mESTABLISHED"));
	assert_non_null(strstr(buf, "\033[33m! warning retransmission: "));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry),
		cmocka_unit_test(test_fail_on),
		cmocka_unit_test(test_finding_key),
		cmocka_unit_test(test_text_report),
		cmocka_unit_test(test_text_filters),
		cmocka_unit_test(test_text_top_of_many),
		cmocka_unit_test(test_json_document),
		cmocka_unit_test(test_inputs_tunnels),
		cmocka_unit_test(test_schema_tunnel_names),
		cmocka_unit_test(test_jsonl_lines),
		cmocka_unit_test(test_sarif),
		cmocka_unit_test(test_baseline_read),
		cmocka_unit_test(test_json_names_not_utf8),
		cmocka_unit_test(test_drop_warning),
		cmocka_unit_test(test_live_text_anomaly_once),
		cmocka_unit_test(test_junit),
		cmocka_unit_test(test_junit_names_stable),
		cmocka_unit_test(test_junit_name_not_utf8),
		cmocka_unit_test(test_write_error),
		cmocka_unit_test(test_ladder_arrows),
		cmocka_unit_test(test_ladder_four_way),
		cmocka_unit_test(test_ladder_three_way),
		cmocka_unit_test(test_ladder_simultaneous),
		cmocka_unit_test(test_ladder_rst_abort),
		cmocka_unit_test(test_ladder_close_wait),
		cmocka_unit_test(test_ladder_time_wait_challenge),
		cmocka_unit_test(test_json_causes_of_testdata),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
