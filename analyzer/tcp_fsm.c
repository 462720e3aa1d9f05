/*
 * tcp_fsm.c - one endpoint's RFC 9293 state machine, inferred at the capture
 * point (see tcp_fsm.h for the dating rules).
 *
 * tcp_fsm_step() first updates the endpoint's sequence tracking from the
 * segment (track_send(), track_recv(): ISN, what it sent in its tracker tx
 * (seq_track.h: nxt, highest ACK sent, window), highest ACK received, FIN
 * numbers and options), then turns the flags into one event and hands it to
 * the function of the endpoint's state for that direction (send_<state>(),
 * recv_<state>(), found by step_send() and step_recv(), switches that only
 * dispatch), which switches on the event.
 * Every state change goes through tcp_fsm_enter(), which appends it to the
 * result; every event a state does not expect reports TCP_FSM_N_UNEXPECTED.
 * The capture-point revisions (a later segment shows an earlier one reached
 * the endpoint differently, and a change is revoked) are in
 * tcp_fsm_revise.c. Nothing here allocates, prints or asserts.
 *
 * The arrows (snd = this endpoint sent it, rcv = it received it; "ack of
 * SYN/FIN" = the segment acknowledges this endpoint's SYN/FIN):
 *
 *                               +---------+
 *        rcv SYN (remembered)   | CLOSED  |<------------------------------+
 *        snd SYN-ACK: LISTEN    +---------+          snd RST, rcv RST     |
 *        (dated by the SYN)       |      |           (acceptable), TIMEOUT|
 *              then               |      | snd SYN                        |
 *          +---------+  snd SYN   |      v            rcv SYN             |
 *          | LISTEN  |----------->|  +----------+  ------------------>    |
 *          +---------+               | SYN_SENT |  snd SYN-ACK after      |
 *     snd SYN-ACK |                  +----------+  peer SYN seen          |
 *                 v                        |              |               |
 *         +--------------+   <-------------|--------------+               |
 *         | SYN_RECEIVED |   rcv SYN-ACK,  | rcv SYN-ACK (ack of SYN)     |
 *         +--------------+   ack of SYN    | snd ACK/data (SYN-ACK not    |
 *      rcv ack of SYN |  snd FIN           |   captured, inferred)        |
 *   (snd data: inferred)  \--------------\ v                              |
 *                 v                    +-------------+                    |
 *                 +------------------->| ESTABLISHED |                    |
 *                                      +-------------+                    |
 *                       snd FIN  /                  \ rcv FIN             |
 *                               v                    v                    |
 *               +------------+  rcv FIN   +---------+  +------------+     |
 *               | FIN_WAIT_1 |----------->| CLOSING |  | CLOSE_WAIT |     |
 *               +------------+            +---------+  +------------+     |
 *  rcv ack of FIN |   \ rcv FIN + ack of FIN  |  ^ snd ack of a | snd FIN |
 *                 v    \                      |  | crossed peer  v        |
 *       +------------+  \    rcv ack of FIN   |  | FIN (below)  +--------+|
 *       | FIN_WAIT_2 |   \                    |  |              |LAST_ACK||
 *       +------------+    v                   v  |              +--------+|
 *       rcv FIN  |      +-----------+<--------+                 rcv ack  |
 *                +----->| TIME_WAIT |                           of FIN   |
 *                       +-----------+---- TIMEOUT (2 MSL) ----------------+
 *
 *   UNKNOWN (picked up mid-stream): snd/rcv data or ACK -> ESTABLISHED,
 *   snd FIN -> FIN_WAIT_1, rcv FIN -> CLOSE_WAIT, snd SYN -> SYN_SENT,
 *   snd SYN-ACK -> SYN_RECEIVED, rcv SYN-ACK -> ESTABLISHED, RST -> CLOSED.
 *   SYN_RECEIVED: rcv FIN with the ack of SYN -> ESTABLISHED -> CLOSE_WAIT.
 *   CLOSED after the peer's SYN: rcv an ACK (its SYN-ACK was not captured,
 *   e.g. one direction only) -> LISTEN (dated by the SYN) -> ESTABLISHED,
 *   inferred, ISN = that ACK - 1.
 *   CLOSE_WAIT: snd FIN not acknowledging the peer's FIN: it had not
 *   received it; CLOSE_WAIT revoked -> FIN_WAIT_1 (an active close). Then
 *   snd the first ACK of that FIN: the FINs crossed -> CLOSING (dated by its
 *   FIN); in FIN_WAIT_2 (the peer's FIN came before the ACK that moved it
 *   there) FIN_WAIT_2 revoked -> CLOSING -> TIME_WAIT (dated by its FIN and
 *   by the ACK of it). Never acknowledged: the peer's FIN was lost, it
 *   stays on FIN_WAIT_1 -> FIN_WAIT_2.
 *   FIN_WAIT_2, TIME_WAIT, CLOSED: snd FIN again right after the ACK of
 *   the FIN moved it there: that ACK was lost beyond the capture point, the
 *   move is revoked (back to FIN_WAIT_1, CLOSING or LAST_ACK).
 *   ESTABLISHED by a SYN-ACK received, nothing sent since: snd SYN again
 *   (same ISN), or a bare RST <SEQ=that ACK> (a CLOSED endpoint's answer):
 *   that SYN-ACK was lost beyond the capture point, ESTABLISHED revoked ->
 *   SYN_SENT (-> CLOSED by the RST).
 *   SYN_SENT: rcv an ACK that does not acknowledge the SYN (also in a
 *   SYN-ACK): BAD_ACK, stays; snd RST <SEQ=that ACK> answering it: stays
 *   (§3.10.7.3); only the peer is reset. rcv an ACK of the SYN without
 *   SYN (a split handshake): dropped, stays (§3.10.7.3); snd ACK or data:
 *   the SYN-ACK was not captured -> ESTABLISHED, inferred (-> CLOSE_WAIT
 *   when it acknowledges a FIN of the peer received meanwhile).
 *   Any state: snd RST -> CLOSED; rcv acceptable RST -> CLOSED
 *   (SYN_SENT: the RST acknowledges the SYN; others: RFC 5961 exact match,
 *   an in-window RST only draws a challenge ACK); TIMEOUT -> CLOSED.
 */
#include "analyzer/tcp_fsm.h"
#include "analyzer/tcp_fsm_int.h"

#include <string.h>

#include "analyzer/seq.h"

#define TL_NAME(id, name) [id] = name,
#define TL_NOTE_NAME(id, name) [id##_BIT] = name,
static const char *const event_names[] = {TCP_FSM_EVENTS(TL_NAME)};
static const char *const note_names[] = {TCP_FSM_NOTES(TL_NOTE_NAME)};

