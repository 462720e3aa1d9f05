/*
 * tcp_fsm.h - one TCP endpoint's RFC 9293 state machine and sequence
 * tracking, as one pure step function.
 *
 * The passive analyzer keeps two struct tcp_endpoint per flow and, for every
 * captured segment, steps the sender's machine with TCP_FSM_SEND and the
 * receiver's with TCP_FSM_RECV. The active probe (analyzer/probe/) will step
 * its own endpoint the same way. tcp_fsm_step() does no I/O, no allocation
 * and no printing; everything it found is in struct tcp_fsm_result.
 *
 * States are inferred AT THE CAPTURE POINT: a change is dated by the segment
 * that shows it, as it passes the capture point (see tcp_fsm.c for the
 * diagram and for every arrow):
 *   - the client enters SYN_SENT at its SYN; the server, when it answers with
 *     a SYN-ACK, is taken to have been LISTENing since the client's SYN (the
 *     implied LISTEN is dated by that SYN) and enters SYN_RECEIVED at its
 *     SYN-ACK; each enters ESTABLISHED when its own SYN is acknowledged;
 *   - an endpoint enters FIN_WAIT_1 at its FIN, CLOSE_WAIT when the peer's
 *     FIN is seen, FIN_WAIT_2 when its own FIN is acknowledged, TIME_WAIT
 *     when (in FIN_WAIT_2, or in FIN_WAIT_1 with the FIN acknowledging its
 *     own) the peer's FIN is seen or (in CLOSING) its FIN is acknowledged,
 *     LAST_ACK at its FIN sent from CLOSE_WAIT, CLOSED when (in LAST_ACK) its
 *     FIN is acknowledged;
 *   - simultaneous close: a FIN sent from CLOSE_WAIT that does not
 *     acknowledge the peer's FIN was sent before that FIN arrived, so the
 *     CLOSE_WAIT seen one segment earlier is revoked (result.revoked) and
 *     the endpoint goes FIN_WAIT_1; when it then acknowledges the peer's
 *     FIN the FINs crossed and it went CLOSING (-> TIME_WAIT), like its
 *     peer; if it never does, the peer's FIN was lost and it goes
 *     FIN_WAIT_1 -> FIN_WAIT_2 like any active closer;
 *   - RST: the sender goes to CLOSED; the receiver too when the RST is
 *     acceptable (RFC 9293 §3.10.7, RFC 5961 §3).
 * An endpoint first seen mid-stream is UNKNOWN and its state is inferred from
 * what it does (data or ACK: ESTABLISHED, FIN: FIN_WAIT_1 or CLOSE_WAIT).
 *
 * Sequence numbers are compared with serial-number arithmetic (seq.h).
 */
#ifndef TCPLINT_ANALYZER_TCP_FSM_H
#define TCPLINT_ANALYZER_TCP_FSM_H

#include <stdbool.h>
#include <stdint.h>

#include "analyzer/records.h"
#include "analyzer/seq_track.h"
#include "formats/wire/decode.h"

/* Which way the segment went, seen from the endpoint being stepped. */
enum tcp_fsm_dir { TCP_FSM_SEND = 0, TCP_FSM_RECV = 1 };

/* Events, derived from the segment's flags before the state switch
 * (RST > SYN-ACK > SYN > FIN > DATA > ACK; TIMEOUT has no segment). */
#define TCP_FSM_EVENTS(X)                                                      \
	X(TCP_EV_SYN, "SYN")                                                   \
	X(TCP_EV_SYNACK, "SYNACK")                                             \
	X(TCP_EV_ACK, "ACK")                                                   \
	X(TCP_EV_DATA, "DATA")                                                 \
	X(TCP_EV_FIN, "FIN")                                                   \
	X(TCP_EV_RST, "RST")                                                   \
	X(TCP_EV_TIMEOUT, "TIMEOUT")

/* clang-format off: the X-macro expands to the enumerators */
enum tcp_fsm_event {
#define TL_ENUM(id, name) id,
	TCP_FSM_EVENTS(TL_ENUM)
#undef TL_ENUM
		TCP_FSM_EVENT_COUNT
};
/* clang-format on */

/* Pseudo-flag (above the 9 real TCP flag bits): no segment, a timer of this
 * endpoint fired at ts_ns (retransmission give-up, 2 MSL, user timeout). */
#define TCP_SEG_TIMEOUT 0x8000

