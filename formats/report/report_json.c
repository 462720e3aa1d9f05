/*
 * report_json.c - the machine-readable reports of tcplint's own schema
 * (report_sarif.c writes SARIF):
 *
 *   json   one document (schema_version 1): tool, inputs[], summary, flows[]
 *          sorted by id; indented when settings.pretty.
 *   jsonl  one {"type":"flow",...} line per flow the moment it finishes,
 *          one {"type":"anomaly","flow":ID,"anomaly":{...}} line per anomaly
 *          when streaming (live), then one {"type":"summary",...} line;
 *          each line is flushed.
 *
 * The shapes are those of docs/report.schema.json. Times are seconds since
 * the epoch (durations: seconds) as JSON numbers with microsecond precision.
 * Also reads earlier reports back for --baseline (report_json_read_keys).
 *
 * The flow and anomaly records, one per flow or anomaly, go through the
 * streaming writer (json_records.c); the once-per-run parts (tool, inputs,
 * summary) are jansson trees. The jansson builders of the records below
 * (json_flow, json_anomaly) are the reference the streaming ones are tested
 * against (report_json.h): keep the two in step, field for field.
 */
#include "formats/report/report.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "formats/report/anomaly.h"
#include "formats/report/json_records.h"
#include "formats/report/json_text.h"
#include "formats/report/json_writer.h"
#include "formats/report/report_json.h"
#include "formats/wire/capture.h"

/* 16 significant digits: 10 for the seconds of the epoch, 6 for µs. */
#define JSON_FLAGS_COMPACT (JSON_COMPACT | JSON_REAL_PRECISION(16))
#define JSON_FLAGS_PRETTY (JSON_INDENT(2) | JSON_REAL_PRECISION(16))

/*
 * The json document keeps each flow already serialized (one string per flow)
 * rather than as a tree: a capture with a hundred thousand flows would
 * otherwise hold tens of millions of small jansson nodes until the end.
 * The flows are sorted by (input, id) and spliced into the document then.
 */
struct json_flow_text {
	uint32_t input;
	uint64_t id;
	char *text; /* (owned) compact or indented as the document will be */
};

struct json_state {
	struct json_flow_text *flows; /* (owned) n of cap used */
	size_t n, cap;
	struct json_writer w; /* (owned) reused for every flow */
};

/* jsonl: the writer reused for every flow and anomaly line. */
struct jsonl_state {
	struct json_writer w; /* (owned) */
};

/* ns -> seconds, rounded to the microsecond. */
static json_t *json_secs(int64_t ns)
{
	/* Round the remainder, not ns + 500: no overflow near INT64_MAX (a
	 * capture's saturated timestamp). */
	int64_t us = ns / 1000, rem = ns % 1000;

	if (rem >= 500)
		us++;
	else if (rem <= -500)
		us--;

	return json_real((double)us / 1e6);
}

static json_t *json_u64(uint64_t v)
{
	return json_integer(v > (uint64_t)INT64_MAX ? INT64_MAX
						    : (json_int_t)v);
}

static json_t *json_endpoint(const struct flow_record *f,
			     enum endpoint_role role)
{
	const struct endpoint_record *e = &f->ep[role];
	enum tuple_side side = flow_role_side(role);
	char ip[64];
	json_t *o = json_object();

	report_format_ip(&f->tuple, side, ip, sizeof(ip));
	json_object_set_new(o, "ip", json_string(ip));
	json_object_set_new(o, "port",
			    json_integer(tuple_port(&f->tuple, side)));
	json_object_set_new(o, "packets", json_u64(e->packets));
	json_object_set_new(o, "bytes", json_u64(e->bytes));
	json_object_set_new(o, "isn",
			    e->has_isn ? json_integer(e->isn) : json_null());
	json_object_set_new(o, "mss", json_integer(e->mss));
	json_object_set_new(o, "wscale",
			    e->wscale_ok ? json_integer(e->wscale)
					 : json_null());
	return o;
}

