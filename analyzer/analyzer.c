/*
 * analyzer.c - segments in, flow records out (analyzer.h).
 *
 * Per segment: one canonical key and one hash lookup find the flow (or make
 * one); the anomaly rules see the segment first (rules_before), then the
 * sender's state machine steps with SEND and the receiver's with RECV
 * (tcp_fsm.h), the state changes go into the flow's timeline, the
 * counters move, and the rules see the result (rules_after). Nothing on this
 * path formats, and nothing allocates but the cold pools, which grow only
 * when every chunk of a size is in use (flow_cold.h).
 *
 * The flow entry is not the record: the sink sees a struct flow_record that
 * flow_view() fills from the hot entry and the cold part into one buffer
 * the analyzer reuses, when an anomaly is handed over (the record so far)
 * and when the flow is reported (with the verdicts settled then). After
 * the report the flow's cold parts go back to the pools.
 *
 * Who is the client, and which endpoint sent a segment, is the matcher's
 * (flow_match.h): the sender of the first SYN without ACK; when the flow
 * starts with a SYN-ACK, its receiver; when no handshake was captured, the
 * endpoint on the higher (ephemeral) port, and on equal ports the one with
 * the higher address (rec.client_by_port says the rule was used).
 *
 * When a flow is reported: finished flows (both endpoints CLOSED or in
 * TIME_WAIT, or a RST) once close_grace_ns of capture time passed since
 * their last segment, so that a retransmitted FIN is still theirs; open
 * flows after idle_timeout_ns of silence (0 = never); the least recently
 * active flow when the table is full (rec.evicted); an old connection when a
 * new SYN arrives on its 4-tuple after it closed; everything at
 * analyzer_finish(), in id order. The verdicts (verdict.c) and the time
 * spent in FIN_WAIT_2, CLOSE_WAIT and LAST_ACK are settled at report time.
 *
 * Recently reported connections leave a tombstone (a small direct-mapped,
 * lossy cache keyed like the flow table) with their id and TIME_WAIT time,
 * so that a SYN reusing the 4-tuple later can be judged by time_wait_reuse
 * through flow.prev_*.
 */
#include "analyzer/analyzer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/flow.h"
#include "analyzer/flow_cold.h"
#include "analyzer/flow_key.h"
#include "analyzer/flow_match.h"
#include "analyzer/flow_table.h"
#include "analyzer/rules.h"
#include "analyzer/seq.h"
#include "analyzer/seq_track.h"
#include "analyzer/tcp_fsm.h"
#include "analyzer/verdict.h"

struct tombstone {
	uint64_t hash;
	uint64_t id;
	int64_t tw_ns;   /* 0: no endpoint was in TIME_WAIT */
	uint8_t tw_side; /* 0 none, 1 the key's low endpoint, 2 the high one */
	uint8_t key_len; /* 0: empty slot */
	uint8_t key[FLOW_KEY_MAX];
};

struct analyzer {
	struct analyzer_config cfg;
	struct analyzer_sink sink;
	struct rules_env env;         /* what the rules read and found */
	struct flow_table *table;     /* (owned) */
	struct flow_cold_pools cold;  /* (owned) flows' cold parts */
	struct flow_record view;      /* what the sink sees (flow_view) */
	const struct flow *view_flow; /* whose record view is */
	struct tombstone *tombs;      /* (owned) tomb_mask + 1 slots */
	uint64_t tomb_mask;
	struct analyzer_stats st;
	uint64_t watch;
	uint64_t drops;
	int64_t now_ns; /* latest capture (or tick) time */
	bool have_now;
	bool started; /* a packet of the current input was seen */
	uint32_t input;
};

void analyzer_config_defaults(struct analyzer_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->ack_timeout_ns = 1 * NS_PER_SEC;
	cfg->close_wait_timeout_ns = 5 * NS_PER_SEC;
	cfg->msl_ns = 30 * NS_PER_SEC;
	cfg->idle_timeout_ns = 0;
	cfg->close_grace_ns = 2 * NS_PER_SEC;
	cfg->keepalive_burst = 3;
	/* Wireshark's fast-retransmission window after the last duplicate
	 * ACK, and its out-of-order threshold when no initial RTT is known */
	cfg->fast_rtx_window_ns = 20 * NS_PER_MS;
	cfg->reorder_window_ns = 3 * NS_PER_MS;
	cfg->max_flows = 262144;
}

