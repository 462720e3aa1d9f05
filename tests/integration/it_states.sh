#!/bin/bash
# it_states.sh - issue 3 on real Linux TCP: handshake and close verdicts,
# active closer and final states of both endpoints.
#
# In a private network namespace, scenarios.py plays each scenario on the
# loopback while tcpdump captures it; `tcplint analyze --format json` reads
# the capture and check.py compares the flow with what the kernel did (the
# frame sequences are in docs/INTEGRATION.md). Clean scenarios must also
# give zero anomalies. Needs root; exits 77 (skipped) otherwise.
set -u
. "$(dirname "$0")/lib.sh"

tl_init states
tl_nft_init
# connect() gives up quickly on an unanswered SYN.
tl_sysctl net.ipv4.tcp_syn_retries=1

# Four-way close, client first (kernel: FIN, delayed ACK 40 ms later,
# server FIN 0.3 s later, ACK).
if tl_scenario client_close 15 client-close; then
	tl_flow_check "client_close: verdicts" \
		--expect handshake = complete --expect close = four_way \
		--expect active_closer = client \
		--expect client_state = TIME_WAIT --expect server_state = CLOSED \
		--expect bytes.client = 5 --expect bytes.server = 5
	tl_flow_check "client_close: state timeline" \
		--state client:ESTABLISHED@first:server:SYNACK \
		--state server:ESTABLISHED@first:client:ACK \
		--state client:FIN_WAIT_1@first:client:FIN \
		--state server:CLOSE_WAIT@first:client:FIN \
		--state client:FIN_WAIT_2@first:server:ACKFIN \
		--state server:LAST_ACK@first:server:FIN \
		--state client:TIME_WAIT@first:server:FIN \
		--state server:CLOSED@first:client:ACKFIN \
		--no-state client:CLOSING --no-state server:CLOSING
	tl_flow_check "client_close: no anomalies" --no-anomalies --summary flows = 1
fi

# Four-way close, server first.
if tl_scenario server_close 15 server-close; then
	tl_flow_check "server_close: verdicts" \
		--expect handshake = complete --expect close = four_way \
		--expect active_closer = server \
		--expect client_state = CLOSED --expect server_state = TIME_WAIT
	tl_flow_check "server_close: state timeline" \
		--state server:FIN_WAIT_1@first:server:FIN \
		--state client:CLOSE_WAIT@first:server:FIN \
		--state server:FIN_WAIT_2@first:client:ACKFIN \
		--state client:LAST_ACK@first:client:FIN \
		--state server:TIME_WAIT@first:client:FIN
	tl_flow_check "server_close: no anomalies" --no-anomalies
fi

# Three-way close: the server closes on EOF while its ACK of the client's
# FIN is still delayed, so its FIN carries that ACK (FIN, FIN+ACK, ACK).
if tl_scenario three_way 15 three-way; then
	tl_capture_check "three_way: the kernel merged the ACK into the FIN" --shape merged
	tl_flow_check "three_way: verdicts" \
		--expect handshake = complete --expect close = three_way \
		--expect active_closer = client \
		--expect client_state = TIME_WAIT --expect server_state = CLOSED
	tl_flow_check "three_way: state timeline" \
		--state server:CLOSE_WAIT@first:client:FIN \
		--state server:LAST_ACK@first:server:FIN \
		--state client:TIME_WAIT@first:server:FIN
	tl_flow_check "three_way: no anomalies" --no-anomalies
fi

# Simultaneous close: both ends shutdown(SHUT_WR) at once from two
# processes; scenarios.py retries (bounded) until both sockets end in
# TIME_WAIT, i.e. the FINs crossed, and names that attempt's ports.
if tl_scenario simultaneous 60 simultaneous; then
	tl_capture_check "simultaneous: the FINs crossed in the capture" --shape crossed
	tl_flow_check "simultaneous: verdicts" \
		--expect handshake = complete --expect close = simultaneous \
		--expect active_closer = both \
		--expect client_state = TIME_WAIT --expect server_state = TIME_WAIT
	tl_flow_check "simultaneous: both ends pass through CLOSING" \
		--state client:FIN_WAIT_1@first:client:FIN \
		--state server:FIN_WAIT_1@first:server:FIN \
		--state client:CLOSING --state server:CLOSING \
		--state client:TIME_WAIT@first:server:ACKFIN \
		--state server:TIME_WAIT@first:client:ACKFIN \
		--no-state client:CLOSE_WAIT --no-state server:CLOSE_WAIT
	tl_flow_check "simultaneous: no anomalies" --no-anomalies
