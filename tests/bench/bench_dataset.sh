#!/bin/sh
# Dataset and fill speed (tests/bench/bench_dataset.c) on the sample data in input/.
# Budgets (issue 3): build <= 20 ms, one fill <= 0,2 ms, 10.000 fills <= 2 s, RSS flat.
set -u
"$BENCH_BIN/bench_dataset"
