/*
 * rules.c - the anomaly rules that read the state machines: missing ACK,
 * premature close, half-open, lingering CLOSE_WAIT, keepalive bursts, data
 * after FIN, bad ACK, TIME_WAIT reuse and the handshake verdicts raised as
 * anomalies; plus the timer forensics (SYN/FIN back-off, keepalive timers)
 * and the capture-point inference. The per-segment sequence analysis
 * (retransmission, duplicate ACK, ...) is in rules_stream.c.
 *
 * Order of work for one segment (analyzer.c): rules_before() sees it while
 * both state machines still hold the states from before it, so anomalies
 * about an abort carry the states in which it happened; rules_after() sees
 * the new states (CLOSE_WAIT clock). rules_tick() applies the timeouts during
 * a live capture; rules_finish() applies the end-of-capture rules once.
 * Every rule is written down in docs/ANOMALIES.md. Nothing here allocates
 * (the cold parts it keeps come from the pools, flow_cold.h), prints or
 * formats: anomalies are plain records (anomaly.c words them).
 */
#include "analyzer/rules.h"

#include <string.h>

#include "analyzer/flow.h"
#include "analyzer/flow_cold.h"
#include "analyzer/keepalive.h"
#include "analyzer/rules_int.h"
#include "analyzer/seq.h"
#include "analyzer/seq_track.h"
#include "analyzer/timers.h"

/* Why each anomaly was raised is its cause (anomaly_types.h). Some types
 * also keep a kind in anomaly.value: what missing_ack waited for
 * (enum missing_ack_what), and these. */

/* premature_close: how (anomaly.value) */
#define PC_RST 0
#define PC_FIN_IN_HANDSHAKE 1
#define PC_RST_IN_HANDSHAKE 2

/* half_open: which of the three rules (anomaly.value) */
#define HO_SYNACK 0    /* the SYN-ACK never acknowledged */
#define HO_BARE_RST 1  /* a bare RST of a side that lost its connection */
#define HO_CHALLENGE 2 /* a challenge ACK to a new SYN */

/* --- raising ------------------------------------------------------------- */

static bool is_stream_type(uint8_t t)
{
	switch (t) {
	case ANOM_RETRANSMISSION:
	case ANOM_FAST_RETRANSMISSION:
	case ANOM_SPURIOUS_RETRANSMISSION:
	case ANOM_OUT_OF_ORDER:
	case ANOM_DUPLICATE_ACK:
	case ANOM_ZERO_WINDOW:
	case ANOM_ZERO_WINDOW_PROBE:
	case ANOM_WINDOW_FULL:
	case ANOM_LOST_SEGMENT:
	case ANOM_ACK_UNSEEN:
		return true;
	default:
		return false;
	}
}

void rules_env_begin(struct rules_env *env, const struct flow *f)
{
	env->flow = f;
	env->first_new = flow_anomalies_stored(f);
	env->nunstored = 0;
}

const struct anomaly *rules_env_found(const struct rules_env *env, uint32_t i)
{
	uint32_t stored;

	if (env->flow == NULL)
		return NULL;
	stored = flow_anomalies_stored(env->flow) - env->first_new;
	if (i < stored)
		return &env->flow->anomalies->a[env->first_new + i];
	i -= stored;
	return i < env->nunstored ? &env->unstored[i] : NULL;
}

void rules_record(struct rules_env *env, struct flow *f,
		  const struct anomaly *a)
{
	struct flow_anomalies *s = flow_cold_anomalies(env->cold, f);
	struct anomaly copy = *a;

	if (s == NULL)
		return; /* no memory for the flow's anomaly store */
	copy.state[ROLE_CLIENT] = f->ep[ROLE_CLIENT].state;
	copy.state[ROLE_SERVER] = f->ep[ROLE_SERVER].state;
	copy.drops_during = env->drops > f->drops_at_start;
	if (copy.type < ANOMALY_TYPE_COUNT)
		s->counts[copy.type]++;
	if (flow_cold_anomaly_add(env->cold, f, &copy))
		return;
	f->anomalies->dropped++; /* the store may have moved */
	if (env->flow == f && env->nunstored < RULES_UNSTORED_MAX)
		env->unstored[env->nunstored++] = copy;
}

void rules_anomaly_init(struct anomaly *a, enum anomaly_type t, unsigned cause,
			int endpoint, uint64_t frame, int64_t ts_ns)
{
	memset(a, 0, sizeof(*a));
	a->type = (uint8_t)t;
	a->cause = (uint8_t)cause;
	a->severity = (uint8_t)anomaly_type_severity(t);
	a->confidence = (uint8_t)anomaly_type_confidence(t);
	a->endpoint = (uint8_t)endpoint;
	a->frame = frame;
	a->ts_ns = ts_ns;
}

void rules_raise(struct rules_env *env, struct flow *f,
		 const struct anomaly *in)
{
	struct flow_anomalies *s;
	struct anomaly copy = *in;
	const struct anomaly *a = &copy;

	if (copy.type >= ANOMALY_TYPE_COUNT)
		return;
	s = flow_cold_anomalies(env->cold, f);
	if (s == NULL)
		return; /* no memory for the flow's anomaly store */
	/* offload super-segments and cut frames: the capture is not a faithful
	 * picture of the wire, so the stream verdicts are less certain (a gap
	 * or an unseen ACK most of all) */
	if (f->rec.artefacts != 0 && is_stream_type(copy.type)) {
		if (copy.type == ANOM_LOST_SEGMENT ||
		    copy.type == ANOM_ACK_UNSEEN)
			copy.confidence = CONF_LOW;
		else if (copy.confidence == CONF_HIGH)
			copy.confidence = CONF_MEDIUM;
	}
	if (is_stream_type(a->type) &&
	    (s->stored[a->type] >= RULES_STORE_PER_TYPE ||
	     s->n >= FLOW_MAX_ANOMALIES - RULES_RESERVED)) {
		/* counted, not stored: keep the room for the rarer faults */
		s->counts[a->type]++;
		s->dropped++;
		return;
	}
	if (s->stored[a->type] < UINT8_MAX)
		s->stored[a->type]++;
	rules_record(env, f, a);
}

/* --- helpers ------------------------------------------------------------- */

static bool st_open(uint8_t s)
{
	switch (s) {
	case TCP_ST_ESTABLISHED:
	case TCP_ST_FIN_WAIT_1:
	case TCP_ST_FIN_WAIT_2:
	case TCP_ST_CLOSE_WAIT:
	case TCP_ST_CLOSING:
	case TCP_ST_LAST_ACK:
	case TCP_ST_UNKNOWN:
		return true;
	default:
		return false;
	}
}

static const struct analyzer_config *cfg_of(struct rules_env *env)
{
	return env->cfg;
}

static int64_t az_ack_timeout(struct rules_env *env)
{
	return env->cfg->ack_timeout_ns;
}

/* f's timer forensics, taken when first needed; without memory, *spare
 * (zeroed) takes what would be lost. */
static struct flow_timers *timers_of(struct rules_env *env, struct flow *f,
				     struct flow_timers *spare)
{
	struct flow_timers *ft = flow_cold_timers(env->cold, f);

	if (ft != NULL)
		return ft;
	memset(spare, 0, sizeof(*spare));
	return spare;
}

/* One more (re)transmission of sender's SYN, SYN-ACK or FIN (is_fin): count
 * it and judge its interval against the previous one (timers.h). */
