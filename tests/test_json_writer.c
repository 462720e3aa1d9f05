/*
 * test_json_writer.c - the streaming JSON writer (formats/report/json_writer.c)
 * and the records written through it (json_records.c, report_sarif.c's
 * results), against jansson as the oracle.
 *
 * Unit tests of the writer: every control character, quotes, backslash,
 * U+2028, non-ASCII with and without JSON_WRITER_ASCII, ill-formed UTF-8,
 * long strings, integer extremes, seconds from microseconds (compared with
 * jansson's own printing of the same double over a wide range), structure
 * and pretty layout, misuse, and the buffer's reuse.
 *
 * Differential tests: every capture of testdata/ and, when present, of the
 * corpus (TCPLINT_CORPUS_DIR; that test is skipped when it is absent) is
 * analyzed, and for every flow the writer's text must be byte for byte the
 * json_dumps() of report_json.c's jansson builder of the same record
 * (compact, with "type" and without, and pretty), parse back to a value
 * json_equal() to that tree, and so must every jsonl anomaly line and every
 * SARIF result (against the jansson builder SARIF used before, kept here
 * as sarif_*_tree). The records are given hostile file names and broken
 * expectations (ill-formed UTF-8, controls, quotes) on the way.
 */
#define _XOPEN_SOURCE 700 /* nftw() */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analyzer/analyzer.h"
#include "formats/report/anomaly.h"
#include "formats/report/json_records.h"
#include "formats/report/json_text.h"
#include "formats/report/json_writer.h"
#include "formats/report/report.h"
#include "formats/report/report_json.h"
#include "formats/wire/capture.h"
#include "formats/wire/decode.h"

#define FLAGS_COMPACT (JSON_COMPACT | JSON_REAL_PRECISION(16) | JSON_ENCODE_ANY)
#define FLAGS_PRETTY                                                           \
	(JSON_INDENT(2) | JSON_REAL_PRECISION(16) | JSON_ENCODE_ANY)
#define FLAGS_SARIF (JSON_COMPACT | JSON_ENSURE_ASCII | JSON_ENCODE_ANY)

/* ---- helpers ---- */

/* Fail, showing where got and want part, unless they are the same bytes. */
static void assert_same_text(const char *what, const char *got, size_t got_len,
			     const char *want)
{
	size_t want_len = strlen(want), i = 0;

	if (got_len == want_len && memcmp(got, want, got_len) == 0)
		return;
	while (i < got_len && i < want_len && got[i] == want[i])
		i++;
	fail_msg("%s: differs at byte %zu of %zu (jansson %zu)\n"
		 "  writer:  ...%.80s\n  jansson: ...%.80s",
		 what, i, got_len, want_len, got + (i > 20 ? i - 20 : 0),
		 want + (i > 20 ? i - 20 : 0));
}

/* jansson's text of v (which it takes over), or NULL for no value. */
static char *dump_tree(json_t *v, size_t flags)
{
	char *text = v ? json_dumps(v, flags) : NULL;

	json_decref(v);
	return text;
}

/* The writer's text must be jansson's (want, freed here), and parse back
 * to a value equal to the one jansson's text parses to. */
static void assert_matches(const char *what, struct json_writer *w, char *want)
{
	json_error_t err;
	json_t *a, *b;

	assert_non_null(want);
	assert_int_equal(json_writer_finish(w), 0);
	assert_same_text(what, w->buf, w->len, want);
	a = json_loadb(w->buf, w->len, JSON_DECODE_ANY, &err);
	if (!a)
		fail_msg("%s: the writer's text does not parse: %s", what,
			 err.text);
	b = json_loads(want, JSON_DECODE_ANY, &err);
	assert_non_null(b);
	assert_true(json_equal(a, b));
	json_decref(a);
	json_decref(b);
	free(want);
}

/* A string as the only value, with the writer and with jansson (through
 * json_text(), the sanitizing step the reports used). */
static void check_string(const char *s, unsigned flags, const char *expect)
{
	struct json_writer w;

	json_writer_init(&w);
	json_writer_reset(&w, flags, 0);
	json_writer_str(&w, NULL, s);
	if (expect) {
		assert_int_equal(json_writer_finish(&w), 0);
		assert_same_text("string (by hand)", w.buf, w.len, expect);
	}
	assert_matches("string", &w,
		       dump_tree(json_text(s), flags & JSON_WRITER_ASCII
						       ? FLAGS_SARIF
						       : FLAGS_COMPACT));
	json_writer_free(&w);
}

/* ---- strings ---- */

static void test_control_characters(void **state)
{
	(void)state;
	for (int c = 1; c < 0x20; c++) {
		char s[4] = {'a', (char)c, 'b', 0}, want[16];
		const char *named = c == '\b'   ? "\\b"
				    : c == '\f' ? "\\f"
				    : c == '\n' ? "\\n"
				    : c == '\r' ? "\\r"
				    : c == '\t' ? "\\t"
						: NULL;

		if (named)
			snprintf(want, sizeof(want), "\"a%sb\"", named);
		else
			snprintf(want, sizeof(want), "\"a\\u%04Xb\"", c);
		check_string(s, 0, want);
		check_string(s, JSON_WRITER_ASCII, want);
	}
	check_string("\"quoted\"", 0, "\"\\\"quoted\\\"\"");
	check_string("back\\slash", 0, "\"back\\\\slash\"");
	check_string("a/b\x7f", 0, "\"a/b\x7f\"");
	check_string("", 0, "\"\"");
	check_string("\x1f\"\\\x01", JSON_WRITER_ASCII,
		     "\"\\u001F\\\"\\\\\\u0001\"");
}

