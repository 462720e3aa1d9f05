/* decode_names.c - the name table of enum decode_kind (formats/wire/decode.h). */
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