/* The fields of one segment the machine reads (copied, never borrowed). */
struct tcp_seg {
	uint64_t frame; /* capture frame number (probe: its own counter) */
	int64_t ts_ns;  /* capture time */
	uint32_t seq;
	uint32_t ack;
	uint32_t len;    /* payload bytes (not counting SYN/FIN) */
	uint16_t flags;  /* TCP_* bits of decode.h, or TCP_SEG_TIMEOUT */
	uint16_t window; /* raw, as on the wire */
	uint16_t mss;    /* MSS option, 0 if absent */
	uint8_t wscale; /* window scale option (clamped to 14), if has_wscale */
	bool has_wscale;
	bool window_probe; /* a zero-window probe (seq_track_probe(): the
				caller, who sees both directions, decides) */
};

/* One endpoint: its state and what the capture shows of its sequence space. */
struct tcp_endpoint {
	uint8_t state;         /* enum tcp_state */
	uint8_t prev_state;    /* state before the last change */
	uint8_t wscale;        /* shift it announced in its SYN */
	uint8_t peer_wscale;   /* shift the peer announced */
	bool wscale_sent;      /* it announced window scaling */
	bool peer_wscale_seen; /* the peer announced window scaling */
	bool handshake_seen;   /* both SYNs seen: the scale is known */
	bool isn_known;        /* isn is valid (SYN seen, or inferred) */
	bool ack_rcvd_known;   /* snd_una is valid */
	bool rcv_known;        /* rcv_nxt and peer_isn... are valid */
	bool peer_isn_known;
	bool syn_sent;      /* it sent a SYN (or SYN-ACK) */
	bool syn_acked;     /* its SYN was acknowledged */
	bool peer_syn_seen; /* it received the peer's SYN */
	bool fin_sent;      /* it sent a FIN; fin_seq is valid */
	bool fin_acked;     /* its FIN was acknowledged */
	bool peer_fin_seen; /* it received the peer's FIN; peer_fin_seq valid */
	bool peer_fin_acked; /* it acknowledged the peer's FIN */
	bool rst_sent;       /* it sent a RST */
	bool rst_rcvd;       /* it accepted a RST from the peer */
	bool was_closing;    /* it passed through CLOSING */
	uint16_t mss;        /* MSS it announced, 0 if none */
	uint16_t syn_tx; /* SYN / SYN-ACK transmissions (1 = no retransmission) */
	uint16_t fin_tx;        /* FIN transmissions */
	uint32_t isn;           /* its initial sequence number */
	uint32_t snd_una;       /* highest ACK it received */
	uint32_t rcv_nxt;       /* highest seq + len (+SYN, FIN) it received */
	uint32_t peer_isn;      /* the peer's ISN, from the peer's SYN */
	uint32_t fin_seq;       /* sequence number of its FIN */
	uint32_t peer_fin_seq;  /* sequence number of the peer's FIN */
	int64_t state_since_ns; /* when it entered state */
	uint64_t state_since_frame;
	int64_t prev_since_ns; /* when it entered prev_state */
	uint64_t prev_since_frame;
	uint64_t syn_frame; /* its first SYN / SYN-ACK, 0 if none */
	int64_t syn_ts_ns;
	uint64_t syn_acked_frame; /* the segment that acknowledged its SYN */
	uint64_t peer_syn_frame; /* the peer's first SYN since it was last CLOSED */
	int64_t peer_syn_ts_ns;
	uint64_t fin_frame; /* its first FIN */
	int64_t fin_ts_ns;
	uint64_t fin_acked_frame; /* the segment that acknowledged its FIN */
	int64_t fin_acked_ts_ns;
	uint64_t peer_fin_frame; /* the peer's first FIN it received */
	uint64_t peer_fin_acked_frame; /* its first segment acknowledging the peer's FIN */
	uint64_t rst_frame;  /* the RST that closed it (sent or accepted) */
	struct seq_track tx; /* what it sent (seq_track.h) */
};

