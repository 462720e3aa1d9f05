/*
 * test_build.c - the capture writer: segments built by formats/wire/build.c,
 * decoded back by formats/wire/decode.c, checksums verified here independently;
 * the fixture language (formats/wire/fixture.c): numbers, options, times, repeats,
 * errors with line numbers; pcap files written by formats/wire/pcap_out.c and read
 * back with libpcap; and the committed testdata captures against their scripts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "formats/wire/build.h"
#include "formats/wire/decode.h"
#include "formats/wire/fixture.h"
#include "formats/wire/linktype.h"
#include "formats/wire/pcap_out.h"

/* ---- helpers ---- */

static const uint8_t addr_c4[16] = {10, 0, 0, 1};
static const uint8_t addr_s4[16] = {10, 0, 0, 2};
static const uint8_t addr_c6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
static const uint8_t addr_s6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2};

/* The link header the builder writes for a DLT, from the formats' own
 * descriptions (not from the link-type table, which is under test). */
static unsigned link_hdr_bytes(int dlt)
{
	switch (dlt) {
	case 1:
		return 14; /* EN10MB */
	case 12:
	case 14:
	case 101: /* raw IP */
	case 228:
	case 229: /* raw IPv4, raw IPv6 */
		return 0;
	case 113:
		return 16; /* LINUX_SLL */
	case 276:
		return 20; /* LINUX_SLL2 */
	case 0:
	case 108:
		return 4; /* NULL, LOOP */
	}
	fail_msg("no header length for DLT %d", dlt);
	return 0;
}

/* RFC 1071 sum written out again, independent of build_checksum(). */
static uint32_t ones_sum(const uint8_t *p, size_t len, uint32_t sum)
{
	for (size_t i = 0; i < len; i++)
		sum += (i % 2 == 0) ? (uint32_t)p[i] << 8 : p[i];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

/* Verify the IPv4 header and TCP checksums of a full frame: each sum over
 * the covered bytes, checksum included, must be 0xffff. */
static void verify_checksums(const uint8_t *frame, size_t len, unsigned l2)
{
	const uint8_t *ip = frame + l2;
	uint8_t pseudo[40];
	size_t plen, ip_hdr, tcp_len;
	uint32_t sum;

	assert_true(len > l2 + 20);
	if ((ip[0] >> 4) == 4) {
		ip_hdr = (size_t)(ip[0] & 0xf) * 4;
		assert_int_equal(ones_sum(ip, ip_hdr, 0), 0xffff);
		tcp_len = ((size_t)ip[2] << 8 | ip[3]) - ip_hdr;
		memcpy(pseudo, ip + 12, 8);
		pseudo[8] = 0;
		pseudo[9] = 6;
		pseudo[10] = (uint8_t)(tcp_len >> 8);
		pseudo[11] = (uint8_t)tcp_len;
		plen = 12;
	} else {
		assert_int_equal(ip[0] >> 4, 6);
		ip_hdr = 40;
		tcp_len = (size_t)ip[4] << 8 | ip[5];
		memcpy(pseudo, ip + 8, 32);
		memset(pseudo + 32, 0, 8);
		pseudo[34] = (uint8_t)(tcp_len >> 8);
		pseudo[35] = (uint8_t)tcp_len;
		pseudo[39] = 6;
		plen = 40;
	}
	assert_int_equal(l2 + ip_hdr + tcp_len, len);
	sum = ones_sum(pseudo, plen, 0);
	sum = ones_sum(ip + ip_hdr, tcp_len, sum);
	assert_int_equal(sum, 0xffff);
}

static void base_segment(struct build_segment *s, enum build_link link, int ipv)
{
	memset(s, 0, sizeof(*s));
	s->link = link;
	s->tuple.ip_version = (uint8_t)ipv;
	memcpy(s->tuple.src, ipv == 4 ? addr_c4 : addr_c6, 16);
	memcpy(s->tuple.dst, ipv == 4 ? addr_s4 : addr_s6, 16);
	s->tuple.sport = 40000;
	s->tuple.dport = 80;
	s->seq = 1001;
	s->ack = 5001;
	s->flags = TCP_ACK | TCP_PSH;
	s->window = 502;
	s->ip_id = 0x1234;
	s->payload_bytes = 100;
}

static void decode_ok(int dlt, const uint8_t *frame, uint32_t caplen,
		      uint32_t wirelen, struct pkt_view *v)
{
	enum decode_kind kind;

	memset(v, 0, sizeof(*v));
	assert_int_equal(decode_packet(dlt, frame, caplen, wirelen, v, &kind),
			 DECODE_TCP);
	assert_int_equal(kind, DK_NONE);
}

/* ---- build_segment ---- */

/* 10.0.0.1.40000 > 10.0.0.2.80: Flags [P.], seq 1001:1101, ack 5001, win 502,
 * options [mss 1460,sackOK,TS val 100 ecr 0,wscale 7,eol], length 100
 * on each link type; decoded back field by field. */
static void test_roundtrip_links_ipv4(void **state)
{
	static const enum build_link links[] = {BUILD_LINK_ETHERNET,
						BUILD_LINK_RAW, BUILD_LINK_SLL,
						BUILD_LINK_NULL};
	uint8_t frame[2048];
	(void)state;

	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		struct build_segment s;
		struct pkt_view v;
		size_t len;
		unsigned l2 = link_hdr_bytes((int)links[i]);

		base_segment(&s, links[i], 4);
		assert_int_equal(build_opt_mss(&s.opts, 1460), 0);
		assert_int_equal(build_opt_sack_permitted(&s.opts), 0);
		assert_int_equal(build_opt_timestamps(&s.opts, 100, 0), 0);
		assert_int_equal(build_opt_wscale(&s.opts, 7), 0);
		assert_int_equal(s.opts.len,
				 19); /* no nop: one byte of padding */
		assert_int_equal(build_segment(&s, frame, sizeof(frame), &len),
				 0);
		/* link + IPv4 20 + TCP 20 + options 19 padded to 20 + payload */
		assert_int_equal(len, l2 + 20 + 40 + 100);
		verify_checksums(frame, len, l2);
		/* options padded with EOL; data offset 10 words */
		assert_int_equal(frame[l2 + 20 + 12] >> 4, 10);
		assert_int_equal(frame[l2 + 20 + 20 + 19], 0);
		/* pattern payload follows the sequence numbers */
		assert_int_equal(frame[l2 + 60], build_pattern_byte(1001));
		assert_int_equal(frame[l2 + 60 + 99], build_pattern_byte(1100));

		decode_ok(build_link_dlt(links[i]), frame, (uint32_t)len,
			  (uint32_t)len, &v);
		assert_int_equal(v.tuple.ip_version, 4);
		assert_memory_equal(v.tuple.src, addr_c4, 16);
		assert_memory_equal(v.tuple.dst, addr_s4, 16);
		assert_int_equal(v.tuple.sport, 40000);
		assert_int_equal(v.tuple.dport, 80);
		assert_int_equal(v.seq, 1001);
		assert_int_equal(v.ack, 5001);
		assert_int_equal(v.flags, TCP_ACK | TCP_PSH);
		assert_int_equal(v.window, 502);
		assert_int_equal(v.payload_bytes, 100);
		assert_int_equal(v.payload_captured, 100);
		assert_false(v.snap_cut);
		assert_true(v.opt.has_mss);
		assert_int_equal(v.opt.mss, 1460);
		assert_true(v.opt.sack_permitted);
		assert_true(v.opt.has_ts);
		assert_int_equal(v.opt.ts_val, 100);
		assert_int_equal(v.opt.ts_ecr, 0);
		assert_true(v.opt.has_wscale);
		assert_int_equal(v.opt.wscale, 7);
		assert_false(v.opt.malformed);
	}
	assert_int_equal(build_link_dlt(BUILD_LINK_ETHERNET), DLT_EN10MB);
	assert_int_equal(build_link_dlt(BUILD_LINK_RAW), DLT_RAW);
	assert_int_equal(build_link_dlt(BUILD_LINK_SLL), DLT_LINUX_SLL);
	assert_int_equal(build_link_dlt(BUILD_LINK_NULL), DLT_NULL);
}

