#!/bin/bash
# it_live.sh - `tcplint live` on real kernel traffic, checked while it runs.
#
# In a private network namespace (lib.sh) tcplint captures lo while Python
# sockets play real scenarios on 127.0.0.1 (live_traffic.py): a clean close
# from each side, an RST abort (SO_LINGER {1,0}), a server that never closes
# (CLOSE_WAIT), and keepalive probes whose answers nftables drops. Each
# flow line and anomaly line must appear in the JSON Lines output WHILE the
# capture is still running; after SIGINT the flow still open, the summary
# and the --fail-on exit code must follow. Around that: the one-line errors
# (unknown interface, bad filter, no permission), --duration, -c, -w and -Z,
# and the decode-error counts of frames sent onto lo against analyze's.
#
# Flow ids are 0-based in order of first packet; the namespace carries no
# other traffic, so the scenarios' flows are 0, 1, 2, ... in the order run.
set -u
. "$(dirname "$0")/lib.sh"

tl_init live
tl_need_tool nft setpriv
TRAFFIC=("$TL_PY" "$TL_HERE/live_traffic.py")
CHECK=("$TL_PY" "$TL_HERE/live_check.py")

# alive PID: the capture is still running (the line came before any stop).
alive() {
	kill -0 "$1" 2>/dev/null || {
		echo "tcplint live (pid $1) is no longer running"
		return 1
	}
}

# wait_listening ERRFILE PID: tcplint says "listening on" once capturing.
wait_listening() {
	local err=$1 pid=$2 n=0
	while ! grep -q "listening on" "$err" 2>/dev/null; do
		if ! kill -0 "$pid" 2>/dev/null || [ $n -ge 100 ]; then
			echo "tcplint live did not start:" >&2
			cat "$err" >&2
			return 1
		fi
		sleep 0.1
		n=$((n + 1))
	done
}

# one_line_error NAME WANT CMD...: exit 2 and one stderr line containing WANT.
one_line_error() {
	local name=$1 want=$2
	shift 2
	local rc=0 err=$TL_DIR/$name.err
	timeout 10 "$@" >"$TL_DIR/$name.out" 2>"$err" || rc=$?
	tl_check "$name: exit 2" test "$rc" -eq 2
	tl_check "$name: one line on stderr" test "$(wc -l <"$err")" -eq 1
	tl_check "$name: says '$want'" grep -qi -- "$want" "$err"
	tl_check "$name: nothing on stdout" test ! -s "$TL_DIR/$name.out"
	[ "${TL_VERBOSE:-0}" = 1 ] && cat "$err"
	return 0
}

# --- errors: one line, exit 2 ----------------------------------------------
one_line_error "unknown interface" "no such interface" \
	ip netns exec "$TL_NS_NAME" "$TCPLINT" live -i tl-nosuch0
one_line_error "bad filter" "tcp port" \
	ip netns exec "$TL_NS_NAME" "$TCPLINT" live -i lo 'tcp port'
one_line_error "--top with live text" "cannot rank" \
	ip netns exec "$TL_NS_NAME" "$TCPLINT" live -i lo --top 3
one_line_error "--top with live jsonl" "cannot rank" \
	ip netns exec "$TL_NS_NAME" "$TCPLINT" live -i lo --top 3 --format jsonl
one_line_error "no permission" "CAP_NET_RAW" \
	ip netns exec "$TL_NS_NAME" setpriv --reuid=65534 --regid=65534 \
	--clear-groups --inh-caps=-all --bounding-set=-all "$TCPLINT" live -i lo

# --- --duration on a quiet link: stops by itself, exit 0, a summary ----------
t0=$SECONDS
rc=0
timeout 20 ip netns exec "$TL_NS_NAME" "$TCPLINT" live -i lo --format jsonl \
	--duration 1 >"$TL_DIR/duration.jsonl" 2>"$TL_DIR/duration.err" || rc=$?
tl_check "--duration 1: exit 0" test "$rc" -eq 0
tl_check "--duration 1: stopped within 5 s" test $((SECONDS - t0)) -le 5
tl_check "--duration 1: summary line" "${CHECK[@]}" wait "$TL_DIR/duration.jsonl" 0 type=summary
tl_check "--duration 1: no flow lines" "${CHECK[@]}" absent "$TL_DIR/duration.jsonl" type=flow