static void test_unicode(void **state)
{
	(void)state;
	/* U+2028 LINE SEPARATOR stays as it is unless ASCII is asked for */
	check_string("a\xe2\x80\xa8z", 0, "\"a\xe2\x80\xa8z\"");
	check_string("a\xe2\x80\xa8z", JSON_WRITER_ASCII, "\"a\\u2028z\"");
	check_string("caf\xc3\xa9", 0, "\"caf\xc3\xa9\"");
	check_string("caf\xc3\xa9", JSON_WRITER_ASCII, "\"caf\\u00E9\"");
	/* U+1F600 beyond the BMP: a surrogate pair */
	check_string("\xf0\x9f\x98\x80", JSON_WRITER_ASCII,
		     "\"\\uD83D\\uDE00\"");
	check_string("\xf4\x8f\xbf\xbf", JSON_WRITER_ASCII,
		     "\"\\uDBFF\\uDFFF\"");
	check_string("\xef\xbf\xbf\xc2\x80", JSON_WRITER_ASCII,
		     "\"\\uFFFF\\u0080\"");
	check_string("\xf4\x8f\xbf\xbf\xe2\x82\xac", 0, NULL);
}

static void test_invalid_utf8(void **state)
{
	static const char *const bad[] = {
		"\x80", /* lone continuation byte */
		"ok\xbf",
		"\xc0\xaf", /* overlong '/' */
		"\xc1\xbf",
		"\xe0\x80\xaf",     /* overlong, three bytes */
		"\xf0\x80\x80\xaf", /* overlong, four bytes */
		"\xed\xa0\x80",     /* U+D800, a surrogate */
		"\xed\xbf\xbf",
		"\xf4\x90\x80\x80", /* past U+10FFFF */
		"\xf5\x80\x80\x80",
		"\xff\xfe",
		"cut \xe2\x82",  /* sequence cut by the end */
		"cut \xe2\x82z", /* ... by an ASCII byte */
		"\xf0\x9f\x98",
		"caf\xc3\xa9 \xff",     /* valid before the invalid byte */
		"\xe2\x80\xa8\x01\xc3", /* U+2028, a control, a cut sequence */
		"\"\\\x80\n",
	};

	(void)state;
	/* ASCII bytes kept, every other byte '?', as json_text() does */
	check_string("caf\xc3\xa9 \xff", 0, "\"caf?? ?\"");
	check_string("caf\xc3\xa9 \xff", JSON_WRITER_ASCII, "\"caf?? ?\"");
	check_string("\"\\\x80\n", 0, "\"\\\"\\\\?\\n\"");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		check_string(bad[i], 0, NULL);
		check_string(bad[i], JSON_WRITER_ASCII, NULL);
	}
}

/* Deterministic pseudo-random numbers (xorshift64). */
static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void test_long_strings(void **state)
{
	static const char *const pieces[] = {
		"a",
		"\"",
		"\\",
		"\n",
		"\x01",
		"/",
		"\xc3\xa9",
		"\xe2\x80\xa8",
		"\xf0\x9f\x98\x80",
		"\x7f",
		"z",
	};
	size_t n = 1 << 20;
	char *s = malloc(n + 1);
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	size_t len = 0;

	(void)state;
	assert_non_null(s);
	/* a megabyte of valid UTF-8 with everything that needs escaping */
	while (len + 4 < n) {
		const char *p = pieces[rng_next(&seed) %
				       (sizeof(pieces) / sizeof(pieces[0]))];

		memcpy(s + len, p, strlen(p));
		len += strlen(p);
	}
	s[len] = '\0';
	check_string(s, 0, NULL);
	check_string(s, JSON_WRITER_ASCII, NULL);
	/* ... made invalid by one byte near its end */
	s[len - 2] = (char)0xff;
	check_string(s, 0, NULL);
	check_string(s, JSON_WRITER_ASCII, NULL);
	/* random bytes */
	for (size_t i = 0; i < n; i++)
		s[i] = (char)(1 + rng_next(&seed) % 255);
	s[n] = '\0';
	check_string(s, 0, NULL);
	check_string(s, JSON_WRITER_ASCII, NULL);
	free(s);
}

/* ---- numbers ---- */

static void check_int(int64_t v)
{
	char text[JSON_WRITER_NUMBER_MAX], *want;
	size_t n = json_writer_format_int(text, v);

	want = dump_tree(json_integer(v), FLAGS_COMPACT);
	assert_same_text("integer", text, n, want);
	free(want);
}

static void check_uint(uint64_t v)
{
	char text[JSON_WRITER_NUMBER_MAX], want[32];
	size_t n = json_writer_format_uint(text, v);

	snprintf(want, sizeof(want), "%" PRIu64, v);
	assert_same_text("unsigned integer", text, n, want);
}

