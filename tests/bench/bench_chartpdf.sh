#!/bin/sh
# A 63-bar chart drawn into the PDF (issue 6: ≤ 2 ms): from the DOM (chartdom_expand, then
# svgdraw_render_node as layout draws it) through pdfout_write, less the same page with only
# the chart's text (font embedding left out). See tests/bench/bench_chartpdf.c.
set -u
"$BENCH_BIN/bench_chartpdf"
