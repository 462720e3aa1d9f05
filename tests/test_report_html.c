/*
 * test_report_html.c - the html report (formats/report/report_html.c,
 * html_svg.c): the escaping of everything from outside, the sections of
 * the page, one sequence diagram per flow with findings with one arrow per
 * segment on testdata/demo.pcap (read twice, as `tcplint analyze` does),
 * golden SVG fragments of the closes in testdata/golden/html_*.svg
 * (regenerate with TCPLINT_UPDATE_GOLDEN=1 after looking at them; TZ is
 * UTC), and the bounds on long flows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/analyzer.h"
#include "analyzer/ingest.h"
#include "formats/report/html.h"
#include "formats/report/ladder.h"
#include "formats/report/report.h"
#include "formats/wire/capture.h"
#include "formats/wire/decode.h"
#include "formats/wire/fixture.h"

/* ---- helpers ---- */

static char *esc_str(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	assert_non_null(m);
	report_markup_esc(m, s);
	fclose(m);
	return buf;
}

static size_t count_of(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* Count of `needle` in hay[from, to). */
static size_t count_between(const char *from, const char *to,
			    const char *needle)
{
	size_t n = 0, len = strlen(needle);

	for (const char *p = from; p && p + len <= to; p++) {
		p = strstr(p, needle);
		if (!p || p + len > to)
			break;
		n++;
	}
	return n;
}

/* Whether every byte of s belongs to a well-formed UTF-8 sequence. */
static bool valid_utf8(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t n = report_utf8_len(p);

		if (n == 0)
			return false;
		p += n;
	}
	return true;
}

struct flows {
	struct flow_record f[16];
	int n;
	struct report_ctx *rc; /* also fed, when set */
};

static void flows_done(void *ctx, const struct flow_record *f)
{
	struct flows *fl = ctx;

	if (fl->n < 16)
		fl->f[fl->n++] = *f;
	if (fl->rc)
		report_flow(fl->rc, f, NULL);
}

/* The html report of capture files `paths`, read twice as `tcplint
 * analyze` reads them. Returns the page (caller frees). */
static char *html_of_files(const char *const *paths, uint32_t n,
			   const struct report_settings *set, struct flows *fl)
{
	struct analyzer_config cfg;
	struct analyzer_sink sink = {.flow_done = flows_done, .ctx = fl};
	struct report_end_info end = {.fail_on = "none"};
	char err[512], *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	struct analyzer *az;

	assert_non_null(m);
	fl->rc = report_open(&report_html_ops, m, set);
	assert_non_null(fl->rc);
	assert_int_equal(report_begin(fl->rc), 0);
	analyzer_config_defaults(&cfg);
	az = analyzer_new(&cfg, &sink, err, sizeof(err));
	assert_non_null(az);
	for (uint32_t pass = 0; pass < 2; pass++) {
		if (pass == 1 && !report_second_pass(fl->rc))
			break;
		for (uint32_t i = 0; i < n; i++) {
			struct ingest_options io = {.input = i};
			struct input_record in = {.file = paths[i]};
			struct ingest_record rec;
			struct capture *c =
				capture_open_file(paths[i], err, sizeof(err));
			struct ingest *ig;

			if (!c)
				fail_msg("%s", err);
			ig = ingest_new(c, pass == 0 ? az : NULL, &in, &io, err,
					sizeof(err));
			assert_non_null(ig);
			while (ingest_next(ig, &rec, err, sizeof(err)) ==
			       CAPTURE_PACKET)
				if (pass == 1 && rec.tcp)
					assert_int_equal(
						report_packet(fl->rc, i,
							      &rec.view,
							      rec.pkt.frame,
							      rec.pkt.ts_ns),
						0);
			ingest_finish(ig);
			ingest_free(ig);
			capture_close(c);
			if (pass == 0)
				assert_int_equal(report_input(fl->rc, &in), 0);
		}
		if (pass == 0)
			analyzer_finish(az);
	}
	analyzer_free(az);
	assert_int_equal(report_end(fl->rc, &end), 0);
	assert_int_equal(report_io_errno(fl->rc), 0);
	report_close(fl->rc);
	fl->rc = NULL;
	fclose(m);
	return buf;
}

