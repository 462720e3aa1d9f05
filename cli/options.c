/*
 * options.c - argv -> struct tl_options for `analyze` and `live`, with
 * getopt_long; duration and --fail-on parsing; colour choice; --help text.
 * Nothing here exits: usage problems go into the caller's errbuf.
 */
#include "cli/options.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/suggest.h"

enum {
	OPT_COMPACT = 256,
	OPT_FAIL_ON,
	OPT_FLOW,
	OPT_LADDER,
	OPT_EXPLAIN,
	OPT_COLOR,
	OPT_TOP,
	OPT_ONLY_ANOMALIES,
	OPT_EXPECT,
	OPT_BASELINE,
	OPT_ACK_TIMEOUT,
	OPT_CLOSE_WAIT_TIMEOUT,
	OPT_MSL,
	OPT_KEEPALIVE_BURST,
	OPT_FAST_RTX_WINDOW,
	OPT_REORDER_WINDOW,
	OPT_IDLE_TIMEOUT,
	OPT_CLOSE_GRACE,
	OPT_MAX_FLOWS,
	OPT_SHARD,
	OPT_DURATION,
	OPT_NO_PROGRESS,
	OPT_VERSION,
	OPT_FORCE,
	OPT_TEXT_OUTPUT,
	OPT_JSON_OUTPUT,
	OPT_JSONL_OUTPUT,
	OPT_SARIF_OUTPUT,
	OPT_JUNIT_OUTPUT,
	OPT_HTML_OUTPUT,
};

static const struct option long_opts[] = {
	{"read", required_argument, NULL, 'r'},
	{"filter", required_argument, NULL, 'f'},
	{"format", required_argument, NULL, 'F'},
	{"compact", no_argument, NULL, OPT_COMPACT},
	{"output", required_argument, NULL, 'o'},
	{"fail-on", required_argument, NULL, OPT_FAIL_ON},
	{"flow", required_argument, NULL, OPT_FLOW},
	{"ladder", no_argument, NULL, OPT_LADDER},
	{"explain", no_argument, NULL, OPT_EXPLAIN},
	{"color", optional_argument, NULL, OPT_COLOR},
	{"colour", optional_argument, NULL, OPT_COLOR},
	{"top", required_argument, NULL, OPT_TOP},
	{"only-anomalies", no_argument, NULL, OPT_ONLY_ANOMALIES},
	{"expect", required_argument, NULL, OPT_EXPECT},
	{"baseline", required_argument, NULL, OPT_BASELINE},
	{"ack-timeout", required_argument, NULL, OPT_ACK_TIMEOUT},
	{"close-wait-timeout", required_argument, NULL, OPT_CLOSE_WAIT_TIMEOUT},
	{"msl", required_argument, NULL, OPT_MSL},
	{"keepalive-burst", required_argument, NULL, OPT_KEEPALIVE_BURST},
	{"fast-retransmit-window", required_argument, NULL,
	 OPT_FAST_RTX_WINDOW},
	{"reorder-window", required_argument, NULL, OPT_REORDER_WINDOW},
	{"idle-timeout", required_argument, NULL, OPT_IDLE_TIMEOUT},
	{"close-grace", required_argument, NULL, OPT_CLOSE_GRACE},
	{"max-flows", required_argument, NULL, OPT_MAX_FLOWS},
	{"shard", required_argument, NULL, OPT_SHARD},
	{"duration", required_argument, NULL, OPT_DURATION},
	{"no-progress", no_argument, NULL, OPT_NO_PROGRESS},
	{"count", required_argument, NULL, 'c'},
	{"interface", required_argument, NULL, 'i'},
	{"snapshot-length", required_argument, NULL, 's'},
	{"no-promiscuous-mode", no_argument, NULL, 'p'},
	{"buffer-size", required_argument, NULL, 'B'},
	{"write", required_argument, NULL, 'w'},
	{"relinquish-privileges", required_argument, NULL, 'Z'},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, OPT_VERSION},
	{"force", no_argument, NULL, OPT_FORCE},
	{"text-output", required_argument, NULL, OPT_TEXT_OUTPUT},
	{"json-output", required_argument, NULL, OPT_JSON_OUTPUT},
	{"jsonl-output", required_argument, NULL, OPT_JSONL_OUTPUT},
	{"sarif-output", required_argument, NULL, OPT_SARIF_OUTPUT},
	{"junit-output", required_argument, NULL, OPT_JUNIT_OUTPUT},
	{"html-output", required_argument, NULL, OPT_HTML_OUTPUT},
	{NULL, 0, NULL, 0},
};

static void append(char *buf, size_t len, const char *text)
{
	size_t used = strlen(buf);

	if (used < len)
		snprintf(buf + used, len - used, "%s", text);
}

