"""Narrative sections for the sample data set (used by tools/gen-sample.py).

Every narrative has exactly four level-3 sections — Kết quả nổi bật, Tồn tại, hạn chế,
Nguyên nhân, Nhiệm vụ, giải pháp — so templates can pick them by heading.  The seed provinces'
narratives are written by hand (figures from the seed articles, wording new); the others are
assembled from sentence templates, and every number they print is read from the same rows the
CSV files are written from, so text and tables cannot disagree.
"""
import random

HEADS = ["### Kết quả nổi bật", "### Tồn tại, hạn chế", "### Nguyên nhân", "### Nhiệm vụ, giải pháp"]
CITIES63 = CITIES34 = set()   # centrally-run cities: set by tools/gen-sample.py (one list)


def num(v, d=0):
    s = f"{abs(v):.{d}f}"
    whole, _, frac = s.partition(".")
    g = []
    while len(whole) > 3:
        g.insert(0, whole[-3:])
        whole = whole[:-3]
    g.insert(0, whole)
    return ("-" if v < 0 else "") + ".".join(g) + ("," + frac if frac else "")


def n2(v):
    return f"{v:02d}" if 0 <= v < 10 else num(v)


def ty(trieu):
    """36520 triệu → '36,52 tỷ đồng'."""
    s = f"{trieu / 1000.0:.2f}".rstrip("0").rstrip(".")
    return s.replace(".", ",") + " tỷ đồng"


def lower1(s):
    return s[0].lower() + s[1:]


def pct(a, b):
    return num(100.0 * a / b, 1) + "%"


def place(code, name, new_set):
    """How a unit's own report names it: "tỉnh X" / "toàn tỉnh", and for a centrally-run city
    "Thành phố X" / "toàn Thành phố" as the cap_don_vi column and the templates write it."""
    cities = CITIES34 if new_set else CITIES63
    if code == "01":
        return "Thủ đô Hà Nội", "toàn Thành phố"
    if code in cities:
        return "Thành phố " + name, "toàn Thành phố"
    return "tỉnh " + name, "toàn tỉnh"


def doc(parts):
    out = []
    for head, paras in zip(HEADS, parts):
        out.append(head)
        out.append("")
        for i, p in enumerate(paras):
            out.append(p)
            tight = p.startswith("- ") and i + 1 < len(paras) and paras[i + 1].startswith("- ")
            if not tight:
                out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def change(cur, prev, unit):
    d = cur - prev
    if d > 0:
        return f"tăng {num(d)} {unit} so với năm trước"
    if d < 0:
        return f"giảm {num(-d)} {unit} so với năm trước"
    return "không đổi so với năm trước"


