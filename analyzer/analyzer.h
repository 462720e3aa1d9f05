/*
 * analyzer.h - the passive analysis: segments in, flow records out.
 *
 * The analyzer owns the flow table. Feed it decoded segments in capture
 * order with analyzer_packet(); it runs both endpoints' state machines and
 * the anomaly rules, and hands each flow to the sink once the flow is
 * finished (closed and past the grace period, idle past the idle timeout,
 * evicted because the table is full, or flushed by analyzer_finish()). After
 * the sink returns, the record is recycled: a sink that wants to keep it
 * copies it. Anomalies are also handed to the sink as soon as they are
 * detected, so live capture can stream them.
 *
 * The packet path does no formatting, and allocates only when a pool of
 * the flows' cold parts has no free chunk left (it then takes one block
 * for many): flow entries live in a table allocated once (analyzer_new) and
 * recycled through a free list, their cold parts in pools that grow with
 * the most flows open at once and are recycled as flows are reported.
 */
#ifndef TCPLINT_ANALYZER_ANALYZER_H
#define TCPLINT_ANALYZER_ANALYZER_H

#include <stddef.h>
#include <stdint.h>

#include "analyzer/config.h"
#include "analyzer/records.h"
#include "formats/wire/decode.h"

/* Fill *cfg with the documented defaults. */
void analyzer_config_defaults(struct analyzer_config *cfg);

/* One segment as the ladder view wants it; see sink.segment. */
struct segment_event {
	uint64_t frame;
	int64_t ts_ns;
	uint8_t from;           /* enum endpoint_role of the sender */
	uint16_t flags;         /* TCP_* */
	uint32_t seq, ack;      /* raw */
	uint32_t len;           /* payload bytes */
	uint32_t window;        /* scaled */
	uint8_t state_after[2]; /* client, server state after this segment */
	uint8_t changed[2];     /* whether each endpoint changed state here */
};

/* Where the analyzer's results go. Every callback is optional (NULL). The
 * records passed are borrowed for the duration of the call. */
struct analyzer_sink {
	void (*flow_done)(void *ctx, const struct flow_record *flow);
	void (*anomaly)(void *ctx, const struct flow_record *flow,
			const struct anomaly *a);
	/* Called for each segment of flow `watch_flow` only (ladder view). */
	void (*segment)(void *ctx, const struct flow_record *flow,
			const struct segment_event *ev);
	void *ctx;
};

struct analyzer_stats {
	uint64_t flows;     /* flows created */
	uint64_t evictions; /* flows reported early because the table was full */
	uint64_t active;    /* flows in the table now */
	uint64_t other_shard; /* segments left to other shards (--shard) */
};

/* Memory of the flows (docs/PERFORMANCE.md, "Memory per connection"). */
struct analyzer_memory {
	size_t hot_bytes;          /* one flow entry in the table's slab */
	size_t cold_max_bytes;     /* the most one flow's cold part takes */
	uint64_t cold_blocks;      /* blocks the cold pools took (one malloc
				      each): grows with the busiest moment */
	uint64_t cold_block_bytes; /* their bytes */
	uint64_t cold_chunks;      /* cold chunks in use now */
	uint64_t cold_chunks_peak; /* the most in use at once (per pool, added) */
	uint64_t cold_gets;        /* cold chunks handed out so far */
	uint64_t cold_failures;    /* cold parts not kept for want of memory */
};

struct analyzer;

/* Allocate an analyzer with room for cfg->max_flows flows. Returns NULL and
 * writes a reason to errbuf (errlen bytes) on failure. The sink is copied. */
struct analyzer *analyzer_new(const struct analyzer_config *cfg,
			      const struct analyzer_sink *sink, char *errbuf,
			      size_t errlen);
/* Free; analyzer_free(NULL) does nothing. Does not flush: call finish first. */
void analyzer_free(struct analyzer *az);

/* Report segments of this flow id to sink.segment (UINT64_MAX = none). */
void analyzer_watch_flow(struct analyzer *az, uint64_t flow_id);

/* Start a new input: frame numbers restart, flow records carry `input`. */
void analyzer_begin_input(struct analyzer *az, uint32_t input);

/* One TCP segment, frame number `frame` (from 1), captured at ts_ns. */
void analyzer_packet(struct analyzer *az, const struct pkt_view *pkt,
		     uint64_t frame, int64_t ts_ns);

/* Tell the analyzer that the capture dropped packets (live: pcap_stats). */
void analyzer_note_drops(struct analyzer *az, uint64_t dropped_total);

/* Advance timers to `now_ns` without a packet (live capture on a quiet link):
 * reports lingering CLOSE_WAIT, missing ACKs, finished and idle flows. */
void analyzer_tick(struct analyzer *az, int64_t now_ns);

/* End of input: apply end-of-capture rules to every open flow and hand all of
 * them to the sink, in id order. The table is empty afterwards. */
void analyzer_finish(struct analyzer *az);

void analyzer_get_stats(const struct analyzer *az, struct analyzer_stats *st);

/* For tests and diagnostics: the flow entry (analyzer/flow.h) whose record
 * a sink callback is being shown, valid during that call; NULL outside
 * one. */
struct flow;
const struct flow *analyzer_current_flow(const struct analyzer *az);
void analyzer_get_memory(const struct analyzer *az, struct analyzer_memory *m);

#endif
