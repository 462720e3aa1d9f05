/*
 * line_order.c - lines in flow order with bounded memory (line_order.h).
 *
 * Held lines are a binary min-heap keyed by (input, id). A spill sorts the
 * heap and appends it to the temporary file as one run of records (id,
 * input, length, then the bytes); at the end the runs are merged through a
 * second heap of their head records, together with whatever is still held.
 * When the temporary file cannot be made or written, lines stay held (the
 * memory of the report before this module: correct, not bounded).
 */
#include "formats/report/line_order.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct held {
	uint64_t id;
	uint32_t input;
	uint32_t len; /* 0: a flow not listed */
	char *text;   /* (owned) len bytes, NULL when len is 0 */
};

/* A record's header in the temporary file. */
struct rec_head {
	uint64_t id;
	uint32_t input;
	uint32_t len;
};

/* The merge reads each run through a buffer of its own, all of them
 * within MERGE_BYTES (each between RUN_BUF_MIN and RUN_BUF_MAX), so what
 * the merge takes does not grow with the runs but by RUN_BUF_MIN each. */
#define MERGE_BYTES (4u << 20)
#define RUN_BUF_MIN 512
#define RUN_BUF_MAX 16384
#define SPILL_BUF 65536

struct run {
	off_t pos, end; /* what is left of it in the file */
	char *buf;      /* (owned) read ahead, buf_cap bytes; taken
				when the merge starts */
	size_t buf_cap, buf_len, buf_off;
	struct rec_head head; /* its current record */
	char *text;           /* (owned) the record's bytes */
	size_t text_cap;
};

struct line_order {
	FILE *out; /* borrowed */
	size_t hold_bytes;
	struct held *heap; /* (owned) n held lines */
	size_t n, cap;
	size_t bytes;     /* held: lines and their entries */
	uint64_t next_id; /* every flow below it has been written */
	long long written;
	int fd; /* the temporary file, -1 until needed */
	off_t fd_end;
	char *wbuf;        /* (owned) SPILL_BUF bytes, for spilling */
	bool no_spill;     /* the file could not be made or written */
	struct run **runs; /* (owned) */
	size_t nruns, runs_cap;
	uint64_t spilled;
};

static bool key_less(uint32_t ia, uint64_t a, uint32_t ib, uint64_t b)
{
	return ia != ib ? ia < ib : a < b;
}

static bool held_less(const struct held *a, const struct held *b)
{
	return key_less(a->input, a->id, b->input, b->id);
}

/* --- the heap of held lines ------------------------------------------------ */

static void held_up(struct held *h, size_t i)
{
	while (i > 0) {
		size_t p = (i - 1) / 2;
		struct held t;

		if (!held_less(&h[i], &h[p]))
			break;
		t = h[i];
		h[i] = h[p];
		h[p] = t;
		i = p;
	}
}

static void held_down(struct held *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		struct held t;

		if (l < n && held_less(&h[l], &h[m]))
			m = l;
		if (l + 1 < n && held_less(&h[l + 1], &h[m]))
			m = l + 1;
		if (m == i)
			return;
		t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

static struct held held_pop(struct line_order *lo)
{
	struct held top = lo->heap[0];

	lo->heap[0] = lo->heap[--lo->n];
	held_down(lo->heap, lo->n, 0);
	lo->bytes -= sizeof(top) + top.len;
	return top;
}

/* --- writing --------------------------------------------------------------- */

static void put_line(struct line_order *lo, const char *text, uint32_t len)
{
	if (len == 0)
		return;
	fwrite(text, 1, len, lo->out);
	lo->written++;
}

/* Write the held lines whose turn it is (and any whose turn has passed). */
static void write_ready(struct line_order *lo)
{
	while (lo->n > 0 && lo->heap[0].id <= lo->next_id) {
		struct held h = held_pop(lo);

		put_line(lo, h.text, h.len);
		if (h.id == lo->next_id)
			lo->next_id++;
		free(h.text);
	}
}

/* --- spilling -------------------------------------------------------------- */

static int make_file(struct line_order *lo)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	int fd;

	if (dir == NULL || dir[0] == '\0')
		dir = "/tmp";
	if (snprintf(path, sizeof(path), "%s/tcplint-lines-XXXXXX", dir) >=
	    (int)sizeof(path))
		return -1;
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	unlink(path); /* gone when closed, even if tcplint is killed */
	lo->fd = fd;
	lo->fd_end = 0;
	return 0;
}

