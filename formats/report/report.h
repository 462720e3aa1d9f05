/*
 * report.h - report writers: the registry of output formats and the context
 * they share.
 *
 * Each format is one `const struct report_ops` in its own file
 * (report_text.c, report_json.c for json and jsonl, report_sarif.c,
 * report_junit.c, report_html.c), found by name with report_find(). The
 * command line opens a context over an output stream, then calls, in this
 * order:
 *
 *   report_begin()                       once
 *   report_flow() / report_anomaly()     as flows finish and anomalies are
 *                                        found (any order, any number)
 *   report_input()                       once per input, when it is done
 *   report_second_pass()                 once, when every input is done: a
 *                                        writer that draws segments (html)
 *                                        asks for them; then
 *     report_packet()                    for every TCP segment of a second
 *                                        read of the inputs
 *   report_end()                         once, with the end-of-run facts
 *
 * report_flow() also keeps the totals every format shows (flows by verdict,
 * anomalies by type, top flows). Records passed in are borrowed for the call.
 * Writers never print anywhere but the context's stream, never exit, and
 * keep all their state in the context (no globals). A failed write is
 * remembered: report_io_errno() says which errno (EPIPE for a closed pipe,
 * ENOSPC for a full disk), and every later call does nothing.
 */
#ifndef TCPLINT_REPORT_REPORT_H
#define TCPLINT_REPORT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "analyzer/records.h"

#define REPORT_SCHEMA_VERSION 1

/* --fail-on: which anomalies are findings. */
struct report_fail_on {
	uint64_t types;   /* bit t set: anomaly type t matches */
	int min_severity; /* enum severity, or -1: no severity matches */
};

/* Whether anomaly a matches f. */
bool report_fail_on_match(const struct report_fail_on *f,
			  const struct anomaly *a);
/* Write f back as a LIST ("none", "error", "missing_ack,warning"). */
void report_fail_on_format(const struct report_fail_on *f, char *buf,
			   size_t len);

/* One broken --expect expectation. */
struct expect_failure {
	uint32_t line;     /* line of the expectation file */
	char rule[96];     /* the expectation as written (trimmed) */
	char message[160]; /* what was seen instead */
};

/* What the command line knows about a flow beyond its record. */
struct report_flow_info {
	bool failed;      /* an anomaly matched --fail-on, or an
				   expectation was broken */
	uint32_t matched; /* anomalies matching --fail-on */
	const struct expect_failure *failures; /* broken expectations */
	uint32_t nfailures;
	uint32_t suppressed; /* anomalies dropped as known (--baseline) */
};

/* End-of-run facts. */
struct report_end_info {
	uint64_t evictions;     /* flows reported early: table full */
	bool has_capture_stats; /* live: libpcap counters below */
	uint64_t ps_recv, ps_drop, ps_ifdrop;
	bool expect_used;       /* --expect was given */
	uint32_t expectations;  /* expectations in the file */
	uint64_t expect_checks; /* (flow, expectation) pairs checked */
	const struct expect_failure *global_failures; /* not tied to a flow */
	uint32_t nglobal_failures;
	const char *baseline;         /* --baseline file, NULL if none */
	uint64_t baseline_suppressed; /* anomalies dropped as known */
	const char *fail_on;          /* --fail-on LIST as given ("none") */
	int exit_code;                /* what tcplint will exit with */
};

/* Options every writer may honour. */
struct report_settings {
	const char *command;            /* "analyze" or "live" */
	const char *version;            /* tool version */
	const char *const *input_names; /* inputs in order (borrowed) */
	uint32_t ninput_names;
	bool pretty;         /* json: indented */
	bool color;          /* text: ANSI colours */
	bool streaming;      /* text: write each flow as it finishes (live) */
	bool only_anomalies; /* list only flows with anomalies/failures */
	bool totals_only;    /* text (-q): no flow lines, inputs and totals */
	bool verbose;        /* text (-v): each endpoint's state changes */
	bool explain;        /* html (--explain): the reasons as notes */
	uint32_t top;        /* list only the N flows with most anomalies
				     (0 = all); also the size of the "top
				     flows" table (default 5 when 0) */
	struct report_fail_on fail_on;
	uint32_t shard_index; /* --shard K/N (json: tool.shard); */
	uint32_t shard_count; /* shard_count 0: no --shard */
};