struct analyzer *analyzer_new(const struct analyzer_config *cfg,
			      const struct analyzer_sink *sink, char *errbuf,
			      size_t errlen)
{
	struct analyzer *az;
	uint64_t ntombs = 64;

	if (cfg->max_flows == 0) {
		snprintf(errbuf, errlen, "--max-flows must be at least 1");
		return NULL;
	}
	if (cfg->shard_count > 1 && cfg->shard_index >= cfg->shard_count) {
		snprintf(errbuf, errlen, "--shard: K must be below N");
		return NULL;
	}
	az = calloc(1, sizeof(*az));
	if (az == NULL) {
		snprintf(errbuf, errlen, "out of memory");
		return NULL;
	}
	az->cfg = *cfg;
	az->env.cfg = &az->cfg;
	flow_cold_pools_init(&az->cold);
	az->env.cold = &az->cold;
	if (sink != NULL)
		az->sink = *sink;
	az->watch = UINT64_MAX;
	az->table = flow_table_new(cfg->max_flows, NULL, errbuf, errlen);
	if (az->table == NULL) {
		free(az);
		return NULL;
	}
	while (ntombs < cfg->max_flows / 2 && ntombs < 65536)
		ntombs <<= 1;
	az->tombs = calloc((size_t)ntombs, sizeof(struct tombstone));
	if (az->tombs == NULL) {
		snprintf(errbuf, errlen, "out of memory");
		analyzer_free(az);
		return NULL;
	}
	az->tomb_mask = ntombs - 1;
	return az;
}

void analyzer_free(struct analyzer *az)
{
	if (az == NULL)
		return;
	flow_table_free(az->table);
	flow_cold_pools_fini(&az->cold);
	free(az->tombs);
	free(az);
}

void analyzer_watch_flow(struct analyzer *az, uint64_t flow_id)
{
	az->watch = flow_id;
}

void analyzer_note_drops(struct analyzer *az, uint64_t dropped_total)
{
	if (dropped_total > az->drops)
		az->drops = dropped_total;
	az->env.drops = az->drops;
}

void analyzer_get_stats(const struct analyzer *az, struct analyzer_stats *st)
{
	*st = az->st;
	st->active = flow_table_count(az->table);
}

const struct flow *analyzer_current_flow(const struct analyzer *az)
{
	return az->view_flow;
}

void analyzer_get_memory(const struct analyzer *az, struct analyzer_memory *m)
{
	struct chunk_pool_stats ps;

	memset(m, 0, sizeof(*m));
	flow_cold_pools_stats(&az->cold, &ps);
	m->hot_bytes = sizeof(struct flow);
	m->cold_max_bytes = flow_cold_max_bytes();
	m->cold_blocks = ps.blocks;
	m->cold_block_bytes = flow_cold_pools_bytes(&az->cold);
	m->cold_chunks = ps.in_use;
	m->cold_chunks_peak = ps.peak;
	m->cold_gets = ps.gets;
	m->cold_failures = ps.failures;
}

static const struct flow_record *flow_view(struct analyzer *az,
					   const struct flow *f, bool final,
					   int64_t end_ns);

/* --- anomalies ------------------------------------------------------------ */

/* Hand what the rules found in their last call on f to the sink, with the
 * flow's record as it is now. */
static void pass_found(struct analyzer *az)
{
	const struct flow_record *rec = NULL;
	const struct anomaly *a;

	if (az->sink.anomaly != NULL && az->env.flow != NULL)
		for (uint32_t i = 0; (a = rules_env_found(&az->env, i)) != NULL;
		     i++) {
			if (rec == NULL)
				rec = flow_view(az, az->env.flow, false, 0);
			az->sink.anomaly(az->sink.ctx, rec, a);
		}
	az->env.flow = NULL;
	az->view_flow = NULL;
}

/* --- verdicts, at report time (verdict.c decides them) -------------------- */

static bool state_done(uint8_t s)
{
	return s == TCP_ST_CLOSED || s == TCP_ST_TIME_WAIT;
}

/* What the verdicts read of f beyond its two machines (verdict.h). */
static void verdict_facts_of(const struct flow *f, struct verdict_facts *vf)
{
	const struct tcp_endpoint *s = &f->ep[ROLE_SERVER];

	vf->client_syn = f->client_syn_seen;
	vf->server_syn = f->server_syn_seen;
	vf->server_synack = s->syn_sent;
	vf->server_rst = s->rst_sent;
	vf->synced = f->synced;
	vf->rst_abort = f->rst_abort;
	vf->rst_role = f->rst_role;
}

