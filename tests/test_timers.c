/*
 * test_timers.c - the back-off estimator (analyzer/timers.h): the 1.6 and
 * 2.6 bounds exactly, intervals up to INT64_MAX without overflow or
 * rounding, the majority over a series (a tail-loss probe first), and the
 * analyzer's rto_doubles through it for SYN and data retransmissions,
 * including a data segment retransmitted again 2 * 10^9 s later
 * (testdata/data_rtx_decades.pcap; the sanitizer build aborted on it).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "analyzer/analyzer.h"
#include "analyzer/timers.h"
#include "formats/wire/capture.h"
#include "formats/wire/decode.h"
#include "formats/wire/fixture.h"

#define MS (NS_PER_SEC / 1000)

static void test_step_bounds(void **state)
{
	(void)state;
	/* 1.6 and 2.6 are in, a nanosecond outside is not */
	assert_int_equal(timers_backoff_step(10, 16), TIMERS_STEP_DOUBLED);
	assert_int_equal(timers_backoff_step(10, 15), TIMERS_STEP_FLAT);
	assert_int_equal(timers_backoff_step(10, 26), TIMERS_STEP_DOUBLED);
	assert_int_equal(timers_backoff_step(10, 27), TIMERS_STEP_FLAT);
	assert_int_equal(timers_backoff_step(5, 8), TIMERS_STEP_DOUBLED);
	assert_int_equal(timers_backoff_step(5, 13), TIMERS_STEP_DOUBLED);
	assert_int_equal(timers_backoff_step(5, 14), TIMERS_STEP_FLAT);
	assert_int_equal(timers_backoff_step(200 * MS, 400 * MS),
			 TIMERS_STEP_DOUBLED);
	assert_int_equal(timers_backoff_step(200 * MS, 300 * MS),
			 TIMERS_STEP_FLAT); /* 1.5x is not a doubling */
	assert_int_equal(timers_backoff_step(207 * MS, 208 * MS),
			 TIMERS_STEP_FLAT);
	assert_int_equal(timers_backoff_step(400 * MS, 200 * MS),
			 TIMERS_STEP_FLAT); /* shrinking */
}

static void test_step_not_comparable(void **state)
{
	(void)state;
	assert_int_equal(timers_backoff_step(0, 100), TIMERS_STEP_NONE);
	assert_int_equal(timers_backoff_step(100, 0), TIMERS_STEP_NONE);
	assert_int_equal(timers_backoff_step(-100, -200), TIMERS_STEP_NONE);
	assert_int_equal(timers_backoff_step(INT64_MIN, INT64_MIN),
			 TIMERS_STEP_NONE);
}

/* Intervals from hostile timestamps: no int64 product, no double. */
static void test_step_extremes(void **state)
{
	(void)state;
	/* INT64_MAX = 2k + 1: just over twice k */
	assert_int_equal(timers_backoff_step(INT64_MAX / 2, INT64_MAX),
			 TIMERS_STEP_DOUBLED);
	assert_int_equal(timers_backoff_step(1, INT64_MAX), TIMERS_STEP_FLAT);
	assert_int_equal(timers_backoff_step(INT64_MAX, 1), TIMERS_STEP_FLAT);
	assert_int_equal(timers_backoff_step(INT64_MAX, INT64_MAX),
			 TIMERS_STEP_FLAT);
	/* the data retransmission of data_rtx_decades.pcap: 1 s, then
	 * 2 * 10^9 s (ten times that is past INT64_MAX) */
	assert_int_equal(timers_backoff_step(NS_PER_SEC,
					     2000000000 * NS_PER_SEC),
			 TIMERS_STEP_FLAT);
	assert_int_equal(timers_backoff_step(1000000000 * NS_PER_SEC,
					     2000000000 * NS_PER_SEC),
			 TIMERS_STEP_DOUBLED);
	/* exact at the bounds where a double ratio rounds: 1.6 - 2e-18 and
	 * 2.6 + 2e-18 both round to the doubles 1.6 and 2.6 */
	assert_int_equal(timers_backoff_step(500000000000000000LL,
					     800000000000000000LL),
			 TIMERS_STEP_DOUBLED);
	assert_int_equal(timers_backoff_step(500000000000000000LL,
					     799999999999999999LL),
			 TIMERS_STEP_FLAT);
	assert_int_equal(timers_backoff_step(500000000000000000LL,
					     1300000000000000000LL),
			 TIMERS_STEP_DOUBLED);
	assert_int_equal(timers_backoff_step(500000000000000000LL,
					     1300000000000000001LL),
			 TIMERS_STEP_FLAT);
}

