/*
 * rules_stream.c - the Wireshark-style sequence analysis of each segment:
 * retransmission, fast and spurious retransmission, out-of-order, lost
 * segment (gap), ACK of unseen data, keepalive, duplicate ACK, zero window,
 * zero-window probe and window full.
 *
 * The checks follow the documented tcp.analysis.* rules of Wireshark's TCP
 * analysis, so the counts can be compared with tshark's frame by frame
 * (docs/ANOMALIES.md, "Stream rules", lists each rule and every deliberate
 * difference). rules_stream_segment() reads as its steps: the start (a new
 * sequence space, the initial RTT, window scaling), then one step per
 * family of analysis flags (window: zero-window probe, zero window,
 * keepalive, window update and full; gap: lost segment, ACK of unseen data;
 * duplicate ACK; retransmission: fast, spurious, out-of-order), the
 * anomalies raised family by family, and the analysis moved on.
 *
 * What each direction sent (the next expected sequence number, SYN and FIN
 * counting one, and when it last advanced; the highest sequence number the
 * peer may acknowledge; the ack and raw window of its latest segment) is
 * the state machine's tracker (seq_track.h), read before the machines step;
 * this file keeps the run of duplicate ACKs and the analysis flags, and in
 * cold parts taken when first needed (rules_state.h, flow_cold.h) the
 * remembered segments and the retransmission series. All comparisons of
 * sequence numbers use serial-number arithmetic (seq.h). Nothing here
 * allocates (but from the pools) or formats.
 */
#include <string.h>

#include "analyzer/rules.h"
#include "analyzer/rules_int.h"
#include "analyzer/seq.h"
#include "analyzer/seq_track.h"
#include "analyzer/timers.h"

#define CTL_FLAGS (TCP_SYN | TCP_FIN | TCP_RST)

const struct rules_seg *rules_stream_find_seg(const struct rules_ring *r,
					      uint32_t seq)
{
	for (unsigned i = 0; i < r->nsegs; i++) {
		const struct rules_seg *s = &r->segs[i];

		if (SEQ_GEQ(seq, s->seq) && SEQ_LT(seq, s->end))
			return s;
	}
	return NULL;
}

static void remember_seg(struct rules_env *env, struct flow *f, int from,
			 uint32_t seq, uint32_t len, uint64_t frame,
			 int64_t ts_ns)
{
	struct rules_ring *r = flow_cold_ring_room(env->cold, f, from);
	struct rules_seg *s;

	if (r == NULL)
		return; /* no memory: not remembered */
	s = &r->segs[r->seg_head];
	s->seq = seq;
	s->end = seq + len;
	s->frame = frame;
	s->ts_ns = ts_ns;
	r->seg_head = (uint8_t)((r->seg_head + 1) % RULES_SEG_RING);
	if (r->nsegs < RULES_SEG_RING)
		r->nsegs++;
}

/* Relative sequence number of `seq` in the space of endpoint `role`, as
 * Wireshark shows it (ISN = 0; the first byte seen minus one mid-stream). */
static uint32_t rel_seq(const struct flow *f, int role, uint32_t seq)
{
	return seq - f->ep[role].isn;
}

/* The retransmission back-off of one data segment (timer forensics). */
static void note_data_rtx(struct rules_env *env, struct flow *f,
			  const struct seq_track *peer, int from, uint32_t seq,
			  uint64_t frame, int64_t ts_ns)
{
	struct flow_timers *ft = flow_cold_timers(env->cold, f);
	struct rules_ring *d = flow_cold_ring(env->cold, f, from);
	struct endpoint_timers *tm;
	int64_t gap;

	if (ft == NULL || d == NULL)
		return; /* no memory: the series is not followed */
	tm = &ft->ep[from];
	if (d->rtx_active && seq == d->rtx_seq) {
		gap = ts_ns - d->rtx_last_ns;
		timers_backoff_add(&ft->backoff[from], d->rtx_gap_ns, gap);
		d->rtx_count++;
		if (peer->last_frame != d->rtx_peer_frame)
			d->rtx_answered = true;
	} else {
		const struct rules_seg *orig = rules_stream_find_seg(d, seq);

		gap = orig != NULL ? ts_ns - orig->ts_ns : 0;
		d->rtx_active = true;
		d->rtx_seq = seq;
		d->rtx_count = 1;
		d->rtx_orig_ns = orig != NULL ? orig->ts_ns : ts_ns;
		d->rtx_peer_frame = peer->last_frame;
		d->rtx_answered = false;
		if (tm->data_rto_first_ns == 0 && gap > 0)
			tm->data_rto_first_ns = gap;
	}
	d->rtx_gap_ns = gap;
	d->rtx_last_ns = ts_ns;
	d->rtx_last_frame = frame;
	if (d->rtx_count > tm->data_retries_max)
		tm->data_retries_max = d->rtx_count;
}