# --- json and junit keep every flow to the stop: a note unless bounded ------
rc=0
timeout 20 ip netns exec "$TL_NS_NAME" "$TCPLINT" live -i lo --format json \
	--duration 1 >"$TL_DIR/json1.out" 2>"$TL_DIR/json1.err" || rc=$?
tl_check "json --duration 1: exit 0" test "$rc" -eq 0
tl_check "json --duration 1: bounded, no memory note" bash -c "! grep -q 'note:' '$TL_DIR/json1.err'"
tl_check "json --duration 1: one document" "$TL_PY" -c 'import json,sys; json.load(open(sys.argv[1]))' "$TL_DIR/json1.out"
tl_bg JUNIT "$TCPLINT" live -i lo --format junit >"$TL_DIR/junit.out" 2>"$TL_DIR/junit.err"
if wait_listening "$TL_DIR/junit.err" "$JUNIT"; then
	tl_check "junit without -c or --duration: one-line memory note" bash -c \
		"[ \$(grep -c 'note: --format junit keeps every flow in memory' '$TL_DIR/junit.err') -eq 1 ]"
	tl_check "junit: the note suggests jsonl" grep -q "use --format jsonl" "$TL_DIR/junit.err"
	kill -INT "$JUNIT"
	rc=0
	tl_wait_pid "$JUNIT" 10 || rc=$?
	tl_check "junit: SIGINT, exit 0" test "$rc" -eq 0
	tl_check "junit: the document is written at the stop" grep -q '</testsuites>' "$TL_DIR/junit.out"
else
	tl_check "junit capture started" false
fi

# --- the report can no longer be written: the capture stops by itself -------
# traffic_until FILE PORT: one clean flow at a time (ports PORT, PORT+1, ...)
# until FILE exists (the pipeline below has ended), at most 30 flows.
traffic_until() {
	local file=$1 port=$2 i
	for i in $(seq 0 29); do
		[ -e "$file" ] && return 0
		tl_ns "${TRAFFIC[@]}" close client $((port + i)) >/dev/null || return 1
		sleep 0.2
	done
	[ -e "$file" ]
}
# `tcplint live | head -n 1`: head leaves after the first flow line; tcplint
# must notice (a failed write, or the pipe's reader gone) and exit as
# `analyze` does on a closed pipe: quietly, with the --fail-on code (0).
# timeout(1) only bounds the test: it kills a tcplint that never stops.
tl_bg PIPE bash -c "timeout 30 '$TCPLINT' live -i lo --format jsonl 2>'$TL_DIR/head.err' \
	| head -n 1 >'$TL_DIR/head.out'; echo \${PIPESTATUS[0]} >'$TL_DIR/head.rc'"
if wait_listening "$TL_DIR/head.err" "$PIPE"; then
	t0=$SECONDS
	tl_check "| head -n 1: traffic until the pipeline ends" \
		traffic_until "$TL_DIR/head.rc" 5101
	tl_wait_pid "$PIPE" 30
	tl_check "| head -n 1: tcplint exited by itself within 15 s" \
		test -e "$TL_DIR/head.rc" -a $((SECONDS - t0)) -le 15
	tl_check "| head -n 1: exit 0 (not killed by timeout)" \
		test "$(cat "$TL_DIR/head.rc" 2>/dev/null)" = 0
	tl_check "| head -n 1: head got a flow line" "${CHECK[@]}" wait "$TL_DIR/head.out" 0 type=flow
	tl_check "| head -n 1: a closed pipe is quiet" \
		test "$(grep -vc 'listening on' "$TL_DIR/head.err")" -eq 0
else
	tl_check "| head -n 1: capture started" false
fi
# -o on a full device: the first flow line cannot be written (ENOSPC): the
# capture stops, one line names the problem, exit 2 (as analyze).
rm -f "$TL_DIR/full.rc"
tl_bg FULL bash -c "timeout 30 '$TCPLINT' live -i lo --format jsonl -o /dev/full \
	2>'$TL_DIR/full.err'; echo \$? >'$TL_DIR/full.rc'"
if wait_listening "$TL_DIR/full.err" "$FULL"; then
	t0=$SECONDS
	tl_check "-o /dev/full: traffic until tcplint stops" \
		traffic_until "$TL_DIR/full.rc" 5141
	tl_wait_pid "$FULL" 30
	tl_check "-o /dev/full: stopped by itself within 15 s" \
		test -e "$TL_DIR/full.rc" -a $((SECONDS - t0)) -le 15
	tl_check "-o /dev/full: exit 2" test "$(cat "$TL_DIR/full.rc" 2>/dev/null)" = 2
	tl_check "-o /dev/full: says so" grep -q "/dev/full: No space left on device" "$TL_DIR/full.err"