static void test_integers(void **state)
{
	char text[JSON_WRITER_NUMBER_MAX];
	uint64_t p = 1, seed = 12345;

	(void)state;
	assert_int_equal(json_writer_format_int(text, INT64_MIN), 20);
	assert_string_equal(text, "-9223372036854775808");
	assert_int_equal(json_writer_format_int(text, INT64_MAX), 19);
	assert_string_equal(text, "9223372036854775807");
	assert_int_equal(json_writer_format_uint(text, UINT64_MAX), 20);
	assert_string_equal(text, "18446744073709551615");
	json_writer_format_int(text, 0);
	assert_string_equal(text, "0");
	json_writer_format_int(text, -7);
	assert_string_equal(text, "-7");
	check_int(INT64_MIN);
	check_int(INT64_MIN + 1);
	check_int(INT64_MAX);
	check_uint(UINT64_MAX);
	check_uint((uint64_t)INT64_MAX + 1);
	for (int i = 0; i < 20; i++, p *= 10) {
		for (int d = -1; d <= 1; d++) {
			check_uint(p + (uint64_t)d);
			if (p + (uint64_t)d <= (uint64_t)INT64_MAX) {
				check_int((int64_t)(p + (uint64_t)d));
				check_int(-(int64_t)(p + (uint64_t)d));
			}
		}
	}
	for (int i = 0; i < 100000; i++) {
		uint64_t v = rng_next(&seed) >> (rng_next(&seed) % 64);

		check_uint(v);
		check_int((int64_t)v);
	}
}

/* One value of microseconds: the writer's text, jansson's, and by hand. */
static void check_usecs(int64_t us, const char *expect)
{
	char text[JSON_WRITER_NUMBER_MAX], *want;
	size_t n = json_writer_format_usecs(text, us);

	if (expect)
		assert_same_text("seconds (by hand)", text, n, expect);
	want = dump_tree(json_real((double)us / 1e6), FLAGS_COMPACT);
	if (strcmp(text, want) != 0)
		fail_msg("%" PRId64 " us: writer %s, jansson %s", us, text,
			 want);
	free(want);
}

static void test_usecs(void **state)
{
	static const int64_t edges[] = {
		INT64_MIN,           INT64_MIN + 1,       INT64_MAX,
		INT64_MAX - 1,       (1ll << 53) - 1,     1ll << 53,
		(1ll << 53) + 1,     (1ll << 53) + 3,     9999999999999999ll,
		10000000000000000ll, 10000000000000001ll, 1700000000000000ll,
		1700000000999999ll,  4102444800000000ll,
	};
	uint64_t seed = 0xdeadbeefcafef00dull;

	(void)state;
	check_usecs(0, "0.0");
	check_usecs(1, "1e-6");
	check_usecs(-1, "-1e-6");
	check_usecs(12, "1.2e-5");
	check_usecs(30, "3e-5");
	check_usecs(99, "9.899999999999999e-5"); /* as jansson rounds it */
	check_usecs(100, "0.0001");
	check_usecs(4050, "0.00405");
	check_usecs(493, "0.0004929999999999999");
	check_usecs(1000000, "1.0");
	check_usecs(-1500000, "-1.5");
	check_usecs(208000, "0.208");
	check_usecs(1700000000000000ll, "1700000000.0");
	check_usecs(1700000000123457ll, "1700000000.123457");
	check_usecs(-1700000000123457ll, "-1700000000.123457");
	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
		check_usecs(edges[i], NULL);
		if (edges[i] != INT64_MIN)
			check_usecs(-edges[i], NULL);
	}
	/* every value around zero, then every power of ten's neighbours */
	for (int64_t us = -200000; us <= 200000; us++)
		check_usecs(us, NULL);
	for (int i = 0; i <= 18; i++) {
		int64_t p = 1;

		for (int k = 0; k < i; k++)
			p *= 10;
		for (int64_t d = -100; d <= 100; d++) {
			check_usecs(p + d, NULL);
			check_usecs(-(p + d), NULL);
		}
	}
	/* and values of every magnitude */
	for (int i = 0; i < 300000; i++) {
		uint64_t r = rng_next(&seed);
		int64_t v = (int64_t)(rng_next(&seed) >> (1 + r % 63));

		check_usecs(r & 64 ? -v : v, NULL);
	}
}

/* ---- structure ---- */

/* The same value with the writer and as a jansson tree:
 * {"a":[],"b":{},"c":[1,{"d":null,"e":[true,false,"x"]}],"f":-2,"g":0.5} */
static void write_sample(struct json_writer *w)
{
	json_writer_object(w, NULL);
	json_writer_array(w, "a");
	json_writer_end(w);
	json_writer_object(w, "b");
	json_writer_end(w);
	json_writer_array(w, "c");
	json_writer_uint(w, NULL, 1);
	json_writer_object(w, NULL);
	json_writer_null(w, "d");
	json_writer_array(w, "e");
	json_writer_bool(w, NULL, true);
	json_writer_bool(w, NULL, false);
	json_writer_str(w, NULL, "x");
	json_writer_end(w);
	json_writer_end(w);
	json_writer_end(w);
	json_writer_int(w, "f", -2);
	json_writer_usecs(w, "g", 500000);
	json_writer_end(w);
}

static json_t *sample_tree(void)
{
	return json_pack("{s:[],s:{},s:[i,{s:n,s:[b,b,s]}],s:i,s:f}", "a", "b",
			 "c", 1, "d", "e", 1, 0, "x", "f", -2, "g", 0.5);
}

