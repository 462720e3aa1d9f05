/*
 * records.h - what the analyzer hands to the reports.
 *
 * These are plain, read-only records: the analyzer fills them, formats/
 * renders them, nothing else. Every array is fixed-size so a flow's memory is
 * bounded whatever the traffic; when an array is full the overflow is counted
 * (`*_dropped`) rather than stored. Names in the tables below are the stable
 * strings of the JSON report contract (schema_version 1): add, never rename.
 */
#ifndef TCPLINT_ANALYZER_RECORDS_H
#define TCPLINT_ANALYZER_RECORDS_H

#include <stdbool.h>
#include <stdint.h>

#include "analyzer/anomaly_types.h"
#include "formats/wire/decode.h"
#include "formats/wire/tuple.h"

/* RFC 9293 §3.3.2 states, in RFC order, CLOSED first; UNKNOWN where the
 * capture cannot tell (a flow picked up mid-stream). */
#define TCP_STATES(X)                                                          \
	X(TCP_ST_CLOSED, "CLOSED")                                             \
	X(TCP_ST_LISTEN, "LISTEN")                                             \
	X(TCP_ST_SYN_SENT, "SYN_SENT")                                         \
	X(TCP_ST_SYN_RECEIVED, "SYN_RECEIVED")                                 \
	X(TCP_ST_ESTABLISHED, "ESTABLISHED")                                   \
	X(TCP_ST_FIN_WAIT_1, "FIN_WAIT_1")                                     \
	X(TCP_ST_FIN_WAIT_2, "FIN_WAIT_2")                                     \
	X(TCP_ST_CLOSE_WAIT, "CLOSE_WAIT")                                     \
	X(TCP_ST_CLOSING, "CLOSING")                                           \
	X(TCP_ST_LAST_ACK, "LAST_ACK")                                         \
	X(TCP_ST_TIME_WAIT, "TIME_WAIT")                                       \
	X(TCP_ST_UNKNOWN, "UNKNOWN")

/* clang-format off: the X-macro expands to the enumerators */
enum tcp_state {
#define TL_ENUM(id, name) id,
	TCP_STATES(TL_ENUM)
#undef TL_ENUM
		TCP_STATE_COUNT
};
/* clang-format on */

#define HANDSHAKE_VERDICTS(X)                                                  \
	X(HS_NOT_OBSERVED, "not_observed")                                     \
	X(HS_COMPLETE, "complete")                                             \
	X(HS_SIMULTANEOUS_OPEN, "simultaneous_open")                           \
	X(HS_REJECTED, "rejected")                                             \
	X(HS_UNANSWERED, "unanswered")                                         \
	X(HS_INCOMPLETE, "incomplete")

/* clang-format off: the X-macro expands to the enumerators */
enum handshake_verdict {
#define TL_ENUM(id, name) id,
	HANDSHAKE_VERDICTS(TL_ENUM)
#undef TL_ENUM
		HANDSHAKE_VERDICT_COUNT
};
/* clang-format on */

#define CLOSE_VERDICTS(X)                                                      \
	X(CLOSE_NONE, "none")                                                  \
	X(CLOSE_OPEN, "open")                                                  \
	X(CLOSE_FOUR_WAY, "four_way")                                          \
	X(CLOSE_THREE_WAY, "three_way")                                        \
	X(CLOSE_SIMULTANEOUS, "simultaneous")                                  \
	X(CLOSE_RESET, "reset")                                                \
	X(CLOSE_HALF_CLOSED, "half_closed")

/* clang-format off: the X-macro expands to the enumerators */
enum close_verdict {
#define TL_ENUM(id, name) id,
	CLOSE_VERDICTS(TL_ENUM)
#undef TL_ENUM
		CLOSE_VERDICT_COUNT
};
/* clang-format on */

#define CLOSERS(X)                                                             \
	X(CLOSER_NONE, "none")                                                 \
	X(CLOSER_CLIENT, "client")                                             \
	X(CLOSER_SERVER, "server")                                             \
	X(CLOSER_BOTH, "both")

