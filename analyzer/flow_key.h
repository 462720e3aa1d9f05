/*
 * flow_key.h - the canonical key of a TCP connection and its keyed hash.
 *
 * Both directions of a connection map to one key: the lower endpoint
 * (address, then port, compared as bytes in network order) comes first,
 * the higher second, and flow_key_make() says which of the two sent the
 * segment (the direction bit). The hash is SipHash-1-3 keyed with a seed
 * chosen at random for each run, so crafted traffic cannot aim its 4-tuples
 * at one hash bucket.
 */
#ifndef TCPLINT_ANALYZER_FLOW_KEY_H
#define TCPLINT_ANALYZER_FLOW_KEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "formats/wire/tuple.h"

/* Bytes of a key: version, low address, low port, high address, high port;
 * 13 for IPv4, 37 for IPv6. */
#define FLOW_KEY_MAX 37

struct flow_key {
	uint8_t len;
	uint8_t bytes[FLOW_KEY_MAX];
};

struct flow_hash_seed {
	uint64_t k0, k1;
};

/*
 * Build the canonical key of t's connection into *key. Returns true when
 * t's source (the sender of a segment) is the key's lower endpoint, in the
 * order of tuple_end_cmp(); a segment to itself (same address and port)
 * counts as sent by the lower one.
 */
bool flow_key_make(struct flow_key *key, const struct tuple *t);

/* The key's two endpoints back as a tuple: the low one the source, the
 * high one the destination; an IPv4 address with the rest of its 16 bytes
 * zero. */
void flow_key_tuple(const struct flow_key *key, struct tuple *t);

/* A seed from the system's random source (getrandom, then /dev/urandom,
 * then time and pid as a last resort). */
void flow_hash_seed_random(struct flow_hash_seed *seed);

/* SipHash-1-3 of len bytes under the 128-bit seed. */
uint64_t flow_siphash13(const struct flow_hash_seed *seed, const void *data,
			size_t len);

static inline uint64_t flow_key_hash(const struct flow_hash_seed *seed,
				     const struct flow_key *key)
{
	return flow_siphash13(seed, key->bytes, key->len);
}

/*
 * The shard of a connection among n (0 <= shard < n), the same for both
 * directions and on every machine: SipHash-1-3 of the canonical key under
 * the fixed seed FLOW_SHARD_SEED, reduced to n by multiply-shift (the high
 * 32 bits of the 64-bit product of the hash's high half and n), so
 * separate processes given --shard K/N split one capture with no
 * coordination. n == 0 or 1 gives 0.
 */
#define FLOW_SHARD_SEED_K0 0x7463706c696e742dULL /* "tcplint-" */
#define FLOW_SHARD_SEED_K1 0x7368617264000001ULL /* "shard", version 1 */
uint32_t flow_key_shard(const struct flow_key *key, uint32_t n);

#endif
