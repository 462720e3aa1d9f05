/*
 * test_bytes.c - the read cursor of formats/wire/bytes.h: every accessor
 * reading exactly up to the end, and failing one byte past it (the cursor
 * then stays failed and empty, reads give 0, nothing is read). Inputs sit
 * right before a PROT_NONE guard page, so an accessor that touched a byte
 * past the end of its buffer would fault instead of passing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "formats/wire/bytes.h"

/* ---- guard page --------------------------------------------------------- */

struct guard {
	uint8_t *map;
	size_t map_len;
	uint8_t *limit; /* first byte of the PROT_NONE page */
};

static int guard_setup(void **state)
{
	static struct guard g;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	g.map_len = 2 * page;
	g.map = mmap(NULL, g.map_len, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (g.map == MAP_FAILED)
		return -1;
	g.limit = g.map + page;
	if (mprotect(g.limit, page, PROT_NONE) != 0)
		return -1;
	*state = &g;
	return 0;
}

static int guard_teardown(void **state)
{
	struct guard *g = *state;

	return munmap(g->map, g->map_len);
}

/* A cursor over n bytes ending right at the guard page. */
static struct bytes_cursor at_guard(void **state, const uint8_t *bytes,
				    size_t n)
{
	struct guard *g = *state;

	memcpy(g->limit - n, bytes, n);
	return bytes_make(g->limit - n, n);
}

/* 01 02 03 04 05 06 07 08 */
static const uint8_t B8[8] = {1, 2, 3, 4, 5, 6, 7, 8};

/* A failed cursor: empty, not ok, every read 0. */
static void assert_failed(struct bytes_cursor *c)
{
	assert_false(bytes_ok(c));
	assert_int_equal(bytes_left(c), 0);
	assert_int_equal(bytes_u8(c), 0);
	assert_int_equal(bytes_be16_at(c, 0), 0);
	assert_false(bytes_skip(c, 1));
	assert_false(bytes_ok(c));
}

/* ---- tests -------------------------------------------------------------- */

static void test_empty(void **state)
{
	struct bytes_cursor c = bytes_make(NULL, 0);

	(void)state;
	assert_true(bytes_ok(&c));
	assert_int_equal(bytes_left(&c), 0);
	assert_true(bytes_has(&c, 0));
	assert_false(bytes_has(&c, 1));
	assert_true(bytes_ok(&c)); /* asking does not fail it */
	assert_int_equal(bytes_u8(&c), 0);
	assert_failed(&c);
}

static void test_reads_up_to_the_end(void **state)
{
	struct bytes_cursor c = at_guard(state, B8, 8);

	assert_int_equal(bytes_u8(&c), 0x01);
	assert_int_equal(bytes_be16(&c), 0x0203);
	assert_int_equal(bytes_le16(&c), 0x0504);
	assert_int_equal(bytes_left(&c), 3);
	assert_int_equal(bytes_u8(&c), 0x06);
	assert_int_equal(bytes_be16(&c), 0x0708); /* the last two bytes */
	assert_true(bytes_ok(&c));
	assert_int_equal(bytes_left(&c), 0);

	c = at_guard(state, B8, 8);
	assert_int_equal(bytes_be32(&c), 0x01020304);
	assert_int_equal(bytes_le32(&c), 0x08070605); /* the last four */
	assert_true(bytes_ok(&c));
	assert_int_equal(bytes_left(&c), 0);
}

/* Each multi-byte read one byte short: 0, failed, nothing read. */
static void test_reads_past_the_end(void **state)
{
	struct bytes_cursor c;

	c = at_guard(state, B8, 1);
	assert_int_equal(bytes_be16(&c), 0);
	assert_failed(&c);
	c = at_guard(state, B8, 1);
	assert_int_equal(bytes_le16(&c), 0);
	assert_failed(&c);
	c = at_guard(state, B8, 3);
	assert_int_equal(bytes_be32(&c), 0);
	assert_failed(&c);
	c = at_guard(state, B8, 3);
	assert_int_equal(bytes_le32(&c), 0);
	assert_failed(&c);
	/* a failed cursor stays failed though bytes were left before */
	c = at_guard(state, B8, 5);
	assert_int_equal(bytes_be32(&c), 0x01020304);
	assert_int_equal(bytes_be16(&c), 0);
	assert_failed(&c);
}

/* The cursor's end, not the buffer's, is the limit. */
static void test_end_inside_buffer(void **state)
{
	struct bytes_cursor c = at_guard(state, B8, 8);

	bytes_limit(&c, 3);
	assert_int_equal(bytes_left(&c), 3);
	bytes_limit(&c, 6); /* never lengthens */
	assert_int_equal(bytes_left(&c), 3);
	assert_int_equal(bytes_be32(&c), 0);
	assert_failed(&c);
}

static void test_peek_at(void **state)
{
	struct bytes_cursor c = at_guard(state, B8, 4);

	assert_int_equal(bytes_u8_at(&c, 3), 0x04);
	assert_int_equal(bytes_be16_at(&c, 2), 0x0304);
	assert_int_equal(bytes_le16_at(&c, 2), 0x0403);
	assert_int_equal(bytes_be32_at(&c, 0), 0x01020304);
	assert_int_equal(bytes_le32_at(&c, 0), 0x04030201);
	assert_int_equal(bytes_left(&c), 4); /* nothing moved */
	assert_true(bytes_ok(&c));

	assert_int_equal(bytes_u8_at(&c, 4), 0);
	assert_failed(&c);
	c = at_guard(state, B8, 4);
	assert_int_equal(bytes_be16_at(&c, 3), 0);
	assert_failed(&c);
	c = at_guard(state, B8, 4);
	assert_int_equal(bytes_le16_at(&c, 3), 0);
	assert_failed(&c);
	c = at_guard(state, B8, 4);
	assert_int_equal(bytes_be32_at(&c, 1), 0);
	assert_failed(&c);
	c = at_guard(state, B8, 4);
	assert_int_equal(bytes_le32_at(&c, 1), 0);
	assert_failed(&c);
	/* offsets near SIZE_MAX must not wrap around to a valid address */
	c = at_guard(state, B8, 4);
	assert_int_equal(bytes_u8_at(&c, SIZE_MAX), 0);
	assert_failed(&c);
	c = at_guard(state, B8, 4);
	assert_int_equal(bytes_be32_at(&c, SIZE_MAX - 1), 0);
	assert_failed(&c);
}

static void test_skip(void **state)
{
	struct bytes_cursor c = at_guard(state, B8, 4);

	assert_true(bytes_skip(&c, 4));
	assert_int_equal(bytes_left(&c), 0);
	assert_true(bytes_ok(&c));
	c = at_guard(state, B8, 4);
	assert_false(bytes_skip(&c, 5));
	assert_failed(&c);
	c = at_guard(state, B8, 4);
	assert_false(bytes_skip(&c, SIZE_MAX));
	assert_failed(&c);
}

static void test_take(void **state)
{
	struct bytes_cursor c = at_guard(state, B8, 8), sub;

	assert_true(bytes_take(&c, 3, &sub));
	assert_int_equal(bytes_left(&sub), 3);
	assert_int_equal(bytes_left(&c), 5);
	assert_int_equal(bytes_u8(&c), 0x04);
	/* reading past the piece fails the piece, not its parent */
	assert_int_equal(bytes_be16(&sub), 0x0102);
	assert_int_equal(bytes_be16(&sub), 0);
	assert_failed(&sub);
	assert_true(bytes_ok(&c));
	assert_int_equal(bytes_be32(&c), 0x05060708);
	/* a piece longer than what is left: both fail */
	c = at_guard(state, B8, 8);
	assert_false(bytes_take(&c, 9, &sub));
	assert_failed(&sub);
	assert_failed(&c);
	/* a piece of a failed cursor fails too */
	assert_false(bytes_take(&c, 1, &sub));
	assert_failed(&sub);
}

static void test_copy(void **state)
{
	struct bytes_cursor c = at_guard(state, B8, 8);
	uint8_t out[8];

	assert_true(bytes_copy(&c, out, 8));
	assert_memory_equal(out, B8, 8);
	assert_int_equal(bytes_left(&c), 0);
	c = at_guard(state, B8, 7);
	memset(out, 0xee, sizeof(out));
	assert_false(bytes_copy(&c, out, 8));
	assert_memory_equal(out, (const uint8_t[8]){0}, 8);
	assert_failed(&c);
}

#define GT(f) cmocka_unit_test_setup_teardown(f, guard_setup, guard_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		GT(test_empty),
		GT(test_reads_up_to_the_end),
		GT(test_reads_past_the_end),
		GT(test_end_inside_buffer),
		GT(test_peek_at),
		GT(test_skip),
		GT(test_take),
		GT(test_copy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