int options_parse_duration(const char *s, int64_t *ns)
{
	static const struct {
		const char *unit;
		double scale;
	} units[] = {
		{"ns", 1.0}, {"us", 1e3},   {"ms", 1e6},   {"s", 1e9},
		{"m", 60e9}, {"min", 60e9}, {"h", 3600e9}, {"", 1e9},
	};
	char *end;
	double v;

	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno || !isfinite(v) || v < 0)
		return -1;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].unit) == 0) {
			double r = v * units[i].scale;

			if (r > 9.2e18)
				return -1;
			*ns = (int64_t)llround(r);
			return 0;
		}
	}
	return -1;
}

static int parse_u64(const char *s, uint64_t max, uint64_t *out);

/* "K/N" with 0 <= K < N <= OPTIONS_SHARD_MAX. */
static int parse_shard(const char *s, uint32_t *k, uint32_t *n)
{
	char buf[32];
	char *slash;
	uint64_t vk, vn;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	if (parse_u64(buf, OPTIONS_SHARD_MAX, &vk) ||
	    parse_u64(slash + 1, OPTIONS_SHARD_MAX, &vn) || vn == 0 || vk >= vn)
		return -1;
	*k = (uint32_t)vk;
	*n = (uint32_t)vn;
	return 0;
}

static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || !*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

int options_parse_fail_on(const char *list, struct report_fail_on *f,
			  char *errbuf, size_t errlen)
{
	char buf[1024], *save = NULL, *tok;
	bool none = false, other = false;

	f->types = 0;
	f->min_severity = -1;
	if (strlen(list) >= sizeof(buf)) {
		snprintf(errbuf, errlen, "--fail-on: list too long");
		return -1;
	}
	strcpy(buf, list);
	for (tok = strtok_r(buf, ", \t", &save); tok;
	     tok = strtok_r(NULL, ", \t", &save)) {
		int v;

		if (strcmp(tok, "none") == 0) {
			none = true;
		} else if (strcmp(tok, "any") == 0 || strcmp(tok, "all") == 0) {
			f->min_severity = SEV_INFO;
			other = true;
		} else if ((v = severity_from_name(tok)) >= 0) {
			if (f->min_severity < 0 || v < f->min_severity)
				f->min_severity = v;
			other = true;
		} else if ((v = anomaly_type_from_name(tok)) >= 0) {
			f->types |= 1ULL << v;
			other = true;
		} else {
			const char
				*words[ANOMALY_TYPE_COUNT + SEVERITY_COUNT + 3];
			size_t n = 0;

			for (int t = 0; t < ANOMALY_TYPE_COUNT; t++)
				words[n++] = anomaly_type_name(t);
			for (int v2 = 0; v2 < SEVERITY_COUNT; v2++)
				words[n++] = severity_name(v2);
			words[n++] = "any";
			words[n++] = "all";
			words[n++] = "none";
			snprintf(
				errbuf, errlen,
				"--fail-on: unknown anomaly type or severity '%s'",
				tok);
			suggest_append(errbuf, errlen, "", tok, words, n);
			append(errbuf, errlen, " (see tcplint analyze --help)");
			return -1;
		}
	}
	if (none && other) {
		snprintf(
			errbuf, errlen,
			"--fail-on: 'none' cannot be combined with other words");
		return -1;
	}
	if (!none && !other) {
		snprintf(errbuf, errlen, "--fail-on: empty list (use 'none')");
		return -1;
	}
	return 0;
}

void options_fail_on_words(const char *list, char *buf, size_t len)
{
	size_t n = 0;

	if (len == 0)
		return;
	buf[0] = '\0';
	for (const char *p = list ? list : ""; *p && n + 1 < len;) {
		size_t w;

		p += strspn(p, ", \t");
		w = strcspn(p, ", \t");
		if (w == 0)
			break;
		if (n > 0)
			buf[n++] = ',';
		if (w > len - 1 - n)
			w = len - 1 - n;
		memcpy(buf + n, p, w);
		n += w;
		buf[n] = '\0';
		p += w;
	}
	if (n == 0)
		snprintf(buf, len, "none");
}

bool options_use_color(enum tl_color c, int fd)
{
	const char *nc;

	if (c == TL_COLOR_ALWAYS)
		return true;
	if (c == TL_COLOR_NEVER)
		return false;
	nc = getenv("NO_COLOR");
	if (nc && *nc)
		return false;
	if (!isatty(fd))
		return false;
	nc = getenv("TERM");
	return !(nc && strcmp(nc, "dumb") == 0);
}

/* Join argv words with spaces into a new string. */
static char *join_words(char **w, int n)
{
	size_t len = 1;
	char *s;

	for (int i = 0; i < n; i++)
		len += strlen(w[i]) + 1;
	s = malloc(len);
	if (!s)
		return NULL;
	s[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, w[i]);
	}
	return s;
}