static enum handshake_verdict judge_handshake(const struct flow *f)
{
	struct verdict_facts vf;

	verdict_facts_of(f, &vf);
	return verdict_handshake(&vf);
}

/* rec->close and rec->active_closer, once rec->handshake is judged. */
static void judge_close(const struct flow *f, struct flow_record *rec)
{
	enum handshake_verdict hs = (enum handshake_verdict)rec->handshake;
	struct verdict_facts vf;
	enum closer closer;

	verdict_facts_of(f, &vf);
	rec->close = (uint8_t)verdict_close(f->ep, &vf, hs, &closer);
	rec->active_closer = (uint8_t)closer;
}

/* Which of the three counters (FIN_WAIT_2, CLOSE_WAIT, LAST_ACK) a stay
 * in `state` adds to; NULL for the states the record does not time. */
static int64_t *state_time(int64_t *fin_wait_2, int64_t *close_wait,
			   int64_t *last_ack, uint8_t state)
{
	switch (state) {
	case TCP_ST_FIN_WAIT_2:
		return fin_wait_2;
	case TCP_ST_CLOSE_WAIT:
		return close_wait;
	case TCP_ST_LAST_ACK:
		return last_ack;
	default:
		return NULL;
	}
}

/* Endpoint role of f left `state`, entered at since, at until. */
static void add_state_time(struct analyzer *az, struct flow *f, int role,
			   uint8_t state, int64_t since, int64_t until)
{
	int64_t d = until > since ? until - since : 0;
	struct rules_close_dir *cd;
	int64_t *t;

	if (d == 0 || (state != TCP_ST_FIN_WAIT_2 &&
		       state != TCP_ST_CLOSE_WAIT && state != TCP_ST_LAST_ACK))
		return;
	if (flow_cold_close(&az->cold, f) == NULL)
		return; /* no memory: the stay is not counted */
	cd = &f->rules.close->dir[role];
	t = state_time(&cd->fin_wait_2_ns, &cd->close_wait_ns, &cd->last_ack_ns,
		       state);
	*t += d;
}

/* The record's tuple: f's key, the client the source. */
static void fill_tuple(const struct flow *f, struct tuple *t)
{
	struct flow_key k;
	struct tuple low_first;

	k.len = f->key_len;
	memcpy(k.bytes, f->key, sizeof(k.bytes));
	flow_key_tuple(&k, &low_first);
	*t = flow_match_orient(&low_first,
			       f->key_client_low ? ROLE_CLIENT : ROLE_SERVER);
}

static void fill_endpoint(const struct flow *f, int r,
			  struct endpoint_record *er)
{
	const struct rules_close_dir *cd = flow_cold_close_of(f, r);
	const struct rules_ka_dir *ka = flow_cold_ka_of(f, r);

	er->state = f->ep[r].state;
	flow_cold_states_fill(f, r, er);
	er->bytes = f->rec.ep_bytes[r];
	er->packets = f->rec.ep_packets[r];
	er->fin_wait_2_ns = cd->fin_wait_2_ns;
	er->close_wait_ns = cd->close_wait_ns;
	er->last_ack_ns = cd->last_ack_ns;
	er->keepalive_probes = ka->probes;
	er->keepalive_answered = ka->answered;
	if (f->timers != NULL) {
		er->timers = f->timers->ep[r];
		er->timers.rto_doubles =
			timers_backoff_exponential(&f->timers->backoff[r]);
	}
}

/* What is settled when the flow is reported, at end_ns. */
static void fill_final(struct analyzer *az, const struct flow *f,
		       int64_t end_ns, struct flow_record *rec)
{
	for (int r = 0; r < 2; r++) {
		struct endpoint_record *er = &rec->ep[r];
		const struct tcp_endpoint *ep = &f->ep[r];
		int64_t d = end_ns > ep->state_since_ns
				    ? end_ns - ep->state_since_ns
				    : 0;
		int64_t *t = state_time(&er->fin_wait_2_ns, &er->close_wait_ns,
					&er->last_ack_ns, ep->state);

		if (t != NULL)
			*t += d;
		er->has_isn = ep->isn_known;
		er->isn = ep->isn_known ? ep->isn : 0;
		er->wscale = ep->wscale;
		er->wscale_ok = ep->wscale_sent && ep->peer_wscale_seen;
		er->mss = ep->mss;
	}
	rec->handshake = (uint8_t)judge_handshake(f);
	judge_close(f, rec);
	rec->drops_during = az->drops > f->drops_at_start;
}