/* clang-format off: the X-macro expands to the enumerators */
enum closer {
#define TL_ENUM(id, name) id,
	CLOSERS(TL_ENUM)
#undef TL_ENUM
		CLOSER_COUNT
};
/* clang-format on */

/* Where the capture point sits between the endpoints, as the handshake's
 * timing shows it (docs/ANOMALIES.md, "Capture artefacts"). */
#define CAPTURE_POINTS(X)                                                      \
	X(CAPTURE_UNKNOWN, "unknown")                                          \
	X(CAPTURE_NEAR_CLIENT, "near_client")                                  \
	X(CAPTURE_NEAR_SERVER, "near_server")                                  \
	X(CAPTURE_MIDDLE, "middle")

/* clang-format off: the X-macro expands to the enumerators */
enum capture_point {
#define TL_ENUM(id, name) id,
	CAPTURE_POINTS(TL_ENUM)
#undef TL_ENUM
		CAPTURE_POINT_COUNT
};
/* clang-format on */

/* Capture artefacts seen in a flow: bit (1 << id) of flow_record.artefacts. */
#define ARTEFACTS(X)                                                           \
	X(ARTEFACT_OFFLOAD, "offload") /* longer than the peer's MSS */        \
	X(ARTEFACT_SNAPLEN_CUT, "snaplen_cut") /* frame cut by the snaplen */  \
	X(ARTEFACT_IP_LENGTH_0, "ip_length_0") /* IP length 0 (TSO) */

/* clang-format off: the X-macro expands to the enumerators */
enum artefact {
#define TL_ENUM(id, name) id,
	ARTEFACTS(TL_ENUM)
#undef TL_ENUM
		ARTEFACT_COUNT
};
/* clang-format on */

/* Severities, confidences and the anomaly types with their causes are the
 * table of anomaly_types.h. */

const char *tcp_state_name(enum tcp_state s);
const char *handshake_verdict_name(enum handshake_verdict v);
const char *close_verdict_name(enum close_verdict v);
const char *closer_name(enum closer c);
const char *severity_name(enum severity s);
const char *confidence_name(enum confidence c);
const char *capture_point_name(enum capture_point p);
const char *artefact_name(enum artefact a);
/* Name -> value; -1 when unknown. For --fail-on, --expect and friends. */
int severity_from_name(const char *name);

/* The two endpoints of a flow. */
enum endpoint_role { ROLE_CLIENT = 0, ROLE_SERVER = 1 };

/* The end of flow_record.tuple that endpoint `role` is: the client is the
 * source, the server the destination. */
static inline enum tuple_side flow_role_side(enum endpoint_role role)
{
	return role == ROLE_CLIENT ? TUPLE_SRC : TUPLE_DST;
}

struct state_change {
	uint64_t frame; /* the segment that caused the change */
	int64_t ts_ns;  /* its capture time, ns since the epoch */
	uint8_t state;  /* enum tcp_state entered */
};

/*
 * One anomaly. The message is not stored (formatting stays off the packet
 * path): anomaly_describe() in formats/report/anomaly.h builds it from these
 * fields when a report needs it.
 */
struct anomaly {
	uint64_t frame; /* where it happens (Wireshark numbering, from 1) */
	int64_t ts_ns;
	uint64_t ref_frame; /* a related frame (the FIN not acknowledged, the
				first probe, the original segment), 0 if none */
	int64_t duration_ns; /* how long (lingered, retransmitted over), 0 if n/a */
	uint32_t count;      /* how many (retransmissions, probes), 0 if n/a */
	uint32_t value;      /* type-specific: expected ack, interval ms, ... */
	uint8_t type;        /* enum anomaly_type */
	uint8_t severity;   /* enum severity */
	uint8_t endpoint;   /* enum endpoint_role of the endpoint at fault */
	uint8_t confidence; /* enum confidence */
	uint8_t state[2];   /* client and server state when it happened */
	uint8_t cause;      /* why: one of the type's causes, anomaly_types.h */
	bool drops_during;  /* the capture had dropped packets since the flow
				began when this was detected (live): it may
				be an artefact of the capture */
};

