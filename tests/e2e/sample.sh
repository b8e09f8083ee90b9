#!/bin/sh
# Sanity of the sample data set in input/: the seed figures are there, national totals are near
# domain.md §5, stock identities and rules hold, every column is in the dictionary, every
# (ma_tinh, nam) is unique, every file is UTF-8 NFC, narratives have the four sections, and
# tools/gen-sample.py regenerates input/ byte for byte.  The checks read the CSV files with
# python3's csv module (both dialects), independently of the C reader.
. tests/e2e/common.inc

check "gen-sample reproduces input/" python3 tools/gen-sample.py --check

python3 - >"$E2E_TMP/results" 2>&1 <<'EOF'
import csv, glob, io, os, re, unicodedata

def say(ok, name, detail=""):
    print(("ok " if ok else "bad ") + name + ((": " + detail) if detail and not ok else ""))

def load(path):
    raw = open(path, "rb").read()
    text = raw.decode("utf-8")          # raises on invalid UTF-8
    vn = text.startswith("\ufeff")
    text = text.lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";" if vn else ","))
    return rows, vn

def num(s, vn):
    """Cell to number; None when empty (not reported)."""
    s = s.strip().rstrip("%")
    if s == "":
        return None
    if vn:
        s = s.replace(".", "").replace(",", ".")
    return float(s)

# --- every file: valid UTF-8, NFC
files = sorted(glob.glob("input/*.csv") + glob.glob("input/*.md") + glob.glob("input/narratives/*.md"))
bad = []
for f in files:
    try:
        t = open(f, "rb").read().decode("utf-8")
    except UnicodeDecodeError as e:
        bad.append(f + " " + str(e)); continue
    if unicodedata.normalize("NFC", t) != t:
        bad.append(f + " not NFC")
say(not bad and len(files) > 100, "utf-8 nfc", "; ".join(bad[:5]) or f"only {len(files)} files")

dic, _ = load("input/columns.csv")
cols = {r["column"]: r for r in dic}
say(len(cols) == len(dic), "dictionary has no duplicate column")
types_ok = all(r["type"] in ("integer", "decimal", "percent", "text", "date") and
               r["aggregate"] in ("sum", "mean", "none") and
               r["role"] in ("", "key", "period", "name", "region") for r in dic)
say(types_ok, "dictionary types, aggregates, roles valid")

# --- every column of every CSV is in the dictionary
missing = []
for f in glob.glob("input/*.csv"):
    rows, vn = load(f)
    head = open(f, encoding="utf-8-sig").readline().strip().split(";" if vn else ",")
    missing += [f"{f}:{h}" for h in head if h not in cols]
say(not missing, "every column in the dictionary", " ".join(missing[:8]))

t63, vn63 = load("input/htx_tinh_63.csv")
t34, vn34 = load("input/htx_tinh_34.csv")
say(vn63 and not vn34, "dialects: 63 Vietnamese (BOM, ;), 34 plain")
say(open("input/htx_tinh_63.csv", "rb").read().startswith(b"\xef\xbb\xbf"), "63 file has a BOM")
numeric = {c for c, r in cols.items() if r["type"] in ("integer", "decimal", "percent")}

def typed(rows, vn):
    out = []
    for r in rows:
        out.append({k: (num(v, vn) if k in numeric else v) for k, v in r.items()})
    return out
T63, T34 = typed(t63, vn63), typed(t34, vn34)

# --- keys
for name, T, years in (("63", T63, range(2018, 2025)), ("34", T34, (2024, 2025))):
    keys = [(r["ma_tinh"], int(r["nam"])) for r in T]
    say(len(keys) == len(set(keys)), f"{name}: (ma_tinh, nam) unique")
    n = 63 if name == "63" else 34
    say(len(keys) == n * len(years) and {k[1] for k in keys} == set(years), f"{name}: {n} units x years complete")
    say(all(re.fullmatch(r"\d\d", k[0]) for k in keys), f"{name}: ma_tinh two digits")

# --- seed figures
def row(T, code, y):
    return next(r for r in T if r["ma_tinh"] == code and int(r["nam"]) == y)
