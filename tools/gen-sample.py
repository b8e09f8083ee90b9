#!/usr/bin/env python3
"""Generate the sample data set in input/ (statistics, targets, dictionary, rules, narratives).

Deterministic: one fixed seed, standard library only, no network.  Run from the repository
root (or anywhere: paths are taken relative to this file):

    python3 tools/gen-sample.py            # writes input/
    python3 tools/gen-sample.py --check    # exits 1 when input/ differs from what it would write

The figures the five seed articles cite (../shared/seeds/) are pinned as anchors (ANCHORS);
everything else is illustrative, drawn around the national series of domain.md §5 and kept
consistent: stock(t) = stock(t-1) + new(t) - dissolved(t) for HTX and THT, LHHTX only grow by
their new ones, htx_hieu_qua = htx_tot + htx_kha, thanh_vien = tv_htx + tv_tht whenever all are
reported.  input/README.md says which file is in which CSV dialect and why.
"""
import csv
import io
import math
import os
import random
import sys
import unicodedata

SEED = 20260101
ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
SHARED = os.environ.get("SHARED", os.path.join(ROOT, "..", "shared"))
OUT = os.path.join(ROOT, "input")

YEARS = list(range(2018, 2025))          # 63-province years
Y25 = 2025                               # 34-unit year (plus the re-based 2024)

SEED_FILES = {
    "000": "000_1516c98973c06ea9.txt",
    "001": "001_eab7329ae5ae48a5.txt",
    "002": "002_dfa66b99d1f9ccc4.txt",
    "003": "003_9e63925515999a16.txt",
    "004": "004_0389572c925e847d.txt",
}

# National HTX stock the generated provinces are scaled to (domain.md §5; 2022 = LMHTX series,
# 2023/2024 a little under the quoted figures because 1.942 new HTX in 2024 cannot both hold
# with 31.364 → 33.557; README explains).
NAT_HTX = {2018: 22861, 2019: 24618, 2020: 26040, 2021: 27342, 2022: 29021, 2023: 31050, 2024: 32750}
NAT_NEW = {2018: 2300, 2019: 2640, 2020: 2300, 2021: 2150, 2022: 2187, 2023: 2500, 2024: 2250}
NAT_THT = {2018: 99000, 2019: 108000, 2020: 96000, 2021: 82000, 2022: 71000, 2023: 68000, 2024: 65500}
REV = {2018: 2050, 2019: 2200, 2020: 2150, 2021: 2300, 2022: 2550, 2023: 2776, 2024: 2839, 2025: 2950}
INCOME = {2018: 41.5, 2019: 44.5, 2020: 44.0, 2021: 46.5, 2022: 50.5, 2023: 54.0, 2024: 57.5, 2025: 60.5}
CAPITAL = {2018: 1480, 2019: 1560, 2020: 1640, 2021: 1750, 2022: 1860, 2023: 1981, 2024: 2027, 2025: 2090}
CHAIN = {2018: .075, 2019: .085, 2020: .095, 2021: .105, 2022: .115, 2023: .125, 2024: .132, 2025: .14}
DIGITAL = {2020: .03, 2021: .045, 2022: .06, 2023: .08, 2024: .10, 2025: .13}
OCOP = {2018: 4, 2019: 14, 2020: 30, 2021: 45, 2022: 58, 2023: 70, 2024: 80, 2025: 90}  # HTX products/province
DEGREE = {2018: 12.0, 2019: 13.5, 2020: 15.0, 2021: 16.5, 2022: 18.5, 2023: 20.5, 2024: 22.5, 2025: 24.5}

# Provinces with a known large or small cooperative sector: relative HTX weight (1 = average).
WEIGHT = {"01": 3.6, "38": 2.1, "40": 1.9, "79": 1.1, "27": 1.1, "34": 1.2, "36": 1.1, "30": 1.2,
          "26": 1.0, "33": 0.9, "42": 1.1, "17": 1.0, "25": 1.1, "24": 1.3, "14": 1.2, "52": 1.0,
          "66": 1.0, "68": 0.9, "87": 1.0, "89": 0.9, "91": 0.8, "12": 0.35, "11": 0.55, "62": 0.5,
          "48": 0.4, "77": 0.45, "74": 0.35, "93": 0.6, "95": 0.5, "58": 0.5, "22": 1.0,
          "92": 0.55, "45": 0.85, "70": 0.8, "46": 0.75, "75": 0.85, "56": 0.7, "60": 0.6}
URBAN = {"01", "79", "48", "31", "74", "75", "92", "22", "77"}

# Figures the seeds cite: (code, year) -> {column: value}.  Money in triệu đồng.
ANCHORS = {
    ("37", 2022): dict(so_htx=468, so_lhhtx=2, so_tht=512, thanh_vien=337082, so_htx_moi=39,
                       so_tht_moi=27, doanh_thu_bq=5500, htx_chuoi=68, lhhtx_chuoi=2),
    ("19", 2018): dict(so_htx=456, so_tht=7260, thanh_vien=210700, so_htx_moi=50, so_tht_moi=110,
                       so_lhhtx_moi=1, quy_von_dieu_le=36520, lop_tap_huan=38, luot_tap_huan=900,
                       htx_chuoi=73),
    ("20", 2024): dict(so_htx=507, so_lhhtx=3, so_tht=240, quy_von_dieu_le=7500, quy_htx_vay=18,
                       quy_du_no=3600, lop_tap_huan=6, luot_tap_huan=400),
    ("95", 2021): dict(so_htx=191, so_tht=514, thanh_vien=35571, htx_chuoi=47),
}
ANCHOR_SEED = {("37", 2022): "000", ("19", 2018): "001", ("20", 2024): "002", ("95", 2021): "003"}
ANCHOR_DATE = {("20", 2024): (31, 5, 2024)}
# Seed rows report members as one total: the split is left empty (not reported).
ANCHOR_BLANK = {("37", 2022): ["tv_htx", "tv_tht"],
                ("19", 2018): ["tv_htx", "tv_tht", "lao_dong"],   # 210.700 = members AND workers
                ("95", 2021): ["tv_htx", "tv_tht"]}
# Members per HTX / per THT chosen so the seed totals fall out of the same model.
MEM_PER_HTX = {"37": 690, "19": 143, "95": 132}
MEM_PER_THT = {"37": 27, "19": 20, "95": 20}

# Deliberately not reported (empty) cells, besides the seed rows' unsplit members and the
# digital-transformation count, which nobody reported before 2020.
BLANKS = [("11", 2019, ["lai_bq", "thu_nhap_bq"]),
          ("12", 2020, ["tv_tht"]),
          ("62", 2021, ["ocop_3sao", "ocop_4sao", "ocop_5sao"]),
          ("02", 2018, ["ty_le_cbql_dai_hoc"]),
          ("70", 2018, ["quy_von_dieu_le", "quy_du_no", "quy_htx_vay"]),
          ("70", 2019, ["quy_von_dieu_le", "quy_du_no", "quy_htx_vay"]),
          ("70", 2020, ["quy_von_dieu_le", "quy_du_no", "quy_htx_vay"]),
          ("84", 2023, ["htx_danh_gia", "htx_tot", "htx_kha", "htx_trung_binh", "htx_yeu"]),
          ("58", 2022, ["so_tht_moi", "so_tht_giai_the"]),
          ("04", 2020, ["lop_tap_huan", "luot_tap_huan"]),
          ("93", 2024, ["lao_dong"]),
          ("54", 2019, ["doanh_thu_bq"]),
          ("44", 2021, ["htx_cong_nghe_cao"]),
          ("67", 2022, ["so_htx_giai_the"])]
BLANKS_34 = [("12", 2025, ["htx_chuyen_doi_so"]), ("51", 2025, ["von_dieu_le_bq"]),
             ("42", 2025, ["lop_tap_huan", "luot_tap_huan"])]
UOC_2024 = {"06", "45", "83", "94"}   # provinces whose 2024 figures were still estimates

