/*
 * probe_report.c - `tcplint probe` results as text or JSON (probe_report.h).
 * The probe's records (analyzer/probe/) are plain data; this is the only
 * place that words them.
 */
#include "formats/report/probe_report.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <jansson.h>

#include "formats/report/json_text.h"

/* --- text ---------------------------------------------------------------- */

static void flags_str(uint16_t fl, char *buf)
{
	char *p = buf;

	if (fl & TCP_SYN)
		*p++ = 'S';
	if (fl & TCP_FIN)
		*p++ = 'F';
	if (fl & TCP_RST)
		*p++ = 'R';
	if (fl & TCP_PSH)
		*p++ = 'P';
	if (fl & TCP_ACK)
		*p++ = '.';
	if (p == buf)
		*p++ = '-';
	*p = '\0';
}

static double ms(int64_t ns)
{
	return (double)ns / 1e6;
}

/* Relative numbers, as Wireshark shows them. */
struct probe_rel {
	uint32_t our_isn;
	uint32_t peer_isn;
};

int probe_report_text(FILE *out, const struct probe_target *c,
		      const struct endpoint *ep, const struct probe_result *r)
{
	const struct tcp_endpoint *f = endpoint_fsm(ep);
	const struct endpoint_event *evs;
	const struct endpoint_change *chg;
	char src[INET6_ADDRSTRLEN], fl[8];
	unsigned i, n;
	int af = c->tuple.ip_version == 4 ? AF_INET : AF_INET6;

	inet_ntop(af, c->tuple.src, src, sizeof(src));
	fprintf(out, "probe %s%s%s %s port %u (from %s port %u)\n",
		probe_scenario_name(r->scenario), c->file ? " " : "",
		c->file ? c->file : "", c->host, c->tuple.dport, src,
		c->tuple.sport);
	for (i = 0; i < PROBE_FACT_COUNT; i++) {
		const struct probe_fact *pf = &r->facts[i];

		if (pf->outcome == PO_NA)
			continue;
		fprintf(out, "  %-20s %-3s", probe_fact_name(i),
			probe_outcome_name(pf->outcome));
		if (pf->of)
			fprintf(out, "  %u of %u", pf->count, pf->of);
		else if (pf->count)
			fprintf(out, "  %u times", pf->count);
		if (pf->frame)
			fprintf(out, "  frame %llu",
				(unsigned long long)pf->frame);
		if (pf->after_ns >= 0)
			fprintf(out, "  +%.1f ms", ms(pf->after_ns));
		if (pf->expected != PO_NA && pf->outcome != pf->expected)
			fprintf(out, "  (expected %s)",
				probe_outcome_name(pf->expected));
		fprintf(out, "  - %s\n", probe_fact_question(i));
	}
	for (i = 0; i < r->nfins; i++) {
		fprintf(out, "  peer FIN #%u  frame %llu  +%.1f ms", i + 1,
			(unsigned long long)r->fin_frames[i],
			ms(r->fin_ts_ns[i] - r->fin_ts_ns[0]));
		if (i)
			fprintf(out, "  interval %.1f ms",
				ms(r->fin_ts_ns[i] - r->fin_ts_ns[i - 1]));
		fputc('\n', out);
	}
	if (r->last_ack_frame)
		fprintf(out, "  last ACK sent in frame %llu\n",
			(unsigned long long)r->last_ack_frame);
	for (i = 0; i < r->nprobes; i++) {
		const struct probe_keepalive *p = &r->probes[i];

		fprintf(out, "  keepalive #%u  frame %llu  %u byte%s  ", i + 1,
			(unsigned long long)p->frame, p->bytes,
			p->bytes == 1 ? "" : "s");
		if (p->answer_frame)
			fprintf(out, "answered in frame %llu after %.2f ms\n",
				(unsigned long long)p->answer_frame,
				ms(p->answer_ns));
		else
			fprintf(out, "%s\n", "unanswered");
	}
	if (r->scenario == PROBE_REPLAY)
		fprintf(out,
			"  replayed %u client segments of %llu recorded frames\n",
			r->replay_segments,
			(unsigned long long)r->replay_recorded_frames);
	for (i = 0; i < r->ndivergences; i++) {
		const struct probe_divergence *d = &r->divergences[i];

		fprintf(out, "  divergence %s: %s (recorded %u bytes",
			replay_divergence_name(d->kind),
			replay_divergence_text(d->kind), d->recorded_bytes);
		if (d->recorded_frame)
			fprintf(out, " by recorded frame %llu",
				(unsigned long long)d->recorded_frame);
		fprintf(out, ", live %u bytes", d->live_bytes);
		if (d->live_frame)
			fprintf(out, " by live frame %llu",
				(unsigned long long)d->live_frame);
		fprintf(out, "%s\n", ")");
	}
	fprintf(out, "verdict: %s%s%s\n", probe_verdict_name(r->verdict),
		r->error[0] ? ": " : "", r->error);
	chg = endpoint_changes(ep, &n);
	fprintf(out, "states:");
	for (i = 0; i < n; i++)
		fprintf(out, "%s%s@%llu", i ? " " : " CLOSED ",
			tcp_state_name(chg[i].to),
			(unsigned long long)chg[i].frame);
	fputc('\n', out);
	evs = endpoint_events(ep, &n);
	fprintf(out,
		"exchange (relative numbers; frame = packet in -w FILE):\n");
	for (i = 0; i < n; i++) {
		const struct endpoint_event *e = &evs[i];
		bool sent = e->dir == EP_SENT;
		uint32_t sisn = sent ? f->isn : f->peer_isn;
		uint32_t aisn = sent ? f->peer_isn : f->isn;

		flags_str(e->flags, fl);
		fprintf(out, "  %4llu %9.3f ms %s %-3s %u:%u(%u)",
			(unsigned long long)e->frame,
			ms(e->ts_ns - r->start_ns), sent ? ">" : "<", fl,
			e->seq - sisn, e->seq - sisn + e->len, e->len);
		if (e->flags & TCP_ACK)
			fprintf(out, " ack %u", e->ack - aisn);
		fprintf(out, "  %s%s\n", tcp_state_name(e->state),
			e->retransmission ? " (retransmission)" : "");
	}
	return ferror(out) ? -1 : 0;
}

