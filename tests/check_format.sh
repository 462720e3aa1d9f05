#!/bin/sh
# check_format.sh SOURCE_DIR: every C file of the project is formatted as
# .clang-format says. The tree is formatted with clang-format 14 (Debian
# bookworm's); another major version formats some lines differently, so
# the check is skipped there (exit 77) rather than failing on a formatter
# difference. To format after a change: clang-format -i FILE...
set -u
src=${1:?usage: check_format.sh SOURCE_DIR}
cf=$(command -v clang-format-14 || command -v clang-format || true)
[ -n "$cf" ] || { echo "SKIP: clang-format is not installed (apt-get install clang-format)"; exit 77; }
major=$("$cf" --version | sed -n 's/.*version \([0-9]*\).*/\1/p')
[ "$major" = 14 ] || { echo "SKIP: $cf is version $major; the tree is formatted with clang-format 14"; exit 77; }
cd "$src" || exit 1
files=$(find cli analyzer formats tests -name '*.c' -o -name '*.h' | sort)
bad=0 n=0
for f in $files; do
	n=$((n + 1))
	if ! "$cf" --dry-run --Werror "$f" >/dev/null 2>&1; then
		echo "not formatted: $f (clang-format -i $f)"
		bad=$((bad + 1))
	fi
done
echo "$n files, $bad not formatted as .clang-format says"
[ "$bad" -eq 0 ]