# ------------------------------------------------------------------ template narratives
WEAK = [
    "Phần lớn HTX có quy mô nhỏ, vốn điều lệ thấp, cơ sở vật chất còn thiếu; khả năng huy động vốn góp của thành viên hạn chế.",
    "Năng lực quản trị, điều hành của một bộ phận cán bộ quản lý HTX chưa đáp ứng yêu cầu; công tác kế toán, lập phương án sản xuất, kinh doanh còn lúng túng.",
    "Việc ứng dụng khoa học công nghệ, chuyển đổi số trong sản xuất, quản lý và tiêu thụ sản phẩm còn chậm, chủ yếu ở các HTX có quy mô khá.",
    "Liên kết giữa HTX với doanh nghiệp trong sản xuất, tiêu thụ chưa bền vững; nhiều sản phẩm chưa có nhãn hiệu, mã vùng trồng, truy xuất nguồn gốc.",
    "Khả năng tiếp cận các nguồn vốn tín dụng ưu đãi của HTX còn khó khăn do thiếu tài sản bảo đảm và phương án vay vốn khả thi.",
    "Một số HTX chưa thực hiện đầy đủ quy định về đăng ký thuế, hóa đơn điện tử, báo cáo tài chính và chế độ báo cáo định kỳ.",
]
CAUSE_OBJ = [
    "Giá vật tư đầu vào, chi phí logistics tăng cao; thời tiết diễn biến bất thường ảnh hưởng trực tiếp đến sản xuất nông nghiệp.",
    "Thị trường tiêu thụ nông sản biến động, sức mua giảm, yêu cầu về chất lượng và truy xuất nguồn gốc ngày càng cao.",
    "Một số cơ chế, chính sách hỗ trợ HTX chậm được hướng dẫn, nguồn lực bố trí còn hạn chế so với nhu cầu.",
]
CAUSE_SUBJ = [
    "Nhận thức của một bộ phận cán bộ, người dân về mô hình HTX kiểu mới chưa đầy đủ, còn tâm lý e ngại khi tham gia.",
    "Công tác phối hợp giữa các cơ quan, đơn vị trong hỗ trợ, kiểm tra, giám sát HTX có lúc chưa chặt chẽ, thường xuyên.",
    "Đội ngũ cán bộ làm công tác kinh tế tập thể ở cơ sở còn mỏng, kiêm nhiệm nhiều việc.",
    "Bản thân nhiều HTX chưa chủ động đổi mới phương thức hoạt động, còn trông chờ vào sự hỗ trợ của Nhà nước.",
]
TASKS = [
    "Đẩy mạnh tuyên truyền chủ trương, chính sách của Đảng, pháp luật của Nhà nước về kinh tế tập thể, Luật Hợp tác xã năm 2023 và các văn bản hướng dẫn.",
    "Tư vấn, hỗ trợ thành lập mới HTX, tổ hợp tác gắn với sản phẩm chủ lực, sản phẩm OCOP của địa phương; củng cố, nâng cao chất lượng các HTX hiện có.",
    "Tổ chức các lớp tập huấn, bồi dưỡng nâng cao năng lực quản trị, kế toán, chuyển đổi số cho cán bộ quản lý và thành viên HTX.",
    "Phát triển các mô hình HTX sản xuất theo chuỗi giá trị, ứng dụng công nghệ cao; hỗ trợ xây dựng nhãn hiệu, truy xuất nguồn gốc và xúc tiến thương mại.",
    "Nâng cao hiệu quả hoạt động của Quỹ hỗ trợ phát triển HTX; tham mưu bổ sung vốn điều lệ, mở rộng đối tượng được vay vốn.",
    "Rà soát, hướng dẫn giải thể các HTX ngừng hoạt động, chỉ còn trên danh nghĩa; khuyến khích hợp nhất, sáp nhập HTX cùng ngành nghề, địa bàn.",
]


