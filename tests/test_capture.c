/*
 * test_capture.c - formats/wire/capture.c: opening captures, the one-line
 * messages for bad input, frame numbering, timestamps, a capture cut off in
 * the middle of a record, BPF filters and the progress meter. Every input
 * file is written at test time into a fresh temporary directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "formats/wire/capture.h"

struct tmp {
	char dir[256];
	char path[320];
};

static int tmp_setup(void **state)
{
	static struct tmp t; /* one per test, set up and torn down */
	const char *base = getenv("TMPDIR");

	snprintf(t.dir, sizeof(t.dir), "%s/tcplint-capture-XXXXXX",
		 base && *base ? base : "/tmp");
	if (!mkdtemp(t.dir))
		return -1;
	*state = &t;
	return 0;
}

static int tmp_teardown(void **state)
{
	struct tmp *t = *state;
	static const char *const names[] = { "a.pcap", "cut.pcap", "empty.pcap",
					     "text.txt", "wifi.pcap",
					     "short.pcap", "usec.pcap", "sub" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(t->path, sizeof(t->path), "%s/%s", t->dir, names[i]);
		remove(t->path);
	}
	return rmdir(t->dir);
}

static const char *tpath(struct tmp *t, const char *name)
{
	snprintf(t->path, sizeof(t->path), "%s/%s", t->dir, name);
	return t->path;
}

/* 00:00:5e:00:53:02 > 00:00:5e:00:53:01, IP 192.0.2.1.40000 >
 * 198.51.100.2.<port>: Flags [S], seq 1000, win 65535, length 0 */
static void frame(uint8_t f[54], uint16_t dport)
{
	static const uint8_t syn[54] = {
		0, 0, 0x5e, 0, 0x53, 1, 0, 0, 0x5e, 0, 0x53, 2, 0x08, 0x00,
		0x45, 0, 0, 40, 0, 1, 0x40, 0, 64, 6, 0, 0, 192, 0, 2, 1, 198,
		51, 100, 2,
		0x9c, 0x40, 0, 80, 0, 0, 0x03, 0xe8, 0, 0, 0, 0, 0x50, 0x02,
		0xff, 0xff, 0, 0, 0, 0,
	};

	memcpy(f, syn, 54);
	f[36] = (uint8_t)(dport >> 8);
	f[37] = (uint8_t)dport;
}

/* Write `n` SYN frames to port 80, 81, ... with timestamps 1.000000001 s,
 * 2.000000002 s, ... on link type `dlt`, at the given precision. */
static void write_pcap(const char *path, int dlt, unsigned n, int precision)
{
	pcap_t *dead = pcap_open_dead_with_tstamp_precision(dlt, 65535,
							    precision);
	pcap_dumper_t *d;

	assert_non_null(dead);
	d = pcap_dump_open(dead, path);
	assert_non_null(d);
	for (unsigned i = 0; i < n; i++) {
		struct pcap_pkthdr h = { 0 };
		uint8_t f[54];

		frame(f, (uint16_t)(80 + i));
		h.ts.tv_sec = (time_t)(i + 1);
		h.ts.tv_usec = (suseconds_t)(i + 1);
		h.caplen = 54;
		h.len = 60;
		pcap_dump((u_char *)d, &h, f);
	}
	pcap_dump_close(d);
	pcap_close(dead);
}

static void write_bytes(const char *path, const void *p, size_t n)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(p, 1, n, fp), n);
	assert_int_equal(fclose(fp), 0);
}

static void expect_open_error(const char *path, const char *want)
{
	char err[512] = "";
	char line[512];

	assert_null(capture_open_file(path, err, sizeof(err)));
	snprintf(line, sizeof(line), "%s: %s", path, want);
	if (strncmp(err, line, strlen(line)) != 0)
		fail_msg("got \"%s\", want \"%s...\"", err, line);
	assert_null(strchr(err, '\n'));
}

static void test_missing(void **state)
{
	expect_open_error(tpath(*state, "nope.pcap"), "does not exist");
}

