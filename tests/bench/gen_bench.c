/*
 * gen_bench.c - write a large synthetic capture for benchmarks.
 *
 *   gen_bench OUT.pcap [FLOWS [SEGMENTS_PER_FLOW [CONCURRENT]]]
 *
 * FLOWS connections (default 20000), each a handshake, SEGMENTS_PER_FLOW
 * data segments of 1448 bytes with their ACKs (default 40), and a four-way
 * close; CONCURRENT connections (default 500) are open at once and their
 * segments interleave, as on a busy server. Every 50th connection has a
 * retransmission and every 97th is reset instead of closed, so the rules do
 * real work. Frames are cut at 128 bytes as with `tcpdump -s 128`, which
 * keeps the file small while the IP lengths stay real.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/wire/build.h"
#include "formats/wire/pcap_out.h"

struct conn {
	uint32_t id;
	uint32_t step;     /* next action */
	uint32_t cseq, sseq;
};

static struct pcap_out *out;
static uint8_t frame[BUILD_MAX_FRAME];
static int64_t now_ns = 1700000000LL * 1000000000LL;

static void emit(const struct conn *c, int from_server, uint16_t flags,
		 uint32_t seq, uint32_t ack, uint32_t len)
{
	struct build_segment s;
	memset(&s, 0, sizeof(s));
	s.link = BUILD_LINK_ETHERNET;
	s.tuple.ip_version = 4;
	uint8_t client[4] = {10, 1, (uint8_t)(c->id >> 16), (uint8_t)(c->id >> 8)};
	uint8_t server[4] = {10, 200, 0, (uint8_t)(1 + c->id % 7)};
	uint16_t cport = (uint16_t)(10000 + c->id % 50000);
	memcpy(from_server ? s.tuple.src : s.tuple.dst, server, 4);
	memcpy(from_server ? s.tuple.dst : s.tuple.src, client, 4);
	s.tuple.sport = from_server ? 443 : cport;
	s.tuple.dport = from_server ? cport : 443;
	s.seq = seq;
	s.ack = ack;
	s.flags = flags;
	s.window = 502;
	s.payload_bytes = len;
	if (flags & TCP_SYN) {
		build_opt_mss(&s.opts, 1460);
		build_opt_sack_permitted(&s.opts);
		build_opt_nop(&s.opts);
		build_opt_wscale(&s.opts, 7);
	}
	size_t n = 0;
	if (build_segment(&s, frame, sizeof(frame), &n) != 0) {
		fprintf(stderr, "gen_bench: build_segment failed\n");
		exit(1);
	}
	now_ns += 20000; /* 20 us between frames */
	pcap_out_write(out, frame, (uint32_t)n, (uint32_t)n, now_ns);
}

/* Emit the next packet(s) of c; returns 0 when the connection is over. */
static int conn_step(struct conn *c, uint32_t segs)
{
	const uint32_t mss = 1448;
	uint32_t s = c->step++;
	if (s == 0) {
		c->cseq = 1000u + c->id * 7919u;
		c->sseq = 5000u + c->id * 104729u;
		emit(c, 0, TCP_SYN, c->cseq, 0, 0);
	} else if (s == 1) {
		emit(c, 1, TCP_SYN | TCP_ACK, c->sseq, c->cseq + 1, 0);
	} else if (s == 2) {
		c->cseq++, c->sseq++;
		emit(c, 0, TCP_ACK, c->cseq, c->sseq, 0);
	} else if (s < 3 + segs) {
		emit(c, 1, TCP_ACK | TCP_PSH, c->sseq, c->cseq, mss);
		if (c->id % 50 == 0 && s == 5)  /* a retransmission */
			emit(c, 1, TCP_ACK | TCP_PSH, c->sseq, c->cseq, mss);
		c->sseq += mss;
		emit(c, 0, TCP_ACK, c->cseq, c->sseq, 0);
	} else if (c->id % 97 == 0) {
		emit(c, 0, TCP_RST | TCP_ACK, c->cseq, c->sseq, 0);
		return 0;
	} else if (s == 3 + segs) {
		emit(c, 0, TCP_FIN | TCP_ACK, c->cseq, c->sseq, 0);
		emit(c, 1, TCP_ACK, c->sseq, c->cseq + 1, 0);
	} else {
		emit(c, 1, TCP_FIN | TCP_ACK, c->sseq, c->cseq + 1, 0);
		emit(c, 0, TCP_ACK, c->cseq + 1, c->sseq + 1, 0);
		return 0;
	}
	return 1;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: gen_bench OUT.pcap [FLOWS [SEGMENTS [CONCURRENT]]]\n");
		return 2;
	}
	uint32_t flows = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 10) : 20000;
	uint32_t segs = argc > 3 ? (uint32_t)strtoul(argv[3], NULL, 10) : 40;
	uint32_t conc = argc > 4 ? (uint32_t)strtoul(argv[4], NULL, 10) : 500;
	if (flows == 0 || conc == 0 || conc > flows)
		conc = flows ? flows : 1;
	char err[256];
	out = pcap_out_open(argv[1], build_link_dlt(BUILD_LINK_ETHERNET), 128, err, sizeof(err));
	if (!out) {
		fprintf(stderr, "gen_bench: %s\n", err);
		return 1;
	}
	struct conn *live = calloc(conc, sizeof(*live));
	if (!live)
		return 1;
	uint32_t next_id = 0, done = 0;
	for (uint32_t i = 0; i < conc; i++)
		live[i].id = next_id++;
	/* Round-robin over the open connections; a finished slot takes the next. */
	while (done < flows) {
		for (uint32_t i = 0; i < conc && done < flows; i++) {
			if (live[i].id == UINT32_MAX)
				continue;
			if (!conn_step(&live[i], segs)) {
				done++;
				if (next_id < flows)
					live[i] = (struct conn){.id = next_id++};
				else
					live[i].id = UINT32_MAX;
			}
		}
	}
	free(live);
	return pcap_out_close(out) == 0 ? 0 : 1;
}
