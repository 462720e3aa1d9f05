/*
 * fuzz_fsm.c - arbitrary segment sequences straight into the state machine
 * and the analyzer, no capture file in between, so every order of flags,
 * sequence numbers and timers is reachable.
 *
 * Input: byte 0 picks how the two tcp_fsm endpoints start (bit 0: UNKNOWN,
 * mid-stream, instead of CLOSED), the analyzer's flow-table size (bits 1-3:
 * 1 << n flows), an idle timeout (bit 4) and short timers (bit 5: 10 ms ACK
 * timeout, 100 ms CLOSE_WAIT, 1 s MSL, no close grace, keepalive bursts of
 * 1). Then 12-byte records, one segment each:
 *
 *   0     flags: the 8 low TCP flag bits
 *   1     bit 0 direction (0 client->server), bit 1 AE, bit 2 a timeout of
 *         the sender instead of a segment, bit 3 MSS option, bit 4 window
 *         scale option, bit 5 absolute seq (bytes 2-3 << 16 + 4-5 as ack),
 *         bits 6-7 which of four client ports (four flows)
 *   2-3   seq: signed delta from the sender's next sequence number
 *   4-5   ack: signed delta from the receiver's next sequence number
 *   6-7   payload length (bytes beyond the record, if any, are the payload)
 *   8-9   window
 *   10    window scale (and MSS high byte)
 *   11    time step: low 7 bits in ms, or in s when bit 7 is set; with
 *         bits 7 and 6 set, time goes back (low 6 bits) s, as the
 *         timestamps of a real capture sometimes do
 *
 * Each segment steps the sender's tcp_fsm with SEND and the receiver's with
 * RECV, and goes to an analyzer as a pkt_view with frame numbers from 1; a
 * timer tick every 8 records. Invariants of every step result and every
 * record the analyzer hands out are checked (fuzz_check.h); any break
 * aborts.
 */
#include "tests/fuzz/fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "analyzer/analyzer.h"
#include "analyzer/tcp_fsm.h"
#include "tests/fuzz/fuzz_check.h"

#define FSM_REC 12
#define FSM_MAX_RECORDS 4096

struct fsm_state {
	uint64_t frame;
};

static void fsm_flow_done(void *ctx, const struct flow_record *f)
{
	const struct fsm_state *st = ctx;

	fuzz_check_flow(f, st->frame);
}

static void fsm_anomaly(void *ctx, const struct flow_record *f,
			const struct anomaly *a)
{
	const struct fsm_state *st = ctx;

	fuzz_check_anomaly(f, a, st->frame);
}

static void fsm_check_endpoint(const struct tcp_endpoint *e,
			       const struct tcp_fsm_result *r)
{
	if (e->state >= TCP_STATE_COUNT)
		fuzz_fail("fsm state", e->state);
	if (e->prev_state >= TCP_STATE_COUNT)
		fuzz_fail("fsm prev_state", e->prev_state);
	if (r->event >= TCP_FSM_EVENT_COUNT)
		fuzz_fail("fsm event", r->event);
	if (r->nchanges > TCP_FSM_MAX_CHANGES)
		fuzz_fail("fsm nchanges", r->nchanges);
	if (r->revoked && r->revoked_state >= TCP_STATE_COUNT)
		fuzz_fail("fsm revoked state", r->revoked_state);
	if (r->notes >> TCP_FSM_NOTE_COUNT)
		fuzz_fail("fsm notes", r->notes);
	for (int i = 0; i < r->nchanges; i++) {
		if (r->change[i].to >= TCP_STATE_COUNT ||
		    r->change[i].from >= TCP_STATE_COUNT)
			fuzz_fail("fsm change", r->change[i].to);
		if (i > 0 && r->change[i].from != r->change[i - 1].to)
			fuzz_fail("fsm changes not chained", i);
	}
	if (r->nchanges > 0 && r->change[r->nchanges - 1].to != e->state)
		fuzz_fail("fsm last change is not the state", e->state);
}