static void test_structure(void **state)
{
	struct json_writer w;
	char *pretty, *want;
	size_t n = 0;

	(void)state;
	json_writer_init(&w);
	json_writer_reset(&w, 0, 0);
	write_sample(&w);
	assert_matches("compact", &w, dump_tree(sample_tree(), FLAGS_COMPACT));
	json_writer_reset(&w, JSON_WRITER_PRETTY, 0);
	write_sample(&w);
	assert_matches("pretty", &w, dump_tree(sample_tree(), FLAGS_PRETTY));
	/* two levels deeper: every newline followed by four more spaces */
	pretty = dump_tree(sample_tree(), FLAGS_PRETTY);
	want = malloc(3 * strlen(pretty) + 1);
	assert_non_null(want);
	for (const char *p = pretty; *p; p++) {
		want[n++] = *p;
		if (*p == '\n') {
			memcpy(want + n, "    ", 4);
			n += 4;
		}
	}
	want[n] = '\0';
	free(pretty);
	json_writer_reset(&w, JSON_WRITER_PRETTY, 2);
	write_sample(&w);
	assert_int_equal(json_writer_finish(&w), 0);
	assert_same_text("pretty, base 2", w.buf, w.len, want);
	free(want);
	/* empty containers and scalars at the top */
	json_writer_reset(&w, JSON_WRITER_PRETTY, 0);
	json_writer_array(&w, NULL);
	json_writer_end(&w);
	assert_matches("[]", &w, dump_tree(json_array(), FLAGS_PRETTY));
	json_writer_reset(&w, 0, 0);
	json_writer_int(&w, NULL, 5);
	assert_matches("5", &w, dump_tree(json_integer(5), FLAGS_COMPACT));
	json_writer_free(&w);
	json_writer_free(NULL);
}

static void test_misuse(void **state)
{
	struct json_writer w;

	(void)state;
	json_writer_init(&w);
	/* nothing written */
	json_writer_reset(&w, 0, 0);
	assert_int_equal(json_writer_finish(&w), -1);
	/* a key inside an array */
	json_writer_reset(&w, 0, 0);
	json_writer_array(&w, NULL);
	json_writer_int(&w, "k", 1);
	json_writer_end(&w);
	assert_int_equal(json_writer_finish(&w), -1);
	/* no key inside an object */
	json_writer_reset(&w, 0, 0);
	json_writer_object(&w, NULL);
	json_writer_int(&w, NULL, 1);
	json_writer_end(&w);
	assert_int_equal(json_writer_finish(&w), -1);
	/* a key at the top */
	json_writer_reset(&w, 0, 0);
	json_writer_int(&w, "k", 1);
	assert_int_equal(json_writer_finish(&w), -1);
	/* still open, then one end too many */
	json_writer_reset(&w, 0, 0);
	json_writer_object(&w, NULL);
	assert_int_equal(json_writer_finish(&w), -1);
	json_writer_end(&w);
	assert_int_equal(json_writer_finish(&w), 0);
	json_writer_end(&w);
	assert_int_equal(json_writer_finish(&w), -1);
	/* two values at the top */
	json_writer_reset(&w, 0, 0);
	json_writer_int(&w, NULL, 1);
	json_writer_int(&w, NULL, 2);
	assert_int_equal(json_writer_finish(&w), -1);
	/* no string */
	json_writer_reset(&w, 0, 0);
	json_writer_str(&w, NULL, NULL);
	assert_int_equal(json_writer_finish(&w), -1);
	/* deeper than the stack */
	json_writer_reset(&w, 0, 0);
	for (int i = 0; i <= JSON_WRITER_MAX_DEPTH; i++)
		json_writer_array(&w, NULL);
	assert_true(w.failed);
	/* and a reset makes it usable again */
	json_writer_reset(&w, 0, 0);
	for (int i = 0; i < JSON_WRITER_MAX_DEPTH; i++)
		json_writer_array(&w, NULL);
	for (int i = 0; i < JSON_WRITER_MAX_DEPTH; i++)
		json_writer_end(&w);
	assert_int_equal(json_writer_finish(&w), 0);
	json_writer_free(&w);
}

/* Once grown to the largest record, the buffer is never reallocated. */
static void test_reuse(void **state)
{
	struct json_writer w;
	char *big = malloc(100001);
	char *buf;
	size_t cap;

	(void)state;
	assert_non_null(big);
	memset(big, 'x', 100000);
	big[100000] = '\0';
	json_writer_init(&w);
	json_writer_reset(&w, 0, 0);
	json_writer_str(&w, NULL, big);
	assert_int_equal(json_writer_finish(&w), 0);
	buf = w.buf;
	cap = w.cap;
	for (int i = 0; i < 1000; i++) {
		json_writer_reset(&w, i & 1 ? JSON_WRITER_PRETTY : 0, 0);
		write_sample(&w);
		assert_int_equal(json_writer_finish(&w), 0);
		assert_ptr_equal(w.buf, buf);
		assert_int_equal(w.cap, cap);
	}
	json_writer_free(&w);
	free(big);
}

/* ---- records ---- */

/* File names and expectation texts the records are given. */
static const char *const hostile[] = {
	NULL, /* the capture's own path */
	"caf\xc3\xa9 \xe2\x80\xa8 \xf0\x9f\x98\x80.pcap",
	"bad\xff\xfe name.pcap",
	"ctl\x01\x1f\t\n\"\\/.pcap",
	"cut\xe2\x82",
	"\xc0\xaf \xed\xa0\x80 \xf4\x90\x80\x80",
	"-",
};
#define NHOSTILE (sizeof(hostile) / sizeof(hostile[0]))

struct diff_ctx {
	const char *path;
	const char *names[1];
	struct report_ctx *rc;    /* json: for the file name */
	struct report_ctx *sarif; /* writes into sarif_buf */
	FILE *sarif_fp;
	char *sarif_buf;
	size_t sarif_len, sarif_seen;
	struct json_writer w;
	unsigned variant;
	long flows, anomalies, results;
};

