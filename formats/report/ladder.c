/*
 * ladder.c - the ladder view (see ladder.h): collecting a flow's segments
 * from a packet stream, and drawing them as arrows between the client and
 * the server with the states each endpoint enters, the anomalies at their
 * frames and, with --explain, the reason for each state change in plain
 * words from RFC 9293.
 */
#include "formats/report/ladder.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyzer/flow_match.h"
#include "formats/report/anomaly.h"
#include "formats/report/report.h"

#define ARROW_WIDTH 46 /* characters between the two vertical lines */
#define STATE_WIDTH 12 /* "SYN_RECEIVED" */
#define TIME_WIDTH 9   /* "%9.6f": up to 99.999999 s; wider when needed */

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_DIM "\033[2m"
#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"
#define C_BLUE "\033[34m"
#define C_CYAN "\033[36m"

/* ---- drawing ---- */

struct ladder_draw {
	FILE *o;
	const struct ladder_opts *opt;
	const struct flow_record *rec;
	struct ladder_walk walk;
	int tw;    /* width of the time column */
	int notes; /* column where notes under an arrow start */
};

static const char *lc(const struct ladder_draw *d, const char *code)
{
	return d->opt->color ? code : "";
}

/* tcpdump's flag letters, in tcpdump's order. */
static void ladder_flags(uint16_t flags, char *buf)
{
	static const struct {
		uint16_t bit;
		char c;
	} tab[] = {{TCP_FIN, 'F'}, {TCP_SYN, 'S'}, {TCP_RST, 'R'},
		   {TCP_PSH, 'P'}, {TCP_ACK, '.'}, {TCP_URG, 'U'},
		   {TCP_ECE, 'E'}, {TCP_CWR, 'W'}};
	size_t n = 0;

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (flags & tab[i].bit)
			buf[n++] = tab[i].c;
	if (n == 0)
		buf[n++] = '-';
	buf[n] = '\0';
}

static const char *seg_color(const struct ladder_draw *d, uint16_t flags)
{
	if (flags & TCP_RST)
		return lc(d, C_RED);
	if (flags & TCP_SYN)
		return lc(d, C_GREEN);
	if (flags & TCP_FIN)
		return lc(d, C_BLUE);
	return "";
}

static const char *sev_color(const struct ladder_draw *d, int sev)
{
	switch (sev) {
	case SEV_ERROR:
		return lc(d, C_RED);
	case SEV_WARNING:
		return lc(d, C_YELLOW);
	default:
		return lc(d, C_CYAN);
	}
}

int ladder_initial_state(const struct flow_record *r, int role)
{
	if (r->handshake == HS_NOT_OBSERVED)
		return TCP_ST_UNKNOWN;
	return role == ROLE_CLIENT ? TCP_ST_CLOSED : TCP_ST_LISTEN;
}

static const char *initial_state(const struct flow_record *r, int role)
{
	return tcp_state_name(ladder_initial_state(r, role));
}

/* States endpoint `role` entered at `frame`, from the record's timeline;
 * an entry that repeats the state before it (the implied LISTEN) is not a
 * change and is left out. */
static int states_at(const struct flow_record *r, int role, uint64_t frame,
		     uint8_t *out, int max)
{
	const struct endpoint_record *e = &r->ep[role];
	int n = 0, prev = ladder_initial_state(r, role);

	for (uint8_t i = 0; i < e->nstates && i < FLOW_MAX_STATES; i++) {
		int st = e->states[i].state;

		if (e->states[i].frame == frame && n < max && st != prev)
			out[n++] = (uint8_t)st;
		prev = st;
	}
	return n;
}

/* The state endpoint `role` was in when segment `frame` was captured. */
static int state_before(const struct flow_record *r, int role, uint64_t frame)
{
	const struct endpoint_record *e = &r->ep[role];
	int st = ladder_initial_state(r, role);

	for (uint8_t i = 0; i < e->nstates && i < FLOW_MAX_STATES; i++)
		if (e->states[i].frame < frame)
			st = e->states[i].state;
	return st;
}

