/*
 * analyze.c - `tcplint analyze`: the file loop.
 *
 * For each input: open it (formats/wire/capture.h) and read it through the
 * ingest path (analyzer/ingest.h), which filters, decodes, counts packets,
 * TCP packets, non-TCP frames and decode errors by kind, and feeds the
 * analyzer, then finishes the input. A file that cannot be read gives one
 * line on stderr naming it and the problem and makes the exit code 2, but
 * the other files are still analyzed; a capture cut off mid-record is
 * reported with everything read before the cut.
 *
 * The filter is compiled for each file's link type and applied per record
 * by the ingest path rather than installed in libpcap, so that frames the
 * filter drops are still counted and frame numbers stay Wireshark's.
 *
 * The ladder view (--flow, --ladder) and the html report read each file
 * twice: the analysis selects the flows to draw, then a second pass picks
 * their segments.
 * A progress meter goes to stderr when stderr is a terminal.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "analyzer/analyzer.h"
#include "analyzer/ingest.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/options.h"
#include "cli/run.h"
#include "formats/wire/capture.h"

/* Set by SIGINT/SIGTERM: stop reading, report what was read. A signal
 * handler can only reach a static object; this is the one such object. */
static volatile sig_atomic_t analyze_stop;

static void analyze_on_signal(int sig)
{
	(void)sig;
	analyze_stop = 1;
}

struct progress {
	bool on;
	int64_t start_ns, last_ns;
	bool shown;
};

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void progress_show(struct progress *pg, struct capture *c,
			  const char *name, uint64_t packets, bool force)
{
	uint64_t off = 0, size = 0;
	int64_t t = now_ns();
	double secs, mbps;

	if (!pg->on || (!force && t - pg->last_ns < 250000000LL))
		return;
	pg->last_ns = t;
	secs = (double)(t - pg->start_ns) / 1e9;
	if (secs < 0.5 && !force)
		return;
	if (!capture_progress(c, &off, &size)) {
		fprintf(stderr, "\r\033[K%s: %llu packets", name,
			(unsigned long long)packets);
	} else {
		double frac = size ? (double)off / (double)size : 0;
		double eta = frac > 0 ? secs / frac - secs : 0;

		mbps = secs > 0 ? (double)off / 1e6 / secs : 0;
		fprintf(stderr,
			"\r\033[K%s: %llu packets  %.1f MB/s  %3.0f%%  ETA %d:%02d",
			name, (unsigned long long)packets, mbps, frac * 100,
			(int)eta / 60, (int)eta % 60);
	}
	pg->shown = true;
}

static void progress_clear(struct progress *pg)
{
	if (pg->shown)
		fputs("\r\033[K", stderr);
	pg->shown = false;
}

/* The problem of an input, cut to fit its record. */
static void copy_error(struct input_record *in, const char *err)
{
	size_t len = strlen(err);

	if (len >= sizeof(in->error))
		len = sizeof(in->error) - 1;
	memcpy(in->error, err, len);
	in->error[len] = '\0';
}

/* A missing "file" that reads like a BPF expression: the user wrote
 * tcpdump's "FILE EXPR" without -r. */
static bool analyze_looks_like_filter(const char *path)
{
	static const char *const words[] = {
		"tcp", "udp", "ip",  "ip6", "port", "host",      "net",
		"and", "or",  "not", "src", "dst",  "portrange",
	};

	if (strchr(path, ' ') ||
	    (path[0] && strspn(path, "0123456789") == strlen(path)))
		return true;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(path, words[i]) == 0)
			return true;
	return false;
}

/* A filter no common link type can compile is a usage error, as with
 * tcpdump: one line, no report. (Each file still compiles it against its own
 * link type, so a filter valid only there still works.) */
static int analyze_check_filter(const char *filter, char *err, size_t errlen)
{
	static const int dlts[] = {
		DLT_EN10MB, DLT_LINUX_SLL,        DLT_RAW,
		DLT_NULL,   DLT_IEEE802_11_RADIO,
	};

	err[0] = '\0';
	for (size_t i = 0; i < sizeof(dlts) / sizeof(dlts[0]); i++) {
		struct bpf_program prog;
		pcap_t *p = pcap_open_dead(dlts[i], 65535);

		if (!p)
			return 0;
		if (pcap_compile(p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) ==
		    0) {
			pcap_freecode(&prog);
			pcap_close(p);
			return 0;
		}
		if (!err[0])
			snprintf(err, errlen, "bad filter \"%s\": %s", filter,
				 pcap_geterr(p));
		pcap_close(p);
	}
	return -1;
}

/* Read one input through the ingest path (analyzer/ingest.h). With `az`,
 * analyze it; without, offer its TCP segments to the ladder (second pass).
 * Fills *in. */
static void analyze_file(struct tl_run *run, struct analyzer *az,
			 const struct tl_options *o, uint32_t index,
			 struct input_record *in, uint64_t *budget, bool quiet)
{
	const char *path = o->inputs[index];
	char err[PCAP_ERRBUF_SIZE + 512];
	struct ingest_options io = {
		.filter = o->filter,
		.max_packets = o->max_packets ? *budget : 0,
		.input = index,
	};
	struct ingest *ig;
	struct capture *c;
	struct progress pg = {0};
	bool spent;

