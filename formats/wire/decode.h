/*
 * decode.h - one captured frame in, one TCP segment view out.
 *
 * decode_packet() walks link layer -> tunnels -> IPv4/IPv6 -> TCP over a
 * caller-owned buffer, checking every read against the captured length. The
 * link types it knows are the rows of the link-type table
 * (formats/wire/linktype.h). Tunnels and extra frame headers (IP in IP, GRE
 * and what it carries, GRE in UDP, VXLAN, Geneve, GTP-U, Teredo, AYIYA,
 * 802.1ah and VN-Tag) are unwrapped, a bounded number deep: the view is the
 * innermost TCP segment, and says which kinds of tunnel carried it. It keeps
 * no state, never allocates, and the view it fills points into the caller's
 * buffer, so a view is valid only as long as that buffer (for libpcap input:
 * until the next pcap_next_ex call). Copy the fields you need; never store a
 * view.
 */
#ifndef TCPLINT_WIRE_DECODE_H
#define TCPLINT_WIRE_DECODE_H

#include <stdbool.h>
#include <stdint.h>

#include "formats/wire/tcp_opts.h"
#include "formats/wire/tuple.h"

/* TCP flag bits as they sit in the 16-bit flags word (RFC 9293 §3.1,
 * RFC 3168 ECE/CWR, RFC 9768 AE which was the old NS bit). */
#define TCP_FIN 0x001
#define TCP_SYN 0x002
#define TCP_RST 0x004
#define TCP_PSH 0x008
#define TCP_ACK 0x010
#define TCP_URG 0x020
#define TCP_ECE 0x040
#define TCP_CWR 0x080
#define TCP_AE 0x100

/*
 * The kinds of tunnel (and of extra frame header that wraps a whole frame)
 * the decoder unwraps, as bits of pkt_view.tunnels. An X-macro, as
 * DECODE_KINDS below; the names are stable: they appear in reports.
 */
#define DECODE_TUNNELS(X)                                                      \
	X(TUN_IPIP, "ip-in-ip")      /* RFC 2003, RFC 4213, RFC 2473 */        \
	X(TUN_GRE, "gre")            /* RFC 2784/2890 in IP, RFC 2637 PPTP */  \
	X(TUN_GRE_UDP, "gre-in-udp") /* RFC 8086, UDP port 4754 */             \
	X(TUN_ERSPAN, "erspan")      /* types I, II and III, in GRE */         \
	X(TUN_VXLAN, "vxlan")        /* RFC 7348, UDP port 4789 */             \
	X(TUN_GENEVE, "geneve")      /* RFC 8926, UDP port 6081 */             \
	X(TUN_GTP_U, "gtp-u")        /* 3GPP TS 29.281, UDP port 2152 */       \
	X(TUN_TEREDO, "teredo")      /* RFC 4380, UDP port 3544 */             \
	X(TUN_AYIYA, "ayiya")        /* UDP port 5072 */                       \
	X(TUN_PBB, "pbb")            /* IEEE 802.1ah, ethertype 0x88e7 */      \
	X(TUN_VNTAG, "vn-tag")       /* ethertype 0x8926 */

/* clang-format off: the X-macro expands to the enumerators */
enum decode_tunnel {
#define DECODE_TUNNEL_ENUM(id, name) id,
	DECODE_TUNNELS(DECODE_TUNNEL_ENUM)
#undef DECODE_TUNNEL_ENUM
		DECODE_TUNNEL_COUNT
};
/* clang-format on */

/* Stable name of a tunnel kind ("vxlan"); "?" for out-of-range. */
const char *decode_tunnel_name(enum decode_tunnel t);

/* One decoded TCP segment. The tuple's source is the sender; an IPv4
 * address occupies the first 4 bytes of the 16 and the rest are zero. */
struct pkt_view {
	struct tuple tuple; /* version, addresses and ports (tuple.h) */
	uint32_t seq;
	uint32_t ack;
	uint16_t flags;  /* TCP_* bits */
	uint16_t window; /* as on the wire, not scaled */
	uint32_t payload_bytes; /* from the IP length: right even when snaplen cut the frame */
	uint32_t payload_captured; /* how many of those bytes are in the buffer */
	uint32_t net_offset;       /* where the network layer starts: bytes from
				   the start of the frame to its first (for a
				   tunnel, outermost) IP header */
	uint16_t tunnels;       /* bit (1 << enum decode_tunnel) for each kind
				   of tunnel the frame was found in; set
				   whatever decode_packet() returns */
	const uint8_t *payload; /* borrowed, payload_captured bytes */
	bool snap_cut; /* the frame was cut by the snaplen (caplen < wire length) */
	bool ip_len_from_wire; /* IP length was 0 (TSO/BIG TCP): length taken from the frame */
	struct tcp_options opt;
};

/* What a frame turned out to be. */
enum decode_result {
	DECODE_TCP = 0,   /* *view is filled */
	DECODE_NOT_TCP,   /* well-formed, but not TCP (kind says what) */
	DECODE_FRAGMENT,  /* a non-first IP fragment: no TCP header to read */
	DECODE_TRUNCATED, /* ran out of captured bytes before the fixed 20-byte
			       TCP header ended (options cut by the snaplen
			       still give DECODE_TCP, with opt.truncated) */
	DECODE_INVALID,   /* fields contradict each other */
	DECODE_UNSUPPORTED, /* link type this decoder does not know */
};

