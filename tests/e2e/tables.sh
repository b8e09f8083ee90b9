#!/bin/sh
# End-to-end tests of tables, lists and images (issue 5): documents in tests/tables/ rendered
# with the default style sheet, facts asserted from the PDF (pdftotext per page and -bbox,
# pdfimages -list, rendered pixels).
. tests/e2e/common.inc
D=tests/tables
T=$E2E_TMP
export SOURCE_DATE_EPOCH=1700000000

pages() { pdfinfo "$1" | sed -n 's/^Pages: *//p'; }
# bbox FILE PAGE WORD FIELD: FIELD (xMin, yMin, xMax, yMax) of the first WORD on PAGE
bbox() { pdftotext -f "$2" -l "$2" -bbox "$1" - | grep -m1 ">$3<" | sed "s/.*$4=\"\([0-9.]*\)\".*/\1/"; }
near() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a != "" && b != "" && d <= t) }'; }
between() { awk -v a="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(a != "" && a > lo && a < hi) }'; }

# --- a 200-row table: header on every page, every row whole on one page -------------------
sh $D/gen-table.sh 200 >$T/t200.html
check "200-row table renders" "$BAOCAO" render $T/t200.html --style $D/tables.css --format pdf -o $T/t200.pdf
np=$(pages $T/t200.pdf)
check "200-row table takes several pages ($np)" [ "${np:-0}" -ge 5 ]
p=1; rows=0; bad_rows=0; no_head=0
while [ "$p" -le "${np:-0}" ]; do
    pdftotext -layout -f $p -l $p $T/t200.pdf $T/page.txt
    grep -q 'STT *Tỉnh *Chỉ tiêu 1 .*Chỉ tiêu 10' $T/page.txt || no_head=$((no_head + 1))
    # a whole row is one line of 13 fields: N, "Tỉnh số N" (3 words), 10 figures
    n=$(grep -cE '^ *[0-9]+ +Tỉnh số [0-9]+( +[0-9]+\.[0-9]{3}){10} *$' $T/page.txt)
    b=$(grep 'Tỉnh số' $T/page.txt | grep -cvE '^ *[0-9]+ +Tỉnh số [0-9]+( +[0-9]+\.[0-9]{3}){10} *$')
    rows=$((rows + n)); bad_rows=$((bad_rows + b)); p=$((p + 1))
done
check "header repeated on each of $np pages ($no_head without)" [ "$no_head" -eq 0 ]
check "all 200 rows whole ($rows)" [ "$rows" -eq 200 ]
check "no row split ($bad_rows)" [ "$bad_rows" -eq 0 ]
pdftotext $T/t200.pdf $T/all.txt
check "rows in order, each once" sh -c "grep -o 'Tỉnh số [0-9]*' $T/all.txt | awk '{ if (\$3 != NR) exit 1 } END { exit NR != 200 }'"
check "landscape pages (@page size: A4 landscape)" sh -c "pdfinfo $T/t200.pdf | grep -q 'Page size: *841.89 x 595.28'"

# --- <tfoot class="repeat">: the footer at the bottom of every page ------------------------
sh $D/gen-table.sh 100 | sed 's|</tbody>|</tbody><tfoot class="repeat"><tr><td></td><td>Cộng trang</td><td colspan=10>x</td></tr></tfoot>|' >$T/tf.html
check "repeated-footer table renders" "$BAOCAO" render $T/tf.html --style $D/tables.css --format pdf -o $T/tf.pdf
np=$(pages $T/tf.pdf); p=1; missing=0
while [ "$p" -le "${np:-0}" ]; do
    pdftotext -layout -f $p -l $p $T/tf.pdf $T/page.txt
    # the footer is the page's last table line
    [ "$(grep -v '^ *[0-9]* *$' $T/page.txt | grep -v '^\s*$' | tail -1 | grep -c 'Cộng trang')" = 1 ] || missing=$((missing + 1))
    p=$((p + 1))
done
check "footer last on each of $np pages ($missing without)" [ "$np" -ge 3 -a "$missing" -eq 0 ]
check "footer rows not duplicated" [ "$(pdftotext $T/tf.pdf - | grep -c 'Cộng trang')" = "$np" ]

# --- column widths, rowspan/colspan geometry ----------------------------------------------
check "geometry renders" "$BAOCAO" render $D/geometry.html --format pdf -o $T/g.pdf
# auto table: column 1 is as wide as "Hà Nội" + padding 4pt + 4pt + 0.5pt border
gap=$(awk -v a="$(bbox $T/g.pdf 1 Yên xMin)" -v b="$(bbox $T/g.pdf 1 Nội xMax)" 'BEGIN { print a - b }')
check "auto column width = content + padding + border (gap $gap)" near "$gap" 8.5 0.1
check "no wrap when the content fits" near "$(bbox $T/g.pdf 1 Hà yMin)" "$(bbox $T/g.pdf 1 Nội yMin)" 0.1
check "cell padding from the text block edge" near "$(bbox $T/g.pdf 1 Hà xMin)" 89.29 0.1
check "rowspan cell centred between its rows" near "$(bbox $T/g.pdf 1 Gộp yMin)" \
    "$(awk -v a="$(bbox $T/g.pdf 1 Một yMin)" -v b="$(bbox $T/g.pdf 1 Bốn yMin)" 'BEGIN { print (a + b) / 2 }')" 0.5
check "cells after a rowspan shift right" near "$(bbox $T/g.pdf 1 Năm xMin)" "$(bbox $T/g.pdf 1 Ba xMin)" 0.1
check "colspan cell starts in column 1" near "$(bbox $T/g.pdf 1 Cộng xMin)" "$(bbox $T/g.pdf 1 Một xMin)" 0.1
check "table (width: 100%) fills the text block" sh -c "pdftotext -bbox $T/g.pdf - | grep -q 'xMax=\"41[0-9]\.[0-9]*\"[^>]*>Năm'"

# --- lists: numbering and hanging markers -------------------------------------------------
pdftotext $T/g.pdf $T/g.txt
for m in 'I\. Alpha' 'II\. Beta' 'III\. Gamma' 'IV\. Delta' 'viii\. tám' 'ix\. chín' \
         '3\. ba' '2\. hai' '1\. một' 'đ\. đđ' 'd\. dd'; do
    expect_grep "marker $m" "^$m\$" $T/g.txt
done
r1=$(bbox $T/g.pdf 1 I. xMax)
for m in II. III. IV.; do
    check "marker $m right-aligned with I." near "$r1" "$(bbox $T/g.pdf 1 $m xMax)" 0.05
done
check "marker hangs a space before the text" between \
    "$(awk -v a="$(bbox $T/g.pdf 1 Alpha xMin)" -v b="$r1" 'BEGIN { print a - b }')" 2 5
check "item text on the list's content edge (1 cm padding)" near "$(bbox $T/g.pdf 1 Alpha xMin)" 113.39 0.1
check "nested list indented by 1 cm" near "$(bbox $T/g.pdf 1 trong xMin)" 141.73 0.1

# --- images -------------------------------------------------------------------------------
check "image document renders" "$BAOCAO" render $D/image.html --format pdf -o $T/i.pdf
pdfimages -list $T/i.pdf >$T/imgs.txt
check "chart.png on page 1 at 400x200 px" sh -c "grep -qE '^ +1 +0 +image +400 +200' $T/imgs.txt"
check "tall image moved to page 2" sh -c "grep -qE '^ +2 +1 +image +100 +900' $T/imgs.txt"
# the chart at width=300 px is 225 x 112.5 pt, centred in the figure: measure its pixels at 72 dpi
pdftoppm -r 72 -f 1 -l 1 $T/i.pdf $T/i
python3 - "$T/i-1.ppm" >$T/box.txt <<'PY'
import sys
d = open(sys.argv[1], 'rb').read()
parts = d.split(b'\n', 3)
w, h = map(int, parts[1].split()); px = parts[3]
xs = []; ys = []
for y in range(h):
    row = px[y * w * 3:(y + 1) * w * 3]
    for x in range(0, w):
        r, g, b = row[3 * x], row[3 * x + 1], row[3 * x + 2]
        if b > 150 and r < 90:
            xs.append(x); ys.append(y)
print(min(xs), max(xs) - min(xs) + 1, max(ys) - min(ys) + 1)
PY
read ix iw ih <$T/box.txt
check "image 225 pt wide ($iw)" near "$iw" 225 1.5
check "image 112.5 pt tall ($ih)" near "$ih" 112.5 1.5
# text block: 595.28 - 30 mm - 15 mm = 467.72 pt from x = 85.04
check "image centred in the figure ($ix)" near "$ix" "$(awk 'BEGIN { print 85.04 + (467.72 - 225) / 2 }')" 1.5
check "figcaption below the image" sh -c "pdftotext -f 1 -l 1 $T/i.pdf - | grep -q 'Hình 1. Biểu đồ'"
expect_status "missing image is an error" 1 "$BAOCAO" render $D/missing-image.html --format pdf -o $T/m.pdf
expect_grep "error names the file and line" "^tests/tables/missing-image.html:5: error: cannot read image 'khong-co.png': No such file or directory" $T/err
check "no output on error" [ ! -e $T/m.pdf ]

# --- the basic report table looks right (compare to the reference render) ------------------
check "basic document renders" "$BAOCAO" render $D/basic.html --format pdf -o $T/b.pdf
pdftotext $T/b.pdf $T/b.txt
expect_grep "caption" '^Bảng 1. Số HTX năm 2023$' $T/b.txt
cy=$(pdftotext -bbox $T/b.pdf - | grep -m1 "\">Bảng<" | sed "s/.*yMin=\"\([0-9.]*\)\".*/\1/"); hy=$(bbox $T/b.pdf 1 STT yMin)
check "caption above the header ($cy < $hy)" awk -v a="$cy" -v b="$hy" 'BEGIN { exit !(a != "" && a < b) }'
check "numbers right-aligned (class num)" near "$(bbox $T/b.pdf 1 1.234 xMax)" "$(bbox $T/b.pdf 1 987 xMax)" 0.05
finish
