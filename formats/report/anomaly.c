/*
 * anomaly.c - anomaly records into sentences (anomaly.h): one function per
 * anomaly type, found through a table indexed by the type, words each of
 * the type's causes (analyzer/anomaly_types.h).
 *
 * The rules (rules.c, rules_stream.c) store each anomaly as plain fields;
 * what the type-specific fields mean is documented here, beside the words
 * that use them:
 *
 *   type                 frame            ref_frame          count / value
 *   missing_ack          unacked segment  the ACK in the end retransmissions / what
 *                                         (never_acked: the  (enum missing_ack_what; its
 *                                         RST that ended it) ACK_SEEN bit with
 *                                                            ack_lost_after_capture)
 *   premature_close      RST or FIN       the peer's data    RST payload / how (0 RST, 1 FIN
 *                                         after the          in handshake, 2 RST in
 *                                         aborter's FIN      handshake)
 *                                         (refused_after_
 *                                         close)
 *   lingering_close_wait its FIN ACK or   the segment that   how it left (1 its FIN, 2 its
 *                        its last data    took it out        RST, 3 the peer's RST) / 1:
 *                                                            frame is its last data
 *   keepalive_burst      first unanswered last probe or RST  unanswered probes (answers_lost_
 *                        (answers_lost_                      after_capture: all its probes)
 *                        after_capture:                      / interval ms
 *                        first probe)
 *   data_after_fin       the data         its FIN            - / bytes beyond the FIN
 *   syn_unanswered       the SYN          -                  retransmissions
 *   half_open            SYN-ACK, ACK or  client SYN / the   SYN-ACK retransmissions, SYNs
 *                        RST              segment answered   resent (gave_up_connecting) or
 *                                                            data retransmissions (gave_up_
 *                                                            retransmitting) / 0 SYN-ACK,
 *                                                            1 bare RST (§3.5.2), 2
 *                                                            challenge ACK to a SYN
 *   rejected             the RST          the SYN            SYN retransmissions
 *   bad_ack              the bad ACK      SYN or FIN         - / relative ack
 *   time_wait_reuse      the new SYN      -                  - / old flow id
 *   retransmission ...   the segment      original / dup-ACK (re)transmission count or dup
 *                                         or previous frame  ACKs / bytes or relative ack
 *   lost_segment         after the gap    before the gap     - / gap bytes
 *
 * The cause picks the sentence; the state of both endpoints when it
 * happened (a->state) and the flow's timers refine it. Nothing here is on
 * the packet path.
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
static void
put(struct out *o, const char *fmt, ...)
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
	return r == ROLE_SERVER ? "server" : "client";
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

/* What missing_ack waited for (its value). */
static const char *what_name(uint32_t w)
{
	switch (w & ANOM_WHAT_MASK) {
	case ANOM_WHAT_SYNACK:
		return "SYN-ACK";
	case ANOM_WHAT_FIN:
		return "FIN";
	default:
		return "data segment";
	}
}

/* What a retransmission sent again (its cause): a SYN-ACK is no SYN. */
static const char *ctl_name(uint8_t cause)
{
	switch (cause) {
	case CAUSE_RTX_SYN:
		return "SYN";
	case CAUSE_RTX_SYNACK:
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
			uint32_t count, const char *sysctl,
			uint32_t linux_default)
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
			put(o,
			    ": likely keepalive idle %.0f s, interval %.0f s",
			    (double)t->keepalive_idle_ns / 1e9,
			    (double)t->keepalive_interval_ns / 1e9);
	} else if (t->keepalive_interval_ns > 0) {
		put(o, ", every %s",
		    dur(b1, sizeof(b1), t->keepalive_interval_ns));
	}
}

/* One anomaly being worded: the record, its flow (NULL when the caller has
 * none) and what every sentence names. */
struct say {
	struct out o;
	const struct flow_record *f;
	const struct anomaly *a;
	int me, peer;           /* the endpoint at fault and the other one */
	unsigned long long fr;  /* a->frame */
	unsigned long long ref; /* a->ref_frame */
};