static json_t *json_states(const struct endpoint_record *e)
{
	json_t *a = json_array();

	for (uint8_t i = 0; i < e->nstates && i < FLOW_MAX_STATES; i++) {
		json_t *s = json_object();

		json_object_set_new(s, "frame", json_u64(e->states[i].frame));
		json_object_set_new(s, "ts", json_secs(e->states[i].ts_ns));
		json_object_set_new(
			s, "state",
			json_string(tcp_state_name(e->states[i].state)));
		json_array_append_new(a, s);
	}
	return a;
}

static json_t *json_anomaly(const struct flow_record *f,
			    const struct anomaly *a)
{
	char msg[512];
	json_t *o = json_object();

	anomaly_describe(f, a, msg, sizeof(msg));
	json_object_set_new(o, "type", json_string(anomaly_type_name(a->type)));
	json_object_set_new(o, "cause",
			    json_string(anomaly_cause_name(a->type, a->cause)));
	json_object_set_new(o, "severity",
			    json_string(severity_name(a->severity)));
	json_object_set_new(o, "confidence",
			    json_string(confidence_name(a->confidence)));
	json_object_set_new(o, "frame", json_u64(a->frame));
	json_object_set_new(o, "ts", json_secs(a->ts_ns));
	json_object_set_new(o, "endpoint",
			    json_string(a->endpoint == ROLE_SERVER ? "server"
								   : "client"));
	json_object_set_new(o, "message", json_text(msg));
	if (a->ref_frame)
		json_object_set_new(o, "ref_frame", json_u64(a->ref_frame));
	if (a->duration_ns)
		json_object_set_new(o, "duration", json_secs(a->duration_ns));
	if (a->count)
		json_object_set_new(o, "count", json_integer(a->count));
	json_object_set_new(o, "client_state",
			    json_string(tcp_state_name(a->state[0])));
	json_object_set_new(o, "server_state",
			    json_string(tcp_state_name(a->state[1])));
	if (a->drops_during)
		json_object_set_new(o, "drops_during", json_true());
	return o;
}

static json_t *json_timers(const struct endpoint_record *e)
{
	const struct endpoint_timers *t = &e->timers;
	json_t *o = json_object();

	json_object_set_new(o, "keepalive_idle",
			    json_secs(t->keepalive_idle_ns));
	json_object_set_new(o, "keepalive_interval",
			    json_secs(t->keepalive_interval_ns));
	json_object_set_new(o, "keepalive_probes",
			    json_integer(t->keepalive_probes));
	json_object_set_new(o, "syn_retries", json_integer(t->syn_retries));
	json_object_set_new(o, "syn_rto_first", json_secs(t->syn_rto_first_ns));
	json_object_set_new(o, "fin_retries", json_integer(t->fin_retries));
	json_object_set_new(o, "fin_rto_first", json_secs(t->fin_rto_first_ns));
	json_object_set_new(o, "data_retries_max",
			    json_integer(t->data_retries_max));
	json_object_set_new(o, "data_rto_first",
			    json_secs(t->data_rto_first_ns));
	json_object_set_new(o, "rto_doubles", json_boolean(t->rto_doubles));
	return o;
}

static json_t *json_time_in(const struct endpoint_record *e)
{
	json_t *o = json_object();

	json_object_set_new(o, "fin_wait_2", json_secs(e->fin_wait_2_ns));
	json_object_set_new(o, "close_wait", json_secs(e->close_wait_ns));
	json_object_set_new(o, "last_ack", json_secs(e->last_ack_ns));
	return o;
}

static json_t *json_pair(json_t *client, json_t *server)
{
	json_t *o = json_object();

	json_object_set_new(o, "client", client);
	json_object_set_new(o, "server", server);
	return o;
}

