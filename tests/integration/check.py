#!/usr/bin/env python3
"""check.py - assertions on a tcplint JSON report against its capture.

The integration tests (tests/integration/it_*.sh) run `tcplint analyze
--format json` on a capture they made and call this to check the flows of
one scenario, found by server port (and client port when given). Frame
numbers are not trusted to the tool: a selector such as first:server:FIN
is resolved by reading the capture here (a small classic-pcap reader, so
tshark is not needed), and cross-checked with tshark when it is installed.

Checks (all repeatable):
  --flows N                   exactly N flows match the ports (default 1)
  --expect PATH OP VALUE      on every matching flow; PATH is dotted
                              (keepalive.probes), OP one of = != >= <= > <,
                              VALUE a JSON literal, a string, a selector
                              (its frame), count:WHO:KIND[-N] (how many such
                              segments the capture has, minus N); "a|b" = either
  --state WHO:STATE[@SEL]     WHO's timeline has STATE (entered at frame SEL)
  --no-state WHO:STATE        WHO's timeline never has STATE
  --anomaly TYPE[:k=v,...]    some anomaly of TYPE whose fields match; v may
                              be a selector (frame=first:server:FIN), a|b
                              for either
  --forbid TYPE               no anomaly of TYPE
  --no-anomalies              no anomaly at all in the matching flows
  --summary PATH OP VALUE     on the report's summary object
  --capture-count WHO:KIND OP N  the capture has that many such segments
  --cut-before SEL OUT        write a copy of the capture cut before frame SEL
  --shape merged|crossed      the capture itself shows a three-way close
                              (second FIN carries the ACK) / crossing FINs

Selectors WHICH:WHO:KIND: WHICH is first, last or a 1-based index; WHO is
client or server (the sender); KIND is SYN, SYNACK, FIN, RST, DATA, ACK
(no data, no SYN/FIN/RST), KEEPALIVE (seq = next seq - 1, at most 1 byte)
ACKFIN (acknowledges the peer's FIN) or ANY. Exit 0 when every check passed, 1 otherwise (each failure printed,
with the flow as the tool reported it).
"""

import argparse
import json
import re
import shutil
import socket
import struct
import subprocess
import sys

# --- capture reading ----------------------------------------------------

FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10