# Centrally-run cities (thành phố trực thuộc trung ương, domain.md §4): five of the 63 units of
# 2018–2024, six of the 34 units. Thừa Thiên Huế was a province until it became Thành phố Huế on
# 01/01/2025 (NQ 175/2024/QH15), so it is a "tỉnh" in every 63-unit row and "Huế" a city in the
# 34-unit rows (the re-based 2024 ones too: they describe the new unit). The 2026 upgrades
# (Đồng Nai, Quảng Ninh, Bắc Ninh; single source) fall after the data.
CITIES63 = {"01", "31", "48", "79", "92"}
CITIES34 = {"01", "31", "46", "48", "79", "92"}


def unit_words(code, new_set):
    """The words a unit's own documents use for itself: (cap_don_vi, cap_uy). A province writes
    "toàn tỉnh", "UBND tỉnh", "Tỉnh ủy", "Liên minh HTX tỉnh Ninh Bình"; a centrally-run city
    "toàn Thành phố", "UBND Thành phố", "Thành ủy", "Liên minh HTX Thành phố Hà Nội" (capital
    T, as PL2 writes "Thành phố Hồ Chí Minh"). Data, not template logic: Mustache cannot compare
    values, and the committee's name is not the unit word plus "ủy"."""
    if code in (CITIES34 if new_set else CITIES63):
        return "Thành phố", "Thành ủy"
    return "tỉnh", "Tỉnh ủy"


def place_name(name):
    """The địa danh of the unit's documents (NĐ 30, Phụ lục I, ô 4): the province's or city's
    official name, which for Hồ Chí Minh keeps "Thành phố" (the decree's own example reads
    "Thành phố Hồ Chí Minh, ngày ..."): the bare name is a person's."""
    return "Thành phố Hồ Chí Minh" if name == "Hồ Chí Minh" else name

# The dictionary: column, label, unit, type, decimals, aggregate, role, min, max.
STAT_COLUMNS = [
    ("ma_tinh", "Mã tỉnh", "", "text", "", "none", "key", "", ""),
    ("ten_tinh", "Tên tỉnh, thành phố", "", "text", "", "none", "name", "", ""),
    ("cap_don_vi", "Tỉnh hay thành phố, như văn bản của đơn vị tự gọi (tỉnh; Thành phố)", "", "text", "", "none", "", "", ""),
    ("cap_uy", "Tên cấp ủy của đơn vị (Tỉnh ủy; Thành ủy)", "", "text", "", "none", "", "", ""),
    ("dia_danh", "Địa danh ghi trên văn bản (Ninh Bình; Thành phố Hồ Chí Minh)", "", "text", "", "none", "", "", ""),
    ("vung", "Vùng kinh tế - xã hội", "", "text", "", "none", "region", "", ""),
    ("nam", "Năm báo cáo", "năm", "integer", "0", "none", "period", "2000", "2100"),
    ("ngay_so_lieu", "Số liệu tính đến ngày", "", "date", "", "none", "", "", ""),
    ("tinh_trang", "Tình trạng số liệu (chinh_thuc: chính thức; uoc: ước tính)", "", "text", "", "none", "", "", ""),
    ("so_htx", "Tổng số HTX", "HTX", "integer", "0", "sum", "", "0", ""),
    ("so_htx_hoat_dong", "HTX đang hoạt động", "HTX", "integer", "0", "sum", "", "0", ""),
    ("so_htx_nong_nghiep", "HTX nông nghiệp", "HTX", "integer", "0", "sum", "", "0", ""),
    ("so_htx_moi", "HTX thành lập mới trong năm", "HTX", "integer", "0", "sum", "", "0", ""),
    ("so_htx_giai_the", "HTX giải thể trong năm", "HTX", "integer", "0", "sum", "", "0", ""),
    ("so_lhhtx", "Tổng số Liên hiệp HTX", "LHHTX", "integer", "0", "sum", "", "0", ""),
    ("so_lhhtx_moi", "Liên hiệp HTX thành lập mới trong năm", "LHHTX", "integer", "0", "sum", "", "0", ""),
    ("so_tht", "Tổng số tổ hợp tác", "THT", "integer", "0", "sum", "", "0", ""),
    ("so_tht_moi", "Tổ hợp tác thành lập mới trong năm", "THT", "integer", "0", "sum", "", "0", ""),
    ("so_tht_giai_the", "Tổ hợp tác giải thể, ngừng hoạt động trong năm", "THT", "integer", "0", "sum", "", "0", ""),
    ("thanh_vien", "Tổng số thành viên HTX và THT", "người", "integer", "0", "sum", "", "0", ""),
    ("tv_htx", "Thành viên HTX", "người", "integer", "0", "sum", "", "0", ""),
    ("tv_tht", "Thành viên tổ hợp tác", "người", "integer", "0", "sum", "", "0", ""),
    ("lao_dong", "Lao động thường xuyên trong HTX", "người", "integer", "0", "sum", "", "0", ""),
    ("htx_danh_gia", "HTX được đánh giá, xếp loại", "HTX", "integer", "0", "sum", "", "0", ""),
    ("htx_tot", "HTX xếp loại tốt", "HTX", "integer", "0", "sum", "", "0", ""),
    ("htx_kha", "HTX xếp loại khá", "HTX", "integer", "0", "sum", "", "0", ""),
    ("htx_trung_binh", "HTX xếp loại trung bình", "HTX", "integer", "0", "sum", "", "0", ""),
    ("htx_yeu", "HTX xếp loại yếu", "HTX", "integer", "0", "sum", "", "0", ""),
    ("htx_hieu_qua", "HTX hoạt động hiệu quả (tốt và khá)", "HTX", "integer", "0", "sum", "", "0", ""),
    ("doanh_thu_bq", "Doanh thu bình quân", "triệu đồng/HTX", "decimal", "0", "mean", "", "0", ""),
    ("lai_bq", "Lãi bình quân", "triệu đồng/HTX", "decimal", "1", "mean", "", "", ""),
    ("thu_nhap_bq", "Thu nhập bình quân của thành viên, người lao động", "triệu đồng/người/năm", "decimal", "1", "mean", "", "0", ""),
    ("von_dieu_le_bq", "Vốn điều lệ bình quân", "triệu đồng/HTX", "decimal", "0", "mean", "", "0", ""),
    ("htx_chuoi", "HTX sản xuất, kinh doanh gắn với chuỗi giá trị", "HTX", "integer", "0", "sum", "", "0", ""),
    ("lhhtx_chuoi", "Liên hiệp HTX gắn với chuỗi giá trị", "LHHTX", "integer", "0", "sum", "", "0", ""),
    ("htx_cong_nghe_cao", "HTX ứng dụng công nghệ cao", "HTX", "integer", "0", "sum", "", "0", ""),
    ("htx_chuyen_doi_so", "HTX ứng dụng chuyển đổi số", "HTX", "integer", "0", "sum", "", "0", ""),
    ("ocop_3sao", "Sản phẩm OCOP 3 sao của HTX", "sản phẩm", "integer", "0", "sum", "", "0", ""),
    ("ocop_4sao", "Sản phẩm OCOP 4 sao của HTX", "sản phẩm", "integer", "0", "sum", "", "0", ""),
    ("ocop_5sao", "Sản phẩm OCOP 5 sao của HTX", "sản phẩm", "integer", "0", "sum", "", "0", ""),
    ("quy_von_dieu_le", "Quỹ hỗ trợ phát triển HTX: vốn điều lệ", "triệu đồng", "decimal", "0", "sum", "", "0", ""),
    ("quy_du_no", "Quỹ hỗ trợ phát triển HTX: dư nợ cho vay", "triệu đồng", "decimal", "0", "sum", "", "0", ""),
    ("quy_htx_vay", "Quỹ hỗ trợ phát triển HTX: số HTX đang vay", "HTX", "integer", "0", "sum", "", "0", ""),
    ("lop_tap_huan", "Số lớp tập huấn, bồi dưỡng, hội nghị tuyên truyền", "lớp", "integer", "0", "sum", "", "0", ""),
    ("luot_tap_huan", "Lượt người tham dự tập huấn, bồi dưỡng, tuyên truyền", "lượt", "integer", "0", "sum", "", "0", ""),
    ("ty_le_cbql_dai_hoc", "Tỷ lệ cán bộ quản lý HTX có trình độ đại học trở lên", "%", "percent", "1", "mean", "", "0", "100"),
    ("nguon", "Nguồn số liệu", "", "text", "", "none", "", "", ""),
]
STAT_NAMES = [c[0] for c in STAT_COLUMNS]
OTHER_COLUMNS = [
    # chi_tieu_*.csv
    ("chi_tieu", "Chỉ tiêu (tên cột thống kê)", "", "text", "", "none", "", "", ""),
    ("loai", "Loại chỉ tiêu (absolute, share_pct, growth_pct, ratio, exact)", "", "text", "", "none", "", "", ""),
    ("min", "Giá trị tối thiểu (cận dưới)", "", "decimal", "2", "none", "", "", ""),
    ("max", "Giá trị tối đa (cận trên)", "", "decimal", "2", "none", "", "", ""),
    ("don_vi", "Đơn vị tính", "", "text", "", "none", "", "", ""),
    ("mo_ta", "Nội dung chỉ tiêu", "", "text", "", "none", "", "", ""),
    # provinces-*.csv
    ("slug", "Tên không dấu (dùng trong tên tệp)", "", "text", "", "none", "", "", ""),
    ("ma_tinh_moi", "Mã tỉnh sau hợp nhất (từ 01/7/2025)", "", "text", "", "none", "", "", ""),
    # columns.csv and rules.csv describe themselves too, so every input CSV is covered
    ("column", "Tên cột", "", "text", "", "none", "", "", ""),
    ("label", "Nhãn tiếng Việt", "", "text", "", "none", "", "", ""),
    ("unit", "Đơn vị", "", "text", "", "none", "", "", ""),
    ("type", "Kiểu dữ liệu", "", "text", "", "none", "", "", ""),
    ("decimals", "Số chữ số thập phân khi in", "", "integer", "0", "none", "", "0", ""),
    ("aggregate", "Cách cộng dồn (sum, mean, none)", "", "text", "", "none", "", "", ""),
    ("role", "Vai trò (key, period, name, region)", "", "text", "", "none", "", "", ""),
    ("left", "Cột vế trái", "", "text", "", "none", "", "", ""),
    ("op", "Phép so sánh", "", "text", "", "none", "", "", ""),
    ("right", "Cột hoặc số vế phải", "", "text", "", "none", "", "", ""),
    ("message", "Thông báo khi vi phạm", "", "text", "", "none", "", "", ""),
]
DECIMALS = {c[0]: int(c[4]) if c[4] else 0 for c in STAT_COLUMNS}
TYPES = {c[0]: c[3] for c in STAT_COLUMNS}