static void settings(struct report_settings *set, const char *const *names,
		     uint32_t n)
{
	memset(set, 0, sizeof(*set));
	set->command = "analyze";
	set->version = "test";
	set->input_names = names;
	set->ninput_names = n;
	set->fail_on.min_severity = -1;
}

/* ---- escaping ---- */

static void test_html_esc(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{"plain 10.0.0.1:80", "plain 10.0.0.1:80"},
		{"<script>alert('x')</script>",
		 "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"},
		{"a&b \"q\"", "a&amp;b &quot;q&quot;"},
		{"caf\xc3\xa9 \xe2\x86\x92",
		 "caf\xc3\xa9 \xe2\x86\x92"},   /* UTF-8 kept */
		{"\xff\xfe.pcap", "??.pcap"},   /* not UTF-8 */
		{"\xc0\xbcscript", "??script"}, /* overlong '<' */
		{"\xed\xa0\x80", "???"},        /* a surrogate */
		{"\xe2\x86", "??"},             /* cut short */
		{"bell\x07"
		 "del\x7f"
		 "tab\tnl\n",
		 "bell?del?tab\tnl\n"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = esc_str(cases[i].in);

		if (strcmp(got, cases[i].want) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, got,
				 cases[i].want);
		free(got);
	}
}

/* A file name holding markup and odd bytes reaches the page only as text,
 * in the title, the heading, the inputs table and the flow facts. */
static void test_html_hostile_name(void **state)
{
	static const char *const names[] = {
		"<script>alert(1)</script>\xff\xc0\".pcap",
		"x\"><img src=x onerror=alert(2)>.pcap",
	};
	struct report_settings set;
	struct flow_record f;
	struct input_record in[2];
	struct report_end_info end = {.fail_on = "<b>none</b>"};
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	struct report_ctx *rc;

	(void)state;
	settings(&set, names, 2);
	rc = report_open(&report_html_ops, m, &set);
	assert_non_null(rc);
	report_begin(rc);
	memset(&f, 0, sizeof(f));
	f.id = 0;
	f.input = 1;
	f.packets = 1;
	f.first_frame = f.last_frame = 1;
	f.tuple = (struct tuple){4, {10, 0, 0, 1}, {10, 0, 0, 2}, 40000, 80};
	f.nanomalies = 1;
	f.anomalies[0] = (struct anomaly){
		.frame = 1, .type = ANOM_SYN_UNANSWERED, .severity = SEV_ERROR};
	f.anomaly_counts[ANOM_SYN_UNANSWERED] = 1;
	report_flow(rc, &f, NULL);
	for (int i = 0; i < 2; i++) {
		memset(&in[i], 0, sizeof(in[i]));
		in[i].file = names[i];
		in[i].dlt = -1;
		in[i].failed = true;
		snprintf(in[i].error, sizeof(in[i].error), "%s: <b>bad</b>",
			 names[i]);
		report_input(rc, &in[i]);
	}
	assert_true(report_second_pass(rc));
	assert_int_equal(report_end(rc, &end), 0);
	report_close(rc);
	fclose(m);

	assert_true(valid_utf8(buf));
	/* our own script element, and no other */
	assert_int_equal(count_of(buf, "<script"), 1);
	assert_null(strstr(buf, "<img"));
	assert_null(strstr(buf, "<b>bad"));
	assert_null(strstr(buf, "<b>none"));
	assert_non_null(strstr(
		buf, "&lt;script&gt;alert(1)&lt;/script&gt;??&quot;.pcap"));
	assert_non_null(strstr(
		buf, "x&quot;&gt;&lt;img src=x onerror=alert(2)&gt;.pcap"));
	assert_non_null(strstr(buf, "&lt;b&gt;none&lt;/b&gt;"));
	/* nothing of the names is markup: no raw '"' or '>' of theirs */
	assert_null(strstr(buf, "onerror=alert(2)>"));
	assert_null(strstr(buf, "x\"><"));
	free(buf);
}

