/*
 * decode.c - link layer -> IPv4/IPv6 -> TCP for one captured frame (see
 * decode.h).
 *
 * Every field is read through the accessors of bytes.h (no byte of the
 * frame is touched here otherwise), over a cursor whose end is the captured
 * length or, once an enclosing header has said how long its payload is, the
 * smaller of the two. A read that does not fit fails the cursor and reads
 * 0, so a header's fixed fields are read in a run and the cursor checked
 * once. The link header is found through the link-type table (linktype.h):
 * the row's fixed header is split off first, then its layout says where
 * the network layer is. Alongside the cursor the decoder tracks where the
 * bytes on the wire end (wire_end), so that a header claiming more than the
 * frame had on the wire is invalid while a frame cut by the snaplen is only
 * short of captured bytes: payload_bytes comes from the IP length,
 * payload_captured from what is there. Running out of captured bytes inside
 * a header is TRUNCATED, except in the TCP options: a segment whose fixed
 * header is captured decodes, with opt.truncated and only the options
 * wholly captured. Fields that contradict each other are INVALID.
 * Tunnels are unwrapped by the section of that name below: each one
 * entered sets its bit in view->tunnels, and entering more than
 * DECODE_MAX_TUNNELS is DK_TUNNEL_DEPTH, which also bounds the recursion.
 * The decoder keeps no state, allocates nothing, prints nothing, and every
 * loop is bounded (VLAN and VN-Tag tags, MPLS labels, IPv6 extension
 * headers, NFLOG TLVs, GRE source routes, GTP-U extension headers).
 */
#include "formats/wire/decode.h"

#include <string.h>

#include "formats/wire/bytes.h"
#include "formats/wire/linktype.h"
#include "formats/wire/tcp_opts.h"

/* Ethertypes (IEEE 802 numbers, IANA "ieee-802-numbers"). */
enum {
	ET_IPV4 = 0x0800,
	ET_ARP = 0x0806,
	ET_VLAN = 0x8100, /* IEEE 802.1Q C-tag */
	ET_IPV6 = 0x86dd,
	ET_MPLS = 0x8847,
	ET_MPLS_MC = 0x8848,
	ET_PPPOE_DISC = 0x8863,
	ET_PPPOE_SESS = 0x8864, /* RFC 2516 §4 */
	ET_QINQ = 0x88a8,       /* IEEE 802.1ad S-tag */
	ET_QINQ_OLD = 0x9100,   /* pre-standard stacked tag */
	ET_ERSPAN_3 = 0x22eb,   /* ERSPAN type III, in GRE */
	ET_TEB = 0x6558,        /* transparent Ethernet bridging (RFC 1701) */
	ET_PPP = 0x880b,        /* PPP, in PPTP's GRE (RFC 2637 §4.1) */
	ET_ERSPAN_1_2 = 0x88be, /* ERSPAN types I and II, in GRE */
	ET_PBB = 0x88e7,        /* IEEE 802.1ah backbone service instance tag */
	ET_VNTAG = 0x8926,      /* Cisco VN-Tag */
	ET_MAX_LEN = 1500,      /* values up to this are 802.3 lengths */
	ET_MIN_TYPE = 0x0600,
};

/* IP protocol numbers (IANA "protocol-numbers"). */
enum {
	IPP_HOPOPTS = 0,
	IPP_ICMP = 1,
	IPP_IPIP = 4,
	IPP_TCP = 6,
	IPP_UDP = 17,
	IPP_IPV6 = 41,
	IPP_ROUTING = 43,
	IPP_FRAGMENT = 44,
	IPP_GRE = 47,
	IPP_AH = 51,
	IPP_ICMPV6 = 58,
	IPP_DSTOPTS = 60,
	IPP_MOBILITY = 135,
	IPP_HIP = 139,
	IPP_SHIM6 = 140,
};

#define DECODE_MAX_VLAN_TAGS 8   /* stacked 802.1Q/802.1ad tags */
#define DECODE_MAX_MPLS_LABELS 8 /* MPLS label stack entries */
#define DECODE_MAX_IPV6_EXT 8    /* IPv6 extension headers before giving up */
#define DECODE_MAX_NFLOG_TLVS 64 /* NFLOG TLVs before the payload */
#define DECODE_MAX_TUNNELS 4     /* tunnel headers, nested */
#define DECODE_MAX_GRE_SRES 16   /* RFC 1701 source route entries */
#define DECODE_MAX_GTP_EXT 16    /* GTP-U extension headers */

struct dctx {
	const uint8_t *base; /* first byte of the frame */
	uint64_t wire_end; /* offset from base where the bytes on the wire end,
				as far as the enclosing header says */
	struct pkt_view *v;
	enum decode_kind kind;
	unsigned depth;   /* IP headers entered */
	unsigned tunnels; /* tunnel headers entered */
	bool first_frag;  /* the IP packet is a first fragment (MF set) */
};

static enum decode_result dset(struct dctx *d, enum decode_result r,
			       enum decode_kind k)
{
	d->kind = k;
	return r;
}

static uint64_t doff(const struct dctx *d, const struct bytes_cursor *c)
{
	return (uint64_t)(c->p - d->base);
}

/* Bytes the wire had from the cursor on. */
static uint64_t wire_left(const struct dctx *d, const struct bytes_cursor *c)
{
	uint64_t off = doff(d, c);

	return d->wire_end > off ? d->wire_end - off : 0;
}

/* An enclosing header says its payload is n bytes from here: the cursor
 * and the wire both end there (n has been checked against wire_left). */
static void dlimit(struct dctx *d, struct bytes_cursor *c, uint64_t n)
{
	bytes_limit(c, (size_t)n);
	d->wire_end = doff(d, c) + n;
}

/* The frame is in a tunnel of kind t: noted on the view. False when that
 * is one tunnel more than DECODE_MAX_TUNNELS (the caller stops there). */
static bool tunnel_enter(struct dctx *d, enum decode_tunnel t)
{
	d->v->tunnels |= (uint16_t)(1u << t);
	return ++d->tunnels <= DECODE_MAX_TUNNELS;
}

/* Whether the next n bytes of a tunnel header are there. When they are
 * not, *r is the answer: INVALID when the enclosing header left fewer on
 * the wire, TRUNCATED when only the capture is short of them. */
static bool tunnel_has(struct dctx *d, const struct bytes_cursor *c, uint64_t n,
		       enum decode_result *r)
{
	if (wire_left(d, c) < n) {
		*r = dset(d, DECODE_INVALID, DK_BAD_TUNNEL);
		return false;
	}
	if (!bytes_has(c, (size_t)n)) {
		*r = dset(d, DECODE_TRUNCATED, DK_TRUNC_TUNNEL);
		return false;
	}
	return true;
}

static enum decode_result decode_ethertype(struct dctx *d,
					   struct bytes_cursor *c,
					   uint16_t type);
static enum decode_result decode_ip_any(struct dctx *d, struct bytes_cursor *c);
static enum decode_result decode_ipv4(struct dctx *d, struct bytes_cursor *c);
static enum decode_result decode_ipv6(struct dctx *d, struct bytes_cursor *c);
static enum decode_result decode_gre(struct dctx *d, struct bytes_cursor *c,
				     enum decode_tunnel kind);
static enum decode_result decode_udp(struct dctx *d, struct bytes_cursor *c,
				     uint64_t len);
static enum decode_result decode_ethernet(struct dctx *d,
					  struct bytes_cursor *h,
					  struct bytes_cursor *c);

/* ---- TCP ---------------------------------------------------------------- */

/* The TCP header and its payload: seg_len bytes on the wire from c->p, as
 * the IP header says. */
