/*
 * test_tcp_fsm.c - one test per arrow of the state diagram in
 * analyzer/tcp_fsm.c, on the sending and the receiving side, plus RST
 * acceptability, the capture-point revisions and 32-bit wraparound.
 *
 * A test drives two endpoints, A (the client, ISN 1000 unless said) and B
 * (the server, ISN 5000), through pass(): the sender steps with SEND, the
 * receiver with RECV, exactly as the analyzer does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "analyzer/tcp_fsm.h"

struct pair {
	struct tcp_endpoint ep[2];
	struct tcp_fsm_result res[2]; /* [sender], [receiver] of the last pass */
	uint64_t frame;
};

enum { A = 0, B = 1 };

static void pair_init(struct pair *p, enum tcp_state a, enum tcp_state b)
{
	memset(p, 0, sizeof(*p));
	tcp_fsm_init(&p->ep[A], a, 0, 0);
	tcp_fsm_init(&p->ep[B], b, 0, 0);
}

/* Segment from `from` with flags, seq, ack, len; frame numbers count up and
 * the time is frame * 1 ms. */
static void pass(struct pair *p, int from, uint16_t flags, uint32_t seq,
		 uint32_t ack, uint32_t len)
{
	struct tcp_seg s;

	memset(&s, 0, sizeof(s));
	s.frame = ++p->frame;
	s.ts_ns = (int64_t)p->frame * 1000000;
	s.seq = seq;
	s.ack = ack;
	s.len = len;
	s.flags = flags;
	s.window = 1000;
	if (flags & TCP_SYN) {
		s.mss = 1460;
		s.has_wscale = true;
		s.wscale = 7;
	}
	tcp_fsm_step(&p->ep[from], TCP_FSM_SEND, &s, &p->res[0]);
	tcp_fsm_step(&p->ep[1 - from], TCP_FSM_RECV, &s, &p->res[1]);
}

#define ST(p, who) ((enum tcp_state)(p)->ep[who].state)
#define SND(p) (&(p)->res[0])
#define RCV(p) (&(p)->res[1])

/* Client A (ISN 1000) and server B (ISN 5000) after a complete handshake:
 * A's next sequence number is 1001, B's 5001. */
static void established(struct pair *p)
{
	pair_init(p, TCP_ST_CLOSED, TCP_ST_CLOSED);
	pass(p, A, TCP_SYN, 1000, 0, 0);
	pass(p, B, TCP_SYN | TCP_ACK, 5000, 1001, 0);
	pass(p, A, TCP_ACK, 1001, 5001, 0);
	assert_int_equal(ST(p, A), TCP_ST_ESTABLISHED);
	assert_int_equal(ST(p, B), TCP_ST_ESTABLISHED);
}

/* --- opening ------------------------------------------------------------- */

static void test_closed_snd_syn_to_syn_sent(void **state)
{
	struct pair p;

	(void)state;
	pair_init(&p, TCP_ST_CLOSED, TCP_ST_CLOSED);
	pass(&p, A, TCP_SYN, 1000, 0, 0);
	assert_int_equal(ST(&p, A), TCP_ST_SYN_SENT);
	assert_int_equal(SND(&p)->nchanges, 1);
	assert_int_equal(SND(&p)->change[0].from, TCP_ST_CLOSED);
	assert_int_equal(SND(&p)->change[0].to, TCP_ST_SYN_SENT);
	assert_int_equal(SND(&p)->change[0].frame, 1);
	assert_int_equal(SND(&p)->event, TCP_EV_SYN);
	assert_true(p.ep[A].isn_known);
	assert_int_equal(p.ep[A].isn, 1000);
	assert_int_equal(p.ep[A].tx.nxt, 1001);
	assert_int_equal(p.ep[A].mss, 1460);
	/* the receiver stays CLOSED until it answers: LISTEN is implied then */
	assert_int_equal(ST(&p, B), TCP_ST_CLOSED);
	assert_int_equal(RCV(&p)->nchanges, 0);
	assert_true(p.ep[B].peer_syn_seen);
	assert_int_equal(RCV(&p)->notes & TCP_FSM_N_UNEXPECTED, 0);
}

static void test_closed_snd_synack_implies_listen(void **state)
{
	struct pair p;

	(void)state;
	pair_init(&p, TCP_ST_CLOSED, TCP_ST_CLOSED);
	pass(&p, A, TCP_SYN, 1000, 0, 0);
	pass(&p, B, TCP_SYN | TCP_ACK, 5000, 1001, 0);
	assert_int_equal(SND(&p)->nchanges, 2);
	assert_int_equal(SND(&p)->change[0].to, TCP_ST_LISTEN);
	assert_int_equal(SND(&p)->change[0].frame, 1); /* dated by the SYN */
	assert_int_equal(SND(&p)->change[1].to, TCP_ST_SYN_RECEIVED);
	assert_int_equal(SND(&p)->change[1].frame, 2);
	assert_int_equal(ST(&p, B), TCP_ST_SYN_RECEIVED);
	/* receiving side of the same segment: SYN_SENT -> ESTABLISHED */
	assert_int_equal(ST(&p, A), TCP_ST_ESTABLISHED);
	assert_true(RCV(&p)->notes & TCP_FSM_N_SYN_ACKED);
	assert_int_equal(p.ep[A].syn_acked_frame, 2);
}

static void test_listen_arrows(void **state)
{
	struct pair p;

	(void)state;
	/* a probe's passive open starts in LISTEN */
	pair_init(&p, TCP_ST_CLOSED, TCP_ST_LISTEN);
	pass(&p, A, TCP_SYN, 1000, 0, 0);
	assert_int_equal(ST(&p, B), TCP_ST_LISTEN);
	assert_int_equal(RCV(&p)->notes & TCP_FSM_N_UNEXPECTED, 0);
	pass(&p, B, TCP_SYN | TCP_ACK, 5000, 1001, 0);
	assert_int_equal(SND(&p)->nchanges, 1);
	assert_int_equal(ST(&p, B), TCP_ST_SYN_RECEIVED);

	/* LISTEN --snd RST--> CLOSED */
	pair_init(&p, TCP_ST_CLOSED, TCP_ST_LISTEN);
	pass(&p, A, TCP_SYN, 1000, 0, 0);
	pass(&p, B, TCP_RST | TCP_ACK, 0, 1001, 0);
	assert_int_equal(ST(&p, B), TCP_ST_CLOSED);
	assert_int_equal(ST(&p, A), TCP_ST_CLOSED);

	/* LISTEN --snd SYN--> SYN_SENT */
	pair_init(&p, TCP_ST_LISTEN, TCP_ST_CLOSED);
	pass(&p, A, TCP_SYN, 1000, 0, 0);
	assert_int_equal(ST(&p, A), TCP_ST_SYN_SENT);

	/* LISTEN ignores a RST, and flags data */
	pair_init(&p, TCP_ST_CLOSED, TCP_ST_LISTEN);
	pass(&p, A, TCP_RST, 1000, 0, 0);
	assert_int_equal(ST(&p, B), TCP_ST_LISTEN);
	assert_int_equal(RCV(&p)->notes & TCP_FSM_N_UNEXPECTED, 0);
	pass(&p, A, TCP_ACK, 1000, 7, 10);
	assert_true(RCV(&p)->notes & TCP_FSM_N_UNEXPECTED);
	assert_int_equal(ST(&p, B), TCP_ST_LISTEN);
}

static void test_closed_snd_rst_stays_closed(void **state)
{
	struct pair p;

	(void)state;
	pair_init(&p, TCP_ST_CLOSED, TCP_ST_CLOSED);
	pass(&p, A, TCP_SYN, 1000, 0, 0);
	pass(&p, B, TCP_RST | TCP_ACK, 0, 1001, 0);
	/* a closed port: no LISTEN, no change on the server */
	assert_int_equal(SND(&p)->nchanges, 0);
	assert_int_equal(ST(&p, B), TCP_ST_CLOSED);
	assert_true(p.ep[B].rst_sent);
	/* the client accepts it: it acknowledges the SYN */
	assert_int_equal(ST(&p, A), TCP_ST_CLOSED);
	assert_true(RCV(&p)->notes & TCP_FSM_N_RST_ACCEPTED);
	assert_true(p.ep[A].rst_rcvd);
}

