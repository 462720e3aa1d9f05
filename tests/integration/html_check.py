#!/usr/bin/env python3
"""Checks of tcplint's html report for it_html.sh.

    html_check.py static PAGE.html
        the page names nothing outside itself: no http:, https: or //, no
        src= at all, every href= a fragment, a Content-Security-Policy of
        default-src 'none'
    html_check.py dom DOM.html REPORT.json [--drawn N]
        the DOM Chromium built (--dump-dom): the script ran to its end
        without an error, the sections are there, the flow table has one
        row per flow of the JSON report of the same capture and shows one
        page of them, and each flow with findings that has a section
        (N of them: all when not given) has one sequence diagram with one
        arrow per segment, state labels at the start and the end, and a
        state timeline
    html_check.py net NETLOG.json
        Chromium's network log (--log-net-log) has no request of the page
        for anything but a file: or data: URL
    html_check.py console STDERR.txt
        Chromium printed no console message of the page (--enable-logging);
        its own pages' (chrome: URLs) are not the page's
    html_check.py figure PAGE.html ID OUT.html
        OUT.html: the page's head and the section ID alone, to screenshot

Exit 0 when the check passes, 1 with the problems on stdout.
"""
import json
import re
import sys
from html.parser import HTMLParser


def fail(problems):
    for p in problems:
        print("FAIL: " + p)
    sys.exit(1 if problems else 0)


def check_static(path):
    text = open(path, encoding="utf-8").read()
    problems = []
    for bad in ("http:", "https:", "//", "src=", "@import", "url("):
        if bad in text:
            at = text.index(bad)
            problems.append(f"{path}: '{bad}' at {at}: {text[max(0, at - 60):at + 60]!r}")
    for href in re.findall(r'href="([^"]*)"', text):
        if not href.startswith("#"):
            problems.append(f"{path}: href to {href!r}")
    if "default-src 'none'" not in text:
        problems.append(f"{path}: no Content-Security-Policy default-src 'none'")
    fail(problems)


class Dom(HTMLParser):
    """The parts of the report's DOM the checks count."""

    def __init__(self):
        super().__init__()
        self.attrs_html = {}
        self.ids = set()
        self.rows = 0
        self.rows_hidden = 0
        self.in_flowtab = False
        self.in_tbody = False
        self.section = None          # id of the details.flow we are in
        self.svg = None              # class of the svg we are in
        self.flows = {}              # id -> counts

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        if tag == "html":
            self.attrs_html = a
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "table" and a.get("id") == "flowtab":
            self.in_flowtab = True
        if self.in_flowtab and tag == "tbody":
            self.in_tbody = True
        if self.in_tbody and tag == "tr":
            self.rows += 1
            if "hidden" in a:
                self.rows_hidden += 1
        if tag == "details" and "flow" in cls:
            self.section = a.get("id")
            self.flows[self.section] = {"seq": 0, "states": 0, "arrows": 0,
                                        "st": 0, "st_end": 0, "anom": 0}
        if tag == "svg" and self.section:
            self.svg = cls[0] if cls else ""
            if self.svg in ("seq", "states"):
                self.flows[self.section][self.svg] += 1
        if self.section and self.svg == "seq":
            f = self.flows[self.section]
            if tag == "g" and "seg" in cls:
                f["arrows"] += 1
            if tag == "g" and "anom" in cls:
                f["anom"] += 1
            if tag == "text" and "st" in cls:
                f["st"] += 1
                if "end" in cls:
                    f["st_end"] += 1

    def handle_endtag(self, tag):
        if tag == "table" and self.in_flowtab:
            self.in_flowtab = self.in_tbody = False
        if tag == "svg":
            self.svg = None
        if tag == "details":
            self.section = None


