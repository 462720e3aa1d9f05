/*
 * anomaly_types.h - the one table of anomaly types.
 *
 * For every type: its stable JSON name, default severity and confidence,
 * the one-line summary (--help, SARIF rule descriptions, the ladder's
 * --explain) and its causes, the reasons the rules tell apart. A cause is
 * stored in struct anomaly.cause (records.h) as its index in the type's
 * list (0 first, so a zeroed record holds its type's first cause); each has
 * a stable snake_case name, the "cause" of the JSON report. Names are part
 * of the report contract (docs/report.schema.json): add, never rename.
 * docs/ANOMALIES.md says what each type and cause means; formats/report/
 * anomaly.c words each cause.
 */
#ifndef TCPLINT_ANALYZER_ANOMALY_TYPES_H
#define TCPLINT_ANALYZER_ANOMALY_TYPES_H

#include <stdint.h>

#define SEVERITIES(X)                                                          \
	X(SEV_INFO, "info")                                                    \
	X(SEV_WARNING, "warning")                                              \
	X(SEV_ERROR, "error")

/* clang-format off: the X-macro expands to the enumerators */
enum severity {
#define TL_ENUM(id, name) id,
	SEVERITIES(TL_ENUM)
#undef TL_ENUM
		SEVERITY_COUNT
};
/* clang-format on */

#define CONFIDENCES(X)                                                         \
	X(CONF_HIGH, "high")                                                   \
	X(CONF_MEDIUM, "medium")                                               \
	X(CONF_LOW, "low")

/* clang-format off: the X-macro expands to the enumerators */
enum confidence {
#define TL_ENUM(id, name) id,
	CONFIDENCES(TL_ENUM)
#undef TL_ENUM
		CONFIDENCE_COUNT
};
/* clang-format on */

/* --- the causes of each type, in the order of their values --------------- */

/* The frames and numbers each cause fills are listed in formats/report/
 * anomaly.c, beside the words that use them. */
#define MISSING_ACK_CAUSES(C)                                                  \
	C(CAUSE_MISSING_ACK_NEVER, "never_acked") /* no ACK ever came */       \
	C(CAUSE_MISSING_ACK_LATE, "acked_late")   /* resent before its ACK */  \
	C(CAUSE_MISSING_ACK_ACK_LOST, "ack_lost_after_capture") /* ACK       \
		captured, yet resent: lost after the capture point */

#define PREMATURE_CLOSE_CAUSES(C)                                              \
	C(CAUSE_PREMATURE_CLOSE_RST, "rst") /* RST while open or closing */    \
	C(CAUSE_PREMATURE_CLOSE_UNREAD, "unread_data") /* RST with data      \
		received before its FIN and never acknowledged */ \
	C(CAUSE_PREMATURE_CLOSE_REFUSED, "refused_after_close") /* RST       \
		refusing data that came after its own FIN */ \
	C(CAUSE_PREMATURE_CLOSE_RST_HANDSHAKE, "rst_in_handshake")             \
	C(CAUSE_PREMATURE_CLOSE_FIN_HANDSHAKE, "fin_in_handshake")

#define LINGERING_CLOSE_WAIT_CAUSES(C)                                         \
	C(CAUSE_LINGERING_LEFT, "left_otherwise")  /* by another segment */    \
	C(CAUSE_LINGERING_FIN, "closed_late")      /* its own FIN, at last */  \
	C(CAUSE_LINGERING_RST, "reset_late")       /* its own RST */           \
	C(CAUSE_LINGERING_PEER_RST, "peer_reset")  /* the peer's RST */        \
	C(CAUSE_LINGERING_STILL, "still_open")     /* there at the end */      \
	C(CAUSE_LINGERING_LIVE, "still_open_live") /* there at a live tick */

#define KEEPALIVE_BURST_CAUSES(C)                                              \
	C(CAUSE_KEEPALIVE_SURVIVED, "answered_late")                           \
	C(CAUSE_KEEPALIVE_PROBER_RST, "prober_gave_up") /* the prober's RST */ \
	C(CAUSE_KEEPALIVE_SILENCE, "silence") /* nothing after the probes */   \
	C(CAUSE_KEEPALIVE_PEER_RST, "peer_reset") /* answered with RST */      \
	C(CAUSE_KEEPALIVE_ANSWERS_LOST, "answers_lost_after_capture") /*     \
		answered in the capture, yet the prober gave up */

