/*
 * probe.c - the fin-ack, withhold-last-ack and keepalive scenarios (see
 * probe.h), plus the name tables of the probe's records.
 *
 * Each scenario is a short script over the endpoint: connect, act, then
 * endpoint_poll() against a deadline, reading what happened from the
 * endpoint's machine (tcp_fsm's fin_acked, peer_fin_seen, ...) rather than
 * from flags, so the probe judges the peer with the same rules the passive
 * analyzer uses on a capture. Every wait has a deadline; every loop is
 * bounded by a deadline or a count.
 */
#include "analyzer/probe/probe.h"

#include <stdio.h>
#include <string.h>

#include "analyzer/keepalive.h"
#include "analyzer/seq.h"
#include "analyzer/timers.h"
#include "formats/wire/decode.h"

#define TL_NAME(id, name) [id] = name,
#define TL_NAME3(id, name, x) [id] = name,
#define TL_TEXT3(id, name, x) [id] = x,
static const char *const scenario_names[] = {PROBE_SCENARIOS(TL_NAME)};
static const char *const verdict_names[] = {PROBE_VERDICTS(TL_NAME)};
static const char *const fact_names[] = {PROBE_FACTS(TL_NAME3)};
static const char *const fact_questions[] = {PROBE_FACTS(TL_TEXT3)};
static const char *const divergence_names[] = {REPLAY_DIVERGENCES(TL_NAME3)};
static const char *const divergence_texts[] = {REPLAY_DIVERGENCES(TL_TEXT3)};

const char *probe_scenario_name(enum probe_scenario s)
{
	return (unsigned)s < PROBE_SCENARIO_COUNT ? scenario_names[s] : "?";
}

int probe_scenario_from_name(const char *name)
{
	int i;

	for (i = 0; i < PROBE_SCENARIO_COUNT; i++)
		if (strcmp(scenario_names[i], name) == 0)
			return i;
	return -1;
}

const char *probe_verdict_name(enum probe_verdict v)
{
	return (unsigned)v < PROBE_VERDICT_COUNT ? verdict_names[v] : "?";
}

const char *probe_fact_name(enum probe_fact_id f)
{
	return (unsigned)f < PROBE_FACT_COUNT ? fact_names[f] : "?";
}

const char *probe_fact_question(enum probe_fact_id f)
{
	return (unsigned)f < PROBE_FACT_COUNT ? fact_questions[f] : "?";
}

const char *probe_outcome_name(enum probe_outcome o)
{
	switch (o) {
	case PO_YES:
		return "yes";
	case PO_NO:
		return "no";
	default:
		return "n/a";
	}
}

const char *replay_divergence_name(enum replay_divergence d)
{
	return (unsigned)d < REPLAY_DIVERGENCE_COUNT ? divergence_names[d]
						     : "?";
}

const char *replay_divergence_text(enum replay_divergence d)
{
	return (unsigned)d < REPLAY_DIVERGENCE_COUNT ? divergence_texts[d]
						     : "?";
}

/* --- helpers ------------------------------------------------------------- */

static void fact_set(struct probe_result *res, enum probe_fact_id id,
		     enum probe_outcome got, enum probe_outcome expected,
		     uint64_t frame, int64_t at_ns)
{
	struct probe_fact *f = &res->facts[id];

	f->outcome = (uint8_t)got;
	f->expected = (uint8_t)expected;
	f->frame = frame;
	f->after_ns = (at_ns && res->ref_ns) ? at_ns - res->ref_ns : -1;
}

/* Asked, with its expected answer, but not (yet) observed. */
static void fact_ask(struct probe_result *res, enum probe_fact_id id,
		     enum probe_outcome expected)
{
	struct probe_fact *f = &res->facts[id];

	f->outcome = PO_NO;
	f->expected = (uint8_t)expected;
	f->frame = 0;
	f->after_ns = -1;
}