const char *tcp_fsm_event_name(enum tcp_fsm_event ev)
{
	return (unsigned)ev < TCP_FSM_EVENT_COUNT ? event_names[ev] : "?";
}

const char *tcp_fsm_note_name(enum tcp_fsm_note_bit bit)
{
	return (unsigned)bit < TCP_FSM_NOTE_COUNT ? note_names[bit] : "?";
}

void tcp_fsm_init(struct tcp_endpoint *self, enum tcp_state state,
		  uint64_t frame, int64_t ts_ns)
{
	memset(self, 0, sizeof(*self));
	self->state = (uint8_t)state;
	self->prev_state = (uint8_t)state;
	self->state_since_frame = frame;
	self->state_since_ns = ts_ns;
	self->prev_since_frame = frame;
	self->prev_since_ns = ts_ns;
}

enum tcp_fsm_event tcp_fsm_event_of(const struct tcp_seg *seg)
{
	uint16_t fl = seg->flags;

	if (fl & TCP_SEG_TIMEOUT)
		return TCP_EV_TIMEOUT;
	if (fl & TCP_RST)
		return TCP_EV_RST;
	if ((fl & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK))
		return TCP_EV_SYNACK;
	if (fl & TCP_SYN)
		return TCP_EV_SYN;
	if (fl & TCP_FIN)
		return TCP_EV_FIN;
	if (seg->len > 0)
		return TCP_EV_DATA;
	return TCP_EV_ACK;
}

void tcp_seg_from_pkt(struct tcp_seg *seg, const struct pkt_view *pkt,
		      uint64_t frame, int64_t ts_ns)
{
	seg->frame = frame;
	seg->ts_ns = ts_ns;
	seg->seq = pkt->seq;
	seg->ack = pkt->ack;
	seg->len = pkt->payload_bytes;
	seg->flags = pkt->flags & 0x1ff;
	seg->window = pkt->window;
	seg->mss = pkt->opt.has_mss ? pkt->opt.mss : 0;
	seg->has_wscale = pkt->opt.has_wscale;
	seg->wscale = pkt->opt.wscale > 14 ? 14 : pkt->opt.wscale;
	seg->window_probe = false;
}

uint32_t tcp_endpoint_window(const struct tcp_endpoint *self)
{
	if (self->handshake_seen && self->wscale_sent &&
	    self->peer_wscale_seen && !self->tx.window_in_syn)
		return (uint32_t)self->tx.window << self->wscale;
	return self->tx.window;
}

bool tcp_state_synchronized(enum tcp_state s)
{
	switch (s) {
	case TCP_ST_ESTABLISHED:
	case TCP_ST_FIN_WAIT_1:
	case TCP_ST_FIN_WAIT_2:
	case TCP_ST_CLOSE_WAIT:
	case TCP_ST_CLOSING:
	case TCP_ST_LAST_ACK:
	case TCP_ST_TIME_WAIT:
	case TCP_ST_UNKNOWN:
		return true;
	default:
		return false;
	}
}

/* --- state changes ------------------------------------------------------- */

void tcp_fsm_enter_at(struct tcp_endpoint *self, struct tcp_fsm_result *out,
		      enum tcp_state to, uint64_t frame, int64_t ts_ns)
{
	if (self->state == to)
		return;
	/* a change dated back (an implied LISTEN, by the peer's SYN) is never
	 * dated before the change into the current state */
	if (frame < self->state_since_frame) {
		frame = self->state_since_frame;
		ts_ns = self->state_since_ns;
	}
	if (out->nchanges < TCP_FSM_MAX_CHANGES) {
		struct tcp_fsm_change *c = &out->change[out->nchanges++];

		c->frame = frame;
		c->ts_ns = ts_ns;
		c->from = self->state;
		c->to = (uint8_t)to;
	}
	self->prev_state = self->state;
	self->prev_since_frame = self->state_since_frame;
	self->prev_since_ns = self->state_since_ns;
	self->state = (uint8_t)to;
	self->state_since_frame = frame;
	self->state_since_ns = ts_ns;
	if (to == TCP_ST_CLOSING)
		self->was_closing = true;
}

void tcp_fsm_enter(struct tcp_endpoint *self, struct tcp_fsm_result *out,
		   enum tcp_state to, const struct tcp_seg *seg)
{
	tcp_fsm_enter_at(self, out, to, seg->frame, seg->ts_ns);
}

/* --- sequence tracking --------------------------------------------------- */

static struct seq_track_seg track_seg(const struct tcp_seg *seg)
{
	struct seq_track_seg s = {
		.frame = seg->frame,
		.ts_ns = seg->ts_ns,
		.seq = seg->seq,
		.ack = seg->ack,
		.len = seg->len,
		.flags = seg->flags,
		.window = seg->window,
	};

	return s;
}

/* Not synchronized yet: a SYN with another ISN is a fresh start. */
static bool fsm_fresh(const struct tcp_endpoint *self)
{
	return self->state == TCP_ST_CLOSED || self->state == TCP_ST_LISTEN ||
	       self->state == TCP_ST_SYN_SENT;
}

/* A SYN starts a new sequence space for what it sends (seq_track.h); a
 * RST, even with SYN set, starts none. */
static void new_space(struct tcp_endpoint *self, const struct tcp_seg *seg)
{
	if (!(seg->flags & TCP_RST))
		seq_track_restart(&self->tx);
}

/* Its SYN (or SYN-ACK): the first, again with the same ISN, or with a new
 * one, which starts a new sequence space for what it sends.
 * Returns false for another connection's SYN (a new ISN once synchronized),
 * which the machine takes nothing else from. */
static bool track_send_syn(struct tcp_endpoint *self, const struct tcp_seg *seg,
			   struct tcp_fsm_result *out)
{
	if (!self->syn_sent) {
		self->syn_sent = true;
		self->syn_frame = seg->frame;
		self->syn_ts_ns = seg->ts_ns;
		self->isn = seg->seq;
		self->isn_known = true;
		self->syn_tx = 1;
		self->mss = seg->mss;
		self->wscale_sent = seg->has_wscale;
		self->wscale = seg->has_wscale ? seg->wscale : 0;
		if (self->peer_syn_seen)
			self->handshake_seen = true;
		/* a fresh ISN restarts the sequence space */
		new_space(self, seg);
		return true;
	}
	if (self->isn_known && seg->seq == self->isn) {
		out->notes |= TCP_FSM_N_SYN_REPEAT;
		if (self->syn_tx < UINT16_MAX)
			self->syn_tx++;
		return true;
	}
	out->notes |= TCP_FSM_N_NEW_ISN;
	new_space(self, seg);
	if (!fsm_fresh(self))
		/* another connection's SYN (a peer that lost this one, RFC
		 * 9293 §3.5.2): its state and ISN are this connection's */
		return false;
	/* not synchronized yet: a fresh attempt */
	self->isn = seg->seq;
	self->syn_tx = 1;
	self->syn_frame = seg->frame;
	self->syn_ts_ns = seg->ts_ns;
	return true;
}

