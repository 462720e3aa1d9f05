#!/usr/bin/env bash
# it_cli.sh - the command line and the report writers end to end: exit codes
# for every --fail-on form, bad inputs, bad BPF, -o atomicity, a closed pipe,
# JSON/JSONL against docs/report.schema.json on every capture in testdata/
# and the shared corpus, SARIF against the SARIF 2.1.0 subset schema, JUnit
# against tests/schemas/junit.xsd and read back by Python, --expect and
# --baseline where they must pass and must fail, the ladder view.
#
# Needs: $TCPLINT (set by ctest), /usr/bin/python3 with jsonschema, xmllint;
# what happens only on a terminal runs under tty_run.py (python3's pty).
# Exit: 0 pass, 1 fail, 77 skipped (a tool is missing: says which).
set -u

SRC=${TCPLINT_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
TL=${TCPLINT:-}
PY=/usr/bin/python3
TD=$SRC/testdata
CORPUS=${TCPLINT_CORPUS_DIR:-$SRC/../shared/corpus}

skip() { echo "SKIP: $*"; exit 77; }
[ -n "$TL" ] && [ -x "$TL" ] || skip "TCPLINT is not set to the tcplint binary"
[ -x "$PY" ] || skip "/usr/bin/python3 is not installed"
"$PY" -c 'import jsonschema' 2>/dev/null || skip "python3 jsonschema module is not installed"
command -v xmllint >/dev/null || skip "xmllint is not installed (libxml2-utils)"

W=$(mktemp -d /tmp/it_cli.XXXXXX)
trap 'rm -rf "$W"' EXIT

# This script runs tcplint a few hundred times on small captures. In a
# sanitizer build, setting up the default flow table (262144 flows) dominates
# each run, so `analyze` runs here get a table sized for these captures; the
# defaults are exercised once directly ("defaults" below).
TLBIN=$TL
TL=$W/tl
cat >"$TL" <<TLEOF
#!/bin/sh
if [ "\$1" = analyze ]; then shift; exec "$TLBIN" analyze --max-flows 4096 "\$@"; fi
exec "$TLBIN" "\$@"
TLEOF
chmod +x "$TL"
export TCPLINT=$TL
PASS=0
FAIL=0

ok() { PASS=$((PASS + 1)); echo "ok   $*"; }
bad() { FAIL=$((FAIL + 1)); echo "FAIL $*"; }

# expect_rc NAME WANT CMD... : run CMD (stdout/stderr to $W/out, $W/err)
expect_rc() {
	local name=$1 want=$2 rc
	shift 2
	"$@" >"$W/out" 2>"$W/err"
	rc=$?
	if [ "$rc" = "$want" ]; then ok "$name (exit $rc)"; else
		bad "$name: exit $rc, want $want"; sed 's/^/    stderr: /' "$W/err" | head -5
	fi
}

# check NAME CMD... : pass when CMD succeeds
check() {
	local name=$1
	shift
	if "$@"; then ok "$name"; else bad "$name"; fi
}

# ---- usage ----
expect_rc "defaults" 0 "$TLBIN" analyze "$TD/demo.pcap"
check "defaults: a text report" grep -q "^totals" "$W/out"
expect_rc "--help" 0 "$TL" --help
check "--help mentions analyze and exit codes" grep -q "Exit codes" "$W/out"
check "--help shows both probe forms" \
	bash -c "grep -q 'tcplint probe SCENARIO HOST PORT' '$W/out' && grep -q 'tcplint probe replay FILE HOST PORT' '$W/out'"
expect_rc "--version" 0 "$TL" --version
check "--version prints the version" grep -Eq '^tcplint [0-9]+\.[0-9]+' "$W/out"
expect_rc "analyze --help" 0 "$TL" analyze --help
check "analyze --help has examples for --fail-on, --flow, json" \
	bash -c "grep -q -- '--fail-on error' '$W/out' && grep -q -- '--flow 3' '$W/out' && grep -q -- '--format json' '$W/out'"
expect_rc "no command" 2 "$TL"
expect_rc "unknown command" 2 "$TL" frobnicate
expect_rc "analyze without files" 2 "$TL" analyze
expect_rc "unknown option" 2 "$TL" analyze --bogus "$TD/demo.pcap"
expect_rc "unknown format" 2 "$TL" analyze --format yaml "$TD/demo.pcap"
expect_rc "bad --fail-on word" 2 "$TL" analyze --fail-on fatal "$TD/demo.pcap"
check "bad --fail-on names the word" grep -q "fatal" "$W/err"
expect_rc "none mixed with types" 2 "$TL" analyze --fail-on none,error "$TD/demo.pcap"
expect_rc "bad duration" 2 "$TL" analyze --ack-timeout 5parsecs "$TD/demo.pcap"
# every threshold is an option: each takes a duration, and --help shows it
for o in --ack-timeout --close-wait-timeout --msl --idle-timeout --close-grace \
	--fast-retransmit-window --reorder-window; do
	expect_rc "$o takes a duration" 0 "$TL" analyze "$o" 250ms "$TD/retransmission.pcap"
	expect_rc "$o refuses a bad one" 2 "$TL" analyze "$o" soon "$TD/retransmission.pcap"
	check "$o in --help" bash -c "'$TL' analyze --help | grep -q -- '$o '"
done
for d in 1.5 500ms 2s 5m; do
	expect_rc "duration $d accepted" 0 "$TL" analyze --close-wait-timeout "$d" "$TD/close_client_first.pcap"
done
expect_rc "--explain without a ladder" 2 "$TL" analyze --explain "$TD/demo.pcap"

# ---- --fail-on: every form, on every capture, against the JSON report ----
# The exit code must be 1 exactly when an anomaly of the report matches.
"$PY" - "$TL" "$TD" >"$W/failon.log" 2>&1 <<'PYEOF'
import json, subprocess, sys, glob, os
tl, td = sys.argv[1], sys.argv[2]
sev_rank = {"info": 0, "warning": 1, "error": 2}
forms = ["none", "error", "warning", "info", "any", "premature_close",
         "retransmission,lingering_close_wait", "error,keepalive_burst",
         "missing_ack", "zero_window warning"]
bad = 0
# captures with anomalies of every severity, and a clean one
caps = ["demo", "rst_abort", "close_wait_linger", "retransmission", "zero_window",
        "keepalive_unanswered", "syn_refused", "bad_ack", "close_client_first"]
for cap in [os.path.join(td, c + ".pcap") for c in caps]:
    rep = json.loads(subprocess.run([tl, "analyze", "--max-flows", "4096", "--format", "json", cap],
                     capture_output=True, text=True).stdout)
    anoms = [(a["type"], a["severity"]) for f in rep["flows"] for a in f["anomalies"]]
    for form in forms:
        words = form.replace(",", " ").split()
        def match(t, s):
            for w in words:
                if w == "none": return False
                if w == "any": return True
                if w in sev_rank and sev_rank[s] >= sev_rank[w]: return True
                if w == t: return True
            return False
        want = 1 if any(match(t, s) for t, s in anoms) else 0
        rc = subprocess.run([tl, "analyze", "--max-flows", "4096", "--fail-on", form, cap],
                            capture_output=True).returncode
        if rc != want:
            print(f"{os.path.basename(cap)} --fail-on '{form}': exit {rc}, want {want}")
            bad += 1
print(f"checked {len(forms)} forms on {len(caps)} captures")
sys.exit(1 if bad else 0)
PYEOF
if [ $? -eq 0 ]; then ok "--fail-on forms agree with the report ($(tail -1 "$W/failon.log"))"; else
	bad "--fail-on forms"; sed 's/^/    /' "$W/failon.log" | head -20; fi
expect_rc "default (none) exits 0 with errors in the capture" 0 "$TL" analyze "$TD/rst_abort.pcap"
expect_rc "--fail-on error on a RST abort" 1 "$TL" analyze --fail-on error "$TD/rst_abort.pcap"
expect_rc "--fail-on error on a clean close" 0 "$TL" analyze --fail-on error "$TD/close_client_first.pcap"
expect_rc "--fail-on any on a clean close" 0 "$TL" analyze --fail-on any "$TD/close_client_first.pcap"
# The summaries echo the user's words (--fail-on any was echoed as 'info').
expect_rc "--fail-on any on demo.pcap" 1 "$TL" analyze --fail-on any "$TD/demo.pcap"
check "text summary echoes --fail-on any" grep -q -- 'matched --fail-on any$' "$W/out"
expect_rc "--fail-on 'error, missing_ack' --format json" 1 "$TL" analyze --format json --fail-on 'error, missing_ack' "$TD/demo.pcap"
check "summary.fail_on echoes the words" \
	"$PY" -c 'import json,sys; sys.exit(json.load(open(sys.argv[1]))["summary"]["fail_on"] != "error,missing_ack")' "$W/out"
expect_rc "no --fail-on --format json" 0 "$TL" analyze --format json "$TD/demo.pcap"
check "summary.fail_on is none by default" \
	"$PY" -c 'import json,sys; sys.exit(json.load(open(sys.argv[1]))["summary"]["fail_on"] != "none")' "$W/out"
expect_rc "--fail-on lingering_close_wait" 1 "$TL" analyze --fail-on lingering_close_wait "$TD/close_wait_linger.pcap"
expect_rc "--fail-on error misses a warning" 0 "$TL" analyze --fail-on error "$TD/close_wait_linger.pcap"
expect_rc "--fail-on warning catches it" 1 "$TL" analyze --fail-on warning "$TD/close_wait_linger.pcap"
expect_rc "--fail-on with --format json" 1 "$TL" analyze --format json --fail-on error "$TD/rst_abort.pcap"
check "json summary carries the exit code" "$PY" -c "import json,sys; d=json.load(open('$W/out')); sys.exit(0 if d['summary']['exit_code']==1 and d['summary']['findings']>=1 else 1)"

# ---- bad inputs: one line each, exit 2, the other files still analyzed ----
mkdir "$W/dir"
: >"$W/empty.pcap"
echo "this is not a capture" >"$W/text.pcap"
# a pcap whose link type (147, USER0) tcplint does not decode
"$PY" -c "
import struct,sys
hdr = struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 147)
rec = struct.pack('<IIII', 1, 0, 4, 4) + b'abcd'
open(sys.argv[1], 'wb').write(hdr + rec)" "$W/user0.pcap"
# a capture cut off in the middle of its last record
size=$(stat -c %s "$TD/close_client_first.pcap")
head -c $((size - 20)) "$TD/close_client_first.pcap" >"$W/cut.pcap"
for f in "$W/missing.pcap" "$W/dir" "$W/empty.pcap" "$W/text.pcap" "$W/user0.pcap" "$W/cut.pcap"; do
	n=$(basename "$f")
	expect_rc "bad input $n" 2 "$TL" analyze --format json "$f" "$TD/rst_abort.pcap"
	check "bad input $n: one stderr line naming it" \
		bash -c "[ \$(wc -l <'$W/err') -eq 1 ] && grep -q '$n' '$W/err'"
	check "bad input $n: the good file is still reported" \
		"$PY" -c "import json,sys; d=json.load(open('$W/out')); sys.exit(0 if any(f['file'].endswith('rst_abort.pcap') for f in d['flows']) and d['inputs'][0]['failed'] else 1)"
