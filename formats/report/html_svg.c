/*
 * html_svg.c - the escaping of the HTML report and its pictures of one
 * flow (see html.h): the sequence diagram, the state timeline and the
 * time-sequence graph, each one <svg> element. Text is in the report's
 * monospace font, whose characters are 0.6 em wide, so lines are placed
 * and notes wrapped without measuring anything.
 *
 * The sequence diagram is drawn twice by the same code: a dry run that
 * only moves the pen finds the height the <svg> tag needs, then the real
 * one writes. Only the second writes, so the two never disagree.
 */
#include "formats/report/html.h"

#include <stdarg.h>
#include <string.h>
#include <time.h>

#include "formats/report/anomaly.h"
#include "formats/report/report.h"

int64_t html_ns_sub(int64_t b, int64_t a)
{
	int64_t d;

	if (__builtin_sub_overflow(b, a, &d))
		return b > a ? INT64_MAX : INT64_MIN;
	return d;
}

int64_t html_ns_add(int64_t a, int64_t d)
{
	int64_t s;

	if (__builtin_add_overflow(a, d, &s))
		return d > 0 ? INT64_MAX : INT64_MIN;
	return s;
}

void html_format_time(int64_t ts_ns, char *buf, size_t len)
{
	time_t secs = (time_t)(ts_ns / 1000000000LL);
	long usecs = (long)((ts_ns % 1000000000LL) / 1000);
	char base[40], zone[16];
	struct tm tm;

	if (len == 0)
		return;
	buf[0] = '\0';
	if (usecs < 0) {
		usecs += 1000000;
		secs--;
	}
	if (!localtime_r(&secs, &tm))
		return;
	strftime(base, sizeof(base), "%Y-%m-%d %H:%M:%S", &tm);
	strftime(zone, sizeof(zone), "%Z", &tm);
	snprintf(buf, len, "%s.%06ld %s", base, usecs, zone);
}

/* ---- the pen: writes, or only measures on the dry run ---- */

struct pen {
	FILE *o;
	bool dry;
	double y; /* the next free line, from the top */
};