static int add_input(struct tl_options *o, const char *path, uint32_t max)
{
	if (o->ninputs >= max)
		return -1;
	o->inputs[o->ninputs++] = path;
	return 0;
}

static bool is_color_word(const char *s)
{
	return strcmp(s, "never") == 0 || strcmp(s, "always") == 0 ||
	       strcmp(s, "auto") == 0;
}

static int set_duration(const char *opt, const char *arg, int64_t *ns,
			char *errbuf, size_t errlen)
{
	if (options_parse_duration(arg, ns) == 0)
		return 0;
	snprintf(errbuf, errlen,
		 "%s: bad duration '%s' (examples: 1.5, 500ms, 2s, 5m)", opt,
		 arg);
	return -1;
}

/* "unknown option --fromat; did you mean --format? (see ...)", with the
 * one-line hints for tshark's and tcpdump's options tcplint has not. */
static void unknown_option(char *errbuf, size_t errlen, enum tl_command cmd,
			   int opt, const char *word)
{
	const char *name = cmd == TL_CMD_LIVE ? "live" : "analyze";
	const char *longs[sizeof(long_opts) / sizeof(long_opts[0])];
	size_t n = 0;

	if (opt == 'Y') {
		snprintf(
			errbuf, errlen,
			"-Y is tshark's display filter: give a BPF filter "
			"(-f EXPR or the words after -r FILE), or select flows in the JSON "
			"report with jq (see tcplint %s --help)",
			name);
		return;
	}
	if (opt) {
		snprintf(errbuf, errlen,
			 "unknown option -%c (see tcplint %s --help)", opt,
			 name);
		return;
	}
	for (size_t i = 0; long_opts[i].name; i++)
		longs[n++] = long_opts[i].name;
	snprintf(errbuf, errlen, "unknown option %s", word);
	if (strncmp(word, "--", 2) == 0) {
		char bare[64];

		snprintf(bare, sizeof(bare), "%s", word + 2);
		bare[strcspn(bare, "=")] = '\0';
		suggest_append(errbuf, errlen, "--", bare, longs, n);
	}
	append(errbuf, errlen, " (see tcplint ");
	append(errbuf, errlen, name);
	append(errbuf, errlen, " --help)");
}