def read_pcap(path):
    """Yield (frame, ts, src_ip, sport, dst_ip, dport, flags, seq, ack,
    payload_len) for each TCP packet; frame numbers count every record."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        raise ValueError("%s: not a pcap file" % path)
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        e = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = ">"
    else:
        raise ValueError("%s: not a classic pcap file (pcapng?)" % path)
    nano = magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
    linktype = struct.unpack(e + "I", data[20:24])[0] & 0x0FFFFFFF
    off, frame = 24, 0
    while off + 16 <= len(data):
        sec, frac, incl, _orig = struct.unpack(e + "IIII", data[off:off + 16])
        off += 16
        pkt = data[off:off + incl]
        off += incl
        frame += 1
        ts = sec + frac / (1e9 if nano else 1e6)
        tcp = decode(linktype, pkt)
        if tcp is not None:
            yield (frame, ts) + tcp


def decode(linktype, pkt):
    if linktype == 1:  # Ethernet
        if len(pkt) < 14:
            return None
        etype, l3 = struct.unpack("!H", pkt[12:14])[0], pkt[14:]
        while etype in (0x8100, 0x88A8) and len(l3) >= 4:
            etype, l3 = struct.unpack("!H", l3[2:4])[0], l3[4:]
    elif linktype == 113:  # Linux cooked v1
        if len(pkt) < 16:
            return None
        etype, l3 = struct.unpack("!H", pkt[14:16])[0], pkt[16:]
    elif linktype == 276:  # Linux cooked v2
        if len(pkt) < 20:
            return None
        etype, l3 = struct.unpack("!H", pkt[0:2])[0], pkt[20:]
    elif linktype in (101, 12, 228, 229):  # raw IP
        l3 = pkt
        etype = 0x86DD if l3 and l3[0] >> 4 == 6 else 0x0800
    else:
        return None
    if etype == 0x0800 and len(l3) >= 20:
        ihl = (l3[0] & 0x0F) * 4
        if l3[9] != 6 or len(l3) < ihl + 20:
            return None
        total = struct.unpack("!H", l3[2:4])[0]
        src = socket.inet_ntop(socket.AF_INET, l3[12:16])
        dst = socket.inet_ntop(socket.AF_INET, l3[16:20])
        seg, seg_total = l3[ihl:], total - ihl
    elif etype == 0x86DD and len(l3) >= 40:
        if l3[6] != 6 or len(l3) < 60:
            return None  # extension headers: not produced by the scenarios
        plen = struct.unpack("!H", l3[4:6])[0]
        src = socket.inet_ntop(socket.AF_INET6, l3[8:24])
        dst = socket.inet_ntop(socket.AF_INET6, l3[24:40])
        seg, seg_total = l3[40:], plen
    else:
        return None
    sport, dport, seq, ackn = struct.unpack("!HHII", seg[:12])
    doff = (seg[12] >> 4) * 4
    flags = seg[13]
    return (src, sport, dst, dport, flags, seq, ackn, max(0, seg_total - doff))


class Capture:
    """The segments of one flow (by server port and client port)."""

    def __init__(self, path, server_port, client_port):
        self.segs = []
        nxt = {}
        fin_end = {}
        for (frame, ts, src, sport, dst, dport, flags, seq, ackn, plen) in read_pcap(path):
            if dport == server_port and (client_port is None or sport == client_port):
                who, cport = "client", sport
            elif sport == server_port and (client_port is None or dport == client_port):
                who, cport = "server", dport
            else:
                continue
            key = (cport, who)
            end = (seq + plen + (1 if flags & SYN else 0) + (1 if flags & FIN else 0)) & 0xFFFFFFFF
            keepalive = (not flags & (SYN | FIN | RST) and plen <= 1 and key in nxt
                         and seq == (nxt[key] - 1) & 0xFFFFFFFF)
            peer = (cport, "server" if who == "client" else "client")
            acks_fin = bool(flags & ACK) and peer in fin_end and ackn == fin_end[peer]
            if flags & FIN and key not in fin_end:
                fin_end[key] = end
            if key not in nxt or ((end - nxt[key]) & 0xFFFFFFFF) < 0x80000000:
                if not keepalive:
                    nxt[key] = end
            self.segs.append(dict(frame=frame, ts=ts, who=who, cport=cport, flags=flags,
                                  seq=seq, ack=ackn, len=plen, keepalive=keepalive,
                                  acks_fin=acks_fin))

    @staticmethod
    def kind_matches(seg, kind):
        fl = seg["flags"]
        return {
            "ANY": True,
            "SYN": fl & (SYN | ACK) == SYN,
            "SYNACK": fl & (SYN | ACK) == SYN | ACK,
            "FIN": bool(fl & FIN),
            "RST": bool(fl & RST),
            "DATA": seg["len"] > 0 and not seg["keepalive"],
            "ACK": seg["len"] == 0 and not fl & (SYN | FIN | RST) and not seg["keepalive"],
            "KEEPALIVE": seg["keepalive"],
            "ACKFIN": seg["acks_fin"],
        }[kind]

    def select(self, selector, cport=None):
        which, who, kind = selector.split(":")
        kind = kind.upper()
        hits = [s for s in self.segs if s["who"] == who and self.kind_matches(s, kind)
                and (cport is None or s["cport"] == cport)]
        if not hits:
            raise LookupError("selector %s: no such segment in the capture" % selector)
        if which == "first":
            return hits[0]["frame"]
        if which == "last":
            return hits[-1]["frame"]
        i = int(which)
        if i > len(hits):
            raise LookupError("selector %s: only %d such segments" % (selector, len(hits)))
        return hits[i - 1]["frame"]

    def shape(self, what, cport):
        """Capture-only checks that the kernel did what the scenario meant:
        "merged": the passive closer's FIN acknowledges the first FIN and
        no bare ACK of it came first (three-way close); "crossed": neither
        side's first FIN acknowledges the other's (simultaneous close)."""
        segs = [s for s in self.segs if cport is None or s["cport"] == cport]
        fins = {}
        for s in segs:
            if s["flags"] & FIN and s["who"] not in fins:
                fins[s["who"]] = s
        if len(fins) != 2:
            return "the capture has FINs from %s only" % sorted(fins)
        first, second = sorted(fins.values(), key=lambda s: s["frame"])
        first_end = (first["seq"] + first["len"] + 1) & 0xFFFFFFFF
        acks_first = lambda s: s["flags"] & ACK and s["ack"] == first_end
        if what == "merged":
            bare = [s["frame"] for s in segs if s["who"] == second["who"]
                    and first["frame"] < s["frame"] < second["frame"] and acks_first(s)]
            if bare or not acks_first(second):
                return ("FIN of frame %d was acknowledged by frame(s) %s before the FIN of "
                        "frame %d (ack %d)" % (first["frame"], bare, second["frame"], second["ack"]))
        elif what == "crossed":
            second_end = (second["seq"] + second["len"] + 1) & 0xFFFFFFFF
            if acks_first(second) or (first["flags"] & ACK and first["ack"] == second_end):
                return "FINs of frames %d and %d did not cross" % (first["frame"], second["frame"])
        return None

    def count(self, who, kind, cport=None):
        return sum(1 for s in self.segs if s["who"] == who and self.kind_matches(s, kind.upper())
                   and (cport is None or s["cport"] == cport))


def cut_pcap(path, frame, out):
    """Copy the classic pcap at path to out, keeping frames 1..frame-1."""
    with open(path, "rb") as f:
        data = f.read()
    e = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    off, n = 24, 0
    while off + 16 <= len(data) and n < frame - 1:
        incl = struct.unpack(e + "I", data[off + 8:off + 12])[0]
        off += 16 + incl
        n += 1
    with open(out, "wb") as f:
        f.write(data[:off])


def tshark_crosscheck(path, cap, server_port):
    """Frame numbers and flags of our reader must agree with tshark's."""
    if not shutil.which("tshark"):
        return []
    try:
        out = subprocess.run(
            ["tshark", "-n", "-r", path, "-Y", "tcp.port == %d" % server_port, "-T", "fields",
             "-e", "frame.number", "-e", "tcp.srcport", "-e", "tcp.flags",
             "-e", "tcp.analysis.keep_alive"],
            capture_output=True, text=True, timeout=60, check=True).stdout
    except (subprocess.SubprocessError, OSError) as e:
        return ["tshark failed: %s" % e]
    theirs = {}
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) >= 3 and parts[0]:
            theirs[int(parts[0])] = (int(parts[1]), int(parts[2], 16) & 0xFF,
                                     len(parts) > 3 and parts[3] != "")
    ours = {s["frame"]: (server_port if s["who"] == "server" else s["cport"], s["flags"],
                         s["keepalive"]) for s in cap.segs}
    if ours != theirs:
        diff = sorted(set(ours.items()) ^ set(theirs.items()))[:6]
        return ["capture reader disagrees with tshark (frame, (sport, flags, keepalive)): %s"
                % diff]
    return []


