#!/usr/bin/env bash
# it_scaling.sh - the one-machine recipe of docs/SCALING.md, as written
# there: GNU parallel runs one `analyze --shard K/4` per shard, `merge`
# joins them, and the result equals one run of the same capture.
#
# Needs: $TCPLINT (set by ctest), GNU parallel (Debian package parallel),
# python3, the benchmark generator (build/tests/bench/gen_bench).
# Exit: 0 pass, 1 fail, 77 skipped (a tool is missing: says which).
set -u

TL=${TCPLINT:-}
BIN=${TCPLINT_BINARY_DIR:-}
GEN=$BIN/tests/bench/gen_bench
skip() { echo "SKIP: $*"; exit 77; }
[ -n "$TL" ] && [ -x "$TL" ] || skip "TCPLINT is not set to the tcplint binary"
command -v parallel >/dev/null || skip "GNU parallel is not installed (apt-get install parallel)"
parallel --version 2>/dev/null | grep -q "GNU parallel" || skip "parallel is not GNU parallel"
command -v python3 >/dev/null || skip "python3 is not installed"
[ -x "$GEN" ] || skip "the capture generator $GEN is not built"

W=$(mktemp -d /tmp/it_scaling.XXXXXX)
trap 'rm -rf "$W"' EXIT
cd "$W" || exit 1
"$GEN" --flows 5000 --concurrent 500 big.pcap >/dev/null || { echo "FAIL: gen_bench"; exit 1; }

# The recipe (docs/SCALING.md, "One machine").
parallel -j 4 "$TL" analyze --format jsonl --shard {}/4 -o shard-{}.jsonl big.pcap ::: 0 1 2 3
"$TL" merge -o merged.json shard-0.jsonl shard-1.jsonl shard-2.jsonl shard-3.jsonl
"$TL" analyze --format json -o one.json big.pcap

python3 - <<'PY'
import json, sys
one = json.load(open("one.json"))
merged = json.load(open("merged.json"))
bad = [k for k in ("inputs", "summary", "flows") if one[k] != merged[k]]
print(f"one run: {len(one['flows'])} flows; merged shards: {len(merged['flows'])} flows")
if bad:
    print("FAIL: the merged report differs from one run in: " + ", ".join(bad))
    sys.exit(1)
print("PASS: 4 shards through GNU parallel, merged, equal one run")
PY
