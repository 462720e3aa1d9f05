/*
 * test_ingest.c - the ingest path (analyzer/ingest.h): one count of
 * packets, TCP packets and decode errors by kind for every command. On
 * testdata/bad_options.pcap the path analyze takes (capture_open_file) and
 * the one live takes (an adopted pcap_t, capture_wrap) give the same
 * counts, two decode errors among them (`live` once counted 0); frames of
 * every class (clean TCP, not TCP, fragment, truncated, invalid) are
 * counted where they belong, and frames in tunnels by the kind of tunnel;
 * the filter, -c, a bad filter and a capture cut off mid-record; no
 * allocation per record.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <malloc.h>
#include <pcap/pcap.h>

#include "analyzer/analyzer.h"
#include "analyzer/ingest.h"
#include "formats/wire/capture.h"
#include "formats/wire/pcap_out.h"

#define BAD_OPTIONS TCPLINT_TESTDATA_DIR "/bad_options.pcap"

struct sink_log {
	int flows;
	uint32_t malformed; /* ANOM_MALFORMED over all flows */
	uint64_t packets;   /* over all flows */
};

static void on_flow_done(void *ctx, const struct flow_record *f)
{
	struct sink_log *l = ctx;

	l->flows++;
	l->malformed += f->anomaly_counts[ANOM_MALFORMED];
	l->packets += f->packets;
}

static struct analyzer *new_analyzer(struct sink_log *log)
{
	struct analyzer_config cfg;
	struct analyzer_sink sink = {on_flow_done, NULL, NULL, log};
	char err[256];
	struct analyzer *az;

	memset(log, 0, sizeof(*log));
	analyzer_config_defaults(&cfg);
	cfg.max_flows = 16;
	az = analyzer_new(&cfg, &sink, err, sizeof(err));
	assert_non_null(az);
	return az;
}

/* Read all of c through the ingest path; returns the last status. */
static int drain(struct capture *c, struct analyzer *az,
		 struct input_record *in, const struct ingest_options *opts)
{
	char err[512];
	struct ingest_record rec;
	struct ingest *ig;
	int st;

	ig = ingest_new(c, az, in, opts, err, sizeof(err));
	if (!ig)
		fail_msg("%s", err);
	while ((st = ingest_next(ig, &rec, err, sizeof(err))) == CAPTURE_PACKET)
		assert_int_equal(rec.pkt.frame, in->packets);
	ingest_finish(ig);
	ingest_free(ig);
	return st;
}

static struct capture *open_file(const char *path)
{
	char err[512];
	struct capture *c = capture_open_file(path, err, sizeof(err));

	if (!c)
		fail_msg("%s", err);
	return c;
}

/* The live command adopts an open handle; a file opened the same way
 * stands in for the interface. */
static struct capture *open_wrapped(const char *path)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline_with_tstamp_precision(
		path, PCAP_TSTAMP_PRECISION_NANO, err);
	struct capture *c;

	if (!p)
		fail_msg("%s", err);
	c = capture_wrap(p, "lo");
	assert_non_null(c);
	return c;
}

static void check_bad_options(const struct input_record *in,
			      const struct sink_log *log)
{
	assert_int_equal(in->dlt, DLT_EN10MB);
	assert_int_equal(in->packets, 9);
	assert_int_equal(in->tcp_packets, 9);
	assert_int_equal(in->kinds[DK_BAD_TCP_OPTION], 2);
	assert_int_equal(in->decode_errors, 2);
	for (int k = DK_NONE; k < DECODE_KIND_COUNT; k++)
		if (k != DK_BAD_TCP_OPTION)
			assert_int_equal(in->kinds[k], 0);
	assert_false(in->failed);
	assert_string_equal(in->error, "");
	if (log) {
		/* still analyzed: one flow, both malformed segments in it */
		assert_int_equal(log->flows, 1);
		assert_int_equal(log->packets, 9);
		assert_int_equal(log->malformed, 2);
	}
}

static void test_bad_options_analyze_and_live_agree(void **state)
{
	struct input_record file_in, live_in;
	struct sink_log file_log, live_log;
	struct analyzer *az;
	struct capture *c;

	(void)state;
	memset(&file_in, 0, sizeof(file_in));
	az = new_analyzer(&file_log);
	c = open_file(BAD_OPTIONS);
	assert_int_equal(drain(c, az, &file_in, NULL), CAPTURE_EOF);
	capture_close(c);
	analyzer_free(az);
	check_bad_options(&file_in, &file_log);

	memset(&live_in, 0, sizeof(live_in));
	az = new_analyzer(&live_log);
	c = open_wrapped(BAD_OPTIONS);
	assert_int_equal(drain(c, az, &live_in, NULL), CAPTURE_EOF);
	capture_close(c);
	analyzer_free(az);
	check_bad_options(&live_in, &live_log);

	assert_memory_equal(file_in.kinds, live_in.kinds,
			    sizeof(file_in.kinds));
}

