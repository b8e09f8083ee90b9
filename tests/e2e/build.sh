#!/bin/sh
# baocao build on a temporary copy of tests/build/proj (3 templates, 8 documents): first
# build, no-op rebuild, incremental rebuild after one data row changes, --force, --only,
# --dry-run, shards, -j1 vs -j2 byte identity, a failing template, the lock (held, waited
# for, stale), SIGTERM mid-build, an unwritable output/.
. tests/e2e/common.inc
BAOCAO=$(cd "$(dirname "$BAOCAO")" && pwd)/$(basename "$BAOCAO")
P="$E2E_TMP/p"
fresh() { rm -rf "$1"; cp -r tests/build/proj "$1"; }
ms() { date +%s%3N; }
no_temps() { [ -z "$(find "$1" -name '*.tmp-*' 2>/dev/null)" ]; }

fresh "$P"
expect_status "first build" 0 "$BAOCAO" build -C "$P"
expect_grep "first build summary" '^built 8, unchanged 0, failed 0 in [0-9]+,[0-9]{2} s$' "$E2E_TMP/out"
check "outputs written" test -f "$P/output/2024/tong-ket-37-2024.md" -a -f "$P/output/gioi-thieu.md"
expect_grep "filled from the row" 'Ninh Bình có 490 hợp tác xã' "$P/output/2024/tong-ket-37-2024.md"
check "_nhap.md is not a template" test ! -e "$P/output/_nhap.md"
check "manifest.json is JSON" python3 -c "import json,sys; m=json.load(open(sys.argv[1])); assert len(m['documents'])==8" "$P/output/manifest.json"
check "index.html parses as HTML" sh -c "xmllint --html --noout \"$P/output/index.html\" 2>&1 | grep -q . && exit 1 || exit 0"
expect_grep "index lang=vi" '<html lang="vi">' "$P/output/index.html"
expect_grep "index links" 'href="2024/tong-ket-37-2024.md"' "$P/output/index.html"
check "no temporaries" no_temps "$P/output"
check "lock file left empty" test ! -s "$P/output/.baocao.lock"

t0=$(ms)
expect_status "second build" 0 "$BAOCAO" build -C "$P"
t1=$(ms)
expect_grep "second build is a no-op" '^built 0, unchanged 8, failed 0' "$E2E_TMP/out"
check "second build under a second ($((t1 - t0)) ms)" test $((t1 - t0)) -lt 1000

# One data row (Ninh Bình 2024) changes: its unit (37: 2023, 2024) and its period (2024: three
# provinces and the comparison sheet) are rebuilt; 01-2023, 79-2023 and the intro are not.
sed -i 's/^37,Ninh Bình,2024,490,/37,Ninh Bình,2024,491,/' "$P/input/htx.csv"
before=$(stat -c %Y.%s "$P/output/2023/tong-ket-01-2023.md")
expect_status "after one row changed" 0 "$BAOCAO" build -C "$P" --dry-run
expect_grep "dry-run says why" 'tong-ket.md\?ma_tinh=37&nam=2023 output/2023/tong-ket-37-2023.md \(changed rows:input/htx.csv\)' "$E2E_TMP/out"
expect_status "incremental build" 0 "$BAOCAO" build -C "$P"
expect_grep "only the affected documents" '^built 5, unchanged 3, failed 0' "$E2E_TMP/out"
expect_grep "new value written" 'có 491 hợp tác xã' "$P/output/2024/tong-ket-37-2024.md"
check "untouched document not rewritten" test "$before" = "$(stat -c %Y.%s "$P/output/2023/tong-ket-01-2023.md")"

