/*
 * netdev.h - where the probe's packets go and come from: one ops table,
 * two back ends.
 *
 * The active endpoint (endpoint.c) never touches a socket: it hands whole IP
 * packets (no link header, built with formats/wire/build.h and BUILD_LINK_RAW)
 * to netdev->ops->send() and asks netdev->ops->recv() for the next captured
 * frame, with a bounded timeout. The clock comes from the device too, so a
 * dry run can run on virtual time and a unit test of a 3-second scenario
 * takes microseconds.
 *
 *   netdev_raw   (netdev_raw.c) the real network: a raw socket with
 *                IP_HDRINCL (IPv6: IPPROTO_RAW) to send, libpcap in
 *                immediate mode with a BPF filter for the connection's
 *                4-tuple to receive. Needs root (CAP_NET_RAW).
 *   netdev_pcap  (netdev_pcap.c) dry run: what would be sent is appended to
 *                a pcap file (DLT_RAW) and kept in memory; "received"
 *                packets come from a script of peer segments whose numbers
 *                are relative to both ISNs (packetdrill style). No root.
 *
 * Buffer ownership (the probe's policy):
 *   send:  the packet is BORROWED for the call only; the back end copies
 *          what it keeps (the kernel copies, pcap_out copies).
 *   recv:  frame->data is STATIC storage of the device, valid until the
 *          next recv() or close(); the caller copies what it needs.
 *   script entries given to netdev_pcap_open() are COPIED.
 */
#ifndef TCPLINT_ANALYZER_PROBE_NETDEV_H
#define TCPLINT_ANALYZER_PROBE_NETDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <signal.h>
#include <stdint.h>

#include "formats/wire/tuple.h"

struct netdev;

/* One received frame (borrowed, see above). */
struct netdev_frame {
	const uint8_t *data;
	uint32_t caplen;
	uint32_t wirelen;
	int dlt;       /* link type of data (a DLT_ value) */
	int64_t ts_ns; /* when it arrived, on the device's clock */
};

/* recv() results. */
enum netdev_status {
	NETDEV_ERROR = -1,
	NETDEV_TIMEOUT = 0,
	NETDEV_FRAME = 1,
};

struct netdev_ops {
	const char *name; /* "raw", "pcap" */
	/* Send one IP packet (IPv4 or IPv6 header first). 0, or -1 with the
	 * reason in errbuf. */
	int (*send)(struct netdev *dev, const uint8_t *pkt, size_t len,
		    char *errbuf, size_t errlen);
	/* Wait at most timeout_ns (>= 0) for one frame from the peer. */
	enum netdev_status (*recv)(struct netdev *dev,
				   struct netdev_frame *frame,
				   int64_t timeout_ns, char *errbuf,
				   size_t errlen);
	/* The device's clock, ns since the epoch (never goes backwards). */
	int64_t (*now_ns)(struct netdev *dev);
	/* Release everything (NULL-safe through netdev_close()). */
	void (*close)(struct netdev *dev);
};

/* Every back end's struct starts with this. */
struct netdev {
	const struct netdev_ops *ops;
};

/* Close any back end; NULL does nothing. */
static inline void netdev_close(struct netdev *dev)
{
	if (dev)
		dev->ops->close(dev);
}

/* --- netdev_raw ---------------------------------------------------------- */

/* The mark (SO_MARK) of every packet netdev_raw sends, so the RST guard can
 * tell the probe's own RSTs from the kernel's. */
#define NETDEV_RAW_MARK 0x74636c70u

struct netdev_raw_config {
	const char *iface;  /* capture interface ("lo" for loopback);
				  borrowed, must outlive the device */
	struct tuple tuple; /* the connection, ours the source; version
				  4 or 6 */
	bool rst_guard;     /* install the nftables RST guard (see below) */
	/* when *stop becomes non-zero (a signal handler), recv() fails with
	 * "interrupted" so the caller winds down; NULL: never */
	const volatile sig_atomic_t *stop;
};

/*
 * Open the raw socket and the capture, and (rst_guard) install the guard:
 * an nftables table "tcplint_probe_<sport>" with one output rule dropping
 * RSTs from tuple.sport not marked NETDEV_RAW_MARK, i.e. the ones the kernel
 * sends because it knows no socket for the probe's connection. The table is
 * deleted by close(). Returns the device (owned: netdev_close()), or NULL
 * with the reason in errbuf.
 */
struct netdev *netdev_raw_open(const struct netdev_raw_config *cfg,
			       char *errbuf, size_t errlen);

/* --- netdev_pcap --------------------------------------------------------- */

/*
 * One scripted peer segment. seq is relative to the peer's ISN (the ISN
 * given in netdev_pcap_config), ack relative to the probe's ISN, learned
 * from the first SYN the probe sends (so `< S. 0:0(0) ack 1` is {flags
 * SYN|ACK, seq 0, ack 1}). It is delivered at virtual time at_ms after the
 * device opened, or as soon as the probe asks when that time has passed.
 */
struct netdev_pcap_pkt {
	int64_t at_ms;
	uint16_t flags; /* TCP_* */
	uint32_t seq;
	uint32_t ack;
	uint32_t len;    /* payload bytes (pattern bytes) */
	uint16_t window; /* 0 means 65535 */
};

#define NETDEV_PCAP_MAX_SCRIPT 64
#define NETDEV_PCAP_MAX_SENT 128

struct netdev_pcap_config {
	const char *path;   /* pcap file of the sent packets, or NULL
				    (borrowed: must outlive the device) */
	struct tuple tuple; /* the connection, as the probe sees it
				    (the probe is the source) */
	uint32_t peer_isn;
	int64_t start_ns; /* virtual clock at open; 0 means 1e18 */
	const struct netdev_pcap_pkt *script; /* copied */
	unsigned nscript; /* at most NETDEV_PCAP_MAX_SCRIPT */
};

/* A packet the dry run was asked to send (decoded fields, copied). */
struct netdev_pcap_sent {
	int64_t ts_ns;
	uint16_t flags;
	uint32_t seq; /* relative to the probe's ISN */
	uint32_t ack; /* relative to the peer's ISN (0 without ACK) */
	uint32_t len;
};

/* Returns the device (owned: netdev_close()), or NULL with errbuf set
 * (file not writable, script too long). */
struct netdev *netdev_pcap_open(const struct netdev_pcap_config *cfg,
				char *errbuf, size_t errlen);

/* What was sent so far (borrowed, valid until close); *n gets the count.
 * dev must come from netdev_pcap_open(). */
const struct netdev_pcap_sent *netdev_pcap_sent(struct netdev *dev,
						unsigned *n);

#endif
