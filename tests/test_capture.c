/*
 * test_capture.c - formats/wire/capture.c: opening captures, the one-line
 * messages for bad input, frame numbering, timestamps, a capture cut off in
 * the middle of a record, BPF filters and the progress meter; captures
 * compressed with gzip and zstd (formats/wire/decompress.c), read as the
 * plain file, cut at every byte and damaged. Every input file is written
 * at test time into a fresh temporary directory (compressed here with zlib
 * and libzstd).
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

#include <zlib.h>
#include <zstd.h>

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
	static const char *const names[] = {
		"a.pcap",    "cut.pcap",   "empty.pcap", "text.txt",
		"wifi.pcap", "short.pcap", "usec.pcap",  "sub",
		"a.gz",      "a.zst",      "z.bin"};

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
		0,  0,    0x5e, 0,    0x53, 1,    0,  0,    0x5e, 0,    0x53,
		2,  0x08, 0x00, 0x45, 0,    0,    40, 0,    1,    0x40, 0,
		64, 6,    0,    0,    192,  0,    2,  1,    198,  51,   100,
		2,  0x9c, 0x40, 0,    80,   0,    0,  0x03, 0xe8, 0,    0,
		0,  0,    0x50, 0x02, 0xff, 0xff, 0,  0,    0,    0,
	};

	memcpy(f, syn, 54);
	f[36] = (uint8_t)(dport >> 8);
	f[37] = (uint8_t)dport;
}

/* Write `n` SYN frames to port 80, 81, ... with timestamps 1.000000001 s,
 * 2.000000002 s, ... on link type `dlt`, at the given precision. */
static void write_pcap(const char *path, int dlt, unsigned n, int precision)
{
	pcap_t *dead =
		pcap_open_dead_with_tstamp_precision(dlt, 65535, precision);
	pcap_dumper_t *d;

	assert_non_null(dead);
	d = pcap_dump_open(dead, path);
	assert_non_null(d);
	for (unsigned i = 0; i < n; i++) {
		struct pcap_pkthdr h = {0};
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
	static const uint8_t hdr[10] = {0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0};
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
		assert_int_equal(pkt.ts_ns,
				 (int64_t)(i + 1) * 1000000000 + i + 1);
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
	assert_int_equal(
		capture_set_filter(c, "tcp dst port 81", err, sizeof(err)), 0);
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
		0x0a,
		0x0d,
		0x0d,
		0x0a,
		28,
		0,
		0,
		0,
		0x4d,
		0x3c,
		0x2b,
		0x1a,
		1,
		0,
		0,
		0,
		0xff,
		0xff,
		0xff,
		0xff,
		0xff,
		0xff,
		0xff,
		0xff,
		28,
		0,
		0,
		0,
		/* IDB, 20 bytes, EN10MB, snaplen 65535 */
		1,
		0,
		0,
		0,
		20,
		0,
		0,
		0,
		1,
		0,
		0,
		0,
		0xff,
		0xff,
		0,
		0,
		20,
		0,
		0,
		0,
	};
	/* EPB, 88 bytes, interface 0, timestamp 0xffffffffffffffff us,
	 * 54 bytes captured of 54 */
	static const uint8_t epb_head[28] = {
		6,  0, 0,    0,    88,   0,    0,    0,    0,    0,
		0,  0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		54, 0, 0,    0,    54,   0,    0,    0,
	};
	static const uint8_t epb_tail[6] = {0, 0, 88, 0, 0, 0};
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

/* ---- compressed captures ------------------------------------------------ */

#define ZFRAMES 60 /* SYNs in the capture the compressed tests use */
#define ZCAP (24 + ZFRAMES * (16 + 54))

/* The plain capture (ZFRAMES SYNs) as bytes, into buf[ZCAP]. */
static void plain_bytes(struct tmp *t, uint8_t *buf)
{
	const char *p = tpath(t, "a.pcap");
	FILE *fp;

	write_pcap(p, DLT_EN10MB, ZFRAMES, PCAP_TSTAMP_PRECISION_NANO);
	fp = fopen(p, "rb");
	assert_non_null(fp);
	assert_int_equal(fread(buf, 1, ZCAP, fp), ZCAP);
	assert_int_equal(fgetc(fp), EOF);
	fclose(fp);
}

/* gzip (one member, RFC 1952) of n bytes at in; returns its length. */
static size_t gz(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
	z_stream zs;
	size_t len;

	memset(&zs, 0, sizeof(zs));
	assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8,
				      Z_DEFAULT_STRATEGY),
			 Z_OK);
	zs.next_in = (Bytef *)(uintptr_t)in;
	zs.avail_in = (uInt)n;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	len = zs.total_out;
	deflateEnd(&zs);
	return len;
}

