/*
 * tcp_opts.h - walking the option bytes of one TCP header.
 *
 * The iterator knows where the options end and stops on anything it cannot
 * step over safely: an option whose length byte is missing, under 2, or
 * runs past the end (RFC 9293 §3.1, "Options"). EOL ends the walk; EOL and
 * NOP are one byte. When the snaplen cut the header inside its options, the
 * iterator reads only the captured bytes and tells an option the capture
 * cut (it would fit in the data offset) from one whose length is wrong.
 * tcp_opts_parse() uses it to fill struct tcp_options, which the decoder's
 * struct pkt_view (decode.h) carries: a table in tcp_opts.c gives each
 * known kind its length and the handler that stores its value. Nothing is
 * allocated; option data is borrowed.
 */
#ifndef TCPLINT_WIRE_TCP_OPTS_H
#define TCPLINT_WIRE_TCP_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "formats/wire/bytes.h"

/* Option kinds (IANA "TCP Option Kind Numbers"); tcp_opts_parse() stores
 * MSS, WSCALE, SACK_PERMITTED, SACK and TIMESTAMPS. */
enum tcp_opt_kind {
	TCP_OPT_EOL = 0,            /* RFC 9293 §3.2 */
	TCP_OPT_NOP = 1,            /* RFC 9293 §3.2 */
	TCP_OPT_MSS = 2,            /* RFC 9293 §3.2, length 4 */
	TCP_OPT_WSCALE = 3,         /* RFC 7323 §2.2, length 3 */
	TCP_OPT_SACK_PERMITTED = 4, /* RFC 2018 §2, length 2 */
	TCP_OPT_SACK = 5,           /* RFC 2018 §3, length 2 + 8n */
	TCP_OPT_TIMESTAMPS = 8,     /* RFC 7323 §3.2, length 10 */
};

#define TCP_MAX_SACK_BLOCKS 4

struct tcp_sack_block {
	uint32_t left;
	uint32_t right;
};

/* TCP options of one segment (RFC 9293 §3.2, RFC 7323, RFC 2018). */
struct tcp_options {
	bool has_mss;
	bool has_wscale;
	bool sack_permitted;
	bool has_ts;
	bool malformed;     /* the option walk stopped on a bad length */
	bool truncated;     /* the snaplen cut the header inside its options:
				   only those wholly captured are filled in
				   (snap_cut is set too) */
	uint8_t wscale;     /* shift count as sent, not yet clamped to 14 */
	uint8_t sack_count; /* blocks stored in sack[] (at most 4) */
	uint16_t mss;
	uint32_t ts_val;
	uint32_t ts_ecr;
	struct tcp_sack_block sack[TCP_MAX_SACK_BLOCKS];
};

/* One option as found in the header. */
struct tcp_opt {
	uint8_t kind;
	uint8_t len;              /* total length including kind and length;
				     1 for NOP */
	struct bytes_cursor data; /* the len - 2 bytes after the length byte
				     (borrowed; empty for NOP) */
};

struct tcp_opts_iter {
	struct bytes_cursor c; /* the captured option bytes */
	size_t uncaptured;     /* option bytes after c.end the capture lacks */
};

/* What tcp_opts_next() returns when it cannot give another option. */
enum {
	TCP_OPTS_BAD = -1, /* length missing, under 2, or past the end */
	TCP_OPTS_CUT = -2, /* the capture ended inside the options */
};

/* Start walking `len` option bytes at p, all of them captured. */
void tcp_opts_begin(struct tcp_opts_iter *it, const uint8_t *p, size_t len);

/* Start walking `len` option bytes at p of which only the first `captured`
 * are in the buffer (a header cut by the snaplen): nothing at or after
 * p + captured is ever read. captured >= len is the same as tcp_opts_begin. */
void tcp_opts_begin_cut(struct tcp_opts_iter *it, const uint8_t *p, size_t len,
			size_t captured);

/* Next option: 1 with *opt filled (NOPs included), 0 at EOL or the end,
 * TCP_OPTS_BAD (-1) when the option's length is missing, under 2, or past
 * the end of the options, TCP_OPTS_CUT (-2) when the options go on past the
 * captured bytes: the next option, or the rest of this one, was not
 * captured but would fit in the data offset. After -1 or -2 the walk is
 * over (0 from then on). */
int tcp_opts_next(struct tcp_opts_iter *it, struct tcp_opt *opt);

/*
 * Fill *out (zeroed first) from `len` option bytes at p. Known options with
 * the wrong length are skipped and set out->malformed, as does a walk that
 * stops on a bad length. Unknown options are skipped by their length.
 */
void tcp_opts_parse(const uint8_t *p, size_t len, struct tcp_options *out);

/*
 * The same for a header cut by the snaplen: `len` option bytes by the data
 * offset, only the first `captured` of them at p. The options wholly
 * captured are filled in, an option the cut runs through is not (and is not
 * malformed unless its length byte, captured, is bad), and out->truncated
 * is set when captured < len.
 */
void tcp_opts_parse_cut(const uint8_t *p, size_t len, size_t captured,
			struct tcp_options *out);

#endif
