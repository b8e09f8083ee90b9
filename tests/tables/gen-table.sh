#!/bin/sh
# gen-table.sh ROWS: an HTML province comparison sheet of ROWS rows and 12 columns (STT, the
# province, 10 figures) on stdout, for the long-table tests and the benchmark; render it
# with --style tests/tables/tables.css (A4 landscape).
rows=$1
awk -v rows="$rows" 'BEGIN {
    print "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>So sánh</title>"
    print "</head><body>"
    print "<h2>Bảng so sánh các tỉnh</h2><table><thead><tr><th>STT</th><th>Tỉnh</th>"
    for (c = 1; c <= 10; c++) printf "<th>Chỉ tiêu %d</th>", c
    print "</tr></thead><tbody>"
    for (r = 1; r <= rows; r++) {
        printf "<tr><td>%d</td><td class=\"name\">Tỉnh số %d</td>", r, r
        for (c = 1; c <= 10; c++) {
            v = (r * 7919 + c * 104729) % 1000000
            printf "<td>%d.%03d</td>", int(v / 1000), v % 1000
        }
        print "</tr>"
    }
    print "</tbody></table></body></html>"
}'
