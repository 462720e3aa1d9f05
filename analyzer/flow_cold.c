/*
 * flow_cold.c - the cold parts of flow entries: the pools they come from,
 * taking and giving them back, the anomaly store and the delta-encoded
 * state timeline (flow_cold.h).
 */
#include "analyzer/flow_cold.h"

#include <string.h>

/* Sizes of the timeline's chunks, smallest first. */
static const size_t timeline_bytes[FLOW_TIMELINE_CLASSES] = {64, 128, 256, 512,
							     1024};
/* Anomalies each size of store holds. */
static const uint16_t anomaly_room[FLOW_ANOMALY_CLASSES] = {2, 8,
							    FLOW_MAX_ANOMALIES};

/* Every endpoint's changes at their longest fit the largest chunk. */
_Static_assert(2 * FLOW_MAX_STATES * FLOW_TIMELINE_ENTRY_MAX +
			       sizeof(struct flow_timeline) <=
		       1024,
	       "the largest timeline chunk is too small");
_Static_assert(FLOW_MAX_STATES <= UINT8_MAX, "flow_timeline.n is a byte");
_Static_assert(TCP_STATE_COUNT <= 128,
	       "a timeline entry keeps the state in 7 bits");

/* The documented bound of one flow, hot and cold. */
static size_t ring_bytes(unsigned cap)
{
	return sizeof(struct rules_ring) + cap * sizeof(struct rules_seg);
}

_Static_assert(sizeof(struct flow) +
			       2 * (sizeof(struct rules_ring) +
				    RULES_SEG_RING * sizeof(struct rules_seg)) +
			       2 * sizeof(struct rules_ctls) +
			       sizeof(struct rules_ka) +
			       sizeof(struct rules_close) +
			       sizeof(struct flow_timers) + 1024 +
			       sizeof(struct flow_anomalies) +
			       FLOW_MAX_ANOMALIES * sizeof(struct anomaly) <=
		       FLOW_MAX_BYTES,
	       "a flow can take more than FLOW_MAX_BYTES");

static size_t anomalies_bytes(unsigned cls)
{
	return sizeof(struct flow_anomalies) +
	       anomaly_room[cls] * sizeof(struct anomaly);
}

void flow_cold_pools_init(struct flow_cold_pools *p)
{
	chunk_pool_init(&p->ring_small, ring_bytes(RULES_SEG_RING_SMALL));
	chunk_pool_init(&p->ring, ring_bytes(RULES_SEG_RING));
	chunk_pool_init(&p->ctl, sizeof(struct rules_ctls));
	chunk_pool_init(&p->ka, sizeof(struct rules_ka));
	chunk_pool_init(&p->close, sizeof(struct rules_close));
	chunk_pool_init(&p->timers, sizeof(struct flow_timers));
	for (unsigned i = 0; i < FLOW_TIMELINE_CLASSES; i++)
		chunk_pool_init(&p->timeline[i], timeline_bytes[i]);
	for (unsigned i = 0; i < FLOW_ANOMALY_CLASSES; i++)
		chunk_pool_init(&p->anomalies[i], anomalies_bytes(i));
}

/* Every pool, for the loops below. */
static unsigned all_pools(const struct flow_cold_pools *p,
			  const struct chunk_pool **v)
{
	unsigned n = 0;

	v[n++] = &p->ring_small;
	v[n++] = &p->ring;
	v[n++] = &p->ctl;
	v[n++] = &p->ka;
	v[n++] = &p->close;
	v[n++] = &p->timers;
	for (unsigned i = 0; i < FLOW_TIMELINE_CLASSES; i++)
		v[n++] = &p->timeline[i];
	for (unsigned i = 0; i < FLOW_ANOMALY_CLASSES; i++)
		v[n++] = &p->anomalies[i];
	return n;
}

#define FLOW_COLD_POOLS (6 + FLOW_TIMELINE_CLASSES + FLOW_ANOMALY_CLASSES)

void flow_cold_pools_fini(struct flow_cold_pools *p)
{
	const struct chunk_pool *v[FLOW_COLD_POOLS];
	unsigned n = all_pools(p, v);

	for (unsigned i = 0; i < n; i++)
		chunk_pool_fini((struct chunk_pool *)v[i]);
}

void flow_cold_pools_stats(const struct flow_cold_pools *p,
			   struct chunk_pool_stats *sum)
{
	const struct chunk_pool *v[FLOW_COLD_POOLS];
	unsigned n = all_pools(p, v);