else
	tl_check "-o /dev/full: capture started" false
fi
# -w on a full device: libpcap's pcap_dump() says nothing; the flush does.
# The saved capture would silently miss packets: stop, one line, exit 2.
rm -f "$TL_DIR/wfull.rc"
tl_bg WFULL bash -c "timeout 30 '$TCPLINT' live -i lo --format jsonl -w /dev/full \
	>/dev/null 2>'$TL_DIR/wfull.err'; echo \$? >'$TL_DIR/wfull.rc'"
if wait_listening "$TL_DIR/wfull.err" "$WFULL"; then
	t0=$SECONDS
	tl_check "-w /dev/full: traffic until tcplint stops" \
		traffic_until "$TL_DIR/wfull.rc" 5161
	tl_wait_pid "$WFULL" 30
	tl_check "-w /dev/full: stopped by itself within 15 s" \
		test -e "$TL_DIR/wfull.rc" -a $((SECONDS - t0)) -le 15
	tl_check "-w /dev/full: exit 2" test "$(cat "$TL_DIR/wfull.rc" 2>/dev/null)" = 2
	tl_check "-w /dev/full: says so" \
		grep -q -- "-w /dev/full: cannot write: No space left on device" "$TL_DIR/wfull.err"
else
	tl_check "-w /dev/full: capture started" false
fi

# --- the main run: -Z, -w, streaming, then SIGINT ----------------------------
OUT=$TL_DIR/live.jsonl
ERR=$TL_DIR/live.err
chmod 0711 "$TL_DIR"
mkdir -m 0777 "$TL_DIR/w"
SAVED=$TL_DIR/w/saved.pcap
tl_bg LIVE "$TCPLINT" live -i lo --format jsonl --close-wait-timeout 2 \
	--fail-on lingering_close_wait -Z nobody -w "$SAVED" 'tcp and host 127.0.0.1' \
	>"$OUT" 2>"$ERR"
wait_listening "$ERR" "$LIVE" || {
	tl_check "live capture started" false
	tl_finish
}
tl_check "-Z nobody: runs as uid 65534" \
	grep -Eq '^Uid:[[:space:]]+65534[[:space:]]+65534' "/proc/$LIVE/status"

# flow 0: the client closes first.
tl_check "scenario: client closes first" tl_ns "${TRAFFIC[@]}" close client 5001
tl_check "flow 0 (client-first close) streamed" "${CHECK[@]}" wait "$OUT" 10 \
	type=flow server_port=5001 client_state=TIME_WAIT server_state=CLOSED active_closer=client
tl_check "flow 0 streamed before the stop" alive "$LIVE"
tl_check "-w: flow 0 already in the saved file while capturing" sh -c \
	"test \"\$(tcpdump -nr '$SAVED' 'tcp port 5001' 2>/dev/null | wc -l)\" -ge 8"

# flow 1: the server closes first.
tl_check "scenario: server closes first" tl_ns "${TRAFFIC[@]}" close server 5002
tl_check "flow 1 (server-first close) streamed" "${CHECK[@]}" wait "$OUT" 10 \
	type=flow server_port=5002 server_state=TIME_WAIT client_state=CLOSED active_closer=server
tl_check "flow 1 streamed before the stop" alive "$LIVE"

# flow 2: RST abort.
tl_check "scenario: RST abort" tl_ns "${TRAFFIC[@]}" rst 5003
tl_check "flow 2 (RST abort) streamed" "${CHECK[@]}" wait "$OUT" 10 \
	type=flow server_port=5003 close=reset
tl_check "flow 2 streamed before the stop" alive "$LIVE"

# flow 3: the server never closes; CLOSE_WAIT lingers past 2 s on a quiet
# link (no further packet: the wall clock has to fire the timer).
tl_bg HOLD "${TRAFFIC[@]}" hold 5004 90 >"$TL_DIR/hold.out" 2>&1
n=0
while ! grep -q holding "$TL_DIR/hold.out" 2>/dev/null && [ $n -lt 100 ]; do
	sleep 0.1
	n=$((n + 1))