/* The verdict from the facts: every asked fact with an expectation met. */
static void probe_judge(struct probe_result *res)
{
	int i;

	if (res->verdict == PV_ERROR)
		return;
	res->verdict = PV_CONFORMS;
	for (i = 0; i < PROBE_FACT_COUNT; i++) {
		const struct probe_fact *f = &res->facts[i];

		if (f->outcome != PO_NA && f->expected != PO_NA &&
		    f->outcome != f->expected)
			res->verdict = PV_DEVIATES;
	}
}

static int probe_fail(struct probe_result *res, struct endpoint *ep,
		      const char *what)
{
	res->verdict = PV_ERROR;
	snprintf(res->error, sizeof(res->error), "%s: %s", what,
		 endpoint_error(ep));
	return -1;
}

static void probe_defaults(struct probe_options *o)
{
	if (o->timeout_ns <= 0)
		o->timeout_ns = 5000000000LL;
	if (o->withhold_ns <= 0)
		o->withhold_ns = 3000000000LL;
	if (o->quiet_ns <= 0)
		o->quiet_ns = 1000000000LL;
	if (o->keepalives == 0)
		o->keepalives = 3;
	if (o->keepalives > PROBE_MAX_KEEPALIVES)
		o->keepalives = PROBE_MAX_KEEPALIVES;
	if (o->keepalive_interval_ns <= 0)
		o->keepalive_interval_ns = 1000000000LL;
}

/* Connect, recording PF_CONNECTED: yes when the handshake's verdict
 * (verdict.h, as the analyzer would judge it) is complete. 0 when
 * established; 1 when the peer refused or did not answer (a verdict,
 * PV_ERROR); -1 on a device error. */
static int probe_connect(struct endpoint *ep, const struct probe_options *o,
			 struct probe_result *res)
{
	enum endpoint_status st;
	const struct tcp_endpoint *f = endpoint_fsm(ep);

	res->start_ns = endpoint_now(ep);
	st = endpoint_connect(ep, res->start_ns + o->timeout_ns);
	if (st != EP_ERROR && endpoint_handshake(ep) == HS_COMPLETE) {
		fact_set(res, PF_CONNECTED, PO_YES, PO_YES, f->syn_acked_frame,
			 0);
		return 0;
	}
	fact_set(res, PF_CONNECTED, PO_NO, PO_YES, 0, 0);
	if (st == EP_ERROR)
		return probe_fail(res, ep, "connect");
	res->verdict = PV_ERROR;
	if (st == EP_TIMEOUT)
		snprintf(res->error, sizeof(res->error),
			 "connect: no SYN-ACK within the timeout");
	else
		snprintf(res->error, sizeof(res->error), "connect: %s",
			 endpoint_error(ep));
	endpoint_abort(ep);
	return 1;
}

/* Acknowledge a segment of the peer that carries data or a FIN (the ack
 * value respects the withholding). */
static enum endpoint_status probe_ack_if_needed(struct endpoint *ep,
						const struct endpoint_event *ev)
{
	if ((ev->flags & TCP_RST) || (ev->len == 0 && !(ev->flags & TCP_FIN)))
		return EP_OK;
	/* a bare FIN whose ACK is being withheld: say nothing */
	if (ev->len == 0 && endpoint_ack_value(ep) != endpoint_fsm(ep)->rcv_nxt)
		return EP_OK;
	return endpoint_send(ep, TCP_ACK, NULL, 0);
}

/* Note the ACK of our FIN and the peer's FIN as the machine saw them. */
static void probe_close_facts(struct endpoint *ep, struct probe_result *res,
			      const struct endpoint_event *ev)
{
	const struct tcp_endpoint *f = endpoint_fsm(ep);

	if (f->fin_acked && res->facts[PF_FIN_ACKED].outcome != PO_YES)
		fact_set(res, PF_FIN_ACKED, PO_YES, PO_YES, f->fin_acked_frame,
			 f->fin_acked_ts_ns);
	if (f->peer_fin_seen && res->facts[PF_PEER_FIN].outcome != PO_YES)
		fact_set(res, PF_PEER_FIN, PO_YES, PO_YES, f->peer_fin_frame,
			 ev->ts_ns);
	if ((ev->flags & TCP_RST) && f->rst_rcvd &&
	    res->facts[PF_PEER_RESET].outcome != PO_YES)
		fact_set(res, PF_PEER_RESET, PO_YES, PO_NO, ev->frame,
			 ev->ts_ns);
}

