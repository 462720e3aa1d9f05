/*
 * fixture.h - scenario scripts compiled to captured frames, for tests.
 *
 * A fixture script describes TCP segments in tcpdump/packetdrill notation,
 * one per line, and fixture_compile() turns each into a frame (link header,
 * IPv4/IPv6, TCP with options, pattern payload, correct checksums) built by
 * formats/wire/build.c. Tests build their own captures this way, either straight
 * into memory (fixture_compile with an emit callback that decodes the frame)
 * or into a pcap file (fixture_write_pcap). The language is described in
 * docs/FIXTURES.md; in short:
 *
 *     # four-way close, client closes first
 *     link ethernet                  # ethernet | raw | sll | null
 *     client 10.0.0.1:40000          # or [2001:db8::1]:40000
 *     server 10.0.0.2:80
 *     isn client 1000 server 5000    # optional (these are the defaults)
 *     0.000  c > S  0:0(0) win 64240 <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7>
 *     0.010  s > S. 0:0(0) ack 1 win 65160 <mss 1460,sackOK,TS val 200 ecr 100,nop,wscale 7>
 *     +0.001 c > .  ack 1 win 502
 *     +0.1   c > P. 1:101(100) ack 1
 *     +0.2   c > F. 101:101(0) ack 1
 *
 * Sequence numbers are relative to the sender's ISN and acks to the
 * receiver's, as tcpdump prints them; `abs` makes one line absolute and
 * `relative off` the whole script. The compiler keeps no global state and
 * allocates nothing; it never prints.
 */
#ifndef TCPLINT_WIRE_FIXTURE_H
#define TCPLINT_WIRE_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Called once per packet, in script order. `frame` holds `caplen` bytes (the
 * frame cut to the script's snaplen, if any) and is valid only during the
 * call; `wirelen` is the full frame length; `ts_ns` is nanoseconds since the
 * Unix epoch. Return 0 to go on, non-zero to stop: fixture_compile() then
 * returns -1 with "emit failed" (or the message already put in errbuf).
 */
typedef int (*fixture_emit_fn)(void *ctx, const uint8_t *frame, uint32_t caplen,
			       uint32_t wirelen, int64_t ts_ns);

/* What a script declares, known before its first packet is emitted. */
struct fixture_info {
	int dlt;          /* DLT_ value of the script's link type */
	uint32_t snaplen; /* the script's snaplen, or 262144 when none */
	uint32_t packets; /* packets emitted so far (all of them on return) */
};

/*
 * Compile `script` (a NUL-terminated string) and call emit(ctx, ...) for each
 * packet in order (emit may be NULL: a syntax check). *dlt_out (may be
 * NULL) is set to the link type before the first emit() call, so a callback
 * can read it through ctx. Returns 0, or -1 with "line N: problem" written to
 * errbuf (errlen bytes, always NUL-terminated when errlen > 0); a non-zero
 * return from emit() gives "line N: emit failed". Packets emitted before an
 * error stay emitted.
 */
int fixture_compile(const char *script,
		    int (*emit)(void *ctx, const uint8_t *frame,
				uint32_t caplen, uint32_t wirelen,
				int64_t ts_ns),
		    void *ctx, int *dlt_out, char *errbuf, size_t errlen);

/* Same, filling *info (may be NULL) before the first emit() call and
 * updating info->packets as packets are emitted. */
int fixture_compile_info(const char *script, fixture_emit_fn emit, void *ctx,
			 struct fixture_info *info, char *errbuf,
			 size_t errlen);

/*
 * Compile `script` into a pcap file at `path` (nanosecond timestamps, the
 * script's link type and snaplen). The file is written even for a script with
 * no packets. Returns the number of packets written (>= 0), or -1 with the
 * problem in errbuf; on error the partial file is removed.
 */
int fixture_write_pcap(const char *script, const char *path, char *errbuf,
		       size_t errlen);

/* Read the script at `script_path` and write it as fixture_write_pcap()
 * does. Same return values; read errors name the file. */
int fixture_file_to_pcap(const char *script_path, const char *pcap_path,
			 char *errbuf, size_t errlen);

#endif