static void pen_printf(struct pen *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void pen_printf(struct pen *p, const char *fmt, ...)
{
	va_list ap;

	if (p->dry)
		return;
	va_start(ap, fmt);
	vfprintf(p->o, fmt, ap);
	va_end(ap);
}

static void pen_esc(struct pen *p, const char *s)
{
	if (!p->dry)
		report_markup_esc(p->o, s);
}

static void pen_esc_n(struct pen *p, const char *s, size_t n)
{
	if (!p->dry)
		report_markup_esc_n(p->o, s, n);
}

/* Characters (not bytes) in the first n bytes of s. */
static size_t text_chars(const char *s, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			c++;
	return c;
}

/* The bytes of the next line of s at most `width` characters wide: up to
 * the last space that fits, or cut mid-word when no space does (at a
 * character boundary). */
static size_t wrap_next(const char *s, size_t width)
{
	size_t i = 0, chars = 0, last_space = 0;

	while (s[i]) {
		if (((unsigned char)s[i] & 0xc0) != 0x80) {
			if (chars == width)
				break;
			chars++;
		}
		if (s[i] == ' ')
			last_space = i;
		i++;
	}
	if (!s[i] || last_space == 0)
		return i;
	return last_space;
}

/* ---- the sequence diagram ---- */

#define SQ_CHAR_W 7.2   /* 12 px monospace */
#define SQ_FRAME_X 46.0 /* right edge of the frame numbers */
#define SQ_TIME_X 120.0 /* right edge of the times */
#define SQ_CL 236.0     /* the client's line */
#define SQ_SL 696.0     /* the server's line */
#define SQ_W 800.0
#define SQ_HEAD 64.0  /* heading, endpoints and the first states */
#define SQ_ROW 30.0   /* one arrow */
#define SQ_NOTE 15.0  /* one line of a note */
#define SQ_SLOPE 10.0 /* an arrow falls this much: time passes */
#define SQ_NOTE_X (SQ_CL + 14.0)

struct seqd {
	struct pen pen;
	const struct flow_record *rec;
	const struct html_draw_opts *opt;
	double width;
};

static const char *role_name(int role)
{
	return role == ROLE_CLIENT ? "client" : "server";
}

static const char *sev_shape(int sev)
{
	switch (sev) {
	case SEV_ERROR:
		return "\u25a0"; /* black square */
	case SEV_WARNING:
		return "\u25b2"; /* black up-pointing triangle */
	default:
		return "\u25cf"; /* black circle */
	}
}

static const char *sev_class(int sev)
{
	switch (sev) {
	case SEV_ERROR:
		return "err";
	case SEV_WARNING:
		return "warn";
	default:
		return "info";
	}
}

/* A marker of severity sev centred on (x, y), with its title. */
static void draw_marker(struct pen *p, int sev, double x, double y,
			const char *title)
{
	pen_printf(p, "<g class=\"mark %s\"><title>", sev_class(sev));
	pen_esc(p, title);
	pen_printf(p, "</title>");
	if (sev == SEV_ERROR)
		pen_printf(
			p,
			"<rect x=\"%.1f\" y=\"%.1f\" width=\"9\" height=\"9\"/>",
			x - 4.5, y - 4.5);
	else if (sev == SEV_WARNING)
		pen_printf(
			p,
			"<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\"/>",
			x, y - 5.5, x + 5.5, y + 4.5, x - 5.5, y + 4.5);
	else
		pen_printf(p, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\"/>", x,
			   y);
	pen_printf(p, "</g>");
}

/* Text wrapped into lines of HTML_NOTE_CHARS under the current arrow,
 * the first line led by `lead` (a shape, "=", "") and the others indented
 * to match. */
static void draw_note_lines(struct seqd *d, const char *cls, const char *lead,
			    const char *text)
{
	struct pen *p = &d->pen;
	size_t lead_chars = text_chars(lead, strlen(lead));
	size_t width = HTML_NOTE_CHARS - (lead_chars ? lead_chars + 1 : 0);
	bool first = true;

	while (*text || first) {
		size_t n = wrap_next(text, width);

		p->y += SQ_NOTE;
		pen_printf(p, "<text class=\"%s\" x=\"%.1f\" y=\"%.1f\">", cls,
			   SQ_NOTE_X, p->y);
		if (first && lead_chars) {
			pen_esc(p, lead);
			pen_printf(p, " ");
		} else if (lead_chars) {
			for (size_t i = 0; i <= lead_chars; i++)
				pen_printf(p, " ");
		}
		pen_esc_n(p, text, n);
		pen_printf(p, "</text>");
		text += n;
		while (*text == ' ')
			text++;
		first = false;
	}
}

/* An anomaly as a note: its marker beside the line of the endpoint at
 * fault, and the sentence. */
static void draw_anomaly(struct seqd *d, const struct anomaly *a, double mark_y,
			 bool with_frame)
{
	struct pen *p = &d->pen;
	char msg[512], line[700];
	int role = a->endpoint == ROLE_SERVER ? ROLE_SERVER : ROLE_CLIENT;

	anomaly_describe(d->rec, a, msg, sizeof(msg));
	if (with_frame)
		snprintf(line, sizeof(line), "%s %s (frame %llu): %s",
			 severity_name(a->severity), anomaly_type_name(a->type),
			 (unsigned long long)a->frame, msg);
	else
		snprintf(line, sizeof(line), "%s %s: %s",
			 severity_name(a->severity), anomaly_type_name(a->type),
			 msg);
	pen_printf(p, "<g class=\"anom %s\" data-frame=\"%llu\"><title>",
		   sev_class(a->severity), (unsigned long long)a->frame);
	pen_esc(p, line);
	pen_printf(p, "</title>");
	draw_marker(p, a->severity,
		    role == ROLE_CLIENT ? SQ_CL + 22.0 : SQ_SL - 22.0, mark_y,
		    line);
	draw_note_lines(d, "note", sev_shape(a->severity), line);
	pen_printf(p, "</g>");
}

/* The arrow of one segment, its label, frame, time and the states entered. */
static void draw_arrow(struct seqd *d, const struct ladder_seg *s,
		       const struct ladder_step *st, double rel_s)
{
	struct pen *p = &d->pen;
	const struct flow_record *r = d->rec;
	double y = p->y + 18.0, x1, x2, tip_y = y + SQ_SLOPE, dir;
	char label[96], title[200];
	const char *cls = "";
	int n;

	if (s->flags & TCP_RST)
		cls = " rst";
	else if (s->flags & TCP_SYN)
		cls = " syn";
	else if (s->flags & TCP_FIN)
		cls = " fin";
	else if (s->len)
		cls = " data";
	n = snprintf(label, sizeof(label), "[%s] seq %u", st->flags,
		     st->rel_seq);
	if (s->flags & TCP_ACK)
		n += snprintf(label + n, sizeof(label) - (size_t)n, " ack %u",
			      st->rel_ack);
	n += snprintf(label + n, sizeof(label) - (size_t)n, " len %u", s->len);
	if (s->window == 0 && !(s->flags & TCP_RST))
		n += snprintf(label + n, sizeof(label) - (size_t)n, " win 0");
	if (st->keepalive)
		snprintf(label + n, sizeof(label) - (size_t)n, " (keepalive)");
	else if (st->fin_again)
		snprintf(label + n, sizeof(label) - (size_t)n, " (again)");
	snprintf(title, sizeof(title),
		 "frame %llu at %.6f s, %s to %s: %s, window %u%s%s",
		 (unsigned long long)s->frame, rel_s, role_name(s->from),
		 role_name(!s->from), label, s->window,
		 st->keepalive ? ", a keepalive probe" : "",
		 st->fin_again ? ", a FIN sent again" : "");
	if (s->from == ROLE_CLIENT) {
		x1 = SQ_CL;
		x2 = SQ_SL;
		dir = 1.0;
	} else {
		x1 = SQ_SL;
		x2 = SQ_CL;
		dir = -1.0;
	}
	pen_printf(p, "<g class=\"seg%s\" data-frame=\"%llu\"><title>", cls,
		   (unsigned long long)s->frame);
	pen_esc(p, title);
	pen_printf(
		p,
		"</title><text class=\"fr\" x=\"%.1f\" y=\"%.1f\">%llu</text>",
		SQ_FRAME_X, y + 5.0, (unsigned long long)s->frame);
	pen_printf(p, "<text class=\"tm\" x=\"%.1f\" y=\"%.1f\">%.6f</text>",
		   SQ_TIME_X, y + 5.0, rel_s);
	/* The shaft stops where the head begins; the head is 9 px long. */
	pen_printf(p, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
		   x1, y, x2 - dir * 9.0, tip_y - 0.2);
	pen_printf(p, "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\"/>", x2,
		   tip_y, x2 - dir * 9.0, tip_y - 4.2, x2 - dir * 9.0,
		   tip_y + 3.8);
	pen_printf(p, "<text class=\"lbl\" x=\"%.1f\" y=\"%.1f\">",
		   (SQ_CL + SQ_SL) / 2.0, y - 4.0);
	pen_esc(p, label);
	pen_printf(p, "</text></g>");
	for (int role = 0; role < 2; role++) {
		int k = st->nentered[role];
		int now;

		if (k == 0)
			continue;
		now = st->entered[role][k - 1];
		pen_printf(
			p,
			"<text class=\"st %s\" x=\"%.1f\" y=\"%.1f\"><title>",
			role == ROLE_CLIENT ? "stl" : "str",
			role == ROLE_CLIENT ? SQ_CL - 8.0 : SQ_SL + 8.0,
			y + 5.0);
		for (int i = 0; i < k; i++) {
			int sn = st->entered[role][i];

			pen_printf(p, "%s%s %s: ", i ? "; then " : "",
				   role_name(role), tcp_state_name(sn));
			pen_esc(p, ladder_explain_state(r, role, sn, s));
		}
		pen_printf(p, "</title>%s</text>", tcp_state_name(now));
	}
	p->y = tip_y;
}

/* The notes under one arrow: states passed through, the reasons with
 * --explain, the anomalies at its frame. */
static void draw_row_notes(struct seqd *d, const struct ladder_seg *s,
			   const struct ladder_step *st, bool *drawn)
{
	const struct flow_record *r = d->rec;
	double arrow_y = d->pen.y - SQ_SLOPE / 2.0;
	char buf[600];

	for (int role = 0; role < 2; role++)
		for (int i = 0; i + 1 < st->nentered[role]; i++) {
			snprintf(buf, sizeof(buf), "(%s passes through %s)",
				 role_name(role),
				 tcp_state_name(st->entered[role][i]));
			draw_note_lines(d, "note dim", "", buf);
		}
	if (d->opt->explain) {
		for (int role = 0; role < 2; role++)
			for (int i = 0; i < st->nentered[role]; i++) {
				snprintf(buf, sizeof(buf), "%s %s: %s",
					 role_name(role),
					 tcp_state_name(st->entered[role][i]),
					 ladder_explain_state(
						 r, role, st->entered[role][i],
						 s));
				draw_note_lines(d, "note why", "=", buf);
			}
		ladder_explain_step(r, s, st, buf, sizeof(buf));
		if (buf[0])
			draw_note_lines(d, "note why", "=", buf);
	}
	for (uint16_t i = 0; i < r->nanomalies && i < FLOW_MAX_ANOMALIES; i++)
		if (r->anomalies[i].frame == s->frame) {
			draw_anomaly(d, &r->anomalies[i], arrow_y, false);
			drawn[i] = true;
		}
}

/* A run of segments left out of the drawing. */
static void draw_gap(struct seqd *d, const struct ladder_seg *from,
		     const struct ladder_seg *to, size_t count)
{
	struct pen *p = &d->pen;
	char buf[160];

	snprintf(buf, sizeof(buf),
		 "\u22ee %zu segment%s not drawn (frames %llu-%llu)", count,
		 count == 1 ? "" : "s", (unsigned long long)from->frame,
		 (unsigned long long)to->frame);
	p->y += 22.0;
	pen_printf(p, "<text class=\"gap\" x=\"%.1f\" y=\"%.1f\">",
		   (SQ_CL + SQ_SL) / 2.0, p->y);
	pen_esc(p, buf);
	pen_printf(p, "</text>");
	p->y += 6.0;
}

/* Whether segment i is drawn when not every one can be. */
static bool seg_wanted(const struct flow_record *r,
		       const struct ladder_seg *segs, size_t nsegs, size_t i,
		       uint32_t max)
{
	const struct ladder_seg *s = &segs[i];

	if (i < max / 4 || i + max / 8 >= nsegs)
		return true;
	if (s->flags & (TCP_SYN | TCP_FIN | TCP_RST))
		return true;
	if (s->window == 0)
		return true;
	for (uint16_t k = 0; k < r->nanomalies && k < FLOW_MAX_ANOMALIES; k++)
		if (r->anomalies[k].frame == s->frame)
			return true;
	for (int role = 0; role < 2; role++)
		for (uint8_t k = 0;
		     k < r->ep[role].nstates && k < FLOW_MAX_STATES; k++)
			if (r->ep[role].states[k].frame == s->frame)
				return true;
	return false;
}

static void draw_heading(struct seqd *d)
{
	struct pen *p = &d->pen;
	const struct flow_record *r = d->rec;
	char addr[2][64];

	report_format_endpoint(&r->tuple, TUPLE_SRC, addr[0], sizeof(addr[0]));
	report_format_endpoint(&r->tuple, TUPLE_DST, addr[1], sizeof(addr[1]));
	pen_printf(p, "<text class=\"hd\" x=\"%.1f\" y=\"16\">frame</text>",
		   SQ_FRAME_X);
	pen_printf(p, "<text class=\"hd\" x=\"%.1f\" y=\"16\">time (s)</text>",
		   SQ_TIME_X);
	for (int role = 0; role < 2; role++) {
		double x = role == ROLE_CLIENT ? SQ_CL : SQ_SL;

		pen_printf(p,
			   "<text class=\"who\" x=\"%.1f\" y=\"16\">%s</text>",
			   x, role_name(role));
		pen_printf(p, "<text class=\"addr\" x=\"%.1f\" y=\"31\">", x);
		pen_esc(p, addr[role]);
		pen_printf(p, "</text>");
		pen_printf(
			p,
			"<text class=\"st %s\" x=\"%.1f\" y=\"52\"><title>%s before the first segment: %s, %s</title>%s</text>",
			role == ROLE_CLIENT ? "stl" : "str",
			role == ROLE_CLIENT ? SQ_CL - 8.0 : SQ_SL + 8.0,
			role_name(role),
			tcp_state_name(ladder_initial_state(r, role)),
			ladder_initial_state(r, role) == TCP_ST_UNKNOWN
				? "the capture began after the handshake"
				: "the state the handshake starts from",
			tcp_state_name(ladder_initial_state(r, role)));
	}
	p->y = SQ_HEAD;
}

/* Everything below the heading: the arrows, the gaps, the notes, the
 * anomalies not at a drawn segment and the states at the end. */
static size_t draw_body(struct seqd *d, const struct ladder_seg *segs,
			size_t nsegs, uint64_t dropped)
{
	struct pen *p = &d->pen;
	const struct flow_record *r = d->rec;
	uint32_t max = d->opt->max_rows ? d->opt->max_rows : HTML_MAX_ROWS;
	bool all = nsegs <= max;
	bool drawn[FLOW_MAX_ANOMALIES] = {false};
	struct ladder_walk walk;
	size_t arrows = 0, skipped = 0, skip_from = 0, wanted_left = 0;
	char buf[200];

	if (!all)
		for (size_t i = 0; i < nsegs; i++)
			wanted_left += seg_wanted(r, segs, nsegs, i, max);
	ladder_walk_init(&walk, r);
	for (size_t i = 0; i < nsegs; i++) {
		struct ladder_step st;
		bool want = all || seg_wanted(r, segs, nsegs, i, max);

		/* Near the budget, only the last wanted ones are drawn. */
		if (!all && want) {
			if (arrows + wanted_left > max &&
			    arrows + max / 8 >= max)
				want = false;
			wanted_left--;
		}
		ladder_walk_next(&walk, &segs[i], &st);
		if (!want) {
			if (skipped++ == 0)
				skip_from = i;
			continue;
		}
		if (skipped) {
			draw_gap(d, &segs[skip_from], &segs[i - 1], skipped);
			skipped = 0;
		}
		draw_arrow(d, &segs[i], &st,
			   (double)html_ns_sub(segs[i].ts_ns, segs[0].ts_ns) /
				   1e9);
		draw_row_notes(d, &segs[i], &st, drawn);
		p->y += SQ_ROW - 18.0 - SQ_SLOPE + 6.0;
		arrows++;
	}
	if (skipped)
		draw_gap(d, &segs[skip_from], &segs[nsegs - 1], skipped);
	if (dropped) {
		snprintf(
			buf, sizeof(buf),
			"(%llu more segments were not kept: the report keeps the first ones and those that open, close or carry a finding)",
			(unsigned long long)dropped);
		draw_note_lines(d, "note dim", "", buf);
		p->y += 6.0;
	}
	for (uint16_t k = 0; k < r->nanomalies && k < FLOW_MAX_ANOMALIES; k++)
		if (!drawn[k]) {
			draw_anomaly(d, &r->anomalies[k], p->y + SQ_NOTE - 4.0,
				     true);
			p->y += 4.0;
		}
	if (r->anomalies_dropped) {
		snprintf(buf, sizeof(buf), "(%u more anomalies not kept)",
			 r->anomalies_dropped);
		draw_note_lines(d, "note dim", "", buf);
	}
	p->y += 22.0;
	for (int role = 0; role < 2; role++)
		pen_printf(
			p,
			"<text class=\"st end %s\" x=\"%.1f\" y=\"%.1f\"><title>%s at the end: %s</title>%s</text>",
			role == ROLE_CLIENT ? "stl" : "str",
			role == ROLE_CLIENT ? SQ_CL - 8.0 : SQ_SL + 8.0, p->y,
			role_name(role), tcp_state_name(r->ep[role].state),
			tcp_state_name(r->ep[role].state));
	pen_printf(
		p,
		"<text class=\"gap\" x=\"%.1f\" y=\"%.1f\">(at the end)</text>",
		(SQ_CL + SQ_SL) / 2.0, p->y);
	p->y += 10.0;
	return arrows;
}

size_t html_svg_sequence(FILE *o, const struct flow_record *rec,
			 const struct ladder_seg *segs, size_t nsegs,
			 uint64_t dropped, const struct html_draw_opts *opt)
{
	struct seqd d = {.pen = {.o = o, .dry = true},
			 .rec = rec,
			 .opt = opt,
			 .width = SQ_W};
	char addr[64];
	double height, right;
	size_t arrows;

	/* A long IPv6 server address, centred on its line, widens the picture. */
	report_format_endpoint(&rec->tuple, TUPLE_DST, addr, sizeof(addr));
	right = SQ_SL + (double)strlen(addr) * 6.6 / 2.0 + 8.0;
	if (right > d.width)
		d.width = right;

	draw_heading(&d);
	draw_body(&d, segs, nsegs, dropped);
	height = d.pen.y;

	d.pen.dry = false;
	d.pen.y = 0;
	fprintf(o,
		"<svg class=\"seq\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">",
		d.width, height, d.width, height);
	fprintf(o,
		"<title>Sequence diagram of flow %llu: %zu segment%s between the client (left) and the server (right)</title>",
		(unsigned long long)rec->id, nsegs, nsegs == 1 ? "" : "s");
	fprintf(o,
		"<line class=\"life\" x1=\"%.1f\" y1=\"40\" x2=\"%.1f\" y2=\"%.1f\"/>",
		SQ_CL, SQ_CL, height - 26.0);
	fprintf(o,
		"<line class=\"life\" x1=\"%.1f\" y1=\"40\" x2=\"%.1f\" y2=\"%.1f\"/>",
		SQ_SL, SQ_SL, height - 26.0);
	draw_heading(&d);
	arrows = draw_body(&d, segs, nsegs, dropped);
	fputs("</svg>\n", o);
	return arrows;
}

/* ---- the state timeline ---- */

#define ST_X0 70.0
#define ST_X1 780.0
#define ST_W 800.0
#define ST_BAR 22.0

/* When endpoint `role` left its last state, as far as the record says:
 * the time it spent there (CLOSE_WAIT, FIN_WAIT_2, LAST_ACK) may run past
 * the flow's last segment, to the end of the capture. */
static int64_t last_state_end(const struct flow_record *r, int role)
{
	const struct endpoint_record *e = &r->ep[role];
	int64_t end = r->end_ns, in = 0;
	uint8_t n = e->nstates < FLOW_MAX_STATES ? e->nstates : FLOW_MAX_STATES;

	if (n == 0)
		return end;
	switch (e->states[n - 1].state) {
	case TCP_ST_CLOSE_WAIT:
		in = e->close_wait_ns;
		break;
	case TCP_ST_FIN_WAIT_2:
		in = e->fin_wait_2_ns;
		break;
	case TCP_ST_LAST_ACK:
		in = e->last_ack_ns;
		break;
	default:
		break;
	}
	if (in > 0 && html_ns_add(e->states[n - 1].ts_ns, in) > end)
		end = html_ns_add(e->states[n - 1].ts_ns, in);
	return end;
}

static void draw_state_bar(FILE *o, const struct flow_record *r, int role,
			   double y, int64_t t0, int64_t span)
{
	const struct endpoint_record *e = &r->ep[role];
	uint8_t n = e->nstates < FLOW_MAX_STATES ? e->nstates : FLOW_MAX_STATES;
	int64_t from = t0, end = last_state_end(r, role);
	int st = ladder_initial_state(r, role);
	uint64_t frame = r->first_frame;
	double scale = (ST_X1 - ST_X0) / (double)span;

	fprintf(o, "<text class=\"who rl\" x=\"%.1f\" y=\"%.1f\">%s</text>",
		ST_X0 - 8.0, y + 15.0, role_name(role));
	for (uint8_t i = 0; i <= n; i++) {
		int64_t to = i < n ? e->states[i].ts_ns : end;
		double x = ST_X0 + (double)html_ns_sub(from, t0) * scale;
		double w = (double)html_ns_sub(to, from) * scale;
		char secs[32];

		if (i < n && e->states[i].state == st) {
			frame = e->states[i].frame; /* the implied first state */
			continue;
		}
		if (to < from)
			to = from;
		if (w < 1.0)
			w = 1.0;
		if (x + w > ST_X1 + 0.05)
			w = ST_X1 - x > 1.0 ? ST_X1 - x : 1.0;
		snprintf(secs, sizeof(secs), "%.6f",
			 (double)html_ns_sub(to, from) / 1e9);
		fprintf(o,
			"<g class=\"sb s-%s\"><title>%s %s for %s s, from frame %llu%s</title>",
			tcp_state_name(st), role_name(role), tcp_state_name(st),
			secs, (unsigned long long)frame,
			i == n ? (to > r->end_ns
					  ? " (past the flow's last segment, until the capture ended)"
					  : " (to the flow's last segment)")
			       : "");
		fprintf(o,
			"<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.0f\"/>",
			x, y, w, ST_BAR);
		if (w >= (double)strlen(tcp_state_name(st)) * 6.6 + 6.0)
			fprintf(o, "<text x=\"%.1f\" y=\"%.1f\">%s</text>",
				x + 3.0, y + 15.0, tcp_state_name(st));
		fputs("</g>", o);
		if (i < n) {
			st = e->states[i].state;
			frame = e->states[i].frame;
			from = to;
		}
	}
}

void html_svg_states(FILE *o, const struct flow_record *rec)
{
	int64_t t0 = rec->start_ns, t1 = rec->end_ns, span;
	char secs[32];

	for (int role = 0; role < 2; role++)
		if (last_state_end(rec, role) > t1)
			t1 = last_state_end(rec, role);
	span = t1 > t0 ? html_ns_sub(t1, t0) : 1;
	snprintf(secs, sizeof(secs), "%.6f", (double)html_ns_sub(t1, t0) / 1e9);
	fprintf(o,
		"<svg class=\"states\" width=\"%.0f\" height=\"92\" viewBox=\"0 0 %.0f 92\">",
		ST_W, ST_W);
	fprintf(o,
		"<title>States of flow %llu over %s s: one bar per endpoint, one box per state</title>",
		(unsigned long long)rec->id, secs);
	draw_state_bar(o, rec, ROLE_CLIENT, 6.0, t0, span);
	draw_state_bar(o, rec, ROLE_SERVER, 34.0, t0, span);
	fprintf(o,
		"<line class=\"axis\" x1=\"%.1f\" y1=\"64\" x2=\"%.1f\" y2=\"64\"/>",
		ST_X0, ST_X1);
	fprintf(o, "<text class=\"tick\" x=\"%.1f\" y=\"80\">0 s</text>",
		ST_X0);
	fprintf(o, "<text class=\"tick end\" x=\"%.1f\" y=\"80\">%s s</text>",
		ST_X1, secs);
	fputs("</svg>\n", o);
}

/* ---- the time-sequence graph ---- */

#define TS_X0 80.0
#define TS_X1 780.0
#define TS_Y0 24.0
#define TS_Y1 236.0
#define TS_W 800.0
#define TS_H 270.0

bool html_has_data(const struct ladder_seg *segs, size_t nsegs, int role)
{
	for (size_t i = 0; i < nsegs; i++)
		if (segs[i].from == role && segs[i].len > 0)
			return true;
	return false;
}

/* The receive window the peer announced in s, scaled when both sides
 * agreed on scaling (never in a SYN: RFC 7323 2.2). */
static uint64_t seg_window(const struct flow_record *r,
			   const struct ladder_seg *s)
{
	const struct endpoint_record *e = &r->ep[s->from];
	uint64_t w = s->window;

	if (e->wscale_ok && !(s->flags & TCP_SYN))
		w <<= e->wscale > 14 ? 14 : e->wscale;
	return w;
}

struct ts_scale {
	int64_t t0;
	double xs, ys; /* px per ns, px per byte */
	double top;    /* the highest sequence number drawn */
};

static double ts_x(const struct ts_scale *k, int64_t t)
{
	return TS_X0 + (double)html_ns_sub(t, k->t0) * k->xs;
}

static double ts_y(const struct ts_scale *k, double seq)
{
	return TS_Y1 - seq * k->ys;
}

/* A step line of the peer's ACKs (`win`: ACK + window instead). */
static void ts_step_line(FILE *o, const struct flow_record *r,
			 const struct ladder_seg *segs, size_t nsegs, int role,
			 const struct ts_scale *k, bool win, int64_t t_end)
{
	struct ladder_walk walk;
	double last_y = 0;
	bool started = false;

	ladder_walk_init(&walk, r);
	fprintf(o, "<g class=\"%s\"><title>%s</title><polyline points=\"",
		win ? "rwin" : "ackl",
		win ? "the receive window the peer announced: ACK + window, the highest sequence number it will take (along the top edge when past the scale)"
		    : "the peer's cumulative ACK: every byte below it was received");
	for (size_t i = 0; i < nsegs; i++) {
		struct ladder_step st;
		double y;

		ladder_walk_next(&walk, &segs[i], &st);
		if (segs[i].from == role || !(segs[i].flags & TCP_ACK) ||
		    (segs[i].flags & TCP_RST))
			continue;
		y = (double)st.rel_ack +
		    (win ? (double)seg_window(r, &segs[i]) : 0.0);
		if (y > k->top)
			y = k->top;
		if (started)
			fprintf(o, "%.1f,%.1f ", ts_x(k, segs[i].ts_ns),
				last_y);
		last_y = ts_y(k, y);
		fprintf(o, "%.1f,%.1f ", ts_x(k, segs[i].ts_ns), last_y);
		started = true;
	}
	if (started)
		fprintf(o, "%.1f,%.1f", ts_x(k, t_end), last_y);
	fputs("\"/></g>", o);
}

void html_svg_tsg(FILE *o, const struct flow_record *rec,
		  const struct ladder_seg *segs, size_t nsegs, int role)
{
	struct ladder_walk walk;
	struct ts_scale k;
	double top = 1.0;
	int64_t t1;
	uint32_t high = 0;
	bool have_high = false;
	char buf[220];

	if (nsegs == 0)
		return;
	k.t0 = segs[0].ts_ns;
	t1 = segs[nsegs - 1].ts_ns;
	ladder_walk_init(&walk, rec);
	for (size_t i = 0; i < nsegs; i++) {
		struct ladder_step st;
		double y;

		ladder_walk_next(&walk, &segs[i], &st);
		if (segs[i].flags & TCP_RST)
			continue;
		if (segs[i].from == role && !st.keepalive)
			y = (double)st.rel_seq + segs[i].len;
		else if (segs[i].from != role && (segs[i].flags & TCP_ACK))
			y = (double)st.rel_ack;
		else
			continue;
		if (y > top)
			top = y;
	}
	/* The scale is the data's, with room above; a window reaching past
	 * it runs along the top edge (its title says so). */
	top *= 1.15;
	k.xs = (TS_X1 - TS_X0) /
	       (double)(t1 > k.t0 ? html_ns_sub(t1, k.t0) : 1);
	k.ys = (TS_Y1 - TS_Y0) / top;
	k.top = top;

	fprintf(o,
		"<svg class=\"tsg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">",
		TS_W, TS_H, TS_W, TS_H);
	fprintf(o,
		"<title>Time-sequence graph of what the %s of flow %llu sent: sequence number (bytes from its ISN) against time</title>",
		role_name(role), (unsigned long long)rec->id);
	fprintf(o,
		"<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
		TS_X0, TS_Y1, TS_X1, TS_Y1);
	fprintf(o,
		"<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
		TS_X0, TS_Y0, TS_X0, TS_Y1);
	fprintf(o, "<text class=\"tick end\" x=\"%.1f\" y=\"%.1f\">0</text>",
		TS_X0 - 6.0, TS_Y1 + 4.0);
	fprintf(o, "<text class=\"tick end\" x=\"%.1f\" y=\"%.1f\">%.0f</text>",
		TS_X0 - 6.0, TS_Y0 + 4.0, top);
	fprintf(o, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\">0 s</text>",
		TS_X0, TS_Y1 + 18.0);
	fprintf(o,
		"<text class=\"tick end\" x=\"%.1f\" y=\"%.1f\">%.6f s</text>",
		TS_X1, TS_Y1 + 18.0, (double)html_ns_sub(t1, k.t0) / 1e9);
	fprintf(o,
		"<text class=\"tick\" x=\"%.1f\" y=\"%.1f\">sequence number (bytes from the ISN)</text>",
		TS_X0, TS_Y0 - 10.0);
	ts_step_line(o, rec, segs, nsegs, role, &k, true, t1);
	ts_step_line(o, rec, segs, nsegs, role, &k, false, t1);

	ladder_walk_init(&walk, rec);
	for (size_t i = 0; i < nsegs; i++) {
		const struct ladder_seg *s = &segs[i];
		struct ladder_step st;
		double x, ya, yb;
		bool rtx;
		uint32_t end;

		ladder_walk_next(&walk, s, &st);
		x = ts_x(&k, s->ts_ns);
		if (s->from != role) {
			if (s->window == 0 && !(s->flags & TCP_RST) &&
			    (s->flags & TCP_ACK)) {
				yb = ts_y(&k, (double)st.rel_ack);
				snprintf(
					buf, sizeof(buf),
					"frame %llu: the %s announces a zero window at ack %u",
					(unsigned long long)s->frame,
					role_name(s->from), st.rel_ack);
				fprintf(o,
					"<g class=\"zwin\"><title>%s</title><path d=\"M%.1f %.1fl8 8m0 -8l-8 8\"/></g>",
					buf, x - 4.0, yb - 4.0);
			}
			continue;
		}
		if (s->len == 0 || (s->flags & TCP_RST))
			continue;
		end = st.rel_seq + s->len;
		rtx = have_high && !st.keepalive && (int32_t)(end - high) <= 0;
		if (!have_high || (int32_t)(end - high) > 0) {
			high = end;
			have_high = true;
		}
		ya = ts_y(&k, (double)st.rel_seq);
		yb = ts_y(&k, (double)end);
		snprintf(buf, sizeof(buf),
			 "frame %llu at %.6f s: bytes %u-%u (%u)%s",
			 (unsigned long long)s->frame,
			 (double)html_ns_sub(s->ts_ns, k.t0) / 1e9, st.rel_seq,
			 end, s->len, rtx ? ", a retransmission" : "");
		fprintf(o,
			"<g class=\"%s\"><title>%s</title><path d=\"M%.1f %.1fV%.1fM%.1f %.1fh6M%.1f %.1fh6\"/>",
			rtx ? "dseg rtx" : "dseg", buf, x, ya, yb, x - 3.0, ya,
			x - 3.0, yb);
		if (rtx)
			fprintf(o, "<text x=\"%.1f\" y=\"%.1f\">R</text>",
				x + 4.0, yb - 2.0);
		fputs("</g>", o);
	}
	fprintf(o,
		"<text class=\"tick legend\" x=\"%.1f\" y=\"%.1f\">I bars: data sent; R: retransmission; lower line: ACK; upper line: receive window; \u00d7: zero window</text>",
		TS_X0, TS_H - 4.0);
	fputs("</svg>\n", o);
}
