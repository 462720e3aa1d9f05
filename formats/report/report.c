/*
 * report.c - the registry of report formats and the context they share:
 * opening and closing, the totals every format shows, write-error tracking
 * (a closed pipe or a full disk stops all later writes), and small helpers
 * (addresses, --fail-on matching, baseline keys).
 */
#include "formats/report/report.h"

#include "formats/report/community_id.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct report_ops *const report_formats[] = {
	&report_text_ops,
	&report_json_ops,
	&report_jsonl_ops,
	&report_sarif_ops,
	&report_junit_ops,
	&report_html_ops,
	NULL,
};

const struct report_ops *report_find(const char *name)
{
	for (size_t i = 0; report_formats[i]; i++)
		if (strcmp(report_formats[i]->name, name) == 0)
			return report_formats[i];
	return NULL;
}

bool report_fail_on_match(const struct report_fail_on *f,
			  const struct anomaly *a)
{
	if (a->type < 64 && (f->types >> a->type) & 1)
		return true;
	return f->min_severity >= 0 && a->severity >= f->min_severity;
}

void report_fail_on_format(const struct report_fail_on *f, char *buf,
			   size_t len)
{
	size_t n = 0;

	if (len == 0)
		return;
	buf[0] = '\0';
	if (f->min_severity >= 0)
		n += (size_t)snprintf(buf, len, "%s",
				      severity_name(f->min_severity));
	for (int t = 0; t < ANOMALY_TYPE_COUNT && n < len; t++)
		if ((f->types >> t) & 1)
			n += (size_t)snprintf(buf + n, len - n, "%s%s",
					      n ? "," : "",
					      anomaly_type_name(t));
	if (buf[0] == '\0')
		snprintf(buf, len, "none");
}

struct report_ctx *report_open(const struct report_ops *ops, FILE *out,
			       const struct report_settings *set)
{
	struct report_ctx *rc = calloc(1, sizeof(*rc));

	if (!rc)
		return NULL;
	rc->ops = ops;
	rc->out = out;
	rc->set = *set;
	rc->totals.top_cap = set->top ? set->top : REPORT_TOP_DEFAULT;
	if (rc->totals.top_cap > REPORT_TOP_MAX)
		rc->totals.top_cap = REPORT_TOP_MAX;
	return rc;
}

void report_close(struct report_ctx *rc)
{
	if (!rc)
		return;
	if (rc->ops->free)
		rc->ops->free(rc);
	free(rc->inputs);
	free(rc);
}

int report_check_io(struct report_ctx *rc, int ret)
{
	if (rc->io_errno)
		return -1;
	if (ret < 0 || ferror(rc->out)) {
		rc->io_errno = errno ? errno : EIO;
		return -1;
	}
	return 0;
}

int report_io_errno(const struct report_ctx *rc)
{
	return rc->io_errno;
}

/* Run one writer callback, then note a write error. */
static int report_call_done(struct report_ctx *rc, int ret)
{
	if (rc->io_errno)
		return -1;
	return report_check_io(rc, ret);
}

int report_begin(struct report_ctx *rc)
{
	if (rc->io_errno)
		return -1;
	errno = 0;
	return report_call_done(rc, rc->ops->begin ? rc->ops->begin(rc) : 0);
}

int report_input(struct report_ctx *rc, const struct input_record *in)
{
	if (rc->ninputs == rc->inputs_cap) {
		uint32_t cap = rc->inputs_cap ? rc->inputs_cap * 2 : 8;
		struct input_record *n;

		if (cap < rc->inputs_cap)
			return -1;
		n = realloc(rc->inputs, cap * sizeof(*n));
		if (!n)
			return -1;
		rc->inputs = n;
		rc->inputs_cap = cap;
	}
	rc->inputs[rc->ninputs++] = *in;
	rc->packets += in->packets;
	rc->tcp_packets += in->tcp_packets;
	rc->decode_errors += in->decode_errors;
	if (rc->io_errno)
		return -1;
	errno = 0;
	return report_call_done(rc,
				rc->ops->input ? rc->ops->input(rc, in) : 0);
}