/* Without an analyzer (the probe's replay, the ladder's second pass): the
 * same counts, and each record says what it was. */
static void test_decode_only(void **state)
{
	struct input_record in;
	struct ingest_record rec;
	struct ingest *ig;
	struct capture *c;
	char err[512];
	int bad = 0, tcp = 0;

	(void)state;
	memset(&in, 0, sizeof(in));
	c = open_file(BAD_OPTIONS);
	ig = ingest_new(c, NULL, &in, NULL, err, sizeof(err));
	assert_non_null(ig);
	while (ingest_next(ig, &rec, err, sizeof(err)) == CAPTURE_PACKET) {
		assert_true(rec.matched);
		assert_true(rec.tcp);
		tcp++;
		if (rec.kind == DK_BAD_TCP_OPTION) {
			bad++;
			assert_true(rec.view.opt.malformed);
			assert_true(rec.pkt.frame == 3 || rec.pkt.frame == 5);
		} else {
			assert_int_equal(rec.kind, DK_NONE);
		}
	}
	assert_int_equal(bad, 2);
	assert_int_equal(tcp, 9);
	assert_int_equal(ingest_matched(ig), 9);
	ingest_finish(ig); /* nothing to finish */
	ingest_free(ig);
	capture_close(c);
	check_bad_options(&in, NULL);
}

/* --- frames of every class ---------------------------------------------- */

/* An IPv4 header (raw IP link): version 4, IHL 5, total length `len`,
 * fragment offset `frag` (8-byte units), protocol `proto`, 10.0.0.1 ->
 * 10.0.0.2. The checksum is not checked by the decoder. */
static size_t ipv4(uint8_t *b, uint16_t len, uint16_t frag, uint8_t proto)
{
	memset(b, 0, 20);
	b[0] = 0x45;
	b[2] = (uint8_t)(len >> 8);
	b[3] = (uint8_t)len;
	b[6] = (uint8_t)(frag >> 8);
	b[7] = (uint8_t)frag;
	b[8] = 64;
	b[9] = proto;
	b[12] = 10, b[15] = 1;
	b[16] = 10, b[19] = 2;
	return 20;
}

/* A 20-byte TCP header 40000 -> 80, seq 1000, SYN, data offset 5. */
static size_t tcp_syn(uint8_t *b)
{
	memset(b, 0, 20);
	b[0] = 0x9c, b[1] = 0x40; /* 40000 */
	b[3] = 80;
	b[6] = 0x03, b[7] = 0xe8; /* seq 1000 */
	b[12] = 0x50;
	b[13] = 0x02; /* SYN */
	b[14] = 0xfa, b[15] = 0xf0;
	return 20;
}

static void write_mixed(const char *path)
{
	uint8_t f[64];
	char err[256];
	struct pcap_out *o = pcap_out_open(path, DLT_RAW, 0, err, sizeof(err));
	int64_t t = 1700000000LL * NS_PER_SEC;
	size_t n;

	if (!o)
		fail_msg("%s", err);
	/* 1: IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 1000 */
	n = ipv4(f, 40, 0, 6);
	n += tcp_syn(f + n);
	assert_int_equal(pcap_out_write(o, f, (uint32_t)n, (uint32_t)n, t), 0);
	/* 2: IP 10.0.0.1.53 > 10.0.0.2.53: UDP, length 0 */
	n = ipv4(f, 28, 0, 17);
	memset(f + n, 0, 8);
	f[n + 1] = 53, f[n + 3] = 53, f[n + 5] = 8;
	n += 8;
	assert_int_equal(pcap_out_write(o, f, (uint32_t)n, (uint32_t)n, t + 1),
			 0);
	/* 3: IP 10.0.0.1 > 10.0.0.2: tcp (frag 0:20@160) */
	n = ipv4(f, 40, 20, 6);
	memset(f + n, 0, 20);
	n += 20;
	assert_int_equal(pcap_out_write(o, f, (uint32_t)n, (uint32_t)n, t + 2),
			 0);
	/* 4: the SYN of frame 1 cut after 10 bytes of its TCP header */
	n = ipv4(f, 40, 0, 6);
	n += tcp_syn(f + n);
	assert_int_equal(pcap_out_write(o, f, 30, (uint32_t)n, t + 3), 0);
	/* 5: IP version 7 */
	n = ipv4(f, 40, 0, 6);
	n += tcp_syn(f + n);
	f[0] = 0x75;
	assert_int_equal(pcap_out_write(o, f, (uint32_t)n, (uint32_t)n, t + 4),
			 0);
	assert_int_equal(pcap_out_close(o), 0);
}