static void ctl_tx(struct rules_env *env, struct flow *f, int sender,
		   struct rules_ctl *c, bool is_fin, uint32_t seq,
		   uint64_t frame, int64_t ts_ns, bool hole)
{
	struct flow_timers spare, *ft;
	struct endpoint_timers *tm;
	uint32_t *retries;
	int64_t *first_gap;
	int64_t gap;

	if (!c->active) {
		memset(c, 0, sizeof(*c));
		c->active = true;
		c->frame = frame;
		c->ts_ns = ts_ns;
		c->seq = seq;
		c->last_tx_ns = ts_ns;
		c->tx = 1;
		return;
	}
	gap = ts_ns - c->last_tx_ns;
	if (gap < RULES_CAPTURE_DUP_NS)
		return; /* a copy of the frame, not a retransmission */
	ft = timers_of(env, f, &spare);
	tm = &ft->ep[sender];
	retries = is_fin ? &tm->fin_retries : &tm->syn_retries;
	first_gap = is_fin ? &tm->fin_rto_first_ns : &tm->syn_rto_first_ns;
	if (c->tx == 1 && *first_gap == 0)
		*first_gap = gap;
	timers_backoff_add(&ft->backoff[sender], c->prev_gap_ns, gap);
	c->prev_gap_ns = gap;
	c->last_tx_ns = ts_ns;
	if (c->tx < UINT16_MAX)
		c->tx++;
	if (hole || c->untracked) {
		/* resent with data lost before it, or a FIN sent before the
		 * handshake ended: not a question of its own ACK */
	} else if (c->ack_frame == 0) {
		c->rtx_before_ack++;
	} else {
		if (c->rtx_after_ack == 0)
			c->rtx_after_ack_frame = frame;
		c->rtx_after_ack++;
	}
	if ((uint32_t)(c->tx - 1) > *retries)
		*retries = (uint32_t)(c->tx - 1);
}

/* Linux's minimum retransmission timeout (TCP_RTO_MIN, 200 ms): a FIN
 * resent sooner is a tail-loss probe (RFC 8985 §7), sent on a guess. */
#define RULES_RTO_MIN_NS (200 * 1000000LL)

/* The ACK's D-SACK covers seq: the receiver got seq twice, so it had
 * received the first copy. */
static bool dsack_covers(const struct pkt_view *pkt, uint32_t seq)
{
	const struct tcp_sack_block *b = &pkt->opt.sack[0];

	return rules_dsack(pkt) && SEQ_LEQ(b->left, seq) &&
	       SEQ_LT(seq, b->right);
}

static void raise_missing_ack(struct rules_env *env, struct flow *f, int sender,
			      const struct rules_ctl *c, uint32_t kind,
			      bool acked, uint64_t at_frame, int64_t at_ns)
{
	unsigned cause = CAUSE_MISSING_ACK_NEVER;
	struct anomaly a;

	if (kind & ANOM_WHAT_ACK_SEEN)
		cause = CAUSE_MISSING_ACK_ACK_LOST;
	else if (acked)
		cause = CAUSE_MISSING_ACK_LATE;
	rules_anomaly_init(&a, ANOM_MISSING_ACK, cause, 1 - sender, at_frame,
			   at_ns);
	a.frame = c->frame;
	a.ts_ns = c->ts_ns;
	a.ref_frame = c->ack_frame;
	/* never acknowledged: name the RST that ended the flow instead (the
	 * sender's state machine took it, sent or received), if one did */
	if (!acked)
		a.ref_frame = f->ep[sender].rst_frame != 0
				      ? f->ep[sender].rst_frame
			      : f->ep[1 - sender].rst_sent
				      ? f->ep[1 - sender].rst_frame
				      : 0;
	a.count = (kind & ANOM_WHAT_ACK_SEEN) ? c->rtx_after_ack
					      : c->rtx_before_ack;
	a.duration_ns = c->last_tx_ns - c->ts_ns;
	a.value = kind;
	if (kind & ANOM_WHAT_ACK_SEEN)
		a.confidence = CONF_MEDIUM;
	/* the capture lost segments of this flow: the ACK may be among them */
	if (!acked && (flow_anomaly_count(f, ANOM_LOST_SEGMENT) > 0 ||
		       flow_anomaly_count(f, ANOM_ACK_UNSEEN) > 0))
		a.confidence = (kind & ANOM_WHAT_MASK) == ANOM_WHAT_DATA
				       ? CONF_LOW
				       : CONF_MEDIUM;
	rules_raise(env, f, &a);
}

/* --- keepalive ----------------------------------------------------------- */

/* The run of d's probes ended (cause: how, a keepalive_burst cause; frame:
 * the RST that ended it, if one did): raise the burst if enough probes went
 * unanswered. */
static void ka_burst(struct rules_env *env, struct flow *f, int prober,
		     unsigned how, uint64_t frame, int64_t ts_ns)
{
	struct rules_ka_dir *d;
	struct anomaly a;

	if (f->rules.ka == NULL)
		return; /* no probe seen */
	d = &f->rules.ka->dir[prober];
	if (d->ka_burst_reported ||
	    d->ka_unanswered < cfg_of(env)->keepalive_burst ||
	    d->ka_unanswered == 0)
		return;
	rules_anomaly_init(&a, ANOM_KEEPALIVE_BURST, how, 1 - prober,
			   d->ka_first_frame, d->ka_first_ns);
	a.ref_frame = how == CAUSE_KEEPALIVE_PROBER_RST ||
				      how == CAUSE_KEEPALIVE_PEER_RST
			      ? frame
			      : d->ka_last_frame;
	a.count = d->ka_unanswered;
	a.duration_ns = d->ka_last_ns - d->ka_first_ns;
	a.value = (uint32_t)(d->ka_interval_ns / 1000000);
	(void)ts_ns;
	d->ka_burst_reported = true;
	rules_raise(env, f, &a);
}

/* The latest probe of d's run went unanswered: count it, and when it is the
 * first of the run it is where the burst starts. Every path that counts one
 * goes through here, so a burst never names a frame it did not set. */
static void ka_count_unanswered(struct rules_ka_dir *d)
{
	if (d->ka_unanswered == 0) {
		d->ka_first_frame = d->ka_last_frame;
		d->ka_first_ns = d->ka_last_ns;
	}
	d->ka_unanswered++;
}

/* The prober resets the connection one probe interval after its latest
 * probe although the capture shows its probes answered: its keepalive timer
 * gave up, so the answers never reached it (lost after the capture point;
 * the same idea as missing_ack's "ACK captured, yet retransmitted"). True
 * when it raised keepalive_burst for that. */