/* ---- the page of testdata/demo.pcap ---- */

/* The section of flow id in the page, [*from, *to). */
static void flow_section(const char *page, uint64_t id, const char **from,
			 const char **to)
{
	char tag[64];

	snprintf(tag, sizeof(tag), "<details class=\"flow\" id=\"f0-%llu\"",
		 (unsigned long long)id);
	*from = strstr(page, tag);
	assert_non_null(*from);
	*to = strstr(*from, "</details>");
	assert_non_null(*to);
}

static void test_html_demo(void **state)
{
	static const char *const paths[] = {TCPLINT_TESTDATA_DIR "/demo.pcap"};
	static const char *const ids[] = {
		"id=\"overview\"", "id=\"inputs\"",    "id=\"totals\"",
		"id=\"verdicts\"", "id=\"anomalies\"", "id=\"capture\"",
		"id=\"services\"", "id=\"timeline\"",  "id=\"flows\"",
		"id=\"flowtab\"",  "id=\"findings\"",
	};
	struct report_settings set;
	struct flows *fl = calloc(1, sizeof(*fl));
	int flagged = 0;
	char *page;

	(void)state;
	assert_non_null(fl);
	settings(&set, paths, 1);
	page = html_of_files(paths, 1, &set, fl);
	assert_int_equal(fl->n, 8);
	assert_true(valid_utf8(page));
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		if (!strstr(page, ids[i]))
			fail_msg("no %s in the page", ids[i]);
	/* self-contained: nothing loaded from anywhere */
	assert_non_null(strstr(page, "default-src 'none'"));
	assert_null(strstr(page, "src=\"http"));
	assert_null(strstr(page, "href=\"http"));
	assert_null(strstr(page, "url("));
	assert_null(strstr(page, "@import"));
	/* one table row per flow */
	{
		const char *tb = strstr(page, "<table id=\"flowtab\">");
		const char *te = strstr(tb, "</table>");

		assert_int_equal(count_between(tb, te, "<tr"), 8 + 1);
	}
	for (int i = 0; i < fl->n; i++) {
		const struct flow_record *f = &fl->f[i];
		const char *from, *to;
		char link[64];

		snprintf(link, sizeof(link), "href=\"#f0-%llu\"",
			 (unsigned long long)f->id);
		if (report_flow_anomalies(f) == 0) {
			assert_null(strstr(page, link));
			continue;
		}
		flagged++;
		assert_non_null(strstr(page, link));
		flow_section(page, f->id, &from, &to);
		assert_int_equal(count_between(from, to, "<svg class=\"seq\""),
				 1);
		assert_int_equal(
			count_between(from, to, "<svg class=\"states\""), 1);
		/* one arrow per segment, each with its title */
		assert_int_equal(count_between(from, to, "<g class=\"seg"),
				 f->packets);
		assert_true(count_between(from, to, "<g class=\"anom") >=
			    f->nanomalies);
		/* the states at the start and the end beside both lines */
		assert_true(count_between(from, to, "<text class=\"st ") >= 4);
		assert_true(count_between(from, to, "<text class=\"st end") ==
			    2);
	}
	assert_int_equal(flagged, 5);
	assert_int_equal(count_of(page, "<svg class=\"seq\""), 5);
	/* flow 6: the retransmitted FIN, both retransmissions marked */
	{
		const char *from, *to;

		flow_section(page, 6, &from, &to);
		assert_int_equal(
			count_between(from, to, "<g class=\"anom err\""), 1);
		assert_int_equal(
			count_between(from, to, "<g class=\"anom warn\""), 2);
		assert_true(count_between(from, to, "(again)") >= 2);
	}
	free(page);
	free(fl);
}

