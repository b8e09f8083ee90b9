#!/bin/sh
# CSS @import in a build (tests/build/proj, its tong-ket.md made PDF + HTML): the imported
# sheet is an input of the documents using it (an edit rebuilds them, nothing else does), the
# HTML page inlines it (no @import left, so output/ works alone), a missing import fails the
# documents with the @import's position.
. tests/e2e/common.inc
BAOCAO=$(cd "$(dirname "$BAOCAO")" && pwd)/$(basename "$BAOCAO")
FONTS=$(pwd)/fonts
P="$E2E_TMP/p"
rm -rf "$P"; cp -r tests/build/proj "$P"
sed -i 's/^formats: \[md\]$/formats: [pdf, html]/; s/^style: nd30.css$/style: r.css/' "$P/templates/tong-ket.md"
mkdir -p "$P/templates/shared"
printf '@import url("shared/fonts.css");\n@import "shared/screen.css" screen;\nh1 { color: #000080 }\n' >"$P/templates/r.css"
cat >"$P/templates/shared/fonts.css" <<CSS
@font-face { font-family: "Liberation Serif"; src: url($FONTS/LiberationSerif-Regular.ttf); }
@font-face { font-family: "Liberation Serif"; font-weight: bold;
             src: url($FONTS/LiberationSerif-Bold.ttf); }
body { font-family: "Liberation Serif"; }
p { color: #111111 }
CSS
printf 'p { max-width: 40em }\n' >"$P/templates/shared/screen.css"

export SOURCE_DATE_EPOCH=1700000000
expect_status "first build" 0 "$BAOCAO" build -C "$P"
expect_grep "all built" '^built 8, unchanged 0, failed 0' "$E2E_TMP/out"
H="$P/output/2024/tong-ket-37-2024.html"
check "HTML has no @import" sh -c "! grep -q '@import' '$H'"
expect_grep "HTML inlines the imported rule" 'p \{ color: #111111 \}' "$H"
expect_grep "HTML keeps the screen import's media" '@media screen \{' "$H"
check "imported rule before the sheet's own" python3 -c "
import sys; t = open(sys.argv[1]).read()
assert t.index('color: #111111') < t.index('h1 { color: #000080 }')" "$H"
check "PDF uses the imported font" sh -c "pdffonts '$P/output/2024/tong-ket-37-2024.pdf' | grep -q LiberationSerif"
expect_grep "fonts.css is an input in the manifest" 'style:templates/shared/fonts.css' "$P/output/manifest.json"
expect_grep "screen.css too (the HTML uses it)" 'style:templates/shared/screen.css' "$P/output/manifest.json"

expect_status "no-op rebuild" 0 "$BAOCAO" build -C "$P"
expect_grep "no-op builds nothing" '^built 0, unchanged 8, failed 0' "$E2E_TMP/out"
touch "$P/templates/shared/fonts.css"
expect_status "touched, same bytes" 0 "$BAOCAO" build -C "$P"
expect_grep "a touch alone changes no digest" '^built 0, unchanged 8, failed 0' "$E2E_TMP/out"

printf 'h2 { color: #800000 }\n' >>"$P/templates/shared/fonts.css"
expect_status "imported sheet edited (dry run)" 0 "$BAOCAO" build -C "$P" --dry-run
expect_grep "dry run names the imported sheet" 'changed style:templates/shared/fonts.css' "$E2E_TMP/out"
expect_status "imported sheet edited" 0 "$BAOCAO" build -C "$P"
expect_grep "its documents rebuilt, the others not" '^built 6, unchanged 2, failed 0' "$E2E_TMP/out"
expect_grep "the edit reaches the HTML" 'h2 \{ color: #800000 \}' "$H"
expect_status "then a no-op again" 0 "$BAOCAO" build -C "$P"
expect_grep "second no-op builds nothing" '^built 0, unchanged 8, failed 0' "$E2E_TMP/out"
pdf_before=$(md5sum <"$P/output/2024/tong-ket-37-2024.pdf")

printf 'p { font-weight: bold }\n' >>"$P/templates/shared/screen.css"
expect_status "screen-only import edited" 0 "$BAOCAO" build -C "$P"
expect_grep "screen import is an input too (HTML)" '^built 6, unchanged 2, failed 0' "$E2E_TMP/out"
check "PDF unchanged by a screen-only rule" test "$pdf_before" = "$(md5sum <"$P/output/2024/tong-ket-37-2024.pdf")"

rm "$P/templates/shared/fonts.css"
expect_status "missing import fails" 1 "$BAOCAO" build -C "$P"
expect_grep "error at the @import" 'templates/r.css:1:1: error: cannot read imported style sheet .*shared/fonts.css' "$E2E_TMP/err"
finish