/* ---- one function per type: each cause's sentence ----------------------- */

/* endpoint: who should have acknowledged; peer sent it */
static void say_missing_ack(struct say *s)
{
	const struct anomaly *a = s->a;
	char d1[32], d2[32];

	switch (a->cause) {
	case CAUSE_MISSING_ACK_ACK_LOST:
		put(&s->o,
		    "%s retransmitted its %s (frame %llu) %u %s although "
		    "the %s's ACK (frame %llu) is in the capture: the "
		    "ACK was lost after the capture point",
		    role(s->peer), what_name(a->value), s->fr, a->count,
		    times(a->count), role(s->me), s->ref);
		break;
	case CAUSE_MISSING_ACK_LATE:
		put(&s->o,
		    "%s did not acknowledge the %s's %s (frame %llu) "
		    "before it was retransmitted; the %s sent it %u more "
		    "%s over %s and the ACK came in the end (frame %llu)",
		    role(s->me), role(s->peer), what_name(a->value), s->fr,
		    role(s->peer), a->count, times(a->count),
		    dur(d1, sizeof(d1), a->duration_ns), s->ref);
		break;
	default: /* CAUSE_MISSING_ACK_NEVER */
		put(&s->o, "%s never acknowledged the %s's %s (frame %llu)",
		    role(s->me), role(s->peer), what_name(a->value), s->fr);
		if (a->count > 0)
			put(&s->o, "; the %s retransmitted it %u %s over %s",
			    role(s->peer), a->count, times(a->count),
			    dur(d1, sizeof(d1), a->duration_ns));
		if (s->ref != 0)
			put(&s->o,
			    "; the connection was reset (frame %llu) "
			    "before any ACK of it",
			    s->ref);
		else if (s->f != NULL && s->f->end_ns > a->ts_ns)
			put(&s->o, "; the capture went on for %s after it",
			    dur(d2, sizeof(d2),
				ns_after(a->ts_ns, s->f->end_ns)));
		break;
	}
}

/* premature_close, a RST in a mid-stream capture that shows nothing before
 * it (both states unknown) */
static void say_lone_rst(struct say *s)
{
	const struct anomaly *a = s->a;

	put(&s->o,
	    "%s sent a RST (frame %llu) with nothing captured before "
	    "it that shows the connection's state (no handshake, both "
	    "states unknown): it aborted an open connection, or "
	    "answered a segment of one already gone",
	    role(s->me), s->fr);
	if (a->cause == CAUSE_PREMATURE_CLOSE_UNREAD)
		put(&s->o, "; it had received data it never acknowledged "
			   "(closed with unread data?)");
	if (a->count > 0)
		put(&s->o, "; the RST carries %u bytes", a->count);
}