static int write_all(int fd, const void *p, size_t n, off_t at)
{
	const char *c = p;

	while (n > 0) {
		ssize_t w = pwrite(fd, c, n, at);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
		at += w;
	}
	return 0;
}

/* Append n bytes to the run being spilled (buffered in lo->wbuf, *used
 * bytes of it, flushed at *at). */
static int spill_put(struct line_order *lo, const void *p, size_t n,
		     size_t *used, off_t *at)
{
	if (n == 0)
		return 0; /* a flow not listed has no text */
	if (*used + n > SPILL_BUF) {
		if (write_all(lo->fd, lo->wbuf, *used, *at) != 0)
			return -1;
		*at += (off_t)*used;
		*used = 0;
	}
	if (n > SPILL_BUF) {
		/* a line longer than the buffer: straight to the file */
		if (write_all(lo->fd, p, n, *at) != 0)
			return -1;
		*at += (off_t)n;
		return 0;
	}
	memcpy(lo->wbuf + *used, p, n);
	*used += n;
	return 0;
}

static int cmp_held(const void *a, const void *b)
{
	const struct held *x = a, *y = b;

	return held_less(x, y) ? -1 : held_less(y, x) ? 1 : 0;
}

/* Sort what is held and append it to the file as a run; on failure it all
 * stays held (a sorted array is a heap too). */
static void spill(struct line_order *lo)
{
	struct run *r;
	size_t used = 0;
	off_t at;

	if (lo->no_spill || lo->n == 0)
		return;
	if (lo->fd < 0 && make_file(lo) != 0)
		goto fail;
	if (lo->wbuf == NULL && (lo->wbuf = malloc(SPILL_BUF)) == NULL)
		goto fail;
	if (lo->nruns == lo->runs_cap) {
		size_t cap = lo->runs_cap ? 2 * lo->runs_cap : 8;
		struct run **v = realloc(lo->runs, cap * sizeof(*v));

		if (v == NULL)
			goto fail;
		lo->runs = v;
		lo->runs_cap = cap;
	}
	r = calloc(1, sizeof(*r));
	if (r == NULL)
		goto fail;
	qsort(lo->heap, lo->n, sizeof(lo->heap[0]), cmp_held);
	at = lo->fd_end;
	for (size_t i = 0; i < lo->n; i++) {
		const struct held *h = &lo->heap[i];
		struct rec_head rh = {h->id, h->input, h->len};

		if (spill_put(lo, &rh, sizeof(rh), &used, &at) != 0 ||
		    spill_put(lo, h->text, h->len, &used, &at) != 0) {
			free(r);
			goto fail;
		}
	}
	if (write_all(lo->fd, lo->wbuf, used, at) != 0) {
		free(r);
		goto fail;
	}
	at += (off_t)used;
	r->pos = lo->fd_end;
	r->end = at;
	lo->fd_end = at;
	lo->runs[lo->nruns++] = r;
	lo->spilled += lo->n;
	for (size_t i = 0; i < lo->n; i++)
		free(lo->heap[i].text);
	lo->n = 0;
	lo->bytes = 0;
	return;
fail:
	lo->no_spill = true;
}

static void run_free(struct run *r)
{
	free(r->buf);
	free(r->text);
	free(r);
}

/* --- the public side -------------------------------------------------------- */

struct line_order *line_order_new(FILE *out, size_t hold_bytes)
{
	struct line_order *lo = calloc(1, sizeof(*lo));

	if (lo == NULL)
		return NULL;
	lo->out = out;
	lo->hold_bytes = hold_bytes ? hold_bytes : LINE_ORDER_HOLD_BYTES;
	lo->fd = -1;
	return lo;
}

void line_order_free(struct line_order *lo)
{
	if (lo == NULL)
		return;
	for (size_t i = 0; i < lo->n; i++)
		free(lo->heap[i].text);
	free(lo->heap);
	for (size_t i = 0; i < lo->nruns; i++)
		run_free(lo->runs[i]);
	free(lo->runs);
	free(lo->wbuf);
	if (lo->fd >= 0)
		close(lo->fd);
	free(lo);
}

