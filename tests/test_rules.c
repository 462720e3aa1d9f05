/*
 * test_rules.c - the anomaly rules (analyzer/rules.c, rules_stream.c) and
 * their messages (formats/report/anomaly.c), on captures synthesized with the
 * fixture compiler: each anomaly at the right frame, with the right
 * endpoint and fields, and clean traffic without any anomaly.
 *
 * Every scenario is compiled to frames, decoded with decode_packet() and fed
 * to a fresh analyzer with the default configuration; the sink copies each
 * finished flow record.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analyzer/analyzer.h"
#include "formats/report/anomaly.h"
#include "analyzer/records.h"
#include "formats/wire/decode.h"
#include "formats/wire/fixture.h"

#define MAX_FLOWS 8

struct run {
	struct analyzer *az;
	int dlt;
	uint64_t frame;
	int nflows;
	struct flow_record flows[MAX_FLOWS];
	int streamed; /* anomalies handed to sink.anomaly */
	struct anomaly last_streamed;
	char last_message[512];
};

static void on_flow(void *ctx, const struct flow_record *f)
{
	struct run *r = ctx;

	if (r->nflows < MAX_FLOWS)
		r->flows[r->nflows++] = *f;
}

static void on_anomaly(void *ctx, const struct flow_record *f,
		       const struct anomaly *a)
{
	struct run *r = ctx;
	char buf[512];

	(void)f;
	r->streamed++;
	/* every anomaly carries one of its type's causes */
	assert_true(a->cause < anomaly_cause_count((enum anomaly_type)a->type));
	/* every message is a sentence that names a frame */
	assert_true(anomaly_describe(f, a, buf, sizeof(buf)) > 10);
	r->last_streamed = *a;
	snprintf(r->last_message, sizeof(r->last_message), "%s", buf);
}

static int emit(void *ctx, const uint8_t *frame, uint32_t caplen,
		uint32_t wirelen, int64_t ts_ns)
{
	struct run *r = ctx;
	struct pkt_view v;
	enum decode_kind kind;

	r->frame++;
	if (decode_packet(r->dlt, frame, caplen, wirelen, &v, &kind) ==
	    DECODE_TCP)
		analyzer_packet(r->az, &v, r->frame, ts_ns);
	return 0;
}

static struct run *run_cfg(const char *script,
			   const struct analyzer_config *cfg)
{
	struct run *r = calloc(1, sizeof(*r));
	struct analyzer_sink sink = {on_flow, on_anomaly, NULL, NULL};
	char err[256];

	assert_non_null(r);
	sink.ctx = r;
	r->az = analyzer_new(cfg, &sink, err, sizeof(err));
	assert_non_null(r->az);
	if (fixture_compile(script, emit, r, &r->dlt, err, sizeof(err)) != 0)
		fail_msg("fixture: %s", err);
	analyzer_finish(r->az);
	analyzer_free(r->az);
	r->az = NULL;
	return r;
}

static struct run *run(const char *script)
{
	struct analyzer_config cfg;

	analyzer_config_defaults(&cfg);
	cfg.max_flows = 64;
	return run_cfg(script, &cfg);
}

static char *read_fix(const char *name)
{
	char path[512];
	FILE *fp;
	long n;
	char *s;

	snprintf(path, sizeof(path), "%s/%s.fix", TCPLINT_TESTDATA_DIR, name);
	fp = fopen(path, "rb");
	if (fp == NULL)
		fail_msg("cannot open %s", path);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	s = malloc((size_t)n + 1);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, (size_t)n, fp), (size_t)n);
	s[n] = '\0';
	fclose(fp);
	return s;
}

static struct run *run_fix(const char *name)
{
	char *s = read_fix(name);
	struct run *r = run(s);

	free(s);
	return r;
}

/* Total anomalies of type t over all flows (-1: all types). */
static unsigned count(const struct run *r, int t)
{
	unsigned n = 0;

	for (int i = 0; i < r->nflows; i++)
		for (int k = 0; k < ANOMALY_TYPE_COUNT; k++)
			if (t < 0 || t == k)
				n += r->flows[i].anomaly_counts[k];
	return n;
}

/* The first stored anomaly of type t, and its flow. */
static const struct anomaly *find(const struct run *r, int t,
				  const struct flow_record **fo)
{
	for (int i = 0; i < r->nflows; i++)
		for (int k = 0; k < r->flows[i].nanomalies; k++)
			if (r->flows[i].anomalies[k].type == t) {
				if (fo != NULL)
					*fo = &r->flows[i];
				return &r->flows[i].anomalies[k];
			}
	return NULL;
}

static void describe(const struct run *r, int t, char *buf, size_t len)
{
	const struct flow_record *f = NULL;
	const struct anomaly *a = find(r, t, &f);

	assert_non_null(a);
	anomaly_describe(f, a, buf, len);
}

static void print_all(const struct run *r)
{
	char buf[512];

	for (int i = 0; i < r->nflows; i++)
		for (int k = 0; k < r->flows[i].nanomalies; k++) {
			const struct anomaly *a = &r->flows[i].anomalies[k];

			anomaly_describe(&r->flows[i], a, buf, sizeof(buf));
			print_message("  flow %d %s frame %llu: %s\n", i,
				      anomaly_type_name(a->type),
				      (unsigned long long)a->frame, buf);
		}
}

static void expect_clean(const char *name)
{
	struct run *r = run_fix(name);

	if (count(r, -1) != 0) {
		print_message("%s:\n", name);
		print_all(r);
	}
	assert_int_equal(count(r, -1), 0);
	assert_true(r->nflows >= 1);
	free(r);
}

/* --- clean traffic: no anomaly at all ------------------------------------ */

static void test_clean_closes(void **state)
{
	(void)state;
	expect_clean("close_client_first");
	expect_clean("close_server_first");
	expect_clean("close_three_way");
	expect_clean("close_simultaneous");
	expect_clean("half_close");
	expect_clean("fin_with_data");
	expect_clean("ipv6_clean");
	expect_clean("seq_wrap_close");
	expect_clean("snaplen_cut");
	expect_clean("simultaneous_open");
}

static void test_keepalive_answered_is_clean(void **state)
{
	struct run *r = run_fix("keepalive_answered");
	const struct endpoint_record *c;

	(void)state;
	assert_int_equal(r->nflows, 1);
	assert_int_equal(count(r, -1), 0);
	c = &r->flows[0].ep[ROLE_CLIENT];
	assert_int_equal(c->keepalive_probes, 3);
	assert_int_equal(c->keepalive_answered, 3);
	assert_int_equal(r->flows[0].ep[ROLE_SERVER].keepalive_probes, 0);
	/* timer forensics: 7200 s idle, one probe per run */
	assert_true(c->timers.keepalive_idle_ns > 7199LL * NS_PER_SEC);
	assert_true(c->timers.keepalive_idle_ns < 7201LL * NS_PER_SEC);
	assert_int_equal(c->timers.keepalive_probes, 1);
	free(r);
}

/* --- the four named anomalies -------------------------------------------- */

static void test_missing_ack_lost_final_ack(void **state)
{
	struct run *r = run_fix("lost_final_ack");
	const struct anomaly *a = find(r, ANOM_MISSING_ACK, NULL);
	const struct endpoint_timers *t;
	char msg[512];

	(void)state;
	assert_non_null(a);
	assert_int_equal(count(r, ANOM_MISSING_ACK), 1);
	assert_int_equal(a->frame, 10); /* the server's FIN */
	assert_int_equal(a->endpoint, ROLE_CLIENT);
	assert_int_equal(a->count, 2); /* retransmitted twice */
	assert_int_equal(a->cause,
			 CAUSE_MISSING_ACK_LATE); /* acknowledged in the end */
	assert_int_equal(a->ref_frame, 13);
	assert_int_equal(a->confidence, CONF_HIGH);
	/* the FIN retransmissions themselves, and nothing else */
	assert_int_equal(count(r, ANOM_RETRANSMISSION), 2);
	assert_int_equal(count(r, -1), 3);
	/* FIN back-off: 204 ms, then doubled */
	t = &r->flows[0].ep[ROLE_SERVER].timers;
	assert_int_equal(t->fin_retries, 2);
	assert_true(t->fin_rto_first_ns > 200000000 &&
		    t->fin_rto_first_ns < 210000000);
	assert_true(t->rto_doubles);
	describe(r, ANOM_MISSING_ACK, msg, sizeof(msg));
	assert_non_null(strstr(msg, "client did not acknowledge the server's "
				    "FIN (frame 10)"));
	assert_non_null(strstr(msg, "(frame 13)"));
	free(r);
}

static const char fin_never_acked[] =
	"options auto\n"
	"0.000 c > S 0:0(0) win 64240\n"
	"+0.001 s > S. 0:0(0) ack 1 win 65160\n"
	"+0.001 c > . ack 1 win 502\n"
	"+0.010 c > P. 1:11(10) ack 1\n"
	"+0.001 s > . ack 11 win 509\n"
	"+0.100 c > F. 11:11(0) ack 1\n" /* 6: never acknowledged */
	"+0.200 c > F. 11:11(0) ack 1\n"
	"+0.400 c > F. 11:11(0) ack 1\n"
	"+0.800 c > F. 11:11(0) ack 1\n" /* 9 */
	"+1.000 s > P. 1:6(5) ack 11\n"; /* 10: alive, acks data only */

static void test_missing_ack_fin_never_acked(void **state)
{
	struct run *r = run(fin_never_acked);
	const struct anomaly *a = find(r, ANOM_MISSING_ACK, NULL);
	char msg[512];

	(void)state;
	assert_non_null(a);
	assert_int_equal(a->frame, 6);
	assert_int_equal(a->endpoint, ROLE_SERVER);
	assert_int_equal(a->count, 3);
	assert_int_equal(a->cause, CAUSE_MISSING_ACK_NEVER);
	assert_int_equal(a->ref_frame, 0);
	assert_true(a->duration_ns > 1390000000 && a->duration_ns < 1410000000);
	describe(r, ANOM_MISSING_ACK, msg, sizeof(msg));
	print_message("%s\n", msg);
	assert_non_null(strstr(msg, "server never acknowledged the client's "
				    "FIN (frame 6); the client retransmitted "
				    "it 3 times over 1.4 s"));
	free(r);
}

/* The client's FIN resent 3 times, never acknowledged, and the server
 * resets the connection (audit fixture i_fin_rtx_rst; as the server FIN of
 * suricata-verify/tcp-empty-sack/tcp-opt.pcap, frames 38-42): the
 * retransmissions show the ACK was missing, RST or not. */
static const char fin_rtx_rst[] = "0.000 c > S 0:0(0) win 64240\n"
				  "+0.001 s > S. 0:0(0) ack 1 win 65160\n"
				  "+0.001 c > . ack 1 win 502\n"
				  "+0.010 c > P. 1:11(10) ack 1\n"
				  "+0.001 s > . ack 11 win 509\n"
				  "+0.100 c > F. 11:11(0) ack 1\n" /* 6 */
				  "+0.200 c > F. 11:11(0) ack 1\n"
				  "+0.400 c > F. 11:11(0) ack 1\n"
				  "+0.800 c > F. 11:11(0) ack 1\n" /* 9 */
				  "+0.100 s > R. 1:1(0) ack 11\n"; /* 10 */

/* The capture ends 0.4 s after the last copy, less than --ack-timeout
 * (audit fixture j_fin_rtx_end). */
static const char fin_rtx_end[] = "0.000 c > S 0:0(0) win 64240\n"
				  "+0.001 s > S. 0:0(0) ack 1 win 65160\n"
				  "+0.001 c > . ack 1 win 502\n"
				  "+0.010 c > P. 1:11(10) ack 1\n"
				  "+0.001 s > . ack 11 win 509\n"
				  "+0.100 c > F. 11:11(0) ack 1\n" /* 6 */
				  "+0.200 c > F. 11:11(0) ack 1\n"
				  "+0.400 c > F. 11:11(0) ack 1\n"; /* 8 */

