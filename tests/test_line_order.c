/*
 * test_line_order.c - report lines in flow order with bounded memory
 * (formats/report/line_order.h): lines go out as soon as every lower flow
 * id has been seen, the ones that must wait spill to a temporary file past
 * the hold limit and come back in order, a flow not listed keeps its place,
 * and without a temporary file the order is still right.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "formats/report/line_order.h"

struct out {
	char *buf;
	size_t len;
	FILE *fp;
};

static void out_open(struct out *o)
{
	o->buf = NULL;
	o->len = 0;
	o->fp = open_memstream(&o->buf, &o->len);
	assert_non_null(o->fp);
}

/* What has been written so far. */
static const char *out_now(struct out *o)
{
	fflush(o->fp);
	return o->buf ? o->buf : "";
}

static void out_close(struct out *o)
{
	fclose(o->fp);
	free(o->buf);
}

static void add(struct line_order *lo, uint64_t id, bool listed)
{
	char line[64];
	int n = snprintf(line, sizeof(line), "flow %llu\n",
			 (unsigned long long)id);

	assert_int_equal(
		line_order_add(lo, 0, id, listed ? line : NULL, (size_t)n), 0);
}

/* "flow 0\nflow 1\n..." for ids 0..n-1, leaving out every `skip`-th
 * (0: none). */
static char *expected(uint64_t n, uint64_t skip)
{
	size_t cap = (size_t)n * 24 + 1, len = 0;
	char *s = malloc(cap);

	assert_non_null(s);
	s[0] = '\0';
	for (uint64_t i = 0; i < n; i++)
		if (skip == 0 || i % skip != 0)
			len += (size_t)snprintf(s + len, cap - len,
						"flow %llu\n",
						(unsigned long long)i);
	return s;
}

static void test_in_order_goes_straight_out(void **state)
{
	struct out o;
	struct line_order *lo;

	(void)state;
	out_open(&o);
	lo = line_order_new(o.fp, 0);
	assert_non_null(lo);
	add(lo, 0, true);
	assert_string_equal(out_now(&o), "flow 0\n");
	add(lo, 2, true); /* waits for flow 1 */
	assert_string_equal(out_now(&o), "flow 0\n");
	add(lo, 3, false); /* not listed: holds its place, writes nothing */
	add(lo, 1, true);
	assert_string_equal(out_now(&o), "flow 0\nflow 1\nflow 2\n");
	add(lo, 4, true);
	assert_string_equal(out_now(&o), "flow 0\nflow 1\nflow 2\nflow 4\n");
	add(lo, 6, true); /* 5 never comes: written at the end */
	assert_int_equal(line_order_finish(lo), 5);
	assert_string_equal(out_now(&o),
			    "flow 0\nflow 1\nflow 2\nflow 4\nflow 6\n");
	assert_int_equal(line_order_spilled(lo), 0);
	line_order_free(lo);
	out_close(&o);
}

/* Flows finishing out of order: each id lands within `window` places of
 * its turn, and flow 0, open the whole time, comes last, holding back all
 * the others. */
static void shuffled(struct line_order *lo, uint64_t n, uint64_t window,
		     uint64_t skip)
{
	uint64_t *ids = malloc(n * sizeof(*ids));
	uint32_t x = 12345;

	assert_non_null(ids);
	for (uint64_t i = 0; i < n; i++)
		ids[i] = i;
	for (uint64_t i = 1; i + 1 < n; i++) {
		uint64_t j;
		uint64_t t;

		x = x * 1103515245u + 12345u;
		j = i + (x >> 8) % window;
		if (j >= n)
			j = n - 1;
		t = ids[i];
		ids[i] = ids[j];
		ids[j] = t;
	}
	/* flow 0 last */
	for (uint64_t i = 0; i + 1 < n; i++)
		ids[i] = ids[i + 1];
	ids[n - 1] = 0;
	for (uint64_t i = 0; i < n; i++)
		add(lo, ids[i], skip == 0 || ids[i] % skip != 0);
	free(ids);
}

