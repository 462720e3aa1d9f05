#!/bin/bash
# it_anomalies.sh - issue 4 on real Linux TCP: the four named anomalies,
# each provoked in a private network namespace (nftables drops chosen
# packets), found at the right frame, the answered-keepalive case that
# must raise nothing, and persist probes into a zero window that are no
# keepalives. Frames are resolved from the capture by check.py
# (cross-checked with tshark when installed). Needs root; exits 77 otherwise.
set -u
. "$(dirname "$0")/lib.sh"

tl_init anomalies
tl_nft_init

# missing_ack: after the client's FIN is acknowledged, an nftables output
# rule drops the client's ACKs (never captured); the server retransmits its
# FIN; after 1 s the rule goes and the client, in TIME_WAIT, ACKs again.
if tl_scenario missing_ack 20 missing-ack; then
	tl_capture_check "missing_ack: the server retransmitted its FIN, one ACK came" \
		--capture-count server:FIN '>=' 2 --capture-count client:ACKFIN = 1
	tl_flow_check "missing_ack: verdicts" \
		--expect server_state = CLOSED --expect client_state = TIME_WAIT \
		--expect close = four_way --expect active_closer = client
	tl_flow_check "missing_ack: reported at the unacknowledged FIN" \
		--anomaly "missing_ack:endpoint=client,frame=first:server:FIN,severity=error,ref_frame=first:client:ACKFIN,count=count:server:FIN-1" \
		--forbid premature_close --forbid lingering_close_wait
	# Linux: the first FIN retransmission is a tail loss probe (about 200
	# ms), then the RTO doubles (200, 400, 800 ms ...).
	tl_flow_check "missing_ack: FIN back-off seen in the timers" \
		--expect timers.server.fin_retries = count:server:FIN-1 \
		--expect timers.server.rto_doubles = true
fi

# premature_close (abort): SO_LINGER {1, 0} and close() on an established
# connection: the client's kernel sends RST instead of FIN.
if tl_scenario premature_abort 15 abort --port 5102; then
	tl_flow_check "premature_abort: RST from ESTABLISHED, by the client" \
		--expect close = reset \
		--anomaly "premature_close:endpoint=client,frame=first:client:RST,severity=error"
fi

# premature_close (unread data): the server closes with the client's
# second request unread in its receive queue: its kernel sends RST.
if tl_scenario premature_unread 15 unread-close; then
	tl_flow_check "premature_unread: RST by the server that closed with unread data" \
		--expect close = reset \
		--anomaly "premature_close:endpoint=server,frame=first:server:RST,severity=error"
fi

# lingering_close_wait: the server reads EOF and keeps the socket 3 s
# before close(), while a second connection (port 5114) sends a byte every
# 0.5 s. With --close-wait-timeout 1 that is an anomaly; with the default
# (5 s) it is not. A copy of the capture cut just before the server's FIN
# ends with the server still in CLOSE_WAIT, 2.5 s after the client's FIN.
TL_ANALYZE_OPTS=(--close-wait-timeout 1)
if tl_scenario lingering_close_wait 20 close-wait --hold 3 --ticker 5114; then
	tl_flow_check "lingering_close_wait: server in CLOSE_WAIT for 3 s (timeout 1 s)" \
		--expect close = four_way --expect server_state = CLOSED \
		--anomaly "lingering_close_wait:endpoint=server,frame=first:server:ACKFIN,severity=warning,ref_frame=first:server:FIN"
	tl_check "lingering_close_wait: the ticking connection is clean" \
		"$TL_PY" "$TL_HERE/check.py" --report "$REPORT" --capture "$CAP" --server-port 5114 \
		--no-anomalies --expect close = 'three_way|four_way'
	REPORT="$TL_DIR/lingering_close_wait.default.json"
	tl_analyze "$REPORT" "$CAP"
	tl_flow_check "lingering_close_wait: 3 s is below the default timeout" \
		--forbid lingering_close_wait
	CUT="$TL_DIR/lingering_close_wait.cut.pcap"
	tl_capture_check "lingering_close_wait: cut the capture before the server's FIN" \
		--cut-before first:server:FIN "$CUT"
	CAP=$CUT
	REPORT="$TL_DIR/lingering_close_wait.cut.json"
	tl_analyze "$REPORT" "$CAP" --close-wait-timeout 1
	tl_flow_check "lingering_close_wait: still in CLOSE_WAIT when the capture ends" \
		--expect close = half_closed --expect active_closer = client \
		--expect client_state = FIN_WAIT_2 --expect server_state = CLOSE_WAIT \
		--anomaly "lingering_close_wait:endpoint=server,frame=first:server:ACKFIN,severity=warning"
fi
unset TL_ANALYZE_OPTS

# keepalive_burst: the client probes every second after 1 s idle
# (TCP_KEEPIDLE=1, TCP_KEEPINTVL=1, TCP_KEEPCNT=4); an output rule drops
# every answer, so all 4 probes go unanswered and the client's kernel gives
# up (Linux sends a RST).
if tl_scenario keepalive_burst 20 keepalive --port 5105 --drop-answers; then
	tl_flow_check "keepalive_burst: 4 unanswered probes" \
		--expect keepalive.probes = count:client:KEEPALIVE \
		--expect keepalive.answered = 0 \
		--anomaly "keepalive_burst:endpoint=server,frame=first:client:KEEPALIVE,severity=warning,count=count:client:KEEPALIVE,ref_frame=first:client:RST"
	tl_flow_check "keepalive_burst: timers show idle 1 s, interval 1 s" \
		--expect timers.client.keepalive_idle '>=' 0.9 --expect timers.client.keepalive_idle '<=' 1.3 \
		--expect timers.client.keepalive_interval '>=' 0.9 --expect timers.client.keepalive_interval '<=' 1.3 \
		--expect timers.client.keepalive_probes = count:client:KEEPALIVE
fi

# Answered keepalives are normal: probes counted, no anomaly.
if tl_scenario keepalive_answered 20 keepalive --port 5106 --idle 3.5; then
	tl_flow_check "keepalive_answered: probes counted, all answered" \
		--expect keepalive.probes = count:client:KEEPALIVE \
		--expect keepalive.answered = count:client:KEEPALIVE \
		--expect keepalive.probes '>=' 3
	tl_flow_check "keepalive_answered: no anomalies" --no-anomalies \
		--expect handshake = complete --expect close = 'three_way|four_way'
fi

# Zero-window probes are no keepalives: the server does not read for 2 s,
# its window closes, and the client's persist timer probes it with 0 bytes
# at snd_una - 1 (a keepalive's shape) on a connection without
# SO_KEEPALIVE. Each is a zero_window_probe; no keepalive is counted.
# Retransmissions are not forbidden here: on a loaded machine the kernel
# really resends data after a delayed ACK, and the first check already pins
# every probe-shaped segment as a zero-window probe.
if tl_scenario zero_window_probe 30 zero-window --port 5107 --hold 2; then
	tl_flow_check "zero_window_probe: the persist probes are zero-window probes" \
		--expect anomaly_counts.zero_window_probe = count:client:KEEPALIVE \
		--expect anomaly_counts.zero_window_probe '>=' 2 \
		--anomaly "zero_window_probe:endpoint=client,frame=first:client:KEEPALIVE,severity=info"
	tl_flow_check "zero_window_probe: no keepalive counted, timed or reported" \
		--expect keepalive.probes = 0 --expect keepalive.answered = 0 \
		--expect timers.client.keepalive_probes = 0 \
		--expect timers.client.keepalive_idle = 0 \
		--forbid keepalive_burst \
		--expect close = 'three_way|four_way'
fi

tl_finish
