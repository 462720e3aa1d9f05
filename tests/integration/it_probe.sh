#!/bin/bash
# it_probe.sh - `tcplint probe` against real Linux TCP servers.
#
# In a private network namespace (lib.sh), a python3 server listens on
# 127.0.0.1 (and ::1) with one behaviour per port; each scenario of the probe
# runs against it and the verdicts must be what Linux does:
#   fin-ack            Linux ACKs our FIN and, when the application closes
#                      on EOF, sends its own FIN (usually in the same F.
#                      segment; a separate ACK first when the application
#                      is slow to close)
#   withhold-last-ack  Linux retransmits its FIN from LAST_ACK with
#                      exponential back-off (RTO 200 ms minimum on lo:
#                      ~0.2, 0.4, 0.8 s apart) and stops once ACKed
#   keepalive          Linux answers every probe (0 or 1 byte) with an ACK,
#                      0-byte ones at most once per 500 ms (tcp_invalid_ratelimit)
#   replay             a recorded echo exchange replays cleanly against the
#                      echo server and diverges (missing data) against a
#                      server that does not echo
# plus the policy: no RST from the probe host's kernel reaches the wire
# (the nftables guard), the guard's table is removed afterwards, a closed
# port is an error (exit 2), a non-loopback destination is refused (exit 2,
# nothing sent), and a server that never closes deviates (exit 1).
# Needs root; exits 77 (skipped) otherwise. About 20 s.
set -u
. "$(dirname "$0")/lib.sh"

tl_init probe
tl_need_tool nft
"$TCPLINT" probe --help >/dev/null 2>&1 ||
	tl_skip "'tcplint probe' is not available in this build (cli/main.c does not dispatch it)"

PORT_CLOSE=8101   # reads until EOF, then closes
PORT_ECHO=8102    # echoes until EOF, then closes
PORT_HOLD=8103    # reads until EOF, keeps the socket open 15 s
PORT_NONE=8109    # nothing listens

cat >"$TL_DIR/server.py" <<'EOF'
import socket, sys, threading, time
modes = {8101: "close", 8102: "echo", 8103: "hold"}
deadline = time.time() + 55

def handle(c, mode):
    c.settimeout(20)
    try:
        while True:
            d = c.recv(4096)
            if not d:
                break
            if mode == "echo":
                c.sendall(d)
        if mode == "hold":
            time.sleep(15)
    except OSError:
        pass
    c.close()

def serve(family, addr, port, mode):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(16)
    s.settimeout(1)
    while time.time() < deadline:
        try:
            c, _ = s.accept()
        except socket.timeout:
            continue
        threading.Thread(target=handle, args=(c, mode), daemon=True).start()

threads = [threading.Thread(target=serve, args=(socket.AF_INET, "127.0.0.1", p, m), daemon=True)
           for p, m in modes.items()]
threads.append(threading.Thread(target=serve, args=(socket.AF_INET6, "::1", 8101, "close"), daemon=True))
for t in threads:
    t.start()
while time.time() < deadline:
    time.sleep(0.5)
EOF

tl_bg SERVER_PID "$TL_PY" "$TL_DIR/server.py"
n=0
until tl_ns ss -tln | grep -q ":$PORT_HOLD "; do
	n=$((n + 1))
	[ $n -lt 150 ] || tl_skip "the python3 server did not start within 15 s"
	sleep 0.1
done

# pj FILE EXPR: a Python expression over the JSON report d must be true.
pj() {
	"$TL_PY" - "$1" "$2" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
ok = eval(sys.argv[2], {"d": d})
if not ok:
    print("expression false:", sys.argv[2])
    print(json.dumps({k: d.get(k) for k in ("verdict", "error", "facts", "peer_fins", "keepalives", "replay", "states")}, indent=1))
    sys.exit(1)
EOF
}

# probe NAME SECS ARGS...: run tcplint probe in the namespace, JSON into
# $TL_DIR/NAME.json, exit code into RC.
probe() {
	local name=$1 secs=$2
	shift 2
	OUT="$TL_DIR/$name.json"
	RC=0
	tl_log "probe $name: $*"
	timeout -k 2 "$secs" ip netns exec "$TL_NS_NAME" "$TCPLINT" probe --format json "$@" \
		>"$OUT" 2>"$OUT.err" || RC=$?
}

no_guard_left() {
	! tl_ns nft list tables | grep -q tcplint_probe
}

rsts_from() { # CAPTURE SPORT: RSTs sent from the probe's port
	[ -n "$2" ] || { echo "no source port"; return; }
	tcpdump -n -r "$1" "tcp src port $2 and tcp[tcpflags] & tcp-rst != 0" 2>/dev/null | wc -l
}

