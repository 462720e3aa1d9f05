/*
 * seq_track.h - what one direction of a TCP connection has sent, as the
 * capture shows it: the one sequence tracker of the analyzer. Each endpoint
 * of the state machine (tcp_fsm.h, struct tcp_endpoint) holds the tracker
 * of its own segments, and tcp_fsm_step() is its only writer; the stream
 * rules (rules_stream.c, rules.c) read it before the machines step, so they
 * judge a segment against what came before it.
 *
 * The rules, decided once here for both:
 *   - nxt is the highest seq + len sent, SYN and FIN counting one each
 *     (RFC 9293 §3.4): SND.NXT as far as the capture saw it.
 *   - A RST moves no sequence number and starts no sequence space, even
 *     with SYN set: it consumes no sequence space, and one answering an
 *     unacceptable ACK takes its number from that ACK (RFC 9293
 *     §3.10.7.3), which can lie anywhere.
 *   - A zero-window probe moves neither nxt nor ackable (seq_track_probe()
 *     tells one; the caller, who sees both directions, marks it): its byte
 *     is sent again once the window opens, and that copy is the data's
 *     first transmission. Wireshark keeps its nextseq the same way.
 *   - A SYN starts a new sequence space (seq_track_restart()) when it is
 *     the endpoint's first or carries a new ISN, whatever the state. In a
 *     synchronized connection the state machine keeps its state and ISN
 *     (another connection's SYN, RFC 9293 §3.5.2: the peer answers with a
 *     challenge ACK), but what the endpoint sends from then on is judged
 *     in the SYN's space, as Wireshark starts over on reused ports: when
 *     the peer accepts it, the new connection in the same flow is analysed
 *     as one, not as retransmissions of the old. The state machine makes
 *     the call (track_send()).
 *   - ackable (Wireshark's "maxseqtobeacked") is the highest nxt the peer
 *     may acknowledge: it follows nxt, except that a segment beyond nxt (a
 *     gap: something was not captured) or a probe does not move it, so an
 *     ACK of the gap is seen to acknowledge data the capture missed. Such
 *     an ACK (seq_track_acked()) then lets it catch up with nxt, so the
 *     gap is reported once. It is known once nxt is.
 *   - When the capture shows none of the direction's segments, the peer's
 *     ACK of them is the evidence (a SYN-ACK the capture missed, one
 *     direction captured): seq_track_infer() takes nxt from it, marked
 *     inferred. The first segment captured replaces the mark, never lowering
 *     nxt below what the peer acknowledged.
 *   - The latest segment's ack field, raw window, frame and time are kept
 *     whatever the segment was (RST and a foreign SYN too): the stream
 *     rules compare with the direction's previous segment, and the window
 *     RST acceptability scales is the latest advertised; max_ack only
 *     counts ACKs of this connection (ACK flag, no RST).
 * All comparisons are serial-number arithmetic (seq.h). Nothing here
 * allocates; all-zero is the empty tracker (nothing sent, nothing known).
 * The predicates and the per-segment bookkeeping are inline: every segment
 * passes them.
 */
#ifndef TCPLINT_ANALYZER_SEQ_TRACK_H
#define TCPLINT_ANALYZER_SEQ_TRACK_H

#include <stdbool.h>
#include <stdint.h>

#include "analyzer/seq.h"
#include "formats/wire/decode.h"

struct seq_track {
	uint32_t nxt;      /* highest seq + len (+1 SYN, +1 FIN) sent */
	uint32_t ackable;  /* highest nxt the peer may acknowledge */
	uint32_t max_ack;  /* highest ack it sent (ACK flag, no RST) */
	uint32_t last_ack; /* ack field of its latest segment */
	uint16_t window;   /* raw window of its latest segment */
	bool nxt_known;
	bool nxt_inferred; /* nxt came from the peer's ACK, not a segment */
	bool ackable_known;
	bool max_ack_known;
	bool window_in_syn; /* the latest segment was a SYN: never scaled */
	bool sent;          /* it sent a segment the capture saw */
	uint64_t nxt_frame; /* the segment that last moved nxt (0: none) */
	int64_t nxt_ns;
	uint64_t last_frame; /* its latest segment */
	int64_t last_ns;
};

/* One segment as the tracker reads it (the sender's view; copied). */
struct seq_track_seg {
	uint64_t frame;
	int64_t ts_ns;
	uint32_t seq;
	uint32_t ack;
	uint32_t len;    /* payload bytes */
	uint16_t flags;  /* TCP_* bits of formats/wire/decode.h */
	uint16_t window; /* raw */
};

/* What a segment is to the zero-window rules (seq_track_probe()). */
enum seq_probe {
	SEQ_PROBE_NONE = 0,
	SEQ_PROBE_NEXT,   /* 1 byte at exactly nxt (Wireshark's rule) */
	SEQ_PROBE_BEFORE, /* 0 or 1 byte at nxt - 1, none of SYN, FIN, RST:
			     a keepalive's shape (Linux's persist probe) */
};