/* The same segment, IPv4 and IPv6, on every link type of the table the
 * builder writes: decoded back through that row, with the IP header where
 * the link header ends. The builder writes every row but NFLOG and IPoIB,
 * and refuses raw IPv4 (IPv6) for a segment of the other version. */
static void test_roundtrip_every_link(void **state)
{
	const struct linktype *lt;
	unsigned written = 0;
	(void)state;

	for (size_t i = 0; (lt = linktype_at(i)) != NULL; i++) {
		if (build_link_dlt((enum build_link)lt->dlt) < 0) {
			assert_true(lt->dlt == 239 || lt->dlt == 242);
			continue;
		}
		assert_int_equal(build_link_dlt((enum build_link)lt->dlt),
				 lt->dlt);
		for (int ipv = 4; ipv <= 6; ipv += 2) {
			uint8_t frame[512];
			struct build_segment s;
			struct pkt_view v;
			size_t len;
			unsigned l2 = link_hdr_bytes(lt->dlt);

			base_segment(&s, (enum build_link)lt->dlt, ipv);
			if ((lt->dlt == 228 && ipv == 6) ||
			    (lt->dlt == 229 && ipv == 4)) {
				assert_int_equal(build_segment(&s, frame,
							       sizeof(frame),
							       &len),
						 -1);
				assert_int_equal(len, 0);
				continue;
			}
			assert_int_equal(build_segment(&s, frame, sizeof(frame),
						       &len),
					 0);
			assert_int_equal(len,
					 l2 + (ipv == 4 ? 20 : 40) + 20 + 100);
			verify_checksums(frame, len, l2);
			decode_ok(lt->dlt, frame, (uint32_t)len, (uint32_t)len,
				  &v);
			assert_int_equal(v.net_offset, l2);
			assert_int_equal(v.tuple.ip_version, ipv);
			assert_int_equal(v.seq, 1001);
			assert_int_equal(v.payload_captured, 100);
			written++;
		}
	}
	/* 8 rows both versions, raw IPv4 and raw IPv6 one each */
	assert_int_equal(written, 18);
	assert_int_equal(build_link_dlt((enum build_link)239), -1);
	assert_int_equal(build_link_dlt((enum build_link)105), -1);
}

/* The headers of the link types only the table brought to the builder:
 * LOOP's family in network order, SLL2's protocol first. */
static void test_link_headers(void **state)
{
	/* AF_INET6 as macOS numbers it (30), big-endian */
	static const uint8_t loop6[4] = {0, 0, 0, 30};
	/* protocol IPv4, reserved, ifindex 1, ARPHRD_ETHER, outgoing, 6-byte
	 * address 02:00:0a:00:00:01, 2 bytes padding */
	static const uint8_t sll2[20] = {0x08, 0x00, 0, 0, 0, 0,    0,
					 1,    0,    1, 4, 6, 0x02, 0x00,
					 10,   0,    0, 1, 0, 0};
	uint8_t frame[512];
	struct build_segment s;
	size_t len;
	(void)state;

	base_segment(&s, (enum build_link)108, 6);
	assert_int_equal(build_segment(&s, frame, sizeof(frame), &len), 0);
	assert_memory_equal(frame, loop6, 4);
	base_segment(&s, (enum build_link)276, 4);
	s.outgoing = true;
	assert_int_equal(build_segment(&s, frame, sizeof(frame), &len), 0);
	assert_memory_equal(frame, sll2, 20);
}

