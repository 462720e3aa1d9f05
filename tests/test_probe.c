/*
 * test_probe.c - the active endpoint and its scenarios on the dry-run
 * device (analyzer/probe/netdev_pcap.c): no root, no network, virtual time.
 *
 * Each test scripts the peer in packetdrill notation, numbers relative to
 * both ISNs (our ISN 1000, the peer's 5000), times in ms of virtual clock:
 *   `+1 < S. 0:0(0) ack 1` = {1, SYN|ACK, seq 0, ack 1}
 * runs one scenario, then asserts what the endpoint sent (the device keeps
 * it), the states the endpoint went through (from tcp_fsm_step, the
 * analyzer's own machine), the facts with their frames, and the verdict.
 * Connection: 127.0.0.1:40000 -> 127.0.0.1:8080.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "analyzer/analyzer.h"
#include "analyzer/ingest.h"
#include "analyzer/probe/endpoint.h"
#include "analyzer/probe/netdev.h"
#include "analyzer/probe/probe.h"
#include "formats/wire/build.h"
#include "formats/wire/capture.h"
#include "formats/wire/decode.h"
#include "formats/wire/pcap_out.h"

#define OUR_ISN 1000u
#define PEER_ISN 5000u
#define MS 1000000LL

struct fx {
	struct netdev *dev;
	struct endpoint *ep;
	struct probe_result res;
	char path[64]; /* scratch pcap, "" if none */
};

static void fx_open_ip(struct fx *f, const struct netdev_pcap_pkt *script,
		       unsigned n, bool with_file, uint8_t ipv)
{
	struct netdev_pcap_config dc;
	struct endpoint_config ec;
	char err[256] = "";

	memset(&dc, 0, sizeof(dc));
	dc.tuple.ip_version = ipv;
	if (ipv == 4) {
		dc.tuple.src[0] = 127, dc.tuple.src[3] = 1;
		dc.tuple.dst[0] = 127, dc.tuple.dst[3] = 1;
	} else {
		dc.tuple.src[15] = 1; /* ::1 */
		dc.tuple.dst[15] = 1;
	}
	dc.tuple.sport = 40000;
	dc.tuple.dport = 8080;
	dc.peer_isn = PEER_ISN;
	dc.script = script;
	dc.nscript = n;
	f->path[0] = '\0';
	if (with_file) {
		int fd;

		snprintf(f->path, sizeof(f->path), "/tmp/test_probe.XXXXXX");
		fd = mkstemp(f->path);
		assert_true(fd >= 0);
		close(fd);
		dc.path = f->path;
	}
	f->dev = netdev_pcap_open(&dc, err, sizeof(err));
	assert_non_null(f->dev);
	memset(&ec, 0, sizeof(ec));
	ec.tuple = dc.tuple;
	ec.isn = OUR_ISN;
	ec.isn_set = true;
	f->ep = endpoint_new(&ec, f->dev);
	assert_non_null(f->ep);
}

static void fx_open(struct fx *f, const struct netdev_pcap_pkt *script,
		    unsigned n, bool with_file)
{
	fx_open_ip(f, script, n, with_file, 4);
}

static void fx_close(struct fx *f)
{
	endpoint_free(f->ep);
	netdev_close(f->dev);
	if (f->path[0])
		unlink(f->path);
}

static const struct netdev_pcap_sent *sent(struct fx *f, unsigned *n)
{
	return netdev_pcap_sent(f->dev, n);
}

/* The states the endpoint entered, in order, with their frames. */
static void assert_states(struct fx *f, const uint8_t *want,
			  const uint64_t *frames, unsigned n)
{
	unsigned i, got;
	const struct endpoint_change *c = endpoint_changes(f->ep, &got);

	assert_int_equal(got, n);
	for (i = 0; i < n; i++) {
		assert_string_equal(tcp_state_name(c[i].to),
				    tcp_state_name(want[i]));
		if (frames)
			assert_int_equal(c[i].frame, frames[i]);
	}
}

static const struct probe_fact *fact(struct fx *f, enum probe_fact_id id)
{
	return &f->res.facts[id];
}

static void run(struct fx *f, enum probe_scenario sc,
		const struct probe_options *o)
{
	struct probe_options def;

	memset(&def, 0, sizeof(def));
	if (!o)
		o = &def;
	assert_int_equal(probe_run(sc, f->ep, o, &f->res), 0);
}

/* --- endpoint basics ----------------------------------------------------- */

/* < S. 0:0(0) ack 1 at +1 ms; the endpoint answers with the ACK. */
static void test_connect(void **state)
{
	static const struct netdev_pcap_pkt script[] = {
		{1, TCP_SYN | TCP_ACK, 0, 1, 0, 0},
	};
	struct fx f;
	unsigned n;
	const struct netdev_pcap_sent *s;
	static const uint8_t st[] = {TCP_ST_SYN_SENT, TCP_ST_ESTABLISHED};
	static const uint64_t fr[] = {1, 2};

	(void)state;
	fx_open(&f, script, 1, false);
	assert_int_equal(endpoint_connect(f.ep, endpoint_now(f.ep) + 5000 * MS),
			 EP_OK);
	s = sent(&f, &n);
	assert_int_equal(n, 2);
	/* > S 0:0(0) */
	assert_int_equal(s[0].flags, TCP_SYN);
	assert_int_equal(s[0].seq, 0);
	/* > . 1:1(0) ack 1 */
	assert_int_equal(s[1].flags, TCP_ACK);
	assert_int_equal(s[1].seq, 1);
	assert_int_equal(s[1].ack, 1);
	assert_states(&f, st, fr, 2);
	assert_int_equal(endpoint_fsm(f.ep)->isn, OUR_ISN);
	assert_int_equal(endpoint_fsm(f.ep)->peer_isn, PEER_ISN);
	fx_close(&f);
}

/* No answer: SYN at 0, RTO 1 s then 2 s: SYNs at 0, 1000, 3000 ms, then
 * the 5 s deadline passes (the next would be at 7000). */
static void test_connect_syn_backoff(void **state)
{
	struct fx f;
	unsigned n, i;
	const struct netdev_pcap_sent *s;
	int64_t t0;

	(void)state;
	fx_open(&f, NULL, 0, false);
	t0 = endpoint_now(f.ep);
	assert_int_equal(endpoint_connect(f.ep, t0 + 5000 * MS), EP_TIMEOUT);
	s = sent(&f, &n);
	assert_int_equal(n, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(s[i].flags, TCP_SYN);
		assert_int_equal(s[i].seq, 0);
	}
	assert_int_equal(s[1].ts_ns - t0, 1000 * MS);
	assert_int_equal(s[2].ts_ns - t0, 3000 * MS);
	assert_int_equal(endpoint_fsm(f.ep)->syn_tx, 3);
	assert_int_equal(endpoint_fsm(f.ep)->state, TCP_ST_SYN_SENT);
	fx_close(&f);
}