static void test_missing_ack_fin_rtx_flow_ends(void **state)
{
	struct run *r = run(fin_rtx_rst);
	const struct anomaly *a = find(r, ANOM_MISSING_ACK, NULL);
	char msg[512];

	(void)state;
	assert_non_null(a);
	assert_int_equal(count(r, ANOM_MISSING_ACK), 1);
	assert_int_equal(a->frame, 6);
	assert_int_equal(a->endpoint, ROLE_SERVER);
	assert_int_equal(a->value, 2); /* FIN */
	assert_int_equal(a->count, 3);
	assert_int_equal(a->cause,
			 CAUSE_MISSING_ACK_NEVER); /* no ACK in the end */
	assert_int_equal(a->ref_frame, 10);        /* the RST */
	assert_int_equal(a->confidence, CONF_HIGH);
	describe(r, ANOM_MISSING_ACK, msg, sizeof(msg));
	print_message("%s\n", msg);
	assert_non_null(strstr(msg, "server never acknowledged the client's "
				    "FIN (frame 6); the client retransmitted "
				    "it 3 times over 1.4 s; the connection was "
				    "reset (frame 10)"));
	free(r);

	r = run(fin_rtx_end);
	a = find(r, ANOM_MISSING_ACK, NULL);
	assert_non_null(a);
	assert_int_equal(count(r, ANOM_MISSING_ACK), 1);
	assert_int_equal(a->frame, 6);
	assert_int_equal(a->count, 2);
	assert_int_equal(a->cause, CAUSE_MISSING_ACK_NEVER);
	assert_int_equal(a->ref_frame, 0);
	free(r);
}

/* The client's ACK of the SYN-ACK is not in the capture before the server
 * retransmits the SYN-ACK; it comes after (audit fixture c_synack_rtx). */
static void test_missing_ack_synack(void **state)
{
	struct run *r = run("0.000 c > S 0:0(0) win 64240\n"
			    "+0.001 s > S. 0:0(0) ack 1 win 65160\n" /* 2 */
			    "+1.000 s > S. 0:0(0) ack 1 win 65160\n" /* 3 */
			    "+0.001 c > . ack 1 win 502\n"           /* 4 */
			    "+0.010 c > F. 1:1(0) ack 1\n"
			    "+0.001 s > F. 1:1(0) ack 2\n"
			    "+0.001 c > . ack 2\n");
	const struct anomaly *a = find(r, ANOM_MISSING_ACK, NULL);
	char msg[512];

	(void)state;
	assert_non_null(a);
	assert_int_equal(count(r, ANOM_MISSING_ACK), 1);
	assert_int_equal(count(r, ANOM_HALF_OPEN), 0);
	assert_int_equal(a->frame, 2);
	assert_int_equal(a->endpoint, ROLE_CLIENT);
	assert_int_equal(a->value, 1); /* SYN-ACK */
	assert_int_equal(a->count, 1);
	assert_int_equal(a->cause, CAUSE_MISSING_ACK_LATE);
	assert_int_equal(a->ref_frame, 4);
	assert_int_equal(a->confidence, CONF_HIGH);
	describe(r, ANOM_MISSING_ACK, msg, sizeof(msg));
	assert_non_null(strstr(msg, "client did not acknowledge the server's "
				    "SYN-ACK (frame 2) before it was "
				    "retransmitted"));
	assert_non_null(strstr(msg, "came in the end (frame 4)"));
	/* the retransmission is of a SYN-ACK, not of a SYN */
	a = find(r, ANOM_RETRANSMISSION, NULL);
	assert_non_null(a);
	assert_int_equal(a->cause, CAUSE_RTX_SYNACK);
	describe(r, ANOM_RETRANSMISSION, msg, sizeof(msg));
	assert_non_null(strstr(msg,
			       "server retransmitted its SYN-ACK (frame 3, "
			       "first sent in frame 2, 1.0 s earlier)"));
	free(r);

	r = run_fix("synack_unacked");
	describe(r, ANOM_RETRANSMISSION, msg, sizeof(msg));
	assert_non_null(
		strstr(msg, "server retransmitted its SYN-ACK (frame 3"));
	free(r);

	/* a client's SYN is still a SYN */
	r = run_fix("syn_unanswered");
	describe(r, ANOM_RETRANSMISSION, msg, sizeof(msg));
	assert_non_null(strstr(msg, "client retransmitted its SYN (frame 2"));
	free(r);
}

/* zeek/tcp/fin_retransmission.pcap: the client sends a FIN at its SYN's
 * sequence number before the SYN-ACK, then again after it. Frame 2 counts
 * as a retransmission (as in Wireshark) but repeats no FIN: it must not
 * name the SYN as its original; frame 4 repeats frame 2. */
static void test_retransmission_fin_original(void **state)
{
	struct run *r = run("0.000 c > S 0:0(0) win 65535\n"
			    "+0.290672 c > F 0:0(0)\n" /* 2 */
			    "+0.014271 s > S. 0:0(0) ack 1 win 8190\n"
			    "+0.002188 c > F. 0:0(0) ack 1\n" /* 4 */
			    "+0.303278 s > R 1:1(0) win 8201\n");
	const struct flow_record *f = r->flows;
	const struct anomaly *a[2] = {NULL, NULL};
	char msg[512];
	int n = 0;

	(void)state;
	assert_int_equal(count(r, ANOM_RETRANSMISSION), 2);
	for (int k = 0; k < f->nanomalies && n < 2; k++)
		if (f->anomalies[k].type == ANOM_RETRANSMISSION)
			a[n++] = &f->anomalies[k];
	assert_int_equal(n, 2);
	assert_int_equal(a[0]->frame, 2);
	assert_int_equal(a[0]->cause, CAUSE_RTX_FIN);
	assert_int_equal(a[0]->ref_frame, 0);
	anomaly_describe(f, a[0], msg, sizeof(msg));
	print_message("%s\n", msg);
	assert_null(strstr(msg, "frame 1"));
	assert_non_null(strstr(msg, "no earlier FIN of it is in the capture"));
	assert_int_equal(a[1]->frame, 4);
	assert_int_equal(a[1]->ref_frame, 2);
	anomaly_describe(f, a[1], msg, sizeof(msg));
	print_message("%s\n", msg);
	assert_non_null(strstr(msg, "client retransmitted its FIN (frame 4, "
				    "first sent in frame 2, 16 ms earlier)"));
	free(r);
}

/* The ACK is in the capture, yet its FIN or SYN-ACK is sent again: the ACK
 * was lost after the capture point (confidence medium). */
static void test_missing_ack_ack_seen(void **state)
{
	struct run *r = run("0.000 c > S 0:0(0) win 64240\n"
			    "+0.001 s > S. 0:0(0) ack 1 win 65160\n"
			    "+0.001 c > . ack 1 win 502\n"
			    "+0.010 c > F. 1:1(0) ack 1\n" /* 4 */
			    "+0.001 s > . ack 2\n"         /* 5 */
			    "+0.200 c > F. 1:1(0) ack 1\n" /* 6 */
			    "+0.001 s > . ack 2\n"
			    "+0.010 s > F. 1:1(0) ack 2\n"
			    "+0.001 c > . ack 2\n");
	const struct anomaly *a = find(r, ANOM_MISSING_ACK, NULL);
	char msg[512];

	(void)state;
	assert_non_null(a);
	assert_int_equal(count(r, ANOM_MISSING_ACK), 1);
	assert_int_equal(a->frame, 4);
	assert_int_equal(a->endpoint, ROLE_SERVER);
	assert_int_equal(a->value, 0x12); /* FIN, the ACK was captured */
	assert_int_equal(a->count, 1);
	assert_int_equal(a->ref_frame, 5);
	assert_int_equal(a->confidence, CONF_MEDIUM);
	describe(r, ANOM_MISSING_ACK, msg, sizeof(msg));
	print_message("%s\n", msg);
	assert_non_null(strstr(msg, "client retransmitted its FIN (frame 4) 1 "
				    "time although the server's ACK (frame 5) "
				    "is in the capture"));
	free(r);

	r = run("0.000 c > S 0:0(0) win 64240\n"
		"+0.001 s > S. 0:0(0) ack 1 win 65160\n" /* 2 */
		"+0.001 c > . ack 1 win 502\n"           /* 3 */
		"+1.000 s > S. 0:0(0) ack 1 win 65160\n" /* 4 */
		"+0.001 c > . ack 1 win 502\n"
		"+0.010 c > F. 1:1(0) ack 1\n"
		"+0.001 s > F. 1:1(0) ack 2\n"
		"+0.001 c > . ack 2\n");
	a = find(r, ANOM_MISSING_ACK, NULL);
	assert_non_null(a);
	assert_int_equal(count(r, ANOM_MISSING_ACK), 1);
	assert_int_equal(a->frame, 2);
	assert_int_equal(a->endpoint, ROLE_CLIENT);
	assert_int_equal(a->value, 0x11); /* SYN-ACK, the ACK was captured */
	assert_int_equal(a->count, 1);
	assert_int_equal(a->ref_frame, 3);
	assert_int_equal(a->confidence, CONF_MEDIUM);
	free(r);
}

/* Linux on loopback: the first FIN retransmission is a tail-loss probe,
 * then the RTO doubles (207, 208, 424, 832 ms); the last ACK comes. */
static const char fin_tlp_backoff[] = "0.000 c > S 0:0(0) win 64240\n"
				      "+0.001 s > S. 0:0(0) ack 1 win 65160\n"
				      "+0.001 c > . ack 1 win 502\n"
				      "+0.010 c > F. 1:1(0) ack 1\n"
				      "+0.047 s > . ack 2\n"
				      "+0.300 s > F. 1:1(0) ack 2\n" /* 6 */
				      "+0.207 s > F. 1:1(0) ack 2\n"
				      "+0.208 s > F. 1:1(0) ack 2\n"
				      "+0.424 s > F. 1:1(0) ack 2\n"
				      "+0.832 s > F. 1:1(0) ack 2\n" /* 10 */
				      "+0.001 c > . ack 2\n";        /* 11 */

static void test_fin_backoff_with_tlp(void **state)
{
	struct run *r = run(fin_tlp_backoff);
	const struct endpoint_timers *t = &r->flows[0].ep[ROLE_SERVER].timers;
	const struct anomaly *a = find(r, ANOM_MISSING_ACK, NULL);

	(void)state;
	assert_int_equal(t->fin_retries, 4);
	assert_true(t->fin_rto_first_ns > 206000000 &&
		    t->fin_rto_first_ns < 208000000);
	assert_true(t->rto_doubles);
	assert_non_null(a);
	assert_int_equal(a->frame, 6);
	assert_int_equal(a->count, 4);
	assert_int_equal(a->ref_frame, 11);
	free(r);
}

static const char data_never_acked[] =
	"options auto\n"
	"0.000 c > S 0:0(0) win 64240\n"
	"+0.001 s > S. 0:0(0) ack 1 win 65160\n"
	"+0.001 c > . ack 1 win 502\n"
	"+0.010 c > P. 1:11(10) ack 1\n" /* 4: acknowledged */
	"+0.001 s > . ack 11 win 509\n"
	"+0.010 c > P. 11:111(100) ack 1\n" /* 6: never acknowledged */
	"+0.300 c > P. 11:111(100) ack 1\n" /* 7: RTO */
	"+2.000 s > P. 1:6(5) ack 11\n";    /* 8: the capture goes on */

static void test_missing_ack_data(void **state)
{
	struct run *r = run(data_never_acked);
	const struct anomaly *a = find(r, ANOM_MISSING_ACK, NULL);

	(void)state;
	assert_non_null(a);
	assert_int_equal(a->frame, 6);
	assert_int_equal(a->value & 0xf, 0); /* data */
	assert_int_equal(a->count, 1);
	assert_int_equal(a->endpoint, ROLE_SERVER);
	assert_int_equal(count(r, ANOM_RETRANSMISSION), 1);
	free(r);

	/* the same, but the capture ends right after: within --ack-timeout */
	{
		char *s = strdup(data_never_acked);
		char *cut = strstr(s, "+2.000");

		*cut = '\0';
		r = run(s);
		assert_int_equal(count(r, ANOM_MISSING_ACK), 0);
		free(r);
		free(s);
	}
}

static void test_premature_close_rst(void **state)
{
	struct run *r = run_fix("rst_abort");
	const struct anomaly *a = find(r, ANOM_PREMATURE_CLOSE, NULL);
	char msg[512];

	(void)state;
	assert_non_null(a);
	assert_int_equal(count(r, -1), 1);
	assert_int_equal(a->frame, 10);
	assert_int_equal(a->endpoint, ROLE_CLIENT);
	assert_int_equal(a->state[ROLE_CLIENT], TCP_ST_ESTABLISHED);
	assert_int_equal(a->state[ROLE_SERVER], TCP_ST_ESTABLISHED);
	describe(r, ANOM_PREMATURE_CLOSE, msg, sizeof(msg));
	assert_non_null(strstr(msg, "client aborted the connection with RST "
				    "(frame 10) in ESTABLISHED without a FIN"));
	assert_non_null(strstr(msg, "; the server was in ESTABLISHED"));
	free(r);
}

