/*
 * flow_cold.h - the cold part of a flow entry: what only the reports read
 * and what only unusual connections need, kept out of the hot entry
 * (flow.h) in chunks taken from the analyzer's pools (chunk_pool.h) the
 * first time a flow needs them, and given back when the flow is reported.
 *
 * A flow entry points at each part it has (NULL: none yet, which reads as
 * all-zero, the valid initial state of every part):
 *
 *   flow.timeline     the state changes of both endpoints, delta-encoded
 *                     (struct flow_timeline): every flow, a few dozen bytes
 *                     for a clean connection, at most FLOW_MAX_STATES
 *                     changes per endpoint
 *   flow.anomalies    the anomaly counts and the stored anomalies (struct
 *                     flow_anomalies): only flows with an anomaly, room for
 *                     2, then 8, then FLOW_MAX_ANOMALIES
 *   flow.timers       the timer forensics of both endpoints and their
 *                     back-off series: only flows with a retransmission or
 *                     a keepalive probe
 *   rules.ring[dir]   the data segments a direction sent and its current
 *                     retransmission series (rules_stream.c): directions
 *                     that send data
 *   rules.ctl[dir]    its SYN / SYN-ACK awaiting acknowledgement (rules.c):
 *                     directions that send a SYN
 *   rules.ka          both directions' keepalive runs and chains and the
 *                     record's probe counts: flows with a keepalive probe
 *   rules.close       both directions' closing bookkeeping (each one's FIN
 *                     awaiting acknowledgement, what it had received then,
 *                     the CLOSE_WAIT clock) and the time each spent in
 *                     FIN_WAIT_2, CLOSE_WAIT, LAST_ACK: flows that close
 *
 * Every part is of fixed size except the timeline and the anomalies, which
 * move to a chunk of the next size when they fill one (bounded by
 * FLOW_MAX_STATES and FLOW_MAX_ANOMALIES). Nothing here allocates but the
 * pools, and they only when every chunk of a size is in use. When a pool
 * cannot grow (no memory), the part is not kept: the rules read it as
 * all-zero and go on (chunk_pool_stats.failures counts it).
 */
#ifndef TCPLINT_ANALYZER_FLOW_COLD_H
#define TCPLINT_ANALYZER_FLOW_COLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyzer/chunk_pool.h"
#include "analyzer/flow.h"
#include "analyzer/records.h"
#include "analyzer/rules_state.h"
#include "analyzer/timers.h"

/* --- the parts ------------------------------------------------------------ */

/*
 * State changes, both endpoints in one byte string in the order recorded.
 * One change: a byte (role << 7 | state), then the frame and the capture
 * time as differences from the same endpoint's previous change (the flow's
 * first frame and start for its first), each a zigzag LEB128 varint of the
 * 64-bit two's-complement difference (exact for any value): 5 to 9 bytes
 * for most, 21 at most.
 */
struct flow_timeline {
	uint16_t len;        /* bytes used in data[] */
	uint16_t dropped[2]; /* changes not kept, per endpoint (saturating) */
	uint8_t n[2]; /* changes kept, per endpoint (<= FLOW_MAX_STATES) */
	uint8_t cls;  /* its size class (FLOW_TIMELINE_CLASSES) */
	uint8_t data[];
};

#define FLOW_TIMELINE_CLASSES 5 /* 64, 128, 256, 512, 1024 bytes */
#define FLOW_TIMELINE_ENTRY_MAX 21

/* Anomalies: counts by type (all), and the first ones stored. */
struct flow_anomalies {
	uint32_t counts[ANOMALY_TYPE_COUNT]; /* flow_record.anomaly_counts */
	uint32_t dropped;                    /* flow_record.anomalies_dropped */
	uint16_t n;                          /* stored in a[] */
	uint8_t cls;                         /* its size class */
	uint8_t stored[ANOMALY_TYPE_COUNT];  /* stored per type (the rules'
						throttle, rules.c) */
	struct anomaly a[];
};

#define FLOW_ANOMALY_CLASSES 3 /* room for 2, 8, FLOW_MAX_ANOMALIES */

/* Timer forensics of both endpoints (flow_record.ep[].timers; rto_doubles
 * is judged from backoff when the record is filled). The rules' parts
 * (ring, ctl, ka, close) are defined with their hot state in
 * rules_state.h. */
struct flow_timers {
	struct endpoint_timers ep[2];
	struct timers_backoff backoff[2]; /* each endpoint's retransmission
					     intervals (SYN, FIN and data) */
};

/* --- the pools ------------------------------------------------------------ */