/* Notes: what tcp_fsm_step() found, as bits of result.notes. */
#define TCP_FSM_NOTES(X)                                                       \
	X(TCP_FSM_N_UNEXPECTED, "unexpected event in state")                   \
	X(TCP_FSM_N_INFERRED, "state inferred: a segment was not captured")    \
	X(TCP_FSM_N_SYN_REPEAT, "SYN or SYN-ACK sent again (same ISN)")        \
	X(TCP_FSM_N_NEW_ISN, "SYN with a different ISN")                       \
	X(TCP_FSM_N_PEER_SYN_REPEAT, "peer's SYN received again")              \
	X(TCP_FSM_N_SYN_ACKED, "own SYN acknowledged (first time)")            \
	X(TCP_FSM_N_BAD_ACK, "handshake ACK with the wrong number")            \
	X(TCP_FSM_N_FIN_FIRST, "own FIN sent (first time)")                    \
	X(TCP_FSM_N_FIN_REPEAT, "own FIN sent again")                          \
	X(TCP_FSM_N_FIN_ACKED, "own FIN acknowledged (first time)")            \
	X(TCP_FSM_N_PEER_FIN, "peer's FIN received (first time)")              \
	X(TCP_FSM_N_PEER_FIN_REPEAT, "peer's FIN received again")              \
	X(TCP_FSM_N_ACKS_PEER_FIN, "acknowledges the peer's FIN (first time)") \
	X(TCP_FSM_N_NEW_DATA, "payload beyond what was sent before")           \
	X(TCP_FSM_N_DATA_AFTER_FIN, "payload beyond its own FIN")              \
	X(TCP_FSM_N_ACK_UNSEEN, "acknowledges data never sent")                \
	X(TCP_FSM_N_RST_ACCEPTED, "RST accepted")                              \
	X(TCP_FSM_N_RST_CHALLENGE,                                             \
	  "RST in window but not exact: challenge ACK")                        \
	X(TCP_FSM_N_RST_IGNORED, "RST outside the window: ignored")            \
	X(TCP_FSM_N_TIMEOUT, "timer expired")

/* clang-format off: the X-macro expands to the enumerators */
enum tcp_fsm_note_bit {
#define TL_ENUM(id, name) id##_BIT,
	TCP_FSM_NOTES(TL_ENUM)
#undef TL_ENUM
		TCP_FSM_NOTE_COUNT
};
/* clang-format on */

/* clang-format off: the X-macro expands to the enumerators */
enum tcp_fsm_note {
#define TL_ENUM(id, name) id = 1 << id##_BIT,
	TCP_FSM_NOTES(TL_ENUM)
#undef TL_ENUM
};
/* clang-format on */

/* Up to three changes happen on one segment (implied LISTEN then
 * SYN_RECEIVED; SYN_RECEIVED -> ESTABLISHED -> CLOSE_WAIT; CLOSING ->
 * TIME_WAIT after a revoked FIN_WAIT_2, when a crossed FIN is
 * acknowledged). */
#define TCP_FSM_MAX_CHANGES 3

struct tcp_fsm_change {
	uint64_t frame; /* the segment that shows it (implied LISTEN: the SYN) */
	int64_t ts_ns;
	uint8_t from; /* enum tcp_state */
	uint8_t to;
};

struct tcp_fsm_result {
	uint8_t event;    /* enum tcp_fsm_event */
	uint8_t nchanges; /* entries used in change[] */
	bool revoked;     /* the endpoint's previous change (into
				 revoked_state) did not happen: drop it */
	uint8_t revoked_state;
	uint32_t notes; /* TCP_FSM_N_* bits */
	struct tcp_fsm_change change[TCP_FSM_MAX_CHANGES];
};

/* Start an endpoint in `state` (CLOSED for a flow that begins with a SYN,
 * UNKNOWN for one picked up mid-stream, LISTEN for a probe's passive open). */
void tcp_fsm_init(struct tcp_endpoint *self, enum tcp_state state,
		  uint64_t frame, int64_t ts_ns);

/* The event a segment is (flags only). */
enum tcp_fsm_event tcp_fsm_event_of(const struct tcp_seg *seg);

/*
 * Step self's machine with one segment it sent (TCP_FSM_SEND) or received
 * (TCP_FSM_RECV), or a timeout (seg->flags == TCP_SEG_TIMEOUT). Updates the
 * sequence tracking, makes the state changes and fills *out (cleared first).
 * Never fails: an event a state does not expect sets TCP_FSM_N_UNEXPECTED.
 */
void tcp_fsm_step(struct tcp_endpoint *self, enum tcp_fsm_dir dir,
		  const struct tcp_seg *seg, struct tcp_fsm_result *out);

/* Fill *seg from a decoded segment (the view is only read). */
void tcp_seg_from_pkt(struct tcp_seg *seg, const struct pkt_view *pkt,
		      uint64_t frame, int64_t ts_ns);

/* The window self advertised last, scaled when both sides announced window
 * scaling in a handshake the capture saw (RFC 7323 §2.2); raw otherwise. */
uint32_t tcp_endpoint_window(const struct tcp_endpoint *self);

/* Whether self's state is one of the synchronized states (ESTABLISHED and
 * every closing state), or UNKNOWN mid-stream. */
bool tcp_state_synchronized(enum tcp_state s);

const char *tcp_fsm_event_name(enum tcp_fsm_event ev);
/* Name of one note bit (TCP_FSM_N_*_BIT); "?" out of range. */
const char *tcp_fsm_note_name(enum tcp_fsm_note_bit bit);

#endif
