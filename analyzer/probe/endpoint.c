/*
 * endpoint.c - the probe's user-space TCP client (see endpoint.h).
 *
 * Send path: numbers from the machine's own tracking (tx.nxt, rcv_nxt) ->
 * build_segment() (IP header first) -> trace -> netdev send -> then
 * tcp_fsm_step(TCP_FSM_SEND), so the machine only ever sees what really
 * left. Receive path: netdev recv -> decode_packet() -> the matcher (is it
 * the peer's, on our connection: analyzer/flow_match.h) ->
 * tcp_fsm_step(TCP_FSM_RECV) -> trace and log. The retransmission timer
 * covers the one control segment in flight (SYN or FIN): it fires in
 * endpoint_poll(), never by itself, so every wait is the caller's deadline.
 */
#include "analyzer/probe/endpoint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "analyzer/flow_match.h"
#include "analyzer/seq.h"
#include "analyzer/verdict.h"
#include "formats/wire/build.h"
#include "formats/wire/decode.h"
#include "formats/wire/pcap_out.h"

struct endpoint_rtx {
	bool armed;
	uint16_t flags; /* TCP_SYN, or TCP_FIN|TCP_ACK */
	uint32_t seq;   /* sequence number of the SYN / FIN */
	int64_t due_ns;
	int64_t rto_ns;
	unsigned retries;
};

struct endpoint {
	struct endpoint_config cfg;
	struct flow_match conn; /* cfg.tuple, we the client */
	struct netdev *dev;     /* borrowed */
	struct pcap_out *trace; /* borrowed, may be NULL */
	struct tcp_endpoint fsm;
	struct endpoint_rtx rtx;
	bool withhold;
	uint64_t frames; /* frames sent + received */
	unsigned nevents;
	unsigned nchanges;
	unsigned dropped;
	struct endpoint_event events[ENDPOINT_MAX_EVENTS];
	struct endpoint_change changes[ENDPOINT_MAX_CHANGES];
	char err[256];
	uint8_t buf[BUILD_MAX_FRAME]; /* the frame being sent */
};

static uint32_t endpoint_random_isn(void)
{
	uint32_t v = 0;

	if (getrandom(&v, sizeof(v), 0) != (ssize_t)sizeof(v))
		v = (uint32_t)(uintptr_t)&v ^
		    0x5bd1e995u; /* still varies (ASLR) */
	return v;
}

struct endpoint *endpoint_new(const struct endpoint_config *cfg,
			      struct netdev *dev)
{
	struct endpoint *ep;

	if (cfg->tuple.ip_version != 4 && cfg->tuple.ip_version != 6)
		return NULL;
	ep = calloc(1, sizeof(*ep));
	if (!ep)
		return NULL;
	ep->cfg = *cfg;
	flow_match_init(&ep->conn, &cfg->tuple);
	if (!ep->cfg.isn_set)
		ep->cfg.isn = endpoint_random_isn();
	if (!ep->cfg.mss)
		ep->cfg.mss = 1460;
	if (!ep->cfg.window)
		ep->cfg.window = 65535;
	if (ep->cfg.rto_initial_ns <= 0)
		ep->cfg.rto_initial_ns = 1000000000;
	if (ep->cfg.rto_max_ns <= 0)
		ep->cfg.rto_max_ns = 8000000000LL;
	if (!ep->cfg.max_retries)
		ep->cfg.max_retries = 3;
	ep->dev = dev;
	tcp_fsm_init(&ep->fsm, TCP_ST_CLOSED, 0, dev->ops->now_ns(dev));
	return ep;
}

void endpoint_free(struct endpoint *ep)
{
	free(ep);
}

void endpoint_set_trace(struct endpoint *ep, struct pcap_out *out)
{
	ep->trace = out;
}

const char *endpoint_error(const struct endpoint *ep)
{
	return ep->err;
}

const struct tcp_endpoint *endpoint_fsm(const struct endpoint *ep)
{
	return &ep->fsm;
}

int64_t endpoint_now(const struct endpoint *ep)
{
	return ep->dev->ops->now_ns(ep->dev);
}