/* zstd (one frame with a content checksum, RFC 8878) of n bytes at in. */
static size_t zst(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
	ZSTD_CCtx *cc = ZSTD_createCCtx();
	size_t len;

	assert_non_null(cc);
	assert_false(ZSTD_isError(
		ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, 1)));
	len = ZSTD_compress2(cc, out, cap, in, n);
	assert_false(ZSTD_isError(len));
	ZSTD_freeCCtx(cc);
	return len;
}

/* Read both captures to the end: the same records, and the compressed one
 * ends cleanly. */
static void expect_same_records(const char *plain, const char *packed)
{
	char err[512] = "", err2[512] = "";
	struct capture *a = capture_open_file(plain, err, sizeof(err));
	struct capture *b = capture_open_file(packed, err2, sizeof(err2));
	struct capture_packet pa, pb;
	int ra, rb;

	if (!a || !b)
		fail_msg("open: \"%s\" \"%s\"", err, err2);
	assert_int_equal(capture_dlt(b), capture_dlt(a));
	do {
		ra = capture_next(a, &pa, err, sizeof(err));
		rb = capture_next(b, &pb, err2, sizeof(err2));
		if (ra != rb)
			fail_msg("%d against %d: \"%s\"", ra, rb, err2);
		if (ra != CAPTURE_PACKET)
			break;
		assert_int_equal(pb.frame, pa.frame);
		assert_int_equal(pb.caplen, pa.caplen);
		assert_int_equal(pb.wirelen, pa.wirelen);
		assert_true(pb.ts_ns == pa.ts_ns);
		assert_memory_equal(pb.data, pa.data, pa.caplen);
	} while (1);
	assert_int_equal(rb, CAPTURE_EOF);
	assert_int_equal(capture_frames(b), ZFRAMES);
	capture_close(a);
	capture_close(b);
}

static void test_compressed_read_all(void **state)
{
	struct tmp *t = *state;
	static uint8_t plain[ZCAP], packed[2 * ZCAP + 64];
	char a[320], err[512];
	struct capture *c;
	struct capture_packet pkt;
	uint64_t off = 0, size = 0;
	size_t n;

	plain_bytes(t, plain);
	snprintf(a, sizeof(a), "%s", tpath(t, "a.pcap"));
	n = gz(plain, ZCAP, packed, sizeof(packed));
	write_bytes(tpath(t, "a.gz"), packed, n);
	expect_same_records(a, tpath(t, "a.gz"));
	n = zst(plain, ZCAP, packed, sizeof(packed));
	write_bytes(tpath(t, "a.zst"), packed, n);
	expect_same_records(a, tpath(t, "a.zst"));
	/* by the magic number, whatever the name */
	write_bytes(tpath(t, "z.bin"), packed, n);
	expect_same_records(a, tpath(t, "z.bin"));

	/* the progress meter counts compressed bytes, up to the file size */
	c = capture_open_file(tpath(t, "a.zst"), err, sizeof(err));
	assert_non_null(c);
	assert_true(capture_progress(c, &off, &size));
	assert_int_equal(size, n);
	while (capture_next(c, &pkt, err, sizeof(err)) == CAPTURE_PACKET)
		;
	assert_true(capture_progress(c, &off, &size));
	assert_int_equal(off, size);
	capture_close(c);

	/* standard input, and a stream in memory */
	assert_non_null(freopen(tpath(t, "a.zst"), "rb", stdin));
	c = capture_open_file("-", err, sizeof(err));
	assert_non_null(c);
	for (unsigned i = 0; i < ZFRAMES; i++)
		assert_int_equal(capture_next(c, &pkt, err, sizeof(err)),
				 CAPTURE_PACKET);
	assert_int_equal(capture_next(c, &pkt, err, sizeof(err)), CAPTURE_EOF);
	capture_close(c);
	n = gz(plain, ZCAP, packed, sizeof(packed));
	c = capture_open_stream(fmemopen(packed, n, "rb"), "mem", err,
				sizeof(err));
	assert_non_null(c);
	for (unsigned i = 0; i < ZFRAMES; i++)
		assert_int_equal(capture_next(c, &pkt, err, sizeof(err)),
				 CAPTURE_PACKET);
	assert_int_equal(capture_next(c, &pkt, err, sizeof(err)), CAPTURE_EOF);
	capture_close(c);
}