static void test_syn_sent_rcv_rst_not_acking_syn_ignored(void **state)
{
	struct pair p;

	(void)state;
	pair_init(&p, TCP_ST_CLOSED, TCP_ST_CLOSED);
	pass(&p, A, TCP_SYN, 1000, 0, 0);
	pass(&p, B, TCP_RST | TCP_ACK, 0, 999, 0);
	assert_int_equal(ST(&p, A), TCP_ST_SYN_SENT);
	assert_true(RCV(&p)->notes & TCP_FSM_N_RST_IGNORED);
	pass(&p, B, TCP_RST, 0, 0, 0); /* no ACK bit: unacceptable too */
	assert_int_equal(ST(&p, A), TCP_ST_SYN_SENT);
}

static void test_syn_sent_retransmission_and_timeout(void **state)
{
	struct pair p;
	struct tcp_seg t = {.frame = 9, .ts_ns = 9, .flags = TCP_SEG_TIMEOUT};
	struct tcp_fsm_result r;

	(void)state;
	pair_init(&p, TCP_ST_CLOSED, TCP_ST_CLOSED);
	pass(&p, A, TCP_SYN, 1000, 0, 0);
	pass(&p, A, TCP_SYN, 1000, 0, 0);
	assert_true(SND(&p)->notes & TCP_FSM_N_SYN_REPEAT);
	assert_int_equal(SND(&p)->notes & TCP_FSM_N_UNEXPECTED, 0);
	assert_int_equal(p.ep[A].syn_tx, 2);
	assert_true(RCV(&p)->notes & TCP_FSM_N_PEER_SYN_REPEAT);
	assert_int_equal(ST(&p, A), TCP_ST_SYN_SENT);
	tcp_fsm_step(&p.ep[A], TCP_FSM_SEND, &t, &r);
	assert_int_equal(r.event, TCP_EV_TIMEOUT);
	assert_int_equal(ST(&p, A), TCP_ST_CLOSED);
	assert_int_equal(r.change[0].frame, 9);
}

static void test_syn_sent_rcv_synack_bad_ack(void **state)
{
	struct pair p;

	(void)state;
	pair_init(&p, TCP_ST_CLOSED, TCP_ST_CLOSED);
	pass(&p, A, TCP_SYN, 1000, 0, 0);
	pass(&p, B, TCP_SYN | TCP_ACK, 5000, 1000, 0); /* should be 1001 */
	assert_true(RCV(&p)->notes & TCP_FSM_N_BAD_ACK);
	assert_int_equal(ST(&p, A), TCP_ST_SYN_SENT);
	assert_false(p.ep[A].syn_acked);
	/* the client answers with RST <SEQ=SEG.ACK> and stays in SYN_SENT
	 * (§3.10.7.3); the server, whose RCV.NXT is what it acknowledged,
	 * takes it */
	pass(&p, A, TCP_RST, 1000, 0, 0);
	assert_int_equal(SND(&p)->nchanges, 0);
	assert_false(p.ep[A].rst_sent);
	assert_int_equal(ST(&p, A), TCP_ST_SYN_SENT);
	assert_int_equal(ST(&p, B), TCP_ST_CLOSED);
	/* its SYN again, and a good SYN-ACK this time */
	pass(&p, A, TCP_SYN, 1000, 0, 0);
	assert_true(SND(&p)->notes & TCP_FSM_N_SYN_REPEAT);
	pass(&p, B, TCP_SYN | TCP_ACK, 6000, 1001, 0);
	assert_int_equal(ST(&p, A), TCP_ST_ESTABLISHED);
}

static void test_syn_sent_rcv_stale_ack(void **state)
{
	struct pair p;

	(void)state;
	/* a server still holding an old connection answers the SYN with an
	 * ACK of the old sequence space (RFC 9293 §3.5.2) */
	pair_init(&p, TCP_ST_CLOSED, TCP_ST_CLOSED);
	pass(&p, A, TCP_SYN, 1000, 0, 0);
	pass(&p, B, TCP_ACK, 77000, 424242, 0);
	assert_true(RCV(&p)->notes & TCP_FSM_N_BAD_ACK);
	assert_int_equal(ST(&p, A), TCP_ST_SYN_SENT);
	pass(&p, A, TCP_RST, 424242, 0, 0);
	assert_int_equal(ST(&p, A), TCP_ST_SYN_SENT);
	/* any other RST from SYN_SENT is an abort */
	pass(&p, A, TCP_RST, 1001, 0, 0);
	assert_int_equal(ST(&p, A), TCP_ST_CLOSED);
	assert_true(p.ep[A].rst_sent);
}

static void test_syn_sent_snd_ack_infers_established(void **state)
{
	struct pair p;

	(void)state;
	pair_init(&p, TCP_ST_CLOSED, TCP_ST_CLOSED);
	pass(&p, A, TCP_SYN, 1000, 0, 0);
	/* the SYN-ACK was not captured; the client's ACK shows it came */
	pass(&p, A, TCP_ACK, 1001, 5001, 0);
	assert_int_equal(ST(&p, A), TCP_ST_ESTABLISHED);
	assert_true(SND(&p)->notes & TCP_FSM_N_INFERRED);
}

/* A bare ACK of ISN + 1 (no SYN) received in SYN_SENT is dropped
 * (RFC 9293 §3.10.7.3, fifth check): it is no SYN-ACK, the endpoint stays
 * in SYN_SENT and a SYN-ACK after it still completes the handshake. */
static void test_syn_sent_rcv_bare_ack_of_syn_dropped(void **state)
{
	struct pair p;

	(void)state;
	pair_init(&p, TCP_ST_CLOSED, TCP_ST_CLOSED);
	pass(&p, A, TCP_SYN, 1000, 0, 0);
	pass(&p, B, TCP_ACK, 5000, 1001, 0);
	assert_int_equal(ST(&p, A), TCP_ST_SYN_SENT);
	assert_int_equal(RCV(&p)->nchanges, 0);
	assert_false(p.ep[A].syn_acked);
	assert_int_equal(RCV(&p)->notes & TCP_FSM_N_SYN_ACKED, 0);
	assert_true(RCV(&p)->notes & TCP_FSM_N_UNEXPECTED);
	/* data and a FIN without SYN are dropped too */
	pass(&p, B, TCP_ACK | TCP_PSH, 5000, 1001, 10);
	pass(&p, B, TCP_FIN | TCP_ACK, 5010, 1001, 0);
	assert_int_equal(ST(&p, A), TCP_ST_SYN_SENT);
	/* the SYN-ACK that follows is the one that acknowledges the SYN */
	pass(&p, B, TCP_SYN | TCP_ACK, 4999, 1001, 0);
	assert_true(RCV(&p)->notes & TCP_FSM_N_SYN_ACKED);
	assert_int_equal(ST(&p, A), TCP_ST_ESTABLISHED);
	assert_int_equal(p.ep[A].syn_acked_frame, 5);

	/* split handshake: bare ACK, then the peer's own SYN: SYN_RECEIVED,
	 * and ESTABLISHED only when an ACK follows the SYN exchange */
	pair_init(&p, TCP_ST_CLOSED, TCP_ST_CLOSED);
	pass(&p, A, TCP_SYN, 1000, 0, 0);
	pass(&p, B, TCP_ACK, 5000, 1001, 0);
	pass(&p, B, TCP_SYN, 3000, 0, 0);
	assert_int_equal(ST(&p, A), TCP_ST_SYN_RECEIVED);
	pass(&p, A, TCP_SYN | TCP_ACK, 1000, 3001, 0);
	assert_int_equal(SND(&p)->notes & TCP_FSM_N_UNEXPECTED, 0);
	assert_int_equal(ST(&p, A), TCP_ST_SYN_RECEIVED);
	assert_int_equal(ST(&p, B), TCP_ST_ESTABLISHED);
	pass(&p, B, TCP_ACK, 3001, 1001, 0);
	assert_int_equal(ST(&p, A), TCP_ST_ESTABLISHED);
	assert_int_equal(RCV(&p)->change[0].frame, 5);
}

/* The SYN-ACK was not captured and the peer's data and FIN came before the
 * endpoint's own first ACK: that ACK shows ESTABLISHED, and as it
 * acknowledges the FIN, CLOSE_WAIT. */