/* 2001:db8::1.40000 > 2001:db8::2.80: Flags [FSRPUEW.] odd flags, length 1 */
static void test_roundtrip_ipv6(void **state)
{
	uint8_t frame[256];
	struct build_segment s;
	struct pkt_view v;
	size_t len;
	(void)state;

	base_segment(&s, BUILD_LINK_ETHERNET, 6);
	s.flags = TCP_FIN | TCP_SYN | TCP_RST | TCP_PSH | TCP_ACK | TCP_URG |
		  TCP_ECE | TCP_CWR;
	s.urg_ptr = 7;
	s.payload_bytes =
		1; /* odd length: the checksum pads with a zero byte */
	s.seq = 0xffffffffu;
	assert_int_equal(build_segment(&s, frame, sizeof(frame), &len), 0);
	assert_int_equal(len, 14 + 40 + 20 + 1);
	assert_int_equal(frame[12] << 8 | frame[13], 0x86dd);
	verify_checksums(frame, len, 14);
	decode_ok(DLT_EN10MB, frame, (uint32_t)len, (uint32_t)len, &v);
	assert_int_equal(v.tuple.ip_version, 6);
	assert_memory_equal(v.tuple.src, addr_c6, 16);
	assert_memory_equal(v.tuple.dst, addr_s6, 16);
	assert_int_equal(v.flags, s.flags);
	assert_int_equal(v.seq, 0xffffffffu);
	assert_int_equal(v.payload_bytes, 1);
	assert_int_equal(v.payload[0], build_pattern_byte(0xffffffffu));
}

/* SACK with 1..4 blocks, each decoded back; timestamps at their extremes. */
static void test_options_roundtrip(void **state)
{
	const struct tcp_sack_block blocks[4] = {
		{0xfffffff0u, 0x10}, {100, 200}, {300, 400}, {500, 600}};
	uint8_t frame[256];
	(void)state;

	for (unsigned n = 1; n <= 4; n++) {
		struct build_segment s;
		struct pkt_view v;
		size_t len;

		base_segment(&s, BUILD_LINK_RAW, 4);
		s.payload_bytes = 0;
		s.flags = TCP_ACK;
		if (n < 4) {
			assert_int_equal(build_opt_nop(&s.opts), 0);
			assert_int_equal(build_opt_nop(&s.opts), 0);
			assert_int_equal(build_opt_timestamps(&s.opts,
							      0xffffffffu, 1),
					 0);
		}
		assert_int_equal(build_opt_sack(&s.opts, blocks, n), 0);
		assert_int_equal(build_segment(&s, frame, sizeof(frame), &len),
				 0);
		verify_checksums(frame, len, 0);
		decode_ok(DLT_RAW, frame, (uint32_t)len, (uint32_t)len, &v);
		assert_int_equal(v.opt.sack_count, n);
		for (unsigned i = 0; i < n; i++) {
			assert_int_equal(v.opt.sack[i].left, blocks[i].left);
			assert_int_equal(v.opt.sack[i].right, blocks[i].right);
		}
		assert_int_equal(v.opt.has_ts, n < 4);
		if (n < 4) {
			assert_int_equal(v.opt.ts_val, 0xffffffffu);
			assert_int_equal(v.opt.ts_ecr, 1);
		}
	}
}

/* The 40-byte option space: fills exactly, refuses one more byte, and a
 * refused append leaves the list unchanged. Bad arguments are refused. */
static void test_options_limits(void **state)
{
	struct build_opts o;
	const struct tcp_sack_block b[5] = {{0, 1}};
	uint8_t raw[41] = {0};
	(void)state;

	memset(&o, 0, sizeof(o));
	for (int i = 0; i < 40; i++)
		assert_int_equal(build_opt_nop(&o), 0);
	assert_int_equal(o.len, 40);
	assert_int_equal(build_opt_nop(&o), -1);
	assert_int_equal(build_opt_eol(&o), -1);
	assert_int_equal(o.len, 40);

	memset(&o, 0, sizeof(o));
	assert_int_equal(build_opt_timestamps(&o, 1, 2), 0);  /* 10 */
	assert_int_equal(build_opt_sack(&o, b, 3), 0);        /* 26 -> 36 */
	assert_int_equal(build_opt_timestamps(&o, 1, 2), -1); /* 46 > 40 */
	assert_int_equal(build_opt_mss(&o, 1460), 0);         /* 40 */
	assert_int_equal(o.len, 40);
	assert_int_equal(build_opt_sack(&o, b, 0), -1);
	memset(&o, 0, sizeof(o));
	assert_int_equal(build_opt_sack(&o, b, 5), -1);
	assert_int_equal(build_opt_raw(&o, raw, 41), -1);
	assert_int_equal(build_opt_raw(&o, raw, 40), 0);
	assert_int_equal(o.len, 0 + 40);
}

/* An option with a length running past the header: the decoder marks it. */
static void test_malformed_option(void **state)
{
	static const uint8_t bad[] = {0x01, 0x1e, 0x09,
				      0x00}; /* nop, kind 30 len 9 */
	uint8_t frame[256];
	struct build_segment s;
	struct pkt_view v;
	enum decode_kind kind;
	size_t len;
	(void)state;

	base_segment(&s, BUILD_LINK_ETHERNET, 4);
	assert_int_equal(build_opt_raw(&s.opts, bad, sizeof(bad)), 0);
	assert_int_equal(build_segment(&s, frame, sizeof(frame), &len), 0);
	verify_checksums(frame, len, 14);
	assert_int_equal(decode_packet(DLT_EN10MB, frame, (uint32_t)len,
				       (uint32_t)len, &v, &kind),
			 DECODE_TCP);
	assert_true(v.opt.malformed);
	assert_int_equal(kind, DK_BAD_TCP_OPTION);
}

/* The builder never writes past the buffer: every size short of the frame
 * fails, on heap buffers of exactly that size (ASan watches the edges). */
