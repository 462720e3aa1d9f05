/*
 * test_analyzer.c - every handshake and close verdict, final states,
 * timelines and timers, on captures the project's fixture compiler
 * synthesizes (formats/wire/fixture.h) and decode_packet() reads back, fed to the
 * analyzer frame by frame as the CLI does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analyzer/analyzer.h"
#include "analyzer/flow.h"
#include "analyzer/flow_cold.h"
#include "analyzer/rules.h"
#include "formats/wire/decode.h"
#include "formats/wire/fixture.h"

#define MAX_FLOWS 8
#define BASE_NS (1700000000LL * NS_PER_SEC)
#define MS (NS_PER_SEC / 1000)

struct run {
	struct analyzer *az;
	int dlt;
	uint64_t frame;
	int nflows;
	struct flow_record flows[MAX_FLOWS]; /* in flow_done order */
	uint64_t done_at_frame[MAX_FLOWS];   /* frames seen when reported */
	int nsegments;
	struct segment_event seg[32];
	int nanomalies;
	const struct flow_record *seen; /* the watched flow's record */
};

static void on_flow_done(void *ctx, const struct flow_record *f)
{
	struct run *r = ctx;

	assert_true(r->nflows < MAX_FLOWS);
	r->done_at_frame[r->nflows] = r->frame;
	r->flows[r->nflows++] = *f;
}

static void on_segment(void *ctx, const struct flow_record *f,
		       const struct segment_event *ev)
{
	struct run *r = ctx;

	r->seen = f;
	if (r->nsegments < 32)
		r->seg[r->nsegments++] = *ev;
}

