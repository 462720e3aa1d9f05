/*
 * test_seq_track.c - the sequence tracker of one direction
 * (analyzer/seq_track.h), each of its rules on its own: SYN and FIN count
 * one, a RST moves nothing, zero-window probes of both shapes, the gap and
 * its acknowledgement, the inferred nxt, the restart of a new sequence
 * space, the highest ACK sent; then the state machine and the stream rules
 * reading the same tracker through the analyzer (a zero-window probe the
 * machine is told of, a SYN with a new ISN in a synchronized connection,
 * half-open or opening a new connection in the flow, a SYN with RST).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "analyzer/analyzer.h"
#include "analyzer/flow.h"
#include "analyzer/seq_track.h"
#include "formats/wire/decode.h"
#include "formats/wire/fixture.h"

static uint64_t next_frame;

/* One segment sent by the tracked direction (frame numbers count up). */
static struct seq_track_seg seg(uint16_t flags, uint32_t seq, uint32_t len,
				uint32_t ack, uint16_t window)
{
	struct seq_track_seg s = {
		.frame = ++next_frame,
		.ts_ns = (int64_t)next_frame * 1000,
		.seq = seq,
		.ack = ack,
		.len = len,
		.flags = flags,
		.window = window,
	};

	return s;
}

/* seen + sent, as the state machine takes a segment of its space; returns
 * seq_track_sent()'s new-data verdict. */
static bool send(struct seq_track *t, struct seq_track_seg s, bool probe)
{
	seq_track_seen(t, &s);
	return seq_track_sent(t, &s, probe);
}

static int setup(void **state)
{
	(void)state;
	next_frame = 0;
	return 0;
}

static void test_syn_and_fin_count_one(void **state)
{
	struct seq_track t;

	(void)state;
	memset(&t, 0, sizeof(t));
	assert_false(t.nxt_known);
	assert_false(seq_track_nxt_seen(&t));
	seq_track_restart(&t);
	assert_false(send(&t, seg(TCP_SYN, 1000, 0, 0, 64240), false));
	assert_true(seq_track_nxt_seen(&t));
	assert_int_equal(t.nxt, 1001);
	assert_int_equal(t.nxt_frame, 1);
	assert_true(t.window_in_syn);
	/* data moves nxt: new data */
	assert_true(send(&t, seg(TCP_ACK, 1001, 100, 5001, 502), false));
	assert_int_equal(t.nxt, 1101);
	assert_int_equal(t.nxt_frame, 2);
	assert_int_equal(t.nxt_ns, 2000);
	assert_false(t.window_in_syn);
	/* a retransmission moves nothing back, and is no new data */
	assert_false(send(&t, seg(TCP_ACK, 1001, 100, 5001, 502), false));
	assert_int_equal(t.nxt, 1101);
	assert_int_equal(t.nxt_frame, 2);
	/* partly new: new data, nxt at its end */
	assert_true(send(&t, seg(TCP_ACK, 1051, 100, 5001, 502), false));
	assert_int_equal(t.nxt, 1151);
	/* FIN counts one */
	assert_false(
		send(&t, seg(TCP_ACK | TCP_FIN, 1151, 0, 5001, 502), false));
	assert_int_equal(t.nxt, 1152);
	assert_true(t.ackable_known);
	assert_int_equal(t.ackable, 1152);
}

static void test_rst_moves_no_sequence_number(void **state)
{
	struct seq_track t;

	(void)state;
	memset(&t, 0, sizeof(t));
	send(&t, seg(TCP_ACK, 1000, 10, 5000, 502), false);
	assert_int_equal(t.nxt, 1010);
	/* a RST far ahead (its number from an ACK it answers) */
	assert_false(
		send(&t, seg(TCP_RST | TCP_ACK, 900000, 5, 7777, 0), false));
	assert_int_equal(t.nxt, 1010);
	assert_int_equal(t.nxt_frame, 1);
	assert_int_equal(t.ackable, 1010);
	/* ... and no highest ACK sent, but it is the latest segment */
	assert_int_equal(t.max_ack, 5000);
	assert_int_equal(t.last_ack, 7777);
	assert_int_equal(t.window, 0);
	assert_int_equal(t.last_frame, 2);
	assert_int_equal(t.last_ns, 2000);
	/* a RST as the first segment: nothing known, not even ackable */
	memset(&t, 0, sizeof(t));
	send(&t, seg(TCP_RST, 1000, 0, 0, 0), false);
	assert_true(t.sent);
	assert_false(t.nxt_known);
	assert_false(t.ackable_known);
	assert_false(t.max_ack_known);
}

