/*
 * report_junit.c - JUnit XML for test-report viewers.
 *
 * <testsuites> holds one <testsuite> per input file and one <testcase> per
 * flow, time = the flow's duration. A test case is named for what stays
 * the same from one run of a workload to the next: the server endpoint and
 * the flow's ordinal among that input's flows to it ("10.0.0.2:80 #3", in
 * flow id order), so test history in a CI server follows it across runs;
 * the client's ephemeral port and the flow id are <properties>.
 * A test case fails (<failure>) when the flow has an anomaly matching
 * --fail-on or broke an --expect expectation; every anomaly is listed in
 * its <system-out> whether it matched or not. An input that could not be
 * read is a test case with an <error>. Expectations not tied to a flow
 * (e.g. "min flows 1") are test cases of a last suite, "expectations".
 * Test cases are kept as text and written at the end, grouped by input and
 * sorted by flow id; with --top N only the N flows with the most anomalies.
 */
#include "formats/report/report.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "formats/report/anomaly.h"

struct junit_case {
	uint64_t id;
	uint32_t input;
	bool failed;
	double secs;
	char server[64]; /* the server endpoint, part of the name */
	char client[64];
	uint64_t ordinal; /* among the input's flows to that server, from 1 */
	char *xml;        /* the body after the <testcase> tag (owned) */
};

struct junit_state {
	struct junit_case *c;
	size_t n, cap;
};

static int junit_begin(struct report_ctx *rc)
{
	rc->priv = calloc(1, sizeof(struct junit_state));
	return rc->priv ? 0 : -1;
}

static void junit_free(struct report_ctx *rc)
{
	struct junit_state *js = rc->priv;

	if (!js)
		return;
	for (size_t i = 0; i < js->n; i++)
		free(js->c[i].xml);
	free(js->c);
	free(js);
	rc->priv = NULL;
}

/* What follows the <testcase> tag (written at the end, with the name). */
static void junit_case_body(struct report_ctx *rc, FILE *o,
			    const struct flow_record *f,
			    const struct report_flow_info *info)
{
	char msg[512];
	const char *fail_type = NULL;
	uint32_t nfail = 0;

	for (uint16_t i = 0; i < f->nanomalies && i < FLOW_MAX_ANOMALIES; i++)
		if (report_fail_on_match(&rc->set.fail_on, &f->anomalies[i])) {
			if (!fail_type)
				fail_type =
					anomaly_type_name(f->anomalies[i].type);
			nfail++;
		}
	if (!fail_type && info->nfailures)
		fail_type = "expectation";
	nfail += info->nfailures;
	if (info->failed || nfail) {
		snprintf(msg, sizeof(msg),
			 "%u finding%s: handshake %s, close %s", nfail,
			 nfail == 1 ? "" : "s",
			 handshake_verdict_name(f->handshake),
			 close_verdict_name(f->close));
		fputs("      <failure message=\"", o);
		report_markup_esc(o, msg);
		fputs("\" type=\"", o);
		report_markup_esc(o, fail_type ? fail_type : "finding");
		fputs("\">", o);
		for (uint16_t i = 0;
		     i < f->nanomalies && i < FLOW_MAX_ANOMALIES; i++) {
			const struct anomaly *a = &f->anomalies[i];

			if (!report_fail_on_match(&rc->set.fail_on, a))
				continue;
			anomaly_describe(f, a, msg, sizeof(msg));
			fprintf(o, "frame %llu %s %s: ",
				(unsigned long long)a->frame,
				severity_name(a->severity),
				anomaly_type_name(a->type));
			report_markup_esc(o, msg);
			fputc('\n', o);
		}
		for (uint32_t i = 0; i < info->nfailures; i++) {
			fprintf(o, "expect line %u: ", info->failures[i].line);
			report_markup_esc(o, info->failures[i].rule);
			fputs(": ", o);
			report_markup_esc(o, info->failures[i].message);
			fputc('\n', o);
		}
		fputs("</failure>\n", o);
	}
	fprintf(o,
		"      <system-out>handshake=%s close=%s closer=%s client=%s server=%s frames %llu-%llu\n",
		handshake_verdict_name(f->handshake),
		close_verdict_name(f->close), closer_name(f->active_closer),
		tcp_state_name(f->ep[ROLE_CLIENT].state),
		tcp_state_name(f->ep[ROLE_SERVER].state),
		(unsigned long long)f->first_frame,
		(unsigned long long)f->last_frame);
	for (uint16_t i = 0; i < f->nanomalies && i < FLOW_MAX_ANOMALIES; i++) {
		const struct anomaly *a = &f->anomalies[i];

		anomaly_describe(f, a, msg, sizeof(msg));
		fprintf(o, "frame %llu %s %s: ", (unsigned long long)a->frame,
			severity_name(a->severity), anomaly_type_name(a->type));
		report_markup_esc(o, msg);
		fputc('\n', o);
	}
	fputs("</system-out>\n    </testcase>\n", o);
}