static void say_premature_close(struct say *s)
{
	const struct anomaly *a = s->a;
	uint8_t st = a->state[s->me], pst = a->state[s->peer];
	/* the aborter was answering a handshake (the rules' "RST in
	 * SYN_RECEIVED", also when it held unread data) */
	const char *what = a->cause == CAUSE_PREMATURE_CLOSE_RST_HANDSHAKE ||
					   st == TCP_ST_SYN_RECEIVED
				   ? "handshake"
				   : "connection";

	if (a->cause == CAUSE_PREMATURE_CLOSE_FIN_HANDSHAKE) {
		put(&s->o,
		    "%s sent a FIN (frame %llu) before the handshake "
		    "completed (%s in %s, %s in %s)",
		    role(s->me), s->fr, role(s->me), state(st), role(s->peer),
		    state(pst));
		return;
	}
	if (st == TCP_ST_UNKNOWN && pst == TCP_ST_UNKNOWN) {
		say_lone_rst(s);
		return;
	}
	if (st == TCP_ST_UNKNOWN)
		put(&s->o,
		    "%s aborted the %s with RST (frame %llu) in a state "
		    "the capture does not show (picked up mid-stream)",
		    role(s->me), what, s->fr);
	else
		put(&s->o, "%s aborted the %s with RST (frame %llu) in %s",
		    role(s->me), what, s->fr, state(st));
	if (a->cause == CAUSE_PREMATURE_CLOSE_RST &&
	    (st == TCP_ST_ESTABLISHED || st == TCP_ST_CLOSE_WAIT))
		put(&s->o, " without a FIN (an abortive close: SO_LINGER "
			   "{1, 0} or close() with unread data, or the "
			   "application died)");
	if (pst == TCP_ST_UNKNOWN)
		put(&s->o, "; the %s's state is unknown (picked up mid-stream)",
		    role(s->peer));
	else
		put(&s->o, "; the %s was in %s", role(s->peer), state(pst));
	if (a->cause == CAUSE_PREMATURE_CLOSE_REFUSED)
		put(&s->o,
		    "; the %s's data arrived after it had closed (frame "
		    "%llu) and was refused with RST",
		    role(s->peer), s->ref);
	else if (a->cause == CAUSE_PREMATURE_CLOSE_UNREAD)
		put(&s->o, "; it had received data it never acknowledged "
			   "(closed with unread data?)");
	if (a->count > 0)
		put(&s->o, "; the RST carries %u bytes", a->count);
}

/* frame: its ACK of the FIN, or (value) its latest data */
static void say_lingering_close_wait(struct say *s)
{
	const struct anomaly *a = s->a;
	const char *more = a->value ? "more " : "";
	char d1[32];

	if (a->value)
		put(&s->o,
		    "%s stayed in CLOSE_WAIT for %s after its last "
		    "data (frame %llu)",
		    role(s->me), dur(d1, sizeof(d1), a->duration_ns), s->fr);
	else
		put(&s->o,
		    "%s stayed in CLOSE_WAIT for %s after "
		    "acknowledging the %s's FIN (frame %llu)",
		    role(s->me), dur(d1, sizeof(d1), a->duration_ns),
		    role(s->peer), s->fr);
	switch (a->cause) {
	case CAUSE_LINGERING_STILL:
		put(&s->o,
		    ", sending neither %sdata nor its own FIN; it was "
		    "still there when the capture ended (the "
		    "application did not call close())",
		    more);
		break;
	case CAUSE_LINGERING_LIVE:
		put(&s->o,
		    ", sending neither %sdata nor its own FIN, and is "
		    "still there (live capture): the application has "
		    "not called close()",
		    more);
		break;
	case CAUSE_LINGERING_FIN:
		put(&s->o,
		    ", silent until its own FIN (frame %llu): the "
		    "application called close() late",
		    s->ref);
		break;
	case CAUSE_LINGERING_RST:
		put(&s->o,
		    ", silent until it reset the connection (frame "
		    "%llu): the application closed late, with RST",
		    s->ref);
		break;
	case CAUSE_LINGERING_PEER_RST:
		put(&s->o,
		    ", sending neither %sdata nor its own FIN until the "
		    "%s reset the connection (frame %llu): the "
		    "application had not called close()",
		    more, role(s->peer), s->ref);
		break;
	default: /* CAUSE_LINGERING_LEFT */
		put(&s->o, ", sending neither %sdata nor its own FIN", more);
		if (s->ref != 0)
			put(&s->o, " until it left CLOSE_WAIT (frame %llu)",
			    s->ref);
		break;
	}
}

/* keepalive_burst answers_lost_after_capture: answered in the capture, yet
 * the prober gave up */
static void say_keepalive_answers_lost(struct say *s,
				       const struct endpoint_timers *t)
{
	const struct anomaly *a = s->a;

	put(&s->o, "%s sent %u keepalive probes (from frame %llu",
	    role(s->peer), a->count, s->fr);
	if (t != NULL && t->keepalive_interval_ns > 0)
		keepalive_timers(&s->o, t);
	else if (a->value > 0)
		put(&s->o, ", every %u ms", a->value);
	put(&s->o,
	    ") and reset the connection (frame %llu) one probe "
	    "interval after the last: its keepalive timer gave up "
	    "(probe count %u: tcp_keepalive_probes or TCP_KEEPCNT); "
	    "the %s's answers were captured but evidently did not "
	    "reach the %s: lost after the capture point",
	    s->ref, a->count, role(s->me), role(s->peer));
}