static void test_probe_shapes(void **state)
{
	struct seq_track t, peer;

	(void)state;
	memset(&t, 0, sizeof(t));
	memset(&peer, 0, sizeof(peer));
	send(&t, seg(TCP_ACK, 4000, 100, 21, 502), false);
	/* the peer said nothing yet: no window to probe */
	assert_int_equal(seq_track_probe(&t, &peer, 4100, 1, TCP_ACK),
			 SEQ_PROBE_NONE);
	send(&peer, seg(TCP_ACK, 21, 0, 4100, 0), false);
	assert_int_equal(seq_track_probe(&t, &peer, 4100, 1, TCP_ACK),
			 SEQ_PROBE_NEXT);
	assert_int_equal(seq_track_probe(&t, &peer, 4100, 1, TCP_ACK | TCP_FIN),
			 SEQ_PROBE_NEXT);
	assert_int_equal(seq_track_probe(&t, &peer, 4099, 0, TCP_ACK),
			 SEQ_PROBE_BEFORE);
	assert_int_equal(seq_track_probe(&t, &peer, 4099, 1, TCP_ACK),
			 SEQ_PROBE_BEFORE);
	/* not the shapes: two bytes, a FIN or RST before nxt, a SYN */
	assert_int_equal(seq_track_probe(&t, &peer, 4100, 2, TCP_ACK),
			 SEQ_PROBE_NONE);
	assert_int_equal(seq_track_probe(&t, &peer, 4099, 1, TCP_ACK | TCP_FIN),
			 SEQ_PROBE_NONE);
	assert_int_equal(seq_track_probe(&t, &peer, 4099, 0, TCP_RST),
			 SEQ_PROBE_NONE);
	assert_int_equal(seq_track_probe(&t, &peer, 4100, 1, TCP_SYN),
			 SEQ_PROBE_NONE);
	assert_int_equal(seq_track_probe(&t, &peer, 4098, 1, TCP_ACK),
			 SEQ_PROBE_NONE);
	/* the window opens: no probe */
	send(&peer, seg(TCP_ACK, 21, 0, 4100, 502), false);
	assert_int_equal(seq_track_probe(&t, &peer, 4100, 1, TCP_ACK),
			 SEQ_PROBE_NONE);
	/* nxt inferred, not seen: nothing to probe at */
	memset(&t, 0, sizeof(t));
	seq_track_infer(&t, 4100);
	send(&peer, seg(TCP_ACK, 21, 0, 4100, 0), false);
	assert_int_equal(seq_track_probe(&t, &peer, 4100, 1, TCP_ACK),
			 SEQ_PROBE_NONE);
}

static void test_probe_moves_nothing(void **state)
{
	struct seq_track t;

	(void)state;
	memset(&t, 0, sizeof(t));
	send(&t, seg(TCP_ACK, 4000, 100, 21, 502), false);
	/* the probe's byte is not new data, nxt and ackable stay */
	assert_false(send(&t, seg(TCP_ACK, 4100, 1, 21, 502), true));
	assert_int_equal(t.nxt, 4100);
	assert_int_equal(t.nxt_frame, 1);
	assert_int_equal(t.ackable, 4100);
	assert_int_equal(t.last_frame, 2);
	/* the same byte sent once the window opens is new data */
	assert_true(send(&t, seg(TCP_ACK, 4100, 1448, 21, 502), false));
	assert_int_equal(t.nxt, 5548);
	assert_int_equal(t.ackable, 5548);
}

static void test_gap_and_its_ack(void **state)
{
	struct seq_track t;

	(void)state;
	memset(&t, 0, sizeof(t));
	send(&t, seg(TCP_ACK, 1000, 100, 1, 502), false);
	assert_false(seq_track_gap(&t, 1100, TCP_ACK));
	assert_true(seq_track_gap(&t, 1200, TCP_ACK));
	assert_false(seq_track_gap(&t, 1200, TCP_RST | TCP_ACK));
	/* after a gap nxt moves on, ackable does not */
	assert_true(send(&t, seg(TCP_ACK, 1200, 100, 1, 502), false));
	assert_int_equal(t.nxt, 1300);
	assert_int_equal(t.ackable, 1100);
	/* the peer acknowledges within ackable: nothing */
	seq_track_acked(&t, 1100);
	assert_int_equal(t.ackable, 1100);
	/* beyond it (the gap): ackable catches up with nxt */
	seq_track_acked(&t, 1200);
	assert_int_equal(t.ackable, 1300);
	/* the next segment after no gap also lets it catch up */
	send(&t, seg(TCP_ACK, 1400, 100, 1, 502), false);
	assert_int_equal(t.ackable, 1300);
	send(&t, seg(TCP_RST, 1500, 0, 0, 0), false);
	assert_int_equal(t.nxt, 1500);
	assert_int_equal(t.ackable, 1500);
	/* nothing is ackable before it is known */
	memset(&t, 0, sizeof(t));
	seq_track_acked(&t, 77);
	assert_false(t.ackable_known);
}