/* RFC 2883: the ACK reports a duplicate it received (D-SACK): its first
 * SACK block lies below the cumulative ACK, or inside its second block. */
bool rules_dsack(const struct pkt_view *pkt)
{
	const struct tcp_sack_block *b = pkt->opt.sack;

	if (pkt->opt.sack_count == 0 || !(pkt->flags & TCP_ACK))
		return false;
	if (SEQ_LEQ(b[0].right, pkt->ack))
		return true;
	return pkt->opt.sack_count > 1 && SEQ_GEQ(b[0].left, b[1].left) &&
	       SEQ_LEQ(b[0].right, b[1].right);
}

/* The cause of a stream anomaly of type t (one of the retransmission
 * types) raised by a segment with flags fl: what a retransmission sent
 * again; the others have one cause each. */
static unsigned rtx_cause(enum anomaly_type t, uint16_t fl)
{
	switch (t) {
	case ANOM_FAST_RETRANSMISSION:
		return CAUSE_FAST_RTX;
	case ANOM_SPURIOUS_RETRANSMISSION:
		return CAUSE_SPURIOUS_RTX;
	case ANOM_OUT_OF_ORDER:
		return CAUSE_OUT_OF_ORDER;
	default:
		break;
	}
	if (fl & TCP_SYN)
		return (fl & TCP_ACK) ? CAUSE_RTX_SYNACK : CAUSE_RTX_SYN;
	return (fl & TCP_FIN) ? CAUSE_RTX_FIN : CAUSE_RTX_DATA;
}

/* Forget the sequence analysis of direction dir of f (a new ISN). */
static void stream_reset(struct flow *f, int dir)
{
	struct rules_dir *d = &f->rules.dir[dir];
	struct rules_ring *r = f->rules.ring[dir];

	d->seen = false;
	d->dupacks = 0;
	d->last_aflags = 0;
	d->wscale = -1;
	if (r != NULL) {
		r->nsegs = 0;
		r->seg_head = 0;
		r->rtx_active = false;
	}
	d->syn_kinds = 0;
}

/* One segment under analysis: what it is, and both directions as they were
 * before it (the trackers are the state machines', read before they step). */
struct stream_seg {
	struct rules_env *env;
	struct flow *f;
	int from;
	const struct pkt_view *pkt;
	uint64_t frame;
	int64_t ts_ns;
	struct rules_dir *d;         /* the sender's analysis */
	struct rules_dir *rev;       /* the peer's */
	const struct seq_track *tx;  /* what the sender sent */
	const struct seq_track *ptx; /* what the peer sent */
	uint32_t seq, ack, len, win;
	uint16_t fl;
	bool plain; /* none of SYN, FIN, RST */
	bool known; /* tx->nxt counts: the analysis saw
					   the sender send since it started */
};

/* --- the start: a new sequence space, the initial RTT, window scaling --- */

/* A SYN with a new ISN on the same addresses and ports is a new connection
 * attempt (Wireshark: "port numbers reused"): the analysis of both
 * directions starts over. Its first SYN (or SYN-ACK) starts the sender's
 * sequence space: what it sent before (the challenge ACK of an older
 * connection, RFC 5961 §4, or segments of one picked up mid-stream) was in
 * another one, so its SYN-ACK, data and FIN are no retransmissions of
 * those. (The tracker's own restart is the state machine's: seq_track.h.) */
static void stream_restart(const struct stream_seg *s)
{
	struct rules_flow *rf = &s->f->rules;
	const struct tcp_endpoint *e = &s->f->ep[s->from];

	if (!(s->fl & TCP_SYN))
		return;
	if (s->d->syn_kinds != 0 && e->isn_known && s->seq != e->isn) {
		stream_reset(s->f, s->from);
		stream_reset(s->f, 1 - s->from);
		rf->first_rtt_known = false;
		rf->syn_mru_ns = 0;
	} else if (s->d->syn_kinds == 0 && s->d->seen) {
		stream_reset(s->f, s->from);
	}
}

