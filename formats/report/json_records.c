/*
 * json_records.c - see json_records.h. One function per object of the
 * contract, one line per field, in the order of report_json.c's builders.
 */
#include "formats/report/json_records.h"

#include "formats/report/anomaly.h"
#include "formats/wire/capture.h"

/* ns -> seconds, rounded to the microsecond (away from zero at a half);
 * the remainder is rounded, not ns + 500, so a saturated timestamp near
 * INT64_MAX does not overflow. */
static void put_secs(struct json_writer *w, const char *key, int64_t ns)
{
	int64_t us = ns / 1000, rem = ns % 1000;

	if (rem >= 500)
		us++;
	else if (rem <= -500)
		us--;
	json_writer_usecs(w, key, us);
}

/* Counters are unsigned 64-bit; the contract's integers stop at INT64_MAX. */
static void put_u64(struct json_writer *w, const char *key, uint64_t v)
{
	json_writer_uint(w, key,
			 v > (uint64_t)INT64_MAX ? (uint64_t)INT64_MAX : v);
}

static void put_endpoint(struct json_writer *w, const char *key,
			 const struct flow_record *f, enum endpoint_role role)
{
	const struct endpoint_record *e = &f->ep[role];
	enum tuple_side side = flow_role_side(role);
	char ip[64];

	report_format_ip(&f->tuple, side, ip, sizeof(ip));
	json_writer_object(w, key);
	json_writer_str(w, "ip", ip);
	json_writer_uint(w, "port", tuple_port(&f->tuple, side));
	put_u64(w, "packets", e->packets);
	put_u64(w, "bytes", e->bytes);
	if (e->has_isn)
		json_writer_uint(w, "isn", e->isn);
	else
		json_writer_null(w, "isn");
	json_writer_uint(w, "mss", e->mss);
	if (e->wscale_ok)
		json_writer_uint(w, "wscale", e->wscale);
	else
		json_writer_null(w, "wscale");
	json_writer_end(w);
}

static void put_states(struct json_writer *w, const char *key,
		       const struct endpoint_record *e)
{
	json_writer_array(w, key);
	for (uint8_t i = 0; i < e->nstates && i < FLOW_MAX_STATES; i++) {
		json_writer_object(w, NULL);
		put_u64(w, "frame", e->states[i].frame);
		put_secs(w, "ts", e->states[i].ts_ns);
		json_writer_str(w, "state", tcp_state_name(e->states[i].state));
		json_writer_end(w);
	}
	json_writer_end(w);
}

static void put_anomaly(struct json_writer *w, const char *key,
			const struct flow_record *f, const struct anomaly *a)
{
	char msg[512];

	anomaly_describe(f, a, msg, sizeof(msg));
	json_writer_object(w, key);
	json_writer_str(w, "type", anomaly_type_name(a->type));
	json_writer_str(w, "cause", anomaly_cause_name(a->type, a->cause));
	json_writer_str(w, "severity", severity_name(a->severity));
	json_writer_str(w, "confidence", confidence_name(a->confidence));
	put_u64(w, "frame", a->frame);
	put_secs(w, "ts", a->ts_ns);
	json_writer_str(w, "endpoint",
			a->endpoint == ROLE_SERVER ? "server" : "client");
	json_writer_str(w, "message", msg);
	if (a->ref_frame)
		put_u64(w, "ref_frame", a->ref_frame);
	if (a->duration_ns)
		put_secs(w, "duration", a->duration_ns);
	if (a->count)
		json_writer_uint(w, "count", a->count);
	json_writer_str(w, "client_state", tcp_state_name(a->state[0]));
	json_writer_str(w, "server_state", tcp_state_name(a->state[1]));
	if (a->drops_during)
		json_writer_bool(w, "drops_during", true);
	json_writer_end(w);
}

static void put_timers(struct json_writer *w, const char *key,
		       const struct endpoint_record *e)
{
	const struct endpoint_timers *t = &e->timers;

	json_writer_object(w, key);
	put_secs(w, "keepalive_idle", t->keepalive_idle_ns);
	put_secs(w, "keepalive_interval", t->keepalive_interval_ns);
	json_writer_uint(w, "keepalive_probes", t->keepalive_probes);
	json_writer_uint(w, "syn_retries", t->syn_retries);
	put_secs(w, "syn_rto_first", t->syn_rto_first_ns);
	json_writer_uint(w, "fin_retries", t->fin_retries);
	put_secs(w, "fin_rto_first", t->fin_rto_first_ns);
	json_writer_uint(w, "data_retries_max", t->data_retries_max);
	put_secs(w, "data_rto_first", t->data_rto_first_ns);
	json_writer_bool(w, "rto_doubles", t->rto_doubles);
	json_writer_end(w);
}

static void put_time_in(struct json_writer *w, const char *key,
			const struct endpoint_record *e)
{
	json_writer_object(w, key);
	put_secs(w, "fin_wait_2", e->fin_wait_2_ns);
	put_secs(w, "close_wait", e->close_wait_ns);
	put_secs(w, "last_ack", e->last_ack_ns);
	json_writer_end(w);
}

/* {"client": ..., "server": ...} of one per-endpoint object. */
static void put_pair(struct json_writer *w, const char *key,
		     const struct flow_record *f,
		     void (*put)(struct json_writer *, const char *,
				 const struct endpoint_record *))
{
	json_writer_object(w, key);
	put(w, "client", &f->ep[ROLE_CLIENT]);
	put(w, "server", &f->ep[ROLE_SERVER]);
	json_writer_end(w);
}