RULES = [
    ("so_htx_moi", "<=", "so_htx", "HTX thành lập mới không thể nhiều hơn tổng số HTX"),
    ("so_htx_giai_the", "<=", "so_htx", "HTX giải thể trong năm nhiều hơn tổng số HTX cuối năm: kiểm tra lại"),
    ("so_htx_hoat_dong", "<=", "so_htx", "HTX đang hoạt động không thể nhiều hơn tổng số HTX"),
    ("so_htx_nong_nghiep", "<=", "so_htx", "HTX nông nghiệp không thể nhiều hơn tổng số HTX"),
    ("so_lhhtx_moi", "<=", "so_lhhtx", "Liên hiệp HTX thành lập mới không thể nhiều hơn tổng số Liên hiệp HTX"),
    ("so_tht_moi", "<=", "so_tht", "Tổ hợp tác thành lập mới không thể nhiều hơn tổng số tổ hợp tác"),
    ("tv_htx", "<=", "thanh_vien", "Thành viên HTX không thể nhiều hơn tổng số thành viên"),
    ("tv_tht", "<=", "thanh_vien", "Thành viên tổ hợp tác không thể nhiều hơn tổng số thành viên"),
    ("htx_danh_gia", "<=", "so_htx_hoat_dong", "HTX được xếp loại không thể nhiều hơn HTX đang hoạt động"),
    ("htx_tot", "<=", "htx_danh_gia", "HTX loại tốt không thể nhiều hơn HTX được xếp loại"),
    ("htx_kha", "<=", "htx_danh_gia", "HTX loại khá không thể nhiều hơn HTX được xếp loại"),
    ("htx_trung_binh", "<=", "htx_danh_gia", "HTX loại trung bình không thể nhiều hơn HTX được xếp loại"),
    ("htx_yeu", "<=", "htx_danh_gia", "HTX loại yếu không thể nhiều hơn HTX được xếp loại"),
    ("htx_tot", "<=", "htx_hieu_qua", "HTX hiệu quả gồm HTX loại tốt và khá"),
    ("htx_kha", "<=", "htx_hieu_qua", "HTX hiệu quả gồm HTX loại tốt và khá"),
    ("htx_hieu_qua", "<=", "so_htx", "HTX hoạt động hiệu quả không thể nhiều hơn tổng số HTX"),
    ("htx_chuoi", "<=", "so_htx", "HTX gắn với chuỗi giá trị không thể nhiều hơn tổng số HTX"),
    ("lhhtx_chuoi", "<=", "so_lhhtx", "Liên hiệp HTX gắn với chuỗi giá trị không thể nhiều hơn tổng số Liên hiệp HTX"),
    ("htx_cong_nghe_cao", "<=", "so_htx", "HTX ứng dụng công nghệ cao không thể nhiều hơn tổng số HTX"),
    ("htx_chuyen_doi_so", "<=", "so_htx", "HTX chuyển đổi số không thể nhiều hơn tổng số HTX"),
    ("quy_htx_vay", "<=", "so_htx", "Số HTX vay vốn Quỹ không thể nhiều hơn tổng số HTX"),
    ("quy_du_no", "<=", "quy_von_dieu_le", "Dư nợ cho vay của Quỹ vượt vốn điều lệ: kiểm tra lại"),
    ("lai_bq", "<=", "doanh_thu_bq", "Lãi bình quân không thể lớn hơn doanh thu bình quân"),
    ("ty_le_cbql_dai_hoc", "<=", "100", "Tỷ lệ phần trăm không vượt quá 100"),
    ("so_htx", ">=", "0", "Số HTX không âm"),
    ("so_tht", ">=", "0", "Số tổ hợp tác không âm"),
    ("thanh_vien", ">=", "0", "Số thành viên không âm"),
]


# ----------------------------------------------------------------------------- helpers
def nfc(s):
    return unicodedata.normalize("NFC", s)


def load_provinces():
    """../shared/data/provinces-*.csv, or the copies in input/ when the shared folder is absent
    (a clone on its own): both hold the same rows, input/ with Vietnamese column names."""
    back = {"ma_tinh": "code", "ten_tinh": "name", "vung": "region", "ma_tinh_moi": "new_code"}

    def read(name):
        path = os.path.join(SHARED, "data", name)
        if not os.path.exists(path):
            path = os.path.join(OUT, name)
        with open(path, encoding="utf-8") as f:
            return [{back.get(k, k): v for k, v in row.items()} for row in csv.DictReader(f)]
    return read("provinces-63.csv"), read("provinces-34.csv")


def vn_number(v, decimals, percent=False):
    """1234567.5 -> '1.234.567,5' (Vietnamese Excel display)."""
    if v is None:
        return ""
    s = f"{abs(v):.{decimals}f}"
    whole, _, frac = s.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = ("-" if v < 0 else "") + ".".join(groups) + ("," + frac if frac else "")
    return out + ("%" if percent else "")


def plain_number(v, decimals, percent=False):
    if v is None:
        return ""
    return f"{v:.{decimals}f}" + ("%" if percent else "")