static void test_every_class_counted(void **state)
{
	char path[] = "/tmp/test_ingest_mixed.XXXXXX";
	struct input_record in;
	struct sink_log log;
	struct analyzer *az;
	struct capture *c;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	write_mixed(path);
	memset(&in, 0, sizeof(in));
	az = new_analyzer(&log);
	c = open_file(path);
	assert_int_equal(drain(c, az, &in, NULL), CAPTURE_EOF);
	capture_close(c);
	analyzer_free(az);
	unlink(path);

	assert_int_equal(in.dlt, DLT_RAW);
	assert_int_equal(in.packets, 5);
	assert_int_equal(in.tcp_packets, 1);
	assert_int_equal(in.kinds[DK_IPV4_UDP], 1);       /* not TCP */
	assert_int_equal(in.kinds[DK_IP_FRAGMENT], 1);    /* not an error */
	assert_int_equal(in.kinds[DK_TRUNC_TCP], 1);      /* truncated */
	assert_int_equal(in.kinds[DK_BAD_IP_VERSION], 1); /* invalid */
	assert_int_equal(in.decode_errors, 2);
	assert_int_equal(log.flows, 1);
	assert_int_equal(log.packets, 1);
}

/* Frames in tunnels, each counted once per kind of tunnel it was in,
 * whatever it turned out to be:
 *   1: IP 10.0.0.1 > 10.0.0.2: IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S]
 *      (ipip-proto-4)
 *   2: IP 10.0.0.1 > 10.0.0.2: GREv0, proto IPv4: IP ... UDP
 *   3: IP 10.0.0.1 > 10.0.0.2: GREv0, proto IPv4: IP 10.0.0.1.40000 >
 *      10.0.0.2.4789: VXLAN, vni 1: IP ... Flags [S], the same SYN
 *   4: the SYN of frame 1 without a tunnel */
static void write_tunnels(const char *path)
{
	/* GREv0, proto IPv4; VXLAN flags [I], vni 1; an Ethernet header */
	static const uint8_t gre[4] = {0, 0, 0x08, 0x00};
	static const uint8_t vxlan[8] = {0x08, 0, 0, 0, 0, 0, 1, 0};
	static const uint8_t eth[14] = {2, 0, 0, 0, 0, 1,    2,
					0, 0, 0, 0, 2, 0x08, 0x00};
	uint8_t f[160];
	char err[256];
	struct pcap_out *o = pcap_out_open(path, DLT_RAW, 0, err, sizeof(err));
	int64_t t = 1700000000LL * NS_PER_SEC;
	size_t n;

	if (!o)
		fail_msg("%s", err);
	n = ipv4(f, 60, 0, 4);
	n += ipv4(f + n, 40, 0, 6);
	n += tcp_syn(f + n);
	assert_int_equal(pcap_out_write(o, f, (uint32_t)n, (uint32_t)n, t), 0);
	n = ipv4(f, 52, 0, 47);
	memcpy(f + n, gre, 4);
	n += 4;
	n += ipv4(f + n, 28, 0, 17);
	memset(f + n, 0, 8);
	f[n + 1] = 53, f[n + 3] = 53, f[n + 5] = 8;
	n += 8;
	assert_int_equal(pcap_out_write(o, f, (uint32_t)n, (uint32_t)n, t + 1),
			 0);
	n = ipv4(f, 114, 0, 47);
	memcpy(f + n, gre, 4);
	n += 4;
	n += ipv4(f + n, 90, 0, 17);
	memset(f + n, 0, 8);
	f[n] = 0x9c, f[n + 1] = 0x40, f[n + 2] = 0x12, f[n + 3] = 0xb5;
	f[n + 5] = 70;
	n += 8;
	memcpy(f + n, vxlan, 8);
	memcpy(f + n + 8, eth, 14);
	n += 22;
	n += ipv4(f + n, 40, 0, 6);
	n += tcp_syn(f + n);
	assert_int_equal(pcap_out_write(o, f, (uint32_t)n, (uint32_t)n, t + 2),
			 0);
	n = ipv4(f, 40, 0, 6);
	n += tcp_syn(f + n);
	assert_int_equal(pcap_out_write(o, f, (uint32_t)n, (uint32_t)n, t + 3),
			 0);
	assert_int_equal(pcap_out_close(o), 0);
}

