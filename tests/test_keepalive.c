/*
 * test_keepalive.c - the answer to a keepalive probe (analyzer/keepalive.h)
 * and the analyzer's keepalive counts through it: every flag combination,
 * probes answered by an ACK, by data or by a FIN, killed by a RST, and the
 * committed keepalive captures of testdata/. The probe's side (its verdict
 * against the analysis of its own trace) is in test_probe.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "analyzer/analyzer.h"
#include "analyzer/ingest.h"
#include "analyzer/keepalive.h"
#include "formats/wire/capture.h"
#include "formats/wire/decode.h"
#include "formats/wire/fixture.h"

static void test_reply_table(void **state)
{
	(void)state;
	/* nothing pending: whatever comes answers nothing */
	assert_int_equal(keepalive_reply(false, TCP_ACK), KA_REPLY_NONE);
	assert_int_equal(keepalive_reply(false, TCP_RST), KA_REPLY_NONE);
	assert_int_equal(keepalive_reply(false, 0), KA_REPLY_NONE);
	/* pending: anything but a RST shows the peer alive */
	assert_int_equal(keepalive_reply(true, TCP_ACK), KA_REPLY_ANSWER);
	assert_int_equal(keepalive_reply(true, TCP_ACK | TCP_PSH),
			 KA_REPLY_ANSWER);
	assert_int_equal(keepalive_reply(true, TCP_ACK | TCP_FIN),
			 KA_REPLY_ANSWER);
	assert_int_equal(keepalive_reply(true, TCP_ACK | TCP_ECE | TCP_CWR),
			 KA_REPLY_ANSWER);
	assert_int_equal(keepalive_reply(true, 0), KA_REPLY_ANSWER);
	assert_int_equal(keepalive_reply(true, TCP_RST), KA_REPLY_RESET);
	assert_int_equal(keepalive_reply(true, TCP_RST | TCP_ACK),
			 KA_REPLY_RESET);
	assert_int_equal(keepalive_reply(true, 0x1ff), KA_REPLY_RESET);
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

static struct analyzer *new_analyzer(struct run *r)
{
	struct analyzer_config cfg;
	struct analyzer_sink sink = {on_flow_done, NULL, NULL, r};
	char err[256];

	memset(r, 0, sizeof(*r));
	analyzer_config_defaults(&cfg);
	cfg.max_flows = 8;
	r->az = analyzer_new(&cfg, &sink, err, sizeof(err));
	assert_non_null(r->az);
	return r->az;
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

	new_analyzer(r);
	analyzer_begin_input(r->az, 0);
	if (fixture_compile(script, emit, r, &r->dlt, err, sizeof(err)) != 0)
		fail_msg("fixture: %s", err);
	analyzer_finish(r->az);
	analyzer_free(r->az);
	assert_int_equal(r->nflows, 1);
}

static void run_file(struct run *r, const char *name)
{
	char path[1024], err[512];
	struct input_record in;
	struct ingest_record rec;
	struct ingest *ig;
	struct capture *c;

	snprintf(path, sizeof(path), "%s/%s", TCPLINT_TESTDATA_DIR, name);
	c = capture_open_file(path, err, sizeof(err));
	if (!c)
		fail_msg("%s", err);
	new_analyzer(r);
	memset(&in, 0, sizeof(in));
	ig = ingest_new(c, r->az, &in, NULL, err, sizeof(err));
	assert_non_null(ig);
	while (ingest_next(ig, &rec, err, sizeof(err)) == CAPTURE_PACKET)
		;
	ingest_finish(ig);
	ingest_free(ig);
	capture_close(c);
	analyzer_free(r->az);
	assert_int_equal(r->nflows, 1);
}

#define C(r) (&(r)->flow.ep[ROLE_CLIENT])

/* An established connection, then one client probe at 7200 s. */
#define PROBED                                                                 \
	"client 10.0.0.1:40000\nserver 10.0.0.2:80\n"                          \
	"isn client 1000 server 5000\n"                                        \
	"0.000 c > S 0:0(0)\n"                                                 \
	"+0.001 s > S. 0:0(0) ack 1\n"                                         \
	"+0.0001 c > . ack 1\n"                                                \
	"+0.1 c > P. 1:9(8) ack 1\n"                                           \
	"+0.001 s > . ack 9\n"                                                 \
	"7200.1 c > . 8:8(0) ack 1\n"

static void test_answered_by_ack(void **state)
{
	struct run r;

	(void)state;
	run_script(&r, PROBED "+0.0003 s > . ack 9\n");
	assert_int_equal(C(&r)->keepalive_probes, 1);
	assert_int_equal(C(&r)->keepalive_answered, 1);
	assert_int_equal(r.flow.anomaly_counts[ANOM_KEEPALIVE_BURST], 0);
}

/* Data or a FIN of the peer answer too: it is alive. */
static void test_answered_by_data_or_fin(void **state)
{
	struct run r;

	(void)state;
	run_script(&r, PROBED "+0.0003 s > P. 1:11(10) ack 9\n");
	assert_int_equal(C(&r)->keepalive_probes, 1);
	assert_int_equal(C(&r)->keepalive_answered, 1);
	run_script(&r, PROBED "+0.0003 s > F. 1:1(0) ack 9\n");
	assert_int_equal(C(&r)->keepalive_answered, 1);
}

/* The peer's RST kills the probe: unanswered. */
static void test_killed_by_rst(void **state)
{
	struct run r;

	(void)state;
	run_script(&r, PROBED "+0.0003 s > R. 1:1(0) ack 9\n");
	assert_int_equal(C(&r)->keepalive_probes, 1);
	assert_int_equal(C(&r)->keepalive_answered, 0);
}

static void test_committed_captures(void **state)
{
	struct run r;

	(void)state;
	/* three probes 7200 s apart, each answered */
	run_file(&r, "keepalive_answered.pcap");
	assert_int_equal(C(&r)->keepalive_probes, 3);
	assert_int_equal(C(&r)->keepalive_answered, 3);
	assert_int_equal(r.flow.anomaly_counts[ANOM_KEEPALIVE_BURST], 0);
	/* four probes 75 s apart, none answered, then the prober's RST */
	run_file(&r, "keepalive_unanswered.pcap");
	assert_int_equal(C(&r)->keepalive_probes, 4);
	assert_int_equal(C(&r)->keepalive_answered, 0);
	assert_int_equal(r.flow.anomaly_counts[ANOM_KEEPALIVE_BURST], 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reply_table),
		cmocka_unit_test(test_answered_by_ack),
		cmocka_unit_test(test_answered_by_data_or_fin),
		cmocka_unit_test(test_killed_by_rst),
		cmocka_unit_test(test_committed_captures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