def template(code, name, y, r, p, new_set, merged_from=None, plans=None):
    rng = random.Random(f"{code}-{y}")
    where, whole = place(code, name, new_set)
    res = []
    s = (f"Năm {y}, khu vực kinh tế tập thể, hợp tác xã trên địa bàn {where} tiếp tục được "
         f"củng cố và phát triển. Đến {r['_date']}, {whole} có {num(r['so_htx'])} HTX "
         f"({change(r['so_htx'], p['so_htx'], 'HTX')})"
         + (f", {n2(r['so_lhhtx'])} Liên hiệp HTX và " if r["so_lhhtx"] else " và ")
         + f"{num(r['so_tht'])} tổ hợp tác")
    if r["thanh_vien"] is not None:
        s += f", thu hút {num(r['thanh_vien'])} thành viên"
    s += "."
    if r["so_htx_moi"] is not None and r["so_htx_giai_the"] is not None:
        s += (f" Trong năm đã thành lập mới {n2(r['so_htx_moi'])} HTX"
              + (f", {n2(r['so_tht_moi'])} tổ hợp tác" if r["so_tht_moi"] is not None else "")
              + (f"; giải thể {n2(r['so_htx_giai_the'])} HTX ngừng hoạt động." if r["so_htx_giai_the"]
                 else "; không có HTX giải thể."))
    if merged_from:
        s += f" Số liệu so sánh năm trước là số liệu quy đổi, cộng từ số liệu của {merged_from} trước khi hợp nhất."
    res.append(s)
    s = ""
    if r["doanh_thu_bq"] is not None:
        s = f"Doanh thu bình quân đạt {num(r['doanh_thu_bq'])} triệu đồng/HTX"
        if p["doanh_thu_bq"]:
            s += f" ({change(r['doanh_thu_bq'], p['doanh_thu_bq'], 'triệu đồng')})"
        if r["lai_bq"] is not None:
            s += f", lãi bình quân {num(r['lai_bq'], 1)} triệu đồng/HTX"
        s += "."
    if r["thu_nhap_bq"] is not None:
        s += f" Thu nhập bình quân của thành viên, người lao động đạt {num(r['thu_nhap_bq'], 1)} triệu đồng/người/năm."
    if r["htx_hieu_qua"] is not None:
        s += (f" Số HTX hoạt động hiệu quả là {num(r['htx_hieu_qua'])} HTX, chiếm "
              f"{pct(r['htx_hieu_qua'], r['so_htx'])} tổng số HTX")
        if r["htx_tot"] is not None:
            s += f" (loại tốt {n2(r['htx_tot'])} HTX, loại khá {n2(r['htx_kha'])} HTX)"
        s += "."
    if s:
        res.append(s.strip())
    s = f"Có {n2(r['htx_chuoi'])} HTX sản xuất, kinh doanh gắn với chuỗi giá trị"
    if r["htx_cong_nghe_cao"] is not None:
        s += f", {n2(r['htx_cong_nghe_cao'])} HTX ứng dụng công nghệ cao"
    if r["htx_chuyen_doi_so"] is not None:
        s += f", {n2(r['htx_chuyen_doi_so'])} HTX ứng dụng chuyển đổi số trong quản lý, bán hàng"
    s += "."
    if r["ocop_3sao"] is not None:
        s += (f" Các HTX có {n2(r['ocop_3sao'])} sản phẩm OCOP đạt 3 sao, {n2(r['ocop_4sao'])} sản phẩm đạt 4 sao"
              + (f" và {n2(r['ocop_5sao'])} sản phẩm đạt 5 sao" if r["ocop_5sao"] else "") + ".")
    res.append(s)
    s = ""
    if r["quy_von_dieu_le"] is not None:
        s = (f"Quỹ hỗ trợ phát triển HTX có vốn điều lệ {ty(r['quy_von_dieu_le'])}, dư nợ cho vay "
             f"{ty(r['quy_du_no'])} với {n2(r['quy_htx_vay'])} HTX đang vay vốn.")
    if r["lop_tap_huan"] is not None:
        s += (f" Liên minh HTX đã tổ chức {n2(r['lop_tap_huan'])} lớp tập huấn, bồi dưỡng, hội nghị tuyên truyền "
              f"với {num(r['luot_tap_huan'])} lượt người tham dự.")
    if s:
        res.append(s.strip())

    weak = []
    if r["htx_yeu"]:
        weak.append(f"Vẫn còn {n2(r['htx_yeu'])} HTX xếp loại yếu và {num(r['htx_trung_binh'])} HTX xếp loại trung bình; "
                    f"{num(r['so_htx'] - r['so_htx_hoat_dong'])} HTX ngừng hoạt động nhưng chưa hoàn tất thủ tục giải thể.")
    if p["so_tht"] and r["so_tht"] < p["so_tht"]:
        weak.append(f"Số tổ hợp tác giảm {num(p['so_tht'] - r['so_tht'])} so với năm trước do nhiều tổ hợp tác hết thời hạn hợp đồng hợp tác, "
                    "giải thể hoặc chuyển đổi thành HTX.")
    weak += rng.sample(WEAK, 2)
    cause = ["Nguyên nhân khách quan: " + lower1(rng.choice(CAUSE_OBJ)),
             "Nguyên nhân chủ quan: " + lower1(" ".join(rng.sample(CAUSE_SUBJ, 2)))]
    tasks = rng.sample(TASKS, 4)
    if plans:
        tasks.insert(0, f"Phấn đấu năm {y + 1}: " + "; ".join(lower1(t) for t in plans) + ".")
    if y == 2024 and not new_set:
        tasks.append("Chuẩn bị các điều kiện để sắp xếp, kiện toàn tổ chức Liên minh HTX và bàn giao hồ sơ, số liệu "
                     "theo phương án sắp xếp đơn vị hành chính cấp tỉnh từ ngày 01/7/2025.")
    return doc([res, ["- " + w for w in weak], ["- " + c for c in cause], ["- " + t for t in tasks]])