static void test_syn_sent_snd_ack_of_peer_fin_infers_close_wait(void **state)
{
	struct pair p;

	(void)state;
	pair_init(&p, TCP_ST_CLOSED, TCP_ST_CLOSED);
	pass(&p, A, TCP_SYN, 1000, 0, 0);
	pass(&p, B, TCP_ACK | TCP_PSH, 5001, 1001, 10);
	pass(&p, B, TCP_FIN | TCP_ACK, 5011, 1001, 0);
	assert_int_equal(ST(&p, A), TCP_ST_SYN_SENT);
	pass(&p, A, TCP_ACK, 1001, 5012, 0);
	assert_true(SND(&p)->notes & TCP_FSM_N_INFERRED);
	assert_int_equal(SND(&p)->nchanges, 2);
	assert_int_equal(SND(&p)->change[0].to, TCP_ST_ESTABLISHED);
	assert_int_equal(SND(&p)->change[1].to, TCP_ST_CLOSE_WAIT);
	assert_int_equal(ST(&p, A), TCP_ST_CLOSE_WAIT);
}

static void test_simultaneous_open(void **state)
{
	struct pair p;

	(void)state;
	pair_init(&p, TCP_ST_CLOSED, TCP_ST_CLOSED);
	pass(&p, A, TCP_SYN, 1000, 0, 0);
	pass(&p, B, TCP_SYN, 5000, 0, 0);
	/* B sent a bare SYN after A's passed the capture point: crossed */
	assert_int_equal(SND(&p)->nchanges, 2);
	assert_int_equal(SND(&p)->change[0].to, TCP_ST_SYN_SENT);
	assert_int_equal(SND(&p)->change[1].to, TCP_ST_SYN_RECEIVED);
	/* SYN_SENT --rcv SYN--> SYN_RECEIVED */
	assert_int_equal(ST(&p, A), TCP_ST_SYN_RECEIVED);
	assert_int_equal(RCV(&p)->change[0].from, TCP_ST_SYN_SENT);
	/* SYN-ACKs: each side ESTABLISHED when its SYN is acknowledged */
	pass(&p, A, TCP_SYN | TCP_ACK, 1000, 5001, 0);
	assert_int_equal(SND(&p)->notes & TCP_FSM_N_UNEXPECTED, 0);
	assert_int_equal(ST(&p, B), TCP_ST_ESTABLISHED);
	assert_int_equal(ST(&p, A), TCP_ST_SYN_RECEIVED);
	pass(&p, B, TCP_SYN | TCP_ACK, 5000, 1001, 0);
	assert_int_equal(SND(&p)->notes & TCP_FSM_N_UNEXPECTED, 0);
	assert_int_equal(ST(&p, A), TCP_ST_ESTABLISHED);
}

static void test_syn_sent_snd_synack_after_peer_syn(void **state)
{
	struct pair p;

	(void)state;
	pair_init(&p, TCP_ST_SYN_SENT, TCP_ST_CLOSED);
	p.ep[A].syn_sent = p.ep[A].isn_known = p.ep[A].tx.nxt_known = true;
	p.ep[A].isn = 1000;
	p.ep[A].tx.nxt = 1001;
	p.ep[A].syn_tx = 1;
	pass(&p, B, TCP_SYN, 5000, 0, 0); /* A receives B's SYN: SYN_RECEIVED */
	assert_int_equal(ST(&p, A), TCP_ST_SYN_RECEIVED);

	/* SYN_SENT --snd SYN-ACK (peer SYN seen)--> SYN_RECEIVED */
	pair_init(&p, TCP_ST_CLOSED, TCP_ST_CLOSED);
	pass(&p, A, TCP_SYN, 1000, 0, 0);
	p.ep[A].peer_syn_seen = true; /* as if B's SYN had crossed unseen */
	p.ep[A].peer_isn = 5000;
	pass(&p, A, TCP_SYN | TCP_ACK, 1000, 5001, 0);
	assert_int_equal(ST(&p, A), TCP_ST_SYN_RECEIVED);
	assert_int_equal(SND(&p)->notes & TCP_FSM_N_UNEXPECTED, 0);

	/* without a peer SYN it is unexpected */
	pair_init(&p, TCP_ST_CLOSED, TCP_ST_CLOSED);
	pass(&p, A, TCP_SYN, 1000, 0, 0);
	pass(&p, A, TCP_SYN | TCP_ACK, 1000, 5001, 0);
	assert_true(SND(&p)->notes & TCP_FSM_N_UNEXPECTED);
	assert_int_equal(ST(&p, A), TCP_ST_SYN_SENT);
}

static void test_syn_received_rcv_ack(void **state)
{
	struct pair p;

	(void)state;
	pair_init(&p, TCP_ST_CLOSED, TCP_ST_CLOSED);
	pass(&p, A, TCP_SYN, 1000, 0, 0);
	pass(&p, B, TCP_SYN | TCP_ACK, 5000, 1001, 0);
	/* a third segment with the wrong number does not establish B */
	pass(&p, A, TCP_ACK, 1001, 5000, 0);
	assert_true(RCV(&p)->notes & TCP_FSM_N_BAD_ACK);
	assert_int_equal(ST(&p, B), TCP_ST_SYN_RECEIVED);
	pass(&p, A, TCP_ACK, 1001, 5001, 0);
	assert_int_equal(ST(&p, B), TCP_ST_ESTABLISHED);
	assert_int_equal(RCV(&p)->change[0].from, TCP_ST_SYN_RECEIVED);
	assert_true(p.ep[B].syn_acked);
	assert_int_equal(p.ep[B].syn_acked_frame, 4);
}

/* The third segment was not captured: the peer's first captured ACK
 * acknowledges data B sent that the capture missed (beyond ISN + 1). B only
 * sends data once ESTABLISHED: SND.UNA < SEG.ACK =< SND.NXT holds for the
 * real SND.NXT (RFC 9293 §3.10.7.4), the handshake is complete. */
static void test_syn_received_rcv_ack_of_missed_data(void **state)
{
	struct pair p;

	(void)state;
	pair_init(&p, TCP_ST_CLOSED, TCP_ST_CLOSED);
	pass(&p, A, TCP_SYN, 1000, 0, 0);
	pass(&p, B, TCP_SYN | TCP_ACK, 5000, 1001, 0);
	pass(&p, A, TCP_ACK, 1001, 5000 + 2857, 0);
	assert_true(RCV(&p)->notes & TCP_FSM_N_ACK_UNSEEN);
	assert_true(RCV(&p)->notes & TCP_FSM_N_SYN_ACKED);
	assert_int_equal(ST(&p, B), TCP_ST_ESTABLISHED);
	assert_int_equal(p.ep[B].syn_acked_frame, 3);

	/* further ahead than any window (2^30): proves nothing */
	pair_init(&p, TCP_ST_CLOSED, TCP_ST_CLOSED);
	pass(&p, A, TCP_SYN, 1000, 0, 0);
	pass(&p, B, TCP_SYN | TCP_ACK, 5000, 1001, 0);
	pass(&p, A, TCP_ACK, 1001, 5001 + (1u << 30) + 1, 0);
	assert_true(RCV(&p)->notes & TCP_FSM_N_BAD_ACK);
	assert_int_equal(ST(&p, B), TCP_ST_SYN_RECEIVED);

	/* in SYN_SENT a SYN-ACK acknowledging beyond the SYN stays
	 * unacceptable: nothing was sent after the SYN */
	pair_init(&p, TCP_ST_CLOSED, TCP_ST_CLOSED);
	pass(&p, A, TCP_SYN, 1000, 0, 0);
	pass(&p, B, TCP_SYN | TCP_ACK, 5000, 1005, 0);
	assert_true(RCV(&p)->notes & TCP_FSM_N_BAD_ACK);
	assert_int_equal(ST(&p, A), TCP_ST_SYN_SENT);
}

/* B's FIN from SYN_RECEIVED lies beyond ISN + 1: it sent data the capture
 * missed, so it was ESTABLISHED (inferred) before FIN_WAIT_1. A FIN right
 * after the SYN-ACK is the close of SYN_RECEIVED (§3.10.4). */