/* What the command line would know about the flow: broken expectations
 * with hostile text on some flows, --fail-on and --baseline on others. */
static void make_info(const struct diff_ctx *d, const struct flow_record *f,
		      struct report_flow_info *info, struct expect_failure *fl)
{
	memset(info, 0, sizeof(*info));
	info->failed = f->id % 2;
	info->suppressed = (uint32_t)(f->id % 5);
	if (f->id % 3 == 0) {
		const char *h = hostile[(d->variant + f->id) % NHOSTILE];

		for (uint32_t i = 0; i < 2; i++) {
			fl[i].line = 10 + i;
			snprintf(fl[i].rule, sizeof(fl[i].rule),
				 "flow * rule %s", h ? h : "\"q\"");
			snprintf(fl[i].message, sizeof(fl[i].message),
				 "saw \\%s\x7f", h ? h : "x");
		}
		info->failures = fl;
		info->nfailures = 2;
	}
}

/* One flow object as the writer and the oracle write it, all layouts. */
static void check_flow(struct diff_ctx *d, const struct flow_record *f,
		       const struct report_flow_info *info)
{
	json_writer_reset(&d->w, 0, 0);
	assert_int_equal(json_records_flow(&d->w, d->rc, f, info, "flow"), 0);
	assert_matches(d->path, &d->w,
		       dump_tree(report_json_flow_tree(d->rc, f, info, "flow"),
				 FLAGS_COMPACT));
	json_writer_reset(&d->w, 0, 0);
	assert_int_equal(json_records_flow(&d->w, d->rc, f, info, NULL), 0);
	assert_matches(d->path, &d->w,
		       dump_tree(report_json_flow_tree(d->rc, f, info, NULL),
				 FLAGS_COMPACT));
	json_writer_reset(&d->w, JSON_WRITER_PRETTY, 0);
	assert_int_equal(json_records_flow(&d->w, d->rc, f, info, NULL), 0);
	assert_matches(d->path, &d->w,
		       dump_tree(report_json_flow_tree(d->rc, f, info, NULL),
				 FLAGS_PRETTY));
}

static void check_anomaly_line(struct diff_ctx *d, const struct flow_record *f,
			       const struct anomaly *a)
{
	json_writer_reset(&d->w, 0, 0);
	assert_int_equal(json_records_anomaly_line(&d->w, f, a), 0);
	assert_matches(d->path, &d->w,
		       dump_tree(report_json_anomaly_line_tree(f, a),
				 FLAGS_COMPACT));
	d->anomalies++;
}

/* SARIF's results as jansson built them before the streaming writer. */
static json_t *sarif_uri_tree(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	char buf[3 * 1024 + 1], real[PATH_MAX];
	size_t n = 0;

	if (strcmp(path, "-") == 0)
		path = "stdin";
	if (path[0] == '/' || strstr(path, "..") != NULL) {
		if (realpath(path, real) != NULL)
			path = real;
		if (path[0] == '/') {
			memcpy(buf, "file://", 7);
			n = 7;
		}
	}
	for (const unsigned char *p = (const unsigned char *)path;
	     *p && n + 3 < sizeof(buf); p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p)) {
			buf[n++] = (char)*p;
		} else {
			buf[n++] = '%';
			buf[n++] = hex[*p >> 4];
			buf[n++] = hex[*p & 15];
		}
	}
	buf[n] = '\0';
	return json_string(buf);
}

static const char *sarif_level(int sev)
{
	return sev == SEV_ERROR     ? "error"
	       : sev == SEV_WARNING ? "warning"
				    : "note";
}

static json_t *sarif_location_tree(const struct diff_ctx *d,
				   const struct flow_record *f, uint64_t frame)
{
	json_t *art = json_object(), *phys = json_object();
	char name[64];

	json_object_set_new(
		art, "uri",
		sarif_uri_tree(report_input_name(d->sarif, f->input)));
	json_object_set_new(phys, "artifactLocation", art);
	if (frame)
		json_object_set_new(phys, "region",
				    json_pack("{s:I}", "startLine",
					      (json_int_t)frame));
	snprintf(name, sizeof(name), "flow %llu", (unsigned long long)f->id);
	return json_pack("[{s:o,s:[{s:s,s:s}]}]", "physicalLocation", phys,
			 "logicalLocations", "name", name, "kind", "object");
}

static json_t *sarif_result_tree(const char *rule, int rule_index,
				 const char *level, const char *msg)
{
	return json_pack("{s:s,s:i,s:s,s:{s:o}}", "ruleId", rule, "ruleIndex",
			 rule_index, "level", level, "message", "text",
			 json_text(msg));
}

static json_t *sarif_props_tree(const struct flow_record *f, uint64_t frame)
{
	char cli[64], srv[64];

	report_format_endpoint(&f->tuple, TUPLE_SRC, cli, sizeof(cli));
	report_format_endpoint(&f->tuple, TUPLE_DST, srv, sizeof(srv));
	return json_pack("{s:I,s:I,s:s,s:s}", "flow", (json_int_t)f->id,
			 "frame", (json_int_t)frame, "client", cli, "server",
			 srv);
}

