/*
 * fuzz_analyze.c - a whole capture file from arbitrary bytes, through the
 * analyzer and every report writer: libpcap reads it from memory (fmemopen
 * + pcap_fopen_offline) and the ingest path of `tcplint analyze`
 * (analyzer/ingest.h) hands each TCP segment decode_packet() accepts to
 * an analyzer with a small flow table (64 flows, so eviction runs) and an
 * idle timeout, or short timers for some input sizes, with a timer tick
 * every 16 segments. The sink checks every anomaly and flow record
 * (fuzz_check.h), renders every message with anomaly_describe(), and hands
 * everything to the text, json, jsonl, sarif, junit and html writers, each
 * writing into a memory stream; the json and sarif documents and every
 * jsonl line must parse back, and the html page must be UTF-8 with no
 * markup but its own. One flow (0, or 1 for some input
 * sizes) is watched and its segments drawn with ladder_render(); flows with
 * anomalies are drawn again through a ladder_set fed by a second pass over
 * the same bytes, as `tcplint analyze --ladder` does, and the same pass
 * feeds the html writer the segments of the flows it draws. Nothing is
 * written to a file.
 */
#include "tests/fuzz/fuzz.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/analyzer.h"
#include "analyzer/ingest.h"
#include "formats/wire/capture.h"
#include "formats/wire/decode.h"
#include "formats/report/ladder.h"
#include "formats/report/report.h"
#include "tests/fuzz/fuzz_check.h"

#define FUZZ_MAX_RECORDS 100000
#define FUZZ_MAX_FLOWS 64
#define FUZZ_TICK_EVERY 16
#define FUZZ_MAX_SEGS 256
#define FUZZ_MAX_LADDERS 8

enum {
	FMT_TEXT,
	FMT_JSON,
	FMT_JSONL,
	FMT_SARIF,
	FMT_JUNIT,
	FMT_HTML,
	FMT_COUNT
};

struct fuzz_out {
	struct report_ctx *rc;
	FILE *fp;
	char *buf;
	size_t len;
};

struct fuzz_state {
	struct fuzz_out out[FMT_COUNT];
	struct ladder_set *ladders;
	struct ladder_opts lopts;
	FILE *ladder_fp; /* memory stream for the watched flow's ladder */
	char *ladder_buf;
	size_t ladder_len;
	uint64_t frame; /* latest frame fed */
	uint64_t watch;
	struct ladder_seg segs[FUZZ_MAX_SEGS];
	size_t nsegs;
	struct report_fail_on fail_on;
};

static void fuzz_flow_done(void *ctx, const struct flow_record *f)
{
	struct fuzz_state *st = ctx;
	struct report_flow_info info = {0};

	fuzz_check_flow(f, st->frame);
	for (int i = 0; i < f->nanomalies; i++)
		if (report_fail_on_match(&st->fail_on, &f->anomalies[i]))
			info.matched++;
	info.failed = info.matched > 0;
	for (int k = 0; k < FMT_COUNT; k++)
		if (st->out[k].rc)
			report_flow(st->out[k].rc, f, &info);
	if (f->id == st->watch) {
		if (ladder_render(st->ladder_fp, f, st->segs, st->nsegs,
				  &st->lopts) != 0)
			fuzz_fail("ladder_render", f->id);
		st->nsegs = 0;
	}
	if (st->ladders && report_flow_anomalies(f) > 0 &&
	    ladder_set_count(st->ladders) < FUZZ_MAX_LADDERS &&
	    ladder_set_add(st->ladders, f) != 0)
		fuzz_fail("ladder_set_add", f->id);
}

static void fuzz_anomaly(void *ctx, const struct flow_record *f,
			 const struct anomaly *a)
{
	struct fuzz_state *st = ctx;

	fuzz_check_anomaly(f, a, st->frame);
	for (int k = 0; k < FMT_COUNT; k++)
		if (st->out[k].rc)
			report_anomaly(st->out[k].rc, f, a);
}

static void fuzz_segment(void *ctx, const struct flow_record *f,
			 const struct segment_event *ev)
{
	struct fuzz_state *st = ctx;
	struct ladder_seg *s;

	if (f->id != st->watch || ev->frame != st->frame || ev->from > 1 ||
	    ev->state_after[0] >= TCP_STATE_COUNT ||
	    ev->state_after[1] >= TCP_STATE_COUNT)
		fuzz_fail("segment event", ev->frame);
	if (st->nsegs == FUZZ_MAX_SEGS)
		return;
	s = &st->segs[st->nsegs++];
	s->frame = ev->frame;
	s->ts_ns = ev->ts_ns;
	s->seq = ev->seq;
	s->ack = ev->ack;
	s->len = ev->len;
	s->flags = ev->flags;
	s->window =
		(uint16_t)(ev->window > UINT16_MAX ? UINT16_MAX : ev->window);
	s->from = ev->from;
}

/* libpcap over the bytes; NULL when they are not a capture. */
static struct capture *fuzz_open(const uint8_t *data, size_t size)
{
	char perr[PCAP_ERRBUF_SIZE];
	struct capture *c;
	FILE *fp;
	pcap_t *p;

