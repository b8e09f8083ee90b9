/*
** Unit tests for dataset.c: every member on a small fixture with known answers (previous
** period, change and growth from zero and missing bases, rank with ties, total and share,
** each target kind's wording and met), collections and their order, regions, list markers,
** escaping where values land, missing values.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dataset.h"
#include "diag.h"
#include "escape.h"
#include "table.h"
#include "tmpl.h"

static const char dict_csv[] =
    "column,label,unit,type,decimals,aggregate,role,min,max\n"
    "ma,Mã,,text,,none,key,,\n"
    "ten,Tên,,text,,none,name,,\n"
    "vung,Vùng,,text,,none,region,,\n"
    "nam,Năm,,integer,0,none,period,,\n"
    "so_htx,Tổng số HTX,HTX,integer,0,sum,,,\n"
    "moi,HTX mới,HTX,integer,0,sum,,,\n"
    "dt,Doanh thu,triệu đồng/HTX,decimal,1,mean,,,\n"
    "von,Vốn,triệu đồng,decimal,0,sum,,,\n"
    "hq,HTX hiệu quả,HTX,integer,0,sum,,,\n"
    "tl,Tỷ lệ,%,percent,1,mean,,,\n"
    "ngay,Ngày,,date,,none,,,\n"
    "ghi_chu,Ghi chú,,text,,none,,,\n";

static const char stats_csv[] =
    "ma;ten;vung;nam;so_htx;moi;dt;von;hq;tl;ngay;ghi_chu\n"
    "A;Hoà Bình;Bắc;2021;100;10;50,5;36.520;60;12,5%;06/01/2023;<script>\n"
    "A;Hoà Bình;Bắc;2022;110;0;;36.520;70;10%;29/06/2019;a*b|c\n"
    "B;Hà Nam;Bắc;2021;0;5;40;1.000;1;;;# x\n"
    "B;Hà Nam;Bắc;2022;50;;44;2.000;30;;;\n"
    "C;Cà Mau;Nam;2021;200;20;60;5.000;100;;;\n"
    "C;Cà Mau;Nam;2022;110;20;66;5.000;90;;;\n";

static const char targets_csv[] =
    "ma;nam;chi_tieu;loai;min;max;don_vi;mo_ta\n"
    "A;2022;so_htx;absolute;100;;HTX;Có ít nhất 100 HTX\n"
    "A;2022;hq;share_pct;60;;%;Tỷ lệ HTX hiệu quả từ 60% trở lên\n"
    "A;2022;von;ratio;0,8;1;lần;Vốn gấp 0,8-1 lần\n"
    "A;2022;moi;exact;0;0;HTX;Không thành lập mới\n"
    "C;2022;so_htx;growth_pct;5;7;%;Tăng 5-7%\n"
    "A;2023;so_htx;absolute;120;;HTX;Kế hoạch 2023\n";

static diag *d;
static table_dict *dict;
static table *stats, *targets;
static dataset *ds;
static dataset_ctx *cx;
static buf out;

static int setup(void **state)
{
    table_opts o = { NULL, TABLE_CONV_AUTO, 0 };
    dataset_opts dopt = { 0 };
    static fm_sort sort = { "so_htx", 1 };

    (void)state;
    d = diag_new(stderr, 1);
    dict = table_dict_parse("columns.csv", dict_csv, strlen(dict_csv), d);
    o.dict = dict;
    stats = table_parse("s.csv", stats_csv, strlen(stats_csv), &o, d);
    targets = table_parse("t.csv", targets_csv, strlen(targets_csv), &o, d);
    dopt.sort = &sort, dopt.nsort = 1;
    ds = dataset_build(stats, targets, &dopt, d);
    cx = ds ? dataset_ctx_new(ds, NULL) : NULL;
    return ds ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    dataset_ctx_free(cx);
    dataset_free(ds);
    table_free(stats);
    table_free(targets);
    table_dict_free(dict);
    diag_free(d);
    buf_free(&out);
    return 0;
}

/* TEXT filled for unit KEY in PERIOD, escaped as ESC. */
static const char *fill_esc(const char *text, const char *key, const char *period,
                            tmpl_escape_fn esc)
{
    tmpl *t = tmpl_parse("t.md", text, strlen(text), NULL, d);
    tmpl_data data = dataset_ctx_data(cx);
    size_t row = dataset_find(ds, key, period);

    assert_non_null(t);
    assert_true(row != DATASET_NONE);
    dataset_ctx_reset(cx, row);
    buf_reset(&out);
    assert_int_equal(tmpl_render(t, &data, esc, &out, d), 0);
    tmpl_free(t);
    return buf_cstr(&out);
}