const char *ladder_explain_state(const struct flow_record *r, int role, int st,
				 const struct ladder_seg *s)
{
	(void)r;
	switch (st) {
	case TCP_ST_LISTEN:
		return "waits for a SYN: a passive open (RFC 9293 3.5)";
	case TCP_ST_SYN_SENT:
		return "sent a SYN to open actively; waits for the peer's SYN and the ACK of its own (RFC 9293 3.5)";
	case TCP_ST_SYN_RECEIVED:
		return s->from == role
			       ? "sent its SYN, acknowledging the peer's ISN + 1; waits for the ACK of its own SYN (RFC 9293 3.5)"
			       : "got a SYN: it answers with a SYN-ACK acknowledging the ISN + 1 and waits for the ACK of its SYN (RFC 9293 3.5)";
	case TCP_ST_ESTABLISHED:
		if (s->from != role && !(s->flags & TCP_SYN))
			return "the third step: the ACK of its SYN proves the peer got its ISN, as it got the peer's. Two steps would not do: it could not tell a new SYN from an old duplicate still in the network, and would open a connection nobody asked for (RFC 9293 3.5)";
		return "its SYN is acknowledged and it has the peer's SYN: the connection is open, data may flow both ways; its ACK, the third step, confirms the peer's ISN in turn (RFC 9293 3.5)";
	case TCP_ST_FIN_WAIT_1:
		return "sent FIN: an active close, it has no more data to send; waits for the ACK of its FIN and may still receive data (RFC 9293 3.6)";
	case TCP_ST_FIN_WAIT_2:
		return "its FIN is acknowledged: its direction is closed, the other stays open until the peer sends its own FIN (RFC 9293 3.6)";
	case TCP_ST_CLOSE_WAIT:
		return "got the peer's FIN and ACKs it at once, but it may still have data to send, so its own FIN comes later, when the application closes: that is why the ACK and the FIN are separate segments (RFC 9293 3.6)";
	case TCP_ST_CLOSING:
		return "got the peer's FIN before the ACK of its own: the FINs crossed (simultaneous close); waits for the ACK of its FIN (RFC 9293 3.6)";
	case TCP_ST_LAST_ACK:
		return "the passive closer has finished sending and sent its own FIN; waits for the ACK of that FIN (RFC 9293 3.6)";
	case TCP_ST_TIME_WAIT:
		return "both FINs are done; the active closer waits 2 x MSL before forgetting the connection, to re-ACK the peer's FIN if its last ACK was lost and to let old segments of this connection die out (RFC 9293 3.6)";
	case TCP_ST_CLOSED:
		if (s->flags & TCP_RST)
			return "RST: the connection is aborted at once, without FINs and without TIME_WAIT; data still in flight is lost (RFC 9293 3.5.2)";
		return "the ACK of its FIN arrived: the connection is closed for it and its state is deleted (RFC 9293 3.6)";
	default:
		return "the capture does not show which state this endpoint is in";
	}
}

static void pad_to(FILE *o, int col, int target)
{
	for (; col < target; col++)
		fputc(' ', o);
}

/* Serial-number "a after b" (RFC 1982). */
static bool seq_after(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}

void ladder_walk_init(struct ladder_walk *w, const struct flow_record *rec)
{
	memset(w, 0, sizeof(*w));
	w->rec = rec;
	for (int role = 0; role < 2; role++)
		if (rec->ep[role].has_isn) {
			w->base[role] = rec->ep[role].isn;
			w->have_base[role] = true;
		}
}

void ladder_walk_next(struct ladder_walk *w, const struct ladder_seg *s,
		      struct ladder_step *st)
{
	int peer = !s->from;
	uint32_t end;

	memset(st, 0, sizeof(*st));
	if (!w->have_base[s->from]) {
		w->base[s->from] = s->seq;
		w->have_base[s->from] = true;
	}
	st->rel_seq = s->seq - w->base[s->from];
	st->rel_ack = s->ack - (w->have_base[peer] ? w->base[peer] : s->ack);
	ladder_flags(s->flags, st->flags);

