#!/bin/sh
# baocao render with templates: Ninh Bình 2022 from the sample data, names compared after
# tone normalisation, fan-out into a folder, and errors with FILE:LINE:COL and exit 1.
. tests/e2e/common.inc
T=tests/data/templates/tong-ket.md
export SOURCE_DATE_EPOCH=1700000000

expect_status "render Ninh Bình 2022" 0 $BAOCAO render $T --where ma_tinh=37 --where nam=2022 -o "$E2E_TMP/nb.md"
for fig in '468 HTX' '512 tổ hợp tác' '337\.082 thành viên' 'Thành lập mới 39 HTX' 'ba mươi chín' \
           'tăng 24 HTX' 'ít nhất 40 \| 39 \| Không đạt' 'từ 60% trở lên \| 65,2% \| Đạt' \
           'ngày 31 tháng 12 năm 2022' 'ngày 15 tháng 11 năm 2023' '^# Báo cáo tổng kết năm 2022 — Ninh Bình$' \
           '2021: 444; 2022: 468' 'Cả nước: 29\.211 HTX' '28,1 tỷ đồng'; do
    expect_grep "figure $fig" "$fig" "$E2E_TMP/nb.md"
done
expect_grep "narrative section" '^Doanh thu bình quân đạt trên 5\.500 triệu đồng/HTX' "$E2E_TMP/nb.md"
expect_grep "narrative heading kept" '^## Kết quả nổi bật$' "$E2E_TMP/nb.md"
expect_grep "missing tv_htx: inverted section" 'Không có số liệu thành viên HTX' "$E2E_TMP/nb.md"
check "no front matter lines left" sh -c "head -1 '$E2E_TMP/nb.md' | grep -q '^# '"

expect_status "pdf" 0 $BAOCAO render $T --where ma_tinh=37 --where nam=2022 -o "$E2E_TMP/nb.pdf"
pdftotext "$E2E_TMP/nb.pdf" "$E2E_TMP/nb.txt" 2>/dev/null
expect_grep "pdf text" '337\.082' "$E2E_TMP/nb.txt"
# a table cell may wrap "Không đạt" over two lines: fold line breaks before looking
tr -s '\n ' '  ' < "$E2E_TMP/nb.txt" > "$E2E_TMP/nb-flat.txt"
expect_grep "pdf table" 'Không đạt' "$E2E_TMP/nb-flat.txt"
expect_status "html" 0 $BAOCAO render $T --where ma_tinh=37 --where nam=2022 --format html -o "$E2E_TMP/nb.html"
expect_grep "html table" '<td>Không đạt</td>' "$E2E_TMP/nb.html"
expect_grep "html heading" '<h1>Báo cáo tổng kết năm 2022 — Ninh Bình</h1>' "$E2E_TMP/nb.html"
# --format html writes the whole page (htmlout): doctype, lang, title, the style sheet, and the
# fonts copied beside the page so it shows Vietnamese in the report's font from disk
expect_grep "html page: doctype" '^<!DOCTYPE html>' "$E2E_TMP/nb.html"
expect_grep "html page: lang" '^<html lang="vi">' "$E2E_TMP/nb.html"
expect_grep "html page: font url" 'url\("?fonts/LiberationSerif-Regular\.ttf' "$E2E_TMP/nb.html"
check "html page: fonts copied" test -s "$E2E_TMP/fonts/LiberationSerif-Regular.ttf"

expect_status "Hoà Bình = Hòa Bình" 0 $BAOCAO render $T --where 'ten_tinh=Hoà Bình' --where nam=2022 -o "$E2E_TMP/hb.md"
expect_grep "Hòa Bình found" '— Hòa Bình$' "$E2E_TMP/hb.md"
expect_grep "no narrative file: falsey" 'Chưa có phần thuyết minh' "$E2E_TMP/hb.md"

