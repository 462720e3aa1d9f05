/*
 * timers.c - the back-off estimator (see timers.h).
 *
 * "cur is 1.6 to 2.6 times prev" is 8 * prev <= 5 * cur <= 13 * prev in
 * integers. Both intervals are below 2^63 and the factors below 2^4, so the
 * products need 67 bits: each is formed exactly as a pair of 64-bit words
 * (high part, low 32 bits) and the pairs are compared. No int64 product can
 * overflow and no division rounds, whatever the timestamps.
 */
#include "analyzer/timers.h"

/* x * m as hi * 2^32 + lo, lo < 2^32; exact for any x and m < 2^32. */
struct timers_u96 {
	uint64_t hi;
	uint64_t lo;
};

static struct timers_u96 mul_small(uint64_t x, uint32_t m)
{
	uint64_t low = (x & 0xffffffffu) * m; /* < 2^64 */
	struct timers_u96 r;

	r.hi = (x >> 32) * m + (low >> 32); /* < 2^32 * 2^32: fits */
	r.lo = low & 0xffffffffu;
	return r;
}

/* a <= b */
static bool u96_leq(struct timers_u96 a, struct timers_u96 b)
{
	return a.hi < b.hi || (a.hi == b.hi && a.lo <= b.lo);
}

enum timers_step timers_backoff_step(int64_t prev_ns, int64_t cur_ns)
{
	struct timers_u96 cur5, prev8, prev13;

	if (prev_ns <= 0 || cur_ns <= 0)
		return TIMERS_STEP_NONE;
	cur5 = mul_small((uint64_t)cur_ns, 5);
	prev8 = mul_small((uint64_t)prev_ns, 8);
	prev13 = mul_small((uint64_t)prev_ns, 13);
	if (u96_leq(prev8, cur5) && u96_leq(cur5, prev13))
		return TIMERS_STEP_DOUBLED;
	return TIMERS_STEP_FLAT;
}

enum timers_step timers_backoff_add(struct timers_backoff *b, int64_t prev_ns,
				    int64_t cur_ns)
{
	enum timers_step s = timers_backoff_step(prev_ns, cur_ns);

	if (s == TIMERS_STEP_DOUBLED && b->doubled < UINT16_MAX)
		b->doubled++;
	else if (s == TIMERS_STEP_FLAT && b->flat < UINT16_MAX)
		b->flat++;
	return s;
}

bool timers_backoff_exponential(const struct timers_backoff *b)
{
	return b->doubled > b->flat;
}

/* later - earlier, INT64_MAX when it does not fit; negative when time went
 * backwards (then not comparable). */
static int64_t interval_ns(int64_t earlier, int64_t later)
{
	uint64_t d;

	if (later < earlier)
		return -1;
	d = (uint64_t)later - (uint64_t)earlier;
	return d > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)d;
}

bool timers_backoff_series(const int64_t *ts_ns, unsigned n,
			   struct timers_backoff *b)
{
	b->doubled = 0;
	b->flat = 0;
	for (unsigned i = 2; i < n; i++)
		timers_backoff_add(b, interval_ns(ts_ns[i - 2], ts_ns[i - 1]),
				   interval_ns(ts_ns[i - 1], ts_ns[i]));
	return timers_backoff_exponential(b);
}
