/*
 * bytes.h - a bounds-checked read cursor over untrusted bytes.
 *
 * A cursor is the pair {p, end}: the next byte to read and one past the last
 * byte that may be read. Every accessor checks that its bytes are there
 * before touching them. A read that does not fit fails the cursor: it
 * returns 0 (false for the movers, zeroes for bytes_copy), the cursor is
 * left empty and marked failed, and every later read on it fails too. A
 * parser can so read a run of fixed fields and test bytes_ok() once at the
 * end, and still never read past `end`. Multi-byte reads are big-endian
 * (network order) unless named _le; the _at forms read `off` bytes ahead
 * without moving. The decoder (decode.c) and the option parser
 * (tcp_opts.c) read captured bytes only through these. No allocation, no
 * state beyond the cursor itself; the bytes are borrowed.
 */
#ifndef TCPLINT_WIRE_BYTES_H
#define TCPLINT_WIRE_BYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct bytes_cursor {
	const uint8_t *p;   /* next byte to read */
	const uint8_t *end; /* one past the last readable byte */
	bool failed;        /* a read did not fit: nothing more can be read */
};

/* A cursor over len bytes at p (p may be NULL when len is 0). */
static inline struct bytes_cursor bytes_make(const uint8_t *p, size_t len)
{
	struct bytes_cursor c = {p, p ? p + len : p, false};

	return c;
}

/* Bytes left to read (0 once failed). */
static inline size_t bytes_left(const struct bytes_cursor *c)
{
	return (size_t)(c->end - c->p);
}

/* Whether n more bytes can be read. Asking does not fail the cursor. */
static inline bool bytes_has(const struct bytes_cursor *c, size_t n)
{
	return bytes_left(c) >= n;
}

/* Whether every read so far fitted. */
static inline bool bytes_ok(const struct bytes_cursor *c)
{
	return !c->failed;
}

/* Fail the cursor: empty from now on. Returns false. */
static inline bool bytes_fail(struct bytes_cursor *c)
{
	c->p = c->end;
	c->failed = true;
	return false;
}

/* Room for n bytes `off` bytes ahead, or fail the cursor. */
static inline bool bytes_need(struct bytes_cursor *c, size_t off, size_t n)
{
	if (bytes_left(c) < n || off > bytes_left(c) - n)
		return bytes_fail(c);
	return true;
}

/* Advance over n bytes. */
static inline bool bytes_skip(struct bytes_cursor *c, size_t n)
{
	if (!bytes_need(c, 0, n))
		return false;
	c->p += n;
	return true;
}

/* Split off the next n bytes as *sub (a fresh cursor) and advance past
 * them. On failure *sub is an empty failed cursor. */
static inline bool bytes_take(struct bytes_cursor *c, size_t n,
			      struct bytes_cursor *sub)
{
	*sub = bytes_make(c->p, 0);
	if (!bytes_need(c, 0, n))
		return bytes_fail(sub);
	sub->end = c->p + n;
	c->p += n;
	return true;
}

/* Shorten the cursor to at most n bytes from here (never lengthens it). */
static inline void bytes_limit(struct bytes_cursor *c, size_t n)
{
	if (bytes_has(c, n))
		c->end = c->p + n;
}

/* ---- reads `off` bytes ahead, without moving ---------------------------- */

static inline uint8_t bytes_u8_at(struct bytes_cursor *c, size_t off)
{
	if (!bytes_need(c, off, 1))
		return 0;
	return c->p[off];
}

static inline uint16_t bytes_be16_at(struct bytes_cursor *c, size_t off)
{
	if (!bytes_need(c, off, 2))
		return 0;
	return (uint16_t)(c->p[off] << 8 | c->p[off + 1]);
}

static inline uint16_t bytes_le16_at(struct bytes_cursor *c, size_t off)
{
	if (!bytes_need(c, off, 2))
		return 0;
	return (uint16_t)(c->p[off + 1] << 8 | c->p[off]);
}

static inline uint32_t bytes_be32_at(struct bytes_cursor *c, size_t off)
{
	if (!bytes_need(c, off, 4))
		return 0;
	return (uint32_t)c->p[off] << 24 | (uint32_t)c->p[off + 1] << 16 |
	       (uint32_t)c->p[off + 2] << 8 | (uint32_t)c->p[off + 3];
}

static inline uint32_t bytes_le32_at(struct bytes_cursor *c, size_t off)
{
	if (!bytes_need(c, off, 4))
		return 0;
	return (uint32_t)c->p[off + 3] << 24 | (uint32_t)c->p[off + 2] << 16 |
	       (uint32_t)c->p[off + 1] << 8 | (uint32_t)c->p[off];
}

/* ---- reads that advance past what they read ----------------------------- */

static inline uint8_t bytes_u8(struct bytes_cursor *c)
{
	uint8_t v = bytes_u8_at(c, 0);

	bytes_skip(c, 1);
	return v;
}

static inline uint16_t bytes_be16(struct bytes_cursor *c)
{
	uint16_t v = bytes_be16_at(c, 0);

	bytes_skip(c, 2);
	return v;
}

static inline uint16_t bytes_le16(struct bytes_cursor *c)
{
	uint16_t v = bytes_le16_at(c, 0);

	bytes_skip(c, 2);
	return v;
}

static inline uint32_t bytes_be32(struct bytes_cursor *c)
{
	uint32_t v = bytes_be32_at(c, 0);

	bytes_skip(c, 4);
	return v;
}

static inline uint32_t bytes_le32(struct bytes_cursor *c)
{
	uint32_t v = bytes_le32_at(c, 0);

	bytes_skip(c, 4);
	return v;
}

/* Copy the next n bytes out and advance; on failure dst gets n zeroes. */
static inline bool bytes_copy(struct bytes_cursor *c, void *dst, size_t n)
{
	if (!bytes_need(c, 0, n)) {
		memset(dst, 0, n);
		return false;
	}
	memcpy(dst, c->p, n);
	c->p += n;
	return true;
}

#endif