/* --- JSON (jansson: one tree, dumped once) ------------------------------- */

/*
 * ns -> milliseconds rounded to the microsecond: a JSON real. Dumped with
 * JSON_REAL_PRECISION(15) (DBL_DIG), so 9.928 prints as 9.928, not as the
 * 17 digits of the nearest double.
 */
static json_t *probe_json_ms(int64_t ns)
{
	int64_t us = ns >= 0 ? (ns + 500) / 1000 : (ns - 500) / 1000;

	return json_real((double)us / 1e3);
}

/* Frame numbers and counts are JSON integers (json_int_t is signed). */
static json_int_t probe_json_int(uint64_t v)
{
	return (json_int_t)(v > (uint64_t)INT64_MAX ? (uint64_t)INT64_MAX : v);
}

static json_t *probe_json_facts(const struct probe_result *r)
{
	json_t *facts = json_object();
	unsigned i;

	if (!facts)
		return NULL;
	for (i = 0; i < PROBE_FACT_COUNT; i++) {
		const struct probe_fact *pf = &r->facts[i];
		json_t *o;

		if (pf->outcome == PO_NA)
			continue;
		o = json_pack("{s:s, s:s, s:I, s:o, s:I, s:I}", "outcome",
			      probe_outcome_name(pf->outcome), "expected",
			      probe_outcome_name(pf->expected), "frame",
			      probe_json_int(pf->frame), "after_ms",
			      pf->after_ns >= 0 ? probe_json_ms(pf->after_ns)
						: json_null(),
			      "count", (json_int_t)pf->count, "of",
			      (json_int_t)pf->of);
		if (json_object_set_new(facts, probe_fact_name(i), o) != 0) {
			json_decref(facts);
			return NULL;
		}
	}
	return facts;
}

static json_t *probe_json_fins(const struct probe_result *r)
{
	json_t *a = json_array();
	unsigned i;

	for (i = 0; a && i < r->nfins; i++) {
		json_t *o = json_pack(
			"{s:I, s:o, s:o}", "frame",
			probe_json_int(r->fin_frames[i]), "t_ms",
			probe_json_ms(r->fin_ts_ns[i] - r->fin_ts_ns[0]),
			"interval_ms",
			probe_json_ms(i ? r->fin_ts_ns[i] - r->fin_ts_ns[i - 1]
					: 0));

		if (json_array_append_new(a, o) != 0) {
			json_decref(a);
			a = NULL;
		}
	}
	return a;
}

static json_t *probe_json_keepalives(const struct probe_result *r)
{
	json_t *a = json_array();
	unsigned i;

	for (i = 0; a && i < r->nprobes; i++) {
		const struct probe_keepalive *p = &r->probes[i];
		json_t *o =
			json_pack("{s:I, s:I, s:I, s:o}", "frame",
				  probe_json_int(p->frame), "bytes",
				  (json_int_t)p->bytes, "answer_frame",
				  probe_json_int(p->answer_frame), "answer_ms",
				  p->answer_frame ? probe_json_ms(p->answer_ns)
						  : json_null());

		if (json_array_append_new(a, o) != 0) {
			json_decref(a);
			a = NULL;
		}
	}
	return a;
}

static json_t *probe_json_replay(const struct probe_result *r)
{
	json_t *divs = json_array();
	unsigned i;

	for (i = 0; divs && i < r->ndivergences; i++) {
		const struct probe_divergence *d = &r->divergences[i];
		json_t *o = json_pack(
			"{s:s, s:I, s:I, s:I, s:I}", "kind",
			replay_divergence_name(d->kind), "recorded_frame",
			probe_json_int(d->recorded_frame), "live_frame",
			probe_json_int(d->live_frame), "recorded_bytes",
			(json_int_t)d->recorded_bytes, "live_bytes",
			(json_int_t)d->live_bytes);

		if (json_array_append_new(divs, o) != 0) {
			json_decref(divs);
			divs = NULL;
		}
	}
	return json_pack("{s:I, s:I, s:o}", "segments",
			 (json_int_t)r->replay_segments, "recorded_frames",
			 probe_json_int(r->replay_recorded_frames),
			 "divergences", divs);
}

