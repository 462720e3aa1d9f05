#!/usr/bin/env python3
"""live_traffic.py - real kernel TCP scenarios for the live-capture tests.

Run inside the test's network namespace (loopback only). Each scenario opens
one connection to 127.0.0.1:PORT, so a test tells flows apart by the server
port. Every wait is bounded (socket timeouts, --hold limit).

  live_traffic.py close client|server PORT   clean close, that side first
  live_traffic.py rst PORT                   client aborts: SO_LINGER {1,0}
  live_traffic.py hold PORT SECONDS          client closes, the server never
                                             does: it keeps its socket in
                                             CLOSE_WAIT for SECONDS (or until
                                             SIGTERM), printing "holding"
  live_traffic.py keepalive PORT             client keepalive (idle 1 s,
                                             interval 1 s, 4 probes) while
                                             nftables drops every segment the
                                             server sends, until the kernel
                                             gives up and resets
  live_traffic.py syn-flood COUNT PORT RATE [--offset N]
                                             COUNT raw SYNs from distinct
                                             (source address, port) pairs to
                                             PORT, at most RATE per second;
                                             pairs numbered from N (default 0)
                                             so that runs do not overlap
  live_traffic.py frames FILE                every frame of FILE (a classic
                                             pcap of Ethernet frames) sent
                                             as it is onto lo through a
                                             packet socket; the frames are
                                             for addresses the namespace
                                             does not have, so the kernel
                                             only lets captures see them

Each prints one line with what happened and exits 0, or exits 1 with the
reason on stderr.
"""

import errno
import signal
import socket
import struct
import subprocess
import sys
import time

HOST = "127.0.0.1"
TIMEOUT_S = 10.0


def listen(port):
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((HOST, port))
    srv.listen(4)
    srv.settimeout(TIMEOUT_S)
    return srv


def connect_pair(port):
    srv = listen(port)
    cli = socket.create_connection((HOST, port), timeout=TIMEOUT_S)
    acc, _ = srv.accept()
    acc.settimeout(TIMEOUT_S)
    srv.close()
    # A little data both ways, so the flow is an ordinary one.
    cli.sendall(b"hello\n")
    if acc.recv(64) != b"hello\n":
        raise RuntimeError("server did not read the request")
    acc.sendall(b"world\n")
    if cli.recv(64) != b"world\n":
        raise RuntimeError("client did not read the answer")
    return cli, acc


def read_eof(sock):
    """Wait (bounded) until the peer's FIN arrives."""
    data = sock.recv(64)
    if data != b"":
        raise RuntimeError("expected end of stream, got %r" % data)


def scenario_close(side, port):
    cli, acc = connect_pair(port)
    first, second = (cli, acc) if side == "client" else (acc, cli)
    first.shutdown(socket.SHUT_WR)
    read_eof(second)
    second.close()
    read_eof(first)
    first.close()
    # The active closer sits in TIME_WAIT; nothing more goes on the wire.
    print("close %s-first port %d done" % (side, port))


def scenario_rst(port):
    cli, acc = connect_pair(port)
    cli.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    cli.close()
    try:
        data = acc.recv(64)
        raise RuntimeError("server expected a reset, got %r" % data)
    except ConnectionResetError:
        pass
    acc.close()
    print("rst port %d done" % port)


def scenario_hold(port, seconds):
    cli, acc = connect_pair(port)
    cli.close()
    read_eof(acc)
    print("holding port %d" % port, flush=True)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    deadline = time.monotonic() + seconds
    while not stop and time.monotonic() < deadline:
        time.sleep(0.1)
    acc.close()
    print("hold port %d released" % port)


def nft(*args):
    subprocess.run(["nft"] + list(args), check=True, timeout=TIMEOUT_S)