done
tl_check "scenario: server holds CLOSE_WAIT" grep -q holding "$TL_DIR/hold.out"
tl_check "flow 3: lingering_close_wait streamed" "${CHECK[@]}" wait "$OUT" 10 \
	type=anomaly flow=3 anomaly.type=lingering_close_wait
tl_check "flow 3: anomaly before the stop" alive "$LIVE"
tl_check "flow 3: still open, no flow line yet" "${CHECK[@]}" absent "$OUT" \
	type=flow server_port=5004

# flow 4: keepalive probes, answers dropped, until the kernel resets.
tl_check "scenario: keepalive with dropped answers" tl_ns "${TRAFFIC[@]}" keepalive 5005
tl_check "flow 4: keepalive_burst streamed" "${CHECK[@]}" wait "$OUT" 10 \
	type=anomaly flow=4 anomaly.type=keepalive_burst
tl_check "flow 4 (keepalive reset) streamed" "${CHECK[@]}" wait "$OUT" 10 \
	type=flow server_port=5005 close=reset
tl_check "flow 4 streamed before the stop" alive "$LIVE"
tl_check "no summary before the stop" "${CHECK[@]}" absent "$OUT" type=summary

# Stop: the open flow, the summary, the --fail-on exit code.
kill -INT "$LIVE"
t0=$SECONDS
rc=0
n=0
while kill -0 "$LIVE" 2>/dev/null && [ $n -lt 100 ]; do
	sleep 0.1
	n=$((n + 1))
done
kill -0 "$LIVE" 2>/dev/null && kill -KILL "$LIVE"
wait "$LIVE" || rc=$?
tl_check "SIGINT: stopped within 5 s" test $((SECONDS - t0)) -le 5
tl_check "SIGINT: exit 1 (--fail-on lingering_close_wait matched)" test "$rc" -eq 1
tl_check "SIGINT: open flow 3 reported in CLOSE_WAIT" "${CHECK[@]}" wait "$OUT" 0 \
	type=flow id=3 server_port=5004 server_state=CLOSE_WAIT client_state=FIN_WAIT_2 \
	anomaly_type=lingering_close_wait
tl_check "SIGINT: summary line" "${CHECK[@]}" wait "$OUT" 0 type=summary
tl_check "jsonl: no memory note (it keeps nothing)" bash -c "! grep -q 'note:' '$ERR'"
tl_check "summary is the last line" sh -c "tail -n 1 '$OUT' | grep -q '\"summary\"'"
tl_check "summary: 5 flows" "${CHECK[@]}" wait "$OUT" 0 type=summary flows=5
tl_check "summary: capture counters" "${CHECK[@]}" wait "$OUT" 0 type=summary \
	capture.dropped=0 capture.if_dropped=0
tl_check "summary: packets received" sh -c \
	"test \"\$(${CHECK[*]} get '$OUT' capture.received type=summary)\" -gt 30"
tl_check "summary: no evictions" "${CHECK[@]}" wait "$OUT" 0 type=summary evictions=0
tl_check "each flow reported once" sh -c \
	"test \"\$(${CHECK[*]} count '$OUT' type=flow)\" -eq 5"
kill -TERM "$HOLD" 2>/dev/null
tl_wait_pid "$HOLD" 5

# -w: what was captured is a readable pcap, owned by the -Z user.
tl_check "-w: saved capture has the 5 SYNs" sh -c \
	"test \"\$(tcpdump -nr '$SAVED' 'tcp[tcpflags] == tcp-syn' 2>/dev/null | wc -l)\" -eq 5"
tl_check "-w: written as the -Z user" test "$(stat -c %u "$SAVED")" -eq 65534

# --- -c COUNT on -i any (Linux cooked link type): stops by itself ------------
OUT_C=$TL_DIR/count.jsonl
tl_bg LIVE_C "$TCPLINT" live -i any --format jsonl -c 3 >"$OUT_C" 2>"$TL_DIR/count.err"
wait_listening "$TL_DIR/count.err" "$LIVE_C" || tl_check "-c run started" false
tl_check "scenario for -c" tl_ns "${TRAFFIC[@]}" close client 5006
rc=0
n=0
while kill -0 "$LIVE_C" 2>/dev/null && [ $n -lt 100 ]; do
	sleep 0.1
	n=$((n + 1))