static json_t *json_failures(const struct expect_failure *fl, uint32_t n)
{
	json_t *a = json_array();

	for (uint32_t i = 0; i < n; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "line", json_integer(fl[i].line));
		json_object_set_new(o, "rule", json_text(fl[i].rule));
		json_object_set_new(o, "message", json_text(fl[i].message));
		json_array_append_new(a, o);
	}
	return a;
}

/* The flow object of the contract, with `type` first when given. */
static json_t *json_flow(const struct report_ctx *rc,
			 const struct flow_record *f,
			 const struct report_flow_info *info, const char *type)
{
	const struct endpoint_record *c = &f->ep[ROLE_CLIENT];
	const struct endpoint_record *s = &f->ep[ROLE_SERVER];
	char cid[32];
	json_t *o = json_object(), *an, *counts;

	if (type)
		json_object_set_new(o, "type", json_string(type));
	json_object_set_new(o, "id", json_u64(f->id));
	json_object_set_new(o, "input", json_integer(f->input));
	json_object_set_new(o, "file",
			    json_text(report_input_name(rc, f->input)));
	json_object_set_new(o, "client", json_endpoint(f, ROLE_CLIENT));
	json_object_set_new(o, "server", json_endpoint(f, ROLE_SERVER));
	json_object_set_new(o, "community_id",
			    json_string(community_id_of(f, cid)));
	json_object_set_new(o, "first_frame", json_u64(f->first_frame));
	json_object_set_new(o, "last_frame", json_u64(f->last_frame));
	json_object_set_new(o, "start", json_secs(f->start_ns));
	json_object_set_new(o, "end", json_secs(f->end_ns));
	json_object_set_new(o, "packets", json_u64(f->packets));
	json_object_set_new(o, "bytes",
			    json_pair(json_u64(c->bytes), json_u64(s->bytes)));
	json_object_set_new(o, "handshake",
			    json_string(handshake_verdict_name(f->handshake)));
	json_object_set_new(o, "close",
			    json_string(close_verdict_name(f->close)));
	json_object_set_new(o, "active_closer",
			    json_string(closer_name(f->active_closer)));
	json_object_set_new(o, "client_state",
			    json_string(tcp_state_name(c->state)));
	json_object_set_new(o, "server_state",
			    json_string(tcp_state_name(s->state)));
	json_object_set_new(o, "client_by_port",
			    json_boolean(f->client_by_port));
	json_object_set_new(o, "syn_retransmits",
			    json_integer(f->syn_retransmits));
	json_object_set_new(o, "synack_retransmits",
			    json_integer(f->synack_retransmits));
	json_object_set_new(o, "evicted", json_boolean(f->evicted));
	json_object_set_new(o, "drops_during", json_boolean(f->drops_during));
	{
		json_t *cap = json_object();
		json_t *art = json_array();

		json_object_set_new(
			cap, "point",
			json_string(capture_point_name(f->capture_point)));
		for (int i = 0; i < ARTEFACT_COUNT; i++)
			if (f->artefacts & (1u << i))
				json_array_append_new(
					art, json_string(artefact_name(i)));
		json_object_set_new(cap, "artefacts", art);
		json_object_set_new(o, "capture", cap);
	}
	json_object_set_new(o, "states",
			    json_pair(json_states(c), json_states(s)));
	json_object_set_new(o, "time_in",
			    json_pair(json_time_in(c), json_time_in(s)));
	{
		json_t *k = json_object();

		json_object_set_new(
			k, "probes",
			json_integer((json_int_t)c->keepalive_probes +
				     s->keepalive_probes));
		json_object_set_new(
			k, "answered",
			json_integer((json_int_t)c->keepalive_answered +
				     s->keepalive_answered));
		json_object_set_new(k, "client_probes",
				    json_integer(c->keepalive_probes));
		json_object_set_new(k, "client_answered",
				    json_integer(c->keepalive_answered));
		json_object_set_new(k, "server_probes",
				    json_integer(s->keepalive_probes));
		json_object_set_new(k, "server_answered",
				    json_integer(s->keepalive_answered));
		json_object_set_new(o, "keepalive", k);
	}
	json_object_set_new(o, "timers",
			    json_pair(json_timers(c), json_timers(s)));
	an = json_array();
	for (uint16_t i = 0; i < f->nanomalies && i < FLOW_MAX_ANOMALIES; i++)
		json_array_append_new(an, json_anomaly(f, &f->anomalies[i]));
	json_object_set_new(o, "anomalies", an);
	counts = json_object();
	for (int t = 0; t < ANOMALY_TYPE_COUNT; t++)
		if (f->anomaly_counts[t])
			json_object_set_new(counts, anomaly_type_name(t),
					    json_integer(f->anomaly_counts[t]));
	json_object_set_new(o, "anomaly_counts", counts);
	json_object_set_new(o, "anomalies_dropped",
			    json_integer(f->anomalies_dropped));
	json_object_set_new(o, "failed", json_boolean(info->failed));
	json_object_set_new(o, "expectations",
			    json_failures(info->failures, info->nfailures));
	if (info->suppressed)
		json_object_set_new(o, "baseline_suppressed",
				    json_integer(info->suppressed));
	return o;
}

