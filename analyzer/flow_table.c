/*
 * flow_table.c - slab, hash buckets, free list and LRU lists of flows.
 *
 * Memory: one slab of max_flows entries, mapped anonymously (mmap), and one
 * calloc'd array of bucket heads (the next power of two >= max_flows, so
 * chains stay short). The slab is handed out in order (`fresh` marks the
 * first entry never used) and each entry is zeroed when flow_table_insert()
 * hands it out, so the pages of entries never used are never touched: a
 * table sized for a million flows costs only what the busiest moment needs.
 * (mmap rather than calloc: AddressSanitizer writes the shadow of a whole
 * heap block when it is allocated and freed, 128 MB for the 1 GB slab of the
 * default 262144 flows, about 2 s at every start of a sanitizer build.)
 * Freed entries go on a free list (a stack) and are reused before fresh ones.
 */
#include "analyzer/flow_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* The hot entry's budget (flow.h); the cold part is counted apart. */
_Static_assert(sizeof(struct flow) <= FLOW_HOT_BYTES,
	       "struct flow grew past its budget");
_Static_assert(sizeof(((struct flow *)0)->key) == FLOW_KEY_MAX,
	       "flow.key holds one canonical key");

struct lru_list {
	struct flow *head; /* least recently active */
	struct flow *tail; /* most recently active */
};

struct flow_table {
	struct flow *slab;      /* (owned, mmap) capacity entries */
	size_t slab_bytes;      /* its mapped length */
	struct flow **buckets;  /* (owned) mask + 1 chain heads */
	struct flow *free_list; /* freed entries, chained through hash_next */
	uint32_t fresh;         /* slab[fresh..capacity) were never used */
	struct lru_list lru[FLOW_LRU_COUNT];
	uint64_t mask;
	uint32_t capacity;
	uint32_t count;
	struct flow_hash_seed seed;
};

static bool mul_size(size_t a, size_t b, size_t *out)
{
	return !__builtin_mul_overflow(a, b, out);
}