static json_t *probe_json_states(const struct endpoint *ep,
				 const struct probe_result *r)
{
	const struct endpoint_change *chg;
	json_t *a = json_array();
	unsigned i, n;

	chg = endpoint_changes(ep, &n);
	for (i = 0; a && i < n; i++) {
		json_t *o = json_pack("{s:I, s:o, s:s, s:s}", "frame",
				      probe_json_int(chg[i].frame), "t_ms",
				      probe_json_ms(chg[i].ts_ns - r->start_ns),
				      "from", tcp_state_name(chg[i].from), "to",
				      tcp_state_name(chg[i].to));

		if (json_array_append_new(a, o) != 0) {
			json_decref(a);
			a = NULL;
		}
	}
	return a;
}

/* The exchange in relative numbers, as Wireshark shows them. */
static json_t *probe_json_exchange(const struct endpoint *ep,
				   const struct probe_result *r)
{
	const struct tcp_endpoint *f = endpoint_fsm(ep);
	const struct endpoint_event *evs;
	json_t *a = json_array();
	char fl[8];
	unsigned i, n;

	evs = endpoint_events(ep, &n);
	for (i = 0; a && i < n; i++) {
		const struct endpoint_event *e = &evs[i];
		bool sent = e->dir == EP_SENT;
		uint32_t sisn = sent ? f->isn : f->peer_isn;
		uint32_t aisn = sent ? f->peer_isn : f->isn;
		json_t *o;

		flags_str(e->flags, fl);
		o = json_pack("{s:I, s:o, s:s, s:s, s:I, s:I, s:I, s:s, s:b}",
			      "frame", probe_json_int(e->frame), "t_ms",
			      probe_json_ms(e->ts_ns - r->start_ns), "dir",
			      sent ? "sent" : "received", "flags", fl, "seq",
			      (json_int_t)(uint32_t)(e->seq - sisn), "ack",
			      (json_int_t)((e->flags & TCP_ACK)
						   ? (uint32_t)(e->ack - aisn)
						   : 0),
			      "len", (json_int_t)e->len, "state",
			      tcp_state_name(e->state), "retransmission",
			      e->retransmission ? 1 : 0);
		if (json_array_append_new(a, o) != 0) {
			json_decref(a);
			a = NULL;
		}
	}
	return a;
}

/*
 * The JSON report: one jansson tree (every json_object_set_new() and "o" of
 * json_pack() takes over its reference), dumped once to stdout, indented
 * when stdout is a terminal and on one line otherwise, as the analyze JSON
 * report does. Returns 0, or -1 when the tree cannot be built (out of
 * memory) or written.
 */
int probe_report_json(FILE *out, const struct probe_target *c, bool pretty,
		      const struct endpoint *ep, const struct probe_result *r)
{
	char src[INET6_ADDRSTRLEN];
	int af = c->tuple.ip_version == 4 ? AF_INET : AF_INET6;
	size_t flags = JSON_REAL_PRECISION(15);
	json_t *doc;
	int ret;

	inet_ntop(af, c->tuple.src, src, sizeof(src));
	doc = json_pack("{s:s}", "scenario", probe_scenario_name(r->scenario));
	if (!doc)
		return -1;
	ret = 0;
	if (c->file)
		ret |= json_object_set_new(doc, "file", json_text(c->file));
	ret |= json_object_set_new(doc, "target",
				   json_pack("{s:o, s:I}", "host",
					     json_text(c->host), "port",
					     (json_int_t)c->tuple.dport));
	ret |= json_object_set_new(doc, "source",
				   json_pack("{s:s, s:I}", "host", src, "port",
					     (json_int_t)c->tuple.sport));
	ret |= json_object_set_new(doc, "verdict",
				   json_string(probe_verdict_name(r->verdict)));
	ret |= json_object_set_new(
		doc, "error", r->error[0] ? json_text(r->error) : json_null());
	ret |= json_object_set_new(doc, "facts", probe_json_facts(r));
	ret |= json_object_set_new(doc, "peer_fins", probe_json_fins(r));
	ret |= json_object_set_new(
		doc, "last_ack_frame",
		json_integer(probe_json_int(r->last_ack_frame)));
	ret |= json_object_set_new(doc, "keepalives", probe_json_keepalives(r));
	ret |= json_object_set_new(doc, "replay", probe_json_replay(r));
	ret |= json_object_set_new(doc, "states", probe_json_states(ep, r));
	ret |= json_object_set_new(doc, "exchange", probe_json_exchange(ep, r));
	ret |= json_object_set_new(
		doc, "dropped", json_integer((json_int_t)endpoint_dropped(ep)));
	if (ret == 0) {
		flags |= pretty ? JSON_INDENT(2) : JSON_COMPACT;
		if (json_dumpf(doc, out, flags) != 0 || fputc('\n', out) == EOF)
			ret = -1;
	}
	json_decref(doc);
	return ret;
}