expect_status "fan-out to stdout refused" 1 $BAOCAO render $T --where nam=2022 -o -
expect_grep "says pick one" 'pick one with --where' "$E2E_TMP/err"
expect_status "fan-out into a folder" 0 $BAOCAO render $T --where nam=2022 --format md -o "$E2E_TMP/docs"
check "63 documents" test "$(find "$E2E_TMP/docs/2022" -name '*.md' | wc -l)" -eq 63
check "output pattern" test -f "$E2E_TMP/docs/2022/tong-ket-37-2022.md"
expect_status "no match" 1 $BAOCAO render $T --where nam=1999 -o -

mkdir -p "$E2E_TMP/t"
printf -- '---\ntitle: x\ndata: nowhere.csv\n---\n{{so_htx}}\n' >"$E2E_TMP/t/a.md"
expect_status "missing data file" 1 $BAOCAO render "$E2E_TMP/t/a.md" -o -
expect_grep "data line" "a\.md:3:7: error: data file 'nowhere.csv' not found" "$E2E_TMP/err"
D=$(pwd)/input/htx_tinh_63.csv
printf -- '---\ndata: %s\neach: [ma_tinh, nam_bao_cao]\n---\n{{so_htx}}\n' "$D" >"$E2E_TMP/t/b.md"
expect_status "unknown each column" 1 $BAOCAO render "$E2E_TMP/t/b.md" -o -
expect_grep "each position" "b\.md:3:17: error: each: no column 'nam_bao_cao'" "$E2E_TMP/err"
printf -- '---\ndata: %s\nwhere:\n  tinh: 01\n---\n{{so_htx}}\n' "$D" >"$E2E_TMP/t/c.md"
expect_status "unknown where column" 1 $BAOCAO render "$E2E_TMP/t/c.md" -o -
expect_grep "where position" "c\.md:4:3: error: where: no column 'tinh'" "$E2E_TMP/err"
printf -- '---\ndata: %s\nwhere: {ma_tinh: "37", nam: 2022}\n---\nA\n{{#so_htx}}\n' "$D" >"$E2E_TMP/t/d.md"
expect_status "unclosed section" 1 $BAOCAO render "$E2E_TMP/t/d.md" -o -
expect_grep "section position" "d\.md:6:1: error" "$E2E_TMP/err"
printf -- '---\ndata: %s\nwhere: {ma_tinh: "37", nam: 2022}\n---\n{{so_htx}} {{so_htx.delta}}\n' "$D" >"$E2E_TMP/t/e.md"
expect_status "--data overrides" 0 $BAOCAO render "$E2E_TMP/t/e.md" --data input/htx_tinh_63.csv -o "$E2E_TMP/e.md"
expect_grep "--data result (a signed figure mid-line: no backslash)" '^468 \+24$' "$E2E_TMP/e.md"
printf -- '---\ndata: %s\neach: [nam]\nwhere: {nam: 2022}\noutput: "ca-nuoc-{{nam}}"\n---\n{{ten_tinh}} {{so_htx}} {{#units}}{{#first}}{{ten_tinh}}{{/first}}{{/units}} {{so_htx.growth}}\n' "$D" >"$E2E_TMP/t/f.md"
expect_status "each: [nam] gives the total row" 0 $BAOCAO render "$E2E_TMP/t/f.md" -o "$E2E_TMP/f.md"
expect_grep "national figures" '^Tổng cộng 29\.211 Hà Nội \+6,1%$' "$E2E_TMP/f.md"
printf -- '---\ndata: %s\neach: [vung, nam]\nwhere: {nam: 2022}\n---\n{{vung}}: {{so_htx}} ({{#units}}{{ma_tinh}} {{/units}})\n' "$D" >"$E2E_TMP/t/g.md"
expect_status "each: [vung, nam] gives region rows" 0 $BAOCAO render "$E2E_TMP/t/g.md" --format md -o "$E2E_TMP/g"
check "6 regions" test "$(ls "$E2E_TMP/g" | wc -l)" -eq 6
expect_status "unknown --where column" 1 $BAOCAO render "$E2E_TMP/t/e.md" --where xx=1 -o -
expect_status "pdf to stdout refused" 2 $BAOCAO render "$E2E_TMP/t/e.md" --format pdf -o -
expect_status "usage" 2 $BAOCAO render