static void stream_start(struct stream_seg *s)
{
	struct rules_flow *rf = &s->f->rules;
	const struct tcp_endpoint *e = &s->f->ep[s->from];

	stream_restart(s);
	/* the initial RTT: latest SYN to the first pure ACK (Wireshark iRTT) */
	if (!rf->first_rtt_known) {
		if ((s->fl & (TCP_SYN | TCP_ACK)) == TCP_SYN) {
			rf->syn_mru_ns = s->ts_ns;
		} else if ((s->fl & (TCP_SYN | TCP_ACK)) == TCP_ACK &&
			   rf->syn_mru_ns != 0) {
			rf->first_rtt_ns = s->ts_ns - rf->syn_mru_ns;
			rf->first_rtt_known = true;
		}
	}
	/* window scaling is known once both SYNs were seen (RFC 7323 §2.2) */
	if ((s->fl & TCP_SYN) && s->pkt->opt.has_mss)
		s->d->mss = s->pkt->opt.mss;
	if (e->handshake_seen || s->f->ep[1 - s->from].handshake_seen) {
		bool both = e->wscale_sent && e->peer_wscale_seen;

		s->d->wscale = (int8_t)(both ? e->wscale : 0);
		s->rev->wscale = (int8_t)(both ? e->peer_wscale : 0);
	} else if (!s->d->seen) {
		s->d->wscale = -1;
	}
	/* nxt counts once the analysis saw the direction send */
	s->known = s->d->seen && seq_track_nxt_seen(s->tx);
}

/* --- zero-window probe, zero window, keepalive, window update and full --- */

/* A zero-window probe (the tracker's rule, seq_track_probe()) skips every
 * other check up to the ACK of unseen data; otherwise the window flags and
 * the keepalive. */
static uint16_t window_flags(const struct stream_seg *s)
{
	const struct seq_track *tx = s->tx, *ptx = s->ptx;
	uint16_t a = 0;

	switch (seq_track_probe(tx, ptx, s->seq, s->len, s->fl)) {
	case SEQ_PROBE_NEXT:
		/* zero-window probe: the next byte, into a closed window */
		return RULES_A_ZWP;
	case SEQ_PROBE_BEFORE:
		/* a keepalive's shape into a closed window: Linux's persist
		 * timer probes with 0 bytes at snd_una - 1 (tcp_xmit_probe_skb).
		 * It probes the window: no keepalive (Wireshark calls it one) */
		return RULES_A_ZWP | RULES_A_ZWP_KA;
	case SEQ_PROBE_NONE:
		break;
	}
	if (s->win == 0 && s->plain)
		a |= RULES_A_ZERO_WINDOW;
	if (s->len <= 1 && s->known && s->seq == tx->nxt - 1 &&
	    !(s->fl & CTL_FLAGS)) {
		a |= RULES_A_KEEPALIVE;
		if (s->ack == tx->last_ack)
			a |= RULES_A_KA_PROBE;
	}
	if (s->len == 0 && s->win != 0 && s->win != tx->window && s->known &&
	    s->seq == tx->nxt && s->ack == tx->last_ack && s->plain)
		a |= RULES_A_WINDOW_UPDATE;
	if (s->len > 0 && s->plain && s->rev->seen && s->rev->wscale >= 0 &&
	    s->seq + s->len ==
		    ptx->last_ack + ((uint32_t)ptx->window << s->rev->wscale))
		a |= RULES_A_WINDOW_FULL;
	return a;
}

static void raise_window(const struct stream_seg *s, uint16_t a)
{
	struct anomaly an;

	if (a & RULES_A_ZERO_WINDOW) {
		rules_anomaly_init(&an, ANOM_ZERO_WINDOW, CAUSE_ZERO_WINDOW,
				   s->from, s->frame, s->ts_ns);
		an.ref_frame = s->ptx->last_frame;
		rules_raise(s->env, s->f, &an);
	}
	if (a & RULES_A_ZWP) {
		rules_anomaly_init(&an, ANOM_ZERO_WINDOW_PROBE,
				   CAUSE_ZERO_WINDOW_PROBE, s->from, s->frame,
				   s->ts_ns);
		an.ref_frame = s->ptx->last_frame;
		rules_raise(s->env, s->f, &an);
	}
	if (a & RULES_A_WINDOW_FULL) {
		rules_anomaly_init(&an, ANOM_WINDOW_FULL, CAUSE_WINDOW_FULL,
				   s->from, s->frame, s->ts_ns);
		an.ref_frame = s->ptx->last_frame;
		an.value = (uint32_t)s->ptx->window << s->rev->wscale;
		rules_raise(s->env, s->f, &an);
	}
}