static void test_premature_close_in_close(void **state)
{
	struct run *r = run_fix("rst_in_close");
	const struct anomaly *a = find(r, ANOM_PREMATURE_CLOSE, NULL);

	(void)state;
	assert_non_null(a);
	assert_int_equal(a->frame, 9);
	assert_int_equal(a->endpoint, ROLE_CLIENT);
	assert_int_equal(a->state[ROLE_CLIENT], TCP_ST_FIN_WAIT_2);
	assert_int_equal(a->state[ROLE_SERVER], TCP_ST_CLOSE_WAIT);
	/* the client never acknowledged the 200 bytes, but they came after
	 * its FIN: refused by a closed socket, not unread data */
	assert_int_equal(a->cause, CAUSE_PREMATURE_CLOSE_REFUSED);
	assert_int_equal(a->ref_frame, 8);
	/* the bare RST here aborts a live connection of its own: not the
	 * half-open answer of a side that lost its connection */
	assert_int_equal(count(r, ANOM_HALF_OPEN), 0);
	free(r);
}

static const char fin_in_handshake[] = "0.000 c > S 0:0(0) win 64240\n"
				       "+0.001 s > S. 0:0(0) ack 1 win 65160\n"
				       "+0.001 s > F. 1:1(0) ack 1\n";

static void test_premature_close_fin_in_handshake(void **state)
{
	struct run *r = run(fin_in_handshake);
	const struct anomaly *a = find(r, ANOM_PREMATURE_CLOSE, NULL);

	(void)state;
	assert_non_null(a);
	assert_int_equal(a->frame, 3);
	assert_int_equal(a->endpoint, ROLE_SERVER);
	assert_int_equal(a->value, 1);
	free(r);
}

static void test_lingering_close_wait(void **state)
{
	struct run *r = run_fix("close_wait_linger");
	const struct flow_record *f = NULL;
	const struct anomaly *a = find(r, ANOM_LINGERING_CLOSE_WAIT, &f);
	char msg[512];

	(void)state;
	assert_non_null(a);
	assert_int_equal(count(r, -1), 1);
	assert_int_equal(a->frame, 8);
	assert_int_equal(a->endpoint, ROLE_SERVER);
	assert_int_equal(a->cause,
			 CAUSE_LINGERING_STILL); /* still there at the end */
	assert_true(a->duration_ns > 29LL * NS_PER_SEC);
	anomaly_describe(f, a, msg, sizeof(msg));
	assert_non_null(strstr(msg, "server stayed in CLOSE_WAIT for"));
	free(r);
}

static const char close_wait_then_close[] =
	"0.000 c > S 0:0(0) win 64240\n"
	"+0.001 s > S. 0:0(0) ack 1 win 65160\n"
	"+0.001 c > . ack 1 win 502\n"
	"+0.010 c > F. 1:1(0) ack 1\n"
	"+0.001 s > . ack 2\n"             /* 5: CLOSE_WAIT */
	"+3.000 s > P. 1:101(100) ack 2\n" /* 6: still writing */
	"+0.001 c > R 2:2(0) win 0\n";

static void test_close_wait_with_data_is_not_lingering(void **state)
{
	struct run *r = run(close_wait_then_close);

	(void)state;
	/* half-close with data 3 s later: not lingering (5 s) */
	assert_int_equal(count(r, ANOM_LINGERING_CLOSE_WAIT), 0);
	free(r);

	/* 6 s between its FIN's ACK and its FIN: lingering, and it closed */
	r = run("0.000 c > S 0:0(0) win 64240\n"
		"+0.001 s > S. 0:0(0) ack 1 win 65160\n"
		"+0.001 c > . ack 1 win 502\n"
		"+0.010 c > F. 1:1(0) ack 1\n"
		"+0.001 s > . ack 2\n"
		"+6.000 s > F. 1:1(0) ack 2\n"
		"+0.001 c > . ack 2\n");
	assert_int_equal(count(r, -1), 1);
	{
		const struct anomaly *a =
			find(r, ANOM_LINGERING_CLOSE_WAIT, NULL);

		char msg[512];

		assert_non_null(a);
		assert_int_equal(a->frame, 5);
		assert_int_equal(a->ref_frame, 6);
		assert_int_equal(a->cause, CAUSE_LINGERING_FIN);
		assert_int_equal(a->count, 1); /* its own FIN */
		/* it did call close(), late (audit fixture a_linger_closed) */
		describe(r, ANOM_LINGERING_CLOSE_WAIT, msg, sizeof(msg));
		print_message("%s\n", msg);
		assert_non_null(strstr(msg,
				       "after acknowledging the client's "
				       "FIN (frame 5), silent until its "
				       "own FIN (frame 6): the application "
				       "called close() late"));
		assert_null(strstr(msg, "did not call close()"));
	}
	free(r);

	/* 6 s of silence that end in data, then its FIN: the application was
	 * at work (audit fixture b_linger_data); the clock restarts at the
	 * data and its FIN follows 10 ms later */
	r = run("0.000 c > S 0:0(0) win 64240\n"
		"+0.001 s > S. 0:0(0) ack 1 win 65160\n"
		"+0.001 c > . ack 1 win 502\n"
		"+0.010 c > F. 1:1(0) ack 1\n"
		"+0.001 s > . ack 2\n"
		"+6.000 s > P. 1:101(100) ack 2\n"
		"+0.001 c > . ack 101\n"
		"+0.010 s > F. 101:101(0) ack 2\n"
		"+0.001 c > . ack 102\n");
	assert_int_equal(count(r, -1), 0);
	free(r);

	/* data, then 6 s of silence until the peer resets: lingering since
	 * the data, and the message says so */
	r = run("0.000 c > S 0:0(0) win 64240\n"
		"+0.001 s > S. 0:0(0) ack 1 win 65160\n"
		"+0.001 c > . ack 1 win 502\n"
		"+0.010 c > F. 1:1(0) ack 1\n"
		"+0.001 s > . ack 2\n"
		"+1.000 s > P. 1:101(100) ack 2\n" /* 6 */
		"+0.001 c > . ack 101\n"
		"+6.000 c > R 2:2(0) win 0\n"); /* 8 */
	{
		const struct anomaly *a =
			find(r, ANOM_LINGERING_CLOSE_WAIT, NULL);
		char msg[512];

		assert_non_null(a);
		assert_int_equal(a->frame, 6);
		assert_int_equal(a->value, 1); /* since its data */
		assert_int_equal(a->ref_frame, 8);
		assert_int_equal(a->count, 3); /* the peer's RST */
		describe(r, ANOM_LINGERING_CLOSE_WAIT, msg, sizeof(msg));
		print_message("%s\n", msg);
		assert_non_null(strstr(msg,
				       "server stayed in CLOSE_WAIT for "
				       "6.0 s after its last data (frame "
				       "6), sending neither more data nor "
				       "its own FIN until the client reset "
				       "the connection (frame 8)"));
	}
	free(r);
}

static void test_keepalive_burst(void **state)
{
	struct run *r = run_fix("keepalive_unanswered");
	const struct flow_record *f = NULL;
	const struct anomaly *a = find(r, ANOM_KEEPALIVE_BURST, &f);
	const struct endpoint_record *c;
	char msg[512];

	(void)state;
	assert_non_null(a);
	assert_int_equal(count(r, -1),
			 1); /* the RST is the give-up, not an abort */
	assert_int_equal(a->frame, 7);
	assert_int_equal(a->endpoint, ROLE_SERVER);
	assert_int_equal(a->count, 4);
	assert_int_equal(a->cause,
			 CAUSE_KEEPALIVE_PROBER_RST); /* the client reset it */
	assert_int_equal(a->ref_frame, 11);
	c = &f->ep[ROLE_CLIENT];
	assert_int_equal(c->keepalive_probes, 4);
	assert_int_equal(c->keepalive_answered, 0);
	assert_int_equal(c->timers.keepalive_probes, 4);
	assert_true(c->timers.keepalive_interval_ns > 74LL * NS_PER_SEC &&
		    c->timers.keepalive_interval_ns < 76LL * NS_PER_SEC);
	anomaly_describe(f, a, msg, sizeof(msg));
	print_message("%s\n", msg);
	assert_non_null(strstr(msg, "Linux defaults"));
	free(r);
}

/* Probes into silence: the capture ends with the last one unanswered. */
static const char keepalive_silence[] =
	"0.000 c > S 0:0(0) win 64240\n"
	"+0.001 s > S. 0:0(0) ack 1 win 65160\n"
	"+0.001 c > . ack 1 win 502\n"
	"+0.001 c > P. 1:11(10) ack 1\n"
	"+0.001 s > . ack 11 win 509\n"
	"+10 c > . 10:10(0) ack 1\n" /* 6: probes, 2 s apart */
	"+2 c > . 10:10(0) ack 1\n"
	"+2 c > . 10:10(0) ack 1\n"
	"+2 c > . 10:10(0) ack 1\n"; /* 9 */

/* The peer lost the connection: after three unanswered probes it answers
 * the fourth with a bare RST (RFC 9293 §3.5.2). */
static const char keepalive_peer_rst[] =
	"0.000 c > S 0:0(0) win 64240\n"
	"+0.001 s > S. 0:0(0) ack 1 win 65160\n"
	"+0.001 c > . ack 1 win 502\n"
	"+0.001 c > P. 1:11(10) ack 1\n"
	"+0.001 s > . ack 11 win 509\n"
	"+10 c > . 10:10(0) ack 1\n" /* 6 */
	"+2 c > . 10:10(0) ack 1\n"
	"+2 c > . 10:10(0) ack 1\n"
	"+2 c > . 10:10(0) ack 1\n"    /* 9 */
	"+0.001 s > R 1:1(0) win 0\n"; /* 10 */

static void test_keepalive_endings(void **state)
{
	struct run *r = run(keepalive_silence);
	const struct anomaly *a = find(r, ANOM_KEEPALIVE_BURST, NULL);

	(void)state;
	assert_non_null(a);
	assert_int_equal(a->frame, 6);
	assert_int_equal(a->count, 4);
	assert_int_equal(a->cause, CAUSE_KEEPALIVE_SILENCE); /* silence */
	assert_int_equal(a->ref_frame, 9);
	assert_int_equal(a->value, 2000); /* interval, ms */
	assert_int_equal(r->flows[0].ep[ROLE_CLIENT].timers.keepalive_idle_ns,
			 10LL * NS_PER_SEC);
	free(r);

	r = run(keepalive_peer_rst);
	a = find(r, ANOM_KEEPALIVE_BURST, NULL);
	assert_non_null(a);
	assert_int_equal(a->count, 4);
	assert_int_equal(
		a->cause,
		CAUSE_KEEPALIVE_PEER_RST); /* the peer answered with RST */
	assert_int_equal(a->ref_frame, 10);
	a = find(r, ANOM_HALF_OPEN, NULL);
	assert_non_null(a);
	assert_int_equal(a->frame, 10);
	assert_int_equal(count(r, ANOM_PREMATURE_CLOSE), 0);
	free(r);

	/* two unanswered probes stay under --keepalive-burst 3 */
	{
		char *s = strdup(keepalive_silence);
		char *cut = strstr(s, "+2 c > .");

		assert_non_null(cut);
		cut = strstr(cut + 1, "+2 c > ."); /* keep probes 6 and 7 */
		assert_non_null(cut);
		*cut = '\0';
		r = run(s);
		assert_int_equal(count(r, ANOM_KEEPALIVE_BURST), 0);
		assert_int_equal(r->flows[0].ep[ROLE_CLIENT].keepalive_probes,
				 2);
		free(r);
		free(s);
	}
}

/* One probe, answered by the peer's RST, with --keepalive-burst 1: the RST
 * makes it the first unanswered probe of its run, and the burst names it
 * (fuzz_fsm found the burst raised with frame 0:
 * testdata/regress/fsm-ka-burst-frame0.bin). */
static void test_keepalive_single_probe_peer_rst(void **state)
{
	struct analyzer_config cfg;
	struct run *r;
	const struct anomaly *a;

	(void)state;
	analyzer_config_defaults(&cfg);
	cfg.max_flows = 16;
	cfg.keepalive_burst = 1;
	r = run_cfg("0.000 c > S 0:0(0) win 64240\n"
		    "+0.001 s > S. 0:0(0) ack 1 win 65160\n"
		    "+0.001 c > . ack 1 win 502\n"
		    "+0.001 c > P. 1:11(10) ack 1\n"
		    "+0.001 s > . ack 11 win 509\n"
		    "+10 c > . 10:10(0) ack 1\n"   /* 6: the probe */
		    "+0.001 s > R 1:1(0) win 0\n", /* 7 */
		    &cfg);
	a = find(r, ANOM_KEEPALIVE_BURST, NULL);
	assert_non_null(a);
	assert_int_equal(a->frame, 6);
	assert_int_equal(a->count, 1);
	assert_int_equal(
		a->cause,
		CAUSE_KEEPALIVE_PEER_RST); /* the peer answered with RST */
	assert_int_equal(a->ref_frame, 7);
	free(r);
}

