#!/bin/sh
# End-to-end layout tests: render the documents in tests/layout/ and assert facts from the
# PDF (pdfinfo, pdftotext, pdftotext -bbox, pdffonts) and from rendered pages compared with
# reference images in tests/layout/ref/ (pdftoppm -gray, mean pixel difference).
. tests/e2e/common.inc
L=tests/layout
CSS=$L/layout.css
T=$E2E_TMP
export SOURCE_DATE_EPOCH=1700000000

render() { # render NAME: tests/layout/NAME.html -> $T/NAME.pdf (stderr in $T/NAME.err)
    "$BAOCAO" render "$L/$1.html" --style "$CSS" --format pdf -o "$T/$1.pdf" 2>"$T/$1.err"
}
pages() { pdfinfo "$1" | sed -n 's/^Pages: *//p'; }
text() { pdftotext -f "$2" -l "$2" "$1" - 2>/dev/null; } # text FILE PAGE
# xmax FILE PAGE WORD: right edge of the first occurrence of WORD on PAGE
xmax() { pdftotext -f "$2" -l "$2" -bbox "$1" - | grep -m1 ">$3<" | sed 's/.*xMax="\([0-9.]*\)".*/\1/'; }
xmin() { pdftotext -f "$2" -l "$2" -bbox "$1" - | grep -m1 ">$3<" | sed 's/.*xMin="\([0-9.]*\)".*/\1/'; }
near() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a != "" && d <= t) }'; }

# --- the 3-page report: justified paragraphs, headings, page numbers from page 2 on --------
check "report renders" render report
check "report has 3 pages" [ "$(pages $T/report.pdf)" = 3 ]
check "report title from <title>" sh -c "pdfinfo $T/report.pdf | grep -q 'Title: *Báo cáo tổng kết năm 2023'"
text $T/report.pdf 1 >$T/p1.txt
text $T/report.pdf 2 >$T/p2.txt
text $T/report.pdf 3 >$T/p3.txt
check "no page number on page 1" sh -c "! grep -q 'Trang 1 /' $T/p1.txt"
expect_grep "page number on page 2" '^Trang 2 / 3$' $T/p2.txt
expect_grep "page number on page 3" '^Trang 3 / 3$' $T/p3.txt
expect_grep "h1 uppercased (Vietnamese)" 'BÁO CÁO TỔNG KẾT CÔNG TÁC NĂM 2023' $T/p1.txt
# justified: many lines of page 1 end exactly at the right margin (595.28 - 56.69)
n=$(pdftotext -f 1 -l 1 -bbox $T/report.pdf - | grep -c 'xMax="538\.5[0-9]')
check "justified lines end at the right margin ($n)" [ "$n" -ge 15 ]
check "first-line indent of 1 cm" near "$(xmin $T/report.pdf 1 'Năm')" 113.39 0.5
check "fonts are embedded subsets" sh -c "pdffonts $T/report.pdf | grep -q 'LiberationSerif-Bold.*CID TrueType *Identity-H *yes yes yes'"
check "qpdf --check finds no error" sh -c "qpdf --check $T/report.pdf >/dev/null 2>&1"
"$BAOCAO" render "$L/report.html" --style "$CSS" -o "$T/report2.pdf" 2>/dev/null
check "identical input, identical bytes" cmp -s "$T/report.pdf" "$T/report2.pdf"
"$BAOCAO" render "$L/report.html" --style "$CSS" --uncompressed -o "$T/report-u.pdf" 2>/dev/null
n=$(grep -ac '/Title (\|/Title <' "$T/report-u.pdf")
check "outline entries for the 4 h2 headings (and the info title) ($n)" [ "$n" -ge 5 ]

# --- keep: a heading that would end page 1 goes to page 2 with its paragraph ---------------
check "keep renders" render keep
text $T/keep.pdf 1 >$T/k1.txt
text $T/keep.pdf 2 >$T/k2.txt
check "heading not at the bottom of page 1" sh -c "! grep -q 'Tiêu đề giữ' $T/k1.txt"
check "heading starts page 2" sh -c "head -1 $T/k2.txt | grep -q 'Tiêu đề giữ với đoạn văn'"
expect_grep "page 1 ends with paragraph 11" 'Đoạn 11\.' $T/k1.txt

# --- explicit page breaks, a paragraph over several pages ----------------------------------
check "breaks renders" render breaks
text $T/breaks.pdf 2 >$T/b2.txt
text $T/breaks.pdf 3 >$T/b3.txt
check "break-before: page" sh -c "head -1 $T/b2.txt | grep -q 'PHẦN HAI'"
expect_grep "content after the break" 'Hết phần hai' $T/b2.txt
check "break-after: page" sh -c "head -1 $T/b3.txt | grep -q 'PHẦN BA'"
np=$(pages $T/breaks.pdf)
text $T/breaks.pdf "$np" | grep -c '[a-z]' >$T/blast
check "widows: the last page has at least 2 lines" [ "$(cat $T/blast)" -ge 3 ]