#define DATA_AFTER_FIN_CAUSES(C) C(CAUSE_DATA_AFTER_FIN, "data_beyond_fin")

#define SYN_UNANSWERED_CAUSES(C) C(CAUSE_SYN_UNANSWERED, "no_answer")

#define HALF_OPEN_CAUSES(C)                                                    \
	C(CAUSE_HALF_OPEN_SYNACK, "synack_unacked") /* server left in        \
		SYN_RECEIVED */ \
	C(CAUSE_HALF_OPEN_SYNACK_RST, "synack_reset") /* the client reset    \
		instead of acknowledging */ \
	C(CAUSE_HALF_OPEN_LOST, "lost_connection") /* bare RST: crash,       \
		reboot */ \
	C(CAUSE_HALF_OPEN_GAVE_UP_CONNECTING, "gave_up_connecting")            \
	C(CAUSE_HALF_OPEN_GAVE_UP_RTX, "gave_up_retransmitting")               \
	C(CAUSE_HALF_OPEN_CHALLENGE, "challenge_ack") /* an older connection \
		still held */

#define REJECTED_CAUSES(C) C(CAUSE_REJECTED, "rst_to_syn")

#define BAD_ACK_CAUSES(C)                                                      \
	C(CAUSE_BAD_ACK_SYNACK, "synack")           /* the SYN-ACK's ack */    \
	C(CAUSE_BAD_ACK_HANDSHAKE, "handshake_ack") /* the client's first */   \
	C(CAUSE_BAD_ACK_FIN, "fin_ack")             /* beyond the FIN + 1 */

#define TIME_WAIT_REUSE_CAUSES(C)                                              \
	C(CAUSE_TIME_WAIT_SERVER, "server_in_time_wait")                       \
	C(CAUSE_TIME_WAIT_CLIENT, "client_in_time_wait")

/* What was sent again: the stream rules judge data, SYN, FIN and SYN-ACK
 * alike. */
#define RETRANSMISSION_CAUSES(C)                                               \
	C(CAUSE_RTX_DATA, "data")                                              \
	C(CAUSE_RTX_SYN, "syn")                                                \
	C(CAUSE_RTX_FIN, "fin")                                                \
	C(CAUSE_RTX_SYNACK, "synack")

#define FAST_RETRANSMISSION_CAUSES(C) C(CAUSE_FAST_RTX, "duplicate_acks")

#define SPURIOUS_RETRANSMISSION_CAUSES(C) C(CAUSE_SPURIOUS_RTX, "already_acked")

#define OUT_OF_ORDER_CAUSES(C) C(CAUSE_OUT_OF_ORDER, "reordered")

#define DUPLICATE_ACK_CAUSES(C)                                                \
	C(CAUSE_DUP_ACK_MISSING, "segment_missing")                            \
	C(CAUSE_DUP_ACK_DSACK, "dsack") /* reports a duplicate (RFC 2883) */

#define ZERO_WINDOW_CAUSES(C) C(CAUSE_ZERO_WINDOW, "buffer_full")

#define ZERO_WINDOW_PROBE_CAUSES(C) C(CAUSE_ZERO_WINDOW_PROBE, "window_probe")

#define WINDOW_FULL_CAUSES(C) C(CAUSE_WINDOW_FULL, "window_filled")

/* Where the gap arose, as the capture point (records.h) tells. */
#define LOST_SEGMENT_CAUSES(C)                                                 \
	C(CAUSE_LOST_UNKNOWN, "lost_or_not_captured")                          \
	C(CAUSE_LOST_NOT_CAPTURED, "not_captured") /* capture near the       \
		sender */ \
	C(CAUSE_LOST_BEFORE_CAPTURE, "lost_before_capture") /* near the      \
		receiver */

#define ACK_UNSEEN_CAUSES(C) C(CAUSE_ACK_UNSEEN, "unseen_data")