static const char *fill(const char *text, const char *key, const char *period)
{
    return fill_esc(text, key, period, NULL);
}

static void test_values(void **state)
{
    (void)state;
    assert_string_equal(fill("{{so_htx}}|{{dt}}|{{von}}|{{tl}}|{{nam}}|{{ten}}", "A", "2021"),
                        "100|50,5|36.520|12,5%|2021|Hoà Bình");
    assert_string_equal(fill("{{so_htx.raw}}|{{dt.raw}}|{{von.ty}}|{{so_htx.words}}", "A", "2021"),
                        "100|50.5|36,52 tỷ đồng|một trăm");
    assert_string_equal(fill("{{so_htx.label}} ({{so_htx.unit}})", "A", "2021"),
                        "Tổng số HTX (HTX)");
    assert_string_equal(fill("{{moi.pad}}|{{ten.upper}}|{{ten.slug}}", "A", "2021"),
                        "10|HOÀ BÌNH|hoa-binh");
}

static void test_prev_delta_growth(void **state)
{
    (void)state;
    assert_string_equal(fill("{{so_htx.prev}} {{so_htx.delta}} {{so_htx.growth}} "
                             "{{so_htx.trend}} {{so_htx.delta_abs}} {{so_htx.growth_abs}}",
                             "A", "2022"),
                        "100 +10 +10,0% tăng 10 10,0%");
    /* C: 200 → 110 */
    assert_string_equal(fill("{{so_htx.delta}} {{so_htx.growth}} {{so_htx.trend}} "
                             "{{so_htx.growth_abs}}{{#so_htx.down}} down{{/so_htx.down}}"
                             "{{^so_htx.up}} not-up{{/so_htx.up}}", "C", "2022"),
                        "\xe2\x88\x92" "90 \xe2\x88\x92" "45,0% giảm 45,0% down not-up");
    /* a zero base has no growth; a change it has */
    assert_string_equal(fill("{{so_htx.delta}}|{{so_htx.growth}}|{{#so_htx.growth}}x{{/so_htx.growth}}",
                             "B", "2022"),
                        "+50|\xe2\x80\x93|");
    /* the first period has no previous one */
    assert_string_equal(fill("{{so_htx.prev}}|{{so_htx.delta}}|{{^so_htx.up}}no{{/so_htx.up}}",
                             "A", "2021"),
                        "\xe2\x80\x93|\xe2\x80\x93|no");
    assert_string_equal(fill("{{#von.same}}same{{/von.same}} {{von.trend}}", "C", "2022"),
                        "same không đổi");
}

static void test_missing(void **state)
{
    (void)state;
    /* B 2022: moi missing; A 2022: moi is a present 0 */
    assert_string_equal(fill("[{{moi}}][{{moi.delta}}][{{moi.rank}}][{{#moi}}có{{/moi}}"
                             "{{^moi}}thiếu{{/moi}}][{{#moi.missing}}m{{/moi.missing}}]",
                             "B", "2022"),
                        "[\xe2\x80\x93][\xe2\x80\x93][\xe2\x80\x93][thiếu][m]");
    assert_string_equal(fill("{{#moi}}Thành lập mới {{moi}} HTX.{{/moi}}", "A", "2022"),
                        "Thành lập mới 0 HTX.");
    assert_string_equal(fill("{{ghi_chu}}|{{#ghi_chu}}x{{/ghi_chu}}|{{ngay}}", "B", "2022"),
                        "\xe2\x80\x93||\xe2\x80\x93");
    /* unknown names print nothing (the Mustache rule) */
    assert_string_equal(fill("[{{khong_co}}][{{so_htx.khong_co}}]", "A", "2022"), "[][]");
}