static void test_directory(void **state)
{
	const char *p = tpath(*state, "sub");

	assert_int_equal(mkdir(p, 0700), 0);
	expect_open_error(p, "is a directory");
}

static void test_empty(void **state)
{
	const char *p = tpath(*state, "empty.pcap");

	write_bytes(p, "", 0);
	expect_open_error(p, "is empty");
}

static void test_not_a_capture(void **state)
{
	static const char text[] = "GET / HTTP/1.1\r\nHost: example\r\n\r\n";
	const char *p = tpath(*state, "text.txt");
	char err[512];

	write_bytes(p, text, sizeof(text) - 1);
	expect_open_error(p, "is not a pcap or pcapng capture (");
	/* libpcap's reason is kept in the line */
	assert_null(capture_open_file(p, err, sizeof(err)));
	assert_non_null(strstr(err, "unknown file format"));
}

static void test_short_header(void **state)
{
	/* the first 10 bytes of a pcap file header */
	static const uint8_t hdr[10] = { 0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0 };
	const char *p = tpath(*state, "short.pcap");

	write_bytes(p, hdr, sizeof(hdr));
	expect_open_error(p, "is not a pcap or pcapng capture (");
}

static void test_unsupported_link(void **state)
{
	const char *p = tpath(*state, "wifi.pcap");

	write_pcap(p, DLT_IEEE802_11, 1, PCAP_TSTAMP_PRECISION_MICRO);
	expect_open_error(p, "unsupported link type IEEE802_11 (105)");
}

static void test_read_all(void **state)
{
	const char *p = tpath(*state, "a.pcap");
	char err[512] = "";
	struct capture *c;
	struct capture_packet pkt;
	uint64_t off = 0, size = 0;
	struct stat st;

	write_pcap(p, DLT_EN10MB, 3, PCAP_TSTAMP_PRECISION_NANO);
	c = capture_open_file(p, err, sizeof(err));
	assert_non_null(c);
	assert_string_equal(err, "");
	assert_int_equal(capture_dlt(c), DLT_EN10MB);
	assert_string_equal(capture_dlt_name(capture_dlt(c)), "EN10MB");
	assert_string_equal(capture_name(c), p);
	assert_true(capture_progress(c, &off, &size));
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(size, (uint64_t)st.st_size);
	assert_int_equal(off, 24); /* after the file header */
	for (unsigned i = 0; i < 3; i++) {
		assert_int_equal(capture_next(c, &pkt, err, sizeof(err)),
				 CAPTURE_PACKET);
		assert_int_equal(pkt.frame, i + 1);
		assert_int_equal(pkt.caplen, 54);
		assert_int_equal(pkt.wirelen, 60);
		assert_int_equal(pkt.ts_ns, (int64_t)(i + 1) * 1000000000 + i + 1);
		assert_int_equal(pkt.data[37], 80 + i);
	}
	assert_int_equal(capture_next(c, &pkt, err, sizeof(err)), CAPTURE_EOF);
	assert_int_equal(capture_frames(c), 3);
	assert_true(capture_progress(c, &off, &size));
	assert_int_equal(off, size);
	capture_close(c);
	capture_close(NULL);
}

static void test_usec_timestamps(void **state)
{
	const char *p = tpath(*state, "usec.pcap");
	char err[512];
	struct capture *c;
	struct capture_packet pkt;

	write_pcap(p, DLT_EN10MB, 2, PCAP_TSTAMP_PRECISION_MICRO);
	c = capture_open_file(p, err, sizeof(err));
	assert_non_null(c);
	assert_int_equal(capture_next(c, &pkt, err, sizeof(err)), 1);
	assert_int_equal(pkt.ts_ns, 1000001000); /* 1 s + 1 us */
	capture_close(c);
}