static int junit_flow(struct report_ctx *rc, const struct flow_record *f,
		      const struct report_flow_info *info)
{
	struct junit_state *js = rc->priv;
	struct junit_case *c;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;
	double secs = (double)(f->end_ns - f->start_ns) / 1e9;

	if (!report_flow_listed(rc, f, info))
		return 0;
	if (secs < 0)
		secs = 0;
	mem = open_memstream(&buf, &len);
	if (!mem)
		return -1;
	junit_case_body(rc, mem, f, info);
	if (fclose(mem) != 0) {
		free(buf);
		return -1;
	}
	if (js->n == js->cap) {
		size_t cap = js->cap ? js->cap * 2 : 64;
		struct junit_case *n;

		if (cap > SIZE_MAX / sizeof(*n) ||
		    !(n = realloc(js->c, cap * sizeof(*n)))) {
			free(buf);
			return -1;
		}
		js->c = n;
		js->cap = cap;
	}
	c = &js->c[js->n++];
	c->id = f->id;
	c->input = f->input;
	c->xml = buf;
	c->secs = secs;
	c->failed = strstr(buf, "<failure") != NULL;
	report_format_endpoint(&f->tuple, TUPLE_DST, c->server,
			       sizeof(c->server));
	report_format_endpoint(&f->tuple, TUPLE_SRC, c->client,
			       sizeof(c->client));
	return 0;
}

