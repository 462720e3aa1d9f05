/*
 * capture.h - packet input over libpcap: files (pcap and pcapng, read with
 * nanosecond timestamps, plain or compressed with gzip or zstd) and
 * already-open handles such as live captures.
 *
 * A struct capture wraps one pcap_t and numbers every record libpcap returns
 * from 1, exactly as Wireshark numbers frames, so a frame number in a report
 * leads to the same packet in Wireshark. Nothing here prints or exits: every
 * problem is written as one line naming the input into the caller's errbuf
 * ("trace.pcap: does not exist"). A packet's bytes are borrowed from libpcap
 * and stay valid only until the next capture_next() or capture_close().
 */
#ifndef TCPLINT_WIRE_CAPTURE_H
#define TCPLINT_WIRE_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <pcap/pcap.h>

struct capture; /* opaque; owns its pcap_t */

/* One record. `data` is borrowed (valid until the next capture_next()). */
struct capture_packet {
	const uint8_t *data;
	uint32_t caplen;  /* bytes at data */
	uint32_t wirelen; /* length on the wire */
	int64_t ts_ns;    /* capture time, ns since the epoch */
	uint64_t frame;   /* 1 for the first record, Wireshark numbering */
};

/* capture_next() results. */
enum capture_status {
	CAPTURE_ERROR = -1, /* read error; errbuf says why (the file is done) */
	CAPTURE_EOF = 0,    /* no more records */
	CAPTURE_PACKET = 1, /* *pkt filled */
	CAPTURE_TIMEOUT =
		2, /* live capture: the read timeout passed, no packet */
};

/*
 * Open a capture file ("-" reads standard input): pcap or pcapng, plain or
 * compressed with gzip or zstd (told by the magic number, not the name).
 * Returns NULL and writes one line into errbuf when the path does not
 * exist, is a directory, is empty, is not a pcap or pcapng capture (with
 * libpcap's reason), is compressed data damaged before the capture's
 * header, or has a link type decode_packet() does not support
 * ("unsupported link type NAME (DLT)"). The caller frees the result with
 * capture_close().
 */
struct capture *capture_open_file(const char *path, char *errbuf,
				  size_t errlen);

/*
 * The same for a capture already open as a stream (a file, a pipe, a
 * buffer through fmemopen), named `name` in messages. fp is owned from
 * here on, closed by capture_close() or at once when the open fails,
 * except stdin, which is never closed; a NULL fp (a failed fopen or
 * fmemopen) is an error too. A stream that starts like gzip or
 * zstd data is decompressed as it is read (formats/wire/decompress.h):
 * damaged compressed data is then "NAME: corrupt gzip data (...)",
 * "NAME: truncated capture: the zstd data is cut short", and so on, here
 * or from capture_next().
 */
struct capture *capture_open_stream(FILE *fp, const char *name, char *errbuf,
				    size_t errlen);

/*
 * Whether the file at path is a capture by its first bytes: a pcap (either
 * byte order, micro- or nanosecond timestamps) or pcapng magic number,
 * plain or after gzip or zstd decompression. Reads at most a few bytes of
 * decompressed data; false for anything unreadable. For refusing to
 * overwrite a capture with a report.
 */
bool capture_file_is_capture(const char *path);

/*
 * Adopt an already-open handle (live capture). `name` is copied and used in
 * messages. On success the capture owns `p` and closes it in
 * capture_close(); returns NULL (p untouched) only when out of memory.
 */
struct capture *capture_wrap(pcap_t *p, const char *name);

/* Compile and install a BPF filter for the capture's link type.
 * 0 on success; -1 with libpcap's message in errbuf. */
int capture_set_filter(struct capture *c, const char *bpf_expr, char *errbuf,
		       size_t errlen);

/*
 * Read the next record: CAPTURE_PACKET (1) with *pkt filled, CAPTURE_EOF (0)
 * at the end, CAPTURE_TIMEOUT (2) for a live read timeout, or CAPTURE_ERROR
 * (-1) with errbuf set, e.g. "f.pcap: truncated capture: ..." for a record
 * cut off mid-way, "f.pcap.gz: corrupt gzip data (invalid block type)".
 * All records before an error have been returned.
 */
int capture_next(struct capture *c, struct capture_packet *pkt, char *errbuf,
		 size_t errlen);

/* The capture's link type (a DLT_ value, as pcap_datalink()). */
int capture_dlt(const struct capture *c);

/* libpcap's short name of a link type ("EN10MB", "LINUX_SLL2"), or
 * "unknown" when libpcap has none. Static storage. */
const char *capture_dlt_name(int dlt);

/* The name the capture was opened with (path, "-", or capture_wrap name). */
const char *capture_name(const struct capture *c);

/* Records returned so far (= the last frame number). */
uint64_t capture_frames(const struct capture *c);

/*
 * For a progress meter: bytes consumed so far and the total size when known.
 * Returns false (and leaves *size alone) when the input is not a regular file
 * (stdin, live capture).
 */
bool capture_progress(const struct capture *c, uint64_t *offset,
		      uint64_t *size);

/* The underlying handle (borrowed; for pcap_stats, pcap_breakloop ...). */
pcap_t *capture_pcap(struct capture *c);

/* Close the handle and free the capture. NULL is fine. */
void capture_close(struct capture *c);

#endif
