#!/usr/bin/env python3
"""Checks page 1, the page numbers, the signature and the bookmarks of an annual report in the
Nghị định 30 layout, from the PDF itself: `pdftohtml -xml` gives every text line with its
position, size and face (and the outline); a 72 dpi grey render gives the rules.
Used by tests/e2e/templates.sh.

Usage: templates_page1.py REPORT.pdf [--body-only]
(--body-only: a plain document without the header: page, body and page-number checks only)
Prints one line per check ("ok NAME" / "FAIL NAME: why" / "SKIP NAME: why") and exits 0.
Coordinates are PDF points from the top-left corner of the page.
"""
import re
import subprocess
import sys

MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM
M_TOP, M_BOTTOM, M_LEFT, M_RIGHT = 20 * MM, 20 * MM, 30 * MM, 15 * MM
TEXT_L, TEXT_R = M_LEFT, PAGE_W - M_RIGHT
# Mẫu 1.4: header columns 67,5 mm | 100 mm, shifted 3,5 mm left of the text area.
COL1 = (TEXT_L - 3.5 * MM, TEXT_L - 3.5 * MM + 67.5 * MM)
COL2 = (COL1[1], COL1[1] + 100 * MM)
INDENT = 10 * MM

results = []


def check(name, cond, why=""):
    results.append(("ok " + name) if cond else ("FAIL %s: %s" % (name, why)))


def skip(name, why):
    results.append("SKIP %s: %s" % (name, why))


def pages(pdf):
    xml = subprocess.run(["pdftohtml", "-xml", "-i", "-stdout", "-zoom", "1", pdf],
                         capture_output=True, text=True, check=True).stdout
    out, fonts = [], {}  # font ids are numbered across pages
    for pm in re.finditer(r'<page number="(\d+)"[^>]*>(.*?)</page>', xml, re.S):
        lines = []
        for f in re.finditer(r'<fontspec id="(\d+)" size="([\d.]+)" family="([^"]*)"', pm.group(2)):
            fonts[f.group(1)] = (float(f.group(2)), f.group(3))
        for t in re.finditer(r'<text top="([\d.-]+)" left="([\d.-]+)" width="([\d.-]+)" '
                             r'height="([\d.-]+)" font="(\d+)">(.*?)</text>', pm.group(2)):
            inner = t.group(6)
            text = re.sub(r"<[^>]+>", "", inner).replace("&amp;", "&").strip()
            size, family = fonts[t.group(5)]
            lines.append({
                "top": float(t.group(1)), "left": float(t.group(2)),
                "width": float(t.group(3)), "height": float(t.group(4)),
                "size": size, "family": family, "text": text,
                "bold": "<b>" in inner or "Bold" in family,
                "italic": "<i>" in inner or "Italic" in family,
            })
        out.append(lines)
    return out


def find(lines, pattern):
    for ln in lines:
        if re.search(pattern, ln["text"]):
            return ln
    return None


def centre(ln):
    return ln["left"] + ln["width"] / 2


def grey_rows(pdf):
    """Page 1 at 72 dpi, grey: a list of rows of bytes (1 px = 1 pt)."""
    pgm = subprocess.run(["pdftoppm", "-r", "72", "-gray", "-f", "1", "-l", "1", pdf],
                         capture_output=True, check=True).stdout
    m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", pgm)
    w, h = int(m.group(1)), int(m.group(2))
    data = pgm[m.end():]
    return [data[y * w:(y + 1) * w] for y in range(h)]


def longest_dark_run(rows, y0, y1, x0, x1):
    """(length, start, y) of the longest horizontal run of dark pixels in the box."""
    best = (0, 0, 0)
    for y in range(max(0, int(y0)), min(len(rows), int(y1) + 1)):
        row, run = rows[y], 0
        for x in range(max(0, int(x0)), min(len(row), int(x1) + 1)):
            if row[x] < 128:
                run += 1
                if run > best[0]:
                    best = (run, x - run + 1, y)
            else:
                run = 0
    return best


