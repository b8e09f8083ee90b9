/*
** libFuzzer harness for the CSV data layer (decode.c, table.c, vnkey.c). As cmark's fuzzer
** does, the first input byte chooses the options: bit 0 a dictionary, bits 1-2 the number
** convention (auto, vn, en), bit 3 every column as text. The rest is the file. Every cell of
** a table that reads is then touched through the public accessors.
*/
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "table.h"
#include "vnkey.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char dict_csv[] =
    "column,label,unit,type,decimals,aggregate,role,min,max\n"
    "ma_tinh,Mã tỉnh,,text,,none,key,,\n"
    "ten_tinh,Tên tỉnh,,text,,none,name,,\n"
    "nam,Năm,,integer,0,none,period,2000,2100\n"
    "so_htx,Số HTX,HTX,integer,0,sum,,0,\n"
    "doanh_thu_bq,Doanh thu,triệu đồng,decimal,1,mean,,0,\n"
    "ty_le,Tỷ lệ,%,percent,1,mean,,0,100\n"
    "ngay,Ngày,,date,,none,,,\n"
    "a,A,,integer,,sum,,,\n"
    "b,B,,decimal,,mean,,,\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static table_dict *dict;
    diag *d = diag_new(NULL, 0);
    table_opts o = { NULL, TABLE_CONV_AUTO, 0 };
    table *t;

    if (size < 1) {
        diag_free(d);
        return 0;
    }
    if (!dict)
        dict = table_dict_parse("dict.csv", dict_csv, sizeof dict_csv - 1, d);
    o.dict = data[0] & 1 ? dict : NULL;
    o.convention = (table_convention)((data[0] >> 1) % 3);
    o.all_text = (data[0] >> 3) & 1;
    t = table_parse("fuzz.csv", (const char *)data + 1, size - 1, &o, d);
    if (t) {
        volatile double sink = 0;
        for (size_t c = 0; c < table_cols(t); c++) {
            unsigned line, col;
            table_header_pos(t, c, &line, &col);
            (void)table_column(t, c)->name;
        }
        for (size_t r = 0; r < table_rows(t); r++) {
            (void)table_line(t, r);
            for (size_t c = 0; c < table_cols(t); c++) {
                unsigned line, col;
                const char *s = table_text(t, r, c);
                sink += table_num(t, r, c);
                sink += table_missing(t, r, c);
                table_pos(t, r, c, &line, &col);
                if (r < 4) {
                    char *k = vnkey_normalise(s, strlen(s));
                    free(k);
                }
            }
        }
        (void)sink;
    }
    table_free(t);
    diag_free(d);
    return 0;
}