static void test_compressed_several_parts(void **state)
{
	struct tmp *t = *state;
	/* a zstd skippable frame (magic 0x184D2A50, 4 bytes of data) */
	static const uint8_t skippable[12] = {0x50, 0x2a, 0x4d, 0x18, 4,   0,
					      0,    0,    't',  'c',  'p', 'l'};
	static uint8_t plain[ZCAP], packed[2 * ZCAP + 64];
	char a[320];
	size_t n, cut = 1000;

	plain_bytes(t, plain);
	snprintf(a, sizeof(a), "%s", tpath(t, "a.pcap"));
	/* two gzip members, then four zero bytes (ignored, as by gzip -d) */
	n = gz(plain, cut, packed, sizeof(packed));
	n += gz(plain + cut, ZCAP - cut, packed + n, sizeof(packed) - n);
	memset(packed + n, 0, 4);
	write_bytes(tpath(t, "a.gz"), packed, n + 4);
	expect_same_records(a, tpath(t, "a.gz"));
	/* a skippable frame, then two frames */
	memcpy(packed, skippable, sizeof(skippable));
	n = sizeof(skippable);
	n += zst(plain, cut, packed + n, sizeof(packed) - n);
	n += zst(plain + cut, ZCAP - cut, packed + n, sizeof(packed) - n);
	write_bytes(tpath(t, "a.zst"), packed, n);
	expect_same_records(a, tpath(t, "a.zst"));
}

/*
 * The compressed file cut after every byte: it opens with a one-line error
 * naming it or reads some records and then fails with one; never more
 * records than a longer cut gives; once past the format's header, the
 * error always says the compressed data is cut short.
 */
static void cut_compressed(struct tmp *t, const uint8_t *packed, size_t n,
			   size_t header, const char *cut_msg)
{
	const char *p = tpath(t, "z.bin");
	unsigned last = 0;

	for (size_t len = 0; len < n; len++) {
		char err[512] = "";
		struct capture *c;
		struct capture_packet pkt;
		unsigned got = 0;
		int r;

		write_bytes(p, packed, len);
		c = capture_open_file(p, err, sizeof(err));
		if (c) {
			while ((r = capture_next(c, &pkt, err, sizeof(err))) ==
			       CAPTURE_PACKET)
				got++;
			assert_int_equal(r, CAPTURE_ERROR);
			capture_close(c);
		}
		if (strncmp(err, p, strlen(p)) != 0 || strchr(err, '\n'))
			fail_msg("cut at %zu: \"%s\"", len, err);
		if (len >= header && !strstr(err, cut_msg))
			fail_msg("cut at %zu: \"%s\", want \"%s\"", len, err,
				 cut_msg);
		if (got < last || got > ZFRAMES)
			fail_msg("cut at %zu: %u records after %u", len, got,
				 last);
		last = got;
	}
	/* the last cuts lose only the trailer: every record, then the error */
	assert_int_equal(last, ZFRAMES);
}