static void test_add_counts_and_saturates(void **state)
{
	struct timers_backoff b = {0};

	(void)state;
	assert_false(timers_backoff_exponential(&b));
	assert_int_equal(timers_backoff_add(&b, 0, 100), TIMERS_STEP_NONE);
	assert_int_equal(b.doubled + b.flat, 0);
	assert_int_equal(timers_backoff_add(&b, 100, 200), TIMERS_STEP_DOUBLED);
	assert_true(timers_backoff_exponential(&b));
	assert_int_equal(timers_backoff_add(&b, 200, 200), TIMERS_STEP_FLAT);
	assert_false(timers_backoff_exponential(&b)); /* a tie is not more */
	assert_int_equal(b.doubled, 1);
	assert_int_equal(b.flat, 1);
	for (int i = 0; i < 70000; i++)
		timers_backoff_add(&b, 100, 200);
	assert_int_equal(b.doubled, UINT16_MAX);
	assert_int_equal(b.flat, 1);
	assert_true(timers_backoff_exponential(&b));
}

static void test_series(void **state)
{
	/* Linux FIN on loopback: a tail-loss probe, then doubling */
	static const int64_t tlp[] = {0, 207 * MS, 415 * MS, 839 * MS,
				      1671 * MS};
	static const int64_t linux_lastack[] = {0, 205 * MS, 635 * MS,
						1465 * MS, 3115 * MS};
	static const int64_t constant[] = {0, 300 * MS, 600 * MS, 900 * MS};
	static const int64_t by_half[] = {0, 200 * MS, 500 * MS, 950 * MS};
	static const int64_t backwards[] = {1000, 500, 2000};
	static const int64_t hostile[] = {INT64_MIN, 0, INT64_MAX};
	struct timers_backoff b;

	(void)state;
	assert_true(timers_backoff_series(tlp, 5, &b));
	assert_int_equal(b.doubled, 2);
	assert_int_equal(b.flat, 1);
	assert_true(timers_backoff_series(linux_lastack, 5, &b));
	assert_int_equal(b.doubled, 3);
	assert_int_equal(b.flat, 0);
	assert_false(timers_backoff_series(constant, 4, &b));
	assert_int_equal(b.flat, 2);
	assert_false(timers_backoff_series(by_half, 4, &b));
	assert_int_equal(b.flat, 2);
	/* time going backwards compares nothing */
	assert_false(timers_backoff_series(backwards, 3, &b));
	assert_int_equal(b.doubled + b.flat, 0);
	/* differences saturate at INT64_MAX: two equal intervals */
	assert_false(timers_backoff_series(hostile, 3, &b));
	assert_int_equal(b.flat, 1);
	/* fewer than three times: nothing to compare, and *b is reset */
	b.doubled = 9;
	assert_false(timers_backoff_series(tlp, 2, &b));
	assert_int_equal(b.doubled + b.flat, 0);
	assert_false(timers_backoff_series(NULL, 0, &b));
}

/* --- through the analyzer --------------------------------------------- */

struct run {
	struct analyzer *az;
	int dlt;
	uint64_t frame;
	int nflows;
	struct flow_record flow; /* the first one finished */
};

static void on_flow_done(void *ctx, const struct flow_record *f)
{
	struct run *r = ctx;

	if (r->nflows++ == 0)
		r->flow = *f;
}

static void run_begin(struct run *r)
{
	struct analyzer_config cfg;
	struct analyzer_sink sink = {on_flow_done, NULL, NULL, r};
	char err[256];

	memset(r, 0, sizeof(*r));
	analyzer_config_defaults(&cfg);
	cfg.max_flows = 8;
	r->az = analyzer_new(&cfg, &sink, err, sizeof(err));
	assert_non_null(r->az);
	analyzer_begin_input(r->az, 0);
}

static void run_end(struct run *r)
{
	analyzer_finish(r->az);
	analyzer_free(r->az);
	assert_int_equal(r->nflows, 1);
}

static int emit(void *ctx, const uint8_t *frame, uint32_t caplen,
		uint32_t wirelen, int64_t ts_ns)
{
	struct run *r = ctx;
	struct pkt_view v;
	enum decode_kind kind;

	r->frame++;
	if (decode_packet(r->dlt, frame, caplen, wirelen, &v, &kind) ==
	    DECODE_TCP)
		analyzer_packet(r->az, &v, r->frame, ts_ns);
	return 0;
}

static void run_script(struct run *r, const char *script)
{
	char err[256];

	run_begin(r);
	if (fixture_compile(script, emit, r, &r->dlt, err, sizeof(err)) != 0)
		fail_msg("fixture: %s", err);
	run_end(r);
}

