/*
 * fuzz_pcap.c - a whole capture file from arbitrary bytes: libpcap reads it
 * from memory (fmemopen + pcap_fopen_offline), formats/wire/capture.c numbers
 * the records, and every record goes through decode_packet(). Frame
 * numbers must count up from 1 with no gap.
 */
#include "tests/fuzz/fuzz.h"

#include <stdio.h>

#include "formats/wire/capture.h"
#include "formats/wire/decode.h"

#define FUZZ_MAX_RECORDS 100000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char perr[PCAP_ERRBUF_SIZE], err[256];
	struct capture_packet pkt;
	struct capture *c;
	uint64_t n = 0;
	FILE *fp;
	pcap_t *p;

	if (size == 0)
		return 0;
	fp = fmemopen((void *)data, size, "rb");
	if (!fp)
		return 0;
	p = pcap_fopen_offline_with_tstamp_precision(
		fp, PCAP_TSTAMP_PRECISION_NANO, perr);
	if (!p) {
		fclose(fp);
		return 0;
	}
	c = capture_wrap(p, "fuzz"); /* owns p, which owns fp */
	if (!c) {
		pcap_close(p);
		return 0;
	}
	while (n < FUZZ_MAX_RECORDS &&
	       capture_next(c, &pkt, err, sizeof(err)) == CAPTURE_PACKET) {
		struct pkt_view v;
		enum decode_kind k;

		if (pkt.frame != ++n)
			__builtin_trap();
		if (decode_link_supported(capture_dlt(c)))
			(void)decode_packet(capture_dlt(c), pkt.data,
					    pkt.caplen, pkt.wirelen, &v, &k);
	}
	capture_close(c);
	return 0;
}
