/*
 * fuzz_json_writer.c - hostile text through the streaming JSON writer and
 * through jansson, which must agree.
 *
 * The input is cut at its NUL bytes: the first piece is a capture's file
 * name, the next two a broken expectation's rule and message (cut to their
 * fields' sizes as the command line cuts them), so they carry whatever the
 * fuzzer finds: ill-formed UTF-8, control characters, quotes, names as long
 * as the input. Every byte of the input, read round and round, also fills
 * the numbers of a flow record (times of any sign, counters to UINT64_MAX,
 * timelines and anomalies of any length up to the limits) and picks the
 * layout.
 *
 * Then each piece as a string (with and without ASCII escapes), the flow
 * object (compact with "type", pretty without) and its anomalies' jsonl
 * lines are written by json_writer / json_records and by report_json.c's
 * jansson builders; the texts must be the same bytes, and both must parse
 * back with jansson to json_equal() values. Anything else aborts.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/report/json_records.h"
#include "formats/report/json_text.h"
#include "formats/report/json_writer.h"
#include "formats/report/report.h"
#include "formats/report/report_json.h"
#include "tests/fuzz/fuzz.h"

#define FLAGS_COMPACT (JSON_COMPACT | JSON_REAL_PRECISION(16) | JSON_ENCODE_ANY)
#define FLAGS_PRETTY                                                           \
	(JSON_INDENT(2) | JSON_REAL_PRECISION(16) | JSON_ENCODE_ANY)
#define FLAGS_ASCII (JSON_COMPACT | JSON_ENSURE_ASCII | JSON_ENCODE_ANY)

static void fuzz_fail(const char *what, const struct json_writer *w)
{
	fprintf(stderr, "fuzz_json_writer: %s (writer: %.200s)\n", what,
		w->buf ? w->buf : "");
	abort();
}

/* The writer's text must be jansson's text of tree (dropped here). */
static void agree(struct json_writer *w, json_t *tree, size_t flags,
		  const char *what)
{
	char *want = tree ? json_dumps(tree, flags) : NULL;
	json_t *a, *b;

	if (!want || json_writer_finish(w) != 0)
		fuzz_fail(what, w);
	if (strlen(want) != w->len || memcmp(want, w->buf, w->len) != 0)
		fuzz_fail(what, w);
	a = json_loadb(w->buf, w->len, JSON_DECODE_ANY, NULL);
	b = json_loads(want, JSON_DECODE_ANY, NULL);
	if (!a || !b || !json_equal(a, b))
		fuzz_fail(what, w);
	json_decref(a);
	json_decref(b);
	json_decref(tree);
	free(want);
}

/* The input's bytes, read round and round, as numbers. */
struct bytes_loop {
	const uint8_t *data;
	size_t size, pos;
};

static uint64_t take(struct bytes_loop *b, int nbytes)
{
	uint64_t v = 0;

	for (int i = 0; i < nbytes && b->size; i++)
		v = v << 8 | b->data[b->pos++ % b->size];
	return v;
}

static void fill_endpoint(struct flow_record *f, int role, struct bytes_loop *b)
{
	struct endpoint_record *e = &f->ep[role];
	uint8_t *ip = role == ROLE_CLIENT ? f->tuple.src : f->tuple.dst;

	f->tuple.ip_version = take(b, 1) & 1 ? 6 : 4;
	for (int i = 0; i < 16; i++)
		ip[i] = (uint8_t)take(b, 1);
	if (role == ROLE_CLIENT)
		f->tuple.sport = (uint16_t)take(b, 2);
	else
		f->tuple.dport = (uint16_t)take(b, 2);
	e->bytes = take(b, 8);
	e->packets = take(b, 8);
	e->has_isn = take(b, 1) & 1;
	e->isn = (uint32_t)take(b, 4);
	e->wscale_ok = take(b, 1) & 1;
	e->wscale = (uint8_t)take(b, 1);
	e->mss = (uint16_t)take(b, 2);
	e->state = (uint8_t)(take(b, 1) % TCP_STATE_COUNT);
	e->nstates = (uint8_t)(take(b, 1) % (FLOW_MAX_STATES + 1));
	for (int i = 0; i < e->nstates; i++)
		e->states[i] = (struct state_change){
			take(b, 8), (int64_t)take(b, 8),
			(uint8_t)(take(b, 1) % TCP_STATE_COUNT)};
	e->fin_wait_2_ns = (int64_t)take(b, 8);
	e->close_wait_ns = (int64_t)take(b, 5);
	e->last_ack_ns = (int64_t)take(b, 3);
	e->keepalive_probes = (uint32_t)take(b, 4);
	e->keepalive_answered = (uint32_t)take(b, 4);
	e->timers.keepalive_idle_ns = (int64_t)take(b, 8);
	e->timers.keepalive_interval_ns = (int64_t)take(b, 4);
	e->timers.syn_rto_first_ns = (int64_t)take(b, 6);
	e->timers.data_rto_first_ns = (int64_t)take(b, 2);
	e->timers.data_retries_max = (uint32_t)take(b, 4);
	e->timers.rto_doubles = take(b, 1) & 1;
}

/* One of the type's causes, as the analyzer records them. */
static uint8_t pick_cause(struct bytes_loop *b, uint8_t type)
{
	unsigned n = anomaly_cause_count(type);

	return (uint8_t)(n ? take(b, 1) % n : 0);
}