static int case_cmp(const void *pa, const void *pb)
{
	const struct junit_case *a = pa, *b = pb;

	if (a->input != b->input)
		return a->input < b->input ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

static int server_cmp(const void *pa, const void *pb)
{
	const struct junit_case *a = *(const struct junit_case *const *)pa;
	const struct junit_case *b = *(const struct junit_case *const *)pb;
	int c;

	if (a->input != b->input)
		return a->input < b->input ? -1 : 1;
	if ((c = strcmp(a->server, b->server)) != 0)
		return c;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* Number each case among its input's cases to the same server, in flow
 * id order, from 1. Returns -1 when out of memory. */
static int number_cases(struct junit_state *js)
{
	struct junit_case **by = malloc((js->n ? js->n : 1) * sizeof(*by));

	if (!by)
		return -1;
	for (size_t i = 0; i < js->n; i++)
		by[i] = &js->c[i];
	if (js->n)
		qsort(by, js->n, sizeof(*by), server_cmp);
	for (size_t i = 0; i < js->n; i++)
		by[i]->ordinal = i > 0 && by[i - 1]->input == by[i]->input &&
						 strcmp(by[i - 1]->server,
							by[i]->server) == 0
					 ? by[i - 1]->ordinal + 1
					 : 1;
	free(by);
	return 0;
}

static void junit_write_case(struct report_ctx *rc, FILE *o,
			     const struct junit_state *js, size_t i)
{
	const struct junit_case *c = &js->c[i];
	char name[96];

	snprintf(name, sizeof(name), "%s #%llu", c->server,
		 (unsigned long long)c->ordinal);
	fputs("    <testcase name=\"", o);
	report_markup_esc(o, name);
	fputs("\" classname=\"tcplint.", o);
	report_markup_esc(o, report_input_name(rc, c->input));
	fprintf(o, "\" time=\"%.6f\">\n", c->secs);
	fprintf(o,
		"      <properties>\n"
		"        <property name=\"flow_id\" value=\"%llu\"/>\n"
		"        <property name=\"client\" value=\"",
		(unsigned long long)c->id);
	report_markup_esc(o, c->client);
	fputs("\"/>\n      </properties>\n", o);
	fputs(c->xml, o);
}

static int junit_end(struct report_ctx *rc, const struct report_end_info *end)
{
	struct junit_state *js = rc->priv;
	FILE *o = rc->out;
	uint64_t tests = 0, failures = 0, errors = 0;
	uint32_t nsuites = rc->set.ninput_names;
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	/* --top N: only the N flows with the most anomalies, known now. */
	if (rc->set.top) {
		size_t kept = 0;

		for (size_t i = 0; i < js->n; i++) {
			if (report_in_top(rc, js->c[i].id, js->c[i].input))
				js->c[kept++] = js->c[i];
			else
				free(js->c[i].xml);
		}
		js->n = kept;
	}
	if (js->n)
		qsort(js->c, js->n, sizeof(js->c[0]), case_cmp);
	if (number_cases(js) != 0)
		return -1;
	for (size_t i = 0; i < js->n; i++) {
		tests++;
		failures += js->c[i].failed;
	}
	for (uint32_t i = 0; i < rc->ninputs; i++)
		if (rc->inputs[i].failed) {
			tests++;
			errors++;
		}
	tests += end->nglobal_failures;
	failures += end->nglobal_failures;
	if (nsuites < rc->ninputs)
		nsuites = rc->ninputs;

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", o);
	fprintf(o,
		"<testsuites name=\"tcplint\" tests=\"%llu\" failures=\"%llu\" errors=\"%llu\">\n",
		(unsigned long long)tests, (unsigned long long)failures,
		(unsigned long long)errors);
	for (uint32_t s = 0; s < nsuites; s++) {
		const struct input_record *in = NULL;
		uint64_t t = 0, fl = 0, er = 0;
		double secs = 0;

		/* report_input() is called once per input, in input order. */
		if (s < rc->ninputs)
			in = &rc->inputs[s];
		for (size_t i = 0; i < js->n; i++)
			if (js->c[i].input == s) {
				t++;
				fl += js->c[i].failed;
				secs += js->c[i].secs;
			}
		if (in && in->failed) {
			t++;
			er++;
		}
		fprintf(o, "  <testsuite name=\"");
		report_markup_esc(o, in && in->file ? in->file
						    : report_input_name(rc, s));
		fprintf(o,
			"\" tests=\"%llu\" failures=\"%llu\" errors=\"%llu\" skipped=\"0\" time=\"%.6f\" timestamp=\"%s\">\n",
			(unsigned long long)t, (unsigned long long)fl,
			(unsigned long long)er, secs, stamp);
		if (in && in->failed) {
			fputs("    <testcase name=\"read ", o);
			report_markup_esc(o, in->file ? in->file : "?");
			fputs("\" classname=\"tcplint.input\" time=\"0\">\n      <error message=\"",
			      o);
			report_markup_esc(o, in->error[0] ? in->error
							  : "input failed");
			fputs("\" type=\"input\"/>\n    </testcase>\n", o);
		}
		for (size_t i = 0; i < js->n; i++)
			if (js->c[i].input == s)
				junit_write_case(rc, o, js, i);
		fputs("  </testsuite>\n", o);
	}
	if (end->expect_used && end->nglobal_failures) {
		fprintf(o,
			"  <testsuite name=\"expectations\" tests=\"%u\" failures=\"%u\" errors=\"0\" skipped=\"0\" time=\"0\" timestamp=\"%s\">\n",
			end->nglobal_failures, end->nglobal_failures, stamp);
		for (uint32_t i = 0; i < end->nglobal_failures; i++) {
			const struct expect_failure *e =
				&end->global_failures[i];

			fprintf(o,
				"    <testcase name=\"expect line %u\" classname=\"tcplint.expect\" time=\"0\">\n      <failure message=\"",
				e->line);
			report_markup_esc(o, e->message);
			fputs("\" type=\"expectation\">", o);
			report_markup_esc(o, e->rule);
			fputs("</failure>\n    </testcase>\n", o);
		}
		fputs("  </testsuite>\n", o);
	}
	fputs("</testsuites>\n", o);
	return 0;
}

const struct report_ops report_junit_ops = {
	.name = "junit",
	.summary =
		"JUnit XML: one test case per flow, failed on --fail-on matches",
	.begin = junit_begin,
	.flow = junit_flow,
	.end = junit_end,
	.free = junit_free,
};
