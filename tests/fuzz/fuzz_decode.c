/*
 * fuzz_decode.c - decode_packet() on arbitrary bytes.
 *
 * Input: byte 0 picks the link type: modulo one more than the rows of the
 * link-type table (formats/wire/linktype.h), row i or, past the last row,
 * IEEE 802.11, which the decoder does not know. Byte 1 is the wire
 * length (high bit set: the frame was cut by a snaplen, the wire had
 * (low 7 bits) * 64 more bytes), the rest is the captured frame. The frame
 * is the tail of the buffer libFuzzer hands over, so with ASan a read one
 * byte past the captured length is reported. The view is checked for the
 * decoder's promises (among them: an IP header at net_offset, with room
 * for it and the TCP header in the capture); a broken one traps.
 */
#include "tests/fuzz/fuzz.h"

#include "formats/wire/decode.h"
#include "formats/wire/linktype.h"

/* An index into the link-type table; past its last row, a link type the
 * decoder does not know. */
static int fuzz_dlt(uint8_t pick)
{
	const struct linktype *lt;
	size_t rows = 0;

	while (linktype_at(rows))
		rows++;
	lt = linktype_at(pick % (rows + 1));
	return lt ? lt->dlt : 105; /* IEEE802_11 */
}

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
	dlt = fuzz_dlt(data[0]);
	frame = data + 2;
	caplen = (uint32_t)(size - 2);
	wirelen =
		caplen + (data[1] & 0x80 ? (uint32_t)(data[1] & 0x7f) * 64 : 0);
	r = decode_packet(dlt, frame, caplen, wirelen, &v, &k);
	if ((unsigned)k >= DECODE_KIND_COUNT)
		__builtin_trap();
	if (r == DECODE_TCP) {
		if (v.payload_captured > v.payload_bytes ||
		    v.payload_captured > caplen ||
		    (v.payload_captured &&
		     (v.payload < frame ||
		      v.payload + v.payload_captured > frame + caplen)) ||
		    (v.tuple.ip_version != 4 && v.tuple.ip_version != 6) ||
		    v.net_offset + 40 > caplen ||
		    (frame[v.net_offset] >> 4 != 4 &&
		     frame[v.net_offset] >> 4 != 6) ||
		    v.opt.sack_count > TCP_MAX_SACK_BLOCKS ||
		    (k != DK_NONE && k != DK_BAD_TCP_OPTION) ||
		    (k == DK_BAD_TCP_OPTION) != v.opt.malformed)
			__builtin_trap();
	} else if (k == DK_NONE || r > DECODE_UNSUPPORTED) {
		__builtin_trap();
	}
	return 0;
}
