/*
 * bytes.h - a bounds-checked read cursor over untrusted bytes.
 *
 * A cursor is the pair {p, end}: the next byte to read and one past the last
 * byte that may be read. Every read checks that the bytes are there and
 * fails (returns false, leaves the cursor and the output untouched) when
 * they are not, so a parser written with these never reads past `end`.
 * Multi-byte reads are big-endian (network order) unless named _le. No
 * allocation, no state beyond the cursor itself; the bytes are borrowed.
 */
#ifndef TCPLINT_WIRE_BYTES_H
#define TCPLINT_WIRE_BYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bytes_cursor {
	const uint8_t *p;   /* next byte to read */
	const uint8_t *end; /* one past the last readable byte */
};

/* A cursor over len bytes at p (p may be NULL when len is 0). */
static inline struct bytes_cursor bytes_make(const uint8_t *p, size_t len)
{
	struct bytes_cursor c = { p, p ? p + len : p };

	return c;
}

/* Bytes left to read. */
static inline size_t bytes_left(const struct bytes_cursor *c)
{
	return (size_t)(c->end - c->p);
}

/* Whether n more bytes can be read. */
static inline bool bytes_has(const struct bytes_cursor *c, size_t n)
{
	return bytes_left(c) >= n;
}

/* Advance over n bytes. */
static inline bool bytes_skip(struct bytes_cursor *c, size_t n)
{
	if (!bytes_has(c, n))
		return false;
	c->p += n;
	return true;
}

/* Split off the next n bytes as *sub and advance past them. */
static inline bool bytes_take(struct bytes_cursor *c, size_t n,
			      struct bytes_cursor *sub)
{
	if (!bytes_has(c, n))
		return false;
	sub->p = c->p;
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

/* Peek at the byte `off` bytes ahead without moving. */
static inline bool bytes_peek_u8(const struct bytes_cursor *c, size_t off,
				 uint8_t *v)
{
	if (off >= bytes_left(c))
		return false;
	*v = c->p[off];
	return true;
}

/* Peek at a big-endian 16-bit value `off` bytes ahead without moving. */
static inline bool bytes_peek_be16(const struct bytes_cursor *c, size_t off,
				   uint16_t *v)
{
	if (bytes_left(c) < 2 || off > bytes_left(c) - 2)
		return false;
	*v = (uint16_t)(c->p[off] << 8 | c->p[off + 1]);
	return true;
}

/* Peek at a big-endian 32-bit value `off` bytes ahead without moving. */
static inline bool bytes_peek_be32(const struct bytes_cursor *c, size_t off,
				   uint32_t *v)
{
	if (bytes_left(c) < 4 || off > bytes_left(c) - 4)
		return false;
	*v = (uint32_t)c->p[off] << 24 | (uint32_t)c->p[off + 1] << 16 |
	     (uint32_t)c->p[off + 2] << 8 | (uint32_t)c->p[off + 3];
	return true;
}

static inline bool bytes_u8(struct bytes_cursor *c, uint8_t *v)
{
	if (!bytes_peek_u8(c, 0, v))
		return false;
	c->p += 1;
	return true;
}

static inline bool bytes_be16(struct bytes_cursor *c, uint16_t *v)
{
	if (!bytes_peek_be16(c, 0, v))
		return false;
	c->p += 2;
	return true;
}

static inline bool bytes_be32(struct bytes_cursor *c, uint32_t *v)
{
	if (!bytes_peek_be32(c, 0, v))
		return false;
	c->p += 4;
	return true;
}

static inline bool bytes_le16(struct bytes_cursor *c, uint16_t *v)
{
	if (!bytes_has(c, 2))
		return false;
	*v = (uint16_t)(c->p[1] << 8 | c->p[0]);
	c->p += 2;
	return true;
}

static inline bool bytes_le32(struct bytes_cursor *c, uint32_t *v)
{
	if (!bytes_has(c, 4))
		return false;
	*v = (uint32_t)c->p[3] << 24 | (uint32_t)c->p[2] << 16 |
	     (uint32_t)c->p[1] << 8 | (uint32_t)c->p[0];
	c->p += 4;
	return true;
}

/* Copy n bytes out. */
static inline bool bytes_copy(struct bytes_cursor *c, void *dst, size_t n)
{
	const uint8_t *src = c->p;
	uint8_t *d = dst;

	if (!bytes_has(c, n))
		return false;
	for (size_t i = 0; i < n; i++)
		d[i] = src[i];
	c->p += n;
	return true;
}

#endif
