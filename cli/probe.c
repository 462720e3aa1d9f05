/*
 * probe.c - `tcplint probe SCENARIO HOST PORT`: put one question to a live
 * TCP peer with tcplint's own user-space endpoint (analyzer/probe/) and
 * report the verdict with its evidence (formats/report/probe_report.c), as
 * text or JSON.
 *
 *   tcplint probe fin-ack|withhold-last-ack|keepalive HOST PORT [OPTIONS]
 *   tcplint probe replay FILE HOST PORT [OPTIONS]
 *
 * This file owns the network policy: HOST must be a numeric loopback
 * address (127.0.0.0/8, ::1, or "localhost") unless --allow-remote is given;
 * the source port is reserved by binding a TCP socket to it for the whole
 * run (so no other connection of this host takes it); SIGINT and SIGTERM
 * stop the run early, through the device, so the RST guard is removed and
 * the peer is reset on the way out. Exit codes: 0 the peer conforms, 1 it
 * deviates, 2 usage error or the probe could not run (refused, no answer,
 * no privileges).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "analyzer/probe/endpoint.h"
#include "analyzer/probe/netdev.h"
#include "analyzer/probe/probe.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/options.h"
#include "cli/output.h"
#include "formats/report/probe_report.h"
#include "formats/wire/pcap_out.h"

static volatile sig_atomic_t probe_stop;

static void probe_on_signal(int sig)
{
	(void)sig;
	probe_stop = 1;
}

struct probe_cli {
	enum probe_scenario scenario;
	const char *file; /* replay */
	const char *host;
	const char *iface;
	const char *format; /* text, json */
	const char *write;  /* -w FILE */
	bool rst_guard;
	bool allow_remote;
	bool force; /* --force: -w may overwrite a capture */
	struct probe_options opt;
	/* ours the source (sport 0 until the kernel reserves one), HOST and
	 * PORT the destination */
	struct tuple tuple;
};

static void probe_usage(FILE *f)
{
	fputs("usage: tcplint probe fin-ack|withhold-last-ack|keepalive HOST PORT [OPTIONS]\n"
	      "       tcplint probe replay FILE HOST PORT [OPTIONS]\n"
	      "\n"
	      "Probe a live TCP peer with tcplint's own user-space endpoint (needs root).\n"
	      "  fin-ack            send our FIN: does the peer ACK it and send its own FIN?\n"
	      "  withhold-last-ack  withhold the ACK of the peer's FIN: does it retransmit\n"
	      "                     the FIN, with what back-off, and go quiet once ACKed?\n"
	      "  keepalive          send keepalive probes (seq = SND.NXT-1): answered?\n"
	      "  replay FILE        replay the client of the first connection in FILE\n"
	      "                     against HOST PORT and report where the server diverges\n"
	      "\n"
	      "Options:\n"
	      "  -i IFACE               capture interface (default lo)\n"
	      "  --timeout DURATION     each wait for the peer (default 5s)\n"
	      "  --withhold DURATION    how long the last ACK is withheld (default 3s)\n"
	      "  --quiet DURATION       watched after our last ACK (default 1s)\n"
	      "  --count N              keepalive probes (default 3, at most 16)\n"
	      "  --interval DURATION    between keepalive probes (default 1s)\n"
	      "  --keepalive-bytes 0|1|alt  payload of the probes (default alt)\n"
	      "  --sport PORT           source port (default: one the kernel reserves)\n"
	      "  --format text|json     output (default text)\n"
	      "  -w FILE                save the exchange (pcap, raw IP); an existing\n"
	      "                         capture is refused unless --force\n"
	      "  --no-rst-guard         do not install the nftables rule that drops this\n"
	      "                         host's RSTs for the probe's port (set one up yourself)\n"
	      "  --allow-remote         allow a destination that is not a loopback address\n"
	      "Exit: 0 the peer conforms, 1 it deviates, 2 usage error or the probe failed.\n",
	      f);
}

