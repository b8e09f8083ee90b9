#!/bin/sh
# Benchmark: CSS parsing and the cascade over a 3-page report (target: cascade well under 1 ms).
set -u
"$BENCH_BIN/style_cascade"
