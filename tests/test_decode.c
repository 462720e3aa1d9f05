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
			      size_t caplen, size_t wirelen, struct pkt_view *v,
			      enum decode_kind *k)
{
	const uint8_t *p = guard_put(*state, frame, caplen);

	return decode_packet(dlt, p, (uint32_t)caplen, (uint32_t)wirelen, v, k);
}

/* ---- frame building ----------------------------------------------------- */

struct part {
	const uint8_t *p;
	size_t n;
};
#define PART(a) ((struct part){(a), sizeof(a)})

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
#define CAT(buf, ...)                                                          \
	cat((buf), sizeof(buf), (const struct part[]){__VA_ARGS__},            \
	    sizeof((const struct part[]){__VA_ARGS__}) / sizeof(struct part))

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
	0xa1, 0x18, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4,
	0x04, 0x02, 0x08, 0x0a, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
	0x01, 0x03, 0x03, 0x07, 'h',  'e',  'l',  'l',  'o',
};
#define TCP_HDR 40

/* IP (tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto TCP (6),
 * length 65) 192.0.2.1 > 198.51.100.2 */
static const uint8_t IP4[20] = {
	0x45, 0x00, 0x00, 0x41, 0x00, 0x01, 0x40, 0x00, 0x40, 0x06,
	0x00, 0x00, 0xc0, 0x00, 0x02, 0x01, 0xc6, 0x33, 0x64, 0x02,
};

/* IP6 (hlim 64, next-header TCP (6) payload length: 45) 2001:db8::1 >
 * 2001:db8::2 */
static const uint8_t IP6[40] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x2d, 0x06, 0x40, 0x20, 0x01,
	0x0d, 0xb8, 0,    0,    0,    0,    0,    0,    0,    0,
	0,    0,    0,    0x01, 0x20, 0x01, 0x0d, 0xb8, 0,    0,
	0,    0,    0,    0,    0,    0,    0,    0,    0,    0x02,
};

/* 00:00:5e:00:53:02 > 00:00:5e:00:53:01, ethertype IPv4 (0x0800) */
static const uint8_t ETH4[14] = {
	0x00, 0x00, 0x5e, 0x00, 0x53, 0x01, 0x00,
	0x00, 0x5e, 0x00, 0x53, 0x02, 0x08, 0x00,
};
/* 00:00:5e:00:53:02 > 00:00:5e:00:53:01, ethertype IPv6 (0x86dd) */
static const uint8_t ETH6[14] = {
	0x00, 0x00, 0x5e, 0x00, 0x53, 0x01, 0x00,
	0x00, 0x5e, 0x00, 0x53, 0x02, 0x86, 0xdd,
};

static void check_seg(const struct pkt_view *v, uint8_t ipver)
{
	static const uint8_t a4[4] = {192, 0, 2, 1}, b4[4] = {198, 51, 100, 2};
	static const uint8_t zero[12];

	assert_int_equal(v->tuple.ip_version, ipver);
	if (ipver == 4) {
		assert_memory_equal(v->tuple.src, a4, 4);
		assert_memory_equal(v->tuple.dst, b4, 4);
		assert_memory_equal(v->tuple.src + 4, zero, 12);
		assert_memory_equal(v->tuple.dst + 4, zero, 12);
	} else {
		assert_memory_equal(v->tuple.src, IP6 + 8, 16);
		assert_memory_equal(v->tuple.dst, IP6 + 24, 16);
	}
	assert_int_equal(v->tuple.sport, 40000);
	assert_int_equal(v->tuple.dport, 80);
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
	uint8_t f[60] = {0};
	struct pkt_view v;
	enum decode_kind k;

	memcpy(f, ETH4, 14);
	memcpy(f + 14, IP4, 20);
	put16(f + 16, 40);
	memcpy(f + 34, TCP_SEG, 20);
	f[46] = 0x50; /* data offset 5 */
	memset(f + 54, 0xee, 6);
	assert_int_equal(dec(state, LINKTYPE_EN10MB, f, 60, 60, &v, &k),
			 DECODE_TCP);
	assert_int_equal(v.payload_bytes, 0);
	assert_int_equal(v.payload_captured, 0);
	assert_false(v.opt.has_mss);
}

static void test_vlan(void **state)
{
	/* ethertype 802.1Q (0x8100), vlan 100, p 0, ethertype IPv4 */
	static const uint8_t eth_q[14] = {0,    0, 0x5e, 0, 0x53, 1,   0, 0,
					  0x5e, 0, 0x53, 2, 0x81, 0x00};
	static const uint8_t tag100_ip4[4] = {0x00, 0x64, 0x08, 0x00};
	/* ethertype 802.1ad (0x88a8), vlan 10; 802.1Q vlan 20; 0x9100 vlan 30 */
	static const uint8_t eth_ad[14] = {0,    0, 0x5e, 0, 0x53, 1,   0, 0,
					   0x5e, 0, 0x53, 2, 0x88, 0xa8};
	static const uint8_t tag10_q[4] = {0x00, 0x0a, 0x81, 0x00};
	static const uint8_t tag20_9100[4] = {0x00, 0x14, 0x91, 0x00};
	static const uint8_t tag30_ip6[4] = {0x00, 0x1e, 0x86, 0xdd};
	static const uint8_t tag_q[4] = {0x00, 0x01, 0x81, 0x00};
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
	static const uint8_t arp[42] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
					0,    0,    0x5e, 0,    0x53, 2,
					0x08, 0x06, 0,    1,    0x08, 0,
					6,    4,    0,    1};
	/* 802.3, length 38: LLC, dsap STP (0x42), ssap STP, cmd 0x03 */
	static const uint8_t stp[20] = {0x01, 0x80, 0xc2, 0,    0,    0,
					0,    0,    0x5e, 0,    0x53, 2,
					0x00, 0x26, 0x42, 0x42, 0x03};
	/* 802.3, length 73: LLC SNAP (aa aa 03, oui 000000), ethertype IPv4 */
	static const uint8_t snap[22] = {0,    0,    0x5e, 0,    0x53, 1,
					 0,    0,    0x5e, 0,    0x53, 2,
					 0x00, 0x49, 0xaa, 0xaa, 0x03, 0,
					 0,    0,    0x08, 0x00};
	/* ethertype LLDP (0x88cc) */
	static const uint8_t lldp[20] = {0x01, 0x80, 0xc2, 0,    0, 0x0e, 0,
					 0,    0x5e, 0,    0x53, 2, 0x88, 0xcc};
	/* MPLS (label 16, s 0) (label 17, s 1), then IPv4 */
	static const uint8_t mpls[22] = {0,    0,    0x5e, 0,    0x53, 1,
					 0,    0,    0x5e, 0,    0x53, 2,
					 0x88, 0x47, 0x00, 0x01, 0x00, 0x40,
					 0x00, 0x01, 0x11, 0x40};
	uint8_t f[160];
	size_t n;

	expect(state, LINKTYPE_EN10MB, arp, sizeof(arp), 60, DECODE_NOT_TCP,
	       DK_ARP);
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
	static const uint8_t eth_pppoe[22] = {
		0, 0,    0x5e, 0,    0x53, 1,    0,    0,    0x5e, 0,    0x53,
		2, 0x88, 0x64, 0x11, 0x00, 0x00, 0x2d, 0x00, 0x43, 0x00, 0x21};
	/* PPPoE [ses 0x2d] length 66, PPP protocol compressed to 0x21 */
	static const uint8_t eth_pppoe_pfc[21] = {
		0, 0,    0x5e, 0,    0x53, 1,    0,    0,    0x5e, 0,   0x53,
		2, 0x88, 0x64, 0x11, 0x00, 0x00, 0x2d, 0x00, 0x42, 0x21};
	/* PPPoE [ses 0x2d] length 87, PPP IPv6 (0x0057) */
	static const uint8_t eth_pppoe6[22] = {
		0, 0,    0x5e, 0,    0x53, 1,    0,    0,    0x5e, 0,    0x53,
		2, 0x88, 0x64, 0x11, 0x00, 0x00, 0x2d, 0x00, 0x57, 0x00, 0x57};
	/* PPPoE [ses 0x2d] length 6, PPP LCP (0xc021) echo request */
	static const uint8_t lcp[26] = {0,    0,    0x5e, 0,    0x53, 1,
					0,    0,    0x5e, 0,    0x53, 2,
					0x88, 0x64, 0x11, 0x00, 0x00, 0x2d,
					0x00, 0x06, 0xc0, 0x21, 0x09, 0x01,
					0x00, 0x04};
	uint8_t f[160];
	size_t n;

	n = CAT(f, PART(eth_pppoe), PART(IP4), PART(TCP_SEG));
	expect_seg(state, LINKTYPE_EN10MB, f, n, 4, 22);
	n = CAT(f, PART(eth_pppoe_pfc), PART(IP4), PART(TCP_SEG));
	expect_seg(state, LINKTYPE_EN10MB, f, n, 4, 21);
	n = CAT(f, PART(eth_pppoe6), PART(IP6), PART(TCP_SEG));
	expect_seg(state, LINKTYPE_EN10MB, f, n, 6, 22);
	expect(state, LINKTYPE_EN10MB, lcp, sizeof(lcp), sizeof(lcp),
	       DECODE_NOT_TCP, DK_LINK_OTHER);
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
	static const uint8_t sll4[16] = {0x00, 0x00, 0x00, 0x01, 0x00, 0x06,
					 0,    0,    0x5e, 0,    0x53, 2,
					 0,    0,    0x08, 0x00};
	/* Linux cooked v1: Out (4), ARPHRD_LOOPBACK (772), ethertype IPv6 */
	static const uint8_t sll6[16] = {0x00, 0x04, 0x03, 0x04, 0x00, 0x06,
					 0,    0,    0,    0,    0,    0,
					 0,    0,    0x86, 0xdd};
	/* Linux cooked v1: ARPHRD_NETLINK (824), netlink family 0 (route) */
	static const uint8_t sll_nl[20] = {0x00, 0x04, 0x03, 0x38, 0x00, 0x00,
					   0,    0,    0,    0,    0,    0,
					   0,    0,    0x00, 0x00};
	uint8_t f[160];
	size_t n;

	n = CAT(f, PART(sll4), PART(IP4), PART(TCP_SEG));
	expect_seg(state, LINKTYPE_LINUX_SLL, f, n, 4, 16);
	n = CAT(f, PART(sll6), PART(IP6), PART(TCP_SEG));
	expect_seg(state, LINKTYPE_LINUX_SLL, f, n, 6, 16);
	expect(state, LINKTYPE_LINUX_SLL, sll_nl, sizeof(sll_nl),
	       sizeof(sll_nl), DECODE_NOT_TCP, DK_LINK_OTHER);
}