static void test_bounds(void **state)
{
	struct build_segment s;
	uint8_t full[512];
	size_t need, len;
	(void)state;

	base_segment(&s, BUILD_LINK_SLL, 6);
	assert_int_equal(build_opt_timestamps(&s.opts, 1, 2), 0);
	assert_int_equal(build_segment(&s, full, sizeof(full), &need), 0);
	for (size_t n = 0; n < need; n++) {
		uint8_t *buf = malloc(n ? n : 1);
		assert_non_null(buf);
		len = 12345;
		assert_int_equal(build_segment(&s, buf, n, &len), -1);
		assert_int_equal(len, 0);
		free(buf);
	}
	{
		uint8_t *buf = malloc(need);
		assert_non_null(buf);
		assert_int_equal(build_segment(&s, buf, need, &len), 0);
		assert_int_equal(len, need);
		assert_memory_equal(buf, full, need);
		free(buf);
	}
	/* The largest IPv6 payload fits; one byte more does not. */
	{
		uint8_t *big = malloc(BUILD_MAX_FRAME);
		assert_non_null(big);
		s.payload_bytes = 65535 - 32;
		assert_int_equal(build_segment(&s, big, BUILD_MAX_FRAME, &len),
				 0);
		assert_int_equal(len, 16 + 40 + 65535);
		verify_checksums(big, len, 16);
		s.payload_bytes++;
		assert_int_equal(build_segment(&s, big, BUILD_MAX_FRAME, &len),
				 -1);
		/* IPv4: total length 65535 at most, header included. */
		s.tuple.ip_version = 4;
		s.payload_bytes = 65535 - 20 - 32;
		assert_int_equal(build_segment(&s, big, BUILD_MAX_FRAME, &len),
				 0);
		verify_checksums(big, len, 16);
		s.payload_bytes++;
		assert_int_equal(build_segment(&s, big, BUILD_MAX_FRAME, &len),
				 -1);
		free(big);
	}
	s.payload_bytes = 0;
	s.tuple.ip_version = 5;
	assert_int_equal(build_segment(&s, full, sizeof(full), &len), -1);
}

/* TSO capture: IPv4 total length 0; the decoder takes the length from the
 * frame. Caller-supplied payload bytes are copied as given. */
static void test_iplen0_and_payload(void **state)
{
	static const uint8_t data[5] = {'h', 'e', 'l', 'l', 'o'};
	uint8_t frame[128];
	struct build_segment s;
	struct pkt_view v;
	size_t len;
	(void)state;

	base_segment(&s, BUILD_LINK_RAW, 4);
	s.payload = data;
	s.payload_bytes = sizeof(data);
	s.ip_len_zero = true;
	assert_int_equal(build_segment(&s, frame, sizeof(frame), &len), 0);
	assert_int_equal(frame[2] << 8 | frame[3], 0);
	assert_int_equal(ones_sum(frame, 20, 0), 0xffff);
	decode_ok(DLT_RAW, frame, (uint32_t)len, (uint32_t)len, &v);
	assert_true(v.ip_len_from_wire);
	assert_int_equal(v.payload_bytes, 5);
	assert_memory_equal(v.payload, data, 5);
}

/* ---- fixture scripts ---- */

#define MAX_PKTS 64

struct collected {
	int n;
	int dlt_seen_at_first; /* *dlt as the first emit() saw it */
	int *dlt;
	uint32_t caplen[MAX_PKTS], wirelen[MAX_PKTS];
	int64_t ts[MAX_PKTS];
	struct pkt_view v[MAX_PKTS];
	uint8_t frames[MAX_PKTS][256];
};

static int collect(void *ctx, const uint8_t *frame, uint32_t caplen,
		   uint32_t wirelen, int64_t ts_ns)
{
	struct collected *c = ctx;
	enum decode_kind kind;

	if (c->n == MAX_PKTS)
		return -1;
	if (c->n == 0)
		c->dlt_seen_at_first = *c->dlt;
	c->caplen[c->n] = caplen;
	c->wirelen[c->n] = wirelen;
	c->ts[c->n] = ts_ns;
	memcpy(c->frames[c->n], frame, caplen < 256 ? caplen : 256);
	if (decode_packet(*c->dlt, frame, caplen, wirelen, &c->v[c->n],
			  &kind) != DECODE_TCP)
		return -1;
	c->n++;
	return 0;
}

static struct collected *run(const char *script)
{
	static int dlt;
	struct collected *c = calloc(1, sizeof(*c));
	char err[256];
	int rc;

	assert_non_null(c);
	dlt = -1;
	c->dlt = &dlt;
	rc = fixture_compile(script, collect, c, &dlt, err, sizeof(err));
	if (rc != 0)
		fail_msg("script failed: %s", err);
	return c;
}

static const char *handshake =
	"client 10.0.0.1:40000\n"
	"server 10.0.0.2:80\n"
	"isn client 1000 server 5000\n"
	"0.000  c > S   0:0(0) win 64240 <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7>\n"
	"0.010  s > S.  0:0(0) ack 1 win 65160 <mss 1400,TS val 200 ecr 100>\n"
	"+0.001 c > .   1:1(0) ack 1 win 502\n"
	"+0.1   c > P.  1:101(100) ack 1\n"
	"+0.01  s > .   ack 101 <sack 1 {201:301}>\n"
	"+0.2   c > F.  ack 1    # seq omitted: next\n"
	"+0.01  s > FP. 1:11(10) ack 102\n"
	"+0.01  c > .\n";

