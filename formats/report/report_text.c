/*
 * report_text.c - the default report, for people: one line per flow (id,
 * endpoints, handshake and close verdicts, active closer, final states,
 * anomalies), each anomaly and broken expectation on an indented line below
 * it with its frame, then the totals: inputs, flows by handshake and by
 * close verdict, anomalies by type, the flows with the most anomalies.
 *
 * In a file analysis the flow lines come out in flow-id order: each is
 * written once every flow before it has finished (line_order.h, which holds
 * the ones that must wait in bounded memory); with --top N only the lines of
 * the flows then among the N with the most anomalies are kept, and written
 * at the end. Live (settings.streaming) each flow and anomaly is written the
 * moment it is reported, one flushed line at a time.
 */
#include "formats/report/report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "formats/report/anomaly.h"
#include "formats/report/line_order.h"
#include "formats/wire/capture.h"

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"
#define C_CYAN "\033[36m"
#define C_DIM "\033[2m"

/* A flow line kept for --top. */
struct text_line {
	uint64_t id;
	uint32_t input;
	char *text; /* owned, ends with '\n' */
};

struct text_state {
	struct line_order *order; /* (owned) file analysis without --top */
	struct text_line *lines;  /* (owned) --top: lines of flows in the top */
	size_t n, cap;
};

static const char *col(const struct report_ctx *rc, const char *code)
{
	return rc->set.color ? code : "";
}

static const char *severity_color(enum severity s)
{
	switch (s) {
	case SEV_ERROR:
		return C_RED;
	case SEV_WARNING:
		return C_YELLOW;
	default:
		return C_CYAN;
	}
}

static const char *close_color(enum close_verdict v)
{
	switch (v) {
	case CLOSE_FOUR_WAY:
	case CLOSE_THREE_WAY:
	case CLOSE_SIMULTANEOUS:
		return C_GREEN;
	case CLOSE_RESET:
		return C_RED;
	default:
		return C_YELLOW;
	}
}

static int text_begin(struct report_ctx *rc)
{
	struct text_state *ts = calloc(1, sizeof(struct text_state));

	rc->priv = ts;
	if (!ts)
		return -1;
	if (!rc->set.streaming && !rc->set.top && !rc->set.totals_only &&
	    !(ts->order = line_order_new(rc->out, 0)))
		return -1;
	return 0;
}

static void text_free(struct report_ctx *rc)
{
	struct text_state *ts = rc->priv;

	if (!ts)
		return;
	line_order_free(ts->order);
	for (size_t i = 0; i < ts->n; i++)
		free(ts->lines[i].text);
	free(ts->lines);
	free(ts);
	rc->priv = NULL;
}

static void text_anomaly_line(struct report_ctx *rc, FILE *o,
			      const struct flow_record *f,
			      const struct anomaly *a, const char *indent)
{
	char msg[512];

	anomaly_describe(f, a, msg, sizeof(msg));
	fprintf(o, "%sframe %-6llu %s%-7s%s %s: %s", indent,
		(unsigned long long)a->frame,
		col(rc, severity_color(a->severity)),
		severity_name(a->severity), col(rc, C_RESET),
		anomaly_type_name(a->type), msg);
	if (a->confidence != CONF_HIGH)
		fprintf(o, " (confidence %s)", confidence_name(a->confidence));
	if (a->drops_during)
		fputs(" (the capture was dropping packets)", o);
	fputc('\n', o);
}

/* The flow's line and the lines under it. */
/* -v: "    client  SYN_SENT@1 ESTABLISHED@2 FIN_WAIT_1@9 ..." */
static void text_states_line(FILE *o, const struct endpoint_record *ep,
			     const char *who)
{
	fprintf(o, "    %-7s", who);
	if (ep->nstates == 0)
		fputs(" (no state seen)", o);
	for (uint8_t i = 0; i < ep->nstates && i < FLOW_MAX_STATES; i++)
		fprintf(o, " %s@%llu", tcp_state_name(ep->states[i].state),
			(unsigned long long)ep->states[i].frame);
	if (ep->states_dropped)
		fprintf(o, " (+%u more)", ep->states_dropped);
	fputc('\n', o);
}

