/*
 * rules.h - the anomaly rules: stream faults (retransmission, duplicate ACK,
 * zero window, ...), keepalive, missing ACK, premature close, lingering
 * CLOSE_WAIT, and the timer forensics. The rules read the flow's state
 * machines (tcp_fsm.h) and keep what else they need in struct rules_flow,
 * stored inline in the flow entry (bounded, no allocation, no pointers).
 *
 * The analyzer calls, for every segment of a flow:
 *   rules_before(env, f, from, pkt, frame, ts) - before the state machines
 *       and the sequence tracking see the segment (retransmission, keepalive,
 *       duplicate ACK, ... are judged against what came before);
 *   rules_after(env, f, from, pkt, frame, ts)  - after both endpoints have
 *       stepped (rules about states: data after FIN, premature close, ...);
 * rules_tick(env, f, now) when time advances without a segment of this flow
 * (timeouts: lingering CLOSE_WAIT, missing ACK), and rules_finish(env, f,
 * end) once when the flow is reported (end-of-capture rules).
 *
 * The rules never call back into the analyzer. What they find they record
 * on the flow itself (counted and stored while there is room in the flow's
 * anomaly store, flow_cold.h) and list in the environment the analyzer
 * owns, which hands the list to its sink after each call
 * (rules_env_found()). What they remember beyond the per-segment state
 * they keep in cold parts taken from the pools the environment names.
 *
 * A flow entry starts zeroed (memset by the flow table): all-zero is the
 * valid initial state of struct rules_flow (rules_state.h), and a cold
 * part a flow does not have reads as all-zero. The exact rule of every anomaly
 * is in docs/ANOMALIES.md; rules.c holds the state-machine rules,
 * rules_stream.c the Wireshark-style sequence analysis.
 */
#ifndef TCPLINT_ANALYZER_RULES_H
#define TCPLINT_ANALYZER_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "analyzer/config.h"
#include "analyzer/records.h"
#include "formats/wire/decode.h"

struct flow;
struct flow_cold_pools;

/* Anomalies one call may raise beyond the flow's room (it raises a handful
 * at most; past this they are still counted on the flow). */
#define RULES_UNSTORED_MAX 32

/* What the rules read besides the flow, and where they list what they
 * found. Owned by the analyzer; one per analyzer. */
struct rules_env {
	const struct analyzer_config *cfg;
	struct flow_cold_pools *cold; /* where flows' cold parts come from */
	uint64_t drops;               /* capture drops so far (live) */
	/* Found by the current call: the anomalies `flow` stored from
	 * first_new on, then the ones it had no room to store. */
	const struct flow *flow;
	uint32_t first_new;
	uint32_t nunstored;
	struct anomaly unstored[RULES_UNSTORED_MAX];
};

void rules_before(struct rules_env *env, struct flow *f, int from,
		  const struct pkt_view *pkt, uint64_t frame, int64_t ts_ns);
void rules_after(struct rules_env *env, struct flow *f, int from,
		 const struct pkt_view *pkt, uint64_t frame, int64_t ts_ns);
void rules_tick(struct rules_env *env, struct flow *f, int64_t now_ns);
void rules_finish(struct rules_env *env, struct flow *f, int64_t end_ns);

/*
 * Record anomaly *a on flow f: its state[] is set from both endpoints'
 * current states, it is counted in f's anomaly store (flow_cold.h), stored
 * there while there is room (else counted as dropped) and listed in env.
 * The caller fills every other field.
 */
void rules_record(struct rules_env *env, struct flow *f,
		  const struct anomaly *a);

/* Start listing the anomalies found on flow f (before a rules call). */
void rules_env_begin(struct rules_env *env, const struct flow *f);

/* The i-th anomaly the call since rules_env_begin() found, in the order
 * found, or NULL past the last. */
const struct anomaly *rules_env_found(const struct rules_env *env, uint32_t i);

#endif
