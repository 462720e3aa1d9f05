/*
 * test_decode.c - formats/wire/decode.c and formats/wire/tcp_opts.c on hand-written
 * frames: every link type, IPv4 options and fragments, the IPv6 extension
 * chain, every TCP option, and the malformed cases, including a frame cut
 * at every byte offset. Each input is placed right before a PROT_NONE guard
 * page, so reading one byte past the captured length faults.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "formats/wire/decode.h"
#include "formats/wire/linktype.h"
#include "formats/wire/tcp_opts.h"

#ifndef TCPLINT_TESTDATA_DIR
#define TCPLINT_TESTDATA_DIR "testdata"
#endif

/* ---- guard page --------------------------------------------------------- */

#define GUARD_SPAN (256u * 1024u) /* readable bytes before the guard page */

struct guard {
	uint8_t *map;
	size_t map_len;
	uint8_t *limit; /* first byte of the PROT_NONE page */
};

static int guard_setup(void **state)
{
	static struct guard g; /* one per test run, set up and torn down */
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	g.map_len = GUARD_SPAN + page;
	g.map = mmap(NULL, g.map_len, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (g.map == MAP_FAILED)
		return -1;
	g.limit = g.map + GUARD_SPAN;
	if (mprotect(g.limit, page, PROT_NONE) != 0)
		return -1;
	*state = &g;
	return 0;
}

static int guard_teardown(void **state)
{
	struct guard *g = *state;

	return munmap(g->map, g->map_len);
}

/* Copy n bytes so that the last one sits just before the guard page. */
static const uint8_t *guard_put(struct guard *g, const uint8_t *bytes, size_t n)
{
	assert_true(n <= GUARD_SPAN);
	memcpy(g->limit - n, bytes, n);
	return g->limit - n;
}

static enum decode_result dec(void **state, int dlt, const uint8_t *frame,
			      size_t caplen, size_t wirelen,
			      struct pkt_view *v, enum decode_kind *k)
{
	const uint8_t *p = guard_put(*state, frame, caplen);

	return decode_packet(dlt, p, (uint32_t)caplen, (uint32_t)wirelen, v,
			     k);
}

/* ---- frame building ----------------------------------------------------- */

struct part {
	const uint8_t *p;
	size_t n;
};
#define PART(a) ((struct part){ (a), sizeof(a) })

static size_t cat(uint8_t *out, size_t cap, const struct part *parts,
		  size_t nparts)
{
	size_t len = 0;

	for (size_t i = 0; i < nparts; i++) {
		assert_true(len + parts[i].n <= cap);
		memcpy(out + len, parts[i].p, parts[i].n);
		len += parts[i].n;
	}
	return len;
}
#define CAT(buf, ...)                                                        \
	cat((buf), sizeof(buf), (const struct part[]){ __VA_ARGS__ },         \
	    sizeof((const struct part[]){ __VA_ARGS__ }) / sizeof(struct part))

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}


/* 192.0.2.1.40000 > 198.51.100.2.80: Flags [P.], AE set, seq 1000, ack 2000,
 * win 65535, options [mss 1460,sackOK,TS val 287454020 ecr 1432778632,nop,
 * wscale 7], length 5: "hello" */
static const uint8_t TCP_SEG[45] = {
	0x9c, 0x40, 0x00, 0x50, 0x00, 0x00, 0x03, 0xe8, 0x00, 0x00, 0x07, 0xd0,
	0xa1, 0x18, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00,
	0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a, 0x11, 0x22, 0x33, 0x44,
	0x55, 0x66, 0x77, 0x88, 0x01, 0x03, 0x03, 0x07,
	'h', 'e', 'l', 'l', 'o',
};
#define TCP_HDR 40

/* IP (tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto TCP (6),
 * length 65) 192.0.2.1 > 198.51.100.2 */
static const uint8_t IP4[20] = {
	0x45, 0x00, 0x00, 0x41, 0x00, 0x01, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00,
	0xc0, 0x00, 0x02, 0x01, 0xc6, 0x33, 0x64, 0x02,
};

/* IP6 (hlim 64, next-header TCP (6) payload length: 45) 2001:db8::1 >
 * 2001:db8::2 */
static const uint8_t IP6[40] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x2d, 0x06, 0x40,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02,
};

/* 00:00:5e:00:53:02 > 00:00:5e:00:53:01, ethertype IPv4 (0x0800) */
static const uint8_t ETH4[14] = {
	0x00, 0x00, 0x5e, 0x00, 0x53, 0x01, 0x00, 0x00, 0x5e, 0x00, 0x53, 0x02,
	0x08, 0x00,
};
/* 00:00:5e:00:53:02 > 00:00:5e:00:53:01, ethertype IPv6 (0x86dd) */
static const uint8_t ETH6[14] = {
	0x00, 0x00, 0x5e, 0x00, 0x53, 0x01, 0x00, 0x00, 0x5e, 0x00, 0x53, 0x02,
	0x86, 0xdd,
};

static void check_seg(const struct pkt_view *v, uint8_t ipver)
{
	static const uint8_t a4[4] = { 192, 0, 2, 1 }, b4[4] = { 198, 51, 100, 2 };
	static const uint8_t zero[12];

	assert_int_equal(v->ip_version, ipver);
	if (ipver == 4) {
		assert_memory_equal(v->src, a4, 4);
		assert_memory_equal(v->dst, b4, 4);
		assert_memory_equal(v->src + 4, zero, 12);
		assert_memory_equal(v->dst + 4, zero, 12);
	} else {
		assert_memory_equal(v->src, IP6 + 8, 16);
		assert_memory_equal(v->dst, IP6 + 24, 16);
	}
	assert_int_equal(v->sport, 40000);
	assert_int_equal(v->dport, 80);
	assert_int_equal(v->seq, 1000);
	assert_int_equal(v->ack, 2000);
	assert_int_equal(v->flags, TCP_PSH | TCP_ACK | TCP_AE);
	assert_int_equal(v->window, 65535);
	assert_true(v->opt.has_mss);
	assert_int_equal(v->opt.mss, 1460);
	assert_true(v->opt.sack_permitted);
	assert_true(v->opt.has_ts);
	assert_int_equal(v->opt.ts_val, 0x11223344);
	assert_int_equal(v->opt.ts_ecr, 0x55667788);
	assert_true(v->opt.has_wscale);
	assert_int_equal(v->opt.wscale, 7);
	assert_false(v->opt.malformed);
	assert_int_equal(v->opt.sack_count, 0);
	assert_int_equal(v->payload_bytes, 5);
	assert_int_equal(v->payload_captured, 5);
	assert_memory_equal(v->payload, "hello", 5);
}

/* Decode a whole frame (caplen = wirelen) and expect the standard segment,
 * its first IP header `net` bytes into the frame. */
static void expect_seg(void **state, int dlt, const uint8_t *f, size_t len,
		       uint8_t ipver, uint32_t net)
{
	struct pkt_view v;
	enum decode_kind k = DK_ARP;

	assert_int_equal(dec(state, dlt, f, len, len, &v, &k), DECODE_TCP);
	assert_int_equal(k, DK_NONE);
	check_seg(&v, ipver);
	assert_int_equal(v.net_offset, net);
	assert_false(v.snap_cut);
	assert_false(v.ip_len_from_wire);
}

static void expect(void **state, int dlt, const uint8_t *f, size_t caplen,
		   size_t wirelen, enum decode_result r, enum decode_kind kind)
{
	struct pkt_view v;
	enum decode_kind k = DK_NONE;

	assert_int_equal(dec(state, dlt, f, caplen, wirelen, &v, &k), r);
	assert_int_equal(k, kind);
}

/* ---- link types --------------------------------------------------------- */

static void test_ethernet(void **state)
{
	uint8_t f[128];
	size_t n = CAT(f, PART(ETH4), PART(IP4), PART(TCP_SEG));

	expect_seg(state, LINKTYPE_EN10MB, f, n, 4, 14);
	n = CAT(f, PART(ETH6), PART(IP6), PART(TCP_SEG));
	expect_seg(state, LINKTYPE_EN10MB, f, n, 6, 14);
}

static void test_ethernet_padding(void **state)
{
	/* a 60-byte minimum frame around a 40-byte segment: the 6 padding
	 * bytes are not payload (IPv4 total length 40) */
	uint8_t f[60] = { 0 };
	struct pkt_view v;
	enum decode_kind k;

	memcpy(f, ETH4, 14);
	memcpy(f + 14, IP4, 20);
	put16(f + 16, 40);
	memcpy(f + 34, TCP_SEG, 20);
	f[46] = 0x50; /* data offset 5 */
	memset(f + 54, 0xee, 6);
	assert_int_equal(dec(state, LINKTYPE_EN10MB, f, 60, 60, &v, &k), DECODE_TCP);
	assert_int_equal(v.payload_bytes, 0);
	assert_int_equal(v.payload_captured, 0);
	assert_false(v.opt.has_mss);
}

