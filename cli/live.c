/*
 * live.c - `tcplint live -i IFACE [EXPR]`: the analysis on live traffic.
 *
 * Opens the interface through libpcap in immediate mode (pcap_create,
 * pcap_set_immediate_mode, pcap_set_timeout, pcap_activate), optionally drops
 * root (-Z, as tcpdump does) and saves what it captures (-w), then reads
 * every packet through the ingest path analyze uses (analyzer/ingest.h:
 * decoded, counted, and each TCP segment analyzed), so the interface's
 * packet and decode-error counts mean what a file's do. The handle is
 * non-blocking and the loop waits in its own poll() with a 200 ms timeout:
 * libpcap's blocking read on Linux in immediate mode neither times out on a
 * quiet link nor returns on a signal (it retries EINTR), so a quiet link
 * and a stop request would otherwise both go unnoticed.
 *
 * Output goes through the shared back half (cli/run.h): the analyzer's sink
 * hands each finished flow and each anomaly, the moment it is detected, to
 * the report writer in streaming mode; standard output is line-buffered, so
 * `tcplint live ... | jq` shows every line as it happens.
 *
 * Time: the analyzer's timers run on capture time while packets arrive; when
 * the link is quiet (a read timed out, so nothing is waiting in the buffer)
 * they run on the wall clock (CLOCK_REALTIME, the clock the kernel stamps
 * packets with), so a CLOSE_WAIT lingering on an idle server is reported
 * without another packet. Every second the kernel's drop counters
 * (pcap_stats) go to the analyzer, which marks flows and anomalies seen while
 * packets were lost.
 *
 * Stop: SIGINT/SIGTERM (a flag the read loop sees within one read timeout),
 * --duration or -c. Then every open flow is reported with its current states
 * (analyzer_finish), the summary follows with the drop counters and the
 * evictions, and the exit code is that of --fail-on.
 *
 * The capture also stops when the report can no longer be written: a write
 * failed (`tcplint live | head`: EPIPE; a full disk: ENOSPC), or standard
 * output is a pipe or socket whose reader went away (poll() reports POLLERR
 * or POLLHUP on it, so a quiet link notices too). The exit code is then the
 * one `tcplint analyze` gives: a closed pipe is quiet and keeps the --fail-on
 * code, any other write error is one line on stderr and exit 2 (run_close).
 *
 * Memory stays bounded: the analyzer's table never holds more than
 * --max-flows flows (when it is full the least recently active one is
 * reported early and counted as an eviction), finished flows are recycled
 * once reported, idle flows time out (--idle-timeout, 5 minutes live). The
 * capture loop itself allocates nothing per packet. The exception is the
 * report: --format json and junit keep every flow until the stop (one
 * document, written then), so they grow with the traffic; tcplint says so
 * at the start when neither -c nor --duration bounds the run.
 */
#include <errno.h>
#include <grp.h>
#include <inttypes.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/stat.h>
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
#include "formats/wire/decode.h"
#include "formats/report/report.h"

/* Read timeout: how long a quiet link waits before the timers run on the
 * wall clock, and the longest a stop request waits to be noticed. */
#define LIVE_READ_TIMEOUT_MS 200
/* Housekeeping period on a busy link: drop counters and capture-time tick. */
#define LIVE_HOUSEKEEPING_NS (1 * NS_PER_SEC)

/*
 * The one piece of process-wide state: set by the SIGINT/SIGTERM handler,
 * read by the capture loop. A signal handler can reach nothing else.
 */
static volatile sig_atomic_t live_stop_signal;

static void live_on_signal(int sig)
{
	live_stop_signal = sig;
}

static int live_install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = live_on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a blocked poll() returns at once with EINTR. */
	sa.sa_flags = 0;
	if (sigaction(SIGINT, &sa, NULL) != 0 ||
	    sigaction(SIGTERM, &sa, NULL) != 0)
		return -1;
	return 0;
}

static int64_t live_clock_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

/*
 * Open `iface` for capture. On failure writes one line into errbuf:
 * libpcap's own words, except for the problems a user meets first (no such
 * interface, no permission), which get plain ones. Returns the activated,
 * non-blocking handle or NULL.
 */