/* Leave nothing behind at the peer. */
static int probe_finish(struct endpoint *ep, struct probe_result *res)
{
	if (endpoint_abort(ep) != EP_OK)
		return probe_fail(res, ep, "reset");
	probe_judge(res);
	return 0;
}

/* Send our FIN and wait (until deadline) for its ACK and the peer's FIN,
 * acknowledging data and FIN unless withheld. Returns EP_OK, EP_TIMEOUT
 * (not both seen), EP_RESET, EP_GAVE_UP or EP_ERROR. */
static enum endpoint_status probe_close(struct endpoint *ep,
					struct probe_result *res,
					int64_t deadline, bool stop_at_peer_fin)
{
	const struct tcp_endpoint *f = endpoint_fsm(ep);
	struct endpoint_event ev;
	enum endpoint_status st;

	for (;;) {
		if (f->fin_acked && f->peer_fin_seen)
			return EP_OK;
		if (stop_at_peer_fin && f->peer_fin_seen)
			return EP_OK;
		st = endpoint_poll(ep, deadline, &ev);
		if (st != EP_OK)
			return st;
		probe_close_facts(ep, res, &ev);
		if (f->rst_rcvd)
			return EP_RESET;
		if (probe_ack_if_needed(ep, &ev) != EP_OK)
			return EP_ERROR;
	}
}

/* --- fin-ack ------------------------------------------------------------- */

static int probe_fin_ack(struct endpoint *ep, const struct probe_options *o,
			 struct probe_result *res)
{
	enum endpoint_status st;
	int rc = probe_connect(ep, o, res);

	if (rc != 0)
		return rc < 0 ? -1 : 0;
	fact_ask(res, PF_FIN_ACKED, PO_YES);
	fact_ask(res, PF_PEER_FIN, PO_YES);
	if (endpoint_send(ep, TCP_FIN, NULL, 0) != EP_OK)
		return probe_fail(res, ep, "send FIN");
	res->ref_ns = endpoint_now(ep);
	res->ref_frame = endpoint_fsm(ep)->fin_frame;
	/* fix up the delays of facts set before ref_ns was known: none yet */
	st = probe_close(ep, res, res->ref_ns + o->timeout_ns, false);
	if (st == EP_ERROR)
		return probe_fail(res, ep, "fin-ack");
	return probe_finish(ep, res);
}

/* --- withhold-last-ack --------------------------------------------------- */

/* The peer's FIN retransmissions back off as the analyzer's rto_doubles
 * judges a capture (analyzer/timers.h): more of the intervals 1.6 to 2.6
 * times the one before than not. */
static bool probe_backoff_exponential(const struct probe_result *res)
{
	struct timers_backoff b;

	return timers_backoff_series(res->fin_ts_ns, res->nfins, &b);
}

static void probe_note_fin(struct probe_result *res,
			   const struct endpoint_event *ev)
{
	if ((ev->flags & TCP_FIN) && res->nfins < PROBE_MAX_RTX) {
		res->fin_frames[res->nfins] = ev->frame;
		res->fin_ts_ns[res->nfins] = ev->ts_ns;
		res->nfins++;
	}
}

static int probe_withhold(struct endpoint *ep, const struct probe_options *o,
			  struct probe_result *res)
{
	const struct tcp_endpoint *f = endpoint_fsm(ep);
	struct endpoint_event ev;
	enum endpoint_status st;
	int64_t t_fin, t_ack;
	int rc = probe_connect(ep, o, res);