/* endpoint: the silent peer; peer: the prober */
static void say_keepalive_burst(struct say *s)
{
	const struct anomaly *a = s->a;
	const struct endpoint_timers *t =
		s->f != NULL ? &s->f->ep[s->peer].timers : NULL;

	if (a->cause == CAUSE_KEEPALIVE_ANSWERS_LOST) {
		say_keepalive_answers_lost(s, t);
		return;
	}
	put(&s->o,
	    "%s did not answer %u keepalive probes from the %s (from "
	    "frame %llu",
	    role(s->me), a->count, role(s->peer), s->fr);
	if (t != NULL)
		keepalive_timers(&s->o, t);
	else if (a->value > 0)
		put(&s->o, ", every %u ms", a->value);
	put(&s->o, ")");
	switch (a->cause) {
	case CAUSE_KEEPALIVE_PROBER_RST:
		put(&s->o,
		    "; the %s then gave up and reset the connection "
		    "(frame %llu): probe count %u (tcp_keepalive_probes "
		    "or TCP_KEEPCNT)",
		    role(s->peer), s->ref, a->count);
		break;
	case CAUSE_KEEPALIVE_SILENCE:
		put(&s->o,
		    "; the connection then went silent (last probe "
		    "frame %llu)",
		    s->ref);
		break;
	case CAUSE_KEEPALIVE_PEER_RST:
		put(&s->o,
		    "; the %s finally answered with RST (frame %llu): "
		    "it had lost the connection",
		    role(s->me), s->ref);
		break;
	default: /* CAUSE_KEEPALIVE_SURVIVED */
		put(&s->o, "; it answered later and the connection survived");
		break;
	}
}

static void say_data_after_fin(struct say *s)
{
	put(&s->o,
	    "%s sent new data (frame %llu) %u bytes beyond its own FIN "
	    "(frame %llu)",
	    role(s->me), s->fr, s->a->value, s->ref);
}

static void say_syn_unanswered(struct say *s)
{
	const struct anomaly *a = s->a;
	char d1[32];

	put(&s->o, "%s never answered the client's SYN (frame %llu)",
	    role(s->me), s->fr);
	if (a->count > 0) {
		put(&s->o, "; the client retransmitted it %u %s over %s",
		    a->count, times(a->count),
		    dur(d1, sizeof(d1), a->duration_ns));
		syn_backoff(&s->o, s->f != NULL ? &s->f->ep[0].timers : NULL,
			    a->count, "tcp_syn_retries", 6);
	}
	if (a->confidence == CONF_LOW)
		put(&s->o, " (the capture ended soon after: an answer may have "
			   "come later)");
}

/* half_open synack_unacked and synack_reset: the handshake verdict */
static void say_half_open_synack(struct say *s)
{
	const struct anomaly *a = s->a;
	char d1[32];

	put(&s->o,
	    "client never acknowledged the server's SYN-ACK (frame "
	    "%llu, answering SYN frame %llu)",
	    s->fr, s->ref);
	if (a->count > 0) {
		put(&s->o, "; the server retransmitted it %u %s over %s",
		    a->count, times(a->count),
		    dur(d1, sizeof(d1), a->duration_ns));
		syn_backoff(&s->o, s->f != NULL ? &s->f->ep[1].timers : NULL,
			    a->count, "tcp_synack_retries", 5);
	}
	put(&s->o, a->cause == CAUSE_HALF_OPEN_SYNACK_RST
			   ? "; the client reset it instead"
			   : "; the server was left half-open in SYN_RECEIVED");
}

