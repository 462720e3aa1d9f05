/* decode_names.c - the name tables of enum decode_kind and enum
 * decode_tunnel (formats/wire/decode.h). */
#include "formats/wire/decode.h"

static const char *const kind_names[] = {
#define DECODE_KIND_NAME(id, name) [id] = name,
	DECODE_KINDS(DECODE_KIND_NAME)
#undef DECODE_KIND_NAME
};

const char *decode_kind_name(enum decode_kind kind)
{
	return (unsigned)kind < DECODE_KIND_COUNT ? kind_names[kind] : "?";
}

/* pkt_view.tunnels has a bit for each */
_Static_assert(DECODE_TUNNEL_COUNT <= 16, "too many tunnel kinds");

static const char *const tunnel_names[] = {
#define DECODE_TUNNEL_NAME(id, name) [id] = name,
	DECODE_TUNNELS(DECODE_TUNNEL_NAME)
#undef DECODE_TUNNEL_NAME
};

const char *decode_tunnel_name(enum decode_tunnel t)
{
	return (unsigned)t < DECODE_TUNNEL_COUNT ? tunnel_names[t] : "?";
}
