#!/bin/sh
# gen-table.sh ROWS [CLASS]: an HTML province comparison sheet of ROWS rows and 12 numeric
# columns on stdout (for the long-table tests and the benchmark).
rows=$1
awk -v rows="$rows" 'BEGIN {
    print "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>So sánh</title>"
    print "<style>@page { size: A4 landscape } td { text-align: right }</style></head><body>"
    print "<h2>Bảng so sánh các tỉnh</h2><table><thead><tr><th>STT</th><th>Tỉnh</th>"
    for (c = 1; c <= 10; c++) printf "<th>Chỉ tiêu %d</th>", c
    print "</tr></thead><tbody>"
    for (r = 1; r <= rows; r++) {
        printf "<tr><td>%d</td><td style=\"text-align: left\">Tỉnh số %d</td>", r, r
        for (c = 1; c <= 10; c++) {
            v = (r * 7919 + c * 104729) % 1000000
            printf "<td>%d.%03d</td>", int(v / 1000), v % 1000
        }
        print "</tr>"
    }
    print "</tbody></table></body></html>"
}'