done
expect_rc "cut-off capture" 2 "$TL" analyze --format json "$W/cut.pcap"
check "cut-off capture reports the packets before the cut" \
	"$PY" -c "import json,sys; d=json.load(open('$W/out')); i=d['inputs'][0]; sys.exit(0 if i['packets']==12 and len(d['flows'])==1 and d['flows'][0]['first_frame']==1 else 1)"

# ---- BPF filters ----
expect_rc "bad BPF expression" 2 "$TL" analyze -r "$TD/demo.pcap" 'tcp porrt 80'
check "bad BPF: libpcap's message" grep -qi "syntax error" "$W/err"
expect_rc "bad BPF with -f" 2 "$TL" analyze -f 'tcp and and' "$TD/demo.pcap"
expect_rc "filter as trailing words after -r" 0 "$TL" analyze --format json -r "$TD/close_wait_linger.pcap" tcp and host 10.1.0.31
check "filter keeps one flow with Wireshark frame numbers" \
	"$PY" -c "import json,sys; d=json.load(open('$W/out')); f=d['flows']; sys.exit(0 if len(f)==1 and f[0]['first_frame']==9 and f[0]['last_frame']==16 and d['inputs'][0]['packets']==16 else 1)"
expect_rc "-f and trailing words together" 2 "$TL" analyze -f tcp -r "$TD/demo.pcap" port 80

