/*
 * ladder.h - the ladder view of a TCP flow: the client on the left, the
 * server on the right, each segment an arrow across with its frame number,
 * time since the flow began, flags, relative seq/ack and length, the state
 * each endpoint enters beside it, and each anomaly marked at its frame.
 *
 *  frame      time  client                                                server
 *                   CLOSED       |                                              | LISTEN
 *      1  0.000000  SYN_SENT     |-- [S] seq 0 len 0 -------------------------->| SYN_RECEIVED
 *
 * The segments of a flow come from a second pass over the input: a
 * ladder_set holds copies of the finished flows to draw (from the first
 * pass) and picks their segments out of the packet stream by input,
 * connection and frame range, the connection and the sender decided by the
 * analyzer's own matcher (analyzer/flow_match.h); state changes and
 * anomalies come from the flow records. Nothing here prints except into
 * the FILE given to ladder_set_render().
 */
#ifndef TCPLINT_REPORT_LADDER_H
#define TCPLINT_REPORT_LADDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "analyzer/records.h"
#include "formats/wire/decode.h"

/* One segment of a drawn flow (copied from a pkt_view). */
struct ladder_seg {
	uint64_t frame;
	int64_t ts_ns;
	uint32_t seq, ack, len;
	uint16_t flags;  /* TCP_* */
	uint16_t window; /* as on the wire */
	uint8_t from;    /* enum endpoint_role of the sender */
};

struct ladder_opts {
	bool color;      /* ANSI colours */
	bool explain;    /* one-line RFC 9293 reason at each state change */
	const char *const *input_names; /* for the heading (borrowed) */
	uint32_t ninput_names;
};

/*
 * Draw one flow: its record and its segments in frame order. Returns 0, or
 * -1 when writing failed (ferror on out).
 */
int ladder_render(FILE *out, const struct flow_record *rec,
		  const struct ladder_seg *segs, size_t nsegs,
		  const struct ladder_opts *opts);

struct ladder_set; /* opaque */

/* An empty set; NULL when out of memory. Free with ladder_set_free(). */
struct ladder_set *ladder_set_new(void);
void ladder_set_free(struct ladder_set *s);

/* Add (a copy of) a finished flow to draw. 0, or -1 when out of memory.
 * Call before the first ladder_set_packet(). */
int ladder_set_add(struct ladder_set *s, const struct flow_record *rec);
size_t ladder_set_count(const struct ladder_set *s);

/* Offer one decoded TCP segment of input `input`; kept when it belongs to
 * a flow of the set (its connection, frame within the flow's first and
 * last frame). Returns -1 only when out of memory. */
int ladder_set_packet(struct ladder_set *s, uint32_t input,
		      const struct pkt_view *pkt, uint64_t frame,
		      int64_t ts_ns);

/* Draw every flow of the set in (input, id) order, a blank line between.
 * Returns 0, or -1 when writing failed. */
int ladder_set_render(const struct ladder_set *s, FILE *out,
		      const struct ladder_opts *opts);

#endif
