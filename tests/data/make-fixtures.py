#!/usr/bin/env python3
"""Writes the CSV fixtures of tests/data/ (the messy files real offices send) from the text
below. Run from anywhere: python3 tests/data/make-fixtures.py. The generated files are
committed; this script says how each was made. Windows-1258 and TCVN3 go through glibc iconv
(as domain.md §3.3 notes, Python's cp1258 codec cannot encode precomposed letters)."""
import os
import subprocess
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))


def iconv(text, charset):
    return subprocess.run(["iconv", "-f", "UTF-8", "-t", charset], input=text.encode(),
                          stdout=subprocess.PIPE, check=True).stdout


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


# Vietnamese Excel: semicolons, 1.234.567 and 36,52, percent, missing as - and –.
VN = ("ma_tinh;ten_tinh;nam;so_htx;doanh_thu_bq;ty_le;ghi_chu\r\n"
      "01;Hà Nội;2022;1.234;5.500,5;12,5%;Thủ đô\r\n"
      "19;Thái Nguyên;2018;456;36,52;-;\r\n"
      "37;Ninh Bình;2022;468;–;34,3%;\"Liên minh HTX; tỉnh\"\r\n")
write("semicolon-vn.csv", VN)
write("utf8-bom.csv", b"\xef\xbb\xbf" + VN.encode())
write("cp1258.csv", iconv(VN, "CP1258"))
write("nfd.csv", unicodedata.normalize("NFD", VN))

# Excel "Unicode text": UTF-16 with BOM, tab-separated.
TAB = VN.replace(";", "\t").replace('"Liên minh HTX\t tỉnh"', '"Liên minh HTX, tỉnh"')
write("tabs.csv", TAB)
write("utf16le.csv", b"\xff\xfe" + TAB.encode("utf-16-le"))
write("utf16be.csv", b"\xfe\xff" + TAB.encode("utf-16-be"))

# English convention: 1,234,567 and 36.52; the ambiguous 1,234 follows the file.
write("comma-en.csv",
      "ma_tinh,ten_tinh,nam,so_htx,doanh_thu_bq,ty_le,ghi_chu\n"
      "01,Hà Nội,2022,\"1,234\",\"5,500.5\",12.5%,\n"
      "19,Thái Nguyên,2018,456,36.52,,\n")
# Nothing unambiguous: 1.234 is Vietnamese (a thousands group).
write("ambiguous.csv", "ma_tinh;nam;so_htx\n01;2022;1.234\n02;2022;2.500\n")

# RFC 4180: quotes, delimiters and line breaks inside quoted fields, CRLF, blank trailing lines.
write("quoted.csv",
      "ma_tinh,ten_tinh,ghi_chu\r\n"
      "01,\"Hà Nội\",\"Kết quả:\r\n- 39 HTX mới\r\n- 27 THT mới\"\r\n"
      "02,\"Hoà Bình, tỉnh\",\"Nói \"\"không\"\" với số ảo\"\r\n"
      "03,Lạng Sơn,\r\n\r\n\r\n")
# Old Mac line ends (CR only).
write("cr-only.csv", "ma_tinh,ten_tinh,nam\r01,Hà Nội,2022\r02,Thái Nguyên,2023\r")
# Legacy TCVN3 (ABC): recognised and converted, with a note.
write("tcvn3.csv", iconv("ma_tinh,ten_tinh,ghi_chu\n01,Hà Nội,hợp tác xã\n"
                         "19,Thái Nguyên,liên minh hợp tác xã\n", "TCVN5712-1"))
# Dates in both forms; a Vietnamese number that needs the dictionary's text type (ma_tinh).
write("dates.csv", "ma_tinh,ngay\n01,06/01/2023\n02,2024-05-31\n03,\n")

# Broken files: each gives its FILE:LINE:COL errors and exit status 1.
write("bad-ragged.csv", "ma_tinh,ten_tinh,nam\n01,Hà Nội,2022\n02,Huế\n03,Đà Nẵng,2022,x\n")
write("bad-unterminated.csv", "ma_tinh,ten_tinh,nam\n01,Hà Nội,2022\n02,\"Huế,2023\n03,x,1\n")
write("bad-header.csv", "ma_tinh,,nam,ma_tinh\n01,a,2022,01\n")
write("bad-number.csv", "ma_tinh;nam;so_htx\n01;2022;nhiều\n02;hai nghìn;12\n03;2022;1,5\n")
write("bad-bytes.csv", b"ma_tinh,ten_tinh\n01,H\x81\x8d N\xf4i\n")