# --- fin-ack: Linux ACKs our FIN and closes on EOF -----------------------
tl_capture_start "$TL_DIR/fin_ack.pcap"
probe fin_ack 15 fin-ack 127.0.0.1 $PORT_CLOSE -w "$TL_DIR/fin_ack.exchange.pcap"
tl_capture_stop
SPORT=$("$TL_PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["source"]["port"])' "$OUT" 2>/dev/null)
tl_check "fin-ack: exit 0" test "$RC" = 0
tl_check "fin-ack: conforms, our FIN acknowledged, peer FIN" pj "$OUT" \
	'd["verdict"] == "conforms" and d["facts"]["fin_acked"]["outcome"] == "yes" and d["facts"]["peer_fin"]["outcome"] == "yes"'
tl_check "fin-ack: the endpoint's states (tcp_fsm)" pj "$OUT" \
	'[s["to"] for s in d["states"]] in (["SYN_SENT","ESTABLISHED","FIN_WAIT_1","TIME_WAIT"], ["SYN_SENT","ESTABLISHED","FIN_WAIT_1","FIN_WAIT_2","TIME_WAIT"])'
tl_check "fin-ack: evidence frames point at the exchange" pj "$OUT" \
	'[e for e in d["exchange"] if e["frame"] == d["facts"]["peer_fin"]["frame"]][0]["flags"].startswith("F")'
tl_check "fin-ack: no kernel RST on the wire (guard)" test "$(rsts_from "$TL_DIR/fin_ack.pcap" "$SPORT")" = 0
tl_check "fin-ack: guard table removed" no_guard_left
tl_check "fin-ack: -w file has every frame of the exchange" sh -c \
	'[ "$(tcpdump -n -r "$1" 2>/dev/null | wc -l)" = "$("$2" -c "import json,sys; print(len(json.load(open(sys.argv[1]))[\"exchange\"]))" "$3")" ]' \
	sh "$TL_DIR/fin_ack.exchange.pcap" "$TL_PY" "$OUT"

# --- fin-ack over IPv6 -----------------------------------------------------
probe fin_ack6 15 fin-ack ::1 $PORT_CLOSE
tl_check "fin-ack ::1: conforms" pj "$OUT" \
	'd["verdict"] == "conforms" and d["source"]["host"] == "::1"'

# --- withhold-last-ack: Linux retransmits its FIN, backs off, stops -------
tl_capture_start "$TL_DIR/withhold.pcap"
probe withhold 20 withhold-last-ack 127.0.0.1 $PORT_CLOSE --withhold 2.5s --quiet 1s \
	-w "$TL_DIR/withhold.exchange.pcap"
tl_capture_stop
SPORT=$("$TL_PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["source"]["port"])' "$OUT" 2>/dev/null)
tl_check "withhold: exit 0" test "$RC" = 0
tl_check "withhold: FIN retransmitted at least twice, exponential back-off, quiet after ACK" pj "$OUT" \
	'd["verdict"] == "conforms" and d["facts"]["fin_retransmitted"]["count"] >= 2 and d["facts"]["backoff_exponential"]["outcome"] == "yes" and d["facts"]["quiet_after_ack"]["outcome"] == "yes"'
tl_check "withhold: first retransmission after Linux's 200 ms minimum RTO (150-600 ms)" pj "$OUT" \
	'150 <= d["peer_fins"][1]["interval_ms"] <= 600'
tl_check "withhold: intervals grow" pj "$OUT" \
	'all(b["interval_ms"] > 1.5 * a["interval_ms"] for a, b in zip(d["peer_fins"][1:], d["peer_fins"][2:]))'
tl_check "withhold: nothing acknowledged the FIN before the last ACK" pj "$OUT" \
	'all(e["ack"] < 2 for e in d["exchange"] if e["dir"] == "sent" and e["frame"] < d["last_ack_frame"])'
tl_check "withhold: the capture agrees (same FIN count on the wire)" sh -c \
	'[ "$(tcpdump -n -r "$1" "tcp src port $2 and tcp[tcpflags] & tcp-fin != 0" 2>/dev/null | wc -l)" = "$("$3" -c "import json,sys; print(len(json.load(open(sys.argv[1]))[\"peer_fins\"]))" "$4")" ]' \
	sh "$TL_DIR/withhold.pcap" $PORT_CLOSE "$TL_PY" "$OUT"
tl_check "withhold: no kernel RST on the wire (guard)" test "$(rsts_from "$TL_DIR/withhold.pcap" "$SPORT")" = 0
# the passive analyzer, on the probe's own exchange, sees what the probe did
tl_analyze "$TL_DIR/withhold.report.json" "$TL_DIR/withhold.exchange.pcap"
tl_check "withhold: tcplint analyze of -w FILE finds the withheld ACK" pj "$TL_DIR/withhold.report.json" \
	'len(d["flows"]) == 1 and d["flows"][0]["close"] in ("three_way", "four_way") and d["flows"][0]["client_state"] == "TIME_WAIT" and "missing_ack" in [a["type"] for a in d["flows"][0]["anomalies"]]'

# --- keepalive: Linux answers each probe -----------------------------------
probe keepalive 20 keepalive 127.0.0.1 $PORT_CLOSE --count 3 --interval 0.6s
tl_check "keepalive: exit 0" test "$RC" = 0
tl_check "keepalive: 3 of 3 answered, 0 and 1 byte" pj "$OUT" \
	'd["verdict"] == "conforms" and d["facts"]["keepalive_answered"]["count"] == 3 and [k["bytes"] for k in d["keepalives"]] == [0, 1, 0] and all(k["answer_frame"] for k in d["keepalives"])'

# Linux answers an out-of-window segment without data at most once per
# tcp_invalid_ratelimit (500 ms): 0-byte probes 200 ms apart are answered
# only every third or so; 1-byte probes (data, not rate-limited) always.
probe keepalive0 20 keepalive 127.0.0.1 $PORT_CLOSE --count 5 --interval 0.2s --keepalive-bytes 0
tl_check "keepalive 0 bytes every 200 ms: rate-limited by Linux (exit 1)" sh -c '[ "$1" = 1 ]' sh "$RC"
tl_check "keepalive 0 bytes every 200 ms: first answered, second not, 1 to 3 of 5" pj "$OUT" \
	'd["keepalives"][0]["answer_frame"] and not d["keepalives"][1]["answer_frame"] and 1 <= d["facts"]["keepalive_answered"]["count"] <= 3'
probe keepalive1 20 keepalive 127.0.0.1 $PORT_CLOSE --count 5 --interval 0.2s --keepalive-bytes 1
tl_check "keepalive 1 byte every 200 ms: all 5 answered" pj "$OUT" \
	'd["verdict"] == "conforms" and d["facts"]["keepalive_answered"]["count"] == 5'

# --- a server that never closes: deviates ---------------------------------
probe hold 15 fin-ack 127.0.0.1 $PORT_HOLD --timeout 1s
tl_check "hold: exit 1" test "$RC" = 1
tl_check "hold: FIN acknowledged, no peer FIN, connection reset by us" pj "$OUT" \
	'd["verdict"] == "deviates" and d["facts"]["fin_acked"]["outcome"] == "yes" and d["facts"]["peer_fin"]["outcome"] == "no" and d["exchange"][-1]["flags"] == "R"'

# --- nothing listens: error ------------------------------------------------
probe refused 15 fin-ack 127.0.0.1 $PORT_NONE
tl_check "refused: exit 2, error verdict" sh -c '[ "$1" = 2 ] && grep -q "refused" "$2.err"' sh "$RC" "$OUT"

# --- non-loopback destination: refused before anything is sent ------------
probe remote 5 fin-ack 192.0.2.1 80
tl_check "remote: exit 2 with a clear message" sh -c '[ "$1" = 2 ] && grep -q "not a loopback address" "$2.err"' sh "$RC" "$OUT"

# --- replay: record an echo exchange, replay it -----------------------------
tl_capture_start "$TL_DIR/recorded.pcap" tcp port $PORT_ECHO
timeout 10 ip netns exec "$TL_NS_NAME" "$TL_PY" - $PORT_ECHO <<'EOF'
import socket, sys, time
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
c.sendall(b"hello\n")
got = b""
while len(got) < 6:
    got += c.recv(100)
c.sendall(b"world!\n")
got = b""
while len(got) < 7:
    got += c.recv(100)
c.shutdown(socket.SHUT_WR)
while c.recv(100):
    pass
c.close()
EOF
tl_capture_stop
probe replay_echo 20 replay "$TL_DIR/recorded.pcap" 127.0.0.1 $PORT_ECHO --timeout 2s --quiet 0.5s
tl_check "replay vs the same server: exit 0, no divergence" sh -c '[ "$1" = 0 ]' sh "$RC"
tl_check "replay vs the same server: every client segment replayed, no divergence" pj "$OUT" \
	'd["verdict"] == "conforms" and d["replay"]["divergences"] == [] and d["replay"]["segments"] >= 3 and d["facts"]["replay_matches"]["count"] == d["facts"]["replay_matches"]["of"]'
probe replay_close 20 replay "$TL_DIR/recorded.pcap" 127.0.0.1 $PORT_CLOSE --timeout 1s --quiet 0.5s
tl_check "replay vs a server that does not echo: exit 1" test "$RC" = 1
# the first divergence: before the client's second line, the recorded
# server had echoed the first 6 bytes, the live one none
tl_check "replay vs a server that does not echo: missing_data, 0 of 6 bytes" pj "$OUT" \
	'd["verdict"] == "deviates" and d["replay"]["divergences"][0]["kind"] == "missing_data" and d["replay"]["divergences"][0]["live_bytes"] == 0 and d["replay"]["divergences"][0]["recorded_bytes"] == 6'

tl_check "no guard table left at the end" no_guard_left
tl_finish