# ------------------------------------------------------------------ hand-written (seed provinces)
def ninh_binh_2022(r, p):
    return doc([
        [f"Năm 2022, kinh tế tập thể, hợp tác xã tỉnh Ninh Bình giữ được đà phát triển cả về số lượng và "
         f"chất lượng. Đến cuối năm, toàn tỉnh có 02 Liên hiệp HTX, 468 HTX và 512 tổ hợp tác với 337.082 "
         f"thành viên; trong năm thành lập mới 39 HTX và 27 tổ hợp tác, số HTX "
         f"{change(r['so_htx'], p['so_htx'], 'HTX')}.",
         "Doanh thu bình quân đạt trên 5.500 triệu đồng/HTX; thu nhập của thành viên và người lao động "
         "từng bước được cải thiện nhờ cấp ủy, chính quyền các cấp quan tâm chỉ đạo và triển khai kịp thời các "
         "chính sách hỗ trợ.",
         "Đã có 68 HTX và 02 Liên hiệp HTX sản xuất, kinh doanh gắn với chuỗi giá trị; nổi bật là các chuỗi "
         "dược liệu, rau củ quả an toàn, chăn nuôi dê, gà, lợn thảo dược và gạo chất lượng cao. Tham gia chuỗi "
         "giúp thành viên giảm chi phí đầu vào, nâng chất lượng sản phẩm, giá bán và thu nhập tăng trên 25%."],
        ["- Năng lực tài chính của phần lớn HTX còn yếu, sức cạnh tranh thấp; trình độ quản trị chưa theo kịp yêu cầu.",
         "- Việc đưa công nghệ cao, công nghệ số vào sản xuất và mở rộng thị trường tiêu thụ của HTX còn chậm.",
         "- Một số HTX chưa thực hiện đầy đủ quy định của Luật về đăng ký thuế, sử dụng hóa đơn điện tử.",
         "- Còn thiếu máy móc, thiết bị, hạ tầng sản xuất; thủ tục chứng nhận tiêu chuẩn chất lượng sản phẩm, "
         "dịch vụ kéo dài, gây khó khăn cho HTX."],
        ["- Nguyên nhân khách quan: giá vật tư đầu vào tăng, thị trường tiêu thụ biến động sau dịch bệnh; nguồn lực "
         "hỗ trợ của Nhà nước chưa đáp ứng nhu cầu.",
         "- Nguyên nhân chủ quan: nhiều HTX nông nghiệp có quy mô liên thôn, diện tích sản xuất nhỏ; một bộ phận "
         "cán bộ quản lý HTX chưa chủ động đổi mới phương thức hoạt động, liên kết với doanh nghiệp."],
        ["- Củng cố, đổi mới kinh tế tập thể theo chiều sâu, bảo đảm nguyên tắc và giá trị HTX; thu hút thêm hộ "
         "cá thể, các thành phần kinh tế tham gia HTX.",
         "- Phấn đấu năm 2023: thành lập mới ít nhất 25 HTX, 25 tổ hợp tác; tỷ lệ HTX sản xuất, kinh doanh có hiệu "
         "quả đạt từ 75% trở lên; bồi dưỡng, tập huấn ít nhất 300 lượt cán bộ, công chức, viên chức và 500 lượt "
         "cán bộ quản lý, chuyên môn nghiệp vụ HTX.",
         "- Sáp nhập, hợp nhất các HTX nông nghiệp quy mô liên thôn, diện tích dưới 100 ha hoạt động kém hiệu quả "
         "thành HTX quy mô toàn xã; giải thể ít nhất 60% số HTX đã ngừng hoạt động.",
         "- Hỗ trợ ít nhất 50 HTX thụ hưởng chính sách về hạ tầng, khuyến công, xúc tiến thương mại, nhãn hiệu; "
         "xây dựng ít nhất 05 mô hình kinh tế tập thể có ứng dụng công nghệ cao, chuyển đổi số và sản phẩm thuộc "
         "chuỗi giá trị.",
         "- Đẩy mạnh cho vay của Quỹ hỗ trợ phát triển HTX, tham mưu bổ sung nguồn vốn, phấn đấu thêm ít nhất 20% "
         "tổ chức kinh tế tập thể được tiếp cận vốn vay ưu đãi."],
    ])