/* Append result r's text to want, after the separator SARIF puts first. */
static void sarif_expect(struct diff_ctx *d, char **want, size_t *len,
			 json_t *r)
{
	char *text = dump_tree(r, FLAGS_SARIF);
	const char *sep = d->results++ ? ",\n" : "\n";
	size_t n;

	assert_non_null(text);
	n = strlen(sep) + strlen(text);
	*want = realloc(*want, *len + n + 1);
	assert_non_null(*want);
	snprintf(*want + *len, n + 1, "%s%s", sep, text);
	*len += n;
	free(text);
}

/* What SARIF writes for flow f: one result per anomaly, then one per
 * broken expectation. */
static char *sarif_flow_text(struct diff_ctx *d, const struct flow_record *f,
			     const struct report_flow_info *info)
{
	char *want = calloc(1, 1), msg[512], key[160];
	size_t len = 0;

	for (uint16_t i = 0; i < f->nanomalies && i < FLOW_MAX_ANOMALIES; i++) {
		const struct anomaly *a = &f->anomalies[i];
		json_t *r, *props;

		anomaly_describe(f, a, msg, sizeof(msg));
		r = sarif_result_tree(anomaly_type_name(a->type), a->type,
				      sarif_level(a->severity), msg);
		json_object_set_new(r, "locations",
				    sarif_location_tree(d, f, a->frame));
		report_finding_key(f, a, key, sizeof(key));
		json_object_set_new(r, "partialFingerprints",
				    json_pack("{s:s}", "tcplintFinding/v1",
					      key));
		props = sarif_props_tree(f, a->frame);
		json_object_set_new(
			props, "confidence",
			json_string(confidence_name(a->confidence)));
		json_object_set_new(
			props, "cause",
			json_string(anomaly_cause_name(a->type, a->cause)));
		json_object_set_new(r, "properties", props);
		sarif_expect(d, &want, &len, r);
	}
	for (uint32_t i = 0; i < info->nfailures; i++) {
		const struct expect_failure *e = &info->failures[i];
		json_t *r, *props;

		snprintf(msg, sizeof(msg),
			 "flow %llu broke expectation line %u (%s): %s",
			 (unsigned long long)f->id, e->line, e->rule,
			 e->message);
		r = sarif_result_tree("expectation", ANOMALY_TYPE_COUNT,
				      "error", msg);
		json_object_set_new(r, "locations",
				    sarif_location_tree(d, f, f->first_frame));
		props = sarif_props_tree(f, f->first_frame);
		json_object_set_new(props, "rule", json_text(e->rule));
		json_object_set_new(r, "properties", props);
		sarif_expect(d, &want, &len, r);
	}
	return want;
}

static void check_sarif(struct diff_ctx *d, const struct flow_record *f,
			const struct report_flow_info *info)
{
	char *want = sarif_flow_text(d, f, info);

	assert_int_equal(report_flow(d->sarif, f, info), 0);
	assert_int_equal(fflush(d->sarif_fp), 0);
	assert_same_text("SARIF results", d->sarif_buf + d->sarif_seen,
			 d->sarif_len - d->sarif_seen, want);
	for (size_t i = d->sarif_seen; i < d->sarif_len; i++)
		assert_true((unsigned char)d->sarif_buf[i] < 0x80);
	d->sarif_seen = d->sarif_len;
	free(want);
}

static void on_flow(void *ctx, const struct flow_record *f)
{
	struct diff_ctx *d = ctx;
	struct report_flow_info info;
	struct expect_failure fl[2];

	make_info(d, f, &info, fl);
	check_flow(d, f, &info);
	for (uint16_t i = 0; i < f->nanomalies && i < FLOW_MAX_ANOMALIES; i++)
		check_anomaly_line(d, f, &f->anomalies[i]);
	check_sarif(d, f, &info);
	d->flows++;
}

/* As live capture streams them: the flow not finished yet. */
static void on_anomaly(void *ctx, const struct flow_record *f,
		       const struct anomaly *a)
{
	check_anomaly_line(ctx, f, a);
}

static void open_reports(struct diff_ctx *d, unsigned variant)
{
	struct report_settings set = {.command = "analyze", .version = "9.9.9"};

	d->variant = variant;
	d->names[0] = hostile[variant % NHOSTILE] ? hostile[variant % NHOSTILE]
						  : d->path;
	set.input_names = d->names;
	set.ninput_names = 1;
	d->rc = report_open(&report_json_ops, stdout, &set);
	assert_non_null(d->rc);
	d->sarif_buf = NULL;
	d->sarif_fp = open_memstream(&d->sarif_buf, &d->sarif_len);
	assert_non_null(d->sarif_fp);
	d->sarif = report_open(&report_sarif_ops, d->sarif_fp, &set);
	assert_non_null(d->sarif);
	assert_int_equal(report_begin(d->sarif), 0);
	assert_int_equal(fflush(d->sarif_fp), 0);
	d->sarif_seen = d->sarif_len;
	d->results = 0;
}

static void close_reports(struct diff_ctx *d)
{
	report_close(d->rc); /* never begun: nothing to write */
	report_close(d->sarif);
	fclose(d->sarif_fp);
	free(d->sarif_buf);
}