seeds = {
    ("37", 2022): dict(so_lhhtx=2, so_htx=468, so_tht=512, thanh_vien=337082, so_htx_moi=39, so_tht_moi=27,
                       doanh_thu_bq=5500, htx_chuoi=68, lhhtx_chuoi=2),
    ("19", 2018): dict(so_htx=456, so_tht=7260, thanh_vien=210700, so_htx_moi=50, so_tht_moi=110,
                       quy_von_dieu_le=36520, so_lhhtx_moi=1),
    ("20", 2024): dict(so_htx=507, so_lhhtx=3, so_tht=240, quy_von_dieu_le=7500, quy_htx_vay=18, quy_du_no=3600),
    ("95", 2021): dict(so_htx=191, so_tht=514, thanh_vien=35571, htx_chuoi=47),
}
for (c, y), want in seeds.items():
    r = row(T63, c, y)
    wrong = [f"{k}={r[k]} want {v}" for k, v in want.items() if r[k] != v]
    say(not wrong, f"seed figures {c}-{y}", ", ".join(wrong))
r = row(T34, "20", 2024)
say(r["so_htx"] == 507 and r["quy_von_dieu_le"] == 7500, "seed figures survive in the 34 file (Lạng Sơn unchanged)")
say(row(t63, "20", 2024)["ngay_so_lieu"] == "31/05/2024", "Lạng Sơn 2024 as of 31/05/2024")

# --- national totals vs domain.md §5 (within 10 %)
nat = {2018: 22861, 2019: 24618, 2020: 26040, 2021: 27342, 2022: 29378, 2023: 31364, 2024: 33557}
for y, want in nat.items():
    got = sum(r["so_htx"] for r in T63 if int(r["nam"]) == y)
    say(abs(got - want) <= 0.10 * want, f"national HTX {y} near {want}", f"got {got:.0f}")
got = sum(r["so_htx"] for r in T34 if int(r["nam"]) == 2024)
say(got == sum(r["so_htx"] for r in T63 if int(r["nam"]) == 2024), "34-unit 2024 re-based total = 63-province total")
tht22 = sum(r["so_tht"] for r in T63 if int(r["nam"]) == 2022)
say(abs(tht22 - 71000) <= 7100, "national THT 2022 near 71.000", f"got {tht22:.0f}")
mem24 = sum(r["tv_htx"] for r in T63 if int(r["nam"]) == 2024 and r["tv_htx"] is not None)
say(abs(mem24 - 6139000) <= 0.15 * 6139000, "HTX members 2024 near 6,139 million", f"got {mem24:.0f}")

# --- stock identities
def identities(T, name):
    by = {(r["ma_tinh"], int(r["nam"])): r for r in T}
    errs, checked = [], 0
    for (c, y), r in by.items():
        p = by.get((c, y - 1))
        if not p:
            continue
        for s, n, d in (("so_htx", "so_htx_moi", "so_htx_giai_the"), ("so_tht", "so_tht_moi", "so_tht_giai_the")):
            if None in (r[s], p[s], r[n], r[d]):
                continue
            checked += 1
            if r[s] != p[s] + r[n] - r[d]:
                errs.append(f"{c}-{y} {s}")
            if r[d] > p[s]:
                errs.append(f"{c}-{y} {d} > previous {s}")
        if None not in (r["so_lhhtx"], p["so_lhhtx"], r["so_lhhtx_moi"]) and r["so_lhhtx"] - p["so_lhhtx"] > r["so_lhhtx_moi"]:
            errs.append(f"{c}-{y} so_lhhtx grew by more than so_lhhtx_moi")
    say(not errs and checked > 0, f"{name}: stock(t) = stock(t-1) + new - dissolved", " ".join(errs[:6]))
    errs = []
    for (c, y), r in by.items():
        if None not in (r["htx_tot"], r["htx_kha"], r["htx_hieu_qua"]) and r["htx_hieu_qua"] != r["htx_tot"] + r["htx_kha"]:
            errs.append(f"{c}-{y} hieu_qua")
        parts = [r[k] for k in ("htx_tot", "htx_kha", "htx_trung_binh", "htx_yeu")]
        if None not in parts and r["htx_danh_gia"] is not None and sum(parts) != r["htx_danh_gia"]:
            errs.append(f"{c}-{y} danh_gia")
        if None not in (r["tv_htx"], r["tv_tht"], r["thanh_vien"]) and r["thanh_vien"] != r["tv_htx"] + r["tv_tht"]:
            errs.append(f"{c}-{y} thanh_vien")
    say(not errs, f"{name}: hieu_qua = tot + kha, danh_gia = sum of classes, thanh_vien = tv_htx + tv_tht", " ".join(errs[:6]))
identities(T63, "63")
identities(T34, "34")

