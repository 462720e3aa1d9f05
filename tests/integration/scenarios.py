#!/usr/bin/env python3
"""scenarios.py - real-kernel TCP traffic for tcplint's integration tests.

Each subcommand plays one scenario between a client and a server on the
loopback (127.0.0.1 or ::1) of the network namespace the test runs it in, on
a fixed server port (--port) so the test finds the flow in its capture. It
prints one JSON line: the scenario, the ports it used and what the sockets
saw, so the test can tell a scenario that went as planned from one that did
not. Exit status 0 when the scenario went as planned, 1 otherwise.

Only the standard library; every socket has a timeout and every loop a bound.
Scenarios that drop packets call nft on table "inet tl" (chains "in" and
"out"), which tests/integration/lib.sh creates (tl_nft_init).
"""

import argparse
import errno
import json
import os
import socket
import struct
import subprocess
import sys
import threading
import time

TIMEOUT_S = 10.0
NFT_TABLE = ["inet", "tl"]

# /proc/net/tcp state codes (include/net/tcp_states.h).
PROC_TCP_STATES = {
    1: "ESTABLISHED", 2: "SYN_SENT", 3: "SYN_RECV", 4: "FIN_WAIT1",
    5: "FIN_WAIT2", 6: "TIME_WAIT", 7: "CLOSE", 8: "CLOSE_WAIT",
    9: "LAST_ACK", 10: "LISTEN", 11: "CLOSING",
}


class ScenarioError(Exception):
    pass