/*
 * The record of f, filled into the analyzer's one buffer (valid until the
 * next call): the record as the packet path has it so far, and when
 * `final`, with what is settled at report time at end_ns (the verdicts, the
 * time in the state each endpoint ends in, the announced options).
 */
static const struct flow_record *flow_view(struct analyzer *az,
					   const struct flow *f, bool final,
					   int64_t end_ns)
{
	struct flow_record *rec = &az->view;
	const struct flow_anomalies *an = f->anomalies;

	az->view_flow = f;
	memset(rec, 0, sizeof(*rec));
	rec->id = f->rec.id;
	rec->input = f->rec.input;
	rec->first_frame = f->rec.first_frame;
	rec->last_frame = f->rec.last_frame;
	rec->start_ns = f->rec.start_ns;
	rec->end_ns = f->rec.end_ns;
	rec->packets = f->rec.packets;
	fill_tuple(f, &rec->tuple);
	for (int r = 0; r < 2; r++)
		fill_endpoint(f, r, &rec->ep[r]);
	rec->client_by_port = f->rec.client_by_port;
	rec->syn_retransmits = f->rec.syn_retransmits;
	rec->synack_retransmits = f->rec.synack_retransmits;
	rec->evicted = f->rec.evicted;
	rec->capture_point = f->rec.capture_point;
	rec->artefacts = f->rec.artefacts;
	if (an != NULL) {
		memcpy(rec->anomaly_counts, an->counts, sizeof(an->counts));
		rec->anomalies_dropped = an->dropped;
		rec->nanomalies = an->n;
		memcpy(rec->anomalies, an->a, an->n * sizeof(an->a[0]));
	}
	if (final)
		fill_final(az, f, end_ns, rec);
	return rec;
}

/* --- tombstones ----------------------------------------------------------- */

static void tomb_store(struct analyzer *az, const struct flow *f)
{
	struct tombstone *t = &az->tombs[f->hash & az->tomb_mask];
	bool client_low = f->key_client_low;

	t->hash = f->hash;
	t->id = f->rec.id;
	t->tw_ns = 0;
	t->tw_side = 0;
	for (int r = 0; r < 2; r++) {
		if (f->ep[r].state == TCP_ST_TIME_WAIT) {
			bool low = (r == ROLE_CLIENT) == client_low;

			t->tw_ns = f->ep[r].state_since_ns;
			t->tw_side = low ? 1 : 2;
			break;
		}
	}
	t->key_len = f->key_len;
	memcpy(t->key, f->key, f->key_len);
}

static void tomb_apply(struct analyzer *az, struct flow *f)
{
	const struct tombstone *t = &az->tombs[f->hash & az->tomb_mask];

	f->prev_id = UINT64_MAX;
	if (t->key_len == 0 || t->hash != f->hash || t->key_len != f->key_len ||
	    memcmp(t->key, f->key, f->key_len) != 0)
		return;
	f->prev_id = t->id;
	f->prev_time_wait_ns = t->tw_ns;
	f->prev_tw_is_client =
		t->tw_side != 0 && (t->tw_side == 1) == f->key_client_low;
}

/* --- reporting a flow ----------------------------------------------------- */

static void report_flow(struct analyzer *az, struct flow *f)
{
	int64_t end = az->have_now ? az->now_ns : f->last_ts_ns;

	if (end < f->last_ts_ns)
		end = f->last_ts_ns;
	rules_env_begin(&az->env, f);
	rules_finish(&az->env, f, end);
	pass_found(az);
	if (az->sink.flow_done != NULL)
		az->sink.flow_done(az->sink.ctx, flow_view(az, f, true, end));
	az->view_flow = NULL;
	tomb_store(az, f);
	flow_cold_release(&az->cold, f);
	flow_table_remove(az->table, f);
}