const struct endpoint_event *endpoint_events(const struct endpoint *ep,
					     unsigned *n)
{
	*n = ep->nevents;
	return ep->events;
}

const struct endpoint_event *endpoint_event(const struct endpoint *ep,
					    uint64_t frame)
{
	unsigned i;

	for (i = 0; i < ep->nevents; i++)
		if (ep->events[i].frame == frame)
			return &ep->events[i];
	return NULL;
}

const struct endpoint_change *endpoint_changes(const struct endpoint *ep,
					       unsigned *n)
{
	*n = ep->nchanges;
	return ep->changes;
}

unsigned endpoint_dropped(const struct endpoint *ep)
{
	return ep->dropped;
}

enum handshake_verdict endpoint_handshake(const struct endpoint *ep)
{
	return verdict_handshake_of_client(&ep->fsm);
}

void endpoint_withhold_fin_ack(struct endpoint *ep, bool on)
{
	ep->withhold = on;
}

uint32_t endpoint_ack_value(const struct endpoint *ep)
{
	const struct tcp_endpoint *f = &ep->fsm;

	if (ep->withhold && f->peer_fin_seen &&
	    SEQ_GT(f->rcv_nxt, f->peer_fin_seq))
		return f->peer_fin_seq;
	return f->rcv_nxt;
}

/* Step the machine and log the segment; returns the log entry (or a
 * scratch one when the log is full). */
static struct endpoint_event *endpoint_record(struct endpoint *ep,
					      enum tcp_fsm_dir dir,
					      const struct tcp_seg *seg,
					      bool retransmission)
{
	static const struct endpoint_event zero;
	struct tcp_fsm_result res;
	struct endpoint_event *ev;
	unsigned i;

	tcp_fsm_step(&ep->fsm, dir, seg, &res);
	for (i = 0; i < res.nchanges; i++) {
		if (ep->nchanges < ENDPOINT_MAX_CHANGES) {
			struct endpoint_change *c =
				&ep->changes[ep->nchanges++];

			c->frame = res.change[i].frame;
			c->ts_ns = res.change[i].ts_ns;
			c->from = res.change[i].from;
			c->to = res.change[i].to;
		} else {
			ep->dropped++;
		}
	}
	if (ep->nevents < ENDPOINT_MAX_EVENTS) {
		ev = &ep->events[ep->nevents++];
	} else {
		ep->dropped++;
		ev = &ep->events[ENDPOINT_MAX_EVENTS -
				 1]; /* overwrite the last */
	}
	*ev = zero;
	ev->frame = seg->frame;
	ev->ts_ns = seg->ts_ns;
	ev->dir = dir == TCP_FSM_SEND ? EP_SENT : EP_RCVD;
	ev->flags = seg->flags;
	ev->seq = seg->seq;
	ev->ack = seg->ack;
	ev->len = seg->len;
	ev->state = ep->fsm.state;
	ev->notes = res.notes;
	ev->retransmission = retransmission;
	/* the SYN or FIN in flight is acknowledged, or the peer reset */
	if (ep->rtx.armed && dir == TCP_FSM_RECV &&
	    ((ep->fsm.ack_rcvd_known && SEQ_GT(ep->fsm.snd_una, ep->rtx.seq)) ||
	     ep->fsm.state == TCP_ST_CLOSED))
		ep->rtx.armed = false;
	return ev;
}