static void test_spills_and_merges_in_order(void **state)
{
	const uint64_t n = 20000;
	struct out o;
	struct line_order *lo;
	char *want = expected(n, 7);
	long long listed = 0;

	(void)state;
	for (uint64_t i = 0; i < n; i++)
		listed += i % 7 != 0;
	out_open(&o);
	lo = line_order_new(o.fp, 4096);
	assert_non_null(lo);
	shuffled(lo, n, 50, 7);
	/* flow 0 came last: nothing could go out, and the hold of 4 KiB
	 * spilled most of the lines as runs */
	assert_true(line_order_spilled(lo) > n / 2);
	assert_int_equal(line_order_finish(lo), listed);
	assert_string_equal(out_now(&o), want);
	line_order_free(lo);
	out_close(&o);
	free(want);
}

static void test_without_a_temporary_file(void **state)
{
	const uint64_t n = 3000;
	const char *old = getenv("TMPDIR");
	char *saved = old ? strdup(old) : NULL;
	struct out o;
	struct line_order *lo;
	char *want = expected(n, 0);

	(void)state;
	setenv("TMPDIR", "/nonexistent/tcplint-test", 1);
	out_open(&o);
	lo = line_order_new(o.fp, 1024);
	assert_non_null(lo);
	shuffled(lo, n, 20, 0);
	assert_int_equal(line_order_spilled(lo), 0); /* could not */
	assert_int_equal(line_order_finish(lo), (long long)n);
	assert_string_equal(out_now(&o), want);
	line_order_free(lo);
	out_close(&o);
	free(want);
	if (saved) {
		setenv("TMPDIR", saved, 1);
		free(saved);
	} else {
		unsetenv("TMPDIR");
	}
}

static void test_late_and_unfinished(void **state)
{
	struct out o;
	struct line_order *lo;

	(void)state;
	/* a flow given after its turn went by follows what is out */
	out_open(&o);
	lo = line_order_new(o.fp, 0);
	add(lo, 0, true);
	add(lo, 1, true);
	add(lo, 0, true);
	assert_int_equal(line_order_finish(lo), 3);
	assert_string_equal(out_now(&o), "flow 0\nflow 1\nflow 0\n");
	line_order_free(lo);
	out_close(&o);
	/* freed without finishing: what was held is dropped, nothing leaks */
	out_open(&o);
	lo = line_order_new(o.fp, 64);
	for (uint64_t i = 100; i > 0; i--)
		add(lo, i, true);
	line_order_free(lo);
	line_order_free(NULL);
	assert_string_equal(out_now(&o), "");
	out_close(&o);
}

/* A line longer than the spill's write buffer goes to the file whole. */
static void test_long_line_spilled(void **state)
{
	const size_t big = 100000;
	char *line = malloc(big), *want = malloc(big + 32);
	struct out o;
	struct line_order *lo;

	(void)state;
	assert_non_null(line);
	assert_non_null(want);
	memset(line, 'x', big - 1);
	line[big - 1] = '\n';
	out_open(&o);
	lo = line_order_new(o.fp, 1024);
	assert_non_null(lo);
	assert_int_equal(line_order_add(lo, 0, 1, line, big), 0);
	assert_int_equal(line_order_spilled(lo), 1); /* past the hold at once */
	add(lo, 2, true);                            /* held */
	add(lo, 0, true);
	assert_int_equal(line_order_finish(lo), 3);
	memcpy(want, "flow 0\n", 7);
	memcpy(want + 7, line, big);
	memcpy(want + 7 + big, "flow 2\n", 8);
	out_now(&o);
	assert_int_equal(o.len, big + 14);
	assert_memory_equal(o.buf, want, big + 14);
	line_order_free(lo);
	out_close(&o);
	free(line);
	free(want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_order_goes_straight_out),
		cmocka_unit_test(test_spills_and_merges_in_order),
		cmocka_unit_test(test_without_a_temporary_file),
		cmocka_unit_test(test_late_and_unfinished),
		cmocka_unit_test(test_long_line_spilled),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