uint32_t report_flow_anomalies(const struct flow_record *f)
{
	uint64_t n = 0;

	for (int t = 0; t < ANOMALY_TYPE_COUNT; t++)
		n += f->anomaly_counts[t];
	/* A record whose counts were not filled still has its list. */
	if (n < f->nanomalies)
		n = f->nanomalies;
	return n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

static bool top_better(const struct report_top_entry *a,
		       const struct report_top_entry *b)
{
	if (a->anomalies != b->anomalies)
		return a->anomalies > b->anomalies;
	if (a->input != b->input)
		return a->input < b->input;
	return a->id < b->id;
}

static void totals_top_add(struct report_totals *t,
			   const struct report_top_entry *e)
{
	uint32_t pos = t->ntop;

	while (pos > 0 && top_better(e, &t->top[pos - 1]))
		pos--;
	if (pos >= t->top_cap)
		return;
	if (t->ntop < t->top_cap)
		t->ntop++;
	memmove(&t->top[pos + 1], &t->top[pos],
		(t->ntop - 1 - pos) * sizeof(t->top[0]));
	t->top[pos] = *e;
}

bool report_in_top(const struct report_ctx *rc, uint64_t id, uint32_t input)
{
	for (uint32_t i = 0; i < rc->totals.ntop; i++)
		if (rc->totals.top[i].id == id &&
		    rc->totals.top[i].input == input)
			return true;
	return false;
}

static void totals_add(struct report_ctx *rc, const struct flow_record *f,
		       const struct report_flow_info *info)
{
	struct report_totals *t = &rc->totals;
	uint32_t n = report_flow_anomalies(f);

	t->flows++;
	if (f->handshake < HANDSHAKE_VERDICT_COUNT)
		t->by_handshake[f->handshake]++;
	if (f->close < CLOSE_VERDICT_COUNT)
		t->by_close[f->close]++;
	for (int i = 0; i < ANOMALY_TYPE_COUNT; i++) {
		t->anomalies[i] += f->anomaly_counts[i];
		t->anomalies_total += f->anomaly_counts[i];
	}
	/* Stored anomalies by their own severity; those past the flow's
	 * storage limit are only counted, at their type's severity. */
	uint32_t kept[ANOMALY_TYPE_COUNT] = {0};
	for (uint16_t i = 0; i < f->nanomalies && i < FLOW_MAX_ANOMALIES; i++) {
		const struct anomaly *a = &f->anomalies[i];

		if (a->severity < SEVERITY_COUNT)
			t->by_severity[a->severity]++;
		if (a->type < ANOMALY_TYPE_COUNT)
			kept[a->type]++;
	}
	for (int i = 0; i < ANOMALY_TYPE_COUNT; i++)
		if (f->anomaly_counts[i] > kept[i])
			t->by_severity[anomaly_type_severity(i)] +=
				f->anomaly_counts[i] - kept[i];
	if (n)
		t->flows_with_anomalies++;
	if (info && info->failed)
		t->flows_failed++;
	if (info) {
		t->findings += info->matched;
		t->expect_failures += info->nfailures;
	}
	if (n) {
		struct report_top_entry e = {f->id, f->input, n};

		totals_top_add(t, &e);
	}
}

int report_flow(struct report_ctx *rc, const struct flow_record *f,
		const struct report_flow_info *info)
{
	static const struct report_flow_info none;

	if (!info)
		info = &none;
	totals_add(rc, f, info);
	if (rc->io_errno)
		return -1;
	errno = 0;
	return report_call_done(rc,
				rc->ops->flow ? rc->ops->flow(rc, f, info) : 0);
}

int report_anomaly(struct report_ctx *rc, const struct flow_record *f,
		   const struct anomaly *a)
{
	if (rc->io_errno)
		return -1;
	errno = 0;
	return report_call_done(
		rc, rc->ops->anomaly ? rc->ops->anomaly(rc, f, a) : 0);
}

int report_end(struct report_ctx *rc, const struct report_end_info *end)
{
	int ret;

	if (rc->io_errno)
		return -1;
	errno = 0;
	ret = rc->ops->end ? rc->ops->end(rc, end) : 0;
	if (ret == 0 && fflush(rc->out) != 0)
		ret = -1;
	return report_call_done(rc, ret);
}

bool report_second_pass(struct report_ctx *rc)
{
	if (rc->io_errno || !rc->ops->second_pass)
		return false;
	return rc->ops->second_pass(rc);
}

int report_packet(struct report_ctx *rc, uint32_t input,
		  const struct pkt_view *pkt, uint64_t frame, int64_t ts_ns)
{
	if (rc->io_errno || !rc->ops->packet)
		return 0;
	return rc->ops->packet(rc, input, pkt, frame, ts_ns);
}

size_t report_utf8_len(const unsigned char *p)
{
	uint32_t cp;
	size_t n;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, cp = p[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80) /* also stops at the NUL */
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe || cp == 0xffff)
		return 0;
	return n;
}