static enum decode_result decode_tcp(struct dctx *d, struct bytes_cursor *c,
				     uint64_t seg_len)
{
	struct pkt_view *v = d->v;
	struct bytes_cursor h;
	size_t hlen, opt_len;

	/* RFC 9293 §3.1: the fixed header is 20 bytes. An IP length too small
	 * to hold it is a bad IP length, unless this is a first fragment
	 * whose header continues in the next one. */
	if (seg_len < 20) {
		if (d->first_frag)
			return dset(d, DECODE_FRAGMENT, DK_IP_FRAGMENT);
		return dset(d, DECODE_INVALID,
			    v->tuple.ip_version == 4 ? DK_BAD_IPV4_LEN
						     : DK_BAD_IPV6_LEN);
	}
	if (!bytes_has(c, 20))
		return dset(d, DECODE_TRUNCATED, DK_TRUNC_TCP);
	/* RFC 9293 §3.1: Data Offset counts 32-bit words, at least 5. */
	hlen = (size_t)(bytes_u8_at(c, 12) >> 4) * 4;
	if (hlen < 20)
		return dset(d, DECODE_INVALID, DK_BAD_TCP_OFFSET);
	if (hlen > seg_len) {
		if (d->first_frag)
			return dset(d, DECODE_FRAGMENT, DK_IP_FRAGMENT);
		return dset(d, DECODE_INVALID, DK_BAD_TCP_OFFSET);
	}

	/* The fixed header as a piece of its own: its reads are at constant
	 * offsets within a known length, which the compiler checks once. */
	bytes_take(c, 20, &h);
	v->tuple.sport = bytes_be16(&h);
	v->tuple.dport = bytes_be16(&h);
	v->seq = bytes_be32(&h);
	v->ack = bytes_be32(&h);
	/* RFC 9293 §3.1 control bits after Data Offset and 3 reserved bits;
	 * RFC 9768 AE is the last of those 4 bits. */
	v->flags = bytes_be16(&h) & 0x01ff;
	v->window = bytes_be16(&h);
	/* then checksum and urgent pointer, not read */
	if (!bytes_ok(&h)) /* cannot fail: 20 bytes were there */
		return dset(d, DECODE_TRUNCATED, DK_TRUNC_TCP);
	v->payload_bytes = (uint32_t)(seg_len - hlen);
	opt_len = hlen - 20;
	if (bytes_has(c, opt_len)) {
		struct bytes_cursor opts;
		size_t cap;

		bytes_take(c, opt_len, &opts);
		tcp_opts_parse(opts.p, opt_len, &v->opt);
		cap = bytes_left(c);
		v->payload_captured =
			(uint32_t)(cap < v->payload_bytes ? cap
							  : v->payload_bytes);
		v->payload = c->p;
	} else {
		/* The snaplen cut the options: the fixed header, the IP length
		 * and so the sequence space are all there, which is what the
		 * analysis needs. Parse the options wholly captured, read
		 * nothing past the capture, and keep the segment. hlen fits in
		 * the wire (seg_len), so the capture is shorter than the wire:
		 * a snaplen cut. */
		tcp_opts_parse_cut(c->p, opt_len, bytes_left(c),
				   &v->opt); /* sets opt.truncated */
		v->snap_cut = true;
		v->payload_captured = 0;
		v->payload = c->end;
	}
	if (v->opt.malformed)
		return dset(d, DECODE_TCP, DK_BAD_TCP_OPTION);
	return dset(d, DECODE_TCP, DK_NONE);
}

/* ---- IP ----------------------------------------------------------------- */

/* What follows an IP header: `len` bytes of protocol `proto` at c->p. */
static enum decode_result decode_ip_payload(struct dctx *d,
					    struct bytes_cursor *c,
					    uint8_t proto, uint64_t len)
{
	switch (proto) {
	case IPP_TCP:
		return decode_tcp(d, c, len);
	case IPP_UDP:
		return decode_udp(d, c, len);
	case IPP_ICMP:
		return dset(d, DECODE_NOT_TCP, DK_ICMP);
	case IPP_ICMPV6:
		return dset(d, DECODE_NOT_TCP, DK_ICMPV6);
	case IPP_IPIP: /* RFC 2003 IP in IP */
	case IPP_IPV6: /* RFC 4213 §3.5 IPv6 in IPv4 (and RFC 2473) */
		/* The inner packet is what tshark dissects as TCP. A later
		 * fragment of the outer packet never gets here; a first one
		 * holds only the start of the inner packet. */
		if (d->first_frag)
			return dset(d, DECODE_NOT_TCP, DK_IP_OTHER);
		if (!tunnel_enter(d, TUN_IPIP))
			return dset(d, DECODE_INVALID, DK_TUNNEL_DEPTH);
		return decode_ip_any(d, c);
	case IPP_GRE: /* RFC 2784 */
		if (d->first_frag)
			return dset(d, DECODE_NOT_TCP, DK_IP_OTHER);
		return decode_gre(d, c, TUN_GRE);
	default:
		return dset(d, DECODE_NOT_TCP, DK_IP_OTHER);
	}
}

/* The first IP header of the frame is where the network layer starts. */
static void note_net_offset(struct dctx *d, const struct bytes_cursor *c)
{
	if (d->depth == 0)
		d->v->net_offset = (uint32_t)doff(d, c);
}

static enum decode_result decode_ipv4(struct dctx *d, struct bytes_cursor *c)
{
	struct pkt_view *v = d->v;
	uint64_t wire = wire_left(d, c);
	uint64_t total;
	struct bytes_cursor h;
	size_t hlen;
	uint16_t frag;
	uint8_t vihl, proto;

	note_net_offset(d, c);
	d->depth++;
	/* RFC 791 §3.1: Version 4. */
	if (!bytes_has(c, 1))
		return dset(d, DECODE_TRUNCATED, DK_TRUNC_IPV4);
	vihl = bytes_u8_at(c, 0);
	if (vihl >> 4 != 4)
		return dset(d, DECODE_INVALID, DK_BAD_IP_VERSION);
	if (!bytes_has(c, 20))
		return dset(d, DECODE_TRUNCATED, DK_TRUNC_IPV4);
	/* RFC 791 §3.1: IHL counts 32-bit words, minimum 5. */
	hlen = (size_t)(vihl & 0x0f) * 4;
	if (hlen < 20 || hlen > wire)
		return dset(d, DECODE_INVALID, DK_BAD_IPV4_HLEN);
	if (!bytes_has(c, hlen))
		return dset(d, DECODE_TRUNCATED, DK_TRUNC_IPV4);
	/* version/IHL, TOS, total length, id, flags/offset, TTL, protocol,
	 * checksum, source, destination: the fixed 20 bytes as a piece of
	 * their own (as for TCP); the options after them are skipped */
	bytes_take(c, 20, &h);
	bytes_skip(c, hlen - 20);
	bytes_skip(&h, 2);
	total = bytes_be16(&h);
	bytes_skip(&h, 2);
	frag = bytes_be16(&h);
	bytes_skip(&h, 1);
	proto = bytes_u8(&h);
	bytes_skip(&h, 2);
	/* RFC 791 §3.1: Total Length includes the header. 0 never appears on
	 * a wire, but a capture taken before TCP segmentation offload or with
	 * Linux BIG TCP shows it for super-packets: the frame gives the
	 * length then. Otherwise it may not claim more than the wire had. */
	if (total == 0) {
		total = wire;
		v->ip_len_from_wire = true;
	} else if (total < hlen || total > wire) {
		return dset(d, DECODE_INVALID, DK_BAD_IPV4_LEN);
	}
	v->tuple.ip_version = 4;
	memset(v->tuple.src, 0, sizeof(v->tuple.src));
	memset(v->tuple.dst, 0, sizeof(v->tuple.dst));
	bytes_copy(&h, v->tuple.src, 4);
	bytes_copy(&h, v->tuple.dst, 4);
	if (!bytes_ok(&h)) /* cannot fail: 20 bytes were there */
		return dset(d, DECODE_TRUNCATED, DK_TRUNC_IPV4);
	/* RFC 791 §3.2: a non-zero Fragment Offset means the TCP header is in
	 * an earlier fragment; More Fragments with offset 0 is the first. */
	if ((frag & 0x1fff) != 0)
		return dset(d, DECODE_FRAGMENT, DK_IP_FRAGMENT);
	if (frag & 0x2000)
		d->first_frag = true;
	dlimit(d, c, total - hlen);
	return decode_ip_payload(d, c, proto, total - hlen);
}