/* --- lost segment, ACK of unseen data ------------------------------------ */

/* A segment beyond nxt (not after a probe); an ACK beyond what the peer may
 * have been acknowledged. Not on a SYN-ACK answering a captured SYN: its
 * ack is judged against that SYN by bad_ack (rules.c), and one wrong number
 * is one fault; nor on the ACK with which a server still in TIME_WAIT
 * answers the client's new SYN (the time_wait_reuse case): it acknowledges
 * the older connection's numbers, which the capture saw. (The state
 * machine's step then lets the peer's ackable catch up, seq_track_acked(),
 * so the gap is said once.) */
static uint16_t gap_flags(const struct stream_seg *s, uint16_t a)
{
	const struct flow *f = s->f;
	uint16_t g = 0;

	if (!(a & RULES_A_ZWP) && s->d->seen &&
	    seq_track_gap(s->tx, s->seq, s->fl))
		g |= RULES_A_LOST_SEGMENT;
	if (s->rev->seen && s->ptx->ackable_known && (s->fl & TCP_ACK) &&
	    SEQ_GT(s->ack, s->ptx->ackable) &&
	    !((s->fl & TCP_SYN) && f->ep[1 - s->from].syn_sent &&
	      f->ep[1 - s->from].isn_known) &&
	    !(s->from == ROLE_SERVER && s->plain &&
	      !f->ep[ROLE_SERVER].syn_sent &&
	      f->ep[ROLE_CLIENT].state == TCP_ST_SYN_SENT &&
	      rules_tw_challenge(s->env, f, s->ts_ns)))
		g |= RULES_A_ACK_UNSEEN;
	return g;
}

/* The capture sits near the sender, so the segment passed it: not captured
 * rather than lost; near the receiver: lost on the way; elsewhere it cannot
 * tell (the type's cause and confidence stay). */
static void lost_cause(const struct stream_seg *s, struct anomaly *an)
{
	enum capture_point cp = s->f->rec.capture_point;

	if ((cp == CAPTURE_NEAR_CLIENT && s->from == ROLE_CLIENT) ||
	    (cp == CAPTURE_NEAR_SERVER && s->from == ROLE_SERVER)) {
		an->cause = CAUSE_LOST_NOT_CAPTURED;
		an->confidence = CONF_MEDIUM;
	} else if (cp == CAPTURE_NEAR_CLIENT || cp == CAPTURE_NEAR_SERVER) {
		an->cause = CAUSE_LOST_BEFORE_CAPTURE;
		an->confidence = CONF_MEDIUM;
	}
}

static void raise_gap(const struct stream_seg *s, uint16_t a)
{
	struct anomaly an;

	if (a & RULES_A_LOST_SEGMENT) {
		rules_anomaly_init(&an, ANOM_LOST_SEGMENT, CAUSE_LOST_UNKNOWN,
				   s->from, s->frame, s->ts_ns);
		an.ref_frame = s->tx->nxt_frame;
		an.value = (uint32_t)(s->seq - s->tx->nxt);
		lost_cause(s, &an);
		rules_raise(s->env, s->f, &an);
	}
	if (a & RULES_A_ACK_UNSEEN) {
		rules_anomaly_init(&an, ANOM_ACK_UNSEEN, CAUSE_ACK_UNSEEN,
				   s->from, s->frame, s->ts_ns);
		an.ref_frame = s->ptx->last_frame;
		an.value = rel_seq(s->f, 1 - s->from, s->ack);
		rules_raise(s->env, s->f, &an);
	}
}

/* --- duplicate ACK (and the ACKs of a keepalive or probe, which are not) - */

/* A pure ACK repeating the sender's previous seq, ack and window: the
 * answer to the peer's keepalive (window open) or zero-window probe
 * (window 0), else a duplicate ACK (window open). Any other segment, a
 * probe too, ends the run of duplicates. */
static uint16_t dup_ack_flags(const struct stream_seg *s, uint16_t a)
{
	const struct seq_track *tx = s->tx;
	struct rules_dir *d = s->d;
	uint16_t g = 0;

	if (!(a & RULES_A_ZWP) && s->len == 0 && s->plain && s->known &&
	    s->seq == tx->nxt && s->ack == tx->last_ack &&
	    s->win == tx->window) {
		if (s->win != 0 && (s->rev->last_aflags & RULES_A_KEEPALIVE))
			g = RULES_A_KEEPALIVE_ACK;
		else if (s->win == 0 && (s->rev->last_aflags & RULES_A_ZWP))
			g = RULES_A_ZWP_ACK;
		else if (s->win != 0)
			g = RULES_A_DUP_ACK;
	}
	if (g == RULES_A_DUP_ACK) {
		d->dupacks++;
	} else {
		d->lastnondup_frame = s->frame;
		d->dupacks = 0;
	}
	return g;
}

