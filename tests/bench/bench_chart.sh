#!/bin/sh
# Chart speed (issue 6): a 63-bar chart to SVG must take ≤ 1 ms, the SVG to page items ≤ 2 ms.
set -u
"$BENCH_BIN/bench_chart"
