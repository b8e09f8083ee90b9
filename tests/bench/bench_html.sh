#!/bin/sh
# HTML speed (issue 6): a 3-page report to a complete HTML page must take ≤ 2 ms.
set -u
"$BENCH_BIN/bench_html"