	memset(sum, 0, sizeof(*sum));
	for (unsigned i = 0; i < n; i++) {
		sum->blocks += v[i]->st.blocks;
		sum->gets += v[i]->st.gets;
		sum->in_use += v[i]->st.in_use;
		sum->peak += v[i]->st.peak;
		sum->failures += v[i]->st.failures;
	}
}

uint64_t flow_cold_pools_bytes(const struct flow_cold_pools *p)
{
	const struct chunk_pool *v[FLOW_COLD_POOLS];
	unsigned n = all_pools(p, v);
	uint64_t bytes = 0;

	for (unsigned i = 0; i < n; i++)
		bytes += v[i]->st.blocks * v[i]->per_block * v[i]->chunk_bytes;
	return bytes;
}

size_t flow_cold_max_bytes(void)
{
	return 2 * ring_bytes(RULES_SEG_RING) + 2 * sizeof(struct rules_ctls) +
	       sizeof(struct rules_ka) + sizeof(struct rules_close) +
	       sizeof(struct flow_timers) +
	       timeline_bytes[FLOW_TIMELINE_CLASSES - 1] +
	       anomalies_bytes(FLOW_ANOMALY_CLASSES - 1);
}

void flow_cold_release(struct flow_cold_pools *p, struct flow *f)
{
	struct rules_flow *rf = &f->rules;

	for (int d = 0; d < 2; d++) {
		if (rf->ring[d] != NULL)
			chunk_pool_put(rf->ring[d]->cap == RULES_SEG_RING
					       ? &p->ring
					       : &p->ring_small,
				       rf->ring[d]);
		chunk_pool_put(&p->ctl, rf->ctl[d]);
		rf->ring[d] = NULL;
		rf->ctl[d] = NULL;
	}
	chunk_pool_put(&p->ka, rf->ka);
	chunk_pool_put(&p->close, rf->close);
	chunk_pool_put(&p->timers, f->timers);
	if (f->timeline != NULL)
		chunk_pool_put(&p->timeline[f->timeline->cls], f->timeline);
	if (f->anomalies != NULL)
		chunk_pool_put(&p->anomalies[f->anomalies->cls], f->anomalies);
	rf->ka = NULL;
	rf->close = NULL;
	f->timers = NULL;
	f->timeline = NULL;
	f->anomalies = NULL;
}

/* --- getting a part ------------------------------------------------------- */

/* *slot, taken from pool if NULL. */
static void *part(struct chunk_pool *pool, void **slot)
{
	if (*slot == NULL)
		*slot = chunk_pool_get(pool);
	return *slot;
}

struct rules_ring *flow_cold_ring(struct flow_cold_pools *p, struct flow *f,
				  int dir)
{
	struct rules_ring *r = f->rules.ring[dir & 1];

	if (r == NULL && (r = chunk_pool_get(&p->ring_small)) != NULL) {
		r->cap = RULES_SEG_RING_SMALL;
		f->rules.ring[dir & 1] = r;
	}
	return r;
}

struct rules_ring *flow_cold_ring_room(struct flow_cold_pools *p,
				       struct flow *f, int dir)
{
	struct rules_ring *r = flow_cold_ring(p, f, dir), *big;

	if (r == NULL || r->seg_head < r->cap)
		return r;
	/* the small ring is full and has not wrapped (it would wrap at
	 * RULES_SEG_RING): the same segments in the same slots */
	big = chunk_pool_get(&p->ring);
	if (big == NULL)
		return NULL;
	memcpy(big, r, ring_bytes(r->cap));
	big->cap = RULES_SEG_RING;
	chunk_pool_put(&p->ring_small, r);
	f->rules.ring[dir & 1] = big;
	return big;
}

struct rules_ctls *flow_cold_ctl(struct flow_cold_pools *p, struct flow *f,
				 int dir)
{
	return part(&p->ctl, (void **)&f->rules.ctl[dir & 1]);
}

struct rules_ctl *flow_cold_fin(struct flow_cold_pools *p, struct flow *f,
				int dir)
{
	struct rules_close *c = flow_cold_close(p, f);

	return c != NULL ? &c->dir[dir & 1].fin : NULL;
}

struct rules_ka *flow_cold_ka(struct flow_cold_pools *p, struct flow *f)
{
	return part(&p->ka, (void **)&f->rules.ka);
}

struct rules_close *flow_cold_close(struct flow_cold_pools *p, struct flow *f)
{
	return part(&p->close, (void **)&f->rules.close);
}

struct flow_timers *flow_cold_timers(struct flow_cold_pools *p, struct flow *f)
{
	return part(&p->timers, (void **)&f->timers);
}