def family_of(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def listener(host, port, backlog=16):
    s = socket.socket(family_of(host), socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((host, port))
    s.listen(backlog)
    s.settimeout(TIMEOUT_S)
    return s


def connect(host, port, timeout=TIMEOUT_S, opts=None):
    c = socket.socket(family_of(host), socket.SOCK_STREAM)
    for level, name, value in opts or []:
        c.setsockopt(level, name, value)
    c.settimeout(timeout)
    c.connect((host, port))
    return c


def accept(srv):
    conn, _ = srv.accept()
    conn.settimeout(TIMEOUT_S)
    return conn


def recv_exact(s, n):
    buf = b""
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            raise ScenarioError("EOF after %d of %d bytes" % (len(buf), n))
        buf += chunk
    return buf


def recv_until_eof(s, limit=1 << 24):
    total = 0
    while total < limit:
        chunk = s.recv(65536)
        if not chunk:
            return total
        total += len(chunk)
    raise ScenarioError("no EOF after %d bytes" % total)


def linger_abort(s):
    """close() with SO_LINGER {on, 0}: the kernel sends RST, not FIN."""
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


def run_thread(fn, *args):
    """Run fn in a thread; join() re-raises its exception."""
    box = {}

    def body():
        try:
            box["value"] = fn(*args)
        except BaseException as e:  # noqa: BLE001 - handed to the joiner
            box["error"] = e

    t = threading.Thread(target=body, daemon=True)
    t.start()

    def join(timeout=TIMEOUT_S * 2):
        t.join(timeout)
        if t.is_alive():
            raise ScenarioError("%s did not finish in %.0f s" % (fn.__name__, timeout))
        if "error" in box:
            raise box["error"]
        return box.get("value")

    return join


def nft(*args):
    subprocess.run(["nft"] + list(args), check=True, timeout=5)


def nft_drop(chain, match):
    """Add a drop rule to chain "in" or "out" of table inet tl."""
    nft("add", "rule", *NFT_TABLE, chain, *match.split(), "drop")


def nft_flush():
    nft("flush", "chain", *NFT_TABLE, "in")
    nft("flush", "chain", *NFT_TABLE, "out")


def proc_tcp_states(port_a, port_b):
    """States of the sockets whose local and remote ports are {a, b}, from
    /proc/net/tcp{,6} of this namespace (time-wait sockets included)."""
    found = []
    for path in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(path) as f:
                lines = f.readlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) < 4:
                continue
            lport = int(fields[1].rsplit(":", 1)[1], 16)
            rport = int(fields[2].rsplit(":", 1)[1], 16)
            if {lport, rport} == {port_a, port_b} and lport != rport:
                found.append((lport, PROC_TCP_STATES.get(int(fields[3], 16), "?")))
    return found


def wait_for(pred, seconds, step=0.02):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(step)
    return pred()


# --- scenarios --------------------------------------------------------------
# Each returns a dict merged into the JSON line.

def sc_client_close(a):
    """Four-way close, client first: the server waits 0.3 s after EOF, so its
    delayed ACK of the client's FIN goes out before its own FIN."""
    srv = listener(a.host, a.port)

    def server():
        conn = accept(srv)
        recv_exact(conn, 5)
        conn.sendall(b"world")
        n = recv_until_eof(conn)
        time.sleep(0.3)
        conn.close()
        return n

    join = run_thread(server)
    c = connect(a.host, a.port)
    cport = c.getsockname()[1]
    c.sendall(b"hello")
    recv_exact(c, 5)
    c.close()
    join()
    srv.close()
    return {"client_port": cport}


def sc_server_close(a):
    """Four-way close, server first: the client waits 0.3 s after EOF."""
    srv = listener(a.host, a.port)

    def server():
        conn = accept(srv)
        recv_exact(conn, 5)
        conn.sendall(b"world")
        conn.close()

    join = run_thread(server)
    c = connect(a.host, a.port)
    cport = c.getsockname()[1]
    c.sendall(b"hello")
    recv_exact(c, 5)
    if recv_until_eof(c) != 0:
        raise ScenarioError("data after the response")
    time.sleep(0.3)
    c.close()
    join()
    srv.close()
    return {"client_port": cport}


def sc_three_way(a):
    """Client closes; the server closes as soon as it reads EOF. Receiving a
    FIN puts Linux in delayed-ACK (pingpong) mode, so the ACK of the client's
    FIN is still pending when the server's FIN leaves: FIN/ACK merged. The
    server thread waits for EOF at real-time priority, so it closes well
    within the 40 ms delayed-ACK timer even on a loaded machine."""
    srv = listener(a.host, a.port)

    def server():
        conn = accept(srv)
        recv_exact(conn, 5)
        conn.sendall(b"world")
        realtime(None)
        try:
            recv_until_eof(conn)
            conn.close()
        finally:
            normal_priority()

    join = run_thread(server)
    c = connect(a.host, a.port)
    cport = c.getsockname()[1]
    c.sendall(b"hello")
    recv_exact(c, 5)
    c.close()
    join()
    srv.close()
    return {"client_port": cport}


def realtime(cpu):
    """Pin this process to cpu and give it a real-time (SCHED_FIFO) priority
    for the few milliseconds it spins, so a loaded machine cannot preempt
    one side of the race; quietly does less when not allowed."""
    if cpu is not None:
        try:
            os.sched_setaffinity(0, {cpu})
        except OSError:
            pass
    try:
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(10))
    except (OSError, AttributeError):
        pass


def normal_priority():
    try:
        os.sched_setscheduler(0, os.SCHED_OTHER, os.sched_param(0))
    except (OSError, AttributeError):
        pass
    try:
        os.sched_setaffinity(0, range(os.cpu_count() or 1))
    except OSError:
        pass