	if (rc != 0)
		return rc < 0 ? -1 : 0;
	fact_ask(res, PF_FIN_ACKED, PO_YES);
	fact_ask(res, PF_PEER_FIN, PO_YES);
	endpoint_withhold_fin_ack(ep, true);
	if (endpoint_send(ep, TCP_FIN, NULL, 0) != EP_OK)
		return probe_fail(res, ep, "send FIN");
	res->ref_ns = endpoint_now(ep);
	res->ref_frame = f->fin_frame;

	/* 1. the peer's FIN */
	st = probe_close(ep, res, res->ref_ns + o->timeout_ns, true);
	if (st == EP_ERROR)
		return probe_fail(res, ep, "withhold-last-ack");
	if (!f->peer_fin_seen)
		return probe_finish(ep, res);
	{
		const struct endpoint_event *first =
			endpoint_event(ep, f->peer_fin_frame);

		if (first)
			probe_note_fin(res, first);
	}
	t_fin = res->nfins ? res->fin_ts_ns[0] : endpoint_now(ep);

	/* 2. withhold: count the FIN's retransmissions */
	fact_ask(res, PF_FIN_RETRANSMITTED, PO_YES);
	for (;;) {
		st = endpoint_poll(ep, t_fin + o->withhold_ns, &ev);
		if (st == EP_TIMEOUT || st == EP_GAVE_UP)
			break;
		if (st != EP_OK)
			return probe_fail(res, ep, "withhold-last-ack");
		probe_close_facts(ep, res, &ev);
		if (f->rst_rcvd)
			return probe_finish(ep, res);
		if ((ev.flags & TCP_FIN) &&
		    (ev.notes & TCP_FSM_N_PEER_FIN_REPEAT))
			probe_note_fin(res, &ev);
	}
	if (res->nfins > 1) {
		struct probe_fact *fr = &res->facts[PF_FIN_RETRANSMITTED];

		fact_set(res, PF_FIN_RETRANSMITTED, PO_YES, PO_YES,
			 res->fin_frames[1], res->fin_ts_ns[1]);
		fr->count = res->nfins - 1;
		if (res->nfins > 2)
			fact_set(res, PF_BACKOFF_EXPONENTIAL,
				 probe_backoff_exponential(res) ? PO_YES
								: PO_NO,
				 PO_YES, res->fin_frames[res->nfins - 1],
				 res->fin_ts_ns[res->nfins - 1]);
	}

	/* 3. acknowledge at last, and watch */
	endpoint_withhold_fin_ack(ep, false);
	if (endpoint_send(ep, TCP_ACK, NULL, 0) != EP_OK)
		return probe_fail(res, ep, "send the last ACK");
	{
		unsigned n;
		const struct endpoint_event *evs = endpoint_events(ep, &n);

		res->last_ack_frame = n ? evs[n - 1].frame : 0;
	}
	t_ack = endpoint_now(ep);
	fact_set(res, PF_QUIET_AFTER_ACK, PO_YES, PO_YES, res->last_ack_frame,
		 0);
	for (;;) {
		st = endpoint_poll(ep, t_ack + o->quiet_ns, &ev);
		if (st == EP_TIMEOUT || st == EP_GAVE_UP)
			break;
		if (st != EP_OK)
			return probe_fail(res, ep, "withhold-last-ack");
		probe_close_facts(ep, res, &ev);
		if (ev.flags & TCP_FIN) {
			if (res->facts[PF_QUIET_AFTER_ACK].outcome == PO_YES)
				fact_set(res, PF_QUIET_AFTER_ACK, PO_NO, PO_YES,
					 ev.frame, ev.ts_ns);
			if (endpoint_send(ep, TCP_ACK, NULL, 0) != EP_OK)
				return probe_fail(res, ep, "send ACK");
		}
		if (f->rst_rcvd)
			break;
	}
	return probe_finish(ep, res);
}

/* --- keepalive ----------------------------------------------------------- */