/* Its FIN, at sequence number fin_seq. */
static void track_send_fin(struct tcp_endpoint *self, const struct tcp_seg *seg,
			   uint32_t fin_seq, struct tcp_fsm_result *out)
{
	if (!self->fin_sent) {
		self->fin_sent = true;
		self->fin_seq = fin_seq;
		self->fin_frame = seg->frame;
		self->fin_ts_ns = seg->ts_ns;
		self->fin_tx = 1;
		out->notes |= TCP_FSM_N_FIN_FIRST;
		return;
	}
	if (fin_seq == self->fin_seq)
		out->notes |= TCP_FSM_N_FIN_REPEAT;
	if (self->fin_tx < UINT16_MAX)
		self->fin_tx++;
}

/* This endpoint sent seg. */
static void track_send(struct tcp_endpoint *self, const struct tcp_seg *seg,
		       struct tcp_fsm_result *out)
{
	uint16_t fl = seg->flags;
	uint32_t end = seg->seq + seg->len;
	struct seq_track_seg ts = track_seg(seg);

	seq_track_seen(&self->tx, &ts);
	if (fl & TCP_SYN) {
		if (!track_send_syn(self, seg, out)) {
			/* another connection's SYN: only its tracker takes it */
			if (seq_track_sent(&self->tx, &ts, seg->window_probe))
				out->notes |= TCP_FSM_N_NEW_DATA;
			return;
		}
		end += 1;
	} else if (!self->isn_known && !self->tx.nxt_known &&
		   (fl & TCP_RST) == 0) {
		/* mid-stream: the ISN is unknown; take the first byte seen
		 * minus one so that relative numbers start at 1 (isn_known
		 * stays false) */
		self->isn = seg->seq - 1;
	}
	if (fl & TCP_FIN)
		track_send_fin(self, seg, end, out);
	/* nxt, ackable and the highest ACK sent: the tracker's rules (a RST
	 * moves none of them, a zero-window probe no sequence number) */
	if (seq_track_sent(&self->tx, &ts, seg->window_probe))
		out->notes |= TCP_FSM_N_NEW_DATA;
	if (fl & TCP_RST)
		return; /* a RST's numbers say nothing about what was sent */
	if (self->fin_sent && seg->len > 0 &&
	    SEQ_GT(seg->seq + seg->len, self->fin_seq))
		out->notes |= TCP_FSM_N_DATA_AFTER_FIN;
	if ((fl & TCP_ACK) && self->peer_fin_seen && !self->peer_fin_acked &&
	    SEQ_GT(seg->ack, self->peer_fin_seq)) {
		self->peer_fin_acked = true;
		self->peer_fin_acked_frame = seg->frame;
		out->notes |= TCP_FSM_N_ACKS_PEER_FIN;
	}
}

/*
 * In SYN_RECEIVED, RFC 9293 §3.10.7.4 takes SND.UNA < SEG.ACK =< SND.NXT as
 * the end of the handshake. At the capture point SND.NXT is only what the
 * capture saw the endpoint send: an ACK beyond it acknowledges data the
 * capture missed (the ack_unseen of the rules), which the endpoint sent
 * only once ESTABLISHED, so it completes the handshake as well (the third
 * segment itself was not captured: libpcap/AH-IPcomp-IPv6.pcap). One
 * further ahead than any window allows (2^30, RFC 7323 §2.3) proves
 * nothing. In SYN_SENT an ACK beyond SND.NXT stays unacceptable: nothing
 * can have been sent after a SYN before the SYN-ACK.
 */
static bool acks_missed_data(const struct tcp_endpoint *self,
			     const struct tcp_seg *seg)
{
	return self->state == TCP_ST_SYN_RECEIVED && self->tx.nxt_known &&
	       SEQ_GT(seg->ack, self->tx.nxt) &&
	       (uint32_t)(seg->ack - self->tx.nxt) <= (1u << 30);
}

/* The peer's SYN (or SYN-ACK): the first, again, or a fresh start. Returns
 * false for another connection's SYN, which moves nothing else. */
static bool track_recv_syn(struct tcp_endpoint *self, const struct tcp_seg *seg,
			   struct tcp_fsm_result *out)
{
	if (!self->peer_syn_seen) {
		self->peer_syn_seen = true;
		self->peer_syn_frame = seg->frame;
		self->peer_syn_ts_ns = seg->ts_ns;
		self->peer_isn = seg->seq;
		self->peer_isn_known = true;
		self->peer_wscale_seen = seg->has_wscale;
		self->peer_wscale = seg->has_wscale ? seg->wscale : 0;
		if (self->syn_sent)
			self->handshake_seen = true;
		self->rcv_nxt = seg->seq;
		self->rcv_known = true;
	} else if (seg->seq == self->peer_isn) {
		out->notes |= TCP_FSM_N_PEER_SYN_REPEAT;
		/* reset since the first SYN (a SYN-ACK refused): an implied
		 * LISTEN is dated by this SYN, not by one before the CLOSED */
		if (self->state == TCP_ST_CLOSED &&
		    self->state_since_frame > self->peer_syn_frame) {
			self->peer_syn_frame = seg->frame;
			self->peer_syn_ts_ns = seg->ts_ns;
		}
	} else if (fsm_fresh(self)) {
		/* the peer started afresh (a new SYN-ACK after it was reset):
		 * take its new ISN */
		self->peer_isn = seg->seq;
		self->rcv_nxt = seg->seq;
	} else {
		return false; /* another connection's SYN: nothing to track */
	}
	return true;
}

/* The peer's FIN, at sequence number fin_seq. */
static void track_recv_fin(struct tcp_endpoint *self, const struct tcp_seg *seg,
			   uint32_t fin_seq, struct tcp_fsm_result *out)
{
	if (!self->peer_fin_seen) {
		self->peer_fin_seen = true;
		self->peer_fin_seq = fin_seq;
		self->peer_fin_frame = seg->frame;
		out->notes |= TCP_FSM_N_PEER_FIN;
	} else if (fin_seq == self->peer_fin_seq) {
		out->notes |= TCP_FSM_N_PEER_FIN_REPEAT;
	}
}

