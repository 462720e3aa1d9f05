/*
 * verdict.h - the handshake and close verdicts of a connection, decided in
 * one place for the passive analyzer and the probe.
 *
 * Both are pure functions: of the two endpoints' state machines
 * (tcp_fsm.h) and of the few facts of the connection's history that the
 * machines do not keep (struct verdict_facts). The analyzer fills the facts
 * from both machines and its flow's bookkeeping when it reports a flow; the
 * probe, which holds only its own machine (the client's), has its
 * handshake judged from what that machine saw of the peer
 * (verdict_handshake_of_client()). docs/STATES.md gives every verdict.
 */
#ifndef TCPLINT_ANALYZER_VERDICT_H
#define TCPLINT_ANALYZER_VERDICT_H

#include <stdbool.h>
#include <stdint.h>

#include "analyzer/records.h"
#include "analyzer/tcp_fsm.h"

struct verdict_facts {
	bool client_syn;    /* the client sent a SYN without ACK */
	bool server_syn;    /* the server sent one too: simultaneous open */
	bool server_synack; /* the server sent a SYN (with or without ACK) */
	bool server_rst;    /* the server sent a RST */
	uint8_t synced;     /* bit (1 << role): that endpoint reached a
				 synchronized state */
	bool rst_abort;     /* a RST closed an endpoint that was
				 synchronized (or in SYN_RECEIVED) */
	uint8_t rst_role;   /* who sent that RST (enum endpoint_role) */
};

/* The handshake verdict: not_observed without the client's SYN, then
 * simultaneous_open, complete, incomplete (a SYN-ACK never rightly
 * acknowledged), rejected (a RST), unanswered. */
enum handshake_verdict verdict_handshake(const struct verdict_facts *vf);

/*
 * The close verdict of a connection whose endpoints are ep[ROLE_CLIENT] and
 * ep[ROLE_SERVER] and whose handshake verdict is hs, and (into *closer) who
 * closed actively. A connection never established (nothing synchronized,
 * or hs incomplete) has none.
 */
enum close_verdict verdict_close(const struct tcp_endpoint ep[2],
				 const struct verdict_facts *vf,
				 enum handshake_verdict hs,
				 enum closer *closer);

/*
 * The handshake verdict of a connection whose client is `client`, judged
 * from what the client's own machine saw: its SYN, the peer's SYN-ACK and
 * RST, its SYN acknowledged, its ACK of the peer's SYN sent. A client sees
 * no bare SYN of the peer apart from a SYN-ACK, so this never says
 * simultaneous_open. The probe's endpoint is such a client.
 */
enum handshake_verdict verdict_handshake_of_client(
	const struct tcp_endpoint *client);

#endif
