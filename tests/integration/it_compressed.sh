#!/usr/bin/env bash
# it_compressed.sh - compressed captures end to end: a gzip and a zstd copy
# of every capture in testdata/ (and of a few pcapng files of the shared
# corpus, when it is there), made here with the gzip and zstd tools, give
# the same JSON and text reports as the plain file, read by name or from
# standard input; concatenated gzip members and zstd frames read as one;
# a truncated .gz, a corrupted .zst and gzip data that is no capture each
# give exactly one line on standard error and exit 2, the truncated one
# after analyzing the packets before the cut; -o refuses to overwrite a
# compressed capture; --version names zlib and zstd.
#
# Needs: $TCPLINT (set by ctest), gzip, zstd, /usr/bin/python3.
# Exit: 0 pass, 1 fail, 77 skipped (a tool is missing: says which).
set -u

SRC=${TCPLINT_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
TL=${TCPLINT:-}
PY=/usr/bin/python3
TD=$SRC/testdata
CORPUS=${TCPLINT_CORPUS_DIR:-$SRC/../shared/corpus}

skip() { echo "SKIP: $*"; exit 77; }
[ -n "$TL" ] && [ -x "$TL" ] || skip "TCPLINT is not set to the tcplint binary"
command -v gzip >/dev/null || skip "gzip is not installed"
command -v zstd >/dev/null || skip "zstd is not installed"
[ -x "$PY" ] || skip "/usr/bin/python3 is not installed"

W=$(mktemp -d /tmp/it_compressed.XXXXXX)
trap 'rm -rf "$W"' EXIT
FAILS=0
PASSES=0
ok() { PASSES=$((PASSES + 1)); echo "ok   $*"; }
bad() { FAILS=$((FAILS + 1)); echo "FAIL $*"; }

# report FILE FORMAT NAME: tcplint's report of FILE with FILE's path
# written as NAME, so that reports of different files compare.
report() {
	"$TL" analyze --max-flows 4096 --format "$2" "$1" 2>"$W/err" |
		sed "s#$1#$3#g"
}

# same PLAIN COPY: the JSON and text reports of the two are the same.
same() {
	local fmt
	for fmt in json text; do
		report "$1" $fmt CAPTURE >"$W/a"
		report "$2" $fmt CAPTURE >"$W/b"
		if [ ! -s "$W/a" ] || ! cmp -s "$W/a" "$W/b"; then
			bad "$2 ($fmt) differs from $1"
			diff "$W/a" "$W/b" | head -5
			return
		fi
	done
	ok "$2 reports as $1"
}

caps=("$TD"/*.pcap)
for f in "$CORPUS"/tcpdump/of13_ericsson.pcapng "$CORPUS"/zeek/tcp/retransmit-timeout.pcapng \
	 "$CORPUS"/tcpdump/pptp.pcap; do
	[ -f "$f" ] && caps+=("$f")
done
for f in "${caps[@]}"; do
	b=$W/$(basename "$f")
	gzip -c "$f" >"$b.gz"
	zstd -q -c "$f" >"$b.zst"
	same "$f" "$b.gz"
	same "$f" "$b.zst"
done

# By content, not by name; from a pipe.
D=$TD/demo.pcap
gzip -c "$D" >"$W/demo.capture"
same "$D" "$W/demo.capture"
"$TL" analyze --format json - <"$D" >"$W/plain.json" 2>/dev/null
zstd -q -c "$D" | "$TL" analyze --format json - >"$W/zst.json" 2>/dev/null
gzip -c "$D" | "$TL" analyze --format json - >"$W/gz.json" 2>/dev/null
if [ -s "$W/plain.json" ] && cmp -s "$W/plain.json" "$W/zst.json" &&
	cmp -s "$W/plain.json" "$W/gz.json"; then
	ok "zstd and gzip data on standard input report as the plain capture"
else
	bad "compressed standard input differs from the plain capture"
fi

# Several gzip members, several zstd frames: one capture.
n=$(stat -c %s "$D")
head -c $((n / 3)) "$D" | gzip -c >"$W/multi.pcap.gz"
tail -c +$((n / 3 + 1)) "$D" | gzip -c >>"$W/multi.pcap.gz"
head -c $((n / 2)) "$D" | zstd -q -c >"$W/multi.pcap.zst"
tail -c +$((n / 2 + 1)) "$D" | zstd -q -c >>"$W/multi.pcap.zst"
same "$D" "$W/multi.pcap.gz"
same "$D" "$W/multi.pcap.zst"

# one_line_exit2 NAME FILE PATTERN: exit 2, and standard error is exactly one
# line naming FILE and matching PATTERN.
one_line_exit2() {
	local rc lines
	"$TL" analyze --format json "$2" >"$W/out.json" 2>"$W/err"
	rc=$?
	lines=$(wc -l <"$W/err")
	if [ $rc -eq 2 ] && [ "$lines" -eq 1 ] && grep -q "^tcplint: $2: .*$3" "$W/err"; then
		ok "$1: exit 2, one line: $(cat "$W/err")"
	else
		bad "$1: exit $rc, $lines lines: $(head -3 "$W/err")"
	fi
}

# A .gz cut short: the packets before the cut are analyzed.
B=$TD/retransmission.pcap
gzip -c "$B" >"$W/full.gz"
n=$(stat -c %s "$W/full.gz")
head -c $((n * 2 / 3)) "$W/full.gz" >"$W/cut.pcap.gz"
one_line_exit2 "truncated .gz" "$W/cut.pcap.gz" "truncated capture: the gzip data is cut short"
"$PY" - "$W/out.json" "$B" "$TL" <<'PYEOF'
import json, subprocess, sys
cut = json.load(open(sys.argv[1]))
whole = json.loads(subprocess.run([sys.argv[3], "analyze", "--format", "json", sys.argv[2]],
                                  capture_output=True, text=True).stdout)
got, all_ = cut["inputs"][0]["packets"], whole["inputs"][0]["packets"]
ok = 0 < got < all_ and cut["inputs"][0]["failed"] and cut["summary"]["flows"] >= 1
print(f"{'ok  ' if ok else 'FAIL'} the cut .gz analyzed {got} of {all_} packets before the cut")
sys.exit(0 if ok else 1)
PYEOF
if [ $? -eq 0 ]; then PASSES=$((PASSES + 1)); else FAILS=$((FAILS + 1)); fi

# A .zst with damaged bytes in the middle: the checksum finds them.
zstd -q -c "$B" >"$W/bad.pcap.zst"
n=$(stat -c %s "$W/bad.pcap.zst")
printf '\377\377\377\377\377\377\377\377' |
	dd of="$W/bad.pcap.zst" bs=1 seek=$((n / 2)) conv=notrunc 2>/dev/null
one_line_exit2 "corrupted .zst" "$W/bad.pcap.zst" "corrupt zstd data"

# Damaged deflate data, cut zstd data, gzip data that is not a capture,
# a file that starts like gzip and is not.
gzip -c "$B" >"$W/bad.pcap.gz"
n=$(stat -c %s "$W/bad.pcap.gz")
printf '\377\377\377\377\377\377\377\377' |
	dd of="$W/bad.pcap.gz" bs=1 seek=$((n / 2)) conv=notrunc 2>/dev/null
one_line_exit2 "corrupted .gz" "$W/bad.pcap.gz" "corrupt gzip data"
zstd -q -c "$B" | head -c 200 >"$W/cut.pcap.zst"
one_line_exit2 "truncated .zst" "$W/cut.pcap.zst" "truncated capture: the zstd data is cut short"
echo "not a capture" | gzip -c >"$W/text.gz"
one_line_exit2 "gzip text" "$W/text.gz" "is not a pcap or pcapng capture (gzip-compressed: "
printf '\037\000 not gzip' >"$W/notgz"
one_line_exit2 "a gzip-like first byte" "$W/notgz" "is not a pcap or pcapng capture (unknown file format)"

# -o never overwrites a compressed capture; a gzip file that is no capture
# is only a file.
gzip -c "$D" >"$W/keep.pcap.gz"
sum_before=$(cksum <"$W/keep.pcap.gz")
"$TL" analyze -o "$W/keep.pcap.gz" "$B" >/dev/null 2>"$W/err"
rc=$?
if [ $rc -eq 2 ] && grep -q 'is an existing capture file' "$W/err" &&
	[ "$(cksum <"$W/keep.pcap.gz")" = "$sum_before" ]; then
	ok "-o refuses a gzip-compressed capture, which stays intact"
else
	bad "-o over a gzip-compressed capture: exit $rc, $(cat "$W/err")"
fi
zstd -q -c "$D" >"$W/keep.zst"
"$TL" analyze -o "$W/keep.zst" "$B" >/dev/null 2>"$W/err"
if [ $? -eq 2 ] && grep -q 'is an existing capture file' "$W/err"; then
	ok "-o refuses a zstd-compressed capture"
else
	bad "-o over a zstd-compressed capture: $(cat "$W/err")"
fi
if "$TL" analyze -o "$W/text.gz" "$B" >/dev/null 2>&1 && grep -q '^totals' "$W/text.gz"; then
	ok "-o replaces gzip data that is not a capture"
else
	bad "-o refused gzip data that is not a capture"
fi

# --version names the decompressors.
if "$TL" --version | grep -q '^zlib [0-9]' && "$TL" --version | grep -q '^zstd [0-9]'; then
	ok "--version names zlib and zstd"
else
	bad "--version does not name zlib and zstd"
fi

echo "$PASSES passed, $FAILS failed"
[ $FAILS -eq 0 ]