def vn_date(d, vn):
    day, month, year = d
    return f"{day:02d}/{month:02d}/{year}" if vn else f"{year}-{month:02d}-{day:02d}"


def vn_fmt(v, decimals=0):
    """Number for running Vietnamese text: 337.082, 36,52."""
    return vn_number(v, decimals)


def pad2(n):
    """Administrative prose writes counts below 10 as 01, 02 …"""
    return f"{n:02d}" if 0 <= n < 10 else vn_fmt(n)


def lognorm(rng, sd):
    return math.exp(rng.gauss(0.0, sd))


def round5(x):
    return max(5, int(round(x / 5.0)) * 5)


# ----------------------------------------------------------------------------- generation
def gen63(prov63):
    rng = random.Random(SEED)
    codes = [p["code"] for p in prov63]
    weights = {}
    for c in codes:
        w = WEIGHT.get(c, 1.0) * lognorm(rng, 0.18)
        weights[c] = w
    tw = sum(weights.values())
    trait = {}
    for c in codes:
        urban = c in URBAN
        trait[c] = dict(
            growth=rng.gauss(0, 0.012),
            tht=lognorm(rng, 0.7) * (0.5 if urban else 1.0),
            tht_trend=rng.gauss(0, 0.04),
            mem=MEM_PER_HTX.get(c, 187 * lognorm(rng, 0.35) * (1.35 if c in ("27", "34", "36", "35", "33", "30", "26") else 1.0)),
            mem_tht=MEM_PER_THT.get(c, rng.uniform(14, 38)),
            agri=rng.uniform(0.35, 0.55) if urban else rng.uniform(0.62, 0.88),
            active=rng.uniform(-0.06, 0.06),
            quality=rng.uniform(-0.12, 0.12),
            rev=lognorm(rng, 0.30) * (1.5 if urban else 1.0),
            income=lognorm(rng, 0.15) * (1.35 if urban else 1.0),
            cap=lognorm(rng, 0.25),
            chain=lognorm(rng, 0.3),
            tech=rng.uniform(0.02, 0.07),
            digital=lognorm(rng, 0.3),
            ocop=lognorm(rng, 0.5) * (2.2 if c == "22" else 1.0),
            ocop4=rng.uniform(0.12, 0.28),
            fund=rng.choice([5000, 8000, 10000, 15000, 20000, 25000, 30000, 40000, 50000]),
            train=lognorm(rng, 0.45),
            degree=rng.gauss(0, 4.0),
        )
    trait["37"]["rev"] = 2.15   # Ninh Bình: 5.500 triệu đồng/HTX in 2022
    trait["37"]["quality"] = 0.22
    trait["20"]["fund"] = 5000
    trait["19"]["fund"] = 36520

    # HTX stock paths, scaled to the national series, then pinned to the anchors.
    stock = {}
    for c in codes:
        s = weights[c] / tw * NAT_HTX[2018]
        path = {2018: s}
        for y in YEARS[1:]:
            path[y] = path[y - 1] * NAT_HTX[y] / NAT_HTX[y - 1] * (1 + trait[c]["growth"] + rng.gauss(0, 0.015))
        stock[c] = path
    # Normalise every year to the national figure, then round.
    for y in YEARS:
        tot = sum(stock[c][y] for c in codes)
        for c in codes:
            stock[c][y] *= NAT_HTX[y] / tot
    for (c, y), a in ANCHORS.items():
        f = a["so_htx"] / stock[c][y]
        for yy in YEARS:
            stock[c][yy] *= f
    for c in codes:
        for y in YEARS:
            stock[c][y] = int(round(stock[c][y]))

    # Flows: new >= growth, dissolved = prev + new - stock >= 0.
    new, diss = {}, {}
    for c in codes:
        for y in YEARS:
            s = stock[c][y]
            share = NAT_NEW[y] / NAT_HTX[y]
            n = int(round(s * share * lognorm(rng, 0.25)))
            anchor = ANCHORS.get((c, y), {})
            if y == 2018:
                n = anchor.get("so_htx_moi", n)
                new[c, y] = n
                diss[c, y] = int(round(s * rng.uniform(0.015, 0.045)))
                continue
            prev = stock[c][y - 1]
            if "so_htx_moi" in anchor:
                n = anchor["so_htx_moi"]
                if prev + n - s < 0 or prev + n - s > 0.06 * prev:
                    stock[c][y - 1] = prev = s - n + max(2, int(round(0.015 * s)))
            n = max(n, s - prev + int(round(prev * rng.uniform(0.005, 0.03))))
            new[c, y] = n
            diss[c, y] = prev + n - s
    # Re-pinning the year before an anchor changes that year's flows: recompute them.
    for c in codes:
        for y in YEARS[1:]:
            prev, s = stock[c][y - 1], stock[c][y]
            if diss[c, y] < 0 or prev + new[c, y] - s != diss[c, y]:
                if new[c, y] < s - prev:
                    new[c, y] = s - prev + 1
                diss[c, y] = prev + new[c, y] - s

    # THT
    tht = {}
    nat_tht_w = {}
    for c in codes:
        tht[c] = {}
        base = weights[c] * trait[c]["tht"]
        for i, y in enumerate(YEARS):
            tht[c][y] = base * (1 + trait[c]["tht_trend"]) ** i * lognorm(rng, 0.04)
    for y in YEARS:
        tot = sum(tht[c][y] for c in codes)
        for c in codes:
            tht[c][y] *= NAT_THT[y] / tot
    for (c, y), a in ANCHORS.items():
        f = a["so_tht"] / tht[c][y]
        for yy in YEARS:
            tht[c][yy] *= f
    tnew, tdiss = {}, {}
    for c in codes:
        for y in YEARS:
            tht[c][y] = max(20, int(round(tht[c][y])))
        for y in YEARS:
            s = tht[c][y]
            anchor = ANCHORS.get((c, y), {})
            n = int(round(s * rng.uniform(0.03, 0.10)))
            if y == 2018:
                tnew[c, y] = anchor.get("so_tht_moi", n)
                tdiss[c, y] = int(round(s * rng.uniform(0.02, 0.08)))
                continue
            prev = tht[c][y - 1]
            if "so_tht_moi" in anchor:
                n = anchor["so_tht_moi"]
                if prev + n - s < 0:
                    tht[c][y - 1] = prev = s - n + 3
            n = max(n, s - prev + int(round(prev * rng.uniform(0.01, 0.04))))
            tnew[c, y] = n
            tdiss[c, y] = prev + n - s
        for y in YEARS[1:]:
            prev, s = tht[c][y - 1], tht[c][y]
            if tnew[c, y] < s - prev:
                tnew[c, y] = s - prev + 1
            tdiss[c, y] = prev + tnew[c, y] - s

    # LHHTX
    lh, lhnew = {}, {}
    fixed = {"37": [1, 1, 1, 2, 2, 2, 2], "20": [1, 1, 2, 2, 2, 3, 3], "19": [3, 3, 4, 4, 5, 5, 6]}
    for c in codes:
        if c in fixed:
            path = fixed[c]
            first_new = 1 if c == "19" else 0
        else:
            start = max(0, int(round(weights[c] / tw * 76 * lognorm(rng, 0.4))))
            path = [start]
            for _ in YEARS[1:]:
                path.append(path[-1] + (1 if rng.random() < 0.22 * max(0.5, weights[c]) else 0))
            first_new = 1 if path[0] > 0 and rng.random() < 0.2 else 0
        for i, y in enumerate(YEARS):
            lh[c, y] = path[i]
            lhnew[c, y] = first_new if i == 0 else path[i] - path[i - 1]

    rows = {}
    fund_cap = {}
    for c in codes:
        t = trait[c]
        # A fund's size follows the province's cooperative sector, within 5–60 tỷ đồng.
        cap = t["fund"] if c in ("20", "19") else int(round(t["fund"] * min(1.2, 0.4 + 0.5 * weights[c]) / 500.0)) * 500
        for i, y in enumerate(YEARS):
            r = {}
            s = stock[c][y]
            r["so_htx"] = s
            act_share = min(0.97, 0.68 + 0.025 * i + t["active"] + (0.1 if c == "37" else 0) + rng.gauss(0, 0.01))
            r["so_htx_hoat_dong"] = int(round(s * act_share))
            r["so_htx_nong_nghiep"] = int(round(s * (t["agri"] + rng.gauss(0, 0.01))))
            r["so_htx_moi"] = new[c, y]
            r["so_htx_giai_the"] = diss[c, y]
            r["so_lhhtx"] = lh[c, y]
            r["so_lhhtx_moi"] = lhnew[c, y]
            r["so_tht"] = tht[c][y]
            r["so_tht_moi"] = tnew[c, y]
            r["so_tht_giai_the"] = tdiss[c, y]
            tvh = int(round(s * t["mem"] * (1 - 0.022 * i) * lognorm(rng, 0.03)))
            tvt = int(round(tht[c][y] * t["mem_tht"] * lognorm(rng, 0.03)))
            r["tv_htx"], r["tv_tht"] = tvh, tvt
            r["thanh_vien"] = tvh + tvt
            r["lao_dong"] = int(round(tvh * rng.uniform(0.34, 0.46)))
            rated = int(round(r["so_htx_hoat_dong"] * min(0.97, rng.uniform(0.78, 0.92) + (0.06 if c == "37" else 0))))
            good_share = max(0.05, 0.58 + 0.015 * i + t["quality"] + rng.gauss(0, 0.025))
            tot_ = int(round(rated * good_share * rng.uniform(0.30, 0.40)))
            kha = int(round(rated * good_share)) - tot_
            rest = rated - tot_ - kha
            yeu = int(round(rest * rng.uniform(0.2, 0.4)))
            r["htx_danh_gia"] = rated
            r["htx_tot"], r["htx_kha"] = tot_, kha
            r["htx_trung_binh"], r["htx_yeu"] = rest - yeu, yeu
            r["htx_hieu_qua"] = tot_ + kha
            r["doanh_thu_bq"] = round(REV[y] * t["rev"] * lognorm(rng, 0.05))
            r["lai_bq"] = round(r["doanh_thu_bq"] * rng.uniform(0.045, 0.095), 1)
            r["thu_nhap_bq"] = round(INCOME[y] * t["income"] * lognorm(rng, 0.03), 1)
            r["von_dieu_le_bq"] = round(CAPITAL[y] * t["cap"] * lognorm(rng, 0.04))
            r["htx_chuoi"] = int(round(s * min(0.35, CHAIN[y] * t["chain"] * lognorm(rng, 0.05))))
            r["lhhtx_chuoi"] = min(lh[c, y], int(lh[c, y] * rng.uniform(0.3, 1.0)))
            r["htx_cong_nghe_cao"] = int(round(s * (t["tech"] + 0.004 * i)))
            r["htx_chuyen_doi_so"] = int(round(s * DIGITAL[y] * t["digital"])) if y in DIGITAL else None
            o = OCOP[y] * t["ocop"] * weights[c] ** 0.5
            r["ocop_4sao"] = int(round(o * t["ocop4"]))
            r["ocop_3sao"] = int(round(o)) - r["ocop_4sao"]
            r["ocop_5sao"] = (1 if y >= 2021 and t["ocop"] > 1.6 else 0) + (1 if y >= 2023 and t["ocop"] > 2.0 else 0)
            if i > 0 and rng.random() < 0.3:
                cap = int(round(cap * rng.choice([1.1, 1.2, 1.25]) / 100.0)) * 100
            fund_cap[c, y] = cap
            r["quy_von_dieu_le"] = cap
            r["quy_du_no"] = int(round(cap * rng.uniform(0.45, 0.9) / 10.0)) * 10
            r["quy_htx_vay"] = min(max(1, int(round(r["quy_du_no"] / rng.uniform(180, 420)))), s // 4)
            r["lop_tap_huan"] = max(3, int(round(14 * t["train"] * lognorm(rng, 0.2))))
            r["luot_tap_huan"] = int(round(r["lop_tap_huan"] * rng.uniform(35, 75) / 10.0)) * 10
            r["ty_le_cbql_dai_hoc"] = round(min(60.0, max(4.0, DEGREE[y] + t["degree"] + rng.gauss(0, 0.8))), 1)
            rows[c, y] = r
    # Seed figures override, then the quantities that depend on them are re-derived.
    for (c, y), a in ANCHORS.items():
        r = rows[c, y]
        r.update(a)
        if "quy_du_no" not in a:
            r["quy_du_no"] = int(round(r["quy_von_dieu_le"] * 0.8 / 10.0)) * 10
            r["quy_htx_vay"] = max(1, int(round(r["quy_du_no"] / 300)))
    # Lạng Sơn 2024: the fund's 7,5 tỷ followed 5 tỷ the years before (illustrative path).
    for y in YEARS[:-1]:
        rows["20", y]["quy_von_dieu_le"] = 5000 if y < 2022 else 6500
        rows["20", y]["quy_du_no"] = min(rows["20", y]["quy_du_no"], rows["20", y]["quy_von_dieu_le"] - 500)
    # Thái Nguyên: charter capital 36,52 tỷ in 2018, grows later.
    tn = 36520
    for y in YEARS:
        rows["19", y]["quy_von_dieu_le"] = tn
        rows["19", y]["quy_du_no"] = min(rows["19", y]["quy_du_no"], int(tn * 0.85 / 10) * 10)
        tn = int(round(tn * 1.06 / 10.0)) * 10
    # Ninh Bình 2023: the plan (seed 000) asked for ≥ 25 HTX, ≥ 25 THT, ≥ 75 % effective,
    # ≥ 800 trainees — make the outcome mixed: HTX and training met, THT and share missed.
    nb = rows["37", 2023]
    _set_new("37", 2023, 31, stock, rows)
    _set_tht_new("37", 2023, 19, rows)
    _set_effective(nb, 0.71)
    nb["luot_tap_huan"] = 860
    nb["lop_tap_huan"] = 17
    # Thái Nguyên 2019: plan 30–35 new HTX (seed 001) → 33.
    _set_new("19", 2019, 33, stock, rows)
    for (c, y), a in ANCHORS.items():
        rows[c, y]["lhhtx_chuoi"] = min(rows[c, y]["lhhtx_chuoi"], rows[c, y]["so_lhhtx"])
        if "lhhtx_chuoi" in a:
            rows[c, y]["lhhtx_chuoi"] = a["lhhtx_chuoi"]
    # Quảng Ninh 2022 narrative quotes a district with 16 three-star and 1 four-star products.
    rows["22", 2022]["ocop_3sao"] = max(rows["22", 2022]["ocop_3sao"], 16)
    rows["22", 2022]["ocop_4sao"] = max(rows["22", 2022]["ocop_4sao"], 1)
    for (c, y), cols in ANCHOR_BLANK.items():
        for col in cols:
            rows[c, y][col] = None
    for c, y, cols in BLANKS:
        for col in cols:
            rows[c, y][col] = None
    for r in rows.values():
        if r["quy_du_no"] is not None and r["quy_von_dieu_le"] is not None:
            r["quy_du_no"] = min(r["quy_du_no"], r["quy_von_dieu_le"])
    return rows, rng


def _set_new(c, y, n, stock, rows):
    """Pins the new-HTX count of (c, y): this year's stock moves (last year's is a seed figure
    or already settled), and next year's flows absorb the change."""
    r, p = rows[c, y], rows[c, y - 1]
    r["so_htx_moi"] = n
    old = r["so_htx"]
    r["so_htx"] = p["so_htx"] + n - r["so_htx_giai_the"]
    _rescale(r, r["so_htx"] / old, ["so_htx_hoat_dong", "so_htx_nong_nghiep", "htx_chuoi", "htx_cong_nghe_cao"])
    nx = rows.get((c, y + 1))
    if nx:
        nx["so_htx_giai_the"] = r["so_htx"] + nx["so_htx_moi"] - nx["so_htx"]
        if nx["so_htx_giai_the"] < 0:
            nx["so_htx_moi"] -= nx["so_htx_giai_the"]
            nx["so_htx_giai_the"] = 0


def _set_tht_new(c, y, n, rows):
    r, p = rows[c, y], rows[c, y - 1]
    r["so_tht_moi"] = n
    r["so_tht"] = p["so_tht"] + n - r["so_tht_giai_the"]
    r["tv_tht"] = int(round(r["so_tht"] * MEM_PER_THT.get(c, 25)))
    r["thanh_vien"] = r["tv_htx"] + r["tv_tht"]
    nx = rows.get((c, y + 1))
    if nx:
        nx["so_tht_giai_the"] = r["so_tht"] + nx["so_tht_moi"] - nx["so_tht"]
        if nx["so_tht_giai_the"] < 0:
            nx["so_tht_moi"] -= nx["so_tht_giai_the"]
            nx["so_tht_giai_the"] = 0


def _rescale(r, f, cols):
    for col in cols:
        r[col] = int(round(r[col] * f))


def _set_effective(r, share):
    eff = int(round(r["so_htx"] * share))
    rated = min(r["htx_danh_gia"], r["so_htx_hoat_dong"])
    if eff > rated:
        rated = min(r["so_htx_hoat_dong"], eff + 20)
    r["htx_danh_gia"] = rated
    r["htx_tot"] = int(round(eff * 0.35))
    r["htx_kha"] = eff - r["htx_tot"]
    rest = rated - eff
    r["htx_yeu"] = int(round(rest * 0.3))
    r["htx_trung_binh"] = rest - r["htx_yeu"]
    r["htx_hieu_qua"] = eff


SUM_COLS = [c[0] for c in STAT_COLUMNS if c[5] == "sum"]
MEAN_WEIGHT = {"doanh_thu_bq": "so_htx", "lai_bq": "so_htx", "von_dieu_le_bq": "so_htx",
               "thu_nhap_bq": "tv_htx", "ty_le_cbql_dai_hoc": "so_htx"}


def rebase(rows63, prov63, prov34):
    """2024 in the 34-unit set: sums of the old provinces, weighted means for averages."""
    members = {}
    for p in prov63:
        members.setdefault(p["new_code"], []).append(p["code"])
    out = {}
    for u in prov34:
        parts = [rows63[c, 2024] for c in members[u["code"]]]
        r = {}
        for col in SUM_COLS:
            vals = [p[col] for p in parts]
            r[col] = None if any(v is None for v in vals) else sum(vals)
        for col, w in MEAN_WEIGHT.items():
            pairs = [(p[col], p[w]) for p in parts]
            if any(v is None or wt is None for v, wt in pairs):
                r[col] = None
            else:
                r[col] = round(sum(v * wt for v, wt in pairs) / sum(wt for _, wt in pairs), DECIMALS[col])
                if DECIMALS[col] == 0:
                    r[col] = int(r[col])
        out[u["code"]] = (r, members[u["code"]])
    return out, members


def gen25(rb, rng):
    rows = {}
    for code, (p, _) in rb.items():
        r = {}
        s0 = p["so_htx"]
        n = int(round(s0 * rng.uniform(0.05, 0.085)))
        d = int(round(s0 * rng.uniform(0.015, 0.04)))
        r["so_htx"] = s0 + n - d
        r["so_htx_moi"], r["so_htx_giai_the"] = n, d
        r["so_htx_hoat_dong"] = min(r["so_htx"], int(round(p["so_htx_hoat_dong"] / s0 * r["so_htx"] * rng.uniform(1.0, 1.03))))
        r["so_htx_nong_nghiep"] = int(round(p["so_htx_nong_nghiep"] / s0 * r["so_htx"]))
        ln = 1 if rng.random() < 0.35 else 0
        r["so_lhhtx"], r["so_lhhtx_moi"] = p["so_lhhtx"] + ln, ln
        t0 = p["so_tht"]
        tn_ = int(round(t0 * rng.uniform(0.03, 0.08)))
        td = int(round(t0 * rng.uniform(0.03, 0.09)))
        r["so_tht"], r["so_tht_moi"], r["so_tht_giai_the"] = t0 + tn_ - td, tn_, td
        r["tv_htx"] = int(round(p["tv_htx"] / s0 * r["so_htx"] * rng.uniform(0.99, 1.02)))
        r["tv_tht"] = int(round(p["tv_tht"] / t0 * r["so_tht"])) if p["tv_tht"] is not None else None
        r["thanh_vien"] = r["tv_htx"] + r["tv_tht"] if r["tv_tht"] is not None else None
        r["lao_dong"] = int(round(r["tv_htx"] * rng.uniform(0.36, 0.44)))
        rated = int(round(r["so_htx_hoat_dong"] * rng.uniform(0.82, 0.93)))
        share = (p["htx_hieu_qua"] / p["htx_danh_gia"]) if p["htx_danh_gia"] else 0.55
        share = min(0.9, share + rng.uniform(-0.01, 0.04))
        eff = int(round(rated * share))
        r["htx_danh_gia"] = rated
        r["htx_tot"] = int(round(eff * rng.uniform(0.3, 0.4)))
        r["htx_kha"] = eff - r["htx_tot"]
        r["htx_yeu"] = int(round((rated - eff) * rng.uniform(0.2, 0.35)))
        r["htx_trung_binh"] = rated - eff - r["htx_yeu"]
        r["htx_hieu_qua"] = eff
        g = rng.uniform(0.99, 1.07)
        r["doanh_thu_bq"] = int(round(p["doanh_thu_bq"] * g))
        r["lai_bq"] = round(p["lai_bq"] * g * rng.uniform(0.97, 1.04), 1)
        r["thu_nhap_bq"] = round(p["thu_nhap_bq"] * rng.uniform(1.02, 1.07), 1) if p["thu_nhap_bq"] is not None else None
        r["von_dieu_le_bq"] = int(round(p["von_dieu_le_bq"] * rng.uniform(1.01, 1.05)))
        r["htx_chuoi"] = int(round(p["htx_chuoi"] * rng.uniform(1.03, 1.12)))
        r["lhhtx_chuoi"] = min(r["so_lhhtx"], p["lhhtx_chuoi"] + (1 if ln and rng.random() < 0.5 else 0))
        r["htx_cong_nghe_cao"] = int(round(p["htx_cong_nghe_cao"] * rng.uniform(1.03, 1.15)))
        r["htx_chuyen_doi_so"] = int(round(p["htx_chuyen_doi_so"] * rng.uniform(1.2, 1.45)))
        r["ocop_3sao"] = int(round(p["ocop_3sao"] * rng.uniform(1.05, 1.15)))
        r["ocop_4sao"] = int(round(p["ocop_4sao"] * rng.uniform(1.08, 1.25)))
        r["ocop_5sao"] = p["ocop_5sao"] + (1 if rng.random() < 0.1 else 0)
        r["quy_von_dieu_le"] = p["quy_von_dieu_le"]
        r["quy_du_no"] = int(round(p["quy_von_dieu_le"] * rng.uniform(0.55, 0.9) / 10.0)) * 10
        r["quy_htx_vay"] = min(max(1, int(round(r["quy_du_no"] / rng.uniform(200, 420)))), r["so_htx"] // 4)
        r["lop_tap_huan"] = max(4, int(round(p["lop_tap_huan"] * rng.uniform(0.7, 1.1))))
        r["luot_tap_huan"] = int(round(r["lop_tap_huan"] * rng.uniform(40, 75) / 10.0)) * 10
        r["ty_le_cbql_dai_hoc"] = round(p["ty_le_cbql_dai_hoc"] + rng.uniform(0.8, 2.6), 1)
        rows[code] = r
    for c, y, cols in BLANKS_34:
        for col in cols:
            rows[c][col] = None
    return rows


# ----------------------------------------------------------------------------- targets
def targets_for(code, y, cur, prev, rng, seed_rows=None):
    """Plan rows for year y. cur = actual of y (None for 2026), prev = actual of y-1."""
    out = []
    if seed_rows:
        return seed_rows
    base_new = (cur or prev)["so_htx_moi"]
    if base_new is None:
        base_new = prev["so_htx_moi"]
    n = max(3, int(round(base_new * rng.uniform(0.8, 1.2))))
    if n >= 12:
        n = round5(n)
    out.append(("so_htx_moi", "absolute", n, None, "HTX", f"Thành lập mới ít nhất {pad2(n)} HTX"))
    if rng.random() < 0.6:
        b = (cur or prev)["so_tht_moi"] or prev["so_tht_moi"] or 10
        m = max(2, int(round(b * rng.uniform(0.8, 1.25))))
        if m >= 12:
            m = round5(m)
        out.append(("so_tht_moi", "absolute", m, None, "THT", f"Thành lập mới ít nhất {pad2(m)} tổ hợp tác"))
    if prev["htx_hieu_qua"] is not None and prev["so_htx"]:
        sh = 100.0 * prev["htx_hieu_qua"] / prev["so_htx"] + rng.uniform(-2, 5)
        sh = max(20, int(round(sh / 5.0)) * 5)
        out.append(("htx_hieu_qua", "share_pct", sh, None, "%",
                    f"Tỷ lệ HTX hoạt động hiệu quả đạt từ {sh}% trở lên"))
    k = rng.random()
    if k < 0.5:
        a = rng.choice([2, 3, 4, 5])
        out.append(("thanh_vien", "growth_pct", a, a + 2, "%", f"Số thành viên HTX, tổ hợp tác tăng {a}–{a + 2}%"))
    else:
        a = rng.choice([5, 7, 8, 10])
        out.append(("doanh_thu_bq", "growth_pct", a, None, "%",
                    f"Doanh thu bình quân của HTX tăng ít nhất {a}% so với năm trước"))
    if rng.random() < 0.4:
        lo, hi = rng.choice([(1.0, None), (1.03, 1.08), (1.05, 1.1)])
        if hi is None:
            out.append(("thu_nhap_bq", "ratio", lo, None, "lần",
                        "Thu nhập bình quân của thành viên, người lao động không thấp hơn năm trước"))
        else:
            out.append(("thu_nhap_bq", "ratio", lo, hi, "lần",
                        f"Thu nhập bình quân của thành viên, người lao động bằng {vn_fmt(lo, 2)}–{vn_fmt(hi, 2)} lần năm trước"))
    if rng.random() < 0.7 and prev["luot_tap_huan"] is not None:
        t = int(round(prev["luot_tap_huan"] * rng.uniform(0.8, 1.2) / 50.0)) * 50
        t = max(50, t)
        out.append(("luot_tap_huan", "absolute", t, None, "lượt",
                    f"Tập huấn, bồi dưỡng cho ít nhất {vn_fmt(t)} lượt cán bộ quản lý, thành viên HTX"))
    if rng.random() < 0.4:
        ch = int(round(prev["htx_chuoi"] * rng.uniform(1.02, 1.15)))
        out.append(("htx_chuoi", "absolute", ch, None, "HTX",
                    f"Có ít nhất {pad2(ch)} HTX sản xuất, kinh doanh gắn với chuỗi giá trị"))
    if rng.random() < 0.12:
        out.append(("so_lhhtx_moi", "exact", 1, 1, "LHHTX", "Thành lập mới 01 Liên hiệp HTX"))
    return out


SEED_TARGETS = {
    ("37", 2023): [  # seed 000: "Phấn đấu đến hết năm 2023 …"
        ("so_htx_moi", "absolute", 25, None, "HTX", "Thành lập mới ít nhất 25 HTX"),
        ("so_tht_moi", "absolute", 25, None, "THT", "Thành lập mới ít nhất 25 tổ hợp tác"),
        ("htx_hieu_qua", "share_pct", 75, None, "%", "Tỷ lệ HTX sản xuất, kinh doanh có hiệu quả đạt từ 75% trở lên"),
        ("luot_tap_huan", "absolute", 800, None, "lượt",
         "Bồi dưỡng, tập huấn ít nhất 800 lượt người (300 lượt cán bộ, công chức, viên chức; 500 lượt cán bộ quản lý, chuyên môn nghiệp vụ HTX)"),
    ],
    ("19", 2019): [  # seed 001: "phấn đấu thành lập mới từ 30 - 35 HTX"
        ("so_htx_moi", "absolute", 30, 35, "HTX", "Thành lập mới từ 30–35 HTX, trong đó có ít nhất 25 HTX nông nghiệp"),
    ],
    ("22", 2023): [  # shapes of seed 004 (huyện Bình Liêu's plan), applied to the province — illustrative
        ("thanh_vien", "growth_pct", 5, 7, "%", "Số thành viên tham gia HTX, tổ hợp tác tăng từ 5–7%"),
        ("htx_hieu_qua", "share_pct", 50, None, "%", "Có khoảng 50% HTX hoạt động hiệu quả"),
        ("doanh_thu_bq", "growth_pct", 10, None, "%", "Tốc độ tăng doanh thu đạt khoảng 10%"),
        ("ty_le_cbql_dai_hoc", "absolute", 30, None, "%", "Tỷ lệ cán bộ quản lý HTX đã qua đào tạo trình độ đại học đạt khoảng 30%"),
    ],
}


def attained(t, cur, prev):
    col, kind, lo, hi = t[0], t[1], t[2], t[3]
    v = cur.get(col)
    if v is None:
        return None
    if kind == "absolute":
        x = v
    elif kind == "share_pct":
        x = 100.0 * v / cur["so_htx"]
    elif kind in ("growth_pct", "ratio"):
        p = prev.get(col)
        if p in (None, 0):
            return None
        x = 100.0 * (v / p - 1) if kind == "growth_pct" else v / p
    else:
        return v == lo
    return x >= lo


# ----------------------------------------------------------------------------- writers
def write_csv(path, header, rows, vn):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";" if vn else ",", lineterminator="\r\n" if vn else "\n",
                   quoting=csv.QUOTE_MINIMAL)
    w.writerow(header)
    for r in rows:
        w.writerow(r)
    data = nfc(buf.getvalue())
    if vn:
        data = "\ufeff" + data
    FILES[path] = data.encode("utf-8")


FILES = {}


def fmt_cell(col, v, vn):
    if v is None:
        return ""
    t = TYPES.get(col, "text")
    if col == "nam":
        return str(v)              # a year is never grouped, not even by Excel
    if t in ("integer", "decimal", "percent"):
        f = vn_number if vn else plain_number
        return f(v, DECIMALS[col], t == "percent")
    if t == "date":
        return vn_date(v, vn)
    return v


def stat_rows(records, vn):
    out = []
    for r in records:
        out.append([fmt_cell(c, r.get(c), vn) for c in STAT_NAMES])
    return out


def target_rows(items, vn):
    out = []
    for code, y, t in items:
        col, kind, lo, hi, unit, desc = t
        d = 2 if kind == "ratio" else 0
        f = vn_number if vn else plain_number
        out.append([code, str(y), col, kind, f(lo, d), f(hi, d) if hi is not None else "", unit, desc])
    return out


def main():
    check = "--check" in sys.argv[1:]
    prov63, prov34 = load_provinces()
    name63 = {p["code"]: p for p in prov63}
    name34 = {p["code"]: p for p in prov34}
    rows63, rng = gen63(prov63)
    rb, members = rebase(rows63, prov63, prov34)
    rows25 = gen25(rb, rng)

    # --- statistics, 63 provinces
    recs63 = []
    for p in prov63:
        c = p["code"]
        for y in YEARS:
            r = dict(rows63[c, y])
            r.update(ma_tinh=c, ten_tinh=p["name"], vung=p["region"], nam=y)
            r["cap_don_vi"], r["cap_uy"] = unit_words(c, False)
            r["dia_danh"] = place_name(p["name"])
            r["ngay_so_lieu"] = ANCHOR_DATE.get((c, y), (31, 12, y))
            r["tinh_trang"] = "uoc" if (y == 2024 and c in UOC_2024) else "chinh_thuc"
            if (c, y) in ANCHOR_SEED:
                s = ANCHOR_SEED[c, y]
                r["nguon"] = f"seeds/{SEED_FILES[s]}; các chỉ tiêu khác: minh họa"
            else:
                r["nguon"] = "Minh họa (tools/gen-sample.py)"
            recs63.append(r)
    recs34 = []
    for u in prov34:
        c = u["code"]
        r, parts = rb[c]
        r = dict(r)
        r.update(ma_tinh=c, ten_tinh=u["name"], vung=u["region"], nam=2024)
        r["cap_don_vi"], r["cap_uy"] = unit_words(c, True)
        r["dia_danh"] = place_name(u["name"])
        r["ngay_so_lieu"] = ANCHOR_DATE.get((c, 2024), (31, 12, 2024)) if len(parts) == 1 else (31, 12, 2024)
        r["tinh_trang"] = "uoc" if any(x in UOC_2024 for x in parts) else "chinh_thuc"
        if len(parts) == 1:
            r["nguon"] = (f"Số liệu năm 2024 của {unit_words(parts[0], False)[0]} "
                          f"{name63[parts[0]]['name']} (không hợp nhất)")
        else:
            r["nguon"] = "Quy đổi: cộng số liệu năm 2024 của " + ", ".join(name63[x]["name"] for x in parts)
        if c == "20":
            r["nguon"] = "seeds/" + SEED_FILES["002"] + "; các chỉ tiêu khác: minh họa"
        recs34.append(r)
    for u in prov34:
        c = u["code"]
        r = dict(rows25[c])
        r.update(ma_tinh=c, ten_tinh=u["name"], vung=u["region"], nam=2025)
        r["cap_don_vi"], r["cap_uy"] = unit_words(c, True)
        r["dia_danh"] = place_name(u["name"])
        r["ngay_so_lieu"] = (30, 11, 2025)
        r["tinh_trang"] = "uoc"
        r["nguon"] = "Minh họa, ước thực hiện năm 2025 (tools/gen-sample.py)"
        recs34.append(r)
    write_csv("htx_tinh_63.csv", STAT_NAMES, stat_rows(recs63, True), True)
    write_csv("htx_tinh_34.csv", STAT_NAMES, stat_rows(recs34, False), False)

    # --- targets
    trng = random.Random(SEED + 1)
    t63, t34, score = [], [], [0, 0]
    for p in prov63:
        c = p["code"]
        for y in range(2019, 2025):
            ts = targets_for(c, y, rows63[c, y], rows63[c, y - 1], trng, SEED_TARGETS.get((c, y)))
            for t in ts:
                t63.append((c, y, t))
                a = attained(t, rows63[c, y], rows63[c, y - 1])
                if a is not None:
                    score[0 if a else 1] += 1
    prev24 = {c: rb[c][0] for c in rb}
    for u in prov34:
        c = u["code"]
        for t in targets_for(c, 2025, rows25[c], prev24[c], trng):
            t34.append((c, 2025, t))
            a = attained(t, rows25[c], prev24[c])
            if a is not None:
                score[0 if a else 1] += 1
        for t in targets_for(c, 2026, None, rows25[c], trng):
            t34.append((c, 2026, t))
    th = ["ma_tinh", "nam", "chi_tieu", "loai", "min", "max", "don_vi", "mo_ta"]
    write_csv("chi_tieu_63.csv", th, target_rows(t63, True), True)
    write_csv("chi_tieu_34.csv", th, target_rows(t34, False), False)

    # --- dictionary, rules, provinces
    write_csv("columns.csv", ["column", "label", "unit", "type", "decimals", "aggregate", "role", "min", "max"],
              [list(c) for c in STAT_COLUMNS + OTHER_COLUMNS], False)
    write_csv("rules.csv", ["left", "op", "right", "message"], [list(r) for r in RULES], False)
    write_csv("provinces-63.csv", ["ma_tinh", "ten_tinh", "cap_don_vi", "cap_uy", "slug", "vung", "ma_tinh_moi"],
              [[p["code"], p["name"], *unit_words(p["code"], False), p["slug"], p["region"], p["new_code"]]
               for p in prov63], False)
    write_csv("provinces-34.csv", ["ma_tinh", "ten_tinh", "cap_don_vi", "cap_uy", "slug", "vung"],
              [[p["code"], p["name"], *unit_words(p["code"], True), p["slug"], p["region"]] for p in prov34],
              False)

    # --- narratives
    import sample_narratives as narratives  # tools/sample_narratives.py, beside this file
    narratives.UOC = UOC_2024
    narratives.CITIES63, narratives.CITIES34 = CITIES63, CITIES34
    for (c, y), text in narratives.build(rows63, rows25, rb, name63, name34, members, YEARS, t34).items():
        FILES[f"narratives/{c}-{y}.md"] = nfc(text).encode("utf-8")

    # --- README, with the figures that depend on the data filled in
    ref = {2018: "22.861 (GSO)", 2019: "24.618 (2.640 new)", 2020: "≈26.040", 2021: "27.342",
           2022: "29.378 (MPI) / 29.021 (LMHTX)", 2023: "31.364 (LMHTX)", 2024: "33.557 (1.942 new)",
           2025: "— (34 units, estimate)"}
    table = ["| year | HTX here | domain.md §5 | new here | LHHTX | THT | HTX members (`tv_htx`) |",
             "|---|---|---|---|---|---|---|"]
    by_year = {y: [rows63[c, y] for c in name63] for y in YEARS}
    by_year[Y25] = list(rows25.values())
    for y, rs in by_year.items():
        tot = {k: sum(r[k] for r in rs if r[k] is not None) for k in
               ("so_htx", "so_htx_moi", "so_lhhtx", "so_tht", "tv_htx")}
        mem = vn_number(tot["tv_htx"] / 1e6, 2) + " triệu" + ("¹" if y in (2018, 2021, 2022) else "") + \
            (" (6,139 triệu)" if y == 2024 else "")
        table.append(f"| {y} | {vn_fmt(tot['so_htx'])} | {ref[y]} | {vn_fmt(tot['so_htx_moi'])} | "
                     f"{vn_fmt(tot['so_lhhtx'])} | {vn_fmt(tot['so_tht'])} | {mem} |")
    empty = sum(1 for r in recs63 + recs34 for c in STAT_NAMES if r.get(c) is None)
    with open(os.path.join(ROOT, "tools", "sample-README.md.in"), encoding="utf-8") as f:
        readme = f.read()
    for k, v in (("@NATIONAL_TABLE@", "\n".join(table)), ("@EMPTY@", vn_fmt(empty)),
                 ("@MET@", vn_fmt(score[0])), ("@MISSED@", vn_fmt(score[1])),
                 ("@EVAL@", vn_fmt(score[0] + score[1]))):
        readme = readme.replace(k, v)
    FILES["README.md"] = nfc(readme).encode("utf-8")

    # --- write or compare
    differ = []
    for rel, data in sorted(FILES.items()):
        path = os.path.join(OUT, rel)
        if check:
            try:
                with open(path, "rb") as f:
                    if f.read() != data:
                        differ.append(rel)
            except FileNotFoundError:
                differ.append(rel)
            continue
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
    if check:
        if differ:
            print("gen-sample: differs from generated: " + ", ".join(differ), file=sys.stderr)
            return 1
        return 0
    nat = {y: sum(rows63[c, y]["so_htx"] for c in name63) for y in YEARS}
    print("gen-sample: HTX national " + " ".join(f"{y}:{nat[y]}" for y in YEARS)
          + f" 2025:{sum(r['so_htx'] for r in rows25.values())}", file=sys.stderr)
    print(f"gen-sample: targets met {score[0]}, missed {score[1]}; {len(FILES)} files", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.exit(main())
