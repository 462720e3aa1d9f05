/*
 * tcp_opts.c - the TCP option iterator and the parser that turns options
 * into struct tcp_options (see tcp_opts.h). Every read goes through the
 * bounds-checked cursor of bytes.h. The parser is one table: a row per
 * option kind it knows, with the length that kind must have and a handler
 * that stores its value; kinds not in the table are stepped over by their
 * length.
 */
#include "formats/wire/tcp_opts.h"

#include <string.h>

void tcp_opts_begin(struct tcp_opts_iter *it, const uint8_t *p, size_t len)
{
	tcp_opts_begin_cut(it, p, len, len);
}

void tcp_opts_begin_cut(struct tcp_opts_iter *it, const uint8_t *p, size_t len,
			size_t captured)
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

/* ---- the known kinds ---------------------------------------------------- */

/* Each handler gets the option's value bytes, whose length the table has
 * already checked, and stores what they say. */

static void opt_mss(struct bytes_cursor *val, struct tcp_options *out)
{
	out->has_mss = true;
	out->mss = bytes_be16(val);
}

static void opt_wscale(struct bytes_cursor *val, struct tcp_options *out)
{
	out->has_wscale = true;
	out->wscale = bytes_u8(val);
}

static void opt_sack_permitted(struct bytes_cursor *val,
			       struct tcp_options *out)
{
	(void)val;
	out->sack_permitted = true;
}

/* Blocks from here on, and from later SACK options, that find sack[] full
 * are not stored. */
static void opt_sack(struct bytes_cursor *val, struct tcp_options *out)
{
	while (bytes_left(val) && out->sack_count < TCP_MAX_SACK_BLOCKS) {
		struct tcp_sack_block *b = &out->sack[out->sack_count++];

		b->left = bytes_be32(val);
		b->right = bytes_be32(val);
	}
}

static void opt_timestamps(struct bytes_cursor *val, struct tcp_options *out)
{
	out->has_ts = true;
	out->ts_val = bytes_be32(val);
	out->ts_ecr = bytes_be32(val);
}

/* The length of a known kind: exactly len_min when len_step is 0, else
 * len_min plus any multiple of len_step. A known kind with another length
 * is malformed and not stored. */
struct tcp_opt_rule {
	uint8_t kind;
	uint8_t len_min;
	uint8_t len_step;
	void (*store)(struct bytes_cursor *val, struct tcp_options *out);
};

static const struct tcp_opt_rule tcp_opt_rules[] = {
	{TCP_OPT_MSS, 4, 0, opt_mss},                       /* RFC 9293 §3.2 */
	{TCP_OPT_WSCALE, 3, 0, opt_wscale},                 /* RFC 7323 §2.2 */
	{TCP_OPT_SACK_PERMITTED, 2, 0, opt_sack_permitted}, /* RFC 2018 §2 */
	{TCP_OPT_SACK, 10, 8,
	 opt_sack}, /* RFC 2018 §3: 2 + 8 per block, n >= 1 */
	{TCP_OPT_TIMESTAMPS, 10, 0, opt_timestamps}, /* RFC 7323 §3.2 */
};

static const struct tcp_opt_rule *tcp_opt_rule_find(uint8_t kind)
{
	for (size_t i = 0; i < sizeof(tcp_opt_rules) / sizeof(tcp_opt_rules[0]);
	     i++)
		if (tcp_opt_rules[i].kind == kind)
			return &tcp_opt_rules[i];
	return NULL;
}

static bool tcp_opt_len_ok(const struct tcp_opt_rule *r, uint8_t len)
{
	if (r->len_step == 0)
		return len == r->len_min;
	return len >= r->len_min && (len - r->len_min) % r->len_step == 0;
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
	/* Each option is at least one byte, so this ends within len steps.
	 * NOP and unknown kinds have no row: skipped by their length. */
	while ((rc = tcp_opts_next(&it, &o)) == 1) {
		const struct tcp_opt_rule *r = tcp_opt_rule_find(o.kind);

		if (!r)
			continue;
		if (!tcp_opt_len_ok(r, o.len))
			out->malformed = true;
		else
			r->store(&o.data, out);
	}
	if (rc == TCP_OPTS_BAD)
		out->malformed = true;
	/* Cut or not, options after the captured bytes are unknown. */
	if (captured < len)
		out->truncated = true;
}