/* A committed capture of testdata/, read as `tcplint analyze` reads it. */
static void run_file(struct run *r, const char *name)
{
	char path[1024], err[512];
	struct capture_packet p;
	struct capture *c;
	int st;

	snprintf(path, sizeof(path), "%s/%s", TCPLINT_TESTDATA_DIR, name);
	c = capture_open_file(path, err, sizeof(err));
	if (!c)
		fail_msg("%s", err);
	run_begin(r);
	r->dlt = capture_dlt(c);
	while ((st = capture_next(c, &p, err, sizeof(err))) == CAPTURE_PACKET) {
		struct pkt_view v;
		enum decode_kind kind;

		if (decode_packet(r->dlt, p.data, p.caplen, p.wirelen, &v,
				  &kind) == DECODE_TCP)
			analyzer_packet(r->az, &v, p.frame, p.ts_ns);
	}
	assert_int_equal(st, CAPTURE_EOF);
	capture_close(c);
	run_end(r);
}

#define HANDSHAKE                                                              \
	"client 10.0.0.1:40000\nserver 10.0.0.2:80\n"                          \
	"isn client 1000 server 5000\n"                                        \
	"0.000 c > S 0:0(0)\n"                                                 \
	"+0.001 s > S. 0:0(0) ack 1\n"                                         \
	"+0.0001 c > . ack 1\n"

/* One data segment timed out three times, 0.2, 0.4, 0.8 s: doubling. */
static void test_analyzer_data_doubles(void **state)
{
	struct run r;
	const struct endpoint_timers *tm;

	(void)state;
	run_script(&r, HANDSHAKE "+0.1 c > P. 1:101(100) ack 1\n"
				 "+0.2 c > P. 1:101(100) ack 1\n"
				 "+0.4 c > P. 1:101(100) ack 1\n"
				 "+0.8 c > P. 1:101(100) ack 1\n"
				 "+0.001 s > . ack 101\n");
	tm = &r.flow.ep[ROLE_CLIENT].timers;
	assert_int_equal(tm->data_retries_max, 3);
	assert_int_equal(tm->data_rto_first_ns, 200 * MS);
	assert_true(tm->rto_doubles);
}

/* The same at a constant 0.3 s: no doubling. */
static void test_analyzer_data_constant(void **state)
{
	struct run r;
	const struct endpoint_timers *tm;

	(void)state;
	run_script(&r, HANDSHAKE "+0.1 c > P. 1:101(100) ack 1\n"
				 "+0.3 c > P. 1:101(100) ack 1\n"
				 "+0.3 c > P. 1:101(100) ack 1\n"
				 "+0.3 c > P. 1:101(100) ack 1\n"
				 "+0.001 s > . ack 101\n");
	tm = &r.flow.ep[ROLE_CLIENT].timers;
	assert_int_equal(tm->data_retries_max, 3);
	assert_false(tm->rto_doubles);
}

/* SYN retransmitted 1, 2, 4, 8, 16, 32 s apart (testdata). */
static void test_analyzer_syn_doubles(void **state)
{
	struct run r;
	const struct endpoint_timers *tm;

	(void)state;
	run_file(&r, "syn_unanswered.pcap");
	tm = &r.flow.ep[ROLE_CLIENT].timers;
	assert_int_equal(tm->syn_retries, 6);
	assert_true(tm->rto_doubles);
}

/* Regression: a data segment retransmitted after 1 s and then 2 * 10^9 s
 * later. The old test `gap * 10 >= prev * 16` overflowed int64 (UBSan
 * aborted the sanitizer build here); the two intervals are simply not a
 * doubling. */
static void test_analyzer_data_rtx_decades(void **state)
{
	struct run r;
	const struct endpoint_timers *tm;

	(void)state;
	run_file(&r, "data_rtx_decades.pcap");
	tm = &r.flow.ep[ROLE_CLIENT].timers;
	assert_int_equal(tm->data_retries_max, 2);
	assert_int_equal(tm->data_rto_first_ns, NS_PER_SEC);
	assert_false(tm->rto_doubles);
	assert_int_equal(r.flow.anomaly_counts[ANOM_RETRANSMISSION], 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_step_bounds),
		cmocka_unit_test(test_step_not_comparable),
		cmocka_unit_test(test_step_extremes),
		cmocka_unit_test(test_add_counts_and_saturates),
		cmocka_unit_test(test_series),
		cmocka_unit_test(test_analyzer_data_doubles),
		cmocka_unit_test(test_analyzer_data_constant),
		cmocka_unit_test(test_analyzer_syn_doubles),
		cmocka_unit_test(test_analyzer_data_rtx_decades),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