static void test_rank_total_share(void **state)
{
    (void)state;
    /* 2022: A 110, C 110, B 50 */
    assert_string_equal(fill("{{so_htx.rank}}/{{so_htx.of}} {{so_htx.total}} {{so_htx.share}}",
                             "A", "2022"),
                        "1/3 270 40,7%");
    assert_string_equal(fill("{{so_htx.rank}}", "C", "2022"), "1");
    assert_string_equal(fill("{{so_htx.rank}}", "B", "2022"), "3");
    /* mean aggregate over present values only: (44 + 66) / 2; no share of a mean */
    assert_string_equal(fill("{{dt.total}}|{{dt.share}}|{{dt.rank}}/{{dt.of}}", "B", "2022"),
                        "55,0|\xe2\x80\x93|2/2");
    assert_string_equal(fill("{{#total}}{{ten}}: {{so_htx}} ({{so_htx.delta}}){{/total}}", "A",
                             "2022"),
                        "Tổng cộng: 270 (\xe2\x88\x92" "30)");
    assert_string_equal(fill("{{total.so_htx}} {{total.so_htx.growth}}", "A", "2022"),
                        "270 \xe2\x88\x92" "10,0%");
}

static void test_targets(void **state)
{
    (void)state;
    assert_string_equal(fill("{{so_htx.target}}|{{so_htx.attain}}|{{#so_htx.met}}đạt{{/so_htx.met}}",
                             "A", "2022"),
                        "ít nhất 100|110,0%|đạt");
    assert_string_equal(fill("{{hq.target}}|{{#hq.met}}đạt{{/hq.met}}", "A", "2022"),
                        "từ 60% trở lên|đạt");
    assert_string_equal(fill("{{von.target}}|{{#von.met}}đạt{{/von.met}}", "A", "2022"),
                        "gấp 0,8\xe2\x80\x93" "1 lần|đạt");
    assert_string_equal(fill("{{moi.target}}|{{moi.met}}", "A", "2022"), "0|có");
    assert_string_equal(fill("{{so_htx.target}}|{{^so_htx.met}}không đạt{{/so_htx.met}}", "C",
                             "2022"),
                        "tăng 5\xe2\x80\x93" "7%|không đạt");
    /* no target: the members are missing, sections left out */
    assert_string_equal(fill("[{{dt.target}}][{{#dt.target}}x{{/dt.target}}]", "A", "2022"),
                        "[\xe2\x80\x93][]");
    assert_string_equal(
        fill("{{#targets}}{{index}}. {{label}}: {{target}}, {{actual}} "
             "({{kind}}, {{column}}){{#met}} đạt{{/met}}{{^last}}\n{{/last}}{{/targets}}",
             "A", "2022"),
        "1. Có ít nhất 100 HTX: ít nhất 100, 110 (absolute, so_htx) đạt\n"
        "2. Tỷ lệ HTX hiệu quả từ 60% trở lên: từ 60% trở lên, 63,6% (share_pct, hq) đạt\n"
        "3. Vốn gấp 0,8-1 lần: gấp 0,8\xe2\x80\x93" "1 lần, 1,00 (ratio, von) đạt\n"
        "4. Không thành lập mới: 0, 0 (exact, moi) đạt");
    assert_string_equal(fill("{{#targets}}{{actual}}{{/targets}}", "C", "2022"),
                        "\xe2\x88\x92" "45,0%");
    assert_string_equal(fill("{{#next_targets}}{{label}}: {{target}}{{/next_targets}}", "A",
                             "2022"),
                        "Kế hoạch 2023: ít nhất 120");
    assert_string_equal(fill("[{{#targets}}x{{/targets}}]", "B", "2022"), "[]");
}