static const struct rules_ring no_ring;
static const struct rules_ctls no_ctl;
static const struct rules_ka_dir no_ka;
static const struct rules_close_dir no_close;

const struct rules_ring *flow_cold_ring_of(const struct flow *f, int dir)
{
	const struct rules_ring *r = f->rules.ring[dir & 1];

	return r != NULL ? r : &no_ring;
}

const struct rules_ctls *flow_cold_ctl_of(const struct flow *f, int dir)
{
	const struct rules_ctls *c = f->rules.ctl[dir & 1];

	return c != NULL ? c : &no_ctl;
}

const struct rules_ctl *flow_cold_fin_of(const struct flow *f, int dir)
{
	return &flow_cold_close_of(f, dir)->fin;
}

const struct rules_ka_dir *flow_cold_ka_of(const struct flow *f, int dir)
{
	return f->rules.ka != NULL ? &f->rules.ka->dir[dir & 1] : &no_ka;
}

const struct rules_close_dir *flow_cold_close_of(const struct flow *f, int dir)
{
	return f->rules.close != NULL ? &f->rules.close->dir[dir & 1]
				      : &no_close;
}

/* --- anomalies ------------------------------------------------------------ */

/* Move f's store (of class cls, or none) into a chunk of class cls + 1.
 * Returns the new store, or NULL (the old one stays) without memory. */
static struct flow_anomalies *anomalies_grow(struct flow_cold_pools *p,
					     struct flow *f, unsigned cls)
{
	struct flow_anomalies *old = f->anomalies;
	struct flow_anomalies *s = chunk_pool_get(&p->anomalies[cls]);

	if (s == NULL)
		return NULL;
	if (old != NULL) {
		memcpy(s, old, sizeof(*old) + old->n * sizeof(struct anomaly));
		chunk_pool_put(&p->anomalies[old->cls], old);
	}
	s->cls = (uint8_t)cls;
	f->anomalies = s;
	return s;
}

struct flow_anomalies *flow_cold_anomalies(struct flow_cold_pools *p,
					   struct flow *f)
{
	if (f->anomalies != NULL)
		return f->anomalies;
	return anomalies_grow(p, f, 0);
}

bool flow_cold_anomaly_add(struct flow_cold_pools *p, struct flow *f,
			   const struct anomaly *a)
{
	struct flow_anomalies *s = flow_cold_anomalies(p, f);

	if (s == NULL || s->n >= FLOW_MAX_ANOMALIES)
		return false;
	if (s->n >= anomaly_room[s->cls]) {
		s = anomalies_grow(p, f, s->cls + 1u);
		if (s == NULL)
			return false;
	}
	s->a[s->n++] = *a;
	return true;
}

/* --- the state timeline --------------------------------------------------- */

static uint64_t zigzag(uint64_t d)
{
	return (d << 1) ^ (0 - (d >> 63));
}

static uint64_t unzigzag(uint64_t z)
{
	return (z >> 1) ^ (0 - (z & 1));
}