static bool ka_chain_gave_up(struct rules_env *env, struct flow *f, int prober,
			     uint64_t frame, int64_t ts_ns)
{
	const struct rules_ka_dir *d = flow_cold_ka_of(f, prober);
	struct flow_timers spare;
	struct endpoint_timers *tm;
	int64_t gap = ts_ns - d->ka_chain_last_ns;
	double ratio;
	struct anomaly a;

	/* two probes at least, to know the interval; one answered at least
	 * (all unanswered is the ordinary burst, or under --keepalive-burst) */
	if (d->ka_chain < 2 || d->ka_chain_answered == 0 ||
	    d->ka_chain_gap_ns <= 0 || gap <= 0)
		return false;
	/* a ratio, not products: hostile timestamps reach 2^62 ns */
	ratio = (double)gap / (double)d->ka_chain_gap_ns;
	if (ratio < 0.75 || ratio > 1.5)
		return false;
	rules_anomaly_init(&a, ANOM_KEEPALIVE_BURST,
			   CAUSE_KEEPALIVE_ANSWERS_LOST, 1 - prober,
			   d->ka_chain_first_frame, d->ka_chain_first_ns);
	a.ref_frame = frame;
	a.count = d->ka_chain;
	a.duration_ns = d->ka_chain_last_ns - d->ka_chain_first_ns;
	a.value = (uint32_t)(d->ka_chain_gap_ns / 1000000);
	a.confidence = CONF_MEDIUM;
	/* the prober's timer saw one run: its interval, not the idle time
	 * each captured answer restarted */
	tm = &timers_of(env, f, &spare)->ep[prober];
	tm->keepalive_interval_ns = d->ka_chain_gap_ns;
	if (d->ka_chain_idle_ns > 0)
		tm->keepalive_idle_ns = d->ka_chain_idle_ns;
	if (d->ka_chain > tm->keepalive_probes)
		tm->keepalive_probes = d->ka_chain;
	rules_raise(env, f, &a);
	return true;
}

static void ka_end_chain(struct rules_ka_dir *d)
{
	d->ka_chain = 0;
	d->ka_chain_answered = 0;
	d->ka_chain_gap_ns = 0;
}

static void ka_end_run(struct rules_ka_dir *d)
{
	d->ka_run = 0;
	d->ka_unanswered = 0;
	d->ka_pending = false;
	d->ka_burst_reported = false;
}

/* Keepalive bookkeeping for one segment with analysis flags af. */
static void ka_segment(struct rules_env *env, struct flow *f, int from,
		       const struct pkt_view *pkt, uint16_t af, uint64_t frame,
		       int64_t ts_ns)
{
	struct rules_flow *rf = &f->rules;
	struct rules_ka_dir *d, *peer;
	bool rst = (pkt->flags & TCP_RST) != 0;
	enum keepalive_reply reply;

	rf->ka_rst = false;
	if ((af & RULES_A_KA_PROBE) && rf->ka == NULL)
		flow_cold_ka(env->cold, f);
	if (rf->ka == NULL) {
		/* no probe either way yet: only the idle clock moves */
		if (!(af & (RULES_A_KEEPALIVE | RULES_A_KEEPALIVE_ACK)))
			rf->last_activity_ns = ts_ns;
		return;
	}
	d = &rf->ka->dir[from];
	peer = &rf->ka->dir[1 - from];
	/* the peer's probes: this segment answers them (or kills them) */
	reply = keepalive_reply(peer->ka_pending, pkt->flags);
	if (reply != KA_REPLY_NONE) {
		if (reply == KA_REPLY_RESET) {
			/* the RST kills the pending probe: unanswered, and the
			 * first of the run when none went unanswered before */
			ka_count_unanswered(peer);
			ka_burst(env, f, 1 - from, CAUSE_KEEPALIVE_PEER_RST,
				 frame, ts_ns);
			ka_end_run(peer);
		} else {
			/* answered: the idle clock restarts from here */
			peer->answered++;
			peer->ka_chain_answered++;
			peer->ka_pending = false;
			ka_burst(env, f, 1 - from, CAUSE_KEEPALIVE_SURVIVED,
				 frame, ts_ns);
			ka_end_run(peer);
			rf->last_activity_ns = ts_ns;
		}
	}
	if (af & RULES_A_KA_PROBE) {
		struct flow_timers spare;
		struct endpoint_timers *tm =
			&timers_of(env, f, &spare)->ep[from];

		if (d->ka_chain == 0) {
			d->ka_chain_first_frame = frame;
			d->ka_chain_first_ns = ts_ns;
			d->ka_chain_idle_ns =
				rf->last_activity_ns != 0
					? ts_ns - rf->last_activity_ns
					: 0;
		} else {
			d->ka_chain_gap_ns = ts_ns - d->ka_chain_last_ns;
		}
		d->ka_chain++;
		d->ka_chain_last_ns = ts_ns;
		if (d->ka_run == 0) {
			int64_t idle = ts_ns - rf->last_activity_ns;

			if (rf->last_activity_ns != 0 && idle > 0)
				tm->keepalive_idle_ns = idle;
		} else {
			d->ka_interval_ns = ts_ns - d->ka_last_ns;
			tm->keepalive_interval_ns = d->ka_interval_ns;
		}
		if (d->ka_pending) {
			ka_count_unanswered(d);
		}
		d->ka_run++;
		d->ka_pending = true;
		d->ka_last_frame = frame;
		d->ka_last_ns = ts_ns;
		d->probes++;
		if (d->ka_run > tm->keepalive_probes)
			tm->keepalive_probes = d->ka_run;
		return;
	}
	if (d->ka_run > 0 && !(af & RULES_A_KEEPALIVE_ACK)) {
		/* the prober did something else: the run is over */
		if (d->ka_pending) {
			ka_count_unanswered(d);
		}
		if (rst && d->ka_unanswered >= cfg_of(env)->keepalive_burst) {
			ka_burst(env, f, from, CAUSE_KEEPALIVE_PROBER_RST,
				 frame, ts_ns);
			rf->ka_rst = true;
		} else {
			ka_burst(env, f, from, CAUSE_KEEPALIVE_SURVIVED, frame,
				 ts_ns);
		}
		ka_end_run(d);
	}
	if (d->ka_chain > 0 && !(af & RULES_A_KEEPALIVE_ACK)) {
		if (rst && !rf->ka_rst &&
		    ka_chain_gave_up(env, f, from, frame, ts_ns))
			rf->ka_rst = true; /* not also premature_close */
		ka_end_chain(d);
	}
	if (!(af & (RULES_A_KEEPALIVE | RULES_A_KEEPALIVE_ACK)))
		rf->last_activity_ns = ts_ns;
	if (!(af & RULES_A_KEEPALIVE_ACK) && !rst &&
	    (pkt->payload_bytes > 0 || (pkt->flags & (TCP_SYN | TCP_FIN)))) {
		/* real traffic from the peer */
		if (peer->ka_run > 0)
			ka_end_run(peer);
		ka_end_chain(peer);
	}
}

/* --- aborts -------------------------------------------------------------- */

/* What the sequence analysis is about to move on: the latest segments of
 * both directions before this one. */
struct rules_prev {
	uint64_t my_last_frame;
	uint64_t peer_last_frame;
	uint32_t peer_lastack;
	bool peer_seen;
};

/*
 * Why an endpoint answered the peer's segment with a bare RST <SEQ=SEG.ACK>
 * (half_open, value HO_BARE_RST), in a->cause: lost_connection (crash or
 * reboot, as §3.5.2 tells; the RST sender is `from`) unless one of these:
 * gave_up_connecting: it never had the connection: it sent only its SYN
 *   (count = times sent again) and never acknowledged anything, the
 *   SYN-ACKs were lost after the capture point and connect() timed out;
 *   the peer was in SYN_RECEIVED;
 * gave_up_retransmitting: its last segments were retransmissions of the
 *   same data that the peer did not answer (count = retransmissions,
 *   duration since the first transmission of that data): it gave up after
 *   them (its retransmission timeout, tcp_retries2 or TCP_USER_TIMEOUT)
 *   and the peer's segment came too late.
 */
