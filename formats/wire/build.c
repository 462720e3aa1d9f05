/*
 * build.c - TCP segments out as captured frames (see build.h).
 *
 * Layout written, outermost first: the link header as the link-type table
 * lays it out (Ethernet II, Linux cooked SLL or SLL2, BSD or OpenBSD
 * loopback, or nothing for raw IP), an IPv4 header without
 * options (RFC 791 §3.1) or an IPv6 header without extension headers
 * (RFC 8200 §3), then the TCP header (RFC 9293 §3.1) with the caller's
 * options padded with EOL to a 32-bit boundary, then the payload. Every write
 * goes through a cursor that refuses to pass the end of the caller's buffer.
 * MAC addresses are made up from the IP addresses (02:00 + last 4 bytes), so
 * the same host keeps the same MAC across a capture.
 */
#include "formats/wire/build.h"

#include <string.h>

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_IPV6 0x86dd
#define ARPHRD_ETHER_NUM 1
#define IPPROTO_TCP_NUM 6
#define NULL_AF_INET 2
#define NULL_AF_INET6 30 /* Darwin's value; libpcap accepts 24, 28 and 30 */

/* Bounds-checked output cursor: every put fails once the end is reached,
 * and a failed put leaves `ok` false for good. */
struct out_cursor {
	uint8_t *p;
	uint8_t *end;
	bool ok;
};

static bool out_cursor_room(struct out_cursor *c, size_t n)
{
	if (!c->ok || (size_t)(c->end - c->p) < n) {
		c->ok = false;
		return false;
	}
	return true;
}

static void out_cursor_u8(struct out_cursor *c, uint8_t v)
{
	if (out_cursor_room(c, 1))
		*c->p++ = v;
}

static void out_cursor_be16(struct out_cursor *c, uint16_t v)
{
	if (out_cursor_room(c, 2)) {
		c->p[0] = (uint8_t)(v >> 8);
		c->p[1] = (uint8_t)v;
		c->p += 2;
	}
}

static void out_cursor_be32(struct out_cursor *c, uint32_t v)
{
	if (out_cursor_room(c, 4)) {
		c->p[0] = (uint8_t)(v >> 24);
		c->p[1] = (uint8_t)(v >> 16);
		c->p[2] = (uint8_t)(v >> 8);
		c->p[3] = (uint8_t)v;
		c->p += 4;
	}
}

static void out_cursor_bytes(struct out_cursor *c, const void *src, size_t n)
{
	if (out_cursor_room(c, n)) {
		memcpy(c->p, src, n);
		c->p += n;
	}
}

static void put_be16_at(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* ---- options ---- */

static int opt_append(struct build_opts *o, const uint8_t *bytes, size_t len)
{
	if (len > (size_t)(BUILD_MAX_OPT_BYTES - o->len))
		return -1;
	memcpy(o->bytes + o->len, bytes, len);
	o->len = (uint8_t)(o->len + len);
	return 0;
}

int build_opt_nop(struct build_opts *o)
{
	const uint8_t b[] = {1};
	return opt_append(o, b, sizeof(b));
}

int build_opt_eol(struct build_opts *o)
{
	const uint8_t b[] = {0};
	return opt_append(o, b, sizeof(b));
}

int build_opt_mss(struct build_opts *o, uint16_t mss)
{
	const uint8_t b[] = {2, 4, (uint8_t)(mss >> 8), (uint8_t)mss};
	return opt_append(o, b, sizeof(b));
}

int build_opt_wscale(struct build_opts *o, uint8_t shift)
{
	const uint8_t b[] = {3, 3, shift};
	return opt_append(o, b, sizeof(b));
}

int build_opt_sack_permitted(struct build_opts *o)
{
	const uint8_t b[] = {4, 2};
	return opt_append(o, b, sizeof(b));
}

int build_opt_timestamps(struct build_opts *o, uint32_t val, uint32_t ecr)
{
	const uint8_t b[] = {8,
			     10,
			     (uint8_t)(val >> 24),
			     (uint8_t)(val >> 16),
			     (uint8_t)(val >> 8),
			     (uint8_t)val,
			     (uint8_t)(ecr >> 24),
			     (uint8_t)(ecr >> 16),
			     (uint8_t)(ecr >> 8),
			     (uint8_t)ecr};
	return opt_append(o, b, sizeof(b));
}

int build_opt_sack(struct build_opts *o, const struct tcp_sack_block *blocks,
		   unsigned count)
{
	uint8_t b[2 + 8 * TCP_MAX_SACK_BLOCKS];
	size_t n = 0;

	if (count < 1 || count > TCP_MAX_SACK_BLOCKS)
		return -1;
	b[n++] = 5;
	b[n++] = (uint8_t)(2 + 8 * count);
	for (unsigned i = 0; i < count; i++) {
		const uint32_t edges[2] = {blocks[i].left, blocks[i].right};
		for (int e = 0; e < 2; e++) {
			b[n++] = (uint8_t)(edges[e] >> 24);
			b[n++] = (uint8_t)(edges[e] >> 16);
			b[n++] = (uint8_t)(edges[e] >> 8);
			b[n++] = (uint8_t)edges[e];
		}
	}
	return opt_append(o, b, n);
}

int build_opt_raw(struct build_opts *o, const uint8_t *bytes, size_t len)
{
	return opt_append(o, bytes, len);
}

/* ---- checksums ---- */

static uint64_t sum_words(uint64_t sum, const uint8_t *data, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)data[i] << 8 | data[i + 1];
	if (i < len)
		sum += (uint32_t)data[i] << 8;
	return sum;
}