static void test_sll2(void **state)
{
	/* Linux cooked v2: ethertype IPv4, ifindex 2, ARPHRD_ETHER, In,
	 * addr len 6, 00:00:5e:00:53:02 */
	static const uint8_t sll2[20] = {0x08, 0x00, 0x00, 0x00, 0x00,
					 0x00, 0x00, 0x02, 0x00, 0x01,
					 0x00, 0x06, 0,    0,    0x5e,
					 0,    0x53, 2,    0,    0};
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
	static const uint8_t null_le[4] = {0x02, 0x00, 0x00, 0x00};
	/* BSD loopback, AF_INET (2) big-endian, as written on SPARC/PowerPC */
	static const uint8_t null_be[4] = {0x00, 0x00, 0x00, 0x02};
	/* AF_INET6 on macOS (30), FreeBSD (28), OpenBSD (24), Linux (10) */
	static const uint8_t af6[4][4] = {
		{30, 0, 0, 0}, {28, 0, 0, 0}, {0, 0, 0, 24}, {10, 0, 0, 0}};
	/* AF_APPLETALK (16): not IP */
	static const uint8_t af_at[8] = {16, 0, 0, 0, 1, 2, 3, 4};
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
	expect(state, LINKTYPE_IPV4, f6, n6, n6, DECODE_INVALID,
	       DK_BAD_IP_VERSION);
	expect(state, LINKTYPE_IPV6, f4, n4, n4, DECODE_INVALID,
	       DK_BAD_IP_VERSION);
	/* version 5 on raw IP */
	f4[0] = 0x55;
	expect(state, LINKTYPE_RAW, f4, n4, n4, DECODE_INVALID,
	       DK_BAD_IP_VERSION);
	expect(state, LINKTYPE_RAW, f4, 0, 0, DECODE_TRUNCATED, DK_TRUNC_IPV4);
}

static void test_nflog(void **state)
{
	/* NFLOG: family AF_INET, version 0, resource 0; TLV len 8 type 10
	 * (prefix "ab\0\0"), TLV len 5 type 1 (hw protocol, padded to 8),
	 * TLV len 69 type 9 (payload), little-endian as Linux x86 writes */
	static const uint8_t nflog[24] = {0x02, 0x00, 0x00, 0x00, 0x08, 0x00,
					  0x0a, 0x00, 'a',  'b',  0,    0,
					  0x05, 0x00, 0x01, 0x00, 0x08, 0,
					  0,    0,    0x45, 0x00, 0x09, 0x00};
	/* the same, big-endian TLV headers */
	static const uint8_t nflog_be[24] = {0x02, 0x00, 0x00, 0x00, 0x00,
					     0x08, 0x00, 0x0a, 'a',  'b',
					     0,    0,    0x00, 0x05, 0x00,
					     0x01, 0x08, 0,    0,    0,
					     0x00, 0x45, 0x00, 0x09};
	/* NFLOG with a prefix only: no payload logged */
	static const uint8_t nflog_nopl[12] = {
		0x02, 0x00, 0x00, 0x00, 0x08, 0x00, 0x0a, 0x00, 'a', 'b', 0, 0};
	/* a TLV of length 2 (under its own header) */
	static const uint8_t nflog_bad[12] = {
		0x02, 0x00, 0x00, 0x00, 0x02, 0x00, 0x0a, 0x00, 'a', 'b', 0, 0};
	uint8_t f[160];
	size_t n = CAT(f, PART(nflog), PART(IP4), PART(TCP_SEG));

	expect_seg(state, LINKTYPE_NFLOG, f, n, 4, 24);
	n = CAT(f, PART(nflog_be), PART(IP4), PART(TCP_SEG));
	expect_seg(state, LINKTYPE_NFLOG, f, n, 4, 24);
	expect(state, LINKTYPE_NFLOG, nflog_nopl, sizeof(nflog_nopl),
	       sizeof(nflog_nopl), DECODE_NOT_TCP, DK_LINK_OTHER);
	expect(state, LINKTYPE_NFLOG, nflog_bad, sizeof(nflog_bad),
	       sizeof(nflog_bad), DECODE_INVALID, DK_BAD_LINK);
}

static void test_ipoib(void **state)
{
	/* IPoIB: 20-byte destination and source hardware addresses, then
	 * ethertype IPv4 and 2 reserved bytes */
	uint8_t hdr[44] = {0};
	uint8_t f[160];
	size_t n;

	hdr[40] = 0x08;
	n = CAT(f, PART(hdr), PART(IP4), PART(TCP_SEG));
	expect_seg(state, LINKTYPE_IPOIB, f, n, 4, 44);
	hdr[40] = 0x08;
	hdr[41] = 0x06; /* ARP */
	expect(state, LINKTYPE_IPOIB, hdr, sizeof(hdr), sizeof(hdr),
	       DECODE_NOT_TCP, DK_ARP);
	expect(state, LINKTYPE_IPOIB, hdr, 43, 43, DECODE_TRUNCATED,
	       DK_TRUNC_LINK);
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
	expect(state, LINKTYPE_EN10MB, f, n, n, DECODE_INVALID,
	       DK_BAD_IPV4_HLEN);
	/* total length 19, under the header length */
	n = CAT(f, PART(ETH4), PART(IP4), PART(TCP_SEG));
	put16(f + 16, 19);
	expect(state, LINKTYPE_EN10MB, f, n, n, DECODE_INVALID,
	       DK_BAD_IPV4_LEN);
	/* total length 66: one byte more than the frame had on the wire */
	put16(f + 16, 66);
	expect(state, LINKTYPE_EN10MB, f, n, n, DECODE_INVALID,
	       DK_BAD_IPV4_LEN);
	/* total length 30: room for 10 bytes of TCP only */
	put16(f + 16, 30);
	expect(state, LINKTYPE_EN10MB, f, n, n, DECODE_INVALID,
	       DK_BAD_IPV4_LEN);
	/* version 6 under ethertype IPv4 */
	n = CAT(f, PART(ETH4), PART(IP6), PART(TCP_SEG));
	expect(state, LINKTYPE_EN10MB, f, n, n, DECODE_INVALID,
	       DK_BAD_IP_VERSION);
}

static void test_ipv4_not_tcp(void **state)
{
	/* IP 192.0.2.1.53 > 198.51.100.2.53: UDP, length 0 */
	static const uint8_t udp[28] = {0x45, 0,  0x00, 0x1c, 0,   1,   0,
					0,    64, 17,   0,    0,   192, 0,
					2,    1,  198,  51,   100, 2,   0,
					53,   0,  53,   0,    8,   0,   0};
	/* IP 192.0.2.1 > 198.51.100.2: ICMP echo request, id 1, seq 1, length 8 */
	static const uint8_t icmp[28] = {0x45, 0,  0x00, 0x1c, 0,   1,   0,
					 0,    64, 1,    0,    0,   192, 0,
					 2,    1,  198,  51,   100, 2,   8,
					 0,    0,  0,    0,    1,   0,   1};
	/* IP 192.0.2.1 > 198.51.100.2: ESP(spi=0x00000001,seq=0x1), length 8 */
	static const uint8_t esp[28] = {0x45, 0,  0x00, 0x1c, 0,   1,   0,
					0,    64, 50,   0,    0,   192, 0,
					2,    1,  198,  51,   100, 2,   0,
					0,    0,  1,    0,    0,   0,   1};

	expect(state, LINKTYPE_RAW, udp, sizeof(udp), sizeof(udp),
	       DECODE_NOT_TCP, DK_IPV4_UDP);
	expect(state, LINKTYPE_RAW, icmp, sizeof(icmp), sizeof(icmp),
	       DECODE_NOT_TCP, DK_ICMP);
	expect(state, LINKTYPE_RAW, esp, sizeof(esp), sizeof(esp),
	       DECODE_NOT_TCP, DK_IP_OTHER);
}

static void test_ipv4_tunnel(void **state)
{
	/* IP 203.0.113.1 > 203.0.113.2: IP 192.0.2.1.40000 > ... (ipip-proto-4),
	 * length 85 */
	static const uint8_t outer[20] = {0x45, 0,  0x00, 0x55, 0,   2,   0,
					  0,    64, 4,    0,    0,   203, 0,
					  113,  1,  203,  0,    113, 2};
	/* IP 203.0.113.1 > 203.0.113.2: IP6 ... (6in4, proto 41), length 105 */
	static const uint8_t outer6[20] = {0x45, 0,  0x00, 0x69, 0,   2,   0,
					   0,    64, 41,   0,    0,   203, 0,
					   113,  1,  203,  0,    113, 2};
	uint8_t f[200];
	size_t n = CAT(f, PART(outer), PART(IP4), PART(TCP_SEG));

	expect_seg(state, LINKTYPE_RAW, f, n, 4, 0);
	n = CAT(f, PART(outer6), PART(IP6), PART(TCP_SEG));
	expect_seg(state, LINKTYPE_RAW, f, n, 6, 0);
	/* IP in IP in IP: both tunnels are followed */
	n = CAT(f, PART(outer), PART(outer), PART(IP4), PART(TCP_SEG));
	put16(f + 2, 105);
	expect_seg(state, LINKTYPE_RAW, f, n, 4, 0);
}