def thai_nguyen_2018(r, p):
    return doc([
        ["Năm 2018 đánh dấu bước phát triển mới của Liên minh HTX tỉnh Thái Nguyên với việc tổ chức thành công "
         "Đại hội đại biểu lần thứ V, nhiệm kỳ 2018 - 2023; Ban Chấp hành khóa V gồm 55 thành viên, Ban Thường "
         "vụ 09 thành viên.",
         "Toàn tỉnh thành lập mới 50 HTX, 110 tổ hợp tác và 01 Liên hiệp HTX nông nghiệp, nâng tổng số lên 456 "
         "HTX và 7.260 tổ hợp tác với 210.700 thành viên và người lao động, vượt kế hoạch đề ra.",
         "Các HTX tham gia chuỗi giá trị ngày càng nhiều: trên 40 HTX trong chuỗi sản phẩm chè, 18 HTX trong "
         "chuỗi chăn nuôi và 15 HTX trong các chuỗi trồng trọt, chế biến nông sản; 02 mô hình điểm sản xuất theo "
         "chuỗi được xây dựng với sự hỗ trợ của Liên minh HTX Việt Nam.",
         "Liên minh HTX tỉnh đã tổ chức 38 lớp tư vấn, đào tạo, tuyên truyền, trong đó 18 lớp cho sáng lập viên "
         "với trên 900 lượt người dự. Vốn điều lệ của Quỹ hỗ trợ phát triển HTX tỉnh đạt 36,52 tỷ đồng, ưu tiên "
         "cho vay đối với HTX tại các xã đăng ký đạt chuẩn nông thôn mới."],
        ["- Quy mô của nhiều HTX, tổ hợp tác còn nhỏ; số HTX tham gia chuỗi giá trị mới chiếm một phần nhỏ so "
         "với tổng số.",
         "- Nguồn vốn của Quỹ hỗ trợ phát triển HTX chưa đáp ứng nhu cầu vay của các HTX, thành viên.",
         "- Việc giới thiệu, quảng bá sản phẩm của HTX ra thị trường ngoài tỉnh và nước ngoài mới ở bước đầu."],
        ["- Nguyên nhân khách quan: sản xuất nông nghiệp còn phụ thuộc thời tiết, thị trường; nguồn lực hỗ trợ "
         "còn phân tán.",
         "- Nguyên nhân chủ quan: trình độ quản lý của một số HTX chưa đáp ứng yêu cầu; liên kết giữa HTX với "
         "doanh nghiệp, nhà khoa học chưa chặt chẽ."],
        ["- Triển khai đồng bộ các giải pháp theo Đề án phát triển kinh tế tập thể của tỉnh đến năm 2020 và "
         "chương trình hành động của Liên minh HTX tỉnh sau Đại hội lần thứ V.",
         "- Phấn đấu năm 2019 thành lập mới từ 30 - 35 HTX, trong đó ít nhất 25 HTX nông nghiệp.",
         "- Phát triển HTX kiểu mới theo chuỗi giá trị sản phẩm chủ lực, gắn với làng nghề và các loại hình du lịch "
         "cộng đồng, sinh thái; đẩy mạnh liên kết \"6 nhà\".",
         "- Quản lý, sử dụng hiệu quả nguồn vốn Quỹ hỗ trợ phát triển HTX, kết hợp với các nguồn vốn khác trên "
         "địa bàn để hỗ trợ thành viên phát triển sản xuất."],
    ])


