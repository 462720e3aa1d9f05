/*
 * keepalive.c - the answer to a keepalive probe (see keepalive.h).
 */
#include "analyzer/keepalive.h"

#include "formats/wire/decode.h"

enum keepalive_reply keepalive_reply(bool probe_pending, uint16_t flags)
{
	if (!probe_pending)
		return KA_REPLY_NONE;
	return (flags & TCP_RST) ? KA_REPLY_RESET : KA_REPLY_ANSWER;
}
