#!/bin/bash
# bench.sh - the project's benchmark: tcplint on one generated capture,
# against libpcap's bare read loop and, when installed, tshark and tcptrace.
# Prints markdown tables; asserts nothing (speed is measured, never tested).
usage() {
	cat <<'EOF'
usage: bench.sh BUILD_DIR [--shape short|long|huge] [--runs N]
                [--vs OTHER_TCPLINT] [--rows LIST] [--flows N]
                [--concurrent N] [--dir DIR]
       bench.sh BUILD_DIR --memory [--vs OTHER_TCPLINT] [--open LOW,HIGH]
                [--finished A,B] [--finished-open N] [--dir DIR]

Speed: the commands of LIST (default read,text,json,jsonl,sarif,threads,
tshark,tcptrace; huge: read,jsonl) run on the capture of the shape,
alternating run by run (A B A B), N times each (default 3, huge 1); the
table gives the best and the median, packets/s, MB/s, peak RSS, report bytes
per connection and each command's time over the bare loop's. tcplint writes
with -o /dev/null; 'threads' is jsonl with --threads $(nproc), only when the
binary offers --threads; tshark and tcptrace only when installed. With --vs
the other binary's text, json, jsonl and sarif rows alternate with them and
the last column is its best time over this one's.

Memory: peak RSS of 'analyze --format jsonl' on two captures of the short
mix that differ only in how many connections are open at once (LOW and HIGH,
default 1000,100000; every connection closes), giving the bytes per open
connection; then on A and B finished connections (default 1000000,10000000)
at the same concurrency (default 20000), streamed from the generator through
a pipe (no file), to show that memory stays flat ('--finished none' skips
this part).

Captures are written to DIR (default $TCPLINT_BENCH_DIR or /tmp/tcplint-bench,
never the source tree: the short one is 92 MB, huge about 1 GB) and reused
while they are newer than the generator.
EOF
	exit 2
}

set -euo pipefail

[ $# -ge 1 ] || usage
build=$1
shift
shape=short runs='' vs='' rows='' flows='' conc='' memory=0
open_pair=1000,100000 finished_pair=1000000,10000000 finished_open=20000
dir=${TCPLINT_BENCH_DIR:-/tmp/tcplint-bench}
while [ $# -gt 0 ]; do
	case $1 in
	--shape) shape=${2:?}; shift ;;
	--runs) runs=${2:?}; shift ;;
	--vs) vs=${2:?}; shift ;;
	--rows) rows=${2:?}; shift ;;
	--flows) flows=${2:?}; shift ;;
	--concurrent) conc=${2:?}; shift ;;
	--dir) dir=${2:?}; shift ;;
	--memory) memory=1 ;;
	--open) open_pair=${2:?}; shift ;;
	--finished) finished_pair=${2:?}; shift ;;
	--finished-open) finished_open=${2:?}; shift ;;
	*) usage ;;
	esac
	shift
done
case $shape in short | long | huge) ;; *) usage ;; esac

tcplint=$build/tcplint
gen=$build/tests/bench/gen_bench
loop=$build/tests/bench/pcap_read
run=$build/tests/bench/bench_run
for f in "$tcplint" "$gen" "$loop" "$run"; do
	[ -x "$f" ] || { echo "bench.sh: $f missing: build tcplint, gen_bench, pcap_read and bench_run" >&2; exit 2; }
done
[ -z "$vs" ] || [ -x "$vs" ] || { echo "bench.sh: $vs: not an executable" >&2; exit 2; }
mkdir -p "$dir"

# capture NAME GEN_ARGS...: generate DIR/NAME.pcap unless it is newer than
# the generator; its summary line (frames, connections, mix) is NAME.info.
capture() {
	local name=$1
	shift
	local cap=$dir/$name.pcap
	if [ ! -s "$cap" ] || [ ! -s "$cap.info" ] || [ "$gen" -nt "$cap" ]; then
		echo "generating $cap" >&2
		if ! "$gen" "$@" "$cap" 2>"$cap.info"; then
			cat "$cap.info" >&2
			rm -f "$cap" "$cap.info"
			return 1
		fi
	fi
	echo "$cap"
}

# measure CMD...: one run; prints "WALL USER SYS RSS_KB EXIT".
measure() { "$run" "$@"; }

# median and best of the numbers on stdin
stats() { sort -g | awk '{ v[NR] = $1 } END {
	m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
	printf "%.3f %.3f\n", v[1], m }'; }