/*
 * Why: the kind of a frame that is not a decoded TCP segment, or the kind of
 * problem with one that is. The list is an X-macro so that the enum and its
 * name table cannot drift apart. Names are stable: they appear in reports.
 */
#define DECODE_KINDS(X)                                                        \
	X(DK_NONE, "none")                                                     \
	/* not TCP */                                                          \
	X(DK_ARP, "arp")                                                       \
	X(DK_IPV4_UDP, "udp")                                                  \
	X(DK_ICMP, "icmp")                                                     \
	X(DK_ICMPV6, "icmpv6")                                                 \
	X(DK_IP_OTHER, "other IP protocol")                                    \
	X(DK_ETHERTYPE_OTHER, "other ethertype")                               \
	X(DK_LINK_OTHER, "other link-layer frame")                             \
	X(DK_TUNNEL_OTHER, "other tunnel message")                             \
	X(DK_IP_FRAGMENT, "IP fragment")                                       \
	/* truncated */                                                        \
	X(DK_TRUNC_LINK, "truncated link-layer header")                        \
	X(DK_TRUNC_IPV4, "truncated IPv4 header")                              \
	X(DK_TRUNC_IPV6, "truncated IPv6 header")                              \
	X(DK_TRUNC_IPV6_EXT, "truncated IPv6 extension header")                \
	X(DK_TRUNC_TCP, "truncated TCP header")                                \
	X(DK_TRUNC_TUNNEL, "truncated tunnel header")                          \
	/* invalid */                                                          \
	X(DK_BAD_IP_VERSION, "bad IP version")                                 \
	X(DK_BAD_IPV4_HLEN, "bad IPv4 header length")                          \
	X(DK_BAD_IPV4_LEN, "bad IPv4 total length")                            \
	X(DK_BAD_IPV6_LEN, "bad IPv6 payload length")                          \
	X(DK_IPV6_EXT_CHAIN, "IPv6 extension header chain too long")           \
	X(DK_BAD_TCP_OFFSET, "bad TCP data offset")                            \
	X(DK_BAD_TCP_OPTION, "bad TCP option length")                          \
	X(DK_BAD_LINK, "malformed link-layer header")                          \
	X(DK_BAD_TUNNEL, "malformed tunnel header")                            \
	X(DK_TUNNEL_DEPTH, "tunnels nested too deep")                          \
	X(DK_UNSUPPORTED_LINK, "unsupported link type")

/* clang-format off: the X-macro expands to the enumerators */
enum decode_kind {
#define DECODE_KIND_ENUM(id, name) id,
	DECODE_KINDS(DECODE_KIND_ENUM)
#undef DECODE_KIND_ENUM
		DECODE_KIND_COUNT
};
/* clang-format on */

/* Stable name of a kind ("truncated TCP header"); "?" for out-of-range. */
const char *decode_kind_name(enum decode_kind kind);

/*
 * Decode one frame captured on link type `dlt` (a DLT_ value as libpcap
 * returns from pcap_datalink()). `caplen` bytes are at `data`; `wirelen` is
 * the length on the wire. Fills *view when the result is DECODE_TCP (and, for
 * DK_BAD_TCP_OPTION, which is reported as DECODE_TCP with view->opt.malformed
 * set and *kind = DK_BAD_TCP_OPTION). *kind is always set: DK_NONE for a clean
 * TCP segment, otherwise the reason.
 *
 * A frame cut by the snaplen after the fixed 20-byte TCP header but before
 * the end of its options (tcpdump -s 68/96 with SACK or timestamps) is
 * DECODE_TCP: the wholly captured options are parsed, view->opt.truncated
 * and view->snap_cut are set, payload_captured is 0, and *kind is DK_NONE
 * (DK_BAD_TCP_OPTION if a captured option is bad). A cut inside the fixed
 * header is DECODE_TRUNCATED / DK_TRUNC_TCP.
 *
 * In a tunnel the view is the innermost segment (net_offset still the
 * outermost IP header) and view->tunnels says which kinds of tunnel held
 * it; view->tunnels is set whatever the result. A cut inside a tunnel
 * header is DECODE_TRUNCATED / DK_TRUNC_TUNNEL, one that claims more than
 * its enclosing header left DECODE_INVALID / DK_BAD_TUNNEL, more than
 * DECODE_MAX_TUNNELS (4) nested DECODE_INVALID / DK_TUNNEL_DEPTH, and a
 * tunnel message that carries no packet (an echo, an unknown version or
 * payload type) DECODE_NOT_TCP / DK_TUNNEL_OTHER. UDP is a tunnel by its
 * port (the destination first, the source unless the destination is below
 * 1024); a UDP header not wholly captured is plain UDP.
 */
enum decode_result decode_packet(int dlt, const uint8_t *data, uint32_t caplen,
				 uint32_t wirelen, struct pkt_view *view,
				 enum decode_kind *kind);

/* Whether decode_packet() knows link type `dlt`: whether the link-type
 * table (linktype.h) has a row for it. */
bool decode_link_supported(int dlt);

#endif