static void text_write_flow(struct report_ctx *rc, FILE *o,
			    const struct flow_record *f,
			    const struct report_flow_info *info)
{
	char cli[64], srv[64], frames[48];
	int idw;
	uint32_t total = report_flow_anomalies(f);
	double dur = (double)(f->end_ns - f->start_ns) / 1e9;

	report_format_endpoint(&f->tuple, TUPLE_SRC, cli, sizeof(cli));
	report_format_endpoint(&f->tuple, TUPLE_DST, srv, sizeof(srv));
	/* Fixed columns, so the flows of a report line up (IPv4 endpoints,
	 * the longest common verdict and state names; longer ones push the
	 * rest of their line right). */
	snprintf(frames, sizeof(frames), "%llu-%llu",
		 (unsigned long long)f->first_frame,
		 (unsigned long long)f->last_frame);
	idw = fprintf(o, "%sflow %llu%s", col(rc, C_BOLD),
		      (unsigned long long)f->id, col(rc, C_RESET)) -
	      (int)strlen(col(rc, C_BOLD)) - (int)strlen(col(rc, C_RESET));
	if (idw < 8)
		fprintf(o, "%*s", 8 - idw, "");
	if (rc->set.ninput_names > 1) {
		int w = 0;

		for (uint32_t i = 0; i < rc->set.ninput_names; i++) {
			size_t len = strlen(report_input_name(rc, i));

			if (len > (size_t)w)
				w = len > 64 ? 64 : (int)len;
		}
		fprintf(o, " [%s]%*s", report_input_name(rc, f->input),
			w - (int)strlen(report_input_name(rc, f->input)) > 0
				? w - (int)strlen(
					      report_input_name(rc, f->input))
				: 0,
			"");
	}
	fprintf(o,
		" %-21s > %-21s  handshake=%-12s close=%s%-11s%s closer=%-6s"
		"  client=%-11s server=%-11s  frames %-9s %4llu pkts %7.3fs",
		cli, srv, handshake_verdict_name(f->handshake),
		col(rc, close_color(f->close)), close_verdict_name(f->close),
		col(rc, C_RESET), closer_name(f->active_closer),
		tcp_state_name(f->ep[ROLE_CLIENT].state),
		tcp_state_name(f->ep[ROLE_SERVER].state), frames,
		(unsigned long long)f->packets, dur < 0 ? 0.0 : dur);
	if (f->evicted)
		fputs("  (evicted)", o);
	if (total == 0 && info->nfailures == 0) {
		fprintf(o, "  %sok%s\n", col(rc, C_GREEN), col(rc, C_RESET));
	} else {
		const char *sep = " ";

		if (total)
			fprintf(o, "  %u anomal%s:", total,
				total == 1 ? "y" : "ies");
		for (int t = 0; t < ANOMALY_TYPE_COUNT; t++) {
			if (!f->anomaly_counts[t])
				continue;
			fprintf(o, "%s%s", sep, anomaly_type_name(t));
			if (f->anomaly_counts[t] > 1)
				fprintf(o, " x%u", f->anomaly_counts[t]);
			sep = ", ";
		}
		if (info->nfailures)
			fprintf(o, "  %s%u expectation%s broken%s",
				col(rc, C_RED), info->nfailures,
				info->nfailures == 1 ? "" : "s",
				col(rc, C_RESET));
		fputc('\n', o);
	}
	/* live text streams each anomaly as it is found ("anomaly flow N"):
	 * the flow's line does not list them again */
	if (!rc->set.streaming) {
		/* In frame order (rules raise some anomalies after the fact). */
		uint16_t idx[FLOW_MAX_ANOMALIES], n = 0;

		for (uint16_t i = 0;
		     i < f->nanomalies && i < FLOW_MAX_ANOMALIES; i++) {
			uint16_t j = n++;

			while (j > 0 && f->anomalies[idx[j - 1]].frame >
						f->anomalies[i].frame) {
				idx[j] = idx[j - 1];
				j--;
			}
			idx[j] = i;
		}
		for (uint16_t i = 0; i < n; i++)
			text_anomaly_line(rc, o, f, &f->anomalies[idx[i]],
					  "    ");
	}
	if (f->anomalies_dropped && !rc->set.streaming)
		fprintf(o, "    ... %u more anomalies not kept\n",
			f->anomalies_dropped);
	if (rc->set.verbose)
		for (int r = ROLE_CLIENT; r <= ROLE_SERVER; r++)
			text_states_line(o, &f->ep[r],
					 r == ROLE_CLIENT ? "client"
							  : "server");
	for (uint32_t i = 0; i < info->nfailures; i++)
		fprintf(o, "    %sexpect%s line %u: %s: %s\n", col(rc, C_RED),
			col(rc, C_RESET), info->failures[i].line,
			info->failures[i].rule, info->failures[i].message);
}