	/* A FIN sent again: it does not move the sender's sequence forward. */
	st->fin_again = (s->flags & TCP_FIN) && w->have_nxt[s->from] &&
			!seq_after(s->seq + s->len + 1, w->nxt[s->from]);

	/* A keepalive probe: no new data, seq one below what the peer expects. */
	if (w->have_nxt[s->from] &&
	    !(s->flags & (TCP_SYN | TCP_FIN | TCP_RST)) && s->len <= 1 &&
	    s->seq == w->nxt[s->from] - 1)
		st->keepalive = true;
	end = s->seq + s->len + ((s->flags & TCP_SYN) ? 1 : 0) +
	      ((s->flags & TCP_FIN) ? 1 : 0);
	/* A RST's numbers say nothing about what was sent (a RST answering a
	 * challenge ACK takes its seq from an older connection's ACK); a SYN
	 * starts the sender's sequence space afresh (a retried connection on
	 * the 4-tuple: what it sent before was in another one). */
	if (s->flags & TCP_SYN) {
		w->nxt[s->from] = end;
		w->have_nxt[s->from] = true;
	} else if (!st->keepalive && !(s->flags & TCP_RST) &&
		   (!w->have_nxt[s->from] || seq_after(end, w->nxt[s->from]))) {
		w->nxt[s->from] = end;
		w->have_nxt[s->from] = true;
	}

	st->nentered[0] = states_at(w->rec, ROLE_CLIENT, s->frame,
				    st->entered[0], LADDER_MAX_ENTERED);
	st->nentered[1] = states_at(w->rec, ROLE_SERVER, s->frame,
				    st->entered[1], LADDER_MAX_ENTERED);
}

void ladder_explain_step(const struct flow_record *r,
			 const struct ladder_seg *s,
			 const struct ladder_step *st, char *buf, size_t len)
{
	const char *who = s->from == ROLE_CLIENT ? "client" : "server";
	int peer = !s->from;

	if (len == 0)
		return;
	buf[0] = '\0';
	if (st->fin_again &&
	    state_before(r, peer, s->frame) == TCP_ST_TIME_WAIT)
		snprintf(
			buf, len,
			"the %s sends its FIN again: its ACK was lost or late; the %s, in TIME_WAIT, must answer it with the same ACK again, which is why TIME_WAIT lasts 2 x MSL (RFC 9293 3.6)",
			who, peer == ROLE_CLIENT ? "client" : "server");
	else if (st->fin_again)
		snprintf(
			buf, len,
			"the %s sends its FIN again: no ACK for it came within its retransmission timeout (RFC 9293 3.8.1)",
			who);
	else if (st->keepalive)
		snprintf(
			buf, len,
			"keepalive probe from the %s: one byte below the next sequence number, it asks \"are you still there?\"; a live peer answers with an ACK of what it has (RFC 9293 3.8.4)",
			who);
}