/* What the peer's ACK acknowledges of this endpoint's SYN, data and FIN. */
static void track_recv_ack(struct tcp_endpoint *self, const struct tcp_seg *seg,
			   struct tcp_fsm_result *out)
{
	if (self->tx.nxt_known && SEQ_GT(seg->ack, self->tx.nxt))
		out->notes |= TCP_FSM_N_ACK_UNSEEN;
	if (!self->ack_rcvd_known || SEQ_GT(seg->ack, self->snd_una)) {
		self->snd_una = seg->ack;
		self->ack_rcvd_known = true;
	}
	/* in SYN_SENT only a SYN-ACK can acknowledge the SYN: a segment
	 * without SYN is dropped there (RFC 9293 §3.10.7.3, fifth check), so a
	 * bare ACK of ISN + 1 does not count and a SYN-ACK after it still
	 * completes the handshake */
	if (self->syn_sent && !self->syn_acked &&
	    (self->state != TCP_ST_SYN_SENT || (seg->flags & TCP_SYN)) &&
	    SEQ_GT(seg->ack, self->isn) &&
	    (SEQ_LEQ(seg->ack, self->tx.nxt) || acks_missed_data(self, seg))) {
		self->syn_acked = true;
		self->syn_acked_frame = seg->frame;
		out->notes |= TCP_FSM_N_SYN_ACKED;
	}
	if (self->fin_sent && !self->fin_acked &&
	    SEQ_GT(seg->ack, self->fin_seq)) {
		self->fin_acked = true;
		self->fin_acked_frame = seg->frame;
		self->fin_acked_ts_ns = seg->ts_ns;
		out->notes |= TCP_FSM_N_FIN_ACKED;
	}
}

/* This endpoint received seg. */
static void track_recv(struct tcp_endpoint *self, const struct tcp_seg *seg,
		       struct tcp_fsm_result *out)
{
	uint16_t fl = seg->flags;
	uint32_t end = seg->seq + seg->len;

	/* an ACK beyond what may be acknowledged of its own segments (even
	 * on a RST): the tracker's ackable catches up */
	if (fl & TCP_ACK)
		seq_track_acked(&self->tx, seg->ack);
	if (fl & TCP_RST)
		return;
	if (fl & TCP_SYN) {
		if (!track_recv_syn(self, seg, out))
			return;
		end += 1;
	}
	if (fl & TCP_FIN) {
		track_recv_fin(self, seg, end, out);
		end += 1;
	}
	if (!self->rcv_known || SEQ_GT(end, self->rcv_nxt)) {
		self->rcv_nxt = end;
		self->rcv_known = true;
	}
	if (fl & TCP_ACK)
		track_recv_ack(self, seg, out);
}

/* --- RST acceptability --------------------------------------------------- */

/*
 * A RST received in a synchronized state (RFC 9293 §3.10.7.4 first check,
 * RFC 5961 §3.2). At the capture point the receiver's RCV.NXT lies between
 * the highest ACK it sent and the end of the peer's data seen; a RST whose
 * sequence number falls there is the exact match that resets. One further
 * inside the receive window only draws a challenge ACK; one outside is
 * dropped. With nothing known (picked up mid-stream) the RST is accepted.
 */
static uint32_t rst_check(const struct tcp_endpoint *self,
			  const struct tcp_seg *seg)
{
	uint32_t lo, hi, wnd;

	if (!self->rcv_known && !self->tx.max_ack_known)
		return TCP_FSM_N_RST_ACCEPTED;
	lo = self->tx.max_ack_known ? self->tx.max_ack : self->rcv_nxt;
	hi = self->rcv_known ? self->rcv_nxt : self->tx.max_ack;
	if (SEQ_GT(lo, hi)) {
		uint32_t t = lo;

		lo = hi;
		hi = t;
	}
	if (SEQ_BETWEEN(seg->seq, lo, hi))
		return TCP_FSM_N_RST_ACCEPTED;
	wnd = tcp_endpoint_window(self);
	if (!self->handshake_seen)
		wnd = (uint32_t)self->tx.window
		      << 14; /* scale unknown: widest */
	if (wnd < 1)
		wnd = 1;
	if (SEQ_GT(seg->seq, hi) && (uint32_t)(seg->seq - hi) < wnd)
		return TCP_FSM_N_RST_CHALLENGE;
	return TCP_FSM_N_RST_IGNORED;
}

/* SND.UNA < SEG.ACK =< SND.NXT before its SYN was acknowledged: the ACK
 * acknowledges its SYN (§3.10.7.3 "If the ACK bit is set"). */
static bool acks_own_syn(const struct tcp_endpoint *self,
			 const struct tcp_seg *seg)
{
	return (seg->flags & TCP_ACK) && self->isn_known &&
	       SEQ_GT(seg->ack, self->isn) && SEQ_LEQ(seg->ack, self->tx.nxt);
}

/* A RST received in SYN_SENT is acceptable when it acknowledges the SYN
 * (RFC 9293 §3.10.7.3). */
static uint32_t rst_check_syn_sent(const struct tcp_endpoint *self,
				   const struct tcp_seg *seg)
{
	if (acks_own_syn(self, seg))
		return TCP_FSM_N_RST_ACCEPTED;
	return TCP_FSM_N_RST_IGNORED;
}

/*
 * A RST sent from SYN_SENT as RFC 9293 §3.10.7.3 prescribes for an
 * unacceptable ACK: <SEQ=SEG.ACK><CTL=RST>, no ACK bit. The sender drops the
 * offending segment and stays in SYN_SENT; the RST only resets the peer.
 */
static bool rst_answers_bad_ack(const struct tcp_endpoint *self,
				const struct tcp_seg *seg)
{
	return !(seg->flags & TCP_ACK) && !self->syn_acked &&
	       self->ack_rcvd_known && seg->seq == self->snd_una;
}

/* It sent a RST: CLOSED. */
static void rst_sent(struct tcp_endpoint *self, const struct tcp_seg *seg,
		     struct tcp_fsm_result *out)
{
	self->rst_sent = true;
	if (self->rst_frame == 0)
		self->rst_frame = seg->frame;
	tcp_fsm_enter(self, out, TCP_ST_CLOSED, seg);
}

/* It received a RST judged `verdict` (a TCP_FSM_N_RST_* note): CLOSED when
 * accepted. */
static void rst_received(struct tcp_endpoint *self, const struct tcp_seg *seg,
			 struct tcp_fsm_result *out, uint32_t verdict)
{
	out->notes |= verdict;
	if (verdict != TCP_FSM_N_RST_ACCEPTED)
		return;
	self->rst_rcvd = true;
	if (self->rst_frame == 0)
		self->rst_frame = seg->frame;
	tcp_fsm_enter(self, out, TCP_ST_CLOSED, seg);
}

/* --- what the states share ----------------------------------------------- */

static void unexpected(struct tcp_fsm_result *out)
{
	out->notes |= TCP_FSM_N_UNEXPECTED;
}

static inline bool acks_fin(const struct tcp_endpoint *self,
			    const struct tcp_seg *seg)
{
	return self->fin_sent && (seg->flags & TCP_ACK) &&
	       SEQ_GT(seg->ack, self->fin_seq);
}

