/*
 * test_flow_cold.c - the cold part of flow entries and the pools it comes
 * from (analyzer/chunk_pool.h, analyzer/flow_cold.h): chunks are reused
 * once flows are reported, memory stays flat over any number of finished
 * flows, a long connection takes the same chunks whether it lasts 2 000 or
 * 2 000 000 segments, the timeline's encoding is exact for any frame and
 * time and keeps its bounds.
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
#include "analyzer/chunk_pool.h"
#include "analyzer/flow.h"
#include "analyzer/flow_cold.h"

#define BASE_NS (1700000000LL * NS_PER_SEC)

/* --- the pool --------------------------------------------------------------- */

static void test_pool_reuses_chunks(void **state)
{
	struct chunk_pool p;
	void *c[1000];
	uint64_t blocks;

	(void)state;
	chunk_pool_init(&p, 100);
	assert_int_equal(p.chunk_bytes, 104); /* rounded up to 8 */
	assert_int_equal(p.st.blocks, 0);     /* nothing until asked */
	for (int i = 0; i < 1000; i++) {
		c[i] = chunk_pool_get(&p);
		assert_non_null(c[i]);
		memset(c[i], 0xa5, p.chunk_bytes);
	}
	blocks = p.st.blocks;
	assert_int_equal(blocks, (1000 + p.per_block - 1) / p.per_block);
	assert_int_equal(p.st.in_use, 1000);
	/* given back and taken again, many times over: no new block, and
	 * every chunk comes back zeroed */
	for (int round = 0; round < 50; round++) {
		for (int i = 0; i < 1000; i++)
			chunk_pool_put(&p, c[i]);
		assert_int_equal(p.st.in_use, 0);
		for (int i = 0; i < 1000; i++) {
			const unsigned char *b;

			c[i] = chunk_pool_get(&p);
			b = c[i];
			for (size_t k = 0; k < p.chunk_bytes; k++)
				assert_int_equal(b[k], 0);
			memset(c[i], 0x5a, p.chunk_bytes);
		}
	}
	assert_int_equal(p.st.blocks, blocks);
	assert_int_equal(p.st.peak, 1000);
	assert_int_equal(p.st.gets, 51 * 1000);
	chunk_pool_put(&p, NULL); /* does nothing */
	assert_int_equal(p.st.in_use, 1000);
	chunk_pool_fini(&p);
	assert_int_equal(p.st.blocks, 0);
	assert_non_null(chunk_pool_get(&p)); /* usable again */
	chunk_pool_fini(&p);
}

/* --- the timeline ------------------------------------------------------------ */

static void check_states(const struct flow *f, int role, int n,
			 const struct state_change *want, uint16_t dropped)
{
	struct endpoint_record er;

	memset(&er, 0, sizeof(er));
	flow_cold_states_fill(f, role, &er);
	assert_int_equal(er.nstates, n);
	assert_int_equal(er.states_dropped, dropped);
	for (int i = 0; i < n; i++) {
		assert_int_equal(er.states[i].state, want[i].state);
		assert_true(er.states[i].frame == want[i].frame);
		assert_true(er.states[i].ts_ns == want[i].ts_ns);
	}
}

