/*
 * flow_match.c - the one matcher of segments to connections (flow_match.h).
 */
#include "analyzer/flow_match.h"

#include <string.h>

#include "formats/wire/decode.h"

/* Whether t's source should be the client when no handshake shows it: the
 * higher port, then the higher address. */
static bool src_is_client_by_port(const struct tuple *t)
{
	if (t->sport != t->dport)
		return t->sport > t->dport;
	return memcmp(t->src, t->dst, tuple_addr_len(t)) >= 0;
}

enum endpoint_role flow_match_first(const struct tuple *t, uint16_t flags,
				    enum flow_client_rule *rule)
{
	uint16_t hs = flags & (TCP_SYN | TCP_ACK | TCP_RST);

	if (hs == TCP_SYN) {
		*rule = FLOW_CLIENT_BY_SYN;
		return ROLE_CLIENT;
	}
	if (hs == (TCP_SYN | TCP_ACK)) {
		*rule = FLOW_CLIENT_BY_SYNACK;
		return ROLE_SERVER;
	}
	*rule = FLOW_CLIENT_BY_PORT;
	return src_is_client_by_port(t) ? ROLE_CLIENT : ROLE_SERVER;
}

void flow_match_init(struct flow_match *m, const struct tuple *conn)
{
	m->client_low = flow_key_make(&m->key, conn);
}

int flow_match_sender_key(const struct flow_match *m,
			  const struct flow_key *key, bool src_low)
{
	if (key->len != m->key.len ||
	    memcmp(key->bytes, m->key.bytes, key->len) != 0)
		return -1;
	return (int)flow_match_role(src_low, m->client_low);
}

int flow_match_sender(const struct flow_match *m, const struct tuple *t)
{
	struct flow_key key;
	bool src_low = flow_key_make(&key, t);

	return flow_match_sender_key(m, &key, src_low);
}