/* --top: forget the lines of flows the top table no longer holds (they
 * never come back: a flow enters it only when it is reported). */
static void text_prune(struct report_ctx *rc, struct text_state *ts)
{
	size_t k = 0;

	for (size_t i = 0; i < ts->n; i++) {
		if (report_in_top(rc, ts->lines[i].id, ts->lines[i].input))
			ts->lines[k++] = ts->lines[i];
		else
			free(ts->lines[i].text);
	}
	ts->n = k;
}

static int text_flow(struct report_ctx *rc, const struct flow_record *f,
		     const struct report_flow_info *info)
{
	struct text_state *ts = rc->priv;
	struct text_line *l;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;
	int ret;

	if (rc->set.totals_only)
		return 0;
	if (!report_flow_listed(rc, f, info)) {
		/* not listed, but its place in the order is taken */
		return ts->order ? line_order_add(ts->order, f->input, f->id,
						  NULL, 0)
				 : 0;
	}
	if (rc->set.streaming) {
		text_write_flow(rc, rc->out, f, info);
		return fflush(rc->out) == 0 ? 0 : -1;
	}
	if (rc->set.top && !report_in_top(rc, f->id, f->input))
		return 0; /* not among the top flows: it never will be */
	mem = open_memstream(&buf, &len);
	if (!mem)
		return -1;
	text_write_flow(rc, mem, f, info);
	if (fclose(mem) != 0) {
		free(buf);
		return -1;
	}
	if (ts->order) {
		ret = line_order_add(ts->order, f->input, f->id, buf, len);
		free(buf);
		return ret;
	}
	if (ts->n >= 2 * (size_t)rc->totals.top_cap + 16)
		text_prune(rc, ts);
	if (ts->n == ts->cap) {
		size_t cap = ts->cap ? ts->cap * 2 : 64;
		struct text_line *n;

		if (cap > SIZE_MAX / sizeof(*n) ||
		    !(n = realloc(ts->lines, cap * sizeof(*n)))) {
			free(buf);
			return -1;
		}
		ts->lines = n;
		ts->cap = cap;
	}
	l = &ts->lines[ts->n++];
	l->id = f->id;
	l->input = f->input;
	l->text = buf;
	return 0;
}

static int text_anomaly(struct report_ctx *rc, const struct flow_record *f,
			const struct anomaly *a)
{
	char cli[64], srv[64];

	if (!rc->set.streaming || rc->set.totals_only)
		return 0;
	report_format_endpoint(&f->tuple, TUPLE_SRC, cli, sizeof(cli));
	report_format_endpoint(&f->tuple, TUPLE_DST, srv, sizeof(srv));
	fprintf(rc->out, "anomaly flow %llu  %s > %s  ",
		(unsigned long long)f->id, cli, srv);
	text_anomaly_line(rc, rc->out, f, a, "");
	return fflush(rc->out) == 0 ? 0 : -1;
}

static int line_cmp(const void *pa, const void *pb)
{
	const struct text_line *a = pa, *b = pb;

	if (a->input != b->input)
		return a->input < b->input ? -1 : 1;
	if (a->id != b->id)
		return a->id < b->id ? -1 : 1;
	return 0;
}

