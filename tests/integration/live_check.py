#!/usr/bin/env python3
"""live_check.py - assertions on the JSON Lines stream of `tcplint live`.

  live_check.py wait FILE SECONDS [MATCH...]   poll FILE (bounded) until a line
                                               matches; print it; exit 0, or
                                               exit 1 after SECONDS
  live_check.py absent FILE [MATCH...]         exit 1 if a line matches now
  live_check.py count FILE [MATCH...]          print how many lines match
  live_check.py get FILE PATH [MATCH...]       print PATH (a.b.c) of the first
                                               matching line
  live_check.py tally OUT.json                 read a stream on stdin (bounded
                                               memory): count lines by type and
                                               evicted flows, keep the summary;
                                               rewrite OUT.json every 1000
                                               lines and at the end

MATCH is KEY=VALUE where KEY is a dotted path into the line's object (list
indexes allowed: anomalies.0.type); VALUE is compared as text, so
`server.port=5001`, `type=flow`, `evicted=true` all work. Special keys:
  server_port=N      the flow's server port (flow lines)
  anomaly_type=T     the flow has an anomaly of type T (flow lines)

Every line of FILE must be a complete JSON object, except possibly the last
one while it is being written: a stream that is not JSON Lines fails.
"""

import json
import sys
import time


def lookup(obj, path):
    cur = obj
    for part in path.split("."):
        if isinstance(cur, list):
            try:
                cur = cur[int(part)]
            except (ValueError, IndexError):
                return None
        elif isinstance(cur, dict):
            if part not in cur:
                return None
            cur = cur[part]
        else:
            return None
    return cur


def text(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    return str(v)


def matches(obj, conds):
    for key, want in conds:
        if key == "server_port":
            if text(lookup(obj, "server.port")) != want:
                return False
        elif key == "anomaly_type":
            types = [a.get("type") for a in obj.get("anomalies", [])]
            if want not in types:
                return False
        elif text(lookup(obj, key)) != want:
            return False
    return True


def read_lines(path, final):
    """Complete JSON objects in the file; an unterminated last line is only
    accepted once the writer is done (final)."""
    try:
        with open(path, "r", encoding="utf-8") as f:
            data = f.read()
    except FileNotFoundError:
        return []
    lines = data.split("\n")
    tail = lines.pop()  # "" when the file ends with a newline
    if final and tail.strip():
        lines.append(tail)
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as e:
            raise SystemExit("%s:%d: not a JSON object: %s: %r" % (path, n, e, line[:200]))
        if not isinstance(obj, dict) or "type" not in obj:
            raise SystemExit("%s:%d: a line without \"type\": %r" % (path, n, line[:200]))
        out.append(obj)
    return out


def parse_conds(args):
    conds = []
    for a in args:
        if "=" not in a:
            raise SystemExit("bad match %r (KEY=VALUE)" % a)
        k, v = a.split("=", 1)
        conds.append((k, v))
    return conds


def tally(out_path):
    import os
    counts = {"flow": 0, "anomaly": 0, "summary": 0, "evicted": 0,
              "other": 0, "lines": 0, "done": False, "last_summary": None}

    def save():
        tmp = out_path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(counts, f)
        os.replace(tmp, out_path)

    for line in sys.stdin:
        counts["lines"] += 1
        # Flow lines are most of a flood: count them without parsing
        # (tcplint writes compact JSON with "type" first).
        if line.startswith('{"type":"flow",'):
            counts["flow"] += 1
            if '"evicted":true' in line:
                counts["evicted"] += 1
            if counts["lines"] % 1000 == 0:
                save()
            continue
        obj = json.loads(line)
        t = obj.get("type")
        if t in ("flow", "anomaly", "summary"):
            counts[t] += 1
        else:
            counts["other"] += 1
        if t == "flow" and obj.get("evicted") is True:
            counts["evicted"] += 1
        if t == "summary":
            counts["last_summary"] = obj
        if counts["lines"] % 1000 == 0:
            save()
    counts["done"] = True
    save()
    return 0


def main(argv):
    if len(argv) == 3 and argv[1] == "tally":
        return tally(argv[2])
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    cmd, path = argv[1], argv[2]
    if cmd == "wait":
        secs = float(argv[3])
        conds = parse_conds(argv[4:])
        deadline = time.monotonic() + secs
        while True:
            for obj in read_lines(path, False):
                if matches(obj, conds):
                    print(json.dumps(obj, sort_keys=True)[:600])
                    return 0
            if time.monotonic() >= deadline:
                break
            time.sleep(0.05)
        print("no line matching %s within %.1f s in %s; lines seen:" %
              (" ".join(argv[4:]), secs, path))
        for obj in read_lines(path, True)[-12:]:
            print("  " + json.dumps(obj, sort_keys=True)[:400])
        return 1
    conds_from = 4 if cmd == "get" else 3
    conds = parse_conds(argv[conds_from:])
    objs = [o for o in read_lines(path, True) if matches(o, conds)]
    if cmd == "absent":
        if objs:
            print("unexpected line: %s" % json.dumps(objs[0], sort_keys=True)[:600])
            return 1
        return 0
    if cmd == "count":
        print(len(objs))
        return 0
    if cmd == "get":
        if not objs:
            print("no line matching %s" % " ".join(argv[4:]))
            return 1
        print(text(lookup(objs[0], argv[3])))
        return 0
    sys.stderr.write("unknown command %s\n" % cmd)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