/* The server's answers to the client's probes are dropped after the capture
 * point (an nft input rule on the client, seen on Linux): the
 * capture shows three probes 1 s apart, each answered within 50 us, then the
 * client's RST 1 s after the third. That is the keepalive timer giving up,
 * not an abortive close: keepalive_burst (medium), no premature_close. */
static const char keepalive_answers_lost[] =
	"0.000 c > S 0:0(0) win 64240\n"
	"+0.001 s > S. 0:0(0) ack 1 win 65160\n"
	"+0.001 c > . ack 1 win 502\n"
	"+0.001 c > P. 1:3(2) ack 1\n"
	"+0.001 s > . ack 3 win 509\n"
	"+1.0 c > . 2:2(0) ack 1\n" /* 6: probes, 1.024 s apart */
	"+0.00005 s > . ack 3\n"
	"+1.024 c > . 2:2(0) ack 1\n" /* 8 */
	"+0.00005 s > . ack 3\n"
	"+1.024 c > . 2:2(0) ack 1\n" /* 10 */
	"+0.00005 s > . ack 3\n"
	"+1.024 c > R. 3:3(0) ack 1\n"; /* 12 */

static void test_keepalive_answers_lost(void **state)
{
	struct run *r = run(keepalive_answers_lost);
	const struct flow_record *f = NULL;
	const struct anomaly *a = find(r, ANOM_KEEPALIVE_BURST, &f);
	char msg[512];

	(void)state;
	assert_non_null(a);
	assert_int_equal(count(r, -1), 1);
	assert_int_equal(count(r, ANOM_PREMATURE_CLOSE), 0);
	assert_int_equal(a->frame, 6);
	assert_int_equal(a->ref_frame, 12);
	assert_int_equal(a->endpoint, ROLE_SERVER);
	assert_int_equal(a->count, 3);
	assert_int_equal(a->cause, CAUSE_KEEPALIVE_ANSWERS_LOST);
	assert_int_equal(a->value, 1024);
	assert_int_equal(a->confidence, CONF_MEDIUM);
	assert_int_equal(f->ep[ROLE_CLIENT].keepalive_probes, 3);
	assert_int_equal(f->ep[ROLE_CLIENT].keepalive_answered, 3);
	assert_int_equal(f->ep[ROLE_CLIENT].timers.keepalive_probes, 3);
	anomaly_describe(f, a, msg, sizeof(msg));
	assert_non_null(strstr(msg, "answers were captured but evidently did "
				    "not reach the client: lost after the "
				    "capture point"));
	assert_null(strstr(msg, "SO_LINGER"));
	free(r);

	/* the same RST well before the interval was up: the application
	 * aborted (premature_close), the keepalive timer had not fired */
	{
		char *s = strdup(keepalive_answers_lost);
		char *rst = strstr(s, "+1.024 c > R.");

		assert_non_null(rst);
		memcpy(rst, "+0.100", 6);
		r = run(s);
		assert_int_equal(count(r, ANOM_KEEPALIVE_BURST), 0);
		assert_int_equal(count(r, ANOM_PREMATURE_CLOSE), 1);
		free(r);
		free(s);
	}
	/* data between the probes ends the chain: two answered probes
	 * around it are no run the timer could give up on */
	{
		r = run("0.000 c > S 0:0(0) win 64240\n"
			"+0.001 s > S. 0:0(0) ack 1 win 65160\n"
			"+0.001 c > . ack 1 win 502\n"
			"+0.001 c > P. 1:3(2) ack 1\n"
			"+0.001 s > . ack 3 win 509\n"
			"+1.0 c > . 2:2(0) ack 1\n"
			"+0.00005 s > . ack 3\n"
			"+0.5 s > P. 1:11(10) ack 3\n"
			"+0.0001 c > . ack 11\n"
			"+1.0 c > . 10:10(0) ack 11\n"
			"+0.00005 s > . ack 3\n"
			"+1.0 c > R. 3:3(0) ack 11\n");
		assert_int_equal(count(r, ANOM_KEEPALIVE_BURST), 0);
		assert_int_equal(count(r, ANOM_PREMATURE_CLOSE), 1);
		free(r);
	}
}

/* Live capture: the analyzer's tick reports a lingering CLOSE_WAIT while
 * the flow is still open, once. */
static void test_lingering_on_tick(void **state)
{
	struct run *r = calloc(1, sizeof(*r));
	struct analyzer_sink sink = {on_flow, on_anomaly, NULL, NULL};
	struct analyzer_config cfg;
	char err[256];
	int64_t base = 1700000000LL * NS_PER_SEC;

	(void)state;
	assert_non_null(r);
	analyzer_config_defaults(&cfg);
	cfg.max_flows = 16;
	sink.ctx = r;
	r->az = analyzer_new(&cfg, &sink, err, sizeof(err));
	assert_non_null(r->az);
	assert_int_equal(
		fixture_compile("0.000 c > S 0:0(0) win 64240\n"
				"+0.001 s > S. 0:0(0) ack 1 win 65160\n"
				"+0.001 c > . ack 1 win 502\n"
				"+0.010 c > F. 1:1(0) ack 1\n"
				"+0.001 s > . ack 2\n",
				emit, r, &r->dlt, err, sizeof(err)),
		0);
	analyzer_tick(r->az, base + 3LL * NS_PER_SEC);
	assert_int_equal(r->streamed, 0);
	analyzer_tick(r->az, base + 6LL * NS_PER_SEC);
	assert_int_equal(r->streamed, 1);
	/* streamed at the tick: still there now, not "when the capture ended" */
	assert_int_equal(r->last_streamed.cause, CAUSE_LINGERING_LIVE);
	assert_true(r->last_streamed.duration_ns > 5 * NS_PER_SEC);
	assert_true(r->last_streamed.duration_ns < 6 * NS_PER_SEC);
	assert_non_null(strstr(r->last_message, "still there (live capture)"));
	assert_null(strstr(r->last_message, "capture ended"));
	analyzer_tick(r->az, base + 9LL * NS_PER_SEC);
	analyzer_finish(r->az);
	analyzer_free(r->az);
	assert_int_equal(r->streamed, 1);
	assert_int_equal(count(r, ANOM_LINGERING_CLOSE_WAIT), 1);
	/* the final record: the whole stay, to the end of the capture */
	{
		const struct anomaly *a =
			find(r, ANOM_LINGERING_CLOSE_WAIT, NULL);

		assert_int_equal(a->cause, CAUSE_LINGERING_STILL);
		/* from its ACK of the FIN (0.013 s) to the end (9 s) */
		assert_int_equal(a->duration_ns,
				 9 * NS_PER_SEC - 13 * NS_PER_MS);
	}
	free(r);
}

/* Live capture: a CLOSE_WAIT reported at a tick that then ends with the
 * endpoint's own FIN: the final record says it closed late, and when. */
static void test_lingering_on_tick_then_closed(void **state)
{
	struct run *r = calloc(1, sizeof(*r));
	struct analyzer_sink sink = {on_flow, on_anomaly, NULL, NULL};
	struct analyzer_config cfg;
	char err[256];
	int64_t base = 1700000000LL * NS_PER_SEC;

	(void)state;
	assert_non_null(r);
	analyzer_config_defaults(&cfg);
	cfg.max_flows = 16;
	sink.ctx = r;
	r->az = analyzer_new(&cfg, &sink, err, sizeof(err));
	assert_non_null(r->az);
	assert_int_equal(
		fixture_compile("0.000 c > S 0:0(0) win 64240\n"
				"+0.001 s > S. 0:0(0) ack 1 win 65160\n"
				"+0.001 c > . ack 1 win 502\n"
				"+0.010 c > F. 1:1(0) ack 1\n"
				"+0.001 s > . ack 2\n",
				emit, r, &r->dlt, err, sizeof(err)),
		0);
	analyzer_tick(r->az, base + 6LL * NS_PER_SEC);
	assert_int_equal(r->streamed, 1);
	assert_int_equal(r->last_streamed.cause, CAUSE_LINGERING_LIVE);
	assert_int_equal(fixture_compile("10.013 s > F. 1:1(0) ack 2\n"
					 "+0.001 c > . ack 2\n",
					 emit, r, &r->dlt, err, sizeof(err)),
			 0);
	analyzer_finish(r->az);
	analyzer_free(r->az);
	assert_int_equal(r->streamed, 1);
	{
		const struct anomaly *a =
			find(r, ANOM_LINGERING_CLOSE_WAIT, NULL);

		assert_non_null(a);
		assert_int_equal(a->cause, CAUSE_LINGERING_FIN);
		assert_int_equal(a->duration_ns, 10 * NS_PER_SEC);
		assert_int_equal(a->ref_frame, 6);
	}
	free(r);
}

/* Live capture: unanswered probes are reported once the latest is overdue,
 * and only once. */
static void test_keepalive_burst_on_tick(void **state)
{
	struct run *r = calloc(1, sizeof(*r));
	struct analyzer_sink sink = {on_flow, on_anomaly, NULL, NULL};
	struct analyzer_config cfg;
	char err[256];
	int64_t last = 1700000000LL * NS_PER_SEC + 16003000000LL; /* frame 9 */

	(void)state;
	assert_non_null(r);
	analyzer_config_defaults(&cfg);
	cfg.max_flows = 16;
	sink.ctx = r;
	r->az = analyzer_new(&cfg, &sink, err, sizeof(err));
	assert_non_null(r->az);
	assert_int_equal(fixture_compile(keepalive_silence, emit, r, &r->dlt,
					 err, sizeof(err)),
			 0);
	analyzer_tick(r->az, last + 3LL * NS_PER_SEC); /* < 2 x 2 s */
	assert_int_equal(r->streamed, 0);
	analyzer_tick(r->az, last + 5LL * NS_PER_SEC);
	assert_int_equal(r->streamed, 1);
	analyzer_finish(r->az);
	analyzer_free(r->az);
	assert_int_equal(r->streamed, 1);
	{
		const struct anomaly *a = find(r, ANOM_KEEPALIVE_BURST, NULL);

		assert_non_null(a);
		assert_int_equal(a->frame, 6);
		assert_int_equal(a->count, 4);
		assert_int_equal(a->cause, CAUSE_KEEPALIVE_SILENCE);
	}
	free(r);
}

/* --- handshake anomalies ------------------------------------------------- */

static void test_handshake_verdicts(void **state)
{
	struct run *r;
	const struct anomaly *a;

	(void)state;
	r = run_fix("syn_unanswered");
	a = find(r, ANOM_SYN_UNANSWERED, NULL);
	assert_non_null(a);
	assert_int_equal(a->frame, 1);
	assert_int_equal(a->count, 6);
	assert_int_equal(r->flows[0].ep[ROLE_CLIENT].timers.syn_retries, 6);
	assert_true(r->flows[0].ep[ROLE_CLIENT].timers.rto_doubles);
	assert_int_equal(count(r, ANOM_SYN_UNANSWERED), 1);
	{
		char msg[512];

		describe(r, ANOM_SYN_UNANSWERED, msg, sizeof(msg));
		assert_non_null(strstr(msg, "retransmitted it 6 times over"));
		assert_non_null(strstr(msg, "doubling each time: Linux's "
					    "default tcp_syn_retries = 6"));
	}
	free(r);

	r = run_fix("syn_refused");
	a = find(r, ANOM_REJECTED, NULL);
	assert_non_null(a);
	assert_int_equal(a->frame, 2);
	assert_int_equal(a->ref_frame, 1);
	assert_int_equal(count(r, ANOM_PREMATURE_CLOSE), 0);
	free(r);

	r = run_fix("synack_unacked");
	a = find(r, ANOM_HALF_OPEN, NULL);
	assert_non_null(a);
	assert_int_equal(a->frame, 2);
	assert_int_equal(a->count, 5);
	{
		char msg[512];

		describe(r, ANOM_HALF_OPEN, msg, sizeof(msg));
		assert_non_null(strstr(msg, "tcp_synack_retries = 5"));
	}
	/* never acknowledged at all: half_open, not also missing_ack */
	assert_int_equal(count(r, ANOM_MISSING_ACK), 0);
	free(r);
}

/* The server acknowledged all 10 bytes of data and aborts with the
 * client's FIN unacknowledged (audit fixture i_fin_rtx_rst): the FIN is no
 * unread data. */