echo "_Liên minh HTX_" >"$P/templates/partials/chan-trang.md"
expect_status "partial changed" 0 "$BAOCAO" build -C "$P"
expect_grep "partial: its template's documents" '^built 6, unchanged 2' "$E2E_TMP/out"
echo "p { margin: 0 }" >>"$P/templates/nd30.css"
expect_status "style changed" 0 "$BAOCAO" build -C "$P"
expect_grep "style: its template's documents" '^built 6, unchanged 2' "$E2E_TMP/out"
rm "$P/output/gioi-thieu.md"
expect_status "output removed" 0 "$BAOCAO" build -C "$P"
expect_grep "missing output rebuilt" '^built 1, unchanged 7' "$E2E_TMP/out"

expect_status "--force" 0 "$BAOCAO" build -C "$P" --force -j 2
expect_grep "--force rebuilds all" '^built 8, unchanged 0' "$E2E_TMP/out"
expect_status "--only" 0 "$BAOCAO" build -C "$P" --force --only '*ma_tinh=37*'
expect_grep "--only matches ids" '^built 2, unchanged 0, failed 0, skipped 6' "$E2E_TMP/out"
expect_status "--only on output path" 0 "$BAOCAO" build -C "$P" --force --only '2023/*.md'
expect_grep "--only matches outputs" '^built 3, unchanged 0, failed 0, skipped 5' "$E2E_TMP/out"

sed -i '/^79,Hồ Chí Minh,2023,/d' "$P/input/htx.csv"
expect_status "a row deleted" 0 "$BAOCAO" build -C "$P"
expect_grep "its document removed, its unit and period rebuilt" '^built 4, unchanged 3, failed 0, removed 1 in' "$E2E_TMP/out"
check "removed document's output is gone" test ! -e "$P/output/2023/tong-ket-79-2023.md"
check "and out of the manifest" sh -c "! grep -q 'ma_tinh=79&nam=2023' '$P/output/manifest.json'"

# Shards: disjoint, and together the whole build.
"$BAOCAO" build -C "$P" --dry-run --force | grep -v '^would' | sort >"$E2E_TMP/all"
: >"$E2E_TMP/union"
for k in 1 2 3; do
    "$BAOCAO" build -C "$P" --dry-run --force --shard $k/3 | grep -v '^would' >>"$E2E_TMP/union"
done
sort "$E2E_TMP/union" >"$E2E_TMP/union.s"
check "shards: union is the whole build" cmp -s "$E2E_TMP/all" "$E2E_TMP/union.s"
check "shards: disjoint" test "$(sort -u "$E2E_TMP/union" | wc -l)" -eq "$(wc -l <"$E2E_TMP/union")"
expect_status "--shard 0/3 is a usage error" 2 "$BAOCAO" build -C "$P" --shard 0/3
expect_status "bad -j is a usage error" 2 "$BAOCAO" build -C "$P" -j x
S="$E2E_TMP/s"; fresh "$S"
for k in 1 2; do "$BAOCAO" build -C "$S" --shard $k/2 >/dev/null; done
check "sharded builds merge into one manifest" python3 -c "import json,sys; m=json.load(open(sys.argv[1])); assert len(m['documents'])==8, len(m['documents'])" "$S/output/manifest.json"
expect_grep "sharded index complete" '8 báo cáo, 8 xong' "$S/output/index.html"

# -j1 and -j2 from clean copies, with SOURCE_DATE_EPOCH: the same bytes (index, manifest too).
A="$E2E_TMP/a"; B="$E2E_TMP/b"; fresh "$A"; fresh "$B"
SOURCE_DATE_EPOCH=1700000000 "$BAOCAO" build -C "$A" -j 1 >/dev/null
SOURCE_DATE_EPOCH=1700000000 "$BAOCAO" build -C "$B" -j 2 >/dev/null
check "-j1 and -j2 byte-identical" diff -r "$A/output" "$B/output"
sed -i 's/^79,Hồ Chí Minh,2023,650,/79,Hồ Chí Minh,2023,651,/' "$A/input/htx.csv" "$B/input/htx.csv"
SOURCE_DATE_EPOCH=1700000000 "$BAOCAO" build -C "$A" >/dev/null
SOURCE_DATE_EPOCH=1700000000 "$BAOCAO" build -C "$B" --force -j 1 >/dev/null
check "incremental and forced builds byte-identical" diff -r "$A/output" "$B/output"