static void test_vlan(void **state)
{
	/* ethertype 802.1Q (0x8100), vlan 100, p 0, ethertype IPv4 */
	static const uint8_t eth_q[14] = { 0, 0, 0x5e, 0, 0x53, 1, 0, 0, 0x5e,
					   0, 0x53, 2, 0x81, 0x00 };
	static const uint8_t tag100_ip4[4] = { 0x00, 0x64, 0x08, 0x00 };
	/* ethertype 802.1ad (0x88a8), vlan 10; 802.1Q vlan 20; 0x9100 vlan 30 */
	static const uint8_t eth_ad[14] = { 0, 0, 0x5e, 0, 0x53, 1, 0, 0, 0x5e,
					    0, 0x53, 2, 0x88, 0xa8 };
	static const uint8_t tag10_q[4] = { 0x00, 0x0a, 0x81, 0x00 };
	static const uint8_t tag20_9100[4] = { 0x00, 0x14, 0x91, 0x00 };
	static const uint8_t tag30_ip6[4] = { 0x00, 0x1e, 0x86, 0xdd };
	static const uint8_t tag_q[4] = { 0x00, 0x01, 0x81, 0x00 };
	uint8_t f[256];
	size_t n;

	n = CAT(f, PART(eth_q), PART(tag100_ip4), PART(IP4), PART(TCP_SEG));
	expect_seg(state, LINKTYPE_EN10MB, f, n, 4, 18);
	n = CAT(f, PART(eth_ad), PART(tag10_q), PART(tag20_9100),
		PART(tag30_ip6), PART(IP6), PART(TCP_SEG));
	expect_seg(state, LINKTYPE_EN10MB, f, n, 6, 26);
	/* nine stacked tags: more than the decoder follows */
	n = CAT(f, PART(eth_q), PART(tag_q), PART(tag_q), PART(tag_q),
		PART(tag_q), PART(tag_q), PART(tag_q), PART(tag_q), PART(tag_q),
		PART(tag100_ip4), PART(IP4), PART(TCP_SEG));
	expect(state, LINKTYPE_EN10MB, f, n, n, DECODE_INVALID, DK_BAD_LINK);
}

static void test_ethernet_other(void **state)
{
	/* ARP, Request who-has 192.0.2.2 tell 192.0.2.1, length 28 */
	static const uint8_t arp[42] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0,
					 0, 0x5e, 0, 0x53, 2, 0x08, 0x06, 0,
					 1, 0x08, 0, 6, 4, 0, 1 };
	/* 802.3, length 38: LLC, dsap STP (0x42), ssap STP, cmd 0x03 */
	static const uint8_t stp[20] = { 0x01, 0x80, 0xc2, 0, 0, 0, 0, 0, 0x5e,
					 0, 0x53, 2, 0x00, 0x26, 0x42, 0x42,
					 0x03 };
	/* 802.3, length 73: LLC SNAP (aa aa 03, oui 000000), ethertype IPv4 */
	static const uint8_t snap[22] = { 0, 0, 0x5e, 0, 0x53, 1, 0, 0, 0x5e,
					  0, 0x53, 2, 0x00, 0x49, 0xaa, 0xaa,
					  0x03, 0, 0, 0, 0x08, 0x00 };
	/* ethertype LLDP (0x88cc) */
	static const uint8_t lldp[20] = { 0x01, 0x80, 0xc2, 0, 0, 0x0e, 0, 0,
					  0x5e, 0, 0x53, 2, 0x88, 0xcc };
	/* MPLS (label 16, s 0) (label 17, s 1), then IPv4 */
	static const uint8_t mpls[22] = { 0, 0, 0x5e, 0, 0x53, 1, 0, 0, 0x5e,
					  0, 0x53, 2, 0x88, 0x47, 0x00, 0x01,
					  0x00, 0x40, 0x00, 0x01, 0x11, 0x40 };
	uint8_t f[160];
	size_t n;

	expect(state, LINKTYPE_EN10MB, arp, sizeof(arp), 60, DECODE_NOT_TCP, DK_ARP);
	expect(state, LINKTYPE_EN10MB, stp, sizeof(stp), 60, DECODE_NOT_TCP,
	       DK_LINK_OTHER);
	expect(state, LINKTYPE_EN10MB, lldp, sizeof(lldp), 60, DECODE_NOT_TCP,
	       DK_ETHERTYPE_OTHER);
	n = CAT(f, PART(snap), PART(IP4), PART(TCP_SEG));
	expect_seg(state, LINKTYPE_EN10MB, f, n, 4, 22);
	n = CAT(f, PART(mpls), PART(IP4), PART(TCP_SEG));
	expect_seg(state, LINKTYPE_EN10MB, f, n, 4, 22);
}

static void test_pppoe(void **state)
{
	/* PPPoE [ses 0x2d] (ver 1, type 1, code 0, length 67), PPP IPv4 (0x0021) */
	static const uint8_t eth_pppoe[22] = { 0, 0, 0x5e, 0, 0x53, 1, 0, 0,
					       0x5e, 0, 0x53, 2, 0x88, 0x64,
					       0x11, 0x00, 0x00, 0x2d, 0x00,
					       0x43, 0x00, 0x21 };
	/* PPPoE [ses 0x2d] length 66, PPP protocol compressed to 0x21 */
	static const uint8_t eth_pppoe_pfc[21] = { 0, 0, 0x5e, 0, 0x53, 1, 0, 0,
						   0x5e, 0, 0x53, 2, 0x88, 0x64,
						   0x11, 0x00, 0x00, 0x2d, 0x00,
						   0x42, 0x21 };
	/* PPPoE [ses 0x2d] length 87, PPP IPv6 (0x0057) */
	static const uint8_t eth_pppoe6[22] = { 0, 0, 0x5e, 0, 0x53, 1, 0, 0,
						0x5e, 0, 0x53, 2, 0x88, 0x64,
						0x11, 0x00, 0x00, 0x2d, 0x00,
						0x57, 0x00, 0x57 };
	/* PPPoE [ses 0x2d] length 6, PPP LCP (0xc021) echo request */
	static const uint8_t lcp[26] = { 0, 0, 0x5e, 0, 0x53, 1, 0, 0, 0x5e,
					 0, 0x53, 2, 0x88, 0x64, 0x11, 0x00,
					 0x00, 0x2d, 0x00, 0x06, 0xc0, 0x21,
					 0x09, 0x01, 0x00, 0x04 };
	uint8_t f[160];
	size_t n;

	n = CAT(f, PART(eth_pppoe), PART(IP4), PART(TCP_SEG));
	expect_seg(state, LINKTYPE_EN10MB, f, n, 4, 22);
	n = CAT(f, PART(eth_pppoe_pfc), PART(IP4), PART(TCP_SEG));
	expect_seg(state, LINKTYPE_EN10MB, f, n, 4, 21);
	n = CAT(f, PART(eth_pppoe6), PART(IP6), PART(TCP_SEG));
	expect_seg(state, LINKTYPE_EN10MB, f, n, 6, 22);
	expect(state, LINKTYPE_EN10MB, lcp, sizeof(lcp), sizeof(lcp), DECODE_NOT_TCP,
	       DK_LINK_OTHER);
	/* a PPPoE length longer than the frame */
	n = CAT(f, PART(eth_pppoe), PART(IP4), PART(TCP_SEG));
	put16(f + 18, 200);
	expect(state, LINKTYPE_EN10MB, f, n, n, DECODE_INVALID, DK_BAD_LINK);
	/* version/type other than 0x11 */
	n = CAT(f, PART(eth_pppoe), PART(IP4), PART(TCP_SEG));
	f[14] = 0x21;
	expect(state, LINKTYPE_EN10MB, f, n, n, DECODE_INVALID, DK_BAD_LINK);
}

static void test_sll(void **state)
{
	/* Linux cooked v1: In (0), ARPHRD_ETHER (1), addr len 6,
	 * 00:00:5e:00:53:02, ethertype IPv4 */
	static const uint8_t sll4[16] = { 0x00, 0x00, 0x00, 0x01, 0x00, 0x06,
					  0, 0, 0x5e, 0, 0x53, 2, 0, 0,
					  0x08, 0x00 };
	/* Linux cooked v1: Out (4), ARPHRD_LOOPBACK (772), ethertype IPv6 */
	static const uint8_t sll6[16] = { 0x00, 0x04, 0x03, 0x04, 0x00, 0x06,
					  0, 0, 0, 0, 0, 0, 0, 0, 0x86, 0xdd };
	/* Linux cooked v1: ARPHRD_NETLINK (824), netlink family 0 (route) */
	static const uint8_t sll_nl[20] = { 0x00, 0x04, 0x03, 0x38, 0x00, 0x00,
					    0, 0, 0, 0, 0, 0, 0, 0, 0x00,
					    0x00 };
	uint8_t f[160];
	size_t n;

	n = CAT(f, PART(sll4), PART(IP4), PART(TCP_SEG));
	expect_seg(state, LINKTYPE_LINUX_SLL, f, n, 4, 16);
	n = CAT(f, PART(sll6), PART(IP6), PART(TCP_SEG));
	expect_seg(state, LINKTYPE_LINUX_SLL, f, n, 6, 16);
	expect(state, LINKTYPE_LINUX_SLL, sll_nl, sizeof(sll_nl), sizeof(sll_nl),
	       DECODE_NOT_TCP, DK_LINK_OTHER);
}