static void test_wide_targets(void **state)
{
    static const char wide[] = "ma;nam;so_htx;moi\nA;2022;105;\nB;2022;60;3\n";
    table_opts o = { dict, TABLE_CONV_AUTO, 0 };
    table *w = table_parse("w.csv", wide, strlen(wide), &o, d);
    dataset *wd = dataset_build(stats, w, NULL, d);
    dataset_ctx *wc = dataset_ctx_new(wd, NULL);
    tmpl_data data = dataset_ctx_data(wc);
    const char *text = "{{so_htx.target}} {{so_htx.met}} {{moi.target}}";
    tmpl *t = tmpl_parse("t.md", text, strlen(text), NULL, d);

    (void)state;
    dataset_ctx_reset(wc, dataset_find(wd, "A", "2022"));
    buf_reset(&out);
    tmpl_render(t, &data, NULL, &out, d);
    assert_string_equal(buf_cstr(&out), "ít nhất 105 có \xe2\x80\x93");
    dataset_ctx_reset(wc, dataset_find(wd, "B", "2022"));
    buf_reset(&out);
    tmpl_render(t, &data, NULL, &out, d);
    assert_string_equal(buf_cstr(&out), "ít nhất 60 không ít nhất 3");
    tmpl_free(t);
    dataset_ctx_free(wc);
    dataset_free(wd);
    table_free(w);
}

static void test_share_base(void **state)
{
    /* the denominator of a share target: the targets' mau_so column, else so_htx */
    static const char tc[] = "ma;nam;chi_tieu;loai;min;max;mau_so\n"
                             "A;2022;hq;share_pct;60;;von\nB;2022;hq;share_pct;50;;\n";
    static const char bad[] = "ma;nam;chi_tieu;loai;min;max;mau_so\nA;2022;hq;share_pct;60;;ten\n";
    table_opts o = { dict, TABLE_CONV_AUTO, 0 };
    table *t = table_parse("b.csv", tc, strlen(tc), &o, d), *bt;
    dataset *bd = dataset_build(stats, t, NULL, d);
    dataset_ctx *bc = dataset_ctx_new(bd, NULL);
    tmpl_data data = dataset_ctx_data(bc);
    const char *text = "{{#targets}}{{actual}} {{met}}{{/targets}}";
    tmpl *tp = tmpl_parse("t.md", text, strlen(text), NULL, d);

    (void)state;
    dataset_ctx_reset(bc, dataset_find(bd, "A", "2022")); /* 70 / 36.520 */
    buf_reset(&out);
    tmpl_render(tp, &data, NULL, &out, d);
    assert_string_equal(buf_cstr(&out), "0,2% không");
    dataset_ctx_reset(bc, dataset_find(bd, "B", "2022")); /* 30 / 50 */
    buf_reset(&out);
    tmpl_render(tp, &data, NULL, &out, d);
    assert_string_equal(buf_cstr(&out), "60,0% có");
    tmpl_free(tp);
    dataset_ctx_free(bc);
    dataset_free(bd);
    table_free(t);
    diag_clear(d);
    bt = table_parse("bad.csv", bad, strlen(bad), &o, d);
    assert_null(dataset_build(stats, bt, NULL, d));
    assert_non_null(strstr(diag_text(d), "bad.csv:2:25: error: denominator 'ten'"));
    table_free(bt);
}

static void test_collections(void **state)
{
    (void)state;
    /* sorted by -so_htx, ties in file order */
    assert_string_equal(fill("{{#units}}{{#first}}[{{/first}}{{index}}.{{ten}} {{so_htx}}"
                             "{{^last}}, {{/last}}{{#last}}]{{/last}}{{/units}}", "B", "2022"),
                        "[1.Hoà Bình 110, 2.Cà Mau 110, 3.Hà Nam 50]");
    assert_string_equal(fill("{{#periods}}{{nam}}:{{so_htx}}{{^last}} {{/last}}{{/periods}}", "C",
                             "2022"),
                        "2021:200 2022:110");
    assert_string_equal(fill("{{#regions}}{{vung}} {{so_htx}} ({{#units}}{{ten}}{{^last}}, "
                             "{{/last}}{{/units}}) {{so_htx.share}}; {{/regions}}", "A", "2022"),
                        "Bắc 160 (Hoà Bình, Hà Nam) 59,3%; Nam 110 (Cà Mau) 40,7%; ");
    assert_string_equal(fill("{{#total}}{{#periods}}{{so_htx}} {{/periods}}{{/total}}", "A", "2022"),
                        "300 270 ");
    assert_string_equal(fill("{{#previous}}{{nam}} {{so_htx}}{{/previous}}", "A", "2022"),
                        "2021 100");
    /* a name not in an item resolves further down: the document's row */
    assert_string_equal(fill("{{#units}}{{#first}}{{ten}}/{{../ten}}{{/first}}{{/units}}", "B",
                             "2022"),
                        "Hoà Bình/");
    assert_string_equal(fill("{{#periods}}{{#first}}{{moi.target}}{{/first}}{{/periods}}"
                             "{{#so_htx}}{{.}} {{delta}}{{/so_htx}}", "A", "2022"),
                        "\xe2\x80\x93" "110 +10");
}

