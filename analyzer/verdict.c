/*
 * verdict.c - the handshake and close verdicts (verdict.h).
 */
#include "analyzer/verdict.h"

#include "analyzer/seq.h"

#define BOTH_SYNCED ((uint8_t)(1u << ROLE_CLIENT | 1u << ROLE_SERVER))

enum handshake_verdict verdict_handshake(const struct verdict_facts *vf)
{
	if (!vf->client_syn)
		return HS_NOT_OBSERVED;
	if (vf->server_syn)
		return HS_SIMULTANEOUS_OPEN;
	if ((vf->synced & BOTH_SYNCED) == BOTH_SYNCED)
		return HS_COMPLETE;
	if (vf->server_synack)
		return HS_INCOMPLETE; /* a SYN-ACK never (rightly) acknowledged */
	if (vf->server_rst)
		return HS_REJECTED;
	return HS_UNANSWERED;
}

/* Both sent a FIN: which close it was, and who closed. */
static enum close_verdict close_of_fins(const struct tcp_endpoint *c,
					const struct tcp_endpoint *s,
					enum closer first_fin,
					enum closer *closer)
{
	const struct tcp_endpoint *second = first_fin == CLOSER_CLIENT ? s : c;
	/* both closed actively: each sent its FIN before it had acknowledged
	 * the other's (usually both then pass through CLOSING; the second
	 * closer does not when the first FIN was lost and never
	 * acknowledged) */
	bool second_active = !second->peer_fin_acked ||
			     second->peer_fin_acked_frame > second->fin_frame;

	if ((c->was_closing && s->was_closing) || second_active) {
		*closer = CLOSER_BOTH;
		return CLOSE_SIMULTANEOUS;
	}
	*closer = first_fin;
	return second->peer_fin_acked_frame == second->fin_frame
		       ? CLOSE_THREE_WAY
		       : CLOSE_FOUR_WAY;
}

enum close_verdict verdict_close(const struct tcp_endpoint ep[2],
				 const struct verdict_facts *vf,
				 enum handshake_verdict hs, enum closer *closer)
{
	const struct tcp_endpoint *c = &ep[ROLE_CLIENT];
	const struct tcp_endpoint *s = &ep[ROLE_SERVER];
	enum closer first_fin = CLOSER_NONE;

	if (c->fin_sent && (!s->fin_sent || c->fin_frame <= s->fin_frame))
		first_fin = CLOSER_CLIENT;
	else if (s->fin_sent)
		first_fin = CLOSER_SERVER;

	*closer = CLOSER_NONE;
	if (vf->synced == 0 || hs == HS_INCOMPLETE) {
		/* never established: an incomplete handshake opened no
		 * connection, even if the client took the SYN-ACK for one (a
		 * FIN or RST in it is a premature_close, not a close) */
		return CLOSE_NONE;
	}
	if (vf->rst_abort) {
		*closer = first_fin != CLOSER_NONE      ? first_fin
			  : vf->rst_role == ROLE_CLIENT ? CLOSER_CLIENT
							: CLOSER_SERVER;
		return CLOSE_RESET;
	}
	if (c->fin_sent && s->fin_sent)
		return close_of_fins(c, s, first_fin, closer);
	if (c->fin_sent || s->fin_sent) {
		*closer = first_fin;
		return CLOSE_HALF_CLOSED;
	}
	if ((vf->synced & BOTH_SYNCED) == BOTH_SYNCED)
		return CLOSE_OPEN; /* still ESTABLISHED */
	/* one side never synchronized (a SYN-ACK whose third segment the
	 * capture never showed, picked up mid-handshake) */
	return CLOSE_NONE;
}

enum handshake_verdict verdict_handshake_of_client(
	const struct tcp_endpoint *client)
{
	struct verdict_facts vf = {0};

	vf.client_syn = client->syn_sent;
	vf.server_synack = client->peer_syn_seen;
	vf.server_rst = client->rst_rcvd;
	if (client->syn_acked)
		vf.synced |= 1u << ROLE_CLIENT;
	/* the server is synchronized once the client acknowledged its SYN */
	if (client->peer_syn_seen && client->peer_isn_known &&
	    client->tx.max_ack_known &&
	    SEQ_GT(client->tx.max_ack, client->peer_isn))
		vf.synced |= 1u << ROLE_SERVER;
	return verdict_handshake(&vf);
}