static void fill_flow(struct flow_record *f, struct bytes_loop *b)
{
	memset(f, 0, sizeof(*f));
	f->id = take(b, 8);
	f->first_frame = take(b, 8);
	f->last_frame = take(b, 4);
	f->start_ns = (int64_t)take(b, 8);
	f->end_ns = (int64_t)take(b, 8);
	f->packets = take(b, 8);
	fill_endpoint(f, ROLE_CLIENT, b);
	fill_endpoint(f, ROLE_SERVER, b);
	f->handshake = (uint8_t)(take(b, 1) % HANDSHAKE_VERDICT_COUNT);
	f->close = (uint8_t)(take(b, 1) % CLOSE_VERDICT_COUNT);
	f->active_closer = (uint8_t)(take(b, 1) % CLOSER_COUNT);
	f->client_by_port = take(b, 1) & 1;
	f->syn_retransmits = (uint8_t)take(b, 1);
	f->evicted = take(b, 1) & 1;
	f->capture_point = (uint8_t)(take(b, 1) % CAPTURE_POINT_COUNT);
	f->artefacts = (uint8_t)take(b, 1);
	f->nanomalies = (uint16_t)(take(b, 1) % (FLOW_MAX_ANOMALIES + 1));
	for (int i = 0; i < f->nanomalies; i++) {
		struct anomaly *a = &f->anomalies[i];

		a->frame = take(b, 8);
		a->ts_ns = (int64_t)take(b, 8);
		a->ref_frame = take(b, 2);
		a->duration_ns = (int64_t)take(b, 5);
		a->count = (uint32_t)take(b, 4);
		a->value = (uint32_t)take(b, 4);
		a->type = (uint8_t)(take(b, 1) % ANOMALY_TYPE_COUNT);
		a->severity = (uint8_t)(take(b, 1) % SEVERITY_COUNT);
		a->endpoint = (uint8_t)(take(b, 1) & 1);
		a->confidence = (uint8_t)(take(b, 1) % CONFIDENCE_COUNT);
		a->state[0] = (uint8_t)(take(b, 1) % TCP_STATE_COUNT);
		a->state[1] = (uint8_t)(take(b, 1) % TCP_STATE_COUNT);
		a->cause = pick_cause(b, a->type);
		a->drops_during = take(b, 1) & 1;
		f->anomaly_counts[a->type] += (uint32_t)take(b, 1);
	}
	f->anomalies_dropped = (uint32_t)take(b, 4);
}

/* Piece i of the input (cut at NUL bytes), "" when there are fewer. */
static char *piece(const uint8_t *data, size_t size, int i)
{
	const uint8_t *p = data, *end = data + size, *nul;
	char *s;

	for (; i > 0 && p < end; i--) {
		nul = memchr(p, 0, (size_t)(end - p));
		p = nul ? nul + 1 : end;
	}
	nul = memchr(p, 0, (size_t)(end - p));
	size = (size_t)((nul ? nul : end) - p);
	s = malloc(size + 1);
	if (!s)
		abort();
	memcpy(s, p, size);
	s[size] = '\0';
	return s;
}

static void check_string(struct json_writer *w, const char *s)
{
	json_writer_reset(w, 0, 0);
	json_writer_str(w, NULL, s);
	agree(w, json_text(s), FLAGS_COMPACT, "string");
	json_writer_reset(w, JSON_WRITER_ASCII, 0);
	json_writer_str(w, NULL, s);
	agree(w, json_text(s), FLAGS_ASCII, "string, ASCII");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *name = piece(data, size, 0);
	char *rule = piece(data, size, 1);
	char *message = piece(data, size, 2);
	const char *names[1] = {name};
	struct report_settings set = {.input_names = names, .ninput_names = 1};
	struct bytes_loop b = {data, size, 0};
	struct expect_failure fl[1];
	struct report_flow_info info = {0};
	struct json_writer w;
	struct report_ctx *rc;
	struct flow_record *f = malloc(sizeof(*f));

	if (!f)
		abort();
	json_writer_init(&w);
	check_string(&w, name);
	check_string(&w, rule);
	check_string(&w, message);

	fill_flow(f, &b);
	fl[0].line = (uint32_t)take(&b, 4);
	snprintf(fl[0].rule, sizeof(fl[0].rule), "%s", rule);
	snprintf(fl[0].message, sizeof(fl[0].message), "%s", message);
	info.failed = take(&b, 1) & 1;
	info.failures = fl;
	info.nfailures = take(&b, 1) & 1;
	info.suppressed = (uint32_t)take(&b, 2);
	rc = report_open(&report_json_ops, stdout, &set);
	if (!rc)
		abort();
	json_writer_reset(&w, 0, 0);
	json_records_flow(&w, rc, f, &info, "flow");
	agree(&w, report_json_flow_tree(rc, f, &info, "flow"), FLAGS_COMPACT,
	      "flow");
	json_writer_reset(&w, JSON_WRITER_PRETTY, 0);
	json_records_flow(&w, rc, f, &info, NULL);
	agree(&w, report_json_flow_tree(rc, f, &info, NULL), FLAGS_PRETTY,
	      "flow, pretty");
	for (int i = 0; i < f->nanomalies; i++) {
		json_writer_reset(&w, 0, 0);
		json_records_anomaly_line(&w, f, &f->anomalies[i]);
		agree(&w, report_json_anomaly_line_tree(f, &f->anomalies[i]),
		      FLAGS_COMPACT, "anomaly line");
	}
	report_close(rc);
	json_writer_free(&w);
	free(f);
	free(name);
	free(rule);
	free(message);
	return 0;
}
