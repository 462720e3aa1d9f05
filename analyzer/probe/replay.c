/*
 * replay.c - replay the client side of a recorded connection against a live
 * server and report where the live server diverges (see probe.h).
 *
 * Loading (the ingest path of `tcplint analyze`, analyzer/ingest.h) keeps,
 * from the first connection of the capture that starts with a SYN, every
 * client segment that carries something new (data, FIN, RST, or an ack
 * further than before; the handshake ACK and retransmissions are left out,
 * the endpoint makes its own), with its numbers relative to both recorded
 * ISNs, and, at each of them, how far the recorded server had got: data
 * bytes sent, FIN, RST.
 *
 * Replaying: connect with the endpoint's own ISN; before each client
 * segment wait (bounded by the timeout) until the live server has got as
 * far as the recorded one had, then send the segment with its numbers moved
 * to the live ISNs (the ack never beyond what the live server sent). At the
 * end, wait for the recorded server's final milestones, watch a quiet
 * period, and compare. Waiting for milestones rather than replaying the
 * recorded gaps keeps a replay as fast as the live server.
 */
#include "analyzer/probe/probe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/flow_match.h"
#include "analyzer/ingest.h"
#include "analyzer/seq.h"
#include "formats/wire/capture.h"
#include "formats/wire/decode.h"

#define REPLAY_MAX_SEGMENTS 1024
#define REPLAY_MAX_PAYLOAD (1u << 20)

/* How far the recorded server had got. */
struct replay_milestone {
	uint32_t bytes; /* data bytes sent */
	bool fin;
	bool rst;
	uint64_t frame; /* the server segment that got it there, 0 none */
};

struct replay_seg {
	uint64_t frame;   /* in the recording */
	uint32_t rel_seq; /* relative to the client ISN */
	uint32_t rel_ack; /* relative to the server ISN */
	uint16_t flags;
	uint32_t len;
	uint32_t payload_off;           /* into payload[] */
	struct replay_milestone server; /* before this segment */
};

struct replay_script {
	uint16_t server_port;
	uint64_t frames; /* records in the capture */
	unsigned nsegs;
	struct replay_seg segs[REPLAY_MAX_SEGMENTS];
	struct replay_milestone final;
	uint32_t payload_len;
	uint8_t *payload; /* owned */
};

void replay_script_free(struct replay_script *rs)
{
	if (!rs)
		return;
	free(rs->payload);
	free(rs);
}

uint16_t replay_script_server_port(const struct replay_script *rs)
{
	return rs->server_port;
}

unsigned replay_script_segments(const struct replay_script *rs)
{
	return rs->nsegs;
}

struct replay_loader {
	bool have_flow;
	bool have_server_isn;
	struct flow_match conn; /* the recorded connection (flow_match.h) */
	uint32_t cisn, sisn;
	uint32_t cli_max; /* relative end of client data seen */
	uint32_t cli_ack; /* relative ack furthest sent */
	bool cli_fin, cli_rst;
};

/* Add one client segment if it carries something new. */
static int replay_add_client(struct replay_script *rs, struct replay_loader *l,
			     const struct pkt_view *v, uint64_t frame,
			     char *errbuf, size_t errlen)
{
	struct replay_seg *s;
	uint32_t rseq = v->seq - l->cisn;
	uint32_t rack = v->ack - l->sisn;
	uint32_t end = rseq + v->payload_bytes;
	bool new_data = v->payload_bytes > 0 && SEQ_GT(end, l->cli_max);
	bool new_fin = (v->flags & TCP_FIN) && !l->cli_fin;
	bool new_rst = (v->flags & TCP_RST) && !l->cli_rst;
	bool new_ack = (v->flags & TCP_ACK) && SEQ_GT(rack, l->cli_ack);

	if (!new_data && !new_fin && !new_rst && !new_ack)
		return 0;
	if (rs->nsegs >= REPLAY_MAX_SEGMENTS) {
		snprintf(errbuf, errlen, "replay: more than %d client segments",
			 REPLAY_MAX_SEGMENTS);
		return -1;
	}
	if (v->payload_bytes > REPLAY_MAX_PAYLOAD - rs->payload_len) {
		snprintf(errbuf, errlen,
			 "replay: more than %u bytes of client data",
			 REPLAY_MAX_PAYLOAD);
		return -1;
	}
	s = &rs->segs[rs->nsegs++];
	s->frame = frame;
	s->rel_seq = rseq;
	s->rel_ack = (v->flags & TCP_ACK) ? rack : 0;
	s->flags = v->flags & (TCP_FIN | TCP_RST | TCP_PSH | TCP_ACK);
	s->len = v->payload_bytes;
	s->payload_off = rs->payload_len;
	s->server = rs->final;
	if (v->payload_bytes) {
		uint8_t *dst = rs->payload + rs->payload_len;

		/* bytes the capture cut off are replayed as zeros */
		memset(dst, 0, v->payload_bytes);
		memcpy(dst, v->payload, v->payload_captured);
		rs->payload_len += v->payload_bytes;
	}
	if (new_data)
		l->cli_max = end;
	if (new_ack)
		l->cli_ack = rack;
	l->cli_fin |= new_fin;
	l->cli_rst |= new_rst;
	return 0;
}

