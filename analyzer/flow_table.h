/*
 * flow_table.h - the table of open connections.
 *
 * All max_flows entries are allocated once, in flow_table_new(), as one slab
 * of struct flow (flow.h); after that the table never allocates. Entries are
 * found through power-of-two hash buckets (chained through flow.hash_next),
 * recycled through a free list, and kept on two LRU lists ordered by last
 * activity: open flows, and finished flows waiting out their grace period.
 * The oldest entry of either list is the one to evict when the table is full.
 *
 * The hash comes from the caller (flow_key_hash with flow_table_seed), so a
 * packet costs one hash and one bucket walk. Not thread-safe.
 */
#ifndef TCPLINT_ANALYZER_FLOW_TABLE_H
#define TCPLINT_ANALYZER_FLOW_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "analyzer/flow.h"
#include "analyzer/flow_key.h"

struct flow_table;

/* Which LRU list a flow is on. */
enum flow_lru { FLOW_LRU_OPEN = 0, FLOW_LRU_FINISHED = 1, FLOW_LRU_COUNT };

/*
 * A table with room for max_flows (>= 1) flows. seed NULL picks a random
 * one. Returns NULL with a reason in errbuf when max_flows is 0, the sizes
 * overflow or memory is short. Caller frees with flow_table_free().
 */
struct flow_table *flow_table_new(uint32_t max_flows,
				  const struct flow_hash_seed *seed,
				  char *errbuf, size_t errlen);
/* flow_table_free(NULL) does nothing. Flows still in the table are dropped. */
void flow_table_free(struct flow_table *t);

const struct flow_hash_seed *flow_table_seed(const struct flow_table *t);

/* The flow with this key (hash = flow_key_hash(seed, key)), or NULL. */
struct flow *flow_table_lookup(struct flow_table *t, const struct flow_key *key,
			       uint64_t hash);

/*
 * Take a free entry for key: it is zeroed except for the table's linkage and
 * key fields, hashed in, and put at the recent end of the open list. Returns
 * NULL when the table is full (evict first). The key must not be present.
 */
struct flow *flow_table_insert(struct flow_table *t, const struct flow_key *key,
			       uint64_t hash);

/* Unhash f and return it to the free list (f's contents are left as they are
 * until the entry is reused). */
void flow_table_remove(struct flow_table *t, struct flow *f);

/* f was active: move it to the recent end of its list. */
void flow_table_touch(struct flow_table *t, struct flow *f);

/* Move f to the recent end of list `which`. */
void flow_table_set_list(struct flow_table *t, struct flow *f,
			 enum flow_lru which);

/* The least recently active flow of one list, or NULL; and the next more
 * recent one after f on f's list. */
struct flow *flow_table_oldest_in(const struct flow_table *t,
				  enum flow_lru which);
struct flow *flow_table_newer(const struct flow *f);

/* The least recently active flow of both lists (by last_ts_ns), or NULL. */
struct flow *flow_table_oldest(const struct flow_table *t);

uint32_t flow_table_count(const struct flow_table *t);
uint32_t flow_table_capacity(const struct flow_table *t);

/* Index of f in the slab (0 .. capacity-1), or UINT32_MAX when f is not an
 * entry of t. For tests and diagnostics. */
uint32_t flow_table_index(const struct flow_table *t, const struct flow *f);

#endif
