/*
 * fuzz_decode.c - decode_packet() on arbitrary bytes.
 *
 * Input: byte 0 picks the link type from the table below, byte 1 the wire
 * length (high bit set: the frame was cut by a snaplen, the wire had
 * (low 7 bits) * 64 more bytes), the rest is the captured frame. The frame
 * is the tail of the buffer libFuzzer hands over, so with ASan a read one
 * byte past the captured length is reported. The view is checked for the
 * decoder's promises; a broken one traps.
 */
#include "tests/fuzz/fuzz.h"

#include "formats/wire/decode.h"

static const int fuzz_dlts[] = {
	0,   /* NULL */
	1,   /* EN10MB */
	12,  /* RAW */
	14,  /* RAW (OpenBSD) */
	101, /* LINKTYPE_RAW */
	108, /* LOOP */
	113, /* LINUX_SLL */
	228, /* IPV4 */
	229, /* IPV6 */
	239, /* NFLOG */
	242, /* IPOIB */
	276, /* LINUX_SLL2 */
	105, /* IEEE802_11: unsupported */
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pkt_view v;
	enum decode_kind k;
	enum decode_result r;
	uint32_t caplen, wirelen;
	const uint8_t *frame;
	int dlt;

	if (size < 2 || size - 2 > UINT32_MAX / 2)
		return 0;
	dlt = fuzz_dlts[data[0] % (sizeof(fuzz_dlts) / sizeof(fuzz_dlts[0]))];
	frame = data + 2;
	caplen = (uint32_t)(size - 2);
	wirelen = caplen + (data[1] & 0x80 ? (uint32_t)(data[1] & 0x7f) * 64 : 0);
	r = decode_packet(dlt, frame, caplen, wirelen, &v, &k);
	if ((unsigned)k >= DECODE_KIND_COUNT)
		__builtin_trap();
	if (r == DECODE_TCP) {
		if (v.payload_captured > v.payload_bytes ||
		    v.payload_captured > caplen ||
		    (v.payload_captured &&
		     (v.payload < frame ||
		      v.payload + v.payload_captured > frame + caplen)) ||
		    (v.ip_version != 4 && v.ip_version != 6) ||
		    v.opt.sack_count > TCP_MAX_SACK_BLOCKS ||
		    (k != DK_NONE && k != DK_BAD_TCP_OPTION) ||
		    (k == DK_BAD_TCP_OPTION) != v.opt.malformed)
			__builtin_trap();
	} else if (k == DK_NONE || r > DECODE_UNSUPPORTED) {
		__builtin_trap();
	}
	return 0;
}