/* With --top 2 only two flows get a section, the worst (errors first),
 * and the page says so. */
static void test_html_top(void **state)
{
	static const char *const paths[] = {TCPLINT_TESTDATA_DIR "/demo.pcap"};
	struct report_settings set;
	struct flows *fl = calloc(1, sizeof(*fl));
	char *page;

	(void)state;
	assert_non_null(fl);
	settings(&set, paths, 1);
	set.top = 2;
	page = html_of_files(paths, 1, &set, fl);
	assert_int_equal(count_of(page, "<details class=\"flow\""), 2);
	assert_non_null(
		strstr(page, "2 of the 5 flows with findings are drawn"));
	/* the two flows with an error: 5 (premature_close), 6 (missing_ack) */
	assert_non_null(strstr(page, "id=\"f0-5\""));
	assert_non_null(strstr(page, "id=\"f0-6\""));
	/* the table still lists every flow */
	assert_int_equal(count_of(page, "<td>192.168.10.5:"), 7);
	free(page);
	free(fl);
}

/* Without the second read (standard input), the sections say why there
 * is no diagram. */
static void test_html_no_second_pass(void **state)
{
	static const char *const names[] = {"-"};
	struct report_settings set;
	struct flow_record f;
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	struct report_ctx *rc;
	struct report_end_info end = {0};

	(void)state;
	settings(&set, names, 1);
	rc = report_open(&report_html_ops, m, &set);
	report_begin(rc);
	memset(&f, 0, sizeof(f));
	f.nanomalies = 1;
	f.anomalies[0] = (struct anomaly){
		.frame = 1, .type = ANOM_SYN_UNANSWERED, .severity = SEV_ERROR};
	f.anomaly_counts[ANOM_SYN_UNANSWERED] = 1;
	report_flow(rc, &f, NULL);
	assert_int_equal(report_end(rc, &end), 0);
	report_close(rc);
	fclose(m);
	assert_non_null(strstr(buf, "standard input is read once"));
	assert_null(strstr(buf, "<svg class=\"seq\""));
	assert_non_null(strstr(buf, "<svg class=\"states\""));
	free(buf);
}

/* ---- golden fragments ---- */

struct fix {
	struct analyzer *az;
	struct flows fl;
	struct ladder_set *set;
	struct pkt_view views[256];
	uint64_t frames[256];
	int64_t ts[256];
	int npkts;
	int dlt;
	uint64_t frame;
};

static int fix_emit(void *ctx, const uint8_t *frame, uint32_t caplen,
		    uint32_t wirelen, int64_t ts_ns)
{
	struct fix *x = ctx;
	enum decode_kind kind;
	struct pkt_view v;

	x->frame++;
	if (decode_packet(x->dlt, frame, caplen, wirelen, &v, &kind) !=
	    DECODE_TCP)
		return 0;
	analyzer_packet(x->az, &v, x->frame, ts_ns);
	if (x->npkts < 256) {
		v.payload = NULL; /* the frame is gone after this call */
		x->views[x->npkts] = v;
		x->frames[x->npkts] = x->frame;
		x->ts[x->npkts] = ts_ns;
		x->npkts++;
	}
	return 0;
}

