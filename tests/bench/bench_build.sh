#!/bin/sh
# baocao build speed and memory (issue 7).
# 1. The sample set: the repository's templates/ over input/ when it has templates, else a
#    stand-in project over input/ (a report per province and year from both statistics
#    tables, a comparison sheet per year; PDF through the real pipeline). Documents per second
#    with -j 1 and -j 2 (--force), the speed-up, and the no-op rebuild time.
# 2. 10.000 one-page PDF documents, one per cooperative of a generated table, with -j 2: wall
#    time (limit 60 s) and peak RSS of the largest process, at 1.000 and at 10.000 documents,
#    and for one province's documents from the same 10.000-row table: the difference is what
#    the documents themselves cost (the memory that must stay flat), the rest is the table.
#    And the no-op rebuild at 10.000. The same with Markdown output only
#    times the engine itself (planning, hashing, workers, atomic writes, manifest, index).
# BENCH_BUILD_QUICK=1 skips the 10.000-document PDF build (minutes on a loaded machine).
set -eu
: "${BAOCAO:=./baocao}"
top=$(pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# run DIR ARGS...: prints "SECONDS MAXRSS_KB CPU_SECONDS" of one build (its output dropped); CPU
# time (user + system, workers included) shows the cost when the machine is shared
run() {
    d=$1; shift
    /usr/bin/time -f '%e %M %U %S' -o "$tmp/time" "$BAOCAO" build -C "$d" --quiet "$@" >"$tmp/out" 2>"$tmp/err" || {
        echo "bench_build: build failed:"; tail -5 "$tmp/err"; exit 1; }
    awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' "$tmp/time"
}
best() { # best DIR ARGS...: the fastest of three runs, in seconds
    b=""
    for i in 1 2 3; do
        s=$(run "$@" | cut -d' ' -f1)
        b=$(awk -v b="$b" -v s="$s" 'BEGIN { print (b == "" || s + 0 < b + 0) ? s : b }')
    done
    echo "$b"
}
comma() { echo "$1" | tr . ,; }

# --- 1. the sample set
S="$tmp/sample"; mkdir -p "$S"
cp -r input "$S/"
[ -d fonts ] && cp -r fonts "$S/"
has_templates=0
for f in templates/*.md templates/*.html; do [ -f "$f" ] && has_templates=1; done
if [ "$has_templates" = 1 ]; then
    cp -r templates "$S/"
    what="templates/ of the repository"
else
    what="stand-in templates"
    mkdir -p "$S/templates"
    for t in 63 34; do
        cat >"$S/templates/tong-ket-$t.md" <<EOF
---
title: "Báo cáo tổng kết năm {{nam}} — {{ten_tinh}}"
data: ../input/htx_tinh_$t.csv
key: ma_tinh
period: nam
each: [ma_tinh, nam]
output: "{{nam}}/tong-ket-{{ma_tinh}}-{{nam}}-$t"
---
# Báo cáo tổng kết năm {{nam}} — {{ten_tinh}}

Toàn tỉnh có {{so_htx}} hợp tác xã, {{so_tht}} tổ hợp tác và {{thanh_vien}} thành viên.
EOF
        cat >"$S/templates/so-sanh-$t.md" <<EOF
---
title: "So sánh các tỉnh năm {{nam}}"
data: ../input/htx_tinh_$t.csv
period: nam
each: [nam]
output: "{{nam}}/so-sanh-{{nam}}-$t"
---
# So sánh các tỉnh năm {{nam}}
EOF
    done
fi
run "$S" -j 2 >/dev/null
n=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['documents']))" "$S/output/manifest.json")
r1=$(run "$S" --force -j 1); t1=$(echo "$r1" | cut -d' ' -f1)
r2=$(run "$S" --force -j 2); t2=$(echo "$r2" | cut -d' ' -f1)
t0=$(best "$S")
echo "build sample ($what): $n documents; -j 1 $(comma "$t1") s = $(awk -v n="$n" -v t="$t1" 'BEGIN { printf "%.0f", n / (t > 0 ? t : 0.01) }') docs/s; -j 2 $(comma "$t2") s = $(awk -v n="$n" -v t="$t2" 'BEGIN { printf "%.0f", n / (t > 0 ? t : 0.01) }') docs/s; speed-up $(comma "$(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.2f", a / (b > 0 ? b : 0.01) }')"); cpu $(comma "$(echo "$r1" | cut -d' ' -f3)") s (-j 1), $(comma "$(echo "$r2" | cut -d' ' -f3)") s (-j 2); no-op rebuild $(comma "$t0") s; load $(cut -d' ' -f1 /proc/loadavg)"

# --- 2. 10.000 cooperatives, one page each
coop() { # coop DIR N [FORMATS]: a project with N cooperatives
    mkdir -p "$1/input" "$1/templates"
    awk -v n="$2" 'BEGIN {
        srand(7);
        print "ma_htx,ten_htx,ma_tinh,nam,thanh_vien,doanh_thu,von_dieu_le";
        for (i = 1; i <= n; i++)
            printf "%05d,Hợp tác xã Nông nghiệp số %d,%02d,2024,%d,%d,%d\n", i, i, i % 63 + 1, 7 + int(rand() * 400), int(rand() * 90000), int(rand() * 20000);
    }' >"$1/input/htx.csv"
    cat >"$1/templates/htx.md" <<'EOF'
---
title: "{{ten_htx}}"
data: ../input/htx.csv
key: ma_htx
period: nam
each: [ma_htx]
output: "htx/{{ma_tinh}}/{{ma_htx}}"
formats: [FORMATS]
---
# {{ten_htx}}

Năm {{nam}}: {{thanh_vien}} thành viên, doanh thu {{doanh_thu}} triệu đồng, vốn điều lệ {{von_dieu_le}} triệu đồng.
EOF
    sed -i "s/FORMATS/${3:-pdf}/" "$1/templates/htx.md"
}
tenk() { # tenk FORMAT: builds 1.000 and 10.000 cooperatives with -j 2 and reports
    rm -rf "$tmp/c1" "$tmp/c10" "$tmp/w10"
    coop "$tmp/c1" 1000 "$1"
    coop "$tmp/c10" 10000 "$1"
    # the same 10.000-row table, one province's 158 documents: the memory of the input alone
    coop "$tmp/w10" 10000 "$1"
    sed -i 's/^each: \[ma_htx\]/each: [ma_htx]\nwhere:\n  ma_tinh: "01"/' "$tmp/w10/templates/htx.md"
    r1=$(run "$tmp/c1" -j 2)
    r10=$(run "$tmp/c10" -j 2)
    w10=$(run "$tmp/w10" -j 2 | cut -d' ' -f2)
    nw=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['documents']))" "$tmp/w10/output/manifest.json")
    noop=$(run "$tmp/c10" -j 2 | cut -d' ' -f1)
    s10=$(echo "$r10" | cut -d' ' -f1)
    m1=$(echo "$r1" | cut -d' ' -f2); m10=$(echo "$r10" | cut -d' ' -f2)
    echo "build cooperatives ($1) -j 2: 1.000 in $(comma "$(echo "$r1" | cut -d' ' -f1)") s, peak RSS $m1 kB; 10.000 in $(comma "$s10") s (limit 60 s: $(awk -v s="$s10" 'BEGIN { print (s <= 60 ? "ok" : "OVER") }')), peak RSS $m10 kB, cpu $(comma "$(echo "$r10" | cut -d' ' -f3)") s; the same 10.000-row table for $nw documents: peak RSS $w10 kB, so a document costs $(awk -v a="$w10" -v b="$m10" -v n="$nw" 'BEGIN { printf "%.0f", (b - a) * 1024 / (10000 - n) }') B and the 10x larger table the rest; no-op rebuild $(comma "$noop") s"
}
tenk md
[ "${BENCH_BUILD_QUICK:-0}" = 1 ] || tenk pdf