static int probe_keepalive(struct endpoint *ep, const struct probe_options *o,
			   struct probe_result *res)
{
	static const uint8_t zero_byte[1];
	const struct tcp_endpoint *f = endpoint_fsm(ep);
	struct probe_fact *ka = &res->facts[PF_KEEPALIVE_ANSWERED];
	struct endpoint_event ev;
	enum endpoint_status st;
	unsigned i, n;
	int rc = probe_connect(ep, o, res);

	if (rc != 0)
		return rc < 0 ? -1 : 0;
	res->ref_ns = endpoint_now(ep);
	fact_ask(res, PF_KEEPALIVE_ANSWERED, PO_YES);
	ka->of = o->keepalives;
	for (i = 0; i < o->keepalives && !f->rst_rcvd; i++) {
		struct probe_keepalive *p = &res->probes[res->nprobes++];
		uint32_t bytes = o->keepalive_bytes == PROBE_KA_ZERO  ? 0
				 : o->keepalive_bytes == PROBE_KA_ONE ? 1
								      : (i & 1);
		int64_t t0;
		const struct endpoint_event *evs;
		bool pending;

		/* RFC 9293 §3.8.4: SEG.SEQ = SND.NXT-1, with or without one
		 * garbage octet */
		if (endpoint_send_raw(ep, f->tx.nxt - 1, endpoint_ack_value(ep),
				      TCP_ACK, zero_byte, bytes) != EP_OK)
			return probe_fail(res, ep, "send keepalive");
		evs = endpoint_events(ep, &n);
		t0 = evs[n - 1].ts_ns;
		p->frame = evs[n - 1].frame;
		p->bytes = bytes;
		pending = true;
		/* wait out the interval; the peer's next segment answers
		 * unless it is a RST, as the analyzer counts answers */
		for (;;) {
			enum keepalive_reply reply;

			st = endpoint_poll(ep, t0 + o->keepalive_interval_ns,
					   &ev);
			if (st == EP_TIMEOUT)
				break;
			if (st != EP_OK)
				return probe_fail(res, ep, "keepalive");
			probe_close_facts(ep, res, &ev);
			reply = keepalive_reply(pending, ev.flags);
			pending = false;
			if (reply == KA_REPLY_ANSWER) {
				p->answer_frame = ev.frame;
				p->answer_ns = ev.ts_ns - t0;
				ka->count++;
				if (!ka->frame)
					ka->frame = ev.frame;
			}
			if (f->rst_rcvd)
				break;
			if (probe_ack_if_needed(ep, &ev) != EP_OK)
				return probe_fail(res, ep, "send ACK");
		}
	}
	if (ka->count == ka->of)
		ka->outcome = PO_YES;
	else
		ka->frame = 0;
	/* close politely, bounded; the RST in probe_finish covers the rest */
	if (!f->rst_rcvd && endpoint_send(ep, TCP_FIN, NULL, 0) == EP_OK) {
		int64_t t = endpoint_now(ep);

		st = probe_close(ep, res, t + o->timeout_ns, false);
		if (st == EP_ERROR)
			return probe_fail(res, ep, "close");
		/* the close is not what this scenario asks about */
		res->facts[PF_FIN_ACKED].outcome = PO_NA;
		res->facts[PF_PEER_FIN].outcome = PO_NA;
	}
	return probe_finish(ep, res);
}

int probe_run(enum probe_scenario sc, struct endpoint *ep,
	      const struct probe_options *opt, struct probe_result *res)
{
	struct probe_options o = *opt;

	probe_defaults(&o);
	memset(res, 0, sizeof(*res));
	res->scenario = (uint8_t)sc;
	switch (sc) {
	case PROBE_FIN_ACK:
		return probe_fin_ack(ep, &o, res);
	case PROBE_WITHHOLD_LAST_ACK:
		return probe_withhold(ep, &o, res);
	case PROBE_KEEPALIVE:
		return probe_keepalive(ep, &o, res);
	default:
		res->verdict = PV_ERROR;
		snprintf(res->error, sizeof(res->error),
			 "scenario %s needs probe_replay()",
			 probe_scenario_name(sc));
		return -1;
	}
}