static void test_inferred_nxt(void **state)
{
	struct seq_track t;

	(void)state;
	memset(&t, 0, sizeof(t));
	seq_track_infer(&t, 5001);
	assert_true(t.nxt_known);
	assert_true(t.nxt_inferred);
	assert_false(seq_track_nxt_seen(&t));
	assert_false(seq_track_gap(&t, 9999, TCP_ACK));
	/* a second inference changes nothing */
	seq_track_infer(&t, 7000);
	assert_int_equal(t.nxt, 5001);
	/* its SYN-ACK, captured late: ends where the peer acknowledged */
	assert_false(
		send(&t, seg(TCP_SYN | TCP_ACK, 5000, 0, 1001, 65160), false));
	assert_true(seq_track_nxt_seen(&t));
	assert_int_equal(t.nxt, 5001);
	assert_int_equal(t.nxt_frame, 1);
	assert_int_equal(t.ackable, 5001);
	/* a segment below an inferred nxt never lowers it */
	memset(&t, 0, sizeof(t));
	seq_track_infer(&t, 5201);
	assert_false(send(&t, seg(TCP_ACK, 5001, 100, 1001, 502), false));
	assert_int_equal(t.nxt, 5201);
	assert_false(t.nxt_inferred);
	assert_int_equal(t.nxt_frame, 2);
	/* a RST does not take the mark away */
	memset(&t, 0, sizeof(t));
	seq_track_infer(&t, 5001);
	send(&t, seg(TCP_RST, 5001, 0, 0, 0), false);
	assert_true(t.nxt_inferred);
	assert_false(t.ackable_known);
}

static void test_restart_and_max_ack(void **state)
{
	struct seq_track t;

	(void)state;
	memset(&t, 0, sizeof(t));
	send(&t, seg(TCP_SYN, 1000, 0, 0, 64240), false);
	send(&t, seg(TCP_ACK, 1001, 50, 5001, 502), false);
	/* a new attempt with another ISN below the old space */
	seq_track_restart(&t);
	assert_false(t.nxt_known);
	assert_false(t.ackable_known);
	send(&t, seg(TCP_SYN, 200, 0, 0, 64240), false);
	assert_int_equal(t.nxt, 201);
	assert_int_equal(t.ackable, 201);
	/* the highest ACK sent survives, counts ACK flags only, never goes
	 * back */
	assert_int_equal(t.max_ack, 5001);
	send(&t, seg(TCP_ACK, 201, 0, 4000, 502), false);
	assert_int_equal(t.max_ack, 5001);
	assert_int_equal(t.last_ack, 4000);
	send(&t, seg(0, 201, 0, 9000, 502), false);
	assert_int_equal(t.max_ack, 5001);
	send(&t, seg(TCP_ACK, 201, 0, 6000, 502), false);
	assert_int_equal(t.max_ack, 6000);
	/* serial arithmetic across the wrap */
	memset(&t, 0, sizeof(t));
	send(&t, seg(TCP_ACK, 0xfffffff0u, 0x20, 1, 502), false);
	assert_int_equal(t.nxt, 0x10u);
	assert_true(send(&t, seg(TCP_ACK, 0x10u, 0x10, 1, 502), false));
	assert_int_equal(t.nxt, 0x20u);
}

/* --- the state machine and the rules on one tracker --------------------- */

struct run {
	struct analyzer *az;
	int dlt;
	uint64_t frame;
	int nflows;
	struct flow_record flows[4];
	const struct flow *watched;
	uint32_t server_nxt[32]; /* the server's tx.nxt after each frame */
	uint32_t client_nxt[32];
};

static void on_flow_done(void *ctx, const struct flow_record *f)
{
	struct run *r = ctx;

	assert_true(r->nflows < 4);
	r->flows[r->nflows++] = *f;
}

static void on_anomaly(void *ctx, const struct flow_record *f,
		       const struct anomaly *a)
{
	(void)ctx;
	(void)f;
	(void)a;
}

