/*
 * capture.c - packet input over libpcap (see capture.h).
 *
 * Owns the checks that turn "libpcap could not open this" into one line a
 * user can act on: the path is looked at with stat() first (missing,
 * directory, empty), then libpcap opens it with nanosecond timestamps, then
 * the link type is checked against the decoder. Records are numbered from 1
 * in the order libpcap returns them, which is Wireshark's frame numbering.
 */
#include "formats/wire/capture.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "formats/wire/decode.h"

struct capture {
	pcap_t *p;       /* owned */
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

struct capture *capture_open_file(const char *path, char *errbuf,
				  size_t errlen)
{
	char pcap_err[PCAP_ERRBUF_SIZE] = "";
	struct capture *c;
	pcap_t *p;
	int dlt;

	bool is_stdin = strcmp(path, "-") == 0;
	FILE *fp;

	if (capture_check_path(path, errbuf, errlen) != 0)
		return NULL;
	/* Open the file here so that "permission denied" and friends are not
	 * reported as a format problem. libpcap owns fp once it accepts it. */
	fp = is_stdin ? stdin : fopen(path, "rb");
	if (!fp) {
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	p = pcap_fopen_offline_with_tstamp_precision(
		fp, PCAP_TSTAMP_PRECISION_NANO, pcap_err);
	if (!p) {
		if (!is_stdin)
			fclose(fp);
		if (is_stdin && strstr(pcap_err, "only got 0"))
			snprintf(errbuf, errlen, "%s: is empty", path);
		else
			snprintf(errbuf, errlen,
				 "%s: is not a pcap or pcapng capture (%s)",
				 path, pcap_err);
		return NULL;
	}
	dlt = pcap_datalink(p);
	if (!decode_link_supported(dlt)) {
		snprintf(errbuf, errlen, "%s: unsupported link type %s (%d)",
			 path, capture_dlt_name(dlt), dlt);
		pcap_close(p);
		return NULL;
	}
	c = capture_new(p, path);
	if (!c) {
		snprintf(errbuf, errlen, "%s: out of memory", path);
		pcap_close(p);
	}
	return c;
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
		return CAPTURE_EOF;
	default: {
		const char *msg = pcap_geterr(c->p);

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

bool capture_progress(const struct capture *c, uint64_t *offset,
		      uint64_t *size)
{
	FILE *fp = pcap_file(c->p);
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