static void half_open_cause(const struct flow *f, int from,
			    const struct rules_prev *pv, int64_t ts_ns,
			    struct anomaly *a)
{
	const struct tcp_endpoint *e = &f->ep[from];
	const struct rules_dir *d = &f->rules.dir[from];
	const struct rules_ring *r = flow_cold_ring_of(f, from);

	if (e->syn_sent && (d->syn_kinds & 1) && !(d->syn_kinds & 2) &&
	    !e->tx.max_ack_known && !e->fin_sent) {
		a->cause = CAUSE_HALF_OPEN_GAVE_UP_CONNECTING;
		a->count = e->syn_tx > 0 ? e->syn_tx - 1u : 0;
		a->duration_ns = ts_ns - e->syn_ts_ns;
		return;
	}
	if (r->rtx_active && r->rtx_count > 0 && !r->rtx_answered &&
	    r->rtx_last_frame == pv->my_last_frame) {
		a->cause = CAUSE_HALF_OPEN_GAVE_UP_RTX;
		a->count = r->rtx_count;
		a->duration_ns = ts_ns - r->rtx_orig_ns;
	}
}

/* The end of the data in a received sequence number: the peer's FIN also
 * takes one, and an unacknowledged FIN is no unread data. */
static uint32_t data_only(const struct tcp_endpoint *e, uint32_t rcv)
{
	if (e->peer_fin_seen && SEQ_GT(rcv, e->peer_fin_seq))
		return e->peer_fin_seq;
	return rcv;
}

static void rst_rules(struct rules_env *env, struct flow *f, int from,
		      const struct pkt_view *pkt, uint64_t frame, int64_t ts_ns,
		      const struct rules_prev *pv)
{
	struct rules_flow *rf = &f->rules;
	uint8_t s = rf->prev_state[from], p = rf->prev_state[1 - from];
	struct anomaly a;

	if (rf->premature_reported || rf->half_open_reported || rf->ka_rst)
		return;
	/* RFC 9293 §3.5.2: a side that lost its connection answers the
	 * peer's segment with a bare RST taking its seq from that ACK */
	if (!(pkt->flags & TCP_ACK) && pv->peer_seen &&
	    (s == TCP_ST_ESTABLISHED || s == TCP_ST_UNKNOWN) &&
	    pkt->seq == pv->peer_lastack &&
	    pv->peer_last_frame > pv->my_last_frame) {
		rules_anomaly_init(&a, ANOM_HALF_OPEN, CAUSE_HALF_OPEN_LOST,
				   from, frame, ts_ns);
		a.ref_frame = pv->peer_last_frame;
		a.value = HO_BARE_RST;
		half_open_cause(f, from, pv, ts_ns, &a);
		rf->half_open_reported = true;
		rules_raise(env, f, &a);
		return;
	}
	if (p == TCP_ST_CLOSED || p == TCP_ST_TIME_WAIT)
		return; /* the peer was already done: nothing aborted */
	if (st_open(s) || s == TCP_ST_SYN_RECEIVED) {
		bool hs = s == TCP_ST_SYN_RECEIVED;

		rules_anomaly_init(&a, ANOM_PREMATURE_CLOSE,
				   hs ? CAUSE_PREMATURE_CLOSE_RST_HANDSHAKE
				      : CAUSE_PREMATURE_CLOSE_RST,
				   from, frame, ts_ns);
		a.value = hs ? PC_RST_IN_HANDSHAKE : PC_RST;
		/* unread data: the peer sent bytes the aborter never acked.
		 * Data only: an unacknowledged FIN of the peer also moves
		 * rcv_nxt, and is no unread data (it is missing_ack) */
		if (f->ep[from].rcv_known && f->ep[from].tx.max_ack_known) {
			const struct tcp_endpoint *e = &f->ep[from];
			const struct rules_close_dir *cd =
				flow_cold_close_of(f, from);

			if (SEQ_GT(data_only(e, e->rcv_nxt), e->tx.max_ack))
				a.cause = CAUSE_PREMATURE_CLOSE_UNREAD;
			/* RFC 9293 §3.10.7.4: data to a side whose receive
			 * half is closed is refused (Linux resets it); unread
			 * at close is only what came before its own FIN */
			if (a.cause == CAUSE_PREMATURE_CLOSE_UNREAD &&
			    cd->rcv_at_fin_known &&
			    cd->data_after_close_frame != 0) {
				uint32_t at_fin = data_only(e, cd->rcv_at_fin);

				if (SEQ_LEQ(at_fin, e->tx.max_ack)) {
					a.cause = CAUSE_PREMATURE_CLOSE_REFUSED;
					a.ref_frame =
						cd->data_after_close_frame;
				}
			}
		}
		a.count = (uint32_t)pkt->payload_bytes;
		/* no handshake captured and neither side showed a state (a
		 * capture of one RST): nothing says a connection was open,
		 * the RST may answer a segment of one long gone */
		if (s == TCP_ST_UNKNOWN && p == TCP_ST_UNKNOWN)
			a.confidence = CONF_LOW;
		rf->premature_reported = true;
		rules_raise(env, f, &a);
	}
}

/* --- capture point ------------------------------------------------------- */

static void infer_capture_point(struct flow *f, int64_t ack_ns)
{
	struct rules_flow *rf = &f->rules;
	int64_t syn = f->ep[ROLE_CLIENT].syn_ts_ns;
	int64_t t1, t2;

	if (rf->capture_point_known || syn == 0 || rf->synack_ns == 0)
		return;
	t1 = rf->synack_ns - syn;    /* SYN -> SYN-ACK */
	t2 = ack_ns - rf->synack_ns; /* SYN-ACK -> ACK */
	rf->capture_point_known = true;
	if (t1 < 0 || t2 < 0)
		f->rec.capture_point = CAPTURE_UNKNOWN;
	else if (t1 > 4 * t2 && t1 - t2 > 200000)
		f->rec.capture_point = CAPTURE_NEAR_CLIENT;
	else if (t2 > 4 * t1 && t2 - t1 > 200000)
		f->rec.capture_point = CAPTURE_NEAR_SERVER;
	else
		f->rec.capture_point = CAPTURE_MIDDLE;
}

/* --- the hooks ----------------------------------------------------------- */

/* The previous connection on f's 4-tuple left its server in TIME_WAIT
 * less than 2 x MSL before ts_ns (the time_wait_reuse case): a bare ACK of
 * the server answering the client's new SYN comes from that TIME_WAIT. */
bool rules_tw_challenge(struct rules_env *env, const struct flow *f,
			int64_t ts_ns)
{
	return f->prev_id != UINT64_MAX && f->prev_time_wait_ns != 0 &&
	       !f->prev_tw_is_client &&
	       ts_ns - f->prev_time_wait_ns < 2 * cfg_of(env)->msl_ns;
}