/* RFC 2675 §2: the Jumbo Payload option inside a hop-by-hop header whose
 * options are the bytes of c. Returns true and *jumbo when found. */
static bool ipv6_find_jumbo(struct bytes_cursor c, uint32_t *jumbo)
{
	/* RFC 8200 §4.2: Pad1 is one byte, every other option is TLV. */
	while (bytes_left(&c)) {
		uint8_t type = bytes_u8(&c), olen;

		if (type == 0)
			continue;
		olen = bytes_u8(&c);
		if (!bytes_ok(&c) || !bytes_has(&c, olen))
			return false;
		if (type == 0xc2 && olen == 4) {
			*jumbo = bytes_be32(&c);
			return bytes_ok(&c);
		}
		bytes_skip(&c, olen);
	}
	return false;
}

static enum decode_result decode_ipv6(struct dctx *d, struct bytes_cursor *c)
{
	struct pkt_view *v = d->v;
	uint64_t wire = wire_left(d, c);
	struct bytes_cursor h;
	uint64_t plen;
	bool plen_zero;
	uint8_t nh;

	note_net_offset(d, c);
	d->depth++;
	/* RFC 8200 §3: Version 6, fixed 40-byte header. */
	if (!bytes_has(c, 1))
		return dset(d, DECODE_TRUNCATED, DK_TRUNC_IPV6);
	if (bytes_u8_at(c, 0) >> 4 != 6)
		return dset(d, DECODE_INVALID, DK_BAD_IP_VERSION);
	if (!bytes_take(c, 40, &h))
		return dset(d, DECODE_TRUNCATED, DK_TRUNC_IPV6);
	/* version/class/flow label, payload length, next header, hop limit,
	 * source, destination */
	bytes_skip(&h, 4);
	plen = bytes_be16(&h);
	nh = bytes_u8(&h);
	bytes_skip(&h, 1);
	bytes_copy(&h, v->tuple.src, 16);
	bytes_copy(&h, v->tuple.dst, 16);
	if (!bytes_ok(&h)) /* cannot fail: 40 bytes were there */
		return dset(d, DECODE_TRUNCATED, DK_TRUNC_IPV6);
	v->tuple.ip_version = 6;
	wire = wire > 40 ? wire - 40 : 0;
	/* RFC 8200 §3: Payload Length excludes the fixed header and may not
	 * claim more than the wire had. 0 means a jumbogram (RFC 2675), whose
	 * length is in the hop-by-hop header, or a BIG TCP / TSO super-packet
	 * captured without one: the frame gives the length then. */
	plen_zero = plen == 0;
	if (plen_zero) {
		plen = wire;
		v->ip_len_from_wire = true;
	} else if (plen > wire) {
		return dset(d, DECODE_INVALID, DK_BAD_IPV6_LEN);
	}
	dlimit(d, c, plen);

	/* RFC 8200 §4: the extension header chain, bounded. */
	for (unsigned n = 0;; n++) {
		struct bytes_cursor e =
			*c; /* this header, read without moving */
		uint8_t next, hlen_field;
		uint64_t ext_len;
		uint16_t fo;

		switch (nh) {
		case IPP_HOPOPTS:  /* RFC 8200 §4.3 */
		case IPP_ROUTING:  /* RFC 8200 §4.4 */
		case IPP_FRAGMENT: /* RFC 8200 §4.5 */
		case IPP_DSTOPTS:  /* RFC 8200 §4.6 */
		case IPP_AH:       /* RFC 4302 §2 */
		case IPP_MOBILITY: /* RFC 6275 §6.1.1 */
		case IPP_HIP:      /* RFC 7401 §5.1 */
		case IPP_SHIM6:    /* RFC 5533 §5.1 */
			break;
		default:
			/* The upper layer gets what the IP length leaves. */
			return decode_ip_payload(d, c, nh, wire_left(d, c));
		}
		if (n >= DECODE_MAX_IPV6_EXT)
			return dset(d, DECODE_INVALID, DK_IPV6_EXT_CHAIN);
		/* Every extension header starts with Next Header and a length:
		 * (len + 1) * 8 bytes (RFC 8200 §4), (len + 2) * 4 for AH
		 * (RFC 4302 §2.2), always 8 for Fragment (RFC 8200 §4.5). */
		if (wire_left(d, c) < 2)
			return dset(d, DECODE_INVALID, DK_BAD_IPV6_LEN);
		next = bytes_u8_at(&e, 0);
		hlen_field = bytes_u8_at(&e, 1);
		if (!bytes_ok(&e))
			return dset(d, DECODE_TRUNCATED, DK_TRUNC_IPV6_EXT);
		if (nh == IPP_FRAGMENT)
			ext_len = 8;
		else if (nh == IPP_AH)
			ext_len = ((uint64_t)hlen_field + 2) * 4;
		else
			ext_len = ((uint64_t)hlen_field + 1) * 8;
		if (ext_len > wire_left(d, c))
			return dset(d, DECODE_INVALID, DK_BAD_IPV6_LEN);
		if (!bytes_has(c, ext_len))
			return dset(d, DECODE_TRUNCATED, DK_TRUNC_IPV6_EXT);
		bytes_limit(&e, ext_len);
		if (nh == IPP_HOPOPTS && n == 0 && plen_zero) {
			struct bytes_cursor opts = e;
			uint32_t jumbo;

			bytes_skip(&opts, 2);
			if (ipv6_find_jumbo(opts, &jumbo)) {
				/* RFC 2675 §2: the jumbo length excludes the
				 * fixed header and must fit in the frame. */
				if (jumbo > plen)
					return dset(d, DECODE_INVALID,
						    DK_BAD_IPV6_LEN);
				v->ip_len_from_wire = false;
				plen = jumbo;
				dlimit(d, c, plen);
				if (ext_len > plen)
					return dset(d, DECODE_INVALID,
						    DK_BAD_IPV6_LEN);
			}
		}
		if (nh == IPP_FRAGMENT) {
			/* RFC 8200 §4.5: offset in 8-byte units, M flag. An
			 * atomic fragment (0, M=0) is the whole packet. */
			fo = bytes_be16_at(&e, 2);
			if (!bytes_ok(&e))
				return dset(d, DECODE_TRUNCATED,
					    DK_TRUNC_IPV6_EXT);
			if ((fo >> 3) != 0)
				return dset(d, DECODE_FRAGMENT, DK_IP_FRAGMENT);
			if (fo & 1)
				d->first_frag = true;
		}
		nh = next;
		bytes_skip(c, ext_len);
	}
}

/* Raw IP: the version nibble says which. */
static enum decode_result decode_ip_any(struct dctx *d, struct bytes_cursor *c)
{
	uint8_t b;

	if (!bytes_has(c, 1))
		return dset(d, DECODE_TRUNCATED, DK_TRUNC_IPV4);
	b = bytes_u8_at(c, 0);
	switch (b >> 4) {
	case 4:
		return decode_ipv4(d, c);
	case 6:
		return decode_ipv6(d, c);
	default:
		return dset(d, DECODE_INVALID, DK_BAD_IP_VERSION);
	}
}

/* ---- link layers -------------------------------------------------------- */

/* A PPP frame (RFC 1661 §2): the protocol, then the packet. With `hdlc`
 * the frame may start with the HDLC address and control bytes 0xff 0x03
 * (RFC 1662 §3.1), which a sender that negotiated
 * Address-and-Control-Field-Compression leaves out (RFC 1661 §6.6). */
