/*
 * chunk_pool.h - fixed-size chunks taken from large blocks, for the cold
 * parts of flow entries (flow_cold.h).
 *
 * A pool hands out chunks of one size. It takes memory from the system a
 * block at a time (about 64 KiB, one malloc), carves the block into chunks
 * as they are asked for, and keeps the chunks given back on a free list,
 * which it serves first. Blocks are never given back before
 * chunk_pool_fini(): the pool grows to the most chunks in use at once and
 * stays there, so a steady stream of flows that come and go costs no
 * allocation at all once the busiest moment has passed, and a packet never
 * calls malloc unless it needs a chunk when every block is full.
 *
 * The counters (struct chunk_pool_stats) are what the tests hold the pool
 * to: blocks counts the mallocs, in_use and peak the chunks. Not
 * thread-safe.
 */
#ifndef TCPLINT_ANALYZER_CHUNK_POOL_H
#define TCPLINT_ANALYZER_CHUNK_POOL_H

#include <stddef.h>
#include <stdint.h>

/* Bytes a block aims at (the chunks of one malloc). */
#define CHUNK_POOL_BLOCK_BYTES 65536

struct chunk_pool_stats {
	uint64_t blocks;   /* blocks allocated (one malloc each) */
	uint64_t gets;     /* chunks handed out */
	uint64_t in_use;   /* chunks handed out and not yet given back */
	uint64_t peak;     /* the most in use at once */
	uint64_t failures; /* chunks asked for when no block could be had */
};

struct chunk_pool {
	size_t chunk_bytes;   /* a multiple of 8 */
	uint32_t per_block;   /* chunks per block */
	void *free_list;      /* chunks given back, chained through their
				     first 8 bytes */
	unsigned char *fresh; /* the newest block's chunks never used */
	uint32_t fresh_left;
	void *blocks; /* (owned) every block, chained through
				     its header */
	struct chunk_pool_stats st;
};

/* Set up an empty pool of chunks of chunk_bytes (rounded up to a multiple
 * of 8, at least 8). Allocates nothing yet. */
void chunk_pool_init(struct chunk_pool *p, size_t chunk_bytes);

/* Free every block; chunks still handed out become invalid. The pool is
 * empty (and usable) again. */
void chunk_pool_fini(struct chunk_pool *p);

/* A zeroed chunk, or NULL when no memory could be had for a new block
 * (counted in st.failures). */
void *chunk_pool_get(struct chunk_pool *p);

/* Give chunk c (from chunk_pool_get of this pool) back. NULL does nothing. */
void chunk_pool_put(struct chunk_pool *p, void *c);

#endif