/* Retransmissions are bounded: with max_retries 3 and a long deadline the
 * endpoint gives up after 4 SYNs. */
static void test_connect_gives_up(void **state)
{
	struct fx f;
	unsigned n;

	(void)state;
	fx_open(&f, NULL, 0, false);
	assert_int_equal(endpoint_connect(f.ep,
					  endpoint_now(f.ep) + 600000 * MS),
			 EP_GAVE_UP);
	sent(&f, &n);
	assert_int_equal(n, 4);
	assert_non_null(strstr(endpoint_error(f.ep), "SYN not acknowledged"));
	fx_close(&f);
}

/* A frame of another connection is not ours: a SYN-ACK to port 40001 is
 * ignored (the dry run only scripts ours, so check the decoder path with
 * a wrong ack instead: the machine notes a bad ACK and stays). */
static void test_connect_bad_synack(void **state)
{
	static const struct netdev_pcap_pkt script[] = {
		{1, TCP_SYN | TCP_ACK, 0, 7, 0,
		 0}, /* < S. 0:0(0) ack 7: wrong */
		{2, TCP_SYN | TCP_ACK, 0, 1, 0, 0}, /* < S. 0:0(0) ack 1 */
	};
	struct fx f;
	const struct endpoint_event *ev;
	unsigned n;

	(void)state;
	fx_open(&f, script, 2, false);
	assert_int_equal(endpoint_connect(f.ep, endpoint_now(f.ep) + 5000 * MS),
			 EP_OK);
	ev = endpoint_events(f.ep, &n);
	assert_int_equal(n, 4);
	assert_true(ev[1].notes & TCP_FSM_N_BAD_ACK);
	assert_int_equal(ev[1].state, TCP_ST_SYN_SENT);
	assert_int_equal(ev[2].state, TCP_ST_ESTABLISHED);
	fx_close(&f);
}

/* endpoint_abort(): a RST from ESTABLISHED; in TIME_WAIT with the peer's
 * FIN withheld, the ACK instead (an interrupted withhold-last-ack). */
static void test_abort(void **state)
{
	static const struct netdev_pcap_pkt script[] = {
		{1, TCP_SYN | TCP_ACK, 0, 1, 0, 0},
		{2, TCP_FIN | TCP_ACK, 1, 2, 0, 0}, /* < F. 1:1(0) ack 2 */
	};
	struct fx f;
	struct endpoint_event ev;
	unsigned n;
	const struct netdev_pcap_sent *s;

	(void)state;
	fx_open(&f, script, 2, false);
	assert_int_equal(endpoint_connect(f.ep, endpoint_now(f.ep) + 5000 * MS),
			 EP_OK);
	endpoint_withhold_fin_ack(f.ep, true);
	assert_int_equal(endpoint_send(f.ep, TCP_FIN, NULL, 0), EP_OK);
	assert_int_equal(endpoint_poll(f.ep, endpoint_now(f.ep) + 5000 * MS,
				       &ev),
			 EP_OK);
	assert_int_equal(endpoint_fsm(f.ep)->state, TCP_ST_TIME_WAIT);
	assert_int_equal(endpoint_ack_value(f.ep), PEER_ISN + 1); /* withheld */
	assert_int_equal(endpoint_abort(f.ep), EP_OK);
	s = sent(&f, &n);
	assert_int_equal(n, 4);
	assert_int_equal(s[3].flags, TCP_ACK);
	assert_int_equal(s[3].ack, 2);
	assert_true(endpoint_fsm(f.ep)->peer_fin_acked);
	assert_int_equal(endpoint_abort(f.ep), EP_OK); /* nothing more */
	sent(&f, &n);
	assert_int_equal(n, 4);
	fx_close(&f);

	fx_open(&f, script, 1, false);
	assert_int_equal(endpoint_connect(f.ep, endpoint_now(f.ep) + 5000 * MS),
			 EP_OK);
	assert_int_equal(endpoint_abort(f.ep), EP_OK);
	s = sent(&f, &n);
	assert_int_equal(n, 3);
	assert_int_equal(s[2].flags, TCP_RST);
	assert_int_equal(s[2].seq, 1);
	assert_int_equal(endpoint_fsm(f.ep)->state, TCP_ST_CLOSED);
	fx_close(&f);
}

/* --- fin-ack ------------------------------------------------------------- */

/*
 *   +0  > S 0:0(0)
 *   +1  < S. 0:0(0) ack 1
 *   +1  > . 1:1(0) ack 1
 *   +1  > F. 1:1(0) ack 1
 *   +3  < . 1:1(0) ack 2
 *   +5  < F. 1:1(0) ack 2
 *   +5  > . 2:2(0) ack 2
 */
static void test_fin_ack_conforms(void **state)
{
	static const struct netdev_pcap_pkt script[] = {
		{1, TCP_SYN | TCP_ACK, 0, 1, 0, 0},
		{3, TCP_ACK, 1, 2, 0, 0},
		{5, TCP_FIN | TCP_ACK, 1, 2, 0, 0},
	};
	static const uint8_t st[] = {TCP_ST_SYN_SENT, TCP_ST_ESTABLISHED,
				     TCP_ST_FIN_WAIT_1, TCP_ST_FIN_WAIT_2,
				     TCP_ST_TIME_WAIT};
	static const uint64_t fr[] = {1, 2, 4, 5, 6};
	struct fx f;
	unsigned n;
	const struct netdev_pcap_sent *s;

	(void)state;
	fx_open(&f, script, 3, false);
	run(&f, PROBE_FIN_ACK, NULL);
	assert_int_equal(f.res.verdict, PV_CONFORMS);
	assert_int_equal(fact(&f, PF_CONNECTED)->outcome, PO_YES);
	assert_int_equal(fact(&f, PF_FIN_ACKED)->outcome, PO_YES);
	assert_int_equal(fact(&f, PF_FIN_ACKED)->frame, 5);
	assert_int_equal(fact(&f, PF_FIN_ACKED)->after_ns, 2 * MS);
	assert_int_equal(fact(&f, PF_PEER_FIN)->outcome, PO_YES);
	assert_int_equal(fact(&f, PF_PEER_FIN)->frame, 6);
	assert_int_equal(fact(&f, PF_PEER_FIN)->after_ns, 4 * MS);
	assert_int_equal(fact(&f, PF_PEER_RESET)->outcome, PO_NA);
	assert_states(&f, st, fr, 5);
	s = sent(&f, &n);
	assert_int_equal(n, 4); /* no RST: we end in TIME_WAIT */
	assert_int_equal(s[2].flags, TCP_FIN | TCP_ACK);
	assert_int_equal(s[2].seq, 1);
	assert_int_equal(s[3].flags, TCP_ACK);
	assert_int_equal(s[3].seq, 2);
	assert_int_equal(s[3].ack, 2);
	fx_close(&f);
}