static void test_fixture_numbers(void **state)
{
	struct collected *c = run(handshake);
	const int64_t base = 1700000000LL * 1000000000LL;
	(void)state;

	assert_int_equal(c->dlt_seen_at_first, DLT_EN10MB);
	assert_int_equal(c->n, 8);
	assert_int_equal(c->v[0].flags, TCP_SYN);
	assert_int_equal(c->v[0].seq, 1000);
	assert_int_equal(c->v[0].opt.mss, 1460);
	assert_int_equal(c->v[0].opt.wscale, 7);
	assert_int_equal(c->v[1].flags, TCP_SYN | TCP_ACK);
	assert_int_equal(c->v[1].seq, 5000);
	assert_int_equal(c->v[1].ack, 1001);
	assert_int_equal(c->v[1].opt.mss, 1400);
	assert_false(c->v[1].opt.sack_permitted);
	assert_int_equal(c->v[1].opt.ts_ecr, 100);
	assert_int_equal(c->v[2].seq, 1001);
	assert_int_equal(c->v[2].ack, 5001);
	assert_int_equal(c->v[2].window, 502);
	assert_int_equal(c->v[3].seq, 1001);
	assert_int_equal(c->v[3].payload_bytes, 100);
	assert_int_equal(c->v[3].window, 502); /* sticky */
	assert_int_equal(c->v[4].seq, 5001);   /* omitted: the server's next */
	assert_int_equal(c->v[4].ack, 1101);
	assert_int_equal(c->v[4].window, 65160);
	assert_int_equal(c->v[4].opt.sack_count, 1);
	assert_int_equal(c->v[4].opt.sack[0].left,
			 1201); /* relative to client ISN */
	assert_int_equal(c->v[4].opt.sack[0].right, 1301);
	assert_int_equal(c->v[5].flags, TCP_FIN | TCP_ACK);
	assert_int_equal(c->v[5].seq, 1101);
	assert_int_equal(c->v[6].flags, TCP_FIN | TCP_PSH | TCP_ACK);
	assert_int_equal(c->v[6].ack, 1102);
	assert_int_equal(c->v[7].seq, 1102); /* after the FIN */
	assert_int_equal(c->v[7].ack, 5012); /* omitted: all the server sent */
	/* Times: absolute from the base, + from the previous packet. */
	assert_int_equal(c->ts[0], base);
	assert_int_equal(c->ts[1], base + 10000000);
	assert_int_equal(c->ts[2], base + 11000000);
	assert_int_equal(c->ts[3], base + 111000000);
	assert_int_equal(c->ts[7], base + 341000000);
	for (int i = 0; i < c->n; i++) {
		assert_int_equal(c->caplen[i], c->wirelen[i]);
		verify_checksums(c->frames[i], c->caplen[i], 14);
	}
	free(c);
}

/* ISNs near 2^32: relative numbers wrap; `abs` and `relative off`. */
static void test_fixture_wraparound(void **state)
{
	struct collected *c =
		run("isn client 4294967200 server 4294967295\n"
		    "0 c > S 0:0(0)\n"
		    "0 s > S. 0:0(0) ack 1\n"
		    "0 c > P. 1:201(200) ack 1     # crosses 2^32\n"
		    "0 c > F. 201:201(0) ack 1\n"
		    "0 s > F. 1:1(0) ack 202\n"
		    "0 c > R. abs 104:104(0) ack 4294967295\n"
		    "relative off\n"
		    "0 s > . 7:7(0) ack 9 <sack 1 {1:2}>\n");
	(void)state;

	assert_int_equal(c->n, 7);
	assert_int_equal(c->v[1].seq, 4294967295u);
	assert_int_equal(c->v[1].ack, 4294967201u);
	assert_int_equal(c->v[2].seq, 4294967201u);
	assert_int_equal(c->v[3].seq, 105); /* 4294967200 + 201 - 2^32 */
	assert_int_equal(c->v[3].ack, 0);   /* 4294967295 + 1 */
	assert_int_equal(c->v[4].seq, 0);
	assert_int_equal(c->v[4].ack, 106);
	assert_int_equal(c->v[5].seq, 104);
	assert_int_equal(c->v[5].ack, 4294967295u);
	assert_int_equal(c->v[6].seq, 7);
	assert_int_equal(c->v[6].ack, 9);
	assert_int_equal(c->v[6].opt.sack[0].left, 1);
	free(c);
}

/* options auto: Linux's SYN options, TS clock at 1 kHz, echo of the peer;
 * RST bare; "<>" turns them off; a bare TS in a list uses the clock. */
static void test_fixture_auto_options(void **state)
{
	struct collected *c = run("options auto\n"
				  "0.000 c > S 0:0(0)\n"
				  "0.010 s > S. 0:0(0) ack 1\n"
				  "0.011 c > . ack 1\n"
				  "0.500 c > . ack 1 <>\n"
				  "0.600 s > . ack 1 <nop,nop,TS,sack 1:2>\n"
				  "0.700 c > R. 1:1(0) ack 1\n");
	(void)state;

	assert_int_equal(c->n, 6);
	assert_true(c->v[0].opt.has_mss && c->v[0].opt.sack_permitted &&
		    c->v[0].opt.has_ts && c->v[0].opt.has_wscale);
	assert_int_equal(c->v[0].opt.mss, 1460);
	assert_int_equal(c->v[0].opt.ts_ecr, 0);
	assert_int_equal(c->v[1].opt.ts_ecr, c->v[0].opt.ts_val);
	assert_int_equal(c->v[2].opt.ts_val, c->v[0].opt.ts_val + 11);
	assert_int_equal(c->v[2].opt.ts_ecr, c->v[1].opt.ts_val);
	assert_false(c->v[2].opt.has_mss);
	assert_false(c->v[3].opt.has_ts);
	assert_int_equal(c->v[4].opt.ts_val, c->v[1].opt.ts_val + 590);
	assert_int_equal(c->v[4].opt.sack_count, 1);
	assert_false(c->v[5].opt.has_ts);
	free(c);
}