static void test_syn_received_snd_fin_after_missed_data(void **state)
{
	struct pair p;

	(void)state;
	pair_init(&p, TCP_ST_CLOSED, TCP_ST_CLOSED);
	pass(&p, A, TCP_SYN, 1000, 0, 0);
	pass(&p, B, TCP_SYN | TCP_ACK, 5000, 1001, 0);
	pass(&p, B, TCP_FIN | TCP_ACK, 9285, 1001, 0);
	assert_true(SND(&p)->notes & TCP_FSM_N_INFERRED);
	assert_int_equal(SND(&p)->nchanges, 2);
	assert_int_equal(SND(&p)->change[0].to, TCP_ST_ESTABLISHED);
	assert_int_equal(SND(&p)->change[1].to, TCP_ST_FIN_WAIT_1);

	pair_init(&p, TCP_ST_CLOSED, TCP_ST_CLOSED);
	pass(&p, A, TCP_SYN, 1000, 0, 0);
	pass(&p, B, TCP_SYN | TCP_ACK, 5000, 1001, 0);
	pass(&p, B, TCP_FIN | TCP_ACK, 5001, 1001, 0);
	assert_int_equal(SND(&p)->nchanges, 1);
	assert_int_equal(SND(&p)->change[0].to, TCP_ST_FIN_WAIT_1);
}

static void test_syn_received_repeats(void **state)
{
	struct pair p;

	(void)state;
	pair_init(&p, TCP_ST_CLOSED, TCP_ST_CLOSED);
	pass(&p, A, TCP_SYN, 1000, 0, 0);
	pass(&p, B, TCP_SYN | TCP_ACK, 5000, 1001, 0);
	pass(&p, A, TCP_SYN, 1000, 0,
	     0); /* retransmitted SYN (wrong at A: fine) */
	assert_true(RCV(&p)->notes & TCP_FSM_N_PEER_SYN_REPEAT);
	assert_int_equal(RCV(&p)->notes & TCP_FSM_N_UNEXPECTED, 0);
	pass(&p, B, TCP_SYN | TCP_ACK, 5000, 1001, 0);
	assert_true(SND(&p)->notes & TCP_FSM_N_SYN_REPEAT);
	assert_int_equal(SND(&p)->notes & TCP_FSM_N_UNEXPECTED, 0);
	assert_int_equal(p.ep[B].syn_tx, 2);
	/* a SYN-ACK repeated after B is ESTABLISHED (its ACK lost beyond
	 * the capture point) is normal on both sides */
	pass(&p, A, TCP_ACK, 1001, 5001, 0);
	pass(&p, B, TCP_SYN | TCP_ACK, 5000, 1001, 0);
	assert_int_equal(SND(&p)->notes & TCP_FSM_N_UNEXPECTED, 0);
	assert_int_equal(RCV(&p)->notes & TCP_FSM_N_UNEXPECTED, 0);
	assert_int_equal(ST(&p, A), TCP_ST_ESTABLISHED);
	assert_int_equal(ST(&p, B), TCP_ST_ESTABLISHED);
}

static void test_syn_received_rcv_fin_acking_syn(void **state)
{
	struct pair p;

	(void)state;
	pair_init(&p, TCP_ST_CLOSED, TCP_ST_CLOSED);
	pass(&p, A, TCP_SYN, 1000, 0, 0);
	pass(&p, B, TCP_SYN | TCP_ACK, 5000, 1001, 0);
	pass(&p, A, TCP_FIN | TCP_ACK, 1001, 5001, 0);
	assert_int_equal(RCV(&p)->nchanges, 2);
	assert_int_equal(RCV(&p)->change[0].to, TCP_ST_ESTABLISHED);
	assert_int_equal(RCV(&p)->change[1].to, TCP_ST_CLOSE_WAIT);
	assert_int_equal(ST(&p, A), TCP_ST_FIN_WAIT_1);
}

static void test_syn_received_snd_fin_and_data(void **state)
{
	struct pair p;

	(void)state;
	pair_init(&p, TCP_ST_CLOSED, TCP_ST_CLOSED);
	pass(&p, A, TCP_SYN, 1000, 0, 0);
	pass(&p, B, TCP_SYN | TCP_ACK, 5000, 1001, 0);
	pass(&p, B, TCP_FIN | TCP_ACK, 5001, 1001, 0);
	assert_int_equal(ST(&p, B), TCP_ST_FIN_WAIT_1);
	assert_int_equal(SND(&p)->change[0].from, TCP_ST_SYN_RECEIVED);

	/* data from SYN_RECEIVED: the ACK of its SYN was not captured */
	pair_init(&p, TCP_ST_CLOSED, TCP_ST_CLOSED);
	pass(&p, A, TCP_SYN, 1000, 0, 0);
	pass(&p, B, TCP_SYN | TCP_ACK, 5000, 1001, 0);
	pass(&p, B, TCP_ACK | TCP_PSH, 5001, 1001, 100);
	assert_int_equal(ST(&p, B), TCP_ST_ESTABLISHED);
	assert_true(SND(&p)->notes & TCP_FSM_N_INFERRED);
}

static void test_syn_received_rcv_rst(void **state)
{
	struct pair p;

	(void)state;
	pair_init(&p, TCP_ST_CLOSED, TCP_ST_CLOSED);
	pass(&p, A, TCP_SYN, 1000, 0, 0);
	pass(&p, B, TCP_SYN | TCP_ACK, 5000, 1001, 0);
	pass(&p, A, TCP_RST, 1001, 0, 0);
	assert_true(RCV(&p)->notes & TCP_FSM_N_RST_ACCEPTED);
	assert_int_equal(ST(&p, B), TCP_ST_CLOSED);
	assert_int_equal(ST(&p, A), TCP_ST_CLOSED);
}

/* --- closing ------------------------------------------------------------- */

static void test_four_way_close(void **state)
{
	struct pair p;

	(void)state;
	established(&p);
	/* ESTABLISHED --snd FIN--> FIN_WAIT_1, --rcv FIN--> CLOSE_WAIT */
	pass(&p, A, TCP_FIN | TCP_ACK, 1001, 5001, 0);
	assert_int_equal(ST(&p, A), TCP_ST_FIN_WAIT_1);
	assert_int_equal(ST(&p, B), TCP_ST_CLOSE_WAIT);
	assert_true(SND(&p)->notes & TCP_FSM_N_FIN_FIRST);
	assert_true(RCV(&p)->notes & TCP_FSM_N_PEER_FIN);
	assert_int_equal(p.ep[A].fin_seq, 1001);
	assert_int_equal(p.ep[A].tx.nxt, 1002);
	/* FIN_WAIT_1 --rcv ACK of FIN--> FIN_WAIT_2 */
	pass(&p, B, TCP_ACK, 5001, 1002, 0);
	assert_int_equal(ST(&p, A), TCP_ST_FIN_WAIT_2);
	assert_true(RCV(&p)->notes & TCP_FSM_N_FIN_ACKED);
	assert_true(SND(&p)->notes & TCP_FSM_N_ACKS_PEER_FIN);
	assert_int_equal(p.ep[B].peer_fin_acked_frame, 5);
	/* CLOSE_WAIT --snd FIN--> LAST_ACK; FIN_WAIT_2 --rcv FIN--> TIME_WAIT */
	pass(&p, B, TCP_FIN | TCP_ACK, 5001, 1002, 0);
	assert_int_equal(ST(&p, B), TCP_ST_LAST_ACK);
	assert_int_equal(ST(&p, A), TCP_ST_TIME_WAIT);
	assert_int_equal(RCV(&p)->change[0].from, TCP_ST_FIN_WAIT_2);
	/* LAST_ACK --rcv ACK of FIN--> CLOSED */
	pass(&p, A, TCP_ACK, 1002, 5002, 0);
	assert_int_equal(ST(&p, B), TCP_ST_CLOSED);
	assert_int_equal(RCV(&p)->change[0].from, TCP_ST_LAST_ACK);
	assert_int_equal(ST(&p, A), TCP_ST_TIME_WAIT);
	assert_int_equal(SND(&p)->notes & TCP_FSM_N_UNEXPECTED, 0);
}

