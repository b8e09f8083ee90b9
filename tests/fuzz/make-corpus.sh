#!/bin/sh
# Seeds tests/fuzz/corpus/csv/ from the fixtures of tests/data/: each fixture with option
# bytes 0x00 (inferred types) and 0x01 (the harness's dictionary).
set -eu
cd "$(dirname "$0")/../.."
out=tests/fuzz/corpus/csv
mkdir -p "$out"
for f in tests/data/*.csv tests/data/project/input/*.csv; do
    n=$(echo "$f" | sed 's|tests/data/||; s|/|-|g; s|\.csv$||')
    { printf '\000'; cat "$f"; } > "$out/$n-0"
    { printf '\001'; cat "$f"; } > "$out/$n-1"
done