/* Analyze one capture and check every record; false if it did not open. */
static bool diff_capture(const char *path, unsigned variant, long *flows)
{
	char err[512];
	struct capture *c = capture_open_file(path, err, sizeof(err));
	struct diff_ctx d = {.path = path};
	struct analyzer_sink sink = {on_flow, on_anomaly, NULL, &d};
	struct analyzer_config cfg;
	struct analyzer *az;
	struct capture_packet p;
	int dlt;

	if (!c)
		return false;
	json_writer_init(&d.w);
	open_reports(&d, variant);
	dlt = capture_dlt(c);
	analyzer_config_defaults(&cfg);
	cfg.max_flows = 65536;
	az = analyzer_new(&cfg, &sink, err, sizeof(err));
	assert_non_null(az);
	analyzer_begin_input(az, 0);
	while (capture_next(c, &p, err, sizeof(err)) == CAPTURE_PACKET) {
		struct pkt_view v;
		enum decode_kind k;

		if (decode_packet(dlt, p.data, p.caplen, p.wirelen, &v, &k) ==
		    DECODE_TCP)
			analyzer_packet(az, &v, p.frame, p.ts_ns);
	}
	analyzer_finish(az);
	analyzer_free(az);
	capture_close(c);
	close_reports(&d);
	json_writer_free(&d.w);
	*flows += d.flows;
	return true;
}

static unsigned walk_files, walk_variant;
static long walk_flows;

static int walk_one(const char *path, const struct stat *st, int type,
		    struct FTW *ftw)
{
	(void)ftw;
	if (type != FTW_F || !S_ISREG(st->st_mode))
		return 0;
	if (diff_capture(path, walk_variant++, &walk_flows))
		walk_files++;
	return 0;
}

static void test_testdata_records(void **state)
{
	(void)state;
	walk_files = 0;
	walk_flows = 0;
	assert_int_equal(nftw(TCPLINT_TESTDATA_DIR, walk_one, 16, FTW_PHYS), 0);
	print_message("testdata: %u captures, %ld flows\n", walk_files,
		      walk_flows);
	assert_true(walk_files >= 30);
	assert_true(walk_flows >= 30);
}

static void test_corpus_records(void **state)
{
	struct stat st;

	(void)state;
	if (stat(TCPLINT_CORPUS_DIR, &st) != 0) {
		print_message("corpus not found at %s: skipping\n",
			      TCPLINT_CORPUS_DIR);
		skip();
	}
	walk_files = 0;
	walk_flows = 0;
	assert_int_equal(nftw(TCPLINT_CORPUS_DIR, walk_one, 16, FTW_PHYS), 0);
	print_message("corpus: %u captures, %ld flows\n", walk_files,
		      walk_flows);
	assert_true(walk_files > 0);
}

/* A record with the values of the edges: times before the epoch, of
 * nanoseconds that round either way, saturated; counters past INT64_MAX. */
static void test_record_edges(void **state)
{
	static const int64_t ns[] = {
		0,
		1,
		499,
		500,
		501,
		1499,
		1500,
		-1,
		-499,
		-500,
		-501,
		-1500,
		1700000000123456789ll,
		-1700000000123456789ll,
		INT64_MAX,
		INT64_MIN,
		INT64_MAX - 499,
		INT64_MIN + 500,
		493000,
		999999500,
	};
	const size_t nn = sizeof(ns) / sizeof(ns[0]);
	struct diff_ctx d = {.path = "edges"};
	struct flow_record f;
	struct report_flow_info info;
	struct expect_failure fl[2];

	(void)state;
	json_writer_init(&d.w);
	for (unsigned v = 0; v < NHOSTILE; v++) {
		open_reports(&d, v);
		for (size_t i = 0; i < nn; i++) {
			memset(&f, 0, sizeof(f));
			f.id = i % 2 ? UINT64_MAX - i : i;
			f.first_frame = UINT64_MAX;
			f.last_frame = (uint64_t)INT64_MAX + 1;
			f.packets = UINT64_MAX;
			f.start_ns = ns[i];
			f.end_ns = ns[(i + 1) % nn];
			f.artefacts = 0xff;
			f.capture_point = (uint8_t)(i % CAPTURE_POINT_COUNT);
			f.tuple.ip_version = i % 2 ? 6 : 4;
			for (int e = 0; e < 2; e++) {
				struct endpoint_record *ep = &f.ep[e];
				uint8_t *ip = e ? f.tuple.dst : f.tuple.src;
				static const uint8_t net[16] = {0x20, 1, 0xd,
								0xb8};

				memcpy(ip, net, sizeof(net));
				ip[15] = (uint8_t)i;
				if (e)
					f.tuple.dport = 65535;
				else
					f.tuple.sport = 65535;
				ep->bytes = UINT64_MAX;
				ep->packets = (uint64_t)INT64_MAX;
				ep->has_isn = e;
				ep->isn = UINT32_MAX;
				ep->wscale_ok = !e;
				ep->wscale = 14;
				ep->mss = 65535;
				ep->nstates = FLOW_MAX_STATES;
				for (int s = 0; s < FLOW_MAX_STATES; s++)
					ep->states[s] = (struct state_change){
						UINT64_MAX - (uint64_t)s,
						ns[(i + (size_t)s) % nn],
						(uint8_t)(s % TCP_STATE_COUNT)};
				ep->fin_wait_2_ns = ns[(i + 2) % nn];
				ep->close_wait_ns = ns[(i + 3) % nn];
				ep->last_ack_ns = ns[(i + 4) % nn];
				ep->keepalive_probes = UINT32_MAX;
				ep->keepalive_answered = UINT32_MAX;
				ep->timers.keepalive_idle_ns = ns[(i + 5) % nn];
				ep->timers.keepalive_interval_ns =
					ns[(i + 6) % nn];
				ep->timers.syn_rto_first_ns = ns[(i + 7) % nn];
				ep->timers.fin_rto_first_ns = ns[(i + 8) % nn];
				ep->timers.data_rto_first_ns = ns[(i + 9) % nn];
				ep->timers.data_retries_max = UINT32_MAX;
				ep->timers.rto_doubles = e;
			}
			f.nanomalies = FLOW_MAX_ANOMALIES;
			for (int a = 0; a < FLOW_MAX_ANOMALIES; a++) {
				f.anomalies[a] = (struct anomaly){
					.frame = UINT64_MAX - (uint64_t)a,
					.ts_ns = ns[(i + (size_t)a) % nn],
					.ref_frame = (uint64_t)a,
					.duration_ns =
						ns[(i + 3 * (size_t)a) % nn],
					.count = a % 2 ? UINT32_MAX : 0,
					.value = UINT32_MAX,
					.type = (uint8_t)(a %
							  ANOMALY_TYPE_COUNT),
					.severity =
						(uint8_t)(a % SEVERITY_COUNT),
					.endpoint = (uint8_t)(a % 2),
					.confidence =
						(uint8_t)(a % CONFIDENCE_COUNT),
					.state = {(uint8_t)(a % TCP_STATE_COUNT),
						  (uint8_t)((a + 5) %
							    TCP_STATE_COUNT)},
					.drops_during = a % 2};
				f.anomalies[a].cause =
					(uint8_t)((unsigned)a %
						  anomaly_cause_count(
							  a %
							  ANOMALY_TYPE_COUNT));
				f.anomaly_counts[a % ANOMALY_TYPE_COUNT] =
					UINT32_MAX - (uint32_t)a;
			}
			f.anomalies_dropped = UINT32_MAX;
			make_info(&d, &f, &info, fl);
			check_flow(&d, &f, &info);
			for (int a = 0; a < FLOW_MAX_ANOMALIES; a++)
				check_anomaly_line(&d, &f, &f.anomalies[a]);
			check_sarif(&d, &f, &info);
		}
		close_reports(&d);
	}
	json_writer_free(&d.w);
}

