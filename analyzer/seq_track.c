/*
 * seq_track.c - the sequence tracker of one direction (see seq_track.h for
 * its rules). Pure functions over the caller's struct: no allocation, no
 * I/O.
 */
#include "analyzer/seq_track.h"

#include "analyzer/seq.h"
#include "formats/wire/decode.h"

/* seq + len, SYN and FIN counting one each. */
static uint32_t seg_end(const struct seq_track_seg *s)
{
	return s->seq + s->len + ((s->flags & TCP_SYN) ? 1 : 0) +
	       ((s->flags & TCP_FIN) ? 1 : 0);
}

bool seq_track_nxt_seen(const struct seq_track *t)
{
	return t->nxt_known && !t->nxt_inferred;
}

enum seq_probe seq_track_probe(const struct seq_track *t,
			       const struct seq_track *peer, uint32_t seq,
			       uint32_t len, uint16_t flags)
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

bool seq_track_gap(const struct seq_track *t, uint32_t seq, uint16_t flags)
{
	return seq_track_nxt_seen(t) && !(flags & TCP_RST) &&
	       SEQ_GT(seq, t->nxt);
}

void seq_track_restart(struct seq_track *t)
{
	t->nxt_known = false;
	t->nxt_inferred = false;
	t->ackable_known = false;
}

void seq_track_seen(struct seq_track *t, const struct seq_track_seg *s)
{
	t->last_ack = s->ack;
	t->window = s->window;
	t->window_in_syn = (s->flags & TCP_SYN) != 0;
	t->last_frame = s->frame;
	t->last_ns = s->ts_ns;
	t->sent = true;
}

/* nxt moves to `end` (never back below an inferred nxt); returns whether
 * the payload reaches beyond the old nxt. */
static bool nxt_advance(struct seq_track *t, const struct seq_track_seg *s,
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

bool seq_track_sent(struct seq_track *t, const struct seq_track_seg *s,
		    bool probe)
{
	bool gap = seq_track_gap(t, s->seq, s->flags);
	bool new_data = false;

	if (!(s->flags & TCP_RST) && !probe)
		new_data = nxt_advance(t, s, seg_end(s));
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

void seq_track_acked(struct seq_track *t, uint32_t ack)
{
	if (t->ackable_known && SEQ_GT(ack, t->ackable))
		t->ackable = t->nxt;
}

void seq_track_infer(struct seq_track *t, uint32_t ack)
{
	if (t->nxt_known)
		return;
	t->nxt = ack;
	t->nxt_known = true;
	t->nxt_inferred = true;
}