static pcap_t *live_open(const char *iface, int snaplen, bool promisc,
			 int buffer_kib, char *errbuf, size_t errlen)
{
	char pcap_err[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p;
	int rc;

	p = pcap_create(iface, pcap_err);
	if (!p) {
		snprintf(errbuf, errlen, "%s: %s", iface, pcap_err);
		return NULL;
	}
	pcap_set_snaplen(p, snaplen);
	pcap_set_promisc(p, promisc ? 1 : 0);
	pcap_set_immediate_mode(p, 1);
	pcap_set_timeout(p, LIVE_READ_TIMEOUT_MS);
	if (buffer_kib > 0)
		pcap_set_buffer_size(p, buffer_kib * 1024);
	/* Nanoseconds when the platform has them; microseconds otherwise. */
	(void)pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO);

	rc = pcap_activate(p);
	if (rc < 0) {
		switch (rc) {
		case PCAP_ERROR_NO_SUCH_DEVICE:
			snprintf(errbuf, errlen, "%s: no such interface",
				 iface);
			break;
		case PCAP_ERROR_PERM_DENIED:
			snprintf(
				errbuf, errlen,
				"%s: permission denied: capturing needs root or "
				"the CAP_NET_RAW and CAP_NET_ADMIN capabilities",
				iface);
			break;
		case PCAP_ERROR_IFACE_NOT_UP:
			snprintf(errbuf, errlen, "%s: interface is down",
				 iface);
			break;
		case PCAP_ERROR_PROMISC_PERM_DENIED:
			snprintf(
				errbuf, errlen,
				"%s: no permission for promiscuous mode (try -p)",
				iface);
			break;
		default:
			snprintf(errbuf, errlen, "%s: %s", iface,
				 pcap_geterr(p)[0] ? pcap_geterr(p)
						   : pcap_statustostr(rc));
			break;
		}
		pcap_close(p);
		return NULL;
	}
	if (rc > 0) /* a warning: capture works, but say it as tcpdump does */
		fprintf(stderr, "tcplint: warning: %s: %s\n", iface,
			pcap_geterr(p)[0] ? pcap_geterr(p)
					  : pcap_statustostr(rc));
	if (pcap_setnonblock(p, 1, pcap_err) != 0 ||
	    pcap_get_selectable_fd(p) < 0) {
		snprintf(errbuf, errlen, "%s: cannot wait for packets: %s",
			 iface,
			 pcap_err[0] ? pcap_err : "no selectable descriptor");
		pcap_close(p);
		return NULL;
	}
	return p;
}

/*
 * -Z USER: give up root once the device is open, as tcpdump does:
 * supplementary groups, then the group, then the user (in that order: after
 * setuid the others are no longer allowed). A uid change from root clears
 * the capabilities too. Returns 0, or -1 with the reason in errbuf.
 */
static int live_drop_privileges(const char *user, char *errbuf, size_t errlen)
{
	struct passwd *pw;
	gid_t gid;

	errno = 0;
	pw = getpwnam(user);
	if (!pw) {
		/* "Not found" is 0 or one of these, depending on the libc. */
		bool unknown = errno == 0 || errno == ENOENT ||
			       errno == ESRCH || errno == EBADF ||
			       errno == EPERM;

		snprintf(errbuf, errlen, "-Z %s: %s", user,
			 unknown ? "no such user" : strerror(errno));
		return -1;
	}
	gid = pw->pw_gid;
	if (setgroups(1, &gid) != 0 || setgid(pw->pw_gid) != 0 ||
	    setuid(pw->pw_uid) != 0) {
		snprintf(errbuf, errlen, "-Z %s: cannot drop privileges: %s",
			 user, strerror(errno));
		return -1;
	}
	/* Paranoia: root must be gone for good. */
	if (pw->pw_uid != 0 && (setuid(0) == 0 || geteuid() == 0)) {
		snprintf(errbuf, errlen, "-Z %s: root could be regained", user);
		return -1;
	}
	return 0;
}

/* Everything one live run holds; on cmd_live's stack, no globals. */
struct live_run {
	const struct tl_options *o;
	struct capture *cap;
	pcap_t *p;           /* borrowed from cap */
	pcap_dumper_t *dump; /* -w, NULL if none */
	bool dump_nano;      /* the handle (and so the file) has ns stamps */
	struct analyzer *az;
	struct ingest *ig; /* capture -> decode -> analyzer, counted in `in` */
	struct tl_run run; /* output, writer, --fail-on (cli/run.h) */
	bool run_open;
	struct input_record in; /* packet and decode counters of the interface */
	const char *names[1];   /* the report's input names (it borrows them) */
	/* libpcap's counters are 32-bit and wrap after 4G packets (hours at
	 * a high rate); they are summed here as 64-bit totals of deltas. */
	struct pcap_stat ps_last; /* last pcap_stats() as returned */
	bool have_ps;
	uint64_t recv, drop, ifdrop; /* 64-bit totals */
	uint64_t drops_noted;        /* drop + ifdrop last told the analyzer */
	bool dump_dirty;             /* -w has packets not yet flushed */
	int out_fd;                  /* the report's pipe or socket, watched for
				      its reader going away; -1 otherwise */
};