fi

# Half-close with data: client sends 7 bytes and shuts down writing; the
# server sends 3 x 1000 bytes, then closes.
if tl_scenario half_close 15 half-close; then
	tl_flow_check "half_close: verdicts" \
		--expect handshake = complete --expect close = four_way \
		--expect active_closer = client \
		--expect client_state = TIME_WAIT --expect server_state = CLOSED \
		--expect bytes.client = 7 --expect bytes.server = 3000
	tl_flow_check "half_close: state timeline" \
		--state client:FIN_WAIT_1@first:client:FIN \
		--state server:CLOSE_WAIT@first:client:FIN \
		--state client:FIN_WAIT_2@first:server:ACKFIN \
		--state client:TIME_WAIT@first:server:FIN
	tl_flow_check "half_close: no anomalies" --no-anomalies
fi

# Abort: SO_LINGER {1, 0} then close() on an established connection: RST.
if tl_scenario abort 15 abort; then
	tl_flow_check "abort: verdicts" \
		--expect handshake = complete --expect close = reset \
		--expect active_closer = client \
		--expect client_state = CLOSED --expect server_state = CLOSED
fi

# Connection to a port nobody listens on: SYN, RST+ACK.
if tl_scenario closed_port 15 closed-port; then
	tl_flow_check "closed_port: verdicts" \
		--expect handshake = rejected --expect close = none \
		--expect active_closer = none \
		--expect client_state = CLOSED --expect server_state = CLOSED \
		--no-state client:ESTABLISHED
	tl_flow_check "closed_port: raised as a rejected anomaly (issue 4)" \
		--anomaly "rejected:frame=first:server:RST,endpoint=server,severity=warning" \
		--forbid premature_close
fi

# SYNs dropped by an nftables input rule (captured, never delivered): the
# client retransmits, then gives up. The SYN count comes from the capture.
if tl_scenario syn_dropped 30 syn-dropped; then
	tl_flow_check "syn_dropped: verdicts" \
		--expect handshake = unanswered --expect close = none \
		--expect active_closer = none \
		--expect client_state = SYN_SENT \
		--expect server_state = 'LISTEN|CLOSED' \
		--expect packets = count:client:SYN \
		--expect syn_retransmits = count:client:SYN-1 \
		--state client:SYN_SENT@first:client:SYN \
		--no-state client:ESTABLISHED
	tl_flow_check "syn_dropped: raised as a syn_unanswered anomaly (issue 4)" \
		--anomaly "syn_unanswered:frame=first:client:SYN,severity=error,endpoint=server,count=count:client:SYN-1" \
		--expect timers.client.syn_retries = count:client:SYN-1
fi

# IPv6 on ::1: the four-way close, client first.
if tl_scenario ipv6 15 client-close --host ::1 --port 5009; then
	tl_flow_check "ipv6: verdicts" \
		--expect client.ip = ::1 --expect server.ip = ::1 \
		--expect handshake = complete --expect close = four_way \
		--expect active_closer = client \
		--expect client_state = TIME_WAIT --expect server_state = CLOSED
	tl_flow_check "ipv6: no anomalies" --no-anomalies
fi

# 200 concurrent short connections, each closed cleanly (client first; the
# server closes on EOF, so three-way or four-way depending on timing).
CPORT=""
if tl_scenario concurrent 60 concurrent --count 200; then
	tl_flow_check "concurrent: 200 complete, cleanly closed flows" --flows 200 --quiet-flow \
		--expect handshake = complete --expect close = 'four_way|three_way' \
		--expect active_closer = client \
		--expect client_state = TIME_WAIT --expect server_state = CLOSED
	tl_flow_check "concurrent: no anomalies" --flows 200 --no-anomalies \
		--summary flows = 200 --summary anomalies = '{}'
fi

tl_finish