static void say_half_open(struct say *s)
{
	const struct anomaly *a = s->a;
	const char *me = role(s->me), *peer = role(s->peer);
	char d1[32];

	switch (a->cause) {
	case CAUSE_HALF_OPEN_GAVE_UP_CONNECTING:
		put(&s->o,
		    "%s had given up connecting: the %s's SYN-ACKs were "
		    "lost after the capture point (it resent its SYN %u "
		    "%s) and its connect() timed out; its bare RST "
		    "(frame %llu, %s after its first SYN) answers the "
		    "%s's late SYN-ACK (frame %llu), the %s being left "
		    "in SYN_RECEIVED until then",
		    me, peer, a->count, times(a->count), s->fr,
		    dur(d1, sizeof(d1), a->duration_ns), peer, s->ref, peer);
		break;
	case CAUSE_HALF_OPEN_GAVE_UP_RTX:
		put(&s->o,
		    "%s gave up after %u unanswered %s of its data (%s "
		    "since the first transmission): a retransmission "
		    "timeout (tcp_retries2 or TCP_USER_TIMEOUT) closed "
		    "the connection, so its bare RST (frame %llu) "
		    "answers the %s's late segment (frame %llu), which "
		    "still held the connection open",
		    me, a->count,
		    a->count == 1 ? "retransmission" : "retransmissions",
		    dur(d1, sizeof(d1), a->duration_ns), s->fr, peer, s->ref);
		break;
	case CAUSE_HALF_OPEN_LOST:
		put(&s->o,
		    "%s answered the %s's segment (frame %llu) with a "
		    "bare RST (frame %llu): it had lost the connection "
		    "(crash or reboot) that the %s still held open (RFC "
		    "9293 §3.5.2)",
		    me, peer, s->ref, s->fr, peer);
		break;
	case CAUSE_HALF_OPEN_CHALLENGE:
		put(&s->o,
		    "%s answered the %s's SYN (frame %llu) with a bare "
		    "ACK (frame %llu) instead of a SYN-ACK: it still "
		    "holds an older connection on these addresses and "
		    "ports (challenge ACK, RFC 5961 §4)",
		    me, peer, s->ref, s->fr);
		break;
	default: /* CAUSE_HALF_OPEN_SYNACK, CAUSE_HALF_OPEN_SYNACK_RST */
		say_half_open_synack(s);
		break;
	}
}

static void say_rejected(struct say *s)
{
	put(&s->o,
	    "server refused the connection: the client's SYN (frame "
	    "%llu) was answered by RST (frame %llu)",
	    s->ref, s->fr);
	if (s->f != NULL)
		put(&s->o,
		    "; nothing listens on port %u, or a firewall "
		    "rejects it",
		    s->f->tuple.dport);
}

static void say_bad_ack(struct say *s)
{
	const struct anomaly *a = s->a;

	switch (a->cause) {
	case CAUSE_BAD_ACK_HANDSHAKE:
		put(&s->o,
		    "client's handshake ACK (frame %llu) acknowledges %u "
		    "instead of 1 (the server's ISN + 1, SYN-ACK frame "
		    "%llu)",
		    s->fr, a->value, s->ref);
		break;
	case CAUSE_BAD_ACK_FIN:
		put(&s->o,
		    "%s acknowledged the %s's FIN (frame %llu) with ack "
		    "%u (frame %llu), beyond the FIN + 1",
		    role(s->me), role(s->peer), s->ref, a->value, s->fr);
		break;
	default: /* CAUSE_BAD_ACK_SYNACK */
		put(&s->o,
		    "%s's SYN-ACK (frame %llu) acknowledges %u instead "
		    "of 1 (the client's ISN + 1, SYN frame %llu)",
		    role(s->me), s->fr, a->value, s->ref);
		break;
	}
}

