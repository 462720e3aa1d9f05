/*
 * decompress.c - gzip and zstd capture files behind a FILE (see
 * decompress.h).
 *
 * The FILE is a glibc cookie stream whose read function decompresses into
 * the caller's buffer: zlib's inflate for gzip (a gzip wrapper only, so the
 * header and the CRC-32 and length of each member are checked), libzstd's
 * streaming decoder for zstd (which checks the content checksum of frames
 * that carry one). Compressed bytes come from the source FILE through one
 * input buffer. A read returns the bytes it could decompress; the first
 * read after the data turned out to be cut short or damaged returns -1, so
 * libpcap stops there with a read error, after every record wholly before
 * the damage.
 */
#define _GNU_SOURCE /* fopencookie */
#include "formats/wire/decompress.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#define DECOMPRESS_IN_BYTES (64u * 1024u) /* compressed bytes read at once */
#define DECOMPRESS_ZSTD_WINDOW_LOG 27     /* 128 MiB, zstd's default limit */

struct decompress {
	FILE *src;    /* the compressed file */
	bool own_src; /* closed with the stream */
	enum decompress_format fmt;
	bool src_eof;    /* src has nothing more */
	bool checked;    /* the magic number was checked */
	bool member_end; /* gzip: a member ended, another may follow */
	bool frame_open; /* zstd: inside a frame (or output pending) */
	bool done;       /* the compressed data ended where it should */
	bool failed;     /* error[] says why; every read fails now */
	char error[160];
	z_stream zs;           /* gzip */
	ZSTD_DStream *zd;      /* zstd (owned) */
	size_t in_pos, in_len; /* the unread input is in[in_pos, in_len) */
	uint8_t in[DECOMPRESS_IN_BYTES];
};

enum decompress_format decompress_sniff(FILE *fp)
{
	int b = getc(fp);

	if (b == EOF)
		return DECOMPRESS_NONE;
	ungetc(b, fp);
	if (b == 0x1f) /* RFC 1952 §2.3.1 ID1 */
		return DECOMPRESS_GZIP;
	/* RFC 8878 §3.1.1 frame magic 0xFD2FB528 and §3.1.2 skippable frames
	 * 0x184D2A5?, both little-endian */
	if (b == 0x28 || (b & 0xf0) == 0x50)
		return DECOMPRESS_ZSTD;
	return DECOMPRESS_NONE;
}

const char *decompress_format_name(enum decompress_format f)
{
	switch (f) {
	case DECOMPRESS_GZIP:
		return "gzip";
	case DECOMPRESS_ZSTD:
		return "zstd";
	case DECOMPRESS_NONE:
		break;
	}
	return "plain";
}

/* Stop the stream: every read from now on fails. Returns -1. */
static ssize_t dz_fail(struct decompress *z, const char *what,
		       const char *detail)
{
	if (!z->failed) {
		if (detail)
			snprintf(z->error, sizeof(z->error), "%s (%s)", what,
				 detail);
		else
			snprintf(z->error, sizeof(z->error), "%s", what);
	}
	z->failed = true;
	errno = EIO;
	return -1;
}

/* Make at least `need` unread input bytes available. False at the end of
 * the source with fewer, or when reading it failed (then z->failed). */
static bool dz_fill(struct decompress *z, size_t need)
{
	size_t left = z->in_len - z->in_pos;

	if (left >= need || z->src_eof)
		return left >= need;
	memmove(z->in, z->in + z->in_pos, left);
	z->in_pos = 0;
	z->in_len = left;
	while (z->in_len < need && !z->src_eof) {
		size_t n = fread(z->in + z->in_len, 1,
				 sizeof(z->in) - z->in_len, z->src);

		z->in_len += n;
		if (n == 0) {
			if (ferror(z->src)) {
				dz_fail(z, "read error", strerror(errno));
				return false;
			}
			z->src_eof = true;
		}
	}
	return z->in_len >= need;
}

