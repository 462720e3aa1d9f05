/*
 * test_flow_match.c - the one matcher of segments to connections
 * (analyzer/flow_match.h): who is the client of a connection first seen
 * with a segment, which endpoint sent a segment (the same answer as
 * comparing tuples, over every combination of a small domain), that an
 * IPv4 and an IPv6 connection with the same address bytes stay apart, and
 * that the analyzer's own per-segment sender is the matcher's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "analyzer/analyzer.h"
#include "analyzer/flow_match.h"
#include "formats/wire/decode.h"

static struct tuple mk(uint8_t ver, uint8_t a, uint16_t ap, uint8_t b,
		       uint16_t bp)
{
	struct tuple t;

	memset(&t, 0, sizeof(t));
	t.ip_version = ver;
	t.src[0] = 10, t.src[3] = a;
	t.dst[0] = 10, t.dst[3] = b;
	t.sport = ap;
	t.dport = bp;
	return t;
}

static void test_first_rules(void **state)
{
	struct tuple t = mk(4, 1, 40000, 2, 80);
	struct tuple r = tuple_reverse(&t);
	enum flow_client_rule rule;

	(void)state;
	/* a SYN without ACK: its sender, whatever the ports */
	assert_int_equal(flow_match_first(&r, TCP_SYN, &rule), ROLE_CLIENT);
	assert_int_equal(rule, FLOW_CLIENT_BY_SYN);
	assert_int_equal(flow_match_first(&t, TCP_SYN | TCP_ECE | TCP_CWR,
					  &rule),
			 ROLE_CLIENT);
	assert_int_equal(rule, FLOW_CLIENT_BY_SYN);
	/* a SYN-ACK: its receiver */
	assert_int_equal(flow_match_first(&t, TCP_SYN | TCP_ACK, &rule),
			 ROLE_SERVER);
	assert_int_equal(rule, FLOW_CLIENT_BY_SYNACK);
	/* anything else, a SYN with RST included: the higher port */
	assert_int_equal(flow_match_first(&t, TCP_ACK, &rule), ROLE_CLIENT);
	assert_int_equal(rule, FLOW_CLIENT_BY_PORT);
	assert_int_equal(flow_match_first(&r, TCP_ACK | TCP_PSH, &rule),
			 ROLE_SERVER);
	assert_int_equal(flow_match_first(&r, TCP_SYN | TCP_RST, &rule),
			 ROLE_SERVER);
	assert_int_equal(rule, FLOW_CLIENT_BY_PORT);
	/* equal ports: the higher address */
	t = mk(4, 1, 5000, 2, 5000);
	r = tuple_reverse(&t);
	assert_int_equal(flow_match_first(&t, TCP_FIN | TCP_ACK, &rule),
			 ROLE_SERVER);
	assert_int_equal(flow_match_first(&r, TCP_FIN | TCP_ACK, &rule),
			 ROLE_CLIENT);
	/* and a segment to itself is its sender's */
	t = mk(4, 1, 5000, 1, 5000);
	assert_int_equal(flow_match_first(&t, TCP_ACK, &rule), ROLE_CLIENT);
}

static void test_orient(void **state)
{
	struct tuple t = mk(6, 1, 40000, 2, 80);
	struct tuple r = tuple_reverse(&t);
	struct tuple o;

	(void)state;
	o = flow_match_orient(&t, ROLE_CLIENT);
	assert_true(tuple_equal(&o, &t));
	o = flow_match_orient(&r, ROLE_SERVER);
	assert_true(tuple_equal(&o, &t));
}

static void test_sender(void **state)
{
	struct tuple conn = mk(4, 2, 40000, 1, 80); /* the client is higher */
	struct tuple seg = conn;
	struct flow_match m;

	(void)state;
	flow_match_init(&m, &conn);
	assert_int_equal(flow_match_sender(&m, &seg), ROLE_CLIENT);
	seg = tuple_reverse(&conn);
	assert_int_equal(flow_match_sender(&m, &seg), ROLE_SERVER);
	/* bytes past an IPv4 address are not part of it */
	seg.src[7] = 0xee;
	seg.dst[15] = 0xee;
	assert_int_equal(flow_match_sender(&m, &seg), ROLE_SERVER);
	/* another port, another address, another version */
	seg = conn;
	seg.dport = 81;
	assert_int_equal(flow_match_sender(&m, &seg), -1);
	seg = conn;
	seg.src[3] = 3;
	assert_int_equal(flow_match_sender(&m, &seg), -1);
	seg = conn;
	seg.ip_version = 6; /* 0a00:0002:: and 0a00:0001::, the same bytes */
	assert_int_equal(flow_match_sender(&m, &seg), -1);
	/* the client the lower end of the key */
	conn = mk(6, 1, 40000, 2, 80);
	flow_match_init(&m, &conn);
	assert_true(m.client_low);
	assert_int_equal(flow_match_sender(&m, &conn), ROLE_CLIENT);
	seg = tuple_reverse(&conn);
	assert_int_equal(flow_match_sender(&m, &seg), ROLE_SERVER);
	/* a connection to itself: every segment is the client's */
	conn = mk(4, 1, 7, 1, 7);
	flow_match_init(&m, &conn);
	assert_int_equal(flow_match_sender(&m, &conn), ROLE_CLIENT);
}