static void expire(struct analyzer *az, int64_t now)
{
	struct flow *f;

	while ((f = flow_table_oldest_in(az->table, FLOW_LRU_FINISHED)) !=
		       NULL &&
	       now - f->last_ts_ns >= az->cfg.close_grace_ns)
		report_flow(az, f);
	if (az->cfg.idle_timeout_ns <= 0)
		return;
	while ((f = flow_table_oldest_in(az->table, FLOW_LRU_OPEN)) != NULL &&
	       now - f->last_ts_ns >= az->cfg.idle_timeout_ns)
		report_flow(az, f);
}

static int cmp_flow_id(const void *a, const void *b)
{
	const struct flow *fa = *(const struct flow *const *)a;
	const struct flow *fb = *(const struct flow *const *)b;

	return fa->rec.id < fb->rec.id ? -1 : fa->rec.id > fb->rec.id;
}

static void flush_all(struct analyzer *az)
{
	uint32_t n = flow_table_count(az->table);
	struct flow **v;
	uint32_t k = 0;
	struct flow *f;

	if (n == 0)
		return;
	v = malloc((size_t)n * sizeof(*v));
	if (v == NULL) {
		/* no memory to sort: report in activity order */
		while ((f = flow_table_oldest(az->table)) != NULL)
			report_flow(az, f);
		return;
	}
	for (int l = 0; l < FLOW_LRU_COUNT; l++)
		for (f = flow_table_oldest_in(az->table, (enum flow_lru)l);
		     f != NULL && k < n; f = flow_table_newer(f))
			v[k++] = f;
	qsort(v, k, sizeof(*v), cmp_flow_id);
	for (uint32_t i = 0; i < k; i++)
		report_flow(az, v[i]);
	free(v);
}

void analyzer_finish(struct analyzer *az)
{
	flush_all(az);
}

void analyzer_begin_input(struct analyzer *az, uint32_t input)
{
	/* each input is its own capture: its flows end with it */
	if (az->started)
		flush_all(az);
	az->input = input;
	az->started = false;
	az->have_now = false;
}

void analyzer_tick(struct analyzer *az, int64_t now_ns)
{
	if (!az->have_now || now_ns > az->now_ns) {
		az->now_ns = now_ns;
		az->have_now = true;
	}
	for (int l = 0; l < FLOW_LRU_COUNT; l++)
		for (struct flow *f =
			     flow_table_oldest_in(az->table, (enum flow_lru)l);
		     f != NULL; f = flow_table_newer(f)) {
			rules_env_begin(&az->env, f);
			rules_tick(&az->env, f, az->now_ns);
			pass_found(az);
		}
	expire(az, az->now_ns);
}

/* --- the packet path ------------------------------------------------------ */

static struct flow *new_flow(struct analyzer *az, const struct flow_key *key,
			     uint64_t hash, bool src_low,
			     const struct pkt_view *pkt, uint64_t frame,
			     int64_t ts_ns)
{
	struct flow *f = flow_table_insert(az->table, key, hash);
	enum flow_client_rule rule;
	enum endpoint_role sender =
		flow_match_first(&pkt->tuple, pkt->flags, &rule);
	enum tcp_state init;

	if (f == NULL) {
		struct flow *old = flow_table_oldest(az->table);

		if (old == NULL)
			return NULL;
		old->rec.evicted = true;
		az->st.evictions++;
		report_flow(az, old);
		f = flow_table_insert(az->table, key, hash);
		if (f == NULL)
			return NULL;
	}
	/* a SYN opens from CLOSED; anything else was picked up under way */
	init = rule == FLOW_CLIENT_BY_SYN ? TCP_ST_CLOSED : TCP_ST_UNKNOWN;
	f->rec.client_by_port = rule == FLOW_CLIENT_BY_PORT;
	f->key_client_low = (sender == ROLE_CLIENT) == src_low;
	f->rec.id = az->st.flows++;
	f->rec.input = az->input;
	f->rec.first_frame = frame;
	f->rec.start_ns = ts_ns;
	f->drops_at_start = az->drops;
	for (int r = 0; r < 2; r++)
		tcp_fsm_init(&f->ep[r], init, frame, ts_ns);
	tomb_apply(az, f);
	return f;
}

/* Put one endpoint's step result into the flow's timeline and state
 * times. `since` is when the endpoint entered the state it was in before
 * this segment. */