	fp = fmemopen((void *)data, size, "rb");
	if (!fp)
		return NULL;
	p = pcap_fopen_offline_with_tstamp_precision(
		fp, PCAP_TSTAMP_PRECISION_NANO, perr);
	if (!p) {
		fclose(fp);
		return NULL;
	}
	c = capture_wrap(p, "fuzz"); /* owns p, which owns fp */
	if (!c)
		pcap_close(p);
	return c;
}

static int64_t fuzz_add_sat(int64_t a, int64_t b)
{
	return a > INT64_MAX - b ? INT64_MAX : a + b;
}

/* The first pass: the ingest path of `tcplint analyze` (every record
 * decoded and counted, every TCP segment analyzed), with a tick now and
 * then. The sink sees st->frame as the frame being analyzed, so it is set
 * before each record is read. */
static void fuzz_analyze_pass(struct capture *c, struct analyzer *az,
			      struct fuzz_state *st, struct input_record *in)
{
	struct ingest_options io = {.max_packets = FUZZ_MAX_RECORDS};
	struct ingest_record rec;
	struct ingest *ig;
	char err[256];
	int r;

	ig = ingest_new(c, az, in, &io, err, sizeof(err));
	if (!ig)
		abort();
	for (;;) {
		st->frame = capture_frames(c) + 1;
		r = ingest_next(ig, &rec, err, sizeof(err));
		if (r == CAPTURE_EOF || r == CAPTURE_ERROR)
			break;
		if (r != CAPTURE_PACKET)
			continue;
		if (rec.pkt.frame != in->packets || rec.pkt.frame != st->frame)
			fuzz_fail("frame numbering", rec.pkt.frame);
		if (in->tcp_packets > in->packets ||
		    in->decode_errors > in->packets)
			fuzz_fail("input counts", in->packets);
		if (rec.tcp && in->tcp_packets % FUZZ_TICK_EVERY == 0)
			analyzer_tick(az,
				      fuzz_add_sat(rec.pkt.ts_ns, NS_PER_SEC));
	}
	if (r == CAPTURE_ERROR && !in->failed)
		fuzz_fail("read error not kept in the input record",
			  in->packets);
	st->frame = capture_frames(c); /* the last one, for the flush */
	ingest_finish(ig);
	ingest_free(ig);
}

/* The second pass: segments of the flows with anomalies, for the ladder
 * and the html writer (when `html`). */
static void fuzz_ladder_pass(const uint8_t *data, size_t size,
			     struct fuzz_state *st, FILE *out, bool html)
{
	struct ingest_options io = {.max_packets = FUZZ_MAX_RECORDS};
	struct ingest_record rec;
	struct input_record in;
	struct ingest *ig;
	struct capture *c;
	char err[256];

	c = fuzz_open(data, size);
	if (!c)
		fuzz_fail("capture opened once, not twice", size);
	memset(&in, 0, sizeof(in));
	ig = ingest_new(c, NULL, &in, &io, err, sizeof(err));
	if (!ig)
		abort();
	while (ingest_next(ig, &rec, err, sizeof(err)) == CAPTURE_PACKET) {
		if (!rec.tcp)
			continue;
		if (ladder_set_packet(st->ladders, 0, &rec.view, rec.pkt.frame,
				      rec.pkt.ts_ns) != 0)
			fuzz_fail("ladder_set_packet", rec.pkt.frame);
		if (html && report_packet(st->out[FMT_HTML].rc, 0, &rec.view,
					  rec.pkt.frame, rec.pkt.ts_ns) != 0)
			fuzz_fail("report_packet", rec.pkt.frame);
	}
	ingest_free(ig);
	capture_close(c);
	if (ladder_set_render(st->ladders, out, &st->lopts) != 0)
		fuzz_fail("ladder_set_render", 0);
}

/* The html page: well-formed UTF-8, and its only script and markup are
 * its own (the capture's strings are escaped). */
static void fuzz_check_html(const char *buf, size_t len)
{
	const char *p, *end = buf + len;
	size_t scripts = 0;

	if (len == 0 || memchr(buf, '\0', len))
		fuzz_fail("html page empty or with a NUL", len);
	for (const unsigned char *u = (const unsigned char *)buf;
	     u < (const unsigned char *)end;) {
		size_t n = report_utf8_len(u);

		if (n == 0)
			fuzz_fail("html page not UTF-8",
				  (uint64_t)(u - (const unsigned char *)buf));
		u += n;
	}
	for (p = strstr(buf, "<script"); p; p = strstr(p + 1, "<script"))
		scripts++;
	if (scripts != 1 || !strstr(buf, "</html>\n"))
		fuzz_fail("html page: scripts or the end", scripts);
}