#define FLOW_MAX_STATES 16    /* state changes kept per endpoint */
#define FLOW_MAX_ANOMALIES 24 /* anomalies kept per flow; all are counted */

/* Timers an endpoint's behaviour shows (issue: timer forensics). 0 = not seen. */
struct endpoint_timers {
	int64_t keepalive_idle_ns;     /* idle time before the first probe */
	int64_t keepalive_interval_ns; /* between probes */
	uint32_t keepalive_probes;     /* probes in the longest run */
	uint32_t syn_retries;          /* SYN or SYN-ACK retransmissions */
	int64_t syn_rto_first_ns;      /* first SYN retransmission interval */
	uint32_t fin_retries;
	int64_t fin_rto_first_ns;
	uint32_t data_retries_max; /* most retransmissions of one segment */
	int64_t data_rto_first_ns;
	bool rto_doubles; /* intervals doubled (exponential back-off) */
};

/* Everything known about one endpoint of a flow. */
struct endpoint_record {
	uint8_t state;   /* enum tcp_state at the end (or now) */
	uint8_t nstates; /* entries used in states[] */
	uint16_t states_dropped;
	struct state_change states[FLOW_MAX_STATES];
	uint64_t bytes; /* payload bytes sent (new data, not retransmissions) */
	uint64_t packets; /* segments sent */
	uint32_t isn;     /* initial sequence number, if has_isn */
	bool has_isn;
	uint8_t wscale;            /* window scale it announced, if any */
	bool wscale_ok;            /* both sides announced scaling (RFC 7323) */
	uint16_t mss;              /* MSS it announced, 0 if none */
	int64_t fin_wait_2_ns;     /* time spent in FIN_WAIT_2 */
	int64_t close_wait_ns;     /* time spent in CLOSE_WAIT */
	int64_t last_ack_ns;       /* time spent in LAST_ACK */
	uint32_t keepalive_probes; /* probes sent */
	uint32_t keepalive_answered; /* of those, answered by the peer */
	struct endpoint_timers timers;
};

struct flow_record {
	uint64_t id;    /* 0-based, in order of first packet */
	uint32_t input; /* index of the input file */
	uint64_t first_frame;
	uint64_t last_frame;
	int64_t start_ns;
	int64_t end_ns;
	uint64_t packets;
	struct tuple tuple;           /* the client the source, the server the
					 destination */
	struct endpoint_record ep[2]; /* [ROLE_CLIENT], [ROLE_SERVER] */
	uint8_t handshake;            /* enum handshake_verdict */
	uint8_t close;                /* enum close_verdict */
	uint8_t active_closer;        /* enum closer */
	bool client_by_port; /* no SYN seen: client chosen by the port rule */
	uint8_t syn_retransmits;
	uint8_t synack_retransmits;
	bool evicted;          /* reported early because the table was full */
	bool drops_during;     /* the capture dropped packets during the flow */
	uint8_t capture_point; /* enum capture_point */
	uint8_t artefacts;     /* bit (1 << enum artefact) per artefact seen */
	uint16_t nanomalies;   /* entries used in anomalies[] */
	uint32_t anomalies_dropped;
	uint32_t anomaly_counts[ANOMALY_TYPE_COUNT];
	struct anomaly anomalies[FLOW_MAX_ANOMALIES];
};

/* Per input file, for "inputs[]". */
struct input_record {
	const char *file; /* as given on the command line (borrowed) */
	int dlt;          /* link type, -1 if the file did not open */
	uint64_t packets;
	uint64_t tcp_packets;
	uint64_t decode_errors; /* truncated + invalid + unsupported */
	uint64_t kinds[DECODE_KIND_COUNT];
	uint64_t tunnels[DECODE_TUNNEL_COUNT]; /* records found in a tunnel of
						  each kind (decode.h) */
	bool failed;     /* could not be opened or read to the end */
	char error[256]; /* the one-line problem, "" if none */
};

#endif