static inline bool acks_syn(const struct tcp_endpoint *self,
			    const struct tcp_seg *seg)
{
	return self->syn_acked && (seg->flags & TCP_ACK);
}

/* Its FIN sent again: the ACK of the first may have been lost beyond the
 * capture point (a revision); a FIN that is no retransmission is
 * unexpected. */
static void fin_resent(struct tcp_endpoint *self, struct tcp_fsm_result *out)
{
	if ((out->notes & TCP_FSM_N_FIN_REPEAT) == 0) {
		unexpected(out);
		return;
	}
	tcp_fsm_revise_lost_fin_ack(self, out);
}

/* A FIN of the peer, received in a closing state: its first copy or a
 * retransmission. Anything else there is unexpected. */
static void fin_repeat_ok(struct tcp_fsm_result *out)
{
	if ((out->notes & (TCP_FSM_N_PEER_FIN | TCP_FSM_N_PEER_FIN_REPEAT)) ==
	    0)
		unexpected(out);
}

/* A SYN or SYN-ACK of this endpoint sent again after the handshake
 * (its ACK was lost beyond the capture point), or of the peer received
 * again: normal, otherwise unexpected. */
static void syn_repeat_ok(enum tcp_fsm_dir dir, struct tcp_fsm_result *out)
{
	uint32_t want = dir == TCP_FSM_SEND ? TCP_FSM_N_SYN_REPEAT
					    : TCP_FSM_N_PEER_SYN_REPEAT;

	if ((out->notes & want) == 0)
		unexpected(out);
}

/* --- a segment it sent, one function per state --------------------------- */

static void send_closed(struct tcp_endpoint *self, enum tcp_fsm_event ev,
			const struct tcp_seg *seg, struct tcp_fsm_result *out)
{
	switch (ev) {
	case TCP_EV_SYN:
		tcp_fsm_enter(self, out, TCP_ST_SYN_SENT, seg);
		if (self->peer_syn_seen) /* crossed SYNs: simultaneous open */
			tcp_fsm_enter(self, out, TCP_ST_SYN_RECEIVED, seg);
		break;
	case TCP_EV_SYNACK:
		if (self->peer_syn_seen)
			tcp_fsm_enter_at(self, out, TCP_ST_LISTEN,
					 self->peer_syn_frame,
					 self->peer_syn_ts_ns);
		else
			out->notes |= TCP_FSM_N_INFERRED;
		tcp_fsm_enter(self, out, TCP_ST_SYN_RECEIVED, seg);
		break;
	case TCP_EV_RST:
		rst_sent(self, seg, out); /* a closed port answering */
		break;
	case TCP_EV_FIN:
		fin_resent(self, out); /* LAST_ACK's FIN again */
		break;
	default:
		unexpected(out);
		break;
	}
}

static void send_listen(struct tcp_endpoint *self, enum tcp_fsm_event ev,
			const struct tcp_seg *seg, struct tcp_fsm_result *out)
{
	switch (ev) {
	case TCP_EV_SYNACK:
		tcp_fsm_enter(self, out, TCP_ST_SYN_RECEIVED, seg);
		break;
	case TCP_EV_SYN:
		tcp_fsm_enter(self, out, TCP_ST_SYN_SENT, seg);
		if (self->peer_syn_seen)
			tcp_fsm_enter(self, out, TCP_ST_SYN_RECEIVED, seg);
		break;
	case TCP_EV_RST:
		rst_sent(self, seg, out);
		break;
	default:
		unexpected(out);
		break;
	}
}

/* An ACK or data from SYN_SENT: the SYN-ACK was not captured, and this is
 * the evidence that it came (the peer's segments received in SYN_SENT
 * prove nothing). The tracking kept a FIN of the peer that the machine
 * dropped: acknowledging it, the endpoint is in CLOSE_WAIT. An ACK after a
 * SYN-ACK the capture saw (whose ack was wrong), or no ACK at all, is
 * unexpected. */
static void syn_sent_acks(struct tcp_endpoint *self, const struct tcp_seg *seg,
			  struct tcp_fsm_result *out)
{
	if (!(seg->flags & TCP_ACK) || self->peer_syn_seen) {
		unexpected(out);
		return;
	}
	out->notes |= TCP_FSM_N_INFERRED;
	tcp_fsm_enter(self, out, TCP_ST_ESTABLISHED, seg);
	if (self->peer_fin_seen && SEQ_GT(seg->ack, self->peer_fin_seq))
		tcp_fsm_enter(self, out, TCP_ST_CLOSE_WAIT, seg);
}

static void send_syn_sent(struct tcp_endpoint *self, enum tcp_fsm_event ev,
			  const struct tcp_seg *seg, struct tcp_fsm_result *out)
{
	switch (ev) {
	case TCP_EV_SYN:
		break; /* retransmission (noted by the tracking) */
	case TCP_EV_SYNACK:
		if (self->peer_syn_seen)
			tcp_fsm_enter(self, out, TCP_ST_SYN_RECEIVED, seg);
		else
			unexpected(out);
		break;
	case TCP_EV_ACK:
	case TCP_EV_DATA:
		syn_sent_acks(self, seg, out);
		break;
	case TCP_EV_RST:
		if (rst_answers_bad_ack(self, seg))
			break; /* §3.10.7.3: it stays in SYN_SENT */
		rst_sent(self, seg, out);
		break;
	default:
		unexpected(out);
		break;
	}
}

static void send_syn_received(struct tcp_endpoint *self, enum tcp_fsm_event ev,
			      const struct tcp_seg *seg,
			      struct tcp_fsm_result *out)
{
	switch (ev) {
	case TCP_EV_SYNACK:
	case TCP_EV_SYN:
		syn_repeat_ok(TCP_FSM_SEND, out);
		break;
	case TCP_EV_ACK:
	case TCP_EV_DATA:
		/* it would not send this before its SYN was acknowledged:
		 * that ACK was not captured */
		out->notes |= TCP_FSM_N_INFERRED;
		tcp_fsm_enter(self, out, TCP_ST_ESTABLISHED, seg);
		break;
	case TCP_EV_FIN:
		/* a close in SYN_RECEIVED goes to FIN_WAIT_1 (§3.10.4); a FIN
		 * after data (in it, or before it and not captured: its number
		 * lies beyond ISN + 1) was sent ESTABLISHED, like the data
		 * above */
		if (seg->len > 0 ||
		    (self->isn_known && SEQ_GT(seg->seq, self->isn + 1))) {
			out->notes |= TCP_FSM_N_INFERRED;
			tcp_fsm_enter(self, out, TCP_ST_ESTABLISHED, seg);
		}
		tcp_fsm_enter(self, out, TCP_ST_FIN_WAIT_1, seg);
		break;
	case TCP_EV_RST:
		rst_sent(self, seg, out);
		break;
	default:
		unexpected(out);
		break;
	}
}

