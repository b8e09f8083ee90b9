#!/bin/sh
# End-to-end charts in the PDF (issue 6): a Markdown file with a bar and an hbar chart written
# with inline rows, rendered by `baocao render`; checked by content (selectable text, fonts,
# no raster images), by a render compared with tests/charts/ref/ (pdftoppm -gray -r 40, mean
# pixel difference, tests/layout/compare.py), by byte identity, and by the errors.
. tests/e2e/common.inc
C=tests/charts
T=$E2E_TMP
export SOURCE_DATE_EPOCH=1700000000

expect_status "charts.md renders" 0 "$BAOCAO" render $C/charts.md --format pdf -o $T/charts.pdf
pdftotext $T/charts.pdf $T/charts.txt
for w in 'Thái Nguyên' 'Bắc Kạn' 'Cao Bằng' 'Lạng Sơn' 'Tuyên Quang' 'Thừa Thiên Huế' \
         '^1\.500$' '^1\.000$' '^500$' '^1\.021$' '^4,20$' '^2,35$' 'tỷ đồng' \
         'Số hợp tác xã năm 2023' 'Doanh thu bình quân một hợp tác xã' 'Hết\.'; do
    expect_grep "selectable text: $w" "$w" $T/charts.txt
done
check "one page" sh -c "pdfinfo $T/charts.pdf | grep -q '^Pages: *1$'"
check "chart text in the report's font (no other font)" \
    sh -c "! pdffonts $T/charts.pdf | tail -n +3 | grep -vq 'LiberationSerif'"
check "vectors, no raster images" sh -c "[ \$(pdfimages -list $T/charts.pdf | tail -n +3 | wc -l) -eq 0 ]"
# the hbar's rows sorted by value: Thái Nguyên (4,20) above Lạng Sơn (3,10)
ya=$(pdftotext -bbox $T/charts.pdf - | grep -m2 '>Nguyên<' | tail -1 | sed 's/.*yMin="\([0-9.]*\)".*/\1/')
yb=$(pdftotext -bbox $T/charts.pdf - | grep -m2 '>Sơn<' | tail -1 | sed 's/.*yMin="\([0-9.]*\)".*/\1/')
check "hbar sorted descending ($ya < $yb)" awk -v a="$ya" -v b="$yb" 'BEGIN { exit !(a != "" && b != "" && a < b) }'

# --- the same bytes twice ---------------------------------------------------------------------
"$BAOCAO" render $C/charts.md --format pdf -o $T/charts2.pdf 2>/dev/null
check "byte-identical PDF under SOURCE_DATE_EPOCH" cmp -s $T/charts.pdf $T/charts2.pdf

# --- looks as it did ----------------------------------------------------------------------------
pdftoppm -r 40 -gray -f 1 -l 1 -singlefile $T/charts.pdf $T/charts-1
check "render matches tests/charts/ref/charts-1.pgm" python3 tests/layout/compare.py $T/charts-1.pgm $C/ref/charts-1.pgm 2.0

# --- errors: reported with their lines, the document fails and is not written ------------------
expect_status "a bad chart fails the document" 1 "$BAOCAO" render $C/bad.md --format pdf -o $T/bad.pdf
expect_grep "bad row with its line and column" 'bad.md:10:16: error: not a number in chart row' $T/err
expect_grep "no data set for 'units'" "bad.md:14:1: error: no dataset to draw 'units'" $T/err
check "no PDF written for a failed document" [ ! -e $T/bad.pdf ]
cat >$T/fig.html <<'HTML'
<!DOCTYPE html><html lang="vi"><head><title>Hình</title></head><body>
<p>Một hình vẽ trong mẫu HTML:</p>
<figure><svg xmlns="http://www.w3.org/2000/svg" width="300" height="100" viewBox="0 0 300 100">
<rect x="0" y="0" width="300" height="100" fill="#4e79a7"/><text x="150" y="50" text-anchor="middle">Đồng Tháp</text></svg>
<figcaption>Hình 1</figcaption></figure>
<figure class="chart" data-type="bar" data-data="units" data-x="ten_tinh" data-y="so_htx"></figure>
</body></html>
HTML
expect_status "an HTML figure.chart without a data set fails" 1 "$BAOCAO" render $T/fig.html --format pdf -o $T/fig.pdf
expect_grep "figure error at its line" 'fig.html:6: error: no dataset' $T/err
sed -i '/class="chart"/d' $T/fig.html
expect_status "an inline SVG in an HTML template renders" 0 "$BAOCAO" render $T/fig.html --format pdf -o $T/fig.pdf
pdftotext $T/fig.pdf $T/fig.txt
expect_grep "its text is selectable" 'Đồng Tháp' $T/fig.txt
check "the PDF title is the page's, not the SVG's" sh -c "pdfinfo $T/fig.pdf | grep -q '^Title: *Hình$'"
# an <svg> with only a viewBox (the HTML parser lowercases it to viewbox) is drawn
printf '<html><body><svg viewBox="0 0 300 100"><rect width="300" height="100" fill="#000"/></svg></body></html>' >$T/vb.html
expect_status "viewBox-only SVG renders" 0 "$BAOCAO" render $T/vb.html --format pdf -o $T/vb.pdf
check "viewBox-only SVG drawn without a warning" [ ! -s $T/err ]
pdftoppm -r 20 -gray -singlefile $T/vb.pdf $T/vb
check "viewBox-only SVG has ink" sh -c "[ \$(od -An -tu1 -v $T/vb.pgm | tr -s ' ' '\n' | awk '\$1 != \"\" && \$1 < 100' | wc -l) -gt 1000 ]"
finish
