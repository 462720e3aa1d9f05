/*
 * build.h - one TCP segment out as the bytes of a captured frame.
 *
 * build_segment() writes link header, IPv4 or IPv6 header and TCP header
 * with options and payload into a caller buffer, with correct IPv4 header
 * and TCP checksums. It is the inverse of decode_packet() (formats/wire/decode.h)
 * and exists so that tests synthesize their own captures. Every write is
 * checked against the buffer's size; nothing is allocated and no state is
 * kept. TCP options are laid out by the caller, in wire order, with the
 * build_opt_*() helpers, so that tests control the exact option bytes (and
 * can write malformed ones with build_opt_raw()).
 */
#ifndef TCPLINT_WIRE_BUILD_H
#define TCPLINT_WIRE_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "formats/wire/decode.h"
#include "formats/wire/linktype.h"
#include "formats/wire/tuple.h"

/*
 * The link type of a frame to build: the DLT_ value of a row of the
 * link-type table (formats/wire/linktype.h). The builder writes the link
 * headers of rows laid out as LINKHDR_IP, _IPV4, _IPV6 (no header),
 * _ETHERNET (Ethernet II), _SLL, _SLL2, _AF_HOST and _AF_NET; see
 * build_link_dlt(). The four link types the tests use most have names.
 */
enum build_link {
	BUILD_LINK_ETHERNET = LINKTYPE_EN10MB, /* 14-byte Ethernet II */
	BUILD_LINK_RAW = LINKTYPE_RAW,         /* the IP header first */
	BUILD_LINK_SLL = LINKTYPE_LINUX_SLL,   /* 16-byte Linux cooked header */
	BUILD_LINK_NULL = LINKTYPE_NULL,       /* 4-byte address family, host
						  order */
};

#define BUILD_MAX_OPT_BYTES 40 /* TCP data offset 15 words, less 20 */
#define BUILD_MAX_FRAME 65600  /* link + IPv6 + TCP + 65535 payload */

/* TCP option bytes in wire order, at most 40. */
struct build_opts {
	uint8_t bytes[BUILD_MAX_OPT_BYTES];
	uint8_t len;
};

/*
 * Append one option. Each returns 0, or -1 (and leaves *o unchanged) when it
 * would not fit in 40 bytes or its arguments are out of range.
 */
int build_opt_nop(struct build_opts *o);
int build_opt_eol(struct build_opts *o);
int build_opt_mss(struct build_opts *o, uint16_t mss);
int build_opt_wscale(struct build_opts *o, uint8_t shift);
int build_opt_sack_permitted(struct build_opts *o);
int build_opt_timestamps(struct build_opts *o, uint32_t val, uint32_t ecr);
/* 1 to 4 blocks (RFC 2018 §3). */
int build_opt_sack(struct build_opts *o, const struct tcp_sack_block *blocks,
		   unsigned count);
/* Arbitrary bytes, copied as given (for unknown or malformed options). */
int build_opt_raw(struct build_opts *o, const uint8_t *bytes, size_t len);

/* One segment to build. The tuple's source is the sender; for IPv4 the
 * first 4 bytes of its addresses are used. */
struct build_segment {
	enum build_link link; /* a DLT_ value: BUILD_LINK_* or another row */
	struct tuple tuple;   /* version 4 or 6, addresses and ports */
	uint32_t seq;
	uint32_t ack;
	uint16_t flags; /* TCP_* from decode.h (TCP_AE included) */
	uint16_t window;
	uint16_t urg_ptr;
	uint8_t ttl;      /* IPv4 TTL / IPv6 hop limit; 0 means 64 */
	uint16_t ip_id;   /* IPv4 identification */
	bool no_df;       /* IPv4: leave Don't Fragment clear */
	bool ip_len_zero; /* IPv4 total length 0 as TSO captures show it */
	bool outgoing;    /* SLL packet type: outgoing (4) or host (0) */
	struct build_opts opts; /* padded with EOL to a multiple of 4 */
	uint32_t payload_bytes;
	/* payload_bytes bytes to copy, or NULL for the pattern build_pattern_byte()
	 * of each byte's sequence number (so a retransmission repeats its bytes). */
	const uint8_t *payload;
};

/* The DLT_ value of `link` (the value itself) when the builder writes its
 * link header; -1 when the table has no such row or the builder does not
 * write that layout (NFLOG, IPoIB). */
int build_link_dlt(enum build_link link);

/* The pattern byte of the payload byte at sequence number `seq`. */
uint8_t build_pattern_byte(uint32_t seq);

/*
 * Write the whole frame for *seg into buf (buflen bytes) and set *frame_len.
 * Returns 0, or -1 when the buffer is too small, the IP version is not 4 or
 * 6, the builder does not write the link type (build_link_dlt() < 0), the
 * link type is raw IPv4 or IPv6 and the segment of the other version, or
 * the IP packet would exceed 65535 bytes
 * (IPv4 total length, IPv6 payload length); *frame_len is then 0.
 */
int build_segment(const struct build_segment *seg, uint8_t *buf, size_t buflen,
		  size_t *frame_len);

/* Internet checksum (RFC 1071) of len bytes, folded, starting from `sum`
 * (a partial 32-bit sum; 0 to start). Returned in host order, already
 * complemented: store it big-endian. */
uint16_t build_checksum(uint32_t sum, const uint8_t *data, size_t len);

#endif