static void test_sll2(void **state)
{
	/* Linux cooked v2: ethertype IPv4, ifindex 2, ARPHRD_ETHER, In,
	 * addr len 6, 00:00:5e:00:53:02 */
	static const uint8_t sll2[20] = { 0x08, 0x00, 0x00, 0x00, 0x00, 0x00,
					  0x00, 0x02, 0x00, 0x01, 0x00, 0x06,
					  0, 0, 0x5e, 0, 0x53, 2, 0, 0 };
	uint8_t f[160];
	size_t n = CAT(f, PART(sll2), PART(IP4), PART(TCP_SEG));

	expect_seg(state, LINKTYPE_LINUX_SLL2, f, n, 4, 20);
	n = CAT(f, PART(sll2), PART(IP6), PART(TCP_SEG));
	f[0] = 0x86; /* ethertype IPv6 */
	f[1] = 0xdd;
	expect_seg(state, LINKTYPE_LINUX_SLL2, f, n, 6, 20);
}

static void test_null_loop(void **state)
{
	/* BSD loopback, AF_INET (2) little-endian, as written on x86 */
	static const uint8_t null_le[4] = { 0x02, 0x00, 0x00, 0x00 };
	/* BSD loopback, AF_INET (2) big-endian, as written on SPARC/PowerPC */
	static const uint8_t null_be[4] = { 0x00, 0x00, 0x00, 0x02 };
	/* AF_INET6 on macOS (30), FreeBSD (28), OpenBSD (24), Linux (10) */
	static const uint8_t af6[4][4] = { { 30, 0, 0, 0 }, { 28, 0, 0, 0 },
					   { 0, 0, 0, 24 }, { 10, 0, 0, 0 } };
	/* AF_APPLETALK (16): not IP */
	static const uint8_t af_at[8] = { 16, 0, 0, 0, 1, 2, 3, 4 };
	uint8_t f[160];
	size_t n;

	n = CAT(f, PART(null_le), PART(IP4), PART(TCP_SEG));
	expect_seg(state, LINKTYPE_NULL, f, n, 4, 4);
	n = CAT(f, PART(null_be), PART(IP4), PART(TCP_SEG));
	expect_seg(state, LINKTYPE_NULL, f, n, 4, 4);
	expect_seg(state, LINKTYPE_LOOP, f, n, 4, 4);
	for (int i = 0; i < 4; i++) {
		n = CAT(f, PART(af6[i]), PART(IP6), PART(TCP_SEG));
		expect_seg(state, LINKTYPE_NULL, f, n, 6, 4);
		expect_seg(state, LINKTYPE_LOOP, f, n, 6, 4);
	}
	expect(state, LINKTYPE_NULL, af_at, sizeof(af_at), sizeof(af_at),
	       DECODE_NOT_TCP, DK_LINK_OTHER);
}

static void test_raw(void **state)
{
	uint8_t f4[80], f6[100];
	size_t n4 = CAT(f4, PART(IP4), PART(TCP_SEG));
	size_t n6 = CAT(f6, PART(IP6), PART(TCP_SEG));

	expect_seg(state, LINKTYPE_RAW, f4, n4, 4, 0);
	expect_seg(state, LINKTYPE_RAW, f6, n6, 6, 0);
	expect_seg(state, LINKTYPE_RAW_OPENBSD, f4, n4, 4, 0);
	expect_seg(state, LINKTYPE_RAW_OPENBSD, f6, n6, 6, 0);
	expect_seg(state, LINKTYPE_IPV4, f4, n4, 4, 0);
	expect_seg(state, LINKTYPE_IPV6, f6, n6, 6, 0);
	/* the link type says which version: the other one is bad */
	expect(state, LINKTYPE_IPV4, f6, n6, n6, DECODE_INVALID, DK_BAD_IP_VERSION);
	expect(state, LINKTYPE_IPV6, f4, n4, n4, DECODE_INVALID, DK_BAD_IP_VERSION);
	/* version 5 on raw IP */
	f4[0] = 0x55;
	expect(state, LINKTYPE_RAW, f4, n4, n4, DECODE_INVALID, DK_BAD_IP_VERSION);
	expect(state, LINKTYPE_RAW, f4, 0, 0, DECODE_TRUNCATED, DK_TRUNC_IPV4);
}

static void test_nflog(void **state)
{
	/* NFLOG: family AF_INET, version 0, resource 0; TLV len 8 type 10
	 * (prefix "ab\0\0"), TLV len 5 type 1 (hw protocol, padded to 8),
	 * TLV len 69 type 9 (payload), little-endian as Linux x86 writes */
	static const uint8_t nflog[24] = { 0x02, 0x00, 0x00, 0x00, 0x08, 0x00,
					   0x0a, 0x00, 'a', 'b', 0, 0,
					   0x05, 0x00, 0x01, 0x00, 0x08, 0,
					   0, 0, 0x45, 0x00, 0x09, 0x00 };
	/* the same, big-endian TLV headers */
	static const uint8_t nflog_be[24] = { 0x02, 0x00, 0x00, 0x00, 0x00,
					      0x08, 0x00, 0x0a, 'a', 'b', 0,
					      0, 0x00, 0x05, 0x00, 0x01, 0x08,
					      0, 0, 0, 0x00, 0x45, 0x00, 0x09 };
	/* NFLOG with a prefix only: no payload logged */
	static const uint8_t nflog_nopl[12] = { 0x02, 0x00, 0x00, 0x00, 0x08,
						0x00, 0x0a, 0x00, 'a', 'b', 0,
						0 };
	/* a TLV of length 2 (under its own header) */
	static const uint8_t nflog_bad[12] = { 0x02, 0x00, 0x00, 0x00, 0x02,
					       0x00, 0x0a, 0x00, 'a', 'b', 0,
					       0 };
	uint8_t f[160];
	size_t n = CAT(f, PART(nflog), PART(IP4), PART(TCP_SEG));

	expect_seg(state, LINKTYPE_NFLOG, f, n, 4, 24);
	n = CAT(f, PART(nflog_be), PART(IP4), PART(TCP_SEG));
	expect_seg(state, LINKTYPE_NFLOG, f, n, 4, 24);
	expect(state, LINKTYPE_NFLOG, nflog_nopl, sizeof(nflog_nopl),
	       sizeof(nflog_nopl), DECODE_NOT_TCP, DK_LINK_OTHER);
	expect(state, LINKTYPE_NFLOG, nflog_bad, sizeof(nflog_bad), sizeof(nflog_bad),
	       DECODE_INVALID, DK_BAD_LINK);
}

static void test_ipoib(void **state)
{
	/* IPoIB: 20-byte destination and source hardware addresses, then
	 * ethertype IPv4 and 2 reserved bytes */
	uint8_t hdr[44] = { 0 };
	uint8_t f[160];
	size_t n;

	hdr[40] = 0x08;
	n = CAT(f, PART(hdr), PART(IP4), PART(TCP_SEG));
	expect_seg(state, LINKTYPE_IPOIB, f, n, 4, 44);
	hdr[40] = 0x08;
	hdr[41] = 0x06; /* ARP */
	expect(state, LINKTYPE_IPOIB, hdr, sizeof(hdr), sizeof(hdr), DECODE_NOT_TCP,
	       DK_ARP);
	expect(state, LINKTYPE_IPOIB, hdr, 43, 43, DECODE_TRUNCATED, DK_TRUNC_LINK);
}

static void test_unsupported_link(void **state)
{
	uint8_t f[80];
	size_t n = CAT(f, PART(IP4), PART(TCP_SEG));

	/* every link type of the table: tests/test_linktype.c */
	assert_false(decode_link_supported(105)); /* IEEE 802.11 */
	assert_false(decode_link_supported(-1));
	expect(state, 105, f, n, n, DECODE_UNSUPPORTED, DK_UNSUPPORTED_LINK);
}

/* ---- IPv4 --------------------------------------------------------------- */

static void test_ipv4_options(void **state)
{
	/* IP (tos 0x0, ttl 64, id 1, flags [DF], proto TCP (6), length 73,
	 * options (RA value 0,NOP,NOP,NOP,NOP)) 192.0.2.1 > 198.51.100.2 */
	static const uint8_t ip4opt[28] = {
		0x47, 0x00, 0x00, 0x49, 0x00, 0x01, 0x40, 0x00, 0x40, 0x06,
		0x00, 0x00, 0xc0, 0x00, 0x02, 0x01, 0xc6, 0x33, 0x64, 0x02,
		0x94, 0x04, 0x00, 0x00, 0x01, 0x01, 0x01, 0x01,
	};
	uint8_t f[160];
	size_t n = CAT(f, PART(ETH4), PART(ip4opt), PART(TCP_SEG));

	expect_seg(state, LINKTYPE_EN10MB, f, n, 4, 14);
	/* IHL 15: 60-byte header, longer than this whole frame on the wire */
	f[14] = 0x4f;
	expect(state, LINKTYPE_EN10MB, f, 14 + 50, 14 + 50, DECODE_INVALID,
	       DK_BAD_IPV4_HLEN);
}

static void test_ipv4_bad(void **state)
{
	uint8_t f[160];
	size_t n;

	/* IHL 4 (under the minimum 5) */
	n = CAT(f, PART(ETH4), PART(IP4), PART(TCP_SEG));
	f[14] = 0x44;
	expect(state, LINKTYPE_EN10MB, f, n, n, DECODE_INVALID, DK_BAD_IPV4_HLEN);
	/* total length 19, under the header length */
	n = CAT(f, PART(ETH4), PART(IP4), PART(TCP_SEG));
	put16(f + 16, 19);
	expect(state, LINKTYPE_EN10MB, f, n, n, DECODE_INVALID, DK_BAD_IPV4_LEN);
	/* total length 66: one byte more than the frame had on the wire */
	put16(f + 16, 66);
	expect(state, LINKTYPE_EN10MB, f, n, n, DECODE_INVALID, DK_BAD_IPV4_LEN);
	/* total length 30: room for 10 bytes of TCP only */
	put16(f + 16, 30);
	expect(state, LINKTYPE_EN10MB, f, n, n, DECODE_INVALID, DK_BAD_IPV4_LEN);
	/* version 6 under ethertype IPv4 */
	n = CAT(f, PART(ETH4), PART(IP6), PART(TCP_SEG));
	expect(state, LINKTYPE_EN10MB, f, n, n, DECODE_INVALID, DK_BAD_IP_VERSION);
}

