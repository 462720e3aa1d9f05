/*
 * config.h - the analyzer's thresholds, one field per command-line option.
 *
 * Read by the analyzer and by the rules it runs; filled with the documented
 * defaults by analyzer_config_defaults() (analyzer.h) and then by the
 * command line.
 */
#ifndef TCPLINT_ANALYZER_CONFIG_H
#define TCPLINT_ANALYZER_CONFIG_H

#include <stdint.h>

#define NS_PER_SEC 1000000000LL
#define NS_PER_MS 1000000LL

struct analyzer_config {
	int64_t ack_timeout_ns;        /* --ack-timeout, default 1 s */
	int64_t close_wait_timeout_ns; /* --close-wait-timeout, default 5 s */
	int64_t msl_ns; /* --msl, default 30 s (TIME_WAIT = 2 MSL) */
	int64_t idle_timeout_ns; /* --idle-timeout: flow reported after this much silence; 0 = never */
	int64_t close_grace_ns;     /* --close-grace, default 2 s */
	uint32_t keepalive_burst;   /* --keepalive-burst, default 3 */
	int64_t fast_rtx_window_ns; /* --fast-retransmit-window, default 20 ms */
	int64_t reorder_window_ns;  /* --reorder-window, default 3 ms */
	uint32_t max_flows;         /* --max-flows: table capacity */
	/* --shard K/N: keep only the connections whose shard (flow_key_shard)
	 * is shard_index of shard_count; shard_count 0 keeps every one. */
	uint32_t shard_index;
	uint32_t shard_count;
};

#endif