# --- report checks --------------------------------------------------------

OPS = {
    "=": lambda a, b: a == b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b,
    ">=": lambda a, b: a >= b, "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b, "<": lambda a, b: a < b,
}


def parse_value(text):
    try:
        return json.loads(text)
    except ValueError:
        return text


def lookup(obj, path):
    for part in path.split("."):
        if isinstance(obj, dict) and part in obj:
            obj = obj[part]
        elif isinstance(obj, list) and part.isdigit() and int(part) < len(obj):
            obj = obj[int(part)]
        else:
            raise KeyError(path)
    return obj


def compare(obj, path, op, value, cap=None, cport=None):
    """None when the check holds, else the reason."""
    try:
        got = lookup(obj, path)
    except KeyError:
        return "%s is missing" % path
    texts = value.split("|") if op in ("=", "==") else [value]
    try:
        alternatives = [resolve(v, cap, cport) if cap else parse_value(v) for v in texts]
    except LookupError as e:
        return str(e)
    try:
        if any(OPS[op](got, v) for v in alternatives):
            return None
    except TypeError:
        pass
    return "%s is %s, expected %s %s" % (path, json.dumps(got), op, value)


def main(argv):
    p = argparse.ArgumentParser(description="check a tcplint JSON report")
    p.add_argument("--report", help="without it, only the capture checks run")
    p.add_argument("--tshark", action="store_true",
                   help="capture check: this reader agrees with tshark (when installed)")
    p.add_argument("--capture", required=True)
    p.add_argument("--server-port", type=int, required=True)
    p.add_argument("--client-port", type=int)
    p.add_argument("--flows", type=int, default=1)
    p.add_argument("--expect", nargs=3, action="append", default=[], metavar=("PATH", "OP", "VALUE"))
    p.add_argument("--summary", nargs=3, action="append", default=[], metavar=("PATH", "OP", "VALUE"))
    p.add_argument("--state", action="append", default=[])
    p.add_argument("--no-state", action="append", default=[])
    p.add_argument("--anomaly", action="append", default=[])
    p.add_argument("--forbid", action="append", default=[])
    p.add_argument("--no-anomalies", action="store_true")
    p.add_argument("--capture-count", nargs=3, action="append", default=[],
                   metavar=("WHO:KIND", "OP", "N"), help="capture check: how many such segments")
    p.add_argument("--cut-before", nargs=2, metavar=("SELECTOR", "OUT"),
                   help="write a copy of the capture without the selected frame and all after it")
    p.add_argument("--shape", choices=("merged", "crossed"),
                   help="capture check: the close really was three-way / simultaneous")
    p.add_argument("--quiet-flow", action="store_true", help="do not print the flow on failure")
    a = p.parse_args(argv)

    failures = []
    cap = Capture(a.capture, a.server_port, a.client_port)
    if a.tshark:
        failures += tshark_crosscheck(a.capture, cap, a.server_port)
    for spec, op, value in a.capture_count:
        who, _, kind = spec.partition(":")
        n = cap.count(who, kind, a.client_port)
        if not OPS[op](n, int(value)):
            failures.append("capture: %d %s segments from the %s, expected %s %s"
                            % (n, kind, who, op, value))
    if a.shape:
        why = cap.shape(a.shape, a.client_port)
        if why:
            failures.append("capture: " + why)
    if a.cut_before:
        try:
            cut_pcap(a.capture, cap.select(a.cut_before[0], a.client_port), a.cut_before[1])
        except (LookupError, OSError) as e:
            failures.append("cannot cut the capture: %s" % e)
    if a.report is None:
        for msg in failures:
            print(msg)
        return 1 if failures else 0
    try:
        with open(a.report) as f:
            report = json.load(f)
    except (OSError, ValueError) as e:
        print("cannot read the report %s: %s" % (a.report, e))
        return 1

    for path, op, value in a.summary:
        why = compare(report.get("summary", {}), path, op, value)
        if why:
            failures.append("summary: " + why)

    flows = [fl for fl in report.get("flows", [])
             if lookup_port(fl, "server") == a.server_port
             and (a.client_port is None or lookup_port(fl, "client") == a.client_port)]
    if len(flows) != a.flows:
        others = [(lookup_port(fl, "client"), lookup_port(fl, "server"))
                  for fl in report.get("flows", [])]
        failures.append("%d flows with server port %d%s, expected %d (flows as client/server "
                        "ports: %s)" % (len(flows), a.server_port,
                                        "" if a.client_port is None else
                                        " and client port %d" % a.client_port,
                                        a.flows, others[:10]))

    bad_flows = []
    for fl in flows:
        cport = lookup_port(fl, "client")
        mine = []
        for path, op, value in a.expect:
            why = compare(fl, path, op, value, cap, a.client_port or cport)
            if why:
                mine.append(why)
        for spec in a.state:
            mine += check_state(fl, spec, cap, a.client_port or cport, present=True)
        for spec in a.no_state:
            mine += check_state(fl, spec, cap, a.client_port or cport, present=False)
        anomalies = fl.get("anomalies")
        if not isinstance(anomalies, list):
            mine.append("anomalies array missing")
            anomalies = []
        if a.no_anomalies and anomalies:
            mine.append("expected no anomalies, got %s" % brief(anomalies))
        for t in a.forbid:
            hits = [x for x in anomalies if x.get("type") == t]
            if hits:
                mine.append("unexpected %s: %s" % (t, brief(hits)))
        for spec in a.anomaly:
            mine += check_anomaly(anomalies, spec, cap, a.client_port or cport)
        if mine:
            bad_flows.append(fl)
            prefix = "flow %s (client port %s): " % (fl.get("id"), cport)
            failures += [prefix + m for m in mine]

    for msg in failures[:40]:
        print(msg)
    if len(failures) > 40:
        print("... and %d more" % (len(failures) - 40))
    if bad_flows and not a.quiet_flow:
        print("tool's record of the first failing flow:")
        print(json.dumps(bad_flows[0], indent=1)[:6000])
    return 1 if failures else 0