int options_parse(struct tl_options *o, enum tl_command cmd, int argc,
		  char **argv, char *errbuf, size_t errlen)
{
	const char *shortopts = cmd == TL_CMD_LIVE ? ":r:f:o:c:i:s:pB:w:Z:hnqv"
						   : ":r:f:o:c:s:hnqv";
	bool have_r = false;
	int c, nwords;
	uint64_t v;

	memset(o, 0, sizeof(*o));
	o->command = cmd;
	o->format = "text";
	o->color = TL_COLOR_AUTO;
	o->progress = true;
	o->fail_on.min_severity = -1;
	o->snaplen = 256;
	analyzer_config_defaults(&o->az);
	if (cmd == TL_CMD_LIVE) {
		/* Live runs for days: idle flows are reported and freed, and
		 * the table is smaller (docs/LIVE.md). */
		o->az.idle_timeout_ns = 300 * NS_PER_SEC;
		o->az.max_flows = 65536;
	}
	o->inputs = calloc((size_t)(argc > 0 ? argc : 1), sizeof(*o->inputs));
	if (!o->inputs) {
		snprintf(errbuf, errlen, "out of memory");
		return -1;
	}
	optind = 0; /* GNU: full re-initialisation */
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, long_opts, NULL)) !=
	       -1) {
		switch (c) {
		case 'r':
			if (cmd == TL_CMD_LIVE) {
				snprintf(
					errbuf, errlen,
					"-r: live reads an interface (-i); use tcplint analyze -r FILE");
				return -1;
			}
			add_input(o, optarg, (uint32_t)argc);
			have_r = true;
			break;
		case 'f':
			if (o->filter) {
				snprintf(errbuf, errlen,
					 "-f: only one filter expression");
				return -1;
			}
			o->filter = strdup(optarg);
			break;
		case 'F':
			if (!report_find(optarg)) {
				const char *names[16];
				size_t n = 0;

				for (size_t i = 0; report_formats[i] && n < 16;
				     i++)
					names[n++] = report_formats[i]->name;
				snprintf(errbuf, errlen,
					 "--format: unknown format '%s'",
					 optarg);
				suggest_append(errbuf, errlen, "", optarg,
					       names, n);
				append(errbuf, errlen,
				       " (text, json, jsonl, sarif, junit, html)");
				return -1;
			}
			o->format = optarg;
			break;
		case OPT_COMPACT:
			o->compact = true;
			break;
		case 'o':
			o->output = optarg;
			break;
		case OPT_FAIL_ON:
			if (options_parse_fail_on(optarg, &o->fail_on, errbuf,
						  errlen))
				return -1;
			o->fail_on_list = optarg;
			break;
		case OPT_FLOW:
			if (parse_u64(optarg, UINT64_MAX - 1, &o->flow_id)) {
				snprintf(errbuf, errlen,
					 "--flow: bad flow id '%s'", optarg);
				return -1;
			}
			o->has_flow = true;
			break;
		case OPT_LADDER:
			o->ladder = true;
			break;
		case OPT_EXPLAIN:
			o->explain = true;
			break;
		case OPT_COLOR:
			/* An optional argument is only taken from "--color=WHEN";
			 * "--color WHEN" would leave WHEN as a file name (or a
			 * filter word) and colour on. Take the next word when it
			 * is one of the three: a capture called "never" is
			 * still ./never. */
			if (!optarg && optind < argc && argv[optind] &&
			    is_color_word(argv[optind]))
				optarg = argv[optind++];
			if (!optarg || strcmp(optarg, "always") == 0)
				o->color = TL_COLOR_ALWAYS;
			else if (strcmp(optarg, "never") == 0)
				o->color = TL_COLOR_NEVER;
			else if (strcmp(optarg, "auto") == 0)
				o->color = TL_COLOR_AUTO;
			else {
				snprintf(
					errbuf, errlen,
					"--color: expected never, always or auto, not '%s'",
					optarg);
				return -1;
			}
			break;
		case OPT_TOP:
			if (parse_u64(optarg, REPORT_TOP_MAX, &v) || v == 0) {
				snprintf(
					errbuf, errlen,
					"--top: expected a number from 1 to %d, not '%s'",
					REPORT_TOP_MAX, optarg);
				return -1;
			}
			o->top = (uint32_t)v;
			break;
		case OPT_ONLY_ANOMALIES:
			o->only_anomalies = true;
			break;
		case OPT_EXPECT:
			o->expect_path = optarg;
			break;
		case OPT_BASELINE:
			o->baseline_path = optarg;
			break;
		case OPT_ACK_TIMEOUT:
			if (set_duration("--ack-timeout", optarg,
					 &o->az.ack_timeout_ns, errbuf, errlen))
				return -1;
			break;
		case OPT_CLOSE_WAIT_TIMEOUT:
			if (set_duration("--close-wait-timeout", optarg,
					 &o->az.close_wait_timeout_ns, errbuf,
					 errlen))
				return -1;
			break;
		case OPT_MSL:
			if (set_duration("--msl", optarg, &o->az.msl_ns, errbuf,
					 errlen))
				return -1;
			break;
		case OPT_FAST_RTX_WINDOW:
			if (set_duration("--fast-retransmit-window", optarg,
					 &o->az.fast_rtx_window_ns, errbuf,
					 errlen))
				return -1;
			break;
		case OPT_REORDER_WINDOW:
			if (set_duration("--reorder-window", optarg,
					 &o->az.reorder_window_ns, errbuf,
					 errlen))
				return -1;
			break;
		case OPT_IDLE_TIMEOUT:
			if (set_duration("--idle-timeout", optarg,
					 &o->az.idle_timeout_ns, errbuf,
					 errlen))
				return -1;
			break;
		case OPT_CLOSE_GRACE:
			if (set_duration("--close-grace", optarg,
					 &o->az.close_grace_ns, errbuf, errlen))
				return -1;
			break;
		case OPT_DURATION:
			if (set_duration("--duration", optarg, &o->duration_ns,
					 errbuf, errlen))
				return -1;
			break;
		case OPT_KEEPALIVE_BURST:
			if (parse_u64(optarg, 1000000, &v) || v == 0) {
				snprintf(
					errbuf, errlen,
					"--keepalive-burst: expected a positive number, not '%s'",
					optarg);
				return -1;
			}
			o->az.keepalive_burst = (uint32_t)v;
			break;
		case OPT_MAX_FLOWS:
			if (parse_u64(optarg, 1U << 26, &v) || v == 0) {
				snprintf(
					errbuf, errlen,
					"--max-flows: expected a number from 1 to %u, not '%s'",
					1U << 26, optarg);
				return -1;
			}
			o->az.max_flows = (uint32_t)v;
			break;
		case OPT_SHARD:
			if (parse_shard(optarg, &o->az.shard_index,
					&o->az.shard_count)) {
				snprintf(
					errbuf, errlen,
					"--shard: expected K/N with 0 <= K < N <= %u (e.g. 0/4), not '%s'",
					OPTIONS_SHARD_MAX, optarg);
				return -1;
			}
			break;
		case OPT_NO_PROGRESS:
			o->progress = false;
			break;
		case 'c':
			if (parse_u64(optarg, UINT64_MAX, &o->max_packets) ||
			    o->max_packets == 0) {
				snprintf(
					errbuf, errlen,
					"-c: expected a positive packet count, not '%s'",
					optarg);
				return -1;
			}
			break;
		case 'i':
			o->iface = optarg;
			break;
		case 'n':
			/* tcpdump's -n/-nn: tcplint never resolves names */
			break;
		case 'q':
			o->quiet = true;
			o->verbose = false;
			break;
		case 'v':
			o->verbose = true;
			o->quiet = false;
			break;
		case 's':
			if (parse_u64(optarg, 262144, &v)) {
				snprintf(
					errbuf, errlen,
					"-s: expected a snapshot length up to 262144, not '%s'",
					optarg);
				return -1;
			}
			o->snaplen = v == 0 ? 262144 : (int)v;
			break;
		case 'p':
			o->no_promisc = true;
			break;
		case 'B':
			if (parse_u64(optarg, INT_MAX / 1024, &v) || v == 0) {
				snprintf(
					errbuf, errlen,
					"-B: expected a buffer size in KiB, not '%s'",
					optarg);
				return -1;
			}
			o->buffer_kib = (int)v;
			break;
		case 'w':
			o->write_file = optarg;
			break;
		case 'Z':
			o->user = optarg;
			break;
		case 'h':
			o->help = true;
			return 0;
		case OPT_VERSION:
			o->version = true;
			return 0;
		case OPT_FORCE:
			o->force = true;
			break;
		case OPT_TEXT_OUTPUT:
		case OPT_JSON_OUTPUT:
		case OPT_JSONL_OUTPUT:
		case OPT_SARIF_OUTPUT:
		case OPT_JUNIT_OUTPUT:
		case OPT_HTML_OUTPUT: {
			static const char *const fmts[] = {"text",  "json",
							   "jsonl", "sarif",
							   "junit", "html"};

			if (o->nextra == OPTIONS_MAX_EXTRA) {
				snprintf(errbuf, errlen,
					 "at most %d --FORMAT-output reports",
					 OPTIONS_MAX_EXTRA);
				return -1;
			}
			o->extra[o->nextra].format = fmts[c - OPT_TEXT_OUTPUT];
			o->extra[o->nextra++].path = optarg;
			break;
		}
		case ':':
			if (optopt)
				snprintf(errbuf, errlen,
					 "option -%c needs an argument",
					 optopt);
			else
				snprintf(errbuf, errlen,
					 "option %s needs an argument",
					 argv[optind - 1]);
			return -1;
		default:
			unknown_option(errbuf, errlen, cmd, optopt,
				       argv[optind - 1]);
			return -1;
		}
		if (c == 'f' && !o->filter) {
			snprintf(errbuf, errlen, "out of memory");
			return -1;
		}
	}

	/* Positional words: files (analyze without -r) or a BPF expression. */
	nwords = argc - optind;
	if (nwords > 0) {
		if (cmd == TL_CMD_ANALYZE && !have_r) {
			for (int i = optind; i < argc; i++)
				add_input(o, argv[i], (uint32_t)argc);
		} else {
			if (o->filter) {
				snprintf(
					errbuf, errlen,
					"give the filter either with -f or as trailing words, not both");
				return -1;
			}
			o->filter = join_words(argv + optind, nwords);
			if (!o->filter) {
				snprintf(errbuf, errlen, "out of memory");
				return -1;
			}
		}
	}
	if (cmd == TL_CMD_ANALYZE && o->ninputs == 0) {
		snprintf(
			errbuf, errlen,
			"no capture file given (tcplint analyze FILE... or -r FILE)");
		return -1;
	}
	if (cmd == TL_CMD_LIVE && !o->iface) {
		snprintf(errbuf, errlen,
			 "no interface given (tcplint live -i IFACE)");
		return -1;
	}
	for (uint32_t i = 0; i < o->nextra; i++) {
		const char *p = o->extra[i].path;

		if (strcmp(p, "-") == 0 && o->output == NULL) {
			snprintf(
				errbuf, errlen,
				"--%s-output -: the main report already goes to standard output",
				o->extra[i].format);
			return -1;
		}
		if (o->output && strcmp(p, o->output) == 0) {
			snprintf(errbuf, errlen,
				 "--%s-output %s: -o writes that file already",
				 o->extra[i].format, p);
			return -1;
		}
		for (uint32_t j = 0; j < i; j++)
			if (strcmp(p, o->extra[j].path) == 0) {
				snprintf(
					errbuf, errlen,
					"--%s-output and --%s-output name the same file %s",
					o->extra[j].format, o->extra[i].format,
					p);
				return -1;
			}
	}
	if (o->explain && !o->has_flow && !o->ladder &&
	    !options_wants_html(o)) {
		snprintf(
			errbuf, errlen,
			"--explain goes with the ladder view (--flow ID or --ladder) or --format html");
		return -1;
	}
	if (cmd == TL_CMD_LIVE && options_wants_html(o)) {
		snprintf(
			errbuf, errlen,
			"the html report draws from a second read of a capture file (tcplint analyze): save the capture with -w FILE and analyze it");
		return -1;
	}
	if ((o->has_flow || o->ladder) && cmd == TL_CMD_LIVE) {
		snprintf(
			errbuf, errlen,
			"--flow and --ladder read a capture file (tcplint analyze)");
		return -1;
	}
	/* --top ranks flows once all are known: only a writer that keeps them
	 * to the end can honour it (text in a file run, json, junit); the
	 * others write each flow as it finishes. */
	if (o->top &&
	    (strcmp(o->format, "jsonl") == 0 ||
	     strcmp(o->format, "sarif") == 0 ||
	     (cmd == TL_CMD_LIVE && strcmp(o->format, "text") == 0))) {
		snprintf(
			errbuf, errlen,
			"--top: %s%s writes each flow as it finishes, so it cannot rank them (--top goes with %s)",
			cmd == TL_CMD_LIVE ? "live " : "--format ", o->format,
			cmd == TL_CMD_LIVE ? "--format json or junit"
					   : "--format text, json or junit");
		return -1;
	}
	if (o->duration_ns && cmd == TL_CMD_ANALYZE) {
		snprintf(
			errbuf, errlen,
			"--duration stops a live capture (tcplint live); use -c COUNT to read part of a file");
		return -1;
	}
	return 0;
}