json_t *report_json_flow_tree(const struct report_ctx *rc,
			      const struct flow_record *f,
			      const struct report_flow_info *info,
			      const char *type)
{
	return json_flow(rc, f, info, type);
}

json_t *report_json_anomaly_line_tree(const struct flow_record *f,
				      const struct anomaly *a)
{
	json_t *o = json_object();

	json_object_set_new(o, "type", json_string("anomaly"));
	json_object_set_new(o, "flow", json_u64(f->id));
	json_object_set_new(o, "input", json_integer(f->input));
	json_object_set_new(o, "anomaly", json_anomaly(f, a));
	return o;
}

static json_t *json_tool(const struct report_ctx *rc)
{
	json_t *t = json_object();

	json_object_set_new(t, "name", json_string("tcplint"));
	json_object_set_new(t, "version",
			    json_string(rc->set.version ? rc->set.version
							: "?"));
	json_object_set_new(t, "command",
			    json_string(rc->set.command ? rc->set.command
							: "analyze"));
	if (rc->set.shard_count > 0)
		json_object_set_new(t, "shard",
				    json_pack("{s:i, s:i}", "index",
					      (int)rc->set.shard_index, "count",
					      (int)rc->set.shard_count));
	return t;
}

/* "tunnels": records per kind of tunnel they were found in, when any were
 * (a capture without tunnels has no such member). */
static void json_inputs_tunnels(json_t *o, const struct input_record *in)
{
	json_t *tu = NULL;

	for (int t = 0; t < DECODE_TUNNEL_COUNT; t++) {
		if (!in->tunnels[t])
			continue;
		if (!tu)
			tu = json_object();
		json_object_set_new(tu, decode_tunnel_name(t),
				    json_u64(in->tunnels[t]));
	}
	if (tu)
		json_object_set_new(o, "tunnels", tu);
}