# bytes CMD...: bytes the command writes on standard output (untimed)
bytes() {
	local f
	f=$(mktemp "$dir/out.XXXXXX")
	"$run" --stdout "$f" "$@" >/dev/null
	stat -c %s "$f"
	rm -f "$f"
}

has_threads() { "$1" analyze --help 2>&1 | grep -q -- '--threads'; }

# ---- memory probe ---------------------------------------------------------
rss_mb() { awk '{ printf "%.1f", $4 / 1024 }'; }

memory_probe() {
	local lo=${open_pair%,*} hi=${open_pair#*,}
	local fa=${finished_pair%,*} fb=${finished_pair#*,}
	local mflows=$((hi * 2)) bins=("$tcplint") names=("tcplint")
	[ -z "$vs" ] || { bins+=("$vs"); names+=("other"); }
	local cap_lo cap_hi
	cap_lo=$(capture "mem-$mflows-open$lo" --shape short --all-close --flows "$mflows" --concurrent "$lo") || exit 1
	cap_hi=$(capture "mem-$mflows-open$hi" --shape short --all-close --flows "$mflows" --concurrent "$hi") || exit 1
	echo
	echo "memory: peak RSS of analyze --format jsonl -o /dev/null"
	echo
	local head="| probe |" sep="| --- |"
	for n in "${names[@]}"; do head+=" $n |"; sep+=" --- |"; done
	echo "$head"
	echo "$sep"
	local i r_lo=() r_hi=()
	for i in "${!bins[@]}"; do
		r_lo[i]=$(measure "${bins[i]}" analyze --format jsonl -o /dev/null "$cap_lo" | awk '{print $4}')
		r_hi[i]=$(measure "${bins[i]}" analyze --format jsonl -o /dev/null "$cap_hi" | awk '{print $4}')
	done
	local row
	row="| $mflows connections, $lo open at once |"
	for i in "${!bins[@]}"; do row+=" $(echo "${r_lo[i]}" | awk '{printf "%.1f MB", $1/1024}') |"; done
	echo "$row"
	row="| $mflows connections, $hi open at once |"
	for i in "${!bins[@]}"; do row+=" $(echo "${r_hi[i]}" | awk '{printf "%.1f MB", $1/1024}') |"; done
	echo "$row"
	row="| bytes per open connection |"
	for i in "${!bins[@]}"; do
		row+=" $(awk -v a="${r_lo[i]}" -v b="${r_hi[i]}" -v n=$((hi - lo)) 'BEGIN{printf "%.0f", (b - a) * 1024 / n}') |"
	done
	echo "$row"
	[ "$finished_pair" != none ] || return 0
	local count
	for count in "$fa" "$fb"; do
		row="| $count finished connections, $finished_open open at once |"
		for i in "${!bins[@]}"; do
			local t
			t=$("$gen" --shape short --all-close --flows "$count" --concurrent "$finished_open" - 2>/dev/null |
				measure "${bins[i]}" analyze --format jsonl -o /dev/null -)
			row+=" $(echo "$t" | rss_mb) MB ($(echo "$t" | awk '{printf "%.0f", $1}') s) |"
		done
		echo "$row"
	done
}

if [ "$memory" = 1 ]; then
	memory_probe
	exit 0
fi

# ---- speed ----------------------------------------------------------------
case $shape in
short) gargs=(--shape short) ;;
long) gargs=(--shape long) ;;
huge) gargs=(--shape huge); runs=${runs:-1}; rows=${rows:-read,jsonl} ;;
esac
runs=${runs:-3}
rows=${rows:-read,text,json,jsonl,sarif,threads,tshark,tcptrace}
name=$shape
[ -z "$flows" ] || { gargs+=(--flows "$flows"); name+=-f$flows; }
[ -z "$conc" ] || { gargs+=(--concurrent "$conc"); name+=-c$conc; }
cap=$(capture "$name" "${gargs[@]}") || exit 1
frames=$(awk '{print $1; exit}' "$cap.info")
conns=$(awk '{print $3; exit}' "$cap.info")
size=$(stat -c %s "$cap")

