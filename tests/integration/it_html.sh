#!/usr/bin/env bash
# it_html.sh - the html report in a real browser: headless Chromium loads
# the report of testdata/demo.pcap and of a 10 000-flow capture from
# tests/bench/gen_bench from a file:// URL, with no network (a network
# namespace of its own, which has not even a loopback up), and:
#   - the DOM it built (--dump-dom) has the sections, one table row per
#     flow (one page of them shown), one sequence diagram per flow with
#     findings that has a section (all of them for demo.pcap, the --top
#     default of 200 for the large one) with one arrow per segment of the
#     flow's JSON record, and the state labels;
#   - the page's script ran to its end, with no error and no console output;
#   - Chromium's network log shows no request of the page but file: URLs,
#     and the page itself names no URL (html_check.py static);
#   - both checks are first shown to catch a page that loads an image;
#   - a screenshot of one flow's diagrams is kept in the build tree
#     (it_html/demo-flow6.png) for a person to look at.
#
# Needs: root (a network namespace: unshare -n), $TCPLINT (set by ctest),
# chromium (Debian package chromium), /usr/bin/python3, the generator
# build/tests/bench/gen_bench.
# Exit: 0 pass, 1 fail, 77 skipped (something is missing: says what).
set -u

SRC=${TCPLINT_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=${TCPLINT_BINARY_DIR:-}
TL=${TCPLINT:-}
PY=/usr/bin/python3
CHECK="$SRC/tests/integration/html_check.py"
GEN=$BIN/tests/bench/gen_bench

skip() { echo "SKIP: $*"; exit 77; }
[ -n "$TL" ] && [ -x "$TL" ] || skip "TCPLINT is not set to the tcplint binary"
[ -n "$BIN" ] || skip "TCPLINT_BINARY_DIR is not set"
[ -x "$PY" ] || skip "/usr/bin/python3 is not installed"
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || skip "chromium is not installed (apt-get install chromium, or .ci/install-deps --test)"
[ "$(id -u)" -eq 0 ] || skip "needs root for a network namespace without network (unshare -n)"
unshare -n true 2>/dev/null || skip "cannot make a network namespace (unshare -n)"
[ -x "$GEN" ] || skip "the capture generator $GEN is not built"

OUT=$BIN/it_html            # kept: the screenshot is the test's artifact
rm -rf "$OUT"
mkdir -p "$OUT" || exit 1
W=$(mktemp -d /tmp/it_html.XXXXXX)
trap 'rm -rf "$W"' EXIT

fails=0
passes=0
ok() { echo "ok   $1"; passes=$((passes + 1)); }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }
check() { # NAME CMD...: run CMD, log its output, count
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then ok "$name"; else bad "$name"; fi
	[ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/     /'
}

# Chromium, headless, as root, in a network namespace of its own: nothing
# it tries can leave the machine. Its own background services are off; it
# logs its network requests and the page's console.
browse() { # NAME URL ARGS...: $W/NAME.{err,net.json}
	local name=$1 url=$2
	shift 2
	timeout 180 unshare -n "$CHROMIUM" --headless --no-sandbox --disable-gpu \
		--no-first-run --no-default-browser-check --disable-background-networking \
		--disable-component-update --disable-sync --disable-default-apps \
		--disable-extensions --hide-scrollbars --user-data-dir="$W/profile-$name" \
		--enable-logging=stderr --v=0 --log-net-log="$W/$name.net.json" \
		"$@" "$url" 2>"$W/$name.err"
}

# ---- the checks catch what they must: a page that loads an image ----
cat >"$W/bad.html" <<'EOF'
<!DOCTYPE html><html><head><title>bad</title></head><body>
<img src="http://127.0.0.1:9/x.png" alt=""><script>console.log("hi")</script></body></html>
EOF
browse bad "file://$W/bad.html" --dump-dom >"$W/bad.dom"
if "$PY" "$CHECK" net "$W/bad.net.json" >/dev/null; then bad "the network check misses a page's request"; else ok "the network check catches a page's request"; fi
if "$PY" "$CHECK" static "$W/bad.html" >/dev/null; then bad "the static check misses src=http:"; else ok "the static check catches src=http:"; fi
if "$PY" "$CHECK" console "$W/bad.err" >/dev/null; then bad "the console check misses console.log"; else ok "the console check catches console.log"; fi

# ---- testdata/demo.pcap ----
"$TL" analyze --format json -o "$W/demo.json" "$SRC/testdata/demo.pcap"
"$TL" analyze --format html -o "$OUT/demo.html" "$SRC/testdata/demo.pcap"
check "demo: tcplint wrote the page" test -s "$OUT/demo.html"
check "demo: the page names nothing outside itself" "$PY" "$CHECK" static "$OUT/demo.html"
browse demo "file://$OUT/demo.html" --dump-dom >"$W/demo.dom"
check "demo: the DOM in Chromium" "$PY" "$CHECK" dom "$W/demo.dom" "$W/demo.json"
check "demo: no request but the page" "$PY" "$CHECK" net "$W/demo.net.json"
check "demo: no console message" "$PY" "$CHECK" console "$W/demo.err"

# A screenshot of flow 6 (the FIN retransmitted, the missing ACK), light
# and dark, kept for a person to look at.
"$PY" "$CHECK" figure "$OUT/demo.html" f0-6 "$OUT/demo-flow6.html"
browse shot "file://$OUT/demo-flow6.html" --window-size=860,1400 --screenshot="$OUT/demo-flow6.png" >/dev/null
check "demo: screenshot of a diagram" test -s "$OUT/demo-flow6.png"
browse shotdark "file://$OUT/demo-flow6.html" --window-size=860,1400 --force-dark-mode \
	--blink-settings=preferredColorScheme=0 --screenshot="$OUT/demo-flow6-dark.png" >/dev/null
check "demo: screenshot in the dark scheme" test -s "$OUT/demo-flow6-dark.png"

# ---- 10 000 flows ----
"$GEN" --flows 10000 --concurrent 1000 "$W/big.pcap" >/dev/null 2>&1 || bad "gen_bench"
"$TL" analyze --format json -o "$W/big.json" "$W/big.pcap"
t0=$EPOCHREALTIME
"$TL" analyze --format html -o "$OUT/big.html" "$W/big.pcap"
t1=$EPOCHREALTIME
size=$(stat -c %s "$OUT/big.html")
check "big: the page names nothing outside itself" "$PY" "$CHECK" static "$OUT/big.html"
browse big "file://$OUT/big.html" --dump-dom >"$W/big.dom"
t2=$EPOCHREALTIME
check "big: the DOM in Chromium" "$PY" "$CHECK" dom "$W/big.dom" "$W/big.json" --drawn 200
check "big: no request but the page" "$PY" "$CHECK" net "$W/big.net.json"
check "big: no console message" "$PY" "$CHECK" console "$W/big.err"
awk -v s="$size" -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN {
	printf "     big: %d bytes (%.0f per flow), written in %.2f s, loaded by Chromium in %.2f s\n",
	       s, s / 10000, b - a, c - b }'

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