struct flow_cold_pools {
	struct chunk_pool
		ring_small;       /* struct rules_ring, RULES_SEG_RING_SMALL */
	struct chunk_pool ring;   /* struct rules_ring, RULES_SEG_RING */
	struct chunk_pool ctl;    /* struct rules_ctls */
	struct chunk_pool ka;     /* struct rules_ka */
	struct chunk_pool close;  /* struct rules_close */
	struct chunk_pool timers; /* struct flow_timers */
	struct chunk_pool timeline[FLOW_TIMELINE_CLASSES];
	struct chunk_pool anomalies[FLOW_ANOMALY_CLASSES];
};

/* Empty pools (nothing allocated until a flow needs a part). */
void flow_cold_pools_init(struct flow_cold_pools *p);
/* Free every block; flows still pointing at parts must not be used. */
void flow_cold_pools_fini(struct flow_cold_pools *p);
/* The counters of every pool added up (peak: the sum of each pool's). */
void flow_cold_pools_stats(const struct flow_cold_pools *p,
			   struct chunk_pool_stats *sum);
/* Bytes of the blocks the pools hold. */
uint64_t flow_cold_pools_bytes(const struct flow_cold_pools *p);

/* Give every part of f back to the pools; f's pointers become NULL. */
void flow_cold_release(struct flow_cold_pools *p, struct flow *f);

/* The most bytes the cold part of one flow can take (every part, the
 * timeline and the anomalies at their largest size). */
size_t flow_cold_max_bytes(void);

/* The most one flow can take, hot entry and cold part (docs/DESIGN.md,
 * "The flow entry"); a clean connection takes a fraction of it. */
#define FLOW_MAX_BYTES 4608

/* --- getting a part ------------------------------------------------------- */

/* The part, taken from the pool (zeroed) if f has none yet; NULL only when
 * the pool cannot grow. */
struct rules_ring *flow_cold_ring(struct flow_cold_pools *p, struct flow *f,
				  int dir);
struct rules_ctls *flow_cold_ctl(struct flow_cold_pools *p, struct flow *f,
				 int dir);
struct rules_ctl *flow_cold_fin(struct flow_cold_pools *p, struct flow *f,
				int dir);
struct rules_ka *flow_cold_ka(struct flow_cold_pools *p, struct flow *f);
struct rules_close *flow_cold_close(struct flow_cold_pools *p, struct flow *f);
struct flow_timers *flow_cold_timers(struct flow_cold_pools *p, struct flow *f);

/* f's ring for direction dir with room for a segment at its seg_head:
 * taken small, or moved to the full size when the small one is full. NULL
 * only when the pool cannot grow. */
struct rules_ring *flow_cold_ring_room(struct flow_cold_pools *p,
				       struct flow *f, int dir);

/* The part for reading: f's, or an all-zero one when it has none. */
const struct rules_ring *flow_cold_ring_of(const struct flow *f, int dir);
const struct rules_ctls *flow_cold_ctl_of(const struct flow *f, int dir);
const struct rules_ctl *flow_cold_fin_of(const struct flow *f, int dir);
const struct rules_ka_dir *flow_cold_ka_of(const struct flow *f, int dir);
const struct rules_close_dir *flow_cold_close_of(const struct flow *f, int dir);

/* --- anomalies ------------------------------------------------------------ */

/* How many anomalies of type t (all of them, stored or not) f has. */
static inline uint32_t flow_anomaly_count(const struct flow *f, unsigned t)
{
	return f->anomalies != NULL && t < ANOMALY_TYPE_COUNT
		       ? f->anomalies->counts[t]
		       : 0;
}

/* How many f stores (flow_record.nanomalies). */
static inline uint32_t flow_anomalies_stored(const struct flow *f)
{
	return f->anomalies != NULL ? f->anomalies->n : 0;
}

/* f's anomaly store, taken (with room for 2) if it has none; NULL only when
 * the pool cannot grow. */
struct flow_anomalies *flow_cold_anomalies(struct flow_cold_pools *p,
					   struct flow *f);

/* Store a copy of *a in f's store, made larger first when full; false when
 * FLOW_MAX_ANOMALIES are stored already (or no memory). Counts nothing. */
bool flow_cold_anomaly_add(struct flow_cold_pools *p, struct flow *f,
			   const struct anomaly *a);

/* --- the state timeline --------------------------------------------------- */

/* Endpoint `role` of f entered `state` at (frame, ts_ns): kept while the
 * endpoint has fewer than FLOW_MAX_STATES, else counted as dropped. */
void flow_cold_state_add(struct flow_cold_pools *p, struct flow *f, int role,
			 uint8_t state, uint64_t frame, int64_t ts_ns);

/* The endpoint's latest change (into `state`) did not happen: drop it when
 * it is the latest one kept, else take one off the dropped count. */
void flow_cold_state_revoke(struct flow_cold_pools *p, struct flow *f, int role,
			    uint8_t state);

/* Decode endpoint role's changes into er->states, er->nstates and
 * er->states_dropped. */
void flow_cold_states_fill(const struct flow *f, int role,
			   struct endpoint_record *er);

#endif
