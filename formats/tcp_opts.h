/*
 * tcp_opts.h - walking the option bytes of one TCP header.
 *
 * The iterator knows where the options end and stops on anything it cannot
 * step over safely: an option whose length byte is missing, under 2, or
 * runs past the end (RFC 9293 §3.1, "Options"). EOL ends the walk; EOL and
 * NOP are one byte. tcp_opts_parse() uses it to fill struct tcp_options
 * (formats/decode.h). Nothing is allocated; option data is borrowed.
 */
#ifndef TCPLINT_FORMATS_TCP_OPTS_H
#define TCPLINT_FORMATS_TCP_OPTS_H

#include <stddef.h>
#include <stdint.h>

#include "formats/bytes.h"
#include "formats/decode.h"

/* Option kinds (IANA "TCP Option Kind Numbers"). */
enum tcp_opt_kind {
	TCP_OPT_EOL = 0,            /* RFC 9293 §3.2 */
	TCP_OPT_NOP = 1,            /* RFC 9293 §3.2 */
	TCP_OPT_MSS = 2,            /* RFC 9293 §3.2, length 4 */
	TCP_OPT_WSCALE = 3,         /* RFC 7323 §2.2, length 3 */
	TCP_OPT_SACK_PERMITTED = 4, /* RFC 2018 §2, length 2 */
	TCP_OPT_SACK = 5,           /* RFC 2018 §3, length 2 + 8n */
	TCP_OPT_TIMESTAMPS = 8,     /* RFC 7323 §3.2, length 10 */
};

/* One option as found in the header. */
struct tcp_opt {
	uint8_t kind;
	uint8_t len;         /* total length including kind and length; 1 for NOP */
	const uint8_t *data; /* len - 2 bytes after the length byte (borrowed) */
};

struct tcp_opts_iter {
	struct bytes_cursor c;
};

/* Start walking `len` option bytes at p. */
void tcp_opts_begin(struct tcp_opts_iter *it, const uint8_t *p, size_t len);

/* Next option: 1 with *opt filled (NOPs included), 0 at EOL or the end,
 * -1 when the option's length is missing, under 2, or past the end (the
 * walk cannot continue). */
int tcp_opts_next(struct tcp_opts_iter *it, struct tcp_opt *opt);

/*
 * Fill *out (zeroed first) from `len` option bytes at p. Known options with
 * the wrong length are skipped and set out->malformed, as does a walk that
 * stops on a bad length. Unknown options are skipped by their length.
 */
void tcp_opts_parse(const uint8_t *p, size_t len, struct tcp_options *out);

#endif
