#!/bin/sh
# make bench: runs every benchmark (tests/bench/bench_*.sh scripts and the compiled
# tests/bench/*.c programs in BUILD/bench/) in one run and prints their figures.
set -u
dir=${1:-build/release}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
echo "bench: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(date -u +%Y-%m-%d)"
for s in tests/bench/bench_*.sh; do
    [ -f "$s" ] || continue
    BAOCAO="$top/baocao" BENCH_BIN="$top/$dir/bench" sh "$s"
done