static enum decode_result decode_ppp(struct dctx *d, struct bytes_cursor *c,
				     bool hdlc)
{
	uint16_t proto;
	uint8_t b;

	if (hdlc && bytes_has(c, 1) && bytes_u8_at(c, 0) == 0xff) {
		if (bytes_u8_at(c, 1) == 0x03)
			bytes_skip(c, 2);
		if (!bytes_ok(c))
			return dset(d, DECODE_TRUNCATED, DK_TRUNC_LINK);
	}
	/* RFC 1661 §2 and §6.5: a protocol whose first byte is odd was sent
	 * compressed to that one byte (Protocol-Field-Compression). */
	b = bytes_u8(c);
	proto = b;
	if (!(b & 1))
		proto = (uint16_t)(proto << 8 | bytes_u8(c));
	if (!bytes_ok(c))
		return dset(d, DECODE_TRUNCATED, DK_TRUNC_LINK);
	switch (proto) {
	case 0x0021: /* RFC 1332 IPv4 */
		return decode_ipv4(d, c);
	case 0x0057: /* RFC 5072 IPv6 */
		return decode_ipv6(d, c);
	default:
		return dset(d, DECODE_NOT_TCP, DK_LINK_OTHER);
	}
}

/* RFC 2516 §4: PPPoE session header (ver/type 0x11, code 0, session id,
 * length of the PPP frame), then the PPP frame. */
static enum decode_result decode_pppoe(struct dctx *d, struct bytes_cursor *c)
{
	uint8_t vt, code;
	uint16_t len;

	vt = bytes_u8(c);
	code = bytes_u8(c);
	bytes_skip(c, 2); /* session id */
	len = bytes_be16(c);
	if (!bytes_ok(c))
		return dset(d, DECODE_TRUNCATED, DK_TRUNC_LINK);
	if (vt != 0x11 || code != 0 || len < 2 || len > wire_left(d, c))
		return dset(d, DECODE_INVALID, DK_BAD_LINK);
	dlimit(d, c, len);
	return decode_ppp(d, c, false);
}

/* RFC 3032 §2.1: label stack entries of 4 bytes (label 20 bits, traffic
 * class 3, Bottom of Stack 1, TTL 8) until Bottom of Stack; then (RFC 4385
 * §3) the first nibble tells IPv4, IPv6 or a pseudowire. */
static enum decode_result decode_mpls(struct dctx *d, struct bytes_cursor *c)
{
	uint8_t b;

	for (unsigned n = 0;; n++) {
		uint32_t entry;

		if (n >= DECODE_MAX_MPLS_LABELS)
			return dset(d, DECODE_INVALID, DK_BAD_LINK);
		entry = bytes_be32(c);
		if (!bytes_ok(c))
			return dset(d, DECODE_TRUNCATED, DK_TRUNC_LINK);
		if (entry & 0x100)
			break;
	}
	b = bytes_u8_at(c, 0);
	if (!bytes_ok(c))
		return dset(d, DECODE_TRUNCATED, DK_TRUNC_LINK);
	if (b >> 4 == 4 || b >> 4 == 6)
		return decode_ip_any(d, c);
	return dset(d, DECODE_NOT_TCP, DK_ETHERTYPE_OTHER);
}

/* IEEE 802.2 LLC; with SNAP (AA AA 03, OUI 00-00-00) an ethertype follows
 * (RFC 1042). */
static enum decode_result decode_llc(struct dctx *d, struct bytes_cursor *c)
{
	uint16_t oui_hi, type;
	uint8_t oui_lo;

	if (!bytes_has(c, 3))
		return dset(d, DECODE_TRUNCATED, DK_TRUNC_LINK);
	if (bytes_u8_at(c, 0) != 0xaa || bytes_u8_at(c, 1) != 0xaa ||
	    bytes_u8_at(c, 2) != 0x03)
		return dset(d, DECODE_NOT_TCP, DK_LINK_OTHER);
	bytes_skip(c, 3);
	oui_hi = bytes_be16(c);
	oui_lo = bytes_u8(c);
	type = bytes_be16(c);
	if (!bytes_ok(c))
		return dset(d, DECODE_TRUNCATED, DK_TRUNC_LINK);
	if (oui_hi != 0 || oui_lo != 0)
		return dset(d, DECODE_NOT_TCP, DK_LINK_OTHER);
	if (type < ET_MIN_TYPE)
		return dset(d, DECODE_NOT_TCP, DK_LINK_OTHER);
	return decode_ethertype(d, c, type);
}

static enum decode_result decode_pbb(struct dctx *d, struct bytes_cursor *c);

/* Dispatch on an ethertype, stepping over stacked VLAN tags (IEEE 802.1Q
 * §9.6: 2 bytes TCI, then the next ethertype) and VN-Tags, in any order. */
static enum decode_result decode_ethertype(struct dctx *d,
					   struct bytes_cursor *c,
					   uint16_t type)
{
	for (unsigned tags = 0;; tags++) {
		switch (type) {
		case ET_VLAN:
		case ET_QINQ:
		case ET_QINQ_OLD:
			if (tags >= DECODE_MAX_VLAN_TAGS)
				return dset(d, DECODE_INVALID, DK_BAD_LINK);
			bytes_skip(c, 2); /* TCI */
			type = bytes_be16(c);
			if (!bytes_ok(c))
				return dset(d, DECODE_TRUNCATED, DK_TRUNC_LINK);
			if (type <= ET_MAX_LEN)
				return decode_llc(d, c);
			continue;
		case ET_VNTAG:
			/* direction, pointer, destination and source virtual
			 * interface, looped, version: 4 bytes, then the next
			 * ethertype */
			d->v->tunnels |= (uint16_t)(1u << TUN_VNTAG);
			if (tags >= DECODE_MAX_VLAN_TAGS)
				return dset(d, DECODE_INVALID, DK_BAD_LINK);
			bytes_skip(c, 4);
			type = bytes_be16(c);
			if (!bytes_ok(c))
				return dset(d, DECODE_TRUNCATED,
					    DK_TRUNC_TUNNEL);
			continue;
		case ET_PBB:
			return decode_pbb(d, c);
		case ET_IPV4:
			return decode_ipv4(d, c);
		case ET_IPV6:
			return decode_ipv6(d, c);
		case ET_ARP:
			return dset(d, DECODE_NOT_TCP, DK_ARP);
		case ET_PPPOE_SESS:
			return decode_pppoe(d, c);
		case ET_MPLS:
		case ET_MPLS_MC:
			return decode_mpls(d, c);
		default:
			return dset(d, DECODE_NOT_TCP, DK_ETHERTYPE_OTHER);
		}
	}
}

/*
 * The link decoders: `h` is the row's fixed link header (linktype.h
 * hdr_bytes, all captured), `c` what follows it.
 */

/* IEEE 802.3 §3.1: destination, source, type/length. */
static enum decode_result decode_ethernet(struct dctx *d,
					  struct bytes_cursor *h,
					  struct bytes_cursor *c)
{
	uint16_t type = bytes_be16_at(h, 12);

	/* Values up to 1500 are an 802.3 length: an LLC frame follows. */
	if (type <= ET_MAX_LEN)
		return decode_llc(d, c);
	if (type < ET_MIN_TYPE)
		return dset(d, DECODE_NOT_TCP, DK_LINK_OTHER);
	return decode_ethertype(d, c, type);
}

/* The protocol field of a Linux cooked header (SLL and SLL2): an ethertype,
 * or below 0x0600 a Linux-specific value (0x0004 = 802.2 LLC follows). */
