/*
 * linktype.h - the link types tcplint knows, in one table.
 *
 * One row per link-layer type value (a DLT_ value, as pcap_datalink()
 * returns it): its name, and how the network layer is found behind its
 * link header. Everything that deals in link types reads this table: the
 * decoder (decode.c dispatches on the row's header format, and knows
 * exactly the link types listed here), the segment builder and the fixture
 * compiler (the link types they can write, and their names in the fixture
 * language), and the tests and fuzz targets that go over every link type.
 * The table is constant; nothing here allocates.
 */
#ifndef TCPLINT_WIRE_LINKTYPE_H
#define TCPLINT_WIRE_LINKTYPE_H

#include <stddef.h>
#include <stdint.h>

/* The values of the rows, as libpcap reports them (pcap/dlt.h). Spelled
 * out so that no file depends on the platform's DLT_RAW (14 on OpenBSD,
 * 12 elsewhere); LINKTYPE_RAW_101 is the value in a capture file's header,
 * which libpcap maps to DLT_RAW but a caller may pass through. */
enum {
	LINKTYPE_NULL = 0,
	LINKTYPE_EN10MB = 1,
	LINKTYPE_RAW = 12,
	LINKTYPE_RAW_OPENBSD = 14,
	LINKTYPE_RAW_101 = 101,
	LINKTYPE_LOOP = 108,
	LINKTYPE_LINUX_SLL = 113,
	LINKTYPE_IPV4 = 228,
	LINKTYPE_IPV6 = 229,
	LINKTYPE_NFLOG = 239,
	LINKTYPE_IPOIB = 242,
	LINKTYPE_LINUX_SLL2 = 276,
};

/* How the network layer is found: the layout of the link header. */
enum linktype_hdr {
	LINKHDR_IP,   /* none: an IP header, its version nibble says which */
	LINKHDR_IPV4, /* none: an IPv4 header */
	LINKHDR_IPV6, /* none: an IPv6 header */
	LINKHDR_ETHERNET, /* IEEE 802.3: 14 bytes, type/length at 12 (then VLAN
			      tags, LLC/SNAP, PPPoE or MPLS as the type says) */
	LINKHDR_SLL,      /* Linux cooked v1: 16 bytes, ARPHRD at 2, protocol
			      at 14 */
	LINKHDR_SLL2,     /* Linux cooked v2: 20 bytes, protocol at 0, ARPHRD
			      at 8 */
	LINKHDR_AF_HOST,  /* BSD loopback: a 4-byte address family in the
			      writer's byte order */
	LINKHDR_AF_NET,   /* OpenBSD loopback: the same in network order */
	LINKHDR_NFLOG,    /* Linux NFLOG: 4 bytes, then TLVs; the packet is the
			      value of TLV type 9 */
	LINKHDR_IPOIB,    /* IP over InfiniBand: 44 bytes, ethertype at 40 */
};

struct linktype {
	int dlt;               /* the DLT_ value */
	const char *name;      /* libpcap's name (pcap_datalink_val_to_name)
				   where it has one; unique */
	const char *alias;     /* another name the fixture language accepts,
				   or NULL */
	enum linktype_hdr hdr; /* how to find the network layer */
	uint8_t hdr_bytes;     /* the fixed link header: where the IP header
				   starts unless the header's protocol field
				   leads to more (tags, LLC, PPPoE, MPLS) or
				   the header is TLVs (NFLOG: its fixed 4) */
};

/* The row of link type `dlt`; NULL when tcplint does not know it. */
const struct linktype *linktype_find(int dlt);

/* The row whose name or alias is `name` (ASCII case ignored); NULL if none. */
const struct linktype *linktype_by_name(const char *name);

/* Row i, in increasing DLT order, for i from 0; NULL past the last row. The
 * order is fixed: tests/fuzz/fuzz_decode.c picks link types by index. */
const struct linktype *linktype_at(size_t i);

#endif