static void draw_segment(struct ladder_draw *d, const struct ladder_seg *s,
			 const struct ladder_seg *first)
{
	FILE *o = d->o;
	const struct flow_record *r = d->rec;
	struct ladder_step step;
	char label[96], why[512];
	int n;

	ladder_walk_next(&d->walk, s, &step);
	n = snprintf(label, sizeof(label), " [%s] seq %u", step.flags,
		     step.rel_seq);
	if (s->flags & TCP_ACK)
		n += snprintf(label + n, sizeof(label) - (size_t)n, " ack %u",
			      step.rel_ack);
	n += snprintf(label + n, sizeof(label) - (size_t)n, " len %u", s->len);
	if (s->window == 0 && !(s->flags & TCP_RST))
		n += snprintf(label + n, sizeof(label) - (size_t)n, " win 0");
	snprintf(label + n, sizeof(label) - (size_t)n, " ");

	fprintf(o, "%6llu  %*.6f  ", (unsigned long long)s->frame, d->tw,
		(double)(s->ts_ns - first->ts_ns) / 1e9);
	if (step.nentered[0]) {
		const char *name =
			tcp_state_name(step.entered[0][step.nentered[0] - 1]);

		fprintf(o, "%s%s%s", lc(d, C_BOLD), name, lc(d, C_RESET));
		pad_to(o, (int)strlen(name), STATE_WIDTH);
	} else {
		pad_to(o, 0, STATE_WIDTH);
	}
	fputc(' ', o);
	fputc('|', o);
	fputs(seg_color(d, s->flags), o);
	{
		int len = (int)strlen(label), body = ARROW_WIDTH - 3 - len;

		if (body < 2)
			body = 2;
		if (s->from == ROLE_CLIENT) {
			fputs("--", o);
			fputs(label, o);
			for (int i = 0; i < body; i++)
				fputc('-', o);
			fputc('>', o);
		} else {
			fputs("<-", o);
			fputs(label, o);
			for (int i = 0; i < body + 1; i++)
				fputc('-', o);
		}
	}
	fputs(d->opt->color && seg_color(d, s->flags)[0] ? C_RESET : "", o);
	fputc('|', o);
	if (step.nentered[1])
		fprintf(o, " %s%s%s", lc(d, C_BOLD),
			tcp_state_name(step.entered[1][step.nentered[1] - 1]),
			lc(d, C_RESET));
	fputc('\n', o);

	/* Intermediate states passed through at the same frame. */
	for (int role = 0; role < 2; role++)
		for (int i = 0; i + 1 < step.nentered[role]; i++) {
			pad_to(o, 0, d->notes);
			fprintf(o, "%s(%s passes through %s)%s\n", lc(d, C_DIM),
				role == ROLE_CLIENT ? "client" : "server",
				tcp_state_name(step.entered[role][i]),
				lc(d, C_RESET));
		}
	if (d->opt->explain) {
		for (int role = 0; role < 2; role++)
			for (int i = 0; i < step.nentered[role]; i++) {
				pad_to(o, 0, d->notes);
				fprintf(o, "%s= %s %s: %s%s\n", lc(d, C_DIM),
					role == ROLE_CLIENT ? "client"
							    : "server",
					tcp_state_name(step.entered[role][i]),
					ladder_explain_state(
						r, role, step.entered[role][i],
						s),
					lc(d, C_RESET));
			}
		ladder_explain_step(r, s, &step, why, sizeof(why));
		if (why[0]) {
			pad_to(o, 0, d->notes);
			fprintf(o, "%s= %s%s\n", lc(d, C_DIM), why,
				lc(d, C_RESET));
		}
	}
	/* Anomalies at this frame. */
	for (uint16_t i = 0; i < r->nanomalies && i < FLOW_MAX_ANOMALIES; i++) {
		const struct anomaly *a = &r->anomalies[i];
		char msg[512];

		if (a->frame != s->frame)
			continue;
		anomaly_describe(r, a, msg, sizeof(msg));
		pad_to(o, 0, d->notes);
		fprintf(o, "%s! %s %s: %s%s\n", sev_color(d, a->severity),
			severity_name(a->severity), anomaly_type_name(a->type),
			msg, lc(d, C_RESET));
	}
}

