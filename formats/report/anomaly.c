/*
 * anomaly.c - anomaly records into sentences (anomaly.h), and the one-line
 * meaning of every anomaly type.
 *
 * The rules (rules.c, rules_stream.c) store each anomaly as plain fields;
 * what the type-specific fields mean is documented here, beside the words
 * that use them:
 *
 *   type                 frame            ref_frame          count / value / flag
 *   missing_ack          unacked segment  the ACK in the end retransmissions / what (0 data,
 *                                         (never acked: the  1 SYN-ACK, 2 FIN; +0x10: the ACK
 *                                         RST that ended it) was captured first) / acked in the end
 *   premature_close      RST or FIN       the peer's data    RST payload / how (0 RST, 1 FIN in
 *                                         after the          handshake, 2 RST in handshake) /
 *                                         aborter's FIN      unacknowledged data at the aborter:
 *                                         (flag 2)           1 unread (before its FIN), 2 only
 *                                                            after its FIN (refused)
 *   lingering_close_wait its FIN ACK or   the segment that   how it left (1 its FIN, 2 its RST,
 *                        its last data    took it out        3 the peer's RST) / 1: frame is its
 *                                                            last data / still there at the end
 *   keepalive_burst      first unanswered last probe or RST  unanswered probes / interval ms /
 *                        (4: first probe)                    0 survived, 1 prober reset,
 *                                                            2 silence, 3 peer answered RST,
 *                                                            4 prober reset although its
 *                                                            probes were answered (count:
 *                                                            all its probes)
 *   data_after_fin       the data         its FIN            - / bytes beyond the FIN / -
 *   syn_unanswered       the SYN          -                  retransmissions
 *   half_open            SYN-ACK, ACK or  client SYN / the   SYN-ACK retransmissions, SYNs
 *                        RST              segment answered   resent (flag 1) or data
 *                                                            retransmissions (flag 2) / 1 =
 *                                                            bare RST (§3.5.2), 2 = challenge
 *                                                            ACK to a SYN / value 0: the
 *                                                            client reset it; value 1: 0
 *                                                            lost it (crash), 1 gave up
 *                                                            connecting, 2 gave up after
 *                                                            retransmissions
 *   rejected             the RST          the SYN            SYN retransmissions
 *   bad_ack              the bad ACK      SYN or FIN         - / relative ack / 0 SYN-ACK,
 *                                                            1 handshake ACK, 2 FIN
 *   time_wait_reuse      the new SYN      -                  - / old flow id / the client was
 *                                                            the one in TIME_WAIT
 *   retransmission ...   the segment      original / dup-ACK (re)transmission count or dup
 *                                         or previous frame  ACKs / bytes or relative ack /
 *                                                            1 SYN, 2 FIN, 3 SYN-ACK
 *                                                            (duplicate_ack: 1 = D-SACK)
 *   lost_segment         after the gap    before the gap     - / gap bytes / 1 not captured,
 *                                                            2 lost on the way
 *
 * Nothing here is on the packet path.
 */
#include "formats/report/anomaly.h"

#include <stdarg.h>
#include <stdio.h>

/* A bounded appender over the caller's buffer that still counts the full
 * length, like snprintf. */
struct out {
	char *buf;
	size_t len;
	size_t used; /* length of the full message so far */
};

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	size_t room = o->used < o->len ? o->len - o->used : 0;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room > 0 ? o->buf + o->used : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->used += (size_t)n;
}

static const char *role(int r)
{
	return r == 1 ? "server" : "client";
}

/* "1.4 s", "350 ms", "75 s", "2.0 h" into b. */
static const char *dur(char *b, size_t n, int64_t ns)
{
	double s = (double)ns / 1e9;

	if (ns < 0)
		ns = 0, s = 0;
	if (ns < 1000000)
		snprintf(b, n, "%.0f us", (double)ns / 1e3);
	else if (ns < 1000000000)
		snprintf(b, n, "%.0f ms", (double)ns / 1e6);
	else if (s < 100)
		snprintf(b, n, "%.1f s", s);
	else if (s < 36000)
		snprintf(b, n, "%.0f s", s);
	else
		snprintf(b, n, "%.1f h", s / 3600);
	return b;
}