static void test_timeline_exact_and_bounded(void **state)
{
	struct flow_cold_pools pools;
	struct chunk_pool_stats ps;
	struct flow f;
	struct state_change c[FLOW_MAX_STATES], s[FLOW_MAX_STATES];
	int nc = 0;

	(void)state;
	flow_cold_pools_init(&pools);
	memset(&f, 0, sizeof(f));
	f.rec.first_frame = 7;
	f.rec.start_ns = BASE_NS;
	/* the differences of a hostile capture: times at both ends of int64,
	 * frames going back (the implied LISTEN is dated by the SYN) */
	c[nc++] = (struct state_change){7, BASE_NS, TCP_ST_SYN_SENT};
	c[nc++] = (struct state_change){UINT64_MAX, INT64_MIN,
					TCP_ST_ESTABLISHED};
	c[nc++] = (struct state_change){0, INT64_MAX, TCP_ST_FIN_WAIT_1};
	c[nc++] = (struct state_change){1ull << 40, -1, TCP_ST_FIN_WAIT_2};
	s[0] = (struct state_change){7, BASE_NS, TCP_ST_LISTEN};
	s[1] = (struct state_change){9, BASE_NS + 40000, TCP_ST_SYN_RECEIVED};
	for (int i = 0; i < nc; i++) {
		flow_cold_state_add(&pools, &f, ROLE_CLIENT, c[i].state,
				    c[i].frame, c[i].ts_ns);
		if (i < 2)
			flow_cold_state_add(&pools, &f, ROLE_SERVER, s[i].state,
					    s[i].frame, s[i].ts_ns);
	}
	check_states(&f, ROLE_CLIENT, nc, c, 0);
	check_states(&f, ROLE_SERVER, 2, s, 0);
	/* a clean connection's changes take a few dozen bytes */
	{
		struct flow g;

		memset(&g, 0, sizeof(g));
		g.rec.first_frame = 1;
		g.rec.start_ns = BASE_NS;
		for (int i = 0; i < 5; i++) {
			flow_cold_state_add(&pools, &g, ROLE_CLIENT,
					    (uint8_t)(2 + i),
					    1 + 2 * (uint64_t)i,
					    BASE_NS + i * 40000);
			flow_cold_state_add(&pools, &g, ROLE_SERVER,
					    (uint8_t)(1 + i),
					    1 + 2 * (uint64_t)i,
					    BASE_NS + i * 40000);
		}
		assert_true(g.timeline->len <= 54);
		assert_int_equal(g.timeline->cls, 0); /* the 64-byte chunk */
		flow_cold_release(&pools, &g);
	}
	/* the server's latest change is revoked: the client's after it stay */
	flow_cold_state_add(&pools, &f, ROLE_CLIENT, TCP_ST_TIME_WAIT, 20,
			    BASE_NS);
	c[nc++] = (struct state_change){20, BASE_NS, TCP_ST_TIME_WAIT};
	flow_cold_state_revoke(&pools, &f, ROLE_SERVER, TCP_ST_SYN_RECEIVED);
	check_states(&f, ROLE_SERVER, 1, s, 0);
	check_states(&f, ROLE_CLIENT, nc, c, 0);
	/* a revoke of a state that is not the latest kept changes nothing */
	flow_cold_state_revoke(&pools, &f, ROLE_SERVER, TCP_ST_CLOSED);
	check_states(&f, ROLE_SERVER, 1, s, 0);
	/* FLOW_MAX_STATES kept per endpoint, the rest counted */
	while (nc < FLOW_MAX_STATES) {
		c[nc] = (struct state_change){(uint64_t)INT64_MAX +
						      (uint64_t)nc,
					      INT64_MIN + nc, TCP_ST_CLOSING};
		flow_cold_state_add(&pools, &f, ROLE_CLIENT, c[nc].state,
				    c[nc].frame, c[nc].ts_ns);
		nc++;
	}
	for (int i = 0; i < 5; i++)
		flow_cold_state_add(&pools, &f, ROLE_CLIENT, TCP_ST_CLOSED, 99,
				    BASE_NS);
	check_states(&f, ROLE_CLIENT, FLOW_MAX_STATES, c, 5);
	/* a revoke then takes the kept one only if it is that state */
	flow_cold_state_revoke(&pools, &f, ROLE_CLIENT, TCP_ST_CLOSED);
	check_states(&f, ROLE_CLIENT, FLOW_MAX_STATES, c, 4);
	flow_cold_state_revoke(&pools, &f, ROLE_CLIENT, TCP_ST_CLOSING);
	check_states(&f, ROLE_CLIENT, FLOW_MAX_STATES - 1, c, 4);
	/* the timeline moved to larger chunks on the way, one at a time */
	assert_true(f.timeline->cls > 0);
	flow_cold_pools_stats(&pools, &ps);
	assert_int_equal(ps.in_use, 1);
	flow_cold_release(&pools, &f);
	assert_null(f.timeline);
	flow_cold_pools_stats(&pools, &ps);
	assert_int_equal(ps.in_use, 0);
	flow_cold_pools_fini(&pools);
}

/* --- the analyzer's use of the pools ------------------------------------------ */

struct conn {
	uint32_t n; /* which connection: its client port and address */
	uint32_t cseq, sseq;
};