/* RFC 1952 §2.3.1 (ID1 ID2 = 1f 8b); RFC 8878 §3.1.1 and §3.1.2. */
static bool dz_check_magic(struct decompress *z)
{
	size_t need = z->fmt == DECOMPRESS_GZIP ? 2 : 4;
	const uint8_t *p;
	bool ok;

	if (!dz_fill(z, need)) {
		if (!z->failed)
			dz_fail(z,
				"is not a pcap or pcapng capture "
				"(unknown file format)",
				NULL);
		return false;
	}
	p = z->in + z->in_pos;
	if (z->fmt == DECOMPRESS_GZIP)
		ok = p[0] == 0x1f && p[1] == 0x8b;
	else
		ok = (p[0] == 0x28 && p[1] == 0xb5 && p[2] == 0x2f &&
		      p[3] == 0xfd) ||
		     ((p[0] & 0xf0) == 0x50 && p[1] == 0x2a && p[2] == 0x4d &&
		      p[3] == 0x18);
	if (!ok)
		dz_fail(z,
			"is not a pcap or pcapng capture (unknown file format)",
			NULL);
	return ok;
}

static ssize_t gzip_read(struct decompress *z, char *buf, size_t size)
{
	size_t out = 0;

	if (size > UINT32_MAX)
		size = UINT32_MAX;
	while (out == 0) {
		int ret;

		if (z->member_end) {
			/* RFC 1952 §2.2: members may follow each other; bytes
			 * after the last one that do not start a member are
			 * ignored, as zlib's own gzread() ignores them */
			if (!dz_fill(z, 2) || z->in[z->in_pos] != 0x1f ||
			    z->in[z->in_pos + 1] != 0x8b) {
				if (z->failed)
					return -1;
				z->done = true;
				return 0;
			}
			if (inflateReset(&z->zs) != Z_OK)
				return dz_fail(z, "corrupt gzip data",
					       z->zs.msg);
			z->member_end = false;
		}
		if (z->in_pos == z->in_len && !dz_fill(z, 1)) {
			if (z->failed)
				return -1;
			return dz_fail(z,
				       "truncated capture: the gzip data is "
				       "cut short",
				       NULL);
		}
		z->zs.next_in = z->in + z->in_pos;
		z->zs.avail_in = (uInt)(z->in_len - z->in_pos);
		z->zs.next_out = (Bytef *)buf;
		z->zs.avail_out = (uInt)size;
		ret = inflate(&z->zs, Z_NO_FLUSH);
		z->in_pos = z->in_len - z->zs.avail_in;
		out = size - z->zs.avail_out;
		switch (ret) {
		case Z_STREAM_END:
			z->member_end = true;
			break;
		case Z_OK:
		case Z_BUF_ERROR: /* no progress: more input is needed */
			break;
		case Z_MEM_ERROR:
			dz_fail(z, "out of memory decompressing gzip data",
				NULL);
			return out ? (ssize_t)out : -1;
		case Z_NEED_DICT:
			dz_fail(z, "corrupt gzip data",
				"it asks for a preset dictionary");
			return out ? (ssize_t)out : -1;
		default:
			dz_fail(z, "corrupt gzip data",
				z->zs.msg ? z->zs.msg : "inflate failed");
			return out ? (ssize_t)out : -1;
		}
	}
	return (ssize_t)out;
}

/* A libzstd error: which one, in words for a message. */
static ssize_t zstd_fail(struct decompress *z, size_t ret)
{
	if (ZSTD_getErrorCode(ret) == ZSTD_error_frameParameter_windowTooLarge)
		return dz_fail(z,
			       "cannot decompress the zstd data: its window "
			       "is larger than 128 MiB (zstd --long?)",
			       NULL);
	if (ZSTD_getErrorCode(ret) == ZSTD_error_memory_allocation)
		return dz_fail(z, "out of memory decompressing zstd data",
			       NULL);
	return dz_fail(z, "corrupt zstd data", ZSTD_getErrorName(ret));
}