/* The watched record's flow entry, as the analyzer shows it to tests. */
static void on_segment(void *ctx, const struct flow_record *f,
		       const struct segment_event *ev)
{
	struct run *r = ctx;
	const struct flow *fl = analyzer_current_flow(r->az);

	assert_int_equal(fl->rec.id, f->id); /* the record shown is its own */
	r->watched = fl;
	if (ev->frame < 32) {
		r->server_nxt[ev->frame] = fl->ep[ROLE_SERVER].tx.nxt;
		r->client_nxt[ev->frame] = fl->ep[ROLE_CLIENT].tx.nxt;
	}
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

static void run(struct run *r, const char *script)
{
	struct analyzer_config cfg;
	struct analyzer_sink sink = {on_flow_done, on_anomaly, on_segment, r};
	char err[256];

	memset(r, 0, sizeof(*r));
	analyzer_config_defaults(&cfg);
	r->az = analyzer_new(&cfg, &sink, err, sizeof(err));
	assert_non_null(r->az);
	analyzer_watch_flow(r->az, 0);
	analyzer_begin_input(r->az, 0);
	if (fixture_compile(script, emit, r, &r->dlt, err, sizeof(err)) != 0)
		fail_msg("fixture: %s", err);
	analyzer_finish(r->az);
}

#define HANDSHAKE                                                              \
	"client 10.0.0.1:40000\nserver 10.0.0.2:80\n"                          \
	"isn client 1000 server 5000\n"                                        \
	"0.000  c > S  0:0(0) win 64240\n"                                     \
	"0.010  s > S. 0:0(0) ack 1 win 65160\n"                               \
	"0.011  c > .  ack 1 win 502\n"

/* The analyzer tells the machine of the probe: the server's nxt stays at
 * the probe's byte, and the byte sent again once the window opens is new
 * data (counted once), no retransmission. */
static void test_machine_skips_the_probe(void **state)
{
	struct run r;

	(void)state;
	run(&r, HANDSHAKE "0.100  s > .  1:1001(1000) ack 1\n" /* 4 */
			  "0.110  c > .  ack 1001 win 0\n" /* 5: zero window */
			  "0.300  s > .  1001:1002(1) ack 1\n" /* 6: probe */
			  "0.301  c > .  ack 1001 win 0\n"
			  "0.700  s > .  1001:1002(1) ack 1\n" /* 8: probe */
			  "0.701  c > .  ack 1001 win 0\n"
			  "0.900  c > .  ack 1001 win 502\n" /* 10: it opens */
			  "0.901  s > .  1001:2001(1000) ack 1\n" /* 11 */
			  "0.910  c > .  ack 2001 win 502\n");
	assert_int_equal(r.nflows, 1);
	assert_int_equal(r.server_nxt[4], 5000 + 1001);
	assert_int_equal(r.server_nxt[6], 5000 + 1001);
	assert_int_equal(r.server_nxt[8], 5000 + 1001);
	assert_int_equal(r.server_nxt[11], 5000 + 2001);
	assert_int_equal(r.flows[0].ep[ROLE_SERVER].bytes, 2000);
	assert_int_equal(r.flows[0].anomaly_counts[ANOM_ZERO_WINDOW_PROBE], 2);
	assert_int_equal(r.flows[0].anomaly_counts[ANOM_RETRANSMISSION], 0);
	assert_int_equal(r.flows[0].anomaly_counts[ANOM_ACK_UNSEEN], 0);
	analyzer_free(r.az);
}

/* Half-open (RFC 9293 §3.5.2): the client's SYN with a new ISN inside the
 * synchronized connection is another connection's for the state machine,
 * but what the client sends is now in that SYN's space (below the old one
 * here: no maximum of the two); the RST answering the challenge ACK, at the
 * old numbers, moves nothing. Nothing of it is a retransmission, a gap or a
 * duplicate ACK; the challenge ACK acknowledges the old numbers, beyond the
 * new space, so it is an ACK of unseen data, as the stream analysis always
 * judged it (Wireshark too starts over at the new SYN). */
static void test_new_isn_half_open(void **state)
{
	struct run r;

	(void)state;
	run(&r, HANDSHAKE
	    "0.100 c > P. 1:11(10) ack 1\n" /* 4 */
	    "isn client 500\n"
	    "5.000 c > S 0:0(0)\n"                     /* 5: new ISN */
	    "5.001 s > .  abs 5001:5001(0) ack 1011\n" /* 6: challenge */
	    "5.002 c > R  abs 1011:1011(0)\n");        /* 7 */
	assert_int_equal(r.nflows, 1);
	assert_int_equal(r.client_nxt[4], 1011);
	assert_int_equal(r.client_nxt[5], 501); /* below: no max() of spaces */
	assert_int_equal(r.client_nxt[7], 501);
	assert_int_equal(r.flows[0].ep[ROLE_CLIENT].state, TCP_ST_CLOSED);
	assert_int_equal(r.flows[0].ep[ROLE_CLIENT].bytes, 10);
	assert_int_equal(r.flows[0].anomaly_counts[ANOM_RETRANSMISSION], 0);
	assert_int_equal(r.flows[0].anomaly_counts[ANOM_LOST_SEGMENT], 0);
	assert_int_equal(r.flows[0].anomaly_counts[ANOM_DUPLICATE_ACK], 0);
	assert_int_equal(r.flows[0].anomaly_counts[ANOM_ACK_UNSEEN], 1);
	analyzer_free(r.az);
}

/* The old connection's close was not seen to its end (the client waits in
 * FIN_WAIT_2), and a new one opens on the 4-tuple inside the same flow:
 * both SYNs restart their sender's space, so the new connection's segments
 * are no retransmissions of the old one's, nor gaps, and its data are
 * counted. (The machines keep the old connection and its ISNs.) */
static void test_new_connection_in_the_flow(void **state)
{
	struct run r;

	(void)state;
	run(&r, HANDSHAKE "0.100 c > P. 1:11(10) ack 1\n" /* 4 */
			  "0.200 c > F. 11:11(0) ack 1\n" /* 5 */
			  "0.201 s > .  ack 12\n"         /* 6: FIN_WAIT_2 */
			  "isn client 500 server 3000\n"
			  "9.000 c > S 0:0(0)\n"        /* 7 */
			  "9.001 s > S. 0:0(0) ack 1\n" /* 8 */
			  "9.002 c > . ack 1\n"
			  "9.003 c > P. 1:101(100) ack 1\n" /* 10 */
			  "9.004 s > . ack 101\n");
	assert_int_equal(r.nflows, 1);
	assert_int_equal(r.client_nxt[7], 501);
	assert_int_equal(r.server_nxt[8], 3001);
	assert_int_equal(r.client_nxt[10], 601);
	assert_int_equal(r.flows[0].ep[ROLE_CLIENT].bytes, 110);
	assert_int_equal(r.flows[0].anomaly_counts[ANOM_RETRANSMISSION], 0);
	assert_int_equal(r.flows[0].anomaly_counts[ANOM_OUT_OF_ORDER], 0);
	assert_int_equal(r.flows[0].anomaly_counts[ANOM_LOST_SEGMENT], 0);
	assert_int_equal(r.flows[0].anomaly_counts[ANOM_ACK_UNSEEN], 0);
	analyzer_free(r.az);
}

/* A RST, even with SYN set and a new number, moves nothing and starts no
 * sequence space: the client's next data, beyond what the RST carried, is
 * after a gap. */
static void test_syn_rst_starts_nothing(void **state)
{
	struct run r;

	(void)state;
	run(&r, HANDSHAKE "0.100 c > P. 1:11(10) ack 1\n"    /* 4 */
			  "0.200 c > SR. 11:25(14) ack 1\n"  /* 5 */
			  "0.300 c > P. 25:35(10) ack 1\n"); /* 6 */
	assert_int_equal(r.client_nxt[4], 1011);
	assert_int_equal(r.client_nxt[5], 1011);
	assert_int_equal(r.client_nxt[6], 1035);
	assert_int_equal(r.flows[0].anomaly_counts[ANOM_LOST_SEGMENT], 1);
	assert_int_equal(r.flows[0].anomaly_counts[ANOM_RETRANSMISSION], 0);
	analyzer_free(r.az);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_syn_and_fin_count_one, setup),
		cmocka_unit_test_setup(test_rst_moves_no_sequence_number,
				       setup),
		cmocka_unit_test_setup(test_probe_shapes, setup),
		cmocka_unit_test_setup(test_probe_moves_nothing, setup),
		cmocka_unit_test_setup(test_gap_and_its_ack, setup),
		cmocka_unit_test_setup(test_inferred_nxt, setup),
		cmocka_unit_test_setup(test_restart_and_max_ack, setup),
		cmocka_unit_test(test_machine_skips_the_probe),
		cmocka_unit_test(test_new_isn_half_open),
		cmocka_unit_test(test_new_connection_in_the_flow),
		cmocka_unit_test(test_syn_rst_starts_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