static json_t *json_inputs(const struct report_ctx *rc)
{
	json_t *a = json_array();

	for (uint32_t i = 0; i < rc->ninputs; i++) {
		const struct input_record *in = &rc->inputs[i];
		json_t *o = json_object(), *nt = json_object(),
		       *er = json_object();

		json_object_set_new(o, "file",
				    json_text(in->file ? in->file : "?"));
		json_object_set_new(
			o, "link_type",
			in->dlt >= 0 ? json_string(capture_dlt_name(in->dlt))
				     : json_null());
		json_object_set_new(o, "packets", json_u64(in->packets));
		json_object_set_new(o, "tcp_packets",
				    json_u64(in->tcp_packets));
		json_object_set_new(o, "decode_errors",
				    json_u64(in->decode_errors));
		for (int k = DK_NONE + 1; k < DECODE_KIND_COUNT; k++)
			if (in->kinds[k])
				json_object_set_new(k <= DK_IP_FRAGMENT ? nt
									: er,
						    decode_kind_name(k),
						    json_u64(in->kinds[k]));
		json_object_set_new(o, "not_tcp", nt);
		json_object_set_new(o, "errors", er);
		json_inputs_tunnels(o, in);
		json_object_set_new(o, "failed", json_boolean(in->failed));
		json_object_set_new(o, "error",
				    in->error[0] ? json_text(in->error)
						 : json_null());
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *json_table(const uint64_t *counts, int n,
			  const char *(*name)(int), bool all)
{
	json_t *o = json_object();

	for (int i = 0; i < n; i++)
		if (all || counts[i])
			json_object_set_new(o, name(i), json_u64(counts[i]));
	return o;
}

static const char *hs_name(int i)
{
	return handshake_verdict_name(i);
}
static const char *cl_name(int i)
{
	return close_verdict_name(i);
}
static const char *an_name(int i)
{
	return anomaly_type_name(i);
}
static const char *sv_name(int i)
{
	return severity_name(i);
}

/* The fields of "summary" (also the body of the jsonl summary line). */
static void json_summary_fill(json_t *s, const struct report_ctx *rc,
			      const struct report_end_info *end)
{
	const struct report_totals *t = &rc->totals;
	json_t *top = json_array();

	json_object_set_new(s, "packets", json_u64(rc->packets));
	json_object_set_new(s, "tcp_packets", json_u64(rc->tcp_packets));
	json_object_set_new(s, "decode_errors", json_u64(rc->decode_errors));
	json_object_set_new(s, "flows", json_u64(t->flows));
	json_object_set_new(s, "flows_with_anomalies",
			    json_u64(t->flows_with_anomalies));
	json_object_set_new(s, "anomalies",
			    json_table(t->anomalies, ANOMALY_TYPE_COUNT,
				       an_name, false));
	json_object_set_new(s, "severities",
			    json_table(t->by_severity, SEVERITY_COUNT, sv_name,
				       true));
	json_object_set_new(s, "handshakes",
			    json_table(t->by_handshake, HANDSHAKE_VERDICT_COUNT,
				       hs_name, false));
	json_object_set_new(s, "closes",
			    json_table(t->by_close, CLOSE_VERDICT_COUNT,
				       cl_name, false));
	for (uint32_t i = 0; i < t->ntop; i++) {
		json_t *e = json_object();

		json_object_set_new(e, "id", json_u64(t->top[i].id));
		json_object_set_new(e, "input", json_integer(t->top[i].input));
		json_object_set_new(e, "anomalies",
				    json_integer(t->top[i].anomalies));
		json_array_append_new(top, e);
	}
	json_object_set_new(s, "top_flows", top);
	json_object_set_new(s, "evictions", json_u64(end->evictions));
	json_object_set_new(s, "fail_on",
			    json_text(end->fail_on ? end->fail_on : "none"));
	json_object_set_new(s, "findings", json_u64(t->findings));
	json_object_set_new(s, "flows_failed", json_u64(t->flows_failed));
	if (end->has_capture_stats) {
		json_t *c = json_object();

		json_object_set_new(c, "received", json_u64(end->ps_recv));
		json_object_set_new(c, "dropped", json_u64(end->ps_drop));
		json_object_set_new(c, "if_dropped", json_u64(end->ps_ifdrop));
		if (end->ps_drop || end->ps_ifdrop) {
			char w[192];

			report_drop_warning(end, w, sizeof(w));
			json_object_set_new(c, "warning", json_string(w));
		}
		json_object_set_new(s, "capture", c);
	}
	if (end->expect_used) {
		json_t *e = json_object();

		json_object_set_new(e, "expectations",
				    json_integer(end->expectations));
		json_object_set_new(e, "checks", json_u64(end->expect_checks));
		json_object_set_new(
			e, "failed",
			json_u64(t->expect_failures + end->nglobal_failures));
		json_object_set_new(e, "global_failures",
				    json_failures(end->global_failures,
						  end->nglobal_failures));
		json_object_set_new(s, "expect", e);
	}
	if (end->baseline) {
		json_t *b = json_object();

		json_object_set_new(b, "file", json_text(end->baseline));
		json_object_set_new(b, "suppressed",
				    json_u64(end->baseline_suppressed));
		json_object_set_new(s, "baseline", b);
	}
	json_object_set_new(s, "exit_code", json_integer(end->exit_code));
}

/* Serialize first, then write once: json_dumpf would call fwrite for every
 * token, which costs more than building the text. */
static int json_emit(struct report_ctx *rc, json_t *doc, size_t flags)
{
	char *text = json_dumps(doc, flags);
	int ret = text && fputs(text, rc->out) != EOF &&
				  fputc('\n', rc->out) != EOF
			  ? 0
			  : -1;

	free(text);
	json_decref(doc);
	return ret;
}

/* ---- json ---- */

static int json_begin(struct report_ctx *rc)
{
	struct json_state *js = calloc(1, sizeof(*js));

	if (!js)
		return -1;
	json_writer_init(&js->w);
	rc->priv = js;
	return 0;
}

static void json_free_state(struct report_ctx *rc)
{
	struct json_state *js = rc->priv;

	if (!js)
		return;
	for (size_t i = 0; i < js->n; i++)
		free(js->flows[i].text);
	free(js->flows);
	json_writer_free(&js->w);
	free(js);
	rc->priv = NULL;
}

static int json_flow_keep(struct report_ctx *rc, const struct flow_record *f,
			  const struct report_flow_info *info)
{
	struct json_state *js = rc->priv;
	bool pretty = rc->set.pretty;
	char *text;

	if (!report_flow_listed(rc, f, info))
		return 0;
	if (js->n == js->cap) {
		size_t cap = js->cap ? js->cap * 2 : 256;
		struct json_flow_text *v;

		if (cap > SIZE_MAX / sizeof(*v) ||
		    !(v = realloc(js->flows, cap * sizeof(*v))))
			return -1;
		js->flows = v;
		js->cap = cap;
	}
	/* pretty: as deep as the document will hold it, in "flows" */
	json_writer_reset(&js->w, pretty ? JSON_WRITER_PRETTY : 0,
			  pretty ? 2 : 0);
	if (json_records_flow(&js->w, rc, f, info, NULL) != 0 ||
	    !(text = malloc(js->w.len + 1)))
		return -1;
	memcpy(text, js->w.buf, js->w.len + 1);
	js->flows[js->n++] = (struct json_flow_text){f->input, f->id, text};
	return 0;
}

static int flow_cmp(const void *pa, const void *pb)
{
	const struct json_flow_text *a = pa, *b = pb;

	if (a->input != b->input)
		return a->input < b->input ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

static int json_end(struct report_ctx *rc, const struct report_end_info *end)
{
	struct json_state *js = rc->priv;
	bool pretty = rc->set.pretty;
	json_t *doc, *sum;
	char *head;
	char *close;
	bool first = true;
	int ret = 0;

	if (js->n) /* js->flows is NULL until the first flow */
		qsort(js->flows, js->n, sizeof(*js->flows), flow_cmp);
	doc = json_object();
	json_object_set_new(doc, "schema_version",
			    json_integer(REPORT_SCHEMA_VERSION));
	json_object_set_new(doc, "tool", json_tool(rc));
	json_object_set_new(doc, "inputs", json_inputs(rc));
	sum = json_object();
	json_summary_fill(sum, rc, end);
	json_object_set_new(doc, "summary", sum);
	/* Everything but "flows", then the flows spliced in before the last '}'. */
	head = json_dumps(doc, pretty ? JSON_FLAGS_PRETTY : JSON_FLAGS_COMPACT);
	json_decref(doc);
	if (!head || !(close = strrchr(head, '}'))) {
		free(head);
		return -1;
	}
	while (close > head && (close[-1] == '\n' || close[-1] == ' '))
		close--;
	*close = '\0';
	if (fputs(head, rc->out) == EOF ||
	    fputs(pretty ? ",\n  \"flows\": [" : ",\"flows\":[", rc->out) ==
		    EOF)
		ret = -1;
	free(head);
	for (size_t i = 0; i < js->n && ret == 0; i++) {
		const struct json_flow_text *ft = &js->flows[i];

		if (rc->set.top && !report_in_top(rc, ft->id, ft->input))
			continue;
		if (fputs(first ? (pretty ? "\n    " : "")
				: (pretty ? ",\n    " : ","),
			  rc->out) == EOF ||
		    fputs(ft->text, rc->out) == EOF)
			ret = -1;
		first = false;
	}
	if (ret == 0 &&
	    fputs(pretty ? (first ? "]\n}\n" : "\n  ]\n}\n") : "]}\n",
		  rc->out) == EOF)
		ret = -1;
	return ret;
}

const struct report_ops report_json_ops = {
	.name = "json",
	.summary =
		"one JSON document (schema_version 1; docs/report.schema.json)",
	.begin = json_begin,
	.flow = json_flow_keep,
	.end = json_end,
	.free = json_free_state,
};

/* ---- jsonl ---- */

static int jsonl_begin(struct report_ctx *rc)
{
	struct jsonl_state *ls = calloc(1, sizeof(*ls));

	if (!ls)
		return -1;
	json_writer_init(&ls->w);
	rc->priv = ls;
	return 0;
}

static void jsonl_free(struct report_ctx *rc)
{
	struct jsonl_state *ls = rc->priv;

	if (!ls)
		return;
	json_writer_free(&ls->w);
	free(ls);
	rc->priv = NULL;
}

/* The line writer, reset; created here too when report_begin() was not
 * called. NULL when out of memory. */
static struct json_writer *jsonl_writer(struct report_ctx *rc)
{
	struct jsonl_state *ls;

	if (!rc->priv && jsonl_begin(rc) != 0)
		return NULL;
	ls = rc->priv;
	json_writer_reset(&ls->w, 0, 0);
	return &ls->w;
}

/* The writer's text (ret 0) as one line, flushed. */
static int jsonl_put(struct report_ctx *rc, struct json_writer *w, int ret)
{
	if (ret != 0)
		return -1;
	w->buf[w->len] = '\n';
	if (fwrite(w->buf, 1, w->len + 1, rc->out) != w->len + 1)
		return -1;
	return fflush(rc->out) == 0 ? 0 : -1;
}

static int jsonl_flow(struct report_ctx *rc, const struct flow_record *f,
		      const struct report_flow_info *info)
{
	struct json_writer *w;

	if (!report_flow_listed(rc, f, info))
		return 0;
	if (!(w = jsonl_writer(rc)))
		return -1;
	return jsonl_put(rc, w, json_records_flow(w, rc, f, info, "flow"));
}

static int jsonl_anomaly(struct report_ctx *rc, const struct flow_record *f,
			 const struct anomaly *a)
{
	struct json_writer *w;

	if (!rc->set.streaming)
		return 0;
	if (!(w = jsonl_writer(rc)))
		return -1;
	return jsonl_put(rc, w, json_records_anomaly_line(w, f, a));
}

static int jsonl_end(struct report_ctx *rc, const struct report_end_info *end)
{
	json_t *o = json_object();

	json_object_set_new(o, "type", json_string("summary"));
	json_object_set_new(o, "schema_version",
			    json_integer(REPORT_SCHEMA_VERSION));
	json_object_set_new(o, "tool", json_tool(rc));
	json_object_set_new(o, "inputs", json_inputs(rc));
	json_summary_fill(o, rc, end);
	if (json_emit(rc, o, JSON_FLAGS_COMPACT) != 0)
		return -1;
	return fflush(rc->out) == 0 ? 0 : -1;
}

const struct report_ops report_jsonl_ops = {
	.name = "jsonl",
	.summary =
		"JSON Lines: a line per flow as it finishes, then a summary line",
	.begin = jsonl_begin,
	.flow = jsonl_flow,
	.anomaly = jsonl_anomaly,
	.end = jsonl_end,
	.free = jsonl_free,
};

/* ---- reading an earlier report (--baseline) ---- */

static long keys_of_flow(json_t *flow, report_key_fn fn, void *ctx)
{
	json_t *srv = json_object_get(flow, "server");
	json_t *an = json_object_get(flow, "anomalies");
	const char *ip = json_string_value(json_object_get(srv, "ip"));
	json_int_t port = json_integer_value(json_object_get(srv, "port"));
	size_t i;
	json_t *a;
	long n = 0;

	if (!ip || !json_is_array(an))
		return 0;
	json_array_foreach(an, i, a)
	{
		const char *type =
			json_string_value(json_object_get(a, "type"));
		const char *ep =
			json_string_value(json_object_get(a, "endpoint"));
		char key[160];

		if (!type || !ep)
			continue;
		snprintf(key, sizeof(key), "%s|%s|%s|%lld", type, ep, ip,
			 (long long)port);
		fn(ctx, key);
		n++;
	}
	return n;
}

/* The one message for a file that is not an earlier json or jsonl report:
 * the SARIF of the same run is the likeliest mistake. */
static void not_a_report(char *errbuf, size_t errlen, const char *path)
{
	snprintf(
		errbuf, errlen,
		"%s: not a tcplint json or jsonl report (SARIF cannot serve as "
		"a baseline); write the baseline with --format json or jsonl",
		path);
}

long report_json_read_keys(const char *path, report_key_fn fn, void *ctx,
			   char *errbuf, size_t errlen)
{
	json_error_t err;
	json_t *doc = json_load_file(path, JSON_DISABLE_EOF_CHECK, &err);
	long n = 0;

	if (doc && json_is_object(doc) && json_object_get(doc, "flows") &&
	    !json_object_get(doc, "type")) {
		json_t *flows = json_object_get(doc, "flows");
		size_t i;
		json_t *f;

		if (!json_is_array(flows) ||
		    json_integer_value(
			    json_object_get(doc, "schema_version")) != 1) {
			json_decref(doc);
			not_a_report(errbuf, errlen, path);
			return -1;
		}
		json_array_foreach(flows, i, f) n += keys_of_flow(f, fn, ctx);
		json_decref(doc);
		return n;
	}
	/* A JSON document (a SARIF log, any other object or array) that is
	 * neither a json report nor the first line of a jsonl one: say so,
	 * rather than the syntax error its second line is as JSON Lines. */
	if (doc && !json_is_string(json_object_get(doc, "type"))) {
		json_decref(doc);
		not_a_report(errbuf, errlen, path);
		return -1;
	}
	json_decref(doc);

	/* JSON Lines: one object per line. */
	FILE *fp = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned long lineno = 0;
	bool summary = false;

	if (!fp) {
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((len = getline(&line, &cap, fp)) > 0) {
		json_t *o;
		const char *type;

		lineno++;
		if (len == 1 && line[0] == '\n')
			continue;
		o = json_loadb(line, (size_t)len, 0, &err);
		if (!o) {
			snprintf(errbuf, errlen, "%s: line %lu: %s", path,
				 lineno, err.text);
			n = -1;
			break;
		}
		type = json_string_value(json_object_get(o, "type"));
		if (type && strcmp(type, "flow") == 0)
			n += keys_of_flow(o, fn, ctx);
		else if (type && strcmp(type, "summary") == 0)
			summary = true;
		json_decref(o);
	}
	free(line);
	fclose(fp);
	if (n >= 0 && !summary) {
		not_a_report(errbuf, errlen, path);
		n = -1;
	}
	return n;
}
