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
	bool color;   /* ANSI colours */
	bool explain; /* one-line RFC 9293 reason at each state change */
	const char *const *input_names; /* for the heading (borrowed) */
	uint32_t ninput_names;
};

/*
 * Walking a flow's segments in frame order, as every drawing of it does
 * (this text ladder, the HTML report's sequence diagram): the numbers
 * relative to each sender's ISN, the states each endpoint enters at the
 * segment, and what the segment is beyond its flags.
 */
struct ladder_walk {
	const struct flow_record *rec; /* borrowed */
	uint32_t base[2]; /* relative sequence origin of each sender */
	bool have_base[2];
	uint32_t nxt[2]; /* next sequence number expected from each */
	bool have_nxt[2];
};

#define LADDER_MAX_ENTERED 4 /* states kept per endpoint and segment */

struct ladder_step {
	uint32_t rel_seq;
	uint32_t rel_ack; /* meaningful when the segment has TCP_ACK */
	char flags[12];   /* tcpdump's letters ("S.", "F.", "R") */
	uint8_t entered[2][LADDER_MAX_ENTERED]; /* states each role enters */
	int nentered[2]; /* the last one is where it ends up */
	bool fin_again;  /* a FIN sent again (same sequence number) */
	bool keepalive;  /* a keepalive probe (one below the next seq) */
};

/* Start a walk over rec's segments (borrowed for the walk). */
void ladder_walk_init(struct ladder_walk *w, const struct flow_record *rec);
/* The next segment, in frame order: fills *st. */
void ladder_walk_next(struct ladder_walk *w, const struct ladder_seg *s,
		      struct ladder_step *st);
/* The state endpoint `role` is in before the flow's first segment. */
int ladder_initial_state(const struct flow_record *r, int role);
/* The one-line reason endpoint `role` enters state `st` at segment s,
 * in RFC 9293's terms. */
const char *ladder_explain_state(const struct flow_record *r, int role, int st,
				 const struct ladder_seg *s);
/* The reason for a FIN sent again or a keepalive probe into buf ("" when
 * the step is neither). */
void ladder_explain_step(const struct flow_record *r,
			 const struct ladder_seg *s,
			 const struct ladder_step *st, char *buf, size_t len);

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

/* Keep at most max_segs segments of each flow (0, the default: all);
 * past that, segments that open, close or reset, and those at a frame
 * where the record has an anomaly or a state change, are still kept, up
 * to max_segs more; the rest are only counted. Bounds the memory of a
 * set of long flows. Call before the first ladder_set_packet(). */
void ladder_set_cap(struct ladder_set *s, size_t max_segs);

/* Flow i of the set (0 <= i < ladder_set_count, in the order added),
 * with its segments in frame order and the number not kept (see
 * ladder_set_cap). Borrowed until the set is freed or changed. */
const struct flow_record *ladder_set_flow(const struct ladder_set *s, size_t i,
					  const struct ladder_seg **segs,
					  size_t *nsegs, uint64_t *dropped);

/* Draw every flow of the set in (input, id) order, a blank line between.
 * Returns 0, or -1 when writing failed. */
int ladder_set_render(const struct ladder_set *s, FILE *out,
		      const struct ladder_opts *opts);

#endif