/* How long after `earlier` `later` is, for later > earlier; INT64_MAX when
 * that does not fit (the capture reader saturates a timestamp out of range
 * to INT64_MIN or INT64_MAX, and the two may meet in one flow). */
static int64_t ns_after(int64_t earlier, int64_t later)
{
	int64_t d;

	return __builtin_sub_overflow(later, earlier, &d) ? INT64_MAX : d;
}

static const char *times(uint32_t n)
{
	return n == 1 ? "time" : "times";
}

static const char *state(uint8_t s)
{
	return tcp_state_name((enum tcp_state)s);
}

static const char *what_name(uint32_t w)
{
	switch (w & 0xf) {
	case 1:
		return "SYN-ACK";
	case 2:
		return "FIN";
	default:
		return "data segment";
	}
}

/* What a retransmission sent again (its flag): a SYN-ACK is no SYN. */
static const char *ctl_name(uint8_t flag)
{
	switch (flag) {
	case 1:
		return "SYN";
	case 3:
		return "SYN-ACK";
	default:
		return "FIN";
	}
}

/* Within 2% (and 1 s) of a value in seconds. */
static bool near_s(int64_t ns, double want)
{
	double s = (double)ns / 1e9;
	double tol = want * 0.02 > 1.0 ? want * 0.02 : 1.0;

	return s > want - tol && s < want + tol;
}

/* ", the first after 1.0 s, doubling each time: Linux's default NAME N"
 * for a SYN or SYN-ACK retried `count` times by an endpoint with timers t. */
static void syn_backoff(struct out *o, const struct endpoint_timers *t,
			uint32_t count, const char *sysctl, uint32_t linux_default)
{
	char b[32];

	if (t == NULL || t->syn_rto_first_ns <= 0)
		return;
	put(o, ", the first after %s", dur(b, sizeof(b), t->syn_rto_first_ns));
	if (t->rto_doubles)
		put(o, ", doubling each time");
	if (t->rto_doubles && count == linux_default &&
	    t->syn_rto_first_ns > 950000000 && t->syn_rto_first_ns < 1100000000)
		put(o, ": Linux's default %s = %u", sysctl, linux_default);
}

static void keepalive_timers(struct out *o, const struct endpoint_timers *t)
{
	char b1[32], b2[32];

	if (t->keepalive_interval_ns > 0 && t->keepalive_idle_ns > 0) {
		put(o, ", every %s after %s idle",
		    dur(b1, sizeof(b1), t->keepalive_interval_ns),
		    dur(b2, sizeof(b2), t->keepalive_idle_ns));
		if (near_s(t->keepalive_idle_ns, 7200) &&
		    near_s(t->keepalive_interval_ns, 75))
			put(o, ": Linux defaults (tcp_keepalive_time 7200, "
			       "tcp_keepalive_intvl 75)");
		else
			put(o, ": likely keepalive idle %.0f s, interval %.0f s",
			    (double)t->keepalive_idle_ns / 1e9,
			    (double)t->keepalive_interval_ns / 1e9);
	} else if (t->keepalive_interval_ns > 0) {
		put(o, ", every %s",
		    dur(b1, sizeof(b1), t->keepalive_interval_ns));
	}
}

