#!/usr/bin/env python3
"""The layers of the data path, held against the includes.

    cli -> formats/report -> analyzer/probe -> analyzer -> formats/wire

A file may include headers of its own layer or of a layer below it, never
above it. The report library words the probe's records too, so the probe
sits below it: it links the analyzer and the wire library, never a report. Inside the tree, no two modules (a .c with its .h) may include each
other, directly or around a loop.

    test_layers.py SOURCE_DIR     check the tree, exit 1 on any breach
    test_layers.py --self-test    check that breaches are caught
"""
import os
import re
import sys
import tempfile

# folder -> (rank, name). A file may include a header of rank <= its own.
LAYERS = {
    "formats/wire": (0, "wire"),
    "analyzer": (1, "analyzer"),
    "analyzer/probe": (2, "probe"),
    "formats/report": (3, "report"),
    "cli": (4, "cli"),
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def layer_of(path):
    folder = os.path.dirname(path)
    return LAYERS.get(folder)


def sources(root):
    for folder in LAYERS:
        d = os.path.join(root, folder)
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            if name.endswith((".c", ".h")):
                yield f"{folder}/{name}"


def includes(root, path):
    with open(os.path.join(root, path), encoding="utf-8", errors="replace") as f:
        return INCLUDE.findall(f.read())


def module(path):
    return os.path.splitext(path)[0]


def check(root):
    problems = []
    graph = {}
    for path in sources(root):
        rank, name = layer_of(path)
        mod = module(path)
        graph.setdefault(mod, set())
        for inc in includes(root, path):
            target = layer_of(inc)
            if target is None:
                if not os.path.exists(os.path.join(root, inc)):
                    problems.append(f"{path}: includes {inc}, which is not in the tree")
                continue
            trank, tname = target
            if trank > rank or (trank == rank and tname != name):
                problems.append(f"{path}: {name} includes {inc} ({tname}), "
                                "which is not below it")
            if module(inc) != mod:
                graph[mod].add(module(inc))
    problems += [f"include cycle: {' -> '.join(c + [c[0]])}" for c in cycles(graph)]
    return problems


def cycles(graph):
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def self_test():
    tree = {
        "formats/wire/decode.h": '#include "formats/wire/opts.h"\n',
        "formats/wire/decode.c": '#include "formats/wire/decode.h"\n',
        "formats/wire/opts.h": "",
        "formats/wire/opts.c": '#include "formats/wire/decode.h"\n',   # cycle
        "analyzer/rules.c": '#include "formats/report/report.h"\n',    # upward
        "analyzer/probe/probe.c": '#include "formats/report/report.h"\n',  # upward
        "formats/report/report.h": '#include "analyzer/rules.h"\n',
        "analyzer/rules.h": "",
        "cli/main.c": '#include "formats/report/report.h"\n#include "analyzer/rules.h"\n',
    }
    with tempfile.TemporaryDirectory() as root:
        for path, text in tree.items():
            os.makedirs(os.path.join(root, os.path.dirname(path)), exist_ok=True)
            with open(os.path.join(root, path), "w") as f:
                f.write(text)
        found = check(root)
    want = [
        "analyzer/rules.c: analyzer includes formats/report/report.h",
        "analyzer/probe/probe.c: probe includes formats/report/report.h",
        "include cycle: formats/wire/decode -> formats/wire/opts",
        "include cycle: analyzer/rules -> formats/report/report",
    ]
    missing = [w for w in want if not any(p.startswith(w) for p in found)]
    extra = [p for p in found if not any(p.startswith(w) for w in want)]
    for m in missing:
        print(f"self-test: not caught: {m}")
    for e in extra:
        print(f"self-test: false alarm: {e}")
    return 1 if missing or extra else 0


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "--self-test":
        status = self_test()
        print("self-test: every breach caught" if status == 0 else "self-test failed")
        return status
    if len(sys.argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    problems = check(sys.argv[1])
    for p in problems:
        print(p)
    n = sum(1 for _ in sources(sys.argv[1]))
    print(f"{n} files: {len(problems)} breaches of the layer order or include cycles")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
