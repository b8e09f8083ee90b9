#!/bin/sh
# Issue 4's speed figure: CPU time of `baocao render` turning the 3-page benchmark report
# (tests/layout/report.html: the text of tests/bench/report.txt as headings and justified
# paragraphs, Liberation Serif Regular/Bold like the floor) into a PDF, against the bare
# libharu floor program (tests/bench/floor.c) writing the same text. Best of $BENCH_RUNS.
# Goal: ratio <= 1.5.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/floor.inc"
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
export SOURCE_DATE_EPOCH=1700000000
floor=$(floor_ms) || { echo "layout: floor FAILED"; exit 1; }
ms=$(cd "$top" && cpu_ms "$BAOCAO" render tests/layout/report.html \
     --style tests/layout/layout.css --format pdf -o "$out/report.pdf") ||
    { echo "layout: render FAILED"; exit 1; }
pages=$(pdfinfo "$out/report.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
echo "layout: ${pages:-?}-page report $ms ms CPU (floor $floor ms, ratio $(echo "$ms $floor" | awk '{ printf "%.2f", $1 / $2 }'))"
