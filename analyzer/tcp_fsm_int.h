/*
 * tcp_fsm_int.h - what the state machine (tcp_fsm.c) and its capture-point
 * revisions (tcp_fsm_revise.c) share; private to the two, nothing else
 * includes it. The types are tcp_fsm.h's.
 *
 * A revision undoes a change the machine made one or more segments
 * earlier, when a later segment shows that the earlier one reached (or
 * left) the endpoint differently than it passed the capture point: the
 * wrong timeline entry is dropped (result.revoked) and the endpoint goes
 * back to the state before it (docs/STATES.md, "Inference corrections").
 * Each function below checks its own conditions and does nothing when they
 * do not hold.
 */
#ifndef TCPLINT_ANALYZER_TCP_FSM_INT_H
#define TCPLINT_ANALYZER_TCP_FSM_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "analyzer/records.h"

struct tcp_endpoint;
struct tcp_fsm_result;
struct tcp_seg;

/* The one place a state changes (tcp_fsm.c): appended to out->change[],
 * dated by (frame, ts_ns), never before the change into the current state.
 * tcp_fsm_enter() dates it by the segment. */
void tcp_fsm_enter_at(struct tcp_endpoint *self, struct tcp_fsm_result *out,
		      enum tcp_state to, uint64_t frame, int64_t ts_ns);
void tcp_fsm_enter(struct tcp_endpoint *self, struct tcp_fsm_result *out,
		   enum tcp_state to, const struct tcp_seg *seg);

/* Lost final ACK: it sent its FIN again (a retransmission) right after the
 * ACK of that FIN moved it to FIN_WAIT_2, TIME_WAIT or CLOSED. */
void tcp_fsm_revise_lost_fin_ack(struct tcp_endpoint *self,
				 struct tcp_fsm_result *out);

/* Lost SYN-ACK: it sent its SYN again (same ISN) in the ESTABLISHED a
 * SYN-ACK moved it to, with nothing sent since. */
void tcp_fsm_revise_lost_synack(struct tcp_endpoint *self,
				struct tcp_fsm_result *out);

/* It gave up connecting: in that same ESTABLISHED it answers a SYN-ACK
 * with a bare RST <SEQ=SEG.ACK> (before the RST closes it). */
void tcp_fsm_revise_gave_up(struct tcp_endpoint *self,
			    const struct tcp_seg *seg,
			    struct tcp_fsm_result *out);

/* Crossing FINs, first half: its FIN sent from CLOSE_WAIT does not
 * acknowledge the peer's FIN, so it never was in CLOSE_WAIT: it closes
 * actively (FIN_WAIT_1). Returns whether it did; if not, the FIN is the
 * passive close (the caller goes LAST_ACK). */
bool tcp_fsm_revise_close_wait(struct tcp_endpoint *self,
			       const struct tcp_seg *seg,
			       struct tcp_fsm_result *out);

/* Crossing FINs, second half: after that active close it acknowledges the
 * peer's FIN for the first time (CLOSING, or CLOSING -> TIME_WAIT in place
 * of a FIN_WAIT_2 that never was). */
void tcp_fsm_revise_fin_crossed(struct tcp_endpoint *self,
				struct tcp_fsm_result *out);

#endif