#define REPORT_TOP_DEFAULT 5
#define REPORT_TOP_MAX 1000

struct report_top_entry {
	uint64_t id;
	uint32_t input;
	uint32_t anomalies; /* all anomalies of the flow, stored or not */
};

/* Totals over every flow reported (kept by report_flow()). */
struct report_totals {
	uint64_t flows;
	uint64_t flows_with_anomalies;
	uint64_t flows_failed;
	uint64_t findings;        /* anomalies matching --fail-on */
	uint64_t expect_failures; /* broken, all flows */
	uint64_t by_handshake[HANDSHAKE_VERDICT_COUNT];
	uint64_t by_close[CLOSE_VERDICT_COUNT];
	uint64_t anomalies[ANOMALY_TYPE_COUNT];
	uint64_t by_severity[SEVERITY_COUNT];
	uint64_t anomalies_total;
	struct report_top_entry top[REPORT_TOP_MAX]; /* best first */
	uint32_t ntop;
	uint32_t top_cap;
};

struct report_ctx;

struct report_ops {
	const char *name;    /* --format NAME */
	const char *summary; /* one line for --help */
	int (*begin)(struct report_ctx *rc);
	int (*input)(struct report_ctx *rc, const struct input_record *in);
	int (*flow)(struct report_ctx *rc, const struct flow_record *f,
		    const struct report_flow_info *info);
	int (*anomaly)(struct report_ctx *rc, const struct flow_record *f,
		       const struct anomaly *a);
	int (*end)(struct report_ctx *rc, const struct report_end_info *end);
	void (*free)(struct report_ctx *rc); /* release priv */
	/* Optional: whether to be fed a second read of the inputs; then
	 * packet() gets each of its TCP segments (-1: out of memory). */
	bool (*second_pass)(struct report_ctx *rc);
	int (*packet)(struct report_ctx *rc, uint32_t input,
		      const struct pkt_view *pkt, uint64_t frame,
		      int64_t ts_ns);
};

struct report_ctx {
	FILE *out; /* borrowed */
	const struct report_ops *ops;
	struct report_settings set;
	struct report_totals totals;
	struct input_record *inputs; /* copies, in report_input() order (owned) */
	uint32_t ninputs;
	uint32_t inputs_cap;
	uint64_t packets, tcp_packets, decode_errors;
	void *priv;   /* the format's own state (owned) */
	int io_errno; /* first write error, 0 if none */
};

/* The formats, NULL-terminated, in --help order. */
extern const struct report_ops *const report_formats[];
/* The format called `name`, or NULL. */
const struct report_ops *report_find(const char *name);

/* Open a context writing to `out` (borrowed; the caller closes it). Returns
 * NULL when out of memory. Free with report_close(). */
struct report_ctx *report_open(const struct report_ops *ops, FILE *out,
			       const struct report_settings *set);
void report_close(struct report_ctx *rc);

/* Each returns 0, or -1 once a write has failed (see report_io_errno). */
int report_begin(struct report_ctx *rc);
int report_input(struct report_ctx *rc, const struct input_record *in);
int report_flow(struct report_ctx *rc, const struct flow_record *f,
		const struct report_flow_info *info);
int report_anomaly(struct report_ctx *rc, const struct flow_record *f,
		   const struct anomaly *a);
int report_end(struct report_ctx *rc, const struct report_end_info *end);

/* After the last report_input(): whether the writer wants the inputs read
 * again, each TCP segment passed to report_packet() (input index, decoded
 * segment, frame number from 1, capture time). report_packet() returns 0,
 * or -1 when out of memory. */
