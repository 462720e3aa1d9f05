/*
 * netdev_raw.c - the real-network back end (see netdev.h): IP packets out
 * through a raw socket, the peer's packets in through libpcap.
 *
 * Send: socket(AF_INET, SOCK_RAW, IPPROTO_RAW), which implies IP_HDRINCL,
 * or socket(AF_INET6, SOCK_RAW, IPPROTO_RAW), which Linux treats as
 * IPV6_HDRINCL: the packet built by formats/wire/build.c goes out as it is, IP
 * header and checksums included. Every packet carries the socket mark
 * NETDEV_RAW_MARK.
 *
 * Receive: a libpcap handle on the interface in immediate mode, nanosecond
 * timestamps, non-blocking, with a BPF filter for exactly the peer's side of
 * the 4-tuple; recv() polls its selectable descriptor for at most the
 * timeout.
 *
 * The kernel of this host knows no socket for the probe's connection, so it
 * would answer the peer's SYN-ACK (and everything after) with a RST. The RST
 * guard, as packetdrill and scapy users set it up by hand, is an nftables
 * table of our own with one output rule: drop TCP RSTs from our source port
 * that do not carry our mark. nft is run (posix_spawnp, no shell) to add the
 * table at open and delete it at close.
 */
#include "analyzer/probe/netdev.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

struct netdev_raw {
	struct netdev base;
	struct netdev_raw_config cfg;
	int fd;       /* raw socket, owned */
	pcap_t *pcap; /* owned */
	int pcap_fd;
	bool guard_installed;
	char table[48];   /* nftables table name */
	int64_t real0_ns; /* clock: realtime at open ... */
	int64_t mono0_ns; /* ... plus monotonic since open */
};

static struct netdev_raw *to_raw(struct netdev *dev)
{
	return (struct netdev_raw *)dev;
}

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t raw_now(struct netdev *dev)
{
	struct netdev_raw *d = to_raw(dev);

	return d->real0_ns + (clock_ns(CLOCK_MONOTONIC) - d->mono0_ns);
}

/* Run nft with one command string; 0 when it exited 0. */
static int raw_nft(const char *cmd, char *errbuf, size_t errlen)
{
	char *argv[] = {"nft", (char *)cmd, NULL};
	pid_t pid;
	int status, rc;

	rc = posix_spawnp(&pid, "nft", NULL, NULL, argv, environ);
	if (rc != 0) {
		snprintf(
			errbuf, errlen,
			"cannot run nft (%s); install nftables or use --no-rst-guard",
			strerror(rc));
		return -1;
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			snprintf(errbuf, errlen, "nft: %s", strerror(errno));
			return -1;
		}
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		snprintf(errbuf, errlen, "nft failed: %s", cmd);
		return -1;
	}
	return 0;
}

static int raw_guard_install(struct netdev_raw *d, char *errbuf, size_t errlen)
{
	char cmd[512];

	snprintf(d->table, sizeof(d->table), "tcplint_probe_%u",
		 d->cfg.tuple.sport);
	snprintf(
		cmd, sizeof(cmd),
		"add table inet %s; "
		"add chain inet %s out { type filter hook output priority 0; policy accept; }; "
		"add rule inet %s out meta mark != 0x%x tcp sport %u tcp flags & rst == rst drop",
		d->table, d->table, d->table, NETDEV_RAW_MARK,
		d->cfg.tuple.sport);
	if (raw_nft(cmd, errbuf, errlen) != 0)
		return -1;
	d->guard_installed = true;
	return 0;
}

static void raw_guard_remove(struct netdev_raw *d)
{
	char cmd[96], err[256];

	if (!d->guard_installed)
		return;
	snprintf(cmd, sizeof(cmd), "delete table inet %s", d->table);
	raw_nft(cmd, err, sizeof(err)); /* nothing more to do if it fails */
	d->guard_installed = false;
}

static int raw_send(struct netdev *dev, const uint8_t *pkt, size_t len,
		    char *errbuf, size_t errlen)
{
	struct netdev_raw *d = to_raw(dev);
	struct sockaddr_storage ss;
	socklen_t sl;
	ssize_t n;

	memset(&ss, 0, sizeof(ss));
	if (d->cfg.tuple.ip_version == 4) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, d->cfg.tuple.dst, 4);
		sl = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, d->cfg.tuple.dst, 16);
		sl = sizeof(*sin6);
	}
	n = sendto(d->fd, pkt, len, 0, (struct sockaddr *)&ss, sl);
	if (n < 0 || (size_t)n != len) {
		snprintf(errbuf, errlen, "raw send: %s",
			 n < 0 ? strerror(errno) : "short write");
		return -1;
	}
	return 0;
}

