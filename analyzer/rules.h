/*
 * rules.h - the anomaly rules: stream faults (retransmission, duplicate ACK,
 * zero window, ...), keepalive, missing ACK, premature close, lingering
 * CLOSE_WAIT, and the timer forensics. The rules read the flow's state
 * machines (tcp_fsm.h) and keep what else they need in struct rules_flow,
 * stored inline in the flow entry (bounded, no allocation).
 *
 * The analyzer calls, for every segment of a flow:
 *   rules_before(az, f, from, pkt, frame, ts)  - before the state machines
 *       and the sequence tracking see the segment (retransmission, keepalive,
 *       duplicate ACK, ... are judged against what came before);
 *   rules_after(az, f, from, pkt, frame, ts)   - after both endpoints have
 *       stepped (rules about states: data after FIN, premature close, ...);
 * rules_tick(az, f, now) when time advances without a segment of this flow
 * (timeouts: lingering CLOSE_WAIT, missing ACK), and rules_finish(az, f, end)
 * once when the flow is reported (end-of-capture rules). Anomalies are raised
 * with analyzer_report_anomaly() (flow.h).
 */
#ifndef TCPLINT_ANALYZER_RULES_H
#define TCPLINT_ANALYZER_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "formats/decode.h"

struct analyzer;
struct flow;

/* Per-direction state of the rules (filled in by rules.c's author). */
struct rules_dir {
	uint32_t reserved;
};

struct rules_flow {
	struct rules_dir dir[2]; /* indexed by the sender's enum endpoint_role */
};

void rules_before(struct analyzer *az, struct flow *f, int from,
		  const struct pkt_view *pkt, uint64_t frame, int64_t ts_ns);
void rules_after(struct analyzer *az, struct flow *f, int from,
		 const struct pkt_view *pkt, uint64_t frame, int64_t ts_ns);
void rules_tick(struct analyzer *az, struct flow *f, int64_t now_ns);
void rules_finish(struct analyzer *az, struct flow *f, int64_t end_ns);

#endif