bool report_second_pass(struct report_ctx *rc);
int report_packet(struct report_ctx *rc, uint32_t input,
		  const struct pkt_view *pkt, uint64_t frame, int64_t ts_ns);

/* errno of the first failed write (EPIPE, ENOSPC, ...), 0 if none. */
int report_io_errno(const struct report_ctx *rc);

/* Helpers for writers. */
/* Record that writing failed (with errno) when ferror(out) or ret < 0;
 * returns -1 then, else 0. Call after a batch of writes. */
int report_check_io(struct report_ctx *rc, int ret);
/* The address of one end of t: "10.0.0.1" or "2001:db8::1" (no
 * brackets). A flow's client is its tuple's source (TUPLE_SRC). */
void report_format_ip(const struct tuple *t, enum tuple_side side, char *buf,
		      size_t len);
/* One end of t with its port: "10.0.0.1:80" or "[2001:db8::1]:80". */
void report_format_endpoint(const struct tuple *t, enum tuple_side side,
			    char *buf, size_t len);
/* The flow's Community ID v1 (seed 0) into buf, returned. */
const char *community_id_of(const struct flow_record *f, char buf[32]);
/* Text for XML and HTML, text or attribute value, always well-formed
 * UTF-8: the markup characters as entities, control characters XML 1.0
 * forbids as '?', a byte that starts no well-formed UTF-8 sequence as '?'
 * (as the JSON reports write it). The _n form stops after n bytes. */
void report_markup_esc(FILE *o, const char *s);
void report_markup_esc_n(FILE *o, const char *s, size_t n);
/* The length of the well-formed UTF-8 sequence at p (1-4), or 0 when it is
 * not one (a stray byte, an overlong form, a surrogate, past U+10FFFF);
 * reads no further than a NUL. For writers that must emit valid UTF-8. */
size_t report_utf8_len(const unsigned char *p);
/* The file name of input i ("?" when unknown). */
const char *report_input_name(const struct report_ctx *rc, uint32_t input);
/* Whether the flow belongs in a filtered listing (--only-anomalies). */
bool report_flow_listed(const struct report_ctx *rc,
			const struct flow_record *f,
			const struct report_flow_info *info);
/* Total anomalies of a flow, stored or not. */
uint32_t report_flow_anomalies(const struct flow_record *f);
/* Whether the top table (or --top selection) keeps flow (id, input):
 * the flows currently in totals.top. */
bool report_in_top(const struct report_ctx *rc, uint64_t id, uint32_t input);

/*
 * --baseline keys. A finding's key is "TYPE|ENDPOINT|SERVER_IP|SERVER_PORT":
 * the anomaly type, the endpoint at fault (client or server), and the
 * flow's server address and port. Client ports (ephemeral) and frame
 * numbers are left out so that a key means "this kind of problem on this
 * service", which recurs from one capture of a test run to the next.
 */
void report_finding_key(const struct flow_record *f, const struct anomaly *a,
			char *buf, size_t len);

/* The warning of a live capture that dropped packets (stderr, the text and
 * JSON summaries say the same). */
void report_drop_warning(const struct report_end_info *end, char *buf,
			 size_t len);
typedef void (*report_key_fn)(void *ctx, const char *key);
/* Read an earlier json or jsonl report and call fn with the key of every
 * anomaly in it (report_json.c). Returns the number of keys, or -1 with a
 * one-line problem in errbuf. */
long report_json_read_keys(const char *path, report_key_fn fn, void *ctx,
			   char *errbuf, size_t errlen);

/* The format writers (one per file). */
extern const struct report_ops report_text_ops;
extern const struct report_ops report_json_ops;
extern const struct report_ops report_jsonl_ops;
extern const struct report_ops report_sarif_ops;
extern const struct report_ops report_junit_ops;
extern const struct report_ops report_html_ops;

#endif