# PDF through the real pipeline (DOM, default style sheet, layout, pdfout): text, page count
# in the manifest and the index, the style sheet and its fonts as inputs, byte identity.
for X in "$A" "$B"; do
    rm -rf "$X"; fresh "$X"
    sed -i 's/^formats: \[md\]$/formats: [pdf, html, md]/; /^style:/d' "$X/templates/tong-ket.md"
done
SOURCE_DATE_EPOCH=1700000000 "$BAOCAO" build -C "$A" -j 1 >"$E2E_TMP/out" 2>"$E2E_TMP/err"
SOURCE_DATE_EPOCH=1700000000 "$BAOCAO" build -C "$B" -j 2 >/dev/null 2>&1
expect_grep "PDF and HTML build" '^built 8, unchanged 0, failed 0' "$E2E_TMP/out"
check "PDF has the filled text" sh -c "pdftotext '$A/output/2024/tong-ket-37-2024.pdf' - | grep -q 'Ninh Bình có 490 hợp tác xã'"
check "PDF pages and fonts in the manifest" python3 -c "
import json, sys
m = json.load(open(sys.argv[1]))
d = [d for d in m['documents'] if d['id'] == 'templates/tong-ket.md?ma_tinh=37&nam=2024'][0]
pdf = [o for o in d['outputs'] if o['format'] == 'pdf'][0]
assert pdf['pages'] == 1 and pdf['path'] == '2024/tong-ket-37-2024.pdf'
assert any(k.startswith('style:') for k in d['inputs']) and any(k.startswith('fonts:') and k.endswith('.css') for k in d['inputs'])" "$A/output/manifest.json"
expect_grep "PDF link in the index" '<a href="2024/tong-ket-37-2024.pdf">PDF</a> <small>1 trang, [0-9]+,[0-9] kB</small>' "$A/output/index.html"
expect_grep "HTML page filled by the dataset stage" 'Ninh Bình có 490 hợp tác xã với 340.100 thành viên' "$A/output/2024/tong-ket-37-2024.html"
expect_grep "HTML link in the index" '<a href="2024/tong-ket-37-2024.html">HTML</a>' "$A/output/index.html"
check "PDF and HTML: -j1 and -j2 byte-identical" diff -r "$A/output" "$B/output"