static void test_ipv4_not_tcp(void **state)
{
	/* IP 192.0.2.1.53 > 198.51.100.2.53: UDP, length 0 */
	static const uint8_t udp[28] = { 0x45, 0, 0x00, 0x1c, 0, 1, 0, 0,
					 64, 17, 0, 0, 192, 0, 2, 1, 198, 51,
					 100, 2, 0, 53, 0, 53, 0, 8, 0, 0 };
	/* IP 192.0.2.1 > 198.51.100.2: ICMP echo request, id 1, seq 1, length 8 */
	static const uint8_t icmp[28] = { 0x45, 0, 0x00, 0x1c, 0, 1, 0, 0,
					  64, 1, 0, 0, 192, 0, 2, 1, 198, 51,
					  100, 2, 8, 0, 0, 0, 0, 1, 0, 1 };
	/* IP 192.0.2.1 > 198.51.100.2: GREv0, length 4: IPv4 */
	static const uint8_t gre[24] = { 0x45, 0, 0x00, 0x18, 0, 1, 0, 0,
					 64, 47, 0, 0, 192, 0, 2, 1, 198, 51,
					 100, 2, 0, 0, 0x08, 0 };

	expect(state, LINKTYPE_RAW, udp, sizeof(udp), sizeof(udp), DECODE_NOT_TCP,
	       DK_IPV4_UDP);
	expect(state, LINKTYPE_RAW, icmp, sizeof(icmp), sizeof(icmp), DECODE_NOT_TCP,
	       DK_ICMP);
	expect(state, LINKTYPE_RAW, gre, sizeof(gre), sizeof(gre), DECODE_NOT_TCP,
	       DK_IP_OTHER);
}

static void test_ipv4_tunnel(void **state)
{
	/* IP 203.0.113.1 > 203.0.113.2: IP 192.0.2.1.40000 > ... (ipip-proto-4),
	 * length 85 */
	static const uint8_t outer[20] = { 0x45, 0, 0x00, 0x55, 0, 2, 0, 0,
					   64, 4, 0, 0, 203, 0, 113, 1, 203,
					   0, 113, 2 };
	/* IP 203.0.113.1 > 203.0.113.2: IP6 ... (6in4, proto 41), length 105 */
	static const uint8_t outer6[20] = { 0x45, 0, 0x00, 0x69, 0, 2, 0, 0,
					    64, 41, 0, 0, 203, 0, 113, 1, 203,
					    0, 113, 2 };
	uint8_t f[200];
	size_t n = CAT(f, PART(outer), PART(IP4), PART(TCP_SEG));

	expect_seg(state, LINKTYPE_RAW, f, n, 4, 0);
	n = CAT(f, PART(outer6), PART(IP6), PART(TCP_SEG));
	expect_seg(state, LINKTYPE_RAW, f, n, 6, 0);
	/* three levels of IP-in-IP: the innermost is not followed */
	n = CAT(f, PART(outer), PART(outer), PART(IP4), PART(TCP_SEG));
	put16(f + 2, 105);
	expect(state, LINKTYPE_RAW, f, n, n, DECODE_NOT_TCP, DK_IP_OTHER);
}

static void test_ipv4_fragments(void **state)
{
	/* IP (id 7, offset 0, flags [+], proto TCP (6), length 65): first
	 * fragment, whole TCP header inside */
	static const uint8_t first[20] = { 0x45, 0, 0x00, 0x41, 0, 7, 0x20, 0,
					   64, 6, 0, 0, 192, 0, 2, 1, 198, 51,
					   100, 2 };
	/* IP (id 7, offset 8, flags [+], proto TCP (6), length 28): later */
	static const uint8_t later[28] = { 0x45, 0, 0x00, 0x1c, 0, 7, 0x20, 1,
					   64, 6, 0, 0, 192, 0, 2, 1, 198, 51,
					   100, 2, 1, 2, 3, 4, 5, 6, 7, 8 };
	/* IP (id 7, offset 0, flags [+], proto TCP (6), length 28): first
	 * fragment with only 8 bytes of the TCP header */
	static const uint8_t tiny[28] = { 0x45, 0, 0x00, 0x1c, 0, 7, 0x20, 0,
					  64, 6, 0, 0, 192, 0, 2, 1, 198, 51,
					  100, 2, 0x9c, 0x40, 0, 0x50, 0, 0, 3,
					  0xe8 };
	/* IP (id 7, offset 16, flags [none], proto UDP (17), length 28) */
	static const uint8_t last_udp[28] = { 0x45, 0, 0x00, 0x1c, 0, 7, 0, 2,
					      64, 17, 0, 0, 192, 0, 2, 1, 198,
					      51, 100, 2 };
	uint8_t f[100];
	size_t n = CAT(f, PART(first), PART(TCP_SEG));
	struct pkt_view v;
	enum decode_kind k;

	assert_int_equal(dec(state, LINKTYPE_RAW, f, n, n, &v, &k), DECODE_TCP);
	check_seg(&v, 4);
	expect(state, LINKTYPE_RAW, later, sizeof(later), sizeof(later),
	       DECODE_FRAGMENT, DK_IP_FRAGMENT);
	expect(state, LINKTYPE_RAW, tiny, sizeof(tiny), sizeof(tiny), DECODE_FRAGMENT,
	       DK_IP_FRAGMENT);
	expect(state, LINKTYPE_RAW, last_udp, sizeof(last_udp), sizeof(last_udp),
	       DECODE_FRAGMENT, DK_IP_FRAGMENT);
}

static void test_ipv4_tso(void **state)
{
	/* IP (flags [DF], proto TCP (6), length 0 [TSO or BIG TCP]): the frame
	 * holds 20 + 40 + 70000 bytes */
	static uint8_t f[14 + 20 + 40 + 70000];
	struct pkt_view v;
	enum decode_kind k;

	memset(f, 'x', sizeof(f));
	memcpy(f, ETH4, 14);
	memcpy(f + 14, IP4, 20);
	put16(f + 16, 0);
	memcpy(f + 34, TCP_SEG, TCP_HDR);
	assert_int_equal(dec(state, LINKTYPE_EN10MB, f, sizeof(f), sizeof(f), &v, &k),
			 DECODE_TCP);
	assert_int_equal(k, DK_NONE);
	assert_true(v.ip_len_from_wire);
	assert_int_equal(v.payload_bytes, 70000);
	assert_int_equal(v.payload_captured, 70000);
	/* the same super-packet cut to 200 bytes by the snaplen */
	assert_int_equal(dec(state, LINKTYPE_EN10MB, f, 200, sizeof(f), &v, &k),
			 DECODE_TCP);
	assert_true(v.ip_len_from_wire);
	assert_true(v.snap_cut);
	assert_int_equal(v.payload_bytes, 70000);
	assert_int_equal(v.payload_captured, 200 - 74);
}

static void test_snaplen_cut(void **state)
{
	uint8_t f[128];
	size_t n = CAT(f, PART(ETH4), PART(IP4), PART(TCP_SEG));
	struct pkt_view v;
	enum decode_kind k;

	/* tcpdump -s 76: two payload bytes captured of five */
	assert_int_equal(dec(state, LINKTYPE_EN10MB, f, 76, n, &v, &k), DECODE_TCP);
	assert_int_equal(k, DK_NONE);
	assert_true(v.snap_cut);
	assert_int_equal(v.payload_bytes, 5);
	assert_int_equal(v.payload_captured, 2);
	assert_int_equal(v.seq, 1000);
}

/* ---- IPv6 --------------------------------------------------------------- */

/* Hop-by-hop options: next header Routing (43), length 0, PadN 4 */
static const uint8_t HBH_RT[8] = { 43, 0, 0x01, 0x04, 0, 0, 0, 0 };
/* Routing header: next header Destination Options (60), length 2, type 0,
 * segments left 0, one address 2001:db8::3 */
static const uint8_t RT0_DST[24] = { 60, 2, 0, 0, 0, 0, 0, 0,
				     0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
				     0, 0, 0, 0, 0, 0, 0, 3 };
/* Destination options: next header TCP (6), length 0, PadN 4 */
static const uint8_t DST_TCP[8] = { 6, 0, 0x01, 0x04, 0, 0, 0, 0 };
/* Fragment header: next header TCP, offset 0, M=1, id 0x01020304 */
static const uint8_t FRAG_FIRST[8] = { 6, 0, 0x00, 0x01, 1, 2, 3, 4 };
/* Fragment header: next header TCP, offset 0, M=0 (atomic fragment) */
static const uint8_t FRAG_ATOMIC[8] = { 6, 0, 0x00, 0x00, 1, 2, 3, 4 };
/* Fragment header: next header TCP, offset 1448, M=1 */
static const uint8_t FRAG_LATER[8] = { 6, 0, 0x0b, 0x51, 1, 2, 3, 4 };
/* AH: next header TCP, payload length 4 (24 bytes), SPI 0x100, seq 1,
 * 12-byte ICV */