def lang_son_2024(r, p):
    return doc([
        ["Tính đến hết tháng 5/2024, tỉnh Lạng Sơn có 507 HTX, 03 Liên hiệp HTX và 240 tổ hợp tác đăng ký hoạt "
         "động, chủ yếu trong lĩnh vực nông, lâm nghiệp, thủy sản với quy mô nhỏ.",
         "Từ đầu năm, Liên minh HTX tỉnh đã tổ chức 05 hội nghị tuyên truyền về kinh tế tập thể, hướng dẫn "
         "thành lập mới HTX, thu hút gần 400 lượt người, 01 lớp tập huấn về quản trị HTX và hội nghị đối thoại với "
         "các HTX; giới thiệu 02 HTX tham gia dự án hỗ trợ trồng cây dược liệu tại huyện Bình Gia, hỗ trợ 04 HTX "
         "trưng bày sản phẩm tại hội nghị, hội thảo.",
         "Quỹ hỗ trợ phát triển HTX tỉnh có vốn điều lệ 7,5 tỷ đồng, đang cho 18 HTX vay với dư nợ trên 3,6 tỷ "
         "đồng; Liên minh HTX tỉnh còn hướng dẫn 01 HTX vay 4 tỷ đồng từ Quỹ hỗ trợ phát triển HTX Trung ương."],
        ["- HTX thiếu vốn đầu tư mở rộng sản xuất, nhiều đơn vị chưa xây dựng được phương án sản xuất, kinh "
         "doanh phù hợp; chất lượng nguồn nhân lực còn yếu.",
         "- Bộ máy Liên minh HTX tỉnh còn ít cán bộ; phương tiện, trang thiết bị và kinh phí hoạt động hạn chế.",
         "- Việc kiểm tra, khảo sát, đánh giá và tư vấn xây dựng mô hình sản xuất, kinh doanh hiệu quả tại cơ sở "
         "chưa được thực hiện thường xuyên."],
        ["- Nguyên nhân khách quan: thiên tai, dịch bệnh ảnh hưởng đến sản xuất; điều kiện địa hình, hạ tầng "
         "của tỉnh miền núi còn khó khăn.",
         "- Nguyên nhân chủ quan: tính chủ động trong phối hợp giữa Liên minh HTX tỉnh với các sở, ngành chưa cao; "
         "việc kiện toàn bộ máy còn chậm."],
        ["- Siết chặt kỷ luật, kỷ cương hành chính, nâng cao trách nhiệm và chất lượng hỗ trợ HTX, tổ hợp tác; "
         "chủ động đề xuất kiện toàn bộ máy Liên minh HTX tỉnh.",
         "- Phát huy vai trò tham mưu trong hoạt động của Ban Chỉ đạo đổi mới, phát triển doanh nghiệp và nâng "
         "cao hiệu quả kinh tế tập thể.",
         "- Giúp HTX nâng cao trình độ quản trị, đưa nền tảng số vào sản xuất, kinh doanh và mở rộng thị "
         "trường; đôn đốc thực hiện các thỏa thuận đã ký tại hội nghị kết nối tiêu thụ sản phẩm HTX năm 2024.",
         "- Phối hợp chặt chẽ với các sở, ngành trong tháo gỡ khó khăn, vướng mắc của HTX."],
    ])