def lookup_port(fl, who):
    try:
        return int(fl[who]["port"])
    except (KeyError, TypeError, ValueError):
        return None


def brief(anomalies):
    return ", ".join("%s@%s(%s)" % (x.get("type"), x.get("frame"), x.get("endpoint"))
                     for x in anomalies[:8])


def resolve(value, cap, cport):
    """A selector (first:server:FIN) becomes its frame number, count:WHO:KIND
    the number of such segments in the capture; anything else is a literal."""
    m = SELECTOR.match(value) if isinstance(value, str) else None
    if m and m.group(1) == "count":
        return cap.count(m.group(2), m.group(3), cport) - int(m.group(4) or 0)
    if m:
        return cap.select(value, cport)
    return parse_value(value)


SELECTOR = re.compile(r"^(first|last|count|[0-9]+):(client|server):"
                      r"(ANY|SYN|SYNACK|FIN|RST|DATA|ACK|ACKFIN|KEEPALIVE)(?:-([0-9]+))?$", re.IGNORECASE)


def check_state(fl, spec, cap, cport, present):
    who, _, rest = spec.partition(":")
    state, _, sel = rest.partition("@")
    timeline = fl.get("states", {}).get(who)
    if not isinstance(timeline, list):
        return ["states.%s missing" % who]
    entries = [e for e in timeline if e.get("state") == state]
    if not present:
        return ["%s passed through %s (frames %s)" % (who, state, [e.get("frame") for e in entries])] \
            if entries else []
    if not entries:
        return ["%s never entered %s: %s" % (who, state,
                                             [(e.get("frame"), e.get("state")) for e in timeline])]
    if sel:
        try:
            want = cap.select(sel, cport)
        except LookupError as e:
            return [str(e)]
        if all(e.get("frame") != want for e in entries):
            return ["%s entered %s at frame(s) %s, expected frame %d (%s)"
                    % (who, state, [e.get("frame") for e in entries], want, sel)]
    return []


def check_anomaly(anomalies, spec, cap, cport):
    atype, _, rest = spec.partition(":")
    want = {}
    for kv in filter(None, rest.split(",")):
        k, _, v = kv.partition("=")
        try:
            want[k] = [resolve(alt, cap, cport) for alt in v.split("|")]
        except LookupError as e:
            return [str(e)]
    same = [x for x in anomalies if x.get("type") == atype]
    if not same:
        return ["no %s anomaly (anomalies: %s)" % (atype, brief(anomalies) or "none")]
    for x in same:
        if all(x.get(k) in v for k, v in want.items()):
            return []
    return ["%s anomaly does not match %s: got %s" % (atype, want, brief(same))]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