# The rows: a label and a command (an array per row, by index).
labels=() notes=()
declare -A cmd
add() { # add LABEL CMD...
	local i=${#labels[@]}
	labels+=("$1")
	shift
	cmd[$i]=$(printf '%q ' "$@")
}
want() { [[ ,$rows, == *,$1,* ]]; }
want read && add "libpcap read loop" "$loop" "$cap"
for fmt in text json jsonl sarif; do
	want "$fmt" || continue
	add "tcplint $fmt" "$tcplint" analyze --format "$fmt" -o /dev/null "$cap"
	[ -z "$vs" ] || add "other $fmt" "$vs" analyze --format "$fmt" -o /dev/null "$cap"
done
if want threads; then
	nth=$(nproc)
	if has_threads "$tcplint"; then
		add "tcplint jsonl --threads $nth" "$tcplint" analyze --format jsonl --threads "$nth" -o /dev/null "$cap"
	else
		notes+=("tcplint has no --threads")
	fi
	if [ -n "$vs" ] && has_threads "$vs"; then
		add "other jsonl --threads $nth" "$vs" analyze --format jsonl --threads "$nth" -o /dev/null "$cap"
	fi
fi
if want tshark; then
	if command -v tshark >/dev/null 2>&1; then
		add "tshark -q -z conv,tcp" tshark -q -z conv,tcp -r "$cap"
	else
		notes+=("tshark not installed")
	fi
fi
if want tcptrace; then
	if command -v tcptrace >/dev/null 2>&1; then
		add "tcptrace -n" tcptrace -n "$cap"
	else
		notes+=("tcptrace not installed")
	fi
fi

# Alternate: run 1 of every row, then run 2 of every row, ...
declare -A walls rss
n=${#labels[@]}
for r in $(seq "$runs"); do
	for i in $(seq 0 $((n - 1))); do
		line=$(eval "measure ${cmd[$i]}")
		read -r w _ _ k code <<<"$line"
		[ "$code" = 0 ] || echo "bench.sh: ${labels[i]} exited $code" >&2
		walls[$i]+="$w "
		[ "${rss[$i]:-0}" -ge "$k" ] || rss[$i]=$k
	done
	echo "run $r of $runs done" >&2
done

# Report bytes per connection: one more, untimed run to standard output.
declare -A outb
for i in $(seq 0 $((n - 1))); do
	[ "${labels[i]}" != "libpcap read loop" ] || continue
	c=${cmd[$i]//-o \/dev\/null/-o -}
	outb[$i]=$(eval "bytes $c")
done

best_of() { echo "${walls[$1]}" | tr ' ' '\n' | grep . | stats; }
loop_best=''
for i in $(seq 0 $((n - 1))); do
	[ "${labels[i]}" != "libpcap read loop" ] || loop_best=$(best_of "$i" | awk '{print $1}')
done
# best time of the other binary's row with the same format, for --vs
other_best() {
	local want_label=${1/tcplint /other } j
	for j in $(seq 0 $((n - 1))); do
		[ "${labels[j]}" != "$want_label" ] || { best_of "$j" | awk '{print $1}'; return; }
	done
}

echo
echo "capture: $cap"
echo "$(cat "$cap.info")"
echo "$(awk -v s="$size" 'BEGIN{printf "%.1f MB", s / 1e6}'), $frames packets, $conns connections; $runs runs, alternated; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
[ -z "$vs" ] || echo "other = $vs"
for note in "${notes[@]+"${notes[@]}"}"; do echo "($note)"; done
echo
hdr="| command | best s | median s | packets/s | MB/s | peak RSS MB | report B/conn | x bare loop |"
sep="| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
[ -z "$vs" ] || { hdr+=" other / this |"; sep+=" ---: |"; }
echo "$hdr"
echo "$sep"
for i in $(seq 0 $((n - 1))); do
	read -r best med <<<"$(best_of "$i")"
	ob=''
	if [ -n "$vs" ] && [[ ${labels[i]} == tcplint* ]]; then ob=$(other_best "${labels[i]}"); fi
	awk -v l="${labels[i]}" -v b="$best" -v m="$med" -v f="$frames" -v s="$size" \
		-v k="${rss[$i]}" -v o="${outb[$i]:-}" -v c="$conns" -v lb="${loop_best:-}" \
		-v vs="$vs" -v ob="$ob" 'BEGIN {
		pps = b > 0 ? f / b : 0
		if (pps >= 1e6) p = sprintf("%.2f M", pps / 1e6); else p = sprintf("%.0f k", pps / 1e3)
		row = sprintf("| %s | %.3f | %.3f | %s | %.0f | %.1f | %s | %s |", l, b, m, p,
			s / 1e6 / b, k / 1024, o == "" ? "" : sprintf("%.0f", o / c),
			lb == "" ? "" : sprintf("%.1f", b / lb))
		if (vs != "") row = row sprintf(" %s |", ob == "" ? "" : sprintf("%.2f", ob / b))
		print row }'
done