def bac_lieu_2021(r, p):
    return doc([
        ["Đến cuối năm 2021, tỉnh Bạc Liêu có 191 HTX và 514 tổ hợp tác với hơn 35.571 thành viên; trong đó "
         "47 HTX sản xuất gắn với chuỗi giá trị, phần lớn trong lĩnh vực nông nghiệp.",
         "Kinh tế tập thể được gắn với Chương trình xây dựng nông thôn mới, Chương trình OCOP và các đề án sản xuất "
         "theo chuỗi giá trị, góp phần tạo việc làm, tăng thu nhập và giảm nghèo bền vững; việc thực hiện Nghị quyết "
         "số 14-NQ/TU của Ban Chấp hành Đảng bộ tỉnh về phát triển kinh tế tập thể đến năm 2025 được các cấp quan tâm."],
        ["- Kinh tế tập thể tăng về số lượng nhưng chất lượng, hiệu quả chưa như kỳ vọng; nhiều HTX còn yếu kém "
         "hoặc duy trì ở mức trung bình, mới dừng ở một vài dịch vụ đầu vào cho thành viên.",
         "- Khoa học công nghệ chưa được HTX ứng dụng nhiều trong quản lý, điều hành; cơ sở vật chất thiếu, quy mô nhỏ.",
         "- Một số HTX được thành lập chủ yếu để đáp ứng tiêu chí số 13 về nông thôn mới, hoạt động chưa thực chất."],
        ["- Nguyên nhân khách quan: tác động của dịch COVID-19 và biến động thị trường nông sản, thủy sản.",
         "- Nguyên nhân chủ quan: việc tuyên truyền Luật Hợp tác xã năm 2012 chưa đến được nhiều thành viên, hộ "
         "kinh doanh; đội ngũ cán bộ quản lý một số HTX chưa đáp ứng yêu cầu; còn tâm lý trông chờ hỗ trợ của Nhà nước."],
        ["- Nâng cao chất lượng, hiệu quả hoạt động của HTX, tổ hợp tác hiện có; tăng dần tỷ lệ HTX hoạt động khá, "
         "tốt, nhất là ở các xã đạt chuẩn nông thôn mới nâng cao, kiểu mẫu.",
         "- Phát triển HTX, tổ hợp tác trong các lĩnh vực thế mạnh của tỉnh: lúa, tôm, dịch vụ thủy sản, dịch vụ "
         "nông nghiệp, tiểu thủ công nghiệp và ngành nghề nông thôn; mỗi huyện, thị xã, thành phố chọn ít nhất 02 "
         "HTX điểm cho mỗi lĩnh vực để nhân rộng.",
         "- Hướng dẫn HTX xây dựng mã vùng sản xuất, truy xuất nguồn gốc, sản xuất theo tiêu chuẩn chất lượng; "
         "xây dựng nhãn hiệu, thương hiệu sản phẩm.",
         "- Phân công lãnh đạo Ủy ban nhân dân các cấp phụ trách kinh tế tập thể; đưa nội dung phát triển kinh tế "
         "tập thể vào kế hoạch phát triển kinh tế - xã hội hằng năm; nghiên cứu nhân rộng mô hình hội quán."],
    ])