/* "complete 10, not_observed 2" for the non-zero entries of a table. */
static void text_counts(FILE *o, const uint64_t *counts, int n,
			const char *(*name)(int))
{
	const char *sep = "";
	bool any = false;

	for (int i = 0; i < n; i++) {
		if (!counts[i])
			continue;
		fprintf(o, "%s%s %llu", sep, name(i),
			(unsigned long long)counts[i]);
		sep = ", ";
		any = true;
	}
	fputs(any ? "\n" : "-\n", o);
}

static const char *hs_name(int i)
{
	return handshake_verdict_name(i);
}
static const char *cl_name(int i)
{
	return close_verdict_name(i);
}

static void text_input_line(struct report_ctx *rc,
			    const struct input_record *in)
{
	FILE *o = rc->out;
	const char *sep;

	fprintf(o, "  %s: ", in->file ? in->file : "?");
	if (in->dlt < 0) {
		const char *why = in->error;
		size_t n = in->file ? strlen(in->file) : 0;

		/* "FILE: problem" -> "problem": the file is named already */
		if (n && strncmp(why, in->file, n) == 0 && why[n] == ':' &&
		    why[n + 1] == ' ')
			why += n + 2;
		fprintf(o, "%sunreadable%s: %s\n", col(rc, C_RED),
			col(rc, C_RESET), why);
		return;
	}
	fprintf(o, "%s, %llu packets, %llu TCP", capture_dlt_name(in->dlt),
		(unsigned long long)in->packets,
		(unsigned long long)in->tcp_packets);
	sep = "; in tunnels: ";
	for (int t = 0; t < DECODE_TUNNEL_COUNT; t++) {
		if (!in->tunnels[t])
			continue;
		fprintf(o, "%s%s %llu", sep, decode_tunnel_name(t),
			(unsigned long long)in->tunnels[t]);
		sep = ", ";
	}
	sep = "; not TCP: ";
	for (int k = DK_NONE + 1; k <= DK_IP_FRAGMENT; k++) {
		if (!in->kinds[k])
			continue;
		fprintf(o, "%s%s %llu", sep, decode_kind_name(k),
			(unsigned long long)in->kinds[k]);
		sep = ", ";
	}
	fprintf(o, "; decode errors: %llu",
		(unsigned long long)in->decode_errors);
	sep = " (";
	for (int k = DK_IP_FRAGMENT + 1; k < DECODE_KIND_COUNT; k++) {
		if (!in->kinds[k])
			continue;
		fprintf(o, "%s%s %llu", sep, decode_kind_name(k),
			(unsigned long long)in->kinds[k]);
		sep = ", ";
	}
	if (sep[0] == ',')
		fputc(')', o);
	if (in->failed && in->error[0])
		fprintf(o, "; %sstopped%s: %s", col(rc, C_RED),
			col(rc, C_RESET), in->error);
	fputc('\n', o);
}