/* The same exchange over IPv6 (::1 -> ::1): the endpoint builds and
 * decodes IPv6 segments and reaches the same verdict. */
static void test_fin_ack_ipv6(void **state)
{
	static const struct netdev_pcap_pkt script[] = {
		{1, TCP_SYN | TCP_ACK, 0, 1, 0, 0},
		{3, TCP_FIN | TCP_ACK, 1, 2, 0, 0}, /* < F. 1:1(0) ack 2 */
	};
	static const uint8_t st[] = {TCP_ST_SYN_SENT, TCP_ST_ESTABLISHED,
				     TCP_ST_FIN_WAIT_1, TCP_ST_TIME_WAIT};
	struct fx f;
	unsigned n;

	(void)state;
	fx_open_ip(&f, script, 2, false, 6);
	run(&f, PROBE_FIN_ACK, NULL);
	assert_int_equal(f.res.verdict, PV_CONFORMS);
	assert_int_equal(fact(&f, PF_FIN_ACKED)->frame, 5);
	assert_int_equal(fact(&f, PF_PEER_FIN)->frame, 5);
	assert_states(&f, st, NULL, 4);
	sent(&f, &n);
	assert_int_equal(n, 4);
	fx_close(&f);
}

/* The peer ACKs our FIN but never closes: peer_fin = no after the 5 s
 * timeout, verdict deviates, and the endpoint resets the connection. */
static void test_fin_ack_peer_never_closes(void **state)
{
	static const struct netdev_pcap_pkt script[] = {
		{1, TCP_SYN | TCP_ACK, 0, 1, 0, 0},
		{3, TCP_ACK, 1, 2, 0, 0},
	};
	static const uint8_t st[] = {TCP_ST_SYN_SENT, TCP_ST_ESTABLISHED,
				     TCP_ST_FIN_WAIT_1, TCP_ST_FIN_WAIT_2,
				     TCP_ST_CLOSED};
	struct fx f;
	unsigned n;
	const struct netdev_pcap_sent *s;

	(void)state;
	fx_open(&f, script, 2, false);
	run(&f, PROBE_FIN_ACK, NULL);
	assert_int_equal(f.res.verdict, PV_DEVIATES);
	assert_int_equal(fact(&f, PF_FIN_ACKED)->outcome, PO_YES);
	assert_int_equal(fact(&f, PF_PEER_FIN)->outcome, PO_NO);
	assert_int_equal(fact(&f, PF_PEER_FIN)->frame, 0);
	assert_states(&f, st, NULL, 5);
	s = sent(&f, &n);
	assert_int_equal(n, 4);
	assert_int_equal(s[3].flags, TCP_RST);
	assert_int_equal(s[3].seq, 2);
	assert_int_equal(s[3].ts_ns - s[2].ts_ns, 5000 * MS);
	fx_close(&f);
}

/* Our FIN is not acknowledged for 1.5 s: it is retransmitted once after
 * the 1 s RTO, then the peer ACKs and closes. */
static void test_fin_ack_our_fin_retransmitted(void **state)
{
	static const struct netdev_pcap_pkt script[] = {
		{1, TCP_SYN | TCP_ACK, 0, 1, 0, 0},
		{1500, TCP_ACK, 1, 2, 0, 0},
		{1600, TCP_FIN | TCP_ACK, 1, 2, 0, 0},
	};
	struct fx f;
	unsigned n;
	const struct netdev_pcap_sent *s;
	const struct endpoint_event *ev;

	(void)state;
	fx_open(&f, script, 3, false);
	run(&f, PROBE_FIN_ACK, NULL);
	assert_int_equal(f.res.verdict, PV_CONFORMS);
	s = sent(&f, &n);
	assert_int_equal(n, 5);
	assert_int_equal(s[3].flags, TCP_FIN | TCP_ACK);
	assert_int_equal(s[3].seq, 1);
	assert_int_equal(s[3].ts_ns - s[2].ts_ns, 1000 * MS);
	ev = endpoint_event(f.ep, 5);
	assert_non_null(ev);
	assert_true(ev->retransmission);
	assert_true(ev->notes & TCP_FSM_N_FIN_REPEAT);
	assert_int_equal(endpoint_fsm(f.ep)->fin_tx, 2);
	assert_int_equal(fact(&f, PF_FIN_ACKED)->after_ns, 1499 * MS);
	fx_close(&f);
}

/* < R. 0:0(0) ack 1: refused; an error verdict, nothing else asked. */
static void test_fin_ack_refused(void **state)
{
	static const struct netdev_pcap_pkt script[] = {
		{1, TCP_RST | TCP_ACK, 0, 1, 0, 0},
	};
	static const uint8_t st[] = {TCP_ST_SYN_SENT, TCP_ST_CLOSED};
	struct fx f;
	unsigned n;

	(void)state;
	fx_open(&f, script, 1, false);
	run(&f, PROBE_FIN_ACK, NULL);
	assert_int_equal(f.res.verdict, PV_ERROR);
	assert_int_equal(fact(&f, PF_CONNECTED)->outcome, PO_NO);
	assert_int_equal(fact(&f, PF_FIN_ACKED)->outcome, PO_NA);
	assert_non_null(strstr(f.res.error, "refused"));
	assert_states(&f, st, NULL, 2);
	sent(&f, &n);
	assert_int_equal(n, 1); /* the SYN only: nothing to reset */
	fx_close(&f);
}

/* A RST after our FIN: peer_reset = yes (not expected), deviates. */
static void test_fin_ack_reset(void **state)
{
	static const struct netdev_pcap_pkt script[] = {
		{1, TCP_SYN | TCP_ACK, 0, 1, 0, 0},
		{3, TCP_RST, 1, 0, 0, 0},
	};
	struct fx f;

	(void)state;
	fx_open(&f, script, 2, false);
	run(&f, PROBE_FIN_ACK, NULL);
	assert_int_equal(f.res.verdict, PV_DEVIATES);
	assert_int_equal(fact(&f, PF_PEER_RESET)->outcome, PO_YES);
	assert_int_equal(fact(&f, PF_PEER_RESET)->frame, 5);
	assert_int_equal(endpoint_fsm(f.ep)->state, TCP_ST_CLOSED);
	fx_close(&f);
}

/* --- withhold-last-ack --------------------------------------------------- */