static void test_premature_close_unacked_fin_is_not_data(void **state)
{
	struct run *r = run(fin_rtx_rst);
	const struct anomaly *a = find(r, ANOM_PREMATURE_CLOSE, NULL);
	char msg[512];

	(void)state;
	assert_non_null(a);
	assert_int_equal(a->frame, 10);
	assert_int_equal(a->endpoint, ROLE_SERVER);
	assert_int_equal(a->cause, CAUSE_PREMATURE_CLOSE_RST);
	describe(r, ANOM_PREMATURE_CLOSE, msg, sizeof(msg));
	assert_null(strstr(msg, "never acknowledged"));
	free(r);

	/* 10 more bytes before the FIN, never acknowledged: unread data */
	r = run("0.000 c > S 0:0(0) win 64240\n"
		"+0.001 s > S. 0:0(0) ack 1 win 65160\n"
		"+0.001 c > . ack 1 win 502\n"
		"+0.010 c > P. 1:11(10) ack 1\n"
		"+0.001 s > . ack 11 win 509\n"
		"+0.100 c > FP. 11:21(10) ack 1\n"
		"+0.100 s > R. 1:1(0) ack 11\n");
	a = find(r, ANOM_PREMATURE_CLOSE, NULL);
	assert_non_null(a);
	assert_int_equal(a->cause, CAUSE_PREMATURE_CLOSE_UNREAD);
	free(r);
}

#define DATA_AFTER_CLOSE                                                       \
	"0.000 c > S 0:0(0) win 64240\n"                                       \
	"+0.001 s > S. 0:0(0) ack 1 win 65160\n"                               \
	"+0.001 c > . ack 1 win 502\n"                                         \
	"+0.001 c > P. 1:1001(1000) ack 1\n"                                   \
	"+0.001 s > . ack 1001 win 509\n"                                      \
	"%s"                                                                   \
	"+0.001 s > F. 1:1(0) ack %s\n"                                        \
	"+0.003 c > . ack 2\n"                                                 \
	"+0.002 c > P. %s:%s(1000) ack 2\n"                                    \
	"+0.001 s > R 2:2(0) win 0\n"

/* The server closes after reading everything; the client's next data
 * arrives after the server's FIN and the server answers with a bare RST
 * (seen on Linux with close() and shutdown(SHUT_RDWR)): the data was refused because
 * the server's receive side was closed (RFC 9293 §3.10.7.4), not unread
 * at close. Data the server had received before its FIN and never
 * acknowledged is still unread. */
static void test_premature_close_data_after_close(void **state)
{
	char buf[1024];
	struct run *r;
	const struct anomaly *a;
	char msg[512];

	(void)state;
	snprintf(buf, sizeof(buf), DATA_AFTER_CLOSE, "", "1001", "1001",
		 "2001");
	r = run(buf);
	a = find(r, ANOM_PREMATURE_CLOSE, NULL);
	assert_non_null(a);
	assert_int_equal(a->frame, 9);
	assert_int_equal(a->endpoint, ROLE_SERVER);
	assert_int_equal(a->state[ROLE_SERVER], TCP_ST_FIN_WAIT_2);
	assert_int_equal(a->cause, CAUSE_PREMATURE_CLOSE_REFUSED);
	assert_int_equal(a->ref_frame, 8);
	describe(r, ANOM_PREMATURE_CLOSE, msg, sizeof(msg));
	assert_non_null(strstr(msg, "the client's data arrived after it had "
				    "closed (frame 8) and was refused with "
				    "RST"));
	assert_null(strstr(msg, "unread"));
	free(r);

	/* 10 more bytes before the server's FIN, never acknowledged: those
	 * were unread when it closed */
	snprintf(buf, sizeof(buf), DATA_AFTER_CLOSE,
		 "+0.001 c > P. 1001:1011(10) ack 1\n", "1001", "1011", "2011");
	r = run(buf);
	a = find(r, ANOM_PREMATURE_CLOSE, NULL);
	assert_non_null(a);
	assert_int_equal(a->cause, CAUSE_PREMATURE_CLOSE_UNREAD);
	describe(r, ANOM_PREMATURE_CLOSE, msg, sizeof(msg));
	assert_non_null(strstr(msg, "closed with unread data?"));
	free(r);
}

/* A capture of one RST (tcpdump/tcp_rst_data.pcap): both states unknown,
 * nothing shows a connection was open: low confidence, and the message
 * names no UNKNOWN state. */
static void test_premature_close_single_rst(void **state)
{
	struct run *r = run("isn client 1000 server 5000\n"
			    "0.000 s > R. 1:59(58) ack 1 win 0\n");
	const struct anomaly *a = find(r, ANOM_PREMATURE_CLOSE, NULL);
	char msg[512];

	(void)state;
	assert_non_null(a);
	assert_int_equal(a->frame, 1);
	assert_int_equal(a->confidence, CONF_LOW);
	describe(r, ANOM_PREMATURE_CLOSE, msg, sizeof(msg));
	print_message("%s\n", msg);
	assert_null(strstr(msg, "UNKNOWN"));
	assert_non_null(strstr(msg, "server sent a RST (frame 1)"));
	assert_non_null(strstr(msg, "the RST carries 58 bytes"));
	free(r);

	/* mid-stream, but the client's data shows the connection open */
	r = run("isn client 1000 server 5000\n"
		"0.000 c > P. 1:11(10) ack 1\n"
		"+0.010 s > R. 1:1(0) ack 11 win 0\n");
	a = find(r, ANOM_PREMATURE_CLOSE, NULL);
	assert_non_null(a);
	assert_int_equal(a->confidence, CONF_HIGH);
	free(r);
}

/* The client gives up its own attempt with a RST 0.3 ms after the SYN
 * (a cancelled connect(): zeek/tcp/syn-then-rst.pcap): the server had no
 * time to answer, so that is no syn_unanswered error. A client that resets
 * after its SYNs went unanswered for longer than --ack-timeout (a connect
 * timeout) still is. */
static void test_syn_cancelled_by_client(void **state)
{
	struct run *r;

	(void)state;
	r = run("isn client 1000 server 5000\n"
		"0.000 c > S 0:0(0) win 64240\n"
		"+0.0003 c > R 1:1(0) win 0\n");
	assert_int_equal(r->flows[0].handshake, HS_UNANSWERED);
	assert_int_equal(count(r, ANOM_SYN_UNANSWERED), 0);
	free(r);

	r = run("isn client 1000 server 5000\n"
		"0.000 c > S 0:0(0) win 64240\n"
		"+1.0 c > S 0:0(0) win 64240\n"
		"+2.0 c > R 1:1(0) win 0\n");
	assert_int_equal(count(r, ANOM_SYN_UNANSWERED), 1);
	free(r);
}

/* Options the decoder cannot walk: malformed, once per direction, at the
 * first such segment of each sender; the flow is otherwise clean. */
static void test_malformed_options(void **state)
{
	struct run *r = run_fix("bad_options");
	const struct anomaly *a;

	(void)state;
	assert_int_equal(count(r, ANOM_MALFORMED), 2);
	a = find(r, ANOM_MALFORMED, NULL);
	assert_int_equal(a->frame, 3);
	assert_int_equal(a->endpoint, ROLE_CLIENT);
	assert_int_equal(count(r, -1), 2);
	assert_int_equal(r->flows[0].handshake, HS_COMPLETE);
	free(r);
}

static void test_half_open_bare_rst(void **state)
{
	struct run *r = run_fix("half_open_rst");
	const struct anomaly *a = find(r, ANOM_HALF_OPEN, NULL);

	(void)state;
	assert_non_null(a);
	assert_int_equal(a->frame, 8);
	assert_int_equal(a->ref_frame, 7);
	assert_int_equal(a->endpoint, ROLE_SERVER);
	assert_int_equal(a->value, 1);
	assert_int_equal(count(r, ANOM_PREMATURE_CLOSE), 0);
	free(r);
}

/* A real connect() timeout: the server's SYN-ACKs are dropped after the
 * capture point; the client resends its SYN twice, its connect() times out
 * and its bare RST answers the late SYN-ACK. It never had the connection:
 * it gave up connecting, no crash or reboot. */
static const char conn_timeout[] = "isn client 1000 server 5000\n"
				   "0.000 c > S 0:0(0) win 64240\n"
				   "+0.00002 s > S. 0:0(0) ack 1 win 65160\n"
				   "+1.0 s > S. 0:0(0) ack 1 win 65160\n"
				   "+0.00001 c > S 0:0(0) win 64240\n"
				   "+0.00001 s > S. 0:0(0) ack 1 win 65160\n"
				   "+1.0 c > S 0:0(0) win 64240\n"
				   "+0.00002 s > S. 0:0(0) ack 1 win 65160\n"
				   "+2.0 s > S. 0:0(0) ack 1 win 65160\n"
				   "+0.00002 c > R 1:1(0) win 0\n";

static void test_half_open_connect_timeout(void **state)
{
	struct run *r = run(conn_timeout);
	const struct anomaly *a = find(r, ANOM_HALF_OPEN, NULL);
	char msg[512];

	(void)state;
	assert_non_null(a);
	assert_int_equal(count(r, ANOM_HALF_OPEN), 1);
	assert_int_equal(a->frame, 9);
	assert_int_equal(a->ref_frame, 8);
	assert_int_equal(a->endpoint, ROLE_CLIENT);
	assert_int_equal(a->value, 1);
	assert_int_equal(a->cause, CAUSE_HALF_OPEN_GAVE_UP_CONNECTING);
	assert_int_equal(a->count, 2);
	describe(r, ANOM_HALF_OPEN, msg, sizeof(msg));
	assert_non_null(strstr(msg, "given up connecting"));
	assert_non_null(strstr(msg, "resent its SYN 2 times"));
	assert_non_null(strstr(msg, "SYN_RECEIVED"));
	assert_null(strstr(msg, "crash"));
	free(r);
}

/* A real TCP_USER_TIMEOUT: the client's data goes unanswered through four
 * retransmissions, then its retries are exhausted (TCP_USER_TIMEOUT); the
 * server's late segment draws a bare RST. A timeout, no crash or reboot. */
static const char user_timeout[] = "isn client 1000 server 5000\n"
				   "0.000 c > S 0:0(0) win 64240\n"
				   "+0.00002 s > S. 0:0(0) ack 1 win 65160\n"
				   "+0.00002 c > . ack 1\n"
				   "+0.00005 c > P. 1:4(3) ack 1\n"
				   "+0.00001 s > . ack 4\n"
				   "+0.005 c > P. 4:13(9) ack 1\n"
				   "+0.2 c > P. 4:13(9) ack 1\n"
				   "+0.2 c > P. 4:13(9) ack 1\n"
				   "+0.4 c > P. 4:13(9) ack 1\n"
				   "+0.8 c > P. 4:13(9) ack 1\n"
				   "+1.8 s > P. 1:5(4) ack 13\n"
				   "+0.00002 c > R abs 1013:1013(0) win 0\n";

static void test_half_open_user_timeout(void **state)
{
	struct run *r = run(user_timeout);
	const struct anomaly *a = find(r, ANOM_HALF_OPEN, NULL);
	char msg[512];

	(void)state;
	assert_non_null(a);
	assert_int_equal(a->frame, 12);
	assert_int_equal(a->ref_frame, 11);
	assert_int_equal(a->endpoint, ROLE_CLIENT);
	assert_int_equal(a->value, 1);
	assert_int_equal(a->cause, CAUSE_HALF_OPEN_GAVE_UP_RTX);
	assert_int_equal(a->count, 4);
	describe(r, ANOM_HALF_OPEN, msg, sizeof(msg));
	assert_non_null(
		strstr(msg, "gave up after 4 unanswered retransmissions"));
	assert_null(strstr(msg, "crash"));
	free(r);
}

/* The server still holds an older connection on the 4-tuple: it answers
 * the new SYN with a challenge ACK, the client resets, and resends. */
static const char challenge_ack[] =
	"isn client 1000 server 5000\n"
	"0.000 c > S 0:0(0) win 64240\n"
	"+0.018 s > . abs 7001:7001(0) ack 99999 win 251\n"
	"+0.0002 c > R abs 99999:99999(0) win 0\n";

static void test_half_open_challenge_ack(void **state)
{
	struct run *r = run(challenge_ack);
	const struct anomaly *a = find(r, ANOM_HALF_OPEN, NULL);
	char msg[512];

	(void)state;
	assert_non_null(a);
	assert_int_equal(a->frame, 2);
	assert_int_equal(a->ref_frame, 1);
	assert_int_equal(a->value, 2);
	assert_int_equal(a->endpoint, ROLE_SERVER);
	/* answered, if oddly: not unanswered; the reset is not an abort */
	assert_int_equal(count(r, ANOM_SYN_UNANSWERED), 0);
	assert_int_equal(count(r, ANOM_PREMATURE_CLOSE), 0);
	describe(r, ANOM_HALF_OPEN, msg, sizeof(msg));
	assert_non_null(strstr(msg, "challenge ACK"));
	free(r);
}