static void send_established(struct tcp_endpoint *self, enum tcp_fsm_event ev,
			     const struct tcp_seg *seg,
			     struct tcp_fsm_result *out)
{
	switch (ev) {
	case TCP_EV_ACK:
	case TCP_EV_DATA:
		break;
	case TCP_EV_FIN:
		tcp_fsm_enter(self, out, TCP_ST_FIN_WAIT_1, seg);
		break;
	case TCP_EV_SYN:
		syn_repeat_ok(TCP_FSM_SEND, out);
		tcp_fsm_revise_lost_synack(self, out);
		break;
	case TCP_EV_SYNACK:
		syn_repeat_ok(TCP_FSM_SEND, out);
		break;
	case TCP_EV_RST:
		tcp_fsm_revise_gave_up(self, seg, out);
		rst_sent(self, seg, out);
		break;
	default:
		unexpected(out);
		break;
	}
}

/* FIN_WAIT_1, FIN_WAIT_2, CLOSING, LAST_ACK: its FIN is out. */
static void send_after_fin(struct tcp_endpoint *self, enum tcp_fsm_event ev,
			   const struct tcp_seg *seg,
			   struct tcp_fsm_result *out)
{
	switch (ev) {
	case TCP_EV_ACK:
	case TCP_EV_DATA:
		/* data: a retransmission of data sent before the FIN is
		 * normal; beyond the FIN, the tracking noted it */
		tcp_fsm_revise_fin_crossed(self, out);
		break;
	case TCP_EV_FIN:
		fin_resent(self, out);
		tcp_fsm_revise_fin_crossed(self, out);
		break;
	case TCP_EV_RST:
		rst_sent(self, seg, out);
		break;
	default:
		unexpected(out);
		break;
	}
}

static void send_close_wait(struct tcp_endpoint *self, enum tcp_fsm_event ev,
			    const struct tcp_seg *seg,
			    struct tcp_fsm_result *out)
{
	switch (ev) {
	case TCP_EV_ACK:
	case TCP_EV_DATA:
		break;
	case TCP_EV_FIN:
		if (!tcp_fsm_revise_close_wait(self, seg, out))
			tcp_fsm_enter(self, out, TCP_ST_LAST_ACK, seg);
		break;
	case TCP_EV_RST:
		rst_sent(self, seg, out);
		break;
	default:
		unexpected(out);
		break;
	}
}

static void send_time_wait(struct tcp_endpoint *self, enum tcp_fsm_event ev,
			   const struct tcp_seg *seg,
			   struct tcp_fsm_result *out)
{
	switch (ev) {
	case TCP_EV_ACK:
		break; /* the (repeated) last ACK */
	case TCP_EV_FIN:
		fin_resent(self, out);
		break;
	case TCP_EV_RST:
		rst_sent(self, seg, out);
		break;
	default:
		unexpected(out);
		break;
	}
}

static void send_unknown(struct tcp_endpoint *self, enum tcp_fsm_event ev,
			 const struct tcp_seg *seg, struct tcp_fsm_result *out)
{
	switch (ev) {
	case TCP_EV_SYN:
		tcp_fsm_enter(self, out, TCP_ST_SYN_SENT, seg);
		break;
	case TCP_EV_SYNACK:
		tcp_fsm_enter(self, out, TCP_ST_SYN_RECEIVED, seg);
		break;
	case TCP_EV_ACK:
	case TCP_EV_DATA:
		tcp_fsm_enter(self, out,
			      self->peer_fin_seen ? TCP_ST_CLOSE_WAIT
						  : TCP_ST_ESTABLISHED,
			      seg);
		break;
	case TCP_EV_FIN:
		tcp_fsm_enter(self, out,
			      self->peer_fin_seen ? TCP_ST_LAST_ACK
						  : TCP_ST_FIN_WAIT_1,
			      seg);
		break;
	case TCP_EV_RST:
		rst_sent(self, seg, out);
		break;
	default:
		unexpected(out);
		break;
	}
}

/* --- a segment it received, one function per state ----------------------- */

/*
 * In CLOSED, an ACK of the peer in SYN_SENT acknowledges a SYN-ACK the
 * capture missed (e.g. only one direction captured; send_syn_sent() infers
 * the peer's ESTABLISHED the same way): this endpoint LISTENed since the
 * SYN, answered, and is ESTABLISHED by this ACK of its ISN + 1 (only when
 * it did nothing since that SYN: the LISTEN is dated by it).
 */
static void closed_acked(struct tcp_endpoint *self, const struct tcp_seg *seg,
			 struct tcp_fsm_result *out)
{
	if (!self->peer_syn_seen || self->syn_sent || self->rst_sent ||
	    !(seg->flags & TCP_ACK) ||
	    self->state_since_frame > self->peer_syn_frame) {
		unexpected(out);
		return;
	}
	self->isn = seg->ack - 1;
	self->isn_known = true;
	/* syn_sent stays false: no SYN-ACK frame */
	self->syn_acked = true;
	self->syn_acked_frame = seg->frame;
	seq_track_infer(&self->tx, seg->ack);
	out->notes |= TCP_FSM_N_INFERRED;
	tcp_fsm_enter_at(self, out, TCP_ST_LISTEN, self->peer_syn_frame,
			 self->peer_syn_ts_ns);
	tcp_fsm_enter(self, out, TCP_ST_ESTABLISHED, seg);
}

static void recv_closed(struct tcp_endpoint *self, enum tcp_fsm_event ev,
			const struct tcp_seg *seg, struct tcp_fsm_result *out)
{
	switch (ev) {
	case TCP_EV_SYN:
		break; /* remembered: LISTEN is implied if it answers */
	case TCP_EV_RST:
		break; /* nothing to reset */
	case TCP_EV_ACK:
	case TCP_EV_DATA:
		closed_acked(self, seg, out);
		break;
	default:
		unexpected(out);
		break;
	}
}

static void recv_listen(struct tcp_endpoint *self, enum tcp_fsm_event ev,
			const struct tcp_seg *seg, struct tcp_fsm_result *out)
{
	(void)self;
	(void)seg;
	switch (ev) {
	case TCP_EV_SYN:
	case TCP_EV_RST: /* ignored in LISTEN (§3.10.7.2) */
		break;
	default:
		unexpected(out);
		break;
	}
}