/* Several flows, IPv6, link types, repeat, mid-stream seq inference. */
static void test_fixture_flows_repeat(void **state)
{
	struct collected *c =
		run("link sll\n"
		    "flow a client [2001:db8::1]:1000 server [2001:db8::2]:22\n"
		    "flow b client 192.0.2.1:2000 server 192.0.2.2:443\n"
		    "0 a s > P. 101:201(100) ack 51\n"
		    "+1 a c > .              # continues from 51\n"
		    "repeat 3 every 10\n"
		    "5 b c > . 0:0(0) ack 0\n"
		    "+0.5 s > . ack 1\n"
		    "end\n"
		    "+1 a c > F.\n");
	const int64_t base = 1700000000LL * 1000000000LL;
	(void)state;

	assert_int_equal(c->dlt_seen_at_first, DLT_LINUX_SLL);
	assert_int_equal(c->n, 9);
	assert_int_equal(c->v[0].tuple.ip_version, 6);
	assert_int_equal(c->v[0].tuple.sport, 22);
	assert_int_equal(c->v[1].seq, 1051);
	assert_int_equal(c->v[1].ack, 5201);
	for (int k = 0; k < 3; k++) {
		assert_int_equal(c->v[2 + 2 * k].tuple.ip_version, 4);
		assert_int_equal(c->v[2 + 2 * k].tuple.dport, 443);
		assert_int_equal(c->ts[2 + 2 * k],
				 base + (5 + 10LL * k) * 1000000000LL);
		assert_int_equal(c->ts[3 + 2 * k],
				 base + (5 + 10LL * k) * 1000000000LL +
					 500000000);
	}
	/* After the repeat, flow b stays selected until "a" names flow a. */
	assert_int_equal(c->v[8].tuple.ip_version, 6);
	assert_int_equal(c->v[8].flags, TCP_FIN | TCP_ACK);
	assert_int_equal(c->v[8].seq, 1051);
	assert_int_equal(c->ts[8], base + 26500000000LL);
	free(c);
}

/* A RST's seq (here echoing a bad ack) does not move the sender's next
 * sequence number; an `isn` line between packets starts over (port reuse). */
static void test_fixture_rst_and_isn(void **state)
{
	struct collected *c = run("0 c > S\n"
				  "0 s > S. ack 5\n"
				  "0 c > R 5:5(0)\n"
				  "1 c > S\n"
				  "1 s > S. ack 1\n"
				  "1 c > .\n"
				  "isn client 77\n"
				  "2 c > S\n"
				  "2 s > S. 0:0(0)\n"
				  "3 c > [SEW] 0:0(0)\n"
				  "3 s > R.UP\n"
				  "3 c > none\n");
	(void)state;

	assert_int_equal(c->n, 11);
	assert_int_equal(c->v[10].flags, 0);
	assert_int_equal(c->v[8].flags, TCP_SYN | TCP_ECE | TCP_CWR);
	assert_int_equal(c->v[9].flags, TCP_RST | TCP_ACK | TCP_URG | TCP_PSH);
	assert_int_equal(c->v[1].ack, 1005);
	assert_int_equal(c->v[2].seq, 1005);
	assert_int_equal(c->v[2].flags, TCP_RST);
	assert_int_equal(c->v[3].seq, 1000);
	assert_int_equal(c->v[5].seq, 1001);
	assert_int_equal(c->v[5].ack, 5001);
	assert_int_equal(c->v[6].seq, 77);
	assert_int_equal(c->v[7].ack, 78);
	free(c);
}

/* snaplen: frames cut, wire length kept, sequence space still right. */
static void test_fixture_snaplen(void **state)
{
	struct collected *c =
		run("link raw\nsnaplen 60\n"
		    "0 c > P. 1:1001(1000) ack 1 <TS val 1 ecr 2>\n"
		    "0 c > . 1001:1001(0) ack 1\n");
	(void)state;

	assert_int_equal(c->n, 2);
	assert_int_equal(c->caplen[0], 60);
	assert_int_equal(c->wirelen[0], 20 + 32 + 1000);
	assert_true(c->v[0].snap_cut);
	assert_int_equal(c->v[0].payload_bytes, 1000);
	assert_int_equal(c->v[0].payload_captured, 60 - 52);
	assert_int_equal(c->caplen[1], 40);
	assert_false(c->v[1].snap_cut);
	free(c);
}

/* `link NAME` takes a row's libpcap name in any case, or its alias. */
static void test_fixture_link_names(void **state)
{
	static const struct {
		const char *name;
		int dlt;
	} names[] = {
		{"ethernet", 1}, {"en10mb", 1},      {"raw", 12},
		{"sll", 113},    {"linux_sll", 113}, {"null", 0},
		{"loopback", 0}, {"sll2", 276},      {"LINUX_SLL2", 276},
		{"loop", 108},   {"ipv4", 228},
	};
	(void)state;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char script[128];
		struct collected *c;

		snprintf(script, sizeof(script),
			 "link %s\n0 c > S 0:0(0)\n0.1 s > S. 0:0(0) ack 1\n",
			 names[i].name);
		c = run(script);
		assert_int_equal(c->dlt_seen_at_first, names[i].dlt);
		assert_int_equal(c->n, 2);
		assert_int_equal(c->v[1].flags, TCP_SYN | TCP_ACK);
		free(c);
	}
}

static void expect_error(const char *script, const char *msg)
{
	char err[256];
	int dlt;

	assert_int_equal(fixture_compile(script, NULL, NULL, &dlt, err,
					 sizeof(err)),
			 -1);
	if (!strstr(err, msg))
		fail_msg("error \"%s\" lacks \"%s\"", err, msg);
}