def _simultaneous_once(host, port, cpus):
    """One attempt: both ends call shutdown(SHUT_WR) at the same instant from
    two processes (pinned to two CPUs at real-time priority, spinning on a
    shared deadline of at most 30 ms).
    Returns (client_port, states) where states are the /proc/net/tcp states
    of both ends once the close is over."""
    srv = listener(host, port)
    c = connect(host, port)
    s = accept(srv)
    srv.close()
    cport = c.getsockname()[1]
    # Exchange data so both ends have left quickack start-up alike.
    c.sendall(b"hello")
    recv_exact(s, 5)
    s.sendall(b"world")
    recv_exact(c, 5)
    time.sleep(0.05)
    # Real-time before fork(), so the child inherits it and runs at once.
    realtime(None)
    go = time.monotonic() + 0.03
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            c.close()
            realtime(cpus[1] if cpus else None)
            while time.monotonic() < go:
                pass
            s.shutdown(socket.SHUT_WR)
            normal_priority()
            recv_until_eof(s)
            time.sleep(0.1)
            s.close()
        except BaseException:  # noqa: BLE001 - child must not return
            code = 1
        os._exit(code)
    realtime(cpus[0] if cpus else None)
    while time.monotonic() < go:
        pass
    c.shutdown(socket.SHUT_WR)
    normal_priority()
    s.close()
    recv_until_eof(c)
    _, status = os.waitpid(pid, 0)
    time.sleep(0.1)
    c.close()
    if status != 0:
        raise ScenarioError("server process failed")
    wait_for(lambda: all(st in ("TIME_WAIT", "CLOSE") for _, st in proc_tcp_states(port, cport)), 1.0)
    return cport, sorted(proc_tcp_states(port, cport))


def sc_simultaneous(a):
    """Simultaneous close: the FINs cross, both ends go through CLOSING and
    both end in TIME_WAIT (seen in /proc/net/tcp). Racy on purpose (real
    kernels, real timing): up to --tries attempts, each on the next port;
    the JSON line names the port of the attempt that crossed."""
    try:
        allowed = sorted(os.sched_getaffinity(0))
    except AttributeError:
        allowed = []
    cpus = allowed[:2] if len(allowed) >= 2 else None
    attempts = []
    for i in range(a.tries):
        port = a.port + i
        cport, states = _simultaneous_once(a.host, port, cpus)
        both_tw = len(states) == 2 and all(st == "TIME_WAIT" for _, st in states)
        attempts.append({"server_port": port, "client_port": cport, "states": states})
        if both_tw:
            return {"server_port": port, "client_port": cport, "tries": i + 1,
                    "attempts": attempts}
    raise ScenarioError("FINs never crossed in %d tries: %s" % (a.tries, attempts))


def sc_half_close(a):
    """Half-close with data: the client sends a request and shutdown(SHUT_WR);
    the server keeps sending 3 x 1000 bytes, then closes."""
    srv = listener(a.host, a.port)

    def server():
        conn = accept(srv)
        got = recv_until_eof(conn)
        for _ in range(3):
            conn.sendall(b"x" * 1000)
            time.sleep(0.05)
        time.sleep(0.05)
        conn.close()
        return got

    join = run_thread(server)
    c = connect(a.host, a.port)
    cport = c.getsockname()[1]
    c.sendall(b"request")
    c.shutdown(socket.SHUT_WR)
    got = recv_until_eof(c)
    c.close()
    if join() != 7 or got != 3000:
        raise ScenarioError("half-close lost data: server got %s, client %d" % (join(), got))
    srv.close()
    return {"client_port": cport, "client_bytes": 7, "server_bytes": 3000}


def sc_abort(a):
    """The client aborts an established connection: SO_LINGER {1, 0} and
    close() make the kernel send RST instead of FIN."""
    srv = listener(a.host, a.port)

    def server():
        conn = accept(srv)
        recv_exact(conn, 5)
        conn.sendall(b"world")
        try:
            n = conn.recv(100)
            err = "eof" if not n else "data"
        except ConnectionResetError:
            err = "reset"
        conn.close()
        return err

    join = run_thread(server)
    c = connect(a.host, a.port)
    cport = c.getsockname()[1]
    c.sendall(b"hello")
    recv_exact(c, 5)
    time.sleep(0.1)
    linger_abort(c)
    seen = join()
    srv.close()
    if seen != "reset":
        raise ScenarioError("server saw %s, not a reset" % seen)
    return {"client_port": cport}


