/*
 * netdev_pcap.c - the dry-run back end (see netdev.h): sends go to a pcap
 * file and to an in-memory list, receives come from a script of peer
 * segments, and the clock is virtual.
 *
 * The virtual clock only moves inside recv(): when the next scripted segment
 * is due within the timeout the clock jumps to its time (or stays, if that
 * time has passed) and the segment is delivered; otherwise the clock jumps
 * by the whole timeout. So a scenario that waits seconds runs instantly and
 * gives the same times on every run.
 */
#include "analyzer/probe/netdev.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/wire/build.h"
#include "formats/wire/decode.h"
#include "formats/wire/pcap_out.h"

struct netdev_pcap {
	struct netdev base;
	struct netdev_pcap_config cfg; /* script pointer not used after open */
	struct netdev_pcap_pkt script[NETDEV_PCAP_MAX_SCRIPT];
	unsigned next;        /* next script entry to deliver */
	struct pcap_out *out; /* owned, may be NULL */
	int64_t now_ns;
	uint32_t our_isn;
	bool our_isn_known;
	struct netdev_pcap_sent sent[NETDEV_PCAP_MAX_SENT];
	unsigned nsent;
	uint8_t frame[BUILD_MAX_FRAME]; /* the delivered frame (static) */
};

static struct netdev_pcap *to_pcap(struct netdev *dev)
{
	return (struct netdev_pcap *)dev;
}

static int pcap_dev_send(struct netdev *dev, const uint8_t *pkt, size_t len,
			 char *errbuf, size_t errlen)
{
	struct netdev_pcap *d = to_pcap(dev);
	struct pkt_view v;
	enum decode_kind kind;

	if (len > UINT32_MAX ||
	    decode_packet(DLT_RAW, pkt, (uint32_t)len, (uint32_t)len, &v,
			  &kind) != DECODE_TCP) {
		snprintf(
			errbuf, errlen,
			"dry run: the probe built a packet that does not decode (%s)",
			decode_kind_name(kind));
		return -1;
	}
	if ((v.flags & TCP_SYN) && !d->our_isn_known) {
		d->our_isn = v.seq;
		d->our_isn_known = true;
	}
	if (d->nsent < NETDEV_PCAP_MAX_SENT) {
		struct netdev_pcap_sent *s = &d->sent[d->nsent++];

		s->ts_ns = d->now_ns;
		s->flags = v.flags;
		s->seq = v.seq - d->our_isn;
		s->ack = (v.flags & TCP_ACK) ? v.ack - d->cfg.peer_isn : 0;
		s->len = v.payload_bytes;
	}
	if (d->out && pcap_out_write(d->out, pkt, (uint32_t)len, (uint32_t)len,
				     d->now_ns) != 0) {
		snprintf(errbuf, errlen, "dry run: cannot write %s",
			 d->cfg.path);
		return -1;
	}
	return 0;
}

static enum netdev_status pcap_dev_recv(struct netdev *dev,
					struct netdev_frame *frame,
					int64_t timeout_ns, char *errbuf,
					size_t errlen)
{
	struct netdev_pcap *d = to_pcap(dev);
	const struct netdev_pcap_pkt *p;
	struct build_segment seg;
	int64_t due;
	size_t flen;

	if (timeout_ns < 0)
		timeout_ns = 0;
	if (d->next >= d->cfg.nscript) {
		d->now_ns += timeout_ns;
		return NETDEV_TIMEOUT;
	}
	p = &d->script[d->next];
	due = d->cfg.start_ns + p->at_ms * 1000000;
	if (due > d->now_ns + timeout_ns) {
		d->now_ns += timeout_ns;
		return NETDEV_TIMEOUT;
	}
	if (due > d->now_ns)
		d->now_ns = due;
	d->next++;

	memset(&seg, 0, sizeof(seg));
	seg.link = BUILD_LINK_RAW;
	seg.tuple = tuple_reverse(&d->cfg.tuple); /* the peer sends */
	seg.seq = d->cfg.peer_isn + p->seq;
	seg.ack = (p->flags & TCP_ACK) ? d->our_isn + p->ack : 0;
	seg.flags = p->flags;
	seg.window = p->window ? p->window : 65535;
	seg.payload_bytes = p->len;
	if ((p->flags & TCP_SYN) && build_opt_mss(&seg.opts, 65495) != 0)
		return NETDEV_ERROR;
	if (build_segment(&seg, d->frame, sizeof(d->frame), &flen) != 0) {
		snprintf(errbuf, errlen,
			 "dry run: script entry %u does not build", d->next);
		return NETDEV_ERROR;
	}
	frame->data = d->frame;
	frame->caplen = (uint32_t)flen;
	frame->wirelen = (uint32_t)flen;
	frame->dlt = DLT_RAW;
	frame->ts_ns = d->now_ns;
	return NETDEV_FRAME;
}

static int64_t pcap_dev_now(struct netdev *dev)
{
	return to_pcap(dev)->now_ns;
}

static void pcap_dev_close(struct netdev *dev)
{
	struct netdev_pcap *d = to_pcap(dev);

	pcap_out_close(d->out);
	free(d);
}

static const struct netdev_ops pcap_ops = {
	.name = "pcap",
	.send = pcap_dev_send,
	.recv = pcap_dev_recv,
	.now_ns = pcap_dev_now,
	.close = pcap_dev_close,
};

struct netdev *netdev_pcap_open(const struct netdev_pcap_config *cfg,
				char *errbuf, size_t errlen)
{
	struct netdev_pcap *d;

	if (cfg->nscript > NETDEV_PCAP_MAX_SCRIPT) {
		snprintf(errbuf, errlen,
			 "dry run: script has %u entries (at most %d)",
			 cfg->nscript, NETDEV_PCAP_MAX_SCRIPT);
		return NULL;
	}
	if (cfg->tuple.ip_version != 4 && cfg->tuple.ip_version != 6) {
		snprintf(errbuf, errlen, "dry run: IP version %u",
			 cfg->tuple.ip_version);
		return NULL;
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		snprintf(errbuf, errlen, "out of memory");
		return NULL;
	}
	d->base.ops = &pcap_ops;
	d->cfg = *cfg;
	d->cfg.script = NULL;
	if (cfg->nscript)
		memcpy(d->script, cfg->script,
		       cfg->nscript * sizeof(*cfg->script));
	if (d->cfg.start_ns == 0)
		d->cfg.start_ns = 1000000000000000000LL;
	d->now_ns = d->cfg.start_ns;
	if (cfg->path) {
		d->out = pcap_out_open(cfg->path, DLT_RAW, 0, errbuf, errlen);
		if (!d->out) {
			free(d);
			return NULL;
		}
	}
	return &d->base;
}

const struct netdev_pcap_sent *netdev_pcap_sent(struct netdev *dev, unsigned *n)
{
	struct netdev_pcap *d = to_pcap(dev);

	*n = d->nsent;
	return d->sent;
}