/*
 * Linux-like: the peer ACKs our FIN, closes 300 ms later and, its ACK
 * withheld, retransmits the FIN at +200, +400, +800 ms intervals.
 *   +0 > S / +1 < S. / +1 > . / +1 > F. 1:1(0) ack 1 / +2 < . ack 2
 *   +300 < F. 1:1(0) ack 2   (not acknowledged)
 *   +500 < F.  +900 < F.  +1700 < F.   (retransmissions)
 *   +3300 > . 2:2(0) ack 2   (the last ACK, 3 s after the first FIN)
 */
static const struct netdev_pcap_pkt withhold_linux[] = {
	{1, TCP_SYN | TCP_ACK, 0, 1, 0, 0},
	{2, TCP_ACK, 1, 2, 0, 0},
	{300, TCP_FIN | TCP_ACK, 1, 2, 0, 0},
	{500, TCP_FIN | TCP_ACK, 1, 2, 0, 0},
	{900, TCP_FIN | TCP_ACK, 1, 2, 0, 0},
	{1700, TCP_FIN | TCP_ACK, 1, 2, 0, 0},
};

static void test_withhold_conforms(void **state)
{
	static const uint8_t st[] = {TCP_ST_SYN_SENT, TCP_ST_ESTABLISHED,
				     TCP_ST_FIN_WAIT_1, TCP_ST_FIN_WAIT_2,
				     TCP_ST_TIME_WAIT};
	struct fx f;
	unsigned n, i;
	const struct netdev_pcap_sent *s;

	(void)state;
	fx_open(&f, withhold_linux, 6, false);
	run(&f, PROBE_WITHHOLD_LAST_ACK, NULL);
	assert_int_equal(f.res.verdict, PV_CONFORMS);
	assert_int_equal(f.res.nfins, 4);
	assert_int_equal(f.res.fin_frames[0], 6);
	assert_int_equal(f.res.fin_ts_ns[1] - f.res.fin_ts_ns[0], 200 * MS);
	assert_int_equal(f.res.fin_ts_ns[2] - f.res.fin_ts_ns[1], 400 * MS);
	assert_int_equal(f.res.fin_ts_ns[3] - f.res.fin_ts_ns[2], 800 * MS);
	assert_int_equal(fact(&f, PF_FIN_RETRANSMITTED)->outcome, PO_YES);
	assert_int_equal(fact(&f, PF_FIN_RETRANSMITTED)->count, 3);
	assert_int_equal(fact(&f, PF_FIN_RETRANSMITTED)->frame, 7);
	assert_int_equal(fact(&f, PF_BACKOFF_EXPONENTIAL)->outcome, PO_YES);
	assert_int_equal(fact(&f, PF_QUIET_AFTER_ACK)->outcome, PO_YES);
	assert_int_equal(f.res.last_ack_frame, 10);
	assert_states(&f, st, NULL, 5);
	s = sent(&f, &n);
	assert_int_equal(n, 4);
	/* nothing before the last ACK acknowledges the FIN (rel seq 1) */
	for (i = 0; i < 3; i++)
		assert_true(s[i].ack <= 1);
	assert_int_equal(s[3].flags, TCP_ACK);
	assert_int_equal(s[3].ack, 2);
	assert_int_equal(s[3].ts_ns - f.res.fin_ts_ns[0], 3000 * MS);
	assert_true(endpoint_fsm(f.ep)->peer_fin_acked);
	fx_close(&f);
}

/* The peer sends its FIN once and never again: not retransmitted. */
static void test_withhold_no_retransmission(void **state)
{
	struct fx f;

	(void)state;
	fx_open(&f, withhold_linux, 3, false);
	run(&f, PROBE_WITHHOLD_LAST_ACK, NULL);
	assert_int_equal(f.res.verdict, PV_DEVIATES);
	assert_int_equal(f.res.nfins, 1);
	assert_int_equal(fact(&f, PF_FIN_RETRANSMITTED)->outcome, PO_NO);
	assert_int_equal(fact(&f, PF_BACKOFF_EXPONENTIAL)->outcome, PO_NA);
	assert_int_equal(fact(&f, PF_QUIET_AFTER_ACK)->outcome, PO_YES);
	fx_close(&f);
}

/*
 * The back-off is judged as the analyzer judges rto_doubles
 * (analyzer/timers.h): a tail-loss probe first (200, 200, 400, 800 ms) is
 * still exponential, since more intervals doubled than not.
 */
static void test_withhold_backoff_after_tlp(void **state)
{
	static const struct netdev_pcap_pkt script[] = {
		{1, TCP_SYN | TCP_ACK, 0, 1, 0, 0},
		{2, TCP_ACK, 1, 2, 0, 0},
		{300, TCP_FIN | TCP_ACK, 1, 2, 0, 0},
		{500, TCP_FIN | TCP_ACK, 1, 2, 0, 0},
		{700, TCP_FIN | TCP_ACK, 1, 2, 0, 0},
		{1100, TCP_FIN | TCP_ACK, 1, 2, 0, 0},
		{1900, TCP_FIN | TCP_ACK, 1, 2, 0, 0},
	};
	struct fx f;

	(void)state;
	fx_open(&f, script, 7, false);
	run(&f, PROBE_WITHHOLD_LAST_ACK, NULL);
	assert_int_equal(f.res.nfins, 5);
	assert_int_equal(fact(&f, PF_BACKOFF_EXPONENTIAL)->outcome, PO_YES);
	assert_int_equal(fact(&f, PF_BACKOFF_EXPONENTIAL)->frame,
			 f.res.fin_frames[4]);
	assert_int_equal(f.res.verdict, PV_CONFORMS);
	fx_close(&f);
}

/* Intervals growing by half (200, 300, 450 ms) are not a doubling. */
static void test_withhold_backoff_by_half(void **state)
{
	static const struct netdev_pcap_pkt script[] = {
		{1, TCP_SYN | TCP_ACK, 0, 1, 0, 0},
		{2, TCP_ACK, 1, 2, 0, 0},
		{300, TCP_FIN | TCP_ACK, 1, 2, 0, 0},
		{500, TCP_FIN | TCP_ACK, 1, 2, 0, 0},
		{800, TCP_FIN | TCP_ACK, 1, 2, 0, 0},
		{1250, TCP_FIN | TCP_ACK, 1, 2, 0, 0},
	};
	struct fx f;

	(void)state;
	fx_open(&f, script, 6, false);
	run(&f, PROBE_WITHHOLD_LAST_ACK, NULL);
	assert_int_equal(f.res.nfins, 4);
	assert_int_equal(fact(&f, PF_BACKOFF_EXPONENTIAL)->outcome, PO_NO);
	assert_int_equal(f.res.verdict, PV_DEVIATES);
	fx_close(&f);
}

