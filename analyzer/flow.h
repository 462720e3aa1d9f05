/*
 * flow.h - the analyzer's internal flow entry (not for reports: they read
 * struct flow_record, which the analyzer fills from the entry when it hands
 * the flow to its sink).
 *
 * The entry is the hot part of a flow: what every segment touches (the
 * table's linkage and key, both endpoints' state machines, the rules'
 * per-segment state, the counters). It lives in the flow table's slab for
 * the flow's whole life, so one lookup per packet finds all of it and its
 * size is fixed (FLOW_HOT_BYTES at most, checked at build time in
 * flow_table.c). What only the reports read and what only unusual
 * connections need is in the cold part (flow_cold.h): chunks the entry
 * points at, taken from the analyzer's pools when first needed and given
 * back when the flow is reported. Owned by flow_table.c; recycled through
 * its free list after the sink has seen the record.
 */
#ifndef TCPLINT_ANALYZER_FLOW_H
#define TCPLINT_ANALYZER_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "analyzer/records.h"
#include "analyzer/rules_state.h"
#include "analyzer/tcp_fsm.h"

/* The hot entry's budget: the two state machines (struct tcp_endpoint) are
 * most of it. */
#define FLOW_HOT_BYTES 1024

/* The cold parts (flow_cold.h). */
struct flow_timeline;
struct flow_anomalies;
struct flow_timers;

/* What the packet path counts of the record (struct flow_record): the
 * identity and the counters every segment moves. */
struct flow_rec {
	uint64_t id; /* flow_record.id */
	uint64_t first_frame;
	uint64_t last_frame;
	int64_t start_ns;
	int64_t end_ns;
	uint64_t packets;
	uint64_t ep_bytes[2];   /* endpoint_record.bytes */
	uint64_t ep_packets[2]; /* endpoint_record.packets */
	uint32_t input;
	uint8_t syn_retransmits;
	uint8_t synack_retransmits;
	uint8_t capture_point; /* enum capture_point */
	uint8_t artefacts;     /* bit (1 << enum artefact) per artefact */
	bool client_by_port;
	bool evicted;
};

struct flow {
	/* flow_table.c's linkage and the canonical key (flow_key.h), whose
	 * two endpoints are the record's addresses. */
	struct flow *hash_next;
	struct flow *lru_prev, *lru_next;
	uint64_t hash;
	uint8_t key[37]; /* canonical key (FLOW_KEY_MAX bytes at
					  most), see flow_key.h */
	uint8_t key_len;
	uint8_t lru_list;    /* flow_table.c: which LRU list it is on */
	bool key_client_low; /* the client is the lower endpoint of the key */
	/* Handshake and close bookkeeping (analyzer.c). */
	bool client_syn_seen;   /* the client sent a SYN without ACK */
	bool server_syn_seen;   /* the server did too: simultaneous open */
	bool rst_abort;         /* a RST closed an endpoint that was
					  synchronized (or in SYN_RECEIVED) */
	uint8_t rst_role;       /* who sent that RST (enum endpoint_role) */
	bool rst_in_handshake;  /* that RST closed an endpoint in
					  SYN_RECEIVED: an attempt that a
					  later handshake may still succeed */
	uint8_t synced;         /* bit (1 << role): the endpoint reached a
					  synchronized state */
	uint8_t synack_sent;    /* bit (1 << role): it sent a SYN-ACK */
	bool prev_tw_is_client; /* see prev_id */
	struct tcp_endpoint
		ep[2]; /* [ROLE_CLIENT], [ROLE_SERVER] state machines */
	struct rules_flow rules; /* anomaly-rule state (rules.c) */
	struct flow_rec rec;     /* the record's counters */
	int64_t last_ts_ns;      /* last segment, either direction */
	int64_t finished_ns;     /* when both sides closed (0 = not yet) */
	uint64_t drops_at_start; /* capture drop counter when it began */
	/*
	 * The previous connection on this 4-tuple, when the capture saw it end
	 * (for the time_wait_reuse rule). prev_id is UINT64_MAX when there was
	 * none. prev_time_wait_ns is when one of its endpoints entered
	 * TIME_WAIT (0: none did); prev_tw_is_client says whether that endpoint
	 * is this flow's client (the sender of the new SYN).
	 */
	uint64_t prev_id;
	int64_t prev_time_wait_ns;
	/* Cold parts, NULL until needed (flow_cold.h). */
	struct flow_timeline *timeline;
	struct flow_anomalies *anomalies;
	struct flow_timers *timers;
};

#endif