/* Whether nxt is what the capture saw this direction send (known and not
 * inferred): the sequence analysis compares against nothing else. */
static inline bool seq_track_nxt_seen(const struct seq_track *t)
{
	return t->nxt_known && !t->nxt_inferred;
}

/*
 * Whether a segment (seq, len payload bytes, TCP_* flags) sent by the
 * direction t, while the peer's tracker is peer, probes a zero window: the
 * peer sent something and its latest window is 0, nxt was seen, no SYN, and
 * the segment has one of the two shapes.
 */
static inline enum seq_probe seq_track_probe(const struct seq_track *t,
					     const struct seq_track *peer,
					     uint32_t seq, uint32_t len,
					     uint16_t flags)
{
	if (!seq_track_nxt_seen(t) || !peer->sent || peer->window != 0 ||
	    (flags & TCP_SYN))
		return SEQ_PROBE_NONE;
	if (len == 1 && seq == t->nxt)
		return SEQ_PROBE_NEXT;
	if (len <= 1 && seq == t->nxt - 1 && !(flags & (TCP_FIN | TCP_RST)))
		return SEQ_PROBE_BEFORE;
	return SEQ_PROBE_NONE;
}

/* Whether a segment at seq with TCP_* flags lies beyond nxt (a gap: what
 * came between was not captured). Never for a RST. */
static inline bool seq_track_gap(const struct seq_track *t, uint32_t seq,
				 uint16_t flags)
{
	return seq_track_nxt_seen(t) && !(flags & TCP_RST) &&
	       SEQ_GT(seq, t->nxt);
}

/* A new sequence space starts (its SYN): nxt and ackable are unknown until
 * the segment is taken by seq_track_sent(). */
void seq_track_restart(struct seq_track *t);

/* The direction sent s (any segment): its ack, window, frame and time. */
static inline void seq_track_seen(struct seq_track *t,
				  const struct seq_track_seg *s)
{
	t->last_ack = s->ack;
	t->window = s->window;
	t->window_in_syn = (s->flags & TCP_SYN) != 0;
	t->last_frame = s->frame;
	t->last_ns = s->ts_ns;
	t->sent = true;
}

/* (seq_track_sent()) seq + len, SYN and FIN counting one each. */
static inline uint32_t seq_track_end(const struct seq_track_seg *s)
{
	return s->seq + s->len + ((s->flags & TCP_SYN) ? 1 : 0) +
	       ((s->flags & TCP_FIN) ? 1 : 0);
}

/* (seq_track_sent()) nxt moves to `end`, never back below an inferred nxt;
 * returns whether the payload reaches beyond the old nxt. */
static inline bool seq_track_advance(struct seq_track *t,
				     const struct seq_track_seg *s,
				     uint32_t end)
{
	bool new_data;

	if (!t->nxt_known) {
		new_data = s->len > 0;
		t->nxt = end;
	} else if (t->nxt_inferred || SEQ_GT(end, t->nxt)) {
		new_data = s->len > 0 && SEQ_GT(s->seq + s->len, t->nxt);
		if (SEQ_GT(end, t->nxt))
			t->nxt = end;
	} else {
		return false;
	}
	t->nxt_known = true;
	t->nxt_inferred = false;
	t->nxt_frame = s->frame;
	t->nxt_ns = s->ts_ns;
	return new_data;
}

/*
 * The direction sent s in its sequence space (after seq_track_seen(); not
 * for a foreign SYN): nxt, ackable and max_ack move by the rules above
 * (probe: it is a zero-window probe). Returns whether s carries payload
 * beyond what was sent before (new data).
 */
static inline bool seq_track_sent(struct seq_track *t,
				  const struct seq_track_seg *s, bool probe)
{
	bool gap = seq_track_gap(t, s->seq, s->flags);
	bool new_data = false;

	if (!(s->flags & TCP_RST) && !probe)
		new_data = seq_track_advance(t, s, seq_track_end(s));
	if (seq_track_nxt_seen(t) && !probe && !gap &&
	    (!t->ackable_known || SEQ_GT(t->nxt, t->ackable))) {
		t->ackable = t->nxt;
		t->ackable_known = true;
	}
	if ((s->flags & (TCP_ACK | TCP_RST)) == TCP_ACK &&
	    (!t->max_ack_known || SEQ_GT(s->ack, t->max_ack))) {
		t->max_ack = s->ack;
		t->max_ack_known = true;
	}
	return new_data;
}

/* The peer acknowledged `ack` (a segment with the ACK flag): an ACK beyond
 * ackable lets ackable catch up with nxt. */
static inline void seq_track_acked(struct seq_track *t, uint32_t ack)
{
	if (t->ackable_known && SEQ_GT(ack, t->ackable))
		t->ackable = t->nxt;
}

/* Nothing of the direction was captured and the peer acknowledged `ack`:
 * nxt, when not known yet, is inferred from it. */
void seq_track_infer(struct seq_track *t, uint32_t ack);

#endif