static void on_anomaly(void *ctx, const struct flow_record *f,
		       const struct anomaly *a)
{
	struct run *r = ctx;

	(void)f;
	(void)a;
	r->nanomalies++;
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

/* Run `script` through an analyzer with cfg (NULL: defaults); finish
 * unless `keep_open`. */
static void run_cfg(struct run *r, const char *script,
		    const struct analyzer_config *cfg, bool keep_open)
{
	struct analyzer_config def;
	struct analyzer_sink sink = {on_flow_done, on_anomaly, on_segment, r};
	char err[256];

	memset(r, 0, sizeof(*r));
	if (cfg == NULL) {
		analyzer_config_defaults(&def);
		def.max_flows = 64;
		cfg = &def;
	}
	r->az = analyzer_new(cfg, &sink, err, sizeof(err));
	assert_non_null(r->az);
	analyzer_watch_flow(r->az, 0);
	analyzer_begin_input(r->az, 0);
	if (fixture_compile(script, emit, r, &r->dlt, err, sizeof(err)) != 0)
		fail_msg("fixture: %s", err);
	if (!keep_open)
		analyzer_finish(r->az);
}

static void run(struct run *r, const char *script)
{
	run_cfg(r, script, NULL, false);
}

static void done(struct run *r)
{
	analyzer_free(r->az);
}

/* Assert an endpoint's timeline: pairs of (frame, state), 0-terminated. */
static void check_timeline(const struct endpoint_record *e, const int *want)
{
	int n = 0;

	while (want[2 * n] != 0)
		n++;
	for (int i = 0; i < n && i < e->nstates; i++) {
		if (e->states[i].frame != (uint64_t)want[2 * i] ||
		    e->states[i].state != want[2 * i + 1])
			fail_msg(
				"timeline entry %d: frame %llu %s, want frame %d %s",
				i, (unsigned long long)e->states[i].frame,
				tcp_state_name(e->states[i].state), want[2 * i],
				tcp_state_name(
					(enum tcp_state)want[2 * i + 1]));
	}
	assert_int_equal(e->nstates, n);
}

#define C(f) (&(f)->ep[ROLE_CLIENT])
#define S(f) (&(f)->ep[ROLE_SERVER])

#define HANDSHAKE                                                               \
	"client 10.0.0.1:40000\nserver 10.0.0.2:80\n"                           \
	"isn client 1000 server 5000\n"                                         \
	"0.000  c > S  0:0(0) win 64240 <mss 1460,sackOK,nop,wscale 7>\n"       \
	"0.010  s > S. 0:0(0) ack 1 win 65160 <mss 1460,sackOK,nop,wscale 7>\n" \
	"0.011  c > .  ack 1 win 502\n"

/* --- handshakes and four-way closes --------------------------------------- */

static void test_four_way_client_closes(void **state)
{
	struct run r;
	const struct flow_record *f;
	static const int ct[] = {1, TCP_ST_SYN_SENT,   2, TCP_ST_ESTABLISHED,
				 5, TCP_ST_FIN_WAIT_1, 6, TCP_ST_FIN_WAIT_2,
				 7, TCP_ST_TIME_WAIT,  0};
	static const int st[] = {1, TCP_ST_LISTEN,      2, TCP_ST_SYN_RECEIVED,
				 3, TCP_ST_ESTABLISHED, 5, TCP_ST_CLOSE_WAIT,
				 7, TCP_ST_LAST_ACK,    8, TCP_ST_CLOSED,
				 0};

	(void)state;
	run(&r, HANDSHAKE "0.100  c > P. 1:101(100) ack 1\n"
			  "1.000  c > F. 101:101(0) ack 1\n"
			  "1.010  s > .  ack 102\n"
			  "1.500  s > F. 1:1(0) ack 102\n"
			  "1.510  c > .  ack 2\n");
	assert_int_equal(r.nflows, 1);
	f = &r.flows[0];
	assert_int_equal(f->id, 0);
	assert_int_equal(f->handshake, HS_COMPLETE);
	assert_int_equal(f->close, CLOSE_FOUR_WAY);
	assert_int_equal(f->active_closer, CLOSER_CLIENT);
	assert_int_equal(C(f)->state, TCP_ST_TIME_WAIT);
	assert_int_equal(S(f)->state, TCP_ST_CLOSED);
	check_timeline(C(f), ct);
	check_timeline(S(f), st);
	assert_int_equal(f->ep[ROLE_CLIENT].states[0].ts_ns, BASE_NS);
	assert_int_equal(f->ep[ROLE_SERVER].states[0].ts_ns,
			 BASE_NS); /* LISTEN: the SYN */
	assert_int_equal(C(f)->fin_wait_2_ns, 490 * MS);
	assert_int_equal(S(f)->close_wait_ns, 500 * MS);
	assert_int_equal(S(f)->last_ack_ns, 10 * MS);
	assert_int_equal(C(f)->close_wait_ns, 0);
	assert_false(f->client_by_port);
	assert_int_equal(f->packets, 8);
	assert_int_equal(C(f)->packets, 5);
	assert_int_equal(S(f)->packets, 3);
	assert_int_equal(C(f)->bytes, 100);
	assert_int_equal(S(f)->bytes, 0);
	assert_int_equal(f->first_frame, 1);
	assert_int_equal(f->last_frame, 8);
	assert_int_equal(f->start_ns, BASE_NS);
	assert_int_equal(f->end_ns, BASE_NS + 1510 * MS);
	assert_true(C(f)->has_isn);
	assert_int_equal(C(f)->isn, 1000);
	assert_int_equal(S(f)->isn, 5000);
	assert_int_equal(C(f)->mss, 1460);
	assert_int_equal(C(f)->wscale, 7);
	assert_true(C(f)->wscale_ok);
	assert_int_equal(f->tuple.sport, 40000);
	assert_int_equal(f->tuple.dport, 80);
	assert_int_equal(f->tuple.src[3], 1);
	assert_int_equal(f->syn_retransmits, 0);
	assert_int_equal(f->synack_retransmits, 0);
	assert_false(f->evicted);
	done(&r);
}

static void test_four_way_server_closes(void **state)
{
	struct run r;
	const struct flow_record *f;

	(void)state;
	run(&r, HANDSHAKE "0.100  s > P. 1:51(50) ack 1\n"
			  "0.200  s > F. 51:51(0) ack 1\n"
			  "0.210  c > .  ack 52\n"
			  "0.300  c > F. 1:1(0) ack 52\n"
			  "0.310  s > .  ack 2\n");
	f = &r.flows[0];
	assert_int_equal(f->handshake, HS_COMPLETE);
	assert_int_equal(f->close, CLOSE_FOUR_WAY);
	assert_int_equal(f->active_closer, CLOSER_SERVER);
	assert_int_equal(S(f)->state, TCP_ST_TIME_WAIT);
	assert_int_equal(C(f)->state, TCP_ST_CLOSED);
	assert_int_equal(S(f)->fin_wait_2_ns, 90 * MS);
	assert_int_equal(C(f)->close_wait_ns, 100 * MS);
	assert_int_equal(C(f)->last_ack_ns, 10 * MS);
	assert_int_equal(S(f)->bytes, 50);
	done(&r);
}

static void test_three_way_close(void **state)
{
	struct run r;
	const struct flow_record *f;
	static const int st[] = {1, TCP_ST_LISTEN,      2, TCP_ST_SYN_RECEIVED,
				 3, TCP_ST_ESTABLISHED, 4, TCP_ST_CLOSE_WAIT,
				 5, TCP_ST_LAST_ACK,    6, TCP_ST_CLOSED,
				 0};
	static const int ct[] = {1, TCP_ST_SYN_SENT,   2, TCP_ST_ESTABLISHED,
				 4, TCP_ST_FIN_WAIT_1, 5, TCP_ST_TIME_WAIT,
				 0};

	(void)state;
	run(&r, HANDSHAKE "0.100  c > F. 1:1(0) ack 1\n"
			  "0.101  s > F. 1:1(0) ack 2\n"
			  "0.102  c > .  ack 2\n");
	f = &r.flows[0];
	assert_int_equal(f->close, CLOSE_THREE_WAY);
	assert_int_equal(f->active_closer, CLOSER_CLIENT);
	assert_int_equal(C(f)->state, TCP_ST_TIME_WAIT);
	assert_int_equal(S(f)->state, TCP_ST_CLOSED);
	check_timeline(S(f), st);
	check_timeline(C(f), ct);
	assert_int_equal(C(f)->fin_wait_2_ns, 0);
	done(&r);
}

static void test_simultaneous_close(void **state)
{
	struct run r;
	const struct flow_record *f;
	static const int ct[] = {1, TCP_ST_SYN_SENT,   2, TCP_ST_ESTABLISHED,
				 4, TCP_ST_FIN_WAIT_1, 5, TCP_ST_CLOSING,
				 7, TCP_ST_TIME_WAIT,  0};
	/* the CLOSE_WAIT dated by frame 4 is revoked at frame 5 */
	static const int st[] = {1, TCP_ST_LISTEN,      2, TCP_ST_SYN_RECEIVED,
				 3, TCP_ST_ESTABLISHED, 5, TCP_ST_FIN_WAIT_1,
				 5, TCP_ST_CLOSING,     6, TCP_ST_TIME_WAIT,
				 0};

	(void)state;
	run(&r, HANDSHAKE "0.100  c > F. 1:1(0) ack 1\n"
			  "0.100  s > F. 1:1(0) ack 1\n"
			  "0.101  c > .  ack 2\n"
			  "0.101  s > .  ack 2\n");
	f = &r.flows[0];
	assert_int_equal(f->close, CLOSE_SIMULTANEOUS);
	assert_int_equal(f->active_closer, CLOSER_BOTH);
	assert_int_equal(C(f)->state, TCP_ST_TIME_WAIT);
	assert_int_equal(S(f)->state, TCP_ST_TIME_WAIT);
	check_timeline(C(f), ct);
	check_timeline(S(f), st);
	assert_int_equal(S(f)->close_wait_ns, 0);
	done(&r);
}

/* The client's FIN never reached the server: the server acknowledges only
 * up to it, closes on its own and, after the client acknowledged its FIN,
 * still does not acknowledge the client's (the audit's cases finnoack and
 * fin_badack, inline below: there are no such files). Both closed actively (simultaneous, both), but only the
 * client passes through CLOSING: the server went FIN_WAIT_1 -> FIN_WAIT_2
 * and never TIME_WAIT. */
static void test_lost_fin_crossed_by_peer_fin(void **state)
{
	struct run r;
	const struct flow_record *f;
	static const int ct[] = {1, TCP_ST_SYN_SENT,   2, TCP_ST_ESTABLISHED,
				 6, TCP_ST_FIN_WAIT_1, 8, TCP_ST_CLOSING,
				 0};
	static const int st[] = {1, TCP_ST_LISTEN,      2, TCP_ST_SYN_RECEIVED,
				 3, TCP_ST_ESTABLISHED, 8, TCP_ST_FIN_WAIT_1,
				 9, TCP_ST_FIN_WAIT_2,  0};

	(void)state;
	/* finnoack: the server says so again after the ACK of its FIN */
	run(&r, "isn client 1000 server 5000\n"
		"0.000  c > S   0:0(0)\n"
		"0.010  s > S.  0:0(0) ack 1\n"
		"+0.001 c > .   ack 1\n"
		"+0.1   c > P.  1:101(100) ack 1\n"
		"+0.01  s > .   ack 101\n"
		"+0.2   c > F.  101:101(0) ack 1\n"
		"+0.01  s > .   ack 101\n"
		"+3.0   s > F.  1:1(0) ack 101\n"
		"+0.01  c > .   ack 2\n"
		"+3.0   s > .   ack 101\n");
	f = &r.flows[0];
	assert_int_equal(f->close, CLOSE_SIMULTANEOUS);
	assert_int_equal(f->active_closer, CLOSER_BOTH);
	assert_int_equal(C(f)->state, TCP_ST_CLOSING);
	assert_int_equal(S(f)->state, TCP_ST_FIN_WAIT_2);
	check_timeline(C(f), ct);
	check_timeline(S(f), st);
	assert_int_equal(f->anomaly_counts[ANOM_MISSING_ACK], 1);
	done(&r);

	/* fin_badack: the capture ends without the server ever
	 * acknowledging the client's FIN */
	run(&r, HANDSHAKE "+0.1   c > P.  1:101(100) ack 1\n"
			  "+0.01  s > .   ack 101 win 509\n"
			  "+0.2   c > F.  101:101(0) ack 1\n"
			  "+0.01  s > .   ack 101\n"
			  "+0.01  s > F.  1:1(0) ack 101\n"
			  "+0.01  c > .   ack 2\n");
	f = &r.flows[0];
	assert_int_equal(f->close, CLOSE_SIMULTANEOUS);
	assert_int_equal(f->active_closer, CLOSER_BOTH);
	check_timeline(C(f), ct);
	check_timeline(S(f), st);
	done(&r);
}

static void test_simultaneous_open(void **state)
{
	struct run r;
	const struct flow_record *f;

	(void)state;
	run(&r, "client 10.0.0.1:5000\nserver 10.0.0.2:6000\n"
		"0.000 c > S  0:0(0) <mss 1460>\n"
		"0.001 s > S  0:0(0) <mss 1460>\n"
		"0.002 c > S. 0:0(0) ack 1 <mss 1460>\n"
		"0.003 s > S. 0:0(0) ack 1 <mss 1460>\n"
		"0.100 c > P. 1:11(10) ack 1\n"
		"0.110 s > .  ack 11\n");
	assert_int_equal(r.nflows, 1);
	f = &r.flows[0];
	assert_int_equal(f->handshake, HS_SIMULTANEOUS_OPEN);
	assert_int_equal(f->close, CLOSE_OPEN);
	assert_int_equal(f->active_closer, CLOSER_NONE);
	assert_int_equal(C(f)->state, TCP_ST_ESTABLISHED);
	assert_int_equal(S(f)->state, TCP_ST_ESTABLISHED);
	assert_int_equal(f->syn_retransmits, 0);
	assert_int_equal(f->synack_retransmits, 0);
	assert_int_equal(f->tuple.sport, 5000);
	done(&r);
}

static void test_rejected(void **state)
{
	struct run r;
	const struct flow_record *f;

	(void)state;
	run(&r, "client 10.0.0.1:40000\nserver 10.0.0.2:81\n"
		"isn client 1000 server 0\n"
		"0.000 c > S 0:0(0)\n"
		"0.001 s > R. 0:0(0) ack 1 win 0\n");
	f = &r.flows[0];
	assert_int_equal(f->handshake, HS_REJECTED);
	assert_int_equal(f->close, CLOSE_NONE);
	assert_int_equal(f->active_closer, CLOSER_NONE);
	assert_int_equal(C(f)->state, TCP_ST_CLOSED);
	assert_int_equal(S(f)->state, TCP_ST_CLOSED);
	assert_int_equal(C(f)->nstates, 2);
	assert_int_equal(S(f)->nstates, 0); /* a closed port never LISTENed */
	done(&r);
}

static void test_unanswered_with_retransmissions(void **state)
{
	struct run r;
	const struct flow_record *f;

	(void)state;
	run(&r, "0.000 c > S 0:0(0)\n"
		"1.000 c > S 0:0(0)\n"
		"3.000 c > S 0:0(0)\n");
	assert_int_equal(r.nflows, 1);
	f = &r.flows[0];
	assert_int_equal(f->handshake, HS_UNANSWERED);
	assert_int_equal(f->close, CLOSE_NONE);
	assert_int_equal(f->syn_retransmits, 2);
	assert_int_equal(C(f)->state, TCP_ST_SYN_SENT);
	assert_int_equal(S(f)->state, TCP_ST_CLOSED);
	assert_int_equal(f->packets, 3);
	done(&r);
}

static void test_incomplete_synack_retransmitted(void **state)
{
	struct run r;
	const struct flow_record *f;

	(void)state;
	run(&r, "0.000 c > S  0:0(0)\n"
		"0.001 s > S. 0:0(0) ack 1\n"
		"1.001 s > S. 0:0(0) ack 1\n"
		"3.001 s > S. 0:0(0) ack 1\n");
	f = &r.flows[0];
	assert_int_equal(f->handshake, HS_INCOMPLETE);
	assert_int_equal(f->synack_retransmits, 2);
	assert_int_equal(f->syn_retransmits, 0);
	/* at the capture point the client got the SYN-ACK */
	assert_int_equal(C(f)->state, TCP_ST_ESTABLISHED);
	assert_int_equal(S(f)->state, TCP_ST_SYN_RECEIVED);
	/* but no connection was ever established: none, not open
	 * (testdata/synack_unacked) */
	assert_int_equal(f->close, CLOSE_NONE);
	assert_int_equal(f->active_closer, CLOSER_NONE);
	done(&r);

	/* the client resets the half-open server: still never established
	 * (audit fixture synrecv_rst.fix) */
	run(&r, "0.000 c > S  0:0(0)\n"
		"0.010 s > S. 0:0(0) ack 1\n"
		"0.020 c > R  1:1(0)\n");
	f = &r.flows[0];
	assert_int_equal(f->handshake, HS_INCOMPLETE);
	assert_int_equal(f->close, CLOSE_NONE);
	assert_int_equal(f->active_closer, CLOSER_NONE);
	done(&r);

	/* picked up at the SYN-ACK, the third segment never seen */
	run(&r, "0.000 s > S. 0:0(0) ack 1\n"
		"1.000 s > S. 0:0(0) ack 1\n");
	f = &r.flows[0];
	assert_int_equal(f->handshake, HS_NOT_OBSERVED);
	assert_int_equal(f->close, CLOSE_NONE);
	done(&r);
}

/* A RST that ended a first attempt (the client resets a SYN-ACK with the
 * wrong number, the server in SYN_RECEIVED) is not the close when the
 * retried handshake succeeds and the connection ends with FINs
 * (testdata/bad_ack). */
static void test_rst_of_failed_attempt_is_not_the_close(void **state)
{
	struct run r;
	const struct flow_record *f;

	(void)state;
	run(&r, "isn client 4000000000 server 1500000000\n"
		"0.000000  c > S   0:0(0)\n"
		"+0.000300 s > S.  0:0(0) ack 5\n"
		"+0.000050 c > R   5:5(0)\n"
		"+1.000000 c > S   0:0(0)\n"
		"+0.000300 s > S.  0:0(0) ack 1\n"
		"+0.000050 c > .   ack 1\n"
		"+0.000100 c > P.  1:79(78) ack 1\n"
		"+0.000300 s > P.  1:301(300) ack 79\n"
		"+0.000020 c > .   ack 301\n"
		"+0.010000 c > F.  79:79(0) ack 301\n"
		"+0.000200 s > F.  301:301(0) ack 80\n"
		"+0.000020 c > .   ack 302\n");
	assert_int_equal(r.nflows, 1);
	f = &r.flows[0];
	assert_int_equal(f->handshake, HS_COMPLETE);
	assert_int_equal(f->close, CLOSE_THREE_WAY);
	assert_int_equal(f->active_closer, CLOSER_CLIENT);
	assert_int_equal(C(f)->state, TCP_ST_TIME_WAIT);
	assert_int_equal(S(f)->state, TCP_ST_CLOSED);
	done(&r);

	/* a RST after the retried handshake is the close again */
	run(&r, "isn client 4000000000 server 1500000000\n"
		"0.000000  c > S   0:0(0)\n"
		"+0.000300 s > S.  0:0(0) ack 5\n"
		"+0.000050 c > R   5:5(0)\n"
		"+1.000000 c > S   0:0(0)\n"
		"+0.000300 s > S.  0:0(0) ack 1\n"
		"+0.000050 c > .   ack 1\n"
		"+0.100000 s > R.  1:1(0) ack 1\n");
	f = &r.flows[0];
	assert_int_equal(f->close, CLOSE_RESET);
	assert_int_equal(f->active_closer, CLOSER_SERVER);
	done(&r);
}

static void test_wrong_handshake_acks_not_complete(void **state)
{
	struct run r;
	const struct flow_record *f;

	(void)state;
	/* SYN-ACK acknowledging ISN instead of ISN + 1: the client resets
	 * the server and stays in SYN_SENT (RFC 9293 §3.10.7.3) */
	run(&r, "0.000 c > S  0:0(0)\n"
		"0.001 s > S. 0:0(0) ack 0\n"
		"0.002 c > R  abs 1000:1000(0)\n");
	f = &r.flows[0];
	assert_int_equal(f->handshake, HS_INCOMPLETE);
	assert_int_equal(f->close, CLOSE_NONE);
	assert_int_equal(C(f)->state, TCP_ST_SYN_SENT);
	assert_int_equal(S(f)->state, TCP_ST_CLOSED);
	done(&r);

	/* a stale ACK answers the SYN; the client resets it, and its SYN
	 * retransmitted 13 s later opens the connection: one flow */
	run(&r, "isn client 1000 server 9000\n"
		"0.000  c > S  0:0(0)\n"
		"0.020  s > .  abs 777:777(0) ack 424242\n"
		"0.021  c > R  abs 424242:424242(0)\n"
		"13.000 c > S  0:0(0)\n"
		"13.020 s > S. 0:0(0) ack 1\n"
		"13.021 c > .  ack 1\n");
	assert_int_equal(r.nflows, 1);
	f = &r.flows[0];
	assert_int_equal(f->handshake, HS_COMPLETE);
	assert_int_equal(f->syn_retransmits, 1);
	assert_int_equal(f->close, CLOSE_OPEN);
	done(&r);

	/* a third segment acknowledging the server's ISN, not ISN + 1 */
	run(&r, "0.000 c > S  0:0(0)\n"
		"0.001 s > S. 0:0(0) ack 1\n"
		"0.002 c > .  ack 0\n");
	f = &r.flows[0];
	assert_int_equal(f->handshake, HS_INCOMPLETE);
	assert_int_equal(S(f)->state, TCP_ST_SYN_RECEIVED);
	done(&r);
}

/* The SYN answered by a lone ACK of ISN + 1 (no SYN-ACK): dropped in
 * SYN_SENT (RFC 9293 §3.10.7.3), so the client is not ESTABLISHED while the
 * handshake is unanswered (audit fixture bareack.fix). */
static void test_bare_ack_answering_syn(void **state)
{
	struct run r;
	const struct flow_record *f;
	static const int ct[] = {1, TCP_ST_SYN_SENT, 0};

	(void)state;
	run(&r, "isn client 1000 server 5000\n"
		"0.000  c > S   0:0(0)\n"
		"0.010  s > .   abs 5000:5000(0) ack 1001\n");
	f = &r.flows[0];
	assert_int_equal(f->handshake, HS_UNANSWERED);
	assert_int_equal(f->close, CLOSE_NONE);
	assert_int_equal(C(f)->state, TCP_ST_SYN_SENT);
	assert_int_equal(S(f)->state, TCP_ST_CLOSED);
	check_timeline(C(f), ct);
	done(&r);
}

/* Split handshake (suricata-verify tcp-split-handshake-02-5whs): SYN, bare
 * ACK, the server's own SYN, the client's SYN-ACK, the server's ACK. The
 * client enters SYN_RECEIVED at the server's SYN and ESTABLISHED at the
 * ACK after its SYN-ACK, not at the bare ACK. */
static void test_split_handshake(void **state)
{
	struct run r;
	const struct flow_record *f;
	static const int ct[] = {1, TCP_ST_SYN_SENT,    3, TCP_ST_SYN_RECEIVED,
				 5, TCP_ST_ESTABLISHED, 0};
	static const int st[] = {3, TCP_ST_SYN_SENT,    3, TCP_ST_SYN_RECEIVED,
				 4, TCP_ST_ESTABLISHED, 0};

	(void)state;
	run(&r, "isn client 1000 server 3000\n"
		"0.000  c > S   0:0(0)\n"
		"0.001  s > .   abs 3000:3000(0) ack 1001\n"
		"0.002  s > S   0:0(0)\n"
		"0.003  c > S.  0:0(0) ack 1\n"
		"0.004  s > .   ack 1\n"
		"0.005  c > P.  1:5(4) ack 1\n"
		"0.006  s > .   ack 5\n");
	assert_int_equal(r.nflows, 1);
	f = &r.flows[0];
	assert_int_equal(f->handshake, HS_SIMULTANEOUS_OPEN);
	assert_int_equal(f->close, CLOSE_OPEN);
	check_timeline(C(f), ct);
	check_timeline(S(f), st);
	done(&r);
}

/* The third handshake segment was not captured and the client's first
 * captured ACK acknowledges server data the capture missed (audit fixture
 * hidden3rd.fix, as libpcap/AH-IPcomp-IPv6.pcap): the server is ESTABLISHED
 * there, not stuck in SYN_RECEIVED; the FINs cross (the server's does not
 * acknowledge the client's, and it acknowledges it afterwards): a
 * simultaneous close, and no premature_close. */
static void test_third_segment_not_captured(void **state)
{
	struct run r;
	const struct flow_record *f;
	static const int ct[] = {1, TCP_ST_SYN_SENT,   2, TCP_ST_ESTABLISHED,
				 4, TCP_ST_FIN_WAIT_1, 5, TCP_ST_CLOSING,
				 7, TCP_ST_TIME_WAIT,  0};
	static const int st[] = {1, TCP_ST_LISTEN,      2, TCP_ST_SYN_RECEIVED,
				 3, TCP_ST_ESTABLISHED, 5, TCP_ST_FIN_WAIT_1,
				 5, TCP_ST_CLOSING,     6, TCP_ST_TIME_WAIT,
				 0};

	(void)state;
	run(&r, "isn client 1000 server 5000\n"
		"0.000  c > S   0:0(0)\n"
		"0.010  s > S.  0:0(0) ack 1\n"
		"+0.01  c > .   1:1(0) ack 2857\n"
		"+0.01  c > F.  1:1(0) ack 4286\n"
		"+0.0001  s > F.  4285:4285(0) ack 1\n"
		"+0.01  c > .   ack 4286\n"
		"+0.01  s > .   ack 2\n");
	f = &r.flows[0];
	assert_int_equal(f->handshake, HS_COMPLETE);
	assert_int_equal(f->close, CLOSE_SIMULTANEOUS);
	assert_int_equal(f->active_closer, CLOSER_BOTH);
	check_timeline(C(f), ct);
	check_timeline(S(f), st);
	assert_int_equal(f->anomaly_counts[ANOM_PREMATURE_CLOSE], 0);
	assert_int_equal(f->anomaly_counts[ANOM_ACK_UNSEEN], 3);
	done(&r);
}

/* --- mid-stream, reset, half-close ---------------------------------------- */

static void test_mid_stream_pickup(void **state)
{
	struct run r;
	const struct flow_record *f;

	(void)state;
	/* the server (port 80) speaks first; the client is the high port */
	run(&r, "client 192.168.1.5:51234\nserver 192.168.1.1:80\n"
		"0.000 s > P. 1001:1201(200) ack 301\n"
		"0.010 c > .  ack 1201\n"
		"0.020 c > P. 301:401(100) ack 1201\n");
	f = &r.flows[0];
	assert_int_equal(f->handshake, HS_NOT_OBSERVED);
	assert_true(f->client_by_port);
	assert_int_equal(f->tuple.sport, 51234);
	assert_int_equal(f->tuple.dport, 80);
	assert_int_equal(f->close, CLOSE_OPEN);
	assert_int_equal(C(f)->state, TCP_ST_ESTABLISHED);
	assert_int_equal(S(f)->state, TCP_ST_ESTABLISHED);
	assert_int_equal(C(f)->states[0].state, TCP_ST_ESTABLISHED);
	assert_int_equal(C(f)->states[0].frame, 1);
	assert_false(C(f)->has_isn);
	assert_int_equal(S(f)->bytes, 200);
	assert_int_equal(C(f)->bytes, 100);
	done(&r);

	/* picked up during the close: FIN from an UNKNOWN endpoint */
	run(&r, "client 192.168.1.5:51234\nserver 192.168.1.1:80\n"
		"0.000 c > F. 301:301(0) ack 1001\n"
		"0.010 s > F. 1001:1001(0) ack 302\n"
		"0.020 c > .  ack 1002\n");
	f = &r.flows[0];
	assert_int_equal(f->handshake, HS_NOT_OBSERVED);
	assert_int_equal(f->close, CLOSE_THREE_WAY);
	assert_int_equal(f->active_closer, CLOSER_CLIENT);
	assert_int_equal(C(f)->states[0].state, TCP_ST_FIN_WAIT_1);
	assert_int_equal(S(f)->states[0].state, TCP_ST_CLOSE_WAIT);
	assert_int_equal(C(f)->state, TCP_ST_TIME_WAIT);
	assert_int_equal(S(f)->state, TCP_ST_CLOSED);
	done(&r);

	/* equal ports: the higher address is the client */
	run(&r, "client 10.0.0.9:7000\nserver 10.0.0.3:7000\n"
		"0.000 s > P. 1:11(10) ack 1\n");
	f = &r.flows[0];
	assert_true(f->client_by_port);
	assert_int_equal(f->tuple.src[3], 9);
	done(&r);
}

/* Only the client's side was captured (asymmetric routing, a one-way span
 * port): its ACK of the server's ISN + 1 proves a SYN-ACK it received. The
 * server LISTENed since the SYN and is ESTABLISHED at that ACK; the SYN was
 * answered (tcpdump/ipoib.pcap frames 9-23). */
static void test_one_direction_capture(void **state)
{
	struct run r;
	const struct flow_record *f;
	static const int ct[] = {1, TCP_ST_SYN_SENT,   2, TCP_ST_ESTABLISHED,
				 4, TCP_ST_FIN_WAIT_1, 0};
	static const int st[] = {1, TCP_ST_LISTEN,     2, TCP_ST_ESTABLISHED,
				 4, TCP_ST_CLOSE_WAIT, 0};

	(void)state;
	run(&r, "client 10.0.0.1:40000\nserver 10.0.0.2:22\n"
		"isn client 1000 server 5000\n"
		"0.000 c > S  0:0(0) win 64240\n"
		"0.001 c > .  ack 1\n"
		"0.002 c > P. 1:27(26) ack 1\n"
		"0.100 c > F. 27:27(0) ack 23\n");
	f = &r.flows[0];
	assert_int_equal(r.nflows, 1);
	assert_int_equal(f->handshake, HS_COMPLETE);
	assert_int_equal(f->anomaly_counts[ANOM_SYN_UNANSWERED], 0);
	assert_int_equal(f->close, CLOSE_HALF_CLOSED);
	assert_int_equal(f->active_closer, CLOSER_CLIENT);
	check_timeline(C(f), ct);
	check_timeline(S(f), st);
	assert_true(S(f)->has_isn);
	assert_int_equal(S(f)->isn, 5000);
	done(&r);
}

static void test_reset_from_established(void **state)
{
	struct run r;
	const struct flow_record *f;

	(void)state;
	run(&r, HANDSHAKE "0.100 c > P. 1:101(100) ack 1\n"
			  "0.200 s > R. 1:1(0) ack 101\n");
	f = &r.flows[0];
	assert_int_equal(f->handshake, HS_COMPLETE);
	assert_int_equal(f->close, CLOSE_RESET);
	assert_int_equal(f->active_closer, CLOSER_SERVER);
	assert_int_equal(C(f)->state, TCP_ST_CLOSED);
	assert_int_equal(S(f)->state, TCP_ST_CLOSED);
	done(&r);
}

static void test_rst_during_close(void **state)
{
	struct run r;
	const struct flow_record *f;

	(void)state;
	run(&r, HANDSHAKE "0.100 c > F. 1:1(0) ack 1\n"
			  "0.110 s > .  ack 2\n"
			  "0.200 s > R. 1:1(0) ack 2\n");
	f = &r.flows[0];
	assert_int_equal(f->close, CLOSE_RESET);
	assert_int_equal(f->active_closer, CLOSER_CLIENT);
	assert_int_equal(C(f)->state, TCP_ST_CLOSED);
	assert_int_equal(S(f)->state, TCP_ST_CLOSED);
	assert_int_equal(C(f)->fin_wait_2_ns, 90 * MS);
	assert_int_equal(S(f)->close_wait_ns, 100 * MS);
	done(&r);
}

static void test_half_closed_at_end(void **state)
{
	struct run r;
	const struct flow_record *f;

	(void)state;
	run(&r, HANDSHAKE "0.100 c > F. 1:1(0) ack 1\n"
			  "0.110 s > .  ack 2\n"
			  "0.200 s > P. 1:1001(1000) ack 2\n"
			  "0.210 c > .  ack 1001\n"
			  "4.110 s > P. 1001:2001(1000) ack 2\n");
	f = &r.flows[0];
	assert_int_equal(f->close, CLOSE_HALF_CLOSED);
	assert_int_equal(f->active_closer, CLOSER_CLIENT);
	assert_int_equal(C(f)->state, TCP_ST_FIN_WAIT_2);
	assert_int_equal(S(f)->state, TCP_ST_CLOSE_WAIT);
	/* timed to the end of the capture */
	assert_int_equal(S(f)->close_wait_ns, 4010 * MS);
	assert_int_equal(C(f)->fin_wait_2_ns, 4000 * MS);
	assert_int_equal(S(f)->bytes, 2000);
	done(&r);
}

static void test_half_close_with_data_then_close(void **state)
{
	struct run r;
	const struct flow_record *f;

	(void)state;
	run(&r, HANDSHAKE "0.100 c > P. 1:11(10) ack 1\n"
			  "0.101 c > F. 11:11(0) ack 1\n"
			  "0.110 s > .  ack 12\n"
			  "0.200 s > P. 1:5001(5000) ack 12\n"
			  "0.210 c > .  ack 5001\n"
			  "0.300 s > P. 5001:9001(4000) ack 12\n"
			  "0.310 c > .  ack 9001\n"
			  "0.400 s > F. 9001:9001(0) ack 12\n"
			  "0.410 c > .  ack 9002\n");
	f = &r.flows[0];
	assert_int_equal(f->close, CLOSE_FOUR_WAY);
	assert_int_equal(f->active_closer, CLOSER_CLIENT);
	assert_int_equal(C(f)->state, TCP_ST_TIME_WAIT);
	assert_int_equal(S(f)->state, TCP_ST_CLOSED);
	assert_int_equal(S(f)->bytes, 9000);
	assert_int_equal(C(f)->bytes, 10);
	assert_int_equal(C(f)->fin_wait_2_ns, 290 * MS);
	done(&r);
}

static void test_fin_carrying_data(void **state)
{
	struct run r;
	const struct flow_record *f;

	(void)state;
	run(&r, HANDSHAKE "0.100 c > FP. 1:201(200) ack 1\n"
			  "0.110 s > .   ack 201\n" /* the data, not the FIN */
			  "0.120 s > .   ack 202\n"
			  "0.200 s > F.  1:1(0) ack 202\n"
			  "0.210 c > .   ack 2\n");
	f = &r.flows[0];
	assert_int_equal(f->close, CLOSE_FOUR_WAY);
	assert_int_equal(C(f)->bytes, 200);
	assert_int_equal(C(f)->state, TCP_ST_TIME_WAIT);
	assert_int_equal(S(f)->state, TCP_ST_CLOSED);
	/* FIN_WAIT_2 only from frame 6, the ACK of the FIN */
	assert_int_equal(C(f)->states[3].state, TCP_ST_FIN_WAIT_2);
	assert_int_equal(C(f)->states[3].frame, 6);
	assert_int_equal(C(f)->fin_wait_2_ns, 80 * MS);
	done(&r);
}

static void test_retransmitted_fin_stays_in_flow(void **state)
{
	struct run r;
	const struct flow_record *f;
	static const int st[] = {1, TCP_ST_LISTEN,      2, TCP_ST_SYN_RECEIVED,
				 3, TCP_ST_ESTABLISHED, 4, TCP_ST_CLOSE_WAIT,
				 6, TCP_ST_LAST_ACK,    9, TCP_ST_CLOSED,
				 0};

	(void)state;
	/* the client's last ACK (frame 7) is lost beyond the capture point:
	 * the server sends its FIN again 200 ms later, within the grace */
	run(&r, HANDSHAKE "0.100 c > F. 1:1(0) ack 1\n"
			  "0.110 s > .  ack 2\n"
			  "0.120 s > F. 1:1(0) ack 2\n"
			  "0.130 c > .  ack 2\n"
			  "0.330 s > F. 1:1(0) ack 2\n"
			  "0.331 c > .  ack 2\n");
	assert_int_equal(r.nflows, 1);
	f = &r.flows[0];
	assert_int_equal(f->packets, 9);
	assert_int_equal(f->close, CLOSE_FOUR_WAY);
	assert_int_equal(C(f)->state, TCP_ST_TIME_WAIT);
	assert_int_equal(S(f)->state, TCP_ST_CLOSED);
	check_timeline(S(f), st);
	assert_int_equal(S(f)->last_ack_ns, 211 * MS);
	done(&r);
}

static void test_wraparound_in_close(void **state)
{
	struct run r;
	const struct flow_record *f;

	(void)state;
	/* the client's sequence numbers wrap in the middle of the close:
	 * data ends at 2^32 - 1, the FIN takes 0, the ACK of the FIN is 1 */
	run(&r, "isn client 4294967195 server 2147483600\n"
		"0.000 c > S  0:0(0)\n"
		"0.001 s > S. 0:0(0) ack 1\n"
		"0.002 c > .  ack 1\n"
		"0.100 c > P. 1:101(100) ack 1\n"
		"0.101 c > F. 101:101(0) ack 1\n"
		"0.110 s > .  ack 101\n"
		"0.111 s > .  ack 102\n"
		"0.120 s > P. 1:101(100) ack 102\n"
		"0.200 s > F. 101:101(0) ack 102\n"
		"0.210 c > .  ack 102\n");
	f = &r.flows[0];
	assert_int_equal(f->handshake, HS_COMPLETE);
	assert_int_equal(f->close, CLOSE_FOUR_WAY);
	assert_int_equal(C(f)->state, TCP_ST_TIME_WAIT);
	assert_int_equal(S(f)->state, TCP_ST_CLOSED);
	assert_int_equal(C(f)->bytes, 100);
	assert_int_equal(S(f)->bytes, 100);
	/* FIN_WAIT_2 at frame 7 (ack 0x00000001), not at frame 6 */
	assert_int_equal(C(f)->states[3].frame, 7);
	assert_int_equal(C(f)->states[3].state, TCP_ST_FIN_WAIT_2);
	assert_int_equal(C(f)->fin_wait_2_ns, 89 * MS);
	done(&r);
}

/* --- flows over time ------------------------------------------------------ */

static void test_port_reuse_after_close(void **state)
{
	struct run r;

	(void)state;
	run(&r, HANDSHAKE "0.100 c > F. 1:1(0) ack 1\n"
			  "0.101 s > F. 1:1(0) ack 2\n"
			  "0.102 c > .  ack 2\n"
			  "isn client 900000 server 700000\n"
			  "0.500 c > S  0:0(0)\n"
			  "0.501 s > S. 0:0(0) ack 1\n"
			  "0.502 c > .  ack 1\n"
			  "0.600 c > R. 1:1(0) ack 1\n");
	assert_int_equal(r.nflows, 2);
	/* the new SYN ended the old flow at once */
	assert_int_equal(r.flows[0].id, 0);
	assert_int_equal(r.done_at_frame[0], 7);
	assert_int_equal(r.flows[0].close, CLOSE_THREE_WAY);
	assert_int_equal(r.flows[0].last_frame, 6);
	assert_int_equal(r.flows[1].id, 1);
	assert_int_equal(r.flows[1].first_frame, 7);
	assert_int_equal(r.flows[1].handshake, HS_COMPLETE);
	assert_int_equal(r.flows[1].close, CLOSE_RESET);
	assert_int_equal(r.flows[1].ep[ROLE_CLIENT].isn, 900000);
	done(&r);
}

static void test_new_isn_new_attempt(void **state)
{
	struct run r;

	(void)state;
	/* three attempts, each with its own ISN, none answered */
	run(&r, "isn client 1000\n"
		"0.000 c > S 0:0(0)\n"
		"0.001 c > S 0:0(0)\n"
		"isn client 2000\n"
		"0.200 c > S 0:0(0)\n"
		"isn client 1000\n"
		"0.400 c > S 0:0(0)\n");
	assert_int_equal(r.nflows, 3);
	assert_int_equal(r.flows[0].syn_retransmits, 1);
	assert_int_equal(r.flows[1].ep[ROLE_CLIENT].isn, 2000);
	assert_int_equal(r.flows[2].ep[ROLE_CLIENT].isn, 1000);
	for (int i = 0; i < 3; i++)
		assert_int_equal(r.flows[i].handshake, HS_UNANSWERED);
	done(&r);

	/* a SYN with a new ISN inside an established connection stays in it
	 * (half-open: challenge ACK, RST); the retry then opens a new flow */
	run(&r, HANDSHAKE "0.100 c > P. 1:11(10) ack 1\n"
			  "isn client 90000\n"
			  "5.000 c > S 0:0(0)\n"
			  "5.001 s > .  abs 5001:5001(0) ack 1011\n"
			  "5.002 c > R  abs 1011:1011(0)\n"
			  "6.000 c > S 0:0(0)\n"
			  "6.001 s > S. abs 33333:33333(0) ack 90001\n");
	assert_int_equal(r.nflows, 2);
	assert_int_equal(r.flows[0].packets, 7);
	assert_int_equal(r.flows[0].close, CLOSE_RESET);
	assert_int_equal(r.flows[1].first_frame, 8);
	assert_int_equal(r.flows[1].handshake, HS_INCOMPLETE);
	done(&r);
}

static void test_reuse_carries_previous_time_wait(void **state)
{
	struct run r;
	struct analyzer_config cfg;
	const struct flow_record *nf;
	const struct anomaly *tw = NULL;

	(void)state;
	/* The previous connection is reported after the grace (2 s); its
	 * tombstone still tells the new flow on the 4-tuple when TIME_WAIT
	 * began and on which side, for the time_wait_reuse rule, which says
	 * all three: the old flow's id, the time since its TIME_WAIT began
	 * and whose TIME_WAIT it was. */
	analyzer_config_defaults(&cfg);
	cfg.max_flows = 16;
	run_cfg(&r,
		HANDSHAKE "0.100 c > F. 1:1(0) ack 1\n"
			  "0.101 s > F. 1:1(0) ack 2\n"
			  "0.102 c > .  ack 2\n"
			  "isn client 900000 server 700000\n"
			  "10.0 c > S  0:0(0)\n",
		&cfg, true);
	assert_int_equal(r.nflows, 1);
	assert_int_equal(r.done_at_frame[0], 7); /* by the grace, at frame 7 */
	analyzer_watch_flow(r.az, 1);
	r.nsegments = 0;
	{
		static const char more[] =
			"client 10.0.0.1:40000\nserver 10.0.0.2:80\n"
			"isn client 900000 server 700000\n"
			"10.001 s > S. 0:0(0) ack 1\n";
		char err[128];

		r.seen = NULL;
		if (fixture_compile(more, emit, &r, &r.dlt, err, sizeof(err)) !=
		    0)
			fail_msg("fixture: %s", err);
	}
	assert_non_null(r.seen);
	assert_int_equal(r.seen->id, 1); /* the hook sees the new flow */
	analyzer_finish(r.az);
	assert_int_equal(r.nflows, 2);
	nf = &r.flows[1];
	assert_int_equal(nf->handshake, HS_INCOMPLETE);
	assert_int_equal(nf->anomaly_counts[ANOM_TIME_WAIT_REUSE], 1);
	for (int i = 0; i < nf->nanomalies; i++)
		if (nf->anomalies[i].type == ANOM_TIME_WAIT_REUSE)
			tw = &nf->anomalies[i];
	assert_non_null(tw);
	assert_int_equal(tw->value, 0); /* the previous flow's id */
	assert_int_equal(tw->duration_ns, 10 * NS_PER_SEC - 101 * MS);
	assert_int_equal(tw->cause, CAUSE_TIME_WAIT_CLIENT);
	done(&r);

	/* a first connection has no previous one */
	run_cfg(&r, HANDSHAKE, NULL, false);
	assert_int_equal(r.nflows, 1);
	assert_int_equal(r.flows[0].anomaly_counts[ANOM_TIME_WAIT_REUSE], 0);
	done(&r);
}

static void test_grace_and_idle_timeouts(void **state)
{
	struct run r;
	struct analyzer_config cfg;

	(void)state;
	analyzer_config_defaults(&cfg);
	cfg.max_flows = 16;
	cfg.idle_timeout_ns = 5 * NS_PER_SEC;
	run_cfg(&r,
		"flow a client 10.0.0.1:1000 server 10.0.0.2:80\n"
		"flow b client 10.0.0.1:1001 server 10.0.0.2:80\n"
		"0.000 a c > S 0:0(0)\n"
		"0.001 a s > R. 0:0(0) ack 1\n"   /* finished at 0.001 */
		"0.002 b c > P. 1:11(10) ack 1\n" /* open, then idle */
		"1.000 a c > S 0:0(0)\n"          /* retransmitted: same flow */
		"3.100 b c > P. 11:21(10) ack 1\n"  /* a goes out here */
		"9.000 b c > P. 21:31(10) ack 1\n", /* b was idle 5.9 s */
		&cfg, true);
	assert_int_equal(r.nflows, 2);
	assert_int_equal(r.flows[0].id, 0);
	assert_int_equal(r.flows[0].handshake, HS_REJECTED);
	assert_int_equal(r.flows[0].syn_retransmits, 1);
	assert_int_equal(r.done_at_frame[0], 5);
	assert_int_equal(r.flows[1].id, 1);
	assert_int_equal(r.flows[1].packets, 2);
	assert_int_equal(r.done_at_frame[1], 6);
	analyzer_finish(r.az);
	assert_int_equal(r.nflows, 3);
	assert_int_equal(r.flows[2].id, 2); /* b again, a new flow */
	assert_int_equal(r.flows[2].packets, 1);
	done(&r);
}

static void test_tick_reports_without_packets(void **state)
{
	struct run r;
	struct analyzer_stats st;

	(void)state;
	run_cfg(&r, HANDSHAKE "0.100 c > R. 1:1(0) ack 1\n", NULL, true);
	assert_int_equal(r.nflows, 0);
	analyzer_tick(r.az, BASE_NS + 1 * NS_PER_SEC);
	assert_int_equal(r.nflows, 0);
	analyzer_tick(r.az, BASE_NS + 3 * NS_PER_SEC);
	assert_int_equal(r.nflows, 1);
	assert_int_equal(r.flows[0].close, CLOSE_RESET);
	analyzer_get_stats(r.az, &st);
	assert_int_equal(st.active, 0);
	assert_int_equal(st.flows, 1);
	done(&r);
}

static void test_eviction_when_full(void **state)
{
	struct run r;
	struct analyzer_config cfg;
	struct analyzer_stats st;

	(void)state;
	analyzer_config_defaults(&cfg);
	cfg.max_flows = 2;
	run_cfg(&r,
		"flow x client 10.0.0.1:1000 server 10.0.0.2:80\n"
		"flow y client 10.0.0.1:1001 server 10.0.0.2:80\n"
		"flow z client 10.0.0.1:1002 server 10.0.0.2:80\n"
		"0.000 x c > S 0:0(0)\n"
		"0.001 y c > S 0:0(0)\n"
		"0.002 x c > S 0:0(0)\n"  /* x is now the more recent */
		"0.003 z c > S 0:0(0)\n", /* evicts y */
		&cfg, false);
	assert_int_equal(r.nflows, 3);
	assert_int_equal(r.flows[0].id, 1);
	assert_true(r.flows[0].evicted);
	assert_int_equal(r.done_at_frame[0], 4);
	assert_false(r.flows[1].evicted);
	assert_int_equal(r.flows[1].id, 0); /* then in id order at the end */
	assert_int_equal(r.flows[2].id, 2);
	analyzer_get_stats(r.az, &st);
	assert_int_equal(st.evictions, 1);
	assert_int_equal(st.flows, 3);
	assert_int_equal(st.active, 0);
	done(&r);
}

static void test_ipv6_flow(void **state)
{
	struct run r;
	const struct flow_record *f;

	(void)state;
	run(&r, "client [2001:db8::1]:40000\nserver [2001:db8::2]:443\n"
		"0.000 c > S  0:0(0)\n"
		"0.001 s > S. 0:0(0) ack 1\n"
		"0.002 c > .  ack 1\n"
		"0.100 s > F. 1:1(0) ack 1\n"
		"0.101 c > F. 1:1(0) ack 2\n"
		"0.102 s > .  ack 2\n");
	assert_int_equal(r.nflows, 1);
	f = &r.flows[0];
	assert_int_equal(f->tuple.ip_version, 6);
	assert_int_equal(f->tuple.src[15], 1);
	assert_int_equal(f->tuple.dport, 443);
	assert_int_equal(f->close, CLOSE_THREE_WAY);
	assert_int_equal(f->active_closer, CLOSER_SERVER);
	done(&r);
}

static void test_segment_events_of_watched_flow(void **state)
{
	struct run r;

	(void)state;
	run(&r,
	    "flow m client 10.0.0.1:40000 server 10.0.0.2:80\n"
	    "flow other client 10.0.0.7:1 server 10.0.0.2:80\n"
	    "0.000 m c > S  0:0(0) <mss 1460,sackOK,nop,wscale 7>\n"
	    "0.010 m s > S. 0:0(0) ack 1 win 65160 <mss 1460,nop,wscale 7>\n"
	    "0.011 m c > .  ack 1 win 502\n"
	    "0.050 other c > S 0:0(0)\n"
	    "0.100 m c > F. 1:1(0) ack 1\n");
	/* flow 0 is watched; flow 1's SYN is not reported */
	assert_int_equal(r.nsegments, 4);
	assert_int_equal(r.seg[0].frame, 1);
	assert_int_equal(r.seg[0].from, ROLE_CLIENT);
	assert_int_equal(r.seg[0].flags, TCP_SYN);
	assert_int_equal(r.seg[0].state_after[ROLE_CLIENT], TCP_ST_SYN_SENT);
	assert_true(r.seg[0].changed[ROLE_CLIENT]);
	assert_false(r.seg[0].changed[ROLE_SERVER]);
	assert_int_equal(r.seg[1].from, ROLE_SERVER);
	assert_int_equal(r.seg[1].window,
			 65160); /* SYN windows are not scaled */
	assert_int_equal(r.seg[2].window, 502 << 7);
	assert_int_equal(r.seg[3].frame, 5);
	assert_int_equal(r.seg[3].state_after[ROLE_CLIENT], TCP_ST_FIN_WAIT_1);
	assert_int_equal(r.seg[3].state_after[ROLE_SERVER], TCP_ST_CLOSE_WAIT);
	done(&r);
}

static void test_report_anomaly(void **state)
{
	struct analyzer_config cfg;
	struct flow_cold_pools pools;
	struct chunk_pool_stats ps;
	struct rules_env env;
	struct flow f;
	struct anomaly a;
	uint32_t n = 0;

	(void)state;
	analyzer_config_defaults(&cfg);
	flow_cold_pools_init(&pools);
	memset(&env, 0, sizeof(env));
	env.cfg = &cfg;
	env.cold = &pools;
	env.drops = 5;
	memset(&f, 0, sizeof(f));
	f.drops_at_start = 2;
	f.ep[ROLE_CLIENT].state = TCP_ST_CLOSE_WAIT;
	f.ep[ROLE_SERVER].state = TCP_ST_FIN_WAIT_2;
	memset(&a, 0, sizeof(a));
	a.type = ANOM_LINGERING_CLOSE_WAIT;
	a.frame = 7;
	rules_env_begin(&env, &f);
	for (int i = 0; i < FLOW_MAX_ANOMALIES + 3; i++)
		rules_record(&env, &f, &a);
	/* every one is listed for the sink, stored ones first */
	for (const struct anomaly *x; (x = rules_env_found(&env, n)) != NULL;
	     n++) {
		assert_int_equal(x->type, ANOM_LINGERING_CLOSE_WAIT);
		assert_true(x->drops_during);
	}
	assert_int_equal(n, FLOW_MAX_ANOMALIES + 3);
	assert_non_null(f.anomalies);
	assert_ptr_equal(rules_env_found(&env, 0), &f.anomalies->a[0]);
	assert_int_equal(f.anomalies->n, FLOW_MAX_ANOMALIES);
	assert_int_equal(f.anomalies->dropped, 3);
	assert_int_equal(f.anomalies->counts[ANOM_LINGERING_CLOSE_WAIT],
			 FLOW_MAX_ANOMALIES + 3);
	assert_int_equal(flow_anomaly_count(&f, ANOM_LINGERING_CLOSE_WAIT),
			 FLOW_MAX_ANOMALIES + 3);
	assert_int_equal(f.anomalies->a[0].state[ROLE_CLIENT],
			 TCP_ST_CLOSE_WAIT);
	assert_int_equal(f.anomalies->a[0].state[ROLE_SERVER],
			 TCP_ST_FIN_WAIT_2);
	/* a new call lists only its own */
	rules_env_begin(&env, &f);
	assert_null(rules_env_found(&env, 0));
	/* the store grew twice (room for 2, 8, then all), each time giving
	 * the smaller chunk back; releasing the flow gives the last back */
	flow_cold_pools_stats(&pools, &ps);
	assert_int_equal(ps.gets, 3);
	assert_int_equal(ps.in_use, 1);
	flow_cold_release(&pools, &f);
	assert_null(f.anomalies);
	flow_cold_pools_stats(&pools, &ps);
	assert_int_equal(ps.in_use, 0);
	flow_cold_pools_fini(&pools);
}

static void test_config_defaults_and_errors(void **state)
{
	struct analyzer_config cfg;
	char err[128] = "";

	(void)state;
	analyzer_config_defaults(&cfg);
	assert_int_equal(cfg.ack_timeout_ns, NS_PER_SEC);
	assert_int_equal(cfg.close_wait_timeout_ns, 5 * NS_PER_SEC);
	assert_int_equal(cfg.msl_ns, 30 * NS_PER_SEC);
	assert_int_equal(cfg.idle_timeout_ns, 0);
	assert_int_equal(cfg.close_grace_ns, 2 * NS_PER_SEC);
	assert_int_equal(cfg.keepalive_burst, 3);
	assert_int_equal(cfg.max_flows, 262144);
	cfg.max_flows = 0;
	assert_null(analyzer_new(&cfg, NULL, err, sizeof(err)));
	assert_true(strlen(err) > 0);
	analyzer_free(NULL);
}

static void test_inputs_are_separate_captures(void **state)
{
	struct run r;

	(void)state;
	run_cfg(&r, HANDSHAKE, NULL, true);
	assert_int_equal(r.nflows, 0);
	analyzer_begin_input(r.az, 1);
	assert_int_equal(r.nflows, 1);
	assert_int_equal(r.flows[0].input, 0);
	assert_int_equal(r.flows[0].handshake, HS_COMPLETE);
	done(&r);
}

/* Random segments on a few 4-tuples: nothing crashes, records stay sane. */
static void test_random_segments(void **state)
{
	struct run r;
	struct analyzer_config cfg;
	struct analyzer_stats st;
	uint64_t x = 0x9e3779b97f4a7c15ull;
	static const uint16_t flagset[] = {TCP_SYN,
					   TCP_SYN | TCP_ACK,
					   TCP_ACK,
					   TCP_ACK | TCP_PSH,
					   TCP_FIN | TCP_ACK,
					   TCP_RST,
					   TCP_RST | TCP_ACK,
					   0,
					   TCP_SYN | TCP_FIN | TCP_RST |
						   TCP_ACK};
	uint32_t base[4] = {1000, 5000, 0xfffffff0u, 0x7ffffff0u};

	(void)state;
	analyzer_config_defaults(&cfg);
	cfg.max_flows = 3;
	cfg.idle_timeout_ns = 50 * MS;
	run_cfg(&r, "", &cfg, true);
	for (int i = 0; i < 200000; i++) {
		struct pkt_view v;
		int who;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memset(&v, 0, sizeof(v));
		v.tuple.ip_version = (x & 1) ? 4 : 6;
		who = (int)((x >> 1) & 1);
		v.tuple.src[0] = (uint8_t)(10 + who);
		v.tuple.dst[0] = (uint8_t)(11 - who);
		v.tuple.sport = (uint16_t)(who ? 80 : 40000 + ((x >> 2) & 3));
		v.tuple.dport = (uint16_t)(who ? 40000 + ((x >> 2) & 3) : 80);
		v.flags = flagset[(x >> 4) % 9];
		v.seq = base[(x >> 8) & 3] + (uint32_t)((x >> 10) & 0xfff);
		v.ack = base[(x >> 22) & 3] + (uint32_t)((x >> 24) & 0xfff);
		v.payload_bytes =
			(x >> 40) & 1 ? (uint32_t)((x >> 41) & 0x7ff) : 0;
		v.window = (uint16_t)(x >> 48);
		v.opt.has_wscale = (x >> 60) & 1;
		v.opt.wscale = (uint8_t)((x >> 56) & 0xf);
		r.nflows = 0; /* keep the buffer from filling */
		analyzer_packet(r.az, &v, (uint64_t)i + 1,
				BASE_NS + (int64_t)i * MS / 4);
		for (int k = 0; k < r.nflows; k++) {
			const struct flow_record *f = &r.flows[k];

			assert_true(f->handshake < HANDSHAKE_VERDICT_COUNT);
			assert_true(f->close < CLOSE_VERDICT_COUNT);
			assert_true(f->ep[0].state < TCP_STATE_COUNT);
			assert_true(f->ep[1].nstates <= FLOW_MAX_STATES);
			assert_true(f->first_frame <= f->last_frame);
		}
	}
	r.nflows = 0;
	analyzer_get_stats(r.az, &st);
	assert_true(st.active <= 3);
	assert_true(st.flows > 10);
	analyzer_finish(r.az);
	assert_int_equal(r.nflows, (int)st.active);
	done(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_four_way_client_closes),
		cmocka_unit_test(test_four_way_server_closes),
		cmocka_unit_test(test_three_way_close),
		cmocka_unit_test(test_simultaneous_close),
		cmocka_unit_test(test_lost_fin_crossed_by_peer_fin),
		cmocka_unit_test(test_simultaneous_open),
		cmocka_unit_test(test_rejected),
		cmocka_unit_test(test_unanswered_with_retransmissions),
		cmocka_unit_test(test_incomplete_synack_retransmitted),
		cmocka_unit_test(test_rst_of_failed_attempt_is_not_the_close),
		cmocka_unit_test(test_wrong_handshake_acks_not_complete),
		cmocka_unit_test(test_bare_ack_answering_syn),
		cmocka_unit_test(test_split_handshake),
		cmocka_unit_test(test_third_segment_not_captured),
		cmocka_unit_test(test_mid_stream_pickup),
		cmocka_unit_test(test_reset_from_established),
		cmocka_unit_test(test_rst_during_close),
		cmocka_unit_test(test_half_closed_at_end),
		cmocka_unit_test(test_half_close_with_data_then_close),
		cmocka_unit_test(test_fin_carrying_data),
		cmocka_unit_test(test_retransmitted_fin_stays_in_flow),
		cmocka_unit_test(test_wraparound_in_close),
		cmocka_unit_test(test_port_reuse_after_close),
		cmocka_unit_test(test_new_isn_new_attempt),
		cmocka_unit_test(test_reuse_carries_previous_time_wait),
		cmocka_unit_test(test_grace_and_idle_timeouts),
		cmocka_unit_test(test_tick_reports_without_packets),
		cmocka_unit_test(test_eviction_when_full),
		cmocka_unit_test(test_ipv6_flow),
		cmocka_unit_test(test_segment_events_of_watched_flow),
		cmocka_unit_test(test_report_anomaly),
		cmocka_unit_test(test_config_defaults_and_errors),
		cmocka_unit_test(test_inputs_are_separate_captures),
		cmocka_unit_test(test_one_direction_capture),
		cmocka_unit_test(test_random_segments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