static enum decode_result decode_sll_proto(struct dctx *d,
					   struct bytes_cursor *c,
					   uint16_t arphrd, uint16_t proto)
{
	if (arphrd == 824) /* ARPHRD_NETLINK: proto is a netlink family */
		return dset(d, DECODE_NOT_TCP, DK_LINK_OTHER);
	if (proto >= ET_MIN_TYPE)
		return decode_ethertype(d, c, proto);
	if (proto == 0x0004)
		return decode_llc(d, c);
	return dset(d, DECODE_NOT_TCP, DK_LINK_OTHER);
}

/* libpcap "LINKTYPE_LINUX_SLL": packet type(2), ARPHRD(2), address
 * length(2), address(8), protocol(2). */
static enum decode_result decode_sll(struct dctx *d, struct bytes_cursor *h,
				     struct bytes_cursor *c)
{
	return decode_sll_proto(d, c, bytes_be16_at(h, 2),
				bytes_be16_at(h, 14));
}

/* libpcap "LINKTYPE_LINUX_SLL2": protocol(2), reserved(2), ifindex(4),
 * ARPHRD(2), packet type(1), address length(1), address(8). */
static enum decode_result decode_sll2(struct dctx *d, struct bytes_cursor *h,
				      struct bytes_cursor *c)
{
	return decode_sll_proto(d, c, bytes_be16_at(h, 8), bytes_be16_at(h, 0));
}

/* BSD loopback: a 4-byte address family in the byte order of the machine
 * that wrote it (DLT_NULL) or network order (DLT_LOOP). Families are small
 * numbers, so a value with high bits set is the other byte order. */
static enum decode_result decode_null(struct dctx *d, struct bytes_cursor *h,
				      struct bytes_cursor *c)
{
	uint32_t af = bytes_le32_at(h, 0);

	if (af & 0xffff0000u)
		af = bytes_be32_at(h, 0);
	switch (af) {
	case 2: /* AF_INET everywhere */
		return decode_ipv4(d, c);
	case 10: /* AF_INET6: Linux */
	case 23: /* Windows */
	case 24: /* NetBSD, OpenBSD, BSD/OS */
	case 28: /* FreeBSD, DragonFly BSD */
	case 30: /* macOS, iOS */
		return decode_ipv6(d, c);
	default:
		return dset(d, DECODE_NOT_TCP, DK_LINK_OTHER);
	}
}

/* libpcap "LINKTYPE_NFLOG": family(1), version(1), resource id(2), then
 * TLVs of length(2), type(2), value, each padded to 4 bytes. Length and type
 * are in the writer's byte order; the length counts the 4-byte TLV header.
 * Type 9 (NFULA_PAYLOAD) holds the IP packet. */
static enum decode_result decode_nflog(struct dctx *d, struct bytes_cursor *h,
				       struct bytes_cursor *c)
{
	uint8_t family = bytes_u8_at(h, 0);
	bool swap = false;

	for (unsigned n = 0; n < DECODE_MAX_NFLOG_TLVS; n++) {
		uint16_t len, type;
		uint64_t skip;

		/* No room for another TLV on the wire: no payload logged. */
		if (wire_left(d, c) < 4)
			return dset(d, DECODE_NOT_TCP, DK_LINK_OTHER);
		if (!bytes_has(c, 4))
			return dset(d, DECODE_TRUNCATED, DK_TRUNC_LINK);
		len = bytes_le16_at(c, 0);
		type = bytes_le16_at(c, 2);
		/* Types are small numbers: a first type with high bits set
		 * means the writer was big-endian. */
		if (n == 0 && (type & 0x3fff) > 0xff)
			swap = true;
		if (swap) {
			len = bytes_be16_at(c, 0);
			type = bytes_be16_at(c, 2);
		}
		if (len < 4 || len > wire_left(d, c))
			return dset(d, DECODE_INVALID, DK_BAD_LINK);
		if ((type & 0x3fff) == 9) {
			bytes_skip(c, 4); /* checked above */
			dlimit(d, c, len - 4u);
			switch (family) {
			case 2: /* AF_INET */
				return decode_ipv4(d, c);
			case 10: /* AF_INET6 */
				return decode_ipv6(d, c);
			default:
				return decode_ip_any(d, c);
			}
		}
		/* The last TLV may go without its padding. */
		skip = ((uint64_t)len + 3) & ~(uint64_t)3;
		if (skip > wire_left(d, c))
			skip = len;
		if (!bytes_skip(c, skip))
			return dset(d, DECODE_TRUNCATED, DK_TRUNC_LINK);
	}
	return dset(d, DECODE_INVALID, DK_BAD_LINK);
}

/* libpcap "LINKTYPE_IPOIB" as Linux writes it (and tcpdump and Wireshark
 * read it): 20-byte destination and 20-byte source hardware addresses, then
 * the RFC 4391 §6 encapsulation header, an ethertype and 2 reserved bytes. */
static enum decode_result decode_ipoib(struct dctx *d, struct bytes_cursor *h,
				       struct bytes_cursor *c)
{
	return decode_ethertype(d, c, bytes_be16_at(h, 40));
}

/* ---- tunnels ------------------------------------------------------------ */

/*
 * Each decoder below starts where its tunnel header starts and ends by
 * handing what the header carries to the decoder of that (an IP header, an
 * Ethernet frame, an ethertype). A header cut by the capture is TRUNCATED
 * with DK_TRUNC_TUNNEL, one that claims more than the enclosing length left
 * on the wire is INVALID with DK_BAD_TUNNEL, and a well-formed header that
 * carries nothing tcplint reads (a keepalive, an echo, an unknown version or
 * payload type) is NOT_TCP with DK_TUNNEL_OTHER.
 */

/* An Ethernet frame carried whole (IEEE 802.3 §3.1: destination, source,
 * type/length), as after transparent Ethernet bridging, VXLAN or ERSPAN. */
static enum decode_result decode_inner_ethernet(struct dctx *d,
						struct bytes_cursor *c)
{
	struct bytes_cursor h;

	if (!bytes_take(c, 14, &h))
		return dset(d, DECODE_TRUNCATED, DK_TRUNC_LINK);
	return decode_ethernet(d, &h, c);
}

/* IEEE 802.1ah §9.7: the I-TAG after ethertype 0x88e7 (priority, drop
 * eligible, use customer addresses, 3 reserved bits, the 24-bit service
 * instance), then the customer's Ethernet frame. */
static enum decode_result decode_pbb(struct dctx *d, struct bytes_cursor *c)
{
	if (!tunnel_enter(d, TUN_PBB))
		return dset(d, DECODE_INVALID, DK_TUNNEL_DEPTH);
	if (!bytes_skip(c, 4))
		return dset(d, DECODE_TRUNCATED, DK_TRUNC_TUNNEL);
	return decode_inner_ethernet(d, c);
}

/* An IEEE 802.11 data frame without FCS (IEEE 802.11-2020 §9.3.2.1), as
 * Aruba access points send them to their controller in GRE: frame control
 * (protocol version, type, subtype; then the flags byte: To DS 0x01, From
 * DS 0x02, Protected 0x40, +HTC/Order 0x80), duration, three addresses,
 * sequence control (24 bytes); a fourth address when both DS bits are set;
 * for QoS subtypes the QoS control field, and the HT control field when
 * +HTC is set. Then an LLC/SNAP header, or for an A-MSDU (QoS control bit
 * 7) its subframes, of which the first is read (destination, source and
 * length, then LLC/SNAP). Frames with no data, or encrypted, are other
 * link-layer frames. */
static enum decode_result decode_wlan(struct dctx *d, struct bytes_cursor *c)
{
	uint8_t fc0, fc1, qos = 0;
	size_t hlen = 24;