static void draw_header(struct ladder_draw *d, const struct ladder_seg *first)
{
	FILE *o = d->o;
	const struct flow_record *r = d->rec;
	char cli[64], srv[64], when[64] = "";
	time_t secs = (time_t)(r->start_ns / 1000000000LL);
	long usecs = (long)((r->start_ns % 1000000000LL) / 1000);
	struct tm tm;

	report_format_endpoint(&r->tuple, TUPLE_SRC, cli, sizeof(cli));
	report_format_endpoint(&r->tuple, TUPLE_DST, srv, sizeof(srv));
	if (usecs < 0) {
		usecs += 1000000;
		secs--;
	}
	if (localtime_r(&secs, &tm)) {
		char base[40], zone[16];

		strftime(base, sizeof(base), "%Y-%m-%d %H:%M:%S", &tm);
		strftime(zone, sizeof(zone), "%Z", &tm);
		snprintf(when, sizeof(when), "%s.%06ld %s", base, usecs, zone);
	}
	fprintf(o, "%sflow %llu%s  %s > %s", lc(d, C_BOLD),
		(unsigned long long)r->id, lc(d, C_RESET), cli, srv);
	if (r->input < d->opt->ninput_names && d->opt->input_names[r->input])
		fprintf(o, "  (%s)", d->opt->input_names[r->input]);
	fputc('\n', o);
	fprintf(o,
		"handshake %s, close %s, active closer %s; frames %llu-%llu, %llu packets, started %s\n",
		handshake_verdict_name(r->handshake),
		close_verdict_name(r->close), closer_name(r->active_closer),
		(unsigned long long)r->first_frame,
		(unsigned long long)r->last_frame,
		(unsigned long long)r->packets, when);
	if (r->client_by_port)
		fputs("(no SYN seen: the client is the side with the higher, ephemeral port)\n",
		      o);
	if (r->capture_point != CAPTURE_UNKNOWN || r->artefacts) {
		static const char *const where[] = {
			[CAPTURE_NEAR_CLIENT] = "near the client",
			[CAPTURE_NEAR_SERVER] = "near the server",
			[CAPTURE_MIDDLE] = "between the endpoints",
		};
		const char *sep = "";

		if (r->capture_point != CAPTURE_UNKNOWN &&
		    r->capture_point < CAPTURE_POINT_COUNT) {
			fprintf(o, "captured %s (handshake timing)",
				where[r->capture_point]);
			sep = "; ";
		}
		if (r->artefacts) {
			fprintf(o, "%scapture artefacts:", sep);
			for (int i = 0; i < ARTEFACT_COUNT; i++)
				if (r->artefacts & (1u << i))
					fprintf(o, " %s", artefact_name(i));
		}
		fputc('\n', o);
	}
	fputc('\n', o);
	fprintf(o, "%6s  %*s  %-*s", "frame", d->tw, "time", STATE_WIDTH + 1,
		"client");
	pad_to(o, 0, ARROW_WIDTH + 2 - 6);
	fputs("server\n", o);
	pad_to(o, 0, 10 + d->tw);
	fprintf(o, "%-*s |", STATE_WIDTH,
		first ? initial_state(r, ROLE_CLIENT) : "");
	pad_to(o, 0, ARROW_WIDTH);
	fprintf(o, "| %s\n", initial_state(r, ROLE_SERVER));
}

int ladder_render(FILE *out, const struct flow_record *rec,
		  const struct ladder_seg *segs, size_t nsegs,
		  const struct ladder_opts *opts)
{
	struct ladder_draw d = {.o = out, .opt = opts, .rec = rec};
	bool drawn[FLOW_MAX_ANOMALIES] = {false};

	d.tw = TIME_WIDTH;
	if (nsegs) {
		char tmp[48];
		int w = snprintf(
			tmp, sizeof(tmp), "%.6f",
			(double)(segs[nsegs - 1].ts_ns - segs[0].ts_ns) / 1e9);

		if (w > d.tw)
			d.tw = w;
	}
	d.notes = 10 + d.tw + STATE_WIDTH + 2;
	ladder_walk_init(&d.walk, rec);
	draw_header(&d, nsegs ? &segs[0] : NULL);
	for (size_t i = 0; i < nsegs; i++) {
		draw_segment(&d, &segs[i], &segs[0]);
		for (uint16_t k = 0;
		     k < rec->nanomalies && k < FLOW_MAX_ANOMALIES; k++)
			if (rec->anomalies[k].frame == segs[i].frame)
				drawn[k] = true;
	}
	/* Anomalies not at a drawn segment (timers at the end of the capture). */
	for (uint16_t k = 0; k < rec->nanomalies && k < FLOW_MAX_ANOMALIES;
	     k++) {
		const struct anomaly *a = &rec->anomalies[k];
		char msg[512];

		if (drawn[k])
			continue;
		anomaly_describe(rec, a, msg, sizeof(msg));
		pad_to(out, 0, d.notes);
		fprintf(out, "%s! %s %s (frame %llu): %s%s\n",
			sev_color(&d, a->severity), severity_name(a->severity),
			anomaly_type_name(a->type),
			(unsigned long long)a->frame, msg, lc(&d, C_RESET));
	}
	if (rec->anomalies_dropped)
		fprintf(out, "%*s(%u more anomalies not kept)\n", d.notes, "",
			rec->anomalies_dropped);
	pad_to(out, 0, 10 + d.tw);
	fprintf(out, "%s%-*s%s |", lc(&d, C_BOLD), STATE_WIDTH,
		tcp_state_name(rec->ep[ROLE_CLIENT].state), lc(&d, C_RESET));
	pad_to(out, 0, ARROW_WIDTH);
	fprintf(out, "| %s%s%s   (at the end)\n", lc(&d, C_BOLD),
		tcp_state_name(rec->ep[ROLE_SERVER].state), lc(&d, C_RESET));
	return ferror(out) ? -1 : 0;
}