size_t anomaly_describe(const struct flow_record *f, const struct anomaly *a,
			char *buf, size_t len)
{
	struct out o = {buf, len, 0};
	int me = a->endpoint == 1 ? 1 : 0, peer = 1 - me;
	unsigned long long fr = (unsigned long long)a->frame;
	unsigned long long ref = (unsigned long long)a->ref_frame;
	char d1[32], d2[32];

	if (len > 0)
		buf[0] = '\0';
	switch ((enum anomaly_type)a->type) {
	case ANOM_MISSING_ACK:
		/* endpoint: who should have acknowledged; peer sent it */
		if (a->value & 0x10) {
			put(&o, "%s retransmitted its %s (frame %llu) %u %s "
				"although the %s's ACK (frame %llu) is in the "
				"capture: the ACK was lost after the capture "
				"point",
			    role(peer), what_name(a->value), fr, a->count,
			    times(a->count), role(me), ref);
		} else if (a->flag) {
			put(&o, "%s did not acknowledge the %s's %s (frame "
				"%llu) before it was retransmitted; the %s sent "
				"it %u more %s over %s and the ACK came in the "
				"end (frame %llu)",
			    role(me), role(peer), what_name(a->value), fr,
			    role(peer), a->count, times(a->count),
			    dur(d1, sizeof(d1), a->duration_ns), ref);
		} else {
			put(&o, "%s never acknowledged the %s's %s (frame %llu)",
			    role(me), role(peer), what_name(a->value), fr);
			if (a->count > 0)
				put(&o, "; the %s retransmitted it %u %s over %s",
				    role(peer), a->count, times(a->count),
				    dur(d1, sizeof(d1), a->duration_ns));
			if (ref != 0)
				put(&o, "; the connection was reset (frame %llu) "
					"before any ACK of it",
				    ref);
			else if (f != NULL && f->end_ns > a->ts_ns)
				put(&o, "; the capture went on for %s after it",
				    dur(d2, sizeof(d2), ns_after(a->ts_ns, f->end_ns)));
		}
		break;
	case ANOM_PREMATURE_CLOSE:
		if (a->value == 1) {
			put(&o, "%s sent a FIN (frame %llu) before the "
				"handshake completed (%s in %s, %s in %s)",
			    role(me), fr, role(me), state(a->state[me]),
			    role(peer), state(a->state[peer]));
			break;
		}
		if (a->state[me] == TCP_ST_UNKNOWN &&
		    a->state[peer] == TCP_ST_UNKNOWN) {
			/* a mid-stream capture that shows nothing before */
			put(&o, "%s sent a RST (frame %llu) with nothing "
				"captured before it that shows the connection's "
				"state (no handshake, both states unknown): it "
				"aborted an open connection, or answered a "
				"segment of one already gone",
			    role(me), fr);
			if (a->flag == 1)
				put(&o, "; it had received data it never "
					"acknowledged (closed with unread "
					"data?)");
			if (a->count > 0)
				put(&o, "; the RST carries %u bytes", a->count);
			break;
		}
		if (a->state[me] == TCP_ST_UNKNOWN)
			put(&o, "%s aborted the %s with RST (frame %llu) in a "
				"state the capture does not show (picked up "
				"mid-stream)",
			    role(me),
			    a->value == 2 ? "handshake" : "connection", fr);
		else
			put(&o, "%s aborted the %s with RST (frame %llu) in %s",
			    role(me),
			    a->value == 2 ? "handshake" : "connection", fr,
			    state(a->state[me]));
		if (a->value == 0 && !a->flag &&
		    (a->state[me] == TCP_ST_ESTABLISHED ||
		     a->state[me] == TCP_ST_CLOSE_WAIT))
			put(&o, " without a FIN (an abortive close: SO_LINGER "
				"{1, 0} or close() with unread data, or the "
				"application died)");
		if (a->state[peer] == TCP_ST_UNKNOWN)
			put(&o, "; the %s's state is unknown (picked up "
				"mid-stream)",
			    role(peer));
		else
			put(&o, "; the %s was in %s", role(peer),
			    state(a->state[peer]));
		if (a->flag == 2)
			put(&o, "; the %s's data arrived after it had closed "
				"(frame %llu) and was refused with RST",
			    role(peer), ref);
		else if (a->flag)
			put(&o, "; it had received data it never acknowledged "
				"(closed with unread data?)");
		if (a->count > 0)
			put(&o, "; the RST carries %u bytes", a->count);
		break;
	case ANOM_LINGERING_CLOSE_WAIT:
		/* frame: its ACK of the FIN, or (value) its latest data */
		if (a->value)
			put(&o, "%s stayed in CLOSE_WAIT for %s after its last "
				"data (frame %llu)",
			    role(me), dur(d1, sizeof(d1), a->duration_ns), fr);
		else
			put(&o, "%s stayed in CLOSE_WAIT for %s after "
				"acknowledging the %s's FIN (frame %llu)",
			    role(me), dur(d1, sizeof(d1), a->duration_ns),
			    role(peer), fr);
		if (a->flag) {
			put(&o, ", sending neither %sdata nor its own FIN; it "
				"was still there when the capture ended (the "
				"application did not call close())",
			    a->value ? "more " : "");
			break;
		}
		switch (a->count) {
		case 1:
			put(&o, ", silent until its own FIN (frame %llu): the "
				"application called close() late",
			    ref);
			break;
		case 2:
			put(&o, ", silent until it reset the connection (frame "
				"%llu): the application closed late, with RST",
			    ref);
			break;
		case 3:
			put(&o, ", sending neither %sdata nor its own FIN until "
				"the %s reset the connection (frame %llu): the "
				"application had not called close()",
			    a->value ? "more " : "", role(peer), ref);
			break;
		default:
			put(&o, ", sending neither %sdata nor its own FIN",
			    a->value ? "more " : "");
			if (ref != 0)
				put(&o, " until it left CLOSE_WAIT (frame %llu)",
				    ref);
			break;
		}
		break;
	case ANOM_KEEPALIVE_BURST: {
		/* endpoint: the silent peer; peer: the prober */
		const struct endpoint_timers *t =
			f != NULL ? &f->ep[peer].timers : NULL;

		if (a->flag == 4) {
			/* answered in the capture, yet the prober gave up */
			put(&o, "%s sent %u keepalive probes (from frame %llu",
			    role(peer), a->count, fr);
			if (t != NULL && t->keepalive_interval_ns > 0)
				keepalive_timers(&o, t);
			else if (a->value > 0)
				put(&o, ", every %u ms", a->value);
			put(&o, ") and reset the connection (frame %llu) one "
				"probe interval after the last: its keepalive "
				"timer gave up (probe count %u: "
				"tcp_keepalive_probes or TCP_KEEPCNT); the %s's "
				"answers were captured but evidently did not "
				"reach the %s: lost after the capture point",
			    ref, a->count, role(me), role(peer));
			break;
		}
		put(&o, "%s did not answer %u keepalive probes from the %s "
			"(from frame %llu",
		    role(me), a->count, role(peer), fr);
		if (t != NULL)
			keepalive_timers(&o, t);
		else if (a->value > 0)
			put(&o, ", every %u ms", a->value);
		put(&o, ")");
		switch (a->flag) {
		case 1:
			put(&o, "; the %s then gave up and reset the connection "
				"(frame %llu): probe count %u (tcp_keepalive_probes "
				"or TCP_KEEPCNT)",
			    role(peer), ref, a->count);
			break;
		case 2:
			put(&o, "; the connection then went silent (last probe "
				"frame %llu)",
			    ref);
			break;
		case 3:
			put(&o, "; the %s finally answered with RST (frame "
				"%llu): it had lost the connection",
			    role(me), ref);
			break;
		default:
			put(&o, "; it answered later and the connection "
				"survived");
			break;
		}
		break;
	}
	case ANOM_DATA_AFTER_FIN:
		put(&o, "%s sent new data (frame %llu) %u bytes beyond its own "
			"FIN (frame %llu)",
		    role(me), fr, a->value, ref);
		break;
	case ANOM_SYN_UNANSWERED:
		put(&o, "%s never answered the client's SYN (frame %llu)",
		    role(me), fr);
		if (a->count > 0) {
			put(&o, "; the client retransmitted it %u %s over %s",
			    a->count, times(a->count),
			    dur(d1, sizeof(d1), a->duration_ns));
			syn_backoff(&o, f != NULL ? &f->ep[0].timers : NULL,
				    a->count, "tcp_syn_retries", 6);
		}
		if (a->confidence == CONF_LOW)
			put(&o, " (the capture ended soon after: an answer may "
				"have come later)");
		break;
	case ANOM_HALF_OPEN:
		if (a->value == 1 && a->flag == 1) {
			put(&o, "%s had given up connecting: the %s's SYN-ACKs "
				"were lost after the capture point (it resent "
				"its SYN %u %s) and its connect() timed out; its "
				"bare RST (frame %llu, %s after its first SYN) "
				"answers the %s's late SYN-ACK (frame %llu), the "
				"%s being left in SYN_RECEIVED until then",
			    role(me), role(peer), a->count, times(a->count), fr,
			    dur(d1, sizeof(d1), a->duration_ns), role(peer),
			    ref, role(peer));
			break;
		}
		if (a->value == 1 && a->flag == 2) {
			put(&o, "%s gave up after %u unanswered %s of its data "
				"(%s since the first transmission): a "
				"retransmission timeout (tcp_retries2 or "
				"TCP_USER_TIMEOUT) closed the connection, so its "
				"bare RST (frame %llu) answers the %s's late "
				"segment (frame %llu), which still held the "
				"connection open",
			    role(me), a->count,
			    a->count == 1 ? "retransmission" : "retransmissions",
			    dur(d1, sizeof(d1), a->duration_ns), fr,
			    role(peer), ref);
			break;
		}
		if (a->value == 1) {
			put(&o, "%s answered the %s's segment (frame %llu) with "
				"a bare RST (frame %llu): it had lost the "
				"connection (crash or reboot) that the %s still "
				"held open (RFC 9293 §3.5.2)",
			    role(me), role(peer), ref, fr, role(peer));
			break;
		}
		if (a->value == 2) {
			put(&o, "%s answered the %s's SYN (frame %llu) with a "
				"bare ACK (frame %llu) instead of a SYN-ACK: it "
				"still holds an older connection on these "
				"addresses and ports (challenge ACK, RFC 5961 "
				"§4)",
			    role(me), role(peer), ref, fr);
			break;
		}
		put(&o, "client never acknowledged the server's SYN-ACK "
			"(frame %llu, answering SYN frame %llu)",
		    fr, ref);
		if (a->count > 0) {
			put(&o, "; the server retransmitted it %u %s over %s",
			    a->count, times(a->count),
			    dur(d1, sizeof(d1), a->duration_ns));
			syn_backoff(&o, f != NULL ? &f->ep[1].timers : NULL,
				    a->count, "tcp_synack_retries", 5);
		}
		put(&o, a->flag ? "; the client reset it instead"
				: "; the server was left half-open in "
				  "SYN_RECEIVED");
		break;
	case ANOM_REJECTED:
		put(&o, "server refused the connection: the client's SYN "
			"(frame %llu) was answered by RST (frame %llu)",
		    ref, fr);
		if (f != NULL)
			put(&o, "; nothing listens on port %u, or a firewall "
				"rejects it",
			    f->ep[1].addr.port);
		break;
	case ANOM_BAD_ACK:
		if (a->flag == 0)
			put(&o, "%s's SYN-ACK (frame %llu) acknowledges %u "
				"instead of 1 (the client's ISN + 1, SYN frame "
				"%llu)",
			    role(me), fr, a->value, ref);
		else if (a->flag == 1)
			put(&o, "client's handshake ACK (frame %llu) "
				"acknowledges %u instead of 1 (the server's ISN "
				"+ 1, SYN-ACK frame %llu)",
			    fr, a->value, ref);
		else
			put(&o, "%s acknowledged the %s's FIN (frame %llu) with "
				"ack %u (frame %llu), beyond the FIN + 1",
			    role(me), role(peer), ref, a->value, fr);
		break;
	case ANOM_TIME_WAIT_REUSE:
		put(&o, "client opened a new connection (SYN, frame %llu) on "
			"the addresses and ports of connection #%u only %s "
			"after the %s entered TIME_WAIT (less than 2 x MSL): "
			"old duplicates may be taken for new data",
		    fr, a->value, dur(d1, sizeof(d1), a->duration_ns),
		    a->flag ? "client itself" : "server");
		break;
	case ANOM_RETRANSMISSION:
		if (a->flag && ref == 0)
			put(&o, "%s sent its %s (frame %llu) at a sequence "
				"number it had already used, so it counts as a "
				"retransmission; no earlier %s of it is in the "
				"capture",
			    role(me), ctl_name(a->flag), fr, ctl_name(a->flag));
		else if (a->flag)
			put(&o, "%s retransmitted its %s (frame %llu, first "
				"sent in frame %llu, %s earlier)",
			    role(me), ctl_name(a->flag), fr, ref,
			    dur(d1, sizeof(d1), a->duration_ns));
		else if (ref == 0)
			put(&o, "%s retransmitted %u bytes (frame %llu; its "
				"first transmission was not captured or is no "
				"longer remembered)",
			    role(me), a->value, fr);
		else
			put(&o, "%s retransmitted %u bytes (frame %llu, first "
				"sent in frame %llu, %s earlier)",
			    role(me), a->value, fr, ref,
			    dur(d1, sizeof(d1), a->duration_ns));
		if (a->count > 1)
			put(&o, "; retransmission %u of that segment", a->count);
		break;
	case ANOM_FAST_RETRANSMISSION:
		put(&o, "%s fast-retransmitted %u bytes (frame %llu) after %u "
			"duplicate ACKs from the %s",
		    role(me), a->value, fr, a->count, role(peer));
		break;
	case ANOM_SPURIOUS_RETRANSMISSION:
		put(&o, "%s retransmitted %u bytes (frame %llu) that the %s had "
			"already acknowledged (frame %llu)",
		    role(me), a->value, fr, role(peer), ref);
		break;
	case ANOM_OUT_OF_ORDER:
		put(&o, "%s's segment (frame %llu, %u bytes) came out of order: "
			"it belongs before frame %llu",
		    role(me), fr, a->value, ref);
		break;
	case ANOM_DUPLICATE_ACK:
		if (a->flag)
			put(&o, "%s sent duplicate ACK #%u (frame %llu) "
				"repeating frame %llu (ack %u) with a D-SACK "
				"(RFC 2883): it reports a duplicate of a segment "
				"it had already received (a spurious "
				"retransmission or a resent FIN of the %s); "
				"nothing is missing",
			    role(me), a->count, fr, ref, a->value, role(peer));
		else
			put(&o, "%s sent duplicate ACK #%u (frame %llu) "
				"repeating frame %llu (ack %u): a segment of the "
				"%s is missing",
			    role(me), a->count, fr, ref, a->value, role(peer));
		break;
	case ANOM_ZERO_WINDOW:
		put(&o, "%s advertised a zero window (frame %llu): its receive "
			"buffer is full and the %s must stop sending",
		    role(me), fr, role(peer));
		break;
	case ANOM_ZERO_WINDOW_PROBE:
		put(&o, "%s probed the %s's zero window (frame %llu)", role(me),
		    role(peer), fr);
		break;
	case ANOM_WINDOW_FULL:
		put(&o, "%s filled the %s's receive window (%u bytes) with "
			"frame %llu",
		    role(me), role(peer), a->value, fr);
		break;
	case ANOM_LOST_SEGMENT:
		if (a->flag == 1)
			put(&o, "%u bytes of the %s before frame %llu are not in "
				"the capture, which sits near the %s: they were "
				"not captured (capture drop), not lost",
			    a->value, role(me), fr, role(me));
		else if (a->flag == 2)
			put(&o, "%u bytes of the %s before frame %llu are "
				"missing: lost in the network before the "
				"capture point, which sits near the %s",
			    a->value, role(me), fr, role(peer));
		else
			put(&o, "%u bytes of the %s before frame %llu (after "
				"frame %llu) are missing from the capture: lost, "
				"or not captured",
			    a->value, role(me), fr, ref);
		break;
	case ANOM_ACK_UNSEEN:
		put(&o, "%s acknowledged data the capture never saw (frame "
			"%llu, ack %u): the capture missed segments of the %s",
		    role(me), fr, a->value, role(peer));
		break;
	case ANOM_MALFORMED:
		put(&o, "%s sent TCP options that cannot be parsed (frame "
			"%llu: an option's length runs past the header or is "
			"below 2); the segment is analyzed without its options, "
			"and a receiver may drop it", role(me), fr);
		break;
	default:
		put(&o, "anomaly %u at frame %llu", (unsigned)a->type, fr);
		break;
	}
	return o.used;
}

