#!/bin/sh
# The speed floor for issue 4: CPU time of a bare libharu program (tests/bench/floor.c)
# writing the 3-page benchmark report (tests/bench/report.txt) with Liberation Serif
# Regular/Bold and no layout; best of $BENCH_RUNS runs (default 10), measured with rusage.
#
# Other scripts reuse the figure: `. tests/bench/floor.inc; floor_ms` prints it, and
# `cpu_ms CMD...` measures another command the same way, so the pipeline's ratio to the
# floor is `echo "$real $floor" | awk '{printf "%.2f", $1/$2}'`.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/floor.inc"
ms=$(floor_ms) || { echo "floor: FAILED"; exit 1; }
echo "floor: 3-page report $ms ms CPU (bare libharu, best of ${BENCH_RUNS:-10})"