static void document_flow(void *ctx, const struct flow_record *f)
{
	assert_int_equal(report_flow(ctx, f, NULL), 0);
}

/* The json document, pretty and compact, is laid out exactly as jansson
 * lays out the whole document; with flows and without. */
static void check_document(const char *capture, bool pretty)
{
	struct report_settings set = {
		.command = "analyze", .version = "9.9.9", .pretty = pretty};
	const char *names[1] = {capture};
	struct report_end_info end = {.fail_on = "none"};
	struct input_record in = {.file = capture, .dlt = 1};
	char *buf = NULL, *want, err[512];
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	struct report_ctx *rc;
	json_error_t jerr;
	json_t *doc;

	set.input_names = names;
	set.ninput_names = 1;
	assert_non_null(fp);
	rc = report_open(&report_json_ops, fp, &set);
	assert_non_null(rc);
	assert_int_equal(report_begin(rc), 0);
	if (capture) {
		struct capture *c =
			capture_open_file(capture, err, sizeof(err));
		struct analyzer_sink sink = {0};
		struct analyzer_config cfg;
		struct analyzer *az;
		struct capture_packet p;
		int dlt;

		assert_non_null(c);
		dlt = capture_dlt(c);
		analyzer_config_defaults(&cfg);
		sink.ctx = rc;
		sink.flow_done = document_flow;
		az = analyzer_new(&cfg, &sink, err, sizeof(err));
		assert_non_null(az);
		analyzer_begin_input(az, 0);
		while (capture_next(c, &p, err, sizeof(err)) ==
		       CAPTURE_PACKET) {
			struct pkt_view v;
			enum decode_kind k;

			if (decode_packet(dlt, p.data, p.caplen, p.wirelen, &v,
					  &k) == DECODE_TCP)
				analyzer_packet(az, &v, p.frame, p.ts_ns);
		}
		analyzer_finish(az);
		analyzer_free(az);
		capture_close(c);
	}
	assert_int_equal(report_input(rc, &in), 0);
	assert_int_equal(report_end(rc, &end), 0);
	report_close(rc);
	fclose(fp);
	doc = json_loads(buf, 0, &jerr);
	if (!doc)
		fail_msg("document does not parse: %s", jerr.text);
	if (capture)
		assert_true(json_array_size(json_object_get(doc, "flows")) >=
			    8);
	want = json_dumps(doc, (pretty ? JSON_INDENT(2) : JSON_COMPACT) |
				       JSON_REAL_PRECISION(16));
	json_decref(doc);
	assert_non_null(want);
	want = realloc(want, strlen(want) + 2);
	strcat(want, "\n");
	assert_same_text(pretty ? "pretty document" : "compact document", buf,
			 len, want);
	free(want);
	free(buf);
}

static void test_document_layout(void **state)
{
	(void)state;
	check_document(TCPLINT_TESTDATA_DIR "/demo.pcap", true);
	check_document(TCPLINT_TESTDATA_DIR "/demo.pcap", false);
	check_document(NULL, true);
	check_document(NULL, false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_control_characters),
		cmocka_unit_test(test_unicode),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_long_strings),
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_usecs),
		cmocka_unit_test(test_structure),
		cmocka_unit_test(test_misuse),
		cmocka_unit_test(test_reuse),
		cmocka_unit_test(test_record_edges),
		cmocka_unit_test(test_document_layout),
		cmocka_unit_test(test_testdata_records),
		cmocka_unit_test(test_corpus_records),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
