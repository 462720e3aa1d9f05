/*
 * options.h - command-line options shared by `tcplint analyze` and
 * `tcplint live`.
 *
 * options_parse() turns argv into a struct tl_options with getopt_long, in
 * the conventions of tcpdump: `-r FILE` and trailing BPF expression words,
 * `-f EXPR`, `-c COUNT`, `-i IFACE`, `-s SNAPLEN`, `-w FILE`, `-Z USER`.
 * Every analyzer threshold has an option; durations accept "1.5" (seconds),
 * "500ms", "2s", "5m", "1h", "250us". Parsing prints nothing: problems are
 * written into the caller's errbuf and the caller prints them and exits 2.
 */
#ifndef TCPLINT_CLI_OPTIONS_H
#define TCPLINT_CLI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyzer/analyzer.h"
#include "formats/report/report.h"

enum tl_command { TL_CMD_ANALYZE, TL_CMD_LIVE };

enum tl_color { TL_COLOR_AUTO, TL_COLOR_NEVER, TL_COLOR_ALWAYS };

/* --shard K/N: the largest N. */
#define OPTIONS_SHARD_MAX 65536

/* --json-output FILE and the like: more reports from the same pass. */
#define OPTIONS_MAX_EXTRA 8

struct tl_extra_output {
	const char *format; /* text, json, jsonl, sarif, junit, html */
	const char *path;
};

struct tl_options {
	enum tl_command command;
	bool help;    /* -h/--help was given: print help, exit 0 */
	bool version; /* --version was given: print it, exit 0 */

	/* Inputs (analyze): -r FILE (repeatable) and, without -r, the
	 * positional words. Pointers into argv (borrowed). */
	const char **inputs; /* owned array, ninputs entries */
	uint32_t ninputs;

	/* BPF filter: -f EXPR, or the positional words after -r FILE (analyze)
	 * or after the options (live), joined by spaces. Owned; NULL if none. */
	char *filter;

	/* Output. */
	const char *format; /* text (default), json, jsonl, sarif, junit, html */
	bool compact;       /* --compact: JSON on one line */
	const char *output; /* -o FILE, NULL = stdout */
	bool force; /* --force: -o/-w may overwrite an input or a capture */
	struct tl_extra_output
		extra[OPTIONS_MAX_EXTRA]; /* --FORMAT-output FILE */
	uint32_t nextra;
	enum tl_color color; /* --color=WHEN, NO_COLOR honoured in auto */
	uint32_t top;        /* --top N (0 = every flow) */
	bool only_anomalies; /* --only-anomalies */
	bool has_flow;       /* --flow ID: ladder view of that flow */
	uint64_t flow_id;
	bool ladder;   /* --ladder: ladder of every flow with an anomaly */
	bool explain;  /* --explain: RFC 9293 reasons in the ladder */
	bool progress; /* progress meter (off with --no-progress) */
	bool quiet;    /* -q: text shows only the inputs and totals */
	bool verbose;  /* -v: text adds each endpoint's state changes */
	uint64_t max_packets; /* -c COUNT, 0 = all */

	/* CI. */
	struct report_fail_on fail_on; /* --fail-on LIST (default none) */
	const char *fail_on_list;      /* that LIST as given, NULL = none */
	const char *expect_path;       /* --expect FILE */
	const char *baseline_path;     /* --baseline REPORT.json */

	/* Analyzer thresholds (--ack-timeout ...). */
	struct analyzer_config az;

	/* Live capture (tcpdump's spelling). */
	const char *iface;      /* -i IFACE */
	int snaplen;            /* -s SNAPLEN, default 256 */
	bool no_promisc;        /* -p */
	int buffer_kib;         /* -B KiB, 0 = libpcap default */
	int64_t duration_ns;    /* --duration, 0 = until stopped */
	const char *write_file; /* -w FILE */
	const char *user;       /* -Z USER */
};

/*
 * Parse argv (argv[0] is the command name: "analyze" or "live") into *o.
 * Returns 0, or -1 with a one-line problem in errbuf (usage error: exit 2).
 * Free with options_free().
 */
int options_parse(struct tl_options *o, enum tl_command cmd, int argc,
		  char **argv, char *errbuf, size_t errlen);

void options_free(struct tl_options *o);

/* Whether an html report is asked for (--format html or --html-output). */
bool options_wants_html(const struct tl_options *o);

/* Parse a duration: "1.5" (seconds), "500ms", "2s", "5m", "1h", "250us",
 * "10ns". Returns 0 with *ns set, -1 when malformed or negative. */
int options_parse_duration(const char *s, int64_t *ns);

/* Parse a --fail-on LIST: comma- or space-separated anomaly type names and
 * severities (a severity matches itself and anything worse), "none" or
 * "any". Returns 0, or -1 with the bad word in errbuf. */
int options_parse_fail_on(const char *list, struct report_fail_on *f,
			  char *errbuf, size_t errlen);
/* The words of a --fail-on LIST (NULL: "none") as the user wrote them,
 * joined by commas ("any", "error,missing_ack"): echoed in the summaries. */
void options_fail_on_words(const char *list, char *buf, size_t len);

/* Whether colour should be used on a stream with descriptor fd. */
bool options_use_color(enum tl_color c, int fd);

/* Print the help of a command (or of tcplint itself when cmd < 0). */
void options_print_help(int cmd);

#endif