static enum endpoint_status endpoint_xmit(struct endpoint *ep, uint32_t seq,
					  uint32_t ack, uint16_t flags,
					  const uint8_t *data, uint32_t len,
					  bool retransmission)
{
	struct build_segment seg;
	struct tcp_seg ts;
	size_t flen;
	int64_t now;

	memset(&seg, 0, sizeof(seg));
	seg.link = BUILD_LINK_RAW;
	seg.tuple = ep->cfg.tuple;
	seg.seq = seq;
	seg.ack = (flags & TCP_ACK) ? ack : 0;
	seg.flags = flags;
	seg.window = (flags & TCP_RST) ? 0 : ep->cfg.window;
	seg.payload = data;
	seg.payload_bytes = len;
	if ((flags & TCP_SYN) && build_opt_mss(&seg.opts, ep->cfg.mss) != 0) {
		snprintf(ep->err, sizeof(ep->err), "cannot add the MSS option");
		return EP_ERROR;
	}
	if (build_segment(&seg, ep->buf, sizeof(ep->buf), &flen) != 0) {
		snprintf(ep->err, sizeof(ep->err),
			 "cannot build a %u-byte segment", len);
		return EP_ERROR;
	}
	/* stamped before it leaves, so the peer's answer (stamped by the
	 * capture) never seems to come first */
	now = endpoint_now(ep);
	if (ep->dev->ops->send(ep->dev, ep->buf, flen, ep->err,
			       sizeof(ep->err)) != 0)
		return EP_ERROR;
	if (ep->trace)
		pcap_out_write(ep->trace, ep->buf, (uint32_t)flen,
			       (uint32_t)flen, now);
	memset(&ts, 0, sizeof(ts));
	ts.frame = ++ep->frames;
	ts.ts_ns = now;
	ts.seq = seq;
	ts.ack = seg.ack;
	ts.len = len;
	ts.flags = flags;
	ts.window = seg.window;
	ts.mss = (flags & TCP_SYN) ? ep->cfg.mss : 0;
	endpoint_record(ep, TCP_FSM_SEND, &ts, retransmission);
	return EP_OK;
}

static void endpoint_arm(struct endpoint *ep, uint16_t flags, uint32_t seq)
{
	ep->rtx.armed = true;
	ep->rtx.flags = flags;
	ep->rtx.seq = seq;
	ep->rtx.retries = 0;
	ep->rtx.rto_ns = ep->cfg.rto_initial_ns;
	ep->rtx.due_ns = endpoint_now(ep) + ep->rtx.rto_ns;
}

enum endpoint_status endpoint_send_raw(struct endpoint *ep, uint32_t seq,
				       uint32_t ack, uint16_t flags,
				       const uint8_t *data, uint32_t len)
{
	return endpoint_xmit(ep, seq, ack, flags, data, len, false);
}

enum endpoint_status endpoint_send(struct endpoint *ep, uint16_t flags,
				   const uint8_t *data, uint32_t len)
{
	const struct tcp_endpoint *f = &ep->fsm;
	uint32_t seq = f->tx.nxt_known ? f->tx.nxt : ep->cfg.isn;
	enum endpoint_status st;

	if ((flags & TCP_SYN) == 0 && f->peer_syn_seen)
		flags |= TCP_ACK;
	st = endpoint_xmit(ep, seq, endpoint_ack_value(ep), flags, data, len,
			   false);
	if (st == EP_OK && (flags & (TCP_SYN | TCP_FIN)) && !(flags & TCP_RST))
		endpoint_arm(ep, flags & (TCP_SYN | TCP_FIN | TCP_ACK),
			     seq + len);
	return st;
}

/* The RTO fired: send the SYN or FIN again with the current ack. */
static enum endpoint_status endpoint_retransmit(struct endpoint *ep)
{
	struct endpoint_rtx *r = &ep->rtx;
	uint16_t flags = r->flags;
	enum endpoint_status st;

	if (r->retries >= ep->cfg.max_retries) {
		r->armed = false;
		snprintf(ep->err, sizeof(ep->err),
			 "%s not acknowledged after %u retransmissions",
			 (flags & TCP_SYN) ? "SYN" : "FIN", r->retries);
		return EP_GAVE_UP;
	}
	if ((flags & TCP_SYN) == 0 && ep->fsm.peer_syn_seen)
		flags |= TCP_ACK;
	st = endpoint_xmit(ep, r->seq, endpoint_ack_value(ep), flags, NULL, 0,
			   true);
	if (st != EP_OK)
		return st;
	r->retries++;
	r->rto_ns *= 2; /* RFC 6298 §5.5 */
	if (r->rto_ns > ep->cfg.rto_max_ns)
		r->rto_ns = ep->cfg.rto_max_ns;
	r->due_ns = endpoint_now(ep) + r->rto_ns;
	return EP_OK;
}