static void test_tunnels_counted(void **state)
{
	char path[] = "/tmp/test_ingest_tunnels.XXXXXX";
	struct input_record in;
	struct sink_log log;
	struct analyzer *az;
	struct capture *c;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	write_tunnels(path);
	memset(&in, 0, sizeof(in));
	az = new_analyzer(&log);
	c = open_file(path);
	assert_int_equal(drain(c, az, &in, NULL), CAPTURE_EOF);
	capture_close(c);
	analyzer_free(az);
	unlink(path);

	assert_int_equal(in.packets, 4);
	assert_int_equal(in.tcp_packets, 3);
	assert_int_equal(in.kinds[DK_IPV4_UDP], 1);
	assert_int_equal(in.decode_errors, 0);
	for (int t = 0; t < DECODE_TUNNEL_COUNT; t++) {
		uint64_t want =
			t == TUN_GRE ? 2 : t == TUN_IPIP || t == TUN_VXLAN;

		if (in.tunnels[t] != want)
			fail_msg("%s: %llu, want %llu", decode_tunnel_name(t),
				 (unsigned long long)in.tunnels[t],
				 (unsigned long long)want);
	}
	/* the inner segments are one connection attempt with the plain one */
	assert_int_equal(log.flows, 1);
	assert_int_equal(log.packets, 3);
}

/* --- filter, -c, errors -------------------------------------------------- */

static void test_filter_counts_rejected_as_packets(void **state)
{
	struct ingest_options io = {.filter = "tcp port 9"};
	struct input_record in;
	struct ingest_record rec;
	struct sink_log log;
	struct analyzer *az;
	struct ingest *ig;
	struct capture *c;
	char err[512];

	(void)state;
	memset(&in, 0, sizeof(in));
	az = new_analyzer(&log);
	c = open_file(BAD_OPTIONS);
	ig = ingest_new(c, az, &in, &io, err, sizeof(err));
	assert_non_null(ig);
	while (ingest_next(ig, &rec, err, sizeof(err)) == CAPTURE_PACKET) {
		assert_false(rec.matched);
		assert_false(rec.tcp);
		assert_int_equal(rec.kind, DK_NONE);
	}
	assert_int_equal(ingest_matched(ig), 0);
	ingest_finish(ig);
	ingest_free(ig);
	capture_close(c);
	analyzer_free(az);
	/* every record is a packet, frames keep Wireshark's numbers, and
	 * nothing was decoded */
	assert_int_equal(in.packets, 9);
	assert_int_equal(in.tcp_packets, 0);
	assert_int_equal(in.decode_errors, 0);
	assert_int_equal(log.flows, 0);

	/* a filter that passes everything changes nothing */
	io.filter = "tcp";
	memset(&in, 0, sizeof(in));
	az = new_analyzer(&log);
	c = open_file(BAD_OPTIONS);
	assert_int_equal(drain(c, az, &in, &io), CAPTURE_EOF);
	capture_close(c);
	analyzer_free(az);
	check_bad_options(&in, &log);
}

static void test_max_packets(void **state)
{
	struct ingest_options io = {.max_packets = 4};
	struct input_record in;
	struct ingest_record rec;
	struct ingest *ig;
	struct capture *c;
	char err[512];

	(void)state;
	memset(&in, 0, sizeof(in));
	c = open_file(BAD_OPTIONS);
	ig = ingest_new(c, NULL, &in, &io, err, sizeof(err));
	assert_non_null(ig);
	for (int i = 0; i < 4; i++)
		assert_int_equal(ingest_next(ig, &rec, err, sizeof(err)),
				 CAPTURE_PACKET);
	/* the limit reached: no further record is read */
	assert_int_equal(ingest_next(ig, &rec, err, sizeof(err)), CAPTURE_EOF);
	assert_int_equal(ingest_next(ig, &rec, err, sizeof(err)), CAPTURE_EOF);
	assert_int_equal(capture_frames(c), 4);
	assert_int_equal(in.packets, 4);
	assert_int_equal(in.kinds[DK_BAD_TCP_OPTION], 1); /* frame 3 */
	assert_int_equal(in.decode_errors, 1);
	ingest_free(ig);
	capture_close(c);
}

