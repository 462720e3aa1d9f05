/*
 * rules_state.h - what the anomaly rules remember of a flow: struct
 * rules_flow, stored inline in the hot flow entry (flow.h), holds what
 * every segment reads (the sequence analysis of both directions, the
 * handshake and close flags); the rest is in cold parts (struct rules_ring,
 * rules_ctls, rules_ka, rules_close below) that the flow points at and
 * takes from the analyzer's pools the first time it needs them
 * (flow_cold.h). Bounded, no allocation but those pools. All-zero is the
 * valid initial state, and a part the flow does not have reads as
 * all-zero (flow_cold_*_of). Only the rules (rules.c, rules_stream.c) read
 * or write it, and the analyzer the state times in rules_close.
 */
#ifndef TCPLINT_ANALYZER_RULES_STATE_H
#define TCPLINT_ANALYZER_RULES_STATE_H

#include <stdbool.h>
#include <stdint.h>

/* Data segments remembered per direction (original transmission times for
 * the retransmission back-off, unacknowledged data at the end). */
#define RULES_SEG_RING 8

struct rules_seg {
	uint32_t seq;   /* first byte */
	uint32_t end;   /* seq + len */
	uint64_t frame; /* first transmission */
	int64_t ts_ns;
};

/* A SYN, SYN-ACK or FIN whose acknowledgement is awaited (missing_ack). */
struct rules_ctl {
	uint64_t frame; /* first transmission */
	int64_t ts_ns;
	uint32_t seq;        /* its sequence number (acked by ack > seq) */
	int64_t last_tx_ns;  /* latest (re)transmission */
	int64_t prev_gap_ns; /* previous retransmission interval */
	uint64_t ack_frame;  /* first segment acknowledging it, 0 if none */
	uint64_t rtx_after_ack_frame; /* first retransmission after ack_frame */
	uint16_t tx;             /* transmissions (1 = never retransmitted) */
	uint16_t rtx_before_ack; /* retransmissions before the ack was seen */
	uint16_t rtx_after_ack;  /* retransmissions after it */
	bool active;
	bool reported;
	bool untracked; /* a FIN before the handshake ended */
};

/* Per-direction state of the rules that every segment reads, indexed by
 * the sender's role. */
struct rules_dir {
	/* Wireshark-style sequence analysis of what this side sends: the
	 * sequence numbers, its latest ack and window are the state
	 * machine's tracker (tcp_endpoint.tx, seq_track.h), read before the
	 * machines step; the analysis counts them only once it saw the
	 * direction send since it last started over (seen). */
	uint32_t dupacks;          /* duplicate ACKs in a row */
	uint64_t lastnondup_frame; /* the ACK the duplicates repeat */
	uint16_t last_aflags;      /* RULES_A_* of its last segment */
	int8_t wscale;             /* shift for its window; -1 = unknown */
	bool seen;                 /* it sent a segment since the analysis of
				    its direction (re)started */
	uint8_t syn_kinds;         /* it sent: 1 a SYN, 2 a SYN-ACK */
	uint16_t mss;              /* MSS it announced, 0 if none */
	bool data_after_fin_reported;
	bool malformed_reported; /* its first segment with options not walkable */
	/* Its segment ring, SYN/FIN records, keepalive and closing
	 * bookkeeping are cold parts (rules_flow.ring, .ctl, .ka, .close). */
};

/* --- cold parts ---------------------------------------------------------- */

/* A direction's data segments (ring) and its current retransmission
 * series (rules_stream.c). The ring starts with room for
 * RULES_SEG_RING_SMALL segments (most directions send no more) and moves to
 * a chunk with room for RULES_SEG_RING when it needs a slot past those: the
 * segments it holds and their order are those of a ring of RULES_SEG_RING. */
#define RULES_SEG_RING_SMALL 2

struct rules_ring {
	uint8_t nsegs;
	uint8_t seg_head;
	uint8_t cap;       /* RULES_SEG_RING_SMALL or RULES_SEG_RING */
	bool rtx_answered; /* the peer sent something during the series */
	bool rtx_active;
	uint32_t rtx_seq;    /* segment of the current retransmission series */
	uint32_t rtx_count;  /* retransmissions in the series */
	int64_t rtx_last_ns; /* its latest transmission */
	int64_t rtx_gap_ns;  /* latest interval in the series */
	int64_t rtx_orig_ns; /* the data's first transmission */
	uint64_t rtx_last_frame; /* its latest retransmission */
	uint64_t rtx_peer_frame; /* the peer's latest segment at the series' start */
	struct rules_seg segs[]; /* cap of them */
};