static void replay_add_server(struct replay_script *rs, struct replay_loader *l,
			      const struct pkt_view *v, uint64_t frame)
{
	uint32_t rseq = v->seq - l->sisn; /* 1 = first data byte */
	uint32_t end = rseq + v->payload_bytes;

	if (v->flags & TCP_RST) {
		if (!rs->final.rst)
			rs->final.frame = frame;
		rs->final.rst = true;
		return;
	}
	if (v->payload_bytes && rseq >= 1 && SEQ_GT(end - 1, rs->final.bytes)) {
		rs->final.bytes = end - 1;
		rs->final.frame = frame;
	}
	if ((v->flags & TCP_FIN) && !rs->final.fin) {
		rs->final.fin = true;
		rs->final.frame = frame;
	}
}

struct replay_script *replay_script_load(const char *path, char *errbuf,
					 size_t errlen)
{
	struct replay_script *rs;
	struct replay_loader l;
	struct input_record in;
	struct ingest_record rec;
	struct ingest *ig;
	struct capture *c;
	int st;

	c = capture_open_file(path, errbuf, errlen);
	if (!c)
		return NULL;
	rs = calloc(1, sizeof(*rs));
	if (rs)
		rs->payload = malloc(REPLAY_MAX_PAYLOAD);
	if (!rs || !rs->payload) {
		replay_script_free(rs);
		capture_close(c);
		snprintf(errbuf, errlen, "out of memory");
		return NULL;
	}
	/* read as `tcplint analyze` reads it, without an analyzer: the same
	 * records decode to the same segments */
	memset(&in, 0, sizeof(in));
	in.file = path;
	ig = ingest_new(c, NULL, &in, NULL, errbuf, errlen);
	if (!ig) {
		replay_script_free(rs);
		capture_close(c);
		return NULL;
	}
	memset(&l, 0, sizeof(l));
	while ((st = ingest_next(ig, &rec, errbuf, errlen)) == CAPTURE_PACKET) {
		const struct pkt_view *v = &rec.view;
		enum flow_client_rule rule;
		int from;

		if (!rec.tcp)
			continue;
		if (!l.have_flow) {
			/* the client of a SYN, as the analyzer names it */
			flow_match_first(&v->tuple, v->flags, &rule);
			if (rule != FLOW_CLIENT_BY_SYN)
				continue;
			l.have_flow = true;
			flow_match_init(&l.conn, &v->tuple);
			l.cisn = v->seq;
			l.cli_max = 1;
			l.cli_ack = 1;
			rs->server_port = v->tuple.dport;
			continue;
		}
		from = flow_match_sender(&l.conn, &v->tuple);
		if (from == ROLE_SERVER) {
			if ((v->flags & (TCP_SYN | TCP_ACK)) ==
			    (TCP_SYN | TCP_ACK)) {
				if (!l.have_server_isn) {
					l.sisn = v->seq;
					l.have_server_isn = true;
				}
				continue;
			}
			if (l.have_server_isn)
				replay_add_server(rs, &l, v, rec.pkt.frame);
			else if (v->flags & TCP_RST)
				rs->final.rst = true; /* refused */
		} else if (from == ROLE_CLIENT) {
			if (v->flags & TCP_SYN) {
				if (v->seq != l.cisn)
					break; /* a new connection on the same ports */
				continue;
			}
			if (!l.have_server_isn)
				continue;
			if (replay_add_client(rs, &l, v, rec.pkt.frame, errbuf,
					      errlen) != 0) {
				ingest_free(ig);
				capture_close(c);
				replay_script_free(rs);
				return NULL;
			}
		}
	}
	rs->frames = capture_frames(c);
	ingest_free(ig);
	capture_close(c);
	if (st == CAPTURE_ERROR) {
		replay_script_free(rs);
		return NULL;
	}
	if (!l.have_flow || !l.have_server_isn) {
		snprintf(errbuf, errlen,
			 "%s: no TCP connection with a SYN and a SYN-ACK",
			 path);
		replay_script_free(rs);
		return NULL;
	}
	return rs;
}

