#!/usr/bin/env bash
# it_sarif.sh - tcplint's SARIF through Microsoft's own validator (the
# SARIF Multitool from npm, @microsoft/sarif-multitool-linux): no error and
# no warning on the reports of every capture in testdata/ (relative and
# absolute paths) and of a sample of the corpus.
#
# Needs: $TCPLINT (set by ctest), npm reaching its registry (the tool is
# installed once into the build tree). Exit: 0 pass, 1 fail, 77 skipped
# (npm or the registry missing: says which).
set -u
TL=${TCPLINT:-}
SRC=${TCPLINT_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=${TCPLINT_BINARY_DIR:-/tmp}
CORPUS=${TCPLINT_CORPUS_DIR:-$SRC/../shared/corpus}
VERSION=5.7.0
skip() { echo "SKIP: $*"; exit 77; }
[ -n "$TL" ] && [ -x "$TL" ] || skip "TCPLINT is not set to the tcplint binary"
command -v npm >/dev/null || skip "npm is not installed (apt-get install npm)"
TOOLDIR=$BIN/sarif-multitool-$VERSION
MT=$TOOLDIR/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
if [ ! -x "$MT" ]; then
	mkdir -p "$TOOLDIR"
	(cd "$TOOLDIR" && timeout 600 npm install --no-audit --no-fund --loglevel=error \
		"@microsoft/sarif-multitool-linux@$VERSION" >npm.log 2>&1) ||
		skip "npm could not install @microsoft/sarif-multitool-linux@$VERSION ($(tail -1 "$TOOLDIR/npm.log"))"
	chmod u+x "$MT"
fi
# The tool is a .NET program: without ICU it must be told to do without.
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1

W=$(mktemp -d /tmp/it_sarif.XXXXXX)
trap 'rm -rf "$W"' EXIT
n=0
cd "$SRC" || exit 1
for cap in testdata/*.pcap "$SRC"/testdata/demo.pcap \
	$(ls "$CORPUS"/tcpdump/*.pcap "$CORPUS"/zeek/tcp/*.pcap 2>/dev/null | head -20); do
	n=$((n + 1))
	"$TL" analyze --max-flows 4096 --fail-on error --format sarif -o "$W/$n.sarif" "$cap" 2>/dev/null
done
fails=0
for f in "$W"/*.sarif; do
	timeout 120 "$MT" validate --output "$f.log" "$f" >"$f.out" 2>&1
	if grep -qE "(error|warning) SARIF[0-9]" "$f.out" || ! grep -q "Analysis completed successfully" "$f.out"; then
		fails=$((fails + 1))
		echo "FAIL $f:"
		grep -E "(error|warning) SARIF|Unhandled|No usable" "$f.out" | head -5 | sed 's/^/    /'
	fi
done
echo "$n SARIF reports validated by SARIF Multitool $VERSION: $fails with errors or warnings"
[ "$fails" -eq 0 ]
