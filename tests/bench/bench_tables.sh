#!/bin/sh
# Issue 5's speed figures.
#  1. Long tables: `baocao render` of province comparison sheets (tests/tables/gen-table.sh:
#     12 columns, tests/tables/tables.css: landscape) of 500, 5.000 and 50.000 rows: CPU seconds and peak RSS each,
#     which should grow linearly (goal: 5.000 rows in <= 1 s and <= 100 MB).
#  2. The 3-page report (tests/layout/report.html: headings and 10 justified paragraphs) with
#     a 34-row table (one row per province of a region sheet) against the bare libharu floor
#     writing the same text (the table's rows as lines) with the same faces. Goal: <= 1.5.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/floor.inc"
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
export SOURCE_DATE_EPOCH=1700000000
line="tables:"
for n in 500 5000 50000; do
    sh "$top/tests/tables/gen-table.sh" $n >"$out/t$n.html"
    runs=3; [ $n -ge 50000 ] && runs=1
    ms=$(cd "$top" && BENCH_RUNS=$runs cpu_ms "$BAOCAO" render "$out/t$n.html" --style tests/tables/tables.css \
         --format pdf -o "$out/t$n.pdf") ||
        { echo "tables: render of $n rows FAILED"; exit 1; }
    kb=$( (cd "$top" && /usr/bin/time -f '%M' "$BAOCAO" render "$out/t$n.html" \
         --style tests/tables/tables.css --format pdf -o "$out/t$n.pdf") 2>&1 >/dev/null | tail -1)
    pages=$(pdfinfo "$out/t$n.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
    line="$line $n rows $(awk -v m="$ms" 'BEGIN { printf "%.2f", m / 1000 }') s $(awk -v k="$kb" 'BEGIN { printf "%.0f", k / 1024 }') MB (${pages:-?} pages);"
    rm -f "$out/t$n.pdf" "$out/t$n.html"
done
echo "${line%;}"

# the report with a 34-row table, and the same text for the floor
awk '/<\/body>/ {
    print "<table><caption>Bảng 1. Kết quả hoạt động hợp tác xã theo tỉnh năm 2023</caption>"
    print "<thead><tr><th>STT</th><th>Tỉnh</th><th>Số HTX</th><th>Thành viên</th><th>Doanh thu</th><th>Lãi bình quân</th></tr></thead><tbody>"
    for (r = 1; r <= 34; r++)
        printf "<tr><td class=\"center\">%d</td><td>Tỉnh số %d</td><td class=\"num\">%d</td><td class=\"num\">%d.%03d</td><td class=\"num\">%d,%02d</td><td class=\"num\">%d,%d</td></tr>\n", r, r, 100 + r * 13 % 400, 10 + r * 7 % 90, r * 37 % 1000, r * 11 % 100, r * 3 % 100, r % 9 + 1, r % 10
    print "</tbody></table>"
}
{ print }' "$top/tests/layout/report.html" >"$out/report.html"
{ cat "$top/tests/bench/report.txt"
  printf '\n## Bảng 1. Kết quả hoạt động hợp tác xã theo tỉnh năm 2023\n\nSTT Tỉnh Số HTX Thành viên Doanh thu Lãi bình quân\n'
  awk 'BEGIN { for (r = 1; r <= 34; r++) printf "\n%d Tỉnh số %d %d %d.%03d %d,%02d %d,%d\n", r, r, 100 + r * 13 % 400, 10 + r * 7 % 90, r * 37 % 1000, r * 11 % 100, r * 3 % 100, r % 9 + 1, r % 10 }'
} >"$out/report.txt"
floor=$(cpu_ms "$BENCH_BIN/floor" "$out/report.txt" "$top/fonts" "$out/floor.pdf") ||
    { echo "tables: floor FAILED"; exit 1; }
ms=$(cd "$top" && cpu_ms "$BAOCAO" render "$out/report.html" --style tests/bench/tables-report.css \
     --format pdf -o "$out/report.pdf") || { echo "tables: report render FAILED"; exit 1; }
pages=$(pdfinfo "$out/report.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
echo "tables: ${pages:-?}-page report with a 34-row table $ms ms CPU (floor $floor ms, ratio $(ratio "$ms" "$floor"))"