static void fuzz_check_json(const char *buf, size_t len, bool lines)
{
	json_error_t jerr;
	json_t *j;

	if (!lines) {
		j = json_loadb(buf, len, 0, &jerr);
		if (!j) {
			fprintf(stderr, "json: %s at %d\n", jerr.text,
				jerr.position);
			fuzz_fail("json report does not parse", len);
		}
		json_decref(j);
		return;
	}
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t l = nl ? (size_t)(nl - (buf + i)) : len - i;

		j = json_loadb(buf + i, l, 0, &jerr);
		if (!j) {
			fprintf(stderr, "jsonl: %s\n", jerr.text);
			fuzz_fail("jsonl line does not parse", i);
		}
		json_decref(j);
		i += l + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {"fuzz.pcap"};
	static const char *const fmt[FMT_COUNT] = {"text",  "json",  "jsonl",
						   "sarif", "junit", "html"};
	struct analyzer_config cfg;
	struct analyzer_sink sink;
	struct report_settings set;
	struct report_end_info end = {0};
	struct analyzer_stats ast;
	struct input_record in;
	struct fuzz_state *st;
	struct analyzer *az;
	struct capture *c;
	char err[256];
	FILE *lfp;
	char *lbuf = NULL;
	size_t llen = 0;
	bool html_pass;

	if (size == 0)
		return 0;
	c = fuzz_open(data, size);
	if (!c)
		return 0;
	st = calloc(1, sizeof(*st));
	if (!st)
		abort();
	st->watch = size % 4 == 3 ? 1 : 0; /* most inputs have few flows */
	st->fail_on.types = ~0ULL;
	st->fail_on.min_severity = SEV_WARNING;
	st->lopts.color = size & 1;
	st->lopts.explain = true;
	st->lopts.input_names = names;
	st->lopts.ninput_names = 1;

	memset(&set, 0, sizeof(set));
	set.command = "analyze";
	set.version = "fuzz";
	set.input_names = names;
	set.ninput_names = 1;
	set.pretty = size & 2;
	set.color = size & 1;
	set.streaming = size & 4;
	set.only_anomalies = size & 8;
	set.top = (size >> 4) & 3;
	set.fail_on = st->fail_on;
	for (int k = 0; k < FMT_COUNT; k++) {
		struct fuzz_out *o = &st->out[k];

		o->fp = open_memstream(&o->buf, &o->len);
		if (!o->fp)
			abort();
		o->rc = report_open(report_find(fmt[k]), o->fp, &set);
		if (!o->rc)
			abort();
		report_begin(o->rc);
	}
	st->ladder_fp = open_memstream(&st->ladder_buf, &st->ladder_len);
	st->ladders = ladder_set_new();
	if (!st->ladder_fp || !st->ladders)
		abort();

	analyzer_config_defaults(&cfg);
	cfg.max_flows = FUZZ_MAX_FLOWS;
	cfg.idle_timeout_ns = 60 * NS_PER_SEC;
	if (size & 0x40) { /* short timers: the timer rules fire more often */
		cfg.ack_timeout_ns = 10000000;
		cfg.close_wait_timeout_ns = NS_PER_SEC / 10;
		cfg.msl_ns = NS_PER_SEC;
		cfg.close_grace_ns = 0;
		cfg.keepalive_burst = 1;
		cfg.idle_timeout_ns = 0;
	}
	sink.flow_done = fuzz_flow_done;
	sink.anomaly = fuzz_anomaly;
	sink.segment = fuzz_segment;
	sink.ctx = st;
	az = analyzer_new(&cfg, &sink, err, sizeof(err));
	if (!az)
		abort();
	analyzer_watch_flow(az, st->watch);

	memset(&in, 0, sizeof(in));
	in.file = names[0];
	fuzz_analyze_pass(c, az, st, &in);
	capture_close(c);
	analyzer_get_stats(az, &ast);
	if (ast.active != 0 || ast.evictions > ast.flows)
		fuzz_fail("analyzer stats after finish", ast.active);
	analyzer_free(az);

	end.evictions = ast.evictions;
	end.fail_on = "warning";
	for (int k = 0; k < FMT_COUNT; k++)
		report_input(st->out[k].rc, &in);

	lfp = open_memstream(&lbuf, &llen);
	if (!lfp)
		abort();
	html_pass = report_second_pass(st->out[FMT_HTML].rc);
	if (ladder_set_count(st->ladders) > 0 || html_pass)
		fuzz_ladder_pass(data, size, st, lfp, html_pass);
	fclose(lfp);
	free(lbuf);

	for (int k = 0; k < FMT_COUNT; k++) {
		struct fuzz_out *o = &st->out[k];

		report_end(o->rc, &end);
		if (report_io_errno(o->rc) != 0)
			fuzz_fail("report write failed", (uint64_t)k);
		report_close(o->rc);
		fclose(o->fp);
		if (k == FMT_JSON || k == FMT_SARIF)
			fuzz_check_json(o->buf, o->len, false);
		else if (k == FMT_JSONL)
			fuzz_check_json(o->buf, o->len, true);
		else if (k == FMT_HTML)
			fuzz_check_html(o->buf, o->len);
		free(o->buf);
	}
	ladder_set_free(st->ladders);
	fclose(st->ladder_fp);
	free(st->ladder_buf);
	free(st);
	return 0;
}