static void raise_dup_ack(const struct stream_seg *s, uint16_t a)
{
	struct anomaly an;

	if (!(a & RULES_A_DUP_ACK))
		return;
	/* with a D-SACK it reports a duplicate received: no hole */
	rules_anomaly_init(&an, ANOM_DUPLICATE_ACK,
			   rules_dsack(s->pkt) ? CAUSE_DUP_ACK_DSACK
					       : CAUSE_DUP_ACK_MISSING,
			   s->from, s->frame, s->ts_ns);
	an.ref_frame = s->d->lastnondup_frame;
	an.count = s->d->dupacks;
	an.value = rel_seq(s->f, 1 - s->from, s->ack);
	rules_raise(s->env, s->f, &an);
}

/* --- retransmission, fast and spurious, out-of-order --------------------- */

/* A segment with payload, SYN or FIN whose sequence number did not advance
 * is one of the three, unless it is data the peer already acknowledged,
 * which is a spurious retransmission even when it advances (a capture that
 * saw the ACK first). Never a keepalive or a probe of a keepalive's shape;
 * never the first SYN-ACK of a simultaneous open (RFC 9293 §3.5, figure 8:
 * it repeats the endpoint's own SYN after the peer's, a step of the
 * handshake; Wireshark counts it). */
static uint16_t rtx_flags(const struct stream_seg *s, uint16_t a)
{
	const struct rules_dir *d = s->d, *rev = s->rev;
	const struct analyzer_config *cfg = s->env->cfg;
	const struct rules_flow *rf = &s->f->rules;
	uint32_t ctl = (s->fl & (TCP_SYN | TCP_FIN)) ? 1 : 0;
	bool not_advanced;
	int64_t ooo;

	if ((s->len == 0 && ctl == 0) ||
	    (a & (RULES_A_KEEPALIVE | RULES_A_ZWP_KA)))
		return 0;
	if ((s->fl & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK) &&
	    (d->syn_kinds & 1) && !(d->syn_kinds & 2) && (rev->syn_kinds & 1))
		return 0; /* simultaneous open */
	not_advanced = s->known && SEQ_LT(s->seq, s->tx->nxt);
	ooo = rf->first_rtt_known && rf->first_rtt_ns > 0
		      ? rf->first_rtt_ns
		      : cfg->reorder_window_ns;
	if (not_advanced && rev->dupacks >= 2 && s->ptx->last_ack == s->seq &&
	    s->ts_ns - s->ptx->last_ns < cfg->fast_rtx_window_ns)
		return RULES_A_FAST_RETRANSMISSION;
	if (s->len > 0 && rev->seen && s->ptx->last_ack != 0 &&
	    SEQ_LEQ(s->seq + s->len, s->ptx->last_ack))
		return RULES_A_SPURIOUS;
	if (not_advanced && s->ts_ns - s->tx->nxt_ns < ooo &&
	    s->tx->nxt != s->seq + s->len + ctl)
		return RULES_A_OUT_OF_ORDER;
	return not_advanced ? RULES_A_RETRANSMISSION : 0;
}

/* The original of a retransmitted or reordered segment (ref_frame and the
 * time since, in *an): the remembered data segment, else the frame that
 * last advanced nxt. A bare SYN, SYN-ACK or FIN: the first copy of it at
 * this sequence number (rules.c tracks them; ctl_rules has not seen this
 * one yet); the frame that last advanced nxt may be another kind of
 * segment: a FIN sent at the number of its own SYN
 * (zeek/tcp/fin_retransmission.pcap) repeats no FIN. */
static void rtx_original(const struct stream_seg *s, enum anomaly_type t,
			 struct anomaly *an)
{
	const struct rules_seg *orig =
		s->len > 0 ? rules_stream_find_seg(
				     flow_cold_ring_of(s->f, s->from), s->seq)
			   : NULL;