static uint16_t fsm_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fsm_state st = {0};
	struct analyzer_config cfg;
	struct analyzer_sink sink = {fsm_flow_done, fsm_anomaly, NULL, &st};
	struct tcp_endpoint ep[2];
	uint32_t nxt[2] = {1000, 5000000};
	int64_t ts = 1700000000LL * NS_PER_SEC;
	struct analyzer *az;
	char err[128];
	size_t off;

	if (size < 1)
		return 0;
	analyzer_config_defaults(&cfg);
	cfg.max_flows = 1u << ((data[0] >> 1) & 7);
	cfg.idle_timeout_ns = (data[0] & 0x10) ? 30 * NS_PER_SEC : 0;
	if (data[0] & 0x20) {
		cfg.ack_timeout_ns = 10000000;
		cfg.close_wait_timeout_ns = NS_PER_SEC / 10;
		cfg.msl_ns = NS_PER_SEC;
		cfg.close_grace_ns = 0;
		cfg.keepalive_burst = 1;
	}
	az = analyzer_new(&cfg, &sink, err, sizeof(err));
	if (!az)
		abort();
	for (int e = 0; e < 2; e++)
		tcp_fsm_init(&ep[e],
			     (data[0] & 1) ? TCP_ST_UNKNOWN : TCP_ST_CLOSED, 1,
			     ts);
	analyzer_begin_input(az, 0);

	for (off = 1; off + FSM_REC <= size && st.frame < FSM_MAX_RECORDS;
	     off += FSM_REC) {
		const uint8_t *r = data + off;
		int from = r[1] & 1;
		struct tcp_fsm_result res;
		struct tcp_seg seg;
		struct pkt_view v;
		uint16_t len = fsm_be16(r + 6);
		size_t rest = size - off - FSM_REC;

		if ((r[11] & 0xc0) == 0xc0)
			ts -= (int64_t)(r[11] & 0x3f) * NS_PER_SEC;
		else if (r[11] & 0x80)
			ts += (int64_t)(r[11] & 0x7f) * NS_PER_SEC;
		else
			ts += (int64_t)r[11] * 1000000;
		memset(&v, 0, sizeof(v));
		v.tuple.ip_version = 4;
		v.tuple.src[0] = 10;
		v.tuple.src[3] = (uint8_t)(1 + from);
		v.tuple.dst[0] = 10;
		v.tuple.dst[3] = (uint8_t)(2 - from);
		v.tuple.sport = from ? 80 : (uint16_t)(40000 + (r[1] >> 6));
		v.tuple.dport = from ? (uint16_t)(40000 + (r[1] >> 6)) : 80;
		v.flags = (uint16_t)(r[0] | ((r[1] & 2) ? TCP_AE : 0));
		if (r[1] & 0x20) {
			v.seq = (uint32_t)fsm_be16(r + 2) << 16 |
				fsm_be16(r + 4);
			v.ack = (uint32_t)fsm_be16(r + 4) << 16 |
				fsm_be16(r + 2);
		} else {
			v.seq = nxt[from] +
				(uint32_t)(int32_t)(int16_t)fsm_be16(r + 2);
			v.ack = nxt[1 - from] +
				(uint32_t)(int32_t)(int16_t)fsm_be16(r + 4);
		}
		v.window = fsm_be16(r + 8);
		v.payload_bytes = len;
		v.payload_captured = (uint32_t)(rest < len ? rest : len);
		v.payload = data + off + FSM_REC;
		v.opt.has_mss = r[1] & 8;
		v.opt.mss = (uint16_t)(r[10] << 8 | r[9]);
		v.opt.has_wscale = r[1] & 0x10;
		v.opt.wscale = r[10];
		v.opt.has_ts = r[10] & 1;
		v.opt.ts_val = (uint32_t)(ts / 1000000);
		v.opt.ts_ecr = v.opt.ts_val - r[9];
		nxt[from] = v.seq + len + ((v.flags & TCP_SYN) ? 1 : 0) +
			    ((v.flags & TCP_FIN) ? 1 : 0);

		st.frame++;
		if (r[1] & 4) {
			memset(&seg, 0, sizeof(seg));
			seg.frame = st.frame;
			seg.ts_ns = ts;
			seg.flags = TCP_SEG_TIMEOUT;
			tcp_fsm_step(&ep[from], TCP_FSM_SEND, &seg, &res);
			fsm_check_endpoint(&ep[from], &res);
			/* The analyzer sees time pass instead. */
			analyzer_tick(az, ts);
			continue;
		}
		tcp_seg_from_pkt(&seg, &v, st.frame, ts);
		tcp_fsm_step(&ep[from], TCP_FSM_SEND, &seg, &res);
		fsm_check_endpoint(&ep[from], &res);
		tcp_fsm_step(&ep[1 - from], TCP_FSM_RECV, &seg, &res);
		fsm_check_endpoint(&ep[1 - from], &res);
		(void)tcp_endpoint_window(&ep[from]);
		analyzer_packet(az, &v, st.frame, ts);
		if (st.frame % 8 == 0)
			analyzer_tick(az, ts);
	}
	analyzer_finish(az);
	analyzer_free(az);
	return 0;
}