static void handshake_rules(struct rules_env *env, struct flow *f, int from,
			    const struct pkt_view *pkt, uint64_t frame,
			    int64_t ts_ns)
{
	struct rules_flow *rf = &f->rules;
	const struct tcp_endpoint *peer = &f->ep[1 - from];
	const uint16_t fl = pkt->flags;
	struct anomaly a;

	if ((fl & (TCP_SYN | TCP_ACK | TCP_RST)) == (TCP_SYN | TCP_ACK)) {
		if (rf->synack_ns == 0)
			rf->synack_ns = ts_ns;
		/* ISN + 1; with data in the SYN (TCP Fast Open, RFC 7413
		 * §4.2) up to the end of that data, when the server took it */
		bool ack_ok = pkt->ack == peer->isn + 1 ||
			      (SEQ_GT(pkt->ack, peer->isn + 1) &&
			       SEQ_LEQ(pkt->ack, peer->tx.nxt));

		if (!rf->bad_ack_syn_reported && peer->syn_sent &&
		    peer->isn_known && !ack_ok) {
			rules_anomaly_init(&a, ANOM_BAD_ACK,
					   CAUSE_BAD_ACK_SYNACK, from, frame,
					   ts_ns);
			a.ref_frame = peer->syn_frame;
			a.value = pkt->ack - peer->isn;
			rf->bad_ack_syn_reported = true;
			rules_raise(env, f, &a);
		}
		return;
	}
	/* RFC 9293 §3.10.7.4, RFC 5961 §4: a side that still holds a
	 * synchronized connection answers a new SYN with a challenge ACK (an
	 * ACK of its old numbers, no SYN): half-open from the SYN's view */
	if (from == ROLE_SERVER && !rf->syn_challenged &&
	    (fl & (TCP_SYN | TCP_ACK | TCP_RST)) == TCP_ACK &&
	    rf->prev_state[ROLE_CLIENT] == TCP_ST_SYN_SENT &&
	    !f->ep[ROLE_SERVER].syn_sent && peer->syn_sent && peer->isn_known &&
	    pkt->ack != peer->isn + 1 && !rf->half_open_reported) {
		rf->syn_challenged = true;
		/* the server is known to be in TIME_WAIT on this 4-tuple:
		 * that is its normal answer (RFC 9293 §3.10.7.4), part of the
		 * time_wait_reuse already reported, no half-open */
		if (rules_tw_challenge(env, f, ts_ns))
			return;
		rules_anomaly_init(&a, ANOM_HALF_OPEN,
				   CAUSE_HALF_OPEN_CHALLENGE, from, frame,
				   ts_ns);
		a.ref_frame = peer->syn_frame;
		a.value = HO_CHALLENGE;
		rf->half_open_reported = true;
		rules_raise(env, f, &a);
		return;
	}
	/* the client's first ACK after the server's SYN-ACK */
	if (from == ROLE_CLIENT && !rf->hs_ack_checked &&
	    (fl & (TCP_SYN | TCP_ACK | TCP_RST)) == TCP_ACK &&
	    f->ep[ROLE_SERVER].syn_sent && f->ep[ROLE_SERVER].isn_known &&
	    f->ep[ROLE_CLIENT].syn_sent) {
		const struct rules_dir *sd = &rf->dir[ROLE_SERVER];
		uint32_t isn = f->ep[ROLE_SERVER].isn;

		rf->hs_ack_checked = true;
		infer_capture_point(f, ts_ns);
		(void)sd; /* an ACK beyond what the server sent: ack_unseen */
		if (SEQ_LEQ(pkt->ack, isn)) {
			rules_anomaly_init(&a, ANOM_BAD_ACK,
					   CAUSE_BAD_ACK_HANDSHAKE, from, frame,
					   ts_ns);
			a.ref_frame = f->ep[ROLE_SERVER].syn_frame;
			a.value = pkt->ack - isn;
			rules_raise(env, f, &a);
		}
	}
}

static void ctl_rules(struct rules_env *env, struct flow *f, int from,
		      const struct pkt_view *pkt, uint64_t frame, int64_t ts_ns)
{
	struct rules_flow *rf = &f->rules;
	struct rules_ctls *d; /* this side's, taken below */
	struct rules_ctls *pc = rf->ctl[1 - from]; /* the peer's, if any */
	struct rules_ctl *fin;
	const struct rules_dir *pd = &rf->dir[1 - from];
	const struct tcp_endpoint *self = &f->ep[from];
	const struct seq_track *pt = &f->ep[1 - from].tx;
	const uint16_t fl = pkt->flags;
	struct anomaly a;

	if (fl & TCP_RST)
		return;
	/* acknowledgements of the peer's SYN-ACK and FIN */
	if ((fl & TCP_ACK) && pc != NULL) {
		struct rules_ctl *c = &pc->syn;

		if (c->active && c->ack_frame == 0 &&
		    SEQ_GT(pkt->ack, c->seq)) {
			c->ack_frame = frame;
			if (c->rtx_before_ack > 0 && !c->reported &&
			    f->ep[1 - from].syn_sent && !(fl & TCP_SYN) &&
			    from == ROLE_CLIENT) {
				c->reported = true;
				raise_missing_ack(env, f, 1 - from, c,
						  ANOM_WHAT_SYNACK, true, frame,
						  ts_ns);
			}
		}
	}
	if ((fl & TCP_ACK) && rf->close != NULL) {
		struct rules_ctl *c = &rf->close->dir[1 - from].fin;

		if (c->active && c->ack_frame == 0 &&
		    SEQ_GT(pkt->ack, c->seq)) {
			c->ack_frame = frame;
			/* one early probe whose ACK reports the FIN twice: the
			 * first copy had arrived and the probe raced a late
			 * (delayed) ACK; no ACK was lost */
			if (c->rtx_before_ack == 1 && c->tx == 2 &&
			    c->prev_gap_ns < RULES_RTO_MIN_NS &&
			    dsack_covers(pkt, c->seq))
				c->reported = true;
			if (c->rtx_before_ack > 0 && !c->reported) {
				c->reported = true;
				raise_missing_ack(env, f, 1 - from, c,
						  ANOM_WHAT_FIN, true, frame,
						  ts_ns);
			}
			/* a FIN acknowledged beyond its own number */
			if (SEQ_GT(pkt->ack, c->seq + 1) &&
			    !rf->bad_ack_fin_reported[1 - from]) {
				rules_anomaly_init(&a, ANOM_BAD_ACK,
						   CAUSE_BAD_ACK_FIN, from,
						   frame, ts_ns);
				a.ref_frame = c->frame;
				a.value = pkt->ack - f->ep[1 - from].isn;
				rf->bad_ack_fin_reported[1 - from] = true;
				rules_raise(env, f, &a);
			}
		}
	}
	/* this side's SYN / SYN-ACK and FIN (re)transmissions; without
	 * memory for their records they are not followed */
	if ((fl & TCP_SYN) && (d = flow_cold_ctl(env->cold, f, from)) != NULL) {
		bool repeat = d->syn.active && self->isn_known &&
			      pkt->seq == self->isn;
		bool answers_syn = (fl & TCP_ACK) && repeat && pc != NULL &&
				   pc->last_syn_frame > d->last_syn_frame;

		if (!repeat)
			d->syn.active = false; /* a new ISN starts over */
		/* the client repeats its SYN: no SYN-ACK had reached it, so
		 * the ones sent so far were lost, not their ACK, whichever
		 * timer fired first (both are 1 s on Linux) */
		if (repeat && !(fl & TCP_ACK) && from == ROLE_CLIENT &&
		    pc != NULL && pc->syn.active && pc->syn.ack_frame == 0)
			pc->syn.rtx_before_ack = 0;
		if (answers_syn) {
			/* a SYN-ACK repeated for a repeated SYN: the SYN-ACK
			 * was lost, not its acknowledgement */
			struct flow_timers spare;
			struct endpoint_timers *tm =
				&timers_of(env, f, &spare)->ep[from];

			d->syn.last_tx_ns = ts_ns;
			if (d->syn.tx < UINT16_MAX)
				d->syn.tx++;
			if (tm->syn_retries < (uint32_t)(d->syn.tx - 1))
				tm->syn_retries = (uint32_t)(d->syn.tx - 1);
		} else {
			ctl_tx(env, f, from, &d->syn, false, pkt->seq, frame,
			       ts_ns, false);
		}
		d->last_syn_frame = frame;
	}
	if ((fl & TCP_FIN) &&
	    (fin = flow_cold_fin(env->cold, f, from)) != NULL) {
		uint32_t fin_seq = pkt->seq + pkt->payload_bytes +
				   ((fl & TCP_SYN) ? 1 : 0);
		bool repeat = fin->active && fin_seq == fin->seq;
		/* the peer spoke after the FIN but still acknowledges less
		 * than the data before it: the FIN waits for a lost segment */
		bool hole = repeat && pd->seen && pt->last_frame > fin->frame &&
			    SEQ_LT(pt->last_ack, fin->seq);
		bool first = !fin->active;

		if (first || repeat)
			ctl_tx(env, f, from, fin, true, fin_seq, frame, ts_ns,
			       hole);
		if (first && (rf->prev_state[from] == TCP_ST_SYN_SENT ||
			      rf->prev_state[from] == TCP_ST_SYN_RECEIVED ||
			      (fl & TCP_SYN)))
			fin->untracked = true; /* premature_close says it */
	}
}

