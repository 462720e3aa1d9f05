/*
 * tcp_fsm_revise.c - the capture-point revisions of the state machine
 * (tcp_fsm_int.h): a later segment shows that an earlier one reached the
 * endpoint differently than it passed the capture point, and the change
 * that segment made is revoked. docs/STATES.md, "Inference corrections",
 * describes each with the capture that showed it.
 *
 * Two ways back: fsm_revoke() returns to the state before the latest
 * change and keeps that change's date as the current one, so what follows
 * is never dated before the revoked change; fsm_undo() dates the state it
 * returns to from when it was really entered, so what follows may be dated
 * back to then (a crossing seen late). The caller of the analysis drops
 * the revoked timeline entry (result.revoked). Nothing here allocates or
 * prints.
 */
#include "analyzer/tcp_fsm.h"
#include "analyzer/tcp_fsm_int.h"

#include "analyzer/seq.h"

/* The previous change (into the current state) did not really happen: go
 * back to the state before it, silently, and tell the caller. */
static void fsm_revoke(struct tcp_endpoint *self, struct tcp_fsm_result *out)
{
	out->revoked = true;
	out->revoked_state = self->state;
	self->state = self->prev_state;
}

/* fsm_revoke, and the state it goes back to is dated again from when it was
 * entered: the changes that follow are never dated before it */
static void fsm_undo(struct tcp_endpoint *self, struct tcp_fsm_result *out)
{
	fsm_revoke(self, out);
	self->state_since_frame = self->prev_since_frame;
	self->state_since_ns = self->prev_since_ns;
}

/*
 * It sent its FIN again although the capture saw the FIN acknowledged, and
 * that acknowledgement is what moved it last (to FIN_WAIT_2, TIME_WAIT or
 * CLOSED): the ACK was lost beyond the capture point, so that move never
 * happened. Revoke it; the endpoint is back in FIN_WAIT_1, CLOSING or
 * LAST_ACK until the next ACK of its FIN.
 */
void tcp_fsm_revise_lost_fin_ack(struct tcp_endpoint *self,
				 struct tcp_fsm_result *out)
{
	if (self->fin_acked &&
	    self->state_since_frame == self->fin_acked_frame &&
	    (self->prev_state == TCP_ST_FIN_WAIT_1 ||
	     self->prev_state == TCP_ST_CLOSING ||
	     self->prev_state == TCP_ST_LAST_ACK)) {
		fsm_revoke(self, out);
		self->fin_acked = false; /* the next ACK of it counts again */
	}
}

/*
 * It sent its SYN again (same ISN) although the capture saw a SYN-ACK
 * acknowledge it, and that SYN-ACK is what moved it last (SYN_SENT ->
 * ESTABLISHED), with nothing sent since (no ACK, no data): the SYN-ACK was
 * lost beyond the capture point, so that move never happened. Revoke it;
 * the endpoint is back in SYN_SENT (dated as before) until the next SYN-ACK
 * acknowledges its SYN (conntimeout.pcap: every SYN-ACK dropped after the
 * capture point, the client resends its SYN until connect() times out).
 */
static bool established_by_synack_only(const struct tcp_endpoint *self)
{
	return self->state == TCP_ST_ESTABLISHED && self->syn_acked &&
	       self->state_since_frame == self->syn_acked_frame &&
	       self->prev_state == TCP_ST_SYN_SENT && !self->tx.max_ack_known &&
	       !self->fin_sent && self->isn_known &&
	       self->tx.nxt == self->isn + 1;
}

static void syn_unestablish(struct tcp_endpoint *self,
			    struct tcp_fsm_result *out)
{
	fsm_undo(self, out);
	self->syn_acked = false; /* the next SYN-ACK acknowledges it again */
}

void tcp_fsm_revise_lost_synack(struct tcp_endpoint *self,
				struct tcp_fsm_result *out)
{
	if ((out->notes & TCP_FSM_N_SYN_REPEAT) == 0 ||
	    !established_by_synack_only(self))
		return;
	syn_unestablish(self, out);
}