/* Over every connection and segment of a small domain (2 versions, 2
 * addresses, 2 ports a side), the matcher answers as comparing the tuples
 * with the connection's and its reverse would. */
static void test_sender_is_tuple_comparison(void **state)
{
	static const uint16_t ports[] = {80, 40000};
	struct tuple all[32];
	int n = 0, checked = 0;

	(void)state;
	for (int v = 0; v < 2; v++)
		for (int i = 0; i < 16; i++)
			all[n++] = mk(v ? 6 : 4, (uint8_t)(1 + (i & 1)),
				      ports[(i >> 1) & 1],
				      (uint8_t)(1 + ((i >> 2) & 1)),
				      ports[(i >> 3) & 1]);
	for (int c = 0; c < n; c++) {
		struct tuple rev = tuple_reverse(&all[c]);
		struct flow_match m;

		if (tuple_equal(&all[c], &rev))
			continue; /* to itself: both directions are one */
		flow_match_init(&m, &all[c]);
		for (int s = 0; s < n; s++) {
			int want = tuple_equal(&all[s], &all[c]) ? ROLE_CLIENT
				   : tuple_equal(&all[s], &rev)  ? ROLE_SERVER
								 : -1;

			assert_int_equal(flow_match_sender(&m, &all[s]), want);
			checked++;
		}
	}
	assert_int_equal(checked, 24 * 32); /* 8 of the 32 go to themselves */
}

/* The analyzer's sender of each segment (its key bits) is the matcher's,
 * for connections that start with a SYN, a SYN-ACK or mid-stream, and an
 * IPv6 one with the same address bytes as an IPv4 one. */
struct agree {
	struct tuple seg; /* the segment being fed */
	unsigned events;
	unsigned mismatches;
};

static void agree_segment(void *ctx, const struct flow_record *rec,
			  const struct segment_event *ev)
{
	struct agree *a = ctx;
	struct flow_match m;

	flow_match_init(&m, &rec->tuple);
	a->events++;
	if (flow_match_sender(&m, &a->seg) != (int)ev->from)
		a->mismatches++;
}

static void test_analyzer_agrees(void **state)
{
	struct {
		struct tuple t;
		uint16_t flags;
	} feed[] = {
		{mk(4, 1, 40000, 2, 80), TCP_SYN},
		{mk(4, 2, 80, 1, 40000), TCP_SYN | TCP_ACK},
		{mk(4, 1, 40000, 2, 80), TCP_ACK},
		/* flow 1 starts with a SYN-ACK */
		{mk(4, 4, 443, 3, 50000), TCP_SYN | TCP_ACK},
		/* flow 2: flow 0's address bytes, as IPv6 */
		{mk(6, 1, 40000, 2, 80), TCP_ACK},
		{mk(4, 3, 50000, 4, 443), TCP_ACK},
		{mk(6, 2, 80, 1, 40000), TCP_ACK | TCP_PSH},
		{mk(4, 2, 80, 1, 40000), TCP_FIN | TCP_ACK},
		/* flow 3: the client by its port */
		{mk(4, 5, 22, 6, 60000), TCP_ACK},
		{mk(4, 6, 60000, 5, 22), TCP_ACK},
	};
	unsigned total = 0;

	(void)state;
	for (uint64_t id = 0; id < 4; id++) {
		struct agree a;
		struct analyzer_config cfg;
		struct analyzer_sink sink = {.segment = agree_segment,
					     .ctx = &a};
		char err[128];
		struct analyzer *az;

		memset(&a, 0, sizeof(a));
		analyzer_config_defaults(&cfg);
		az = analyzer_new(&cfg, &sink, err, sizeof(err));
		assert_non_null(az);
		analyzer_watch_flow(az, id);
		analyzer_begin_input(az, 0);
		for (size_t i = 0; i < sizeof(feed) / sizeof(feed[0]); i++) {
			struct pkt_view v;

			memset(&v, 0, sizeof(v));
			v.tuple = feed[i].t;
			v.flags = feed[i].flags;
			v.seq = 1000 + (uint32_t)i;
			v.ack = (feed[i].flags & TCP_ACK) ? 5000 : 0;
			v.window = 1000;
			a.seg = v.tuple;
			analyzer_packet(az, &v, i + 1, (int64_t)(i + 1) * 1000);
		}
		analyzer_finish(az);
		analyzer_free(az);
		assert_true(a.events >= 2);
		assert_int_equal(a.mismatches, 0);
		total += a.events;
	}
	assert_int_equal(total, sizeof(feed) / sizeof(feed[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_rules),
		cmocka_unit_test(test_orient),
		cmocka_unit_test(test_sender),
		cmocka_unit_test(test_sender_is_tuple_comparison),
		cmocka_unit_test(test_analyzer_agrees),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