/* Parse HOST into the tuple's destination; loopback unless allowed. */
static int probe_parse_host(struct probe_cli *c, char *err, size_t errlen)
{
	const char *h = c->host;

	memset(c->tuple.dst, 0, sizeof(c->tuple.dst));
	if (strcmp(h, "localhost") == 0)
		h = "127.0.0.1";
	if (inet_pton(AF_INET, h, c->tuple.dst) == 1) {
		c->tuple.ip_version = 4;
		if (c->tuple.dst[0] != 127 && !c->allow_remote) {
			snprintf(
				err, errlen,
				"refusing to probe %s: not a loopback address (127.0.0.0/8, ::1); "
				"the probe sends crafted segments, so it only targets other hosts "
				"with --allow-remote",
				c->host);
			return -1;
		}
		return 0;
	}
	if (inet_pton(AF_INET6, h, c->tuple.dst) == 1) {
		static const uint8_t lo6[16] = {[15] = 1};

		c->tuple.ip_version = 6;
		if (memcmp(c->tuple.dst, lo6, 16) != 0 && !c->allow_remote) {
			snprintf(
				err, errlen,
				"refusing to probe %s: not a loopback address (127.0.0.0/8, ::1); "
				"use --allow-remote to probe another host",
				c->host);
			return -1;
		}
		return 0;
	}
	snprintf(err, errlen, "'%s' is not a numeric IPv4 or IPv6 address",
		 c->host);
	return -1;
}

static bool probe_is_loopback(const struct probe_cli *c)
{
	static const uint8_t lo6[16] = {[15] = 1};

	return c->tuple.ip_version == 4 ? c->tuple.dst[0] == 127
					: memcmp(c->tuple.dst, lo6, 16) == 0;
}

/* The source address: loopback for loopback, else what the route picks. */
static int probe_source(struct probe_cli *c, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int af = c->tuple.ip_version == 4 ? AF_INET : AF_INET6;
	int fd;

	memset(c->tuple.src, 0, sizeof(c->tuple.src));
	if (probe_is_loopback(c)) {
		if (c->tuple.ip_version == 4) {
			c->tuple.src[0] = 127;
			c->tuple.src[3] = 1;
		} else {
			c->tuple.src[15] = 1;
		}
		return 0;
	}
	memset(&ss, 0, sizeof(ss));
	fd = socket(af, SOCK_DGRAM, 0);
	if (fd < 0)
		goto fail;
	if (c->tuple.ip_version == 4) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(c->tuple.dport);
		memcpy(&sin->sin_addr, c->tuple.dst, 4);
		sl = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(c->tuple.dport);
		memcpy(&sin6->sin6_addr, c->tuple.dst, 16);
		sl = sizeof(*sin6);
	}
	/* a UDP connect sends nothing; it only asks the routing table */
	if (connect(fd, (struct sockaddr *)&ss, sl) != 0)
		goto fail;
	sl = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) != 0)
		goto fail;
	if (c->tuple.ip_version == 4)
		memcpy(c->tuple.src, &((struct sockaddr_in *)&ss)->sin_addr, 4);
	else
		memcpy(c->tuple.src, &((struct sockaddr_in6 *)&ss)->sin6_addr,
		       16);
	close(fd);
	return 0;
fail:
	snprintf(err, errlen, "no route to %s: %s", c->host, strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

/* Bind a TCP socket to the source port (0: any) and keep it: the kernel
 * then gives that port to no other connection. Returns the fd or -1. */
static int probe_reserve_port(struct probe_cli *c, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd = socket(c->tuple.ip_version == 4 ? AF_INET : AF_INET6,
			SOCK_STREAM, 0);

	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	memset(&ss, 0, sizeof(ss));
	if (c->tuple.ip_version == 4) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(c->tuple.sport);
		memcpy(&sin->sin_addr, c->tuple.src, 4);
		sl = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(c->tuple.sport);
		memcpy(&sin6->sin6_addr, c->tuple.src, 16);
		sl = sizeof(*sin6);
	}
	if (bind(fd, (struct sockaddr *)&ss, sl) != 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &sl) != 0) {
		snprintf(err, errlen, "cannot reserve source port %u: %s",
			 c->tuple.sport, strerror(errno));
		close(fd);
		return -1;
	}
	c->tuple.sport =
		ntohs(c->tuple.ip_version == 4
			      ? ((struct sockaddr_in *)&ss)->sin_port
			      : ((struct sockaddr_in6 *)&ss)->sin6_port);
	return fd;
}

static int probe_parse_port(const char *s, uint16_t *port)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < 1 || v > 65535)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

/* --- the command --------------------------------------------------------- */

enum {
	OPT_TIMEOUT = 256,
	OPT_WITHHOLD,
	OPT_QUIET,
	OPT_COUNT,
	OPT_INTERVAL,
	OPT_KA_BYTES,
	OPT_SPORT,
	OPT_FORMAT,
	OPT_NO_RST_GUARD,
	OPT_ALLOW_REMOTE,
	OPT_FORCE,
};