/*
 * The same endpoint answers a SYN-ACK with a bare RST <SEQ=SEG.ACK> (no ACK
 * flag), as a CLOSED endpoint does (RFC 9293 §3.10.7.1): it had given up
 * the attempt (connect() timed out) before that SYN-ACK came, and the one
 * that moved it to ESTABLISHED never reached it either. Back to SYN_SENT,
 * then CLOSED by the RST.
 */
void tcp_fsm_revise_gave_up(struct tcp_endpoint *self,
			    const struct tcp_seg *seg,
			    struct tcp_fsm_result *out)
{
	if ((seg->flags & TCP_ACK) || !established_by_synack_only(self) ||
	    !self->ack_rcvd_known || seg->seq != self->snd_una)
		return;
	syn_unestablish(self, out);
}

/*
 * Its FIN does not acknowledge the peer's: it had not received it. The
 * CLOSE_WAIT dated by the peer's FIN never was; it closed actively from
 * ESTABLISHED. Whether the peer's FIN then reached it (the FINs crossed:
 * CLOSING) or was lost only its own later ACK of that FIN can tell
 * (tcp_fsm_revise_fin_crossed()): until then it is in FIN_WAIT_1, and
 * FIN_WAIT_2 once its FIN is acknowledged.
 */
bool tcp_fsm_revise_close_wait(struct tcp_endpoint *self,
			       const struct tcp_seg *seg,
			       struct tcp_fsm_result *out)
{
	if (!(seg->flags & TCP_ACK) || !self->peer_fin_seen ||
	    !SEQ_LEQ(seg->ack, self->peer_fin_seq) ||
	    self->peer_fin_frame != self->state_since_frame ||
	    self->peer_fin_acked)
		return false;
	fsm_revoke(self, out);
	tcp_fsm_enter(self, out, TCP_ST_FIN_WAIT_1, seg);
	return true;
}

/*
 * It closed actively while a FIN of the peer was on its way (its own FIN did
 * not acknowledge it, tcp_fsm_revise_close_wait()), and now acknowledges
 * that FIN for the first time: the FINs crossed and the peer's reached it
 * after its own was sent. In FIN_WAIT_1 it is CLOSING; in FIN_WAIT_2 the
 * peer's FIN, sent before the ACK that moved it there, arrived before that
 * ACK (the peer's segments arrive in order), so that FIN_WAIT_2 never was:
 * it went CLOSING and then TIME_WAIT at that ACK. CLOSING is dated by its
 * own FIN, the first moment the crossing shows. If it never acknowledges
 * the peer's FIN, that FIN was lost: it stays on the FIN_WAIT_1 ->
 * FIN_WAIT_2 path of an active close (docs/STATES.md, "Crossing FINs").
 */
void tcp_fsm_revise_fin_crossed(struct tcp_endpoint *self,
				struct tcp_fsm_result *out)
{
	/* the peer's FIN passed the capture point before its own FIN (which
	 * did not acknowledge it, or it would be past FIN_WAIT_1) */
	if ((out->notes & TCP_FSM_N_ACKS_PEER_FIN) == 0 || !self->fin_sent ||
	    !self->peer_fin_seen || self->peer_fin_frame >= self->fin_frame)
		return;
	if (self->state == TCP_ST_FIN_WAIT_1) {
		tcp_fsm_enter_at(self, out, TCP_ST_CLOSING, self->fin_frame,
				 self->fin_ts_ns);
	} else if (self->state == TCP_ST_FIN_WAIT_2 &&
		   self->prev_state == TCP_ST_FIN_WAIT_1 && self->fin_acked &&
		   self->state_since_frame == self->fin_acked_frame &&
		   self->peer_fin_frame < self->fin_acked_frame) {
		/* back in FIN_WAIT_1 since it entered it (by its FIN, unless
		 * that was an earlier FIN of another attempt), and CLOSING
		 * from its FIN on, never before that FIN_WAIT_1 */
		fsm_undo(self, out);
		tcp_fsm_enter_at(self, out, TCP_ST_CLOSING, self->fin_frame,
				 self->fin_ts_ns);
		tcp_fsm_enter_at(self, out, TCP_ST_TIME_WAIT,
				 self->fin_acked_frame, self->fin_acked_ts_ns);
	}
}