static const uint8_t AH_TCP[24] = { 6, 4, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1 };

static size_t ip6_frame(uint8_t *f, size_t cap, uint8_t nh,
			const struct part *ext, size_t next)
{
	struct part parts[16];
	size_t np = 0, n, ext_len = 0;

	parts[np++] = PART(ETH6);
	parts[np++] = PART(IP6);
	for (size_t i = 0; i < next; i++) {
		parts[np++] = ext[i];
		ext_len += ext[i].n;
	}
	parts[np++] = PART(TCP_SEG);
	n = cat(f, cap, parts, np);
	put16(f + 14 + 4, (uint16_t)(45 + ext_len));
	f[14 + 6] = nh;
	return n;
}

static void test_ipv6_ext_chain(void **state)
{
	uint8_t f[400];
	size_t n;
	struct pkt_view v;
	enum decode_kind k;

	n = ip6_frame(f, sizeof(f), 0,
		      (struct part[]){ PART(HBH_RT), PART(RT0_DST),
				       PART(DST_TCP) }, 3);
	expect_seg(state, LINKTYPE_EN10MB, f, n, 6, 14);
	n = ip6_frame(f, sizeof(f), 51, (struct part[]){ PART(AH_TCP) }, 1);
	expect_seg(state, LINKTYPE_EN10MB, f, n, 6, 14);
	n = ip6_frame(f, sizeof(f), 44, (struct part[]){ PART(FRAG_ATOMIC) }, 1);
	expect_seg(state, LINKTYPE_EN10MB, f, n, 6, 14);
	n = ip6_frame(f, sizeof(f), 44, (struct part[]){ PART(FRAG_FIRST) }, 1);
	assert_int_equal(dec(state, LINKTYPE_EN10MB, f, n, n, &v, &k), DECODE_TCP);
	check_seg(&v, 6);
	n = ip6_frame(f, sizeof(f), 44, (struct part[]){ PART(FRAG_LATER) }, 1);
	expect(state, LINKTYPE_EN10MB, f, n, n, DECODE_FRAGMENT, DK_IP_FRAGMENT);

	/* nine destination-options headers: the chain is too long */
	{
		static const uint8_t dst_dst[8] = { 60, 0, 1, 4, 0, 0, 0, 0 };
		struct part nine[9];

		for (int i = 0; i < 8; i++)
			nine[i] = PART(dst_dst);
		nine[8] = PART(DST_TCP);
		n = ip6_frame(f, sizeof(f), 60, nine, 9);
		expect(state, LINKTYPE_EN10MB, f, n, n, DECODE_INVALID,
		       DK_IPV6_EXT_CHAIN);
		/* eight is fine */
		n = ip6_frame(f, sizeof(f), 60, nine + 1, 8);
		expect_seg(state, LINKTYPE_EN10MB, f, n, 6, 14);
	}
	/* an extension header longer than the payload length allows */
	n = ip6_frame(f, sizeof(f), 0,
		      (struct part[]){ PART(HBH_RT), PART(RT0_DST),
				       PART(DST_TCP) }, 3);
	f[14 + 40 + 8 + 1] = 200;
	expect(state, LINKTYPE_EN10MB, f, n, n, DECODE_INVALID, DK_BAD_IPV6_LEN);
	/* no next header (59) */
	n = ip6_frame(f, sizeof(f), 59, NULL, 0);
	expect(state, LINKTYPE_EN10MB, f, n, n, DECODE_NOT_TCP, DK_IP_OTHER);
	/* ICMPv6 (58), UDP (17) */
	n = ip6_frame(f, sizeof(f), 58, NULL, 0);
	expect(state, LINKTYPE_EN10MB, f, n, n, DECODE_NOT_TCP, DK_ICMPV6);
	n = ip6_frame(f, sizeof(f), 17, NULL, 0);
	expect(state, LINKTYPE_EN10MB, f, n, n, DECODE_NOT_TCP, DK_IPV4_UDP);
}

static void test_ipv6_lengths(void **state)
{
	uint8_t f[200];
	size_t n;
	struct pkt_view v;
	enum decode_kind k;

	/* payload length 46: one more byte than the wire had */
	n = ip6_frame(f, sizeof(f), 6, NULL, 0);
	put16(f + 18, 46);
	expect(state, LINKTYPE_EN10MB, f, n, n, DECODE_INVALID, DK_BAD_IPV6_LEN);
	/* payload length 10: no room for a TCP header */
	put16(f + 18, 10);
	expect(state, LINKTYPE_EN10MB, f, n, n, DECODE_INVALID, DK_BAD_IPV6_LEN);
	/* payload length 0 without a jumbo option (BIG TCP): from the frame */
	put16(f + 18, 0);
	assert_int_equal(dec(state, LINKTYPE_EN10MB, f, n, n, &v, &k), DECODE_TCP);
	assert_true(v.ip_len_from_wire);
	check_seg(&v, 6);
	/* version 4 under ethertype IPv6 */
	n = CAT(f, PART(ETH6), PART(IP4), PART(TCP_SEG));
	expect(state, LINKTYPE_EN10MB, f, n, n, DECODE_INVALID, DK_BAD_IP_VERSION);
}

static void test_ipv6_jumbo(void **state)
{
	/* Hop-by-hop: next header TCP, length 0, Jumbo Payload 70048
	 * (RFC 2675), as Linux BIG TCP writes it */
	static const uint8_t hbh_jumbo[8] = { 6, 0, 0xc2, 0x04, 0x00, 0x01,
					      0x11, 0xa0 };
	static uint8_t f[14 + 40 + 8 + 40 + 70000];
	struct pkt_view v;
	enum decode_kind k;

	memset(f, 'y', sizeof(f));
	memcpy(f, ETH6, 14);
	memcpy(f + 14, IP6, 40);
	put16(f + 18, 0);
	f[20] = 0;
	memcpy(f + 54, hbh_jumbo, 8);
	memcpy(f + 62, TCP_SEG, TCP_HDR);
	assert_int_equal(dec(state, LINKTYPE_EN10MB, f, sizeof(f), sizeof(f), &v, &k),
			 DECODE_TCP);
	assert_int_equal(k, DK_NONE);
	assert_false(v.ip_len_from_wire);
	assert_int_equal(v.payload_bytes, 70000);
	assert_int_equal(v.payload_captured, 70000);
	/* a jumbo length beyond the frame */
	f[54 + 5] = 0x02;
	expect(state, LINKTYPE_EN10MB, f, sizeof(f), sizeof(f), DECODE_INVALID,
	       DK_BAD_IPV6_LEN);
}

/* ---- TCP ---------------------------------------------------------------- */

/* Decode raw IPv4 + a 20-byte TCP header with `olen` option bytes. */
static enum decode_result tcp_with_opts(void **state, const uint8_t *opts,
					size_t olen, struct pkt_view *v,
					enum decode_kind *k)
{
	uint8_t f[100];
	size_t n;

	assert_true(olen <= 40 && olen % 4 == 0);
	memcpy(f, IP4, 20);
	memcpy(f + 20, TCP_SEG, 20);
	memcpy(f + 40, opts, olen);
	n = 40 + olen;
	put16(f + 2, (uint16_t)n);
	f[32] = (uint8_t)(((20 + olen) / 4) << 4);
	return dec(state, LINKTYPE_RAW, f, n, n, v, k);
}

static void test_tcp_options(void **state)
{
	struct pkt_view v;
	enum decode_kind k;

	/* options [mss 536] */
	static const uint8_t mss[4] = { 2, 4, 0x02, 0x18 };
	/* options [wscale 14,nop] */
	static const uint8_t ws[4] = { 3, 3, 14, 1 };
	/* options [sackOK,nop,nop] */
	static const uint8_t sackok[4] = { 4, 2, 1, 1 };
	/* options [nop,nop,sack 4 {1:2}{3:4}{5:6}{7:8}] */
	static const uint8_t sack4[36] = { 1, 1, 5, 34, 0, 0, 0, 1, 0, 0, 0, 2,
					   0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 5,
					   0, 0, 0, 6, 0, 0, 0, 7, 0, 0, 0, 8 };
	/* options [nop,nop,TS val 1 ecr 4294967295] */
	static const uint8_t ts[12] = { 1, 1, 8, 10, 0, 0, 0, 1,
					0xff, 0xff, 0xff, 0xff };
	/* options [mptcp capable (30) len 12, nop, nop, mss 1400]: unknown
	 * kind skipped by its length */
	static const uint8_t unk[16] = { 30, 12, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
					 1, 1, 0, 0 };
	/* options [eol] then bytes that look like an MSS option */
	static const uint8_t eol[8] = { 0, 0, 0, 0, 2, 4, 0x05, 0xb4 };

	assert_int_equal(tcp_with_opts(state, mss, 4, &v, &k), DECODE_TCP);
	assert_int_equal(k, DK_NONE);
	assert_true(v.opt.has_mss);
	assert_int_equal(v.opt.mss, 536);
	assert_false(v.opt.has_wscale || v.opt.has_ts || v.opt.sack_permitted);

	assert_int_equal(tcp_with_opts(state, ws, 4, &v, &k), DECODE_TCP);
	assert_true(v.opt.has_wscale);
	assert_int_equal(v.opt.wscale, 14);

	assert_int_equal(tcp_with_opts(state, sackok, 4, &v, &k), DECODE_TCP);
	assert_true(v.opt.sack_permitted);

	assert_int_equal(tcp_with_opts(state, sack4, 36, &v, &k), DECODE_TCP);
	assert_int_equal(k, DK_NONE);
	assert_int_equal(v.opt.sack_count, 4);
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(v.opt.sack[i].left, 2 * i + 1);
		assert_int_equal(v.opt.sack[i].right, 2 * i + 2);
	}

	assert_int_equal(tcp_with_opts(state, ts, 12, &v, &k), DECODE_TCP);
	assert_true(v.opt.has_ts);
	assert_int_equal(v.opt.ts_val, 1);
	assert_int_equal(v.opt.ts_ecr, 0xffffffffu);

	assert_int_equal(tcp_with_opts(state, unk, 16, &v, &k), DECODE_TCP);
	assert_int_equal(k, DK_NONE);
	assert_false(v.opt.malformed);
	assert_false(v.opt.has_mss);

	assert_int_equal(tcp_with_opts(state, eol, 8, &v, &k), DECODE_TCP);
	assert_int_equal(k, DK_NONE);
	assert_false(v.opt.has_mss);
}

