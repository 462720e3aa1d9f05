# lib.sh - shared harness for tcplint's integration tests (tests/integration/it_*.sh).
#
# Source it from a test script (bash). It gives each test a private network
# namespace with only its loopback up, a scratch directory, a libpcap capture
# of that loopback (tcpdump), nftables rules inside the namespace to drop
# chosen packets, and a small assertion log. Everything a test starts is
# recorded by PID and stopped on exit; the namespace and scratch directory are
# removed then too (set TL_KEEP=1 to keep the scratch directory, which is
# also kept, and its path printed, when a check failed).
#
# Exit codes follow ctest: 0 pass, 1 fail, 77 skip (no root, no namespaces,
# a missing tool). Every wait is bounded in time.
#
# Functions (all prefixed tl_):
#   tl_init NAME              create namespace tl-NAME-$$, lo up, $TL_DIR; skip if impossible
#   tl_need_tool CMD...       skip (77) unless each command exists
#   tl_ns CMD...              run CMD inside the namespace
#   tl_sysctl KEY=VALUE...    set sysctls inside the namespace
#   tl_bg VAR CMD...          start CMD in the namespace in the background, PID into $VAR
#   tl_capture_start FILE [FILTER...]   tcpdump -i lo -U -w FILE -s $TL_SNAPLEN; returns once listening
#   tl_capture_stop           SIGINT the capture, wait for it to flush (bounded)
#   tl_nft_init               create table inet tl with chains "in" and "out" (input/output hooks)
#   tl_nft in|out RULE...     add a rule to that chain (table created on first use)
#   tl_nft_flush              delete every rule the test added
#   tl_capture_cmd CAP OUT SECS CMD...  capture CAP while CMD runs in the namespace
#                             (stdout to OUT, killed after SECS); returns CMD's status
#   tl_wait_pid PID SECONDS   wait for a started PID, killing it after SECONDS; returns its status
#   tl_analyze OUT.json CAPTURE [OPTIONS...]  run $TCPLINT analyze --format json
#   tl_json_get FILE KEY      a top-level field of a one-object JSON file
#   tl_scenario NAME SECS ARGS...   capture $TL_DIR/NAME.pcap while scenarios.py ARGS runs,
#                             analyze it; sets CAP, REPORT, SPORT, CPORT (see below)
#   tl_capture_check NAME ARGS...   check.py capture-only checks on the last capture
#   tl_flow_check NAME ARGS...      check.py ARGS on the last scenario's flow
#   tl_check NAME CMD...      run an assertion command; log ok/FAIL under NAME
#   tl_finish                 print the tally and exit 0/1
#   tl_skip REASON            print "SKIP: REASON" and exit 77
#   tl_log MSG                timestamped message on stderr

TL_SNAPLEN=${TL_SNAPLEN:-256}
TL_PIDS=()
TL_FAILS=0
TL_PASSES=0
TL_NS_NAME=""
TL_DIR=""
TL_NFT_READY=0
TL_CAPTURE_PID=""
TL_T0=$EPOCHREALTIME
TL_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# Prefer the system python3 (a version-manager shim costs ~0.5 s a call).
if [ -z "${TL_PY:-}" ]; then
	if [ -x /usr/bin/python3 ]; then TL_PY=/usr/bin/python3; else TL_PY=$(command -v python3); fi
fi

tl_log() {
	printf '[%6.2fs] %s\n' "$(tl_elapsed)" "$*" >&2
}

tl_elapsed() {
	awk -v a="$TL_T0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }'
}

tl_skip() {
	echo "SKIP: $*"
	exit 77
}

tl_need_tool() {
	local t
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 || tl_skip "$t is not installed"
	done
}

# tl_is_ours PID: PID is still running (not a zombie) and is a child of
# this shell (so a PID the system has since reused for something else is
# never signalled).
tl_is_ours() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	set -- $stat
	[ "$1" != Z ] && { [ "$2" = "$$" ] || [ "$2" = "$BASHPID" ]; }
}

# Forget a PID once it has been waited for.
tl_forget_pid() {
	local i
	for i in "${!TL_PIDS[@]}"; do
		[ "${TL_PIDS[$i]}" = "$1" ] && unset 'TL_PIDS[i]'
	done
	return 0
}

tl_cleanup() {
	local pid
	set +e
	for pid in "${TL_PIDS[@]}"; do
		tl_is_ours "$pid" && kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${TL_PIDS[@]}"; do
		local n=0
		while tl_is_ours "$pid" && [ $n -lt 20 ]; do
			sleep 0.1
			n=$((n + 1))
		done
		tl_is_ours "$pid" && kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	if [ -n "$TL_NS_NAME" ]; then
		ip netns del "$TL_NS_NAME" 2>/dev/null
	fi
	if [ -n "$TL_DIR" ] && [ -d "$TL_DIR" ]; then
		if [ "${TL_KEEP:-0}" = 1 ] || [ "$TL_FAILS" -gt 0 ]; then
			echo "kept scratch directory: $TL_DIR" >&2
		else
			rm -rf "$TL_DIR"
		fi
	fi
}