	an->ref_frame = orig != NULL ? orig->frame : s->tx->nxt_frame;
	an->duration_ns =
		s->ts_ns - (orig != NULL ? orig->ts_ns : s->tx->nxt_ns);
	if (orig == NULL && s->len > 0 && t == ANOM_RETRANSMISSION) {
		/* first sent before the segments still remembered, or never
		 * captured: the frame that last advanced nxt is not it */
		an->ref_frame = 0;
		an->duration_ns = 0;
	}
	if (s->len == 0 && (s->fl & (TCP_SYN | TCP_FIN))) {
		const struct rules_ctl *c =
			(s->fl & TCP_SYN)
				? &flow_cold_ctl_of(s->f, s->from)->syn
				: flow_cold_fin_of(s->f, s->from);
		bool same = c->active && c->seq == s->seq;

		an->ref_frame = same ? c->frame : 0;
		an->duration_ns = same ? s->ts_ns - c->ts_ns : 0;
	}
}

static void raise_rtx(const struct stream_seg *s, uint16_t a)
{
	enum anomaly_type t;
	struct anomaly an;

	if (!(a & (RULES_A_ANY_RTX | RULES_A_OUT_OF_ORDER)))
		return;
	t = (a & RULES_A_FAST_RETRANSMISSION) ? ANOM_FAST_RETRANSMISSION
	    : (a & RULES_A_SPURIOUS)          ? ANOM_SPURIOUS_RETRANSMISSION
	    : (a & RULES_A_OUT_OF_ORDER)      ? ANOM_OUT_OF_ORDER
					      : ANOM_RETRANSMISSION;
	rules_anomaly_init(&an, t, rtx_cause(t, s->fl), s->from, s->frame,
			   s->ts_ns);
	rtx_original(s, t, &an);
	an.value = s->len;
	if (t == ANOM_FAST_RETRANSMISSION)
		an.count = s->rev->dupacks;
	if (t == ANOM_RETRANSMISSION && s->len > 0) {
		note_data_rtx(s->env, s->f, s->ptx, s->from, s->seq, s->frame,
			      s->ts_ns);
		an.count = flow_cold_ring_of(s->f, s->from)->rtx_count;
	}
	if (t == ANOM_SPURIOUS_RETRANSMISSION)
		an.ref_frame = s->ptx->last_frame;
	rules_raise(s->env, s->f, &an);
}

/* --- the segment --------------------------------------------------------- */

/* Move the analysis on (the sequence numbers, ack and window move in the
 * state machine's step, by the tracker's rules). */
static void stream_move_on(const struct stream_seg *s, uint16_t a)
{
	struct rules_dir *d = s->d;
	struct rules_ring *r;

	if (s->len > 0 && !(a & (RULES_A_ANY_RTX | RULES_A_OUT_OF_ORDER |
				 RULES_A_KEEPALIVE | RULES_A_ZWP)))
		remember_seg(s->env, s->f, s->from, s->seq, s->len, s->frame,
			     s->ts_ns);
	r = s->f->rules.ring[s->from];
	if (s->len > 0 && !(a & RULES_A_ANY_RTX) && r != NULL &&
	    r->rtx_active && SEQ_GT(s->seq, r->rtx_seq))
		r->rtx_active = false; /* the series ended: new data flows */
	if (s->fl & TCP_SYN)
		d->syn_kinds |= (s->fl & TCP_ACK) ? 2 : 1;
	d->last_aflags = a;
	d->seen = true;
}

uint16_t rules_stream_segment(struct rules_env *env, struct flow *f, int from,
			      const struct pkt_view *pkt, uint64_t frame,
			      int64_t ts_ns)
{
	struct stream_seg s = {
		.env = env,
		.f = f,
		.from = from,
		.pkt = pkt,
		.frame = frame,
		.ts_ns = ts_ns,
		.d = &f->rules.dir[from],
		.rev = &f->rules.dir[1 - from],
		.tx = &f->ep[from].tx,
		.ptx = &f->ep[1 - from].tx,
		.seq = pkt->seq,
		.ack = pkt->ack,
		.len = pkt->payload_bytes,
		.win = pkt->window,
		.fl = pkt->flags,
		.plain = (pkt->flags & CTL_FLAGS) == 0,
	};
	uint16_t a;

	stream_start(&s);
	/* the flags, family by family (Wireshark's order: a probe skips the
	 * checks up to the ACK of unseen data) */
	a = window_flags(&s);
	a |= gap_flags(&s, a);
	a |= dup_ack_flags(&s, a);
	a |= rtx_flags(&s, a);
	/* raise what was found (before the analysis moves on, so that the
	 * references still name the earlier frames) */
	raise_rtx(&s, a);
	raise_gap(&s, a);
	raise_dup_ack(&s, a);
	raise_window(&s, a);
	stream_move_on(&s, a);
	return a;
}