def scenario_keepalive(port):
    cli, acc = connect_pair(port)
    cli.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    cli.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)
    cli.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
    cli.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 4)
    # From now on the server's answers are lost before they reach the
    # capture point (output hook), as on a path that drops them.
    nft("add", "table", "inet", "tl_live")
    nft("add", "chain", "inet", "tl_live", "out",
        "{ type filter hook output priority 0; policy accept; }")
    nft("add", "rule", "inet", "tl_live", "out", "tcp", "sport", str(port), "drop")
    cli.settimeout(20.0)
    try:
        data = cli.recv(64)
        raise RuntimeError("expected the keepalive to time out, got %r" % data)
    except OSError as e:
        # ETIMEDOUT: the kernel gave up and reset. (Python maps it to
        # TimeoutError, the same class as a socket timeout, which has no
        # errno.)
        if e.errno != errno.ETIMEDOUT:
            raise RuntimeError("keepalive did not give up within 20 s (%r)" % e)
    finally:
        nft("delete", "table", "inet", "tl_live")
    cli.close()
    acc.close()
    print("keepalive port %d timed out" % port)


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def scenario_syn_flood(count, port, rate, offset=0):
    """Raw SYNs, IP header included; sources 127.0.<hi>.<lo>, ports from 1024."""
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    raw.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
    dst = socket.inet_aton(HOST)
    ports_per_src = 60000
    batch = 500
    t0 = time.monotonic()
    sent = 0
    while sent < count:
        for _ in range(min(batch, count - sent)):
            i = offset + sent
            src = bytes([127, 1, 1 + (i // ports_per_src) // 250,
                         1 + (i // ports_per_src) % 250])
            sport = 1024 + i % ports_per_src
            seq = (i * 2654435761) & 0xFFFFFFFF
            tcp = struct.pack("!HHIIBBHHH", sport, port, seq, 0, 5 << 4,
                              0x02, 65535, 0, 0)
            pseudo = src + dst + struct.pack("!BBH", 0, socket.IPPROTO_TCP, len(tcp))
            tcp = tcp[:16] + struct.pack("!H", checksum(pseudo + tcp)) + tcp[18:]
            ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), i & 0xFFFF,
                             0, 64, socket.IPPROTO_TCP, 0, src, dst)
            raw.sendto(ip + tcp, (HOST, 0))
            sent += 1
        # Pace: never faster than `rate` per second.
        ahead = sent / rate - (time.monotonic() - t0)
        if ahead > 0:
            time.sleep(ahead)
        if time.monotonic() - t0 > 120:
            raise RuntimeError("flood took longer than 120 s (%d sent)" % sent)
    print("sent %d SYNs in %.1f s" % (sent, time.monotonic() - t0))


def pcap_frames(path):
    """The frames of a classic pcap file, in order."""
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    if magic in (0xA1B2C3D4, 0xA1B23C4D):
        order = "<"
    elif magic in (0xD4C3B2A1, 0x4D3CB2A1):
        order = ">"
    else:
        raise ValueError("%s: not a classic pcap file" % path)
    if struct.unpack(order + "I", data[20:24])[0] != 1:
        raise ValueError("%s: not Ethernet (link type 1)" % path)
    off = 24
    while off + 16 <= len(data):
        caplen = struct.unpack(order + "I", data[off + 8:off + 12])[0]
        if off + 16 + caplen > len(data):
            raise ValueError("%s: record at %d cut off" % (path, off))
        yield data[off + 16:off + 16 + caplen]
        off += 16 + caplen


def scenario_frames(path):
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    sock.bind(("lo", 0))
    n = 0
    for frame in pcap_frames(path):
        sock.send(frame)
        n += 1
    sock.close()
    print("sent %d frames" % n)


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    what = argv[1]
    try:
        if what == "close":
            scenario_close(argv[2], int(argv[3]))
        elif what == "rst":
            scenario_rst(int(argv[2]))
        elif what == "hold":
            scenario_hold(int(argv[2]), float(argv[3]))
        elif what == "keepalive":
            scenario_keepalive(int(argv[2]))
        elif what == "frames":
            scenario_frames(argv[2])
        elif what == "syn-flood":
            offset = int(argv[6]) if len(argv) > 6 and argv[5] == "--offset" else 0
            scenario_syn_flood(int(argv[2]), int(argv[3]), float(argv[4]), offset)
        else:
            sys.stderr.write("unknown scenario %s\n" % what)
            return 2
    except Exception as e:  # one line for the test log
        sys.stderr.write("%s: %s: %s\n" % (what, type(e).__name__, e))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