# --- rules.csv holds on both tables
rules, _ = load("input/rules.csv")
errs = []
for T, name in ((T63, "63"), (T34, "34")):
    for r in T:
        for ru in rules:
            a = r.get(ru["left"])
            b = r.get(ru["right"]) if ru["right"] in r else float(ru["right"])
            if a is None or b is None:
                continue
            ok = {"<=": a <= b, "<": a < b, ">=": a >= b, ">": a > b, "=": a == b}[ru["op"]]
            if not ok:
                errs.append(f"{name}:{r['ma_tinh']}-{r['nam']} {ru['left']}{ru['op']}{ru['right']}")
say(not errs and len(rules) >= 10, "rules.csv holds", " ".join(errs[:6]))
errs = []
for T in (T63, T34):
    for r in T:
        for c, v in r.items():
            d = cols[c]
            if v is None or c not in numeric:
                continue
            if d["min"] and v < float(d["min"]) or d["max"] and v > float(d["max"]):
                errs.append(f"{r['ma_tinh']}-{r['nam']} {c}")
say(not errs, "dictionary min/max hold", " ".join(errs[:6]))

# --- missing cells exist, but never in seed figures
empties = sum(1 for r in T63 + T34 for c, v in r.items() if v in (None, ""))
say(empties >= 20, "some cells are not reported (empty)", f"{empties}")

# --- targets
kinds = {"absolute", "share_pct", "growth_pct", "ratio", "exact"}
for name, stat, yrs in (("63", T63, range(2019, 2025)), ("34", T34, (2025, 2026))):
    tg, vn = load(f"input/chi_tieu_{name}.csv")
    units = {r["ma_tinh"] for r in stat}
    errs = [f"{r['ma_tinh']}-{r['nam']}-{r['chi_tieu']}" for r in tg
            if r["chi_tieu"] not in numeric or r["loai"] not in kinds or num(r["min"], vn) is None
            or r["ma_tinh"] not in units]
    say(not errs, f"chi_tieu_{name}: valid rows", " ".join(errs[:5]))
    have = {(r["ma_tinh"], int(r["nam"])) for r in tg}
    say(have == {(u, y) for u in units for y in yrs}, f"chi_tieu_{name}: every unit and year {min(yrs)}-{max(yrs)}")
tg, _ = load("input/chi_tieu_63.csv")
nb = {r["chi_tieu"]: r for r in tg if r["ma_tinh"] == "37" and r["nam"] == "2023"}
say(nb.get("so_htx_moi", {}).get("min") == "25" and nb.get("htx_hieu_qua", {}).get("min") == "75",
    "seed plan Ninh Bình 2023 (>= 25 HTX, >= 75 % effective)")

# --- README documents every statistics column
readme = open("input/README.md", encoding="utf-8").read()
head = open("input/htx_tinh_34.csv", encoding="utf-8").readline().strip().split(",")
say(all(f"`{c}`" in readme for c in head), "input/README.md lists every statistics column",
    " ".join(c for c in head if f"`{c}`" not in readme))

# --- narratives
heads = ["### Kết quả nổi bật", "### Tồn tại, hạn chế", "### Nguyên nhân", "### Nhiệm vụ, giải pháp"]
errs = []
ns = glob.glob("input/narratives/*.md")
for f in ns:
    h = [l.rstrip("\n") for l in open(f, encoding="utf-8") if l.startswith("#")]
    if h != heads:
        errs.append(os.path.basename(f))
    if not re.fullmatch(r"\d\d-20\d\d\.md", os.path.basename(f)):
        errs.append("name " + f)
say(not errs, "narratives have exactly the four sections", " ".join(errs[:5]))
need = ["37-2022", "19-2018", "20-2024", "95-2021", "22-2022"]
say(all(os.path.exists(f"input/narratives/{n}.md") for n in need), "seed narratives present")
t = open("input/narratives/37-2022.md", encoding="utf-8").read()
say(all(s in t for s in ("468 HTX", "512 tổ hợp tác", "337.082", "5.500 triệu đồng")), "Ninh Bình 2022 narrative cites the seed figures")
EOF
st=$?
if [ $st -ne 0 ]; then bad "python checks crashed"; sed 's/^/  | /' "$E2E_TMP/results" | tail -20; fi
while read -r verdict rest; do
    case "$verdict" in
        ok) ok ;;
        bad) bad "$rest" ;;
    esac
done <"$E2E_TMP/results"
finish
