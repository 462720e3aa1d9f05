/*
 * probe.h - the probe's scenarios: questions put to a live TCP peer, each
 * answered with a verdict and the evidence (frame numbers of the exchange,
 * delays).
 *
 *   fin-ack            connect, send our FIN: does the peer acknowledge it,
 *                      and does it send its own FIN within the timeout?
 *   withhold-last-ack  connect, send our FIN, and when the peer's FIN comes,
 *                      withhold the last ACK for a while: does the peer
 *                      retransmit its FIN, with what back-off, and does it
 *                      go quiet once we finally acknowledge it?
 *   keepalive          send keepalive probes (seq = SND.NXT - 1, 0 or 1
 *                      byte): does the peer answer each with an ACK?
 *   replay FILE        replay the client side of the first connection of a
 *                      capture against a live server, seq/ack numbers moved
 *                      to the live ISNs, and report where the live server
 *                      diverges from the recorded one (replay.c).
 *
 * The scenarios run on a struct endpoint (endpoint.h), hence on any netdev:
 * the unit tests script the peer (netdev_pcap), the CLI talks to a real
 * one (netdev_raw). Results are plain records; formats/report/probe_report.c
 * words them.
 * Nothing here prints or exits.
 */
#ifndef TCPLINT_ANALYZER_PROBE_PROBE_H
#define TCPLINT_ANALYZER_PROBE_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyzer/probe/endpoint.h"

#define PROBE_SCENARIOS(X)                                                     \
	X(PROBE_FIN_ACK, "fin-ack")                                            \
	X(PROBE_WITHHOLD_LAST_ACK, "withhold-last-ack")                        \
	X(PROBE_KEEPALIVE, "keepalive")                                        \
	X(PROBE_REPLAY, "replay")

/* clang-format off: the X-macro expands to the enumerators */
enum probe_scenario {
#define TL_ENUM(id, name) id,
	PROBE_SCENARIOS(TL_ENUM)
#undef TL_ENUM
		PROBE_SCENARIO_COUNT
};
/* clang-format on */

/* Overall verdict. */
#define PROBE_VERDICTS(X)                                                      \
	X(PV_CONFORMS, "conforms")                                             \
	X(PV_DEVIATES, "deviates")                                             \
	X(PV_ERROR, "error")

/* clang-format off: the X-macro expands to the enumerators */
enum probe_verdict {
#define TL_ENUM(id, name) id,
	PROBE_VERDICTS(TL_ENUM)
#undef TL_ENUM
		PROBE_VERDICT_COUNT
};
/* clang-format on */

/* One observed fact: id, JSON name, what it asks. */
#define PROBE_FACTS(X)                                                         \
	X(PF_CONNECTED, "connected", "the handshake completed")                \
	X(PF_FIN_ACKED, "fin_acked", "the peer acknowledged our FIN")          \
	X(PF_PEER_FIN, "peer_fin", "the peer sent its own FIN")                \
	X(PF_PEER_RESET, "peer_reset", "the peer reset the connection")        \
	X(PF_FIN_RETRANSMITTED, "fin_retransmitted",                           \
	  "the peer retransmitted its FIN while our ACK was withheld")         \
	X(PF_BACKOFF_EXPONENTIAL, "backoff_exponential",                       \
	  "each retransmission interval at least 1.5 times the previous")      \
	X(PF_QUIET_AFTER_ACK, "quiet_after_ack",                               \
	  "no FIN came again once we acknowledged it")                         \
	X(PF_KEEPALIVE_ANSWERED, "keepalive_answered",                         \
	  "the peer answered every keepalive probe")                           \
	X(PF_REPLAY_MATCHES, "replay_matches",                                 \
	  "the live server behaved as the recorded one")

/* clang-format off: the X-macro expands to the enumerators */
enum probe_fact_id {
#define TL_ENUM(id, name, q) id,
	PROBE_FACTS(TL_ENUM)
#undef TL_ENUM
		PROBE_FACT_COUNT
};
/* clang-format on */

enum probe_outcome { PO_NA = 0, PO_YES = 1, PO_NO = 2 };

struct probe_fact {
	uint8_t outcome;  /* enum probe_outcome; PO_NA = not asked */
	uint8_t expected; /* outcome of a conforming peer; PO_NA: informative */
	uint64_t frame;   /* evidence (exchange frame number), 0 if none */
	int64_t after_ns; /* delay from the scenario's reference event, -1 n/a */
	uint32_t count;   /* how many (retransmissions, answered probes) */
	uint32_t of;      /* out of how many, 0 n/a */
};

#define PROBE_MAX_RTX 16
#define PROBE_MAX_KEEPALIVES 16
#define PROBE_MAX_DIVERGENCES 16

struct probe_keepalive {
	uint64_t frame;        /* our probe */
	uint32_t bytes;        /* 0 or 1 */
	uint64_t answer_frame; /* the peer's ACK, 0 if unanswered */
	int64_t answer_ns;     /* after the probe */
};