def sc_unread_close(a):
    """The server closes with unread data in its receive queue: Linux sends
    RST, not FIN (RFC 2525 2.17, RFC 9293 3.10.4 note)."""
    srv = listener(a.host, a.port)

    def server():
        conn = accept(srv)
        recv_exact(conn, 5)
        conn.sendall(b"world")
        # Wait until the client's second request has arrived, unread.
        time.sleep(0.2)
        conn.close()

    join = run_thread(server)
    c = connect(a.host, a.port)
    cport = c.getsockname()[1]
    c.sendall(b"hello")
    recv_exact(c, 5)
    c.sendall(b"more data the server never reads")
    join()
    try:
        n = c.recv(100)
        seen = "eof" if not n else "data"
    except ConnectionResetError:
        seen = "reset"
    c.close()
    srv.close()
    if seen != "reset":
        raise ScenarioError("client saw %s, not a reset" % seen)
    return {"client_port": cport}


def sc_closed_port(a):
    """Connect to a port nobody listens on: SYN answered by RST."""
    c = socket.socket(family_of(a.host), socket.SOCK_STREAM)
    c.settimeout(TIMEOUT_S)
    try:
        c.connect((a.host, a.port))
    except ConnectionRefusedError:
        cport = c.getsockname()[1] if c.fileno() >= 0 else None
        c.close()
        return {"client_port": cport, "refused": True}
    c.close()
    raise ScenarioError("connect to closed port %d succeeded" % a.port)


def sc_syn_dropped(a):
    """A listener whose incoming SYNs an nftables input rule drops: the client
    retransmits its SYN tcp_syn_retries times, then connect() fails."""
    srv = listener(a.host, a.port)
    nft_drop("in", "tcp dport %d tcp flags & (syn|ack) == syn" % a.port)
    c = socket.socket(family_of(a.host), socket.SOCK_STREAM)
    c.settimeout(a.timeout)
    t0 = time.monotonic()
    err = None
    try:
        c.connect((a.host, a.port))
    except (TimeoutError, socket.timeout):
        err = "timeout"
    except OSError as e:
        err = errno.errorcode.get(e.errno, str(e.errno))
    cport = c.getsockname()[1]
    c.close()
    nft_flush()
    srv.close()
    if err is None:
        raise ScenarioError("connect succeeded through the drop rule")
    return {"client_port": cport, "error": err,
            "gave_up_after_s": round(time.monotonic() - t0, 3)}


def sc_concurrent(a):
    """N clients at once, each: connect, request, response, close (client
    first); the server closes on EOF. All clean closes."""
    n = a.count
    srv = listener(a.host, a.port, backlog=max(n, 16))
    errors = []
    lock = threading.Lock()

    def serve(conn):
        try:
            conn.settimeout(TIMEOUT_S)
            recv_exact(conn, 5)
            conn.sendall(b"world")
            recv_until_eof(conn)
        except BaseException as e:  # noqa: BLE001
            with lock:
                errors.append("server: %r" % e)
        finally:
            conn.close()

    def acceptor():
        workers = []
        for _ in range(n):
            conn, _ = srv.accept()
            t = threading.Thread(target=serve, args=(conn,), daemon=True)
            t.start()
            workers.append(t)
        for t in workers:
            t.join(TIMEOUT_S)

    ports = []
    start = threading.Barrier(n, timeout=TIMEOUT_S)

    def client():
        try:
            start.wait()
            c = connect(a.host, a.port)
            with lock:
                ports.append(c.getsockname()[1])
            c.sendall(b"hello")
            recv_exact(c, 5)
            c.close()
        except BaseException as e:  # noqa: BLE001
            with lock:
                errors.append("client: %r" % e)

    join = run_thread(acceptor)
    clients = [threading.Thread(target=client, daemon=True) for _ in range(n)]
    for t in clients:
        t.start()
    for t in clients:
        t.join(TIMEOUT_S * 2)
    join(TIMEOUT_S * 3)
    srv.close()
    if errors or len(ports) != n:
        raise ScenarioError("%d connections, errors: %s" % (len(ports), errors[:5]))
    return {"connections": n, "client_ports": sorted(ports)}