/* The server closed first and is in TIME_WAIT when the client port connects
 * again: its TIME_WAIT answers the new SYN with an ACK of the old numbers,
 * the client resets it and resends its SYN (seen on Linux). That
 * is the time_wait_reuse already reported: no half_open, and the ACK
 * acknowledges the old connection's FIN, which the capture saw: no
 * ack_unseen. */
static void test_time_wait_challenge_ack(void **state)
{
	struct run *r = run_fix("time_wait_challenge");

	(void)state;
	if (count(r, ANOM_HALF_OPEN) != 0 || count(r, ANOM_ACK_UNSEEN) != 0)
		print_all(r);
	assert_int_equal(r->nflows, 2);
	assert_int_equal(count(r, ANOM_TIME_WAIT_REUSE), 1);
	assert_int_equal(count(r, ANOM_HALF_OPEN), 0);
	assert_int_equal(count(r, ANOM_ACK_UNSEEN), 0);
	assert_int_equal(count(r, ANOM_SYN_UNANSWERED), 0);
	assert_int_equal(count(r, ANOM_PREMATURE_CLOSE), 0);
	assert_int_equal(r->flows[1].handshake, HS_COMPLETE);
	free(r);
}

/* The same challenge ACK when the older connection left the client, not
 * the server, in TIME_WAIT: nothing says the server was done with it, so
 * its bare ACK is still a half-open connection's (test_half_open_challenge_ack:
 * no older connection at all). */
static const char tw_client_challenge[] =
	"isn client 1000 server 5000\n"
	"0.000 c > S 0:0(0) win 64240\n"
	"+0.0004 s > S. 0:0(0) ack 1 win 65160\n"
	"+0.00002 c > . ack 1\n"
	"+0.0001 c > F. 1:1(0) ack 1\n"
	"+0.0001 s > F. 1:1(0) ack 2\n"
	"+0.0001 c > . ack 2\n"
	"isn client 500 server 70000\n"
	"+0.0001 c > S 0:0(0) win 64240\n"
	"+0.00001 s > . abs 5002:5002(0) ack 1002\n"
	"+0.00001 c > R abs 1002:1002(0) win 0\n";

static void test_challenge_ack_client_time_wait(void **state)
{
	struct run *r = run(tw_client_challenge);
	const struct anomaly *a = find(r, ANOM_HALF_OPEN, NULL);

	(void)state;
	assert_int_equal(count(r, ANOM_TIME_WAIT_REUSE), 1);
	assert_non_null(a);
	assert_int_equal(a->value, 2);
	free(r);
}

/* After the challenge ACK and the client's RST, the client retries with the
 * same ISN and the server answers this time with a SYN-ACK: its sequence
 * space starts at that SYN-ACK, not at the old connection's challenge ACK.
 * Only the client's SYN is a retransmission; the SYN-ACK, the server's data
 * and its FIN are first transmissions (tls-subjectaltname frames 1996, 2005,
 * 2864, which Wireshark 4.0 also calls retransmissions). */
static const char challenge_ack_retry[] =
	"isn client 1000 server 5000\n"
	"0.000 c > S 0:0(0) win 64240\n"
	"+0.018 s > . abs 7001:7001(0) ack 99999 win 251\n"
	"+0.0002 c > R abs 99999:99999(0) win 0\n"
	"+1.0 c > S 0:0(0) win 64240\n"
	"+0.018 s > S. 0:0(0) ack 1 win 65160\n"
	"+0.001 c > . ack 1\n"
	"+0.01 s > P. 1:101(100) ack 1\n"
	"+0.01 c > . ack 101\n"
	"+0.1 s > F. 101:101(0) ack 1\n"
	"+0.01 c > . ack 102\n";

static void test_challenge_ack_then_synack_no_retransmission(void **state)
{
	struct run *r = run(challenge_ack_retry);
	const struct anomaly *a;

	(void)state;
	if (count(r, ANOM_RETRANSMISSION) != 1)
		print_all(r);
	assert_int_equal(r->nflows, 1);
	assert_int_equal(r->flows[0].handshake, HS_COMPLETE);
	assert_int_equal(count(r, ANOM_RETRANSMISSION), 1);
	a = find(r, ANOM_RETRANSMISSION, NULL);
	assert_int_equal(a->frame, 4);
	assert_int_equal(a->endpoint, ROLE_CLIENT);
	assert_int_equal(count(r, ANOM_OUT_OF_ORDER), 0);
	assert_int_equal(count(r, ANOM_SPURIOUS_RETRANSMISSION), 0);
	assert_int_equal(count(r, ANOM_LOST_SEGMENT), 0);
	free(r);
}

static void test_bad_ack(void **state)
{
	struct run *r = run_fix("bad_ack");
	const struct anomaly *a = find(r, ANOM_BAD_ACK, NULL);

	(void)state;
	assert_non_null(a);
	assert_int_equal(a->frame, 2);
	assert_int_equal(a->endpoint, ROLE_SERVER);
	assert_int_equal(a->value, 5);
	assert_int_equal(count(r, ANOM_BAD_ACK), 1);
	/* the same wrong number is not also an ACK of unseen data */
	assert_int_equal(count(r, ANOM_ACK_UNSEEN), 0);
	free(r);
}

/* TCP Fast Open (RFC 7413): the SYN carries 100 bytes; the SYN-ACK
 * acknowledges them (ISN + 101) or only the SYN (ISN + 1) when the server
 * refused the data. Both are right; beyond the data is a bad_ack. */
static void test_fast_open_synack(void **state)
{
	static const char *const acks[] = {"101", "1", "301"};

	(void)state;
	for (int i = 0; i < 3; i++) {
		char script[512];
		struct run *r;

		snprintf(script, sizeof(script),
			 "isn client 1000 server 5000\n"
			 "0.000 c > S 0:100(100) win 64240\n"
			 "+0.001 s > S. 0:0(0) ack %s win 65160\n"
			 "+0.001 c > . 101:101(0) ack 1\n"
			 "+0.010 c > F. 101:101(0) ack 1\n"
			 "+0.001 s > F. 1:1(0) ack 102\n"
			 "+0.001 c > . 102:102(0) ack 2\n",
			 acks[i]);
		r = run(script);
		/* an ACK beyond the SYN's data is unacceptable in SYN_SENT
		 * (RFC 9293 §3.10.7.3): the client never got there */
		assert_int_equal(r->flows[0].handshake,
				 i == 2 ? HS_INCOMPLETE : HS_COMPLETE);
		assert_int_equal(count(r, ANOM_BAD_ACK), i == 2 ? 1 : 0);
		free(r);
	}
}

/* The first SYN-ACK is lost on its way to the client. Both 1 s timers
 * fire: the server's SYN-ACK retransmission is captured just before the
 * client's repeated SYN, which proves no SYN-ACK had reached the client:
 * the SYN-ACK was lost, not its ACK (no missing_ack). Without the repeated
 * SYN, the same retransmission before the ACK is a missing_ack. */
static void test_synack_lost_not_its_ack(void **state)
{
	struct run *r;

	(void)state;
	r = run("isn client 1000 server 5000\n"
		"0.000 c > S 0:0(0) win 64240\n"
		"+0.0001 s > S. 0:0(0) ack 1 win 65160\n"
		"+1.000 s > S. 0:0(0) ack 1 win 65160\n"
		"+0.00004 c > S 0:0(0) win 64240\n"
		"+0.0001 s > S. 0:0(0) ack 1 win 65160\n"
		"+0.0001 c > . 1:1(0) ack 1\n");
	assert_int_equal(r->flows[0].handshake, HS_COMPLETE);
	assert_int_equal(count(r, ANOM_MISSING_ACK), 0);
	free(r);

	r = run("isn client 1000 server 5000\n"
		"0.000 c > S 0:0(0) win 64240\n"
		"+0.0001 s > S. 0:0(0) ack 1 win 65160\n"
		"+1.000 s > S. 0:0(0) ack 1 win 65160\n"
		"+0.0001 c > . 1:1(0) ack 1\n");
	assert_int_equal(count(r, ANOM_MISSING_ACK), 1);
	free(r);
}

/* A tail-loss probe (RFC 8985) resends the server's FIN 7 ms after the
 * first copy, racing the client's late ACK, which then reports the FIN
 * twice with a D-SACK (RFC 2883): the first copy had arrived, no ACK was
 * lost (seen on a Linux bulk transfer over IPv6 loopback). The same resend
 * after a full RTO, or without the D-SACK, stays a missing_ack. */
static void test_fin_probe_dsack(void **state)
{
	static const char *const cases[][2] = {
		{"+0.007", "<sack {301:302}>"}, /* probe, D-SACK: no finding */
		{"+0.210",
		 "<sack {301:302}>"}, /* an RTO: the ACK was missing */
		{"+0.007", ""},       /* no proof the FIN arrived */
	};

	(void)state;
	for (int i = 0; i < 3; i++) {
		char script[768];
		struct run *r;

		snprintf(
			script, sizeof(script),
			"isn client 1000 server 5000\n"
			"0.000 c > S 0:0(0) win 64240 <mss 1460,sackOK>\n"
			"+0.001 s > S. 0:0(0) ack 1 win 65160 <mss 1460,sackOK>\n"
			"+0.001 c > . 1:1(0) ack 1\n"
			"+0.001 s > P. 1:301(300) ack 1\n"
			"+0.001 c > . 1:1(0) ack 301\n"
			"+0.001 s > F. 301:301(0) ack 1\n"
			"%s s > F. 301:301(0) ack 1\n"
			"+0.0001 c > . 1:1(0) ack 302 %s\n"
			"+0.010 c > F. 1:1(0) ack 302\n"
			"+0.0001 s > . 302:302(0) ack 2\n",
			cases[i][0], cases[i][1]);
		r = run(script);
		assert_int_equal(count(r, ANOM_MISSING_ACK), i == 0 ? 0 : 1);
		free(r);
	}
}

#define DSACK_AFTER_FIN                                                        \
	"isn client 1000 server 5000\n"                                        \
	"0.000 c > S 0:0(0) win 64240 <mss 1460,sackOK>\n"                     \
	"+0.001 s > S. 0:0(0) ack 1 win 65160 <mss 1460,sackOK>\n"             \
	"+0.001 c > . 1:1(0) ack 1\n"                                          \
	"+0.001 c > P. 1:4(3) ack 1\n"                                         \
	"+0.001 s > . 1:1(0) ack 4\n"                                          \
	"+0.001 c > F. 4:4(0) ack 1\n"                                         \
	"+0.001 s > . 1:1(0) ack 5\n"                                          \
	"+0.200 c > F. 4:4(0) ack 1\n"                                         \
	"+0.0001 s > . 1:1(0) ack 5 %s\n" /* 9 */                              \
	"+0.010 s > F. 1:1(0) ack 5\n"                                         \
	"+0.0001 c > . 5:5(0) ack 2\n"

/* The client's FIN is resent after its ACK was lost beyond the capture
 * point; the server answers the copy with a duplicate ACK carrying a D-SACK
 * for the FIN (seen on Linux): it received a duplicate,
 * nothing is missing. Still a duplicate_ack (Wireshark counts it). Without
 * the D-SACK the usual words stay. */
static void test_duplicate_ack_dsack(void **state)
{
	char buf[1024];
	struct run *r;
	const struct anomaly *a;
	char msg[512];

	(void)state;
	snprintf(buf, sizeof(buf), DSACK_AFTER_FIN, "<sack {4:5}>");
	r = run(buf);
	assert_int_equal(count(r, ANOM_DUPLICATE_ACK), 1);
	a = find(r, ANOM_DUPLICATE_ACK, NULL);
	assert_non_null(a);
	assert_int_equal(a->frame, 9);
	assert_int_equal(a->cause, CAUSE_DUP_ACK_DSACK);
	describe(r, ANOM_DUPLICATE_ACK, msg, sizeof(msg));
	assert_non_null(strstr(msg, "with a D-SACK (RFC 2883)"));
	assert_non_null(strstr(msg, "nothing is missing"));
	assert_null(strstr(msg, "a segment of the client is missing"));
	free(r);

	snprintf(buf, sizeof(buf), DSACK_AFTER_FIN, "");
	r = run(buf);
	assert_int_equal(count(r, ANOM_DUPLICATE_ACK), 1);
	a = find(r, ANOM_DUPLICATE_ACK, NULL);
	assert_non_null(a);
	assert_int_equal(a->cause, CAUSE_DUP_ACK_MISSING);
	describe(r, ANOM_DUPLICATE_ACK, msg, sizeof(msg));
	assert_non_null(strstr(msg, "a segment of the client is missing"));
	free(r);
}