#define MALFORMED_CAUSES(C) C(CAUSE_MALFORMED_OPTIONS, "bad_option_length")

/* --- the table ------------------------------------------------------------ */

/* X(id, name, severity, confidence, causes, summary) */
#define ANOMALY_TYPES(X)                                                       \
	X(ANOM_MISSING_ACK, "missing_ack", SEV_ERROR, CONF_HIGH,               \
	  MISSING_ACK_CAUSES,                                                  \
	  "a SYN-ACK, FIN or data segment was not acknowledged before its "    \
	  "sender retransmitted it, or never")                                 \
	X(ANOM_PREMATURE_CLOSE, "premature_close", SEV_ERROR, CONF_HIGH,       \
	  PREMATURE_CLOSE_CAUSES,                                              \
	  "the connection was aborted by RST while open or closing, or "       \
	  "closed by a FIN before the handshake ended")                        \
	X(ANOM_LINGERING_CLOSE_WAIT, "lingering_close_wait", SEV_WARNING,      \
	  CONF_HIGH, LINGERING_CLOSE_WAIT_CAUSES,                              \
	  "an endpoint acknowledged its peer's FIN and stayed in CLOSE_WAIT "  \
	  "without closing: the application never called close()")             \
	X(ANOM_KEEPALIVE_BURST, "keepalive_burst", SEV_WARNING, CONF_HIGH,     \
	  KEEPALIVE_BURST_CAUSES,                                              \
	  "several keepalive probes in a row got no answer: the peer or the "  \
	  "path is gone")                                                      \
	X(ANOM_DATA_AFTER_FIN, "data_after_fin", SEV_ERROR, CONF_HIGH,         \
	  DATA_AFTER_FIN_CAUSES,                                               \
	  "an endpoint sent new data after its own FIN")                       \
	X(ANOM_SYN_UNANSWERED, "syn_unanswered", SEV_ERROR, CONF_HIGH,         \
	  SYN_UNANSWERED_CAUSES,                                               \
	  "a SYN got no answer at all (host down, filtered, or the capture "   \
	  "ended)")                                                            \
	X(ANOM_HALF_OPEN, "half_open", SEV_ERROR, CONF_HIGH, HALF_OPEN_CAUSES, \
	  "one side holds a connection the other does not: SYN-ACK never "     \
	  "acknowledged, a challenge ACK to a new SYN, or a bare RST from a "  \
	  "side that lost its connection")                                     \
	X(ANOM_REJECTED, "rejected", SEV_WARNING, CONF_HIGH, REJECTED_CAUSES,  \
	  "the SYN was answered by RST: nothing listens there")                \
	X(ANOM_BAD_ACK, "bad_ack", SEV_ERROR, CONF_HIGH, BAD_ACK_CAUSES,       \
	  "a handshake segment or FIN was acknowledged with the wrong "        \
	  "number")                                                            \
	X(ANOM_TIME_WAIT_REUSE, "time_wait_reuse", SEV_WARNING, CONF_HIGH,     \
	  TIME_WAIT_REUSE_CAUSES,                                              \
	  "a new connection reused the 4-tuple while the old one was still "   \
	  "in TIME_WAIT (2 x MSL)")                                            \
	X(ANOM_RETRANSMISSION, "retransmission", SEV_WARNING, CONF_HIGH,       \
	  RETRANSMISSION_CAUSES,                                               \
	  "a segment was sent again after a timeout: it or its ACK was lost")  \
	X(ANOM_FAST_RETRANSMISSION, "fast_retransmission", SEV_WARNING,        \
	  CONF_HIGH, FAST_RETRANSMISSION_CAUSES,                               \
	  "a segment was sent again after duplicate ACKs (fast retransmit)")   \
	X(ANOM_SPURIOUS_RETRANSMISSION, "spurious_retransmission", SEV_INFO,   \
	  CONF_HIGH, SPURIOUS_RETRANSMISSION_CAUSES,                           \
	  "data the peer had already acknowledged was sent again")             \
	X(ANOM_OUT_OF_ORDER, "out_of_order", SEV_WARNING, CONF_HIGH,           \
	  OUT_OF_ORDER_CAUSES,                                                 \
	  "a segment arrived after a later one, too soon to be a "             \
	  "retransmission")                                                    \
	X(ANOM_DUPLICATE_ACK, "duplicate_ack", SEV_INFO, CONF_HIGH,            \
	  DUPLICATE_ACK_CAUSES,                                                \
	  "the receiver repeated its ACK: a segment is missing or "            \
	  "reordered, or (D-SACK) a duplicate arrived")                        \
	X(ANOM_ZERO_WINDOW, "zero_window", SEV_WARNING, CONF_HIGH,             \
	  ZERO_WINDOW_CAUSES,                                                  \
	  "a receiver advertised a zero window: its buffer is full and the "   \
	  "sender must wait")                                                  \
	X(ANOM_ZERO_WINDOW_PROBE, "zero_window_probe", SEV_INFO, CONF_HIGH,    \
	  ZERO_WINDOW_PROBE_CAUSES, "the sender probed a zero window")         \
	X(ANOM_WINDOW_FULL, "window_full", SEV_INFO, CONF_HIGH,                \
	  WINDOW_FULL_CAUSES, "the sender filled the receiver's whole window") \
	X(ANOM_LOST_SEGMENT, "lost_segment", SEV_INFO, CONF_LOW,               \
	  LOST_SEGMENT_CAUSES,                                                 \
	  "a gap in the sequence numbers: the capture (or the network "        \
	  "before it) lost a segment")                                         \
	X(ANOM_ACK_UNSEEN, "ack_unseen", SEV_INFO, CONF_MEDIUM,                \
	  ACK_UNSEEN_CAUSES,                                                   \
	  "an ACK covers data the capture never saw: the capture missed "      \
	  "packets")                                                           \
	X(ANOM_MALFORMED, "malformed", SEV_WARNING, CONF_HIGH,                 \
	  MALFORMED_CAUSES,                                                    \
	  "a segment carried TCP options that cannot be parsed")

