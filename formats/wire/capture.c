/*
 * capture.c - packet input over libpcap (see capture.h).
 *
 * Owns the checks that turn "libpcap could not open this" into one line a
 * user can act on: the path is looked at with stat() first (missing,
 * directory, empty), then its first byte says whether it is compressed
 * (decompress.h: gzip or zstd are then read through a decompressing
 * stream), then libpcap opens it with nanosecond timestamps, then the link
 * type is checked against the decoder. Records are numbered from 1 in the
 * order libpcap returns them, which is Wireshark's frame numbering. When
 * the compressed data of a capture is cut short or damaged, the message of
 * the read error that ends the capture is the decompressor's.
 */
#include "formats/wire/capture.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "formats/wire/decode.h"
#include "formats/wire/decompress.h"

/* After libpcap's read error on a compressed capture, how much more of it
 * to decompress looking for the damage (decompress_check). */
#define CAPTURE_DECOMPRESS_CHECK_BYTES (64ull << 20)

struct capture {
	pcap_t *p;             /* owned */
	struct decompress *dz; /* the compressed input's state, owned by the
				  FILE that p owns; NULL for a plain one */
	int dlt;
	bool nano;       /* ts.tv_usec holds nanoseconds */
	uint64_t frames; /* records returned so far */
	char name[];     /* as given by the caller (owned copy) */
};

static struct capture *capture_new(pcap_t *p, const char *name)
{
	size_t n = strlen(name) + 1;
	struct capture *c = malloc(sizeof(*c) + n);

	if (!c)
		return NULL;
	c->p = p;
	c->dz = NULL;
	c->dlt = pcap_datalink(p);
	c->nano = pcap_get_tstamp_precision(p) == PCAP_TSTAMP_PRECISION_NANO;
	c->frames = 0;
	memcpy(c->name, name, n);
	return c;
}

/* Look at the path before libpcap does, so the common mistakes get plain
 * words. Returns 0 when it is worth handing to libpcap. */