bool options_wants_html(const struct tl_options *o)
{
	if (o->format && strcmp(o->format, "html") == 0)
		return true;
	for (uint32_t i = 0; i < o->nextra; i++)
		if (strcmp(o->extra[i].format, "html") == 0)
			return true;
	return false;
}

void options_free(struct tl_options *o)
{
	free(o->inputs);
	free(o->filter);
	o->inputs = NULL;
	o->filter = NULL;
}

static void print_formats(void)
{
	for (size_t i = 0; report_formats[i]; i++)
		printf("      %-6s %s\n", report_formats[i]->name,
		       report_formats[i]->summary);
}

static void print_anomaly_types(void)
{
	int col = 6;

	fputs("      ", stdout);
	for (int t = 0; t < ANOMALY_TYPE_COUNT; t++) {
		const char *n = anomaly_type_name(t);
		int len = (int)strlen(n) + 2;

		if (t > 0 && col + len > 78) {
			fputs(",\n      ", stdout);
			col = 6;
		} else if (t > 0) {
			fputs(", ", stdout);
		}
		fputs(n, stdout);
		col += len;
	}
	fputc('\n', stdout);
}

void options_print_help(int cmd)
{
	if (cmd < 0) {
		fputs("tcplint " TCPLINT_VERSION
		      " - check that TCP connections open and close correctly\n"
		      "\n"
		      "Usage:\n"
		      "  tcplint analyze [OPTIONS] FILE...           analyze pcap/pcapng captures\n"
		      "  tcplint analyze [OPTIONS] -r FILE [EXPR]    ... with a BPF filter, as tcpdump\n"
		      "  tcplint live -i IFACE [OPTIONS] [EXPR]      analyze live traffic\n"
		      "  tcplint probe SCENARIO HOST PORT [OPTIONS]  drive a TCP peer through a scenario\n"
		      "  tcplint probe replay FILE HOST PORT [OPTIONS]\n"
		      "                                              replay a recorded connection to it\n"
		      "  tcplint merge [OPTIONS] REPORT...           join json/jsonl reports (of --shard runs)\n"
		      "  tcplint --help | --version\n"
		      "\n"
		      "For every TCP connection tcplint rebuilds the RFC 9293 state machine of both\n"
		      "endpoints, judges the handshake and the close, and reports anomalies with\n"
		      "Wireshark frame numbers.\n"
		      "\n"
		      "Examples:\n"
		      "  tcplint analyze capture.pcap\n"
		      "  tcplint analyze --flow 3 --explain capture.pcap\n"
		      "  tcplint analyze --format json --fail-on error capture.pcap\n"
		      "  sudo tcplint live -i eth0 --format jsonl 'tcp port 5432'\n"
		      "\n"
		      "Exit codes: 0 clean, 1 findings matched --fail-on or --expect, 2 usage or\n"
		      "input error.\n"
		      "See 'tcplint analyze --help', 'tcplint live --help', 'tcplint probe --help',\n"
		      "'tcplint merge --help' and tcplint(1). Documentation (README.md, docs/):\n"
		      "  " TCPLINT_DOCDIR "\n",
		      stdout);
		return;
	}
	if (cmd == TL_CMD_LIVE)
		fputs("Usage: tcplint live -i IFACE [OPTIONS] [BPF EXPRESSION]\n"
		      "\n"
		      "Analyze TCP on an interface as it happens (needs root or CAP_NET_RAW and\n"
		      "CAP_NET_ADMIN). Flows are reported as they finish, anomalies as they are\n"
		      "found; Ctrl-C reports the open flows and the summary.\n"
		      "\n"
		      "Capture (as tcpdump):\n"
		      "  -i IFACE          interface ('any' for all)\n"
		      "  -f EXPR           BPF filter (or give it as the trailing words)\n"
		      "  -s SNAPLEN        bytes kept per packet (default 256: headers only)\n"
		      "  -p                no promiscuous mode\n"
		      "  -B KIB            kernel buffer size\n"
		      "  -c COUNT          stop after COUNT packets\n"
		      "  --duration TIME   stop after TIME (e.g. 30s, 10m)\n"
		      "  -w FILE           also save the packets to FILE\n"
		      "  -Z USER           drop privileges to USER once the interface is open\n"
		      "\n"
		      "Memory is bounded by --max-flows with --format text, jsonl and sarif, which\n"
		      "write each flow as it finishes. --format json and junit are one document\n"
		      "written at the stop: they keep every flow until then and grow with the\n"
		      "traffic, so bound them with -c or --duration; use jsonl or text for long runs.\n"
		      "\n",
		      stdout);
	else
		fputs("Usage: tcplint analyze [OPTIONS] FILE...\n"
		      "       tcplint analyze [OPTIONS] -r FILE [-r FILE...] [BPF EXPRESSION]\n"
		      "\n"
		      "Read pcap or pcapng captures, plain or gzip/zstd compressed ('-' is standard\n"
		      "input), and report, for every TCP connection (inside tunnels too), the\n"
		      "handshake and close verdicts, both endpoints' states and the anomalies, with\n"
		      "Wireshark frame numbers.\n"
		      "\n"
		      "Input:\n"
		      "  -r FILE           capture to read (repeatable); with -r the trailing words\n"
		      "                    are a BPF filter, as with tcpdump\n"
		      "  -f EXPR           BPF filter ('tcp port 443'); a bad one is exit 2\n"
		      "  -c COUNT          read at most COUNT matching packets in all (as tcpdump)\n"
		      "  --no-progress     no progress meter (shown only when stderr is a terminal)\n"
		      "  -n, -nn, -s N     accepted as in tcpdump: tcplint never resolves names, and\n"
		      "                    a file's packets are what was captured\n"
		      "\n"
		      "Views:\n"
		      "  --flow ID         ladder diagram of flow ID (ids are in the report)\n"
		      "                    ids number, from 0, only the flows the BPF filter lets\n"
		      "                    in, over the files in order: take ID from a report of\n"
		      "                    the same files and filter\n"
		      "  --ladder          ladder diagram of every flow with an anomaly\n"
		      "  --explain         with a ladder: why each state change happens (RFC 9293);\n"
		      "                    with --format html, the same reasons as notes in the diagrams\n"
		      "  A view only chooses what is drawn: --fail-on and --expect still judge every\n"
		      "  flow (to judge one connection, select it with a BPF filter).\n"
		      "\n",
		      stdout);
	fputs("Report:\n"
	      "  --format FORMAT   one of:\n",
	      stdout);
	print_formats();
	fputs("  --compact         JSON on one line (the default unless stdout is a terminal)\n"
	      "  -o FILE           write the report to FILE (atomically: temp file + rename);\n"
	      "                    an input or an existing capture file is refused\n"
	      "  --force           let -o (and live's -w) overwrite an input or a capture\n"
	      "  --json-output FILE, --jsonl-output FILE, --sarif-output FILE,\n"
	      "  --junit-output FILE, --text-output FILE, --html-output FILE\n"
	      "                    also write that report from the same pass (repeatable)\n"
	      "  --color [WHEN]    never, always or auto (default: auto; NO_COLOR is\n"
	      "                    honoured); --color alone is always\n"
	      "  --top N           list only the N flows with the most anomalies (text, json\n"
	      "                    and junit; jsonl, sarif and live text write each flow as\n"
	      "                    it finishes and refuse it); html: draw the N flows with\n"
	      "                    the worst findings (default 200), the table lists all\n"
	      "  --only-anomalies  list only flows with anomalies or broken expectations\n"
	      "  -q                text: only the inputs and the totals\n"
	      "  -v                text: also each endpoint's state changes (STATE@FRAME)\n"
	      "\n"
	      "CI:\n"
	      "  --fail-on LIST    exit 1 when an anomaly matches LIST: anomaly types and/or\n"
	      "                    severities (error, warning, info: that severity or worse),\n"
	      "                    'any', or 'none' (default); judged on every flow the\n"
	      "                    filter lets in, whatever --flow, --ladder, --top or\n"
	      "                    --only-anomalies show. Types:\n",
	      stdout);
	print_anomaly_types();
	fputs("  --expect FILE     check expectations (docs/EXPECT.md); a broken one is exit 1\n"
	      "  --baseline REPORT report only anomalies not in an earlier JSON/JSONL report\n"
	      "                    (same type, endpoint at fault and server address:port)\n"
	      "\n"
	      "Thresholds (durations: 1.5, 500ms, 2s, 5m):\n"
	      "  --ack-timeout T         a FIN or data unacknowledged this long (default 1s)\n"
	      "  --close-wait-timeout T  CLOSE_WAIT longer than this lingers (default 5s)\n"
	      "  --msl T                 maximum segment lifetime; TIME_WAIT = 2 MSL (default 30s)\n"
	      "  --keepalive-burst N     unanswered probes in a row that are a burst (default 3)\n"
	      "  --fast-retransmit-window T  a retransmission this soon after the peer's\n"
	      "                          last duplicate ACK is fast (default 20ms)\n"
	      "  --reorder-window T      out-of-order within this of the sender's last new\n"
	      "                          segment when no handshake gave an RTT (default 3ms)\n"
	      "  --idle-timeout T        report a flow silent this long (default: never in files,\n"
	      "                          5m live)\n"
	      "  --close-grace T         keep a closed flow this long for late segments (default 2s)\n"
	      "  --max-flows N           flows tracked at once; the least active is evicted\n"
	      "                          (default 262144, 65536 live)\n"
	      "\n"
	      "Scale (docs/SCALING.md):\n"
	      "  --shard K/N       analyze only the connections of shard K of N (0 <= K < N),\n"
	      "                    split by a fixed hash of the 4-tuple: N runs with K = 0..N-1\n"
	      "                    see every connection once; join them with tcplint merge\n"
	      "\n",
	      stdout);
	if (cmd == TL_CMD_LIVE) {
		fputs("Examples:\n"
		      "  sudo tcplint live -i lo --format jsonl\n"
		      "  sudo tcplint live -i eth0 'tcp port 5432' --fail-on lingering_close_wait\n"
		      "  sudo tcplint live -i any -w /tmp/seen.pcap -Z nobody --duration 10m\n"
		      "\n",
		      stdout);
	} else {
		fputs("Examples:\n"
		      "  Summary of every connection:\n"
		      "    tcplint analyze capture.pcap\n"
		      "  Only port 443, tcpdump style:\n"
		      "    tcplint analyze -r capture.pcap 'tcp port 443'\n"
		      "  The ladder diagram of connection 3, with the reasons:\n"
		      "    tcplint analyze --flow 3 --explain capture.pcap\n"
		      "  Ladders of every connection that has a problem:\n"
		      "    tcplint analyze --ladder capture.pcap\n"
		      "  The 10 worst connections of a large capture:\n"
		      "    tcplint analyze --top 10 big.pcapng\n"
		      "  JSON for jq; one line per connection:\n"
		      "    tcplint analyze --format json capture.pcap | jq '.flows[] | select(.close == \"reset\")'\n"
		      "    tcplint analyze --format jsonl capture.pcap | jq -c 'select(.type == \"flow\")'\n"
		      "  Fail a CI job on error-level findings or a lingering CLOSE_WAIT:\n"
		      "    tcplint analyze --fail-on error,lingering_close_wait capture.pcap\n"
		      "  Check what the capture must show, report only new problems:\n"
		      "    tcplint analyze --expect ci.expect --baseline known.json capture.pcap\n"
		      "  Reports for code scanning and test viewers:\n"
		      "    tcplint analyze --format sarif -o tcplint.sarif capture.pcap\n"
		      "    tcplint analyze --format junit -o tcplint.xml --fail-on error capture.pcap\n"
		      "  One page to look at (sequence diagrams of the flows with findings):\n"
		      "    tcplint analyze --format html -o report.html capture.pcap\n"
		      "\n"
		      "Exit codes: 0 clean, 1 findings matched --fail-on or --expect, 2 usage or\n"
		      "input error (the other files are still analyzed).\n"
		      "\n",
		      stdout);
	}
	fputs("Documentation: the docs/ files named above are in\n"
	      "  " TCPLINT_DOCDIR "/docs\n"
	      "and README.md in " TCPLINT_DOCDIR "; see also tcplint(1).\n",
	      stdout);
}
