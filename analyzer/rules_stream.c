/*
 * rules_stream.c - the Wireshark-style sequence analysis of each segment:
 * retransmission, fast and spurious retransmission, out-of-order, lost
 * segment (gap), ACK of unseen data, keepalive, duplicate ACK, zero window,
 * zero-window probe and window full.
 *
 * The checks and their order follow the documented tcp.analysis.* rules of
 * Wireshark's TCP analysis, so the counts can be compared with tshark's
 * frame by frame (docs/ANOMALIES.md, "Stream rules", lists each rule and
 * every deliberate difference). Per direction it keeps: the next expected
 * sequence number (highest seq + len, SYN and FIN counting one) and when it
 * last advanced, the highest sequence number the peer may acknowledge, the
 * ack and raw window of the direction's last segment, and the run of
 * duplicate ACKs; and, in cold parts taken when first needed
 * (rules_state.h), the data segments it sent and its retransmission series.
 * All comparisons of sequence numbers use serial-number arithmetic
 * (seq.h). Nothing here allocates (but from the pools) or formats.
 */
#include <string.h>

#include "analyzer/rules.h"
#include "analyzer/rules_int.h"
#include "analyzer/seq.h"
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
			  const struct rules_dir *rev, int from, uint32_t seq,
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
		if (rev->last_frame != d->rtx_peer_frame)
			d->rtx_answered = true;
	} else {
		const struct rules_seg *orig = rules_stream_find_seg(d, seq);

		gap = orig != NULL ? ts_ns - orig->ts_ns : 0;
		d->rtx_active = true;
		d->rtx_seq = seq;
		d->rtx_count = 1;
		d->rtx_orig_ns = orig != NULL ? orig->ts_ns : ts_ns;
		d->rtx_peer_frame = rev->last_frame;
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

/* Forget the sequence analysis of one direction (a new ISN). */
static void stream_reset(struct flow *f, int dir)
{
	struct rules_dir *d = &f->rules.dir[dir];
	struct rules_ring *r = f->rules.ring[dir];

	d->seen = false;
	d->nextseq_known = false;
	d->maxseq_known = false;
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

uint16_t rules_stream_segment(struct rules_env *env, struct flow *f, int from,
			      const struct pkt_view *pkt, uint64_t frame,
			      int64_t ts_ns)
{
	struct rules_flow *rf = &f->rules;
	struct rules_dir *d = &rf->dir[from];
	struct rules_dir *rev = &rf->dir[1 - from];
	const uint16_t fl = pkt->flags;
	const uint32_t seq = pkt->seq, ack = pkt->ack;
	const uint32_t len = pkt->payload_bytes;
	const uint32_t win = pkt->window;
	const bool plain = (fl & CTL_FLAGS) == 0;
	uint16_t a = 0;
	uint32_t nextseq;
	bool simultaneous = false;
	struct rules_ring *ring;
	struct anomaly an;

	/* a SYN with a new ISN on the same addresses and ports is a new
	 * connection attempt (Wireshark: "port numbers reused"): start over */
	if ((fl & TCP_SYN) && d->syn_kinds != 0 && f->ep[from].isn_known &&
	    seq != f->ep[from].isn) {
		stream_reset(f, from);
		stream_reset(f, 1 - from);
		rf->first_rtt_known = false;
		rf->syn_mru_ns = 0;
	} else if ((fl & TCP_SYN) && d->syn_kinds == 0 && d->seen) {
		/* its first SYN (or SYN-ACK) starts its sequence space: what it
		 * sent before (the challenge ACK of an older connection, RFC
		 * 5961 §4, or segments of one picked up mid-stream) was in
		 * another one, so its SYN-ACK, data and FIN are no
		 * retransmissions of those */
		stream_reset(f, from);
	}
	/* the initial RTT: latest SYN to the first pure ACK (Wireshark iRTT) */
	if (!rf->first_rtt_known) {
		if ((fl & (TCP_SYN | TCP_ACK)) == TCP_SYN)
			rf->syn_mru_ns = ts_ns;
		else if ((fl & (TCP_SYN | TCP_ACK)) == TCP_ACK &&
			 rf->syn_mru_ns != 0) {
			rf->first_rtt_ns = ts_ns - rf->syn_mru_ns;
			rf->first_rtt_known = true;
		}
	}
	/* window scaling is known once both SYNs were seen (RFC 7323 §2.2) */
	if ((fl & TCP_SYN) && pkt->opt.has_mss)
		d->mss = pkt->opt.mss;
	if (f->ep[from].handshake_seen || f->ep[1 - from].handshake_seen) {
		const struct tcp_endpoint *e = &f->ep[from];
		bool both = e->wscale_sent && e->peer_wscale_seen;

		d->wscale = (int8_t)(both ? e->wscale : 0);
		rev->wscale = (int8_t)(both ? e->peer_wscale : 0);
	} else if (!d->seen) {
		d->wscale = -1;
	}

	if (d->seen && rev->seen && rev->window == 0 && len == 1 &&
	    d->nextseq_known && seq == d->nextseq) {
		/* zero-window probe: the next byte, into a closed window */
		a |= RULES_A_ZWP;
		goto finished_fwd;
	}
	if (d->seen && rev->seen && rev->window == 0 && len <= 1 &&
	    d->nextseq_known && seq == d->nextseq - 1 && !(fl & CTL_FLAGS)) {
		/* a keepalive's shape into a closed window: Linux's persist
		 * timer probes with 0 bytes at snd_una - 1 (tcp_xmit_probe_skb).
		 * It probes the window: no keepalive (Wireshark calls it one) */
		a |= RULES_A_ZWP | RULES_A_ZWP_KA;
		goto finished_fwd;
	}
	if (win == 0 && plain)
		a |= RULES_A_ZERO_WINDOW;
	if (d->nextseq_known && SEQ_GT(seq, d->nextseq) && !(fl & TCP_RST))
		a |= RULES_A_LOST_SEGMENT;
	if (len <= 1 && d->nextseq_known && seq == d->nextseq - 1 &&
	    !(fl & CTL_FLAGS)) {
		a |= RULES_A_KEEPALIVE;
		if (d->seen && ack == d->lastack)
			a |= RULES_A_KA_PROBE;
	}
	if (d->seen && len == 0 && win != 0 && win != d->window &&
	    d->nextseq_known && seq == d->nextseq && ack == d->lastack && plain)
		a |= RULES_A_WINDOW_UPDATE;
	if (len > 0 && plain && rev->seen && rev->wscale >= 0 &&
	    seq + len == rev->lastack + (rev->window << rev->wscale))
		a |= RULES_A_WINDOW_FULL;
	if (d->seen && len == 0 && plain && d->nextseq_known &&
	    seq == d->nextseq && ack == d->lastack && win == d->window) {
		if (win != 0 && (rev->last_aflags & RULES_A_KEEPALIVE)) {
			a |= RULES_A_KEEPALIVE_ACK;
			goto finished_fwd;
		}
		if (win == 0 && (rev->last_aflags & RULES_A_ZWP)) {
			a |= RULES_A_ZWP_ACK;
			goto finished_fwd;
		}
		if (win != 0) {
			d->dupacks++;
			a |= RULES_A_DUP_ACK;
		}
	}
finished_fwd:
	if (!(a & RULES_A_DUP_ACK)) {
		d->lastnondup_frame = frame;
		d->dupacks = 0;
	}
	/* a SYN-ACK answering a captured SYN: its ack is judged against
	 * that SYN by bad_ack (rules.c), and one wrong number is one fault */
	/* nor is the ACK with which a server still in TIME_WAIT answers the
	 * client's new SYN (the time_wait_reuse case): it acknowledges the
	 * older connection's numbers, which the capture saw */
	if (rev->maxseq_known && (fl & TCP_ACK) &&
	    SEQ_GT(ack, rev->maxseqtobeacked) &&
	    !((fl & TCP_SYN) && f->ep[1 - from].syn_sent &&
	      f->ep[1 - from].isn_known) &&
	    !(from == ROLE_SERVER && (fl & CTL_FLAGS) == 0 &&
	      !f->ep[ROLE_SERVER].syn_sent &&
	      f->ep[ROLE_CLIENT].state == TCP_ST_SYN_SENT &&
	      rules_tw_challenge(env, f, ts_ns))) {
		a |= RULES_A_ACK_UNSEEN;
		rev->maxseqtobeacked = rev->nextseq;
	}
	/* simultaneous open (RFC 9293 §3.5, figure 8): the first SYN-ACK
	 * repeats the endpoint's own SYN, after the peer's SYN; it is a step
	 * of the handshake, not a retransmission (Wireshark counts it) */
	if ((fl & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK) &&
	    (d->syn_kinds & 1) && !(d->syn_kinds & 2) && (rev->syn_kinds & 1))
		simultaneous = true;
	if ((len > 0 || (fl & (TCP_SYN | TCP_FIN))) &&
	    !(a & (RULES_A_KEEPALIVE | RULES_A_ZWP_KA)) && !simultaneous) {
		/* the sequence number did not advance: one of the three,
		 * unless it is data the peer already acknowledged, which is a
		 * spurious retransmission even when it advances (a capture
		 * that saw the ACK first) */
		bool not_advanced = d->nextseq_known && SEQ_LT(seq, d->nextseq);
		const struct analyzer_config *cfg = env->cfg;
		int64_t ooo = rf->first_rtt_known && rf->first_rtt_ns > 0
				      ? rf->first_rtt_ns
				      : cfg->reorder_window_ns;

		if (not_advanced && rev->dupacks >= 2 && rev->lastack == seq &&
		    ts_ns - rev->lastack_ns < cfg->fast_rtx_window_ns)
			a |= RULES_A_FAST_RETRANSMISSION;
		else if (len > 0 && rev->seen && rev->lastack != 0 &&
			 SEQ_LEQ(seq + len, rev->lastack))
			a |= RULES_A_SPURIOUS;
		else if (not_advanced && ts_ns - d->nextseq_ns < ooo &&
			 d->nextseq != seq + len +
					 ((fl & (TCP_SYN | TCP_FIN)) ? 1 : 0))
			a |= RULES_A_OUT_OF_ORDER;
		else if (not_advanced)
			a |= RULES_A_RETRANSMISSION;
	}

	/* raise what was found (before the tracking moves on, so that the
	 * references still name the earlier frames) */
	if (a & (RULES_A_ANY_RTX | RULES_A_OUT_OF_ORDER)) {
		const struct rules_seg *orig =
			len > 0 ? rules_stream_find_seg(flow_cold_ring_of(f, from),
							seq)
				: NULL;
		enum anomaly_type t =
			(a & RULES_A_FAST_RETRANSMISSION) ? ANOM_FAST_RETRANSMISSION
			: (a & RULES_A_SPURIOUS)	  ? ANOM_SPURIOUS_RETRANSMISSION
			: (a & RULES_A_OUT_OF_ORDER)	  ? ANOM_OUT_OF_ORDER
							  : ANOM_RETRANSMISSION;

		rules_anomaly_init(&an, t, rtx_cause(t, fl), from, frame, ts_ns);
		an.ref_frame = orig != NULL ? orig->frame : d->nextseq_frame;
		an.duration_ns = orig != NULL ? ts_ns - orig->ts_ns
					      : ts_ns - d->nextseq_ns;
		if (orig == NULL && len > 0 && t == ANOM_RETRANSMISSION) {
			/* first sent before the segments still remembered,
			 * or never captured: the frame that last advanced
			 * nextseq is not it */
			an.ref_frame = 0;
			an.duration_ns = 0;
		}
		if (len == 0 && (fl & (TCP_SYN | TCP_FIN))) {
			/* a bare SYN, SYN-ACK or FIN: its original is the
			 * first copy of it at this sequence number (rules.c
			 * tracks them; ctl_rules has not seen this one yet).
			 * The frame that last advanced nextseq may be another
			 * kind of segment: a FIN sent at the number of its own
			 * SYN (zeek/tcp/fin_retransmission.pcap) repeats no
			 * FIN */
			const struct rules_ctl *c =
				(fl & TCP_SYN) ? &flow_cold_ctl_of(f, from)->syn
					       : flow_cold_fin_of(f, from);

			if (c->active && c->seq == seq) {
				an.ref_frame = c->frame;
				an.duration_ns = ts_ns - c->ts_ns;
			} else {
				an.ref_frame = 0;
				an.duration_ns = 0;
			}
		}
		an.value = len;
		if (t == ANOM_FAST_RETRANSMISSION)
			an.count = rev->dupacks;
		if (t == ANOM_RETRANSMISSION && len > 0) {
			note_data_rtx(env, f, rev, from, seq, frame, ts_ns);
			an.count = flow_cold_ring_of(f, from)->rtx_count;
		}
		if (t == ANOM_SPURIOUS_RETRANSMISSION)
			an.ref_frame = rev->last_frame;
		rules_raise(env, f, &an);
	}
	if (a & RULES_A_LOST_SEGMENT) {
		rules_anomaly_init(&an, ANOM_LOST_SEGMENT, CAUSE_LOST_UNKNOWN,
				   from, frame, ts_ns);
		an.ref_frame = d->nextseq_frame;
		an.value = (uint32_t)(seq - d->nextseq);
		/* the capture sits near the sender, so the segment passed it:
		 * not captured rather than lost; near the receiver: lost on
		 * the way; elsewhere it cannot tell (confidence low) */
		if ((f->rec.capture_point == CAPTURE_NEAR_CLIENT &&
		     from == ROLE_CLIENT) ||
		    (f->rec.capture_point == CAPTURE_NEAR_SERVER &&
		     from == ROLE_SERVER)) {
			an.cause = CAUSE_LOST_NOT_CAPTURED;
			an.confidence = CONF_MEDIUM;
		} else if (f->rec.capture_point == CAPTURE_NEAR_CLIENT ||
			   f->rec.capture_point == CAPTURE_NEAR_SERVER) {
			an.cause = CAUSE_LOST_BEFORE_CAPTURE;
			an.confidence = CONF_MEDIUM;
		}
		rules_raise(env, f, &an);
	}
	if (a & RULES_A_ACK_UNSEEN) {
		rules_anomaly_init(&an, ANOM_ACK_UNSEEN, CAUSE_ACK_UNSEEN, from,
				   frame, ts_ns);
		an.ref_frame = rev->last_frame;
		an.value = rel_seq(f, 1 - from, ack);
		rules_raise(env, f, &an);
	}
	if (a & RULES_A_DUP_ACK) {
		/* with a D-SACK it reports a duplicate received: no hole */
		rules_anomaly_init(&an, ANOM_DUPLICATE_ACK,
				   rules_dsack(pkt) ? CAUSE_DUP_ACK_DSACK
						    : CAUSE_DUP_ACK_MISSING,
				   from, frame, ts_ns);
		an.ref_frame = d->lastnondup_frame;
		an.count = d->dupacks;
		an.value = rel_seq(f, 1 - from, ack);
		rules_raise(env, f, &an);
	}
	if (a & RULES_A_ZERO_WINDOW) {
		rules_anomaly_init(&an, ANOM_ZERO_WINDOW, CAUSE_ZERO_WINDOW,
				   from, frame, ts_ns);
		an.ref_frame = rev->last_frame;
		rules_raise(env, f, &an);
	}
	if (a & RULES_A_ZWP) {
		rules_anomaly_init(&an, ANOM_ZERO_WINDOW_PROBE,
				   CAUSE_ZERO_WINDOW_PROBE, from, frame, ts_ns);
		an.ref_frame = rev->last_frame;
		rules_raise(env, f, &an);
	}
	if (a & RULES_A_WINDOW_FULL) {
		rules_anomaly_init(&an, ANOM_WINDOW_FULL, CAUSE_WINDOW_FULL,
				   from, frame, ts_ns);
		an.ref_frame = rev->last_frame;
		an.value = rev->window << rev->wscale;
		rules_raise(env, f, &an);
	}

	/* move the tracking on */
	/* a RST consumes no sequence space and often carries a number taken
	 * from the segment it answers: it never moves nextseq (unlike
	 * Wireshark); a segment after a gap does not move the limit for ACKs
	 * of unseen data (the gap may be acknowledged) */
	nextseq = seq + len + ((fl & (TCP_SYN | TCP_FIN)) ? 1 : 0);
	if (!(a & RULES_A_ZWP) && !(fl & TCP_RST) &&
	    (!d->nextseq_known || SEQ_GT(nextseq, d->nextseq))) {
		d->nextseq = nextseq;
		d->nextseq_known = true;
		d->nextseq_ns = ts_ns;
		d->nextseq_frame = frame;
	}
	if (!(a & (RULES_A_ZWP | RULES_A_LOST_SEGMENT)) &&
	    (!d->maxseq_known || SEQ_GT(d->nextseq, d->maxseqtobeacked))) {
		d->maxseqtobeacked = d->nextseq;
		d->maxseq_known = true;
	}
	if (len > 0 && !(a & (RULES_A_ANY_RTX | RULES_A_OUT_OF_ORDER |
			      RULES_A_KEEPALIVE | RULES_A_ZWP)))
		remember_seg(env, f, from, seq, len, frame, ts_ns);
	ring = rf->ring[from];
	if (len > 0 && !(a & RULES_A_ANY_RTX) && ring != NULL &&
	    ring->rtx_active && SEQ_GT(seq, ring->rtx_seq))
		ring->rtx_active = false; /* the series ended: new data flows */
	if (fl & TCP_SYN)
		d->syn_kinds |= (fl & TCP_ACK) ? 2 : 1;
	d->window = win;
	d->lastack = ack;
	d->lastack_ns = ts_ns;
	d->last_aflags = a;
	d->last_frame = frame;
	d->seen = true;
	return a;
}