static void test_cut_mid_record(void **state)
{
	const char *p = tpath(*state, "cut.pcap");
	char err[512] = "";
	struct capture *c;
	struct capture_packet pkt;
	uint8_t buf[24 + 3 * (16 + 54)];
	FILE *fp;
	size_t n;

	write_pcap(p, DLT_EN10MB, 3, PCAP_TSTAMP_PRECISION_NANO);
	fp = fopen(p, "rb");
	assert_non_null(fp);
	n = fread(buf, 1, sizeof(buf), fp);
	fclose(fp);
	assert_int_equal(n, sizeof(buf));
	/* cut 10 bytes into the third record's data */
	write_bytes(p, buf, 24 + 2 * (16 + 54) + 16 + 10);

	c = capture_open_file(p, err, sizeof(err));
	assert_non_null(c);
	for (unsigned i = 0; i < 2; i++) {
		assert_int_equal(capture_next(c, &pkt, err, sizeof(err)),
				 CAPTURE_PACKET);
		assert_int_equal(pkt.frame, i + 1);
	}
	assert_int_equal(capture_next(c, &pkt, err, sizeof(err)),
			 CAPTURE_ERROR);
	if (strncmp(err, p, strlen(p)) != 0 ||
	    !strstr(err, ": truncated capture: "))
		fail_msg("got \"%s\"", err);
	assert_int_equal(capture_frames(c), 2);
	capture_close(c);

	/* cut inside the third record's header */
	write_bytes(p, buf, 24 + 2 * (16 + 54) + 7);
	c = capture_open_file(p, err, sizeof(err));
	assert_non_null(c);
	assert_int_equal(capture_next(c, &pkt, err, sizeof(err)), 1);
	assert_int_equal(capture_next(c, &pkt, err, sizeof(err)), 1);
	assert_int_equal(capture_next(c, &pkt, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "truncated capture"));
	capture_close(c);
}

static void test_filter(void **state)
{
	const char *p = tpath(*state, "a.pcap");
	char err[512] = "";
	struct capture *c;
	struct capture_packet pkt;

	write_pcap(p, DLT_EN10MB, 3, PCAP_TSTAMP_PRECISION_NANO);
	c = capture_open_file(p, err, sizeof(err));
	assert_non_null(c);
	assert_int_equal(capture_set_filter(c, "tcp dst port 81", err,
					    sizeof(err)),
			 0);
	assert_int_equal(capture_next(c, &pkt, err, sizeof(err)), 1);
	assert_int_equal(pkt.data[37], 81);
	/* numbering counts what libpcap returned, after the filter */
	assert_int_equal(pkt.frame, 1);
	assert_int_equal(capture_next(c, &pkt, err, sizeof(err)), 0);

	err[0] = '\0';
	assert_int_equal(capture_set_filter(c, "tcp port", err, sizeof(err)),
			 -1);
	if (strncmp(err, p, strlen(p)) != 0 || !strstr(err, "bad filter"))
		fail_msg("got \"%s\"", err);
	assert_int_equal(capture_set_filter(c, "port 99999", err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "99999"));
	capture_close(c);
}

static void test_wrap(void **state)
{
	const char *p = tpath(*state, "a.pcap");
	char perr[PCAP_ERRBUF_SIZE], err[512];
	struct capture *c;
	struct capture_packet pkt;
	pcap_t *h;

	write_pcap(p, DLT_EN10MB, 2, PCAP_TSTAMP_PRECISION_NANO);
	h = pcap_open_offline_with_tstamp_precision(
		p, PCAP_TSTAMP_PRECISION_NANO, perr);
	assert_non_null(h);
	c = capture_wrap(h, "eth0");
	assert_non_null(c);
	assert_ptr_equal(capture_pcap(c), h);
	assert_string_equal(capture_name(c), "eth0");
	assert_int_equal(capture_next(c, &pkt, err, sizeof(err)), 1);
	assert_int_equal(pkt.frame, 1);
	assert_int_equal(pkt.ts_ns, 1000000001);
	capture_close(c); /* closes h */
}