	if (!bytes_has(c, 2))
		return dset(d, DECODE_TRUNCATED, DK_TRUNC_LINK);
	fc0 = bytes_u8_at(c, 0);
	fc1 = bytes_u8_at(c, 1);
	/* version 0, type 2 (data); subtypes with bit 2 set carry no data */
	if ((fc0 & 0x03) != 0 || ((fc0 >> 2) & 0x03) != 2 || (fc0 & 0x40) ||
	    (fc1 & 0x40))
		return dset(d, DECODE_NOT_TCP, DK_LINK_OTHER);
	if ((fc1 & 0x03) == 0x03)
		hlen += 6;
	if (fc0 & 0x80) { /* QoS subtypes */
		qos = bytes_u8_at(c, hlen);
		hlen += 2;
		if (fc1 & 0x80)
			hlen += 4;
	}
	if (!bytes_skip(c, hlen))
		return dset(d, DECODE_TRUNCATED, DK_TRUNC_LINK);
	if (qos & 0x80) { /* A-MSDU: the first subframe's header */
		uint16_t sub_len;

		bytes_skip(c, 12);
		sub_len = bytes_be16(c);
		if (!bytes_ok(c))
			return dset(d, DECODE_TRUNCATED, DK_TRUNC_LINK);
		if (sub_len > wire_left(d, c))
			return dset(d, DECODE_INVALID, DK_BAD_LINK);
		dlimit(d, c, sub_len);
	}
	return decode_llc(d, c);
}

/* ERSPAN type II (draft-foschiano-erspan §4.1): version 1 (4 bits), VLAN
 * (12), CoS (3), encapsulation type (2), truncated (1), session id (10),
 * reserved (12), index (20): 8 bytes, then the mirrored Ethernet frame. */
static enum decode_result decode_erspan2(struct dctx *d, struct bytes_cursor *c)
{
	enum decode_result r;

	if (!tunnel_enter(d, TUN_ERSPAN))
		return dset(d, DECODE_INVALID, DK_TUNNEL_DEPTH);
	if (!tunnel_has(d, c, 8, &r))
		return r;
	if (bytes_u8_at(c, 0) >> 4 != 1)
		return dset(d, DECODE_NOT_TCP, DK_TUNNEL_OTHER);
	bytes_skip(c, 8);
	return decode_inner_ethernet(d, c);
}

/* ERSPAN type III (draft-foschiano-erspan §4.2): version 2 (4 bits), VLAN
 * (12), CoS (3), BSO (2), truncated (1), session id (10), timestamp (32),
 * security group tag (16), then P (1), frame type (5: 0 Ethernet, 2 IP),
 * hardware id (6), direction (1), granularity (2) and O (1): 12 bytes, and
 * 8 more of platform-specific subheader when O is set. */
static enum decode_result decode_erspan3(struct dctx *d, struct bytes_cursor *c)
{
	enum decode_result r;
	uint8_t ft;

	if (!tunnel_enter(d, TUN_ERSPAN))
		return dset(d, DECODE_INVALID, DK_TUNNEL_DEPTH);
	if (!tunnel_has(d, c, 12, &r))
		return r;
	if (bytes_u8_at(c, 0) >> 4 != 2)
		return dset(d, DECODE_NOT_TCP, DK_TUNNEL_OTHER);
	ft = (bytes_u8_at(c, 10) >> 2) & 0x1f;
	if ((bytes_u8_at(c, 11) & 0x01) && !tunnel_has(d, c, 20, &r))
		return r;
	bytes_skip(c, bytes_u8_at(c, 11) & 0x01 ? 20 : 12);
	switch (ft) {
	case 0:
		return decode_inner_ethernet(d, c);
	case 2:
		return decode_ip_any(d, c);
	default:
		return dset(d, DECODE_NOT_TCP, DK_TUNNEL_OTHER);
	}
}

/* The protocol types of Aruba's GRE between access point and controller:
 * an 802.11 frame follows. */
static bool gre_is_aruba(uint16_t type)
{
	return (type >= 0x8200 && type <= 0x8370 && (type & 0x0f) == 0) ||
	       type == 0x9000;
}

/* What a version 0 GRE header carries: protocol type `type` (an
 * ethertype, RFC 2784 §2.4). `seq` says whether the header had a
 * sequence number, which tells ERSPAN type II (with) from type I. */
static enum decode_result decode_gre_payload(struct dctx *d,
					     struct bytes_cursor *c,
					     uint16_t type, bool seq)
{
	if (gre_is_aruba(type))
		return decode_wlan(d, c);
	switch (type) {
	case ET_TEB:
		return decode_inner_ethernet(d, c);
	case ET_ERSPAN_1_2:
		if (seq)
			return decode_erspan2(d, c);
		/* type I: the mirrored frame right after the GRE header */
		if (!tunnel_enter(d, TUN_ERSPAN))
			return dset(d, DECODE_INVALID, DK_TUNNEL_DEPTH);
		return decode_inner_ethernet(d, c);
	case ET_ERSPAN_3:
		return decode_erspan3(d, c);
	default:
		return decode_ethertype(d, c, type);
	}
}

/* RFC 1701 §2.1: the routing field, a list of source route entries
 * (address family, offset, length, then `length` bytes) ending with one of
 * family 0 and length 0. */
static enum decode_result gre_skip_routing(struct dctx *d,
					   struct bytes_cursor *c)
{
	enum decode_result r;

	for (unsigned n = 0; n < DECODE_MAX_GRE_SRES; n++) {
		uint16_t af;
		uint8_t len;

		if (!tunnel_has(d, c, 4, &r))
			return r;
		af = bytes_be16_at(c, 0);
		len = bytes_u8_at(c, 3);
		bytes_skip(c, 4);
		if (af == 0 && len == 0)
			return DECODE_TCP; /* the list ended: carry on */
		if (!tunnel_has(d, c, len, &r))
			return r;
		bytes_skip(c, len);
	}
	return dset(d, DECODE_INVALID, DK_BAD_TUNNEL);
}

/*
 * GRE (RFC 2784 §2, RFC 2890 §2): flags C (checksum present), R (routing,
 * RFC 1701), K (key), S (sequence number), recursion control, A (RFC 2637
 * acknowledgment), reserved flags and the version, then the protocol type;
 * then the checksum and offset (when C or R), the key (K), the sequence
 * number (S), the acknowledgment number (version 1 with A) and the
 * routing field (R). Version 0 carries the protocol type's packet; version
 * 1 is PPTP's enhanced GRE (RFC 2637 §4.1), whose key holds the payload
 * length and call id, and which carries PPP. `kind` is TUN_GRE in IP,
 * TUN_GRE_UDP in UDP (RFC 8086 §3).
 */
static enum decode_result decode_gre(struct dctx *d, struct bytes_cursor *c,
				     enum decode_tunnel kind)
{
	enum decode_result r;
	uint16_t flags, type;
	size_t hlen = 4;
	uint8_t ver;

	if (!tunnel_enter(d, kind))
		return dset(d, DECODE_INVALID, DK_TUNNEL_DEPTH);
	if (!tunnel_has(d, c, 4, &r))
		return r;
	flags = bytes_be16_at(c, 0);
	type = bytes_be16_at(c, 2);
	ver = flags & 0x0007;
	if (ver > 1 || (ver == 1 && (type != ET_PPP || !(flags & 0x2000))))
		return dset(d, DECODE_NOT_TCP, DK_TUNNEL_OTHER);
	if (flags & 0xc000) /* C or R: checksum and offset */
		hlen += 4;
	if (flags & 0x2000) /* K */
		hlen += 4;
	if (flags & 0x1000) /* S */
		hlen += 4;
	if (ver == 1 && (flags & 0x0080)) /* A */
		hlen += 4;
	if (!tunnel_has(d, c, hlen, &r))
		return r;
	bytes_skip(c, hlen);
	if (ver == 0 && (flags & 0x4000)) {
		r = gre_skip_routing(d, c);
		if (r != DECODE_TCP)
			return r;
	}
	if (ver == 1)
		return decode_ppp(d, c, true);
	return decode_gre_payload(d, c, type, flags & 0x1000);
}

/* RFC 7348 §5: flags (I, 0x08: the VNI is valid), 3 reserved bytes, the
 * 24-bit VNI and a reserved byte; then the inner Ethernet frame. */