	memset(in, 0, sizeof(*in));
	in->file = path;
	in->dlt = -1;
	c = capture_open_file(path, err, sizeof(err));
	if (!c) {
		if (!o->filter && access(path, F_OK) != 0 &&
		    analyze_looks_like_filter(path)) {
			size_t len = strlen(err);

			snprintf(
				err + len, sizeof(err) - len,
				" (a BPF filter goes after -r FILE, as with tcpdump, or in -f EXPR)");
		}
		if (!quiet)
			fprintf(stderr, "tcplint: %s\n", err);
		in->failed = true;
		copy_error(in, err);
		return;
	}
	ig = ingest_new(c, az, in, &io, err, sizeof(err));
	if (!ig) {
		if (!quiet)
			fprintf(stderr, "tcplint: %s\n", err);
		in->failed = true;
		copy_error(in, err);
		capture_close(c);
		return;
	}
	pg.on = o->progress && isatty(STDERR_FILENO) && az;
	pg.start_ns = pg.last_ns = now_ns();

	/* -c is a total over the inputs, as tcpdump's over its one input:
	 * once spent, the later files are opened (so a bad one is still
	 * named) but none of their packets is read */
	spent = o->max_packets && *budget == 0;
	while (!spent) {
		struct ingest_record rec;
		int st;

		if (analyze_stop) {
			in->failed = true;
			snprintf(in->error, sizeof(in->error),
				 "%s: interrupted", path);
			break;
		}
		st = ingest_next(ig, &rec, err, sizeof(err));
		if (st == CAPTURE_EOF)
			break;
		if (st == CAPTURE_ERROR) {
			if (!quiet)
				fprintf(stderr, "tcplint: %s\n", err);
			break;
		}
		if (st != CAPTURE_PACKET)
			continue;
		if ((in->packets & 0x3fff) == 0)
			progress_show(&pg, c, path, in->packets, false);
		if (rec.tcp && !az)
			run_ladder_packet(run, index, &rec.view, rec.pkt.frame,
					  rec.pkt.ts_ns);
	}
	progress_show(&pg, c, path, in->packets, false);
	progress_clear(&pg);
	if (o->max_packets)
		*budget -= ingest_matched(ig) < *budget ? ingest_matched(ig)
							: *budget;
	ingest_finish(ig);
	ingest_free(ig);
	capture_close(c);
}

int cmd_analyze(int argc, char **argv)
{
	struct tl_options o;
	struct tl_run *run;
	struct analyzer *az;
	struct analyzer_sink sink;
	struct analyzer_stats st;
	uint64_t budget; /* -c: packets still to read, over all inputs */
	struct report_end_info end;
	struct sigaction sa;
	char err[1024];
	int code;

	if (options_parse(&o, TL_CMD_ANALYZE, argc, argv, err, sizeof(err))) {
		fprintf(stderr, "tcplint analyze: %s\n", err);
		options_free(&o);
		return TL_EXIT_USAGE;
	}
	if (o.help || o.version) {
		if (o.help)
			options_print_help(TL_CMD_ANALYZE);
		else
			puts("tcplint " TCPLINT_VERSION);
		options_free(&o);
		return TL_EXIT_OK;
	}
	if (o.has_flow || o.ladder) {
		for (uint32_t i = 0; i < o.ninputs; i++)
			if (strcmp(o.inputs[i], "-") == 0) {
				fputs("tcplint analyze: the ladder view reads its input twice; save standard input to a file first\n",
				      stderr);
				options_free(&o);
				return TL_EXIT_USAGE;
			}
	}
	if (o.filter && analyze_check_filter(o.filter, err, sizeof(err))) {
		char first[256];

		/* "-r a.pcap b.pcap": b.pcap was taken for the filter. */
		snprintf(first, sizeof(first), "%s", o.filter);
		first[strcspn(first, " ")] = '\0';
		if (access(first, F_OK) == 0) {
			size_t len = strlen(err);

			snprintf(
				err + len, sizeof(err) - len,
				" ('%s' is a file: with -r, the words after the options are the filter; give each file its own -r)",
				first);
		}
		fprintf(stderr, "tcplint analyze: %s\n", err);
		options_free(&o);
		return TL_EXIT_USAGE;
	}
	run = calloc(1, sizeof(*run));
	if (!run) {
		fputs("tcplint: out of memory\n", stderr);
		options_free(&o);
		return TL_EXIT_USAGE;
	}
	if (run_open(run, &o, o.inputs, o.ninputs, err, sizeof(err))) {
		fprintf(stderr, "tcplint analyze: %s\n", err);
		free(run);
		options_free(&o);
		return TL_EXIT_USAGE;
	}
	sink = run_sink(run);
	az = analyzer_new(&o.az, &sink, err, sizeof(err));
	if (!az) {
		fprintf(stderr, "tcplint: %s\n", err);
		run_abort(run);
		free(run);
		options_free(&o);
		return TL_EXIT_USAGE;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = analyze_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	budget = o.max_packets;
	for (uint32_t i = 0; i < o.ninputs; i++) {
		struct input_record in;

		analyze_file(run, az, &o, i, &in, &budget, false);
		run_input_done(run, &in);
	}
	analyzer_get_stats(az, &st);
	analyzer_free(az);

	/* Ladder view, html report: a second pass for the segments of the
	 * flows they draw. Standard input cannot be read again (the ladder
	 * refuses it; the html report says its flows have no pictures). */
	if (!analyze_stop && run_second_pass(run)) {
		budget = o.max_packets;
		for (uint32_t i = 0; i < o.ninputs; i++) {
			struct input_record in;

			if (strcmp(o.inputs[i], "-") != 0)
				analyze_file(run, NULL, &o, i, &in, &budget,
					     true);
		}
	}

	/* Interrupted: a partial report never replaces an -o file. */
	if (analyze_stop && run->out.tmp_path) {
		fputs("tcplint: interrupted; the report was not written\n",
		      stderr);
		run_abort(run);
		free(run);
		options_free(&o);
		return TL_EXIT_INPUT;
	}
	memset(&end, 0, sizeof(end));
	end.evictions = st.evictions;
	code = run_close(run, &end);
	free(run);
	options_free(&o);
	return code;
}
