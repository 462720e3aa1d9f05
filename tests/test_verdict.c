/*
 * test_verdict.c - the handshake and close verdicts of analyzer/verdict.h:
 * every handshake verdict and the order in which its facts decide, every
 * close verdict with its active closer, and the handshake of a client
 * judged from its own machine (the probe's case), stepped through
 * tcp_fsm_step() as the probe steps it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "analyzer/verdict.h"

#define BOTH (1u << ROLE_CLIENT | 1u << ROLE_SERVER)

static void assert_hs(enum handshake_verdict got, enum handshake_verdict want)
{
	assert_string_equal(handshake_verdict_name(got),
			    handshake_verdict_name(want));
}

static void assert_close(enum close_verdict got, enum close_verdict want)
{
	assert_string_equal(close_verdict_name(got), close_verdict_name(want));
}

static void test_handshake(void **state)
{
	struct verdict_facts vf;

	(void)state;
	memset(&vf, 0, sizeof(vf));
	assert_hs(verdict_handshake(&vf), HS_NOT_OBSERVED);
	/* no client SYN: nothing else counts */
	vf.synced = BOTH;
	vf.server_synack = true;
	assert_hs(verdict_handshake(&vf), HS_NOT_OBSERVED);

	memset(&vf, 0, sizeof(vf));
	vf.client_syn = true;
	assert_hs(verdict_handshake(&vf), HS_UNANSWERED);
	vf.server_rst = true;
	assert_hs(verdict_handshake(&vf), HS_REJECTED);
	/* a SYN-ACK before the RST: the handshake was answered, not refused */
	vf.server_synack = true;
	assert_hs(verdict_handshake(&vf), HS_INCOMPLETE);
	/* one side synchronized is not enough */
	vf.synced = 1u << ROLE_CLIENT;
	assert_hs(verdict_handshake(&vf), HS_INCOMPLETE);
	vf.synced = BOTH;
	assert_hs(verdict_handshake(&vf), HS_COMPLETE);
	/* the server's own SYN: a simultaneous open, whatever followed */
	vf.server_syn = true;
	assert_hs(verdict_handshake(&vf), HS_SIMULTANEOUS_OPEN);
}

/* Both endpoints synchronized, no FIN or RST yet. */
static void open_pair(struct tcp_endpoint ep[2], struct verdict_facts *vf)
{
	memset(ep, 0, 2 * sizeof(*ep));
	memset(vf, 0, sizeof(*vf));
	vf->client_syn = true;
	vf->synced = BOTH;
	ep[0].state = ep[1].state = TCP_ST_ESTABLISHED;
}

static void fin(struct tcp_endpoint *e, uint64_t frame, bool was_closing)
{
	e->fin_sent = true;
	e->fin_frame = frame;
	e->was_closing = was_closing;
}

static void acks_peer_fin(struct tcp_endpoint *e, uint64_t frame)
{
	e->peer_fin_acked = true;
	e->peer_fin_acked_frame = frame;
}

static void test_close(void **state)
{
	struct tcp_endpoint ep[2];
	struct verdict_facts vf;
	enum closer closer;

	(void)state;
	open_pair(ep, &vf);
	assert_close(verdict_close(ep, &vf, HS_COMPLETE, &closer), CLOSE_OPEN);
	assert_int_equal(closer, CLOSER_NONE);

	/* the server closes; the client has not yet */
	fin(&ep[ROLE_SERVER], 10, false);
	assert_close(verdict_close(ep, &vf, HS_COMPLETE, &closer),
		     CLOSE_HALF_CLOSED);
	assert_int_equal(closer, CLOSER_SERVER);

	/* four-way: the client acknowledges the FIN (11) before its own (12) */
	acks_peer_fin(&ep[ROLE_CLIENT], 11);
	fin(&ep[ROLE_CLIENT], 12, false);
	assert_close(verdict_close(ep, &vf, HS_COMPLETE, &closer),
		     CLOSE_FOUR_WAY);
	assert_int_equal(closer, CLOSER_SERVER);

	/* three-way: its FIN acknowledges the other in the same segment */
	acks_peer_fin(&ep[ROLE_CLIENT], 12);
	assert_close(verdict_close(ep, &vf, HS_COMPLETE, &closer),
		     CLOSE_THREE_WAY);
	assert_int_equal(closer, CLOSER_SERVER);

	/* simultaneous: the second FIN (12) went before the first was
	 * acknowledged (13), or never acknowledged it, or both were CLOSING */
	acks_peer_fin(&ep[ROLE_CLIENT], 13);
	assert_close(verdict_close(ep, &vf, HS_COMPLETE, &closer),
		     CLOSE_SIMULTANEOUS);
	assert_int_equal(closer, CLOSER_BOTH);
	ep[ROLE_CLIENT].peer_fin_acked = false;
	assert_close(verdict_close(ep, &vf, HS_COMPLETE, &closer),
		     CLOSE_SIMULTANEOUS);
	acks_peer_fin(&ep[ROLE_CLIENT], 11);
	ep[ROLE_CLIENT].was_closing = ep[ROLE_SERVER].was_closing = true;
	assert_close(verdict_close(ep, &vf, HS_COMPLETE, &closer),
		     CLOSE_SIMULTANEOUS);

	/* the first FIN decides the closer, the client's on a tie */
	open_pair(ep, &vf);
	fin(&ep[ROLE_CLIENT], 20, false);
	fin(&ep[ROLE_SERVER], 20, false);
	acks_peer_fin(&ep[ROLE_SERVER], 20);
	assert_close(verdict_close(ep, &vf, HS_COMPLETE, &closer),
		     CLOSE_THREE_WAY);
	assert_int_equal(closer, CLOSER_CLIENT);

	/* a reset: its sender closed, unless a FIN came first */
	open_pair(ep, &vf);
	vf.rst_abort = true;
	vf.rst_role = ROLE_SERVER;
	assert_close(verdict_close(ep, &vf, HS_COMPLETE, &closer), CLOSE_RESET);
	assert_int_equal(closer, CLOSER_SERVER);
	vf.rst_role = ROLE_CLIENT;
	assert_close(verdict_close(ep, &vf, HS_COMPLETE, &closer), CLOSE_RESET);
	assert_int_equal(closer, CLOSER_CLIENT);
	fin(&ep[ROLE_SERVER], 30, false);
	assert_close(verdict_close(ep, &vf, HS_COMPLETE, &closer), CLOSE_RESET);
	assert_int_equal(closer, CLOSER_SERVER);

	/* never established: nothing synchronized, or an incomplete
	 * handshake (a FIN in it is no close) */
	open_pair(ep, &vf);
	fin(&ep[ROLE_CLIENT], 5, false);
	assert_close(verdict_close(ep, &vf, HS_INCOMPLETE, &closer),
		     CLOSE_NONE);
	assert_int_equal(closer, CLOSER_NONE);
	vf.synced = 0;
	assert_close(verdict_close(ep, &vf, HS_COMPLETE, &closer), CLOSE_NONE);
	/* one side synchronized, no FIN: none either */
	open_pair(ep, &vf);
	vf.synced = 1u << ROLE_SERVER;
	assert_close(verdict_close(ep, &vf, HS_NOT_OBSERVED, &closer),
		     CLOSE_NONE);
}

