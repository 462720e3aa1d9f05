/*
 * keepalive.h - what a segment does to a pending TCP keepalive probe
 * (RFC 9293 §3.8.4, RFC 1122 §4.2.3.6): the one answer to that question for
 * the passive rules (rules.c: the keepalive counts, keepalive_burst) and
 * the active probe (probe/probe.c: keepalive_answered), so a probe's verdict
 * and the analysis of its trace count the same answers.
 *
 * A probe is pending from when it is sent until its prober's peer sends
 * its next segment (or the prober its next probe). That segment answers
 * it, whatever it is, unless it is a RST: the ACK a probe draws (it is
 * outside the window, RFC 9293 §3.10.7.4), data, a window update or a FIN
 * all show the connection alive at the peer. A RST says the peer had lost
 * the connection: the probe died unanswered. Either way the probe is no
 * longer pending.
 */
#ifndef TCPLINT_ANALYZER_KEEPALIVE_H
#define TCPLINT_ANALYZER_KEEPALIVE_H

#include <stdbool.h>
#include <stdint.h>

enum keepalive_reply {
	KA_REPLY_NONE = 0, /* no probe pending: nothing to answer */
	KA_REPLY_ANSWER,   /* the pending probe is answered */
	KA_REPLY_RESET,    /* a RST: the pending probe died unanswered */
};

/* What a segment with TCP flags `flags` (TCP_*) from the peer of a prober
 * does to the prober's latest probe, pending or not. */
enum keepalive_reply keepalive_reply(bool probe_pending, uint16_t flags);

#endif