void report_format_ip(const struct tuple *t, enum tuple_side side, char *buf,
		      size_t len)
{
	if (len == 0)
		return;
	if (!inet_ntop(t->ip_version == 6 ? AF_INET6 : AF_INET,
		       tuple_addr(t, side), buf, (socklen_t)len))
		snprintf(buf, len, "?");
}

void report_format_endpoint(const struct tuple *t, enum tuple_side side,
			    char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN];

	report_format_ip(t, side, ip, sizeof(ip));
	if (t->ip_version == 6)
		snprintf(buf, len, "[%s]:%u", ip, tuple_port(t, side));
	else
		snprintf(buf, len, "%s:%u", ip, tuple_port(t, side));
}

const char *report_input_name(const struct report_ctx *rc, uint32_t input)
{
	if (input < rc->set.ninput_names && rc->set.input_names[input])
		return rc->set.input_names[input];
	return "?";
}

bool report_flow_listed(const struct report_ctx *rc,
			const struct flow_record *f,
			const struct report_flow_info *info)
{
	if (rc->set.only_anomalies && report_flow_anomalies(f) == 0 &&
	    !(info && info->nfailures))
		return false;
	return true;
}

void report_finding_key(const struct flow_record *f, const struct anomaly *a,
			char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN];

	report_format_ip(&f->tuple, TUPLE_DST, ip, sizeof(ip)); /* the server */
	snprintf(buf, len, "%s|%s|%s|%u", anomaly_type_name(a->type),
		 a->endpoint == ROLE_SERVER ? "server" : "client", ip,
		 f->tuple.dport);
}

void report_drop_warning(const struct report_end_info *end, char *buf,
			 size_t len)
{
	snprintf(buf, len,
		 "%llu packets dropped by the kernel, %llu by the interface: "
		 "some anomalies may be capture artefacts (raise -B, lower -s "
		 "or narrow the filter)",
		 (unsigned long long)end->ps_drop,
		 (unsigned long long)end->ps_ifdrop);
}

const char *community_id_of(const struct flow_record *f, char buf[32])
{
	community_id_v1(f->tuple.ip_version, f->tuple.src, f->tuple.sport,
			f->tuple.dst, f->tuple.dport, 0, buf);
	return buf;
}

void report_markup_esc_n(FILE *o, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *end = p + n;

	while (p < end && *p) {
		size_t k = report_utf8_len(p);

		if (k == 0 || k > (size_t)(end - p)) {
			fputc('?', o);
			p++;
			continue;
		}
		if (k > 1) {
			fwrite(p, 1, k, o);
			p += k;
			continue;
		}
		switch (*p) {
		case '&':
			fputs("&amp;", o);
			break;
		case '<':
			fputs("&lt;", o);
			break;
		case '>':
			fputs("&gt;", o);
			break;
		case '"':
			fputs("&quot;", o);
			break;
		case '\'':
			fputs("&#39;", o);
			break;
		default:
			if ((*p < 0x20 && *p != '\n' && *p != '\t') ||
			    *p == 0x7f)
				fputc('?', o);
			else
				fputc(*p, o);
		}
		p++;
	}
}

void report_markup_esc(FILE *o, const char *s)
{
	report_markup_esc_n(o, s, strlen(s));
}