static void test_tcp_bad_options(void **state)
{
	/* each: the walk stops or the option is rejected; DECODE_TCP with
	 * opt.malformed and DK_BAD_TCP_OPTION */
	static const struct {
		uint8_t o[8];
		uint8_t len;
	} bad[] = {
		{ { 2, 0, 0, 0 }, 4 },             /* length 0 */
		{ { 1, 1, 2, 1, 0, 0, 0, 0 }, 8 }, /* nop,nop, length 1 */
		{ { 1, 1, 1, 2, 9, 0, 0, 0 }, 8 }, /* length 9, 5 bytes left */
		{ { 1, 1, 1, 1, 1, 1, 1, 8 }, 8 }, /* length byte missing */
		{ { 2, 3, 5, 0 }, 4 },             /* mss with length 3 */
		{ { 3, 4, 7, 0 }, 4 },             /* wscale with length 4 */
		{ { 4, 3, 0, 0 }, 4 },             /* sackOK with length 3 */
		{ { 5, 2, 1, 1 }, 4 },             /* empty SACK (length 2) */
		{ { 5, 6, 0, 0, 0, 1, 1, 1 }, 8 }, /* SACK with half a block */
		{ { 8, 6, 0, 0, 0, 1, 0, 0 }, 8 }, /* timestamps, length 6 */
	};
	struct pkt_view v;
	enum decode_kind k;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		k = DK_NONE;
		assert_int_equal(tcp_with_opts(state, bad[i].o, bad[i].len, &v,
					       &k),
				 DECODE_TCP);
		assert_int_equal(k, DK_BAD_TCP_OPTION);
		assert_true(v.opt.malformed);
		assert_int_equal(v.seq, 1000);
	}
	/* a good MSS before a bad option is kept */
	{
		static const uint8_t mss_then_bad[8] = { 2, 4, 0x05, 0xb4, 1, 1,
							 0x22, 1 };

		assert_int_equal(tcp_with_opts(state, mss_then_bad, 8, &v, &k),
				 DECODE_TCP);
		assert_int_equal(k, DK_BAD_TCP_OPTION);
		assert_true(v.opt.has_mss);
		assert_int_equal(v.opt.mss, 1460);
	}
}

static void test_tcp_iterator(void **state)
{
	/* options [nop,mss 1460,unknown kind 99 len 3,eol] */
	static const uint8_t o[9] = { 1, 2, 4, 0x05, 0xb4, 99, 3, 0xab, 0 };
	struct tcp_opts_iter it;
	struct tcp_opt opt;

	(void)state;
	tcp_opts_begin(&it, o, sizeof(o));
	assert_int_equal(tcp_opts_next(&it, &opt), 1);
	assert_int_equal(opt.kind, TCP_OPT_NOP);
	assert_int_equal(opt.len, 1);
	assert_int_equal(tcp_opts_next(&it, &opt), 1);
	assert_int_equal(opt.kind, TCP_OPT_MSS);
	assert_int_equal(opt.len, 4);
	assert_int_equal(bytes_left(&opt.data), 2);
	assert_int_equal(bytes_be16(&opt.data), 1460);
	assert_int_equal(tcp_opts_next(&it, &opt), 1);
	assert_int_equal(opt.kind, 99);
	assert_int_equal(bytes_left(&opt.data), 1);
	assert_int_equal(bytes_u8(&opt.data), 0xab);
	assert_int_equal(tcp_opts_next(&it, &opt), 0);
	assert_int_equal(tcp_opts_next(&it, &opt), 0);
	tcp_opts_begin(&it, o, 4); /* MSS cut after its first data byte */
	assert_int_equal(tcp_opts_next(&it, &opt), 1);
	assert_int_equal(tcp_opts_next(&it, &opt), -1);
	assert_int_equal(tcp_opts_next(&it, &opt), 0);
}

/*
 * A D-SACK duplicate ACK as Linux sends it, over Ethernet and IPv6:
 * options [nop,nop,TS val 0x01020304 ecr 0x05060708,nop,nop,
 * sack 2 {0x1000:0x2000}{0x3000:0x4000}], 32 option bytes, 12 payload
 * bytes. Captured with every snaplen from the end of the fixed TCP header
 * (74) to the whole frame: tcpdump -s 96 prints `sack 1 [|tcp]` for the
 * one-block form of it.
 */
static size_t dsack_frame(uint8_t f[static 160], uint8_t sack_blocks)
{
	static const uint8_t tcp[20] = { 0x9c, 0x40, 0x00, 0x50, 0, 0, 0x03,
					 0xe8, 0, 0, 0x07, 0xd0, 0x00, 0x10,
					 0x01, 0xf5, 0, 0, 0, 0 };
	static const uint8_t opts[32] = { 1, 1, 8, 10, 1, 2, 3, 4, 5, 6, 7, 8,
					  1, 1, 5, 18, 0, 0, 0x10, 0, 0, 0,
					  0x20, 0, 0, 0, 0x30, 0, 0, 0, 0x40,
					  0 };
	size_t olen = 14 + 2 + 8u * sack_blocks;
	size_t n = 0;

	memcpy(f + n, ETH6, sizeof(ETH6));
	n += sizeof(ETH6);
	memcpy(f + n, IP6, sizeof(IP6));
	n += sizeof(IP6);
	memcpy(f + n, tcp, sizeof(tcp));
	n += sizeof(tcp);
	memcpy(f + n, opts, olen);
	f[n + 15] = (uint8_t)(2 + 8 * sack_blocks);
	n += olen;
	while (olen % 4) { /* pad with EOL */
		f[n++] = 0;
		olen++;
	}
	memset(f + n, 'd', 12);
	n += 12;
	put16(f + 14 + 4, (uint16_t)(n - 54));
	f[54 + 12] = (uint8_t)((20 + olen) / 4 << 4);
	return n;
}

static void test_tcp_options_cut(void **state)
{
	const struct guard *g = *state;

	for (uint8_t blocks = 1; blocks <= 2; blocks++) {
		uint8_t f[160];
		size_t n = dsack_frame(f, blocks);
		size_t hdr_end = n - 12; /* end of the TCP options */
		size_t sack_end = 74 + 16 + 8u * blocks;

		for (size_t cap = 54; cap <= n; cap++) {
			struct pkt_view v;
			enum decode_kind k;
			enum decode_result r = dec(state, LINKTYPE_EN10MB, f, cap, n,
						   &v, &k);

			if (cap < 74) {
				assert_int_equal(r, DECODE_TRUNCATED);
				assert_int_equal(k, DK_TRUNC_TCP);
				continue;
			}
			if (r != DECODE_TCP || k != DK_NONE)
				fail_msg("%u blocks, cut at %zu: got %d/%s",
					 blocks, cap, r, decode_kind_name(k));
			assert_int_equal(v.ip_version, 6);
			assert_int_equal(v.seq, 1000);
			assert_int_equal(v.ack, 2000);
			assert_int_equal(v.flags, TCP_ACK);
			assert_int_equal(v.window, 501);
			assert_int_equal(v.payload_bytes, 12);
			assert_int_equal(v.snap_cut, cap < n);
			assert_false(v.opt.malformed);
			assert_int_equal(v.opt.truncated, cap < hdr_end);
			/* only options wholly captured: TS ends at 86, the
			 * SACK option at sack_end */
			assert_int_equal(v.opt.has_ts, cap >= 86);
			if (v.opt.has_ts) {
				assert_int_equal(v.opt.ts_val, 0x01020304u);
				assert_int_equal(v.opt.ts_ecr, 0x05060708u);
			}
			assert_int_equal(v.opt.sack_count,
					 cap >= sack_end ? blocks : 0);
			for (unsigned i = 0; i < v.opt.sack_count; i++) {
				assert_int_equal(v.opt.sack[i].left,
						 0x1000u + 0x2000u * i);
				assert_int_equal(v.opt.sack[i].right,
						 0x2000u + 0x2000u * i);
			}
			if (cap < hdr_end) {
				assert_int_equal(v.payload_captured, 0);
				assert_ptr_equal(v.payload, g->limit);
			} else {
				assert_int_equal(v.payload_captured,
						 cap - hdr_end);
			}
		}
	}
}

