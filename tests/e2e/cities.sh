#!/bin/sh
# A centrally-run city's reports name it as a city ("LIÊN MINH HỢP TÁC XÃ THÀNH PHỐ HÀ NỘI",
# "toàn Thành phố", "UBND Thành phố", "Thành ủy"), never "tỉnh"; a province's keep "tỉnh". The
# words come from the data (cap_don_vi, cap_uy in input/htx_tinh_*.csv). The only "tỉnh" a
# city's report may print is the generic "… tỉnh, thành phố" of a ranking (and "cấp tỉnh").
. tests/e2e/common.inc
export SOURCE_DATE_EPOCH=1672963200 # 2023-01-06
T=templates/tong-ket-nam.md

# self_tinh FILE: the lines of FILE that say "tỉnh" other than the generic phrases
self_tinh() {
    sed -e 's/tỉnh, thành phố//g' -e 's/cấp tỉnh//g' "$1" | grep -E 'tỉnh|Tỉnh|TỈNH'
}
# no_self_tinh NAME FILE: passes when FILE never calls its unit "tỉnh"
no_self_tinh() {
    if self_tinh "$2" >"$E2E_TMP/tinh"; then
        bad "$1: says tỉnh for itself"; sed 's/^/  | /' "$E2E_TMP/tinh" | cut -c1-160 | head -5
    else
        ok
    fi
}

# The five cities of the 63-unit data, annual report 2022 (Markdown).
for c in "01 HÀ NỘI" "31 HẢI PHÒNG" "48 ĐÀ NẴNG" "79 HỒ CHÍ MINH" "92 CẦN THƠ"; do
    ma=${c%% *}; ten=${c#* }
    M="$E2E_TMP/tk-$ma.md"
    expect_status "$ma 2022 annual report (md)" 0 $BAOCAO render $T --where ma_tinh=$ma --where nam=2022 --format md -o "$M"
    expect_grep "$ma: header" "LIÊN MINH HỢP TÁC XÃ THÀNH PHỐ $ten<" "$M"
    no_self_tinh "$ma annual report" "$M"
done
M="$E2E_TMP/tk-01.md"
for w in 'toàn Thành phố có [0-9]' 'Về số HTX, Thành phố đứng thứ [0-9]+/63' \
         'Ban Thường vụ Liên minh Hợp tác xã Thành phố Hà Nội báo cáo' \
         'tham mưu cho Thành ủy, Ủy ban nhân dân Thành phố' '- Thường trực Thành ủy \(để b/c\);' \
         '- UBND Thành phố \(để b/c\);' '- Ban Dân vận Thành ủy;' '- Các HTX, LHHTX thành viên;' \
         'Liên minh Hợp tác xã Thành phố Hà Nội\./\.$' '^title: Số hợp tác xã Thành phố Hà Nội qua các năm$'; do
    expect_grep "Hà Nội 2022: $w" "$w" "$M"
done

# The place before the date (NĐ 30, ô 4) is the official name: Hồ Chí Minh keeps "Thành phố".
expect_grep "79: place line" '>Thành phố Hồ Chí Minh, <span class="nd30-ngay-thang">ngày 06 tháng 01 năm 2023<' "$E2E_TMP/tk-79.md"
expect_grep "01: place line" '>Hà Nội, <span class="nd30-ngay-thang">ngày 06 tháng 01 năm 2023<' "$E2E_TMP/tk-01.md"

# A province: its own words, no city's.
M="$E2E_TMP/tk-37.md"
expect_status "37 2022 annual report (md)" 0 $BAOCAO render $T --where ma_tinh=37 --where nam=2022 --format md -o "$M"
for w in 'LIÊN MINH HỢP TÁC XÃ TỈNH NINH BÌNH<' '>Ninh Bình, <span class="nd30-ngay-thang">ngày 06 tháng 01 năm 2023<' 'toàn tỉnh có [0-9]' '- Thường trực Tỉnh ủy \(để b/c\);' \
         '- UBND tỉnh \(để b/c\);' 'tham mưu cho Tỉnh ủy, Ủy ban nhân dân tỉnh'; do
    expect_grep "Ninh Bình 2022: $w" "$w" "$M"
done
check "Ninh Bình 2022: no Thành ủy, no Thành phố for itself" sh -c "! sed 's/tỉnh, thành phố//g' '$M' | grep -qE 'Thành ủy|Thành phố|THÀNH PHỐ'"

# Thừa Thiên Huế was a province until 01/01/2025; Huế is a city among the 34 units.
M="$E2E_TMP/tk-46.md"
expect_status "46 2022 annual report (md)" 0 $BAOCAO render $T --where ma_tinh=46 --where nam=2022 --format md -o "$M"
expect_grep "Thừa Thiên Huế 2022: a province" 'LIÊN MINH HỢP TÁC XÃ TỈNH THỪA THIÊN HUẾ<' "$M"
V="$E2E_TMP/vt/templates"; mkdir -p "$V"; cp -r templates/layouts templates/*.css "$V/"
ln -s "$(pwd)/input" "$E2E_TMP/vt/input"
sed -e 's/htx_tinh_63/htx_tinh_34/' -e 's/chi_tieu_63/chi_tieu_34/' -e 's/^where: {nam: 2022}/where: {nam: 2025}/' $T >"$V/tk34.md"
M="$E2E_TMP/tk-46-2025.md"
expect_status "Huế 2025 annual report (34 units, md)" 0 $BAOCAO render "$V/tk34.md" --where ma_tinh=46 --format md -o "$M"
expect_grep "Huế 2025: a city" 'LIÊN MINH HỢP TÁC XÃ THÀNH PHỐ HUẾ<' "$M"
expect_grep "Huế 2025: its narrative, the same word" 'trên địa bàn Thành phố Huế' "$M"
no_self_tinh "Huế 2025 annual report" "$M"

# The trend sheet of a city.
M="$E2E_TMP/xh-01.md"
expect_status "Hà Nội trend sheet (md)" 0 $BAOCAO render templates/xu-huong.md --where ma_tinh=01 --format md -o "$M"
expect_grep "trend: header" '^LIÊN MINH HỢP TÁC XÃ THÀNH PHỐ HÀ NỘI$' "$M"
expect_grep "trend: title" '^# Xu hướng phát triển hợp tác xã Thành phố Hà Nội$' "$M"
no_self_tinh "Hà Nội trend sheet" "$M"

# The PDF: the header as printed (upper case by the data and by the style sheet).
PDF="$E2E_TMP/hn.pdf"
if $BAOCAO render $T --where ma_tinh=01 --where nam=2022 --format pdf -o "$PDF" 2>"$E2E_TMP/err" && [ -s "$PDF" ]; then
    ok
    pdftotext "$PDF" - | tr -s ' \n' '  ' >"$E2E_TMP/hn.txt"
    expect_grep "PDF: THÀNH PHỐ HÀ NỘI in the header" 'LIÊN MINH HỢP TÁC XÃ THÀNH PHỐ HÀ NỘI' "$E2E_TMP/hn.txt"
    check "PDF: no TỈNH HÀ NỘI" sh -c "! grep -qE 'TỈNH HÀ NỘI|tỉnh Hà Nội' '$E2E_TMP/hn.txt'"
    expect_grep "PDF: Nơi nhận" 'Thường trực Thành ủy' "$E2E_TMP/hn.txt"
else
    bad "PDF of the Hà Nội annual report"; sed 's/^/  | /' "$E2E_TMP/err" | head
fi
finish