# A failing template fails alone.
F="$E2E_TMP/f"; fresh "$F"
# (a dynamic partial named by a cell: each document fails while it is filled)
printf -- '---\ndata: ../input/htx.csv\neach: [ma_tinh]\nformats: [md]\n---\n# Lỗi\n\nSố: {{>*ten_tinh}}\n' >"$F/templates/kem.md"
expect_status "failing template exits 1" 1 "$BAOCAO" build -C "$F"
expect_grep "FILE:LINE:COL error" "^templates/kem.md:8:5: error: unknown partial 'Ninh Bình'" "$E2E_TMP/err"
expect_grep "others still built" '^built 8, unchanged 0, failed 3' "$E2E_TMP/out"
check "others written" test -f "$F/output/2024/tong-ket-37-2024.md"
check "failed marked in manifest" python3 -c "import json,sys; m=json.load(open(sys.argv[1])); f=[d for d in m['documents'] if d['status']=='failed']; assert len(f)==3 and 'unknown partial' in f[0]['errors'][0]" "$F/output/manifest.json"
expect_grep "failed marked in index" 'class="failed"' "$F/output/index.html"
expect_status "failed documents retried" 1 "$BAOCAO" build -C "$F"
expect_grep "only the failed are retried" '^built 0, unchanged 8, failed 3' "$E2E_TMP/out"
printf 'ma_tinh,ten_tinh,nam\n01,"Hà Nội\n' >"$F/input/bad.csv"
printf -- '---\ndata: ../input/bad.csv\neach: [ma_tinh]\n---\nx\n' >"$F/templates/hong.md"
expect_status "bad data file" 1 "$BAOCAO" build -C "$F"
expect_grep "bad data reported with its line" '^input/bad.csv:2:[0-9]+: error' "$E2E_TMP/err"
check "failed template in the manifest" python3 -c "import json,sys; m=json.load(open(sys.argv[1])); d=[d for d in m['documents'] if d['id']=='templates/hong.md'][0]; assert d['status']=='failed' and 'input/bad.csv:2:' in d['errors'][0]" "$F/output/manifest.json"
expect_grep "failed template in the index" 'input/bad.csv:2:[0-9]+: error' "$F/output/index.html"
rm "$F/templates/hong.md"
printf -- '---\ndata: ../input/htx.csv\neach: [nam]\nformats: [md]\n---\n# {{nam}}\n{{> khong-co}}\n' >"$F/templates/thieu.md"
expect_status "missing partial" 1 "$BAOCAO" build -C "$F"
expect_grep "missing partial: FILE:LINE:COL" '^templates/thieu.md:7:1: error: unknown partial' "$E2E_TMP/err"
check "missing partial: printed once" test "$(grep -c 'unknown partial .khong-co' "$E2E_TMP/err")" -eq 1
check "missing partial: the template failed with the message" python3 -c "import json,sys; m=json.load(open(sys.argv[1])); d=[d for d in m['documents'] if d['template']=='templates/thieu.md']; assert len(d)==1 and d[0]['status']=='failed' and 'unknown partial' in d[0]['errors'][0]" "$F/output/manifest.json"

# The lock: held by a live process (pid in the message), waited for, stale.
L="$E2E_TMP/l"; fresh "$L"; mkdir -p "$L/output"
sh -c 'echo $$ >"$1/output/.baocao.lock"; exec flock "$1/output/.baocao.lock" sleep 2' sh "$L" &
holder=$!
sleep 0.3
expect_status "lock held: exit 1" 1 "$BAOCAO" build -C "$L"
expect_grep "lock message names the pid" "output/.baocao.lock: error: another build \(pid $holder\)" "$E2E_TMP/err"
expect_status "--wait outlasts the holder" 0 "$BAOCAO" build -C "$L" --wait 10
wait $holder
BAOCAO_BUILD_DELAY_MS=3000 "$BAOCAO" build -C "$L" --force -j 1 >/dev/null 2>&1 &
victim=$!
sleep 0.5
kill -9 $victim; wait $victim 2>/dev/null
sleep 0.2
expect_status "stale lock of a killed build is taken over" 0 "$BAOCAO" build -C "$L" --force
check "no temporaries after takeover" no_temps "$L/output"

# SIGTERM mid-build: exit 143, no temporaries, every output whole, manifest readable.
T="$E2E_TMP/t"; fresh "$T"
BAOCAO_BUILD_DELAY_MS=400 "$BAOCAO" build -C "$T" -j 2 >"$E2E_TMP/tout" 2>&1 &
victim=$!
sleep 0.7
kill -TERM $victim; wait $victim; st=$?
check "SIGTERM exits 143 (got $st)" test $st -eq 143
check "SIGTERM leaves no temporaries" no_temps "$T/output"
check "SIGTERM: manifest still JSON" python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$T/output/manifest.json"
expect_status "build after SIGTERM completes" 0 "$BAOCAO" build -C "$T"
check "...and builds only what was missing" sh -c "! grep -q '^built 8' '$E2E_TMP/out'"

# An unwritable output/ is a clear error, not a crash.
U="$E2E_TMP/u"; fresh "$U"; echo "not a folder" >"$U/output"
expect_status "output/ is a file" 1 "$BAOCAO" build -C "$U"
expect_grep "clear message" '^output: error: cannot write' "$E2E_TMP/err"
if [ "$(id -u)" -ne 0 ]; then
    rm "$U/output"; mkdir "$U/output"; chmod 555 "$U/output"
    expect_status "read-only output/" 1 "$BAOCAO" build -C "$U"
    expect_grep "read-only message" 'error: cannot write' "$E2E_TMP/err"
    chmod 755 "$U/output"