static void segment(struct analyzer *az, const struct conn *c, bool from_client,
		    uint16_t flags, uint32_t seq, uint32_t ack, uint32_t len,
		    uint64_t *frame, int64_t *now)
{
	struct pkt_view v;
	uint8_t cli[16] = {10, 1, (uint8_t)(c->n >> 8), (uint8_t)c->n};
	uint8_t srv[16] = {10, 2, 0, 1};
	uint16_t cport = (uint16_t)(20000 + c->n % 30000);

	memset(&v, 0, sizeof(v));
	v.tuple.ip_version = 4;
	memcpy(v.tuple.src, from_client ? cli : srv, 16);
	memcpy(v.tuple.dst, from_client ? srv : cli, 16);
	v.tuple.sport = from_client ? cport : 443;
	v.tuple.dport = from_client ? 443 : cport;
	v.seq = seq;
	v.ack = ack;
	v.flags = flags;
	v.window = 1000;
	v.payload_bytes = len;
	if (flags & TCP_SYN) {
		v.opt.has_mss = true;
		v.opt.mss = 1460;
	}
	*now += 20000;
	analyzer_packet(az, &v, ++*frame, *now);
}

struct tally {
	uint64_t flows;
	uint64_t packets;
	uint64_t retransmissions;
	uint64_t fin_wait_2_ns;
};

static void on_flow_done(void *ctx, const struct flow_record *f)
{
	struct tally *t = ctx;

	t->flows++;
	t->packets += f->packets;
	t->retransmissions += f->anomaly_counts[ANOM_RETRANSMISSION];
	t->fin_wait_2_ns += (uint64_t)f->ep[ROLE_CLIENT].fin_wait_2_ns;
}

static struct analyzer *new_analyzer(struct tally *t, uint32_t max_flows)
{
	struct analyzer_config cfg;
	struct analyzer_sink sink = {on_flow_done, NULL, NULL, t};
	char err[256];
	struct analyzer *az;

	memset(t, 0, sizeof(*t));
	analyzer_config_defaults(&cfg);
	cfg.max_flows = max_flows;
	az = analyzer_new(&cfg, &sink, err, sizeof(err));
	assert_non_null(az);
	analyzer_begin_input(az, 0);
	return az;
}

/* The next segment of connection c's life (handshake, a request, a
 * response, four-way close); false once it is over. */
static bool conn_step(struct analyzer *az, struct conn *c, uint32_t step,
		      uint64_t *frame, int64_t *now)
{
	switch (step) {
	case 0:
		c->cseq = 1000 + c->n * 7919u;
		c->sseq = 5000 + c->n * 104729u;
		segment(az, c, true, TCP_SYN, c->cseq, 0, 0, frame, now);
		return true;
	case 1:
		segment(az, c, false, TCP_SYN | TCP_ACK, c->sseq, c->cseq + 1,
			0, frame, now);
		return true;
	case 2:
		segment(az, c, true, TCP_ACK, c->cseq + 1, c->sseq + 1, 0,
			frame, now);
		return true;
	case 3:
		segment(az, c, true, TCP_ACK | TCP_PSH, c->cseq + 1,
			c->sseq + 1, 100, frame, now);
		return true;
	case 4:
		segment(az, c, false, TCP_ACK | TCP_PSH, c->sseq + 1,
			c->cseq + 101, 1000, frame, now);
		return true;
	case 5:
		segment(az, c, true, TCP_FIN | TCP_ACK, c->cseq + 101,
			c->sseq + 1001, 0, frame, now);
		return true;
	case 6:
		segment(az, c, false, TCP_ACK, c->sseq + 1001, c->cseq + 102, 0,
			frame, now);
		return true;
	case 7:
		segment(az, c, false, TCP_FIN | TCP_ACK, c->sseq + 1001,
			c->cseq + 102, 0, frame, now);
		return true;
	default:
		segment(az, c, true, TCP_ACK, c->cseq + 102, c->sseq + 1002, 0,
			frame, now);
		return false;
	}
}

/* `total` connections, `open` at a time, round-robin, one segment each. */
static void run_connections(struct analyzer *az, uint32_t first, uint32_t total,
			    uint32_t open, uint64_t *frame, int64_t *now)
{
	struct conn live[64];
	uint32_t step[64], next = first, done = 0;

	assert_true(open <= 64);
	for (uint32_t i = 0; i < open; i++) {
		live[i].n = next++;
		step[i] = 0;
	}
	while (done < total) {
		for (uint32_t i = 0; i < open && done < total; i++) {
			if (conn_step(az, &live[i], step[i]++, frame, now))
				continue;
			done++;
			live[i].n = next++;
			step[i] = 0;
		}
	}
}