def quang_ninh_2022(r, p):
    return doc([
        [f"Năm 2022, tỉnh Quảng Ninh có {num(r['so_htx'])} HTX, {n2(r['so_lhhtx'])} Liên hiệp HTX và "
         f"{num(r['so_tht'])} tổ hợp tác; trong năm thành lập mới {n2(r['so_htx_moi'])} HTX. Các HTX có "
         f"{n2(r['ocop_3sao'])} sản phẩm OCOP đạt 3 sao và {n2(r['ocop_4sao'])} sản phẩm đạt 4 sao.",
         "Việc thực hiện Nghị quyết số 06 ngày 17/5/2021 của Ban Chấp hành Đảng bộ tỉnh được triển khai qua các "
         "chương trình phối hợp giữa Liên minh HTX tỉnh với các địa phương. Tại huyện Bình Liêu, 27 sản phẩm tham "
         "gia Chương trình OCOP, trong đó 16 sản phẩm đạt 3 sao và 01 sản phẩm đạt 4 sao; doanh thu của các HTX "
         "năm 2022 tăng khá so với năm 2021, rõ nhất ở các HTX có sản phẩm OCOP."],
        ["- Tỷ trọng của kinh tế tập thể trong nền kinh tế còn thấp; nhiều HTX quy mô nhỏ, vốn ít.",
         "- Việc đánh giá, phân loại HTX chưa thật chính xác, chưa đủ cơ sở để tính toán hiệu quả sản xuất, kinh doanh.",
         "- Một số HTX hoạt động mang tính hình thức, chưa phát huy vai trò làm chủ của thành viên."],
        ["- Nguyên nhân khách quan: địa bàn miền núi, biên giới rộng, giao thông đi lại khó khăn; thị trường tiêu "
         "thụ sản phẩm còn hẹp.",
         "- Nguyên nhân chủ quan: đội ngũ cán bộ quản lý nhà nước về kinh tế tập thể ở cơ sở còn thiếu; công tác "
         "kiểm tra, giám sát HTX chưa thường xuyên."],
        ["- Phấn đấu năm 2023: số thành viên HTX, tổ hợp tác tăng từ 5 - 7%; khoảng 50% HTX hoạt động hiệu quả; "
         "tốc độ tăng doanh thu khoảng 10%; khoảng 30% cán bộ quản lý HTX có trình độ đại học.",
         "- Rà soát, củng cố các HTX hiện có, đánh giá phân loại chính xác; giải thể các HTX hoạt động hình thức, "
         "kém hiệu quả; vận động thành viên góp vốn, hợp nhất các HTX cùng ngành nghề, địa bàn.",
         "- Hỗ trợ HTX tham gia hội chợ, xúc tiến thương mại, Chương trình OCOP; chuyển giao khoa học công nghệ, "
         "xây dựng thương hiệu sản phẩm; khuyến khích mô hình HTX nông nghiệp kết hợp thương mại, dịch vụ và du lịch."],
    ])


HAND = {("37", 2022): ninh_binh_2022, ("19", 2018): thai_nguyen_2018, ("20", 2024): lang_son_2024,
        ("95", 2021): bac_lieu_2021, ("22", 2022): quang_ninh_2022}


UOC = set()   # provinces whose 2024 figures are estimates; set by gen-sample.py


def _date(y, code):
    if (code, y) == ("20", 2024):
        return "hết tháng 5/2024"
    if y == 2025:
        return "ngày 30/11/2025 (số liệu ước tính)"
    return f"ngày 31/12/{y}" + (" (số liệu ước tính)" if code in UOC else "")


def build(rows63, rows25, rb, name63, name34, members, years, t34):
    out = {}
    for (c, y), fn in HAND.items():
        out[c, y] = fn(rows63[c, y], rows63[c, y - 1] if y > 2018 else None)
    for c, p in name63.items():
        if (c, 2024) in out:
            continue
        r = dict(rows63[c, 2024], _date=_date(2024, c))
        out[c, 2024] = template(c, p["name"], 2024, r, rows63[c, 2023], False)
    plans = {}
    for code, y, t in t34:
        if y == 2026:
            plans.setdefault(code, []).append(t[5])
    for c, u in name34.items():
        r = dict(rows25[c], _date=_date(2025, c))
        parts = members[c]
        merged = None
        if len(parts) > 1:
            names = [place(x, name63[x]["name"], False)[0] for x in parts]
            merged = ", ".join(names[:-1]) + " và " + names[-1]
        out[c, 2025] = template(c, u["name"], 2025, r, rb[c][0], True, merged, plans.get(c))
    return out
