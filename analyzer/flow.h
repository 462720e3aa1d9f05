/*
 * flow.h - the analyzer's internal flow entry (not for reports: they read
 * struct flow_record, which is embedded here as `rec`).
 *
 * A flow entry lives in the flow table's slab for its whole life; the state
 * of both endpoints' state machines (tcp_fsm.h) and of the anomaly rules
 * (rules_state.h) is stored inline, so one lookup per packet finds everything and
 * a flow's memory is fixed. Owned by flow_table.c; recycled through its free
 * list after the sink has seen the record.
 */
#ifndef TCPLINT_ANALYZER_FLOW_H
#define TCPLINT_ANALYZER_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "analyzer/records.h"
#include "analyzer/rules_state.h"
#include "analyzer/tcp_fsm.h"

struct flow {
	struct flow_record rec;        /* what reports see */
	struct tcp_endpoint ep[2];     /* [ROLE_CLIENT], [ROLE_SERVER] state machines */
	struct rules_flow rules;       /* anomaly-rule state (rules.c) */
	int64_t last_ts_ns;            /* last segment, either direction */
	int64_t finished_ns;           /* when both sides closed (0 = not yet) */
	/* Handshake and close bookkeeping (analyzer.c). */
	bool client_syn_seen;          /* the client sent a SYN without ACK */
	bool server_syn_seen;          /* the server did too: simultaneous open */
	bool rst_abort;                /* a RST closed an endpoint that was
					  synchronized (or in SYN_RECEIVED) */
	uint8_t rst_role;              /* who sent that RST (enum endpoint_role) */
	bool rst_in_handshake;         /* that RST closed an endpoint in
					  SYN_RECEIVED: an attempt that a
					  later handshake may still succeed */
	uint8_t synced;                /* bit (1 << role): the endpoint reached a
					  synchronized state */
	uint8_t synack_sent;           /* bit (1 << role): it sent a SYN-ACK */
	uint8_t lru_list;              /* flow_table.c: which LRU list it is on */
	uint64_t drops_at_start;       /* capture drop counter when it began */
	/*
	 * The previous connection on this 4-tuple, when the capture saw it end
	 * (for the time_wait_reuse rule). prev_id is UINT64_MAX when there was
	 * none. prev_time_wait_ns is when one of its endpoints entered
	 * TIME_WAIT (0: none did); prev_tw_is_client says whether that endpoint
	 * is this flow's client (the sender of the new SYN).
	 */
	uint64_t prev_id;
	int64_t prev_end_ns;           /* its last segment */
	int64_t prev_time_wait_ns;
	bool prev_tw_is_client;
	/* flow_table.c's linkage (hash chain, LRU list, key) follows. */
	struct flow *hash_next;
	struct flow *lru_prev, *lru_next;
	uint64_t hash;
	uint8_t key[40];               /* canonical key, see flow_key.h */
	uint8_t key_len;
	bool key_client_low;           /* the client is the lower endpoint of the key */
};

#endif
