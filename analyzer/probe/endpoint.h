/*
 * endpoint.h - the probe's own TCP client, in user space, on a netdev.
 *
 * The endpoint's state is the analyzer's struct tcp_endpoint, moved only by
 * tcp_fsm_step() (analyzer/tcp_fsm.c): TCP_FSM_SEND for every segment it
 * sends, TCP_FSM_RECV for every segment it receives from the peer. There is
 * no second state machine: SND.NXT (tx.nxt), rcv_nxt, whether our FIN was
 * acknowledged, whether the peer's FIN was seen all come from the same
 * tracking the passive analyzer uses. What the endpoint adds is what a live
 * endpoint needs and a capture does not: choosing the ISN, building and
 * sending segments, retransmitting its SYN or FIN with a bounded,
 * exponentially backed-off RTO, and waiting, always against a deadline.
 *
 * Every segment sent or received becomes one entry in a bounded log (the
 * evidence of a verdict), numbered from 1 in exchange order, which is also
 * the frame number in the trace file (endpoint_set_trace()) so a verdict's
 * frame leads to the same packet in Wireshark. Every state change is kept
 * too, in order.
 *
 * Nothing here prints or exits; errors are returned with a reason in the
 * endpoint's errbuf (endpoint_error()).
 */
#ifndef TCPLINT_ANALYZER_PROBE_ENDPOINT_H
#define TCPLINT_ANALYZER_PROBE_ENDPOINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyzer/probe/netdev.h"
#include "analyzer/tcp_fsm.h"

struct pcap_out;

struct endpoint_config {
	struct tuple tuple; /* ours the source, the peer the destination;
				   version 4 or 6 */
	uint32_t isn;       /* used when isn_set, else random */
	bool isn_set;
	uint16_t mss;           /* announced in the SYN; 0 means 1460 */
	uint16_t window;        /* advertised; 0 means 65535 */
	int64_t rto_initial_ns; /* 0 means 1 s (RFC 6298 §2.1) */
	int64_t rto_max_ns;     /* 0 means 8 s */
	unsigned max_retries;   /* SYN/FIN retransmissions; 0 means 3 */
};

/* One log entry. */
enum endpoint_dir { EP_SENT = 0, EP_RCVD = 1 };

struct endpoint_event {
	uint64_t frame; /* 1-based, exchange order */
	int64_t ts_ns;
	uint8_t dir;    /* enum endpoint_dir */
	uint16_t flags; /* TCP_* */
	uint32_t seq;   /* absolute, as on the wire */
	uint32_t ack;
	uint32_t len;
	uint8_t state;       /* enum tcp_state of the endpoint after it */
	uint32_t notes;      /* tcp_fsm_result.notes */
	bool retransmission; /* sent by the RTO timer */
};

#define ENDPOINT_MAX_EVENTS 256
#define ENDPOINT_MAX_CHANGES 32

struct endpoint_change {
	uint64_t frame;
	int64_t ts_ns;
	uint8_t from;
	uint8_t to;
};

struct endpoint;

/*
 * Create an endpoint on dev (borrowed: it must outlive the endpoint) in
 * state CLOSED. Returns NULL only when out of memory or the IP version is
 * not 4 or 6. Free with endpoint_free().
 */
struct endpoint *endpoint_new(const struct endpoint_config *cfg,
			      struct netdev *dev);
void endpoint_free(struct endpoint *ep);

/* Also write every frame sent and received to out (borrowed, DLT_RAW,
 * opened by the caller), with the device's timestamps. NULL stops. */
void endpoint_set_trace(struct endpoint *ep, struct pcap_out *out);

/* The last error ("" if none). Static storage of the endpoint. */
const char *endpoint_error(const struct endpoint *ep);

/* The machine (read only), the clock, the log and the state changes. */
const struct tcp_endpoint *endpoint_fsm(const struct endpoint *ep);
int64_t endpoint_now(const struct endpoint *ep);
const struct endpoint_event *endpoint_events(const struct endpoint *ep,
					     unsigned *n);
/* The entry of a frame number, NULL if unknown or dropped. */
const struct endpoint_event *endpoint_event(const struct endpoint *ep,
					    uint64_t frame);
const struct endpoint_change *endpoint_changes(const struct endpoint *ep,
					       unsigned *n);
/* Events and changes that did not fit in the log. */
unsigned endpoint_dropped(const struct endpoint *ep);

/* The verdict on our handshake so far, as the passive analyzer's verdict
 * module judges a client (verdict_handshake_of_client(), verdict.h):
 * complete once our SYN was acknowledged and we acknowledged the peer's. */
enum handshake_verdict endpoint_handshake(const struct endpoint *ep);

/* Results of the blocking calls. */
enum endpoint_status {
	EP_ERROR = -1,  /* device error; endpoint_error() says why */
	EP_TIMEOUT = 0, /* the deadline passed */
	EP_OK = 1,
	EP_RESET = 2,   /* the peer reset the connection (RST accepted) */
	EP_GAVE_UP = 3, /* retransmissions exhausted */
};

/*
 * Active open: send the SYN, retransmit it on RTO (bounded), wait for the
 * SYN-ACK until deadline_ns (device clock), answer with the ACK.
 * EP_OK in ESTABLISHED; EP_RESET when refused; EP_TIMEOUT, EP_GAVE_UP.
 */
enum endpoint_status endpoint_connect(struct endpoint *ep, int64_t deadline_ns);

/*
 * Send one segment with seq = SND.NXT and ack = rcv_nxt (ACK set once the
 * peer's SYN was seen), flags added, `len` payload bytes (`data` NULL means
 * pattern bytes). A FIN or SYN starts the retransmission timer. With
 * endpoint_withhold_fin_ack() in force the ack stops short of the peer's
 * FIN. Returns EP_OK or EP_ERROR.
 */
enum endpoint_status endpoint_send(struct endpoint *ep, uint16_t flags,
				   const uint8_t *data, uint32_t len);

/* Send one segment with explicit numbers (keepalive probes, replay). */
enum endpoint_status endpoint_send_raw(struct endpoint *ep, uint32_t seq,
				       uint32_t ack, uint16_t flags,
				       const uint8_t *data, uint32_t len);

/* While on, the ack of every segment sent excludes the peer's FIN (the
 * "last ACK" is withheld); the default is off. */
void endpoint_withhold_fin_ack(struct endpoint *ep, bool on);

/*
 * Wait for the next segment of the peer until deadline_ns, retransmitting
 * an unacknowledged SYN or FIN when its RTO expires (at most max_retries
 * times, RTO doubling up to rto_max). EP_OK with *ev (a copy of its log
 * entry) filled; EP_TIMEOUT; EP_GAVE_UP when the retransmissions are
 * exhausted; EP_ERROR. A RST also returns EP_OK (its event says so).
 */
enum endpoint_status endpoint_poll(struct endpoint *ep, int64_t deadline_ns,
				   struct endpoint_event *ev);

/* The ack the endpoint would send now (rcv_nxt, less the withheld FIN). */
uint32_t endpoint_ack_value(const struct endpoint *ep);

/* Leave the peer nothing: send a RST (seq = SND.NXT) unless the connection
 * is CLOSED or in TIME_WAIT; in TIME_WAIT with the peer's FIN not yet
 * acknowledged (withheld), send that ACK instead. EP_OK or EP_ERROR. */
enum endpoint_status endpoint_abort(struct endpoint *ep);

#endif