static ssize_t zstd_read(struct decompress *z, char *buf, size_t size)
{
	ZSTD_outBuffer ob = {buf, size, 0};

	while (ob.pos == 0) {
		ZSTD_inBuffer ib;
		size_t ret;

		if (z->in_pos == z->in_len && !dz_fill(z, 1)) {
			if (z->failed)
				return -1;
			if (z->frame_open) {
				/* no more input: what is left in the
				 * decoder, or the end of a frame missing */
				ib = (ZSTD_inBuffer){z->in, 0, 0};
				ret = ZSTD_decompressStream(z->zd, &ob, &ib);
				if (ZSTD_isError(ret))
					return zstd_fail(z, ret);
				z->frame_open = ret != 0;
				if (ob.pos)
					break;
			}
			if (z->frame_open)
				return dz_fail(z,
					       "truncated capture: the zstd "
					       "data is cut short",
					       NULL);
			z->done = true;
			return 0;
		}
		ib = (ZSTD_inBuffer){z->in, z->in_len, z->in_pos};
		ret = ZSTD_decompressStream(z->zd, &ob, &ib);
		z->in_pos = ib.pos;
		if (ZSTD_isError(ret)) {
			zstd_fail(z, ret);
			return ob.pos ? (ssize_t)ob.pos : -1;
		}
		/* 0: a frame ended and all of it was returned */
		z->frame_open = ret != 0;
	}
	return (ssize_t)ob.pos;
}

static ssize_t dz_read(void *cookie, char *buf, size_t size)
{
	struct decompress *z = cookie;

	if (z->failed) {
		errno = EIO;
		return -1;
	}
	if (z->done || size == 0)
		return 0;
	if (!z->checked) {
		if (!dz_check_magic(z))
			return -1;
		z->checked = true;
	}
	if (z->fmt == DECOMPRESS_GZIP)
		return gzip_read(z, buf, size);
	return zstd_read(z, buf, size);
}

static void dz_free(struct decompress *z)
{
	if (z->fmt == DECOMPRESS_GZIP)
		inflateEnd(&z->zs);
	ZSTD_freeDStream(z->zd); /* NULL is fine */
	free(z);
}

static int dz_close(void *cookie)
{
	struct decompress *z = cookie;
	int rc = 0;

	if (z->own_src && fclose(z->src) != 0)
		rc = EOF;
	dz_free(z);
	return rc;
}

FILE *decompress_open(FILE *fp, bool own_fp, enum decompress_format f,
		      struct decompress **state, char *errbuf, size_t errlen)
{
	static const cookie_io_functions_t io = {
		.read = dz_read,
		.close = dz_close,
	};
	struct decompress *z;
	FILE *out;

	if (f != DECOMPRESS_GZIP && f != DECOMPRESS_ZSTD) {
		snprintf(errbuf, errlen, "not a compressed format");
		return NULL;
	}
	z = calloc(1, sizeof(*z));
	if (!z) {
		snprintf(errbuf, errlen, "out of memory");
		return NULL;
	}
	z->src = fp;
	z->own_src = own_fp;
	z->fmt = f;
	if (f == DECOMPRESS_GZIP) {
		/* 16 + 15: a gzip wrapper (not zlib or raw deflate), and the
		 * largest window deflate uses */
		if (inflateInit2(&z->zs, 16 + MAX_WBITS) != Z_OK) {
			free(z);
			snprintf(errbuf, errlen, "out of memory");
			return NULL;
		}
	} else {
		z->zd = ZSTD_createDStream();
		if (!z->zd || ZSTD_isError(ZSTD_DCtx_setParameter(
				      z->zd, ZSTD_d_windowLogMax,
				      DECOMPRESS_ZSTD_WINDOW_LOG))) {
			ZSTD_freeDStream(z->zd);
			free(z);
			snprintf(errbuf, errlen, "out of memory");
			return NULL;
		}
	}
	out = fopencookie(z, "r", io);
	if (!out) {
		dz_free(z);
		snprintf(errbuf, errlen, "out of memory");
		return NULL;
	}
	*state = z;
	return out;
}

const char *decompress_check(struct decompress *z, uint64_t max_bytes)
{
	char scratch[16384];
	uint64_t seen = 0;

	while (!z->failed && !z->done && seen < max_bytes) {
		ssize_t n = dz_read(z, scratch, sizeof(scratch));

		if (n <= 0)
			break;
		seen += (uint64_t)n;
	}
	return decompress_error(z);
}

const char *decompress_error(const struct decompress *z)
{
	return z->failed ? z->error : NULL;
}

const char *decompress_zlib_version(void)
{
	return zlibVersion();
}

const char *decompress_zstd_version(void)
{
	return ZSTD_versionString();
}

FILE *decompress_source(const struct decompress *z)
{
	return z->src;
}