/* Constant 300 ms retransmissions, and one more FIN after our ACK. */
static void test_withhold_constant_and_not_quiet(void **state)
{
	static const struct netdev_pcap_pkt script[] = {
		{1, TCP_SYN | TCP_ACK, 0, 1, 0, 0},
		{2, TCP_ACK, 1, 2, 0, 0},
		{300, TCP_FIN | TCP_ACK, 1, 2, 0, 0},
		{600, TCP_FIN | TCP_ACK, 1, 2, 0, 0},
		{900, TCP_FIN | TCP_ACK, 1, 2, 0, 0},
		{3500, TCP_FIN | TCP_ACK, 1, 2, 0, 0},
	};
	struct fx f;
	unsigned n;
	const struct netdev_pcap_sent *s;

	(void)state;
	fx_open(&f, script, 6, false);
	run(&f, PROBE_WITHHOLD_LAST_ACK, NULL);
	assert_int_equal(f.res.verdict, PV_DEVIATES);
	assert_int_equal(f.res.nfins, 3);
	assert_int_equal(fact(&f, PF_BACKOFF_EXPONENTIAL)->outcome, PO_NO);
	assert_int_equal(fact(&f, PF_QUIET_AFTER_ACK)->outcome, PO_NO);
	assert_int_equal(fact(&f, PF_QUIET_AFTER_ACK)->frame, 10);
	s = sent(&f, &n);
	assert_int_equal(n,
			 5); /* the FIN after the ACK is acknowledged again */
	assert_int_equal(s[4].flags, TCP_ACK);
	assert_int_equal(s[4].ack, 2);
	fx_close(&f);
}

/* --- keepalive ----------------------------------------------------------- */

/*
 * Three probes, 1 s apart, 0, 1, 0 bytes, each answered with < . 1:1(0)
 * ack 1; then the close.
 *   +1 > . 0:0(0) ack 1    +1001 > . 0:1(1) ack 1    +2001 > . 0:0(0) ack 1
 */
static void test_keepalive_answered(void **state)
{
	static const struct netdev_pcap_pkt script[] = {
		{1, TCP_SYN | TCP_ACK, 0, 1, 0, 0},
		{2, TCP_ACK, 1, 1, 0, 0},
		{1002, TCP_ACK, 1, 1, 0, 0},
		{2002, TCP_ACK, 1, 1, 0, 0},
		{3002, TCP_ACK, 1, 2, 0, 0},
		{3003, TCP_FIN | TCP_ACK, 1, 2, 0, 0},
	};
	struct fx f;
	unsigned n, i;
	const struct netdev_pcap_sent *s;

	(void)state;
	fx_open(&f, script, 6, false);
	run(&f, PROBE_KEEPALIVE, NULL);
	assert_int_equal(f.res.verdict, PV_CONFORMS);
	assert_int_equal(f.res.nprobes, 3);
	assert_int_equal(fact(&f, PF_KEEPALIVE_ANSWERED)->outcome, PO_YES);
	assert_int_equal(fact(&f, PF_KEEPALIVE_ANSWERED)->count, 3);
	assert_int_equal(fact(&f, PF_KEEPALIVE_ANSWERED)->of, 3);
	assert_int_equal(fact(&f, PF_FIN_ACKED)->outcome, PO_NA);
	s = sent(&f, &n);
	for (i = 0; i < 3; i++) {
		assert_int_equal(s[2 + i].flags, TCP_ACK);
		assert_int_equal(s[2 + i].seq, 0); /* SND.NXT - 1 */
		assert_int_equal(s[2 + i].len, i & 1);
		assert_int_equal(f.res.probes[i].bytes, i & 1);
		assert_int_equal(f.res.probes[i].answer_ns, 1 * MS);
	}
	assert_int_equal(s[3].ts_ns - s[2].ts_ns, 1000 * MS);
	assert_int_equal(f.res.probes[0].frame, 4);
	assert_int_equal(f.res.probes[0].answer_frame, 5);
	assert_int_equal(endpoint_fsm(f.ep)->state, TCP_ST_TIME_WAIT);
	fx_close(&f);
}

/* The second probe goes unanswered: 2 of 3, deviates. */
static void test_keepalive_unanswered(void **state)
{
	static const struct netdev_pcap_pkt script[] = {
		{1, TCP_SYN | TCP_ACK, 0, 1, 0, 0},
		{2, TCP_ACK, 1, 1, 0, 0},
		{2002, TCP_ACK, 1, 1, 0, 0},
	};
	struct fx f;

	(void)state;
	fx_open(&f, script, 3, false);
	run(&f, PROBE_KEEPALIVE, NULL);
	assert_int_equal(f.res.verdict, PV_DEVIATES);
	assert_int_equal(fact(&f, PF_KEEPALIVE_ANSWERED)->outcome, PO_NO);
	assert_int_equal(fact(&f, PF_KEEPALIVE_ANSWERED)->count, 2);
	assert_int_equal(f.res.probes[1].answer_frame, 0);
	assert_int_equal(f.res.probes[2].answer_frame, 8);
	/* the peer never closed: reset at the end */
	assert_int_equal(endpoint_fsm(f.ep)->state, TCP_ST_CLOSED);
	assert_true(endpoint_fsm(f.ep)->rst_sent);
	fx_close(&f);
}

/*
 * The peer's next segment answers a probe unless it is a RST, as the
 * analyzer counts answers (analyzer/keepalive.h): an ACK that acknowledges
 * less than SND.NXT (the peer lost our last byte) still shows it alive.
 *   +1 > . 0:0(0) ack 1   +2 < . 1:1(0) ack 0   (x3, 1 s apart)
 */
static void test_keepalive_answer_acks_less(void **state)
{
	static const struct netdev_pcap_pkt script[] = {
		{1, TCP_SYN | TCP_ACK, 0, 1, 0, 0},
		{2, TCP_ACK, 1, 0, 0, 0},
		{1002, TCP_ACK, 1, 0, 0, 0},
		{2002, TCP_ACK, 1, 0, 0, 0},
		{3002, TCP_ACK, 1, 2, 0, 0},
		{3003, TCP_FIN | TCP_ACK, 1, 2, 0, 0},
	};
	struct fx f;

	(void)state;
	fx_open(&f, script, 6, false);
	run(&f, PROBE_KEEPALIVE, NULL);
	assert_int_equal(fact(&f, PF_KEEPALIVE_ANSWERED)->count, 3);
	assert_int_equal(fact(&f, PF_KEEPALIVE_ANSWERED)->outcome, PO_YES);
	assert_int_equal(f.res.probes[0].answer_frame, 5);
	assert_int_equal(f.res.verdict, PV_CONFORMS);
	fx_close(&f);
}

