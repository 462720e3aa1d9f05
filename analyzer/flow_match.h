/*
 * flow_match.h - which connection a segment belongs to, which of its
 * endpoints sent it, and who is the client: decided one way for every
 * reader of segments.
 *
 * A connection is its canonical key (flow_key.h): both directions of a
 * 4-tuple give one key, and flow_key_make() says whether a segment's sender
 * is the key's lower end. Once the client is known, a connection remembers
 * which end of its key the client is (client_low); the sender of a segment
 * is the client exactly when the two agree. The analyzer keeps the key and
 * that bit in its flow table; the ladder's second pass, the probe's replay
 * loader and the probe's endpoint keep a struct flow_match for each
 * connection they follow, and ask flow_match_sender().
 *
 * Who is the client of a connection first seen with a segment
 * (flow_match_first()): the sender of a SYN without ACK; the receiver of a
 * SYN-ACK; when the segment is neither, the endpoint on the higher port (the
 * ephemeral one), and on equal ports the one with the higher address.
 *
 * Pure functions: no state, no allocation.
 */
#ifndef TCPLINT_ANALYZER_FLOW_MATCH_H
#define TCPLINT_ANALYZER_FLOW_MATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "analyzer/flow_key.h"
#include "analyzer/records.h"
#include "formats/wire/tuple.h"

/* Which rule named the client. */
enum flow_client_rule {
	FLOW_CLIENT_BY_SYN = 0, /* it sent the SYN without ACK */
	FLOW_CLIENT_BY_SYNACK,  /* it received the SYN-ACK */
	FLOW_CLIENT_BY_PORT,    /* no handshake segment: the higher port,
				   then the higher address */
};

/*
 * The client of a connection first seen as a segment with tuple t and TCP
 * flags `flags` (TCP_* of decode.h): ROLE_CLIENT when t's source (the
 * sender) is the client, ROLE_SERVER when its destination is. *rule (not
 * NULL) says which rule decided.
 */
enum endpoint_role flow_match_first(const struct tuple *t, uint16_t flags,
				    enum flow_client_rule *rule);

/* t as the connection's tuple, the client the source, when `sender` (t's
 * source) has that role. */
static inline struct tuple flow_match_orient(const struct tuple *t,
					     enum endpoint_role sender)
{
	return sender == ROLE_CLIENT ? *t : tuple_reverse(t);
}

/* The role of a segment's sender, from flow_key_make()'s answer for the
 * segment (src_low) and the end of the key that is the client. */
static inline enum endpoint_role flow_match_role(bool src_low, bool client_low)
{
	return src_low == client_low ? ROLE_CLIENT : ROLE_SERVER;
}

/* One connection followed: its key and which end of it is the client. */
struct flow_match {
	struct flow_key key;
	bool client_low;
};

/* Follow the connection with tuple conn, its source the client. */
void flow_match_init(struct flow_match *m, const struct tuple *conn);

/*
 * Which endpoint of m's connection sent the segment whose canonical key is
 * *key, flow_key_make() having said src_low: ROLE_CLIENT or ROLE_SERVER, or
 * -1 when the key is another connection's. For a reader that has the key
 * already (to hash it).
 */
int flow_match_sender_key(const struct flow_match *m,
			  const struct flow_key *key, bool src_low);

/*
 * Which endpoint of m's connection sent a segment with tuple t: ROLE_CLIENT,
 * ROLE_SERVER, or -1 when t is of another connection (another version,
 * address or port). A segment to itself (both ends the same endpoint) is
 * the client's.
 */
int flow_match_sender(const struct flow_match *m, const struct tuple *t);

#endif
