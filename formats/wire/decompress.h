/*
 * decompress.h - compressed capture files read as a stream.
 *
 * A capture compressed with gzip (RFC 1952, zlib) or zstd (RFC 8878,
 * libzstd) is told from a plain one by its first byte, and read through a
 * FILE that gives the decompressed bytes (fopencookie), so that libpcap
 * reads it as it reads any file and nothing after the open differs. The
 * decompression streams: its memory is one input buffer and the
 * decompressor's own state (for zstd up to a 128 MiB window, the most the
 * zstd tool writes without --long), whatever the size of the file.
 * Concatenated gzip members and zstd frames are read one after the other.
 * When the compressed data is cut short or damaged, the FILE reports a read
 * error after the last bytes it could decompress, and decompress_error()
 * says what happened in one phrase for a message. Nothing here prints or
 * exits.
 */
#ifndef TCPLINT_WIRE_DECOMPRESS_H
#define TCPLINT_WIRE_DECOMPRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum decompress_format {
	DECOMPRESS_NONE = 0, /* not compressed (or not a format read here) */
	DECOMPRESS_GZIP,     /* gzip: 1f 8b */
	DECOMPRESS_ZSTD,     /* zstd: 28 b5 2f fd, or a skippable frame first */
};

/*
 * The format of what fp holds, by its first byte, which is read and
 * pushed back (ungetc) so that the next read returns it again; this works
 * on pipes too. No capture format starts with a byte that gzip or zstd
 * does; the rest of the magic number is checked when decompressing.
 */
enum decompress_format decompress_sniff(FILE *fp);

/* "gzip", "zstd"; "plain" for DECOMPRESS_NONE. Static storage. */
const char *decompress_format_name(enum decompress_format f);

struct decompress; /* the state behind a decompressing FILE (opaque) */

/*
 * A read-only FILE that gives the decompressed bytes of fp, compressed in
 * format f (GZIP or ZSTD). With own_fp, closing the returned FILE closes
 * fp as well; without, fp is left open (for stdin). *state is set to the
 * stream's state, valid until the returned FILE is closed, for
 * decompress_error() and decompress_source(). Returns NULL with one line
 * in errbuf when memory runs out or f is not a compressed format; fp is
 * then untouched.
 */
FILE *decompress_open(FILE *fp, bool own_fp, enum decompress_format f,
		      struct decompress **state, char *errbuf, size_t errlen);

/*
 * Why the stream stopped early, as a phrase that follows "FILE: " in a
 * message: "truncated capture: the gzip data is cut short", "corrupt zstd
 * data (Data corruption detected)", "read error: ...", or, when the magic
 * number is not the format's, "is not a pcap or pcapng capture (unknown
 * file format)". NULL while nothing went wrong.
 */
const char *decompress_error(const struct decompress *z);

/*
 * The reader of the decompressed bytes stopped on bad data (libpcap found a
 * record it cannot read): decompress the rest of the data, up to max_bytes
 * of output, thrown away, in case the compressed data is what is damaged
 * (zstd and gzip find most damage only when a checksum at the end of a
 * frame or member disagrees). Returns decompress_error() after that: NULL
 * when the compressed data is sound as far as it was read. Only for a
 * stream whose reader is done with it.
 */
const char *decompress_check(struct decompress *z, uint64_t max_bytes);

/* The versions of zlib and libzstd tcplint runs with ("1.2.13"), for
 * --version. Static storage. */
const char *decompress_zlib_version(void);
const char *decompress_zstd_version(void);

/* The compressed file being read (borrowed), for its size and position. */
FILE *decompress_source(const struct decompress *z);

#endif