static void say_time_wait_reuse(struct say *s)
{
	const struct anomaly *a = s->a;
	char d1[32];

	put(&s->o,
	    "client opened a new connection (SYN, frame %llu) on the "
	    "addresses and ports of connection #%u only %s after the "
	    "%s entered TIME_WAIT (less than 2 x MSL): old duplicates "
	    "may be taken for new data",
	    s->fr, a->value, dur(d1, sizeof(d1), a->duration_ns),
	    a->cause == CAUSE_TIME_WAIT_CLIENT ? "client itself" : "server");
}

static void say_retransmission(struct say *s)
{
	const struct anomaly *a = s->a;
	const char *what = ctl_name(a->cause);
	char d1[32];

	if (a->cause != CAUSE_RTX_DATA && s->ref == 0)
		put(&s->o,
		    "%s sent its %s (frame %llu) at a sequence number "
		    "it had already used, so it counts as a "
		    "retransmission; no earlier %s of it is in the "
		    "capture",
		    role(s->me), what, s->fr, what);
	else if (a->cause != CAUSE_RTX_DATA)
		put(&s->o,
		    "%s retransmitted its %s (frame %llu, first sent in "
		    "frame %llu, %s earlier)",
		    role(s->me), what, s->fr, s->ref,
		    dur(d1, sizeof(d1), a->duration_ns));
	else if (s->ref == 0)
		put(&s->o,
		    "%s retransmitted %u bytes (frame %llu; its first "
		    "transmission was not captured or is no longer "
		    "remembered)",
		    role(s->me), a->value, s->fr);
	else
		put(&s->o,
		    "%s retransmitted %u bytes (frame %llu, first sent "
		    "in frame %llu, %s earlier)",
		    role(s->me), a->value, s->fr, s->ref,
		    dur(d1, sizeof(d1), a->duration_ns));
	if (a->count > 1)
		put(&s->o, "; retransmission %u of that segment", a->count);
}

static void say_fast_retransmission(struct say *s)
{
	put(&s->o,
	    "%s fast-retransmitted %u bytes (frame %llu) after %u "
	    "duplicate ACKs from the %s",
	    role(s->me), s->a->value, s->fr, s->a->count, role(s->peer));
}

static void say_spurious_retransmission(struct say *s)
{
	put(&s->o,
	    "%s retransmitted %u bytes (frame %llu) that the %s had "
	    "already acknowledged (frame %llu)",
	    role(s->me), s->a->value, s->fr, role(s->peer), s->ref);
}

static void say_out_of_order(struct say *s)
{
	put(&s->o,
	    "%s's segment (frame %llu, %u bytes) came out of order: it "
	    "belongs before frame %llu",
	    role(s->me), s->fr, s->a->value, s->ref);
}

static void say_duplicate_ack(struct say *s)
{
	const struct anomaly *a = s->a;

	if (a->cause == CAUSE_DUP_ACK_DSACK)
		put(&s->o,
		    "%s sent duplicate ACK #%u (frame %llu) repeating "
		    "frame %llu (ack %u) with a D-SACK (RFC 2883): it "
		    "reports a duplicate of a segment it had already "
		    "received (a spurious retransmission or a resent FIN "
		    "of the %s); nothing is missing",
		    role(s->me), a->count, s->fr, s->ref, a->value,
		    role(s->peer));
	else
		put(&s->o,
		    "%s sent duplicate ACK #%u (frame %llu) repeating "
		    "frame %llu (ack %u): a segment of the %s is missing",
		    role(s->me), a->count, s->fr, s->ref, a->value,
		    role(s->peer));
}

static void say_zero_window(struct say *s)
{
	put(&s->o,
	    "%s advertised a zero window (frame %llu): its receive "
	    "buffer is full and the %s must stop sending",
	    role(s->me), s->fr, role(s->peer));
}

static void say_zero_window_probe(struct say *s)
{
	put(&s->o, "%s probed the %s's zero window (frame %llu)", role(s->me),
	    role(s->peer), s->fr);
}

static void say_window_full(struct say *s)
{
	put(&s->o,
	    "%s filled the %s's receive window (%u bytes) with frame "
	    "%llu",
	    role(s->me), role(s->peer), s->a->value, s->fr);
}