static enum netdev_status raw_recv(struct netdev *dev,
				   struct netdev_frame *frame,
				   int64_t timeout_ns, char *errbuf,
				   size_t errlen)
{
	struct netdev_raw *d = to_raw(dev);
	int64_t deadline =
		clock_ns(CLOCK_MONOTONIC) + (timeout_ns > 0 ? timeout_ns : 0);
	struct pcap_pkthdr *h;
	const u_char *data;
	struct pollfd pfd;
	int rc;

	for (;;) {
		int64_t left;

		if (d->cfg.stop && *d->cfg.stop) {
			snprintf(errbuf, errlen, "interrupted");
			return NETDEV_ERROR;
		}
		rc = pcap_next_ex(d->pcap, &h, &data);
		if (rc == 1) {
			frame->data = data;
			frame->caplen = h->caplen;
			frame->wirelen = h->len;
			frame->dlt = pcap_datalink(d->pcap);
			/* nanosecond precision: tv_usec holds nanoseconds */
			frame->ts_ns = (int64_t)h->ts.tv_sec * 1000000000 +
				       h->ts.tv_usec;
			return NETDEV_FRAME;
		}
		if (rc < 0) {
			snprintf(errbuf, errlen, "capture on %s: %s",
				 d->cfg.iface, pcap_geterr(d->pcap));
			return NETDEV_ERROR;
		}
		left = deadline - clock_ns(CLOCK_MONOTONIC);
		if (left <= 0)
			return NETDEV_TIMEOUT;
		pfd.fd = d->pcap_fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		/* round up so a sub-millisecond wait still waits */
		rc = poll(&pfd, 1, (int)((left + 999999) / 1000000));
		if (rc < 0 && errno != EINTR) {
			snprintf(errbuf, errlen, "poll: %s", strerror(errno));
			return NETDEV_ERROR;
		}
		/* a signal: the loop checks *stop */
	}
}

static void raw_close(struct netdev *dev)
{
	struct netdev_raw *d = to_raw(dev);

	raw_guard_remove(d);
	if (d->pcap)
		pcap_close(d->pcap);
	if (d->fd >= 0)
		close(d->fd);
	free(d);
}

static const struct netdev_ops raw_ops = {
	.name = "raw",
	.send = raw_send,
	.recv = raw_recv,
	.now_ns = raw_now,
	.close = raw_close,
};

static int raw_open_pcap(struct netdev_raw *d, char *errbuf, size_t errlen)
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN], expr[256];
	struct bpf_program prog;
	const struct tuple *t = &d->cfg.tuple;
	int af = t->ip_version == 4 ? AF_INET : AF_INET6;

	d->pcap = pcap_create(d->cfg.iface, perr);
	if (!d->pcap) {
		snprintf(errbuf, errlen, "capture on %s: %s", d->cfg.iface,
			 perr);
		return -1;
	}
	pcap_set_snaplen(d->pcap, 65535);
	pcap_set_immediate_mode(d->pcap, 1);
	pcap_set_timeout(d->pcap, 10);
	pcap_set_tstamp_precision(d->pcap, PCAP_TSTAMP_PRECISION_NANO);
	if (pcap_activate(d->pcap) < 0) {
		snprintf(errbuf, errlen, "capture on %s: %s", d->cfg.iface,
			 pcap_geterr(d->pcap));
		return -1;
	}
	if (pcap_get_tstamp_precision(d->pcap) != PCAP_TSTAMP_PRECISION_NANO) {
		snprintf(errbuf, errlen,
			 "capture on %s: no nanosecond timestamps",
			 d->cfg.iface);
		return -1;
	}
	/* the peer's side only: dst -> src */
	inet_ntop(af, t->src, src, sizeof(src));
	inet_ntop(af, t->dst, dst, sizeof(dst));
	snprintf(
		expr, sizeof(expr),
		"%s tcp and src host %s and src port %u and dst host %s and dst port %u",
		t->ip_version == 4 ? "ip and" : "ip6 and", dst, t->dport, src,
		t->sport);
	if (pcap_compile(d->pcap, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) != 0 ||
	    pcap_setfilter(d->pcap, &prog) != 0) {
		snprintf(errbuf, errlen, "capture filter '%s': %s", expr,
			 pcap_geterr(d->pcap));
		return -1;
	}
	pcap_freecode(&prog);
	if (pcap_setnonblock(d->pcap, 1, perr) != 0) {
		snprintf(errbuf, errlen, "capture on %s: %s", d->cfg.iface,
			 perr);
		return -1;
	}
	d->pcap_fd = pcap_get_selectable_fd(d->pcap);
	if (d->pcap_fd < 0) {
		snprintf(errbuf, errlen,
			 "capture on %s: no selectable descriptor",
			 d->cfg.iface);
		return -1;
	}
	return 0;
}

struct netdev *netdev_raw_open(const struct netdev_raw_config *cfg,
			       char *errbuf, size_t errlen)
{
	struct netdev_raw *d;
	unsigned mark = NETDEV_RAW_MARK;

	if (cfg->tuple.ip_version != 4 && cfg->tuple.ip_version != 6) {
		snprintf(errbuf, errlen, "IP version %u",
			 cfg->tuple.ip_version);
		return NULL;
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		snprintf(errbuf, errlen, "out of memory");
		return NULL;
	}
	d->base.ops = &raw_ops;
	d->cfg = *cfg;
	if (!d->cfg.iface)
		d->cfg.iface = "lo";
	d->fd = -1;
	d->real0_ns = clock_ns(CLOCK_REALTIME);
	d->mono0_ns = clock_ns(CLOCK_MONOTONIC);
	d->fd = socket(cfg->tuple.ip_version == 4 ? AF_INET : AF_INET6,
		       SOCK_RAW, IPPROTO_RAW);
	if (d->fd < 0) {
		snprintf(errbuf, errlen,
			 "raw socket: %s (needs root or CAP_NET_RAW)",
			 strerror(errno));
		goto fail;
	}
	if (setsockopt(d->fd, SOL_SOCKET, SO_MARK, &mark, sizeof(mark)) != 0) {
		snprintf(errbuf, errlen, "SO_MARK: %s (needs CAP_NET_ADMIN)",
			 strerror(errno));
		goto fail;
	}
	if (raw_open_pcap(d, errbuf, errlen) != 0)
		goto fail;
	if (cfg->rst_guard && raw_guard_install(d, errbuf, errlen) != 0)
		goto fail;
	return &d->base;
fail:
	raw_close(&d->base);
	return NULL;
}