static void test_bad_filter(void **state)
{
	struct ingest_options io = {.filter = "tcp port"};
	struct input_record in;
	struct capture *c;
	char err[512] = "";
	const char *want = BAD_OPTIONS ": bad filter \"tcp port\": ";

	(void)state;
	memset(&in, 0, sizeof(in));
	in.dlt = -1;
	c = open_file(BAD_OPTIONS);
	assert_null(ingest_new(c, NULL, &in, &io, err, sizeof(err)));
	assert_int_equal(strncmp(err, want, strlen(want)), 0);
	assert_null(strchr(err, '\n'));
	assert_int_equal(in.dlt, DLT_EN10MB); /* the file did open */
	assert_int_equal(in.packets, 0);
	capture_close(c);
	ingest_free(NULL);
}

/* bad_options.pcap with its last record cut in half. */
static void write_cut(const char *path)
{
	static uint8_t buf[1 << 16];
	FILE *in = fopen(BAD_OPTIONS, "rb");
	FILE *out = fopen(path, "wb");
	size_t n;

	assert_non_null(in);
	assert_non_null(out);
	n = fread(buf, 1, sizeof(buf), in);
	assert_true(n > 100 && n < sizeof(buf));
	/* the last record is a bare ACK: 16-byte header + 66 bytes */
	assert_int_equal(fwrite(buf, 1, n - 40, out), n - 40);
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

static void test_read_error_kept(void **state)
{
	char path[] = "/tmp/test_ingest_cut.XXXXXX";
	struct input_record in;
	struct ingest_record rec;
	struct ingest *ig;
	struct capture *c;
	char err[512];
	int st;

	(void)state;
	st = mkstemp(path);
	assert_true(st >= 0);
	close(st);
	write_cut(path);
	memset(&in, 0, sizeof(in));
	c = open_file(path);
	ig = ingest_new(c, NULL, &in, NULL, err, sizeof(err));
	assert_non_null(ig);
	while ((st = ingest_next(ig, &rec, err, sizeof(err))) == CAPTURE_PACKET)
		;
	assert_int_equal(st, CAPTURE_ERROR);
	assert_non_null(strstr(err, "truncated capture"));
	assert_true(in.failed);
	assert_string_equal(in.error, err);
	/* everything before the cut was read and counted */
	assert_int_equal(in.packets, 8);
	assert_int_equal(in.decode_errors, 2);
	ingest_free(ig);
	capture_close(c);
	unlink(path);
}

/* The per-record path allocates nothing once the analyzer's pools of cold
 * flow parts hold what the busiest moment needs: two passes over the file
 * grow them (the second one meets the first one's connections again, as a
 * reused 4-tuple), the third takes nothing new (under a sanitizer
 * mallinfo2() stays 0 and this checks nothing; the ordinary build does). */
static void test_no_allocation_per_record(void **state)
{
	struct input_record in;
	struct ingest_record rec;
	struct sink_log log;
	struct mallinfo2 before, after;
	struct analyzer_memory m1, m2;
	struct analyzer *az;
	struct ingest *ig;
	struct capture *c;
	char err[512];

	(void)state;
	memset(&in, 0, sizeof(in));
	az = new_analyzer(&log);
	for (int pass = 0; pass < 2; pass++) {
		memset(&in, 0, sizeof(in));
		c = open_file(BAD_OPTIONS);
		drain(c, az, &in, NULL);
		capture_close(c);
	}
	analyzer_get_memory(az, &m1);
	assert_true(m1.cold_blocks > 0);
	assert_int_equal(m1.cold_chunks,
			 0); /* every flow gave its parts back */
	memset(&in, 0, sizeof(in));
	c = open_file(BAD_OPTIONS);
	ig = ingest_new(c, az, &in, NULL, err, sizeof(err));
	assert_non_null(ig);
	assert_int_equal(ingest_next(ig, &rec, err, sizeof(err)),
			 CAPTURE_PACKET);
	before = mallinfo2();
	while (ingest_next(ig, &rec, err, sizeof(err)) == CAPTURE_PACKET)
		;
	after = mallinfo2();
	assert_int_equal(before.uordblks, after.uordblks);
	assert_int_equal(before.hblkhd, after.hblkhd);
	assert_int_equal(in.packets, 9);
	analyzer_get_memory(az, &m2);
	assert_int_equal(m2.cold_blocks, m1.cold_blocks);
	ingest_finish(ig);
	ingest_free(ig);
	capture_close(c);
	analyzer_free(az);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_options_analyze_and_live_agree),
		cmocka_unit_test(test_decode_only),
		cmocka_unit_test(test_every_class_counted),
		cmocka_unit_test(test_tunnels_counted),
		cmocka_unit_test(test_filter_counts_rejected_as_packets),
		cmocka_unit_test(test_max_packets),
		cmocka_unit_test(test_bad_filter),
		cmocka_unit_test(test_read_error_kept),
		cmocka_unit_test(test_no_allocation_per_record),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