/* ---- collecting segments ---- */

/* The segments of a flow are the ones the analyzer gave it: the matcher's
 * (flow_match.h) key and sender, within the flow's frames of its input. */
struct ladder_entry {
	struct flow_record rec;
	struct flow_match match; /* rec's connection */
	struct ladder_seg *segs; /* owned */
	size_t nsegs, cap;
	uint64_t dropped; /* segments past the set's cap, not kept */
	uint64_t hash;
	struct ladder_entry *next; /* hash chain (points into the array) */
};

struct ladder_set {
	struct ladder_entry *e; /* owned */
	size_t n, cap;
	struct ladder_entry **buckets; /* owned, built on the first packet */
	size_t nbuckets;               /* power of two */
	size_t max_segs;               /* per flow, 0 = all (ladder_set_cap) */
};

struct ladder_set *ladder_set_new(void)
{
	return calloc(1, sizeof(struct ladder_set));
}

void ladder_set_free(struct ladder_set *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		free(s->e[i].segs);
	free(s->e);
	free(s->buckets);
	free(s);
}

size_t ladder_set_count(const struct ladder_set *s)
{
	return s->n;
}

void ladder_set_cap(struct ladder_set *s, size_t max_segs)
{
	s->max_segs = max_segs;
}

const struct flow_record *ladder_set_flow(const struct ladder_set *s, size_t i,
					  const struct ladder_seg **segs,
					  size_t *nsegs, uint64_t *dropped)
{
	const struct ladder_entry *e = &s->e[i];

	*segs = e->segs;
	*nsegs = e->nsegs;
	*dropped = e->dropped;
	return &e->rec;
}

/* Whether a segment past the cap is still kept: it opens, closes or
 * resets, or the record has an anomaly or a state change at its frame. */
static bool seg_telling(const struct flow_record *r, uint16_t flags,
			uint64_t frame)
{
	if (flags & (TCP_SYN | TCP_FIN | TCP_RST))
		return true;
	for (uint16_t i = 0; i < r->nanomalies && i < FLOW_MAX_ANOMALIES; i++)
		if (r->anomalies[i].frame == frame)
			return true;
	for (int role = 0; role < 2; role++)
		for (uint8_t i = 0;
		     i < r->ep[role].nstates && i < FLOW_MAX_STATES; i++)
			if (r->ep[role].states[i].frame == frame)
				return true;
	return false;
}

/* Hash of a connection's canonical key in one input. The set holds only
 * the flows to draw, so a chain is never longer than the flows that share
 * a bucket; a fixed seed will do. */
static uint64_t conn_hash(uint32_t input, const struct flow_key *key)
{
	static const struct flow_hash_seed seed = {0x6c61646465722d31ULL,
						   0x7463706c696e7431ULL};

	return flow_key_hash(&seed, key) + input * 0x9E3779B97F4A7C15ULL;
}