static void test_fixture_errors(void **state)
{
	(void)state;
	expect_error("link token-ring\n",
		     "line 1: unknown link type 'token-ring'");
	/* in the table, but the builder writes no NFLOG header */
	expect_error("link nflog\n", "line 1: unknown link type 'nflog'");
	expect_error("link ipv4\nclient [2001:db8::1]:1\n0 c > S 0:0(0)\n",
		     "line 3: link IPV4 carries no IPv6");
	expect_error("# c\n\nclient 10.0.0:80\n",
		     "line 3: bad address '10.0.0:80'");
	expect_error("0 c > S 0:0(0)\n0 c > S ack 1\n",
		     "line 2: 'ack' given but the flags have no '.'");
	expect_error("0 c > P. 1:100(100)\n",
		     "line 1: '1:100(100)': END - START is 99, not 100");
	expect_error("0 c > SX 0:0(0)\n", "line 1: unknown flag 'X'");
	expect_error("1 c > S\n0.5 c > S\n",
		     "line 2: time 0.500000000 is before");
	expect_error("0 c > S\nlink raw\n",
		     "line 2: 'link' must come before the first packet");
	expect_error("0 c > S <mss 1460,bogus 3>\n",
		     "line 1: unknown option 'bogus'");
	expect_error("0 c > S <mss 1460\n",
		     "line 1: '<' without a closing '>'");
	expect_error("0 c > . <sack 1:2 3:4 5:6 7:8 9:10>\n",
		     "line 1: sack: more than 4 blocks");
	expect_error(
		"0 c > . <TS val 1 ecr 2,TS val 1 ecr 2,TS val 1 ecr 2,TS val 1 ecr 2,TS val 1 ecr 2>\n",
		"line 1: options take more than 40 bytes");
	expect_error("\n\nrepeat 2 every 1\n0 c > S\n",
		     "line 3: 'repeat' has no 'end'");
	expect_error("end\n", "line 1: 'end' without 'repeat'");
	expect_error("repeat 2 every 1\nrepeat 2 every 1\n",
		     "line 2: repeat inside repeat");
	expect_error("0 c < S\n", "line 1: want '>' after 'c'");
	expect_error("0 x > S\n", "line 1: unknown sender 'x'");
	expect_error("frobnicate\n", "line 1: unknown directive 'frobnicate'");
	expect_error("0 c > P. 1:65537(65536)\n", "more than a segment holds");
	expect_error("isn client 4294967296\n", "line 1: isn: bad number");
	expect_error("0 c > S 0:0(0) win 65536\n",
		     "line 1: win 65536 is out of range");
	expect_error("\n+2999999999 c > S\n",
		     "line 2: time runs past the year 2065");
	expect_error("repeat 100000 every 2999999999\nend\n",
		     "line 1: repeat: 100000 x");
	expect_error("0.1234567891 c > S\n", "line 1: bad time");
	/* Errors inside a repeat name the line, not the iteration. */
	expect_error("repeat 2 every 1\n0 c > S\n0 c > Q\nend\n",
		     "line 3: unknown flag 'Q'");
}

/* Lines before an error are emitted; the callback can stop the compile. */
static int stop_at_two(void *ctx, const uint8_t *frame, uint32_t caplen,
		       uint32_t wirelen, int64_t ts_ns)
{
	int *n = ctx;
	(void)frame, (void)caplen, (void)wirelen, (void)ts_ns;
	return ++*n == 2;
}

static void test_fixture_emit_stop(void **state)
{
	char err[128];
	int n = 0;
	struct fixture_info info;
	(void)state;

	assert_int_equal(
		fixture_compile_info("snaplen 100\n0 c > S\n0 c > S\n0 c > S\n",
				     stop_at_two, &n, &info, err, sizeof(err)),
		-1);
	assert_int_equal(n, 2);
	assert_string_equal(err, "line 3: emit failed");
	assert_int_equal(info.snaplen, 100);
	assert_int_equal(info.dlt, DLT_EN10MB);
}

/* ---- pcap files ---- */

static void temp_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/tcplint-test-build-%ld-%s", P_tmpdir,
		 (long)getpid(), name);
}

/* fixture_write_pcap: nanosecond file, snaplen in the header, caplen < len
 * for cut frames, timestamps exact; read back through libpcap. */
static void test_pcap_write_read(void **state)
{
	char path[512], err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *p;
	(void)state;

	temp_path(path, sizeof(path), "a.pcap");
	assert_int_equal(
		fixture_write_pcap("link null\nsnaplen 80\nbase 1600000000.5\n"
				   "0.000000001 c > P. 1:201(200) ack 1\n"
				   "+2.25 s > . ack 201\n",
				   path, err, sizeof(err)),
		2);
	p = pcap_open_offline_with_tstamp_precision(
		path, PCAP_TSTAMP_PRECISION_NANO, err);
	assert_non_null(p);
	assert_int_equal(pcap_datalink(p), DLT_NULL);
	assert_int_equal(pcap_snapshot(p), 80);
	assert_int_equal(pcap_get_tstamp_precision(p),
			 PCAP_TSTAMP_PRECISION_NANO);
	assert_int_equal(pcap_next_ex(p, &h, &data), 1);
	assert_int_equal(h->caplen, 80);
	assert_int_equal(h->len, 4 + 40 + 200);
	assert_int_equal(h->ts.tv_sec, 1600000000);
	assert_int_equal(h->ts.tv_usec, 500000001);
	assert_int_equal(pcap_next_ex(p, &h, &data), 1);
	assert_int_equal(h->caplen, 44);
	assert_int_equal(h->len, 44);
	assert_int_equal(h->ts.tv_sec, 1600000002);
	assert_int_equal(h->ts.tv_usec, 750000001);
	assert_int_equal(pcap_next_ex(p, &h, &data), PCAP_ERROR_BREAK);
	pcap_close(p);
	unlink(path);

	/* A script error removes the partial file and names the line. */
	assert_int_equal(fixture_write_pcap("0 c > S\n0 c > ?\n", path, err,
					    sizeof(err)),
			 -1);
	assert_string_equal(
		err,
		"line 2: unknown flag '?' in '?' (S F R P U E W . or none)");
	assert_int_equal(access(path, F_OK), -1);

	/* An empty script still gives a valid, empty capture. */
	assert_int_equal(
		fixture_write_pcap("link raw\n", path, err, sizeof(err)), 0);
	p = pcap_open_offline(path, err);
	assert_non_null(p);
	assert_int_equal(pcap_datalink(p), DLT_RAW);
	assert_int_equal(pcap_next_ex(p, &h, &data), PCAP_ERROR_BREAK);
	pcap_close(p);
	unlink(path);

	/* Unwritable path. */
	assert_int_equal(fixture_write_pcap("0 c > S\n",
					    "/nonexistent-dir/x.pcap", err,
					    sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "/nonexistent-dir/x.pcap"));
}