/* A RST answers nothing: the first probe dies, the scenario stops. */
static void test_keepalive_reset(void **state)
{
	static const struct netdev_pcap_pkt script[] = {
		{1, TCP_SYN | TCP_ACK, 0, 1, 0, 0},
		{2, TCP_RST, 1, 0, 0, 0},
	};
	struct fx f;

	(void)state;
	fx_open(&f, script, 2, false);
	run(&f, PROBE_KEEPALIVE, NULL);
	assert_int_equal(f.res.nprobes, 1);
	assert_int_equal(f.res.probes[0].answer_frame, 0);
	assert_int_equal(fact(&f, PF_KEEPALIVE_ANSWERED)->count, 0);
	assert_int_equal(fact(&f, PF_KEEPALIVE_ANSWERED)->outcome, PO_NO);
	assert_int_equal(fact(&f, PF_PEER_RESET)->outcome, PO_YES);
	assert_int_equal(f.res.verdict, PV_DEVIATES);
	fx_close(&f);
}

/* --- the probe's trace read by the analyzer ------------------------------ */

struct trace_flows {
	int n;
	struct flow_record flow; /* the first */
};

static void trace_flow_done(void *ctx, const struct flow_record *rec)
{
	struct trace_flows *t = ctx;

	if (t->n++ == 0)
		t->flow = *rec;
}

/* Run scenario sc with its trace written to a file, then read that file
 * as `tcplint analyze` does (analyzer/ingest.h): its one flow. */
static void run_and_analyze(struct fx *f, enum probe_scenario sc,
			    struct flow_record *flow)
{
	char tpath[64] = "/tmp/test_probe_trace.XXXXXX", err[256];
	struct analyzer_sink sink = {trace_flow_done, NULL, NULL, NULL};
	struct analyzer_config cfg;
	struct trace_flows t = {0};
	struct input_record in;
	struct ingest_record rec;
	struct pcap_out *out;
	struct analyzer *az;
	struct ingest *ig;
	struct capture *c;
	int fd;

	fd = mkstemp(tpath);
	assert_true(fd >= 0);
	close(fd);
	out = pcap_out_open(tpath, DLT_RAW, 0, err, sizeof(err));
	assert_non_null(out);
	endpoint_set_trace(f->ep, out);
	run(f, sc, NULL);
	assert_int_equal(pcap_out_close(out), 0);

	analyzer_config_defaults(&cfg);
	cfg.max_flows = 4;
	sink.ctx = &t;
	az = analyzer_new(&cfg, &sink, err, sizeof(err));
	assert_non_null(az);
	c = capture_open_file(tpath, err, sizeof(err));
	if (!c)
		fail_msg("%s", err);
	memset(&in, 0, sizeof(in));
	ig = ingest_new(c, az, &in, NULL, err, sizeof(err));
	assert_non_null(ig);
	while (ingest_next(ig, &rec, err, sizeof(err)) == CAPTURE_PACKET)
		;
	ingest_finish(ig);
	ingest_free(ig);
	capture_close(c);
	analyzer_free(az);
	unlink(tpath);
	assert_int_equal(in.decode_errors, 0);
	assert_int_equal(t.n, 1);
	*flow = t.flow;
}

/* Probes and answers: the analyzer counts what the probe counted, the
 * probe being the client. */
static void test_keepalive_trace_agrees(void **state)
{
	static const struct netdev_pcap_pkt unanswered[] = {
		{1, TCP_SYN | TCP_ACK, 0, 1, 0, 0},
		{2, TCP_ACK, 1, 1, 0, 0},
		{2002, TCP_ACK, 1, 1, 0, 0},
	};
	static const struct netdev_pcap_pkt answered[] = {
		{1, TCP_SYN | TCP_ACK, 0, 1, 0, 0},
		{2, TCP_ACK, 1, 1, 0, 0},
		{1002, TCP_ACK, 1, 1, 0, 0},
		{2002, TCP_ACK, 1, 1, 0, 0},
		{3002, TCP_ACK, 1, 2, 0, 0},
		{3003, TCP_FIN | TCP_ACK, 1, 2, 0, 0},
	};
	struct flow_record flow;
	struct fx f;

	(void)state;
	fx_open(&f, answered, 6, false);
	run_and_analyze(&f, PROBE_KEEPALIVE, &flow);
	assert_int_equal(flow.ep[ROLE_CLIENT].keepalive_probes, f.res.nprobes);
	assert_int_equal(flow.ep[ROLE_CLIENT].keepalive_answered,
			 fact(&f, PF_KEEPALIVE_ANSWERED)->count);
	assert_int_equal(flow.ep[ROLE_CLIENT].keepalive_answered, 3);
	fx_close(&f);

	fx_open(&f, unanswered, 3, false);
	run_and_analyze(&f, PROBE_KEEPALIVE, &flow);
	assert_int_equal(flow.ep[ROLE_CLIENT].keepalive_probes, 3);
	assert_int_equal(flow.ep[ROLE_CLIENT].keepalive_answered,
			 fact(&f, PF_KEEPALIVE_ANSWERED)->count);
	assert_int_equal(flow.ep[ROLE_CLIENT].keepalive_answered, 2);
	fx_close(&f);
}

/* The peer's FIN back-off: the analyzer's rto_doubles for the server is
 * the probe's backoff_exponential. */
static void test_backoff_trace_agrees(void **state)
{
	static const struct netdev_pcap_pkt by_half[] = {
		{1, TCP_SYN | TCP_ACK, 0, 1, 0, 0},
		{2, TCP_ACK, 1, 2, 0, 0},
		{300, TCP_FIN | TCP_ACK, 1, 2, 0, 0},
		{500, TCP_FIN | TCP_ACK, 1, 2, 0, 0},
		{800, TCP_FIN | TCP_ACK, 1, 2, 0, 0},
		{1250, TCP_FIN | TCP_ACK, 1, 2, 0, 0},
	};
	struct flow_record flow;
	struct fx f;

	(void)state;
	fx_open(&f, withhold_linux, 6, false);
	run_and_analyze(&f, PROBE_WITHHOLD_LAST_ACK, &flow);
	assert_int_equal(fact(&f, PF_BACKOFF_EXPONENTIAL)->outcome, PO_YES);
	assert_int_equal(flow.ep[ROLE_SERVER].timers.fin_retries, 3);
	assert_true(flow.ep[ROLE_SERVER].timers.rto_doubles);
	fx_close(&f);

	fx_open(&f, by_half, 6, false);
	run_and_analyze(&f, PROBE_WITHHOLD_LAST_ACK, &flow);
	assert_int_equal(fact(&f, PF_BACKOFF_EXPONENTIAL)->outcome, PO_NO);
	assert_int_equal(flow.ep[ROLE_SERVER].timers.fin_retries, 3);
	assert_false(flow.ep[ROLE_SERVER].timers.rto_doubles);
	fx_close(&f);
}

