/*
 * tcp_opts.c - the TCP option iterator and the parser that turns options
 * into struct tcp_options (see tcp_opts.h). Every read goes through the
 * bounds-checked cursor of bytes.h.
 */
#include "formats/wire/tcp_opts.h"

#include <string.h>

void tcp_opts_begin(struct tcp_opts_iter *it, const uint8_t *p, size_t len)
{
	tcp_opts_begin_cut(it, p, len, len);
}

void tcp_opts_begin_cut(struct tcp_opts_iter *it, const uint8_t *p,
			size_t len, size_t captured)
{
	if (captured > len)
		captured = len;
	it->c = bytes_make(p, captured);
	it->uncaptured = len - captured;
}

/* The walk cannot go on: -1 for a bad length, -2 when the capture ended
 * first. Either way it is over. */
static int tcp_opts_stop(struct tcp_opts_iter *it, int rc)
{
	it->c = bytes_make(NULL, 0);
	it->uncaptured = 0;
	return rc;
}

int tcp_opts_next(struct tcp_opts_iter *it, struct tcp_opt *opt)
{
	uint8_t kind, len;

	if (!bytes_left(&it->c))
		return it->uncaptured ? tcp_opts_stop(it, TCP_OPTS_CUT) : 0;
	kind = bytes_u8(&it->c);
	/* RFC 9293 §3.2: End of Option List ends the options; what follows is
	 * padding, captured or not. */
	if (kind == TCP_OPT_EOL) {
		tcp_opts_stop(it, 0);
		return 0;
	}
	opt->kind = kind;
	/* RFC 9293 §3.2: No-Operation is a single byte. */
	if (kind == TCP_OPT_NOP) {
		opt->len = 1;
		opt->data = bytes_make(NULL, 0);
		return 1;
	}
	/* RFC 9293 §3.1: every other option is kind, length, data; the length
	 * counts kind and length bytes, so it is at least 2, and must not run
	 * past the data offset. Past the captured bytes but within the data
	 * offset is a snaplen cut, not a bad length. */
	if (!bytes_left(&it->c))
		return tcp_opts_stop(it, it->uncaptured ? TCP_OPTS_CUT
							: TCP_OPTS_BAD);
	len = bytes_u8(&it->c);
	if (len < 2)
		return tcp_opts_stop(it, TCP_OPTS_BAD);
	if (!bytes_has(&it->c, len - 2u)) {
		/* bytes_left() + uncaptured is what the data offset leaves */
		if (len - 2u <= bytes_left(&it->c) + it->uncaptured)
			return tcp_opts_stop(it, TCP_OPTS_CUT);
		return tcp_opts_stop(it, TCP_OPTS_BAD);
	}
	opt->len = len;
	bytes_take(&it->c, len - 2u, &opt->data);
	return 1;
}

/* ---- the parser --------------------------------------------------------- */

void tcp_opts_parse(const uint8_t *p, size_t len, struct tcp_options *out)
{
	tcp_opts_parse_cut(p, len, len, out);
}

void tcp_opts_parse_cut(const uint8_t *p, size_t len, size_t captured,
			struct tcp_options *out)
{
	struct tcp_opts_iter it;
	struct tcp_opt o;
	int rc;

	memset(out, 0, sizeof(*out));
	tcp_opts_begin_cut(&it, p, len, captured);
	/* Each option is at least one byte, so this ends within len steps. */
	while ((rc = tcp_opts_next(&it, &o)) == 1) {
		/* o.data holds o.len - 2 bytes: the fixed lengths below are
		 * checked before any read. */
		switch (o.kind) {
		case TCP_OPT_MSS: /* RFC 9293 §3.2: length 4 */
			if (o.len != 4) {
				out->malformed = true;
				break;
			}
			out->has_mss = true;
			out->mss = bytes_be16(&o.data);
			break;
		case TCP_OPT_WSCALE: /* RFC 7323 §2.2: length 3 */
			if (o.len != 3) {
				out->malformed = true;
				break;
			}
			out->has_wscale = true;
			out->wscale = bytes_u8(&o.data);
			break;
		case TCP_OPT_SACK_PERMITTED: /* RFC 2018 §2: length 2 */
			if (o.len != 2) {
				out->malformed = true;
				break;
			}
			out->sack_permitted = true;
			break;
		case TCP_OPT_SACK: /* RFC 2018 §3: 2 + 8 per block, n >= 1 */
			if (o.len < 10 || (o.len - 2) % 8 != 0) {
				out->malformed = true;
				break;
			}
			while (bytes_left(&o.data) &&
			       out->sack_count < TCP_MAX_SACK_BLOCKS) {
				struct tcp_sack_block *b =
					&out->sack[out->sack_count++];

				b->left = bytes_be32(&o.data);
				b->right = bytes_be32(&o.data);
			}
			break;
		case TCP_OPT_TIMESTAMPS: /* RFC 7323 §3.2: length 10 */
			if (o.len != 10) {
				out->malformed = true;
				break;
			}
			out->has_ts = true;
			out->ts_val = bytes_be32(&o.data);
			out->ts_ecr = bytes_be32(&o.data);
			break;
		default: /* NOP and unknown kinds: skipped by length */
			break;
		}
	}
	if (rc == TCP_OPTS_BAD)
		out->malformed = true;
	/* Cut or not, options after the captured bytes are unknown. */
	if (captured < len)
		out->truncated = true;
}