fi
# A full disk (a 48 kB tmpfs, when this machine lets us mount one): clear errors, exit 1, no
# temporaries, nothing half-written.
M="$E2E_TMP/m"; mkdir -p "$M"
if mount -t tmpfs -o size=48k tmpfs "$M" 2>/dev/null; then
    cp -r tests/build/proj/. "$M/"
    python3 -c "
rows = ['ma_tinh,ten_tinh,nam,so_htx,thanh_vien'] + ['%02d,Tỉnh số %d với một cái tên rất dài để tốn chỗ,2024,%d,%d' % (i, i, i, i * 7) for i in range(1, 60)]
open('$M/input/htx.csv', 'w').write('\\n'.join(rows) + '\\n')"
    expect_status "full disk exits 1" 1 "$BAOCAO" build -C "$M"
    expect_grep "full disk: clear message naming the output" '^output/2024/tong-ket-[0-9]+-2024.md: error: cannot write: No space left on device' "$E2E_TMP/err"
    check "full disk: no temporaries" no_temps "$M/output"
    check "full disk: every output whole" sh -c "for f in \$(find '$M/output' -name '*.md'); do tail -c 1 \"\$f\" | od -c | grep -q '\\\\n' || exit 1; done"
    umount "$M"
fi
D="$E2E_TMP/d"; fresh "$D"
expect_status "dry-run" 0 "$BAOCAO" build -C "$D" --dry-run
expect_grep "dry-run lists new documents" '^templates/gioi-thieu.md output/gioi-thieu.md \(new\)$' "$E2E_TMP/out"
check "dry-run writes nothing" test ! -e "$D/output"
# Memory: what the build keeps per document (plan, result, manifest place, data rows) is
# small and bounded; a build of 4.000 documents may not take more than 1,5 kB a document over
# one of 500 (it took 2 kB when manifest entries were held in memory; now about 0,45 kB, most
# of it the 3.500 extra rows of data).
coops() { # coops DIR N
    mkdir -p "$1/input" "$1/templates"
    awk -v n="$2" 'BEGIN { print "ma_htx,ten_htx,nam,thanh_vien";
        for (i = 1; i <= n; i++) printf "%05d,Hợp tác xã số %d,2024,%d\n", i, i, 7 + i % 400 }' >"$1/input/htx.csv"
    printf -- '---\ntitle: "{{ten_htx}}"\ndata: ../input/htx.csv\nkey: ma_htx\nperiod: nam\neach: [ma_htx]\noutput: "htx/{{ma_htx}}"\nformats: [md]\n---\n# {{ten_htx}}\n\n{{thanh_vien}} thành viên.\n' >"$1/templates/htx.md"
}
peak_kb() { /usr/bin/time -f %M -o "$E2E_TMP/rss" "$BAOCAO" build -C "$1" --quiet -j 2 >/dev/null 2>&1 && cat "$E2E_TMP/rss"; }
if [ -x /usr/bin/time ]; then
    coops "$E2E_TMP/m500" 500; coops "$E2E_TMP/m4000" 4000
    small=$(peak_kb "$E2E_TMP/m500"); large=$(peak_kb "$E2E_TMP/m4000")
    per=$(( (large - small) * 1024 / 3500 ))
    check "memory per document: $per B (peak $small kB at 500, $large kB at 4.000; limit 1536 B)" \
        test "$per" -le 1536
    check "the large build's manifest has every document" python3 -c "import json,sys; m=json.load(open(sys.argv[1])); assert len(m['documents'])==4000" "$E2E_TMP/m4000/output/manifest.json"
    check "and its index every row" sh -c "test \$(grep -o '<tr><td>' '$E2E_TMP/m4000/output/index.html' | wc -l) -eq 4000"
fi
finish