done
kill -0 "$LIVE_C" 2>/dev/null && kill -KILL "$LIVE_C"
wait "$LIVE_C" || rc=$?
tl_check "-c 3: stopped by itself, exit 0" test "$rc" -eq 0
tl_check "-c 3: the open flow reported at the stop" "${CHECK[@]}" wait "$OUT_C" 0 \
	type=flow server_port=5006 packets=3
tl_check "-c 3: summary counts 3 packets" "${CHECK[@]}" wait "$OUT_C" 0 \
	type=summary packets=3
tl_check "-i any: cooked link type" grep -q "link-type LINUX_SLL" "$TL_DIR/count.err"

# --- capture health: a stalled reader loses packets; they are counted -------
# tcplint is stopped (SIGSTOP) while 3000 SYNs overflow a 64 KiB buffer,
# then resumed: the summary must carry the kernel's drop counter, stderr the
# warning, and the flows seen while packets were lost drops_during.
tl_nft in tcp dport 9 drop
OUT_D=$TL_DIR/drops.jsonl
tl_bg LIVE_D "$TCPLINT" live -i lo --format jsonl -B 64 'tcp dst port 9' \
	>"$OUT_D" 2>"$TL_DIR/drops.err"
wait_listening "$TL_DIR/drops.err" "$LIVE_D" || tl_check "drops run started" false
kill -STOP "$LIVE_D"
tl_check "scenario: 3000 SYNs while tcplint is stopped" \
	tl_ns "${TRAFFIC[@]}" syn-flood 3000 9 100000
kill -CONT "$LIVE_D"
sleep 1.5
kill -TERM "$LIVE_D" # SIGTERM stops as cleanly as SIGINT
rc=0
tl_wait_pid "$LIVE_D" 10
wait "$LIVE_D" 2>/dev/null || rc=$?
tl_check "drops: SIGTERM stopped it cleanly, exit 0" test "$rc" -eq 0
tl_check "drops: summary counts dropped packets" "$TL_PY" -c 'import json,sys
s = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")][-1]
c = s.get("capture") or {}
sys.exit(0 if s["type"] == "summary" and c.get("dropped", 0) > 0 and s["flows"] < 3000
         else "summary: flows %s, capture %s" % (s.get("flows"), c))' "$OUT_D"
tl_check "drops: warning on stderr" grep -q "warning: .* dropped" "$TL_DIR/drops.err"
tl_check "drops: flows marked drops_during" "${CHECK[@]}" wait "$OUT_D" 0 \
	type=flow drops_during=true
tl_check "drops: anomalies marked drops_during" "${CHECK[@]}" wait "$OUT_D" 0 \
	type=anomaly anomaly.drops_during=true
tl_check "no drops, no mark (main run)" "${CHECK[@]}" absent "$OUT" \
	anomaly.drops_during=true

# --- decode errors are counted as analyze counts them ------------------------
# The frames of testdata/bad_options.pcap (two with TCP options that cannot
# be walked) sent onto lo as they are: live must report the interface's
# packets, TCP packets, decode errors and their kinds exactly as analyze
# reports the file's (both read through the same ingest path).
BADOPT=${TCPLINT_SOURCE_DIR:-$TL_HERE/../..}/testdata/bad_options.pcap
OUT_B=$TL_DIR/badopt.json
tl_bg LIVE_B "$TCPLINT" live -i lo --format json -c 9 'tcp port 41000' \
	>"$OUT_B" 2>"$TL_DIR/badopt.err"
if wait_listening "$TL_DIR/badopt.err" "$LIVE_B"; then
	tl_check "scenario: bad_options.pcap frames onto lo" \
		tl_ns "${TRAFFIC[@]}" frames "$BADOPT"
	rc=0
	tl_wait_pid "$LIVE_B" 10 || rc=$?
	tl_check "bad options: -c 9 stopped by itself, exit 0" test "$rc" -eq 0
	"$TCPLINT" analyze --format json "$BADOPT" >"$TL_DIR/badopt_file.json" 2>&1
	tl_check "bad options: live counts what analyze counts (decode_errors 2)" \
		"$TL_PY" -c 'import json, sys
keys = ("packets", "tcp_packets", "decode_errors", "not_tcp", "errors")
live, file = ({k: json.load(open(p))["inputs"][0][k] for k in keys}
              for p in sys.argv[1:3])
sys.exit(0 if live == file and file["decode_errors"] == 2
         else "live %s, analyze %s" % (live, file))' "$OUT_B" "$TL_DIR/badopt_file.json"
else
	tl_check "bad options run started" false
fi

tl_finish
