/*
 * chunk_pool.c - blocks carved into fixed-size chunks, with a free list
 * (chunk_pool.h).
 *
 * A block is one malloc: a header that chains it to the pool's other
 * blocks, then per_block chunks. Under AddressSanitizer a chunk given back
 * is poisoned but for its first 8 bytes (the free-list link), so a flow
 * that still reads a cold part it released faults at once.
 */
#include "analyzer/chunk_pool.h"

#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#define CHUNK_POOL_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CHUNK_POOL_ASAN 1
#endif
#endif

#ifdef CHUNK_POOL_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

/* A block's header; the chunks follow it, 16-byte aligned. */
struct chunk_block {
	struct chunk_block *next;
	uint64_t pad;
};

void chunk_pool_init(struct chunk_pool *p, size_t chunk_bytes)
{
	memset(p, 0, sizeof(*p));
	if (chunk_bytes < 8)
		chunk_bytes = 8;
	p->chunk_bytes = (chunk_bytes + 7) & ~(size_t)7;
	p->per_block = (uint32_t)(CHUNK_POOL_BLOCK_BYTES / p->chunk_bytes);
	if (p->per_block < 16)
		p->per_block = 16;
}

void chunk_pool_fini(struct chunk_pool *p)
{
	struct chunk_block *b = p->blocks;
	size_t bytes = p->chunk_bytes;

	while (b != NULL) {
		struct chunk_block *next = b->next;

		UNPOISON(b + 1, (size_t)p->per_block * p->chunk_bytes);
		free(b);
		b = next;
	}
	chunk_pool_init(p, bytes);
}

static int grow(struct chunk_pool *p)
{
	size_t chunks = (size_t)p->per_block * p->chunk_bytes;
	struct chunk_block *b = malloc(sizeof(*b) + chunks);

	if (b == NULL)
		return -1;
	b->next = p->blocks;
	p->blocks = b;
	p->fresh = (unsigned char *)(b + 1);
	p->fresh_left = p->per_block;
	p->st.blocks++;
	return 0;
}

void *chunk_pool_get(struct chunk_pool *p)
{
	void *c = p->free_list;

	if (c != NULL) {
		memcpy(&p->free_list, c, sizeof(void *));
		UNPOISON(c, p->chunk_bytes);
	} else {
		if (p->fresh_left == 0 && grow(p) != 0) {
			p->st.failures++;
			return NULL;
		}
		c = p->fresh;
		p->fresh += p->chunk_bytes;
		p->fresh_left--;
	}
	memset(c, 0, p->chunk_bytes);
	p->st.gets++;
	if (++p->st.in_use > p->st.peak)
		p->st.peak = p->st.in_use;
	return c;
}

void chunk_pool_put(struct chunk_pool *p, void *c)
{
	if (c == NULL)
		return;
	memcpy(c, &p->free_list, sizeof(void *));
	p->free_list = c;
	POISON((unsigned char *)c + sizeof(void *),
	       p->chunk_bytes - sizeof(void *));
	p->st.in_use--;
}