#define SUMMARIES(X)                                                         \
	X(ANOM_MISSING_ACK, "a SYN-ACK, FIN or data segment was not "           \
	  "acknowledged before its sender retransmitted it, or never")        \
	X(ANOM_PREMATURE_CLOSE, "the connection was aborted by RST while "      \
	  "open or closing, or closed by a FIN before the handshake ended")   \
	X(ANOM_LINGERING_CLOSE_WAIT, "an endpoint acknowledged its peer's "     \
	  "FIN and stayed in CLOSE_WAIT without closing: the application "    \
	  "never called close()")                                             \
	X(ANOM_KEEPALIVE_BURST, "several keepalive probes in a row got no "     \
	  "answer: the peer or the path is gone")                             \
	X(ANOM_DATA_AFTER_FIN, "an endpoint sent new data after its own FIN")   \
	X(ANOM_SYN_UNANSWERED, "a SYN got no answer at all (host down, "        \
	  "filtered, or the capture ended)")                                  \
	X(ANOM_HALF_OPEN, "one side holds a connection the other does not: "    \
	  "SYN-ACK never acknowledged, a challenge ACK to a new SYN, or a "   \
	  "bare RST from a side that lost its connection")                    \
	X(ANOM_REJECTED, "the SYN was answered by RST: nothing listens there")  \
	X(ANOM_BAD_ACK, "a handshake segment or FIN was acknowledged with "     \
	  "the wrong number")                                                 \
	X(ANOM_TIME_WAIT_REUSE, "a new connection reused the 4-tuple while "    \
	  "the old one was still in TIME_WAIT (2 x MSL)")                     \
	X(ANOM_RETRANSMISSION, "a segment was sent again after a timeout: "     \
	  "it or its ACK was lost")                                           \
	X(ANOM_FAST_RETRANSMISSION, "a segment was sent again after "           \
	  "duplicate ACKs (fast retransmit)")                                 \
	X(ANOM_SPURIOUS_RETRANSMISSION, "data the peer had already "            \
	  "acknowledged was sent again")                                      \
	X(ANOM_OUT_OF_ORDER, "a segment arrived after a later one, too soon "   \
	  "to be a retransmission")                                           \
	X(ANOM_DUPLICATE_ACK, "the receiver repeated its ACK: a segment is "    \
	  "missing or reordered, or (D-SACK) a duplicate arrived")            \
	X(ANOM_ZERO_WINDOW, "a receiver advertised a zero window: its "         \
	  "buffer is full and the sender must wait")                          \
	X(ANOM_ZERO_WINDOW_PROBE, "the sender probed a zero window")            \
	X(ANOM_WINDOW_FULL, "the sender filled the receiver's whole window")   \
	X(ANOM_LOST_SEGMENT, "a gap in the sequence numbers: the capture (or "  \
	  "the network before it) lost a segment")                            \
	X(ANOM_ACK_UNSEEN, "an ACK covers data the capture never saw: the "     \
	  "capture missed packets")                                           \
	X(ANOM_MALFORMED, "a segment carried TCP options that cannot be "       \
	  "parsed")

#define TL_SUMMARY(id, text) [id] = text,
static const char *const summaries[ANOMALY_TYPE_COUNT] = {
	SUMMARIES(TL_SUMMARY)};

const char *anomaly_type_summary(enum anomaly_type t)
{
	if ((unsigned)t >= ANOMALY_TYPE_COUNT || summaries[t] == NULL)
		return "?";
	return summaries[t];
}