# --- NFD input comes out NFC; uppercase of NFD text ----------------------------------------
check "nfd renders" render nfd
text $T/nfd.pdf 1 >$T/n1.txt
expect_grep "NFD text extracted as NFC" 'Hợp tác xã Đồng Tiến ứng dụng công nghệ cao' $T/n1.txt
expect_grep "uppercase of NFD text" 'HỢP TÁC XÃ ĐỒNG TIẾN ỨNG DỤNG' $T/n1.txt

# --- inline content: faces, links, alignment, missing glyphs, long words -------------------
check "inline renders" render inline
expect_grep "missing glyph warned with its line" 'inline.html:17: warning: no font has U\+2603' $T/inline.err
text $T/inline.pdf 1 >$T/i1.txt
expect_grep "missing glyph drawn as ?" 'phông: \? và \? vẫn' $T/i1.txt
expect_grep "uppercase ư → Ư, đ → Đ, ạ → Ạ" 'CHỮ HOA: ƯU ĐÃI ĐẶC BIỆT CHO HỢP TÁC XÃ Ạ' $T/i1.txt
pdffonts $T/inline.pdf >$T/ifonts
expect_grep "bold face used" 'LiberationSerif-Bold' $T/ifonts
expect_grep "italic face used" 'LiberationSerif-Italic' $T/ifonts
expect_grep "monospace face used" 'LiberationMono' $T/ifonts
check "right-aligned text ends at the margin" near "$(xmax $T/inline.pdf 1 'tỉnh')" 538.58 0.6
c=$(pdftotext -f 1 -l 1 -bbox $T/inline.pdf - | awk '/>Căn</ { f = 1 } f && />nghiệp</ { sub(/.*xMax="/, ""); sub(/".*/, ""); print; exit }')
s=$(xmin $T/inline.pdf 1 'Căn')
check "centred text is centred" near "$(awk -v a="$s" -v b="$c" 'BEGIN { print (a + b) / 2 }')" 311.8 1
w=$(pdftotext -f 1 -l 1 -bbox $T/inline.pdf - | grep 'Từ-rất-dài' | sed 's/.*xMax="\([0-9.]*\)".*/\1/')
check "a long word breaks instead of overflowing" awk -v x="$w" 'BEGIN { exit !(x != "" && x <= 539) }'
"$BAOCAO" render "$L/inline.html" --style "$CSS" --uncompressed -o "$T/inline-u.pdf" 2>/dev/null
check "URI link" grep -aq '/URI (https:.*example.org.*htx)' "$T/inline-u.pdf"
check "internal link" grep -aq '/Dest' "$T/inline-u.pdf"

# --- bad input does not crash or hang ------------------------------------------------------
awk 'BEGIN { printf "<p>"; for (i = 0; i < 200000; i++) printf "x"; print "</p>" }' >$T/longword.html
expect_status "a 200 kB word" 0 timeout 20 "$BAOCAO" render $T/longword.html --style "$CSS" -o $T/lw.pdf
awk 'BEGIN { for (i = 0; i < 10000; i++) printf "<div>"; printf "deep"; for (i = 0; i < 10000; i++) printf "</div>"; print "" }' >$T/deep.html
expect_status "10.000 nested divs" 0 timeout 20 "$BAOCAO" render $T/deep.html --style "$CSS" -o $T/deep.pdf
printf '@page { size: 0 0; margin: 0 }\nbody { font-size: 5000pt }\n' >$T/zero.css
cat "$CSS" >$T/zero2.css; cat $T/zero.css >>$T/zero2.css
sed 's#url(../../fonts/#url('"$(pwd)"'/fonts/#' $T/zero2.css >$T/zero3.css
expect_status "zero-size page, huge font" 0 timeout 20 "$BAOCAO" render $L/inline.html --style $T/zero3.css -o $T/zero.pdf
expect_status "missing input is an error" 1 "$BAOCAO" render $T/nope.html --style "$CSS" -o $T/x.pdf
expect_status "no -o is a usage error" 2 "$BAOCAO" render $L/inline.html

# --- rendered pages look as they did (same Debian packages, stable renders) ---------------
for ref in $L/ref/*.pgm; do
    [ -f "$ref" ] || continue
    base=$(basename "$ref" .pgm)  # NAME-PAGE
    name=${base%-*}; pg=${base##*-}
    [ -f "$T/$name.pdf" ] || render "$name"
    pdftoppm -r 40 -gray -f "$pg" -l "$pg" -singlefile "$T/$name.pdf" "$T/$base"
    check "render of $base matches the reference" python3 $L/compare.py "$T/$base.pgm" "$ref" 2.0
done
# --- corner margin boxes: the left corners end where the content starts, the right ones
# start where it ends (CSS Paged Media); A4 with 2 cm margins = 56.69 pt ----------------------
# (the @page rule comes from the document's own <style>, after the style sheet's)
printf '<style>@page { margin: 2cm; @top-left-corner { content: "TLC" } @bottom-right-corner { content: "BRC" } }</style>\n<p>Góc trang.</p>\n' >$T/corners.html
check "corners render" "$BAOCAO" render $T/corners.html --style $CSS --format pdf -o $T/corners.pdf
check "top-left corner ends at the left margin" near "$(xmax $T/corners.pdf 1 TLC)" 56.69 0.6
check "bottom-right corner starts at the right margin" near "$(xmin $T/corners.pdf 1 BRC)" 538.58 0.6

finish