/* Poll libpcap's counters; tell the analyzer when the drop count grew. */
static void live_poll_stats(struct live_run *lr)
{
	struct pcap_stat ps;
	uint64_t drops;

	if (pcap_stats(lr->p, &ps) != 0)
		return;
	/* Unsigned subtraction: right across one wrap of the 32-bit value. */
	lr->recv += (u_int)(ps.ps_recv - lr->ps_last.ps_recv);
	lr->drop += (u_int)(ps.ps_drop - lr->ps_last.ps_drop);
	lr->ifdrop += (u_int)(ps.ps_ifdrop - lr->ps_last.ps_ifdrop);
	lr->ps_last = ps;
	lr->have_ps = true;
	drops = lr->drop + lr->ifdrop;
	if (drops != lr->drops_noted) {
		lr->drops_noted = drops;
		analyzer_note_drops(lr->az, drops);
	}
}

/* -w: append the packet as libpcap returned it. The file is flushed
 * whenever tcplint has caught up with the interface (live_dump_flush), so a
 * reader sees every packet at once on a quiet link, while a busy link does
 * not cost one write per packet. */
static void live_dump(struct live_run *lr, const struct capture_packet *pkt)
{
	struct pcap_pkthdr h;
	int64_t sub = pkt->ts_ns % NS_PER_SEC;

	h.ts.tv_sec = (time_t)(pkt->ts_ns / NS_PER_SEC);
	h.ts.tv_usec = (suseconds_t)(lr->dump_nano ? sub : sub / 1000);
	h.caplen = pkt->caplen;
	h.len = pkt->wirelen;
	pcap_dump((u_char *)lr->dump, &h, pkt->data);
	lr->dump_dirty = true;
}

/* Returns -1 when the file could not be written (a full disk): pcap_dump()
 * itself says nothing, the flush and the stream's error flag do. */
static int live_dump_flush(struct live_run *lr)
{
	if (lr->dump && lr->dump_dirty) {
		lr->dump_dirty = false;
		if (pcap_dump_flush(lr->dump) != 0 ||
		    ferror(pcap_dump_file(lr->dump)))
			return -1;
	}
	return 0;
}

/* A -w file that cannot be written stops the capture (tcpdump does too):
 * the saved capture would silently miss packets. */
static int live_dump_failed(struct live_run *lr, char *errbuf, size_t errlen)
{
	int err = errno;

	snprintf(errbuf, errlen, "-w %s: cannot write: %s", lr->o->write_file,
		 strerror(err ? err : EIO));
	return -1;
}

/* Whether the reader of the report's pipe or socket is gone. */
static bool live_output_gone(short revents)
{
	return (revents & (POLLERR | POLLHUP | POLLNVAL)) != 0;
}

/*
 * The capture loop. Returns 0 when stopped by a signal, --duration or -c,
 * or because the report can no longer be written; -1 after a read error (in
 * errbuf).
 */