static uint16_t fold_complement(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint16_t build_checksum(uint32_t sum, const uint8_t *data, size_t len)
{
	return fold_complement(sum_words(sum, data, len));
}

/* ---- frames ---- */

/* The row of `link` when the builder writes its header, else NULL. */
static const struct linktype *build_linktype(enum build_link link)
{
	const struct linktype *lt = linktype_find((int)link);

	if (!lt)
		return NULL;
	switch (lt->hdr) {
	case LINKHDR_IP:
	case LINKHDR_IPV4:
	case LINKHDR_IPV6:
	case LINKHDR_ETHERNET:
	case LINKHDR_SLL:
	case LINKHDR_SLL2:
	case LINKHDR_AF_HOST:
	case LINKHDR_AF_NET:
		return lt;
	case LINKHDR_NFLOG:
	case LINKHDR_IPOIB:
		break;
	}
	return NULL;
}

int build_link_dlt(enum build_link link)
{
	const struct linktype *lt = build_linktype(link);

	return lt ? lt->dlt : -1;
}

uint8_t build_pattern_byte(uint32_t seq)
{
	/* Printable and varying, so a hex dump shows where a segment starts. */
	return (uint8_t)('a' + seq % 26);
}

static void fake_mac(uint8_t mac[6], const struct build_segment *seg,
		     const uint8_t *addr)
{
	const uint8_t *tail = seg->tuple.ip_version == 4 ? addr : addr + 12;

	mac[0] = 0x02;
	mac[1] = 0x00;
	memcpy(mac + 2, tail, 4);
}

/* The link header of row lt; false when it cannot carry this segment (raw
 * IPv4 or IPv6 of the other version). */
static bool put_link(struct out_cursor *c, const struct linktype *lt,
		     const struct build_segment *seg)
{
	uint16_t ethertype =
		seg->tuple.ip_version == 4 ? ETHERTYPE_IPV4 : ETHERTYPE_IPV6;
	uint32_t af = seg->tuple.ip_version == 4 ? NULL_AF_INET : NULL_AF_INET6;
	static const uint8_t pad[2] = {0, 0};
	uint8_t smac[6], dmac[6];

	fake_mac(smac, seg, seg->tuple.src);
	fake_mac(dmac, seg, seg->tuple.dst);
	switch (lt->hdr) {
	case LINKHDR_IP:
		return true;
	case LINKHDR_IPV4:
		return seg->tuple.ip_version == 4;
	case LINKHDR_IPV6:
		return seg->tuple.ip_version == 6;
	case LINKHDR_ETHERNET:
		out_cursor_bytes(c, dmac, 6);
		out_cursor_bytes(c, smac, 6);
		out_cursor_be16(c, ethertype);
		return true;
	case LINKHDR_SLL:
		out_cursor_be16(c, seg->outgoing ? 4 : 0); /* packet type */
		out_cursor_be16(c, ARPHRD_ETHER_NUM);
		out_cursor_be16(c, 6); /* address length */
		out_cursor_bytes(c, smac, 6);
		out_cursor_bytes(c, pad, 2);
		out_cursor_be16(c, ethertype);
		return true;
	case LINKHDR_SLL2:
		out_cursor_be16(c, ethertype);
		out_cursor_bytes(c, pad, 2); /* reserved */
		out_cursor_be32(c, 1);       /* interface index */
		out_cursor_be16(c, ARPHRD_ETHER_NUM);
		out_cursor_u8(c, seg->outgoing ? 4 : 0); /* packet type */
		out_cursor_u8(c, 6);                     /* address length */
		out_cursor_bytes(c, smac, 6);
		out_cursor_bytes(c, pad, 2);
		return true;
	case LINKHDR_AF_HOST:
		/* The family in the capturing host's byte order (ours). */
		out_cursor_bytes(c, &af, sizeof(af));
		return true;
	case LINKHDR_AF_NET:
		out_cursor_be32(c, af);
		return true;
	case LINKHDR_NFLOG:
	case LINKHDR_IPOIB:
		break;
	}
	return false;
}

int build_segment(const struct build_segment *seg, uint8_t *buf, size_t buflen,
		  size_t *frame_len)
{
	struct out_cursor c = {buf, buf + buflen, true};
	size_t opt_padded = ((size_t)seg->opts.len + 3) & ~(size_t)3;
	size_t tcp_hdr = 20 + opt_padded;
	size_t tcp_len = tcp_hdr + seg->payload_bytes;
	size_t addr_len = seg->tuple.ip_version == 4 ? 4 : 16;
	const struct linktype *lt = build_linktype(seg->link);
	uint8_t *ip_start, *tcp_start;
	uint64_t sum;

	*frame_len = 0;
	if (seg->tuple.ip_version != 4 && seg->tuple.ip_version != 6)
		return -1;
	if (!lt || seg->opts.len > BUILD_MAX_OPT_BYTES)
		return -1;
	if (seg->tuple.ip_version == 4 ? tcp_len + 20 > 65535 : tcp_len > 65535)
		return -1;

	if (!put_link(&c, lt, seg))
		return -1;
	ip_start = c.p;
	if (seg->tuple.ip_version == 4) {
		/* RFC 791 §3.1; the checksum is filled in below. */
		out_cursor_u8(&c, 0x45);
		out_cursor_u8(&c, 0);
		out_cursor_be16(
			&c, seg->ip_len_zero ? 0 : (uint16_t)(20 + tcp_len));
		out_cursor_be16(&c, seg->ip_id);
		out_cursor_be16(&c, seg->no_df ? 0 : 0x4000);
		out_cursor_u8(&c, seg->ttl ? seg->ttl : 64);
		out_cursor_u8(&c, IPPROTO_TCP_NUM);
		out_cursor_be16(&c, 0);
	} else {
		/* RFC 8200 §3: version 6, traffic class 0, flow label 0. */
		out_cursor_be32(&c, 0x60000000u);
		out_cursor_be16(&c, (uint16_t)tcp_len);
		out_cursor_u8(&c, IPPROTO_TCP_NUM);
		out_cursor_u8(&c, seg->ttl ? seg->ttl : 64);
	}
	out_cursor_bytes(&c, seg->tuple.src, addr_len);
	out_cursor_bytes(&c, seg->tuple.dst, addr_len);
	if (!c.ok)
		return -1;
	if (seg->tuple.ip_version == 4)
		put_be16_at(ip_start + 10, build_checksum(0, ip_start, 20));

	/* RFC 9293 §3.1: the header, checksum zero until summed. */
	tcp_start = c.p;
	out_cursor_be16(&c, seg->tuple.sport);
	out_cursor_be16(&c, seg->tuple.dport);
	out_cursor_be32(&c, seg->seq);
	out_cursor_be32(&c, seg->ack);
	out_cursor_be16(&c,
			(uint16_t)((tcp_hdr / 4) << 12 | (seg->flags & 0x1ff)));
	out_cursor_be16(&c, seg->window);
	out_cursor_be16(&c, 0);
	out_cursor_be16(&c, seg->urg_ptr);
	out_cursor_bytes(&c, seg->opts.bytes, seg->opts.len);
	for (size_t i = seg->opts.len; i < opt_padded; i++)
		out_cursor_u8(&c, 0); /* EOL, then zero padding */
	if (seg->payload) {
		out_cursor_bytes(&c, seg->payload, seg->payload_bytes);
	} else if (out_cursor_room(&c, seg->payload_bytes)) {
		for (uint32_t i = 0; i < seg->payload_bytes; i++)
			*c.p++ = build_pattern_byte(seg->seq + i);
	}
	if (!c.ok)
		return -1;

	/* Pseudo-header: RFC 9293 §3.1 (IPv4), RFC 8200 §8.1 (IPv6). */
	sum = sum_words(0, seg->tuple.src, addr_len);
	sum = sum_words(sum, seg->tuple.dst, addr_len);
	sum += IPPROTO_TCP_NUM;
	sum += (uint32_t)tcp_len; /* a 32-bit length for IPv6; < 65536 here */
	sum = sum_words(sum, tcp_start, tcp_len);
	put_be16_at(tcp_start + 16, fold_complement(sum));

	*frame_len = (size_t)(c.p - buf);
	return 0;
}