static void recv_syn_sent(struct tcp_endpoint *self, enum tcp_fsm_event ev,
			  const struct tcp_seg *seg, struct tcp_fsm_result *out)
{
	switch (ev) {
	case TCP_EV_SYNACK:
		if (out->notes & TCP_FSM_N_SYN_ACKED)
			tcp_fsm_enter(self, out, TCP_ST_ESTABLISHED, seg);
		else
			out->notes |= TCP_FSM_N_BAD_ACK;
		break;
	case TCP_EV_SYN:
		tcp_fsm_enter(self, out, TCP_ST_SYN_RECEIVED, seg);
		break;
	case TCP_EV_ACK:
	case TCP_EV_DATA:
	case TCP_EV_FIN:
		/*
		 * A segment without SYN is dropped in SYN_SENT (§3.10.7.3):
		 * one whose ACK does not acknowledge the SYN is the
		 * unacceptable ACK answered by a RST (e.g. a peer still
		 * holding an old connection); one that does (a split
		 * handshake's bare ACK) changes nothing either. Had the
		 * capture missed a SYN-ACK, the endpoint's own ACK or data
		 * shows it (send_syn_sent()), not the peer's segment.
		 */
		if ((seg->flags & TCP_ACK) && !acks_own_syn(self, seg))
			out->notes |= TCP_FSM_N_BAD_ACK;
		else
			unexpected(out);
		break;
	case TCP_EV_RST:
		rst_received(self, seg, out, rst_check_syn_sent(self, seg));
		break;
	default:
		unexpected(out);
		break;
	}
}

static void recv_syn_received(struct tcp_endpoint *self, enum tcp_fsm_event ev,
			      const struct tcp_seg *seg,
			      struct tcp_fsm_result *out)
{
	switch (ev) {
	case TCP_EV_SYN:
		if ((out->notes & TCP_FSM_N_PEER_SYN_REPEAT) == 0)
			unexpected(out);
		break;
	case TCP_EV_SYNACK:
	case TCP_EV_ACK:
	case TCP_EV_DATA:
	case TCP_EV_FIN:
		if (!acks_syn(self, seg)) {
			out->notes |= TCP_FSM_N_BAD_ACK;
			break;
		}
		tcp_fsm_enter(self, out, TCP_ST_ESTABLISHED, seg);
		if (seg->flags & TCP_FIN)
			tcp_fsm_enter(self, out, TCP_ST_CLOSE_WAIT, seg);
		break;
	case TCP_EV_RST:
		rst_received(self, seg, out, rst_check(self, seg));
		break;
	default:
		unexpected(out);
		break;
	}
}

static void recv_established(struct tcp_endpoint *self, enum tcp_fsm_event ev,
			     const struct tcp_seg *seg,
			     struct tcp_fsm_result *out)
{
	switch (ev) {
	case TCP_EV_ACK:
	case TCP_EV_DATA:
		break;
	case TCP_EV_FIN:
		tcp_fsm_enter(self, out, TCP_ST_CLOSE_WAIT, seg);
		break;
	case TCP_EV_SYN:
	case TCP_EV_SYNACK:
		syn_repeat_ok(TCP_FSM_RECV, out);
		break;
	case TCP_EV_RST:
		rst_received(self, seg, out, rst_check(self, seg));
		break;
	default:
		unexpected(out);
		break;
	}
}

static void recv_fin_wait_1(struct tcp_endpoint *self, enum tcp_fsm_event ev,
			    const struct tcp_seg *seg,
			    struct tcp_fsm_result *out)
{
	switch (ev) {
	case TCP_EV_ACK:
	case TCP_EV_DATA:
		if (acks_fin(self, seg))
			tcp_fsm_enter(self, out, TCP_ST_FIN_WAIT_2, seg);
		break;
	case TCP_EV_FIN:
		/* RFC 9293 §3.10.7.4, FIN bit: "If our FIN has been ACKed
		 * (perhaps in this segment), then enter TIME-WAIT; otherwise,
		 * enter the CLOSING state." */
		tcp_fsm_enter(self, out,
			      acks_fin(self, seg) ? TCP_ST_TIME_WAIT
						  : TCP_ST_CLOSING,
			      seg);
		break;
	case TCP_EV_SYN:
	case TCP_EV_SYNACK:
		syn_repeat_ok(TCP_FSM_RECV, out);
		break;
	case TCP_EV_RST:
		rst_received(self, seg, out, rst_check(self, seg));
		break;
	default:
		unexpected(out);
		break;
	}
}

static void recv_fin_wait_2(struct tcp_endpoint *self, enum tcp_fsm_event ev,
			    const struct tcp_seg *seg,
			    struct tcp_fsm_result *out)
{
	switch (ev) {
	case TCP_EV_ACK:
	case TCP_EV_DATA:
		break; /* half-closed: the peer may still send */
	case TCP_EV_FIN:
		tcp_fsm_enter(self, out, TCP_ST_TIME_WAIT, seg);
		break;
	case TCP_EV_RST:
		rst_received(self, seg, out, rst_check(self, seg));
		break;
	default:
		unexpected(out);
		break;
	}
}

static void recv_close_wait(struct tcp_endpoint *self, enum tcp_fsm_event ev,
			    const struct tcp_seg *seg,
			    struct tcp_fsm_result *out)
{
	switch (ev) {
	case TCP_EV_ACK:
	case TCP_EV_DATA:
		break;
	case TCP_EV_FIN:
		fin_repeat_ok(out);
		break;
	case TCP_EV_RST:
		rst_received(self, seg, out, rst_check(self, seg));
		break;
	default:
		unexpected(out);
		break;
	}
}

/* CLOSING and LAST_ACK: the ACK of its FIN ends them (in TIME_WAIT, in
 * CLOSED). */
static void recv_fin_acked(struct tcp_endpoint *self, enum tcp_fsm_event ev,
			   const struct tcp_seg *seg,
			   struct tcp_fsm_result *out, enum tcp_state then)
{
	switch (ev) {
	case TCP_EV_ACK:
	case TCP_EV_DATA:
	case TCP_EV_FIN:
		if (ev == TCP_EV_FIN)
			fin_repeat_ok(out);
		if (acks_fin(self, seg))
			tcp_fsm_enter(self, out, then, seg);
		break;
	case TCP_EV_RST:
		rst_received(self, seg, out, rst_check(self, seg));
		break;
	default:
		unexpected(out);
		break;
	}
}

static void recv_closing(struct tcp_endpoint *self, enum tcp_fsm_event ev,
			 const struct tcp_seg *seg, struct tcp_fsm_result *out)
{
	recv_fin_acked(self, ev, seg, out, TCP_ST_TIME_WAIT);
}

static void recv_last_ack(struct tcp_endpoint *self, enum tcp_fsm_event ev,
			  const struct tcp_seg *seg, struct tcp_fsm_result *out)
{
	recv_fin_acked(self, ev, seg, out, TCP_ST_CLOSED);
}