static void test_dates(void **state)
{
    (void)state;
    assert_string_equal(fill("{{ngay}}|{{ngay.long}}|{{ngay.weekday}}|{{ngay.iso}}", "A", "2021"),
                        "06/01/2023|ngày 06 tháng 01 năm 2023|Thứ Sáu|2023-01-06");
    assert_string_equal(fill("{{ngay.long}}", "A", "2022"), "ngày 29 tháng 6 năm 2019");
    setenv("SOURCE_DATE_EPOCH", "1672963200", 1); /* 2023-01-06 00:00 UTC */
    {
        dataset *d2 = dataset_build(stats, NULL, NULL, d);
        dataset_ctx *c2 = dataset_ctx_new(d2, NULL);
        tmpl_data data = dataset_ctx_data(c2);
        const char *text = "{{today.long}} {{today.weekday}} {{today}}";
        tmpl *t = tmpl_parse("t.md", text, strlen(text), NULL, d);
        buf_reset(&out);
        tmpl_render(t, &data, NULL, &out, d);
        assert_string_equal(buf_cstr(&out), "ngày 06 tháng 01 năm 2023 Thứ Sáu 06/01/2023");
        tmpl_free(t);
        dataset_ctx_free(c2);
        dataset_free(d2);
    }
    unsetenv("SOURCE_DATE_EPOCH");
}

static void test_escaping(void **state)
{
    (void)state;
    assert_string_equal(fill_esc("{{ghi_chu}}|{{{ghi_chu}}}", "A", "2021", escape_html),
                        "&lt;script&gt;|<script>");
    assert_string_equal(fill_esc("{{ghi_chu}}", "A", "2021", escape_markdown), "\\<script\\>");
    assert_string_equal(fill_esc("| {{ghi_chu}} |", "A", "2022", escape_markdown),
                        "| a\\*b\\|c |");
    assert_string_equal(fill_esc("{{ghi_chu}}", "B", "2021", escape_markdown), "\\# x");
    assert_string_equal(fill_esc("{{ghi_chu}}", "A", "2022", escape_html), "a*b|c");
}

static void test_params_and_title(void **state)
{
    static const char src[] = "---\nparams:\n  co_quan: Sở <KH>\n  ds: [a, b]\n  tat: false\n---\n";
    arena *a = arena_new();
    frontmatter fm;
    dataset_ctx *c2;
    tmpl_data data;
    const char *text = "{{params.co_quan}}|{{#params.ds}}{{.}}{{/params.ds}}|"
                       "{{^params.tat}}off{{/params.tat}}|{{title}}";
    tmpl *t;

    (void)state;
    assert_int_equal(frontmatter_parse("f.md", src, strlen(src), &fm, a, d), 0);
    c2 = dataset_ctx_new(ds, fm.params);
    data = dataset_ctx_data(c2);
    dataset_ctx_set_title(c2, "Báo cáo", strlen("Báo cáo"));
    t = tmpl_parse("t.md", text, strlen(text), NULL, d);
    buf_reset(&out);
    tmpl_render(t, &data, escape_html, &out, d);
    assert_string_equal(buf_cstr(&out), "Sở &lt;KH&gt;|ab|off|Báo cáo");
    tmpl_free(t);
    dataset_ctx_free(c2);
    arena_free(a);
}

static void test_key_normalisation(void **state)
{
    (void)state;
    assert_true(dataset_find(ds, "A", "2022") != DATASET_NONE);
    assert_true(dataset_cell_is(ds, dataset_find(ds, "A", "2022"), 1, "Hòa Bình"));
    assert_true(dataset_cell_is(ds, dataset_find(ds, "A", "2022"), 3, "2022"));
    assert_false(dataset_cell_is(ds, dataset_find(ds, "A", "2022"), 1, "Hà Nam"));
    assert_true(dataset_find(ds, "Z", NULL) == DATASET_NONE);
}