#define REPLAY_DIVERGENCES(X)                                                  \
	X(RD_MISSING_DATA, "missing_data",                                     \
	  "the live server sent fewer bytes than the recorded one")            \
	X(RD_EXTRA_DATA, "extra_data",                                         \
	  "the live server sent more bytes than the recorded one")             \
	X(RD_MISSING_FIN, "missing_fin",                                       \
	  "the recorded server sent a FIN, the live one did not")              \
	X(RD_EXTRA_FIN, "extra_fin",                                           \
	  "the live server sent a FIN the recorded one did not")               \
	X(RD_MISSING_RST, "missing_rst",                                       \
	  "the recorded server sent a RST, the live one did not")              \
	X(RD_EXTRA_RST, "extra_rst",                                           \
	  "the live server sent a RST the recorded one did not")

/* clang-format off: the X-macro expands to the enumerators */
enum replay_divergence {
#define TL_ENUM(id, name, d) id,
	REPLAY_DIVERGENCES(TL_ENUM)
#undef TL_ENUM
		REPLAY_DIVERGENCE_COUNT
};
/* clang-format on */

struct probe_divergence {
	uint8_t kind;            /* enum replay_divergence */
	uint64_t recorded_frame; /* frame in the recording (0 = at the end) */
	uint64_t live_frame;     /* frame of the live exchange, 0 if none */
	uint32_t recorded_bytes; /* server bytes the recording showed by then */
	uint32_t live_bytes;     /* server bytes the live server sent by then */
};

struct probe_result {
	uint8_t scenario; /* enum probe_scenario */
	uint8_t verdict;  /* enum probe_verdict */
	char error[256];  /* why PV_ERROR, "" otherwise */
	int64_t start_ns; /* device clock at the start */
	int64_t ref_ns;   /* the reference event (our FIN, ...), 0 none */
	uint64_t ref_frame;
	struct probe_fact facts[PROBE_FACT_COUNT];
	/* withhold-last-ack: the peer's FIN transmissions while withheld */
	unsigned nfins;
	uint64_t fin_frames[PROBE_MAX_RTX];
	int64_t fin_ts_ns[PROBE_MAX_RTX];
	uint64_t last_ack_frame; /* our ACK after the withholding */
	/* keepalive */
	unsigned nprobes;
	struct probe_keepalive probes[PROBE_MAX_KEEPALIVES];
	/* replay */
	uint32_t replay_segments;        /* client segments replayed */
	uint64_t replay_recorded_frames; /* frames in the recording */
	unsigned ndivergences;
	struct probe_divergence divergences[PROBE_MAX_DIVERGENCES];
};

/* Payload of the keepalive probes (RFC 9293 §3.8.4 allows either). */
enum probe_ka_bytes {
	PROBE_KA_ALTERNATE = 0, /* 0, 1, 0, 1, ... bytes */
	PROBE_KA_ZERO,          /* no payload */
	PROBE_KA_ONE,           /* one garbage octet */
};

struct probe_options {
	int64_t timeout_ns;  /* each wait for the peer; 0 means 5 s */
	int64_t withhold_ns; /* how long the last ACK is withheld; 0: 3 s */
	int64_t quiet_ns;    /* watched after the ACK; 0: 1 s */
	unsigned keepalives; /* probes; 0 means 3 (at most 16) */
	int64_t keepalive_interval_ns; /* 0 means 1 s (Linux rate-limits
					  answers to 0-byte probes to one per
					  tcp_invalid_ratelimit, 0.5 s) */
	uint8_t keepalive_bytes;       /* enum probe_ka_bytes */
};

const char *probe_scenario_name(enum probe_scenario s);
/* -1 when unknown. */
int probe_scenario_from_name(const char *name);
const char *probe_verdict_name(enum probe_verdict v);
const char *probe_fact_name(enum probe_fact_id f);
const char *probe_fact_question(enum probe_fact_id f);
const char *probe_outcome_name(enum probe_outcome o); /* "yes" "no" "n/a" */
const char *replay_divergence_name(enum replay_divergence d);
const char *replay_divergence_text(enum replay_divergence d);

/*
 * Run fin-ack, withhold-last-ack or keepalive on ep (fresh, CLOSED) and fill
 * *res. Never leaves the peer with a half-open connection: when the
 * scenario does not end in TIME_WAIT or CLOSED it sends a RST. Returns 0
 * when the scenario ran (whatever the verdict), -1 on a device error (the
 * verdict is then PV_ERROR and res->error says why).
 */
int probe_run(enum probe_scenario sc, struct endpoint *ep,
	      const struct probe_options *opt, struct probe_result *res);

/* replay.c: a recorded client, loaded from a capture before any packet is
 * sent. */
struct replay_script;

/*
 * Load the first TCP connection that starts with a SYN in `path` (a pcap or
 * pcapng capture): the client's segments and the server's milestones. Returns
 * the script (owned: replay_script_free()) or NULL with errbuf set.
 */
struct replay_script *replay_script_load(const char *path, char *errbuf,
					 size_t errlen);
void replay_script_free(struct replay_script *rs);
/* The recorded server port (to default PORT), and the client segments. */
uint16_t replay_script_server_port(const struct replay_script *rs);
unsigned replay_script_segments(const struct replay_script *rs);

/* Replay rs on ep (fresh, CLOSED) and fill *res (scenario PROBE_REPLAY).
 * Same return convention as probe_run(). */
int probe_replay(const struct replay_script *rs, struct endpoint *ep,
		 const struct probe_options *opt, struct probe_result *res);

#endif