tl_init() {
	local name=$1
	[ "$(id -u)" -eq 0 ] || tl_skip "needs root for a network namespace (uid $(id -u))"
	tl_need_tool ip tcpdump "$TL_PY"
	[ -n "${TCPLINT:-}" ] || tl_skip "TCPLINT is not set (run through ctest)"
	if [ ! -x "$TCPLINT" ]; then
		# A build that did not produce the binary is a failure, not a skip.
		echo "FAIL: TCPLINT=$TCPLINT is not an executable (build it first)"
		exit 1
	fi
	TL_NS_NAME="tl-$name-$$"
	trap tl_cleanup EXIT
	trap 'exit 130' INT TERM
	if ! ip netns add "$TL_NS_NAME" 2>/dev/null; then
		TL_NS_NAME=""
		tl_skip "cannot create a network namespace (ip netns add failed)"
	fi
	if ! ip netns exec "$TL_NS_NAME" ip link set lo up 2>/dev/null; then
		tl_skip "cannot bring up lo in the namespace"
	fi
	TL_DIR=$(mktemp -d "${TMPDIR:-/tmp}/tl-$name.XXXXXX")
	tl_log "namespace $TL_NS_NAME, scratch $TL_DIR"
}

tl_ns() {
	ip netns exec "$TL_NS_NAME" "$@"
}

tl_sysctl() {
	local kv
	for kv in "$@"; do
		tl_ns sysctl -q -w "$kv" >/dev/null || {
			echo "cannot set sysctl $kv in the namespace" >&2
			return 1
		}
	done
}

tl_bg() {
	local var=$1
	shift
	ip netns exec "$TL_NS_NAME" "$@" &
	local pid=$!
	TL_PIDS+=("$pid")
	printf -v "$var" '%s' "$pid"
}

tl_wait_pid() {
	local pid=$1 secs=$2 n=0 limit
	limit=$((secs * 10))
	while tl_is_ours "$pid" && [ $n -lt $limit ]; do
		sleep 0.1
		n=$((n + 1))
	done
	if tl_is_ours "$pid"; then
		echo "process $pid still running after ${secs}s: killing it" >&2
		kill -TERM "$pid" 2>/dev/null
		sleep 0.2
		tl_is_ours "$pid" && kill -KILL "$pid" 2>/dev/null
	fi
	wait "$pid" 2>/dev/null
	local rc=$?
	tl_forget_pid "$pid"
	return $rc
}

# tl_capture_start FILE [FILTER...]: one capture at a time.
tl_capture_start() {
	local file=$1 n=0
	shift
	local err="$file.tcpdump.log"
	ip netns exec "$TL_NS_NAME" tcpdump -i lo -n -U --immediate-mode -w "$file" -s "$TL_SNAPLEN" "$@" 2>"$err" &
	TL_CAPTURE_PID=$!
	TL_PIDS+=("$TL_CAPTURE_PID")
	while ! grep -q "listening on" "$err" 2>/dev/null; do
		if ! tl_is_ours "$TL_CAPTURE_PID" || [ $n -ge 100 ]; then
			cat "$err" >&2
			tl_skip "tcpdump did not start capturing on lo"
		fi
		sleep 0.05
		n=$((n + 1))
	done
}

tl_capture_stop() {
	[ -n "$TL_CAPTURE_PID" ] || return 0
	# Give the last packets time to reach the capture buffer.
	sleep 0.2
	kill -INT "$TL_CAPTURE_PID" 2>/dev/null
	tl_wait_pid "$TL_CAPTURE_PID" 5
	TL_CAPTURE_PID=""
}

# tl_capture_cmd CAP OUT SECS CMD...: one capture around one command.
tl_capture_cmd() {
	local cap=$1 out=$2 secs=$3 rc=0
	shift 3
	tl_capture_start "$cap"
	timeout -k 2 "$secs" ip netns exec "$TL_NS_NAME" "$@" >"$out" || rc=$?
	tl_capture_stop
	return $rc
}

# tl_nft in|out RULE: packets dropped on "out" never reach the capture (the
# output hook runs before lo transmits); packets dropped on "in" are
# captured and then lost, as if the network had lost them after the capture
# point.
tl_nft_init() {
	[ $TL_NFT_READY = 0 ] || return 0
	tl_need_tool nft
	tl_ns nft add table inet tl 2>/dev/null || tl_skip "nftables unusable in the namespace"
	tl_ns nft 'add chain inet tl in { type filter hook input priority 0; policy accept; }' &&
		tl_ns nft 'add chain inet tl out { type filter hook output priority 0; policy accept; }' ||
		tl_skip "cannot add nftables chains in the namespace"
	TL_NFT_READY=1
}

