/*
 * tuple.h - the 4-tuple of a TCP segment or connection: IP version, two
 * addresses and two ports, as one type.
 *
 * Every layer spells a connection with it: the decoder fills one per
 * segment (struct pkt_view), the builder writes one (struct build_segment),
 * the analyzer keeps a flow's as seen from its client (struct flow_record),
 * and the probe's devices and endpoint are configured with their own. The
 * source is the sender of a segment, or the client of a connection. Ports
 * are in host order; addresses in network byte order, an IPv4 address in
 * the first 4 bytes of the 16 and the rest zero. The helpers read only the
 * address bytes of the version (4 or 16), so bytes past an IPv4 address are
 * never compared. Everything here is inline and pure.
 */
#ifndef TCPLINT_WIRE_TUPLE_H
#define TCPLINT_WIRE_TUPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct tuple {
	uint8_t ip_version; /* 4 or 6 */
	uint8_t src[16];
	uint8_t dst[16];
	uint16_t sport;
	uint16_t dport;
};

/* One end of a tuple. */
enum tuple_side { TUPLE_SRC = 0, TUPLE_DST = 1 };

/* Bytes of an address of t's version: 16 for IPv6, 4 otherwise. */
static inline size_t tuple_addr_len(const struct tuple *t)
{
	return t->ip_version == 6 ? 16 : 4;
}

/* The address (16 bytes) and the port of one end. */
static inline const uint8_t *tuple_addr(const struct tuple *t,
					enum tuple_side side)
{
	return side == TUPLE_SRC ? t->src : t->dst;
}

static inline uint16_t tuple_port(const struct tuple *t, enum tuple_side side)
{
	return side == TUPLE_SRC ? t->sport : t->dport;
}

/* The same connection the other way round: source and destination swapped. */
static inline struct tuple tuple_reverse(const struct tuple *t)
{
	struct tuple r;

	r.ip_version = t->ip_version;
	memcpy(r.src, t->dst, sizeof(r.src));
	memcpy(r.dst, t->src, sizeof(r.dst));
	r.sport = t->dport;
	r.dport = t->sport;
	return r;
}

/* Whether end `as` of a and end `bs` of b are one endpoint: same version,
 * address and port. */
static inline bool tuple_end_equal(const struct tuple *a, enum tuple_side as,
				   const struct tuple *b, enum tuple_side bs)
{
	return a->ip_version == b->ip_version &&
	       tuple_port(a, as) == tuple_port(b, bs) &&
	       memcmp(tuple_addr(a, as), tuple_addr(b, bs),
		      tuple_addr_len(a)) == 0;
}

/* Whether a and b are the same tuple, in the same direction. */
static inline bool tuple_equal(const struct tuple *a, const struct tuple *b)
{
	return tuple_end_equal(a, TUPLE_SRC, b, TUPLE_SRC) &&
	       tuple_end_equal(a, TUPLE_DST, b, TUPLE_DST);
}

/* The order of t's two ends: address bytes first, then port. Negative when
 * the source is the lower end, 0 for a segment to itself, positive when the
 * destination is lower. */
static inline int tuple_end_cmp(const struct tuple *t)
{
	int c = memcmp(t->src, t->dst, tuple_addr_len(t));

	if (c != 0)
		return c;
	return (int)t->sport - (int)t->dport;
}

#endif
