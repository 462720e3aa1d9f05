/*
 * ingest.h - the one path from a capture into the analysis: each record
 * read (formats/wire/capture.h), filtered, decoded (decode.h), counted in
 * the input's record, and, when it is a TCP segment, handed to the analyzer.
 * `tcplint analyze` (files), `tcplint live` (an interface) and the probe's
 * replay (a recording, decoded without an analyzer) all read through it,
 * so the same packets give the same counts whichever command reads them.
 *
 *     struct ingest *ig = ingest_new(cap, az, &in, &opts, errbuf, errlen);
 *     while ((st = ingest_next(ig, &rec, errbuf, errlen)) == CAPTURE_PACKET)
 *             ... rec.tcp, rec.view, rec.pkt ...
 *     ingest_finish(ig);   end of the input: the analyzer reports its flows
 *     ingest_free(ig);
 *
 * The counts, in struct input_record (analyzer/records.h):
 *   packets      every record read, including those the filter rejects
 *   kinds[k]     records the filter passed that are not a clean TCP
 *                segment, by decode_kind (not TCP, fragments, errors)
 *   decode_errors the kinds past DK_IP_FRAGMENT: truncated and invalid
 *                frames, unsupported links, and TCP segments whose options
 *                cannot be walked (DK_BAD_TCP_OPTION; still analyzed)
 *   tcp_packets  segments decoded as TCP (and so analyzed)
 *   tunnels[t]   records the filter passed that were found inside a tunnel
 *                of kind t (decode_tunnel), whatever they turned out to be
 *   failed, error the read error that ended the input, if any
 *
 * The per-record path allocates nothing and formats nothing but the one
 * line of a read error.
 */
#ifndef TCPLINT_ANALYZER_INGEST_H
#define TCPLINT_ANALYZER_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyzer/analyzer.h"
#include "analyzer/records.h"
#include "formats/wire/capture.h"
#include "formats/wire/decode.h"

struct ingest; /* opaque */

struct ingest_options {
	/* BPF expression applied to each record after it is read
	 * (pcap_offline_filter), so that the records it rejects still count
	 * as packets and frame numbers stay Wireshark's; NULL for none (a
	 * live capture installs its filter in the kernel instead). */
	const char *filter;
	/* After this many records passed the filter, ingest_next() reads no
	 * more and returns CAPTURE_EOF; 0 for no limit (-c). */
	uint64_t max_packets;
	/* The input's index (analyzer_begin_input; flow records carry it). */
	uint32_t input;
};

/* One record as ingest_next() saw it. */
struct ingest_record {
	struct capture_packet pkt; /* its bytes are borrowed until the next
				      ingest_next() or capture_close() */
	bool matched;              /* passed the filter (true without one) */
	bool tcp;                  /* a TCP segment: view is filled, and the
				      analyzer (if any) has analyzed it */
	enum decode_kind kind;     /* why it is not a clean TCP segment, or
				      DK_NONE; DK_NONE when not matched */
	struct pkt_view view;      /* borrows pkt's bytes; when tcp */
};

/*
 * Start reading capture `c` (borrowed) into the analyzer `az` (borrowed;
 * NULL to decode and count only) with the counters in `*in` (borrowed; the
 * caller zeroes it and sets in->file; ingest sets in->dlt and adds to the
 * rest). opts may be NULL (no filter, no limit, input 0). Starts the
 * analyzer's input. Returns NULL with one line in errbuf when the filter
 * does not compile ("trace.pcap: bad filter \"tcp port\": ...") or memory
 * runs out.
 */
struct ingest *ingest_new(struct capture *c, struct analyzer *az,
			  struct input_record *in,
			  const struct ingest_options *opts, char *errbuf,
			  size_t errlen);

/*
 * Read, filter, decode, count and analyze the next record. Returns
 * CAPTURE_PACKET with *rec filled, CAPTURE_TIMEOUT (a live read timed out;
 * nothing counted), CAPTURE_EOF at the end or once max_packets records
 * passed the filter, or CAPTURE_ERROR with the one-line reason in errbuf,
 * also kept in in->error with in->failed set (the input is done).
 */
int ingest_next(struct ingest *ig, struct ingest_record *rec, char *errbuf,
		size_t errlen);

/* Records that passed the filter so far. */
uint64_t ingest_matched(const struct ingest *ig);

/* The input is over: the analyzer (if any) applies its end-of-capture
 * rules and reports every open flow (analyzer_finish). */
void ingest_finish(struct ingest *ig);

/* Free (does not close the capture). ingest_free(NULL) does nothing. */
void ingest_free(struct ingest *ig);

#endif