int line_order_add(struct line_order *lo, uint32_t input, uint64_t id,
		   const char *line, size_t len)
{
	struct held h = {id, input, 0, NULL};

	if (line != NULL && len > 0) {
		if (len > UINT32_MAX || (h.text = malloc(len)) == NULL)
			return -1;
		memcpy(h.text, line, len);
		h.len = (uint32_t)len;
	}
	if (lo->n == lo->cap) {
		size_t cap = lo->cap ? 2 * lo->cap : 64;
		struct held *v;

		if (cap > SIZE_MAX / sizeof(*v) ||
		    (v = realloc(lo->heap, cap * sizeof(*v))) == NULL) {
			free(h.text);
			return -1;
		}
		lo->heap = v;
		lo->cap = cap;
	}
	lo->heap[lo->n] = h;
	held_up(lo->heap, lo->n++);
	lo->bytes += sizeof(h) + h.len;
	write_ready(lo);
	if (lo->bytes > lo->hold_bytes)
		spill(lo);
	return 0;
}

uint64_t line_order_spilled(const struct line_order *lo)
{
	return lo->spilled;
}

/* --- merging at the end ------------------------------------------------------ */

/* Fill dst with n bytes of run r. */
static int run_read(struct line_order *lo, struct run *r, void *dst, size_t n)
{
	char *d = dst;

	while (n > 0) {
		size_t k;

		if (r->buf_off == r->buf_len) {
			size_t want = r->buf_cap;
			ssize_t got;

			if ((off_t)want > r->end - r->pos)
				want = (size_t)(r->end - r->pos);
			if (want == 0)
				return -1;
			got = pread(lo->fd, r->buf, want, r->pos);
			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0)
				return -1;
			r->pos += got;
			r->buf_len = (size_t)got;
			r->buf_off = 0;
		}
		k = r->buf_len - r->buf_off;
		if (k > n)
			k = n;
		memcpy(d, r->buf + r->buf_off, k);
		r->buf_off += k;
		d += k;
		n -= k;
	}
	return 0;
}

/* Load run r's next record; 0, 1 at its end, -1 on a read error. */
static int run_next(struct line_order *lo, struct run *r)
{
	if (r->pos == r->end && r->buf_off == r->buf_len)
		return 1;
	if (run_read(lo, r, &r->head, sizeof(r->head)) != 0)
		return -1;
	if (r->head.len > r->text_cap) {
		char *t = realloc(r->text, r->head.len);

		if (t == NULL)
			return -1;
		r->text = t;
		r->text_cap = r->head.len;
	}
	return run_read(lo, r, r->text, r->head.len);
}

static bool run_less(const struct run *a, const struct run *b)
{
	return key_less(a->head.input, a->head.id, b->head.input, b->head.id);
}

static void runs_down(struct run **h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		struct run *t;

		if (l < n && run_less(h[l], h[m]))
			m = l;
		if (l + 1 < n && run_less(h[l + 1], h[m]))
			m = l + 1;
		if (m == i)
			return;
		t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

long long line_order_finish(struct line_order *lo)
{
	size_t live = 0;
	int err = 0;

	if (lo->nruns > 0)
		spill(lo); /* what is held joins the merge as one more run */
	/* the runs that have a record, as a heap by their heads */
	for (size_t i = 0; i < lo->nruns; i++) {
		struct run *r = lo->runs[i];
		size_t cap = lo->nruns ? MERGE_BYTES / lo->nruns : RUN_BUF_MAX;
		int st;

		if (cap > RUN_BUF_MAX)
			cap = RUN_BUF_MAX;
		if (cap < RUN_BUF_MIN)
			cap = RUN_BUF_MIN;
		r->buf = malloc(cap);
		r->buf_cap = r->buf ? cap : 0;
		st = r->buf ? run_next(lo, r) : -1;
		if (st < 0)
			err = -1;
		if (st == 0)
			lo->runs[live++] = r;
		else
			run_free(r);
	}
	lo->nruns = live;
	for (size_t i = live; i-- > 0;)
		runs_down(lo->runs, live, i);
	while (lo->nruns > 0 || lo->n > 0) {
		struct run *r = lo->nruns > 0 ? lo->runs[0] : NULL;
		int st;

		if (lo->n > 0 &&
		    (r == NULL || key_less(lo->heap[0].input, lo->heap[0].id,
					   r->head.input, r->head.id))) {
			struct held h = held_pop(lo);

			put_line(lo, h.text, h.len);
			free(h.text);
			continue;
		}
		put_line(lo, r->text, r->head.len);
		st = run_next(lo, r);
		if (st != 0) {
			if (st < 0)
				err = -1;
			run_free(r);
			lo->runs[0] = lo->runs[--lo->nruns];
		}
		runs_down(lo->runs, lo->nruns, 0);
	}
	return err ? -1 : lo->written;
}