struct flow_table *flow_table_new(uint32_t max_flows,
				  const struct flow_hash_seed *seed,
				  char *errbuf, size_t errlen)
{
	struct flow_table *t;
	size_t slab_bytes, bucket_bytes;
	uint64_t nbuckets = 16;

	if (max_flows == 0) {
		snprintf(errbuf, errlen,
			 "the flow table needs room for at least one flow");
		return NULL;
	}
	while (nbuckets < max_flows)
		nbuckets <<= 1;
	if (!mul_size(max_flows, sizeof(struct flow), &slab_bytes) ||
	    !mul_size((size_t)nbuckets, sizeof(struct flow *), &bucket_bytes)) {
		snprintf(errbuf, errlen,
			 "a flow table of %u flows is too large", max_flows);
		return NULL;
	}
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		goto nomem;
	t->slab = mmap(NULL, slab_bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (t->slab == MAP_FAILED) {
		t->slab = NULL;
		goto nomem;
	}
	t->slab_bytes = slab_bytes;
	t->buckets = calloc((size_t)nbuckets, sizeof(struct flow *));
	if (t->buckets == NULL)
		goto nomem;
	t->capacity = max_flows;
	t->mask = nbuckets - 1;
	if (seed != NULL)
		t->seed = *seed;
	else
		flow_hash_seed_random(&t->seed);
	return t;
nomem:
	snprintf(errbuf, errlen,
		 "out of memory for a flow table of %u flows (%zu bytes)",
		 max_flows, slab_bytes + bucket_bytes);
	flow_table_free(t);
	return NULL;
}

void flow_table_free(struct flow_table *t)
{
	if (t == NULL)
		return;
	if (t->slab != NULL)
		munmap(t->slab, t->slab_bytes);
	free(t->buckets);
	free(t);
}

const struct flow_hash_seed *flow_table_seed(const struct flow_table *t)
{
	return &t->seed;
}

static bool key_equal(const struct flow *f, const struct flow_key *key,
		      uint64_t hash)
{
	return f->hash == hash && f->key_len == key->len &&
	       memcmp(f->key, key->bytes, key->len) == 0;
}

struct flow *flow_table_lookup(struct flow_table *t, const struct flow_key *key,
			       uint64_t hash)
{
	for (struct flow *f = t->buckets[hash & t->mask]; f != NULL;
	     f = f->hash_next)
		if (key_equal(f, key, hash))
			return f;
	return NULL;
}

static void lru_unlink(struct flow_table *t, struct flow *f)
{
	struct lru_list *l = &t->lru[f->lru_list];

	if (f->lru_prev != NULL)
		f->lru_prev->lru_next = f->lru_next;
	else
		l->head = f->lru_next;
	if (f->lru_next != NULL)
		f->lru_next->lru_prev = f->lru_prev;
	else
		l->tail = f->lru_prev;
	f->lru_prev = f->lru_next = NULL;
}

static void lru_append(struct flow_table *t, struct flow *f,
		       enum flow_lru which)
{
	struct lru_list *l = &t->lru[which];

	f->lru_list = (uint8_t)which;
	f->lru_next = NULL;
	f->lru_prev = l->tail;
	if (l->tail != NULL)
		l->tail->lru_next = f;
	else
		l->head = f;
	l->tail = f;
}

struct flow *flow_table_insert(struct flow_table *t, const struct flow_key *key,
			       uint64_t hash)
{
	struct flow *f = t->free_list;
	struct flow **bucket;

	if (f != NULL)
		t->free_list = f->hash_next;
	else if (t->fresh < t->capacity)
		f = &t->slab[t->fresh++];
	else
		return NULL;
	memset(f, 0, sizeof(*f));
	f->hash = hash;
	f->key_len = key->len;
	memcpy(f->key, key->bytes, key->len);
	bucket = &t->buckets[hash & t->mask];
	f->hash_next = *bucket;
	*bucket = f;
	lru_append(t, f, FLOW_LRU_OPEN);
	t->count++;
	return f;
}

void flow_table_remove(struct flow_table *t, struct flow *f)
{
	struct flow **pp = &t->buckets[f->hash & t->mask];

	while (*pp != NULL && *pp != f)
		pp = &(*pp)->hash_next;
	if (*pp == NULL)
		return; /* not in the table */
	*pp = f->hash_next;
	lru_unlink(t, f);
	f->hash_next = t->free_list;
	t->free_list = f;
	t->count--;
}

void flow_table_touch(struct flow_table *t, struct flow *f)
{
	if (t->lru[f->lru_list].tail == f)
		return;
	lru_unlink(t, f);
	lru_append(t, f, (enum flow_lru)f->lru_list);
}

void flow_table_set_list(struct flow_table *t, struct flow *f,
			 enum flow_lru which)
{
	lru_unlink(t, f);
	lru_append(t, f, which);
}

struct flow *flow_table_oldest_in(const struct flow_table *t,
				  enum flow_lru which)
{
	return t->lru[which].head;
}

struct flow *flow_table_newer(const struct flow *f)
{
	return f->lru_next;
}

struct flow *flow_table_oldest(const struct flow_table *t)
{
	struct flow *a = t->lru[FLOW_LRU_OPEN].head;
	struct flow *b = t->lru[FLOW_LRU_FINISHED].head;

	if (a == NULL)
		return b;
	if (b == NULL)
		return a;
	return b->last_ts_ns < a->last_ts_ns ? b : a;
}

uint32_t flow_table_count(const struct flow_table *t)
{
	return t->count;
}

uint32_t flow_table_capacity(const struct flow_table *t)
{
	return t->capacity;
}

uint32_t flow_table_index(const struct flow_table *t, const struct flow *f)
{
	uintptr_t base = (uintptr_t)t->slab;
	uintptr_t p = (uintptr_t)f;

	if (p < base ||
	    p >= base + (uintptr_t)t->capacity * sizeof(struct flow) ||
	    (p - base) % sizeof(struct flow) != 0)
		return UINT32_MAX;
	return (uint32_t)((p - base) / sizeof(struct flow));
}
