#!/bin/sh
# Per-call cost of the Vietnamese formatters and escapers (tests/bench/bench_vnfmt.c).
set -eu
"$BENCH_BIN/bench_vnfmt"