void rules_before(struct rules_env *env, struct flow *f, int from,
		  const struct pkt_view *pkt, uint64_t frame, int64_t ts_ns)
{
	struct rules_flow *rf = &f->rules;
	struct rules_dir *d = &rf->dir[from];
	const struct tcp_endpoint *self = &f->ep[from];
	const uint16_t fl = pkt->flags;
	struct rules_prev pv;
	struct anomaly a;
	uint16_t af;

	if (from != ROLE_CLIENT && from != ROLE_SERVER)
		return;
	rf->prev_state[ROLE_CLIENT] = f->ep[ROLE_CLIENT].state;
	rf->prev_state[ROLE_SERVER] = f->ep[ROLE_SERVER].state;

	/* capture artefacts */
	if (pkt->snap_cut)
		f->rec.artefacts |= 1u << ARTEFACT_SNAPLEN_CUT;
	if (pkt->ip_len_from_wire)
		f->rec.artefacts |= 1u << ARTEFACT_IP_LENGTH_0;
	if (rf->dir[1 - from].mss != 0 &&
	    pkt->payload_bytes > rf->dir[1 - from].mss)
		f->rec.artefacts |= 1u << ARTEFACT_OFFLOAD;

	/* options the decoder could not walk (a length past the header, or
	 * below 2): the segment is analyzed without them; once a direction */
	if (pkt->opt.malformed && !d->malformed_reported) {
		d->malformed_reported = true;
		rules_anomaly_init(&a, ANOM_MALFORMED, CAUSE_MALFORMED_OPTIONS,
				   from, frame, ts_ns);
		rules_raise(env, f, &a);
	}

	/* a new connection on the 4-tuple of one still in TIME_WAIT */
	if (f->rec.packets == 0 && (fl & (TCP_SYN | TCP_ACK)) == TCP_SYN &&
	    f->prev_id != UINT64_MAX && f->prev_time_wait_ns != 0 &&
	    ts_ns - f->prev_time_wait_ns < 2 * cfg_of(env)->msl_ns) {
		unsigned tw = f->prev_tw_is_client ? CAUSE_TIME_WAIT_CLIENT
						   : CAUSE_TIME_WAIT_SERVER;

		rules_anomaly_init(&a, ANOM_TIME_WAIT_REUSE, tw, from, frame,
				   ts_ns);
		a.duration_ns = ts_ns - f->prev_time_wait_ns;
		a.value = (uint32_t)f->prev_id;
		rules_raise(env, f, &a);
	}

	pv.my_last_frame = self->tx.last_frame;
	pv.peer_last_frame = f->ep[1 - from].tx.last_frame;
	pv.peer_lastack = f->ep[1 - from].tx.last_ack;
	pv.peer_seen = rf->dir[1 - from].seen;
	/* what this side had received when it closed, and the peer's new
	 * data after that (premature_close) */
	if ((fl & TCP_FIN) && !(fl & TCP_RST) && !self->fin_sent &&
	    self->rcv_known && flow_cold_close(env->cold, f) != NULL) {
		rf->close->dir[from].rcv_at_fin = self->rcv_nxt;
		rf->close->dir[from].rcv_at_fin_known = true;
	}
	if (rf->close != NULL) {
		struct rules_close_dir *pd = &rf->close->dir[1 - from];

		if (pkt->payload_bytes > 0 && !(fl & TCP_RST) &&
		    f->ep[1 - from].fin_sent && pd->rcv_at_fin_known &&
		    pd->data_after_close_frame == 0 &&
		    SEQ_GT(pkt->seq + pkt->payload_bytes, pd->rcv_at_fin))
			pd->data_after_close_frame = frame;
	}
	af = rules_stream_segment(env, f, from, pkt, frame, ts_ns);
	ka_segment(env, f, from, pkt, af, frame, ts_ns);
	handshake_rules(env, f, from, pkt, frame, ts_ns);
	ctl_rules(env, f, from, pkt, frame, ts_ns);

	/* new data beyond the sender's own FIN */
	if (pkt->payload_bytes > 0 && self->fin_sent &&
	    !(af & (RULES_A_KEEPALIVE | RULES_A_ZWP)) &&
	    !d->data_after_fin_reported && !(fl & TCP_RST) &&
	    SEQ_GT(pkt->seq + pkt->payload_bytes, self->fin_seq)) {
		rules_anomaly_init(&a, ANOM_DATA_AFTER_FIN,
				   CAUSE_DATA_AFTER_FIN, from, frame, ts_ns);
		a.ref_frame = self->fin_frame;
		a.value = (uint32_t)(pkt->seq + pkt->payload_bytes -
				     self->fin_seq);
		d->data_after_fin_reported = true;
		rules_raise(env, f, &a);
	}
	/* a FIN before the handshake completed */
	if ((fl & TCP_FIN) && !(fl & TCP_RST) && !rf->premature_reported &&
	    (rf->prev_state[from] == TCP_ST_SYN_SENT ||
	     rf->prev_state[from] == TCP_ST_SYN_RECEIVED || (fl & TCP_SYN))) {
		rules_anomaly_init(&a, ANOM_PREMATURE_CLOSE,
				   CAUSE_PREMATURE_CLOSE_FIN_HANDSHAKE, from,
				   frame, ts_ns);
		a.value = PC_FIN_IN_HANDSHAKE;
		rf->premature_reported = true;
		rules_raise(env, f, &a);
	}
	if (fl & TCP_RST)
		rst_rules(env, f, from, pkt, frame, ts_ns, &pv);
}

/* lingering_close_wait: how it left CLOSE_WAIT (anomaly.count) */
#define LW_LEFT 0     /* some other way (ref_frame: the segment) */
#define LW_FIN 1      /* its own FIN, at last */
#define LW_RST 2      /* its own RST */
#define LW_PEER_RST 3 /* the peer's RST */