/* The handshake: the probe's verdict on its own (endpoint_handshake(), from
 * the verdict module) is the analyzer's on the probe's trace, and
 * connected is yes exactly when it is complete. */
static void test_handshake_trace_agrees(void **state)
{
	static const struct netdev_pcap_pkt answered[] = {
		{1, TCP_SYN | TCP_ACK, 0, 1, 0, 0},
		{2, TCP_ACK, 1, 2, 0, 0},
		{3, TCP_FIN | TCP_ACK, 1, 2, 0, 0},
	};
	static const struct netdev_pcap_pkt refused[] = {
		{1, TCP_RST | TCP_ACK, 0, 1, 0, 0},
	};
	static const struct netdev_pcap_pkt bad_synack[] = {
		{1, TCP_SYN | TCP_ACK, 0, 7, 0, 0}, /* < S. 0:0(0) ack 7 */
	};
	static const struct {
		const struct netdev_pcap_pkt *script;
		unsigned n;
		enum handshake_verdict want;
	} cases[] = {
		{answered, 3, HS_COMPLETE},
		{refused, 1, HS_REJECTED},
		{NULL, 0, HS_UNANSWERED},
		{bad_synack, 1, HS_INCOMPLETE},
	};
	struct flow_record flow;
	struct fx f;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fx_open(&f, cases[i].script, cases[i].n, false);
		run_and_analyze(&f, PROBE_FIN_ACK, &flow);
		assert_string_equal(
			handshake_verdict_name(endpoint_handshake(f.ep)),
			handshake_verdict_name(cases[i].want));
		assert_string_equal(handshake_verdict_name(flow.handshake),
				    handshake_verdict_name(cases[i].want));
		assert_int_equal(fact(&f, PF_CONNECTED)->outcome,
				 cases[i].want == HS_COMPLETE ? PO_YES : PO_NO);
		fx_close(&f);
	}
}

/* --- trace and dry-run files --------------------------------------------- */

/* The trace holds every frame sent and received, in exchange order, so
 * frame N of the file is event N; the dry-run file holds the sent ones. */
static void test_trace_frames_align(void **state)
{
	struct fx f;
	struct pcap_out *out;
	struct capture *c;
	struct capture_packet p;
	struct pkt_view v;
	enum decode_kind kind;
	char tpath[64] = "/tmp/test_probe_trace.XXXXXX", err[256];
	const struct endpoint_event *ev;
	unsigned n, i = 0, nsent;
	int fd;

	(void)state;
	fd = mkstemp(tpath);
	assert_true(fd >= 0);
	close(fd);
	fx_open(&f, withhold_linux, 6, true);
	out = pcap_out_open(tpath, DLT_RAW, 0, err, sizeof(err));
	assert_non_null(out);
	endpoint_set_trace(f.ep, out);
	run(&f, PROBE_WITHHOLD_LAST_ACK, NULL);
	assert_int_equal(pcap_out_close(out), 0);

	ev = endpoint_events(f.ep, &n);
	assert_int_equal(n, 10);
	c = capture_open_file(tpath, err, sizeof(err));
	if (!c)
		fail_msg("%s", err);
	while (capture_next(c, &p, err, sizeof(err)) == CAPTURE_PACKET) {
		assert_true(i < n);
		assert_int_equal(decode_packet(capture_dlt(c), p.data, p.caplen,
					       p.wirelen, &v, &kind),
				 DECODE_TCP);
		assert_int_equal(p.frame, ev[i].frame);
		assert_int_equal(v.flags, ev[i].flags);
		assert_int_equal(v.seq, ev[i].seq);
		assert_int_equal(p.ts_ns, ev[i].ts_ns);
		i++;
	}
	assert_int_equal(i, n);
	capture_close(c);

	/* the dry-run file: the 4 sent segments only */
	sent(&f, &nsent);
	netdev_close(f.dev); /* flushes the file */
	f.dev = NULL;
	c = capture_open_file(f.path, err, sizeof(err));
	if (!c)
		fail_msg("%s", err);
	i = 0;
	while (capture_next(c, &p, err, sizeof(err)) == CAPTURE_PACKET)
		i++;
	assert_int_equal(i, nsent);
	assert_int_equal(i, 4);
	capture_close(c);
	unlink(tpath);
	fx_close(&f);
}

/* --- replay -------------------------------------------------------------- */

/* Write a recorded echo connection 10.0.0.1:1234 -> 10.0.0.2:80 (Ethernet):
 *   1 > S 0:0(0)            2 < S. 0:0(0) ack 1     3 > . ack 1
 *   4 > P. 1:6(5) "hello"   5 < P. 1:6(5) ack 6     6 > . ack 6
 *   7 > F. 6:6(0) ack 6     8 < F. 6:6(0) ack 7     9 > . ack 7
 * (client ISN 100, server ISN 900). */
static void write_recording(const char *path)
{
	static const struct {
		int from_server;
		uint16_t flags;
		uint32_t seq, ack, len;
	} segs[] = {
		{0, TCP_SYN, 0, 0, 0},
		{1, TCP_SYN | TCP_ACK, 0, 1, 0},
		{0, TCP_ACK, 1, 1, 0},
		{0, TCP_PSH | TCP_ACK, 1, 1, 5},
		{1, TCP_PSH | TCP_ACK, 1, 6, 5},
		{0, TCP_ACK, 6, 6, 0},
		{0, TCP_FIN | TCP_ACK, 6, 6, 0},
		{1, TCP_FIN | TCP_ACK, 6, 7, 0},
		{0, TCP_ACK, 7, 7, 0},
	};
	static uint8_t buf[BUILD_MAX_FRAME];
	char err[256];
	struct pcap_out *out =
		pcap_out_open(path, DLT_EN10MB, 0, err, sizeof(err));
	unsigned i;

	assert_non_null(out);
	for (i = 0; i < sizeof(segs) / sizeof(segs[0]); i++) {
		struct build_segment b;
		size_t flen;
		uint8_t a[4] = {10, 0, 0, 1}, z[4] = {10, 0, 0, 2};

		memset(&b, 0, sizeof(b));
		b.link = BUILD_LINK_ETHERNET;
		b.tuple.ip_version = 4;
		memcpy(b.tuple.src, segs[i].from_server ? z : a, 4);
		memcpy(b.tuple.dst, segs[i].from_server ? a : z, 4);
		b.tuple.sport = segs[i].from_server ? 80 : 1234;
		b.tuple.dport = segs[i].from_server ? 1234 : 80;
		b.seq = (segs[i].from_server ? 900 : 100) + segs[i].seq;
		b.ack = (segs[i].flags & TCP_ACK)
				? (segs[i].from_server ? 100 : 900) +
					  segs[i].ack
				: 0;
		b.flags = segs[i].flags;
		b.window = 65535;
		b.payload = (const uint8_t *)"hello";
		b.payload_bytes = segs[i].len;
		assert_int_equal(build_segment(&b, buf, sizeof(buf), &flen), 0);
		assert_int_equal(pcap_out_write(out, buf, (uint32_t)flen,
						(uint32_t)flen,
						(int64_t)(i + 1) * 1000000),
				 0);
	}
	assert_int_equal(pcap_out_close(out), 0);
}