def main(pdf, body_only=False):
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
    m = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info)
    check("A4 portrait", m and abs(float(m.group(1)) - PAGE_W) < 1 and
          abs(float(m.group(2)) - PAGE_H) < 1, m.group(0) if m else info)
    ps = pages(pdf)
    p1 = ps[0]
    if body_only:
        body_checks(ps, 0)
        return

    chu_quan = find(p1, r"^LIÊN MINH HTX VIỆT NAM$")
    co_quan = find(p1, r"^LIÊN MINH HỢP TÁC XÃ")
    quoc_hieu = find(p1, r"^CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM$")
    tieu_ngu = find(p1, r"^Độc lập - Tự do - Hạnh phúc$")
    so = find(p1, r"^Số: \d\d/BC-LMHTX$")
    ngay = find(p1, r"^Ninh Bình, ngày 06 tháng 01 năm 2023$")
    ten_loai = find(p1, r"^BÁO CÁO$")
    trich_yeu = find(p1, r"^Tổng kết công tác năm 2022, phương hướng nhiệm vụ năm 2023$")
    for name, ln in [("managing body", chu_quan), ("issuing body", co_quan),
                     ("Quốc hiệu", quoc_hieu), ("Tiêu ngữ", tieu_ngu), ("Số", so),
                     ("place and date", ngay), ("BÁO CÁO", ten_loai),
                     ("trích yếu", trich_yeu)]:
        check("page 1 has the " + name, ln is not None, "not found")
    if None in (chu_quan, co_quan, quoc_hieu, tieu_ngu, so, ngay, ten_loai, trich_yeu):
        return

    # Sizes and faces (domain.md §1.2; Mẫu 1.4's pairing: 13 / 13 bold / 13 bold / 14 bold).
    def face(name, ln, size, bold, italic=False):
        check(name + " %g pt" % size, abs(ln["size"] - size) < 0.6, "size %g" % ln["size"])
        check(name + (" bold" if bold else " not bold"), ln["bold"] == bold, ln["family"])
        check(name + (" italic" if italic else " upright"), ln["italic"] == italic, ln["family"])
    face("managing body", chu_quan, 13, False)
    face("issuing body", co_quan, 13, True)
    face("Quốc hiệu", quoc_hieu, 13, True)
    face("Tiêu ngữ", tieu_ngu, 14, True)
    face("Số", so, 13, False)
    face("place and date", ngay, 14, False, True)
    face("BÁO CÁO", ten_loai, 14, True)
    face("trích yếu", trich_yeu, 14, True)

    # Vertical order: managing body over issuing body; Quốc hiệu over Tiêu ngữ; then Số and
    # the date; then the title.
    check("issuing body under the managing body", co_quan["top"] > chu_quan["top"])
    check("Tiêu ngữ under the Quốc hiệu", tieu_ngu["top"] > quoc_hieu["top"])
    check("title under the header", ten_loai["top"] > max(so["top"], ngay["top"]))
    check("trích yếu under BÁO CÁO", trich_yeu["top"] > ten_loai["top"])
    check("header starts at the top margin", abs(min(chu_quan["top"], quoc_hieu["top"]) - M_TOP) < 6,
          "first line top %.1f, margin %.1f" % (min(chu_quan["top"], quoc_hieu["top"]), M_TOP))
    check("title centred on the text area", abs(centre(ten_loai) - (TEXT_L + TEXT_R) / 2) < 3,
          "centre %.1f" % centre(ten_loai))
    check("trích yếu centred", abs(centre(trich_yeu) - (TEXT_L + TEXT_R) / 2) < 3,
          "centre %.1f" % centre(trich_yeu))

    two_columns = abs(chu_quan["top"] - quoc_hieu["top"]) < 4
    if not two_columns:
        skip("header table", "the header's two columns are stacked (tables not laid out "
             "side by side by this build): column checks skipped")
    else:
        c1, c2 = (COL1[0] + COL1[1]) / 2, (COL2[0] + COL2[1]) / 2
        for name, ln, c in [("managing body", chu_quan, c1), ("issuing body", co_quan, c1),
                            ("Số", so, c1), ("Quốc hiệu", quoc_hieu, c2),
                            ("Tiêu ngữ", tieu_ngu, c2), ("place and date", ngay, c2)]:
            check(name + " centred in its column", abs(centre(ln) - c) < 3,
                  "centre %.1f, column centre %.1f" % (centre(ln), c))
        check("Quốc hiệu within the right column", quoc_hieu["left"] >= COL2[0] - 1 and
              quoc_hieu["left"] + quoc_hieu["width"] <= COL2[1] + 1)
        base_so, base_ngay = so["top"] + so["height"], ngay["top"] + ngay["height"]
        check("Số level with the place and date", abs(base_so - base_ngay) < 3,
              "bottoms %.1f and %.1f" % (base_so, base_ngay))
        rows = grey_rows(pdf)
        # The rule under the Tiêu ngữ: as long as its line (±3 pt), between it and the date.
        run, x, y = longest_dark_run(rows, tieu_ngu["top"] + tieu_ngu["height"] - 4,
                                     ngay["top"] - 1, COL2[0], COL2[1])
        check("rule under the Tiêu ngữ as long as its line", abs(run - tieu_ngu["width"]) < 4,
              "rule %d pt, line %.1f pt" % (run, tieu_ngu["width"]))
        check("rule under the Tiêu ngữ centred", abs(x + run / 2 - centre(tieu_ngu)) < 3)
        # The rule under the issuing body: a third to a half of its line, centred.
        lines_co_quan = [ln for ln in p1 if ln["bold"] and COL1[0] - 2 <= ln["left"] < COL1[1]
                         and co_quan["top"] <= ln["top"] < so["top"]]
        bottom = max(ln["top"] + ln["height"] for ln in lines_co_quan)
        widest = max(ln["width"] for ln in lines_co_quan)
        run, x, y = longest_dark_run(rows, bottom - 2, so["top"] - 1, COL1[0], COL1[1])
        check("rule under the issuing body 1/3–1/2 of its line",
              widest / 3 - 3 <= run <= widest / 2 + 3, "rule %d pt, line %.1f pt" % (run, widest))
        check("rule under the issuing body centred", abs(x + run / 2 - centre(co_quan)) < 4)

    body_checks(ps, trich_yeu["top"] + 10)

    # Signature block (the report's last page, before the appendix "Phụ lục" on its landscape
    # page): Nơi nhận 12 pt bold italic, its list 11 pt, the last line "- Lưu: …."; TM. BAN
    # THƯỜNG VỤ / CHỦ TỊCH bold upper case; the body ends with "./.".
    body_pages = ps
    for i, pg in enumerate(ps):
        if i > 0 and find(pg, r"^Phụ lục$") is not None:
            body_pages = ps[:i]
            break
    check("appendix after the report's pages", len(body_pages) < len(ps),
          "no page starts with Phụ lục")
    last = body_pages[-1]
    nn = find(last, r"^Nơi nhận:$")
    luu = find(last, r"^- Lưu: .*\.$")
    tm = find(last, r"^TM\. BAN THƯỜNG VỤ$")
    ct = find(last, r"^CHỦ TỊCH$")
    check("signature block on the last page", None not in (nn, luu, tm, ct),
          "Nơi nhận %s, Lưu %s, TM %s, CHỦ TỊCH %s" % (nn is not None, luu is not None,
                                                    tm is not None, ct is not None))
    if None not in (nn, luu, tm, ct):
        check("Nơi nhận 12 pt bold italic", abs(nn["size"] - 12) < 0.6 and nn["bold"] and
              nn["italic"], "%g %s" % (nn["size"], nn["family"]))
        check("recipients 11 pt upright", abs(luu["size"] - 11) < 0.6 and not luu["bold"] and
              not luu["italic"], "%g %s" % (luu["size"], luu["family"]))
        check("TM. BAN THƯỜNG VỤ and CHỦ TỊCH bold 13–14 pt", tm["bold"] and ct["bold"] and
              12.5 <= tm["size"] <= 14.5 and ct["top"] > tm["top"])
        if two_columns:
            check("Nơi nhận level with TM. BAN THƯỜNG VỤ", abs(nn["top"] - tm["top"]) < 4,
                  "tops %.1f and %.1f" % (nn["top"], tm["top"]))
            check("Nơi nhận flush left, TM. in the right column",
                  abs(nn["left"] - TEXT_L) < 2 and centre(tm) > TEXT_L + 52.8 * MM,
                  "left %.1f, centre %.1f" % (nn["left"], centre(tm)))
        # the last body line before the signature, on this page or the one before
        above = sorted((ln for ln in last if M_TOP - 1 < ln["top"] < min(nn["top"], tm["top"]) - 2),
                       key=lambda ln: ln["top"])
        if not above and len(body_pages) > 1:
            above = sorted((ln for ln in body_pages[-2] if ln["top"] > M_TOP - 1), key=lambda ln: ln["top"])
        check("the body ends with ./.", bool(above) and above[-1]["text"].endswith("./."),
              above[-1]["text"][-30:] if above else "no body before the signature")

    # Bookmarks: the title, the sections I.–V. in order, their subsections.
    xml = subprocess.run(["pdftohtml", "-xml", "-i", "-stdout", "-zoom", "1", pdf],
                         capture_output=True, text=True).stdout
    items = re.findall(r'<item page="\d+">([^<]*)</item>', xml)
    roman = [i.split(".")[0] for i in items if re.match(r"(I|II|III|IV|V)\. ", i)]
    check("bookmarks: sections I.–V. in order", roman == ["I", "II", "III", "IV", "V"],
          "found %s" % roman)
    check("bookmarks: subsections", sum(1 for i in items if re.match(r"\d\. ", i)) >= 10,
          "%d items" % len(items))