static int live_loop(struct live_run *lr, char *errbuf, size_t errlen)
{
	const struct tl_options *o = lr->o;
	int64_t start = live_clock_ns(CLOCK_MONOTONIC);
	int64_t next_housekeeping = start + LIVE_HOUSEKEEPING_NS;
	int64_t last_ts = 0;
	/* pfd[1]: no events asked; POLLERR/POLLHUP are reported anyway. */
	struct pollfd pfd[2] = {
		{.fd = pcap_get_selectable_fd(lr->p), .events = POLLIN},
		{.fd = lr->out_fd, .events = 0},
	};
	nfds_t nfds = lr->out_fd >= 0 ? 2 : 1;
	struct ingest_record rec;
	int rc;

	/* A failed write leaves every later one undone (formats/report/report.h):
	 * stop at once rather than capture for nobody. */
	while (!live_stop_signal && !run_output_error(&lr->run)) {
		int64_t mono;
		int n;

		/* Non-blocking: CAPTURE_TIMEOUT means the buffer is empty.
		 * The ingest path decodes, counts and analyzes the packet;
		 * CAPTURE_EOF also after -c packets. */
		rc = ingest_next(lr->ig, &rec, errbuf, errlen);
		if (rc == CAPTURE_PACKET) {
			if (lr->dump)
				live_dump(lr, &rec.pkt);
			if (rec.pkt.ts_ns > last_ts)
				last_ts = rec.pkt.ts_ns;
		} else if (rc == CAPTURE_TIMEOUT) {
			/* Caught up: the saved file gets what came so far. */
			if (live_dump_flush(lr) != 0)
				return live_dump_failed(lr, errbuf, errlen);
			/* poll() returns at once on a signal (EINTR). */
			n = poll(pfd, nfds, LIVE_READ_TIMEOUT_MS);
			if (n > 0 && live_output_gone(pfd[1].revents))
				break;
			if (n == 0) {
				/* Quiet: nothing came for a while, so the wall
				 * clock is where capture time would be. */
				int64_t now = live_clock_ns(CLOCK_REALTIME);

				if (now > last_ts)
					last_ts = now;
				analyzer_tick(lr->az, last_ts);
			}
		} else if (rc == CAPTURE_ERROR) {
			if (live_stop_signal)
				break; /* a read interrupted by the stop */
			return -1;
		} else {
			break; /* EOF: -c reached, or the interface went away */
		}
		mono = live_clock_ns(CLOCK_MONOTONIC);
		if (o->duration_ns && mono - start >= o->duration_ns)
			break;
		if (mono >= next_housekeeping) {
			next_housekeeping = mono + LIVE_HOUSEKEEPING_NS;
			/* A busy link may not wait in poll() above. */
			if (nfds == 2 && poll(&pfd[1], 1, 0) > 0 &&
			    live_output_gone(pfd[1].revents))
				break;
			if (live_dump_flush(lr) != 0)
				return live_dump_failed(lr, errbuf, errlen);
			live_poll_stats(lr);
			if (last_ts)
				analyzer_tick(lr->az, last_ts);
		}
	}
	return 0;
}

static void live_print_listening(const struct live_run *lr)
{
	int dlt = capture_dlt(lr->cap);
	const char *desc = pcap_datalink_val_to_description(dlt);

	fprintf(stderr,
		"tcplint: listening on %s, link-type %s (%s), snapshot length %d bytes\n",
		lr->o->iface, capture_dlt_name(dlt), desc ? desc : "?",
		pcap_snapshot(lr->p));
}

/* Whether the report keeps every flow until the capture stops (its memory
 * grows with the traffic): json and junit, written as one document at the
 * end. text, jsonl and sarif write each flow as it finishes. */
static bool live_format_keeps_flows(const char *format)
{
	return strcmp(format, "json") == 0 || strcmp(format, "junit") == 0;
}

/*
 * Capture until stopped, then report the open flows, the interface's
 * counters and the summary. Returns the exit code.
 */
static int live_capture(struct live_run *lr)
{
	struct report_end_info end;
	struct analyzer_stats st;
	char errbuf[sizeof(lr->in.error)] = "";
	bool read_error;
	int code;

	live_print_listening(lr);
	if (live_format_keeps_flows(lr->o->format) && !lr->o->max_packets &&
	    !lr->o->duration_ns)
		fprintf(stderr,
			"tcplint: note: --format %s keeps every flow in memory until the capture stops; for a long run use --format jsonl or text, or bound it with -c or --duration\n",
			lr->o->format);
	read_error = live_loop(lr, errbuf, sizeof(errbuf)) != 0;
	if (read_error) {
		/* a read error, or a -w file that cannot be written */
		fprintf(stderr, "tcplint live: %s\n", errbuf);
		lr->in.failed = true;
		snprintf(lr->in.error, sizeof(lr->in.error), "%s", errbuf);
	}

	/* Final counters first, so the flows reported now know of drops. */
	live_poll_stats(lr);
	ingest_finish(lr->ig);
	if (live_dump_flush(lr) != 0 && !read_error) {
		live_dump_failed(lr, errbuf, sizeof(errbuf));
		fprintf(stderr, "tcplint live: %s\n", errbuf);
		lr->in.failed = true;
		snprintf(lr->in.error, sizeof(lr->in.error), "%s", errbuf);
	}
	run_input_done(&lr->run, &lr->in);

	analyzer_get_stats(lr->az, &st);
	memset(&end, 0, sizeof(end));
	end.evictions = st.evictions;
	if (lr->have_ps) {
		end.has_capture_stats = true;
		end.ps_recv = lr->recv;
		end.ps_drop = lr->drop;
		end.ps_ifdrop = lr->ifdrop;
	}
	code = run_close(&lr->run, &end);
	lr->run_open = false;
	if (lr->drop || lr->ifdrop) {
		char w[192];

		end.ps_drop = lr->drop;
		end.ps_ifdrop = lr->ifdrop;
		report_drop_warning(&end, w, sizeof(w));
		fprintf(stderr, "tcplint: warning: %s\n", w);
	}
	return code;
}