static void test_fin_wait_1_rcv_fin_acking_fin_to_time_wait(void **state)
{
	struct pair p;

	(void)state;
	established(&p);
	pass(&p, A, TCP_FIN | TCP_ACK, 1001, 5001, 0);
	/* three-way close: B's FIN carries the ACK of A's FIN */
	pass(&p, B, TCP_FIN | TCP_ACK, 5001, 1002, 0);
	assert_int_equal(RCV(&p)->nchanges, 1);
	assert_int_equal(RCV(&p)->change[0].from, TCP_ST_FIN_WAIT_1);
	assert_int_equal(ST(&p, A), TCP_ST_TIME_WAIT);
	assert_int_equal(ST(&p, B), TCP_ST_LAST_ACK);
	assert_int_equal(p.ep[B].peer_fin_acked_frame, p.ep[B].fin_frame);
}

static void test_simultaneous_close_revokes_close_wait(void **state)
{
	struct pair p;

	(void)state;
	established(&p);
	pass(&p, A, TCP_FIN | TCP_ACK, 1001, 5001, 0);
	assert_int_equal(ST(&p, B), TCP_ST_CLOSE_WAIT);
	/* B's FIN does not acknowledge A's: B had not received it and
	 * closed actively from ESTABLISHED */
	pass(&p, B, TCP_FIN | TCP_ACK, 5001, 1001, 0);
	assert_true(SND(&p)->revoked);
	assert_int_equal(SND(&p)->revoked_state, TCP_ST_CLOSE_WAIT);
	assert_int_equal(SND(&p)->nchanges, 1);
	assert_int_equal(SND(&p)->change[0].from, TCP_ST_ESTABLISHED);
	assert_int_equal(SND(&p)->change[0].to, TCP_ST_FIN_WAIT_1);
	/* FIN_WAIT_1 --rcv FIN--> CLOSING */
	assert_int_equal(ST(&p, A), TCP_ST_CLOSING);
	assert_int_equal(RCV(&p)->change[0].from, TCP_ST_FIN_WAIT_1);
	/* A acknowledges B's FIN: B is in FIN_WAIT_2 as far as shown yet */
	pass(&p, A, TCP_ACK, 1002, 5002, 0);
	assert_int_equal(ST(&p, B), TCP_ST_FIN_WAIT_2);
	/* B acknowledges A's FIN: it got it before A's ACK (in order), so
	 * it went CLOSING (dated by its FIN, frame 5) and TIME_WAIT at the
	 * ACK of its FIN (frame 6); the FIN_WAIT_2 is revoked */
	pass(&p, B, TCP_ACK, 5002, 1002, 0);
	assert_true(SND(&p)->revoked);
	assert_int_equal(SND(&p)->revoked_state, TCP_ST_FIN_WAIT_2);
	assert_int_equal(SND(&p)->nchanges, 2);
	assert_int_equal(SND(&p)->change[0].from, TCP_ST_FIN_WAIT_1);
	assert_int_equal(SND(&p)->change[0].to, TCP_ST_CLOSING);
	assert_int_equal(SND(&p)->change[0].frame, 5);
	assert_int_equal(SND(&p)->change[1].to, TCP_ST_TIME_WAIT);
	assert_int_equal(SND(&p)->change[1].frame, 6);
	assert_int_equal(ST(&p, B), TCP_ST_TIME_WAIT);
	/* CLOSING --rcv ACK of FIN--> TIME_WAIT */
	assert_int_equal(ST(&p, A), TCP_ST_TIME_WAIT);
	assert_true(p.ep[A].was_closing);
	assert_true(p.ep[B].was_closing);

	/* B acknowledges A's FIN before its own FIN is acknowledged:
	 * FIN_WAIT_1 -> CLOSING, then TIME_WAIT at the ACK of its FIN */
	established(&p);
	pass(&p, A, TCP_FIN | TCP_ACK, 1001, 5001, 0);
	pass(&p, B, TCP_FIN | TCP_ACK, 5001, 1001, 0);
	pass(&p, B, TCP_ACK, 5002, 1002, 0);
	assert_int_equal(SND(&p)->nchanges, 1);
	assert_int_equal(SND(&p)->change[0].to, TCP_ST_CLOSING);
	assert_int_equal(SND(&p)->change[0].frame, 5);
	pass(&p, A, TCP_ACK, 1002, 5002, 0);
	assert_int_equal(ST(&p, B), TCP_ST_TIME_WAIT);
	assert_int_equal(ST(&p, A), TCP_ST_TIME_WAIT);
}

/* A's FIN never reached B: B's FIN does not acknowledge it, and after A
 * acknowledged B's FIN, B still acknowledges only up to A's FIN. B closed
 * actively from ESTABLISHED and is in FIN_WAIT_2, never CLOSING; A, which
 * got B's FIN with its own unacknowledged, is CLOSING (the audit's cases
 * finnoack and fin_badack; tests/test_analyzer.c has them as captures). */
static void test_lost_fin_no_closing_for_its_receiver(void **state)
{
	struct pair p;

	(void)state;
	established(&p);
	pass(&p, A, TCP_FIN | TCP_ACK, 1001, 5001, 0);
	pass(&p, B, TCP_ACK, 5001, 1001, 0);
	pass(&p, B, TCP_FIN | TCP_ACK, 5001, 1001, 0);
	assert_int_equal(ST(&p, B), TCP_ST_FIN_WAIT_1);
	assert_int_equal(ST(&p, A), TCP_ST_CLOSING);
	pass(&p, A, TCP_ACK, 1002, 5002, 0);
	assert_int_equal(ST(&p, B), TCP_ST_FIN_WAIT_2);
	assert_int_equal(ST(&p, A), TCP_ST_CLOSING);
	pass(&p, B, TCP_ACK, 5002, 1001, 0);
	assert_int_equal(SND(&p)->nchanges, 0);
	assert_false(SND(&p)->revoked);
	assert_int_equal(ST(&p, B), TCP_ST_FIN_WAIT_2);
	assert_false(p.ep[B].was_closing);
	/* A's FIN again: it arrives now, FIN_WAIT_2 -> TIME_WAIT */
	pass(&p, A, TCP_FIN | TCP_ACK, 1001, 5002, 0);
	assert_int_equal(ST(&p, B), TCP_ST_TIME_WAIT);
	pass(&p, B, TCP_ACK, 5002, 1002, 0);
	assert_int_equal(ST(&p, A), TCP_ST_TIME_WAIT);
	assert_false(p.ep[B].was_closing);
}

static void test_closing_from_fin_wait_1_then_ack(void **state)
{
	struct pair p;

	(void)state;
	established(&p);
	pass(&p, A, TCP_FIN | TCP_ACK, 1001, 5001, 0);
	/* B acknowledged A's FIN before: not a crossing, plain LAST_ACK */
	pass(&p, B, TCP_ACK, 5001, 1002, 0);
	pass(&p, B, TCP_FIN | TCP_ACK, 5001, 1002, 0);
	assert_false(SND(&p)->revoked);
	assert_int_equal(ST(&p, B), TCP_ST_LAST_ACK);
}

/* conntimeout.pcap (soak): every SYN-ACK is dropped beyond the capture
 * point. A's SYN again (same ISN, nothing else sent) proves the SYN-ACK
 * that moved it to ESTABLISHED never reached it: back to SYN_SENT. Its
 * connect() then times out, and its bare RST answering a late SYN-ACK
 * proves the last one was lost too: SYN_SENT -> CLOSED, never
 * ESTABLISHED. */
