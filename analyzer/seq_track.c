/*
 * seq_track.c - the sequence tracker of one direction (see seq_track.h for
 * its rules, and for the inline steps every segment passes through): the
 * restart of a sequence space and the inference from the peer's ACK. Pure
 * functions over the caller's struct: no allocation, no I/O.
 */
#include "analyzer/seq_track.h"

void seq_track_restart(struct seq_track *t)
{
	t->nxt_known = false;
	t->nxt_inferred = false;
	t->ackable_known = false;
}

void seq_track_infer(struct seq_track *t, uint32_t ack)
{
	if (t->nxt_known)
		return;
	t->nxt = ack;
	t->nxt_known = true;
	t->nxt_inferred = true;
}