static void test_data_after_fin(void **state)
{
	struct run *r = run_fix("data_after_fin");
	const struct anomaly *a = find(r, ANOM_DATA_AFTER_FIN, NULL);

	(void)state;
	assert_non_null(a);
	assert_int_equal(a->frame, 8);
	assert_int_equal(a->ref_frame, 6);
	assert_int_equal(a->endpoint, ROLE_CLIENT);
	assert_int_equal(count(r, ANOM_DATA_AFTER_FIN), 1);
	free(r);
}

static void test_time_wait_reuse(void **state)
{
	struct run *r = run_fix("time_wait_reuse");
	const struct anomaly *a = find(r, ANOM_TIME_WAIT_REUSE, NULL);

	(void)state;
	assert_int_equal(r->nflows, 2);
	assert_non_null(a);
	assert_int_equal(a->frame, 10);
	assert_int_equal(
		a->cause,
		CAUSE_TIME_WAIT_CLIENT); /* the client itself was in TIME_WAIT */
	assert_true(a->duration_ns > 4LL * NS_PER_SEC &&
		    a->duration_ns < 6LL * NS_PER_SEC);
	assert_int_equal(count(r, -1), 1);
	free(r);
}

/* --- stream faults ------------------------------------------------------- */

static void test_retransmissions(void **state)
{
	struct run *r = run_fix("retransmission");
	const struct anomaly *a;

	(void)state;
	assert_int_equal(count(r, ANOM_LOST_SEGMENT), 1);
	a = find(r, ANOM_LOST_SEGMENT, NULL);
	assert_int_equal(a->frame, 8);
	assert_int_equal(a->value, 1448);
	assert_int_equal(count(r, ANOM_DUPLICATE_ACK), 3);
	a = find(r, ANOM_DUPLICATE_ACK, NULL);
	assert_int_equal(a->frame, 9);
	assert_int_equal(a->ref_frame, 7);
	assert_int_equal(a->count, 1);
	assert_int_equal(count(r, ANOM_FAST_RETRANSMISSION), 1);
	a = find(r, ANOM_FAST_RETRANSMISSION, NULL);
	assert_int_equal(a->frame, 14);
	assert_int_equal(a->count, 3);
	assert_int_equal(count(r, ANOM_RETRANSMISSION), 1);
	a = find(r, ANOM_RETRANSMISSION, NULL);
	assert_int_equal(a->frame, 19);
	assert_int_equal(a->ref_frame, 18);
	assert_int_equal(a->endpoint, ROLE_SERVER);
	assert_int_equal(r->flows[0].ep[ROLE_SERVER].timers.data_retries_max,
			 1);
	assert_true(r->flows[0].ep[ROLE_SERVER].timers.data_rto_first_ns >
		    200000000);
	/* repaired loss is not a missing ACK */
	assert_int_equal(count(r, ANOM_MISSING_ACK), 0);
	assert_int_equal(count(r, -1), 6);
	free(r);
}

/* --fast-retransmit-window and --reorder-window move the line between the
 * kinds of retransmission: the retransmission fixture's frame 14 comes
 * within 20 ms of the third duplicate ACK (fast by default); a segment 2 ms
 * late on a flow picked up mid-stream is out of order within the default
 * 3 ms, a retransmission with a 1 ms window. */
static const char late_midstream[] =
	"0.000 c > . 1:101(100) ack 1 win 502\n"
	"+0.001 c > . 201:301(100) ack 1\n"  /* 2: gap */
	"+0.002 c > . 101:201(100) ack 1\n"; /* 3: 2 ms after frame 2 */

static void test_window_options(void **state)
{
	struct analyzer_config cfg;
	struct run *r;
	char *script = read_fix("retransmission");

	(void)state;
	analyzer_config_defaults(&cfg);
	cfg.max_flows = 64;
	cfg.fast_rtx_window_ns =
		1000; /* 1 us: no retransmission is that fast */
	r = run_cfg(script, &cfg);
	assert_int_equal(count(r, ANOM_FAST_RETRANSMISSION), 0);
	assert_non_null(find(r, ANOM_RETRANSMISSION, NULL));
	assert_int_equal(find(r, ANOM_RETRANSMISSION, NULL)->frame, 14);
	free(r);
	free(script);

	r = run(late_midstream);
	assert_int_equal(count(r, ANOM_OUT_OF_ORDER), 1);
	assert_int_equal(find(r, ANOM_OUT_OF_ORDER, NULL)->frame, 3);
	free(r);
	analyzer_config_defaults(&cfg);
	cfg.max_flows = 64;
	cfg.reorder_window_ns = 1 * NS_PER_MS;
	r = run_cfg(late_midstream, &cfg);
	assert_int_equal(count(r, ANOM_OUT_OF_ORDER), 0);
	assert_int_equal(count(r, ANOM_RETRANSMISSION), 1);
	assert_int_equal(find(r, ANOM_RETRANSMISSION, NULL)->frame, 3);
	free(r);
}

/* A retransmission of data sent more than RULES_SEG_RING segments earlier:
 * the original frame is no longer remembered, and the anomaly must not name
 * the latest frame instead (suricata-verify bug-4376 frame 129, "first sent
 * in frame 126" for bytes first sent long before). */
static const char rtx_old_original[] =
	"isn client 1000 server 5000\n"
	"0.000 c > S  0:0(0) win 64240\n"
	"0.010 s > S. 0:0(0) ack 1 win 65160\n"
	"0.011 c > .  ack 1\n"
	"0.020 s > P. 1:101(100) ack 1\n"
	"0.021 s > P. 101:201(100) ack 1\n"
	"0.022 s > P. 201:301(100) ack 1\n"
	"0.023 s > P. 301:401(100) ack 1\n"
	"0.024 s > P. 401:501(100) ack 1\n"
	"0.025 s > P. 501:601(100) ack 1\n"
	"0.026 s > P. 601:701(100) ack 1\n"
	"0.027 s > P. 701:801(100) ack 1\n"
	"0.028 s > P. 801:901(100) ack 1\n"
	"0.029 s > P. 901:1001(100) ack 1\n"
	"0.300 s > P. 1:101(100) ack 1\n"     /* frame 14: of frame 4 */
	"0.600 s > P. 901:1001(100) ack 1\n"; /* frame 15: of frame 13 */

static void test_retransmission_of_forgotten_original(void **state)
{
	struct run *r = run(rtx_old_original);
	const struct flow_record *f = NULL;
	const struct anomaly *a;
	char buf[512];

	(void)state;
	assert_int_equal(count(r, ANOM_RETRANSMISSION), 2);
	a = find(r, ANOM_RETRANSMISSION, &f);
	assert_int_equal(a->frame, 14);
	/* frame 4 fell out of the ring: no reference, no made-up delay */
	assert_int_equal(a->ref_frame, 0);
	assert_int_equal(a->duration_ns, 0);
	anomaly_describe(f, a, buf, sizeof(buf));
	assert_null(strstr(buf, "frame 13"));
	assert_non_null(strstr(buf, "frame 14"));
	/* one still remembered names its original */
	a = &f->anomalies[f->nanomalies - 1];
	assert_int_equal(a->type, ANOM_RETRANSMISSION);
	assert_int_equal(a->frame, 15);
	assert_int_equal(a->ref_frame, 13);
	free(r);
}

static void test_zero_window(void **state)
{
	struct run *r = run_fix("zero_window");
	const struct anomaly *a;

	(void)state;
	/* the zero-window ACK and the three ACKs of the probes */
	assert_int_equal(count(r, ANOM_ZERO_WINDOW), 4);
	a = find(r, ANOM_ZERO_WINDOW, NULL);
	assert_int_equal(a->frame, 10);
	assert_int_equal(a->endpoint, ROLE_CLIENT);
	assert_int_equal(count(r, ANOM_ZERO_WINDOW_PROBE), 3);
	a = find(r, ANOM_ZERO_WINDOW_PROBE, NULL);
	assert_int_equal(a->frame, 11);
	assert_int_equal(a->endpoint, ROLE_SERVER);
	/* the probes are not retransmissions, their ACKs not duplicates */
	assert_int_equal(count(r, ANOM_RETRANSMISSION), 0);
	assert_int_equal(count(r, ANOM_DUPLICATE_ACK), 0);
	free(r);
}

/* Linux's persist timer (tcp_xmit_probe_skb): 0-byte probes at
 * snd_una - 1 into a zero window, 212, 424 and 848 ms apart; the receiver
 * rate-limits its duplicate ACKs (tcp_invalid_ratelimit), so the second
 * goes unanswered (as in a loopback capture of a receiver with SO_RCVBUF
 * 4096 that stopped reading). They have a keepalive's shape, but they probe
 * the window: zero-window probes, not keepalives. */
static const char zwp_linux[] =
	"0.000 c > S 0:0(0) win 64240\n"
	"+0.001 s > S. 0:0(0) ack 1 win 65160\n"
	"+0.001 c > . ack 1 win 502\n"
	"+0.001 c > . 1:1449(1448) ack 1\n"
	"+0.001 c > P. 1449:2897(1448) ack 1\n"
	"+0.040 s > . ack 2897 win 0\n"     /* 6: zero window */
	"+0.212 c > . 2896:2896(0) ack 1\n" /* 7: probe at snd_una - 1 */
	"+0.000030 s > . ack 2897 win 0\n"  /* 8 */
	"+0.424 c > . 2896:2896(0) ack 1\n" /* 9: unanswered */
	"+0.848 c > . 2896:2896(0) ack 1\n" /* 10 */
	"+0.000030 s > . ack 2897 win 0\n"  /* 11 */
	"+0.300 s > . ack 2897 win 509\n"   /* 12: the window opens */
	"+0.001 c > P. 2897:4345(1448) ack 1\n"
	"+0.001 s > . ack 4345\n"
	"+0.010 c > F. 4345:4345(0) ack 1\n"
	"+0.001 s > F. 1:1(0) ack 4346\n"
	"+0.001 c > . ack 2\n";

/* The same with 1-byte probes (the byte before snd_una), none answered. */
static const char zwp_unanswered[] =
	"0.000 c > S 0:0(0) win 64240\n"
	"+0.001 s > S. 0:0(0) ack 1 win 65160\n"
	"+0.001 c > . ack 1 win 502\n"
	"+0.001 c > P. 1:1001(1000) ack 1\n"
	"+0.040 s > . ack 1001 win 0\n"   /* 5: zero window */
	"+0.2 c > . 1000:1001(1) ack 1\n" /* 6 */
	"+0.4 c > . 1000:1001(1) ack 1\n"
	"+0.8 c > . 1000:1001(1) ack 1\n"
	"+1.6 c > . 1000:1001(1) ack 1\n" /* 9 */
	"+0.3 s > . ack 1001 win 509\n"   /* 10: the window opens */
	"+0.001 c > P. 1001:2001(1000) ack 1\n"
	"+0.001 s > . ack 2001\n";

static void expect_no_keepalive(const struct run *r)
{
	for (int e = 0; e < 2; e++) {
		const struct endpoint_record *er = &r->flows[0].ep[e];

		assert_int_equal(er->keepalive_probes, 0);
		assert_int_equal(er->keepalive_answered, 0);
		assert_int_equal(er->timers.keepalive_idle_ns, 0);
		assert_int_equal(er->timers.keepalive_interval_ns, 0);
		assert_int_equal(er->timers.keepalive_probes, 0);
	}
	assert_int_equal(count(r, ANOM_KEEPALIVE_BURST), 0);
	/* the probes repeat no data, their answers are no duplicate ACKs */
	assert_int_equal(count(r, ANOM_RETRANSMISSION), 0);
	assert_int_equal(count(r, ANOM_SPURIOUS_RETRANSMISSION), 0);
	assert_int_equal(count(r, ANOM_DUPLICATE_ACK), 0);
}