/* clang-format off: the X-macro expands to the enumerators */
enum anomaly_type {
#define TL_ENUM(id, name, sev, conf, causes, summary) id,
	ANOMALY_TYPES(TL_ENUM)
#undef TL_ENUM
		ANOMALY_TYPE_COUNT
};
/* clang-format on */

/* One enum per type, its causes numbered from 0. */
#define TL_CAUSE_ENUM(id, name) id,
#define TL_CAUSES_ENUM(id, name, sev, conf, causes, summary)                   \
	enum { causes(TL_CAUSE_ENUM) };
ANOMALY_TYPES(TL_CAUSES_ENUM)
#undef TL_CAUSES_ENUM
#undef TL_CAUSE_ENUM

/* missing_ack keeps what was not acknowledged in the low bits of `value`,
 * and ANOM_WHAT_ACK_SEEN when the ACK was captured (cause
 * ack_lost_after_capture). */
enum missing_ack_what {
	ANOM_WHAT_DATA = 0,
	ANOM_WHAT_SYNACK = 1,
	ANOM_WHAT_FIN = 2,
	ANOM_WHAT_MASK = 0x0f,
	ANOM_WHAT_ACK_SEEN = 0x10,
};

/* The table's columns; out-of-range types give "?" (names), SEV_ERROR,
 * CONF_HIGH. */
const char *anomaly_type_name(enum anomaly_type t);
enum severity anomaly_type_severity(enum anomaly_type t);
enum confidence anomaly_type_confidence(enum anomaly_type t);
/* One line on what the type means and why it matters. */
const char *anomaly_type_summary(enum anomaly_type t);
/* Name -> value; -1 when unknown. For --fail-on, --expect and friends. */
int anomaly_type_from_name(const char *name);

/* How many causes type t has (at least 1 for every type; 0 if t is out of
 * range). */
unsigned anomaly_cause_count(enum anomaly_type t);
/* The stable name of cause c of type t; "?" when c is not one of t's. */
const char *anomaly_cause_name(enum anomaly_type t, unsigned c);
/* Name -> cause of type t; -1 when t has no such cause. */
int anomaly_cause_from_name(enum anomaly_type t, const char *name);

#endif