static void test_tcp_options_cut_bad(void **state)
{
	uint8_t f[160];
	size_t n = dsack_frame(f, 2);
	struct pkt_view v;
	enum decode_kind k;

	/* a bad option before the cut is still a bad option: TS length 6 */
	f[54 + 20 + 3] = 6;
	assert_int_equal(dec(state, LINKTYPE_EN10MB, f, 96, n, &v, &k), DECODE_TCP);
	assert_int_equal(k, DK_BAD_TCP_OPTION);
	assert_true(v.opt.malformed && v.opt.truncated && v.snap_cut);
	/* a length byte captured that runs past the data offset is bad even
	 * though the capture ends first: SACK length 40 in a 32-byte list */
	n = dsack_frame(f, 2);
	f[54 + 20 + 15] = 40;
	assert_int_equal(dec(state, LINKTYPE_EN10MB, f, 96, n, &v, &k), DECODE_TCP);
	assert_int_equal(k, DK_BAD_TCP_OPTION);
	assert_true(v.opt.malformed && v.opt.truncated);
	assert_true(v.opt.has_ts);
	/* the same SACK length that fits is only cut */
	f[54 + 20 + 15] = 18;
	assert_int_equal(dec(state, LINKTYPE_EN10MB, f, 96, n, &v, &k), DECODE_TCP);
	assert_int_equal(k, DK_NONE);
	assert_false(v.opt.malformed);
	/* a cut inside the fixed header stays a decode error */
	assert_int_equal(dec(state, LINKTYPE_EN10MB, f, 73, n, &v, &k),
			 DECODE_TRUNCATED);
	assert_int_equal(k, DK_TRUNC_TCP);
	/* caplen = wirelen: the IP length claims more than the wire, invalid */
	assert_int_equal(dec(state, LINKTYPE_EN10MB, f, 96, 96, &v, &k),
			 DECODE_INVALID);
	assert_int_equal(k, DK_BAD_IPV6_LEN);
}

static void test_tcp_iterator_cut(void **state)
{
	/* options [nop,mss 1460,TS val 1 ecr 2] with only `cap` bytes */
	static const uint8_t o[16] = { 1, 2, 4, 0x05, 0xb4, 8, 10, 0, 0, 0, 1,
				       0, 0, 0, 2, 0 };
	struct tcp_opts_iter it;
	struct tcp_opt opt;
	struct tcp_options to;

	(void)state;
	tcp_opts_begin_cut(&it, o, sizeof(o), 3); /* length byte of MSS */
	assert_int_equal(tcp_opts_next(&it, &opt), 1);
	assert_int_equal(tcp_opts_next(&it, &opt), TCP_OPTS_CUT);
	assert_int_equal(tcp_opts_next(&it, &opt), 0);
	tcp_opts_begin_cut(&it, o, sizeof(o), 2); /* before the length byte */
	assert_int_equal(tcp_opts_next(&it, &opt), 1);
	assert_int_equal(tcp_opts_next(&it, &opt), TCP_OPTS_CUT);
	tcp_opts_begin_cut(&it, o, sizeof(o), 5); /* at an option boundary */
	assert_int_equal(tcp_opts_next(&it, &opt), 1);
	assert_int_equal(tcp_opts_next(&it, &opt), 1);
	assert_int_equal(opt.kind, TCP_OPT_MSS);
	assert_int_equal(tcp_opts_next(&it, &opt), TCP_OPTS_CUT);
	/* the whole list: the EOL after TS ends the walk */
	tcp_opts_begin_cut(&it, o, sizeof(o), 99);
	for (int i = 0; i < 3; i++)
		assert_int_equal(tcp_opts_next(&it, &opt), 1);
	assert_int_equal(tcp_opts_next(&it, &opt), 0);
	/* a length past the end of the options is bad, cut or not */
	tcp_opts_begin_cut(&it, (const uint8_t[]){ 8, 10, 0, 0 }, 4, 3);
	assert_int_equal(tcp_opts_next(&it, &opt), TCP_OPTS_BAD);

	for (size_t cap = 0; cap <= sizeof(o); cap++) {
		tcp_opts_parse_cut(o, sizeof(o), cap, &to);
		assert_false(to.malformed);
		assert_int_equal(to.truncated, cap < sizeof(o));
		assert_int_equal(to.has_mss, cap >= 5);
		assert_int_equal(to.has_ts, cap >= 15);
	}
}

static void test_tcp_header_bad(void **state)
{
	uint8_t f[100];
	size_t n = CAT(f, PART(IP4), PART(TCP_SEG));
	struct pkt_view v;
	enum decode_kind k;

	/* data offset 4 */
	f[32] = 0x41;
	expect(state, LINKTYPE_RAW, f, n, n, DECODE_INVALID, DK_BAD_TCP_OFFSET);
	/* data offset 15 (60 bytes) in a 45-byte segment */
	f[32] = 0xf1;
	expect(state, LINKTYPE_RAW, f, n, n, DECODE_INVALID, DK_BAD_TCP_OFFSET);
	/* all 12 flag bits set (AE, CWR, ECE, URG, ACK, PSH, RST, SYN, FIN),
	 * reserved bits ignored */
	f[32] = 0xaf;
	f[33] = 0xff;
	assert_int_equal(dec(state, LINKTYPE_RAW, f, n, n, &v, &k), DECODE_TCP);
	assert_int_equal(v.flags, 0x1ff);
}

/* ---- cut at every byte offset ------------------------------------------- */

struct layer {
	size_t end;            /* captured bytes needed to finish this header */
	enum decode_kind kind; /* kind when the capture stops before */
};

/*
 * Cut the frame after every byte. With the wire length kept (a snaplen
 * cut), each prefix is TRUNCATED with the kind of the header it stops in,
 * up to the end of the fixed 20-byte TCP header (the last layer). From there
 * the segment decodes with the payload bytes from the IP length: while the
 * options of TCP_SEG (mss 1460, sackOK, TS val 0x11223344 ecr 0x55667788,
 * nop, wscale 7) are cut, opt.truncated is set, only the options wholly
 * captured are there, and nothing is a decode error. Every decode reads
 * right up to the guard page, and the view never points past it.
 */
static void cut_everywhere(void **state, int dlt, const uint8_t *f, size_t n,
			   const struct layer *layers, size_t nlayers,
			   uint8_t ipver)
{
	const struct guard *g = *state;
	size_t fixed_end = layers[nlayers - 1].end;

	assert_int_equal(layers[nlayers - 1].kind, DK_TRUNC_TCP);
	for (size_t cap = 0; cap <= n; cap++) {
		struct pkt_view v;
		enum decode_kind k = DK_NONE;
		enum decode_result r = dec(state, dlt, f, cap, n, &v, &k);
		size_t i = 0;

		while (i < nlayers && cap >= layers[i].end)
			i++;
		if (i < nlayers) {
			if (r != DECODE_TRUNCATED || k != layers[i].kind)
				fail_msg("cut at %zu: got %d/%s, want truncated/%s",
					 cap, r, decode_kind_name(k),
					 decode_kind_name(layers[i].kind));
			continue;
		}
		if (r != DECODE_TCP || k != DK_NONE)
			fail_msg("cut at %zu: got %d/%s, want a clean segment",
				 cap, r, decode_kind_name(k));
		assert_int_equal(v.ip_version, ipver);
		assert_int_equal(v.sport, 40000);
		assert_int_equal(v.dport, 80);
		assert_int_equal(v.seq, 1000);
		assert_int_equal(v.ack, 2000);
		assert_int_equal(v.flags, TCP_PSH | TCP_ACK | TCP_AE);
		assert_int_equal(v.window, 0xffff);
		assert_int_equal(v.payload_bytes, 5);
		assert_int_equal(v.snap_cut, cap < n);
		assert_false(v.opt.malformed);
		if (cap < fixed_end + 20) {
			size_t o = cap - fixed_end; /* option bytes captured */

			assert_true(v.opt.truncated);
			assert_true(v.snap_cut);
			assert_int_equal(v.payload_captured, 0);
			assert_ptr_equal(v.payload, g->limit);
			assert_int_equal(v.opt.has_mss, o >= 4);
			assert_int_equal(v.opt.sack_permitted, o >= 6);
			assert_int_equal(v.opt.has_ts, o >= 16);
			assert_false(v.opt.has_wscale);
		} else {
			assert_false(v.opt.truncated);
			assert_int_equal(v.payload_captured, cap - (n - 5));
			assert_true(v.opt.has_wscale);
			assert_int_equal(v.opt.wscale, 7);
		}
		if (v.opt.has_mss)
			assert_int_equal(v.opt.mss, 1460);
		if (v.opt.has_ts) {
			assert_int_equal(v.opt.ts_val, 0x11223344u);
			assert_int_equal(v.opt.ts_ecr, 0x55667788u);
		}
	}
}

static void test_cut_ethernet_ipv4(void **state)
{
	uint8_t f[128];
	size_t n = CAT(f, PART(ETH4), PART(IP4), PART(TCP_SEG));
	const struct layer l[] = { { 14, DK_TRUNC_LINK },
				   { 34, DK_TRUNC_IPV4 },
				   { 54, DK_TRUNC_TCP } };

	cut_everywhere(state, LINKTYPE_EN10MB, f, n, l, 3, 4);

	/* the frame really was that short (caplen = wirelen): once the IPv4
	 * header is there, its total length claims more than the wire had */
	for (size_t cap = 0; cap < n; cap++) {
		struct pkt_view v;
		enum decode_kind k;
		enum decode_result r = dec(state, LINKTYPE_EN10MB, f, cap, cap, &v, &k);

		if (cap < 14)
			assert_int_equal(k, DK_TRUNC_LINK);
		else if (cap < 34)
			assert_int_equal(k, DK_TRUNC_IPV4);
		else
			assert_int_equal(k, DK_BAD_IPV4_LEN);
		assert_int_not_equal(r, DECODE_TCP);
	}
}