static int probe_parse(struct probe_cli *c, int argc, char **argv, char *err,
		       size_t errlen)
{
	static const struct option longopts[] = {
		{"timeout", required_argument, NULL, OPT_TIMEOUT},
		{"withhold", required_argument, NULL, OPT_WITHHOLD},
		{"quiet", required_argument, NULL, OPT_QUIET},
		{"count", required_argument, NULL, OPT_COUNT},
		{"interval", required_argument, NULL, OPT_INTERVAL},
		{"keepalive-bytes", required_argument, NULL, OPT_KA_BYTES},
		{"sport", required_argument, NULL, OPT_SPORT},
		{"format", required_argument, NULL, OPT_FORMAT},
		{"no-rst-guard", no_argument, NULL, OPT_NO_RST_GUARD},
		{"allow-remote", no_argument, NULL, OPT_ALLOW_REMOTE},
		{"force", no_argument, NULL, OPT_FORCE},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int ch, sc, pos;
	long v;
	char *end;

	c->format = "text";
	c->rst_guard = true;
	optind = 1;
	opterr = 0;
	/* glibc permutes: options may come before or after the words */
	while ((ch = getopt_long(argc, argv, "i:w:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'i':
			c->iface = optarg;
			break;
		case 'w':
			c->write = optarg;
			break;
		case 'h':
			return 1;
		case OPT_TIMEOUT:
		case OPT_WITHHOLD:
		case OPT_QUIET:
		case OPT_INTERVAL: {
			int64_t *dst = ch == OPT_TIMEOUT ? &c->opt.timeout_ns
				       : ch == OPT_WITHHOLD
					       ? &c->opt.withhold_ns
				       : ch == OPT_QUIET
					       ? &c->opt.quiet_ns
					       : &c->opt.keepalive_interval_ns;

			if (options_parse_duration(optarg, dst) != 0 ||
			    *dst <= 0 || *dst > 600000000000LL) {
				snprintf(err, errlen,
					 "bad duration '%s' (0 < d <= 600s)",
					 optarg);
				return -1;
			}
			break;
		}
		case OPT_COUNT:
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || *end || v < 1 ||
			    v > PROBE_MAX_KEEPALIVES) {
				snprintf(err, errlen, "--count: 1 to %d",
					 PROBE_MAX_KEEPALIVES);
				return -1;
			}
			c->opt.keepalives = (unsigned)v;
			break;
		case OPT_KA_BYTES:
			if (strcmp(optarg, "0") == 0)
				c->opt.keepalive_bytes = PROBE_KA_ZERO;
			else if (strcmp(optarg, "1") == 0)
				c->opt.keepalive_bytes = PROBE_KA_ONE;
			else if (strcmp(optarg, "alt") == 0)
				c->opt.keepalive_bytes = PROBE_KA_ALTERNATE;
			else {
				snprintf(err, errlen,
					 "--keepalive-bytes: 0, 1 or alt");
				return -1;
			}
			break;
		case OPT_SPORT:
			if (probe_parse_port(optarg, &c->tuple.sport) != 0) {
				snprintf(err, errlen, "bad --sport '%s'",
					 optarg);
				return -1;
			}
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "text") != 0 &&
			    strcmp(optarg, "json") != 0) {
				snprintf(err, errlen, "--format: text or json");
				return -1;
			}
			c->format = optarg;
			break;
		case OPT_NO_RST_GUARD:
			c->rst_guard = false;
			break;
		case OPT_FORCE:
			c->force = true;
			break;
		case OPT_ALLOW_REMOTE:
			c->allow_remote = true;
			break;
		default:
			snprintf(err, errlen,
				 "unknown or incomplete option '%s'",
				 argv[optind - 1]);
			return -1;
		}
	}
	pos = optind;
	if (pos >= argc) {
		snprintf(err, errlen, "missing scenario");
		return -1;
	}
	sc = probe_scenario_from_name(argv[pos]);
	if (sc < 0) {
		snprintf(err, errlen, "unknown scenario '%s'", argv[pos]);
		return -1;
	}
	c->scenario = (enum probe_scenario)sc;
	pos++;
	if (c->scenario == PROBE_REPLAY) {
		if (pos >= argc) {
			snprintf(err, errlen, "replay: missing FILE");
			return -1;
		}
		c->file = argv[pos++];
	}
	if (argc - pos < 2) {
		snprintf(err, errlen, "missing HOST PORT");
		return -1;
	}
	c->host = argv[pos];
	if (probe_parse_port(argv[pos + 1], &c->tuple.dport) != 0) {
		snprintf(err, errlen, "bad port '%s'", argv[pos + 1]);
		return -1;
	}
	if (pos + 2 < argc) {
		snprintf(err, errlen, "unexpected argument '%s'",
			 argv[pos + 2]);
		return -1;
	}
	return 0;
}