static void test_syn_resent_revokes_established(void **state)
{
	struct pair p;

	(void)state;
	pair_init(&p, TCP_ST_CLOSED, TCP_ST_CLOSED);
	pass(&p, A, TCP_SYN, 1000, 0, 0);
	pass(&p, B, TCP_SYN | TCP_ACK, 5000, 1001, 0);
	assert_int_equal(ST(&p, A), TCP_ST_ESTABLISHED);
	pass(&p, B, TCP_SYN | TCP_ACK, 5000, 1001, 0); /* B retransmits */
	assert_int_equal(ST(&p, A), TCP_ST_ESTABLISHED);
	pass(&p, A, TCP_SYN, 1000, 0, 0); /* frame 4 */
	assert_true(SND(&p)->notes & TCP_FSM_N_SYN_REPEAT);
	assert_int_equal(SND(&p)->notes & TCP_FSM_N_UNEXPECTED, 0);
	assert_true(SND(&p)->revoked);
	assert_int_equal(SND(&p)->revoked_state, TCP_ST_ESTABLISHED);
	assert_int_equal(ST(&p, A), TCP_ST_SYN_SENT);
	assert_int_equal(p.ep[A].state_since_frame, 1);
	assert_false(p.ep[A].syn_acked);
	/* the next SYN-ACK acknowledges it again */
	pass(&p, B, TCP_SYN | TCP_ACK, 5000, 1001, 0); /* frame 5 */
	assert_int_equal(RCV(&p)->notes & TCP_FSM_N_BAD_ACK, 0);
	assert_int_equal(ST(&p, A), TCP_ST_ESTABLISHED);
	assert_int_equal(p.ep[A].state_since_frame, 5);
	pass(&p, A, TCP_SYN, 1000, 0, 0);
	assert_true(SND(&p)->revoked);
	assert_int_equal(ST(&p, A), TCP_ST_SYN_SENT);
	pass(&p, B, TCP_SYN | TCP_ACK, 5000, 1001, 0);
	assert_int_equal(ST(&p, A), TCP_ST_ESTABLISHED);
	/* the bare RST <SEQ=SEG.ACK> of a CLOSED endpoint */
	pass(&p, B, TCP_SYN | TCP_ACK, 5000, 1001, 0);
	pass(&p, A, TCP_RST, 1001, 0, 0);
	assert_true(SND(&p)->revoked);
	assert_int_equal(SND(&p)->revoked_state, TCP_ST_ESTABLISHED);
	assert_int_equal(SND(&p)->nchanges, 1);
	assert_int_equal(SND(&p)->change[0].from, TCP_ST_SYN_SENT);
	assert_int_equal(SND(&p)->change[0].to, TCP_ST_CLOSED);
	assert_int_equal(ST(&p, A), TCP_ST_CLOSED);
}

/* Once it acknowledged the SYN-ACK, its SYN again changes nothing. */
static void test_syn_resent_after_ack_stays_established(void **state)
{
	struct pair p;

	(void)state;
	established(&p);
	pass(&p, A, TCP_SYN, 1000, 0, 0);
	assert_false(SND(&p)->revoked);
	assert_int_equal(ST(&p, A), TCP_ST_ESTABLISHED);
}

static void test_time_wait_fin_repeat_and_timeout(void **state)
{
	struct pair p;
	struct tcp_seg t = {.frame = 99, .ts_ns = 99, .flags = TCP_SEG_TIMEOUT};
	struct tcp_fsm_result r;

	(void)state;
	established(&p);
	pass(&p, A, TCP_FIN | TCP_ACK, 1001, 5001, 0);
	pass(&p, B, TCP_FIN | TCP_ACK, 5001, 1002, 0);
	pass(&p, A, TCP_ACK, 1002, 5002, 0);
	assert_int_equal(ST(&p, B), TCP_ST_CLOSED);
	/* B's FIN again: A's ACK was lost beyond the capture point, so B's
	 * CLOSED is revoked and B is back in LAST_ACK */
	pass(&p, B, TCP_FIN | TCP_ACK, 5001, 1002, 0);
	assert_true(SND(&p)->notes & TCP_FSM_N_FIN_REPEAT);
	assert_int_equal(SND(&p)->notes & TCP_FSM_N_UNEXPECTED, 0);
	assert_true(SND(&p)->revoked);
	assert_int_equal(SND(&p)->revoked_state, TCP_ST_CLOSED);
	assert_int_equal(ST(&p, B), TCP_ST_LAST_ACK);
	assert_true(RCV(&p)->notes & TCP_FSM_N_PEER_FIN_REPEAT);
	assert_int_equal(RCV(&p)->notes & TCP_FSM_N_UNEXPECTED, 0);
	assert_int_equal(ST(&p, A), TCP_ST_TIME_WAIT);
	assert_int_equal(p.ep[B].fin_tx, 2);
	/* TIME_WAIT answers with the ACK again; now B is CLOSED */
	pass(&p, A, TCP_ACK, 1002, 5002, 0);
	assert_int_equal(SND(&p)->notes & TCP_FSM_N_UNEXPECTED, 0);
	assert_int_equal(ST(&p, B), TCP_ST_CLOSED);
	assert_int_equal(RCV(&p)->change[0].from, TCP_ST_LAST_ACK);
	/* TIME_WAIT --TIMEOUT (2 MSL)--> CLOSED */
	tcp_fsm_step(&p.ep[A], TCP_FSM_SEND, &t, &r);
	assert_int_equal(ST(&p, A), TCP_ST_CLOSED);
	assert_true(r.notes & TCP_FSM_N_TIMEOUT);
}

static void test_fin_wait_2_fin_resent_revoked(void **state)
{
	struct pair p;

	(void)state;
	established(&p);
	pass(&p, A, TCP_FIN | TCP_ACK, 1001, 5001, 0);
	pass(&p, B, TCP_ACK, 5001, 1002, 0);
	assert_int_equal(ST(&p, A), TCP_ST_FIN_WAIT_2);
	pass(&p, A, TCP_FIN | TCP_ACK, 1001, 5001, 0);
	assert_true(SND(&p)->revoked);
	assert_int_equal(ST(&p, A), TCP_ST_FIN_WAIT_1);
	pass(&p, B, TCP_ACK, 5001, 1002, 0);
	assert_int_equal(ST(&p, A), TCP_ST_FIN_WAIT_2);
	assert_int_equal(p.ep[A].fin_acked_frame, p.frame);
	/* and again: that ACK did not arrive either */
	pass(&p, B, TCP_ACK | TCP_PSH, 5001, 1002, 10);
	pass(&p, A, TCP_FIN | TCP_ACK, 1001, 5011, 0);
	assert_true(SND(&p)->revoked);
	assert_int_equal(ST(&p, A), TCP_ST_FIN_WAIT_1);
	/* a FIN repeated in FIN_WAIT_2 reached through the peer's data is
	 * a repeat only when nothing revokes */
	pass(&p, B, TCP_ACK, 5011, 1002, 0);
	pass(&p, B, TCP_ACK | TCP_PSH, 5011, 1002, 10);
	p.ep[A].state_since_frame = 0; /* moved by something else */
	pass(&p, A, TCP_FIN | TCP_ACK, 1001, 5021, 0);
	assert_false(SND(&p)->revoked);
	assert_true(SND(&p)->notes & TCP_FSM_N_FIN_REPEAT);
	assert_int_equal(ST(&p, A), TCP_ST_FIN_WAIT_2);
}

static void test_fin_with_data_and_data_after_fin(void **state)
{
	struct pair p;

	(void)state;
	established(&p);
	pass(&p, A, TCP_FIN | TCP_ACK | TCP_PSH, 1001, 5001, 100);
	assert_true(SND(&p)->notes & TCP_FSM_N_NEW_DATA);
	assert_int_equal(p.ep[A].fin_seq, 1101);
	assert_int_equal(p.ep[A].tx.nxt, 1102);
	/* an ACK of the data but not of the FIN keeps FIN_WAIT_1 */
	pass(&p, B, TCP_ACK, 5001, 1101, 0);
	assert_int_equal(ST(&p, A), TCP_ST_FIN_WAIT_1);
	pass(&p, B, TCP_ACK, 5001, 1102, 0);
	assert_int_equal(ST(&p, A), TCP_ST_FIN_WAIT_2);
	/* half-close: B keeps sending, A receives in FIN_WAIT_2 */
	pass(&p, B, TCP_ACK | TCP_PSH, 5001, 1102, 500);
	assert_int_equal(ST(&p, A), TCP_ST_FIN_WAIT_2);
	assert_int_equal(RCV(&p)->notes & TCP_FSM_N_UNEXPECTED, 0);
	/* A sends new data beyond its FIN */
	pass(&p, A, TCP_ACK | TCP_PSH, 1102, 5501, 10);
	assert_true(SND(&p)->notes & TCP_FSM_N_DATA_AFTER_FIN);
	/* a retransmission of data below the FIN is not */
	pass(&p, A, TCP_ACK | TCP_PSH, 1001, 5501, 100);
	assert_int_equal(SND(&p)->notes & TCP_FSM_N_DATA_AFTER_FIN, 0);
	assert_int_equal(SND(&p)->notes & TCP_FSM_N_NEW_DATA, 0);
}

