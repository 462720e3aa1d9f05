/*
 * pcap_out.h - write frames to a pcap file through libpcap.
 *
 * The writer uses pcap_open_dead_with_tstamp_precision() with nanosecond
 * precision and pcap_dump(), so the files are ordinary nanosecond pcap files
 * that tcpdump, tshark and our own reader open. A frame longer than the
 * snaplen is cut to it (caplen < wirelen), as a capture with `-s` would.
 * Used by the fixture compiler (tests) and by dry runs.
 */
#ifndef TCPLINT_WIRE_PCAP_OUT_H
#define TCPLINT_WIRE_PCAP_OUT_H

#include <stddef.h>
#include <stdint.h>

struct pcap_out;

/*
 * Create (truncate) `path` for link type `dlt` (a DLT_ value) and snaplen
 * `snaplen` (0 means 262144). Returns the writer (owned; close it with
 * pcap_out_close()), or NULL with the reason in errbuf.
 */
struct pcap_out *pcap_out_open(const char *path, int dlt, uint32_t snaplen,
			       char *errbuf, size_t errlen);

/*
 * Append one frame: `caplen` bytes at `frame`, `wirelen` bytes long on the
 * wire (wirelen < caplen is raised to caplen), at `ts_ns` nanoseconds since
 * the epoch (must be >= 0). Bytes beyond the snaplen are not written.
 * Returns 0, or -1 on a bad argument.
 */
int pcap_out_write(struct pcap_out *out, const uint8_t *frame, uint32_t caplen,
		   uint32_t wirelen, int64_t ts_ns);

/* Flush and close. Returns 0, or -1 if flushing failed. NULL does nothing. */
int pcap_out_close(struct pcap_out *out);

#endif