def sc_missing_ack(a):
    """The active closer's final ACKs are lost: after the client's FIN has
    been acknowledged, an output rule drops everything the client sends to
    the server, so the ACK of the server's FIN never appears in the capture
    and the server retransmits its FIN. After --drop-for seconds the rule
    goes; the client, in TIME_WAIT, ACKs the next retransmission."""
    srv = listener(a.host, a.port)
    drop_on = threading.Event()

    def server():
        conn = accept(srv)
        recv_exact(conn, 5)
        conn.sendall(b"world")
        recv_until_eof(conn)
        drop_on.wait(TIMEOUT_S)
        conn.close()

    join = run_thread(server)
    c = connect(a.host, a.port)
    cport = c.getsockname()[1]
    c.sendall(b"hello")
    recv_exact(c, 5)
    c.close()
    # Let the server's delayed ACK of our FIN go out first.
    time.sleep(0.3)
    nft_drop("out", "tcp sport %d tcp dport %d" % (cport, a.port))
    drop_on.set()
    join()
    time.sleep(a.drop_for)
    nft_flush()
    # Wait (bounded) until the server's LAST_ACK socket is gone.
    done = wait_for(lambda: all(st != "LAST_ACK" for _, st in proc_tcp_states(a.port, cport)), 6.0)
    srv.close()
    if not done:
        raise ScenarioError("server still in LAST_ACK: %s" % proc_tcp_states(a.port, cport))
    return {"client_port": cport}


def ticker(host, port, seconds, stop):
    """A second connection (server port `port`) that carries one byte every
    0.5 s for `seconds`, so a capture cut short still runs on in time."""
    srv = listener(host, port)
    c = connect(host, port)
    s = accept(srv)
    srv.close()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not stop.is_set():
        c.sendall(b".")
        recv_exact(s, 1)
        stop.wait(0.5)
    c.close()
    recv_until_eof(s)
    s.close()


def sc_close_wait(a):
    """The client closes; the server reads EOF but keeps the socket open
    (never calls close()) for --hold seconds: it lingers in CLOSE_WAIT.
    --ticker PORT adds a connection that sends a byte every 0.5 s meanwhile
    (so a copy of the capture cut before the server's FIN still spans the
    hold: CLOSE_WAIT at the end of the capture)."""
    srv = listener(a.host, a.port)
    stop = threading.Event()
    tick = run_thread(ticker, a.host, a.ticker, a.hold, stop) if a.ticker else None

    def server():
        conn = accept(srv)
        recv_exact(conn, 5)
        conn.sendall(b"world")
        recv_until_eof(conn)
        time.sleep(a.hold)
        conn.close()

    join = run_thread(server)
    c = connect(a.host, a.port)
    cport = c.getsockname()[1]
    c.sendall(b"hello")
    recv_exact(c, 5)
    c.close()
    join(TIMEOUT_S + a.hold)
    if tick:
        stop.set()
        tick()
    srv.close()
    return {"client_port": cport, "held_s": a.hold}


def sc_keepalive(a):
    """A client with SO_KEEPALIVE, TCP_KEEPIDLE=1, TCP_KEEPINTVL=1,
    TCP_KEEPCNT=4 on an idle connection. With --drop-answers an output rule
    drops everything the server sends from then on, so no probe is answered
    (in the capture or at the client) and the client gives up with
    ETIMEDOUT; the capture then ends in silence. Without it the probes are
    answered for --idle seconds and the client closes normally."""
    srv = listener(a.host, a.port)
    opts = [(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1),
            (socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1),
            (socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1),
            (socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 4)]
    finished = threading.Event()

    def server():
        conn = accept(srv)
        recv_exact(conn, 5)
        conn.sendall(b"world")
        finished.wait(TIMEOUT_S * 2)
        if not a.drop_answers:
            recv_until_eof(conn)
        return conn

    join = run_thread(server)
    c = connect(a.host, a.port, opts=opts)
    cport = c.getsockname()[1]
    c.sendall(b"hello")
    recv_exact(c, 5)
    time.sleep(0.1)
    result = {"client_port": cport}
    if a.drop_answers:
        nft_drop("out", "tcp sport %d tcp dport %d" % (a.port, cport))
        c.settimeout(TIMEOUT_S)
        t0 = time.monotonic()
        try:
            c.recv(100)
            outcome = "data"
        except TimeoutError as e:
            outcome = "timeout" if e.errno == errno.ETIMEDOUT else "socket-timeout"
        except OSError as e:
            outcome = errno.errorcode.get(e.errno, str(e.errno))
        result.update(outcome=outcome, died_after_s=round(time.monotonic() - t0, 3))
        c.close()
        finished.set()
        conn = join()
        # The server's FIN is dropped too (never captured): the capture ends
        # with the client's unanswered probes.
        conn.close()
        if outcome not in ("timeout", "ETIMEDOUT"):
            raise ScenarioError("client did not time out: %s" % outcome)
    else:
        time.sleep(a.idle)
        c.close()
        finished.set()
        join().close()
    srv.close()
    return result