static void say_lost_segment(struct say *s)
{
	const struct anomaly *a = s->a;

	switch (a->cause) {
	case CAUSE_LOST_NOT_CAPTURED:
		put(&s->o,
		    "%u bytes of the %s before frame %llu are not in the "
		    "capture, which sits near the %s: they were not "
		    "captured (capture drop), not lost",
		    a->value, role(s->me), s->fr, role(s->me));
		break;
	case CAUSE_LOST_BEFORE_CAPTURE:
		put(&s->o,
		    "%u bytes of the %s before frame %llu are missing: "
		    "lost in the network before the capture point, "
		    "which sits near the %s",
		    a->value, role(s->me), s->fr, role(s->peer));
		break;
	default: /* CAUSE_LOST_UNKNOWN */
		put(&s->o,
		    "%u bytes of the %s before frame %llu (after frame "
		    "%llu) are missing from the capture: lost, or not "
		    "captured",
		    a->value, role(s->me), s->fr, s->ref);
		break;
	}
}

static void say_ack_unseen(struct say *s)
{
	put(&s->o,
	    "%s acknowledged data the capture never saw (frame %llu, "
	    "ack %u): the capture missed segments of the %s",
	    role(s->me), s->fr, s->a->value, role(s->peer));
}

static void say_malformed(struct say *s)
{
	put(&s->o,
	    "%s sent TCP options that cannot be parsed (frame %llu: an "
	    "option's length runs past the header or is below 2); the "
	    "segment is analyzed without its options, and a receiver "
	    "may drop it",
	    role(s->me), s->fr);
}

static void (*const sayers[ANOMALY_TYPE_COUNT])(struct say *s) = {
	[ANOM_MISSING_ACK] = say_missing_ack,
	[ANOM_PREMATURE_CLOSE] = say_premature_close,
	[ANOM_LINGERING_CLOSE_WAIT] = say_lingering_close_wait,
	[ANOM_KEEPALIVE_BURST] = say_keepalive_burst,
	[ANOM_DATA_AFTER_FIN] = say_data_after_fin,
	[ANOM_SYN_UNANSWERED] = say_syn_unanswered,
	[ANOM_HALF_OPEN] = say_half_open,
	[ANOM_REJECTED] = say_rejected,
	[ANOM_BAD_ACK] = say_bad_ack,
	[ANOM_TIME_WAIT_REUSE] = say_time_wait_reuse,
	[ANOM_RETRANSMISSION] = say_retransmission,
	[ANOM_FAST_RETRANSMISSION] = say_fast_retransmission,
	[ANOM_SPURIOUS_RETRANSMISSION] = say_spurious_retransmission,
	[ANOM_OUT_OF_ORDER] = say_out_of_order,
	[ANOM_DUPLICATE_ACK] = say_duplicate_ack,
	[ANOM_ZERO_WINDOW] = say_zero_window,
	[ANOM_ZERO_WINDOW_PROBE] = say_zero_window_probe,
	[ANOM_WINDOW_FULL] = say_window_full,
	[ANOM_LOST_SEGMENT] = say_lost_segment,
	[ANOM_ACK_UNSEEN] = say_ack_unseen,
	[ANOM_MALFORMED] = say_malformed,
};

size_t anomaly_describe(const struct flow_record *f, const struct anomaly *a,
			char *buf, size_t len)
{
	struct say s = {
		.o = {buf, len, 0},
		.f = f,
		.a = a,
		.me = a->endpoint == ROLE_SERVER ? ROLE_SERVER : ROLE_CLIENT,
		.fr = (unsigned long long)a->frame,
		.ref = (unsigned long long)a->ref_frame,
	};

	s.peer = 1 - s.me;
	if (len > 0)
		buf[0] = '\0';
	if (a->type < ANOMALY_TYPE_COUNT && sayers[a->type] != NULL)
		sayers[a->type](&s);
	else
		put(&s.o, "anomaly %u at frame %llu", (unsigned)a->type, s.fr);
	return s.o.used;
}