# ---- -o: atomic ----
echo OLD >"$W/report.json"
expect_rc "-o writes the report" 0 "$TL" analyze --format json -o "$W/report.json" "$TD/demo.pcap"
check "-o: nothing on stdout" test ! -s "$W/out"
check "-o: a whole JSON document replaced the old file" "$PY" -c "import json; json.load(open('$W/report.json'))"
check "-o: no temporary file left" bash -c "! ls -A '$W' | grep -q '\.tmp\.'"
expect_rc "-o into a missing directory" 2 "$TL" analyze -o "$W/nodir/r.json" "$TD/demo.pcap"
# a failed run (nothing to draw) leaves the -o file as it was
echo OLD >"$W/r.txt"
expect_rc "--flow of a missing id with -o" 2 "$TL" analyze --flow 99 -o "$W/r.txt" "$TD/demo.pcap"
check "--flow 99 -o: says the flow is not found" grep -q "flow 99 not found" "$W/err"
check "--flow 99 -o: the old file is untouched" test "$(cat "$W/r.txt")" = OLD
check "--flow 99 -o: no temporary file left" bash -c "! ls -A '$W' | grep -q '\.tmp\.'"
# a full device: the write fails, the message names it, exit 2
if [ "$(id -u)" = 0 ] && mknod "$W/full" c 1 7 2>/dev/null; then
	expect_rc "-o on a full device" 2 "$TL" analyze --format json -o "$W/full" "$TD/demo.pcap"
	check "-o full device: one line, ENOSPC" grep -q "No space left on device" "$W/err"
	check "-o full device: still a device (not renamed over)" test -c "$W/full"
