/*
 * fuzz_check.h - invariants of the analyzer's records that must hold
 * whatever the input, shared by fuzz_analyze.c and fuzz_fsm.c. A broken
 * invariant aborts, so libFuzzer (or the plain runner's ctest) reports it.
 * `nframes` is the number of frames fed so far: no frame number in a record
 * may point past it, and a finished flow's timelines and anomalies lie
 * within its own first and last frame, each timeline in frame order.
 */
#ifndef TCPLINT_TESTS_FUZZ_CHECK_H
#define TCPLINT_TESTS_FUZZ_CHECK_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "formats/report/anomaly.h"
#include "analyzer/records.h"

static inline void fuzz_fail(const char *what, uint64_t v)
{
	fprintf(stderr, "fuzz invariant broken: %s (%llu)\n", what,
		(unsigned long long)v);
	abort();
}

/* One anomaly of flow f; also renders its message. */
static inline void fuzz_check_anomaly(const struct flow_record *f,
				      const struct anomaly *a, uint64_t nframes)
{
	char msg[512];
	size_t n;

	if (a->type >= ANOMALY_TYPE_COUNT)
		fuzz_fail("anomaly type", a->type);
	if (a->severity >= SEVERITY_COUNT)
		fuzz_fail("anomaly severity", a->severity);
	if (a->endpoint > ROLE_SERVER)
		fuzz_fail("anomaly endpoint", a->endpoint);
	if (a->confidence >= CONFIDENCE_COUNT)
		fuzz_fail("anomaly confidence", a->confidence);
	if (a->state[0] >= TCP_STATE_COUNT || a->state[1] >= TCP_STATE_COUNT)
		fuzz_fail("anomaly state", a->state[0] * 256u + a->state[1]);
	if (a->frame == 0 || a->frame > nframes)
		fuzz_fail("anomaly frame", a->frame);
	if (a->ref_frame > nframes)
		fuzz_fail("anomaly ref_frame", a->ref_frame);
	n = anomaly_describe(f, a, msg, sizeof(msg));
	if (n == 0)
		fuzz_fail("empty anomaly message", a->type);
	/* A cut message is still terminated; a tiny buffer too. */
	(void)anomaly_describe(f, a, msg, 8);
	if (msg[7] != '\0' && n >= 8)
		fuzz_fail("anomaly message not terminated", n);
}

/* A finished flow record. */
static inline void fuzz_check_flow(const struct flow_record *f,
				   uint64_t nframes)
{
	uint32_t counted = 0;

	if (f->handshake >= HANDSHAKE_VERDICT_COUNT)
		fuzz_fail("handshake verdict", f->handshake);
	if (f->close >= CLOSE_VERDICT_COUNT)
		fuzz_fail("close verdict", f->close);
	if (f->active_closer >= CLOSER_COUNT)
		fuzz_fail("active closer", f->active_closer);
	if (f->first_frame == 0 || f->first_frame > f->last_frame ||
	    f->last_frame > nframes)
		fuzz_fail("flow frame range", f->last_frame);
	for (int e = 0; e < 2; e++) {
		const struct endpoint_record *ep = &f->ep[e];

		if (ep->state >= TCP_STATE_COUNT)
			fuzz_fail("endpoint state", ep->state);
		if (ep->nstates > FLOW_MAX_STATES)
			fuzz_fail("nstates", ep->nstates);
		for (int i = 0; i < ep->nstates; i++) {
			if (ep->states[i].state >= TCP_STATE_COUNT)
				fuzz_fail("timeline state",
					  ep->states[i].state);
			if (ep->states[i].frame < f->first_frame ||
			    ep->states[i].frame > f->last_frame)
				fuzz_fail("timeline frame outside the flow",
					  ep->states[i].frame);
			if (i > 0 &&
			    ep->states[i].frame < ep->states[i - 1].frame)
				fuzz_fail("timeline frames out of order",
					  ep->states[i].frame);
		}
	}
	if (f->nanomalies > FLOW_MAX_ANOMALIES)
		fuzz_fail("nanomalies", f->nanomalies);
	for (int i = 0; i < f->nanomalies; i++) {
		const struct anomaly *a = &f->anomalies[i];

		fuzz_check_anomaly(f, a, nframes);
		if (a->frame < f->first_frame || a->frame > f->last_frame)
			fuzz_fail("anomaly frame outside the flow", a->frame);
	}
	for (int t = 0; t < ANOMALY_TYPE_COUNT; t++)
		counted += f->anomaly_counts[t];
	if (counted < f->nanomalies)
		fuzz_fail("anomaly counts below the stored anomalies", counted);
}

#endif