static size_t put_varint(uint8_t *p, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		p[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (uint8_t)v;
	return n;
}

/* Read a varint at p (its bytes are ours, written by put_varint). */
static size_t get_varint(const uint8_t *p, uint64_t *v)
{
	size_t n = 0;
	unsigned shift = 0;

	*v = 0;
	do {
		*v |= (uint64_t)(p[n] & 0x7f) << shift;
		shift += 7;
	} while (p[n++] & 0x80);
	return n;
}

/* One decoded change. */
struct tl_entry {
	size_t off; /* where it starts in data[] */
	size_t len; /* its bytes */
	int role;
	uint8_t state;
	uint64_t frame;
	int64_t ts_ns;
};

/* A walk over a timeline, decoding as it goes. */
struct tl_walk {
	const struct flow_timeline *tl;
	size_t off;
	uint64_t frame[2]; /* each endpoint's latest change */
	uint64_t ts[2];
};

static void tl_walk_start(struct tl_walk *w, const struct flow *f)
{
	w->tl = f->timeline;
	w->off = 0;
	w->frame[0] = w->frame[1] = f->rec.first_frame;
	w->ts[0] = w->ts[1] = (uint64_t)f->rec.start_ns;
}

static bool tl_walk_next(struct tl_walk *w, struct tl_entry *e)
{
	const uint8_t *p;
	uint64_t d;

	if (w->tl == NULL || w->off >= w->tl->len)
		return false;
	p = w->tl->data + w->off;
	e->off = w->off;
	e->role = p[0] >> 7;
	e->state = p[0] & 0x7f;
	e->len = 1;
	e->len += get_varint(p + e->len, &d);
	w->frame[e->role] += unzigzag(d);
	e->len += get_varint(p + e->len, &d);
	w->ts[e->role] += unzigzag(d);
	e->frame = w->frame[e->role];
	e->ts_ns = (int64_t)w->ts[e->role];
	w->off += e->len;
	return true;
}

/* Make room for `need` more bytes in f's timeline (taking the first chunk,
 * or moving to a larger one). False without memory. */
static bool tl_room(struct flow_cold_pools *p, struct flow *f, size_t need)
{
	struct flow_timeline *old = f->timeline, *tl;
	unsigned cls = old != NULL ? old->cls : 0;
	size_t used = old != NULL ? old->len : 0;

	if (old != NULL && sizeof(*old) + used + need <= timeline_bytes[cls])
		return true;
	while (cls < FLOW_TIMELINE_CLASSES &&
	       sizeof(*old) + used + need > timeline_bytes[cls])
		cls++;
	if (cls == FLOW_TIMELINE_CLASSES)
		return false; /* cannot happen: see the _Static_assert */
	tl = chunk_pool_get(&p->timeline[cls]);
	if (tl == NULL)
		return false;
	if (old != NULL) {
		memcpy(tl, old, sizeof(*old) + used);
		chunk_pool_put(&p->timeline[old->cls], old);
	}
	tl->cls = (uint8_t)cls;
	f->timeline = tl;
	return true;
}

static void count_dropped(struct flow_timeline *tl, int role)
{
	if (tl != NULL && tl->dropped[role] < UINT16_MAX)
		tl->dropped[role]++;
}

void flow_cold_state_add(struct flow_cold_pools *p, struct flow *f, int role,
			 uint8_t state, uint64_t frame, int64_t ts_ns)
{
	uint8_t buf[FLOW_TIMELINE_ENTRY_MAX];
	struct tl_walk w;
	struct tl_entry e;
	size_t n = 0;

	role &= 1;
	if (f->timeline != NULL && f->timeline->n[role] >= FLOW_MAX_STATES) {
		count_dropped(f->timeline, role);
		return;
	}
	/* the endpoint's latest change is the base of the differences */
	tl_walk_start(&w, f);
	while (tl_walk_next(&w, &e))
		;
	buf[n++] = (uint8_t)(role << 7 | (state & 0x7f));
	n += put_varint(buf + n, zigzag(frame - w.frame[role]));
	n += put_varint(buf + n, zigzag((uint64_t)ts_ns - w.ts[role]));
	if (!tl_room(p, f, n)) {
		count_dropped(f->timeline, role);
		return;
	}
	memcpy(f->timeline->data + f->timeline->len, buf, n);
	f->timeline->len = (uint16_t)(f->timeline->len + n);
	f->timeline->n[role]++;
}

void flow_cold_state_revoke(struct flow_cold_pools *p, struct flow *f, int role,
			    uint8_t state)
{
	struct flow_timeline *tl = f->timeline;
	struct tl_walk w;
	struct tl_entry e, last;
	bool found = false;

	(void)p;
	role &= 1;
	if (tl == NULL)
		return;
	memset(&last, 0, sizeof(last));
	tl_walk_start(&w, f);
	while (tl_walk_next(&w, &e))
		if (e.role == role) {
			last = e;
			found = true;
		}
	if (found && last.state == state) {
		/* the other endpoint's changes after it keep their
		 * differences: each is from its own endpoint's previous one */
		memmove(tl->data + last.off, tl->data + last.off + last.len,
			tl->len - last.off - last.len);
		tl->len = (uint16_t)(tl->len - last.len);
		tl->n[role]--;
	} else if (tl->dropped[role] > 0) {
		tl->dropped[role]--;
	}
}

void flow_cold_states_fill(const struct flow *f, int role,
			   struct endpoint_record *er)
{
	struct tl_walk w;
	struct tl_entry e;

	role &= 1;
	er->nstates = 0;
	er->states_dropped =
		f->timeline != NULL ? f->timeline->dropped[role] : 0;
	tl_walk_start(&w, f);
	while (tl_walk_next(&w, &e)) {
		struct state_change *sc;

		if (e.role != role || er->nstates >= FLOW_MAX_STATES)
			continue;
		sc = &er->states[er->nstates++];
		sc->frame = e.frame;
		sc->ts_ns = e.ts_ns;
		sc->state = e.state;
	}
}