/* --- a client's own machine ---------------------------------------------- */

static void step(struct tcp_endpoint *e, enum tcp_fsm_dir dir, uint16_t flags,
		 uint32_t seq, uint32_t ack, uint64_t frame)
{
	struct tcp_seg seg;
	struct tcp_fsm_result r;

	memset(&seg, 0, sizeof(seg));
	seg.frame = frame;
	seg.ts_ns = (int64_t)frame * 1000;
	seg.seq = seq;
	seg.ack = ack;
	seg.flags = flags;
	seg.window = 1000;
	tcp_fsm_step(e, dir, &seg, &r);
}

static void test_of_client(void **state)
{
	struct tcp_endpoint c;

	(void)state;
	tcp_fsm_init(&c, TCP_ST_CLOSED, 0, 0);
	assert_hs(verdict_handshake_of_client(&c), HS_NOT_OBSERVED);
	/* > S 100:100(0) */
	step(&c, TCP_FSM_SEND, TCP_SYN, 100, 0, 1);
	assert_hs(verdict_handshake_of_client(&c), HS_UNANSWERED);
	/* < S. 500:500(0) ack 101: answered, our ACK not yet sent */
	step(&c, TCP_FSM_RECV, TCP_SYN | TCP_ACK, 500, 101, 2);
	assert_int_equal(c.state, TCP_ST_ESTABLISHED);
	assert_hs(verdict_handshake_of_client(&c), HS_INCOMPLETE);
	/* > . 101:101(0) ack 501 */
	step(&c, TCP_FSM_SEND, TCP_ACK, 101, 501, 3);
	assert_hs(verdict_handshake_of_client(&c), HS_COMPLETE);
	/* a later RST does not undo a complete handshake */
	step(&c, TCP_FSM_RECV, TCP_RST | TCP_ACK, 501, 101, 4);
	assert_hs(verdict_handshake_of_client(&c), HS_COMPLETE);

	/* < R. 0:0(0) ack 101: refused */
	tcp_fsm_init(&c, TCP_ST_CLOSED, 0, 0);
	step(&c, TCP_FSM_SEND, TCP_SYN, 100, 0, 1);
	step(&c, TCP_FSM_RECV, TCP_RST | TCP_ACK, 0, 101, 2);
	assert_true(c.rst_rcvd);
	assert_hs(verdict_handshake_of_client(&c), HS_REJECTED);

	/* < S. 500:500(0) ack 7: a SYN-ACK with the wrong number, our ACK
	 * never acknowledging it */
	tcp_fsm_init(&c, TCP_ST_CLOSED, 0, 0);
	step(&c, TCP_FSM_SEND, TCP_SYN, 100, 0, 1);
	step(&c, TCP_FSM_RECV, TCP_SYN | TCP_ACK, 500, 7, 2);
	assert_hs(verdict_handshake_of_client(&c), HS_INCOMPLETE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_handshake),
		cmocka_unit_test(test_close),
		cmocka_unit_test(test_of_client),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
