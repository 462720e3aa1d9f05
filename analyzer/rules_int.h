/*
 * rules_int.h - what rules.c and rules_stream.c share (private to the
 * anomaly rules; nothing outside them includes this).
 *
 * rules_stream_segment() is the Wireshark-style sequence analysis of one
 * segment (docs/ANOMALIES.md, "Stream rules"): it raises the stream
 * anomalies and returns the RULES_A_* analysis flags the segment earned, which
 * rules.c then reads (keepalive probes, retransmitted SYN and FIN).
 * rules_raise() is the single place anomalies leave the rules.
 */
#ifndef TCPLINT_ANALYZER_RULES_INT_H
#define TCPLINT_ANALYZER_RULES_INT_H

#include <stdint.h>

#include "analyzer/flow.h"
#include "analyzer/flow_cold.h"
#include "analyzer/records.h"
#include "formats/wire/decode.h"

/* Analysis flags of one segment, as Wireshark's tcp.analysis.* flags. */
#define RULES_A_RETRANSMISSION 0x0001
#define RULES_A_FAST_RETRANSMISSION 0x0002
#define RULES_A_SPURIOUS 0x0004
#define RULES_A_OUT_OF_ORDER 0x0008
#define RULES_A_LOST_SEGMENT 0x0010
#define RULES_A_ACK_UNSEEN 0x0020
#define RULES_A_KEEPALIVE 0x0040
#define RULES_A_KEEPALIVE_ACK 0x0080
#define RULES_A_DUP_ACK 0x0100
#define RULES_A_ZERO_WINDOW 0x0200
#define RULES_A_ZWP 0x0400
#define RULES_A_ZWP_ACK 0x0800
#define RULES_A_WINDOW_FULL 0x1000
#define RULES_A_WINDOW_UPDATE 0x2000
/* a keepalive that also acknowledges nothing new (ack = its last ack) */
#define RULES_A_KA_PROBE 0x4000
/* a zero-window probe of a keepalive's shape (0 or 1 byte at nextseq - 1,
 * the byte before what the peer awaits): never a retransmission */
#define RULES_A_ZWP_KA 0x8000

#define RULES_A_ANY_RTX                                                        \
	(RULES_A_RETRANSMISSION | RULES_A_FAST_RETRANSMISSION |                \
	 RULES_A_SPURIOUS)

/* The same SYN-ACK or FIN seen again within this time is a copy of the
 * frame (a capture on two interfaces, a mirror port), not a retransmission
 * of the sender: no RTO is that short. Wireshark still counts it. */
#define RULES_CAPTURE_DUP_NS (1 * 1000000LL)

/* At most this many anomalies of one stream type are stored per flow (all
 * are counted), and stream types never take the last RULES_RESERVED slots,
 * so a flow with hundreds of duplicate ACKs still shows its missing ACK. */
#define RULES_STORE_PER_TYPE 3
#define RULES_RESERVED 8

/* Record an anomaly (fills severity from the type when 0 is not meant:
 * the caller sets every field but state[]). */
void rules_raise(struct rules_env *env, struct flow *f,
		 const struct anomaly *a);

/* Start an anomaly of type t with cause `cause` (one of t's, anomaly_types.h)
 * at this frame, with the type's default severity and confidence; every
 * other field zero. */
void rules_anomaly_init(struct anomaly *a, enum anomaly_type t, unsigned cause,
			int endpoint, uint64_t frame, int64_t ts_ns);

/* The previous connection on f's 4-tuple left the server in TIME_WAIT less
 * than 2 x MSL before ts_ns: its bare ACK to the client's new SYN is that
 * TIME_WAIT's answer (no half_open, no ack_unseen). */
bool rules_tw_challenge(struct rules_env *env, const struct flow *f,
			int64_t ts_ns);

/* The ACK carries a D-SACK (RFC 2883): a duplicate the receiver got, whose
 * range is its first SACK block. */
bool rules_dsack(const struct pkt_view *pkt);

uint16_t rules_stream_segment(struct rules_env *env, struct flow *f, int from,
			      const struct pkt_view *pkt, uint64_t frame,
			      int64_t ts_ns);

/* The original transmission of the data at `seq` (ring lookup); NULL if it
 * is no longer remembered. */
const struct rules_seg *rules_stream_find_seg(const struct rules_ring *r,
					      uint32_t seq);

#endif