def check_dom(path, report, drawn):
    dom = Dom()
    dom.feed(open(path, encoding="utf-8").read())
    rep = json.load(open(report))
    flows = rep["flows"]
    problems = []
    if dom.attrs_html.get("data-js") != "on" or dom.attrs_html.get("data-js-done") != "1":
        problems.append("the page's script did not run to its end")
    if "data-js-error" in dom.attrs_html:
        problems.append("script error: " + dom.attrs_html["data-js-error"])
    for sid in ("overview", "inputs", "totals", "verdicts", "anomalies", "capture",
                "services", "timeline", "flows", "flowtab", "findings"):
        if sid not in dom.ids:
            problems.append(f"no element with id {sid}")
    if dom.rows != len(flows):
        problems.append(f"flow table: {dom.rows} rows for {len(flows)} flows")
    shown = dom.rows - dom.rows_hidden
    if shown != min(100, len(flows)):
        problems.append(f"flow table: {shown} rows shown, not one page")
    flagged = [f for f in flows if f.get("anomalies")]
    want = len(flagged) if drawn is None else drawn
    if len(dom.flows) != want:
        problems.append(f"{len(dom.flows)} flow sections, expected {want}")
    by_id = {f"f{f['input']}-{f['id']}": f for f in flows}
    for sid, c in dom.flows.items():
        f = by_id.get(sid)
        if f is None:
            problems.append(f"section {sid} names no flow of the report")
            continue
        if not f.get("anomalies"):
            problems.append(f"section {sid}: a flow without findings")
        if c["seq"] != 1 or c["states"] != 1:
            problems.append(f"section {sid}: {c['seq']} sequence diagrams, {c['states']} state timelines")
        if c["arrows"] != f["packets"]:
            problems.append(f"section {sid}: {c['arrows']} arrows for {f['packets']} segments")
        if c["st"] < 4 or c["st_end"] != 2:
            problems.append(f"section {sid}: {c['st']} state labels, {c['st_end']} at the end")
        if c["anom"] < len(f["anomalies"]):
            problems.append(f"section {sid}: {c['anom']} anomaly marks for {len(f['anomalies'])}")
    print(f"{path}: {dom.rows} rows ({shown} shown), {len(dom.flows)} diagrams, "
          f"{sum(c['arrows'] for c in dom.flows.values())} arrows")
    fail(problems)


def check_net(path):
    log = json.load(open(path))
    types = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    problems = []
    for e in log["events"]:
        p = e.get("params") or {}
        if types.get(e["type"]) != "URL_REQUEST_START_JOB" or "url" not in p:
            continue
        url = p["url"]
        # Chromium's own background requests have no origin; the page's
        # have the page's site (file://).
        if p.get("initiator") == "not an origin":
            continue
        if not url.startswith(("file:", "data:", "about:", "chrome:")):
            problems.append(f"the page requested {url}")
    fail(problems)


def check_console(path):
    # Only the page's (its source is a file: URL), not Chromium's own pages.
    problems = [line.strip() for line in open(path, errors="replace")
                if ":CONSOLE" in line and "source: file:" in line]
    fail([f"console: {p}" for p in problems])


def figure(path, sid, out):
    text = open(path, encoding="utf-8").read()
    head = text[:text.index("<body>") + len("<body>")]
    start = text.index(f'<details class="flow" id="{sid}"')
    end = text.index("</details>", start) + len("</details>")
    with open(out, "w", encoding="utf-8") as f:
        f.write(head + "\n<main>" + text[start:end] + "</main>\n</body>\n</html>\n")


def main(argv):
    if len(argv) >= 2 and argv[0] == "static":
        check_static(argv[1])
    elif len(argv) >= 3 and argv[0] == "dom":
        drawn = int(argv[4]) if len(argv) >= 5 and argv[3] == "--drawn" else None
        check_dom(argv[1], argv[2], drawn)
    elif len(argv) == 2 and argv[0] == "net":
        check_net(argv[1])
    elif len(argv) == 2 and argv[0] == "console":
        check_console(argv[1])
    elif len(argv) == 4 and argv[0] == "figure":
        figure(argv[1], argv[2], argv[3])
    else:
        print(__doc__)
        sys.exit(2)


if __name__ == "__main__":
    main(sys.argv[1:])