static void test_narratives(void **state)
{
    char dir[] = "/tmp/narrXXXXXX";
    buf path = BUF_INIT;
    FILE *f;
    dataset_opts o = { 0 };
    dataset *nd;
    dataset_ctx *nc;
    tmpl_data data;
    const char *text = "[{{{narrative.ket_qua_noi_bat}}}][{{{narrative.ton_tai_han_che}}}]"
                       "[{{#narrative.nguyen_nhan}}x{{/narrative.nguyen_nhan}}]"
                       "[{{^narrative}}none{{/narrative}}]";
    tmpl *t = tmpl_parse("t.md", text, strlen(text), NULL, d);

    (void)state;
    assert_non_null(mkdtemp(dir));
    buf_printf(&path, "%s/A-2022.md", dir);
    f = fopen(path.ptr, "w");
    fputs("Mở đầu.\n\n### Kết quả nổi bật\n\nCó *110* HTX.\n\n### Tồn tại, hạn chế\n- Ít vốn.\n", f);
    fclose(f);
    o.narratives = dir;
    nd = dataset_build(stats, NULL, &o, d);
    nc = dataset_ctx_new(nd, NULL);
    data = dataset_ctx_data(nc);
    dataset_ctx_reset(nc, dataset_find(nd, "A", "2022"));
    buf_reset(&out);
    tmpl_render(t, &data, escape_markdown, &out, d);
    assert_string_equal(buf_cstr(&out), "[Có *110* HTX.][- Ít vốn.][][]");
    {
        const char *h = "{{{narrative.ket_qua_noi_bat.html}}}|{{#narrative.html}}x{{/narrative.html}}";
        tmpl *th = tmpl_parse("t.html", h, strlen(h), NULL, d);
        buf_reset(&out);
        tmpl_render(th, &data, escape_html, &out, d);
        assert_string_equal(buf_cstr(&out), "<p>Có <em>110</em> HTX.</p>\n|x");
        tmpl_free(th);
    }
    dataset_ctx_reset(nc, dataset_find(nd, "B", "2022"));
    buf_reset(&out);
    tmpl_render(t, &data, escape_markdown, &out, d);
    assert_string_equal(buf_cstr(&out), "[][][][none]");
    remove(path.ptr);
    rmdir(dir);
    buf_free(&path);
    tmpl_free(t);
    dataset_ctx_free(nc);
    dataset_free(nd);
}

static void test_errors(void **state)
{
    dataset_opts o = { 0 };
    static const char bad[] = "ma;nam;chi_tieu;loai;min;max\nA;2022;khong_co;absolute;1;\n"
                              "A;2022;so_htx;lung_tung;1;\n";
    table_opts to = { dict, TABLE_CONV_AUTO, 0 };
    table *bt = table_parse("bad.csv", bad, strlen(bad), &to, d);

    (void)state;
    diag_clear(d);
    o.key = "ma_x";
    assert_null(dataset_build(stats, NULL, &o, d));
    assert_non_null(strstr(diag_text(d), "key column 'ma_x'"));
    diag_clear(d);
    assert_null(dataset_build(stats, bt, NULL, d));
    assert_non_null(strstr(diag_text(d), "bad.csv:2:8: error: target for 'khong_co'"));
    assert_non_null(strstr(diag_text(d), "bad.csv:3:15: error: unknown target kind 'lung_tung'"));
    table_free(bt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values),        cmocka_unit_test(test_prev_delta_growth),
        cmocka_unit_test(test_missing),       cmocka_unit_test(test_rank_total_share),
        cmocka_unit_test(test_targets),       cmocka_unit_test(test_wide_targets),
        cmocka_unit_test(test_share_base),    cmocka_unit_test(test_collections),   cmocka_unit_test(test_dates),
        cmocka_unit_test(test_escaping),      cmocka_unit_test(test_params_and_title),
        cmocka_unit_test(test_key_normalisation), cmocka_unit_test(test_narratives),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