static enum decode_result decode_vxlan(struct dctx *d, struct bytes_cursor *c)
{
	enum decode_result r;

	if (!tunnel_enter(d, TUN_VXLAN))
		return dset(d, DECODE_INVALID, DK_TUNNEL_DEPTH);
	if (!tunnel_has(d, c, 8, &r))
		return r;
	bytes_skip(c, 8);
	return decode_inner_ethernet(d, c);
}

/* RFC 8926 §3.4: version (2 bits, 0) and the length of the options (6
 * bits, in 4-byte words), the O and C flags and 6 reserved bits, the
 * protocol type (an ethertype, 0x6558 for Ethernet), the 24-bit VNI and a
 * reserved byte; then the options, skipped by their length (§3.5). */
static enum decode_result decode_geneve(struct dctx *d, struct bytes_cursor *c)
{
	enum decode_result r;
	uint16_t type;
	size_t opt_bytes;
	uint8_t b;

	if (!tunnel_enter(d, TUN_GENEVE))
		return dset(d, DECODE_INVALID, DK_TUNNEL_DEPTH);
	if (!tunnel_has(d, c, 8, &r))
		return r;
	b = bytes_u8_at(c, 0);
	type = bytes_be16_at(c, 2);
	/* §3.4: a packet of an unknown version is not read any further */
	if (b >> 6 != 0)
		return dset(d, DECODE_NOT_TCP, DK_TUNNEL_OTHER);
	opt_bytes = (size_t)(b & 0x3f) * 4;
	if (!tunnel_has(d, c, 8 + opt_bytes, &r))
		return r;
	bytes_skip(c, 8 + opt_bytes);
	if (type == ET_TEB)
		return decode_inner_ethernet(d, c);
	return decode_ethertype(d, c, type);
}

/*
 * GTP-U (3GPP TS 29.281 §5.1): flags (version 3 bits = 1, protocol type 1
 * bit = 1 for GTP, a spare bit, then E: extension header, S: sequence
 * number, PN: N-PDU number), message type, length (of what follows the
 * first 8 bytes), TEID. When any of E, S, PN is set, a sequence number, an
 * N-PDU number and the type of the first extension header follow; each
 * extension header (§5.2.1) is a length in 4-byte units, its content and
 * the next header's type, 0 for none. A G-PDU (type 255) carries the
 * user's IP packet; other messages (echo, error indication, end marker)
 * carry none.
 */
static enum decode_result decode_gtp_u(struct dctx *d, struct bytes_cursor *c)
{
	enum decode_result r;
	uint8_t flags, type, next = 0, b;
	uint16_t len;

	if (!tunnel_enter(d, TUN_GTP_U))
		return dset(d, DECODE_INVALID, DK_TUNNEL_DEPTH);
	if (!tunnel_has(d, c, 8, &r))
		return r;
	flags = bytes_u8_at(c, 0);
	type = bytes_u8_at(c, 1);
	len = bytes_be16_at(c, 2);
	/* version 1 and PT 1: GTP; otherwise GTP' or another version */
	if ((flags & 0xf0) != 0x30)
		return dset(d, DECODE_NOT_TCP, DK_TUNNEL_OTHER);
	bytes_skip(c, 8);
	if (len > wire_left(d, c))
		return dset(d, DECODE_INVALID, DK_BAD_TUNNEL);
	dlimit(d, c, len);
	if (flags & 0x07) {
		if (!tunnel_has(d, c, 4, &r))
			return r;
		next = bytes_u8_at(c, 3);
		bytes_skip(c, 4);
		if (!(flags & 0x04))
			next = 0;
	}
	for (unsigned n = 0; next != 0; n++) {
		size_t ext_bytes;

		if (n >= DECODE_MAX_GTP_EXT)
			return dset(d, DECODE_INVALID, DK_BAD_TUNNEL);
		if (!tunnel_has(d, c, 1, &r))
			return r;
		ext_bytes = (size_t)bytes_u8_at(c, 0) * 4;
		if (ext_bytes == 0)
			return dset(d, DECODE_INVALID, DK_BAD_TUNNEL);
		if (!tunnel_has(d, c, ext_bytes, &r))
			return r;
		next = bytes_u8_at(c, ext_bytes - 1);
		bytes_skip(c, ext_bytes);
	}
	if (type != 255)
		return dset(d, DECODE_NOT_TCP, DK_TUNNEL_OTHER);
	/* the T-PDU: IPv4 or IPv6 (an Ethernet or unstructured PDU session
	 * carries something else) */
	if (wire_left(d, c) == 0)
		return dset(d, DECODE_NOT_TCP, DK_TUNNEL_OTHER);
	if (bytes_has(c, 1)) {
		b = bytes_u8_at(c, 0) >> 4;
		if (b != 4 && b != 6)
			return dset(d, DECODE_NOT_TCP, DK_TUNNEL_OTHER);
	}
	return decode_ip_any(d, c);
}

/* The Teredo indicator at c (RFC 4380 §5.1.1): its type, 0 for an origin
 * indication, 1 for authentication, when the bytes start with 0x00, and
 * TEREDO_PACKET when they start otherwise (with the IPv6 packet). False,
 * with *r, when the bytes are not there. */
#define TEREDO_PACKET 0xffff
static bool teredo_indicator(struct dctx *d, struct bytes_cursor *c,
			     uint16_t *type, enum decode_result *r)
{
	if (!tunnel_has(d, c, 1, r))
		return false;
	*type = TEREDO_PACKET;
	if (bytes_u8_at(c, 0) != 0)
		return true;
	if (!tunnel_has(d, c, 2, r))
		return false;
	*type = bytes_be16_at(c, 0);
	return true;
}

/*
 * Teredo (RFC 4380 §5.1.1): the IPv6 packet, optionally after an
 * authentication indicator (0x0001, client id length, authentication
 * value length, the client id, the authentication value, an 8-byte nonce
 * and a confirmation byte) and then an origin indication (0x0000, the
 * obfuscated origin port and IPv4 address: 8 bytes). Any other indicator,
 * or one out of that order, is malformed.
 */
static enum decode_result decode_teredo(struct dctx *d, struct bytes_cursor *c)
{
	enum decode_result r;
	uint16_t ind;

	if (!tunnel_enter(d, TUN_TEREDO))
		return dset(d, DECODE_INVALID, DK_TUNNEL_DEPTH);
	if (!teredo_indicator(d, c, &ind, &r))
		return r;
	if (ind == 1) { /* authentication */
		size_t n;

		if (!tunnel_has(d, c, 4, &r))
			return r;
		n = 4 + (size_t)bytes_u8_at(c, 2) + bytes_u8_at(c, 3) + 9;
		if (!tunnel_has(d, c, n, &r))
			return r;
		bytes_skip(c, n);
		if (!teredo_indicator(d, c, &ind, &r))
			return r;
	}
	if (ind == 0) { /* origin indication */
		if (!tunnel_has(d, c, 8, &r))
			return r;
		bytes_skip(c, 8);
		ind = bytes_has(c, 1) && bytes_u8_at(c, 0) == 0 ? 0
								: TEREDO_PACKET;
	}
	if (ind != TEREDO_PACKET)
		return dset(d, DECODE_INVALID, DK_BAD_TUNNEL);
	return decode_ipv6(d, c);
}

/* Whether a UDP payload of `len` bytes on the wire at c is one IPv6 packet
 * to or from a Teredo address (RFC 4380 §4: prefix 2001:0::/32): a Teredo
 * client's traffic with a peer or relay, on other ports than 3544. The
 * IPv6 payload length must account for the whole UDP payload. */
