/*
 * timers.h - the judgement of retransmission back-off, the one estimator of
 * tcplint: the passive rules (SYN, SYN-ACK and FIN retransmissions in
 * rules.c, data retransmissions in rules_stream.c) and the active probe
 * (the peer's FIN retransmissions, probe/probe.c) ask it the same question.
 *
 * An interval between two transmissions of the same segment "doubled" when
 * it is 1.6 to 2.6 times the interval before it (exponential back-off,
 * RFC 6298 §5.5, with room for timer granularity and jitter); any other
 * pair of positive intervals did not. A series backs off exponentially when
 * more of its compared intervals doubled than did not: not all, because on
 * Linux the first retransmission is often a tail-loss probe (RFC 8985 §7),
 * so the second interval equals the first (FIN on loopback: 207, 208, 424,
 * 832 ms).
 *
 * Intervals come from capture timestamps, which a hostile or corrupt file
 * sets anywhere in int64 nanoseconds: every comparison is exact and
 * overflow-free for all of int64 (no products in int64, no rounding in
 * double). Nothing here allocates or keeps state beyond the caller's struct.
 */
#ifndef TCPLINT_ANALYZER_TIMERS_H
#define TCPLINT_ANALYZER_TIMERS_H

#include <stdbool.h>
#include <stdint.h>

/* How one interval compares with the one before it. */
enum timers_step {
	TIMERS_STEP_NONE = 0, /* not comparable: an interval is not positive */
	TIMERS_STEP_DOUBLED, /* 1.6 to 2.6 times the previous one (inclusive) */
	TIMERS_STEP_FLAT,    /* compared, and not doubled */
};

/* The compared intervals of a series. All-zero is the empty series. */
struct timers_backoff {
	uint16_t doubled; /* intervals that doubled (saturating) */
	uint16_t flat;    /* intervals compared that did not (saturating) */
};

/* How interval cur_ns compares with prev_ns, the interval before it. */
enum timers_step timers_backoff_step(int64_t prev_ns, int64_t cur_ns);

/* Judge cur_ns against prev_ns and count the result in *b (nothing when
 * they are not comparable). Returns the step. */
enum timers_step timers_backoff_add(struct timers_backoff *b, int64_t prev_ns,
				    int64_t cur_ns);

/* Whether the series backs off exponentially: more of its compared
 * intervals doubled than did not. False for a series with no comparison. */
bool timers_backoff_exponential(const struct timers_backoff *b);

/*
 * The series of `n` transmission times `ts_ns` (capture order): fills *b
 * with its n - 2 comparisons (interval i against interval i - 1; an
 * interval is the difference of neighbouring times, saturated when the
 * difference does not fit in int64) and returns
 * timers_backoff_exponential(). Fewer than 3 times compare nothing: false.
 */
bool timers_backoff_series(const int64_t *ts_ns, unsigned n,
			   struct timers_backoff *b);

#endif
