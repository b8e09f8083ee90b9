/*
** libFuzzer harness for the data side of templates: the input is a template (optionally with
** front matter, whose params the context answers) filled against a fixed small dataset, on
** a table row, a total row and a region row, escaped for Markdown, HTML or not at all.
*/
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "dataset.h"
#include "diag.h"
#include "escape.h"
#include "frontmatter.h"
#include "table.h"
#include "tmpl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char dict_csv[] =
    "column,label,unit,type,decimals,aggregate,role,min,max\n"
    "ma,Mã,,text,,none,key,,\nten,Tên,,text,,none,name,,\nvung,Vùng,,text,,none,region,,\n"
    "nam,Năm,,integer,0,none,period,,\nso_htx,HTX,HTX,integer,0,sum,,,\n"
    "dt,Doanh thu,triệu đồng/HTX,decimal,1,mean,,,\nvon,Vốn,triệu đồng,decimal,0,sum,,,\n"
    "tl,Tỷ lệ,%,percent,1,mean,,,\nngay,Ngày,,date,,none,,,\nghi_chu,Ghi chú,,text,,none,,,\n";
static const char stats_csv[] =
    "ma;ten;vung;nam;so_htx;dt;von;tl;ngay;ghi_chu\n"
    "A;Hoà Bình;Bắc;2021;100;50,5;36.520;12,5%;06/01/2023;<script>\n"
    "A;Hoà Bình;Bắc;2022;110;;36.520;10%;29/06/2019;a*b|c\n"
    "B;Hà Nam;Bắc;2021;0;40;1.000;;;# x\n"
    "B;Hà Nam;Bắc;2022;50;44;2.000;;;\n"
    "C;Cà Mau;Nam;2022;110;66;5.000;;;\n";
static const char targets_csv[] =
    "ma;nam;chi_tieu;loai;min;max;don_vi;mo_ta\n"
    "A;2022;so_htx;absolute;100;;HTX;a\nA;2022;so_htx;share_pct;60;;%;b\n"
    "A;2022;von;ratio;0,8;1;lần;c\nA;2022;dt;exact;0;0;HTX;d\nC;2022;so_htx;growth_pct;5;7;%;e\n"
    "A;2023;so_htx;absolute;120;;HTX;f\n";

/* built once, kept for the whole run (reachable, so not a leak) */
static dataset *ds;
static table_dict *dict;
static table *st, *tg;

static void init(void)
{
    diag *d = diag_new(NULL, 0);
    dict = table_dict_parse("c", dict_csv, strlen(dict_csv), d);
    table_opts o = { dict, TABLE_CONV_AUTO, 0 };
    st = table_parse("s", stats_csv, strlen(stats_csv), &o, d);
    tg = table_parse("t", targets_csv, strlen(targets_csv), &o, d);
    static fm_sort sort = { "so_htx", 1 };
    dataset_opts dop = { 0 };
    dop.sort = &sort, dop.nsort = 1;
    ds = dataset_build(st, tg, &dop, d);
    if (!ds)
        abort();
    diag_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const tmpl_escape_fn escs[] = { escape_markdown, escape_html, NULL };
    arena *a;
    diag *d;
    frontmatter fm;
    tmpl *t;
    size_t off = 0;

    if (!ds)
        init();
    if (size < 1)
        return 0;
    a = arena_new();
    d = diag_new(NULL, 0);
    memset(&fm, 0, sizeof fm);
    if (frontmatter_parse("f.md", (const char *)data + 1, size - 1, &fm, a, d) == 0)
        off = fm.body_offset;
    else
        memset(&fm, 0, sizeof fm);
    t = tmpl_parse("f.md", (const char *)data + 1 + off, size - 1 - off, NULL, d);
    if (t) {
        dataset_ctx *cx = dataset_ctx_new(ds, fm.params);
        tmpl_data td = dataset_ctx_data(cx);
        size_t rows[3] = { data[0] % 5u, dataset_total_row(ds, 1), dataset_region_row(ds, 4) };
        buf out = BUF_INIT;
        dataset_ctx_set_title(cx, "T", 1);
        for (size_t i = 0; i < 3; i++) {
            buf_reset(&out);
            dataset_ctx_reset(cx, rows[i]);
            (void)tmpl_render(t, &td, escs[(data[0] >> 3) % 3], &out, d);
        }
        buf_free(&out);
        dataset_ctx_free(cx);
        tmpl_free(t);
    }
    diag_free(d);
    arena_free(a);
    return 0;
}
