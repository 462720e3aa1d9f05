/*
 * pcap_out.c - nanosecond pcap files written through libpcap (see pcap_out.h).
 *
 * A dead pcap_t with nanosecond precision makes pcap_dump_open() write the
 * nanosecond magic, and pcap_dump() then stores the header's tv_usec field
 * as is, so that field carries nanoseconds here. Frames longer than the
 * snaplen are cut before they reach libpcap, so the record's caplen never
 * exceeds the file's snaplen.
 */
#include "formats/wire/pcap_out.h"

#include <stdio.h>
#include <stdlib.h>

#include <pcap/pcap.h>

#define PCAP_OUT_DEFAULT_SNAPLEN 262144

struct pcap_out {
	pcap_t *dead;          /* owned */
	pcap_dumper_t *dumper; /* owned */
	uint32_t snaplen;
};

struct pcap_out *pcap_out_open(const char *path, int dlt, uint32_t snaplen,
			       char *errbuf, size_t errlen)
{
	struct pcap_out *out;

	if (snaplen == 0)
		snaplen = PCAP_OUT_DEFAULT_SNAPLEN;
	if (snaplen > PCAP_OUT_DEFAULT_SNAPLEN) {
		snprintf(errbuf, errlen, "%s: snaplen %u is above %u", path,
			 snaplen, PCAP_OUT_DEFAULT_SNAPLEN);
		return NULL;
	}
	out = calloc(1, sizeof(*out));
	if (!out) {
		snprintf(errbuf, errlen, "%s: out of memory", path);
		return NULL;
	}
	out->snaplen = snaplen;
	out->dead = pcap_open_dead_with_tstamp_precision(
		dlt, (int)snaplen, PCAP_TSTAMP_PRECISION_NANO);
	if (!out->dead) {
		snprintf(errbuf, errlen, "%s: cannot use link type %d", path,
			 dlt);
		free(out);
		return NULL;
	}
	out->dumper = pcap_dump_open(out->dead, path);
	if (!out->dumper) {
		snprintf(errbuf, errlen, "%s", pcap_geterr(out->dead));
		pcap_close(out->dead);
		free(out);
		return NULL;
	}
	return out;
}

int pcap_out_write(struct pcap_out *out, const uint8_t *frame, uint32_t caplen,
		   uint32_t wirelen, int64_t ts_ns)
{
	struct pcap_pkthdr hdr;

	if (!out || (!frame && caplen) || ts_ns < 0)
		return -1;
	if (wirelen < caplen)
		wirelen = caplen;
	if (caplen > out->snaplen)
		caplen = out->snaplen;
	hdr.ts.tv_sec = (time_t)(ts_ns / 1000000000);
	hdr.ts.tv_usec = (suseconds_t)(ts_ns % 1000000000); /* nanoseconds */
	hdr.caplen = caplen;
	hdr.len = wirelen;
	pcap_dump((u_char *)out->dumper, &hdr, frame);
	return 0;
}

int pcap_out_close(struct pcap_out *out)
{
	int rc = 0;

	if (!out)
		return 0;
	if (pcap_dump_flush(out->dumper) != 0)
		rc = -1;
	pcap_dump_close(out->dumper);
	pcap_close(out->dead);
	free(out);
	return rc;
}