/* --- replaying ----------------------------------------------------------- */

static void live_milestone(const struct tcp_endpoint *f,
			   struct replay_milestone *m)
{
	uint32_t end = f->peer_fin_seen ? f->peer_fin_seq : f->rcv_nxt;

	m->bytes = f->peer_isn_known ? end - (f->peer_isn + 1) : 0;
	m->fin = f->peer_fin_seen;
	m->rst = f->rst_rcvd;
}

static bool milestone_reached(const struct replay_milestone *live,
			      const struct replay_milestone *rec)
{
	return SEQ_GEQ(live->bytes, rec->bytes) && (live->fin || !rec->fin) &&
	       (live->rst || !rec->rst);
}

static void diverge(struct probe_result *res, enum replay_divergence kind,
		    uint64_t rec_frame, uint64_t live_frame,
		    const struct replay_milestone *rec,
		    const struct replay_milestone *live)
{
	struct probe_divergence *d;

	if (res->ndivergences >= PROBE_MAX_DIVERGENCES)
		return;
	d = &res->divergences[res->ndivergences++];
	d->kind = (uint8_t)kind;
	d->recorded_frame = rec_frame;
	d->live_frame = live_frame;
	d->recorded_bytes = rec->bytes;
	d->live_bytes = live->bytes;
}

/* The last frame of the live exchange. */
static uint64_t live_last_frame(const struct endpoint *ep)
{
	unsigned n;
	const struct endpoint_event *evs = endpoint_events(ep, &n);

	return n ? evs[n - 1].frame : 0;
}

/*
 * Wait until the live server reaches *rec (or resets), acknowledging
 * nothing (the recorded client's own ACKs do that). Returns 0, or -1 on a
 * device error.
 */
static int replay_wait(struct endpoint *ep, const struct replay_milestone *rec,
		       int64_t deadline, struct replay_milestone *live)
{
	const struct tcp_endpoint *f = endpoint_fsm(ep);
	struct endpoint_event ev;
	enum endpoint_status st;

	for (;;) {
		live_milestone(f, live);
		if (milestone_reached(live, rec) || live->rst)
			return 0;
		st = endpoint_poll(ep, deadline, &ev);
		if (st == EP_ERROR)
			return -1;
		if (st != EP_OK)
			return 0;
	}
}

