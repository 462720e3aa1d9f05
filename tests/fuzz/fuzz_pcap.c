/*
 * fuzz_pcap.c - a whole capture file from arbitrary bytes: the bytes are a
 * stream in memory (fmemopen) that formats/wire/capture.c opens as it opens
 * a file, so a gzip or zstd one is decompressed on the way
 * (formats/wire/decompress.c) before libpcap reads it; capture.c numbers
 * the records, and every record goes through decode_packet(). Frame
 * numbers must count up from 1 with no gap, and a read error must come
 * with its one-line message.
 */
#include "tests/fuzz/fuzz.h"

#include <stdio.h>
#include <string.h>

#include "formats/wire/capture.h"
#include "formats/wire/decode.h"

#define FUZZ_MAX_RECORDS 100000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256] = "";
	struct capture_packet pkt;
	struct capture *c;
	uint64_t n = 0;
	FILE *fp;
	int r = CAPTURE_EOF;

	if (size == 0)
		return 0;
	fp = fmemopen((void *)data, size, "rb");
	if (!fp)
		return 0;
	c = capture_open_stream(fp, "fuzz", err, sizeof(err)); /* owns fp */
	if (!c) {
		if (strncmp(err, "fuzz: ", 6) != 0 || strchr(err, '\n'))
			__builtin_trap();
		return 0;
	}
	while (n < FUZZ_MAX_RECORDS &&
	       (r = capture_next(c, &pkt, err, sizeof(err))) ==
		       CAPTURE_PACKET) {
		struct pkt_view v;
		enum decode_kind k;

		if (pkt.frame != ++n)
			__builtin_trap();
		(void)decode_packet(capture_dlt(c), pkt.data, pkt.caplen,
				    pkt.wirelen, &v, &k);
	}
	if (r == CAPTURE_ERROR &&
	    (strncmp(err, "fuzz: ", 6) != 0 || strchr(err, '\n')))
		__builtin_trap();
	capture_close(c);
	return 0;
}
