#!/bin/sh
# HTML backend end to end (issue 6): sample pages (a Markdown report with a GFM table, a
# chart and hostile cell text; an HTML template with caption, row headers, a chart figure;
# a font probe two folders down) rendered by build/release/tests/html_pages, then
#  - the Nu HTML Checker (vnu.jar from the pinned npm package, one JVM for every page): no
#    errors;
#  - headless Chromium: a screenshot that is not blank, --dump-dom with the title and the
#    <script> text still escaped, the browser's Print giving A4 pages with the text, and the
#    probe page's text set in the copied font through its relative URL.
# Java and Chromium come from tools/deps.d/html.txt; when either is missing the test fails
# and says so (it is never skipped).
. tests/e2e/common.inc
top=$(pwd)
pages="$top/build/release/tests/html_pages"
out="$E2E_TMP/output"
report="$out/2022/bao-cao-37-2022.html"
sheet="$out/2024/so-sanh-tinh.html"
probe="$out/probe/a/font-probe.html"

expect_status "render the sample pages" 0 "$pages" "$out"

# --- Nu HTML Checker -----------------------------------------------------------------------
if ! command -v java >/dev/null 2>&1; then
    bad "java is not installed (default-jre-headless in tools/deps.d/html.txt): cannot run the Nu HTML Checker"
elif ! jar=$(sh tools/vnu.sh 2>"$E2E_TMP/vnu-install"); then
    bad "vnu.jar unavailable: $(cat "$E2E_TMP/vnu-install")"
else
    # C1 only and a big stack: the checker starts in half the time; its schema needs depth.
    java -Xss16m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar "$jar" --format gnu \
        "$report" "$sheet" "$probe" >"$E2E_TMP/vnu" 2>&1
    st=$?
    if [ $st -eq 0 ] && ! grep -q ': error' "$E2E_TMP/vnu"; then ok; else
        bad "Nu HTML Checker reports errors (exit $st)"; sed 's/^/  | /' "$E2E_TMP/vnu" | head -30; fi
    grep 'warning' "$E2E_TMP/vnu" | sed 's/^/  warning | /' | head -10
fi

# --- Headless Chromium ---------------------------------------------------------------------
browser() {  # browser ARGS...: one headless run with a fresh profile, at most 60 s
    prof=$(mktemp -d)
    timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --hide-scrollbars --user-data-dir="$prof" "$@" 2>>"$E2E_TMP/chromium.log"
    st=$?
    rm -rf "$prof"
    return $st
}
if ! command -v chromium >/dev/null 2>&1; then
    bad "chromium is not installed (tools/deps.d/html.txt): cannot check the page in a browser"
    finish; exit
fi

browser --window-size=900,1400 --screenshot="$E2E_TMP/shot.png" "file://$report" >/dev/null
check "screenshot taken" test -s "$E2E_TMP/shot.png"
# Not blank: decode the PNG (python3's zlib; 8-bit RGB/RGBA, the five row filters) and count
# dark pixels: text and table rules make a few percent of the page, a blank page none.
python3 - "$E2E_TMP/shot.png" >"$E2E_TMP/ink" 2>&1 <<'PY'
import struct, sys, zlib
d = open(sys.argv[1], "rb").read()
assert d[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat = 8, b""
while pos < len(d):
    n, kind = struct.unpack(">I4s", d[pos:pos + 8]); body = d[pos + 8:pos + 8 + n]; pos += 12 + n
    if kind == b"IHDR": w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
    elif kind == b"IDAT": idat += body
assert depth == 8 and ctype in (2, 6), f"unexpected PNG type {depth}/{ctype}"
bpp = 3 if ctype == 2 else 4
raw, stride, prev, dark, colour = zlib.decompress(idat), w * bpp, bytearray(w * bpp), 0, 0
for y in range(h):
    f, row = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = row[i - bpp] if i >= bpp else 0; b = prev[i]; c = prev[i - bpp] if i >= bpp else 0
        if f == 1: row[i] = (row[i] + a) & 255
        elif f == 2: row[i] = (row[i] + b) & 255
        elif f == 3: row[i] = (row[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            row[i] = (row[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(0, stride, bpp):
        r, g, bl = row[x], row[x + 1], row[x + 2]
        if r + g + bl < 300: dark += 1
        if max(r, g, bl) - min(r, g, bl) > 60: colour += 1
    prev = row
print(f"{w}x{h} dark={dark / (w * h):.4f} colour={colour / (w * h):.4f}")
PY
read -r ink <"$E2E_TMP/ink" || ink=""
dark=$(echo "$ink" | sed -n 's/.*dark=\([0-9.]*\).*/\1/p')
colour=$(echo "$ink" | sed -n 's/.*colour=\([0-9.]*\).*/\1/p')
if [ -n "$dark" ] && python3 -c "import sys; sys.exit(not (0.01 < $dark < 0.5 and $colour > 0.005))"; then ok; else
    bad "screenshot looks blank or wrong: ${ink:-no figures} (want 1-50 % dark pixels, some colour from the chart)"; cat "$E2E_TMP/ink" | head -5; fi

browser --dump-dom "file://$report" >"$E2E_TMP/dom.html"
expect_grep "DOM has the title" '<title>Báo cáo tổng kết năm 2022 — Ninh Bình</title>' "$E2E_TMP/dom.html"
expect_grep "DOM keeps the hostile text as text" '&lt;script&gt;alert\(1\)&lt;/script&gt;' "$E2E_TMP/dom.html"
if grep -q '<script' "$E2E_TMP/dom.html"; then bad "a <script> element reached the DOM"; else ok; fi
expect_grep "DOM has the chart" '<svg[^>]*role="img"' "$E2E_TMP/dom.html"

# The browser's Print: A4 pages (595 × 842 pt), the report's text, the escaped cell.
browser --no-pdf-header-footer --print-to-pdf="$E2E_TMP/print.pdf" "file://$report" >/dev/null 2>&1
if [ -s "$E2E_TMP/print.pdf" ]; then
    pdfinfo "$E2E_TMP/print.pdf" >"$E2E_TMP/pdfinfo" 2>&1
    expect_grep "Print gives A4 pages" 'Page size: .*\(A4\)' "$E2E_TMP/pdfinfo"
    pages_n=$(sed -n 's/^Pages: *//p' "$E2E_TMP/pdfinfo")
    check "Print gives 2-4 pages (got ${pages_n:-?})" test "${pages_n:-0}" -ge 2 -a "${pages_n:-0}" -le 4
    pdftotext "$E2E_TMP/print.pdf" "$E2E_TMP/print.txt"
    expect_grep "printed text has the hostile cell as text" '<script>alert\(1\)</script>' "$E2E_TMP/print.txt"
    expect_grep "printed text is Vietnamese" 'Tồn tại, hạn chế|TỒN TẠI, HẠN CHẾ' "$E2E_TMP/print.txt"
else
    bad "chromium --print-to-pdf wrote nothing"
fi

# Fonts: the probe's only face is "Kiem Tra" = the copied NotoSerif-Regular.ttf two folders
# up; the printed PDF embeds Noto Serif only if the relative URL reached the copy.
browser --no-pdf-header-footer --print-to-pdf="$E2E_TMP/probe.pdf" "file://$probe" >/dev/null 2>&1
pdffonts "$E2E_TMP/probe.pdf" >"$E2E_TMP/fonts" 2>&1
expect_grep "copied font reached through the relative URL" 'NotoSerif' "$E2E_TMP/fonts"

finish