/* The cause of a lingering_close_wait that left CLOSE_WAIT `how`. */
static unsigned lingering_cause(uint32_t how)
{
	switch (how) {
	case LW_FIN:
		return CAUSE_LINGERING_FIN;
	case LW_RST:
		return CAUSE_LINGERING_RST;
	case LW_PEER_RST:
		return CAUSE_LINGERING_PEER_RST;
	default:
		return CAUSE_LINGERING_LEFT;
	}
}

/* The lingering_close_wait of endpoint r that a live tick raised and f
 * still stores, or NULL. */
static struct anomaly *lingering_live(struct flow *f, int r)
{
	for (uint32_t i = 0; i < flow_anomalies_stored(f); i++) {
		struct anomaly *a = &f->anomalies->a[i];

		if (a->type == ANOM_LINGERING_CLOSE_WAIT && a->endpoint == r &&
		    a->cause == CAUSE_LINGERING_LIVE)
			return a;
	}
	return NULL;
}

/*
 * The CLOSE_WAIT clock of endpoint r at the moment `now`: report when it
 * left (or the capture ended: still, at_end) later than the timeout
 * allows. A live tick past the timeout reports it at once, as still
 * there now; when it later leaves, or the capture ends, the stored record
 * takes the final duration and outcome (what was streamed stays said).
 */
static void lingering_check(struct rules_env *env, struct flow *f, int r,
			    int64_t now, bool still, bool at_end,
			    uint64_t left_frame, uint32_t how)
{
	struct rules_close_dir *d;
	struct anomaly a, *live;

	if (f->rules.close == NULL)
		return; /* the clock never started */
	d = &f->rules.close->dir[r];
	if (d->close_wait_since_ns == 0)
		return;
	if (d->lingering_reported) {
		if ((!still || at_end) &&
		    (live = lingering_live(f, r)) != NULL) {
			live->cause = still ? CAUSE_LINGERING_STILL
					    : lingering_cause(how);
			live->duration_ns = now - d->close_wait_since_ns;
			live->ref_frame = left_frame;
			live->count = still ? LW_LEFT : how;
		}
		return;
	}
	if (now - d->close_wait_since_ns <= cfg_of(env)->close_wait_timeout_ns)
		return;
	rules_anomaly_init(&a, ANOM_LINGERING_CLOSE_WAIT,
			   !still   ? lingering_cause(how)
			   : at_end ? CAUSE_LINGERING_STILL
				    : CAUSE_LINGERING_LIVE,
			   r, d->close_wait_frame, d->close_wait_since_ns);
	a.duration_ns = now - d->close_wait_since_ns;
	a.ref_frame = left_frame;
	a.count = still ? LW_LEFT : how;
	a.value = d->close_wait_after_data; /* frame: its data, not the ACK */
	d->lingering_reported = true;
	rules_raise(env, f, &a);
}

void rules_after(struct rules_env *env, struct flow *f, int from,
		 const struct pkt_view *pkt, uint64_t frame, int64_t ts_ns)
{
	struct rules_flow *rf = &f->rules;

	if (from != ROLE_CLIENT && from != ROLE_SERVER)
		return;
	for (int r = 0; r < 2; r++) {
		const struct tcp_endpoint *e = &f->ep[r];
		struct rules_close_dir *d;

		if (e->state == TCP_ST_CLOSE_WAIT && e->peer_fin_acked) {
			if (flow_cold_close(env->cold, f) == NULL)
				continue; /* no memory: no clock */
			d = &rf->close->dir[r];
			if (d->close_wait_since_ns == 0 ||
			    (r == from && pkt->payload_bytes > 0)) {
				/* acked the FIN now, or still sending data: the
				 * clock (re)starts. A silence that ends in data
				 * is no lingering: the application was at work
				 * (a server answering a half-closed request) */
				d->close_wait_after_data =
					d->close_wait_since_ns != 0;
				d->close_wait_since_ns = ts_ns;
				d->close_wait_frame = frame;
			}
		} else if (rf->close != NULL &&
			   rf->close->dir[r].close_wait_since_ns != 0) {
			/* it left CLOSE_WAIT with this segment */
			uint32_t how = LW_LEFT;

			if (r == from && (pkt->flags & TCP_RST))
				how = LW_RST;
			else if (r == from && (pkt->flags & TCP_FIN))
				how = LW_FIN;
			else if (r != from && (pkt->flags & TCP_RST))
				how = LW_PEER_RST;
			lingering_check(env, f, r, ts_ns, false, false, frame,
					how);
			rf->close->dir[r].close_wait_since_ns = 0;
		}
	}
}

/* The timeouts of endpoint r's SYN-ACK and FIN at `now` (syn, fin: its
 * records, NULL for one it never sent). */
static void ctl_timeouts(struct rules_env *env, struct flow *f, int r,
			 struct rules_ctl *syn, struct rules_ctl *fin,
			 int64_t now, bool at_end)
{
	const struct analyzer_config *cfg = cfg_of(env);
	const struct rules_dir *pd = &f->rules.dir[1 - r];

	/* a FIN never acknowledged although the capture went on */
	if (fin != NULL && fin->active && fin->ack_frame == 0 &&
	    !fin->reported && !fin->untracked && pd->seen &&
	    !f->ep[1 - r].rst_sent && !f->ep[r].rst_sent &&
	    now - fin->last_tx_ns >= cfg->ack_timeout_ns) {
		fin->reported = true;
		raise_missing_ack(env, f, r, fin, ANOM_WHAT_FIN, false,
				  fin->frame, fin->ts_ns);
	}
	/* retransmitted before any ACK of it appeared, and none came
	 * before the flow ended: by a RST, or with the capture, too
	 * soon after the last copy for the rule above. The
	 * retransmissions show the sender had no ACK; rule 1 of
	 * missing_ack, never answered */
	if (at_end && fin != NULL && fin->active && fin->ack_frame == 0 &&
	    fin->rtx_before_ack > 0 && !fin->reported && !fin->untracked) {
		fin->reported = true;
		raise_missing_ack(env, f, r, fin, ANOM_WHAT_FIN, false,
				  fin->frame, fin->ts_ns);
	}
	/* the same for a SYN-ACK, unless the handshake verdict already
	 * said it (half_open: a SYN-ACK never acknowledged) */
	if (at_end && syn != NULL && r == ROLE_SERVER && f->ep[r].syn_sent &&
	    syn->active && syn->ack_frame == 0 && syn->rtx_before_ack > 0 &&
	    !syn->reported && flow_anomaly_count(f, ANOM_HALF_OPEN) == 0) {
		syn->reported = true;
		raise_missing_ack(env, f, r, syn, ANOM_WHAT_SYNACK, false,
				  syn->frame, syn->ts_ns);
	}
	if (at_end && fin != NULL && fin->rtx_after_ack > 0 && !fin->reported) {
		fin->reported = true;
		raise_missing_ack(env, f, r, fin,
				  ANOM_WHAT_FIN | ANOM_WHAT_ACK_SEEN, true,
				  fin->frame, fin->ts_ns);
	}
	if (at_end && syn != NULL && r == ROLE_SERVER &&
	    syn->rtx_after_ack > 0 && !syn->reported && f->ep[r].syn_sent) {
		syn->reported = true;
		raise_missing_ack(env, f, r, syn,
				  ANOM_WHAT_SYNACK | ANOM_WHAT_ACK_SEEN, true,
				  syn->frame, syn->ts_ns);
	}
}