/* pcap_out directly: wirelen below caplen is raised, bad arguments refused. */
static void test_pcap_out(void **state)
{
	char path[512], err[PCAP_ERRBUF_SIZE];
	static const uint8_t bytes[10] = {1, 2, 3};
	struct pcap_out *o;
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *p;
	(void)state;

	temp_path(path, sizeof(path), "b.pcap");
	o = pcap_out_open(path, DLT_RAW, 0, err, sizeof(err));
	assert_non_null(o);
	assert_int_equal(pcap_out_write(o, bytes, 10, 3, 7), 0);
	assert_int_equal(pcap_out_write(o, bytes, 10, 10, -1), -1);
	assert_int_equal(pcap_out_write(NULL, bytes, 10, 10, 1), -1);
	assert_int_equal(pcap_out_close(o), 0);
	assert_int_equal(pcap_out_close(NULL), 0);
	assert_null(pcap_out_open(path, DLT_RAW, 300000, err, sizeof(err)));
	p = pcap_open_offline_with_tstamp_precision(
		path, PCAP_TSTAMP_PRECISION_NANO, err);
	assert_non_null(p);
	assert_int_equal(pcap_snapshot(p), 262144);
	assert_int_equal(pcap_next_ex(p, &h, &data), 1);
	assert_int_equal(h->caplen, 10);
	assert_int_equal(h->len, 10);
	assert_int_equal(h->ts.tv_usec, 7);
	assert_memory_equal(data, bytes, 10);
	pcap_close(p);
	unlink(path);
}

static int read_file(const char *path, uint8_t **buf, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	long n;

	if (!fp)
		return -1;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	*buf = malloc(n > 0 ? (size_t)n : 1);
	*len = n > 0 && fread(*buf, 1, (size_t)n, fp) == (size_t)n ? (size_t)n
								   : 0;
	fclose(fp);
	return 0;
}

/* Every testdata/NAME.fix compiles to exactly the committed NAME.pcap, and
 * every frame in it decodes as TCP with no problem. */
static void test_testdata_up_to_date(void **state)
{
	DIR *d = opendir(TCPLINT_TESTDATA_DIR);
	struct dirent *de;
	int scripts = 0;
	(void)state;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		char fix[1024], committed[1024], fresh[512], err[512];
		size_t nl = strlen(de->d_name), a_len, b_len;
		uint8_t *a, *b;
		pcap_t *p;
		struct pcap_pkthdr *h;
		const u_char *data;
		int got, frames = 0, bad_seen = 0;
		bool bad_expected;

		if (nl <= 4 || strcmp(de->d_name + nl - 4, ".fix"))
			continue;
		scripts++;
		snprintf(fix, sizeof(fix), "%s/%s", TCPLINT_TESTDATA_DIR,
			 de->d_name);
		snprintf(committed, sizeof(committed), "%s/%.*s.pcap",
			 TCPLINT_TESTDATA_DIR, (int)(nl - 4), de->d_name);
		temp_path(fresh, sizeof(fresh), "fresh.pcap");
		got = fixture_file_to_pcap(fix, fresh, err, sizeof(err));
		if (got < 0)
			fail_msg("%s", err);
		assert_int_equal(read_file(fresh, &a, &a_len), 0);
		if (read_file(committed, &b, &b_len) != 0)
			fail_msg(
				"%s has no committed capture: run the fixtures target",
				fix);
		if (a_len != b_len || memcmp(a, b, a_len))
			fail_msg("%s is out of date: run the fixtures target",
				 committed);
		free(a);
		free(b);

		/* bad_options* holds malformed options on purpose. */
		bad_expected = !strncmp(de->d_name, "bad_options", 11);
		p = pcap_open_offline(fresh, err);
		assert_non_null(p);
		while (pcap_next_ex(p, &h, &data) == 1) {
			struct pkt_view v;
			enum decode_kind kind;
			frames++;
			if (decode_packet(pcap_datalink(p), data, h->caplen,
					  h->len, &v, &kind) != DECODE_TCP)
				fail_msg("%s frame %d: %s", committed, frames,
					 decode_kind_name(kind));
			if (bad_expected && kind == DK_BAD_TCP_OPTION)
				bad_seen++;
			else if (kind != DK_NONE)
				fail_msg("%s frame %d: %s", committed, frames,
					 decode_kind_name(kind));
			if (h->caplen == h->len)
				verify_checksums(
					data, h->caplen,
					link_hdr_bytes(pcap_datalink(p)));
		}
		assert_int_equal(frames, got);
		assert_int_equal(bad_seen, bad_expected ? 2 : 0);
		pcap_close(p);
		unlink(fresh);
	}
	closedir(d);
	assert_true(scripts >= 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_links_ipv4),
		cmocka_unit_test(test_roundtrip_every_link),
		cmocka_unit_test(test_link_headers),
		cmocka_unit_test(test_roundtrip_ipv6),
		cmocka_unit_test(test_options_roundtrip),
		cmocka_unit_test(test_options_limits),
		cmocka_unit_test(test_malformed_option),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_iplen0_and_payload),
		cmocka_unit_test(test_fixture_numbers),
		cmocka_unit_test(test_fixture_wraparound),
		cmocka_unit_test(test_fixture_auto_options),
		cmocka_unit_test(test_fixture_flows_repeat),
		cmocka_unit_test(test_fixture_rst_and_isn),
		cmocka_unit_test(test_fixture_snaplen),
		cmocka_unit_test(test_fixture_link_names),
		cmocka_unit_test(test_fixture_errors),
		cmocka_unit_test(test_fixture_emit_stop),
		cmocka_unit_test(test_pcap_write_read),
		cmocka_unit_test(test_pcap_out),
		cmocka_unit_test(test_testdata_up_to_date),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