def body_checks(ps, below):
    """Body text of page 1 under BELOW, and the page numbers."""
    p1 = ps[0]
    # Body: 14 pt, justified between the margins, first-line indent 1 cm.
    body = [ln for ln in p1 if ln["top"] > below and not ln["bold"]
            and abs(ln["size"] - 14) < 0.6]
    check("body text on page 1", len(body) >= 5, "%d lines" % len(body))
    if body:
        lefts = sorted(set(round(ln["left"]) for ln in body))
        check("left margin 30 mm", any(abs(l - TEXT_L) < 1.5 for l in lefts), "lefts %s" % lefts)
        check("no body line left of the margin", min(ln["left"] for ln in body) > TEXT_L - 1.5)
        check("first-line indent 1 cm", any(abs(l - (TEXT_L + INDENT)) < 1.5 for l in lefts),
              "lefts %s" % lefts)
        rights = [ln["left"] + ln["width"] for ln in body]
        check("right margin 15 mm (justified lines end there)",
              sum(1 for r in rights if abs(r - TEXT_R) < 2) >= 3 and max(rights) < TEXT_R + 2,
              "max right %.1f, margin at %.1f" % (max(rights), TEXT_R))
        check("bottom margin 20 mm", max(ln["top"] + ln["height"] for ln in p1) < PAGE_H - M_BOTTOM + 2)
        # Line height between single (1,15 em) and 1,5 lines; at least 6 pt between paragraphs.
        tops = sorted(ln["top"] for ln in body)
        gaps = [b - a for a, b in zip(tops, tops[1:]) if b - a > 1]
        if gaps:
            step = min(gaps)
            check("line spacing between single and 1,5", 14 * 1.1 <= step <= 14 * 1.5 + 0.5,
                  "baseline step %.1f pt" % step)
            check("6 pt between paragraphs", any(step + 5.5 <= g <= step + 12 for g in gaps),
                  "gaps %s" % sorted(set(round(g) for g in gaps)))

    # Page numbers: none on page 1, Arabic and centred in the top margin from page 2.
    check("no page number on page 1",
          not any(ln["top"] < M_TOP - 2 and re.fullmatch(r"\d+", ln["text"]) for ln in p1))
    check("report has at least 2 pages", len(ps) >= 2, "%d pages" % len(ps))
    for i, pg in enumerate(ps[1:3], start=2):
        num = [ln for ln in pg if ln["text"] == str(i) and ln["top"] < M_TOP]
        check("page number %d in the top margin" % i, len(num) == 1,
              "lines above the margin: %s" % [ln["text"] for ln in pg if ln["top"] < M_TOP])
        if num:
            check("page number %d centred, 13–14 pt, upright" % i,
                  abs(centre(num[0]) - (TEXT_L + TEXT_R) / 2) < 3 and
                  12.5 <= num[0]["size"] <= 14.5 and not num[0]["bold"] and not num[0]["italic"],
                  "centre %.1f size %g" % (centre(num[0]), num[0]["size"]))


if __name__ == "__main__":
    try:
        main(sys.argv[1], "--body-only" in sys.argv[2:])
    except Exception as e:  # a crash is a failure, not a skip
        results.append("FAIL checker: %r" % e)
    print("\n".join(results))
