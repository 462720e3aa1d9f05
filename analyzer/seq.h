/*
 * seq.h - TCP sequence-number comparisons in serial-number arithmetic
 * (RFC 1982, RFC 9293 §3.4): a is "less than" b when b - a, taken modulo
 * 2^32, lies in (0, 2^31). Every comparison of sequence or acknowledgement
 * numbers in the analyzer goes through these, so 32-bit wraparound is safe.
 */
#ifndef TCPLINT_ANALYZER_SEQ_H
#define TCPLINT_ANALYZER_SEQ_H

#include <stdint.h>

#define SEQ_DIFF(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)))
#define SEQ_LT(a, b) (SEQ_DIFF(a, b) < 0)
#define SEQ_LEQ(a, b) (SEQ_DIFF(a, b) <= 0)
#define SEQ_GT(a, b) (SEQ_DIFF(a, b) > 0)
#define SEQ_GEQ(a, b) (SEQ_DIFF(a, b) >= 0)
/* lo <= x <= hi, all in serial-number order. */
#define SEQ_BETWEEN(x, lo, hi) (SEQ_GEQ(x, lo) && SEQ_LEQ(x, hi))

static inline uint32_t seq_max(uint32_t a, uint32_t b)
{
	return SEQ_GT(a, b) ? a : b;
}

#endif