# baocao check parses every template of templates/ and fills its documents in memory
P="$E2E_TMP/p"; mkdir -p "$P/templates/partials"; ln -s "$(pwd)/input" "$P/input"
printf -- '---\ndata: ../input/htx_tinh_63.csv\neach: [ma_tinh, nam]\nwhere: {nam: 2024}\n---\n{{> partials/p}}\n' >"$P/templates/good.md"
printf -- '{{ten_tinh}}: {{so_htx}} {{so_hxt.growth}} {{#units}}{{index}}{{/units}}\n' >"$P/templates/partials/p.md"
expect_status "check good templates" 0 $BAOCAO check -C "$P"
expect_grep "check: a typo is a warning" "good\.md: warning: \{\{so_hxt\.growth\}\} names no column" "$E2E_TMP/err"
check "check: one warning" grep -q '0 errors, 1 warnings' "$E2E_TMP/err"
printf -- '---\ndata: ../input/htx_tinh_63.csv\nsort: [-so_hx]\n---\n{{#units}}\n' >"$P/templates/bad.md"
printf -- '---\ndata: ../input/htx_tinh_63.csv\n---\n{{> partials/none}}\n' >"$P/templates/bad2.html"
expect_status "check bad templates" 1 $BAOCAO check -C "$P"
expect_grep "check: unknown sort column" "bad\.md:3:9: error: sort: no column 'so_hx'" "$E2E_TMP/err"
expect_grep "check: unknown partial" "bad2\.html:4:1: error" "$E2E_TMP/err"
check "check writes nothing" test ! -e "$P/output"
# Charts drawn from the document's collections (the dataset as chartdom source): the trend
# sheet's line charts over `periods`, selectable in the PDF; errors at the chart's line.
expect_status "chart from periods" 0 $BAOCAO render templates/xu-huong.md --where ma_tinh=37 -o "$E2E_TMP/xh.pdf"
pdftotext -f 2 -l 2 "$E2E_TMP/xh.pdf" "$E2E_TMP/xh2.txt" 2>/dev/null
for y in 2018 2021 2024 'Số hợp tác xã tỉnh Ninh Bình'; do
    expect_grep "chart from periods: $y" "$y" "$E2E_TMP/xh2.txt"
done
expect_status "chart from units in html" 0 $BAOCAO render templates/so-sanh-tinh.md --where nam=2022 --format html -o "$E2E_TMP/ss.html"
check "chart from units: 63 bars" test "$(grep -o '<rect [^>]*class="bar' "$E2E_TMP/ss.html" | wc -l)" -ge 63
D=$(pwd)/input/htx_tinh_63.csv
printf -- '---\ndata: %s\nkey: ma_tinh\nperiod: nam\n---\n# x\n\n```chart\ntype: bar\ndata: units\nx: ten_tinh\ny: ten_tinh\n```\n' "$D" > "$E2E_TMP/bad-y.md"
expect_status "chart y not numeric" 1 $BAOCAO render "$E2E_TMP/bad-y.md" --where ma_tinh=37 --where nam=2022 -o "$E2E_TMP/bad-y.pdf"
expect_grep "chart y not numeric: message at the chart" "bad-y.md:9:1: error: chart y: 'ten_tinh' is not a numeric column" "$E2E_TMP/err"
check "chart y not numeric: no PDF" test ! -e "$E2E_TMP/bad-y.pdf"
printf -- '---\ndata: %s\nkey: ma_tinh\nperiod: nam\n---\n# x\n\n```chart\ntype: bar\ndata: tinh\nx: ten_tinh\ny: so_htx\n```\n' "$D" > "$E2E_TMP/bad-data.md"
expect_status "chart data not a collection" 1 $BAOCAO render "$E2E_TMP/bad-data.md" --where ma_tinh=37 --where nam=2022 -o "$E2E_TMP/bad-data.pdf"
expect_grep "chart data: message" "bad-data.md:9:1: error: chart data 'tinh' is not a collection" "$E2E_TMP/err"

finish