static void recv_time_wait(struct tcp_endpoint *self, enum tcp_fsm_event ev,
			   const struct tcp_seg *seg,
			   struct tcp_fsm_result *out)
{
	switch (ev) {
	case TCP_EV_ACK:
		break;
	case TCP_EV_FIN:
		/* the peer's FIN again: its ACK was lost; TIME_WAIT must
		 * answer with the ACK again */
		fin_repeat_ok(out);
		break;
	case TCP_EV_RST:
		/* Linux (tcp_rfc1337 = 0) lets a RST end TIME_WAIT */
		rst_received(self, seg, out, rst_check(self, seg));
		break;
	default:
		unexpected(out);
		break;
	}
}

/* Picked up mid-stream, it receives the SYN-ACK of a SYN the capture did
 * not see: ESTABLISHED, its ISN the SYN-ACK's ack - 1. */
static void unknown_synack(struct tcp_endpoint *self, const struct tcp_seg *seg,
			   struct tcp_fsm_result *out)
{
	self->syn_acked = true;
	self->syn_acked_frame = seg->frame;
	if (!self->isn_known) {
		self->isn = seg->ack - 1;
		self->isn_known = true;
		self->syn_sent = true;
		seq_track_infer(&self->tx, seg->ack);
	}
	out->notes |= TCP_FSM_N_INFERRED;
	tcp_fsm_enter(self, out, TCP_ST_ESTABLISHED, seg);
}

static void recv_unknown(struct tcp_endpoint *self, enum tcp_fsm_event ev,
			 const struct tcp_seg *seg, struct tcp_fsm_result *out)
{
	bool acked = acks_fin(self, seg);

	switch (ev) {
	case TCP_EV_SYNACK:
		unknown_synack(self, seg, out);
		break;
	case TCP_EV_ACK:
	case TCP_EV_DATA:
		if (self->fin_sent)
			tcp_fsm_enter(self, out,
				      acked ? TCP_ST_FIN_WAIT_2
					    : TCP_ST_FIN_WAIT_1,
				      seg);
		else
			tcp_fsm_enter(self, out, TCP_ST_ESTABLISHED, seg);
		break;
	case TCP_EV_FIN:
		if (self->fin_sent)
			tcp_fsm_enter(self, out,
				      acked ? TCP_ST_TIME_WAIT : TCP_ST_CLOSING,
				      seg);
		else
			tcp_fsm_enter(self, out, TCP_ST_CLOSE_WAIT, seg);
		break;
	case TCP_EV_SYN:
		break; /* the peer is opening; nothing known here */
	case TCP_EV_RST:
		rst_received(self, seg, out, rst_check(self, seg));
		break;
	default:
		unexpected(out);
		break;
	}
}

/* --- dispatch ------------------------------------------------------------ */

/* The function of the endpoint's state, for a segment it sent... */
static void step_send(struct tcp_endpoint *self, enum tcp_fsm_event ev,
		      const struct tcp_seg *seg, struct tcp_fsm_result *out)
{
	switch (self->state) {
	case TCP_ST_CLOSED:
		send_closed(self, ev, seg, out);
		break;
	case TCP_ST_LISTEN:
		send_listen(self, ev, seg, out);
		break;
	case TCP_ST_SYN_SENT:
		send_syn_sent(self, ev, seg, out);
		break;
	case TCP_ST_SYN_RECEIVED:
		send_syn_received(self, ev, seg, out);
		break;
	case TCP_ST_ESTABLISHED:
		send_established(self, ev, seg, out);
		break;
	case TCP_ST_FIN_WAIT_1:
	case TCP_ST_FIN_WAIT_2:
	case TCP_ST_CLOSING:
	case TCP_ST_LAST_ACK:
		send_after_fin(self, ev, seg, out);
		break;
	case TCP_ST_CLOSE_WAIT:
		send_close_wait(self, ev, seg, out);
		break;
	case TCP_ST_TIME_WAIT:
		send_time_wait(self, ev, seg, out);
		break;
	case TCP_ST_UNKNOWN:
		send_unknown(self, ev, seg, out);
		break;
	default:
		unexpected(out);
		break;
	}
}

/* ... and for one it received. */
static void step_recv(struct tcp_endpoint *self, enum tcp_fsm_event ev,
		      const struct tcp_seg *seg, struct tcp_fsm_result *out)
{
	switch (self->state) {
	case TCP_ST_CLOSED:
		recv_closed(self, ev, seg, out);
		break;
	case TCP_ST_LISTEN:
		recv_listen(self, ev, seg, out);
		break;
	case TCP_ST_SYN_SENT:
		recv_syn_sent(self, ev, seg, out);
		break;
	case TCP_ST_SYN_RECEIVED:
		recv_syn_received(self, ev, seg, out);
		break;
	case TCP_ST_ESTABLISHED:
		recv_established(self, ev, seg, out);
		break;
	case TCP_ST_FIN_WAIT_1:
		recv_fin_wait_1(self, ev, seg, out);
		break;
	case TCP_ST_FIN_WAIT_2:
		recv_fin_wait_2(self, ev, seg, out);
		break;
	case TCP_ST_CLOSE_WAIT:
		recv_close_wait(self, ev, seg, out);
		break;
	case TCP_ST_CLOSING:
		recv_closing(self, ev, seg, out);
		break;
	case TCP_ST_LAST_ACK:
		recv_last_ack(self, ev, seg, out);
		break;
	case TCP_ST_TIME_WAIT:
		recv_time_wait(self, ev, seg, out);
		break;
	case TCP_ST_UNKNOWN:
		recv_unknown(self, ev, seg, out);
		break;
	default:
		unexpected(out);
		break;
	}
}

static void step_timeout(struct tcp_endpoint *self, const struct tcp_seg *seg,
			 struct tcp_fsm_result *out)
{
	out->notes |= TCP_FSM_N_TIMEOUT;
	switch (self->state) {
	case TCP_ST_CLOSED:
	case TCP_ST_LISTEN:
	case TCP_ST_UNKNOWN:
		break;
	default:
		/* retransmission give-up (SYN_SENT, SYN_RECEIVED), 2 MSL
		 * (TIME_WAIT), user timeout (the others): §3.10.8 */
		tcp_fsm_enter(self, out, TCP_ST_CLOSED, seg);
		break;
	}
}

void tcp_fsm_step(struct tcp_endpoint *self, enum tcp_fsm_dir dir,
		  const struct tcp_seg *seg, struct tcp_fsm_result *out)
{
	enum tcp_fsm_event ev = tcp_fsm_event_of(seg);

	memset(out, 0, sizeof(*out));
	out->event = (uint8_t)ev;
	if (ev == TCP_EV_TIMEOUT) {
		step_timeout(self, seg, out);
		return;
	}
	if (dir == TCP_FSM_SEND) {
		track_send(self, seg, out);
		step_send(self, ev, seg, out);
	} else {
		track_recv(self, seg, out);
		step_recv(self, ev, seg, out);
	}
}
