/*
 * flow_key.c - canonical connection keys and SipHash-1-3.
 *
 * SipHash (Aumasson and Bernstein, 2012) with one compression round per
 * 8-byte block and three finalization rounds: a short keyed hash that is
 * fast on keys of a few dozen bytes and that an attacker who does not know
 * the seed cannot steer into collisions.
 */
#include "analyzer/flow_key.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

static uint8_t *put_endpoint(uint8_t *p, const uint8_t *ip, size_t iplen,
			     uint16_t port)
{
	memcpy(p, ip, iplen);
	p += iplen;
	*p++ = (uint8_t)(port >> 8);
	*p++ = (uint8_t)port;
	return p;
}

bool flow_key_make(struct flow_key *key, const struct tuple *t)
{
	size_t iplen = tuple_addr_len(t);
	bool src_low = tuple_end_cmp(t) <= 0;
	uint8_t *p = key->bytes;

	*p++ = t->ip_version == 6 ? 6 : 4;
	if (src_low) {
		p = put_endpoint(p, t->src, iplen, t->sport);
		p = put_endpoint(p, t->dst, iplen, t->dport);
	} else {
		p = put_endpoint(p, t->dst, iplen, t->dport);
		p = put_endpoint(p, t->src, iplen, t->sport);
	}
	key->len = (uint8_t)(p - key->bytes);
	return src_low;
}

static const uint8_t *get_endpoint(const uint8_t *p, size_t iplen,
				   uint8_t ip[16], uint16_t *port)
{
	memset(ip, 0, 16);
	memcpy(ip, p, iplen);
	p += iplen;
	*port = (uint16_t)(p[0] << 8 | p[1]);
	return p + 2;
}

void flow_key_tuple(const struct flow_key *key, struct tuple *t)
{
	size_t iplen = key->bytes[0] == 6 ? 16 : 4;
	const uint8_t *p = key->bytes + 1;

	t->ip_version = key->bytes[0];
	p = get_endpoint(p, iplen, t->src, &t->sport);
	get_endpoint(p, iplen, t->dst, &t->dport);
}

void flow_hash_seed_random(struct flow_hash_seed *seed)
{
	uint8_t buf[16];
	size_t got = 0;

	while (got < sizeof(buf)) {
		ssize_t n = getrandom(buf + got, sizeof(buf) - got, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got < sizeof(buf)) {
		int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

		if (fd >= 0) {
			while (got < sizeof(buf)) {
				ssize_t n =
					read(fd, buf + got, sizeof(buf) - got);

				if (n <= 0)
					break;
				got += (size_t)n;
			}
			close(fd);
		}
	}
	memcpy(&seed->k0, buf, 8);
	memcpy(&seed->k1, buf + 8, 8);
	if (got < sizeof(buf)) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		seed->k0 ^= (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ull;
		seed->k1 ^= (uint64_t)ts.tv_sec ^ ((uint64_t)getpid() << 32);
	}
}

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

#define SIPROUND                                                               \
	do {                                                                   \
		v0 += v1;                                                      \
		v1 = ROTL(v1, 13);                                             \
		v1 ^= v0;                                                      \
		v0 = ROTL(v0, 32);                                             \
		v2 += v3;                                                      \
		v3 = ROTL(v3, 16);                                             \
		v3 ^= v2;                                                      \
		v0 += v3;                                                      \
		v3 = ROTL(v3, 21);                                             \
		v3 ^= v0;                                                      \
		v2 += v1;                                                      \
		v1 = ROTL(v1, 17);                                             \
		v1 ^= v2;                                                      \
		v2 = ROTL(v2, 32);                                             \
	} while (0)

static uint64_t load_le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

uint64_t flow_siphash13(const struct flow_hash_seed *seed, const void *data,
			size_t len)
{
	const uint8_t *p = data;
	const uint8_t *end = p + (len & ~(size_t)7);
	uint64_t v0 = 0x736f6d6570736575ull ^ seed->k0;
	uint64_t v1 = 0x646f72616e646f6dull ^ seed->k1;
	uint64_t v2 = 0x6c7967656e657261ull ^ seed->k0;
	uint64_t v3 = 0x7465646279746573ull ^ seed->k1;
	uint64_t b = (uint64_t)len << 56;

	for (; p != end; p += 8) {
		uint64_t m = load_le64(p);

		v3 ^= m;
		SIPROUND;
		v0 ^= m;
	}
	for (size_t i = 0; i < (len & 7); i++)
		b |= (uint64_t)p[i] << (8 * i);
	v3 ^= b;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

uint32_t flow_key_shard(const struct flow_key *key, uint32_t n)
{
	static const struct flow_hash_seed seed = {FLOW_SHARD_SEED_K0,
						   FLOW_SHARD_SEED_K1};

	if (n <= 1)
		return 0;
	return (uint32_t)(((flow_key_hash(&seed, key) >> 32) * (uint64_t)n) >>
			  32);
}