def sc_zero_window(a):
    """The server (SO_RCVBUF 4096) does not read for --hold seconds while
    the client sends 1 MiB: its window closes, and the client's persist
    timer probes it (Linux: 0 bytes at snd_una - 1, the shape of a
    keepalive, backing off from 200 ms); then the server reads everything
    and both close. The client has no SO_KEEPALIVE."""
    srv = listener(a.host, a.port)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)

    def server():
        conn = accept(srv)
        time.sleep(a.hold)
        n = recv_until_eof(conn)
        conn.close()
        return n

    join = run_thread(server)
    c = connect(a.host, a.port,
                opts=[(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)])
    cport = c.getsockname()[1]
    c.sendall(b"Z" * (1 << 20))
    c.shutdown(socket.SHUT_WR)
    recv_until_eof(c)
    c.close()
    got = join()
    srv.close()
    if got != 1 << 20:
        raise ScenarioError("server read %s bytes, not 1 MiB" % got)
    return {"client_port": cport}


SCENARIOS = {
    "client-close": (sc_client_close, 5001),
    "server-close": (sc_server_close, 5002),
    "three-way": (sc_three_way, 5003),
    "simultaneous": (sc_simultaneous, 5400),
    "half-close": (sc_half_close, 5005),
    "abort": (sc_abort, 5006),
    "closed-port": (sc_closed_port, 5007),
    "syn-dropped": (sc_syn_dropped, 5008),
    "concurrent": (sc_concurrent, 5010),
    "missing-ack": (sc_missing_ack, 5101),
    "unread-close": (sc_unread_close, 5103),
    "close-wait": (sc_close_wait, 5104),
    "keepalive": (sc_keepalive, 5105),
    "zero-window": (sc_zero_window, 5107),
}


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("scenario", choices=sorted(SCENARIOS))
    p.add_argument("--host", default="127.0.0.1", help="127.0.0.1 or ::1")
    p.add_argument("--port", type=int, help="server port (default per scenario)")
    p.add_argument("--count", type=int, default=200, help="concurrent: connections")
    p.add_argument("--tries", type=int, default=30, help="simultaneous: attempts")
    p.add_argument("--timeout", type=float, default=TIMEOUT_S, help="syn-dropped: connect timeout")
    p.add_argument("--drop-for", type=float, default=1.0, help="missing-ack: seconds the ACKs are dropped")
    p.add_argument("--hold", type=float, default=3.0, help="close-wait: seconds in CLOSE_WAIT; zero-window: seconds the server does not read")
    p.add_argument("--ticker", type=int, help="close-wait: server port of a ticking second connection")
    p.add_argument("--idle", type=float, default=3.5, help="keepalive: idle seconds (answered)")
    p.add_argument("--drop-answers", action="store_true", help="keepalive: drop the server's answers")
    a = p.parse_args(argv)
    fn, default_port = SCENARIOS[a.scenario]
    if a.port is None:
        a.port = default_port
    out = {"scenario": a.scenario, "host": a.host, "server_port": a.port}
    t0 = time.monotonic()
    try:
        out.update(fn(a))
        out["ok"] = True
    except (ScenarioError, OSError, subprocess.SubprocessError) as e:
        out.update(ok=False, error="%s: %s" % (type(e).__name__, e))
    out["duration_s"] = round(time.monotonic() - t0, 3)
    print(json.dumps(out), flush=True)
    return 0 if out["ok"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
