/*
 * community_id.c - Community ID v1 (community_id.h), with nettle's SHA-1
 * and base64.
 */
#include "formats/report/community_id.h"

#include <string.h>

#include <nettle/base64.h>
#include <nettle/sha1.h>

void community_id_v1(uint8_t ip_version, const uint8_t a[16], uint16_t aport,
		     const uint8_t b[16], uint16_t bport, uint16_t seed,
		     char out[COMMUNITY_ID_LEN])
{
	size_t alen = ip_version == 6 ? 16 : 4;
	uint8_t buf[2 + 16 + 16 + 2 + 4], digest[SHA1_DIGEST_SIZE];
	const uint8_t *lo = a, *hi = b;
	uint16_t lport = aport, hport = bport;
	struct sha1_ctx ctx;
	size_t n = 0;
	int c = memcmp(a, b, alen);

	if (c > 0 || (c == 0 && aport > bport)) {
		lo = b;
		hi = a;
		lport = bport;
		hport = aport;
	}
	buf[n++] = (uint8_t)(seed >> 8);
	buf[n++] = (uint8_t)seed;
	memcpy(buf + n, lo, alen);
	n += alen;
	memcpy(buf + n, hi, alen);
	n += alen;
	buf[n++] = 6; /* TCP */
	buf[n++] = 0;
	buf[n++] = (uint8_t)(lport >> 8);
	buf[n++] = (uint8_t)lport;
	buf[n++] = (uint8_t)(hport >> 8);
	buf[n++] = (uint8_t)hport;
	sha1_init(&ctx);
	sha1_update(&ctx, n, buf);
	sha1_digest(&ctx, sizeof(digest), digest);
	out[0] = '1';
	out[1] = ':';
	base64_encode_raw((char *)out + 2, sizeof(digest), digest);
	out[2 + BASE64_ENCODE_RAW_LENGTH(SHA1_DIGEST_SIZE)] = '\0';
}