/* --- RST ----------------------------------------------------------------- */

static void test_rst_acceptability(void **state)
{
	struct pair p;

	(void)state;
	/* snd RST: the sender is CLOSED whatever the receiver does */
	established(&p);
	pass(&p, A, TCP_RST | TCP_ACK, 1001, 5001, 0);
	assert_int_equal(ST(&p, A), TCP_ST_CLOSED);
	assert_int_equal(SND(&p)->change[0].from, TCP_ST_ESTABLISHED);
	/* exact (RCV.NXT): accepted */
	assert_int_equal(ST(&p, B), TCP_ST_CLOSED);
	assert_true(RCV(&p)->notes & TCP_FSM_N_RST_ACCEPTED);

	/* in window but not exact: challenge ACK, no change */
	established(&p);
	pass(&p, A, TCP_RST, 1001 + 500, 0, 0);
	assert_true(RCV(&p)->notes & TCP_FSM_N_RST_CHALLENGE);
	assert_int_equal(ST(&p, B), TCP_ST_ESTABLISHED);
	assert_int_equal(ST(&p, A), TCP_ST_CLOSED);

	/* outside the window: ignored (window 1000 << 7 after scaling) */
	established(&p);
	pass(&p, A, TCP_RST, 1001 + 1000 * 128 + 10, 0, 0);
	assert_true(RCV(&p)->notes & TCP_FSM_N_RST_IGNORED);
	assert_int_equal(ST(&p, B), TCP_ST_ESTABLISHED);
	/* old sequence number: ignored */
	established(&p);
	pass(&p, A, TCP_RST, 900, 0, 0);
	assert_true(RCV(&p)->notes & TCP_FSM_N_RST_IGNORED);

	/* between what B acknowledged and what A sent: exact enough */
	established(&p);
	pass(&p, A, TCP_ACK | TCP_PSH, 1001, 5001, 100);
	pass(&p, A, TCP_RST, 1051, 0, 0);
	assert_true(RCV(&p)->notes & TCP_FSM_N_RST_ACCEPTED);
}

static void test_rst_in_each_closing_state(void **state)
{
	struct pair p;

	(void)state;
	/* FIN_WAIT_1 receives a RST */
	established(&p);
	pass(&p, A, TCP_FIN | TCP_ACK, 1001, 5001, 0);
	pass(&p, B, TCP_RST | TCP_ACK, 5001, 1002, 0);
	assert_int_equal(RCV(&p)->change[0].from, TCP_ST_FIN_WAIT_1);
	assert_int_equal(ST(&p, A), TCP_ST_CLOSED);
	assert_int_equal(SND(&p)->change[0].from, TCP_ST_CLOSE_WAIT);

	/* FIN_WAIT_2 and LAST_ACK */
	established(&p);
	pass(&p, A, TCP_FIN | TCP_ACK, 1001, 5001, 0);
	pass(&p, B, TCP_ACK, 5001, 1002, 0);
	pass(&p, B, TCP_FIN | TCP_ACK, 5001, 1002, 0);
	assert_int_equal(ST(&p, B), TCP_ST_LAST_ACK);
	pass(&p, A, TCP_RST, 1002, 0, 0);
	assert_int_equal(SND(&p)->change[0].from, TCP_ST_TIME_WAIT);
	assert_int_equal(RCV(&p)->change[0].from, TCP_ST_LAST_ACK);
	assert_int_equal(ST(&p, B), TCP_ST_CLOSED);

	established(&p);
	pass(&p, A, TCP_FIN | TCP_ACK, 1001, 5001, 0);
	pass(&p, B, TCP_ACK, 5001, 1002, 0);
	pass(&p, B, TCP_RST, 5001, 0, 0);
	assert_int_equal(RCV(&p)->change[0].from, TCP_ST_FIN_WAIT_2);

	/* CLOSING (A; B never showed it got A's FIN: FIN_WAIT_1) */
	established(&p);
	pass(&p, A, TCP_FIN | TCP_ACK, 1001, 5001, 0);
	pass(&p, B, TCP_FIN | TCP_ACK, 5001, 1001, 0);
	pass(&p, B, TCP_RST, 5002, 0, 0);
	assert_int_equal(SND(&p)->change[0].from, TCP_ST_FIN_WAIT_1);
	assert_int_equal(RCV(&p)->change[0].from, TCP_ST_CLOSING);
	established(&p);
	pass(&p, A, TCP_FIN | TCP_ACK, 1001, 5001, 0);
	pass(&p, B, TCP_FIN | TCP_ACK, 5001, 1001, 0);
	pass(&p, B, TCP_ACK, 5002, 1002, 0);
	pass(&p, A, TCP_RST, 1002, 0, 0);
	assert_int_equal(RCV(&p)->change[0].from, TCP_ST_CLOSING);

	/* TIME_WAIT receiving a RST (Linux, rfc1337 off) */
	established(&p);
	pass(&p, A, TCP_FIN | TCP_ACK, 1001, 5001, 0);
	pass(&p, B, TCP_FIN | TCP_ACK, 5001, 1002, 0);
	pass(&p, B, TCP_RST, 5002, 0, 0);
	assert_int_equal(RCV(&p)->change[0].from, TCP_ST_TIME_WAIT);
	assert_int_equal(ST(&p, A), TCP_ST_CLOSED);
}

/* --- mid-stream ---------------------------------------------------------- */

static void test_unknown_inference(void **state)
{
	struct pair p;

	(void)state;
	pair_init(&p, TCP_ST_UNKNOWN, TCP_ST_UNKNOWN);
	pass(&p, A, TCP_ACK | TCP_PSH, 70000, 9000, 100);
	assert_int_equal(ST(&p, A), TCP_ST_ESTABLISHED);
	assert_int_equal(ST(&p, B), TCP_ST_ESTABLISHED);
	assert_false(p.ep[A].isn_known);
	assert_int_equal(p.ep[A].tx.nxt, 70100);

	pair_init(&p, TCP_ST_UNKNOWN, TCP_ST_UNKNOWN);
	pass(&p, A, TCP_FIN | TCP_ACK, 70000, 9000, 0);
	assert_int_equal(ST(&p, A), TCP_ST_FIN_WAIT_1);
	assert_int_equal(ST(&p, B), TCP_ST_CLOSE_WAIT);
	pass(&p, B, TCP_FIN | TCP_ACK, 9000, 70001, 0);
	assert_int_equal(ST(&p, B), TCP_ST_LAST_ACK);
	assert_int_equal(ST(&p, A), TCP_ST_TIME_WAIT);

	/* UNKNOWN --rcv SYN-ACK--> ESTABLISHED (its SYN was not captured);
	 * UNKNOWN --snd SYN-ACK--> SYN_RECEIVED */
	pair_init(&p, TCP_ST_UNKNOWN, TCP_ST_UNKNOWN);
	pass(&p, B, TCP_SYN | TCP_ACK, 5000, 1001, 0);
	assert_int_equal(ST(&p, B), TCP_ST_SYN_RECEIVED);
	assert_int_equal(ST(&p, A), TCP_ST_ESTABLISHED);
	assert_true(p.ep[A].isn_known);
	assert_int_equal(p.ep[A].isn, 1000);

	/* UNKNOWN --snd SYN--> SYN_SENT; RST -> CLOSED */
	pair_init(&p, TCP_ST_UNKNOWN, TCP_ST_UNKNOWN);
	pass(&p, A, TCP_SYN, 1000, 0, 0);
	assert_int_equal(ST(&p, A), TCP_ST_SYN_SENT);
	pair_init(&p, TCP_ST_UNKNOWN, TCP_ST_UNKNOWN);
	pass(&p, A, TCP_RST | TCP_ACK, 1000, 77, 0);
	assert_int_equal(ST(&p, A), TCP_ST_CLOSED);
	assert_int_equal(ST(&p, B), TCP_ST_CLOSED);
}

