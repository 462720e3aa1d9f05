#!/usr/bin/env python3
"""Check that every connection of Zeek's conn.log oracle has a tcplint flow.

Usage: tests/corpus_zeek.py TCPLINT CORPUS_DIR [ORACLE_TSV]

ORACLE_TSV (default CORPUS_DIR/ORACLE-zeek.tsv) has one row per conn.log
row: trace (relative to CORPUS_DIR), proto, id.orig_h, id.orig_p,
id.resp_h, id.resp_p, conn_state, history (see the corpus README). For every
tcp row, `TCPLINT analyze --format json TRACE` must report a flow between
the same two endpoints, in either direction. Prints one line per row and a
total; exits 0 when every row has its flow, 1 otherwise, 77 (skipped) when
the oracle is absent. docs/STATES.md ("Connections compared with Zeek")
gives the result; docs/CORPUS.md ("Tunnels") how Zeek's tunnel traces were
compared with a table of the same shape.
"""
import csv
import json
import os
import subprocess
import sys


def endpoints_of(tcplint, path):
    """The flows of one capture as unordered pairs of (address, port)."""
    run = subprocess.run([tcplint, "analyze", "--format", "json", "--compact", path],
                         capture_output=True, text=True, timeout=120, check=False)
    if not run.stdout.strip():
        return set()
    flows = json.loads(run.stdout)["flows"]
    return {frozenset([(f["client"]["ip"], f["client"]["port"]),
                       (f["server"]["ip"], f["server"]["port"])]) for f in flows}


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__.strip().splitlines()[2])
    tcplint, corpus = sys.argv[1], sys.argv[2]
    oracle = sys.argv[3] if len(sys.argv) == 4 else os.path.join(corpus, "ORACLE-zeek.tsv")
    if not os.path.isfile(oracle):
        print(f"SKIP: {oracle} is absent")
        sys.exit(77)
    with open(oracle, newline="") as f:
        rows = [r for r in csv.DictReader(f, delimiter="\t") if r["proto"] == "tcp"]
    cache = {}
    found = 0
    for r in rows:
        if r["trace"] not in cache:
            cache[r["trace"]] = endpoints_of(tcplint, os.path.join(corpus, r["trace"]))
        pair = frozenset([(r["id.orig_h"], int(r["id.orig_p"])),
                          (r["id.resp_h"], int(r["id.resp_p"]))])
        ok = pair in cache[r["trace"]]
        found += ok
        print(f"{'ok     ' if ok else 'MISSING'} {r['trace']}: {r['id.orig_h']}.{r['id.orig_p']} > "
              f"{r['id.resp_h']}.{r['id.resp_p']} {r['conn_state']} {r['history']}")
    print(f"{found} of {len(rows)} Zeek connections have a tcplint flow")
    sys.exit(0 if found == len(rows) else 1)


if __name__ == "__main__":
    main()
