#!/usr/bin/env python3
"""Print, file by file, tcplint's stream-anomaly counts next to tshark's.

Usage: tests/corpus_table.py TCPLINT CORPUS_DIR > table.md

For every file of CORPUS_DIR/ORACLE-tshark.tsv it runs
`TCPLINT analyze --format json FILE` and prints one Markdown table row:
flows against tshark's tcp_streams, then retransmissions (retransmission +
fast_retransmission + spurious_retransmission, as tshark's
tcp.analysis.retransmission includes the other two), duplicate ACKs, zero
windows and keepalive probes, each as "tcplint / tshark", in bold where they
differ. docs/CORPUS.md carries its output; tests/test_corpus_anomalies.c
and tests/test_corpus_flows.c assert the same counts.
"""
import csv
import json
import os
import subprocess
import sys

RETR = ("retransmission", "fast_retransmission", "spurious_retransmission")


def tcplint_counts(tcplint, path):
    run = subprocess.run([tcplint, "analyze", "--format", "json", "--compact", path],
                         capture_output=True, text=True, timeout=120, check=False)
    if not run.stdout.strip():
        return None
    doc = json.loads(run.stdout)
    counts = {"flows": 0, "retr": 0, "dup": 0, "zw": 0, "ka": 0}
    for flow in doc["flows"]:
        ac = flow.get("anomaly_counts", {})
        counts["flows"] += 1
        counts["retr"] += sum(ac.get(t, 0) for t in RETR)
        counts["dup"] += ac.get("duplicate_ack", 0)
        counts["zw"] += ac.get("zero_window", 0)
        counts["ka"] += flow["keepalive"]["probes"]
    return counts


def cell(ours, theirs):
    text = f"{ours} / {theirs}"
    return text if ours == theirs else f"**{text}**"


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[2])
    tcplint, corpus = sys.argv[1], sys.argv[2]
    with open(os.path.join(corpus, "ORACLE-tshark.tsv"), newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    print("| file | flows | retransmissions | duplicate ACKs | zero windows | keepalives |")
    print("|---|---|---|---|---|---|")
    for row in sorted(rows, key=lambda r: r["file"]):
        ours = tcplint_counts(tcplint, os.path.join(corpus, row["file"]))
        if ours is None:
            print(f"| `{row['file']}` | not read | | | | |")
            continue
        theirs = {
            "flows": int(row["tcp_streams"]),
            "retr": int(row["retransmission"]),
            "dup": int(row["duplicate_ack"]),
            "zw": int(row["zero_window"]),
            "ka": int(row["keep_alive"]),
        }
        print(f"| `{row['file']}` | " +
              " | ".join(cell(ours[k], theirs[k]) for k in ("flows", "retr", "dup", "zw", "ka")) +
              " |")


if __name__ == "__main__":
    main()