/* Timeouts that hold at `now` (a live tick, or the end of the capture). */
static void timeouts(struct rules_env *env, struct flow *f, int64_t now,
		     bool at_end)
{
	struct rules_flow *rf = &f->rules;
	const struct analyzer_config *cfg = cfg_of(env);

	for (int r = 0; r < 2; r++) {
		struct rules_ka_dir *d =
			rf->ka != NULL ? &rf->ka->dir[r] : NULL;

		if (f->ep[r].state == TCP_ST_CLOSE_WAIT)
			lingering_check(env, f, r, now, true, at_end, 0,
					LW_LEFT);
		/* live: the latest probe is overdue (twice the interval, at
		 * least --ack-timeout): report the burst without waiting for
		 * the run to end (the end of the capture would not repeat it) */
		if (!at_end && d != NULL && d->ka_pending &&
		    !d->ka_burst_reported &&
		    d->ka_unanswered + 1 >= cfg->keepalive_burst) {
			int64_t wait = 2 * d->ka_interval_ns;

			if (wait < cfg->ack_timeout_ns)
				wait = cfg->ack_timeout_ns;
			if (now - d->ka_last_ns > wait) {
				ka_count_unanswered(d);
				ka_burst(env, f, r, CAUSE_KEEPALIVE_SILENCE, 0,
					 now);
				d->ka_unanswered--;
			}
		}
		if (rf->ctl[r] != NULL || rf->close != NULL)
			ctl_timeouts(env, f, r,
				     rf->ctl[r] != NULL ? &rf->ctl[r]->syn
							: NULL,
				     rf->close != NULL ? &rf->close->dir[r].fin
						       : NULL,
				     now, at_end);
	}
}

void rules_tick(struct rules_env *env, struct flow *f, int64_t now_ns)
{
	timeouts(env, f, now_ns, false);
}

/* Data this side sent that the peer never acknowledged. */
static void unacked_data(struct rules_env *env, struct flow *f, int r,
			 int64_t end_ns)
{
	const struct rules_ring *d = flow_cold_ring_of(f, r);
	const struct tcp_endpoint *e = &f->ep[r];
	const struct rules_seg *first = NULL;
	struct rules_ctl c;

	if (!f->rules.dir[1 - r].seen || f->rst_abort || e->rst_sent ||
	    f->ep[1 - r].rst_sent)
		return;
	for (unsigned i = 0; i < d->nsegs; i++) {
		const struct rules_seg *s = &d->segs[i];

		if (e->ack_rcvd_known && SEQ_LEQ(s->end, e->snd_una))
			continue;
		if (first == NULL || SEQ_LT(s->seq, first->seq))
			first = s;
	}
	if (first == NULL || end_ns - first->ts_ns < az_ack_timeout(env))
		return;
	memset(&c, 0, sizeof(c));
	c.frame = first->frame;
	c.ts_ns = first->ts_ns;
	c.last_tx_ns = first->ts_ns;
	if (d->rtx_active && SEQ_GEQ(d->rtx_seq, first->seq) &&
	    SEQ_LT(d->rtx_seq, first->end)) {
		c.rtx_before_ack =
			(uint16_t)(d->rtx_count > UINT16_MAX ? UINT16_MAX
							     : d->rtx_count);
		c.last_tx_ns = d->rtx_last_ns;
	}
	raise_missing_ack(env, f, r, &c, ANOM_WHAT_DATA, false, first->frame,
			  first->ts_ns);
}

/* The handshake verdicts unanswered, rejected and incomplete as anomalies
 * (the same judgement as analyzer.c's, made before it fills the record). */
static void handshake_verdicts(struct rules_env *env, struct flow *f,
			       int64_t end_ns)
{
	const struct tcp_endpoint *c = &f->ep[ROLE_CLIENT];
	const struct tcp_endpoint *s = &f->ep[ROLE_SERVER];
	const struct rules_flow *rf = &f->rules;
	uint8_t both = 1u << ROLE_CLIENT | 1u << ROLE_SERVER;
	struct anomaly a;

	if (!f->client_syn_seen || f->server_syn_seen ||
	    (f->synced & both) == both)
		return;
	if (s->syn_sent) {
		const struct rules_ctl *sc =
			&flow_cold_ctl_of(f, ROLE_SERVER)->syn;

		if (rf->half_open_reported)
			return;
		rules_anomaly_init(&a, ANOM_HALF_OPEN,
				   c->rst_sent ? CAUSE_HALF_OPEN_SYNACK_RST
					       : CAUSE_HALF_OPEN_SYNACK,
				   ROLE_CLIENT, s->syn_frame, s->syn_ts_ns);
		a.ref_frame = c->syn_frame;
		a.count = f->rec.synack_retransmits;
		a.duration_ns = sc->active ? sc->last_tx_ns - sc->ts_ns : 0;
		if (end_ns - (sc->active ? sc->last_tx_ns : s->syn_ts_ns) <
		    az_ack_timeout(env))
			a.confidence = CONF_LOW;
		a.value = HO_SYNACK;
		rules_raise(env, f, &a);
	} else if (s->rst_sent) {
		rules_anomaly_init(&a, ANOM_REJECTED, CAUSE_REJECTED,
				   ROLE_SERVER, s->rst_frame,
				   s->tx.last_frame == s->rst_frame
					   ? s->tx.last_ns
					   : c->syn_ts_ns);
		a.ref_frame = c->syn_frame;
		a.count = f->rec.syn_retransmits;
		rules_raise(env, f, &a);
	} else if (c->syn_sent && !rf->syn_challenged) {
		const struct rules_ctl *cc =
			&flow_cold_ctl_of(f, ROLE_CLIENT)->syn;
		int64_t last_syn_ns =
			cc->active ? cc->last_tx_ns : c->syn_ts_ns;

		/* the client reset its own attempt before an answer was due
		 * (a cancelled connect()): the server was not given the time */
		if (c->rst_sent && c->state == TCP_ST_CLOSED &&
		    c->state_since_ns - last_syn_ns < az_ack_timeout(env))
			return;
		rules_anomaly_init(&a, ANOM_SYN_UNANSWERED,
				   CAUSE_SYN_UNANSWERED, ROLE_SERVER,
				   c->syn_frame, c->syn_ts_ns);
		a.count = f->rec.syn_retransmits;
		a.duration_ns = cc->active ? cc->last_tx_ns - cc->ts_ns : 0;
		if (end_ns - (cc->active ? cc->last_tx_ns : c->syn_ts_ns) <
		    az_ack_timeout(env))
			a.confidence = CONF_LOW;
		rules_raise(env, f, &a);
	}
}

void rules_finish(struct rules_env *env, struct flow *f, int64_t end_ns)
{
	struct rules_flow *rf = &f->rules;

	if (rf->finished)
		return;
	rf->finished = true;
	for (int r = 0; r < 2 && rf->ka != NULL; r++) {
		struct rules_ka_dir *d = &rf->ka->dir[r];

		if (d->ka_pending) {
			ka_count_unanswered(d);
			ka_burst(env, f, r, CAUSE_KEEPALIVE_SILENCE, 0, end_ns);
		}
	}
	handshake_verdicts(env, f, end_ns);
	timeouts(env, f, end_ns, true);
	for (int r = 0; r < 2; r++)
		unacked_data(env, f, r, end_ns);
}