static struct replay_script *load_recording(char *path)
{
	struct replay_script *rs;
	char err[256];
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	write_recording(path);
	rs = replay_script_load(path, err, sizeof(err));
	assert_non_null(rs);
	return rs;
}

/* The live server echoes like the recorded one: no divergence. */
static void test_replay_matches(void **state)
{
	static const struct netdev_pcap_pkt script[] = {
		{1, TCP_SYN | TCP_ACK, 0, 1, 0, 0},
		{2, TCP_PSH | TCP_ACK, 1, 6, 5, 0}, /* < P. 1:6(5) ack 6 */
		{3, TCP_FIN | TCP_ACK, 6, 7, 0, 0}, /* < F. 6:6(0) ack 7 */
	};
	char path[64] = "/tmp/test_probe_rec.XXXXXX";
	struct replay_script *rs = load_recording(path);
	struct probe_options o;
	struct fx f;
	unsigned n;
	const struct netdev_pcap_sent *s;

	(void)state;
	assert_int_equal(replay_script_segments(rs), 4);
	assert_int_equal(replay_script_server_port(rs), 80);
	memset(&o, 0, sizeof(o));
	fx_open(&f, script, 3, false);
	assert_int_equal(probe_replay(rs, f.ep, &o, &f.res), 0);
	assert_int_equal(f.res.verdict, PV_CONFORMS);
	assert_int_equal(f.res.ndivergences, 0);
	assert_int_equal(f.res.replay_segments, 4);
	assert_int_equal(fact(&f, PF_REPLAY_MATCHES)->outcome, PO_YES);
	s = sent(&f, &n);
	assert_int_equal(n, 6);
	/* > P. 1:6(5) ack 1, moved to the live ISNs */
	assert_int_equal(s[2].flags, TCP_PSH | TCP_ACK);
	assert_int_equal(s[2].seq, 1);
	assert_int_equal(s[2].len, 5);
	assert_int_equal(s[2].ack, 1);
	assert_int_equal(s[3].ack, 6);
	assert_int_equal(s[4].flags, TCP_FIN | TCP_ACK);
	assert_int_equal(s[5].ack, 7);
	assert_int_equal(endpoint_fsm(f.ep)->state, TCP_ST_TIME_WAIT);
	fx_close(&f);
	replay_script_free(rs);
	unlink(path);
}

/* The live server closes without echoing: missing data, found before the
 * client's ACK of the echo (recorded frame 6). */
static void test_replay_diverges(void **state)
{
	static const struct netdev_pcap_pkt script[] = {
		{1, TCP_SYN | TCP_ACK, 0, 1, 0, 0},
		{2, TCP_FIN | TCP_ACK, 1, 6, 0, 0},
	};
	char path[64] = "/tmp/test_probe_rec.XXXXXX";
	struct replay_script *rs = load_recording(path);
	struct probe_options o;
	struct fx f;

	(void)state;
	memset(&o, 0, sizeof(o));
	fx_open(&f, script, 2, false);
	assert_int_equal(probe_replay(rs, f.ep, &o, &f.res), 0);
	assert_int_equal(f.res.verdict, PV_DEVIATES);
	assert_int_equal(f.res.ndivergences, 1);
	assert_int_equal(f.res.divergences[0].kind, RD_MISSING_DATA);
	assert_int_equal(f.res.divergences[0].recorded_frame, 6);
	assert_int_equal(f.res.divergences[0].recorded_bytes, 5);
	assert_int_equal(f.res.divergences[0].live_bytes, 0);
	fx_close(&f);
	replay_script_free(rs);
	unlink(path);
}

static void test_replay_bad_file(void **state)
{
	char err[256] = "";

	(void)state;
	assert_null(
		replay_script_load("/nonexistent/x.pcap", err, sizeof(err)));
	assert_true(err[0] != '\0');
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(probe_scenario_name(PROBE_WITHHOLD_LAST_ACK),
			    "withhold-last-ack");
	assert_int_equal(probe_scenario_from_name("keepalive"),
			 PROBE_KEEPALIVE);
	assert_int_equal(probe_scenario_from_name("nope"), -1);
	assert_string_equal(probe_fact_name(PF_FIN_ACKED), "fin_acked");
	assert_string_equal(probe_verdict_name(PV_DEVIATES), "deviates");
	assert_string_equal(replay_divergence_name(RD_EXTRA_RST), "extra_rst");
	assert_string_equal(probe_fact_name(PROBE_FACT_COUNT), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_connect),
		cmocka_unit_test(test_connect_syn_backoff),
		cmocka_unit_test(test_connect_gives_up),
		cmocka_unit_test(test_connect_bad_synack),
		cmocka_unit_test(test_abort),
		cmocka_unit_test(test_fin_ack_conforms),
		cmocka_unit_test(test_fin_ack_ipv6),
		cmocka_unit_test(test_fin_ack_peer_never_closes),
		cmocka_unit_test(test_fin_ack_our_fin_retransmitted),
		cmocka_unit_test(test_fin_ack_refused),
		cmocka_unit_test(test_handshake_trace_agrees),
		cmocka_unit_test(test_fin_ack_reset),
		cmocka_unit_test(test_withhold_conforms),
		cmocka_unit_test(test_withhold_no_retransmission),
		cmocka_unit_test(test_withhold_backoff_after_tlp),
		cmocka_unit_test(test_withhold_backoff_by_half),
		cmocka_unit_test(test_withhold_constant_and_not_quiet),
		cmocka_unit_test(test_keepalive_answered),
		cmocka_unit_test(test_keepalive_unanswered),
		cmocka_unit_test(test_keepalive_answer_acks_less),
		cmocka_unit_test(test_keepalive_reset),
		cmocka_unit_test(test_keepalive_trace_agrees),
		cmocka_unit_test(test_backoff_trace_agrees),
		cmocka_unit_test(test_trace_frames_align),
		cmocka_unit_test(test_replay_matches),
		cmocka_unit_test(test_replay_diverges),
		cmocka_unit_test(test_replay_bad_file),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