static void test_cut_vlan_pppoe(void **state)
{
	/* ethertype 802.1Q, vlan 7, ethertype PPPoE session (0x8864) */
	static const uint8_t eth_q[18] = { 0, 0, 0x5e, 0, 0x53, 1, 0, 0, 0x5e,
					   0, 0x53, 2, 0x81, 0x00, 0x00, 0x07,
					   0x88, 0x64 };
	/* PPPoE [ses 0x2d] length 67, PPP IPv4 */
	static const uint8_t pppoe[8] = { 0x11, 0, 0, 0x2d, 0, 0x43, 0, 0x21 };
	uint8_t f[160];
	size_t n = CAT(f, PART(eth_q), PART(pppoe), PART(IP4), PART(TCP_SEG));
	const struct layer l[] = { { 26, DK_TRUNC_LINK },
				   { 46, DK_TRUNC_IPV4 },
				   { 66, DK_TRUNC_TCP } };

	cut_everywhere(state, LINKTYPE_EN10MB, f, n, l, 3, 4);
}

static void test_cut_sll2_ipv6_ext(void **state)
{
	/* Linux cooked v2: ethertype IPv6, ifindex 1, ARPHRD_LOOPBACK, Out */
	static const uint8_t sll2[20] = { 0x86, 0xdd, 0, 0, 0, 0, 0, 1, 0x03,
					  0x04, 0x04, 0x06 };
	/* Hop-by-hop: next header Destination Options, length 0, PadN 4 */
	static const uint8_t hbh[8] = { 60, 0, 1, 4, 0, 0, 0, 0 };
	uint8_t f[200];
	size_t n = CAT(f, PART(sll2), PART(IP6), PART(hbh), PART(DST_TCP),
		       PART(TCP_SEG));
	const struct layer l[] = { { 20, DK_TRUNC_LINK },
				   { 60, DK_TRUNC_IPV6 },
				   { 68, DK_TRUNC_IPV6_EXT },
				   { 76, DK_TRUNC_IPV6_EXT },
				   { 96, DK_TRUNC_TCP } };

	put16(f + 20 + 4, 45 + 16);
	f[20 + 6] = 0;
	cut_everywhere(state, LINKTYPE_LINUX_SLL2, f, n, l, 5, 6);
}

static void test_cut_nflog(void **state)
{
	/* NFLOG AF_INET; TLV prefix (len 8, type 10); payload TLV len 69 */
	static const uint8_t nflog[16] = { 2, 0, 0, 0, 8, 0, 10, 0, 'a', 0, 0,
					   0, 69, 0, 9, 0 };
	uint8_t f[160];
	size_t n = CAT(f, PART(nflog), PART(IP4), PART(TCP_SEG));
	const struct layer l[] = { { 16, DK_TRUNC_LINK },
				   { 36, DK_TRUNC_IPV4 },
				   { 56, DK_TRUNC_TCP } };

	cut_everywhere(state, LINKTYPE_NFLOG, f, n, l, 3, 4);
}

static void test_cut_every_link(void **state)
{
	/* the remaining link types: cut everywhere, no fault, and truncated
	 * (never TCP) until the fixed TCP header is there */
	static const uint8_t null_le[4] = { 2, 0, 0, 0 };
	static const uint8_t sll[16] = { 0, 0, 0, 1, 0, 6, 0, 0, 0x5e, 0, 0x53,
					 2, 0, 0, 0x08, 0x00 };
	uint8_t ipoib[44] = { 0 };
	uint8_t f[160];
	size_t n;

	ipoib[40] = 0x08;
	n = CAT(f, PART(null_le), PART(IP4), PART(TCP_SEG));
	cut_everywhere(state, LINKTYPE_NULL, f, n,
		       (const struct layer[]){ { 4, DK_TRUNC_LINK },
					       { 24, DK_TRUNC_IPV4 },
					       { 44, DK_TRUNC_TCP } },
		       3, 4);
	n = CAT(f, PART(sll), PART(IP4), PART(TCP_SEG));
	cut_everywhere(state, LINKTYPE_LINUX_SLL, f, n,
		       (const struct layer[]){ { 16, DK_TRUNC_LINK },
					       { 36, DK_TRUNC_IPV4 },
					       { 56, DK_TRUNC_TCP } },
		       3, 4);
	n = CAT(f, PART(ipoib), PART(IP4), PART(TCP_SEG));
	cut_everywhere(state, LINKTYPE_IPOIB, f, n,
		       (const struct layer[]){ { 44, DK_TRUNC_LINK },
					       { 64, DK_TRUNC_IPV4 },
					       { 84, DK_TRUNC_TCP } },
		       3, 4);
	n = CAT(f, PART(IP6), PART(TCP_SEG));
	cut_everywhere(state, LINKTYPE_IPV6, f, n,
		       (const struct layer[]){ { 40, DK_TRUNC_IPV6 },
					       { 60, DK_TRUNC_TCP } },
		       2, 6);
}

static void test_kind_names(void **state)
{
	(void)state;
	assert_string_equal(decode_kind_name(DK_NONE), "none");
	assert_string_equal(decode_kind_name(DK_TRUNC_TCP),
			    "truncated TCP header");
	assert_string_equal(decode_kind_name(DK_BAD_IPV4_HLEN),
			    "bad IPv4 header length");
	assert_string_equal(decode_kind_name(DECODE_KIND_COUNT), "?");
	for (int k = 0; k < DECODE_KIND_COUNT; k++)
		assert_string_not_equal(decode_kind_name(k), "?");
}

/* Byte 0 of a fuzz_decode input: a row of the link-type table, or past the
 * last row IEEE 802.11 (105), which the decoder does not know. */
static int regress_dlt(uint8_t pick)
{
	const struct linktype *lt;
	size_t rows = 0;

	while (linktype_at(rows))
		rows++;
	lt = linktype_at(pick % (rows + 1));
	return lt ? lt->dlt : 105;
}

/* testdata/regress/decode-*.bin (fuzz_decode input format): each gives the
 * result recorded when it was added. */
static void test_regress_inputs(void **state)
{
	static const struct {
		const char *file;
		enum decode_result r;
		enum decode_kind k;
	} cases[] = {
		{ "decode-vlan-9-tags.bin", DECODE_INVALID, DK_BAD_LINK },
		{ "decode-nflog-70-tlvs.bin", DECODE_INVALID, DK_BAD_LINK },
		{ "decode-ipv6-9-ext.bin", DECODE_INVALID, DK_IPV6_EXT_CHAIN },
		{ "decode-ipip-tso-cut.bin", DECODE_TRUNCATED, DK_TRUNC_TCP },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char path[512];
		uint8_t buf[4096];
		struct pkt_view v;
		enum decode_kind k;
		uint32_t caplen, wirelen;
		size_t n;
		FILE *fp;

		snprintf(path, sizeof(path), "%s/regress/%s",
			 TCPLINT_TESTDATA_DIR, cases[i].file);
		fp = fopen(path, "rb");
		if (!fp)
			fail_msg("%s: cannot open", path);
		n = fread(buf, 1, sizeof(buf), fp);
		fclose(fp);
		assert_true(n >= 2);
		caplen = (uint32_t)(n - 2);
		wirelen = caplen +
			  (buf[1] & 0x80 ? (uint32_t)(buf[1] & 0x7f) * 64 : 0);
		assert_int_equal(dec(state, regress_dlt(buf[0]), buf + 2,
				     caplen, wirelen, &v, &k),
				 cases[i].r);
		assert_int_equal(k, cases[i].k);
	}
}

#define GT(f) cmocka_unit_test_setup_teardown(f, guard_setup, guard_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		GT(test_ethernet),         GT(test_ethernet_padding),
		GT(test_vlan),             GT(test_ethernet_other),
		GT(test_pppoe),            GT(test_sll),
		GT(test_sll2),             GT(test_null_loop),
		GT(test_raw),              GT(test_nflog),
		GT(test_ipoib),            GT(test_unsupported_link),
		GT(test_ipv4_options),     GT(test_ipv4_bad),
		GT(test_ipv4_not_tcp),     GT(test_ipv4_tunnel),
		GT(test_ipv4_fragments),   GT(test_ipv4_tso),
		GT(test_snaplen_cut),      GT(test_ipv6_ext_chain),
		GT(test_ipv6_lengths),     GT(test_ipv6_jumbo),
		GT(test_tcp_options),      GT(test_tcp_bad_options),
		GT(test_tcp_iterator),     GT(test_tcp_header_bad),
		GT(test_tcp_options_cut),  GT(test_tcp_options_cut_bad),
		GT(test_tcp_iterator_cut),
		GT(test_cut_ethernet_ipv4), GT(test_cut_vlan_pppoe),
		GT(test_cut_sll2_ipv6_ext), GT(test_cut_nflog),
		GT(test_cut_every_link),   GT(test_kind_names),
		GT(test_regress_inputs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
