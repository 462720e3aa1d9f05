#!/usr/bin/env python3
"""--shard K/N and tcplint merge: the merge of every shard is one run.

For each capture (testdata/, the corpus when present, and a generated
capture of many connections), run `analyze` once whole and once per shard
for N = 2 and 3, merge the shards, and require the merged report to equal
the whole run flow for flow, anomaly for anomaly, and in every summary
total, in json and in jsonl. Also: each connection lands in exactly one
shard, and merge refuses overlapping reports and reports that list only
some flows.

    test_shard_merge.py TCPLINT TESTDATA_DIR CORPUS_DIR GEN_BENCH
"""
import glob
import json
import os
import subprocess
import sys
import tempfile

CAPTURE_EXT = (".pcap", ".pcapng", ".cap", ".trace", ".gz")


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, **kw)


def analyze(tcplint, cap, fmt, out, extra=()):
    # a table sized for these captures: the sanitizer build pays for the
    # default one (262144 flows) on every run
    r = run([tcplint, "analyze", "--max-flows", "8192", "--format", fmt, "-o", out, *extra, cap])
    if r.returncode not in (0, 1, 2) or not os.path.exists(out):
        raise AssertionError(f"analyze {cap} {extra}: rc {r.returncode}: {r.stderr.strip()}")


def load(path, fmt):
    """(flows, summary, inputs) of a json or jsonl report."""
    with open(path) as f:
        if fmt == "json":
            doc = json.load(f)
            return doc["flows"], doc["summary"], doc["inputs"]
        flows, summary = [], None
        for line in f:
            o = json.loads(line)
            if o["type"] == "flow":
                del o["type"]
                flows.append(o)
            elif o["type"] == "summary":
                summary = o
        inputs = summary.pop("inputs")
        for k in ("type", "schema_version", "tool"):
            summary.pop(k)
        flows.sort(key=lambda x: (x["input"], x["id"]))
        return flows, summary, inputs


def check_capture(tcplint, cap, tmp, problems):
    for fmt in ("json", "jsonl"):
        whole = os.path.join(tmp, f"whole.{fmt}")
        analyze(tcplint, cap, fmt, whole)
        wflows, wsum, winputs = load(whole, fmt)
        for n in (2, 3):
            parts = []
            seen = 0
            for k in range(n):
                p = os.path.join(tmp, f"shard{k}.{fmt}")
                analyze(tcplint, cap, fmt, p, ("--shard", f"{k}/{n}"))
                seen += len(load(p, fmt)[0])
                parts.append(p)
            merged = os.path.join(tmp, f"merged.{fmt}")
            r = run([tcplint, "merge", "--format", fmt, "-o", merged, *parts])
            if r.returncode not in (0, 1, 2) or not os.path.exists(merged):
                problems.append(f"{cap} {fmt} N={n}: merge failed: {r.stderr.strip()}")
                continue
            mflows, msum, minputs = load(merged, fmt)
            where = f"{os.path.basename(cap)} {fmt} N={n}"
            if seen != len(wflows):
                problems.append(f"{where}: shards hold {seen} flows, one run {len(wflows)}")
            if mflows != wflows:
                bad = next((i for i, (a, b) in enumerate(zip(mflows, wflows)) if a != b),
                           min(len(mflows), len(wflows)))
                problems.append(f"{where}: flow {bad} differs from the one run's "
                                f"({len(mflows)} flows against {len(wflows)})")
            for key in wsum:
                if msum.get(key) != wsum[key]:
                    problems.append(f"{where}: summary.{key}: {msum.get(key)!r} != {wsum[key]!r}")
            if minputs != winputs:
                problems.append(f"{where}: inputs differ")
            os.remove(merged)
            for p in parts:
                os.remove(p)
        os.remove(whole)


def check_refusals(tcplint, cap, tmp, problems):
    a = os.path.join(tmp, "a.json")
    s0 = os.path.join(tmp, "s0.json")
    top = os.path.join(tmp, "top.json")
    analyze(tcplint, cap, "json", a)
    analyze(tcplint, cap, "json", s0, ("--shard", "0/2"))
    analyze(tcplint, cap, "json", top, ("--top", "1"))
    cases = [
        ([a, a], "overlap"),
        ([a, s0], "overlap"),
        ([s0, s0], "overlap"),
        ([top], "merge needs every flow"),
    ]
    for reports, words in cases:
        r = run([tcplint, "merge", *reports])
        if r.returncode != 2 or words not in r.stderr or r.stderr.count("\n") != 1:
            problems.append(f"merge {[os.path.basename(x) for x in reports]}: expected exit 2 "
                            f"and one line saying '{words}', got {r.returncode}: {r.stderr!r}")
    r = run([tcplint, "analyze", "--shard", "2/2", cap])
    if r.returncode != 2 or "--shard" not in r.stderr:
        problems.append(f"--shard 2/2 not refused: {r.returncode} {r.stderr!r}")
    # a shard's report names its shard; one run's names none
    with open(s0) as f:
        if json.load(f)["tool"].get("shard") != {"index": 0, "count": 2}:
            problems.append("a --shard 0/2 report does not say tool.shard {index 0, count 2}")
    with open(a) as f:
        if "shard" in json.load(f)["tool"]:
            problems.append("a report without --shard has tool.shard")


def main():
    if len(sys.argv) != 5:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    tcplint, testdata, corpus, gen_bench = sys.argv[1:]
    caps = sorted(glob.glob(os.path.join(testdata, "*.pcap")))
    if os.path.isdir(corpus):
        caps += sorted(p for p in glob.glob(os.path.join(corpus, "**", "*"), recursive=True)
                       if p.endswith(CAPTURE_EXT) and os.path.isfile(p))
    else:
        print(f"corpus {corpus} absent: testdata and the generated capture only")
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        gen = os.path.join(tmp, "many.pcap")
        r = run([gen_bench, "--flows", "3000", "--concurrent", "400", gen])
        if r.returncode != 0:
            problems.append(f"gen_bench failed: {r.stderr.strip()}")
        else:
            caps.append(gen)
        for cap in caps:
            try:
                check_capture(tcplint, cap, tmp, problems)
            except AssertionError as e:
                problems.append(str(e))
        check_refusals(tcplint, os.path.join(testdata, "demo.pcap"), tmp, problems)
    for p in problems:
        print(p)
    print(f"{len(caps)} captures, N = 2 and 3, json and jsonl: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