static bool teredo_looks_like(const struct bytes_cursor *c, uint64_t len)
{
	struct bytes_cursor h = *c;
	uint16_t plen;

	if (!bytes_has(&h, 40) || bytes_u8_at(&h, 0) >> 4 != 6)
		return false;
	plen = bytes_be16_at(&h, 4);
	if ((uint64_t)plen + 40 != len)
		return false;
	return bytes_be32_at(&h, 8) == 0x20010000 ||
	       bytes_be32_at(&h, 24) == 0x20010000;
}

/* RFC 6169 §2 and the AYIYA draft: identity length (4 bits, 2^n bytes),
 * identity type (4), signature length (4 bits, in 4-byte words), hash
 * method (4), authentication method (4), opcode (4), next header, a 32-bit
 * epoch time, the identity and the signature. Opcodes 1 (forward) and 3
 * (echo request and forward) carry the packet of IP protocol `next
 * header`; the others carry none. */
static enum decode_result decode_ayiya(struct dctx *d, struct bytes_cursor *c)
{
	enum decode_result r;
	uint8_t op, nh;
	size_t n;

	if (!tunnel_enter(d, TUN_AYIYA))
		return dset(d, DECODE_INVALID, DK_TUNNEL_DEPTH);
	if (!tunnel_has(d, c, 8, &r))
		return r;
	n = 8 + ((size_t)1 << (bytes_u8_at(c, 0) >> 4)) +
	    (size_t)(bytes_u8_at(c, 1) >> 4) * 4;
	op = bytes_u8_at(c, 2) & 0x0f;
	nh = bytes_u8_at(c, 3);
	if (!tunnel_has(d, c, n, &r))
		return r;
	bytes_skip(c, n);
	if (op != 1 && op != 3)
		return dset(d, DECODE_NOT_TCP, DK_TUNNEL_OTHER);
	switch (nh) {
	case IPP_IPIP:
		return decode_ipv4(d, c);
	case IPP_IPV6:
		return decode_ipv6(d, c);
	default:
		return dset(d, DECODE_NOT_TCP, DK_TUNNEL_OTHER);
	}
}

/* The tunnels found by their UDP port (IANA "service-names-port-numbers"). */
static const struct {
	uint16_t port;
	enum decode_tunnel kind;
} udp_tunnels[] = {
	{2152, TUN_GTP_U},   /* gtp-user */
	{3544, TUN_TEREDO},  /* teredo */
	{4754, TUN_GRE_UDP}, /* gre-in-udp */
	{4789, TUN_VXLAN},   /* vxlan */
	{5072, TUN_AYIYA},   /* ayiya */
	{6081, TUN_GENEVE},  /* geneve */
};

/* The tunnel of a UDP port; false when it has none. */
static bool udp_tunnel_port(uint16_t port, enum decode_tunnel *kind)
{
	for (size_t i = 0; i < sizeof(udp_tunnels) / sizeof(udp_tunnels[0]);
	     i++)
		if (udp_tunnels[i].port == port) {
			*kind = udp_tunnels[i].kind;
			return true;
		}
	return false;
}

/*
 * UDP (RFC 768: source port, destination port, length, checksum), `len`
 * bytes on the wire as the IP header says. A tunnel when a port is one of
 * udp_tunnels: the destination port first, then the source port unless the
 * destination is a well-known port (below 1024: a request to some other
 * service that happens to come from a tunnel's port). Otherwise, and when
 * the 8-byte header is not all captured or this is a first fragment, plain
 * UDP, unless the payload is one IPv6 packet of a Teredo address
 * (teredo_looks_like).
 */
static enum decode_result decode_udp(struct dctx *d, struct bytes_cursor *c,
				     uint64_t len)
{
	enum decode_tunnel kind;
	uint16_t sport, dport;
	uint64_t ulen;
	bool tunnel;

	if (d->first_frag || len < 8 || !bytes_has(c, 8))
		return dset(d, DECODE_NOT_TCP, DK_IPV4_UDP);
	sport = bytes_be16_at(c, 0);
	dport = bytes_be16_at(c, 2);
	ulen = bytes_be16_at(c, 4);
	tunnel = udp_tunnel_port(dport, &kind) ||
		 (dport >= 1024 && udp_tunnel_port(sport, &kind));
	/* RFC 2675 §4: length 0 in a jumbogram; the IP length rules then */
	if (ulen == 0)
		ulen = len;
	if (!tunnel) {
		if (ulen < 8 || ulen > len)
			return dset(d, DECODE_NOT_TCP, DK_IPV4_UDP);
		bytes_skip(c, 8);
		if (!teredo_looks_like(c, ulen - 8))
			return dset(d, DECODE_NOT_TCP, DK_IPV4_UDP);
		kind = TUN_TEREDO;
	} else {
		if (ulen < 8 || ulen > len) {
			d->v->tunnels |= (uint16_t)(1u << kind);
			return dset(d, DECODE_INVALID, DK_BAD_TUNNEL);
		}
		bytes_skip(c, 8);
	}
	dlimit(d, c, ulen - 8);
	switch (kind) {
	case TUN_GTP_U:
		return decode_gtp_u(d, c);
	case TUN_TEREDO:
		return decode_teredo(d, c);
	case TUN_GRE_UDP:
		return decode_gre(d, c, TUN_GRE_UDP);
	case TUN_VXLAN:
		return decode_vxlan(d, c);
	case TUN_AYIYA:
		return decode_ayiya(d, c);
	case TUN_GENEVE:
		return decode_geneve(d, c);
	default:
		return dset(d, DECODE_NOT_TCP, DK_IPV4_UDP);
	}
}

/* The network layer behind the link header of row lt. */
static enum decode_result decode_link(struct dctx *d, const struct linktype *lt,
				      struct bytes_cursor *c)
{
	struct bytes_cursor h;
	/* every layout has its case below (-Wswitch says when one lacks it) */
	enum decode_result r = dset(d, DECODE_UNSUPPORTED, DK_UNSUPPORTED_LINK);

	if (!bytes_take(c, lt->hdr_bytes, &h))
		return dset(d, DECODE_TRUNCATED, DK_TRUNC_LINK);
	switch (lt->hdr) {
	case LINKHDR_IP:
		return decode_ip_any(d, c);
	case LINKHDR_IPV4:
		return decode_ipv4(d, c);
	case LINKHDR_IPV6:
		return decode_ipv6(d, c);
	case LINKHDR_ETHERNET:
		r = decode_ethernet(d, &h, c);
		break;
	case LINKHDR_SLL:
		r = decode_sll(d, &h, c);
		break;
	case LINKHDR_SLL2:
		r = decode_sll2(d, &h, c);
		break;
	case LINKHDR_AF_HOST:
	case LINKHDR_AF_NET:
		r = decode_null(d, &h, c);
		break;
	case LINKHDR_NFLOG:
		r = decode_nflog(d, &h, c);
		break;
	case LINKHDR_IPOIB:
		r = decode_ipoib(d, &h, c);
		break;
	}
	/* A field read past the row's header length: the table is wrong. */
	if (!bytes_ok(&h))
		return dset(d, DECODE_INVALID, DK_BAD_LINK);
	return r;
}

bool decode_link_supported(int dlt)
{
	return linktype_find(dlt) != NULL;
}

enum decode_result decode_packet(int dlt, const uint8_t *data, uint32_t caplen,
				 uint32_t wirelen, struct pkt_view *view,
				 enum decode_kind *kind)
{
	struct bytes_cursor c = bytes_make(data, data ? caplen : 0);
	struct dctx d = {
		.base = data,
		.wire_end = wirelen > caplen ? wirelen : caplen,
		.v = view,
		.kind = DK_NONE,
	};
	const struct linktype *lt = linktype_find(dlt);
	enum decode_result r;

	memset(view, 0, sizeof(*view));
	view->snap_cut = caplen < wirelen;
	if (lt)
		r = decode_link(&d, lt, &c);
	else
		r = dset(&d, DECODE_UNSUPPORTED, DK_UNSUPPORTED_LINK);
	*kind = d.kind;
	return r;
}
