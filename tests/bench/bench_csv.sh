#!/bin/sh
# CSV speed and memory: generates a 100.000-row x 25-column table (about 15 MB: province code
# and quoted name, year, 22 numeric columns in the Vietnamese convention with thousands
# groups, decimals and missing cells, semicolon-separated, CRLF) and reads it with
# table_read() ($BENCH_BIN/csv_read), then with `baocao data` (reading plus printing).
# Limits (issue 2): reading <= 0,25 s wall, peak RSS <= 3x the file size.
set -eu
: "${BAOCAO:=./baocao}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
f=${BENCH_KEEP:-$tmp/big.csv}
awk 'BEGIN {
    srand(42);
    printf "ma_tinh;ten_tinh;nam";
    for (c = 1; c <= 22; c++) printf ";so_%02d", c;
    printf "\r\n";
    split("Hà Nội|Thái Nguyên|Ninh Bình|Lạng Sơn|Bạc Liêu|Khánh Hòa|Thừa Thiên Huế|Bà Rịa - Vũng Tàu", names, "|");
    for (r = 0; r < 100000; r++) {
        printf "%02d;\"%s\";%d", r % 96 + 1, names[r % 8 + 1], 2018 + r % 8;
        for (c = 1; c <= 22; c++) {
            v = int(rand() * 150000);
            if (c % 4 == 0) printf ";%d,%02d", v % 10000, v % 100;
            else if (c % 7 == 0) printf ";";
            else if (v >= 1000) printf ";%d.%03d", int(v / 1000), v % 1000;
            else printf ";%d", v;
        }
        printf "\r\n";
    }
}' > "$f"
bytes=$(wc -c < "$f")

# run NAME LIMITED COMMAND...: one result line in the format; LIMITED=1 compares it
# with the limits (reading: 0,25 s, 3x the file), 0 just reports (reading + printing)
run() {
    name=$1; limited=$2; shift 2
    /usr/bin/time -f '%e %M %U %S' -o "$tmp/time" "$@" > /dev/null 2> "$tmp/err" || {
        cat "$tmp/err" >&2; return 1; }
    read -r wall rss_kb user sys < "$tmp/time"
    awk -v n="$name" -v lim="$limited" -v b="$bytes" -v w="$wall" -v k="$rss_kb" -v u="$user" -v s="$sys" 'BEGIN {
        mb = b / 1048576; rss = k / 1024;
        printf "%s: 100000 rows x 25 cols (%.1f MB): %.2f s wall, peak RSS %.1f MB (%.2f x file size) [cpu %.2f s]%s\n",
            n, mb, w, rss, rss / mb, u + s, lim && (w > 0.25 || rss > 3 * mb) ? "  OVER LIMIT" : "";
    }'
}
status=0
if [ -x "${BENCH_BIN:-}/csv_read" ]; then
    run csv 1 "$BENCH_BIN/csv_read" "$f" || status=1
fi
run "csv (baocao data, reading and printing 16 MB of TSV; not the budgeted figure)" 0 "$BAOCAO" data --no-dict "$f" || status=1
exit $status
