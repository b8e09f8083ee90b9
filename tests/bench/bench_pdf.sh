#!/bin/sh
# The speed floor for issue 4: CPU time of a bare libharu program (tests/bench/floor.c)
# writing the 3-page benchmark report (tests/bench/report.txt) with Liberation Serif
# Regular/Bold and no layout; best of $BENCH_RUNS runs (default 10), measured with rusage.
# Then the same lines through the page model and pdfout_write (tests/bench/pdfout_report.c),
# as whole lines and as one run per word (how justified lines arrive), with the ratio.
#
# Other scripts reuse the figures: `. tests/bench/floor.inc`, then `floor_ms` prints the
# floor and `cpu_ms CMD...` measures another command the same way; `ratio A B` prints A/B.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/floor.inc"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
floor=$(floor_ms) || { echo "floor: FAILED"; exit 1; }
echo "floor: 3-page report $floor ms CPU (bare libharu, best of $BENCH_RUNS)"
for mode in lines words; do
    ms=$(cpu_ms "$BENCH_BIN/pdfout_report" "$top/tests/bench/report.txt" "$top/fonts" "$tmp/p.pdf" $mode) ||
        { echo "pdfout: FAILED"; exit 1; }
    echo "pdfout: same report through pages+pdfout_write, $mode: $ms ms CPU ($(ratio "$ms" "$floor")x floor)"
done