tl_nft() {
	local chain=$1
	shift
	tl_nft_init
	tl_ns nft add rule inet tl "$chain" "$@"
}

tl_nft_flush() {
	[ $TL_NFT_READY = 1 ] || return 0
	tl_ns nft flush chain inet tl in
	tl_ns nft flush chain inet tl out
}

# tl_analyze OUT CAPTURE [OPTIONS...]: the JSON report into OUT; the exit
# code (0 clean, 1 findings, 2 error) into OUT.rc.
tl_analyze() {
	local out=$1 cap=$2
	shift 2
	local rc=0
	"$TCPLINT" analyze --format json "$@" "$cap" >"$out" 2>"$out.err" || rc=$?
	echo "$rc" >"$out.rc"
	if [ "$rc" -ge 2 ]; then
		echo "tcplint analyze $cap failed (exit $rc):" >&2
		cat "$out.err" >&2
	fi
	return 0
}

tl_json_get() {
	"$TL_PY" -c 'import json,sys; v=json.load(open(sys.argv[1])).get(sys.argv[2]); print("" if v is None else v)' "$1" "$2"
}

# tl_scenario NAME SECS ARGS...: capture $TL_DIR/NAME.pcap while
# "scenarios.py ARGS" runs in the namespace (at most SECS seconds), then
# analyze it into $TL_DIR/NAME.report.json with the options in the array
# TL_ANALYZE_OPTS (if set). Sets CAP, REPORT, SPORT and CPORT (server and
# client port, from the scenario's JSON line). Returns 1, logging a
# failure, when the scenario did not go as planned; a scenario failing is a
# test failure, never a skip.
tl_scenario() {
	local name=$1 secs=$2
	shift 2
	local out="$TL_DIR/$name.out"
	CAP="$TL_DIR/$name.pcap"
	REPORT="$TL_DIR/$name.report.json"
	SPORT=""
	CPORT=""
	tl_log "scenario $name: $*"
	if ! tl_capture_cmd "$CAP" "$out" "$secs" "$TL_PY" "$TL_HERE/scenarios.py" "$@"; then
		tl_check "$name: scenario ran as planned" sh -c 'cat "$1"; exit 1' sh "$out"
		return 1
	fi
	SPORT=$(tl_json_get "$out" server_port)
	CPORT=$(tl_json_get "$out" client_port)
	tl_check "$name: capture readable, frames agree with tshark" \
		"$TL_PY" "$TL_HERE/check.py" --capture "$CAP" --server-port "$SPORT" --tshark
	tl_analyze "$REPORT" "$CAP" ${TL_ANALYZE_OPTS[@]+"${TL_ANALYZE_OPTS[@]}"}
	tl_check "$name: tcplint analyze exits 0 or 1" \
		sh -c '[ "$(cat "$1.rc")" -le 1 ] || { cat "$1.err"; exit 1; }' sh "$REPORT"
	return 0
}

# tl_capture_check NAME ARGS...: check.py's capture-only checks (--shape,
# --capture-count) on the last scenario's capture.
tl_capture_check() {
	local name=$1
	shift
	tl_check "$name" "$TL_PY" "$TL_HERE/check.py" --capture "$CAP" \
		--server-port "$SPORT" ${CPORT:+--client-port "$CPORT"} "$@"
}

# tl_flow_check NAME ARGS...: check.py on the flow(s) of the last scenario
# (server port SPORT, client port CPORT when set).
tl_flow_check() {
	local name=$1
	shift
	tl_check "$name" "$TL_PY" "$TL_HERE/check.py" --report "$REPORT" --capture "$CAP" \
		--server-port "$SPORT" ${CPORT:+--client-port "$CPORT"} "$@"
}

tl_check() {
	local name=$1
	shift
	local out
	if out=$("$@" 2>&1); then
		TL_PASSES=$((TL_PASSES + 1))
		echo "ok   $name"
		[ -n "$out" ] && [ "${TL_VERBOSE:-0}" = 1 ] && printf '%s\n' "$out" | sed 's/^/     /'
	else
		TL_FAILS=$((TL_FAILS + 1))
		echo "FAIL $name"
		printf '%s\n' "$out" | sed 's/^/     /'
	fi
	return 0
}

tl_finish() {
	local secs
	secs=$(tl_elapsed)
	echo "$TL_PASSES passed, $TL_FAILS failed in ${secs}s"
	[ "$TL_FAILS" -eq 0 ] && exit 0
	exit 1
}