static void apply_result(struct analyzer *az, struct flow *f, int role,
			 int sender, const struct tcp_fsm_result *r,
			 int64_t since)
{
	if (r->revoked)
		flow_cold_state_revoke(&az->cold, f, role, r->revoked_state);
	for (int i = 0; i < r->nchanges; i++) {
		const struct tcp_fsm_change *c = &r->change[i];

		if (!(r->revoked && i == 0))
			add_state_time(az, f, role, c->from, since, c->ts_ns);
		since = c->ts_ns;
		if (tcp_state_synchronized(c->to) && c->to != TCP_ST_UNKNOWN)
			f->synced |= (uint8_t)(1u << role);
		/* a RST that ended a handshake attempt (the peer in
		 * SYN_RECEIVED) is not the close of the connection when the
		 * retried handshake gets on (bad_ack.pcap: the client resets
		 * a SYN-ACK with the wrong number, its SYN is answered again,
		 * and the connection ends with FINs) */
		if (c->to == TCP_ST_ESTABLISHED && f->rst_abort &&
		    f->rst_in_handshake) {
			f->rst_abort = false;
			f->rst_in_handshake = false;
		}
		if (r->event == TCP_EV_RST && c->to == TCP_ST_CLOSED &&
		    (c->from == TCP_ST_SYN_RECEIVED ||
		     tcp_state_synchronized(c->from)) &&
		    c->from != TCP_ST_TIME_WAIT) {
			if (c->from == TCP_ST_UNKNOWN)
				f->synced |= (uint8_t)(1u << role);
			if (!f->rst_abort) {
				f->rst_abort = true;
				f->rst_role = (uint8_t)sender;
				f->rst_in_handshake =
					c->from == TCP_ST_SYN_RECEIVED;
			}
		}
		flow_cold_state_add(&az->cold, f, role, c->to, c->frame,
				    c->ts_ns);
	}
}

/* Whether a SYN without ACK from `from` starts a new connection on f's
 * 4-tuple: not a retransmission of the SYN that opened it, and the old
 * connection closed (or is in TIME_WAIT) or was only an attempt. A new ISN
 * inside a synchronized connection stays in it (RFC 9293 §3.5.2 half-open:
 * the peer answers with a challenge ACK, the RST that follows ends it). */
static bool syn_starts_new(const struct flow *f, int from,
			   const struct pkt_view *pkt)
{
	const struct tcp_endpoint *s = &f->ep[from];
	const struct tcp_endpoint *p = &f->ep[1 - from];

	if (s->syn_sent && s->isn_known && pkt->seq == s->isn)
		return false;
	/* a SYN with a new ISN from an endpoint still in SYN_SENT: it gave up
	 * the first attempt (retransmissions keep the ISN) */
	if (s->state == TCP_ST_SYN_SENT && s->isn_known)
		return true;
	/* an endpoint still CLOSED because it never spoke (a server that
	 * now sends its own SYN: simultaneous open) is no closed connection */
	return f->finished_ns != 0 ||
	       (state_done(s->state) && (f->synced & (1u << from))) ||
	       (state_done(p->state) && (f->synced & (1u << (1 - from))));
}