fi
expect_rc "stdout on a full device" 2 bash -c "'$TL' analyze '$TD/demo.pcap' >/dev/full"
# a full filesystem: the old report stays, no temporary file
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null && unshare -m true 2>/dev/null; then
	mkdir "$W/small"
	unshare -m bash -c "
		mount -t tmpfs -o size=16k tl_small '$W/small' || exit 99
		echo OLD >'$W/small/r.json'
		'$TL' analyze --format json $(printf "'%s' " "$TD"/*.pcap) -o '$W/small/r.json' 2>'$W/small.err'
		echo \$? >'$W/small.rc'
		cat '$W/small/r.json' >'$W/small.after'
		ls -A '$W/small' >'$W/small.ls'
	"
	if [ -f "$W/small.rc" ]; then
		check "-o on a full filesystem: exit 2" test "$(cat "$W/small.rc")" = 2
		check "-o on a full filesystem: old report untouched" test "$(cat "$W/small.after")" = OLD
		check "-o on a full filesystem: no temporary file left" test "$(cat "$W/small.ls")" = r.json
		check "-o on a full filesystem: one line" grep -q "No space left" "$W/small.err"
	fi
fi

# ---- closed pipe: quiet, no crash, the right code ----
many=()
for i in $(seq 1 12); do many+=("$TD"/*.pcap); done
for fmt in text jsonl json; do
	"$TL" analyze --format "$fmt" "${many[@]}" 2>"$W/pipe.err" | head -c 100 >/dev/null
	rc=${PIPESTATUS[0]}
	check "| head ($fmt): exit $rc is 0" test "$rc" = 0
	check "| head ($fmt): nothing on stderr" test ! -s "$W/pipe.err"
	"$TL" analyze --format "$fmt" --fail-on error "${many[@]}" 2>"$W/pipe.err" | head -c 100 >/dev/null
	rc=${PIPESTATUS[0]}
	check "| head ($fmt) --fail-on error: exit $rc is 1" test "$rc" = 1
done

# ---- JSON and JSONL against the schema, every capture ----
caps=("$TD"/*.pcap)
if [ -d "$CORPUS" ]; then
	while IFS= read -r -d '' f; do caps+=("$f"); done < <(find "$CORPUS" -type f \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' -o -name '*.pcap.gz' \) -print0 | sort -z)
else
	echo "note: $CORPUS absent: schema checked on testdata/ only"
fi
"$PY" - "$TL" "$SRC/docs/report.schema.json" "${caps[@]}" >"$W/schema.log" 2>&1 <<'PYEOF'
import json, subprocess, sys, jsonschema
tl, schema_path, caps = sys.argv[1], sys.argv[2], sys.argv[3:]
schema = json.load(open(schema_path))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
bad = 0
for cap in caps:
    for fmt in ("json", "jsonl"):
        p = subprocess.run([tl, "analyze", "--max-flows", "4096", "--format", fmt, cap], capture_output=True, text=True)
        if p.returncode not in (0, 2):
            print(f"{cap} {fmt}: exit {p.returncode}"); bad += 1; continue
        docs = [json.loads(p.stdout)] if fmt == "json" else [json.loads(l) for l in p.stdout.splitlines()]
        if fmt == "jsonl" and (not docs or docs[-1].get("type") != "summary"):
            print(f"{cap} jsonl: no summary line at the end"); bad += 1
        for d in docs:
            errs = sorted(v.iter_errors(d), key=lambda e: e.path)
            for e in errs[:3]:
                print(f"{cap} {fmt}: {list(e.path)}: {e.message[:200]}")
            bad += bool(errs)
        if fmt == "json":
            flows = docs[0]["flows"]
            if [f["id"] for f in flows] != sorted(f["id"] for f in flows):
                print(f"{cap}: flows not sorted by id"); bad += 1
            if docs[0]["summary"]["flows"] != len(flows):
                print(f"{cap}: summary.flows != len(flows)"); bad += 1
print(f"{len(caps)} captures")
sys.exit(1 if bad else 0)
PYEOF
if [ $? -eq 0 ]; then ok "json and jsonl validate against docs/report.schema.json ($(tail -1 "$W/schema.log"))"; else
	bad "schema validation"; sed 's/^/    /' "$W/schema.log" | head -20; fi

# ---- SARIF ----
expect_rc "sarif" 2 "$TL" analyze --format sarif "$TD/demo.pcap" "$TD/rst_abort.pcap" "$W/missing.pcap"
"$PY" - "$W/out" "$SRC/tests/schemas/sarif-2.1.0-subset.schema.json" "$TD/demo.pcap" >"$W/sarif.log" 2>&1 <<'PYEOF'
import json, sys, jsonschema, subprocess, os
doc = json.load(open(sys.argv[1]))
schema = json.load(open(sys.argv[2]))
jsonschema.Draft7Validator.check_schema(schema)
jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker()).validate(doc)
run = doc["runs"][0]
rules = run["tool"]["driver"]["rules"]
ids = [r["id"] for r in rules]
assert len(ids) == len(set(ids)), "duplicate rule ids"
assert all(r["shortDescription"]["text"] for r in rules), "rule without documentation"
for r in run["results"]:
    assert rules[r["ruleIndex"]]["id"] == r["ruleId"], "ruleIndex does not point at ruleId"
    loc = r["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"].endswith(".pcap")
    assert loc["region"]["startLine"] == r["properties"]["frame"] >= 1
assert run["invocations"][0]["executionSuccessful"] is False
assert run["invocations"][0]["exitCode"] == 2
# one result per anomaly of the JSON report
tl = os.environ["TCPLINT"]
rep = json.loads(subprocess.run([tl, "analyze", "--format", "json", sys.argv[3]], capture_output=True, text=True).stdout)
n = sum(len(f["anomalies"]) for f in rep["flows"])
got = sum(1 for r in run["results"] if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("demo.pcap"))
assert n == got and n > 0, f"{got} results for demo.pcap, {n} anomalies"
print("ok")
PYEOF
if [ $? -eq 0 ]; then ok "sarif validates against the SARIF 2.1.0 subset schema, one result per anomaly"; else
	bad "sarif"; sed 's/^/    /' "$W/sarif.log" | tail -5; fi

# The official SARIF 2.1.0 schema (OASIS, final "rtm.5"), as npm's package
# @microsoft/jest-sarif ships it: fetched from the npm registry at test time
# (never committed), cached in the build tree. Without npm or the registry
# this one check says SKIP and why; the subset schema above still ran.
sarif_schema="$TCPLINT_BINARY_DIR/sarif-2.1.0-rtm.5.json"
if [ ! -s "$sarif_schema" ] && command -v npm >/dev/null 2>&1; then
	mkdir -p "$W/npm" &&
		(cd "$W/npm" && timeout 120 npm pack --silent @microsoft/jest-sarif@1.0.0-beta.0 >/dev/null 2>&1) &&
		tar -xzf "$W"/npm/*.tgz -C "$W/npm" package/lib/schemas/sarif-2.1.0-rtm.5.json 2>/dev/null &&
		cp "$W/npm/package/lib/schemas/sarif-2.1.0-rtm.5.json" "$sarif_schema.tmp" &&
		mv "$sarif_schema.tmp" "$sarif_schema"
fi
if [ -s "$sarif_schema" ]; then
	official_sarif() {
		"$TL" analyze --format sarif --expect "$W/sarif.expect" "$TD/demo.pcap" \
			"$W/missing.pcap" >"$W/sarif-official.json" 2>/dev/null
		"$PY" - "$W/sarif-official.json" "$sarif_schema" <<'PYEOF'
import json, sys, jsonschema
doc, schema = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert schema.get("title", "").startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
jsonschema.Draft7Validator.check_schema(schema)
jsonschema.Draft7Validator(schema).validate(doc)
run = doc["runs"][0]
assert any(r["ruleId"] == "expectation" for r in run["results"])
assert any(r["ruleId"] == "missing_ack" for r in run["results"])
PYEOF
	}
	printf 'close in four_way three_way\nno rst\n' >"$W/sarif.expect"
	check "sarif (anomalies, broken expectations, a failed input) validates against the official SARIF 2.1.0 schema" official_sarif
else
	echo "SKIP official SARIF 2.1.0 schema: npm or the npm registry is not reachable (the subset schema check ran)"
fi

# ---- JUnit ----
expect_rc "junit --fail-on error" 1 "$TL" analyze --format junit --fail-on error "$TD/demo.pcap" "$TD/close_client_first.pcap"
cp "$W/out" "$W/junit.xml"
xsd_valid() { xmllint --noout --schema "$SRC/tests/schemas/junit.xsd" "$1" 2>"$W/xmllint.err"; }
check "junit validates against tests/schemas/junit.xsd" xsd_valid "$W/junit.xml"
"$PY" - "$W/junit.xml" "$TD/demo.pcap" >"$W/junit.log" 2>&1 <<'PYEOF'
import sys, json, subprocess, os
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "testsuites"
suites = root.findall("testsuite")
assert len(suites) == 2
cases = [c for s in suites for c in s.findall("testcase")]
assert int(root.get("tests")) == len(cases)
fails = [c for c in cases if c.find("failure") is not None]
assert int(root.get("failures")) == len(fails)
for s in suites:
    assert int(s.get("tests")) == len(s.findall("testcase"))
    assert int(s.get("failures")) == sum(1 for c in s.findall("testcase") if c.find("failure") is not None)
tl = os.environ["TCPLINT"]
rep = json.loads(subprocess.run([tl, "analyze", "--format", "json", sys.argv[2]], capture_output=True, text=True).stdout)
want = sum(1 for f in rep["flows"] if any(a["severity"] == "error" for a in f["anomalies"]))
got = sum(1 for c in suites[0].findall("testcase") if c.find("failure") is not None)
assert want == got and want > 0, f"{got} failed cases, {want} flows with errors"
assert all(c.find("failure") is None for c in suites[1].findall("testcase")), "a clean flow failed"
print("ok")
PYEOF
if [ $? -eq 0 ]; then ok "junit read back by xml.etree: one case per flow, failed on --fail-on matches"; else
	bad "junit"; sed 's/^/    /' "$W/junit.log" | tail -5; fi
# ... and by junitparser, the reader CI report tools build on
"$PY" - "$W/junit.xml" >"$W/junitparser.log" 2>&1 <<'PYEOF'
import sys
from junitparser import JUnitXml, Failure
xml = JUnitXml.fromfile(sys.argv[1])
suites = list(xml)
assert len(suites) == 2, len(suites)
total = failed = 0
for suite in suites:
    cases = list(suite)
    assert suite.tests == len(cases), (suite.tests, len(cases))
    nfail = sum(1 for c in cases if any(isinstance(r, Failure) for r in c.result))
    assert suite.failures == nfail, (suite.failures, nfail)
    for c in cases:
        assert c.name and c.classname, "a case without name or classname"
        for r in c.result:
            if isinstance(r, Failure):
                assert r.message and r.text, "a failure without message or text"
    total += len(cases)
    failed += nfail
assert failed > 0 and total > failed
print(f"{total} cases, {failed} failed")
PYEOF
if [ $? -eq 0 ]; then ok "junit read by junitparser: $(tail -1 "$W/junitparser.log")"; else
	bad "junit read by junitparser"; sed 's/^/    /' "$W/junitparser.log" | tail -5; fi

# ---- --expect ----
cat >"$W/good.expect" <<'XEOF'
# clean closes, client first, nothing reset
handshake complete
close four_way three_way
closer client
no rst
client_state TIME_WAIT
server_state CLOSED
max retransmission 0
no error
port 80: no lingering_close_wait
min flows 1
XEOF
expect_rc "--expect that holds" 0 "$TL" analyze --expect "$W/good.expect" "$TD/close_client_first.pcap" "$TD/close_three_way.pcap"
expect_rc "--expect that breaks (RST abort)" 1 "$TL" analyze --expect "$W/good.expect" "$TD/rst_abort.pcap"
check "--expect failure names the line and what was seen" grep -q "expect line 5: no rst: the connection was reset" "$W/out"
cat >"$W/linger.expect" <<'XEOF'
port 6379: no lingering_close_wait
port 6379: max close_wait 5s
XEOF
expect_rc "--expect lingering CLOSE_WAIT on port 6379" 1 "$TL" analyze --format json --expect "$W/linger.expect" "$TD/close_wait_linger.pcap"
check "--expect failures in the JSON flow" "$PY" -c "
import json,sys; d=json.load(open('$W/out')); f=[x for x in d['flows'] if x['expectations']]
sys.exit(0 if len(f)==1 and {e['line'] for e in f[0]['expectations']}=={1,2} and d['summary']['expect']['failed']==2 else 1)"
echo "port 5432: no lingering_close_wait" >"$W/other.expect"
expect_rc "--expect scoped to another port holds" 0 "$TL" analyze --expect "$W/other.expect" "$TD/close_wait_linger.pcap"
echo "min flows 3" >"$W/min.expect"
expect_rc "--expect min flows breaks" 1 "$TL" analyze --expect "$W/min.expect" "$TD/close_client_first.pcap"
echo "close in four_way sideways" >"$W/badword.expect"
expect_rc "--expect with a bad word" 2 "$TL" analyze --expect "$W/badword.expect" "$TD/demo.pcap"
check "--expect error names file and line" grep -q "badword.expect:1:" "$W/err"
expect_rc "--expect missing file" 2 "$TL" analyze --expect "$W/nope.expect" "$TD/demo.pcap"
# The failure messages: the earliest frame (demo.pcap flow 6 stores its
# anomalies as raised: retransmissions at 61 and 62, then the missing_ack at
# 60; it said "first at frame 61"), and "1 ... anomaly", not "1 ... anomalies".
cat >"$W/count.expect" <<'EOF'
server 10.20.0.86: no anomalies
server 10.20.0.86: max missing_ack 0
port 443: no anomalies
EOF
expect_rc "--expect count messages" 1 "$TL" analyze --expect "$W/count.expect" -r "$TD/demo.pcap" 'host 10.20.0.86 or 10.20.0.85'
check "no anomalies: the first anomaly by frame" grep -q "expect line 1: server 10.20.0.86: no anomalies: 3 anomalies (first at frame 60)$" "$W/out"
check "max TYPE 0: one anomaly, singular" grep -q "expect line 2: server 10.20.0.86: max missing_ack 0: 1 missing_ack anomaly, at most 0 expected$" "$W/out"
check "no anomalies: one anomaly, singular" grep -q "expect line 3: port 443: no anomalies: 1 anomaly (first at frame 50)$" "$W/out"
check "no message says '1 ... anomalies'" bash -c "! grep -Eq ': 1 ([a-z_]+ )?anomalies' '$W/out'"

# ---- --baseline ----
"$TL" analyze --format json -o "$W/base.json" "$TD/demo.pcap"
expect_rc "--baseline of the same capture: nothing new" 0 "$TL" analyze --fail-on any --baseline "$W/base.json" "$TD/demo.pcap"
check "--baseline counts what it left out" grep -Eq "baseline +[1-9][0-9]* known anomalies left out" "$W/out"
expect_rc "--baseline: new findings elsewhere still fail" 1 "$TL" analyze --fail-on error --baseline "$W/base.json" "$TD/rst_abort.pcap" "$TD/demo.pcap"
"$TL" analyze --format jsonl -o "$W/base.jsonl" "$TD/demo.pcap"
expect_rc "--baseline from a jsonl report" 0 "$TL" analyze --fail-on any --baseline "$W/base.jsonl" "$TD/demo.pcap"
expect_rc "--baseline not a report" 2 "$TL" analyze --baseline "$W/good.expect" "$TD/demo.pcap"
# A SARIF log is valid JSON: the message says what it is not (it said
# "line 1: ']' expected near end of file").
"$TL" analyze --format sarif -o "$W/k.sarif" "$TD/demo.pcap"
expect_rc "--baseline a SARIF log" 2 "$TL" analyze --baseline "$W/k.sarif" "$TD/demo.pcap"
check "--baseline SARIF: says it is not a json or jsonl report" \
	grep -qF "k.sarif: not a tcplint json or jsonl report (SARIF cannot serve as a baseline)" "$W/err"
check "--baseline SARIF: one line" test "$(wc -l <"$W/err")" = 1

# ---- ladder ----
expect_rc "--flow 0" 0 "$TL" analyze --flow 0 --explain "$TD/close_client_first.pcap"
check "ladder has arrows, states and reasons" bash -c "grep -q -- '-- \[S\] seq 0 len 0 ---' '$W/out' && grep -q 'TIME_WAIT' '$W/out' && grep -q '2 x MSL' '$W/out'"
expect_rc "--flow of a missing id" 2 "$TL" analyze --flow 99 "$TD/close_client_first.pcap"
expect_rc "--ladder" 0 "$TL" analyze --ladder "$TD/close_wait_linger.pcap"
check "--ladder draws only the flow with an anomaly" bash -c "grep -c '^flow ' '$W/out' | grep -qx 1 && grep -q 'lingering_close_wait' '$W/out'"
# Flow ids count only the flows the filter lets in (--help, the man page).
expect_rc "demo.pcap unfiltered" 0 "$TL" analyze "$TD/demo.pcap"
check "unfiltered: the port 443 connection is flow 5" grep -Eq '^flow 5 .*:50420 +> 10\.20\.0\.85:443 ' "$W/out"
expect_rc "demo.pcap 'port 443'" 0 "$TL" analyze -r "$TD/demo.pcap" 'port 443'
check "under 'port 443' it is flow 0" grep -Eq '^flow 0 .*:50420 +> 10\.20\.0\.85:443 ' "$W/out"
expect_rc "--help documents it beside --flow" 0 "$TL" analyze --help
check "analyze --help: ids count the flows the filter lets in" grep -q 'only the flows the BPF filter' "$W/out"
expect_rc "--ladder --fail-on warning" 1 "$TL" analyze --ladder --fail-on warning "$TD/close_wait_linger.pcap"
# --flow is a view: --fail-on still judges every flow (documented in --help
# and tcplint(1)). demo.pcap: flow 0 is clean, flows 5 and 6 have errors.
expect_rc "--flow 0 (clean) --fail-on error: other flows count" 1 "$TL" analyze --flow 0 --fail-on error "$TD/demo.pcap"
check "--flow 0 --fail-on error: flow 0 is drawn" grep -q '^flow 0 ' "$W/out"
expect_rc "a BPF filter narrows what is judged" 0 "$TL" analyze --fail-on error \
	-r "$TD/demo.pcap" 'host 10.20.0.80 and port 50412'
expect_rc "--flow with --format json" 2 "$TL" analyze --flow 0 --format json "$TD/demo.pcap"

# ---- progress meter, pretty JSON: only on a terminal ----
expect_rc "plain run" 0 "$TL" analyze "$TD/demo.pcap"
check "no progress meter when stderr is not a terminal" test ! -s "$W/err"
# What only happens on a terminal runs under tty_run.py (a pseudo-terminal
# from python3's pty module, so nothing beyond python3 is needed).
TTY=("$PY" "$SRC/tests/integration/tty_run.py")
# With stderr on a terminal the meter shows once a run lasts 0.5 s (it is
# checked every 16384 packets): 20000 SYNs, a 1 s pause, 20000 more, on
# standard input, so the meter is due at packet 32768 whatever the build.
cat >"$W/slow_pcap.py" <<'PYEOF'
import struct, sys, time
out = sys.stdout.buffer
out.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
def burst(base, n):
    for i in range(base, base + n):
        src = bytes([10, 1, (i >> 8) & 255, i & 255])
        tcp = struct.pack(">HHIIBBHHH", 1024 + i % 60000, 80, 1000, 0, 5 << 4, 2, 65535, 0, 0)
        ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 40, 0, 0, 64, 6, 0, src, bytes([10, 2, 0, 1]))
        pkt = bytes(12) + b"\x08\x00" + ip + tcp
        out.write(struct.pack("<IIII", 1000, i, len(pkt), len(pkt)) + pkt)
    out.flush()
burst(0, 20000)
time.sleep(1)
burst(20000, 20000)
PYEOF
expect_rc "stderr on a terminal" 0 "${TTY[@]}" --stderr-tty "$W/tty.out" "$W/tty.err" \
	bash -c "'$PY' '$W/slow_pcap.py' | '$TL' analyze --format jsonl -"
check "progress meter on a terminal" grep -q $'\r\033\[K-: [0-9]* packets' "$W/tty.err"
check "progress meter erased at the end" bash -c "tail -c 4 '$W/tty.err' | grep -q \$'\r\033\\[K'"
check "progress meter: not in the report" bash -c "! grep -q packets\$'\r' '$W/tty.out' && grep -q '\"type\":\"summary\"' '$W/tty.out'"
expect_rc "--no-progress on a terminal" 0 "${TTY[@]}" --stderr-tty "$W/tty.out" "$W/tty.err" \
	bash -c "'$PY' '$W/slow_pcap.py' | '$TL' analyze --no-progress --format jsonl -"
check "--no-progress: nothing on the terminal" test ! -s "$W/tty.err"
"${TTY[@]}" --stdout-tty "$W/tty.out" "$W/tty.err" "$TL" analyze --format json "$TD/rst_abort.pcap"
check "json is indented on a terminal" grep -q '^  "schema_version": 1' "$W/tty.out"
"${TTY[@]}" --stdout-tty "$W/tty.out" "$W/tty.err" "$TL" analyze --compact --format json "$TD/rst_abort.pcap"
check "--compact: one line on a terminal" test "$(grep -c schema_version "$W/tty.out")" = 1 -a "$(wc -l <"$W/tty.out")" -le 1
expect_rc "json in a pipe is compact" 0 "$TL" analyze --format json "$TD/rst_abort.pcap"
check "json in a pipe: one line" test "$(wc -l <"$W/out")" = 1
expect_rc "-c 5" 0 "$TL" analyze --format json -c 5 "$TD/close_client_first.pcap"
check "-c 5 reads five packets" "$PY" -c "import json,sys; d=json.load(open('$W/out')); sys.exit(0 if d['inputs'][0]['tcp_packets']==5 else 1)"

# ---- text report, colour ----
expect_rc "text report" 0 "$TL" analyze --top 2 "$TD/demo.pcap"
check "text: totals by handshake and close" bash -c "grep -q '^  handshake ' '$W/out' && grep -q '^  close ' '$W/out' && grep -q '^  top flows ' '$W/out'"
check "text: --top 2 lists two flows" bash -c "[ \$(grep -c '^flow ' '$W/out') -eq 2 ]"
# --top: honoured by the writers that keep every flow to the end (text,
# json, junit); refused, one line, by those that stream (jsonl, sarif).
expect_rc "--top 2 --format json" 0 "$TL" analyze --top 2 --format json "$TD/demo.pcap"
check "json: --top 2 lists two flows" "$PY" -c "import json,sys; d=json.load(open('$W/out')); sys.exit(0 if len(d['flows'])==2 and len(d['summary']['top_flows'])==2 else 1)"
expect_rc "--top 2 --format junit" 0 "$TL" analyze --top 2 --format junit "$TD/demo.pcap"
check "junit: --top 2 lists two test cases" test "$(grep -c '<testcase ' "$W/out")" -eq 2
check "junit: --top 2 counts two tests" grep -q '<testsuites name="tcplint" tests="2"' "$W/out"
check "junit: --top 2 is valid" xmllint --noout --schema "$SRC/tests/schemas/junit.xsd" "$W/out"
for fmt in jsonl sarif; do
	expect_rc "--top with --format $fmt" 2 "$TL" analyze --top 2 --format "$fmt" "$TD/demo.pcap"
	check "--top with $fmt: one line, says why" bash -c "[ \$(wc -l <'$W/err') -eq 1 ] && grep -q 'cannot rank' '$W/err' && [ ! -s '$W/out' ]"
done
expect_rc "--only-anomalies" 0 "$TL" analyze --only-anomalies "$TD/demo.pcap" "$TD/close_client_first.pcap"
check "--only-anomalies leaves clean flows out" bash -c "! grep -q '^flow .* ok\$' '$W/out'"
expect_rc "--color=always" 0 "$TL" analyze --color=always "$TD/demo.pcap"
check "--color=always colours" grep -q $'\033\[' "$W/out"
no_escape() { ! grep -q $'\033' "$1"; }
# --color takes its WHEN as a separate word too (it used to be read as a
# capture file 'never', with colour left on).
expect_rc "--color never (two words)" 0 "$TL" analyze --color never "$TD/demo.pcap"
check "--color never: no colour" no_escape "$W/out"
expect_rc "--color always (two words)" 0 "$TL" analyze --color always "$TD/demo.pcap"
check "--color always: colours" grep -q $'\033\[' "$W/out"
expect_rc "--color auto after the file" 0 "$TL" analyze "$TD/demo.pcap" --color auto
check "--color auto in a pipe: no colour" no_escape "$W/out"
expect_rc "--color alone, then the file" 0 "$TL" analyze --color "$TD/demo.pcap"
check "--color alone is always" grep -q $'\033\[' "$W/out"
expect_rc "-r FILE --color never EXPR" 0 "$TL" analyze -r "$TD/demo.pcap" --color never tcp
check "-r FILE --color never EXPR: no colour" no_escape "$W/out"
check "-r FILE --color never EXPR: the filter is kept" grep -q '^flow ' "$W/out"
expect_rc "--color=sometimes" 2 "$TL" analyze --color=sometimes "$TD/demo.pcap"
expect_rc "--color=auto in a pipe" 0 env -u NO_COLOR TERM=xterm "$TL" analyze --color=auto "$TD/demo.pcap"
check "no colour in a pipe" no_escape "$W/out"
# On a terminal auto colours, unless NO_COLOR is set and not empty.
expect_rc "auto on a terminal" 0 "${TTY[@]}" --stdout-tty "$W/tty.out" "$W/tty.err" \
	env -u NO_COLOR TERM=xterm "$TL" analyze "$TD/demo.pcap"
check "auto on a terminal: colours" grep -q $'\033\[' "$W/tty.out"
check "auto on a terminal: the report is there" grep -q 'handshake=' "$W/tty.out"
expect_rc "NO_COLOR=1 on a terminal" 0 "${TTY[@]}" --stdout-tty "$W/tty.out" "$W/tty.err" \
	env NO_COLOR=1 TERM=xterm "$TL" analyze --color=auto "$TD/demo.pcap"
check "NO_COLOR=1 on a terminal: no colour" no_escape "$W/tty.out"
check "NO_COLOR=1 on a terminal: the report is there" grep -q 'handshake=' "$W/tty.out"
expect_rc "NO_COLOR= (empty) on a terminal" 0 "${TTY[@]}" --stdout-tty "$W/tty.out" "$W/tty.err" \
	env NO_COLOR= TERM=xterm "$TL" analyze "$TD/demo.pcap"
check "NO_COLOR empty: colours" grep -q $'\033\[' "$W/tty.out"
expect_rc "TERM=dumb on a terminal" 0 "${TTY[@]}" --stdout-tty "$W/tty.out" "$W/tty.err" \
	env -u NO_COLOR TERM=dumb "$TL" analyze "$TD/demo.pcap"
check "TERM=dumb: no colour" no_escape "$W/tty.out"

# ---- cmake --install: every path the man page and --help name exists ----
# Several reports from one pass: each --FORMAT-output file is what a run
# with --format FORMAT alone writes (JUnit but for its timestamp).
expect_rc "one pass, five reports (findings: exit 1)" 1 "$TL" analyze --fail-on error --json-output "$W/p.json" \
	--jsonl-output "$W/p.jsonl" --sarif-output "$W/p.sarif" --junit-output "$W/p.xml" \
	--text-output "$W/p.txt" --format text -o "$W/p-main.txt" "$TD/demo.pcap"
for f in text json jsonl sarif junit; do
	"$TL" analyze --fail-on error --format $f -o "$W/q.$f" "$TD/demo.pcap" >/dev/null 2>&1
done
check "one pass: text beside the main text, equal to a text run" \
	sh -c "cmp -s '$W/p.txt' '$W/q.text' && cmp -s '$W/p-main.txt' '$W/q.text'"
check "one pass: json and jsonl equal their own runs" "$PY" -c "
import json, sys
a, b = json.load(open('$W/p.json')), json.load(open('$W/q.json'))
la = sorted(open('$W/p.jsonl').read().splitlines())
lb = sorted(open('$W/q.jsonl').read().splitlines())
sys.exit(0 if a == b and la == lb else 1)"
check "one pass: sarif equal to its own run" cmp -s "$W/p.sarif" "$W/q.sarif"
check "one pass: junit equal to its own run but for the timestamp" \
	sh -c "sed 's/timestamp=\"[^\"]*\"//' '$W/p.xml' > '$W/p1.xml'; sed 's/timestamp=\"[^\"]*\"//' '$W/q.junit' > '$W/q1.xml'; cmp -s '$W/p1.xml' '$W/q1.xml'"
expect_rc "two reports to one file" 2 "$TL" analyze --json-output "$W/same" --sarif-output "$W/same" "$TD/demo.pcap"
expect_rc "--FORMAT-output naming the input" 2 "$TL" analyze --jsonl-output "$TD/demo.pcap" "$TD/demo.pcap"
expect_rc "reports beside a ladder" 0 "$TL" analyze --flow 6 --json-output "$W/l.json" "$TD/demo.pcap"
check "reports beside a ladder: the ladder on stdout, every flow in the JSON" \
	sh -c "grep -q 'flow 6' '$W/out' && $PY -c \"import json,sys; sys.exit(0 if len(json.load(open('$W/l.json'))['flows']) == 8 else 1)\""

# Community ID: every flow of every capture in testdata/ and the corpus
# carries the one Python's hashlib computes from the specification.
check "community_id of every flow equals the specification's (python hashlib)" "$PY" - "$TL" "$TD" "$CORPUS" <<'PYEOF'
import base64, glob, hashlib, json, os, socket, struct, subprocess, sys
tl, td, corpus = sys.argv[1:4]
def cid(sip, dip, sp, dp):
    fam = socket.AF_INET6 if ":" in sip else socket.AF_INET
    s, d = socket.inet_pton(fam, sip), socket.inet_pton(fam, dip)
    if (s, sp) > (d, dp):
        s, d, sp, dp = d, s, dp, sp
    h = hashlib.sha1(struct.pack("!H", 0) + s + d + bytes([6, 0]) + struct.pack("!HH", sp, dp))
    return "1:" + base64.b64encode(h.digest()).decode()
caps = glob.glob(os.path.join(td, "*.pcap")) + glob.glob(os.path.join(corpus, "**", "*.pcap*"), recursive=True)
n = bad = 0
for c in caps:
    out = subprocess.run([tl, "analyze", "--format", "json", c], capture_output=True, text=True).stdout
    if not out:
        continue
    for f in json.loads(out)["flows"]:
        n += 1
        want = cid(f["client"]["ip"], f["server"]["ip"], f["client"]["port"], f["server"]["port"])
        if f["community_id"] != want:
            bad += 1
            print(c, f["id"], f["community_id"], want)
print(f"{n} flows checked, {bad} wrong")
sys.exit(1 if bad or n < 50 else 0)
PYEOF

# tcpdump and tshark habits: one line each, a suggestion for a misspelling.
expect_rc "misspelt option" 2 "$TL" analyze --fromat json "$TD/demo.pcap"
check "misspelt option: did you mean --format, one line" \
	sh -c "[ \$(wc -l <'$W/err') -eq 1 ] && grep -q 'did you mean --format?' '$W/err'"
expect_rc "misspelt --fail-on word" 2 "$TL" analyze --fail-on eror "$TD/demo.pcap"
check "misspelt --fail-on word: did you mean error" grep -q 'did you mean error?' "$W/err"
expect_rc "misspelt --format value" 2 "$TL" analyze --format jsnol "$TD/demo.pcap"
check "misspelt --format value: did you mean jsonl" grep -q 'did you mean jsonl?' "$W/err"
expect_rc "misspelt command" 2 "$TL" analyz "$TD/demo.pcap"
check "misspelt command: did you mean analyze" grep -q 'did you mean analyze?' "$W/err"
expect_rc "no suggestion for a word far from every option" 2 "$TL" analyze --zzzzzzzz "$TD/demo.pcap"
check "no suggestion for a word far from every option: none given" \
	sh -c "! grep -q 'did you mean' '$W/err'"
expect_rc "-Y (tshark's display filter)" 2 "$TL" analyze -Y 'tcp.flags.syn==1' "$TD/demo.pcap"
check "-Y: one line pointing at BPF and jq" \
	sh -c "[ \$(wc -l <'$W/err') -eq 1 ] && grep -q 'BPF filter' '$W/err' && grep -q jq '$W/err'"
expect_rc "-n -nn -s 96 accepted" 0 "$TL" analyze -n -nn -s 96 "$TD/demo.pcap"
cp "$W/out" "$W/nn.txt"
expect_rc "plain run" 0 "$TL" analyze "$TD/demo.pcap"
check "-n -nn -s change nothing" cmp -s "$W/out" "$W/nn.txt"
expect_rc "-q" 0 "$TL" analyze -q "$TD/demo.pcap"
check "-q: totals, no flow line" sh -c "grep -q '^totals' '$W/out' && ! grep -q '^flow ' '$W/out'"
expect_rc "-v" 0 "$TL" analyze -v "$TD/demo.pcap"
check "-v: both endpoints' state changes under a flow" \
	sh -c "grep -q '^    client  SYN_SENT@1 ESTABLISHED@2 FIN_WAIT_1@9' '$W/out' && grep -q '^    server  LISTEN@1 SYN_RECEIVED@2' '$W/out'"
expect_rc "-c over two files" 0 "$TL" analyze --format json -c 85 "$TD/demo.pcap" "$TD/bad_ack.pcap"
check "-c is a total over the inputs (80 + 5)" "$PY" -c "
import json, sys
d = json.load(open('$W/out'))
sys.exit(0 if [i['packets'] for i in d['inputs']] == [80, 5] else 1)"
expect_rc "--version" 0 "$TL" --version
check "--version names libpcap and jansson" sh -c "grep -q '^libpcap version' '$W/out' && grep -q '^jansson [0-9]' '$W/out'"

# Outputs never destroy a capture: -o naming an input (however spelt) or
# an existing capture file is refused, one line, exit 2, the file intact;
# --force writes it; a report file is replaced as usual.
cp "$TD/demo.pcap" "$W/keep.pcap"
sum_before=$(cksum <"$W/keep.pcap")
expect_rc "-o naming the input" 2 "$TL" analyze -o "$W/keep.pcap" "$W/keep.pcap"
check "-o naming the input: one line saying why" \
	sh -c "[ \$(wc -l <'$W/err') -eq 1 ] && grep -q 'is one of the inputs' '$W/err'"
expect_rc "-o naming the input by another path" 2 "$TL" analyze -o "$W/./keep.pcap" "$W/keep.pcap"
expect_rc "-o naming another capture" 2 "$TL" analyze -o "$W/keep.pcap" "$TD/bad_ack.pcap"
check "-o naming another capture: says so" grep -q 'is an existing capture file' "$W/err"
check "the refused capture is intact" sh -c "[ \"\$(cksum <'$W/keep.pcap')\" = '$sum_before' ]"
expect_rc "-o a report file twice" 0 "$TL" analyze -o "$W/report.txt" "$W/keep.pcap"
expect_rc "-o a report file twice (replaced)" 0 "$TL" analyze -o "$W/report.txt" "$W/keep.pcap"
expect_rc "--force -o over a capture" 0 "$TL" analyze --force -o "$W/keep.pcap" "$TD/demo.pcap"
check "--force wrote the report" grep -q '^totals' "$W/keep.pcap"
"$TL" analyze --format json -o "$W/m.json" "$TD/demo.pcap" >/dev/null 2>&1
expect_rc "merge -o naming one of its reports" 2 "$TL" merge -o "$W/m.json" "$W/m.json"

if command -v cmake >/dev/null && [ -n "${TCPLINT_BINARY_DIR:-}" ] &&
	[ -f "$TCPLINT_BINARY_DIR/cmake_install.cmake" ]; then
	expect_rc "cmake --install --prefix" 0 cmake --install "$TCPLINT_BINARY_DIR" --prefix "$W/inst"
	for c in "" analyze live; do "$TLBIN" $c --help; done >"$W/help.txt" 2>&1
	"$PY" - "$W/inst" "$W/help.txt" >"$W/install.log" 2>&1 <<'PYEOF'
import glob, os, re, sys
inst, helptxt = sys.argv[1], open(sys.argv[2]).read()
pages = glob.glob(os.path.join(inst, "share/man/man1/tcplint.1"))
if not pages:
    print("no installed man page"); sys.exit(1)
man = open(pages[0]).read()
files = man.split(".SH FILES", 1)[1].split(".SH ", 1)[0]
named = re.findall(r"(/\S+?)(?=[\s\";]|$)", files)
docdir = named[0]
bad = [p for p in named if not p.startswith(inst) or not os.path.exists(p)]
rel = set(re.findall(r"docs/[A-Za-z_.]+[a-z]", man + helptxt))
bad += [d for d in rel if not os.path.exists(os.path.join(docdir, d))]
for b in bad:
    print("missing:", b)
print(f"{len(named)} FILES paths, {len(rel)} docs/ references under {docdir}")
sys.exit(1 if bad or len(named) < 3 else 0)
PYEOF
	if [ $? -eq 0 ]; then ok "installed docs: $(tail -1 "$W/install.log")"; else
		bad "installed docs"; sed 's/^/    /' "$W/install.log" | head -20; fi
else
	echo "skip installed docs: no cmake or no build tree"
fi

echo "passed $PASS, failed $FAIL"
[ "$FAIL" -eq 0 ]