int ladder_set_add(struct ladder_set *s, const struct flow_record *rec)
{
	struct ladder_entry *e;

	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 8;
		struct ladder_entry *n;

		if (cap > SIZE_MAX / sizeof(*n) ||
		    !(n = realloc(s->e, cap * sizeof(*n))))
			return -1;
		s->e = n;
		s->cap = cap;
	}
	e = &s->e[s->n++];
	memset(e, 0, sizeof(*e));
	e->rec = *rec;
	flow_match_init(&e->match, &rec->tuple);
	e->hash = conn_hash(rec->input, &e->match.key);
	free(s->buckets); /* rebuilt on the next packet */
	s->buckets = NULL;
	return 0;
}

static int build_buckets(struct ladder_set *s)
{
	size_t nb = 16;

	while (nb < s->n * 2)
		nb *= 2;
	s->buckets = calloc(nb, sizeof(*s->buckets));
	if (!s->buckets)
		return -1;
	s->nbuckets = nb;
	for (size_t i = 0; i < s->n; i++) {
		struct ladder_entry *e = &s->e[i];
		size_t b = e->hash & (nb - 1);

		e->next = s->buckets[b];
		s->buckets[b] = e;
	}
	return 0;
}

int ladder_set_packet(struct ladder_set *s, uint32_t input,
		      const struct pkt_view *pkt, uint64_t frame, int64_t ts_ns)
{
	struct flow_key key;
	bool src_low;
	uint64_t h;

	if (s->n == 0)
		return 0;
	if (!s->buckets && build_buckets(s) != 0)
		return -1;
	src_low = flow_key_make(&key, &pkt->tuple);
	h = conn_hash(input, &key);
	for (struct ladder_entry *e = s->buckets[h & (s->nbuckets - 1)]; e;
	     e = e->next) {
		const struct flow_record *r = &e->rec;
		struct ladder_seg *g;
		int from;

		if (e->hash != h || r->input != input ||
		    frame < r->first_frame || frame > r->last_frame)
			continue;
		from = flow_match_sender_key(&e->match, &key, src_low);
		if (from < 0)
			continue;
		if (s->max_segs && e->nsegs >= s->max_segs &&
		    (e->nsegs >= 2 * s->max_segs ||
		     !seg_telling(r, pkt->flags, frame))) {
			e->dropped++;
			return 0;
		}
		if (e->nsegs == e->cap) {
			size_t cap = e->cap ? e->cap * 2 : 32;
			struct ladder_seg *n;

			if (cap > SIZE_MAX / sizeof(*n) ||
			    !(n = realloc(e->segs, cap * sizeof(*n))))
				return -1;
			e->segs = n;
			e->cap = cap;
		}
		g = &e->segs[e->nsegs++];
		g->frame = frame;
		g->ts_ns = ts_ns;
		g->seq = pkt->seq;
		g->ack = pkt->ack;
		g->len = pkt->payload_bytes;
		g->flags = pkt->flags;
		g->window = pkt->window;
		g->from = (uint8_t)from;
		return 0;
	}
	return 0;
}

static int entry_cmp(const void *pa, const void *pb)
{
	const struct ladder_entry *a = *(const struct ladder_entry *const *)pa;
	const struct ladder_entry *b = *(const struct ladder_entry *const *)pb;

	if (a->rec.input != b->rec.input)
		return a->rec.input < b->rec.input ? -1 : 1;
	return a->rec.id < b->rec.id ? -1 : a->rec.id > b->rec.id;
}

int ladder_set_render(const struct ladder_set *s, FILE *out,
		      const struct ladder_opts *opts)
{
	const struct ladder_entry **v;
	int ret = 0;

	if (s->n == 0)
		return 0;
	v = calloc(s->n, sizeof(*v));
	if (!v)
		return -1;
	for (size_t i = 0; i < s->n; i++)
		v[i] = &s->e[i];
	qsort(v, s->n, sizeof(*v), entry_cmp);
	for (size_t i = 0; i < s->n && ret == 0; i++) {
		if (i)
			fputc('\n', out);
		ret = ladder_render(out, &v[i]->rec, v[i]->segs, v[i]->nsegs,
				    opts);
	}
	free(v);
	return ret;
}
