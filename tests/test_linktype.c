/*
 * test_linktype.c - the link-type table of formats/wire/linktype.c against
 * libpcap's names and values and against the decoder: the decoder knows
 * exactly the table's link types, and a frame of each row decodes through
 * that row, with its IP header where the row's link header ends. Frames
 * are written here from the formats' descriptions, not from the table, and
 * placed right before a PROT_NONE guard page.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "formats/wire/decode.h"
#include "formats/wire/linktype.h"

/* ---- guard page --------------------------------------------------------- */

struct guard {
	uint8_t *map;
	size_t map_len;
	uint8_t *limit; /* first byte of the PROT_NONE page */
};

static int guard_setup(void **state)
{
	static struct guard g;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	g.map_len = 2 * page;
	g.map = mmap(NULL, g.map_len, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (g.map == MAP_FAILED)
		return -1;
	g.limit = g.map + page;
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

static enum decode_result dec(void **state, int dlt, const uint8_t *f,
			      size_t caplen, size_t wirelen, struct pkt_view *v,
			      enum decode_kind *k)
{
	struct guard *g = *state;

	if (caplen)
		memcpy(g->limit - caplen, f, caplen);
	return decode_packet(dlt, g->limit - caplen, (uint32_t)caplen,
			     (uint32_t)wirelen, v, k);
}

/* ---- the table ---------------------------------------------------------- */

static size_t rows(void)
{
	size_t n = 0;

	while (linktype_at(n))
		n++;
	return n;
}

/* Increasing DLT order, unique names and aliases, every row found by its
 * value and its names. */
static void test_rows(void **state)
{
	size_t n = rows();

	(void)state;
	for (size_t i = 0; i < n; i++) {
		const struct linktype *lt = linktype_at(i);

		assert_non_null(lt->name);
		assert_true(lt->name[0] != '\0');
		assert_ptr_equal(linktype_find(lt->dlt), lt);
		assert_ptr_equal(linktype_by_name(lt->name), lt);
		if (lt->alias)
			assert_ptr_equal(linktype_by_name(lt->alias), lt);
		if (i > 0)
			assert_true(linktype_at(i - 1)->dlt < lt->dlt);
		for (size_t j = 0; j < i; j++) {
			const struct linktype *o = linktype_at(j);

			assert_true(strcasecmp(o->name, lt->name) != 0);
			if (o->alias && lt->alias)
				assert_true(strcasecmp(o->alias, lt->alias) !=
					    0);
		}
	}
	assert_null(linktype_at(n));
	assert_null(linktype_at(SIZE_MAX));
}

/* libpcap names the rows it knows as the table does, and the values agree
 * with its DLT_ macros. */
static void test_libpcap_agrees(void **state)
{
	const struct linktype *lt;
	unsigned named = 0;

	(void)state;
	for (size_t i = 0; (lt = linktype_at(i)) != NULL; i++) {
		const char *name = pcap_datalink_val_to_name(lt->dlt);

		if (!name)
			continue;
		assert_string_equal(name, lt->name);
		assert_int_equal(pcap_datalink_name_to_val(lt->name), lt->dlt);
		named++;
	}
	assert_true(named >= 10); /* all but the two raw-IP aliases */
	assert_int_equal(LINKTYPE_NULL, DLT_NULL);
	assert_int_equal(LINKTYPE_EN10MB, DLT_EN10MB);
#if DLT_RAW == 12
	assert_int_equal(LINKTYPE_RAW, DLT_RAW);
#else
	assert_int_equal(LINKTYPE_RAW_OPENBSD, DLT_RAW);
#endif
	assert_int_equal(LINKTYPE_LOOP, DLT_LOOP);
	assert_int_equal(LINKTYPE_LINUX_SLL, DLT_LINUX_SLL);
#ifdef DLT_IPV4
	assert_int_equal(LINKTYPE_IPV4, DLT_IPV4);
	assert_int_equal(LINKTYPE_IPV6, DLT_IPV6);
#endif
#ifdef DLT_NFLOG
	assert_int_equal(LINKTYPE_NFLOG, DLT_NFLOG);
#endif
#ifdef DLT_IPOIB
	assert_int_equal(LINKTYPE_IPOIB, DLT_IPOIB);
#endif
#ifdef DLT_LINUX_SLL2
	assert_int_equal(LINKTYPE_LINUX_SLL2, DLT_LINUX_SLL2);
#endif
}

static void test_by_name(void **state)
{
	(void)state;
	assert_int_equal(linktype_by_name("en10mb")->dlt, 1);
	assert_int_equal(linktype_by_name("Ethernet")->dlt, 1);
	assert_int_equal(linktype_by_name("LOOPBACK")->dlt, 0);
	assert_int_equal(linktype_by_name("sll")->dlt, 113);
	assert_int_equal(linktype_by_name("linux_sll2")->dlt, 276);
	assert_null(linktype_by_name("token-ring"));
	assert_null(linktype_by_name("ethernet2"));
	assert_null(linktype_by_name("ether"));
	assert_null(linktype_by_name(""));
}

/* The decoder knows every DLT of the table and no other: an empty frame is
 * truncated on a known link type and unsupported on any other. */
static void test_decoder_knows_the_table(void **state)
{
	static const int far[] = {-1, INT_MIN, INT_MAX, 0x300000, 65535};
	struct pkt_view v;
	enum decode_kind k;
	unsigned known = 0;

	for (int dlt = 0; dlt < 1100; dlt++) {
		bool in_table = linktype_find(dlt) != NULL;
		enum decode_result r = dec(state, dlt, NULL, 0, 0, &v, &k);

		assert_int_equal(decode_link_supported(dlt), in_table);
		if (in_table) {
			assert_int_equal(r, DECODE_TRUNCATED);
			assert_true(k == DK_TRUNC_LINK || k == DK_TRUNC_IPV4 ||
				    k == DK_TRUNC_IPV6);
			known++;
		} else {
			assert_int_equal(r, DECODE_UNSUPPORTED);
			assert_int_equal(k, DK_UNSUPPORTED_LINK);
		}
	}
	assert_int_equal(known, rows());
	for (size_t i = 0; i < sizeof(far) / sizeof(far[0]); i++) {
		assert_false(decode_link_supported(far[i]));
		assert_int_equal(dec(state, far[i], NULL, 0, 0, &v, &k),
				 DECODE_UNSUPPORTED);
	}
}

/* ---- a frame of every row ----------------------------------------------- */

/* IP (ttl 64, id 1, flags [DF], proto TCP (6), length 40) 192.0.2.1 >
 * 198.51.100.2 */
static const uint8_t IP4[20] = {
	0x45, 0x00, 0x00, 0x28, 0x00, 0x01, 0x40, 0x00, 0x40, 0x06,
	0x00, 0x00, 0xc0, 0x00, 0x02, 0x01, 0xc6, 0x33, 0x64, 0x02,
};
/* IP6 (hlim 64, next-header TCP (6) payload length: 20) 2001:db8::1 >
 * 2001:db8::2 */
static const uint8_t IP6[40] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x14, 0x06, 0x40, 0x20, 0x01,
	0x0d, 0xb8, 0,    0,    0,    0,    0,    0,    0,    0,
	0,    0,    0,    0x01, 0x20, 0x01, 0x0d, 0xb8, 0,    0,
	0,    0,    0,    0,    0,    0,    0,    0,    0,    0x02,
};
/* .40000 > .80: Flags [S], seq 1000, win 65535, length 0 */
static const uint8_t TCP[20] = {
	0x9c, 0x40, 0x00, 0x50, 0x00, 0x00, 0x03, 0xe8, 0, 0,
	0,    0,    0x50, 0x02, 0xff, 0xff, 0,    0,    0, 0,
};

struct link_frame {
	uint8_t bytes[128];
	size_t hdr; /* the fixed link header */
	size_t net; /* where the IP header starts */
	size_t len;
	int ipver;
};

/* The link header of a DLT carrying an IP packet of version ipver, from
 * the format's own description. */
static void link_header(int dlt, int ipver, struct link_frame *f)
{
	uint8_t *b = f->bytes;
	uint16_t et = ipver == 4 ? 0x0800 : 0x86dd;

	memset(f, 0, sizeof(*f));
	f->ipver = ipver;
	switch (dlt) {
	case 0: /* BSD loopback: AF_INET 2 / AF_INET6 30, little-endian */
		b[0] = ipver == 4 ? 2 : 30;
		f->hdr = f->net = 4;
		break;
	case 108: /* OpenBSD loopback: AF_INET 2 / AF_INET6 24, big-endian */
		b[3] = ipver == 4 ? 2 : 24;
		f->hdr = f->net = 4;
		break;
	case 1: /* Ethernet II: dst 00:00:5e:00:53:01, src ..:02, ethertype */
		memcpy(b,
		       (const uint8_t[]){0, 0, 0x5e, 0, 0x53, 1, 0, 0, 0x5e, 0,
					 0x53, 2},
		       12);
		b[12] = (uint8_t)(et >> 8);
		b[13] = (uint8_t)et;
		f->hdr = f->net = 14;
		break;
	case 12:
	case 14:
	case 101:
	case 228:
	case 229: /* raw IP */
		break;
	case 113: /* SLL: In, ARPHRD_ETHER, 6-byte address, protocol */
		b[3] = 1;
		b[5] = 6;
		b[14] = (uint8_t)(et >> 8);
		b[15] = (uint8_t)et;
		f->hdr = f->net = 16;
		break;
	case 276: /* SLL2: protocol, reserved, ifindex 2, ARPHRD_ETHER, In,
		     6-byte address */
		b[0] = (uint8_t)(et >> 8);
		b[1] = (uint8_t)et;
		b[7] = 2;
		b[9] = 1;
		b[11] = 6;
		f->hdr = f->net = 20;
		break;
	case 239: /* NFLOG: AF_INET (2) / AF_INET6 (10), version 0, resource
		     0; one TLV, length 4 + packet, type 9 (payload), LE */
		b[0] = ipver == 4 ? 2 : 10;
		b[4] = (uint8_t)(4 + (ipver == 4 ? 40 : 60));
		b[6] = 9;
		f->hdr = 4;
		f->net = 8;
		break;
	case 242: /* IPoIB: 40 bytes of addresses, ethertype, reserved */
		b[40] = (uint8_t)(et >> 8);
		b[41] = (uint8_t)et;
		f->hdr = f->net = 44;
		break;
	default:
		fail_msg("no frame written for DLT %d", dlt);
	}
	memcpy(b + f->net, ipver == 4 ? IP4 : IP6, ipver == 4 ? 20 : 40);
	f->len = f->net + (ipver == 4 ? 20 : 40);
	memcpy(b + f->len, TCP, 20);
	f->len += 20;
}

/* One frame, whole and cut at every length: whole it is the segment, with
 * its IP header at f->net; cut inside the row's fixed header it is a
 * truncated link header, cut inside the IP header a truncated IP header,
 * and never more read than was captured. */
static void decode_row(void **state, const struct linktype *lt,
		       const struct link_frame *f)
{
	struct pkt_view v;
	enum decode_kind k;
	size_t iplen = f->ipver == 4 ? 20 : 40;

	assert_int_equal(lt->hdr_bytes, f->hdr);
	assert_int_equal(dec(state, lt->dlt, f->bytes, f->len, f->len, &v, &k),
			 DECODE_TCP);
	assert_int_equal(k, DK_NONE);
	assert_int_equal(v.net_offset, f->net);
	assert_int_equal(v.tuple.ip_version, f->ipver);
	assert_int_equal(v.tuple.sport, 40000);
	assert_int_equal(v.seq, 1000);
	assert_int_equal(v.flags, TCP_SYN);
	for (size_t cap = 0; cap < f->len; cap++) {
		enum decode_kind want =
			cap < f->net           ? DK_TRUNC_LINK
			: cap < f->net + iplen ? (f->ipver == 4 ? DK_TRUNC_IPV4
								: DK_TRUNC_IPV6)
					       : DK_TRUNC_TCP;

		/* raw IP cut before the version nibble: no telling which */
		if (lt->hdr == LINKHDR_IP && cap == f->net)
			want = DK_TRUNC_IPV4;

		assert_int_equal(dec(state, lt->dlt, f->bytes, cap, f->len, &v,
				     &k),
				 DECODE_TRUNCATED);
		if (k != want)
			fail_msg("%s cut at %zu: %s, not %s", lt->name, cap,
				 decode_kind_name(k), decode_kind_name(want));
	}
}

static void test_decode_every_row(void **state)
{
	const struct linktype *lt;
	unsigned frames = 0;

	for (size_t i = 0; (lt = linktype_at(i)) != NULL; i++) {
		for (int ipver = 4; ipver <= 6; ipver += 2) {
			struct link_frame f;

			if ((lt->hdr == LINKHDR_IPV4 && ipver != 4) ||
			    (lt->hdr == LINKHDR_IPV6 && ipver != 6))
				continue;
			link_header(lt->dlt, ipver, &f);
			decode_row(state, lt, &f);
			frames++;
		}
	}
	/* 10 rows with both versions, raw IPv4 and raw IPv6 with one */
	assert_int_equal(frames, 22);
}

#define GT(f) cmocka_unit_test_setup_teardown(f, guard_setup, guard_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_libpcap_agrees),
		cmocka_unit_test(test_by_name),
		GT(test_decoder_knows_the_table),
		GT(test_decode_every_row),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
