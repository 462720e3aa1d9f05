/*
 * test_tuple.c - the 4-tuple of formats/wire/tuple.h: reversing, equality
 * of tuples and of one end of each, the order of a tuple's two ends, and
 * that the bytes past an IPv4 address take no part in any of them; and
 * that the decoder fills the tuple the builder wrote.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "formats/wire/build.h"
#include "formats/wire/decode.h"
#include "formats/wire/tuple.h"

/* 10.0.0.1:40000 > 10.0.0.2:80 */
static struct tuple v4(void)
{
	struct tuple t;

	memset(&t, 0, sizeof(t));
	t.ip_version = 4;
	t.src[0] = 10, t.src[3] = 1;
	t.dst[0] = 10, t.dst[3] = 2;
	t.sport = 40000;
	t.dport = 80;
	return t;
}

/* [2001:db8::2]:50000 > [2001:db8::1]:443 */
static struct tuple v6(void)
{
	struct tuple t;

	memset(&t, 0, sizeof(t));
	t.ip_version = 6;
	t.src[0] = 0x20, t.src[1] = 0x01, t.src[2] = 0x0d, t.src[3] = 0xb8;
	memcpy(t.dst, t.src, 16);
	t.src[15] = 2;
	t.dst[15] = 1;
	t.sport = 50000;
	t.dport = 443;
	return t;
}

static void test_reverse(void **state)
{
	struct tuple t = v6();
	struct tuple r = tuple_reverse(&t);
	struct tuple rr = tuple_reverse(&r);

	(void)state;
	assert_int_equal(r.ip_version, 6);
	assert_memory_equal(r.src, t.dst, 16);
	assert_memory_equal(r.dst, t.src, 16);
	assert_int_equal(r.sport, 443);
	assert_int_equal(r.dport, 50000);
	assert_false(tuple_equal(&t, &r));
	assert_true(tuple_equal(&t, &rr));
}

static void test_sides(void **state)
{
	struct tuple t = v4();

	(void)state;
	assert_ptr_equal(tuple_addr(&t, TUPLE_SRC), t.src);
	assert_ptr_equal(tuple_addr(&t, TUPLE_DST), t.dst);
	assert_int_equal(tuple_port(&t, TUPLE_SRC), 40000);
	assert_int_equal(tuple_port(&t, TUPLE_DST), 80);
	assert_int_equal(tuple_addr_len(&t), 4);
	t = v6();
	assert_int_equal(tuple_addr_len(&t), 16);
}

static void test_equal(void **state)
{
	struct tuple a = v4(), b = v4();

	(void)state;
	assert_true(tuple_equal(&a, &b));
	b.dport = 81;
	assert_false(tuple_equal(&a, &b));
	b = v4();
	b.src[3] = 9;
	assert_false(tuple_equal(&a, &b));
	/* the same bytes under another version are another endpoint */
	b = v4();
	b.ip_version = 6;
	assert_false(tuple_equal(&a, &b));
	/* bytes past an IPv4 address are not part of it */
	b = v4();
	b.src[4] = 0xff;
	b.dst[15] = 0xff;
	assert_true(tuple_equal(&a, &b));
	/* but they are of an IPv6 one */
	a = v6();
	b = v6();
	b.dst[14] = 1;
	assert_false(tuple_equal(&a, &b));
}

static void test_end_equal(void **state)
{
	struct tuple a = v4();
	struct tuple r = tuple_reverse(&a);

	(void)state;
	assert_true(tuple_end_equal(&a, TUPLE_SRC, &r, TUPLE_DST));
	assert_true(tuple_end_equal(&a, TUPLE_DST, &r, TUPLE_SRC));
	assert_false(tuple_end_equal(&a, TUPLE_SRC, &r, TUPLE_SRC));
	/* same address, other port */
	r.dport = 40001;
	assert_false(tuple_end_equal(&a, TUPLE_SRC, &r, TUPLE_DST));
}

static void test_end_cmp(void **state)
{
	struct tuple t = v4();
	struct tuple r = tuple_reverse(&t);

	(void)state;
	assert_true(tuple_end_cmp(&t) < 0); /* 10.0.0.1 < 10.0.0.2 */
	assert_true(tuple_end_cmp(&r) > 0);
	/* same address: the port decides */
	memcpy(t.dst, t.src, 16);
	assert_true(tuple_end_cmp(&t) > 0); /* 40000 > 80 */
	t.dport = 40000;
	assert_int_equal(tuple_end_cmp(&t), 0);
	/* the address decides before the port, byte by byte from the first */
	t = v6();
	assert_true(tuple_end_cmp(&t) > 0); /* ::2 > ::1 though 50000 > 443 */
	t.src[0] = 0x1f;
	assert_true(tuple_end_cmp(&t) < 0);
	/* bytes past an IPv4 address do not order it */
	t = v4();
	t.src[4] = 0xff;
	assert_true(tuple_end_cmp(&t) < 0);
}

/* What the builder writes is the tuple the decoder reads, for both
 * versions, with the IPv4 tail zero. */
static void test_build_decode_round_trip(void **state)
{
	(void)state;
	for (int i = 0; i < 2; i++) {
		struct build_segment seg;
		struct pkt_view v;
		enum decode_kind kind;
		uint8_t frame[256];
		size_t len;

		memset(&seg, 0, sizeof(seg));
		seg.link = BUILD_LINK_ETHERNET;
		seg.tuple = i ? v6() : v4();
		seg.flags = TCP_SYN;
		assert_int_equal(
			build_segment(&seg, frame, sizeof(frame), &len), 0);
		memset(&v, 0xa5, sizeof(v));
		assert_int_equal(decode_packet(BUILD_LINK_ETHERNET, frame,
					       (uint32_t)len, (uint32_t)len, &v,
					       &kind),
				 DECODE_TCP);
		assert_true(tuple_equal(&v.tuple, &seg.tuple));
		/* all 16 bytes, so an IPv4 tail is zero */
		assert_memory_equal(v.tuple.src, seg.tuple.src, 16);
		assert_memory_equal(v.tuple.dst, seg.tuple.dst, 16);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reverse),
		cmocka_unit_test(test_sides),
		cmocka_unit_test(test_equal),
		cmocka_unit_test(test_end_equal),
		cmocka_unit_test(test_end_cmp),
		cmocka_unit_test(test_build_decode_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