static void test_zero_window_probe_keepalive_shape(void **state)
{
	struct run *r = run(zwp_linux);
	const struct flow_record *f = NULL;
	const struct anomaly *a;

	(void)state;
	assert_int_equal(r->nflows, 1);
	assert_int_equal(count(r, ANOM_ZERO_WINDOW_PROBE), 3);
	a = find(r, ANOM_ZERO_WINDOW_PROBE, &f);
	assert_non_null(a);
	assert_int_equal(a->frame, 7);
	assert_int_equal(a->ref_frame, 6);
	assert_int_equal(a->endpoint, ROLE_CLIENT);
	{
		/* every probe, the unanswered one too */
		uint64_t want[] = {7, 9, 10};
		unsigned n = 0;

		for (int k = 0; k < f->nanomalies; k++)
			if (f->anomalies[k].type == ANOM_ZERO_WINDOW_PROBE) {
				assert_true(n < 3);
				assert_int_equal(f->anomalies[k].frame,
						 want[n++]);
			}
		assert_int_equal(n, 3);
	}
	/* the zero-window ACK and the two answers */
	assert_int_equal(count(r, ANOM_ZERO_WINDOW), 3);
	expect_no_keepalive(r);
	free(r);

	r = run(zwp_unanswered);
	assert_int_equal(count(r, ANOM_ZERO_WINDOW_PROBE), 4);
	a = find(r, ANOM_ZERO_WINDOW_PROBE, NULL);
	assert_non_null(a);
	assert_int_equal(a->frame, 6);
	assert_int_equal(a->ref_frame, 5);
	expect_no_keepalive(r);
	free(r);

	/* once the window is open again, the same shape is a keepalive */
	{
		size_t n = strlen(zwp_unanswered);
		const char *more = "+10 c > . 2000:2000(0) ack 1\n"
				   "+0.001 s > . ack 2001\n";
		char *s = malloc(n + strlen(more) + 1);

		assert_non_null(s);
		memcpy(s, zwp_unanswered, n);
		strcpy(s + n, more);
		r = run(s);
		assert_int_equal(count(r, ANOM_ZERO_WINDOW_PROBE), 4);
		assert_int_equal(r->flows[0].ep[ROLE_CLIENT].keepalive_probes,
				 1);
		assert_int_equal(r->flows[0].ep[ROLE_CLIENT].keepalive_answered,
				 1);
		assert_int_equal(count(r, ANOM_KEEPALIVE_BURST), 0);
		free(r);
		free(s);
	}
}

static const char reorder[] =
	"0.000 c > S 0:0(0) win 64240\n"
	"+0.010 s > S. 0:0(0) ack 1 win 65160\n"
	"+0.010 c > . ack 1 win 502\n"      /* iRTT 20 ms */
	"+0.010 s > . 1:101(100) ack 1\n"   /* 4 */
	"+0.001 s > . 201:301(100) ack 1\n" /* 5: gap */
	"+0.001 s > . 101:201(100) ack 1\n" /* 6: out of order */
	"+0.001 c > . ack 301\n"            /* 7 */
	"+0.300 s > . 201:301(100) ack 1\n" /* 8: spurious */
	"+0.001 c > . ack 301\n"            /* 9: duplicate ACK */
	"+0.010 c > . ack 901\n";           /* 10: acks unseen data */

static void test_reorder_spurious_unseen(void **state)
{
	struct run *r = run(reorder);
	const struct anomaly *a;

	(void)state;
	a = find(r, ANOM_LOST_SEGMENT, NULL);
	assert_non_null(a);
	assert_int_equal(a->frame, 5);
	a = find(r, ANOM_OUT_OF_ORDER, NULL);
	assert_non_null(a);
	assert_int_equal(a->frame, 6);
	a = find(r, ANOM_SPURIOUS_RETRANSMISSION, NULL);
	assert_non_null(a);
	assert_int_equal(a->frame, 8);
	a = find(r, ANOM_DUPLICATE_ACK, NULL);
	assert_non_null(a);
	assert_int_equal(a->frame, 9);
	a = find(r, ANOM_ACK_UNSEEN, NULL);
	assert_non_null(a);
	assert_int_equal(a->frame, 10);
	assert_int_equal(count(r, ANOM_RETRANSMISSION), 0);
	free(r);
}

static const char window_full[] =
	"0.000 c > S 0:0(0) win 1000\n"
	"+0.001 s > S. 0:0(0) ack 1 win 1000\n"
	"+0.001 c > . ack 1 win 1000\n"
	"+0.010 s > . 1:501(500) ack 1\n"
	"+0.001 s > . 501:1001(500) ack 1\n"; /* 5: fills the 1000 bytes */

static void test_window_full(void **state)
{
	struct run *r = run(window_full);
	const struct anomaly *a = find(r, ANOM_WINDOW_FULL, NULL);

	(void)state;
	assert_non_null(a);
	assert_int_equal(a->frame, 5);
	assert_int_equal(a->value, 1000);
	assert_int_equal(count(r, ANOM_WINDOW_FULL), 1);
	free(r);
}

/* The capture point from the handshake timing: near the client (SYN-ACK
 * comes 50 ms after the SYN, the ACK 50 us after the SYN-ACK), so a gap in
 * the client's data was not captured rather than lost. */
static const char near_client_gap[] =
	"0.000 c > S 0:0(0) win 64240\n"
	"+0.050 s > S. 0:0(0) ack 1 win 65160\n"
	"+0.00005 c > . ack 1 win 502\n"
	"+0.010 c > . 1:101(100) ack 1\n"
	"+0.001 c > . 201:301(100) ack 1\n" /* 5: 100 bytes not captured */
	"+0.050 s > . ack 301 win 509\n";

static void test_capture_point(void **state)
{
	struct run *r = run(near_client_gap);
	const struct anomaly *a = find(r, ANOM_LOST_SEGMENT, NULL);
	char msg[512];

	(void)state;
	assert_non_null(a);
	assert_int_equal(a->frame, 5);
	assert_int_equal(a->cause, CAUSE_LOST_NOT_CAPTURED);
	describe(r, ANOM_LOST_SEGMENT, msg, sizeof(msg));
	assert_non_null(strstr(msg, "not captured"));
	assert_int_equal(r->flows[0].capture_point, CAPTURE_NEAR_CLIENT);
	free(r);

	/* the reverse timing: near the server */
	r = run("0.000 c > S 0:0(0) win 64240\n"
		"+0.00005 s > S. 0:0(0) ack 1 win 65160\n"
		"+0.050 c > . ack 1 win 502\n");
	assert_int_equal(r->flows[0].capture_point, CAPTURE_NEAR_SERVER);
	free(r);
}

/* A segmentation-offload super-segment (3000 bytes against an MSS of
 * 1000) marks the capture as not faithful: stream verdicts lose
 * confidence, and the super-segment itself is no anomaly. */
static const char offload[] =
	"0.000 c > S 0:0(0) win 64240 <mss 1000>\n"
	"+0.001 s > S. 0:0(0) ack 1 win 65160 <mss 1000>\n"
	"+0.001 c > . ack 1 win 502\n"
	"+0.010 c > . 1:3001(3000) ack 1\n" /* 4: super-segment */
	"+0.001 s > . ack 3001 win 509\n"
	"+0.010 s > . ack 5001 win 509\n"; /* 6: acks unseen data */

static void test_offload_lowers_confidence(void **state)
{
	struct run *r = run(offload);
	const struct anomaly *a = find(r, ANOM_ACK_UNSEEN, NULL);

	(void)state;
	assert_non_null(a);
	assert_int_equal(a->frame, 6);
	assert_int_equal(a->confidence, CONF_LOW);
	assert_int_equal(count(r, -1), 1);
	assert_int_equal(r->flows[0].artefacts, 1u << ARTEFACT_OFFLOAD);
	assert_int_equal(r->flows[0].capture_point, CAPTURE_MIDDLE);
	free(r);

	/* without the super-segment the same ACK is medium */
	r = run("0.000 c > S 0:0(0) win 64240 <mss 1000>\n"
		"+0.001 s > S. 0:0(0) ack 1 win 65160 <mss 1000>\n"
		"+0.001 c > . ack 1 win 502\n"
		"+0.010 c > . 1:1001(1000) ack 1\n"
		"+0.001 s > . ack 1001 win 509\n"
		"+0.010 s > . ack 5001 win 509\n");
	a = find(r, ANOM_ACK_UNSEEN, NULL);
	assert_non_null(a);
	assert_int_equal(a->confidence, CONF_MEDIUM);
	free(r);
}

/* Hundreds of duplicate ACKs must not crowd out a rarer fault. */
static void test_throttle_keeps_room(void **state)
{
	char *s = malloc(64 * 1024);
	size_t n = 0;
	struct run *r;

	(void)state;
	assert_non_null(s);
	n += (size_t)sprintf(s + n, "0.000 c > S 0:0(0) win 64240\n"
				    "+0.001 s > S. 0:0(0) ack 1 win 65160\n"
				    "+0.001 c > . ack 1 win 502\n"
				    "+0.001 c > . ack 1 win 502\n");
	for (int i = 0; i < 100; i++)
		n += (size_t)sprintf(s + n, "+0.001 c > . ack 1\n");
	sprintf(s + n, "+0.001 c > R. 1:1(0) ack 1\n");
	r = run(s);
	free(s);
	assert_int_equal(count(r, ANOM_DUPLICATE_ACK), 101);
	assert_non_null(find(r, ANOM_PREMATURE_CLOSE, NULL));
	assert_true(r->flows[0].nanomalies < FLOW_MAX_ANOMALIES);
	free(r);
}

static void test_summaries(void **state)
{
	(void)state;
	for (int t = 0; t < ANOMALY_TYPE_COUNT; t++)
		assert_true(strlen(anomaly_type_summary(t)) > 10);
	assert_string_equal(anomaly_type_summary(ANOMALY_TYPE_COUNT), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_closes),
		cmocka_unit_test(test_keepalive_answered_is_clean),
		cmocka_unit_test(test_missing_ack_lost_final_ack),
		cmocka_unit_test(test_missing_ack_fin_never_acked),
		cmocka_unit_test(test_missing_ack_fin_rtx_flow_ends),
		cmocka_unit_test(test_missing_ack_synack),
		cmocka_unit_test(test_missing_ack_ack_seen),
		cmocka_unit_test(test_premature_close_unacked_fin_is_not_data),
		cmocka_unit_test(test_premature_close_single_rst),
		cmocka_unit_test(test_premature_close_data_after_close),
		cmocka_unit_test(test_retransmission_fin_original),
		cmocka_unit_test(test_missing_ack_data),
		cmocka_unit_test(test_fin_backoff_with_tlp),
		cmocka_unit_test(test_premature_close_rst),
		cmocka_unit_test(test_premature_close_in_close),
		cmocka_unit_test(test_premature_close_fin_in_handshake),
		cmocka_unit_test(test_lingering_close_wait),
		cmocka_unit_test(test_close_wait_with_data_is_not_lingering),
		cmocka_unit_test(test_keepalive_burst),
		cmocka_unit_test(test_keepalive_endings),
		cmocka_unit_test(test_keepalive_single_probe_peer_rst),
		cmocka_unit_test(test_keepalive_answers_lost),
		cmocka_unit_test(test_lingering_on_tick),
		cmocka_unit_test(test_lingering_on_tick_then_closed),
		cmocka_unit_test(test_keepalive_burst_on_tick),
		cmocka_unit_test(test_handshake_verdicts),
		cmocka_unit_test(test_half_open_bare_rst),
		cmocka_unit_test(test_half_open_challenge_ack),
		cmocka_unit_test(test_bad_ack),
		cmocka_unit_test(test_data_after_fin),
		cmocka_unit_test(test_time_wait_reuse),
		cmocka_unit_test(test_time_wait_challenge_ack),
		cmocka_unit_test(test_half_open_connect_timeout),
		cmocka_unit_test(test_half_open_user_timeout),
		cmocka_unit_test(test_challenge_ack_client_time_wait),
		cmocka_unit_test(test_retransmissions),
		cmocka_unit_test(test_zero_window),
		cmocka_unit_test(test_zero_window_probe_keepalive_shape),
		cmocka_unit_test(test_reorder_spurious_unseen),
		cmocka_unit_test(test_window_full),
		cmocka_unit_test(test_capture_point),
		cmocka_unit_test(test_offload_lowers_confidence),
		cmocka_unit_test(test_throttle_keeps_room),
		cmocka_unit_test(test_retransmission_of_forgotten_original),
		cmocka_unit_test(
			test_challenge_ack_then_synack_no_retransmission),
		cmocka_unit_test(test_syn_cancelled_by_client),
		cmocka_unit_test(test_window_options),
		cmocka_unit_test(test_malformed_options),
		cmocka_unit_test(test_fast_open_synack),
		cmocka_unit_test(test_synack_lost_not_its_ack),
		cmocka_unit_test(test_fin_probe_dsack),
		cmocka_unit_test(test_duplicate_ack_dsack),
		cmocka_unit_test(test_summaries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