static void test_ipv4_fragments(void **state)
{
	/* IP (id 7, offset 0, flags [+], proto TCP (6), length 65): first
	 * fragment, whole TCP header inside */
	static const uint8_t first[20] = {0x45, 0,  0x00, 0x41, 0,   7,   0x20,
					  0,    64, 6,    0,    0,   192, 0,
					  2,    1,  198,  51,   100, 2};
	/* IP (id 7, offset 8, flags [+], proto TCP (6), length 28): later */
	static const uint8_t later[28] = {0x45, 0,  0x00, 0x1c, 0,   7,   0x20,
					  1,    64, 6,    0,    0,   192, 0,
					  2,    1,  198,  51,   100, 2,   1,
					  2,    3,  4,    5,    6,   7,   8};
	/* IP (id 7, offset 0, flags [+], proto TCP (6), length 28): first
	 * fragment with only 8 bytes of the TCP header */
	static const uint8_t tiny[28] = {0x45, 0,  0x00, 0x1c, 0,   7,   0x20,
					 0,    64, 6,    0,    0,   192, 0,
					 2,    1,  198,  51,   100, 2,   0x9c,
					 0x40, 0,  0x50, 0,    0,   3,   0xe8};
	/* IP (id 7, offset 16, flags [none], proto UDP (17), length 28) */
	static const uint8_t last_udp[28] = {0x45, 0,  0x00, 0x1c, 0,   7,   0,
					     2,    64, 17,   0,    0,   192, 0,
					     2,    1,  198,  51,   100, 2};
	uint8_t f[100];
	size_t n = CAT(f, PART(first), PART(TCP_SEG));
	struct pkt_view v;
	enum decode_kind k;

	assert_int_equal(dec(state, LINKTYPE_RAW, f, n, n, &v, &k), DECODE_TCP);
	check_seg(&v, 4);
	expect(state, LINKTYPE_RAW, later, sizeof(later), sizeof(later),
	       DECODE_FRAGMENT, DK_IP_FRAGMENT);
	expect(state, LINKTYPE_RAW, tiny, sizeof(tiny), sizeof(tiny),
	       DECODE_FRAGMENT, DK_IP_FRAGMENT);
	expect(state, LINKTYPE_RAW, last_udp, sizeof(last_udp),
	       sizeof(last_udp), DECODE_FRAGMENT, DK_IP_FRAGMENT);
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
	assert_int_equal(dec(state, LINKTYPE_EN10MB, f, sizeof(f), sizeof(f),
			     &v, &k),
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
	assert_int_equal(dec(state, LINKTYPE_EN10MB, f, 76, n, &v, &k),
			 DECODE_TCP);
	assert_int_equal(k, DK_NONE);
	assert_true(v.snap_cut);
	assert_int_equal(v.payload_bytes, 5);
	assert_int_equal(v.payload_captured, 2);
	assert_int_equal(v.seq, 1000);
}

/* ---- IPv6 --------------------------------------------------------------- */

/* Hop-by-hop options: next header Routing (43), length 0, PadN 4 */
static const uint8_t HBH_RT[8] = {43, 0, 0x01, 0x04, 0, 0, 0, 0};
/* Routing header: next header Destination Options (60), length 2, type 0,
 * segments left 0, one address 2001:db8::3 */
static const uint8_t RT0_DST[24] = {60,   2,    0,    0,    0, 0, 0, 0,
				    0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
				    0,    0,    0,    0,    0, 0, 0, 3};
/* Destination options: next header TCP (6), length 0, PadN 4 */
static const uint8_t DST_TCP[8] = {6, 0, 0x01, 0x04, 0, 0, 0, 0};
/* Fragment header: next header TCP, offset 0, M=1, id 0x01020304 */
static const uint8_t FRAG_FIRST[8] = {6, 0, 0x00, 0x01, 1, 2, 3, 4};
/* Fragment header: next header TCP, offset 0, M=0 (atomic fragment) */
static const uint8_t FRAG_ATOMIC[8] = {6, 0, 0x00, 0x00, 1, 2, 3, 4};
/* Fragment header: next header TCP, offset 1448, M=1 */
static const uint8_t FRAG_LATER[8] = {6, 0, 0x0b, 0x51, 1, 2, 3, 4};
/* AH: next header TCP, payload length 4 (24 bytes), SPI 0x100, seq 1,
 * 12-byte ICV */
static const uint8_t AH_TCP[24] = {6, 4, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};

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

	n = ip6_frame(
		f, sizeof(f), 0,
		(struct part[]){PART(HBH_RT), PART(RT0_DST), PART(DST_TCP)}, 3);
	expect_seg(state, LINKTYPE_EN10MB, f, n, 6, 14);
	n = ip6_frame(f, sizeof(f), 51, (struct part[]){PART(AH_TCP)}, 1);
	expect_seg(state, LINKTYPE_EN10MB, f, n, 6, 14);
	n = ip6_frame(f, sizeof(f), 44, (struct part[]){PART(FRAG_ATOMIC)}, 1);
	expect_seg(state, LINKTYPE_EN10MB, f, n, 6, 14);
	n = ip6_frame(f, sizeof(f), 44, (struct part[]){PART(FRAG_FIRST)}, 1);
	assert_int_equal(dec(state, LINKTYPE_EN10MB, f, n, n, &v, &k),
			 DECODE_TCP);
	check_seg(&v, 6);
	n = ip6_frame(f, sizeof(f), 44, (struct part[]){PART(FRAG_LATER)}, 1);
	expect(state, LINKTYPE_EN10MB, f, n, n, DECODE_FRAGMENT,
	       DK_IP_FRAGMENT);

	/* nine destination-options headers: the chain is too long */
	{
		static const uint8_t dst_dst[8] = {60, 0, 1, 4, 0, 0, 0, 0};
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
	n = ip6_frame(
		f, sizeof(f), 0,
		(struct part[]){PART(HBH_RT), PART(RT0_DST), PART(DST_TCP)}, 3);
	f[14 + 40 + 8 + 1] = 200;
	expect(state, LINKTYPE_EN10MB, f, n, n, DECODE_INVALID,
	       DK_BAD_IPV6_LEN);
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
	expect(state, LINKTYPE_EN10MB, f, n, n, DECODE_INVALID,
	       DK_BAD_IPV6_LEN);
	/* payload length 10: no room for a TCP header */
	put16(f + 18, 10);
	expect(state, LINKTYPE_EN10MB, f, n, n, DECODE_INVALID,
	       DK_BAD_IPV6_LEN);
	/* payload length 0 without a jumbo option (BIG TCP): from the frame */
	put16(f + 18, 0);
	assert_int_equal(dec(state, LINKTYPE_EN10MB, f, n, n, &v, &k),
			 DECODE_TCP);
	assert_true(v.ip_len_from_wire);
	check_seg(&v, 6);
	/* version 4 under ethertype IPv6 */
	n = CAT(f, PART(ETH6), PART(IP4), PART(TCP_SEG));
	expect(state, LINKTYPE_EN10MB, f, n, n, DECODE_INVALID,
	       DK_BAD_IP_VERSION);
}

static void test_ipv6_jumbo(void **state)
{
	/* Hop-by-hop: next header TCP, length 0, Jumbo Payload 70048
	 * (RFC 2675), as Linux BIG TCP writes it */
	static const uint8_t hbh_jumbo[8] = {6,    0,    0xc2, 0x04,
					     0x00, 0x01, 0x11, 0xa0};
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
	assert_int_equal(dec(state, LINKTYPE_EN10MB, f, sizeof(f), sizeof(f),
			     &v, &k),
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
	static const uint8_t mss[4] = {2, 4, 0x02, 0x18};
	/* options [wscale 14,nop] */
	static const uint8_t ws[4] = {3, 3, 14, 1};
	/* options [sackOK,nop,nop] */
	static const uint8_t sackok[4] = {4, 2, 1, 1};
	/* options [nop,nop,sack 4 {1:2}{3:4}{5:6}{7:8}] */
	static const uint8_t sack4[36] = {1, 1, 5, 34, 0, 0, 0, 1, 0, 0, 0, 2,
					  0, 0, 0, 3,  0, 0, 0, 4, 0, 0, 0, 5,
					  0, 0, 0, 6,  0, 0, 0, 7, 0, 0, 0, 8};
	/* options [nop,nop,TS val 1 ecr 4294967295] */
	static const uint8_t ts[12] = {1, 1, 8,    10,   0,    0,
				       0, 1, 0xff, 0xff, 0xff, 0xff};
	/* options [mptcp capable (30) len 12, nop, nop, mss 1400]: unknown
	 * kind skipped by its length */
	static const uint8_t unk[16] = {30, 12, 0, 1, 2, 3, 4, 5,
					6,  7,  8, 9, 1, 1, 0, 0};
	/* options [eol] then bytes that look like an MSS option */
	static const uint8_t eol[8] = {0, 0, 0, 0, 2, 4, 0x05, 0xb4};

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
		{{2, 0, 0, 0}, 4},             /* length 0 */
		{{1, 1, 2, 1, 0, 0, 0, 0}, 8}, /* nop,nop, length 1 */
		{{1, 1, 1, 2, 9, 0, 0, 0}, 8}, /* length 9, 5 bytes left */
		{{1, 1, 1, 1, 1, 1, 1, 8}, 8}, /* length byte missing */
		{{2, 3, 5, 0}, 4},             /* mss with length 3 */
		{{3, 4, 7, 0}, 4},             /* wscale with length 4 */
		{{4, 3, 0, 0}, 4},             /* sackOK with length 3 */
		{{5, 2, 1, 1}, 4},             /* empty SACK (length 2) */
		{{5, 6, 0, 0, 0, 1, 1, 1}, 8}, /* SACK with half a block */
		{{8, 6, 0, 0, 0, 1, 0, 0}, 8}, /* timestamps, length 6 */
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
		static const uint8_t mss_then_bad[8] = {2, 4, 0x05, 0xb4,
							1, 1, 0x22, 1};

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
	static const uint8_t o[9] = {1, 2, 4, 0x05, 0xb4, 99, 3, 0xab, 0};
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
	static const uint8_t tcp[20] = {0x9c, 0x40, 0x00, 0x50, 0,
					0,    0x03, 0xe8, 0,    0,
					0x07, 0xd0, 0x00, 0x10, 0x01,
					0xf5, 0,    0,    0,    0};
	static const uint8_t opts[32] = {1, 1, 8,    10, 1, 2, 3,    4,
					 5, 6, 7,    8,  1, 1, 5,    18,
					 0, 0, 0x10, 0,  0, 0, 0x20, 0,
					 0, 0, 0x30, 0,  0, 0, 0x40, 0};
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
			enum decode_result r =
				dec(state, LINKTYPE_EN10MB, f, cap, n, &v, &k);

			if (cap < 74) {
				assert_int_equal(r, DECODE_TRUNCATED);
				assert_int_equal(k, DK_TRUNC_TCP);
				continue;
			}
			if (r != DECODE_TCP || k != DK_NONE)
				fail_msg("%u blocks, cut at %zu: got %d/%s",
					 blocks, cap, r, decode_kind_name(k));
			assert_int_equal(v.tuple.ip_version, 6);
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
	assert_int_equal(dec(state, LINKTYPE_EN10MB, f, 96, n, &v, &k),
			 DECODE_TCP);
	assert_int_equal(k, DK_BAD_TCP_OPTION);
	assert_true(v.opt.malformed && v.opt.truncated && v.snap_cut);
	/* a length byte captured that runs past the data offset is bad even
	 * though the capture ends first: SACK length 40 in a 32-byte list */
	n = dsack_frame(f, 2);
	f[54 + 20 + 15] = 40;
	assert_int_equal(dec(state, LINKTYPE_EN10MB, f, 96, n, &v, &k),
			 DECODE_TCP);
	assert_int_equal(k, DK_BAD_TCP_OPTION);
	assert_true(v.opt.malformed && v.opt.truncated);
	assert_true(v.opt.has_ts);
	/* the same SACK length that fits is only cut */
	f[54 + 20 + 15] = 18;
	assert_int_equal(dec(state, LINKTYPE_EN10MB, f, 96, n, &v, &k),
			 DECODE_TCP);
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
	static const uint8_t o[16] = {1, 2, 4, 0x05, 0xb4, 8, 10, 0,
				      0, 0, 1, 0,    0,    0, 2,  0};
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
	tcp_opts_begin_cut(&it, (const uint8_t[]){8, 10, 0, 0}, 4, 3);
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
 * cut), each prefix is TRUNCATED with the kind of the header it stops in
 * (NOT_TCP for a layer whose kind is a not-TCP kind: a UDP header cut
 * before a tunnel's port could be read is plain UDP),
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
			enum decode_result want =
				layers[i].kind <= DK_IP_FRAGMENT
					? DECODE_NOT_TCP
					: DECODE_TRUNCATED;

			if (r != want || k != layers[i].kind)
				fail_msg("cut at %zu: got %d/%s, want %d/%s",
					 cap, r, decode_kind_name(k), want,
					 decode_kind_name(layers[i].kind));
			continue;
		}
		if (r != DECODE_TCP || k != DK_NONE)
			fail_msg("cut at %zu: got %d/%s, want a clean segment",
				 cap, r, decode_kind_name(k));
		assert_int_equal(v.tuple.ip_version, ipver);
		assert_int_equal(v.tuple.sport, 40000);
		assert_int_equal(v.tuple.dport, 80);
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
	const struct layer l[] = {
		{14, DK_TRUNC_LINK}, {34, DK_TRUNC_IPV4}, {54, DK_TRUNC_TCP}};

	cut_everywhere(state, LINKTYPE_EN10MB, f, n, l, 3, 4);

	/* the frame really was that short (caplen = wirelen): once the IPv4
	 * header is there, its total length claims more than the wire had */
	for (size_t cap = 0; cap < n; cap++) {
		struct pkt_view v;
		enum decode_kind k;
		enum decode_result r =
			dec(state, LINKTYPE_EN10MB, f, cap, cap, &v, &k);

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
	static const uint8_t eth_q[18] = {0,    0,    0x5e, 0,    0x53, 1,
					  0,    0,    0x5e, 0,    0x53, 2,
					  0x81, 0x00, 0x00, 0x07, 0x88, 0x64};
	/* PPPoE [ses 0x2d] length 67, PPP IPv4 */
	static const uint8_t pppoe[8] = {0x11, 0, 0, 0x2d, 0, 0x43, 0, 0x21};
	uint8_t f[160];
	size_t n = CAT(f, PART(eth_q), PART(pppoe), PART(IP4), PART(TCP_SEG));
	const struct layer l[] = {
		{26, DK_TRUNC_LINK}, {46, DK_TRUNC_IPV4}, {66, DK_TRUNC_TCP}};

	cut_everywhere(state, LINKTYPE_EN10MB, f, n, l, 3, 4);
}

static void test_cut_sll2_ipv6_ext(void **state)
{
	/* Linux cooked v2: ethertype IPv6, ifindex 1, ARPHRD_LOOPBACK, Out */
	static const uint8_t sll2[20] = {0x86, 0xdd, 0,    0,    0,    0,
					 0,    1,    0x03, 0x04, 0x04, 0x06};
	/* Hop-by-hop: next header Destination Options, length 0, PadN 4 */
	static const uint8_t hbh[8] = {60, 0, 1, 4, 0, 0, 0, 0};
	uint8_t f[200];
	size_t n = CAT(f, PART(sll2), PART(IP6), PART(hbh), PART(DST_TCP),
		       PART(TCP_SEG));
	const struct layer l[] = {{20, DK_TRUNC_LINK},
				  {60, DK_TRUNC_IPV6},
				  {68, DK_TRUNC_IPV6_EXT},
				  {76, DK_TRUNC_IPV6_EXT},
				  {96, DK_TRUNC_TCP}};

	put16(f + 20 + 4, 45 + 16);
	f[20 + 6] = 0;
	cut_everywhere(state, LINKTYPE_LINUX_SLL2, f, n, l, 5, 6);
}

static void test_cut_nflog(void **state)
{
	/* NFLOG AF_INET; TLV prefix (len 8, type 10); payload TLV len 69 */
	static const uint8_t nflog[16] = {2,   0, 0, 0, 8,  0, 10, 0,
					  'a', 0, 0, 0, 69, 0, 9,  0};
	uint8_t f[160];
	size_t n = CAT(f, PART(nflog), PART(IP4), PART(TCP_SEG));
	const struct layer l[] = {
		{16, DK_TRUNC_LINK}, {36, DK_TRUNC_IPV4}, {56, DK_TRUNC_TCP}};

	cut_everywhere(state, LINKTYPE_NFLOG, f, n, l, 3, 4);
}

static void test_cut_every_link(void **state)
{
	/* the remaining link types: cut everywhere, no fault, and truncated
	 * (never TCP) until the fixed TCP header is there */
	static const uint8_t null_le[4] = {2, 0, 0, 0};
	static const uint8_t sll[16] = {0,    0, 0,    1, 0, 6, 0,    0,
					0x5e, 0, 0x53, 2, 0, 0, 0x08, 0x00};
	uint8_t ipoib[44] = {0};
	uint8_t f[160];
	size_t n;

	ipoib[40] = 0x08;
	n = CAT(f, PART(null_le), PART(IP4), PART(TCP_SEG));
	cut_everywhere(state, LINKTYPE_NULL, f, n,
		       (const struct layer[]){{4, DK_TRUNC_LINK},
					      {24, DK_TRUNC_IPV4},
					      {44, DK_TRUNC_TCP}},
		       3, 4);
	n = CAT(f, PART(sll), PART(IP4), PART(TCP_SEG));
	cut_everywhere(state, LINKTYPE_LINUX_SLL, f, n,
		       (const struct layer[]){{16, DK_TRUNC_LINK},
					      {36, DK_TRUNC_IPV4},
					      {56, DK_TRUNC_TCP}},
		       3, 4);
	n = CAT(f, PART(ipoib), PART(IP4), PART(TCP_SEG));
	cut_everywhere(state, LINKTYPE_IPOIB, f, n,
		       (const struct layer[]){{44, DK_TRUNC_LINK},
					      {64, DK_TRUNC_IPV4},
					      {84, DK_TRUNC_TCP}},
		       3, 4);
	n = CAT(f, PART(IP6), PART(TCP_SEG));
	cut_everywhere(state, LINKTYPE_IPV6, f, n,
		       (const struct layer[]){{40, DK_TRUNC_IPV6},
					      {60, DK_TRUNC_TCP}},
		       2, 6);
}

/* ---- tunnels ------------------------------------------------------------ */

/* TUN_* bits of pkt_view.tunnels */
#define TB(t) (1u << (t))

/* out = IP 203.0.113.1 > 203.0.113.2 (id 2, ttl 64) with protocol `proto`
 * around the n bytes of `payload`; returns the frame length. */
static size_t in_ip4(uint8_t *out, size_t cap, uint8_t proto,
		     const uint8_t *payload, size_t n)
{
	static const uint8_t h[20] = {0x45, 0, 0,   0, 0,   2, 0,   0, 64,  0,
				      0,    0, 203, 0, 113, 1, 203, 0, 113, 2};

	assert_true(n + 20 <= cap);
	memmove(out + 20, payload, n);
	memcpy(out, h, 20);
	put16(out + 2, (uint16_t)(n + 20));
	out[9] = proto;
	return n + 20;
}

/* out = IP6 2001:db8::a > 2001:db8::b (hlim 64) with next header `nh`
 * around the n bytes of `payload`. */
static size_t in_ip6(uint8_t *out, size_t cap, uint8_t nh,
		     const uint8_t *payload, size_t n)
{
	static const uint8_t h[40] = {0x60, 0,    0,    0,    0, 0, 0, 64,
				      0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
				      0,    0,    0,    0,    0, 0, 0, 0x0a,
				      0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
				      0,    0,    0,    0,    0, 0, 0, 0x0b};

	assert_true(n + 40 <= cap);
	memmove(out + 40, payload, n);
	memcpy(out, h, 40);
	put16(out + 4, (uint16_t)n);
	out[6] = nh;
	return n + 40;
}

/* out = IP 203.0.113.1.sport > 203.0.113.2.dport: UDP around the n bytes
 * of `payload` (checksum 0). */
static size_t in_udp4(uint8_t *out, size_t cap, uint16_t sport, uint16_t dport,
		      const uint8_t *payload, size_t n)
{
	uint8_t u[8] = {0};

	assert_true(n + 28 <= cap);
	memmove(out + 28, payload, n);
	put16(u, sport);
	put16(u + 2, dport);
	put16(u + 4, (uint16_t)(n + 8));
	memcpy(out + 20, u, 8);
	return in_ip4(out, cap, 17, out + 20, n + 8);
}

/* Decode a whole raw-IP frame: the standard segment, found in exactly the
 * tunnels `bits`, its outermost IP header at `net`. */
static void expect_tunnel_seg(void **state, int dlt, const uint8_t *f, size_t n,
			      uint8_t ipver, uint32_t net, unsigned bits)
{
	struct pkt_view v;
	enum decode_kind k = DK_ARP;
	enum decode_result r = dec(state, dlt, f, n, n, &v, &k);

	if (r != DECODE_TCP || k != DK_NONE)
		fail_msg("got %d/%s, want a clean segment", r,
			 decode_kind_name(k));
	check_seg(&v, ipver);
	assert_int_equal(v.net_offset, net);
	assert_int_equal(v.tunnels, bits);
	assert_false(v.snap_cut);
}

/* Decode a whole frame and expect result r, kind k, tunnel bits `bits`. */
static void expect_tunnel(void **state, int dlt, const uint8_t *f, size_t n,
			  enum decode_result r, enum decode_kind kind,
			  unsigned bits)
{
	struct pkt_view v;
	enum decode_kind k = DK_NONE;
	enum decode_result got = dec(state, dlt, f, n, n, &v, &k);

	if (got != r || k != kind)
		fail_msg("got %d/%s, want %d/%s", got, decode_kind_name(k), r,
			 decode_kind_name(kind));
	assert_int_equal(v.tunnels, bits);
}

/* IP4 + TCP_SEG, ETH4 + IP4 + TCP_SEG, IP6 + TCP_SEG */
static size_t inner4(uint8_t *p)
{
	memcpy(p, IP4, 20);
	memcpy(p + 20, TCP_SEG, 45);
	return 65;
}

static size_t inner_eth4(uint8_t *p)
{
	memcpy(p, ETH4, 14);
	return 14 + inner4(p + 14);
}

static size_t inner6(uint8_t *p)
{
	memcpy(p, IP6, 40);
	memcpy(p + 40, TCP_SEG, 45);
	return 85;
}

/* Header bytes `hdr`, then the inner packet made by `inner`. */
static size_t tun_payload(uint8_t *p, const uint8_t *hdr, size_t n,
			  size_t (*inner)(uint8_t *))
{
	memcpy(p, hdr, n);
	return n + inner(p + n);
}

/* GREv0, proto IPv4 (0x0800) */
static const uint8_t GRE_IP4[4] = {0x00, 0x00, 0x08, 0x00};

static void test_gre(void **state)
{
	/* GREv0, flags [checksum present, key present, sequence# present],
	 * sum 0x1234, key=0x2a, seq 7, proto IPv4 */
	static const uint8_t gre_cks[16] = {0xb0, 0x00, 0x08, 0x00, 0x12, 0x34,
					    0,    0,    0,    0,    0,    0x2a,
					    0,    0,    0,    7};
	/* GREv0, flags [routing present], proto IPv4: offset 0, one source
	 * route entry (AF IPv4, offset 0, length 4: 192.0.2.9), then the
	 * null entry (AF 0, length 0) */
	static const uint8_t gre_route[20] = {0x40, 0x00, 0x08, 0x00, 0, 0,   0,
					      0,    0x08, 0x00, 0,    4, 192, 0,
					      2,    9,    0,    0,    0, 0};
	/* GREv0, proto IPv6 (0x86dd) */
	static const uint8_t gre_ip6[4] = {0x00, 0x00, 0x86, 0xdd};
	/* GREv0, proto TEB (0x6558) */
	static const uint8_t gre_teb[4] = {0x00, 0x00, 0x65, 0x58};
	/* GREv0, proto 0x0000: a keepalive */
	static const uint8_t gre_ka[4] = {0x00, 0x00, 0x00, 0x00};
	/* GREv2 (no such version) */
	static const uint8_t gre_v2[4] = {0x00, 0x02, 0x08, 0x00};
	/* GREv0, flags [routing present]: a route that never ends (17
	 * entries of AF IPv4, length 0) */
	uint8_t endless[8 + 17 * 4] = {0x40, 0x00, 0x08, 0x00};
	uint8_t p[256], f[512];
	size_t n;

	n = tun_payload(p, GRE_IP4, 4, inner4);
	n = in_ip4(f, sizeof(f), 47, p, n);
	expect_tunnel_seg(state, LINKTYPE_RAW, f, n, 4, 0, TB(TUN_GRE));
	n = tun_payload(p, gre_cks, 16, inner4);
	n = in_ip4(f, sizeof(f), 47, p, n);
	expect_tunnel_seg(state, LINKTYPE_RAW, f, n, 4, 0, TB(TUN_GRE));
	n = tun_payload(p, gre_route, 20, inner4);
	n = in_ip4(f, sizeof(f), 47, p, n);
	expect_tunnel_seg(state, LINKTYPE_RAW, f, n, 4, 0, TB(TUN_GRE));
	n = tun_payload(p, gre_ip6, 4, inner6);
	n = in_ip4(f, sizeof(f), 47, p, n);
	expect_tunnel_seg(state, LINKTYPE_RAW, f, n, 6, 0, TB(TUN_GRE));
	/* transparent Ethernet bridging, over IPv6 behind Ethernet */
	n = tun_payload(p, gre_teb, 4, inner_eth4);
	memcpy(f, ETH6, 14);
	n = 14 + in_ip6(f + 14, sizeof(f) - 14, 47, p, n);
	expect_tunnel_seg(state, LINKTYPE_EN10MB, f, n, 4, 14, TB(TUN_GRE));

	/* a keepalive, an unknown version, a route without its end */
	n = in_ip4(f, sizeof(f), 47, gre_ka, 4);
	expect_tunnel(state, LINKTYPE_RAW, f, n, DECODE_NOT_TCP,
		      DK_ETHERTYPE_OTHER, TB(TUN_GRE));
	n = tun_payload(p, gre_v2, 4, inner4);
	n = in_ip4(f, sizeof(f), 47, p, n);
	expect_tunnel(state, LINKTYPE_RAW, f, n, DECODE_NOT_TCP,
		      DK_TUNNEL_OTHER, TB(TUN_GRE));
	for (size_t i = 0; i < 17; i++)
		endless[8 + 4 * i] = 0x08;
	n = in_ip4(f, sizeof(f), 47, endless, sizeof(endless));
	expect_tunnel(state, LINKTYPE_RAW, f, n, DECODE_INVALID, DK_BAD_TUNNEL,
		      TB(TUN_GRE));
	/* flags claim a key and a sequence number the packet has no room for */
	n = in_ip4(f, sizeof(f), 47, gre_cks, 12);
	expect_tunnel(state, LINKTYPE_RAW, f, n, DECODE_INVALID, DK_BAD_TUNNEL,
		      TB(TUN_GRE));
	/* in a first fragment the GRE header is not followed (unchanged) */
	n = tun_payload(p, GRE_IP4, 4, inner4);
	n = in_ip4(f, sizeof(f), 47, p, n);
	f[6] = 0x20; /* MF */
	expect_tunnel(state, LINKTYPE_RAW, f, n, DECODE_NOT_TCP, DK_IP_OTHER,
		      0);
}

static void test_gre_pptp(void **state)
{
	/* GREv1, flags [key present, sequence# present, ack present], call 1,
	 * seq 5, ack 4, proto PPP (0x880b), length 69 */
	static const uint8_t pptp[16] = {0x30, 0x81, 0x88, 0x0b, 0x00, 0x45,
					 0x00, 0x01, 0,    0,    0,    5,
					 0,    0,    0,    4};
	/* PPP: address 0xff, control 0x03, protocol IPv4 (0x0021) */
	static const uint8_t ppp_ip4[4] = {0xff, 0x03, 0x00, 0x21};
	/* PPP with address/control and protocol compressed: IPv4 (0x21) */
	static const uint8_t ppp_short[1] = {0x21};
	/* PPP: LCP (0xc021) echo request */
	static const uint8_t ppp_lcp[8] = {0xff, 0x03, 0xc0, 0x21, 9, 1, 0, 4};
	/* GREv1 without the key PPTP needs */
	static const uint8_t pptp_nokey[4] = {0x00, 0x01, 0x88, 0x0b};
	uint8_t p[256], f[512];
	size_t n;

	memcpy(p, pptp, 16);
	n = 16 + tun_payload(p + 16, ppp_ip4, 4, inner4);
	n = in_ip4(f, sizeof(f), 47, p, n);
	expect_tunnel_seg(state, LINKTYPE_RAW, f, n, 4, 0, TB(TUN_GRE));
	n = 16 + tun_payload(p + 16, ppp_short, 1, inner4);
	n = in_ip4(f, sizeof(f), 47, p, n);
	expect_tunnel_seg(state, LINKTYPE_RAW, f, n, 4, 0, TB(TUN_GRE));
	memcpy(p + 16, ppp_lcp, 8);
	n = in_ip4(f, sizeof(f), 47, p, 24);
	expect_tunnel(state, LINKTYPE_RAW, f, n, DECODE_NOT_TCP, DK_LINK_OTHER,
		      TB(TUN_GRE));
	n = tun_payload(p, pptp_nokey, 4, inner4);
	n = in_ip4(f, sizeof(f), 47, p, n);
	expect_tunnel(state, LINKTYPE_RAW, f, n, DECODE_NOT_TCP,
		      DK_TUNNEL_OTHER, TB(TUN_GRE));
}

static void test_erspan(void **state)
{
	/* GREv0, proto ERSPAN (0x88be), no sequence number: type I */
	static const uint8_t type1[4] = {0x00, 0x00, 0x88, 0xbe};
	/* GREv0, flags [sequence# present], seq 1, proto ERSPAN (0x88be);
	 * ERSPAN type II: version 1, vlan 100, session 1, index 0 */
	static const uint8_t type2[16] = {0x10, 0x00, 0x88, 0xbe, 0, 0, 0, 1,
					  0x10, 0x64, 0x00, 0x01, 0, 0, 0, 0};
	/* GREv0, flags [sequence# present], seq 1, proto ERSPAN III
	 * (0x22eb); ERSPAN type III: version 2, vlan 100, session 1,
	 * timestamp 0x01020304, sgt 0, frame type 0 (Ethernet), no
	 * subheader */
	static const uint8_t type3[20] = {0x10, 0x00, 0x22, 0xeb, 0,    0,   0,
					  1,    0x20, 0x64, 0x00, 0x01, 1,   2,
					  3,    4,    0,    0,    0x00, 0x00};
	/* the same with frame type 2 (IP) and the O flag: an 8-byte
	 * platform-specific subheader follows */
	static const uint8_t type3_ip[28] = {0x10, 0x00, 0x22, 0xeb, 0,    0,
					     0,    1,    0x20, 0x64, 0x00, 0x01,
					     1,    2,    3,    4,    0,    0,
					     0x08, 0x01, 0xee, 0xee, 0xee, 0xee,
					     0xee, 0xee, 0xee, 0xee};
	unsigned bits = TB(TUN_GRE) | TB(TUN_ERSPAN);
	uint8_t p[256], f[512];
	size_t n;

	n = tun_payload(p, type1, 4, inner_eth4);
	n = in_ip4(f, sizeof(f), 47, p, n);
	expect_tunnel_seg(state, LINKTYPE_RAW, f, n, 4, 0, bits);
	n = tun_payload(p, type2, 16, inner_eth4);
	n = in_ip4(f, sizeof(f), 47, p, n);
	expect_tunnel_seg(state, LINKTYPE_RAW, f, n, 4, 0, bits);
	n = tun_payload(p, type3, 20, inner_eth4);
	n = in_ip4(f, sizeof(f), 47, p, n);
	expect_tunnel_seg(state, LINKTYPE_RAW, f, n, 4, 0, bits);
	n = tun_payload(p, type3_ip, 28, inner4);
	n = in_ip4(f, sizeof(f), 47, p, n);
	expect_tunnel_seg(state, LINKTYPE_RAW, f, n, 4, 0, bits);

	/* a type II header of version 2, a type III frame type 3 */
	n = tun_payload(p, type2, 16, inner_eth4);
	p[8] = 0x20;
	n = in_ip4(f, sizeof(f), 47, p, n);
	expect_tunnel(state, LINKTYPE_RAW, f, n, DECODE_NOT_TCP,
		      DK_TUNNEL_OTHER, bits);
	n = tun_payload(p, type3, 20, inner_eth4);
	p[18] = 3 << 2;
	n = in_ip4(f, sizeof(f), 47, p, n);
	expect_tunnel(state, LINKTYPE_RAW, f, n, DECODE_NOT_TCP,
		      DK_TUNNEL_OTHER, bits);
}

/* GREv0, proto ARUBA WLAN (0x8200); IEEE 802.11 QoS Data, To DS, BSSID
 * 00:00:5e:00:53:0a, SA 00:00:5e:00:53:02, DA 00:00:5e:00:53:01, QoS
 * control 0; LLC/SNAP, ethertype IPv4 */
static const uint8_t ARUBA_QOS[38] = {
	0x00, 0x00, 0x82, 0x00, 0x88, 0x01, 0x00, 0x00, 0x00, 0x00,
	0x5e, 0x00, 0x53, 0x0a, 0x00, 0x00, 0x5e, 0x00, 0x53, 0x02,
	0x00, 0x00, 0x5e, 0x00, 0x53, 0x01, 0x00, 0x00, 0x00, 0x00,
	0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00, 0x08, 0x00,
};

static void test_gre_aruba(void **state)
{
	/* GREv0, proto 0x9000; IEEE 802.11 Data (not QoS), From DS */
	static const uint8_t plain[36] = {
		0x00, 0x00, 0x90, 0x00, 0x08, 0x02, 0,    0,    0x00,
		0x00, 0x5e, 0x00, 0x53, 0x01, 0x00, 0x00, 0x5e, 0x00,
		0x53, 0x0a, 0x00, 0x00, 0x5e, 0x00, 0x53, 0x02, 0,
		0,    0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00, 0x08, 0x00,
	};
	/* GREv0, proto 0x8370; IEEE 802.11 QoS Data, To DS and From DS (four
	 * addresses), +HTC: QoS control and HT control follow */
	static const uint8_t four_htc[48] = {
		0x00, 0x00, 0x83, 0x70, 0x88, 0x83, 0,    0,    1,    1,
		1,    1,    1,    1,    2,    2,    2,    2,    2,    2,
		3,    3,    3,    3,    3,    3,    0,    0,    4,    4,
		4,    4,    4,    4,    0x00, 0x00, 0x11, 0x22, 0x33, 0x44,
		0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00, 0x08, 0x00,
	};
	/* the same QoS Data frame as an A-MSDU (QoS control bit 7): the
	 * first subframe, DA, SA and length 73, then LLC/SNAP */
	uint8_t amsdu[44];
	uint8_t p[256], f[512];
	size_t n;

	n = tun_payload(p, ARUBA_QOS, sizeof(ARUBA_QOS), inner4);
	n = in_ip4(f, sizeof(f), 47, p, n);
	expect_tunnel_seg(state, LINKTYPE_RAW, f, n, 4, 0, TB(TUN_GRE));
	n = tun_payload(p, plain, sizeof(plain), inner4);
	n = in_ip4(f, sizeof(f), 47, p, n);
	expect_tunnel_seg(state, LINKTYPE_RAW, f, n, 4, 0, TB(TUN_GRE));
	n = tun_payload(p, four_htc, sizeof(four_htc), inner4);
	n = in_ip4(f, sizeof(f), 47, p, n);
	expect_tunnel_seg(state, LINKTYPE_RAW, f, n, 4, 0, TB(TUN_GRE));
	memcpy(amsdu, ARUBA_QOS, 30);
	amsdu[28] = 0x80;
	memcpy(amsdu + 30, ARUBA_QOS + 14, 12); /* DA, SA */
	put16(amsdu + 42, 8 + 65);
	memcpy(p, amsdu, 44);
	memcpy(p + 44, ARUBA_QOS + 30, 8); /* LLC/SNAP */
	n = 52 + inner4(p + 52);
	n = in_ip4(f, sizeof(f), 47, p, n);
	expect_tunnel_seg(state, LINKTYPE_RAW, f, n, 4, 0, TB(TUN_GRE));
	/* a subframe longer than the frame */
	put16(p + 42, 200);
	n = in_ip4(f, sizeof(f), 47, p, 52 + 65);
	expect_tunnel(state, LINKTYPE_RAW, f, n, DECODE_INVALID, DK_BAD_LINK,
		      TB(TUN_GRE));

	/* protected (encrypted), null data, a management frame: no packet */
	n = tun_payload(p, ARUBA_QOS, sizeof(ARUBA_QOS), inner4);
	p[5] = 0x41;
	n = in_ip4(f, sizeof(f), 47, p, n);
	expect_tunnel(state, LINKTYPE_RAW, f, n, DECODE_NOT_TCP, DK_LINK_OTHER,
		      TB(TUN_GRE));
	n = tun_payload(p, ARUBA_QOS, sizeof(ARUBA_QOS), inner4);
	p[4] = 0xc8; /* QoS Null */
	n = in_ip4(f, sizeof(f), 47, p, n);
	expect_tunnel(state, LINKTYPE_RAW, f, n, DECODE_NOT_TCP, DK_LINK_OTHER,
		      TB(TUN_GRE));
	n = tun_payload(p, ARUBA_QOS, sizeof(ARUBA_QOS), inner4);
	p[4] = 0x80; /* Beacon */
	n = in_ip4(f, sizeof(f), 47, p, n);
	expect_tunnel(state, LINKTYPE_RAW, f, n, DECODE_NOT_TCP, DK_LINK_OTHER,
		      TB(TUN_GRE));
	/* 0x8208 is not one of Aruba's protocol types */
	n = tun_payload(p, ARUBA_QOS, sizeof(ARUBA_QOS), inner4);
	p[3] = 0x08;
	n = in_ip4(f, sizeof(f), 47, p, n);
	expect_tunnel(state, LINKTYPE_RAW, f, n, DECODE_NOT_TCP,
		      DK_ETHERTYPE_OTHER, TB(TUN_GRE));
}

/* VXLAN, flags [I] (0x08), vni 42 */
static const uint8_t VXLAN_HDR[8] = {0x08, 0, 0, 0, 0, 0, 0x2a, 0};

static void test_udp_tunnels(void **state)
{
	/* Geneve, ver 0, opt len 2 (8 bytes), proto TEB (0x6558), vni 42;
	 * option class 0x0102 type 0x80 length 1: 0xdeadbeef */
	static const uint8_t geneve[16] = {0x02, 0x00, 0x65, 0x58, 0,    0,
					   0x2a, 0,    0x01, 0x02, 0x80, 0x01,
					   0xde, 0xad, 0xbe, 0xef};
	/* Geneve, ver 0, no options, proto IPv6 (0x86dd), vni 7 */
	static const uint8_t geneve6[8] = {0x00, 0x00, 0x86, 0xdd, 0, 0, 7, 0};
	/* an inner Ethernet frame with an 802.1Q tag, vlan 5, then IPv4 */
	static const uint8_t eth_q[18] = {0,    0,    0x5e, 0,    0x53, 1,
					  0,    0,    0x5e, 0,    0x53, 2,
					  0x81, 0x00, 0x00, 0x05, 0x08, 0x00};
	uint8_t p[256], f[512];
	size_t n;

	/* VXLAN: 51000 > 4789 */
	n = tun_payload(p, VXLAN_HDR, 8, inner_eth4);
	n = in_udp4(f, sizeof(f), 51000, 4789, p, n);
	expect_tunnel_seg(state, LINKTYPE_RAW, f, n, 4, 0, TB(TUN_VXLAN));
	memcpy(p, VXLAN_HDR, 8);
	memcpy(p + 8, eth_q, 18);
	n = 26 + inner4(p + 26);
	n = in_udp4(f, sizeof(f), 51000, 4789, p, n);
	expect_tunnel_seg(state, LINKTYPE_RAW, f, n, 4, 0, TB(TUN_VXLAN));
	/* Geneve: 52000 > 6081, with options; and carrying IPv6 */
	n = tun_payload(p, geneve, 16, inner_eth4);
	n = in_udp4(f, sizeof(f), 52000, 6081, p, n);
	expect_tunnel_seg(state, LINKTYPE_RAW, f, n, 4, 0, TB(TUN_GENEVE));
	n = tun_payload(p, geneve6, 8, inner6);
	n = in_udp4(f, sizeof(f), 52000, 6081, p, n);
	expect_tunnel_seg(state, LINKTYPE_RAW, f, n, 6, 0, TB(TUN_GENEVE));
	/* GRE in UDP: 53000 > 4754 */
	n = tun_payload(p, GRE_IP4, 4, inner4);
	n = in_udp4(f, sizeof(f), 53000, 4754, p, n);
	expect_tunnel_seg(state, LINKTYPE_RAW, f, n, 4, 0, TB(TUN_GRE_UDP));

	/* Geneve version 1: not read */
	n = tun_payload(p, geneve, 16, inner_eth4);
	p[0] |= 0x40;
	n = in_udp4(f, sizeof(f), 52000, 6081, p, n);
	expect_tunnel(state, LINKTYPE_RAW, f, n, DECODE_NOT_TCP,
		      DK_TUNNEL_OTHER, TB(TUN_GENEVE));
	/* options longer than the packet */
	n = tun_payload(p, geneve, 16, inner_eth4);
	p[0] = 0x3f;
	n = in_udp4(f, sizeof(f), 52000, 6081, p, 100);
	expect_tunnel(state, LINKTYPE_RAW, f, n, DECODE_INVALID, DK_BAD_TUNNEL,
		      TB(TUN_GENEVE));
	/* a UDP length past the IP payload, and one under the header */
	n = tun_payload(p, VXLAN_HDR, 8, inner_eth4);
	n = in_udp4(f, sizeof(f), 51000, 4789, p, n);
	put16(f + 24, (uint16_t)(n - 19));
	expect_tunnel(state, LINKTYPE_RAW, f, n, DECODE_INVALID, DK_BAD_TUNNEL,
		      TB(TUN_VXLAN));
	put16(f + 24, 7);
	expect_tunnel(state, LINKTYPE_RAW, f, n, DECODE_INVALID, DK_BAD_TUNNEL,
		      TB(TUN_VXLAN));
	/* the same on a port of no tunnel is plain UDP */
	put16(f + 22, 53);
	expect_tunnel(state, LINKTYPE_RAW, f, n, DECODE_NOT_TCP, DK_IPV4_UDP,
		      0);
	/* a VXLAN port as the source, to a well-known port: not a tunnel */
	n = tun_payload(p, VXLAN_HDR, 8, inner_eth4);
	n = in_udp4(f, sizeof(f), 4789, 53, p, n);
	expect_tunnel(state, LINKTYPE_RAW, f, n, DECODE_NOT_TCP, DK_IPV4_UDP,
		      0);
	/* ... and to any other port, a tunnel */
	n = tun_payload(p, VXLAN_HDR, 8, inner_eth4);
	n = in_udp4(f, sizeof(f), 4789, 51000, p, n);
	expect_tunnel_seg(state, LINKTYPE_RAW, f, n, 4, 0, TB(TUN_VXLAN));
}

static void test_gtp_u(void **state)
{
	/* GTPv1-U, flags 0x30, G-PDU (255), length 65, TEID 0x11223344 */
	static const uint8_t gtp[8] = {0x30, 0xff, 0x00, 0x41,
				       0x11, 0x22, 0x33, 0x44};
	/* flags 0x32 [S]: sequence 1, N-PDU 0, next extension 0 */
	static const uint8_t gtp_s[12] = {0x32, 0xff, 0x00, 0x45, 0x11, 0x22,
					  0x33, 0x44, 0x00, 0x01, 0x00, 0x00};
	/* flags 0x34 [E]: next extension 0x85 (PDU session container),
	 * length 1 (4 bytes): PDU type 0, QFI 9, next extension 0 */
	static const uint8_t gtp_e[16] = {0x34, 0xff, 0x00, 0x49, 0x11, 0x22,
					  0x33, 0x44, 0x00, 0x00, 0x00, 0x85,
					  0x01, 0x00, 0x09, 0x00};
	/* flags 0x32, Echo Request (1), length 4 */
	static const uint8_t echo[12] = {0x32, 0x01, 0x00, 0x04, 0,    0,
					 0,    0,    0x00, 0x07, 0x00, 0x00};
	/* GTP' (protocol type 0), version 0 */
	static const uint8_t prime[8] = {0x0e, 0xff, 0x00, 0x41, 0, 0, 0, 0};
	uint8_t p[256], f[512];
	size_t n;

	n = tun_payload(p, gtp, 8, inner4);
	n = in_udp4(f, sizeof(f), 2152, 2152, p, n);
	expect_tunnel_seg(state, LINKTYPE_RAW, f, n, 4, 0, TB(TUN_GTP_U));
	n = tun_payload(p, gtp_s, 12, inner4);
	n = in_udp4(f, sizeof(f), 5906, 2152, p, n);
	expect_tunnel_seg(state, LINKTYPE_RAW, f, n, 4, 0, TB(TUN_GTP_U));
	n = tun_payload(p, gtp_e, 16, inner6);
	put16(p + 2, 8 + 85);
	n = in_udp4(f, sizeof(f), 2152, 2152, p, n);
	expect_tunnel_seg(state, LINKTYPE_RAW, f, n, 6, 0, TB(TUN_GTP_U));

	/* an extension header of length 0 */
	n = tun_payload(p, gtp_e, 16, inner4);
	p[12] = 0;
	n = in_udp4(f, sizeof(f), 2152, 2152, p, n);
	expect_tunnel(state, LINKTYPE_RAW, f, n, DECODE_INVALID, DK_BAD_TUNNEL,
		      TB(TUN_GTP_U));
	/* a length past the UDP payload */
	n = tun_payload(p, gtp, 8, inner4);
	p[3] = 0x42;
	n = in_udp4(f, sizeof(f), 2152, 2152, p, n);
	expect_tunnel(state, LINKTYPE_RAW, f, n, DECODE_INVALID, DK_BAD_TUNNEL,
		      TB(TUN_GTP_U));
	/* an echo request, GTP', a T-PDU that is not IP */
	n = in_udp4(f, sizeof(f), 2152, 2152, echo, 12);
	expect_tunnel(state, LINKTYPE_RAW, f, n, DECODE_NOT_TCP,
		      DK_TUNNEL_OTHER, TB(TUN_GTP_U));
	n = tun_payload(p, prime, 8, inner4);
	n = in_udp4(f, sizeof(f), 2152, 2152, p, n);
	expect_tunnel(state, LINKTYPE_RAW, f, n, DECODE_NOT_TCP,
		      DK_TUNNEL_OTHER, TB(TUN_GTP_U));
	n = tun_payload(p, gtp, 8, inner_eth4);
	put16(p + 2, 79);
	n = in_udp4(f, sizeof(f), 2152, 2152, p, n);
	expect_tunnel(state, LINKTYPE_RAW, f, n, DECODE_NOT_TCP,
		      DK_TUNNEL_OTHER, TB(TUN_GTP_U));
	/* a DNS query from port 2152 is DNS */
	n = tun_payload(p, gtp, 8, inner4);
	n = in_udp4(f, sizeof(f), 2152, 53, p, n);
	expect_tunnel(state, LINKTYPE_RAW, f, n, DECODE_NOT_TCP, DK_IPV4_UDP,
		      0);
}

static void test_teredo(void **state)
{
	/* Teredo origin indication: port 40000 ^ 0xffff, 192.0.2.33 ^
	 * 0xffffffff */
	static const uint8_t origin[8] = {0x00, 0x00, 0x63, 0xbf,
					  0x3f, 0xff, 0xfd, 0xde};
	/* Teredo authentication: client id "id" (2), no value, nonce
	 * 0x0102030405060708, confirmation 0; then an origin indication */
	static const uint8_t auth_origin[23] = {0x00, 0x01, 0x02, 0x00, 'i',
						'd',  1,    2,    3,    4,
						5,    6,    7,    8,    0x00,
						0x00, 0x00, 0x63, 0xbf, 0x3f,
						0xff, 0xfd, 0xde};
	uint8_t p[256], f[512], six[85];
	struct pkt_view v;
	enum decode_kind k;
	size_t n;

	/* 40000 > 3544 (to the server), 3544 > 40000 (from it) */
	n = inner6(p);
	n = in_udp4(f, sizeof(f), 40000, 3544, p, n);
	expect_tunnel_seg(state, LINKTYPE_RAW, f, n, 6, 0, TB(TUN_TEREDO));
	n = tun_payload(p, origin, 8, inner6);
	n = in_udp4(f, sizeof(f), 3544, 40000, p, n);
	expect_tunnel_seg(state, LINKTYPE_RAW, f, n, 6, 0, TB(TUN_TEREDO));
	n = tun_payload(p, auth_origin, 23, inner6);
	n = in_udp4(f, sizeof(f), 3544, 40000, p, n);
	expect_tunnel_seg(state, LINKTYPE_RAW, f, n, 6, 0, TB(TUN_TEREDO));
	/* two origin indications */
	memcpy(p, origin, 8);
	n = tun_payload(p + 8, origin, 8, inner6);
	n = in_udp4(f, sizeof(f), 3544, 40000, p, n + 8);
	expect_tunnel(state, LINKTYPE_RAW, f, n, DECODE_INVALID, DK_BAD_TUNNEL,
		      TB(TUN_TEREDO));
	/* an IPv4 packet where the IPv6 packet should be */
	n = inner4(p);
	n = in_udp4(f, sizeof(f), 40000, 3544, p, n);
	expect_tunnel(state, LINKTYPE_RAW, f, n, DECODE_INVALID,
		      DK_BAD_IP_VERSION, TB(TUN_TEREDO));

	/* On other ports: the IPv6 packet of a Teredo address
	 * (2001:0:4136:e378:8000:63bf:3fff:fdd2), exactly filling the UDP
	 * payload, is Teredo; other IPv6 packets are not. */
	inner6(six);
	memcpy(six + 8,
	       (const uint8_t[]){0x20, 0x01, 0x00, 0x00, 0x41, 0x36, 0xe3, 0x78,
				 0x80, 0x00, 0x63, 0xbf, 0x3f, 0xff, 0xfd,
				 0xd2},
	       16);
	n = in_udp4(f, sizeof(f), 40000, 51413, six, sizeof(six));
	assert_int_equal(dec(state, LINKTYPE_RAW, f, n, n, &v, &k), DECODE_TCP);
	assert_int_equal(k, DK_NONE);
	assert_int_equal(v.tunnels, TB(TUN_TEREDO));
	assert_int_equal(v.tuple.ip_version, 6);
	assert_int_equal(v.seq, 1000);
	assert_int_equal(v.payload_bytes, 5);
	n = in_udp4(f, sizeof(f), 40000, 51413, six, sizeof(six) - 1);
	expect_tunnel(state, LINKTYPE_RAW, f, n, DECODE_NOT_TCP, DK_IPV4_UDP,
		      0);
	n = inner6(p);
	n = in_udp4(f, sizeof(f), 40000, 51413, p, n);
	expect_tunnel(state, LINKTYPE_RAW, f, n, DECODE_NOT_TCP, DK_IPV4_UDP,
		      0);
}

static void test_ayiya(void **state)
{
	/* AYIYA: identity length 4 (16 bytes), type 1; signature length 5
	 * (20 bytes), hash 2 (SHA-1); authentication 1, opcode 1 (forward);
	 * next header IPv6 (41); epoch 0x5f000000; identity; signature */
	uint8_t hdr[44] = {0x41, 0x52, 0x11, 41, 0x5f, 0, 0, 0};
	uint8_t p[256], f[512];
	size_t n;

	memset(hdr + 8, 0xaa, 16);
	memset(hdr + 24, 0x55, 20);
	n = tun_payload(p, hdr, 44, inner6);
	n = in_udp4(f, sizeof(f), 5072, 5072, p, n);
	expect_tunnel_seg(state, LINKTYPE_RAW, f, n, 6, 0, TB(TUN_AYIYA));
	hdr[3] = 4; /* IPv4 */
	n = tun_payload(p, hdr, 44, inner4);
	n = in_udp4(f, sizeof(f), 40000, 5072, p, n);
	expect_tunnel_seg(state, LINKTYPE_RAW, f, n, 4, 0, TB(TUN_AYIYA));
	hdr[2] = 0x13; /* echo request and forward */
	n = tun_payload(p, hdr, 44, inner4);
	n = in_udp4(f, sizeof(f), 40000, 5072, p, n);
	expect_tunnel_seg(state, LINKTYPE_RAW, f, n, 4, 0, TB(TUN_AYIYA));

	/* an echo response, next header UDP, an identity past the end */
	hdr[2] = 0x14;
	n = tun_payload(p, hdr, 44, inner4);
	n = in_udp4(f, sizeof(f), 40000, 5072, p, n);
	expect_tunnel(state, LINKTYPE_RAW, f, n, DECODE_NOT_TCP,
		      DK_TUNNEL_OTHER, TB(TUN_AYIYA));
	hdr[2] = 0x11;
	hdr[3] = 17;
	n = tun_payload(p, hdr, 44, inner4);
	n = in_udp4(f, sizeof(f), 40000, 5072, p, n);
	expect_tunnel(state, LINKTYPE_RAW, f, n, DECODE_NOT_TCP,
		      DK_TUNNEL_OTHER, TB(TUN_AYIYA));
	hdr[0] = 0xf1; /* 32768 bytes of identity */
	n = tun_payload(p, hdr, 44, inner4);
	n = in_udp4(f, sizeof(f), 40000, 5072, p, n);
	expect_tunnel(state, LINKTYPE_RAW, f, n, DECODE_INVALID, DK_BAD_TUNNEL,
		      TB(TUN_AYIYA));
}

/* ethertype 802.1ad (0x88a8), B-VID 100, ethertype 802.1ah (0x88e7):
 * I-SID 256; customer 00:00:5e:00:53:02 > 00:00:5e:00:53:01 */
static const uint8_t PBB_HDR[36] = {
	0x00, 0x00, 0x5e, 0x00, 0x53, 0x11, 0x00, 0x00, 0x5e, 0x00, 0x53, 0x12,
	0x88, 0xa8, 0x00, 0x64, 0x88, 0xe7, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x5e, 0x00, 0x53, 0x01, 0x00, 0x00, 0x5e, 0x00, 0x53, 0x02, 0x08, 0x00,
};

/* ethertype VN-Tag (0x8926): destination vif 1, source vif 2; ethertype
 * 802.1Q, vlan 100, ethertype IPv4 */
static const uint8_t VNTAG_HDR[24] = {
	0x00, 0x00, 0x5e, 0x00, 0x53, 0x01, 0x00, 0x00, 0x5e, 0x00, 0x53, 0x02,
	0x89, 0x26, 0x80, 0x01, 0x00, 0x02, 0x81, 0x00, 0x00, 0x64, 0x08, 0x00,
};

static void test_pbb_vntag(void **state)
{
	/* ethertype 802.1Q, vlan 10, ethertype VN-Tag, vifs 1 and 2,
	 * ethertype 802.1Q, vlan 20, ethertype IPv4: a VN-Tag between two
	 * VLAN tags */
	static const uint8_t sandwich[28] = {
		0x00, 0x00, 0x5e, 0x00, 0x53, 0x01, 0x00, 0x00, 0x5e, 0x00,
		0x53, 0x02, 0x81, 0x00, 0x00, 0x0a, 0x89, 0x26, 0x80, 0x01,
		0x00, 0x02, 0x81, 0x00, 0x00, 0x14, 0x08, 0x00,
	};
	uint8_t f[512];
	size_t n;

	n = tun_payload(f, PBB_HDR, 36, inner4);
	expect_tunnel_seg(state, LINKTYPE_EN10MB, f, n, 4, 36, TB(TUN_PBB));
	n = tun_payload(f, VNTAG_HDR, 24, inner4);
	expect_tunnel_seg(state, LINKTYPE_EN10MB, f, n, 4, 24, TB(TUN_VNTAG));
	n = tun_payload(f, sandwich, 28, inner4);
	expect_tunnel_seg(state, LINKTYPE_EN10MB, f, n, 4, 28, TB(TUN_VNTAG));
}

/* Tunnels in tunnels, and the bound on how deep. */
static void test_tunnel_nesting(void **state)
{
	uint8_t p[512], f[512];
	size_t n;

	/* VXLAN in UDP in IPv4 in GRE in IPv4 */
	n = tun_payload(p, VXLAN_HDR, 8, inner_eth4);
	n = in_udp4(f, sizeof(f), 51000, 4789, p, n);
	memmove(p + 4, f, n);
	memcpy(p, GRE_IP4, 4);
	n = in_ip4(f, sizeof(f), 47, p, n + 4);
	expect_tunnel_seg(state, LINKTYPE_RAW, f, n, 4, 0,
			  TB(TUN_GRE) | TB(TUN_VXLAN));

	/* four IP-in-IP headers around the segment: followed; five: not */
	n = inner4(f);
	for (int i = 0; i < 4; i++)
		n = in_ip4(f, sizeof(f), 4, f, n);
	expect_tunnel_seg(state, LINKTYPE_RAW, f, n, 4, 0, TB(TUN_IPIP));
	n = in_ip4(f, sizeof(f), 4, f, n);
	expect_tunnel(state, LINKTYPE_RAW, f, n, DECODE_INVALID,
		      DK_TUNNEL_DEPTH, TB(TUN_IPIP));

	/* five 802.1ah headers, one in the other: each customer frame is
	 * tagged 802.1ad, then 802.1ah again */
	n = inner4(p);
	for (int i = 0; i < 5; i++) {
		memmove(p + 22, p, n);
		memcpy(p, PBB_HDR + 14, 22);
		if (i > 0)
			put16(p + 20, 0x88a8);
		n += 22;
	}
	memcpy(f, PBB_HDR, 14);
	memcpy(f + 14, p, n);
	expect_tunnel(state, LINKTYPE_EN10MB, f, n + 14, DECODE_INVALID,
		      DK_TUNNEL_DEPTH, TB(TUN_PBB));
}

static void test_tunnel_names(void **state)
{
	(void)state;
	assert_string_equal(decode_tunnel_name(TUN_VXLAN), "vxlan");
	assert_string_equal(decode_tunnel_name(TUN_GRE_UDP), "gre-in-udp");
	assert_string_equal(decode_tunnel_name(DECODE_TUNNEL_COUNT), "?");
	for (int t = 0; t < DECODE_TUNNEL_COUNT; t++)
		assert_string_not_equal(decode_tunnel_name(t), "?");
}

/* ---- tunnels cut at every byte ------------------------------------------ */

static void test_cut_gre(void **state)
{
	/* GREv0 [checksum, key, sequence#] in raw IPv4 */
	static const uint8_t gre_cks[16] = {0xb0, 0x00, 0x08, 0x00, 0x12, 0x34,
					    0,    0,    0,    0,    0,    0x2a,
					    0,    0,    0,    7};
	/* GREv0 [routing]: one 4-byte entry and the null entry */
	static const uint8_t gre_route[20] = {0x40, 0x00, 0x08, 0x00, 0, 0,   0,
					      0,    0x08, 0x00, 0,    4, 192, 0,
					      2,    9,    0,    0,    0, 0};
	/* GREv1 PPTP [key, sequence#, ack]; PPP ff 03, IPv4 */
	static const uint8_t pptp[20] = {0x30, 0x81, 0x88, 0x0b, 0x00,
					 0x45, 0x00, 0x01, 0,    0,
					 0,    5,    0,    0,    0,
					 4,    0xff, 0x03, 0x00, 0x21};
	uint8_t p[256], f[512];
	size_t n;

	n = tun_payload(p, gre_cks, 16, inner4);
	n = in_ip4(f, sizeof(f), 47, p, n);
	cut_everywhere(state, LINKTYPE_RAW, f, n,
		       (const struct layer[]){{20, DK_TRUNC_IPV4},
					      {36, DK_TRUNC_TUNNEL},
					      {56, DK_TRUNC_IPV4},
					      {76, DK_TRUNC_TCP}},
		       4, 4);
	n = tun_payload(p, gre_route, 20, inner4);
	n = in_ip4(f, sizeof(f), 47, p, n);
	cut_everywhere(state, LINKTYPE_RAW, f, n,
		       (const struct layer[]){{20, DK_TRUNC_IPV4},
					      {40, DK_TRUNC_TUNNEL},
					      {60, DK_TRUNC_IPV4},
					      {80, DK_TRUNC_TCP}},
		       4, 4);
	n = tun_payload(p, pptp, 20, inner4);
	n = in_ip4(f, sizeof(f), 47, p, n);
	cut_everywhere(state, LINKTYPE_RAW, f, n,
		       (const struct layer[]){{20, DK_TRUNC_IPV4},
					      {36, DK_TRUNC_TUNNEL},
					      {40, DK_TRUNC_LINK},
					      {60, DK_TRUNC_IPV4},
					      {80, DK_TRUNC_TCP}},
		       5, 4);
}

static void test_cut_erspan_aruba(void **state)
{
	/* GREv0 [sequence#] ERSPAN type II, then Ethernet */
	static const uint8_t type2[16] = {0x10, 0x00, 0x88, 0xbe, 0, 0, 0, 1,
					  0x10, 0x64, 0x00, 0x01, 0, 0, 0, 0};
	/* GREv0 [sequence#] ERSPAN type III with the 8-byte subheader, IP */
	static const uint8_t type3[28] = {0x10, 0x00, 0x22, 0xeb, 0,    0,
					  0,    1,    0x20, 0x64, 0x00, 0x01,
					  1,    2,    3,    4,    0,    0,
					  0x08, 0x01, 0xee, 0xee, 0xee, 0xee,
					  0xee, 0xee, 0xee, 0xee};
	uint8_t p[256], f[512];
	size_t n;

	n = tun_payload(p, type2, 16, inner_eth4);
	n = in_ip4(f, sizeof(f), 47, p, n);
	cut_everywhere(state, LINKTYPE_RAW, f, n,
		       (const struct layer[]){{20, DK_TRUNC_IPV4},
					      {28, DK_TRUNC_TUNNEL},
					      {36, DK_TRUNC_TUNNEL},
					      {50, DK_TRUNC_LINK},
					      {70, DK_TRUNC_IPV4},
					      {90, DK_TRUNC_TCP}},
		       6, 4);
	n = tun_payload(p, type3, 28, inner4);
	n = in_ip4(f, sizeof(f), 47, p, n);
	cut_everywhere(state, LINKTYPE_RAW, f, n,
		       (const struct layer[]){{20, DK_TRUNC_IPV4},
					      {48, DK_TRUNC_TUNNEL},
					      {68, DK_TRUNC_IPV4},
					      {88, DK_TRUNC_TCP}},
		       4, 4);
	/* Aruba: GRE, then the 802.11 header and LLC/SNAP */
	n = tun_payload(p, ARUBA_QOS, sizeof(ARUBA_QOS), inner4);
	n = in_ip4(f, sizeof(f), 47, p, n);
	cut_everywhere(state, LINKTYPE_RAW, f, n,
		       (const struct layer[]){{20, DK_TRUNC_IPV4},
					      {24, DK_TRUNC_TUNNEL},
					      {58, DK_TRUNC_LINK},
					      {78, DK_TRUNC_IPV4},
					      {98, DK_TRUNC_TCP}},
		       5, 4);
}

static void test_cut_udp_tunnels(void **state)
{
	/* Geneve with 8 bytes of options, then Ethernet */
	static const uint8_t geneve[16] = {0x02, 0x00, 0x65, 0x58, 0,    0,
					   0x2a, 0,    0x01, 0x02, 0x80, 0x01,
					   0xde, 0xad, 0xbe, 0xef};
	/* GTP-U [E] with one extension header */
	static const uint8_t gtp_e[16] = {0x34, 0xff, 0x00, 0x49, 0x11, 0x22,
					  0x33, 0x44, 0x00, 0x00, 0x00, 0x85,
					  0x01, 0x00, 0x09, 0x00};
	/* Teredo authentication (client id "id") and origin indication */
	static const uint8_t teredo[23] = {0x00, 0x01, 0x02, 0x00, 'i',  'd',
					   1,    2,    3,    4,    5,    6,
					   7,    8,    0x00, 0x00, 0x00, 0x63,
					   0xbf, 0x3f, 0xff, 0xfd, 0xde};
	/* AYIYA: 16 bytes of identity, 20 of signature, forward IPv6 */
	uint8_t ayiya[44] = {0x41, 0x52, 0x11, 41, 0x5f, 0, 0, 0};
	/* the UDP header, cut, is plain UDP: the ports are not all there */
	const struct layer udp = {28, DK_IPV4_UDP};
	uint8_t p[256], f[512];
	size_t n;

	n = tun_payload(p, VXLAN_HDR, 8, inner_eth4);
	n = in_udp4(f, sizeof(f), 51000, 4789, p, n);
	cut_everywhere(state, LINKTYPE_RAW, f, n,
		       (const struct layer[]){{20, DK_TRUNC_IPV4},
					      udp,
					      {36, DK_TRUNC_TUNNEL},
					      {50, DK_TRUNC_LINK},
					      {70, DK_TRUNC_IPV4},
					      {90, DK_TRUNC_TCP}},
		       6, 4);
	n = tun_payload(p, geneve, 16, inner_eth4);
	n = in_udp4(f, sizeof(f), 52000, 6081, p, n);
	cut_everywhere(state, LINKTYPE_RAW, f, n,
		       (const struct layer[]){{20, DK_TRUNC_IPV4},
					      udp,
					      {44, DK_TRUNC_TUNNEL},
					      {58, DK_TRUNC_LINK},
					      {78, DK_TRUNC_IPV4},
					      {98, DK_TRUNC_TCP}},
		       6, 4);
	n = tun_payload(p, GRE_IP4, 4, inner4);
	n = in_udp4(f, sizeof(f), 53000, 4754, p, n);
	cut_everywhere(state, LINKTYPE_RAW, f, n,
		       (const struct layer[]){{20, DK_TRUNC_IPV4},
					      udp,
					      {32, DK_TRUNC_TUNNEL},
					      {52, DK_TRUNC_IPV4},
					      {72, DK_TRUNC_TCP}},
		       5, 4);
	n = tun_payload(p, gtp_e, 16, inner4);
	n = in_udp4(f, sizeof(f), 2152, 2152, p, n);
	cut_everywhere(state, LINKTYPE_RAW, f, n,
		       (const struct layer[]){{20, DK_TRUNC_IPV4},
					      udp,
					      {44, DK_TRUNC_TUNNEL},
					      {64, DK_TRUNC_IPV4},
					      {84, DK_TRUNC_TCP}},
		       5, 4);
	n = tun_payload(p, teredo, 23, inner6);
	n = in_udp4(f, sizeof(f), 3544, 40000, p, n);
	cut_everywhere(state, LINKTYPE_RAW, f, n,
		       (const struct layer[]){{20, DK_TRUNC_IPV4},
					      udp,
					      {51, DK_TRUNC_TUNNEL},
					      {91, DK_TRUNC_IPV6},
					      {111, DK_TRUNC_TCP}},
		       5, 6);
	memset(ayiya + 8, 0xaa, 36);
	n = tun_payload(p, ayiya, 44, inner6);
	n = in_udp4(f, sizeof(f), 5072, 5072, p, n);
	cut_everywhere(state, LINKTYPE_RAW, f, n,
		       (const struct layer[]){{20, DK_TRUNC_IPV4},
					      udp,
					      {72, DK_TRUNC_TUNNEL},
					      {112, DK_TRUNC_IPV6},
					      {132, DK_TRUNC_TCP}},
		       5, 6);
}

static void test_cut_pbb_vntag(void **state)
{
	uint8_t f[512];
	size_t n;

	n = tun_payload(f, PBB_HDR, 36, inner4);
	cut_everywhere(state, LINKTYPE_EN10MB, f, n,
		       (const struct layer[]){{18, DK_TRUNC_LINK},
					      {22, DK_TRUNC_TUNNEL},
					      {36, DK_TRUNC_LINK},
					      {56, DK_TRUNC_IPV4},
					      {76, DK_TRUNC_TCP}},
		       5, 4);
	n = tun_payload(f, VNTAG_HDR, 24, inner4);
	cut_everywhere(state, LINKTYPE_EN10MB, f, n,
		       (const struct layer[]){{14, DK_TRUNC_LINK},
					      {20, DK_TRUNC_TUNNEL},
					      {24, DK_TRUNC_LINK},
					      {44, DK_TRUNC_IPV4},
					      {64, DK_TRUNC_TCP}},
		       5, 4);
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
		{"decode-vlan-9-tags.bin", DECODE_INVALID, DK_BAD_LINK},
		{"decode-nflog-70-tlvs.bin", DECODE_INVALID, DK_BAD_LINK},
		{"decode-ipv6-9-ext.bin", DECODE_INVALID, DK_IPV6_EXT_CHAIN},
		{"decode-ipip-tso-cut.bin", DECODE_TRUNCATED, DK_TRUNC_TCP},
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
		GT(test_ethernet),
		GT(test_ethernet_padding),
		GT(test_vlan),
		GT(test_ethernet_other),
		GT(test_pppoe),
		GT(test_sll),
		GT(test_sll2),
		GT(test_null_loop),
		GT(test_raw),
		GT(test_nflog),
		GT(test_ipoib),
		GT(test_unsupported_link),
		GT(test_ipv4_options),
		GT(test_ipv4_bad),
		GT(test_ipv4_not_tcp),
		GT(test_ipv4_tunnel),
		GT(test_ipv4_fragments),
		GT(test_ipv4_tso),
		GT(test_snaplen_cut),
		GT(test_ipv6_ext_chain),
		GT(test_ipv6_lengths),
		GT(test_ipv6_jumbo),
		GT(test_tcp_options),
		GT(test_tcp_bad_options),
		GT(test_tcp_iterator),
		GT(test_tcp_header_bad),
		GT(test_tcp_options_cut),
		GT(test_tcp_options_cut_bad),
		GT(test_tcp_iterator_cut),
		GT(test_cut_ethernet_ipv4),
		GT(test_cut_vlan_pppoe),
		GT(test_cut_sll2_ipv6_ext),
		GT(test_cut_nflog),
		GT(test_cut_every_link),
		GT(test_kind_names),
		GT(test_gre),
		GT(test_gre_pptp),
		GT(test_erspan),
		GT(test_gre_aruba),
		GT(test_udp_tunnels),
		GT(test_gtp_u),
		GT(test_teredo),
		GT(test_ayiya),
		GT(test_pbb_vntag),
		GT(test_tunnel_nesting),
		GT(test_tunnel_names),
		GT(test_cut_gre),
		GT(test_cut_erspan_aruba),
		GT(test_cut_udp_tunnels),
		GT(test_cut_pbb_vntag),
		GT(test_regress_inputs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