/* A direction's SYN or SYN-ACK awaiting acknowledgement (rules.c); its
 * FIN is in the closing bookkeeping (rules_close_dir.fin). */
struct rules_ctls {
	struct rules_ctl syn;    /* SYN or SYN-ACK */
	uint64_t last_syn_frame; /* its latest SYN or SYN-ACK */
};

/* The keepalive bookkeeping of one direction (the prober's). */
struct rules_ka_dir {
	uint32_t ka_run;         /* probes in the current run */
	uint32_t ka_unanswered;  /* consecutive unanswered probes in the run */
	uint64_t ka_first_frame; /* first unanswered probe of the run */
	int64_t ka_first_ns;
	uint64_t ka_last_frame; /* latest probe */
	int64_t ka_last_ns;
	int64_t ka_interval_ns; /* latest interval between probes */
	bool ka_pending;        /* the latest probe awaits its answer */
	bool ka_burst_reported; /* keepalive_burst raised for this run */
	/* The same probes as the prober's own timer sees them when the answers
	 * never reach it: the chain goes on through answered probes and ends
	 * only with real traffic (a RST at the interval after the last probe
	 * is then the timer giving up, the answers lost after the capture). */
	uint32_t ka_chain;          /* probes since the last real traffic */
	uint32_t ka_chain_answered; /* of them answered in the capture */
	uint64_t ka_chain_first_frame;
	int64_t ka_chain_first_ns;
	int64_t ka_chain_idle_ns; /* idle before its first probe */
	int64_t ka_chain_last_ns; /* its latest probe */
	int64_t ka_chain_gap_ns;  /* latest interval between its probes */
	uint32_t probes;   /* probes sent (flow_record.ep[].keepalive_probes) */
	uint32_t answered; /* of those, answered (.keepalive_answered) */
};

struct rules_ka {
	struct rules_ka_dir dir[2]; /* indexed by the prober's role */
};

/* The closing bookkeeping of one endpoint. */
struct rules_close_dir {
	struct rules_ctl fin; /* its FIN awaiting acknowledgement (rules.c) */
	/* What it had received when it sent its FIN, and the peer's first
	 * segment bringing new data after that FIN (premature_close: data it
	 * refused because it had closed, not unread data). */
	uint32_t rcv_at_fin; /* its rcv_nxt then */
	bool rcv_at_fin_known;
	/* CLOSE_WAIT clock: entered, or last data sent while in it. */
	bool close_wait_after_data; /* the clock last restarted at its data */
	bool lingering_reported;
	uint64_t data_after_close_frame;
	int64_t close_wait_since_ns;
	uint64_t close_wait_frame;
	/* Time it spent in these states (analyzer.c adds each stay when the
	 * endpoint leaves the state; the record adds the one it ends in). */
	int64_t fin_wait_2_ns;
	int64_t close_wait_ns;
	int64_t last_ack_ns;
};

struct rules_close {
	struct rules_close_dir dir[2]; /* indexed by the endpoint's role */
};

/* Where the capture point sits and the capture artefacts seen are kept in
 * the flow record only (flow_record.capture_point, .artefacts): the rules
 * read them there. */

struct rules_flow {
	struct rules_dir dir[2]; /* indexed by the sender's enum endpoint_role */
	int64_t syn_mru_ns;      /* latest SYN (for the initial RTT) */
	int64_t first_rtt_ns;    /* SYN to the first ACK: Wireshark's iRTT */
	int64_t synack_ns;       /* first SYN-ACK (capture point) */
	int64_t last_activity_ns; /* latest segment that was not keepalive traffic */
	uint8_t prev_state[2]; /* both states before the current segment */
	bool first_rtt_known;
	bool premature_reported;
	bool half_open_reported;
	bool bad_ack_syn_reported;
	bool hs_ack_checked; /* the client's first ACK after the SYN-ACK */
	bool syn_challenged; /* the SYN drew a challenge ACK (half_open) */
	bool capture_point_known;
	bool bad_ack_fin_reported[2];
	bool finished;
	bool ka_rst; /* the latest RST ended a keepalive run */
	/* Cold parts, NULL until needed (flow_cold.h takes them). */
	struct rules_ring *ring[2]; /* indexed by the sender's role */
	struct rules_ctls *ctl[2];
	struct rules_ka *ka;
	struct rules_close *close;
};

#endif