static void test_stdin(void **state)
{
	const char *p = tpath(*state, "a.pcap");
	char err[512];
	struct capture *c;
	struct capture_packet pkt;
	uint64_t off, size;

	write_pcap(p, DLT_EN10MB, 2, PCAP_TSTAMP_PRECISION_NANO);
	assert_non_null(freopen(p, "rb", stdin));
	c = capture_open_file("-", err, sizeof(err));
	assert_non_null(c);
	assert_int_equal(capture_next(c, &pkt, err, sizeof(err)), 1);
	assert_int_equal(capture_next(c, &pkt, err, sizeof(err)), 1);
	assert_int_equal(capture_next(c, &pkt, err, sizeof(err)), 0);
	(void)capture_progress(c, &off, &size);
	capture_close(c); /* libpcap leaves stdin open */

	/* an empty standard input (an empty file, not /dev/null, which is
	 * not always a character device in containers) */
	p = tpath(*state, "empty.pcap");
	write_bytes(p, "", 0);
	assert_non_null(freopen(p, "rb", stdin));
	expect_open_error("-", "is empty");
}

/* A pcapng record whose 64-bit timestamp (all ones, in microseconds) is far
 * past what int64 nanoseconds hold: found by fuzz_pcap as a signed overflow;
 * the time saturates. The same bytes are testdata/regress/
 * pcap-ts-overflow.pcapng. */
static void test_pcapng_ts_overflow(void **state)
{
	static const uint8_t shb_idb[48] = {
		/* SHB, 28 bytes, little-endian, version 1.0, length -1 */
		0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a,
		1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		28, 0, 0, 0,
		/* IDB, 20 bytes, EN10MB, snaplen 65535 */
		1, 0, 0, 0, 20, 0, 0, 0, 1, 0, 0, 0, 0xff, 0xff, 0, 0,
		20, 0, 0, 0,
	};
	/* EPB, 88 bytes, interface 0, timestamp 0xffffffffffffffff us,
	 * 54 bytes captured of 54 */
	static const uint8_t epb_head[28] = {
		6, 0, 0, 0, 88, 0, 0, 0, 0, 0, 0, 0,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		54, 0, 0, 0, 54, 0, 0, 0,
	};
	static const uint8_t epb_tail[6] = { 0, 0, 88, 0, 0, 0 };
	uint8_t file[48 + 28 + 54 + 6];
	const char *p = tpath(*state, "a.pcap");
	char err[512];
	struct capture *c;
	struct capture_packet pkt;

	memcpy(file, shb_idb, 48);
	memcpy(file + 48, epb_head, 28);
	frame(file + 76, 80);
	memcpy(file + 130, epb_tail, 6);
	write_bytes(p, file, sizeof(file));
	c = capture_open_file(p, err, sizeof(err));
	assert_non_null(c);
	assert_int_equal(capture_next(c, &pkt, err, sizeof(err)), 1);
	assert_int_equal(pkt.frame, 1);
	assert_int_equal(pkt.caplen, 54);
	assert_true(pkt.ts_ns == INT64_MAX);
	assert_int_equal(capture_next(c, &pkt, err, sizeof(err)), 0);
	capture_close(c);
}

static void test_dlt_names(void **state)
{
	(void)state;
	assert_string_equal(capture_dlt_name(DLT_EN10MB), "EN10MB");
	assert_string_equal(capture_dlt_name(DLT_LINUX_SLL), "LINUX_SLL");
	assert_string_equal(capture_dlt_name(276), "LINUX_SLL2");
	assert_string_equal(capture_dlt_name(DLT_NULL), "NULL");
	assert_string_equal(capture_dlt_name(123456), "unknown");
}

#define TT(f) cmocka_unit_test_setup_teardown(f, tmp_setup, tmp_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TT(test_missing),       TT(test_directory),
		TT(test_empty),         TT(test_not_a_capture),
		TT(test_short_header),  TT(test_unsupported_link),
		TT(test_read_all),      TT(test_usec_timestamps),
		TT(test_cut_mid_record), TT(test_filter),
		TT(test_wrap),          TT(test_dlt_names),
		TT(test_stdin),         TT(test_pcapng_ts_overflow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
