#!/bin/bash
# bench.sh BUILD_DIR [FLOWS SEGMENTS CONCURRENT]
# Measures tcplint against libpcap's raw read speed and, when installed,
# against tshark's TCP analysis, on one generated capture. Prints a table;
# asserts nothing (speed is measured, not tested).
set -euo pipefail
build=${1:?usage: bench.sh BUILD_DIR [FLOWS SEGMENTS CONCURRENT]}
flows=${2:-20000} segs=${3:-40} conc=${4:-500}
cap="$build/bench-$flows-$segs-$conc.pcap"
[ -f "$cap" ] || "$build/tests/bench/gen_bench" "$cap" "$flows" "$segs" "$conc"
packets=$("$build/tests/bench/pcap_read" "$cap" | awk '{print $1}')
size_mb=$(( $(stat -c %s "$cap") / 1048576 ))

# best of N wall-clock seconds for a command
best() {
	local n=$1 best=999999 t
	shift
	for _ in $(seq "$n"); do
		local s e
		s=$(date +%s.%N)
		"$@" >/dev/null 2>&1 || true
		e=$(date +%s.%N)
		t=$(echo "$e - $s" | bc -l)
		best=$(echo "if ($t < $best) $t else $best" | bc -l)
	done
	printf '%.3f' "$best"
}

row() { printf '%-34s %8s s %12.0f pkt/s\n' "$1" "$2" "$(echo "$packets / $2" | bc -l)"; }

echo "capture: $cap ($packets packets, $size_mb MiB, $flows flows)"
raw=$(best 5 "$build/tests/bench/pcap_read" "$cap")
row "libpcap read loop" "$raw"
for fmt in text json; do
	t=$(best 5 "$build/tcplint" analyze --format "$fmt" -o /dev/null "$cap")
	row "tcplint analyze --format $fmt" "$t"
	echo "   = $(echo "scale=2; $raw / $t * 100" | bc -l)% of libpcap's raw read speed"
done
if command -v tshark >/dev/null 2>&1; then
	t=$(best 1 tshark -n -r "$cap" -q -z io,stat,0,tcp.analysis.flags)
	row "tshark TCP analysis" "$t"
	tl=$(best 3 "$build/tcplint" analyze --format json -o /dev/null "$cap")
	echo "   tcplint is $(echo "scale=1; $t / $tl" | bc -l)x faster than tshark"
fi