static int text_end(struct report_ctx *rc, const struct report_end_info *end)
{
	struct text_state *ts = rc->priv;
	const struct report_totals *t = &rc->totals;
	FILE *o = rc->out;
	size_t listed = 0;

	if (ts->order) {
		long long n = line_order_finish(ts->order);

		if (n < 0)
			return -1; /* a spilled run could not be read back */
		listed = (size_t)n;
	} else if (!rc->set.streaming) {
		if (ts->n)
			qsort(ts->lines, ts->n, sizeof(ts->lines[0]), line_cmp);
		for (size_t i = 0; i < ts->n; i++) {
			if (!report_in_top(rc, ts->lines[i].id,
					   ts->lines[i].input))
				continue;
			fputs(ts->lines[i].text, o);
			listed++;
		}
	}
	if (!rc->set.streaming && (listed || t->flows))
		fputc('\n', o);

	fprintf(o, "%sinputs%s\n", col(rc, C_BOLD), col(rc, C_RESET));
	for (uint32_t i = 0; i < rc->ninputs; i++)
		text_input_line(rc, &rc->inputs[i]);
	fprintf(o, "%stotals%s\n", col(rc, C_BOLD), col(rc, C_RESET));
	fprintf(o, "  packets      %llu (%llu TCP, %llu decode errors)\n",
		(unsigned long long)rc->packets,
		(unsigned long long)rc->tcp_packets,
		(unsigned long long)rc->decode_errors);
	fprintf(o, "  flows        %llu (%llu with anomalies",
		(unsigned long long)t->flows,
		(unsigned long long)t->flows_with_anomalies);
	if (!rc->set.streaming && (rc->set.top || rc->set.only_anomalies))
		fprintf(o, ", %zu listed", listed);
	fputs(")\n", o);
	fputs("  handshake    ", o);
	text_counts(o, t->by_handshake, HANDSHAKE_VERDICT_COUNT, hs_name);
	fputs("  close        ", o);
	text_counts(o, t->by_close, CLOSE_VERDICT_COUNT, cl_name);
	fputs("  anomalies    ", o);
	if (t->anomalies_total == 0) {
		fputs("none\n", o);
	} else {
		const char *sep = "";

		fprintf(o, "%llu: ", (unsigned long long)t->anomalies_total);
		for (int a = 0; a < ANOMALY_TYPE_COUNT; a++) {
			enum severity s = anomaly_type_severity(a);

			if (!t->anomalies[a])
				continue;
			fprintf(o, "%s%s %llu (%s%s%s)", sep,
				anomaly_type_name(a),
				(unsigned long long)t->anomalies[a],
				col(rc, severity_color(s)), severity_name(s),
				col(rc, C_RESET));
			sep = ", ";
		}
		fputc('\n', o);
	}
	if (t->ntop) {
		const char *sep = "";

		fputs("  top flows    ", o);
		for (uint32_t i = 0; i < t->ntop; i++) {
			fprintf(o, "%sflow %llu (%u)", sep,
				(unsigned long long)t->top[i].id,
				t->top[i].anomalies);
			sep = ", ";
		}
		fputc('\n', o);
	}
	if (end->evictions)
		fprintf(o,
			"  evicted      %llu flows (table full: raise --max-flows)\n",
			(unsigned long long)end->evictions);
	if (end->has_capture_stats)
		fprintf(o,
			"  capture      %llu received, %llu dropped, %llu dropped by the interface\n",
			(unsigned long long)end->ps_recv,
			(unsigned long long)end->ps_drop,
			(unsigned long long)end->ps_ifdrop);
	if (end->has_capture_stats && (end->ps_drop || end->ps_ifdrop)) {
		char w[192];

		report_drop_warning(end, w, sizeof(w));
		fprintf(o, "  %swarning%s      %s\n", col(rc, C_YELLOW),
			col(rc, C_RESET), w);
	}
	if (end->expect_used) {
		fprintf(o,
			"  expectations %llu broken (%u in file, %llu checks)\n",
			(unsigned long long)(t->expect_failures +
					     end->nglobal_failures),
			end->expectations,
			(unsigned long long)end->expect_checks);
		for (uint32_t i = 0; i < end->nglobal_failures; i++)
			fprintf(o, "    %sexpect%s line %u: %s: %s\n",
				col(rc, C_RED), col(rc, C_RESET),
				end->global_failures[i].line,
				end->global_failures[i].rule,
				end->global_failures[i].message);
	}
	if (end->baseline)
		fprintf(o,
			"  baseline     %llu known anomalies left out (%s)\n",
			(unsigned long long)end->baseline_suppressed,
			end->baseline);
	fprintf(o, "  findings     %llu matched --fail-on %s%s\n",
		(unsigned long long)t->findings,
		end->fail_on ? end->fail_on : "none", t->findings ? "" : "");
	return 0;
}

const struct report_ops report_text_ops = {
	.name = "text",
	.summary = "one line per flow, then totals (default)",
	.begin = text_begin,
	.flow = text_flow,
	.anomaly = text_anomaly,
	.end = text_end,
	.free = text_free,
};