static int capture_check_path(const char *path, char *errbuf, size_t errlen)
{
	struct stat st;

	if (strcmp(path, "-") == 0)
		return 0;
	if (stat(path, &st) != 0) {
		if (errno == ENOENT)
			snprintf(errbuf, errlen, "%s: does not exist", path);
		else
			snprintf(errbuf, errlen, "%s: %s", path,
				 strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(errbuf, errlen, "%s: is a directory", path);
		return -1;
	}
	if (S_ISREG(st.st_mode) && st.st_size == 0) {
		snprintf(errbuf, errlen, "%s: is empty", path);
		return -1;
	}
	return 0;
}

/* libpcap refused the stream `in` of capture `name`: one line saying why. */
static void capture_open_error(const char *name, bool is_stdin,
			       struct decompress *dz,
			       enum decompress_format fmt, const char *pcap_err,
			       char *errbuf, size_t errlen)
{
	if (dz && decompress_check(dz, CAPTURE_DECOMPRESS_CHECK_BYTES))
		snprintf(errbuf, errlen, "%s: %s", name, decompress_error(dz));
	else if (dz)
		snprintf(
			errbuf, errlen,
			"%s: is not a pcap or pcapng capture (%s-compressed: %s)",
			name, decompress_format_name(fmt), pcap_err);
	else if (is_stdin && strstr(pcap_err, "only got 0"))
		snprintf(errbuf, errlen, "%s: is empty", name);
	else
		snprintf(errbuf, errlen,
			 "%s: is not a pcap or pcapng capture (%s)", name,
			 pcap_err);
}

struct capture *capture_open_stream(FILE *fp, const char *name, char *errbuf,
				    size_t errlen)
{
	char pcap_err[PCAP_ERRBUF_SIZE] = "", zerr[128];
	bool is_stdin = fp == stdin;
	enum decompress_format fmt;
	struct decompress *dz = NULL;
	struct capture *c;
	FILE *in = fp;
	pcap_t *p;
	int dlt;

	if (!fp) {
		snprintf(errbuf, errlen, "%s: cannot open the stream", name);
		return NULL;
	}
	fmt = decompress_sniff(fp);
	if (fmt != DECOMPRESS_NONE) {
		in = decompress_open(fp, !is_stdin, fmt, &dz, zerr,
				     sizeof(zerr));
		if (!in) {
			snprintf(errbuf, errlen, "%s: %s", name, zerr);
			if (!is_stdin)
				fclose(fp);
			return NULL;
		}
	}
	/* libpcap owns `in` (and through it fp) once it accepts it */
	p = pcap_fopen_offline_with_tstamp_precision(
		in, PCAP_TSTAMP_PRECISION_NANO, pcap_err);
	if (!p) {
		capture_open_error(name, is_stdin, dz, fmt, pcap_err, errbuf,
				   errlen);
		if (dz || !is_stdin)
			fclose(in); /* a decompressing stdin leaves stdin open */
		return NULL;
	}
	dlt = pcap_datalink(p);
	if (!decode_link_supported(dlt)) {
		snprintf(errbuf, errlen, "%s: unsupported link type %s (%d)",
			 name, capture_dlt_name(dlt), dlt);
		pcap_close(p);
		return NULL;
	}
	c = capture_new(p, name);
	if (!c) {
		snprintf(errbuf, errlen, "%s: out of memory", name);
		pcap_close(p);
		return NULL;
	}
	c->dz = dz;
	return c;
}

struct capture *capture_open_file(const char *path, char *errbuf, size_t errlen)
{
	bool is_stdin = strcmp(path, "-") == 0;
	FILE *fp;

	if (capture_check_path(path, errbuf, errlen) != 0)
		return NULL;
	/* Open the file here so that "permission denied" and friends are not
	 * reported as a format problem. */
	fp = is_stdin ? stdin : fopen(path, "rb");
	if (!fp) {
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	return capture_open_stream(fp, path, errbuf, errlen);
}

/* The first four bytes of a pcap file (either byte order, micro- or
 * nanosecond timestamps) or of a pcapng Section Header Block. */
static bool capture_magic(const uint8_t b[4])
{
	static const uint32_t magics[] = {
		0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1, 0x0a0d0d0a,
	};
	uint32_t v = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
		     (uint32_t)b[2] << 8 | b[3];

	for (size_t i = 0; i < sizeof(magics) / sizeof(magics[0]); i++)
		if (v == magics[i])
			return true;
	return false;
}

bool capture_file_is_capture(const char *path)
{
	FILE *fp = fopen(path, "rb"), *in;
	enum decompress_format fmt;
	struct decompress *dz;
	char err[64];
	uint8_t b[4];
	bool yes;

	if (!fp)
		return false;
	fmt = decompress_sniff(fp);
	in = fmt == DECOMPRESS_NONE
		     ? fp
		     : decompress_open(fp, true, fmt, &dz, err, sizeof(err));
	if (!in) {
		fclose(fp);
		return false;
	}
	yes = fread(b, 1, sizeof(b), in) == sizeof(b) && capture_magic(b);
	fclose(in);
	return yes;
}

struct capture *capture_wrap(pcap_t *p, const char *name)
{
	return capture_new(p, name);
}

int capture_set_filter(struct capture *c, const char *bpf_expr, char *errbuf,
		       size_t errlen)
{
	struct bpf_program prog;
	int rc;

	if (pcap_compile(c->p, &prog, bpf_expr, 1, PCAP_NETMASK_UNKNOWN) != 0) {
		snprintf(errbuf, errlen, "%s: bad filter \"%s\": %s", c->name,
			 bpf_expr, pcap_geterr(c->p));
		return -1;
	}
	rc = pcap_setfilter(c->p, &prog);
	if (rc != 0)
		snprintf(errbuf, errlen, "%s: cannot set filter: %s", c->name,
			 pcap_geterr(c->p));
	pcap_freecode(&prog);
	return rc == 0 ? 0 : -1;
}

/* Seconds and fraction to ns since the epoch. pcapng timestamps are 64-bit
 * counts in any unit, so the seconds libpcap derives can be far beyond what
 * int64 nanoseconds hold: saturate instead of overflowing. */
static int64_t capture_ts_ns(int64_t sec, int64_t frac, bool nano)
{
	int64_t ns, sub;

	if (__builtin_mul_overflow(frac, nano ? 1 : 1000, &sub) ||
	    __builtin_mul_overflow(sec, INT64_C(1000000000), &ns) ||
	    __builtin_add_overflow(ns, sub, &ns))
		return sec < 0 ? INT64_MIN : INT64_MAX;
	return ns;
}

int capture_next(struct capture *c, struct capture_packet *pkt, char *errbuf,
		 size_t errlen)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc = pcap_next_ex(c->p, &h, &data);

	switch (rc) {
	case 1:
		break;
	case 0:
		return CAPTURE_TIMEOUT;
	case PCAP_ERROR_BREAK:
		/* libpcap saw the end; a decompressor that failed has the
		 * last word (its read error normally reaches libpcap first) */
		if (c->dz && decompress_error(c->dz)) {
			snprintf(errbuf, errlen, "%s: %s", c->name,
				 decompress_error(c->dz));
			return CAPTURE_ERROR;
		}
		return CAPTURE_EOF;
	default: {
		const char *msg = pcap_geterr(c->p);

		/* libpcap read bytes it cannot make sense of: in a compressed
		 * capture, damaged compressed data is the likelier cause */
		if (c->dz &&
		    decompress_check(c->dz, CAPTURE_DECOMPRESS_CHECK_BYTES))
			snprintf(errbuf, errlen, "%s: %s", c->name,
				 decompress_error(c->dz));
		else
			snprintf(errbuf, errlen, "%s: %s: %s", c->name,
				 strstr(msg, "truncated") ? "truncated capture"
							  : "read error",
				 msg);
		return CAPTURE_ERROR;
	}
	}
	c->frames++;
	pkt->data = data;
	pkt->caplen = h->caplen;
	pkt->wirelen = h->len;
	pkt->ts_ns = capture_ts_ns(h->ts.tv_sec, h->ts.tv_usec, c->nano);
	pkt->frame = c->frames;
	return CAPTURE_PACKET;
}

int capture_dlt(const struct capture *c)
{
	return c->dlt;
}

const char *capture_dlt_name(int dlt)
{
	const char *name = pcap_datalink_val_to_name(dlt);

	return name ? name : "unknown";
}

const char *capture_name(const struct capture *c)
{
	return c->name;
}

uint64_t capture_frames(const struct capture *c)
{
	return c->frames;
}

bool capture_progress(const struct capture *c, uint64_t *offset, uint64_t *size)
{
	/* a compressed capture: how far into the compressed file */
	FILE *fp = c->dz ? decompress_source(c->dz) : pcap_file(c->p);
	struct stat st;
	long pos;

	if (!fp || fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode))
		return false;
	pos = ftell(fp);
	if (pos < 0)
		return false;
	*offset = (uint64_t)pos;
	*size = (uint64_t)st.st_size;
	return true;
}

pcap_t *capture_pcap(struct capture *c)
{
	return c->p;
}

void capture_close(struct capture *c)
{
	if (!c)
		return;
	pcap_close(c->p);
	free(c);
}