int cmd_probe(int argc, char **argv)
{
	struct probe_cli c;
	struct probe_target target;
	struct netdev_raw_config rc;
	struct endpoint_config ec;
	struct probe_result res;
	struct replay_script *rs = NULL;
	struct netdev *dev = NULL;
	struct endpoint *ep = NULL;
	struct pcap_out *trace = NULL;
	struct sigaction sa;
	char err[512] = "";
	int pfd = -1, prc, status = TL_EXIT_INPUT;

	memset(&c, 0, sizeof(c));
	prc = probe_parse(&c, argc, argv, err, sizeof(err));
	if (prc > 0) {
		probe_usage(stdout);
		return TL_EXIT_OK;
	}
	if (prc < 0) {
		fprintf(stderr, "tcplint probe: %s\n", err);
		probe_usage(stderr);
		return TL_EXIT_USAGE;
	}
	if (probe_parse_host(&c, err, sizeof(err)) != 0) {
		fprintf(stderr, "tcplint probe: %s\n", err);
		return TL_EXIT_USAGE;
	}
	if (!c.iface) {
		if (!probe_is_loopback(&c)) {
			fprintf(stderr,
				"tcplint probe: a remote destination needs -i IFACE\n");
			return TL_EXIT_USAGE;
		}
		c.iface = "lo";
	}
	if (c.scenario == PROBE_REPLAY) {
		rs = replay_script_load(c.file, err, sizeof(err));
		if (!rs) {
			fprintf(stderr, "tcplint probe: %s\n", err);
			return TL_EXIT_INPUT;
		}
	}
	if (probe_source(&c, err, sizeof(err)) != 0)
		goto fail;
	pfd = probe_reserve_port(&c, err, sizeof(err));
	if (pfd < 0)
		goto fail;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = probe_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	memset(&rc, 0, sizeof(rc));
	rc.iface = c.iface;
	rc.tuple = c.tuple;
	rc.rst_guard = c.rst_guard;
	rc.stop = &probe_stop;
	dev = netdev_raw_open(&rc, err, sizeof(err));
	if (!dev)
		goto fail;
	memset(&ec, 0, sizeof(ec));
	ec.tuple = c.tuple;
	ec.rto_initial_ns = 1000000000;
	ec.rto_max_ns = 4000000000LL;
	ec.max_retries = 3;
	ep = endpoint_new(&ec, dev);
	if (!ep) {
		snprintf(err, sizeof(err), "out of memory");
		goto fail;
	}
	if (c.write) {
		const char *inputs[1] = {c.file};

		if (!c.force &&
		    output_check_safe(c.write, "-w", inputs, c.file ? 1 : 0,
				      err, sizeof(err)))
			goto fail;
		trace = pcap_out_open(c.write, DLT_RAW, 0, err, sizeof(err));
		if (!trace)
			goto fail;
		endpoint_set_trace(ep, trace);
	}
	if (c.scenario == PROBE_REPLAY)
		probe_replay(rs, ep, &c.opt, &res);
	else
		probe_run(c.scenario, ep, &c.opt, &res);
	/* after an interruption or a device error the peer may still hold
	 * the connection: reset it (a no-op once closed or in TIME_WAIT) */
	endpoint_abort(ep);
	target.file = c.file;
	target.host = c.host;
	target.tuple = c.tuple;
	if (strcmp(c.format, "json") != 0) {
		if (probe_report_text(stdout, &target, ep, &res) != 0) {
			snprintf(err, sizeof(err),
				 "cannot write the report: %s",
				 strerror(errno));
			goto fail;
		}
	} else if (probe_report_json(stdout, &target, isatty(fileno(stdout)),
				     ep, &res) != 0) {
		snprintf(err, sizeof(err),
			 "cannot build or write the JSON report");
		goto fail;
	}
	if (fflush(stdout) != 0) {
		snprintf(err, sizeof(err), "cannot write the report: %s",
			 strerror(errno));
		goto fail;
	}
	status = res.verdict == PV_CONFORMS   ? TL_EXIT_OK
		 : res.verdict == PV_DEVIATES ? TL_EXIT_FINDINGS
					      : TL_EXIT_INPUT;
	if (res.verdict == PV_ERROR)
		fprintf(stderr, "tcplint probe: %s\n", res.error);
	err[0] = '\0';
fail:
	if (err[0])
		fprintf(stderr, "tcplint probe: %s\n", err);
	if (trace && pcap_out_close(trace) != 0) {
		fprintf(stderr, "tcplint probe: cannot write %s\n", c.write);
		status = TL_EXIT_INPUT;
	}
	endpoint_free(ep);
	netdev_close(dev);
	if (pfd >= 0)
		close(pfd);
	replay_script_free(rs);
	return status;
}