static void put_failures(struct json_writer *w, const char *key,
			 const struct expect_failure *fl, uint32_t n)
{
	json_writer_array(w, key);
	for (uint32_t i = 0; i < n; i++) {
		json_writer_object(w, NULL);
		json_writer_uint(w, "line", fl[i].line);
		json_writer_str(w, "rule", fl[i].rule);
		json_writer_str(w, "message", fl[i].message);
		json_writer_end(w);
	}
	json_writer_end(w);
}

static void put_capture(struct json_writer *w, const struct flow_record *f)
{
	json_writer_object(w, "capture");
	json_writer_str(w, "point", capture_point_name(f->capture_point));
	json_writer_array(w, "artefacts");
	for (int i = 0; i < ARTEFACT_COUNT; i++)
		if (f->artefacts & (1u << i))
			json_writer_str(w, NULL, artefact_name(i));
	json_writer_end(w);
	json_writer_end(w);
}

static void put_keepalive(struct json_writer *w, const struct flow_record *f)
{
	const struct endpoint_record *c = &f->ep[ROLE_CLIENT];
	const struct endpoint_record *s = &f->ep[ROLE_SERVER];

	json_writer_object(w, "keepalive");
	json_writer_uint(w, "probes",
			 (uint64_t)c->keepalive_probes + s->keepalive_probes);
	json_writer_uint(w, "answered",
			 (uint64_t)c->keepalive_answered +
				 s->keepalive_answered);
	json_writer_uint(w, "client_probes", c->keepalive_probes);
	json_writer_uint(w, "client_answered", c->keepalive_answered);
	json_writer_uint(w, "server_probes", s->keepalive_probes);
	json_writer_uint(w, "server_answered", s->keepalive_answered);
	json_writer_end(w);
}

static void put_anomalies(struct json_writer *w, const struct flow_record *f)
{
	json_writer_array(w, "anomalies");
	for (uint16_t i = 0; i < f->nanomalies && i < FLOW_MAX_ANOMALIES; i++)
		put_anomaly(w, NULL, f, &f->anomalies[i]);
	json_writer_end(w);
	json_writer_object(w, "anomaly_counts");
	for (int t = 0; t < ANOMALY_TYPE_COUNT; t++)
		if (f->anomaly_counts[t])
			json_writer_uint(w, anomaly_type_name(t),
					 f->anomaly_counts[t]);
	json_writer_end(w);
	json_writer_uint(w, "anomalies_dropped", f->anomalies_dropped);
}

int json_records_flow(struct json_writer *w, const struct report_ctx *rc,
		      const struct flow_record *f,
		      const struct report_flow_info *info, const char *type)
{
	const struct endpoint_record *c = &f->ep[ROLE_CLIENT];
	const struct endpoint_record *s = &f->ep[ROLE_SERVER];
	char cid[32];

	json_writer_object(w, NULL);
	if (type)
		json_writer_str(w, "type", type);
	put_u64(w, "id", f->id);
	json_writer_uint(w, "input", f->input);
	json_writer_str(w, "file", report_input_name(rc, f->input));
	put_endpoint(w, "client", f, ROLE_CLIENT);
	put_endpoint(w, "server", f, ROLE_SERVER);
	json_writer_str(w, "community_id", community_id_of(f, cid));
	put_u64(w, "first_frame", f->first_frame);
	put_u64(w, "last_frame", f->last_frame);
	put_secs(w, "start", f->start_ns);
	put_secs(w, "end", f->end_ns);
	put_u64(w, "packets", f->packets);
	json_writer_object(w, "bytes");
	put_u64(w, "client", c->bytes);
	put_u64(w, "server", s->bytes);
	json_writer_end(w);
	json_writer_str(w, "handshake", handshake_verdict_name(f->handshake));
	json_writer_str(w, "close", close_verdict_name(f->close));
	json_writer_str(w, "active_closer", closer_name(f->active_closer));
	json_writer_str(w, "client_state", tcp_state_name(c->state));
	json_writer_str(w, "server_state", tcp_state_name(s->state));
	json_writer_bool(w, "client_by_port", f->client_by_port);
	json_writer_uint(w, "syn_retransmits", f->syn_retransmits);
	json_writer_uint(w, "synack_retransmits", f->synack_retransmits);
	json_writer_bool(w, "evicted", f->evicted);
	json_writer_bool(w, "drops_during", f->drops_during);
	put_capture(w, f);
	put_pair(w, "states", f, put_states);
	put_pair(w, "time_in", f, put_time_in);
	put_keepalive(w, f);
	put_pair(w, "timers", f, put_timers);
	put_anomalies(w, f);
	json_writer_bool(w, "failed", info->failed);
	put_failures(w, "expectations", info->failures, info->nfailures);
	if (info->suppressed)
		json_writer_uint(w, "baseline_suppressed", info->suppressed);
	json_writer_end(w);
	return json_writer_finish(w);
}

int json_records_anomaly_line(struct json_writer *w,
			      const struct flow_record *f,
			      const struct anomaly *a)
{
	json_writer_object(w, NULL);
	json_writer_str(w, "type", "anomaly");
	put_u64(w, "flow", f->id);
	json_writer_uint(w, "input", f->input);
	put_anomaly(w, "anomaly", f, a);
	json_writer_end(w);
	return json_writer_finish(w);
}