void analyzer_packet(struct analyzer *az, const struct pkt_view *pkt,
		     uint64_t frame, int64_t ts_ns)
{
	struct flow_key key;
	bool src_low = flow_key_make(&key, &pkt->tuple);
	uint64_t hash = flow_key_hash(flow_table_seed(az->table), &key);
	struct flow *f;
	struct tcp_seg seg;
	struct tcp_fsm_result rs, rr;
	struct tcp_endpoint *snd, *rcv;
	int from, to;
	int64_t since_s, since_r;
	uint32_t old_nxt;
	bool old_known;

	/* a SYN likely opens a flow, which reads its tombstone slot: start
	 * that cache miss now, beside the bucket's */
	if (pkt->flags & TCP_SYN)
		__builtin_prefetch(&az->tombs[hash & az->tomb_mask]);
	if (!az->have_now || ts_ns > az->now_ns) {
		az->now_ns = ts_ns;
		az->have_now = true;
	}
	az->started = true;
	expire(az, az->now_ns);

	/* another shard's connection: time moved on, nothing else */
	if (az->cfg.shard_count > 1 &&
	    flow_key_shard(&key, az->cfg.shard_count) != az->cfg.shard_index) {
		az->st.other_shard++;
		return;
	}

	f = flow_table_lookup(az->table, &key, hash);
	if (f != NULL &&
	    (pkt->flags & (TCP_SYN | TCP_ACK | TCP_RST)) == TCP_SYN) {
		from = flow_match_role(src_low, f->key_client_low);
		if (syn_starts_new(f, from, pkt)) {
			report_flow(az, f);
			f = NULL;
		}
	}
	if (f == NULL) {
		f = new_flow(az, &key, hash, src_low, pkt, frame, ts_ns);
		if (f == NULL)
			return;
	}
	from = flow_match_role(src_low, f->key_client_low);
	to = 1 - from;
	snd = &f->ep[from];
	rcv = &f->ep[to];

	rules_env_begin(&az->env, f);
	rules_before(&az->env, f, from, pkt, frame, ts_ns);
	pass_found(az);

	tcp_seg_from_pkt(&seg, pkt, frame, ts_ns);
	seg.window_probe = seq_track_probe(&snd->tx, &rcv->tx, seg.seq, seg.len,
					   seg.flags) != SEQ_PROBE_NONE;
	since_s = snd->state_since_ns;
	since_r = rcv->state_since_ns;
	old_nxt = snd->tx.nxt;
	old_known = snd->tx.nxt_known;
	tcp_fsm_step(snd, TCP_FSM_SEND, &seg, &rs);
	tcp_fsm_step(rcv, TCP_FSM_RECV, &seg, &rr);
	apply_result(az, f, from, from, &rs, since_s);
	apply_result(az, f, to, from, &rr, since_r);

	/* counters */
	{
		struct flow_rec *rec = &f->rec;
		uint8_t bit = (uint8_t)(1u << from);

		rec->packets++;
		rec->last_frame = frame;
		if (ts_ns > rec->end_ns || rec->packets == 1)
			rec->end_ns = ts_ns;
		if (ts_ns > f->last_ts_ns)
			f->last_ts_ns = ts_ns;
		rec->ep_packets[from]++;
		if (rs.notes & TCP_FSM_N_NEW_DATA) {
			uint32_t start =
				seg.seq + ((seg.flags & TCP_SYN) ? 1 : 0);
			uint32_t end = start + seg.len;

			if (old_known && SEQ_GT(old_nxt, start) &&
			    SEQ_LT(old_nxt, end))
				start = old_nxt;
			rec->ep_bytes[from] += (uint32_t)(end - start);
		}
		if (seg.flags & TCP_SYN) {
			if (seg.flags & TCP_ACK) {
				if ((f->synack_sent & bit) &&
				    (rs.notes & TCP_FSM_N_SYN_REPEAT) &&
				    rec->synack_retransmits < UINT8_MAX)
					rec->synack_retransmits++;
				f->synack_sent |= bit;
			} else if (from == ROLE_CLIENT) {
				if (f->client_syn_seen &&
				    (rs.notes & TCP_FSM_N_SYN_REPEAT) &&
				    rec->syn_retransmits < UINT8_MAX)
					rec->syn_retransmits++;
				f->client_syn_seen = true;
			} else {
				f->server_syn_seen = true;
			}
		}
	}

	if (f->finished_ns == 0 &&
	    ((state_done(snd->state) && state_done(rcv->state)) ||
	     (rs.event == TCP_EV_RST && snd->state == TCP_ST_CLOSED))) {
		f->finished_ns = ts_ns;
		flow_table_set_list(az->table, f, FLOW_LRU_FINISHED);
	} else {
		flow_table_touch(az->table, f);
	}

	rules_env_begin(&az->env, f);
	rules_after(&az->env, f, from, pkt, frame, ts_ns);
	pass_found(az);

	if (f->rec.id == az->watch && az->sink.segment != NULL) {
		struct segment_event ev;

		ev.frame = frame;
		ev.ts_ns = ts_ns;
		ev.from = (uint8_t)from;
		ev.flags = pkt->flags;
		ev.seq = pkt->seq;
		ev.ack = pkt->ack;
		ev.len = pkt->payload_bytes;
		ev.window = tcp_endpoint_window(snd);
		ev.state_after[ROLE_CLIENT] = f->ep[ROLE_CLIENT].state;
		ev.state_after[ROLE_SERVER] = f->ep[ROLE_SERVER].state;
		ev.changed[from] = rs.nchanges > 0 || rs.revoked;
		ev.changed[to] = rr.nchanges > 0 || rr.revoked;
		az->sink.segment(az->sink.ctx, flow_view(az, f, false, 0), &ev);
		az->view_flow = NULL;
	}
}
