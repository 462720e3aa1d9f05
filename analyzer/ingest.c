/*
 * ingest.c - capture -> filter -> decode -> count -> analyzer (see
 * ingest.h). The decode-error accounting lives in ingest_count() only, so
 * every command that reads packets counts them alike.
 */
#include "analyzer/ingest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

struct ingest {
	struct capture *cap;     /* borrowed */
	struct analyzer *az;     /* borrowed, NULL: decode and count only */
	struct input_record *in; /* borrowed */
	int dlt;
	struct bpf_program prog; /* the filter, when have_prog */
	bool have_prog;
	uint64_t max_packets; /* 0: no limit */
	uint64_t matched;     /* records that passed the filter */
};

struct ingest *ingest_new(struct capture *c, struct analyzer *az,
			  struct input_record *in,
			  const struct ingest_options *opts, char *errbuf,
			  size_t errlen)
{
	struct ingest *ig = calloc(1, sizeof(*ig));

	if (!ig) {
		snprintf(errbuf, errlen, "out of memory");
		return NULL;
	}
	ig->cap = c;
	ig->az = az;
	ig->in = in;
	ig->dlt = capture_dlt(c);
	in->dlt = ig->dlt;
	if (opts && opts->filter) {
		pcap_t *p = capture_pcap(c);

		if (pcap_compile(p, &ig->prog, opts->filter, 1,
				 PCAP_NETMASK_UNKNOWN) != 0) {
			snprintf(errbuf, errlen, "%s: bad filter \"%s\": %s",
				 capture_name(c), opts->filter, pcap_geterr(p));
			free(ig);
			return NULL;
		}
		ig->have_prog = true;
	}
	if (opts)
		ig->max_packets = opts->max_packets;
	if (az)
		analyzer_begin_input(az, opts ? opts->input : 0);
	return ig;
}

/* The one place a decoded record is counted. */
static void ingest_count(struct input_record *in, enum decode_result res,
			 enum decode_kind kind, uint16_t tunnels)
{
	for (int t = 0; t < DECODE_TUNNEL_COUNT; t++)
		if (tunnels & (1u << t))
			in->tunnels[t]++;
	if (kind > DK_NONE && kind < DECODE_KIND_COUNT)
		in->kinds[kind]++;
	/* truncated, invalid, unsupported, and TCP with options that cannot
	 * be walked (decoded as TCP all the same) */
	if (kind > DK_IP_FRAGMENT && kind < DECODE_KIND_COUNT)
		in->decode_errors++;
	if (res == DECODE_TCP)
		in->tcp_packets++;
}

static bool ingest_filter_passes(const struct ingest *ig,
				 const struct capture_packet *pkt)
{
	struct pcap_pkthdr h;

	if (!ig->have_prog)
		return true;
	memset(&h, 0, sizeof(h));
	h.caplen = pkt->caplen;
	h.len = pkt->wirelen;
	return pcap_offline_filter(&ig->prog, &h, pkt->data) != 0;
}

int ingest_next(struct ingest *ig, struct ingest_record *rec, char *errbuf,
		size_t errlen)
{
	struct input_record *in = ig->in;
	enum decode_result res;
	int st;

	if (ig->max_packets && ig->matched >= ig->max_packets)
		return CAPTURE_EOF;
	st = capture_next(ig->cap, &rec->pkt, errbuf, errlen);
	if (st == CAPTURE_ERROR) {
		in->failed = true;
		snprintf(in->error, sizeof(in->error), "%s", errbuf);
	}
	if (st != CAPTURE_PACKET)
		return st;
	in->packets++;
	rec->tcp = false;
	rec->kind = DK_NONE;
	rec->matched = ingest_filter_passes(ig, &rec->pkt);
	if (!rec->matched)
		return CAPTURE_PACKET;
	ig->matched++;
	res = decode_packet(ig->dlt, rec->pkt.data, rec->pkt.caplen,
			    rec->pkt.wirelen, &rec->view, &rec->kind);
	ingest_count(in, res, rec->kind, rec->view.tunnels);
	rec->tcp = res == DECODE_TCP;
	if (rec->tcp && ig->az)
		analyzer_packet(ig->az, &rec->view, rec->pkt.frame,
				rec->pkt.ts_ns);
	return CAPTURE_PACKET;
}

uint64_t ingest_matched(const struct ingest *ig)
{
	return ig->matched;
}

void ingest_finish(struct ingest *ig)
{
	if (ig->az)
		analyzer_finish(ig->az);
}

void ingest_free(struct ingest *ig)
{
	if (!ig)
		return;
	if (ig->have_prog)
		pcap_freecode(&ig->prog);
	free(ig);
}