static void test_memory_flat_over_finished_flows(void **state)
{
	struct tally t;
	struct analyzer *az = new_analyzer(&t, 1024);
	struct analyzer_memory m1, m2;
	uint64_t frame = 0;
	int64_t now = BASE_NS;

	(void)state;
	/* 2 000 connections, then 40 000 more, 50 open at once: the pools
	 * grow to what 50 open connections (and those in their close grace)
	 * need, then only recycle */
	run_connections(az, 0, 2000, 50, &frame, &now);
	analyzer_get_memory(az, &m1);
	run_connections(az, 2000, 40000, 50, &frame, &now);
	analyzer_get_memory(az, &m2);
	assert_true(m1.cold_blocks > 0);
	assert_int_equal(m2.cold_blocks, m1.cold_blocks);
	assert_int_equal(m2.cold_block_bytes, m1.cold_block_bytes);
	assert_true(m2.cold_gets > 10 * m1.cold_gets); /* chunks reused */
	assert_int_equal(m2.cold_failures, 0);
	/* a connection's cold part at its busiest: the timeline, both SYN/FIN
	 * records, both rings, the closing bookkeeping */
	assert_true(m2.cold_chunks_peak <= 2 * 1024 * 8);
	analyzer_finish(az);
	analyzer_get_memory(az, &m2);
	assert_int_equal(m2.cold_chunks, 0); /* every part given back */
	assert_int_equal(t.flows, 42000);
	assert_int_equal(t.packets, 42000 * 9);
	assert_true(t.fin_wait_2_ns > 0); /* the close was timed (cold part) */
	/* the budget of the hot entry, and the documented bound of a flow */
	assert_int_equal(m2.hot_bytes, sizeof(struct flow));
	assert_true(m2.hot_bytes <= FLOW_HOT_BYTES);
	assert_true(m2.hot_bytes + m2.cold_max_bytes <= FLOW_MAX_BYTES);
	analyzer_free(az);
}

/* One connection of `segments` data segments from the server, each
 * acknowledged, every 100th sent twice (a retransmission, an anomaly
 * counted past the store), then closed. Returns the chunks it took. */
static uint64_t long_connection(uint32_t segments, struct tally *t,
				uint64_t *blocks)
{
	struct analyzer *az = new_analyzer(t, 16);
	struct analyzer_memory m;
	struct conn c = {.n = 1};
	uint64_t frame = 0;
	int64_t now = BASE_NS;
	uint32_t s;

	for (uint32_t i = 0; i < 3; i++)
		conn_step(az, &c, i, &frame, &now);
	s = c.sseq + 1;
	for (uint32_t i = 0; i < segments; i++) {
		segment(az, &c, false, TCP_ACK, s, c.cseq + 1, 1000, &frame,
			&now);
		if (i % 100 == 99) {
			now += 300 * 1000000LL; /* its retransmission timeout */
			segment(az, &c, false, TCP_ACK, s, c.cseq + 1, 1000,
				&frame, &now);
		}
		s += 1000;
		segment(az, &c, true, TCP_ACK, c.cseq + 1, s, 0, &frame, &now);
	}
	c.sseq = s - 1001; /* the close's numbers follow the data */
	c.cseq -= 100;     /* (the client sent no request) */
	for (uint32_t i = 5; i < 9; i++)
		conn_step(az, &c, i, &frame, &now);
	analyzer_get_memory(az, &m);
	analyzer_finish(az);
	*blocks = m.cold_blocks;
	analyzer_free(az);
	return m.cold_gets;
}

static void test_long_connection_takes_no_more(void **state)
{
	struct tally t2k, t200k, t2m;
	uint64_t b2k, b200k, b2m;
	uint64_t g2k = long_connection(1000, &t2k, &b2k);
	uint64_t g200k = long_connection(100000, &t200k, &b200k);
	uint64_t g2m = long_connection(1000000, &t2m, &b2m);

	(void)state;
	/* 2 000, 200 000 and 2 000 000 segments (and their retransmissions):
	 * the same chunks, the same blocks */
	assert_int_equal(t2k.packets, 3 + 2 * 1000 + 10 + 4);
	assert_int_equal(t2m.packets, 3 + 2 * 1000000 + 10000 + 4);
	assert_int_equal(t2m.retransmissions, 10000);
	assert_int_equal(g200k, g2k);
	assert_int_equal(g2m, g2k);
	assert_int_equal(b200k, b2k);
	assert_int_equal(b2m, b2k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pool_reuses_chunks),
		cmocka_unit_test(test_timeline_exact_and_bounded),
		cmocka_unit_test(test_memory_flat_over_finished_flows),
		cmocka_unit_test(test_long_connection_takes_no_more),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