static char *read_file(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf;
	long n;

	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	if (fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(fp);
	return buf;
}

/* The sequence diagram and state timeline of flow `id` of
 * testdata/<fixname>.fix, compared with testdata/golden/html_<golden>.svg.
 * Returns the number of arrows drawn. */
static size_t check_fragment(const char *fixname, uint64_t id, bool explain,
			     const char *golden)
{
	char path[512], err[256], *script, *want, *buf = NULL;
	size_t len = 0, arrows = 0, nsegs;
	struct fix *x = calloc(1, sizeof(*x));
	struct analyzer_config cfg;
	struct analyzer_sink sink = {.flow_done = flows_done};
	struct html_draw_opts opt = {.explain = explain};
	const struct ladder_seg *segs;
	const struct flow_record *rec;
	uint64_t dropped;
	FILE *m;

	assert_non_null(x);
	setenv("TZ", "UTC", 1);
	snprintf(path, sizeof(path), "%s/%s.fix", TCPLINT_TESTDATA_DIR,
		 fixname);
	script = read_file(path);
	assert_non_null(script);
	analyzer_config_defaults(&cfg);
	sink.ctx = &x->fl;
	x->az = analyzer_new(&cfg, &sink, err, sizeof(err));
	assert_non_null(x->az);
	analyzer_begin_input(x->az, 0);
	if (fixture_compile(script, fix_emit, x, &x->dlt, err, sizeof(err)) !=
	    0)
		fail_msg("%s: %s", fixname, err);
	analyzer_finish(x->az);
	analyzer_free(x->az);
	x->set = ladder_set_new();
	for (int i = 0; i < x->fl.n; i++)
		if (x->fl.f[i].id == id)
			assert_int_equal(ladder_set_add(x->set, &x->fl.f[i]),
					 0);
	assert_int_equal(ladder_set_count(x->set), 1);
	for (int i = 0; i < x->npkts; i++)
		assert_int_equal(ladder_set_packet(x->set, 0, &x->views[i],
						   x->frames[i], x->ts[i]),
				 0);
	rec = ladder_set_flow(x->set, 0, &segs, &nsegs, &dropped);
	assert_int_equal(dropped, 0);
	assert_int_equal(nsegs, rec->packets);

	m = open_memstream(&buf, &len);
	assert_non_null(m);
	arrows = html_svg_sequence(m, rec, segs, nsegs, dropped, &opt);
	html_svg_states(m, rec);
	fclose(m);
	assert_int_equal(arrows, nsegs);
	assert_int_equal(count_of(buf, "<g class=\"seg"), nsegs);
	assert_true(valid_utf8(buf));

	snprintf(path, sizeof(path), "%s/golden/html_%s.svg",
		 TCPLINT_TESTDATA_DIR, golden);
	if (getenv("TCPLINT_UPDATE_GOLDEN")) {
		FILE *fp = fopen(path, "w");

		assert_non_null(fp);
		fputs(buf, fp);
		fclose(fp);
	}
	want = read_file(path);
	if (!want)
		fail_msg("missing golden %s (run with TCPLINT_UPDATE_GOLDEN=1)",
			 path);
	if (strcmp(want, buf) != 0) {
		fprintf(stderr, "--- %s\n%s--- got\n%s", path, want, buf);
		fail_msg("diagram of %s differs from %s", fixname, path);
	}
	free(want);
	free(buf);
	free(script);
	ladder_set_free(x->set);
	free(x);
	return arrows;
}

static void test_html_four_way(void **state)
{
	(void)state;
	assert_int_equal(
		check_fragment("close_client_first", 0, false, "four_way"), 13);
}

static void test_html_three_way(void **state)
{
	(void)state;
	check_fragment("close_three_way", 0, false, "three_way");
}

static void test_html_simultaneous(void **state)
{
	(void)state;
	check_fragment("close_simultaneous", 0, true, "simultaneous");
}

static void test_html_rst_abort(void **state)
{
	(void)state;
	check_fragment("rst_abort", 0, false, "rst_abort");
}

static void test_html_close_wait(void **state)
{
	(void)state;
	check_fragment("close_wait_linger", 0, true, "close_wait");
}

/* ---- bounds on long flows ---- */

/* A long flow: the first and last segments, the ones that close and the
 * one with an anomaly are drawn; the runs between are one row each. */
static void test_html_long_flow(void **state)
{
	enum { N = 5000 };
	struct ladder_seg *segs = calloc(N, sizeof(*segs));
	struct flow_record *f = calloc(1, sizeof(*f));
	struct html_draw_opts opt = {.max_rows = 80};
	char *buf = NULL, want[64];
	size_t len = 0, arrows;
	FILE *m;

	(void)state;
	assert_non_null(segs);
	assert_non_null(f);
	f->packets = N;
	f->handshake = HS_COMPLETE;
	f->tuple = (struct tuple){4, {10, 0, 0, 1}, {10, 0, 0, 2}, 40000, 80};
	f->nanomalies = 1;
	f->anomalies[0] = (struct anomaly){.frame = 2501,
					   .type = ANOM_RETRANSMISSION,
					   .severity = SEV_WARNING};
	for (uint32_t i = 0; i < N; i++) {
		segs[i].frame = i + 1;
		segs[i].ts_ns = (int64_t)i * 1000;
		segs[i].from = i & 1;
		segs[i].seq = 1000 + i * 100;
		segs[i].len = 100;
		segs[i].flags = TCP_ACK;
		segs[i].window = 1000;
	}
	segs[N - 2].flags |= TCP_FIN;
	m = open_memstream(&buf, &len);
	arrows = html_svg_sequence(m, f, segs, N, 7, &opt);
	fclose(m);
	/* the first 20 (max / 4), the last 10 (max / 8), the anomaly's */
	assert_int_equal(arrows, 31);
	assert_int_equal(count_of(buf, "<g class=\"seg"), arrows);
	assert_non_null(strstr(buf, "data-frame=\"2501\""));
	assert_non_null(strstr(buf, "data-frame=\"1\""));
	assert_non_null(strstr(buf, "data-frame=\"5000\""));
	assert_non_null(
		strstr(buf, "<g class=\"seg fin\" data-frame=\"4999\""));
	assert_true(count_of(buf, "not drawn") >= 2);
	snprintf(want, sizeof(want), "(7 more segments were not kept");
	assert_non_null(strstr(buf, want));
	free(buf);
	free(f);
	free(segs);
}

/* The collector's cap: past it only the segments that close or carry a
 * finding are kept, the others counted. */
static void test_ladder_set_cap(void **state)
{
	struct ladder_set *s = ladder_set_new();
	struct flow_record *f = calloc(1, sizeof(*f));
	const struct ladder_seg *segs;
	size_t n;
	uint64_t dropped;
	struct pkt_view v;

	(void)state;
	assert_non_null(s);
	assert_non_null(f);
	f->first_frame = 1;
	f->last_frame = 1000;
	f->tuple = (struct tuple){4, {10, 0, 0, 1}, {10, 0, 0, 2}, 40000, 80};
	f->nanomalies = 1;
	f->anomalies[0].frame = 700;
	ladder_set_cap(s, 100);
	assert_int_equal(ladder_set_add(s, f), 0);
	memset(&v, 0, sizeof(v));
	v.tuple = f->tuple;
	for (uint64_t fr = 1; fr <= 1000; fr++) {
		v.flags = fr == 900 ? (TCP_FIN | TCP_ACK) : TCP_ACK;
		assert_int_equal(ladder_set_packet(s, 0, &v, fr, (int64_t)fr),
				 0);
	}
	ladder_set_flow(s, 0, &segs, &n, &dropped);
	assert_int_equal(n, 102);
	assert_int_equal(dropped, 898);
	assert_int_equal(segs[99].frame, 100);
	assert_int_equal(segs[100].frame, 700);
	assert_int_equal(segs[101].frame, 900);
	ladder_set_free(s);
	free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_esc),
		cmocka_unit_test(test_html_hostile_name),
		cmocka_unit_test(test_html_demo),
		cmocka_unit_test(test_html_top),
		cmocka_unit_test(test_html_no_second_pass),
		cmocka_unit_test(test_html_four_way),
		cmocka_unit_test(test_html_three_way),
		cmocka_unit_test(test_html_simultaneous),
		cmocka_unit_test(test_html_rst_abort),
		cmocka_unit_test(test_html_close_wait),
		cmocka_unit_test(test_html_long_flow),
		cmocka_unit_test(test_ladder_set_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