static void test_unexpected_events(void **state)
{
	struct pair p;

	(void)state;
	/* data to a CLOSED endpoint */
	pair_init(&p, TCP_ST_UNKNOWN, TCP_ST_CLOSED);
	pass(&p, A, TCP_ACK, 1, 1, 10);
	assert_true(RCV(&p)->notes & TCP_FSM_N_UNEXPECTED);
	assert_int_equal(ST(&p, B), TCP_ST_CLOSED);
	/* a FIN from CLOSED */
	pair_init(&p, TCP_ST_CLOSED, TCP_ST_UNKNOWN);
	pass(&p, A, TCP_FIN | TCP_ACK, 1, 1, 0);
	assert_true(SND(&p)->notes & TCP_FSM_N_UNEXPECTED);
	assert_int_equal(ST(&p, A), TCP_ST_CLOSED);
	/* a bare SYN with a new ISN inside ESTABLISHED */
	established(&p);
	pass(&p, A, TCP_SYN, 77777, 0, 0);
	assert_true(SND(&p)->notes & TCP_FSM_N_NEW_ISN);
	assert_true(SND(&p)->notes & TCP_FSM_N_UNEXPECTED);
	assert_int_equal(ST(&p, A), TCP_ST_ESTABLISHED);
	/* a second, different FIN */
	established(&p);
	pass(&p, A, TCP_FIN | TCP_ACK, 1001, 5001, 0);
	pass(&p, A, TCP_FIN | TCP_ACK, 1500, 5001, 0);
	assert_true(SND(&p)->notes & TCP_FSM_N_UNEXPECTED);
	/* every note has a name */
	for (int b = 0; b < TCP_FSM_NOTE_COUNT; b++)
		assert_string_not_equal(
			tcp_fsm_note_name((enum tcp_fsm_note_bit)b), "?");
	assert_string_equal(tcp_fsm_event_name(TCP_EV_SYNACK), "SYNACK");
	assert_string_equal(tcp_fsm_event_name((enum tcp_fsm_event)99), "?");
}

/* --- sequence space ------------------------------------------------------ */

static void test_wraparound_close(void **state)
{
	struct pair p;
	uint32_t isn = 0xfffffff0u;

	(void)state;
	pair_init(&p, TCP_ST_CLOSED, TCP_ST_CLOSED);
	pass(&p, A, TCP_SYN, isn, 0, 0);
	pass(&p, B, TCP_SYN | TCP_ACK, 0x7ffffffeu, isn + 1, 0);
	pass(&p, A, TCP_ACK, isn + 1, 0x7fffffffu, 0);
	assert_int_equal(ST(&p, B), TCP_ST_ESTABLISHED);
	/* 32 bytes across the wrap: 0xfffffff1 .. 0x00000010 */
	pass(&p, A, TCP_ACK | TCP_PSH, isn + 1, 0x7fffffffu, 32);
	assert_true(SND(&p)->notes & TCP_FSM_N_NEW_DATA);
	assert_int_equal(p.ep[A].tx.nxt, 0x11u);
	/* FIN just after the wrap; B acks it with a small number */
	pass(&p, A, TCP_FIN | TCP_ACK, 0x11u, 0x7fffffffu, 0);
	assert_int_equal(p.ep[A].fin_seq, 0x11u);
	pass(&p, B, TCP_ACK, 0x7fffffffu, 0x11u, 0); /* data only */
	assert_int_equal(ST(&p, A), TCP_ST_FIN_WAIT_1);
	pass(&p, B, TCP_ACK, 0x7fffffffu, 0x12u, 0);
	assert_int_equal(ST(&p, A), TCP_ST_FIN_WAIT_2);
	assert_false(RCV(&p)->notes & TCP_FSM_N_ACK_UNSEEN);
	/* B's FIN at 0x7fffffff: its ack crosses 2^31 from B's ISN */
	pass(&p, B, TCP_FIN | TCP_ACK, 0x7fffffffu, 0x12u, 0);
	assert_int_equal(ST(&p, A), TCP_ST_TIME_WAIT);
	pass(&p, A, TCP_ACK, 0x12u, 0x80000000u, 0);
	assert_int_equal(ST(&p, B), TCP_ST_CLOSED);
	/* a RST after the wrap is judged in serial arithmetic too */
	pass(&p, B, TCP_RST, 0x80000000u, 0, 0);
	assert_int_equal(RCV(&p)->notes & TCP_FSM_N_RST_IGNORED, 0);
}

static void test_wraparound_retransmission_is_not_new(void **state)
{
	struct pair p;

	(void)state;
	pair_init(&p, TCP_ST_UNKNOWN, TCP_ST_UNKNOWN);
	pass(&p, A, TCP_ACK, 0xffffff00u, 1, 0x200);
	assert_int_equal(p.ep[A].tx.nxt, 0x100u);
	pass(&p, A, TCP_ACK, 0xffffff80u, 1, 0x10);
	assert_int_equal(SND(&p)->notes & TCP_FSM_N_NEW_DATA, 0);
	assert_int_equal(p.ep[A].tx.nxt, 0x100u);
	/* B acknowledges beyond what A sent */
	pass(&p, B, TCP_ACK, 1, 0x200u, 0);
	assert_true(RCV(&p)->notes & TCP_FSM_N_ACK_UNSEEN);
}

static void test_window_scaling(void **state)
{
	struct pair p;

	(void)state;
	established(&p);
	/* window 1000, both announced scale 7 */
	assert_int_equal(tcp_endpoint_window(&p.ep[A]), 1000u << 7);
	/* mid-stream: the scale is unknown, the raw window is reported */
	pair_init(&p, TCP_ST_UNKNOWN, TCP_ST_UNKNOWN);
	pass(&p, A, TCP_ACK, 5, 5, 0);
	assert_int_equal(tcp_endpoint_window(&p.ep[A]), 1000);
	assert_true(tcp_state_synchronized(TCP_ST_CLOSE_WAIT));
	assert_false(tcp_state_synchronized(TCP_ST_SYN_RECEIVED));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_closed_snd_syn_to_syn_sent),
		cmocka_unit_test(test_closed_snd_synack_implies_listen),
		cmocka_unit_test(test_listen_arrows),
		cmocka_unit_test(test_closed_snd_rst_stays_closed),
		cmocka_unit_test(test_syn_sent_rcv_rst_not_acking_syn_ignored),
		cmocka_unit_test(test_syn_sent_retransmission_and_timeout),
		cmocka_unit_test(test_syn_sent_rcv_synack_bad_ack),
		cmocka_unit_test(test_syn_sent_rcv_stale_ack),
		cmocka_unit_test(test_syn_sent_snd_ack_infers_established),
		cmocka_unit_test(test_syn_sent_rcv_bare_ack_of_syn_dropped),
		cmocka_unit_test(
			test_syn_sent_snd_ack_of_peer_fin_infers_close_wait),
		cmocka_unit_test(test_simultaneous_open),
		cmocka_unit_test(test_syn_sent_snd_synack_after_peer_syn),
		cmocka_unit_test(test_syn_received_rcv_ack),
		cmocka_unit_test(test_syn_received_rcv_ack_of_missed_data),
		cmocka_unit_test(test_syn_received_snd_fin_after_missed_data),
		cmocka_unit_test(test_syn_received_repeats),
		cmocka_unit_test(test_syn_received_rcv_fin_acking_syn),
		cmocka_unit_test(test_syn_received_snd_fin_and_data),
		cmocka_unit_test(test_syn_received_rcv_rst),
		cmocka_unit_test(test_four_way_close),
		cmocka_unit_test(
			test_fin_wait_1_rcv_fin_acking_fin_to_time_wait),
		cmocka_unit_test(test_simultaneous_close_revokes_close_wait),
		cmocka_unit_test(test_lost_fin_no_closing_for_its_receiver),
		cmocka_unit_test(test_closing_from_fin_wait_1_then_ack),
		cmocka_unit_test(test_time_wait_fin_repeat_and_timeout),
		cmocka_unit_test(test_fin_wait_2_fin_resent_revoked),
		cmocka_unit_test(test_fin_with_data_and_data_after_fin),
		cmocka_unit_test(test_rst_acceptability),
		cmocka_unit_test(test_rst_in_each_closing_state),
		cmocka_unit_test(test_unknown_inference),
		cmocka_unit_test(test_unexpected_events),
		cmocka_unit_test(test_wraparound_close),
		cmocka_unit_test(test_wraparound_retransmission_is_not_new),
		cmocka_unit_test(test_window_scaling),
		cmocka_unit_test(test_syn_resent_revokes_established),
		cmocka_unit_test(test_syn_resent_after_ack_stays_established),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
