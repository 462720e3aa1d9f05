/*
 * community_id.h - the Community ID of a connection (version 1), the flow
 * hash that Zeek, Suricata, Arkime and others put on their records, so a
 * tcplint flow joins with theirs.
 *
 * "1:" and the base64 of SHA-1 over: the seed (2 bytes, network order),
 * the lower endpoint's address, the other's address, the IP protocol (6),
 * a zero byte, the lower endpoint's port, the other's port; the lower
 * endpoint is the one whose (address, port) compares smaller as bytes.
 */
#ifndef TCPLINT_REPORT_COMMUNITY_ID_H
#define TCPLINT_REPORT_COMMUNITY_ID_H

#include <stdint.h>

/* "1:" + 28 base64 characters + NUL */
#define COMMUNITY_ID_LEN 31

/*
 * The Community ID of a TCP connection between (a, aport) and (b, bport),
 * either way round, under `seed` (0 unless the user chose another). ip_version
 * is 4 (addresses in the first 4 bytes) or 6. Writes COMMUNITY_ID_LEN bytes
 * with the NUL into out.
 */
void community_id_v1(uint8_t ip_version, const uint8_t a[16], uint16_t aport,
		     const uint8_t b[16], uint16_t bport, uint16_t seed,
		     char out[COMMUNITY_ID_LEN]);

#endif