int probe_replay(const struct replay_script *rs, struct endpoint *ep,
		 const struct probe_options *opt, struct probe_result *res)
{
	const struct tcp_endpoint *f = endpoint_fsm(ep);
	struct probe_options o = *opt;
	struct replay_milestone live;
	struct endpoint_event ev;
	enum endpoint_status st;
	bool data_diverged = false, fin_diverged = false;
	unsigned i;

	if (o.timeout_ns <= 0)
		o.timeout_ns = 5000000000LL;
	if (o.quiet_ns <= 0)
		o.quiet_ns = 1000000000LL;
	memset(res, 0, sizeof(*res));
	res->scenario = PROBE_REPLAY;
	res->replay_recorded_frames = rs->frames;
	res->start_ns = endpoint_now(ep);
	st = endpoint_connect(ep, res->start_ns + o.timeout_ns);
	if (st == EP_ERROR || endpoint_handshake(ep) != HS_COMPLETE) {
		res->facts[PF_CONNECTED].outcome = PO_NO;
		res->facts[PF_CONNECTED].expected = PO_YES;
		res->verdict = PV_ERROR;
		snprintf(res->error, sizeof(res->error), "connect: %s",
			 st == EP_TIMEOUT ? "no SYN-ACK within the timeout"
					  : endpoint_error(ep));
		endpoint_abort(ep);
		return st == EP_ERROR ? -1 : 0;
	}
	res->facts[PF_CONNECTED].outcome = PO_YES;
	res->facts[PF_CONNECTED].expected = PO_YES;
	res->facts[PF_CONNECTED].frame = f->syn_acked_frame;
	res->ref_ns = endpoint_now(ep);

	for (i = 0; i < rs->nsegs && !f->rst_rcvd; i++) {
		const struct replay_seg *s = &rs->segs[i];
		struct replay_milestone want = s->server;
		uint32_t ack;

		if (data_diverged)
			want.bytes = 0;
		if (fin_diverged)
			want.fin = false;
		want.rst = false; /* a recorded RST is judged at the end */
		if (replay_wait(ep, &want, endpoint_now(ep) + o.timeout_ns,
				&live) != 0)
			goto dev_error;
		if (live.rst)
			break;
		if (!data_diverged && SEQ_LT(live.bytes, want.bytes)) {
			diverge(res, RD_MISSING_DATA, s->frame,
				live_last_frame(ep), &s->server, &live);
			data_diverged = true;
		}
		if (!fin_diverged && want.fin && !live.fin) {
			diverge(res, RD_MISSING_FIN, s->frame, 0, &s->server,
				&live);
			fin_diverged = true;
		}
		ack = f->peer_isn + s->rel_ack;
		if (SEQ_GT(ack, f->rcv_nxt))
			ack = f->rcv_nxt; /* never acknowledge what did not come */
		if (endpoint_send_raw(ep, f->isn + s->rel_seq, ack, s->flags,
				      rs->payload + s->payload_off,
				      s->len) != EP_OK)
			goto dev_error;
		res->replay_segments++;
		if (s->flags & TCP_RST)
			break;
	}

	/* the end: the recorded server's last milestones, then quiet */
	if (!f->rst_rcvd &&
	    replay_wait(ep, &rs->final, endpoint_now(ep) + o.timeout_ns,
			&live) != 0)
		goto dev_error;
	{
		int64_t quiet_end = endpoint_now(ep) + o.quiet_ns;

		while (!f->rst_rcvd) {
			st = endpoint_poll(ep, quiet_end, &ev);
			if (st == EP_ERROR)
				goto dev_error;
			if (st != EP_OK)
				break;
			/* keep the server from retransmitting while we watch */
			if (ev.len || (ev.flags & TCP_FIN))
				if (endpoint_send(ep, TCP_ACK, NULL, 0) !=
				    EP_OK)
					goto dev_error;
		}
	}
	live_milestone(f, &live);
	if (!data_diverged && SEQ_LT(live.bytes, rs->final.bytes))
		diverge(res, RD_MISSING_DATA, rs->final.frame,
			live_last_frame(ep), &rs->final, &live);
	if (SEQ_GT(live.bytes, rs->final.bytes))
		diverge(res, RD_EXTRA_DATA, 0, live_last_frame(ep), &rs->final,
			&live);
	if (!fin_diverged && rs->final.fin && !live.fin)
		diverge(res, RD_MISSING_FIN, rs->final.frame, 0, &rs->final,
			&live);
	if (!rs->final.fin && live.fin)
		diverge(res, RD_EXTRA_FIN, 0, f->peer_fin_frame, &rs->final,
			&live);
	if (rs->final.rst && !live.rst)
		diverge(res, RD_MISSING_RST, rs->final.frame, 0, &rs->final,
			&live);
	if (!rs->final.rst && live.rst)
		diverge(res, RD_EXTRA_RST, 0, f->rst_frame, &rs->final, &live);

	res->facts[PF_REPLAY_MATCHES].expected = PO_YES;
	res->facts[PF_REPLAY_MATCHES].outcome =
		res->ndivergences ? PO_NO : PO_YES;
	res->facts[PF_REPLAY_MATCHES].count = res->replay_segments;
	res->facts[PF_REPLAY_MATCHES].of = rs->nsegs;
	res->verdict = res->ndivergences ? PV_DEVIATES : PV_CONFORMS;
	if (endpoint_abort(ep) != EP_OK)
		goto dev_error;
	return 0;

dev_error:
	res->verdict = PV_ERROR;
	snprintf(res->error, sizeof(res->error), "replay: %s",
		 endpoint_error(ep));
	return -1;
}