static void test_compressed_cut_everywhere(void **state)
{
	struct tmp *t = *state;
	static uint8_t plain[ZCAP], packed[2 * ZCAP + 64];
	size_t n;

	plain_bytes(t, plain);
	n = gz(plain, ZCAP, packed, sizeof(packed));
	/* RFC 1952 §2.3: a 10-byte member header */
	cut_compressed(t, packed, n, 10,
		       "truncated capture: the gzip data is cut short");
	n = zst(plain, ZCAP, packed, sizeof(packed));
	/* RFC 8878 §3.1.1: the 4-byte magic number */
	cut_compressed(t, packed, n, 4,
		       "truncated capture: the zstd data is cut short");
}

/* The capture at p, damaged, fails (when it opens or when it is read)
 * with one line naming it and giving the decompressor's reason: `what`, or
 * the end of the data cut short when the damage hid where it ends. Or the
 * damage changed nothing (a padding bit of the last deflate byte): then it
 * reads whole, as the plain capture at `plain`. */
static void expect_damaged(const char *plain, const char *p, const char *what,
			   const char *fmt, size_t byte)
{
	char err[512] = "", cut[64];
	struct capture_packet pkt;
	struct capture *c = capture_open_file(p, err, sizeof(err));

	while (c && capture_next(c, &pkt, err, sizeof(err)) == CAPTURE_PACKET)
		;
	capture_close(c);
	if (!err[0]) {
		expect_same_records(plain, p);
		return;
	}
	snprintf(cut, sizeof(cut),
		 ": truncated capture: the %s data is cut short", fmt);
	if (strncmp(err, p, strlen(p)) != 0 || strchr(err, '\n') ||
	    (!strstr(err, what) && !strstr(err, cut)))
		fail_msg("byte %zu: got \"%s\"", byte, err);
}

static void test_compressed_damaged(void **state)
{
	struct tmp *t = *state;
	static uint8_t plain[ZCAP], packed[2 * ZCAP + 64];
	char a[320], p[320];
	size_t n;

	plain_bytes(t, plain);
	snprintf(a, sizeof(a), "%s", tpath(t, "a.pcap"));
	snprintf(p, sizeof(p), "%s", tpath(t, "z.bin"));
	/* a bit flipped in each byte of the second half of each, one at a
	 * time: found by the format's checks (deflate's structure, CRC-32;
	 * zstd's block structure, checksum) whether or not libpcap stumbles
	 * first, when the capture opens or when it is read */
	n = gz(plain, ZCAP, packed, sizeof(packed));
	for (size_t i = n / 2; i < n; i++) {
		packed[i] ^= 0x10;
		write_bytes(p, packed, n);
		packed[i] ^= 0x10;
		expect_damaged(a, p, ": corrupt gzip data (", "gzip", i);
	}
	n = zst(plain, ZCAP, packed, sizeof(packed));
	for (size_t i = n / 2; i < n; i++) {
		packed[i] ^= 0x10;
		write_bytes(p, packed, n);
		packed[i] ^= 0x10;
		expect_damaged(a, p, ": corrupt zstd data (", "zstd", i);
	}

	/* compressed, but not a capture; a gzip first byte, but not gzip */
	n = gz((const uint8_t *)"GET / HTTP/1.1\r\n", 16, packed,
	       sizeof(packed));
	write_bytes(p, packed, n);
	expect_open_error(p,
			  "is not a pcap or pcapng capture (gzip-compressed: ");
	write_bytes(p, "\x1f\x00 no", 5);
	expect_open_error(
		p, "is not a pcap or pcapng capture (unknown file format)");
	write_bytes(p, "\x28\xb5\x2f\xfe", 4);
	expect_open_error(
		p, "is not a pcap or pcapng capture (unknown file format)");
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
		TT(test_missing),
		TT(test_directory),
		TT(test_empty),
		TT(test_not_a_capture),
		TT(test_short_header),
		TT(test_unsupported_link),
		TT(test_read_all),
		TT(test_usec_timestamps),
		TT(test_cut_mid_record),
		TT(test_filter),
		TT(test_wrap),
		TT(test_dlt_names),
		TT(test_stdin),
		TT(test_pcapng_ts_overflow),
		TT(test_compressed_read_all),
		TT(test_compressed_several_parts),
		TT(test_compressed_cut_everywhere),
		TT(test_compressed_damaged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