/* Open the interface, the filter, -Z, -w; then the output and analyzer.
 * Returns 0, or -1 with a one-line problem in errbuf. */
static int live_setup(struct live_run *lr, char *errbuf, size_t errlen)
{
	const struct tl_options *o = lr->o;
	struct ingest_options io = {0};
	struct analyzer_sink sink;

	if (!report_find(o->format)) {
		snprintf(errbuf, errlen, "unknown format '%s'", o->format);
		return -1;
	}
	lr->p = live_open(o->iface, o->snaplen > 0 ? o->snaplen : 256,
			  !o->no_promisc, o->buffer_kib, errbuf, errlen);
	if (!lr->p)
		return -1;
	lr->cap = capture_wrap(lr->p, o->iface);
	if (!lr->cap) {
		pcap_close(lr->p);
		lr->p = NULL;
		snprintf(errbuf, errlen, "out of memory");
		return -1;
	}
	if (!decode_link_supported(capture_dlt(lr->cap))) {
		snprintf(errbuf, errlen, "%s: unsupported link type %s",
			 o->iface, capture_dlt_name(capture_dlt(lr->cap)));
		return -1;
	}
	if (o->filter && capture_set_filter(lr->cap, o->filter, errbuf, errlen))
		return -1;
	/* As tcpdump: root is given up before -w (and -o) are opened. */
	if (o->user && live_drop_privileges(o->user, errbuf, errlen))
		return -1;
	if (o->write_file) {
		if (!o->force && output_check_safe(o->write_file, "-w", NULL, 0,
						   errbuf, errlen))
			return -1;
		lr->dump = pcap_dump_open(lr->p, o->write_file);
		if (!lr->dump) {
			snprintf(errbuf, errlen, "%s", pcap_geterr(lr->p));
			return -1;
		}
		lr->dump_nano = pcap_get_tstamp_precision(lr->p) ==
				PCAP_TSTAMP_PRECISION_NANO;
	}
	lr->names[0] = o->iface;
	if (run_open(&lr->run, o, lr->names, 1, errbuf, errlen))
		return -1;
	lr->run_open = true;
	{
		/* Standard output (or an -o FIFO) that is a pipe or a socket:
		 * watch it for its reader going away. */
		struct stat st;
		int fd = fileno(lr->run.out.fp);

		if (!lr->run.out.tmp_path && fd >= 0 && fstat(fd, &st) == 0 &&
		    (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)))
			lr->out_fd = fd;
	}
	sink = run_sink(&lr->run);
	lr->az = analyzer_new(&o->az, &sink, errbuf, errlen);
	if (!lr->az)
		return -1;
	lr->in.file = o->iface;
	io.max_packets = o->max_packets;
	lr->ig = ingest_new(lr->cap, lr->az, &lr->in, &io, errbuf, errlen);
	if (!lr->ig)
		return -1;
	return 0;
}

static void live_teardown(struct live_run *lr)
{
	if (lr->run_open)
		run_abort(&lr->run);
	ingest_free(lr->ig);
	analyzer_free(lr->az);
	if (lr->dump)
		pcap_dump_close(lr->dump);
	capture_close(lr->cap); /* closes the pcap_t too */
}

int cmd_live(int argc, char **argv)
{
	char errbuf[512] = "";
	struct tl_options o;
	struct live_run lr;
	int code;

	/* One flush per line, so `tcplint live | jq` sees each line at once
	 * (set before anything is written to stdout). */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (options_parse(&o, TL_CMD_LIVE, argc, argv, errbuf,
			  sizeof(errbuf))) {
		fprintf(stderr, "tcplint live: %s\n", errbuf);
		options_free(&o);
		return TL_EXIT_USAGE;
	}
	if (o.help) {
		options_print_help(TL_CMD_LIVE);
		options_free(&o);
		return TL_EXIT_OK;
	}

	memset(&lr, 0, sizeof(lr));
	lr.o = &o;
	lr.out_fd = -1;
	if (live_install_signals() != 0) {
		fprintf(stderr, "tcplint live: sigaction: %s\n",
			strerror(errno));
		code = TL_EXIT_USAGE;
	} else if (live_setup(&lr, errbuf, sizeof(errbuf)) != 0) {
		fprintf(stderr, "tcplint live: %s\n", errbuf);
		code = TL_EXIT_INPUT;
	} else {
		code = live_capture(&lr);
	}
	live_teardown(&lr);
	options_free(&o);
	return code;
}
