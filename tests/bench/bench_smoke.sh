#!/bin/bash
# bench_smoke.sh BUILD_DIR WORK_DIR - prove the benchmark works, timing
# nothing: bench.sh on a tiny short-shape capture (one run, every row, --vs
# the same binary) and its memory probe on tiny counts must print their
# tables whole; the generator's claimed mix must be what tcplint finds in
# the capture. Exits 77 (skipped) when python3 is missing.
set -euo pipefail
build=${1:?usage: bench_smoke.sh BUILD_DIR WORK_DIR}
work=${2:?usage: bench_smoke.sh BUILD_DIR WORK_DIR}
here=$(cd "$(dirname "$0")" && pwd)
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 not installed"; exit 77; }
rm -rf "$work"
mkdir -p "$work"

bash "$here/bench.sh" "$build" --shape short --flows 600 --concurrent 120 --runs 1 \
	--vs "$build/tcplint" --dir "$work" >"$work/speed.md"
bash "$here/bench.sh" "$build" --memory --open 20,200 --finished 300,600 \
	--finished-open 50 --dir "$work" >"$work/memory.md"
cap=$work/short-f600-c120.pcap
"$build/tcplint" analyze --format json -o "$work/report.json" "$cap" || true

python3 - "$work" "$cap" "$("$build/tests/bench/pcap_read" "$cap")" <<'EOF'
import json, re, sys

work, cap, loop_out = sys.argv[1], sys.argv[2], sys.argv[3]
fails = []
def check(cond, what):
    if not cond:
        fails.append(what)

# The generator's summary line: frames, connections, the mix.
info = open(cap + ".info").read()
m = re.match(r"(\d+) frames, (\d+) connections, (\d+) open at once, (\d+) IPv6;(.*)", info)
check(m, "gen_bench summary line: " + info)
frames, conns, _, v6 = (int(x) for x in m.groups()[:4])
mix = dict((k, int(v)) for k, v in re.findall(r" (\w+) (\d+)", m.group(5)))
check(frames == int(loop_out.split()[0]), "frames != what pcap_read counts")

# The mix against what tcplint finds.
rep = json.load(open(work + "/report.json"))
s = rep["summary"]
g = lambda k: mix.get(k, 0)
check(s["packets"] == frames, "packets")
check(s["flows"] == conns, "flows")
closes, anoms = s["closes"], s["anomalies"]
check(closes.get("none", 0) == g("rejected"), "close none = rejected")
check(closes.get("reset", 0) == g("reset"), "close reset")
check(closes.get("three_way", 0) == g("three_way"), "close three_way")
check(closes.get("half_closed", 0) == g("close_wait"), "close half_closed")
check(closes.get("four_way", 0) == g("four_way") + g("server_close") + g("retransmit")
      + g("keepalive") + g("linger"), "close four_way")
check(anoms.get("rejected", 0) == g("rejected"), "rejected anomalies")
check(anoms.get("premature_close", 0) == g("reset"), "premature_close anomalies")
check(anoms.get("retransmission", 0) == g("retransmit"), "retransmission anomalies")
lcw = anoms.get("lingering_close_wait", 0)
check(g("linger") <= lcw <= g("linger") + g("close_wait"), "lingering_close_wait")
check(set(anoms) <= {"rejected", "premature_close", "retransmission",
                     "lingering_close_wait"}, "unexpected anomaly types %s" % anoms)
flows = rep["flows"]
check(sum(":" in f["client"]["ip"] for f in flows) == v6, "IPv6 flows")
check(sum(f["keepalive"]["probes"] == 2 and f["keepalive"]["answered"] == 2
          for f in flows) == g("keepalive"), "answered keepalives")
check(sum(f["active_closer"] == "server" for f in flows if f["close"] == "four_way")
      == g("server_close"), "server-closed four-way")

# The speed table: every row there, with numbers.
speed = open(work + "/speed.md").read()
rows = {}
for line in speed.splitlines():
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if line.startswith("| ") and len(cells) >= 9 and cells[0] not in ("command", "---"):
        rows[cells[0]] = cells
need = ["libpcap read loop"] + ["%s %s" % (who, fmt) for who in ("tcplint", "other")
                                for fmt in ("text", "json", "jsonl", "sarif")]
for r in need:
    check(r in rows, "speed row " + r)
num = re.compile(r"^\d+(\.\d+)?$")
for name, c in rows.items():
    check(all(num.match(x) for x in (c[1], c[2], c[4], c[5], c[7])), "numbers in " + name)
    check(float(c[1]) > 0 and float(c[5]) > 0, "time and RSS of " + name)
for fmt in ("text", "json", "jsonl", "sarif"):
    c = rows.get("tcplint " + fmt)
    if c:
        check(num.match(c[6]) and float(c[6]) > 0, "report bytes of " + fmt)
        check(num.match(c[8]), "other / this of " + fmt)
check(("%d packets, %d connections" % (frames, conns)) in speed, "capture line")

# The memory table.
mem = open(work + "/memory.md").read()
check(re.search(r"\| bytes per open connection \| -?\d+ \|", mem), "bytes per open connection")
for n in (300, 600):
    check(re.search(r"\| %d finished connections, 50 open at once \| [\d.]+ MB \(\d+ s\) \|" % n, mem),
          "finished %d" % n)

if fails:
    print("bench_smoke: FAILED:", *fails, sep="\n  ")
    print(speed, mem, sep="\n")
    sys.exit(1)
print(speed, mem, sep="\n")
print("bench_smoke: speed table, memory probe and the generator's mix all check out")
EOF