/* A frame from the device: ours if it decodes to TCP that the peer sent on
 * our connection (the analyzer's matcher says so). Returns true with *ts
 * filled. */
static bool endpoint_accept(struct endpoint *ep, const struct netdev_frame *fr,
			    struct tcp_seg *ts)
{
	struct pkt_view v;
	enum decode_kind kind;

	if (decode_packet(fr->dlt, fr->data, fr->caplen, fr->wirelen, &v,
			  &kind) != DECODE_TCP)
		return false;
	if (flow_match_sender(&ep->conn, &v.tuple) != ROLE_SERVER)
		return false;
	tcp_seg_from_pkt(ts, &v, ++ep->frames, fr->ts_ns);
	if (!ep->trace)
		return true;
	/* the IP packet, without the link header the decoder stepped over */
	pcap_out_write(ep->trace, fr->data + v.net_offset,
		       fr->caplen - v.net_offset, fr->wirelen - v.net_offset,
		       fr->ts_ns);
	return true;
}

enum endpoint_status endpoint_poll(struct endpoint *ep, int64_t deadline_ns,
				   struct endpoint_event *ev)
{
	struct netdev_frame fr;
	struct tcp_seg ts;
	enum netdev_status ns;
	enum endpoint_status st;
	int64_t now, until;

	for (;;) {
		now = endpoint_now(ep);
		if (ep->rtx.armed && ep->rtx.due_ns <= now &&
		    ep->rtx.due_ns <= deadline_ns) {
			st = endpoint_retransmit(ep);
			if (st != EP_OK)
				return st;
			continue;
		}
		if (now >= deadline_ns)
			return EP_TIMEOUT;
		until = deadline_ns;
		if (ep->rtx.armed && ep->rtx.due_ns < until)
			until = ep->rtx.due_ns;
		ns = ep->dev->ops->recv(ep->dev, &fr, until - now, ep->err,
					sizeof(ep->err));
		if (ns == NETDEV_ERROR)
			return EP_ERROR;
		if (ns == NETDEV_TIMEOUT)
			continue;
		if (!endpoint_accept(ep, &fr, &ts))
			continue;
		*ev = *endpoint_record(ep, TCP_FSM_RECV, &ts, false);
		return EP_OK;
	}
}

enum endpoint_status endpoint_connect(struct endpoint *ep, int64_t deadline_ns)
{
	struct endpoint_event ev;
	enum endpoint_status st;

	st = endpoint_send(ep, TCP_SYN, NULL, 0);
	if (st != EP_OK)
		return st;
	for (;;) {
		st = endpoint_poll(ep, deadline_ns, &ev);
		if (st != EP_OK)
			return st;
		if (ev.flags & TCP_RST) {
			if (ep->fsm.state == TCP_ST_CLOSED) {
				snprintf(
					ep->err, sizeof(ep->err),
					"connection refused (RST in frame %llu)",
					(unsigned long long)ev.frame);
				return EP_RESET;
			}
			continue;
		}
		if (ep->fsm.state == TCP_ST_ESTABLISHED)
			return endpoint_send(ep, TCP_ACK, NULL, 0);
	}
}

enum endpoint_status endpoint_abort(struct endpoint *ep)
{
	switch (ep->fsm.state) {
	case TCP_ST_CLOSED:
	case TCP_ST_LISTEN:
		return EP_OK;
	case TCP_ST_TIME_WAIT:
		/* a withheld last ACK: give it now, the peer can then close */
		if (ep->fsm.peer_fin_seen && !ep->fsm.peer_fin_acked) {
			ep->withhold = false;
			return endpoint_send(ep, TCP_ACK, NULL, 0);
		}
		return EP_OK;
	default:
		ep->rtx.armed = false;
		return endpoint_xmit(ep, ep->fsm.tx.nxt, 0, TCP_RST, NULL, 0,
				     false);
	}
}
